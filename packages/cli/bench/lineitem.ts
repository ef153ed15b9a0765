// The end-to-end bench's `lineitem`: the same table, the same seeded values as
// packages/executors/bench/lineitem.ts (TPC-H 3.0 §4.2.3 value rules, l_orderkey a unique BIGINT
// handle 1..rows), but produced batch by batch as the key-value pairs the cli's TableEncoder writes,
// so that they can be loaded through Prewrite/Commit without holding the table in memory.
//
// The generator also keeps the Q1/Q6 columns in typed arrays (decimals as integer cents, dates as
// day numbers) so that the bench computes exact answers without the engine.
import { Decimal, EvalContext, Time, TimeType } from "@copr/datatype";
import type { ColumnValue } from "../src/convert.js";
import { type KvPair, TableEncoder } from "../src/encode.js";
import { parseSchema, type TableSchema } from "../src/schema.js";

/** The table id of `lineitem` (as in the executors bench). */
export const LINEITEM_TABLE_ID = 100;

/** `lineitem` as a schema file would give it: 16 NOT NULL columns, l_orderkey the int handle. */
export const LINEITEM_SCHEMA: TableSchema = parseSchema({
  tableId: LINEITEM_TABLE_ID,
  columns: [
    { name: "l_orderkey", type: "bigint" },
    { name: "l_partkey", type: "bigint", nullable: false },
    { name: "l_suppkey", type: "bigint", nullable: false },
    { name: "l_linenumber", type: "bigint", nullable: false },
    { name: "l_quantity", type: "decimal(15,2)", nullable: false },
    { name: "l_extendedprice", type: "decimal(15,2)", nullable: false },
    { name: "l_discount", type: "decimal(15,2)", nullable: false },
    { name: "l_tax", type: "decimal(15,2)", nullable: false },
    { name: "l_returnflag", type: "char(1)", nullable: false },
    { name: "l_linestatus", type: "char(1)", nullable: false },
    { name: "l_shipdate", type: "date", nullable: false },
    { name: "l_commitdate", type: "date", nullable: false },
    { name: "l_receiptdate", type: "date", nullable: false },
    { name: "l_shipinstruct", type: "char(25)", nullable: false },
    { name: "l_shipmode", type: "char(10)", nullable: false },
    { name: "l_comment", type: "varchar(44)", nullable: false },
  ],
  primaryKey: ["l_orderkey"],
});

/** A column of `lineitem` by name. */
export function lineitemColumn(name: string) {
  const c = LINEITEM_SCHEMA.columns.find((col) => col.name === name);
  if (c === undefined) throw new Error(`lineitem has no column ${name}`);
  return c;
}

/** Day number (days since 1970-01-01) of a calendar date. */
export function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

const START_DATE = dayNumber(1992, 1, 1);
const END_DATE = dayNumber(1998, 12, 31);
const CURRENT_DATE = dayNumber(1995, 6, 17);

/** The Q1/Q6 columns of the rows generated so far, in handle order (index = handle - 1). */
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
  /** Day numbers. */
  readonly shipdate: Int32Array;
}

/** mulberry32, the executors bench's PRNG: the same seed gives the same table. */
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
 * Generates `rows` lineitems (handles 1..rows) from `seed`, in handle order, a batch at a time.
 * The random draws happen in the executors bench's order, so both benches hold the same table.
 */
export class LineitemGenerator {
  /** The Q1/Q6 columns of every row (filled as batches are generated). */
  readonly values: LineitemValues;
  /** Bytes of the row values generated so far. */
  valueBytes = 0;
  private next = 0;
  private readonly rand: () => number;
  private readonly parts: number;
  private readonly supps: number;
  private readonly comments: string[] = [];
  private readonly encoder = new TableEncoder(LINEITEM_TABLE_ID, LINEITEM_SCHEMA);
  private readonly ctx = new EvalContext();
  private readonly dates = new Map<number, Time>();
  private readonly cents = new Map<number, Decimal>();
  private readonly row: ColumnValue[] = new Array(16);
  private orderdate = 0;
  private linenumber = 0;

  constructor(
    readonly rows: number,
    seed = 20_240_601,
  ) {
    if (!Number.isSafeInteger(rows) || rows < 1)
      throw new RangeError(`rows must be a positive integer, not ${rows}`);
    this.rand = prng(seed);
    const sf = Math.max(rows / 6_000_000, 0.01);
    this.parts = Math.max(Math.round(200_000 * sf), 1);
    this.supps = Math.max(Math.round(10_000 * sf), 1);
    for (let i = 0; i < 4096; i++) {
      const len = this.int(10, 43);
      let s = WORDS[this.int(0, WORDS.length - 1)]!;
      while (s.length < len) s += ` ${WORDS[this.int(0, WORDS.length - 1)]}`;
      this.comments.push(s.slice(0, len));
    }
    this.values = {
      rows,
      quantity: new Int32Array(rows),
      extendedprice: new Int32Array(rows),
      discount: new Int32Array(rows),
      tax: new Int32Array(rows),
      returnflag: new Uint8Array(rows),
      linestatus: new Uint8Array(rows),
      shipdate: new Int32Array(rows),
    };
  }

  /** Rows generated so far. */
  get generated(): number {
    return this.next;
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }

  private dateOf(d: number): Time {
    let t = this.dates.get(d);
    if (t === undefined) {
      const js = new Date(d * 86_400_000);
      const fields = {
        year: js.getUTCFullYear(),
        month: js.getUTCMonth() + 1,
        day: js.getUTCDate(),
        hour: 0,
        minute: 0,
        second: 0,
        micro: 0,
      };
      t = Time.fromFields(this.ctx, fields, TimeType.Date, 0);
      this.dates.set(d, t);
    }
    return t;
  }

  private smallDecimal(c: number): Decimal {
    let v = this.cents.get(c);
    if (v === undefined) {
      v = Decimal.fromScaledNumber(c, 2);
      this.cents.set(c, v);
    }
    return v;
  }

  /** The key-value pairs of the next `n` rows (fewer at the end; empty when all are generated). */
  nextBatch(n: number): KvPair[] {
    const out: KvPair[] = [];
    const end = Math.min(this.next + n, this.rows);
    const v = this.values;
    const row = this.row;
    for (let r = this.next; r < end; r++) {
      // An order of 1..7 lines shares its order date (the draw of its size is made per line).
      if (this.linenumber === 0 || this.linenumber >= this.int(1, 7)) {
        this.orderdate = START_DATE + this.int(0, END_DATE - 151 - START_DATE);
        this.linenumber = 0;
      }
      this.linenumber++;
      const partkey = this.int(1, this.parts);
      const suppkey = this.int(1, this.supps);
      const quantity = this.int(1, 50);
      const retailCents = 90_000 + (Math.floor(partkey / 10) % 20_001) + 100 * (partkey % 1000);
      const priceCents = quantity * retailCents;
      const discount = this.int(0, 10);
      const tax = this.int(0, 8);
      const shipdate = this.orderdate + this.int(1, 121);
      const commitdate = this.orderdate + this.int(30, 90);
      const receiptdate = shipdate + this.int(1, 30);
      const returnflag = receiptdate <= CURRENT_DATE ? (this.rand() < 0.5 ? "R" : "A") : "N";
      const linestatus = shipdate > CURRENT_DATE ? "O" : "F";

      v.quantity[r] = quantity * 100;
      v.extendedprice[r] = priceCents;
      v.discount[r] = discount;
      v.tax[r] = tax;
      v.returnflag[r] = returnflag.charCodeAt(0);
      v.linestatus[r] = linestatus.charCodeAt(0);
      v.shipdate[r] = shipdate;

      row[0] = r + 1;
      row[1] = partkey;
      row[2] = suppkey;
      row[3] = this.linenumber;
      row[4] = this.smallDecimal(quantity * 100);
      row[5] = Decimal.fromScaledNumber(priceCents, 2);
      row[6] = this.smallDecimal(discount);
      row[7] = this.smallDecimal(tax);
      row[8] = returnflag;
      row[9] = linestatus;
      row[10] = this.dateOf(shipdate);
      row[11] = this.dateOf(commitdate);
      row[12] = this.dateOf(receiptdate);
      row[13] = SHIP_INSTRUCT[this.int(0, SHIP_INSTRUCT.length - 1)]!;
      row[14] = SHIP_MODE[this.int(0, SHIP_MODE.length - 1)]!;
      row[15] = this.comments[this.int(0, this.comments.length - 1)]!;
      // One pair: the record (the table has no index).
      const pairs = this.encoder.encodeRow(row);
      for (const p of pairs) {
        this.valueBytes += p.value.length;
        out.push(p);
      }
    }
    this.next = end;
    return out;
  }
}
