// MySQL DECIMAL: nine base-10^9 words with digit counts, exactly as TiKV and TiDB lay it out.
// Behaviour of TiKV components/tidb_query_datatype/src/codec/mysql/decimal.rs (MySQL decimal.c).

import { assert, CodecError, ERR_UNKNOWN, EvalError } from "../errors.js";
import { DEFAULT_DIV_PRECISION_INCREMENT, type EvalContext } from "../eval-context.js";
import { type DecimalResult, DecimalStatus } from "./result.js";
import {
  countLeadingZeroes,
  countTrailingZeroes,
  DIG_2_BYTES,
  DIG_MASK,
  DIGITS_PER_WORD,
  FRAC_MAX,
  MAX_DIGITS,
  MAX_FRACTION,
  NOT_FIXED_DEC,
  TEN_POW,
  WORD_BASE,
  WORD_BUF_LEN,
  WORD_MAX,
  WORD_SIZE,
  wordCnt,
} from "./words.js";

const OK = DecimalStatus.Ok;
const TRUNCATED = DecimalStatus.Truncated;
const OVERFLOW = DecimalStatus.Overflow;
const INVALID = DecimalStatus.Invalid;

/** Int32 slots a decimal takes in a chunk column: one header word and nine digit words. */
export const DECIMAL_CHUNK_WORDS = 10;
/** Bytes of TiDB's `MyDecimal` struct, the fixed size of a decimal in a chunk column. */
export const DECIMAL_STRUCT_SIZE = 40;

/**
 * Rounding modes of {@link Decimal.round} (TiKV `RoundMode`). `HalfEven` keeps TiKV's name but
 * rounds half away from zero (MySQL's rule for DECIMAL: 2.5 → 3, -2.5 → -3). `Truncate` drops
 * digits (towards zero). `Ceiling` rounds away from zero when any dropped digit is non-zero.
 */
export const RoundMode = {
  HalfEven: 0,
  Truncate: 1,
  Ceiling: 2,
} as const;
/** One of the {@link RoundMode} codes. */
export type RoundMode = (typeof RoundMode)[keyof typeof RoundMode];

/** The mutable view of a decimal that the algorithms below use on values they just created. */
interface Mut {
  intCnt: number;
  fracCnt: number;
  resultFracCnt: number;
  negative: boolean;
  readonly words: number[];
}

function res<T>(value: T, status: DecimalStatus): DecimalResult<T> {
  return { value, status };
}

// ---------------------------------------------------------------------------------------------
// Scratch outputs of helpers with several results (module state, so that no object is made).

let mulHi = 0;
let mulLo = 0;

/**
 * Exact product of two words (integers in 0..10^9) split in base 10^9 into `mulHi`/`mulLo`,
 * without BigInt: the double product times 10^-9 gives the high word to within one (the product's
 * rounding error is below 200 for products below 10^18, the scaling's below one ulp), and the low
 * word is computed exactly modulo 2^32 with `Math.imul`; then the two are corrected together.
 */
function mulWords(a: number, b: number): void {
  let hi = Math.floor(a * b * 1e-9);
  let lo = (Math.imul(a, b) - Math.imul(hi, WORD_BASE)) | 0;
  if (lo < 0) {
    lo += WORD_BASE;
    hi--;
  } else if (lo >= WORD_BASE) {
    lo -= WORD_BASE;
    hi++;
  }
  mulHi = hi;
  mulLo = lo;
}

let fixInt = 0;
let fixFrac = 0;

/** Limits `intWords + fracWords` to `bufLen` (TiKV `fix_word_cnt_err`) into `fixInt`/`fixFrac`. */
function fixWordCntErr(intWords: number, fracWords: number, bufLen: number): DecimalStatus {
  if (intWords + fracWords > bufLen) {
    if (intWords > bufLen) {
      fixInt = bufLen;
      fixFrac = 0;
      return OVERFLOW;
    }
    fixInt = intWords;
    fixFrac = bufLen - intWords;
    return TRUNCATED;
  }
  fixInt = intWords;
  fixFrac = fracWords;
  return OK;
}

let rlzIdx = 0;

/**
 * Of the leading `prec` digit positions, returns how many remain once leading zeros are removed,
 * and sets `rlzIdx` to the first word holding one of them (TiKV `remove_leading_zeroes`).
 */
function removeLeadingZeroes(d: Decimal, prec: number): number {
  const w = d.words;
  let cnt = prec;
  let i = ((cnt + DIGITS_PER_WORD - 1) % DIGITS_PER_WORD) + 1;
  let idx = 0;
  while (cnt > 0 && w[idx] === 0) {
    cnt -= i;
    i = DIGITS_PER_WORD;
    idx++;
  }
  if (cnt > 0) cnt -= countLeadingZeroes((cnt - 1) % DIGITS_PER_WORD, w[idx]);
  rlzIdx = idx;
  return cnt;
}

let boundBeg = 0;
let boundEnd = 0;

/** Digit positions of the first and one past the last significant digit (`boundBeg/End`). */
function digitBounds(d: Decimal): void {
  const w = d.words;
  const bufLen = wordCnt(d.intCnt) + wordCnt(d.fracCnt);
  let beg = 0;
  while (beg < bufLen && w[beg] === 0) beg++;
  if (beg >= bufLen) {
    boundBeg = 0;
    boundEnd = 0;
    return;
  }
  let i: number;
  let start: number;
  if (beg === 0 && d.intCnt > 0) {
    i = (d.intCnt - 1) % DIGITS_PER_WORD;
    start = DIGITS_PER_WORD - i - 1;
  } else {
    i = DIGITS_PER_WORD - 1;
    start = beg * DIGITS_PER_WORD;
  }
  start += countLeadingZeroes(i, w[beg]);
  let end = bufLen - 1;
  while (end > beg && w[end] === 0) end--;
  let j: number;
  let stop: number;
  if (end === bufLen - 1 && d.fracCnt > 0) {
    const k = ((d.fracCnt - 1) % DIGITS_PER_WORD) + 1;
    j = DIGITS_PER_WORD - k + 1;
    stop = end * DIGITS_PER_WORD + k;
  } else {
    j = 1;
    stop = (end + 1) * DIGITS_PER_WORD;
  }
  stop -= countTrailingZeroes(j, w[end]);
  boundBeg = start;
  boundEnd = stop;
}

// ---------------------------------------------------------------------------------------------

/**
 * An immutable MySQL DECIMAL value: up to 81 digits in nine base-10^9 words (65 digits of
 * precision and 30 fractional digits are the SQL limits; intermediate values may hold more, as in
 * TiKV). `intCnt` digits sit before the point in the first `ceil(intCnt / 9)` words (right
 * aligned), `fracCnt` digits after it in the next `ceil(fracCnt / 9)` words (left aligned).
 * `resultFracCnt` is the number of fractional digits the value is shown with (see
 * {@link Decimal.toString}). The same value can have several layouts (`1`, `1.0`, `001`): compare
 * with {@link Decimal.compare}, not field by field.
 */
export class Decimal {
  /** Digits before the point (may include leading zeros). */
  readonly intCnt: number;
  /** Digits after the point (trailing zeros count: `1.50` has 2). */
  readonly fracCnt: number;
  /** Fractional digits to show; `toString()` rounds to it. */
  readonly resultFracCnt: number;
  /** The sign; never set on a value whose words are all zero, except as read from raw input. */
  readonly negative: boolean;
  /**
   * The nine words, most significant first; those within the digit counts are in
   * 0..999,999,999 (words past them are kept as computed or read, as TiKV does).
   * @internal Read-only: a decimal is shared freely and must never change.
   */
  readonly words: number[];

  /** @internal Use the factories (`parse`, `fromI64`, ...); the array is taken, not copied. */
  constructor(intCnt: number, fracCnt: number, resultFracCnt: number, negative: boolean, words: number[]) {
    this.intCnt = intCnt;
    this.fracCnt = fracCnt;
    this.resultFracCnt = resultFracCnt;
    this.negative = negative;
    this.words = words;
  }

  /** Zero, laid out as TiKV's `Decimal::zero()` (one integer digit, no fraction). */
  static readonly ZERO: Decimal = new Decimal(1, 0, 0, false, [0, 0, 0, 0, 0, 0, 0, 0, 0]);

  // --- construction ---------------------------------------------------------------------------

  /**
   * Parses text as TiKV's `Decimal::from_bytes` does: optional ASCII whitespace, a sign, digits
   * with an optional `.` and fraction, an optional exponent (`e`/`E`, read like a BIGINT, with
   * garbage after it ignored), and trailing whitespace. A string is read by UTF-16 code unit; a
   * `Uint8Array` as bytes (non-ASCII text never counts as digits or whitespace either way).
   *
   * Status: Ok; Truncated when fractional digits beyond the 81-digit capacity were dropped or
   * non-space text follows the number (the value is the number read so far, e.g. `"2.23a2"` →
   * 2.23); Overflow when the integer part does not fit (the value is the low 81 digits, or the
   * largest 81-digit decimal for a too large exponent); Invalid (zero) for empty/blank input,
   * input without digits and an exponent beyond BIGINT — the inputs TiKV rejects with an error.
   */
  static parse(input: string | Uint8Array): DecimalResult<Decimal> {
    return parseWithWordBufLen(input, WORD_BUF_LEN);
  }

  /**
   * Parses text strictly (TiKV `Decimal::from_str`): returns the value when the parse status is
   * Ok, and throws an {@link EvalError} (code 1105) naming the input otherwise.
   */
  static fromString(input: string | Uint8Array): Decimal {
    const r = Decimal.parse(input);
    if (r.status === OK) return r.value;
    throw new EvalError(parseErrorMessage(input, r.status), ERR_UNKNOWN);
  }

  /**
   * The exact decimal of a signed 64-bit integer (a bigint in -2^63..2^63-1, or a safe integer
   * number). Its integer part is laid out in whole words, as TiKV's `From<i64>`.
   */
  static fromI64(v: bigint | number): Decimal {
    return fromInteger(v, I64_MIN, I64_MAX);
  }

  /** The exact decimal of an unsigned 64-bit integer (a bigint in 0..2^64-1 or a safe number). */
  static fromU64(v: bigint | number): Decimal {
    return fromInteger(v, 0n, U64_MAX);
  }

  /**
   * A double as decimal (TiKV `Decimal::from_f64`): the shortest digits that read back as `v`,
   * written without exponent, then parsed strictly. Throws an {@link EvalError} (1105) for
   * infinities and NaN, and — as TiKV does — when those digits do not fit 81 digits (|v| >= 1e81
   * or tiny values such as 1e-100), instead of clamping.
   */
  static fromF64(v: number): Decimal {
    if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
      throw new EvalError(`${v > 0 ? "inf" : "-inf"} can't be convert to decimal'`, ERR_UNKNOWN);
    }
    return Decimal.fromString(f64ToPlainString(v));
  }

  /**
   * The decimal `n / 10^frac`, with `frac` fractional digits (`fromScaledNumber(12345, 2)` is
   * 123.45). `n` must be a safe integer and `frac` an integer in 0..30; throws an
   * {@link EvalError} (1105) otherwise. Allocates only the result: no BigInt, no string.
   */
  static fromScaledNumber(n: number, frac: number): Decimal {
    if (!Number.isSafeInteger(n) || !Number.isInteger(frac) || frac < 0 || frac > MAX_FRACTION) {
      throw new EvalError(`invalid scaled decimal ${n} with ${frac} fractional digits`, ERR_UNKNOWN);
    }
    return fromScaled(n, frac);
  }

  /**
   * The largest decimal with `prec` digits, `frac` of them fractional (TiKV `max_decimal`), or its
   * negation (`max_or_min_dec`). Requires `0 <= frac <= prec <= 81`.
   */
  static maxOrMin(negative: boolean, prec: number, frac: number): Decimal {
    checkPrecFrac("decimal", prec, frac, true);
    return maxOrMinDec(negative, prec, frac);
  }

  /**
   * Reads the MySQL binary form (`bin2decimal`, TiKV `read_decimal` after its two header bytes)
   * of a DECIMAL(`prec`, `frac`) at `offset`. Returns the value and the bytes read
   * ({@link decimalBinSize}). Throws a {@link CodecError} for a precision/fraction TiKV rejects
   * (`frac > prec`, more than nine words), input shorter than the value, and digit groups out of
   * range.
   */
  static fromBin(
    bytes: Uint8Array,
    offset: number,
    prec: number,
    frac: number,
  ): { value: Decimal; bytesRead: number } {
    return readBin(bytes, offset, prec, frac);
  }

  /**
   * Reads a decimal from a chunk column's data viewed as Int32 (TiDB's 40-byte `MyDecimal`):
   * `words[offset]` packs, little-endian, byte 0 `intCnt` (digitsInt), byte 1 `fracCnt`
   * (digitsFrac), byte 2 `resultFracCnt` (resultFrac), byte 3 `negative` (0/1);
   * `words[offset + 1 .. offset + 9]` are the nine words. The words are kept exactly, including
   * any beyond the digit counts. Throws a {@link CodecError} for a header or digit word out of
   * range, or for `offset` too close to the end.
   */
  static readWords(words: Int32Array, offset: number): Decimal {
    if (!Number.isInteger(offset) || offset < 0 || offset + DECIMAL_CHUNK_WORDS > words.length) {
      throw new CodecError(
        "decimal chunk",
        `need ${DECIMAL_CHUNK_WORDS} words, have ${words.length - offset}`,
        offset,
      );
    }
    const head = words[offset];
    const intCnt = head & 0xff;
    const fracCnt = (head >>> 8) & 0xff;
    const resultFracCnt = (head >>> 16) & 0xff;
    const neg = head >>> 24;
    if (
      neg > 1 ||
      intCnt > MAX_DIGITS ||
      fracCnt > MAX_DIGITS ||
      wordCnt(intCnt) + wordCnt(fracCnt) > WORD_BUF_LEN
    ) {
      throw new CodecError(
        "decimal chunk",
        `bad header int=${intCnt} frac=${fracCnt} negative=${neg}`,
        offset,
      );
    }
    const used = wordCnt(intCnt) + wordCnt(fracCnt);
    const w = new Array<number>(WORD_BUF_LEN);
    for (let i = 0; i < WORD_BUF_LEN; i++) {
      const x = words[offset + 1 + i];
      if (i < used && (x < 0 || x > WORD_MAX)) {
        throw new CodecError("decimal chunk", `digit word ${x} out of range`, offset + 1 + i);
      }
      w[i] = x;
    }
    return new Decimal(intCnt, fracCnt, resultFracCnt, neg === 1, w);
  }

  // --- accessors ------------------------------------------------------------------------------

  /** True if the value is zero (whatever its sign flag and digit counts). */
  isZero(): boolean {
    const n = wordCnt(this.intCnt) + wordCnt(this.fracCnt);
    const w = this.words;
    for (let i = 0; i < n; i++) if (w[i] !== 0) return false;
    return true;
  }

  /** The sign flag (false for zero). */
  isNegative(): boolean {
    return this.negative;
  }

  /**
   * The least `[precision, frac]` that holds the value (TiKV `prec_and_frac`): significant integer
   * digits plus `fracCnt`, at least 1 (`0` → [1, 0], `0.00` → [2, 2], `012.30` → [4, 2]).
   */
  precAndFrac(): [number, number] {
    const intCnt = removeLeadingZeroes(this, this.intCnt);
    const prec = intCnt + this.fracCnt;
    return [prec === 0 ? 1 : prec, this.fracCnt];
  }

  // --- formatting -----------------------------------------------------------------------------

  /**
   * The value with exactly `fracCnt` fractional digits, without leading zeros (TiKV
   * `to_string_value`, what CAST(... AS CHAR) prints): `00123.4500` → `123.4500`, `.5` → `0.5`.
   */
  toStringValue(): string {
    return formatDecimal(this);
  }

  /** The value rounded (half away from zero) to `resultFracCnt` digits (TiKV `Display`). */
  toString(): string {
    return formatDecimal(
      roundWithWordBufLen(this, this.resultFracCnt, WORD_BUF_LEN, RoundMode.HalfEven).value,
    );
  }

  /**
   * The value rounded half away from zero to `frac` fractional digits (at most 30; negative
   * rounds to tens, hundreds, ...) and printed with exactly `max(frac, 0)` of them: `toString()`
   * with an explicit fraction, e.g. for a DECIMAL(M, `frac`) column. Any overflow of the rounding
   * is ignored, as TiKV's `Display` does.
   */
  toStringWithFrac(frac: number): string {
    return formatDecimal(roundWithWordBufLen(this, frac, WORD_BUF_LEN, RoundMode.HalfEven).value);
  }

  // --- conversions ----------------------------------------------------------------------------

  /**
   * The integer part as a signed 64-bit bigint (TiKV `as_i64`): Truncated if fractional digits
   * are dropped, Overflow with i64::MAX / i64::MIN when out of range.
   */
  toI64(): DecimalResult<bigint> {
    return asI64(this);
  }

  /**
   * The integer part as an unsigned 64-bit bigint (TiKV `as_u64`): Overflow with 0 for any
   * negative value (even -0.5) and with u64::MAX above it, Truncated if fractional digits drop.
   */
  toU64(): DecimalResult<bigint> {
    return asU64(this);
  }

  /** The nearest double of {@link toStringValue} (TiKV `ConvertTo<f64>`). */
  toF64(): number {
    return Number(formatDecimal(this));
  }

  /**
   * The exact value × 10^`frac` as a number, or null when a non-zero digit lies beyond `frac`
   * fractional digits or the result is beyond ±(2^53 − 1). `frac` is an integer >= 0. Allocates
   * nothing: the fast path for column kernels.
   */
  toScaledNumber(frac: number): number | null {
    return toScaled(this, frac);
  }

  // --- arithmetic -----------------------------------------------------------------------------

  /** `this + rhs`; `resultFracCnt` is the larger of the operands'. */
  add(rhs: Decimal): DecimalResult<Decimal> {
    return addViaWords(this, rhs, false);
  }

  /** `this - rhs`; `resultFracCnt` is the larger of the operands'. */
  sub(rhs: Decimal): DecimalResult<Decimal> {
    return addViaWords(this, rhs, true);
  }

  /**
   * `this * rhs`, exact up to 81 digits. `fracCnt` is capped at 31 and `resultFracCnt` (the sum
   * of the operands') at 30. Overflow yields zero digits with 81 integer positions, as TiKV.
   */
  mul(rhs: Decimal): DecimalResult<Decimal> {
    return doMul(this, rhs);
  }

  /**
   * `this / rhs` truncated to the fractional words MySQL computes (the operands' fractional
   * digits plus `fracIncr`, rounded up to whole words); `resultFracCnt` is `this.resultFracCnt +
   * fracIncr` capped at 30. `fracIncr` is `div_precision_increment` (0..30, default 4). Returns
   * null when `rhs` is zero: the caller then calls `ctx.handleDivisionByZero()` and yields NULL.
   */
  div(rhs: Decimal, fracIncr: number = DEFAULT_DIV_PRECISION_INCREMENT): DecimalResult<Decimal> | null {
    const resultFrac = Math.min(this.resultFracCnt + fracIncr, MAX_FRACTION);
    const r = divModImpl(this, rhs, fracIncr, false, resultFrac);
    if (r !== null) (r.value as Mut).resultFracCnt = resultFrac;
    return r;
  }

  /**
   * `this % rhs` (MySQL MOD: the sign of the dividend); null when `rhs` is zero, as for
   * {@link div}. `resultFracCnt` is the larger of the operands'.
   */
  mod(rhs: Decimal): DecimalResult<Decimal> | null {
    const resultFrac = Math.max(this.resultFracCnt, rhs.resultFracCnt);
    const r = divModImpl(this, rhs, 0, true, resultFrac);
    if (r !== null) (r.value as Mut).resultFracCnt = resultFrac;
    return r;
  }

  /** `-this` (zero stays unsigned). */
  neg(): Decimal {
    const d = cloneDec(this);
    if (!this.isZero()) (d as Mut).negative = !this.negative;
    return d;
  }

  /** `|this|`. */
  abs(): Decimal {
    if (!this.negative) return this;
    const d = cloneDec(this);
    (d as Mut).negative = false;
    return d;
  }

  /**
   * Rounds to `frac` fractional digits (TiKV `round`); `frac` may be negative (round to tens,
   * hundreds, ...) and is capped at 30. The result has exactly `max(frac, 0)` fractional digits
   * (`1.5` rounded to 3 is `1.500`). Truncated when fewer words than asked fit; Overflow when a
   * carry does not fit 81 digits.
   */
  round(frac: number, mode: RoundMode = RoundMode.HalfEven): DecimalResult<Decimal> {
    return roundWithWordBufLen(this, frac, WORD_BUF_LEN, mode);
  }

  /** {@link round} towards zero (MySQL TRUNCATE). */
  truncate(frac: number): DecimalResult<Decimal> {
    return roundWithWordBufLen(this, frac, WORD_BUF_LEN, RoundMode.Truncate);
  }

  /** The smallest integer >= this (TiKV `ceil`). */
  ceil(): DecimalResult<Decimal> {
    return roundWithWordBufLen(this, 0, WORD_BUF_LEN, this.negative ? RoundMode.Truncate : RoundMode.Ceiling);
  }

  /** The largest integer <= this (TiKV `floor`). */
  floor(): DecimalResult<Decimal> {
    return roundWithWordBufLen(this, 0, WORD_BUF_LEN, this.negative ? RoundMode.Ceiling : RoundMode.Truncate);
  }

  /**
   * `this × 10^n` (TiKV `shift`), used for exponents. Overflow (with `this`) when the digits would
   * leave the 81 positions; Truncated (rounded) when low digits drop.
   */
  shift(n: number): DecimalResult<Decimal> {
    return shiftWithWordBufLen(this, n, WORD_BUF_LEN);
  }

  // --- comparison -----------------------------------------------------------------------------

  /** -1, 0 or 1 as `this` is less than, equal to or greater than `rhs` (1.0 equals 1.00). */
  compare(rhs: Decimal): -1 | 0 | 1 {
    if (this.negative !== rhs.negative) return this.negative ? -1 : 1;
    this.writeWords(ADD_A, 0);
    rhs.writeWords(ADD_B, 0);
    return decimalCompareWords(ADD_A, 0, ADD_B, 0);
  }

  /** `compare(rhs) === 0`. */
  equals(rhs: Decimal): boolean {
    return this.compare(rhs) === 0;
  }

  /**
   * A 32-bit hash consistent with {@link compare}: equal values hash equally whatever their
   * layout (`1.0`/`1.00`, `0`/`-0`). Not TiKV's hash value (which is Rust's SipHash and never
   * leaves the process), but the same canonical content.
   */
  hash(): number {
    return hashDecimal(this);
  }

  // --- binary and chunk forms -----------------------------------------------------------------

  /**
   * The MySQL binary form (`decimal2bin`, TiKV `write_decimal` without its two header bytes) as
   * DECIMAL(`prec`, `frac`): {@link decimalBinSize} bytes, memcmp-ordered like the values. As
   * TiKV, digits that do not fit are cut, not rounded: Truncated when fractional digits drop,
   * Overflow when integer digits drop (the low digits are kept). Throws a {@link CodecError} for a
   * bad `prec`/`frac`.
   */
  toBin(prec: number, frac: number): DecimalResult<Uint8Array> {
    checkPrecFrac("decimal binary", prec, frac, false);
    const out = new Uint8Array(binSize(prec, frac));
    const st = writeBin(this, out, 0, prec, frac);
    return res(out, st);
  }

  /**
   * {@link toBin} into `out` at `offset` (which must have room for {@link decimalBinSize} bytes);
   * returns the status. Throws a {@link CodecError} for a bad `prec`/`frac` or too small `out`.
   */
  writeBin(out: Uint8Array, offset: number, prec: number, frac: number): DecimalStatus {
    checkPrecFrac("decimal binary", prec, frac, false);
    const size = binSize(prec, frac);
    if (!Number.isInteger(offset) || offset < 0 || offset + size > out.length) {
      throw new CodecError("decimal binary", `no room for ${size} bytes`, offset);
    }
    return writeBin(this, out, offset, prec, frac);
  }

  /**
   * Writes the chunk form read by {@link Decimal.readWords} into `words[offset .. offset + 10)`,
   * exactly TiKV's `write_decimal_to_chunk` bytes viewed as little-endian Int32.
   */
  writeWords(words: Int32Array, offset: number): void {
    words[offset] =
      this.intCnt | (this.fracCnt << 8) | (this.resultFracCnt << 16) | ((this.negative ? 1 : 0) << 24);
    const w = this.words;
    for (let i = 0; i < WORD_BUF_LEN; i++) words[offset + 1 + i] = w[i];
  }
}

// ---------------------------------------------------------------------------------------------
// Construction helpers.

function newDec(intCnt: number, fracCnt: number, negative: boolean): Decimal {
  return new Decimal(intCnt, fracCnt, fracCnt, negative, [0, 0, 0, 0, 0, 0, 0, 0, 0]);
}

function cloneDec(d: Decimal): Decimal {
  return new Decimal(d.intCnt, d.fracCnt, d.resultFracCnt, d.negative, d.words.slice());
}

function zero(): Decimal {
  return newDec(1, 0, false);
}

function maxOrMinDec(negative: boolean, prec: number, frac: number): Decimal {
  const intCnt = prec - frac;
  const d = newDec(intCnt, frac, negative);
  const w = d.words;
  let idx = 0;
  if (intCnt > 0) {
    const first = intCnt % DIGITS_PER_WORD;
    if (first > 0) w[idx++] = TEN_POW[first] - 1;
    for (let i = 0; i < Math.floor(intCnt / DIGITS_PER_WORD); i++) w[idx++] = WORD_MAX;
  }
  if (frac > 0) {
    const last = frac % DIGITS_PER_WORD;
    for (let i = 0; i < Math.floor(frac / DIGITS_PER_WORD); i++) w[idx++] = WORD_MAX;
    if (last > 0) w[idx] = FRAC_MAX[last - 1];
  }
  return d;
}

function checkPrecFrac(format: string, prec: number, frac: number, allowZero: boolean): void {
  if (
    !Number.isInteger(prec) ||
    !Number.isInteger(frac) ||
    frac < 0 ||
    prec < (allowZero ? 0 : 1) ||
    frac > prec ||
    wordCnt(prec - frac) + wordCnt(frac) > WORD_BUF_LEN
  ) {
    throw new CodecError(format, `invalid precision ${prec} and fraction ${frac}`);
  }
}

const I64_MAX = (1n << 63n) - 1n;
const I64_MIN = -(1n << 63n);
const U64_MAX = (1n << 64n) - 1n;
const BIG_WORD_BASE = BigInt(WORD_BASE);

function fromInteger(v: bigint | number, min: bigint, max: bigint): Decimal {
  let negative: boolean;
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v) || (min === 0n && v < 0)) {
      throw new EvalError(`${v} is not a safe integer in range`, ERR_UNKNOWN);
    }
    negative = v < 0;
    return fromMagnitude(Math.abs(v), negative);
  }
  if (v < min || v > max) throw new EvalError(`${v} is out of range ${min}..${max}`, ERR_UNKNOWN);
  negative = v < 0n;
  const mag = negative ? -v : v;
  if (mag <= BigInt(Number.MAX_SAFE_INTEGER)) return fromMagnitude(Number(mag), negative);
  // Up to 20 digits: three words.
  let words = 1;
  for (let x = mag; x >= BIG_WORD_BASE; x /= BIG_WORD_BASE) words++;
  const d = newDec(words * DIGITS_PER_WORD, 0, negative);
  let x = mag;
  for (let i = words - 1; i >= 0; i--) {
    d.words[i] = Number(x % BIG_WORD_BASE);
    x /= BIG_WORD_BASE;
  }
  return d;
}

/** TiKV `From<u64>` for a magnitude below 2^53: whole integer words. */
function fromMagnitude(mag: number, negative: boolean): Decimal {
  const hi = Math.floor(mag / WORD_BASE);
  const lo = mag - hi * WORD_BASE;
  if (hi === 0) {
    const d = newDec(DIGITS_PER_WORD, 0, negative && mag !== 0);
    d.words[0] = lo;
    return d;
  }
  const d = newDec(2 * DIGITS_PER_WORD, 0, negative);
  d.words[0] = hi;
  d.words[1] = lo;
  return d;
}

function fromScaled(n: number, frac: number): Decimal {
  const negative = n < 0;
  const mag = Math.abs(n);
  const fracWords = wordCnt(frac);
  const pad = fracWords * DIGITS_PER_WORD - frac;
  // The magnitude in base 10^9 (at most two words), then multiplied by 10^pad so that the
  // fractional digits fill whole words: up to three words m2 m1 m0.
  const hi = Math.floor(mag / WORD_BASE);
  const lo = mag - hi * WORD_BASE;
  let m0 = lo;
  let m1 = hi;
  let m2 = 0;
  if (pad > 0) {
    const p = TEN_POW[pad];
    mulWords(lo, p);
    m0 = mulLo;
    const c0 = mulHi;
    mulWords(hi, p);
    const s = mulLo + c0;
    m1 = s >= WORD_BASE ? s - WORD_BASE : s;
    m2 = mulHi + (s >= WORD_BASE ? 1 : 0);
  }
  // Words of the scaled magnitude, least significant first, the low `fracWords` fractional.
  const intWords = Math.max(0, (m2 !== 0 ? 3 : m1 !== 0 ? 2 : 1) - fracWords);
  let intCnt = 0;
  const top = intWords > 0 ? pick(m0, m1, m2, fracWords + intWords - 1) : 0;
  if (intWords > 0) {
    intCnt = (intWords - 1) * DIGITS_PER_WORD + digitCount(top);
  }
  if (intCnt === 0) intCnt = 1;
  const d = newDec(intCnt, frac, negative && mag !== 0);
  const w = d.words;
  const lead = intWords === 0 ? 1 : intWords;
  // Word positions: integer words first (or one zero word), then fractional words.
  for (let i = 0; i < intWords; i++) w[i] = pick(m0, m1, m2, fracWords + intWords - 1 - i);
  for (let i = 0; i < fracWords; i++) w[lead + i] = pick(m0, m1, m2, fracWords - 1 - i);
  return d;
}

function pick(m0: number, m1: number, m2: number, i: number): number {
  return i === 0 ? m0 : i === 1 ? m1 : i === 2 ? m2 : 0;
}

function digitCount(x: number): number {
  let n = 1;
  while (n < DIGITS_PER_WORD && x >= TEN_POW[n]) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Parsing and formatting.

function isAsciiWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function codeAt(input: string | Uint8Array, i: number): number {
  return typeof input === "string" ? input.charCodeAt(i) : input[i];
}

function inputText(input: string | Uint8Array): string {
  return typeof input === "string" ? input : new TextDecoder().decode(input);
}

function parseErrorMessage(input: string | Uint8Array, status: DecimalStatus): string {
  const s = inputText(input);
  if (status === OVERFLOW) return `parsing ${s} will overflow`;
  if (status === TRUNCATED) return `parsing ${s} will truncated`;
  let blank = true;
  for (let i = 0; i < input.length; i++) if (!isAsciiWhitespace(codeAt(input, i))) blank = false;
  return blank ? `"${s}" is empty` : `"${s}" is invalid number`;
}

let expValue = 0;

/**
 * Reads an exponent like TiKV's `bytes_to_int_without_context` into `expValue`: spaces/tabs, a
 * sign, digits; anything else ends it (no digits is 0). Returns false on i64 overflow.
 */
function readExponent(input: string | Uint8Array, from: number): boolean {
  const n = input.length;
  let p = from;
  while (p < n) {
    const c = codeAt(input, p);
    if (c !== 0x20 && c !== 0x09) break;
    p++;
  }
  expValue = 0;
  if (p >= n) return true;
  const c = codeAt(input, p);
  let negative = false;
  let digitsFrom: number;
  if (c === 0x2d) {
    negative = true;
    digitsFrom = p + 1;
  } else if (isDigit(c)) {
    digitsFrom = p;
  } else if (c === 0x2b) {
    digitsFrom = p + 1;
  } else {
    return true;
  }
  let q = digitsFrom;
  while (q < n && isDigit(codeAt(input, q))) q++;
  // Leading zeros do not count towards the size.
  let s = digitsFrom;
  while (s < q && codeAt(input, s) === 0x30) s++;
  if (q - s <= 15) {
    let v = 0;
    for (let i = s; i < q; i++) v = v * 10 + (codeAt(input, i) - 0x30);
    expValue = negative ? -v : v;
    return true;
  }
  let big = 0n;
  for (let i = s; i < q; i++) big = big * 10n + BigInt(codeAt(input, i) - 0x30);
  if (negative ? big > -I64_MIN : big > I64_MAX) return false;
  expValue = Number(negative ? -big : big);
  return true;
}

/** @internal TiKV `from_bytes_with_word_buf`; exported for tests with a small word buffer. */
export function parseWithWordBufLen(input: string | Uint8Array, wordBufLen: number): DecimalResult<Decimal> {
  const n = input.length;
  let p = 0;
  while (p < n && isAsciiWhitespace(codeAt(input, p))) p++;
  if (p === n) return res(zero(), INVALID);
  let negative = false;
  const sign = codeAt(input, p);
  if (sign === 0x2d) {
    negative = true;
    p++;
  } else if (sign === 0x2b) {
    p++;
  }
  // Positions below are absolute; `p` is where the digits start.
  let intEnd = p;
  while (intEnd < n && isDigit(codeAt(input, intEnd))) intEnd++;
  let intCnt = intEnd - p;
  let end = intEnd;
  let fracCnt = 0;
  if (intEnd < n && codeAt(input, intEnd) === 0x2e) {
    end = intEnd + 1;
    while (end < n && isDigit(codeAt(input, end))) end++;
    fracCnt = end - intEnd - 1;
  }
  if (intCnt + fracCnt === 0) return res(zero(), INVALID);
  let status: DecimalStatus = fixWordCntErr(wordCnt(intCnt), wordCnt(fracCnt), wordBufLen);
  const intWords = fixInt;
  const fracWords = fixFrac;
  if (status !== OK) {
    fracCnt = fracWords * DIGITS_PER_WORD;
    if (status === OVERFLOW) intCnt = intWords * DIGITS_PER_WORD;
  }
  let d = newDec(intCnt, fracCnt, negative);
  let w = d.words;
  // Integer digits, from the point leftwards (keeps the low digits on overflow).
  let inner = 0;
  let idx = intWords;
  let word = 0;
  for (let i = intEnd - 1; i >= intEnd - intCnt; i--) {
    word += (codeAt(input, i) - 0x30) * TEN_POW[inner];
    inner++;
    if (inner === DIGITS_PER_WORD) {
      w[--idx] = word;
      word = 0;
      inner = 0;
    }
  }
  if (inner !== 0) w[--idx] = word;
  // Fractional digits, from the point rightwards.
  idx = intWords;
  word = 0;
  inner = 0;
  for (let i = intEnd + 1; i < intEnd + 1 + fracCnt; i++) {
    word = word * 10 + (codeAt(input, i) - 0x30);
    inner++;
    if (inner === DIGITS_PER_WORD) {
      w[idx++] = word;
      word = 0;
      inner = 0;
    }
  }
  if (inner !== 0) w[idx] = word * TEN_POW[DIGITS_PER_WORD - inner];

  if (end < n) {
    const c = codeAt(input, end);
    if (c === 0x65 || c === 0x45) {
      if (!readExponent(input, end + 1)) return res(zero(), INVALID);
      const exp = expValue;
      if (exp > 1073741823) {
        d = maxOrMinDec(d.negative, MAX_DIGITS, 0);
        status = OVERFLOW;
      }
      if (exp < -1073741824 && status !== OVERFLOW) {
        d = zero();
        status = TRUNCATED;
      }
      if (status !== OVERFLOW) {
        const wasTruncated = status === TRUNCATED;
        const shifted = shiftWithWordBufLen(d, exp, WORD_BUF_LEN);
        if (shifted.status === OVERFLOW) {
          d = maxOrMinDec(shifted.value.negative, MAX_DIGITS, 0);
          status = OVERFLOW;
        } else {
          d = shifted.value;
          status = shifted.status === OK && wasTruncated ? TRUNCATED : shifted.status;
        }
      }
    } else {
      for (let i = end; i < n; i++) {
        if (!isAsciiWhitespace(codeAt(input, i))) {
          status = TRUNCATED;
          break;
        }
      }
    }
  }
  const m: Mut = d;
  w = d.words;
  let allZero = true;
  for (let i = 0; i < WORD_BUF_LEN; i++) {
    if (w[i] !== 0) {
      allZero = false;
      break;
    }
  }
  if (allZero) m.negative = false;
  m.resultFracCnt = d.fracCnt;
  return res(d, status);
}

const ZERO_PAD = "000000000";

function pad9(x: number, digits: number): string {
  const s = String(x);
  return s.length >= digits ? s : ZERO_PAD.slice(0, digits - s.length) + s;
}

/** TiKV `to_string_value`. */
function formatDecimal(d: Decimal): string {
  const fracCnt = d.fracCnt;
  let intCnt = removeLeadingZeroes(d, d.intCnt);
  let start = rlzIdx;
  if (intCnt + fracCnt === 0) {
    intCnt = 1;
    start = 0;
  }
  const w = d.words;
  let s = d.negative ? "-" : "";
  const intWords = wordCnt(intCnt);
  if (intCnt > 0) {
    const first = intCnt - (intWords - 1) * DIGITS_PER_WORD;
    s += String(w[start] % TEN_POW[first]);
    for (let i = 1; i < intWords; i++) s += pad9(w[start + i] % WORD_BASE, DIGITS_PER_WORD);
  } else {
    s += "0";
  }
  if (fracCnt > 0) {
    s += ".";
    let left = fracCnt;
    let idx = start + intWords;
    while (left > 0) {
      const x = w[idx++] ?? 0;
      const take = Math.min(left, DIGITS_PER_WORD);
      s += pad9(x % WORD_BASE, DIGITS_PER_WORD).slice(0, take);
      left -= take;
    }
  }
  return s;
}

/** Rust's `f64::to_string`: shortest round-trip digits, never in exponent notation. */
function f64ToPlainString(v: number): string {
  const s = String(v);
  const e = s.indexOf("e");
  if (e < 0) return s;
  const negative = s[0] === "-";
  const mantissa = s.slice(negative ? 1 : 0, e);
  const exp = Number(s.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const pointAt = (dot < 0 ? mantissa.length : dot) + exp;
  let out: string;
  if (pointAt <= 0) out = `0.${"0".repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) out = digits + "0".repeat(pointAt - digits.length);
  else out = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${out}` : out;
}

// ---------------------------------------------------------------------------------------------
// Integer conversions.

function asI64(d: Decimal): DecimalResult<bigint> {
  const intWords = wordCnt(d.intCnt);
  const w = d.words;
  const mag = integerMagnitude(w, intWords);
  if (d.negative ? mag > -I64_MIN : mag > I64_MAX) return res(d.negative ? I64_MIN : I64_MAX, OVERFLOW);
  const v = d.negative ? -mag : mag;
  const end = intWords + wordCnt(d.fracCnt);
  for (let i = intWords; i < end; i++) if (w[i] !== 0) return res(v, TRUNCATED);
  return res(v, OK);
}

function asU64(d: Decimal): DecimalResult<bigint> {
  if (d.negative) return res(0n, OVERFLOW);
  const intWords = wordCnt(d.intCnt);
  const w = d.words;
  const mag = integerMagnitude(w, intWords);
  if (mag > U64_MAX) return res(U64_MAX, OVERFLOW);
  const end = intWords + wordCnt(d.fracCnt);
  for (let i = intWords; i < end; i++) if (w[i] !== 0) return res(mag, TRUNCATED);
  return res(mag, OK);
}

/** The integer words as a bigint, with plain numbers while they stay exact. */
function integerMagnitude(w: number[], intWords: number): bigint {
  let acc = 0;
  let i = 0;
  for (; i < intWords; i++) {
    if (acc > 9_007_198) break;
    acc = acc * WORD_BASE + w[i];
  }
  let big = BigInt(acc);
  for (; i < intWords; i++) big = big * BIG_WORD_BASE + BigInt(w[i]);
  return big;
}

function toScaled(d: Decimal, frac: number): number | null {
  const w = d.words;
  const intWords = wordCnt(d.intCnt);
  const fracWords = wordCnt(d.fracCnt);
  const max = Number.MAX_SAFE_INTEGER;
  let acc = 0;
  for (let i = 0; i < intWords; i++) {
    const x = w[i];
    if (acc > (max - x) / WORD_BASE) return null;
    acc = acc * WORD_BASE + x;
  }
  let left = frac;
  for (let i = 0; i < fracWords; i++) {
    const x = w[intWords + i];
    if (left >= DIGITS_PER_WORD) {
      if (acc > (max - x) / WORD_BASE) return null;
      acc = acc * WORD_BASE + x;
      left -= DIGITS_PER_WORD;
    } else {
      const div = TEN_POW[DIGITS_PER_WORD - left];
      const head = Math.floor(x / div);
      if (x - head * div !== 0) return null;
      for (let j = i + 1; j < fracWords; j++) if (w[intWords + j] !== 0) return null;
      if (left > 0) {
        const m = TEN_POW[left];
        if (acc > (max - head) / m) return null;
        acc = acc * m + head;
      }
      left = 0;
      break;
    }
  }
  while (left > 0) {
    const k = Math.min(left, DIGITS_PER_WORD);
    const m = TEN_POW[k];
    if (acc > max / m) return null;
    acc *= m;
    left -= k;
  }
  return d.negative && acc !== 0 ? -acc : acc;
}

// ---------------------------------------------------------------------------------------------
// Shift and round.

function doMiniLeftShift(d: Decimal, shift: number, beg: number, end: number): void {
  const w = d.words;
  let from = Math.floor(beg / DIGITS_PER_WORD);
  const last = Math.floor((end - 1) / DIGITS_PER_WORD);
  const cShift = DIGITS_PER_WORD - shift;
  if (beg % DIGITS_PER_WORD < shift) w[from - 1] = Math.floor(w[from] / TEN_POW[cShift]);
  while (from < last) {
    w[from] = (w[from] % TEN_POW[cShift]) * TEN_POW[shift] + Math.floor(w[from + 1] / TEN_POW[cShift]);
    from++;
  }
  w[from] = (w[from] % TEN_POW[cShift]) * TEN_POW[shift];
}

function doMiniRightShift(d: Decimal, shift: number, beg: number, end: number): void {
  const w = d.words;
  let from = Math.floor((end - 1) / DIGITS_PER_WORD);
  const last = Math.floor(beg / DIGITS_PER_WORD);
  const cShift = DIGITS_PER_WORD - shift;
  if (DIGITS_PER_WORD - (((end - 1) % DIGITS_PER_WORD) + 1) < shift) {
    w[from + 1] = (w[from] % TEN_POW[shift]) * TEN_POW[cShift];
  }
  while (from > last) {
    w[from] = Math.floor(w[from] / TEN_POW[shift]) + (w[from - 1] % TEN_POW[shift]) * TEN_POW[cShift];
    from--;
  }
  w[from] = Math.floor(w[from] / TEN_POW[shift]);
}

/** @internal TiKV `shift_with_word_buf_len`; exported for tests with a small word buffer. */
export function shiftWithWordBufLen(d: Decimal, shift: number, wordBufLen: number): DecimalResult<Decimal> {
  if (shift === 0) return res(d, OK);
  digitBounds(d);
  let beg = boundBeg;
  let end = boundEnd;
  if (beg === end) return res(zero(), OK);
  const upper = DIGITS_PER_WORD * wordBufLen * 2;
  if (shift > upper) return res(d, OVERFLOW);
  if (shift < -upper) return res(zero(), TRUNCATED);

  const point = wordCnt(d.intCnt) * DIGITS_PER_WORD;
  let newPoint = point + shift;
  const intCnt = newPoint < beg ? 0 : newPoint - beg;
  let fracCnt = newPoint > end ? 0 : end - newPoint;
  const intWords = wordCnt(intCnt);
  let fracWords = wordCnt(fracCnt);
  const newLen = intWords + fracWords;
  let r: Decimal;
  let status: DecimalStatus = OK;
  if (newLen > wordBufLen) {
    const lack = newLen - wordBufLen;
    if (fracWords < lack) return res(d, OVERFLOW);
    fracWords -= lack;
    const diff = fracCnt - fracWords * DIGITS_PER_WORD;
    fracCnt = fracWords * DIGITS_PER_WORD;
    if (end - diff <= beg) return res(zero(), TRUNCATED);
    end -= diff;
    r = roundWithWordBufLen(d, end - point, wordBufLen, RoundMode.HalfEven).value;
    if (r === d) r = cloneDec(d);
    status = TRUNCATED;
  } else {
    r = cloneDec(d);
  }
  const m: Mut = r;
  const w = r.words;

  if (shift % DIGITS_PER_WORD !== 0) {
    let lMini: number;
    let rMini: number;
    let doLeft: boolean;
    if (shift > 0) {
      lMini = shift % DIGITS_PER_WORD;
      rMini = DIGITS_PER_WORD - lMini;
      doLeft = lMini <= beg;
    } else {
      rMini = -shift % DIGITS_PER_WORD;
      lMini = DIGITS_PER_WORD - rMini;
      doLeft = DIGITS_PER_WORD * wordBufLen - end < rMini;
    }
    let mini: number;
    if (doLeft) {
      doMiniLeftShift(r, lMini, beg, end);
      mini = -lMini;
    } else {
      doMiniRightShift(r, rMini, beg, end);
      mini = rMini;
    }
    newPoint += mini;
    if (shift + mini === 0 && newPoint - intCnt < DIGITS_PER_WORD) {
      m.intCnt = intCnt;
      m.fracCnt = fracCnt;
      return res(r, status);
    }
    beg += mini;
    end += mini;
  }

  const newFront = newPoint - intCnt;
  if (newFront >= DIGITS_PER_WORD || newFront < 0) {
    let wordShift: number;
    if (newFront > 0) {
      wordShift = Math.floor(newFront / DIGITS_PER_WORD);
      const to = Math.floor(beg / DIGITS_PER_WORD) - wordShift;
      const barrier = Math.floor((end - 1) / DIGITS_PER_WORD) - wordShift;
      for (let i = to; i <= barrier; i++) w[i] = w[i + wordShift];
      for (let i = barrier + 1; i <= barrier + wordShift; i++) w[i] = 0;
      wordShift = -wordShift;
    } else {
      wordShift = Math.floor((1 - newFront) / DIGITS_PER_WORD);
      const to = Math.floor((end - 1) / DIGITS_PER_WORD) + wordShift;
      const barrier = Math.floor(beg / DIGITS_PER_WORD) + wordShift;
      for (let i = to; i >= barrier; i--) w[i] = w[i - wordShift];
      for (let i = barrier - wordShift; i < barrier; i++) w[i] = 0;
    }
    const shiftCnt = wordShift * DIGITS_PER_WORD;
    beg += shiftCnt;
    end += shiftCnt;
    newPoint += shiftCnt;
  }
  const begWord = Math.floor(beg / DIGITS_PER_WORD);
  const endWord = Math.floor((end - 1) / DIGITS_PER_WORD);
  const newPointWord = newPoint !== 0 ? Math.trunc((newPoint - 1) / DIGITS_PER_WORD) : 0;
  if (newPointWord > endWord) {
    for (let i = endWord + 1; i <= newPointWord; i++) w[i] = 0;
  } else {
    for (let i = newPointWord; i < begWord; i++) w[i] = 0;
  }
  m.intCnt = intCnt;
  m.fracCnt = fracCnt;
  return res(r, status);
}

/** @internal TiKV `round_with_word_buf_len`; exported for tests with a small word buffer. */
export function roundWithWordBufLen(
  d: Decimal,
  frac: number,
  wordBufLen: number,
  mode: RoundMode,
): DecimalResult<Decimal> {
  if (frac > MAX_FRACTION) frac = MAX_FRACTION;
  let fracWordsTo = frac > 0 ? wordCnt(frac) : Math.trunc((frac + 1) / DIGITS_PER_WORD);
  const intWords = wordCnt(d.intCnt);
  const fracWords = wordCnt(d.fracCnt);
  let status: DecimalStatus = OK;
  if (intWords + fracWordsTo > wordBufLen) {
    fracWordsTo = wordBufLen - intWords;
    frac = fracWordsTo * DIGITS_PER_WORD;
    status = TRUNCATED;
  } else if (d.intCnt + frac < 0) {
    return res(zero(), OK);
  }
  const r = cloneDec(d);
  const m: Mut = r;
  const w = r.words;
  m.intCnt = Math.min(intWords, wordBufLen) * DIGITS_PER_WORD;
  if (fracWordsTo > fracWords) {
    for (let i = intWords + fracWords; i < intWords + fracWordsTo; i++) w[i] = 0;
    m.fracCnt = frac;
    m.resultFracCnt = frac;
    return res(r, status);
  }
  if (frac >= r.fracCnt) {
    m.fracCnt = frac;
    m.resultFracCnt = frac;
    return res(r, status);
  }

  // Round at the last kept digit.
  let toIdx = intWords + fracWordsTo - 1;
  if (frac === fracWordsTo * DIGITS_PER_WORD) {
    let inc: boolean;
    if (mode === RoundMode.Ceiling) {
      inc = false;
      const last = toIdx + fracWords - fracWordsTo;
      for (let i = toIdx + 1; i <= last; i++) {
        if (w[i] !== 0) {
          inc = true;
          break;
        }
      }
    } else if (mode === RoundMode.HalfEven) {
      inc = Math.floor(w[toIdx + 1] / DIG_MASK) >= 5;
    } else {
      inc = false;
    }
    if (inc) {
      if (toIdx >= 0) {
        w[toIdx] += 1;
      } else {
        toIdx++;
        w[toIdx] = WORD_BASE;
      }
    } else if (intWords + fracWordsTo === 0) {
      return res(zero(), OK);
    }
  } else {
    const pos = fracWordsTo * DIGITS_PER_WORD - frac - 1;
    const p = TEN_POW[pos];
    let shifted = Math.floor(w[toIdx] / p);
    const dig = shifted % 10;
    let inc: boolean;
    if (mode === RoundMode.Ceiling) {
      // Any non-zero dropped digit rounds up (TiKV only looks at the first one; see docs).
      inc = dig > 0 || w[toIdx] % p !== 0;
      for (let i = toIdx + 1; !inc && i < intWords + fracWords; i++) inc = w[i] !== 0;
    } else if (mode === RoundMode.HalfEven) {
      inc = dig >= 5;
    } else {
      inc = false;
    }
    if (inc) shifted += 10;
    w[toIdx] = p * (shifted - dig);
  }
  if (fracWordsTo < fracWords) {
    const from = frac === 0 && intWords === 0 ? 1 : intWords + fracWordsTo;
    for (let i = from; i < wordBufLen; i++) w[i] = 0;
  }
  return handleCarry(r, status, toIdx, frac, fracWordsTo, intWords, wordBufLen);
}

function handleCarry(
  r: Decimal,
  status: DecimalStatus,
  toIdx: number,
  frac: number,
  fracWordTo: number,
  intWords: number,
  wordBufLen: number,
): DecimalResult<Decimal> {
  const m: Mut = r;
  const w = r.words;
  if (w[toIdx] >= WORD_BASE) {
    let carry = 1;
    w[toIdx] -= WORD_BASE;
    while (carry === 1 && toIdx > 0) {
      toIdx--;
      const sum = w[toIdx] + carry;
      if (sum >= WORD_BASE) {
        w[toIdx] = sum - WORD_BASE;
        carry = 1;
      } else {
        w[toIdx] = sum;
        carry = 0;
      }
    }
    if (carry > 0) {
      if (intWords + fracWordTo >= wordBufLen) {
        fracWordTo--;
        frac = fracWordTo * DIGITS_PER_WORD;
        status = TRUNCATED;
      }
      for (let i = intWords + Math.max(fracWordTo, 0) - 1; i >= 0; i--) {
        if (i + 1 < wordBufLen) w[i + 1] = w[i];
        else status = OVERFLOW;
      }
      toIdx = 0;
      w[0] = 1;
      if (r.intCnt < DIGITS_PER_WORD * wordBufLen) m.intCnt = r.intCnt + 1;
      else status = OVERFLOW;
    }
  } else {
    while (w[toIdx] === 0) {
      if (toIdx === 0) {
        m.intCnt = 1;
        m.negative = false;
        m.fracCnt = Math.max(0, frac);
        m.resultFracCnt = r.fracCnt;
        for (let i = 0; i < fracWordTo + 1; i++) w[i] = 0;
        return res(r, OK);
      }
      toIdx--;
    }
  }
  const firstDig = r.intCnt % DIGITS_PER_WORD;
  if (firstDig > 0 && w[toIdx] >= TEN_POW[firstDig]) m.intCnt = r.intCnt + 1;
  m.fracCnt = Math.max(0, frac);
  m.resultFracCnt = r.fracCnt;
  return res(r, status);
}

// ---------------------------------------------------------------------------------------------
// Compare, add, subtract.

let scFracWordTo = 0;
let scLStart = 0;
let scLInt = 0;
let scLFrac = 0;
let scRStart = 0;
let scRInt = 0;
let scRFrac = 0;

// ---------------------------------------------------------------------------------------------
// Add and subtract over the chunk word layout (TiKV `do_add`, `do_sub`, `calc_sub_carry`),
// reading the operands' header and nine words in place and writing the result's, so that a
// vectorized `+` / `-` makes no object per row. `Decimal.add`, `sub` and `compare` run on these too
// (through scratch words), so there is one implementation.

/**
 * Compares |a| and |b| (TiKV `calc_sub_carry`) over words at `a[ao ..]`, `b[bo ..]` (header then
 * nine words): -1 if equal, 0 if |a| > |b|, 1 if |a| < |b|; leaves in the `sc*` variables where
 * each operand's significant words start and how many integer/fractional words take part
 * (trailing zero words dropped when the integer parts tie).
 */
function calcSubCarryWords(a: Int32Array, ao: number, b: Int32Array, bo: number): number {
  const lw = ao + 1;
  const rw = bo + 1;
  const lIntW = wordCnt(a[ao] & 0xff);
  let lFracW = wordCnt((a[ao] >>> 8) & 0xff);
  const rIntW = wordCnt(b[bo] & 0xff);
  let rFracW = wordCnt((b[bo] >>> 8) & 0xff);
  scFracWordTo = Math.max(lFracW, rFracW);
  let lIdx = 0;
  while (lIdx < lIntW && a[lw + lIdx] === 0) lIdx++;
  const lStart = lIdx;
  const lInt = lIntW - lIdx;
  let rIdx = 0;
  while (rIdx < rIntW && b[rw + rIdx] === 0) rIdx++;
  const rStart = rIdx;
  const rInt = rIntW - rIdx;
  let carry: number;
  if (rInt > lInt) {
    carry = 1;
  } else if (rInt === lInt) {
    let lEnd = lIntW + lFracW - 1;
    let rEnd = rIntW + rFracW - 1;
    while (lIdx <= lEnd && a[lw + lEnd] === 0) lEnd--;
    while (rIdx <= rEnd && b[rw + rEnd] === 0) rEnd--;
    lFracW = Math.max(0, lEnd + 1 - lIntW);
    rFracW = Math.max(0, rEnd + 1 - rIntW);
    while (lIdx <= lEnd && rIdx <= rEnd && a[lw + lIdx] === b[rw + rIdx]) {
      lIdx++;
      rIdx++;
    }
    if (lIdx <= lEnd) carry = rIdx <= rEnd && b[rw + rIdx] > a[lw + lIdx] ? 1 : 0;
    else if (rIdx <= rEnd) carry = 1;
    else carry = -1;
  } else {
    carry = 0;
  }
  scLStart = lStart;
  scLInt = lInt;
  scLFrac = lFracW;
  scRStart = rStart;
  scRInt = rInt;
  scRFrac = rFracW;
  return carry;
}

/** TiKV `do_sub` over words: |lhs| - |rhs| into `out[oo ..]` (header's display fraction left 0). */
function doSubWords(
  a: Int32Array,
  ao: number,
  b: Int32Array,
  bo: number,
  out: Int32Array,
  oo: number,
): DecimalStatus {
  const carry0 = calcSubCarryWords(a, ao, b, bo);
  const w = oo + 1;
  for (let i = 0; i < WORD_BUF_LEN; i++) out[w + i] = 0;
  if (carry0 < 0) {
    out[oo] = packHeader(1, 0, 0, false);
    return OK;
  }
  let fracWordTo = scFracWordTo;
  let l = a;
  let lo = ao;
  let r = b;
  let ro = bo;
  let lStart = scLStart;
  let lInt = scLInt;
  let lFrac = scLFrac;
  let rStart = scRStart;
  let rInt = scRInt;
  let rFrac = scRFrac;
  const lhsNegative = a[ao] >>> 24 !== 0;
  let negative: boolean;
  if (carry0 > 0) {
    l = b;
    lo = bo;
    r = a;
    ro = ao;
    [lStart, rStart] = [rStart, lStart];
    [lInt, rInt] = [rInt, lInt];
    [lFrac, rFrac] = [rFrac, lFrac];
    negative = !lhsNegative;
  } else {
    negative = lhsNegative;
  }
  const status = fixWordCntErr(lInt, fracWordTo, WORD_BUF_LEN);
  lInt = fixInt;
  fracWordTo = fixFrac;
  let idxTo = lInt + fracWordTo;
  let fracCnt = Math.max((l[lo] >>> 8) & 0xff, (r[ro] >>> 8) & 0xff);
  const intCnt = lInt * DIGITS_PER_WORD;
  if (status !== OK) {
    fracCnt = Math.min(fracCnt, fracWordTo * DIGITS_PER_WORD);
    lFrac = Math.min(lFrac, fracWordTo);
    rFrac = Math.min(rFrac, fracWordTo);
    rInt = Math.min(rInt, lInt);
  }
  out[oo] = packHeader(intCnt, fracCnt, 0, negative);
  const lw = lo + 1;
  const rw = ro + 1;
  let carry = 0;
  let lIdx = lStart + lInt + lFrac;
  let rIdx = rStart + rInt + rFrac;
  if (lFrac > rFrac) {
    const lStop = lStart + lInt + rFrac;
    if (lFrac < fracWordTo) idxTo -= fracWordTo - lFrac;
    while (lIdx > lStop) out[w + --idxTo] = l[lw + --lIdx];
  } else {
    const rStop = rStart + rInt + lFrac;
    if (fracWordTo > rFrac) idxTo -= fracWordTo - rFrac;
    while (rIdx > rStop) {
      const diff = -r[rw + --rIdx] - carry;
      idxTo--;
      if (diff < 0) {
        out[w + idxTo] = diff + WORD_BASE;
        carry = 1;
      } else {
        out[w + idxTo] = diff;
        carry = 0;
      }
    }
  }
  while (rIdx > rStart) {
    const diff = l[lw + --lIdx] - r[rw + --rIdx] - carry;
    idxTo--;
    if (diff < 0) {
      out[w + idxTo] = diff + WORD_BASE;
      carry = 1;
    } else {
      out[w + idxTo] = diff;
      carry = 0;
    }
  }
  while (carry > 0 && lIdx > lStart) {
    const diff = l[lw + --lIdx] - carry;
    idxTo--;
    if (diff < 0) {
      out[w + idxTo] = diff + WORD_BASE;
      carry = 1;
    } else {
      out[w + idxTo] = diff;
      carry = 0;
    }
  }
  while (lIdx > lStart) out[w + --idxTo] = l[lw + --lIdx];
  return status;
}

/** TiKV `do_add` over words: |lhs| + |rhs| with the sign of lhs into `out[oo ..]` (display fraction 0). */
function doAddWords(
  a: Int32Array,
  ao: number,
  b: Int32Array,
  bo: number,
  out: Int32Array,
  oo: number,
): DecimalStatus {
  const ah = a[ao];
  const bh = b[bo];
  let lInt = wordCnt(ah & 0xff);
  let lFrac = wordCnt((ah >>> 8) & 0xff);
  let rInt = wordCnt(bh & 0xff);
  let rFrac = wordCnt((bh >>> 8) & 0xff);
  const la = ao + 1;
  const rb = bo + 1;
  let intWordTo = Math.max(lInt, rInt);
  let fracWordTo = Math.max(lFrac, rFrac);
  const x = lInt > rInt ? a[la] : lInt < rInt ? b[rb] : a[la] + b[rb];
  if (x > WORD_MAX - 1) intWordTo++;
  const status = fixWordCntErr(intWordTo, fracWordTo, WORD_BUF_LEN);
  if (status === OVERFLOW) {
    maxOrMinDec(false, MAX_DIGITS, 0).writeWords(out, oo);
    out[oo] &= 0xff00ffff; // display fraction 0, like the other results here
    return OVERFLOW;
  }
  intWordTo = fixInt;
  fracWordTo = fixFrac;
  let idxTo = intWordTo + fracWordTo;
  let fracCnt = Math.max((ah >>> 8) & 0xff, (bh >>> 8) & 0xff);
  const w = oo + 1;
  for (let i = 0; i < WORD_BUF_LEN; i++) out[w + i] = 0;
  if (status !== OK) {
    fracCnt = Math.min(fracWordTo * DIGITS_PER_WORD, fracCnt);
    lFrac = Math.min(fracWordTo, lFrac);
    rFrac = Math.min(rFrac, fracWordTo);
    lInt = Math.min(lInt, intWordTo);
    rInt = Math.min(rInt, intWordTo);
  }
  out[oo] = packHeader(intWordTo * DIGITS_PER_WORD, fracCnt, 0, ah >>> 24 !== 0);
  // `x` is the operand with more fractional words; its extra words are copied as they are.
  let x0: Int32Array;
  let xo: number;
  let y0: Int32Array;
  let yo: number;
  let xIdx: number;
  let xStop: number;
  let yIdx: number;
  let yStop: number;
  if (lFrac > rFrac) {
    x0 = a;
    xo = la;
    y0 = b;
    yo = rb;
    xIdx = lInt + lFrac;
    xStop = lInt + rFrac;
    yIdx = rInt + rFrac;
    yStop = Math.max(0, lInt - rInt);
  } else {
    x0 = b;
    xo = rb;
    y0 = a;
    yo = la;
    xIdx = rInt + rFrac;
    xStop = rInt + lFrac;
    yIdx = lInt + lFrac;
    yStop = Math.max(0, rInt - lInt);
  }
  while (xIdx > xStop) out[w + --idxTo] = x0[xo + --xIdx];
  let carry = 0;
  while (xIdx > yStop) {
    const sum = x0[xo + --xIdx] + y0[yo + --yIdx] + carry;
    idxTo--;
    if (sum >= WORD_BASE) {
      out[w + idxTo] = sum - WORD_BASE;
      carry = 1;
    } else {
      out[w + idxTo] = sum;
      carry = 0;
    }
  }
  // The remaining high integer words of the operand with more of them.
  let rest: Int32Array;
  let restO: number;
  let idx: number;
  if (lInt > rInt) {
    idx = lInt - rInt;
    rest = a;
    restO = la;
  } else {
    idx = rInt - lInt;
    rest = b;
    restO = rb;
  }
  while (idx > 0) {
    const sum = rest[restO + --idx] + carry;
    idxTo--;
    if (sum >= WORD_BASE) {
      out[w + idxTo] = sum - WORD_BASE;
      carry = 1;
    } else {
      out[w + idxTo] = sum;
      carry = 0;
    }
  }
  if (carry > 0) out[w + --idxTo] = 1;
  return status;
}

/**
 * `a + b` (or `a - b` when `subtract`) over the 10-word chunk layout ({@link Decimal.readWords}):
 * the operands at `a[ao ..]` and `b[bo ..]`, the result written to `out[oo ..]` — exactly what
 * {@link Decimal.add} / {@link Decimal.sub} give (MySQL `decimal_add` / `decimal_sub`: digit
 * counts, every word, the display fraction the larger of the operands'), without making an object.
 * `out` may not overlap the operands. Returns the status (Truncated or Overflow as TiKV).
 */
export function decimalAddWords(
  a: Int32Array,
  ao: number,
  b: Int32Array,
  bo: number,
  out: Int32Array,
  oo: number,
  subtract = false,
): DecimalStatus {
  const sameSign = a[ao] >>> 24 === b[bo] >>> 24;
  const status =
    sameSign !== subtract ? doAddWords(a, ao, b, bo, out, oo) : doSubWords(a, ao, b, bo, out, oo);
  const rf = Math.max((a[ao] >>> 16) & 0xff, (b[bo] >>> 16) & 0xff);
  out[oo] = (out[oo] & 0xff00ffff) | (rf << 16);
  return status;
}

/**
 * {@link Decimal.compare} over the 10-word chunk layout: -1, 0 or 1 as the decimal at `a[ao ..]`
 * is less than, equal to or greater than the one at `b[bo ..]` (1.0 equals 1.00), without making
 * an object.
 */
export function decimalCompareWords(a: Int32Array, ao: number, b: Int32Array, bo: number): -1 | 0 | 1 {
  const negative = a[ao] >>> 24 !== 0;
  if (negative !== (b[bo] >>> 24 !== 0)) return negative ? -1 : 1;
  const carry = calcSubCarryWords(a, ao, b, bo);
  if (carry < 0) return 0;
  return carry > 0 === negative ? 1 : -1;
}

const ADD_A = new Int32Array(DECIMAL_CHUNK_WORDS);
const ADD_B = new Int32Array(DECIMAL_CHUNK_WORDS);
const ADD_OUT = new Int32Array(DECIMAL_CHUNK_WORDS);

/** `Decimal.add` / `sub` through {@link decimalAddWords}. */
function addViaWords(lhs: Decimal, rhs: Decimal, subtract: boolean): DecimalResult<Decimal> {
  lhs.writeWords(ADD_A, 0);
  rhs.writeWords(ADD_B, 0);
  const status = decimalAddWords(ADD_A, 0, ADD_B, 0, ADD_OUT, 0, subtract);
  const h = ADD_OUT[0];
  const words = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < WORD_BUF_LEN; i++) words[i] = ADD_OUT[1 + i];
  return res(new Decimal(h & 0xff, (h >>> 8) & 0xff, (h >>> 16) & 0xff, h >>> 24 === 1, words), status);
}

// ---------------------------------------------------------------------------------------------
// Multiply.

const MUL_A = new Int32Array(DECIMAL_CHUNK_WORDS);
const MUL_B = new Int32Array(DECIMAL_CHUNK_WORDS);
const MUL_OUT = new Int32Array(DECIMAL_CHUNK_WORDS);

function doMul(lhs: Decimal, rhs: Decimal): DecimalResult<Decimal> {
  lhs.writeWords(MUL_A, 0);
  rhs.writeWords(MUL_B, 0);
  const status = decimalMulWords(MUL_A, 0, MUL_B, 0, MUL_OUT, 0);
  const h = MUL_OUT[0];
  const words = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < WORD_BUF_LEN; i++) words[i] = MUL_OUT[1 + i];
  return res(new Decimal(h & 0xff, (h >>> 8) & 0xff, (h >>> 16) & 0xff, h >>> 24 === 1, words), status);
}

function packHeader(intCnt: number, fracCnt: number, resultFracCnt: number, negative: boolean): number {
  return intCnt | (fracCnt << 8) | (resultFracCnt << 16) | ((negative ? 1 : 0) << 24);
}

/**
 * `a * b` over the 10-word chunk layout ({@link Decimal.readWords}): the operands at `a[ao ..]`
 * and `b[bo ..]`, the product written to `out[oo ..]` — exactly what {@link Decimal.mul} gives
 * (MySQL `decimal_mul` with MySQL's carry), digit counts and every word included, without making
 * an object: what a vectorized multiplication uses. Returns the status (Overflow leaves the
 * overflow value TiKV leaves).
 */
export function decimalMulWords(
  a: Int32Array,
  ao: number,
  b: Int32Array,
  bo: number,
  out: Int32Array,
  oo: number,
): DecimalStatus {
  const ah = a[ao];
  const bh = b[bo];
  const aInt = ah & 0xff;
  const aFrac = (ah >>> 8) & 0xff;
  const bInt = bh & 0xff;
  const bFrac = (bh >>> 8) & 0xff;
  const lInt = wordCnt(aInt);
  let lFrac = wordCnt(aFrac);
  let rInt = wordCnt(bInt);
  let rFrac = wordCnt(bFrac);
  const oldRInt = rInt;
  let oldIntWordTo = wordCnt(aInt + bInt);
  let oldFracWordTo = lFrac + rFrac;
  const status = fixWordCntErr(oldIntWordTo, oldFracWordTo, WORD_BUF_LEN);
  const intWordTo = fixInt;
  const fracWordTo = fixFrac;
  let intCnt = intWordTo * DIGITS_PER_WORD;
  let fracCnt = Math.min(aFrac + bFrac, NOT_FIXED_DEC);
  const negative = ah >>> 24 !== bh >>> 24;
  const resultFracCnt = Math.min(((ah >>> 16) & 0xff) + ((bh >>> 16) & 0xff), MAX_FRACTION);
  const w = oo + 1;
  for (let i = 0; i < WORD_BUF_LEN; i++) out[w + i] = 0;
  out[oo] = packHeader(intCnt, fracCnt, resultFracCnt, negative);
  if (status === OVERFLOW) return OVERFLOW;
  if (status !== OK) {
    fracCnt = Math.min(fracCnt, fracWordTo * DIGITS_PER_WORD);
    out[oo] = packHeader(intCnt, fracCnt, resultFracCnt, negative);
    if (oldIntWordTo > intWordTo) {
      oldIntWordTo -= intWordTo;
      oldFracWordTo = Math.trunc(oldIntWordTo / 2);
      rInt = oldIntWordTo - oldFracWordTo;
      lFrac = 0;
      rFrac = 0;
    } else {
      oldFracWordTo -= fracWordTo;
      oldIntWordTo = Math.trunc(oldFracWordTo / 2);
      if (lFrac <= rFrac) {
        lFrac -= oldIntWordTo;
        rFrac -= oldFracWordTo - oldIntWordTo;
      } else {
        rFrac -= oldIntWordTo;
        lFrac -= oldFracWordTo - oldIntWordTo;
      }
    }
  }
  const la = ao + 1;
  const rb = bo + 1;
  let startTo = intWordTo + fracWordTo - 1;
  const rStart = oldRInt + rFrac - 1;
  const rStop = oldRInt - rInt;
  for (let lIdx = lInt + lFrac - 1; lIdx >= 0; lIdx--, startTo--) {
    let carry = 0;
    let idxTo = startTo;
    for (let rIdx = rStart; rIdx >= rStop; rIdx--, idxTo--) {
      mulWords(a[la + lIdx], b[rb + rIdx]);
      // out + lo + carry stays below 3 * 10^9; carry out up to 2 (MySQL ADD2).
      let sum = out[w + idxTo] + mulLo + carry;
      carry = mulHi;
      if (sum >= WORD_BASE) {
        sum -= WORD_BASE;
        carry++;
        if (sum >= WORD_BASE) {
          sum -= WORD_BASE;
          carry++;
        }
      }
      out[w + idxTo] = sum;
    }
    while (carry > 0) {
      if (idxTo < 0) return OVERFLOW;
      const sum = out[w + idxTo] + carry;
      if (sum >= WORD_BASE) {
        out[w + idxTo] = sum - WORD_BASE;
        carry = 1;
      } else {
        out[w + idxTo] = sum;
        carry = 0;
      }
      idxTo--;
    }
  }
  // -0 becomes the canonical 0 (TiKV: one integer digit, no fraction, display fraction 0).
  if (negative) {
    const end = intWordTo + fracWordTo;
    let idx = 0;
    while (out[w + idx] === 0) {
      idx++;
      if (idx === end) {
        for (let i = 0; i < WORD_BUF_LEN; i++) out[w + i] = 0;
        out[oo] = packHeader(1, 0, 0, false);
        return status;
      }
    }
  }
  // Drop leading zero integer words (the words past the moved ones keep their values, as TiKV).
  let idxTo = 0;
  let toMove = intWordTo + wordCnt(fracCnt);
  while (out[w + idxTo] === 0 && intCnt > DIGITS_PER_WORD) {
    idxTo++;
    intCnt -= DIGITS_PER_WORD;
    toMove--;
  }
  if (idxTo > 0) {
    for (let i = 0; i < toMove; i++) out[w + i] = out[w + idxTo++];
  }
  out[oo] = packHeader(intCnt, fracCnt, resultFracCnt, negative);
  return status;
}

// ---------------------------------------------------------------------------------------------
// Divide and modulo.

/**
 * One quotient word of a long division: divides the window `top, buf[at .. at + rLen]` (which is
 * below `divisor × 10^9`) by the `rLen + 1` words `rw[rStart ..]`, leaves the remainder in the
 * window and returns the quotient word. The estimate from the leading words is corrected with
 * exact word arithmetic, so the word is exact.
 */
function divStep(buf: number[], at: number, top: number, rw: number[], rStart: number, rLen: number): number {
  let q: number;
  if (rLen === 0) {
    q = Math.floor((top * WORD_BASE + buf[at]) / rw[rStart]);
  } else {
    const num = (top * WORD_BASE + buf[at]) * WORD_BASE + buf[at + 1];
    q = Math.floor(num / (rw[rStart] * WORD_BASE + rw[rStart + 1]));
  }
  if (q > WORD_MAX) q = WORD_MAX;
  if (q < 0) q = 0;
  let borrow = 0;
  for (let j = rLen; j >= 0; j--) {
    mulWords(q, rw[rStart + j]);
    let t = buf[at + j] - mulLo - borrow;
    let k = 0;
    if (t < 0) {
      k = Math.ceil(-t / WORD_BASE);
      t += k * WORD_BASE;
    }
    buf[at + j] = t;
    borrow = mulHi + k;
  }
  let hi = top - borrow;
  while (hi < 0) {
    q--;
    let carry = 0;
    for (let j = rLen; j >= 0; j--) {
      const s = buf[at + j] + rw[rStart + j] + carry;
      if (s >= WORD_BASE) {
        buf[at + j] = s - WORD_BASE;
        carry = 1;
      } else {
        buf[at + j] = s;
        carry = 0;
      }
    }
    hi += carry;
  }
  while (hi > 0 || windowGe(buf, at, rw, rStart, rLen)) {
    q++;
    let carry = 0;
    for (let j = rLen; j >= 0; j--) {
      const s = buf[at + j] - rw[rStart + j] - carry;
      if (s < 0) {
        buf[at + j] = s + WORD_BASE;
        carry = 1;
      } else {
        buf[at + j] = s;
        carry = 0;
      }
    }
    hi -= carry;
  }
  return q;
}

function windowGe(buf: number[], at: number, rw: number[], rStart: number, rLen: number): boolean {
  for (let j = 0; j <= rLen; j++) {
    const a = buf[at + j];
    const b = rw[rStart + j];
    if (a !== b) return a > b;
  }
  return true;
}

/** @internal TiKV `do_div_mod_impl`: null when `rhs` is zero. */
export function divModImpl(
  lhs: Decimal,
  rhs: Decimal,
  fracIncr: number,
  doMod: boolean,
  resultFrac: number | undefined,
): DecimalResult<Decimal> | null {
  const rFracCnt = wordCnt(rhs.fracCnt) * DIGITS_PER_WORD;
  const rPrec = removeLeadingZeroes(rhs, rhs.intCnt + rFracCnt);
  const rIdx = rlzIdx;
  if (rPrec === 0) return null;
  const lFracCnt = wordCnt(lhs.fracCnt) * DIGITS_PER_WORD;
  const lPrec = removeLeadingZeroes(lhs, lhs.intCnt + lFracCnt);
  const lIdx0 = rlzIdx;
  if (lPrec === 0) return res(resultFrac === undefined ? zero() : newDec(0, resultFrac, false), OK);

  fracIncr = Math.max(0, fracIncr - (lFracCnt - lhs.fracCnt + rFracCnt - rhs.fracCnt));
  const lw = lhs.words;
  const rw = rhs.words;
  let intCntTo = lPrec - lFracCnt - (rPrec - rFracCnt);
  if (lw[lIdx0] >= rw[rIdx]) intCntTo++;
  let intWordTo: number;
  if (intCntTo < 0) {
    intCntTo = Math.trunc(intCntTo / DIGITS_PER_WORD);
    intWordTo = 0;
  } else {
    intWordTo = wordCnt(intCntTo);
  }
  let fracWordTo: number;
  let status: DecimalStatus = OK;
  let d: Decimal;
  if (doMod) {
    fracWordTo = 0;
    d = newDec(0, Math.max(lhs.fracCnt, rhs.fracCnt), lhs.negative);
  } else {
    fracWordTo = wordCnt(lFracCnt + rFracCnt + fracIncr);
    status = fixWordCntErr(intWordTo, fracWordTo, WORD_BUF_LEN);
    intWordTo = fixInt;
    fracWordTo = fixFrac;
    d = newDec(intWordTo * DIGITS_PER_WORD, fracWordTo * DIGITS_PER_WORD, lhs.negative !== rhs.negative);
  }
  const m: Mut = d;
  const out = d.words;
  let idxTo = !doMod && intCntTo < 0 ? Math.min(-intCntTo, WORD_BUF_LEN) : 0;
  const lWords = wordCnt(lPrec);
  const bufLen = Math.max(3, lWords + wordCnt(rFracCnt * 2 + fracIncr + 1) + 1) + 2;
  const buf = new Array<number>(bufLen).fill(0);
  for (let i = 0; i < lWords; i++) buf[i] = lw[lIdx0 + i];

  const rStart = rIdx;
  let rStop = rIdx + wordCnt(rPrec) - 1;
  while (rStop >= rStart && rw[rStop] === 0) rStop--;
  const rLen = rStop - rStart;
  const r0 = rw[rStart];

  let bi = 0;
  let dcarry = 0;
  if (buf[0] < r0) {
    dcarry = buf[0];
    bi = 1;
  }
  for (let k = idxTo; k < intWordTo + fracWordTo; k++) {
    const q = dcarry === 0 && buf[bi] < r0 ? 0 : divStep(buf, bi, dcarry, rw, rStart, rLen);
    if (!doMod) out[k] = q;
    dcarry = buf[bi];
    bi++;
  }

  if (doMod) {
    if (dcarry !== 0) buf[--bi] = dcarry;
    idxTo = 0;
    const intCntRem = lPrec - lFracCnt - bi * DIGITS_PER_WORD;
    let intWordRem = intCntRem < 0 ? Math.trunc(intCntRem / DIGITS_PER_WORD) : wordCnt(intCntRem);
    let fracWordRem = wordCnt(d.fracCnt);
    if (intWordRem === 0 && fracWordRem === 0) return res(zero(), OK);
    let stop: number;
    if (intWordRem <= 0) {
      if (-intWordRem >= WORD_BUF_LEN) return res(zero(), TRUNCATED);
      stop = bi + intWordRem + fracWordRem;
      fracWordRem += intWordRem;
      m.intCnt = 0;
      while (intWordRem < 0) {
        out[idxTo++] = 0;
        intWordRem++;
      }
    } else {
      if (intWordRem > WORD_BUF_LEN) {
        m.intCnt = MAX_DIGITS;
        m.fracCnt = 0;
        return res(d, OVERFLOW);
      }
      stop = bi + intWordRem + fracWordRem;
      m.intCnt = Math.min(intWordRem * DIGITS_PER_WORD, rhs.intCnt);
    }
    if (intWordRem + fracWordRem > WORD_BUF_LEN) {
      stop -= intWordRem + fracWordRem - WORD_BUF_LEN;
      fracWordRem = WORD_BUF_LEN - intWordRem;
      // TiKV computes `frac_word_to - int_word_to` here (digits from words, underflowing for
      // large values); MySQL and TiDB keep the fractional words' digits, as done here.
      m.fracCnt = fracWordRem * DIGITS_PER_WORD;
      status = TRUNCATED;
    }
    for (let i = bi; i < stop; i++) out[idxTo++] = buf[i];
  }
  if (d.isZero()) m.negative = false;
  return res(d, status);
}

// ---------------------------------------------------------------------------------------------
// Hash.

function mix(h: number, v: number): number {
  let k = Math.imul(v, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function hashDecimal(d: Decimal): number {
  const w = d.words;
  const intW = wordCnt(d.intCnt);
  const fracW = wordCnt(d.fracCnt);
  let start = 0;
  while (start < intW && w[start] === 0) start++;
  let end = intW + fracW - 1;
  while (start <= end && w[end] === 0) end--;
  let h = mix(0x2545f491, intW - start);
  for (let i = start; i <= end; i++) h = mix(h, w[i]);
  h = mix(h, d.negative && start <= end ? 1 : 0);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Binary format.

function binSize(prec: number, frac: number): number {
  const intCnt = prec - frac;
  const intWords = Math.floor(intCnt / DIGITS_PER_WORD);
  const fracWords = Math.floor(frac / DIGITS_PER_WORD);
  return (
    intWords * WORD_SIZE +
    DIG_2_BYTES[intCnt - intWords * DIGITS_PER_WORD] +
    fracWords * WORD_SIZE +
    DIG_2_BYTES[frac - fracWords * DIGITS_PER_WORD]
  );
}

// The last (precision, fraction) sized by decimalBinSize (an object, not module-level `let`s).
const BIN_SIZE = {
  sizePrec: -1,
  sizeFrac: -1,
  sizeBytes: 0,
};

/**
 * Bytes of the MySQL binary form of DECIMAL(`prec`, `frac`) (TiKV `dec_encoded_len` without the
 * two header bytes). Throws a {@link CodecError} for `frac > prec` or more than nine words.
 */
export function decimalBinSize(prec: number, frac: number): number {
  // Decoders ask once per value, nearly always for the same (prec, frac): remember the last.
  if (prec === BIN_SIZE.sizePrec && frac === BIN_SIZE.sizeFrac) return BIN_SIZE.sizeBytes;
  checkPrecFrac("decimal binary", prec, frac, false);
  BIN_SIZE.sizeBytes = binSize(prec, frac);
  BIN_SIZE.sizePrec = prec;
  BIN_SIZE.sizeFrac = frac;
  return BIN_SIZE.sizeBytes;
}

/** TiKV `write_decimal` (after its header); writes exactly `binSize(prec, frac)` bytes. */
function writeBin(d: Decimal, out: Uint8Array, offset: number, prec: number, frac: number): DecimalStatus {
  const w = d.words;
  let mask = d.negative ? -1 : 0;
  let intCnt = prec - frac;
  const intWordCnt = Math.floor(intCnt / DIGITS_PER_WORD);
  const leading = intCnt - intWordCnt * DIGITS_PER_WORD;
  const fracWordCnt = Math.floor(frac / DIGITS_PER_WORD);
  const trailing = frac - fracWordCnt * DIGITS_PER_WORD;
  let srcFracWordCnt = Math.floor(d.fracCnt / DIGITS_PER_WORD);
  let srcTrailing = d.fracCnt - srcFracWordCnt * DIGITS_PER_WORD;
  const intSize = intWordCnt * WORD_SIZE + DIG_2_BYTES[leading];
  let fracSize = fracWordCnt * WORD_SIZE + DIG_2_BYTES[trailing];
  const srcFracSize = srcFracWordCnt * WORD_SIZE + DIG_2_BYTES[srcTrailing];
  const srcIntCnt = removeLeadingZeroes(d, d.intCnt);
  let src = rlzIdx;
  if (srcIntCnt + srcFracSize === 0) {
    mask = 0;
    intCnt = 1;
  }
  let srcIntWordCnt = Math.floor(srcIntCnt / DIGITS_PER_WORD);
  let srcLeading = srcIntCnt - srcIntWordCnt * DIGITS_PER_WORD;
  const srcIntSize = srcIntWordCnt * WORD_SIZE + DIG_2_BYTES[srcLeading];
  const total = intSize + fracSize;
  let pos = offset;
  let status: DecimalStatus = OK;

  if (intCnt < srcIntCnt) {
    src += srcIntWordCnt - intWordCnt;
    if (srcLeading > 0) src++;
    if (leading > 0) src--;
    srcIntWordCnt = intWordCnt;
    srcLeading = leading;
    status = OVERFLOW;
  } else if (intSize > srcIntSize) {
    for (let i = srcIntSize; i < intSize; i++) out[pos++] = mask & 0xff;
  }
  if (fracSize < srcFracSize || (fracSize === srcFracSize && frac < d.fracCnt)) {
    // TiKV only cuts when fewer bytes are asked for; with as many bytes but fewer digits it
    // writes the extra digits, which then fail to decode. The digits are cut here as well.
    srcFracWordCnt = fracWordCnt;
    srcTrailing = trailing;
    status = TRUNCATED;
  } else if (fracSize > srcFracSize && srcTrailing > 0) {
    if (fracWordCnt === srcFracWordCnt) {
      srcTrailing = trailing;
      fracSize = srcFracSize;
    } else {
      srcFracWordCnt++;
      srcTrailing = 0;
    }
  }
  if (srcLeading > 0) {
    const x = (w[src++] % TEN_POW[srcLeading]) ^ mask;
    pos = putWord(out, pos, x, DIG_2_BYTES[srcLeading]);
  }
  const stop = src + srcIntWordCnt + srcFracWordCnt;
  while (src < stop) pos = putWord(out, pos, w[src++] ^ mask, WORD_SIZE);
  if (srcTrailing > 0) {
    const size = DIG_2_BYTES[srcTrailing];
    const lim = srcFracWordCnt < fracWordCnt ? DIGITS_PER_WORD : trailing;
    while (srcTrailing < lim && DIG_2_BYTES[srcTrailing] === size) srcTrailing++;
    const x = Math.floor(w[src] / TEN_POW[DIGITS_PER_WORD - srcTrailing]) ^ mask;
    pos = putWord(out, pos, x, size);
  }
  while (pos < offset + total) out[pos++] = mask & 0xff;
  assert(pos === offset + total, `decimal binary wrote ${pos - offset} of ${total} bytes`);
  if (total > 0) out[offset] ^= 0x80;
  return status;
}

function putWord(out: Uint8Array, pos: number, x: number, size: number): number {
  switch (size) {
    case 1:
      out[pos] = x & 0xff;
      return pos + 1;
    case 2:
      out[pos] = (x >> 8) & 0xff;
      out[pos + 1] = x & 0xff;
      return pos + 2;
    case 3:
      out[pos] = (x >> 16) & 0xff;
      out[pos + 1] = (x >> 8) & 0xff;
      out[pos + 2] = x & 0xff;
      return pos + 3;
    default:
      out[pos] = (x >>> 24) & 0xff;
      out[pos + 1] = (x >> 16) & 0xff;
      out[pos + 2] = (x >> 8) & 0xff;
      out[pos + 3] = x & 0xff;
      return pos + 4;
  }
}

/**
 * A digit group of `size` bytes: big-endian, sign-extended, xor `mask`, as unsigned (TiKV
 * `read_word`). The very first byte of a value has its top bit flipped.
 */
function readGroup(bytes: Uint8Array, pos: number, size: number, mask: number, isFirst: boolean): number {
  const first = isFirst ? bytes[pos] ^ 0x80 : bytes[pos];
  return (signedGroup(bytes, pos, first, size) ^ mask) >>> 0;
}

function signedGroup(bytes: Uint8Array, pos: number, first: number, size: number): number {
  switch (size) {
    case 1:
      return (first << 24) >> 24;
    case 2:
      return ((first << 24) >> 16) | bytes[pos + 1];
    case 3:
      return ((first << 24) >> 8) | (bytes[pos + 1] << 8) | bytes[pos + 2];
    default:
      return (first << 24) | (bytes[pos + 1] << 16) | (bytes[pos + 2] << 8) | bytes[pos + 3];
  }
}

const BIN_SCRATCH = new Int32Array(DECIMAL_CHUNK_WORDS);

function readBin(
  bytes: Uint8Array,
  offset: number,
  prec: number,
  frac: number,
): { value: Decimal; bytesRead: number } {
  const bytesRead = decimalBinToWords(bytes, offset, prec, frac, BIN_SCRATCH, 0);
  const h = BIN_SCRATCH[0];
  const words = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < WORD_BUF_LEN; i++) words[i] = BIN_SCRATCH[1 + i];
  const value = new Decimal(h & 0xff, (h >>> 8) & 0xff, (h >>> 16) & 0xff, h >>> 24 === 1, words);
  return { value, bytesRead };
}

// The binary layout of the last (precision, fraction) read by `decimalBinToWords`.
// (An object rather than module-level `let`s: those cost a check on every read in hot loops.)
const BIN = {
  prec: -1,
  frac: -1,
  intWordCnt: 0,
  leading: 0,
  fracWordCnt: 0,
  trailing: 0,
  bytes: 0,
  leadBytes: 0,
  trailBytes: 0,
  /** 10^(leading + 1): the reader's bound for the leading group (one digit more than it holds, as TiKV). */
  leadLimit: 0,
  /** 10^trailing. */
  trailPow: 0,
};

/** Checks a DECIMAL(prec, frac) binary layout and remembers it (TiKV's checks and messages). */
function setBinLayout(prec: number, frac: number, offset: number): void {
  const fmt = "decimal binary";
  if (
    !Number.isInteger(prec) ||
    !Number.isInteger(frac) ||
    prec < 1 ||
    frac < 0 ||
    prec < frac ||
    prec > 255
  ) {
    throw new CodecError(fmt, `invalid decimal, precision ${prec} and frac_cnt ${frac}`, offset);
  }
  const intCnt = prec - frac;
  const intWordCnt = Math.floor(intCnt / DIGITS_PER_WORD);
  const leading = intCnt - intWordCnt * DIGITS_PER_WORD;
  const fracWordCnt = Math.floor(frac / DIGITS_PER_WORD);
  const trailing = frac - fracWordCnt * DIGITS_PER_WORD;
  if (intWordCnt + (leading > 0 ? 1 : 0) + fracWordCnt + (trailing > 0 ? 1 : 0) > WORD_BUF_LEN) {
    throw new CodecError(
      fmt,
      `decoding decimal failed: precision ${prec} and frac_cnt ${frac} need more than 9 words`,
      offset,
    );
  }
  BIN.intWordCnt = intWordCnt;
  BIN.leading = leading;
  BIN.leadBytes = DIG_2_BYTES[leading];
  BIN.trailBytes = DIG_2_BYTES[trailing];
  BIN.leadLimit = TEN_POW[leading + 1];
  BIN.trailPow = TEN_POW[trailing];
  BIN.fracWordCnt = fracWordCnt;
  BIN.trailing = trailing;
  BIN.bytes = binSize(prec, frac);
  BIN.prec = prec;
  BIN.frac = frac;
}

/**
 * Reads the MySQL binary form of a DECIMAL(`prec`, `frac`) at `offset` straight into the 10-word
 * chunk layout of {@link Decimal.readWords} at `out[outOffset ..]`, allocating nothing: what a
 * column decoder uses instead of {@link Decimal.fromBin}. Returns the bytes read; throws the same
 * {@link CodecError}s as `fromBin` (`out` may then hold partial words).
 */
export function decimalBinToWords(
  bytes: Uint8Array,
  offset: number,
  prec: number,
  frac: number,
  out: Int32Array,
  outOffset: number,
): number {
  const fmt = "decimal binary";
  // A column's values share one (prec, frac): its layout is worked out (and checked) once.
  if (prec !== BIN.prec || frac !== BIN.frac) setBinLayout(prec, frac, offset);
  const intCnt = prec - frac;
  const intWordCnt = BIN.intWordCnt;
  const leading = BIN.leading;
  const fracWordCnt = BIN.fracWordCnt;
  const trailing = BIN.trailing;
  const size = BIN.bytes;
  if (!Number.isInteger(offset) || offset < 0 || offset + size > bytes.length) {
    throw new CodecError(fmt, `decimal too short: need ${size} bytes, have ${bytes.length - offset}`, offset);
  }
  const mask = (bytes[offset] & 0x80) !== 0 ? 0 : -1;
  const w = outOffset + 1;
  for (let i = 0; i < WORD_BUF_LEN; i++) out[w + i] = 0;
  let digitsInt = intCnt;
  let pos = offset;
  let idx = 0;
  let n: number;
  if (leading > 0) {
    n = DIG_2_BYTES[leading];
    const v = readGroup(bytes, pos, n, mask, pos === offset);
    pos += n;
    if (v >= TEN_POW[leading + 1])
      throw new CodecError(fmt, "invalid leading digits for decimal number", pos);
    out[w + idx] = v;
    if (v !== 0) idx++;
    else digitsInt -= leading;
  }
  for (let i = 0; i < intWordCnt; i++) {
    const v = readGroup(bytes, pos, WORD_SIZE, mask, pos === offset);
    pos += WORD_SIZE;
    if (v > WORD_MAX) throw new CodecError(fmt, "invalid int part for decimal number", pos);
    out[w + idx] = v;
    if (idx > 0 || v !== 0) idx++;
    else digitsInt -= DIGITS_PER_WORD;
  }
  for (let i = 0; i < fracWordCnt; i++) {
    const v = readGroup(bytes, pos, WORD_SIZE, mask, pos === offset);
    pos += WORD_SIZE;
    if (v > WORD_MAX) throw new CodecError(fmt, "invalid frac part decimal number", pos);
    out[w + idx++] = v;
  }
  if (trailing > 0) {
    n = DIG_2_BYTES[trailing];
    const v = readGroup(bytes, pos, n, mask, pos === offset) * TEN_POW[DIGITS_PER_WORD - trailing];
    pos += n;
    if (v > WORD_MAX) throw new CodecError(fmt, "invalid trailing digits for decimal number", pos);
    out[w + idx] = v;
  }
  // Nothing but zero digits: the canonical zero (1 integer digit, positive), as TiKV.
  out[outOffset] =
    digitsInt === 0 && frac === 0 ? 1 : digitsInt | (frac << 8) | (frac << 16) | ((mask !== 0 ? 1 : 0) << 24);
  return size;
}

/**
 * Reads the MySQL binary form of a DECIMAL(`prec`, `frac`) at `offset` as the exact integer
 * value × 10^`frac` in a double, allocating nothing: what a column decoder keeps for small
 * decimals instead of the word layout. Returns NaN when the value is beyond 2^53 - 1 (it then
 * needs {@link decimalBinToWords}); a negative zero ("-0.00", which TiKV keeps as negative) is
 * -0. Checks and throws exactly as {@link decimalBinToWords}; the bytes read are
 * {@link decimalBinSize}.
 */
export function decimalBinToScaled(bytes: Uint8Array, offset: number, prec: number, frac: number): number {
  const L = BIN;
  if (prec !== L.prec || frac !== L.frac) setBinLayout(prec, frac, offset);
  if (!(offset >= 0 && offset + L.bytes <= bytes.length) || !Number.isInteger(offset)) {
    const have = bytes.length - offset;
    throw new CodecError("decimal binary", `decimal too short: need ${L.bytes} bytes, have ${have}`, offset);
  }
  // Each group is big-endian: unsigned as stored for a positive value, every bit inverted for a
  // negative one, and the value's first bit (its sign, flipped) always reads as 1 here, so the
  // first group loses 2^(8n-1). A later group whose top bit reads as 1 is at least 2^(8n-1),
  // which the checks refuse as decimalBinToWords's signed read does. (Literals and the layout
  // object rather than imported constants: this runs once per value.)
  const m = (bytes[offset] & 0x80) !== 0 ? 0 : 0xff;
  let q = offset;
  let acc = 0;
  const lb = L.leadBytes;
  if (lb > 0) {
    let v = (bytes[q] ^ m) - 0x80;
    for (let i = 1; i < lb; i++) v = v * 256 + (bytes[q + i] ^ m);
    q += lb;
    if (v >= L.leadLimit) badDecimalBin("invalid leading digits for decimal number", q);
    acc = v;
  }
  const fracWords = L.fracWordCnt;
  for (let i = L.intWordCnt + fracWords; i > 0; i--) {
    const hi = q === offset ? (bytes[q] ^ m) - 0x80 : bytes[q] ^ m;
    const v = hi * 0x100_0000 + (((bytes[q + 1] ^ m) << 16) | ((bytes[q + 2] ^ m) << 8) | (bytes[q + 3] ^ m));
    q += 4;
    if (v > 999_999_999) {
      badDecimalBin(
        i > fracWords ? "invalid int part for decimal number" : "invalid frac part decimal number",
        q,
      );
    }
    acc = acc * 1_000_000_000 + v;
  }
  const tb = L.trailBytes;
  if (tb > 0) {
    let v = q === offset ? (bytes[q] ^ m) - 0x80 : bytes[q] ^ m;
    for (let i = 1; i < tb; i++) v = v * 256 + (bytes[q + i] ^ m);
    q += tb;
    if (v >= L.trailPow) badDecimalBin("invalid trailing digits for decimal number", q);
    acc = acc * L.trailPow + v;
  }
  // Rounding is monotonic, so an exact value above 2^53 - 1 never reads as one below it.
  if (acc > 9_007_199_254_740_991) return Number.NaN;
  return m !== 0 ? -acc : acc;
}

function badDecimalBin(msg: string, pos: number): never {
  throw new CodecError("decimal binary", msg, pos);
}

/** The digit groups of one value, most significant first (a DECIMAL binary has at most nine). */
const SCALED_GROUPS = new Float64Array(WORD_BUF_LEN);

/**
 * Writes the words {@link decimalBinToWords} gives for the DECIMAL(`prec`, `frac`) binary form
 * whose value is `scaled` / 10^`frac`, into `out[outOffset .. outOffset + 10)`: `scaled` is what
 * {@link decimalBinToScaled} returned for that form (an integer of magnitude at most 2^53 - 1;
 * -0 is a negative zero). The digit counts are the binary reader's: integer digits start at
 * `prec - frac` and lose the all-zero groups at the top.
 */
export function decimalScaledToWords(
  scaled: number,
  prec: number,
  frac: number,
  out: Int32Array,
  outOffset: number,
): void {
  if (prec !== BIN.prec || frac !== BIN.frac) setBinLayout(prec, frac, 0);
  const negative = scaled < 0 || Object.is(scaled, -0);
  // Split into the binary form's groups from the least significant end: every divisor is at
  // most 10^9, so each step is exact.
  const groups = SCALED_GROUPS;
  let x = negative ? -scaled : scaled;
  let j = BIN.intWordCnt + BIN.fracWordCnt + (BIN.leading > 0 ? 1 : 0) + (BIN.trailing > 0 ? 1 : 0);
  if (BIN.trailing > 0) {
    const p = TEN_POW[BIN.trailing];
    const g = x % p;
    groups[--j] = g;
    x = (x - g) / p;
  }
  for (let i = BIN.fracWordCnt + BIN.intWordCnt; i > 0; i--) {
    const g = x % WORD_BASE;
    groups[--j] = g;
    x = (x - g) / WORD_BASE;
  }
  if (BIN.leading > 0 && x < TEN_POW[BIN.leading + 1]) {
    groups[--j] = x;
    x = 0;
  }
  assert(x === 0 && Number.isInteger(scaled), `${scaled} is not a DECIMAL(${prec}, ${frac}) scaled value`);
  const w = outOffset + 1;
  for (let i = 0; i < WORD_BUF_LEN; i++) out[w + i] = 0;
  let digitsInt = prec - frac;
  let idx = 0;
  let k = 0;
  if (BIN.leading > 0) {
    const g = groups[k++];
    out[w + idx] = g;
    if (g !== 0) idx++;
    else digitsInt -= BIN.leading;
  }
  for (let i = 0; i < BIN.intWordCnt; i++) {
    const g = groups[k++];
    out[w + idx] = g;
    if (idx > 0 || g !== 0) idx++;
    else digitsInt -= DIGITS_PER_WORD;
  }
  for (let i = 0; i < BIN.fracWordCnt; i++) out[w + idx++] = groups[k++];
  if (BIN.trailing > 0) out[w + idx] = groups[k] * TEN_POW[DIGITS_PER_WORD - BIN.trailing];
  out[outOffset] =
    digitsInt === 0 && frac === 0 ? 1 : digitsInt | (frac << 8) | (frac << 16) | ((negative ? 1 : 0) << 24);
}

/**
 * TiKV `ConvertTo<Decimal> for &[u8]` (CAST of a string to DECIMAL before it is fitted to the
 * column type): text TiKV cannot read at all gives 0 with no warning (TiDB would warn
 * `Truncated incorrect DECIMAL value`); truncation goes to `ctx.handleTruncate`; overflow to
 * `ctx.handleOverflowErr` with `DECIMAL value is out of range in ''`.
 */
export function decimalFromBytes(ctx: EvalContext, input: string | Uint8Array): Decimal {
  const r = Decimal.parse(input);
  switch (r.status) {
    case OK:
      return r.value;
    case INVALID:
      return zero();
    case TRUNCATED:
      ctx.handleTruncate(true);
      return r.value;
    default:
      ctx.handleOverflowErr(EvalError.overflow("DECIMAL", ""));
      return r.value;
  }
}
