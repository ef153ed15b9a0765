// Columns of REAL values (FLOAT, DOUBLE) as 64-bit floats.
// Follows TiKV components/tidb_query_datatype/src/codec/data_type/chunked_vec_sized.rs (Real).

import { assert } from "../errors.js";
import { EvalType } from "../eval-type.js";
import { FixedWidthBuilder } from "./buffer.js";
import { ChunkedVecBase } from "./chunked-vec-base.js";

/**
 * An immutable column of doubles (TiKV `ChunkedVecSized<Real>`). Values are never NaN (TiKV's
 * `Real` is a not-NaN float); -0 is kept as it is. NULL rows hold 0.
 */
export class ChunkedVecReal extends ChunkedVecBase {
  /** Always `"Real"`. */
  readonly evalType = EvalType.Real;
  /** One double per row. */
  readonly values: Float64Array;

  /** A column over `values` (no copy); see {@link ChunkedVecBase} for the bitmap arguments. */
  constructor(values: Float64Array, validity: Uint8Array | null = null, nullCount?: number) {
    super(values.length, validity, nullCount);
    this.values = values;
  }

  /** A column of `values` (null for NULL). */
  static fromValues(values: readonly (number | null)[]): ChunkedVecReal {
    const b = new ChunkedVecRealBuilder(values.length);
    for (const v of values) {
      if (v === null) b.appendNull();
      else b.append(v);
    }
    return b.finish();
  }

  /** Row `i`, or null. */
  get(i: number): number | null {
    this.checkIndex(i);
    return this.isNull(i) ? null : this.values[i];
  }
}

/** Builds a {@link ChunkedVecReal}; `finish()` hands over views and leaves the builder empty. */
export class ChunkedVecRealBuilder extends FixedWidthBuilder<Float64Array> {
  /** `capacity`: rows to preallocate. */
  constructor(capacity = 0) {
    super(Float64Array, 1, capacity);
  }

  /** Appends a double; NaN is an internal bug (callers turn it into NULL or an error first). */
  append(v: number): void {
    assert(!Number.isNaN(v), "NaN in a REAL column");
    const n = this.validity.length;
    const d = this.room(n);
    d[n] = v;
    this.validity.pushValid();
  }

  /** The column of the rows appended so far; the builder is empty afterwards. */
  finish(): ChunkedVecReal {
    const { values, validity, nullCount } = this.take();
    return new ChunkedVecReal(values, validity, nullCount);
  }
}
