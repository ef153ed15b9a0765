// Test helpers: evaluate a function on constants (TiKV's RpnFnScalarEvaluator), or an
// expression over columns.
import { ChunkedVecInt, type Column, EvalContext, type FieldType, type LogicalRows } from "@copr/datatype";
import type { tipb } from "@copr/proto";
import { buildRpn, type EvalResult, evalRpn, readerOf } from "../src/index.js";

export const ctx = (): EvalContext => EvalContext.forTest();

/** The value of `expr` evaluated on an empty schema (constants only). */
export function evalConst(expr: tipb.Expr.$Properties, context = ctx()): unknown {
  const rpn = buildRpn(expr, { schemaLength: 0 });
  const r = evalRpn(rpn, context, { schema: [], columns: [], logicalRows: null });
  if (r.kind !== "scalar") throw new Error("expected a scalar");
  return r.value;
}

/** Every logical row's value of `expr` over `columns`. */
export function evalRows(
  expr: tipb.Expr.$Properties,
  schema: FieldType[],
  columns: Column[],
  logicalRows: LogicalRows = null,
  context = ctx(),
  lookup?: Parameters<typeof buildRpn>[1]["lookup"],
): unknown[] {
  const rpn = buildRpn(expr, { schemaLength: schema.length, ...(lookup ? { lookup } : {}) });
  const r: EvalResult = evalRpn(rpn, context, { schema, columns, logicalRows });
  const n = logicalRows === null ? (columns[0]?.length ?? 0) : logicalRows.length;
  const read = readerOf(r);
  return Array.from({ length: n }, (_, k) => read(k));
}

export const ints = (values: (number | bigint | null)[], unsigned = false): ChunkedVecInt =>
  ChunkedVecInt.fromValues(values, { unsigned });
