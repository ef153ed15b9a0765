// CAST functions with TiKV's cases (components/tidb_query_expr/src/impl_cast.rs tests, and the
// convert.rs tests of the helpers they use). Each case names the TiKV test it comes from.
import { decodeJsonBinary, encodeJsonBinary } from "@copr/codec";
import {
  ChunkedVecBytes,
  ChunkedVecDuration,
  Collation,
  type Column,
  Decimal,
  Duration,
  ERR_DATA_OUT_OF_RANGE,
  ERR_DATA_TOO_LONG,
  ERR_M_BIGGER_THAN_D,
  ERR_TRUNCATE_WRONG_VALUE,
  ERR_UNKNOWN,
  EvalContext,
  EvalFlag,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  Json,
  jsonToString,
  rustF64String,
  SqlMode,
  Time,
  WARN_DATA_TRUNCATED,
} from "@copr/datatype";
import { tipb } from "@copr/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rustF32String } from "../src/functions/cast.js";
import {
  columnRef,
  constBytes,
  constDecimal,
  constDuration,
  constInt,
  constNull,
  constReal,
  constTime,
  LONGLONG,
  LONGLONG_UNSIGNED,
  lookupRpnFn,
  scalarFunc,
} from "../src/index.js";
import { evalConst, evalRows, ints } from "./helpers.js";

const S = tipb.ScalarFuncSig;
type Expr = tipb.Expr.$Properties;

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;
const UL = -1;
const enc = new TextEncoder();
const dec = new TextDecoder();

const DOUBLE = fieldType(FieldTypeTp.Double);
const DOUBLE_UNSIGNED = fieldType(FieldTypeTp.Double, { flag: FieldTypeFlag.Unsigned });
const FLOAT = fieldType(FieldTypeTp.Float);
/** A non-binary string (utf8mb4_bin), so that constants are not read as binary literals. */
const STR = fieldType(FieldTypeTp.VarString, { collate: Collation.Utf8Mb4Bin, charset: "utf8mb4" });
const BIN_STR = fieldType(FieldTypeTp.VarString, { collate: Collation.Binary, charset: "binary" });
const decimalFt = (flen = UL, decimal = UL, unsigned = false): FieldType =>
  fieldType(FieldTypeTp.NewDecimal, { flen, decimal, flag: unsigned ? FieldTypeFlag.Unsigned : 0 });
const doubleFt = (flen: number, decimal: number, unsigned = false): FieldType =>
  fieldType(FieldTypeTp.Double, { flen, decimal, flag: unsigned ? FieldTypeFlag.Unsigned : 0 });
const d = (s: string) => Decimal.fromString(s);

/** `in_union = true` as TiDB serializes `tipb.InUnionMetadata` into `Expr.val`. */
const IN_UNION = Uint8Array.of(0x08, 0x01);

function cast(sig: number, ret: FieldType, child: Expr, inUnion = false): Expr {
  const e = scalarFunc(sig, ret, child);
  return inUnion ? { ...e, val: IN_UNION } : e;
}

interface Flags {
  overflowAsWarning?: boolean;
  truncateAsWarning?: boolean;
  inInsert?: boolean;
  inUpdateOrDelete?: boolean;
  strict?: boolean;
}

/** TiKV's `CtxConfig`: no flag means truncation and overflow are errors. */
function context(f: Flags = {}): EvalContext {
  let flags = 0;
  if (f.overflowAsWarning) flags |= EvalFlag.OverflowAsWarning;
  if (f.truncateAsWarning) flags |= EvalFlag.TruncateAsWarning;
  if (f.inInsert) flags |= EvalFlag.InInsertStmt;
  if (f.inUpdateOrDelete) flags |= EvalFlag.InUpdateOrDeleteStmt;
  return new EvalContext({ flags, sqlMode: f.strict ? SqlMode.StrictAllTables : 0n });
}

/** Evaluates on constants; returns the value and the warning codes. */
function run(expr: Expr, f: Flags = {}): { value: unknown; warnings: number[] } {
  const ctx = context(f);
  const value = evalConst(expr, ctx);
  return { value, warnings: ctx.warnings.list.map((w) => w.code) };
}

/** Evaluates over one-row columns; returns row 0's value and the warning codes. */
function runRows(
  expr: Expr,
  schema: FieldType[],
  columns: Column[],
  f: Flags = {},
): { value: unknown; warnings: number[] } {
  const ctx = context(f);
  const [value] = evalRows(expr, schema, columns, null, ctx);
  return { value, warnings: ctx.warnings.list.map((w) => w.code) };
}

const sorted = (a: number[]) => [...a].sort((x, y) => x - y);

describe("registration", () => {
  it("registers the casts landed here", () => {
    for (const sig of [
      S.CastIntAsInt,
      S.CastIntAsReal,
      S.CastIntAsDecimal,
      S.CastIntAsString,
      S.CastIntAsTime,
      S.CastRealAsInt,
      S.CastRealAsReal,
      S.CastRealAsDecimal,
      S.CastRealAsString,
      S.CastDecimalAsInt,
      S.CastDecimalAsReal,
      S.CastDecimalAsDecimal,
      S.CastDecimalAsString,
      S.CastStringAsInt,
      S.CastStringAsReal,
      S.CastStringAsDecimal,
      S.CastStringAsString,
      S.CastStringAsTime,
      S.CastStringAsDuration,
      S.CastStringAsJson,
      S.CastTimeAsInt,
      S.CastTimeAsString,
      S.CastDurationAsString,
      S.CastJsonAsString,
    ]) {
      expect(lookupRpnFn(sig)?.name, tipb.ScalarFuncSig[sig]).toMatch(/^CastFns\./);
    }
  });

  it("every cast is NULL on NULL (test_none_with_*)", () => {
    const cases: [number, FieldType, FieldType][] = [
      [S.CastIntAsInt, LONGLONG, LONGLONG_UNSIGNED],
      [S.CastIntAsReal, LONGLONG, DOUBLE],
      [S.CastIntAsDecimal, LONGLONG, decimalFt()],
      [S.CastIntAsString, LONGLONG, STR],
      [S.CastIntAsTime, LONGLONG, fieldType(FieldTypeTp.DateTime)],
      [S.CastRealAsInt, DOUBLE, LONGLONG_UNSIGNED],
      [S.CastRealAsReal, DOUBLE, DOUBLE_UNSIGNED],
      [S.CastRealAsDecimal, DOUBLE, decimalFt()],
      [S.CastRealAsString, DOUBLE, STR],
      [S.CastDecimalAsInt, decimalFt(), LONGLONG],
      [S.CastDecimalAsReal, decimalFt(), DOUBLE],
      [S.CastDecimalAsDecimal, decimalFt(), decimalFt(5, 2, true)],
      [S.CastDecimalAsString, decimalFt(), STR],
      [S.CastStringAsInt, STR, LONGLONG],
      [S.CastStringAsReal, STR, DOUBLE],
      [S.CastStringAsDecimal, STR, decimalFt()],
      [S.CastStringAsString, STR, STR],
      [S.CastStringAsTime, STR, fieldType(FieldTypeTp.DateTime)],
      [S.CastStringAsDuration, STR, fieldType(FieldTypeTp.Duration)],
      [S.CastStringAsJson, STR, fieldType(FieldTypeTp.Json)],
      [S.CastTimeAsInt, fieldType(FieldTypeTp.DateTime), LONGLONG],
      [S.CastTimeAsString, fieldType(FieldTypeTp.DateTime), STR],
      [S.CastDurationAsString, fieldType(FieldTypeTp.Duration), STR],
      [S.CastJsonAsString, fieldType(FieldTypeTp.Json), STR],
    ];
    for (const [sig, from, to] of cases) {
      expect(run(cast(sig, to, constNull(from), true)).value, tipb.ScalarFuncSig[sig]).toBeNull();
    }
  });
});

describe("CastIntAsInt", () => {
  // test_int_as_int_others
  it.each([
    [I64_MAX, false, false, I64_MAX],
    [I64_MIN, false, false, I64_MIN],
    [U64_MAX, true, true, U64_MAX],
    [U64_MAX, true, false, -1n],
  ])("test_int_as_int_others: %s (unsigned %s) → unsigned %s = %s", (v, fu, tu, want) => {
    const from = fu ? LONGLONG_UNSIGNED : LONGLONG;
    const to = tu ? LONGLONG_UNSIGNED : LONGLONG;
    expect(run(cast(S.CastIntAsInt, to, constInt(v, from))).value).toBe(want);
  });

  // test_signed_int_as_unsigned_int: (origin, result, in_union)
  it.each([
    [-10n, 0n, true],
    [10n, 10n, true],
    [I64_MIN, 0n, true],
    [I64_MAX, I64_MAX, true],
    [-10n, BigInt.asUintN(64, -10n), false],
    [10n, 10n, false],
    [I64_MIN, BigInt.asUintN(64, I64_MIN), false],
    [I64_MAX, I64_MAX, false],
  ])("test_signed_int_as_unsigned_int: %s → %s (in_union %s)", (v, want, inUnion) => {
    expect(run(cast(S.CastIntAsInt, LONGLONG_UNSIGNED, constInt(v), inUnion)).value).toBe(want);
  });

  it("works over a column with NULLs", () => {
    const e = cast(S.CastIntAsInt, LONGLONG_UNSIGNED, columnRef(0, LONGLONG), true);
    expect(evalRows(e, [LONGLONG], [ints([-5n, null, 7n])])).toEqual([0n, null, 7n]);
  });
});

describe("CastRealAsInt", () => {
  // test_real_as_int: (origin, result, overflow), OverflowAsWarning
  it.each([
    [-10.4, -10n, false],
    [-10.5, -10n, false],
    [10.4, 10n, false],
    [10.5, 10n, false],
    [Number(I64_MAX), I64_MAX, false],
    [2 ** 63, I64_MAX, false],
    [Number(I64_MIN), I64_MIN, false],
    [2 ** 63 + 2 ** 62, I64_MAX, true],
    [Number(I64_MIN) * 2, I64_MIN, true],
  ])("test_real_as_int: %s → %s (overflow %s)", (v, want, overflow) => {
    const r = run(cast(S.CastRealAsInt, LONGLONG, constReal(v)), { overflowAsWarning: true });
    expect(r.value).toBe(want);
    expect(r.warnings).toEqual(overflow ? [ERR_DATA_OUT_OF_RANGE] : []);
  });

  it("rounds half to even for signed results (TiKV round_ties_even)", () => {
    expect(run(cast(S.CastRealAsInt, LONGLONG, constReal(11.5))).value).toBe(12n);
    expect(run(cast(S.CastRealAsInt, LONGLONG, constReal(-11.5))).value).toBe(-12n);
    expect(run(cast(S.CastRealAsInt, LONGLONG, constReal(0.5))).value).toBe(0n);
  });

  it("overflow is an error without OverflowAsWarning, with TiKV's message", () => {
    expect(() => run(cast(S.CastRealAsInt, LONGLONG, constReal(1e20)))).toThrow(
      "constant 100000000000000000000 overflows LongLong",
    );
  });

  // test_real_as_uint
  it.each([
    [-10.0, 0n],
    [Number(I64_MIN), 0n],
    [10.0, 10n],
    [Number(I64_MAX), 2n ** 63n],
  ])("test_real_as_uint in union: %s → %s", (v, want) => {
    expect(run(cast(S.CastRealAsInt, LONGLONG_UNSIGNED, constReal(v), true)).value).toBe(want);
  });

  it.each([
    [10.5, 11n, false],
    [10.4, 10n, false],
    [2 ** 63 + 2 ** 62, 2n ** 63n + 2n ** 62n, false],
    [2 ** 64, U64_MAX, false],
    [2 ** 65, U64_MAX, true],
    [-1, BigInt.asUintN(64, -1n), true],
  ])("test_real_as_uint, no clip to zero: %s → %s (overflow %s)", (v, want, overflow) => {
    const r = run(cast(S.CastRealAsInt, LONGLONG_UNSIGNED, constReal(v)), { overflowAsWarning: true });
    expect(r.value).toBe(want);
    expect(r.warnings).toEqual(overflow ? [ERR_DATA_OUT_OF_RANGE] : []);
  });

  it.each([
    [-1, 0n],
    [Number(I64_MIN), 0n],
  ])("test_real_as_uint, clip to zero (INSERT): %s → %s", (v, want) => {
    const r = run(cast(S.CastRealAsInt, LONGLONG_UNSIGNED, constReal(v)), {
      overflowAsWarning: true,
      inInsert: true,
    });
    expect(r.value).toBe(want);
    expect(r.warnings).toEqual([ERR_DATA_OUT_OF_RANGE]);
  });
});

describe("CastStringAsInt", () => {
  type Cond = "none" | "unsigned" | "inUnionAndUnsigned";
  // test_cast_string_as_int: (origin, expect as i64 bits, warning codes, condition)
  it.each([
    [" 9223372036854775807  ", 9223372036854775807n, [], "none"],
    ["9223372036854775807", 9223372036854775807n, [], "none"],
    ["9223372036854775808", 9223372036854775808n, [ERR_UNKNOWN], "none"],
    ["9223372036854775808", 9223372036854775808n, [], "unsigned"],
    [" 9223372036854775807abc  ", 9223372036854775807n, [ERR_TRUNCATE_WRONG_VALUE], "none"],
    ["9223372036854775807abc", 9223372036854775807n, [ERR_TRUNCATE_WRONG_VALUE], "none"],
    ["9223372036854775808abc", 9223372036854775808n, [ERR_TRUNCATE_WRONG_VALUE, ERR_UNKNOWN], "none"],
    ["9223372036854775808abc", 9223372036854775808n, [ERR_TRUNCATE_WRONG_VALUE], "unsigned"],
    ["-10", 0n, [], "inUnionAndUnsigned"],
    ["-9223372036854775808", 0n, [], "inUnionAndUnsigned"],
    ["-10", -10n, [], "none"],
    ["-9223372036854775808", I64_MIN, [], "none"],
    ["-9223372036854775809", I64_MIN, [ERR_TRUNCATE_WRONG_VALUE], "none"],
    ["-10", -10n, [ERR_UNKNOWN], "unsigned"],
    ["-9223372036854775808", I64_MIN, [ERR_UNKNOWN], "unsigned"],
    ["-9223372036854775809", I64_MIN, [ERR_TRUNCATE_WRONG_VALUE], "unsigned"],
    ["0.5", 0n, [ERR_TRUNCATE_WRONG_VALUE], "none"],
  ] as [string, bigint, number[], Cond][])(
    "test_cast_string_as_int: %j → %s %j (%s)",
    (input, bits, codes, cond) => {
      const unsigned = cond !== "none";
      const ret = unsigned ? LONGLONG_UNSIGNED : LONGLONG;
      const r = run(cast(S.CastStringAsInt, ret, constBytes(input, STR), cond === "inUnionAndUnsigned"), {
        overflowAsWarning: true,
        truncateAsWarning: true,
      });
      expect(r.value).toBe(unsigned ? BigInt.asUintN(64, bits) : BigInt.asIntN(64, bits));
      expect(sorted(r.warnings)).toEqual(sorted(codes));
    },
  );

  it("overflow without OverflowAsWarning is the BIGINT overflow error", () => {
    expect(() =>
      run(cast(S.CastStringAsInt, LONGLONG, constBytes("99999999999999999999", STR)), {
        truncateAsWarning: true,
      }),
    ).toThrow("BIGINT value is out of range in '99999999999999999999'");
    expect(() =>
      run(cast(S.CastStringAsInt, LONGLONG, constBytes("-9223372036854775809", STR)), {
        truncateAsWarning: true,
      }),
    ).toThrow("BIGINT UNSIGNED value is out of range in '-9223372036854775809'");
  });

  it("truncation is an error without a truncate flag, ignored with IgnoreTruncate", () => {
    expect(() => run(cast(S.CastStringAsInt, LONGLONG, constBytes("12a", STR)))).toThrow(
      "Truncated incorrect INTEGER value: '12a'",
    );
    const ctx = new EvalContext({ flags: EvalFlag.IgnoreTruncate });
    expect(evalConst(cast(S.CastStringAsInt, LONGLONG, constBytes("12a", STR)), ctx)).toBe(12n);
    expect(ctx.warnings.count).toBe(0);
  });

  it("malformed UTF-8 stops the number with a Data Truncated", () => {
    const r = run(cast(S.CastStringAsInt, LONGLONG, constBytes(Uint8Array.of(0x31, 0x32, 0xff, 0x33), STR)), {
      truncateAsWarning: true,
    });
    expect(r.value).toBe(12n);
    expect(r.warnings).toEqual([WARN_DATA_TRUNCATED]);
  });

  // test_cast_string_as_int, binary literal
  it("a binary-string constant is a big-endian binary literal", () => {
    expect(run(cast(S.CastStringAsInt, LONGLONG, constBytes(Uint8Array.of(1, 2, 3), BIN_STR))).value).toBe(
      0x010203n,
    );
    expect(run(cast(S.CastStringAsInt, LONGLONG, constBytes(Uint8Array.of(1, 2, 3, 4), BIN_STR))).value).toBe(
      0x01020304n,
    );
    expect(() =>
      run(cast(S.CastStringAsInt, LONGLONG, constBytes(Uint8Array.of(1, 2, 3, 4, 5, 6, 6, 6, 6), BIN_STR))),
    ).toThrow(/Truncated incorrect BINARY value: '0x010203040506060606'/);
    // Leading zero bytes do not count towards the 8.
    expect(
      run(
        cast(
          S.CastStringAsInt,
          LONGLONG_UNSIGNED,
          constBytes(Uint8Array.of(0, 0, 255, 255, 255, 255, 255, 255, 255, 255), BIN_STR),
        ),
      ).value,
    ).toBe(U64_MAX);
  });

  it("a binary-string column is parsed as text (only constants are literals)", () => {
    const e = cast(S.CastStringAsInt, LONGLONG, columnRef(0, BIN_STR));
    expect(evalRows(e, [BIN_STR], [ChunkedVecBytes.fromValues(["123", null, " -7 "])])).toEqual([
      123n,
      null,
      -7n,
    ]);
  });
});

describe("CastDecimalAsInt", () => {
  // test_decimal_as_int
  it.each([
    ["9223372036854775807", I64_MAX, []],
    ["-9223372036854775808", I64_MIN, []],
    ["9223372036854775808", I64_MAX, [ERR_TRUNCATE_WRONG_VALUE]],
    ["-9223372036854775809", I64_MIN, [ERR_TRUNCATE_WRONG_VALUE]],
    ["1.5", 2n, []],
    ["-1.5", -2n, []],
    ["2.4", 2n, []],
  ])("test_decimal_as_int: %s → %s %j", (input, want, codes) => {
    const r = run(cast(S.CastDecimalAsInt, LONGLONG, constDecimal(d(input))), { overflowAsWarning: true });
    expect(r.value).toBe(want);
    expect(r.warnings).toEqual(codes);
  });

  // test_decimal_as_uint
  it.each([
    ["-9223372036854775808", 0n],
    ["-9223372036854775809", 0n],
    ["9223372036854775808", 9223372036854775808n],
    ["18446744073709551615", U64_MAX],
  ])("test_decimal_as_uint in union: %s → %s", (input, want) => {
    expect(run(cast(S.CastDecimalAsInt, LONGLONG_UNSIGNED, constDecimal(d(input)), true)).value).toBe(want);
  });

  it.each([
    ["10", 10n, []],
    ["1844674407370955161", 1844674407370955161n, []],
    ["-10", 0n, [ERR_TRUNCATE_WRONG_VALUE]],
    ["18446744073709551616", U64_MAX, [ERR_TRUNCATE_WRONG_VALUE]],
  ])("test_decimal_as_uint: %s → %s %j", (input, want, codes) => {
    const r = run(cast(S.CastDecimalAsInt, LONGLONG_UNSIGNED, constDecimal(d(input))), {
      overflowAsWarning: true,
    });
    expect(r.value).toBe(want);
    expect(r.warnings).toEqual(codes);
  });

  it("overflow is an error without OverflowAsWarning", () => {
    expect(() => run(cast(S.CastDecimalAsInt, LONGLONG, constDecimal(d("1e30"))))).toThrow(
      "Truncated incorrect DECIMAL value: '1000000000000000000000000000000'",
    );
  });
});

describe("CastIntAsReal / CastRealAsReal / CastDecimalAsReal", () => {
  // test_signed_int_as_signed_real
  it.each([I64_MIN, 0n, I64_MAX])("test_signed_int_as_signed_real: %s", (v) => {
    expect(run(cast(S.CastIntAsReal, DOUBLE, constInt(v))).value).toBe(Number(v));
  });

  // test_signed_int_as_unsigned_real: (input, expect, in_union)
  it.each([
    [I64_MAX, Number(I64_MAX), false],
    [0n, 0, false],
    [I64_MIN, 0, true],
    [-1n, 0, true],
    [I64_MAX, Number(I64_MAX), true],
    [0n, 0, true],
    [-1n, 2 ** 64, false],
  ])("test_signed_int_as_unsigned_real: %s → %s (in_union %s)", (v, want, inUnion) => {
    expect(run(cast(S.CastIntAsReal, DOUBLE_UNSIGNED, constInt(v), inUnion)).value).toBe(want);
  });

  // test_unsigned_int_as_signed_or_unsigned_real
  it.each([0n, U64_MAX, I64_MAX])("test_unsigned_int_as_signed_or_unsigned_real: %s", (v) => {
    for (const ret of [DOUBLE, DOUBLE_UNSIGNED]) {
      expect(run(cast(S.CastIntAsReal, ret, constInt(v, LONGLONG_UNSIGNED))).value).toBe(Number(v));
    }
  });

  // test_real_as_signed_real
  it.each([
    -3.4028234663852886e38,
    3.4028234663852886e38,
    -Number.MAX_VALUE,
    0,
    Number.MAX_VALUE,
    Number(I64_MIN),
    Number(I64_MAX),
    2 ** 64,
  ])("test_real_as_signed_real: %s", (v) => {
    expect(run(cast(S.CastRealAsReal, DOUBLE, constReal(v))).value).toBe(v);
  });

  // test_real_as_unsigned_real: (input, expect, in_union)
  it.each([
    [0, 0, false],
    [1, 1, false],
    [Number(I64_MAX), Number(I64_MAX), false],
    [Number.MAX_VALUE, Number.MAX_VALUE, false],
    [-1, 0, true],
    [Number(I64_MIN), 0, true],
    [-Number.MAX_VALUE, 0, true],
    [1, 1, true],
    [Number.MAX_VALUE, Number.MAX_VALUE, true],
  ])("test_real_as_unsigned_real: %s → %s (in_union %s)", (v, want, inUnion) => {
    expect(run(cast(S.CastRealAsReal, DOUBLE_UNSIGNED, constReal(v), inUnion)).value).toBe(want);
  });

  // test_decimal_as_signed_real / test_decimal_as_unsigned_real
  it("decimal → double", () => {
    expect(run(cast(S.CastDecimalAsReal, DOUBLE, constDecimal(d("1.5")))).value).toBe(1.5);
    expect(run(cast(S.CastDecimalAsReal, DOUBLE, constDecimal(d("-9223372036854775808")))).value).toBe(
      Number(I64_MIN),
    );
    expect(run(cast(S.CastDecimalAsReal, DOUBLE, constDecimal(d("0.1")))).value).toBe(0.1);
    expect(run(cast(S.CastDecimalAsReal, DOUBLE_UNSIGNED, constDecimal(d("-10")), true)).value).toBe(0);
    expect(run(cast(S.CastDecimalAsReal, DOUBLE_UNSIGNED, constDecimal(d("-10")))).value).toBe(-10);
    expect(
      run(cast(S.CastDecimalAsReal, DOUBLE_UNSIGNED, constDecimal(d("18446744073709551615")), true)).value,
    ).toBe(2 ** 64);
  });
});

describe("CastStringAsReal", () => {
  const nines = (n: number, neg = false) => (neg ? "-" : "") + "9".repeat(n);
  const both = { overflowAsWarning: true, truncateAsWarning: true };

  // test_cast_string_as_real, signed: (input, expect, flen, decimal, truncated, overflow)
  it.each([
    ["99999999", 99999999, UL, UL, false, false],
    ["1234abc", 1234, UL, UL, true, false],
    ["-1234abc", -1234, UL, UL, true, false],
    [nines(400), Number.MAX_VALUE, UL, UL, true, false],
    [nines(400, true), -Number.MAX_VALUE, UL, UL, true, false],
    ["99999999", 99999999, 8, 0, false, false],
    ["99999999", 99999999, 9, 0, false, false],
    ["99999999", 9999999, 7, 0, false, true],
    ["99999999", 999999.99, 8, 2, false, true],
    ["1234abc", 0.9, 1, 1, true, true],
    ["-1234abc", -0.9, 1, 1, true, true],
    ["", 0, 1, 0, false, false],
  ] as const)(
    "test_cast_string_as_real signed: %j → %s (%d, %d)",
    (input, want, flen, decimal, trunc, over) => {
      const r = run(cast(S.CastStringAsReal, doubleFt(flen, decimal), constBytes(input, STR)), both);
      expect(r.value).toBe(want);
      const codes = [...(trunc ? [ERR_TRUNCATE_WRONG_VALUE] : []), ...(over ? [ERR_DATA_OUT_OF_RANGE] : [])];
      expect(sorted(r.warnings)).toEqual(sorted(codes));
    },
  );

  // test_cast_string_as_real, unsigned: (input, expect, flen, decimal, truncated, overflow, in_union)
  it.each([
    ["99999999", 99999999, UL, UL, false, false, false],
    ["1234abc", 1234, UL, UL, true, false, false],
    [nines(400), Number.MAX_VALUE, UL, UL, true, false, false],
    ["99999999", 99999999, 8, 0, false, false, false],
    ["99999999", 9999999.9, 8, 1, false, true, false],
    ["99999999", 999999.99, 8, 2, false, true, false],
    ["99999999", 999999.9, 7, 1, false, true, false],
    ["1234abc", 1234.0, 4, 0, true, false, false],
    ["1234abc", 999.9, 4, 1, true, true, false],
    ["1234abc", 99.99, 4, 2, true, true, false],
    ["1234abc", 99.9, 3, 1, true, true, false],
    ["1234abc", 9.999, 4, 3, true, true, false],
    [nines(400), 9999999999.0, 10, 0, true, true, false],
    [nines(400), 999999999.9, 10, 1, true, true, false],
    ["-190", 0, UL, UL, false, false, true],
    ["-10abc", 0, UL, UL, true, false, true],
    ["-1234abc", 0, UL, UL, true, false, true],
  ] as const)(
    "test_cast_string_as_real unsigned: %j → %s (%d, %d)",
    (input, want, flen, decimal, trunc, over, inUnion) => {
      const r = run(
        cast(S.CastStringAsReal, doubleFt(flen, decimal, true), constBytes(input, STR), inUnion),
        both,
      );
      expect(r.value).toBe(want);
      const codes = [...(trunc ? [ERR_TRUNCATE_WRONG_VALUE] : []), ...(over ? [ERR_DATA_OUT_OF_RANGE] : [])];
      expect(sorted(r.warnings)).toEqual(sorted(codes));
    },
  );

  // test_cast_string_as_real, not in union, negative, unsigned: warnings in order
  it.each([
    [nines(401, true), UL, UL, [ERR_TRUNCATE_WRONG_VALUE, ERR_DATA_OUT_OF_RANGE]],
    ["-1234abc", UL, UL, [ERR_TRUNCATE_WRONG_VALUE, ERR_DATA_OUT_OF_RANGE]],
    ["-1234abc", 4, 0, [ERR_TRUNCATE_WRONG_VALUE, ERR_DATA_OUT_OF_RANGE]],
    ["-1234abc", 4, 1, [ERR_TRUNCATE_WRONG_VALUE, ERR_DATA_OUT_OF_RANGE, ERR_DATA_OUT_OF_RANGE]],
    ["-1234abc", 4, 2, [ERR_TRUNCATE_WRONG_VALUE, ERR_DATA_OUT_OF_RANGE, ERR_DATA_OUT_OF_RANGE]],
    ["-1234abc", 3, 1, [ERR_TRUNCATE_WRONG_VALUE, ERR_DATA_OUT_OF_RANGE, ERR_DATA_OUT_OF_RANGE]],
    ["-1234abc", 4, 3, [ERR_TRUNCATE_WRONG_VALUE, ERR_DATA_OUT_OF_RANGE, ERR_DATA_OUT_OF_RANGE]],
  ] as const)("test_cast_string_as_real unsigned negative: %j (%d, %d)", (input, flen, decimal, codes) => {
    const r = run(cast(S.CastStringAsReal, doubleFt(flen, decimal, true), constBytes(input, STR)), both);
    expect(r.value).toBe(0);
    expect(r.warnings).toEqual(codes);
  });

  // test_cast_string_as_real, binary literal
  it("a binary-string constant is a binary literal", () => {
    expect(run(cast(S.CastStringAsReal, DOUBLE, constBytes(Uint8Array.of(1, 2, 3), BIN_STR))).value).toBe(
      0x010203,
    );
    expect(run(cast(S.CastStringAsReal, DOUBLE, constBytes(Uint8Array.of(1, 2, 3, 4), BIN_STR))).value).toBe(
      0x01020304,
    );
    expect(() =>
      run(cast(S.CastStringAsReal, DOUBLE, constBytes(Uint8Array.of(1, 2, 3, 4, 5, 6, 6, 6, 6), BIN_STR))),
    ).toThrow(/BINARY/);
  });

  // test_get_valid_float_prefix / test_bytes_to_f64
  it.each([
    ["-100", -100, false],
    ["1.", 1, false],
    [".1", 0.1, false],
    ["123.23E-10", 123.23e-10, false],
    [" 23", 23, false],
    ["1abc", 1, true],
    ["-1-1", -1, true],
    ["+1+1", 1, true],
    ["123..34", 123, true],
    ["1.1e1.3", 11, true],
    ["11e1.3", 110, true],
    ["1.1e-13a", 1.1e-13, true],
    ["123e+", 123, true],
    ["123.e", 123, true],
    ["1-1-", 1, true],
    ["xx", 0, true],
    ["0x00", 0, true],
    ["\u3000 7.5\u00a0", 7.5, false],
  ])("valid float prefix: %j → %s (truncated %s)", (input, want, trunc) => {
    const r = run(cast(S.CastStringAsReal, DOUBLE, constBytes(input, STR)), { truncateAsWarning: true });
    expect(r.value).toBe(want);
    expect(r.warnings).toEqual(trunc ? [ERR_TRUNCATE_WRONG_VALUE] : []);
  });

  // test_bytes_to_f64_invalid_utf8
  it.each([
    [[0x61, 0xf7], 0, [WARN_DATA_TRUNCATED, ERR_TRUNCATE_WRONG_VALUE]],
    [[0xf7, 0x61], 0, [WARN_DATA_TRUNCATED, ERR_TRUNCATE_WRONG_VALUE]],
    [[0x30, 0x31], 1, []],
    [[0x30, 0x31, 0x61], 1, [ERR_TRUNCATE_WRONG_VALUE]],
  ])("test_bytes_to_f64_invalid_utf8: %j → %s", (bytes, want, codes) => {
    const r = run(cast(S.CastStringAsReal, DOUBLE, constBytes(Uint8Array.from(bytes), STR)), {
      truncateAsWarning: true,
    });
    expect(r.value).toBe(want);
    expect(r.warnings).toEqual(codes);
  });
});

describe("to DECIMAL (produce_dec_with_specified_tp)", () => {
  const str = (v: unknown) => (v as Decimal).toStringValue();

  // test_produce_dec_with_specified_tp
  it.each([
    ["11.1", 2, 2, "0.99"],
    ["-111.1", 2, 2, "-0.99"],
    ["-1111.1", 5, 1, "-1111.1"],
    ["-111.111", 5, 2, "-111.11"],
  ])("test_produce_dec_with_specified_tp: %s as DECIMAL(%d, %d) = %s", (input, flen, decimal, want) => {
    const r = run(cast(S.CastDecimalAsDecimal, decimalFt(flen, decimal), constDecimal(d(input))), {
      overflowAsWarning: true,
      truncateAsWarning: true,
    });
    expect(str(r.value)).toBe(want);
  });

  // test_produce_dec_with_specified_tp_2
  it("flen < decimal is error 1427", () => {
    expect(() => run(cast(S.CastDecimalAsDecimal, decimalFt(1, 2), constDecimal(d("0"))))).toThrow(
      expect.objectContaining({ code: ERR_M_BIGGER_THAN_D }),
    );
  });

  it.each([
    ["1024", 3, 0, "999"],
    ["-1024", 3, 0, "-999"],
    ["10240.01", 5, 1, "9999.9"],
    ["-10240.01", 5, 1, "-9999.9"],
  ])("test_produce_dec_with_specified_tp_2 overflow: %s as (%d, %d) = %s", (input, flen, decimal, want) => {
    const r = run(cast(S.CastDecimalAsDecimal, decimalFt(flen, decimal), constDecimal(d(input))), {
      overflowAsWarning: true,
    });
    expect(str(r.value)).toBe(want);
    expect(r.warnings).toEqual([ERR_DATA_OUT_OF_RANGE]);
    expect(() => run(cast(S.CastDecimalAsDecimal, decimalFt(flen, decimal), constDecimal(d(input))))).toThrow(
      "Decimal value is out of range in '(",
    );
  });

  it("more fraction digits pad, and UNSIGNED clips negatives to 0 (test_produce_dec_with_specified_tp_2)", () => {
    expect(str(run(cast(S.CastDecimalAsDecimal, decimalFt(7, 5), constDecimal(d("10.1234")))).value)).toBe(
      "10.12340",
    );
    expect(str(run(cast(S.CastDecimalAsDecimal, decimalFt(7, 5), constDecimal(d("-10.1234")))).value)).toBe(
      "-10.12340",
    );
    expect(
      str(run(cast(S.CastDecimalAsDecimal, decimalFt(7, 5, true), constDecimal(d("-10.1234")))).value),
    ).toBe("0");
  });

  it("fewer fraction digits round half away from zero: truncation through ctx, or a plain warning in DML", () => {
    const e = cast(S.CastDecimalAsDecimal, decimalFt(6, 2), constDecimal(d("10.1250")));
    const sel = run(e, { truncateAsWarning: true });
    expect(str(sel.value)).toBe("10.13");
    expect(sel.warnings).toEqual([WARN_DATA_TRUNCATED]);
    expect(() => run(e)).toThrow("Data Truncated");
    const ins = run(e, { inInsert: true });
    expect(str(ins.value)).toBe("10.13");
    expect(ins.warnings).toEqual([WARN_DATA_TRUNCATED]);
    // Only dropped non-zero digits count.
    const exact = run(cast(S.CastDecimalAsDecimal, decimalFt(6, 2), constDecimal(d("10.1200"))));
    expect(str(exact.value)).toBe("10.12");
    expect(exact.warnings).toEqual([]);
  });

  it("test_decimal_as_unsigned_decimal: negatives in a UNION become 0", () => {
    expect(
      str(run(cast(S.CastDecimalAsDecimal, decimalFt(UL, UL, true), constDecimal(d("-1.5")), true)).value),
    ).toBe("0");
    expect(
      str(run(cast(S.CastDecimalAsDecimal, decimalFt(UL, UL, false), constDecimal(d("-1.5")), true)).value),
    ).toBe("-1.5");
  });

  // test_signed_int_as_unsigned_decimal / test_signed_int_as_signed_decimal /
  // test_unsigned_int_as_signed_or_unsigned_decimal
  it.each([
    [-1n, false, true, true, "0"],
    [I64_MIN, false, true, true, "0"],
    [10n, false, true, true, "10"],
    [-1n, false, true, false, "18446744073709551615"],
    [-10n, false, true, false, "18446744073709551606"],
    [I64_MIN, false, false, false, "-9223372036854775808"],
    [I64_MAX, false, false, false, "9223372036854775807"],
    [U64_MAX, true, false, false, "18446744073709551615"],
    [U64_MAX, true, true, true, "18446744073709551615"],
  ])("int → decimal: %s (from unsigned %s, to unsigned %s, in union %s) = %s", (v, fu, tu, inUnion, want) => {
    const child = constInt(v, fu ? LONGLONG_UNSIGNED : LONGLONG);
    expect(str(run(cast(S.CastIntAsDecimal, decimalFt(UL, UL, tu), child, inUnion)).value)).toBe(want);
  });

  // test_real_as_decimal: (input, in_union, base_result)
  it.each([
    [-10.0, true, "0"],
    [Number(I64_MIN), true, "0"],
    [-0.0001, true, "0"],
    [10.0, true, "10"],
    [0.0001, true, "0.0001"],
    [-10.0, false, "-10"],
    [Number(I64_MIN), false, "-9223372036854776000"],
    [-0.0001, false, "-0.0001"],
    [Number(I64_MAX), false, "9223372036854776000"],
    [1.0, false, "1"],
  ])("test_real_as_decimal: %s (in_union %s) = %s", (v, inUnion, want) => {
    expect(str(run(cast(S.CastRealAsDecimal, decimalFt(), constReal(v), inUnion)).value)).toBe(want);
  });

  it("real → DECIMAL(4, 1) rounds and overflows", () => {
    expect(
      str(
        run(cast(S.CastRealAsDecimal, decimalFt(4, 1), constReal(12.34)), { truncateAsWarning: true }).value,
      ),
    ).toBe("12.3");
    const r = run(cast(S.CastRealAsDecimal, decimalFt(4, 1), constReal(12345.6)), {
      overflowAsWarning: true,
    });
    expect(str(r.value)).toBe("999.9");
  });

  it("an infinite double has no decimal", () => {
    expect(() => run(cast(S.CastRealAsDecimal, decimalFt(), constReal(Number.POSITIVE_INFINITY)))).toThrow(
      /inf/,
    );
  });

  // test_string_as_signed_decimal / test_string_as_unsigned_decimal
  it.each([
    ["-10", false, false, "-10"],
    ["-0.001", false, false, "-0.001"],
    ["-9223372036854775808", false, false, "-9223372036854775808"],
    ["12.5e2", false, false, "1250"],
    ["-10", true, true, "0"],
    ["-10", true, false, "0"],
    ["10", true, true, "10"],
  ])("string → decimal: %j (unsigned %s, in union %s) = %s", (input, unsigned, inUnion, want) => {
    const e = cast(S.CastStringAsDecimal, decimalFt(UL, UL, unsigned), constBytes(input, STR), inUnion);
    expect(str(run(e).value)).toBe(want);
  });

  it("string → decimal: trailing garbage is a truncation, unreadable text is 0", () => {
    const r = run(cast(S.CastStringAsDecimal, decimalFt(), constBytes("2.23a2", STR)), {
      truncateAsWarning: true,
    });
    expect(str(r.value)).toBe("2.23");
    expect(r.warnings).toEqual([WARN_DATA_TRUNCATED]);
    expect(str(run(cast(S.CastStringAsDecimal, decimalFt(), constBytes("abc", STR))).value)).toBe("0");
  });
});

describe("to string (produce_str_with_specified_tp, pad_zero_for_binary_type)", () => {
  const strFt = (
    flen: number,
    charset: string,
    collate: number,
    tp: FieldTypeTp = FieldTypeTp.String,
  ): FieldType => fieldType(tp, { flen, charset, collate });

  /** TiKV test_as_string_helper: each value under each result type variant. */
  function asStringHelper(
    sig: number,
    child: Expr,
    want: Uint8Array,
    input?: { schema: FieldType[]; columns: Column[] },
  ): void {
    const n = want.length;
    const variants: [number, string, number, boolean, number[]][] = [
      // (flen, charset, collation, pad zero, warnings)
      [n, "binary", Collation.Binary, false, []],
      [n, "utf8", Collation.Binary, false, []],
      [n, "utf8mb4", Collation.Binary, false, []],
      [n, "ascii", Collation.Binary, false, []],
      [n, "latin1", Collation.Binary, false, []],
      [UL, "binary", Collation.Binary, false, []],
      [UL, "utf8mb4", Collation.Binary, false, []],
      [n, "utf8", Collation.Utf8Mb4BinNoPadding, false, []],
      [n + 1, "utf8mb4", Collation.Utf8Mb4BinNoPadding, false, []],
      [n + 1, "utf8", Collation.Binary, true, []],
      [n + 1, "utf8mb4", Collation.Binary, true, []],
    ];
    if (n > 0) {
      variants.push(
        [n - 1, "utf8", Collation.Utf8Mb4BinNoPadding, false, [ERR_DATA_TOO_LONG]],
        [n - 1, "utf8mb4", Collation.Utf8Mb4BinNoPadding, false, [ERR_DATA_TOO_LONG]],
        [n - 1, "ascii", Collation.Utf8Mb4BinNoPadding, false, [ERR_DATA_TOO_LONG]],
        [n - 1, "latin1", Collation.Utf8Mb4BinNoPadding, false, [ERR_DATA_TOO_LONG]],
        [n - 1, "binary", Collation.Utf8Mb4BinNoPadding, false, [ERR_DATA_TOO_LONG]],
      );
    }
    for (const [flen, charset, collate, pad, codes] of variants) {
      const e = cast(sig, strFt(flen, charset, collate), child);
      const flags = { truncateAsWarning: true };
      const r = input ? runRows(e, input.schema, input.columns, flags) : run(e, flags);
      let expected = want;
      if (pad && flen > n) {
        expected = new Uint8Array(flen);
        expected.set(want);
      } else if (flen !== UL) expected = want.subarray(0, flen);
      expect(r.value, `flen ${flen} ${charset} ${collate}`).toEqual(expected);
      expect(r.warnings, `flen ${flen} ${charset} ${collate}`).toEqual(codes);
    }
  }

  // test_int_as_string
  it.each([I64_MAX, I64_MIN])("test_int_as_string: %s", (v) => {
    asStringHelper(S.CastIntAsString, constInt(v), enc.encode(String(v)));
  });

  // test_uint_as_string
  it.each([I64_MAX, 2n ** 63n, U64_MAX, 0n])("test_uint_as_string: %s", (v) => {
    asStringHelper(S.CastIntAsString, constInt(v, LONGLONG_UNSIGNED), enc.encode(String(v)));
  });

  // test_year_as_string
  it.each([
    [0n, "0000"],
    [2000n, "2000"],
  ])("test_year_as_string: %s → %s", (v, want) => {
    asStringHelper(S.CastIntAsString, constInt(v, fieldType(FieldTypeTp.Year)), enc.encode(want));
  });

  it("BIT → its big-endian bytes, flen of them (cast_bit_as_string)", () => {
    const bit = fieldType(FieldTypeTp.Bit, { flag: FieldTypeFlag.Unsigned });
    expect(
      run(cast(S.CastIntAsString, strFt(2, "binary", Collation.Binary), constInt(0x4142n, bit))).value,
    ).toEqual(enc.encode("AB"));
    expect(() =>
      run(cast(S.CastIntAsString, strFt(9, "binary", Collation.Binary), constInt(1n, bit))),
    ).toThrow(/Flen/);
  });

  // test_float_real_as_string: f32 values print their float32 digits
  it.each([
    [3.4028234663852886e38, "340282350000000000000000000000000000000"],
    [1.0, "1"],
    [Math.fround(1.1113), "1.1113"],
    [Math.fround(0.1), "0.1"],
  ])("test_float_real_as_string: %s → %s", (v, want) => {
    asStringHelper(S.CastRealAsString, constReal(v, FLOAT), enc.encode(want));
  });

  // test_double_real_as_string: Rust's Display, never an exponent
  it.each([
    [3.4028234663852886e38, "340282346638528860000000000000000000000"],
    [-3.4028234663852886e38, "-340282346638528860000000000000000000000"],
    [Number.MAX_VALUE, `17976931348623157${"0".repeat(292)}`],
    [-Number.MAX_VALUE, `-17976931348623157${"0".repeat(292)}`],
    [1.0, "1"],
    [1.1113, "1.1113"],
    [0.1, "0.1"],
  ])("test_double_real_as_string: %s", (v, want) => {
    asStringHelper(S.CastRealAsString, constReal(v), enc.encode(want));
  });

  // test_string_as_string
  it("test_string_as_string", () => {
    asStringHelper(S.CastStringAsString, constBytes("", STR), new Uint8Array(0));
    asStringHelper(S.CastStringAsString, constBytes("0".repeat(1024), STR), enc.encode("0".repeat(1024)));
  });

  // test_decimal_as_string
  it("a TIME constant prints six fraction digits (TiKV decodes constants at MAX_FSP)", () => {
    const v = Duration.parse(new EvalContext(), "17:51:04.78", 2);
    expect(dec.decode(run(cast(S.CastDurationAsString, STR, constDuration(v))).value as Uint8Array)).toBe(
      "17:51:04.780000",
    );
  });

  it.each([
    [Decimal.fromI64(I64_MAX), String(I64_MAX)],
    [Decimal.fromI64(I64_MIN), String(I64_MIN)],
    [Decimal.fromU64(U64_MAX), String(U64_MAX)],
    [Decimal.fromF64(0), "0"],
    // Rust prints a double with its shortest digits: i64::MAX as f64 is 9223372036854776000.
    [Decimal.fromF64(Number(I64_MAX)), "9223372036854776000"],
    [Decimal.fromF64(Number(I64_MIN)), "-9223372036854776000"],
    [Decimal.fromF64(2 ** 64), "18446744073709552000"],
    [d("999999999999999999999999"), "999999999999999999999999"],
    [d("1.2300"), "1.2300"],
  ])("test_decimal_as_string: %s", (v, want) => {
    asStringHelper(S.CastDecimalAsString, constDecimal(v), enc.encode(want));
  });

  // test_produce_str_with_specified_tp: flen counts characters for multi-byte charsets
  it.each([1, 2, 3, 4, 5, 6])(
    "test_produce_str_with_specified_tp: 世界，中国 in %d characters / bytes",
    (n) => {
      const s = "世界，中国";
      for (const cs of ["utf8", "utf8mb4", "gbk", "gb18030"]) {
        const r = run(
          cast(
            S.CastStringAsString,
            strFt(n, cs, Collation.Utf8Mb4Bin, FieldTypeTp.VarString),
            constBytes(s, STR),
          ),
          {
            truncateAsWarning: true,
          },
        );
        expect(dec.decode(r.value as Uint8Array)).toBe([...s].slice(0, n).join(""));
        expect(r.warnings).toEqual(n < 5 ? [ERR_DATA_TOO_LONG] : []);
      }
      const r = run(
        cast(
          S.CastStringAsString,
          strFt(n, "ascii", Collation.Utf8Mb4Bin, FieldTypeTp.VarString),
          constBytes(s, STR),
        ),
        {
          truncateAsWarning: true,
        },
      );
      expect(r.value).toEqual(enc.encode(s).subarray(0, n));
    },
  );

  it("test_produce_str_with_specified_tp: malformed bytes count as one character each", () => {
    const v = Uint8Array.of(0xe4, 0xbd, 0xa0, 0x80, 0x81, 0xe4, 0xbd, 0xa0);
    const want: [number, number[]][] = [
      [1, [0xe4, 0xbd, 0xa0]],
      [2, [0xe4, 0xbd, 0xa0, 0x80]],
      [3, [0xe4, 0xbd, 0xa0, 0x80, 0x81]],
      [4, [...v]],
      [5, [...v]],
    ];
    for (const [n, bytes] of want) {
      const r = run(cast(S.CastStringAsString, strFt(n, "utf8", Collation.Binary), constBytes(v, BIN_STR)), {
        truncateAsWarning: true,
      });
      expect(r.value, `flen ${n}`).toEqual(Uint8Array.from(bytes));
    }
  });

  it("Data Too Long is an error without TruncateAsWarning", () => {
    expect(() =>
      run(cast(S.CastStringAsString, strFt(2, "utf8mb4", Collation.Utf8Mb4Bin), constBytes("abc", STR))),
    ).toThrow("Data Too Long, field len 2, data len 3");
  });

  // test_time_as_string
  it.each([
    ["2000-01-01T12:13:14", 0, "2000-01-01 12:13:14"],
    ["2000-01-01T12:13:14.6666", 0, "2000-01-01 12:13:15"],
    ["2000-01-01T12:13:14.6666", 3, "2000-01-01 12:13:14.667"],
    ["2000-01-01T12:13:14.6666", 4, "2000-01-01 12:13:14.6666"],
    ["2000-01-01T12:13:14.6666", 6, "2000-01-01 12:13:14.666600"],
  ])("test_time_as_string: %s (fsp %d) → %s", (input, fsp, want) => {
    const t = Time.parseDatetime(new EvalContext(), input, fsp, true);
    asStringHelper(
      S.CastTimeAsString,
      constTime(t, fieldType(FieldTypeTp.DateTime, { decimal: fsp })),
      enc.encode(want),
    );
  });

  // test_duration_as_string
  it.each([
    ["17:51:04.78", 2, "17:51:04.78"],
    ["-17:51:04.78", 2, "-17:51:04.78"],
    ["17:51:04.78", 0, "17:51:05"],
    ["-17:51:04.78", 0, "-17:51:05"],
  ])("test_duration_as_string: %s (fsp %d) → %s", (input, fsp, want) => {
    // A TIME constant is decoded with fsp 6 (as TiKV does); a column keeps its type's fsp.
    const v = Duration.parse(new EvalContext(), input, fsp);
    const ft = fieldType(FieldTypeTp.Duration, { decimal: fsp });
    asStringHelper(S.CastDurationAsString, columnRef(0, ft), enc.encode(want), {
      schema: [ft],
      columns: [ChunkedVecDuration.fromValues([v], fsp)],
    });
  });

  // test_json_as_string
  it.each([
    [Json.object({}), "{}"],
    [Json.array([]), "[]"],
    [Json.i64(10), "10"],
    [Json.i64(I64_MAX), String(I64_MAX)],
    [Json.i64(I64_MIN), String(I64_MIN)],
    [Json.u64(0), "0"],
    [Json.u64(U64_MAX), String(U64_MAX)],
    [Json.double(-Number.MAX_VALUE), "-1.7976931348623157e308"],
    [Json.double(Number.MAX_VALUE), "1.7976931348623157e308"],
    [Json.double(Number(I64_MIN)), "-9.223372036854776e18"],
    [Json.double(10.5), "10.5"],
    [Json.double(-10.4), "-10.4"],
    [Json.string("10.0"), '"10.0"'],
    [Json.bool(true), "true"],
    [Json.bool(false), "false"],
    [Json.null(), "null"],
  ])("test_json_as_string #%# → %s", (v, want) => {
    const child = {
      tp: tipb.ExprType.MysqlJson,
      val: encodeJsonBinary(v),
      fieldType: { tp: FieldTypeTp.Json },
    };
    expect(dec.decode(run(cast(S.CastJsonAsString, STR, child)).value as Uint8Array)).toBe(want);
  });
});

describe("Rust float formatting", () => {
  it("rustF64String matches Rust's Display on fixed cases", () => {
    expect(rustF64String(1e21)).toBe("1000000000000000000000");
    expect(rustF64String(1e-7)).toBe("0.0000001");
    expect(rustF64String(-0)).toBe("-0");
    expect(rustF64String(123.456)).toBe("123.456");
    expect(rustF64String(Number.POSITIVE_INFINITY)).toBe("inf");
    expect(rustF32String(Math.fround(16777217))).toBe("16777216");
    expect(rustF32String(Math.fround(0.3))).toBe("0.3");
  });

  it("rustF64String reads back as the same double", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Number(rustF64String(x))).toBe(x);
      }),
    );
  });

  it("rustF32String reads back as the same float32", () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Math.fround(Number(rustF32String(x)))).toBe(x);
      }),
    );
  });
});

describe("time, duration and JSON casts", () => {
  const DATETIME = (fsp = 0) => fieldType(FieldTypeTp.DateTime, { decimal: fsp });
  const timeStr = (v: unknown) => (v as Time).toString();

  // test_cast_string_as_time
  it.each([
    ["2019-09-16 10:11:12", "20190916101112", 0],
    ["2019-09-16 10:11:12", "190916101112", 0],
    ["2019-09-16 10:11:01", "19091610111", 0],
    ["2019-09-16 10:11:00", "1909161011", 0],
    ["2019-09-16 10:01:00", "190916101", 0],
    ["1909-12-10 00:00:00", "19091210", 0],
    ["2020-02-29 10:00:00", "20200229100000", 0],
    ["2019-09-16 01:00:00", "1909161", 0],
    ["2019-09-16 00:00:00", "190916", 0],
    ["2019-09-01 00:00:00", "19091", 0],
    ["2019-09-16 10:11:12.111", "190916101112.111", 3],
    ["2019-09-16 10:11:12.111", "20190916101112.111", 3],
    ["2019-09-16 10:11:12.67", "20190916101112.666", 2],
    ["2019-09-16 10:11:13.0", "20190916101112.999", 1],
    ["2019-09-16 00:00:00", "2019-09-16", 0],
    ["2019-09-16 10:11:12", "2019-09-16 10:11:12", 0],
    ["2019-09-16 10:11:12", "2019-09-16T10:11:12", 0],
    ["2019-09-16 10:11:12.7", "2019-09-16T10:11:12.66", 1],
    ["2019-09-16 10:11:13.0", "2019-09-16T10:11:12.99", 1],
    ["2020-01-01 00:00:00.0", "2019-12-31 23:59:59.99", 1],
  ])("test_cast_string_as_time: %s ← %s (fsp %d)", (want, input, fsp) => {
    expect(timeStr(run(cast(S.CastStringAsTime, DATETIME(fsp), constBytes(input, STR))).value)).toBe(want);
  });

  it("test_cast_string_as_time: an invalid value is NULL with a warning, an error in strict INSERT", () => {
    const e = cast(S.CastStringAsTime, DATETIME(), constBytes(Uint8Array.of(0, 159, 146, 150), STR));
    const r = run(e);
    expect(r.value).toBeNull();
    expect(r.warnings).toEqual([ERR_TRUNCATE_WRONG_VALUE]);
    expect(() => run(e, { inInsert: true, strict: true })).toThrow();
  });

  // test_cast_int_as_time
  it.each([
    ["0000-00-00 00:00:00", 0n],
    ["2000-01-01 00:00:00", 101n],
    ["2045-00-00 00:00:00", 450_000n],
    ["2059-12-31 00:00:00", 591_231n],
    ["1970-01-01 00:00:00", 700_101n],
    ["1999-12-31 00:00:00", 991_231n],
    ["1000-01-00 00:00:00", 10_000_100n],
    ["2000-01-01 00:00:00", 101_000_000n],
    ["2069-12-31 23:59:59", 691_231_235_959n],
    ["1970-01-01 00:00:00", 700_101_000_000n],
    ["1999-12-31 23:59:59", 991_231_235_959n],
    ["0100-00-00 00:00:00", 1_000_000_000_000n],
    ["1000-01-01 00:00:00", 10_000_101_000_000n],
    ["1999-01-01 00:00:00", 19_990_101_000_000n],
  ])("test_cast_int_as_time: %s ← %s", (want, input) => {
    expect(timeStr(run(cast(S.CastIntAsTime, DATETIME(), constInt(input))).value)).toBe(want);
  });

  it.each([-11111n, 1n, 100n, 700_100n, 100_000_000n, 100_000_101_000_000n, 73n])(
    "test_cast_int_as_time: %s is NULL with a warning",
    (input) => {
      const r = run(cast(S.CastIntAsTime, fieldType(FieldTypeTp.Date), constInt(input)));
      expect(r.value).toBeNull();
      expect(r.warnings).toEqual([ERR_TRUNCATE_WRONG_VALUE]);
    },
  );

  // test_cast_year_as_time
  it.each([
    ["2020-00-00 00:00:00", 2020n],
    ["2000-00-00 00:00:00", 2000n],
    ["1999-00-00 00:00:00", 1999n],
    ["2077-00-00 00:00:00", 2077n],
    ["1901-00-00 00:00:00", 1901n],
    ["2155-00-00 00:00:00", 2155n],
    ["0000-00-00 00:00:00", 0n],
  ])("test_cast_year_as_time: %s ← %s", (want, input) => {
    const year = fieldType(FieldTypeTp.Year);
    expect(timeStr(run(cast(S.CastIntAsTime, DATETIME(), constInt(input, year))).value)).toBe(want);
  });

  it.each([10086n, 1900n, 2156n, I64_MAX, I64_MIN])("test_cast_year_as_time: %s is NULL", (input) => {
    const year = fieldType(FieldTypeTp.Year);
    const r = run(cast(S.CastIntAsTime, DATETIME(), constInt(input, year)), { truncateAsWarning: true });
    expect(r.value).toBeNull();
    expect(r.warnings).toEqual([ERR_TRUNCATE_WRONG_VALUE]);
  });

  // test_time_as_int_and_uint
  it("time → int: YYYYMMDDHHMMSS, the fraction rounded", () => {
    const ctx = new EvalContext();
    const t = Time.parseDatetime(ctx, "2000-01-01T12:13:14.6", 1, true);
    expect(run(cast(S.CastTimeAsInt, LONGLONG, constTime(t, DATETIME(1)))).value).toBe(20000101121315n);
    expect(run(cast(S.CastTimeAsInt, LONGLONG_UNSIGNED, constTime(t, DATETIME(1)))).value).toBe(
      20000101121315n,
    );
  });

  // test_bytes_as_duration
  it("string → duration", () => {
    const DUR = (fsp: number) => fieldType(FieldTypeTp.Duration, { decimal: fsp });
    expect(String(run(cast(S.CastStringAsDuration, DUR(2), constBytes("17:51:04.78", STR))).value)).toBe(
      "17:51:04.78",
    );
    expect(String(run(cast(S.CastStringAsDuration, DUR(0), constBytes("-17:51:04.78", STR))).value)).toBe(
      "-17:51:05",
    );
    const bad = run(cast(S.CastStringAsDuration, DUR(0), constBytes("abc", STR)), {
      truncateAsWarning: true,
    });
    expect(bad.value).toBeNull();
    expect(bad.warnings).toEqual([ERR_TRUNCATE_WRONG_VALUE]);
    expect(() => run(cast(S.CastStringAsDuration, DUR(0), constBytes("abc", STR)))).toThrow(/TIME/);
  });

  // test_string_as_json
  it("string → json: text is a JSON string, ParseToJson parses it, binary strings are opaque", () => {
    const JSON_FT = fieldType(FieldTypeTp.Json);
    const JSON_PARSE = fieldType(FieldTypeTp.Json, { flag: FieldTypeFlag.ParseToJson });
    const show = (v: unknown) => jsonToString(decodeJsonBinary(v as Uint8Array));
    expect(show(run(cast(S.CastStringAsJson, JSON_FT, constBytes('{"a": 1}', STR))).value)).toBe(
      '"{\\"a\\": 1}"',
    );
    expect(show(run(cast(S.CastStringAsJson, JSON_PARSE, constBytes('{"a": 1}', STR))).value)).toBe(
      '{"a": 1}',
    );
    expect(() => run(cast(S.CastStringAsJson, JSON_PARSE, constBytes("{", STR)))).toThrow(
      /Illegal Json text/,
    );
    const binary = fieldType(FieldTypeTp.String, { flen: 4, collate: Collation.Binary, charset: "binary" });
    const opaque = decodeJsonBinary(
      run(cast(S.CastStringAsJson, JSON_FT, constBytes("ab", binary))).value as Uint8Array,
    );
    expect(opaque).toEqual(Json.opaque(FieldTypeTp.String, Uint8Array.of(0x61, 0x62, 0, 0)));
    const blob = fieldType(FieldTypeTp.VarString, { collate: Collation.Binary, charset: "binary" });
    expect(
      decodeJsonBinary(run(cast(S.CastStringAsJson, JSON_FT, constBytes("ab", blob))).value as Uint8Array),
    ).toEqual(Json.opaque(FieldTypeTp.VarString, Uint8Array.of(0x61, 0x62)));
  });
});

describe("properties", () => {
  it("int → string → int round-trips", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: I64_MIN, max: I64_MAX }), (v) => {
        const s = run(cast(S.CastIntAsString, STR, constInt(v))).value as Uint8Array;
        expect(run(cast(S.CastStringAsInt, LONGLONG, constBytes(s, STR))).value).toBe(v);
      }),
    );
  });

  it("double → string → double round-trips", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }), (v) => {
        const s = run(cast(S.CastRealAsString, STR, constReal(v))).value as Uint8Array;
        expect(run(cast(S.CastStringAsReal, DOUBLE, constBytes(s, STR))).value).toBe(v);
      }),
    );
  });

  it("decimal → string → decimal round-trips", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.integer({ min: 0, max: 10 }),
        (n, frac) => {
          const neg = n < 0n;
          const digits = (neg ? -n : n).toString().padStart(frac + 1, "0");
          const text = `${neg ? "-" : ""}${digits.slice(0, digits.length - frac)}${frac > 0 ? `.${digits.slice(-frac)}` : ""}`;
          const v = d(text);
          const s = run(cast(S.CastDecimalAsString, STR, constDecimal(v))).value as Uint8Array;
          expect(
            (run(cast(S.CastStringAsDecimal, decimalFt(), constBytes(s, STR))).value as Decimal).compare(v),
          ).toBe(0);
        },
      ),
    );
  });
});
