// Small decimals kept as scaled integers: decimalBinToScaled / decimalScaledToWords must agree
// with decimalBinToWords byte for byte (values, digit counts, signs, errors), and a column built
// from scaled values must read exactly like one built from words.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ChunkedVecDecimal,
  ChunkedVecDecimalBuilder,
  DECIMAL_CHUNK_WORDS,
  Decimal,
  decimalBinSize,
  decimalBinToScaled,
  decimalBinToWords,
  decimalScaledToWords,
  decimalWordsToScaled,
} from "../../src/index.js";

/** The words decimalBinToWords gives, or the message it throws. */
function viaWords(bytes: Uint8Array, prec: number, frac: number): Int32Array | string {
  const out = new Int32Array(DECIMAL_CHUNK_WORDS);
  try {
    decimalBinToWords(bytes, 0, prec, frac, out, 0);
    return out;
  } catch (e) {
    return (e as Error).message;
  }
}

/** decimalBinToScaled, written back with decimalScaledToWords; or NaN; or the message thrown. */
function viaScaled(bytes: Uint8Array, prec: number, frac: number): Int32Array | string | number {
  let v: number;
  try {
    v = decimalBinToScaled(bytes, 0, prec, frac);
  } catch (e) {
    return (e as Error).message;
  }
  if (Number.isNaN(v)) return v;
  const out = new Int32Array(DECIMAL_CHUNK_WORDS);
  decimalScaledToWords(v, prec, frac, out, 0);
  return out;
}

const layout = fc
  .tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 30 }))
  .filter(([prec, frac]) => frac <= prec);

describe("decimalBinToScaled / decimalScaledToWords", () => {
  it("reproduce decimalBinToWords on arbitrary bytes (values, digit counts, -0, errors)", () => {
    fc.assert(
      fc.property(
        layout.chain(([prec, frac]) =>
          fc.tuple(
            fc.constant(prec),
            fc.constant(frac),
            fc.uint8Array({ minLength: decimalBinSize(prec, frac), maxLength: decimalBinSize(prec, frac) }),
          ),
        ),
        ([prec, frac, bytes]) => {
          const words = viaWords(bytes, prec, frac);
          const scaled = viaScaled(bytes, prec, frac);
          if (typeof words === "string") {
            expect(scaled).toBe(words);
          } else if (typeof scaled === "number") {
            // NaN: the value is beyond 2^53 - 1 at this fraction.
            expect(decimalWordsToScaled(words, 0, frac)).toBeNaN();
          } else {
            expect(Array.from(scaled as Int32Array)).toEqual(Array.from(words));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("read the value the words hold, for values written by toBin", () => {
    fc.assert(
      fc.property(
        layout,
        fc.boolean(),
        fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 1, maxLength: 30 }),
        ([prec, frac], neg, digits) => {
          const intDigits = prec - frac;
          const ip = digits.slice(0, intDigits) || "0";
          const fp = digits.slice(intDigits, intDigits + frac).padEnd(frac, "0");
          const d = Decimal.fromString(`${neg ? "-" : ""}${ip}${frac > 0 ? `.${fp}` : ""}`);
          const bin = d.toBin(prec, frac).value;
          const v = decimalBinToScaled(bin, 0, prec, frac);
          const expected = d.toScaledNumber(frac);
          if (expected === null) expect(v).toBeNaN();
          else expect(v === expected).toBe(true); // -0 and 0 compare equal: the sign is checked below
          if (v === 0) {
            // A zero keeps the sign the binary form has, as the words do.
            const words = new Int32Array(DECIMAL_CHUNK_WORDS);
            decimalBinToWords(bin, 0, prec, frac, words, 0);
            expect(Object.is(v, -0)).toBe(words[0]! >>> 24 === 1);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("keep a negative zero and the over-long leading group TiKV accepts", () => {
    // "-0.00" as DECIMAL(5, 2): every bit of the positive zero inverted but the first.
    const negZero = Uint8Array.of(0x7f, 0xff, 0xff);
    expect(Object.is(decimalBinToScaled(negZero, 0, 5, 2), -0)).toBe(true);
    expect(viaScaled(negZero, 5, 2)).toEqual(viaWords(negZero, 5, 2));
    expect((viaWords(negZero, 5, 2) as Int32Array)[0]! >>> 24).toBe(1);
    // DECIMAL(4, 0) keeps 4 digits in 2 bytes, but the reader only refuses 5 digits and more:
    // 0x7fff = 32767 passes, as in TiKV.
    const wide = Uint8Array.of(0xff, 0xff);
    expect(decimalBinToScaled(wide, 0, 4, 0)).toBe(32767);
    expect(viaScaled(wide, 4, 0)).toEqual(viaWords(wide, 4, 0));
  });

  it("refuse a value that is not of the binary form", () => {
    const out = new Int32Array(DECIMAL_CHUNK_WORDS);
    expect(() => decimalScaledToWords(1.5, 5, 2, out, 0)).toThrow(/not a DECIMAL\(5, 2\)/);
    // 100000 needs six digits; DECIMAL(3, 0) has one group of three.
    expect(() => decimalScaledToWords(100_000_000_000, 3, 0, out, 0)).toThrow(/not a DECIMAL\(3, 0\)/);
  });
});

describe("ChunkedVecDecimalBuilder with scaled values", () => {
  const value = fc.option(fc.integer({ min: -99_999_999_999, max: 99_999_999_999 }), { nil: null });

  it("builds the same column as the word path, and keeps the scaled values", () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 40 }), fc.integer({ min: 0, max: 6 }), (cents, frac) => {
        const prec = 11 + frac;
        const scaledB = new ChunkedVecDecimalBuilder();
        const words = new Int32Array(cents.length * DECIMAL_CHUNK_WORDS);
        for (let i = 0; i < cents.length; i++) {
          const c = cents[i];
          if (c === null) {
            scaledB.appendNull();
            continue;
          }
          const bin = Decimal.fromScaledNumber(c, frac).toBin(prec, frac).value;
          expect(scaledB.appendBin(bin, 0, prec, frac)).toBe(decimalBinSize(prec, frac));
          decimalBinToWords(bin, 0, prec, frac, words, i * DECIMAL_CHUNK_WORDS);
        }
        const col = scaledB.finish();
        expect(col.length).toBe(cents.length);
        const present = cents.filter((c) => c !== null);
        expect(col.scaled === null).toBe(present.length === 0);
        if (col.scaled !== null) {
          expect(col.scaled.scale).toBe(frac);
          expect(Array.from(col.scaled.values)).toEqual(cents.map((c) => c ?? 0));
          expect(col.scaledNumbers(frac)).toBe(col.scaled.values);
        }
        expect(Array.from(col.words)).toEqual(Array.from(words));
        for (let i = 0; i < cents.length; i++) expect(col.isNull(i)).toBe(cents[i] === null);
      }),
    );
  });

  it("turns the batch into words when the binary form changes or a Decimal is appended", () => {
    const b = new ChunkedVecDecimalBuilder();
    const bin = (s: string, p: number, f: number) => Decimal.fromString(s).toBin(p, f).value;
    b.appendBin(bin("12.34", 15, 2), 0, 15, 2);
    b.appendNull();
    b.appendBin(bin("-5.678", 15, 3), 0, 15, 3);
    b.append(Decimal.fromString("1.5"));
    const mixed = b.finish();
    expect(mixed.scaled).toBeNull();
    expect([0, 1, 2, 3].map((i) => mixed.get(i)?.toString() ?? null)).toEqual([
      "12.34",
      null,
      "-5.678",
      "1.5",
    ]);
    // The builder starts over in scaled mode.
    b.appendBin(bin("7.10", 15, 2), 0, 15, 2);
    b.append(Decimal.fromString("-2"));
    const again = b.finish();
    expect(again.get(0)?.toString()).toBe("7.10");
    expect(again.get(1)?.toString()).toBe("-2");
    b.appendBin(bin("7.10", 15, 2), 0, 15, 2);
    expect(b.finish().scaled?.values[0]).toBe(710);
  });

  it("falls back to words for a value beyond 2^53 - 1", () => {
    const b = new ChunkedVecDecimalBuilder();
    const small = Decimal.fromString("1.00").toBin(30, 2).value;
    const big = Decimal.fromString("123456789012345678.90").toBin(30, 2).value;
    b.appendBin(small, 0, 30, 2);
    b.appendBin(big, 0, 30, 2);
    const col = b.finish();
    expect(col.scaled).toBeNull();
    expect(col.get(0)?.toString()).toBe("1.00");
    expect(col.get(1)?.toString()).toBe("123456789012345678.90");
  });
});

describe("ChunkedVecDecimal.scaledNumbers over scaled values", () => {
  const col = ChunkedVecDecimal.fromScaled(
    { values: Float64Array.of(1250, -300, 0), scale: 2 },
    () => {
      throw new Error("words not needed");
    },
    Uint8Array.of(0b011),
    1,
  );

  it("gives the values themselves at their scale, and rescales exactly otherwise", () => {
    expect(col.scaledNumbers(2)).toBe(col.scaled?.values);
    expect(Array.from(col.scaledNumbers(4) ?? [])).toEqual([125000, -30000, 0]);
    expect(Array.from(col.scaledNumbers(1) ?? [])).toEqual([125, -30, 0]);
    // 12.50 with no fraction digits would drop the 5.
    expect(col.scaledNumbers(0)).toBeNull();
  });

  it("writes words only when they are read", () => {
    expect(() => col.words).toThrow("words not needed");
  });
});
