// Hash aggregation: rows go to the group of their GROUP BY key in a hash table, and every group is
// output once the child is drained. Behaviour of TiKV components/tidb_query_executors/src/
// fast_hash_aggr_executor.rs (one group-by expression of a hashable eval type),
// slow_hash_aggr_executor.rs (any group-by list) and util/hash_aggr_helper.rs (each row updates the
// states of its group).
//
// Both executors share one implementation here: per group-by expression a key store
// (`GroupKeyColumn`, typed arrays) and one open-addressing table of group indexes. TiKV's fast
// executor exists to avoid serializing keys; ours never serializes, so the two differ only in what
// they accept.

import { type AggrFunctionState, checkAggrSupported, updateStateAt } from "@copr/aggr";
import { type ColumnBuilder, EvalContext, EvalType, evalTypeOf, type FieldType } from "@copr/datatype";
import { type ExprLike, fieldTypeFromPb, type RpnExpression } from "@copr/expr";
import type { tipb } from "@copr/proto";
import {
  AGGR_SRC_BATCH_SIZE,
  AggregationExecutor,
  type AggregationOptions,
  type AggrInput,
  aggrDescriptorError,
  buildGroupBy,
  checkExprTreeSupported,
  GroupHashTable,
  type GroupKeyColumn,
  groupKeyColumnFor,
  mixHash,
  retFieldType,
  unsupportedEvalType,
} from "./aggr-util.js";
import type { BatchExecutor } from "./interface.js";

/** Options of the hash aggregation executors. */
export interface HashAggregationOptions extends AggregationOptions {
  /**
   * The most groups one output batch holds once the child is drained; the rest follow in later
   * calls. Default 1024 (TiKV outputs every group in one batch).
   */
  outputBatchSize?: number;
}

/** Eval types a fast hash aggregation key may have (TiKV `match_template_hashable`). */
const FAST_HASHABLE: ReadonlySet<EvalType> = new Set([
  EvalType.Int,
  EvalType.Real,
  EvalType.Bytes,
  EvalType.Duration,
  EvalType.Decimal,
  EvalType.DateTime,
  EvalType.Enum,
  EvalType.VectorFloat32,
]);

/**
 * Checks that fast hash aggregation can run `descriptor` (TiKV
 * `BatchFastHashAggregationExecutor::check_supported`): exactly one group-by expression whose
 * field type is INT, REAL, string, TIME, DECIMAL, DATE/DATETIME/TIMESTAMP or a vector (not ENUM,
 * SET or JSON), and supported expressions and aggregates. TiKV's runner uses fast hash aggregation
 * when this passes and slow hash aggregation otherwise.
 */
export function checkFastHashAggrSupported(descriptor: tipb.Aggregation.$Properties): void {
  const groupBy = descriptor.groupBy ?? [];
  if (groupBy.length === 0) throw aggrDescriptorError("Hash aggregation without GROUP BY");
  if (groupBy.length > 1) throw aggrDescriptorError("Multi group is not supported");
  const def = groupBy[0]!;
  if (!def.fieldType) throw aggrDescriptorError("Group by expression has no field type");
  const et = evalTypeOf(fieldTypeFromPb(def.fieldType));
  if (et === EvalType.Enum || !FAST_HASHABLE.has(et)) throw unsupportedEvalType(et);
  checkExprTreeSupported(def);
  for (const a of descriptor.aggFunc ?? []) checkAggrSupported(a);
}

/**
 * Checks that slow hash aggregation can run `descriptor` (TiKV
 * `BatchSlowHashAggregationExecutor::check_supported`): at least one group-by expression, every
 * expression and aggregate supported.
 */
export function checkSlowHashAggrSupported(descriptor: tipb.Aggregation.$Properties): void {
  const groupBy = descriptor.groupBy ?? [];
  if (groupBy.length === 0) throw aggrDescriptorError("Hash aggregation without GROUP BY");
  for (const def of groupBy) checkExprTreeSupported(def);
  for (const a of descriptor.aggFunc ?? []) checkAggrSupported(a);
}

/** Builds the group-by expressions of an executor and their result field types. */
function prepareGroupBy(
  src: BatchExecutor,
  groupByDefs: readonly ExprLike[],
  options: AggregationOptions,
): { exprs: RpnExpression[]; fieldTypes: FieldType[] } {
  const ctx = new EvalContext(options.config ?? {});
  const schema = src.schema();
  const exprs = buildGroupBy(groupByDefs, ctx, schema.length, options.lookup);
  return { exprs, fieldTypes: exprs.map((e) => retFieldType(e, schema)) };
}

/** The shared implementation of fast and slow hash aggregation. */
abstract class HashAggregation extends AggregationExecutor {
  private readonly groupByExprs: readonly RpnExpression[];
  private readonly keys: readonly GroupKeyColumn[];
  private readonly table = new GroupHashTable();
  /** The states of group g are `states[g * aggrCount ..]`. */
  private readonly states: AggrFunctionState[] = [];
  private groupCount = 0;
  /** Groups already output (after the child is drained). */
  private emitted = 0;
  private groupOfRow = new Int32Array(AGGR_SRC_BATCH_SIZE);
  private readonly outputBatchSize: number;

  protected constructor(
    src: BatchExecutor,
    groupBy: { exprs: RpnExpression[]; fieldTypes: FieldType[] },
    aggrDefs: readonly ExprLike[],
    options: HashAggregationOptions,
  ) {
    super(src, aggrDefs, groupBy.fieldTypes, options);
    this.groupByExprs = groupBy.exprs;
    this.keys = groupBy.fieldTypes.map((ft) => groupKeyColumnFor(ft));
    const size = options.outputBatchSize ?? AGGR_SRC_BATCH_SIZE;
    if (!(size >= 1)) throw aggrDescriptorError(`outputBatchSize must be at least 1, got ${size}`);
    this.outputBatchSize = size;
  }

  protected processBatchInput(input: AggrInput): void {
    const n = input.rowCount;
    const keys = this.keys;
    const results = this.evalExprs(this.groupByExprs, input);
    for (let i = 0; i < keys.length; i++) keys[i]!.bind(results[i]!);
    if (this.groupOfRow.length < n) this.groupOfRow = new Int32Array(n);
    const groupOfRow = this.groupOfRow;
    const table = this.table;
    const single = keys.length === 1 ? keys[0]! : null;

    // 1. The group of each row (new groups get fresh states).
    for (let k = 0; k < n; k++) {
      let h: number;
      if (single !== null) h = single.hashAt(k);
      else {
        h = 0x9e3779b9;
        for (let i = 0; i < keys.length; i++) h = mixHash(h, keys[i]!.hashAt(k));
      }
      let slot = table.firstSlot(h);
      let g = table.groupAt(slot);
      while (g >= 0) {
        if (table.hashAt(slot) === h && this.keyEquals(g, k)) break;
        slot = table.nextSlot(slot);
        g = table.groupAt(slot);
      }
      if (g < 0) {
        g = this.groupCount++;
        for (let i = 0; i < keys.length; i++) keys[i]!.pushAt(k);
        this.pushNewStates(this.states);
        table.insertAt(slot, h, g);
      }
      groupOfRow[k] = g;
    }

    // 2. Each row updates the states of its group, one aggregate at a time.
    const { ctx } = this.entities;
    const args = this.evalAggrArgs(input);
    const aggrCount = args.length;
    const states = this.states;
    for (let i = 0; i < aggrCount; i++) {
      const arg = args[i]!;
      for (let k = 0; k < n; k++) updateStateAt(states[groupOfRow[k]! * aggrCount + i]!, ctx, arg, k);
    }
  }

  private keyEquals(g: number, k: number): boolean {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (!keys[i]!.equalsAt(g, k)) return false;
    return true;
  }

  protected groupsLen(): number {
    return this.groupCount;
  }

  protected isPartialResultsReady(): boolean {
    return false;
  }

  protected override maxGroupsPerBatch(): number {
    return this.outputBatchSize;
  }

  protected iterateAvailableGroups(
    srcStopped: boolean,
    maxGroups: number,
    pushStates: (states: readonly AggrFunctionState[], offset: number) => void,
    groupByBuilders: readonly ColumnBuilder[],
  ): boolean {
    if (!srcStopped) return false;
    const aggrCount = this.entities.fns.length;
    const from = this.emitted;
    const to = Math.min(this.groupCount, from + maxGroups);
    for (let g = from; g < to; g++) pushStates(this.states, g * aggrCount);
    for (let i = 0; i < this.keys.length; i++) this.keys[i]!.output(groupByBuilders[i]!, from, to);
    // Output groups are not needed any more: let their states go.
    this.states.fill(RELEASED, from * aggrCount, to * aggrCount);
    this.emitted = to;
    return to < this.groupCount;
  }
}

/** Stands in for the states of groups already output. */
const RELEASED: AggrFunctionState = {
  update() {},
  updateRepeat() {},
  updateRow() {},
  updateVector() {},
  pushResult() {
    throw new Error("the states of this group were already output");
  },
};

/**
 * `SELECT COUNT(*) FROM t GROUP BY a` with one group-by expression (TiKV
 * `BatchFastHashAggregationExecutor`). The key's eval type must be INT, REAL, string, TIME,
 * DECIMAL, DATE/DATETIME/TIMESTAMP, ENUM or a vector (an UnsupportedError otherwise). Outputs the
 * partial results of every aggregate, then the group-by column; groups in the order they were
 * first seen, once the child is drained.
 */
export class BatchFastHashAggregationExecutor extends HashAggregation {
  constructor(
    src: BatchExecutor,
    groupByDef: ExprLike,
    aggrDefs: readonly ExprLike[],
    options: HashAggregationOptions = {},
  ) {
    const groupBy = prepareGroupBy(src, [groupByDef], options);
    const et = evalTypeOf(groupBy.fieldTypes[0]!);
    if (!FAST_HASHABLE.has(et)) throw unsupportedEvalType(et);
    super(src, groupBy, aggrDefs, options);
  }
}

/**
 * `SELECT COUNT(*) FROM t GROUP BY a, b + 1` with any group-by list (TiKV
 * `BatchSlowHashAggregationExecutor`). Keys compare as in {@link GroupKeyColumn}: strings by the
 * collation of their field type, NULL as a group of its own. Outputs the partial results of every
 * aggregate, then the group-by columns (a string column holds the first value seen of its group);
 * groups in the order they were first seen, once the child is drained.
 */
export class BatchSlowHashAggregationExecutor extends HashAggregation {
  constructor(
    src: BatchExecutor,
    groupByDefs: readonly ExprLike[],
    aggrDefs: readonly ExprLike[],
    options: HashAggregationOptions = {},
  ) {
    if (groupByDefs.length === 0) throw aggrDescriptorError("Hash aggregation without GROUP BY");
    super(src, prepareGroupBy(src, groupByDefs, options), aggrDefs, options);
  }
}
