// MemoryStorage: range scans in both directions and point gets agree with a sorted reference.
import { StorageError } from "@copr/datatype";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareKeys, MemoryStorage, newRangePair } from "../src/index.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("MemoryStorage", () => {
  it("scans [start, end) ascending and descending, later puts winning", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 3 }), fc.uint8Array({ maxLength: 2 })), {
          maxLength: 30,
        }),
        fc.uint8Array({ maxLength: 3 }),
        fc.uint8Array({ maxLength: 3 }),
        (pairs, a, b) => {
          const [start, end] = compareKeys(a, b) <= 0 ? [a, b] : [b, a];
          const s = new MemoryStorage();
          const ref = new Map<string, string>();
          for (const [k, v] of pairs) {
            s.put(k, v);
            ref.set(hex(k), hex(v));
          }
          const want = [...ref.entries()]
            .filter(([k]) => k >= hex(start) && (end.length === 0 || k < hex(end)))
            .sort(([x], [y]) => compareKeys(Buffer.from(x, "hex"), Buffer.from(y, "hex")));
          const read = (desc: boolean) => {
            const out: [string, string][] = [];
            const it = s.scan({ start, end }, desc);
            for (let p = it.next(); p !== null; p = it.next()) out.push([hex(p.key), hex(p.value)]);
            return out;
          };
          expect(read(false)).toEqual(want);
          expect(read(true)).toEqual([...want].reverse());
          for (const [k, v] of ref) expect(hex(s.get(Buffer.from(k, "hex"))!)).toBe(v);
        },
      ),
    );
  });

  it("an empty end means the end of the key space; a reversed range is an error", () => {
    const s = new MemoryStorage();
    s.put(Uint8Array.of(9), Uint8Array.of(1));
    expect(s.scan({ start: Uint8Array.of(1), end: new Uint8Array() }, false).next()?.key[0]).toBe(9);
    expect(() => s.scan({ start: Uint8Array.of(2), end: Uint8Array.of(1) }, false)).toThrow(StorageError);
    expect(s.get(Uint8Array.of(8))).toBeNull();
  });

  it("puts between reads (in order, out of order, replacing), nextRange as next, arena growth", () => {
    const pairArb = fc.tuple(
      fc.uint8Array({ minLength: 1, maxLength: 4 }),
      fc.uint8Array({ maxLength: 700 }),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            pairArb.map((p) => ({ put: p })),
            fc.constant({ read: true }),
          ),
          { maxLength: 40 },
        ),
        fc.boolean(),
        (ops, ascending) => {
          const s = new MemoryStorage();
          const ref = new Map<string, string>();
          let n = 0;
          for (const op of ops) {
            if ("put" in op) {
              // Ascending keys (appended to the arena) or the arbitrary ones.
              const key = ascending ? Uint8Array.of(n >> 8, n & 0xff, ...op.put[0]) : op.put[0];
              n++;
              s.put(key, op.put[1]);
              ref.set(hex(key), hex(op.put[1]));
              continue;
            }
            const want = [...ref.entries()].sort(([x], [y]) =>
              compareKeys(Buffer.from(x, "hex"), Buffer.from(y, "hex")),
            );
            const it = s.scan({ start: new Uint8Array(), end: new Uint8Array() }, false);
            const got: [string, string][] = [];
            const out = newRangePair();
            while (it.nextRange!(out)) {
              got.push([
                hex(out.keyBytes.subarray(out.keyStart, out.keyEnd)),
                hex(out.valueBytes.subarray(out.valueStart, out.valueEnd)),
              ]);
            }
            expect(got).toEqual(want);
            expect(s.size).toBe(want.length);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
