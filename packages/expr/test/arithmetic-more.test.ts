// DOUBLE/DECIMAL arithmetic, integer DIV and MOD, unary minus, with TiKV's cases
// (components/tidb_query_expr/src/impl_arithmetic.rs and impl_op.rs tests) and properties
// against exact bigint references.
import {
  ChunkedVecDecimal,
  ChunkedVecReal,
  Decimal,
  ERR_DATA_OUT_OF_RANGE,
  ERR_DIVISION_BY_ZERO,
  EvalContext,
  EvalError,
  EvalFlag,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  rustF64String,
  SqlMode,
} from "@copr/datatype";
import { tipb } from "@copr/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  columnRef,
  constDecimal,
  constInt,
  constNull,
  constReal,
  LONGLONG,
  LONGLONG_UNSIGNED,
  lookupRpnFn,
  scalarFunc,
} from "../src/index.js";
import { ctx, evalConst, evalRows, ints } from "./helpers.js";

const S = tipb.ScalarFuncSig;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;

const DOUBLE: FieldType = fieldType(FieldTypeTp.Double);
const DECIMAL: FieldType = fieldType(FieldTypeTp.NewDecimal);
const DECIMAL_UNSIGNED: FieldType = fieldType(FieldTypeTp.NewDecimal, { flag: FieldTypeFlag.Unsigned });

/** What a call threw (undefined if it returned). */
function thrown(f: () => unknown): EvalError | undefined {
  try {
    f();
  } catch (e) {
    return e as EvalError;
  }
  return undefined;
}

// --- helpers for calls -----------------------------------------------------------------------

const real = (v: number | null) => (v === null ? constNull(DOUBLE) : constReal(v));
const realCall = (sig: number, a: number | null, b: number | null, context = ctx()) =>
  evalConst(scalarFunc(sig, DOUBLE, real(a), real(b)), context) as number | null;

const dec = (v: string | null, ft = DECIMAL) =>
  v === null ? constNull(ft) : constDecimal(Decimal.fromString(v), ft);
const decCall = (sig: number, a: string | null, b: string | null, context = ctx()) => {
  const r = evalConst(scalarFunc(sig, DECIMAL, dec(a), dec(b)), context) as Decimal | null;
  return r === null ? null : r.toString();
};

type Operand = bigint | null;
const int = (v: Operand, unsigned: boolean) => {
  const ft = unsigned ? LONGLONG_UNSIGNED : LONGLONG;
  return v === null ? constNull(ft) : constInt(v, ft);
};
/** An integer call; the result is read as UNSIGNED when `retUnsigned`. */
const intCall = (sig: number, l: Operand, lu: boolean, r: Operand, ru: boolean, retUnsigned = false) =>
  evalConst(scalarFunc(sig, retUnsigned ? LONGLONG_UNSIGNED : LONGLONG, int(l, lu), int(r, ru))) as
    | bigint
    | null;

// --- DOUBLE ----------------------------------------------------------------------------------

describe("PlusReal / MinusReal / MultiplyReal", () => {
  it("test_plus_real cases", () => {
    expect(realCall(S.PlusReal, 1.01001, -0.01)).toBe(1.01001 + -0.01);
    expect(realCall(S.PlusReal, 1.01001, -0.01)).toBeCloseTo(1.00001, 15);
    expect(() => realCall(S.PlusReal, 1e308, 1e308)).toThrow(EvalError);
    expect(realCall(S.PlusReal, Number.MAX_VALUE - 1, 2)).toBe(Number.MAX_VALUE);
  });

  it("test_minus_real cases", () => {
    expect(realCall(S.MinusReal, 1.01001, -0.01)).toBe(1.02001);
    expect(() => realCall(S.MinusReal, -Number.MAX_VALUE, Number.MAX_VALUE)).toThrow(EvalError);
    expect(realCall(S.MinusReal, -Number.MAX_VALUE, 1)).toBe(-Number.MAX_VALUE);
  });

  it("test_real_multiply cases", () => {
    expect(realCall(S.MultiplyReal, 1.01001, -0.01)).toBe(-0.0101001);
    expect(() => realCall(S.MultiplyReal, Number.MAX_VALUE, Number.MAX_VALUE)).toThrow(EvalError);
    expect(() => realCall(S.MultiplyReal, Number.MAX_VALUE, -Number.MAX_VALUE)).toThrow(EvalError);
  });

  it("NULL in, NULL out", () => {
    for (const sig of [S.PlusReal, S.MinusReal, S.MultiplyReal, S.DivideReal, S.ModReal]) {
      expect(realCall(sig, null, 1)).toBeNull();
      expect(realCall(sig, 1, null)).toBeNull();
      expect(realCall(sig, null, null)).toBeNull();
    }
  });

  it("overflow messages print the operands as Rust's f64 Display, code 1690", () => {
    const e308 = `1${"0".repeat(308)}`;
    const plus = thrown(() => realCall(S.PlusReal, 1e308, 1e308));
    expect(plus?.message).toBe(`DOUBLE value is out of range in '(${e308} + ${e308})'`);
    expect(plus?.code).toBe(ERR_DATA_OUT_OF_RANGE);
    expect(thrown(() => realCall(S.MinusReal, -1e308, 1e308))?.message).toBe(
      `DOUBLE value is out of range in '(-${e308} - ${e308})'`,
    );
    // TiKV's RealMultiply names the type REAL.
    expect(thrown(() => realCall(S.MultiplyReal, 1e200, -1e200))?.message).toBe(
      `REAL value is out of range in '(1${"0".repeat(200)} * -1${"0".repeat(200)})'`,
    );
  });

  it("infinite operands: an infinite or NaN result is the out-of-range error, never NaN", () => {
    expect(() => realCall(S.PlusReal, Number.POSITIVE_INFINITY, 1)).toThrow(
      "DOUBLE value is out of range in '(inf + 1)'",
    );
    expect(() => realCall(S.PlusReal, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)).toThrow(
      "DOUBLE value is out of range in '(inf + -inf)'",
    );
    expect(() => realCall(S.MultiplyReal, Number.POSITIVE_INFINITY, 0)).toThrow(
      "REAL value is out of range in '(inf * 0)'",
    );
    expect(() => realCall(S.ModReal, Number.NEGATIVE_INFINITY, 2)).toThrow(
      "DOUBLE value is out of range in '(-inf % 2)'",
    );
    expect(realCall(S.ModReal, 5.5, Number.POSITIVE_INFINITY)).toBe(5.5);
  });
});

describe("DivideReal", () => {
  it("test_real_divide cases", () => {
    expect(realCall(S.DivideReal, 2.2, 1.1)).toBe(2);
    expect(realCall(S.DivideReal, 2.33, -0.01)).toBe(-233);
    expect(realCall(S.DivideReal, 2.33, 0.01)).toBe(233);
    expect(realCall(S.DivideReal, null, 2)).toBeNull();
    expect(realCall(S.DivideReal, 123, null)).toBeNull();
    const e = thrown(() => realCall(S.DivideReal, Number.MAX_VALUE, 0.0001));
    expect(e?.code).toBe(ERR_DATA_OUT_OF_RANGE);
    // TiKV's RealDivide formats this one without parentheses.
    expect(e?.message).toBe(`DOUBLE value is out of range in '${rustF64String(Number.MAX_VALUE)} / 0.0001'`);
  });

  it("an overflow under OverflowAsWarning is NULL with a warning", () => {
    const c = new EvalContext({ flags: EvalFlag.OverflowAsWarning });
    expect(realCall(S.DivideReal, Number.MAX_VALUE, 0.5, c)).toBeNull();
    expect(c.warnings.list.map((w) => w.code)).toEqual([ERR_DATA_OUT_OF_RANGE]);
  });
});

// test_divide_by_zero: (flags, sql mode, is ok, has warning) for DivideReal, DivideDecimal (0.0
// and -0.0). ModDecimal goes through the same ctx rule (TiKV DecimalMod).
describe("division by zero follows the context (test_divide_by_zero)", () => {
  const modes: [string, number, bigint, boolean, boolean][] = [
    ["select: warning", 0, 0n, true, true],
    [
      "strict update with ERROR_FOR_DIVISION_BY_ZERO: error",
      EvalFlag.InUpdateOrDeleteStmt,
      SqlMode.ErrorForDivisionByZero | SqlMode.StrictAllTables,
      false,
      false,
    ],
    [
      "strict update without it: nothing",
      EvalFlag.InUpdateOrDeleteStmt,
      SqlMode.StrictAllTables,
      true,
      false,
    ],
    [
      "DividedByZeroAsWarning: warning",
      EvalFlag.InUpdateOrDeleteStmt | EvalFlag.DividedByZeroAsWarning,
      SqlMode.ErrorForDivisionByZero | SqlMode.StrictAllTables,
      true,
      true,
    ],
  ];
  const calls: [string, (c: EvalContext) => unknown][] = [
    ["DivideDecimal 2.33 / 0.0", (c) => decCall(S.DivideDecimal, "2.33", "0.0", c)],
    ["DivideDecimal 2.33 / -0.0", (c) => decCall(S.DivideDecimal, "2.33", "-0.0", c)],
    ["DivideReal 2.33 / 0", (c) => realCall(S.DivideReal, 2.33, 0, c)],
    ["DivideReal 2.33 / -0", (c) => realCall(S.DivideReal, 2.33, -0, c)],
    ["ModDecimal 2.33 % 0", (c) => decCall(S.ModDecimal, "2.33", "0", c)],
  ];
  for (const [mode, flags, sqlMode, ok, warns] of modes) {
    it.each(calls)(`%s — ${mode}`, (_name, run) => {
      const c = new EvalContext({ flags, sqlMode });
      if (ok) expect(run(c)).toBeNull();
      else expect(thrown(() => run(c))?.code).toBe(ERR_DIVISION_BY_ZERO);
      expect(c.warnings.list.map((w) => w.code)).toEqual(warns ? [ERR_DIVISION_BY_ZERO] : []);
    });
  }

  it("integer DIV/MOD and ModReal by zero are NULL without a warning", () => {
    const c = new EvalContext();
    expect(realCall(S.ModReal, 1, 0, c)).toBeNull();
    expect(evalConst(scalarFunc(S.IntDivideInt, LONGLONG, int(11n, false), int(0n, false)), c)).toBeNull();
    expect(evalConst(scalarFunc(S.ModInt, LONGLONG, int(11n, false), int(0n, false)), c)).toBeNull();
    expect(c.warnings.count).toBe(0);
  });
});

describe("ModReal", () => {
  // test_mod_real
  it.each([
    [1.0, 1.1, 1.0],
    [-1.0, 1.1, -1.0],
    [1.0, -1.1, 1.0],
    [-1.0, -1.1, -1.0],
    [1.0, 0.0, null],
  ])("MOD(%s, %s) = %s", (a, b, want) => {
    expect(realCall(S.ModReal, a, b)).toBe(want);
  });

  it("is fmod: the sign of the dividend, exact", () => {
    expect(realCall(S.ModReal, 7.5, 2)).toBe(1.5);
    expect(realCall(S.ModReal, -7.5, 2)).toBe(-1.5);
    expect(Object.is(realCall(S.ModReal, -4, 2), -0)).toBe(true);
  });
});

describe("UnaryMinusReal / UnaryMinusDecimal", () => {
  // test_unary_minus_real
  it.each([
    [null, null],
    [0.123, -0.123],
    [-0.123, 0.123],
    [0.0, -0.0],
    [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
  ])("-(%s) = %s", (x, want) => {
    expect(evalConst(scalarFunc(S.UnaryMinusReal, DOUBLE, real(x)))).toBe(want);
  });

  // test_unary_minus_decimal
  it.each([
    [null, null],
    ["0", "0"],
    ["0.123", "-0.123"],
    ["-0.123", "0.123"],
    ["-12345678901234567890.5", "12345678901234567890.5"],
  ])("-(%s) = %s", (x, want) => {
    const r = evalConst(scalarFunc(S.UnaryMinusDecimal, DECIMAL, dec(x))) as Decimal | null;
    expect(r === null ? null : r.toString()).toBe(want);
  });
});

// --- DECIMAL ---------------------------------------------------------------------------------

describe("PlusDecimal / MinusDecimal / MultiplyDecimal", () => {
  it("test_plus_decimal / test_minus_decimal cases", () => {
    expect(decCall(S.PlusDecimal, "1.1", "2.2")).toBe("3.3");
    expect(decCall(S.MinusDecimal, "1.1", "2.2")).toBe("-1.1");
  });

  it("test_multiply_decimal cases", () => {
    expect(decCall(S.MultiplyDecimal, "1.1", "2.2")).toBe("2.42");
    expect(
      decCall(
        S.MultiplyDecimal,
        "999999999999999999999999999999999.9999",
        "766507373740683764182618847769240.9770",
      ),
    ).toBe("766507373740683764182618847769239999923349262625931623581738115223.07600000");
  });

  it("NULL in, NULL out", () => {
    for (const sig of [S.PlusDecimal, S.MinusDecimal, S.MultiplyDecimal, S.DivideDecimal, S.ModDecimal]) {
      expect(decCall(sig, null, "1")).toBeNull();
      expect(decCall(sig, "1", null)).toBeNull();
    }
  });

  it("the result keeps the larger fraction (+, -) or the sum of fractions (*)", () => {
    expect(decCall(S.PlusDecimal, "1.10", "2.2")).toBe("3.30");
    expect(decCall(S.MinusDecimal, "5", "0.001")).toBe("4.999");
    expect(decCall(S.MultiplyDecimal, "1.50", "2.0")).toBe("3.000");
  });

  it('an integer part beyond 81 digits is an error (TiKV\'s Error::overflow("", ""))', () => {
    const max = "9".repeat(65);
    const big = "9".repeat(81);
    const plus = thrown(() => decCall(S.PlusDecimal, big, "1"));
    expect(plus?.code).toBe(ERR_DATA_OUT_OF_RANGE);
    expect(plus?.message).toBe(" value is out of range in ''");
    expect(thrown(() => decCall(S.MinusDecimal, `-${big}`, "1"))?.code).toBe(ERR_DATA_OUT_OF_RANGE);
    expect(thrown(() => decCall(S.MultiplyDecimal, max, max))?.code).toBe(ERR_DATA_OUT_OF_RANGE);
  });

  it("MultiplyDecimal accepts dropped fractional digits; the fraction is capped", () => {
    const r = decCall(S.MultiplyDecimal, `0.${"1".repeat(20)}`, `0.${"1".repeat(20)}`);
    expect(r).not.toBeNull();
    // 0.111…(20) squared ≈ 0.0123456790…; the result keeps 30 fractional digits.
    expect(r?.startsWith("0.012345679")).toBe(true);
    expect(r?.split(".")[1]?.length).toBe(30);
  });
});

describe("DivideDecimal", () => {
  it("test_decimal_divide cases", () => {
    for (const [a, b, want] of [
      ["2.2", "1.1", "2.0"],
      ["2.33", "-0.01", "-233"],
      ["2.33", "0.01", "233"],
    ] as const) {
      const r = evalConst(scalarFunc(S.DivideDecimal, DECIMAL, dec(a), dec(b))) as Decimal;
      expect(r.equals(Decimal.fromString(want))).toBe(true);
    }
    expect(decCall(S.DivideDecimal, null, "2")).toBeNull();
    expect(decCall(S.DivideDecimal, "123", null)).toBeNull();
  });

  // test_decimal_divide, cases2: div_precision_increment from the context
  it.each([
    ["2.2", "1.3", "1.692", 2],
    ["2.2", "1.3", "1.6923", 3],
    ["2.2", "1.3", "1.69231", 4],
  ] as const)("%s / %s = %s with div_precision_increment %i", (a, b, want, incr) => {
    expect(decCall(S.DivideDecimal, a, b, EvalContext.forTest({ divPrecisionIncrement: incr }))).toBe(want);
  });

  it("the default increment is 4", () => {
    expect(decCall(S.DivideDecimal, "1", "3")).toBe("0.3333");
    expect(decCall(S.DivideDecimal, "2.2", "1.1")).toBe("2.00000");
    expect(decCall(S.DivideDecimal, "-10", "4")).toBe("-2.5000");
  });
});

describe("ModDecimal", () => {
  // test_mod_decimal
  it.each([
    ["13", "11", "2"],
    ["-13", "11", "-2"],
    ["13", "-11", "2"],
    ["-13", "-11", "-2"],
    ["33", "11", "0"],
    ["-33", "11", "0"],
    ["33", "-11", "0"],
    ["-33", "-11", "0"],
    ["0.0000000001", "1.0", "0.0000000001"],
    ["1", "1.1", "1"],
    ["-1", "1.1", "-1"],
    ["1", "-1.1", "1"],
    ["-1", "-1.1", "-1"],
    ["3", "0", null],
    ["-3", "0", null],
    ["0", "0", null],
    ["-3", null, null],
    [null, "-3", null],
    [null, null, null],
  ])("MOD(%s, %s) = %s", (a, b, want) => {
    const r = evalConst(scalarFunc(S.ModDecimal, DECIMAL, dec(a), dec(b))) as Decimal | null;
    if (want === null) expect(r).toBeNull();
    else expect(r?.equals(Decimal.fromString(want))).toBe(true);
  });
});

describe("IntDivideDecimal", () => {
  const call = (a: string | null, b: string | null, ft = DECIMAL, retUnsigned = false) =>
    evalConst(
      scalarFunc(S.IntDivideDecimal, retUnsigned ? LONGLONG_UNSIGNED : LONGLONG, dec(a, ft), dec(b, ft)),
    );

  // test_int_divide_decimal
  it.each([
    ["11.01", "1.1", 10n],
    ["-11.01", "1.1", -10n],
    ["11.01", "-1.1", -10n],
    ["-11.01", "-1.1", 10n],
    ["123.0", null, null],
    [null, "123.0", null],
    ["0.0", "0.0", null],
    [null, null, null],
    ["0", "45584", 0n],
  ])("%s DIV %s = %s", (a, b, want) => {
    expect(call(a, b)).toBe(want);
  });

  // test_int_divide_decimal_overflow
  it("a quotient beyond BIGINT is an error", () => {
    const e = thrown(() => call(I64_MIN.toString(), "-1"));
    expect(e?.code).toBe(ERR_DATA_OUT_OF_RANGE);
    expect(e?.message).toBe("BIGINT value is out of range in '(-9223372036854775808 / -1)'");
    expect(thrown(() => call(I64_MAX.toString(), "0.1"))?.message).toBe(
      "BIGINT value is out of range in '(9223372036854775807 / 0.1)'",
    );
  });

  // test_int_divide_decimal_unsigned_overflow
  it("with UNSIGNED operands: a quotient cut to 0 is 0, a negative one an error", () => {
    expect(call("1", "-2", DECIMAL_UNSIGNED, true)).toBe(0n);
    expect(thrown(() => call("1", "-1", DECIMAL_UNSIGNED, true))?.message).toBe(
      "BIGINT UNSIGNED value is out of range in '(1 / -1)'",
    );
    // One UNSIGNED operand is enough (TiKV divide_decimal_mapper), and the range is u64's.
    const mixed = evalConst(
      scalarFunc(
        S.IntDivideDecimal,
        LONGLONG_UNSIGNED,
        dec("18446744073709551615", DECIMAL_UNSIGNED),
        dec("1"),
      ),
    );
    expect(mixed).toBe(U64_MAX);
    expect(thrown(() => call("18446744073709551616", "1", DECIMAL_UNSIGNED, true))?.code).toBe(
      ERR_DATA_OUT_OF_RANGE,
    );
  });

  it("division by zero goes through the context", () => {
    const c = new EvalContext();
    expect(evalConst(scalarFunc(S.IntDivideDecimal, LONGLONG, dec("1"), dec("0")), c)).toBeNull();
    expect(c.warnings.list.map((w) => w.code)).toEqual([ERR_DIVISION_BY_ZERO]);
  });
});

// --- integer DIV and MOD ---------------------------------------------------------------------

describe("IntDivideInt", () => {
  // test_int_divide_int: (lhs, lhs unsigned, rhs, rhs unsigned, expected)
  const cases: [bigint, boolean, bigint, boolean, bigint | null][] = [
    [13n, false, 11n, false, 1n],
    [13n, false, -11n, false, -1n],
    [-13n, false, 11n, false, -1n],
    [-13n, false, -11n, false, 1n],
    [33n, false, 11n, false, 3n],
    [33n, false, -11n, false, -3n],
    [-33n, false, 11n, false, -3n],
    [-33n, false, -11n, false, 3n],
    [11n, false, 0n, false, null],
    [-11n, false, 0n, false, null],
    [-3n, false, 5n, true, 0n],
    [3n, false, -5n, false, 0n],
    [I64_MIN + 1n, false, -1n, false, I64_MAX],
    [I64_MIN, false, 1n, false, I64_MIN],
    [I64_MAX, false, 1n, false, I64_MAX],
    [U64_MAX, true, 1n, false, U64_MAX],
  ];
  it.each(cases)("%s (unsigned %s) DIV %s (unsigned %s) = %s", (l, lu, r, ru, want) => {
    expect(intCall(S.IntDivideInt, l, lu, r, ru, lu || ru)).toBe(want);
  });

  // test_int_divide_int_overflow
  it.each([
    [I64_MIN, false, -1n, false, "UNSIGNED BIGINT value is out of range in '(-9223372036854775808 / -1)'"],
    [-1n, false, 1n, true, "UNSIGNED BIGINT value is out of range in '(-1 / 1)'"],
    [-2n, false, 1n, true, "UNSIGNED BIGINT value is out of range in '(-2 / 1)'"],
    [1n, true, -1n, false, "UNSIGNED BIGINT value is out of range in '(1 / -1)'"],
    [2n, true, -1n, false, "UNSIGNED BIGINT value is out of range in '(2 / -1)'"],
  ] as const)("%s (unsigned %s) DIV %s (unsigned %s) overflows", (l, lu, r, ru, msg) => {
    const e = thrown(() => intCall(S.IntDivideInt, l, lu, r, ru, lu || ru));
    expect(e?.code).toBe(ERR_DATA_OUT_OF_RANGE);
    expect(e?.message).toBe(msg);
  });

  it("operands print as TiKV's helpers take them (u64 for the unsigned side)", () => {
    expect(intCall(S.IntDivideInt, -5n, false, U64_MAX, true, true)).toBe(0n);
    expect(thrown(() => intCall(S.IntDivideInt, I64_MIN, false, 2n ** 63n, true, true))?.message).toBe(
      "UNSIGNED BIGINT value is out of range in '(-9223372036854775808 / 9223372036854775808)'",
    );
    expect(thrown(() => intCall(S.IntDivideInt, U64_MAX, true, I64_MIN, false, true))?.message).toBe(
      "UNSIGNED BIGINT value is out of range in '(18446744073709551615 / -9223372036854775808)'",
    );
    expect(intCall(S.IntDivideInt, 0n, true, -3n, false, true)).toBe(0n);
    expect(intCall(S.IntDivideInt, 5n, true, I64_MIN, false, true)).toBe(0n);
  });

  it("NULL in, NULL out", () => {
    expect(intCall(S.IntDivideInt, null, false, 1n, false)).toBeNull();
    expect(intCall(S.IntDivideInt, 1n, true, null, true, true)).toBeNull();
  });
});

describe("ModInt", () => {
  // test_mod_int
  const cases: [Operand, Operand, Operand][] = [
    [13n, 11n, 2n],
    [-13n, 11n, -2n],
    [13n, -11n, 2n],
    [-13n, -11n, -2n],
    [33n, 11n, 0n],
    [33n, -11n, 0n],
    [-33n, -11n, 0n],
    [-11n, null, null],
    [null, -11n, null],
    [11n, 0n, null],
    [-11n, 0n, null],
    [I64_MAX, I64_MIN, I64_MAX],
    [I64_MIN, I64_MAX, -1n],
  ];
  it.each(cases)("MOD(%s, %s) = %s", (l, r, want) => {
    expect(intCall(S.ModInt, l, false, r, false)).toBe(want);
    expect(intCall(S.ModIntSignedSigned, l, false, r, false)).toBe(want);
  });

  // test_mod_int_unsigned
  it("mixed signedness", () => {
    expect(intCall(S.ModInt, U64_MAX, true, I64_MIN, false, true)).toBe(I64_MAX);
    expect(intCall(S.ModInt, I64_MIN, false, U64_MAX, true)).toBe(I64_MIN);
    expect(intCall(S.ModIntUnsignedSigned, U64_MAX, true, I64_MIN, false, true)).toBe(I64_MAX);
    expect(intCall(S.ModIntSignedUnsigned, I64_MIN, false, U64_MAX, true)).toBe(I64_MIN);
  });

  it("the specific sigs read the operands as they name them, whatever the flags", () => {
    // -1 read as u64 is 2^64 - 1.
    expect(intCall(S.ModIntUnsignedUnsigned, -1n, false, 10n, false, true)).toBe(5n);
    expect(intCall(S.ModIntSignedSigned, U64_MAX, true, 10n, true)).toBe(-1n);
    expect(intCall(S.ModIntSignedUnsigned, -7n, false, -1n, false)).toBe(-7n);
    expect(intCall(S.ModIntUnsignedSigned, 7n, false, -2n, false, true)).toBe(1n);
  });

  it("MIN MOD -1 is 0 (where Rust's % would panic)", () => {
    expect(intCall(S.ModInt, I64_MIN, false, -1n, false)).toBe(0n);
  });
});

describe("UnaryMinusInt", () => {
  const neg = (x: Operand, unsigned: boolean) =>
    evalConst(scalarFunc(S.UnaryMinusInt, LONGLONG, int(x, unsigned)));

  // test_unary_minus_int, unsigned argument
  it.each([
    [null, null],
    [2n ** 63n, I64_MIN],
    [12345n, -12345n],
    [0n, 0n],
  ])("-(%s UNSIGNED) = %s", (x, want) => {
    expect(neg(x, true)).toBe(want);
  });

  // test_unary_minus_int, signed argument
  it.each([
    [null, null],
    [I64_MAX, -I64_MAX],
    [-I64_MAX, I64_MAX],
    [I64_MIN + 1n, I64_MAX],
    [0n, 0n],
  ])("-(%s) = %s", (x, want) => {
    expect(neg(x, false)).toBe(want);
  });

  it('overflows print as TiKV\'s format!("-{}")', () => {
    expect(thrown(() => neg(2n ** 63n + 1n, true))?.message).toBe(
      "BIGINT value is out of range in '-9223372036854775809'",
    );
    const e = thrown(() => neg(I64_MIN, false));
    expect(e?.code).toBe(ERR_DATA_OUT_OF_RANGE);
    expect(e?.message).toBe("BIGINT value is out of range in '--9223372036854775808'");
  });
});

// --- properties ------------------------------------------------------------------------------

const i64 = fc.bigInt({ min: I64_MIN, max: I64_MAX });
const u64 = fc.bigInt({ min: 0n, max: U64_MAX });
const smallInt = fc.bigInt({ min: -1000n, max: 1000n });

describe("integer DIV/MOD against bigint arithmetic", () => {
  const variants = [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const;

  it("on columns, every signed/unsigned combination", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...variants),
        fc.array(fc.tuple(fc.oneof(i64, smallInt, u64), fc.oneof(i64, smallInt, u64)), {
          minLength: 1,
          maxLength: 12,
        }),
        ([lu, ru], raw) => {
          // Operands as SQL values of their column's signedness.
          const norm = (v: bigint, u: boolean) => (u ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v));
          const pairs = raw.map(([a, b]) => [norm(a, lu), norm(b, ru)] as const);
          const lt = lu ? LONGLONG_UNSIGNED : LONGLONG;
          const rt = ru ? LONGLONG_UNSIGNED : LONGLONG;
          const cols = [
            ints(
              pairs.map((p) => p[0]),
              lu,
            ),
            ints(
              pairs.map((p) => p[1]),
              ru,
            ),
          ];
          const retT = lu || ru ? LONGLONG_UNSIGNED : LONGLONG;

          // MOD: the truncated remainder, the dividend's sign; never an error.
          const mod = evalRows(
            scalarFunc(S.ModInt, lu ? LONGLONG_UNSIGNED : LONGLONG, columnRef(0, lt), columnRef(1, rt)),
            [lt, rt],
            cols,
          );
          expect(mod).toEqual(pairs.map(([a, b]) => (b === 0n ? null : a - b * (a / b))));

          // DIV: the truncated quotient, an error when the result type cannot hold it.
          const fits = (q: bigint) => (lu || ru ? q >= 0n : q <= I64_MAX);
          const q = pairs.map(([a, b]) => (b === 0n ? null : a / b));
          const div = () =>
            evalRows(scalarFunc(S.IntDivideInt, retT, columnRef(0, lt), columnRef(1, rt)), [lt, rt], cols);
          if (q.every((x) => x === null || fits(x))) expect(div()).toEqual(q);
          else expect(() => div()).toThrow(/UNSIGNED BIGINT value is out of range/);
        },
      ),
    );
  });

  it("unary minus is exact negation where it fits BIGINT", () => {
    fc.assert(
      fc.property(fc.oneof(i64, u64), fc.boolean(), (raw, unsigned) => {
        const x = unsigned ? BigInt.asUintN(64, raw) : BigInt.asIntN(64, raw);
        const run = () => evalConst(scalarFunc(S.UnaryMinusInt, LONGLONG, int(x, unsigned)));
        if (-x >= I64_MIN && -x <= I64_MAX) expect(run()).toBe(-x);
        else expect(run).toThrow(/BIGINT value is out of range/);
      }),
    );
  });
});

/** `n / 10^frac` printed with exactly `frac` fractional digits. */
function scaled(n: bigint, frac: number): string {
  const neg = n < 0n;
  const s = (neg ? -n : n).toString().padStart(frac + 1, "0");
  const body = frac === 0 ? s : `${s.slice(0, s.length - frac)}.${s.slice(s.length - frac)}`;
  return neg && n !== 0n ? `-${body}` : body;
}

describe("DECIMAL arithmetic against scaled bigints", () => {
  // A decimal as (digits, fraction): up to 30 digits, 9 of them fractional at most, so that even
  // a product fits MySQL's nine words exactly.
  const decimal = fc.tuple(
    fc.bigInt({ min: -(10n ** 30n) + 1n, max: 10n ** 30n - 1n }),
    fc.integer({ min: 0, max: 9 }),
  );
  const pow = (k: number) => 10n ** BigInt(k);

  it("+, -, *, MOD are exact", () => {
    fc.assert(
      fc.property(decimal, decimal, ([a, fa], [b, fb]) => {
        const sa = scaled(a, fa);
        const sb = scaled(b, fb);
        const f = Math.max(fa, fb);
        const A = a * pow(f - fa);
        const B = b * pow(f - fb);
        expect(decCall(S.PlusDecimal, sa, sb)).toBe(scaled(A + B, f));
        expect(decCall(S.MinusDecimal, sa, sb)).toBe(scaled(A - B, f));
        // A zero product of operands of different signs is a plain 0, as TiKV's do_mul makes it.
        const p = a * b;
        expect(decCall(S.MultiplyDecimal, sa, sb)).toBe(
          p === 0n && a < 0n !== b < 0n ? "0" : scaled(p, fa + fb),
        );
        expect(decCall(S.ModDecimal, sa, sb)).toBe(B === 0n ? null : scaled(A % B, f));
      }),
    );
  });

  it("/ is within one unit of its last digit, with fa + div_precision_increment digits", () => {
    fc.assert(
      fc.property(decimal, decimal, fc.integer({ min: 0, max: 8 }), ([a, fa], [b, fb], incr) => {
        fc.pre(b !== 0n);
        const r = decCall(
          S.DivideDecimal,
          scaled(a, fa),
          scaled(b, fb),
          EvalContext.forTest({ divPrecisionIncrement: incr }),
        );
        const s = Math.min(fa + incr, 30);
        expect(r).not.toBeNull();
        const frac = r!.split(".")[1] ?? "";
        expect(frac.length).toBe(s);
        const R = BigInt(r!.replace(".", ""));
        // a/b = (a·10^fb) / (b·10^fa); |R/10^s − a/b| < 10^−s.
        const num = a * pow(fb) * pow(s);
        const den = b * pow(fa);
        const err = R * den - num;
        expect((err < 0n ? -err : err) < (den < 0n ? -den : den)).toBe(true);
        // DIV on decimals is that quotient truncated toward zero.
        const q = () =>
          evalConst(
            scalarFunc(S.IntDivideDecimal, LONGLONG, dec(scaled(a, fa)), dec(scaled(b, fb))),
            EvalContext.forTest({ divPrecisionIncrement: incr }),
          );
        const exact = (a * pow(fb)) / (b * pow(fa));
        if (exact >= I64_MIN && exact <= I64_MAX) expect(q()).toBe(exact);
        else expect(q).toThrow(/BIGINT value is out of range/);
      }),
    );
  });
});

describe("DOUBLE arithmetic", () => {
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

  it("+, -, * are IEEE results, or the overflow error when not finite", () => {
    fc.assert(
      fc.property(finite, finite, (a, b) => {
        for (const [sig, r] of [
          [S.PlusReal, a + b],
          [S.MinusReal, a - b],
          [S.MultiplyReal, a * b],
        ] as const) {
          if (Number.isFinite(r)) expect(realCall(sig, a, b)).toBe(r);
          else expect(thrown(() => realCall(sig, a, b))?.code).toBe(ERR_DATA_OUT_OF_RANGE);
        }
      }),
    );
  });

  it("rustF64String reads back exactly and never uses an exponent", () => {
    fc.assert(
      fc.property(finite, (x) => {
        const s = rustF64String(x);
        expect(s).not.toMatch(/e/i);
        expect(Object.is(Number(s), x)).toBe(true);
      }),
    );
    expect(rustF64String(1e21)).toBe("1000000000000000000000");
    expect(rustF64String(1.5e-7)).toBe("0.00000015");
    expect(rustF64String(-0)).toBe("-0");
  });
});

describe("on columns", () => {
  it("DOUBLE and DECIMAL functions over columns with NULLs and a selection", () => {
    const a = ChunkedVecReal.fromValues([1.5, null, -2, 8, 0]);
    const b = ChunkedVecReal.fromValues([0.5, 3, null, 0, 4]);
    const sch = [DOUBLE, DOUBLE];
    const col = (sig: number) => scalarFunc(sig, DOUBLE, columnRef(0, DOUBLE), columnRef(1, DOUBLE));
    expect(evalRows(col(S.PlusReal), sch, [a, b])).toEqual([2, null, null, 8, 4]);
    expect(evalRows(col(S.MinusReal), sch, [a, b], new Uint32Array([4, 0]))).toEqual([-4, 1]);
    const c = new EvalContext();
    expect(evalRows(col(S.DivideReal), sch, [a, b], null, c)).toEqual([3, null, null, null, 0]);
    expect(c.warnings.count).toBe(1);
    expect(evalRows(col(S.ModReal), sch, [a, b])).toEqual([0, null, null, null, 0]);
    expect(evalRows(scalarFunc(S.UnaryMinusReal, DOUBLE, columnRef(0, DOUBLE)), [DOUBLE], [a])).toEqual([
      -1.5,
      null,
      2,
      -8,
      -0,
    ]);

    const d = (xs: (string | null)[]) =>
      ChunkedVecDecimal.fromValues(xs.map((x) => (x === null ? null : Decimal.fromString(x))));
    const x = d(["1.25", null, "-3", "10"]);
    const y = d(["0.75", "1", null, "-4"]);
    const dsch = [DECIMAL, DECIMAL];
    const dcol = (sig: number, ret = DECIMAL) =>
      scalarFunc(sig, ret, columnRef(0, DECIMAL), columnRef(1, DECIMAL));
    const text = (vs: unknown[]) => vs.map((v) => (v === null ? null : String(v)));
    expect(text(evalRows(dcol(S.PlusDecimal), dsch, [x, y]))).toEqual(["2.00", null, null, "6"]);
    expect(text(evalRows(dcol(S.MultiplyDecimal), dsch, [x, y]))).toEqual(["0.9375", null, null, "-40"]);
    expect(text(evalRows(dcol(S.DivideDecimal), dsch, [x, y]))).toEqual(["1.666667", null, null, "-2.5000"]);
    expect(text(evalRows(dcol(S.ModDecimal), dsch, [x, y]))).toEqual(["0.50", null, null, "2"]);
    expect(evalRows(dcol(S.IntDivideDecimal, LONGLONG), dsch, [x, y])).toEqual([1n, null, null, -2n]);
  });

  it("the vectorized DOUBLE + - * agree with the scalar definition (columns, constants, selections)", () => {
    // The vectorized form itself answers for finite results, and declines (null) otherwise.
    const vec = lookupRpnFn(S.PlusReal)?.vector;
    const col = ChunkedVecReal.fromValues([1, null, 2.5]);
    const call = (k: number) => ({
      ctx: ctx(),
      args: [
        { fieldType: DOUBLE, scalar: undefined, column: col, rows: null },
        { fieldType: DOUBLE, scalar: k, column: undefined, rows: null },
      ],
      rows: 3,
      fieldType: DOUBLE,
      metadata: undefined,
    });
    const out = vec?.(call(1)) as ChunkedVecReal | null;
    expect(out === null || out === undefined ? null : [0, 1, 2].map((i) => out.get(i))).toEqual([
      2,
      null,
      3.5,
    ]);
    expect(vec?.(call(Number.MAX_VALUE * 1))).not.toBeNull();
    expect(vec?.(call(Number.POSITIVE_INFINITY))).toBeNull();
    const v = fc.option(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { nil: null, freq: 4 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(v, v), { minLength: 1, maxLength: 30 }),
        v,
        fc.boolean(),
        (pairs, c, select) => {
          const a = ChunkedVecReal.fromValues(pairs.map((p) => p[0]));
          const b = ChunkedVecReal.fromValues(pairs.map((p) => p[1]));
          const rows = select
            ? Uint32Array.from(pairs.keys())
                .reverse()
                .filter((i) => i % 2 === 0)
            : null;
          const at = (i: number) => (rows === null ? i : rows[i]!);
          const n = rows === null ? pairs.length : rows.length;
          for (const [sig, op] of [
            [S.PlusReal, (x: number, y: number) => x + y],
            [S.MinusReal, (x: number, y: number) => x - y],
            [S.MultiplyReal, (x: number, y: number) => x * y],
          ] as const) {
            const both = evalRows(
              scalarFunc(sig, DOUBLE, columnRef(0, DOUBLE), columnRef(1, DOUBLE)),
              [DOUBLE, DOUBLE],
              [a, b],
              rows,
            );
            expect(both).toEqual(
              Array.from({ length: n }, (_, k) => {
                const [x, y] = pairs[at(k)]!;
                return x === null || y === null ? null : op(x, y);
              }),
            );
            const withConst = evalRows(
              scalarFunc(sig, DOUBLE, real(c), columnRef(0, DOUBLE)),
              [DOUBLE],
              [a],
              rows,
            );
            expect(withConst).toEqual(
              Array.from({ length: n }, (_, k) => {
                const y = pairs[at(k)]![0];
                return c === null || y === null ? null : op(c, y);
              }),
            );
          }
        },
      ),
    );
  });

  it("an overflow on a column still raises TiKV's error", () => {
    const a = ChunkedVecReal.fromValues([1, null, Number.MAX_VALUE]);
    const e = scalarFunc(S.MultiplyReal, DOUBLE, columnRef(0, DOUBLE), constReal(2));
    expect(() => evalRows(e, [DOUBLE], [a])).toThrow(
      `REAL value is out of range in '(${rustF64String(Number.MAX_VALUE)} * 2)'`,
    );
    expect(evalRows(e, [DOUBLE], [a], new Uint32Array([1, 0]))).toEqual([null, 2]);
  });

  it("every sig of the family is registered", () => {
    for (const sig of [
      S.PlusReal,
      S.MinusReal,
      S.MultiplyReal,
      S.DivideReal,
      S.ModReal,
      S.PlusDecimal,
      S.MinusDecimal,
      S.MultiplyDecimal,
      S.DivideDecimal,
      S.ModDecimal,
      S.IntDivideInt,
      S.IntDivideDecimal,
      S.ModInt,
      S.ModIntSignedSigned,
      S.ModIntSignedUnsigned,
      S.ModIntUnsignedSigned,
      S.ModIntUnsignedUnsigned,
      S.UnaryMinusInt,
      S.UnaryMinusReal,
      S.UnaryMinusDecimal,
    ]) {
      expect(lookupRpnFn(sig), `sig ${sig}`).toBeDefined();
    }
  });
});
