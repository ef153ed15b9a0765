// The shared bench generator and exact answers: values within TPC-H's ranges, the same table for
// the same seed, and Q6/Q1 answers on rows worked out by hand.
import { describe, expect, it } from "vitest";
import {
  dateOfDayNumber,
  dayNumber,
  LineitemGenerator,
  type LineitemValues,
  q1Expected,
  q6Expected,
  scaled,
} from "../src/index.js";

function valuesOf(
  rows: { qty: number; price: number; disc: number; tax: number; rf: string; ls: string; ship: number }[],
): LineitemValues {
  return {
    rows: rows.length,
    quantity: Int32Array.from(rows, (r) => r.qty),
    extendedprice: Int32Array.from(rows, (r) => r.price),
    discount: Int32Array.from(rows, (r) => r.disc),
    tax: Int32Array.from(rows, (r) => r.tax),
    returnflag: Uint8Array.from(rows, (r) => r.rf.charCodeAt(0)),
    linestatus: Uint8Array.from(rows, (r) => r.ls.charCodeAt(0)),
    shipdate: Int32Array.from(rows, (r) => r.ship),
  };
}

describe("LineitemGenerator", () => {
  it("stays within TPC-H 3.0's value rules and is deterministic per seed", () => {
    const a = new LineitemGenerator(5000);
    const b = new LineitemGenerator(5000);
    const start = dayNumber(1992, 1, 1);
    const end = dayNumber(1998, 12, 31);
    for (let row = a.next(); row !== null; row = a.next()) {
      const other = b.next()!;
      expect({ ...row }).toEqual({ ...other });
      expect(row.quantityCents % 100).toBe(0);
      expect(row.quantityCents / 100).toBeGreaterThanOrEqual(1);
      expect(row.quantityCents / 100).toBeLessThanOrEqual(50);
      expect(row.priceCents % (row.quantityCents / 100)).toBe(0); // quantity * retail price
      expect(row.discountCents).toBeGreaterThanOrEqual(0);
      expect(row.discountCents).toBeLessThanOrEqual(10);
      expect(row.taxCents).toBeLessThanOrEqual(8);
      expect(row.shipdate).toBeGreaterThan(start);
      expect(row.receiptdate).toBeGreaterThan(row.shipdate);
      expect(row.receiptdate).toBeLessThanOrEqual(end);
      expect(row.linestatus).toBe(row.shipdate > dayNumber(1995, 6, 17) ? "O" : "F");
      expect(row.returnflag === "N").toBe(row.receiptdate > dayNumber(1995, 6, 17));
      expect(row.comment.length).toBeGreaterThanOrEqual(10);
    }
    expect(a.count).toBe(5000);
    expect(new LineitemGenerator(10, 1).next()).not.toEqual(new LineitemGenerator(10, 2).next());
  });

  it("day numbers round-trip", () => {
    expect(dayNumber(1970, 1, 1)).toBe(0);
    expect(dateOfDayNumber(dayNumber(1996, 2, 29))).toEqual({ year: 1996, month: 2, day: 29 });
  });
});

describe("exact answers", () => {
  const d = dayNumber(1994, 6, 1);
  const v = valuesOf([
    // Q6 keeps: 1994, discount 0.05..0.07, quantity < 24.
    { qty: 1000, price: 1_000_00, disc: 5, tax: 1, rf: "A", ls: "F", ship: d },
    { qty: 2300, price: 2_000_00, disc: 7, tax: 2, rf: "A", ls: "F", ship: d },
    { qty: 2400, price: 3_000_00, disc: 6, tax: 0, rf: "R", ls: "F", ship: d }, // quantity 24: out of Q6
    { qty: 100, price: 50_00, disc: 4, tax: 8, rf: "N", ls: "O", ship: dayNumber(1998, 9, 3) }, // out of both
  ]);

  it("Q6: SUM(price * discount) at scale 4 over the kept rows", () => {
    // 1000.00 * 0.05 + 2000.00 * 0.07 = 50 + 140 = 190.0000
    expect(q6Expected(v)).toEqual({ revenue: 190_0000n, rows: 2 });
  });

  it("Q1: per group sums at scales 2, 2, 4, 6 and counts", () => {
    const g = q1Expected(v);
    expect([...g.keys()]).toEqual(["AF", "RF"]);
    // AF: price*(1-disc) = 1000*0.95 + 2000*0.93 = 950 + 1860 = 2810.0000;
    // charge = 950*1.01 + 1860*1.02 = 959.5 + 1897.2 = 2856.700000
    expect(g.get("AF")).toEqual({
      qty: 3300n,
      price: 3_000_00n,
      discPrice: 2810_0000n,
      charge: 2856_700000n,
      disc: 12n,
      count: 2n,
    });
    expect(g.get("RF")!.discPrice).toBe(2820_0000n); // 3000 * 0.94
  });

  it("scaled() reads decimal strings exactly", () => {
    expect(scaled("-12.5", 2)).toBe(-1250n);
    expect(scaled("3", 4)).toBe(30000n);
    expect(scaled("1.2300", 2)).toBe(123n);
    expect(() => scaled("1.234", 2)).toThrow(/more than 2 decimals/);
  });
});
