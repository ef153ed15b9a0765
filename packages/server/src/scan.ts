// KvScan over an MVCC store (TiKV src/server/service/kv.rs `future_scan`): a plain-data task so
// that it can run in a read pool worker as well as inline.
import { encodeMessage, kvrpcpb } from "@copr/proto";
import type { IsolationLevel, MvccStore } from "@copr/storage";
import { keyErrorFromError } from "./errors.js";

/** A KvScan after its region checks: the range is ascending, already clamped to the region. */
export interface ScanTask {
  start: Uint8Array;
  end: Uint8Array;
  limit: number;
  /** start_ts of the read, as a decimal string (bigint does not cross threads as plain data cheaply). */
  version: string;
  keyOnly: boolean;
  reverse: boolean;
  isolation: IsolationLevel;
  resolvedLocks: string[];
  committedLocks: string[];
}

/** Runs a scan task; storage errors become the response's `error` (and a first pair carrying it). */
export function runScanTask(t: ScanTask, mvcc: MvccStore): kvrpcpb.ScanResponse.$Properties {
  try {
    const pairs = mvcc.scan({ start: t.start, end: t.end }, BigInt(t.version), t.limit, {
      keyOnly: t.keyOnly,
      reverse: t.reverse,
      isolation: t.isolation,
      ...(t.resolvedLocks.length > 0 ? { resolvedLocks: t.resolvedLocks.map(BigInt) } : {}),
      ...(t.committedLocks.length > 0 ? { committedLocks: t.committedLocks.map(BigInt) } : {}),
    });
    return { pairs: pairs.map((p) => ({ key: p.key, value: t.keyOnly ? new Uint8Array(0) : p.value })) };
  } catch (e) {
    const error = keyErrorFromError(e);
    // TiKV repeats the error in a first pair for older clients.
    return { error, pairs: [{ error }] };
  }
}

/** {@link runScanTask} answered as encoded kvrpcpb.ScanResponse bytes. */
export function runScanTaskBytes(t: ScanTask, mvcc: MvccStore): Uint8Array {
  return encodeMessage(kvrpcpb.ScanResponse, runScanTask(t, mvcc));
}
