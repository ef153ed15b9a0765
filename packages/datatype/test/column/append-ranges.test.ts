// ChunkedVecBytesBuilder.appendRanges (many values from a table of ranges in one call) must build
// what appendRange builds value by value, short values and long ones, batch after batch.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChunkedVecBytesBuilder, ChunkedVecJsonBuilder } from "../../src/index.js";

describe("appendRanges", () => {
  it("equals appendRange value by value (with NULLs between calls, over several batches)", () => {
    const value = fc.uint8Array({ maxLength: 80 });
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.array(value, { maxLength: 6 }), { maxLength: 5 }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.integer({ min: 1, max: 3 }),
        (batches, step) => {
          const one = new ChunkedVecBytesBuilder(2);
          const many = new ChunkedVecBytesBuilder(2);
          for (const batch of batches) {
            for (const group of batch) {
              // The group's values in one source array, their ranges every `step` pairs.
              const src = new Uint8Array(group.reduce((n, v) => n + v.length + 1, 1));
              const pos = new Int32Array(2 * step * group.length + 1);
              let at = 1;
              group.forEach((v, i) => {
                src.set(v, at);
                pos[1 + 2 * step * i] = at;
                pos[2 + 2 * step * i] = at + v.length;
                one.appendRange(src, at, at + v.length);
                at += v.length + 1;
              });
              many.appendRanges(src, pos, 1, 2 * step, group.length);
              one.appendNull();
              many.appendNull();
            }
            const a = one.finish();
            const b = many.finish();
            expect(b.length).toBe(a.length);
            expect(Array.from(b.offsets)).toEqual(Array.from(a.offsets));
            expect(Array.from(b.data)).toEqual(Array.from(a.data));
            for (let i = 0; i < a.length; i++) expect(b.isNull(i)).toBe(a.isNull(i));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("the JSON builder has it too", () => {
    const b = new ChunkedVecJsonBuilder(0);
    const src = Uint8Array.of(9, 1, 2, 3, 4);
    b.appendRanges(src, Int32Array.of(1, 2, 2, 5), 0, 2, 2);
    const col = b.finish();
    expect([...(col.get(0) as Uint8Array)]).toEqual([1]);
    expect([...(col.get(1) as Uint8Array)]).toEqual([2, 3, 4]);
  });
});
