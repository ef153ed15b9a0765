// Cases: TiKV components/tidb_query_executors/src/limit_executor.rs (tests module).
import {
  ChunkedVecBytes,
  ChunkedVecInt,
  Collation,
  emptyColumn,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
} from "@copr/datatype";
import { columnRef, LONGLONG } from "@copr/expr";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BatchExecuteResult,
  type BatchExecutor,
  Drain,
  type ExecuteStats,
  type IntervalRange,
} from "../src/interface.js";
import { BatchLimitExecutor } from "../src/limit.js";
import { BatchPartitionTopNExecutor } from "../src/partition-top-n.js";
import { type MockBatch, MockExecutor } from "./mock-executor.js";

const INT = LONGLONG;
const ints = (...v: (number | null)[]) => ChunkedVecInt.fromValues(v);
const strs = (...v: string[]) => ChunkedVecBytes.fromValues(v);
const rows = (...r: number[]) => new Uint32Array(r);
const lr = (r: BatchExecuteResult) => (r.logicalRows === null ? null : [...r.logicalRows]);

/** TiKV `MockScanExecutor`: one Int column of `rows`, at most `scanRows` of them per call. */
class MockScan implements BatchExecutor {
  private pos = 0;
  constructor(private readonly values: readonly number[]) {}
  schema(): readonly FieldType[] {
    return [INT];
  }
  nextBatch(scanRows: number): BatchExecuteResult {
    const take = this.values.slice(this.pos, this.pos + Math.min(scanRows, this.values.length));
    this.pos += take.length;
    return {
      columns: [ints(...take)],
      logicalRows: rows(...take.map((_, i) => i)),
      warnings: null,
      isDrained: this.pos >= this.values.length ? Drain.Drain : Drain.Remain,
    };
  }
  collectExecStats(_dest: ExecuteStats): void {}
  takeScannedRange(): IntervalRange {
    return { lower: new Uint8Array(), upper: new Uint8Array() };
  }
  canBeCached(): boolean {
    return true;
  }
}

describe("BatchLimitExecutor", () => {
  it("LIMIT 0 empties the first batch and drains (test_limit_0)", () => {
    const src = new MockExecutor([INT], [{ columns: [ints(null, 50, null)], logicalRows: rows(1, 2) }]);
    const r = new BatchLimitExecutor(src, 0).nextBatch(1);
    expect(lr(r)).toEqual([]);
    expect(r.columns[0]!.length).toBe(3);
    expect(r.isDrained).toBe(Drain.Drain);
  });

  it("the child drains before the limit (test_drain_before_limit)", () => {
    const src = new MockExecutor(
      [INT],
      [
        { columns: [ints(-5, null, null)], logicalRows: rows() },
        { columns: [ints(null, 50, null)], logicalRows: rows(1, 2) },
      ],
    );
    const exec = new BatchLimitExecutor(src, 10);
    let r = exec.nextBatch(1);
    expect([lr(r), r.isDrained]).toEqual([[], Drain.Remain]);
    r = exec.nextBatch(1);
    expect([lr(r), r.columns[0]!.length, r.isDrained]).toEqual([[1, 2], 3, Drain.Drain]);
  });

  it("reaching the limit within a batch drains (test_error_when_limit, without the error)", () => {
    const src = new MockExecutor(
      [INT],
      [
        { columns: [ints(-5, -1, null)], logicalRows: rows(1, 2) },
        { columns: [ints(null, 50, null)], logicalRows: rows(0, 2) },
        { columns: [ints(1)], logicalRows: rows(0) },
      ],
    );
    const exec = new BatchLimitExecutor(src, 4);
    expect(lr(exec.nextBatch(1))).toEqual([1, 2]);
    const r = exec.nextBatch(1);
    expect([lr(r), r.isDrained]).toEqual([[0, 2], Drain.Drain]);
  });

  it("cuts the logical rows of the batch reaching the limit (test_drain_after_limit)", () => {
    const src = new MockExecutor(
      [INT],
      [
        { columns: [ints(-5, -1, null)], logicalRows: rows(1, 2) },
        { columns: [emptyColumn(INT)], logicalRows: rows() },
        { columns: [ints(null, 50, null, null, 1)], logicalRows: rows(0, 4, 1, 3) },
      ],
    );
    const exec = new BatchLimitExecutor(src, 4);
    let r = exec.nextBatch(1);
    expect([lr(r), r.isDrained]).toEqual([[1, 2], Drain.Remain]);
    r = exec.nextBatch(1);
    expect([lr(r), r.isDrained]).toEqual([[], Drain.Remain]);
    r = exec.nextBatch(1);
    expect([lr(r), r.columns[0]!.length, r.isDrained]).toEqual([[0, 4], 5, Drain.Drain]);
  });

  it("cuts identity logical rows", () => {
    const src = new MockExecutor([INT], [{ columns: [ints(1, 2, 3)], logicalRows: null }]);
    expect(lr(new BatchLimitExecutor(src, 2).nextBatch(8))).toEqual([0, 1]);
    const all = new MockExecutor(
      [INT],
      [
        { columns: [ints(1, 2, 3)], logicalRows: null },
        { columns: [ints(4)], logicalRows: null },
      ],
    );
    const r = new BatchLimitExecutor(all, 3).nextBatch(8);
    expect([r.logicalRows, r.isDrained]).toEqual([null, Drain.Drain]);
  });

  it("asks a scan for no more rows than wanted (test_src_exec_is_scan)", () => {
    const values = Array.from({ length: 1024 }, (_, i) => i);
    let exec = new BatchLimitExecutor(new MockScan(values), 5, { isSrcScanExecutor: true });
    expect(lr(exec.nextBatch(100))).toEqual([0, 1, 2, 3, 4]);
    exec = new BatchLimitExecutor(new MockScan(values), 1024, { isSrcScanExecutor: true });
    for (let i = 0; i < 1023; i++) expect(exec.nextBatch(1).isDrained).toBe(Drain.Remain);
    expect(exec.nextBatch(1).isDrained).toBe(Drain.Drain);
  });

  it("matches taking the first n logical rows (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat({ max: 9 }), { maxLength: 8 }), { minLength: 1, maxLength: 6 }),
        fc.nat({ max: 40 }),
        (picks, limit) => {
          const batches: MockBatch[] = picks.map((p) => ({
            columns: [ints(...Array.from({ length: 10 }, (_, i) => i))],
            logicalRows: rows(...p),
          }));
          const exec = new BatchLimitExecutor(new MockExecutor([INT], batches), limit);
          const got: number[] = [];
          for (;;) {
            const r = exec.nextBatch(1);
            got.push(...(lr(r) ?? []));
            if (r.isDrained !== Drain.Remain) break;
          }
          expect(got).toEqual(picks.flat().slice(0, limit));
        },
      ),
    );
  });
});

describe("BatchLimitExecutor, rank limit", () => {
  const bytes = (c: Collation) => fieldType(FieldTypeTp.VarString, { collate: c });

  it("LIMIT 0 returns nothing (test_rank_limit_0)", () => {
    const src = new MockExecutor(
      [INT, INT],
      [{ columns: [ints(null, 50, null), ints(null, 50, null)], logicalRows: rows(1, 2) }],
    );
    const exec = new BatchLimitExecutor(src, 0, {
      isSrcScanExecutor: true,
      truncateKeys: [columnRef(1, INT)],
    });
    const r = exec.nextBatch(1);
    expect([lr(r), r.isDrained]).toEqual([[], Drain.Drain]);
    expect(src.calls).toEqual([]);
  });

  const oneChunk: [number, number[]][] = [
    [0, []],
    [1, [0, 1, 2]],
    [2, [0, 1, 2]],
    [3, [0, 1, 2]],
    [4, [0, 1, 2, 3]],
    [5, [0, 1, 2, 3, 4, 5, 6, 7]],
    [6, [0, 1, 2, 3, 4, 5, 6, 7]],
    [7, [0, 1, 2, 3, 4, 5, 6, 7]],
    [8, [0, 1, 2, 3, 4, 5, 6, 7]],
    [9, [0, 1, 2, 3, 4, 5, 6, 7, 8]],
    [10, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
    [100, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
  ];
  it.each(oneChunk)("LIMIT %i keeps the ties of one batch: %j (test_rank_limit_one_chunk)", (limit, want) => {
    const ft = bytes(Collation.Utf8Mb4Bin);
    const groups = [
      "group1",
      "group1",
      "group1",
      "group2",
      "group3",
      "group3",
      "group3",
      "group3",
      "group4",
      "group5",
    ];
    const src = new MockExecutor(
      [ft, ft],
      [
        {
          columns: [strs(...groups.map((_, i) => `val${i + 1}`)), strs(...groups)],
          logicalRows: rows(...groups.map((_, i) => i)),
        },
      ],
    );
    const exec = new BatchLimitExecutor(src, limit, {
      isSrcScanExecutor: true,
      truncateKeys: [columnRef(1, ft)],
    });
    const r = exec.nextBatch(10);
    expect(lr(r) ?? []).toEqual(want);
    expect(r.isDrained).toBe(Drain.Drain);
  });

  it("LIMIT 2 over group1 ×3, group2 keeps three rows (test_rank_limit_decodes_full_chunk_when_reused_for_compare)", () => {
    const ft = bytes(Collation.Binary);
    const src = new MockExecutor(
      [ft, ft],
      [
        {
          columns: [strs("group1", "group1", "group1", "group2"), strs("val1", "val2", "val3", "val4")],
          logicalRows: rows(0, 1, 2, 3),
        },
      ],
    );
    const r = new BatchLimitExecutor(src, 2, {
      isSrcScanExecutor: true,
      truncateKeys: [columnRef(0, ft)],
    }).nextBatch(10);
    expect([lr(r), r.isDrained]).toEqual([[0, 1, 2], Drain.Drain]);
  });

  const severalChunks: [number, number[]][] = [
    [0, []],
    [1, [0]],
    [2, [0, 1]],
    [3, [0, 1, 0]],
    [4, [0, 1, 0, 1, 2, 3]],
    [5, [0, 1, 0, 1, 2, 3]],
    [6, [0, 1, 0, 1, 2, 3]],
    [7, [0, 1, 0, 1, 2, 3, 4, 0, 1, 2, 0, 0]],
    [11, [0, 1, 0, 1, 2, 3, 4, 0, 1, 2, 0, 0]],
    [12, [0, 1, 0, 1, 2, 3, 4, 0, 1, 2, 0, 0]],
    [13, [0, 1, 0, 1, 2, 3, 4, 0, 1, 2, 0, 0, 1, 2]],
    [15, [0, 1, 0, 1, 2, 3, 4, 0, 1, 2, 0, 0, 1, 2, 0]],
    [16, [0, 1, 0, 1, 2, 3, 4, 0, 1, 2, 0, 0, 1, 2, 0, 0, 1]],
    [17, [0, 1, 0, 1, 2, 3, 4, 0, 1, 2, 0, 0, 1, 2, 0, 0, 1]],
    [18, [0, 1, 0, 1, 2, 3, 4, 0, 1, 2, 0, 0, 1, 2, 0, 0, 1, 2]],
    [19, [0, 1, 0, 1, 2, 3, 4, 0, 1, 2, 0, 0, 1, 2, 0, 0, 1, 2, 0, 1]],
    [100, [0, 1, 0, 1, 2, 3, 4, 0, 1, 2, 0, 0, 1, 2, 0, 0, 1, 2, 0, 1]],
  ];
  const groupsBinary = [
    ["group1", "group2"],
    ["group3", "group4", "group4", "group4", "group5"],
    ["group5", "group5", "group5"],
    ["group5"],
    ["group5", "group6", "group6"],
    ["group7"],
    ["group8", "group8", "group9"],
    ["group10", "group10"],
  ];
  const groupsMixedCase = [
    ["group1", "group2"],
    ["group3", "group4", "groUp4", "gRoup4", "group5"],
    ["group5", "groUP5", "group5"],
    ["gRoup5"],
    ["group5", "group6", "GROUP6"],
    ["grOup7"],
    ["GROUP8", "group8", "group9"],
    ["gRoup10", "grouP10"],
  ];
  function rankRun(groups: string[][], collation: Collation, limit: number): number[] {
    const ft = bytes(collation);
    const src = new MockExecutor(
      [ft, ft],
      groups.map((g) => ({
        columns: [strs(...g.map((_, i) => `val${i}`)), strs(...g)],
        logicalRows: rows(...g.map((_, i) => i)),
      })),
    );
    const exec = new BatchLimitExecutor(src, limit, {
      isSrcScanExecutor: true,
      truncateKeys: [columnRef(1, ft)],
    });
    const got: number[] = [];
    for (;;) {
      const r = exec.nextBatch(10);
      got.push(...(lr(r) ?? []));
      if (r.isDrained !== Drain.Remain) return got;
    }
  }

  it.each(severalChunks)(
    "LIMIT %i keeps ties across batches: %j (test_rank_limit_several_chunks)",
    (limit, want) => {
      expect(rankRun(groupsBinary, Collation.Binary, limit)).toEqual(want);
    },
  );

  it.each(severalChunks)(
    "LIMIT %i, ties by utf8mb4_general_ci: %j (test_rank_limit_with_ci_collation)",
    (limit, want) => {
      expect(rankRun(groupsMixedCase, Collation.Utf8Mb4GeneralCi, limit)).toEqual(want);
    },
  );

  it("the same mixed-case keys under binary do not tie", () => {
    // LIMIT 4 ends at "group4"; "groUp4" differs byte-wise.
    expect(rankRun(groupsMixedCase, Collation.Binary, 4)).toEqual([0, 1, 0, 1]);
  });

  it("matches a naive rank limit (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 6 }), { maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }),
        fc.nat({ max: 45 }),
        (keys, sizes, limit) => {
          const sorted = [...keys].sort((a, b) => a - b);
          const batches: MockBatch[] = [];
          let at = 0;
          for (let b = 0; at < sorted.length || b === 0; b++) {
            const size = sizes[b % sizes.length]!;
            const part = sorted.slice(at, at + size);
            at += size;
            batches.push({ columns: [ints(...part)], logicalRows: null });
          }
          const exec = new BatchLimitExecutor(new MockExecutor([INT], batches), limit, {
            truncateKeys: [columnRef(0, INT)],
          });
          const got: number[] = [];
          for (;;) {
            const r = exec.nextBatch(8);
            const c = r.columns[0]!;
            const n = r.logicalRows === null ? c.length : r.logicalRows.length;
            for (let k = 0; k < n; k++)
              got.push(Number(c.get(r.logicalRows === null ? k : r.logicalRows[k]!)));
            if (r.isDrained !== Drain.Remain) break;
          }
          let want = sorted.slice(0, limit);
          if (limit > 0 && limit < sorted.length) {
            const last = sorted[limit - 1]!;
            want = sorted.filter((k, i) => i < limit || k === last);
          }
          expect(got).toEqual(want);
        },
      ),
    );
  });
});

describe("Limit with partition_by (TiKV: a PartitionTopN without order-by items)", () => {
  // TiKV partition_top_n_executor.rs test_without_order_key, with its make_full_batch input: the
  // partition key is column 0; n = 2; paging size 10 (2n <= 10: not passed through).
  const U64 = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned });
  const src = () =>
    new MockExecutor(
      [U64, U64, INT],
      [
        {
          columns: [ints(1, 1, 1, 1, 1), ints(-1, null, -3, 2023, 2000), ints(-3, null, -1, 2024, 2000)],
          logicalRows: rows(0, 1, 2, 3, 4),
        },
        { columns: [ints(), ints(), ints()], logicalRows: rows() },
        {
          columns: [
            ints(2, 2, 2, 2, 3),
            ints(2 ** 53 - 1, 300, -1, null, null),
            ints(7, 300, -8, null, null),
          ],
          logicalRows: rows(0, 1, 2, 3, 4),
        },
        { columns: [ints(), ints(), ints()], logicalRows: rows() },
      ],
    );

  it("keeps the first n rows of each partition, emitted as partitions end (test_without_order_key)", () => {
    const exec = new BatchPartitionTopNExecutor(src(), [{ expr: columnRef(0, U64) }], [], 2, undefined, {
      pagingSize: 10,
    });
    const col = (r: BatchExecuteResult, i: number) => {
      const c = r.columns[i] as ChunkedVecInt;
      return (r.logicalRows === null ? [...Array(c.length).keys()] : [...r.logicalRows]).map((j) => c.get(j));
    };
    let r = exec.nextBatch(1);
    expect(batchRows(r)).toBe(0);
    expect(r.isDrained).toBe(Drain.Remain);
    r = exec.nextBatch(1);
    expect(batchRows(r)).toBe(0);
    expect(r.isDrained).toBe(Drain.Remain);
    r = exec.nextBatch(1);
    expect(col(r, 0)).toEqual([1n, 1n, 2n, 2n]);
    expect(r.isDrained).toBe(Drain.Remain);
    // The rows kept are the first two of each partition (TiKV's heap keeps the earlier of equal
    // rows; their order within a partition is not specified).
    const kept = col(r, 1);
    expect(new Set(kept.slice(0, 2))).toEqual(new Set([-1n, null]));
    expect(new Set(kept.slice(2))).toEqual(new Set([BigInt(2 ** 53 - 1), 300n]));
    r = exec.nextBatch(1);
    expect(col(r, 0)).toEqual([3n]);
    expect(r.isDrained).toBe(Drain.Drain);
  });
});

function batchRows(r: BatchExecuteResult): number {
  return r.logicalRows === null ? (r.columns[0]?.length ?? 0) : r.logicalRows.length;
}
