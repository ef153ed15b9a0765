// Bit operators &, |, ^, ~, <<, >> (TiKV components/tidb_query_expr/src/impl_op.rs `bit_and` …
// `right_shift`). They work on the 64-bit patterns of their operands, whatever their signedness,
// and produce a 64-bit pattern: TiDB types the result BIGINT UNSIGNED, and the result column reads
// the pattern by the call's own field type. A NULL operand gives NULL.
import { EvalType } from "@copr/datatype";
import { tipb } from "@copr/proto";
import { rpnFn } from "../registry.js";
import { asU64 } from "./int-ops.js";

const S = tipb.ScalarFuncSig;
const { Int } = EvalType;

/** Bitwise functions over 64-bit patterns. */
export class BitFns {
  /** `a & b`. */
  @rpnFn({ sig: S.BitAndSig, args: [Int, Int], ret: Int, nonnull: true })
  static bitAnd(a: bigint, b: bigint): bigint {
    // bigint operators act on infinite two's complement, so the low 64 bits are those of the
    // 64-bit operation whether a value came as a signed or an unsigned SQL value.
    return asU64(a & b);
  }

  /** `a | b`. */
  @rpnFn({ sig: S.BitOrSig, args: [Int, Int], ret: Int, nonnull: true })
  static bitOr(a: bigint, b: bigint): bigint {
    return asU64(a | b);
  }

  /** `a ^ b`. */
  @rpnFn({ sig: S.BitXorSig, args: [Int, Int], ret: Int, nonnull: true })
  static bitXor(a: bigint, b: bigint): bigint {
    return asU64(a ^ b);
  }

  /** `~a`. */
  @rpnFn({ sig: S.BitNegSig, args: [Int], ret: Int, nonnull: true })
  static bitNeg(a: bigint): bigint {
    return asU64(~a);
  }

  /**
   * `a << b` on the u64 pattern of `a`; bits shifted past bit 63 are lost. A shift count of 64 or
   * more, read as u64 (so any negative count too), gives 0.
   */
  @rpnFn({ sig: S.LeftShift, args: [Int, Int], ret: Int, nonnull: true })
  static leftShift(a: bigint, b: bigint): bigint {
    const n = asU64(b);
    return n >= 64n ? 0n : asU64(asU64(a) << n);
  }

  /** `a >> b`: a logical shift of the u64 pattern of `a`; counts of 64 or more (as u64) give 0. */
  @rpnFn({ sig: S.RightShift, args: [Int, Int], ret: Int, nonnull: true })
  static rightShift(a: bigint, b: bigint): bigint {
    const n = asU64(b);
    return n >= 64n ? 0n : asU64(a) >> n;
  }
}
