// Integer + - * with TiKV's overflow rules (components/tidb_query_expr/src/impl_arithmetic.rs:
// IntIntPlus, IntUintPlus, …). The generic sigs (PlusInt, MinusInt, MultiplyInt) pick the
// signed/unsigned variant from the arguments' UNSIGNED flags, as TiKV's `map_int_sig`; the
// specific sigs name it. Error messages print the operands as TiKV does: as i64.
import { ChunkedVecInt, EvalError, EvalType } from "@copr/datatype";
import { tipb } from "@copr/proto";
import { rpnFn, rpnVectorFn, type VectorCall } from "../registry.js";
import { argsUnsigned, asI64, asU64, I64_MAX, I64_MIN, U64_MAX } from "./int-ops.js";

const S = tipb.ScalarFuncSig;
const { Int } = EvalType;

type Variant = "ii" | "iu" | "ui" | "uu";
const variantOf = ([l, r]: [boolean, boolean]): Variant => (l ? (r ? "uu" : "ui") : r ? "iu" : "ii");

function overflow(unsigned: boolean, a: bigint, op: string, b: bigint): EvalError {
  return EvalError.overflow(unsigned ? "BIGINT UNSIGNED" : "BIGINT", `(${asI64(a)} ${op} ${asI64(b)})`);
}

/** `lhs + rhs` for one signed/unsigned variant; the result as its SQL value. */
export function plusInt(v: Variant, lhs: bigint, rhs: bigint): bigint {
  const a = asI64(lhs);
  const b = asI64(rhs);
  switch (v) {
    case "ii": {
      const r = a + b;
      if (r < I64_MIN || r > I64_MAX) throw overflow(false, a, "+", b);
      return r;
    }
    case "iu":
    case "ui": {
      const [s, u] = v === "iu" ? [a, asU64(b)] : [b, asU64(a)];
      const r = s >= 0n ? s + u : u - -s;
      if (r < 0n || r > U64_MAX) throw overflow(true, a, "+", b);
      return r;
    }
    case "uu": {
      const r = asU64(a) + asU64(b);
      if (r > U64_MAX) throw overflow(true, a, "+", b);
      return r;
    }
  }
}

/** `lhs - rhs` for one variant (TiKV reports IntUint/UintInt overflow as BIGINT, not UNSIGNED). */
export function minusInt(v: Variant, lhs: bigint, rhs: bigint): bigint {
  const a = asI64(lhs);
  const b = asI64(rhs);
  switch (v) {
    case "ii": {
      const r = a - b;
      if (r < I64_MIN || r > I64_MAX) throw overflow(false, a, "-", b);
      return r;
    }
    case "iu": {
      if (a < 0n) throw overflow(false, a, "-", b);
      const r = a - asU64(b);
      if (r < 0n) throw overflow(false, a, "-", b);
      return r;
    }
    case "ui": {
      const r = b >= 0n ? asU64(a) - b : asU64(a) + -b;
      if (r < 0n || r > U64_MAX) throw overflow(false, a, "-", b);
      return r;
    }
    case "uu": {
      const r = asU64(a) - asU64(b);
      if (r < 0n) throw overflow(true, a, "-", b);
      return r;
    }
  }
}

/** `lhs * rhs` for one variant. */
export function multiplyInt(v: Variant, lhs: bigint, rhs: bigint): bigint {
  const a = asI64(lhs);
  const b = asI64(rhs);
  switch (v) {
    case "ii": {
      const r = a * b;
      if (r < I64_MIN || r > I64_MAX) throw overflow(false, a, "*", b);
      return r;
    }
    case "iu":
    case "ui": {
      const [s, u] = v === "iu" ? [a, asU64(b)] : [b, asU64(a)];
      if (s < 0n) throw overflow(true, a, "*", b);
      const r = s * u;
      if (r > U64_MAX) throw overflow(true, a, "*", b);
      return r;
    }
    case "uu": {
      const r = asU64(a) * asU64(b);
      if (r > U64_MAX) throw overflow(true, a, "*", b);
      return r;
    }
  }
}

const TWO_53 = 2 ** 53;

/**
 * The vectorized path of signed + and -: both arguments Int columns (or constants) held as exact
 * doubles, every result inside ±2^53 — then one tight loop over Float64Arrays with no bigint. Any
 * other case (unsigned, wide values, a result that might overflow) returns null and the exact
 * scalar function runs.
 */
function addSubVector(call: VectorCall<Variant>, sign: 1 | -1): ChunkedVecInt | null {
  if (call.metadata !== "ii") return null;
  const n = call.rows;
  const [l, r] = call.args;
  const lv = numbersOf(l!, n);
  const rv = numbersOf(r!, n);
  if (lv === null || rv === null) return null;
  const out = new Float64Array(n);
  let validity: Uint8Array | null = null;
  let nulls = 0;
  for (let k = 0; k < n; k++) {
    const x = lv.values[k]!;
    const y = rv.values[k]!;
    const z = x + sign * y;
    // |x|, |y| < 2^53, so the double sum is exact whenever it stays below 2^53 in magnitude.
    if (z >= TWO_53 || z <= -TWO_53) return null;
    out[k] = z;
  }
  if (lv.nulls !== null || rv.nulls !== null) {
    validity = new Uint8Array((n + 7) >>> 3);
    for (let k = 0; k < n; k++) {
      const isNull = (lv.nulls !== null && lv.nulls[k] === 1) || (rv.nulls !== null && rv.nulls[k] === 1);
      if (isNull) {
        out[k] = 0;
        nulls++;
      } else validity[k >>> 3]! |= 1 << (k & 7);
    }
  }
  return new ChunkedVecInt({ repr: "f64", values: out }, false, nulls > 0 ? validity : null, nulls);
}

/** The argument's values per logical row as doubles, or null if it is not an f64-held Int. */
function numbersOf(
  a: VectorCall["args"][number],
  n: number,
): { values: Float64Array; nulls: Uint8Array | null } | null {
  if (a.column === undefined) {
    if (a.scalar === null) return { values: new Float64Array(n), nulls: new Uint8Array(n).fill(1) };
    const v = a.scalar as bigint;
    if (v >= BigInt(TWO_53) || v <= -BigInt(TWO_53)) return null;
    return { values: new Float64Array(n).fill(Number(v)), nulls: null };
  }
  const c = a.column;
  if (!(c instanceof ChunkedVecInt) || c.data.repr !== "f64") return null;
  const src = c.data.values;
  const rows = a.rows;
  const values = rows === null ? src.subarray(0, n) : new Float64Array(n);
  if (rows !== null) for (let k = 0; k < n; k++) values[k] = src[rows[k]!]!;
  let nulls: Uint8Array | null = null;
  if (c.nullCount > 0) {
    nulls = new Uint8Array(n);
    for (let k = 0; k < n; k++) if (c.isNull(rows === null ? k : rows[k]!)) nulls[k] = 1;
  }
  return { values, nulls };
}

/** Integer arithmetic functions. */
export class IntArithmetic {
  @rpnFn({
    sig: S.PlusInt,
    args: [Int, Int],
    ret: Int,
    nonnull: true,
    metadata: (e) => variantOf(argsUnsigned(e)),
  })
  static plusInt(v: Variant, lhs: bigint, rhs: bigint): bigint {
    return plusInt(v, lhs, rhs);
  }

  @rpnVectorFn(S.PlusInt)
  static plusIntVector(call: VectorCall<Variant>): ChunkedVecInt | null {
    return addSubVector(call, 1);
  }

  @rpnFn({ sig: S.PlusIntSignedSigned, args: [Int, Int], ret: Int, nonnull: true })
  static plusIntSignedSigned(lhs: bigint, rhs: bigint): bigint {
    return plusInt("ii", lhs, rhs);
  }

  @rpnFn({ sig: S.PlusIntSignedUnsigned, args: [Int, Int], ret: Int, nonnull: true })
  static plusIntSignedUnsigned(lhs: bigint, rhs: bigint): bigint {
    return plusInt("iu", lhs, rhs);
  }

  @rpnFn({ sig: S.PlusIntUnsignedSigned, args: [Int, Int], ret: Int, nonnull: true })
  static plusIntUnsignedSigned(lhs: bigint, rhs: bigint): bigint {
    return plusInt("ui", lhs, rhs);
  }

  @rpnFn({ sig: S.PlusIntUnsignedUnsigned, args: [Int, Int], ret: Int, nonnull: true })
  static plusIntUnsignedUnsigned(lhs: bigint, rhs: bigint): bigint {
    return plusInt("uu", lhs, rhs);
  }

  @rpnFn({
    sig: S.MinusInt,
    args: [Int, Int],
    ret: Int,
    nonnull: true,
    metadata: (e) => variantOf(argsUnsigned(e)),
  })
  static minusInt(v: Variant, lhs: bigint, rhs: bigint): bigint {
    return minusInt(v, lhs, rhs);
  }

  @rpnVectorFn(S.MinusInt)
  static minusIntVector(call: VectorCall<Variant>): ChunkedVecInt | null {
    return addSubVector(call, -1);
  }

  @rpnFn({
    sig: S.MultiplyInt,
    args: [Int, Int],
    ret: Int,
    nonnull: true,
    metadata: (e) => variantOf(argsUnsigned(e)),
  })
  static multiplyInt(v: Variant, lhs: bigint, rhs: bigint): bigint {
    return multiplyInt(v, lhs, rhs);
  }

  @rpnFn({ sig: S.MultiplyIntUnsigned, args: [Int, Int], ret: Int, nonnull: true })
  static multiplyIntUnsigned(lhs: bigint, rhs: bigint): bigint {
    return multiplyInt("uu", lhs, rhs);
  }
}
