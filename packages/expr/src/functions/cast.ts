// CAST between Int, Real, Decimal, String, Time, Duration and Json, after TiKV
// components/tidb_query_expr/src/impl_cast.rs (`get_cast_fn_rpn_meta`, `cast_*`) and
// tidb_query_datatype/src/codec/convert.rs (`ToInt`, `produce_*_with_specified_tp`,
// `get_valid_*_prefix`).
//
// TiKV picks the implementation from the argument's and the result's field types (signedness,
// YEAR/BIT/FLOAT sources, binary-string constants), not from the sig alone; here each sig has one
// function and its metadata carries those facts, decided once per expression. `in_union` comes
// from `tipb.InUnionMetadata` in the expression's `val`, as TiKV decodes it.
//
// The casts to and from Time, Duration and Json other than those through strings and integers
// live in cast-time.ts, which reuses the helpers exported here.
import { decodeJsonBinary, encodeJsonBinary } from "@copr/codec";
import {
  Collation,
  collationOf,
  Decimal,
  Duration,
  decimalFromBytes,
  decimalResultInto,
  ERR_DATA_OUT_OF_RANGE,
  ERR_TRUNCATE_WRONG_VALUE,
  type EvalContext,
  EvalError,
  EvalFlag,
  EvalType,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldTypeTpName,
  isCoprError,
  isStringLike,
  isUnsigned,
  Json,
  jsonToString,
  nextUtf8Char,
  parseJson,
  RoundMode,
  rustF64String,
  Time,
  timeTypeOfTp,
} from "@copr/datatype";
import { tipb } from "@copr/proto";
import { ExprError } from "../errors.js";
import { fieldTypeFromPb } from "../field-type.js";
import { rpnFn } from "../registry.js";

const S = tipb.ScalarFuncSig;
const { Int, Real, Decimal: Dec, Bytes, DateTime, Duration: Dur, Json: JsonT } = EvalType;

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;
const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;
const UNSPECIFIED = -1;

// ---------------------------------------------------------------------------------------------
// Metadata

/** What a cast needs to know about its expression, decided once (TiKV `get_cast_fn_rpn_meta`). */
export interface CastMetadata {
  /** The result field type (TiKV `extra.ret_field_type`). */
  readonly ret: FieldType;
  /** The argument's field type. */
  readonly from: FieldType;
  readonly retUnsigned: boolean;
  readonly fromUnsigned: boolean;
  /** `tipb.InUnionMetadata.in_union`: a negative value cast to UNSIGNED inside a UNION is 0. */
  readonly inUnion: boolean;
  /** The argument is a binary-string constant: read as a big-endian binary literal. */
  readonly binaryLiteral: boolean;
}

/** Reads `in_union` (field 1, varint) of a serialized `tipb.InUnionMetadata`; empty = false. */
export function decodeInUnion(val: Uint8Array | null | undefined): boolean {
  if (val == null || val.length === 0) return false;
  let pos = 0;
  let inUnion = false;
  const varint = (): number => {
    let shift = 0;
    let v = 0;
    for (;;) {
      if (pos >= val.length) throw new ExprError("Decode metadata failed: truncated varint");
      const b = val[pos++] as number;
      if (shift < 35) v += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return v;
      if (shift > 70) throw new ExprError("Decode metadata failed: varint too long");
    }
  };
  while (pos < val.length) {
    const tag = varint();
    const wire = tag % 8;
    const field = Math.floor(tag / 8);
    if (wire === 0) {
      const v = varint();
      if (field === 1) inUnion = v !== 0;
    } else if (wire === 1) pos += 8;
    else if (wire === 2) pos += varint();
    else if (wire === 5) pos += 4;
    else throw new ExprError(`Decode metadata failed: wire type ${wire}`);
    if (pos > val.length) throw new ExprError("Decode metadata failed: truncated field");
  }
  return inUnion;
}

const CONSTANT_TYPES = new Set<number>([
  tipb.ExprType.Null,
  tipb.ExprType.Int64,
  tipb.ExprType.Uint64,
  tipb.ExprType.String,
  tipb.ExprType.Bytes,
  tipb.ExprType.Float32,
  tipb.ExprType.Float64,
  tipb.ExprType.MysqlTime,
  tipb.ExprType.MysqlDuration,
  tipb.ExprType.MysqlDecimal,
  tipb.ExprType.MysqlJson,
  tipb.ExprType.MysqlEnum,
  tipb.ExprType.TiDBVectorFloat32,
]);

/** TiKV `is_binary_string_like`: a string type with the binary collation. */
function isBinaryStringLike(ft: FieldType): boolean {
  let c: Collation;
  try {
    c = collationOf(ft);
  } catch {
    return false;
  }
  return c === Collation.Binary && isStringLike(ft);
}

/** Builds a cast's {@link CastMetadata} from its `tipb.Expr`. */
export function castMetadata(expr: tipb.Expr.$Properties): CastMetadata {
  const child = expr.children?.[0];
  if (expr.children?.length !== 1 || child === undefined) {
    throw new ExprError(`Unexpected arguments: sig ${expr.sig} with ${expr.children?.length ?? 0} args`);
  }
  const ret = fieldTypeFromPb(expr.fieldType ?? {});
  const from = fieldTypeFromPb(child.fieldType ?? {});
  const fromConstant = CONSTANT_TYPES.has(child.tp ?? tipb.ExprType.Null);
  return {
    ret,
    from,
    retUnsigned: isUnsigned(ret),
    fromUnsigned: isUnsigned(from),
    inUnion: decodeInUnion(expr.val),
    binaryLiteral: fromConstant && isBinaryStringLike(from),
  };
}

// ---------------------------------------------------------------------------------------------
// Number formatting and parsing as Rust does it

/** `x` (a float32 value) as Rust's `Display` for f32 prints it. */
export function rustF32String(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Number.POSITIVE_INFINITY) return "inf";
  if (x === Number.NEGATIVE_INFINITY) return "-inf";
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let exp = a.toExponential();
  for (let p = 0; p < 9; p++) {
    const e = a.toExponential(p);
    if (Math.fround(Number(e)) === a) {
      exp = e;
      break;
    }
  }
  return (neg ? "-" : "") + plainFromExponential(exp);
}

/** `d.ddde±n` → plain decimal notation, trailing fraction zeros removed. */
function plainFromExponential(s: string): string {
  const e = s.indexOf("e");
  const mant = s.slice(0, e);
  const exp = Number(s.slice(e + 1));
  let digits = mant.replace(".", "");
  digits = digits.replace(/0+$/, "");
  if (digits === "") return "0";
  const intLen = exp + 1;
  if (intLen >= digits.length) return digits + "0".repeat(intLen - digits.length);
  if (intLen > 0) return `${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
  return `0.${"0".repeat(-intLen)}${digits}`;
}

const UNICODE_WHITE_SPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005,
  0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

/** Rust `str::trim`: removes Unicode White_Space from both ends. */
export function rustTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && UNICODE_WHITE_SPACE.has(s.charCodeAt(a))) a++;
  while (b > a && UNICODE_WHITE_SPACE.has(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

const utf8Decoder = new TextDecoder("utf-8");
const utf8Encoder = new TextEncoder();
const lossyDecoder = new TextDecoder("utf-8", { fatal: false });

/** The length of the longest well-formed UTF-8 prefix of `s`. */
function validUtf8PrefixLength(s: Uint8Array): number {
  let pos = 0;
  while (pos < s.length) {
    if ((s[pos] as number) < 0x80) {
      pos++;
      continue;
    }
    const p = nextUtf8Char(s, pos, s.length);
    if (p < 0) return pos;
    pos += p >>> 21;
  }
  return pos;
}

/**
 * TiKV `get_valid_utf8_prefix`: the text of the well-formed UTF-8 prefix; a malformed byte is a
 * truncation (`Data Truncated`) through ctx.
 */
function validUtf8Prefix(ctx: EvalContext, s: Uint8Array): string {
  const n = validUtf8PrefixLength(s);
  if (n < s.length) ctx.handleTruncate(true);
  return utf8Decoder.decode(n === s.length ? s : s.subarray(0, n));
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * TiKV `get_valid_float_prefix` (not in a cast function): the longest prefix that reads as a
 * float, `"0"` if none; a truncation warning (`Truncated incorrect INTEGER value`, TiKV's text)
 * when anything was dropped.
 */
export function validFloatPrefix(ctx: EvalContext, s: string): string {
  let sawDot = false;
  let sawDigit = false;
  let validLen = 0;
  let eIdx = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2b || c === 0x2d) {
      if (i !== 0 && (eIdx === 0 || i !== eIdx + 1)) break;
    } else if (c === 0x2e) {
      if (sawDot || eIdx > 0) break;
      sawDot = true;
      if (sawDigit) validLen = i + 1;
    } else if (c === 0x65 || c === 0x45) {
      if (!sawDigit || eIdx !== 0) break;
      eIdx = i;
    } else if (!isDigit(c)) {
      break;
    } else {
      sawDigit = true;
      validLen = i + 1;
    }
  }
  if (validLen === 0 || validLen < s.length) {
    ctx.handleTruncateErr(EvalError.truncatedWrongValue("INTEGER", s));
  }
  return validLen === 0 ? "0" : s.slice(0, validLen);
}

/**
 * TiKV `get_valid_int_prefix_helper` in a cast function: an optional sign and digits, `"0"` if
 * none; a truncation warning when anything was dropped.
 */
function validIntPrefixForCast(ctx: EvalContext, s: string): string {
  let validLen = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c === 0x2b || c === 0x2d) && i === 0) continue;
    if (isDigit(c)) {
      validLen = i + 1;
      continue;
    }
    break;
  }
  if (validLen === 0 || validLen < s.length) {
    ctx.handleTruncateErr(EvalError.truncatedWrongValue("INTEGER", s));
  }
  return validLen === 0 ? "0" : s.slice(0, validLen);
}

/** TiKV `ConvertTo<f64> for &[u8]` (TiDB `StrToFloat`). */
function bytesToF64(ctx: EvalContext, bytes: Uint8Array): number {
  return strToF64(ctx, validUtf8Prefix(ctx, bytes));
}

/** {@link bytesToF64} on text already decoded (a JSON string's value). */
export function strToF64(ctx: EvalContext, text: string): number {
  const s = rustTrim(text);
  const vs = validFloatPrefix(ctx, s);
  const v = Number(vs);
  if (!Number.isFinite(v)) {
    ctx.handleTruncateErr(EvalError.truncatedWrongValue("DOUBLE", vs));
    return v < 0 ? -Number.MAX_VALUE : Number.MAX_VALUE;
  }
  return v;
}

/** TiKV `binary_literal::to_uint`: the bytes as a big-endian unsigned integer. */
function binaryLiteralToUint(ctx: EvalContext, bytes: Uint8Array): bigint {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const b = bytes.subarray(start);
  if (b.length === 0) return 0n;
  if (b.length > 8) {
    let hex = "0x";
    for (const x of b) hex += x.toString(16).padStart(2, "0");
    ctx.handleTruncateErr(EvalError.truncatedWrongValue("BINARY", hex));
    return U64_MAX;
  }
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Integer conversions (TiKV `ToInt`, target BIGINT)

/** TiKV's `overflow(val, tp)`: `constant <v> overflows <tp>` (1690). */
export function constantOverflow(v: string, tp: number): EvalError {
  return new EvalError(`constant ${v} overflows ${fieldTypeTpName(tp)}`, ERR_DATA_OUT_OF_RANGE);
}

/** Round half to even (Rust `f64::round_ties_even`). */
function roundTiesEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Round half away from zero (Rust `f64::round`). */
function roundHalfAway(x: number): number {
  if (!Number.isFinite(x)) return x;
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** Rust `f64 as i64`: truncates, saturates at the bounds. */
function f64AsI64(x: number): bigint {
  if (x >= TWO_63) return I64_MAX;
  if (x <= -TWO_63) return I64_MIN;
  return BigInt(Math.trunc(x));
}

/** TiKV `ToInt for f64::to_int` (TiDB `ConvertFloatToInt`) to BIGINT. */
export function f64ToI64(ctx: EvalContext, f: number): bigint {
  const val = roundTiesEven(f);
  if (val < -TWO_63) {
    ctx.handleOverflowErr(constantOverflow(rustF64String(val), FieldTypeTp.LongLong));
    return I64_MIN;
  }
  if (val >= TWO_63) {
    if (val !== TWO_63) ctx.handleOverflowErr(constantOverflow(rustF64String(val), FieldTypeTp.LongLong));
    return I64_MAX;
  }
  return BigInt(val);
}

/** TiKV `ToInt for f64::to_uint` (TiDB `ConvertFloatToUint`) to BIGINT UNSIGNED. */
export function f64ToU64(ctx: EvalContext, f: number): bigint {
  const val = roundHalfAway(f);
  if (val < 0) {
    ctx.handleOverflowErr(constantOverflow(rustF64String(val), FieldTypeTp.LongLong));
    return ctx.shouldClipToZero() ? 0n : BigInt.asUintN(64, f64AsI64(val));
  }
  if (val > TWO_64) {
    ctx.handleOverflowErr(constantOverflow(rustF64String(val), FieldTypeTp.LongLong));
    return U64_MAX;
  }
  if (val === TWO_64) return U64_MAX;
  return BigInt(val);
}

/** TiKV `ToInt for Decimal`: rounded to an integer, then to i64 (or u64). */
function decimalToInt(ctx: EvalContext, d: Decimal, unsigned: boolean): bigint {
  const rounded = decimalResultInto(
    ctx,
    d.round(0, RoundMode.HalfEven),
    undefined,
    EvalError.overflow("DECIMAL", ""),
  );
  const err = EvalError.truncatedWrongValue("DECIMAL", rounded.toString());
  return unsigned
    ? decimalResultInto(ctx, rounded.toU64(), undefined, err)
    : decimalResultInto(ctx, rounded.toI64(), undefined, err);
}

/** TiKV `ToInt for DateTime`: the time at fsp 0 as a number (YYYYMMDDHHMMSS). */
function timeToInt(ctx: EvalContext, t: Time, unsigned: boolean): bigint {
  const r = t.roundFrac(ctx, 0);
  const d = Decimal.fromString(r.toDecimalString());
  if (unsigned)
    return decimalResultInto(ctx, d.toU64(), undefined, EvalError.overflow("DECIMAL", d.toString()));
  return decimalResultInto(ctx, d.toI64());
}

/** The Int result as the SQL value of the result type: a u64 for UNSIGNED, an i64 otherwise. */
export const intResult = (meta: CastMetadata, bits: bigint): bigint =>
  meta.retUnsigned ? BigInt.asUintN(64, bits) : BigInt.asIntN(64, bits);

// ---------------------------------------------------------------------------------------------
// Fitting to the result type

/** TiKV `truncate_f64` (TiDB `TruncateFloat`): [value, overflowed]. */
function truncateF64(f: number, flen: number, decimal: number): [number, boolean] {
  if (Number.isNaN(f)) return [0, true];
  const shift = 10 ** decimal;
  const maxF = 10 ** (flen - decimal) - 1 / shift;
  let v = f;
  if (Number.isFinite(v)) {
    const tmp = v * shift;
    if (Number.isFinite(tmp)) v = roundHalfAway(tmp) / shift;
  }
  if (v > maxF) return [maxF, true];
  if (v < -maxF) return [-maxF, true];
  return [v, false];
}

/** TiKV `produce_float_with_specified_tp`: rounds to the result's (flen, decimal); UNSIGNED clips at 0. */
export function produceFloatWithSpecifiedTp(ctx: EvalContext, ft: FieldType, num: number): number {
  const flen = ft.flen ?? UNSPECIFIED;
  const decimal = ft.decimal ?? UNSPECIFIED;
  let res = num;
  if (flen !== UNSPECIFIED && decimal !== UNSPECIFIED) {
    const [v, overflow] = truncateF64(num, flen, decimal);
    if (overflow) ctx.handleOverflowErr(EvalError.overflow(rustF64String(num), "DOUBLE"));
    res = v;
  }
  if (isUnsigned(ft) && res < 0) {
    ctx.handleOverflowErr(constantOverflow(rustF64String(res), ft.tp));
    return 0;
  }
  return res;
}

/**
 * TiKV `produce_dec_with_specified_tp`: fits `dec` to DECIMAL(flen, decimal) — the largest value
 * of the type (overflow through ctx) when the integer part is too long, rounded (half away from
 * zero) to `decimal` digits with a truncation through ctx otherwise; UNSIGNED clips negatives to 0.
 */
export function produceDecWithSpecifiedTp(ctx: EvalContext, dec: Decimal, ft: FieldType): Decimal {
  const flen = ft.flen ?? UNSPECIFIED;
  const decimal = ft.decimal ?? UNSPECIFIED;
  let d = dec;
  if (flen !== UNSPECIFIED && decimal !== UNSPECIFIED) {
    if (flen < decimal) throw EvalError.mBiggerThanD("");
    const [prec, frac] = d.precAndFrac();
    if (!d.isZero() && prec - frac > flen - decimal) {
      ctx.handleOverflowErr(EvalError.overflow("Decimal", `(${flen}, ${decimal})`));
      d = Decimal.maxOrMin(d.isNegative(), flen, decimal);
    } else if (frac !== decimal) {
      const old = d;
      const rounded = decimalResultInto(
        ctx,
        d.round(decimal, RoundMode.HalfEven),
        undefined,
        EvalError.overflow("Decimal", `(${flen}, ${decimal})`),
      );
      if (!rounded.isZero() && frac > decimal && rounded.compare(old) !== 0) {
        if (ctx.hasFlag(EvalFlag.InInsertStmt) || ctx.hasFlag(EvalFlag.InUpdateOrDeleteStmt)) {
          ctx.warnings.add(EvalError.truncated());
        } else {
          ctx.handleTruncate(true);
        }
      }
      d = rounded;
    }
  }
  return isUnsigned(ft) && d.isNegative() ? Decimal.ZERO : d;
}

const MULTI_BYTES_CHARSETS = new Set(["utf8", "utf8mb4", "gbk", "gb18030"]);

/** Byte length of the maximal ill-formed subsequence at `pos` (Rust `from_utf8_lossy` segments). */
function invalidSequenceLength(s: Uint8Array, pos: number): number {
  const b0 = s[pos] as number;
  let lo = 0x80;
  let hi = 0xbf;
  let width: number;
  if (b0 >= 0xc2 && b0 <= 0xdf) width = 2;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    width = 3;
    if (b0 === 0xe0) lo = 0xa0;
    else if (b0 === 0xed) hi = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    width = 4;
    if (b0 === 0xf0) lo = 0x90;
    else if (b0 === 0xf4) hi = 0x8f;
  } else return 1;
  let n = 1;
  while (n < width && pos + n < s.length) {
    const b = s[pos + n] as number;
    if (b < lo || b > hi) break;
    lo = 0x80;
    hi = 0xbf;
    n++;
  }
  return n;
}

/**
 * TiKV `produce_str_with_specified_tp`: cuts the string to the result's flen (characters for
 * multi-byte charsets, bytes otherwise) with a `Data Too Long` truncation through ctx.
 * Characters are counted as Rust's lossy decoding does: a malformed sequence (and U+FFFD itself)
 * is one character of one byte for the cut, as TiKV counts it.
 */
export function produceStrWithSpecifiedTp(
  ctx: EvalContext,
  s: Uint8Array,
  ft: FieldType,
  padZero: boolean,
): Uint8Array {
  const flen = ft.flen ?? UNSPECIFIED;
  if (flen < 0) return s;
  if (MULTI_BYTES_CHARSETS.has(ft.charset ?? "")) {
    let chars = 0;
    let truncatePos = 0;
    let pos = 0;
    while (pos < s.length) {
      let len: number;
      let replacement: boolean;
      const b = s[pos] as number;
      if (b < 0x80) {
        len = 1;
        replacement = false;
      } else {
        const p = nextUtf8Char(s, pos, s.length);
        if (p >= 0) {
          len = p >>> 21;
          replacement = (p & 0x1fffff) === 0xfffd;
        } else {
          len = invalidSequenceLength(s, pos);
          replacement = true;
        }
      }
      if (chars < flen) truncatePos += replacement ? 1 : len;
      chars++;
      pos += len;
    }
    if (chars <= flen) return s;
    ctx.handleTruncateErr(EvalError.dataTooLong(`Data Too Long, field len ${flen}, data len ${chars}`));
    return truncatePos < s.length ? s.subarray(0, truncatePos) : s;
  }
  if (s.length > flen) {
    ctx.handleTruncateErr(EvalError.dataTooLong(`Data Too Long, field len ${flen}, data len ${s.length}`));
    return s.subarray(0, flen);
  }
  if (padZero && ft.tp === FieldTypeTp.String && s.length < flen && isBinaryStringLike(ft)) {
    const out = new Uint8Array(flen);
    out.set(s);
    return out;
  }
  return s;
}

/** TiKV `pad_zero_for_binary_type`: BINARY(n) results are padded with 0x00 to n bytes. */
function padZeroForBinaryType(s: Uint8Array, ft: FieldType): Uint8Array {
  const flen = ft.flen ?? UNSPECIFIED;
  if (flen < 0 || ft.tp !== FieldTypeTp.String || s.length >= flen) return s;
  let c: Collation;
  try {
    c = collationOf(ft);
  } catch {
    return s;
  }
  if (c !== Collation.Binary) return s;
  const out = new Uint8Array(flen);
  out.set(s);
  return out;
}

/** TiKV `cast_as_string_helper`: fit to flen, then pad BINARY. */
function castAsString(ctx: EvalContext, meta: CastMetadata, s: Uint8Array): Uint8Array {
  return padZeroForBinaryType(produceStrWithSpecifiedTp(ctx, s, meta.ret, false), meta.ret);
}

const ascii = (s: string): Uint8Array => utf8Encoder.encode(s);

// ---------------------------------------------------------------------------------------------
// String → Int

/** TiKV `cast_string_as_int` (non-literal strings). */
function stringToInt(ctx: EvalContext, meta: CastMetadata, bytes: Uint8Array): bigint {
  const unsigned = meta.retUnsigned;
  const val = rustTrim(validUtf8Prefix(ctx, bytes));
  const neg = val.startsWith("-");
  if (meta.inUnion && unsigned && neg) return 0n;
  const prefix = validIntPrefixForCast(ctx, val);
  const parsed = BigInt(prefix);
  const overflow = neg ? parsed < I64_MIN : parsed > U64_MAX;
  if (overflow) {
    const err = EvalError.overflow(neg ? "BIGINT UNSIGNED" : "BIGINT", prefix);
    try {
      ctx.handleOverflowErr(EvalError.truncatedWrongValue("INTEGER", val));
    } catch (e) {
      if (isCoprError(e)) throw err;
      throw e;
    }
    return intResult(meta, neg ? I64_MIN : U64_MAX);
  }
  if (!neg) {
    if (!unsigned && parsed > I64_MAX) ctx.warnings.add(EvalError.castAsSignedOverflow());
  } else if (unsigned) {
    ctx.warnings.add(EvalError.castNegIntAsUnsigned());
  }
  return intResult(meta, parsed);
}

// ---------------------------------------------------------------------------------------------
// Time and Duration from text

/** TiKV `cast_bytes_like_as_duration`: 1690 → overflow handling, 1292 → truncation, both NULL. */
export function bytesLikeAsDuration(
  ctx: EvalContext,
  meta: CastMetadata,
  text: string,
  overflowAsNull: boolean,
): Duration | null {
  try {
    return Duration.parse(ctx, text, meta.ret.decimal ?? UNSPECIFIED, { overflowAsNull });
  } catch (e) {
    if (!isCoprError(e)) throw e;
    const err = e as EvalError;
    if (err.code === ERR_DATA_OUT_OF_RANGE) {
      ctx.handleOverflowErr(err);
      return null;
    }
    if (err.code === ERR_TRUNCATE_WRONG_VALUE) {
      ctx.handleTruncateErr(err);
      return null;
    }
    throw e;
  }
}

/** An invalid-time error becomes a warning and NULL unless strict DML (TiKV `handle_invalid_time_error`). */
export function invalidTime(ctx: EvalContext, e: unknown): null {
  if (!isCoprError(e) || !(e instanceof EvalError)) throw e;
  ctx.handleInvalidTimeError(e);
  return null;
}

// ---------------------------------------------------------------------------------------------
// The functions

/** Registers a cast: non-NULL argument, with the EvalContext and the {@link CastMetadata}. */
export const castFn = (sig: number, arg: EvalType, ret: EvalType) =>
  rpnFn({ sig, args: [arg], ret, nonnull: true, ctx: true, metadata: castMetadata });

/** CAST functions; each takes the EvalContext, the {@link CastMetadata} and the (non-NULL) value. */
export class CastFns {
  // --- to Int ---------------------------------------------------------------------------------

  /** INT → INT: only a signed → UNSIGNED cast in a UNION changes a value (negatives to 0). */
  @castFn(S.CastIntAsInt, Int, Int)
  static castIntAsInt(_ctx: EvalContext, meta: CastMetadata, v: bigint): bigint {
    if (!meta.fromUnsigned && meta.retUnsigned && meta.inUnion && v < 0n) return 0n;
    return intResult(meta, v);
  }

  /** DOUBLE → INT: rounded half to even (signed) or half away from zero (UNSIGNED), clamped with overflow. */
  @castFn(S.CastRealAsInt, Real, Int)
  static castRealAsInt(ctx: EvalContext, meta: CastMetadata, v: number): bigint {
    if (meta.retUnsigned) {
      if (meta.inUnion && v < 0) return 0n;
      return intResult(meta, f64ToU64(ctx, v));
    }
    return intResult(meta, f64ToI64(ctx, v));
  }

  /** DECIMAL → INT: rounded half away from zero; out of range clamps with a 1292 overflow. */
  @castFn(S.CastDecimalAsInt, Dec, Int)
  static castDecimalAsInt(ctx: EvalContext, meta: CastMetadata, v: Decimal): bigint {
    if (meta.retUnsigned) {
      if (meta.inUnion && v.isNegative()) return 0n;
      return intResult(meta, decimalToInt(ctx, v, true));
    }
    return intResult(meta, decimalToInt(ctx, v, false));
  }

  /** String → INT: the leading integer; a binary-string constant reads as a binary literal. */
  @castFn(S.CastStringAsInt, Bytes, Int)
  static castStringAsInt(ctx: EvalContext, meta: CastMetadata, v: Uint8Array): bigint {
    if (meta.binaryLiteral) return intResult(meta, binaryLiteralToUint(ctx, v));
    return stringToInt(ctx, meta, v);
  }

  /** DATETIME → INT: YYYYMMDDHHMMSS (fraction rounded away). */
  @castFn(S.CastTimeAsInt, DateTime, Int)
  static castTimeAsInt(ctx: EvalContext, meta: CastMetadata, v: Time): bigint {
    return intResult(meta, timeToInt(ctx, v, meta.retUnsigned));
  }

  // --- to Real --------------------------------------------------------------------------------

  /** INT → DOUBLE (nearest double); signed → UNSIGNED in a UNION clips negatives to 0. */
  @castFn(S.CastIntAsReal, Int, Real)
  static castIntAsReal(_ctx: EvalContext, meta: CastMetadata, v: bigint): number {
    if (meta.fromUnsigned) return Number(BigInt.asUintN(64, v));
    if (!meta.retUnsigned) return Number(v);
    if (meta.inUnion && v < 0n) return 0;
    return Number(BigInt.asUintN(64, v));
  }

  /** DOUBLE → DOUBLE: unchanged, except negatives to UNSIGNED in a UNION. */
  @castFn(S.CastRealAsReal, Real, Real)
  static castRealAsReal(_ctx: EvalContext, meta: CastMetadata, v: number): number {
    if (meta.retUnsigned && meta.inUnion && v < 0) return 0;
    return v;
  }

  /** DECIMAL → DOUBLE: the nearest double. */
  @castFn(S.CastDecimalAsReal, Dec, Real)
  static castDecimalAsReal(_ctx: EvalContext, meta: CastMetadata, v: Decimal): number {
    if (meta.retUnsigned && meta.inUnion && v.isNegative()) return 0;
    return v.toF64();
  }

  /** String → DOUBLE: the leading float, fitted to the result's (flen, decimal). */
  @castFn(S.CastStringAsReal, Bytes, Real)
  static castStringAsReal(ctx: EvalContext, meta: CastMetadata, v: Uint8Array): number {
    let r: number;
    if (meta.binaryLiteral) {
      const u = binaryLiteralToUint(ctx, v);
      r = Number(meta.retUnsigned ? u : BigInt.asIntN(64, u));
    } else if (meta.retUnsigned) {
      r = bytesToF64(ctx, v);
      if (meta.inUnion && r < 0) r = 0;
    } else {
      r = v.length === 0 ? 0 : bytesToF64(ctx, v);
    }
    return produceFloatWithSpecifiedTp(ctx, meta.ret, r);
  }

  // --- to Decimal -----------------------------------------------------------------------------

  /** INT → DECIMAL, fitted to the result's (flen, decimal). */
  @castFn(S.CastIntAsDecimal, Int, Dec)
  static castIntAsDecimal(ctx: EvalContext, meta: CastMetadata, v: bigint): Decimal {
    let d: Decimal;
    if (meta.fromUnsigned) d = Decimal.fromU64(BigInt.asUintN(64, v));
    else if (meta.retUnsigned)
      d = meta.inUnion && v < 0n ? Decimal.ZERO : Decimal.fromU64(BigInt.asUintN(64, v));
    else d = Decimal.fromI64(v);
    return produceDecWithSpecifiedTp(ctx, d, meta.ret);
  }

  /** DOUBLE → DECIMAL (shortest digits of the double), fitted to the result type. */
  @castFn(S.CastRealAsDecimal, Real, Dec)
  static castRealAsDecimal(ctx: EvalContext, meta: CastMetadata, v: number): Decimal {
    const d = meta.inUnion && v < 0 ? Decimal.ZERO : Decimal.fromF64(v);
    return produceDecWithSpecifiedTp(ctx, d, meta.ret);
  }

  /** DECIMAL → DECIMAL, fitted to the result type. */
  @castFn(S.CastDecimalAsDecimal, Dec, Dec)
  static castDecimalAsDecimal(ctx: EvalContext, meta: CastMetadata, v: Decimal): Decimal {
    const d = meta.retUnsigned && meta.inUnion && v.isNegative() ? Decimal.ZERO : v;
    return produceDecWithSpecifiedTp(ctx, d, meta.ret);
  }

  /** String → DECIMAL: the leading number (TiKV's lenient parse), fitted to the result type. */
  @castFn(S.CastStringAsDecimal, Bytes, Dec)
  static castStringAsDecimal(ctx: EvalContext, meta: CastMetadata, v: Uint8Array): Decimal {
    let d = decimalFromBytes(ctx, v);
    if (meta.retUnsigned && meta.inUnion && d.isNegative()) d = Decimal.ZERO;
    return produceDecWithSpecifiedTp(ctx, d, meta.ret);
  }

  // --- to String ------------------------------------------------------------------------------

  /** INT → string: decimal digits (YEAR 0 as `0000`, BIT as its big-endian bytes). */
  @castFn(S.CastIntAsString, Int, Bytes)
  static castIntAsString(ctx: EvalContext, meta: CastMetadata, v: bigint): Uint8Array {
    const tp = meta.from.tp;
    if (tp === FieldTypeTp.Year) return castAsString(ctx, meta, ascii(v === 0n ? "0000" : String(v)));
    if (tp === FieldTypeTp.Bit) {
      const flen = meta.ret.flen ?? UNSPECIFIED;
      if (flen <= 0 || flen > 8) throw new ExprError(`Unsupported ret_field_type.Flen ${flen}`);
      const out = new Uint8Array(flen);
      let bits = BigInt.asUintN(64, v);
      for (let i = 7; i >= 0; i--) {
        if (i >= 8 - flen) out[i - (8 - flen)] = Number(bits & 0xffn);
        bits >>= 8n;
      }
      return out;
    }
    const text = meta.fromUnsigned ? String(BigInt.asUintN(64, v)) : String(BigInt.asIntN(64, v));
    return castAsString(ctx, meta, ascii(text));
  }

  /** DOUBLE → string as Rust prints it (no exponent); a FLOAT source prints its float32 digits. */
  @castFn(S.CastRealAsString, Real, Bytes)
  static castRealAsString(ctx: EvalContext, meta: CastMetadata, v: number): Uint8Array {
    const text = meta.from.tp === FieldTypeTp.Float ? rustF32String(Math.fround(v)) : rustF64String(v);
    return castAsString(ctx, meta, ascii(text));
  }

  /** DECIMAL → string: all its fraction digits. */
  @castFn(S.CastDecimalAsString, Dec, Bytes)
  static castDecimalAsString(ctx: EvalContext, meta: CastMetadata, v: Decimal): Uint8Array {
    return castAsString(ctx, meta, ascii(v.toStringValue()));
  }

  /** String → string: fitted to the result's length; BINARY(n) padded with zero bytes. */
  @castFn(S.CastStringAsString, Bytes, Bytes)
  static castStringAsString(ctx: EvalContext, meta: CastMetadata, v: Uint8Array): Uint8Array {
    return castAsString(ctx, meta, v);
  }

  /** DATE/DATETIME/TIMESTAMP → string. */
  @castFn(S.CastTimeAsString, DateTime, Bytes)
  static castTimeAsString(ctx: EvalContext, meta: CastMetadata, v: Time): Uint8Array {
    return castAsString(ctx, meta, ascii(v.toString()));
  }

  /** TIME → string. */
  @castFn(S.CastDurationAsString, Dur, Bytes)
  static castDurationAsString(ctx: EvalContext, meta: CastMetadata, v: Duration): Uint8Array {
    return castAsString(ctx, meta, ascii(v.toString()));
  }

  /** JSON → its text (TiKV does not fit it to the result's length). */
  @castFn(S.CastJsonAsString, JsonT, Bytes)
  static castJsonAsString(_ctx: EvalContext, _meta: CastMetadata, v: Uint8Array): Uint8Array {
    return utf8Encoder.encode(jsonToString(decodeJsonBinary(v)));
  }

  // --- to Time / Duration / Json --------------------------------------------------------------

  /** String → DATE/DATETIME/TIMESTAMP; an invalid value is NULL with a warning (error in strict DML). */
  @castFn(S.CastStringAsTime, Bytes, DateTime)
  static castStringAsTime(ctx: EvalContext, meta: CastMetadata, v: Uint8Array): Time | null {
    const text = lossyDecoder.decode(v);
    try {
      return Time.parse(ctx, text, timeTypeOfTp(meta.ret.tp), meta.ret.decimal ?? UNSPECIFIED, true);
    } catch (e) {
      return invalidTime(ctx, e);
    }
  }

  /**
   * INT → DATE/DATETIME/TIMESTAMP as YYYYMMDD[HHMMSS]; invalid → `Incorrect datetime value`, NULL.
   * A YEAR is that year's `YYYY-00-00` (outside 1901..2155 and not 0: a truncation, NULL).
   */
  @castFn(S.CastIntAsTime, Int, DateTime)
  static castIntAsTime(ctx: EvalContext, meta: CastMetadata, v: bigint): Time | null {
    const type = timeTypeOfTp(meta.ret.tp);
    const fsp = meta.ret.decimal ?? UNSPECIFIED;
    const i = BigInt.asIntN(64, v);
    if (meta.from.tp === FieldTypeTp.Year) {
      if (i !== 0n && (i < 1901n || i > 2155n)) {
        ctx.handleTruncateErr(EvalError.truncatedWrongValue("YEAR", String(i)));
        return null;
      }
      const fields = { year: Number(i), month: 0, day: 0, hour: 0, minute: 0, second: 0, micro: 0 };
      return Time.fromFields(ctx, fields, type, fsp);
    }
    try {
      return Time.fromI64(ctx, i, type, fsp);
    } catch (e) {
      if (!isCoprError(e)) throw e;
      ctx.handleInvalidTimeError(EvalError.incorrectDatetimeValue(String(i)));
      return null;
    }
  }

  /** String → TIME; an overflow or a malformed value is NULL through ctx. */
  @castFn(S.CastStringAsDuration, Bytes, Dur)
  static castStringAsDuration(ctx: EvalContext, meta: CastMetadata, v: Uint8Array): Duration | null {
    return bytesLikeAsDuration(ctx, meta, lossyDecoder.decode(v), false);
  }

  /**
   * String → JSON: a binary string becomes an opaque value (BINARY(n) padded to n); with the
   * ParseToJson flag the text is parsed; otherwise it is a JSON string.
   */
  @castFn(S.CastStringAsJson, Bytes, JsonT)
  static castStringAsJson(_ctx: EvalContext, meta: CastMetadata, v: Uint8Array): Uint8Array {
    const from = meta.from;
    if (isBinaryStringLike(from)) {
      let buf = v;
      const flen = from.flen ?? UNSPECIFIED;
      if (from.tp === FieldTypeTp.String && flen > 0 && v.length !== flen) {
        buf = new Uint8Array(flen);
        buf.set(v.subarray(0, Math.min(v.length, flen)));
      }
      return encodeJsonBinary(Json.opaque(from.tp, buf));
    }
    if (((meta.ret.flag ?? 0) & FieldTypeFlag.ParseToJson) !== 0) {
      if (validUtf8PrefixLength(v) !== v.length) {
        throw new EvalError("invalid utf-8 sequence in JSON text", 1105);
      }
      return encodeJsonBinary(parseJson(utf8Decoder.decode(v)));
    }
    return encodeJsonBinary(Json.string(lossyDecoder.decode(v)));
  }
}
