// Datums: one flag byte then a payload, the format of index keys, row format v1 values and many
// other keys. Encoding, decoding, skipping, and decoding straight into typed columns.
// Follows TiKV components/tidb_query_datatype/src/codec/{datum.rs,datum_codec.rs} and TiDB
// pkg/util/codec/{codec.go,codec_decode.go}.

import {
  type ChunkedVecBytesBuilder,
  type ChunkedVecDateTimeBuilder,
  type ChunkedVecDecimalBuilder,
  type ChunkedVecDurationBuilder,
  type ChunkedVecEnumBuilder,
  ChunkedVecIntBuilder,
  type ChunkedVecJsonBuilder,
  type ChunkedVecRealBuilder,
  type ChunkedVecSetBuilder,
  type ChunkedVecVectorFloat32Builder,
  CodecError,
  type Column,
  type ColumnBuilder,
  checkFsp,
  columnBuilderFor,
  Decimal,
  DecimalStatus,
  Duration,
  type EvalContext,
  EvalError,
  EvalType,
  evalTypeOf,
  type FieldType,
  FieldTypeTp,
  isCoprError,
  JsonType,
  MAX_DURATION_NANOS,
  MAX_FSP,
  Time,
  type TimeType,
  timeTypeOfTp,
  UNSPECIFIED_LENGTH,
} from "@copr/datatype";
import { ByteReader, ByteWriter } from "./buf.js";
import {
  comparableBytesEncodedLength,
  readCompactBytes,
  readComparableBytes,
  skipComparableBytes,
  writeCompactBytes,
  writeComparableBytes,
} from "./bytes.js";
import {
  i64WordsToBigInt,
  i64WordsToNumber,
  MAX_VARINT64_LENGTH,
  readF64,
  readI64,
  readI64Words,
  readU64,
  readVarInt,
  readVarIntWords,
  readVarUint,
  readVarUintSafe,
  readVarUintWords,
  skipVarInt,
  u64WordsToNumber,
  writeF64,
  writeI64,
  writeU64,
  writeVarInt,
  writeVarUint,
} from "./number.js";

// ---------------------------------------------------------------------------------------------
// Flags (TiKV datum.rs, TiDB codec.go).

/** Datum flag: NULL, no payload. */
export const NIL_FLAG = 0;
/** Datum flag: memcomparable bytes (key form of strings). */
export const BYTES_FLAG = 1;
/** Datum flag: compact bytes, var-int length + bytes (value form of strings). */
export const COMPACT_BYTES_FLAG = 2;
/** Datum flag: memcomparable i64, 8 bytes (key form of signed integers; durations in keys use DURATION_FLAG). */
export const INT_FLAG = 3;
/** Datum flag: big-endian u64, 8 bytes (key form of unsigned integers; also packed DATETIME in both forms). */
export const UINT_FLAG = 4;
/** Datum flag: memcomparable f64, 8 bytes (both forms). */
export const FLOAT_FLAG = 5;
/** Datum flag: decimal, precision byte + frac byte + MySQL binary decimal (both forms). */
export const DECIMAL_FLAG = 6;
/** Datum flag: duration nanoseconds as memcomparable i64, 8 bytes. */
export const DURATION_FLAG = 7;
/** Datum flag: var-int (zigzag), value form of signed integers. */
export const VAR_INT_FLAG = 8;
/** Datum flag: var-uint, value form of unsigned integers. */
export const VAR_UINT_FLAG = 9;
/** Datum flag: binary JSON, type byte + payload. */
export const JSON_FLAG = 10;
/** Datum flag: vector of float32, u32le count + f32le elements. */
export const VECTOR_FLOAT32_FLAG = 20;
/** Datum flag of the "max value" marker in range keys (never decoded). */
export const MAX_FLAG = 250;

// ---------------------------------------------------------------------------------------------
// Value model.

/**
 * A datum value (TiKV `Datum`), a tagged union on `kind`. Integers are exact bigints: datums are
 * built and read at the edges (range keys, test fixtures, single values), where exactness beats
 * speed; bulk decoding goes through {@link DatumColumnDecoder}, which never makes a bigint for a
 * value within ±(2^53 - 1).
 *
 * - `int` / `uint`: i64 / u64 values.
 * - `bytes`: a string or blob (the raw bytes, no collation key).
 * - `decimal`: `prec`/`frac` are the precision and fraction written in the header; when absent
 *   the encoder uses the value's own (`Decimal.precAndFrac`, as TiKV). Decoding fills them in.
 * - `duration`: encoded as its nanoseconds with DURATION_FLAG.
 * - `time`: a DATE/DATETIME/TIMESTAMP, encoded as its packed u64 with UINT_FLAG; it decodes
 *   back as `uint` (the bytes do not say it was a time).
 * - `json`: binary JSON, the type byte followed by the payload.
 * - `min` / `max`: range-key markers; `min` writes BYTES_FLAG alone and must be last.
 */
export type Datum =
  | { readonly kind: "null" }
  | { readonly kind: "int"; readonly value: bigint }
  | { readonly kind: "uint"; readonly value: bigint }
  | { readonly kind: "float"; readonly value: number }
  | { readonly kind: "bytes"; readonly value: Uint8Array }
  | { readonly kind: "decimal"; readonly value: Decimal; readonly prec?: number; readonly frac?: number }
  | { readonly kind: "duration"; readonly value: Duration }
  | { readonly kind: "time"; readonly value: Time }
  | { readonly kind: "json"; readonly value: Uint8Array }
  | { readonly kind: "vectorFloat32"; readonly value: Float32Array }
  | { readonly kind: "min" }
  | { readonly kind: "max" };

/** The `kind` of a {@link Datum}. */
export type DatumKind = Datum["kind"];

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const U64_MAX = (1n << 64n) - 1n;
const utf8 = new TextEncoder();

function toExactBigInt(v: number | bigint, min: bigint, max: bigint, what: string): bigint {
  if (typeof v === "number" && !Number.isSafeInteger(v)) {
    throw new RangeError(`${what} datum needs a safe integer or a bigint, got ${v}`);
  }
  const b = BigInt(v);
  if (b < min || b > max) throw new RangeError(`${what} datum ${b} is out of range`);
  return b;
}

/**
 * Constructors of {@link Datum} values. `int`/`uint` take a safe-integer number or a bigint and
 * throw a RangeError outside the i64/u64 range; `bytes` takes bytes or a string (UTF-8).
 */
export const Datum = {
  /** NULL. */
  NULL: { kind: "null" } as Datum,
  /** The range-key minimum (encoded as a lone BYTES_FLAG). */
  MIN: { kind: "min" } as Datum,
  /** The range-key maximum (MAX_FLAG). */
  MAX: { kind: "max" } as Datum,
  /** A signed 64-bit integer. */
  int(v: number | bigint): Datum {
    return { kind: "int", value: toExactBigInt(v, I64_MIN, I64_MAX, "int") };
  },
  /** An unsigned 64-bit integer. */
  uint(v: number | bigint): Datum {
    return { kind: "uint", value: toExactBigInt(v, 0n, U64_MAX, "uint") };
  },
  /** A double. */
  float(v: number): Datum {
    return { kind: "float", value: v };
  },
  /** A byte string (a JS string is encoded as UTF-8). */
  bytes(v: Uint8Array | string): Datum {
    return { kind: "bytes", value: typeof v === "string" ? utf8.encode(v) : v };
  },
  /** A decimal, optionally with the precision and fraction to encode it with. */
  decimal(v: Decimal, prec?: number, frac?: number): Datum {
    if (prec === undefined || frac === undefined) return { kind: "decimal", value: v };
    return { kind: "decimal", value: v, prec, frac };
  },
  /** A TIME value. */
  duration(v: Duration): Datum {
    return { kind: "duration", value: v };
  },
  /** A DATE/DATETIME/TIMESTAMP value. */
  time(v: Time): Datum {
    return { kind: "time", value: v };
  },
  /** A binary JSON value (type byte + payload). */
  json(v: Uint8Array): Datum {
    return { kind: "json", value: v };
  },
  /** A float32 vector. */
  vectorFloat32(v: ArrayLike<number>): Datum {
    return { kind: "vectorFloat32", value: Float32Array.from(v) };
  },
} as const;

// ---------------------------------------------------------------------------------------------
// Encoding.

/**
 * Writes one datum. `comparable` selects the key form (memcomparable: INT/UINT/BYTES flags) or
 * the value form (VAR_INT/VAR_UINT/COMPACT_BYTES); floats, decimals, durations, times, JSON and
 * vectors are the same in both. `ctx` gives the session time zone for TIMESTAMP values (which
 * are stored in UTC); without it they are taken as UTC. A decimal that does not fit its given
 * precision/fraction is an EvalError (overflow or truncation).
 */
export function writeDatum(w: ByteWriter, d: Datum, comparable: boolean, ctx?: EvalContext): void {
  switch (d.kind) {
    case "null":
      w.u8(NIL_FLAG);
      return;
    case "int":
      if (comparable) {
        w.u8(INT_FLAG);
        writeI64(w, d.value);
      } else {
        w.u8(VAR_INT_FLAG);
        writeVarInt(w, d.value);
      }
      return;
    case "uint":
      if (comparable) {
        w.u8(UINT_FLAG);
        writeU64(w, d.value);
      } else {
        w.u8(VAR_UINT_FLAG);
        writeVarUint(w, d.value);
      }
      return;
    case "float":
      w.u8(FLOAT_FLAG);
      writeF64(w, d.value);
      return;
    case "bytes":
      if (comparable) {
        w.u8(BYTES_FLAG);
        writeComparableBytes(w, d.value);
      } else {
        w.u8(COMPACT_BYTES_FLAG);
        writeCompactBytes(w, d.value);
      }
      return;
    case "decimal":
      w.u8(DECIMAL_FLAG);
      writeDecimalPayload(w, d.value, d.prec, d.frac);
      return;
    case "duration":
      w.u8(DURATION_FLAG);
      writeI64(w, d.value.nanos);
      return;
    case "time":
      w.u8(UINT_FLAG);
      writeU64(w, d.value.toPackedU64(ctx));
      return;
    case "json":
      w.u8(JSON_FLAG);
      w.bytes(d.value);
      return;
    case "vectorFloat32": {
      w.u8(VECTOR_FLOAT32_FLAG);
      const v = d.value;
      w.u32le(v.length);
      for (let i = 0; i < v.length; i++) w.f32le(v[i]);
      return;
    }
    case "min":
      // TiDB's MinNotNull: the BYTES flag with nothing after it sorts below every byte string.
      w.u8(BYTES_FLAG);
      return;
    case "max":
      w.u8(MAX_FLAG);
      return;
  }
}

function writeDecimalPayload(w: ByteWriter, d: Decimal, prec?: number, frac?: number): void {
  let p = prec;
  let f = frac;
  if (p === undefined || f === undefined) [p, f] = d.precAndFrac();
  if (!Number.isInteger(p) || !Number.isInteger(f) || p < 0 || p > 255 || f < 0 || f > 255) {
    throw new CodecError("datum", `decimal precision ${p} / fraction ${f} do not fit a byte`);
  }
  const r = d.toBin(p, f);
  if (r.status === DecimalStatus.Overflow) throw EvalError.overflow("DECIMAL", `(${p}, ${f})`);
  if (r.status !== DecimalStatus.Ok) throw EvalError.truncated();
  w.u8(p);
  w.u8(f);
  w.bytes(r.value);
}

/**
 * Writes a list of datums (TiKV `write_datum`). `min` must be the last one (a CodecError
 * otherwise), as TiKV and TiDB require.
 */
export function writeDatums(
  w: ByteWriter,
  values: readonly Datum[],
  comparable: boolean,
  ctx?: EvalContext,
): void {
  for (let i = 0; i < values.length; i++) {
    if (i > 0 && values[i - 1].kind === "min") {
      throw new CodecError("datum", "MinValue should be the last datum", w.length);
    }
    writeDatum(w, values[i], comparable, ctx);
  }
}

/** Upper bound of the bytes {@link writeDatums} writes for `values` (TiKV `approximate_size`). */
export function approximateDatumsSize(values: readonly Datum[], comparable: boolean): number {
  let n = 0;
  for (const d of values) {
    n += 1;
    switch (d.kind) {
      case "int":
      case "uint":
        n += comparable ? 8 : MAX_VARINT64_LENGTH;
        break;
      case "float":
      case "time":
      case "duration":
        n += 8;
        break;
      case "bytes":
        n += comparable ? comparableBytesEncodedLength(d.value.length) : d.value.length + MAX_VARINT64_LENGTH;
        break;
      case "decimal":
        n += 2 + 41;
        break;
      case "json":
        n += d.value.length;
        break;
      case "vectorFloat32":
        n += 4 + 4 * d.value.length;
        break;
      default:
        break;
    }
  }
  return n;
}

/** The datums in key form (`comparable`) or value form, as a new byte array. */
export function encodeDatums(values: readonly Datum[], comparable: boolean, ctx?: EvalContext): Uint8Array {
  const w = new ByteWriter(approximateDatumsSize(values, comparable));
  writeDatums(w, values, comparable, ctx);
  return w.finish();
}

/** The memcomparable key form of `values` (TiKV `encode_key`, TiDB `EncodeKey`). */
export function encodeKey(values: readonly Datum[], ctx?: EvalContext): Uint8Array {
  return encodeDatums(values, true, ctx);
}

/** The value form of `values` (TiKV `encode_value`, TiDB `EncodeValue`). */
export function encodeValue(values: readonly Datum[], ctx?: EvalContext): Uint8Array {
  return encodeDatums(values, false, ctx);
}

// ---------------------------------------------------------------------------------------------
// Decoding and skipping.

/**
 * Reads one datum (TiKV `read_datum`, TiDB `DecodeOne`). Times come back as `uint` and
 * durations with fsp 6 (the bytes carry no type); byte strings and JSON are copies. Unknown
 * flags (including MAX_FLAG, as in TiKV and TiDB), truncated or corrupt payloads are a CodecError
 * naming `r.format` and the offset.
 */
export function readDatum(r: ByteReader): Datum {
  const at = r.pos;
  try {
    return readDatumAt(r, at);
  } catch (e) {
    r.pos = at;
    throw rethrow(r, e, "bad datum", at);
  }
}

function readDatumAt(r: ByteReader, at: number): Datum {
  const flag = r.u8("datum flag");
  switch (flag) {
    case NIL_FLAG:
      return Datum.NULL;
    case INT_FLAG:
      return { kind: "int", value: readI64(r) };
    case UINT_FLAG:
      return { kind: "uint", value: readU64(r) };
    case VAR_INT_FLAG:
      return { kind: "int", value: readVarInt(r) };
    case VAR_UINT_FLAG:
      return { kind: "uint", value: readVarUint(r) };
    case FLOAT_FLAG:
      return { kind: "float", value: readF64(r) };
    case BYTES_FLAG:
      return { kind: "bytes", value: readComparableBytes(r) };
    case COMPACT_BYTES_FLAG:
      return { kind: "bytes", value: readCompactBytes(r).slice() };
    case DECIMAL_FLAG: {
      const { value, prec, frac } = readDecimalPayload(r);
      return { kind: "decimal", value, prec, frac };
    }
    case DURATION_FLAG: {
      const nanos = readDurationNanos(r, false);
      return { kind: "duration", value: durationOf(r, nanos, MAX_FSP, at) };
    }
    case JSON_FLAG: {
      const n = jsonValueLength(r);
      return { kind: "json", value: r.take(n, "json").slice() };
    }
    case VECTOR_FLOAT32_FLAG:
      return { kind: "vectorFloat32", value: readVectorFloat32(r) };
    default:
      throw r.error(`unsupported datum flag ${flag}`, at);
  }
}

/** Decodes every datum in `bytes` (TiKV `decode`); `format` names the input in errors. */
export function decodeDatums(bytes: Uint8Array, format = "datum"): Datum[] {
  const r = new ByteReader(bytes, format);
  const out: Datum[] = [];
  while (r.remaining > 0) out.push(readDatum(r));
  return out;
}

/**
 * Skips one datum without building its value (TiKV `split_datum` / TiDB `peek`); `desc` reads a
 * BYTES payload in descending form. Payloads are checked as far as needed to find their end
 * (markers and pad bytes of memcomparable bytes, var-int lengths, decimal header, JSON framing);
 * anything cut short or unknown is a CodecError and `r` does not move.
 */
export function skipDatum(r: ByteReader, desc = false): void {
  const at = r.pos;
  try {
    const flag = r.u8("datum flag");
    switch (flag) {
      case NIL_FLAG:
        return;
      case INT_FLAG:
      case UINT_FLAG:
      case FLOAT_FLAG:
      case DURATION_FLAG:
        r.skip(8, "datum payload");
        return;
      case BYTES_FLAG:
        skipComparableBytes(r, desc);
        return;
      case COMPACT_BYTES_FLAG:
        readCompactBytes(r);
        return;
      case VAR_INT_FLAG:
      case VAR_UINT_FLAG:
        skipVarInt(r);
        return;
      case DECIMAL_FLAG: {
        const [, , size] = readDecimalHeader(r);
        r.skip(size, "decimal");
        return;
      }
      case JSON_FLAG:
        r.skip(jsonValueLength(r), "json");
        return;
      case VECTOR_FLOAT32_FLAG: {
        if (r.remaining === 0) return;
        const n = r.u32le("vector length");
        r.skip(n * 4, "vector elements");
        return;
      }
      default:
        throw r.error(`unsupported datum flag ${flag}`, at);
    }
  } catch (e) {
    r.pos = at;
    throw e;
  }
}

/** Returns a view (no copy) of the whole next datum, flag included, and moves past it. */
export function splitDatum(r: ByteReader, desc = false): Uint8Array {
  const at = r.pos;
  skipDatum(r, desc);
  return r.bytes.subarray(at, r.pos);
}

/** Skips `n` datums (TiKV `skip_n`); fewer than `n` is a CodecError. */
export function skipDatums(r: ByteReader, n: number): void {
  for (let i = 0; i < n; i++) {
    if (r.remaining === 0) throw r.error(`datum ${i} of ${n} is missing`);
    skipDatum(r);
  }
}

// ---------------------------------------------------------------------------------------------
// Payload helpers.

/** Reads the two header bytes of a decimal and returns [prec, frac, binary size]. */
function readDecimalHeader(r: ByteReader): [number, number, number] {
  const at = r.pos;
  const prec = r.u8("decimal precision");
  const frac = r.u8("decimal fraction");
  const size = decimalSize(prec, frac);
  if (size <= 0) {
    r.pos = at;
    throw r.error(`bad decimal precision ${prec} / fraction ${frac}`, at);
  }
  return [prec, frac, size];
}

const DIG2BYTES = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];
const MAX_DECIMAL_WORDS = 9;

/**
 * The binary size of DECIMAL(prec, frac), or -1 when no value can have it: frac > prec, more than
 * nine words (TiKV), or precision 0 (never written; TiKV and TiDB disagree on its length).
 */
function decimalSize(prec: number, frac: number): number {
  if (frac > prec || prec === 0) return -1;
  const intDigits = prec - frac;
  const intWords = Math.floor(intDigits / 9);
  const fracWords = Math.floor(frac / 9);
  const intLeft = intDigits - intWords * 9;
  const fracLeft = frac - fracWords * 9;
  if (intWords + (intLeft > 0 ? 1 : 0) + fracWords + (fracLeft > 0 ? 1 : 0) > MAX_DECIMAL_WORDS) return -1;
  return intWords * 4 + DIG2BYTES[intLeft] + fracWords * 4 + DIG2BYTES[fracLeft];
}

function readDecimalPayload(r: ByteReader): { value: Decimal; prec: number; frac: number } {
  const at = r.pos;
  const [prec, frac, size] = readDecimalHeader(r);
  if (r.remaining < size) {
    r.pos = at;
    throw r.error(`truncated decimal(${prec}, ${frac}): need ${size} bytes`, at);
  }
  try {
    const { value, bytesRead } = Decimal.fromBin(r.bytes, r.pos, prec, frac);
    r.pos += bytesRead;
    return { value, prec, frac };
  } catch (e) {
    r.pos = at;
    throw rethrow(r, e, "bad decimal", at);
  }
}

/** Reads a decimal payload straight into a column builder (no Decimal object). */
function appendDecimalPayload(r: ByteReader, b: ChunkedVecDecimalBuilder): void {
  const at = r.pos;
  const [prec, frac, size] = readDecimalHeader(r);
  if (r.remaining < size) {
    r.pos = at;
    throw r.error(`truncated decimal(${prec}, ${frac}): need ${size} bytes`, at);
  }
  try {
    r.pos += b.appendBin(r.bytes, r.pos, prec, frac);
  } catch (e) {
    r.pos = at;
    throw rethrow(r, e, "bad decimal", at);
  }
}

/** Wraps any copr error raised while reading a payload into a CodecError of `r`'s format. */
function rethrow(r: ByteReader, e: unknown, detail: string, at: number): unknown {
  if (!isCoprError(e)) return e;
  if (e instanceof CodecError && e.format === r.format) return e;
  return new CodecError(r.format, `${detail}: ${e.message}`, at, { cause: e });
}

/** Reads duration nanoseconds (fixed memcomparable i64, or var-int); checks the TIME range. */
function readDurationNanos(r: ByteReader, varint: boolean): number {
  const at = r.pos;
  const lo = varint ? readVarIntWords(r) : readI64Words(r);
  const nanos = i64WordsToNumber(lo, r.hi);
  if (nanos === null || Math.abs(nanos) > MAX_DURATION_NANOS) {
    r.pos = at;
    const shown = nanos ?? i64WordsToBigInt(lo, r.hi);
    throw r.error(`duration ${shown}ns outside the TIME range`, at);
  }
  return nanos;
}

function durationOf(r: ByteReader, nanos: number, fsp: number, at: number): Duration {
  try {
    return Duration.fromNanos(nanos, fsp);
  } catch (e) {
    throw rethrow(r, e, "bad duration", at);
  }
}

/**
 * Length of the binary JSON value (type byte + payload) at `r.pos`, without moving `r`. Checks
 * the type code, the literal byte, an object/array size that at least covers its header, and
 * that the value fits in `r`. The inside of objects and arrays is not checked here.
 */
function jsonValueLength(r: ByteReader): number {
  const at = r.pos;
  const bytes = r.bytes;
  if (r.remaining < 1) throw r.error("truncated json: no type byte", at);
  const type = bytes[at];
  let n: number;
  switch (type) {
    case JsonType.Object:
    case JsonType.Array: {
      if (r.remaining < 9) throw r.error("truncated json container header", at);
      const size =
        (bytes[at + 5] | (bytes[at + 6] << 8) | (bytes[at + 7] << 16) | (bytes[at + 8] << 24)) >>> 0;
      if (size < 8) throw r.error(`json container size ${size} smaller than its header`, at);
      n = 1 + size;
      break;
    }
    case JsonType.Literal:
      if (r.remaining >= 2 && bytes[at + 1] > 2) throw r.error(`bad json literal ${bytes[at + 1]}`, at + 1);
      n = 2;
      break;
    case JsonType.I64:
    case JsonType.U64:
    case JsonType.Double:
    case JsonType.Date:
    case JsonType.Datetime:
    case JsonType.Timestamp:
      n = 9;
      break;
    case JsonType.Time:
      n = 13;
      break;
    case JsonType.String:
    case JsonType.Opaque: {
      const head = type === JsonType.String ? 1 : 2;
      if (r.remaining < head) throw r.error("truncated json opaque type", at);
      r.pos = at + head;
      try {
        const len = readVarUintSafe(r);
        n = r.pos - at + len;
      } finally {
        r.pos = at;
      }
      break;
    }
    default:
      throw r.error(`unknown json type ${type}`, at);
  }
  if (n > r.remaining) throw r.error(`truncated json: need ${n} bytes, ${r.remaining} left`, at);
  return n;
}

function readVectorFloat32(r: ByteReader): Float32Array {
  // As TiKV: a vector datum with nothing after the flag is the empty vector.
  if (r.remaining === 0) return new Float32Array(0);
  const at = r.pos;
  const n = r.u32le("vector length");
  if (n * 4 > r.remaining) {
    r.pos = at;
    throw r.error(`truncated vector: ${n} elements`, at);
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = r.f32le();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Decoding into columns.

const TWO_32 = 4_294_967_296;

/**
 * Decodes datums straight into a column of one field type (TiKV `RawDatumDecoder` as used by
 * the table and index scans and row format v1): create one per column and batch, call
 * {@link decode} per row, then {@link finish}. NULL datums become NULL rows. Which flags each
 * eval type accepts, as TiKV `datum_codec.rs` (extensions marked +):
 *
 * | eval type | flags |
 * | --------- | ----- |
 * | Int | INT, UINT, VAR_INT, VAR_UINT (+ BYTES/COMPACT_BYTES for BIT columns, big-endian ≤ 8 bytes) |
 * | Real | FLOAT (rounded to float32 for FLOAT columns; NaN becomes NULL, as TiKV) |
 * | Decimal | DECIMAL |
 * | Bytes | BYTES, COMPACT_BYTES |
 * | DateTime | UINT, VAR_UINT (packed u64; type and fsp from the field type; TIMESTAMP converted to the session zone) |
 * | Duration | DURATION, VAR_INT (+ INT); rounded to the column's fsp |
 * | Json | JSON |
 * | Enum | UINT, VAR_UINT, COMPACT_BYTES (holding a var-uint); index checked against the members |
 * | Set | UINT, VAR_UINT (+; TiKV cannot decode SET datums) |
 * | VectorFloat32 | VECTOR_FLOAT32 |
 *
 * Any other flag, a truncated or corrupt payload, or a value the column cannot hold is a
 * CodecError of the reader's format. Apart from DECIMAL (a Decimal per row), DATETIME (a Time
 * per row), vectors, and integers beyond ±(2^53 - 1) (a bigint), no value is allocated per row.
 */
export class DatumColumnDecoder {
  /** The field type the column is decoded as. */
  readonly fieldType: FieldType;
  /** Its eval type. */
  readonly evalType: EvalType;
  private readonly builder: ColumnBuilder;
  private readonly ctx: EvalContext | undefined;
  private readonly unsigned: boolean;
  private readonly isBit: boolean;
  private readonly isFloat32: boolean;
  private readonly timeType: TimeType | null;
  private readonly fsp: number;
  private readonly fspStep: number;
  private readonly elemCount: number;
  private scratch = new Uint8Array(64);

  /**
   * `ft`: the column's field type; `ctx`: evaluation settings (time zone for TIMESTAMP, sql mode
   * for zero dates), UTC/default without one; `capacity`: rows to preallocate. Throws an
   * UnsupportedError for a field type without an eval type, an EvalError for a bad fsp.
   * `builder`: append into this builder (made by `columnBuilderFor(ft)`) instead of a new one, so
   * that datums and another decoder can fill the same column (row v1 and v2 rows in one scan).
   */
  constructor(ft: FieldType, ctx?: EvalContext, capacity = 0, builder?: ColumnBuilder) {
    this.fieldType = ft;
    this.evalType = evalTypeOf(ft);
    this.builder = builder ?? columnBuilderFor(ft, capacity);
    this.ctx = ctx;
    this.unsigned = this.builder instanceof ChunkedVecIntBuilder && this.builder.unsigned;
    this.isBit = ft.tp === FieldTypeTp.Bit;
    this.isFloat32 = ft.tp === FieldTypeTp.Float;
    const isTime = this.evalType === EvalType.DateTime;
    this.timeType = isTime ? timeTypeOfTp(ft.tp) : null;
    this.fsp = isTime || this.evalType === EvalType.Duration ? checkFsp(ft.decimal ?? UNSPECIFIED_LENGTH) : 0;
    this.fspStep = 10 ** (9 - this.fsp);
    this.elemCount = ft.elems?.length ?? 0;
  }

  /** Rows decoded so far. */
  get length(): number {
    return this.builder.length;
  }

  /** Appends a NULL row (e.g. a column missing from a row). */
  appendNull(): void {
    this.builder.appendNull();
  }

  /** Decodes the datum at `r.pos` into the next row and moves `r` past it. */
  decode(r: ByteReader): void {
    const at = r.pos;
    const flag = r.u8("datum flag");
    if (flag === NIL_FLAG) {
      this.builder.appendNull();
      return;
    }
    try {
      this.decodeValue(r, flag, at);
    } catch (e) {
      r.pos = at;
      throw rethrow(r, e, `cannot decode datum as ${this.evalType}`, at);
    }
  }

  /** Decodes the datum in `bytes[start, end)` (one ByteReader per call; prefer {@link decode}). */
  decodeBytes(bytes: Uint8Array, start = 0, end = bytes.length, format = "datum"): void {
    this.decode(new ByteReader(bytes, format, start, end));
  }

  /** The column of the rows decoded so far; the decoder is empty afterwards. */
  finish(): Column {
    return this.builder.finish();
  }

  private unsupported(r: ByteReader, flag: number, at: number): CodecError {
    return r.error(`unsupported datum flag ${flag} for ${this.evalType} column`, at);
  }

  private decodeValue(r: ByteReader, flag: number, at: number): void {
    const b = this.builder;
    switch (this.evalType) {
      case EvalType.Int: {
        let lo: number;
        if (flag === INT_FLAG) lo = readI64Words(r);
        else if (flag === UINT_FLAG) lo = r.u64beWords("u64");
        else if (flag === VAR_INT_FLAG) lo = readVarIntWords(r);
        else if (flag === VAR_UINT_FLAG) lo = readVarUintWords(r);
        else if (this.isBit && (flag === BYTES_FLAG || flag === COMPACT_BYTES_FLAG))
          lo = this.bitWords(r, flag, at);
        else throw this.unsupported(r, flag, at);
        appendIntWords(b as ChunkedVecIntBuilder, lo, r.hi, this.unsigned);
        return;
      }
      case EvalType.Real: {
        if (flag !== FLOAT_FLAG) throw this.unsupported(r, flag, at);
        let v = readF64(r);
        if (this.isFloat32) v = Math.fround(v);
        if (Number.isNaN(v)) b.appendNull();
        else (b as ChunkedVecRealBuilder).append(v);
        return;
      }
      case EvalType.Decimal:
        if (flag !== DECIMAL_FLAG) throw this.unsupported(r, flag, at);
        appendDecimalPayload(r, b as ChunkedVecDecimalBuilder);
        return;
      case EvalType.Bytes: {
        const bb = b as ChunkedVecBytesBuilder;
        if (flag === COMPACT_BYTES_FLAG) {
          bb.append(readCompactBytes(r));
        } else if (flag === BYTES_FLAG) {
          const v = readComparableBytes(r, false, this.scratch);
          bb.append(v);
          if (v.buffer !== this.scratch.buffer) this.scratch = new Uint8Array(v.length * 2);
        } else {
          throw this.unsupported(r, flag, at);
        }
        return;
      }
      case EvalType.DateTime: {
        let lo: number;
        if (flag === UINT_FLAG) lo = r.u64beWords("u64");
        else if (flag === VAR_UINT_FLAG) lo = readVarUintWords(r);
        else throw this.unsupported(r, flag, at);
        const t = Time.fromPackedWords(this.ctx, lo, r.hi, this.timeType as TimeType, this.fsp);
        (b as ChunkedVecDateTimeBuilder).appendWords(t.lowWord(), t.highWord());
        return;
      }
      case EvalType.Duration: {
        let nanos: number;
        if (flag === DURATION_FLAG || flag === INT_FLAG) nanos = readDurationNanos(r, false);
        else if (flag === VAR_INT_FLAG) nanos = readDurationNanos(r, true);
        else throw this.unsupported(r, flag, at);
        if (nanos % this.fspStep !== 0) nanos = durationOf(r, nanos, this.fsp, at).nanos;
        (b as ChunkedVecDurationBuilder).appendNanos(nanos);
        return;
      }
      case EvalType.Json: {
        if (flag !== JSON_FLAG) throw this.unsupported(r, flag, at);
        const n = jsonValueLength(r);
        (b as ChunkedVecJsonBuilder).append(r.take(n, "json"));
        return;
      }
      case EvalType.Enum: {
        let lo: number;
        if (flag === UINT_FLAG) lo = r.u64beWords("u64");
        else if (flag === VAR_UINT_FLAG) lo = readVarUintWords(r);
        else if (flag === COMPACT_BYTES_FLAG) lo = this.enumFromCompact(r);
        else throw this.unsupported(r, flag, at);
        const index = u64WordsToNumber(lo, r.hi);
        if (index === null || index > this.elemCount) {
          throw r.error(`enum index ${index ?? "(> 2^53)"} outside the ${this.elemCount} members`, at);
        }
        (b as ChunkedVecEnumBuilder).appendIndex(index);
        return;
      }
      case EvalType.Set: {
        let lo: number;
        if (flag === UINT_FLAG) lo = r.u64beWords("u64");
        else if (flag === VAR_UINT_FLAG) lo = readVarUintWords(r);
        else throw this.unsupported(r, flag, at);
        (b as ChunkedVecSetBuilder).appendWords(lo, r.hi);
        return;
      }
      case EvalType.VectorFloat32:
        if (flag !== VECTOR_FLOAT32_FLAG) throw this.unsupported(r, flag, at);
        (b as ChunkedVecVectorFloat32Builder).append(readVectorFloat32(r));
        return;
    }
  }

  /** A BIT value stored as bytes: big-endian, at most 8 bytes; words as the other readers. */
  private bitWords(r: ByteReader, flag: number, at: number): number {
    const v = flag === BYTES_FLAG ? readComparableBytes(r, false, this.scratch) : readCompactBytes(r);
    if (v.length > 8) throw r.error(`BIT value of ${v.length} bytes`, at);
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < v.length; i++) {
      hi = ((hi << 8) | (lo >>> 24)) >>> 0;
      lo = ((lo << 8) | v[i]) >>> 0;
    }
    r.hi = hi;
    return lo;
  }

  /** TiKV `read_enum_compact_bytes`: compact bytes whose content starts with a var-uint. */
  private enumFromCompact(r: ByteReader): number {
    const inner = readCompactBytes(r);
    const sub = new ByteReader(inner, r.format);
    const lo = readVarUintWords(sub);
    r.hi = sub.hi;
    return lo;
  }
}

/** Appends 64-bit words to an Int builder as a number when exact, else as a bigint. */
function appendIntWords(b: ChunkedVecIntBuilder, lo: number, hi: number, unsigned: boolean): void {
  if (unsigned) {
    if (hi < 0x20_0000) {
      b.append(hi * TWO_32 + lo);
      return;
    }
  } else {
    const h = hi | 0;
    if (h >= -0x20_0000 && h < 0x20_0000) {
      b.append(h * TWO_32 + lo);
      return;
    }
  }
  const u = (BigInt(hi) << 32n) | BigInt(lo);
  b.append(unsigned ? u : BigInt.asIntN(64, u));
}

/**
 * Decodes a whole column from raw datums, one per row (`null` = a NULL row), e.g. the values of
 * one column across rows. See {@link DatumColumnDecoder} for the accepted flags and errors.
 */
export function decodeDatumColumn(
  ft: FieldType,
  datums: readonly (Uint8Array | null)[],
  ctx?: EvalContext,
  format = "datum",
): Column {
  const dec = new DatumColumnDecoder(ft, ctx, datums.length);
  for (const d of datums) {
    if (d === null) dec.appendNull();
    else dec.decodeBytes(d, 0, d.length, format);
  }
  return dec.finish();
}
