import { describe, expect, it } from "vitest";
import { Duration, MAX_DURATION, MAX_DURATION_NANOS } from "../../src/duration/index.js";
import {
  ERR_DATA_OUT_OF_RANGE,
  ERR_TRUNCATE_WRONG_VALUE,
  ERR_UNKNOWN,
  EvalContext,
  EvalError,
  EvalFlag,
} from "../../src/index.js";
import { catchError } from "../../src/testing/index.js";

const ctx = () => new EvalContext();
const parse = (s: string, fsp: number) => Duration.parse(ctx(), s, fsp);

describe("Duration.parse", () => {
  // cases: TiKV codec/mysql/duration.rs test_parse_duration
  it.each<[string, number, string | null]>([
    ["10:11:12", 0, "10:11:12"],
    ["101112", 0, "10:11:12"],
    ["10:11", 0, "10:11:00"],
    ["101112.123456", 0, "10:11:12"],
    ["1112", 0, "00:11:12"],
    ["12", 0, "00:00:12"],
    ["1 12", 0, "36:00:00"],
    ["1 10:11:12", 0, "34:11:12"],
    ["1 10:11:12.123456", 0, "34:11:12"],
    ["1 10:11:12.123456", 4, "34:11:12.1235"],
    ["1 10:11:12.12", 4, "34:11:12.1200"],
    ["1 10:11:12.1234565", 6, "34:11:12.123457"],
    ["1 10:11:12.9999995", 6, "34:11:13.000000"],
    ["10:11:12.123456", 0, "10:11:12"],
    ["1 10:11", 0, "34:11:00"],
    ["1 10", 0, "34:00:00"],
    ["24 10", 0, "586:00:00"],
    ["-24 10", 0, "-586:00:00"],
    ["0 10", 0, "10:00:00"],
    ["-10:10:10", 0, "-10:10:10"],
    ["-838:59:59", 0, "-838:59:59"],
    ["838:59:59", 0, "838:59:59"],
    ["839:00:00", 0, null],
    ["-839:00:00", 0, null],
    ["23:60:59", 0, null],
    ["54:59:59", 0, "54:59:59"],
    ["2011-11-11 00:00:01", 0, "00:00:01"],
    ["20111111000001", 0, "00:00:01"],
    ["201112110102", 0, "11:01:02"],
    ["2011-11-11", 0, "00:20:11"],
    ["2012-08-x", 0, "00:20:12"],
    ["--23", 0, null],
    ["232 10", 0, null],
    ["-232 10", 0, null],
    ["00:00:00.1", 0, "00:00:00"],
    ["00:00:00.1", 1, "00:00:00.1"],
    ["00:00:00.777777", 2, "00:00:00.78"],
    ["00:00:00.777777", 6, "00:00:00.777777"],
    ["00:00:00.001", 3, "00:00:00.001"],
    ["0x", 6, "00:00:00.000000"],
    ["1x", 6, "00:00:01.000000"],
    ["0000-00-00", 6, "00:00:00.000000"],
    ["0000-00-00", 0, "00:00:00"],
    ["1234abc", 0, "00:12:34"],
    ["1234x", 0, "00:12:34"],
    ["1234xxxxxxx", 0, "00:12:34"],
    ["1234xxxxxxxx", 0, null],
    ["-1234xxxxxxx", 0, "-00:12:34"],
    ["-1234xxxxxxxx", 0, null],
    ["1-----", 0, "00:00:01"],
    ["20100000-02-12", 0, null],
    ["20100-02-12", 0, "02:01:00"],
    ["99999-99-99", 0, null],
    ["99990000", 0, null],
    ["00-00-00", 0, "00:00:00"],
    ["- 1 ", 0, "-00:00:01"],
    ["1:2:3", 0, "01:02:03"],
    ["1 1:2:3", 0, "25:02:03"],
    ["-1 1:2:3.123", 3, "-25:02:03.123"],
    ["-.123", 3, null],
    ["12345", 0, "01:23:45"],
    ["-123", 0, "-00:01:23"],
    ["-23", 0, "-00:00:23"],
    ["- 1 1", 0, "-25:00:00"],
    ["-1 1", 0, "-25:00:00"],
    [" - 1:2:3 .123 ", 3, "-01:02:03.123"],
    [" - 1 :2 :3 .123 ", 3, "-01:02:03.123"],
    [" - 1 : 2 :3 .123 ", 3, "-01:02:03.123"],
    [" - 1 : 2 :  3 .123 ", 3, "-01:02:03.123"],
    [" - 1 .123 ", 3, "-00:00:01.123"],
    ["-", 0, null],
    ["a", 0, null],
    ["- .1", 0, null],
    ["", 0, null],
    ["1.1", 1, "00:00:01.1"],
    ["-1.1", 1, "-00:00:01.1"],
    ["- 1.1", 1, "-00:00:01.1"],
    ["- 1 .1", 1, "-00:00:01.1"],
    ["18446744073709551615:59:59", 0, null],
    ["4294967295 0:59:59", 0, null],
    ["4294967295 232:59:59", 0, null],
    ["-4294967295 232:59:59", 0, null],
    ["1::2:3", 0, "00:00:01"],
    ["1.23 3", 0, "00:00:01"],
    ["1:62:3", 0, null],
    ["1:02:63", 0, null],
    ["-231342080", 0, null],
    ["2010-02-12", 0, "00:20:10"],
    ["2010-02-12t12:23:34", 0, null],
    ["2010-02-12T12:23:34", 0, "12:23:34"],
    ["2010-02-12 12:23:34", 0, "12:23:34"],
    ["2010-02-12 12:23:34.12345", 6, "12:23:34.123450"],
    ["10-02-12 12:23:34.12345", 6, "12:23:34.123450"],
  ])("%j fsp %i -> %j", (input, fsp, expected) => {
    if (expected === null) {
      const e = catchError(() => parse(input, fsp));
      expect(e).toBeInstanceOf(EvalError);
      expect(e).toMatchObject({
        code: ERR_TRUNCATE_WRONG_VALUE,
        message: `Truncated incorrect TIME value: '${input}'`,
      });
    } else {
      expect(parse(input, fsp).toString()).toBe(expected);
    }
  });

  it("does not fall back in parseExactly", () => {
    expect(catchError(() => Duration.parseExactly(ctx(), "2010-02-12 12:23:34", 0))).toMatchObject({
      code: ERR_TRUNCATE_WRONG_VALUE,
    });
  });

  it.each([
    ["1 10:11:12.123456", 7],
    ["", 7],
    ["10:11:12", -2],
  ])("rejects fsp %#", (input, fsp) => {
    expect(catchError(() => parse(input, fsp))).toMatchObject({
      code: ERR_UNKNOWN,
      message: `Invalid fsp ${fsp}`,
    });
  });

  it("treats fsp -1 as 0", () => {
    expect(parse("10:11:12.5", -1).toString()).toBe("10:11:13");
  });

  // cases: TiKV codec/mysql/duration.rs test_parse_overflow_as_warning
  it.each([
    ["-1062600704", "-838:59:59"],
    ["1062600704", "838:59:59"],
  ])("clamps %s to %s under OverflowAsWarning", (input, expected) => {
    const c = new EvalContext({ flags: EvalFlag.OverflowAsWarning });
    expect(Duration.parse(c, input, 0).toString()).toBe(expected);
    expect(c.takeWarnings().list).toEqual([{ code: ERR_DATA_OUT_OF_RANGE, message: "DURATION OVERFLOW" }]);
  });

  // cases: TiKV codec/mysql/duration.rs test_parse_consider_overflow
  it.each<[string, boolean, string | null]>([
    ["-790822912", true, null],
    ["-790822912", false, "-838:59:59"],
    ["99990000", false, "838:59:59"],
  ])("%s with overflowAsNull %s -> %j", (input, overflowAsNull, expected) => {
    const c = new EvalContext({ flags: EvalFlag.OverflowAsWarning });
    if (expected === null) {
      expect(catchError(() => Duration.parse(c, input, 0, { overflowAsNull }))).toMatchObject({
        code: ERR_TRUNCATE_WRONG_VALUE,
      });
    } else {
      expect(Duration.parse(c, input, 0, { overflowAsNull }).toString()).toBe(expected);
    }
  });

  it("reports a trailing-garbage truncation as a warning under TruncateAsWarning", () => {
    const c = new EvalContext({ flags: EvalFlag.TruncateAsWarning });
    expect(Duration.parse(c, "1234x", 0).toString()).toBe("00:12:34");
    expect(c.takeWarnings().list).toEqual([{ code: 1265, message: "Data Truncated" }]);
  });

  it("ignores the truncation error with default flags, as TiKV does", () => {
    const c = new EvalContext();
    expect(Duration.parse(c, "1234x", 0).toString()).toBe("00:12:34");
    expect(c.takeWarnings().count).toBe(0);
  });

  it("measures the garbage limit in UTF-8 bytes", () => {
    // "1234" + 4 two-byte chars = 12 bytes: rejected; with 3 of them (10 bytes) accepted.
    expect(catchError(() => parse("1234éééé", 0))).toMatchObject({ code: ERR_TRUNCATE_WRONG_VALUE });
    expect(parse("1234ééé", 0).toString()).toBe("00:12:34");
  });

  it("trims Unicode whitespace like Rust", () => {
    expect(parse("\u3000 10:11:12\u00a0\n", 0).toString()).toBe("10:11:12");
  });

  it("rejects a lone decimal point", () => {
    expect(catchError(() => parse("1.", 0))).toMatchObject({ code: ERR_TRUNCATE_WRONG_VALUE });
  });

  it("rejects a fraction that carries past the range", () => {
    expect(catchError(() => parse("838:59:59.5", 0))).toMatchObject({ code: ERR_TRUNCATE_WRONG_VALUE });
  });
});

describe("Duration parts", () => {
  // cases: TiKV codec/mysql/duration.rs test_hours, test_minutes, test_secs, test_subsec_micros
  it.each<[string, number, number, number, number, number]>([
    ["31 11:30:45", 0, 31 * 24 + 11, 30, 45, 0],
    ["11:30:45", 0, 11, 30, 45, 0],
    ["-11:30:45.9233456", 0, 11, 30, 46, 0],
    ["-11:30:45.9233456", 1, 11, 30, 45, 900000],
    ["272:59:59", 0, 272, 59, 59, 0],
    ["31 11:30:45.123", 6, 755, 30, 45, 123000],
    ["11:30:45.123345", 3, 11, 30, 45, 123000],
    ["11:30:45.123345", 5, 11, 30, 45, 123350],
    ["11:30:45.123345", 6, 11, 30, 45, 123345],
    ["11:30:45.1233456", 6, 11, 30, 45, 123346],
    ["11:30:45.9233456", 0, 11, 30, 46, 0],
    ["11:30:45.000010", 6, 11, 30, 45, 10],
    ["11:30:45.00010", 5, 11, 30, 45, 100],
  ])("%s fsp %i", (input, fsp, h, m, s, micros) => {
    const d = parse(input, fsp);
    expect([d.hours, d.minutes, d.secs, d.subsecMicros]).toEqual([h, m, s, micros]);
    expect(d.negative).toBe(input.startsWith("-"));
  });

  it("converts to seconds, millis, micros toward zero", () => {
    const d = parse("-00:00:01.999999", 6);
    expect([d.toSecs(), d.toMillis(), d.toMicros(), d.toNanos()]).toEqual([
      -1, -1999, -1999999, -1_999_999_000,
    ]);
    expect(d.toSecsF64()).toBe(-1.999999);
  });
});

describe("Duration formatting", () => {
  // cases: TiKV codec/mysql/duration.rs test_to_numeric_string
  it.each([
    ["11:30:45.123456", 4, "113045.1235"],
    ["11:30:45.123456", 6, "113045.123456"],
    ["11:30:45.123456", 0, "113045"],
    ["11:30:45.999999", 0, "113046"],
    ["08:40:59.575601", 0, "084100"],
    ["23:59:59.575601", 0, "240000"],
    ["00:00:00", 0, "000000"],
    ["00:00:00", 6, "000000.000000"],
    // cases: TiKV codec/mysql/duration.rs test_to_decimal (the decimal is parsed from this text)
    ["31 11:30:45", 0, "7553045"],
    ["31 11:30:45", 6, "7553045.000000"],
    ["31 11:30:45.123", 6, "7553045.123000"],
    ["11:30:45.123345", 5, "113045.12335"],
    ["-11:30:45.9233456", 0, "-113046"],
  ])("numeric form of %s fsp %i is %s", (input, fsp, expected) => {
    expect(parse(input, fsp).toNumericString()).toBe(expected);
  });

  it.each([
    [MAX_DURATION_NANOS, 0, "838:59:59"],
    [-MAX_DURATION_NANOS, 6, "-838:59:59.000000"],
    [0, 0, "00:00:00"],
    [0, 3, "00:00:00.000"],
    [-1_000, 6, "-00:00:00.000001"],
    [100 * 3600 * 1e9, 0, "100:00:00"],
  ])("formats %d nanos with fsp %i as %s", (nanos, fsp, expected) => {
    expect(Duration.fromNanos(nanos, fsp).toString()).toBe(expected);
  });

  it("has MAX_DURATION at 838:59:59", () => {
    expect(MAX_DURATION.toString()).toBe("838:59:59");
    expect(MAX_DURATION.toNanos()).toBe(3_020_399_000_000_000);
  });

  it("converts to f64 through the numeric form", () => {
    expect(parse("11:30:45.123456", 4).toF64()).toBe(113045.1235);
    expect(parse("-00:00:00.5", 1).toF64()).toBe(-0.5);
  });
});

describe("Duration.roundFrac", () => {
  // cases: TiKV codec/mysql/duration.rs test_round_frac
  it.each([
    ["11:30:45.123456", 4, "11:30:45.1235"],
    ["11:30:45.123456", 6, "11:30:45.123456"],
    ["11:30:45.123456", 0, "11:30:45"],
    ["11:59:59.999999", 3, "12:00:00.000"],
    ["1 11:30:45.123456", 1, "35:30:45.1"],
    ["1 11:30:45.999999", 4, "35:30:46.0000"],
    ["-1 11:30:45.999999", 0, "-35:30:46"],
    ["-1 11:59:59.9999", 2, "-36:00:00.00"],
  ])("%s to fsp %i is %s", (input, fsp, expected) => {
    expect(parse(input, 6).roundFrac(fsp).toString()).toBe(expected);
  });

  it("widens without changing the value", () => {
    const d = parse("10:00:00.5", 1).roundFrac(4);
    expect([d.toString(), d.fsp]).toEqual(["10:00:00.5000", 4]);
  });

  it("rounds up to the range end exactly", () => {
    const d = Duration.fromNanos(MAX_DURATION_NANOS - 1_000, 6);
    expect(d.roundFrac(0).toString()).toBe("838:59:59");
  });
});

describe("Duration arithmetic and order", () => {
  // cases: TiKV codec/mysql/duration.rs test_checked_add_and_sub_duration
  it.each([
    ["11:30:45.123456", "00:00:14.876545", "11:31:00.000001"],
    ["11:30:45.123456", "00:30:00", "12:00:45.123456"],
    ["11:30:45.123456", "12:30:00", "1 00:00:45.123456"],
    ["11:30:45.123456", "1 12:30:00", "2 00:00:45.123456"],
  ])("%s + %s = %s", (a, b, sum) => {
    const [x, y, z] = [parse(a, 6), parse(b, 6), parse(sum, 6)];
    expect(x.checkedAdd(y)?.equals(z)).toBe(true);
    expect(z.checkedSub(y)?.equals(x)).toBe(true);
  });

  it("returns null past the range", () => {
    const max = Duration.fromNanos(MAX_DURATION_NANOS, 6);
    expect(parse("00:00:01", 6).checkedAdd(max)).toBeNull();
    expect(parse("-00:00:01", 6).checkedSub(max)).toBeNull();
    expect(max.checkedAdd(Duration.zero())?.toNanos()).toBe(MAX_DURATION_NANOS);
  });

  it("keeps the larger precision", () => {
    expect(parse("1", 0).checkedAdd(parse("1", 3))?.fsp).toBe(3);
  });

  it("compares by nanoseconds only", () => {
    expect(parse("1", 0).compare(parse("1", 6))).toBe(0);
    expect(parse("-1", 0).compare(parse("1", 0))).toBe(-1);
    expect(parse("00:00:01.5", 1).compare(parse("00:00:01", 0))).toBe(1);
  });
});

describe("Duration constructors", () => {
  it("fromNanos rounds half away from zero", () => {
    expect(Duration.fromNanos(1_500_000_000, 0).toString()).toBe("00:00:02");
    expect(Duration.fromNanos(-1_500_000_000, 0).toString()).toBe("-00:00:02");
    expect(Duration.fromNanos(1_499_999_999, 0).toString()).toBe("00:00:01");
    expect(Duration.fromNanos(-400, 0).toNanos()).toBe(0);
    expect(Object.is(Duration.fromNanos(-0, 0).toNanos(), 0)).toBe(true);
  });

  it.each([MAX_DURATION_NANOS + 1, -MAX_DURATION_NANOS - 1, 1.5, Number.NaN])("fromNanos rejects %d", (n) => {
    expect(catchError(() => Duration.fromNanos(n, 6))).toMatchObject({ code: ERR_TRUNCATE_WRONG_VALUE });
  });

  it("fromSecs/fromMillis/fromMicros scale and check", () => {
    expect(Duration.fromSecs(3661, 0).toString()).toBe("01:01:01");
    expect(Duration.fromMillis(1_234, 1).toString()).toBe("00:00:01.2");
    expect(Duration.fromMicros(-1_500_000, 0).toString()).toBe("-00:00:02");
    expect(catchError(() => Duration.fromSecs(3_020_400, 0))).toMatchObject({
      code: ERR_TRUNCATE_WRONG_VALUE,
    });
    expect(catchError(() => Duration.fromSecs(2 ** 62, 0))).toMatchObject({
      code: ERR_DATA_OUT_OF_RANGE,
      message: "DURATION OVERFLOW",
    });
  });

  it.each<[number, number, number, number, number]>([
    [0, 60, 0, 0, ERR_TRUNCATE_WRONG_VALUE],
    [0, 0, 60, 0, ERR_TRUNCATE_WRONG_VALUE],
    [0, 0, 0, 1_000_000_000, ERR_TRUNCATE_WRONG_VALUE],
    [839, 0, 0, 0, ERR_DATA_OUT_OF_RANGE],
    // minute is checked before hour
    [839, 60, 0, 0, ERR_TRUNCATE_WRONG_VALUE],
  ])("fromParts(%i, %i, %i, %i) fails with %i", (h, m, s, n, code) => {
    expect(catchError(() => Duration.fromParts(false, h, m, s, n, 0))).toMatchObject({ code });
  });
});

describe("Duration.fromI64", () => {
  // cases: TiKV codec/mysql/duration.rs test_from_i64
  it.each<[number, number, string]>([
    [8385959, -1, "838:59:59"],
    [101010, 0, "10:10:10"],
    [101010, 5, "10:10:10.00000"],
    [8385959, 0, "838:59:59"],
    [8385959, 6, "838:59:59.000000"],
    [-101010, 0, "-10:10:10"],
    [-101010, 5, "-10:10:10.00000"],
    [-8385959, 0, "-838:59:59"],
    [-8385959, 6, "-838:59:59.000000"],
    [10000000000, 0, "00:00:00"],
    [10000235959, 0, "23:59:59"],
    [0, 0, "00:00:00"],
  ])("%i fsp %i -> %s", (n, fsp, expected) => {
    const c = new EvalContext({ flags: EvalFlag.OverflowAsWarning });
    expect(Duration.fromI64(c, n, fsp).toString()).toBe(expected);
    expect(Duration.fromI64(c, BigInt(n), fsp).toString()).toBe(expected);
  });

  // cases: TiKV codec/mysql/duration.rs test_from_i64 (errors)
  it.each<[number | bigint, number, number, string]>([
    [8385960, 0, ERR_DATA_OUT_OF_RANGE, "Duration value is out of range in '8385960'"],
    [8385960, 6, ERR_DATA_OUT_OF_RANGE, "Duration value is out of range in '8385960'"],
    [-8385960, 1, ERR_DATA_OUT_OF_RANGE, "Duration value is out of range in '-8385960'"],
    [8376049, 0, ERR_TRUNCATE_WRONG_VALUE, "Truncated incorrect time value: '8376049'"],
    [8375960, 0, ERR_TRUNCATE_WRONG_VALUE, "Truncated incorrect time value: '8375960'"],
    [-10000235959, 0, ERR_DATA_OUT_OF_RANGE, "Duration value is out of range in '-10000235959'"],
    [10000999999, 0, ERR_DATA_OUT_OF_RANGE, "Duration value is out of range in '10000999999'"],
    [
      9223372036854775807n,
      0,
      ERR_DATA_OUT_OF_RANGE,
      "Duration value is out of range in '9223372036854775807'",
    ],
  ])("%s fsp %i fails", (n, fsp, code, message) => {
    const c = new EvalContext({ flags: EvalFlag.OverflowAsWarning });
    expect(catchError(() => Duration.fromI64(c, n, fsp))).toMatchObject({ code, message });
    expect(c.takeWarnings().count).toBe(0);
  });

  it("reads integers from 10^10 up as a DATETIME's time of day", () => {
    expect(catchError(() => Duration.fromI64(ctx(), 9999999999, 0))).toMatchObject({
      code: ERR_DATA_OUT_OF_RANGE,
    });
    expect(Duration.fromI64(ctx(), 20121231235959n, 0).toString()).toBe("23:59:59");
  });
});
