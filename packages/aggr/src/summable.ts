// Arithmetic of the summing aggregates (SUM, AVG, VARIANCE) over DECIMAL and DOUBLE. Behaviour of
// TiKV components/tidb_query_aggr/src/summable.rs: a DECIMAL result that is truncated or overflows
// is an error (not a warning), DOUBLE arithmetic is plain IEEE arithmetic in the order TiKV does
// it, so results are bit for bit the same.
import {
  DEFAULT_DIV_PRECISION_INCREMENT,
  Decimal,
  type DecimalResult,
  DecimalStatus,
  EvalError,
} from "@copr/datatype";

/** A DECIMAL result as TiKV's `Res` → `Result` conversion reads it: Truncated and Overflow fail. */
export function decimalOrThrow(r: DecimalResult<Decimal>): Decimal {
  switch (r.status) {
    case DecimalStatus.Ok:
      return r.value;
    case DecimalStatus.Overflow:
      throw EvalError.overflow("", "");
    default:
      throw EvalError.truncated();
  }
}

/** The operations VARIANCE needs on its value type (TiKV `Summable`). */
export interface Summable<T> {
  readonly name: string;
  readonly zero: T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  /** `a / b`; TiKV panics on a zero DECIMAL divisor, we throw division by zero (see docs). */
  div(a: T, b: T): T;
  fromCount(n: number): T;
}

/** DECIMAL arithmetic; division keeps TiKV's default 4 extra fractional digits. */
export const DECIMAL_SUMMABLE: Summable<Decimal> = {
  name: "Decimal",
  zero: Decimal.ZERO,
  add: (a, b) => decimalOrThrow(a.add(b)),
  sub: (a, b) => decimalOrThrow(a.sub(b)),
  mul: (a, b) => decimalOrThrow(a.mul(b)),
  div: (a, b) => {
    const r = a.div(b, DEFAULT_DIV_PRECISION_INCREMENT);
    if (r === null) throw EvalError.divisionByZero();
    return decimalOrThrow(r);
  },
  fromCount: (n) => Decimal.fromU64(n),
};

/** DOUBLE arithmetic. */
export const REAL_SUMMABLE: Summable<number> = {
  name: "Real",
  zero: 0,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  fromCount: (n) => n,
};
