// IF, IFNULL, CASE WHEN and IS TRUE / IS FALSE, with TiKV's cases
// (components/tidb_query_expr/src/impl_control.rs and impl_op.rs tests).
import { encodeJsonBinary } from "@copr/codec";
import {
  ChunkedVecBytes,
  ChunkedVecReal,
  Decimal,
  Duration,
  EvalContext,
  FieldTypeTp,
  fieldType,
  parseJson,
  Time,
} from "@copr/datatype";
import { tipb } from "@copr/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  columnRef,
  constBytes,
  constDecimal,
  constDuration,
  constInt,
  constNull,
  constReal,
  constTime,
  ExprError,
  LONGLONG,
  LONGLONG_UNSIGNED,
  scalarFunc,
} from "../src/index.js";
import { evalConst, evalRows, ints } from "./helpers.js";

const S = tipb.ScalarFuncSig;
const DOUBLE = fieldType(FieldTypeTp.Double);
const DECIMAL = fieldType(FieldTypeTp.NewDecimal);
const STRING = fieldType(FieldTypeTp.VarString);
const DATETIME = fieldType(FieldTypeTp.DateTime, { decimal: 0 });
const DURATION = fieldType(FieldTypeTp.Duration, { decimal: 0 });
const JSON_FT = fieldType(FieldTypeTp.Json);

type Expr = tipb.Expr.$Properties;
const int = (v: bigint | null): Expr => (v === null ? constNull(LONGLONG) : constInt(v));
const real = (v: number | null): Expr => (v === null ? constNull(DOUBLE) : constReal(v));
const dec = (v: string | null): Expr =>
  v === null ? constNull(DECIMAL) : constDecimal(Decimal.fromString(v));
const str = (v: string | null): Expr => (v === null ? constNull(STRING) : constBytes(v));
const dur = (secs: number | null): Expr =>
  secs === null ? constNull(DURATION) : constDuration(Duration.fromSecs(secs, 0), DURATION);
const time = (s: string | null): Expr =>
  s === null
    ? constNull(DATETIME)
    : constTime(Time.parseDatetime(EvalContext.forTest(), s, 0, false), DATETIME);
const json = (s: string | null): Expr =>
  s === null
    ? constNull(JSON_FT)
    : {
        tp: tipb.ExprType.MysqlJson,
        val: encodeJsonBinary(parseJson(s)),
        fieldType: { tp: FieldTypeTp.Json },
      };

const text = (v: unknown): unknown => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v);
const shown = (v: unknown): unknown => (v === null || typeof v !== "object" ? v : String(text(v)));

describe("IfNull*", () => {
  // test_if_null
  it.each([
    [null, null, null],
    [null, 1n, 1n],
    [2n, null, 2n],
    [2n, 1n, 2n],
  ])("IFNULL(%s, %s) = %s", (a, b, want) => {
    expect(evalConst(scalarFunc(S.IfNullInt, LONGLONG, int(a), int(b)))).toBe(want);
  });

  it.each([
    ["real", S.IfNullReal, DOUBLE, real(null), real(1.5), 1.5],
    ["real", S.IfNullReal, DOUBLE, real(-0.5), real(1.5), -0.5],
    ["decimal", S.IfNullDecimal, DECIMAL, dec(null), dec("3.14"), "3.14"],
    ["decimal", S.IfNullDecimal, DECIMAL, dec("-1.00"), dec(null), "-1.00"],
    ["string", S.IfNullString, STRING, str(null), str("你好"), "你好"],
    ["string", S.IfNullString, STRING, str(""), str("b"), ""],
    ["string", S.IfNullString, STRING, str(null), str(null), null],
    ["time", S.IfNullTime, DATETIME, time(null), time("2020-02-29 10:00:00"), "2020-02-29 10:00:00"],
    ["duration", S.IfNullDuration, DURATION, dur(-61), dur(5), "-00:01:01"],
    ["duration", S.IfNullDuration, DURATION, dur(null), dur(null), null],
  ])("%s: IFNULL(...) = %s", (_name, sig, ft, a, b, want) => {
    expect(shown(evalConst(scalarFunc(sig, ft, a, b)))).toBe(want);
  });

  it("json", () => {
    const r = evalConst(scalarFunc(S.IfNullJson, JSON_FT, json(null), json('{"a": [1, 2]}')));
    expect(r).toEqual(encodeJsonBinary(parseJson('{"a": [1, 2]}')));
    expect(evalConst(scalarFunc(S.IfNullJson, JSON_FT, json(null), json(null)))).toBeNull();
  });

  it("over columns: the first argument unless NULL, row by row", () => {
    const e = scalarFunc(S.IfNullReal, DOUBLE, columnRef(0, DOUBLE), columnRef(1, DOUBLE));
    const cols = [ChunkedVecReal.fromValues([1, null, null, 4]), ChunkedVecReal.fromValues([9, 8, null, 6])];
    expect(evalRows(e, [DOUBLE, DOUBLE], cols)).toEqual([1, 8, null, 4]);
    expect(evalRows(e, [DOUBLE, DOUBLE], cols, new Uint32Array([2, 1]))).toEqual([null, 8]);
  });

  it("property: IFNULL(a, b) is a ?? b", () => {
    const v = fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { nil: null });
    fc.assert(
      fc.property(v, v, (a, b) => {
        expect(evalConst(scalarFunc(S.IfNullInt, LONGLONG, int(a), int(b)))).toBe(a ?? b);
      }),
      { numRuns: 100 },
    );
  });
});

describe("If*", () => {
  // test_if
  it.each([
    [0n, Math.PI],
    [1n, Math.E],
    [null, Math.PI],
    [-1n, Math.E],
  ])("IF(%s, e, pi) = %s", (c, want) => {
    expect(evalConst(scalarFunc(S.IfReal, DOUBLE, int(c), real(Math.E), real(Math.PI)))).toBe(want);
  });

  it.each([
    ["int", S.IfInt, LONGLONG, int(5n), int(null), 5n, null],
    ["decimal", S.IfDecimal, DECIMAL, dec("1.5"), dec("-2"), "1.5", "-2"],
    ["string", S.IfString, STRING, str("yes"), str("no"), "yes", "no"],
    ["time", S.IfTime, DATETIME, time("2000-01-01 00:00:00"), time(null), "2000-01-01 00:00:00", null],
    ["duration", S.IfDuration, DURATION, dur(3600), dur(0), "01:00:00", "00:00:00"],
  ])("%s: the true branch, else the false branch", (_name, sig, ft, a, b, whenTrue, whenFalse) => {
    expect(shown(evalConst(scalarFunc(sig, ft, int(7n), a, b)))).toBe(whenTrue);
    expect(shown(evalConst(scalarFunc(sig, ft, int(0n), a, b)))).toBe(whenFalse);
    expect(shown(evalConst(scalarFunc(sig, ft, int(null), a, b)))).toBe(whenFalse);
  });

  it("json", () => {
    const r = evalConst(scalarFunc(S.IfJson, JSON_FT, int(1n), json("[1]"), json("null")));
    expect(r).toEqual(encodeJsonBinary(parseJson("[1]")));
    const n = evalConst(scalarFunc(S.IfJson, JSON_FT, int(0n), json("[1]"), json(null)));
    expect(n).toBeNull();
  });

  it("an unsigned condition 2^64 - 1 is true", () => {
    const e = scalarFunc(S.IfInt, LONGLONG, constInt(2n ** 64n - 1n, LONGLONG_UNSIGNED), int(1n), int(2n));
    expect(evalConst(e)).toBe(1n);
  });

  it("over columns: picks per row", () => {
    const e = scalarFunc(
      S.IfString,
      STRING,
      columnRef(0, LONGLONG),
      columnRef(1, STRING),
      constBytes("dflt"),
    );
    const cols = [ints([1n, 0n, null, 2n]), ChunkedVecBytes.fromValues(["a", "b", "c", null])];
    expect(evalRows(e, [LONGLONG, STRING], cols).map(text)).toEqual(["a", "dflt", "dflt", null]);
  });

  it("the argument types are checked when the expression is built", () => {
    expect(() => evalConst(scalarFunc(S.IfReal, DOUBLE, int(1n), real(1), int(2n)))).toThrow(ExprError);
    expect(() => evalConst(scalarFunc(S.IfReal, DOUBLE, int(1n), real(1)))).toThrow(ExprError);
  });
});

describe("CaseWhen*", () => {
  const caseWhenReal = (...args: Expr[]) => evalConst(scalarFunc(S.CaseWhenReal, DOUBLE, ...args));

  // test_case_when
  it.each<[Expr[], number | null]>([
    [[int(1n), real(3.0), int(1n), real(5.0)], 3.0],
    [[int(0n), real(3.0), int(1n), real(5.0)], 5.0],
    [[int(null), real(2.0), int(1n), real(6.0)], 6.0],
    [[real(7.0)], 7.0],
    [[int(0n), real(null)], null],
    [[int(1n), real(null)], null],
    [[int(1n), real(3.5)], 3.5],
    [[int(2n), real(3.5)], 3.5],
    [[int(0n), real(null), int(null), real(null), real(5.5)], 5.5],
  ])("case %#", (args, want) => {
    expect(caseWhenReal(...args)).toBe(want);
  });

  it("no condition holds and no ELSE: NULL; no arguments: NULL", () => {
    expect(caseWhenReal(int(0n), real(1), int(null), real(2))).toBeNull();
    expect(caseWhenReal()).toBeNull();
  });

  // test_case_when_bytes
  it.each<[Expr[], number[]]>([
    [
      [int(1n), constBytes(new Uint8Array([1, 2, 3])), int(1n), constBytes(new Uint8Array([4, 5, 6]))],
      [1, 2, 3],
    ],
    [
      [int(0n), constBytes(new Uint8Array([1, 2, 3])), int(1n), constBytes(new Uint8Array([4, 5, 6]))],
      [4, 5, 6],
    ],
  ])("bytes case %#", (args, want) => {
    expect(evalConst(scalarFunc(S.CaseWhenString, STRING, ...args))).toEqual(new Uint8Array(want));
  });

  it.each([
    ["int", S.CaseWhenInt, LONGLONG, int(10n), int(20n), 20n],
    ["decimal", S.CaseWhenDecimal, DECIMAL, dec("1.1"), dec("2.2"), "2.2"],
    [
      "time",
      S.CaseWhenTime,
      DATETIME,
      time("1999-12-31 23:59:59"),
      time("2000-01-01 00:00:00"),
      "2000-01-01 00:00:00",
    ],
    ["duration", S.CaseWhenDuration, DURATION, dur(1), dur(2), "00:00:02"],
  ])("%s: the value after the first true condition", (_name, sig, ft, a, b, want) => {
    expect(shown(evalConst(scalarFunc(sig, ft, int(0n), a, int(3n), b)))).toBe(want);
  });

  it("json", () => {
    const r = evalConst(scalarFunc(S.CaseWhenJson, JSON_FT, int(null), json("1"), json('"else"')));
    expect(r).toEqual(encodeJsonBinary(parseJson('"else"')));
  });

  it("over columns: conditions and values per row", () => {
    // CASE WHEN c0 THEN c2 WHEN c1 THEN 100 ELSE -1 END
    const e = scalarFunc(
      S.CaseWhenInt,
      LONGLONG,
      columnRef(0, LONGLONG),
      columnRef(2, LONGLONG),
      columnRef(1, LONGLONG),
      constInt(100n),
      constInt(-1n),
    );
    const cols = [ints([1n, 0n, null, 0n]), ints([0n, 1n, 1n, null]), ints([7n, 8n, 9n, null])];
    expect(evalRows(e, [LONGLONG, LONGLONG, LONGLONG], cols)).toEqual([7n, 100n, 100n, -1n]);
  });

  it("the validator checks the (condition, value) shape", () => {
    // a Real condition
    expect(() => caseWhenReal(real(1), real(1))).toThrow(/condition argument 0 to be Int/);
    // an Int value in a Real CASE
    expect(() => caseWhenReal(int(1n), int(1n))).toThrow(/value argument 1 to be Real/);
    // an Int ELSE in a Real CASE
    expect(() => caseWhenReal(int(1n), real(1), int(2n))).toThrow(/ELSE value argument 2 to be Real/);
  });

  it("property: agrees with a reference CASE over random branches", () => {
    const cond = fc.option(fc.bigInt({ min: -2n, max: 2n }), { nil: null });
    const val = fc.option(fc.integer({ min: -100, max: 100 }), { nil: null });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cond, val), { maxLength: 5 }),
        fc.option(val, { nil: undefined }),
        (pairs, dflt) => {
          const args: Expr[] = pairs.flatMap(([c, v]) => [int(c), real(v)]);
          if (dflt !== undefined) args.push(real(dflt));
          const hit = pairs.find(([c]) => c !== null && c !== 0n);
          const want = hit !== undefined ? hit[1] : dflt === undefined ? null : dflt;
          expect(caseWhenReal(...args)).toBe(want);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("IS TRUE / IS FALSE", () => {
  const D = (v: string | null) => dec(v);
  // test_is_true
  it.each<[string, number, Expr, bigint | null]>([
    ["IntIsTrue", S.IntIsTrue, int(null), 0n],
    ["IntIsTrueWithNull", S.IntIsTrueWithNull, int(null), null],
    ["IntIsTrue", S.IntIsTrue, int(0n), 0n],
    ["IntIsTrueWithNull", S.IntIsTrueWithNull, int(0n), 0n],
    ["IntIsTrue", S.IntIsTrue, int(1n), 1n],
    ["IntIsTrueWithNull", S.IntIsTrueWithNull, int(1n), 1n],
    ["RealIsTrue", S.RealIsTrue, real(null), 0n],
    ["RealIsTrueWithNull", S.RealIsTrueWithNull, real(null), null],
    ["RealIsTrue", S.RealIsTrue, real(0), 0n],
    ["RealIsTrueWithNull", S.RealIsTrueWithNull, real(0), 0n],
    ["RealIsTrue", S.RealIsTrue, real(1), 1n],
    ["RealIsTrueWithNull", S.RealIsTrueWithNull, real(1), 1n],
    ["DecimalIsTrue", S.DecimalIsTrue, D(null), 0n],
    ["DecimalIsTrueWithNull", S.DecimalIsTrueWithNull, D(null), null],
    ["DecimalIsTrue", S.DecimalIsTrue, D("0"), 0n],
    ["DecimalIsTrueWithNull", S.DecimalIsTrueWithNull, D("0"), 0n],
    ["DecimalIsTrue", S.DecimalIsTrue, D("1"), 1n],
    ["DecimalIsTrueWithNull", S.DecimalIsTrueWithNull, D("1"), 1n],
    // test_is_false
    ["IntIsFalse", S.IntIsFalse, int(null), 0n],
    ["IntIsFalse", S.IntIsFalse, int(0n), 1n],
    ["IntIsFalse", S.IntIsFalse, int(1n), 0n],
    ["RealIsFalse", S.RealIsFalse, real(null), 0n],
    ["RealIsFalse", S.RealIsFalse, real(0), 1n],
    ["RealIsFalse", S.RealIsFalse, real(1), 0n],
    ["DecimalIsFalse", S.DecimalIsFalse, D(null), 0n],
    ["DecimalIsFalse", S.DecimalIsFalse, D("0"), 1n],
    ["DecimalIsFalse", S.DecimalIsFalse, D("1"), 0n],
    // WithNull IS FALSE, and edge values
    ["IntIsFalseWithNull", S.IntIsFalseWithNull, int(null), null],
    ["IntIsFalseWithNull", S.IntIsFalseWithNull, int(0n), 1n],
    ["IntIsFalseWithNull", S.IntIsFalseWithNull, int(-(2n ** 63n)), 0n],
    ["RealIsFalseWithNull", S.RealIsFalseWithNull, real(null), null],
    ["RealIsFalseWithNull", S.RealIsFalseWithNull, real(-0), 1n],
    ["RealIsTrue", S.RealIsTrue, real(1e-300), 1n],
    ["DecimalIsFalseWithNull", S.DecimalIsFalseWithNull, D(null), null],
    ["DecimalIsFalseWithNull", S.DecimalIsFalseWithNull, D("0.000"), 1n],
    ["DecimalIsTrue", S.DecimalIsTrue, D("-0.001"), 1n],
  ])("%s(%#) ", (_name, sig, arg, want) => {
    expect(evalConst(scalarFunc(sig, LONGLONG, arg))).toBe(want);
  });

  it("over a column with NULLs", () => {
    const col = [ints([2n, 0n, null])];
    const run = (sig: number) => evalRows(scalarFunc(sig, LONGLONG, columnRef(0, LONGLONG)), [LONGLONG], col);
    expect(run(S.IntIsTrue)).toEqual([1n, 0n, 0n]);
    expect(run(S.IntIsTrueWithNull)).toEqual([1n, 0n, null]);
    expect(run(S.IntIsFalse)).toEqual([0n, 1n, 0n]);
    expect(run(S.IntIsFalseWithNull)).toEqual([0n, 1n, null]);
  });
});

describe("registration", () => {
  it("arguments of the wrong eval type are rejected at build", () => {
    // IfNullReal with Int arguments
    const e = scalarFunc(S.IfNullReal, DOUBLE, int(1n), int(2n));
    expect(() => evalConst(e)).toThrow(ExprError);
  });

  it("every control sig TiKV maps is registered", async () => {
    const { lookupRpnFn } = await import("../src/index.js");
    const sigs = [
      "IfNullInt IfNullReal IfNullString IfNullDecimal IfNullTime IfNullDuration IfNullJson",
      "IfInt IfReal IfDecimal IfTime IfString IfDuration IfJson",
      "CaseWhenInt CaseWhenReal CaseWhenString CaseWhenDecimal CaseWhenTime CaseWhenDuration CaseWhenJson",
      "IntIsTrue IntIsTrueWithNull RealIsTrue RealIsTrueWithNull DecimalIsTrue DecimalIsTrueWithNull",
      "IntIsFalse IntIsFalseWithNull RealIsFalse RealIsFalseWithNull DecimalIsFalse DecimalIsFalseWithNull",
    ]
      .join(" ")
      .split(" ");
    for (const name of sigs) {
      const sig = (S as unknown as Record<string, number>)[name]!;
      expect(lookupRpnFn(sig), name).toBeDefined();
    }
  });
});
