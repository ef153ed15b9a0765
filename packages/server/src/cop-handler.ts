// One coprocessor request run over an MVCC store, from request to response: the part of TiKV's
// src/coprocessor/endpoint.rs (`parse_request_and_check_memory_locks`, `make_error_response`) and
// dag/mod.rs (`handle_qe_response`) that needs the data. It runs on the main thread or in a read
// pool worker; region checks, caching and the concurrency limit stay with the endpoint.
import { isDeadlineExceededError, runDagRequest } from "@copr/executors";
import {
  coprocessor,
  decodeMessage,
  encodeMessage,
  type kvrpcpb,
  TIKV_RECURSION_LIMIT,
  tipb,
  toBigInt,
  u64,
} from "@copr/proto";
import { KeyIsLockedError, type MvccStore, type ReadOptions } from "@copr/storage";
import { runChecksum } from "./checksum.js";
import { COPR_DEADLINE_EXCEEDED, DEADLINE_BUSY_REASON, lockInfoToPb } from "./errors.js";

/** coprocessor.Request.tp values (TiKV's REQ_TYPE_*). */
export const REQ_TYPE_DAG = 103;
export const REQ_TYPE_ANALYZE = 104;
export const REQ_TYPE_CHECKSUM = 105;

/** What the endpoint hands to the handler besides the request. */
export interface CopRunOptions {
  /** The region's data version when the request was dispatched (`cache_last_version`). */
  dataVersion: number;
  /** ms since the epoch after which the request fails with ServerIsBusy "deadline is exceeded". */
  deadline: number;
}

/** The handler's answer, with what the endpoint records in its metrics. */
export interface CopRunResult {
  response: coprocessor.Response.$Properties;
  /** Keys read (DAG: scanned rows per range summed; checksum: pairs). */
  scannedKeys: number;
  /** Metric label: select, index, checksum_table, checksum_index, analyze, unknown. */
  tag: string;
  /** Error label when the response carries an error (TiKV's COPR_REQ_ERROR reasons). */
  errorTag: string | null;
}

const ISOLATION: Record<number, ReadOptions["isolation"]> = { 0: "SI", 1: "RC", 2: "RCCheckTS" };

/** The read options of a request's context: isolation level, resolved and committed locks. */
export function readOptionsOf(ctx: kvrpcpb.Context.$Properties | null | undefined): ReadOptions {
  const opts: ReadOptions = { isolation: ISOLATION[ctx?.isolationLevel ?? 0] ?? "SI" };
  if ((ctx?.resolvedLocks?.length ?? 0) > 0) opts.resolvedLocks = ctx!.resolvedLocks!.map((l) => toBigInt(l));
  if ((ctx?.committedLocks?.length ?? 0) > 0)
    opts.committedLocks = ctx!.committedLocks!.map((l) => toBigInt(l));
  return opts;
}

const deadlineExceeded = (): coprocessor.Response.$Properties => ({
  regionError: { message: COPR_DEADLINE_EXCEEDED, serverIsBusy: { reason: DEADLINE_BUSY_REASON } },
});

/** Thrown by the deadline check of a checksum run. */
class DeadlinePassed extends Error {}

/**
 * Runs a decoded coprocessor.Request over `mvcc` (TiKV's endpoint after its region checks):
 * parses `data` for its `tp`, takes the snapshot at `start_ts` (or the inner request's
 * `start_ts_fallback`), runs DAG or Checksum, and maps every failure into the response as TiKV:
 * KeyIsLocked → `locked`, a passed deadline → ServerIsBusy region error, anything else
 * (garbage data, an unknown tp, Analyze, storage failures) → `other_error`. Never throws.
 */
export function runCopRequest(req: coprocessor.Request, mvcc: MvccStore, opts: CopRunOptions): CopRunResult {
  const tp = Number(toBigInt(req.tp));
  let tag = "unknown";
  try {
    if (opts.deadline <= Date.now()) {
      return { response: deadlineExceeded(), scannedKeys: 0, tag, errorTag: "deadline_exceeded" };
    }
    const ranges = req.ranges.map((r) => ({
      start: r.start ?? new Uint8Array(0),
      end: r.end ?? new Uint8Array(0),
    }));
    let startTs = toBigInt(req.startTs);
    const readOpts = readOptionsOf(req.context);
    switch (tp) {
      case REQ_TYPE_DAG: {
        const dag = decodeMessage(tipb.DAGRequest, req.data, { recursionLimit: TIKV_RECURSION_LIMIT });
        const first = dag.executors[0] ?? null;
        tag = first === null || first.tp === tipb.ExecType.TypeTableScan ? "select" : "index";
        if (startTs === 0n) startTs = toBigInt(dag.startTsFallback);
        const snapshot = mvcc.snapshot(startTs, readOpts);
        try {
          const pagingSize = Number(toBigInt(req.pagingSize));
          const { response, range } = runDagRequest(dag, {
            storage: snapshot,
            ranges,
            deadline: opts.deadline,
            ...(pagingSize > 0 ? { pagingSize } : {}),
          });
          let scannedKeys = 0;
          for (const c of response.outputCounts ?? []) scannedKeys += Number(toBigInt(c));
          const out: coprocessor.Response.$Properties = {
            data: encodeMessage(tipb.SelectResponse, response),
            ...(range !== null ? { range: { start: range.lower, end: range.upper } } : {}),
          };
          if (req.isCacheEnabled) {
            // A result may be reused while the region's data version is unchanged, unless it read
            // around locks: a later start_ts could then have to see them.
            out.canBeCached =
              response.error === null || response.error === undefined ? noLocks(mvcc, ranges) : false;
            out.cacheLastVersion = u64(opts.dataVersion);
          }
          return { response: out, scannedKeys, tag, errorTag: null };
        } finally {
          snapshot.release();
        }
      }
      case REQ_TYPE_CHECKSUM: {
        const ck = decodeMessage(tipb.ChecksumRequest, req.data, { recursionLimit: TIKV_RECURSION_LIMIT });
        tag =
          (ck.scanOn ?? tipb.ChecksumScanOn.Table) === tipb.ChecksumScanOn.Table
            ? "checksum_table"
            : "checksum_index";
        if (startTs === 0n) startTs = toBigInt(ck.startTsFallback);
        const snapshot = mvcc.snapshot(startTs, readOpts);
        try {
          const result = runChecksum(ck, snapshot, ranges, () => {
            if (opts.deadline <= Date.now()) throw new DeadlinePassed();
          });
          const data = encodeMessage(tipb.ChecksumResponse, {
            checksum: u64(result.checksum),
            totalKvs: u64(result.totalKvs),
            totalBytes: u64(result.totalBytes),
          });
          return { response: { data }, scannedKeys: result.totalKvs, tag, errorTag: null };
        } finally {
          snapshot.release();
        }
      }
      case REQ_TYPE_ANALYZE:
        tag = "analyze";
        // Parsed first so that garbage gets the parser's message, as for the other types.
        decodeMessage(tipb.AnalyzeReq, req.data, { recursionLimit: TIKV_RECURSION_LIMIT });
        return {
          response: { otherError: "Analyze requests (tp 104) are not supported yet by copr" },
          scannedKeys: 0,
          tag,
          errorTag: "other",
        };
      default:
        return { response: { otherError: `unsupported tp ${tp}` }, scannedKeys: 0, tag, errorTag: "other" };
    }
  } catch (e) {
    if (e instanceof KeyIsLockedError) {
      return { response: { locked: lockInfoToPb(e.lock) }, scannedKeys: 0, tag, errorTag: "meet_lock" };
    }
    if (isDeadlineExceededError(e) || e instanceof DeadlinePassed) {
      return { response: deadlineExceeded(), scannedKeys: 0, tag, errorTag: "deadline_exceeded" };
    }
    return {
      response: { otherError: e instanceof Error ? e.message : String(e) },
      scannedKeys: 0,
      tag,
      errorTag: "other",
    };
  }
}

const MAX_TS = (1n << 64n) - 1n;

function noLocks(mvcc: MvccStore, ranges: readonly { start: Uint8Array; end: Uint8Array }[]): boolean {
  for (const r of ranges) if (mvcc.scanLock(MAX_TS, r, 1).length > 0) return false;
  return true;
}

/** Decodes request bytes and runs them: the read pool workers' entry. Never throws. */
export function runCopRequestBytes(reqBytes: Uint8Array, mvcc: MvccStore, opts: CopRunOptions): CopRunResult {
  let req: coprocessor.Request;
  try {
    req = decodeMessage(coprocessor.Request, reqBytes);
  } catch (e) {
    return {
      response: { otherError: (e as Error).message },
      scannedKeys: 0,
      tag: "unknown",
      errorTag: "other",
    };
  }
  return runCopRequest(req, mvcc, opts);
}
