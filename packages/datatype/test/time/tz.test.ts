import { describe, expect, it } from "vitest";
import { ERR_UNKNOWN_TIMEZONE, type EvalError } from "../../src/errors.js";
import { EvalContext } from "../../src/eval-context.js";
import { catchError } from "../../src/testing/index.js";
import { Time, TimeType, TimeZone } from "../../src/time/index.js";

const H = 3600;
/** Unix seconds of a UTC wall time, computed by the JavaScript Date (an independent calendar). */
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
  Date.UTC(y, mo - 1, d, h, mi, s) / 1000;

describe("TimeZone", () => {
  it("fixed offsets", () => {
    const tz = TimeZone.fromOffset(8 * H);
    expect(tz.kind).toBe("offset");
    expect(tz.name).toBe("+08:00");
    expect(tz.offsetAtUtc(0)).toBe(8 * H);
    expect(TimeZone.fromOffset(-(5 * H + 30 * 60 + 15)).name).toBe("-05:30:15");
    expect(tz.localToUtc(utc(2020, 1, 1, 8))).toBe(utc(2020, 1, 1));
    expect(tz.utcToLocal(utc(2020, 1, 1))).toBe(utc(2020, 1, 1, 8));
  });

  it.each([86_400, -86_400, 0.5])("offset %d is rejected", (s) => {
    expect((catchError(() => TimeZone.fromOffset(s)) as EvalError).code).toBe(ERR_UNKNOWN_TIMEZONE);
  });

  it("names", () => {
    expect(TimeZone.fromName("UTC")).toBe(TimeZone.utc());
    expect(TimeZone.fromName("Universal")).toBe(TimeZone.utc());
    expect(TimeZone.fromName("Asia/Shanghai").name).toBe("Asia/Shanghai");
    expect(TimeZone.fromName("Asia/Shanghai")).toBe(TimeZone.fromName("Asia/Shanghai"));
    expect(TimeZone.fromName("SYSTEM").kind).toBe("local");
    expect(TimeZone.fromName("system").name).toBe("System");
    const e = catchError(() => TimeZone.fromName("Mars/Olympus")) as EvalError;
    expect(e.code).toBe(ERR_UNKNOWN_TIMEZONE);
    expect(e.message).toBe("unknown or incorrect time zone: Mars/Olympus");
  });

  // Rules from the IANA tz database, worked out by hand.
  it.each([
    ["America/New_York", utc(2019, 3, 10, 6, 59, 59), -5 * H],
    ["America/New_York", utc(2019, 3, 10, 7), -4 * H],
    ["America/New_York", utc(2019, 11, 3, 5, 59, 59), -4 * H],
    ["America/New_York", utc(2019, 11, 3, 6), -5 * H],
    ["Europe/Berlin", utc(2021, 3, 28, 0, 59, 59), H],
    ["Europe/Berlin", utc(2021, 3, 28, 1), 2 * H],
    ["Europe/Berlin", utc(2021, 10, 31, 0, 59, 59), 2 * H],
    ["Europe/Berlin", utc(2021, 10, 31, 1), H],
    ["Asia/Kolkata", utc(2020, 6, 1), 5 * H + 30 * 60],
    ["Asia/Kathmandu", utc(2020, 6, 1), 5 * H + 45 * 60],
    // Lord Howe moves by half an hour: +10:30 standard, +11:00 summer (from 2019-10-06 02:00 local).
    ["Australia/Lord_Howe", utc(2019, 10, 5, 15, 29, 59), 10 * H + 30 * 60],
    ["Australia/Lord_Howe", utc(2019, 10, 5, 15, 30), 11 * H],
    // Local mean time before standard time: New York was -4:56:02 until 1883-11-18 12:03:58 local.
    ["America/New_York", utc(1800, 1, 1), -(4 * H + 56 * 60 + 2)],
    ["Asia/Shanghai", utc(2020, 1, 1), 8 * H],
  ])("%s at %d", (name, at, offset) => {
    const tz = TimeZone.fromName(name);
    expect(tz.offsetAtUtc(at)).toBe(offset);
    // twice: the second answer comes from the memo
    expect(tz.offsetAtUtc(at)).toBe(offset);
  });

  it("local to UTC: gaps are null, overlaps give the earlier instant", () => {
    const ny = TimeZone.fromName("America/New_York");
    // 2019-03-10 02:30 never happened in New York.
    expect(ny.localToUtc(utc(2019, 3, 10, 2, 30))).toBeNull();
    expect(ny.localToUtc(utc(2019, 3, 10, 1, 59, 59))).toBe(utc(2019, 3, 10, 6, 59, 59));
    expect(ny.localToUtc(utc(2019, 3, 10, 3))).toBe(utc(2019, 3, 10, 7));
    // 2019-11-03 01:30 happened twice: first at EDT (05:30 UTC), then at EST (06:30 UTC).
    expect(ny.localToUtc(utc(2019, 11, 3, 1, 30))).toBe(utc(2019, 11, 3, 5, 30));
    expect(ny.localToUtc(utc(2019, 11, 3, 2))).toBe(utc(2019, 11, 3, 7));
    const lh = TimeZone.fromName("Australia/Lord_Howe");
    expect(lh.localToUtc(utc(2019, 10, 6, 2, 15))).toBeNull();
    expect(lh.localToUtc(utc(2019, 10, 6, 2, 30))).toBe(utc(2019, 10, 5, 15, 30));
  });

  it("TIMESTAMP in an overlap reads as the earlier instant", () => {
    const ctx = new EvalContext({ timeZone: TimeZone.fromName("America/New_York") });
    const t = Time.parseTimestamp(ctx, "2019-11-03 01:30:00", 0, false);
    expect(t.toUnixSeconds(ctx.timeZone)).toBe(utc(2019, 11, 3, 5, 30));
    // An hour later in real time the wall clock reads 01:30 again, now in EST.
    expect(t.checkedAdd(ctx, 3600 * 1e9)?.toString()).toBe("2019-11-03 01:30:00");
    expect(t.checkedAdd(ctx, 2 * 3600 * 1e9)?.toString()).toBe("2019-11-03 02:30:00");
  });

  it("converts between zones", () => {
    const ctx = new EvalContext();
    const t = Time.parseDatetime(ctx, "2021-07-01 12:00:00.5", 1, false);
    const berlin = TimeZone.fromName("Europe/Berlin");
    const ny = TimeZone.fromName("America/New_York");
    expect(t.convertTimeZone(berlin, ny)?.toString()).toBe("2021-07-01 06:00:00.5");
    expect(t.convertTimeZone(TimeZone.utc(), TimeZone.fromOffset(-(9 * H + 30 * 60)))?.toString()).toBe(
      "2021-07-01 02:30:00.5",
    );
    expect(Time.parseDatetime(ctx, "2019-03-10 02:30:00", 0, false).convertTimeZone(ny, berlin)).toBeNull();
  });

  it("fromUnixTime rounds half up to fsp in the session zone", () => {
    const ctx = new EvalContext({ timeZone: TimeZone.fromName("Asia/Shanghai") });
    expect(Time.fromUnixTime(ctx, 0, 0, TimeType.DateTime, 0).toString()).toBe("1970-01-01 08:00:00");
    expect(Time.fromUnixTime(ctx, 1, 500_000_000, TimeType.DateTime, 0).toString()).toBe(
      "1970-01-01 08:00:02",
    );
    expect(Time.fromUnixTime(ctx, 1, 499_999_999, TimeType.DateTime, 0).toString()).toBe(
      "1970-01-01 08:00:01",
    );
    expect(Time.fromUnixTime(ctx, 1, 123_456_789, TimeType.Timestamp, 6).toString()).toBe(
      "1970-01-01 08:00:01.123457",
    );
  });
});

describe("TimeZone sharing", () => {
  it("aliases and letter case share one zone and its memo", () => {
    expect(TimeZone.fromName("asia/shanghai")).toBe(TimeZone.fromName("Asia/Shanghai"));
    expect(TimeZone.fromName("Brazil/East").name).toBe("America/Sao_Paulo");
  });
});
