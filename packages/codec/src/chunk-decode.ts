// Decoding the Chunk RPC format into columns, as TiDB's `Codec.Decode` reads it
// (pkg/util/chunk/codec.go), with the checks TiDB leaves out: every count is checked against the
// bytes left, offsets must rise and stay inside the data, the NULL count must match the bitmap,
// NULL rows must be empty and each value must be well formed for its type.
//
// Fixed-width values are copied in one piece into a fresh aligned buffer that becomes the
// column's storage (input bytes from protobuf are not aligned for Float64Array views, so a zero
// copy view is not possible); var-length data is copied in one piece too.

import {
  ChunkedVecBytes,
  ChunkedVecDateTime,
  ChunkedVecDecimal,
  ChunkedVecDuration,
  ChunkedVecEnum,
  ChunkedVecInt,
  ChunkedVecJson,
  ChunkedVecReal,
  ChunkedVecSet,
  ChunkedVecVectorFloat32,
  CodecError,
  type Column,
  checkDurationFsp,
  EvalType,
  evalTypeOf,
  type FieldType,
  FieldTypeTp,
  type IntData,
  isUnsigned,
  MAX_DURATION_NANOS,
  UNSPECIFIED_LENGTH,
  UnsupportedError,
} from "@copr/datatype";
import { getU32 } from "./buf.js";
import {
  CHUNK_COLUMN_HEADER_BYTES,
  CHUNK_FORMAT,
  CHUNK_OFFSET_BYTES,
  chunkError,
  chunkFixedLen,
  memberNameBytes,
  POPCOUNT8,
} from "./chunk-layout.js";

const TWO_32 = 4_294_967_296;
/** Largest digit count of a decimal's integer or fraction part (9 words of 9 digits). */
const DECIMAL_MAX_DIGITS = 81;
const DECIMAL_WORD_MAX = 999_999_999;
const DECIMAL_WORDS = 9;
/** Int32 words of one 40-byte MyDecimal. */
const DECIMAL_ROW_WORDS = 10;
/** Bit 21 of the high word: values at or above 2^53 need the i64 representation. */
const HI_SAFE = 0x20_0000;
/** The most bytes our var-length columns hold (int32 offsets). */
const MAX_VAR_BYTES = 0x7fff_ffff;
/** 1 for each valid binary JSON type code (TiKV `JsonType`). */
const JSON_TYPES = (() => {
  const t = new Uint8Array(256);
  for (const c of [0x01, 0x03, 0x04, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11]) t[c] = 1;
  return t;
})();
/** Words used by a decimal part of `d` digits, for every byte value `d`. */
const WORDS_FOR_DIGITS = Uint8Array.from({ length: 256 }, (_, d) => Math.ceil(d / 9));

/**
 * Decodes a chunk of `fieldTypes.length` columns (one `tipb.Chunk.rows_data` of a `TypeChunk`
 * response) into columns of the field types' eval types. Every column must have the same row
 * count and `bytes` must hold exactly the columns, nothing after them. Any truncation or
 * inconsistency is a {@link CodecError} with format `"chunk"`, naming the column and the byte
 * offset. ENUM and SET columns take their members from the field type's `elems`, and each row's
 * name must be the member name(s) of its value. Field types without an eval type are an
 * UnsupportedError.
 */
export function decodeChunk(bytes: Uint8Array, fieldTypes: readonly FieldType[]): Column[] {
  const columns: Column[] = [];
  let pos = 0;
  let rows = -1;
  for (let i = 0; i < fieldTypes.length; i++) {
    const start = pos;
    const d = new ColumnDecoder(bytes, pos, i);
    const col = d.decode(fieldTypes[i]);
    if (rows === -1) rows = col.length;
    else if (col.length !== rows) {
      throw chunkError(i, `${col.length} rows where column 0 has ${rows}`, start);
    }
    columns.push(col);
    pos = d.pos;
  }
  if (pos !== bytes.length) {
    throw new CodecError(CHUNK_FORMAT, `${bytes.length - pos} bytes after the last column`, pos);
  }
  return columns;
}

/** Decodes one column at `pos`; the position after it is left in `pos`. */
class ColumnDecoder {
  readonly bytes: Uint8Array;
  pos: number;
  readonly col: number;
  private rows = 0;
  private nulls = 0;
  private validity: Uint8Array | null = null;

  constructor(bytes: Uint8Array, pos: number, col: number) {
    this.bytes = bytes;
    this.pos = pos;
    this.col = col;
  }

  private fail(detail: string, offset = this.pos): never {
    throw chunkError(this.col, detail, offset);
  }

  private need(n: number, what: string): void {
    const left = this.bytes.length - this.pos;
    if (n > left) this.fail(`truncated ${what}: need ${n} bytes, ${left} left`);
  }

  decode(ft: FieldType): Column {
    const et = evalTypeOf(ft);
    this.readHeader();
    const fixed = chunkFixedLen(ft.tp);
    switch (et) {
      case EvalType.Int:
        if (ft.tp === FieldTypeTp.Bit) return this.decodeBit(ft);
        return this.intColumn(this.fixedWords(8, "INT values"), isUnsigned(ft));
      case EvalType.Real:
        return fixed === 4 ? this.decodeFloat() : this.decodeDouble();
      case EvalType.Decimal:
        return this.decodeDecimal();
      case EvalType.DateTime:
        return this.decodeDateTime();
      case EvalType.Duration:
        return this.decodeDuration(ft);
      case EvalType.Bytes: {
        const [data, offsets] = this.varLen();
        return new ChunkedVecBytes(data, offsets, this.validity, this.nulls);
      }
      case EvalType.Json:
        return this.decodeJson();
      case EvalType.Enum:
        return this.decodeEnum(ft);
      case EvalType.Set:
        return this.decodeSet(ft);
      case EvalType.VectorFloat32:
        return this.decodeVector();
    }
  }

  /** Row count, NULL count and (when there are NULLs) the validity bitmap. */
  private readHeader(): void {
    this.need(CHUNK_COLUMN_HEADER_BYTES, "column header");
    const b = this.bytes;
    const rows = getU32(b, this.pos);
    const nulls = getU32(b, this.pos + 4);
    if (nulls > rows) this.fail(`NULL count ${nulls} above row count ${rows}`, this.pos + 4);
    this.pos += CHUNK_COLUMN_HEADER_BYTES;
    this.rows = rows;
    this.nulls = nulls;
    if (nulls === 0) return;
    const nb = (rows + 7) >>> 3;
    this.need(nb, "null bitmap");
    const bits = b.slice(this.pos, this.pos + nb);
    if ((rows & 7) !== 0) bits[nb - 1] &= (1 << (rows & 7)) - 1;
    let present = 0;
    for (let j = 0; j < nb; j++) present += POPCOUNT8[bits[j]];
    if (rows - present !== nulls) {
      this.fail(`NULL count ${nulls} but the bitmap has ${rows - present} NULL rows`, this.pos);
    }
    this.validity = bits;
    this.pos += nb;
  }

  /** Copies `rows * width` bytes into a fresh buffer, zeroing the slots of NULL rows. */
  private fixedBuffer(width: number, what: string): ArrayBuffer {
    const len = this.rows * width;
    this.need(len, what);
    const buf = new ArrayBuffer(len);
    const dst = new Uint8Array(buf);
    dst.set(this.bytes.subarray(this.pos, this.pos + len));
    this.pos += len;
    const v = this.validity;
    if (v !== null) {
      for (let i = 0; i < this.rows; i++) {
        if ((i & 7) === 0 && v[i >>> 3] === 0xff) {
          i += 7;
          continue;
        }
        if ((v[i >>> 3] & (1 << (i & 7))) === 0) dst.fill(0, i * width, i * width + width);
      }
    }
    return buf;
  }

  private fixedWords(width: number, what: string): Uint32Array {
    return new Uint32Array(this.fixedBuffer(width, what));
  }

  /**
   * An Int column over `words` (two per row, low first): the `"f64"` representation when every
   * value fits in ±(2^53 - 1), otherwise `"i64"` over the same memory.
   */
  private intColumn(words: Uint32Array, unsigned: boolean): ChunkedVecInt {
    const n = words.length >>> 1;
    const f64 = new Float64Array(n);
    let wide = false;
    for (let i = 0; i < n; i++) {
      const lo = words[2 * i];
      const hi = words[2 * i + 1];
      if (unsigned) {
        if (hi >= HI_SAFE) {
          wide = true;
          break;
        }
        f64[i] = hi * TWO_32 + lo;
      } else {
        const shi = hi | 0;
        if (shi >= HI_SAFE || shi < -HI_SAFE || (shi === -HI_SAFE && lo === 0)) {
          wide = true;
          break;
        }
        f64[i] = shi * TWO_32 + lo;
      }
    }
    let data: IntData;
    if (wide) {
      const buf = words.buffer;
      data = {
        repr: "i64",
        values: new BigInt64Array(buf, words.byteOffset, n),
        unsignedValues: new BigUint64Array(buf, words.byteOffset, n),
      };
    } else {
      data = { repr: "f64", values: f64 };
    }
    return new ChunkedVecInt(data, unsigned, this.validity, this.nulls);
  }

  private decodeDouble(): ChunkedVecReal {
    const start = this.pos;
    const values = new Float64Array(this.fixedBuffer(8, "DOUBLE values"));
    this.checkNotNan(values, start, 8);
    return new ChunkedVecReal(values, this.validity, this.nulls);
  }

  private decodeFloat(): ChunkedVecReal {
    const start = this.pos;
    const f32 = new Float32Array(this.fixedBuffer(4, "FLOAT values"));
    const values = new Float64Array(f32.length);
    values.set(f32);
    this.checkNotNan(values, start, 4);
    return new ChunkedVecReal(values, this.validity, this.nulls);
  }

  private checkNotNan(values: Float64Array, start: number, width: number): void {
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      if (Number.isNaN(x)) this.badRow("NaN", i, start + i * width);
    }
  }

  private decodeDecimal(): ChunkedVecDecimal {
    const start = this.pos;
    const words = new Int32Array(this.fixedBuffer(DECIMAL_ROW_WORDS * 4, "DECIMAL values"));
    const v = this.validity;
    for (let i = 0, o = 0; i < this.rows; i++, o += DECIMAL_ROW_WORDS) {
      if (v !== null && (v[i >>> 3] & (1 << (i & 7))) === 0) continue;
      const head = words[o];
      const intCnt = head & 0xff;
      const fracCnt = (head >>> 8) & 0xff;
      const used = WORDS_FOR_DIGITS[intCnt] + WORDS_FOR_DIGITS[fracCnt];
      if (
        head >>> 24 > 1 ||
        intCnt > DECIMAL_MAX_DIGITS ||
        fracCnt > DECIMAL_MAX_DIGITS ||
        ((head >>> 16) & 0xff) > DECIMAL_MAX_DIGITS ||
        used > DECIMAL_WORDS
      ) {
        this.badDecimalHeader(head, i, start + o * 4);
      }
      for (let j = 1; j <= used; j++) {
        const x = words[o + j];
        if (x < 0 || x > DECIMAL_WORD_MAX) this.badRow("decimal word out of range", i, start + (o + j) * 4);
      }
    }
    return new ChunkedVecDecimal(words, this.validity, this.nulls);
  }

  /** Throws for row `row` (kept out of the hot loops, which pass constant strings). */
  private badRow(what: string, row: number, offset: number): never {
    this.fail(`${what} in row ${row}`, offset);
  }

  private badDecimalHeader(head: number, row: number, offset: number): never {
    const fields = `digitsInt ${head & 0xff}, digitsFrac ${(head >>> 8) & 0xff}, resultFrac ${(head >>> 16) & 0xff}, negative ${head >>> 24}`;
    this.fail(`bad decimal header (${fields}) in row ${row}`, offset);
  }

  private decodeDateTime(): ChunkedVecDateTime {
    const start = this.pos;
    const words = this.fixedWords(8, "DATETIME values");
    const valid = this.validity;
    for (let i = 0; i < this.rows; i++) {
      if (valid !== null && (valid[i >>> 3] & (1 << (i & 7))) === 0) continue;
      const lo = words[2 * i];
      const hi = words[2 * i + 1];
      const fspTt = lo & 0xf;
      const micro = (lo >>> 4) & 0xf_ffff;
      const second = (lo >>> 24) & 0x3f;
      const minute = (lo >>> 30) | ((hi & 0xf) << 2);
      const hour = (hi >>> 4) & 0x1f;
      const month = (hi >>> 14) & 0xf;
      const year = hi >>> 18;
      if (
        fspTt === 0xf ||
        micro > 999_999 ||
        second > 59 ||
        minute > 59 ||
        hour > 23 ||
        month > 12 ||
        year > 9999
      ) {
        this.badRow("bad time layout", i, start + 8 * i);
      }
    }
    return new ChunkedVecDateTime(words, this.validity, this.nulls);
  }

  private decodeDuration(ft: FieldType): ChunkedVecDuration {
    const fsp = checkDurationFsp(ft.decimal ?? UNSPECIFIED_LENGTH);
    const start = this.pos;
    const words = this.fixedWords(8, "TIME values");
    const n = this.rows;
    const nanos = new Float64Array(n);
    const max = MAX_DURATION_NANOS;
    for (let i = 0; i < n; i++) {
      const shi = words[2 * i + 1] | 0;
      // |v| <= MAX_DURATION_NANOS < 2^53, so the sum is exact whenever it passes this check.
      const v = shi * TWO_32 + words[2 * i];
      if (shi >= HI_SAFE || shi < -HI_SAFE || v > max || v < -max) this.badDuration(words, i, start);
      nanos[i] = v;
    }
    return new ChunkedVecDuration(nanos, fsp, this.validity, this.nulls);
  }

  private badDuration(words: Uint32Array, row: number, start: number): never {
    const v = BigInt.asIntN(64, (BigInt(words[2 * row + 1]) << 32n) | BigInt(words[2 * row]));
    this.fail(`TIME of ${v} ns out of range in row ${row}`, start + 8 * row);
  }

  /**
   * The offsets and data of a var-length column: offsets rebased to start at 0, data copied out.
   * Offsets must be non-negative, non-decreasing, within int32 and within the bytes left; NULL
   * rows must be empty.
   */
  private varLen(): [Uint8Array, Int32Array] {
    const n = this.rows;
    const b = this.bytes;
    this.need((n + 1) * CHUNK_OFFSET_BYTES, "offsets");
    const offStart = this.pos;
    const dataStart = offStart + (n + 1) * CHUNK_OFFSET_BYTES;
    const left = b.length - dataStart;
    const offsets = new Int32Array(n + 1);
    const v = this.validity;
    const limit = Math.min(left, MAX_VAR_BYTES);
    const base = getU32(b, offStart);
    if (getU32(b, offStart + 4) !== 0 || base > limit) this.badOffset(0, offStart, left);
    let prev = base;
    for (let i = 1, p = offStart + 8; i <= n; i++, p += 8) {
      const lo = b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
      const hi = b[p + 4] | b[p + 5] | b[p + 6] | b[p + 7];
      // `lo` as int32: an offset at or above 2^31 reads negative and fails the first test.
      if (lo < prev || hi !== 0 || lo > limit) this.badOffset(i, p, left);
      if (lo > prev && v !== null && (v[(i - 1) >>> 3] & (1 << ((i - 1) & 7))) === 0) {
        this.fail(`NULL row ${i - 1} has ${lo - prev} bytes`, p);
      }
      offsets[i] = lo - base;
      prev = lo;
    }
    const data = b.slice(dataStart + base, dataStart + prev);
    this.pos = dataStart + prev;
    return [data, offsets];
  }

  private badOffset(i: number, p: number, left: number): never {
    const b = this.bytes;
    const lo = getU32(b, p);
    const hi = getU32(b, p + 4);
    if (hi !== 0 || lo > MAX_VAR_BYTES) this.fail(`offset ${i} out of range`, p);
    if (i > 0 && lo < getU32(b, p - 8))
      this.fail(`offset ${i} (${lo}) below offset ${i - 1} (${getU32(b, p - 8)})`, p);
    this.fail(`offset ${i} (${lo}) past the ${left} bytes left`, p);
  }

  private decodeJson(): ChunkedVecJson {
    const [data, offsets] = this.varLen();
    const base = this.pos - data.length;
    const valid = this.validity;
    for (let i = 0; i < this.rows; i++) {
      if (valid !== null && (valid[i >>> 3] & (1 << (i & 7))) === 0) continue;
      const s = offsets[i];
      if (offsets[i + 1] === s) this.badRow("empty JSON value", i, base + s);
      if (JSON_TYPES[data[s]] === 0) this.badRow("bad JSON type code", i, base + s);
    }
    return new ChunkedVecJson(data, offsets, this.validity, this.nulls);
  }

  private decodeEnum(ft: FieldType): ChunkedVecEnum {
    const elems = ft.elems ?? [];
    const names = memberNameBytes(elems);
    const [data, offsets] = this.varLen();
    const base = this.pos - data.length;
    const values = new Uint32Array(this.rows);
    const valid = this.validity;
    for (let i = 0; i < this.rows; i++) {
      if (valid !== null && (valid[i >>> 3] & (1 << (i & 7))) === 0) continue;
      const s = offsets[i];
      const len = offsets[i + 1] - s;
      if (len < 8) this.badRow("ENUM value shorter than 8 bytes", i, base + s);
      const x = getU32(data, s);
      if (getU32(data, s + 4) !== 0 || x > elems.length)
        this.badRow("ENUM index past the members", i, base + s);
      if (!sameBytes(data, s + 8, len - 8, x === 0 ? null : names[x - 1])) {
        this.badRow("ENUM name not the member's", i, base + s + 8);
      }
      values[i] = x;
    }
    return new ChunkedVecEnum(values, elems, this.validity, this.nulls);
  }

  private decodeSet(ft: FieldType): ChunkedVecSet {
    const elems = ft.elems ?? [];
    const names = memberNameBytes(elems);
    const [data, offsets] = this.varLen();
    const base = this.pos - data.length;
    const words = new Uint32Array(2 * this.rows);
    const valid = this.validity;
    for (let i = 0; i < this.rows; i++) {
      if (valid !== null && (valid[i >>> 3] & (1 << (i & 7))) === 0) continue;
      const s = offsets[i];
      const end = offsets[i + 1];
      if (end - s < 8) this.badRow("SET value shorter than 8 bytes", i, base + s);
      const lo = getU32(data, s);
      const hi = getU32(data, s + 4);
      if (!setNameMatches(data, s + 8, end, names, lo, hi))
        this.badRow("SET names not the mask's", i, base + s + 8);
      words[2 * i] = lo;
      words[2 * i + 1] = hi;
    }
    return new ChunkedVecSet(words, elems, this.validity, this.nulls);
  }

  private decodeVector(): ChunkedVecVectorFloat32 {
    const [data, offsets] = this.varLen();
    const base = this.pos - data.length;
    let total = 0;
    for (let i = 0; i < this.rows; i++) {
      const s = offsets[i];
      const len = offsets[i + 1] - s;
      // A non-NULL value of no bytes is the empty vector, as TiKV reads it.
      if (len === 0) continue;
      const count = len < 4 ? -1 : getU32(data, s);
      if (len !== 4 + 4 * count) this.badRow("vector element count not its byte length", i, base + s);
      total += count;
    }
    const elements = new Float32Array(total);
    const out = new Uint8Array(elements.buffer);
    const elemOffsets = new Int32Array(this.rows + 1);
    let e = 0;
    for (let i = 0; i < this.rows; i++) {
      const s = offsets[i];
      const len = offsets[i + 1] - s;
      if (len > 4) {
        out.set(data.subarray(s + 4, s + len), 4 * e);
        e += (len - 4) >>> 2;
      }
      elemOffsets[i + 1] = e;
    }
    return new ChunkedVecVectorFloat32(elements, elemOffsets, this.validity, this.nulls);
  }

  private decodeBit(ft: FieldType): ChunkedVecInt {
    if ((ft.flen ?? -1) > 64) throw new UnsupportedError(`chunk decoding of BIT(${ft.flen})`);
    const [data, offsets] = this.varLen();
    const base = this.pos - data.length;
    const words = new Uint32Array(2 * this.rows);
    for (let i = 0; i < this.rows; i++) {
      const s = offsets[i];
      const len = offsets[i + 1] - s;
      if (len > 8) this.badRow("BIT value longer than 8 bytes", i, base + s);
      let lo = 0;
      let hi = 0;
      for (let j = 0; j < len; j++) {
        hi = ((hi << 8) | (lo >>> 24)) >>> 0;
        lo = ((lo << 8) | data[s + j]) >>> 0;
      }
      words[2 * i] = lo;
      words[2 * i + 1] = hi;
    }
    return this.intColumn(words, isUnsigned(ft));
  }
}

/** True if `data[s .. s + len)` equals `name` (null: the empty name). */
function sameBytes(data: Uint8Array, s: number, len: number, name: Uint8Array | null): boolean {
  if (name === null) return len === 0;
  if (name.length !== len) return false;
  for (let j = 0; j < len; j++) if (data[s + j] !== name[j]) return false;
  return true;
}

/** True if `data[s .. end)` is the comma-separated names of the members in the mask. */
function setNameMatches(
  data: Uint8Array,
  s: number,
  end: number,
  names: Uint8Array[],
  lo: number,
  hi: number,
): boolean {
  let p = s;
  let first = true;
  for (let half = 0; half < 2; half++) {
    let m = half === 0 ? lo : hi;
    while (m !== 0) {
      const bit = 32 * half + 31 - Math.clz32(m & -m);
      m &= m - 1;
      if (bit >= names.length) return p === end;
      if (!first) {
        if (p >= end || data[p] !== 0x2c) return false;
        p++;
      }
      first = false;
      const name = names[bit];
      if (p + name.length > end) return false;
      for (let j = 0; j < name.length; j++) if (data[p + j] !== name[j]) return false;
      p += name.length;
    }
  }
  return p === end;
}
