// Stream aggregation: the child's rows arrive ordered by the GROUP BY keys, so a group ends where
// the key changes and only the current group is kept. Behaviour of TiKV
// components/tidb_query_executors/src/stream_aggr_executor.rs.

import { type AggrFunctionState, checkAggrSupported, updateStateFromResult } from "@copr/aggr";
import { type ColumnBuilder, EvalContext } from "@copr/datatype";
import type { EvalResult, ExprLike, RpnExpression } from "@copr/expr";
import type { tipb } from "@copr/proto";
import {
  AggregationExecutor,
  type AggregationOptions,
  type AggrInput,
  aggrDescriptorError,
  buildGroupBy,
  checkExprTreeSupported,
  type GroupKeyColumn,
  groupKeyColumnFor,
  retFieldType,
} from "./aggr-util.js";
import type { BatchExecutor } from "./interface.js";

/**
 * Checks that stream aggregation can run `descriptor` (TiKV
 * `BatchStreamAggregationExecutor::check_supported`): at least one group-by expression, every
 * expression and aggregate supported. Whether the child is ordered is not checked (TiKV: undefined
 * behaviour if it is not).
 */
export function checkStreamAggrSupported(descriptor: tipb.Aggregation.$Properties): void {
  const groupBy = descriptor.groupBy ?? [];
  if (groupBy.length === 0) throw aggrDescriptorError("Stream aggregation without GROUP BY");
  for (const def of groupBy) checkExprTreeSupported(def);
  for (const a of descriptor.aggFunc ?? []) checkAggrSupported(a);
}

/**
 * `SELECT COUNT(*) FROM t GROUP BY a` over rows ordered by `a` (TiKV
 * `BatchStreamAggregationExecutor`). A row starts a new group when its key differs from the
 * current group's (strings compared by the collation of their field type, NULL equal to NULL).
 * A batch that completes groups outputs them (all but the last, which may continue in the next
 * batch); the last group is output when the child is drained. Output: the partial results of
 * every aggregate, then the group-by columns (each group's first key).
 */
export class BatchStreamAggregationExecutor extends AggregationExecutor {
  private readonly groupByExprs: readonly RpnExpression[];
  private readonly keys: readonly GroupKeyColumn[];
  /** States of the groups not output yet; the last `aggrCount` are the current group's. */
  private states: AggrFunctionState[] = [];
  /** Groups not output yet (the keys' length). */
  private groups = 0;
  /** 0 .. n − 1, sliced for the logical rows of a group run when a result has identity rows. */
  private identity = new Uint32Array(0);

  constructor(
    src: BatchExecutor,
    groupByDefs: readonly ExprLike[],
    aggrDefs: readonly ExprLike[],
    options: AggregationOptions = {},
  ) {
    if (groupByDefs.length === 0) throw aggrDescriptorError("Stream aggregation without GROUP BY");
    const schema = src.schema();
    const exprs = buildGroupBy(
      groupByDefs,
      new EvalContext(options.config ?? {}),
      schema.length,
      options.lookup,
    );
    const fieldTypes = exprs.map((e) => retFieldType(e, schema));
    super(src, aggrDefs, fieldTypes, options);
    this.groupByExprs = exprs;
    this.keys = fieldTypes.map((ft) => groupKeyColumnFor(ft));
  }

  protected processBatchInput(input: AggrInput): void {
    const n = input.rowCount;
    const keys = this.keys;
    const results = this.evalExprs(this.groupByExprs, input);
    for (let i = 0; i < keys.length; i++) keys[i]!.bind(results[i]!);
    const args = this.evalAggrArgs(input);

    let start = 0;
    for (let k = 0; k < n; k++) {
      if (this.groups > 0 && this.matchesCurrent(k)) continue;
      // A new group: the rows before it complete the current one.
      if (k > 0) this.updateCurrent(args, start, k);
      start = k;
      for (let i = 0; i < keys.length; i++) keys[i]!.pushAt(k);
      this.groups++;
      this.pushNewStates(this.states);
    }
    this.updateCurrent(args, start, n);
  }

  private matchesCurrent(k: number): boolean {
    const g = this.groups - 1;
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (!keys[i]!.equalsAt(g, k)) return false;
    return true;
  }

  /** Feeds logical rows `start .. end − 1` into the states of the current (last) group. */
  private updateCurrent(args: readonly EvalResult[], start: number, end: number): void {
    const aggrCount = args.length;
    if (aggrCount === 0 || end <= start) return;
    const { ctx } = this.entities;
    const base = this.states.length - aggrCount;
    for (let i = 0; i < aggrCount; i++) {
      const arg = args[i]!;
      const state = this.states[base + i]!;
      if (arg.kind === "scalar") {
        updateStateFromResult(state, ctx, arg, end - start);
      } else {
        const rows = arg.rows ?? this.identityRows(end);
        state.updateVector(ctx, arg.column, rows.subarray(start, end));
      }
    }
  }

  private identityRows(n: number): Uint32Array {
    if (this.identity.length < n) {
      const size = Math.max(n, 1024);
      this.identity = new Uint32Array(size);
      for (let i = 0; i < size; i++) this.identity[i] = i;
    }
    return this.identity;
  }

  /** Counts the current, possibly incomplete, group. */
  protected groupsLen(): number {
    return this.groups;
  }

  /** The last group may continue in the next batch: complete groups exist from two groups on. */
  protected isPartialResultsReady(): boolean {
    return this.groups >= 2;
  }

  protected iterateAvailableGroups(
    srcStopped: boolean,
    _maxGroups: number,
    pushStates: (states: readonly AggrFunctionState[], offset: number) => void,
    groupByBuilders: readonly ColumnBuilder[],
  ): boolean {
    const count = srcStopped ? this.groups : this.groups - 1;
    const aggrCount = this.entities.fns.length;
    for (let g = 0; g < count; g++) pushStates(this.states, g * aggrCount);
    for (let i = 0; i < this.keys.length; i++) {
      const key = this.keys[i]!;
      key.output(groupByBuilders[i]!, 0, count);
      key.retainFrom(count);
    }
    this.states = this.states.slice(count * aggrCount);
    this.groups -= count;
    return false;
  }
}
