// Shared pieces of the aggregate states: the default update loops (TiKV lib.rs implements
// `update_repeat` and `update_vector` on top of `update` the same way), reading columns as
// numbers without a value object per row, and the result field types TiKV builds.
import {
  assert,
  ChunkedVecIntBuilder,
  type Column,
  type ColumnBuilder,
  type EvalContext,
  EvalType,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  type LogicalRows,
} from "@copr/datatype";
import type { AggrFunctionState } from "./interface.js";

/** The number of logical rows of `column` seen through `rows`. */
export function logicalCount(column: Column, rows: LogicalRows): number {
  return rows === null ? column.length : rows.length;
}

/**
 * A state written as `update` of one value plus `push`; the repeated, per-row and vector forms
 * default to loops over `update` (reading each row with `column.get`, which allocates for some
 * types). Hot states override them.
 */
export abstract class StateBase implements AggrFunctionState {
  abstract update(ctx: EvalContext, value: unknown): void;
  abstract pushResult(ctx: EvalContext, target: readonly ColumnBuilder[]): void;

  updateRepeat(ctx: EvalContext, value: unknown, times: number): void {
    for (let i = 0; i < times; i++) this.update(ctx, value);
  }

  updateRow(ctx: EvalContext, column: Column, row: number): void {
    this.update(ctx, column.get(row));
  }

  updateVector(ctx: EvalContext, column: Column, rows: LogicalRows): void {
    const n = logicalCount(column, rows);
    for (let k = 0; k < n; k++) this.updateRow(ctx, column, rows === null ? k : rows[k]!);
  }
}

/** TiKV builds `LongLong UNSIGNED` for the count column of COUNT, AVG and VARIANCE. */
export function countFieldType(): FieldType {
  return fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned });
}

/** The DOUBLE TiKV casts other arguments of SUM/AVG/VARIANCE to (`MAX_REAL_WIDTH`, unspecified decimal). */
export const SUM_REAL_FIELD_TYPE: FieldType = Object.freeze(
  fieldType(FieldTypeTp.Double, { flen: 23, decimal: -1 }),
);

/** The BIGINT TiKV casts a non-integer argument of BIT_AND/BIT_OR/BIT_XOR to. */
export const BIT_OP_INT_FIELD_TYPE: FieldType = Object.freeze(
  fieldType(FieldTypeTp.LongLong, { flen: 0, decimal: 0 }),
);

const TWO_32 = 4_294_967_296;

/**
 * The rows of a column whose values read as doubles, as one array indexed by physical row: Real
 * values, Int values (an Int column in the `"i64"` representation is converted once per batch,
 * rounding to nearest as Rust's `as f64`), ENUM member indexes, SET masks. NULL rows hold 0.
 */
export function numbersOf(column: Column): ArrayLike<number> {
  switch (column.evalType) {
    case EvalType.Real:
      return column.values;
    case EvalType.Int: {
      const d = column.data;
      if (d.repr === "f64") return d.values;
      const src = column.unsigned ? d.unsignedValues : d.values;
      const out = new Float64Array(src.length);
      for (let i = 0; i < src.length; i++) out[i] = Number(src[i]!);
      return out;
    }
    case EvalType.Enum:
      return column.values;
    case EvalType.Set: {
      const w = column.words;
      const out = new Float64Array(column.length);
      for (let i = 0; i < out.length; i++) out[i] = w[2 * i]! + w[2 * i + 1]! * TWO_32;
      return out;
    }
    default:
      assert(false, `a ${column.evalType} column does not read as numbers`);
  }
}

/** One value (as {@link AggrFunctionState.update} receives it) as a double, like {@link numbersOf}. */
export function numberOf(evalType: EvalType, value: unknown): number {
  switch (evalType) {
    case EvalType.Real:
      return value as number;
    case EvalType.Int:
      return Number(value as bigint | number);
    case EvalType.Enum:
      return (value as { value: number }).value;
    case EvalType.Set: {
      const s = value as { lo: number; hi: number };
      return s.lo + s.hi * TWO_32;
    }
    default:
      assert(false, `a ${evalType} value does not read as a number`);
  }
}

/**
 * Appends the integer `v` to an Int builder as TiKV pushes an `i64`: its low 64 bits, read as the
 * builder's own signedness decides (so 2^64 − 1 and −1 are the same push).
 */
export function appendIntBits(builder: ColumnBuilder, v: bigint | number): void {
  assert(builder instanceof ChunkedVecIntBuilder, "an Int result column");
  if (typeof v === "number") {
    assert(Number.isSafeInteger(v), "a safe integer");
    if (v >= 0 || !builder.unsigned) {
      builder.append(v);
      return;
    }
    v = BigInt(v);
  }
  const bits = BigInt.asUintN(64, v);
  const sql = builder.unsigned ? bits : BigInt.asIntN(64, bits);
  if (sql >= -9_007_199_254_740_991n && sql <= 9_007_199_254_740_991n) builder.append(Number(sql));
  else builder.append(sql);
}

/** Appends any value of the builder's eval type (or NULL). */
export function appendValue(builder: ColumnBuilder, value: unknown): void {
  if (value === null || value === undefined) builder.appendNull();
  else (builder as { append(v: unknown): void }).append(value);
}

/** A copy of a byte view, so that a state does not keep a batch's buffer alive. */
export function copyBytes(v: Uint8Array): Uint8Array {
  return v.slice();
}
