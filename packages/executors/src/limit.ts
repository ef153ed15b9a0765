// The limit executor (TiKV components/tidb_query_executors/src/limit_executor.rs): the first n
// logical rows of the child, and its "rank limit" form, which also keeps the rows that tie with
// the n-th on the truncate keys.
import {
  BATCH_MAX_SIZE,
  EvalContext,
  emptyColumn,
  type FieldType,
  type LogicalRows,
  materializeLogicalRows,
} from "@copr/datatype";
import type { RpnExpression } from "@copr/expr";
import type { tipb } from "@copr/proto";
import {
  type BatchExecuteResult,
  type BatchExecutor,
  Drain,
  type ExecuteStats,
  type IntervalRange,
} from "./interface.js";
import {
  batchLogicalCount,
  buildExprs,
  type ExprBuildOptions,
  mergeWarnings,
  physicalLength,
  rpnFieldType,
  takeWarnings,
} from "./projection.js";
import {
  compareKeyRows,
  evalKeyColumns,
  type KeyColumns,
  keyRowCopy,
  rowLimit,
  type SortKeyType,
  sortKeyTypeOf,
} from "./top-n.js";

/** Options of {@link BatchLimitExecutor}. */
export interface LimitOptions extends ExprBuildOptions {
  /**
   * The child is a scan: ask it for no more rows than are still wanted (TiKV
   * `is_src_scan_executor`), so a scan under a small limit reads few keys.
   */
  isSrcScanExecutor?: boolean;
  /**
   * `tipb.Limit.truncate_key_expr`: a rank limit. The child's rows are sorted by these keys; after
   * the n-th row, the rows whose keys equal the n-th row's (by collation) are returned too.
   */
  truncateKeys?: readonly tipb.Expr.$Properties[];
  /** Evaluates the truncate keys. */
  ctx?: EvalContext;
}

/**
 * Passes the child's batches through until `limit` logical rows have gone by, cutting the logical
 * rows of the last batch (the columns are untouched) and marking it drained (TiKV
 * `BatchLimitExecutor`). With truncate keys it is a rank limit: it goes on past the limit while
 * rows tie with the last row within it, across batches, and stops at the first row that does not
 * (found by binary search, the input being sorted by the keys).
 *
 * An error of the child is thrown through (TiKV keeps the error of a batch unless the limit is
 * reached within it; with errors thrown, the batch is lost either way).
 */
export class BatchLimitExecutor implements BatchExecutor {
  private remaining: number;
  private readonly isSrcScan: boolean;
  private readonly truncateExprs: readonly RpnExpression[];
  private readonly truncateTypes: readonly SortKeyType[];
  private readonly ctx: EvalContext;
  /** The truncate keys of the last row within the limit, once it is reached. */
  private prevKeys: KeyColumns | null = null;

  constructor(
    private readonly child: BatchExecutor,
    limit: number | bigint,
    options: LimitOptions = {},
  ) {
    this.remaining = rowLimit(limit);
    this.isSrcScan = options.isSrcScanExecutor === true;
    this.ctx = options.ctx ?? new EvalContext();
    const schema = child.schema();
    this.truncateExprs = buildExprs(options.truncateKeys ?? [], schema, this.ctx, options);
    this.truncateTypes = this.truncateExprs.map((e) => sortKeyTypeOf(rpnFieldType(e, schema)));
  }

  schema(): readonly FieldType[] {
    return this.child.schema();
  }

  nextBatch(scanRows: number): BatchExecuteResult {
    const scan = this.isSrcScan ? Math.min(scanRows, this.remaining) : scanRows;
    return this.truncateExprs.length === 0 ? this.nextLimit(scan) : this.nextRankLimit(scan);
  }

  private nextLimit(scan: number): BatchExecuteResult {
    const src = this.child.nextBatch(scan);
    const total = batchLogicalCount(src);
    if (total < this.remaining) {
      this.remaining -= total;
      return src;
    }
    const out = this.remaining;
    this.remaining = 0;
    return {
      ...src,
      logicalRows: truncate(src.logicalRows, physicalLength(src.columns), out),
      isDrained: Drain.Drain,
    };
  }

  private nextRankLimit(scan: number): BatchExecuteResult {
    if (this.remaining === 0 && this.prevKeys === null) {
      // LIMIT 0: nothing to tie with.
      return {
        columns: this.child.schema().map(emptyColumn),
        logicalRows: new Uint32Array(0),
        warnings: null,
        isDrained: Drain.Drain,
      };
    }
    const src = this.child.nextBatch(scan === 0 ? BATCH_MAX_SIZE : scan);
    const total = batchLogicalCount(src);
    if (total === 0) return src;
    if (total < this.remaining) {
      this.remaining -= total;
      return src;
    }
    const keys = evalKeyColumns(
      this.truncateExprs,
      this.ctx,
      { schema: this.child.schema(), columns: src.columns, logicalRows: src.logicalRows },
      total,
    );
    let out: number;
    if (total === this.remaining) {
      out = total;
      this.remaining = 0;
      this.prevKeys = keyRowCopy(keys, total - 1);
    } else {
      if (this.remaining !== 0) this.prevKeys = keyRowCopy(keys, this.remaining - 1);
      out = this.firstDifferent(keys, total, this.remaining);
      this.remaining = 0;
    }
    const warnings = mergeWarnings(src.warnings, takeWarnings(this.ctx));
    if (out === total) return { ...src, warnings };
    return {
      columns: src.columns,
      logicalRows: truncate(src.logicalRows, physicalLength(src.columns), out),
      warnings,
      isDrained: Drain.Drain,
    };
  }

  /** The first logical row at or after `start` whose keys differ from `prevKeys` (or `total`). */
  private firstDifferent(keys: KeyColumns, total: number, start: number): number {
    const prev = this.prevKeys as KeyColumns;
    let left = start;
    let right = total;
    // Rows equal to prev form a prefix of [start, total): the input is sorted by the keys.
    while (left < right) {
      const mid = left + ((right - left) >>> 1);
      if (compareKeyRows(this.truncateTypes, null, prev, 0, keys, mid) === 0) left = mid + 1;
      else right = mid;
    }
    return left;
  }

  collectExecStats(dest: ExecuteStats): void {
    this.child.collectExecStats(dest);
  }

  takeScannedRange(): IntervalRange {
    return this.child.takeScannedRange();
  }

  canBeCached(): boolean {
    return this.child.canBeCached();
  }
}

/** The first `n` logical rows (a view; the identity stays cheap to express). */
function truncate(rows: LogicalRows, physical: number, n: number): LogicalRows {
  if (rows === null) return n === physical ? null : materializeLogicalRows(null, n);
  return n >= rows.length ? rows : rows.subarray(0, n);
}
