// VARIANCE / VAR_POP / VAR_SAMP: cases from TiKV components/tidb_query_aggr/src/impl_variance.rs.
import {
  ChunkedVecBytes,
  ChunkedVecDecimal,
  ChunkedVecInt,
  ChunkedVecReal,
  Decimal,
  Enum,
  EvalType,
  FieldTypeFlag,
  FieldTypeTp,
  MySqlSet,
} from "@copr/datatype";
import { describe, expect, it } from "vitest";
import { AggrFnVariance } from "../src/index.js";
import {
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

const COUNT = ft(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned });
const str = (v: unknown) => (v === null ? null : String(v));

describe("VARIANCE", () => {
  // TiKV impl_variance.rs test_variance_enum / test_variance_set (as the parser builds them: DOUBLE)
  it("population variance of ENUM indexes and SET masks", () => {
    const c = ctx();
    for (const [argType, a, b] of [
      [EvalType.Enum, Enum.fromValue(["bbb", "aaa"], 1), Enum.fromValue(["bbb", "aaa"], 2)],
      [
        EvalType.Set,
        MySqlSet.fromValue(["我好强啊", "我太强啦"], 0b01),
        MySqlSet.fromValue(["我好强啊", "我太强啦"], 0b10),
      ],
    ] as const) {
      const state = new AggrFnVariance("Real", argType, "Population").createState();
      const types = [COUNT, DOUBLE, DOUBLE];
      expect(pushed(state, types)).toEqual([0n, null, null]);
      state.update(c, a);
      state.update(c, b);
      expect(pushed(state, types)).toEqual([2n, 3, 0.25]);
      state.update(c, null);
      expect(pushed(state, types)).toEqual([2n, 3, 0.25]);
    }
  });

  // The same numbers through DECIMAL arithmetic (TiKV's Decimal variants of those tests).
  it("DECIMAL variance of integers 1 and 2 is 0.25", () => {
    const c = ctx();
    const state = new AggrFnVariance("IntAsDecimal", EvalType.Int, "Population").createState();
    state.update(c, 1n);
    state.update(c, 2n);
    const [count, sum, variance] = pushed(state, [COUNT, DECIMAL, DECIMAL]);
    expect(count).toBe(2n);
    expect((sum as Decimal).compare(Decimal.fromString("3"))).toBe(0);
    expect((variance as Decimal).compare(Decimal.fromString("0.25"))).toBe(0);
  });

  // TiKV impl_variance.rs test_integration, over DOUBLE values directly.
  it("population and sample variance of 12.5 and 42.0", () => {
    const col = ChunkedVecReal.fromValues([12.5, null, 10.0, 42.0, null]);
    const rows = new Uint32Array([0, 1, 3, 4]);
    const pop = runVector(aggrOfColumn(E.Variance, DOUBLE, DOUBLE), [DOUBLE], [col], rows);
    expect(pop.parsed.fieldTypes.map((t) => t.tp)).toEqual([
      FieldTypeTp.LongLong,
      FieldTypeTp.Double,
      FieldTypeTp.Double,
    ]);
    expect(pop.result).toEqual([2n, 54.5, 217.5625]);
    expect(runVector(aggrOfColumn(E.VarPop, DOUBLE, DOUBLE), [DOUBLE], [col], rows).result).toEqual([
      2n,
      54.5,
      217.5625,
    ]);
    const samp = runVector(aggrOfColumn(E.VarSamp, DOUBLE, DOUBLE), [DOUBLE], [col], rows);
    expect(samp.parsed.fn.name).toBe("AggrFnVariance<Real, Sample>");
    expect(samp.result).toEqual([2n, 54.5, 435.125]);
  });

  // TiKV impl_variance.rs test_integration (VarString arguments, cast to DOUBLE).
  it("VARIANCE over strings casts them to DOUBLE (registered cast)", () => {
    const col = ChunkedVecBytes.fromValues(["12.5", null, "10.0", "42.0", null]);
    const rows = new Uint32Array([0, 1, 3, 4]);
    expect(runVector(aggrOfColumn(E.Variance, DOUBLE, VARSTRING), [VARSTRING], [col], rows).result).toEqual([
      2n,
      54.5,
      217.5625,
    ]);
    expect(runVector(aggrOfColumn(E.VarSamp, DOUBLE, VARSTRING), [VARSTRING], [col], rows).result).toEqual([
      2n,
      54.5,
      435.125,
    ]);
  });

  // TiKV impl_variance.rs test_illegal_request
  it("rejects VARIANCE over BIGINT declared DOUBLE", () => {
    expect(catchError(() => parse(aggrOfColumn(E.Variance, DOUBLE, LONGLONG), [LONGLONG]))).toMatchObject({
      name: "ExprError",
    });
  });

  it("VARIANCE over BIGINT is DECIMAL: 1, 2, 4 → sum 7, m2 = 0.5 + 25/6", () => {
    const col = ChunkedVecInt.fromValues([1, 2, 4]);
    const [count, sum, v] = runVector(aggrOfColumn(E.Variance, DECIMAL, LONGLONG), [LONGLONG], [col]).result;
    expect(count).toBe(3n);
    expect(str(sum)).toBe("7");
    // m2: 1/2 = 0.5, then + 25/6 = 4.166666666 (one 9-digit word of fraction), so 4.666666666;
    // / 3 keeps two fraction words and shows 4 + 4 digits, as TiKV's DECIMAL division does.
    expect((v as Decimal).toStringValue()).toBe("1.555555555333333333");
    expect(str(v)).toBe("1.55555556");
    expect(runRows(aggrOfColumn(E.Variance, DECIMAL, LONGLONG), [LONGLONG], [col]).map(str)).toEqual(
      [count, sum, v].map(str),
    );
  });

  it("VARIANCE over DECIMAL and sample variance of one value", () => {
    const col = ChunkedVecDecimal.fromValues([Decimal.fromString("1.5"), null]);
    expect(runVector(aggrOfColumn(E.VarPop, DECIMAL, DECIMAL), [DECIMAL], [col]).result.map(str)).toEqual([
      "1",
      "1.5",
      "0.0000",
    ]);
    // TiKV panics dividing 0 by 0 here; MySQL's VAR_SAMP of one value is NULL.
    expect(runVector(aggrOfColumn(E.VarSamp, DECIMAL, DECIMAL), [DECIMAL], [col]).result.map(str)).toEqual([
      "1",
      "1.5",
      null,
    ]);
  });

  it("empty input is (0, NULL, NULL)", () => {
    const col = ChunkedVecReal.fromValues([]);
    expect(runVector(aggrOfColumn(E.VarSamp, DOUBLE, DOUBLE), [DOUBLE], [col]).result).toEqual([
      0n,
      null,
      null,
    ]);
  });
});
