// Builders reused batch after batch (what decoders do): appendRange, and the capacity hint that
// makes room again after finish() must not change any value.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ChunkedVecBytesBuilder,
  ChunkedVecDateTimeBuilder,
  ChunkedVecIntBuilder,
  ChunkedVecJsonBuilder,
  ChunkedVecRealBuilder,
  SLAB_BATCHES,
} from "../../src/index.js";

describe("builder reuse", () => {
  it("appendRange equals append of the same bytes, short and long, across finishes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.option(fc.uint8Array({ maxLength: 80 }), { nil: null }), { maxLength: 20 }), {
          maxLength: 4,
        }),
        (batches) => {
          const viaRange = new ChunkedVecBytesBuilder(8);
          const viaAppend = new ChunkedVecBytesBuilder();
          for (const batch of batches) {
            for (const v of batch) {
              if (v === null) {
                viaRange.appendNull();
                viaAppend.appendNull();
                continue;
              }
              // the value in the middle of a larger buffer
              const buf = new Uint8Array(v.length + 5);
              buf.set(v, 3);
              viaRange.appendRange(buf, 3, 3 + v.length);
              viaAppend.append(v);
            }
            const a = viaRange.finish();
            const b = viaAppend.finish();
            expect(a.length).toBe(batch.length);
            for (let i = 0; i < batch.length; i++) {
              expect(a.get(i) === null ? null : [...a.get(i)!]).toEqual(
                b.get(i) === null ? null : [...b.get(i)!],
              );
            }
          }
        },
      ),
    );
  });

  it("a JSON builder has appendRange too", () => {
    const b = new ChunkedVecJsonBuilder(2);
    const src = Uint8Array.of(9, 9, 0x04, 0x01, 9);
    b.appendRange(src, 2, 4);
    expect([...b.finish().get(0)!]).toEqual([0x04, 0x01]);
  });

  it("an Int builder with a capacity keeps exact values after finish()", () => {
    const b = new ChunkedVecIntBuilder({ capacity: 4 });
    for (let round = 0; round < 3; round++) {
      const values = Array.from({ length: 10 }, (_, i) => (i % 3 === 0 ? 2n ** 60n + BigInt(i) : i * round));
      for (const v of values) b.append(v);
      const col = b.finish();
      expect(Array.from({ length: 10 }, (_, i) => col.get(i))).toEqual(values.map((v) => BigInt(v)));
    }
  });

  it("columns of later batches never overwrite earlier ones (batches share one allocation)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.option(fc.double({ noNaN: true }), { nil: null }), { maxLength: 12 }), {
          maxLength: 40,
        }),
        (batches) => {
          const b = new ChunkedVecRealBuilder(4);
          const t = new ChunkedVecDateTimeBuilder(4);
          const kept = batches.map((batch) => {
            batch.forEach((v, i) => {
              if (v === null) {
                b.appendNull();
                t.appendNull();
              } else {
                b.append(v);
                t.appendWords(i + 1, i);
              }
            });
            return { real: b.finish(), time: t.finish() };
          });
          batches.forEach((batch, k) => {
            const { real, time } = kept[k]!;
            expect(Array.from({ length: batch.length }, (_, i) => real.get(i))).toEqual(batch);
            batch.forEach((v, i) => {
              expect(Array.from(time.words.subarray(2 * i, 2 * i + 2))).toEqual(
                v === null ? [0, 0] : [i + 1, i],
              );
            });
          });
        },
      ),
    );
  });

  it("a builder with a capacity allocates once per SLAB_BATCHES batches of that size", () => {
    const b = new ChunkedVecRealBuilder(8);
    const buffers = new Set<ArrayBufferLike>();
    for (let k = 0; k < 2 * SLAB_BATCHES; k++) {
      for (let i = 0; i < 8; i++) b.append(k);
      buffers.add(b.finish().values.buffer);
    }
    // The constructor's own buffer for the first batch, then one slab per SLAB_BATCHES batches
    // (one buffer per batch without slabs).
    expect(buffers.size).toBeLessThanOrEqual(3);
  });
});
