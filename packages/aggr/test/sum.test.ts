// SUM and SUM_INT: cases from TiKV components/tidb_query_aggr/src/impl_sum.rs and impl_sum_int.rs.
import {
  ChunkedVecBytes,
  ChunkedVecDecimal,
  ChunkedVecEnum,
  ChunkedVecInt,
  ChunkedVecReal,
  Decimal,
  Enum,
  EvalType,
  FieldTypeFlag,
  FieldTypeTp,
  isCoprError,
  MySqlSet,
} from "@copr/datatype";
import { constInt, lookupRpnFn, type RpnFnMeta } from "@copr/expr";
import { tipb } from "@copr/proto";
import { describe, expect, it } from "vitest";
import { AggrFnSum } from "../src/index.js";
import {
  aggr,
  aggrOfColumn,
  catchError,
  ctx,
  DECIMAL,
  DOUBLE,
  E,
  ft,
  LONGLONG,
  parse,
  pushed,
  runRows,
  runVector,
  VARSTRING,
} from "./helpers.js";

const S = tipb.ScalarFuncSig;
const dec = (s: string) => Decimal.fromString(s);
const str = (v: unknown) => (v === null ? null : String(v));
const LONGLONG_U = ft(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned });

/**
 * A stand-in for @copr/expr's CastStringAsReal (plain `parseFloat`), to test how the parser
 * appends casts independently of the cast family.
 */
const fakeStringAsReal: RpnFnMeta = {
  name: "test.castStringAsReal",
  sig: S.CastStringAsReal,
  args: [EvalType.Bytes],
  ret: EvalType.Real,
  nonnull: true,
  ctx: false,
  metadata: undefined,
  validator: undefined,
  fn: (b: Uint8Array) => Number.parseFloat(new TextDecoder().decode(b)),
  vector: undefined,
};
const withFakeCast = {
  lookup: (sig: number) => (sig === S.CastStringAsReal ? fakeStringAsReal : lookupRpnFn(sig)),
};

describe("SUM", () => {
  // TiKV impl_sum.rs test_sum_enum: TiKV's parser casts ENUM to DOUBLE, so the sum is a double.
  it("sums ENUM member indexes", () => {
    const c = ctx();
    const state = new AggrFnSum("Real", EvalType.Enum).createState();
    expect(pushed(state, [DOUBLE])).toEqual([null]);
    const elems = ["bbb", "aaa"];
    state.update(c, Enum.fromValue(elems, 2));
    expect(pushed(state, [DOUBLE])).toEqual([2]);
    state.update(c, Enum.fromValue(elems, 1));
    state.update(c, Enum.fromValue(elems, 2));
    state.update(c, Enum.fromValue(elems, 2));
    expect(pushed(state, [DOUBLE])).toEqual([7]);
    state.updateVector(c, ChunkedVecEnum.fromValues([1, null, 2], elems), null);
    expect(pushed(state, [DOUBLE])).toEqual([10]);
  });

  // TiKV impl_sum.rs test_sum_set
  it("sums SET masks", () => {
    const c = ctx();
    const elems = ["我好强啊", "我太强啦"];
    const state = new AggrFnSum("Real", EvalType.Set).createState();
    expect(pushed(state, [DOUBLE])).toEqual([null]);
    state.update(c, MySqlSet.fromValue(elems, 0b10));
    expect(pushed(state, [DOUBLE])).toEqual([2]);
    state.update(c, MySqlSet.fromValue(elems, 0b01));
    state.update(c, MySqlSet.fromValue(elems, 0b10));
    state.update(c, MySqlSet.fromValue(elems, 0b10));
    expect(pushed(state, [DOUBLE])).toEqual([7]);
  });

  // TiKV impl_sum.rs test_integration: SUM(VarString) is a DOUBLE sum of the cast values.
  it("SUM over strings casts them to DOUBLE (registered cast)", () => {
    const col = ChunkedVecBytes.fromValues(["12.5", null, "10000.0", "42.0", null]);
    const { parsed, result } = runVector(
      aggrOfColumn(E.Sum, DOUBLE, VARSTRING),
      [VARSTRING],
      [col],
      new Uint32Array([0, 1, 3, 4]),
    );
    expect(parsed.fieldTypes.map((t) => t.tp)).toEqual([FieldTypeTp.Double]);
    expect(result).toEqual([54.5]);
  });

  it("SUM over strings appends a CastStringAsReal node to DOUBLE(23, -1)", () => {
    const col = ChunkedVecBytes.fromValues(["12.5", null, "10000.0", "42.0", null]);
    const { parsed, result } = runVector(
      aggrOfColumn(E.Sum, DOUBLE, VARSTRING),
      [VARSTRING],
      [col],
      new Uint32Array([0, 1, 3, 4]),
      withFakeCast,
    );
    const last = parsed.expr.nodes[parsed.expr.nodes.length - 1]!;
    expect(last.kind).toBe("call");
    if (last.kind === "call") {
      expect(last.fn.sig).toBe(S.CastStringAsReal);
      expect(last.fieldType).toMatchObject({ tp: FieldTypeTp.Double, flen: 23, decimal: -1 });
    }
    expect(result).toEqual([54.5]);
  });

  it("a missing cast is an UnsupportedError naming the aggregate and the cast", () => {
    const def = aggrOfColumn(E.Sum, DOUBLE, VARSTRING);
    const e = catchError(() => parse(def, [VARSTRING], { lookup: () => undefined }));
    expect(e).toMatchObject({ name: "UnsupportedError" });
    expect((e as Error).message).toMatch(/Sum over Bytes needs CastStringAsReal/);
  });

  // TiKV impl_sum.rs test_illegal_request: SUM over BIGINT must be declared DECIMAL.
  it("rejects a result type that does not match the rewritten argument", () => {
    const e = catchError(() => parse(aggrOfColumn(E.Sum, DOUBLE, LONGLONG), [LONGLONG]));
    expect(e).toMatchObject({ name: "ExprError", code: 1105 });
    expect((e as Error).message).toMatch(/Unexpected return field type/);
  });

  it("SUM over BIGINT is an exact DECIMAL, also beyond 2^64", () => {
    const max = (1n << 63n) - 1n;
    const col = ChunkedVecInt.fromValues([max, max, max, null, -5]);
    const { result } = runVector(aggrOfColumn(E.Sum, DECIMAL, LONGLONG), [LONGLONG], [col]);
    expect(str(result[0])).toBe((3n * max - 5n).toString());
    const u = ChunkedVecInt.fromValues([(1n << 64n) - 1n, 1n], { unsigned: true });
    expect(str(runVector(aggrOfColumn(E.Sum, DECIMAL, LONGLONG_U), [LONGLONG_U], [u]).result[0])).toBe(
      (1n << 64n).toString(),
    );
  });

  it("SUM over BIT is a DOUBLE (TiDB typeInfer4Sum)", () => {
    const bit = ft(FieldTypeTp.Bit, { flag: FieldTypeFlag.Unsigned, flen: 8 });
    const col = ChunkedVecInt.fromValues([1, 2, null, 255], { unsigned: true });
    const { parsed, result } = runVector(aggrOfColumn(E.Sum, DOUBLE, bit), [bit], [col]);
    expect(parsed.fn.name).toBe("AggrFnSum<Real>");
    expect(result).toEqual([258]);
    expect(() => parse(aggrOfColumn(E.Sum, DECIMAL, bit), [bit])).toThrow(/Unexpected return field type/);
  });

  it("SUM over DECIMAL keeps the largest fraction, NULLs skipped, all-NULL is NULL", () => {
    const col = ChunkedVecDecimal.fromValues([dec("1.5"), null, dec("-0.25"), dec("100")]);
    expect(str(runVector(aggrOfColumn(E.Sum, DECIMAL, DECIMAL), [DECIMAL], [col]).result[0])).toBe("101.25");
    expect(str(runRows(aggrOfColumn(E.Sum, DECIMAL, DECIMAL), [DECIMAL], [col])[0])).toBe("101.25");
    const nulls = ChunkedVecDecimal.fromValues([null, null]);
    expect(runVector(aggrOfColumn(E.Sum, DECIMAL, DECIMAL), [DECIMAL], [nulls]).result).toEqual([null]);
    expect(
      runVector(aggrOfColumn(E.Sum, DECIMAL, DECIMAL), [DECIMAL], [col], new Uint32Array(0)).result,
    ).toEqual([null]);
  });

  it("SUM over wide DECIMALs (beyond the double fast path) is exact", () => {
    const big = dec("12345678901234567890.123456789");
    const col = ChunkedVecDecimal.fromValues([big, big, dec("0.000000001")]);
    expect(str(runVector(aggrOfColumn(E.Sum, DECIMAL, DECIMAL), [DECIMAL], [col]).result[0])).toBe(
      "24691357802469135780.246913579",
    );
  });

  it("SUM(constant) counts the constant once per row", () => {
    const col = ChunkedVecInt.fromValues([1, 2, 3, 4]);
    expect(str(runVector(aggr(E.Sum, DECIMAL, constInt(7)), [LONGLONG], [col]).result[0])).toBe("28");
  });

  it("SUM over DOUBLE adds in row order", () => {
    const col = ChunkedVecReal.fromValues([0.1, 0.2, null, 0.3]);
    expect(runVector(aggrOfColumn(E.Sum, DOUBLE, DOUBLE), [DOUBLE], [col]).result).toEqual([0.1 + 0.2 + 0.3]);
  });

  it("SUM over a VECTOR is unsupported", () => {
    const vec = ft(FieldTypeTp.TiDBVectorFloat32);
    expect(catchError(() => parse(aggrOfColumn(E.Sum, DOUBLE, vec), [vec]))).toMatchObject({
      name: "UnsupportedError",
    });
  });
});

describe("SUM_INT", () => {
  // TiKV impl_sum_int.rs test_sum_int_signed_integration
  it("sums signed integers into a signed BIGINT", () => {
    const long = ft(FieldTypeTp.Long);
    const col = ChunkedVecInt.fromValues([1, null, 5, -2]);
    const { parsed, result } = runVector(aggrOfColumn(E.SumInt, LONGLONG, long), [long], [col]);
    expect(parsed.fieldTypes[0]!.tp).toBe(FieldTypeTp.LongLong);
    expect(result).toEqual([4n]);
  });

  // TiKV impl_sum_int.rs test_sum_int_unsigned_integration
  it("sums unsigned integers into an unsigned BIGINT", () => {
    const col = ChunkedVecInt.fromValues([1, 2, null, 3], { unsigned: true });
    expect(runVector(aggrOfColumn(E.SumInt, LONGLONG_U, LONGLONG_U), [LONGLONG_U], [col]).result).toEqual([
      6n,
    ]);
  });

  // TiKV impl_sum_int.rs test_sum_int_illegal_request, plus the unsigned-flag check of parse_rpn.
  it("rejects non-integer arguments, non-BIGINT results and mixed signedness", () => {
    expect(() => parse(aggrOfColumn(E.SumInt, LONGLONG, VARSTRING), [VARSTRING])).toThrow(
      /SUM_INT only accepts integer arguments/,
    );
    expect(() => parse(aggrOfColumn(E.SumInt, DECIMAL, LONGLONG), [LONGLONG])).toThrow(/for SUM_INT/);
    expect(() => parse(aggrOfColumn(E.SumInt, LONGLONG, LONGLONG_U), [LONGLONG_U])).toThrow(/unsigned flag/);
  });

  // TiKV impl_sum_int.rs test_sum_int_signed_overflow, test_sum_int_unsigned_overflow
  it("overflow is error 1690", () => {
    const s = ChunkedVecInt.fromValues([(1n << 63n) - 1n, 1n]);
    const e1 = catchError(() => runVector(aggrOfColumn(E.SumInt, LONGLONG, LONGLONG), [LONGLONG], [s]));
    expect(isCoprError(e1)).toBe(true);
    expect(e1).toMatchObject({
      code: 1690,
      message: "BIGINT value is out of range in '(9223372036854775807 + 1)'",
    });
    const u = ChunkedVecInt.fromValues([(1n << 64n) - 1n, 1n], { unsigned: true });
    const e2 = catchError(() => runVector(aggrOfColumn(E.SumInt, LONGLONG_U, LONGLONG_U), [LONGLONG_U], [u]));
    expect(e2).toMatchObject({ code: 1690 });
    expect((e2 as Error).message).toMatch(/^BIGINT UNSIGNED value is out of range/);
  });

  it("empty is NULL; a negative partial sum below i64 bounds is fine until it leaves them", () => {
    const col = ChunkedVecInt.fromValues([null]);
    expect(runVector(aggrOfColumn(E.SumInt, LONGLONG, LONGLONG), [LONGLONG], [col]).result).toEqual([null]);
    const min = -(1n << 63n);
    const ok = ChunkedVecInt.fromValues([min, 5n, -5n]);
    expect(runRows(aggrOfColumn(E.SumInt, LONGLONG, LONGLONG), [LONGLONG], [ok])).toEqual([min]);
  });
});
