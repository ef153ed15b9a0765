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
 * is (nor on a batch without rows). An evaluation error is thrown: TiKV ends the executor with
 * it and drops the whole batch, rows before the failing one included.
 */
export class BatchSelectionExecutor implements BatchExecutor {
  private readonly conditions: readonly RpnExpression[];

  /** `conditions` are built over the child's schema; a build error is thrown here. */
  constructor(
    private readonly child: BatchExecutor,
    conditions: readonly tipb.Expr.$Properties[],
    private readonly ctx: EvalContext = new EvalContext(),
    options: ExprBuildOptions = {},
  ) {
    this.conditions = buildExprs(conditions, child.schema(), ctx, options);
  }

  schema(): readonly FieldType[] {
    return this.child.schema();
  }

  nextBatch(scanRows: number): BatchExecuteResult {
    const src = this.child.nextBatch(scanRows);
    const physical = physicalLength(src.columns);
    const schema = this.child.schema();
    let live: LogicalRows = src.logicalRows;
    for (const cond of this.conditions) {
      if (logicalRowCount(live, physical) === 0) break;
      live = evalFilter([cond], this.ctx, { schema, columns: src.columns, logicalRows: live });
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
