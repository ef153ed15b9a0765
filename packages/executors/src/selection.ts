// The selection executor (TiKV components/tidb_query_executors/src/selection_executor.rs): WHERE
// conditions narrow the logical rows of the child's batches; columns pass through untouched.
import { EvalContext, type FieldType, type LogicalRows, logicalRowCount } from "@copr/datatype";
import { evalFilter, type RpnExpression } from "@copr/expr";
import type { tipb } from "@copr/proto";
import type { BatchExecuteResult, BatchExecutor, ExecuteStats, IntervalRange } from "./interface.js";
import {
  buildExprs,
  type ExprBuildOptions,
  mergeWarnings,
  physicalLength,
  takeWarnings,
} from "./projection.js";

/**
 * Keeps the logical rows for which every condition is true (MySQL truthiness; NULL is not true),
 * in their order, without copying a column (TiKV `BatchSelectionExecutor`).
 *
 * Conditions are evaluated one after the other on the rows still alive, and not at all once none
 * is (nor on a batch without rows). Over a scan that defers columns (`lazy`), each condition
 * first decodes the columns it reads for the rows still alive, and the remaining columns are
 * decoded for the surviving rows before the batch goes up, so only filter columns are decoded for
 * every row (TiKV's lazy decoding). It reports how many rows it kept, so that the scan decodes
 * every column at once while most rows pass (then deferring only costs a copy). An evaluation
 * error is thrown: TiKV ends the executor with it and drops the whole batch, rows before the
 * failing one included.
 */
export class BatchSelectionExecutor implements BatchExecutor {
  private readonly conditions: readonly RpnExpression[];
  /** The column offsets each condition reads. */
  private readonly columnsOf: readonly number[][];

  /** `conditions` are built over the child's schema; a build error is thrown here. */
  constructor(
    private readonly child: BatchExecutor,
    conditions: readonly tipb.Expr.$Properties[],
    private readonly ctx: EvalContext = new EvalContext(),
    options: ExprBuildOptions = {},
  ) {
    this.conditions = buildExprs(conditions, child.schema(), ctx, options);
    this.columnsOf = this.conditions.map((e) => [
      ...new Set(e.nodes.flatMap((n) => (n.kind === "column" ? [n.offset] : []))),
    ]);
  }

  schema(): readonly FieldType[] {
    return this.child.schema();
  }

  nextBatch(scanRows: number): BatchExecuteResult {
    const src = this.child.nextBatch(scanRows);
    const lazy = src.lazy;
    const physical = lazy === undefined ? physicalLength(src.columns) : lazy.rows;
    const schema = this.child.schema();
    const columns = src.columns;
    let live: LogicalRows = src.logicalRows;
    // Once a condition has made its own row list, the next ones narrow it in place.
    let owned = false;
    for (let c = 0; c < this.conditions.length; c++) {
      if (logicalRowCount(live, physical) === 0) break;
      if (lazy !== undefined) {
        // Decode what this condition reads, for the rows still alive only.
        for (const i of this.columnsOf[c]!) if (lazy.isDeferred(i)) columns[i] = lazy.decode(i, live);
      }
      // The row count given: the first column may be an undecoded placeholder.
      const before = live;
      live = evalFilter(
        [this.conditions[c]!],
        this.ctx,
        { schema, columns, logicalRows: live, physicalRows: physical },
        owned,
      );
      if (live !== before) owned = true;
    }
    if (lazy !== undefined) {
      for (let i = 0; i < columns.length; i++) if (lazy.isDeferred(i)) columns[i] = lazy.decode(i, live);
      lazy.observe?.(logicalRowCount(live, physical));
    }
    return {
      columns: src.columns,
      logicalRows: live,
      warnings: mergeWarnings(src.warnings, takeWarnings(this.ctx)),
      isDrained: src.isDrained,
    };
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
