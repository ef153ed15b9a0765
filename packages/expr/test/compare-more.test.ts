// Comparisons of REAL, DECIMAL, strings, DATETIME, TIME, JSON and vectors, and COALESCE /
// GREATEST / LEAST / INTERVAL, with TiKV's cases (components/tidb_query_expr/src/impl_compare.rs
// tests; JSON order cases from tidb_query_datatype/src/codec/mysql/json/comparison.rs).
import { encodeJsonBinary } from "@copr/codec";
import {
  ChunkedVecBytes,
  ChunkedVecReal,
  Collation,
  type Column,
  Decimal,
  Duration,
  EvalContext,
  EvalFlag,
  type FieldType,
  FieldTypeTp,
  fieldType,
  isCoprError,
  type JsonValue,
  parseJson,
  SqlMode,
  Time,
  UnsupportedError,
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
  fieldTypeToPb,
  LONGLONG,
  LONGLONG_UNSIGNED,
  lookupRpnFn,
  scalarFunc,
} from "../src/index.js";
import { ctx, evalConst, evalRows } from "./helpers.js";

const S = tipb.ScalarFuncSig;
type Expr = tipb.Expr.$Properties;

const DOUBLE = fieldType(FieldTypeTp.Double);
const DECIMAL = fieldType(FieldTypeTp.NewDecimal);
const DATETIME = fieldType(FieldTypeTp.DateTime, { decimal: 6 });
const DATE = fieldType(FieldTypeTp.Date, { decimal: 0 });
const TIME = fieldType(FieldTypeTp.Duration, { decimal: 6 });
const JSON_FT = fieldType(FieldTypeTp.Json);
const VARCHAR = fieldType(FieldTypeTp.VarString);
const VECTOR = fieldType(FieldTypeTp.TiDBVectorFloat32);

const dec = new TextDecoder();
const text = (v: unknown): string | null => (v === null ? null : dec.decode(v as Uint8Array));

const constJson = (v: JsonValue | string): Expr => ({
  tp: tipb.ExprType.MysqlJson,
  val: encodeJsonBinary(typeof v === "string" ? parseJson(v) : v),
  fieldType: fieldTypeToPb(JSON_FT),
});

const constVector = (v: readonly number[]): Expr => {
  const val = new Uint8Array(4 + 4 * v.length);
  const dv = new DataView(val.buffer);
  dv.setUint32(0, v.length, true);
  for (let i = 0; i < v.length; i++) dv.setFloat32(4 + 4 * i, v[i]!, true);
  return { tp: tipb.ExprType.TiDBVectorFloat32, val, fieldType: fieldTypeToPb(VECTOR) };
};

const datetime = (s: string, fsp = 0): Time => Time.parseDatetime(ctx(), s, fsp, true);
const date = (s: string): Time => Time.parseDate(ctx(), s);

/** A binary comparison on two constants; the result as a number (or null). */
function compare(sig: number, l: Expr, r: Expr, ret: FieldType = LONGLONG): number | null {
  const v = evalConst(scalarFunc(sig, ret, l, r));
  return v === null ? null : Number(v);
}

/** A call with any number of constant arguments. */
const call = (sig: number, ret: FieldType, args: Expr[], context = ctx()): unknown =>
  evalConst(scalarFunc(sig, ret, ...args), context);

// ---- the numeric comparison cases --------------------------------------------------------------

type Op = "GT" | "GE" | "LT" | "LE" | "EQ" | "NE" | "NullEQ";
const OPS: Op[] = ["GT", "GE", "LT", "LE", "EQ", "NE", "NullEQ"];
const sigOf = (op: Op, suffix: string): number => (S as unknown as Record<string, number>)[`${op}${suffix}`]!;

/**
 * TiKV `generate_numeric_compare_cases`: each pair with its results for GT, GE, LT, LE, EQ, NE,
 * NullEQ (null = SQL NULL).
 */
const NUMERIC_CASES: [number | null, number | null, (number | null)[]][] = [
  [null, null, [null, null, null, null, null, null, 1]],
  [3.5, null, [null, null, null, null, null, null, 0]],
  [-2.1, null, [null, null, null, null, null, null, 0]],
  [null, 3.5, [null, null, null, null, null, null, 0]],
  [null, -2.1, [null, null, null, null, null, null, 0]],
  [3.5, -2.1, [1, 1, 0, 0, 0, 1, 0]],
  [-2.1, 3.5, [0, 0, 1, 1, 0, 1, 0]],
  [3.5, 3.5, [0, 1, 0, 1, 1, 0, 1]],
  [-2.1, -2.1, [0, 1, 0, 1, 1, 0, 1]],
];

/** Runs NUMERIC_CASES for one type, given how a number becomes a constant of that type. */
function numericCases(suffix: string, ft: FieldType, make: (v: number) => Expr) {
  for (const [a, b, results] of NUMERIC_CASES) {
    OPS.forEach((op, i) => {
      const l = a === null ? constNull(ft) : make(a);
      const r = b === null ? constNull(ft) : make(b);
      expect(compare(sigOf(op, suffix), l, r), `${op}${suffix}(${a}, ${b})`).toBe(results[i]);
    });
  }
}

describe("comparisons over the numeric cases", () => {
  it("test_compare_real", () => numericCases("Real", DOUBLE, (v) => constReal(v)));

  it("test_compare_decimal", () => numericCases("Decimal", DECIMAL, (v) => constDecimal(Decimal.fromF64(v))));

  it("test_compare_duration", () =>
    // TiKV maps each double to Duration::from_millis((v * 1000) as i64, 4).
    numericCases("Duration", TIME, (v) => constDuration(Duration.fromNanos(Math.trunc(v * 1000) * 1e6, 4))));

  it("DATETIME, ordered like the numbers (3.5 → 2003-05-01, -2.1 → 1997-09-01)", () =>
    numericCases("Time", DATETIME, (v) =>
      constTime(datetime(v > 0 ? "2003-05-01 00:00:00" : "1997-09-01 00:00:00"), DATETIME),
    ));

  it("JSON numbers", () => numericCases("Json", JSON_FT, (v) => constJson({ kind: "double", value: v })));

  it("vectors of one element", () => numericCases("VectorFloat32", VECTOR, (v) => constVector([v])));
});

describe("REAL", () => {
  it("-0 equals 0, infinities order at the ends", () => {
    expect(compare(S.EQReal, constReal(-0), constReal(0))).toBe(1);
    expect(compare(S.LTReal, constReal(-0), constReal(0))).toBe(0);
    expect(compare(S.LTReal, constReal(-Infinity), constReal(-Number.MAX_VALUE))).toBe(1);
    expect(compare(S.GTReal, constReal(Infinity), constReal(Number.MAX_VALUE))).toBe(1);
    expect(compare(S.NEReal, constReal(5e-324), constReal(0))).toBe(1);
  });

  it("a NaN constant is NULL, as TiKV decodes it", () => {
    expect(compare(S.EQReal, constReal(Number.NaN), constReal(1))).toBeNull();
    expect(compare(S.NullEQReal, constReal(Number.NaN), constNull(DOUBLE))).toBe(1);
  });

  const realOrNull = fc.oneof(
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 4, arbitrary: fc.double({ noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -0, 1, -1, 3.5) },
  );
  const expected = (op: Op, a: number | null, b: number | null): bigint | null => {
    if (a === null || b === null) return op === "NullEQ" ? (a === b ? 1n : 0n) : null;
    const r = { GT: a > b, GE: a >= b, LT: a < b, LE: a <= b, EQ: a === b, NE: a !== b, NullEQ: a === b }[op];
    return r ? 1n : 0n;
  };

  const scalarOnly = (sig: number) => {
    const meta = lookupRpnFn(sig);
    return meta === undefined ? undefined : { ...meta, vector: undefined };
  };

  it("over columns (the vectorized form), with logical rows, agrees with the operators", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(realOrNull, realOrNull), { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        (pairs, shuffle) => {
          const schema = [DOUBLE, DOUBLE];
          const columns: Column[] = [
            ChunkedVecReal.fromValues(pairs.map((p) => p[0])),
            ChunkedVecReal.fromValues(pairs.map((p) => p[1])),
          ];
          const rows = shuffle ? Uint32Array.from(pairs.map((_, i) => pairs.length - 1 - i)) : null;
          const at = (k: number) => pairs[rows === null ? k : rows[k]!]!;
          for (const op of OPS) {
            const e = scalarFunc(sigOf(op, "Real"), LONGLONG, columnRef(0, DOUBLE), columnRef(1, DOUBLE));
            const got = evalRows(e, schema, columns, rows);
            expect(got).toEqual(got.map((_, k) => expected(op, at(k)[0], at(k)[1])));
            // The scalar form, row by row, agrees with the vectorized one.
            expect(evalRows(e, schema, columns, rows, ctx(), scalarOnly)).toEqual(got);
          }
        },
      ),
    );
  });

  it("a column against a constant (either side, NULL included)", () => {
    fc.assert(
      fc.property(fc.array(realOrNull, { minLength: 1, maxLength: 30 }), realOrNull, (xs, c) => {
        const columns: Column[] = [ChunkedVecReal.fromValues(xs)];
        const k = c === null ? constNull(DOUBLE) : constReal(c);
        for (const op of OPS) {
          const sig = sigOf(op, "Real");
          const left = evalRows(scalarFunc(sig, LONGLONG, columnRef(0, DOUBLE), k), [DOUBLE], columns);
          expect(left).toEqual(xs.map((x) => expected(op, x, c)));
          const right = evalRows(scalarFunc(sig, LONGLONG, k, columnRef(0, DOUBLE)), [DOUBLE], columns);
          expect(right).toEqual(xs.map((x) => expected(op, c, x)));
        }
      }),
    );
  });
});

describe("DECIMAL, DATETIME, TIME", () => {
  it("DECIMAL compares values, not their scale", () => {
    const d = (s: string) => constDecimal(Decimal.fromString(s));
    expect(compare(S.EQDecimal, d("1.0"), d("1.000"))).toBe(1);
    expect(compare(S.LTDecimal, d("-0.0001"), d("0"))).toBe(1);
    expect(
      compare(S.GTDecimal, d("99999999999999999999999999999.5"), d("99999999999999999999999999999.49")),
    ).toBe(1);
    expect(compare(S.NullEQDecimal, d("0.00"), d("-0"))).toBe(1);
  });

  it("DATETIME compares the instant, not the precision or the type", () => {
    const a = constTime(
      datetime("2012-12-12 12:00:39.5", 1),
      fieldType(FieldTypeTp.DateTime, { decimal: 1 }),
    );
    const b = constTime(datetime("2012-12-12 12:00:39.500000", 6), DATETIME);
    expect(compare(S.EQTime, a, b)).toBe(1);
    expect(compare(S.LTTime, constTime(date("2012-12-12"), DATE), b)).toBe(1);
    expect(
      compare(S.EQTime, constTime(date("2012-12-12"), DATE), constTime(datetime("2012-12-12"), DATETIME)),
    ).toBe(1);
  });

  it("TIME compares nanoseconds; negative durations order first", () => {
    const t = (s: string) => constDuration(Duration.parse(ctx(), s, 6));
    expect(compare(S.LTDuration, t("-838:59:59"), t("00:00:00"))).toBe(1);
    expect(compare(S.EQDuration, t("12:00:00.000001"), t("12:00:00.000001"))).toBe(1);
    expect(compare(S.GTDuration, t("12:00:00.000001"), t("12:00:00"))).toBe(1);
  });
});

describe("strings", () => {
  // test_compare_string: [binary, utf8mb4_bin (no padding), utf8mb4_bin, utf8mb4_general_ci,
  // utf8mb4_unicode_ci, utf8mb4_0900_ai_ci, utf8mb4_0900_bin], -1 / 0 / 1 for Less / Equal / Greater.
  const COLLATIONS = [
    Collation.Binary,
    Collation.Utf8Mb4BinNoPadding,
    Collation.Utf8Mb4Bin,
    Collation.Utf8Mb4GeneralCi,
    Collation.Utf8Mb4UnicodeCi,
    Collation.Utf8Mb40900AiCi,
    Collation.Utf8Mb40900Bin,
  ];
  const CASES: [string, string, number[]][] = [
    ["", " ", [-1, -1, 0, 0, 0, -1, -1]],
    ["a", "b", [-1, -1, -1, -1, -1, -1, -1]],
    ["a", "A", [1, 1, 1, 0, 0, 0, 1]],
    ["a", "A ", [1, 1, 1, 0, 0, -1, 1]],
    ["a", "a ", [-1, -1, 0, 0, 0, -1, -1]],
    ["À", "A", [1, 1, 1, 0, 0, 0, 1]],
    ["À\t", "A", [1, 1, 1, 1, 1, 1, 1]],
    ["abc", "ab", [1, 1, 1, 1, 1, 1, 1]],
    ["a bc", "ab ", [-1, -1, -1, -1, -1, -1, -1]],
    ["Abc", "abC", [-1, -1, -1, 0, 0, 0, -1]],
    ["filé-110", "file-12", [1, 1, 1, -1, -1, -1, 1]],
    ["😜", "😃", [1, 1, 1, 0, 0, 1, 1]],
    ["aa", "AA۝۝۝۝۝۝۝۝۝", [1, 1, 1, -1, 0, 0, 1]],
  ];
  const MATCH: Record<Exclude<Op, "NullEQ">, number[]> = {
    LT: [-1],
    LE: [-1, 0],
    GT: [1],
    GE: [1, 0],
    EQ: [0],
    NE: [-1, 1],
  };

  it.each(CASES)("test_compare_string %j vs %j", (a, b, orders) => {
    COLLATIONS.forEach((collate, i) => {
      // The collation travels in the call's own field type, as TiKV's test sets it.
      const ret = fieldType(FieldTypeTp.Long, { collate });
      for (const op of ["LT", "LE", "GT", "GE", "EQ", "NE"] as const) {
        const want = MATCH[op].includes(orders[i]!) ? 1 : 0;
        expect(compare(sigOf(op, "String"), constBytes(a), constBytes(b), ret), `${op} in ${collate}`).toBe(
          want,
        );
      }
      expect(compare(S.NullEQString, constBytes(a), constBytes(b), ret)).toBe(orders[i] === 0 ? 1 : 0);
    });
  });

  it("utf8mb4_general_ci: 'a' = 'A'; binary: 'a' > 'A'", () => {
    const ci = fieldType(FieldTypeTp.LongLong, { collate: Collation.Utf8Mb4GeneralCi });
    expect(compare(S.EQString, constBytes("a"), constBytes("A"), ci)).toBe(1);
    expect(compare(S.EQString, constBytes("a"), constBytes("A"))).toBe(0);
    expect(compare(S.GTString, constBytes("a"), constBytes("A"))).toBe(1);
  });

  it("the collation of the arguments does not matter, only the call's", () => {
    const ciArg = fieldType(FieldTypeTp.VarString, { collate: Collation.Utf8Mb4GeneralCi });
    expect(compare(S.EQString, constBytes("a", ciArg), constBytes("A", ciArg))).toBe(0);
  });

  it("NULL handling", () => {
    expect(compare(S.LTString, constNull(VARCHAR), constBytes("a"))).toBeNull();
    expect(compare(S.EQString, constBytes("a"), constNull(VARCHAR))).toBeNull();
    expect(compare(S.NullEQString, constNull(VARCHAR), constNull(VARCHAR))).toBe(1);
    expect(compare(S.NullEQString, constNull(VARCHAR), constBytes(""))).toBe(0);
  });

  it("over a column, with a case-insensitive collation", () => {
    const ci = fieldType(FieldTypeTp.LongLong, { collate: Collation.Utf8Mb4GeneralCi });
    const col = ChunkedVecBytes.fromValues(["abc", null, "ABC ", "abd", "ÀBC"]);
    const e = scalarFunc(S.EQString, ci, columnRef(0, VARCHAR), constBytes("abc"));
    expect(evalRows(e, [VARCHAR], [col])).toEqual([1n, null, 1n, 0n, 1n]);
    const ne = scalarFunc(S.NullEQString, ci, columnRef(0, VARCHAR), constNull(VARCHAR));
    expect(evalRows(ne, [VARCHAR], [col])).toEqual([0n, 1n, 0n, 0n, 0n]);
  });

  it("an unknown collation id fails when the expression is built", () => {
    const bad = { ...fieldType(FieldTypeTp.LongLong), collate: -999 };
    expect(() => compare(S.EQString, constBytes("a"), constBytes("a"), bad)).toThrow(UnsupportedError);
  });
});

describe("JSON", () => {
  // test_cmp_json_between_same_type and test_cmp_json_between_diff_type: left < right.
  it.each([
    ["false", "true"],
    ["-3", "3"],
    ["3", "5"],
    ["3.0", "4.9"],
    ['"hello"', '"hello, world"'],
    ['["a", "b"]', '["a", "c"]'],
    ['{"a": "b"}', '{"a": "c"}'],
    ["1.5", "2"],
    ["1.5", "false"],
    ["1.5", "true"],
    ["2", "true"],
    ["null", '{"a": "b"}'],
    ["2", '"hello, world"'],
    ['"hello, world"', '{"a": "b"}'],
    ['{"a": "b"}', '["a", "b"]'],
    ['["a", "b"]', "false"],
  ])("%s < %s", (a, b) => {
    expect(compare(S.LTJson, constJson(a), constJson(b))).toBe(1);
    expect(compare(S.GTJson, constJson(b), constJson(a))).toBe(1);
    expect(compare(S.EQJson, constJson(a), constJson(a))).toBe(1);
    expect(compare(S.NEJson, constJson(a), constJson(b))).toBe(1);
  });

  const i64 = (v: bigint): JsonValue => ({ kind: "i64", value: v });
  const u64 = (v: bigint): JsonValue => ({ kind: "u64", value: v });
  const f64 = (v: number): JsonValue => ({ kind: "double", value: v });
  // test_cmp_json_numberic_type
  it.each([
    [i64(922337203685477581n), i64(922337203685477580n), 1],
    [i64(-1n), u64(18446744073709551615n), -1],
    [i64(922337203685477580n), u64(922337203685477581n), -1],
    [i64(2n), u64(1n), 1],
    [i64(2n ** 63n - 1n), u64(2n ** 63n - 1n), 0],
    [u64(18446744073709551615n), i64(-1n), 1],
    [u64(1n), i64(2n), -1],
    [f64(9.0), i64(9n), 0],
    [f64(8.9), i64(9n), -1],
    [f64(9.1), u64(9n), 1],
    [i64(9n), f64(8.9), 1],
    [u64(9n), f64(9.1), -1],
  ] as const)("numbers: %o vs %o → %d", (a, b, ord) => {
    expect(compare(S.LTJson, constJson(a), constJson(b))).toBe(ord < 0 ? 1 : 0);
    expect(compare(S.EQJson, constJson(a), constJson(b))).toBe(ord === 0 ? 1 : 0);
    expect(compare(S.GEJson, constJson(a), constJson(b))).toBe(ord >= 0 ? 1 : 0);
  });

  it("NULL handling", () => {
    expect(compare(S.EQJson, constNull(JSON_FT), constJson("null"))).toBeNull();
    expect(compare(S.NullEQJson, constNull(JSON_FT), constJson("null"))).toBe(0);
    expect(compare(S.NullEQJson, constNull(JSON_FT), constNull(JSON_FT))).toBe(1);
    expect(
      compare(S.NullEQJson, constJson('{"b": 1, "a": [1, 2]}'), constJson('{"a": [1, 2], "b": 1}')),
    ).toBe(1);
  });
});

describe("VectorFloat32", () => {
  it("element by element, then the shorter first", () => {
    expect(compare(S.LTVectorFloat32, constVector([1, 2]), constVector([1, 3]))).toBe(1);
    expect(compare(S.LTVectorFloat32, constVector([1, 2]), constVector([1, 2, 0]))).toBe(1);
    expect(compare(S.GTVectorFloat32, constVector([2]), constVector([1, 9, 9]))).toBe(1);
    expect(compare(S.EQVectorFloat32, constVector([]), constVector([]))).toBe(1);
    expect(compare(S.NEVectorFloat32, constVector([0.5]), constVector([0.5]))).toBe(0);
    expect(compare(S.NullEQVectorFloat32, constNull(VECTOR), constVector([]))).toBe(0);
  });
});

describe("COALESCE", () => {
  // test_coalesce
  it.each([
    [[], null],
    [[null], null],
    [[null, null], null],
    [[null, null, null], null],
    [[null, 0n, null], 0n],
  ] as [(bigint | null)[], bigint | null][])("CoalesceInt %o = %o", (args, want) => {
    expect(
      call(
        S.CoalesceInt,
        LONGLONG,
        args.map((v) => (v === null ? constNull() : constInt(v))),
      ),
    ).toBe(want);
  });

  it("keeps an UNSIGNED value", () => {
    expect(
      call(S.CoalesceInt, LONGLONG_UNSIGNED, [
        constNull(LONGLONG_UNSIGNED),
        constInt(2n ** 64n - 1n, LONGLONG_UNSIGNED),
      ]),
    ).toBe(2n ** 64n - 1n);
  });

  it("every type", () => {
    expect(call(S.CoalesceReal, DOUBLE, [constNull(DOUBLE), constReal(1.5), constReal(2)])).toBe(1.5);
    expect(
      (
        call(S.CoalesceDecimal, DECIMAL, [
          constNull(DECIMAL),
          constDecimal(Decimal.fromString("1.25")),
        ]) as Decimal
      ).toString(),
    ).toBe("1.25");
    expect(
      text(call(S.CoalesceString, VARCHAR, [constNull(VARCHAR), constBytes("x"), constBytes("y")])),
    ).toBe("x");
    expect(text(call(S.CoalesceString, VARCHAR, [constBytes(""), constBytes("y")]))).toBe("");
    const t = call(S.CoalesceTime, DATETIME, [
      constNull(DATETIME),
      constTime(datetime("2020-02-29 01:02:03"), DATETIME),
    ]);
    // A DATETIME(6) constant keeps its six fraction digits.
    expect((t as Time).toString()).toBe("2020-02-29 01:02:03.000000");
    const d = call(S.CoalesceDuration, TIME, [
      constNull(TIME),
      constDuration(Duration.fromNanos(-1_500_000_000, 1)),
    ]);
    expect((d as Duration).nanos).toBe(-1_500_000_000);
    const j = call(S.CoalesceJson, JSON_FT, [constNull(JSON_FT), constJson('{"k": [1, true]}')]);
    expect(j).toEqual(encodeJsonBinary(parseJson('{"k": [1, true]}')));
    expect(call(S.CoalesceJson, JSON_FT, [constNull(JSON_FT)])).toBeNull();
  });

  it("over columns", () => {
    const schema = [DOUBLE, DOUBLE];
    const cols: Column[] = [
      ChunkedVecReal.fromValues([null, 1, null, 4]),
      ChunkedVecReal.fromValues([null, 2, 3, null]),
    ];
    const e = scalarFunc(S.CoalesceReal, DOUBLE, columnRef(0, DOUBLE), columnRef(1, DOUBLE), constReal(-1));
    expect(evalRows(e, schema, cols)).toEqual([-1, 1, 3, 4]);
  });
});

describe("GREATEST / LEAST", () => {
  const ints = (vs: (bigint | null)[]) => vs.map((v) => (v === null ? constNull() : constInt(v)));
  const I64_MIN = -(2n ** 63n);
  const I64_MAX = 2n ** 63n - 1n;
  // test_greatest_int, test_least_int: [args, greatest, least]
  it.each([
    [[null, null], null, null],
    [[1n, 1n], 1n, 1n],
    [[1n, -1n, null], null, null],
    [[-2n, -1n, 1n, 2n], 2n, -2n],
    [[I64_MIN, 0n, -1n, I64_MAX], I64_MAX, I64_MIN],
    [[0n, 4n, 8n, 8n], 8n, 0n],
  ] as [(bigint | null)[], bigint | null, bigint | null][])("Int %o", (args, greatest, least) => {
    expect(call(S.GreatestInt, LONGLONG, ints(args))).toBe(greatest);
    expect(call(S.LeastInt, LONGLONG, ints(args))).toBe(least);
  });

  it("Int arguments compare as i64 even when UNSIGNED, as in TiKV", () => {
    const u = (v: bigint) => constInt(v, LONGLONG_UNSIGNED);
    const U64_MAX = 2n ** 64n - 1n;
    // 2^64 - 1 is -1 as an i64, so TiKV finds 1 the greater.
    expect(call(S.GreatestInt, LONGLONG_UNSIGNED, [u(U64_MAX), u(1n)])).toBe(1n);
    expect(call(S.LeastInt, LONGLONG_UNSIGNED, [u(U64_MAX), u(1n)])).toBe(U64_MAX);
  });

  const reals = (vs: (number | null)[]) => vs.map((v) => (v === null ? constNull(DOUBLE) : constReal(v)));
  // test_greatest_real, test_least_real (a NaN constant is NULL)
  it.each([
    [[null, null], null, null],
    [[1, -1, null], null, null],
    [[1, -1, -2, 0], 1, -2],
    [[Number.MAX_VALUE, -Number.MAX_VALUE, 0], Number.MAX_VALUE, -Number.MAX_VALUE],
    [[Number.NaN, 0], null, null],
    [[Infinity, -Infinity, Number.MAX_VALUE, -Number.MAX_VALUE], Infinity, -Infinity],
  ] as [(number | null)[], number | null, number | null][])("Real %o", (args, greatest, least) => {
    expect(call(S.GreatestReal, DOUBLE, reals(args))).toBe(greatest);
    expect(call(S.LeastReal, DOUBLE, reals(args))).toBe(least);
  });

  it("Real ties: GREATEST keeps the later, LEAST the earlier (Rust's max/min)", () => {
    expect(Object.is(call(S.GreatestReal, DOUBLE, reals([-0, 0])), 0)).toBe(true);
    expect(Object.is(call(S.GreatestReal, DOUBLE, reals([0, -0])), -0)).toBe(true);
    expect(Object.is(call(S.LeastReal, DOUBLE, reals([-0, 0])), -0)).toBe(true);
    expect(Object.is(call(S.LeastReal, DOUBLE, reals([0, -0])), 0)).toBe(true);
  });

  it("Decimal (ties keep the later for GREATEST, the earlier for LEAST)", () => {
    const d = (s: string | null) => (s === null ? constNull(DECIMAL) : constDecimal(Decimal.fromString(s)));
    const g = (args: (string | null)[]) =>
      (call(S.GreatestDecimal, DECIMAL, args.map(d)) as Decimal | null)?.toString() ?? null;
    const l = (args: (string | null)[]) =>
      (call(S.LeastDecimal, DECIMAL, args.map(d)) as Decimal | null)?.toString() ?? null;
    expect(g(["1.5", "-3", "2.25"])).toBe("2.25");
    expect(l(["1.5", "-3", "2.25"])).toBe("-3");
    expect(g(["1.5", null])).toBeNull();
    expect(l([null, "1"])).toBeNull();
    expect(g(["1.0", "1.00"])).toBe("1.00");
    expect(l(["1.0", "1.00"])).toBe("1.0");
  });

  // test_greatest_string, test_least_string
  it.each([
    [[null, null], null, null],
    [["aaa", "bbb"], "bbb", "aaa"],
    [["aaa", null], null, null],
  ] as [(string | null)[], string | null, string | null][])("String %o", (args, greatest, least) => {
    const es = args.map((v) => (v === null ? constNull(VARCHAR) : constBytes(v)));
    expect(text(call(S.GreatestString, VARCHAR, es))).toBe(greatest);
    expect(text(call(S.LeastString, VARCHAR, es))).toBe(least);
  });

  it("String compares bytes, whatever the collation", () => {
    const ci = fieldType(FieldTypeTp.VarString, { collate: Collation.Utf8Mb4GeneralCi });
    expect(text(call(S.GreatestString, ci, [constBytes("B", ci), constBytes("a", ci)]))).toBe("a");
    expect(text(call(S.LeastString, ci, [constBytes("ab", ci), constBytes("a", ci)]))).toBe("a");
  });

  const times = (vs: (string | null)[], parse: (s: string) => Time, ft: FieldType) =>
    vs.map((v) => (v === null ? constNull(ft) : constTime(parse(v), ft)));
  const timeText = (v: unknown) => (v === null ? null : (v as Time).toString());
  // test_greatest_time, test_least_time (read here as DATETIMEs)
  it.each([
    [[null, null], null, null],
    [["2012-12-12 12:00:39", "2012-12-24 12:00:39", null], null, null],
    [
      ["2012-12-12 12:00:39", "2012-12-24 12:00:39", "2012-12-31 12:00:39"],
      "2012-12-31 12:00:39",
      "2012-12-12 12:00:39",
    ],
    [
      ["2012-12-12 12:00:39", "2013-12-24 12:00:39", "2014-12-31 12:00:39"],
      "2014-12-31 12:00:39",
      "2012-12-12 12:00:39",
    ],
  ] as [(string | null)[], string | null, string | null][])("Time %o", (args, greatest, least) => {
    const ft = fieldType(FieldTypeTp.DateTime, { decimal: 0 });
    expect(
      timeText(
        call(
          S.GreatestTime,
          ft,
          times(args, (s) => datetime(s), ft),
        ),
      ),
    ).toBe(greatest);
    expect(
      timeText(
        call(
          S.LeastTime,
          ft,
          times(args, (s) => datetime(s), ft),
        ),
      ),
    ).toBe(least);
  });

  // test_greatest_date, test_least_date
  it.each([
    [[null, null], null, null],
    [["2012-12-12", "2012-12-24", null], null, null],
    [["2012-12-12", "2012-12-24", "2012-12-31"], "2012-12-31", "2012-12-12"],
    [["2012-12-12", "2013-12-24", "2014-12-31"], "2014-12-31", "2012-12-12"],
  ] as [(string | null)[], string | null, string | null][])("Date %o", (args, greatest, least) => {
    expect(timeText(call(S.GreatestDate, DATE, times(args, date, DATE)))).toBe(greatest);
    expect(timeText(call(S.LeastDate, DATE, times(args, date, DATE)))).toBe(least);
  });

  // test_greatest_duration, test_least_duration
  it.each([
    [[null, null], null, null],
    [["123:12:12", "123:22:12", null], null, null],
    [["123:12:12", "123:22:12", "123:32:12"], "123:32:12", "123:12:12"],
    [["-01:00:00", "00:00:00", "-838:59:59"], "00:00:00", "-838:59:59"],
  ] as [(string | null)[], string | null, string | null][])("Duration %o", (args, greatest, least) => {
    const ft = fieldType(FieldTypeTp.Duration, { decimal: 0 });
    const es = args.map((v) => (v === null ? constNull(ft) : constDuration(Duration.parse(ctx(), v, 0))));
    const show = (v: unknown) => (v === null ? null : formatDur(v as Duration));
    expect(show(call(S.GreatestDuration, ft, es))).toBe(greatest);
    expect(show(call(S.LeastDuration, ft, es))).toBe(least);
  });

  it("over columns with NULLs", () => {
    const cols: Column[] = [ChunkedVecReal.fromValues([1, null, 3]), ChunkedVecReal.fromValues([2, 2, -3])];
    const args = [columnRef(0, DOUBLE), columnRef(1, DOUBLE)];
    expect(evalRows(scalarFunc(S.GreatestReal, DOUBLE, ...args), [DOUBLE, DOUBLE], cols)).toEqual([
      2,
      null,
      3,
    ]);
    expect(evalRows(scalarFunc(S.LeastReal, DOUBLE, ...args), [DOUBLE, DOUBLE], cols)).toEqual([1, null, -3]);
  });

  it("need at least two arguments", () => {
    expect(() => call(S.GreatestInt, LONGLONG, [constInt(1n)])).toThrow(/at least 2/);
  });
});

/** A duration as HH:MM:SS without the fraction (fsp 0 values). */
function formatDur(d: Duration): string {
  return d.toString().replace(/\.\d*$/, "");
}

describe("GREATEST / LEAST of strings read as times", () => {
  const INVALID_UTF8 = new Uint8Array([0, 159, 146, 150]);
  const strs = (vs: (string | Uint8Array | null)[]) =>
    vs.map((v) => (v === null ? constNull(VARCHAR) : constBytes(v)));
  const run = (sig: number, vs: (string | Uint8Array | null)[], context = ctx()) =>
    text(call(sig, VARCHAR, strs(vs), context));

  const T = ["2012-12-12 12:00:39", "2012-12-24 12:00:39", "2012-12-31 12:00:39"];
  const MIXED = [
    ...T,
    "2012-12-12 12:00:38.12003800000",
    "2012-12-31 12:00:39.120050",
    "2018-04-03 00:00:00.000000",
  ];
  // test_greatest_cmp_string_as_time, test_least_cmp_string_as_time: [args, greatest, least]
  it.each([
    [[null, null], null, null],
    [[T[0]!, T[1]!, null], null, null],
    [T, "2012-12-31 12:00:39", "2012-12-12 12:00:39"],
    [[...T, "invalid_time"], null, null],
    [MIXED, "2018-04-03 00:00:00.000000", "2012-12-12 12:00:38.120038"],
    [[T[0]!, INVALID_UTF8], null, null],
  ] as [(string | Uint8Array | null)[], string | null, string | null][])(
    "as DATETIME %#",
    (args, greatest, least) => {
      expect(run(S.GreatestCmpStringAsTime, args)).toBe(greatest);
      expect(run(S.LeastCmpStringAsTime, args)).toBe(least);
    },
  );

  const D = ["2012-12-12", "2012-12-24", "2012-12-31"];
  // test_greatest_cmp_string_as_date, test_least_cmp_string_as_date
  it.each([
    [[null, null], null, null],
    [[D[0]!, D[1]!, null], null, null],
    [D, "2012-12-31", "2012-12-12"],
    [[...D, "invalid_time"], null, null],
    [[...D, "2012-12-12", "2012-12-31", "2018-04-03"], "2018-04-03", "2012-12-12"],
    [[D[0]!, INVALID_UTF8], null, null],
  ] as [(string | Uint8Array | null)[], string | null, string | null][])(
    "as DATE %#",
    (args, greatest, least) => {
      expect(run(S.GreatestCmpStringAsDate, args)).toBe(greatest);
      expect(run(S.LeastCmpStringAsDate, args)).toBe(least);
    },
  );

  it("an invalid time is a warning outside strict DML", () => {
    const c = ctx();
    expect(run(S.GreatestCmpStringAsTime, [T[0]!, "invalid_time"], c)).toBeNull();
    expect(c.warnings.list).toEqual([{ code: 1292, message: "invalid time format: 'invalid_time'" }]);
    const c2 = ctx();
    expect(run(S.LeastCmpStringAsDate, [D[0]!, INVALID_UTF8], c2)).toBeNull();
    expect(c2.warnings.list).toEqual([{ code: 1105, message: "encoding failed" }]);
  });

  it("a NULL before an invalid value stops the scan: no warning", () => {
    const c = ctx();
    expect(run(S.GreatestCmpStringAsTime, [null, "invalid_time"], c)).toBeNull();
    expect(c.warnings.count).toBe(0);
  });

  it("an invalid time is an error in strict INSERT", () => {
    const strict = new EvalContext({ flags: EvalFlag.InInsertStmt, sqlMode: SqlMode.StrictAllTables });
    let err: unknown;
    try {
      run(S.LeastCmpStringAsTime, [T[0]!, "invalid_time"], strict);
    } catch (e) {
      err = e;
    }
    expect(isCoprError(err) && err.code).toBe(1292);
  });

  it("LEAST never exceeds 9999-12-31 23:59:59", () => {
    expect(run(S.LeastCmpStringAsTime, ["9999-12-31 23:59:59.5", "9999-12-31 23:59:59.9"])).toBe(
      "9999-12-31 23:59:59",
    );
  });
});

describe("INTERVAL", () => {
  const ints = (vs: (bigint | null)[]) => vs.map((v) => (v === null ? constNull() : constInt(v)));
  const reals = (vs: (number | null)[]) => vs.map((v) => (v === null ? constNull(DOUBLE) : constReal(v)));
  // test_interval_int, test_interval_real
  it.each([
    [[1, null], 1n],
    [[1, -10], 1n],
    [[1, 2], 0n],
    [[1, 1, 2], 1n],
    [[1, 0, 1, 2], 2n],
    [[1, 0, 1, 2, 5], 2n],
  ] as [(number | null)[], bigint][])("%o = %o", (args, want) => {
    expect(call(S.IntervalInt, LONGLONG, ints(args.map((v) => (v === null ? null : BigInt(v)))))).toBe(want);
    expect(call(S.IntervalReal, LONGLONG, reals(args))).toBe(want);
  });

  it("a NULL first argument is -1", () => {
    expect(call(S.IntervalInt, LONGLONG, ints([null, 1n, 2n]))).toBe(-1n);
    expect(call(S.IntervalReal, LONGLONG, reals([null, 1]))).toBe(-1n);
  });

  it("unsorted bounds give what Rust's binary search gives", () => {
    // [5, 1, 2] searched for 3: probe 1 (≤ 3, move right), probe 2 (≤ 3) → Err(3).
    expect(call(S.IntervalInt, LONGLONG, ints([3n, 5n, 1n, 2n]))).toBe(3n);
    // [1, 5, 2] searched for 3: probe 5 (> 3, stay) twice, then 1 (< 3) → Err(1).
    expect(call(S.IntervalInt, LONGLONG, ints([3n, 1n, 5n, 2n]))).toBe(1n);
  });

  it("for sorted bounds (duplicates and leading NULLs included) it counts the bounds <= N", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 5 }),
        fc.nat(3),
        fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 12 }),
        (n, nulls, bounds) => {
          bounds.sort((a, b) => a - b);
          if (nulls + bounds.length === 0) bounds.push(0);
          const want = BigInt(nulls + bounds.filter((b) => b <= n).length);
          const args = [n, ...Array<null>(nulls).fill(null), ...bounds];
          expect(call(S.IntervalReal, LONGLONG, reals(args))).toBe(want);
          expect(call(S.IntervalInt, LONGLONG, ints(args.map((v) => (v === null ? null : BigInt(v)))))).toBe(
            want,
          );
        },
      ),
    );
  });
});

describe("registration", () => {
  it("every sig TiKV maps for these functions is registered", () => {
    const names = [
      ...["Real", "Decimal", "String", "Time", "Duration", "Json", "VectorFloat32"].flatMap((t) =>
        OPS.map((op) => `${op}${t}`),
      ),
      ...["Int", "Real", "Decimal", "String", "Time", "Duration", "Json"].map((t) => `Coalesce${t}`),
      ...[
        "Int",
        "Real",
        "Decimal",
        "String",
        "Time",
        "Date",
        "Duration",
        "CmpStringAsTime",
        "CmpStringAsDate",
      ].flatMap((t) => [`Greatest${t}`, `Least${t}`]),
      "IntervalInt",
      "IntervalReal",
    ];
    const missing = names.filter(
      (n) => lookupRpnFn((S as unknown as Record<string, number>)[n]!) === undefined,
    );
    expect(missing).toEqual([]);
    expect(names).toHaveLength(49 + 7 + 18 + 2);
  });

  it("REAL comparisons have a vectorized form", () => {
    for (const op of OPS) expect(lookupRpnFn(sigOf(op, "Real"))?.vector).toBeDefined();
  });

  it("arguments of the wrong type are rejected", () => {
    expect(() => compare(S.LTReal, constInt(1n), constReal(1))).toThrow(/expect argument 0/);
    expect(() => call(S.CoalesceString, VARCHAR, [constNull(VARCHAR), constInt(1n)])).toThrow(
      /expect argument 1/,
    );
  });
});
