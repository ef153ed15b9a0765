// Logical rows: which physical rows of a batch are live, and in which order.
// Follows TiKV components/tidb_query_datatype/src/codec/data_type/logical_rows.rs.

import { assert } from "../errors.js";

/**
 * TiKV's batch size: executors produce at most this many physical rows per batch (more only
 * when a batch is grown on purpose).
 */
export const BATCH_MAX_SIZE = 1024;

/**
 * The rows of a batch that are live, as indexes into its physical rows, in output order. `null`
 * is the identity: every physical row, in order (TiKV `LogicalRows::Identical`), and costs
 * nothing to check. An array may skip, reorder or (after a join or sort) repeat rows; its entries
 * are below the batch's physical length. Treat the array as immutable.
 */
export type LogicalRows = Uint32Array | null;

/** The number of logical rows over `physicalLength` physical rows. */
export function logicalRowCount(rows: LogicalRows, physicalLength: number): number {
  return rows === null ? physicalLength : rows.length;
}

/** The physical row of logical row `k` (`k` below the logical row count; not checked). */
export function logicalRowAt(rows: LogicalRows, k: number): number {
  return rows === null ? k : rows[k];
}

/** The logical rows as an explicit array (a new 0..n-1 array for the identity). */
export function materializeLogicalRows(rows: LogicalRows, physicalLength: number): Uint32Array {
  if (rows !== null) return rows;
  const out = new Uint32Array(physicalLength);
  for (let i = 0; i < physicalLength; i++) out[i] = i;
  return out;
}

/**
 * The logical rows for which `keep(physicalRow, logicalIndex)` is true, in the same order. The
 * identity stays null, and an array is returned unchanged, when every row is kept; otherwise a
 * new array is returned.
 */
export function filterLogicalRows(
  rows: LogicalRows,
  physicalLength: number,
  keep: (physicalRow: number, logicalIndex: number) => boolean,
): LogicalRows {
  const n = logicalRowCount(rows, physicalLength);
  let out: Uint32Array | null = null;
  let m = 0;
  for (let k = 0; k < n; k++) {
    const row = rows === null ? k : rows[k];
    if (keep(row, k)) {
      if (out !== null) out[m] = row;
      m++;
    } else if (out === null) {
      // First dropped row: copy the kept prefix (rows 0..k-1 of the input).
      out = new Uint32Array(n - 1);
      for (let j = 0; j < k; j++) out[j] = rows === null ? j : rows[j];
    }
  }
  return out === null ? rows : out.subarray(0, m);
}

/**
 * The logical rows whose entry in `selected` (one byte per logical row, in logical order) is
 * non-zero, as {@link filterLogicalRows} returns them. This is how a Selection keeps the rows a
 * predicate evaluated over the logical rows found true.
 */
export function selectLogicalRows(
  rows: LogicalRows,
  physicalLength: number,
  selected: Uint8Array,
): LogicalRows {
  assert(selected.length >= logicalRowCount(rows, physicalLength), "selection shorter than the logical rows");
  return filterLogicalRows(rows, physicalLength, (_row, k) => selected[k] !== 0);
}
