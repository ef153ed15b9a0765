// Columns of REAL values (FLOAT, DOUBLE) as 64-bit floats.
// Follows TiKV components/tidb_query_datatype/src/codec/data_type/chunked_vec_sized.rs (Real).

import { assert } from "../errors.js";
import { EvalType } from "../eval-type.js";
import { FixedBuffer, ValidityBuilder } from "./buffer.js";
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
export class ChunkedVecRealBuilder {
  private readonly validity = new ValidityBuilder();
  private readonly buf: FixedBuffer<Float64Array>;

  /** `capacity`: rows to preallocate. */
  constructor(capacity = 0) {
    this.buf = new FixedBuffer(Float64Array, 1, capacity);
  }

  /** Rows appended so far. */
  get length(): number {
    return this.validity.length;
  }

  /** Appends a double; NaN is an internal bug (callers turn it into NULL or an error first). */
  append(v: number): void {
    assert(!Number.isNaN(v), "NaN in a REAL column");
    const n = this.validity.length;
    const d = n < this.buf.data.length ? this.buf.data : this.buf.reserve(n + 1, n);
    d[n] = v;
    this.validity.pushValid();
  }

  /** Appends a NULL (its slot holds 0). */
  appendNull(): void {
    const n = this.validity.length;
    this.buf.reserve(n + 1, n);
    this.validity.pushNull();
  }

  /** Appends `count` NULLs. */
  appendNulls(count: number): void {
    const n = this.validity.length;
    this.buf.reserve(n + count, n);
    this.validity.pushNulls(count);
  }

  /**
   * Appends `count` present rows holding zero values (0, an empty string, a zero date…): what a
   * lazy decoder puts in the rows it did not decode, which nobody reads.
   */
  appendZeros(count: number): void {
    const n = this.validity.length;
    this.buf.reserve(n + count, n).fill(0, n, n + count);
    this.validity.pushValids(count);
  }

  /** The column of the rows appended so far; the builder is empty afterwards. */
  finish(): ChunkedVecReal {
    const n = this.validity.length;
    const nulls = this.validity.nullCount;
    const bits = this.validity.finish();
    return new ChunkedVecReal(this.buf.take(n), bits, nulls);
  }
}
