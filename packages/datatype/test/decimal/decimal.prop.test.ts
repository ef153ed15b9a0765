import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal, DecimalStatus, decimalBinSize, RoundMode } from "../../src/decimal/index.js";

// A second implementation: a decimal as a BigInt scaled by 10^scale.
interface Ref {
  v: bigint;
  scale: number;
}

function refOf(s: string): Ref {
  const neg = s.startsWith("-");
  const body = neg ? s.slice(1) : s;
  const dot = body.indexOf(".");
  const digits = dot < 0 ? body : body.slice(0, dot) + body.slice(dot + 1);
  const v = BigInt(digits === "" ? "0" : digits);
  return { v: neg ? -v : v, scale: dot < 0 ? 0 : body.length - dot - 1 };
}

const TEN = 10n;
function pow10(n: number): bigint {
  return TEN ** BigInt(n);
}

/** `r` rescaled to `scale` (which must not drop digits). */
function at(r: Ref, scale: number): bigint {
  return r.v * pow10(scale - r.scale);
}

function refEq(a: Ref, b: Ref): boolean {
  const s = Math.max(a.scale, b.scale);
  return at(a, s) === at(b, s);
}

function refString(v: bigint, scale: number): string {
  const neg = v < 0n;
  let s = (neg ? -v : v).toString();
  if (scale > 0) {
    s = s.padStart(scale + 1, "0");
    s = `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
  }
  return neg && v !== 0n ? `-${s}` : s;
}

function refValue(d: Decimal): Ref {
  return refOf(d.toStringValue());
}

const digit = fc.oneof(fc.constant("9"), fc.constant("0"), fc.integer({ min: 0, max: 9 }).map(String));

/** A canonical decimal text: no leading zeros, `intMax`/`fracMax` digits at most. */
function decimalText(intMax: number, fracMax: number): fc.Arbitrary<string> {
  return fc
    .record({
      neg: fc.boolean(),
      int: fc.array(digit, { minLength: 0, maxLength: intMax }),
      frac: fc.array(digit, { minLength: 0, maxLength: fracMax }),
    })
    .map(({ neg, int, frac }) => {
      let i = int.join("").replace(/^0+/, "");
      if (i === "") i = "0";
      const f = frac.join("");
      const body = f === "" ? i : `${i}.${f}`;
      const isZero = /^[0.]*$/.test(body);
      return neg && !isZero ? `-${body}` : body;
    });
}

const dec = (s: string) => Decimal.fromString(s);

describe("decimal properties", () => {
  it("string → decimal → string is the identity for canonical text (up to 65 digits)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 65 }).chain((i) => decimalText(i, Math.min(30, 65 - i))),
        (s) => {
          const r = Decimal.parse(s);
          expect(r.status).toBe(DecimalStatus.Ok);
          expect(r.value.toStringValue()).toBe(s);
          expect(r.value.toString()).toBe(s);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("text with leading zeros, spaces and an exponent parses to the exact value", () => {
    fc.assert(
      fc.property(
        decimalText(12, 12),
        fc.integer({ min: -25, max: 25 }),
        fc.nat(3),
        fc.nat(3),
        (s, exp, zeros, spaces) => {
          const neg = s.startsWith("-");
          const body = neg ? s.slice(1) : s;
          const text = `${" ".repeat(spaces)}${neg ? "-" : ""}${"0".repeat(zeros)}${body}e${exp}${" ".repeat(spaces)}`;
          const r = Decimal.parse(text);
          expect(r.status).toBe(DecimalStatus.Ok);
          const ref = refOf(s);
          const want: Ref =
            exp >= 0 ? { v: ref.v * pow10(exp), scale: ref.scale } : { v: ref.v, scale: ref.scale - exp };
          expect(refEq(refValue(r.value), want)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("add and sub agree with BigInt", () => {
    fc.assert(
      fc.property(decimalText(30, 15), decimalText(30, 15), (a, b) => {
        const x = dec(a);
        const y = dec(b);
        const ra = refOf(a);
        const rb = refOf(b);
        const s = Math.max(ra.scale, rb.scale);
        // Operands of equal magnitude cancel to TiKV's plain zero ("0", no fraction).
        const text = (v: bigint, cancel: boolean) => (v === 0n && cancel ? "0" : refString(v, s));
        const sum = x.add(y);
        expect(sum.status).toBe(DecimalStatus.Ok);
        expect(sum.value.toStringValue()).toBe(text(at(ra, s) + at(rb, s), x.negative !== y.negative));
        const diff = x.sub(y);
        expect(diff.status).toBe(DecimalStatus.Ok);
        expect(diff.value.toStringValue()).toBe(text(at(ra, s) - at(rb, s), x.negative === y.negative));
      }),
      { numRuns: 1000 },
    );
  });

  it("mul agrees with BigInt for word-sized digit groups near 10^9 (the word product's carries)", () => {
    // Nine-digit groups drawn near 0, 10^9 - 1 and 5 * 10^8, where a product's high word is most
    // easily off by one.
    const group = fc
      .oneof(
        fc.integer({ min: 999_990_000, max: 999_999_999 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 499_990_000, max: 500_010_000 }),
      )
      .map((g) => String(g).padStart(9, "0"));
    const value = fc
      // At most three integer and one fraction group each: the product (8 words) fits, and MySQL
      // keeps at most 31 fraction digits of a product.
      .tuple(fc.boolean(), fc.array(group, { minLength: 1, maxLength: 3 }), fc.array(group, { maxLength: 1 }))
      .map(([neg, ints, fracs]) => {
        const i = ints.join("").replace(/^0+/, "") || "0";
        return `${neg ? "-" : ""}${i}${fracs.length > 0 ? `.${fracs.join("")}` : ""}`;
      });
    fc.assert(
      fc.property(value, value, (a, b) => {
        const ra = refOf(a);
        const rb = refOf(b);
        const p = dec(a).mul(dec(b));
        expect(p.status).toBe(DecimalStatus.Ok);
        expect(refEq(refValue(p.value), { v: ra.v * rb.v, scale: ra.scale + rb.scale })).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("mul: word products that are exact multiples of 10^9, or just below", () => {
    const cases = [
      ["500000000", "2"],
      ["0.5", "2"],
      ["250000000", "4"],
      ["999999999", "999999999"],
      ["999999999.999999999", "999999999.999999999"],
      ["125000000", "8.000000008"],
      ["333333333", "3"],
      ["200000000.2", "5"],
    ];
    for (const [a, b] of cases) {
      const ra = refOf(a!);
      const rb = refOf(b!);
      const p = dec(a!).mul(dec(b!));
      expect(refEq(refValue(p.value), { v: ra.v * rb.v, scale: ra.scale + rb.scale }), `${a} * ${b}`).toBe(
        true,
      );
    }
  });

  it("mul agrees with BigInt", () => {
    fc.assert(
      fc.property(decimalText(20, 15), decimalText(20, 15), (a, b) => {
        const ra = refOf(a);
        const rb = refOf(b);
        const p = dec(a).mul(dec(b));
        expect(p.status).toBe(DecimalStatus.Ok);
        expect(refEq(refValue(p.value), { v: ra.v * rb.v, scale: ra.scale + rb.scale })).toBe(true);
        // A zero product of operands with different signs becomes TiKV's plain zero.
        const negZero = ra.v < 0n !== rb.v < 0n && ra.v * rb.v === 0n;
        expect(p.value.fracCnt).toBe(negZero ? 0 : ra.scale + rb.scale);
      }),
      { numRuns: 1000 },
    );
  });

  it("div truncates the exact quotient; mod is the remainder with the dividend's sign", () => {
    fc.assert(
      fc.property(decimalText(20, 15), decimalText(20, 15), fc.integer({ min: 0, max: 9 }), (a, b, incr) => {
        const ra = refOf(a);
        const rb = refOf(b);
        const x = dec(a);
        const y = dec(b);
        const q = x.div(y, incr);
        const m = x.mod(y);
        if (rb.v === 0n) {
          expect(q).toBeNull();
          expect(m).toBeNull();
          return;
        }
        expect(q).not.toBeNull();
        expect(q!.status).toBe(DecimalStatus.Ok);
        const f = q!.value.fracCnt;
        // a / b = (va / 10^sa) / (vb / 10^sb); scaled by 10^f and truncated.
        const num = ra.v * pow10(rb.scale + f);
        const den = rb.v * pow10(ra.scale);
        expect(refEq(refValue(q!.value), { v: num / den, scale: f })).toBe(true);
        const s = Math.max(ra.scale, rb.scale);
        const rem = at(ra, s) % at(rb, s);
        expect(m!.status).toBe(DecimalStatus.Ok);
        expect(refEq(refValue(m!.value), { v: rem, scale: s })).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("compare agrees with BigInt; equal values hash equally", () => {
    fc.assert(
      fc.property(decimalText(40, 20), decimalText(40, 20), fc.nat(4), fc.nat(4), (a, b, lz, tz) => {
        const ra = refOf(a);
        const rb = refOf(b);
        const s = Math.max(ra.scale, rb.scale);
        const want = Math.sign(Number(at(ra, s) - at(rb, s)));
        expect(dec(a).compare(dec(b))).toBe(want);
        // The same value with other leading/trailing zeros.
        const neg = a.startsWith("-");
        const body = neg ? a.slice(1) : a;
        const padded = `${neg ? "-" : ""}${"0".repeat(lz)}${body}${body.includes(".") ? "" : "."}${"0".repeat(tz)}`;
        expect(dec(padded).compare(dec(a))).toBe(0);
        expect(dec(padded).hash()).toBe(dec(a).hash());
      }),
      { numRuns: 500 },
    );
  });

  it("round, truncate and ceiling agree with BigInt", () => {
    fc.assert(
      fc.property(decimalText(30, 30), fc.integer({ min: -8, max: 30 }), (a, frac) => {
        const r = refOf(a);
        const d = dec(a);
        // Only where TiKV does not short-cut to zero (frac below -intCnt).
        fc.pre(d.intCnt + frac >= 0);
        const neg = r.v < 0n;
        const mag = neg ? -r.v : r.v;
        const drop = r.scale - frac;
        const check = (mode: RoundMode, bump: (rest: bigint, unit: bigint) => boolean) => {
          let kept: bigint;
          let scale: number;
          if (drop <= 0) {
            kept = mag * pow10(-drop);
            scale = frac;
          } else {
            const unit = pow10(drop);
            kept = mag / unit;
            if (bump(mag % unit, unit)) kept += 1n;
            scale = r.scale - drop;
          }
          const v = scale >= 0 ? kept : kept * pow10(-scale);
          const got = d.round(frac, mode);
          expect(got.status).toBe(DecimalStatus.Ok);
          expect(refEq(refValue(got.value), { v: neg ? -v : v, scale: Math.max(scale, 0) })).toBe(true);
          expect(got.value.fracCnt).toBe(Math.max(frac, 0));
        };
        check(RoundMode.HalfEven, (rest, unit) => rest * 2n >= unit);
        check(RoundMode.Truncate, () => false);
        check(RoundMode.Ceiling, (rest) => rest > 0n);
      }),
      { numRuns: 1000 },
    );
  });

  it("ceil and floor agree with BigInt", () => {
    fc.assert(
      fc.property(decimalText(30, 30), (a) => {
        const r = refOf(a);
        const unit = pow10(r.scale);
        const t = r.v / unit;
        const exact = t * unit === r.v;
        const floor = exact || r.v >= 0n ? t : t - 1n;
        const ceil = exact || r.v < 0n ? t : t + 1n;
        expect(dec(a).floor().value.toStringValue()).toBe(floor.toString());
        expect(dec(a).ceil().value.toStringValue()).toBe(ceil.toString());
      }),
      { numRuns: 500 },
    );
  });

  it("decimal → bin → decimal is the identity when DECIMAL(prec, frac) holds the value", () => {
    fc.assert(
      fc.property(decimalText(35, 30), fc.nat(30), fc.nat(30), (a, extraInt, extraFrac) => {
        const d = dec(a);
        const [p0, f0] = d.precAndFrac();
        const intDigits = p0 - f0;
        const frac = Math.min(30, f0 + extraFrac);
        const prec = Math.min(65, Math.max(1, intDigits + frac + extraInt));
        fc.pre(prec - frac >= intDigits && prec >= 1);
        const bin = d.toBin(prec, frac);
        expect(bin.status).toBe(DecimalStatus.Ok);
        expect(bin.value.length).toBe(decimalBinSize(prec, frac));
        const back = Decimal.fromBin(bin.value, 0, prec, frac);
        expect(back.bytesRead).toBe(bin.value.length);
        expect(back.value.compare(d)).toBe(0);
        expect(back.value.fracCnt).toBe(frac);
        expect(back.value.toStringValue()).toBe(refString(at(refOf(a), frac), frac));
      }),
      { numRuns: 1000 },
    );
  });

  it("bin of values that do not fit keeps the low digits (overflow) and cuts the fraction", () => {
    fc.assert(
      fc.property(decimalText(30, 20), fc.integer({ min: 1, max: 40 }), fc.nat(20), (a, prec0, frac0) => {
        const frac = Math.min(frac0, prec0);
        const prec = prec0;
        const d = dec(a);
        const r = refOf(a);
        const bin = d.toBin(prec, frac);
        const back = Decimal.fromBin(bin.value, 0, prec, frac).value;
        const neg = r.v < 0n;
        const mag = neg ? -r.v : r.v;
        const scaled = frac >= r.scale ? mag * pow10(frac - r.scale) : mag / pow10(r.scale - frac);
        const want = scaled % pow10(prec);
        expect(refEq(refValue(back), { v: neg ? -want : want, scale: frac })).toBe(true);
        const [p0, f0] = d.precAndFrac();
        const intOverflow = p0 - f0 > prec - frac && !d.isZero();
        const fracCut = frac < d.fracCnt;
        const st = fracCut
          ? DecimalStatus.Truncated
          : intOverflow
            ? DecimalStatus.Overflow
            : DecimalStatus.Ok;
        expect(bin.status).toBe(st);
      }),
      { numRuns: 1000 },
    );
  });

  it("bin bytes sort like the values", () => {
    fc.assert(
      fc.property(decimalText(12, 8), decimalText(12, 8), (a, b) => {
        const x = dec(a).toBin(20, 8).value;
        const y = dec(b).toBin(20, 8).value;
        let c = 0;
        for (let i = 0; i < x.length && c === 0; i++) c = Math.sign(x[i] - y[i]);
        expect(c).toBe(dec(a).compare(dec(b)));
      }),
      { numRuns: 500 },
    );
  });

  it("writeWords → readWords round-trips every field and word", () => {
    fc.assert(
      fc.property(decimalText(30, 15), decimalText(30, 15), fc.nat(5), (a, b, at0) => {
        const words = new Int32Array(at0 + 10);
        for (const d of [
          dec(a),
          dec(a).mul(dec(b)).value,
          dec(a).div(dec("7"))!.value,
          Decimal.fromI64(-5n),
        ]) {
          d.writeWords(words, at0);
          const back = Decimal.readWords(words, at0);
          expect([back.intCnt, back.fracCnt, back.resultFracCnt, back.negative]).toEqual([
            d.intCnt,
            d.fracCnt,
            d.resultFracCnt,
            d.negative,
          ]);
          expect(Array.from(words.subarray(at0 + 1, at0 + 10))).toEqual(d.words);
          expect(back.words).toEqual(d.words);
          expect(back.toStringValue()).toBe(d.toStringValue());
        }
      }),
      { numRuns: 300 },
    );
  });

  it("fromScaledNumber / toScaledNumber round-trip", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.integer({ min: 0, max: 30 }), (n, frac) => {
        const d = Decimal.fromScaledNumber(n, frac);
        expect(d.toStringValue()).toBe(refString(BigInt(n), frac));
        expect(d.fracCnt).toBe(frac);
        expect(d.toScaledNumber(frac)).toBe(n === 0 ? 0 : n);
        // More digits: exact while safe.
        const up = BigInt(n) * 10n;
        expect(d.toScaledNumber(frac + 1)).toBe(
          up >= BigInt(Number.MIN_SAFE_INTEGER) && up <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(up) : null,
        );
        // Fewer digits: only when the last digit is zero.
        if (frac > 0) expect(d.toScaledNumber(frac - 1)).toBe(n % 10 === 0 ? n / 10 : null);
        expect(d.compare(dec(refString(BigInt(n), frac)))).toBe(0);
        expect(d.hash()).toBe(dec(refString(BigInt(n), frac)).hash());
      }),
      { numRuns: 1000 },
    );
  });

  it("toScaledNumber agrees with BigInt on parsed values", () => {
    fc.assert(
      fc.property(decimalText(20, 20), fc.integer({ min: 0, max: 30 }), (a, frac) => {
        const r = refOf(a);
        let want: number | null;
        if (frac >= r.scale) {
          const v = r.v * pow10(frac - r.scale);
          want =
            v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : null;
        } else {
          const unit = pow10(r.scale - frac);
          const v = r.v / unit;
          want =
            v * unit === r.v && v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
              ? Number(v)
              : null;
        }
        expect(dec(a).toScaledNumber(frac)).toBe(want);
      }),
      { numRuns: 1000 },
    );
  });

  it("i64 and u64 round-trip", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (v) => {
        expect(Decimal.fromI64(v).toI64()).toEqual({ value: v, status: DecimalStatus.Ok });
        expect(Decimal.fromI64(v).toStringValue()).toBe(v.toString());
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (v) => {
        expect(Decimal.fromU64(v).toU64()).toEqual({ value: v, status: DecimalStatus.Ok });
      }),
    );
  });

  it("f64 → decimal → f64 is the identity for doubles within the digit range", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e60, max: 1e60 }), (v) => {
        fc.pre(v === 0 || Math.abs(v) > 1e-50);
        const d = Decimal.fromF64(v);
        expect(d.toF64()).toBe(v === 0 ? 0 : v);
      }),
      { numRuns: 1000 },
    );
  });
});
