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

describe("appendBinRun", () => {
  // Runs of values of one (prec, frac), some beyond 2^53 (which the run leaves to appendBin),
  // mixed with appendBin calls of other (prec, frac) and NULLs: the column must be the one
  // appendBin alone builds, value by value.
  it("builds what appendBin builds value by value, and stops where the scaled form cannot go on", () => {
    const run = fc.record({
      prec: fc.integer({ min: 1, max: 30 }),
      frac: fc.integer({ min: 0, max: 10 }),
      count: fc.integer({ min: 0, max: 6 }),
      seed: fc.array(decimalCase, { minLength: 6, maxLength: 6 }),
    });
    fc.assert(
      fc.property(fc.array(run, { minLength: 1, maxLength: 6 }), fc.nat(3), (runs, skip) => {
        const one = new ChunkedVecDecimalBuilder();
        const many = new ChunkedVecDecimalBuilder();
        for (const { prec: p0, frac: f0, count, seed } of runs) {
          const frac = Math.min(f0, p0);
          const prec = p0;
          // Values of this run as DECIMAL(prec, frac), each behind `skip` bytes of header.
          const bins = seed
            .slice(0, count)
            .map((c) => c.value.toBin(prec, frac))
            .filter((b) => b.status === 0)
            .map((b) => b.value);
          const size = decimalBinSize(prec, frac) + skip;
          const buf = new Uint8Array(bins.length * size + 5);
          const pos = new Int32Array(2 * bins.length);
          bins.forEach((b, i) => {
            buf.set(b, 5 + i * size + skip);
            pos[2 * i] = 5 + i * size;
            pos[2 * i + 1] = -1; // unused
          });
          for (const b of bins) one.appendBin(b, 0, prec, frac);
          let done = 0;
          while (done < bins.length) {
            const took = many.appendBinRun(buf, pos, 2 * done, 2, bins.length - done, skip, prec, frac);
            done += took;
            if (done < bins.length) {
              many.appendBin(buf, pos[2 * done]! + skip, prec, frac);
              done++;
            }
          }
          one.appendNull();
          many.appendNull();
        }
        expect(many.length).toBe(one.length);
        const a = one.finish();
        const b = many.finish();
        expect(Array.from(b.words)).toEqual(Array.from(a.words));
        for (let i = 0; i < a.length; i++) expect(b.get(i)?.toString()).toBe(a.get(i)?.toString());
      }),
      { numRuns: 300 },
    );
  });

  it("a bad value throws after the values before it are appended", () => {
    const ok = Decimal.fromString("12.5").toBin(10, 2).value;
    // A leading group of 0x7fffffff: more than its 8 digits hold.
    const bad = new Uint8Array(ok.length).fill(0xff);
    const buf = new Uint8Array(3 * ok.length);
    buf.set(ok, 0);
    buf.set(ok, ok.length);
    buf.set(bad, 2 * ok.length);
    const pos = Int32Array.of(0, ok.length, 2 * ok.length);
    const b = new ChunkedVecDecimalBuilder();
    expect(() => b.appendBinRun(buf, pos, 0, 1, 3, 0, 10, 2)).toThrow(CodecError);
    expect(b.length).toBe(2);
    b.appendNull();
    const col = b.finish();
    expect([0, 1, 2].map((i) => col.get(i)?.toString() ?? null)).toEqual(["12.50", "12.50", null]);
  });
});

describe("appendBinAtRows", () => {
  // Values at some rows of a batch, zero placeholders between them: the column must be what
  // appendZeros + appendBin build, where the values could be taken; the rest one by one.
  it("builds what appendZeros and appendBin build, stopping where the scaled form cannot go on", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(4), decimalCase), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 8 }),
        (cells, prec, f0) => {
          const frac = Math.min(f0, prec);
          // Row numbers: each value after a gap of 0..4 placeholder rows.
          const bins: Uint8Array[] = [];
          const rows: number[] = [];
          let row = 0;
          for (const [gap, c] of cells) {
            const bin = c.value.toBin(prec, frac);
            if (bin.status !== 0) continue;
            row += gap;
            rows.push(row++);
            bins.push(bin.value);
          }
          if (bins.length === 0) return;
          const size = decimalBinSize(prec, frac);
          const buf = new Uint8Array(bins.length * (size + 1));
          const starts = new Int32Array(row);
          bins.forEach((b, i) => {
            buf.set(b, i * (size + 1) + 1);
            starts[rows[i]!] = i * (size + 1);
          });
          const one = new ChunkedVecDecimalBuilder();
          let next = 0;
          for (let i = 0; i < bins.length; i++) {
            one.appendZeros(rows[i]! - next);
            one.appendBin(bins[i]!, 0, prec, frac);
            next = rows[i]! + 1;
          }
          const many = new ChunkedVecDecimalBuilder();
          const live = Uint32Array.from(rows);
          let k = 0;
          while (k < bins.length) {
            k += many.appendBinAtRows(buf, starts, live, k, bins.length - k, 1, prec, frac);
            if (k < bins.length) {
              many.appendZeros(rows[k]! - many.length);
              many.appendBin(buf, starts[rows[k]!]! + 1, prec, frac);
              k++;
            }
          }
          expect(many.length).toBe(one.length);
          const a = one.finish();
          const b = many.finish();
          for (let i = 0; i < a.length; i++) expect(b.get(i)?.toString()).toBe(a.get(i)?.toString());
        },
      ),
      { numRuns: 300 },
    );
  });
});
