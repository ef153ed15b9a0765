// The parser: TiKV components/tidb_query_aggr/src/parser.rs (ExprType → function), util.rs
// (`check_aggr_exp_supported_one_child`, the SUM/AVG and BIT rewrites).
import { EvalType, evalTypeOf, FieldTypeFlag, FieldTypeTp, isUnsigned } from "@copr/datatype";
import { columnRef, constBytes, constInt, scalarFunc } from "@copr/expr";
import { tipb } from "@copr/proto";
import { describe, expect, it } from "vitest";
import { checkAggrSupported, supportedAggrTypes } from "../src/index.js";
import { aggr, aggrOfColumn, catchError, DECIMAL, DOUBLE, E, ft, LONGLONG, parse } from "./helpers.js";

describe("parseAggr", () => {
  it("supports TiKV's aggregates and the ones of tikv/tikv#4822", () => {
    expect(supportedAggrTypes()).toEqual(
      [
        E.Count,
        E.Sum,
        E.Avg,
        E.Min,
        E.Max,
        E.First,
        E.Agg_BitAnd,
        E.Agg_BitOr,
        E.Agg_BitXor,
        E.VarPop,
        E.VarSamp,
        E.Variance,
        E.SumInt,
        E.Std,
        E.Stddev,
        E.StddevPop,
        E.StddevSamp,
        E.GroupConcat,
        E.ApproxCountDistinct,
        E.JsonArrayAgg,
        E.JsonObjectAgg,
      ].sort((a, b) => a - b),
    );
  });

  it.each([E.MinCount, E.MaxCount, E.RowNumber, E.ScalarFunc])(
    "ExprType %s is an UnsupportedError naming it",
    (tp) => {
      const def = aggrOfColumn(tp, LONGLONG, LONGLONG);
      const name = tipb.ExprType[tp];
      for (const f of [() => parse(def, [LONGLONG]), () => checkAggrSupported(def)]) {
        const e = catchError(f);
        expect(e).toMatchObject({ name: "UnsupportedError" });
        expect((e as Error).message).toContain(`aggr function ${name}`);
      }
    },
  );

  it("requires exactly one argument (TiKV check_aggr_exp_supported_one_child)", () => {
    for (const children of [[], [columnRef(0, LONGLONG), columnRef(0, LONGLONG)]]) {
      const def = aggr(E.Count, LONGLONG, ...children);
      expect(() => checkAggrSupported(def)).toThrow(/Expect 1 parameter, but got/);
      expect(() => parse(def, [LONGLONG])).toThrow(/Expect 1 parameter, but got/);
    }
  });

  it("checkAggrSupported rejects an argument using an unknown function, naming the aggregate", () => {
    const child = scalarFunc(999_999, LONGLONG, constInt(1));
    const e = catchError(() => checkAggrSupported(aggr(E.Sum, DECIMAL, child)));
    expect(e).toMatchObject({ name: "UnsupportedError" });
    expect((e as Error).message).toMatch(/^Aggregation function meet blacklist expr type Sum: /);
    checkAggrSupported(aggr(E.Sum, DECIMAL, columnRef(3, LONGLONG)));
  });

  it("column offsets are checked against the source schema", () => {
    expect(() => parse(aggrOfColumn(E.Count, LONGLONG, LONGLONG, 2), [LONGLONG])).toThrow(
      /Invalid column offset/,
    );
  });

  it("an aggregate without a field type is an ExprError", () => {
    const def = { tp: E.Max, children: [columnRef(0, LONGLONG)] };
    expect(catchError(() => parse(def, [LONGLONG]))).toMatchObject({ name: "ExprError" });
  });

  it("partial-result field types of every aggregate", () => {
    const u = (t: { flag?: number }) => isUnsigned(t as never);
    const types = (tp: tipb.ExprType, out: ReturnType<typeof ft>, arg: ReturnType<typeof ft>) =>
      parse(aggrOfColumn(tp, out, arg), [arg]).fieldTypes;
    const count = types(E.Count, LONGLONG, DOUBLE);
    expect(count.map((t) => [t.tp, u(t)])).toEqual([[FieldTypeTp.LongLong, true]]);
    expect(types(E.Sum, DECIMAL, LONGLONG).map((t) => t.tp)).toEqual([FieldTypeTp.NewDecimal]);
    const avg = types(E.Avg, DOUBLE, DOUBLE);
    expect(avg.map((t) => [t.tp, u(t)])).toEqual([
      [FieldTypeTp.LongLong, true],
      [FieldTypeTp.Double, false],
    ]);
    expect(types(E.VarSamp, DECIMAL, DECIMAL).map((t) => t.tp)).toEqual([
      FieldTypeTp.LongLong,
      FieldTypeTp.NewDecimal,
      FieldTypeTp.NewDecimal,
    ]);
    const bitOut = ft(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned });
    expect(types(E.Agg_BitXor, bitOut, LONGLONG)).toEqual([bitOut]);
    const str = ft(FieldTypeTp.VarString, { collate: -45, flen: 20 });
    expect(types(E.Min, str, str)).toEqual([str]);
    expect(types(E.First, str, str)).toEqual([str]);
  });

  it("names the implementation it chose", () => {
    const name = (tp: tipb.ExprType, out: ReturnType<typeof ft>, arg: ReturnType<typeof ft>) =>
      parse(aggrOfColumn(tp, out, arg), [arg]).fn.name;
    expect(name(E.Sum, DECIMAL, LONGLONG)).toBe("AggrFnSum<Decimal>");
    expect(name(E.Sum, DOUBLE, DOUBLE)).toBe("AggrFnSum<Real>");
    expect(name(E.Avg, DECIMAL, DECIMAL)).toBe("AggrFnAvg<Decimal>");
    const enumFt = ft(FieldTypeTp.Enum, { elems: ["a"] });
    expect(name(E.Sum, DOUBLE, enumFt)).toBe("AggrFnSum<Real>");
    expect(name(E.Variance, DOUBLE, enumFt)).toBe("AggrFnVariance<Real, Population>");
    expect(name(E.Max, enumFt, enumFt)).toBe("AggFnExtremum<Enum, Max>");
    const ci = ft(FieldTypeTp.VarString, { collate: -45 });
    expect(name(E.Min, ci, ci)).toBe("AggFnExtremum<Bytes, utf8mb4_general_ci, Min>");
    expect(name(E.Agg_BitAnd, LONGLONG, LONGLONG)).toBe("AggrFnBitOp<BitAnd>");
    expect(name(E.First, DOUBLE, DOUBLE)).toBe(`AggrFnFirst<${EvalType.Real}>`);
    expect(name(E.SumInt, LONGLONG, LONGLONG)).toBe("AggrFnSumIntSigned");
    expect(evalTypeOf(DECIMAL)).toBe(EvalType.Decimal);
  });

  it("checks the argument count of the aggregates beyond TiKV", () => {
    const c = columnRef(0, LONGLONG);
    const sep = constBytes(",");
    const str = ft(FieldTypeTp.VarString);
    const json = ft(FieldTypeTp.Json);
    const cases: [tipb.ExprType, ReturnType<typeof ft>, ReturnType<typeof columnRef>[], RegExp][] = [
      [
        E.GroupConcat,
        str,
        [sep],
        /GroupConcat: Expect at least 2 parameters \(the values and the separator\), but got 1/,
      ],
      [E.JsonObjectAgg, json, [c], /JsonObjectAgg: Expect 2 parameters \(the key and the value\), but got 1/],
      [E.JsonObjectAgg, json, [c, c, c], /but got 3/],
      [E.JsonArrayAgg, json, [c, c], /JsonArrayAgg: Expect 1 parameter, but got 2/],
      [E.ApproxCountDistinct, LONGLONG, [], /ApproxCountDistinct: Expect at least 1 parameter, but got 0/],
      [E.Stddev, DOUBLE, [], /Stddev: Expect 1 parameter, but got 0/],
    ];
    for (const [tp, out, children, message] of cases) {
      const def = aggr(tp, out, ...children);
      expect(() => checkAggrSupported(def)).toThrow(message);
      expect(() => parse(def, [LONGLONG])).toThrow(message);
    }
    checkAggrSupported(aggr(E.GroupConcat, str, c, c, sep));
    checkAggrSupported(aggr(E.ApproxCountDistinct, LONGLONG, c, c, c));
  });

  it("checkAggrSupported builds every argument and GroupConcat's ORDER BY items", () => {
    const bad = scalarFunc(999_999, LONGLONG, constInt(1));
    const str = ft(FieldTypeTp.VarString);
    const inArg = aggr(E.JsonObjectAgg, ft(FieldTypeTp.Json), columnRef(0, str), bad);
    expect(() => checkAggrSupported(inArg)).toThrow(
      /^Aggregation function meet blacklist expr type JsonObjectAgg: /,
    );
    const inOrder = {
      ...aggr(E.GroupConcat, str, columnRef(0, str), constBytes(",")),
      orderBy: [{ expr: bad }],
    };
    const e = catchError(() => checkAggrSupported(inOrder));
    expect(e).toMatchObject({ name: "UnsupportedError" });
    expect((e as Error).message).toMatch(/^Aggregation function meet blacklist expr type GroupConcat: /);
  });

  it("partial-result field types and names of the aggregates beyond TiKV", () => {
    const str = ft(FieldTypeTp.VarString, { collate: -46, charset: "utf8mb4" });
    const json = ft(FieldTypeTp.Json);
    const c = columnRef(0, str);
    const gc = parse(aggr(E.GroupConcat, str, c, constBytes(",")), [str]);
    expect([gc.fn.name, gc.fieldTypes]).toEqual(["AggrFnGroupConcat", [str]]);
    const gcd = parse({ ...aggr(E.GroupConcat, str, c, constBytes(",")), hasDistinct: true }, [str]);
    expect(gcd.fieldTypes.map((t) => [t.tp, t.collate])).toEqual([[FieldTypeTp.LongBlob, 63]]);
    const acd = parse(aggr(E.ApproxCountDistinct, LONGLONG, c), [str]);
    expect(acd.fieldTypes.map((t) => [t.tp, t.collate])).toEqual([[FieldTypeTp.String, 63]]);
    expect(parse(aggr(E.JsonArrayAgg, json, c), [str]).fieldTypes).toEqual([json]);
    expect(parse(aggr(E.JsonObjectAgg, json, c, c), [str]).fieldTypes).toEqual([json]);
    const sd = parse(aggr(E.StddevPop, DOUBLE, columnRef(0, DOUBLE)), [DOUBLE]);
    expect(sd.fieldTypes.map((t) => [t.tp, u(t)])).toEqual([
      [FieldTypeTp.LongLong, true],
      [FieldTypeTp.Double, false],
      [FieldTypeTp.Double, false],
    ]);
  });
});

const u = (t: { flag?: number }) => isUnsigned(t as never);
