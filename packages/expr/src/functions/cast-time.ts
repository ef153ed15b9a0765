// CAST to and from DATE/DATETIME/TIMESTAMP, TIME and JSON, after TiKV
// components/tidb_query_expr/src/impl_cast.rs (`cast_*_as_time`, `cast_*_as_duration`,
// `cast_any_as_json`, `cast_json_as_*`, and the `cast_any_as_any` / `cast_any_as_decimal`
// instances over Time, Duration and Json) and the conversions they rely on in
// tidb_query_datatype: convert.rs (`ToInt for JsonRef`, `StrToInt`), mysql/json/mod.rs
// (`ConvertTo<f64> for JsonRef`, `ConvertTo<Json>`), mysql/decimal.rs (`ConvertTo<Decimal> for
// JsonRef`), mysql/time/mod.rs (`ConvertTo<Duration> for Time`, `Time::from_duration`) and
// mysql/json/json_unquote.rs. The casts among Int, Real, Decimal and strings live in cast.ts.
import { decodeJsonBinary, encodeJsonBinary } from "@copr/codec";
import {
  Decimal,
  Duration,
  decimalResultInto,
  ERR_DATA_OUT_OF_RANGE,
  ERR_TRUNCATE_WRONG_VALUE,
  ERR_UNKNOWN,
  type EvalContext,
  EvalError,
  EvalType,
  FieldTypeFlag,
  isCoprError,
  Json,
  type JsonValue,
  jsonToString,
  rustF64String,
  Time,
  TimeType,
  timeTypeOfTp,
} from "@copr/datatype";
import { tipb } from "@copr/proto";
import {
  bytesLikeAsDuration,
  type CastMetadata,
  castFn,
  f64ToI64,
  f64ToU64,
  intResult,
  invalidTime,
  produceDecWithSpecifiedTp,
  rustTrim,
  strToF64,
  validFloatPrefix,
} from "./cast.js";

const S = tipb.ScalarFuncSig;
const { Int, Real, Decimal: Dec, DateTime, Duration: Dur, Json: JsonT } = EvalType;

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;
const UNSPECIFIED = -1;
const MS_PER_DAY = 86_400_000;
const NANOS_PER_DAY = 86_400_000_000_000;
const NANOS_PER_SEC = 1_000_000_000;

const retFsp = (meta: CastMetadata): number => meta.ret.decimal ?? UNSPECIFIED;

// ---------------------------------------------------------------------------------------------
// Time and Duration helpers

/** TiKV `ConvertTo<Duration> for Time`: the time of day, at the time's fsp; the zero time is 00:00:00. */
function timeToDuration(t: Time): Duration {
  if (t.isZero()) return Duration.zero();
  const secs = t.hour * 3600 + t.minute * 60 + t.second;
  return Duration.fromMicros(secs * 1_000_000 + t.micro, t.fsp);
}

/**
 * TiKV `Time::from_duration`: today's date (UTC, as TiKV reads its clock) plus the duration, as a
 * `type` value with the duration's fsp, checked as a new value (invalid → 1292).
 */
function timeFromDuration(ctx: EvalContext, d: Duration, type: TimeType): Time {
  const today = Math.floor(Date.now() / MS_PER_DAY);
  const dayOffset = Math.floor(d.nanos / NANOS_PER_DAY);
  const inDay = d.nanos - dayOffset * NANOS_PER_DAY;
  const date = new Date((today + dayOffset) * MS_PER_DAY);
  const secs = Math.floor(inDay / NANOS_PER_SEC);
  const fields = {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: Math.floor(secs / 3600),
    minute: Math.floor(secs / 60) % 60,
    second: secs % 60,
    micro: Math.floor((inDay % NANOS_PER_SEC) / 1000),
  };
  return Time.fromFields(ctx, fields, type, d.fsp);
}

/** TiKV `ConvertTo<Decimal> for Time`: YYYYMMDD[HHMMSS[.f…]]; the zero time is 0. */
function timeToDecimal(t: Time): Decimal {
  return t.isZero() ? Decimal.ZERO : Decimal.fromString(t.toDecimalString());
}

/** TiKV `ConvertTo<Decimal> for Duration`: [-]HHMMSS[.f…]. */
function durationToDecimal(d: Duration): Decimal {
  return Decimal.fromString(d.toNumericString());
}

/**
 * TiKV `ToInt for Duration::to_int`: rounded to whole seconds, then read as [-]HHMMSS. TiKV's
 * cast uses this signed conversion for UNSIGNED results too (`cast_any_as_any<Duration, Int>`).
 */
function durationToInt(ctx: EvalContext, d: Duration): bigint {
  return decimalResultInto(ctx, durationToDecimal(d.roundFrac(0)).toI64());
}

/** TiKV `cast_bytes_like_as_time`: 1690 → overflow handling, 1292 → truncation, both NULL. */
function textAsTime(ctx: EvalContext, meta: CastMetadata, text: string): Time | null {
  const type = timeTypeOfTp(meta.ret.tp);
  try {
    return Time.parse(ctx, text, type, retFsp(meta), true);
  } catch (e) {
    if (!isCoprError(e) || !(e instanceof EvalError)) throw e;
    if (e.code === ERR_DATA_OUT_OF_RANGE) {
      ctx.handleOverflowErr(e);
      return null;
    }
    if (e.code === ERR_TRUNCATE_WRONG_VALUE) {
      ctx.handleTruncateErr(e);
      return null;
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// JSON helpers

const jsonError = (message: string): EvalError => new EvalError(message, ERR_UNKNOWN);

/**
 * TiKV `unquote_string` (MySQL JSON_UNQUOTE escapes): `\"`, `\b`, `\f`, `\n`, `\r`, `\t`, `\\`,
 * `\uXXXX`; any other escaped character stands for itself. A trailing `\` or a bad `\u` escape
 * is an error (1105).
 */
export function unquoteJsonString(s: string): string {
  if (!s.includes("\\")) return s;
  let out = "";
  let i = 0;
  while (i < s.length) {
    const ch = s[i++];
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    if (i >= s.length) throw jsonError("Incomplete escaped sequence");
    const c = s[i++];
    switch (c) {
      case "b":
        out += "\b";
        break;
      case "f":
        out += "\f";
        break;
      case "n":
        out += "\n";
        break;
      case "r":
        out += "\r";
        break;
      case "t":
        out += "\t";
        break;
      case "u": {
        // The next four bytes, read as hexadecimal (Rust `u32::from_str_radix`, which takes a
        // leading `+`); a multi-byte character among them cannot be valid.
        const hex = s.slice(i, i + 4);
        if (hex.length < 4 || !/^\+?[0-9a-fA-F]+$/.test(hex)) {
          throw jsonError(`Invalid unicode: ${hex}`);
        }
        const cp = Number.parseInt(hex, 16);
        if (cp >= 0xd800 && cp <= 0xdfff) throw jsonError(`invalid char from: ${hex}`);
        out += String.fromCharCode(cp);
        i += 4;
        break;
      }
      default:
        out += c;
    }
  }
  return out;
}

/** TiKV `JsonRef::unquote`: strings unescaped, dates/times/opaque without their quotes, others as text. */
function jsonUnquote(j: JsonValue): string {
  if (j.kind === "string") return unquoteJsonString(j.value);
  const text = jsonToString(j);
  switch (j.kind) {
    case "date":
    case "datetime":
    case "timestamp":
    case "time":
    case "opaque":
      return text.slice(1, -1);
    default:
      return text;
  }
}

/** The Time of a JSON date/datetime/timestamp (TiKV `get_time`: the stored layout word as it is). */
const jsonTime = (j: { readonly time: bigint }): Time => Time.fromCoreU64(j.time);

/** The Duration of a JSON time (TiKV `get_duration`). */
const jsonDuration = (j: { readonly nanos: number; readonly fsp: number }): Duration =>
  Duration.fromNanos(j.nanos, j.fsp);

/** TiKV `ConvertTo<f64> for JsonRef` (TiDB `ConvertJSONToFloat`). */
function jsonToF64(ctx: EvalContext, j: JsonValue): number {
  switch (j.kind) {
    case "u64":
    case "i64":
      return Number(j.value);
    case "double":
      return j.value;
    case "literal":
      return j.value === true ? 1 : 0;
    case "string":
      return strToF64(ctx, j.value);
    default:
      ctx.handleTruncateErr(EvalError.truncatedWrongValue("Float", jsonToString(j)));
      return 0;
  }
}

/** Rust `str::parse::<i64>` / `parse::<u64>` of text made of an optional sign and digits; null on failure. */
function parseInteger(s: string, min: bigint, max: bigint): bigint | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const v = BigInt(s.charCodeAt(0) === 0x2b ? s.slice(1) : s);
  return v < min || v > max ? null : v;
}

/** TiKV `round_int_str`: `s` (an integer string) plus one in its last place when `next` is 5..9. */
function roundIntStr(next: string, s: string): string {
  if (next < "5") return s;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s[i];
    if (c !== "9" && c !== "+" && c !== "-") {
      return `${s.slice(0, i)}${String.fromCharCode(s.charCodeAt(i) + 1)}${"0".repeat(s.length - i - 1)}`;
    }
  }
  const signed = s.startsWith("+") || s.startsWith("-");
  return `${signed ? s[0] : ""}1${"0".repeat(signed ? s.length - 1 : s.length)}`;
}

/** TiKV `exp_float_str_to_int_str`: `vf` has an exponent at `eIdx`. */
function expFloatStrToIntStr(ctx: EvalContext, vf: string, eIdx: number, dotIdx: number): string {
  let digits: string;
  let intCnt: number;
  if (dotIdx < 0) {
    digits = vf.slice(0, eIdx);
    intCnt = digits.length;
  } else {
    digits = vf.slice(0, dotIdx);
    intCnt = digits.length;
    digits += vf.slice(dotIdx + 1, eIdx);
  }
  const exp = parseInteger(vf.slice(eIdx + 1), I64_MIN, I64_MAX);
  if (exp === null) return vf;
  const cnt = BigInt(intCnt) + exp;
  if (cnt > 21n) {
    // MaxUint64 has 20 digits, plus a sign: certainly out of range.
    ctx.warnings.add(EvalError.overflow("BIGINT", vf));
    return vf;
  }
  const n = Number(cnt);
  if (n <= 0) {
    const c = digits.charCodeAt(0);
    return n === 0 && c >= 0x30 && c <= 0x39 ? roundIntStr(digits[0], "0") : "0";
  }
  if (n === 1 && (digits[0] === "-" || digits[0] === "+")) {
    const intStr = `${digits[0]}0`;
    const res = digits.length > 1 ? roundIntStr(digits[1], intStr) : intStr;
    const head = res.slice(0, 2);
    return head === "+0" || head === "-0" ? "0" : res;
  }
  if (n <= digits.length) {
    const intStr = digits.slice(0, n);
    return n < digits.length ? roundIntStr(digits[n], intStr) : intStr;
  }
  return digits + "0".repeat(n - digits.length);
}

/** TiKV `no_exp_float_str_to_int_str`: rounds at the dot (half away from zero). */
function noExpFloatStrToIntStr(vf: string, dot: number): string {
  const signed = vf[0] === "+" || vf[0] === "-";
  const dotIdx = signed ? dot - 1 : dot;
  const digits = signed ? vf.slice(1) : vf;
  let intStr: string;
  if (vf[0] === "-") intStr = dotIdx === 0 ? "-0" : vf.slice(0, dotIdx + 1);
  else intStr = dotIdx === 0 ? "0" : digits.slice(0, dotIdx);
  const res = digits.length > dotIdx + 1 ? roundIntStr(digits[dotIdx + 1], intStr) : intStr;
  return res === "-0" ? "0" : res;
}

/**
 * TiKV `get_valid_int_prefix` outside a cast (TiDB `getValidIntPrefix`): the leading float,
 * rounded to an integer string; a truncation warning when anything was dropped.
 */
function validIntPrefix(ctx: EvalContext, s: string): string {
  const vf = validFloatPrefix(ctx, s);
  const dot = vf.lastIndexOf(".");
  const e = Math.max(vf.lastIndexOf("e"), vf.lastIndexOf("E"));
  if (e >= 0) return expFloatStrToIntStr(ctx, vf, e, dot);
  if (dot >= 0) return noExpFloatStrToIntStr(vf, dot);
  return vf;
}

/** TiKV `ToInt for &[u8]::to_int` (TiDB `StrToInt`) on decoded text, to BIGINT. */
function strToI64(ctx: EvalContext, text: string): bigint {
  const vs = validIntPrefix(ctx, rustTrim(text));
  const v = parseInteger(vs, I64_MIN, I64_MAX);
  if (v !== null) return v;
  ctx.handleOverflowErr(EvalError.overflow("BIGINT", vs));
  return vs.startsWith("-") ? I64_MIN : I64_MAX;
}

/** TiKV `ToInt for &[u8]::to_uint` (TiDB `StrToUint`) on decoded text, to BIGINT UNSIGNED. */
function strToU64(ctx: EvalContext, text: string): bigint {
  const vs = validIntPrefix(ctx, rustTrim(text));
  if (vs.startsWith("-")) {
    ctx.handleOverflowErr(EvalError.overflow("BIGINT UNSIGNED", vs));
    return 0n;
  }
  const v = parseInteger(vs, 0n, U64_MAX);
  if (v !== null) return v;
  ctx.handleOverflowErr(EvalError.overflow("BIGINT UNSIGNED", vs));
  return U64_MAX;
}

/** TiKV `ToInt for JsonRef` (TiDB `ConvertJSONToInt`): the i64 (or, `unsigned`, u64) bits. */
function jsonToInt(ctx: EvalContext, j: JsonValue, unsigned: boolean): bigint {
  switch (j.kind) {
    case "literal":
      return j.value === true ? 1n : 0n;
    case "i64":
    case "u64":
      return j.value;
    case "double":
      return unsigned ? f64ToU64(ctx, j.value) : f64ToI64(ctx, j.value);
    case "string":
      return unsigned ? strToU64(ctx, j.value) : strToI64(ctx, j.value);
    default:
      ctx.handleTruncateErr(EvalError.truncatedWrongValue("Integer", jsonToString(j)));
      return 0n;
  }
}

/** TiKV `ConvertTo<Decimal> for JsonRef` (TiDB `ConvertJSONToDecimal`). */
function jsonToDecimal(ctx: EvalContext, j: JsonValue): Decimal {
  if (j.kind === "string") {
    try {
      return Decimal.fromString(j.value);
    } catch (e) {
      if (!isCoprError(e) || !(e instanceof EvalError)) throw e;
      ctx.handleTruncateErr(e);
      return Decimal.ZERO;
    }
  }
  return Decimal.fromF64(jsonToF64(ctx, j));
}

const json = (v: JsonValue): Uint8Array => encodeJsonBinary(v);

/** JSON of a Time (TiKV `Json::from_time`): the type follows the value's own type. */
function timeToJson(t: Time): Uint8Array {
  const core = t.toCoreU64();
  if (t.type === TimeType.Date) return json(Json.date(core));
  return json(t.type === TimeType.DateTime ? Json.datetime(core) : Json.timestamp(core));
}

// ---------------------------------------------------------------------------------------------
// The functions

/** CASTs from and to DATE/DATETIME/TIMESTAMP, TIME and JSON; see cast.ts for the metadata. */
export class CastTimeFns {
  // --- to Time --------------------------------------------------------------------------------

  /**
   * DOUBLE → DATE/DATETIME/TIMESTAMP: 0 is the zero date; otherwise its decimal text is read as
   * a number (YYYYMMDD[HHMMSS][.f]). Invalid → NULL with a warning (an error in strict DML).
   */
  @castFn(S.CastRealAsTime, Real, DateTime)
  static castRealAsTime(ctx: EvalContext, meta: CastMetadata, v: number): Time | null {
    const type = timeTypeOfTp(meta.ret.tp);
    try {
      if (v === 0) return Time.zero(ctx, retFsp(meta), type);
      return Time.fromReal(ctx, v, type, retFsp(meta), true);
    } catch (e) {
      return invalidTime(ctx, e);
    }
  }

  /** DECIMAL → DATE/DATETIME/TIMESTAMP, read as a number like DOUBLE; invalid → NULL via ctx. */
  @castFn(S.CastDecimalAsTime, Dec, DateTime)
  static castDecimalAsTime(ctx: EvalContext, meta: CastMetadata, v: Decimal): Time | null {
    const type = timeTypeOfTp(meta.ret.tp);
    try {
      return Time.fromDecimalText(ctx, v.toString(), type, retFsp(meta), true);
    } catch (e) {
      return invalidTime(ctx, e);
    }
  }

  /**
   * DATE/DATETIME/TIMESTAMP → another of them, rounded to the result's fsp. A DATE or DATETIME
   * cannot become a TIMESTAMP this way (1105, as TiKV); a rounding failure is NULL via ctx.
   */
  @castFn(S.CastTimeAsTime, DateTime, DateTime)
  static castTimeAsTime(ctx: EvalContext, meta: CastMetadata, v: Time): Time | null {
    const t = v.withType(timeTypeOfTp(meta.ret.tp));
    try {
      return t.roundFrac(ctx, retFsp(meta));
    } catch (e) {
      return invalidTime(ctx, e);
    }
  }

  /** TIME → DATETIME: today's date (UTC) plus the duration, rounded to the result's fsp. */
  @castFn(S.CastDurationAsTime, Dur, DateTime)
  static castDurationAsTime(ctx: EvalContext, meta: CastMetadata, v: Duration): Time | null {
    const type = timeTypeOfTp(meta.ret.tp);
    try {
      return timeFromDuration(ctx, v, type).roundFrac(ctx, retFsp(meta));
    } catch (e) {
      return invalidTime(ctx, e);
    }
  }

  /**
   * JSON → DATE/DATETIME/TIMESTAMP: a JSON date/time keeps its value (only its type changes); a
   * JSON time is today plus it; a string is parsed (failures through ctx, NULL); anything else
   * is a truncation and NULL.
   */
  @castFn(S.CastJsonAsTime, JsonT, DateTime)
  static castJsonAsTime(ctx: EvalContext, meta: CastMetadata, v: Uint8Array): Time | null {
    const j = decodeJsonBinary(v);
    switch (j.kind) {
      case "date":
      case "datetime":
      case "timestamp":
        return jsonTime(j).withType(timeTypeOfTp(meta.ret.tp));
      case "time":
        return timeFromDuration(ctx, jsonDuration(j), timeTypeOfTp(meta.ret.tp)).roundFrac(ctx, retFsp(meta));
      case "string":
        return textAsTime(ctx, meta, jsonUnquote(j));
      default:
        // TiKV names DURATION here.
        ctx.handleTruncateErr(EvalError.truncatedWrongValue("DURATION", jsonToString(j)));
        return null;
    }
  }

  // --- to Duration ----------------------------------------------------------------------------

  /** INT → TIME as [-]HHHMMSS (or a YYYYMMDDHHMMSS datetime's time); out of range → NULL via ctx. */
  @castFn(S.CastIntAsDuration, Int, Dur)
  static castIntAsDuration(ctx: EvalContext, meta: CastMetadata, v: bigint): Duration | null {
    try {
      return Duration.fromI64(ctx, BigInt.asIntN(64, v), retFsp(meta));
    } catch (e) {
      if (!isCoprError(e) || !(e instanceof EvalError)) throw e;
      if (e.code === ERR_DATA_OUT_OF_RANGE) {
        ctx.handleOverflowErr(e);
        return null;
      }
      if (e.code === ERR_TRUNCATE_WRONG_VALUE) {
        ctx.handleTruncateErr(e);
        return null;
      }
      throw e;
    }
  }

  /** DOUBLE → TIME: its decimal text parsed as a TIME; beyond 838:59:59 is NULL (no clamping). */
  @castFn(S.CastRealAsDuration, Real, Dur)
  static castRealAsDuration(ctx: EvalContext, meta: CastMetadata, v: number): Duration | null {
    return bytesLikeAsDuration(ctx, meta, rustF64String(v), true);
  }

  /** DECIMAL → TIME: its text parsed as a TIME; beyond 838:59:59 is NULL (no clamping). */
  @castFn(S.CastDecimalAsDuration, Dec, Dur)
  static castDecimalAsDuration(ctx: EvalContext, meta: CastMetadata, v: Decimal): Duration | null {
    return bytesLikeAsDuration(ctx, meta, v.toString(), true);
  }

  /** DATE/DATETIME/TIMESTAMP → TIME: the time of day, rounded to the result's fsp. */
  @castFn(S.CastTimeAsDuration, DateTime, Dur)
  static castTimeAsDuration(_ctx: EvalContext, meta: CastMetadata, v: Time): Duration {
    return timeToDuration(v).roundFrac(retFsp(meta));
  }

  /** TIME → TIME, rounded (half away from zero) to the result's fsp. */
  @castFn(S.CastDurationAsDuration, Dur, Dur)
  static castDurationAsDuration(_ctx: EvalContext, meta: CastMetadata, v: Duration): Duration {
    return v.roundFrac(retFsp(meta));
  }

  /**
   * JSON → TIME: a JSON date/time gives its time of day; a JSON time itself (unrounded, as TiKV);
   * a string is parsed; anything else is a truncation and NULL.
   */
  @castFn(S.CastJsonAsDuration, JsonT, Dur)
  static castJsonAsDuration(ctx: EvalContext, meta: CastMetadata, v: Uint8Array): Duration | null {
    const j = decodeJsonBinary(v);
    switch (j.kind) {
      case "date":
      case "datetime":
      case "timestamp":
        return timeToDuration(jsonTime(j)).roundFrac(retFsp(meta));
      case "time":
        return jsonDuration(j);
      case "string":
        return bytesLikeAsDuration(ctx, meta, jsonUnquote(j), false);
      default:
        ctx.handleTruncateErr(EvalError.truncatedWrongValue("TIME", jsonToString(j)));
        return null;
    }
  }

  // --- Time / Duration to numbers ---------------------------------------------------------------

  /** DATE/DATETIME/TIMESTAMP → DOUBLE: YYYYMMDD[HHMMSS[.f]] (0 for the zero date). */
  @castFn(S.CastTimeAsReal, DateTime, Real)
  static castTimeAsReal(_ctx: EvalContext, _meta: CastMetadata, v: Time): number {
    return v.toF64();
  }

  /** DATE/DATETIME/TIMESTAMP → DECIMAL: YYYYMMDD[HHMMSS[.f]], fitted to the result type. */
  @castFn(S.CastTimeAsDecimal, DateTime, Dec)
  static castTimeAsDecimal(ctx: EvalContext, meta: CastMetadata, v: Time): Decimal {
    return produceDecWithSpecifiedTp(ctx, timeToDecimal(v), meta.ret);
  }

  /**
   * TIME → INT: rounded to whole seconds, as [-]HHMMSS. An UNSIGNED result gets the same bits
   * (a negative TIME wraps, without a warning), as TiKV.
   */
  @castFn(S.CastDurationAsInt, Dur, Int)
  static castDurationAsInt(ctx: EvalContext, meta: CastMetadata, v: Duration): bigint {
    return intResult(meta, durationToInt(ctx, v));
  }

  /** TIME → DOUBLE: [-]HHMMSS[.f]. */
  @castFn(S.CastDurationAsReal, Dur, Real)
  static castDurationAsReal(_ctx: EvalContext, _meta: CastMetadata, v: Duration): number {
    return v.toF64();
  }

  /** TIME → DECIMAL: [-]HHMMSS[.f], fitted to the result type. */
  @castFn(S.CastDurationAsDecimal, Dur, Dec)
  static castDurationAsDecimal(ctx: EvalContext, meta: CastMetadata, v: Duration): Decimal {
    return produceDecWithSpecifiedTp(ctx, durationToDecimal(v), meta.ret);
  }

  // --- JSON to numbers ------------------------------------------------------------------------

  /**
   * JSON → INT: literals 0/1, integers as they are (bits), doubles rounded, strings read as
   * numbers (rounded); objects, arrays and others are a truncation and 0.
   */
  @castFn(S.CastJsonAsInt, JsonT, Int)
  static castJsonAsInt(ctx: EvalContext, meta: CastMetadata, v: Uint8Array): bigint {
    return intResult(meta, jsonToInt(ctx, decodeJsonBinary(v), meta.retUnsigned));
  }

  /** JSON → DOUBLE: numbers and literals as numbers, strings read as floats, others 0 with a truncation. */
  @castFn(S.CastJsonAsReal, JsonT, Real)
  static castJsonAsReal(ctx: EvalContext, _meta: CastMetadata, v: Uint8Array): number {
    return jsonToF64(ctx, decodeJsonBinary(v));
  }

  /** JSON → DECIMAL: a string parsed strictly (else 0 via truncation), others through DOUBLE; fitted. */
  @castFn(S.CastJsonAsDecimal, JsonT, Dec)
  static castJsonAsDecimal(ctx: EvalContext, meta: CastMetadata, v: Uint8Array): Decimal {
    return produceDecWithSpecifiedTp(ctx, jsonToDecimal(ctx, decodeJsonBinary(v)), meta.ret);
  }

  // --- to JSON --------------------------------------------------------------------------------

  /** INT → JSON: a boolean (IsBoolean flag) as true/false, UNSIGNED as u64, others as i64. */
  @castFn(S.CastIntAsJson, Int, JsonT)
  static castIntAsJson(_ctx: EvalContext, meta: CastMetadata, v: bigint): Uint8Array {
    if (((meta.from.flag ?? 0) & FieldTypeFlag.IsBoolean) !== 0) return json(Json.bool(v !== 0n));
    if (meta.fromUnsigned) return json(Json.u64(BigInt.asUintN(64, v)));
    return json(Json.i64(BigInt.asIntN(64, v)));
  }

  /** DOUBLE → JSON double. */
  @castFn(S.CastRealAsJson, Real, JsonT)
  static castRealAsJson(_ctx: EvalContext, _meta: CastMetadata, v: number): Uint8Array {
    return json(Json.double(v));
  }

  /** DECIMAL → JSON double (TiKV does not keep a JSON decimal). */
  @castFn(S.CastDecimalAsJson, Dec, JsonT)
  static castDecimalAsJson(_ctx: EvalContext, _meta: CastMetadata, v: Decimal): Uint8Array {
    return json(Json.double(v.toF64()));
  }

  /** DATE/DATETIME/TIMESTAMP → JSON date/datetime/timestamp. */
  @castFn(S.CastTimeAsJson, DateTime, JsonT)
  static castTimeAsJson(_ctx: EvalContext, _meta: CastMetadata, v: Time): Uint8Array {
    return timeToJson(v);
  }

  /** TIME → JSON time (nanoseconds and fsp). */
  @castFn(S.CastDurationAsJson, Dur, JsonT)
  static castDurationAsJson(_ctx: EvalContext, _meta: CastMetadata, v: Duration): Uint8Array {
    return json(Json.time(v.nanos, v.fsp));
  }

  /** JSON → JSON: unchanged. */
  @castFn(S.CastJsonAsJson, JsonT, JsonT)
  static castJsonAsJson(_ctx: EvalContext, _meta: CastMetadata, v: Uint8Array): Uint8Array {
    return v;
  }
}
