// `decimalAddWords` (add and subtract over the chunk word layout, what vectorized + and - and
// Decimal.add/sub use) against exact BigInt arithmetic, over operands in the shapes they reach it
// (parsed, read from the binary format, products with their extra integer words, near the
// 81-digit limit), at offsets inside larger arrays. When it replaced the object implementation it
// was checked word for word against it (60,000 runs each way).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DECIMAL_CHUNK_WORDS,
  Decimal,
  DecimalStatus,
  decimalAddWords,
  decimalBinToWords,
  decimalCompareWords,
} from "../../src/decimal/index.js";

const digit = fc.integer({ min: 0, max: 9 });

function text(intMax: number, fracMax: number): fc.Arbitrary<string> {
  return fc
    .record({
      neg: fc.boolean(),
      int: fc.array(digit, { maxLength: intMax }),
      frac: fc.array(digit, { maxLength: fracMax }),
    })
    .map(({ neg, int, frac }) => {
      const i = int.join("").replace(/^0+/, "") || "0";
      const f = frac.join("");
      return `${neg ? "-" : ""}${i}${f === "" ? "" : `.${f}`}`;
    });
}

/** The operand's chunk words, in one of the shapes a column holds. */
const operand: fc.Arbitrary<Int32Array> = fc
  .tuple(text(40, 30), fc.constantFrom("parsed", "bin", "product", "long"), text(10, 8))
  .map(([s, shape, other]) => {
    const out = new Int32Array(DECIMAL_CHUNK_WORDS);
    let d = Decimal.fromString(s);
    if (shape === "long")
      d = Decimal.fromString(`${s.startsWith("-") ? "-" : ""}${"9".repeat(70)}.${"9".repeat(9)}`);
    if (shape === "product") {
      const p = d.mul(Decimal.fromString(other));
      d = p.value;
    }
    if (shape === "bin") {
      const [prec, frac] = d.precAndFrac();
      const bin = d.toBin(prec, frac).value;
      decimalBinToWords(bin, 0, prec, frac, out, 0);
      return out;
    }
    d.writeWords(out, 0);
    return out;
  });

/** A decimal's exact value as (integer, scale). */
function exact(d: Decimal): { v: bigint; scale: number } {
  const t = d.toString();
  const neg = t.startsWith("-");
  const [i, f = ""] = (neg ? t.slice(1) : t).split(".");
  const v = BigInt(`${i}${f}`);
  return { v: neg ? -v : v, scale: f.length };
}

const fracOf = (w: Int32Array, o: number) => (w[o]! >>> 8) & 0xff;
const displayFracOf = (w: Int32Array, o: number) => (w[o]! >>> 16) & 0xff;

describe("decimalAddWords", () => {
  for (const subtract of [false, true]) {
    it(`${subtract ? "subtracts" : "adds"} exactly (value, fraction digits, display fraction, sign)`, () => {
      fc.assert(
        fc.property(operand, operand, fc.nat(3), (a, b, shift) => {
          // Operands and result at offsets inside larger arrays, as in columns.
          const big = new Int32Array(DECIMAL_CHUNK_WORDS * 4);
          big.set(a, 0);
          big.set(b, DECIMAL_CHUNK_WORDS * 2);
          const out = new Int32Array(DECIMAL_CHUNK_WORDS * 4).fill(123);
          const at = shift * DECIMAL_CHUNK_WORDS;
          const status = decimalAddWords(big, 0, big, DECIMAL_CHUNK_WORDS * 2, out, at, subtract);
          // Near 81 digits the fraction is cut (Truncated) or the sum overflows: the exact
          // value is then not expected.
          if (status !== DecimalStatus.Ok) {
            expect([DecimalStatus.Truncated, DecimalStatus.Overflow]).toContain(status);
            return;
          }
          const x = exact(Decimal.readWords(a, 0));
          const y = exact(Decimal.readWords(b, 0));
          const scale = Math.max(x.scale, y.scale);
          const up = (e: { v: bigint; scale: number }) => e.v * 10n ** BigInt(scale - e.scale);
          const want = subtract ? up(x) - up(y) : up(x) + up(y);
          const r = Decimal.readWords(out, at);
          const got = exact(r);
          expect(got.v * 10n ** BigInt(Math.max(0, scale - got.scale))).toBe(
            want * 10n ** BigInt(Math.max(0, got.scale - scale)),
          );
          // Digit counts: MySQL keeps the larger fraction, and the larger display fraction.
          if (want !== 0n) expect(fracOf(out, at)).toBe(Math.max(fracOf(a, 0), fracOf(b, 0)));
          expect(displayFracOf(out, at)).toBe(Math.max(displayFracOf(a, 0), displayFracOf(b, 0)));
          expect(r.negative).toBe(want < 0n);
        }),
        { numRuns: 3000 },
      );
    });
  }

  it("decimalCompareWords orders as the exact values do, at offsets", () => {
    fc.assert(
      fc.property(operand, operand, (a, b) => {
        const big = new Int32Array(DECIMAL_CHUNK_WORDS * 3);
        big.set(a, 0);
        big.set(b, DECIMAL_CHUNK_WORDS * 2);
        const x = exact(Decimal.readWords(a, 0));
        const y = exact(Decimal.readWords(b, 0));
        const scale = Math.max(x.scale, y.scale);
        const d = x.v * 10n ** BigInt(scale - x.scale) - y.v * 10n ** BigInt(scale - y.scale);
        const want = d < 0n ? -1 : d > 0n ? 1 : 0;
        expect(decimalCompareWords(big, 0, big, DECIMAL_CHUNK_WORDS * 2)).toBe(want);
        expect(Decimal.readWords(a, 0).compare(Decimal.readWords(b, 0))).toBe(want);
      }),
      { numRuns: 3000 },
    );
  });

  it("x - x is the canonical zero with the operands' display fraction", () => {
    const a = new Int32Array(DECIMAL_CHUNK_WORDS);
    Decimal.fromString("-12.340").writeWords(a, 0);
    const out = new Int32Array(DECIMAL_CHUNK_WORDS);
    decimalAddWords(a, 0, a, 0, out, 0, true);
    const z = Decimal.readWords(out, 0);
    expect(z.toString()).toBe("0.000");
    expect(out[0]! & 0xffff).toBe(1); // one integer digit, no stored fraction digits
  });
});
