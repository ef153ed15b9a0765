// Storage errors into kvrpcpb answers (TiKV src/storage/errors.rs `extract_key_error`) and the
// coprocessor's error kinds (src/coprocessor/error.rs, endpoint.rs `make_error_response`).
import { type kvrpcpb, u64 } from "@copr/proto";
import type { LockInfo, MvccKeyError } from "@copr/storage";
import {
  AlreadyExistError,
  CommitTsExpiredError,
  KeyIsLockedError,
  MvccError,
  TxnLockNotFoundError,
  TxnNotFoundError,
  WriteConflictError,
} from "@copr/storage";

const LOCK_TYPE: Record<LockInfo["lockType"], number> = { Put: 0, Delete: 1, Lock: 2, Pessimistic: 5 };
const CONFLICT_REASON: Record<string, number> = { Optimistic: 1, SelfRolledBack: 3, RcCheckTs: 4 };

/** A storage lock as kvrpcpb.LockInfo. */
export function lockInfoToPb(l: LockInfo): kvrpcpb.LockInfo.$Properties {
  return {
    primaryLock: l.primaryLock,
    lockVersion: u64(l.lockVersion),
    key: l.key,
    lockTtl: u64(l.lockTtl),
    txnSize: u64(l.txnSize),
    lockType: LOCK_TYPE[l.lockType] ?? 0,
    useAsyncCommit: l.useAsyncCommit,
    minCommitTs: u64(l.minCommitTs),
    secondaries: l.secondaries,
  };
}

/** A per-key prewrite error as kvrpcpb.KeyError. */
export function mvccKeyErrorToPb(e: MvccKeyError): kvrpcpb.KeyError.$Properties {
  switch (e.kind) {
    case "locked":
      return { locked: lockInfoToPb(e.lock) };
    case "conflict":
      return {
        conflict: {
          startTs: u64(e.startTs),
          conflictTs: u64(e.conflictTs),
          conflictCommitTs: u64(e.conflictCommitTs),
          key: e.key,
          primary: e.primary,
          reason: CONFLICT_REASON.Optimistic!,
        },
        retryable:
          `write conflict, start_ts:${e.startTs}, conflict_start_ts:${e.conflictTs}, ` +
          `conflict_commit_ts:${e.conflictCommitTs}`,
      };
    case "alreadyExist":
      return { alreadyExist: { key: e.key } };
  }
}

/**
 * An error thrown by storage as kvrpcpb.KeyError, as TiKV's `extract_key_error`: the typed
 * member for the errors it knows, `abort` with the message for anything else.
 */
export function keyErrorFromError(e: unknown): kvrpcpb.KeyError.$Properties {
  if (e instanceof KeyIsLockedError) return { locked: lockInfoToPb(e.lock) };
  if (e instanceof WriteConflictError) {
    return {
      conflict: {
        startTs: u64(e.startTs),
        conflictTs: u64(e.conflictStartTs),
        conflictCommitTs: u64(e.conflictCommitTs),
        key: e.key,
        primary: e.primary,
        reason: CONFLICT_REASON[e.reason] ?? 0,
      },
      retryable: e.message,
    };
  }
  if (e instanceof AlreadyExistError) return { alreadyExist: { key: e.key } };
  if (e instanceof TxnLockNotFoundError) return { retryable: e.message, txnLockNotFound: { key: e.key } };
  if (e instanceof TxnNotFoundError) return { txnNotFound: { startTs: u64(e.startTs), primaryKey: e.key } };
  if (e instanceof CommitTsExpiredError) {
    return {
      commitTsExpired: {
        startTs: u64(e.startTs),
        attemptedCommitTs: u64(e.commitTs),
        key: e.key,
        minCommitTs: u64(e.minCommitTs),
      },
    };
  }
  return { abort: e instanceof Error ? e.message : String(e) };
}

/** True for any typed error of @copr/storage. */
export function isStorageError(e: unknown): e is MvccError {
  return e instanceof MvccError;
}

/** The coprocessor's own failures that are not plain `other_error`s (TiKV coprocessor::Error). */
export const COPR_DEADLINE_EXCEEDED = "Coprocessor task terminated due to exceeding the deadline";
export const COPR_MAX_PENDING = "Coprocessor task canceled due to exceeding max pending tasks";
/** ServerIsBusy reason of a passed deadline (tikv_util::deadline). */
export const DEADLINE_BUSY_REASON = "deadline is exceeded";
