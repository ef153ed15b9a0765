// Bit operators, with TiKV's cases (components/tidb_query_expr/src/impl_op.rs tests).
import { tipb } from "@copr/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { columnRef, constInt, constNull, LONGLONG, LONGLONG_UNSIGNED, scalarFunc } from "../src/index.js";
import { evalConst, evalRows, ints } from "./helpers.js";

const S = tipb.ScalarFuncSig;
const U64_MAX = 2n ** 64n - 1n;
const I64_MIN = -(2n ** 63n);

type V = bigint | null;
const lit = (v: V, unsigned = false) => {
  const ft = unsigned ? LONGLONG_UNSIGNED : LONGLONG;
  return v === null ? constNull(ft) : constInt(v, ft);
};
/** Evaluates `sig` on constants; the result type is signed BIGINT as in TiKV's scalar evaluator. */
const bin = (sig: number, a: V, b: V, ret = LONGLONG) => evalConst(scalarFunc(sig, ret, lit(a), lit(b)));

describe("BitAndSig / BitOrSig / BitXorSig", () => {
  // test_bit_and
  it.each([
    [123n, 321n, 65n],
    [-123n, 321n, 257n],
    [null, 1n, null],
    [1n, null, null],
    [null, null, null],
  ])("%s & %s = %s", (a, b, want) => {
    expect(bin(S.BitAndSig, a, b)).toBe(want);
  });

  // test_bit_or
  it.each([
    [123n, 321n, 379n],
    [-123n, 321n, -59n],
    [null, 1n, null],
    [1n, null, null],
    [null, null, null],
  ])("%s | %s = %s", (a, b, want) => {
    expect(bin(S.BitOrSig, a, b)).toBe(want);
  });

  // test_bit_xor
  it.each([
    [123n, 321n, 314n],
    [-123n, 321n, -316n],
    [null, 1n, null],
    [1n, null, null],
    [null, null, null],
  ])("%s ^ %s = %s", (a, b, want) => {
    expect(bin(S.BitXorSig, a, b)).toBe(want);
  });

  it("an UNSIGNED result type reads the same 64 bits as u64 (TiDB types bit ops BIGINT UNSIGNED)", () => {
    expect(bin(S.BitOrSig, -123n, 321n, LONGLONG_UNSIGNED)).toBe(2n ** 64n - 59n);
    expect(bin(S.BitAndSig, -1n, -1n, LONGLONG_UNSIGNED)).toBe(U64_MAX);
  });

  it("signed and unsigned operands combine by their bit patterns", () => {
    const e = scalarFunc(S.BitXorSig, LONGLONG_UNSIGNED, lit(U64_MAX, true), lit(-1n));
    expect(evalConst(e)).toBe(0n);
    const e2 = scalarFunc(S.BitAndSig, LONGLONG_UNSIGNED, lit(2n ** 63n, true), lit(I64_MIN));
    expect(evalConst(e2)).toBe(2n ** 63n);
  });

  it("property: agrees with 64-bit two's complement arithmetic", () => {
    const i64 = fc.bigInt({ min: I64_MIN, max: 2n ** 63n - 1n });
    fc.assert(
      fc.property(i64, i64, (a, b) => {
        expect(bin(S.BitAndSig, a, b)).toBe(BigInt.asIntN(64, a & b));
        expect(bin(S.BitOrSig, a, b)).toBe(BigInt.asIntN(64, a | b));
        expect(bin(S.BitXorSig, a, b)).toBe(BigInt.asIntN(64, a ^ b));
      }),
      { numRuns: 200 },
    );
  });
});

describe("BitNegSig", () => {
  // test_bit_neg
  it.each([
    [123n, -124n],
    [-123n, 122n],
    [0n, -1n],
    [null, null],
  ])("~%s = %s", (a, want) => {
    expect(evalConst(scalarFunc(S.BitNegSig, LONGLONG, lit(a)))).toBe(want);
  });

  it("~0 as BIGINT UNSIGNED is 2^64 - 1", () => {
    expect(evalConst(scalarFunc(S.BitNegSig, LONGLONG_UNSIGNED, lit(0n)))).toBe(U64_MAX);
    expect(evalConst(scalarFunc(S.BitNegSig, LONGLONG_UNSIGNED, lit(U64_MAX, true)))).toBe(0n);
  });
});

describe("LeftShift / RightShift", () => {
  // test_left_shift
  it.each([
    [123n, 2n, 492n],
    [-123n, -1n, 0n],
    [123n, 0n, 123n],
    [null, 1n, null],
    [123n, null, null],
    [-123n, 60n, 5764607523034234880n],
    [null, null, null],
  ])("%s << %s = %s", (a, b, want) => {
    expect(bin(S.LeftShift, a, b)).toBe(want);
  });

  // test_right_shift
  it.each([
    [123n, 2n, 30n],
    [-123n, -1n, 0n],
    [123n, 0n, 123n],
    [null, 1n, null],
    [123n, null, null],
    [-123n, 2n, 4611686018427387873n],
    [null, null, null],
  ])("%s >> %s = %s", (a, b, want) => {
    expect(bin(S.RightShift, a, b)).toBe(want);
  });

  it.each([63n, 64n, 65n, 1000n])("shift counts: 1 << %s, and -1 >> the same", (n) => {
    const left = bin(S.LeftShift, 1n, n, LONGLONG_UNSIGNED);
    const right = bin(S.RightShift, -1n, n, LONGLONG_UNSIGNED);
    expect(left).toBe(n < 64n ? 1n << n : 0n);
    expect(right).toBe(n < 64n ? U64_MAX >> n : 0n);
  });

  it("a huge unsigned shift count is >= 64 and gives 0", () => {
    const e = scalarFunc(S.LeftShift, LONGLONG_UNSIGNED, lit(1n), lit(U64_MAX, true));
    expect(evalConst(e)).toBe(0n);
  });

  it("over columns, with NULLs and logical rows", () => {
    const e = scalarFunc(
      S.LeftShift,
      LONGLONG_UNSIGNED,
      columnRef(0, LONGLONG),
      columnRef(1, LONGLONG_UNSIGNED),
    );
    const cols = [ints([1n, -1n, null, 5n]), ints([3n, 63n, 1n, null], true)];
    expect(evalRows(e, [LONGLONG, LONGLONG_UNSIGNED], cols)).toEqual([8n, 2n ** 63n, null, null]);
    expect(evalRows(e, [LONGLONG, LONGLONG_UNSIGNED], cols, new Uint32Array([1, 0]))).toEqual([
      2n ** 63n,
      8n,
    ]);
  });

  it("property: shifts agree with u64 arithmetic", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: U64_MAX }), fc.bigInt({ min: 0n, max: 100n }), (a, n) => {
        const l = evalConst(scalarFunc(S.LeftShift, LONGLONG_UNSIGNED, lit(a, true), lit(n)));
        const r = evalConst(scalarFunc(S.RightShift, LONGLONG_UNSIGNED, lit(a, true), lit(n)));
        expect(l).toBe(n >= 64n ? 0n : BigInt.asUintN(64, a << n));
        expect(r).toBe(n >= 64n ? 0n : a >> n);
      }),
      { numRuns: 200 },
    );
  });
});
