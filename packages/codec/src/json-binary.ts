// Binary JSON: the bytes TiDB stores and sends for a JSON value (a type byte, then the payload).
// Behaviour of TiKV components/tidb_query_datatype/src/codec/mysql/json/{jcodec,binary,mod,
// constants}.rs and TiDB pkg/types/json_binary.go (appendBinary*, valEntryGet, maxJSONDepth).
//
// Layout (all integers little-endian):
//   value      := type(u8) payload
//   object     := count(u32) size(u32) key-entry*count value-entry*count key* value*
//   array      := count(u32) size(u32) value-entry*count value*
//   key-entry  := key-offset(u32) key-length(u16)
//   value-entry:= type(u8) offset(u32), or for a literal: type(u8) literal(u8) 0 0 0
//   literal    := 0x00 null | 0x01 true | 0x02 false
//   i64 / u64 / double / date / datetime / timestamp := 8 bytes
//   string     := var-uint length, UTF-8 bytes
//   opaque     := field-type(u8) var-uint length, bytes
//   time       := nanos(i64) fsp(u32)
// Offsets count from the start of the enclosing container (its count field) and `size` counts
// the whole container, header included. Keys are sorted by their bytes and unique; keys, then
// values (literals excepted), follow one another with no gap, in entry order.

import {
  assert,
  CodecError,
  compareUtf8,
  decodedLength,
  ERR_UNKNOWN,
  EvalError,
  Json,
  type JsonArray,
  type JsonObject,
  JsonType,
  type JsonValue,
  jsonTypeCode,
  MAX_DURATION_NANOS,
  nextUtf8Char,
} from "@copr/datatype";
import { ByteWriter, getU32, putU32 } from "./buf.js";

const FORMAT = "binary json";

const HEADER_LEN = 8;
const KEY_ENTRY_LEN = 6;
const VALUE_ENTRY_LEN = 5;
const NUMBER_LEN = 8;
const DURATION_LEN = 12;

const LITERAL_NULL = 0x00;
const LITERAL_TRUE = 0x01;
const LITERAL_FALSE = 0x02;

/**
 * TiDB's `maxJSONDepth`: a document whose JSON_DEPTH exceeds this plus one (so more than 100
 * levels below the top value) is rejected, when encoded and when decoded.
 */
export const MAX_JSON_DEPTH = 100;
/** The deepest position (the top value is at 1) any value may sit at. */
const MAX_VALUE_DEPTH = MAX_JSON_DEPTH + 1;

/** The longest object key in bytes: its length is stored in a u16. */
export const MAX_JSON_KEY_LENGTH = 0xffff;

/** MySQL error 3157 (TiDB ErrJSONDocumentTooDeep): the document nests too deep. */
export const ERR_JSON_DOCUMENT_TOO_DEEP = 3157;
/** TiDB error 8129 (ErrJSONObjectKeyTooLong): an object key of 65536 bytes or more. */
export const ERR_JSON_OBJECT_KEY_TOO_LONG = 8129;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8");

function fail(detail: string, offset: number): never {
  throw new CodecError(FORMAT, detail, offset);
}

function isJsonType(t: number): t is JsonType {
  return t === 0x01 || t === 0x03 || t === 0x04 || (t >= 0x09 && t <= 0x11);
}

function typeName(t: number): string {
  return `0x${t.toString(16).padStart(2, "0")}`;
}

function readU16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

// ---------------------------------------------------------------------------------------------
// Validation: one walk over the bytes that checks every rule of the layout without building
// anything. Because values must follow one another without gaps or overlap, the walk visits
// each byte once, so corrupt offsets can neither read out of bounds nor make it loop.

/** Where the last {@link readVarLength} ended (saves returning a pair). */
let varEnd = 0;

/**
 * Reads the var-uint (7 bits a byte, low group first, high bit = more) length at `pos` and
 * checks that that many bytes follow before `limit`. Sets {@link varEnd} to the first byte after
 * the var-uint.
 */
function readVarLength(b: Uint8Array, pos: number, limit: number, what: string): number {
  let v = 0;
  let scale = 1;
  let p = pos;
  for (;;) {
    if (p >= limit) fail(`truncated ${what} length`, pos);
    if (p - pos === 10) fail(`${what} length does not fit in 64 bits`, pos);
    const byte = b[p++];
    v += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      if (byte === 0 && p - pos > 1) fail(`${what} length is not in its shortest form`, pos);
      break;
    }
    scale *= 128;
  }
  if (v > limit - p) fail(`${what} length ${v} exceeds the ${limit - p} bytes left`, pos);
  varEnd = p;
  return v;
}

function checkUtf8(b: Uint8Array, start: number, end: number, what: string): void {
  let p = start;
  while (p < end) {
    if (b[p] < 0x80) {
      p++;
      continue;
    }
    const c = nextUtf8Char(b, p, end);
    if (c < 0) fail(`invalid UTF-8 in ${what}`, p);
    p += decodedLength(c);
  }
}

function checkLiteral(lit: number, offset: number): void {
  if (lit !== LITERAL_NULL && lit !== LITERAL_TRUE && lit !== LITERAL_FALSE) {
    fail(`invalid JSON literal ${typeName(lit)}`, offset);
  }
}

/** Compares the byte ranges `b[s1, s1+n1)` and `b[s2, s2+n2)`. */
function compareRanges(b: Uint8Array, s1: number, n1: number, s2: number, n2: number): number {
  const n = Math.min(n1, n2);
  for (let i = 0; i < n; i++) {
    const d = b[s1 + i] - b[s2 + i];
    if (d !== 0) return d;
  }
  return n1 - n2;
}

/** Checks the payload of a value of type `t` at `start` (before `limit`); returns its end. */
function checkValue(b: Uint8Array, t: number, start: number, limit: number, depth: number): number {
  switch (t) {
    case JsonType.Object:
    case JsonType.Array:
      return checkContainer(b, t === JsonType.Object, start, limit, depth);
    case JsonType.Literal:
      if (limit - start < 1) fail("truncated literal", start);
      checkLiteral(b[start], start);
      return start + 1;
    case JsonType.I64:
    case JsonType.U64:
    case JsonType.Date:
    case JsonType.Datetime:
    case JsonType.Timestamp:
      if (limit - start < NUMBER_LEN) fail(`truncated 8-byte value of type ${typeName(t)}`, start);
      return start + NUMBER_LEN;
    case JsonType.Double: {
      if (limit - start < NUMBER_LEN) fail("truncated double", start);
      // NaN: exponent all ones and a non-zero fraction.
      const hi = getU32(b, start + 4);
      if ((hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) !== 0 || getU32(b, start) !== 0)) {
        fail("double is NaN", start);
      }
      return start + NUMBER_LEN;
    }
    case JsonType.String: {
      const len = readVarLength(b, start, limit, "string");
      const s = varEnd;
      checkUtf8(b, s, s + len, "string");
      return s + len;
    }
    case JsonType.Opaque: {
      if (limit - start < 1) fail("truncated opaque type", start);
      const len = readVarLength(b, start + 1, limit, "opaque");
      return varEnd + len;
    }
    case JsonType.Time: {
      if (limit - start < DURATION_LEN) fail("truncated time", start);
      const nanos = readI64AsNumber(b, start);
      if (!(Math.abs(nanos) <= MAX_DURATION_NANOS)) fail("time out of range", start);
      const fsp = getU32(b, start + 8);
      if (fsp > 6) fail(`invalid time fsp ${fsp}`, start + 8);
      return start + DURATION_LEN;
    }
    default:
      return fail(`unknown JSON type ${typeName(t)}`, start - 1);
  }
}

/** A little-endian i64 as a number: exact within ±2^53, only roughly right beyond. */
function readI64AsNumber(b: Uint8Array, o: number): number {
  const lo = getU32(b, o);
  const hi = getU32(b, o + 4) | 0;
  return hi * 0x1_0000_0000 + lo;
}

function checkContainer(
  b: Uint8Array,
  isObject: boolean,
  start: number,
  limit: number,
  depth: number,
): number {
  const name = isObject ? "object" : "array";
  if (limit - start < HEADER_LEN) fail(`truncated ${name} header`, start);
  const count = getU32(b, start);
  const size = getU32(b, start + 4);
  if (size > limit - start) fail(`${name} size ${size} exceeds the ${limit - start} bytes left`, start + 4);
  const end = start + size;
  const keyEntries = start + HEADER_LEN;
  const valueEntries = keyEntries + (isObject ? count * KEY_ENTRY_LEN : 0);
  const entriesEnd = valueEntries + count * VALUE_ENTRY_LEN;
  if (entriesEnd > end) fail(`${name} of ${count} elements does not fit in its size ${size}`, start);
  if (count > 0 && depth >= MAX_VALUE_DEPTH) {
    fail(`JSON document exceeds the maximum depth ${MAX_JSON_DEPTH}`, start);
  }
  let cursor = entriesEnd;
  if (isObject) {
    let prev = 0;
    let prevLen = 0;
    for (let i = 0; i < count; i++) {
      const e = keyEntries + i * KEY_ENTRY_LEN;
      const off = getU32(b, e);
      const len = readU16(b, e + 4);
      if (off !== cursor - start) fail(`key ${i} offset ${off}, expected ${cursor - start}`, e);
      if (len > end - cursor) fail(`key ${i} of ${len} bytes overruns the object`, e + 4);
      checkUtf8(b, cursor, cursor + len, "object key");
      if (i > 0 && compareRanges(b, prev, prevLen, cursor, len) >= 0) {
        fail(`object key ${i} is not after the previous key in byte order`, cursor);
      }
      prev = cursor;
      prevLen = len;
      cursor += len;
    }
  }
  for (let i = 0; i < count; i++) {
    const e = valueEntries + i * VALUE_ENTRY_LEN;
    const t = b[e];
    if (t === JsonType.Literal) {
      checkLiteral(b[e + 1], e + 1);
      if ((b[e + 2] | b[e + 3] | b[e + 4]) !== 0) fail("non-zero padding after an inlined literal", e + 2);
      continue;
    }
    if (!isJsonType(t)) fail(`unknown JSON type ${typeName(t)} of element ${i}`, e);
    const off = getU32(b, e + 1);
    if (off !== cursor - start) fail(`element ${i} offset ${off}, expected ${cursor - start}`, e + 1);
    cursor = checkValue(b, t, cursor, end, depth + 1);
  }
  if (cursor !== end) fail(`${name} size ${size} but its contents take ${cursor - start} bytes`, start + 4);
  return end;
}

// ---------------------------------------------------------------------------------------------
// Zero-copy access.

/**
 * The type code of an encoded JSON value (its first byte), without reading further. Throws a
 * {@link CodecError} for an empty buffer or an unknown type code.
 */
export function jsonBinaryType(bytes: Uint8Array): JsonType {
  if (bytes.length === 0) fail("empty input", 0);
  const t = bytes[0];
  if (!isJsonType(t)) fail(`unknown JSON type ${typeName(t)}`, 0);
  return t;
}

/**
 * Throws a {@link CodecError} (format `"binary json"`, with the offset) unless `bytes` is
 * exactly one binary JSON value as TiDB/TiKV write it: known type codes, every length and
 * offset inside the buffer, keys and values laid out in order without gaps, object keys valid
 * UTF-8 in strictly ascending byte order, strings valid UTF-8, literals 0/1/2 with zero padding,
 * var-uint lengths in shortest form, no NaN double, TIME within ±838:59:59 with fsp 0..6,
 * JSON_DEPTH at most {@link MAX_JSON_DEPTH} + 1, and no trailing bytes. Allocates nothing.
 */
export function validateJsonBinary(bytes: Uint8Array): void {
  const n = jsonBinaryValueLength(bytes);
  if (n !== bytes.length) fail(`${bytes.length - n} trailing bytes after the JSON value`, n);
}

/**
 * Validates the binary JSON value that starts at `start` (by the rules of
 * {@link validateJsonBinary}, reading nothing at or past `end`) and returns its length in bytes,
 * type byte included; whatever follows it is left alone. This is how formats that embed binary
 * JSON without a length prefix (datums, row format v1) find where the value ends, as TiKV
 * `JsonDecoder::read_json` does. Error offsets count from the start of `bytes`.
 */
export function jsonBinaryValueLength(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (start >= end) fail("empty input", start);
  const t = bytes[start];
  if (!isJsonType(t)) fail(`unknown JSON type ${typeName(t)}`, start);
  return checkValue(bytes, t, start + 1, end, 1) - start;
}

/**
 * A view of one value inside validated binary JSON bytes (TiKV's `JsonRef`): its type and where
 * its payload lies. Reading members, elements and scalars does not copy or decode the rest of
 * the document. Get one with {@link jsonBinaryRef}; calling a getter of the wrong type, or an
 * index out of range, is a bug and fails an assertion.
 */
export class JsonBinaryRef {
  /** The value's type code. */
  readonly type: JsonType;
  /** The buffer holding the document. */
  readonly buf: Uint8Array;
  /** Offset of the payload (after the type byte, or in the value entry for an inlined literal). */
  readonly start: number;
  /** Offset one past the payload. */
  readonly end: number;
  private view: DataView | undefined;

  private constructor(
    type: JsonType,
    buf: Uint8Array,
    start: number,
    end: number,
    view: DataView | undefined,
  ) {
    this.type = type;
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.view = view;
  }

  /** Validates `bytes` as one binary JSON value (see {@link validateJsonBinary}) and views it. */
  static from(bytes: Uint8Array): JsonBinaryRef {
    validateJsonBinary(bytes);
    return new JsonBinaryRef(bytes[0] as JsonType, bytes, 1, bytes.length, undefined);
  }

  private dv(): DataView {
    if (this.view === undefined) {
      this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    }
    return this.view;
  }

  /** The payload bytes (a view, without the type byte). */
  payload(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }

  /** The length of this value's stand-alone encoding: type byte plus payload. */
  get binaryLength(): number {
    return 1 + this.end - this.start;
  }

  /** This value as stand-alone binary JSON (type byte + payload), copied. */
  encoded(): Uint8Array {
    const out = new Uint8Array(1 + this.end - this.start);
    out[0] = this.type;
    out.set(this.buf.subarray(this.start, this.end), 1);
    return out;
  }

  private isContainer(): boolean {
    return this.type === JsonType.Object || this.type === JsonType.Array;
  }

  /** The number of members of an object or elements of an array. */
  get elementCount(): number {
    assert(this.isContainer(), "elementCount of a JSON object or array");
    return getU32(this.buf, this.start);
  }

  /** The value an entry at absolute offset `e` describes. */
  private entryValue(e: number): JsonBinaryRef {
    const b = this.buf;
    const t = b[e] as JsonType;
    if (t === JsonType.Literal) return new JsonBinaryRef(t, b, e + 1, e + 2, this.view);
    const s = this.start + getU32(b, e + 1);
    return new JsonBinaryRef(t, b, s, s + payloadLength(b, t, s), this.view);
  }

  /** Element `i` of an array. */
  arrayElement(i: number): JsonBinaryRef {
    assert(this.type === JsonType.Array, "arrayElement of a JSON array");
    assert(Number.isInteger(i) && i >= 0 && i < this.elementCount, "array index in range");
    return this.entryValue(this.start + HEADER_LEN + i * VALUE_ENTRY_LEN);
  }

  /** The UTF-8 bytes of key `i` of an object (a view); keys are in ascending byte order. */
  objectKeyBytes(i: number): Uint8Array {
    assert(this.type === JsonType.Object, "objectKeyBytes of a JSON object");
    assert(Number.isInteger(i) && i >= 0 && i < this.elementCount, "object index in range");
    const e = this.start + HEADER_LEN + i * KEY_ENTRY_LEN;
    const s = this.start + getU32(this.buf, e);
    return this.buf.subarray(s, s + readU16(this.buf, e + 4));
  }

  /** Key `i` of an object. */
  objectKey(i: number): string {
    return utf8Decoder.decode(this.objectKeyBytes(i));
  }

  /** The value of member `i` of an object. */
  objectValue(i: number): JsonBinaryRef {
    assert(this.type === JsonType.Object, "objectValue of a JSON object");
    const count = this.elementCount;
    assert(Number.isInteger(i) && i >= 0 && i < count, "object index in range");
    return this.entryValue(this.start + HEADER_LEN + count * KEY_ENTRY_LEN + i * VALUE_ENTRY_LEN);
  }

  /** The index of the member whose key is `key` (binary search over the sorted keys), or -1. */
  objectSearchKey(key: string | Uint8Array): number {
    assert(this.type === JsonType.Object, "objectSearchKey of a JSON object");
    const k = typeof key === "string" ? utf8Encoder.encode(key) : key;
    const b = this.buf;
    let lo = 0;
    let hi = this.elementCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.start + HEADER_LEN + mid * KEY_ENTRY_LEN;
      const s = this.start + getU32(b, e);
      const n = readU16(b, e + 4);
      let c = 0;
      const m = Math.min(n, k.length);
      for (let j = 0; j < m && c === 0; j++) c = b[s + j] - k[j];
      if (c === 0) c = n - k.length;
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  /** The value of the member whose key is `key`, or undefined. */
  objectGet(key: string | Uint8Array): JsonBinaryRef | undefined {
    const i = this.objectSearchKey(key);
    return i < 0 ? undefined : this.objectValue(i);
  }

  /** A literal: `true`, `false` or `null`. */
  literal(): boolean | null {
    assert(this.type === JsonType.Literal, "literal of a JSON literal");
    const v = this.buf[this.start];
    return v === LITERAL_NULL ? null : v === LITERAL_TRUE;
  }

  /** A signed integer. */
  i64(): bigint {
    assert(this.type === JsonType.I64, "i64 of a JSON i64");
    return this.dv().getBigInt64(this.start, true);
  }

  /** An unsigned integer. */
  u64(): bigint {
    assert(this.type === JsonType.U64, "u64 of a JSON u64");
    return this.dv().getBigUint64(this.start, true);
  }

  /** A double. */
  double(): number {
    assert(this.type === JsonType.Double, "double of a JSON double");
    return this.dv().getFloat64(this.start, true);
  }

  /** The UTF-8 bytes of a string (a view). */
  stringBytes(): Uint8Array {
    assert(this.type === JsonType.String, "stringBytes of a JSON string");
    const len = readVarLength(this.buf, this.start, this.end, "string");
    return this.buf.subarray(varEnd, varEnd + len);
  }

  /** A string. */
  string(): string {
    return utf8Decoder.decode(this.stringBytes());
  }

  /** The MySQL type code of an opaque value. */
  opaqueType(): number {
    assert(this.type === JsonType.Opaque, "opaqueType of a JSON opaque value");
    return this.buf[this.start];
  }

  /** The bytes of an opaque value (a view). */
  opaqueBytes(): Uint8Array {
    assert(this.type === JsonType.Opaque, "opaqueBytes of a JSON opaque value");
    const len = readVarLength(this.buf, this.start + 1, this.end, "opaque");
    return this.buf.subarray(varEnd, varEnd + len);
  }

  /** The packed time word of a DATE, DATETIME or TIMESTAMP (see `Json.date`). */
  packedTime(): bigint {
    assert(
      this.type === JsonType.Date || this.type === JsonType.Datetime || this.type === JsonType.Timestamp,
      "packedTime of a JSON date/datetime/timestamp",
    );
    return this.dv().getBigUint64(this.start, true);
  }

  /** The nanoseconds of a TIME. */
  durationNanos(): number {
    assert(this.type === JsonType.Time, "durationNanos of a JSON time");
    return readI64AsNumber(this.buf, this.start);
  }

  /** The fractional second precision (0..6) of a TIME. */
  durationFsp(): number {
    assert(this.type === JsonType.Time, "durationFsp of a JSON time");
    return getU32(this.buf, this.start + 8);
  }

  /** Decodes this value (and everything below it) into a {@link JsonValue}. */
  toValue(): JsonValue {
    switch (this.type) {
      case JsonType.Object: {
        const count = this.elementCount;
        const entries: (readonly [string, JsonValue])[] = new Array(count);
        for (let i = 0; i < count; i++) entries[i] = [this.objectKey(i), this.objectValue(i).toValue()];
        return { kind: "object", entries };
      }
      case JsonType.Array: {
        const count = this.elementCount;
        const items: JsonValue[] = new Array(count);
        for (let i = 0; i < count; i++) items[i] = this.arrayElement(i).toValue();
        return { kind: "array", items };
      }
      case JsonType.Literal: {
        const v = this.literal();
        return v === null ? Json.null() : Json.bool(v);
      }
      case JsonType.I64:
        return { kind: "i64", value: this.i64() };
      case JsonType.U64:
        return { kind: "u64", value: this.u64() };
      case JsonType.Double:
        return { kind: "double", value: this.double() };
      case JsonType.String:
        return { kind: "string", value: this.string() };
      case JsonType.Opaque:
        return { kind: "opaque", fieldType: this.opaqueType(), data: this.opaqueBytes().slice() };
      case JsonType.Date:
        return { kind: "date", time: this.packedTime() };
      case JsonType.Datetime:
        return { kind: "datetime", time: this.packedTime() };
      case JsonType.Timestamp:
        return { kind: "timestamp", time: this.packedTime() };
      case JsonType.Time:
        return { kind: "time", nanos: this.durationNanos(), fsp: this.durationFsp() };
    }
  }
}

/** The payload length of a (validated) non-literal value of type `t` at `s`. */
function payloadLength(b: Uint8Array, t: JsonType, s: number): number {
  switch (t) {
    case JsonType.Object:
    case JsonType.Array:
      return getU32(b, s + 4);
    case JsonType.String: {
      const len = readVarLength(b, s, b.length, "string");
      return varEnd - s + len;
    }
    case JsonType.Opaque: {
      const len = readVarLength(b, s + 1, b.length, "opaque");
      return varEnd - s + len;
    }
    case JsonType.Time:
      return DURATION_LEN;
    case JsonType.Literal:
      return 1;
    default:
      return NUMBER_LEN;
  }
}

/**
 * Validates `bytes` as exactly one binary JSON value (see {@link validateJsonBinary}) and returns
 * a zero-copy view of it, for reading members and elements without decoding the document.
 */
export function jsonBinaryRef(bytes: Uint8Array): JsonBinaryRef {
  return JsonBinaryRef.from(bytes);
}

/**
 * Decodes binary JSON (type byte + payload, as TiDB writes it) into a {@link JsonValue}. The
 * whole buffer must be one value; anything malformed, truncated, too deep or followed by extra
 * bytes is a {@link CodecError} with format `"binary json"` and the offset of the problem (see
 * {@link validateJsonBinary} for the rules). Opaque data is copied out of `bytes`.
 */
export function decodeJsonBinary(bytes: Uint8Array): JsonValue {
  return JsonBinaryRef.from(bytes).toValue();
}

// ---------------------------------------------------------------------------------------------
// Encoding.

function writeVarUint(w: ByteWriter, v: number): void {
  while (v >= 0x80) {
    w.u8((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  w.u8(v);
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;

function writeWord(w: ByteWriter, v: bigint): void {
  w.u64leWords(Number(BigInt.asUintN(32, v)), Number(BigInt.asUintN(32, v >> 32n)));
}

function tooDeep(): EvalError {
  return new EvalError("The JSON document exceeds the maximum depth.", ERR_JSON_DOCUMENT_TOO_DEEP);
}

function literalByte(v: boolean | null): number {
  return v === null ? LITERAL_NULL : v ? LITERAL_TRUE : LITERAL_FALSE;
}

/** Members sorted by key bytes with unique keys: as given when already so, else normalized. */
function sortedEntries(v: JsonObject): readonly (readonly [string, JsonValue])[] {
  const e = v.entries;
  for (let i = 1; i < e.length; i++) {
    if (compareUtf8(e[i - 1][0], e[i][0]) >= 0) return Json.object(e).entries;
  }
  return e;
}

function writePayload(w: ByteWriter, v: JsonValue, depth: number): void {
  switch (v.kind) {
    case "object":
    case "array":
      writeContainer(w, v, depth);
      return;
    case "literal":
      w.u8(literalByte(v.value));
      return;
    case "i64":
      assert(v.value >= I64_MIN && v.value <= I64_MAX, "JSON i64 within i64");
      writeWord(w, v.value);
      return;
    case "u64":
      assert(v.value >= 0n && v.value <= U64_MAX, "JSON u64 within u64");
      writeWord(w, v.value);
      return;
    case "double":
      assert(!Number.isNaN(v.value), "JSON double is not NaN");
      w.f64le(v.value);
      return;
    case "string": {
      const bytes = utf8Encoder.encode(v.value);
      writeVarUint(w, bytes.length);
      w.bytes(bytes);
      return;
    }
    case "opaque":
      w.u8(v.fieldType);
      writeVarUint(w, v.data.length);
      w.bytes(v.data);
      return;
    case "date":
    case "datetime":
    case "timestamp":
      writeWord(w, BigInt.asUintN(64, v.time));
      return;
    case "time": {
      assert(
        Number.isInteger(v.nanos) && Math.abs(v.nanos) <= MAX_DURATION_NANOS && v.fsp >= 0 && v.fsp <= 6,
        "JSON time is a valid TIME",
      );
      const hi = Math.floor(v.nanos / 0x1_0000_0000);
      w.u64leWords(v.nanos - hi * 0x1_0000_0000, hi);
      w.u32le(v.fsp);
      return;
    }
  }
}

function writeContainer(w: ByteWriter, v: JsonObject | JsonArray, depth: number): void {
  const entries = v.kind === "object" ? sortedEntries(v) : null;
  const items = v.kind === "array" ? v.items : null;
  const count = entries !== null ? entries.length : (items as readonly JsonValue[]).length;
  if (count > 0 && depth >= MAX_VALUE_DEPTH) throw tooDeep();
  const doc = w.length;
  w.u32le(count);
  w.u32le(0); // size, patched below
  let valueEntries = doc + HEADER_LEN;
  let keys: Uint8Array[] | null = null;
  if (entries !== null) {
    keys = new Array(count);
    let off = HEADER_LEN + count * (KEY_ENTRY_LEN + VALUE_ENTRY_LEN);
    for (let i = 0; i < count; i++) {
      const k = utf8Encoder.encode(entries[i][0]);
      if (k.length > MAX_JSON_KEY_LENGTH) {
        throw new EvalError(
          "TiDB does not yet support JSON objects with the key length >= 65536",
          ERR_JSON_OBJECT_KEY_TOO_LONG,
        );
      }
      keys[i] = k;
      w.u32le(off);
      w.u16le(k.length);
      off += k.length;
    }
    valueEntries += count * KEY_ENTRY_LEN;
  }
  // Value entries: filled in once the values' offsets are known.
  for (let i = 0; i < count; i++) {
    w.u32le(0);
    w.u8(0);
  }
  if (keys !== null) for (const k of keys) w.bytes(k);
  const offsets: number[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const m = entries !== null ? entries[i][1] : (items as readonly JsonValue[])[i];
    if (m.kind === "literal") {
      offsets[i] = -1;
      continue;
    }
    offsets[i] = w.length - doc;
    writePayload(w, m, depth + 1);
  }
  const size = w.length - doc;
  if (size > 0xffffffff) throw new EvalError("JSON document larger than 4 GiB", ERR_UNKNOWN);
  const out = w.finish();
  putU32(out, doc + 4, size);
  for (let i = 0; i < count; i++) {
    const m = entries !== null ? entries[i][1] : (items as readonly JsonValue[])[i];
    const e = valueEntries + i * VALUE_ENTRY_LEN;
    if (m.kind === "literal") {
      out[e] = JsonType.Literal;
      out[e + 1] = literalByte(m.value);
    } else {
      out[e] = jsonTypeCode(m);
      putU32(out, e + 1, offsets[i]);
    }
  }
}

/**
 * Appends the binary JSON of `value` (type byte + payload) to `w`, byte for byte what TiDB's
 * encoder writes: object members sorted by key bytes (an unsorted or repeated-key object is
 * normalized first, the last repeated key winning, as `Json.object` does), literals inlined in
 * their value entry, everything else laid out after the entries in order. Throws an
 * {@link EvalError} with TiDB's code for a key of 65536 bytes or more (8129) or a document deeper
 * than {@link MAX_JSON_DEPTH} (3157).
 */
export function writeJsonBinary(w: ByteWriter, value: JsonValue): void {
  w.u8(jsonTypeCode(value));
  writePayload(w, value, 1);
}

/** The binary JSON of `value` (type byte + payload); see {@link writeJsonBinary}. */
export function encodeJsonBinary(value: JsonValue): Uint8Array {
  const w = new ByteWriter(64);
  writeJsonBinary(w, value);
  return w.finish().slice();
}
