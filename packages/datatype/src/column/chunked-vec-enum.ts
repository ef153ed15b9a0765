// Columns of ENUM values: the 1-based member index per row, with the column's members.
// Follows TiKV components/tidb_query_datatype/src/codec/data_type/chunked_vec_enum.rs.

import { Enum } from "../enum-set/index.js";
import { EvalType } from "../eval-type.js";
import { FixedWidthBuilder } from "./buffer.js";
import { ChunkedVecBase } from "./chunked-vec-base.js";

/**
 * An immutable column of ENUM values. `values[i]` is the 1-based index into `elems` (0 is the
 * empty value `''`); names are not stored per row, unlike TiKV, which keeps a copy of each name
 * next to the index. NULL rows hold 0 (check {@link isNull} to tell them from the empty value).
 */
export class ChunkedVecEnum extends ChunkedVecBase {
  /** Always `"Enum"`. */
  readonly evalType = EvalType.Enum;
  /** The 1-based member index per row; 0 for the empty value and for NULL. */
  readonly values: Uint32Array;
  /** The column's members, from its field type. */
  readonly elems: readonly string[];

  /**
   * A column over `values` (no copy; every index <= `elems.length`); see {@link ChunkedVecBase}
   * for the bitmap arguments.
   */
  constructor(
    values: Uint32Array,
    elems: readonly string[],
    validity: Uint8Array | null = null,
    nullCount?: number,
  ) {
    super(values.length, validity, nullCount);
    this.values = values;
    this.elems = elems;
  }

  /** A column of member indexes (null for NULL) over `elems`. */
  static fromValues(values: readonly (number | null)[], elems: readonly string[]): ChunkedVecEnum {
    const b = new ChunkedVecEnumBuilder(elems, values.length);
    for (const v of values) {
      if (v === null) b.appendNull();
      else b.appendIndex(v);
    }
    return b.finish();
  }

  /**
   * Row `i` as an Enum, or null. Allocates; not for kernels. An index past the members (only
   * possible through the constructor) is a CodecError.
   */
  get(i: number): Enum | null {
    this.checkIndex(i);
    return this.isNull(i) ? null : Enum.fromStored(this.elems, this.values[i]);
  }
}

/** Builds a {@link ChunkedVecEnum}; `finish()` hands over views and leaves the builder empty. */
export class ChunkedVecEnumBuilder extends FixedWidthBuilder<Uint32Array> {
  /** The column's members. */
  readonly elems: readonly string[];

  /** `elems`: the members from the field type; `capacity`: rows to preallocate. */
  constructor(elems: readonly string[], capacity = 0) {
    super(Uint32Array, 1, capacity);
    this.elems = elems;
  }

  /** Appends an Enum value (its index; the value must belong to this column's members). */
  append(e: Enum): void {
    this.appendIndex(e.value);
  }

  /** Appends a member index, 0..elems.length (0 is the empty value). */
  appendIndex(index: number): void {
    const n = this.validity.length;
    const d = this.room(n);
    d[n] = index;
    this.validity.pushValid();
  }

  /** The column of the rows appended so far; the builder is empty afterwards. */
  finish(): ChunkedVecEnum {
    const { values, validity, nullCount } = this.take();
    return new ChunkedVecEnum(values, this.elems, validity, nullCount);
  }
}
