// The JSON value model: one tagged union case per binary JSON type code.
// Behaviour of TiKV components/tidb_query_datatype/src/codec/mysql/json/{mod,json_type,json_depth,json_length}.rs.

import { assert } from "../errors.js";
import { FieldTypeTp } from "../field-type.js";

/** The binary JSON type codes (TiKV `JsonType`), the first byte of an encoded JSON value. */
export const JsonType = {
  Object: 0x01,
  Array: 0x03,
  Literal: 0x04,
  I64: 0x09,
  U64: 0x0a,
  Double: 0x0b,
  String: 0x0c,
  Opaque: 0x0d,
  Date: 0x0e,
  Datetime: 0x0f,
  Timestamp: 0x10,
  Time: 0x11,
} as const;
export type JsonType = (typeof JsonType)[keyof typeof JsonType];

/** A JSON object: members sorted by the UTF-8 bytes of their keys, keys unique. */
export interface JsonObject {
  readonly kind: "object";
  readonly entries: readonly (readonly [string, JsonValue])[];
}
/** A JSON array. */
export interface JsonArray {
  readonly kind: "array";
  readonly items: readonly JsonValue[];
}
/** `true`, `false` or `null`. */
export interface JsonLiteral {
  readonly kind: "literal";
  readonly value: boolean | null;
}
/** A signed 64-bit integer. */
export interface JsonI64 {
  readonly kind: "i64";
  readonly value: bigint;
}
/** An unsigned 64-bit integer. */
export interface JsonU64 {
  readonly kind: "u64";
  readonly value: bigint;
}
/** A double (never NaN). */
export interface JsonDouble {
  readonly kind: "double";
  readonly value: number;
}
/** A string (well-formed: no lone surrogates). */
export interface JsonString {
  readonly kind: "string";
  readonly value: string;
}
/** A value of a MySQL type JSON cannot represent (e.g. a BLOB), kept as its bytes and type code. */
export interface JsonOpaque {
  readonly kind: "opaque";
  readonly fieldType: number;
  readonly data: Uint8Array;
}
/** A DATE, DATETIME or TIMESTAMP, held as TiKV's packed `Time` word (u64, see {@link Json.date}). */
export interface JsonTime {
  readonly kind: "date" | "datetime" | "timestamp";
  readonly time: bigint;
}
/** A TIME: signed nanoseconds and precision, as a Duration. */
export interface JsonDuration {
  readonly kind: "time";
  readonly nanos: number;
  readonly fsp: number;
}

/**
 * A JSON value as TiKV models it: the binary JSON types, including MySQL's extensions (opaque,
 * date/time). Values are plain immutable data; build them with {@link Json} so that objects are
 * normalized (sorted, unique keys), which serialization and comparison rely on.
 */
export type JsonValue =
  | JsonObject
  | JsonArray
  | JsonLiteral
  | JsonI64
  | JsonU64
  | JsonDouble
  | JsonString
  | JsonOpaque
  | JsonTime
  | JsonDuration;

/** The kinds of {@link JsonValue}. */
export type JsonKind = JsonValue["kind"];

const TYPE_CODES: Record<JsonKind, JsonType> = {
  object: JsonType.Object,
  array: JsonType.Array,
  literal: JsonType.Literal,
  i64: JsonType.I64,
  u64: JsonType.U64,
  double: JsonType.Double,
  string: JsonType.String,
  opaque: JsonType.Opaque,
  date: JsonType.Date,
  datetime: JsonType.Datetime,
  timestamp: JsonType.Timestamp,
  time: JsonType.Time,
};

/** The binary type code of a value. */
export function jsonTypeCode(v: JsonValue): JsonType {
  return TYPE_CODES[v.kind];
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;

/**
 * Orders strings by their UTF-8 bytes (the same as by code points), which is how TiKV orders
 * object keys and compares JSON strings. Returns a negative number, 0 or a positive number.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800..DFFF, i.e. code points above U+FFFF) sort after U+E000..FFFF.
    if (x >= 0xd800) x += x < 0xe000 ? 0x2000 : -0x800;
    if (y >= 0xd800) y += y < 0xe000 ? 0x2000 : -0x800;
    return x - y;
  }
  return a.length - b.length;
}

/** True if `s` has no unpaired surrogate (it is encodable as UTF-8). */
export function isWellFormedUtf16(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c >= 0xdc00) return false;
    const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
    if (d < 0xdc00 || d > 0xdfff) return false;
    i++;
  }
  return true;
}

const NULL: JsonLiteral = Object.freeze({ kind: "literal", value: null });
const TRUE: JsonLiteral = Object.freeze({ kind: "literal", value: true });
const FALSE: JsonLiteral = Object.freeze({ kind: "literal", value: false });

/** Sorts members by key bytes, the last of equal keys winning (TiKV builds objects in a BTreeMap). */
function normalizeEntries(list: (readonly [string, JsonValue])[]): (readonly [string, JsonValue])[] {
  for (const [k] of list) assert(isWellFormedUtf16(k), "JSON object keys must be well-formed strings");
  const indexed = list.map((e, i) => [e, i] as const);
  indexed.sort((x, y) => compareUtf8(x[0][0], y[0][0]) || x[1] - y[1]);
  const out: (readonly [string, JsonValue])[] = [];
  for (const [e] of indexed) {
    const last = out.length - 1;
    if (last >= 0 && out[last][0] === e[0]) out[last] = e;
    else out.push(e);
  }
  return out;
}

/** Constructors of {@link JsonValue}s. */
export const Json = {
  /** JSON `null`. */
  null(): JsonLiteral {
    return NULL;
  },
  /** JSON `true` or `false`. */
  bool(b: boolean): JsonLiteral {
    return b ? TRUE : FALSE;
  },
  /** A signed integer; must be within i64. */
  i64(v: bigint | number): JsonI64 {
    const b = BigInt(v);
    assert(b >= I64_MIN && b <= I64_MAX, "Json.i64 takes a value within i64");
    return { kind: "i64", value: b };
  },
  /** An unsigned integer; must be within u64. */
  u64(v: bigint | number): JsonU64 {
    const b = BigInt(v);
    assert(b >= 0n && b <= U64_MAX, "Json.u64 takes a value within u64");
    return { kind: "u64", value: b };
  },
  /** A double; NaN is not a JSON value. */
  double(v: number): JsonDouble {
    assert(!Number.isNaN(v), "Json.double takes a number, not NaN");
    return { kind: "double", value: v };
  },
  /** A string; must be well-formed UTF-16 (no lone surrogates). */
  string(s: string): JsonString {
    assert(isWellFormedUtf16(s), "Json.string takes a well-formed string");
    return { kind: "string", value: s };
  },
  /** An array of the given items. */
  array(items: Iterable<JsonValue>): JsonArray {
    return { kind: "array", items: Array.from(items) };
  },
  /**
   * An object from a record or from `[key, value]` pairs; members are sorted by key bytes and,
   * for repeated keys, the last one wins.
   */
  object(members: Readonly<Record<string, JsonValue>> | Iterable<readonly [string, JsonValue]>): JsonObject {
    const list: (readonly [string, JsonValue])[] =
      Symbol.iterator in members
        ? Array.from(members as Iterable<readonly [string, JsonValue]>)
        : Object.entries(members as Readonly<Record<string, JsonValue>>);
    return { kind: "object", entries: normalizeEntries(list) };
  },
  /** An opaque value: bytes of the MySQL type `fieldType` (a {@link FieldTypeTp} code, 0..255). */
  opaque(fieldType: number, data: Uint8Array): JsonOpaque {
    assert(Number.isInteger(fieldType) && fieldType >= 0 && fieldType <= 255, "opaque type is a byte");
    return { kind: "opaque", fieldType, data };
  },
  /**
   * A DATE from TiKV's packed `Time` word: year bits 63..50, month 49..46, day 45..41, hour
   * 40..36, minute 35..30, second 29..24, microsecond 23..4, then `fsp << 1 | is_timestamp`
   * in bits 3..0 (`0b1110` for a DATE).
   */
  date(time: bigint): JsonTime {
    return { kind: "date", time: BigInt.asUintN(64, time) };
  },
  /** A DATETIME from TiKV's packed `Time` word (see {@link Json.date}). */
  datetime(time: bigint): JsonTime {
    return { kind: "datetime", time: BigInt.asUintN(64, time) };
  },
  /** A TIMESTAMP from TiKV's packed `Time` word (see {@link Json.date}). */
  timestamp(time: bigint): JsonTime {
    return { kind: "timestamp", time: BigInt.asUintN(64, time) };
  },
  /** A TIME from signed nanoseconds and precision (a Duration's `nanos` and `fsp`). */
  time(nanos: number, fsp: number): JsonDuration {
    assert(Number.isSafeInteger(nanos) && Number.isInteger(fsp) && fsp >= 0 && fsp <= 6, "valid TIME");
    return { kind: "time", nanos, fsp };
  },
} as const;

/**
 * MySQL's JSON_TYPE name (TiKV json_type.rs): OBJECT, ARRAY, BOOLEAN, NULL, INTEGER,
 * UNSIGNED INTEGER, DOUBLE, STRING, DATE, DATETIME (also for TIMESTAMP, as TiKV), TIME, and for
 * opaque values BLOB (string and blob types), BIT, or OPAQUE.
 */
export function jsonTypeName(v: JsonValue): string {
  switch (v.kind) {
    case "object":
      return "OBJECT";
    case "array":
      return "ARRAY";
    case "literal":
      return v.value === null ? "NULL" : "BOOLEAN";
    case "i64":
      return "INTEGER";
    case "u64":
      return "UNSIGNED INTEGER";
    case "double":
      return "DOUBLE";
    case "string":
      return "STRING";
    case "opaque":
      switch (v.fieldType) {
        case FieldTypeTp.TinyBlob:
        case FieldTypeTp.MediumBlob:
        case FieldTypeTp.LongBlob:
        case FieldTypeTp.Blob:
        case FieldTypeTp.String:
        case FieldTypeTp.VarString:
        case FieldTypeTp.VarChar:
          return "BLOB";
        case FieldTypeTp.Bit:
          return "BIT";
        default:
          return "OPAQUE";
      }
    case "date":
      return "DATE";
    case "datetime":
    case "timestamp":
      return "DATETIME";
    case "time":
      return "TIME";
  }
}

/** JSON_DEPTH: 1 for scalars and empty containers, else 1 + the deepest member. */
export function jsonDepth(v: JsonValue): number {
  let max = 0;
  if (v.kind === "object") {
    for (const [, m] of v.entries) max = Math.max(max, jsonDepth(m));
  } else if (v.kind === "array") {
    for (const m of v.items) max = Math.max(max, jsonDepth(m));
  }
  return max + 1;
}

/** JSON_LENGTH without a path: members of an object or array, 1 for a scalar. */
export function jsonLength(v: JsonValue): number {
  if (v.kind === "object") return v.entries.length;
  if (v.kind === "array") return v.items.length;
  return 1;
}
