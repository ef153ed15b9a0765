// Columns of DECIMAL values in TiDB's 40-byte MyDecimal layout (ten int32 words per row).
// Follows TiKV components/tidb_query_datatype/src/codec/data_type/chunked_vec_sized.rs (Decimal)
// and the chunk layout of TiKV codec/mysql/decimal.rs (write_decimal_to_chunk).

import {
  DECIMAL_CHUNK_WORDS,
  Decimal,
  decimalBinSize,
  decimalBinToScaled,
  decimalBinToWords,
  decimalScaledToWords,
} from "../decimal/index.js";
import { EvalType } from "../eval-type.js";
import { FixedBuffer, ValidityBuilder } from "./buffer.js";
import { ChunkedVecBase } from "./chunked-vec-base.js";

const WORD_BASE = 1_000_000_000;
const DIGITS_PER_WORD = 9;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
/** The number of base-10^9 words that hold `d` digits, for every header byte value. */
const WORDS_FOR_DIGITS = Uint8Array.from({ length: 256 }, (_, d) => Math.ceil(d / DIGITS_PER_WORD));

/**
 * The values of a DECIMAL column as exact scaled integers: non-NULL row `i` is
 * `values[i]` / 10^`scale`, every value has `scale` fractional digits and shows as many
 * (`fracCnt` = `resultFracCnt` = `scale`), |values[i]| <= 2^53 - 1; NULL rows hold 0. A -0 is
 * a zero stored with its sign bit set ("-0.00"), which the words keep; numerically it is 0.
 */
export interface ScaledDecimals {
  readonly values: Float64Array;
  readonly scale: number;
}

/**
 * An immutable column of decimals. Row `i` is `words[10i .. 10i + 10)`: word 0 packs
 * (little-endian) digitsInt, digitsFrac, resultFrac and the sign byte, words 1..9 are the base-10^9
 * digit words (integer words first, then fraction words left-aligned), i.e. TiDB's `MyDecimal`
 * struct viewed as int32, so a chunk encoder copies the bytes. NULL rows are all zero words.
 *
 * A column of small decimals (what a DECIMAL(15, 2) column decodes to, and what `+`, `-` and `*`
 * make of such columns) may instead be built from its {@link ScaledDecimals} and a function that
 * writes the words: kernels that read `scaled` never pay for the word layout, and `words` is
 * written on first use, exactly as the word path would have made it.
 */
export class ChunkedVecDecimal extends ChunkedVecBase {
  /** Always `"Decimal"`. */
  readonly evalType = EvalType.Decimal;
  /** The values as scaled integers, when the column was built from them; else null. */
  readonly scaled: ScaledDecimals | null;
  #words: Int32Array | null;
  #writeWords: ((out: Int32Array) => void) | null;
  #scaledFrac = -1;
  #scaledCache: Float64Array | null = null;

  /**
   * A column over `words` (no copy; a multiple of 10 long, each row as `Decimal.writeWords`
   * writes it), or over scaled values (prefer {@link ChunkedVecDecimal.fromScaled}); see
   * {@link ChunkedVecBase} for the bitmap arguments.
   */
  constructor(words: Int32Array | LazyDecimalWords, validity: Uint8Array | null = null, nullCount?: number) {
    const lazy = words instanceof Int32Array ? null : words;
    super(
      lazy === null ? (words as Int32Array).length / DECIMAL_CHUNK_WORDS : lazy.scaled.values.length,
      validity,
      nullCount,
    );
    this.#words = lazy === null ? (words as Int32Array) : null;
    this.#writeWords = lazy === null ? null : lazy.writeWords;
    this.scaled = lazy === null ? null : lazy.scaled;
  }

  /**
   * A column of `scaled.values.length` rows given by their scaled integers (no copy; see
   * {@link ScaledDecimals}). `writeWords` fills a zeroed array of 10 words per row with the
   * rows' word layout (NULL rows left zero) the first time `words` is read; it must describe the
   * same values. See {@link ChunkedVecBase} for the bitmap arguments.
   */
  static fromScaled(
    scaled: ScaledDecimals,
    writeWords: (out: Int32Array) => void,
    validity: Uint8Array | null = null,
    nullCount?: number,
  ): ChunkedVecDecimal {
    return new ChunkedVecDecimal({ scaled, writeWords }, validity, nullCount);
  }

  /** Ten words per row (written on first use if the column was built from scaled values). */
  get words(): Int32Array {
    const w = this.#words;
    return w !== null ? w : this.#materialize();
  }

  #materialize(): Int32Array {
    const out = new Int32Array(this.length * DECIMAL_CHUNK_WORDS);
    (this.#writeWords as (out: Int32Array) => void)(out);
    this.#words = out;
    this.#writeWords = null;
    return out;
  }

  /** A column of decimals (null for NULL). */
  static fromValues(values: readonly (Decimal | null)[]): ChunkedVecDecimal {
    const b = new ChunkedVecDecimalBuilder(values.length);
    for (const v of values) {
      if (v === null) b.appendNull();
      else b.append(v);
    }
    return b.finish();
  }

  /** Row `i` as a Decimal, or null. Allocates; not for kernels. */
  get(i: number): Decimal | null {
    this.checkIndex(i);
    return this.isNull(i) ? null : Decimal.readWords(this.words, i * DECIMAL_CHUNK_WORDS);
  }

  /**
   * Every row × 10^`frac` as an exact integer in a double, or null if some non-NULL row has a
   * non-zero digit beyond `frac` fractional digits or a scaled magnitude above 2^53 - 1. NULL
   * rows give 0. One pass, no allocation per row (none at all when the column holds scaled values
   * of that scale); the last result is cached. This is the fast path for kernels over
   * DECIMAL(M, D) with small M (e.g. SUM over DECIMAL(15, 2) adds doubles instead of decimals
   * while the sum stays exact).
   */
  scaledNumbers(frac: number): Float64Array | null {
    const sc = this.scaled;
    if (sc !== null && sc.scale === frac) return sc.values;
    if (frac === this.#scaledFrac) return this.#scaledCache;
    const result = sc !== null ? rescale(sc, frac) : this.#wordsToScaled(frac);
    this.#scaledFrac = frac;
    this.#scaledCache = result;
    return result;
  }

  #wordsToScaled(frac: number): Float64Array | null {
    const out = new Float64Array(this.length);
    const words = this.words;
    const validity = this.validity;
    for (let i = 0; i < out.length; i++) {
      if (validity !== null && (validity[i >>> 3] & (1 << (i & 7))) === 0) continue;
      const v = decimalWordsToScaled(words, i * DECIMAL_CHUNK_WORDS, frac);
      if (Number.isNaN(v)) return null;
      out[i] = v;
    }
    return out;
  }
}

/** The second form of {@link ChunkedVecDecimal}'s constructor: see {@link ChunkedVecDecimal.fromScaled}. */
export interface LazyDecimalWords {
  readonly scaled: ScaledDecimals;
  readonly writeWords: (out: Int32Array) => void;
}

/** `sc`'s values at scale `frac`, or null when one does not fit (digits dropped, or above 2^53 - 1). */
function rescale(sc: ScaledDecimals, frac: number): Float64Array | null {
  const values = sc.values;
  const out = new Float64Array(values.length);
  if (frac > sc.scale) {
    if (frac - sc.scale > 15) return null;
    const m = POW10_F[frac - sc.scale] as number;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] * m;
      if (v > Number.MAX_SAFE_INTEGER || v < -Number.MAX_SAFE_INTEGER) return null;
      out[i] = v;
    }
  } else {
    if (sc.scale - frac > 15) return null;
    const d = POW10_F[sc.scale - frac] as number;
    for (let i = 0; i < values.length; i++) {
      const v = Math.round(values[i] / d);
      if (v * d !== values[i]) return null; // a dropped digit was not zero
      out[i] = v;
    }
  }
  return out;
}

const POW10_F = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * The decimal at `words[offset .. offset + 10)` × 10^`frac` as an exact integer, or NaN when a
 * non-zero digit lies beyond `frac` fractional digits or the magnitude exceeds 2^53 - 1.
 * `frac` is an integer >= 0. Reads the layout of {@link ChunkedVecDecimal}; allocates nothing.
 */
export function decimalWordsToScaled(words: Int32Array, offset: number, frac: number): number {
  const head = words[offset];
  const intWords = WORDS_FOR_DIGITS[head & 0xff];
  const fracWords = WORDS_FOR_DIGITS[(head >>> 8) & 0xff];
  let acc = 0;
  let w = offset + 1;
  for (const end = w + intWords; w < end; w++) acc = acc * WORD_BASE + words[w];
  if (acc > Number.MAX_SAFE_INTEGER) return Number.NaN;
  let need = frac;
  for (const end = w + fracWords; w < end; w++) {
    const x = words[w];
    if (need >= DIGITS_PER_WORD) {
      acc = acc * WORD_BASE + x;
      need -= DIGITS_PER_WORD;
    } else {
      // This word has digits past `frac`: keep its first `need` digits, the rest must be zero.
      const drop = POW10[DIGITS_PER_WORD - need];
      const kept = (x / drop) | 0; // x < 10^9: truncation is floor
      if (kept * drop !== x) return Number.NaN;
      acc = acc * POW10[need] + kept;
      need = 0;
    }
    if (acc > Number.MAX_SAFE_INTEGER) return Number.NaN;
  }
  while (need > 0) {
    const k = Math.min(need, DIGITS_PER_WORD);
    acc *= POW10[k];
    if (acc > Number.MAX_SAFE_INTEGER) return Number.NaN;
    need -= k;
  }
  return head >>> 24 !== 0 && acc !== 0 ? -acc : acc;
}

/**
 * Builds a {@link ChunkedVecDecimal}; `finish()` hands over views and leaves the builder empty.
 * Values appended in binary form (`appendBin`) are kept as scaled integers while they share one
 * (precision, fraction) and fit a double exactly, and the column is then built from them (its
 * words are written only if someone reads them); anything else turns the batch into words.
 */
export class ChunkedVecDecimalBuilder {
  private readonly validity = new ValidityBuilder();
  private readonly capacity: number;
  private buf: FixedBuffer<Int32Array> | null = null;
  private readonly scaledBuf: FixedBuffer<Float64Array>;
  /** True while the rows so far are scaled values of DECIMAL(prec, frac) in `scaledBuf`. */
  private scaledMode = true;
  /** The binary form of the scaled rows; -1 while no value has been appended. */
  private prec = -1;
  private frac = -1;
  private binSize = 0;

  /** `capacity`: rows to preallocate. */
  constructor(capacity = 0) {
    this.capacity = capacity;
    this.scaledBuf = new FixedBuffer(Float64Array, 1, capacity);
  }

  /** Rows appended so far. */
  get length(): number {
    return this.validity.length;
  }

  /** The words with room for row `n` (the capacity check inline: this runs once per row). */
  private room(n: number): Int32Array {
    const buf = this.buf as FixedBuffer<Int32Array>;
    const data = buf.data;
    return (n + 1) * DECIMAL_CHUNK_WORDS <= data.length ? data : buf.reserve(n + 1, n);
  }

  /** The scaled values with room for row `n`. */
  private scaledRoom(n: number): Float64Array {
    const data = this.scaledBuf.data;
    return n < data.length ? data : this.scaledBuf.reserve(n + 1, n);
  }

  /** Whether the buffers are recycled (see {@link recycleBuffers}). */
  private recycling = false;

  /**
   * Lets the builder reuse its value buffers batch after batch (see `FixedBuffer.recycle`): a
   * column it hands out stays intact while the next batch is appended, and may change once that
   * one is finished.
   */
  recycleBuffers(): void {
    this.recycling = true;
    this.scaledBuf.recycle();
    this.buf?.recycle();
  }

  /** Rewrites the rows so far as words and keeps appending words until `finish()`. */
  private toWords(): void {
    this.scaledMode = false;
    if (this.buf === null) {
      this.buf = new FixedBuffer(Int32Array, DECIMAL_CHUNK_WORDS, this.capacity);
      if (this.recycling) this.buf.recycle();
    }
    const n = this.validity.length;
    const words = this.buf.reserve(Math.max(n, 1), 0);
    if (this.prec !== -1) {
      const scaled = this.scaledBuf.data;
      writeScaledWords(scaled, n, this.prec, this.frac, this.validity.bits, words);
      // The scaled slots are reused by the next batch, which counts on them holding zeros.
      scaled.fill(0, 0, n);
    }
  }

  /** Appends a decimal's words. */
  append(d: Decimal): void {
    if (this.scaledMode) this.toWords();
    const n = this.validity.length;
    d.writeWords(this.room(n), n * DECIMAL_CHUNK_WORDS);
    this.validity.pushValid();
  }

  /**
   * Appends the DECIMAL(`prec`, `frac`) in MySQL binary form at `bytes[offset ..]` without making a
   * Decimal (see {@link decimalBinToWords}); returns the bytes read. On a CodecError nothing is
   * appended.
   */
  appendBin(bytes: Uint8Array, offset: number, prec: number, frac: number): number {
    const n = this.validity.length;
    if (this.scaledMode && ((prec === this.prec && frac === this.frac) || this.prec === -1)) {
      const v = decimalBinToScaled(bytes, offset, prec, frac);
      if (!Number.isNaN(v)) {
        if (this.prec === -1) {
          this.prec = prec;
          this.frac = frac;
          this.binSize = decimalBinSize(prec, frac);
        }
        this.scaledRoom(n)[n] = v;
        this.validity.pushValid();
        return this.binSize;
      }
    }
    if (this.scaledMode) this.toWords();
    const words = this.room(n);
    const at = n * DECIMAL_CHUNK_WORDS;
    let read: number;
    try {
      read = decimalBinToWords(bytes, offset, prec, frac, words, at);
    } catch (e) {
      // A NULL appended next relies on the slot holding zeros.
      words.fill(0, at, at + DECIMAL_CHUNK_WORDS);
      throw e;
    }
    this.validity.pushValid();
    return read;
  }

  /**
   * Appends up to `count` DECIMAL(`prec`, `frac`) values in MySQL binary form, value `r` at
   * `bytes[pos[first + r * step] + skip ..]` (a decoder's table of value positions), while they
   * can be kept as scaled integers (see the class comment): the same as that many
   * {@link appendBin} calls, with one capacity check. Returns how many it appended; the caller
   * appends the rest one by one. A value that fails to decode throws a CodecError after the ones
   * before it are appended.
   */
  appendBinRun(
    bytes: Uint8Array,
    pos: Int32Array,
    first: number,
    step: number,
    count: number,
    skip: number,
    prec: number,
    frac: number,
  ): number {
    if (count <= 0 || !this.takesScaled(prec, frac)) return 0;
    const n = this.validity.length;
    const out = this.scaledBuf.reserve(n + count, n);
    let r = 0;
    try {
      for (let k = first; r < count; r++, k += step) {
        const v = decimalBinToScaled(bytes, pos[k]! + skip, prec, frac);
        if (Number.isNaN(v)) break; // beyond 2^53 - 1: needs words
        out[n + r] = v;
      }
    } finally {
      this.scaledAppended(r, prec, frac);
    }
    return r;
  }

  /**
   * Appends rows up to and including row `rows[from + count - 1]` (rows counted from the start of
   * the batch, ascending, the first at or past the builder's length): row `rows[from + k]` the
   * DECIMAL(`prec`, `frac`) binary value at `bytes[starts[rows[from + k]] + skip ..]`, the rows
   * between them present zero placeholders (what a lazy decoder gives the rows a filter dropped).
   * Stops before a value the scaled form cannot hold (see {@link appendBinRun}) and returns how
   * many values it appended, the rows up to the last of them included. A value that fails to
   * decode throws a CodecError after the rows before it are appended.
   */
  appendBinAtRows(
    bytes: Uint8Array,
    starts: Int32Array,
    rows: Uint32Array,
    from: number,
    count: number,
    skip: number,
    prec: number,
    frac: number,
  ): number {
    if (count <= 0 || !this.takesScaled(prec, frac)) return 0;
    const n = this.validity.length;
    // The slots past the rows written hold zeros: the placeholders need no write.
    const out = this.scaledBuf.reserve(rows[from + count - 1]! + 1, n);
    let k = 0;
    let filled = n;
    try {
      for (; k < count; k++) {
        const r = rows[from + k]!;
        const v = decimalBinToScaled(bytes, starts[r]! + skip, prec, frac);
        if (Number.isNaN(v)) break; // beyond 2^53 - 1: needs words
        out[r] = v;
        filled = r + 1;
      }
    } finally {
      this.scaledAppended(filled - n, prec, frac);
    }
    return k;
  }

  /** Whether values of DECIMAL(`prec`, `frac`) can go on as scaled integers in this batch. */
  private takesScaled(prec: number, frac: number): boolean {
    return this.scaledMode && ((prec === this.prec && frac === this.frac) || this.prec === -1);
  }

  /** Counts `rows` rows written as scaled DECIMAL(`prec`, `frac`) values (the first fix the form). */
  private scaledAppended(rows: number, prec: number, frac: number): void {
    if (rows <= 0) return;
    if (this.prec === -1) {
      this.prec = prec;
      this.frac = frac;
      this.binSize = decimalBinSize(prec, frac);
    }
    this.validity.pushValids(rows);
  }

  /** Appends a NULL (its words hold 0). */
  appendNull(): void {
    const n = this.validity.length;
    if (this.scaledMode) this.scaledRoom(n);
    else this.room(n);
    this.validity.pushNull();
  }

  /** Appends `count` NULLs. */
  appendNulls(count: number): void {
    if (count <= 0) return;
    const n = this.validity.length;
    if (this.scaledMode) this.scaledBuf.reserve(n + count, n);
    else (this.buf as FixedBuffer<Int32Array>).reserve(n + count, n);
    this.validity.pushNulls(count);
  }

  /**
   * Appends `count` present rows holding zero values (0 as a scaled value; all-zero words, which read as 0): what a
   * lazy decoder puts in the rows it did not decode, which nobody reads.
   */
  appendZeros(count: number): void {
    if (count <= 0) return;
    const n = this.validity.length;
    // Slots past the rows written hold zeros already.
    if (this.scaledMode) this.scaledBuf.reserve(n + count, n);
    else (this.buf as FixedBuffer<Int32Array>).reserve(n + count, n);
    this.validity.pushValids(count);
  }

  /** The column of the rows appended so far; the builder is empty afterwards. */
  finish(): ChunkedVecDecimal {
    const n = this.validity.length;
    const nulls = this.validity.nullCount;
    const bits = this.validity.finish();
    const prec = this.prec;
    const frac = this.frac;
    this.prec = -1;
    this.frac = -1;
    if (!this.scaledMode) {
      this.scaledMode = true;
      return new ChunkedVecDecimal((this.buf as FixedBuffer<Int32Array>).take(n), bits, nulls);
    }
    if (prec === -1) return new ChunkedVecDecimal(new Int32Array(n * DECIMAL_CHUNK_WORDS), bits, nulls);
    const values = this.scaledBuf.take(n);
    return ChunkedVecDecimal.fromScaled(
      { values, scale: frac },
      (out) => writeScaledWords(values, n, prec, frac, bits, out),
      bits,
      nulls,
    );
  }
}

/** The words of the first `n` scaled DECIMAL(prec, frac) binary values (NULL rows left alone). */
function writeScaledWords(
  values: Float64Array,
  n: number,
  prec: number,
  frac: number,
  validity: Uint8Array | null,
  out: Int32Array,
): void {
  for (let i = 0; i < n; i++) {
    if (validity !== null && (validity[i >>> 3] & (1 << (i & 7))) === 0) continue;
    decimalScaledToWords(values[i], prec, frac, out, i * DECIMAL_CHUNK_WORDS);
  }
}
