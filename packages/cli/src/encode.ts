// Rows → the key-value pairs TiDB writes for them: the record (t{id}_r{handle} → row v2 value) and
// one entry per index (t{id}_i{index}… → index value), with new-collation sort keys and restored
// data. Mirrors TiDB pkg/tablecodec (GenIndexKey, GenIndexValuePortal) and table/tables AddRecord
// as TiKV's index_scan_executor.rs and table_scan_executor.rs read them.
import {
  Datum,
  encodeCommonHandleRecordKey,
  encodeIndexKey,
  encodeIndexValue,
  encodeKey,
  encodeRecordKey,
  RowV2Encoder,
} from "@copr/codec";
import {
  Collation,
  collationFromId,
  collatorFor,
  type Decimal,
  type Duration,
  type Enum,
  EvalContext,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  isBinCollation,
  isUnsigned,
  type MySqlSet,
  needRestoredData,
  type Time,
  TimeZone,
} from "@copr/datatype";
import type { ColumnValue } from "./convert.js";
import { type ColumnDef, columnKind, type IndexDef, type TableSchema } from "./schema.js";

/** One key-value pair to write. */
export interface KvPair {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  /** The key must not exist yet (record keys and unique index keys: Op_Insert). */
  readonly mustNotExist: boolean;
}

const utf8 = new TextEncoder();
const TAIL_SPACE_FT = fieldType(FieldTypeTp.LongLong, {
  flag: FieldTypeFlag.Unsigned | FieldTypeFlag.NotNull,
});

/** Trailing U+0020 spaces of a string (what a _bin sort key drops). */
function tailSpaces(s: string): number {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s.charCodeAt(i) === 32; i--) n++;
  return n;
}

/** Encodes a table's rows as TiDB does. */
export class TableEncoder {
  private readonly rowEncoder: RowV2Encoder;
  private readonly ctx: EvalContext;
  /** The columns stored in the row value (all but an int handle column), their ids and types. */
  private readonly rowCols: readonly ColumnDef[];
  private readonly rowIds: number[];
  private readonly rowFts: FieldType[];
  private readonly rowValues: ColumnValue[];
  private readonly keyDatum: ((v: ColumnValue) => Datum)[];
  private readonly clustered: boolean;

  constructor(
    readonly tableId: number,
    readonly schema: TableSchema,
    options: { timeZone?: TimeZone } = {},
  ) {
    this.ctx = new EvalContext({ timeZone: options.timeZone ?? TimeZone.utc() });
    // TIMESTAMP values are converted from this zone to UTC in rows and keys.
    this.rowEncoder = new RowV2Encoder({ ctx: this.ctx });
    const h = schema.handle;
    this.rowCols = schema.columns.filter((c) => !(h.kind === "int" && c.offset === h.column));
    this.rowIds = this.rowCols.map((c) => c.id);
    this.rowFts = this.rowCols.map((c) => c.ft);
    this.rowValues = new Array(this.rowCols.length);
    this.keyDatum = schema.columns.map((c) => keyDatumOf(c));
    this.clustered = h.kind === "common";
  }

  /**
   * The pairs of one row: the record first, then one per index. `values` are in schema column
   * order; `rowid` is the `_tidb_rowid` of tables without a clustered key (ignored otherwise).
   */
  encodeRow(values: readonly ColumnValue[], rowid: number | bigint = 0): KvPair[] {
    const { schema, tableId } = this;
    const h = schema.handle;
    let recordKey: Uint8Array;
    let intHandle: bigint | number = 0;
    let commonHandle: Uint8Array | null = null;
    if (h.kind === "int") {
      const v = values[h.column]!;
      if (v === null) throw new RangeError("the handle column is NULL");
      // An UNSIGNED BIGINT handle is stored as its 64-bit pattern.
      intHandle = isUnsigned(schema.columns[h.column]!.ft)
        ? BigInt.asIntN(64, BigInt(v as number | bigint))
        : (v as number | bigint);
      recordKey = encodeRecordKey(tableId, intHandle);
    } else if (h.kind === "common") {
      commonHandle = encodeKey(
        h.columns.map((off) => this.keyDatum[off]!(values[off]!)),
        this.ctx,
      );
      recordKey = encodeCommonHandleRecordKey(tableId, commonHandle);
    } else {
      intHandle = rowid;
      recordKey = encodeRecordKey(tableId, intHandle);
    }
    for (let i = 0; i < this.rowCols.length; i++) this.rowValues[i] = values[this.rowCols[i]!.offset]!;
    const rowValue = this.rowEncoder.encode(this.rowIds, this.rowFts, this.rowValues);
    const out: KvPair[] = [{ key: recordKey, value: rowValue, mustNotExist: true }];
    for (const idx of schema.indexes) out.push(this.indexEntry(idx, values, intHandle, commonHandle));
    return out;
  }

  private indexEntry(
    idx: IndexDef,
    values: readonly ColumnValue[],
    intHandle: bigint | number,
    commonHandle: Uint8Array | null,
  ): KvPair {
    const datums: Datum[] = [];
    // A unique index with a NULL member is not distinct: the handle goes into its key.
    let distinct = idx.unique;
    for (const off of idx.columns) {
      const v = values[off]!;
      if (v === null) distinct = false;
      datums.push(this.keyDatum[off]!(v));
    }
    let encoded = encodeKey(datums, this.ctx);
    if (!distinct) {
      const handleBytes = commonHandle ?? encodeKey([Datum.int(intHandle)]);
      const joined = new Uint8Array(encoded.length + handleBytes.length);
      joined.set(encoded);
      joined.set(handleBytes, encoded.length);
      encoded = joined;
    }
    const key = encodeIndexKey(this.tableId, idx.id, encoded);
    const restored = this.restoredData(idx, values);
    const value = encodeIndexValue({
      unique: distinct,
      handle:
        commonHandle === null ? { kind: "int", value: intHandle } : { kind: "common", encoded: commonHandle },
      ...(this.clustered ? { clusteredVersion1: true } : {}),
      ...(restored === null ? {} : { restoredData: restored }),
    });
    return { key, value, mustNotExist: distinct };
  }

  /**
   * Restored data of an index entry, or null. Version 0 (int handle and _tidb_rowid tables): the
   * original values of all index columns when one of them needs it. Version 1 (clustered common
   * handle): only the non-key columns that need it (a _bin collation stores its trailing-space
   * count), then the primary-key columns that need it.
   */
  private restoredData(idx: IndexDef, values: readonly ColumnValue[]): Uint8Array | null {
    const cols = this.schema.columns;
    const ids: number[] = [];
    const fts: FieldType[] = [];
    const vals: ColumnValue[] = [];
    const restoredValue = (c: ColumnDef) => {
      const v = values[c.offset]!;
      const coll = collationFromId(c.ft.collate ?? Collation.Binary);
      ids.push(c.id);
      if (isBinCollation(coll) && v !== null) {
        fts.push(TAIL_SPACE_FT);
        vals.push(tailSpaces(v as string));
      } else {
        fts.push(c.ft);
        vals.push(v);
      }
    };
    if (!this.clustered) {
      if (!idx.columns.some((off) => needRestoredData(cols[off]!.ft))) return null;
      for (const off of idx.columns) {
        const c = cols[off]!;
        ids.push(c.id);
        fts.push(c.ft);
        vals.push(values[off]!);
      }
    } else {
      for (const off of idx.columns) {
        const c = cols[off]!;
        if (c.primary || !needRestoredData(c.ft)) continue;
        restoredValue(c);
      }
      const h = this.schema.handle;
      if (h.kind === "common") {
        for (const off of h.columns) {
          const c = cols[off]!;
          if (needRestoredData(c.ft)) restoredValue(c);
        }
      }
      if (ids.length === 0) return null;
    }
    return this.rowEncoder.encode(ids, fts, vals);
  }
}

/** How a column's value is written in keys (index keys and common handles). */
function keyDatumOf(col: ColumnDef): (v: ColumnValue) => Datum {
  const ft = col.ft;
  const unsigned = isUnsigned(ft);
  switch (columnKind(ft)) {
    case "int":
      return (v) =>
        v === null
          ? Datum.NULL
          : unsigned
            ? Datum.uint(v as number | bigint)
            : Datum.int(v as number | bigint);
    case "year":
      return (v) => (v === null ? Datum.NULL : Datum.int(v as number));
    case "float":
      return (v) => (v === null ? Datum.NULL : Datum.float(v as number));
    case "decimal":
      // Keyed with the column's precision and scale, so that keys of one column compare.
      return (v) => (v === null ? Datum.NULL : Datum.decimal(v as Decimal, ft.flen!, ft.decimal!));
    case "time":
      if (ft.tp === FieldTypeTp.Duration)
        return (v) => (v === null ? Datum.NULL : Datum.duration(v as Duration));
      return (v) => (v === null ? Datum.NULL : Datum.time(v as Time));
    case "enum":
      return (v) => (v === null ? Datum.NULL : Datum.uint((v as Enum).value));
    case "set":
      return (v) => (v === null ? Datum.NULL : Datum.uint((v as MySqlSet).toBigInt()));
    case "bit":
      return (v) => (v === null ? Datum.NULL : Datum.uint(v as bigint));
    case "binary":
      return (v) => (v === null ? Datum.NULL : Datum.bytes(v as Uint8Array));
    case "string": {
      // New collations: the key holds the collation's sort key.
      const collator = collatorFor(collationFromId(ft.collate ?? Collation.Binary));
      return (v) => (v === null ? Datum.NULL : Datum.bytes(collator.sortKey(utf8.encode(v as string))));
    }
    case "json":
      return () => {
        throw new RangeError(`JSON column '${col.name}' cannot be in a key`);
      };
  }
}
