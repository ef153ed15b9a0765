import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EvalContext } from "../../src/eval-context.js";
import { civilFromDays, daysFromCivil } from "../../src/time/core.js";
import { compareTimeWords, Time, type TimeFields, TimeType, TimeZone } from "../../src/time/index.js";

const DIM = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Real calendar dates and clocks in years 1..9999. */
const validFields: fc.Arbitrary<TimeFields> = fc
  .record({
    year: fc.integer({ min: 1, max: 9999 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    micro: fc.integer({ min: 0, max: 999_999 }),
  })
  .map((f) => {
    const last = f.month === 2 && !isLeap(f.year) ? 28 : DIM[f.month - 1];
    return { ...f, day: Math.min(f.day, last) };
  });

/** Any field values the layout can hold. */
const anyFields: fc.Arbitrary<TimeFields> = fc.record({
  year: fc.integer({ min: 0, max: 16383 }),
  month: fc.integer({ min: 0, max: 15 }),
  day: fc.integer({ min: 0, max: 31 }),
  hour: fc.integer({ min: 0, max: 31 }),
  minute: fc.integer({ min: 0, max: 63 }),
  second: fc.integer({ min: 0, max: 63 }),
  micro: fc.integer({ min: 0, max: 0xfffff }),
});

const fspArb = fc.integer({ min: 0, max: 6 });
const typeArb = fc.constantFrom(TimeType.Date, TimeType.DateTime, TimeType.Timestamp);
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });

/** Cuts the micro-seconds to `fsp` digits, as a value of that precision holds them. */
function atFsp(f: TimeFields, fsp: number): TimeFields {
  const step = 10 ** (6 - fsp);
  return { ...f, micro: Math.floor(f.micro / step) * step };
}

function tuple(f: TimeFields): number[] {
  return [f.year, f.month, f.day, f.hour, f.minute, f.second, f.micro];
}

function lexCompare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

describe("time properties", () => {
  it("words round trip bit for bit", () => {
    fc.assert(
      fc.property(u32, u32, (lo, hi) => {
        const t = Time.fromWords(lo, hi);
        expect(t.lowWord()).toBe(lo);
        expect(t.highWord()).toBe(hi);
        expect(t.toCoreU64()).toBe((BigInt(hi) << 32n) | BigInt(lo));
        expect(Time.fromCoreU64(t.toCoreU64()).lowWord()).toBe(lo);
      }),
    );
  });

  it("fields survive the layout", () => {
    fc.assert(
      fc.property(
        anyFields,
        fc.constantFrom(TimeType.DateTime, TimeType.Timestamp),
        fspArb,
        (f, type, fsp) => {
          const t = Time.unchecked(f, type, fsp);
          const back = Time.fromWords(t.lowWord(), t.highWord());
          expect(back.fields()).toEqual(f);
          expect(back.type).toBe(type);
          expect(back.fsp).toBe(fsp);
        },
      ),
    );
  });

  it("compareTimeWords is the lexicographic order of the fields, whatever fsp and type", () => {
    fc.assert(
      fc.property(anyFields, anyFields, typeArb, typeArb, fspArb, fspArb, (a, b, ta, tb, fa, fb) => {
        const x = Time.unchecked(a, ta, fa);
        const y = Time.unchecked(b, tb, fb);
        // Time.unchecked keeps a DATE's clock bits, so every field takes part.
        const expected = lexCompare(tuple(a), tuple(b));
        expect(compareTimeWords(x.lowWord(), x.highWord(), y.lowWord(), y.highWord())).toBe(expected);
        expect(x.compare(y)).toBe(expected);
        expect(x.equals(y)).toBe(expected === 0);
      }),
    );
  });

  it("DATE and DATETIME round trip through the packed u64", () => {
    fc.assert(
      fc.property(validFields, fc.constantFrom(TimeType.Date, TimeType.DateTime), fspArb, (f, type, fsp) => {
        const ctx = new EvalContext();
        const t = Time.fromFields(ctx, atFsp(f, fsp), type, fsp);
        const packed = t.toPackedU64(ctx);
        // Independent packing with BigInt arithmetic.
        const g = t.fields();
        const ymd = ((BigInt(g.year) * 13n + BigInt(g.month)) << 5n) | BigInt(g.day);
        const hms = (BigInt(g.hour) << 12n) | (BigInt(g.minute) << 6n) | BigInt(g.second);
        expect(packed).toBe((((ymd << 17n) | hms) << 24n) | BigInt(g.micro));
        const back = Time.fromPackedU64(ctx, packed, type, fsp);
        expect(back.toCoreU64()).toBe(t.toCoreU64());
      }),
    );
  });

  it("TIMESTAMP round trips through the packed u64 in a DST zone", () => {
    const ctx = new EvalContext({ timeZone: TimeZone.fromName("Europe/Berlin") });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 999_999 }),
        fspArb,
        (s, micro, fsp) => {
          const t = Time.fromUnixTime(ctx, s, micro * 1000, TimeType.Timestamp, 6).withFsp(fsp);
          const back = Time.fromPackedU64(ctx, t.toPackedU64(ctx), TimeType.Timestamp, fsp);
          // Equal wall time; in the repeated hour the stored instant is the earlier one.
          expect(back.toString()).toBe(t.toString());
        },
      ),
    );
  });

  it("parse(toString()) is the same value", () => {
    fc.assert(
      fc.property(validFields, typeArb, fspArb, (f, type, fsp) => {
        const ctx = new EvalContext({ timeZone: TimeZone.fromName("America/New_York") });
        let t: Time;
        try {
          t = Time.fromFields(ctx, atFsp(f, fsp), type, fsp);
        } catch {
          // Out of the TIMESTAMP range, or in a DST gap.
          return type === TimeType.Timestamp;
        }
        const back = Time.parse(ctx, t.toString(), type, fsp, false);
        expect(back.toCoreU64()).toBe(t.toCoreU64());
        expect(Time.parse(ctx, t.toString(), type, fsp, true).toCoreU64()).toBe(t.toCoreU64());
        return true;
      }),
    );
  });

  it.each(["America/New_York", "Europe/Berlin", "Australia/Lord_Howe"])(
    "TIMESTAMP utc -> local -> utc in %s agrees with Intl",
    (name) => {
      const tz = TimeZone.fromName(name);
      const ctx = new EvalContext({ timeZone: tz });
      const fmt = new Intl.DateTimeFormat("en-US", {
        timeZone: name,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      });
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (s) => {
          const t = Time.fromUnixTime(ctx, s, 0, TimeType.Timestamp, 0);
          const p = Object.fromEntries(fmt.formatToParts(s * 1000).map((x) => [x.type, x.value]));
          expect(t.toString()).toBe(`${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`);
          const back = t.toUnixSeconds(tz);
          expect(back).not.toBeNull();
          // Either the same instant, or the earlier reading of a repeated wall time.
          if (back !== s) {
            expect(back).toBeLessThan(s);
            expect(tz.utcToLocal(back as number)).toBe(tz.utcToLocal(s));
          }
        }),
        { numRuns: 500 },
      );
    },
  );

  it("calendar arithmetic agrees with Date.UTC", () => {
    const out = [0, 0, 0];
    fc.assert(
      fc.property(validFields, (f) => {
        const d = new Date(0);
        d.setUTCFullYear(f.year, f.month - 1, f.day);
        const days = Math.floor(d.getTime() / 86_400_000);
        expect(daysFromCivil(f.year, f.month, f.day)).toBe(days);
        civilFromDays(days, out);
        expect(out).toEqual([f.year, f.month, f.day]);
      }),
    );
  });

  it("checkedAdd on a DATETIME agrees with Date arithmetic", () => {
    const ctx = new EvalContext();
    const maxNanos = 3_020_399_000_000_000;
    fc.assert(
      fc.property(
        validFields.filter((f) => f.year >= 1000),
        fc.integer({ min: -maxNanos / 1000, max: maxNanos / 1000 }),
        (f, micros) => {
          const t = Time.fromFields(ctx, f, TimeType.DateTime, 6);
          const r = t.checkedAdd(ctx, micros * 1000);
          const d = new Date(0);
          d.setUTCFullYear(f.year, f.month - 1, f.day);
          d.setUTCHours(f.hour, f.minute, f.second, 0);
          const totalMicros = f.micro + micros;
          const ms = d.getTime() + Math.floor(totalMicros / 1000);
          const microRest = ((totalMicros % 1000) + 1000) % 1000;
          const e = new Date(ms);
          if (e.getUTCFullYear() > 9999) {
            expect(r).toBeNull();
            return;
          }
          const expected = `${e.toISOString().slice(0, 10)} ${e.toISOString().slice(11, 23)}${String(microRest).padStart(3, "0")}`;
          expect(r?.toString()).toBe(expected);
        },
      ),
    );
  });

  it("diffNanos agrees with Date arithmetic", () => {
    fc.assert(
      fc.property(validFields, validFields, (a, b) => {
        const ta = Time.unchecked(a, TimeType.DateTime, 6);
        const tb = Time.unchecked(b, TimeType.DateTime, 6);
        const ms = (f: TimeFields) => {
          const d = new Date(0);
          d.setUTCFullYear(f.year, f.month - 1, f.day);
          d.setUTCHours(f.hour, f.minute, f.second, 0);
          return BigInt(d.getTime());
        };
        const nanos = (ms(a) - ms(b)) * 1_000_000n + BigInt(a.micro - b.micro) * 1000n;
        expect(ta.diffNanos(tb)).toBe(Number(nanos));
      }),
    );
  });
});
