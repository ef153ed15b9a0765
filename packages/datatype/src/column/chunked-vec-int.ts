// Columns of INT values (every integer type, BIT, YEAR): exact 64-bit values, signed or unsigned.
// Follows TiKV components/tidb_query_datatype/src/codec/data_type/chunked_vec_sized.rs (Int).

import { assert } from "../errors.js";
import { EvalType } from "../eval-type.js";
import { alignedCapacity, grownCapacity, ValidityBuilder } from "./buffer.js";
import { ChunkedVecBase } from "./chunked-vec-base.js";

/** The largest magnitude the `"f64"` representation holds: 2^53 - 1. */
export const MAX_EXACT_INT = Number.MAX_SAFE_INTEGER;

const TWO_32 = 4_294_967_296;
const I64_MIN = -(1n << 63n);
const U64_MAX = (1n << 64n) - 1n;

/**
 * The values of an INT column, in one of two representations chosen per column:
 * - `"f64"`: every value is an exact JS number with |v| <= 2^53 - 1. `values[i]` is the SQL value
 *   itself (for an UNSIGNED column, the unsigned value; never negative).
 * - `"i64"`: at least one value is wider. `values[i]` is the 64-bit pattern as a signed bigint;
 *   `unsignedValues` is a view of the same memory read as unsigned, which UNSIGNED columns use.
 *
 * Kernels branch once per column on `repr`. NULL rows hold 0.
 */
export type IntData =
  | { readonly repr: "f64"; readonly values: Float64Array }
  | { readonly repr: "i64"; readonly values: BigInt64Array; readonly unsignedValues: BigUint64Array };

/** Options of {@link ChunkedVecIntBuilder} and {@link ChunkedVecInt.fromValues}. */
export interface IntColumnOptions {
  /** True for an UNSIGNED column (from the field type's flag). Default false. */
  unsigned?: boolean;
  /** Rows to preallocate. Default 0 (grow on demand). */
  capacity?: number;
}

/**
 * An immutable column of 64-bit integers (TiKV `ChunkedVecSized<Int>`). Whether the values are
 * signed or unsigned is a property of the column (`unsigned`, from the field type), not of the
 * values: the same 64 bits are -1 in a signed and 2^64 - 1 in an unsigned column.
 */
export class ChunkedVecInt extends ChunkedVecBase {
  /** Always `"Int"`. */
  readonly evalType = EvalType.Int;
  /** True if the values are unsigned 64-bit integers. */
  readonly unsigned: boolean;
  /** The values; see {@link IntData}. */
  readonly data: IntData;

  /**
   * A column over existing arrays (no copy); e.g. a kernel's output. In the `"f64"`
   * representation every value must be an integer with |v| <= 2^53 - 1 (and >= 0 if unsigned);
   * NULL rows should hold 0. See {@link ChunkedVecBase} for `validity` and `nullCount`.
   */
  constructor(data: IntData, unsigned: boolean, validity: Uint8Array | null = null, nullCount?: number) {
    super(data.values.length, validity, nullCount);
    this.data = data;
    this.unsigned = unsigned;
  }

  /** A column of `values` (numbers or bigints within the i64/u64 range, or null for NULL). */
  static fromValues(
    values: readonly (number | bigint | null)[],
    options: IntColumnOptions = {},
  ): ChunkedVecInt {
    const b = new ChunkedVecIntBuilder({ ...options, capacity: values.length });
    for (const v of values) {
      if (v === null) b.appendNull();
      else b.append(v);
    }
    return b.finish();
  }

  /** Row `i` as a bigint (unsigned in an UNSIGNED column), or null. Allocates; not for kernels. */
  get(i: number): bigint | null {
    this.checkIndex(i);
    if (this.isNull(i)) return null;
    const d = this.data;
    if (d.repr === "f64") return BigInt(d.values[i]);
    return this.unsigned ? d.unsignedValues[i] : d.values[i];
  }

  /**
   * The 64-bit patterns of all rows as a BigInt64Array (what TiDB's chunk format stores): the
   * array itself in the `"i64"` representation, a converted copy (no per-row bigint) otherwise.
   */
  toI64Bits(): BigInt64Array {
    const d = this.data;
    if (d.repr === "i64") return d.values;
    const out = new BigInt64Array(this.length);
    const words = new Uint32Array(out.buffer);
    const src = d.values;
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      const hi = Math.floor(v / TWO_32);
      words[2 * i] = v - hi * TWO_32;
      words[2 * i + 1] = hi;
    }
    return out;
  }
}

/**
 * Builds a {@link ChunkedVecInt}. Values start in the `"f64"` representation; the first value
 * wider than 2^53 - 1 (as the column reads it) switches the builder, once, to `"i64"`, converting
 * what it had. Appending numbers never allocates a bigint. `finish()` hands the buffers to the
 * column (views, no copy) and leaves the builder empty for reuse.
 */
export class ChunkedVecIntBuilder {
  /** True if values are read as unsigned 64-bit integers. */
  readonly unsigned: boolean;
  private readonly validity = new ValidityBuilder();
  private f64: Float64Array;
  private i64: BigInt64Array | null = null;
  private words: Uint32Array | null = null;
  private min: number;
  /** The construction-time capacity, made room for at once again after each finish(). */
  private readonly hint: number;

  constructor(options: IntColumnOptions = {}) {
    this.unsigned = options.unsigned ?? false;
    this.min = this.unsigned ? 0 : -MAX_EXACT_INT;
    this.hint = options.capacity ?? 0;
    this.f64 = new Float64Array(alignedCapacity(this.hint, 8));
  }

  /** Rows appended so far. */
  get length(): number {
    return this.validity.length;
  }

  /**
   * Appends a value: an integer number or a bigint in [-2^63, 2^64 - 1], taken as its 64-bit
   * pattern (so -1 and 2^64 - 1 are the same value). Anything else is an internal bug.
   */
  append(v: number | bigint): void {
    const n = this.validity.length;
    if (
      typeof v === "number" &&
      this.i64 === null &&
      v <= MAX_EXACT_INT &&
      v >= this.min &&
      Math.floor(v) === v
    ) {
      if (n === this.f64.length) this.grow(n + 1);
      this.f64[n] = v + 0;
      this.validity.pushValid();
      return;
    }
    this.appendSlow(v, n);
  }

  /** Appends a NULL (its slot holds 0). */
  appendNull(): void {
    const n = this.validity.length;
    if (n === this.f64.length) this.grow(n + 1);
    this.validity.pushNull();
  }

  /** Appends `count` NULLs. */
  appendNulls(count: number): void {
    const n = this.validity.length;
    if (n + count > this.f64.length) this.grow(n + count);
    this.validity.pushNulls(count);
  }

  /**
   * Appends `count` present rows holding zero values (0, an empty string, a zero date…): what a
   * lazy decoder puts in the rows it did not decode, which nobody reads.
   */
  appendZeros(count: number): void {
    const n = this.validity.length;
    // Slots past the rows written hold zeros already.
    if (n + count > this.f64.length) this.grow(n + count);
    this.validity.pushValids(count);
  }

  /** Whether arrays are recycled, and the arrays of the last two batches (see {@link recycleBuffers}). */
  private recycling = false;
  private lastF64: Float64Array | null = null;
  private spareF64: Float64Array | null = null;

  /**
   * Lets the builder reuse the value arrays of earlier batches (zeroed first): a column it hands
   * out stays intact while the next batch is appended, and may change once that one is
   * finished. 64-bit values beyond ±2^53 always go to fresh memory.
   */
  recycleBuffers(): void {
    this.recycling = true;
  }

  /** The column of the rows appended so far; the builder is empty afterwards. */
  finish(): ChunkedVecInt {
    const n = this.validity.length;
    const nulls = this.validity.nullCount;
    const bits = this.validity.finish();
    let data: IntData;
    if (this.i64 === null) {
      data = { repr: "f64", values: this.f64.subarray(0, n) };
      if (this.recycling) {
        this.spareF64 = this.lastF64;
        this.lastF64 = this.f64;
      }
    } else {
      const values = this.i64.subarray(0, n);
      data = { repr: "i64", values, unsignedValues: new BigUint64Array(values.buffer, values.byteOffset, n) };
    }
    this.f64 = new Float64Array(0);
    this.i64 = null;
    this.words = null;
    return new ChunkedVecInt(data, this.unsigned, bits, nulls);
  }

  private appendSlow(v: number | bigint, n: number): void {
    if (typeof v === "number") {
      assert(Number.isInteger(v), `INT value ${v} is not an integer`);
      if (Math.abs(v) > MAX_EXACT_INT) {
        this.appendBigInt(BigInt(v), n);
        return;
      }
      // A safe integer that the f64 representation cannot hold (a negative value in an UNSIGNED
      // column reads as >= 2^63), or the builder is already in the i64 representation.
      if (this.i64 === null) this.toI64();
      if (n === this.f64.length) this.grow(n + 1);
      const words = this.words as Uint32Array;
      const hi = Math.floor(v / TWO_32);
      words[2 * n] = v - hi * TWO_32;
      words[2 * n + 1] = hi;
      this.validity.pushValid();
      return;
    }
    this.appendBigInt(v, n);
  }

  private appendBigInt(v: bigint, n: number): void {
    assert(v >= I64_MIN && v <= U64_MAX, `INT value ${v} outside the 64-bit range`);
    const value = this.unsigned ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v);
    if (this.i64 === null) {
      if (value <= BigInt(MAX_EXACT_INT) && value >= BigInt(-MAX_EXACT_INT)) {
        if (n === this.f64.length) this.grow(n + 1);
        this.f64[n] = Number(value);
        this.validity.pushValid();
        return;
      }
      this.toI64();
    }
    if (n === this.f64.length) this.grow(n + 1);
    (this.i64 as BigInt64Array)[n] = v;
    this.validity.pushValid();
  }

  /** Switches to the i64 representation, converting the rows so far. */
  private toI64(): void {
    const n = this.validity.length;
    const i64 = new BigInt64Array(this.f64.length);
    const src = this.f64;
    for (let i = 0; i < n; i++) i64[i] = BigInt(src[i]);
    this.setI64(i64);
  }

  private setI64(i64: BigInt64Array): void {
    this.i64 = i64;
    this.words = new Uint32Array(i64.buffer, i64.byteOffset, i64.length * 2);
    // Keeps `f64.length` as the capacity of both representations.
    this.f64 = new Float64Array(i64.buffer, i64.byteOffset, i64.length);
  }

  private grow(needed: number): void {
    const cap = grownCapacity(this.f64.length, Math.max(needed, this.hint), 8);
    const n = this.validity.length;
    const spare = this.spareF64;
    if (this.i64 === null && n === 0 && this.recycling && spare !== null && spare.length >= needed) {
      // The array of the batch before the last one.
      spare.fill(0);
      this.f64 = spare;
      this.spareF64 = null;
      return;
    }
    if (this.i64 === null) {
      const f64 = new Float64Array(cap);
      f64.set(this.f64.subarray(0, n));
      this.f64 = f64;
    } else {
      const i64 = new BigInt64Array(cap);
      i64.set(this.i64.subarray(0, n));
      this.setI64(i64);
    }
  }
}
