import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ChunkedVecBytes,
  ChunkedVecDateTime,
  ChunkedVecDateTimeBuilder,
  ChunkedVecDecimal,
  ChunkedVecDuration,
  ChunkedVecEnum,
  ChunkedVecInt,
  ChunkedVecIntBuilder,
  ChunkedVecJson,
  ChunkedVecSetBuilder,
  ChunkedVecVectorFloat32,
  decimalWordsToScaled,
  filterLogicalRows,
  materializeLogicalRows,
  selectLogicalRows,
} from "../../src/column/index.js";
import { Decimal } from "../../src/decimal/index.js";
import { Duration, MAX_DURATION_NANOS } from "../../src/duration/index.js";
import { Time } from "../../src/time/index.js";

// Columns round-trip what their builders were given (complements columns.prop.test.ts, which
// covers Int, Real, Bytes as text and DECIMAL(17,2)).

const nullable = <T>(arb: fc.Arbitrary<T>) => fc.array(fc.option(arb, { nil: null }), { maxLength: 300 });
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });

/** The expected validity: bit i set iff values[i] is not null, checked byte by byte. */
function checkValidity(
  col: { validity: Uint8Array | null; nullCount: number },
  values: readonly unknown[],
): void {
  const nulls = values.filter((v) => v === null).length;
  expect(col.nullCount).toBe(nulls);
  if (nulls === 0) {
    expect(col.validity).toBeNull();
    return;
  }
  const want = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => {
    if (v !== null) want[i >> 3] |= 1 << (i & 7);
  });
  expect(Array.from(col.validity as Uint8Array)).toEqual(Array.from(want));
}

describe("round trips through builder, column and get", () => {
  it("Int appended as numbers and bigints, with the switch anywhere", () => {
    const safe = fc.maxSafeInteger();
    const wide = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
    fc.assert(
      fc.property(nullable(fc.oneof(safe, wide)), (values) => {
        const b = new ChunkedVecIntBuilder({ capacity: values.length % 7 });
        for (const v of values) v === null ? b.appendNull() : b.append(v);
        const col = b.finish();
        checkValidity(col, values);
        expect(values.map((_, i) => col.get(i))).toEqual(values.map((v) => (v === null ? null : BigInt(v))));
        // Raw 64-bit patterns, NULL rows as 0.
        expect(Array.from(col.toI64Bits())).toEqual(values.map((v) => (v === null ? 0n : BigInt(v))));
      }),
    );
  });

  it("unsigned Int given as negative numbers reads as 2^64 + v", () => {
    fc.assert(
      fc.property(nullable(fc.integer({ min: -(2 ** 31), max: 2 ** 31 })), (values) => {
        const col = ChunkedVecInt.fromValues(values, { unsigned: true });
        expect(values.map((_, i) => col.get(i))).toEqual(
          values.map((v) => (v === null ? null : BigInt.asUintN(64, BigInt(v)))),
        );
        expect(col.data.repr).toBe(values.some((v) => v !== null && v < 0) ? "i64" : "f64");
      }),
    );
  });

  it("Bytes as raw bytes (any byte values, empty included)", () => {
    fc.assert(
      fc.property(nullable(fc.uint8Array({ maxLength: 40 })), (values) => {
        const col = ChunkedVecBytes.fromValues(values);
        checkValidity(col, values);
        expect(values.map((_, i) => col.get(i))).toEqual(values);
        expect(col.data.length).toBe(values.reduce((s, v) => s + (v?.length ?? 0), 0));
      }),
    );
  });

  it("Json bytes", () => {
    fc.assert(
      fc.property(nullable(fc.uint8Array({ minLength: 1, maxLength: 20 })), (values) => {
        const col = ChunkedVecJson.fromValues(values);
        expect(values.map((_, i) => col.get(i))).toEqual(values);
      }),
    );
  });

  it("DateTime layout words, all 64 bits", () => {
    fc.assert(
      fc.property(nullable(fc.tuple(u32, u32)), (values) => {
        const col = ChunkedVecDateTime.fromValues(
          values.map((w) => (w === null ? null : Time.fromWords(w[0], w[1]))),
        );
        checkValidity(col, values);
        const u64 = col.toU64();
        values.forEach((w, i) => {
          const t = col.get(i);
          if (w === null) {
            expect(t).toBeNull();
            expect(u64[i]).toBe(0n);
          } else {
            expect([t?.lowWord(), t?.highWord()]).toEqual(w);
            expect(u64[i]).toBe((BigInt(w[1]) << 32n) | BigInt(w[0]));
          }
        });
        // appendWords and append(Time) give the same column.
        const b = new ChunkedVecDateTimeBuilder();
        for (const w of values) w === null ? b.appendNull() : b.appendWords(w[0], w[1]);
        expect(Array.from(b.finish().words)).toEqual(Array.from(col.words));
      }),
    );
  });

  it("Duration nanoseconds over the whole TIME range", () => {
    const nanos = fc.integer({ min: -MAX_DURATION_NANOS, max: MAX_DURATION_NANOS });
    fc.assert(
      fc.property(nullable(nanos), fc.integer({ min: 0, max: 6 }), (values, fsp) => {
        const ds = values.map((n) => (n === null ? null : Duration.fromNanos(n, fsp)));
        const col = ChunkedVecDuration.fromValues(ds, fsp);
        checkValidity(col, values);
        ds.forEach((d, i) => {
          const got = col.get(i);
          if (d === null) expect(got).toBeNull();
          else expect([got?.nanos, got?.fsp]).toEqual([d.nanos, fsp]);
        });
      }),
    );
  });

  it("Enum indexes", () => {
    const elems = ["x", "y", "ζ", "😀"];
    fc.assert(
      fc.property(nullable(fc.integer({ min: 0, max: elems.length })), (values) => {
        const col = ChunkedVecEnum.fromValues(values, elems);
        checkValidity(col, values);
        expect(values.map((_, i) => col.get(i)?.value ?? null)).toEqual(values);
        expect(values.map((v, i) => (v === null ? null : col.get(i)?.name))).toEqual(
          values.map((v) => (v === null ? null : v === 0 ? "" : elems[v - 1])),
        );
      }),
    );
  });

  it("Set masks, all 64 bits", () => {
    const elems = Array.from({ length: 64 }, (_, i) => `m${i}`);
    fc.assert(
      fc.property(nullable(fc.tuple(u32, u32)), (values) => {
        const b = new ChunkedVecSetBuilder(elems);
        for (const w of values) w === null ? b.appendNull() : b.appendWords(w[0], w[1]);
        const col = b.finish();
        checkValidity(col, values);
        expect(values.map((_, i) => col.get(i)?.toBigInt() ?? null)).toEqual(
          values.map((w) => (w === null ? null : (BigInt(w[1]) << 32n) | BigInt(w[0]))),
        );
      }),
    );
  });

  it("VectorFloat32 elements, -0 and infinities kept", () => {
    const vec = fc.array(fc.float({ noNaN: true }), { maxLength: 12 });
    fc.assert(
      fc.property(nullable(vec), (values) => {
        const col = ChunkedVecVectorFloat32.fromValues(values);
        checkValidity(col, values);
        values.forEach((v, i) => {
          const got = col.get(i);
          if (v === null) expect(got).toBeNull();
          else expect(Array.from(got as Float32Array)).toEqual(v);
        });
      }),
    );
  });
});

describe("decimal scaled numbers agree with BigInt arithmetic", () => {
  // A decimal text from an integer part, fraction digits and a sign; the expected scaled value
  // is computed with BigInt from the same parts, independently of the column code.
  const parts = fc.record({
    neg: fc.boolean(),
    int: fc.bigInt({ min: 0n, max: 10n ** 30n }),
    frac: fc.stringMatching(/^[0-9]{0,20}$/),
  });

  it("decimalWordsToScaled is exact or NaN, never wrong", () => {
    fc.assert(
      fc.property(parts, fc.integer({ min: 0, max: 25 }), ({ neg, int, frac }, scale) => {
        const text = `${neg ? "-" : ""}${int}${frac === "" ? "" : `.${frac}`}`;
        const col = ChunkedVecDecimal.fromValues([Decimal.fromString(text)]);
        const got = decimalWordsToScaled(col.words, 0, scale);
        const kept = frac.slice(0, scale).padEnd(scale, "0");
        const dropped = frac.slice(scale);
        const exact = /^0*$/.test(dropped);
        const magnitude = BigInt(`${int}${kept}`);
        if (!exact || magnitude > BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(got).toBeNaN();
        } else {
          expect(got).toBe(Number(neg ? -magnitude : magnitude) + 0);
        }
      }),
    );
  });
});

describe("logical rows against a plain-array model", () => {
  const input = fc.integer({ min: 0, max: 200 }).chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.option(fc.array(fc.integer({ min: 0, max: Math.max(n - 1, 0) }), { maxLength: n === 0 ? 0 : 300 }), {
        nil: null,
      }),
    ),
  );

  it("filterLogicalRows and selectLogicalRows equal Array.prototype.filter", () => {
    fc.assert(
      fc.property(input, fc.func(fc.boolean()), ([n, arr], keep) => {
        const rows = arr === null ? null : Uint32Array.from(arr);
        const model = Array.from(materializeLogicalRows(rows, n));
        const want = model.filter((row, k) => keep(row, k));
        const got = filterLogicalRows(rows, n, (row, k) => keep(row, k));
        expect(Array.from(materializeLogicalRows(got, n))).toEqual(want);
        if (want.length === model.length) expect(got).toBe(rows);
        const selected = Uint8Array.from(model, (row, k) => (keep(row, k) ? 1 : 0));
        expect(Array.from(materializeLogicalRows(selectLogicalRows(rows, n, selected), n))).toEqual(want);
      }),
    );
  });
});
