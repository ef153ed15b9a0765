// MemoryStorage: range scans in both directions and point gets agree with a sorted reference.
import { StorageError } from "@copr/datatype";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareKeys, MemoryStorage } from "../src/index.js";

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
});
