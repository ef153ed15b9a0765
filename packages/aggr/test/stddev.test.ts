// STDDEV_POP / STD / STDDEV and STDDEV_SAMP. TiKV has none; cases from TiDB
// pkg/executor/aggfuncs/func_stddevpop_test.go (TestStddevpop, TestMergePartialResult4Stddevpop).
import {
  ChunkedVecDecimal,
  ChunkedVecReal,
  Decimal as D,
  type Decimal,
  FieldTypeFlag,
  FieldTypeTp,
} from "@copr/datatype";
import { columnRef } from "@copr/expr";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mergeVariancePartials, stddevOf, type VariancePartial } from "../src/index.js";
import {
  aggr,
  aggrOfColumn,
  catchError,
  DECIMAL,
  DOUBLE,
  E,
  ft,
  LONGLONG,
  parse,
  runVector,
} from "./helpers.js";

const COUNT = ft(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned });

/** The partial result of `tp` over DOUBLE values (all rows, or the given logical rows), as doubles. */
function partialOf(tp: number, values: (number | null)[], rows: number[] | null = null): VariancePartial {
  const col = ChunkedVecReal.fromValues(values);
  const [count, sum, variance] = runVector(
    aggrOfColumn(tp, DOUBLE, DOUBLE),
    [DOUBLE],
    [col],
    rows === null ? null : new Uint32Array(rows),
  ).result as [bigint, number | null, number | null];
  return { count: Number(count), sum, variance };
}

describe("STDDEV_POP / STDDEV_SAMP", () => {
  // TiDB TestStddevpop: five rows 0..4.
  it("population standard deviation of 0..4 is √2", () => {
    const p = partialOf(E.StddevPop, [0, 1, 2, 3, 4]);
    expect(p).toEqual({ count: 5, sum: 10, variance: 2 });
    expect(stddevOf(p)).toBe(Math.SQRT2); // 1.4142135623730951
  });

  // TiDB TestMergePartialResult4Stddevpop: rows 0..4 merged with rows 2..4.
  it("merges partials as TiDB: 1.4142135623730951 ⊕ 0.816496580927726 = 1.3169567191065923", () => {
    const values = [0, 1, 2, 3, 4];
    const a = partialOf(E.StddevPop, values);
    const b = partialOf(E.StddevPop, values, [2, 3, 4]);
    expect(stddevOf(a)).toBe(Math.SQRT2);
    expect(stddevOf(b)).toBe(0.816496580927726);
    expect(stddevOf(mergeVariancePartials([a, b], "Population"))).toBeCloseTo(1.3169567191065923, 14);
  });

  it("sample standard deviation, and its merge (one-row partials have a NULL variance)", () => {
    const values = [0, 1, 2, 3, 4];
    const a = partialOf(E.StddevSamp, values);
    expect(stddevOf(a)).toBe(Math.sqrt(2.5));
    const one = partialOf(E.StddevSamp, values, [2]);
    expect(one).toEqual({ count: 1, sum: 2, variance: null });
    expect(stddevOf(one)).toBeNull();
    const b = partialOf(E.StddevSamp, values, [3, 4]);
    // 0,1,2,3,4 and 2 and 3,4: mean 19/8, squared deviations 13.875, / 7
    expect(stddevOf(mergeVariancePartials([a, one, b], "Sample"))).toBeCloseTo(Math.sqrt(13.875 / 7), 14);
  });

  it("STD and STDDEV are STDDEV_POP; the partial result is VARIANCE's", () => {
    const values = [12.5, null, 10, 42, null];
    const variance = partialOf(E.VarPop, values);
    for (const tp of [E.Std, E.Stddev, E.StddevPop]) expect(partialOf(tp, values)).toEqual(variance);
    expect(partialOf(E.StddevSamp, values)).toEqual(partialOf(E.VarSamp, values));
    const parsed = parse(aggrOfColumn(E.Std, DOUBLE, DOUBLE), [DOUBLE]);
    expect(parsed.fn.name).toBe("AggrFnStddev<Real, Population>");
    expect(parsed.fieldTypes.map((t) => t.tp)).toEqual([COUNT.tp, FieldTypeTp.Double, FieldTypeTp.Double]);
    expect(parse(aggrOfColumn(E.StddevSamp, DOUBLE, DOUBLE), [DOUBLE]).fn.name).toBe(
      "AggrFnStddev<Real, Sample>",
    );
  });

  it("empty input and only NULLs are (0, NULL, NULL): the standard deviation is NULL", () => {
    const p = partialOf(E.StddevPop, [null, null]);
    expect(p).toEqual({ count: 0, sum: null, variance: null });
    expect(mergeVariancePartials([p, p], "Population")).toEqual(p);
    expect(stddevOf(p)).toBeNull();
  });

  it("DECIMAL and integer arguments keep VARIANCE's DECIMAL arithmetic", () => {
    const col = ChunkedVecDecimal.fromValues(["1", "2", "4"].map((s) => D.fromString(s)));
    const [count, sum, v] = runVector(aggrOfColumn(E.StddevPop, DECIMAL, DECIMAL), [DECIMAL], [col]).result;
    expect([count, String(sum), (v as Decimal).toStringValue()]).toEqual([3n, "7", "1.555555555333333333"]);
    expect(catchError(() => parse(aggrOfColumn(E.StddevPop, DOUBLE, LONGLONG), [LONGLONG]))).toMatchObject({
      name: "ExprError",
    });
  });

  it("rejects DISTINCT, ORDER BY and a second argument", () => {
    const def = aggrOfColumn(E.StddevSamp, DOUBLE, DOUBLE);
    expect(catchError(() => parse({ ...def, hasDistinct: true }, [DOUBLE]))).toMatchObject({
      name: "UnsupportedError",
      message: "StddevSamp with DISTINCT is not supported",
    });
    const arg = columnRef(0, DOUBLE);
    expect(() => parse({ ...def, orderBy: [{ expr: arg }] }, [DOUBLE])).toThrow(/ORDER BY is only allowed/);
    expect(() => parse(aggr(E.StddevPop, DOUBLE, arg, arg), [DOUBLE])).toThrow(
      /StddevPop: Expect 1 parameter, but got 2/,
    );
  });

  it("merging any split equals the two-pass standard deviation of all values", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null, freq: 6 }), { maxLength: 50 }),
        fc.array(fc.nat(50), { maxLength: 4 }),
        fc.constantFrom("Population" as const, "Sample" as const),
        (values, cuts, kind) => {
          const tp = kind === "Population" ? E.StddevPop : E.StddevSamp;
          const bounds = [
            ...new Set([0, ...cuts.map((c) => Math.min(c, values.length)), values.length]),
          ].sort((a, b) => a - b);
          const parts = bounds.slice(1).map((end, i) =>
            partialOf(
              tp,
              values,
              [...Array(end - bounds[i]!).keys()].map((j) => j + bounds[i]!),
            ),
          );
          const merged = stddevOf(mergeVariancePartials(parts, kind));
          const xs = values.filter((v): v is number => v !== null);
          const n = xs.length;
          const divisor = kind === "Population" ? n : n - 1;
          if (n === 0 || divisor === 0) {
            expect(merged).toBeNull();
            return;
          }
          const mean = xs.reduce((a, b) => a + b, 0) / n;
          const want = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / divisor);
          expect(Math.abs(merged! - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, want));
        },
      ),
      { numRuns: 300 },
    );
  });
});
