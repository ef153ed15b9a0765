// A deterministic TPC-H-like `lineitem` for the executor benches, stored in a MemoryStorage as
// TiDB writes it: record keys `t{table}_r{handle}` and row format v2 values (the int handle
// column is not in the value, as with TiDB's PKIsHandle tables).
//
// Values follow the TPC-H 3.0 spec (4.2.3) ranges: quantity 1..50, extendedprice = quantity *
// p_retailprice(partkey), discount 0.00..0.10, tax 0.00..0.08, shipdate = orderdate + 1..121 days
// with orderdate in 1992-01-01..1998-08-02, commit/receipt dates, returnflag R/A/N and linestatus
// O/F from the 1995-06-17 "current date". Deviation: TPC-H's primary key is (l_orderkey,
// l_linenumber); here l_orderkey is a unique BIGINT handle so that the table is an int-handle
// table (one key decode per row, as with `_tidb_rowid`).
//
// Besides the storage, the generator keeps the columns the TPC-H Q1 and Q6 benches need in typed
// arrays (decimals as integer cents, dates as day numbers) so that the bench can compute exact
// answers without the engine.
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
import { MemoryStorage } from "../src/storage.js";

export const LINEITEM_TABLE_ID = 100;

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

/** Day number (days since 1970-01-01) of a calendar date. */
export function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

const START_DATE = dayNumber(1992, 1, 1);
const END_DATE = dayNumber(1998, 12, 31);
const CURRENT_DATE = dayNumber(1995, 6, 17);

/** The Q1/Q6 columns of the generated rows, in handle order. */
export interface LineitemValues {
  readonly rows: number;
  /** Decimals as integer cents (scale 2). */
  readonly quantity: Int32Array;
  readonly extendedprice: Int32Array;
  readonly discount: Int32Array;
  readonly tax: Int32Array;
  /** Char codes of the one-character flags. */
  readonly returnflag: Uint8Array;
  readonly linestatus: Uint8Array;
  /** Day numbers (days since 1970-01-01). */
  readonly shipdate: Int32Array;
}

export interface Lineitem {
  readonly storage: MemoryStorage;
  readonly values: LineitemValues;
  /** Bytes of the row v2 values written. */
  readonly valueBytes: number;
}

/** mulberry32: a small, fast, seeded 32-bit PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SHIP_INSTRUCT = ["DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"];
const SHIP_MODE = ["REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"];
const WORDS = (
  "furiously sly final express regular pending ironic bold careful quick slyly blithely " +
  "carefully fluffily deposits requests accounts packages instructions foxes theodolites pinto beans " +
  "according to the above among across after haggle nag wake sleep cajole boost detect"
).split(" ");

/**
 * Generates `rows` lineitems from `seed` and writes them into a new MemoryStorage (keys put in
 * ascending handle order, so the storage needs no sort). Handles (l_orderkey) are 1..rows.
 */
export function generateLineitem(rows: number, seed = 20_240_601): Lineitem {
  const rand = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const sf = Math.max(rows / 6_000_000, 0.01);
  const parts = Math.max(Math.round(200_000 * sf), 1);
  const supps = Math.max(Math.round(10_000 * sf), 1);

  const ctx = new EvalContext();
  const dates = new Map<number, Time>();
  const dateOf = (d: number): Time => {
    let t = dates.get(d);
    if (t === undefined) {
      const js = new Date(d * 86_400_000);
      t = Time.fromFields(
        ctx,
        {
          year: js.getUTCFullYear(),
          month: js.getUTCMonth() + 1,
          day: js.getUTCDate(),
          hour: 0,
          minute: 0,
          second: 0,
          micro: 0,
        },
        TimeType.Date,
        0,
      );
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
  const comments: string[] = [];
  for (let i = 0; i < 4096; i++) {
    const len = int(10, 43);
    let s = WORDS[int(0, WORDS.length - 1)]!;
    while (s.length < len) s += ` ${WORDS[int(0, WORDS.length - 1)]}`;
    comments.push(s.slice(0, len));
  }

  const values = {
    rows,
    quantity: new Int32Array(rows),
    extendedprice: new Int32Array(rows),
    discount: new Int32Array(rows),
    tax: new Int32Array(rows),
    returnflag: new Uint8Array(rows),
    linestatus: new Uint8Array(rows),
    shipdate: new Int32Array(rows),
  };
  const cols = Object.values(LINEITEM_SCHEMA).slice(1); // the handle is not in the value
  const ids = cols.map((c) => c.id);
  const fts = cols.map((c) => c.ft);
  const encoder = new RowV2Encoder();
  const row: RowV2Value[] = new Array(ids.length);
  const storage = new MemoryStorage();
  let valueBytes = 0;
  let orderdate = 0;
  let linenumber = 0;
  for (let r = 0; r < rows; r++) {
    // An order of 1..7 lines shares its order date.
    if (linenumber === 0 || linenumber >= int(1, 7)) {
      orderdate = START_DATE + int(0, END_DATE - 151 - START_DATE);
      linenumber = 0;
    }
    linenumber++;
    const partkey = int(1, parts);
    const suppkey = int(1, supps);
    const quantity = int(1, 50);
    const retailCents = 90_000 + (Math.floor(partkey / 10) % 20_001) + 100 * (partkey % 1000);
    const priceCents = quantity * retailCents;
    const discount = int(0, 10);
    const tax = int(0, 8);
    const shipdate = orderdate + int(1, 121);
    const commitdate = orderdate + int(30, 90);
    const receiptdate = shipdate + int(1, 30);
    const returnflag = receiptdate <= CURRENT_DATE ? (rand() < 0.5 ? "R" : "A") : "N";
    const linestatus = shipdate > CURRENT_DATE ? "O" : "F";

    values.quantity[r] = quantity * 100;
    values.extendedprice[r] = priceCents;
    values.discount[r] = discount;
    values.tax[r] = tax;
    values.returnflag[r] = returnflag.charCodeAt(0);
    values.linestatus[r] = linestatus.charCodeAt(0);
    values.shipdate[r] = shipdate;

    row[0] = partkey;
    row[1] = suppkey;
    row[2] = linenumber;
    row[3] = smallDecimal(quantity * 100);
    row[4] = Decimal.fromScaledNumber(priceCents, 2);
    row[5] = smallDecimal(discount);
    row[6] = smallDecimal(tax);
    row[7] = returnflag;
    row[8] = linestatus;
    row[9] = dateOf(shipdate);
    row[10] = dateOf(commitdate);
    row[11] = dateOf(receiptdate);
    row[12] = SHIP_INSTRUCT[int(0, SHIP_INSTRUCT.length - 1)]!;
    row[13] = SHIP_MODE[int(0, SHIP_MODE.length - 1)]!;
    row[14] = comments[int(0, comments.length - 1)]!;
    const value = encoder.encode(ids, fts, row);
    valueBytes += value.length;
    storage.put(encodeRecordKey(LINEITEM_TABLE_ID, r + 1), value);
  }
  return { storage, values, valueBytes };
}
