import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Duration, MAX_DURATION_NANOS } from "../../src/duration/index.js";
import { EvalContext } from "../../src/index.js";

const nanosArb = fc.integer({ min: -MAX_DURATION_NANOS, max: MAX_DURATION_NANOS });
const fspArb = fc.integer({ min: 0, max: 6 });

/** Round half away from zero with BigInt: an independent model of TiKV's checked_round. */
function roundModel(nanos: number, fsp: number): number {
  const step = 10n ** BigInt(9 - fsp);
  const n = BigInt(nanos);
  const q = n / step;
  const r = n % step;
  const abs2 = (r < 0n ? -r : r) * 2n;
  const adj = abs2 >= step ? (n < 0n ? -1n : 1n) : 0n;
  return Number((q + adj) * step);
}

describe("Duration properties", () => {
  it("fromNanos rounds like the BigInt model", () => {
    fc.assert(
      fc.property(nanosArb, fspArb, (nanos, fsp) => {
        const model = roundModel(nanos, fsp);
        fc.pre(Math.abs(model) <= MAX_DURATION_NANOS);
        expect(Duration.fromNanos(nanos, fsp).toNanos()).toBe(model);
      }),
    );
  });

  it("parse(toString(d)) == d", () => {
    fc.assert(
      fc.property(nanosArb, fspArb, (nanos, fsp) => {
        fc.pre(Math.abs(roundModel(nanos, fsp)) <= MAX_DURATION_NANOS);
        const d = Duration.fromNanos(nanos, fsp);
        const back = Duration.parse(new EvalContext(), d.toString(), fsp);
        expect([back.toNanos(), back.fsp]).toEqual([d.toNanos(), d.fsp]);
      }),
    );
  });

  it("the numeric form reads back as HHMMSS", () => {
    fc.assert(
      fc.property(nanosArb, (nanos) => {
        const d = Duration.fromNanos(Math.trunc(nanos / 1e9) * 1e9, 0);
        const n = Number(d.toNumericString());
        const abs = Math.abs(n);
        const secs = Math.floor(abs / 10000) * 3600 + (Math.floor(abs / 100) % 100) * 60 + (abs % 100);
        expect(Math.sign(n) * secs * 1e9 + 0).toBe(d.toNanos());
      }),
    );
  });

  it("compare agrees with nanosecond order", () => {
    fc.assert(
      fc.property(nanosArb, nanosArb, fspArb, fspArb, (a, b, fa, fb) => {
        const x = Duration.fromNanos(Math.trunc(a / 1e3) * 1e3, 6).roundFrac(fa);
        const y = Duration.fromNanos(Math.trunc(b / 1e3) * 1e3, 6).roundFrac(fb);
        expect(x.compare(y)).toBe(Math.sign(x.toNanos() - y.toNanos()) + 0);
        expect(x.compare(y)).toBe(0 - y.compare(x) + 0);
      }),
    );
  });

  it("fromI64 agrees with parsing H:M:S", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 0, max: 838 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
        (neg, h, m, s) => {
          const n = (neg ? -1 : 1) * (h * 10000 + m * 100 + s);
          const ctx = new EvalContext();
          const text = `${neg ? "-" : ""}${h}:${m}:${s}`;
          expect(Duration.fromI64(ctx, n, 0).toNanos()).toBe(Duration.parse(ctx, text, 0).toNanos());
        },
      ),
    );
  });

  it("checkedAdd then checkedSub gives back the value", () => {
    fc.assert(
      fc.property(nanosArb, nanosArb, (a, b) => {
        const x = Duration.fromNanos(Math.trunc(a / 1e3) * 1e3, 6);
        const y = Duration.fromNanos(Math.trunc(b / 1e3) * 1e3, 6);
        const sum = x.checkedAdd(y);
        const inRange = Math.abs(x.toNanos() + y.toNanos()) <= MAX_DURATION_NANOS;
        expect(sum !== null).toBe(inRange);
        if (sum !== null) expect(sum.checkedSub(y)?.toNanos()).toBe(x.toNanos());
      }),
    );
  });
});
