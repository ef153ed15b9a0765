// Columns of SET values: a 64-bit member mask per row as two uint32 words, with the members.
// Follows TiKV components/tidb_query_datatype/src/codec/data_type/chunked_vec_set.rs.

import { MySqlSet } from "../enum-set/index.js";
import { EvalType } from "../eval-type.js";
import { WordPairBuilder } from "./buffer.js";
import { ChunkedVecBase } from "./chunked-vec-base.js";

/**
 * An immutable column of SET values. Row `i`'s mask is `words[2i]` (bits 0..31) and
 * `words[2i + 1]` (bits 32..63); bit `k` set means member `elems[k]` is present. No bigint per
 * row. NULL rows hold 0 (check {@link isNull} to tell them from the empty set).
 */
export class ChunkedVecSet extends ChunkedVecBase {
  /** Always `"Set"`. */
  readonly evalType = EvalType.Set;
  /** Two words per row: low half at `2i`, high half at `2i + 1`. */
  readonly words: Uint32Array;
  /** The column's members (at most 64), from its field type. */
  readonly elems: readonly string[];

  /**
   * A column over `words` (no copy; even length); see {@link ChunkedVecBase} for the bitmap
   * arguments.
   */
  constructor(
    words: Uint32Array,
    elems: readonly string[],
    validity: Uint8Array | null = null,
    nullCount?: number,
  ) {
    super(words.length >>> 1, validity, nullCount);
    this.words = words;
    this.elems = elems;
  }

  /** A column of SET values (null for NULL) over `elems`. */
  static fromValues(values: readonly (MySqlSet | null)[], elems: readonly string[]): ChunkedVecSet {
    const b = new ChunkedVecSetBuilder(elems, values.length);
    for (const v of values) {
      if (v === null) b.appendNull();
      else b.append(v);
    }
    return b.finish();
  }

  /** Row `i` as a MySqlSet, or null. Allocates; not for kernels. */
  get(i: number): MySqlSet | null {
    this.checkIndex(i);
    return this.isNull(i) ? null : MySqlSet.fromStored(this.elems, this.words[2 * i], this.words[2 * i + 1]);
  }
}

/** Builds a {@link ChunkedVecSet}; `finish()` hands over views and leaves the builder empty. */
export class ChunkedVecSetBuilder extends WordPairBuilder {
  /** The column's members. */
  readonly elems: readonly string[];

  /** `elems`: the members from the field type; `capacity`: rows to preallocate. */
  constructor(elems: readonly string[], capacity = 0) {
    super(capacity);
    this.elems = elems;
  }

  /** Appends a SET value's mask (the value must belong to this column's members). */
  append(s: MySqlSet): void {
    this.appendWords(s.lo, s.hi);
  }

  /** The column of the rows appended so far; the builder is empty afterwards. */
  finish(): ChunkedVecSet {
    const { values: words, validity, nullCount } = this.take();
    return new ChunkedVecSet(words, this.elems, validity, nullCount);
  }
}
