// A TPC-H-like `lineitem` for copr's benches, as plain values (no encoding): the executors bench
// writes the rows as row v2 into a MemoryStorage, the end-to-end bench through the cli's table
// encoder and Prewrite/Commit; both get the same table from the same seed. Also the exact answers
// of the coprocessor parts of TPC-H Q6 and Q1, computed with bigint cents from the generated
// values, never with the engine.
//
// Values follow the TPC-H 3.0 spec (4.2.3) ranges: quantity 1..50, extendedprice = quantity *
// p_retailprice(partkey), discount 0.00..0.10, tax 0.00..0.08, shipdate = orderdate + 1..121 days
// with orderdate in 1992-01-01..1998-08-02, commit/receipt dates, returnflag R/A/N and linestatus
// O/F from the 1995-06-17 "current date". Deviation: TPC-H's primary key is (l_orderkey,
// l_linenumber); here l_orderkey is a unique BIGINT handle 1..rows, so that the table is an
// int-handle table (one key decode per row, as with `_tidb_rowid`).

/** The table id both benches use for `lineitem`. */
export const LINEITEM_TABLE_ID = 100;

/** Day number (days since 1970-01-01) of a calendar date. */
export function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

/** The calendar fields of a day number. */
export function dateOfDayNumber(d: number): { year: number; month: number; day: number } {
  const js = new Date(d * 86_400_000);
  return { year: js.getUTCFullYear(), month: js.getUTCMonth() + 1, day: js.getUTCDate() };
}

const START_DATE = dayNumber(1992, 1, 1);
const END_DATE = dayNumber(1998, 12, 31);
const CURRENT_DATE = dayNumber(1995, 6, 17);

/** One generated row (the generator reuses the object: copy what you keep). */
export interface LineitemRow {
  /** l_orderkey, the int handle: 1..rows. */
  orderkey: number;
  partkey: number;
  suppkey: number;
  linenumber: number;
  /** DECIMAL(15,2) values as integer cents. */
  quantityCents: number;
  priceCents: number;
  discountCents: number;
  taxCents: number;
  returnflag: string;
  linestatus: string;
  /** Day numbers. */
  shipdate: number;
  commitdate: number;
  receiptdate: number;
  shipinstruct: string;
  shipmode: string;
  comment: string;
}

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

/** Generates `rows` lineitems (handles 1..rows) from `seed`, in handle order, one at a time. */
export class LineitemGenerator {
  /** The Q1/Q6 columns of every row (filled as rows are generated). */
  readonly values: LineitemValues;
  private generated = 0;
  private readonly rand: () => number;
  private readonly parts: number;
  private readonly supps: number;
  private readonly comments: string[] = [];
  private orderdate = 0;
  private linenumber = 0;
  private readonly row: LineitemRow = {
    orderkey: 0,
    partkey: 0,
    suppkey: 0,
    linenumber: 0,
    quantityCents: 0,
    priceCents: 0,
    discountCents: 0,
    taxCents: 0,
    returnflag: "",
    linestatus: "",
    shipdate: 0,
    commitdate: 0,
    receiptdate: 0,
    shipinstruct: "",
    shipmode: "",
    comment: "",
  };

  constructor(
    readonly rows: number,
    seed = 20_240_601,
  ) {
    if (!Number.isSafeInteger(rows) || rows < 1) {
      throw new RangeError(`rows must be a positive integer, not ${rows}`);
    }
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
  get count(): number {
    return this.generated;
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }

  /** The next row, or null once `rows` rows are generated. The object is reused. */
  next(): LineitemRow | null {
    const r = this.generated;
    if (r >= this.rows) return null;
    this.generated = r + 1;
    // An order of 1..7 lines shares its order date (the draw of its size is made per line).
    if (this.linenumber === 0 || this.linenumber >= this.int(1, 7)) {
      this.orderdate = START_DATE + this.int(0, END_DATE - 151 - START_DATE);
      this.linenumber = 0;
    }
    this.linenumber++;
    const row = this.row;
    row.orderkey = r + 1;
    row.partkey = this.int(1, this.parts);
    row.suppkey = this.int(1, this.supps);
    row.linenumber = this.linenumber;
    const quantity = this.int(1, 50);
    const retailCents = 90_000 + (Math.floor(row.partkey / 10) % 20_001) + 100 * (row.partkey % 1000);
    row.quantityCents = quantity * 100;
    row.priceCents = quantity * retailCents;
    row.discountCents = this.int(0, 10);
    row.taxCents = this.int(0, 8);
    row.shipdate = this.orderdate + this.int(1, 121);
    row.commitdate = this.orderdate + this.int(30, 90);
    row.receiptdate = row.shipdate + this.int(1, 30);
    row.returnflag = row.receiptdate <= CURRENT_DATE ? (this.rand() < 0.5 ? "R" : "A") : "N";
    row.linestatus = row.shipdate > CURRENT_DATE ? "O" : "F";
    row.shipinstruct = SHIP_INSTRUCT[this.int(0, SHIP_INSTRUCT.length - 1)]!;
    row.shipmode = SHIP_MODE[this.int(0, SHIP_MODE.length - 1)]!;
    row.comment = this.comments[this.int(0, this.comments.length - 1)]!;

    const v = this.values;
    v.quantity[r] = row.quantityCents;
    v.extendedprice[r] = row.priceCents;
    v.discount[r] = row.discountCents;
    v.tax[r] = row.taxCents;
    v.returnflag[r] = row.returnflag.charCodeAt(0);
    v.linestatus[r] = row.linestatus.charCodeAt(0);
    v.shipdate[r] = row.shipdate;
    return row;
  }
}

// ---------------------------------------------------------------------------------------------
// Exact answers

/** Q6's date range `[1994-01-01, 1995-01-01)` and Q1's last ship date (1998-12-01 - 90 days). */
export const Q6_FROM = dayNumber(1994, 1, 1);
export const Q6_TO = dayNumber(1995, 1, 1);
export const Q1_TO = dayNumber(1998, 9, 2);

/** Q6's revenue `SUM(l_extendedprice * l_discount)` at scale 4, and how many rows pass its filter. */
export function q6Expected(v: LineitemValues): { revenue: bigint; rows: number } {
  let revenue = 0n;
  let rows = 0;
  for (let r = 0; r < v.rows; r++) {
    const d = v.shipdate[r]!;
    const disc = v.discount[r]!;
    if (d >= Q6_FROM && d < Q6_TO && disc >= 5 && disc <= 7 && v.quantity[r]! < 2400) {
      revenue += BigInt(v.extendedprice[r]!) * BigInt(disc);
      rows++;
    }
  }
  return { revenue, rows };
}

/** One Q1 group: sums at their scale (2, 2, 4, 6; the discount sum at 2) and the row count. */
export interface Q1Group {
  qty: bigint;
  price: bigint;
  discPrice: bigint;
  charge: bigint;
  disc: bigint;
  count: bigint;
}

/** An empty Q1 group. */
export const newQ1Group = (): Q1Group => ({
  qty: 0n,
  price: 0n,
  discPrice: 0n,
  charge: 0n,
  disc: 0n,
  count: 0n,
});

/** Q1's groups by `returnflag + linestatus` (e.g. "AF"). */
export function q1Expected(v: LineitemValues): Map<string, Q1Group> {
  const groups = new Map<string, Q1Group>();
  for (let r = 0; r < v.rows; r++) {
    if (v.shipdate[r]! > Q1_TO) continue;
    const key = String.fromCharCode(v.returnflag[r]!, v.linestatus[r]!);
    let g = groups.get(key);
    if (g === undefined) {
      g = newQ1Group();
      groups.set(key, g);
    }
    const price = BigInt(v.extendedprice[r]!);
    const dp = price * BigInt(100 - v.discount[r]!);
    g.qty += BigInt(v.quantity[r]!);
    g.price += price;
    g.discPrice += dp;
    g.charge += dp * BigInt(100 + v.tax[r]!);
    g.disc += BigInt(v.discount[r]!);
    g.count += 1n;
  }
  return groups;
}

/** A decimal string as an integer at `scale` (exact: throws if digits would be lost). */
export function scaled(s: string, scale: number): bigint {
  const neg = s.startsWith("-");
  const [int, frac = ""] = (neg ? s.slice(1) : s).split(".");
  if (frac.length > scale && /[^0]/.test(frac.slice(scale))) {
    throw new Error(`${s} has more than ${scale} decimals`);
  }
  const v = BigInt(int + frac.slice(0, scale).padEnd(scale, "0"));
  return neg ? -v : v;
}
