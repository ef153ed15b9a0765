// Columns of variable-length byte values: BYTES (every string and blob type) and, sharing the
// layout, JSON. Follows TiKV components/tidb_query_datatype/src/codec/data_type/chunked_vec_bytes.rs.

import { UnsupportedError } from "../errors.js";
import { EvalType } from "../eval-type.js";
import { FixedBuffer, grownCapacity, ValidityBuilder } from "./buffer.js";
import { ChunkedVecBase } from "./chunked-vec-base.js";

/** The most bytes a variable-length column holds (its offsets are int32). */
export const MAX_VAR_LEN_BYTES = 0x7fff_ffff;

const encoder = new TextEncoder();

/**
 * The layout of variable-length columns: all values back to back in `data`, and `offsets`
 * (`length + 1` int32) such that row `i` is `data[offsets[i] .. offsets[i + 1])`. NULL rows are
 * empty ranges. `offsets[0]` is 0 for built columns.
 */
export abstract class ChunkedVecVarLen extends ChunkedVecBase {
  /** The bytes of every value, back to back. */
  readonly data: Uint8Array;
  /** `length + 1` start offsets into `data`; row `i` ends where row `i + 1` starts. */
  readonly offsets: Int32Array;

  /**
   * A column over `data` and `offsets` (no copy; `offsets` non-decreasing and within `data`);
   * see {@link ChunkedVecBase} for the bitmap arguments.
   */
  constructor(data: Uint8Array, offsets: Int32Array, validity: Uint8Array | null = null, nullCount?: number) {
    super(offsets.length - 1, validity, nullCount);
    this.data = data;
    this.offsets = offsets;
  }

  /** Row `i` as a view into `data` (do not write to it), or null. */
  get(i: number): Uint8Array | null {
    this.checkIndex(i);
    return this.isNull(i) ? null : this.data.subarray(this.offsets[i], this.offsets[i + 1]);
  }
}

/**
 * An immutable column of byte strings (TiKV `ChunkedVecBytes`): CHAR, VARCHAR, BINARY, TEXT,
 * BLOB. The bytes are the column's charset encoding (UTF-8 for utf8mb4); collation is a property
 * of the field type, not of the column.
 */
export class ChunkedVecBytes extends ChunkedVecVarLen {
  /** Always `"Bytes"`. */
  readonly evalType = EvalType.Bytes;

  /** A column of `values`: byte arrays, strings (encoded as UTF-8) or null for NULL. */
  static fromValues(values: readonly (Uint8Array | string | null)[]): ChunkedVecBytes {
    const b = new ChunkedVecBytesBuilder(values.length);
    for (const v of values) {
      if (v === null) b.appendNull();
      else if (typeof v === "string") b.appendString(v);
      else b.append(v);
    }
    return b.finish();
  }
}

/**
 * An immutable column of JSON values (TiKV `ChunkedVecJson`), each in TiDB's binary JSON
 * encoding (type byte then payload), as the chunk format carries it. The binary JSON codec lives
 * elsewhere; this column only stores the bytes.
 */
export class ChunkedVecJson extends ChunkedVecVarLen {
  /** Always `"Json"`. */
  readonly evalType = EvalType.Json;

  /** A column of binary JSON values (null for NULL). */
  static fromValues(values: readonly (Uint8Array | null)[]): ChunkedVecJson {
    const b = new ChunkedVecJsonBuilder(values.length);
    for (const v of values) {
      if (v === null) b.appendNull();
      else b.append(v);
    }
    return b.finish();
  }
}

/** What the Bytes and Json builders share: growing data and offsets. */
abstract class VarLenBuilder {
  protected readonly validity = new ValidityBuilder();
  protected readonly offsets: FixedBuffer<Int32Array>;
  protected data: Uint8Array;
  protected end = 0;
  /** Data bytes of the previous finish(): the first growth of the next batch makes room for them. */
  private dataHint = 0;

  constructor(capacity: number) {
    // One more offset than rows: offsets[0] = 0 is already in place.
    this.offsets = new FixedBuffer(Int32Array, 1, capacity + 1);
    this.offsets.reserve(1, 0);
    this.data = new Uint8Array(0);
  }

  /** Rows appended so far. */
  get length(): number {
    return this.validity.length;
  }

  /** Appends a copy of `bytes`. */
  append(bytes: Uint8Array): void {
    const start = this.end;
    const end = start + bytes.length;
    if (end > this.data.length) this.reserveData(end);
    this.data.set(bytes, start);
    this.pushEnd(end);
    this.validity.pushValid();
  }

  /** Appends a copy of `src[start..end)` without making a view of it (what decoders use per row). */
  appendRange(src: Uint8Array, start: number, end: number): void {
    const from = this.end;
    const to = from + (end - start);
    if (to > this.data.length) this.reserveData(to);
    const data = this.data;
    if (end - start <= 32) {
      // Short values: a loop beats making a view for TypedArray.set.
      for (let i = start, j = from; i < end; i++, j++) data[j] = src[i]!;
    } else {
      data.set(src.subarray(start, end), from);
    }
    this.pushEnd(to);
    this.validity.pushValid();
  }

  /**
   * Appends `count` values at once, value `r` a copy of `src[pos[k] .. pos[k + 1])` with
   * `k = first + r * step` (a decoder's table of value ranges): the same as `count`
   * {@link appendRange} calls, with one capacity check for all of them.
   */
  appendRanges(src: Uint8Array, pos: Int32Array, first: number, step: number, count: number): void {
    if (count <= 0) return;
    let total = this.end;
    for (let r = 0, k = first; r < count; r++, k += step) total += pos[k + 1]! - pos[k]!;
    if (total > this.data.length) this.reserveData(total);
    const n = this.validity.length;
    const offs =
      n + count + 1 <= this.offsets.data.length
        ? this.offsets.data
        : this.offsets.reserve(n + count + 1, n + 1);
    const data = this.data;
    let j = this.end;
    for (let r = 0, k = first; r < count; r++, k += step) {
      const start = pos[k]!;
      const end = pos[k + 1]!;
      if (end - start <= 32) {
        for (let i = start; i < end; i++, j++) data[j] = src[i]!;
      } else {
        data.set(src.subarray(start, end), j);
        j += end - start;
      }
      offs[n + r + 1] = j;
    }
    this.end = j;
    this.validity.pushValids(count);
  }

  /**
   * Lets the builder reuse its offset buffers batch after batch (see `FixedBuffer.recycle`); the
   * bytes themselves are always in fresh memory (values read from a column may be views of them).
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

  protected pushEnd(end: number): void {
    const n = this.validity.length;
    const offs = n + 2 <= this.offsets.data.length ? this.offsets.data : this.offsets.reserve(n + 2, n + 1);
    offs[n + 1] = end;
    this.end = end;
  }

  protected reserveData(bytes: number): void {
    if (bytes > MAX_VAR_LEN_BYTES) {
      throw new UnsupportedError(`a column of more than ${MAX_VAR_LEN_BYTES} bytes`);
    }
    const want = Math.max(bytes, this.dataHint);
    const grown = new Uint8Array(Math.min(grownCapacity(this.data.length, want, 1), MAX_VAR_LEN_BYTES));
    grown.set(this.data.subarray(0, this.end));
    this.data = grown;
  }

  protected takeParts(): [Uint8Array, Int32Array, Uint8Array | null, number] {
    const n = this.validity.length;
    const nulls = this.validity.nullCount;
    const bits = this.validity.finish();
    const data = this.data.subarray(0, this.end);
    const offsets = this.offsets.take(n + 1);
    this.dataHint = Math.min(this.end, MAX_VAR_LEN_BYTES);
    this.data = new Uint8Array(0);
    this.end = 0;
    this.offsets.reserve(1, 0);
    return [data, offsets, bits, nulls];
  }
}

/** Builds a {@link ChunkedVecBytes}; `finish()` hands over views and leaves the builder empty. */
export class ChunkedVecBytesBuilder extends VarLenBuilder {
  /** `capacity`: rows to preallocate offsets for. */
  constructor(capacity = 0) {
    super(capacity);
  }

  /**
   * Appends `s` encoded as UTF-8 (for utf8mb4 columns and tests). A lone surrogate becomes
   * U+FFFD, as `TextEncoder` does.
   */
  appendString(s: string): void {
    const start = this.end;
    if (start + s.length * 3 > this.data.length) this.reserveData(start + s.length * 3);
    const { written } = encoder.encodeInto(s, this.data.subarray(start));
    this.pushEnd(start + written);
    this.validity.pushValid();
  }

  /** The column of the rows appended so far; the builder is empty afterwards. */
  finish(): ChunkedVecBytes {
    const [data, offsets, bits, nulls] = this.takeParts();
    return new ChunkedVecBytes(data, offsets, bits, nulls);
  }
}

/** Builds a {@link ChunkedVecJson}; `finish()` hands over views and leaves the builder empty. */
export class ChunkedVecJsonBuilder extends VarLenBuilder {
  /** `capacity`: rows to preallocate offsets for. */
  constructor(capacity = 0) {
    super(capacity);
  }

  /** The column of the rows appended so far; the builder is empty afterwards. */
  finish(): ChunkedVecJson {
    const [data, offsets, bits, nulls] = this.takeParts();
    return new ChunkedVecJson(data, offsets, bits, nulls);
  }
}
