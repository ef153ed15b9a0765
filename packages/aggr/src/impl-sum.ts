// SUM(expr) and the shared accumulators of AVG(expr). Behaviour of TiKV
// components/tidb_query_aggr/src/impl_sum.rs and impl_avg.rs: SUM over DECIMAL is DECIMAL, SUM over
// DOUBLE is DOUBLE, NULL values are skipped and an empty group sums to NULL. AVG keeps the same sum
// plus the count of values and returns both (count first), so that TiDB can merge partial results.
//
// TiKV casts the argument first (util.rs `rewrite_exp_for_sum_avg`): integers to DECIMAL, BIT,
// ENUM and everything else to DOUBLE. Casting an integer or an ENUM member index is exact and
// needs no context, so these states take such columns as they are and convert while adding —
// integers are summed exactly in a double while the sum stays below 2^53 and in a bigint beyond,
// and turned into one DECIMAL at the end — instead of building a DECIMAL per row.
import {
  assert,
  ChunkedVecDecimal,
  type Column,
  type ColumnBuilder,
  DECIMAL_CHUNK_WORDS,
  Decimal,
  type EvalContext,
  EvalError,
  EvalType,
  type LogicalRows,
} from "@copr/datatype";
import type { AggrFunction, AggrFunctionState } from "./interface.js";
import { decimalOrThrow } from "./summable.js";
import { appendIntBits, appendValue, logicalCount, numberOf, numbersOf, StateBase } from "./util.js";

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** Which result column(s) a summing state writes: SUM one (the sum), AVG two (count, sum). */
export type SumMode = "sum" | "avg";

abstract class SumStateBase extends StateBase {
  /** Non-NULL values added. */
  count = 0;

  constructor(private readonly mode: SumMode) {
    super();
  }

  /** The sum of the values added (only read when `count > 0`). */
  protected abstract sum(): unknown;

  pushResult(_ctx: EvalContext, target: readonly ColumnBuilder[]): void {
    const value = this.count === 0 ? null : this.sum();
    if (this.mode === "avg") {
      assert(target.length === 2, "AVG pushes two columns");
      appendIntBits(target[0]!, this.count);
      appendValue(target[1]!, value);
    } else {
      appendValue(target[0]!, value);
    }
  }
}

/** Reads physical row `row` of a Real/Int/Enum/Set column as a double (see `numbersOf`). */
function numberAt(column: Column, row: number): number {
  switch (column.evalType) {
    case EvalType.Real:
      return column.values[row]!;
    case EvalType.Int: {
      const d = column.data;
      if (d.repr === "f64") return d.values[row]!;
      return Number(column.unsigned ? d.unsignedValues[row]! : d.values[row]!);
    }
    case EvalType.Enum:
      return column.values[row]!;
    case EvalType.Set:
      return column.words[2 * row]! + column.words[2 * row + 1]! * 4_294_967_296;
    default:
      assert(false, `a ${column.evalType} column does not read as numbers`);
  }
}

/**
 * A DOUBLE sum over a DOUBLE argument, or over an argument TiKV would cast to DOUBLE exactly as a
 * read: BIT (an integer), ENUM (its member index) and SET (its mask). Values are added one by one
 * in row order, as TiKV does, so the result is the same double.
 */
export class RealSumState extends SumStateBase {
  private acc = 0;

  constructor(
    mode: SumMode,
    private readonly argType: EvalType,
  ) {
    super(mode);
  }

  protected sum(): number {
    return this.acc;
  }

  update(_ctx: EvalContext, value: unknown): void {
    if (value === null) return;
    this.acc += numberOf(this.argType, value);
    this.count++;
  }

  override updateRow(_ctx: EvalContext, column: Column, row: number): void {
    if (column.isNull(row)) return;
    this.acc += numberAt(column, row);
    this.count++;
  }

  override updateVector(_ctx: EvalContext, column: Column, rows: LogicalRows): void {
    const n = logicalCount(column, rows);
    if (n === 0) return;
    const values = numbersOf(column);
    let acc = this.acc;
    let count = 0;
    if (column.nullCount === 0) {
      if (rows === null) for (let k = 0; k < n; k++) acc += values[k]!;
      else for (let k = 0; k < n; k++) acc += values[rows[k]!]!;
      count = n;
    } else {
      for (let k = 0; k < n; k++) {
        const r = rows === null ? k : rows[k]!;
        if (column.isNull(r)) continue;
        acc += values[r]!;
        count++;
      }
    }
    this.acc = acc;
    this.count += count;
  }
}

/**
 * A DECIMAL sum over a DECIMAL argument. A batch whose values are small enough (scaled to their
 * largest fraction they fit a double exactly, and so does their running sum) is added as one
 * scaled integer; otherwise each value is added as a DECIMAL. Both give the same value, fraction
 * digits and display fraction as adding the values one by one.
 */
export class DecimalSumState extends SumStateBase {
  private acc: Decimal = Decimal.ZERO;

  protected sum(): Decimal {
    return this.acc;
  }

  update(_ctx: EvalContext, value: unknown): void {
    if (value === null) return;
    this.acc = decimalOrThrow(this.acc.add(value as Decimal));
    this.count++;
  }

  override updateVector(ctx: EvalContext, column: Column, rows: LogicalRows): void {
    assert(column instanceof ChunkedVecDecimal, "a Decimal column");
    const fast = scaledSum(column, rows);
    if (fast === null) {
      super.updateVector(ctx, column, rows);
      return;
    }
    if (fast.count === 0) return;
    this.acc = decimalOrThrow(this.acc.add(Decimal.fromScaledNumber(fast.scaled, fast.frac)));
    this.count += fast.count;
  }
}

/**
 * The sum of the logical rows of a DECIMAL column as `scaled / 10^frac`, where `frac` is the largest
 * fraction among the non-NULL values; null when a value or a running sum does not fit a double
 * exactly, or when a value shows fewer fraction digits than it has (its `resultFracCnt`
 * differs), which the scaled form could not reproduce.
 */
function scaledSum(
  column: ChunkedVecDecimal,
  rows: LogicalRows,
): { scaled: number; frac: number; count: number } | null {
  const n = logicalCount(column, rows);
  const hasNulls = column.nullCount > 0;
  if (column.scaled !== null) return sumScaled(column, column.scaled.values, column.scaled.scale, rows, n);
  const words = column.words;
  let frac = 0;
  let resultFrac = 0;
  let count = 0;
  for (let k = 0; k < n; k++) {
    const r = rows === null ? k : rows[k]!;
    if (hasNulls && column.isNull(r)) continue;
    const head = words[r * DECIMAL_CHUNK_WORDS]!;
    const f = (head >>> 8) & 0xff;
    const rf = (head >>> 16) & 0xff;
    if (f > frac) frac = f;
    if (rf > resultFrac) resultFrac = rf;
    count++;
  }
  if (count === 0) return { scaled: 0, frac: 0, count: 0 };
  if (resultFrac !== frac || frac > 30) return null;
  const scaled = column.scaledNumbers(frac);
  if (scaled === null) return null;
  return sumScaled(column, scaled, frac, rows, n);
}

/** The sum and count of the non-NULL logical rows of `values` (scale `frac`); null past 2^53 - 1. */
function sumScaled(
  column: ChunkedVecDecimal,
  values: Float64Array,
  frac: number,
  rows: LogicalRows,
  n: number,
): { scaled: number; frac: number; count: number } | null {
  const hasNulls = column.nullCount > 0;
  let acc = 0;
  let count = 0;
  for (let k = 0; k < n; k++) {
    const r = rows === null ? k : rows[k]!;
    if (hasNulls && column.isNull(r)) continue;
    acc += values[r]!;
    count++;
    if (acc > MAX_SAFE || acc < -MAX_SAFE) return null;
  }
  if (count === 0) return { scaled: 0, frac: 0, count: 0 };
  return { scaled: acc, frac, count };
}

/**
 * Exact running sum of integers: a double while it stays a safe integer, plus a bigint for what
 * overflowed it. Adding never rounds.
 */
class ExactIntSum {
  small = 0;
  wide = 0n;

  addNumber(v: number): void {
    const s = this.small + v;
    if (s <= MAX_SAFE && s >= -MAX_SAFE) {
      this.small = s;
    } else {
      this.wide += BigInt(this.small) + BigInt(v);
      this.small = 0;
    }
  }

  addBig(v: bigint): void {
    this.wide += v;
  }

  total(): bigint {
    return this.wide + BigInt(this.small);
  }

  /** The sum as a DECIMAL with no fraction digits (TiKV: `Decimal::from(i64)` values added). */
  toDecimal(): Decimal {
    if (this.wide === 0n) return Decimal.fromI64(this.small);
    const t = this.total();
    return t >= I64_MIN && t <= I64_MAX ? Decimal.fromI64(t) : Decimal.fromString(t.toString());
  }

  /** Adds the logical rows of an Int column; returns how many were not NULL. */
  addColumn(column: Column, rows: LogicalRows): number {
    assert(column.evalType === EvalType.Int, "an Int column");
    const n = logicalCount(column, rows);
    const d = column.data;
    const hasNulls = column.nullCount > 0;
    let count = 0;
    if (d.repr === "f64") {
      const values = d.values;
      for (let k = 0; k < n; k++) {
        const r = rows === null ? k : rows[k]!;
        if (hasNulls && column.isNull(r)) continue;
        this.addNumber(values[r]!);
        count++;
      }
    } else {
      const values = column.unsigned ? d.unsignedValues : d.values;
      let acc = 0n;
      for (let k = 0; k < n; k++) {
        const r = rows === null ? k : rows[k]!;
        if (hasNulls && column.isNull(r)) continue;
        acc += values[r]!;
        count++;
      }
      this.wide += acc;
    }
    return count;
  }
}

/**
 * A DECIMAL sum over an integer argument (TiKV: the argument cast to DECIMAL(65, 0), which is
 * exact, then summed as DECIMAL). Summed exactly as integers; the DECIMAL is built when pushed.
 */
export class IntDecimalSumState extends SumStateBase {
  private readonly acc = new ExactIntSum();

  protected sum(): Decimal {
    return this.acc.toDecimal();
  }

  update(_ctx: EvalContext, value: unknown): void {
    if (value === null) return;
    if (typeof value === "number") this.acc.addNumber(value);
    else this.acc.addBig(value as bigint);
    this.count++;
  }

  override updateRepeat(_ctx: EvalContext, value: unknown, times: number): void {
    if (value === null || times === 0) return;
    this.acc.addBig(BigInt(value as bigint | number) * BigInt(times));
    this.count += times;
  }

  override updateRow(_ctx: EvalContext, column: Column, row: number): void {
    if (column.isNull(row)) return;
    assert(column.evalType === EvalType.Int, "an Int column");
    const d = column.data;
    if (d.repr === "f64") this.acc.addNumber(d.values[row]!);
    else this.acc.addBig(column.unsigned ? d.unsignedValues[row]! : d.values[row]!);
    this.count++;
  }

  override updateVector(_ctx: EvalContext, column: Column, rows: LogicalRows): void {
    this.count += this.acc.addColumn(column, rows);
  }
}

/** How a summing aggregate reads its argument and what its sum is. */
export type SumAccumulator =
  /** DECIMAL argument, DECIMAL sum. */
  | "Decimal"
  /** Integer argument (not BIT), DECIMAL sum. */
  | "IntAsDecimal"
  /** DOUBLE, BIT, ENUM or SET argument (`argType`), DOUBLE sum. */
  | "Real";

export function createSumState(mode: SumMode, acc: SumAccumulator, argType: EvalType): AggrFunctionState {
  switch (acc) {
    case "Decimal":
      return new DecimalSumState(mode);
    case "IntAsDecimal":
      return new IntDecimalSumState(mode);
    case "Real":
      return new RealSumState(mode, argType);
  }
}

/** The SUM aggregate function: one column, the sum (NULL for no values). */
export class AggrFnSum implements AggrFunction {
  readonly name: string;

  constructor(
    readonly accumulator: SumAccumulator,
    readonly argType: EvalType,
  ) {
    this.name = `AggrFnSum<${accumulator === "Real" ? "Real" : "Decimal"}>`;
  }

  createState(): AggrFunctionState {
    return createSumState("sum", this.accumulator, this.argType);
  }
}

/**
 * SUM over a BIGINT (TiKV impl_sum_int.rs, ExprType SumInt): the sum stays a BIGINT, signed or
 * unsigned like its argument, and leaving that range is error 1690 naming the two operands.
 */
export class AggrFnSumInt implements AggrFunction {
  readonly name: string;

  constructor(readonly unsigned: boolean) {
    this.name = unsigned ? "AggrFnSumIntUnsigned" : "AggrFnSumIntSigned";
  }

  createState(): AggrFunctionState {
    return new SumIntState(this.unsigned);
  }
}

const U64_MAX = (1n << 64n) - 1n;

/** The state of SUM_INT: a double while the sum is a safe integer, a bigint beyond. */
export class SumIntState extends StateBase {
  private hasValue = false;
  private small = 0;
  private wide: bigint | null = null;

  constructor(private readonly unsigned: boolean) {
    super();
  }

  private addBig(v: bigint): void {
    if (!this.hasValue) {
      this.hasValue = true;
      this.wide = v;
      return;
    }
    const cur = this.wide ?? BigInt(this.small);
    const s = cur + v;
    const [lo, hi] = this.unsigned ? [0n, U64_MAX] : [I64_MIN, I64_MAX];
    if (s < lo || s > hi) {
      throw overflowError(this.unsigned, cur, v);
    }
    this.wide = s;
  }

  private addNumber(v: number): void {
    if (this.wide !== null) {
      this.addBig(BigInt(v));
      return;
    }
    const s = this.small + v;
    if (s <= MAX_SAFE && s >= -MAX_SAFE) {
      this.small = s;
      this.hasValue = true;
    } else {
      this.wide = BigInt(this.small);
      this.addBig(BigInt(v));
    }
  }

  update(_ctx: EvalContext, value: unknown): void {
    if (value === null) return;
    if (typeof value === "number") this.addNumber(value);
    else this.addBig(value as bigint);
  }

  override updateRow(_ctx: EvalContext, column: Column, row: number): void {
    if (column.isNull(row)) return;
    assert(column.evalType === EvalType.Int, "an Int column");
    const d = column.data;
    if (d.repr === "f64") this.addNumber(d.values[row]!);
    else this.addBig(column.unsigned ? d.unsignedValues[row]! : d.values[row]!);
  }

  pushResult(_ctx: EvalContext, target: readonly ColumnBuilder[]): void {
    if (!this.hasValue) target[0]!.appendNull();
    else appendIntBits(target[0]!, this.wide ?? this.small);
  }
}

function overflowError(unsigned: boolean, cur: bigint, v: bigint): EvalError {
  return EvalError.overflow(unsigned ? "BIGINT UNSIGNED" : "BIGINT", `(${cur} + ${v})`);
}
