// recycleBuffers(): builders that reuse their value buffers batch after batch must build exactly
// the columns fresh builders build, zero slots included, and leave a batch's column intact while
// the next batch is built.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ChunkedVecBytesBuilder,
  ChunkedVecDateTimeBuilder,
  ChunkedVecDecimalBuilder,
  ChunkedVecEnumBuilder,
  ChunkedVecIntBuilder,
  ChunkedVecRealBuilder,
  type Column,
  type ColumnBuilder,
  Decimal,
} from "../../src/index.js";

interface Kind {
  name: string;
  make(): ColumnBuilder;
  value(b: ColumnBuilder, i: number): void;
}

const bin = (s: string) => Decimal.fromString(s).toBin(15, 2).value;

const KINDS: Kind[] = [
  {
    name: "Int",
    make: () => new ChunkedVecIntBuilder({ capacity: 8 }),
    value: (b, i) => (b as ChunkedVecIntBuilder).append(i * 7 - 3),
  },
  {
    name: "Real",
    make: () => new ChunkedVecRealBuilder(8),
    value: (b, i) => (b as ChunkedVecRealBuilder).append(i / 3),
  },
  {
    name: "Decimal",
    make: () => new ChunkedVecDecimalBuilder(8),
    // Mostly scaled values; every seventh a Decimal, which turns the batch into words.
    value: (b, i) =>
      i % 7 === 6
        ? (b as ChunkedVecDecimalBuilder).append(Decimal.fromString(`${i}.25`))
        : (b as ChunkedVecDecimalBuilder).appendBin(bin(`${i}.5`), 0, 15, 2),
  },
  {
    name: "DateTime",
    make: () => new ChunkedVecDateTimeBuilder(8),
    value: (b, i) => (b as ChunkedVecDateTimeBuilder).appendWords(i * 16 + 5, i + 1),
  },
  {
    name: "Enum",
    make: () => new ChunkedVecEnumBuilder(["a", "b", "c"], 8),
    value: (b, i) => (b as ChunkedVecEnumBuilder).appendIndex((i % 3) + 1),
  },
  {
    name: "Bytes",
    make: () => new ChunkedVecBytesBuilder(8),
    value: (b, i) => (b as ChunkedVecBytesBuilder).append(Uint8Array.of(i, i + 1)),
  },
];

/** Every row of a column in a comparable form (zero rows as what they read). */
function rowsOf(c: Column): unknown[] {
  return Array.from({ length: c.length }, (_, i) => {
    const v = c.get(i);
    return v === null ? null : String(v instanceof Uint8Array ? Array.from(v) : v);
  });
}

describe("recycleBuffers", () => {
  it.each(KINDS)(
    "$name: the columns of fresh builders, each intact while the next batch is appended",
    (kind) => {
      // A batch: values (-1), NULL runs (0..9) and zero-row runs (10..19); batches of up to 40 rows.
      const run = fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 19 }));
      fc.assert(
        fc.property(
          fc.array(fc.array(run, { maxLength: 12 }), { minLength: 1, maxLength: 12 }),
          (batches) => {
            const fresh = kind.make();
            const recycled = kind.make();
            (recycled as { recycleBuffers(): void }).recycleBuffers();
            let previous: { col: Column; want: unknown[] } | null = null;
            for (const batch of batches) {
              let i = 0;
              for (const r of batch) {
                for (const b of [fresh, recycled]) {
                  if (r < 0) kind.value(b, i);
                  else if (r < 10) b.appendNulls(r);
                  else b.appendZeros(r - 10);
                }
                if (r < 0) i++;
              }
              // The batch before is still intact now that this one's rows are appended.
              if (previous !== null) expect(rowsOf(previous.col)).toEqual(previous.want);
              const want = rowsOf(fresh.finish());
              const col = recycled.finish();
              expect(rowsOf(col)).toEqual(want);
              previous = { col, want };
            }
          },
        ),
        { numRuns: 80 },
      );
    },
  );

  it("reuses memory: a recycled builder stops allocating new value arrays", () => {
    const b = new ChunkedVecRealBuilder(4);
    b.recycleBuffers();
    const buffers = new Set<ArrayBufferLike>();
    for (let batch = 0; batch < 40; batch++) {
      for (let i = 0; i < 4; i++) b.append(i);
      buffers.add(b.finish().values.buffer);
    }
    // Two allocations take turns (the first batches may grow once more).
    expect(buffers.size).toBeLessThanOrEqual(3);
  });
});
