// The DAG runner's loop (TiKV components/tidb_query_executors/src/runner.rs `handle_request`):
// pull batches from the out-most executor with a batch size growing from 32 to 1024, encode each
// batch's output columns into one tipb.Chunk (Chunk RPC format, or datum rows), and answer with a
// tipb.SelectResponse: chunks, encode type, warnings, output counts, execution summaries, and for
// paging the scanned range to resume from.
import { encodeChunk, encodeDefaultRows } from "@copr/codec";
import {
  type Column,
  EvalContext,
  EvalWarnings,
  evalTypeOf,
  type FieldType,
  isCoprError,
  type LogicalRows,
  TimeZone,
} from "@copr/datatype";
import { i64, tipb, toBigInt } from "@copr/proto";
import {
  type BatchExecuteResult,
  type BatchExecutor,
  Drain,
  type ExecuteStats,
  type IntermediateOutputSource,
  type IntervalRange,
} from "./interface.js";
import { type ExecuteStatsWithSummaries, executionSummariesToPb, newExecuteStats } from "./summary.js";

/** TiKV's first batch size; it doubles every batch up to {@link BATCH_MAX_SIZE}. */
export const BATCH_INITIAL_SIZE = 32;
/** TiKV's largest batch size. */
export const BATCH_MAX_SIZE = 1024;
const BATCH_GROW_FACTOR = 2;

/** The next batch size after `size` (TiKV `grow_batch_size`). */
export function growBatchSize(size: number): number {
  return size < BATCH_MAX_SIZE ? Math.min(size * BATCH_GROW_FACTOR, BATCH_MAX_SIZE) : size;
}

/** The evaluation settings a DAG request carries (TiKV `EvalConfig::from_request`). */
export function evalContextFromDag(dag: tipb.DAGRequest.$Properties): EvalContext {
  let timeZone: TimeZone = TimeZone.utc();
  if (dag.timeZoneName != null && dag.timeZoneName !== "") timeZone = TimeZone.fromName(dag.timeZoneName);
  else if (dag.timeZoneOffset != null) timeZone = TimeZone.fromOffset(Number(toBigInt(dag.timeZoneOffset)));
  return new EvalContext({
    // TiKV keeps the flag bits it knows (`from_bits_truncate`); all of ours fit 32 bits.
    flags: Number(toBigInt(dag.flags) & 0xffff_ffffn),
    sqlMode: toBigInt(dag.sqlMode),
    timeZone,
    ...(dag.maxWarningCount != null ? { maxWarningCount: Number(toBigInt(dag.maxWarningCount)) } : {}),
    ...(dag.divPrecisionIncrement != null ? { divPrecisionIncrement: dag.divPrecisionIncrement } : {}),
  });
}

/**
 * Whether the output columns can go in the Chunk RPC format (TiKV `is_arrow_encodable`): every
 * field type has a chunk layout. Otherwise the runner falls back to datum rows (TypeDefault).
 */
export function isChunkEncodable(schema: readonly FieldType[]): boolean {
  return schema.every((ft) => {
    try {
      evalTypeOf(ft);
      return true;
    } catch {
      return false;
    }
  });
}

/** TiKV's code for `EvaluateError::DeadlineExceeded` (error code 9007). */
export const ERR_DEADLINE_EXCEEDED = 9007;

const DEADLINE_BRAND: unique symbol = Symbol.for("copr.deadlineExceeded") as never;

/**
 * The request ran past its deadline (TiKV `EvaluateError::DeadlineExceeded`). Unlike evaluation
 * errors it is never turned into `SelectResponse.error`: the runner throws it to its caller, who
 * answers with a region-level "deadline exceeded" as TiKV's `handle_qe_response` does. Test with
 * {@link isDeadlineExceededError}.
 */
export class DeadlineExceededError extends Error {
  override readonly name = "DeadlineExceededError" as const;
  readonly code = ERR_DEADLINE_EXCEEDED;
  /** @internal brand checked by {@link isDeadlineExceededError}. */
  readonly [DEADLINE_BRAND] = true;

  constructor() {
    super("Execution terminated due to exceeding the deadline");
  }
}

/** True for a {@link DeadlineExceededError} (from any copy of this package). */
export function isDeadlineExceededError(e: unknown): e is DeadlineExceededError {
  return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[DEADLINE_BRAND] === true;
}

/**
 * A check that throws {@link DeadlineExceededError} once `clock()` (ms since the epoch, by
 * default `Date.now`) reaches `deadline` (TiKV `Deadline::check`: exceeded when deadline <= now).
 */
export function deadlineChecker(deadline: number, clock: () => number = Date.now): () => void {
  return () => {
    if (deadline <= clock()) throw new DeadlineExceededError();
  };
}

/** One intermediate output channel of a DAG request (`DAGRequest.intermediate_output_channels`). */
export interface IntermediateChannel {
  /** The schema of the rows the channel carries (the index side of its IndexLookUp). */
  schema: readonly FieldType[];
  /** The columns of `schema` to send, in order (`IntermediateOutputChannel.output_offsets`). */
  outputOffsets: readonly number[];
}

/** Options of {@link runDag}. */
export interface RunOptions {
  /** The columns of the out-most executor's schema to send, in order (DAGRequest.output_offsets). */
  outputOffsets: readonly number[];
  /** The encoding asked for; falls back to TypeDefault when the output has no chunk layout. */
  encodeType: tipb.EncodeType;
  /** Stop after this many rows and return the scanned range (DAGRequest paging). 0: no paging. */
  pagingSize?: number;
  /**
   * Send per-executor summaries (DAGRequest.collect_execution_summaries). The executors must be
   * wrapped with `withSummary` to record them; see {@link RunOptions.executorCount}.
   */
  collectExecutionSummaries?: boolean;
  /**
   * The number of executors in the DAG: the length of `execution_summaries` (slots of executors
   * that recorded nothing are zero, as in TiKV). Defaults to the highest recorded slot + 1.
   */
  executorCount?: number;
  /**
   * Called before every batch (TiKV checks its deadline there); throw to stop, e.g. with
   * {@link DeadlineExceededError}. Any error it throws goes to the caller as is.
   */
  checkDeadline?: () => void;
  /** A deadline in ms since the epoch, checked before every batch against `clock`. */
  deadline?: number;
  /** The clock of `deadline`, ms since the epoch (default `Date.now`). */
  clock?: () => number;
  /**
   * Intermediate outputs (TiKV `intermediate_channels`): after every batch the rows `source`
   * gathered are encoded per channel (the request's encode type, falling back to TypeDefault as
   * for the main output) into `SelectResponse.intermediate_outputs`; they count towards paging.
   */
  intermediate?: { channels: readonly IntermediateChannel[]; source: IntermediateOutputSource };
}

/** The runner's answer: the response, and for paging the range to resume from. */
export interface RunResult {
  response: tipb.SelectResponse.$Properties;
  /** The scanned range when paging stopped early; null when the data was drained. */
  range: IntervalRange | null;
}

/**
 * Runs the out-most executor to completion (or to the paging limit) and builds the
 * SelectResponse. An evaluation error (any copr error but a storage one) becomes
 * `SelectResponse.error` with its MySQL code, as TiKV's `handle_qe_response`; other errors,
 * {@link DeadlineExceededError} among them, are thrown. The deadline is checked before each batch.
 */
export function runDag(executor: BatchExecutor, ctx: EvalContext, options: RunOptions): RunResult {
  const outSchema = outputSchema(executor.schema(), options.outputOffsets);
  const encodeType = resolveEncodeType(options.encodeType, outSchema);
  const channels = (options.intermediate?.channels ?? []).map((ch) => {
    const schema = outputSchema(ch.schema, ch.outputOffsets);
    return {
      offsets: ch.outputOffsets,
      schema,
      encodeType: resolveEncodeType(options.encodeType, schema),
      chunks: [] as tipb.Chunk.$Properties[],
      pending: [] as BatchExecuteResult[],
    };
  });
  const source = options.intermediate?.source ?? null;
  const pendingLists = channels.map((ch) => ch.pending);
  const warnings = new EvalWarnings(ctx.maxWarningCount);
  const chunks: tipb.Chunk.$Properties[] = [];
  const paging = options.pagingSize ?? 0;
  let batchSize = BATCH_INITIAL_SIZE;
  let records = 0;
  const checkDeadline = options.checkDeadline;
  const deadlineCheck =
    options.deadline !== undefined ? deadlineChecker(options.deadline, options.clock) : null;
  try {
    for (;;) {
      checkDeadline?.();
      deadlineCheck?.();
      const result = executor.nextBatch(batchSize);
      const rows = result.logicalRows === null ? (result.columns[0]?.length ?? 0) : result.logicalRows.length;
      if (rows > 0) {
        const columns: Column[] = options.outputOffsets.map((o) => result.columns[o]!);
        chunks.push({ rowsData: encodeBatch(columns, outSchema, result.logicalRows, encodeType, ctx) });
        records += rows;
      }
      if (result.warnings !== null) warnings.merge(result.warnings);
      if (source !== null) {
        // TiKV `consume_and_encode_intermediate_results`, after each batch.
        source.consumeAndFillIntermediateResults(pendingLists);
        for (const ch of channels) {
          for (const r of ch.pending) {
            const n = r.logicalRows === null ? (r.columns[0]?.length ?? 0) : r.logicalRows.length;
            if (n === 0) continue;
            const columns: Column[] = ch.offsets.map((o) => r.columns[o]!);
            ch.chunks.push({ rowsData: encodeBatch(columns, ch.schema, r.logicalRows, ch.encodeType, ctx) });
            records += n;
          }
          ch.pending.length = 0;
        }
      }
      if (result.isDrained !== Drain.Remain || (paging > 0 && records >= paging)) {
        const stats: ExecuteStats = options.collectExecutionSummaries
          ? newExecuteStats(options.executorCount ?? 0)
          : { scannedRowsPerRange: [] };
        executor.collectExecStats(stats);
        const range = result.isDrained === Drain.Drain || paging === 0 ? null : executor.takeScannedRange();
        warnings.merge(ctx.takeWarnings());
        return {
          response: {
            chunks,
            encodeType,
            outputCounts: stats.scannedRowsPerRange.map((n) => i64(n)),
            warnings: warnings.list.map((w) => ({ code: w.code, msg: w.message })),
            warningCount: i64(warnings.count),
            ...(channels.length > 0
              ? {
                  intermediateOutputs: channels.map((ch) => ({
                    encodeType: ch.encodeType,
                    chunks: ch.chunks,
                  })),
                }
              : {}),
            ...(options.collectExecutionSummaries
              ? {
                  executionSummaries: executionSummariesToPb(
                    (stats as ExecuteStatsWithSummaries).summaryPerExecutor,
                  ),
                }
              : {}),
          },
          range,
        };
      }
      batchSize = growBatchSize(batchSize);
    }
  } catch (e) {
    if (isCoprError(e) && (e as { name?: string }).name !== "StorageError") {
      const err = e as Error & { code: number };
      return { response: { error: { code: err.code, msg: err.message } }, range: null };
    }
    throw e;
  }
}

/** The field types of `offsets` in `schema`; an offset out of it is an error (as TiKV's). */
function outputSchema(schema: readonly FieldType[], offsets: readonly number[]): FieldType[] {
  for (const off of offsets) {
    if (!Number.isInteger(off) || off < 0 || off >= schema.length) {
      throw new Error(`Invalid output offset (schema has ${schema.length} columns, access index ${off})`);
    }
  }
  return offsets.map((o) => schema[o]!);
}

/** The encoding asked for, or TypeDefault when the columns have no chunk layout. */
function resolveEncodeType(asked: tipb.EncodeType, schema: readonly FieldType[]): tipb.EncodeType {
  return asked === tipb.EncodeType.TypeChunk && isChunkEncodable(schema)
    ? tipb.EncodeType.TypeChunk
    : tipb.EncodeType.TypeDefault;
}

function encodeBatch(
  columns: Column[],
  schema: readonly FieldType[],
  logicalRows: LogicalRows,
  encodeType: tipb.EncodeType,
  ctx: EvalContext,
): Uint8Array {
  if (encodeType === tipb.EncodeType.TypeChunk) return encodeChunk(columns, schema, logicalRows);
  return encodeDefaultRows(columns, logicalRows, ctx).slice();
}
