// Columns of DURATION (MySQL TIME) values as nanoseconds.
// Follows TiKV components/tidb_query_datatype/src/codec/data_type/chunked_vec_sized.rs (Duration).

import { Duration } from "../duration/index.js";
import { EvalType } from "../eval-type.js";
import { FixedWidthBuilder } from "./buffer.js";
import { ChunkedVecBase } from "./chunked-vec-base.js";

/**
 * An immutable column of MySQL TIME values (TiKV `ChunkedVecSized<Duration>`): signed
 * nanoseconds per row, exact in a double (|nanos| < 2^53), and one fractional-second precision
 * `fsp` for the whole column, from its field type. NULL rows hold 0.
 */
export class ChunkedVecDuration extends ChunkedVecBase {
  /** Always `"Duration"`. */
  readonly evalType = EvalType.Duration;
  /** Signed nanoseconds per row, already rounded to `fsp`. */
  readonly nanos: Float64Array;
  /** Fractional-second precision of every value, 0..6. */
  readonly fsp: number;

  /** A column over `nanos` (no copy); see {@link ChunkedVecBase} for the bitmap arguments. */
  constructor(nanos: Float64Array, fsp: number, validity: Uint8Array | null = null, nullCount?: number) {
    super(nanos.length, validity, nullCount);
    this.nanos = nanos;
    this.fsp = fsp;
  }

  /** A column of `values` (null for NULL) with precision `fsp`. */
  static fromValues(values: readonly (Duration | null)[], fsp: number): ChunkedVecDuration {
    const b = new ChunkedVecDurationBuilder(fsp, values.length);
    for (const v of values) {
      if (v === null) b.appendNull();
      else b.append(v);
    }
    return b.finish();
  }

  /** Row `i` as a Duration with the column's `fsp`, or null. Allocates; not for kernels. */
  get(i: number): Duration | null {
    this.checkIndex(i);
    return this.isNull(i) ? null : Duration.fromNanosUnchecked(this.nanos[i], this.fsp);
  }
}

/** Builds a {@link ChunkedVecDuration}; `finish()` hands over views and leaves the builder empty. */
export class ChunkedVecDurationBuilder extends FixedWidthBuilder<Float64Array> {
  /** Fractional-second precision of the column. */
  readonly fsp: number;

  /** `fsp`: the column's precision (0..6); `capacity`: rows to preallocate. */
  constructor(fsp: number, capacity = 0) {
    super(Float64Array, 1, capacity);
    this.fsp = fsp;
  }

  /**
   * Appends a Duration's nanoseconds. The value is stored as it is: its own fsp is not kept
   * (callers round to the column's fsp first, as casts do).
   */
  append(d: Duration): void {
    this.appendNanos(d.nanos);
  }

  /** Appends a value given as nanoseconds (an integer within the TIME range). */
  appendNanos(nanos: number): void {
    const n = this.validity.length;
    const d = this.room(n);
    d[n] = nanos + 0;
    this.validity.pushValid();
  }

  /** The column of the rows appended so far; the builder is empty afterwards. */
  finish(): ChunkedVecDuration {
    const { values, validity, nullCount } = this.take();
    return new ChunkedVecDuration(values, this.fsp, validity, nullCount);
  }
}
