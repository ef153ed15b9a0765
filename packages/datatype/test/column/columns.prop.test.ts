import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ChunkedVecBytes,
  ChunkedVecDecimal,
  ChunkedVecInt,
  ChunkedVecReal,
  filterLogicalRows,
} from "../../src/column/index.js";
import { Decimal } from "../../src/index.js";

const i64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
// Mostly small values (the f64 representation), sometimes wide ones (the switch to i64).
const intValue = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -1000, max: 1000 }).map(BigInt) },
  { weight: 1, arbitrary: i64 },
);

describe("columns round-trip what the builder was given", () => {
  it("signed Int", () => {
    fc.assert(
      fc.property(fc.array(fc.option(intValue, { nil: null }), { maxLength: 200 }), (values) => {
        const col = ChunkedVecInt.fromValues(values);
        expect(col.length).toBe(values.length);
        expect(values.map((_, i) => col.get(i))).toEqual(values);
        const wide = values.some((v) => v !== null && (v > 2n ** 53n - 1n || v < -(2n ** 53n - 1n)));
        expect(col.data.repr).toBe(wide ? "i64" : "f64");
      }),
    );
  });

  it("unsigned Int", () => {
    fc.assert(
      fc.property(fc.array(fc.option(u64, { nil: null }), { maxLength: 200 }), (values) => {
        const col = ChunkedVecInt.fromValues(values, { unsigned: true });
        expect(values.map((_, i) => col.get(i))).toEqual(values);
      }),
    );
  });

  it("Real", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.double({ noNaN: true }), { nil: null }), { maxLength: 200 }),
        (values) => {
          const col = ChunkedVecReal.fromValues(values);
          expect(values.map((_, i) => col.get(i))).toEqual(values);
        },
      ),
    );
  });

  it("Bytes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.string({ unit: "grapheme" }), { nil: null }), { maxLength: 100 }),
        (values) => {
          const col = ChunkedVecBytes.fromValues(values);
          const dec = new TextDecoder();
          expect(values.map((_, i) => (col.isNull(i) ? null : dec.decode(col.get(i) as Uint8Array)))).toEqual(
            values,
          );
        },
      ),
    );
  });

  it("Decimal, and its scaled view agrees with BigInt arithmetic", () => {
    const cents = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });
    fc.assert(
      fc.property(fc.array(fc.option(cents, { nil: null }), { maxLength: 100 }), (values) => {
        const text = (c: bigint) => {
          const abs = c < 0n ? -c : c;
          return `${c < 0n ? "-" : ""}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
        };
        const col = ChunkedVecDecimal.fromValues(
          values.map((c) => (c === null ? null : Decimal.fromString(text(c)))),
        );
        values.forEach((c, i) => {
          expect(col.get(i)?.toString() ?? null).toBe(c === null ? null : text(c));
        });
        const scaled = col.scaledNumbers(2) as Float64Array;
        expect([...scaled].map(BigInt)).toEqual(values.map((c) => c ?? 0n));
      }),
    );
  });
});

describe("filterLogicalRows", () => {
  it("equals filtering the materialised rows", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 300 }), (keep) => {
        const got = filterLogicalRows(null, keep.length, (row) => keep[row]);
        const want = keep.flatMap((k, i) => (k ? [i] : []));
        expect(got === null ? [...Array(keep.length).keys()] : [...got]).toEqual(want);
        if (keep.every(Boolean)) expect(got).toBeNull();
      }),
    );
  });
});
