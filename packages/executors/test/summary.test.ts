// Execution summaries (TiKV tidb_query_common/src/execute_stats.rs, WithSummaryCollector in
// tidb_query_executors/src/interface.rs; cases: table_scan_executor.rs test_execution_summary).
import { encodeRecordKey, encodeRowV2 } from "@copr/codec";
import { ChunkedVecInt, EvalContext, FieldTypeTp } from "@copr/datatype";
import { LONGLONG } from "@copr/expr";
import { i64, tipb, toBigInt } from "@copr/proto";
import { describe, expect, it } from "vitest";
import type { BatchExecuteResult, BatchExecutor, ExecuteStats, IntervalRange } from "../src/interface.js";
import { BatchLimitExecutor } from "../src/limit.js";
import { runDag } from "../src/runner.js";
import { MemoryStorage } from "../src/storage.js";
import {
  BatchExecutorWithSummary,
  type ExecuteStatsWithSummaries,
  emptyExecSummary,
  executionSummariesToPb,
  newExecuteStats,
  withSummary,
} from "../src/summary.js";
import { BatchTableScanExecutor } from "../src/table-scan.js";
import { MockExecutor } from "./mock-executor.js";

const ints = (...v: number[]) => ChunkedVecInt.fromValues(v);
const plain = (s: ReturnType<typeof emptyExecSummary>) => ({ ...s });

/** A clock that moves by 1 ns at each reading. */
function tickingClock() {
  let t = 0;
  return () => t++;
}

describe("BatchExecutorWithSummary", () => {
  // TiKV TableScanTestHelper's five rows (handles 1, 3, 4, 5, 6), read whole-table, ID only.
  const TABLE = 7;
  const storage = new MemoryStorage();
  for (const h of [1, 3, 4, 5, 6])
    storage.put(encodeRecordKey(TABLE, h), encodeRowV2([2], [LONGLONG], [BigInt(h)]));
  const scanOf = () =>
    new BatchTableScanExecutor(storage, new EvalContext(), {
      columns: [{ columnId: i64(1), tp: FieldTypeTp.LongLong, pkHandle: true }],
      ranges: [{ start: encodeRecordKey(TABLE, -1000), end: encodeRecordKey(TABLE, 1000) }],
    });

  it("counts iterations and produced rows into its slot only (test_execution_summary)", () => {
    const exec = withSummary(scanOf(), 1);
    exec.nextBatch(1);
    exec.nextBatch(2);
    const s = newExecuteStats(2);
    exec.collectExecStats(s);
    expect(s.scannedRowsPerRange[0]).toBe(3);
    // Slot 0 stays empty: this executor's slot is 1.
    expect(plain(s.summaryPerExecutor[0]!)).toEqual(emptyExecSummary());
    expect(s.summaryPerExecutor[1]).toMatchObject({ numProducedRows: 3, numIterations: 2 });

    // Collecting again adds nothing: the counts were taken.
    exec.collectExecStats(s);
    expect(plain(s.summaryPerExecutor[0]!)).toEqual(emptyExecSummary());
    expect(s.summaryPerExecutor[1]).toMatchObject({ numProducedRows: 3, numIterations: 2 });

    // Fresh statistics see only this round.
    const s2 = newExecuteStats(2);
    exec.nextBatch(10);
    exec.collectExecStats(s2);
    expect(s2.scannedRowsPerRange).toEqual([2]);
    expect(plain(s2.summaryPerExecutor[0]!)).toEqual(emptyExecSummary());
    expect(s2.summaryPerExecutor[1]).toMatchObject({ numProducedRows: 2, numIterations: 1 });
  });

  it("times are inclusive of the children's calls", () => {
    // Reading order: limit start 0, mock start 1, mock end 2, limit end 3.
    const clock = tickingClock();
    const mock = withSummary(
      new MockExecutor([LONGLONG], [{ columns: [ints(1, 2, 3)], logicalRows: null }]),
      0,
      clock,
    );
    const limit = withSummary(new BatchLimitExecutor(mock, 10), 1, clock);
    limit.nextBatch(32);
    const s = newExecuteStats(2);
    limit.collectExecStats(s);
    expect(s.summaryPerExecutor.map(plain)).toEqual([
      { timeProcessedNs: 1, numProducedRows: 3, numIterations: 1 },
      { timeProcessedNs: 3, numProducedRows: 3, numIterations: 1 },
    ]);
  });

  it("counts logical rows, not physical ones; a throwing call is an iteration without rows", () => {
    let calls = 0;
    const child: BatchExecutor = {
      schema: () => [LONGLONG],
      nextBatch(): BatchExecuteResult {
        calls++;
        if (calls === 2) throw new Error("boom");
        return {
          columns: [ints(1, 2, 3, 4)],
          logicalRows: new Uint32Array([3, 0]),
          warnings: null,
          isDrained: 0,
        };
      },
      collectExecStats(_dest: ExecuteStats) {},
      takeScannedRange: (): IntervalRange => ({ lower: new Uint8Array(), upper: new Uint8Array() }),
      canBeCached: () => true,
    };
    const exec = new BatchExecutorWithSummary(child, 0, tickingClock());
    exec.nextBatch(8);
    expect(() => exec.nextBatch(8)).toThrow("boom");
    const s: ExecuteStats = { scannedRowsPerRange: [] };
    exec.collectExecStats(s);
    // The list is created when the statistics have none.
    expect((s as ExecuteStatsWithSummaries).summaryPerExecutor.map(plain)).toEqual([
      { timeProcessedNs: 2, numProducedRows: 2, numIterations: 2 },
    ]);
    expect(exec.inner).toBe(child);
  });

  it("rejects a bad slot index", () => {
    expect(() => withSummary(scanOf(), -1)).toThrow(RangeError);
  });

  it("converts to tipb.ExecutorExecutionSummary with u64 fields", () => {
    const pb = executionSummariesToPb([{ timeProcessedNs: 12.7, numProducedRows: 5, numIterations: 2 }]);
    const round = tipb.ExecutorExecutionSummary.decode(
      tipb.ExecutorExecutionSummary.encode(tipb.ExecutorExecutionSummary.create(pb[0])).finish(),
    );
    expect(
      [round.timeProcessedNs, round.numProducedRows, round.numIterations].map((v) => toBigInt(v)),
    ).toEqual([12n, 5n, 2n]);
    expect(pb[0]!.numIterations!.unsigned).toBe(true);
  });
});

describe("runDag execution summaries", () => {
  // Hand-worked: the runner asks the limit for 32, 64, 128 rows; the mock's batches are 3, 0 and
  // 2 rows (the last drained); LIMIT 4 passes 3, then 0, then cuts the last batch to 1 row.
  function pipeline(clock = tickingClock()) {
    const mock = new MockExecutor(
      [LONGLONG],
      [
        { columns: [ints(1, 2, 3)], logicalRows: null },
        { columns: [ints()], logicalRows: null },
        { columns: [ints(4, 5)], logicalRows: null },
      ],
    );
    return withSummary(new BatchLimitExecutor(withSummary(mock, 0, clock), 4), 1, clock);
  }

  it("answers one summary per executor slot, bottom-up, unused slots zero", () => {
    const { response } = runDag(pipeline(), new EvalContext(), {
      outputOffsets: [0],
      encodeType: tipb.EncodeType.TypeChunk,
      collectExecutionSummaries: true,
      executorCount: 3,
    });
    const got = (response.executionSummaries ?? []).map((s) => [
      toBigInt(s.numIterations),
      toBigInt(s.numProducedRows),
      toBigInt(s.timeProcessedNs),
    ]);
    // Each call reads the clock 4 times (2 per wrapper): mock 1 ns, limit 3 ns per call.
    expect(got).toEqual([
      [3n, 5n, 3n],
      [3n, 4n, 9n],
      [0n, 0n, 0n],
    ]);
  });

  it("without executorCount the list ends at the highest slot; none unless asked", () => {
    const ctx = new EvalContext();
    const base = { outputOffsets: [0], encodeType: tipb.EncodeType.TypeChunk };
    const on = runDag(pipeline(), ctx, { ...base, collectExecutionSummaries: true }).response;
    expect(on.executionSummaries).toHaveLength(2);
    const off = runDag(pipeline(), ctx, base).response;
    expect(off.executionSummaries).toBeUndefined();
  });
});
