// The batch executor interface (TiKV components/tidb_query_executors/src/interface.rs): an
// executor produces batches of columns with logical rows, pulled by its parent, until drained.
import type { Column, EvalWarnings, FieldType, LogicalRows } from "@copr/datatype";

/** Whether more data may follow a batch (TiKV `BatchExecIsDrain`). */
export const enum Drain {
  /** More data may follow; call `nextBatch` again (even if this batch had no rows). */
  Remain = 0,
  /** No more data in the ranges; this batch may still hold the last rows. */
  Drain = 1,
  /** Paging: enough rows for this page; the scanned range says where the next page starts. */
  PagingDrain = 2,
}

/** One batch (TiKV `BatchExecuteResult`). */
export interface BatchExecuteResult {
  /** Physical columns, one per schema column, all of the same length. */
  readonly columns: Column[];
  /** The live rows of `columns`, in output order (null: all of them, in order). */
  readonly logicalRows: LogicalRows;
  /** Warnings raised while producing this batch. */
  readonly warnings: EvalWarnings | null;
  /** Whether more data may follow; an error ends the executor (thrown by `nextBatch`). */
  readonly isDrained: Drain;
  /**
   * Columns a table scan left undecoded (TiKV `LazyBatchColumn`), only ever handed to a Selection
   * right above the scan: while `lazy.isDeferred(i)`, `columns[i]` is an empty placeholder, and
   * the consumer replaces it with `lazy.decode(i, rows)` before reading it. Absent otherwise.
   */
  readonly lazy?: LazyColumns;
}

/** Undecoded columns of a scan batch (see {@link BatchExecuteResult.lazy}). */
export interface LazyColumns {
  /** Physical rows of the batch. */
  readonly rows: number;
  /** Whether column `i` is still undecoded. */
  isDeferred(i: number): boolean;
  /** Column `i` decoded for the physical rows `rows` (null: all); other rows are NULL placeholders. Once per column. */
  decode(i: number, rows: LogicalRows): Column;
  /**
   * Optional: how many rows the consumer kept, so that the scan can stop deferring columns while
   * most rows survive the filter (deferring then only adds a copy of their raw values).
   */
  observe?(keptRows: number): void;
}

/** Counters an executor adds to (TiKV `ExecuteStats`): scanned rows per key range, and per-executor summaries. */
export interface ExecuteStats {
  /**
   * Rows scanned per range of the request, in scan order: a scan appends one entry per range it
   * starts (TiKV's `scanned_rows_per_range`, sent as `SelectResponse.output_counts`).
   */
  scannedRowsPerRange: number[];
}

/** A half-open key interval of storage that a scan has covered (TiKV `IntervalRange`). */
export interface IntervalRange {
  lower: Uint8Array;
  upper: Uint8Array;
}

/**
 * A batch executor. `nextBatch(scanRows)` returns the next batch, producing at most about
 * `scanRows` rows from its source (a scan reads at most that many keys); an error is thrown.
 * After a batch with `isDrained !== Remain`, `nextBatch` must not be called again.
 */
export interface BatchExecutor {
  /** Output columns' field types. */
  schema(): readonly FieldType[];
  nextBatch(scanRows: number): BatchExecuteResult;
  /** Adds this executor's (and its children's) counters to `dest`. */
  collectExecStats(dest: ExecuteStats): void;
  /** The key range scanned since the last call (for paging and caching). */
  takeScannedRange(): IntervalRange;
  /** Whether the result may be cached (nothing non-deterministic, no uncommitted data met). */
  canBeCached(): boolean;
}

/**
 * Where the intermediate outputs of a DAG come from (TiKV `BatchExecutor::intermediate_schema`
 * and `consume_and_fill_intermediate_results`): the IndexLookUp executors of the tree, which send
 * the index rows they could not look up back to TiDB.
 */
export interface IntermediateOutputSource {
  /** The schema of the rows of channel `index`; throws when no executor feeds that channel. */
  intermediateSchema(index: number): readonly FieldType[];
  /** Moves the rows gathered since the last call to `results[channel]`, for every channel fed. */
  consumeAndFillIntermediateResults(results: BatchExecuteResult[][]): void;
}
