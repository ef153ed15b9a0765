// The allocation-free int-handle readers agree with the checked bigint reader, in place and
// inside a larger buffer.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeIntHandle,
  decodeIntHandleWords,
  decodeIntHandleWordsAt,
  encodeRecordKey,
  lastIntHandleHi,
} from "../src/table.js";

const i64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
const words = (lo: number, hi: number) => BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));

describe("int handle words", () => {
  it("match decodeIntHandle, alone and at an offset", () => {
    fc.assert(
      fc.property(i64, i64, fc.nat(40), fc.nat(40), (table, handle, before, after) => {
        const key = encodeRecordKey(table, handle);
        const want = decodeIntHandle(key);
        expect(want).toBe(handle);
        const lo = decodeIntHandleWords(key);
        expect(words(lo, lastIntHandleHi())).toBe(want);
        const buf = new Uint8Array(before + key.length + after).fill(0xee);
        buf.set(key, before);
        const lo2 = decodeIntHandleWordsAt(buf, before, before + key.length);
        expect(words(lo2, lastIntHandleHi())).toBe(want);
      }),
    );
  });

  it("rejects a key that is not a record key, at an offset too", () => {
    const key = encodeRecordKey(7, 9);
    const buf = new Uint8Array(30);
    buf.set(key, 5);
    buf[5 + 10] = 0x69; // "_i": an index key
    expect(() => decodeIntHandleWordsAt(buf, 5, 5 + key.length)).toThrow(/record|_r|prefix/i);
    expect(() => decodeIntHandleWordsAt(buf, 5, 5 + key.length - 1)).toThrow();
  });
});
