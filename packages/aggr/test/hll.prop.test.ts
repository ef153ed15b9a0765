// Properties of APPROX_COUNT_DISTINCT's HyperLogLog sketch: the error bound on random data, and
// merging = the sketch of the union (through serialized partial results).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HLL_REGISTERS, HyperLogLog, mergeApproxCountDistinct } from "../src/index.js";

const enc = new TextEncoder();
/** The relative standard error of precision 14: 1.04 / √m. */
const SIGMA = 1.04 / Math.sqrt(HLL_REGISTERS);

function sketchOf(keys: Iterable<string>): HyperLogLog {
  const h = new HyperLogLog();
  for (const k of keys) h.addBytes(enc.encode(k));
  return h;
}

describe("HyperLogLog properties", () => {
  it("estimates within 5σ (4.1 %) of the true count, with an RMS error near σ", () => {
    const errors: number[] = [];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 150_000 }),
        fc.string({ minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 3 }),
        (n, prefix, copies) => {
          const h = new HyperLogLog();
          for (let c = 0; c < copies; c++)
            for (let i = 0; i < n; i++) h.addBytes(enc.encode(`${prefix}:${i}`));
          const rel = (h.estimate() - n) / n;
          errors.push(rel);
          expect(Math.abs(rel)).toBeLessThan(5 * SIGMA);
        },
      ),
      { numRuns: 25 },
    );
    const rms = Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / errors.length);
    expect(rms).toBeLessThan(1.75 * SIGMA);
  });

  it("is exact enough below a few hundred values (linear-counting range)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { maxLength: 300 }), (keys) => {
        const e = sketchOf(keys).estimate();
        expect(Math.abs(e - keys.length)).toBeLessThanOrEqual(Math.max(1, keys.length * 0.02));
      }),
      { numRuns: 100 },
    );
  });

  it("merging serialized sketches equals the sketch of the union, in any grouping", () => {
    const keys = fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer().map(String)), {
      maxLength: 3000,
    });
    fc.assert(
      fc.property(keys, keys, keys, (a, b, c) => {
        const [sa, sb, sc] = [a, b, c].map((k) => sketchOf(k).serialize());
        const union = sketchOf([...a, ...b, ...c]).serialize();
        expect(mergeApproxCountDistinct([sa!, sb!, sc!])).toEqual(union);
        expect(mergeApproxCountDistinct([sc!, mergeApproxCountDistinct([sb!, sa!])])).toEqual(union);
        expect(mergeApproxCountDistinct([union, sa!])).toEqual(union); // idempotent
      }),
      { numRuns: 60 },
    );
  });

  it("a sketch that crossed to the dense form merges the same as one that did not", () => {
    const big = Array.from({ length: 20_000 }, (_, i) => `k${i}`);
    const small = ["x", "y", "k3"];
    const merged = sketchOf(small);
    merged.merge(HyperLogLog.deserialize(sketchOf(big).serialize()));
    expect(merged.registers()).toEqual(sketchOf([...big, ...small]).registers());
  });
});
