// Text → column value with MySQL's strict-mode INSERT rules (TiDB's default sql_mode): what a
// CSV field becomes in a column of each type, or a ConversionError saying why it cannot.
// Mirrors the casts of TiDB pkg/types/datum.go ConvertTo / table.CastValue for string inputs.
import { encodeJsonBinary, type RowV2Value } from "@copr/codec";
import {
  collationFromId,
  collatorFor,
  Decimal,
  DecimalStatus,
  Duration,
  Enum,
  EvalContext,
  EvalFlag,
  type FieldType,
  FieldTypeTp,
  isCoprError,
  isUnsigned,
  MySqlSet,
  parseJson,
  RoundMode,
  SqlMode,
  Time,
  TimeType,
  TimeZone,
} from "@copr/datatype";
import { ConversionError } from "./errors.js";
import { type ColumnDef, columnKind } from "./schema.js";

/** A converted value, as the row v2 encoder takes it (`null` is SQL NULL). */
export type ColumnValue = RowV2Value;

/** Settings of the conversions. */
export interface ConvertOptions {
  /** The session time zone TIMESTAMP text is read in (default UTC). */
  readonly timeZone?: TimeZone;
}

/** Converts one field's text to a column's value; throws ConversionError. */
export type Converter = (text: string) => ColumnValue;

/** TiDB's default sql_mode, as far as conversions look at it. */
const STRICT_MODE = SqlMode.StrictTransTables | SqlMode.NoZeroDate | SqlMode.NoZeroInDate;

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INT_RE = /^[+-]?\d+$/;

const INT_RANGES: Record<number, [bigint, bigint, bigint]> = {
  // tp: [signed min, signed max, unsigned max]
  [FieldTypeTp.Tiny]: [-128n, 127n, 255n],
  [FieldTypeTp.Short]: [-32_768n, 32_767n, 65_535n],
  [FieldTypeTp.Int24]: [-8_388_608n, 8_388_607n, 16_777_215n],
  [FieldTypeTp.Long]: [-2_147_483_648n, 2_147_483_647n, 4_294_967_295n],
  [FieldTypeTp.LongLong]: [-(1n << 63n), (1n << 63n) - 1n, (1n << 64n) - 1n],
};

const FLOAT_MAX = 3.4028234663852886e38;

/** Trims the spaces MySQL ignores around a number. */
function trimSpaces(s: string): string {
  return s.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, "");
}

const outOfRange = (col: ColumnDef) => new ConversionError(`Out of range value for column '${col.name}'`);
const incorrect = (what: string, text: string, col: ColumnDef) =>
  new ConversionError(`Incorrect ${what} value: '${text}' for column '${col.name}'`);
const tooLong = (col: ColumnDef) => new ConversionError(`Data too long for column '${col.name}'`);

function intConverter(col: ColumnDef): Converter {
  const range = INT_RANGES[col.ft.tp]!;
  const unsigned = isUnsigned(col.ft);
  const min = unsigned ? 0n : range[0];
  const max = unsigned ? range[2] : range[1];
  const minN = Number(min);
  const maxN = Number(max);
  return (raw) => {
    const text = trimSpaces(raw);
    if (INT_RE.test(text) && text.length <= 15) {
      const n = Number(text);
      if (n < minN || n > maxN) throw outOfRange(col);
      return n === 0 ? 0 : n; // no -0
    }
    if (!NUMBER_RE.test(text)) throw incorrect("integer", raw, col);
    let v: bigint;
    if (INT_RE.test(text)) v = BigInt(text);
    else {
      // '1.5' → 2, '1e3' → 1000: MySQL rounds a numeric string half away from zero.
      const d = Decimal.parse(text);
      if (d.status === DecimalStatus.Overflow || d.status === DecimalStatus.Invalid) throw outOfRange(col);
      const r = d.value.round(0, RoundMode.HalfEven).value;
      if (r.isNegative() && !r.isZero()) {
        const x = r.toI64();
        if (x.status !== DecimalStatus.Ok) throw outOfRange(col);
        v = x.value;
      } else {
        const x = r.toU64();
        if (x.status !== DecimalStatus.Ok) throw outOfRange(col);
        v = x.value;
      }
    }
    if (v < min || v > max) throw outOfRange(col);
    return v >= -9_007_199_254_740_991n && v <= 9_007_199_254_740_991n ? Number(v) : v;
  };
}

function floatConverter(col: ColumnDef): Converter {
  const isFloat = col.ft.tp === FieldTypeTp.Float;
  const unsigned = isUnsigned(col.ft);
  return (raw) => {
    const text = trimSpaces(raw);
    if (!NUMBER_RE.test(text)) throw incorrect("double", raw, col);
    let v = Number(text);
    if (!Number.isFinite(v)) throw outOfRange(col);
    if (isFloat) {
      if (Math.abs(v) > FLOAT_MAX) throw outOfRange(col);
      v = Math.fround(v);
    }
    if (unsigned && v < 0) throw outOfRange(col);
    return v === 0 ? 0 : v;
  };
}

function decimalConverter(col: ColumnDef): Converter {
  const prec = col.ft.flen!;
  const frac = col.ft.decimal!;
  const unsigned = isUnsigned(col.ft);
  const max = Decimal.maxOrMin(false, prec, frac);
  const min = Decimal.maxOrMin(true, prec, frac);
  const zero = Decimal.fromScaledNumber(0, frac);
  return (raw) => {
    const text = trimSpaces(raw);
    if (!NUMBER_RE.test(text)) throw incorrect("decimal", raw, col);
    const parsed = Decimal.parse(text);
    if (parsed.status === DecimalStatus.Overflow || parsed.status === DecimalStatus.Invalid)
      throw outOfRange(col);
    // Extra fraction digits are rounded half away from zero (a note in MySQL, not an error).
    const d = parsed.value.round(frac, RoundMode.HalfEven).value;
    if (d.isZero()) return zero;
    if (d.compare(max) > 0 || d.compare(min) < 0) throw outOfRange(col);
    if (unsigned && d.isNegative()) throw outOfRange(col);
    return d;
  };
}

function timeConverter(col: ColumnDef, ctx: EvalContext): Converter {
  const tp = col.ft.tp;
  const fsp = Math.max(col.ft.decimal ?? 0, 0);
  const wrap = (raw: string, f: () => ColumnValue): ColumnValue => {
    const before = ctx.warnings.list.length;
    let v: ColumnValue;
    try {
      v = f();
    } catch (e) {
      if (isCoprError(e)) throw new ConversionError(`${e.message} for column '${col.name}'`);
      throw e;
    }
    // Strict mode: anything the parser only warned about is an error for INSERT.
    if (ctx.warnings.list.length > before) {
      const w = ctx.warnings.list[before]!;
      ctx.warnings.list.length = before;
      throw new ConversionError(`${w.message} for column '${col.name}' ('${raw}')`);
    }
    return v;
  };
  if (tp === FieldTypeTp.Duration) {
    return (raw) => wrap(raw, () => Duration.parse(ctx, raw, fsp));
  }
  const type =
    tp === FieldTypeTp.Date
      ? TimeType.Date
      : tp === FieldTypeTp.Timestamp
        ? TimeType.Timestamp
        : TimeType.DateTime;
  return (raw) => wrap(raw, () => Time.parse(ctx, raw, type, type === TimeType.Date ? 0 : fsp, true));
}

function yearConverter(col: ColumnDef): Converter {
  return (raw) => {
    const text = trimSpaces(raw);
    if (!INT_RE.test(text)) throw incorrect("year", raw, col);
    const digits = text.replace(/^[+-]/, "");
    const n = Number(text);
    // '0'..'69' → 2000..2069 and '70'..'99' → 1970..1999 for one- or two-digit strings; '0000' is 0.
    if (digits.length <= 2 && n >= 0) return n < 70 ? 2000 + n : 1900 + n;
    if (n === 0) return 0;
    if (n < 1901 || n > 2155) throw outOfRange(col);
    return n;
  };
}

/** Code points of a string. */
function charCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

function stringConverter(col: ColumnDef): Converter {
  const ft = col.ft;
  const flen = ft.flen ?? -1;
  const isChar = ft.tp === FieldTypeTp.String;
  const isVar = ft.tp === FieldTypeTp.VarChar || ft.tp === FieldTypeTp.VarString;
  return (raw) => {
    // CHAR drops trailing spaces when stored (TiDB table.CastValue).
    let s = isChar ? raw.replace(/ +$/, "") : raw;
    if (isChar || isVar) {
      if (flen >= 0 && s.length > flen && charCount(s) > flen) {
        // Trailing spaces past the length are cut silently (a note), anything else is an error.
        const trimmed = s.replace(/ +$/, "");
        if (charCount(trimmed) > flen) throw tooLong(col);
        s = trimmed + " ".repeat(flen - charCount(trimmed));
      }
    } else if (flen >= 0 && s.length * 3 > flen && Buffer.byteLength(s) > flen) {
      throw tooLong(col); // TEXT limits are in bytes
    }
    return s;
  };
}

const utf8 = new TextEncoder();

function binaryConverter(col: ColumnDef): Converter {
  const ft = col.ft;
  const flen = ft.flen ?? -1;
  const isBinaryChar = ft.tp === FieldTypeTp.String;
  return (raw) => {
    const b = utf8.encode(raw);
    if (flen >= 0 && b.length > flen) throw tooLong(col);
    if (isBinaryChar && b.length < flen) {
      // BINARY(n) pads with 0x00 to its length.
      const out = new Uint8Array(flen);
      out.set(b);
      return out;
    }
    return b;
  };
}

function collationKey(ft: FieldType): ((s: string) => string) | undefined {
  const c = collationFromId(ft.collate ?? 63);
  const collator = collatorFor(c);
  if (!collator.isCaseInsensitive && !collator.padding) return undefined;
  return (s) => Buffer.from(collator.sortKey(utf8.encode(s))).toString("latin1");
}

function enumConverter(col: ColumnDef): Converter {
  const elems = col.ft.elems ?? [];
  const key = collationKey(col.ft);
  return (raw) => {
    try {
      return Enum.fromName(elems, raw, key);
    } catch {
      throw incorrect("enum", raw, col);
    }
  };
}

function setConverter(col: ColumnDef): Converter {
  const elems = col.ft.elems ?? [];
  const key = collationKey(col.ft);
  return (raw) => {
    try {
      return MySqlSet.fromNames(elems, raw, key);
    } catch {
      throw incorrect("set", raw, col);
    }
  };
}

function jsonConverter(col: ColumnDef): Converter {
  return (raw) => {
    try {
      return encodeJsonBinary(parseJson(raw));
    } catch (e) {
      throw new ConversionError(`Invalid JSON text for column '${col.name}': ${(e as Error).message}`);
    }
  };
}

function bitConverter(col: ColumnDef): Converter {
  const width = BigInt(col.ft.flen ?? 1);
  const limit = 1n << width;
  return (raw) => {
    const text = trimSpaces(raw);
    let v: bigint;
    const bin = /^[bB]'([01]*)'$/.exec(text) ?? /^0b([01]+)$/.exec(text);
    const hexm = /^[xX]'([0-9a-fA-F]*)'$/.exec(text) ?? /^0x([0-9a-fA-F]+)$/.exec(text);
    if (bin !== null) v = bin[1] === "" ? 0n : BigInt(`0b${bin[1]}`);
    else if (hexm !== null) v = hexm[1] === "" ? 0n : BigInt(`0x${hexm[1]}`);
    else if (/^\d+$/.test(text)) v = BigInt(text);
    else throw incorrect("bit", raw, col);
    if (v >= limit) throw tooLong(col);
    return v;
  };
}

/** Builds the converter of a column (text → value, MySQL strict-mode INSERT semantics). */
export function converterFor(col: ColumnDef, options: ConvertOptions = {}): Converter {
  switch (columnKind(col.ft)) {
    case "int":
      return intConverter(col);
    case "float":
      return floatConverter(col);
    case "decimal":
      return decimalConverter(col);
    case "time":
      return timeConverter(
        col,
        new EvalContext({
          sqlMode: STRICT_MODE,
          flags: EvalFlag.InInsertStmt,
          timeZone: options.timeZone ?? TimeZone.utc(),
        }),
      );
    case "year":
      return yearConverter(col);
    case "string":
      return stringConverter(col);
    case "binary":
      return binaryConverter(col);
    case "json":
      return jsonConverter(col);
    case "enum":
      return enumConverter(col);
    case "set":
      return setConverter(col);
    case "bit":
      return bitConverter(col);
  }
}

/** How empty and NULL fields are read. */
export interface NullOptions {
  /** The unquoted text that means NULL; default `\N`. */
  readonly nullText?: string;
  /** Unquoted empty fields are NULL in string columns too (they always are in other columns). */
  readonly emptyIsNull?: boolean;
}

/** True for columns where an empty field is the empty string rather than NULL. */
export function emptyIsValue(col: ColumnDef): boolean {
  const k = columnKind(col.ft);
  return k === "string" || k === "binary" || k === "enum" || k === "set";
}

/**
 * A field reader for one column: applies the NULL rule (unquoted `\N` → NULL; unquoted empty →
 * NULL except in string columns, where it is ''), the NOT NULL check, then the conversion.
 */
export function fieldReader(
  col: ColumnDef,
  options: ConvertOptions & NullOptions = {},
): (text: string, quoted: boolean) => ColumnValue {
  const conv = converterFor(col, options);
  const nullText = options.nullText ?? "\\N";
  const emptyNull = options.emptyIsNull === true || !emptyIsValue(col);
  return (text, quoted) => {
    if (!quoted && (text === nullText || (text === "" && emptyNull))) {
      if (!col.nullable) throw new ConversionError(`Column '${col.name}' cannot be null`);
      return null;
    }
    return conv(text);
  };
}
