// AND, OR, XOR, NOT and IS NULL (TiKV components/tidb_query_expr/src/impl_op.rs).
import { EvalType } from "@copr/datatype";
import { tipb } from "@copr/proto";
import { rpnFn } from "../registry.js";

const S = tipb.ScalarFuncSig;
const { Int, Real, Decimal, Bytes, DateTime, Duration, Json } = EvalType;

/** Logical operators over MySQL booleans (Int: zero is false, anything else true). */
export class Logical {
  /** `a AND b`: false wins over NULL (`0 AND NULL` is 0, `1 AND NULL` is NULL). */
  @rpnFn({ sig: S.LogicalAnd, args: [Int, Int], ret: Int })
  static logicalAnd(a: bigint | null, b: bigint | null): bigint | null {
    if (a === 0n || b === 0n) return 0n;
    if (a === null || b === null) return null;
    return 1n;
  }

  /** `a OR b`: true wins over NULL (`1 OR NULL` is 1, `0 OR NULL` is NULL). */
  @rpnFn({ sig: S.LogicalOr, args: [Int, Int], ret: Int })
  static logicalOr(a: bigint | null, b: bigint | null): bigint | null {
    if ((a !== null && a !== 0n) || (b !== null && b !== 0n)) return 1n;
    if (a === null || b === null) return null;
    return 0n;
  }

  @rpnFn({ sig: S.LogicalXor, args: [Int, Int], ret: Int, nonnull: true })
  static logicalXor(a: bigint, b: bigint): bigint {
    return (a === 0n) !== (b === 0n) ? 1n : 0n;
  }

  @rpnFn({ sig: S.UnaryNotInt, args: [Int], ret: Int, nonnull: true })
  static unaryNotInt(a: bigint): bigint {
    return a === 0n ? 1n : 0n;
  }
}

const isNull = (v: unknown): bigint => (v === null ? 1n : 0n);

/** `x IS NULL` for every eval type TiKV has a sig for. */
export class IsNull {
  @rpnFn({ sig: S.IntIsNull, args: [Int], ret: Int })
  static intIsNull(v: bigint | null): bigint {
    return isNull(v);
  }

  @rpnFn({ sig: S.RealIsNull, args: [Real], ret: Int })
  static realIsNull(v: number | null): bigint {
    return isNull(v);
  }

  @rpnFn({ sig: S.DecimalIsNull, args: [Decimal], ret: Int })
  static decimalIsNull(v: unknown): bigint {
    return isNull(v);
  }

  @rpnFn({ sig: S.StringIsNull, args: [Bytes], ret: Int })
  static stringIsNull(v: Uint8Array | null): bigint {
    return isNull(v);
  }

  @rpnFn({ sig: S.TimeIsNull, args: [DateTime], ret: Int })
  static timeIsNull(v: unknown): bigint {
    return isNull(v);
  }

  @rpnFn({ sig: S.DurationIsNull, args: [Duration], ret: Int })
  static durationIsNull(v: unknown): bigint {
    return isNull(v);
  }

  @rpnFn({ sig: S.JsonIsNull, args: [Json], ret: Int })
  static jsonIsNull(v: Uint8Array | null): bigint {
    return isNull(v);
  }
}
