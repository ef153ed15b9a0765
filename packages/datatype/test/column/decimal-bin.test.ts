// ChunkedVecDecimalBuilder.appendBin / decimalBinToWords: the binary form straight into column
// words must give exactly what Decimal.fromBin + append gives.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChunkedVecDecimalBuilder, CodecError, Decimal, decimalBinSize } from "../../src/index.js";

const decimalCase = fc
  .tuple(
    fc.integer({ min: 1, max: 65 }),
    fc.integer({ min: 0, max: 30 }),
    fc.boolean(),
    fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 1, maxLength: 70 }),
  )
  .filter(([prec, frac]) => frac <= prec)
  .map(([prec, frac, neg, digits]) => {
    const intDigits = Math.max(0, prec - frac);
    const ip = digits.slice(0, intDigits) || "0";
    const fp = digits.slice(intDigits, intDigits + frac);
    const text = `${neg ? "-" : ""}${ip}${frac > 0 ? `.${fp.padEnd(frac, "0")}` : ""}`;
    return { prec, frac, value: Decimal.fromString(text) };
  });

describe("appendBin", () => {
  it("equals fromBin + append for every precision and fraction", () => {
    fc.assert(
      fc.property(fc.array(decimalCase, { minLength: 1, maxLength: 8 }), (cases) => {
        const viaObject = new ChunkedVecDecimalBuilder();
        const viaBin = new ChunkedVecDecimalBuilder();
        for (const { prec, frac, value } of cases) {
          const bin = value.toBin(prec, frac);
          if (bin.status !== 0) continue;
          // Put the value at an odd offset inside a larger buffer.
          const buf = new Uint8Array(bin.value.length + 3);
          buf.set(bin.value, 2);
          viaObject.append(Decimal.fromBin(buf, 2, prec, frac).value);
          expect(viaBin.appendBin(buf, 2, prec, frac)).toBe(decimalBinSize(prec, frac));
          viaObject.appendNull();
          viaBin.appendNull();
        }
        const a = viaObject.finish();
        const b = viaBin.finish();
        expect(Array.from(b.words)).toEqual(Array.from(a.words));
        for (let i = 0; i < a.length; i++) expect(b.get(i)?.toString()).toBe(a.get(i)?.toString());
      }),
    );
  });

  it("zero is the canonical zero; the sign comes from the first bit", () => {
    const b = new ChunkedVecDecimalBuilder();
    const zeroBin = Decimal.fromString("0.00").toBin(5, 2).value;
    b.appendBin(zeroBin, 0, 5, 2);
    const neg = Decimal.fromString("-1.50").toBin(5, 2).value;
    b.appendBin(neg, 0, 5, 2);
    const col = b.finish();
    expect(col.get(0)?.toString()).toBe("0.00");
    expect(col.get(1)?.toString()).toBe("-1.50");
    expect(col.get(1)?.isNegative()).toBe(true);
  });

  it("a bad value appends nothing and leaves the slot zero for a NULL", () => {
    const b = new ChunkedVecDecimalBuilder();
    // 0x80 then 0xff..: the integer word 0x7fffffff exceeds 999999999
    const bad = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff);
    expect(() => b.appendBin(bad, 0, 10, 0)).toThrow(CodecError);
    expect(() => b.appendBin(Uint8Array.of(0x80), 0, 10, 2)).toThrow(/too short/);
    expect(b.length).toBe(0);
    b.appendNull();
    const col = b.finish();
    expect(col.length).toBe(1);
    expect(Array.from(col.words)).toEqual(new Array(10).fill(0));
  });
});
