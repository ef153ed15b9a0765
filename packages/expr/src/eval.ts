// Evaluation of an RPN expression over a batch (TiKV components/tidb_query_expr/src/types/expr_eval.rs):
// a stack machine over the nodes, where a column reference is the batch column seen through the
// batch's logical rows, a constant stays a single value (never expanded per row), and a call
// produces one value per logical row — through the function's vectorized form when it has one
// that applies, otherwise through a loop built once per call from the function's declaration.
import {
  type Column,
  columnBuilderFor,
  type Decimal,
  Decimal as DecimalValue,
  type EvalContext,
  EvalType,
  type FieldType,
  type LogicalRows,
  logicalRowCount,
  UnsupportedError,
} from "@copr/datatype";
import { ExprError } from "./errors.js";
import type { RpnFnMeta, VectorArg } from "./registry.js";
import type { RpnCall, RpnExpression } from "./rpn.js";

/** The value of an expression over a batch. */
export type EvalResult =
  /** The same value for every row (a constant, or a call on constants only). */
  | {
      readonly kind: "scalar";
      readonly evalType: EvalType;
      readonly value: unknown;
      readonly fieldType: FieldType;
    }
  /** One value per logical row: logical row `k` is physical row `rows === null ? k : rows[k]` of `column`. */
  | {
      readonly kind: "vector";
      readonly column: Column;
      readonly rows: LogicalRows;
      readonly fieldType: FieldType;
    };

/** The input of an evaluation: a batch of columns, their types, and the live rows. */
export interface EvalInput {
  readonly schema: readonly FieldType[];
  readonly columns: readonly Column[];
  /** Live rows of the batch (null: all of them, in order). */
  readonly logicalRows: LogicalRows;
  /**
   * The batch's physical row count, when the first column cannot tell it (an undecoded
   * placeholder of a lazy scan); by default the first column's length.
   */
  readonly physicalRows?: number;
}

/** The physical row count of `input` (see {@link EvalInput.physicalRows}). */
function physicalRowsOf(input: EvalInput): number {
  return input.physicalRows ?? (input.columns.length > 0 ? input.columns[0]!.length : 0);
}

/** Evaluates `expr` over `input` (TiKV `RpnExpression::eval`). */
export function evalRpn(expr: RpnExpression, ctx: EvalContext, input: EvalInput): EvalResult {
  const n = logicalRowCount(input.logicalRows, physicalRowsOf(input));
  const stack: EvalResult[] = [];
  for (const node of expr.nodes) {
    switch (node.kind) {
      case "column": {
        const column = input.columns[node.offset];
        const fieldType = input.schema[node.offset];
        if (column === undefined || fieldType === undefined) {
          throw new ExprError(
            `column offset ${node.offset} outside the batch of ${input.columns.length} columns`,
          );
        }
        stack.push({ kind: "vector", column, rows: input.logicalRows, fieldType });
        break;
      }
      case "constant":
        stack.push({ kind: "scalar", evalType: node.evalType, value: node.value, fieldType: node.fieldType });
        break;
      case "call": {
        const args = stack.splice(stack.length - node.argCount, node.argCount);
        stack.push(evalCall(node, ctx, args, n));
        break;
      }
    }
  }
  if (stack.length !== 1) throw new ExprError(`expression left ${stack.length} values on the stack`);
  return stack[0]!;
}

/** A reader of one argument: the value of logical row `k` (null for NULL). */
type Reader = (k: number) => unknown;

function evalCall(node: RpnCall, ctx: EvalContext, args: EvalResult[], n: number): EvalResult {
  const fn = node.fn;
  // A call on constants only is a constant too (TiKV evaluates it for one row and keeps a scalar).
  const allScalar = args.every((a) => a.kind === "scalar");
  const rows = allScalar ? 1 : n;
  if (fn.vector !== undefined && !allScalar) {
    const vargs: VectorArg[] = args.map((a) =>
      a.kind === "scalar"
        ? { fieldType: a.fieldType, scalar: a.value, column: undefined, rows: null }
        : { fieldType: a.fieldType, scalar: undefined, column: a.column, rows: a.rows },
    );
    const out = fn.vector({ ctx, args: vargs, rows: n, fieldType: node.fieldType, metadata: node.metadata });
    if (out !== null) {
      if (out.length !== n)
        throw new ExprError(`${fn.name}: vectorized form produced ${out.length} of ${n} rows`);
      return { kind: "vector", column: out, rows: null, fieldType: node.fieldType };
    }
  }
  const column = runScalar(
    fn,
    node,
    ctx,
    args.map((a, i) => convertingReader(readerOf(a), a, declaredType(fn, i))),
    rows,
  );
  if (allScalar) {
    return {
      kind: "scalar",
      evalType: fn.ret,
      value: readerOf(vectorOf(column, node.fieldType))(0),
      fieldType: node.fieldType,
    };
  }
  return { kind: "vector", column, rows: null, fieldType: node.fieldType };
}

function vectorOf(column: Column, fieldType: FieldType): EvalResult {
  return { kind: "vector", column, rows: null, fieldType };
}

/** The loop TiKV's `#[rpn_fn]` generates: read the arguments, skip NULLs if `nonnull`, call, append. */
function runScalar(fn: RpnFnMeta, node: RpnCall, ctx: EvalContext, readers: Reader[], rows: number): Column {
  const out = columnBuilderFor(node.fieldType, rows);
  const prefix: unknown[] = [];
  if (fn.ctx) prefix.push(ctx);
  if (fn.metadata !== undefined) prefix.push(node.metadata);
  const p = prefix.length;
  const varargs = !Array.isArray(fn.args);
  const argc = readers.length;
  // One parameter array, reused for every row.
  const params = new Array<unknown>(p + (varargs ? 1 : argc));
  for (let i = 0; i < p; i++) params[i] = prefix[i];
  const vals = varargs ? new Array<unknown>(argc) : params;
  const base = varargs ? 0 : p;
  if (varargs) params[p] = vals;
  const f = fn.fn;
  const nonnull = fn.nonnull;
  for (let k = 0; k < rows; k++) {
    let anyNull = false;
    for (let i = 0; i < argc; i++) {
      const v = readers[i]!(k);
      if (v === null) anyNull = true;
      vals[base + i] = v;
    }
    if (nonnull && anyNull) {
      out.appendNull();
      continue;
    }
    const r = f.apply(undefined, params);
    if (r === null || r === undefined) out.appendNull();
    else (out as { append(v: unknown): void }).append(r);
  }
  return out.finish();
}

/** The eval type a function declares for argument `i` (undefined for `anyArgs`). */
function declaredType(fn: RpnFnMeta, i: number): EvalType | undefined {
  const args = fn.args;
  if (Array.isArray(args)) return (args as readonly EvalType[])[i];
  if ("varargs" in args) return args.varargs;
  return undefined;
}

const utf8 = new TextEncoder();

/**
 * An ENUM or SET argument where a function declares Int, Real, Decimal or Bytes (TiKV accepts an
 * ENUM there: `validate_expr_return_type`) is read in that context, as MySQL does: its number (the
 * member index, the SET bitmask) in a numeric one, its text (the member name, the names joined by
 * commas) in a string one.
 */
function convertingReader(read: Reader, a: EvalResult, want: EvalType | undefined): Reader {
  const have = a.kind === "scalar" ? a.evalType : a.column.evalType;
  if (want === undefined || have === want || (have !== EvalType.Enum && have !== EvalType.Set)) return read;
  const toNumber =
    have === EvalType.Enum
      ? (v: unknown) => (v as { value: number }).value
      : (v: unknown) => (v as { lo: number; hi: number }).hi * 4_294_967_296 + (v as { lo: number }).lo;
  switch (want) {
    case EvalType.Int:
      return (k) => {
        const v = read(k);
        return v === null ? null : BigInt(toNumber(v));
      };
    case EvalType.Real:
      return (k) => {
        const v = read(k);
        return v === null ? null : toNumber(v);
      };
    case EvalType.Decimal:
      return (k) => {
        const v = read(k);
        return v === null ? null : DecimalValue.fromI64(toNumber(v));
      };
    case EvalType.Bytes:
      return (k) => {
        const v = read(k);
        return v === null ? null : utf8.encode(String(v));
      };
    default:
      return read;
  }
}

/** A per-row reader of an argument, in the representation functions receive. */
export function readerOf(a: EvalResult): Reader {
  if (a.kind === "scalar") {
    const v = a.value;
    return () => v;
  }
  const c = a.column;
  const rows = a.rows;
  const at = rows === null ? (k: number) => k : (k: number) => rows[k]!;
  switch (c.evalType) {
    case EvalType.Int: {
      const d = c.data;
      if (d.repr === "f64") {
        const values = d.values;
        return (k) => {
          const r = at(k);
          return c.isNull(r) ? null : BigInt(values[r]!);
        };
      }
      const values = c.unsigned ? d.unsignedValues : d.values;
      return (k) => {
        const r = at(k);
        return c.isNull(r) ? null : values[r]!;
      };
    }
    case EvalType.Real: {
      const values = c.values;
      return (k) => {
        const r = at(k);
        return c.isNull(r) ? null : values[r]!;
      };
    }
    case EvalType.Bytes:
    case EvalType.Json: {
      const data = c.data;
      const o = c.offsets;
      return (k) => {
        const r = at(k);
        return c.isNull(r) ? null : data.subarray(o[r]!, o[r + 1]!);
      };
    }
    default:
      return (k) => c.get(at(k));
  }
}

/**
 * MySQL truthiness of a value (TiKV `AsMySQLBool`): what WHERE keeps. Int, Real, Duration, Enum
 * and Set are true when non-zero, Decimal and DateTime when not zero, Bytes when its leading
 * number is non-zero (as a string converted to DOUBLE, with a truncation warning for trailing
 * text).
 */
export function asMysqlBool(ctx: EvalContext, evalType: EvalType, value: unknown): boolean {
  switch (evalType) {
    case EvalType.Int:
      return (value as bigint) !== 0n && value !== 0;
    case EvalType.Real:
      return (value as number) !== 0;
    case EvalType.Decimal:
      return !(value as Decimal).isZero();
    case EvalType.DateTime:
      return !(value as { isZero(): boolean }).isZero();
    case EvalType.Duration:
      return (value as { nanos: number }).nanos !== 0;
    case EvalType.Enum:
      return (value as { value: number }).value !== 0;
    case EvalType.Set:
      return (value as { lo: number; hi: number }).lo !== 0 || (value as { lo: number; hi: number }).hi !== 0;
    case EvalType.Bytes:
      return bytesAsReal(ctx, value as Uint8Array) !== 0;
    default:
      throw new UnsupportedError(`a ${evalType} value cannot be used as a condition`);
  }
}

const NUMBER_PREFIX = /^[ \t\n\r\f\v]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;

const utf8Decoder = new TextDecoder();

function bytesAsReal(ctx: EvalContext, b: Uint8Array): number {
  if (b.length === 0) return 0;
  const s = utf8Decoder.decode(b);
  const m = NUMBER_PREFIX.exec(s);
  if (m === null || m[0].length !== s.trimEnd().length) ctx.handleTruncate(true);
  return m === null ? 0 : Number.parseFloat(m[0]);
}

/**
 * Evaluates conditions as a WHERE clause (TiKV's selection): the logical rows of `input` for which
 * every condition is true, in order. NULL is not true. `narrowInPlace`: the caller owns
 * `input.logicalRows` (an array an earlier call returned), which may then be overwritten with the
 * result instead of a new array being allocated (logical rows are otherwise never written).
 */
export function evalFilter(
  conditions: readonly RpnExpression[],
  ctx: EvalContext,
  input: EvalInput,
  narrowInPlace = false,
): LogicalRows {
  let live: LogicalRows = input.logicalRows;
  // Where kept rows go: a row is written at or before the position it is read from, so the
  // rows of the previous condition (or the caller's own array) can be narrowed in place.
  let target: Uint32Array | null = narrowInPlace ? live : null;
  for (const cond of conditions) {
    const n = logicalRowCount(live, physicalRowsOf(input));
    if (target === null || target.length < n) target = new Uint32Array(n);
    const direct = filterDirect(cond, ctx, input, live, n, target);
    if (direct >= 0) {
      if (direct === n) continue;
      live = target.subarray(0, direct);
      continue;
    }
    const r = evalRpn(cond, ctx, { ...input, logicalRows: live });
    if (r.kind === "scalar") {
      if (r.value === null || !asMysqlBool(ctx, r.evalType, r.value)) return new Uint32Array(0);
      continue;
    }
    const kept = target;
    let m = 0;
    const c = r.column;
    if (c.evalType === EvalType.Int && c.data.repr === "f64" && r.rows === null) {
      // The common case (a comparison's result): one pass over the doubles and the validity bits.
      const v = c.data.values;
      const valid = c.validity;
      if (valid === null) {
        // Written without a data-dependent branch (a filter keeping about half the rows would
        // mispredict often): every row is written, the count advances only for the kept ones.
        if (live === null) {
          for (let k = 0; k < n; k++) {
            kept[m] = k;
            m += +(v[k] !== 0);
          }
        } else {
          for (let k = 0; k < n; k++) {
            kept[m] = live[k]!;
            m += +(v[k] !== 0);
          }
        }
      } else {
        for (let k = 0; k < n; k++) {
          if (v[k] !== 0 && (valid[k >>> 3]! & (1 << (k & 7))) !== 0)
            kept[m++] = live === null ? k : live[k]!;
        }
      }
    } else {
      const read = readerOf(r);
      const et = c.evalType;
      for (let k = 0; k < n; k++) {
        const v = read(k);
        if (v !== null && asMysqlBool(ctx, et, v)) kept[m++] = live === null ? k : live[k]!;
      }
    }
    if (m === n) continue;
    live = kept.subarray(0, m);
  }
  return live;
}

/**
 * A condition that is one call with a filter form on columns and constants (e.g. `col >= const`),
 * run through that form: the number of rows written to `kept` (which may be `live` itself), or -1
 * when it does not apply (the condition is then evaluated as a column).
 */
function filterDirect(
  cond: RpnExpression,
  ctx: EvalContext,
  input: EvalInput,
  live: LogicalRows,
  n: number,
  kept: Uint32Array,
): number {
  const nodes = cond.nodes;
  const call = nodes[nodes.length - 1]!;
  if (call.kind !== "call" || call.fn.filter === undefined || call.argCount !== nodes.length - 1) return -1;
  const args: VectorArg[] = [];
  let anyColumn = false;
  for (let i = 0; i < call.argCount; i++) {
    const node = nodes[i]!;
    if (node.kind === "constant") {
      args.push({ fieldType: node.fieldType, scalar: node.value, column: undefined, rows: null });
    } else if (node.kind === "column") {
      const column = input.columns[node.offset];
      const fieldType = input.schema[node.offset];
      if (column === undefined || fieldType === undefined) return -1; // evalRpn names the error
      args.push({ fieldType, scalar: undefined, column, rows: live });
      anyColumn = true;
    } else {
      return -1;
    }
  }
  if (!anyColumn) return -1;
  return call.fn.filter(
    { ctx, args, rows: n, fieldType: call.fieldType, metadata: call.metadata },
    kept,
    live,
  );
}
