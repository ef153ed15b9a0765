// Growth of builder buffers and the validity bitmap shared by every column.
// Follows TiKV components/tidb_query_datatype/src/codec/data_type/bit_vec.rs (LSB-first bits).

/** Builder buffers are sized in whole multiples of this many bytes (one cache line). */
export const BUFFER_ALIGNMENT = 64;

/**
 * How many elements of `elementBytes` bytes a grown buffer holds: at least `needed` elements,
 * at least twice the `current` capacity's bytes, rounded up to a multiple of
 * {@link BUFFER_ALIGNMENT} bytes (and at least 64 bytes).
 */
export function grownCapacity(current: number, needed: number, elementBytes: number): number {
  let bytes = Math.max(BUFFER_ALIGNMENT, current * elementBytes * 2, needed * elementBytes);
  bytes = Math.ceil(bytes / BUFFER_ALIGNMENT) * BUFFER_ALIGNMENT;
  return Math.floor(bytes / elementBytes);
}

/** The number of elements of `elementBytes` bytes that fit in `hint` elements rounded up to 64 bytes. */
export function alignedCapacity(hint: number, elementBytes: number): number {
  if (hint <= 0) return 0;
  const bytes = Math.ceil((hint * elementBytes) / BUFFER_ALIGNMENT) * BUFFER_ALIGNMENT;
  return Math.floor(bytes / elementBytes);
}

/** The number of bytes of a validity bitmap for `rows` rows. */
export function bitmapBytes(rows: number): number {
  return (rows + 7) >>> 3;
}

/** True if bit `i` of an LSB-first bitmap is set (the row is present, not NULL). */
export function bitmapGet(bitmap: Uint8Array, i: number): boolean {
  return (bitmap[i >>> 3] & (1 << (i & 7))) !== 0;
}

/**
 * The number of clear bits (NULL rows) among the first `rows` bits of an LSB-first bitmap.
 * Bits past `rows` are ignored.
 */
export function bitmapCountNulls(bitmap: Uint8Array, rows: number): number {
  const full = rows >>> 3;
  let present = 0;
  for (let b = 0; b < full; b++) present += POPCOUNT8[bitmap[b]];
  const rest = rows & 7;
  if (rest !== 0) present += POPCOUNT8[bitmap[full] & ((1 << rest) - 1)];
  return rows - present;
}

const POPCOUNT8 = (() => {
  const t = new Uint8Array(256);
  for (let i = 1; i < 256; i++) t[i] = (i & 1) + t[i >>> 1];
  return t;
})();

/**
 * The validity bookkeeping of a builder: row count, NULL count and a bitmap that exists only
 * once the first NULL arrives (until then every row is present). Builders embed one and call
 * {@link ValidityBuilder.pushValid} or {@link ValidityBuilder.pushNull} once per row.
 */
export class ValidityBuilder {
  /** Rows pushed so far. */
  length = 0;
  /** NULL rows pushed so far. */
  nullCount = 0;
  /** The bitmap, or null while no row is NULL. Bits at and past `length` are 0. */
  bits: Uint8Array | null = null;

  /** Records a present row. */
  pushValid(): void {
    const n = this.length;
    const bits = this.bits;
    if (bits !== null) {
      const byte = n >>> 3;
      if (byte >= bits.length) this.growBits(n + 1)[byte] |= 1 << (n & 7);
      else bits[byte] |= 1 << (n & 7);
    }
    this.length = n + 1;
  }

  /** Records a NULL row (its bit stays clear). */
  pushNull(): void {
    const n = this.length;
    if (this.bits === null) this.startBits(n);
    else if (n >>> 3 >= this.bits.length) this.growBits(n + 1);
    this.nullCount++;
    this.length = n + 1;
  }

  /** Records `count` present rows at once (count >= 0). */
  pushValids(count: number): void {
    if (count <= 0) return;
    const n = this.length;
    const bits = this.bits;
    if (bits !== null) {
      const end = n + count;
      const b = (end - 1) >>> 3 >= bits.length ? this.growBits(end) : bits;
      for (let i = n; i < end; i++) b[i >>> 3] |= 1 << (i & 7);
    }
    this.length = n + count;
  }

  /** Records `count` NULL rows at once (count >= 0). */
  pushNulls(count: number): void {
    if (count <= 0) return;
    const n = this.length;
    if (this.bits === null) this.startBits(n);
    if ((n + count - 1) >>> 3 >= (this.bits as Uint8Array).length) this.growBits(n + count);
    this.nullCount += count;
    this.length = n + count;
  }

  /**
   * Hands over the bitmap for the rows pushed so far (a view, or null when there is no NULL) and
   * resets this builder to empty.
   */
  finish(): Uint8Array | null {
    const bits =
      this.nullCount === 0 ? null : (this.bits as Uint8Array).subarray(0, bitmapBytes(this.length));
    this.length = 0;
    this.nullCount = 0;
    this.bits = null;
    return bits;
  }

  private startBits(n: number): void {
    const bits = new Uint8Array(grownCapacity(0, bitmapBytes(n + 1), 1));
    bits.fill(0xff, 0, n >>> 3);
    if ((n & 7) !== 0) bits[n >>> 3] = (1 << (n & 7)) - 1;
    this.bits = bits;
  }

  private growBits(rows: number): Uint8Array {
    const old = this.bits as Uint8Array;
    const bits = new Uint8Array(grownCapacity(old.length, bitmapBytes(rows), 1));
    bits.set(old);
    this.bits = bits;
    return bits;
  }
}

/**
 * How many batches of a builder's capacity hint one buffer allocation holds. Columns are views of
 * it, so a column kept alive keeps the whole allocation: at most this many batches' worth.
 */
export const SLAB_BATCHES = 4;

/** The typed arrays fixed-width columns store their values in. */
export type FixedArray = Float64Array | Float32Array | Int32Array | Uint32Array;

/** A typed-array constructor of {@link FixedArray}. */
export interface FixedArrayConstructor<A extends FixedArray> {
  new (length: number): A;
  readonly BYTES_PER_ELEMENT: number;
}

/**
 * A growable typed array of `width` elements per row, used by builders. `data` is replaced when
 * it grows; slots past the rows written are 0.
 */
export class FixedBuffer<A extends FixedArray> {
  /** The current storage; its length is the capacity in elements. */
  data: A;
  private readonly ctor: FixedArrayConstructor<A>;
  private readonly width: number;
  /** Rows to make room for at once after {@link take}: a builder reused batch after batch grows once. */
  private readonly hintRows: number;
  /** Whether slabs are recycled (see {@link recycle}); the slab in use and the one before it. */
  private recycling = false;
  private slab: A | null = null;
  private spare: A | null = null;

  constructor(ctor: FixedArrayConstructor<A>, width: number, capacityRows = 0) {
    this.ctor = ctor;
    this.width = width;
    this.hintRows = capacityRows;
    this.data = new ctor(alignedCapacity(capacityRows * width, ctor.BYTES_PER_ELEMENT));
  }

  /**
   * From now on, a new batch that needs a new allocation takes the one before the allocation in
   * use instead, when it is big enough (zeroed first): two allocations take turns, and no fresh
   * memory is touched batch after batch. The values handed out by {@link take} then stay intact
   * while the next batch is written, and may be overwritten once that one is taken — for
   * builders whose batches are consumed before the next one is asked for.
   */
  recycle(): void {
    this.recycling = true;
  }

  /** Makes room for `rows` rows, keeping the first `used` rows. */
  reserve(rows: number, used: number): A {
    const need = rows * this.width;
    if (need <= this.data.length) return this.data;
    // A builder starting a batch takes a slab of several batches: `take` hands out views of it.
    const want = Math.max(need, this.hintRows * this.width * (used === 0 ? SLAB_BATCHES : 1));
    const spare = this.spare;
    if (this.recycling && used === 0 && spare !== null && spare.length >= want) {
      // The slab before the current one: its batches were consumed long ago.
      spare.fill(0);
      this.spare = this.slab;
      this.slab = spare;
      this.data = spare;
      return spare;
    }
    const grown = new this.ctor(grownCapacity(this.data.length, want, this.ctor.BYTES_PER_ELEMENT));
    grown.set(this.data.subarray(0, used * this.width));
    if (this.recycling && used === 0) {
      this.spare = this.slab;
      this.slab = grown;
    }
    this.data = grown;
    return grown;
  }

  /**
   * Hands over a view of the first `rows` rows and starts over empty: in the rest of the same
   * allocation while it still holds the construction-time capacity (so a builder reused batch
   * after batch allocates once per {@link SLAB_BATCHES} batches), else in a new one made at the
   * next growth.
   */
  take(rows: number): A {
    const end = rows * this.width;
    const data = this.data;
    const out = data.subarray(0, end) as A;
    const room = this.hintRows * this.width;
    this.data = room > 0 && data.length - end >= room ? (data.subarray(end) as A) : new this.ctor(0);
    return out;
  }
}

/**
 * What the builders of fixed-width columns share (one or more elements of a typed array per row:
 * REAL, TIME, ENUM, and the word pairs of DATETIME and SET): the buffer, the validity, NULLs and
 * placeholder rows, and handing both over.
 */
export abstract class FixedWidthBuilder<A extends FixedArray> {
  protected readonly validity = new ValidityBuilder();
  protected readonly buf: FixedBuffer<A>;
  private readonly width: number;

  /** `width`: elements per row; `capacity`: rows to preallocate. */
  constructor(ctor: FixedArrayConstructor<A>, width: number, capacity: number) {
    this.width = width;
    this.buf = new FixedBuffer(ctor, width, capacity);
  }

  /** Rows appended so far. */
  get length(): number {
    return this.validity.length;
  }

  /** The values with room for row `n` (the builder's length; the check inline, it runs per row). */
  protected room(n: number): A {
    const data = this.buf.data;
    return (n + 1) * this.width <= data.length ? data : this.buf.reserve(n + 1, n);
  }

  /**
   * Appends `count` present rows whose elements are `src[from .. from + count * width)` (the
   * builder's element layout: one per row, two per row for the word-pair builders): what a
   * decoder that fills a scratch array for many rows uses, one copy and one capacity check.
   */
  appendValues(src: A, from: number, count: number): void {
    if (count <= 0) return;
    const n = this.validity.length;
    const w = this.width;
    this.buf.reserve(n + count, n).set(src.subarray(from, from + count * w), n * w);
    this.validity.pushValids(count);
  }

  /**
   * Lets the builder reuse its value buffers batch after batch (see {@link FixedBuffer.recycle}):
   * a column it hands out stays intact while the next batch is appended, and may change once
   * that one is finished.
   */
  recycleBuffers(): void {
    this.buf.recycle();
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
   * Appends `count` present rows holding zero values (0, a zero date…): what a lazy decoder puts
   * in the rows it did not decode, which nobody reads.
   */
  appendZeros(count: number): void {
    const n = this.validity.length;
    // Slots past the rows written hold zeros already.
    this.buf.reserve(n + count, n);
    this.validity.pushValids(count);
  }

  /** The values, validity and NULL count of the rows so far; the builder is empty afterwards. */
  protected take(): { values: A; validity: Uint8Array | null; nullCount: number } {
    const n = this.validity.length;
    const nullCount = this.validity.nullCount;
    const validity = this.validity.finish();
    return { values: this.buf.take(n), validity, nullCount };
  }
}

/**
 * The part of a builder shared by columns that store two uint32 words per row (DATETIME layout
 * words, SET masks).
 */
export abstract class WordPairBuilder extends FixedWidthBuilder<Uint32Array> {
  /** `capacity`: rows to preallocate. */
  constructor(capacity: number) {
    super(Uint32Array, 2, capacity);
  }

  /** Appends a row given as its low and high 32-bit words. */
  appendWords(lo: number, hi: number): void {
    const n = this.validity.length;
    const d = this.room(n);
    d[2 * n] = lo;
    d[2 * n + 1] = hi;
    this.validity.pushValid();
  }
}
