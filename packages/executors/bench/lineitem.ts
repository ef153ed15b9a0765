// The `lineitem` of the executors benches, stored in a MemoryStorage as TiDB writes it: record
// keys `t{table}_r{handle}` and row format v2 values (the int handle column is not in the value,
// as with TiDB's PKIsHandle tables). The rows themselves come from @copr/tpch's seeded generator
// (TPC-H 3.0 value rules; l_orderkey a unique BIGINT handle), shared with the end-to-end bench,
// which also keeps the Q1/Q6 columns as typed arrays for the exact answers.
import { encodeRecordKey, RowV2Encoder, type RowV2Value } from "@copr/codec";
import {
  Decimal,
  EvalContext,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  Time,
  TimeType,
} from "@copr/datatype";
import { i64, type tipb } from "@copr/proto";
import { dateOfDayNumber, LINEITEM_TABLE_ID, LineitemGenerator, type LineitemValues } from "@copr/tpch";
import { MemoryStorage } from "../src/storage.js";

export { dayNumber, LINEITEM_TABLE_ID, type LineitemValues } from "@copr/tpch";

const NN = FieldTypeFlag.NotNull;
const BIN_COLLATION = -46; // utf8mb4_bin, negative as TiDB sends new collations
const dec152 = fieldType(FieldTypeTp.NewDecimal, { flag: NN, flen: 15, decimal: 2 });
const date = fieldType(FieldTypeTp.Date, { flag: NN | FieldTypeFlag.Binary, flen: 10, decimal: 0 });
const char = (flen: number) =>
  fieldType(FieldTypeTp.String, { flag: NN, flen, collate: BIN_COLLATION, charset: "utf8mb4" });
const varchar = (flen: number) =>
  fieldType(FieldTypeTp.VarChar, { flag: NN, flen, collate: BIN_COLLATION, charset: "utf8mb4" });
const bigint = fieldType(FieldTypeTp.LongLong, { flag: NN, flen: 20 });

/** The columns of `lineitem`, with their column ids (1-based, in CREATE TABLE order). */
export const LINEITEM_SCHEMA = {
  l_orderkey: { id: 1, ft: fieldType(FieldTypeTp.LongLong, { flag: NN | FieldTypeFlag.PriKey, flen: 20 }) },
  l_partkey: { id: 2, ft: bigint },
  l_suppkey: { id: 3, ft: bigint },
  l_linenumber: { id: 4, ft: bigint },
  l_quantity: { id: 5, ft: dec152 },
  l_extendedprice: { id: 6, ft: dec152 },
  l_discount: { id: 7, ft: dec152 },
  l_tax: { id: 8, ft: dec152 },
  l_returnflag: { id: 9, ft: char(1) },
  l_linestatus: { id: 10, ft: char(1) },
  l_shipdate: { id: 11, ft: date },
  l_commitdate: { id: 12, ft: date },
  l_receiptdate: { id: 13, ft: date },
  l_shipinstruct: { id: 14, ft: char(25) },
  l_shipmode: { id: 15, ft: char(10) },
  l_comment: { id: 16, ft: varchar(44) },
} as const satisfies Record<string, { id: number; ft: FieldType }>;

export type LineitemColumn = keyof typeof LINEITEM_SCHEMA;

/** The TableScan ColumnInfo of `col`, as TiDB builds it. */
export function lineitemColumnInfo(col: LineitemColumn): tipb.ColumnInfo.$Properties {
  const { id, ft } = LINEITEM_SCHEMA[col];
  return {
    columnId: i64(id),
    tp: ft.tp,
    flag: ft.flag ?? 0,
    columnLen: ft.flen ?? -1,
    decimal: ft.decimal ?? -1,
    collation: ft.collate ?? 63,
    pkHandle: col === "l_orderkey",
  };
}

export interface Lineitem {
  readonly storage: MemoryStorage;
  readonly values: LineitemValues;
  /** Bytes of the row v2 values written. */
  readonly valueBytes: number;
}

/**
 * Generates `rows` lineitems from `seed` and writes them into a new MemoryStorage (keys put in
 * ascending handle order, so they append to its arena). Handles (l_orderkey) are 1..rows.
 */
export function generateLineitem(rows: number, seed?: number): Lineitem {
  const gen = new LineitemGenerator(rows, seed);
  const ctx = new EvalContext();
  const dates = new Map<number, Time>();
  const dateOf = (d: number): Time => {
    let t = dates.get(d);
    if (t === undefined) {
      const fields = { ...dateOfDayNumber(d), hour: 0, minute: 0, second: 0, micro: 0 };
      t = Time.fromFields(ctx, fields, TimeType.Date, 0);
      dates.set(d, t);
    }
    return t;
  };
  const cents = new Map<number, Decimal>();
  const smallDecimal = (c: number): Decimal => {
    let v = cents.get(c);
    if (v === undefined) {
      v = Decimal.fromScaledNumber(c, 2);
      cents.set(c, v);
    }
    return v;
  };
  const cols = Object.values(LINEITEM_SCHEMA).slice(1); // the handle is not in the value
  const ids = cols.map((c) => c.id);
  const fts = cols.map((c) => c.ft);
  const encoder = new RowV2Encoder();
  const row: RowV2Value[] = new Array(ids.length);
  const storage = new MemoryStorage();
  let valueBytes = 0;
  for (let r = gen.next(); r !== null; r = gen.next()) {
    row[0] = r.partkey;
    row[1] = r.suppkey;
    row[2] = r.linenumber;
    row[3] = smallDecimal(r.quantityCents);
    row[4] = Decimal.fromScaledNumber(r.priceCents, 2);
    row[5] = smallDecimal(r.discountCents);
    row[6] = smallDecimal(r.taxCents);
    row[7] = r.returnflag;
    row[8] = r.linestatus;
    row[9] = dateOf(r.shipdate);
    row[10] = dateOf(r.commitdate);
    row[11] = dateOf(r.receiptdate);
    row[12] = r.shipinstruct;
    row[13] = r.shipmode;
    row[14] = r.comment;
    const value = encoder.encode(ids, fts, row);
    valueBytes += value.length;
    storage.put(encodeRecordKey(LINEITEM_TABLE_ID, r.orderkey), value);
  }
  return { storage, values: gen.values, valueBytes };
}
