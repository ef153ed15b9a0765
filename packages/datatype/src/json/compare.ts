// Ordering of JSON values: type precedence first, then a per-type rule.
// Behaviour of TiKV components/tidb_query_datatype/src/codec/mysql/json/comparison.rs (and, for
// objects, the binary layout of json/jcodec.rs, whose bytes TiKV compares).

import { assert } from "../errors.js";
import { compareUtf8, type JsonValue } from "./json-value.js";

/** TiKV's type precedence (json/constants.rs): the higher wins between different types. */
function precedence(v: JsonValue): number {
  switch (v.kind) {
    case "object":
      return -9;
    case "array":
      return -8;
    case "literal":
      return v.value === null ? -12 : -7;
    case "i64":
    case "u64":
    case "double":
      return -11;
    case "string":
      return -10;
    case "opaque":
      return -3;
    case "date":
      return -6;
    case "datetime":
    case "timestamp":
      return -4;
    case "time":
      return -5;
  }
}

function cmp<T extends number | bigint | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Doubles within f64::EPSILON of each other are equal (TiKV `compare_f64_with_epsilon`). */
function cmpF64(x: number, y: number): number {
  if (Math.abs(x - y) < Number.EPSILON) return 0;
  return x < y ? -1 : x > y ? 1 : 0;
}

function asF64(v: JsonValue): number {
  switch (v.kind) {
    case "i64":
    case "u64":
      return Number(v.value);
    case "double":
      return v.value;
    default:
      assert(false, `${v.kind} is not a number`);
  }
}

function cmpBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

/**
 * Compares two JSON values as TiKV does; returns -1, 0 or 1. Different types order by
 * precedence (NULL < numbers < STRING < OBJECT < ARRAY < BOOLEAN < DATE < TIME < DATETIME <
 * OPAQUE); numbers compare across I64/U64 exactly and against doubles as doubles, equal within
 * f64::EPSILON; strings by UTF-8 bytes; arrays element-wise then by length; false < true;
 * DATETIME and TIMESTAMP by their packed time (ignoring precision); TIME by nanoseconds; opaque
 * values by their bytes. Objects compare by their binary JSON encoding, as TiKV does: only
 * equality is meaningful, the order is an artefact of the layout.
 */
export function compareJson(a: JsonValue, b: JsonValue): number {
  const pa = precedence(a);
  const pb = precedence(b);
  if (pa !== pb) return pa > pb ? 1 : -1;
  switch (a.kind) {
    case "literal": {
      if (a.value === null) return 0;
      return cmp(Number(a.value), Number((b as typeof a).value));
    }
    case "i64":
    case "u64":
      if (b.kind === "double") return cmpF64(Number(a.value), b.value);
      return cmp(a.value, (b as typeof a).value);
    case "double":
      return cmpF64(a.value, asF64(b));
    case "string":
      return Math.sign(compareUtf8(a.value, (b as typeof a).value));
    case "array": {
      const bi = (b as typeof a).items;
      const n = Math.min(a.items.length, bi.length);
      for (let i = 0; i < n; i++) {
        const c = compareJson(a.items[i], bi[i]);
        if (c !== 0) return c;
      }
      return cmp(a.items.length, bi.length);
    }
    case "object":
      return Math.sign(cmpBytes(encodeJsonValue(a), encodeJsonValue(b)));
    case "opaque":
      return Math.sign(cmpBytes(a.data, (b as typeof a).data));
    case "date":
    case "datetime":
    case "timestamp":
      return cmp(a.time >> 4n, (b as typeof a).time >> 4n);
    case "time":
      return cmp(a.nanos, (b as typeof a).nanos);
  }
}

/** True if {@link compareJson} finds the values equal. */
export function jsonEquals(a: JsonValue, b: JsonValue): boolean {
  return compareJson(a, b) === 0;
}

// ---- binary JSON value bytes (TiKV jcodec.rs), needed for object comparison ----

const TYPE_CODE: Record<JsonValue["kind"], number> = {
  object: 0x01,
  array: 0x03,
  literal: 0x04,
  i64: 0x09,
  u64: 0x0a,
  double: 0x0b,
  string: 0x0c,
  opaque: 0x0d,
  date: 0x0e,
  datetime: 0x0f,
  timestamp: 0x10,
  time: 0x11,
};

const encoder = new TextEncoder();

class ByteWriter {
  buf = new Uint8Array(64);
  len = 0;

  private view(): DataView {
    return new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.len++] = v;
  }

  u16(v: number): void {
    this.reserve(2);
    this.view().setUint16(this.len, v & 0xffff, true);
    this.len += 2;
  }

  u32(v: number): void {
    this.reserve(4);
    this.view().setUint32(this.len, v >>> 0, true);
    this.len += 4;
  }

  u64(v: bigint): void {
    this.reserve(8);
    this.view().setBigUint64(this.len, BigInt.asUintN(64, v), true);
    this.len += 8;
  }

  f64(v: number): void {
    this.reserve(8);
    this.view().setFloat64(this.len, v, true);
    this.len += 8;
  }

  varU64(v: number): void {
    while (v >= 0x80) {
      this.u8((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.u8(v);
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  result(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

const LITERAL_BYTE = (v: boolean | null): number => (v === null ? 0x00 : v ? 0x01 : 0x02);

/** The value part of a JSON value's binary encoding (without the leading type byte). */
function encodeJsonValue(v: JsonValue): Uint8Array {
  const w = new ByteWriter();
  switch (v.kind) {
    case "literal":
      w.u8(LITERAL_BYTE(v.value));
      break;
    case "i64":
    case "u64":
      w.u64(v.value);
      break;
    case "double":
      w.f64(v.value);
      break;
    case "string": {
      const b = encoder.encode(v.value);
      w.varU64(b.length);
      w.bytes(b);
      break;
    }
    case "opaque":
      w.u8(v.fieldType);
      w.varU64(v.data.length);
      w.bytes(v.data);
      break;
    case "date":
    case "datetime":
    case "timestamp":
      w.u64(v.time);
      break;
    case "time":
      w.u64(BigInt(v.nanos));
      w.u32(v.fsp);
      break;
    case "array":
      writeContainer(
        w,
        [],
        v.items.map((m) => [m, encodeJsonValue(m)] as const),
      );
      break;
    case "object":
      writeContainer(
        w,
        v.entries.map(([k]) => encoder.encode(k)),
        v.entries.map(([, m]) => [m, encodeJsonValue(m)] as const),
      );
      break;
  }
  return w.result();
}

/** element-count size key-entry* value-entry* key* value* (no keys for an array). */
function writeContainer(
  w: ByteWriter,
  keys: Uint8Array[],
  values: (readonly [JsonValue, Uint8Array])[],
): void {
  const count = values.length;
  const keyEntries = keys.length * 6;
  const valueEntries = count * 5;
  let payload = 0;
  for (const k of keys) payload += k.length;
  for (const [m, b] of values) if (m.kind !== "literal") payload += b.length;
  w.u32(count);
  w.u32(8 + keyEntries + valueEntries + payload);
  let offset = 8 + keyEntries + valueEntries;
  for (const k of keys) {
    w.u32(offset);
    w.u16(k.length);
    offset += k.length;
  }
  for (const [m, b] of values) {
    w.u8(TYPE_CODE[m.kind]);
    if (m.kind === "literal") {
      w.u8(b[0]);
      w.u8(0);
      w.u8(0);
      w.u8(0);
    } else {
      w.u32(offset);
      offset += b.length;
    }
  }
  for (const k of keys) w.bytes(k);
  for (const [m, b] of values) if (m.kind !== "literal") w.bytes(b);
}
