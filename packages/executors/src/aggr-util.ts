// What simple, hash and stream aggregation share. Behaviour of TiKV
// components/tidb_query_executors/src/util/aggr_executor.rs (`AggregationExecutor`, `Entities`,
// `AggregationExecutorImpl`): the aggregates are parsed once over the child's schema; every call
// pulls one child batch, feeds it to the implementation and, once the child is drained (or the
// implementation has complete groups), builds the output — the partial results of every aggregate,
// in order, then the group-by columns.
//
// It also holds the group keys of hash and stream aggregation (`GroupKeyColumn`): one store per
// group-by expression, keeping each group's key in typed arrays and comparing a row of the current
// batch with a stored key the way TiKV's group maps do (strings by their collation, NULL equal to
// NULL, numbers and times by value).

import { type AggrFunction, type AggrFunctionState, parseAggr } from "@copr/aggr";
import {
  assert,
  type ChunkedVecIntBuilder,
  Collation,
  type Collator,
  type Column,
  type ColumnBuilder,
  collationOf,
  collatorFor,
  columnBuilderFor,
  DECIMAL_CHUNK_WORDS,
  Decimal,
  type EvalConfig,
  EvalContext,
  EvalType,
  EvalWarnings,
  emptyColumn,
  evalTypeOf,
  type FieldType,
  isBinCollation,
  type LogicalRows,
  logicalRowCount,
  UnsupportedError,
} from "@copr/datatype";
import {
  buildRpn,
  type EvalResult,
  ExprError,
  type ExprLike,
  evalRpn,
  type RpnExpression,
  type RpnFnMeta,
} from "@copr/expr";
import {
  type BatchExecuteResult,
  type BatchExecutor,
  Drain,
  type ExecuteStats,
  type IntervalRange,
} from "./interface.js";

/** The batch size aggregation asks its child for (TiKV `runner::BATCH_MAX_SIZE`). */
export const AGGR_SRC_BATCH_SIZE = 1024;

/** Options shared by the aggregation executors. */
export interface AggregationOptions {
  /** The evaluation settings (TiKV `EvalConfig`): flags, sql mode, time zone. */
  config?: Partial<EvalConfig>;
  /**
   * TiKV `EvalConfig.paging_size`: with a page size, the executor stops reading its child once it
   * has that many groups and reports {@link Drain.PagingDrain}. Default: no paging.
   */
  pagingSize?: number | null;
  /** Finds scalar functions of the expressions; default: the `@copr/expr` registry. */
  lookup?: (sig: number) => RpnFnMeta | undefined;
}

/** The result field type of `expr` over `schema` (TiKV `RpnExpression::ret_field_type`). */
export function retFieldType(expr: RpnExpression, schema: readonly FieldType[]): FieldType {
  const last = expr.nodes[expr.nodes.length - 1];
  assert(last !== undefined, "an empty RPN expression");
  switch (last.kind) {
    case "column": {
      const ft = schema[last.offset];
      assert(ft !== undefined, `column offset ${last.offset} outside the schema`);
      return ft;
    }
    case "constant":
    case "call":
      return last.fieldType;
  }
}

/** Builds the group-by expressions over the child's schema (TiKV `build_from_expr_tree`). */
export function buildGroupBy(
  defs: readonly ExprLike[],
  ctx: EvalContext,
  schemaLength: number,
  lookup: AggregationOptions["lookup"],
): RpnExpression[] {
  return defs.map((def) => buildRpn(def, { schemaLength, ctx, ...(lookup ? { lookup } : {}) }));
}

/** Checks a group-by expression tree without a schema (TiKV `check_expr_tree_supported`). */
export function checkExprTreeSupported(def: ExprLike): void {
  buildRpn(def, { schemaLength: Number.MAX_SAFE_INTEGER });
}

/** The aggregates of an executor, parsed once (TiKV `Entities`). */
export interface AggrEntities {
  readonly src: BatchExecutor;
  /** The evaluation context of the batches; its warnings are the current batch's. */
  readonly ctx: EvalContext;
  /** Output schema: the partial-result columns of every aggregate, then the group-by columns. */
  readonly schema: readonly FieldType[];
  readonly fns: readonly AggrFunction[];
  readonly exprs: readonly RpnExpression[];
  /** The number of partial-result columns of each aggregate (AVG: 2). */
  readonly cardinality: readonly number[];
  /** The field types of all partial-result columns, in order. */
  readonly resultFieldTypes: readonly FieldType[];
}

function parseEntities(
  src: BatchExecutor,
  aggrDefs: readonly ExprLike[],
  options: AggregationOptions,
  groupByFieldTypes: readonly FieldType[],
): AggrEntities {
  const srcSchema = src.schema();
  // TiKV parses with a context of its own and evaluates with another one.
  const parseCtx = new EvalContext(options.config ?? {});
  const fns: AggrFunction[] = [];
  const exprs: RpnExpression[] = [];
  const cardinality: number[] = [];
  const resultFieldTypes: FieldType[] = [];
  const lookup = options.lookup;
  for (const def of aggrDefs) {
    const parsed = parseAggr(def, parseCtx, srcSchema, lookup ? { lookup } : {});
    assert(parsed.fieldTypes.length > 0, `${parsed.fn.name} has no partial-result column`);
    fns.push(parsed.fn);
    exprs.push(parsed.expr);
    cardinality.push(parsed.fieldTypes.length);
    resultFieldTypes.push(...parsed.fieldTypes);
  }
  return {
    src,
    ctx: new EvalContext(options.config ?? {}),
    schema: [...resultFieldTypes, ...groupByFieldTypes],
    fns,
    exprs,
    cardinality,
    resultFieldTypes,
  };
}

/** The input of one child batch, evaluated against. */
export interface AggrInput {
  readonly columns: readonly Column[];
  readonly logicalRows: LogicalRows;
  /** The number of logical rows (at least 1: empty batches are not processed). */
  readonly rowCount: number;
}

/**
 * The base of the aggregation executors (TiKV `AggregationExecutor` with its
 * `AggregationExecutorImpl`). A subclass says how rows become groups; this class drives the child,
 * paging, warnings and the output layout.
 *
 * Each `nextBatch` reads one batch of the child (always asking for {@link AGGR_SRC_BATCH_SIZE}
 * rows, as TiKV does) and returns either nothing (no rows, `Remain`) or the groups that are
 * complete. An error thrown while processing ends the executor.
 */
export abstract class AggregationExecutor implements BatchExecutor {
  protected readonly entities: AggrEntities;
  /** Remaining rows of the page (TiKV `required_row`), or null without paging. */
  private requiredRow: number | null;
  private ended = false;
  /** Set once the child has stopped; the output may still take several calls (hash aggregation). */
  private srcStopped: Drain | null = null;
  private readonly emptyColumns: Column[];

  protected constructor(
    src: BatchExecutor,
    aggrDefs: readonly ExprLike[],
    groupByFieldTypes: readonly FieldType[],
    options: AggregationOptions,
  ) {
    this.entities = parseEntities(src, aggrDefs, options, groupByFieldTypes);
    this.requiredRow = options.pagingSize ?? null;
    this.emptyColumns = this.entities.schema.map((ft) => emptyColumn(ft));
  }

  /** Feeds one non-empty child batch into the states (TiKV `process_batch_input`). */
  protected abstract processBatchInput(input: AggrInput): void;

  /** The number of groups so far, the incomplete one included (TiKV `groups_len`). */
  protected abstract groupsLen(): number;

  /**
   * Whether complete groups can be output before the child is drained (TiKV
   * `is_partial_results_ready`): only stream aggregation can.
   */
  protected abstract isPartialResultsReady(): boolean;

  /**
   * Pushes the available groups (TiKV `iterate_available_groups`): for each group, the partial
   * results of its states through `pushStates`, and its key onto `groupByBuilders` (one per
   * group-by column). `srcStopped` says whether the child is drained. Returns true when more groups
   * remain to be output by later calls (hash aggregation emits at most `maxGroups` per call).
   */
  protected abstract iterateAvailableGroups(
    srcStopped: boolean,
    maxGroups: number,
    pushStates: (states: readonly AggrFunctionState[], offset: number) => void,
    groupByBuilders: readonly ColumnBuilder[],
  ): boolean;

  /** The most groups one output batch holds (hash aggregation); unbounded by default. */
  protected maxGroupsPerBatch(): number {
    return Number.POSITIVE_INFINITY;
  }

  schema(): readonly FieldType[] {
    return this.entities.schema;
  }

  nextBatch(_scanRows: number): BatchExecuteResult {
    assert(!this.ended, "nextBatch called after the aggregation ended");
    try {
      return this.handleNextBatch();
    } catch (e) {
      this.ended = true;
      throw e;
    }
  }

  private handleNextBatch(): BatchExecuteResult {
    const { ctx } = this.entities;
    if (this.srcStopped !== null) {
      // The child is drained and earlier calls already output part of the groups.
      return this.output(this.srcStopped, null);
    }
    const r = this.entities.src.nextBatch(AGGR_SRC_BATCH_SIZE);
    ctx.warnings = r.warnings ?? new EvalWarnings(ctx.maxWarningCount);
    let drained = r.isDrained;
    const physical = r.columns.length > 0 ? r.columns[0]!.length : 0;
    const rowCount = logicalRowCount(r.logicalRows, physical);
    if (rowCount > 0) this.processBatchInput({ columns: r.columns, logicalRows: r.logicalRows, rowCount });

    if (this.requiredRow !== null) {
      const groups = this.groupsLen();
      if (groups >= this.requiredRow) drained = Drain.PagingDrain;
      // Stream aggregation outputs all but the last group now: the page needs that many fewer.
      if (drained === Drain.Remain && this.isPartialResultsReady()) {
        this.requiredRow = this.requiredRow + 1 - groups;
      }
    }
    if (drained !== Drain.Remain) {
      this.srcStopped = drained;
      return this.output(drained, null);
    }
    if (this.isPartialResultsReady()) return this.output(Drain.Remain, false);
    return this.emptyResult(Drain.Remain);
  }

  /**
   * Builds an output batch of the available groups (TiKV `aggregate_partial_results`). With the
   * child stopped (`stopped` not Remain), groups may span several calls; the stop is reported
   * with the last of them.
   */
  private output(stopped: Drain, srcStoppedOverride: boolean | null): BatchExecuteResult {
    const { ctx, resultFieldTypes, cardinality } = this.entities;
    const srcStopped = srcStoppedOverride ?? stopped !== Drain.Remain;
    const resultBuilders = resultFieldTypes.map((ft) => columnBuilderFor(ft));
    const groupByFieldTypes = this.entities.schema.slice(resultFieldTypes.length);
    const groupByBuilders = groupByFieldTypes.map((ft) => columnBuilderFor(ft));
    const slices: ColumnBuilder[][] = [];
    let off = 0;
    for (const c of cardinality) {
      slices.push(resultBuilders.slice(off, off + c));
      off += c;
    }
    const more = this.iterateAvailableGroups(
      srcStopped,
      this.maxGroupsPerBatch(),
      (states, offset) => {
        for (let i = 0; i < slices.length; i++) states[offset + i]!.pushResult(ctx, slices[i]!);
      },
      groupByBuilders,
    );
    const columns = [...resultBuilders, ...groupByBuilders].map((b) => b.finish());
    const rows = columns.length > 0 ? columns[0]!.length : 0;
    for (const c of columns) assert(c.length === rows, "aggregation output columns of different lengths");
    const isDrained = more ? Drain.Remain : stopped;
    if (isDrained !== Drain.Remain) this.ended = true;
    return { columns, logicalRows: null, warnings: this.takeWarnings(), isDrained };
  }

  private emptyResult(isDrained: Drain): BatchExecuteResult {
    return { columns: this.emptyColumns, logicalRows: null, warnings: this.takeWarnings(), isDrained };
  }

  private takeWarnings(): EvalWarnings | null {
    const w = this.entities.ctx.takeWarnings();
    return w.count === 0 ? null : w;
  }

  collectExecStats(dest: ExecuteStats): void {
    this.entities.src.collectExecStats(dest);
  }

  takeScannedRange(): IntervalRange {
    return this.entities.src.takeScannedRange();
  }

  canBeCached(): boolean {
    return this.entities.src.canBeCached();
  }

  /** Fresh states of every aggregate, appended to `states` (a new group). */
  protected pushNewStates(states: AggrFunctionState[]): void {
    for (const fn of this.entities.fns) states.push(fn.createState());
  }

  /** Evaluates every aggregate's argument over `input`. */
  protected evalAggrArgs(input: AggrInput): EvalResult[] {
    const { ctx, exprs, src } = this.entities;
    const schema = src.schema();
    return exprs.map((e) =>
      evalRpn(e, ctx, { schema, columns: input.columns, logicalRows: input.logicalRows }),
    );
  }

  /** Evaluates `exprs` (group-by expressions) over `input`. */
  protected evalExprs(exprs: readonly RpnExpression[], input: AggrInput): EvalResult[] {
    const { ctx, src } = this.entities;
    const schema = src.schema();
    return exprs.map((e) =>
      evalRpn(e, ctx, { schema, columns: input.columns, logicalRows: input.logicalRows }),
    );
  }
}

/** The error of a descriptor that an aggregation executor cannot take (TiKV `other_err!`). */
export function aggrDescriptorError(message: string): ExprError {
  return new ExprError(message);
}

// -------------------------------------------------------------------------------------------------
// Group keys.

/** The hash of a NULL key. */
const NULL_HASH = 0x6b43a9b5;

/** A 32-bit mix step (murmur3's finaliser over a running hash). */
export function mixHash(h: number, v: number): number {
  let k = Math.imul(v | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finishHash(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

function hashBytes(data: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 ^ (end - start);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    h = mixHash(h, data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
  }
  let tail = 0;
  for (let s = 0; i < end; i++, s += 8) tail |= data[i]! << s;
  return finishHash(mixHash(h, tail));
}

function grownU32(a: Uint32Array<ArrayBuffer>, need: number): Uint32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Uint32Array(Math.max(need, a.length * 2, 16));
  b.set(a);
  return b;
}
function grownI32(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2, 16));
  b.set(a);
  return b;
}
function grownF64(a: Float64Array<ArrayBuffer>, need: number): Float64Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Float64Array(Math.max(need, a.length * 2, 16));
  b.set(a);
  return b;
}
function grownU8(a: Uint8Array<ArrayBuffer>, need: number): Uint8Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Uint8Array(Math.max(need, a.length * 2, 64));
  b.set(a);
  return b;
}

const TWO_32 = 4_294_967_296;
const f64Scratch = new Float64Array(1);
const f64Words = new Uint32Array(f64Scratch.buffer);

/**
 * The keys of one group-by column: one stored key per group, in group order, and the operations
 * a group map needs on the rows of the current batch (bound with {@link bind}): a hash, an
 * equality with a stored key, and storing a row as a new group's key. Keys are kept as the first
 * row of the group had them (TiKV outputs the first value seen: under `utf8mb4_general_ci` the
 * group of `'a'` and `'A'` is output as whichever came first).
 *
 * Equality is TiKV's: NULL equals NULL; integers, doubles (0 = −0), decimals (1.5 = 1.50),
 * durations and ENUM/SET members by value; DATE/DATETIME/TIMESTAMP by their fields (fsp and type
 * ignored); strings by the collation of the group-by field type; JSON and vectors by their bytes.
 */
export abstract class GroupKeyColumn {
  /** Stored keys (groups). */
  protected n = 0;
  /** 1 where the stored key is NULL. */
  protected nulls = new Uint8Array(16);
  /** The bound column and logical rows (a scalar is bound as a one-row column). */
  protected col!: Column;
  protected rows: LogicalRows = null;
  protected scalar = false;

  constructor(readonly fieldType: FieldType) {}

  /** The number of stored keys. */
  get length(): number {
    return this.n;
  }

  /** Binds the evaluated group-by expression of the current batch. */
  bind(result: EvalResult): void {
    if (result.kind === "scalar") {
      const b = columnBuilderFor(this.fieldType, 1);
      appendValue(b, result.value);
      this.col = b.finish();
      this.scalar = true;
      this.rows = null;
    } else {
      this.col = result.column;
      this.scalar = false;
      this.rows = result.rows;
    }
    assert(
      this.col.evalType === evalTypeOf(this.fieldType),
      `group-by column of eval type ${this.col.evalType}, field type says ${evalTypeOf(this.fieldType)}`,
    );
    this.bound();
  }

  /** Called after {@link bind} to cache views of the column. */
  protected abstract bound(): void;

  /** The physical row of logical row `k`. */
  protected rowOf(k: number): number {
    if (this.scalar) return 0;
    const r = this.rows;
    return r === null ? k : r[k]!;
  }

  /** The hash of logical row `k`'s key. */
  hashAt(k: number): number {
    const p = this.rowOf(k);
    return this.col.isNull(p) ? NULL_HASH : this.hashRow(p);
  }

  /** Whether logical row `k` has the key of group `g`. */
  equalsAt(g: number, k: number): boolean {
    const p = this.rowOf(k);
    const rowNull = this.col.isNull(p);
    if (this.nulls[g] === 1 || rowNull) return this.nulls[g] === 1 && rowNull;
    return this.equalsRow(g, p);
  }

  /** Stores logical row `k`'s key as the key of a new group (index {@link length}). */
  pushAt(k: number): void {
    const p = this.rowOf(k);
    const g = this.n++;
    this.nulls = grownU8(this.nulls, this.n);
    if (this.col.isNull(p)) {
      this.nulls[g] = 1;
      this.storeNull(g);
    } else {
      this.nulls[g] = 0;
      this.storeRow(g, p);
    }
  }

  /** Appends the keys of groups `from .. to - 1` to `b` (a builder of the field type). */
  output(b: ColumnBuilder, from: number, to: number): void {
    for (let g = from; g < to; g++) {
      if (this.nulls[g] === 1) b.appendNull();
      else this.outputKey(b, g);
    }
  }

  /** Keeps only the keys of groups `from ..` (renumbered from 0). */
  retainFrom(from: number): void {
    assert(from >= 0 && from <= this.n, "retainFrom outside the stored keys");
    const kept = this.n - from;
    this.moveKeys(from, kept);
    this.nulls.copyWithin(0, from, this.n);
    this.n = kept;
  }

  /** Drops every stored key. */
  clear(): void {
    this.retainFrom(this.n);
  }

  /**
   * The bits of this column's packed key codes (see {@link packInto}), or 0 when its keys have
   * none (the default).
   */
  packBits(): number {
    return 0;
  }

  /**
   * Adds `code(k) * mul` to `codes[k]` for the bound batch's first `n` logical rows, where
   * `code(k)`, below 2^{@link packBits}, is equal for two rows exactly when their keys are equal
   * (NULL included): small keys as small integers, so that a group can be found by one number.
   * Returns false, leaving `codes` partly written, when a row's key has no such code.
   */
  packInto(_codes: Float64Array, _n: number, _mul: number): boolean {
    return false;
  }

  protected abstract hashRow(p: number): number;
  protected abstract equalsRow(g: number, p: number): boolean;
  protected abstract storeRow(g: number, p: number): void;
  /** Stores placeholder slots of a NULL key (fixed-width stores keep their arrays aligned). */
  protected abstract storeNull(g: number): void;
  protected abstract outputKey(b: ColumnBuilder, g: number): void;
  /** Moves the keys of groups `from .. from + count - 1` to `0 .. count - 1`. */
  protected abstract moveKeys(from: number, count: number): void;
}

/** Keys held as two 32-bit words: integers (the 64-bit pattern), DATETIME layouts, SET masks. */
abstract class WordPairKeys extends GroupKeyColumn {
  protected words = new Uint32Array(32);
  /** Mask applied to the low word before hashing and comparing (DATETIME: the fsp/type bits). */
  protected lowMask = 0xffffffff;

  protected abstract loOf(p: number): number;
  protected abstract hiOf(p: number): number;

  protected hashRow(p: number): number {
    return finishHash(mixHash(mixHash(0x3c6ef372, (this.loOf(p) & this.lowMask) | 0), this.hiOf(p)));
  }
  protected equalsRow(g: number, p: number): boolean {
    const w = this.words;
    return (
      ((w[2 * g]! & this.lowMask) | 0) === ((this.loOf(p) & this.lowMask) | 0) &&
      w[2 * g + 1] === this.hiOf(p)
    );
  }
  protected storeRow(g: number, p: number): void {
    this.words = grownU32(this.words, 2 * g + 2);
    this.words[2 * g] = this.loOf(p);
    this.words[2 * g + 1] = this.hiOf(p);
  }
  protected storeNull(g: number): void {
    this.words = grownU32(this.words, 2 * g + 2);
    this.words[2 * g] = 0;
    this.words[2 * g + 1] = 0;
  }
  protected moveKeys(from: number, count: number): void {
    this.words.copyWithin(0, 2 * from, 2 * (from + count));
  }
}

class IntKeys extends WordPairKeys {
  private f64: Float64Array | null = null;
  private w32: Uint32Array | null = null;

  protected bound(): void {
    const c = this.col;
    assert(c.evalType === EvalType.Int, "IntKeys over a non-Int column");
    if (c.data.repr === "f64") {
      this.f64 = c.data.values;
      this.w32 = null;
    } else {
      const v = c.data.values;
      this.f64 = null;
      this.w32 = new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
    }
  }
  protected loOf(p: number): number {
    if (this.f64 !== null) {
      const v = this.f64[p]!;
      return (v - Math.floor(v / TWO_32) * TWO_32) >>> 0;
    }
    return this.w32![2 * p]!;
  }
  protected hiOf(p: number): number {
    if (this.f64 !== null) return Math.floor(this.f64[p]! / TWO_32) >>> 0;
    return this.w32![2 * p + 1]!;
  }
  /** Codes of integers in [-2^23, 2^23): 1 + v + 2^23 (0 is NULL). */
  override packBits(): number {
    return 25;
  }
  override packInto(codes: Float64Array, n: number, mul: number): boolean {
    const v = this.f64;
    if (v === null) return false;
    const c = this.col;
    const rows = this.scalar ? null : this.rows;
    const nulls = c.nullCount > 0;
    for (let k = 0; k < n; k++) {
      const p = this.scalar ? 0 : rows === null ? k : rows[k]!;
      let code = 0;
      if (!nulls || !c.isNull(p)) {
        const x = v[p]!;
        if (!(x >= -0x80_0000 && x < 0x80_0000)) return false;
        code = 0x80_0001 + x;
      }
      codes[k]! += code * mul;
    }
    return true;
  }
  protected outputKey(b: ColumnBuilder, g: number): void {
    const lo = this.words[2 * g]!;
    const hi = this.words[2 * g + 1]!;
    const ib = b as ChunkedVecIntBuilder;
    const v = (ib.unsigned ? hi : hi | 0) * TWO_32 + lo;
    if (Number.isSafeInteger(v)) ib.append(v);
    else ib.append((BigInt(hi) << 32n) | BigInt(lo));
  }
}

class DateTimeKeys extends WordPairKeys {
  protected override lowMask = 0xfffffff0;
  private w: Uint32Array | null = null;
  protected bound(): void {
    assert(this.col.evalType === EvalType.DateTime, "DateTimeKeys over another column");
    this.w = this.col.words;
  }
  protected loOf(p: number): number {
    return this.w![2 * p]!;
  }
  protected hiOf(p: number): number {
    return this.w![2 * p + 1]!;
  }
  protected outputKey(b: ColumnBuilder, g: number): void {
    (b as { appendWords(lo: number, hi: number): void }).appendWords(
      this.words[2 * g]!,
      this.words[2 * g + 1]!,
    );
  }
}

class SetKeys extends WordPairKeys {
  private w: Uint32Array | null = null;
  protected bound(): void {
    assert(this.col.evalType === EvalType.Set, "SetKeys over another column");
    this.w = this.col.words;
  }
  protected loOf(p: number): number {
    return this.w![2 * p]!;
  }
  protected hiOf(p: number): number {
    return this.w![2 * p + 1]!;
  }
  protected outputKey(b: ColumnBuilder, g: number): void {
    (b as { appendWords(lo: number, hi: number): void }).appendWords(
      this.words[2 * g]!,
      this.words[2 * g + 1]!,
    );
  }
}

/** DOUBLE (0 and −0 are one key) and TIME nanoseconds: one double per key. */
class NumberKeys extends GroupKeyColumn {
  private keys = new Float64Array(16);
  private v: Float64Array | null = null;

  protected bound(): void {
    const c = this.col;
    if (c.evalType === EvalType.Real) this.v = c.values;
    else if (c.evalType === EvalType.Duration) this.v = c.nanos;
    else assert(false, "NumberKeys over another column");
  }
  protected hashRow(p: number): number {
    f64Scratch[0] = this.v![p]! + 0; // −0 → +0
    return finishHash(mixHash(mixHash(0x1b873593, f64Words[0]!), f64Words[1]!));
  }
  protected equalsRow(g: number, p: number): boolean {
    return this.keys[g] === this.v![p];
  }
  protected storeRow(g: number, p: number): void {
    this.keys = grownF64(this.keys, g + 1);
    this.keys[g] = this.v![p]! + 0;
  }
  protected storeNull(g: number): void {
    this.keys = grownF64(this.keys, g + 1);
    this.keys[g] = 0;
  }
  protected outputKey(b: ColumnBuilder, g: number): void {
    const k = this.keys[g]!;
    if ("appendNanos" in b) b.appendNanos(k);
    else (b as { append(v: number): void }).append(k);
  }
  protected moveKeys(from: number, count: number): void {
    this.keys.copyWithin(0, from, from + count);
  }
}

class EnumKeys extends GroupKeyColumn {
  private keys = new Uint32Array(16);
  private v: Uint32Array | null = null;
  protected bound(): void {
    assert(this.col.evalType === EvalType.Enum, "EnumKeys over another column");
    this.v = this.col.values;
  }
  protected hashRow(p: number): number {
    return finishHash(mixHash(0x5bd1e995, this.v![p]!));
  }
  protected equalsRow(g: number, p: number): boolean {
    return this.keys[g] === this.v![p];
  }
  protected storeRow(g: number, p: number): void {
    this.keys = grownU32(this.keys, g + 1);
    this.keys[g] = this.v![p]!;
  }
  protected storeNull(g: number): void {
    this.keys = grownU32(this.keys, g + 1);
    this.keys[g] = 0;
  }
  protected outputKey(b: ColumnBuilder, g: number): void {
    (b as { appendIndex(i: number): void }).appendIndex(this.keys[g]!);
  }
  protected moveKeys(from: number, count: number): void {
    this.keys.copyWithin(0, from, from + count);
  }
}

/**
 * DECIMAL keys, compared by value: a key is reduced to its significant words (leading zero
 * integer words and trailing zero fraction words dropped), the count of integer words left and
 * the sign — the form TiKV's `Hash for Decimal` covers — so `1.5` and `1.50` are one key. Keys are
 * stored as their 10-word chunk layout.
 */
class DecimalKeys extends GroupKeyColumn {
  private keys = new Int32Array(16 * DECIMAL_CHUNK_WORDS);
  private w: Int32Array | null = null;

  protected bound(): void {
    assert(this.col.evalType === EvalType.Decimal, "DecimalKeys over another column");
    this.w = this.col.words;
  }
  protected hashRow(p: number): number {
    return decimalHash(this.w!, p * DECIMAL_CHUNK_WORDS);
  }
  protected equalsRow(g: number, p: number): boolean {
    return decimalEquals(this.keys, g * DECIMAL_CHUNK_WORDS, this.w!, p * DECIMAL_CHUNK_WORDS);
  }
  protected storeRow(g: number, p: number): void {
    this.keys = grownI32(this.keys, (g + 1) * DECIMAL_CHUNK_WORDS);
    const off = p * DECIMAL_CHUNK_WORDS;
    this.keys.set(this.w!.subarray(off, off + DECIMAL_CHUNK_WORDS), g * DECIMAL_CHUNK_WORDS);
  }
  protected storeNull(g: number): void {
    this.keys = grownI32(this.keys, (g + 1) * DECIMAL_CHUNK_WORDS);
    this.keys.fill(0, g * DECIMAL_CHUNK_WORDS, (g + 1) * DECIMAL_CHUNK_WORDS);
  }
  protected outputKey(b: ColumnBuilder, g: number): void {
    (b as { append(d: Decimal): void }).append(Decimal.readWords(this.keys, g * DECIMAL_CHUNK_WORDS));
  }
  protected moveKeys(from: number, count: number): void {
    this.keys.copyWithin(0, from * DECIMAL_CHUNK_WORDS, (from + count) * DECIMAL_CHUNK_WORDS);
  }
}

/** The significant words of a decimal in chunk layout: [start, end] word indexes, int words, sign. */
function decimalCanon(w: Int32Array, off: number, out: Int32Array): void {
  const head = w[off]!;
  const intCnt = head & 0xff;
  const fracCnt = (head >>> 8) & 0xff;
  const negative = head >>> 24 !== 0;
  const intW = Math.ceil(intCnt / 9);
  const fracW = Math.ceil(fracCnt / 9);
  let start = 0;
  while (start < intW && w[off + 1 + start] === 0) start++;
  let end = intW + fracW - 1;
  while (start <= end && w[off + 1 + end] === 0) end--;
  out[0] = start;
  out[1] = end;
  out[2] = intW - start;
  out[3] = negative && start <= end ? 1 : 0;
}

const canonA = new Int32Array(4);
const canonB = new Int32Array(4);

function decimalHash(w: Int32Array, off: number): number {
  decimalCanon(w, off, canonA);
  let h = mixHash(0x2545f491, canonA[2]!);
  for (let i = canonA[0]!; i <= canonA[1]!; i++) h = mixHash(h, w[off + 1 + i]!);
  return finishHash(mixHash(h, canonA[3]!));
}

function decimalEquals(a: Int32Array, aOff: number, b: Int32Array, bOff: number): boolean {
  decimalCanon(a, aOff, canonA);
  decimalCanon(b, bOff, canonB);
  const len = canonA[1]! - canonA[0]!;
  if (canonA[2] !== canonB[2] || canonA[3] !== canonB[3] || len !== canonB[1]! - canonB[0]!) return false;
  for (let i = 0; i <= len; i++) {
    if (a[aOff + 1 + canonA[0]! + i] !== b[bOff + 1 + canonB[0]! + i]) return false;
  }
  return true;
}

/**
 * Byte-string keys: strings under their collation (compared and hashed by the collator, so
 * `'a'` and `'A'` are one key under `utf8mb4_general_ci`, `'a '` and `'a'` under PAD SPACE
 * collations), JSON and vectors by their bytes. Keys are kept in one byte arena.
 */
class BytesKeys extends GroupKeyColumn {
  private arena = new Uint8Array(256);
  private offsets = new Int32Array(17);
  private data: Uint8Array | null = null;
  private rowOffsets: Int32Array | null = null;
  /** Element width of the bound column's offsets (4 for vectors of float32). */
  private scale = 1;
  private readonly collator: Collator | null;
  private readonly validate: boolean;
  /**
   * The `_bin` collations and utf8mb4_bin without padding order strings by their bytes (after
   * trimming trailing spaces under PAD SPACE): their keys are hashed and compared in place, with
   * no view per row.
   */
  private readonly byteOrder: boolean;
  private readonly padSpace: boolean;

  constructor(fieldType: FieldType) {
    super(fieldType);
    const et = evalTypeOf(fieldType);
    if (et === EvalType.Bytes) {
      const c = collationOf(fieldType);
      this.collator = c === Collation.Binary ? null : collatorFor(c);
      this.validate = this.collator !== null && this.collator.charset !== "binary";
      this.byteOrder = isBinCollation(c) || c === Collation.Utf8Mb4BinNoPadding;
      this.padSpace = this.collator?.padding === true;
    } else {
      this.collator = null;
      this.validate = false;
      this.byteOrder = false;
      this.padSpace = false;
    }
  }

  /**
   * Codes of keys of at most 2 bytes compared by their bytes (binary strings, `_bin` collations;
   * trailing spaces trimmed under PAD SPACE; ASCII only where UTF-8 is checked):
   * 1 + length * 2^16 + bytes (0 is NULL).
   */
  override packBits(): number {
    return this.collator === null || this.byteOrder ? 18 : 0;
  }
  override packInto(codes: Float64Array, n: number, mul: number): boolean {
    if (this.packBits() === 0) return false;
    const c = this.col;
    const data = this.data!;
    const offsets = this.rowOffsets!;
    const scale = this.scale;
    const rows = this.scalar ? null : this.rows;
    const nulls = c.nullCount > 0;
    const pad = this.padSpace;
    const ascii = this.validate;
    for (let k = 0; k < n; k++) {
      const p = this.scalar ? 0 : rows === null ? k : rows[k]!;
      let code = 0;
      if (!nulls || !c.isNull(p)) {
        const s = offsets[p]! * scale;
        let e = offsets[p + 1]! * scale;
        if (pad) while (e > s && data[e - 1] === 0x20) e--;
        const len = e - s;
        if (len > 2) return false;
        const b0 = len > 0 ? data[s]! : 0;
        const b1 = len > 1 ? data[s + 1]! : 0;
        if (ascii && (b0 | b1) >= 0x80) return false;
        code = 1 + len * 65_536 + b0 * 256 + b1;
      }
      codes[k]! += code * mul;
    }
    return true;
  }

  /** The end of `data[s..e)` without trailing spaces under PAD SPACE. */
  private trimmedEnd(data: Uint8Array, s: number, e: number): number {
    if (this.padSpace) while (e > s && data[e - 1] === 0x20) e--;
    return e;
  }

  /** As the collator's `validate` on `data[s..e)`, with no view for ASCII (always valid). */
  private validateRange(data: Uint8Array, s: number, e: number): void {
    for (let i = s; i < e; i++) {
      if (data[i]! >= 0x80) {
        this.collator!.validate(data.subarray(s, e));
        return;
      }
    }
  }

  protected bound(): void {
    const c = this.col;
    if (c.evalType === EvalType.Bytes || c.evalType === EvalType.Json) {
      this.data = c.data;
      this.rowOffsets = c.offsets;
      this.scale = 1;
    } else if (c.evalType === EvalType.VectorFloat32) {
      this.data = new Uint8Array(c.data.buffer, c.data.byteOffset, c.data.byteLength);
      this.rowOffsets = c.offsets;
      this.scale = 4;
    } else {
      assert(false, "BytesKeys over another column");
    }
  }
  private startOf(p: number): number {
    return this.rowOffsets![p]! * this.scale;
  }
  private endOf(p: number): number {
    return this.rowOffsets![p + 1]! * this.scale;
  }
  protected hashRow(p: number): number {
    const s = this.startOf(p);
    const e = this.endOf(p);
    if (this.collator === null) return hashBytes(this.data!, s, e);
    if (this.byteOrder) {
      // TiKV builds the sort key of every row, which fails on malformed UTF-8.
      if (this.validate) this.validateRange(this.data!, s, e);
      return hashBytes(this.data!, s, this.trimmedEnd(this.data!, s, e));
    }
    const v = this.data!.subarray(s, e);
    // TiKV builds the sort key of every row, which fails on malformed UTF-8.
    if (this.validate) this.collator.validate(v);
    return this.collator.hash(v) | 0;
  }
  protected equalsRow(g: number, p: number): boolean {
    const ks = this.offsets[g]!;
    const ke = this.offsets[g + 1]!;
    const s = this.startOf(p);
    const e = this.endOf(p);
    if (this.collator === null || this.byteOrder) {
      const a = this.arena;
      const d = this.data!;
      const ke2 = this.trimmedEnd(a, ks, ke);
      const e2 = this.trimmedEnd(d, s, e);
      if (ke2 - ks !== e2 - s) return false;
      for (let i = 0; i < e2 - s; i++) if (a[ks + i] !== d[s + i]) return false;
      return true;
    }
    return this.collator.compare(this.arena.subarray(ks, ke), this.data!.subarray(s, e)) === 0;
  }
  protected storeRow(g: number, p: number): void {
    const s = this.startOf(p);
    const e = this.endOf(p);
    const start = this.offsets[g]!;
    this.arena = grownU8(this.arena, start + e - s);
    this.arena.set(this.data!.subarray(s, e), start);
    this.offsets = grownI32(this.offsets, g + 2);
    this.offsets[g + 1] = start + e - s;
  }
  protected storeNull(g: number): void {
    this.offsets = grownI32(this.offsets, g + 2);
    this.offsets[g + 1] = this.offsets[g]!;
  }
  protected outputKey(b: ColumnBuilder, g: number): void {
    const key = this.arena.subarray(this.offsets[g]!, this.offsets[g + 1]!);
    if (evalTypeOf(this.fieldType) === EvalType.VectorFloat32) {
      (b as { append(v: ArrayLike<number>): void }).append(new Float32Array(key.slice().buffer));
    } else {
      (b as { append(v: Uint8Array): void }).append(key);
    }
  }
  protected moveKeys(from: number, count: number): void {
    const base = this.offsets[from]!;
    const end = this.offsets[from + count]!;
    this.arena.copyWithin(0, base, end);
    for (let i = 0; i <= count; i++) this.offsets[i] = this.offsets[from + i]! - base;
  }
}

/** A key store for a group-by expression of field type `ft`. */
export function groupKeyColumnFor(ft: FieldType): GroupKeyColumn {
  switch (evalTypeOf(ft)) {
    case EvalType.Int:
      return new IntKeys(ft);
    case EvalType.Real:
    case EvalType.Duration:
      return new NumberKeys(ft);
    case EvalType.Decimal:
      return new DecimalKeys(ft);
    case EvalType.Bytes:
    case EvalType.Json:
    case EvalType.VectorFloat32:
      return new BytesKeys(ft);
    case EvalType.DateTime:
      return new DateTimeKeys(ft);
    case EvalType.Enum:
      return new EnumKeys(ft);
    case EvalType.Set:
      return new SetKeys(ft);
  }
}

/** Appends a value of the builder's eval type as `@copr/expr` represents it (null: NULL). */
export function appendValue(b: ColumnBuilder, value: unknown): void {
  if (value === null || value === undefined) {
    b.appendNull();
    return;
  }
  (b as { append(v: unknown): void }).append(value);
}

/**
 * An open-addressing table from key hashes to group indexes. It stores no keys: the caller probes
 * with {@link firstSlot}/{@link nextSlot}, compares its own stored key of each candidate group,
 * and inserts at the empty slot it reached.
 */
export class GroupHashTable {
  /** group + 1 per slot; 0 = empty. */
  private slots = new Int32Array(64);
  private hashes = new Int32Array(64);
  private mask = 63;
  private size = 0;

  /** The first slot to probe for `hash`. */
  firstSlot(hash: number): number {
    return hash & this.mask;
  }
  /** The slot after `slot` in probe order. */
  nextSlot(slot: number): number {
    return (slot + 1) & this.mask;
  }
  /** The group in `slot`, or -1 if empty. */
  groupAt(slot: number): number {
    return this.slots[slot]! - 1;
  }
  /** The hash stored in `slot`. */
  hashAt(slot: number): number {
    return this.hashes[slot]!;
  }
  /** Puts `group` into the empty `slot` reached by probing `hash`. */
  insertAt(slot: number, hash: number, group: number): void {
    this.slots[slot] = group + 1;
    this.hashes[slot] = hash;
    if (++this.size * 2 > this.slots.length) this.grow();
  }

  private grow(): void {
    const oldSlots = this.slots;
    const oldHashes = this.hashes;
    const cap = oldSlots.length * 2;
    this.slots = new Int32Array(cap);
    this.hashes = new Int32Array(cap);
    this.mask = cap - 1;
    for (let i = 0; i < oldSlots.length; i++) {
      const g = oldSlots[i]!;
      if (g === 0) continue;
      const h = oldHashes[i]!;
      let s = h & this.mask;
      while (this.slots[s] !== 0) s = (s + 1) & this.mask;
      this.slots[s] = g;
      this.hashes[s] = h;
    }
  }

  /** Empties the table (keeps its capacity). */
  clear(): void {
    this.slots.fill(0);
    this.size = 0;
  }
}

/**
 * Groups by packed key code (see {@link GroupKeyColumn.packInto}): an open-addressing map from a
 * code (an integer below 2^52) to a group index.
 */
export class CodeGroupMap {
  private codes = new Float64Array(64);
  /** group + 1 per slot; 0 = empty. */
  private groups = new Int32Array(64);
  private mask = 63;
  private size = 0;

  /** The group of `code`, or -1. */
  get(code: number): number {
    const codes = this.codes;
    const groups = this.groups;
    let s = codeHash(code) & this.mask;
    for (;;) {
      const g = groups[s]!;
      if (g === 0) return -1;
      if (codes[s] === code) return g - 1;
      s = (s + 1) & this.mask;
    }
  }

  /** Records `group` for `code` (not present yet). */
  set(code: number, group: number): void {
    let s = codeHash(code) & this.mask;
    while (this.groups[s] !== 0) s = (s + 1) & this.mask;
    this.codes[s] = code;
    this.groups[s] = group + 1;
    if (++this.size * 2 > this.groups.length) this.grow();
  }

  private grow(): void {
    const codes = this.codes;
    const groups = this.groups;
    this.codes = new Float64Array(codes.length * 2);
    this.groups = new Int32Array(groups.length * 2);
    this.mask = this.groups.length - 1;
    this.size = 0;
    for (let i = 0; i < groups.length; i++) if (groups[i] !== 0) this.set(codes[i]!, groups[i]! - 1);
  }
}

function codeHash(code: number): number {
  // The low word (ToInt32 keeps it for integers up to 2^53) mixed with the high one.
  const h = Math.imul((code | 0) ^ Math.imul((code / TWO_32) | 0, 0x9e3779b1), 0x85ebca6b);
  return h ^ (h >>> 15);
}

/** The error of a group-by key whose eval type fast hash aggregation cannot take (TiKV `check_supported`). */
export function unsupportedEvalType(et: EvalType): UnsupportedError {
  return new UnsupportedError(`Eval type ${et} is not supported`);
}
