// From a tipb.DAGRequest to a pipeline of batch executors (TiKV components/tidb_query_executors/
// src/runner.rs `build_executors` and `check_supported`), and a whole DAG request run over a
// Storage into a SelectResponse.
import type { EvalContext } from "@copr/datatype";
import { ExprError } from "@copr/expr";
import { tipb as pb, type tipb, toBigInt } from "@copr/proto";
import {
  BatchFastHashAggregationExecutor,
  BatchSlowHashAggregationExecutor,
  checkFastHashAggrSupported,
} from "./hash-aggr.js";
import { BatchIndexScanExecutor } from "./index-scan.js";
import type { BatchExecutor } from "./interface.js";
import { BatchLimitExecutor } from "./limit.js";
import { BatchPartitionTopNExecutor } from "./partition-top-n.js";
import { BatchProjectionExecutor } from "./projection.js";
import { type DeadlineExceededError, evalContextFromDag, type RunResult, runDag } from "./runner.js";
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
  [T.TypeIndexLookUp, "IndexLookUp executor not implemented yet in copr"],
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
    exec = new BatchTableScanExecutor(storage, ctx, {
      columns: s.columns ?? [],
      ranges,
      desc: s.desc === true,
      primaryColumnIds: s.primaryColumnIds ?? [],
      primaryPrefixColumnIds: s.primaryPrefixColumnIds ?? [],
    });
  } else if (first.tp === T.TypeIndexScan && first.idxScan) {
    const s = first.idxScan;
    exec = new BatchIndexScanExecutor(storage, ctx, {
      columns: s.columns ?? [],
      ranges,
      desc: s.desc === true,
      unique: s.unique === true,
      primaryColumnIds: s.primaryColumnIds ?? [],
    });
  } else {
    throw new ExprError(`Unexpected first executor ${pb.ExecType[first.tp ?? 0] ?? first.tp}`);
  }
  exec = wrap(exec, 0);
  const paging = options.pagingSize ?? 0;
  const aggrOptions = { config: ctxConfig(ctx), ...(paging > 0 ? { pagingSize: paging } : {}) };
  for (let index = 1; index < execs.length; index++) {
    const e = execs[index]!;
    // TiKV's `is_src_scan_executor`: true only for the executor right above the scan.
    const isSrcScanExecutor = index === 1;
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
      case T.TypeTableScan:
      case T.TypeIndexScan:
        throw new ExprError(`Unexpected non-first executor ${pb.ExecType[e.tp] ?? e.tp}`);
      default:
        throw new ExprError(`Unexpected executor type ${pb.ExecType[e.tp ?? 0] ?? e.tp}`);
    }
    exec = wrap(exec, index);
  }
  return exec;
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
  try {
    const execs = dagExecutors(dag);
    executorCount = execs.length;
    exec = buildExecutors(execs, {
      storage: options.storage,
      ranges: options.ranges,
      ctx,
      collectSummaries,
      ...(options.pagingSize !== undefined ? { pagingSize: options.pagingSize } : {}),
      ...(options.summaryClock !== undefined ? { summaryClock: options.summaryClock } : {}),
    });
  } catch (e) {
    const err = e as Error & { code?: number };
    return { response: { error: { code: err.code ?? 1105, msg: err.message } }, range: null };
  }
  return runDag(exec, ctx, {
    outputOffsets: dag.outputOffsets ?? [],
    encodeType: dag.encodeType ?? pb.EncodeType.TypeDefault,
    collectExecutionSummaries: collectSummaries,
    executorCount,
    ...(options.pagingSize !== undefined ? { pagingSize: options.pagingSize } : {}),
    ...(options.checkDeadline ? { checkDeadline: options.checkDeadline } : {}),
    ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
  });
}
