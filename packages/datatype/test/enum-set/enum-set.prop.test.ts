import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Enum, MySqlSet } from "../../src/enum-set/index.js";

const ELEMS = Array.from({ length: 64 }, (_, i) => `m${i}é`);
const mask = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

describe("SET and ENUM properties", () => {
  it("fromNames(toString(s)) gives s back", () => {
    fc.assert(
      fc.property(mask, (m) => {
        const s = MySqlSet.fromValue(ELEMS, m);
        expect(s.toBigInt()).toBe(m);
        expect(MySqlSet.fromNames(ELEMS, s.toString()).toBigInt()).toBe(m);
      }),
    );
  });

  it("compare agrees with the masks as unsigned integers", () => {
    fc.assert(
      fc.property(mask, mask, (a, b) => {
        const c = MySqlSet.fromValue(ELEMS, a).compare(MySqlSet.fromValue(ELEMS, b));
        expect(c).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });

  it("toNumber is the mask rounded to a double", () => {
    fc.assert(
      fc.property(mask, (m) => {
        expect(MySqlSet.fromValue(ELEMS, m).toNumber()).toBe(Number(m));
      }),
    );
  });

  it("an ENUM name and its index name the same member", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: ELEMS.length }), (i) => {
        const e = Enum.fromValue(ELEMS, i);
        expect(Enum.fromName(ELEMS, e.toString()).value).toBe(i);
      }),
    );
  });
});
