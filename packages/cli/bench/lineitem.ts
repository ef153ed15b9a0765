// The end-to-end bench's `lineitem`: the executors bench's table (@copr/tpch's seeded generator,
// TPC-H 3.0 §4.2.3 value rules, l_orderkey a unique BIGINT handle 1..rows), produced batch by batch
// as the key-value pairs the cli's TableEncoder writes, so that it can be loaded through
// Prewrite/Commit without holding the table in memory. The generator keeps the Q1/Q6 columns in
// typed arrays for the exact answers.
import { Decimal, EvalContext, Time, TimeType } from "@copr/datatype";
import { dateOfDayNumber, LINEITEM_TABLE_ID, LineitemGenerator, type LineitemValues } from "@copr/tpch";
import type { ColumnValue } from "../src/convert.js";
import { type KvPair, TableEncoder } from "../src/encode.js";
import { parseSchema, type TableSchema } from "../src/schema.js";

export { LINEITEM_TABLE_ID } from "@copr/tpch";

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

/**
 * Generates `rows` lineitems (handles 1..rows) from `seed` with @copr/tpch's generator (the
 * executors bench's table), a batch at a time, as the key-value pairs the cli's TableEncoder
 * writes.
 */
export class LineitemBatches {
  private readonly gen: LineitemGenerator;
  private readonly encoder = new TableEncoder(LINEITEM_TABLE_ID, LINEITEM_SCHEMA);
  private readonly ctx = new EvalContext();
  private readonly dates = new Map<number, Time>();
  private readonly cents = new Map<number, Decimal>();
  private readonly row: ColumnValue[] = new Array(16);
  /** Bytes of the row values generated so far. */
  valueBytes = 0;

  constructor(
    readonly rows: number,
    seed?: number,
  ) {
    this.gen = new LineitemGenerator(rows, seed);
  }

  /** The Q1/Q6 columns of every row (filled as batches are generated). */
  get values(): LineitemValues {
    return this.gen.values;
  }

  /** Rows generated so far. */
  get generated(): number {
    return this.gen.count;
  }

  private dateOf(d: number): Time {
    let t = this.dates.get(d);
    if (t === undefined) {
      const fields = { ...dateOfDayNumber(d), hour: 0, minute: 0, second: 0, micro: 0 };
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
    const row = this.row;
    for (let i = 0; i < n; i++) {
      const r = this.gen.next();
      if (r === null) break;
      row[0] = r.orderkey;
      row[1] = r.partkey;
      row[2] = r.suppkey;
      row[3] = r.linenumber;
      row[4] = this.smallDecimal(r.quantityCents);
      row[5] = Decimal.fromScaledNumber(r.priceCents, 2);
      row[6] = this.smallDecimal(r.discountCents);
      row[7] = this.smallDecimal(r.taxCents);
      row[8] = r.returnflag;
      row[9] = r.linestatus;
      row[10] = this.dateOf(r.shipdate);
      row[11] = this.dateOf(r.commitdate);
      row[12] = this.dateOf(r.receiptdate);
      row[13] = r.shipinstruct;
      row[14] = r.shipmode;
      row[15] = r.comment;
      // One pair: the record (the table has no index).
      for (const p of this.encoder.encodeRow(row)) {
        this.valueBytes += p.value.length;
        out.push(p);
      }
    }
    return out;
  }
}
