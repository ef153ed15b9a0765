// Control flow: IF, IFNULL, CASE WHEN (TiKV components/tidb_query_expr/src/impl_control.rs), and
// the IS TRUE / IS FALSE family (impl_op.rs `int_is_true` … `decimal_is_false`).
//
// IF / IFNULL / CASE WHEN see NULLs: a NULL condition counts as false, a NULL value is passed
// through. Every branch is evaluated for every row (as in TiKV); the function only picks one.
import type { Decimal } from "@copr/datatype";
import { EvalType, evalTypeOf } from "@copr/datatype";
import { tipb } from "@copr/proto";
import { fieldTypeFromPb } from "../field-type.js";
import { rpnFn } from "../registry.js";

const S = tipb.ScalarFuncSig;
const { Int, Real, Bytes, DateTime, Duration, Json } = EvalType;
const Dec = EvalType.Decimal;

/** A MySQL boolean condition: NULL and 0 are false (TiKV `unwrap_or(0) != 0`). */
const holds = (cond: bigint | null): boolean => cond !== null && cond !== 0n;

/** IFNULL(a, b): `a` unless it is NULL, else `b`. */
function ifNull<T>(a: T | null, b: T | null): T | null {
  return a !== null ? a : b;
}

/** IF(cond, a, b): `a` when `cond` is true (non-NULL and non-zero), else `b`. */
function ifCondition<T>(cond: bigint | null, a: T | null, b: T | null): T | null {
  return holds(cond) ? a : b;
}

/**
 * CASE WHEN c1 THEN v1 [WHEN c2 THEN v2 …] [ELSE e] END over the flat argument list
 * `[c1, v1, c2, v2, …, e?]`: the value after the first true condition, else the ELSE value, else
 * NULL. With no argument at all the result is NULL.
 */
function caseWhen(args: readonly unknown[]): unknown {
  const n = args.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    if (holds(args[i] as bigint | null)) return args[i + 1];
  }
  return i < n ? args[i] : null;
}

/**
 * TiKV's `case_when_validator`: the arguments come in (condition, value) pairs, conditions are Int,
 * values and a trailing ELSE are of the result's eval type.
 */
function caseWhenValidator(valueType: EvalType): (expr: tipb.Expr.$Properties) => void {
  return (expr) => {
    const children = expr.children ?? [];
    children.forEach((child, i) => {
      const isCondition = i % 2 === 0 && i + 1 < children.length;
      const want = isCondition ? Int : valueType;
      if (!child.fieldType) throw new Error(`argument ${i} has no field type`);
      const got = evalTypeOf(fieldTypeFromPb(child.fieldType));
      if (got !== want) {
        const what = isCondition ? "condition" : i % 2 === 1 ? "value" : "ELSE value";
        throw new Error(`expect ${what} argument ${i} to be ${want}, got ${got}`);
      }
    });
  };
}

/** IFNULL for every eval type TiKV maps (lib.rs `IfNull*`). */
export class IfNullFns {
  @rpnFn({ sig: S.IfNullInt, args: [Int, Int], ret: Int })
  static ifNullInt(a: bigint | null, b: bigint | null): bigint | null {
    return ifNull(a, b);
  }

  @rpnFn({ sig: S.IfNullReal, args: [Real, Real], ret: Real })
  static ifNullReal(a: number | null, b: number | null): number | null {
    return ifNull(a, b);
  }

  @rpnFn({ sig: S.IfNullDecimal, args: [Dec, Dec], ret: Dec })
  static ifNullDecimal(a: Decimal | null, b: Decimal | null): Decimal | null {
    return ifNull(a, b);
  }

  @rpnFn({ sig: S.IfNullString, args: [Bytes, Bytes], ret: Bytes })
  static ifNullString(a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
    return ifNull(a, b);
  }

  @rpnFn({ sig: S.IfNullTime, args: [DateTime, DateTime], ret: DateTime })
  static ifNullTime(a: unknown, b: unknown): unknown {
    return ifNull(a, b);
  }

  @rpnFn({ sig: S.IfNullDuration, args: [Duration, Duration], ret: Duration })
  static ifNullDuration(a: unknown, b: unknown): unknown {
    return ifNull(a, b);
  }

  @rpnFn({ sig: S.IfNullJson, args: [Json, Json], ret: Json })
  static ifNullJson(a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
    return ifNull(a, b);
  }
}

/** IF(cond, a, b) for every eval type TiKV maps (lib.rs `If*`). */
export class IfFns {
  @rpnFn({ sig: S.IfInt, args: [Int, Int, Int], ret: Int })
  static ifInt(c: bigint | null, a: bigint | null, b: bigint | null): bigint | null {
    return ifCondition(c, a, b);
  }

  @rpnFn({ sig: S.IfReal, args: [Int, Real, Real], ret: Real })
  static ifReal(c: bigint | null, a: number | null, b: number | null): number | null {
    return ifCondition(c, a, b);
  }

  @rpnFn({ sig: S.IfDecimal, args: [Int, Dec, Dec], ret: Dec })
  static ifDecimal(c: bigint | null, a: Decimal | null, b: Decimal | null): Decimal | null {
    return ifCondition(c, a, b);
  }

  @rpnFn({ sig: S.IfString, args: [Int, Bytes, Bytes], ret: Bytes })
  static ifString(c: bigint | null, a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
    return ifCondition(c, a, b);
  }

  @rpnFn({ sig: S.IfTime, args: [Int, DateTime, DateTime], ret: DateTime })
  static ifTime(c: bigint | null, a: unknown, b: unknown): unknown {
    return ifCondition(c, a, b);
  }

  @rpnFn({ sig: S.IfDuration, args: [Int, Duration, Duration], ret: Duration })
  static ifDuration(c: bigint | null, a: unknown, b: unknown): unknown {
    return ifCondition(c, a, b);
  }

  @rpnFn({ sig: S.IfJson, args: [Int, Json, Json], ret: Json })
  static ifJson(c: bigint | null, a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
    return ifCondition(c, a, b);
  }
}

/** CASE WHEN for every eval type TiKV maps (lib.rs `CaseWhen*`); see {@link caseWhen}. */
export class CaseWhenFns {
  @rpnFn({ sig: S.CaseWhenInt, args: { anyArgs: true }, ret: Int, validator: caseWhenValidator(Int) })
  static caseWhenInt(args: readonly unknown[]): unknown {
    return caseWhen(args);
  }

  @rpnFn({ sig: S.CaseWhenReal, args: { anyArgs: true }, ret: Real, validator: caseWhenValidator(Real) })
  static caseWhenReal(args: readonly unknown[]): unknown {
    return caseWhen(args);
  }

  @rpnFn({ sig: S.CaseWhenDecimal, args: { anyArgs: true }, ret: Dec, validator: caseWhenValidator(Dec) })
  static caseWhenDecimal(args: readonly unknown[]): unknown {
    return caseWhen(args);
  }

  @rpnFn({ sig: S.CaseWhenString, args: { anyArgs: true }, ret: Bytes, validator: caseWhenValidator(Bytes) })
  static caseWhenString(args: readonly unknown[]): unknown {
    return caseWhen(args);
  }

  @rpnFn({
    sig: S.CaseWhenTime,
    args: { anyArgs: true },
    ret: DateTime,
    validator: caseWhenValidator(DateTime),
  })
  static caseWhenTime(args: readonly unknown[]): unknown {
    return caseWhen(args);
  }

  @rpnFn({
    sig: S.CaseWhenDuration,
    args: { anyArgs: true },
    ret: Duration,
    validator: caseWhenValidator(Duration),
  })
  static caseWhenDuration(args: readonly unknown[]): unknown {
    return caseWhen(args);
  }

  @rpnFn({ sig: S.CaseWhenJson, args: { anyArgs: true }, ret: Json, validator: caseWhenValidator(Json) })
  static caseWhenJson(args: readonly unknown[]): unknown {
    return caseWhen(args);
  }
}

const b2i = (b: boolean): bigint => (b ? 1n : 0n);

/**
 * `x IS TRUE` / `x IS FALSE`. The plain sigs never return NULL (a NULL operand gives 0: NULL is
 * neither true nor false); the `WithNull` sigs keep a NULL operand as NULL (TiDB uses them where
 * it rewrote a condition and must not turn NULL into false; TiKV's `KeepNullOn`).
 */
export class IsTrueFalseFns {
  @rpnFn({ sig: S.IntIsTrue, args: [Int], ret: Int })
  static intIsTrue(v: bigint | null): bigint {
    return v === null ? 0n : b2i(v !== 0n);
  }

  @rpnFn({ sig: S.IntIsTrueWithNull, args: [Int], ret: Int, nonnull: true })
  static intIsTrueWithNull(v: bigint): bigint {
    return b2i(v !== 0n);
  }

  @rpnFn({ sig: S.RealIsTrue, args: [Real], ret: Int })
  static realIsTrue(v: number | null): bigint {
    return v === null ? 0n : b2i(v !== 0);
  }

  @rpnFn({ sig: S.RealIsTrueWithNull, args: [Real], ret: Int, nonnull: true })
  static realIsTrueWithNull(v: number): bigint {
    return b2i(v !== 0);
  }

  @rpnFn({ sig: S.DecimalIsTrue, args: [Dec], ret: Int })
  static decimalIsTrue(v: Decimal | null): bigint {
    return v === null ? 0n : b2i(!v.isZero());
  }

  @rpnFn({ sig: S.DecimalIsTrueWithNull, args: [Dec], ret: Int, nonnull: true })
  static decimalIsTrueWithNull(v: Decimal): bigint {
    return b2i(!v.isZero());
  }

  @rpnFn({ sig: S.IntIsFalse, args: [Int], ret: Int })
  static intIsFalse(v: bigint | null): bigint {
    return v === null ? 0n : b2i(v === 0n);
  }

  @rpnFn({ sig: S.IntIsFalseWithNull, args: [Int], ret: Int, nonnull: true })
  static intIsFalseWithNull(v: bigint): bigint {
    return b2i(v === 0n);
  }

  @rpnFn({ sig: S.RealIsFalse, args: [Real], ret: Int })
  static realIsFalse(v: number | null): bigint {
    return v === null ? 0n : b2i(v === 0);
  }

  @rpnFn({ sig: S.RealIsFalseWithNull, args: [Real], ret: Int, nonnull: true })
  static realIsFalseWithNull(v: number): bigint {
    return b2i(v === 0);
  }

  @rpnFn({ sig: S.DecimalIsFalse, args: [Dec], ret: Int })
  static decimalIsFalse(v: Decimal | null): bigint {
    return v === null ? 0n : b2i(v.isZero());
  }

  @rpnFn({ sig: S.DecimalIsFalseWithNull, args: [Dec], ret: Int, nonnull: true })
  static decimalIsFalseWithNull(v: Decimal): bigint {
    return b2i(v.isZero());
  }
}
