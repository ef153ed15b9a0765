// MySQL column types as TiDB sends them in tipb.FieldType / tipb.ColumnInfo.
// Facts from TiKV components/tidb_query_datatype/src/def/field_type.rs.

import { UnsupportedError } from "./errors.js";

/** MySQL type codes (`mysql.TypeXxx` in TiDB). 0 is MySQL's old DECIMAL, "unspecified" in TiKV. */
export const FieldTypeTp = {
  Unspecified: 0,
  Tiny: 1,
  Short: 2,
  Long: 3,
  Float: 4,
  Double: 5,
  Null: 6,
  Timestamp: 7,
  LongLong: 8,
  Int24: 9,
  Date: 10,
  Duration: 11,
  DateTime: 12,
  Year: 13,
  NewDate: 14,
  VarChar: 15,
  Bit: 16,
  TiDBVectorFloat32: 0xe1,
  Json: 0xf5,
  NewDecimal: 0xf6,
  Enum: 0xf7,
  Set: 0xf8,
  TinyBlob: 0xf9,
  MediumBlob: 0xfa,
  LongBlob: 0xfb,
  Blob: 0xfc,
  VarString: 0xfd,
  String: 0xfe,
  Geometry: 0xff,
} as const;
export type FieldTypeTp = (typeof FieldTypeTp)[keyof typeof FieldTypeTp];

const TP_NAMES = new Map<number, string>(Object.entries(FieldTypeTp).map(([k, v]) => [v, k]));

/** The name of a type code (`"LongLong"`), or `"Unknown(<n>)"`. */
export function fieldTypeTpName(tp: number): string {
  return TP_NAMES.get(tp) ?? `Unknown(${tp})`;
}

/** True if `tp` is one of the codes in {@link FieldTypeTp}. */
export function isFieldTypeTp(tp: number): tp is FieldTypeTp {
  return TP_NAMES.has(tp);
}

/** Column flags (`mysql.XxxFlag` in TiDB). Only some of them change evaluation. */
export const FieldTypeFlag = {
  NotNull: 1,
  PriKey: 1 << 1,
  UniqueKey: 1 << 2,
  MultipleKey: 1 << 3,
  Blob: 1 << 4,
  Unsigned: 1 << 5,
  ZeroFill: 1 << 6,
  Binary: 1 << 7,
  Enum: 1 << 8,
  AutoIncrement: 1 << 9,
  Timestamp: 1 << 10,
  Set: 1 << 11,
  NoDefaultValue: 1 << 12,
  OnUpdateNow: 1 << 13,
  PartKey: 1 << 14,
  Num: 1 << 15,
  ParseToJson: 1 << 18,
  IsBoolean: 1 << 19,
  EnumSetAsInt: 1 << 21,
} as const;

/**
 * The parts of a MySQL column type that evaluation needs. A decoded `tipb.FieldType` or
 * `tipb.ColumnInfo` satisfies it structurally, so this package does not depend on protobuf.
 * `collate` is TiDB's collation id, negative when new collations are enabled (see
 * {@link collationFromId}); `elems` are the members of an ENUM or SET.
 */
export interface FieldType {
  tp: number;
  flag?: number;
  flen?: number;
  decimal?: number;
  collate?: number;
  charset?: string;
  elems?: readonly string[];
}

/** MySQL's "unspecified length" for flen and decimal. */
export const UNSPECIFIED_LENGTH = -1;

/** Builds a FieldType with defaults: no flags, unspecified flen/decimal, binary collation. */
export function fieldType(tp: FieldTypeTp, rest: Omit<Partial<FieldType>, "tp"> = {}): FieldType {
  return {
    tp,
    flag: rest.flag ?? 0,
    flen: rest.flen ?? UNSPECIFIED_LENGTH,
    decimal: rest.decimal ?? UNSPECIFIED_LENGTH,
    collate: rest.collate ?? Collation.Binary,
    charset: rest.charset ?? "binary",
    ...(rest.elems === undefined ? {} : { elems: rest.elems }),
  };
}

/** True if the UNSIGNED flag is set. */
export function isUnsigned(ft: FieldType): boolean {
  return ((ft.flag ?? 0) & FieldTypeFlag.Unsigned) !== 0;
}

/** True for TINYBLOB, BLOB, MEDIUMBLOB and LONGBLOB (also TEXT types, which share codes). */
export function isBlobLike(ft: FieldType): boolean {
  const tp = ft.tp;
  return (
    tp === FieldTypeTp.TinyBlob ||
    tp === FieldTypeTp.MediumBlob ||
    tp === FieldTypeTp.Blob ||
    tp === FieldTypeTp.LongBlob
  );
}

/** True for CHAR and VARCHAR. */
export function isCharLike(ft: FieldType): boolean {
  return ft.tp === FieldTypeTp.String || ft.tp === FieldTypeTp.VarChar;
}

/** True for VARCHAR and VAR_STRING. */
export function isVarcharLike(ft: FieldType): boolean {
  return ft.tp === FieldTypeTp.VarString || ft.tp === FieldTypeTp.VarChar;
}

/** True for every string type (and for an unspecified type, as in TiKV). */
export function isStringLike(ft: FieldType): boolean {
  return isBlobLike(ft) || isCharLike(ft) || isVarcharLike(ft) || ft.tp === FieldTypeTp.Unspecified;
}

/** True for ENUM, SET and BIT: values that are both a number and a string. */
export function isHybrid(ft: FieldType): boolean {
  return ft.tp === FieldTypeTp.Enum || ft.tp === FieldTypeTp.Bit || ft.tp === FieldTypeTp.Set;
}

/**
 * The collations copr serves. The numbers are TiKV's: TiDB's collation id, negated as TiDB
 * sends it when new collations are enabled (`Binary` is sent as 63 either way).
 */
export const Collation = {
  Binary: 63,
  Utf8Mb4Bin: -46,
  Utf8Mb4BinNoPadding: 46,
  Utf8Mb4GeneralCi: -45,
  Utf8Mb4UnicodeCi: -224,
  Utf8Mb40900AiCi: -255,
  Utf8Mb40900Bin: -309,
  Latin1Bin: -47,
  GbkBin: -87,
  GbkChineseCi: -28,
  Gb18030ChineseCi: -248,
  Gb18030Bin: -249,
} as const;
export type Collation = (typeof Collation)[keyof typeof Collation];

const COLLATION_NAMES = new Map<number, string>([
  [Collation.Binary, "binary"],
  [Collation.Utf8Mb4Bin, "utf8mb4_bin"],
  [Collation.Utf8Mb4BinNoPadding, "utf8mb4_bin (no padding)"],
  [Collation.Utf8Mb4GeneralCi, "utf8mb4_general_ci"],
  [Collation.Utf8Mb4UnicodeCi, "utf8mb4_unicode_ci"],
  [Collation.Utf8Mb40900AiCi, "utf8mb4_0900_ai_ci"],
  [Collation.Utf8Mb40900Bin, "utf8mb4_0900_bin"],
  [Collation.Latin1Bin, "latin1_bin"],
  [Collation.GbkBin, "gbk_bin"],
  [Collation.GbkChineseCi, "gbk_chinese_ci"],
  [Collation.Gb18030ChineseCi, "gb18030_chinese_ci"],
  [Collation.Gb18030Bin, "gb18030_bin"],
]);

/** The MySQL name of a collation (`"utf8mb4_general_ci"`). */
export function collationName(c: Collation): string {
  return COLLATION_NAMES.get(c) ?? `Unknown(${c})`;
}

/**
 * Maps the collation id in a FieldType to the collation that evaluates it, with TiKV's rules:
 * the negative (new-collation) ids of the served collations and their aliases (utf8_general_ci
 * -33, utf8_bin -83, ascii_bin -65, utf8_unicode_ci -192, binary -63/63/47), and any
 * non-negative id (old collation framework) as utf8mb4_bin without padding. Other negative ids
 * are unsupported.
 */
export function collationFromId(id: number): Collation {
  switch (id) {
    case -33:
    case -45:
      return Collation.Utf8Mb4GeneralCi;
    case -46:
    case -83:
    case -65:
      return Collation.Utf8Mb4Bin;
    case -47:
      return Collation.Latin1Bin;
    case -63:
    case 63:
    case 47:
      return Collation.Binary;
    case -224:
    case -192:
      return Collation.Utf8Mb4UnicodeCi;
    case -87:
      return Collation.GbkBin;
    case -28:
      return Collation.GbkChineseCi;
    case -248:
      return Collation.Gb18030ChineseCi;
    case -249:
      return Collation.Gb18030Bin;
    case -255:
      return Collation.Utf8Mb40900AiCi;
    case -309:
      return Collation.Utf8Mb40900Bin;
    default:
      if (Number.isInteger(id) && id >= 0) return Collation.Utf8Mb4BinNoPadding;
      throw new UnsupportedError(`Unsupported collation code: ${id}`);
  }
}

/** The collation of a field type; a missing `collate` means binary. */
export function collationOf(ft: FieldType): Collation {
  return collationFromId(ft.collate ?? Collation.Binary);
}

/** True for the `_bin` collations that compare code points (utf8mb4_bin, latin1_bin, utf8mb4_0900_bin). */
export function isBinCollation(c: Collation): boolean {
  return c === Collation.Utf8Mb4Bin || c === Collation.Latin1Bin || c === Collation.Utf8Mb40900Bin;
}

/**
 * True if an index on this column stores "restored data" next to the sort key, as TiDB does for
 * non-binary strings under new collations (TiKV `need_restored_data`).
 */
export function needRestoredData(ft: FieldType): boolean {
  if (!isStringLike(ft)) return false;
  let c: Collation;
  try {
    c = collationOf(ft);
  } catch {
    return false;
  }
  if (c === Collation.Binary || c === Collation.Utf8Mb40900Bin) return false;
  return !isBinCollation(c) || isVarcharLike(ft);
}

/** MySQL charsets copr knows, by name. */
export const Charset = {
  Utf8: "utf8",
  Utf8Mb4: "utf8mb4",
  Latin1: "latin1",
  Gbk: "gbk",
  Binary: "binary",
  Ascii: "ascii",
  Gb18030: "gb18030",
} as const;
export type Charset = (typeof Charset)[keyof typeof Charset];

const CHARSETS = new Set<string>(Object.values(Charset));

/** Validates a charset name; unknown names are an {@link UnsupportedError}. */
export function charsetFromName(name: string): Charset {
  if (CHARSETS.has(name)) return name as Charset;
  throw new UnsupportedError(`Unsupported charset: ${name}`);
}
