// TiDB's row format v2 ("new row format"): the layout, a single-row reader and the encoder.
// Mirrors TiKV components/tidb_query_datatype/src/codec/row/v2/{mod,row_slice,encoder_for_test}.rs
// and TiDB pkg/util/rowcodec/{row,encoder,common}.go. The batch decoder is in row-v2-decoder.ts.
//
// Layout (all integers little-endian):
//   version u8 = 128 | flags u8 (1 = big, 2 = has checksum) | not-null count u16 | null count u16
//   | not-null column ids, ascending | null column ids, ascending   (u8 each, u32 when big)
//   | end offset of each not-null value in the value area          (u16 each, u32 when big)
//   | value area | [checksum header u8, checksum u32, extra checksum u32 if header bit 3]

import {
  assert,
  CodecError,
  Decimal,
  DecimalStatus,
  Duration,
  Enum,
  type EvalContext,
  EvalError,
  type FieldType,
  MySqlSet,
  Time,
  TimeType,
} from "@copr/datatype";
import { putU32 } from "./buf.js";
import {
  decodeRowV2Value,
  K_BIT,
  K_BYTES,
  K_DATE,
  K_DECIMAL,
  K_DURATION,
  K_ENUM,
  K_FLOAT,
  K_INT,
  K_JSON,
  K_NULL,
  K_REAL,
  K_SET,
  K_TIMESTAMP,
  K_UINT,
  K_VECTOR,
  lastPackedHi,
  ROW_V2,
  type RowV2DecodedValue,
  type RowV2Value,
  timeToPackedLo,
  valueKindOf,
  writeComparableF64,
} from "./row-v2-values.js";

export { decodeRowV2Value, type RowV2DecodedValue, type RowV2Value } from "./row-v2-values.js";

/** The first byte of every row v2 value (TiDB `CodecVer`); v1 rows start with a datum flag < 128. */
export const ROW_V2_VERSION = 128;
/** Flag bit: ids are u32 and offsets u32 (some id > 255 or a value area over 65535 bytes). */
export const ROW_V2_FLAG_BIG = 1;
/** Flag bit: a checksum follows the value area. */
export const ROW_V2_FLAG_CHECKSUM = 2;
/** Checksum header bit: an extra checksum follows the checksum. */
export const ROW_V2_CHECKSUM_FLAG_EXTRA = 0b1000;

/** True if `value` is a row in format v2 (its first byte is 128). */
export function isRowV2(value: Uint8Array): boolean {
  return value.length > 0 && value[0] === ROW_V2_VERSION;
}

/** The checksum trailer of a row (TiKV `Checksum`, TiDB `row.checksumHeader/checksum1/2`). */
export interface RowV2Checksum {
  /** Header byte: bits 0..2 version, bit 3 "has extra checksum". */
  readonly header: number;
  /** CRC32 (IEEE) as written by TiDB; not verified here (TiKV does not verify it either). */
  readonly value: number;
  /** The extra checksum, or null when the header has no extra bit. */
  readonly extra: number | null;
}

function u32At(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

/**
 * One row v2 row, read without copying (TiKV `RowSlice`). {@link RowV2Slice.fromBytes} checks
 * the whole header: version, counts, that both id lists are strictly ascending, that offsets never
 * decrease and stay within the bytes, and the checksum trailer's length. Lookups then need no
 * checks. Offsets returned by {@link searchInNonNullIds} are relative to the value area, as in
 * TiKV.
 */
export class RowV2Slice {
  /** The row's bytes. */
  readonly origin: Uint8Array;
  /** True for the big form (u32 ids and offsets). */
  readonly isBig: boolean;
  /** Number of not-NULL columns. */
  readonly nonNullCount: number;
  /** Number of NULL columns. */
  readonly nullCount: number;
  /** The checksum trailer, or null when the row has none. */
  readonly checksum: RowV2Checksum | null;
  private readonly idsAt: number;
  private readonly offsetsAt: number;
  private readonly valuesAt: number;
  private readonly valuesEnd: number;

  private constructor(
    origin: Uint8Array,
    isBig: boolean,
    nn: number,
    nl: number,
    checksum: RowV2Checksum | null,
  ) {
    this.origin = origin;
    this.isBig = isBig;
    this.nonNullCount = nn;
    this.nullCount = nl;
    this.checksum = checksum;
    const idSize = isBig ? 4 : 1;
    this.idsAt = 6;
    this.offsetsAt = 6 + (nn + nl) * idSize;
    this.valuesAt = this.offsetsAt + nn * (isBig ? 4 : 2);
    this.valuesEnd = this.valuesAt + (nn === 0 ? 0 : this.offsetAt(nn - 1));
  }

  /** Reads and checks a row's header; every problem is a CodecError naming "row v2". */
  static fromBytes(bytes: Uint8Array): RowV2Slice {
    const n = bytes.length;
    if (n < 6) throw new CodecError(ROW_V2, `truncated header: ${n} of 6 bytes`, 0);
    if (bytes[0] !== ROW_V2_VERSION) {
      throw new CodecError(ROW_V2, `version byte ${bytes[0]} is not ${ROW_V2_VERSION}`, 0);
    }
    const flags = bytes[1];
    const big = (flags & ROW_V2_FLAG_BIG) !== 0;
    const nn = bytes[2] | (bytes[3] << 8);
    const nl = bytes[4] | (bytes[5] << 8);
    const idSize = big ? 4 : 1;
    const offSize = big ? 4 : 2;
    const offsetsAt = 6 + (nn + nl) * idSize;
    const valuesAt = offsetsAt + nn * offSize;
    if (valuesAt > n) {
      throw new CodecError(
        ROW_V2,
        `truncated header: ${nn} + ${nl} columns need ${valuesAt} bytes, have ${n}`,
        6,
      );
    }
    checkAscending(bytes, 6, nn, big, "not-null");
    checkAscending(bytes, 6 + nn * idSize, nl, big, "null");
    let prev = 0;
    for (let i = 0; i < nn; i++) {
      const p = offsetsAt + i * offSize;
      const off = big ? u32At(bytes, p) : bytes[p] | (bytes[p + 1] << 8);
      if (off < prev) throw new CodecError(ROW_V2, `value offset ${off} is below the previous ${prev}`, p);
      prev = off;
    }
    const end = valuesAt + prev;
    if (end > n) throw new CodecError(ROW_V2, `values end at ${end}, past the ${n} bytes`, valuesAt);
    const checksum = (flags & ROW_V2_FLAG_CHECKSUM) !== 0 ? readChecksum(bytes, end) : null;
    return new RowV2Slice(bytes, big, nn, nl, checksum);
  }

  /** The value area (a view). */
  values(): Uint8Array {
    return this.origin.subarray(this.valuesAt, this.valuesEnd);
  }

  /** The not-NULL column ids, ascending. */
  nonNullIds(): number[] {
    return this.idsFrom(0, this.nonNullCount);
  }

  /** The NULL column ids, ascending. */
  nullIds(): number[] {
    return this.idsFrom(this.nonNullCount, this.nullCount);
  }

  /**
   * `[start, end)` of column `id`'s value within {@link values}, or null when the row holds no
   * not-NULL value for it (TiKV `search_in_non_null_ids`). Ids outside 1..255 (small rows) or
   * 1..2^32-1 (big rows) are never found.
   */
  searchInNonNullIds(id: number): [number, number] | null {
    const i = this.search(id, 0, this.nonNullCount);
    if (i < 0) return null;
    return [i === 0 ? 0 : this.offsetAt(i - 1), this.offsetAt(i)];
  }

  /** True if column `id` is listed as NULL in this row (TiKV `search_in_null_ids`). */
  searchInNullIds(id: number): boolean {
    return this.search(id, this.nonNullCount, this.nonNullCount + this.nullCount) >= 0;
  }

  /** Column `id`'s value bytes (a view), or null when it is NULL or absent (TiKV `RowSlice::get`). */
  get(id: number): Uint8Array | null {
    const r = this.searchInNonNullIds(id);
    return r === null ? null : this.origin.subarray(this.valuesAt + r[0], this.valuesAt + r[1]);
  }

  /**
   * Column `id` decoded as field type `ft` (see {@link decodeRowV2Value}): its value, `null` when
   * the row lists it as NULL, `undefined` when the row does not mention it (the caller fills the
   * column's default).
   */
  read(id: number, ft: FieldType, ctx?: EvalContext): RowV2DecodedValue | undefined {
    const r = this.searchInNonNullIds(id);
    if (r !== null) return decodeRowV2Value(this.origin, this.valuesAt + r[0], this.valuesAt + r[1], ft, ctx);
    return this.searchInNullIds(id) ? null : undefined;
  }

  private offsetAt(i: number): number {
    const b = this.origin;
    if (this.isBig) return u32At(b, this.offsetsAt + 4 * i);
    const p = this.offsetsAt + 2 * i;
    return b[p] | (b[p + 1] << 8);
  }

  private idAt(i: number): number {
    return this.isBig ? u32At(this.origin, this.idsAt + 4 * i) : this.origin[this.idsAt + i];
  }

  private idsFrom(from: number, count: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < count; i++) out.push(this.idAt(from + i));
    return out;
  }

  /** Index in [lo, hi) holding `id`, or -1. */
  private search(id: number, lo: number, hi: number): number {
    if (!Number.isInteger(id) || id <= 0 || id > (this.isBig ? 0xffff_ffff : 0xff)) return -1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.idAt(mid);
      if (v < id) lo = mid + 1;
      else if (v > id) hi = mid;
      else return mid;
    }
    return -1;
  }
}

function checkAscending(bytes: Uint8Array, at: number, count: number, big: boolean, which: string): void {
  let prev = -1;
  for (let i = 0; i < count; i++) {
    const p = big ? at + 4 * i : at + i;
    const id = big ? u32At(bytes, p) : bytes[p];
    if (id <= prev) throw new CodecError(ROW_V2, `${which} column id ${id} does not ascend after ${prev}`, p);
    prev = id;
  }
}

/**
 * Reads the checksum trailer at `at` (the end of the value area): a header byte and a u32, and a
 * second u32 when the header has bit 3. Nothing may follow (TiKV asserts 5 or 9 bytes).
 */
export function readChecksum(bytes: Uint8Array, at: number): RowV2Checksum {
  const left = bytes.length - at;
  if (left < 1) throw new CodecError(ROW_V2, "missing checksum header", at);
  const header = bytes[at];
  const extra = (header & ROW_V2_CHECKSUM_FLAG_EXTRA) !== 0;
  const want = extra ? 9 : 5;
  if (left !== want) throw new CodecError(ROW_V2, `checksum trailer of ${left} bytes, expected ${want}`, at);
  return { header, value: u32At(bytes, at + 1), extra: extra ? u32At(bytes, at + 5) : null };
}

// ---- encoder ----------------------------------------------------------------------------------

/** Options of {@link RowV2Encoder}. */
export interface RowV2EncoderOptions {
  /**
   * Session context: TIMESTAMP values are converted from its time zone to UTC before packing, as
   * TiDB's encoder does with its `loc`. Without one TIMESTAMPs are taken as UTC.
   */
  ctx?: EvalContext;
}

/**
 * A checksum trailer to append (the encoder does not compute CRCs; TiDB's checksum covers the row
 * key or handle, which a row value does not know). Sets flag 2; the header gets bit 3 when
 * `extra` is given.
 */
export interface RowV2ChecksumInput {
  header: number;
  value: number;
  extra?: number;
}

const TWO_32 = 4_294_967_296;
const MAX_U16 = 0xffff;

/**
 * Encodes rows exactly as TiDB's `rowcodec.Encoder` does: not-null ids ascending then null ids
 * ascending; the big form only when some id (null or not) exceeds 255 or the value area exceeds
 * 65535 bytes; integers in the fewest of 1/2/4/8 bytes; FLOAT/DOUBLE as 8 memcomparable bytes;
 * DECIMAL as precision, fraction and binary form with the column's `flen`/`decimal` (the value's
 * own precision and fraction when `flen` is not set); DATE/DATETIME/TIMESTAMP as the packed u64
 * (TIMESTAMP in UTC); TIME as nanoseconds; ENUM/SET/BIT as unsigned integers. Reuses its buffers
 * between rows; {@link encode} returns a fresh copy.
 *
 * Values follow {@link RowV2Value}. A value of the wrong JavaScript type for its column, a
 * negative or too large column id, or more than 65535 columns is a bug (assertion); a DECIMAL
 * that does not fit its column, or a TIMESTAMP that does not exist in the session zone, is an
 * EvalError (TiDB returns an error there too).
 */
export class RowV2Encoder {
  private readonly ctx: EvalContext | undefined;
  private readonly values = new ValueWriter();
  private buf = new Uint8Array(256);
  private readonly order: number[] = [];
  private readonly kinds: number[] = [];
  private readonly ends: number[] = [];

  constructor(options: RowV2EncoderOptions = {}) {
    this.ctx = options.ctx;
  }

  /**
   * Encodes one row: `ids[i]` is the column id of `values[i]`, whose column type is `fts[i]`.
   * A `null` value is a NULL column. `checksum` appends a checksum trailer.
   */
  encode(
    ids: ArrayLike<number>,
    fts: readonly FieldType[],
    values: readonly RowV2Value[],
    checksum?: RowV2ChecksumInput,
  ): Uint8Array {
    return this.encodeView(ids, fts, values, checksum).slice();
  }

  /** {@link encode} without the copy: the view is valid until the next call. */
  encodeView(
    ids: ArrayLike<number>,
    fts: readonly FieldType[],
    values: readonly RowV2Value[],
    checksum?: RowV2ChecksumInput,
  ): Uint8Array {
    const n = ids.length;
    assert(fts.length === n && values.length === n, "row v2 encode: ids, types and values differ in length");
    assert(n <= MAX_U16, "row v2 encode: more than 65535 columns");
    let big = false;
    const order = this.order;
    const kinds = this.kinds;
    order.length = n;
    kinds.length = n;
    let notNull = 0;
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (!(id >= 0 && id <= 0xffff_ffff && Math.floor(id) === id)) {
        assert(false, `row v2 encode: column id ${id} out of range`);
      }
      if (id > 255) big = true;
      const kind = valueKindOf(fts[i]);
      kinds[i] = kind;
      if (values[i] !== null && kind !== K_NULL) order[notNull++] = i;
    }
    let k = notNull;
    for (let i = 0; i < n; i++) if (values[i] === null || kinds[i] === K_NULL) order[k++] = i;
    sortByIds(order, 0, notNull, ids);
    sortByIds(order, notNull, n, ids);

    const vw = this.values;
    vw.length = 0;
    const ends = this.ends;
    ends.length = 0;
    for (let k = 0; k < notNull; k++) {
      const i = order[k];
      writeValue(vw, kinds[i], fts[i], values[i] as Exclude<RowV2Value, null>, this.ctx);
      ends.push(vw.length);
    }
    if (vw.length > MAX_U16) big = true;

    const values_ = vw.buf;
    const valuesLen = vw.length;
    const idSize = big ? 4 : 1;
    const offSize = big ? 4 : 2;
    const trailer = checksum === undefined ? 0 : checksum.extra === undefined ? 5 : 9;
    const size = 6 + n * idSize + notNull * offSize + valuesLen + trailer;
    if (this.buf.length < size) this.buf = new Uint8Array(Math.max(size, this.buf.length * 2));
    const out = this.buf;
    out[0] = ROW_V2_VERSION;
    out[1] = (big ? ROW_V2_FLAG_BIG : 0) | (checksum !== undefined ? ROW_V2_FLAG_CHECKSUM : 0);
    out[2] = notNull & 0xff;
    out[3] = notNull >>> 8;
    out[4] = (n - notNull) & 0xff;
    out[5] = (n - notNull) >>> 8;
    let p = 6;
    for (let k = 0; k < n; k++) {
      if (big) {
        putU32(out, p, ids[order[k]]);
        p += 4;
      } else out[p++] = ids[order[k]];
    }
    for (let k = 0; k < notNull; k++) {
      const e = ends[k];
      if (big) {
        putU32(out, p, e);
        p += 4;
      } else {
        out[p] = e & 0xff;
        out[p + 1] = e >>> 8;
        p += 2;
      }
    }
    if (valuesLen > 32) out.set(values_.subarray(0, valuesLen), p);
    else for (let k = 0; k < valuesLen; k++) out[p + k] = values_[k];
    p += valuesLen;
    if (checksum !== undefined) {
      const extra = checksum.extra !== undefined;
      out[p++] = (checksum.header & ~ROW_V2_CHECKSUM_FLAG_EXTRA) | (extra ? ROW_V2_CHECKSUM_FLAG_EXTRA : 0);
      putU32(out, p, checksum.value);
      p += 4;
      if (extra) {
        putU32(out, p, checksum.extra as number);
        p += 4;
      }
    }
    return out.subarray(0, p);
  }
}

/** Encodes one row with a fresh {@link RowV2Encoder} (see there). */
export function encodeRowV2(
  ids: ArrayLike<number>,
  fts: readonly FieldType[],
  values: readonly RowV2Value[],
  options: RowV2EncoderOptions & { checksum?: RowV2ChecksumInput } = {},
): Uint8Array {
  return new RowV2Encoder(options).encode(ids, fts, values, options.checksum);
}

/**
 * Sorts the column indexes `a[from..to)` by their ids. Insertion sort while short (rows are
 * usually given in id order); the built-in sort beyond.
 */
function sortByIds(a: number[], from: number, to: number, ids: ArrayLike<number>): void {
  if (to - from > 64) {
    const part = a.slice(from, to).sort((x, y) => ids[x] - ids[y]);
    for (let i = from; i < to; i++) a[i] = part[i - from];
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const x = a[i];
    const idx = ids[x];
    let j = i - 1;
    while (j >= from && ids[a[j]] > idx) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = x;
  }
}

/** Writes a signed 64-bit integer (number: safe integer) in the fewest of 1/2/4/8 bytes. */
function writeCompactInt(w: ValueWriter, v: number | bigint): void {
  if (typeof v === "bigint") {
    const s = BigInt.asIntN(64, v);
    if (s >= -0x8000_0000n && s <= 0x7fff_ffffn) {
      writeCompactInt(w, Number(s));
      return;
    }
    const u = BigInt.asUintN(64, s);
    w.u64leWords(Number(u & 0xffff_ffffn), Number(u >> 32n));
    return;
  }
  if (!Number.isSafeInteger(v))
    assert(false, `row v2 encode: integer ${v} is not a safe integer (pass a bigint)`);
  if (v >= -128 && v <= 127) w.u8(v & 0xff);
  else if (v >= -32768 && v <= 32767) w.u16le(v & 0xffff);
  else if (v >= -2147483648 && v <= 2147483647) w.u32le(v);
  else {
    const hi = Math.floor(v / TWO_32);
    w.u64leWords(v - hi * TWO_32, hi);
  }
}

/** Writes an unsigned 64-bit integer (a negative input is taken as its two's complement). */
function writeCompactUint(w: ValueWriter, v: number | bigint): void {
  if (typeof v === "bigint" || v < 0) {
    const u = BigInt.asUintN(64, BigInt(v));
    if (u <= 0xffff_ffffn) writeCompactUint(w, Number(u));
    else w.u64leWords(Number(u & 0xffff_ffffn), Number(u >> 32n));
    return;
  }
  if (!Number.isSafeInteger(v))
    assert(false, `row v2 encode: integer ${v} is not a safe integer (pass a bigint)`);
  writeCompactUintWords(w, v % TWO_32, Math.floor(v / TWO_32));
}

function writeCompactUintWords(w: ValueWriter, lo: number, hi: number): void {
  if (hi !== 0) w.u64leWords(lo, hi);
  else if (lo <= 0xff) w.u8(lo);
  else if (lo <= 0xffff) w.u16le(lo);
  else w.u32le(lo);
}

const utf8 = new TextEncoder();
const F64_SCRATCH = new Uint8Array(8);
let strScratch = new Uint8Array(256);

/** Appends `s` as UTF-8 without allocating for short strings. */
function writeUtf8(w: ValueWriter, s: string): void {
  if (s.length * 3 > strScratch.length) strScratch = new Uint8Array(s.length * 3);
  const { written } = utf8.encodeInto(s, strScratch);
  putBytes(w, strScratch, written);
}

/** Appends `b[0..n)`; byte by byte when short (TypedArray.set costs more than the loop there). */
function putBytes(w: ValueWriter, b: Uint8Array, n = b.length): void {
  w.reserve(n);
  const out = w.buf;
  const at = w.length;
  if (n > 32) out.set(n === b.length ? b : b.subarray(0, n), at);
  else for (let k = 0; k < n; k++) out[at + k] = b[k];
  w.length = at + n;
}

/** The value area under construction: a growable buffer reused between rows (no view per row). */
class ValueWriter {
  buf = new Uint8Array(256);
  length = 0;

  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.max(need, this.buf.length * 2));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.length++] = v;
  }

  u16le(v: number): void {
    this.reserve(2);
    const b = this.buf;
    const p = this.length;
    b[p] = v & 0xff;
    b[p + 1] = (v >>> 8) & 0xff;
    this.length = p + 2;
  }

  u32le(v: number): void {
    this.reserve(4);
    putU32(this.buf, this.length, v);
    this.length += 4;
  }

  u64leWords(lo: number, hi: number): void {
    this.reserve(8);
    putU32(this.buf, this.length, lo);
    putU32(this.buf, this.length + 4, hi);
    this.length += 8;
  }

  f32le(v: number): void {
    F32_SCRATCH[0] = v;
    putBytes(this, F32_SCRATCH_BYTES);
  }
}

const F32_SCRATCH = new Float32Array(1);
const F32_SCRATCH_BYTES = new Uint8Array(F32_SCRATCH.buffer);

function isIntLike(v: unknown): v is number | bigint {
  return typeof v === "number" || typeof v === "bigint";
}

/** Appends one not-NULL value of column type `ft`. */
function writeValue(
  w: ValueWriter,
  kind: number,
  ft: FieldType,
  v: Exclude<RowV2Value, null>,
  ctx: EvalContext | undefined,
): void {
  switch (kind) {
    case K_INT:
      assert(isIntLike(v), "row v2 encode: integer column needs a number or bigint");
      writeCompactInt(w, v);
      return;
    case K_UINT:
    case K_BIT:
      assert(isIntLike(v), "row v2 encode: integer column needs a number or bigint");
      writeCompactUint(w, v);
      return;
    case K_REAL:
    case K_FLOAT: {
      assert(typeof v === "number", "row v2 encode: FLOAT/DOUBLE column needs a number");
      writeComparableF64(F64_SCRATCH, 0, v);
      putBytes(w, F64_SCRATCH);
      return;
    }
    case K_DECIMAL: {
      assert(v instanceof Decimal, "row v2 encode: DECIMAL column needs a Decimal");
      let prec = ft.flen ?? -1;
      let frac = ft.decimal ?? -1;
      if (prec <= 0 || frac < 0) [prec, frac] = v.precAndFrac();
      const r = v.toBin(prec, frac);
      if (r.status === DecimalStatus.Truncated) throw EvalError.truncated();
      if (r.status !== DecimalStatus.Ok) throw EvalError.overflow(`DECIMAL(${prec}, ${frac})`, v.toString());
      w.u8(prec);
      w.u8(frac);
      putBytes(w, r.value);
      return;
    }
    case K_BYTES:
      if (typeof v === "string") writeUtf8(w, v);
      else {
        assert(v instanceof Uint8Array, "row v2 encode: string column needs a Uint8Array or string");
        putBytes(w, v);
      }
      return;
    case K_DATE: {
      assert(v instanceof Time, "row v2 encode: DATE/DATETIME column needs a Time");
      const lo = timeToPackedLo(v);
      writeCompactUintWords(w, lo, lastPackedHi());
      return;
    }
    case K_TIMESTAMP: {
      assert(v instanceof Time, "row v2 encode: TIMESTAMP column needs a Time");
      const t = v.type === TimeType.Timestamp ? v : v.withType(TimeType.Timestamp);
      writeCompactUint(w, t.toPackedU64(ctx));
      return;
    }
    case K_DURATION:
      assert(v instanceof Duration, "row v2 encode: TIME column needs a Duration");
      writeCompactInt(w, v.nanos);
      return;
    case K_JSON:
      assert(v instanceof Uint8Array && v.length > 0, "row v2 encode: JSON column needs binary JSON bytes");
      putBytes(w, v);
      return;
    case K_ENUM:
      if (v instanceof Enum) writeCompactUint(w, v.value);
      else {
        assert(typeof v === "number", "row v2 encode: ENUM column needs an Enum or index");
        writeCompactUint(w, v);
      }
      return;
    case K_SET:
      if (v instanceof MySqlSet) writeCompactUintWords(w, v.lo, v.hi);
      else {
        assert(isIntLike(v), "row v2 encode: SET column needs a MySqlSet or mask");
        writeCompactUint(w, v);
      }
      return;
    case K_VECTOR: {
      assert(
        v instanceof Float32Array || Array.isArray(v),
        "row v2 encode: VECTOR column needs a Float32Array or number[]",
      );
      const arr = v as ArrayLike<number>;
      w.u32le(arr.length);
      for (let k = 0; k < arr.length; k++) w.f32le(arr[k]);
      return;
    }
    default:
      assert(false, "row v2 encode: NULL-type column with a value");
  }
}
