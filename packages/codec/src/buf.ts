// Bounds-checked byte reading and growable byte writing shared by every format of this package.
// Every read checks the remaining length first and raises a CodecError naming the format and the
// offset, so no decoder can read out of bounds or return a value made of missing bytes.
import { CodecError } from "@copr/datatype";

/** A cursor over bytes being decoded as `format` (the format name goes into every error). */
export class ByteReader {
  readonly bytes: Uint8Array;
  readonly format: string;
  /** Offset of the next unread byte. */
  pos: number;
  /** One past the last readable byte. */
  readonly end: number;
  private view: DataView | undefined;

  constructor(bytes: Uint8Array, format: string, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.format = format;
    this.pos = start;
    this.end = end;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.end - this.pos;
  }

  /** A CodecError for this format at the current offset (or `offset`). */
  error(detail: string, offset = this.pos): CodecError {
    return new CodecError(this.format, detail, offset);
  }

  /** Throws unless `n` more bytes are available. */
  need(n: number, what: string): void {
    if (n < 0 || this.end - this.pos < n) {
      throw this.error(`truncated ${what}: need ${n} bytes, ${this.end - this.pos} left`);
    }
  }

  private dv(): DataView {
    if (this.view === undefined) {
      this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    }
    return this.view;
  }

  u8(what = "byte"): number {
    this.need(1, what);
    return this.bytes[this.pos++]!;
  }

  u16le(what = "u16"): number {
    this.need(2, what);
    const v = this.bytes[this.pos]! | (this.bytes[this.pos + 1]! << 8);
    this.pos += 2;
    return v;
  }

  u32le(what = "u32"): number {
    this.need(4, what);
    const v = this.dv().getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  u32be(what = "u32"): number {
    this.need(4, what);
    const v = this.dv().getUint32(this.pos, false);
    this.pos += 4;
    return v;
  }

  f32le(what = "f32"): number {
    this.need(4, what);
    const v = this.dv().getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  f64le(what = "f64"): number {
    this.need(8, what);
    const v = this.dv().getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A little-endian 64-bit word as its two 32-bit halves; returns `lo` and leaves `hi` in {@link hi}. */
  u64leWords(what = "u64"): number {
    this.need(8, what);
    const dv = this.dv();
    const lo = dv.getUint32(this.pos, true);
    this.hi = dv.getUint32(this.pos + 4, true);
    this.pos += 8;
    return lo;
  }

  /** A big-endian 64-bit word as its two 32-bit halves; returns `lo` and leaves `hi` in {@link hi}. */
  u64beWords(what = "u64"): number {
    this.need(8, what);
    const dv = this.dv();
    this.hi = dv.getUint32(this.pos, false);
    const lo = dv.getUint32(this.pos + 4, false);
    this.pos += 8;
    return lo;
  }

  /** High half of the last 64-bit word read by u64leWords/u64beWords. */
  hi = 0;

  /** A view (no copy) of the next `n` bytes. */
  take(n: number, what = "bytes"): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  skip(n: number, what = "bytes"): void {
    this.need(n, what);
    this.pos += n;
  }
}

/** Reads a u32 little-endian at `b[pos]`, unchecked: for decoders that checked the bounds already. */
export function getU32(b: Uint8Array, pos: number): number {
  return (b[pos] | (b[pos + 1] << 8) | (b[pos + 2] << 16) | (b[pos + 3] << 24)) >>> 0;
}

/** Writes `v` (0..2^32-1) as u32 little-endian at `out[pos]`, unchecked: `out` was sized already. */
export function putU32(out: Uint8Array, pos: number, v: number): void {
  out[pos] = v;
  out[pos + 1] = v >>> 8;
  out[pos + 2] = v >>> 16;
  out[pos + 3] = v >>> 24;
}

/** A growable output buffer; `finish()` returns a view of the written bytes. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  /** Bytes written so far. */
  length = 0;

  constructor(capacity = 64) {
    this.buf = new Uint8Array(Math.max(8, capacity));
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.length++] = v;
  }

  u16le(v: number): void {
    this.reserve(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
  }

  u32le(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, v >>> 0, true);
    this.length += 4;
  }

  u32be(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, v >>> 0, false);
    this.length += 4;
  }

  f32le(v: number): void {
    this.reserve(4);
    this.view.setFloat32(this.length, v, true);
    this.length += 4;
  }

  f64le(v: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  /** A 64-bit word given as 32-bit halves, little-endian. */
  u64leWords(lo: number, hi: number): void {
    this.reserve(8);
    this.view.setUint32(this.length, lo >>> 0, true);
    this.view.setUint32(this.length + 4, hi >>> 0, true);
    this.length += 8;
  }

  /** A 64-bit word given as 32-bit halves, big-endian. */
  u64beWords(lo: number, hi: number): void {
    this.reserve(8);
    this.view.setUint32(this.length, hi >>> 0, false);
    this.view.setUint32(this.length + 4, lo >>> 0, false);
    this.length += 8;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** The written bytes (a view; valid until the next write). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}
