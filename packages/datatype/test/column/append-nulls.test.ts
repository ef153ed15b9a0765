// appendNulls(k) must build exactly the column k appendNull() calls build: same rows, NULLs,
// NULL count and (for fixed-width columns) zeroed value slots, batch after batch.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ChunkedVecBytesBuilder,
  ChunkedVecDateTimeBuilder,
  ChunkedVecDecimalBuilder,
  ChunkedVecDurationBuilder,
  ChunkedVecEnumBuilder,
  ChunkedVecIntBuilder,
  ChunkedVecRealBuilder,
  ChunkedVecSetBuilder,
  ChunkedVecVectorFloat32Builder,
  type Column,
  type ColumnBuilder,
  Decimal,
} from "../../src/index.js";

/** A builder kind: how to make one and append its `i`-th sample value. */
interface Kind {
  name: string;
  make(): ColumnBuilder;
  value(b: ColumnBuilder, i: number): void;
}

const DEC_BIN = Decimal.fromString("-12.34").toBin(15, 2).value;

const KINDS: Kind[] = [
  {
    name: "Int",
    make: () => new ChunkedVecIntBuilder(),
    value: (b, i) => (b as ChunkedVecIntBuilder).append(i + 1),
  },
  {
    name: "Real",
    make: () => new ChunkedVecRealBuilder(),
    value: (b, i) => (b as ChunkedVecRealBuilder).append(i / 2),
  },
  {
    name: "Decimal (scaled)",
    make: () => new ChunkedVecDecimalBuilder(),
    value: (b) => (b as ChunkedVecDecimalBuilder).appendBin(DEC_BIN, 0, 15, 2),
  },
  {
    name: "Decimal (words)",
    make: () => new ChunkedVecDecimalBuilder(),
    value: (b, i) => (b as ChunkedVecDecimalBuilder).append(Decimal.fromString(`${i}.5`)),
  },
  {
    // Every fifth value turns the batch into words; the next batch starts scaled again on the same
    // buffer, whose slots must read as zeros where nothing was written.
    name: "Decimal (scaled, then words)",
    make: () => new ChunkedVecDecimalBuilder(),
    value: (b, i) =>
      i % 5 === 4
        ? (b as ChunkedVecDecimalBuilder).append(Decimal.fromString(`${i}.5`))
        : (b as ChunkedVecDecimalBuilder).appendBin(DEC_BIN, 0, 15, 2),
  },
  {
    name: "Bytes",
    make: () => new ChunkedVecBytesBuilder(),
    value: (b, i) => (b as ChunkedVecBytesBuilder).append(Uint8Array.of(i, 1)),
  },
  {
    name: "DateTime",
    make: () => new ChunkedVecDateTimeBuilder(0),
    value: (b, i) => (b as ChunkedVecDateTimeBuilder).appendWords(i + 7, 3),
  },
  {
    name: "Duration",
    make: () => new ChunkedVecDurationBuilder(0),
    value: (b, i) => (b as ChunkedVecDurationBuilder).appendNanos(i * 1e9),
  },
  {
    name: "Enum",
    make: () => new ChunkedVecEnumBuilder(["a", "b"]),
    value: (b, i) => (b as ChunkedVecEnumBuilder).appendIndex((i % 2) + 1),
  },
  {
    name: "Set",
    make: () => new ChunkedVecSetBuilder(["a", "b"]),
    value: (b, i) => (b as ChunkedVecSetBuilder).appendWords(i % 4, 0),
  },
  {
    name: "VectorFloat32",
    make: () => new ChunkedVecVectorFloat32Builder(),
    value: (b, i) => (b as ChunkedVecVectorFloat32Builder).append([i, 1]),
  },
];

/** The column's rows as comparable values, and its raw value arrays where it has fixed-width ones. */
function snapshot(c: Column): unknown {
  const rows = Array.from({ length: c.length }, (_, i) => {
    const v = c.get(i);
    return v === null
      ? null
      : String(v instanceof Uint8Array || v instanceof Float32Array ? Array.from(v) : v);
  });
  const raw =
    "words" in c
      ? Array.from(c.words as ArrayLike<number>)
      : "values" in c
        ? Array.from(c.values as ArrayLike<number>)
        : null;
  return { rows, nulls: c.nullCount, raw };
}

describe("appendNulls", () => {
  it.each(KINDS)("$name: appendNulls(k) equals k appendNull() calls", (kind) => {
    // A batch is a list of runs: a value, or a run of NULLs.
    const run = fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 40 }));
    fc.assert(
      fc.property(fc.array(fc.array(run, { maxLength: 12 }), { minLength: 1, maxLength: 3 }), (batches) => {
        const bulk = kind.make();
        const single = kind.make();
        for (const batch of batches) {
          let i = 0;
          for (const r of batch) {
            if (r < 0) {
              kind.value(bulk, i);
              kind.value(single, i);
              i++;
            } else {
              bulk.appendNulls(r);
              for (let k = 0; k < r; k++) single.appendNull();
            }
          }
          expect(bulk.length).toBe(single.length);
          expect(snapshot(bulk.finish())).toEqual(snapshot(single.finish()));
        }
      }),
      { numRuns: 60 },
    );
  });

  it.each(KINDS)(
    "$name: appendZeros(k) appends k present rows and leaves the other rows as they were",
    (kind) => {
      // A batch is a list of runs: a value (-1), a run of NULLs (0..20) or a run of zero rows (21..41).
      const run = fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 41 }));
      fc.assert(
        fc.property(fc.array(fc.array(run, { maxLength: 12 }), { minLength: 1, maxLength: 3 }), (batches) => {
          const zeros = kind.make();
          const nulls = kind.make(); // the same batches with NULL runs where `zeros` has zero rows
          for (const batch of batches) {
            let i = 0;
            const zeroRows: number[] = [];
            let nullRows = 0;
            for (const r of batch) {
              if (r < 0) {
                kind.value(zeros, i);
                kind.value(nulls, i);
                i++;
              } else if (r <= 20) {
                zeros.appendNulls(r);
                nulls.appendNulls(r);
                nullRows += r;
              } else {
                for (let k = 0; k < r - 21; k++) zeroRows.push(zeros.length + k);
                zeros.appendZeros(r - 21);
                nulls.appendNulls(r - 21);
              }
            }
            const a = zeros.finish();
            const b = nulls.finish();
            expect(a.length).toBe(b.length);
            expect(a.nullCount).toBe(nullRows);
            const isZero = new Set(zeroRows);
            for (let row = 0; row < a.length; row++) {
              if (isZero.has(row)) {
                expect(a.isNull(row)).toBe(false);
                const v = a.get(row);
                if (v instanceof Decimal) expect(v.isZero()).toBe(true);
                else expect(rawSlotOf(a, row).every((x) => x === 0)).toBe(true);
              } else expect(snapshotRow(a, row)).toEqual(snapshotRow(b, row));
            }
          }
        }),
        { numRuns: 60 },
      );
    },
  );
});

/** The raw value slots of row `i` of a fixed-width column (empty for variable-width ones). */
function rawSlotOf(c: Column, i: number): number[] {
  const raw = "words" in c ? c.words : "values" in c ? c.values : null;
  if (!(raw instanceof Int32Array || raw instanceof Uint32Array || raw instanceof Float64Array)) return [];
  const width = raw.length / c.length;
  return Array.from(raw.subarray(i * width, (i + 1) * width));
}

function snapshotRow(c: Column, i: number): string | null {
  const v = c.get(i);
  return v === null ? null : String(v instanceof Uint8Array || v instanceof Float32Array ? Array.from(v) : v);
}
