// A batch of rows passed between executors: columns, the live rows and the warnings so far.
// Follows TiKV components/tidb_query_executors/src/interface.rs (BatchExecuteResult).

import { assert } from "../errors.js";
import { DEFAULT_MAX_WARNING_COUNT, EvalWarnings } from "../eval-context.js";
import type { Column } from "./column.js";
import { type LogicalRows, logicalRowCount } from "./logical-rows.js";

/**
 * A batch: `columns` all have `physicalLength` rows; `logicalRows` says which of them are live
 * and in which order (null for all, in order); `warnings` are those raised while producing it.
 * `physicalLength` is kept apart from the columns so that a batch without columns (e.g. under
 * `COUNT(*)`) still knows its size. Executors and the encoder read only the logical rows.
 */
export interface Batch {
  /** The physical columns, all `physicalLength` rows long. */
  readonly columns: readonly Column[];
  /** The number of physical rows. */
  readonly physicalLength: number;
  /** The live rows; see {@link LogicalRows}. */
  readonly logicalRows: LogicalRows;
  /** Warnings raised while producing this batch. */
  readonly warnings: EvalWarnings;
}

/** Options of {@link makeBatch}. */
export interface BatchOptions {
  /** Default null (every row). */
  logicalRows?: LogicalRows;
  /** Default: an empty list bounded by TiKV's 64. */
  warnings?: EvalWarnings;
  /** Required when there are no columns; otherwise it must equal their length. */
  physicalLength?: number;
}

/**
 * A batch of `columns`. Checks (as internal invariants) that every column has the same length
 * and that logical rows point at physical rows.
 */
export function makeBatch(columns: readonly Column[], options: BatchOptions = {}): Batch {
  const physicalLength = options.physicalLength ?? (columns.length > 0 ? columns[0].length : 0);
  for (const c of columns) {
    assert(c.length === physicalLength, `column of ${c.length} rows in a batch of ${physicalLength}`);
  }
  const logicalRows = options.logicalRows ?? null;
  if (logicalRows !== null) {
    for (let k = 0; k < logicalRows.length; k++) {
      assert(logicalRows[k] < physicalLength, `logical row ${logicalRows[k]} past ${physicalLength} rows`);
    }
  }
  return {
    columns,
    physicalLength,
    logicalRows,
    warnings: options.warnings ?? new EvalWarnings(DEFAULT_MAX_WARNING_COUNT),
  };
}

/** The number of live rows of a batch. */
export function batchRowCount(batch: Batch): number {
  return logicalRowCount(batch.logicalRows, batch.physicalLength);
}
