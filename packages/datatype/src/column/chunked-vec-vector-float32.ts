// Columns of VECTOR<FLOAT32> values: all elements back to back plus per-row element offsets.
// Follows TiKV components/tidb_query_datatype/src/codec/data_type/chunked_vec_vector_float32.rs.

import { UnsupportedError } from "../errors.js";
import { EvalType } from "../eval-type.js";
import { FixedBuffer, ValidityBuilder } from "./buffer.js";
import { ChunkedVecBase } from "./chunked-vec-base.js";

const MAX_ELEMENTS = 0x7fff_ffff;

/**
 * An immutable column of float32 vectors. Row `i` is `data[offsets[i] .. offsets[i + 1])`;
 * offsets count elements, not bytes (the chunk encoder multiplies by 4 and prefixes the element
 * count, as TiDB's vector encoding does). NULL rows are empty ranges.
 */
export class ChunkedVecVectorFloat32 extends ChunkedVecBase {
  /** Always `"VectorFloat32"`. */
  readonly evalType = EvalType.VectorFloat32;
  /** Every element of every row, back to back. */
  readonly data: Float32Array;
  /** `length + 1` element offsets into `data`. */
  readonly offsets: Int32Array;

  /**
   * A column over `data` and `offsets` (no copy; `offsets` non-decreasing and within `data`);
   * see {@link ChunkedVecBase} for the bitmap arguments.
   */
  constructor(
    data: Float32Array,
    offsets: Int32Array,
    validity: Uint8Array | null = null,
    nullCount?: number,
  ) {
    super(offsets.length - 1, validity, nullCount);
    this.data = data;
    this.offsets = offsets;
  }

  /** A column of vectors (null for NULL). */
  static fromValues(values: readonly (ArrayLike<number> | null)[]): ChunkedVecVectorFloat32 {
    const b = new ChunkedVecVectorFloat32Builder(values.length);
    for (const v of values) {
      if (v === null) b.appendNull();
      else b.append(v);
    }
    return b.finish();
  }

  /** Row `i` as a view into `data` (do not write to it), or null. */
  get(i: number): Float32Array | null {
    this.checkIndex(i);
    return this.isNull(i) ? null : this.data.subarray(this.offsets[i], this.offsets[i + 1]);
  }
}

/** Builds a {@link ChunkedVecVectorFloat32}; `finish()` hands over views and leaves the builder empty. */
export class ChunkedVecVectorFloat32Builder {
  private readonly validity = new ValidityBuilder();
  private readonly offsets: FixedBuffer<Int32Array>;
  private readonly data = new FixedBuffer(Float32Array, 1);
  private end = 0;

  /** `capacity`: rows to preallocate offsets for. */
  constructor(capacity = 0) {
    this.offsets = new FixedBuffer(Int32Array, 1, capacity + 1);
    this.offsets.reserve(1, 0);
  }

  /** Rows appended so far. */
  get length(): number {
    return this.validity.length;
  }

  /** Appends a copy of `v`'s elements, rounded to float32. */
  append(v: ArrayLike<number>): void {
    const start = this.end;
    const end = start + v.length;
    if (end > MAX_ELEMENTS)
      throw new UnsupportedError(`a column of more than ${MAX_ELEMENTS} vector elements`);
    const d = this.data.reserve(end, start);
    for (let k = 0; k < v.length; k++) d[start + k] = v[k];
    this.pushEnd(end);
    this.validity.pushValid();
  }

  /**
   * Lets the builder reuse its offset buffers batch after batch (see `FixedBuffer.recycle`); the
   * elements are always in fresh memory (values read from a column are views of them).
   */
  recycleBuffers(): void {
    this.offsets.recycle();
  }

  /** Appends a NULL (an empty range). */
  appendNull(): void {
    this.pushEnd(this.end);
    this.validity.pushNull();
  }

  /** Appends `count` NULLs. */
  appendNulls(count: number): void {
    for (let i = 0; i < count; i++) this.appendNull();
  }

  /**
   * Appends `count` present rows holding zero values (0, an empty string, a zero date…): what a
   * lazy decoder puts in the rows it did not decode, which nobody reads.
   */
  appendZeros(count: number): void {
    for (let i = 0; i < count; i++) {
      this.pushEnd(this.end);
      this.validity.pushValid();
    }
  }

  /** The column of the rows appended so far; the builder is empty afterwards. */
  finish(): ChunkedVecVectorFloat32 {
    const n = this.validity.length;
    const nulls = this.validity.nullCount;
    const bits = this.validity.finish();
    const data = this.data.take(this.end);
    const offsets = this.offsets.take(n + 1);
    this.end = 0;
    this.offsets.reserve(1, 0);
    return new ChunkedVecVectorFloat32(data, offsets, bits, nulls);
  }

  private pushEnd(end: number): void {
    const n = this.validity.length;
    const offs = this.offsets.reserve(n + 2, n + 1);
    offs[n + 1] = end;
    this.end = end;
  }
}
