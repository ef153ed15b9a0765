// Value encodings inside a row v2 row: how each field type's non-NULL value is laid out in the
// value area. Facts from TiDB pkg/util/rowcodec/{encoder,common,decoder}.go and TiKV
// components/tidb_query_datatype/src/codec/row/v2/{compat_v1,encoder_for_test}.rs plus the
// datum decoders they delegate to (datum_codec.rs).

import {
  type ChunkedVecDecimalBuilder,
  CodecError,
  Decimal,
  Duration,
  decimalBinSize,
  Enum,
  type EvalContext,
  EvalError,
  type FieldType,
  FieldTypeTp,
  fieldTypeTpName,
  isUnsigned,
  MAX_DURATION_NANOS,
  MySqlSet,
  Time,
  TimeType,
  UnsupportedError,
} from "@copr/datatype";

/** Name of the format in every error this module raises. */
export const ROW_V2 = "row v2";

// ---- value kinds ------------------------------------------------------------------------------

/** How a column's values are stored in the value area; one per field type family. */
export const K_INT = 0; // signed compact integer (TINYINT..BIGINT, YEAR)
export const K_UINT = 1; // unsigned compact integer (UNSIGNED integer types)
export const K_BIT = 2; // BIT: compact unsigned, read into an Int column
export const K_REAL = 3; // DOUBLE: memcomparable f64
export const K_FLOAT = 4; // FLOAT: memcomparable f64, read back rounded to f32
export const K_DECIMAL = 5; // precision byte, fraction byte, decimal binary
export const K_BYTES = 6; // raw bytes (CHAR, VARCHAR, BINARY, TEXT, BLOB)
export const K_DATE = 7; // DATE / DATETIME: packed u64, compact unsigned
export const K_TIMESTAMP = 8; // TIMESTAMP: packed u64 of the UTC time, compact unsigned
export const K_DURATION = 9; // TIME: signed nanoseconds, compact
export const K_JSON = 10; // binary JSON: type byte then payload
export const K_ENUM = 11; // member index, compact unsigned
export const K_SET = 12; // member bitmask, compact unsigned
export const K_VECTOR = 13; // u32 LE element count then f32 LE elements
export const K_NULL = 14; // the NULL type: never has a value

/**
 * The value kind of a field type. Throws an UnsupportedError for types row v2 cannot hold
 * (Unspecified, NewDate, Geometry, unknown codes), as TiKV's `write_v2_as_datum` does.
 */
export function valueKindOf(ft: FieldType): number {
  switch (ft.tp) {
    case FieldTypeTp.Tiny:
    case FieldTypeTp.Short:
    case FieldTypeTp.Int24:
    case FieldTypeTp.Long:
    case FieldTypeTp.LongLong:
      return isUnsigned(ft) ? K_UINT : K_INT;
    case FieldTypeTp.Year:
      return K_INT;
    case FieldTypeTp.Bit:
      return K_BIT;
    case FieldTypeTp.Double:
      return K_REAL;
    case FieldTypeTp.Float:
      return K_FLOAT;
    case FieldTypeTp.NewDecimal:
      return K_DECIMAL;
    case FieldTypeTp.VarChar:
    case FieldTypeTp.VarString:
    case FieldTypeTp.String:
    case FieldTypeTp.TinyBlob:
    case FieldTypeTp.MediumBlob:
    case FieldTypeTp.LongBlob:
    case FieldTypeTp.Blob:
      return K_BYTES;
    case FieldTypeTp.Date:
    case FieldTypeTp.DateTime:
      return K_DATE;
    case FieldTypeTp.Timestamp:
      return K_TIMESTAMP;
    case FieldTypeTp.Duration:
      return K_DURATION;
    case FieldTypeTp.Json:
      return K_JSON;
    case FieldTypeTp.Enum:
      return K_ENUM;
    case FieldTypeTp.Set:
      return K_SET;
    case FieldTypeTp.TiDBVectorFloat32:
      return K_VECTOR;
    case FieldTypeTp.Null:
      return K_NULL;
    default:
      throw new UnsupportedError(`row v2 does not support field type ${fieldTypeTpName(ft.tp)}`);
  }
}

// ---- integers ---------------------------------------------------------------------------------

const TWO_32 = 4_294_967_296;
/** |hi| below this keeps hi * 2^32 + lo within ±2^53. */
const SAFE_HI = 0x20_0000;

// High words left by the readers below (an object, not module-level `let`s: those cost a check
// on every read). `wideHi`: of the last 8-byte integer read by readCompactLo; `layoutHi`: of the
// last packedToLayoutLo; `packedHi`: of the last timeToPackedLo.
const HI = {
  wideHi: 0,
  layoutHi: 0,
  packedHi: 0,
};

/**
 * Reads a compact integer of `len` bytes (1, 2, 4 or 8, little-endian) at `pos`. For 1/2/4
 * bytes returns the value itself (sign-extended when `signed`) and sets `HI.wideHi` to -1 as a
 * marker; for 8 bytes returns the low word (uint32) and leaves the high word in `HI.wideHi`.
 * Any other length is a CodecError.
 */
function readCompactLo(bytes: Uint8Array, pos: number, len: number, signed: boolean, what: string): number {
  switch (len) {
    case 1:
      HI.wideHi = -1;
      return signed ? (bytes[pos] << 24) >> 24 : bytes[pos];
    case 2: {
      HI.wideHi = -1;
      const v = bytes[pos] | (bytes[pos + 1] << 8);
      return signed ? (v << 16) >> 16 : v;
    }
    case 4: {
      HI.wideHi = -1;
      const v = bytes[pos] | (bytes[pos + 1] << 8) | (bytes[pos + 2] << 16) | (bytes[pos + 3] << 24);
      return signed ? v : v >>> 0;
    }
    case 8:
      HI.wideHi =
        (bytes[pos + 4] | (bytes[pos + 5] << 8) | (bytes[pos + 6] << 16) | (bytes[pos + 7] << 24)) >>> 0;
      return (bytes[pos] | (bytes[pos + 1] << 8) | (bytes[pos + 2] << 16) | (bytes[pos + 3] << 24)) >>> 0;
    default:
      throw new CodecError(ROW_V2, `${what} value has ${len} bytes, not 1, 2, 4 or 8`, pos);
  }
}

/**
 * A compact integer as a number when it is exactly representable (|v| <= 2^53), else as a
 * bigint (signed or unsigned as asked). Allocates only for wide values.
 */
export function readCompactInt(
  bytes: Uint8Array,
  pos: number,
  len: number,
  signed: boolean,
  what: string,
): number | bigint {
  const lo = readCompactLo(bytes, pos, len, signed, what);
  if (len !== 8) return lo;
  const hi = HI.wideHi;
  if (signed) {
    const h = hi | 0;
    if (h >= -SAFE_HI && h < SAFE_HI) return h * TWO_32 + lo;
    return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
  }
  if (hi < SAFE_HI) return hi * TWO_32 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** The low word of a compact unsigned integer; the high word is left in {@link lastHi}. */
export function readCompactUintWords(bytes: Uint8Array, pos: number, len: number, what: string): number {
  const lo = readCompactLo(bytes, pos, len, false, what);
  if (len !== 8) HI.wideHi = 0;
  return lo;
}

/** High word set by the last {@link readCompactUintWords}. */
export function lastHi(): number {
  return HI.wideHi;
}

// ---- floats -----------------------------------------------------------------------------------

const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);

/**
 * Reads the 8-byte memcomparable double at `pos` (big-endian; sign bit set for non-negative
 * values, all bits inverted for negative ones). Assumes a little-endian host, as the columns do.
 */
export function readComparableF64(bytes: Uint8Array, pos: number): number {
  const b0 = bytes[pos];
  if ((b0 & 0x80) !== 0) {
    F64_BYTES[7] = b0 & 0x7f;
    for (let k = 1; k < 8; k++) F64_BYTES[7 - k] = bytes[pos + k];
  } else {
    for (let k = 0; k < 8; k++) F64_BYTES[7 - k] = ~bytes[pos + k] & 0xff;
  }
  return F64[0];
}

/**
 * Writes `v` as 8 memcomparable bytes at `out[pos]`. Follows TiDB's `EncodeFloat` (`f >= 0`
 * picks the positive form), so -0 is written as +0; TiKV's test encoder writes -0 as the
 * inverted bits, which decode to -0.
 */
export function writeComparableF64(out: Uint8Array, pos: number, v: number): void {
  F64[0] = v;
  if (v >= 0) {
    out[pos] = F64_BYTES[7] | 0x80;
    for (let k = 1; k < 8; k++) out[pos + k] = F64_BYTES[7 - k];
  } else {
    for (let k = 0; k < 8; k++) out[pos + k] = ~F64_BYTES[7 - k] & 0xff;
  }
}

// ---- date and time ----------------------------------------------------------------------------

const TWO_17 = 131_072;
const TWO_24 = 16_777_216;
const FSP_TT_DATE = 0b1110;

/**
 * Converts a non-zero packed DATE/DATETIME (TiDB `ToPackedUint`: `((ymd << 17 | hms) << 24) |
 * micro`) given as words to the 64-bit Time layout, without validation, as TiKV's
 * `from_packed_u64` does for non-TIMESTAMP types (`Time::unchecked_new`). Returns the low word and
 * leaves the high word for {@link lastLayoutHi}. `fsp` is already checked (0..6).
 */
export function packedToLayoutLo(lo: number, hi: number, type: TimeType, fsp: number): number {
  // packed = ymd << 41 | hms << 24 | micro: ymd is the high word's top 23 bits, hms its low 9
  // bits and the low word's top 8, micro the low word's low 24 — integer operations only.
  const micro = lo & 0xff_ffff;
  const hms = ((hi & 0x1ff) << 8) | (lo >>> 24);
  const ymd = hi >>> 9;
  const day = ymd & 31;
  const ym = ymd >>> 5;
  const year = ((ym / 13) | 0) >>> 0;
  const month = ym - year * 13;
  const second = hms & 0x3f;
  const minute = (hms >>> 6) & 0x3f;
  const hour = hms >>> 12;
  const fspTt = type === TimeType.Date ? FSP_TT_DATE : fsp << 1;
  HI.layoutHi =
    ((year & 0x3fff) * 262_144 +
      (month & 0xf) * 16_384 +
      (day & 0x1f) * 512 +
      (hour & 0x1f) * 16 +
      (minute >>> 2)) >>>
    0;
  return (((minute & 3) << 30) | (second << 24) | ((micro & 0xfffff) << 4) | fspTt) >>> 0;
}

/** High word of the last {@link packedToLayoutLo}. */
export function lastLayoutHi(): number {
  return HI.layoutHi;
}

/**
 * The packed u64 of a DATE or DATETIME (not TIMESTAMP, which needs a zone) as words: returns the
 * low word and leaves the high word for {@link lastPackedHi}. The zero value packs to 0.
 */
export function timeToPackedLo(t: Time): number {
  if (t.isZero()) {
    HI.packedHi = 0;
    return 0;
  }
  const ymdhms =
    ((t.year * 13 + t.month) * 32 + t.day) * TWO_17 + ((t.hour << 12) | (t.minute << 6) | t.second);
  HI.packedHi = Math.floor(ymdhms / 256);
  return (ymdhms % 256) * TWO_24 + t.micro;
}

/** High word of the last {@link timeToPackedLo}. */
export function lastPackedHi(): number {
  return HI.packedHi;
}

// ---- durations --------------------------------------------------------------------------------

const TEN_POW = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

/**
 * `nanos` rounded half away from zero to `fsp` digits with TiKV `Duration::from_nanos`'s range
 * checks, or NaN when out of range (the caller raises the error). No allocation.
 */
export function roundDurationNanos(nanos: number, fsp: number): number {
  if (!(nanos >= -MAX_DURATION_NANOS && nanos <= MAX_DURATION_NANOS)) return Number.NaN;
  const step = TEN_POW[9 - fsp];
  const rem = nanos % step;
  if (rem === 0) return nanos + 0;
  const r = Math.abs(rem) < step / 2 ? nanos - rem : nanos - rem + step * Math.sign(nanos);
  return r >= -MAX_DURATION_NANOS && r <= MAX_DURATION_NANOS ? r : Number.NaN;
}

// ---- the value model --------------------------------------------------------------------------

/**
 * One column value as the encoder takes it (and a decoded default as the batch decoder takes
 * it), chosen per eval type so that every value is exact:
 *
 * | column type | value |
 * | --- | --- |
 * | NULL | `null` |
 * | integer types, YEAR, BIT | `bigint` or a safe-integer `number` (taken as its 64-bit pattern; UNSIGNED columns read it unsigned) |
 * | FLOAT, DOUBLE | `number` |
 * | DECIMAL | `Decimal` |
 * | CHAR, VARCHAR, BINARY, TEXT, BLOB | `Uint8Array` (the stored bytes) or `string` (written as UTF-8) |
 * | DATE, DATETIME, TIMESTAMP | `Time` (a TIMESTAMP in the session zone) |
 * | TIME | `Duration` |
 * | JSON | `Uint8Array`: binary JSON, type byte then payload |
 * | ENUM | `Enum` or its index as a `number` |
 * | SET | `MySqlSet` or its mask as a `bigint`/`number` |
 * | VECTOR(FLOAT32) | `Float32Array` or `number[]` |
 */
export type RowV2Value =
  | null
  | number
  | bigint
  | string
  | Uint8Array
  | Decimal
  | Time
  | Duration
  | Enum
  | MySqlSet
  | Float32Array
  | readonly number[];

/**
 * A decoded value (see {@link decodeRowV2Value}): `bigint` for every integer type, YEAR and BIT
 * (unsigned for UNSIGNED columns and BIT), `number` for FLOAT/DOUBLE (`null` for a stored NaN, as
 * TiKV), `Decimal`, `Uint8Array` for strings and binary JSON (views into the row), `Time`,
 * `Duration`, `Enum`, `MySqlSet`, `Float32Array`; `null` for the NULL type.
 */
export type RowV2DecodedValue =
  | null
  | bigint
  | number
  | Uint8Array
  | Decimal
  | Time
  | Duration
  | Enum
  | MySqlSet
  | Float32Array;

/** Valid binary JSON type codes (TiDB `json_binary.go`). */
const JSON_TYPE_CODES = new Uint8Array(256);
for (const c of [0x01, 0x03, 0x04, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11])
  JSON_TYPE_CODES[c] = 1;

/** Throws unless `bytes[start..end)` can be a binary JSON value (a known type byte first). */
export function checkJsonValue(bytes: Uint8Array, start: number, end: number): void {
  if (end <= start) throw new CodecError(ROW_V2, "empty JSON value", start);
  if (JSON_TYPE_CODES[bytes[start]] === 0) {
    throw new CodecError(ROW_V2, `unknown JSON type code ${bytes[start]}`, start);
  }
}

/** Throws unless `len` bytes can be a float32 vector; returns the element count. */
export function vectorLength(bytes: Uint8Array, start: number, len: number): number {
  if (len === 0) return 0; // TiKV reads an empty value as the empty vector
  if (len < 4) throw new CodecError(ROW_V2, `vector value of ${len} bytes`, start);
  const n =
    (bytes[start] | (bytes[start + 1] << 8) | (bytes[start + 2] << 16) | (bytes[start + 3] << 24)) >>> 0;
  if (len !== 4 + n * 4) {
    throw new CodecError(ROW_V2, `vector of ${n} elements in ${len} bytes`, start);
  }
  return n;
}

const F32 = new Float32Array(1);
const F32_BYTES = new Uint8Array(F32.buffer);

/** Reads `n` little-endian float32 elements at `pos` into `out[at..]`. */
export function readF32s(bytes: Uint8Array, pos: number, n: number, out: Float32Array, at: number): void {
  for (let k = 0; k < n; k++) {
    const p = pos + 4 * k;
    F32_BYTES[0] = bytes[p];
    F32_BYTES[1] = bytes[p + 1];
    F32_BYTES[2] = bytes[p + 2];
    F32_BYTES[3] = bytes[p + 3];
    out[at + k] = F32[0];
  }
}

/**
 * Decodes one value's bytes (`bytes[start..end)`, a slice of a row's value area) as a column of
 * field type `ft`, with TiKV's rules: integers by length (1/2/4/8 bytes; any other length is an
 * error), FLOAT rounded to f32, a NaN double read as NULL, DECIMAL with its own precision and
 * fraction (exactly as many bytes as they need), DATE/DATETIME bits taken as they are, TIMESTAMP
 * converted from UTC to `ctx`'s zone (UTC without one), TIME rounded to the column's fsp, ENUM
 * indexes checked against the members. Every problem is a CodecError naming "row v2".
 */
export function decodeRowV2Value(
  bytes: Uint8Array,
  start: number,
  end: number,
  ft: FieldType,
  ctx?: EvalContext,
): RowV2DecodedValue {
  const kind = valueKindOf(ft);
  const len = end - start;
  try {
    switch (kind) {
      case K_INT:
        return BigInt(readCompactInt(bytes, start, len, true, "integer"));
      case K_UINT:
      case K_BIT:
        return BigInt(readCompactInt(bytes, start, len, false, "integer"));
      case K_REAL:
      case K_FLOAT: {
        if (len !== 8) throw new CodecError(ROW_V2, `float value has ${len} bytes, not 8`, start);
        const v = readComparableF64(bytes, start);
        if (Number.isNaN(v)) return null;
        return kind === K_FLOAT ? Math.fround(v) : v;
      }
      case K_DECIMAL:
        return readDecimalValue(bytes, start, end);
      case K_BYTES:
        return bytes.subarray(start, end);
      case K_DATE:
      case K_TIMESTAMP: {
        const lo = readCompactUintWords(bytes, start, len, "time");
        const hi = HI.wideHi;
        const type =
          ft.tp === FieldTypeTp.Date
            ? TimeType.Date
            : kind === K_DATE
              ? TimeType.DateTime
              : TimeType.Timestamp;
        return Time.fromPackedWords(ctx, lo, hi, type, ft.decimal ?? -1);
      }
      case K_DURATION: {
        const n = readCompactInt(bytes, start, len, true, "duration");
        return Duration.fromNanos(typeof n === "bigint" ? Number.NaN : n, ft.decimal ?? -1);
      }
      case K_JSON:
        checkJsonValue(bytes, start, end);
        return bytes.subarray(start, end);
      case K_ENUM: {
        const lo = readCompactUintWords(bytes, start, len, "enum");
        return Enum.fromStored(ft.elems ?? [], HI.wideHi === 0 ? lo : Number.POSITIVE_INFINITY);
      }
      case K_SET: {
        const lo = readCompactUintWords(bytes, start, len, "set");
        return MySqlSet.fromStored(ft.elems ?? [], lo, HI.wideHi);
      }
      case K_VECTOR: {
        const n = vectorLength(bytes, start, len);
        const out = new Float32Array(n);
        readF32s(bytes, start + 4, n, out, 0);
        return out;
      }
      default:
        return null;
    }
  } catch (e) {
    throw asRowV2Error(e, start);
  }
}

/** Reads a DECIMAL value: precision byte, fraction byte, then exactly the binary form. */
export function readDecimalValue(bytes: Uint8Array, start: number, end: number): Decimal {
  if (end - start < 3) throw new CodecError(ROW_V2, `decimal value of ${end - start} bytes`, start);
  const prec = bytes[start];
  const frac = bytes[start + 1];
  const { value, bytesRead } = Decimal.fromBin(bytes.subarray(0, end), start + 2, prec, frac);
  if (start + 2 + bytesRead !== end) {
    throw new CodecError(
      ROW_V2,
      `decimal(${prec}, ${frac}) uses ${bytesRead} of ${end - start - 2} bytes`,
      start,
    );
  }
  return value;
}

/**
 * Appends the DECIMAL value at `bytes[start..end)` (precision byte, fraction byte, binary form)
 * to `b` without making a Decimal. The binary form must use exactly the bytes its precision and
 * fraction call for; that is checked before anything is appended.
 */
export function appendDecimalValue(
  b: ChunkedVecDecimalBuilder,
  bytes: Uint8Array,
  start: number,
  end: number,
): void {
  if (end - start < 3) throw new CodecError(ROW_V2, `decimal value of ${end - start} bytes`, start);
  const prec = bytes[start];
  const frac = bytes[start + 1];
  const size = decimalBinSize(prec, frac);
  if (start + 2 + size !== end) {
    throw new CodecError(ROW_V2, `decimal(${prec}, ${frac}) uses ${size} of ${end - start - 2} bytes`, start);
  }
  b.appendBin(bytes, start + 2, prec, frac);
}

/**
 * Turns an error raised while decoding a value into a CodecError naming "row v2" (keeping the
 * original as `cause`); TiKV likewise reports every value that fails to decode as invalid data.
 * Non-copr errors (bugs) pass through unchanged.
 */
export function asRowV2Error(e: unknown, offset: number): unknown {
  if (e instanceof CodecError && e.format === ROW_V2) return e;
  if (e instanceof CodecError || e instanceof EvalError || e instanceof UnsupportedError) {
    return new CodecError(ROW_V2, `invalid value: ${e.message}`, offset, { cause: e });
  }
  return e;
}
