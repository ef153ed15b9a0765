// What every column shares: length, NULL count and the validity bitmap.
// Follows TiKV components/tidb_query_datatype/src/codec/data_type/chunked_vec_sized.rs (bitmap).

import { assert } from "../errors.js";
import type { EvalType } from "../eval-type.js";
import { bitmapBytes, bitmapCountNulls } from "./buffer.js";

/**
 * The part common to every column class. A column is immutable once built: its typed arrays are
 * views that nobody may write to. `validity` is an LSB-first bitmap with bit set = value present
 * (TiDB Chunk and Arrow polarity); it is null exactly when `nullCount` is 0. The value slots of
 * NULL rows hold zeros (or, for variable-length columns, an empty range).
 */
export abstract class ChunkedVecBase {
  /** The eval type of the values; the discriminant of {@link Column}. */
  abstract readonly evalType: EvalType;
  /** The number of physical rows. */
  readonly length: number;
  /** The number of NULL rows. */
  readonly nullCount: number;
  /** LSB-first validity bitmap (`ceil(length / 8)` bytes), or null when no row is NULL. */
  readonly validity: Uint8Array | null;

  /**
   * `validity` must cover `length` rows; `nullCount`, when given, must be its number of clear
   * bits (builders know it; otherwise it is counted). A bitmap without clear bits is dropped.
   */
  protected constructor(length: number, validity: Uint8Array | null, nullCount?: number) {
    let nulls = 0;
    if (validity !== null) {
      assert(validity.length >= bitmapBytes(length), "validity bitmap shorter than the column");
      nulls = nullCount ?? bitmapCountNulls(validity, length);
    }
    this.length = length;
    this.nullCount = nulls;
    this.validity = nulls === 0 ? null : validity;
  }

  /** True if row `i` is NULL. `i` must be in `[0, length)`; it is not checked. */
  isNull(i: number): boolean {
    const v = this.validity;
    return v !== null && (v[i >>> 3] & (1 << (i & 7))) === 0;
  }

  /** Checks that `i` is a row of this column (an internal bug otherwise). */
  protected checkIndex(i: number): void {
    assert(Number.isInteger(i) && i >= 0 && i < this.length, `row ${i} outside [0, ${this.length})`);
  }
}
