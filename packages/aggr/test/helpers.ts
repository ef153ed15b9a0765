// Test helpers: build aggregate definitions, run them over a batch as TiKV's tests do
// (parse, evaluate the argument, `update_vector`, `push_result`), and read partial results.
import {
  type Column,
  type ColumnBuilder,
  columnBuilderFor,
  EvalContext,
  type FieldType,
  FieldTypeTp,
  fieldType,
  type LogicalRows,
} from "@copr/datatype";
import { columnRef, evalRpn, fieldTypeToPb } from "@copr/expr";
import { tipb } from "@copr/proto";
import {
  type AggrFunctionState,
  type ParseAggrOptions,
  type ParsedAggr,
  parseAggr,
  updateStateAt,
  updateStateFromResult,
} from "../src/index.js";

export const E = tipb.ExprType;
export const ctx = (): EvalContext => EvalContext.forTest();

export const ft = (tp: FieldTypeTp, rest: Omit<Partial<FieldType>, "tp"> = {}): FieldType =>
  fieldType(tp, rest);
export const LONGLONG = ft(FieldTypeTp.LongLong);
export const DOUBLE = ft(FieldTypeTp.Double);
export const DECIMAL = ft(FieldTypeTp.NewDecimal);
export const VARSTRING = ft(FieldTypeTp.VarString);

/** An aggregate node `tp(column 0)` returning `out`. */
export function aggrOfColumn(
  tp: tipb.ExprType,
  out: FieldType,
  arg: FieldType,
  offset = 0,
): tipb.Expr.$Properties {
  return { tp, fieldType: fieldTypeToPb(out), children: [columnRef(offset, arg)] };
}

/** An aggregate node over any argument expression. */
export function aggr(
  tp: tipb.ExprType,
  out: FieldType,
  ...children: tipb.Expr.$Properties[]
): tipb.Expr.$Properties {
  return { tp, fieldType: fieldTypeToPb(out), children };
}

/** Pushes a state's partial result into fresh builders of `types`; returns each column's values. */
export function pushed(state: AggrFunctionState, types: readonly FieldType[], context = ctx()): unknown[] {
  const builders: ColumnBuilder[] = types.map((t) => columnBuilderFor(t));
  state.pushResult(context, builders);
  return builders.map((b) => b.finish().get(0));
}

/** Pushes the state `times` times into the same builders, returning each column's rows. */
export function pushedRows(
  state: AggrFunctionState,
  types: readonly FieldType[],
  times: number,
): unknown[][] {
  const context = ctx();
  const builders: ColumnBuilder[] = types.map((t) => columnBuilderFor(t));
  for (let i = 0; i < times; i++) state.pushResult(context, builders);
  return builders.map((b) => {
    const c = b.finish();
    return Array.from({ length: c.length }, (_, i) => c.get(i));
  });
}

/** Parses `def` over `schema`. */
export function parse(
  def: tipb.Expr.$Properties,
  schema: FieldType[],
  options: ParseAggrOptions = {},
): ParsedAggr {
  return parseAggr(def, ctx(), schema, options);
}

/**
 * Runs `def` over one batch as simple aggregation does (TiKV `test_integration`): evaluate the
 * argument over the logical rows, update one state with the whole result, push.
 */
export function runVector(
  def: tipb.Expr.$Properties,
  schema: FieldType[],
  columns: Column[],
  logicalRows: LogicalRows = null,
  options: ParseAggrOptions = {},
): { parsed: ParsedAggr; result: unknown[] } {
  const parsed = parse(def, schema, options);
  const context = ctx();
  const state = parsed.fn.createState();
  const r = evalRpn(parsed.expr, context, { schema, columns, logicalRows });
  const n = logicalRows === null ? (columns[0]?.length ?? 0) : logicalRows.length;
  updateStateFromResult(state, context, r, n);
  return { parsed, result: pushed(state, parsed.fieldTypes, context) };
}

/** Runs `def` row by row, as hash aggregation does (one `update` per logical row). */
export function runRows(
  def: tipb.Expr.$Properties,
  schema: FieldType[],
  columns: Column[],
  logicalRows: LogicalRows = null,
): unknown[] {
  const parsed = parse(def, schema);
  const context = ctx();
  const state = parsed.fn.createState();
  const r = evalRpn(parsed.expr, context, { schema, columns, logicalRows });
  const n = logicalRows === null ? (columns[0]?.length ?? 0) : logicalRows.length;
  for (let k = 0; k < n; k++) updateStateAt(state, context, r, k);
  return pushed(state, parsed.fieldTypes, context);
}

/** The error `f` throws (fails the test if it returns). */
export function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}
