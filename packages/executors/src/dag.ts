// From a tipb.DAGRequest to a pipeline of batch executors (TiKV components/tidb_query_executors/
// src/runner.rs `build_executors` and `check_supported`), and a whole DAG request run over a
// Storage into a SelectResponse.
import { ByteReader, readI64 } from "@copr/codec";
import type { EvalContext } from "@copr/datatype";
import { ExprError } from "@copr/expr";
import { tipb as pb, type tipb, toBigInt } from "@copr/proto";
import {
  BatchFastHashAggregationExecutor,
  BatchSlowHashAggregationExecutor,
  checkFastHashAggrSupported,
} from "./hash-aggr.js";
import {
  type BatchIndexLookUpExecutor,
  buildIndexLookUpExecutor,
  IndexScanWithCommonHandles,
  type RegionStorageAccessor,
  wholeStorageAccessor,
} from "./index-lookup.js";
import { BatchIndexScanExecutor } from "./index-scan.js";
import type { BatchExecuteResult, BatchExecutor, IntermediateOutputSource } from "./interface.js";
import { BatchLimitExecutor } from "./limit.js";
import { BatchPartitionTopNExecutor } from "./partition-top-n.js";
import { BatchProjectionExecutor } from "./projection.js";
import {
  type DeadlineExceededError,
  evalContextFromDag,
  type IntermediateChannel,
  type RunResult,
  runDag,
} from "./runner.js";
import { BatchSelectionExecutor } from "./selection.js";
import { BatchSimpleAggregationExecutor } from "./simple-aggr.js";
import type { KeyRange, Storage } from "./storage.js";
import { BatchStreamAggregationExecutor } from "./stream-aggr.js";
import { type SummaryClock, withSummary } from "./summary.js";
import { BatchTableScanExecutor } from "./table-scan.js";
import { BatchTopNExecutor } from "./top-n.js";

const T = pb.ExecType;

/** Executor kinds TiKV does not run in its coprocessor, with TiKV's message for each. */
const NOT_IMPLEMENTED: ReadonlyMap<number, string> = new Map([
  [T.TypeJoin, "Join executor not implemented"],
  [T.TypeKill, "Kill executor not implemented"],
  [T.TypeExchangeSender, "ExchangeSender executor not implemented"],
  [T.TypeExchangeReceiver, "ExchangeReceiver executor not implemented"],
  [T.TypePartitionTableScan, "PartitionTableScan executor not implemented"],
  [T.TypeSort, "Sort executor not implemented"],
  [T.TypeWindow, "Window executor not implemented"],
  [T.TypeExpand, "Expand executor not implemented"],
  [T.TypeExpand2, "Expand2 executor not implemented"],
  [T.TypeBroadcastQuery, "TypeBroadcastQuery executor not implemented"],
  [T.TypeCTESink, "CTESink executor not implemented"],
  [T.TypeCTESource, "CTESource executor not implemented"],
  [T.TypeExplainForConnection, "ExplainForConnection executor not implemented"],
]);

/**
 * The executors of a DAG request bottom-up: the `executors` list, or the `root_executor` tree
 * flattened (each executor with one child; the scan at the bottom).
 */
export function dagExecutors(dag: tipb.DAGRequest.$Properties): tipb.Executor.$Properties[] {
  if ((dag.executors?.length ?? 0) > 0) return [...dag.executors!];
  const out: tipb.Executor.$Properties[] = [];
  for (let e = dag.rootExecutor ?? null; e !== null; ) {
    out.push(e);
    e = childOf(e);
  }
  if (out.length === 0) throw new ExprError("No executors");
  return out.reverse();
}

function childOf(e: tipb.Executor.$Properties): tipb.Executor.$Properties | null {
  const holder =
    e.selection ?? e.Projection ?? e.aggregation ?? e.topN ?? e.limit ?? e.exchangeSender ?? e.join ?? null;
  if (holder === null) return null;
  const child = (holder as { child?: tipb.Executor.$Properties | null }).child;
  return child ?? null;
}

/** Options of {@link buildExecutors}. */
export interface BuildExecutorsOptions {
  storage: Storage;
  /** The key ranges of the request. */
  ranges: readonly KeyRange[];
  ctx: EvalContext;
  /** `coprocessor.Request.paging_size` (0 or absent: no paging). */
  pagingSize?: number;
  /**
   * Wrap every executor to record its execution summary in the slot of its position in `execs`
   * (bottom-up, TiKV's `summary_slot_index`).
   */
  collectSummaries?: boolean;
  /** The clock of the summaries' times, in ns (default `performance.now`). */
  summaryClock?: SummaryClock;
  /** `DAGRequest.intermediate_output_channels`: each IndexLookUp must have exactly one. */
  intermediateOutputChannels?: readonly tipb.IntermediateOutputChannel.$Properties[];
  /**
   * The regions an IndexLookUp may look rows up in (TiKV's extra storage accessor). Absent: one
   * region over `storage` holding every key. Null: none, every index row goes back to TiDB.
   */
  regionAccessor?: RegionStorageAccessor | null;
  /**
   * `coprocessor.Request.max_keys_read`. Only its effect on IndexLookUp is implemented (no lookup
   * here, as TiKV); the runner does not stop early on it.
   */
  maxKeysRead?: number;
}

/** A built pipeline and the source of its intermediate outputs. */
export interface ExecutorTree {
  /** The out-most executor. */
  executor: BatchExecutor;
  /** The IndexLookUp executors of the tree, by intermediate channel. */
  intermediate: IntermediateOutputSource;
}

/**
 * Whether the parent chain of `execs[index]` (through `parent_idx`, 0 meaning the next executor)
 * reaches an executor of type `tp` (TiKV `is_executor_under_parent_tp`). A `parent_idx` not after
 * its executor or past the end is an error.
 */
export function isExecutorUnderParentTp(
  tp: tipb.ExecType,
  execs: readonly tipb.Executor.$Properties[],
  index: number,
): boolean {
  let i = index;
  while (i + 1 < execs.length) {
    const p = execs[i]!.parentIdx ?? 0;
    let next = i + 1;
    if (p > 0) {
      if (p <= i || p >= execs.length) {
        throw new ExprError(
          `invalid parent index: ${p}, for executor with index: ${i}, executors len: ${execs.length}`,
        );
      }
      next = p;
    }
    if (execs[next]!.tp === tp) return true;
    i = next;
  }
  return false;
}

/**
 * Builds the pipeline (TiKV `build_executors`): a table or index scan first, then Selection,
 * Projection, Aggregation (simple without GROUP BY; fast hash when TiKV's check passes, else
 * slow hash), StreamAgg, TopN (PartitionTopN with `partition_by`), Limit (a rank limit with
 * `truncate_key_expr`; with `partition_by`, TiKV's PartitionTopN without order-by items: the first
 * n rows of each run of equal partition keys). Anything else is rejected with TiKV's message,
 * before anything runs.
 */
export function buildExecutors(
  execs: readonly tipb.Executor.$Properties[],
  options: BuildExecutorsOptions,
): BatchExecutor {
  return buildExecutorTree(execs, options).executor;
}

/**
 * {@link buildExecutors}, also answering where the intermediate outputs come from. The plan may
 * be a tree through `parent_idx` (TiKV `build_executors`): executors not on the way up from the
 * scan are gathered as children of the next one that is, which must use them (only IndexLookUp
 * takes one: its TableScan); `parent_idx` 0 is the next executor.
 */
export function buildExecutorTree(
  execs: readonly tipb.Executor.$Properties[],
  options: BuildExecutorsOptions,
): ExecutorTree {
  if (execs.length === 0) throw new ExprError("No executors");
  for (const e of execs) {
    const why = NOT_IMPLEMENTED.get(e.tp ?? 0);
    if (why !== undefined) throw new ExprError(why);
  }
  const { storage, ranges, ctx } = options;
  const summaries = options.collectSummaries === true;
  const wrap = (e: BatchExecutor, index: number): BatchExecutor =>
    summaries ? withSummary(e, index, options.summaryClock) : e;
  const first = execs[0]!;
  let exec: BatchExecutor;
  if (first.tp === T.TypeTableScan && first.tblScan) {
    const s = first.tblScan;
    // The scan's parent (`parent_idx`, 0 meaning the next executor).
    const parent = execs[(first.parentIdx ?? 0) > 0 ? first.parentIdx! : 1];
    const deferColumns = lazyColumnsUnderSelection(s.columns?.length ?? 0, parent);
    exec = new BatchTableScanExecutor(storage, ctx, {
      columns: s.columns ?? [],
      ranges,
      desc: s.desc === true,
      primaryColumnIds: s.primaryColumnIds ?? [],
      primaryPrefixColumnIds: s.primaryPrefixColumnIds ?? [],
      ...(deferColumns !== null ? { deferColumns } : {}),
      ...(consumedBatchByBatch(execs, 0) ? { recycleBuffers: true } : {}),
    });
  } else if (first.tp === T.TypeIndexScan && first.idxScan) {
    const s = first.idxScan;
    const scanOptions = {
      columns: s.columns ?? [],
      ranges,
      desc: s.desc === true,
      unique: s.unique === true,
      primaryColumnIds: s.primaryColumnIds ?? [],
    };
    // Under an IndexLookUp, common handles travel with the rows to be looked up.
    const withHandles =
      scanOptions.primaryColumnIds.length > 0 && isExecutorUnderParentTp(T.TypeIndexLookUp, execs, 0);
    exec = withHandles
      ? new IndexScanWithCommonHandles(storage, ctx, scanOptions)
      : new BatchIndexScanExecutor(storage, ctx, scanOptions);
  } else {
    throw new ExprError(`Unexpected first executor ${pb.ExecType[first.tp ?? 0] ?? first.tp}`);
  }
  exec = wrap(exec, 0);
  const paging = options.pagingSize ?? 0;
  const aggrOptions = { config: ctxConfig(ctx), ...(paging > 0 ? { pagingSize: paging } : {}) };
  const channels = options.intermediateOutputChannels ?? [];
  const lookups: BatchIndexLookUpExecutor[] = [];
  const n = execs.length;
  let nextParent = (first.parentIdx ?? 0) > 0 ? first.parentIdx! : 1;
  const children: tipb.Executor.$Properties[] = [];
  // TiKV's `is_src_scan_executor`: true only for the first executor built above the scan.
  let isSrcScanExecutor = true;
  for (let index = 1; index < n; index++) {
    const e = execs[index]!;
    if (index !== nextParent) {
      children.push(e);
      continue;
    }
    switch (e.tp) {
      case T.TypeSelection:
        exec = new BatchSelectionExecutor(exec, e.selection?.conditions ?? [], ctx);
        break;
      case T.TypeProjection:
        exec = new BatchProjectionExecutor(exec, e.Projection?.exprs ?? [], ctx);
        break;
      case T.TypeAggregation:
      case T.TypeStreamAgg: {
        const a = e.aggregation ?? {};
        const groupBy = a.groupBy ?? [];
        const aggs = a.aggFunc ?? [];
        if (groupBy.length === 0) exec = new BatchSimpleAggregationExecutor(exec, aggs, aggrOptions);
        else if (e.tp === T.TypeStreamAgg)
          exec = new BatchStreamAggregationExecutor(exec, groupBy, aggs, aggrOptions);
        else if (fastHashSupported(a))
          exec = new BatchFastHashAggregationExecutor(exec, groupBy[0]!, aggs, aggrOptions);
        else exec = new BatchSlowHashAggregationExecutor(exec, groupBy, aggs, aggrOptions);
        break;
      }
      case T.TypeTopN: {
        const t = e.topN ?? {};
        const limit = toBigInt(t.limit);
        const topOptions = paging > 0 ? { pagingSize: paging } : {};
        if ((t.partitionBy?.length ?? 0) > 0) {
          exec = new BatchPartitionTopNExecutor(
            exec,
            t.partitionBy ?? [],
            t.orderBy ?? [],
            limit,
            ctx,
            topOptions,
          );
        } else {
          exec = new BatchTopNExecutor(exec, t.orderBy ?? [], limit, ctx, topOptions);
        }
        break;
      }
      case T.TypeLimit: {
        const l = e.limit ?? {};
        if ((l.partitionBy?.length ?? 0) > 0) {
          // TiKV treats a Limit with partition_by as a PartitionTopN without order-by items, which
          // keeps the first n rows of each partition; it wins over truncate_key_expr.
          exec = new BatchPartitionTopNExecutor(
            exec,
            l.partitionBy ?? [],
            [],
            toBigInt(l.limit),
            ctx,
            paging > 0 ? { pagingSize: paging } : {},
          );
        } else {
          exec = new BatchLimitExecutor(exec, toBigInt(l.limit), {
            ctx,
            isSrcScanExecutor,
            ...((l.truncateKeyExpr?.length ?? 0) > 0 ? { truncateKeys: l.truncateKeyExpr ?? [] } : {}),
          });
        }
        break;
      }
      case T.TypeIndexLookUp: {
        if (children.length !== 1) {
          throw new ExprError(`IndexLookUp should have one child executor, but got ${children.length}`);
        }
        const child = children.pop()!;
        if (child.tp !== T.TypeTableScan) {
          throw new ExprError(`IndexLookup's child should be TableScan, but got ${execName(child.tp)}`);
        }
        const ids: number[] = [];
        channels.forEach((ch, i) => {
          if (ch.executorIdx != null && ch.executorIdx === index) ids.push(i);
        });
        if (ids.length !== 1) {
          throw new ExprError(
            `IndexLookup should have exactly one intermediate output channel, but got ${ids.length}, [${ids.join(", ")}]`,
          );
        }
        const lookup = buildIndexLookUpExecutor(exec, e.indexLookup ?? {}, child.tblScan ?? {}, {
          ctx,
          accessor:
            options.regionAccessor === undefined ? wholeStorageAccessor(storage) : options.regionAccessor,
          intermediateChannelIndex: ids[0]!,
          tableScanChildIndex: index - 1,
          ...(paging > 0 ? { pagingSize: paging } : {}),
          ...(options.maxKeysRead !== undefined ? { maxKeysRead: options.maxKeysRead } : {}),
          ...(options.summaryClock !== undefined ? { summaryClock: options.summaryClock } : {}),
        });
        lookups.push(lookup);
        exec = lookup;
        break;
      }
      case T.TypeTableScan:
      case T.TypeIndexScan:
        throw new ExprError(`Unexpected non-first executor ${execName(e.tp)}`);
      default:
        throw new ExprError(`Unexpected executor type ${execName(e.tp)}`);
    }
    if (children.length > 0) {
      throw new ExprError(`Children not handled for executor: ${execName(e.tp)}, index: ${index}`);
    }
    const p = e.parentIdx ?? 0;
    if (p === 0) nextParent = index + 1;
    else if (p > index && p < n) nextParent = p;
    else throw new ExprError(`Invalid parent index: ${p} for executor at index ${index}`);
    isSrcScanExecutor = false;
    exec = wrap(exec, index);
  }
  return { executor: exec, intermediate: intermediateSource(lookups) };
}

function execName(tp: number | null | undefined): string {
  return pb.ExecType[tp ?? 0] ?? String(tp);
}

/** The intermediate outputs of the IndexLookUps of a tree, each feeding its own channel. */
function intermediateSource(lookups: readonly BatchIndexLookUpExecutor[]): IntermediateOutputSource {
  return {
    intermediateSchema(index) {
      const lookup = lookups.find((l) => l.intermediateChannelIndex === index);
      if (lookup === undefined) {
        throw new ExprError(`The intermediate schema is not found until root executor, index: ${index}`);
      }
      return lookup.src.schema();
    },
    consumeAndFillIntermediateResults(results: BatchExecuteResult[][]) {
      for (const l of lookups) l.consumeAndFillIntermediateResults(results);
    },
  };
}

/**
 * The scan columns to decode lazily when a Selection sits right above the scan: every column
 * its first condition does not read (those are decoded for all rows anyway). The Selection
 * decodes the others condition by condition for the rows still alive, then the rest for the rows
 * kept. Null when there is no such Selection or nothing to defer.
 */
function lazyColumnsUnderSelection(
  width: number,
  parent: tipb.Executor.$Properties | undefined,
): boolean[] | null {
  const conditions = parent?.tp === T.TypeSelection ? (parent.selection?.conditions ?? []) : [];
  if (conditions.length === 0) return null;
  const defer = new Array<boolean>(width).fill(true);
  const visit = (e: tipb.Expr.$Properties): void => {
    if (e.tp === pb.ExprType.ColumnRef && e.val?.length === 8) {
      // A bad offset is reported when the Selection builds the condition.
      const offset = readI64(new ByteReader(e.val, "column reference"));
      if (offset >= 0n && offset < BigInt(width)) defer[Number(offset)] = false;
    }
    for (const c of e.children ?? []) visit(c);
  };
  visit(conditions[0]!);
  return defer.includes(true) ? defer : null;
}

/**
 * Whether each batch of executor `index` is done with before the next is asked for: only
 * Selections (which pass columns through) between it and an aggregation (which folds every batch
 * into its states and keys and keeps no column). Its buffers may then be recycled.
 */
function consumedBatchByBatch(execs: readonly tipb.Executor.$Properties[], index: number): boolean {
  let i = index;
  while (i + 1 < execs.length) {
    const p = execs[i]!.parentIdx ?? 0;
    const next = p > 0 ? p : i + 1;
    // A bad parent index is reported by the builder.
    if (next <= i || next >= execs.length) return false;
    const tp = execs[next]!.tp;
    if (tp !== T.TypeSelection) return tp === T.TypeAggregation || tp === T.TypeStreamAgg;
    i = next;
  }
  return false;
}

function fastHashSupported(a: tipb.Aggregation.$Properties): boolean {
  try {
    checkFastHashAggrSupported(a);
    return true;
  } catch {
    return false;
  }
}

function ctxConfig(ctx: EvalContext) {
  return {
    flags: ctx.flags,
    sqlMode: ctx.sqlMode,
    timeZone: ctx.timeZone,
    maxWarningCount: ctx.maxWarningCount,
    divPrecisionIncrement: ctx.divPrecisionIncrement,
  };
}

/** Options of {@link runDagRequest}. */
export interface DagRequestOptions {
  storage: Storage;
  /** The request's key ranges. */
  ranges: readonly KeyRange[];
  /** `coprocessor.Request.paging_size`: 0 or absent for none. */
  pagingSize?: number;
  /**
   * Called before every batch; throw to stop. Errors it throws (e.g. a
   * {@link DeadlineExceededError}) go to the caller, not into `SelectResponse.error`.
   */
  checkDeadline?: () => void;
  /**
   * The request's deadline in ms since the epoch: once reached, the run stops before its next
   * batch with a thrown {@link DeadlineExceededError} (TiKV `EvaluateError::DeadlineExceeded`).
   */
  deadline?: number;
  /** The clock of `deadline`, ms since the epoch (default `Date.now`). */
  clock?: () => number;
  /** The clock of execution summaries' times, in ns (default `performance.now`). */
  summaryClock?: SummaryClock;
  /**
   * The regions IndexLookUp executors may look rows up in. Absent: `storage` holds every key.
   * Null: none (every index row goes back to TiDB in the intermediate output).
   */
  regionAccessor?: RegionStorageAccessor | null;
}

/**
 * Runs a DAG request over a storage (TiKV's DAG handler): builds the evaluation context and the
 * executors from the request, runs them, and answers with a SelectResponse (and for paging the
 * range to resume from). A plan copr cannot build or an evaluation error comes back as
 * `SelectResponse.error`, as in TiKV; a passed deadline and storage errors are thrown. With
 * `collect_execution_summaries`, the response carries one summary per executor, bottom-up.
 */
export function runDagRequest(dag: tipb.DAGRequest.$Properties, options: DagRequestOptions): RunResult {
  const ctx = evalContextFromDag(dag);
  const collectSummaries = dag.collectExecutionSummaries === true;
  let exec: BatchExecutor;
  let executorCount: number;
  let intermediate: { channels: IntermediateChannel[]; source: IntermediateOutputSource } | null = null;
  try {
    const execs = dagExecutors(dag);
    executorCount = execs.length;
    const channelDescs = dag.intermediateOutputChannels ?? [];
    const tree = buildExecutorTree(execs, {
      storage: options.storage,
      ranges: options.ranges,
      ctx,
      collectSummaries,
      intermediateOutputChannels: channelDescs,
      ...(options.pagingSize !== undefined ? { pagingSize: options.pagingSize } : {}),
      ...(options.summaryClock !== undefined ? { summaryClock: options.summaryClock } : {}),
      ...(options.regionAccessor !== undefined ? { regionAccessor: options.regionAccessor } : {}),
    });
    exec = tree.executor;
    if (channelDescs.length > 0) {
      // TiKV `BatchExecutorsRunner::from_request`: every channel names an executor of the plan
      // that feeds it.
      const channels = channelDescs.map((ch, i): IntermediateChannel => {
        if (ch.executorIdx == null || ch.executorIdx >= executorCount) {
          throw new ExprError(
            `Invalid intermediate output channel idx: ${ch.executorIdx ?? "None"}, executors len: ${executorCount}`,
          );
        }
        return { schema: tree.intermediate.intermediateSchema(i), outputOffsets: ch.outputOffsets ?? [] };
      });
      intermediate = { channels, source: tree.intermediate };
    }
  } catch (e) {
    const err = e as Error & { code?: number };
    return { response: { error: { code: err.code ?? 1105, msg: err.message } }, range: null };
  }
  return runDag(exec, ctx, {
    outputOffsets: dag.outputOffsets ?? [],
    encodeType: dag.encodeType ?? pb.EncodeType.TypeDefault,
    collectExecutionSummaries: collectSummaries,
    executorCount,
    ...(intermediate !== null ? { intermediate } : {}),
    ...(options.pagingSize !== undefined ? { pagingSize: options.pagingSize } : {}),
    ...(options.checkDeadline ? { checkDeadline: options.checkDeadline } : {}),
    ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
  });
}
