// The partition top-N executor (TiKV components/tidb_query_executors/src/partition_top_n_executor.rs):
// the first n rows by the order-by items within each run of rows with equal partition keys, for
// window functions such as `ROW_NUMBER() OVER (PARTITION BY a ORDER BY b) <= n`.
import { BATCH_MAX_SIZE, type Column, EvalContext, emptyColumn, type FieldType } from "@copr/datatype";
import type { RpnExpression } from "@copr/expr";
import type { tipb } from "@copr/proto";
import {
  type BatchExecuteResult,
  type BatchExecutor,
  Drain,
  type ExecuteStats,
  type IntervalRange,
} from "./interface.js";
import { batchLogicalCount, buildExprs, mergeWarnings, rpnFieldType, takeWarnings } from "./projection.js";
import {
  compareKeyRows,
  evalKeyColumns,
  type KeyColumns,
  keyRowCopy,
  orderByOf,
  rowLimit,
  type SortKeyType,
  sortKeyTypeOf,
  TopNHeap,
  type TopNOptions,
} from "./top-n.js";

/**
 * Top-N per partition (TiKV `BatchPartitionTopNExecutor`). The child's rows are expected grouped
 * by the partition keys (TiDB sorts them so); a partition is a run of consecutive rows whose
 * partition keys compare equal (by collation). When a row starts a new partition, the previous
 * partition's kept rows are emitted, sorted by the order-by items. Each call reads one batch of
 * the child and returns the partitions that ended in it; the last call also returns the last
 * partition. If the input is not grouped, a partition split in several runs yields up to n rows
 * per run; TiDB's second top-N stage fixes the result.
 *
 * With `pagingSize` and 2n above it, batches pass through untouched. An evaluation error is thrown.
 */
export class BatchPartitionTopNExecutor implements BatchExecutor {
  private readonly orderExprs: readonly RpnExpression[];
  private readonly partitionExprs: readonly RpnExpression[];
  private readonly partitionTypes: readonly SortKeyType[];
  private readonly heap: TopNHeap;
  private readonly n: number;
  private readonly passThrough: boolean;
  /** The partition keys of the last row seen (of an earlier batch). */
  private lastPartition: KeyColumns | null = null;

  /** Throws any error of building the expressions over the child's schema. */
  constructor(
    private readonly child: BatchExecutor,
    partitionBy: readonly tipb.ByItem.$Properties[],
    orderBy: readonly tipb.ByItem.$Properties[],
    n: number | bigint,
    private readonly ctx: EvalContext = new EvalContext(),
    options: TopNOptions = {},
  ) {
    const schema = child.schema();
    const order = orderByOf(orderBy);
    this.orderExprs = buildExprs(order.exprs, schema, ctx, options);
    this.partitionExprs = buildExprs(orderByOf(partitionBy).exprs, schema, ctx, options);
    this.partitionTypes = this.partitionExprs.map((e) => sortKeyTypeOf(rpnFieldType(e, schema)));
    const keyTypes = this.orderExprs.map((e) => sortKeyTypeOf(rpnFieldType(e, schema)));
    this.n = rowLimit(n);
    this.heap = new TopNHeap(this.n, keyTypes, order.desc, schema);
    this.passThrough = options.pagingSize !== undefined && this.n * 2 > options.pagingSize;
  }

  schema(): readonly FieldType[] {
    return this.child.schema();
  }

  nextBatch(scanRows: number): BatchExecuteResult {
    if (this.n === 0) {
      return { columns: this.emptyColumns(), logicalRows: null, warnings: null, isDrained: Drain.Drain };
    }
    if (this.passThrough) return this.child.nextBatch(scanRows);
    const src = this.child.nextBatch(BATCH_MAX_SIZE);
    const segs: number[] = [];
    const rows: number[] = [];
    const n = batchLogicalCount(src);
    if (n > 0) {
      const input = { schema: this.child.schema(), columns: src.columns, logicalRows: src.logicalRows };
      const orderKeys = evalKeyColumns(this.orderExprs, this.ctx, input, n);
      const partKeys = evalKeyColumns(this.partitionExprs, this.ctx, input, n);
      this.heap.beginBatch(src.columns, src.logicalRows, orderKeys);
      const types = this.partitionTypes;
      for (let k = 0; k < n; k++) {
        const same =
          k > 0
            ? compareKeyRows(types, null, partKeys, k - 1, partKeys, k) === 0
            : this.lastPartition !== null &&
              compareKeyRows(types, null, this.lastPartition, 0, partKeys, 0) === 0;
        if (!same) this.heap.takeSorted(segs, rows);
        this.heap.add(k);
      }
      this.lastPartition = keyRowCopy(partKeys, n - 1);
    }
    if (src.isDrained !== Drain.Remain) this.heap.takeSorted(segs, rows);
    // Output first: the rows taken out may still point into the batch or into copies that
    // endBatch drops.
    const columns: Column[] = this.heap.gatherOutput(segs, rows);
    if (n > 0) this.heap.endBatch();
    return {
      columns,
      logicalRows: null,
      warnings: mergeWarnings(src.warnings, takeWarnings(this.ctx)),
      isDrained: src.isDrained,
    };
  }

  private emptyColumns(): Column[] {
    return this.child.schema().map(emptyColumn);
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
