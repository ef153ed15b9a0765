import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { collatorFor } from "../../src/collation/index.js";
import { Collation, collationName } from "../../src/field-type.js";

const enc = new TextEncoder();

const ALL = Object.values(Collation);

/** Characters chosen to hit case/accent folding, padding, expansions, ignorables and table edges. */
const ASCII = [..."aAbBsSzZ09 ?\t_"];
const LATIN1 = [..."éÉeEèàÀáßÆæøØµÿ©"];
const CJK = [..."中文汉字啊把䦃〾ḿǹ︐\u3000"];
const SPECIAL = [
  ..."😃😜😀𝌆𠂇ﷻ\u321D\u321E\u33AF\u0000\uFFFD\u{30000}\u{10FFFF}\u2E81\uE5E5\uE7C7\uE816\u9FB4",
];

const char = fc.constantFrom(...ASCII, ...LATIN1, ...CJK, ...SPECIAL);
const text = fc.array(char, { maxLength: 12 }).map((cs) => cs.join(""));

/** A second string derived from the first, so that equal-comparing pairs are frequent. */
const related = text.chain((a) =>
  fc.tuple(
    fc.constant(a),
    fc.oneof(
      text,
      fc.constant(a.toUpperCase()),
      fc.constant(`${a}  `),
      fc.constant(a.replaceAll("e", "é")),
      fc.constant(a.replaceAll("ss", "ß")),
      fc.constant(`${a}\u0000`),
    ),
  ),
);

function byteCompare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return Math.sign(a.length - b.length);
}

describe.each(ALL.map((c) => ({ c, name: collationName(c) })))("$name", ({ c }) => {
  const coll = collatorFor(c);

  it("orders like its sort keys, antisymmetrically, with hashes consistent with equality", () => {
    fc.assert(
      fc.property(related, ([sa, sb]) => {
        const a = enc.encode(sa);
        const b = enc.encode(sb);
        const ab = coll.compare(a, b);
        expect([-1, 0, 1]).toContain(ab);
        expect(ab).toBe(0 - coll.compare(b, a));
        const keys = byteCompare(coll.sortKey(a), coll.sortKey(b));
        // gb18030_bin compares 32-bit weights as numbers (so every four-byte code sorts after
        // every two-byte one) but writes them as bytes: TiKV's order and sort key disagree there.
        if (c === Collation.Gb18030Bin) expect(ab === 0).toBe(keys === 0);
        else expect(ab).toBe(keys);
        if (ab === 0) expect(coll.hash(a)).toBe(coll.hash(b));
        expect(coll.compare(a, a)).toBe(0);
      }),
      { numRuns: 400 },
    );
  });

  it("is transitive on sorted triples", () => {
    fc.assert(
      fc.property(text, text, text, (x, y, z) => {
        const [a, b, d] = [x, y, z].map((s) => enc.encode(s)).sort((p, q) => coll.compare(p, q));
        expect(coll.compare(a, d)).toBeLessThanOrEqual(0);
        expect(coll.compare(a, b)).toBeLessThanOrEqual(0);
        expect(coll.compare(b, d)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 200 },
    );
  });

  it("hash is an unsigned 32-bit integer", () => {
    fc.assert(
      fc.property(text, (s) => {
        const h = coll.hash(enc.encode(s));
        expect(Number.isInteger(h) && h >= 0 && h <= 0xffffffff).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe("padding", () => {
  it.each(ALL.map((c) => ({ c, name: collationName(c) })))(
    "$name: trailing spaces matter iff NO PAD",
    ({ c }) => {
      const coll = collatorFor(c);
      fc.assert(
        fc.property(text, fc.integer({ min: 1, max: 4 }), (s, n) => {
          const a = enc.encode(s);
          const b = enc.encode(s + " ".repeat(n));
          expect(coll.compare(a, b) === 0).toBe(coll.padding);
        }),
        { numRuns: 100 },
      );
    },
  );
});
