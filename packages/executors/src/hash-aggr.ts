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
  CodeGroupMap,
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

    // 1. The group of each row (new groups get fresh states): by packed key codes when the keys
    // have them, else by hash and key comparison.
    if (!this.groupsByCode(n)) for (let k = 0; k < n; k++) groupOfRow[k] = this.groupOf(k);

    // 2. The states of each group take the group's rows, one aggregate at a time.
    const { ctx } = this.entities;
    const args = this.evalAggrArgs(input);
    const aggrCount = args.length;
    const states = this.states;
    const runs = this.groupRuns(n);
    if (runs === 0) {
      // Nearly a group per row: each row updates the states of its group.
      for (let i = 0; i < aggrCount; i++) {
        const arg = args[i]!;
        for (let k = 0; k < n; k++) updateStateAt(states[groupOfRow[k]! * aggrCount + i]!, ctx, arg, k);
      }
      return;
    }
    // Few groups: each group's rows in one vector update (exact batch sums, no value object per
    // row). Rows keep their order within a group, so order-sensitive aggregates see the same
    // sequence as row by row.
    const byGroup = this.rowsByGroup;
    const physical = this.physicalRows;
    const runGroup = this.runGroup;
    const runStart = this.runStart;
    for (let i = 0; i < aggrCount; i++) {
      const arg = args[i]!;
      if (arg.kind === "scalar") {
        for (let j = 0; j < runs; j++) {
          states[runGroup[j]! * aggrCount + i]!.updateRepeat(ctx, arg.value, runStart[j + 1]! - runStart[j]!);
        }
        continue;
      }
      const argRows = arg.rows;
      for (let k = 0; k < n; k++) physical[k] = argRows === null ? byGroup[k]! : argRows[byGroup[k]!]!;
      for (let j = 0; j < runs; j++) {
        states[runGroup[j]! * aggrCount + i]!.updateVector(
          ctx,
          arg.column,
          physical.subarray(runStart[j]!, runStart[j + 1]!),
        );
      }
    }
  }

  /** Per group met in the batch, the slot of its run (-1 when not met); reset after each batch. */
  private runOfGroup = new Int32Array(0);
  /** Logical rows of the batch ordered by group (stable), and the same as physical rows of an argument. */
  private rowsByGroup = new Uint32Array(AGGR_SRC_BATCH_SIZE);
  private physicalRows = new Uint32Array(AGGR_SRC_BATCH_SIZE);
  /** Per run: its group and where it starts in `rowsByGroup` (`runStart[runs]` = rows). */
  private runGroup = new Int32Array(AGGR_SRC_BATCH_SIZE);
  private runStart = new Int32Array(AGGR_SRC_BATCH_SIZE + 1);

  /**
   * Orders the batch's `n` logical rows by group (a stable counting sort over the groups met) into
   * `rowsByGroup`, with one run per group; returns the number of runs, or 0 when the batch has so
   * many groups (more than n / 8) that row-by-row updates are cheaper.
   */
  private groupRuns(n: number): number {
    if (n === 0) return 0;
    const groupOfRow = this.groupOfRow;
    if (this.runOfGroup.length < this.groupCount) {
      const grown = new Int32Array(Math.max(this.groupCount, this.runOfGroup.length * 2));
      grown.fill(-1);
      this.runOfGroup = grown;
    }
    if (this.rowsByGroup.length < n) {
      this.rowsByGroup = new Uint32Array(n);
      this.physicalRows = new Uint32Array(n);
      this.runGroup = new Int32Array(n);
      this.runStart = new Int32Array(n + 1);
    }
    const runOfGroup = this.runOfGroup;
    const runGroup = this.runGroup;
    const runStart = this.runStart;
    const limit = n >>> 3;
    let runs = 0;
    for (let k = 0; k < n; k++) {
      const g = groupOfRow[k]!;
      let r = runOfGroup[g]!;
      if (r < 0) {
        if (runs >= limit) {
          for (let j = 0; j < runs; j++) runOfGroup[runGroup[j]!] = -1;
          return 0;
        }
        r = runs++;
        runOfGroup[g] = r;
        runGroup[r] = g;
        runStart[r] = 0;
      }
      runStart[r]!++;
    }
    // Counts to starts, then place the rows.
    let at = 0;
    for (let j = 0; j < runs; j++) {
      const c = runStart[j]!;
      runStart[j] = at;
      at += c;
    }
    runStart[runs] = at;
    const next = this.physicalRows; // scratch for the fill positions
    for (let j = 0; j < runs; j++) next[j] = runStart[j]!;
    const byGroup = this.rowsByGroup;
    for (let k = 0; k < n; k++) byGroup[next[runOfGroup[groupOfRow[k]!]!]!++] = k;
    for (let j = 0; j < runs; j++) runOfGroup[runGroup[j]!] = -1;
    return runs;
  }

  /** Packed key codes of the batch's rows (see `groupsByCode`). */
  private codes = new Float64Array(AGGR_SRC_BATCH_SIZE);
  private readonly codeGroups = new CodeGroupMap();

  /**
   * Fills `groupOfRow` by the rows' packed key codes when every group-by column has them for this
   * batch (small integers, short byte-ordered strings): one number per row instead of a hash and
   * a key comparison per column. A code met for the first time finds (or makes) its group the
   * general way, so both ways agree on the groups. False when the keys have no codes.
   */
  private groupsByCode(n: number): boolean {
    const keys = this.keys;
    let bits = 0;
    for (let i = 0; i < keys.length; i++) {
      const b = keys[i]!.packBits();
      if (b === 0) return false;
      bits += b;
    }
    if (bits > 52) return false;
    if (this.codes.length < n) this.codes = new Float64Array(n);
    const codes = this.codes;
    codes.fill(0, 0, n);
    let mul = 1;
    for (let i = 0; i < keys.length; i++) {
      if (!keys[i]!.packInto(codes, n, mul)) return false;
      mul *= 2 ** keys[i]!.packBits();
    }
    const map = this.codeGroups;
    const groupOfRow = this.groupOfRow;
    for (let k = 0; k < n; k++) {
      const code = codes[k]!;
      let g = map.get(code);
      if (g < 0) {
        g = this.groupOf(k);
        map.set(code, g);
      }
      groupOfRow[k] = g;
    }
    return true;
  }

  /** The group of logical row `k` of the bound batch, by hash and key comparison; made if new. */
  private groupOf(k: number): number {
    const keys = this.keys;
    const table = this.table;
    let h: number;
    if (keys.length === 1) h = keys[0]!.hashAt(k);
    else {
      h = 0x9e3779b9;
      for (let i = 0; i < keys.length; i++) h = mixHash(h, keys[i]!.hashAt(k));
    }
    let slot = table.firstSlot(h);
    let g = table.groupAt(slot);
    while (g >= 0) {
      if (table.hashAt(slot) === h && this.keyEquals(g, k)) return g;
      slot = table.nextSlot(slot);
      g = table.groupAt(slot);
    }
    g = this.groupCount++;
    for (let i = 0; i < keys.length; i++) keys[i]!.pushAt(k);
    this.pushNewStates(this.states);
    table.insertAt(slot, h, g);
    return g;
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
