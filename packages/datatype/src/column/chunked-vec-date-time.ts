// Columns of DATE, DATETIME and TIMESTAMP values in TiKV's 64-bit Time layout.
// Follows TiKV components/tidb_query_datatype/src/codec/data_type/chunked_vec_sized.rs (DateTime).

import { EvalType } from "../eval-type.js";
import { Time } from "../time/index.js";
import { WordPairBuilder } from "./buffer.js";
import { ChunkedVecBase } from "./chunked-vec-base.js";

/**
 * An immutable column of date/time values. Row `i` is the 64-bit Time layout (TiKV `Time.0`,
 * equal to TiDB's chunk value) as two unsigned words: `words[2i]` bits 31..0 and `words[2i + 1]`
 * bits 63..32, i.e. a little-endian BigUint64Array over the same memory (see {@link toU64}).
 * Compare rows with `compareTimeWords`, which needs no bigint. NULL rows hold 0.
 */
export class ChunkedVecDateTime extends ChunkedVecBase {
  /** Always `"DateTime"`. */
  readonly evalType = EvalType.DateTime;
  /** Two words per row: low half at `2i`, high half at `2i + 1`. */
  readonly words: Uint32Array;

  /**
   * A column over `words` (no copy; even length); see {@link ChunkedVecBase} for the bitmap
   * arguments.
   */
  constructor(words: Uint32Array, validity: Uint8Array | null = null, nullCount?: number) {
    super(words.length >>> 1, validity, nullCount);
    this.words = words;
  }

  /** A column of Time values (null for NULL). */
  static fromValues(values: readonly (Time | null)[]): ChunkedVecDateTime {
    const b = new ChunkedVecDateTimeBuilder(values.length);
    for (const v of values) {
      if (v === null) b.appendNull();
      else b.append(v);
    }
    return b.finish();
  }

  /** Row `i` as a Time, or null. Allocates; not for kernels. */
  get(i: number): Time | null {
    this.checkIndex(i);
    return this.isNull(i) ? null : Time.fromWords(this.words[2 * i], this.words[2 * i + 1]);
  }

  /**
   * The rows as 64-bit layouts: a view of the same memory (no copy), valid on little-endian
   * hosts (every platform Node supports in practice).
   */
  toU64(): BigUint64Array {
    return new BigUint64Array(this.words.buffer, this.words.byteOffset, this.length);
  }
}

/** Builds a {@link ChunkedVecDateTime}; `finish()` hands over views and leaves the builder empty. */
export class ChunkedVecDateTimeBuilder extends WordPairBuilder {
  /** `capacity`: rows to preallocate. */
  constructor(capacity = 0) {
    super(capacity);
  }

  /** Appends a Time's layout words. */
  append(t: Time): void {
    this.appendWords(t.lowWord(), t.highWord());
  }

  /** The column of the rows appended so far; the builder is empty afterwards. */
  finish(): ChunkedVecDateTime {
    const { values: words, validity, nullCount } = this.take();
    return new ChunkedVecDateTime(words, validity, nullCount);
  }
}
