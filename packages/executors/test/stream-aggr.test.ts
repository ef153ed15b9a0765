// BatchStreamAggregationExecutor: TiKV stream_aggr_executor.rs tests (test_it_works_integration,
// test_no_fn), aggr_executor.rs test_agg_paging (stream part), group boundaries across batches,
// collations, and a property test against grouping runs of sorted rows directly.
import {
  ChunkedVecBytes,
  ChunkedVecInt,
  ChunkedVecReal,
  Collation,
  type Column,
  collatorFor,
  Decimal,
  type FieldType,
  FieldTypeTp,
  fieldType,
} from "@copr/datatype";
import { columnRef, constInt, constReal, fieldTypeToPb, scalarFunc } from "@copr/expr";
import { tipb } from "@copr/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BatchExecuteResult, type BatchExecutor, Drain } from "../src/index.js";
import { BatchStreamAggregationExecutor, checkStreamAggrSupported } from "../src/stream-aggr.js";
import { type MockBatch, MockExecutor } from "./mock-executor.js";

const E = tipb.ExprType;
const S = tipb.ScalarFuncSig;
const DOUBLE = fieldType(FieldTypeTp.Double);
const LONGLONG = fieldType(FieldTypeTp.LongLong);
const DECIMAL = fieldType(FieldTypeTp.NewDecimal);
const VARCHAR_CI = fieldType(FieldTypeTp.VarChar, { collate: Collation.Utf8Mb4GeneralCi });

function aggr(tp: tipb.ExprType, out: FieldType, child: tipb.Expr.$Properties): tipb.Expr.$Properties {
  return { tp, fieldType: fieldTypeToPb(out), children: [child] };
}

function vals(c: Column): unknown[] {
  return Array.from({ length: c.length }, (_, i) => {
    const v = c.get(i);
    if (v === null) return null;
    if (typeof v === "bigint") return Number(v);
    if (v instanceof Uint8Array) return new TextDecoder().decode(v);
    if (v instanceof Decimal) return v.toString();
    return v;
  });
}

function drain(exec: BatchExecutor): BatchExecuteResult[] {
  const out: BatchExecuteResult[] = [];
  for (;;) {
    const r = exec.nextBatch(1);
    out.push(r);
    if (r.isDrained !== Drain.Remain) return out;
  }
}

function allRows(results: BatchExecuteResult[]): unknown[][] {
  const cols = results[0]!.columns.length;
  return Array.from({ length: cols }, (_, i) => results.flatMap((r) => vals(r.columns[i]!)));
}

/**
 * TiKV stream_aggr_executor.rs `make_src_executor`: logical rows
 * ```
 * Col0 (utf8mb4_general_ci)  Col1 (Real)
 * NULL NULL | NULL 1.5 | NULL 1.5 | ABC -5.0 | ABC -5.0
 * -- ABC -5.0
 * -- abc -5.0 | abc -5.0
 * ```
 */
function makeSrcExecutor(): MockExecutor {
  return new MockExecutor(
    [VARCHAR_CI, DOUBLE],
    [
      {
        columns: [
          ChunkedVecBytes.fromValues(["foo", null, "ABC", null, null, null, "ABC"]),
          ChunkedVecReal.fromValues([100.0, 1.5, -5.0, null, 1.5, null, -5.0]),
        ],
        logicalRows: Uint32Array.of(3, 1, 4, 2, 6),
      },
      {
        columns: [
          ChunkedVecBytes.fromValues([null, null, "ABC"]),
          ChunkedVecReal.fromValues([null, 100.0, -5.0]),
        ],
        logicalRows: Uint32Array.of(2),
      },
      {
        columns: [ChunkedVecBytes.fromValues(["abc", "abc"]), ChunkedVecReal.fromValues([-5.0, -5.0])],
        logicalRows: null,
      },
    ],
  );
}

describe("BatchStreamAggregationExecutor", () => {
  it("test_it_works_integration: GROUP BY col_0, col_1 + 2.0", () => {
    const exec = new BatchStreamAggregationExecutor(
      makeSrcExecutor(),
      [columnRef(0, VARCHAR_CI), scalarFunc(S.PlusReal, DOUBLE, columnRef(1, DOUBLE), constReal(2.0))],
      [
        aggr(E.Count, LONGLONG, constInt(1)),
        aggr(E.Avg, DOUBLE, scalarFunc(S.PlusReal, DOUBLE, columnRef(1, DOUBLE), constReal(1.0))),
      ],
    );
    let r = exec.nextBatch(1);
    expect(r.isDrained).toBe(Drain.Remain);
    expect(r.columns.map(vals)).toEqual([
      [1, 2], // COUNT
      [0, 2], // AVG count
      [null, 5.0], // AVG sum
      [null, null], // col_0
      [null, 3.5], // col_1 + 2.0
    ]);
    r = exec.nextBatch(1);
    expect(r.isDrained).toBe(Drain.Remain);
    expect(r.columns.map((c) => c.length)).toEqual([0, 0, 0, 0, 0]);
    r = exec.nextBatch(1);
    expect(r.isDrained).toBe(Drain.Drain);
    // 'ABC' and 'abc' are one group under utf8mb4_general_ci, output as its first value.
    expect(r.columns.map(vals)).toEqual([[5], [5], [-20.0], ["ABC"], [-3.0]]);
  });

  it("test_no_fn: only GROUP BY columns", () => {
    const exec = new BatchStreamAggregationExecutor(
      makeSrcExecutor(),
      [columnRef(0, VARCHAR_CI), columnRef(1, DOUBLE)],
      [],
    );
    const results = drain(exec);
    expect(results.map((r) => [r.columns[0]!.length, r.isDrained])).toEqual([
      [2, Drain.Remain],
      [0, Drain.Remain],
      [1, Drain.Drain],
    ]);
    expect(allRows(results)).toEqual([
      [null, null, "ABC"],
      [null, 1.5, -5.0],
    ]);
  });

  it("test_agg_paging: complete groups are output early and count against the page", () => {
    // TiKV make_src_executor_2, grouped by col_1: 1.0 2.0 NULL 4.5 | | 4.5 6.0 | 6.0 7.0.
    const src = () =>
      new MockExecutor(
        [DOUBLE, DOUBLE],
        [
          {
            columns: [
              ChunkedVecReal.fromValues([null, null, null, -5.0, 7.0]),
              ChunkedVecReal.fromValues([null, 4.5, 1.0, null, 2.0]),
            ],
            logicalRows: Uint32Array.of(2, 4, 0, 1),
          },
          {
            columns: [ChunkedVecReal.fromValues([null]), ChunkedVecReal.fromValues([-10.0])],
            logicalRows: new Uint32Array(0),
          },
          {
            columns: [
              ChunkedVecReal.fromValues([5.5, 1.5, 6.0]),
              ChunkedVecReal.fromValues([null, 4.5, 6.0]),
            ],
            logicalRows: Uint32Array.of(1, 2),
          },
          {
            columns: [ChunkedVecReal.fromValues([7.0, 6.0]), ChunkedVecReal.fromValues([7.0, 6.0])],
            logicalRows: Uint32Array.of(1, 0),
          },
        ],
      );
    const cases: [number, number[], Drain][] = [
      [2, [4], Drain.PagingDrain],
      [5, [3, 0, 2], Drain.PagingDrain],
      [7, [3, 0, 1, 2], Drain.Drain],
    ];
    for (const [pagingSize, rows, last] of cases) {
      const exec = new BatchStreamAggregationExecutor(
        src(),
        [columnRef(1, DOUBLE)],
        [aggr(E.Count, LONGLONG, constInt(1))],
        {
          pagingSize,
        },
      );
      const results = drain(exec);
      expect(results.map((r) => r.columns[0]!.length)).toEqual(rows);
      expect(results[results.length - 1]!.isDrained).toBe(last);
    }
    // Without paging the four batches give 3 + 0 + 1 + 2 groups with their counts.
    const results = drain(
      new BatchStreamAggregationExecutor(
        src(),
        [columnRef(1, DOUBLE)],
        [aggr(E.Count, LONGLONG, constInt(1))],
      ),
    );
    expect(allRows(results)).toEqual([
      [1, 1, 1, 2, 2, 1],
      [1.0, 2.0, null, 4.5, 6.0, 7.0],
    ]);
  });

  it("a group running over several batches (and empty ones) stays one group", () => {
    const batch = (v: (number | null)[], x: number[]): MockBatch => ({
      columns: [ChunkedVecInt.fromValues(v), ChunkedVecInt.fromValues(x)],
      logicalRows: null,
    });
    const src = new MockExecutor(
      [LONGLONG, LONGLONG],
      [
        batch([null, null], [1, 2]),
        batch([null], [3]),
        batch([], []),
        batch([null, 7], [4, 5]),
        batch([7], [6]),
      ],
    );
    const exec = new BatchStreamAggregationExecutor(
      src,
      [columnRef(0, LONGLONG)],
      [
        aggr(E.Sum, DECIMAL, columnRef(1, LONGLONG)),
        aggr(E.First, LONGLONG, columnRef(1, LONGLONG)),
        aggr(E.Max, LONGLONG, columnRef(1, LONGLONG)),
      ],
    );
    const results = drain(exec);
    expect(results.map((r) => r.columns[0]!.length)).toEqual([0, 0, 0, 1, 1]);
    expect(allRows(results)).toEqual([
      ["10", "11"],
      [1, 5],
      [4, 6],
      [null, 7],
    ]);
  });

  it("constant aggregate arguments over runs of rows (updateRepeat per run)", () => {
    const src = new MockExecutor(
      [LONGLONG],
      [
        {
          columns: [ChunkedVecInt.fromValues([1, 1, 2, 3, 3, 3])],
          logicalRows: Uint32Array.of(0, 1, 2, 3, 4, 5),
        },
      ],
    );
    const exec = new BatchStreamAggregationExecutor(
      src,
      [columnRef(0, LONGLONG)],
      [aggr(E.Count, LONGLONG, constInt(1)), aggr(E.Sum, DOUBLE, constReal(0.5))],
    );
    expect(allRows(drain(exec))).toEqual([
      [2, 1, 3],
      [1, 0.5, 1.5],
      [1, 2, 3],
    ]);
  });

  it("checkStreamAggrSupported", () => {
    const count = aggr(E.Count, LONGLONG, constInt(1));
    expect(() =>
      checkStreamAggrSupported({ groupBy: [columnRef(0, DOUBLE)], aggFunc: [count] }),
    ).not.toThrow();
    expect(() => checkStreamAggrSupported({ groupBy: [], aggFunc: [count] })).toThrow();
  });

  it("property: equals grouping runs of equal keys (utf8mb4_general_ci) directly", () => {
    const collator = collatorFor(Collation.Utf8Mb4GeneralCi);
    const enc = new TextEncoder();
    const key = fc.option(fc.constantFrom("a", "A", "a ", "b", "B", "é", "E", "ss", "ß"), { nil: null });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, fc.option(fc.integer({ min: -50, max: 50 }), { nil: null })), {
          maxLength: 60,
        }),
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 6 }),
        (rows, cuts) => {
          // Sort by key as the collation orders it (NULL first), then cut into batches.
          const sorted = [...rows].sort(([a], [b]) =>
            a === null
              ? b === null
                ? 0
                : -1
              : b === null
                ? 1
                : collator.compare(enc.encode(a), enc.encode(b)),
          );
          const bounds = [
            ...new Set([0, ...cuts.map((c) => Math.min(c, sorted.length)), sorted.length]),
          ].sort((x, y) => x - y);
          const batches: MockBatch[] = [];
          for (let i = 0; i + 1 < bounds.length || batches.length === 0; i++) {
            const part = sorted.slice(bounds[i] ?? 0, bounds[i + 1] ?? 0);
            batches.push({
              columns: [
                ChunkedVecBytes.fromValues(part.map((r) => r[0])),
                ChunkedVecInt.fromValues(part.map((r) => r[1])),
              ],
              logicalRows: null,
            });
          }
          const exec = new BatchStreamAggregationExecutor(
            new MockExecutor([VARCHAR_CI, LONGLONG], batches),
            [columnRef(0, VARCHAR_CI)],
            [
              aggr(E.Count, LONGLONG, columnRef(1, LONGLONG)),
              aggr(E.Sum, DECIMAL, columnRef(1, LONGLONG)),
              aggr(E.Min, LONGLONG, columnRef(1, LONGLONG)),
              aggr(E.First, LONGLONG, columnRef(1, LONGLONG)),
            ],
          );
          const got = allRows(drain(exec));

          const ref: unknown[][] = [[], [], [], [], []];
          let i = 0;
          while (i < sorted.length) {
            const k = sorted[i]![0];
            let j = i;
            const same = (x: string | null) =>
              x === null || k === null ? x === k : collator.compare(enc.encode(x), enc.encode(k)) === 0;
            while (j < sorted.length && same(sorted[j]![0])) j++;
            const vs = sorted.slice(i, j).map((r) => r[1]);
            const nn = vs.filter((v): v is number => v !== null);
            ref[0]!.push(nn.length);
            ref[1]!.push(nn.length === 0 ? null : String(nn.reduce((a, b) => a + b, 0)));
            ref[2]!.push(nn.length === 0 ? null : Math.min(...nn));
            ref[3]!.push(vs[0]);
            ref[4]!.push(k);
            i = j;
          }
          expect(got).toEqual(ref);
        },
      ),
      { numRuns: 300 },
    );
  });
});
