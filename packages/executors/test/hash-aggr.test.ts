// Fast and slow hash aggregation: TiKV fast_hash_aggr_executor.rs tests (test_it_works_integration,
// test_group_by_a_constant, test_collation, test_no_row, test_no_aggr_fn,
// test_group_by_enum_column), slow_hash_aggr_executor.rs test_it_works_integration,
// aggr_executor.rs test_agg_paging; key equality per type, output in batches, and a property test
// against grouping in a Map.
import {
  ChunkedVecBytes,
  ChunkedVecDateTime,
  ChunkedVecDecimal,
  ChunkedVecEnum,
  ChunkedVecInt,
  ChunkedVecReal,
  Collation,
  type Column,
  collatorFor,
  Decimal,
  Enum,
  EvalContext,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  Time,
  UnsupportedError,
} from "@copr/datatype";
import { columnRef, constInt, constReal, fieldTypeToPb, scalarFunc } from "@copr/expr";
import { tipb } from "@copr/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BatchFastHashAggregationExecutor,
  BatchSlowHashAggregationExecutor,
  checkFastHashAggrSupported,
  checkSlowHashAggrSupported,
  type HashAggregationOptions,
} from "../src/hash-aggr.js";
import { type BatchExecuteResult, type BatchExecutor, Drain } from "../src/index.js";
import { type MockBatch, MockExecutor } from "./mock-executor.js";

const E = tipb.ExprType;
const S = tipb.ScalarFuncSig;
const DOUBLE = fieldType(FieldTypeTp.Double);
const LONGLONG = fieldType(FieldTypeTp.LongLong);
const UNSIGNED = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned });
const DECIMAL = fieldType(FieldTypeTp.NewDecimal);
const VARSTRING = fieldType(FieldTypeTp.VarString);
const GENERAL_CI = fieldType(FieldTypeTp.VarString, { collate: Collation.Utf8Mb4GeneralCi });
const UTF8MB4_BIN = fieldType(FieldTypeTp.VarString, { collate: Collation.Utf8Mb4Bin });

function aggr(tp: tipb.ExprType, out: FieldType, child: tipb.Expr.$Properties): tipb.Expr.$Properties {
  return { tp, fieldType: fieldTypeToPb(out), children: [child] };
}

function vals(c: Column): unknown[] {
  return Array.from({ length: c.length }, (_, i) => {
    const v = c.get(i);
    if (v === null) return null;
    if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v;
    if (v instanceof Uint8Array) return new TextDecoder().decode(v);
    if (v instanceof Decimal || v instanceof Time) return v.toString();
    if (v instanceof Enum) return v.name;
    return v;
  });
}

/** Calls `nextBatch` until the executor stops; returns each call's result. */
function drain(exec: BatchExecutor): BatchExecuteResult[] {
  const out: BatchExecuteResult[] = [];
  for (;;) {
    const r = exec.nextBatch(1);
    out.push(r);
    if (r.isDrained !== Drain.Remain) return out;
  }
}

/** Every output row of all calls, as one array per column. */
function allRows(results: BatchExecuteResult[]): unknown[][] {
  const cols = results[0]!.columns.length;
  return Array.from({ length: cols }, (_, i) => results.flatMap((r) => vals(r.columns[i]!)));
}

/** TiKV aggr_executor.rs `make_src_executor_1` (see simple-aggr.test.ts for the logical rows). */
function makeSrcExecutor1(): MockExecutor {
  return new MockExecutor(
    [DOUBLE, DOUBLE, VARSTRING, LONGLONG, GENERAL_CI],
    [
      {
        columns: [
          ChunkedVecReal.fromValues([null, null, null, -5.0, 7.0]),
          ChunkedVecReal.fromValues([null, 4.5, 1.0, null, 2.0]),
          ChunkedVecBytes.fromValues(["", "HelloWorld", "abc", null, null]),
          ChunkedVecInt.fromValues([null, null, 1, 10, null]),
          ChunkedVecBytes.fromValues(["áá", null, "aa", "ááá", "aaa"]),
        ],
        logicalRows: Uint32Array.of(2, 4, 0, 1),
      },
      {
        columns: [
          ChunkedVecReal.fromValues([null]),
          ChunkedVecReal.fromValues([-10.0]),
          ChunkedVecBytes.fromValues(["foo"]),
          ChunkedVecInt.fromValues([null]),
          ChunkedVecBytes.fromValues([null]),
        ],
        logicalRows: new Uint32Array(0),
      },
      {
        columns: [
          ChunkedVecReal.fromValues([5.5, 1.5]),
          ChunkedVecReal.fromValues([null, 4.5]),
          ChunkedVecBytes.fromValues([null, "aaaaa"]),
          ChunkedVecInt.fromValues([null, 5]),
          ChunkedVecBytes.fromValues(["áá", "ááá"]),
        ],
        logicalRows: Uint32Array.of(1),
      },
    ],
  );
}

/**
 * TiKV `make_src_executor_2`: logical rows (Col0, Col1) = (NULL, 1.0) (7.0, 2.0) (NULL, NULL)
 * (NULL, 4.5) | empty | (1.5, 4.5) (6.0, 6.0) | (6.0, 6.0) (7.0, 7.0).
 */
function makeSrcExecutor2(): MockExecutor {
  return new MockExecutor(
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
        columns: [ChunkedVecReal.fromValues([5.5, 1.5, 6.0]), ChunkedVecReal.fromValues([null, 4.5, 6.0])],
        logicalRows: Uint32Array.of(1, 2),
      },
      {
        columns: [ChunkedVecReal.fromValues([7.0, 6.0]), ChunkedVecReal.fromValues([7.0, 6.0])],
        logicalRows: Uint32Array.of(1, 0),
      },
    ],
  );
}

type Builder = (
  src: BatchExecutor,
  groupBy: tipb.Expr.$Properties,
  aggrs: tipb.Expr.$Properties[],
  options?: HashAggregationOptions,
) => BatchExecutor;
const fast: Builder = (src, g, a, o) => new BatchFastHashAggregationExecutor(src, g, a, o);
const slow: Builder = (src, g, a, o) => new BatchSlowHashAggregationExecutor(src, [g], a, o);
const BOTH: [string, Builder][] = [
  ["fast", fast],
  ["slow", slow],
];

/** Two calls with no rows, then every group (the shape of TiKV's tests over make_src_executor_1). */
function runSrc1(exec: BatchExecutor): unknown[][] {
  for (let i = 0; i < 2; i++) {
    const r = exec.nextBatch(1);
    expect(r.isDrained).toBe(Drain.Remain);
    expect(r.columns.every((c) => c.length === 0)).toBe(true);
  }
  const r = exec.nextBatch(1);
  expect(r.isDrained).toBe(Drain.Drain);
  expect(r.logicalRows).toBeNull();
  return r.columns.map(vals);
}

describe.each(BOTH)("%s hash aggregation: TiKV's cases", (_name, build) => {
  const col1Plus5 = scalarFunc(S.PlusReal, DOUBLE, columnRef(1, DOUBLE), constReal(5.0));
  const aggrs = () => [
    aggr(E.Count, LONGLONG, constInt(1)),
    aggr(E.Count, LONGLONG, col1Plus5),
    aggr(E.Avg, DOUBLE, columnRef(0, DOUBLE)),
  ];

  it("test_it_works_integration: GROUP BY col_0 + col_1", () => {
    const groupBy = scalarFunc(S.PlusReal, DOUBLE, columnRef(0, DOUBLE), columnRef(1, DOUBLE));
    const exec = build(makeSrcExecutor1(), groupBy, aggrs());
    expect(exec.schema().map((f) => f.tp)).toEqual([
      FieldTypeTp.LongLong,
      FieldTypeTp.LongLong,
      FieldTypeTp.LongLong,
      FieldTypeTp.Double,
      FieldTypeTp.Double,
    ]);
    // Groups in first-seen order: NULL, 9.0, 6.0 (TiKV's sorted expectation: 9.0, 6.0, NULL).
    expect(runSrc1(exec)).toEqual([
      [3, 1, 1], // COUNT(1)
      [2, 1, 1], // COUNT(col_1 + 5.0)
      [0, 1, 1], // AVG(col_0): count
      [null, 7.0, 1.5], // AVG(col_0): sum
      [null, 9.0, 6.0], // group key
    ]);
  });

  it("test_group_by_a_constant: one group", () => {
    expect(runSrc1(build(makeSrcExecutor1(), constInt(1), aggrs()))).toEqual([[5], [4], [2], [8.5], [1]]);
  });

  it("test_collation: GROUP BY a utf8mb4_general_ci column ('aa' = 'áá')", () => {
    const exec = build(makeSrcExecutor1(), columnRef(4, GENERAL_CI), [
      aggr(E.Count, LONGLONG, columnRef(0, DOUBLE)),
      aggr(E.Avg, DOUBLE, columnRef(1, DOUBLE)),
    ]);
    // Keys: aa, aaa, áá, NULL, ááá → groups aa, aaa, NULL; each keeps its first value.
    expect(runSrc1(exec)).toEqual([
      [0, 2, 0],
      [1, 2, 1],
      [1.0, 6.5, 4.5],
      ["aa", "aaa", null],
    ]);
  });

  it("test_no_row: empty batches give no group", () => {
    const src = () =>
      new MockExecutor(
        [LONGLONG],
        [
          { columns: [ChunkedVecInt.fromValues([])], logicalRows: null },
          { columns: [ChunkedVecInt.fromValues([])], logicalRows: null },
        ],
      );
    for (const groupBy of [columnRef(0, LONGLONG), constInt(1)]) {
      const exec = build(src(), groupBy, [aggr(E.Count, LONGLONG, constInt(1))]);
      const [a, b] = [exec.nextBatch(1), exec.nextBatch(1)];
      expect(a.isDrained).toBe(Drain.Remain);
      expect(b.isDrained).toBe(Drain.Drain);
      expect([a, b].map((r) => r.columns.map((c) => c.length))).toEqual([
        [0, 0],
        [0, 0],
      ]);
    }
  });

  it("test_no_aggr_fn: only GROUP BY columns", () => {
    expect(runSrc1(build(makeSrcExecutor1(), columnRef(0, DOUBLE), []))).toEqual([[null, 7.0, 1.5]]);
    expect(runSrc1(build(makeSrcExecutor1(), constInt(1), []))).toEqual([[1]]);
  });

  it("test_agg_paging: a page ends once it has pagingSize groups", () => {
    const cases: [number, number[]][] = [
      [2, [4]],
      [5, [0, 0, 5]],
      [7, [0, 0, 0, 6]],
    ];
    for (const [pagingSize, rows] of cases) {
      const exec = build(makeSrcExecutor2(), columnRef(1, DOUBLE), [aggr(E.Count, LONGLONG, constInt(1))], {
        pagingSize,
      });
      const results = drain(exec);
      expect(results.map((r) => r.columns[0]!.length)).toEqual(rows);
      const last = results[results.length - 1]!.isDrained;
      expect(last).toBe(rows.length === 4 ? Drain.Drain : Drain.PagingDrain);
    }
  });

  it("outputs the groups in batches of outputBatchSize, the stop with the last", () => {
    const n = 10;
    const src = new MockExecutor(
      [LONGLONG],
      [
        {
          columns: [ChunkedVecInt.fromValues(Array.from({ length: n }, (_, i) => i % 7))],
          logicalRows: null,
        },
      ],
    );
    const exec = build(src, columnRef(0, LONGLONG), [aggr(E.Count, LONGLONG, constInt(1))], {
      outputBatchSize: 3,
    });
    const results = drain(exec);
    expect(results.map((r) => [r.columns[0]!.length, r.isDrained])).toEqual([
      [3, Drain.Remain],
      [3, Drain.Remain],
      [1, Drain.Drain],
    ]);
    expect(allRows(results)).toEqual([
      [2, 2, 2, 1, 1, 1, 1],
      [0, 1, 2, 3, 4, 5, 6],
    ]);
    expect(() => exec.nextBatch(1)).toThrow();
  });

  it("groups NULL, signed and unsigned 64-bit keys by value across representations", () => {
    // The first batch is held as doubles, the second as BigInt64Array (it has a wide value).
    const src = new MockExecutor(
      [LONGLONG],
      [
        { columns: [ChunkedVecInt.fromValues([-1, null, 5, -1])], logicalRows: null },
        { columns: [ChunkedVecInt.fromValues([5, -(2n ** 63n), null, -1, 2n ** 62n])], logicalRows: null },
      ],
    );
    const exec = build(src, columnRef(0, LONGLONG), [aggr(E.Count, LONGLONG, constInt(1))]);
    expect(allRows(drain(exec))).toEqual([
      [3, 2, 2, 1, 1],
      [-1, null, 5, -(2n ** 63n), 2n ** 62n],
    ]);
    const usrc = new MockExecutor(
      [UNSIGNED],
      [
        {
          columns: [ChunkedVecInt.fromValues([2n ** 64n - 1n, 1, 2n ** 64n - 1n], { unsigned: true })],
          logicalRows: null,
        },
      ],
    );
    const uexec = build(usrc, columnRef(0, UNSIGNED), [aggr(E.Count, LONGLONG, constInt(1))]);
    expect(allRows(drain(uexec))).toEqual([
      [2, 1],
      [2n ** 64n - 1n, 1],
    ]);
  });

  it("groups DOUBLE 0 and -0, DECIMAL 1.5 and 1.50, DATETIME regardless of fsp", () => {
    const real = new MockExecutor(
      [DOUBLE],
      [{ columns: [ChunkedVecReal.fromValues([0, -0, 2.5, 0])], logicalRows: null }],
    );
    expect(allRows(drain(build(real, columnRef(0, DOUBLE), [aggr(E.Count, LONGLONG, constInt(1))])))).toEqual(
      [
        [3, 1],
        [0, 2.5],
      ],
    );
    const dec = (s: string) => Decimal.fromString(s);
    const decimals = new MockExecutor(
      [DECIMAL],
      [
        {
          columns: [
            ChunkedVecDecimal.fromValues([dec("1.5"), dec("1.50"), dec("-0.0"), dec("0"), dec("001.5")]),
          ],
          logicalRows: null,
        },
      ],
    );
    expect(
      allRows(drain(build(decimals, columnRef(0, DECIMAL), [aggr(E.Count, LONGLONG, constInt(1))]))),
    ).toEqual([
      [3, 2],
      ["1.5", "0.0"],
    ]);
    const DATETIME6 = fieldType(FieldTypeTp.DateTime, { decimal: 6 });
    const ctx = EvalContext.forTest();
    const times = new MockExecutor(
      [DATETIME6],
      [
        {
          columns: [
            ChunkedVecDateTime.fromValues([
              Time.parseDatetime(ctx, "2020-01-02 00:00:00", 0, false),
              Time.parseDate(ctx, "2020-01-02"),
              Time.parseDatetime(ctx, "2020-01-02 00:00:00.000000", 6, false),
              Time.parseDatetime(ctx, "2020-01-02 00:00:00.5", 6, false),
            ]),
          ],
          logicalRows: null,
        },
      ],
    );
    expect(
      allRows(drain(build(times, columnRef(0, DATETIME6), [aggr(E.Count, LONGLONG, constInt(1))]))),
    ).toEqual([
      [3, 1],
      ["2020-01-02 00:00:00", "2020-01-02 00:00:00.500000"],
    ]);
  });

  it("groups strings by collation: general_ci, PAD SPACE, and binary", () => {
    const rows = ["a", "A", "a ", "b", "á", "B"];
    const run = (ft: FieldType) => {
      const src = new MockExecutor(
        [ft],
        [{ columns: [ChunkedVecBytes.fromValues(rows)], logicalRows: null }],
      );
      return allRows(drain(build(src, columnRef(0, ft), [aggr(E.Count, LONGLONG, constInt(1))])));
    };
    expect(run(GENERAL_CI)).toEqual([
      [4, 2],
      ["a", "b"],
    ]);
    expect(run(UTF8MB4_BIN)).toEqual([
      [2, 1, 1, 1, 1],
      ["a", "A", "b", "á", "B"],
    ]);
    expect(run(VARSTRING)).toEqual([[1, 1, 1, 1, 1, 1], rows]);
  });

  it("byte-order collations (_bin, PAD SPACE or not) group as their collator compares", () => {
    const piece = fc.constantFrom("a", "A", " ", "b", "\u00e1", "  ");
    for (const collate of [
      Collation.Utf8Mb4Bin,
      Collation.Latin1Bin,
      Collation.Utf8Mb40900Bin,
      Collation.Utf8Mb4BinNoPadding,
    ]) {
      const ft = fieldType(FieldTypeTp.VarString, { collate });
      const collator = collatorFor(collate);
      fc.assert(
        fc.property(
          fc.array(
            fc.array(piece, { maxLength: 4 }).map((p) => p.join("")),
            { maxLength: 60 },
          ),
          (rows) => {
            const bytes = rows.map((r) => new TextEncoder().encode(r));
            const src = new MockExecutor(
              [ft],
              [{ columns: [ChunkedVecBytes.fromValues(bytes)], logicalRows: null }],
            );
            const got = allRows(drain(build(src, columnRef(0, ft), [aggr(E.Count, LONGLONG, constInt(1))])));
            // Reference: first-seen groups under collator.compare.
            const keys: Uint8Array[] = [];
            const counts: number[] = [];
            for (const b of bytes) {
              const g = keys.findIndex((k) => collator.compare(k, b) === 0);
              if (g < 0) {
                keys.push(b);
                counts.push(1);
              } else counts[g]!++;
            }
            expect(got).toEqual([counts, keys.map((k) => new TextDecoder().decode(k))]);
          },
        ),
        { numRuns: 100 },
      );
    }
    // Malformed UTF-8 is still refused under utf8mb4_bin (TiKV builds every row's sort key).
    const bad = new MockExecutor(
      [UTF8MB4_BIN],
      [{ columns: [ChunkedVecBytes.fromValues([Uint8Array.of(0x61, 0xff)])], logicalRows: null }],
    );
    expect(() =>
      build(bad, columnRef(0, UTF8MB4_BIN), [aggr(E.Count, LONGLONG, constInt(1))]).nextBatch(1),
    ).toThrow();
  });

  it("malformed UTF-8 under a utf8mb4 collation is an error, as TiKV's sort key", () => {
    const src = new MockExecutor(
      [GENERAL_CI],
      [{ columns: [ChunkedVecBytes.fromValues([Uint8Array.of(0x61, 0xff)])], logicalRows: null }],
    );
    const exec = build(src, columnRef(0, GENERAL_CI), [aggr(E.Count, LONGLONG, constInt(1))]);
    expect(() => exec.nextBatch(1)).toThrow();
  });
});

describe("BatchFastHashAggregationExecutor", () => {
  it("test_group_by_enum_column", () => {
    const elems = ["aaaa", "bbbb", "cccc"];
    const ENUM = fieldType(FieldTypeTp.Enum, { elems });
    const src = new MockExecutor(
      [ENUM],
      [
        {
          columns: [ChunkedVecEnum.fromValues([null, 1, 2, 2, 3, 3, 3], elems)],
          logicalRows: Uint32Array.of(6, 4, 5, 1, 3, 2, 0),
        },
      ],
    );
    const exec = new BatchFastHashAggregationExecutor(src, columnRef(0, ENUM), [
      aggr(E.Count, LONGLONG, constInt(1)),
    ]);
    const r = exec.nextBatch(4);
    expect(r.isDrained).toBe(Drain.Drain);
    expect(r.columns.map(vals)).toEqual([
      [3, 1, 2, 1],
      ["cccc", "aaaa", "bbbb", null],
    ]);
  });

  it("rejects a key of an eval type it cannot hash (JSON)", () => {
    const JSON_FT = fieldType(FieldTypeTp.Json);
    const src = new MockExecutor([JSON_FT], []);
    expect(() => new BatchFastHashAggregationExecutor(src, columnRef(0, JSON_FT), [])).toThrow(
      UnsupportedError,
    );
  });

  it("checkFastHashAggrSupported: one key of a hashable type (not ENUM), as TiKV", () => {
    const count = aggr(E.Count, LONGLONG, constInt(1));
    expect(() =>
      checkFastHashAggrSupported({ groupBy: [columnRef(0, DOUBLE)], aggFunc: [count] }),
    ).not.toThrow();
    expect(() =>
      checkFastHashAggrSupported({ groupBy: [columnRef(0, DOUBLE), columnRef(1, DOUBLE)], aggFunc: [count] }),
    ).toThrow("Multi group is not supported");
    for (const ft of [fieldType(FieldTypeTp.Enum, { elems: ["x"] }), fieldType(FieldTypeTp.Json)]) {
      expect(() => checkFastHashAggrSupported({ groupBy: [columnRef(0, ft)], aggFunc: [count] })).toThrow(
        /Eval type \w+ is not supported/,
      );
    }
    expect(() =>
      checkSlowHashAggrSupported({ groupBy: [columnRef(0, fieldType(FieldTypeTp.Json))], aggFunc: [count] }),
    ).not.toThrow();
    expect(() =>
      checkSlowHashAggrSupported({ groupBy: [scalarFunc(9999, DOUBLE)], aggFunc: [count] }),
    ).toThrow(UnsupportedError);
  });
});

describe("BatchSlowHashAggregationExecutor", () => {
  it("test_it_works_integration: GROUP BY col_4, 1, col_0 + 1", () => {
    const exec = new BatchSlowHashAggregationExecutor(
      makeSrcExecutor1(),
      [
        columnRef(4, GENERAL_CI),
        constInt(1),
        scalarFunc(S.PlusReal, DOUBLE, columnRef(0, DOUBLE), constReal(1.0)),
      ],
      [
        aggr(E.Count, LONGLONG, constInt(1)),
        aggr(E.Avg, DOUBLE, scalarFunc(S.PlusReal, DOUBLE, columnRef(0, DOUBLE), constReal(5.0))),
      ],
    );
    expect(exec.schema()).toHaveLength(6);
    // First-seen: (aa, 1, NULL) (aaa, 1, 8) (NULL, 1, NULL) (ááá, 1, 2.5); TiKV sorts by col_4 bytes.
    expect(runSrc1(exec)).toEqual([
      [2, 1, 1, 1],
      [0, 1, 0, 1],
      [null, 12.0, null, 6.5],
      ["aa", "aaa", null, "ááá"],
      [1, 1, 1, 1],
      [null, 8.0, null, 2.5],
    ]);
  });

  /**
   * Runs the slow hash aggregation over random batches (a random subset of each batch's rows as
   * its logical rows) and compares with grouping the rows in a Map and computing each aggregate
   * directly.
   */
  function equalsMapModel(
    ints: fc.Arbitrary<number | null>,
    strings: fc.Arbitrary<string | null>,
    batchLength: { minLength: number; maxLength: number },
    numRuns: number,
    collation: Collation = Collation.Utf8Mb4GeneralCi,
  ): void {
    const collator = collatorFor(collation);
    const STR = fieldType(FieldTypeTp.VarString, { collate: collation });
    const row = fc.tuple(
      ints,
      strings,
      fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null }),
      fc.boolean(),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(row, batchLength), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 8 }),
        (batches, outputBatchSize) => {
          const mock: MockBatch[] = batches.map((b) => ({
            columns: [
              ChunkedVecInt.fromValues(b.map((r) => r[0])),
              ChunkedVecBytes.fromValues(b.map((r) => r[1])),
              ChunkedVecInt.fromValues(b.map((r) => r[2])),
            ],
            // Logical rows: the rows flagged live, in reverse order (any order is allowed).
            logicalRows: Uint32Array.from(b.flatMap((r, i) => (r[3] ? [i] : [])).reverse()),
          }));
          const exec = new BatchSlowHashAggregationExecutor(
            new MockExecutor([LONGLONG, STR, LONGLONG], mock),
            [columnRef(0, LONGLONG), columnRef(1, STR)],
            [
              aggr(E.Count, LONGLONG, columnRef(2, LONGLONG)),
              aggr(E.Sum, DECIMAL, columnRef(2, LONGLONG)),
              aggr(E.Min, LONGLONG, columnRef(2, LONGLONG)),
              aggr(E.Max, LONGLONG, columnRef(2, LONGLONG)),
              aggr(E.First, LONGLONG, columnRef(2, LONGLONG)),
              aggr(E.Count, LONGLONG, constInt(1)),
            ],
            { outputBatchSize },
          );
          const got = allRows(drain(exec));

          // Reference: a Map keyed by (int, collation sort key), in first-seen order.
          const groups = new Map<
            string,
            { key: [number | null, string | null]; values: (number | null)[] }
          >();
          for (const [i, s, v] of batches.flatMap((b) => b.filter((r) => r[3]).reverse())) {
            const sk =
              s === null
                ? "NULL"
                : Buffer.from(collator.sortKey(new TextEncoder().encode(s))).toString("hex");
            const k = `${i}|${sk}`;
            let g = groups.get(k);
            if (g === undefined) {
              g = { key: [i, s], values: [] };
              groups.set(k, g);
            }
            g.values.push(v);
          }
          const ref: unknown[][] = [[], [], [], [], [], [], [], []];
          for (const { key, values } of groups.values()) {
            const nn = values.filter((x): x is number => x !== null);
            ref[0]!.push(nn.length);
            ref[1]!.push(nn.length === 0 ? null : String(nn.reduce((a, b) => a + b, 0)));
            ref[2]!.push(nn.length === 0 ? null : Math.min(...nn));
            ref[3]!.push(nn.length === 0 ? null : Math.max(...nn));
            ref[4]!.push(values[0]);
            ref[5]!.push(values.length);
            ref[6]!.push(key[0]);
            ref[7]!.push(key[1]);
          }
          expect(got).toEqual(ref);
        },
      ),
      { numRuns },
    );
  }

  it("property: equals grouping rows in a Map and computing each aggregate directly", () => {
    // Many groups per batch: rows update their group's states one by one.
    equalsMapModel(
      fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }),
      fc.option(fc.constantFrom("a", "A", "b", "B ", "é", "E", "ß", "ss"), { nil: null }),
      { minLength: 0, maxLength: 30 },
      200,
    );
  });

  it("property: the same with few groups in big batches (one vector update per group)", () => {
    equalsMapModel(
      fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }),
      fc.constantFrom("a", "A", "b"),
      { minLength: 100, maxLength: 300 },
      100,
    );
  });

  it("property: the same by packed key codes (small integers, short byte-ordered strings), batches with and without them", () => {
    // Integers beyond ±2^23 and strings longer than 2 bytes (or not ASCII) have no code: a batch
    // holding one groups the general way, and both ways must agree on the groups.
    const ints = fc.option(
      fc.oneof(
        { weight: 20, arbitrary: fc.integer({ min: -2, max: 2 }) },
        { weight: 1, arbitrary: fc.constantFrom(-(2 ** 23) - 1, 2 ** 23, 2 ** 23 - 1, -(2 ** 23), 2 ** 40) },
      ),
      { nil: null },
    );
    const strings = fc.option(
      fc.oneof(
        { weight: 20, arbitrary: fc.constantFrom("", "a", "A", "a ", "ab", "ab  ", " ", "zz") },
        { weight: 1, arbitrary: fc.constantFrom("abc", "é", "a b") },
      ),
      { nil: null },
    );
    for (const collation of [Collation.Utf8Mb4Bin, Collation.Binary, Collation.Utf8Mb4BinNoPadding]) {
      equalsMapModel(ints, strings, { minLength: 0, maxLength: 40 }, 60, collation);
      equalsMapModel(ints, strings, { minLength: 100, maxLength: 200 }, 20, collation);
    }
  });
});
