// IN, with TiKV's cases (components/tidb_query_expr/src/impl_compare_in.rs tests) and properties
// checking the hashed constants against a plain scan of the list.
import { encodeJsonBinary } from "@copr/codec";
import {
  ChunkedVecBytes,
  ChunkedVecDecimal,
  ChunkedVecDuration,
  ChunkedVecReal,
  Collation,
  collatorFor,
  Decimal,
  Duration,
  EvalContext,
  FieldTypeTp,
  fieldType,
  parseJson,
  Time,
  TimeType,
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
const U64_MAX = 2n ** 64n - 1n;
const DOUBLE = fieldType(FieldTypeTp.Double);
const DECIMAL = fieldType(FieldTypeTp.NewDecimal);
const STRING = fieldType(FieldTypeTp.VarString);
const DATETIME = fieldType(FieldTypeTp.DateTime, { decimal: 0 });
const DATE = fieldType(FieldTypeTp.Date, { decimal: 0 });
const DURATION = fieldType(FieldTypeTp.Duration, { decimal: 0 });
const JSON_FT = fieldType(FieldTypeTp.Json);

type Expr = tipb.Expr.$Properties;
const int = (v: bigint | null): Expr => (v === null ? constNull(LONGLONG) : constInt(v));
const uint = (v: bigint): Expr => constInt(v, LONGLONG_UNSIGNED);
const inInt = (...args: Expr[]) => scalarFunc(S.InInt, LONGLONG, ...args);
const enc = (s: string) => new TextEncoder().encode(s);

describe("InInt", () => {
  // test_in_constant
  it.each<[(bigint | null)[], bigint | null]>([
    [[1n], 0n],
    [[1n, 2n], 0n],
    [[1n, 2n, 1n], 1n],
    [[1n, 2n, null], null],
    [[1n, 2n, null, 1n], 1n],
    [[null, 2n, 1n], null],
  ])("%o → %s", (args, want) => {
    // all constants
    expect(evalConst(inInt(...args.map(int)))).toBe(want);
    // the tested value as a column (the hashed, vectorized path)
    const [head, ...rest] = args;
    const e = inInt(columnRef(0, LONGLONG), ...rest.map(int));
    expect(evalRows(e, [LONGLONG], [ints([head!, head!])])).toEqual([want, want]);
    // the list items as columns (compared row by row)
    const cols = rest.map((v) => ints([v]));
    const e2 = inInt(int(head!), ...rest.map((_, i) => columnRef(i, LONGLONG)));
    expect(
      evalRows(
        e2,
        rest.map(() => LONGLONG),
        cols.length > 0 ? cols : [ints([0n])],
      ),
    ).toEqual([want]);
  });

  // test_in_complex: 11 IN (22, 6 + c0, c1) over logical rows [1, 0, 2]
  it("mixes constants, calls and columns", () => {
    const e = inInt(
      int(11n),
      int(22n),
      scalarFunc(S.PlusInt, LONGLONG, int(6n), columnRef(0, LONGLONG)),
      columnRef(1, LONGLONG),
    );
    const cols = [ints([5n, 1n, 1n]), ints([8n, 11n, 1n])];
    expect(evalRows(e, [LONGLONG, LONGLONG], cols, new Uint32Array([1, 0, 2]))).toEqual([1n, 1n, 0n]);
  });

  // test_unsigned_signed_int: the same 64 bits are different values when signedness differs
  it.each<[string, Expr[], (bigint | null)[], boolean, bigint]>([
    ["-1 (signed col) IN (max_u64, 1)", [columnRef(0, LONGLONG), uint(U64_MAX), int(1n)], [-1n], false, 0n],
    [
      "max_u64 (unsigned col) IN (-1, 1)",
      [columnRef(0, LONGLONG_UNSIGNED), int(-1n), int(1n)],
      [U64_MAX],
      true,
      0n,
    ],
    ["-1 IN (max_u64 col, 1)", [int(-1n), columnRef(0, LONGLONG_UNSIGNED), int(1n)], [U64_MAX], true, 0n],
    ["-1 IN (max_u64 col, -1)", [int(-1n), columnRef(0, LONGLONG_UNSIGNED), int(-1n)], [U64_MAX], true, 1n],
    [
      "max_u64 IN (max_u64 col, -1)",
      [uint(U64_MAX), columnRef(0, LONGLONG_UNSIGNED), int(-1n)],
      [U64_MAX],
      true,
      1n,
    ],
  ])("%s", (_name, args, col, unsigned, want) => {
    const ft = unsigned ? LONGLONG_UNSIGNED : LONGLONG;
    expect(evalRows(inInt(...args), [ft], [ints(col, unsigned)])).toEqual([want]);
  });

  it("a signed -1 constant and an UNSIGNED 2^64 - 1 constant in one list stay distinct", () => {
    const e = inInt(columnRef(0, LONGLONG), uint(U64_MAX), int(-1n));
    expect(evalRows(e, [LONGLONG], [ints([-1n, 1n])])).toEqual([1n, 0n]);
    const eu = inInt(columnRef(0, LONGLONG_UNSIGNED), uint(U64_MAX), int(-1n));
    expect(evalRows(eu, [LONGLONG_UNSIGNED], [ints([U64_MAX, 2n ** 63n], true)])).toEqual([1n, 0n]);
    const only = inInt(columnRef(0, LONGLONG_UNSIGNED), int(-1n));
    expect(evalRows(only, [LONGLONG_UNSIGNED], [ints([U64_MAX], true)])).toEqual([0n]);
  });

  it("NULL rows of the tested column give NULL; logical rows are honoured", () => {
    const e = inInt(columnRef(0, LONGLONG), int(3n), int(4n));
    const col = [ints([3n, null, 5n, 4n])];
    expect(evalRows(e, [LONGLONG], col)).toEqual([1n, null, 0n, 1n]);
    expect(evalRows(e, [LONGLONG], col, new Uint32Array([3, 2, 1]))).toEqual([1n, 0n, null]);
  });

  it("wide values (beyond 2^53) in the column and the list", () => {
    const big = 2n ** 62n + 1n;
    const e = inInt(columnRef(0, LONGLONG), int(big), int(-(2n ** 63n)));
    expect(evalRows(e, [LONGLONG], [ints([big, big - 1n, -(2n ** 63n), 7n])])).toEqual([1n, 0n, 1n, 0n]);
  });

  it("100 constants, 1000 rows", () => {
    const list = Array.from({ length: 100 }, (_, i) => int(BigInt(i * 7)));
    const e = inInt(columnRef(0, LONGLONG), ...list);
    const values = Array.from({ length: 1000 }, (_, i) => BigInt(i));
    const got = evalRows(e, [LONGLONG], [ints(values)]);
    expect(got).toEqual(values.map((v) => (v % 7n === 0n && v < 700n ? 1n : 0n)));
  });

  it("needs at least one argument", () => {
    expect(() => evalConst(inInt())).toThrow(ExprError);
  });

  it("property: hashed constants give what a linear scan gives", () => {
    // Each item: null, or a value with a signedness; values around the sign boundary collide in bits.
    const value = fc.oneof(
      fc.bigInt({ min: -3n, max: 3n }),
      fc.constantFrom(U64_MAX, 2n ** 63n, -(2n ** 63n), 2n ** 53n, 2n ** 53n + 1n),
    );
    const item = fc.option(
      value.map((v) => ({ v, u: v > 2n ** 63n - 1n })),
      { nil: null },
    );
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 8 }),
        fc.array(fc.boolean(), { maxLength: 8 }),
        fc.array(fc.option(value, { nil: null }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (items, asColumn, rows, baseUnsigned) => {
          const baseValues = rows.map((v) =>
            v === null ? null : baseUnsigned ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v),
          );
          const schema = [baseUnsigned ? LONGLONG_UNSIGNED : LONGLONG];
          const cols = [ints(baseValues, baseUnsigned)];
          const args: Expr[] = [columnRef(0, schema[0]!)];
          items.forEach((it, i) => {
            const ft = it?.u ? LONGLONG_UNSIGNED : LONGLONG;
            if (asColumn[i]) {
              args.push(columnRef(cols.length, ft));
              schema.push(ft);
              cols.push(
                ints(
                  baseValues.map(() => (it === null ? null : it.v)),
                  it?.u ?? false,
                ),
              );
            } else {
              args.push(it === null ? constNull(ft) : constInt(it.v, ft));
            }
          });
          const want = baseValues.map((b) => {
            if (b === null) return null;
            if (items.some((it) => it !== null && it.v === b)) return 1n;
            return items.includes(null) ? null : 0n;
          });
          expect(evalRows(inInt(...args), schema, cols)).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("InString", () => {
  const inString = (collation: number, args: (string | null)[]) => {
    const ft = fieldType(FieldTypeTp.LongLong, { collate: collation });
    return scalarFunc(S.InString, ft, ...args.map((a) => (a === null ? constNull(STRING) : constBytes(a))));
  };

  // test_in_string
  it.each<[(string | null)[], number, bigint | null]>([
    [["times naive", "young", "simple", null], Collation.Binary, null],
    [["times naive", "young", "simple", "times naive"], Collation.Binary, 1n],
    [["pINGcap", "PINGCAP", "PingCAP", "pingcap", "pingCap"], Collation.Utf8Mb4Bin, 0n],
    [["pINGcap", "PINGCAP", "PingCAP", "pingcap", "pingCap"], Collation.Utf8Mb4GeneralCi, 1n],
    [["breeswish", "breezewish"], Collation.Utf8Mb4GeneralCi, 0n],
    [["codeworm96", "CODEWORM96", "CoDeWorm99"], Collation.Utf8Mb4GeneralCi, 1n],
    [["扩散性百万甜🍞", "扩散性百万辣🍞", "扩散性百万咸🍞"], Collation.Utf8Mb4GeneralCi, 0n],
    [["🐰", "🐇", "🐻", "🐰"], Collation.Utf8Mb4GeneralCi, 1n],
    [["🐰", "🐇", "🐻", "🐰"], Collation.Utf8Mb4UnicodeCi, 1n],
  ])("%o under collation %s → %s", (args, collation, want) => {
    expect(evalConst(inString(collation, args))).toBe(want);
  });

  it("PAD SPACE collations ignore trailing spaces, binary does not", () => {
    expect(evalConst(inString(Collation.Utf8Mb4Bin, ["a  ", "a"]))).toBe(1n);
    expect(evalConst(inString(Collation.Binary, ["a  ", "a"]))).toBe(0n);
  });

  it("over a column, under utf8mb4_general_ci", () => {
    const ft = fieldType(FieldTypeTp.LongLong, { collate: Collation.Utf8Mb4GeneralCi });
    const e = scalarFunc(
      S.InString,
      ft,
      columnRef(0, STRING),
      constBytes("ABC"),
      constBytes("Straße"),
      columnRef(1, STRING),
    );
    const cols = [
      ChunkedVecBytes.fromValues(["abc", "STRASSE", "straße", null, "x", "y"]),
      ChunkedVecBytes.fromValues(["q", "q", "q", "q", null, "Y"]),
    ];
    expect(evalRows(e, [STRING, STRING], cols)).toEqual([1n, 0n, 1n, null, null, 1n]);
  });

  it("a malformed UTF-8 string is an error under a utf8mb4 collation, not under binary", () => {
    const bad = new Uint8Array([0xff, 0xfe]);
    const mk = (c: number) =>
      scalarFunc(
        S.InString,
        fieldType(FieldTypeTp.LongLong, { collate: c }),
        columnRef(0, STRING),
        constBytes("a"),
      );
    const col = [ChunkedVecBytes.fromValues([bad])];
    expect(() => evalRows(mk(Collation.Utf8Mb4Bin), [STRING], col)).toThrow();
    expect(evalRows(mk(Collation.Binary), [STRING], col)).toEqual([0n]);
    // a malformed constant is rejected when the expression is built
    const e = scalarFunc(
      S.InString,
      fieldType(FieldTypeTp.LongLong, { collate: Collation.Utf8Mb4Bin }),
      constBytes("a"),
      constBytes(bad),
    );
    expect(() => evalConst(e)).toThrow();
  });

  it("property: hashed constants give what a scan with the collator gives (general_ci)", () => {
    const collator = collatorFor(Collation.Utf8Mb4GeneralCi);
    const ft = fieldType(FieldTypeTp.LongLong, { collate: Collation.Utf8Mb4GeneralCi });
    const s = fc.option(fc.stringMatching(/^[aAbBßs ]{0,3}$/), { nil: null });
    fc.assert(
      fc.property(
        fc.array(s, { maxLength: 6 }),
        fc.array(s, { minLength: 1, maxLength: 5 }),
        (items, rows) => {
          const e = scalarFunc(
            S.InString,
            ft,
            columnRef(0, STRING),
            ...items.map((v) => (v === null ? constNull(STRING) : constBytes(v))),
          );
          const want = rows.map((r) => {
            if (r === null) return null;
            if (items.some((v) => v !== null && collator.compare(enc(r), enc(v)) === 0)) return 1n;
            return items.includes(null) ? null : 0n;
          });
          expect(evalRows(e, [STRING], [ChunkedVecBytes.fromValues(rows)])).toEqual(want);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("IN with ENUM constants", () => {
  // test_enum: an ENUM('c', 'b', 'a') constant with index 2 ('b')
  const val = new Uint8Array(8);
  val[7] = 2;
  const enumExpr: Expr = {
    tp: tipb.ExprType.MysqlEnum,
    val,
    fieldType: { tp: FieldTypeTp.Enum, elems: ["c", "b", "a"] },
  };
  it("string IN (enum) compares the name", () => {
    expect(evalConst(scalarFunc(S.InString, LONGLONG, constBytes("b"), enumExpr))).toBe(1n);
    expect(evalConst(scalarFunc(S.InString, LONGLONG, constBytes("a"), enumExpr))).toBe(0n);
  });
  it("int IN (enum) compares the index", () => {
    expect(evalConst(inInt(uint(2n), enumExpr))).toBe(1n);
  });
  it("enum IN (string, enum) and enum IN (int, enum)", () => {
    expect(evalConst(scalarFunc(S.InString, LONGLONG, enumExpr, constBytes("a"), enumExpr))).toBe(1n);
    expect(evalConst(inInt(enumExpr, uint(1n), enumExpr))).toBe(1n);
    expect(evalConst(inInt(enumExpr, uint(1n)))).toBe(0n);
  });
});

describe("InReal / InDecimal / InDuration", () => {
  it.each<[(number | null)[], bigint | null]>([
    [[1.5, 2.5, 1.5], 1n],
    [[1.5, 2.5], 0n],
    [[1.5, null, 2.5], null],
    [[null, 1.5], null],
    [[-0, 0], 1n],
    [[0, -0], 1n],
  ])("REAL %o → %s", (args, want) => {
    const e = scalarFunc(
      S.InReal,
      LONGLONG,
      ...args.map((v) => (v === null ? constNull(DOUBLE) : constReal(v))),
    );
    expect(evalConst(e)).toBe(want);
  });

  it("REAL over a column", () => {
    const e = scalarFunc(S.InReal, LONGLONG, columnRef(0, DOUBLE), constReal(0.1), constReal(1e308));
    const col = [ChunkedVecReal.fromValues([0.1, 0.2, null, 1e308, -0.1])];
    expect(evalRows(e, [DOUBLE], col)).toEqual([1n, 0n, null, 1n, 0n]);
  });

  it.each<[(string | null)[], bigint | null]>([
    [["1.0", "1.00"], 1n],
    [["1.0", "1.01", "-1"], 0n],
    [["-0", "0.000"], 1n],
    [["123.456", "123.4560", null], 1n],
    [["123.456", "123.45", null], null],
    [["99999999999999999999999999999.5", "99999999999999999999999999999.50"], 1n],
  ])("DECIMAL %o → %s", (args, want) => {
    const e = scalarFunc(
      S.InDecimal,
      LONGLONG,
      ...args.map((v) => (v === null ? constNull(DECIMAL) : constDecimal(Decimal.fromString(v)))),
    );
    expect(evalConst(e)).toBe(want);
    // the tested value from a column
    const [head, ...rest] = args;
    const col = ChunkedVecDecimal.fromValues([head === null ? null : Decimal.fromString(head!)]);
    const e2 = scalarFunc(
      S.InDecimal,
      LONGLONG,
      columnRef(0, DECIMAL),
      ...rest.map((v) => (v === null ? constNull(DECIMAL) : constDecimal(Decimal.fromString(v)))),
    );
    expect(evalRows(e2, [DECIMAL], [col])).toEqual([want]);
  });

  it("property: DECIMAL hashed constants give what a scan with compare gives", () => {
    // Values with varied trailing zeros and signs, so equal values have different layouts.
    const d = fc
      .tuple(
        fc.integer({ min: -20, max: 20 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 2 }),
      )
      .map(([n, scale, zeros]) => {
        const digits = Math.abs(n)
          .toString()
          .padStart(scale + 1, "0");
        const frac = digits.slice(digits.length - scale) + "0".repeat(zeros);
        const whole = digits.slice(0, digits.length - scale);
        return `${n < 0 ? "-" : ""}${whole}${frac.length > 0 ? `.${frac}` : ""}`;
      });
    const item = fc.option(d, { nil: null });
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 6 }),
        fc.array(item, { minLength: 1, maxLength: 4 }),
        (items, rows) => {
          const e = scalarFunc(
            S.InDecimal,
            LONGLONG,
            columnRef(0, DECIMAL),
            ...items.map((v) => (v === null ? constNull(DECIMAL) : constDecimal(Decimal.fromString(v)))),
          );
          const want = rows.map((r) => {
            if (r === null) return null;
            const x = Decimal.fromString(r);
            if (items.some((v) => v !== null && Decimal.fromString(v).compare(x) === 0)) return 1n;
            return items.includes(null) ? null : 0n;
          });
          const col = ChunkedVecDecimal.fromValues(
            rows.map((r) => (r === null ? null : Decimal.fromString(r))),
          );
          expect(evalRows(e, [DECIMAL], [col])).toEqual(want);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("DURATION compares nanoseconds, whatever the precision", () => {
    const d = (nanos: number, fsp: number) =>
      constDuration(Duration.fromNanos(nanos, fsp), fieldType(FieldTypeTp.Duration, { decimal: fsp }));
    expect(evalConst(scalarFunc(S.InDuration, LONGLONG, d(1_000_000_000, 0), d(1_000_000_000, 6)))).toBe(1n);
    expect(evalConst(scalarFunc(S.InDuration, LONGLONG, d(1_000_000_000, 0), d(1_000_001_000, 6)))).toBe(0n);
    const col = ChunkedVecDuration.fromValues([Duration.fromSecs(3, 0), Duration.fromSecs(-3, 0), null], 0);
    const e = scalarFunc(S.InDuration, LONGLONG, columnRef(0, DURATION), d(3e9, 0), constNull(DURATION));
    expect(evalRows(e, [DURATION], [col])).toEqual([1n, null, null]);
  });
});

describe("InTime / InJson", () => {
  const ctx = EvalContext.forTest();
  const dt = (s: string, ft = DATETIME) => constTime(Time.parseDatetime(ctx, s, 0, false), ft);
  const date = (s: string) => constTime(Time.parse(ctx, s, TimeType.Date, 0, false), DATE);

  it("TIME compares the date and time, ignoring type", () => {
    expect(evalConst(scalarFunc(S.InTime, LONGLONG, date("2020-01-01"), dt("2020-01-01 00:00:00")))).toBe(1n);
    expect(
      evalConst(scalarFunc(S.InTime, LONGLONG, dt("2020-01-01 00:00:01"), dt("2020-01-01 00:00:00"))),
    ).toBe(0n);
    expect(
      evalConst(
        scalarFunc(
          S.InTime,
          LONGLONG,
          dt("2020-01-01 00:00:01"),
          dt("2021-01-01 00:00:00"),
          constNull(DATETIME),
        ),
      ),
    ).toBeNull();
    expect(
      evalConst(scalarFunc(S.InTime, LONGLONG, constNull(DATETIME), dt("2020-01-01 00:00:01"))),
    ).toBeNull();
  });

  const json = (s: string | null): Expr =>
    s === null
      ? constNull(JSON_FT)
      : {
          tp: tipb.ExprType.MysqlJson,
          val: encodeJsonBinary(parseJson(s)),
          fieldType: { tp: FieldTypeTp.Json },
        };

  it.each<[(string | null)[], bigint | null]>([
    [["1", "1.0"], 1n],
    [["1", '"1"'], 0n],
    [['{"a": [1, 2]}', '{"a": [1, 2]}'], 1n],
    [['{"a": [1, 2]}', '{"a": [2, 1]}', null], null],
    [["[1, 2]", "[1]", "[1, 2]"], 1n],
    [["true", "1"], 0n],
    [[null, "1"], null],
  ])("JSON %o → %s", (args, want) => {
    expect(evalConst(scalarFunc(S.InJson, LONGLONG, ...args.map(json)))).toBe(want);
  });
});
