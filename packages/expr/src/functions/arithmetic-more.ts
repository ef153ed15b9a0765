// The rest of the arithmetic: DOUBLE and DECIMAL + - * / %, integer DIV and MOD, and unary minus.
// Behaviour of TiKV components/tidb_query_expr/src/impl_arithmetic.rs (RealPlus, DecimalDivide,
// IntDivideUint, UintIntMod, int_divide_decimal, …), impl_op.rs (unary_minus_*) and the sig
// mapping of lib.rs (`map_int_sig` with divide_mapper / mod_mapper / divide_decimal_mapper,
// `map_unary_minus_int_func`).
//
// Error texts are TiKV's `format!` output: operands of DOUBLE errors as Rust prints an f64 (no
// exponent), DECIMAL operands as `Decimal`'s Display (rounded to their result fraction), integers
// as TiKV holds them (i64, or u64 where TiKV's helper takes a u64).
//
// Where TiKV would panic (a NaN result from infinite operands: its `Real` is a not-NaN float), we
// raise the function's out-of-range error instead; `MOD(-9223372036854775808, -1)`, which panics
// in Rust's `%`, is 0 as in MySQL.
import {
  ChunkedVecDecimal,
  ChunkedVecReal,
  DECIMAL_CHUNK_WORDS,
  type Decimal,
  DecimalStatus,
  decimalAddWords,
  decimalMulWords,
  decimalResultInto,
  type EvalContext,
  EvalError,
  EvalType,
  rustF64String,
} from "@copr/datatype";
import { tipb } from "@copr/proto";
import { rpnFn, rpnVectorFn, type VectorArg, type VectorCall } from "../registry.js";
import { argsUnsigned, asI64, asU64, I64_MAX } from "./int-ops.js";

const S = tipb.ScalarFuncSig;
const { Int, Real, Decimal: Dec } = EvalType;

/** Which arguments are UNSIGNED: l(eft) and r(ight), `i` signed, `u` unsigned (TiKV's mappers). */
export type IntVariant = "ii" | "iu" | "ui" | "uu";

function variantOf(expr: tipb.Expr.$Properties): IntVariant {
  const [l, r] = argsUnsigned(expr);
  return l ? (r ? "uu" : "ui") : r ? "iu" : "ii";
}

// --- DOUBLE ----------------------------------------------------------------------------------

/** `a + b`; a non-finite sum is `DOUBLE value is out of range in '(a + b)'`. */
export function plusReal(a: number, b: number): number {
  const r = a + b;
  if (!Number.isFinite(r)) throw EvalError.overflow("DOUBLE", `(${rustF64String(a)} + ${rustF64String(b)})`);
  return r;
}

/** `a - b`; a non-finite difference is `DOUBLE value is out of range in '(a - b)'`. */
export function minusReal(a: number, b: number): number {
  const r = a - b;
  if (!Number.isFinite(r)) throw EvalError.overflow("DOUBLE", `(${rustF64String(a)} - ${rustF64String(b)})`);
  return r;
}

/** `a * b`; an infinite product is `REAL value is out of range in '(a * b)'` (TiKV says REAL). */
export function multiplyReal(a: number, b: number): number {
  const r = a * b;
  if (!Number.isFinite(r)) throw EvalError.overflow("REAL", `(${rustF64String(a)} * ${rustF64String(b)})`);
  return r;
}

/**
 * `a / b`: NULL after `ctx.handleDivisionByZero()` for a zero divisor; an infinite quotient goes
 * to `ctx.handleOverflowErr` (`DOUBLE value is out of range in 'a / b'`, without parentheses, as
 * TiKV) and is NULL when that only warns.
 */
export function divideReal(ctx: EvalContext, a: number, b: number): number | null {
  if (b === 0) {
    ctx.handleDivisionByZero();
    return null;
  }
  const r = a / b;
  if (!Number.isFinite(r)) {
    ctx.handleOverflowErr(EvalError.overflow("DOUBLE", `${rustF64String(a)} / ${rustF64String(b)}`));
    return null;
  }
  return r;
}

/** `a % b` (fmod: the sign of `a`); NULL for a zero divisor, with no warning, as TiKV. */
export function modReal(a: number, b: number): number | null {
  if (b === 0) return null;
  const r = a % b;
  if (Number.isNaN(r)) throw EvalError.overflow("DOUBLE", `(${rustF64String(a)} % ${rustF64String(b)})`);
  return r;
}

/** One Real argument of a vectorized call, per logical row. */
interface RealView {
  /** The column's values (physical rows), or null for a constant. */
  readonly values: Float64Array | null;
  readonly constant: number;
  readonly col: ChunkedVecReal | null;
  readonly rows: VectorArg["rows"];
}

function realView(a: VectorArg): RealView | null {
  if (a.column === undefined) {
    return { values: null, constant: a.scalar as number, col: null, rows: null };
  }
  if (!(a.column instanceof ChunkedVecReal)) return null;
  return {
    values: a.column.values,
    constant: 0,
    col: a.column.nullCount > 0 ? a.column : null,
    rows: a.rows,
  };
}

/**
 * The vectorized DOUBLE `+`, `-`, `*`: one loop over the Float64Arrays. Returns null (the scalar
 * function then runs and raises the exact error) as soon as a result is not finite.
 */
function realBinaryVector(call: VectorCall, op: (a: number, b: number) => number): ChunkedVecReal | null {
  const n = call.rows;
  const l = call.args[0]!;
  const r = call.args[1]!;
  if ((l.column === undefined && l.scalar === null) || (r.column === undefined && r.scalar === null)) {
    return new ChunkedVecReal(new Float64Array(n), new Uint8Array((n + 7) >>> 3), n);
  }
  const lv = realView(l);
  const rv = realView(r);
  if (lv === null || rv === null) return null;
  const out = new Float64Array(n);
  const validity = new Uint8Array((n + 7) >>> 3);
  let nulls = 0;
  for (let k = 0; k < n; k++) {
    const lr = lv.rows === null ? k : lv.rows[k]!;
    const rr = rv.rows === null ? k : rv.rows[k]!;
    if (lv.col?.isNull(lr) || rv.col?.isNull(rr)) {
      nulls++;
      continue;
    }
    const z = op(
      lv.values === null ? lv.constant : lv.values[lr]!,
      rv.values === null ? rv.constant : rv.values[rr]!,
    );
    if (!Number.isFinite(z)) return null;
    out[k] = z;
    validity[k >>> 3]! |= 1 << (k & 7);
  }
  return new ChunkedVecReal(out, nulls > 0 ? validity : null, nulls);
}

// --- DECIMAL ---------------------------------------------------------------------------------

/**
 * A decimal + or - result as TiKV's `Res → Result` conversion takes it: Truncated is the error
 * `Data Truncated` and Overflow `value is out of range in ''` (TiKV's `Error::overflow("", "")`),
 * with no context to turn either into a warning.
 */
function strictDecimal(status: DecimalStatus, value: Decimal, truncatedOk: boolean): Decimal {
  if (status === DecimalStatus.Ok) return value;
  if (status === DecimalStatus.Truncated && truncatedOk) return value;
  if (status === DecimalStatus.Overflow) throw EvalError.overflow("", "");
  throw EvalError.truncated();
}

/** `a + b` (exact; an error when the 81 digits do not hold it). */
export function plusDecimal(a: Decimal, b: Decimal): Decimal {
  const r = a.add(b);
  return strictDecimal(r.status, r.value, false);
}

/** `a - b` (exact; an error when the 81 digits do not hold it). */
export function minusDecimal(a: Decimal, b: Decimal): Decimal {
  const r = a.sub(b);
  return strictDecimal(r.status, r.value, false);
}

/** `a * b`: dropped fractional digits are accepted; integer overflow is an error. */
export function multiplyDecimal(a: Decimal, b: Decimal): Decimal {
  const r = a.mul(b);
  return strictDecimal(r.status, r.value, true);
}

/** One DECIMAL argument of a vectorized call: its words, and where logical row `k` lives. */
function decimalWordsOf(
  a: VectorArg,
): { words: Int32Array; col: ChunkedVecDecimal | null; rows: VectorArg["rows"] } | null {
  if (a.column === undefined) {
    if (a.scalar === null) return null;
    const words = new Int32Array(DECIMAL_CHUNK_WORDS);
    (a.scalar as Decimal).writeWords(words, 0);
    return { words, col: null, rows: null };
  }
  if (!(a.column instanceof ChunkedVecDecimal)) return null;
  return { words: a.column.words, col: a.column, rows: a.rows };
}

const DEC_MUL = 0;
const DEC_ADD = 1;
const DEC_SUB = 2;

/**
 * `a * b`, `a + b` or `a - b` (`op`) over whole DECIMAL columns. Small operands (columns holding
 * scaled integers, constants that are) are computed as exact doubles ({@link decimalScaledVector});
 * otherwise, and then only if someone reads the result's words, each row's result is computed
 * straight into the result's words ({@link decimalWordsVector}). A status the scalar function would
 * turn into an error hands the batch over to it, which raises TiKV's error.
 */
function decimalBinaryVector(call: VectorCall, op: number): ChunkedVecDecimal | null {
  const fast = decimalScaledVector(call, op);
  if (fast !== null) return fast;
  const n = call.rows;
  const l = decimalWordsOf(call.args[0]!);
  const r = decimalWordsOf(call.args[1]!);
  if (l === null || r === null) return null;
  const out = new Int32Array(n * DECIMAL_CHUNK_WORDS);
  const anyNull = (l.col !== null && l.col.nullCount > 0) || (r.col !== null && r.col.nullCount > 0);
  const validity = anyNull ? new Uint8Array((n + 7) >>> 3) : null;
  const nulls = decimalWordsVector(l, r, n, op, out, validity);
  if (nulls < 0) return null;
  return new ChunkedVecDecimal(out, nulls > 0 ? validity : null, nulls);
}

/**
 * The word loop of {@link decimalBinaryVector}: writes the `n` results into `out` (and their
 * presence into `validity` when given); returns the number of NULL rows, or -1 when a row's status
 * is not Ok (overflow; truncation for + and -).
 */
function decimalWordsVector(
  l: DecimalWordsArg,
  r: DecimalWordsArg,
  n: number,
  op: number,
  out: Int32Array,
  validity: Uint8Array | null,
): number {
  let nulls = 0;
  for (let k = 0; k < n; k++) {
    const lr = l.col === null ? 0 : l.rows === null ? k : l.rows[k]!;
    const rr = r.col === null ? 0 : r.rows === null ? k : r.rows[k]!;
    if (validity !== null) {
      if (l.col?.isNull(lr) || r.col?.isNull(rr)) {
        nulls++;
        continue;
      }
      validity[k >>> 3]! |= 1 << (k & 7);
    }
    const lo = lr * DECIMAL_CHUNK_WORDS;
    const ro = rr * DECIMAL_CHUNK_WORDS;
    const oo = k * DECIMAL_CHUNK_WORDS;
    if (op === DEC_MUL) {
      if (decimalMulWords(l.words, lo, r.words, ro, out, oo) === DecimalStatus.Overflow) return -1;
    } else if (decimalAddWords(l.words, lo, r.words, ro, out, oo, op === DEC_SUB) !== DecimalStatus.Ok) {
      return -1;
    }
  }
  return nulls;
}

type DecimalWordsArg = NonNullable<ReturnType<typeof decimalWordsOf>>;

/** One DECIMAL argument as exact scaled integers: a column's values, or a constant. */
interface ScaledArg {
  readonly values: Float64Array | null;
  readonly constant: number;
  readonly scale: number;
  /** The column when it has NULLs (checked per row), else null. */
  readonly col: ChunkedVecDecimal | null;
  readonly rows: VectorArg["rows"];
}

function scaledArgOf(a: VectorArg): ScaledArg | null {
  if (a.column === undefined) {
    const d = a.scalar as Decimal | null;
    // A constant shown with another number of digits than it has would change the result's
    // display fraction; the word path handles it.
    if (d === null || d.fracCnt !== d.resultFracCnt) return null;
    const v = d.toScaledNumber(d.fracCnt);
    if (v === null) return null;
    return { values: null, constant: v, scale: d.fracCnt, col: null, rows: null };
  }
  const c = a.column;
  if (!(c instanceof ChunkedVecDecimal) || c.scaled === null) return null;
  return {
    values: c.scaled.values,
    constant: 0,
    scale: c.scaled.scale,
    col: c.nullCount > 0 ? c : null,
    rows: a.rows,
  };
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** 10^i for the scale differences of two scaled arguments (at most 30 apart). */
const POW10 = Array.from({ length: 31 }, (_, i) => 10 ** i);

/**
 * {@link decimalBinaryVector} over exact doubles, when both arguments are scaled integers and every
 * result stays within 2^53 - 1 (else null, and the word path runs). `+`/`-` align both sides to
 * the larger scale (MySQL's result fraction), `*` adds the scales (their sum is MySQL's result
 * fraction while it is at most 30). The result column keeps the doubles and writes its words with
 * the word path only if they are read, so what reaches TiDB is the word path's bytes.
 */
function decimalScaledVector(call: VectorCall, op: number): ChunkedVecDecimal | null {
  const a0 = call.args[0]!;
  const a1 = call.args[1]!;
  const l = scaledArgOf(a0);
  const r = scaledArgOf(a1);
  if (l === null || r === null) return null;
  const n = call.rows;
  let scale: number;
  let ml = 1;
  let mr = 1;
  if (op === DEC_MUL) {
    scale = l.scale + r.scale;
    if (scale > 30) return null;
  } else {
    scale = Math.max(l.scale, r.scale);
    if (scale > 30) return null;
    ml = POW10[scale - l.scale]!;
    mr = POW10[scale - r.scale]!;
  }
  // `a - b` adds `b` × -10^(scale - its scale).
  const mrs = op === DEC_SUB ? -mr : mr;
  const out = new Float64Array(n);
  const validity = l.col !== null || r.col !== null ? new Uint8Array((n + 7) >>> 3) : null;
  let nulls = 0;
  const lv = l.values;
  const rv = r.values;
  if (validity === null) {
    // No NULLs: one loop per operator, the magnitudes checked once at the end (every product,
    // aligned operand and sum is exact while at most 2^53 - 1, and rounding is monotonic).
    const lrows = l.rows;
    const rrows = r.rows;
    const lc = l.constant;
    const rc = r.constant;
    let max = 0;
    if (op === DEC_MUL) {
      for (let k = 0; k < n; k++) {
        const x = lv === null ? lc : lv[lrows === null ? k : lrows[k]!]!;
        const y = rv === null ? rc : rv[rrows === null ? k : rrows[k]!]!;
        const z = x * y;
        max = Math.max(max, Math.abs(z));
        out[k] = z + 0; // no -0: only a stored "-0.00" keeps its sign in scaled form
      }
    } else {
      for (let k = 0; k < n; k++) {
        const xa = (lv === null ? lc : lv[lrows === null ? k : lrows[k]!]!) * ml;
        const ya = (rv === null ? rc : rv[rrows === null ? k : rrows[k]!]!) * mrs;
        // |xa| + |ya| bounds both aligned operands and their sum (a pair it wrongly refuses
        // only takes the word path).
        max = Math.max(max, Math.abs(xa) + Math.abs(ya));
        const z = xa + ya;
        out[k] = z + 0;
      }
    }
    if (max > MAX_SAFE) return null;
  } else {
    // With NULLs: one loop for both kinds of operator, the same bounds as above.
    let max = 0;
    for (let k = 0; k < n; k++) {
      const lr = l.rows === null ? k : l.rows[k]!;
      const rr = r.rows === null ? k : r.rows[k]!;
      if (l.col?.isNull(lr) || r.col?.isNull(rr)) {
        nulls++;
        continue;
      }
      validity[k >>> 3]! |= 1 << (k & 7);
      const xa = (lv === null ? l.constant : lv[lr]!) * (op === DEC_MUL ? 1 : ml);
      const ya = (rv === null ? r.constant : rv[rr]!) * (op === DEC_MUL ? 1 : mrs);
      const z = op === DEC_MUL ? xa * ya : xa + ya;
      max = Math.max(max, op === DEC_MUL ? Math.abs(z) : Math.abs(xa) + Math.abs(ya));
      out[k] = z + 0;
    }
    if (max > MAX_SAFE) return null;
  }
  const bits = nulls > 0 ? validity : null;
  return ChunkedVecDecimal.fromScaled(
    { values: out, scale },
    (words) => {
      const lw = decimalWordsOf(a0) as DecimalWordsArg;
      const rw = decimalWordsOf(a1) as DecimalWordsArg;
      // Small operands cannot overflow or truncate, and the NULLs are the same.
      const got = decimalWordsVector(
        lw,
        rw,
        n,
        op,
        words,
        bits === null ? null : new Uint8Array(bits.length),
      );
      if (got !== nulls) throw new Error(`internal: the word path disagrees with the scaled DECIMAL ${op}`);
    },
    bits,
    nulls,
  );
}

/**
 * `a / b` with `ctx.divPrecisionIncrement` extra fractional digits: NULL after
 * `ctx.handleDivisionByZero()` for a zero divisor; truncation and overflow (`DECIMAL value is out
 * of range in '(a / b)'`) go through `ctx`.
 */
export function divideDecimal(ctx: EvalContext, a: Decimal, b: Decimal): Decimal | null {
  const r = a.div(b, ctx.divPrecisionIncrement);
  if (r === null) {
    ctx.handleDivisionByZero();
    return null;
  }
  if (r.status === DecimalStatus.Ok) return r.value;
  return decimalResultInto(ctx, r, undefined, EvalError.overflow("DECIMAL", `(${a} / ${b})`));
}

/** `a % b` (the sign of `a`): as {@link divideDecimal} for a zero divisor and overflow. */
export function modDecimal(ctx: EvalContext, a: Decimal, b: Decimal): Decimal | null {
  const r = a.mod(b);
  if (r === null) {
    ctx.handleDivisionByZero();
    return null;
  }
  if (r.status === DecimalStatus.Ok) return r.value;
  return decimalResultInto(ctx, r, undefined, EvalError.overflow("DECIMAL", `(${a} % ${b})`));
}

/**
 * `a DIV b` for DECIMAL operands: the decimal quotient (as {@link divideDecimal}) cut to an
 * integer. Signed: a quotient beyond BIGINT is `BIGINT value is out of range in '(a / b)'`.
 * Unsigned (either operand UNSIGNED, TiKV `divide_decimal_mapper`): a negative quotient is that
 * error for `BIGINT UNSIGNED` unless it cuts to 0 (e.g. -0.5).
 */
export function intDivideDecimal(ctx: EvalContext, unsigned: boolean, a: Decimal, b: Decimal): bigint | null {
  const q = divideDecimal(ctx, a, b);
  if (q === null) return null;
  if (!unsigned) {
    const r = q.toI64();
    if (r.status === DecimalStatus.Overflow) throw EvalError.overflow("BIGINT", `(${a} / ${b})`);
    return r.value;
  }
  const u = q.toU64();
  if (u.status !== DecimalStatus.Overflow) return u.value;
  const s = q.toI64();
  if (s.value === 0n && s.status === DecimalStatus.Truncated) return 0n;
  throw EvalError.overflow("BIGINT UNSIGNED", `(${a} / ${b})`);
}

// --- integer DIV and MOD ---------------------------------------------------------------------

/** TiKV's `overflow.rs` division helpers call their overflow `UNSIGNED BIGINT`, whatever the signs. */
function divOverflow(a: bigint, b: bigint): EvalError {
  return EvalError.overflow("UNSIGNED BIGINT", `(${a} / ${b})`);
}

/**
 * `lhs DIV rhs` for one signed/unsigned variant (operands taken as their 64-bit patterns read
 * that way), truncating toward zero; NULL for a zero divisor with no warning, as TiKV. A quotient
 * the result type cannot hold (`MIN DIV -1`; a negative quotient with an UNSIGNED operand) is an
 * error. Returns the SQL value (a u64 for the variants with an unsigned operand).
 */
export function intDivideInt(v: IntVariant, lhs: bigint, rhs: bigint): bigint | null {
  switch (v) {
    case "ii": {
      const a = asI64(lhs);
      const b = asI64(rhs);
      if (b === 0n) return null;
      const q = a / b;
      if (q > I64_MAX) throw divOverflow(a, b);
      return q;
    }
    case "iu": {
      const a = asI64(lhs);
      const b = asU64(rhs);
      if (b === 0n) return null;
      if (a < 0n) {
        if (-a >= b) throw divOverflow(a, b);
        return 0n;
      }
      return a / b;
    }
    case "ui": {
      const a = asU64(lhs);
      const b = asI64(rhs);
      if (b === 0n) return null;
      if (b < 0n) {
        if (a !== 0n && -b <= a) throw divOverflow(a, b);
        return 0n;
      }
      return a / b;
    }
    case "uu": {
      const a = asU64(lhs);
      const b = asU64(rhs);
      if (b === 0n) return null;
      return a / b;
    }
  }
}

/**
 * `lhs MOD rhs` for one variant: the remainder of truncating division, with the sign of `lhs`
 * (for every variant TiKV's four Mod ops compute exactly this); NULL for a zero divisor, with no
 * warning. Never overflows.
 */
export function modInt(v: IntVariant, lhs: bigint, rhs: bigint): bigint | null {
  const a = v[0] === "u" ? asU64(lhs) : asI64(lhs);
  const b = v[1] === "u" ? asU64(rhs) : asI64(rhs);
  if (b === 0n) return null;
  return a % b;
}

// --- unary minus -----------------------------------------------------------------------------

/**
 * `-x`. Signed: `-(-9223372036854775808)` is `BIGINT value is out of range in '--9223372036854775808'`.
 * Unsigned argument: 2^63 becomes -2^63, anything larger is `BIGINT value is out of range in
 * '-<x>'`.
 */
export function unaryMinusInt(unsigned: boolean, x: bigint): bigint {
  if (unsigned) {
    const u = asU64(x);
    if (u > I64_MAX + 1n) throw EvalError.overflow("BIGINT", `-${u}`);
    return -u;
  }
  const s = asI64(x);
  if (s === -I64_MAX - 1n) throw EvalError.overflow("BIGINT", `-${s}`);
  return -s;
}

/** Arithmetic on DOUBLE and DECIMAL, integer DIV and MOD, unary minus. */
export class ArithmeticMoreFns {
  @rpnFn({ sig: S.PlusReal, args: [Real, Real], ret: Real, nonnull: true })
  static plusReal(a: number, b: number): number {
    return plusReal(a, b);
  }

  @rpnVectorFn(S.PlusReal)
  static plusRealVector(call: VectorCall): ChunkedVecReal | null {
    return realBinaryVector(call, (a, b) => a + b);
  }

  @rpnFn({ sig: S.MinusReal, args: [Real, Real], ret: Real, nonnull: true })
  static minusReal(a: number, b: number): number {
    return minusReal(a, b);
  }

  @rpnVectorFn(S.MinusReal)
  static minusRealVector(call: VectorCall): ChunkedVecReal | null {
    return realBinaryVector(call, (a, b) => a - b);
  }

  @rpnFn({ sig: S.MultiplyReal, args: [Real, Real], ret: Real, nonnull: true })
  static multiplyReal(a: number, b: number): number {
    return multiplyReal(a, b);
  }

  @rpnVectorFn(S.MultiplyReal)
  static multiplyRealVector(call: VectorCall): ChunkedVecReal | null {
    return realBinaryVector(call, (a, b) => a * b);
  }

  @rpnFn({ sig: S.DivideReal, args: [Real, Real], ret: Real, nonnull: true, ctx: true })
  static divideReal(ctx: EvalContext, a: number, b: number): number | null {
    return divideReal(ctx, a, b);
  }

  @rpnFn({ sig: S.ModReal, args: [Real, Real], ret: Real, nonnull: true })
  static modReal(a: number, b: number): number | null {
    return modReal(a, b);
  }

  @rpnFn({ sig: S.PlusDecimal, args: [Dec, Dec], ret: Dec, nonnull: true })
  static plusDecimal(a: Decimal, b: Decimal): Decimal {
    return plusDecimal(a, b);
  }

  @rpnVectorFn(S.PlusDecimal)
  static plusDecimalVector(call: VectorCall): ChunkedVecDecimal | null {
    return decimalBinaryVector(call, DEC_ADD);
  }

  @rpnFn({ sig: S.MinusDecimal, args: [Dec, Dec], ret: Dec, nonnull: true })
  static minusDecimal(a: Decimal, b: Decimal): Decimal {
    return minusDecimal(a, b);
  }

  @rpnVectorFn(S.MinusDecimal)
  static minusDecimalVector(call: VectorCall): ChunkedVecDecimal | null {
    return decimalBinaryVector(call, DEC_SUB);
  }

  @rpnFn({ sig: S.MultiplyDecimal, args: [Dec, Dec], ret: Dec, nonnull: true })
  static multiplyDecimal(a: Decimal, b: Decimal): Decimal {
    return multiplyDecimal(a, b);
  }

  @rpnVectorFn(S.MultiplyDecimal)
  static multiplyDecimalVector(call: VectorCall): ChunkedVecDecimal | null {
    return decimalBinaryVector(call, DEC_MUL);
  }

  @rpnFn({ sig: S.DivideDecimal, args: [Dec, Dec], ret: Dec, nonnull: true, ctx: true })
  static divideDecimal(ctx: EvalContext, a: Decimal, b: Decimal): Decimal | null {
    return divideDecimal(ctx, a, b);
  }

  @rpnFn({ sig: S.ModDecimal, args: [Dec, Dec], ret: Dec, nonnull: true, ctx: true })
  static modDecimal(ctx: EvalContext, a: Decimal, b: Decimal): Decimal | null {
    return modDecimal(ctx, a, b);
  }

  @rpnFn({
    sig: S.IntDivideDecimal,
    args: [Dec, Dec],
    ret: Int,
    nonnull: true,
    ctx: true,
    metadata: (e) => variantOf(e) !== "ii",
  })
  static intDivideDecimal(ctx: EvalContext, unsigned: boolean, a: Decimal, b: Decimal): bigint | null {
    return intDivideDecimal(ctx, unsigned, a, b);
  }

  @rpnFn({ sig: S.IntDivideInt, args: [Int, Int], ret: Int, nonnull: true, metadata: variantOf })
  static intDivideInt(v: IntVariant, a: bigint, b: bigint): bigint | null {
    return intDivideInt(v, a, b);
  }

  @rpnFn({ sig: S.ModInt, args: [Int, Int], ret: Int, nonnull: true, metadata: variantOf })
  static modInt(v: IntVariant, a: bigint, b: bigint): bigint | null {
    return modInt(v, a, b);
  }

  @rpnFn({ sig: S.ModIntSignedSigned, args: [Int, Int], ret: Int, nonnull: true })
  static modIntSignedSigned(a: bigint, b: bigint): bigint | null {
    return modInt("ii", a, b);
  }

  @rpnFn({ sig: S.ModIntSignedUnsigned, args: [Int, Int], ret: Int, nonnull: true })
  static modIntSignedUnsigned(a: bigint, b: bigint): bigint | null {
    return modInt("iu", a, b);
  }

  @rpnFn({ sig: S.ModIntUnsignedSigned, args: [Int, Int], ret: Int, nonnull: true })
  static modIntUnsignedSigned(a: bigint, b: bigint): bigint | null {
    return modInt("ui", a, b);
  }

  @rpnFn({ sig: S.ModIntUnsignedUnsigned, args: [Int, Int], ret: Int, nonnull: true })
  static modIntUnsignedUnsigned(a: bigint, b: bigint): bigint | null {
    return modInt("uu", a, b);
  }

  @rpnFn({
    sig: S.UnaryMinusInt,
    args: [Int],
    ret: Int,
    nonnull: true,
    metadata: (e) => argsUnsigned(e)[0],
  })
  static unaryMinusInt(unsigned: boolean, x: bigint): bigint {
    return unaryMinusInt(unsigned, x);
  }

  @rpnFn({ sig: S.UnaryMinusReal, args: [Real], ret: Real, nonnull: true })
  static unaryMinusReal(x: number): number {
    return -x;
  }

  @rpnFn({ sig: S.UnaryMinusDecimal, args: [Dec], ret: Dec, nonnull: true })
  static unaryMinusDecimal(x: Decimal): Decimal {
    return x.neg();
  }
}
