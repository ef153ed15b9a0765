// ChunkedVecBytesBuilder.appendRanges (many values from a table of ranges in one call) must build
// what appendRange builds value by value, short values and long ones, batch after batch.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ChunkedVecBytesBuilder,
  ChunkedVecDateTimeBuilder,
  ChunkedVecJsonBuilder,
  ChunkedVecRealBuilder,
} from "../../src/index.js";

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

describe("appendValues", () => {
  it("equals one append per row (word pairs and doubles, NULLs between calls, several batches)", () => {
    const word = fc.integer({ min: 0, max: 0xffff_ffff });
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.array(fc.tuple(word, word), { maxLength: 40 }), { maxLength: 4 }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.nat(5),
        (batches, skip) => {
          const one = new ChunkedVecDateTimeBuilder(8);
          const many = new ChunkedVecDateTimeBuilder(8);
          const realOne = new ChunkedVecRealBuilder(8);
          const realMany = new ChunkedVecRealBuilder(8);
          for (const batch of batches) {
            for (const group of batch) {
              const src = new Uint32Array(2 * (skip + group.length));
              const reals = new Float64Array(skip + group.length);
              group.forEach(([lo, hi], i) => {
                src[2 * (skip + i)] = lo;
                src[2 * (skip + i) + 1] = hi;
                reals[skip + i] = lo / 7 - hi;
                one.appendWords(lo, hi);
                realOne.append(lo / 7 - hi);
              });
              many.appendValues(src, 2 * skip, group.length);
              realMany.appendValues(reals, skip, group.length);
              one.appendNull();
              many.appendNull();
              realOne.appendNull();
              realMany.appendNull();
            }
            const a = one.finish();
            const b = many.finish();
            expect(b.length).toBe(a.length);
            expect(Array.from(b.words)).toEqual(Array.from(a.words));
            for (let i = 0; i < a.length; i++) expect(b.isNull(i)).toBe(a.isNull(i));
            const ra = realOne.finish();
            const rb = realMany.finish();
            expect(Array.from(rb.values)).toEqual(Array.from(ra.values));
            for (let i = 0; i < ra.length; i++) expect(rb.isNull(i)).toBe(ra.isNull(i));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
