// Integer arithmetic, comparison and logical functions, with TiKV's cases
// (components/tidb_query_expr/src/impl_arithmetic.rs, impl_compare.rs, impl_op.rs tests).
import { EvalError, isCoprError } from "@copr/datatype";
import { tipb } from "@copr/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  columnRef,
  constInt,
  constNull,
  LONGLONG,
  LONGLONG_UNSIGNED,
  lookupRpnFn,
  scalarFunc,
} from "../src/index.js";
import { evalConst, evalRows, ints } from "./helpers.js";

const S = tipb.ScalarFuncSig;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;

type Operand = bigint | null;
/** An operand as TiKV's tests give it: an i64 (pattern) and whether its type is UNSIGNED. */
const arg = (v: Operand, unsigned: boolean) =>
  v === null
    ? constNull(unsigned ? LONGLONG_UNSIGNED : LONGLONG)
    : constInt(v, unsigned ? LONGLONG_UNSIGNED : LONGLONG);
const call = (sig: number, l: Operand, lu: boolean, r: Operand, ru: boolean, retUnsigned = lu || ru) =>
  evalConst(scalarFunc(sig, retUnsigned ? LONGLONG_UNSIGNED : LONGLONG, arg(l, lu), arg(r, ru)));

describe("PlusInt / MinusInt / MultiplyInt", () => {
  it("test_plus_int cases", () => {
    expect(call(S.PlusInt, null, false, 1n, false)).toBeNull();
    expect(call(S.PlusInt, 1n, false, null, false)).toBeNull();
    expect(call(S.PlusInt, 17n, false, 25n, false)).toBe(42n);
    // i64::MIN + (i64::MAX + 1 as unsigned) = 0
    expect(call(S.PlusInt, I64_MIN, false, I64_MAX + 1n, true)).toBe(0n);
  });

  it("test_minus_int cases", () => {
    expect(call(S.MinusInt, null, false, 1n, false)).toBeNull();
    expect(call(S.MinusInt, 12n, false, 1n, false)).toBe(11n);
    // 0 (unsigned) - i64::MIN = 2^63
    expect(call(S.MinusInt, 0n, true, I64_MIN, false)).toBe(2n ** 63n);
    for (const [l, lu, r, ru] of [
      [I64_MIN, false, I64_MAX, false],
      [I64_MAX, false, I64_MIN, false],
      [-1n, false, 2n, true],
      [1n, true, 2n, false],
    ] as const) {
      expect(() => call(S.MinusInt, l, lu, r, ru)).toThrow(EvalError);
    }
  });

  it("overflow messages print the operands as i64, as TiKV's format! does", () => {
    expect(() => call(S.PlusInt, I64_MAX, false, 1n, false)).toThrow(
      "BIGINT value is out of range in '(9223372036854775807 + 1)'",
    );
    expect(() => call(S.PlusInt, U64_MAX, true, 1n, true)).toThrow(
      "BIGINT UNSIGNED value is out of range in '(-1 + 1)'",
    );
    expect(() => call(S.MultiplyInt, -1n, false, 2n, true)).toThrow(
      "BIGINT UNSIGNED value is out of range in '(-1 * 2)'",
    );
    let err: unknown;
    try {
      call(S.MultiplyInt, I64_MAX, false, 2n, false);
    } catch (e) {
      err = e;
    }
    expect(isCoprError(err) && (err as EvalError).code).toBe(1690);
  });

  it("the specific signed/unsigned sigs name their variant", () => {
    expect(call(S.PlusIntUnsignedUnsigned, U64_MAX - 1n, true, 1n, true)).toBe(U64_MAX);
    expect(() => call(S.PlusIntSignedUnsigned, -5n, false, 3n, true)).toThrow(/BIGINT UNSIGNED/);
    expect(call(S.PlusIntUnsignedSigned, 10n, true, -3n, false)).toBe(7n);
    expect(call(S.PlusIntSignedSigned, -3n, false, -4n, false)).toBe(-7n);
    expect(call(S.MultiplyIntUnsigned, 2n ** 32n, true, 2n ** 31n, true)).toBe(2n ** 63n);
    expect(() => call(S.MultiplyIntUnsigned, 2n ** 32n, true, 2n ** 32n, true)).toThrow(/BIGINT UNSIGNED/);
  });

  it("agree with exact arithmetic over random operands, on columns (vectorized) and constants", () => {
    const i64 = fc.bigInt({ min: I64_MIN, max: I64_MAX });
    const small = fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(small, i64), fc.oneof(small, i64)), { minLength: 1, maxLength: 20 }),
        (pairs) => {
          const a = ints(pairs.map((p) => p[0]));
          const b = ints(pairs.map((p) => p[1]));
          for (const [sig, op] of [
            [S.PlusInt, (x: bigint, y: bigint) => x + y],
            [S.MinusInt, (x: bigint, y: bigint) => x - y],
            [S.MultiplyInt, (x: bigint, y: bigint) => x * y],
          ] as const) {
            const exact = pairs.map(([x, y]) => op(x, y));
            const e = scalarFunc(sig, LONGLONG, columnRef(0, LONGLONG), columnRef(1, LONGLONG));
            if (exact.every((v) => v >= I64_MIN && v <= I64_MAX)) {
              expect(evalRows(e, [LONGLONG, LONGLONG], [a, b])).toEqual(exact);
            } else {
              expect(() => evalRows(e, [LONGLONG, LONGLONG], [a, b])).toThrow(/BIGINT value is out of range/);
            }
          }
        },
      ),
    );
  });

  it("the vectorized form is registered for + and -", () => {
    expect(lookupRpnFn(S.PlusInt)?.vector).toBeTypeOf("function");
    expect(lookupRpnFn(S.MinusInt)?.vector).toBeTypeOf("function");
  });
});

describe("Int comparisons", () => {
  // TiKV test_compare_int_2: (lhs, lhs unsigned, rhs, rhs unsigned, ordering)
  const cases: [bigint, boolean, bigint, boolean, -1 | 0 | 1][] = [
    [5n, false, 3n, false, 1],
    [-1n, false, 5n, false, -1],
    [-1n, true, -2n, true, 1],
    [-1n, true, 5n, true, 1],
    [5n, true, I64_MIN, false, 1],
    [-1n, true, I64_MIN, false, 1],
    [5n, true, 3n, false, 1],
    [I64_MIN, false, 3n, true, -1],
    [5n, false, -1n, true, -1],
    [5n, false, 3n, true, 1],
  ];
  it.each(cases)("%s (unsigned %s) vs %s (unsigned %s)", (l, lu, r, ru, ord) => {
    const expectFor: [number, (o: number) => boolean][] = [
      [S.EQInt, (o) => o === 0],
      [S.NEInt, (o) => o !== 0],
      [S.LTInt, (o) => o < 0],
      [S.LEInt, (o) => o <= 0],
      [S.GTInt, (o) => o > 0],
      [S.GEInt, (o) => o >= 0],
      [S.NullEQInt, (o) => o === 0],
    ];
    for (const [sig, accept] of expectFor) {
      expect(call(sig, l, lu, r, ru, false)).toBe(accept(ord) ? 1n : 0n);
    }
  });

  it("NULL gives NULL, except for <=>", () => {
    expect(call(S.LTInt, null, false, 1n, false)).toBeNull();
    expect(call(S.NullEQInt, null, false, 1n, false)).toBe(0n);
    expect(call(S.NullEQInt, null, false, null, false)).toBe(1n);
  });

  it("vectorized over columns equals the scalar definition", () => {
    const v = fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(v, v), { maxLength: 30 }),
        fc.integer({ min: -1000, max: 1000 }),
        (pairs, c) => {
          const a = ints(pairs.map((p) => p[0]));
          const b = ints(pairs.map((p) => p[1]));
          const ops: [number, (x: number, y: number) => boolean][] = [
            [S.LTInt, (x, y) => x < y],
            [S.GEInt, (x, y) => x >= y],
            [S.EQInt, (x, y) => x === y],
          ];
          for (const [sig, op] of ops) {
            const cols = evalRows(
              scalarFunc(sig, LONGLONG, columnRef(0, LONGLONG), columnRef(1, LONGLONG)),
              [LONGLONG, LONGLONG],
              [a, b],
            );
            expect(cols).toEqual(
              pairs.map(([x, y]) => (x === null || y === null ? null : op(x, y) ? 1n : 0n)),
            );
            const withConst = evalRows(
              scalarFunc(sig, LONGLONG, columnRef(0, LONGLONG), constInt(c)),
              [LONGLONG],
              [a],
            );
            expect(withConst).toEqual(pairs.map(([x]) => (x === null ? null : op(x, c) ? 1n : 0n)));
          }
        },
      ),
    );
  });
});

describe("logical operators and IS NULL", () => {
  const l = (sig: number, a: Operand, b?: Operand) =>
    evalConst(
      b === undefined
        ? scalarFunc(sig, LONGLONG, arg(a, false))
        : scalarFunc(sig, LONGLONG, arg(a, false), arg(b, false)),
    );

  it("test_logical_and / test_logical_or / test_logical_xor cases", () => {
    const and: [Operand, Operand, Operand][] = [
      [1n, 1n, 1n],
      [1n, 0n, 0n],
      [0n, 0n, 0n],
      [2n, -1n, 1n],
      [0n, null, 0n],
      [null, 1n, null],
    ];
    for (const [a, b, want] of and) expect(l(S.LogicalAnd, a, b)).toBe(want);
    const or: [Operand, Operand, Operand][] = [
      [1n, 1n, 1n],
      [1n, 0n, 1n],
      [0n, 0n, 0n],
      [2n, -1n, 1n],
      [1n, null, 1n],
      [null, 0n, null],
    ];
    for (const [a, b, want] of or) expect(l(S.LogicalOr, a, b)).toBe(want);
    const xor: [Operand, Operand, Operand][] = [
      [1n, 1n, 0n],
      [1n, 0n, 1n],
      [0n, 0n, 0n],
      [2n, -1n, 0n],
      [-1n, 0n, 1n],
      [0n, null, null],
      [null, 1n, null],
    ];
    for (const [a, b, want] of xor) expect(l(S.LogicalXor, a, b)).toBe(want);
  });

  it("NOT and IS NULL", () => {
    expect(l(S.UnaryNotInt, 0n)).toBe(1n);
    expect(l(S.UnaryNotInt, -5n)).toBe(0n);
    expect(l(S.UnaryNotInt, null)).toBeNull();
    expect(l(S.IntIsNull, null)).toBe(1n);
    expect(l(S.IntIsNull, 0n)).toBe(0n);
    expect(
      evalRows(scalarFunc(S.IntIsNull, LONGLONG, columnRef(0, LONGLONG)), [LONGLONG], [ints([1, null, 3])]),
    ).toEqual([0n, 1n, 0n]);
  });
});
