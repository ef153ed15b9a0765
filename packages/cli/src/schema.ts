// The table schema file of `copr load`: columns with MySQL types, the primary key (int handle,
// clustered common handle or hidden _tidb_rowid) and indexes, turned into the field types TiDB
// sends in tipb.ColumnInfo (TiDB pkg/parser/types, TiKV tidb_query_datatype def/field_type.rs).
import { Collation, type FieldType, FieldTypeFlag, FieldTypeTp, needRestoredData } from "@copr/datatype";
import { SchemaError } from "./errors.js";

/** One column of the table. */
export interface ColumnDef {
  readonly name: string;
  /** The column id (TiDB `ColumnInfo.ID`), unique, 1.. . */
  readonly id: number;
  /** Position in the schema file (0-based). */
  readonly offset: number;
  readonly ft: FieldType;
  readonly nullable: boolean;
  /** The default value as text (converted like a CSV field), null for DEFAULT NULL, undefined for none. */
  readonly defaultValue: string | null | undefined;
  /** True for a column of the primary key. */
  readonly primary: boolean;
}

/** A secondary index (or the primary key of a nonclustered table). */
export interface IndexDef {
  readonly id: number;
  readonly name: string;
  /** Offsets into the table's columns, in index order. */
  readonly columns: readonly number[];
  readonly unique: boolean;
  /** The primary key of a nonclustered table (written as a unique index). */
  readonly primary: boolean;
}

/** How rows are keyed. */
export type HandleDef =
  /** A single integer primary-key column is the handle (TiDB `PKIsHandle`); it is not in the row value. */
  | { readonly kind: "int"; readonly column: number }
  /** A clustered primary key of other types (TiDB `IsCommonHandle`, CommonHandleVersion 1). */
  | { readonly kind: "common"; readonly columns: readonly number[] }
  /** No clustered key: a hidden `_tidb_rowid` counter is the handle. */
  | { readonly kind: "rowid" };

/** A parsed, checked schema. */
export interface TableSchema {
  /** From the file's `tableId`, if given (the command line may override it). */
  readonly tableId: number | undefined;
  readonly columns: readonly ColumnDef[];
  readonly handle: HandleDef;
  readonly indexes: readonly IndexDef[];
}

const COLLATIONS: Record<string, number> = {
  binary: Collation.Binary,
  utf8mb4_bin: Collation.Utf8Mb4Bin,
  utf8mb4_general_ci: Collation.Utf8Mb4GeneralCi,
  utf8mb4_unicode_ci: Collation.Utf8Mb4UnicodeCi,
  utf8mb4_0900_ai_ci: Collation.Utf8Mb40900AiCi,
  utf8mb4_0900_bin: Collation.Utf8Mb40900Bin,
  // utf8 (utf8mb3) aliases, as TiDB sends them (TiKV maps them to the utf8mb4 collators).
  utf8_bin: -83,
  utf8_general_ci: -33,
  utf8_unicode_ci: -192,
};

interface TypeSpec {
  tp: number;
  /** Default display width / length when none is given. */
  flen: number;
  decimal: number;
  kind: "int" | "float" | "decimal" | "time" | "string" | "binary" | "json" | "enum" | "set" | "bit" | "year";
  /** Takes (M) / (M,D) arguments. */
  args: "none" | "len" | "lenOptional" | "precision" | "fsp" | "elems";
}

const T = FieldTypeTp;
const TYPES: Record<string, TypeSpec> = {
  tinyint: { tp: T.Tiny, flen: 4, decimal: 0, kind: "int", args: "lenOptional" },
  bool: { tp: T.Tiny, flen: 1, decimal: 0, kind: "int", args: "none" },
  boolean: { tp: T.Tiny, flen: 1, decimal: 0, kind: "int", args: "none" },
  smallint: { tp: T.Short, flen: 6, decimal: 0, kind: "int", args: "lenOptional" },
  mediumint: { tp: T.Int24, flen: 9, decimal: 0, kind: "int", args: "lenOptional" },
  int: { tp: T.Long, flen: 11, decimal: 0, kind: "int", args: "lenOptional" },
  integer: { tp: T.Long, flen: 11, decimal: 0, kind: "int", args: "lenOptional" },
  bigint: { tp: T.LongLong, flen: 20, decimal: 0, kind: "int", args: "lenOptional" },
  float: { tp: T.Float, flen: 12, decimal: -1, kind: "float", args: "none" },
  double: { tp: T.Double, flen: 22, decimal: -1, kind: "float", args: "none" },
  real: { tp: T.Double, flen: 22, decimal: -1, kind: "float", args: "none" },
  decimal: { tp: T.NewDecimal, flen: 10, decimal: 0, kind: "decimal", args: "precision" },
  numeric: { tp: T.NewDecimal, flen: 10, decimal: 0, kind: "decimal", args: "precision" },
  date: { tp: T.Date, flen: 10, decimal: 0, kind: "time", args: "none" },
  datetime: { tp: T.DateTime, flen: 19, decimal: 0, kind: "time", args: "fsp" },
  timestamp: { tp: T.Timestamp, flen: 19, decimal: 0, kind: "time", args: "fsp" },
  time: { tp: T.Duration, flen: 10, decimal: 0, kind: "time", args: "fsp" },
  year: { tp: T.Year, flen: 4, decimal: 0, kind: "year", args: "none" },
  char: { tp: T.String, flen: 1, decimal: 0, kind: "string", args: "lenOptional" },
  varchar: { tp: T.VarChar, flen: -1, decimal: 0, kind: "string", args: "len" },
  tinytext: { tp: T.TinyBlob, flen: 255, decimal: 0, kind: "string", args: "none" },
  text: { tp: T.Blob, flen: 65_535, decimal: 0, kind: "string", args: "none" },
  mediumtext: { tp: T.MediumBlob, flen: 16_777_215, decimal: 0, kind: "string", args: "none" },
  longtext: { tp: T.LongBlob, flen: 4_294_967_295, decimal: 0, kind: "string", args: "none" },
  binary: { tp: T.String, flen: 1, decimal: 0, kind: "binary", args: "lenOptional" },
  varbinary: { tp: T.VarChar, flen: -1, decimal: 0, kind: "binary", args: "len" },
  tinyblob: { tp: T.TinyBlob, flen: 255, decimal: 0, kind: "binary", args: "none" },
  blob: { tp: T.Blob, flen: 65_535, decimal: 0, kind: "binary", args: "none" },
  mediumblob: { tp: T.MediumBlob, flen: 16_777_215, decimal: 0, kind: "binary", args: "none" },
  longblob: { tp: T.LongBlob, flen: 4_294_967_295, decimal: 0, kind: "binary", args: "none" },
  json: { tp: T.Json, flen: 4_294_967_295, decimal: 0, kind: "json", args: "none" },
  enum: { tp: T.Enum, flen: -1, decimal: 0, kind: "enum", args: "elems" },
  set: { tp: T.Set, flen: -1, decimal: 0, kind: "set", args: "elems" },
  bit: { tp: T.Bit, flen: 1, decimal: 0, kind: "bit", args: "lenOptional" },
};

/** The value kind of a column, for conversions. */
export type ColumnKind = TypeSpec["kind"];

/** The kind of a schema column's type (as named in the schema file). */
export function columnKind(ft: FieldType): ColumnKind {
  switch (ft.tp) {
    case T.Tiny:
    case T.Short:
    case T.Int24:
    case T.Long:
    case T.LongLong:
      return "int";
    case T.Float:
    case T.Double:
      return "float";
    case T.NewDecimal:
      return "decimal";
    case T.Date:
    case T.DateTime:
    case T.Timestamp:
    case T.Duration:
      return "time";
    case T.Year:
      return "year";
    case T.Json:
      return "json";
    case T.Enum:
      return "enum";
    case T.Set:
      return "set";
    case T.Bit:
      return "bit";
    default:
      return ft.collate === Collation.Binary ? "binary" : "string";
  }
}

/** Splits `'a','b,c','it''s'` into its quoted members. */
function parseElems(text: string, path: string): string[] {
  const out: string[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  skipSpace();
  while (i < text.length) {
    const q = text[i];
    if (q !== "'" && q !== '"')
      throw new SchemaError(path, `expected a quoted member at ${JSON.stringify(text.slice(i))}`);
    i++;
    let s = "";
    for (;;) {
      if (i >= text.length) throw new SchemaError(path, "unterminated quoted member");
      const c = text[i]!;
      if (c === q) {
        if (text[i + 1] === q) {
          s += q;
          i += 2;
          continue;
        }
        i++;
        break;
      }
      if (c === "\\" && i + 1 < text.length) {
        s += text[i + 1];
        i += 2;
        continue;
      }
      s += c;
      i++;
    }
    out.push(s);
    skipSpace();
    if (i < text.length) {
      if (text[i] !== ",") throw new SchemaError(path, `expected ',' at ${JSON.stringify(text.slice(i))}`);
      i++;
      skipSpace();
    }
  }
  if (out.length === 0) throw new SchemaError(path, "needs at least one member");
  return out;
}

function intArg(s: string, path: string, what: string, min: number, max: number): number {
  const t = s.trim();
  if (!/^\d+$/.test(t)) throw new SchemaError(path, `${what} must be an integer, got '${t}'`);
  const n = Number(t);
  if (n < min || n > max) throw new SchemaError(path, `${what} must be in ${min}..${max}, got ${n}`);
  return n;
}

/**
 * Parses a MySQL column type (`"decimal(15,2) unsigned"`, `"varchar(64)"`, `"datetime(3)"`,
 * `"enum('a','b')"`) into a field type, TiDB's flags and lengths included. `collation` applies to
 * string types (default utf8mb4_bin); `nullable` false sets NOT NULL.
 */
export function parseColumnType(
  type: string,
  options: { collation?: string; nullable?: boolean; primary?: boolean } = {},
  path = "type",
): FieldType {
  const t = type.trim();
  const nameMatch = /^([a-zA-Z]+)\s*/.exec(t);
  if (nameMatch === null) throw new SchemaError(path, `cannot read the type '${type}'`);
  const name = nameMatch[1]!.toLowerCase();
  const spec = TYPES[name];
  if (spec === undefined)
    throw new SchemaError(path, `unsupported type '${nameMatch[1]}' (see docs/cli.md for the list)`);
  let rest = t.slice(nameMatch[0].length);
  let argText: string | undefined;
  if (rest.startsWith("(")) {
    const close = rest.lastIndexOf(")");
    if (close < 0) throw new SchemaError(path, `missing ')' in '${type}'`);
    argText = rest.slice(1, close);
    rest = rest.slice(close + 1);
  }
  const attrs = rest
    .toLowerCase()
    .split(/\s+/)
    .filter((s) => s !== "");
  for (const a of attrs) {
    if (a !== "unsigned" && a !== "signed" && a !== "zerofill")
      throw new SchemaError(path, `unexpected '${a}' in '${type}' (put the collation in "collation")`);
  }
  let flen = spec.flen;
  let decimal = spec.decimal;
  let elems: string[] | undefined;
  let flag = 0;
  if (argText !== undefined) {
    const parts = argText.split(",");
    switch (spec.args) {
      case "none":
        throw new SchemaError(path, `type ${name} takes no length`);
      case "len":
      case "lenOptional": {
        if (parts.length !== 1) throw new SchemaError(path, `type ${name} takes one length`);
        const max =
          spec.kind === "bit" ? 64 : spec.tp === T.String ? 255 : spec.kind === "int" ? 255 : 65_535;
        flen = intArg(parts[0]!, path, "length", spec.kind === "bit" ? 1 : 0, max);
        break;
      }
      case "precision": {
        if (parts.length > 2) throw new SchemaError(path, "DECIMAL takes (M) or (M,D)");
        flen = intArg(parts[0]!, path, "precision", 1, 65);
        decimal = parts.length === 2 ? intArg(parts[1]!, path, "scale", 0, 30) : 0;
        if (decimal > flen) throw new SchemaError(path, `scale ${decimal} is larger than precision ${flen}`);
        break;
      }
      case "fsp": {
        if (parts.length !== 1) throw new SchemaError(path, "takes one fractional-seconds precision");
        decimal = intArg(parts[0]!, path, "fsp", 0, 6);
        break;
      }
      case "elems":
        elems = parseElems(argText, path);
        break;
    }
  } else if (spec.args === "len") {
    throw new SchemaError(path, `type ${name} needs a length, e.g. ${name}(64)`);
  } else if (spec.args === "elems") {
    throw new SchemaError(path, `type ${name} needs its members, e.g. ${name}('a','b')`);
  }
  if (spec.args === "fsp" && decimal > 0) flen += 1 + decimal;
  if (spec.tp === T.Duration) flen = decimal > 0 ? 11 + decimal : 10;
  for (const a of attrs) {
    if (a === "unsigned" || a === "zerofill") {
      if (spec.kind !== "int" && spec.kind !== "decimal" && spec.kind !== "float")
        throw new SchemaError(path, `${a} applies to numeric types only`);
      flag |= FieldTypeFlag.Unsigned;
      if (a === "zerofill") flag |= FieldTypeFlag.ZeroFill;
    }
  }
  let collate: number = Collation.Binary;
  let charset = "binary";
  if (spec.kind === "string" || spec.kind === "enum" || spec.kind === "set") {
    const cname = (options.collation ?? "utf8mb4_bin").toLowerCase();
    const c = COLLATIONS[cname];
    if (c === undefined)
      throw new SchemaError(
        path,
        `unsupported collation '${options.collation}' (one of ${Object.keys(COLLATIONS).join(", ")})`,
      );
    collate = c;
    charset = c === Collation.Binary ? "binary" : cname.startsWith("utf8mb4") ? "utf8mb4" : "utf8";
  } else if (options.collation !== undefined && options.collation.toLowerCase() !== "binary") {
    throw new SchemaError(path, `a collation applies to CHAR, VARCHAR, TEXT, ENUM and SET columns only`);
  }
  // TiDB marks every non-string type and binary strings with the BINARY flag.
  if (charset === "binary") flag |= FieldTypeFlag.Binary;
  if (spec.tp === T.TinyBlob || spec.tp === T.Blob || spec.tp === T.MediumBlob || spec.tp === T.LongBlob)
    flag |= FieldTypeFlag.Blob;
  if (spec.kind === "enum") flag |= FieldTypeFlag.Enum;
  if (spec.kind === "set") flag |= FieldTypeFlag.Set;
  if (name === "bool" || name === "boolean") flag |= FieldTypeFlag.IsBoolean;
  if (options.nullable === false) flag |= FieldTypeFlag.NotNull;
  if (options.primary === true) flag |= FieldTypeFlag.PriKey;
  const ft: { -readonly [K in keyof FieldType]: FieldType[K] } = {
    tp: spec.tp,
    flag,
    flen,
    decimal,
    collate,
    charset,
  };
  if (elems !== undefined) ft.elems = elems;
  return ft;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k))
      throw new SchemaError(path, `unknown key '${k}' (allowed: ${allowed.join(", ")})`);
  }
}

function positiveInt(v: unknown, path: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v <= 0)
    throw new SchemaError(path, `must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

function columnList(v: unknown, byName: Map<string, number>, path: string): number[] {
  const list = typeof v === "string" ? [v] : v;
  if (!Array.isArray(list) || list.length === 0)
    throw new SchemaError(path, "must be a non-empty list of column names");
  const out: number[] = [];
  list.forEach((n, i) => {
    if (typeof n !== "string") throw new SchemaError(`${path}[${i}]`, "must be a column name");
    const off = byName.get(n.toLowerCase());
    if (off === undefined) throw new SchemaError(`${path}[${i}]`, `no column named '${n}'`);
    if (out.includes(off)) throw new SchemaError(`${path}[${i}]`, `column '${n}' is listed twice`);
    out.push(off);
  });
  return out;
}

/**
 * Reads a schema file's JSON (see docs/cli.md): `{ tableId?, columns: [{ name, id?, type,
 * collation?, nullable?, default? }], primaryKey?: { columns, clustered?, indexId? } | [names],
 * indexes?: [{ id, name?, columns, unique? }] }`. Every problem is a SchemaError naming the field.
 */
export function parseSchema(json: unknown): TableSchema {
  if (!isRecord(json)) throw new SchemaError("", "the schema must be a JSON object");
  checkKeys(json, ["tableId", "columns", "primaryKey", "indexes"], "");
  const tableId = json.tableId === undefined ? undefined : positiveInt(json.tableId, "tableId");
  if (!Array.isArray(json.columns) || json.columns.length === 0)
    throw new SchemaError("columns", "must be a non-empty list of columns");

  // The primary key first: its columns become NOT NULL and carry the PriKey flag.
  const rawCols = json.columns as unknown[];
  const byName = new Map<string, number>();
  rawCols.forEach((c, i) => {
    const path = `columns[${i}]`;
    if (!isRecord(c)) throw new SchemaError(path, "must be an object");
    if (typeof c.name !== "string" || c.name === "")
      throw new SchemaError(`${path}.name`, "must be a non-empty string");
    if (c.name.toLowerCase() === "_tidb_rowid")
      throw new SchemaError(`${path}.name`, "_tidb_rowid is reserved");
    if (byName.has(c.name.toLowerCase()))
      throw new SchemaError(`${path}.name`, `duplicate column '${c.name}'`);
    byName.set(c.name.toLowerCase(), i);
  });

  let pkCols: number[] = [];
  let clustered: boolean | undefined;
  let pkIndexId: number | undefined;
  if (json.primaryKey !== undefined) {
    const pk = json.primaryKey;
    if (isRecord(pk)) {
      checkKeys(pk, ["columns", "clustered", "indexId"], "primaryKey");
      pkCols = columnList(pk.columns, byName, "primaryKey.columns");
      if (pk.clustered !== undefined) {
        if (typeof pk.clustered !== "boolean")
          throw new SchemaError("primaryKey.clustered", "must be true or false");
        clustered = pk.clustered;
      }
      if (pk.indexId !== undefined) pkIndexId = positiveInt(pk.indexId, "primaryKey.indexId");
    } else {
      pkCols = columnList(pk, byName, "primaryKey");
    }
  }

  const ids = new Set<number>();
  const columns: ColumnDef[] = rawCols.map((raw, i) => {
    const c = raw as Record<string, unknown>;
    const path = `columns[${i}]`;
    checkKeys(c, ["name", "id", "type", "collation", "nullable", "default"], path);
    const id = c.id === undefined ? i + 1 : positiveInt(c.id, `${path}.id`);
    if (ids.has(id)) throw new SchemaError(`${path}.id`, `duplicate column id ${id}`);
    ids.add(id);
    if (typeof c.type !== "string")
      throw new SchemaError(`${path}.type`, 'must be a MySQL type such as "bigint"');
    if (c.collation !== undefined && typeof c.collation !== "string")
      throw new SchemaError(`${path}.collation`, "must be a collation name");
    const primary = pkCols.includes(i);
    if (c.nullable !== undefined && typeof c.nullable !== "boolean")
      throw new SchemaError(`${path}.nullable`, "must be true or false");
    if (primary && c.nullable === true)
      throw new SchemaError(`${path}.nullable`, "a primary-key column cannot be nullable");
    const nullable = primary ? false : c.nullable !== false;
    const ft = parseColumnType(
      c.type,
      {
        ...(typeof c.collation === "string" ? { collation: c.collation } : {}),
        nullable,
        primary,
      },
      `${path}.type`,
    );
    let defaultValue: string | null | undefined;
    if (c.default === null) {
      if (!nullable) throw new SchemaError(`${path}.default`, "a NOT NULL column cannot default to NULL");
      defaultValue = null;
    } else if (typeof c.default === "string") defaultValue = c.default;
    else if (typeof c.default === "number" || typeof c.default === "boolean")
      defaultValue = String(Number(c.default));
    else if (c.default !== undefined)
      throw new SchemaError(`${path}.default`, "must be a string, a number or null");
    return { name: c.name as string, id, offset: i, ft, nullable, defaultValue, primary };
  });

  let handle: HandleDef = { kind: "rowid" };
  const indexes: IndexDef[] = [];
  if (pkCols.length > 0) {
    const isInt = pkCols.length === 1 && columnKind(columns[pkCols[0]!]!.ft) === "int";
    // TiDB's default (tidb_enable_clustered_index = INT_ONLY): a single integer key is clustered.
    const isClustered = clustered ?? isInt;
    if (isClustered) {
      if (pkIndexId !== undefined)
        throw new SchemaError("primaryKey.indexId", "only a nonclustered primary key is stored as an index");
      for (const off of pkCols) {
        const k = columnKind(columns[off]!.ft);
        if (k === "json")
          throw new SchemaError("primaryKey", `JSON column '${columns[off]!.name}' cannot be in a key`);
      }
      handle = isInt ? { kind: "int", column: pkCols[0]! } : { kind: "common", columns: pkCols };
    } else {
      indexes.push({ id: pkIndexId ?? 0, name: "PRIMARY", columns: pkCols, unique: true, primary: true });
    }
  }

  if (json.indexes !== undefined) {
    if (!Array.isArray(json.indexes)) throw new SchemaError("indexes", "must be a list");
    json.indexes.forEach((raw: unknown, i: number) => {
      const path = `indexes[${i}]`;
      if (!isRecord(raw)) throw new SchemaError(path, "must be an object");
      checkKeys(raw, ["id", "name", "columns", "unique"], path);
      const id = positiveInt(raw.id, `${path}.id`);
      if (raw.unique !== undefined && typeof raw.unique !== "boolean")
        throw new SchemaError(`${path}.unique`, "must be true or false");
      if (raw.name !== undefined && typeof raw.name !== "string")
        throw new SchemaError(`${path}.name`, "must be a string");
      const cols = columnList(raw.columns, byName, `${path}.columns`);
      for (const off of cols) {
        if (columnKind(columns[off]!.ft) === "json")
          throw new SchemaError(`${path}.columns`, `JSON column '${columns[off]!.name}' cannot be indexed`);
      }
      indexes.push({
        id,
        name: (raw.name as string | undefined) ?? `idx_${id}`,
        columns: cols,
        unique: raw.unique === true,
        primary: false,
      });
    });
  }
  // The nonclustered primary key takes the smallest free index id unless given.
  const pkIdx = indexes.findIndex((x) => x.primary);
  if (pkIdx >= 0 && indexes[pkIdx]!.id === 0) {
    let id = 1;
    while (indexes.some((x) => x.id === id)) id++;
    indexes[pkIdx] = { ...indexes[pkIdx]!, id };
  }
  const seen = new Set<number>();
  for (const x of indexes) {
    if (seen.has(x.id)) throw new SchemaError("indexes", `duplicate index id ${x.id}`);
    seen.add(x.id);
  }
  return { tableId, columns, handle, indexes };
}

/** True when some index entry or common handle of this column stores restored data (new collations). */
export function columnNeedsRestoredData(col: ColumnDef): boolean {
  return needRestoredData(col.ft);
}
