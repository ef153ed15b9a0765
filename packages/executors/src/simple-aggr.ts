// Aggregation without GROUP BY: one group over every row of the child. Behaviour of TiKV
// components/tidb_query_executors/src/simple_aggr_executor.rs.

import { type AggrFunctionState, checkAggrSupported, updateStateFromResult } from "@copr/aggr";
import type { ColumnBuilder } from "@copr/datatype";
import type { ExprLike } from "@copr/expr";
import type { tipb } from "@copr/proto";
import {
  AggregationExecutor,
  type AggregationOptions,
  type AggrInput,
  aggrDescriptorError,
} from "./aggr-util.js";
import type { BatchExecutor } from "./interface.js";

/** Options of {@link BatchSimpleAggregationExecutor}. */
export interface SimpleAggregationOptions extends AggregationOptions {
  /**
   * Output one row (COUNT 0, other aggregates their empty value) when the child has no rows.
   * Default false, as TiKV since pingcap/tidb#30923: TiKV only runs the first stage of an
   * aggregation, whose empty partial result TiDB does not need. A final-stage caller sets it.
   */
  rowForEmptyInput?: boolean;
}

/**
 * Checks that simple aggregation can run `descriptor` (TiKV `check_supported`): at least one
 * aggregate, each supported by `@copr/aggr`. The descriptor must have no GROUP BY.
 */
export function checkSimpleAggrSupported(descriptor: tipb.Aggregation.$Properties): void {
  if ((descriptor.groupBy?.length ?? 0) !== 0) throw aggrDescriptorError("Simple aggregation with GROUP BY");
  const defs = descriptor.aggFunc ?? [];
  if (defs.length === 0) throw aggrDescriptorError("Aggregation expression is empty");
  for (const def of defs) checkAggrSupported(def);
}

/**
 * `SELECT COUNT(*), SUM(a) FROM t` (TiKV `BatchSimpleAggregationExecutor`): consumes every batch
 * of the child into one state per aggregate and, once the child is drained, outputs one row of
 * partial results (the aggregates' columns in order). Earlier calls return no rows. With no input
 * row at all it outputs no row (see {@link SimpleAggregationOptions.rowForEmptyInput}).
 */
export class BatchSimpleAggregationExecutor extends AggregationExecutor {
  private readonly states: AggrFunctionState[] = [];
  private hasInputRows = false;
  private readonly rowForEmptyInput: boolean;

  constructor(src: BatchExecutor, aggrDefs: readonly ExprLike[], options: SimpleAggregationOptions = {}) {
    super(src, aggrDefs, [], options);
    this.pushNewStates(this.states);
    this.rowForEmptyInput = options.rowForEmptyInput ?? false;
  }

  protected processBatchInput(input: AggrInput): void {
    this.hasInputRows = true;
    const { ctx } = this.entities;
    const args = this.evalAggrArgs(input);
    for (let i = 0; i < this.states.length; i++) {
      updateStateFromResult(this.states[i]!, ctx, args[i]!, input.rowCount);
    }
  }

  protected groupsLen(): number {
    return this.hasInputRows ? 1 : 0;
  }

  protected isPartialResultsReady(): boolean {
    return false;
  }

  protected iterateAvailableGroups(
    _srcStopped: boolean,
    _maxGroups: number,
    pushStates: (states: readonly AggrFunctionState[], offset: number) => void,
    _groupByBuilders: readonly ColumnBuilder[],
  ): boolean {
    if (this.hasInputRows || this.rowForEmptyInput) pushStates(this.states, 0);
    return false;
  }
}
