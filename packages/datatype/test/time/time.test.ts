import { describe, expect, it } from "vitest";
import { ERR_TRUNCATE_WRONG_VALUE, EvalError, WARN_DATA_TRUNCATED } from "../../src/errors.js";
import { EvalContext, EvalFlag, SqlMode } from "../../src/eval-context.js";
import { FieldTypeTp } from "../../src/field-type.js";
import { catchError } from "../../src/testing/index.js";
import {
  compareTimeWords,
  fieldTypeTpOfTimeType,
  MAX_FSP,
  Time,
  TimeType,
  TimeZone,
  timeTypeOfTp,
  UNSPECIFIED_FSP,
} from "../../src/time/index.js";

interface Env {
  strict?: boolean;
  noZeroInDate?: boolean;
  noZeroDate?: boolean;
  allowInvalidDate?: boolean;
  ignoreTruncate?: boolean;
  tz?: string;
}

/** The equivalent of TiKV's `TimeEnv` test helper. */
function env(e: Env = {}): EvalContext {
  let sqlMode = 0n;
  if (e.strict) sqlMode |= SqlMode.StrictAllTables;
  if (e.allowInvalidDate) sqlMode |= SqlMode.InvalidDates;
  if (e.noZeroDate) sqlMode |= SqlMode.NoZeroDate;
  if (e.noZeroInDate) sqlMode |= SqlMode.NoZeroInDate;
  return new EvalContext({
    sqlMode,
    flags: e.ignoreTruncate ? EvalFlag.IgnoreTruncate : 0,
    timeZone: e.tz === undefined ? TimeZone.utc() : TimeZone.fromName(e.tz),
  });
}

const ctx0 = () => new EvalContext();

describe("u64 layout", () => {
  // Bit positions worked out by hand from TiKV's bitfield declaration (time/mod.rs).
  it.each([
    // text, type, fsp, expected u64
    [
      "2019-12-31 23:59:58.123456",
      TimeType.DateTime,
      6,
      (2019n << 50n) |
        (12n << 46n) |
        (31n << 41n) |
        (23n << 36n) |
        (59n << 30n) |
        (58n << 24n) |
        (123456n << 4n) |
        0b1100n,
    ],
    [
      "2019-12-31 23:59:58.123456",
      TimeType.Timestamp,
      6,
      (2019n << 50n) |
        (12n << 46n) |
        (31n << 41n) |
        (23n << 36n) |
        (59n << 30n) |
        (58n << 24n) |
        (123456n << 4n) |
        0b1101n,
    ],
    ["2019-12-31", TimeType.Date, 0, (2019n << 50n) | (12n << 46n) | (31n << 41n) | 0b1110n],
    ["0000-00-00 00:00:00", TimeType.DateTime, 0, 0n],
    ["0000-00-00 00:00:00", TimeType.Timestamp, 3, 0b0111n],
    [
      "9999-12-31 23:59:59.999999",
      TimeType.DateTime,
      1,
      (9999n << 50n) |
        (12n << 46n) |
        (31n << 41n) |
        (23n << 36n) |
        (59n << 30n) |
        (59n << 24n) |
        (900000n << 4n) |
        0b0010n,
    ],
  ])("%s as %s(%d)", (text, type, fsp, expected) => {
    const t = Time.parse(ctx0(), text, type, fsp, false);
    expect(t.toCoreU64()).toBe(expected);
    expect(t.lowWord()).toBe(Number(expected & 0xffffffffn));
    expect(t.highWord()).toBe(Number(expected >> 32n));
    expect(Time.fromWords(t.lowWord(), t.highWord()).toCoreU64()).toBe(expected);
    expect(Time.fromCoreU64(expected).toString()).toBe(t.toString());
  });

  it("decodes fsp/type bits", () => {
    const base = (2020n << 50n) | (1n << 46n) | (2n << 41n);
    expect(Time.fromCoreU64(base | 0b1110n).type).toBe(TimeType.Date);
    expect(Time.fromCoreU64(base | 0b1111n).type).toBe(TimeType.Date);
    expect(Time.fromCoreU64(base | 0b1111n).fsp).toBe(0);
    expect(Time.fromCoreU64(base | 0b1010n).type).toBe(TimeType.DateTime);
    expect(Time.fromCoreU64(base | 0b1010n).fsp).toBe(5);
    expect(Time.fromCoreU64(base | 0b0101n).type).toBe(TimeType.Timestamp);
    expect(Time.fromCoreU64(base | 0b0101n).fsp).toBe(2);
  });

  it("words are unsigned", () => {
    const t = Time.unchecked(
      { year: 16383, month: 15, day: 31, hour: 31, minute: 63, second: 63, micro: 0xfffff },
      TimeType.Timestamp,
      6,
    );
    expect(t.highWord()).toBe(0xffffffff);
    expect(t.lowWord()).toBe(0xfffffffd);
    expect(t.toCoreU64()).toBe(0xfffffffffffffffdn);
  });

  it("unchecked cuts fields to their bit width as TiKV's setters", () => {
    const t = Time.unchecked(
      { year: 2019, month: 16, day: 33, hour: 0, minute: 0, second: 0, micro: 0 },
      TimeType.DateTime,
      9,
    );
    expect(t.month).toBe(0);
    expect(t.day).toBe(1);
    expect(t.fsp).toBe(6);
  });
});

describe("compare", () => {
  // cases: TiKV time/mod.rs test_compare
  it.each([
    ["2019-03-17 12:13:14.11", "2019-03-17 12:13:14.11", 0],
    ["2019-4-1 1:2:3", "2019-3-31 23:59:59", 1],
    ["2019-09-16 1:2:3", "2019-10-01 1:2:1", -1],
    ["0000-00-00", "0000-00-00", 0],
  ])("%s vs %s", (l, r, expected) => {
    const a = Time.parseDatetime(ctx0(), l, MAX_FSP, false);
    const b = Time.parseDatetime(ctx0(), r, MAX_FSP, false);
    expect(a.compare(b)).toBe(expected);
    expect(compareTimeWords(a.lowWord(), a.highWord(), b.lowWord(), b.highWord())).toBe(expected);
  });

  it("ignores fsp and type", () => {
    const a = Time.parseDatetime(ctx0(), "2019-03-17 00:00:00", 6, false);
    const b = Time.parseDate(ctx0(), "2019-03-17");
    const c = Time.parseTimestamp(ctx0(), "2019-03-17", 2, false);
    expect(a.equals(b)).toBe(true);
    expect(a.compare(c)).toBe(0);
    expect(compareTimeWords(a.lowWord(), a.highWord(), b.lowWord(), b.highWord())).toBe(0);
  });

  it("orders years with the top bit set", () => {
    const big = Time.unchecked(
      { year: 9000, month: 1, day: 1, hour: 0, minute: 0, second: 0, micro: 0 },
      TimeType.DateTime,
      0,
    );
    const small = Time.unchecked(
      { year: 100, month: 1, day: 1, hour: 0, minute: 0, second: 0, micro: 0 },
      TimeType.DateTime,
      0,
    );
    expect(big.highWord()).toBeGreaterThan(2 ** 31);
    expect(big.compare(small)).toBe(1);
    expect(small.compare(big)).toBe(-1);
  });
});

describe("parse from i64", () => {
  // cases: TiKV time/mod.rs test_parse_from_i64 and test_parse_from_i64_default
  const cases: [string, string, number][] = [
    ["0000-00-00 00:00:00", "0000-00-00", 0],
    ["2000-01-01 00:00:00", "2000-01-01", 101],
    ["2045-00-00 00:00:00", "2045-00-00", 450_000],
    ["2059-12-31 00:00:00", "2059-12-31", 591_231],
    ["1970-01-01 00:00:00", "1970-01-01", 700_101],
    ["1999-12-31 00:00:00", "1999-12-31", 991_231],
    ["1000-01-00 00:00:00", "1000-01-00", 10_000_100],
    ["2000-01-01 00:00:00", "2000-01-01 00:00:00", 101_000_000],
    ["2069-12-31 23:59:59", "2069-12-31 23:59:59", 691_231_235_959],
    ["1970-01-01 00:00:00", "1970-01-01 00:00:00", 700_101_000_000],
    ["1999-12-31 23:59:59", "1999-12-31 23:59:59", 991_231_235_959],
    ["0100-00-00 00:00:00", "0100-00-00 00:00:00", 1_000_000_000_000],
    ["1000-01-01 00:00:00", "1000-01-01 00:00:00", 10_000_101_000_000],
    ["1999-01-01 00:00:00", "1999-01-01 00:00:00", 19_990_101_000_000],
  ];
  it.each(cases)("%s <- %d", (expected, expectedDefault, input) => {
    expect(Time.fromI64(ctx0(), input, TimeType.DateTime, 0).toString()).toBe(expected);
    const d = Time.fromI64Default(ctx0(), input);
    expect(d.toString()).toBe(expectedDefault);
    expect(d.fsp).toBe(0);
    expect(Time.fromI64(ctx0(), BigInt(input), TimeType.DateTime, 0).toString()).toBe(expected);
  });

  it.each([-1111, 1, 100, 700_100, 100_000_000, 100_000_101_000_000])("%d fails", (input) => {
    const e = catchError(() => Time.fromI64(ctx0(), input, TimeType.DateTime, 0));
    expect(e.message).toBe(`Incorrect datetime value: '${input}'`);
    expect((e as EvalError).code).toBe(ERR_TRUNCATE_WRONG_VALUE);
    catchError(() => Time.fromI64Default(ctx0(), input));
  });

  it("reads i64 beyond 2^53 like TiKV (u32 cut of the date part)", () => {
    // (2^32 + 20200101) * 10^6 + 123456: TiKV casts the date part to u32, leaving 2020-01-01.
    const input = (4_294_967_296n + 20_200_101n) * 1_000_000n + 123_456n;
    expect(Time.fromI64(ctx0(), input, TimeType.DateTime, 0).toString()).toBe("2020-01-01 12:34:56");
    catchError(() => Time.fromI64(ctx0(), 9_223_372_036_854_775_807n, TimeType.DateTime, 0));
  });
});

describe("parse from real / decimal", () => {
  // cases: TiKV time/mod.rs test_parse_from_real
  it.each([
    ["0000-00-00 00:00:00", "0", 0],
    ["0000-00-00 00:00:00.0", "0.0", 1],
    ["2000-03-05 00:00:00", "305", 0],
    ["2000-12-03 00:00:00", "1203", 0],
    ["2003-12-05 00:00:00.0", "31205", 1],
    ["2007-01-18 00:00:00.00", "70118", 2],
    ["0101-12-09 00:00:00.000", "1011209.333", 3],
    ["2017-01-18 00:00:00.0000", "20170118.123", 4],
    ["2012-12-31 11:30:45.12335", "121231113045.123345", 5],
    ["2012-12-31 11:30:45.125000", "20121231113045.123345", 6],
    ["2012-12-31 11:30:46.00000", "121231113045.9999999", 5],
    ["2017-01-05 08:40:59.5756", "170105084059.575601", 4],
  ])("real %s", (expected, input, fsp) => {
    expect(Time.fromReal(ctx0(), Number(input), TimeType.DateTime, fsp, true).toString()).toBe(expected);
  });

  it.each(["201705051315111.22", "2011110859.1111", "191203081.1111", "43128.121105", "-1", "NaN", "-0"])(
    "real %s fails",
    (input) => {
      const e = catchError(() => Time.fromReal(ctx0(), Number(input), TimeType.DateTime, 0, true));
      expect(e.message).toBe(`Incorrect datetime value: '${input}'`);
    },
  );

  // cases: TiKV time/mod.rs test_parse_from_real_zero_date
  it("real zero date follows NO_ZERO_DATE", () => {
    for (const input of ["0", "0.0", "0.000"]) {
      expect(Time.fromDecimalText(ctx0(), input, TimeType.DateTime, 0, true).toString()).toBe(
        "0000-00-00 00:00:00",
      );
      catchError(() =>
        Time.fromDecimalText(env({ noZeroDate: true, strict: true }), input, TimeType.DateTime, 0, true),
      );
    }
  });

  // cases: TiKV time/mod.rs test_parse_from_real_default
  it.each([
    ["2000-03-05", "305"],
    ["2000-12-03", "1203"],
    ["2003-12-05", "31205"],
    ["2007-01-18", "70118"],
    ["0101-12-09", "1011209.333"],
    ["2017-01-18", "20170118.123"],
    ["2012-12-31 11:30:45.123352", "121231113045.123345"],
    ["2012-12-31 11:30:45.125000", "20121231113045.123345"],
    ["2012-12-31 11:30:46.000000", "121231113045.9999999"],
    ["2017-01-05 08:40:59.575592", "170105084059.575601"],
  ])("real default %s", (expected, input) => {
    expect(Time.fromRealDefault(ctx0(), Number(input)).toString()).toBe(expected);
  });

  it.each(["201705051315111.22", "2011110859.1111", "191203081.1111", "43128.121105"])(
    "real default %s fails",
    (input) => {
      catchError(() => Time.fromRealDefault(ctx0(), Number(input)));
    },
  );

  // cases: TiKV time/mod.rs test_parse_from_decimal (Decimal prints "070118" as "70118")
  it.each([
    ["2000-03-05 00:00:00", "305", 0],
    ["2000-12-03 00:00:00", "1203", 0],
    ["2003-12-05 00:00:00.0", "31205", 1],
    ["2007-01-18 00:00:00.00", "70118", 2],
    ["0101-12-09 00:00:00.000", "1011209.333", 3],
    ["2017-01-18 00:00:00.0000", "20170118.123", 4],
    ["2012-12-31 11:30:45.12335", "121231113045.123345", 5],
    ["2012-12-31 11:30:45.123345", "20121231113045.123345", 6],
    ["2012-12-31 11:30:46.00000", "121231113045.9999999", 5],
    ["2017-01-05 08:40:59.5756", "170105084059.575601", 4],
  ])("decimal %s", (expected, input, fsp) => {
    expect(Time.fromDecimalText(ctx0(), input, TimeType.DateTime, fsp, true).toString()).toBe(expected);
  });

  it.each(["201705051315111.22", "2011110859.1111", "191203081.1111", "43128.121105", "-20121231"])(
    "decimal %s fails",
    (input) => {
      const e = catchError(() => Time.fromDecimalText(ctx0(), input, TimeType.DateTime, 0, true));
      expect(e.message).toBe(`Incorrect datetime value: '${input}'`);
    },
  );

  // cases: TiKV time/mod.rs test_parse_from_decimal_default
  it.each([
    ["2000-03-05", "305"],
    ["2000-12-03", "1203"],
    ["2003-12-05", "31205"],
    ["2007-01-18", "70118"],
    ["0101-12-09", "1011209.333"],
    ["2017-01-18", "20170118.123"],
    ["2012-12-31 11:30:45.123345", "121231113045.123345"],
    ["2012-12-31 11:30:45.123345", "20121231113045.123345"],
    ["2012-12-31 11:30:45.999999", "121231113045.9999999"],
    ["2017-01-05 08:40:59.575601", "170105084059.575601"],
    ["2017-01-05 08:40:59.57", "170105084059.57"],
    ["0000-00-00", "-0.5"],
  ])("decimal default %s", (expected, input) => {
    expect(Time.fromDecimalTextDefault(ctx0(), input).toString()).toBe(expected);
  });

  it.each([
    "201705051315111.22",
    "2011110859.1111",
    "191203081.1111",
    "43128.121105",
    "-5",
    "99999999999999999999",
  ])("decimal default %s fails", (input) => {
    catchError(() => Time.fromDecimalTextDefault(ctx0(), input));
  });
});

describe("parse date", () => {
  // cases: TiKV time/mod.rs test_parse_valid_date
  it.each([
    ["2019-09-16", "20190916101112"],
    ["2019-09-16", "190916101112"],
    ["2019-09-16", "19091610111"],
    ["2019-09-16", "1909161011"],
    ["2019-09-16", "190916101"],
    ["1909-12-10", "19091210"],
    ["2019-09-16", "1909161"],
    ["2019-09-16", "190916"],
    ["2019-09-01", "19091"],
    ["2019-09-16", "190916101112.111"],
    ["2019-09-16", "20190916101112.111"],
    ["2019-09-16", "20190916101112.666"],
    ["2019-09-16", "20190916101112.999"],
    ["2019-09-16", "19-09-16 10:11:12"],
    ["2019-12-31", "2019-12-31"],
    ["2019-09-16", "2019-09-16 10:11:12"],
    ["2019-09-16", "2019-09-16T10:11:12"],
    ["2019-09-16", "2019-09-16T10:11:12.66"],
    ["2019-09-16", "2019-09-16T10:11:12.99"],
    ["2019-12-31", "2019-12-31 23:59:59.99"],
    ["2019-12-31", "2019-12-31 23:59:59.9999999"],
    ["2019-12-31", "2019-12-31 23:59:59.999999"],
    ["2019-12-31", "2019*12&31T23(59)59.999999"],
    ["2019-12-31", "2019.12.31.23.59.59.999999"],
    ["2019-12-31", "2019.12.31-23.59.59.999999"],
    ["2019-12-31", "2019.12.31(23.59.59.999999"],
    ["2019-12-31", "2019.12.31     23.59.59.999999"],
    ["2019-12-31", "2019.12.31 \t    23.59.59.999999"],
    ["2019-12-31", "2019.12.31 \t  23.59-59.999999"],
    ["2013-05-28", "1305280512.000000000000"],
    ["0000-00-00", "00:00:00"],
  ])("%s <- %j", (expected, input) => {
    const d = Time.parseDate(ctx0(), input);
    expect([d.hour, d.minute, d.second, d.micro, d.fsp]).toEqual([0, 0, 0, 0, 0]);
    expect(d.type).toBe(TimeType.Date);
    expect(d.toString()).toBe(expected);
  });

  it.each([
    "11-12-13 T 12:34:56",
    "11:12:13 T12:34:56",
    "11:12:13 T12:34:56.12",
    "11:12:13T25:34:56.12",
    "2011-12-13t12:34:56.12",
    "11:12:13T23:61:56.12",
    "11:12:13T23:59:89.12",
    "11121311121.1",
    "1201012736",
    "1201012736.0",
    "111213111.1",
    "11121311.1",
    "1112131.1",
    "111213.1",
    "11121.1",
    "1112",
    // further garbage, worked out from the grammar
    "",
    "   ",
    "2019-12-31-",
    "abc",
    "2019-12-31 23:59:59 extra",
    "２０１９-12-31",
  ])("%j fails with the input in the message", (input) => {
    const e = catchError(() => Time.parseDate(ctx0(), input));
    expect(e).toBeInstanceOf(EvalError);
    expect(e.message).toBe(`Incorrect datetime value: '${input}'`);
  });

  it("trims Unicode white space like Rust (U+0085, U+3000) but not U+FEFF", () => {
    expect(Time.parseDate(ctx0(), "2019-12-31 ").toString()).toBe("2019-12-31");
    expect(Time.parseDate(ctx0(), "\u0085\u30002019-12-31\u00a0").toString()).toBe("2019-12-31");
    catchError(() => Time.parseDate(ctx0(), "\ufeff2019-12-31"));
  });
});

describe("parse datetime", () => {
  // cases: TiKV time/mod.rs test_parse_valid_datetime
  it.each([
    ["2019-09-16 10:11:12", "20190916101112", 0, false],
    ["2019-09-16 10:11:12", "190916101112", 0, false],
    ["2019-09-16 10:11:01", "19091610111", 0, false],
    ["2019-09-16 10:11:00", "1909161011", 0, false],
    ["2019-09-16 10:01:00", "190916101", 0, false],
    ["1909-12-10 00:00:00", "19091210", 0, false],
    ["2020-02-29 10:00:00", "20200229100000", 0, false],
    ["2019-09-16 01:00:00", "1909161", 0, false],
    ["2019-09-16 00:00:00", "190916", 0, false],
    ["2019-09-01 00:00:00", "19091", 0, false],
    ["2019-09-16 10:11:12.111", "190916101112.111", 3, false],
    ["2019-09-16 10:11:12.111", "20190916101112.111", 3, false],
    ["2019-09-16 10:11:12.67", "20190916101112.666", 2, true],
    ["2019-09-16 10:11:13.0", "20190916101112.999", 1, true],
    ["2019-09-16 00:00:00", "2019-09-16", 0, false],
    ["2019-09-16 10:11:12", "2019-09-16 10:11:12", 0, false],
    ["2019-09-16 10:11:12", "2019-09-16T10:11:12", 0, false],
    ["2019-09-16 10:11:12.7", "2019-09-16T10:11:12.66", 1, true],
    ["2019-09-16 10:11:13.0", "2019-09-16T10:11:12.99", 1, true],
    ["2020-01-01 00:00:00.0", "2019-12-31 23:59:59.99", 1, true],
    ["2013-05-28 05:12:00", "1305280512.000000000000", 0, true],
    ["2013-05-28 05:12:00", "1305280512", 0, true],
    ["2020-01-01 00:00:00.0", "    2019-12-31 23:59:59.99   ", 1, true],
    ["2020-01-01 00:00:00.000000", "2019-12-31 23:59:59.9999999", 6, true],
    ["2020-01-01 00:00:00.000000", "2019-12(31-23.59.59.9999999", 6, true],
    ["2020-01-01 00:00:00.000000", "2019-12(31    \t23.59.59.9999999", 6, true],
    ["2019-12-31 23:59:59.999999", "2019-12-31 23:59:59.9999999", 6, false],
    ["2019-12-31 23:59:59.999", "2019-12-31  23:59:59.999999", 3, false],
    ["2019-12-31 23:59:59.999", "2019*12&31T23(59)59.999999", 3, false],
    ["0000-00-00 00:00:00", "00:00:00", 0, false],
    ["2020-12-23 15:59:10", "2020--12+-23 15:^59:-10", 0, false],
    ["2020-12-23 15:59:23", "2020-12-23 15:59:23Z", 0, false],
    ["2020-12-23 07:59:23", "2020-12-23 15:59:23+0800", 0, false],
    ["2020-12-23 23:59:23", "2020-12-23 15:59:23-08", 0, false],
    ["2020-12-23 07:59:23", "2020-12-23 15:59:23+08:00", 0, false],
    ["2022-06-02 11:59:30", "2022-06-02 11:59:30.123Z", 0, false],
    ["2022-06-02 03:59:30", "2022-06-02 11:59:30.123+0800", 0, false],
    ["2022-06-02 19:59:30", "2022-06-02 11:59:30.123-08", 0, false],
    ["2022-06-02 03:29:30", "2022-06-02 11:59:30.123+08:30", 0, false],
    // hand-worked: unspecified fsp means 0; two-digit year 70 is 1970, 69 is 2069
    ["1970-01-01 00:00:00", "70-01-01", UNSPECIFIED_FSP, false],
    ["2069-01-01 00:00:00", "69-1-1", UNSPECIFIED_FSP, false],
  ])("%s <- %j (fsp %d, round %s)", (expected, input, fsp, round) => {
    expect(Time.parseDatetime(ctx0(), input, fsp, round).toString()).toBe(expected);
  });

  it.each([
    ["11-12-13 T 12:34:56", 0],
    ["11:12:13 T12:34:56", 0],
    ["11121311121.1", 2],
    ["1201012736", 2],
    ["1201012736.0", 2],
    ["111213111.1", 2],
    ["11121311.1", 2],
    ["1112131.1", 2],
    ["111213.1", 2],
    ["11121.1", 2],
    ["1112", 2],
    ["2019-02-29 00:00:00", 0],
    ["2019-13-01", 0],
    ["10000-01-01", 0],
    ["2019-12-31 24:00:00", 0],
  ])("%j fails", (input, fsp) => {
    const e = catchError(() => Time.parseDatetime(ctx0(), input, fsp, false));
    expect(e.message).toBe(`Incorrect datetime value: '${input}'`);
  });

  it("rejects an invalid fsp", () => {
    // cases: TiKV test_parse_valid_datetime failing rows with fsp 7
    for (const input of [
      "11:12:13 T12:34:56.12",
      "11:12:13T25:34:56.12",
      "11:12:13T23:61:56.12",
      "11:12:13T23:59:89.12",
    ]) {
      expect(catchError(() => Time.parseDatetime(ctx0(), input, 7, false)).message).toBe("Invalid fsp 7");
    }
  });

  it("guesses the type without one", () => {
    expect(Time.parseWithoutType(ctx0(), "20190916", 0, false).type).toBe(TimeType.Date);
    expect(Time.parseWithoutType(ctx0(), "2019-9-16", 0, false).type).toBe(TimeType.Date);
    expect(Time.parseWithoutType(ctx0(), "2019-9-16 1:2:3", 0, false).type).toBe(TimeType.DateTime);
    expect(Time.parseWithoutType(ctx0(), "1909161", 0, false).type).toBe(TimeType.DateTime);
  });
});

describe("parse timestamp", () => {
  // cases: TiKV time/mod.rs test_parse_valid_timestamp
  it.each([
    ["2019-09-16 10:11:12", "20190916101112", 0, false],
    ["2019-09-16 10:11:12", "190916101112", 0, false],
    ["2019-09-16 10:11:01", "19091610111", 0, false],
    ["2019-09-16 10:11:00", "1909161011", 0, false],
    ["2019-09-16 10:01:00", "190916101", 0, false],
    ["2019-12-10 00:00:00", "20191210", 0, false],
    ["2019-09-16 01:00:00", "1909161", 0, false],
    ["2019-09-16 00:00:00", "190916", 0, false],
    ["2019-09-01 00:00:00", "19091", 0, false],
    ["2019-09-16 10:11:12.111", "190916101112.111", 3, false],
    ["2019-09-16 10:11:12.111", "20190916101112.111", 3, false],
    ["2019-09-16 10:11:12.67", "20190916101112.666", 2, true],
    ["2019-09-16 10:11:13.0", "20190916101112.999", 1, true],
    ["2019-09-16 00:00:00", "2019-09-16", 0, false],
    ["2019-09-16 10:11:12", "2019-09-16 10:11:12", 0, false],
    ["2019-09-16 10:11:12", "2019-09-16T10:11:12", 0, false],
    ["2019-09-16 10:11:12.7", "2019-09-16T10:11:12.66", 1, true],
    ["2019-09-16 10:11:13.0", "2019-09-16T10:11:12.99", 1, true],
    ["2020-01-01 00:00:00.0", "2019-12-31 23:59:59.99", 1, true],
    ["1970-01-01 00:00:00", "1970-01-01 00:00:00", 0, false],
    ["1970-01-01 00:00:00", "1970-1-1 00:00:00", 0, false],
    ["1970-01-01 12:13:09", "1970-1-1 12:13:9", 0, false],
    ["1970-01-01 09:08:09", "1970-1-1 9:8:9", 0, false],
    ["2013-05-28 05:12:00", "1305280512.000000000000", 0, true],
    ["2013-05-28 05:12:00", "1305280512", 0, true],
    ["2020-01-01 00:00:00.000000", "2019-12-31 23:59:59.9999999", 6, true],
    ["2019-12-31 23:59:59.999999", "2019-12-31 23:59:59.9999999", 6, false],
    ["2019-12-31 23:59:59.999", "2019-12-31     23:59:59.999999", 3, false],
    ["2019-12-31 23:59:59.999", "2019*12&31T23(59)59.999999", 3, false],
    ["0000-00-00 00:00:00", "00:00:00", 0, false],
    // hand-worked range edges: 2^31 - 1 seconds is 2038-01-19 03:14:07 UTC
    ["2038-01-19 03:14:07", "2038-01-19 03:14:07", 0, false],
  ])("%s <- %j", (expected, input, fsp, round) => {
    const t = Time.parseTimestamp(ctx0(), input, fsp, round);
    expect(t.toString()).toBe(expected);
    expect(t.type).toBe(TimeType.Timestamp);
  });

  it.each(["2038-01-19 03:14:08", "1969-12-31 23:59:59", "2019-02-29"])("%s is out of range", (input) => {
    catchError(() => Time.parseTimestamp(ctx0(), input, 0, false));
  });

  it("checks the range in the session zone", () => {
    const ctx = env({ tz: "Asia/Shanghai" });
    expect(Time.parseTimestamp(ctx, "1970-01-01 08:00:00", 0, false).toString()).toBe("1970-01-01 08:00:00");
    catchError(() => Time.parseTimestamp(ctx, "1970-01-01 07:59:59", 0, false));
  });
});

describe("parse with a time zone suffix", () => {
  // cases: TiKV time/mod.rs test_parse_time_with_tz
  it.each([
    ["+00:00", "2020-10-10T10:10:10Z", "2020-10-10 10:10:10.000000", TimeType.DateTime],
    ["+00:00", "2020-10-10T10:10:10+", null, TimeType.DateTime],
    ["+00:00", "2020-10-10T10:10:10+14:01", null, TimeType.DateTime],
    ["+00:00", "2020-10-10T10:10:10-00:00", null, TimeType.DateTime],
    ["-08:00", "2020-10-10T10:10:10-08", "2020-10-10 10:10:10.000000", TimeType.DateTime],
    ["+08:00", "2020-10-10T10:10:10+08:00", "2020-10-10 10:10:10.000000", TimeType.DateTime],
    ["+08:00", "2020-10-10T10:10:10+08:00", "2020-10-10 10:10:10.000000", TimeType.Timestamp],
    ["+08:00", "2022-06-02T10:10:10Z", "2022-06-02 18:10:10.000000", TimeType.DateTime],
    ["-08:00", "2022-06-02T10:10:10Z", "2022-06-02 02:10:10.000000", TimeType.DateTime],
    ["+06:30", "2022-06-02T10:10:10-05:00", "2022-06-02 21:40:10.000000", TimeType.DateTime],
    ["+08:00", "2022-06-02T10:10:10.123Z", "2022-06-02 18:10:10.123000", TimeType.DateTime],
    ["-08:00", "2022-06-02T10:10:10.123Z", "2022-06-02 02:10:10.123000", TimeType.DateTime],
    ["+06:30", "2022-06-02T10:10:10.654321-05:00", "2022-06-02 21:40:10.654321", TimeType.DateTime],
    ["Brazil/East", "2023-11-30T17:02:00.654321+00:00", "2023-11-30 14:02:00.654321", TimeType.DateTime],
    // hand-worked: +14:00 is the largest offset; the date part can move
    ["+00:00", "2020-01-01T05:00:00+14:00", "2019-12-31 15:00:00.000000", TimeType.DateTime],
    ["+00:00", "2020-01-01T05:00:00+14:00", "2019-12-31", TimeType.Date],
  ])("in %s: %s", (tz, input, expected, type) => {
    const zone =
      tz.startsWith("+") || tz.startsWith("-")
        ? TimeZone.fromOffset(offsetSeconds(tz))
        : TimeZone.fromName(tz);
    const ctx = new EvalContext({ timeZone: zone });
    if (expected === null) {
      catchError(() => Time.parse(ctx, input, type, 6, true));
    } else {
      expect(Time.parse(ctx, input, type, 6, true).toString()).toBe(expected);
    }
  });
});

function offsetSeconds(text: string): number {
  const sign = text[0] === "-" ? -1 : 1;
  return sign * (Number(text.slice(1, 3)) * 3600 + Number(text.slice(4, 6)) * 60);
}

describe("sql modes", () => {
  // cases: TiKV time/mod.rs test_allow_invalid_date
  it.each([
    ["2019-02-31", "2019-2-31"],
    ["2019-02-29", "2019-2-29"],
    ["2019-04-31", "2019-4-31"],
    ["0000-00-00", "2019-1-32"],
    ["0000-00-00", "2019-13-1"],
    ["2019-02-11", "2019-02-11"],
    ["2019-02-00", "2019-02-00"],
  ])("ALLOW_INVALID_DATES: %s <- %s", (expected, input) => {
    expect(Time.parseDate(env({ allowInvalidDate: true }), input).toString()).toBe(expected);
  });

  // cases: TiKV time/mod.rs test_invalid_datetime
  it.each(["2019-12-31 24:23:22", "2019-12-31 23:60:22", "2019-12-31 23:24:60"])(
    "ALLOW_INVALID_DATES: bad clock %s is the zero value",
    (input) => {
      expect(Time.parseDatetime(env({ allowInvalidDate: true }), input, 0, false).toString()).toBe(
        "0000-00-00 00:00:00",
      );
    },
  );

  // cases: TiKV time/mod.rs test_allow_invalid_timestamp
  it.each(["2019-9-31 11:11:11", "2019-0-1 11:11:11", "2013-2-29 11:11:11"])(
    "ALLOW_INVALID_DATES: timestamp %s is zero",
    (input) => {
      expect(Time.parseTimestamp(env({ allowInvalidDate: true }), input, 0, false).toString()).toBe(
        "0000-00-00 00:00:00",
      );
    },
  );

  it.each([
    ["2019-03-10 02:00:00", "America/New_York"],
    ["2018-04-01 02:00:00", "America/Monterrey"],
  ])("ALLOW_INVALID_DATES: timestamp %s in a DST gap of %s is zero", (input, tz) => {
    expect(Time.parseTimestamp(env({ allowInvalidDate: true, tz }), input, 0, false).toString()).toBe(
      "0000-00-00 00:00:00",
    );
    catchError(() => Time.parseTimestamp(env({ tz }), input, 0, false));
  });

  // cases: TiKV time/mod.rs test_no_zero_date
  it("NO_ZERO_DATE", () => {
    let ctx = env({ noZeroDate: true });
    Time.parseDatetime(ctx, "0000-00-00 00:00:00", 0, false);
    expect(ctx.warnings.count).toBeGreaterThan(0);
    expect(ctx.warnings.list[0]).toEqual({ code: WARN_DATA_TRUNCATED, message: "Data Truncated" });

    catchError(() =>
      Time.parseDatetime(env({ noZeroDate: true, strict: true }), "0000-00-00 00:00:00", 0, false),
    );

    ctx = env({ noZeroDate: true, strict: true, ignoreTruncate: true });
    expect(Time.parseDatetime(ctx, "0000-00-00 00:00:00", 0, false).toString()).toBe("0000-00-00 00:00:00");
    expect(ctx.warnings.count).toBeGreaterThan(0);

    for (const input of ["2019-12-31 24:23:22", "2019-12-31 23:60:22", "2019-12-31 23:24:60"]) {
      catchError(() => Time.parseDatetime(env({ noZeroDate: true, strict: true }), input, 0, false));
    }
  });

  // cases: TiKV time/mod.rs test_no_zero_in_date
  it.each(["2019-01-00", "2019-00-01"])("NO_ZERO_IN_DATE: %s", (input) => {
    const ctx = env({ noZeroInDate: true });
    expect(Time.parseDatetime(ctx, input, 0, false).toString()).toBe("0000-00-00 00:00:00");
    expect(ctx.warnings.count).toBeGreaterThan(0);
    catchError(() => Time.parseDatetime(env({ noZeroInDate: true, strict: true }), input, 0, false));
    // Without the mode the partial date is kept.
    expect(Time.parseDate(ctx0(), input).toString()).toBe(input);
  });

  it("NO_ZERO_IN_DATE with strict and IgnoreTruncate warns on the zero date", () => {
    const ctx = env({ noZeroInDate: true, strict: true, ignoreTruncate: true });
    expect(Time.parseDatetime(ctx, "0000-00-00 00:00:00", 0, false).toString()).toBe("0000-00-00 00:00:00");
    expect(ctx.warnings.count).toBeGreaterThan(0);
  });

  it("NO_ZERO_IN_DATE then NO_ZERO_DATE: two warnings, then zero", () => {
    const ctx = env({ noZeroInDate: true, noZeroDate: true });
    expect(Time.parseDate(ctx, "2019-00-01").toString()).toBe("0000-00-00");
    expect(ctx.warnings.count).toBe(2);
  });

  it("a bad date is an error without ALLOW_INVALID_DATES, whatever the flags", () => {
    const e = catchError(() =>
      Time.parseDate(new EvalContext({ flags: EvalFlag.IgnoreTruncate }), "2019-02-30"),
    );
    expect(e.message).toBe("Incorrect datetime value: '2019-02-30'");
  });

  it("fromFields reports the unchecked value", () => {
    const e = catchError(() =>
      Time.fromFields(
        ctx0(),
        { year: 2019, month: 2, day: 30, hour: 1, minute: 2, second: 3, micro: 0 },
        TimeType.DateTime,
        0,
      ),
    );
    expect(e.message).toBe("Incorrect datetime value: '2019-02-30 01:02:03'");
  });
});

describe("packed u64", () => {
  // cases: TiKV time/mod.rs test_codec_datetime
  it.each([
    ["2010-10-10 10:11:11", 0],
    ["2017-01-01 00:00:00", 0],
    ["2004-01-01 00:00:00", UNSPECIFIED_FSP],
    ["2013-01-01 00:00:00.000000", MAX_FSP],
    ["2019-01-01 00:00:00.123456", MAX_FSP],
    ["2001-01-01 00:00:00.123456", MAX_FSP],
    ["2007-06-01 00:00:00.999999", MAX_FSP],
    ["0000-00-00 00:00:00", 0],
    ["2007-00-01 00:00:00.999999", MAX_FSP],
    ["2017-01-00 00:00:00.999999", MAX_FSP],
    ["2027-00-00 00:00:00.999999", MAX_FSP],
    ["2027-04-31 00:00:00.999999", MAX_FSP],
  ])("datetime %s round trips", (text, fsp) => {
    const ctx = env({ allowInvalidDate: true });
    const t = Time.parseDatetime(ctx, text, fsp, false);
    const packed = t.toPackedU64(ctx);
    const back = Time.fromPackedU64(ctx, packed, TimeType.DateTime, fsp);
    expect(back.equals(t)).toBe(true);
    expect(back.toString()).toBe(t.toString());
  });

  // cases: TiKV time/mod.rs test_codec_timestamp
  const zones = ["Etc/GMT+11", "Etc/GMT0", "Etc/GMT-5", "UTC", "Universal"];
  const stamps: [string, number][] = [
    ["0000-00-00 00:00:00", 0],
    ["1970-01-01 05:00:00", 0],
    ["1970-01-01 09:00:00", 0],
    ["2010-10-10 10:11:11", 0],
    ["2017-01-01 00:00:00", 0],
    ["2004-01-01 00:00:00", UNSPECIFIED_FSP],
    ["2019-07-01 12:13:14.999", MAX_FSP],
    ["2013-01-01 00:00:00.000000", MAX_FSP],
    ["2019-04-01 00:00:00.123456", MAX_FSP],
    ["2001-01-01 00:00:00.123456", MAX_FSP],
    ["2007-08-01 00:00:00.999999", MAX_FSP],
  ];
  it.each(zones.flatMap((z) => stamps.map(([s, f]) => [z, s, f] as const)))(
    "timestamp in %s: %s",
    (tz, text, fsp) => {
      const ctx = env({ tz });
      const t = Time.parseTimestamp(ctx, text, fsp, false);
      const back = Time.fromPackedU64(ctx, t.toPackedU64(ctx), TimeType.Timestamp, fsp);
      expect(back.equals(t)).toBe(true);
    },
  );

  it.each([
    // hand-computed from the formula ((ymd << 17 | hms) << 24) | micro
    [
      "2019-12-31 23:59:58.123456",
      ((((((2019n * 13n + 12n) << 5n) | 31n) << 17n) | ((23n << 12n) | (59n << 6n) | 58n)) << 24n) | 123456n,
    ],
    ["0001-01-01 00:00:00", ((((1n * 13n + 1n) << 5n) | 1n) << 17n) << 24n],
    ["0000-00-00 00:00:00", 0n],
  ])("packs %s", (text, expected) => {
    const t = Time.parseDatetime(ctx0(), text, 6, false);
    expect(t.toPackedU64(ctx0())).toBe(expected);
    expect(Time.fromPackedU64(ctx0(), expected, TimeType.DateTime, 6).toString()).toBe(t.toString());
    const lo = Number(expected & 0xffffffffn);
    const hi = Number(expected >> 32n);
    expect(Time.fromPackedWords(ctx0(), lo, hi, TimeType.DateTime, 6).toString()).toBe(t.toString());
  });

  it("stores TIMESTAMP in UTC", () => {
    const ctx = env({ tz: "Asia/Shanghai" });
    const t = Time.parseTimestamp(ctx, "2020-01-01 08:00:00", 0, false);
    const utcMidnight = ((((2020n * 13n + 1n) << 5n) | 1n) << 17n) << 24n;
    expect(t.toPackedU64(ctx)).toBe(utcMidnight);
    expect(Time.fromPackedU64(ctx, utcMidnight, TimeType.Timestamp, 0).toString()).toBe(
      "2020-01-01 08:00:00",
    );
    expect(Time.fromPackedU64(undefined, utcMidnight, TimeType.Timestamp, 0).toString()).toBe(
      "2020-01-01 00:00:00",
    );
    // A DATETIME is not converted.
    expect(Time.fromPackedU64(ctx, utcMidnight, TimeType.DateTime, 0).toString()).toBe("2020-01-01 00:00:00");
  });

  it("packed 0 follows NO_ZERO_DATE", () => {
    catchError(() => Time.fromPackedU64(env({ noZeroDate: true, strict: true }), 0n, TimeType.DateTime, 0));
    expect(Time.fromPackedU64(ctx0(), 0n, TimeType.Date, 0).toString()).toBe("0000-00-00");
  });

  it("a packed TIMESTAMP that is not a real time is Data Truncated", () => {
    const bad = ((((2019n * 13n + 2n) << 5n) | 30n) << 17n) << 24n;
    expect(catchError(() => Time.fromPackedU64(ctx0(), bad, TimeType.Timestamp, 0)).message).toBe(
      "Data Truncated",
    );
    expect(Time.fromPackedU64(ctx0(), bad, TimeType.DateTime, 0).toString()).toBe("2019-02-30 00:00:00");
  });
});

describe("round_frac", () => {
  // cases: TiKV time/mod.rs test_round_frac
  it.each([
    ["121231113045.123345", 6, "2012-12-31 11:30:45.123345"],
    ["121231113045.999999", 6, "2012-12-31 11:30:45.999999"],
    ["121231113045.999999", 5, "2012-12-31 11:30:46.00000"],
    ["2012-12-31 11:30:45.123456", 4, "2012-12-31 11:30:45.1235"],
    ["2012-12-31 11:30:45.123456", 6, "2012-12-31 11:30:45.123456"],
    ["2012-12-31 11:30:45.123456", 0, "2012-12-31 11:30:45"],
    ["2012-12-31 11:30:45.9", 0, "2012-12-31 11:30:46"],
    ["2012-12-31 11:30:45.123456", 1, "2012-12-31 11:30:45.1"],
    ["2012-12-31 11:30:45.999999", 4, "2012-12-31 11:30:46.0000"],
    ["2012-12-31 11:30:45.999999", 0, "2012-12-31 11:30:46"],
    ["2012-12-31 23:59:59.999999", 0, "2013-01-01 00:00:00"],
    ["2012-12-31 23:59:59.999999", 3, "2013-01-01 00:00:00.000"],
    ["2012-00-00 11:30:45.999999", 3, "2012-00-00 11:30:46.000"],
    ["2012-01-00 23:59:59.999999", 3, "0000-00-00 00:00:00.000"],
    ["2012-04-31 23:59:59.999999", 3, "0000-00-00 00:00:00.000"],
    // hand-worked: leap day carry, and a wider fsp only widens
    ["2020-02-28 23:59:59.5", 0, "2020-02-29 00:00:00"],
    ["2019-02-28 23:59:59.5", 0, "2019-03-01 00:00:00"],
    ["2012-12-31 11:30:45.1", 6, "2012-12-31 11:30:45.100000"],
  ])("%s to %d", (input, fsp, expected) => {
    const ctx = env({ allowInvalidDate: true });
    expect(Time.parseDatetime(ctx, input, MAX_FSP, true).roundFrac(ctx, fsp).toString()).toBe(expected);
  });

  it("9999-12-31 23:59:59.9 rounds out of range", () => {
    const t = Time.parseDatetime(ctx0(), "9999-12-31 23:59:59.9", 1, false);
    catchError(() => t.roundFrac(ctx0(), 0));
  });
});

describe("normalized", () => {
  // cases: TiKV time/mod.rs test_normalized
  it.each([
    ["2019-00-01 12:34:56.1", "2018-12-01 12:34:56.1"],
    ["2019-01-00 12:34:56.1", "2018-12-31 12:34:56.1"],
    ["2019-00-00 12:34:56.1", "2018-11-30 12:34:56.1"],
    ["2019-04-31 12:34:56.1", "2019-05-01 12:34:56.1"],
    ["2019-02-29 12:34:56.1", "2019-03-01 12:34:56.1"],
    ["2019-02-30 12:34:56.1", "2019-03-02 12:34:56.1"],
    ["2019-02-31 12:34:56.1", "2019-03-03 12:34:56.1"],
  ])("%s", (input, expected) => {
    const ctx = env({ allowInvalidDate: true });
    expect(Time.parseDatetime(ctx, input, 1, false).normalized(ctx).toString()).toBe(expected);
  });
});

describe("checked add/sub of a duration", () => {
  const NS = 1_000_000_000;
  const hms = (h: number, m: number, s: number, micro = 0) =>
    ((h * 3600 + m * 60 + s) * 1_000_000 + micro) * 1000;
  // cases: TiKV time/mod.rs checked_add_sub_duration
  const normal: [string, number, string][] = [
    ["2018-12-30 11:30:45.123456", hms(0, 0, 14, 876545), "2018-12-30 11:31:00.000001"],
    ["2018-12-30 11:30:45.123456", hms(0, 30, 0), "2018-12-30 12:00:45.123456"],
    ["2018-12-30 11:30:45.123456", hms(12, 30, 0), "2018-12-31 00:00:45.123456"],
    ["2018-12-30 11:30:45.123456", hms(36, 30, 0), "2019-01-01 00:00:45.123456"],
  ];
  it.each(normal)("%s + %d ns", (lhs, nanos, expected) => {
    const ctx = ctx0();
    expect(Time.parseDatetime(ctx, lhs, 6, false).checkedAdd(ctx, nanos)?.toString()).toBe(expected);
    expect(Time.parseDatetime(ctx, expected, 6, false).checkedSub(ctx, nanos)?.toString()).toBe(lhs);
  });

  it.each([
    ["2019-03-10 01:00:00", "2019-03-10 03:00:00"],
    ["2018-03-11 01:00:00", "2018-03-11 03:00:00"],
  ])("TIMESTAMP across the New York DST gap: %s + 1h", (lhs, expected) => {
    const ctx = env({ tz: "America/New_York" });
    const t = Time.parseTimestamp(ctx, lhs, 0, false);
    expect(t.checkedAdd(ctx, 3600 * NS)?.toString()).toBe(expected);
    expect(
      Time.parseTimestamp(ctx, expected, 0, false)
        .checkedSub(ctx, 3600 * NS)
        ?.toString(),
    ).toBe(lhs);
  });

  it.each([
    ["2019-04-31 00:00:00", "2019-05-01 01:00:00"],
    ["2019-00-01 00:00:00", "2018-12-01 01:00:00"],
    ["2019-2-0 00:00:00", "2019-01-31 01:00:00"],
  ])("partial dates are normalized first: %s", (lhs, expected) => {
    const ctx = env({ allowInvalidDate: true });
    expect(
      Time.parseDatetime(ctx, lhs, 0, false)
        .checkedAdd(ctx, 3600 * NS)
        ?.toString(),
    ).toBe(expected);
  });

  it("overflow is null", () => {
    const ctx = ctx0();
    expect(Time.parseDatetime(ctx, "9999-12-31 23:59:59", 6, false).checkedAdd(ctx, 3600 * NS)).toBeNull();
    expect(Time.parseDatetime(ctx, "0000-01-01 00:00:01", 6, false).checkedSub(ctx, 3600 * NS)).toBeNull();
    expect(Time.parseDatetime(ctx, "0000-00-00 00:00:00", 6, false).checkedAdd(ctx, NS)).toBeNull();
    const ts = Time.parseTimestamp(ctx, "2038-01-19 03:14:07", 0, false);
    expect(ts.checkedAdd(ctx, NS)).toBeNull();
  });

  it("DATE and DATETIME results are DATETIMEs checked as DATETIME (deliberate difference)", () => {
    const ctx = ctx0();
    const d = Time.parseDate(ctx, "1960-01-01").checkedAdd(ctx, hms(1, 2, 3));
    expect(d?.toString()).toBe("1960-01-01 01:02:03");
    expect(d?.type).toBe(TimeType.DateTime);
  });

  it("largest TIME moves by 838:59:59", () => {
    const ctx = ctx0();
    const max = 3_020_399_000_000_000;
    expect(Time.parseDatetime(ctx, "2000-01-01 00:00:00", 0, false).checkedAdd(ctx, max)?.toString()).toBe(
      "2000-02-04 22:59:59",
    );
    expect(Time.parseDatetime(ctx, "2000-01-01 00:00:00", 0, false).checkedAdd(ctx, -max)?.toString()).toBe(
      "1999-11-27 01:00:01",
    );
  });
});

describe("add_sec_nanos and add_months", () => {
  const DAY = 86_400;
  // cases: TiKV time/mod.rs test_add_sec_nanos
  it.each([
    ["2023-01-01 00:00:00", 2, 123_000_000, "2023-01-01 00:00:02.123000"],
    ["2023-01-01 00:00:00", 0, -1_000_000_000, "2022-12-31 23:59:59.000000"],
    ["2023-12-31 23:59:59", 1, 0, "2024-01-01 00:00:00.000000"],
    ["2023-01-01 00:00:00", 3 * DAY, 2 * DAY * 1e9, "2023-01-06 00:00:00.000000"],
    [
      "2024-02-27 00:00:00",
      2 * DAY + 6 * 3600 + 3 * 60 + 55,
      DAY * 1e9 + 6 * 3600 * 1e9 + 123_456_000,
      "2024-03-01 12:03:55.123456",
    ],
    ["0001-01-01 00:00:00", -2 * DAY, 0, "0000-00-00 00:00:00.000000"],
    ["2023-01-01 00:00:00", 10_000 * DAY, 0, "2050-05-19 00:00:00.000000"],
    ["0001-01-01 00:00:00", -DAY, 0, "0000-00-00 00:00:00.000000"],
  ])("%s + %ds %dns", (input, secs, nanos, expected) => {
    const ctx = ctx0();
    expect(Time.parseDatetime(ctx, input, 6, false).addSecNanos(ctx, secs, nanos).toString()).toBe(expected);
  });

  it.each([
    ["0000-01-01 00:00:00", -2 * DAY],
    ["2024-01-01 00:00:00", 10_000 * 365 * DAY + 1],
    ["2024-01-01 00:00:00", -10_000 * 365 * DAY - 1],
  ])("%s + %ds fails", (input, secs) => {
    const ctx = ctx0();
    catchError(() => Time.parseDatetime(ctx, input, 6, false).addSecNanos(ctx, secs, 0));
  });

  // cases: TiKV time/mod.rs test_add_months
  it.each([
    [2023, 1, 31, 1, 2023, 2, 28],
    [2024, 1, 31, 1, 2024, 2, 29],
    [2023, 5, 15, 2, 2023, 7, 15],
    [2023, 7, 30, 1, 2023, 8, 30],
    [2023, 8, 31, 1, 2023, 9, 30],
    [2024, 2, 29, 12, 2025, 2, 28],
    [2023, 12, 15, 1, 2024, 1, 15],
    [2022, 12, 31, 2, 2023, 2, 28],
    [2023, 3, 15, -3, 2022, 12, 15],
    [2023, 1, 31, -1, 2022, 12, 31],
    [1999, 12, 31, 1, 2000, 1, 31],
    [2000, 2, 29, 12, 2001, 2, 28],
    [1, 1, 1, -1, 0, 0, 0],
    [1, 2, 1, -2, 0, 0, 0],
    [0, 1, 1, 0, 0, 0, 0],
  ])("%d-%d-%d + %d months", (y, m, d, add, ey, em, ed) => {
    const t = Time.unchecked(
      { year: y, month: m, day: d, hour: 0, minute: 0, second: 0, micro: 0 },
      TimeType.DateTime,
      0,
    );
    const r = t.addMonths(add);
    expect([r.year, r.month, r.day]).toEqual([ey, em, ed]);
  });

  it.each([
    [0, 1, 1, -1],
    [9999, 12, 31, 1],
  ])("%d-%d-%d + %d months overflows", (y, m, d, add) => {
    const t = Time.unchecked(
      { year: y, month: m, day: d, hour: 0, minute: 0, second: 0, micro: 0 },
      TimeType.DateTime,
      0,
    );
    expect(catchError(() => t.addMonths(add)).message).toBe("Datetime function field overflow");
  });
});

describe("formatting and numbers", () => {
  // cases: TiKV time/mod.rs test_to_numeric_string, test_to_decimal, test_convert_to_f64
  it.each([
    ["2012-12-31 11:30:45.123456", 4, "20121231113045.1235", "20121231113045.1235", "20121231113045.1235"],
    [
      "2012-12-31 11:30:45.123456",
      6,
      "20121231113045.123456",
      "20121231113045.123456",
      "20121231113045.123456",
    ],
    ["2012-12-31 11:30:45.123456", 0, "20121231113045", "20121231113045", 20121231113045],
    ["2012-12-31 11:30:45.999999", 0, "20121231113046", "20121231113046", 20121231113046],
    ["2017-01-05 08:40:59.575601", 0, "20170105084100", "20170105084100", 20170105084100],
    ["2017-01-05 23:59:59.575601", 0, "20170106000000", "20170106000000", 20170106000000],
    ["0000-00-00 00:00:00", 6, "00000000000000.000000", "0", 0],
    // hand-worked: leading zeros of an early year disappear from the decimal
    ["0001-02-03 04:05:06", 0, "00010203040506", "10203040506", 10203040506],
  ])("%s (fsp %d)", (input, fsp, numeric, decimal, f64) => {
    const t = Time.parseDatetime(ctx0(), input, fsp, true);
    expect(t.toNumericString()).toBe(numeric);
    expect(t.toDecimalString()).toBe(decimal);
    // The double nearest to the decimal text, as TiKV parses its numeric string.
    expect(t.toF64()).toBe(Number(f64));
  });

  it.each([
    ["2012-12-31", TimeType.Date, 0, "2012-12-31", "20121231"],
    ["2012-12-31 01:02:03.45", TimeType.DateTime, 2, "2012-12-31 01:02:03.45", "20121231010203.45"],
    [
      "2012-12-31 01:02:03.000045",
      TimeType.Timestamp,
      6,
      "2012-12-31 01:02:03.000045",
      "20121231010203.000045",
    ],
    ["2012-12-31 01:02:03.999", TimeType.DateTime, 1, "2012-12-31 01:02:03.9", "20121231010203.9"],
  ])("toString of %s as %s", (input, type, fsp, expected, numeric) => {
    const t = Time.parse(ctx0(), input, type, fsp, false);
    expect(t.toString()).toBe(expected);
    expect(t.toNumericString()).toBe(numeric);
  });

  it("toDurationNanos", () => {
    expect(Time.parseDatetime(ctx0(), "2012-12-31 01:02:03.5", 1, false).toDurationNanos()).toBe(
      3_723_500_000_000,
    );
    expect(Time.parseDatetime(ctx0(), "0000-00-00", 1, false).toDurationNanos()).toBe(0);
  });
});

describe("date parts", () => {
  // cases: TiKV time/mod.rs test_weekday (0 = Monday)
  it.each([
    ["2019-10-12", 5],
    ["2019-04-31", 2],
    ["0000-01-01", 5],
    ["0000-01-00", 4],
    ["1970-01-01", 3],
  ])("weekday of %s", (input, expected) => {
    expect(Time.parseDate(env({ allowInvalidDate: true }), input).weekday()).toBe(expected);
  });

  // cases: TiKV time/mod.rs test_get_daynr
  it.each([
    [0, 0, 0, 0],
    [0, 1, 1, 1],
    [1, 1, 1, 366],
    [2023, 10, 7, 739165],
    [9999, 12, 31, 3652424],
    [1970, 1, 1, 719528],
    [2006, 12, 16, 733026],
    [10, 1, 2, 3654],
    [2008, 2, 20, 733457],
  ])("daynr of %d-%d-%d", (y, m, d, expected) => {
    const t = Time.unchecked(
      { year: y, month: m, day: d, hour: 0, minute: 0, second: 0, micro: 0 },
      TimeType.Date,
      0,
    );
    expect(t.daynr()).toBe(expected);
    if (expected > 365) expect(Time.fromDays(ctx0(), expected).toString()).toBe(t.toString());
  });

  it.each([
    ["2019-01-01", 1],
    ["2019-12-31", 365],
    ["2020-12-31", 366],
    ["2020-03-01", 61],
    ["2019-00-05", -27],
  ])("day of year of %s", (input, expected) => {
    expect(Time.parseDate(ctx0(), input).dayOfYear()).toBe(expected);
  });

  it.each([
    ["2019-02-10", 28, false, "2019-02-28"],
    ["2020-02-10", 29, true, "2020-02-29"],
    ["1900-02-10", 28, false, "1900-02-28"],
    ["2000-02-10", 29, true, "2000-02-29"],
    ["2000-04-10", 30, true, "2000-04-30"],
  ])("last day of %s", (input, last, leap, lastDate) => {
    const t = Time.parseDate(ctx0(), input);
    expect(t.lastDayOfMonth()).toBe(last);
    expect(t.isLeapYear()).toBe(leap);
    expect(t.lastDateOfMonth()?.toString()).toBe(lastDate);
  });

  it("dateDiff and diffNanos", () => {
    const a = Time.parseDatetime(ctx0(), "2020-03-01 00:00:01", 0, false);
    const b = Time.parseDatetime(ctx0(), "2020-02-28 23:59:59.5", 1, false);
    expect(a.dateDiff(b)).toBe(2);
    expect(b.dateDiff(a)).toBe(-2);
    // One day and 1.5 seconds.
    expect(a.diffNanos(b)).toBe(86_401_500_000_000);
    expect(b.diffNanos(a)).toBe(-86_401_500_000_000);
    expect(Time.parseDate(ctx0(), "2020-00-01").dateDiff(b)).toBeNull();
  });
});

describe("types", () => {
  it("maps field types", () => {
    expect(timeTypeOfTp(FieldTypeTp.Date)).toBe(TimeType.Date);
    expect(timeTypeOfTp(FieldTypeTp.DateTime)).toBe(TimeType.DateTime);
    expect(timeTypeOfTp(FieldTypeTp.Timestamp)).toBe(TimeType.Timestamp);
    expect(timeTypeOfTp(FieldTypeTp.Unspecified)).toBe(TimeType.DateTime);
    catchError(() => timeTypeOfTp(FieldTypeTp.Long));
    expect(fieldTypeTpOfTimeType(TimeType.Timestamp)).toBe(FieldTypeTp.Timestamp);
  });

  it("withType", () => {
    const dt = Time.parseDatetime(ctx0(), "2020-01-02 03:04:05.6", 1, false);
    expect(dt.withType(TimeType.Date).toString()).toBe("2020-01-02");
    const date = Time.parseDate(ctx0(), "2020-01-02");
    expect(date.withType(TimeType.DateTime).toString()).toBe("2020-01-02 00:00:00");
    const ts = Time.parseTimestamp(ctx0(), "2020-01-02 03:04:05.6", 1, false);
    expect(ts.withType(TimeType.DateTime).toString()).toBe("2020-01-02 03:04:05.6");
    expect(ts.withType(TimeType.DateTime).type).toBe(TimeType.DateTime);
    catchError(() => dt.withType(TimeType.Timestamp));
    expect(dt.withFsp(3).toString()).toBe("2020-01-02 03:04:05.600");
  });
});
