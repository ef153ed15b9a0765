// Execution summaries for EXPLAIN ANALYZE (TiKV components/tidb_query_common/src/execute_stats.rs
// `ExecSummary`, `ExecSummaryCollectorEnabled`, and `WithSummaryCollector` in
// components/tidb_query_executors/src/interface.rs): a wrapper around each executor of the DAG
// counts its `nextBatch` calls, the logical rows it produced and the time spent inside the calls.
import type { FieldType } from "@copr/datatype";
import { type tipb, u64 } from "@copr/proto";
import type { BatchExecuteResult, BatchExecutor, ExecuteStats, IntervalRange } from "./interface.js";

/** What one executor did (TiKV `ExecSummary`). */
export interface ExecSummary {
  /**
   * Nanoseconds spent inside this executor's `nextBatch`, its children's calls included (each
   * executor's time is inclusive, as in TiKV).
   */
  timeProcessedNs: number;
  /** Logical rows returned by `nextBatch`, all calls together. */
  numProducedRows: number;
  /** How many times `nextBatch` was called. */
  numIterations: number;
}

/**
 * {@link ExecuteStats} with a summary slot per executor of the DAG, indexed bottom-up (0 is the
 * scan), as TiKV's `ExecuteStats.summary_per_executor`.
 */
export interface ExecuteStatsWithSummaries extends ExecuteStats {
  summaryPerExecutor: ExecSummary[];
}

/** An empty summary. */
export function emptyExecSummary(): ExecSummary {
  return { timeProcessedNs: 0, numProducedRows: 0, numIterations: 0 };
}

/** Statistics with `executorCount` zeroed summary slots (TiKV `ExecuteStats::new`). */
export function newExecuteStats(executorCount: number): ExecuteStatsWithSummaries {
  return {
    scannedRowsPerRange: [],
    summaryPerExecutor: Array.from({ length: executorCount }, emptyExecSummary),
  };
}

/** A monotonic clock in nanoseconds, read around each `nextBatch` call. */
export type SummaryClock = () => number;

/**
 * The default {@link SummaryClock}: `performance.now()` in nanoseconds (sub-microsecond
 * resolution; TiKV reads a coarse monotonic clock, a few milliseconds fine).
 */
export const defaultSummaryClock: SummaryClock = () => performance.now() * 1e6;

/**
 * Wraps an executor to record its {@link ExecSummary} into slot `outputIndex` of the
 * statistics (TiKV `WithSummaryCollector<ExecSummaryCollectorEnabled, _>`). Everything else is
 * passed through. `collectExecStats` adds the counts gathered since the last collection to the
 * slot, resets them, and then collects the inner executor's (so each collection holds only the
 * new counts, as TiKV's contract asks).
 *
 * A call that throws still counts as an iteration and its time is counted; it produced no rows.
 */
export class BatchExecutorWithSummary implements BatchExecutor {
  private counts: ExecSummary = emptyExecSummary();

  constructor(
    /** The wrapped executor. */
    readonly inner: BatchExecutor,
    /** The executor's position in the DAG, bottom-up. */
    readonly outputIndex: number,
    private readonly clock: SummaryClock = defaultSummaryClock,
  ) {
    if (!Number.isInteger(outputIndex) || outputIndex < 0) {
      throw new RangeError(`summary output index must be a non-negative integer, got ${outputIndex}`);
    }
  }

  schema(): readonly FieldType[] {
    return this.inner.schema();
  }

  nextBatch(scanRows: number): BatchExecuteResult {
    this.counts.numIterations += 1;
    const start = this.clock();
    try {
      const result = this.inner.nextBatch(scanRows);
      this.counts.numProducedRows +=
        result.logicalRows === null
          ? (result.lazy?.rows ?? result.columns[0]?.length ?? 0)
          : result.logicalRows.length;
      return result;
    } finally {
      // A clock that steps back never makes the time negative (TiKV `saturating_elapsed`).
      this.counts.timeProcessedNs += Math.max(0, this.clock() - start);
    }
  }

  /**
   * Adds this executor's counts to `dest.summaryPerExecutor[outputIndex]` (creating the list, and
   * zeroed slots up to the index, when `dest` has none), then collects the inner executor's.
   */
  collectExecStats(dest: ExecuteStats): void {
    const target = dest as Partial<ExecuteStatsWithSummaries>;
    const list = target.summaryPerExecutor ?? [];
    target.summaryPerExecutor = list;
    while (list.length <= this.outputIndex) list.push(emptyExecSummary());
    const slot = list[this.outputIndex]!;
    slot.timeProcessedNs += this.counts.timeProcessedNs;
    slot.numProducedRows += this.counts.numProducedRows;
    slot.numIterations += this.counts.numIterations;
    this.counts = emptyExecSummary();
    this.inner.collectExecStats(dest);
  }

  takeScannedRange(): IntervalRange {
    return this.inner.takeScannedRange();
  }

  canBeCached(): boolean {
    return this.inner.canBeCached();
  }
}

/**
 * `exec` wrapped to record its summary in slot `outputIndex` (TiKV `collect_summary`). The
 * wrapper hides the inner executor's class: test `inner` for it.
 */
export function withSummary(
  exec: BatchExecutor,
  outputIndex: number,
  clock: SummaryClock = defaultSummaryClock,
): BatchExecutorWithSummary {
  return new BatchExecutorWithSummary(exec, outputIndex, clock);
}

/**
 * The summaries as `SelectResponse.execution_summaries`, in slot order (bottom-up), each with
 * num_produced_rows, num_iterations and time_processed_ns as u64 (nanoseconds rounded down).
 */
export function executionSummariesToPb(
  summaries: readonly ExecSummary[],
): tipb.ExecutorExecutionSummary.$Properties[] {
  return summaries.map((s) => ({
    timeProcessedNs: u64(Math.floor(s.timeProcessedNs)),
    numProducedRows: u64(s.numProducedRows),
    numIterations: u64(s.numIterations),
  }));
}
