// CASTs from and to DATE/DATETIME/TIMESTAMP, TIME and JSON with TiKV's cases
// (components/tidb_query_expr/src/impl_cast.rs tests; json_unquote.rs test_json_unquote). Each
// case names the TiKV test it comes from.
import { decodeJsonBinary, encodeJsonBinary } from "@copr/codec";
import {
  ChunkedVecDuration,
  ChunkedVecJson,
  type Column,
  Decimal,
  Duration,
  ERR_DATA_OUT_OF_RANGE,
  ERR_TRUNCATE_WRONG_VALUE,
  ERR_UNKNOWN,
  EvalContext,
  EvalFlag,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  isCoprError,
  Json,
  type JsonValue,
  jsonToString,
  rustF64String,
  SqlMode,
  Time,
  TimeType,
  WARN_DATA_TRUNCATED,
} from "@copr/datatype";
import { tipb } from "@copr/proto";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import "../src/functions/cast-time.js";
import { unquoteJsonString } from "../src/functions/cast-time.js";
import {
  columnRef,
  constDecimal,
  constDuration,
  constInt,
  constNull,
  constReal,
  constTime,
  fieldTypeToPb,
  LONGLONG,
  LONGLONG_UNSIGNED,
  lookupRpnFn,
  scalarFunc,
} from "../src/index.js";
import { evalConst, evalRows } from "./helpers.js";

const S = tipb.ScalarFuncSig;
type Expr = tipb.Expr.$Properties;

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;
const F64_MAX = Number.MAX_VALUE;
const F32_MAX = 3.4028234663852886e38;

const DOUBLE = fieldType(FieldTypeTp.Double);
const JSON_FT = fieldType(FieldTypeTp.Json);
const DECIMAL = fieldType(FieldTypeTp.NewDecimal);
const DATETIME = (fsp = 0) => fieldType(FieldTypeTp.DateTime, { decimal: fsp });
const TIMESTAMP = (fsp = 0) => fieldType(FieldTypeTp.Timestamp, { decimal: fsp });
const DATE = fieldType(FieldTypeTp.Date);
const DUR = (fsp = 0) => fieldType(FieldTypeTp.Duration, { decimal: fsp });
const d = (s: string) => Decimal.fromString(s);

interface Flags {
  overflowAsWarning?: boolean;
  truncateAsWarning?: boolean;
  inInsert?: boolean;
  strict?: boolean;
}

/** TiKV's `CtxConfig`: no flag means truncation and overflow are errors. */
function context(f: Flags = {}): EvalContext {
  let flags = 0;
  if (f.overflowAsWarning) flags |= EvalFlag.OverflowAsWarning;
  if (f.truncateAsWarning) flags |= EvalFlag.TruncateAsWarning;
  if (f.inInsert) flags |= EvalFlag.InInsertStmt;
  return new EvalContext({ flags, sqlMode: f.strict ? SqlMode.StrictAllTables : 0n });
}

const cast = (sig: number, ret: FieldType, child: Expr): Expr => scalarFunc(sig, ret, child);

/** Evaluates on constants; returns the value and the warning codes. */
function run(expr: Expr, f: Flags = {}): { value: unknown; warnings: number[] } {
  const ctx = context(f);
  const value = evalConst(expr, ctx);
  return { value, warnings: ctx.warnings.list.map((w) => w.code) };
}

/** Evaluates over a one-row column; returns row 0's value and the warning codes. */
function runColumn(
  expr: Expr,
  schema: FieldType,
  column: Column,
  f: Flags = {},
): { value: unknown; warnings: number[] } {
  const ctx = context(f);
  const [value] = evalRows(expr, [schema], [column], null, ctx);
  return { value, warnings: ctx.warnings.list.map((w) => w.code) };
}

/** A TIME argument with its own precision (a column: constants always arrive with fsp 6). */
function runDuration(sig: number, ret: FieldType, v: Duration, f: Flags = {}) {
  return runColumn(
    cast(sig, ret, columnRef(0, DUR(v.fsp))),
    DUR(v.fsp),
    ChunkedVecDuration.fromValues([v], v.fsp),
    f,
  );
}

/** A JSON constant as TiDB sends it: the binary JSON bytes. */
const constJson = (j: JsonValue): Expr => ({
  tp: tipb.ExprType.MysqlJson,
  val: encodeJsonBinary(j),
  fieldType: fieldTypeToPb(JSON_FT),
});

const dur = (s: string, fsp: number) => Duration.parse(new EvalContext(), s, fsp);
const datetime = (s: string, fsp: number, round = true) =>
  Time.parseDatetime(new EvalContext(), s, fsp, round);
const showJson = (v: unknown) => jsonToString(decodeJsonBinary(v as Uint8Array));
const codeOf = (f: () => unknown): number | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return isCoprError(e) ? (e as { code: number }).code : -1;
  }
};

const NEW_SIGS = [
  S.CastIntAsDuration,
  S.CastIntAsJson,
  S.CastRealAsTime,
  S.CastRealAsDuration,
  S.CastRealAsJson,
  S.CastDecimalAsTime,
  S.CastDecimalAsDuration,
  S.CastDecimalAsJson,
  S.CastTimeAsReal,
  S.CastTimeAsDecimal,
  S.CastTimeAsTime,
  S.CastTimeAsDuration,
  S.CastTimeAsJson,
  S.CastDurationAsInt,
  S.CastDurationAsReal,
  S.CastDurationAsDecimal,
  S.CastDurationAsTime,
  S.CastDurationAsDuration,
  S.CastDurationAsJson,
  S.CastJsonAsInt,
  S.CastJsonAsReal,
  S.CastJsonAsDecimal,
  S.CastJsonAsTime,
  S.CastJsonAsDuration,
  S.CastJsonAsJson,
];

describe("registration", () => {
  it("registers the time, duration and JSON casts", () => {
    for (const sig of NEW_SIGS) {
      expect(lookupRpnFn(sig)?.name, tipb.ScalarFuncSig[sig]).toMatch(/^CastTimeFns\./);
    }
  });

  it("every cast is NULL on NULL (test_none_with_*)", () => {
    const ftOf: Record<string, FieldType> = {
      Int: LONGLONG,
      Real: DOUBLE,
      Decimal: DECIMAL,
      Time: DATETIME(),
      Duration: DUR(),
      Json: JSON_FT,
    };
    for (const sig of NEW_SIGS) {
      const [, from, to] =
        /^Cast(Int|Real|Decimal|Time|Duration|Json)As(\w+)$/.exec(tipb.ScalarFuncSig[sig]) ?? [];
      const e = cast(sig, ftOf[to === "Time" ? "Time" : to], constNull(ftOf[from]));
      expect(run(e).value, tipb.ScalarFuncSig[sig]).toBeNull();
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe("to DATETIME", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  // test_cast_real_time
  it.each([
    ["2019-09-16 10:11:12", Number("190916101112.111"), 0],
    ["2019-09-16 10:11:12", Number("20190916101112.111"), 0],
    ["2019-09-16 10:11:12", Number("20190916101112.123"), 0],
    ["2019-09-16 10:11:13", Number("20190916101112.999"), 0],
    ["0000-00-00 00:00:00", 0.0, 0],
  ])("test_cast_real_time: %s ← %s (fsp %d)", (want, input, fsp) => {
    const r = run(cast(S.CastRealAsTime, DATETIME(fsp), constReal(input)));
    expect(String(r.value)).toBe(want);
    expect(r.warnings).toEqual([]);
  });

  it("an invalid DOUBLE is NULL with a warning, an error in strict INSERT (handle_invalid_time_error)", () => {
    const e = cast(S.CastRealAsTime, DATETIME(), constReal(1.5));
    expect(run(e)).toEqual({ value: null, warnings: [ERR_TRUNCATE_WRONG_VALUE] });
    expect(codeOf(() => run(e, { inInsert: true, strict: true }))).toBe(ERR_TRUNCATE_WRONG_VALUE);
    // Outside INSERT/UPDATE/DELETE strict mode does not matter.
    expect(run(e, { strict: true }).value).toBeNull();
  });

  it("0.0 honours NO_ZERO_DATE in strict INSERT", () => {
    const ctx = new EvalContext({
      flags: EvalFlag.InInsertStmt,
      sqlMode: SqlMode.StrictAllTables | SqlMode.NoZeroDate,
    });
    expect(() => evalConst(cast(S.CastRealAsTime, DATETIME(), constReal(0)), ctx)).toThrow();
  });

  // test_cast_decimal_as_time
  it.each([
    ["2019-09-16 10:11:12", "20190916101112", 0],
    ["2019-09-16 10:11:12", "190916101112", 0],
    ["1909-12-10 00:00:00", "19091210", 0],
    ["2020-02-29 10:00:00", "20200229100000", 0],
    ["2019-09-16 00:00:00", "190916", 0],
    ["2019-09-16 10:11:12.111", "190916101112.111", 3],
    ["2019-09-16 10:11:12.111", "20190916101112.111", 3],
    ["2019-09-16 10:11:12.67", "20190916101112.666", 2],
    ["2019-09-16 10:11:13.0", "20190916101112.999", 1],
    ["2001-11-11 00:00:00.0000", "11111.1111", 4],
    ["0102-11-21 14:11:05.4324", "1021121141105.4324", 4],
    ["2002-11-21 14:11:05.101", "21121141105.101", 3],
    ["2000-11-21 14:11:05.799055", "1121141105.799055", 6],
    ["2000-01-21 14:11:05.123", "121141105.123", 3],
    ["0114-11-05 00:00:00", "1141105", 0],
    ["2004-11-05 00:00:00.00", "41105.11", 2],
    ["2000-11-05 00:00:00.0", "1105.3", 1],
    ["2000-01-05 00:00:00", "105", 0],
  ])("test_cast_decimal_as_time: %s ← %s (fsp %d)", (want, input, fsp) => {
    expect(String(run(cast(S.CastDecimalAsTime, DATETIME(fsp), constDecimal(d(input)))).value)).toBe(want);
  });

  it.each([
    "19091610111",
    "1909161011",
    "190916101",
    "1909161",
    "19091",
    "201705051315111.22",
    "2011110859.1111",
    "191203081.1111",
    "43128.121105",
  ])("test_cast_decimal_as_time: %s is NULL with a warning", (input) => {
    const r = run(cast(S.CastDecimalAsTime, DATETIME(), constDecimal(d(input))));
    expect(r).toEqual({ value: null, warnings: [ERR_TRUNCATE_WRONG_VALUE] });
  });

  // test_time_as_time: (TIMESTAMP input, DATETIME result, fsp)
  it.each([
    ["2020-02-29 10:00:00.999", "2020-02-29 10:00:01.0", 1],
    ["2019-09-16 01:00:00.999", "2019-09-16 01:00:01.00", 2],
    ["2019-09-16 00:00:00.9999", "2019-09-16 00:00:01.0", 1],
  ])("test_time_as_time: %s → %s", (input, want, fsp) => {
    const t = Time.parseTimestamp(new EvalContext(), input, 6, true);
    const r = run(cast(S.CastTimeAsTime, DATETIME(fsp), constTime(t, TIMESTAMP(6))));
    expect(String(r.value)).toBe(want);
    expect((r.value as Time).type).toBe(TimeType.DateTime);
  });

  it("time → time: to DATE drops the clock; DATE/DATETIME → TIMESTAMP is an error (set_time_type)", () => {
    const t = datetime("2019-09-16 10:11:12.5", 1);
    const date = run(cast(S.CastTimeAsTime, DATE, constTime(t, DATETIME(1)))).value as Time;
    expect(String(date)).toBe("2019-09-16");
    expect(date.type).toBe(TimeType.Date);
    expect(String(run(cast(S.CastTimeAsTime, DATETIME(0), constTime(t, DATETIME(1)))).value)).toBe(
      "2019-09-16 10:11:13",
    );
    expect(codeOf(() => run(cast(S.CastTimeAsTime, TIMESTAMP(0), constTime(t, DATETIME(1)))))).toBe(
      ERR_UNKNOWN,
    );
  });

  describe("with TiKV's test clock (2020-02-02)", () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date("2020-02-02T15:16:17Z"));
    });

    // test_cast_duration_as_time
    it.each([
      ["11:30:45.123456", "2020-02-02 11:30:45.123456"],
      ["-35:30:46", "2020-01-31 12:29:14.000000"],
      ["25:59:59.999999", "2020-02-03 01:59:59.999999"],
    ])("test_cast_duration_as_time: %s → %s", (input, want) => {
      const r = run(cast(S.CastDurationAsTime, DATETIME(6), constDuration(dur(input, 6))));
      expect(String(r.value)).toBe(want);
    });

    it("duration → time rounds to the result's fsp; a DATE result keeps only the date", () => {
      expect(
        String(run(cast(S.CastDurationAsTime, DATETIME(0), constDuration(dur("11:30:45.5", 6)))).value),
      ).toBe("2020-02-02 11:30:46");
      expect(String(run(cast(S.CastDurationAsTime, DATE, constDuration(dur("-01:00:00", 0)))).value)).toBe(
        "2020-02-01",
      );
    });

    it("json time → datetime is today plus it", () => {
      const j = constJson(Json.time(dur("-01:00:00.5", 1).nanos, 1));
      expect(String(run(cast(S.CastJsonAsTime, DATETIME(1), j)).value)).toBe("2020-02-01 22:59:59.5");
    });
  });

  // test_json_as_time
  it("test_json_as_time", () => {
    const ctx = new EvalContext();
    const dt = Time.parse(ctx, "2019-09-16 10:11:12", TimeType.DateTime, 0, false);
    const ts = Time.parse(ctx, "2019-09-16 10:11:12.111", TimeType.Timestamp, 3, false);
    const cases: [JsonValue, string, FieldType, TimeType][] = [
      [Json.datetime(dt.toCoreU64()), "2019-09-16 10:11:12", DATETIME(0), TimeType.DateTime],
      [Json.timestamp(ts.toCoreU64()), "2019-09-16 10:11:12.111", TIMESTAMP(3), TimeType.Timestamp],
      [Json.string("2019-09-16 10:11:12"), "2019-09-16 10:11:12", DATETIME(0), TimeType.DateTime],
      [Json.string("2019-09-16 10:11:12.1111"), "2019-09-16 10:11:12.1111", DATETIME(4), TimeType.DateTime],
    ];
    for (const [input, want, ret, type] of cases) {
      const r = run(cast(S.CastJsonAsTime, ret, constJson(input)));
      expect(String(r.value), want).toBe(want);
      expect((r.value as Time).type).toBe(type);
    }
  });

  it("json → time: a JSON datetime keeps its fraction; a JSON string is unquoted first", () => {
    const t = datetime("2019-09-16 10:11:12.123456", 6);
    expect(
      String(run(cast(S.CastJsonAsTime, DATETIME(0), constJson(Json.datetime(t.toCoreU64())))).value),
    ).toBe("2019-09-16 10:11:12.123456");
    expect(String(run(cast(S.CastJsonAsTime, DATE, constJson(Json.datetime(t.toCoreU64())))).value)).toBe(
      "2019-09-16",
    );
    expect(
      String(run(cast(S.CastJsonAsTime, DATETIME(0), constJson(Json.string("2019\\u002d09-16")))).value),
    ).toBe("2019-09-16 00:00:00");
  });

  it("json → time: others are a DURATION truncation (NULL), a bad string NULL via ctx", () => {
    const num = cast(S.CastJsonAsTime, DATETIME(), constJson(Json.i64(10n)));
    expect(run(num, { truncateAsWarning: true })).toEqual({
      value: null,
      warnings: [ERR_TRUNCATE_WRONG_VALUE],
    });
    expect(() => run(num)).toThrow("Truncated incorrect DURATION value: '10'");
    const bad = cast(S.CastJsonAsTime, DATETIME(), constJson(Json.string("not a date")));
    expect(run(bad, { truncateAsWarning: true })).toEqual({
      value: null,
      warnings: [ERR_TRUNCATE_WRONG_VALUE],
    });
    expect(codeOf(() => run(bad))).toBe(ERR_TRUNCATE_WRONG_VALUE);
    // A JSON datetime cannot become a TIMESTAMP (set_time_type).
    const dt = constJson(Json.datetime(datetime("2019-09-16 10:11:12", 0).toCoreU64()));
    expect(codeOf(() => run(cast(S.CastJsonAsTime, TIMESTAMP(0), dt)))).toBe(ERR_UNKNOWN);
  });
});

// ---------------------------------------------------------------------------------------------

describe("to TIME", () => {
  // test_int_as_duration: (input, fsp, expect, overflow, truncated)
  it.each([
    [101010n, 0, "10:10:10", false, false],
    [101010n, 5, "10:10:10.00000", false, false],
    [8385959n, 0, "838:59:59", false, false],
    [8385959n, 6, "838:59:59.000000", false, false],
    [-101010n, 0, "-10:10:10", false, false],
    [-101010n, 5, "-10:10:10.00000", false, false],
    [-8385959n, 0, "-838:59:59", false, false],
    [-8385959n, 6, "-838:59:59.000000", false, false],
    [8385960n, 0, null, true, false],
    [-8385960n, 0, null, true, false],
    [8376049n, 0, null, false, true],
    [8375960n, 0, null, false, true],
    [-8376049n, 0, null, false, true],
    [2002073n, 0, null, false, true],
    [2007320n, 0, null, false, true],
    [-2002073n, 0, null, false, true],
    [-2007320n, 0, null, false, true],
    [10000000000n, 0, "00:00:00", false, false],
    [10000235959n, 0, "23:59:59", false, false],
    [-10000235959n, 0, null, true, false],
  ])("test_int_as_duration: %s (fsp %d) → %s", (input, fsp, want, overflow, truncated) => {
    const r = run(cast(S.CastIntAsDuration, DUR(fsp), constInt(input)), {
      overflowAsWarning: true,
      truncateAsWarning: true,
    });
    expect(r.value === null ? null : String(r.value)).toBe(want);
    const warnings: number[] = [];
    if (overflow) warnings.push(ERR_DATA_OUT_OF_RANGE);
    if (truncated) warnings.push(ERR_TRUNCATE_WRONG_VALUE);
    expect(r.warnings).toEqual(warnings);
  });

  it("int → time: overflow and truncation are errors without the warning flags", () => {
    expect(codeOf(() => run(cast(S.CastIntAsDuration, DUR(0), constInt(8385960n))))).toBe(
      ERR_DATA_OUT_OF_RANGE,
    );
    expect(codeOf(() => run(cast(S.CastIntAsDuration, DUR(0), constInt(2002073n))))).toBe(
      ERR_TRUNCATE_WRONG_VALUE,
    );
  });

  it("int → time reads an UNSIGNED value's bits as i64, as TiKV", () => {
    const r = run(cast(S.CastIntAsDuration, DUR(0), constInt(U64_MAX, LONGLONG_UNSIGNED)));
    expect(String(r.value)).toBe("-00:00:01");
  });

  /**
   * TiKV's `test_as_duration_helper`: for every result fsp, the cast equals parsing the value's
   * text as a TIME; a parse failure is NULL with a 1292 warning.
   */
  function checkLikeParse(makeExpr: (ret: FieldType) => Expr, text: string) {
    for (let fsp = 0; fsp <= 6; fsp++) {
      const r = run(makeExpr(DUR(fsp)), { overflowAsWarning: true, truncateAsWarning: true });
      let want: Duration | null = null;
      try {
        want = Duration.parse(context({ overflowAsWarning: true, truncateAsWarning: true }), text, fsp);
      } catch (e) {
        expect((e as { code: number }).code).toBe(ERR_TRUNCATE_WRONG_VALUE);
      }
      if (want === null) {
        expect(r, `${text} fsp ${fsp}`).toEqual({ value: null, warnings: [ERR_TRUNCATE_WRONG_VALUE] });
      } else {
        expect(String(r.value), `${text} fsp ${fsp}`).toBe(String(want));
      }
    }
  }

  /** TiKV's `test_as_duration_overflow_helper` with expect_max false: NULL, never an error. */
  function checkOverflowIsNull(makeExpr: (ret: FieldType) => Expr) {
    for (let fsp = 0; fsp <= 6; fsp++) {
      expect(run(makeExpr(DUR(fsp)), { overflowAsWarning: true, truncateAsWarning: true }).value).toBeNull();
    }
  }

  // test_real_as_duration
  it.each([101112.0, 101112.123456, 1112.0, 12.0, -0.123, 12345.0, -123.0, -23.0])(
    "test_real_as_duration: %s",
    (v) => {
      checkLikeParse((ret) => cast(S.CastRealAsDuration, ret, constReal(v)), rustF64String(v));
    },
  );

  it.each([99999999.0, 9995959.0, -9995959.0])("test_real_as_duration overflow: %s is NULL", (v) => {
    checkOverflowIsNull((ret) => cast(S.CastRealAsDuration, ret, constReal(v)));
  });

  // test_decimal_as_duration
  it.each([
    Decimal.fromI64(I64_MIN),
    Decimal.fromI64(I64_MAX),
    Decimal.fromU64(U64_MAX),
    Decimal.ZERO,
    d("-9223372036854775808"),
    d("9223372036854775808"),
    d("-9223372036854775809"),
    d("9223372036854775809"),
    d("-18446744073709551615"),
    d("18446744073709551615"),
    d("-18446744073709551616"),
    d("18446744073709551616"),
    d("-184467440737095516160"),
    d("184467440737095516160"),
    d("-99999999999999999999999999999999"),
    d("99999999999999999999999999999999"),
    d("101112.123456"),
    d("-1112.5"),
  ])("test_decimal_as_duration: %s", (v) => {
    checkLikeParse((ret) => cast(S.CastDecimalAsDuration, ret, constDecimal(v)), v.toString());
  });

  it.each(["9995959", "-9995959"])("test_decimal_as_duration overflow: %s is NULL", (v) => {
    checkOverflowIsNull((ret) => cast(S.CastDecimalAsDuration, ret, constDecimal(d(v))));
  });

  // test_time_as_duration: (input, input's fsp, output's fsp, output)
  it.each([
    ["2012-12-31 11:30:45.123456", 4, 0, "11:30:45"],
    ["2012-12-31 11:30:45.123456", 4, 1, "11:30:45.1"],
    ["2012-12-31 11:30:45.123456", 4, 2, "11:30:45.12"],
    ["2012-12-31 11:30:45.123456", 4, 3, "11:30:45.124"],
    ["2012-12-31 11:30:45.123456", 4, 4, "11:30:45.1235"],
    ["2012-12-31 11:30:45.123456", 4, 5, "11:30:45.12350"],
    ["2012-12-31 11:30:45.123456", 4, 6, "11:30:45.123500"],
    ["2012-12-31 11:30:45.123456", 6, 0, "11:30:45"],
    ["2012-12-31 11:30:45.123456", 6, 1, "11:30:45.1"],
    ["2012-12-31 11:30:45.123456", 6, 2, "11:30:45.12"],
    ["2012-12-31 11:30:45.123456", 6, 3, "11:30:45.123"],
    ["2012-12-31 11:30:45.123456", 6, 4, "11:30:45.1235"],
    ["2012-12-31 11:30:45.123456", 6, 5, "11:30:45.12346"],
    ["2012-12-31 11:30:45.123456", 6, 6, "11:30:45.123456"],
    ["2012-12-31 11:30:45.123456", 0, 0, "11:30:45"],
    ["2012-12-31 11:30:45.123456", 0, 1, "11:30:45.0"],
    ["2012-12-31 11:30:45.123456", 0, 2, "11:30:45.00"],
    ["2012-12-31 11:30:45.123456", 0, 3, "11:30:45.000"],
    ["2012-12-31 11:30:45.123456", 0, 4, "11:30:45.0000"],
    ["2012-12-31 11:30:45.123456", 0, 5, "11:30:45.00000"],
    ["2012-12-31 11:30:45.123456", 0, 6, "11:30:45.000000"],
    ["0000-00-00 00:00:00", 6, 0, "00:00:00"],
    ["0000-00-00 00:00:00", 6, 1, "00:00:00.0"],
    ["0000-00-00 00:00:00", 6, 2, "00:00:00.00"],
    ["0000-00-00 00:00:00", 6, 3, "00:00:00.000"],
    ["0000-00-00 00:00:00", 6, 4, "00:00:00.0000"],
    ["0000-00-00 00:00:00", 6, 5, "00:00:00.00000"],
    ["0000-00-00 00:00:00", 6, 6, "00:00:00.000000"],
  ])("test_time_as_duration: %s (fsp %d) → fsp %d: %s", (input, fsp, outFsp, want) => {
    const r = run(cast(S.CastTimeAsDuration, DUR(outFsp), constTime(datetime(input, fsp), DATETIME(fsp))));
    expect(String(r.value)).toBe(want);
    expect((r.value as Duration).fsp).toBe(outFsp);
  });

  it("a DATE's time is 00:00:00", () => {
    const t = Time.parseDate(new EvalContext(), "2012-12-31");
    expect(String(run(cast(S.CastTimeAsDuration, DUR(2), constTime(t, DATE))).value)).toBe("00:00:00.00");
  });

  // test_duration_as_duration
  it.each([
    ["11:30:45.123456", 0, "11:30:45"],
    ["11:30:45.123456", 1, "11:30:45.1"],
    ["11:30:45.123456", 2, "11:30:45.12"],
    ["11:30:45.123456", 3, "11:30:45.123"],
    ["11:30:45.123456", 4, "11:30:45.1235"],
    ["11:30:45.123456", 5, "11:30:45.12346"],
    ["11:30:45.123456", 6, "11:30:45.123456"],
  ])("test_duration_as_duration: %s → fsp %d: %s", (input, fsp, want) => {
    expect(String(run(cast(S.CastDurationAsDuration, DUR(fsp), constDuration(dur(input, 6)))).value)).toBe(
      want,
    );
  });

  // test_json_as_duration
  it.each<[string, JsonValue]>([
    ["{}", Json.object({})],
    ["[]", Json.array([])],
    ["10.0", Json.string("10.0")],
    ["48 nines", Json.string("9".repeat(48))],
    ["-48 nines", Json.string(`-${"9".repeat(48)}`)],
    ["nines + letters", Json.string(`${"9".repeat(47)}aabcde9`)],
    ["-nines + letters", Json.string(`-${"9".repeat(47)}aabcde9`)],
    ["true", Json.bool(true)],
    ["false", Json.bool(false)],
    ["null", Json.null()],
  ])("test_json_as_duration: %s", (_name, j) => {
    const text = j.kind === "string" ? j.value : jsonToString(j);
    checkLikeParse((ret) => cast(S.CastJsonAsDuration, ret, constJson(j)), text);
  });

  it("test_json_as_duration: a JSON time is returned as it is", () => {
    const t = dur("12:13:14", 0);
    for (let fsp = 0; fsp <= 6; fsp++) {
      const r = run(cast(S.CastJsonAsDuration, DUR(fsp), constJson(Json.time(t.nanos, t.fsp))));
      expect((r.value as Duration).nanos).toBe(t.nanos);
    }
  });

  it("json → time: a JSON datetime gives its time of day, rounded to the result's fsp", () => {
    const t = datetime("2019-09-16 10:11:12.123456", 6);
    const r = run(cast(S.CastJsonAsDuration, DUR(3), constJson(Json.datetime(t.toCoreU64()))));
    expect(String(r.value)).toBe("10:11:12.123");
  });

  // test_json_as_duration_truncate_wrong_value
  it.each([
    Json.i64(10n),
    Json.i64(I64_MAX),
    Json.i64(I64_MIN),
    Json.u64(0n),
    Json.u64(U64_MAX),
    Json.double(10.5),
    Json.double(10.4),
    Json.double(-10.4),
    Json.double(-10.5),
    Json.double(2 ** 63),
    Json.double(-(2 ** 63)),
    Json.double(2 ** 63 + 2 ** 62),
    Json.double(-(2 ** 63 + 2 ** 62)),
    Json.double(-F32_MAX),
    Json.double(F32_MAX),
    Json.double(F64_MAX),
  ])("test_json_as_duration_truncate_wrong_value: %o", (j) => {
    for (let fsp = 0; fsp < 6; fsp++) {
      const r = run(cast(S.CastJsonAsDuration, DUR(fsp), constJson(j)), {
        overflowAsWarning: true,
        truncateAsWarning: true,
      });
      expect(r).toEqual({ value: null, warnings: [ERR_TRUNCATE_WRONG_VALUE] });
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe("TIME and DATETIME to numbers", () => {
  // test_time_as_real (float literals as text: JS reads them to the same doubles as Rust)
  it.each([
    [6, Number("20000101121314.6666")],
    [0, 20000101121315.0],
    [3, Number("20000101121314.667")],
    [4, Number("20000101121314.6666")],
  ])("test_time_as_real: 2000-01-01T12:13:14.6666 at fsp %d → %s", (fsp, want) => {
    const t = datetime("2000-01-01T12:13:14.6666", fsp);
    expect(run(cast(S.CastTimeAsReal, DOUBLE, constTime(t, DATETIME(fsp)))).value).toBe(want);
  });

  it("time → real: the zero date is 0, a DATE is YYYYMMDD", () => {
    expect(run(cast(S.CastTimeAsReal, DOUBLE, constTime(datetime("0000-00-00", 0), DATETIME(0)))).value).toBe(
      0,
    );
    const date = Time.parseDate(new EvalContext(), "2019-09-16");
    expect(run(cast(S.CastTimeAsReal, DOUBLE, constTime(date, DATE))).value).toBe(20190916);
  });

  // test_time_as_decimal
  it.each([
    ["2000-01-01T12:13:14", 0, false, "20000101121314"],
    ["2000-01-01T12:13:14.6666", 0, true, "20000101121315"],
  ])("test_time_as_decimal: %s (fsp %d) → %s", (input, fsp, round, want) => {
    const t = datetime(input, fsp, round);
    const v = run(cast(S.CastTimeAsDecimal, DECIMAL, constTime(t, DATETIME(fsp)))).value as Decimal;
    expect(v.toString()).toBe(want);
  });

  it("time → decimal is fitted to DECIMAL(flen, decimal) (produce_dec_with_specified_tp)", () => {
    const t = datetime("2000-01-01T12:13:14.6666", 4);
    const ret = fieldType(FieldTypeTp.NewDecimal, { flen: 20, decimal: 2 });
    const r = run(cast(S.CastTimeAsDecimal, ret, constTime(t, DATETIME(4))), { truncateAsWarning: true });
    expect((r.value as Decimal).toString()).toBe("20000101121314.67");
    expect(r.warnings).toEqual([WARN_DATA_TRUNCATED]);
    const small = fieldType(FieldTypeTp.NewDecimal, { flen: 8, decimal: 0 });
    const o = run(cast(S.CastTimeAsDecimal, small, constTime(t, DATETIME(4))), { overflowAsWarning: true });
    expect((o.value as Decimal).toString()).toBe("99999999");
    expect(o.warnings).toEqual([ERR_DATA_OUT_OF_RANGE]);
    expect(
      run(cast(S.CastTimeAsDecimal, DECIMAL, constTime(datetime("0000-00-00", 0), DATETIME(0)))).value,
    ).toEqual(Decimal.ZERO);
  });

  // test_duration_as_int: (input, input fsp, result)
  it.each([
    ["17:51:04.78", 2, 175105n],
    ["-17:51:04.78", 2, -175105n],
    ["17:51:04.78", 0, 175105n],
    ["-17:51:04.78", 0, -175105n],
  ])("test_duration_as_int: %s (fsp %d) → %s", (input, fsp, want) => {
    const r = runDuration(S.CastDurationAsInt, LONGLONG, dur(input, fsp), { overflowAsWarning: true });
    expect(r).toEqual({ value: want, warnings: [] });
  });

  it("duration → UNSIGNED keeps the signed bits (TiKV maps it to cast_any_as_any<Duration, Int>)", () => {
    const neg = dur("-17:51:04.78", 2);
    expect(runDuration(S.CastDurationAsInt, LONGLONG_UNSIGNED, neg)).toEqual({
      value: BigInt.asUintN(64, -175105n),
      warnings: [],
    });
    expect(runDuration(S.CastDurationAsInt, LONGLONG_UNSIGNED, dur("838:59:59", 0)).value).toBe(8385959n);
  });

  // test_duration_as_real
  it.each([
    ["17:51:04.78", 2, 175104.78],
    ["-17:51:04.78", 2, -175104.78],
    ["17:51:04.78", 0, 175105.0],
    ["-17:51:04.78", 0, -175105.0],
  ])("test_duration_as_real: %s (fsp %d) → %s", (input, fsp, want) => {
    expect(runDuration(S.CastDurationAsReal, DOUBLE, dur(input, fsp)).value).toBe(want);
  });

  // test_duration_as_decimal
  it.each([
    ["17:51:04.78", 2, "175104.78"],
    ["-17:51:04.78", 2, "-175104.78"],
    ["17:51:04.78", 0, "175105"],
    ["-17:51:04.78", 0, "-175105"],
  ])("test_duration_as_decimal: %s (fsp %d) → %s", (input, fsp, want) => {
    const v = runDuration(S.CastDurationAsDecimal, DECIMAL, dur(input, fsp)).value as Decimal;
    expect(v.toString()).toBe(want);
    expect(v.compare(d(want))).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe("JSON to numbers", () => {
  // test_json_as_int: (input, expect, overflow, truncate), OverflowAsWarning + TruncateAsWarning
  it.each<[JsonValue, bigint, boolean, boolean]>([
    [Json.object({}), 0n, false, true],
    [Json.array([]), 0n, false, true],
    [Json.i64(10n), 10n, false, false],
    [Json.i64(I64_MAX), I64_MAX, false, false],
    [Json.i64(I64_MIN), I64_MIN, false, false],
    [Json.u64(0n), 0n, false, false],
    [Json.u64(U64_MAX), -1n, false, false],
    [Json.double(2 ** 63), I64_MAX, false, false],
    [Json.double(-(2 ** 63)), I64_MIN, false, false],
    [Json.double(10.5), 10n, false, false],
    [Json.double(10.4), 10n, false, false],
    [Json.double(-10.4), -10n, false, false],
    [Json.double(-10.5), -10n, false, false],
    [Json.string("10.0"), 10n, false, false],
    [Json.bool(true), 1n, false, false],
    [Json.bool(false), 0n, false, false],
    [Json.null(), 0n, false, false],
    [Json.double(2 ** 63 + 2 ** 62), I64_MAX, true, false],
    [Json.double(-(2 ** 63 + 2 ** 62)), I64_MIN, true, false],
  ])("test_json_as_int: %o → %s", (j, want, overflow, truncate) => {
    const r = run(cast(S.CastJsonAsInt, LONGLONG, constJson(j)), {
      overflowAsWarning: true,
      truncateAsWarning: true,
    });
    expect(r.value).toBe(want);
    const warnings: number[] = [];
    if (overflow) warnings.push(ERR_DATA_OUT_OF_RANGE);
    if (truncate) warnings.push(ERR_TRUNCATE_WRONG_VALUE);
    expect(r.warnings).toEqual(warnings);
  });

  it("json → int: an object is an error without TruncateAsWarning", () => {
    expect(() => run(cast(S.CastJsonAsInt, LONGLONG, constJson(Json.object({ a: Json.i64(1n) }))))).toThrow(
      `Truncated incorrect Integer value: '{"a": 1}'`,
    );
  });

  // StrToInt (convert.rs get_valid_int_prefix / float_str_to_int_string): a JSON string is read
  // as a float and rounded half away from zero, unlike CAST(string AS SIGNED).
  it.each<[string, bigint, number[]]>([
    ["4.5", 5n, []],
    ["-4.5", -5n, []],
    ["-0.4", 0n, []],
    ["  12  ", 12n, []],
    ["1e3", 1000n, []],
    ["1.5e1", 15n, []],
    ["1.55e1", 16n, []],
    ["-1.5e-1", 0n, []],
    ["5e-1", 1n, []],
    ["-5e-1", -1n, []],
    ["99.99", 100n, []],
    ["12abc", 12n, [ERR_TRUNCATE_WRONG_VALUE]],
    ["abc", 0n, [ERR_TRUNCATE_WRONG_VALUE]],
    ["", 0n, [ERR_TRUNCATE_WRONG_VALUE]],
    ["9223372036854775808", I64_MAX, [ERR_DATA_OUT_OF_RANGE]],
    ["-9223372036854775809", I64_MIN, [ERR_DATA_OUT_OF_RANGE]],
    ["1e30", I64_MAX, [ERR_DATA_OUT_OF_RANGE, ERR_DATA_OUT_OF_RANGE]],
  ])("json string → int: %j → %s", (text, want, warnings) => {
    const r = run(cast(S.CastJsonAsInt, LONGLONG, constJson(Json.string(text))), {
      overflowAsWarning: true,
      truncateAsWarning: true,
    });
    expect(r).toEqual({ value: want, warnings });
  });

  // test_json_as_uint, no clip to zero: (input, expect, warning codes)
  it.each<[JsonValue, bigint, number[]]>([
    [Json.double(-1.0), U64_MAX, [ERR_DATA_OUT_OF_RANGE]],
    [Json.string("10"), 10n, []],
    [Json.string("+10abc"), 10n, [ERR_TRUNCATE_WRONG_VALUE]],
    [Json.string("9999999999999999999999999"), U64_MAX, [ERR_DATA_OUT_OF_RANGE]],
    [Json.double(2 * 2 ** 64), U64_MAX, [ERR_DATA_OUT_OF_RANGE]],
    [Json.i64(-1n), U64_MAX, []],
    [Json.u64(U64_MAX), U64_MAX, []],
  ])("test_json_as_uint: %o → %s", (j, want, warnings) => {
    const r = run(cast(S.CastJsonAsInt, LONGLONG_UNSIGNED, constJson(j)), {
      overflowAsWarning: true,
      truncateAsWarning: true,
    });
    expect(r).toEqual({ value: want, warnings });
  });

  // test_json_as_uint, should clip to zero (INSERT)
  it.each<[JsonValue, bigint, number[]]>([
    [Json.double(-1.0), 0n, [ERR_DATA_OUT_OF_RANGE]],
    [Json.string("-10"), 0n, [ERR_DATA_OUT_OF_RANGE]],
    [Json.string("10"), 10n, []],
    [Json.string("+10abc"), 10n, [ERR_TRUNCATE_WRONG_VALUE]],
    [Json.string("9999999999999999999999999"), U64_MAX, [ERR_DATA_OUT_OF_RANGE]],
    [Json.double(2 * 2 ** 64), U64_MAX, [ERR_DATA_OUT_OF_RANGE]],
  ])("test_json_as_uint, clip to zero: %o → %s", (j, want, warnings) => {
    const r = run(cast(S.CastJsonAsInt, LONGLONG_UNSIGNED, constJson(j)), {
      overflowAsWarning: true,
      truncateAsWarning: true,
      inInsert: true,
    });
    expect(r).toEqual({ value: want, warnings });
  });

  // test_json_as_real: (input, expect, warning codes), TruncateAsWarning
  it.each<[JsonValue, number, number[]]>([
    [Json.object({}), 0, [ERR_TRUNCATE_WRONG_VALUE]],
    [Json.array([]), 0, [ERR_TRUNCATE_WRONG_VALUE]],
    [Json.i64(10n), 10, []],
    [Json.i64(I64_MAX), Number(I64_MAX), []],
    [Json.i64(I64_MIN), Number(I64_MIN), []],
    [Json.u64(0n), 0, []],
    [Json.u64(U64_MAX), Number(U64_MAX), []],
    [Json.double(F64_MAX), F64_MAX, []],
    [Json.double(-F64_MAX), -F64_MAX, []],
    [Json.string("10.0"), 10, []],
    [Json.string("-10.0"), -10, []],
    [Json.bool(true), 1, []],
    [Json.bool(false), 0, []],
    [Json.null(), 0, []],
    [Json.string("9".repeat(500)), F64_MAX, [ERR_TRUNCATE_WRONG_VALUE]],
    [Json.string(`-${"9".repeat(499)}`), -F64_MAX, [ERR_TRUNCATE_WRONG_VALUE]],
  ])("test_json_as_real: %o → %s", (j, want, warnings) => {
    const r = run(cast(S.CastJsonAsReal, DOUBLE, constJson(j)), { truncateAsWarning: true });
    expect(r).toEqual({ value: want, warnings });
  });

  // test_cast_to_real (json/mod.rs)
  it('json → real: a non-numeric string is 0 with a truncation ("hello")', () => {
    expect(
      run(cast(S.CastJsonAsReal, DOUBLE, constJson(Json.string("hello"))), { truncateAsWarning: true }),
    ).toEqual({
      value: 0,
      warnings: [ERR_TRUNCATE_WRONG_VALUE],
    });
    expect(run(cast(S.CastJsonAsReal, DOUBLE, constJson(Json.string("1234")))).value).toBe(1234);
  });

  // test_json_as_decimal
  it.each<[JsonValue, Decimal]>([
    [Json.i64(10n), Decimal.fromF64(10)],
    [Json.i64(I64_MAX), Decimal.fromF64(Number(I64_MAX))],
    [Json.i64(I64_MIN), Decimal.fromF64(Number(I64_MIN))],
    [Json.u64(0n), Decimal.ZERO],
    [Json.u64(I64_MAX), Decimal.fromF64(Number(I64_MAX))],
    [Json.u64(U64_MAX), Decimal.fromF64(Number(U64_MAX))],
    [Json.double(Number(I64_MAX)), Decimal.fromF64(Number(I64_MAX))],
    [Json.double(Number(I64_MIN)), Decimal.fromF64(Number(I64_MIN))],
    [Json.double(Number(U64_MAX)), Decimal.fromF64(Number(U64_MAX))],
    [Json.string("10.0"), d("10.0")],
    [Json.string("-10.0"), d("-10.0")],
    [Json.string("9999999999999999999"), d("9999999999999999999")],
    [Json.string("-9999999999999999999"), d("-9999999999999999999")],
    [Json.bool(true), Decimal.fromF64(1)],
    [Json.bool(false), Decimal.ZERO],
    [Json.null(), Decimal.ZERO],
  ])("test_json_as_decimal: %o → %s", (j, want) => {
    const r = run(cast(S.CastJsonAsDecimal, DECIMAL, constJson(j)));
    expect((r.value as Decimal).compare(want)).toBe(0);
    expect(r.warnings).toEqual([]);
  });

  // test_truncate_when_cast_json_object_or_array_as_decimal
  it.each([Json.object({}), Json.array([])])(
    "test_truncate_when_cast_json_object_or_array_as_decimal: %o",
    (j) => {
      const r = run(cast(S.CastJsonAsDecimal, DECIMAL, constJson(j)), { truncateAsWarning: true });
      expect((r.value as Decimal).isZero()).toBe(true);
      expect(r.warnings).toEqual([ERR_TRUNCATE_WRONG_VALUE]);
    },
  );

  it("json string → decimal is parsed strictly: a bad string is 0 through the truncation handler", () => {
    const r = run(cast(S.CastJsonAsDecimal, DECIMAL, constJson(Json.string("12abc"))), {
      truncateAsWarning: true,
    });
    expect((r.value as Decimal).isZero()).toBe(true);
    expect(r.warnings).toEqual([ERR_UNKNOWN]);
    const ret = fieldType(FieldTypeTp.NewDecimal, { flen: 5, decimal: 1 });
    const fitted = run(cast(S.CastJsonAsDecimal, ret, constJson(Json.double(12.25))), {
      truncateAsWarning: true,
    });
    expect((fitted.value as Decimal).toString()).toBe("12.3");
  });

  it("works over a JSON column with NULLs", () => {
    const col = ChunkedVecJson.fromValues([
      encodeJsonBinary(Json.i64(7n)),
      null,
      encodeJsonBinary(Json.string("-3")),
    ]);
    const e = cast(S.CastJsonAsInt, LONGLONG, columnRef(0, JSON_FT));
    expect(evalRows(e, [JSON_FT], [col])).toEqual([7n, null, -3n]);
  });
});

// ---------------------------------------------------------------------------------------------

describe("to JSON", () => {
  const bytesOf = (j: JsonValue) => encodeJsonBinary(j);

  // test_int_as_json
  it.each([I64_MIN, 0n, I64_MAX])("test_int_as_json: %s", (v) => {
    expect(run(cast(S.CastIntAsJson, JSON_FT, constInt(v))).value).toEqual(bytesOf(Json.i64(v)));
  });

  // test_uint_as_json
  it.each([U64_MAX, 0n, I64_MAX])("test_uint_as_json: %s", (v) => {
    expect(run(cast(S.CastIntAsJson, JSON_FT, constInt(v, LONGLONG_UNSIGNED))).value).toEqual(
      bytesOf(Json.u64(v)),
    );
  });

  // test_bool_as_json
  it.each([
    [0n, false],
    [I64_MIN, true],
    [I64_MAX, true],
  ])("test_bool_as_json: %s → %s", (v, want) => {
    const bool = fieldType(FieldTypeTp.Tiny, { flag: FieldTypeFlag.IsBoolean });
    expect(run(cast(S.CastIntAsJson, JSON_FT, constInt(v, bool))).value).toEqual(bytesOf(Json.bool(want)));
  });

  // test_real_as_json
  it.each([F32_MAX, -F32_MAX, F64_MAX, -F64_MAX])("test_real_as_json: %s", (v) => {
    expect(run(cast(S.CastRealAsJson, JSON_FT, constReal(v))).value).toEqual(bytesOf(Json.double(v)));
  });

  // test_decimal_as_json
  it.each([
    [Decimal.fromF64(Number(I64_MIN)), Number(I64_MIN)],
    [Decimal.fromF64(Number(I64_MAX)), Number(I64_MAX)],
    [d("184467440737095516160"), Number("184467440737095516160")],
    [d("-184467440737095516160"), Number("-184467440737095516160")],
    [d("1111.11"), 1111.11],
  ])("test_decimal_as_json: %s", (v, want) => {
    const out = run(cast(S.CastDecimalAsJson, JSON_FT, constDecimal(v))).value;
    expect(out).toEqual(bytesOf(Json.double(want)));
  });

  // test_time_as_json
  it.each([
    ["2000-01-01T12:13:14", 0],
    ["2000-01-01T12:13:14.6666", 0],
    ["2000-01-01T12:13:14", 6],
    ["2000-01-01T12:13:14.6666", 6],
    ["2019-09-01", 0],
    ["2019-09-01", 6],
  ])("test_time_as_json: %s (fsp %d)", (input, fsp) => {
    const t = datetime(input, fsp);
    expect(t.type).toBe(TimeType.DateTime);
    const out = run(cast(S.CastTimeAsJson, JSON_FT, constTime(t, DATETIME(fsp)))).value;
    expect(out).toEqual(bytesOf(Json.datetime(t.toCoreU64())));
  });

  it("time → json keeps the type: DATE, TIMESTAMP; shown with six fraction digits", () => {
    const date = Time.parseDate(new EvalContext(), "2019-09-16");
    const j = run(cast(S.CastTimeAsJson, JSON_FT, constTime(date, DATE))).value;
    expect(decodeJsonBinary(j as Uint8Array).kind).toBe("date");
    expect(showJson(j)).toBe('"2019-09-16"');
    const ts = Time.parseTimestamp(new EvalContext(), "2019-09-16 10:11:12.5", 1, true);
    const tj = run(cast(S.CastTimeAsJson, JSON_FT, constTime(ts, TIMESTAMP(1)))).value;
    expect(decodeJsonBinary(tj as Uint8Array).kind).toBe("timestamp");
    expect(showJson(tj)).toBe('"2019-09-16 10:11:12.500000"');
  });

  // test_duration_as_json
  it.each([
    ["00:00:00", 0],
    ["10:10:10", 0],
    ["-10:10:10.25", 2],
  ])("test_duration_as_json: %s (fsp %d)", (input, fsp) => {
    const v = dur(input, fsp);
    expect(runDuration(S.CastDurationAsJson, JSON_FT, v).value).toEqual(bytesOf(Json.time(v.nanos, fsp)));
  });

  // test_json_as_json
  it.each([
    Json.object({ a: Json.string("b") }),
    Json.array([Json.i64(1n), Json.i64(3n), Json.i64(4n)]),
    Json.i64(I64_MIN),
    Json.i64(I64_MAX),
    Json.u64(0n),
    Json.u64(U64_MAX),
    Json.double(-F64_MAX),
    Json.double(F64_MAX),
    Json.string("abcde"),
    Json.bool(true),
    Json.bool(false),
    Json.null(),
  ])("test_json_as_json: %o", (j) => {
    expect(run(cast(S.CastJsonAsJson, JSON_FT, constJson(j))).value).toEqual(bytesOf(j));
  });
});

// ---------------------------------------------------------------------------------------------

describe("unquoteJsonString (json_unquote.rs test_json_unquote)", () => {
  it.each([
    ["\\b", "\x08"],
    ["\\f", "\x0C"],
    ["\\n", "\x0A"],
    ["\\r", "\x0D"],
    ["\\t", "\x09"],
    ["\\\\", "\x5c"],
    ['\\"', '"'],
    ["\\u597d", "好"],
    ["0\\u597d0", "0好0"],
    ["\\a", "a"],
    ["[", "["],
  ])("%j → %j", (input, want) => {
    expect(unquoteJsonString(input)).toBe(want);
  });

  it.each(["\\", "\\u59", "\\ud800", "\\u00好x"])("%j is an error", (input) => {
    expect(codeOf(() => unquoteJsonString(input))).toBe(ERR_UNKNOWN);
  });

  it("a bad escape in a JSON string cast to TIME is an error, not a warning", () => {
    const e = cast(S.CastJsonAsDuration, DUR(0), constJson(Json.string("10:00\\")));
    expect(codeOf(() => run(e, { truncateAsWarning: true }))).toBe(ERR_UNKNOWN);
  });
});

// ---------------------------------------------------------------------------------------------

describe("properties", () => {
  const durations = fc
    .tuple(fc.integer({ min: -3_020_399_000_000, max: 3_020_399_000_000 }), fc.integer({ min: 0, max: 6 }))
    .map(([micros, fsp]) => Duration.fromMicros(micros, fsp));

  it("int → json → int round-trips", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: I64_MIN, max: I64_MAX }), (v) => {
        const j = run(cast(S.CastIntAsJson, JSON_FT, constInt(v))).value as Uint8Array;
        expect(run(cast(S.CastJsonAsInt, LONGLONG, constJson(decodeJsonBinary(j)))).value).toBe(v);
      }),
    );
  });

  it("duration → json → duration round-trips", () => {
    fc.assert(
      fc.property(durations, (v) => {
        const j = runDuration(S.CastDurationAsJson, JSON_FT, v).value as Uint8Array;
        const back = run(cast(S.CastJsonAsDuration, DUR(v.fsp), constJson(decodeJsonBinary(j))))
          .value as Duration;
        expect(back.nanos).toBe(v.nanos);
      }),
    );
  });

  it("duration → decimal → duration round-trips", () => {
    fc.assert(
      fc.property(durations, (v) => {
        const dec = runDuration(S.CastDurationAsDecimal, DECIMAL, v).value as Decimal;
        const back = run(cast(S.CastDecimalAsDuration, DUR(v.fsp), constDecimal(dec))).value as Duration;
        expect(back.nanos).toBe(v.nanos);
      }),
    );
  });

  it("datetime → json → datetime and datetime → decimal → datetime round-trip", () => {
    const datetimes = fc
      .record({
        year: fc.integer({ min: 1000, max: 9999 }),
        month: fc.integer({ min: 1, max: 12 }),
        day: fc.integer({ min: 1, max: 28 }),
        hour: fc.integer({ min: 0, max: 23 }),
        minute: fc.integer({ min: 0, max: 59 }),
        second: fc.integer({ min: 0, max: 59 }),
        micro: fc.integer({ min: 0, max: 999_999 }),
      })
      .chain((f) => fc.integer({ min: 0, max: 6 }).map((fsp) => ({ f, fsp })));
    fc.assert(
      fc.property(datetimes, ({ f, fsp }) => {
        const ctx = new EvalContext();
        const t = Time.fromFields(ctx, f, TimeType.DateTime, 6).roundFrac(ctx, fsp);
        const j = run(cast(S.CastTimeAsJson, JSON_FT, constTime(t, DATETIME(fsp)))).value as Uint8Array;
        const back = run(cast(S.CastJsonAsTime, DATETIME(fsp), constJson(decodeJsonBinary(j)))).value as Time;
        expect(String(back)).toBe(String(t));
        const dec = run(cast(S.CastTimeAsDecimal, DECIMAL, constTime(t, DATETIME(fsp)))).value as Decimal;
        const viaDec = run(cast(S.CastDecimalAsTime, DATETIME(fsp), constDecimal(dec))).value as Time;
        expect(String(viaDec)).toBe(String(t));
      }),
    );
  });
});
