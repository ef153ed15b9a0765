// Columns of DECIMAL values in TiDB's 40-byte MyDecimal layout (ten int32 words per row).
// Follows TiKV components/tidb_query_datatype/src/codec/data_type/chunked_vec_sized.rs (Decimal)
// and the chunk layout of TiKV codec/mysql/decimal.rs (write_decimal_to_chunk).

import { DECIMAL_CHUNK_WORDS, Decimal, decimalBinToWords } from "../decimal/index.js";
import { EvalType } from "../eval-type.js";
import { FixedBuffer, ValidityBuilder } from "./buffer.js";
import { ChunkedVecBase } from "./chunked-vec-base.js";

const WORD_BASE = 1_000_000_000;
const DIGITS_PER_WORD = 9;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
/** The number of base-10^9 words that hold `d` digits, for every header byte value. */
const WORDS_FOR_DIGITS = Uint8Array.from({ length: 256 }, (_, d) => Math.ceil(d / DIGITS_PER_WORD));

/**
 * An immutable column of decimals. Row `i` is `words[10i .. 10i + 10)`: word 0 packs
 * (little-endian) digitsInt, digitsFrac, resultFrac and the sign byte, words 1..9 are the base-10^9
 * digit words (integer words first, then fraction words left-aligned), i.e. TiDB's `MyDecimal`
 * struct viewed as int32, so a chunk encoder copies the bytes. NULL rows are all zero words.
 */
export class ChunkedVecDecimal extends ChunkedVecBase {
  /** Always `"Decimal"`. */
  readonly evalType = EvalType.Decimal;
  /** Ten words per row. */
  readonly words: Int32Array;
  #scaledFrac = -1;
  #scaled: Float64Array | null = null;

  /**
   * A column over `words` (no copy; a multiple of 10 long, each row as `Decimal.writeWords`
   * writes it); see {@link ChunkedVecBase} for the bitmap arguments.
   */
  constructor(words: Int32Array, validity: Uint8Array | null = null, nullCount?: number) {
    super(words.length / DECIMAL_CHUNK_WORDS, validity, nullCount);
    this.words = words;
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
   * rows give 0. One pass over the words, no allocation per row; the last result is cached.
   * This is the fast path for kernels over DECIMAL(M, D) with small M (e.g. SUM over
   * DECIMAL(15, 2) adds doubles instead of decimals while the sum stays exact).
   */
  scaledNumbers(frac: number): Float64Array | null {
    if (frac === this.#scaledFrac) return this.#scaled;
    const out = new Float64Array(this.length);
    const words = this.words;
    const validity = this.validity;
    let result: Float64Array | null = out;
    for (let i = 0; i < out.length; i++) {
      if (validity !== null && (validity[i >>> 3] & (1 << (i & 7))) === 0) continue;
      const v = decimalWordsToScaled(words, i * DECIMAL_CHUNK_WORDS, frac);
      if (Number.isNaN(v)) {
        result = null;
        break;
      }
      out[i] = v;
    }
    this.#scaledFrac = frac;
    this.#scaled = result;
    return result;
  }
}

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

/** Builds a {@link ChunkedVecDecimal}; `finish()` hands over views and leaves the builder empty. */
export class ChunkedVecDecimalBuilder {
  private readonly validity = new ValidityBuilder();
  private readonly buf: FixedBuffer<Int32Array>;

  /** `capacity`: rows to preallocate. */
  constructor(capacity = 0) {
    this.buf = new FixedBuffer(Int32Array, DECIMAL_CHUNK_WORDS, capacity);
  }

  /** Rows appended so far. */
  get length(): number {
    return this.validity.length;
  }

  /** The words with room for row `n` (the capacity check inline: this runs once per row). */
  private room(n: number): Int32Array {
    const data = this.buf.data;
    return (n + 1) * DECIMAL_CHUNK_WORDS <= data.length ? data : this.buf.reserve(n + 1, n);
  }

  /** Appends a decimal's words. */
  append(d: Decimal): void {
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

  /** Appends a NULL (its words hold 0). */
  appendNull(): void {
    this.room(this.validity.length);
    this.validity.pushNull();
  }

  /** The column of the rows appended so far; the builder is empty afterwards. */
  finish(): ChunkedVecDecimal {
    const n = this.validity.length;
    const nulls = this.validity.nullCount;
    const bits = this.validity.finish();
    return new ChunkedVecDecimal(this.buf.take(n), bits, nulls);
  }
}
