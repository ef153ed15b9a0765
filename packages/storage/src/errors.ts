// Typed errors of @copr/storage: MVCC errors as TiKV's src/storage/mvcc/mod.rs ErrorInner
// (messages follow its #[error] texts) and engine failures.

import type { LockInfo } from "./types.js";

const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, "0"));

/** Upper-case hex of a key, as TiKV logs keys. */
export function hexKey(key: Uint8Array): string {
  let s = "";
  for (let i = 0; i < key.length; i++) s += HEX_BYTE[key[i]!]!;
  return s;
}

function lockInfoText(l: LockInfo): string {
  return (
    `LockInfo { primary_lock: ${hexKey(l.primaryLock)}, lock_version: ${l.lockVersion}, key: ${hexKey(l.key)}, ` +
    `lock_ttl: ${l.lockTtl}, txn_size: ${l.txnSize}, lock_type: ${l.lockType}, min_commit_ts: ${l.minCommitTs}, ` +
    `use_async_commit: ${l.useAsyncCommit} }`
  );
}

/** Base of every error @copr/storage throws; `kind` names the TiKV error. */
export class MvccError extends Error {
  readonly kind: string;
  constructor(kind: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = `${kind}Error`;
  }
}

/** A read or write met a lock it may not pass (kvrpcpb.KeyError.locked). */
export class KeyIsLockedError extends MvccError {
  constructor(readonly lock: LockInfo) {
    super("KeyIsLocked", `key is locked (backoff or cleanup) ${lockInfoText(lock)}`);
  }
}

/** Why a write conflict was raised (kvrpcpb.WriteConflict.Reason). */
export type WriteConflictReason = "Optimistic" | "SelfRolledBack" | "RcCheckTs";

/** A newer commit (or this txn's own rollback) was found (kvrpcpb.WriteConflict). */
export class WriteConflictError extends MvccError {
  constructor(
    readonly startTs: bigint,
    readonly conflictStartTs: bigint,
    readonly conflictCommitTs: bigint,
    readonly key: Uint8Array,
    readonly primary: Uint8Array,
    readonly reason: WriteConflictReason,
  ) {
    super(
      "WriteConflict",
      `write conflict, start_ts:${startTs}, conflict_start_ts:${conflictStartTs}, conflict_commit_ts:${conflictCommitTs}, key:${hexKey(key)}, primary:${hexKey(primary)}, reason: ${reason}`,
    );
  }
}

/** An Insert or CheckNotExists met a visible value. */
export class AlreadyExistError extends MvccError {
  constructor(
    readonly key: Uint8Array,
    readonly existingStartTs: bigint,
  ) {
    super("AlreadyExist", `key ${hexKey(key)} already exists with existing_start_ts=${existingStartTs}`);
  }
}

/** Commit found neither this transaction's lock nor its commit record. */
export class TxnLockNotFoundError extends MvccError {
  constructor(
    readonly startTs: bigint,
    readonly commitTs: bigint,
    readonly key: Uint8Array,
  ) {
    super("TxnLockNotFound", `txn lock not found ${startTs}-${commitTs} key:${hexKey(key)}`);
  }
}

/** Rollback or cleanup of a transaction that already committed. */
export class CommittedError extends MvccError {
  constructor(
    readonly startTs: bigint,
    readonly commitTs: bigint,
    readonly key: Uint8Array,
  ) {
    super(
      "Committed",
      `txn already committed, start_ts: ${startTs}, commit_ts: ${commitTs}, key: ${hexKey(key)}`,
    );
  }
}

/** Commit with a commit_ts below the lock's min_commit_ts. */
export class CommitTsExpiredError extends MvccError {
  constructor(
    readonly startTs: bigint,
    readonly commitTs: bigint,
    readonly key: Uint8Array,
    readonly minCommitTs: bigint,
  ) {
    super(
      "CommitTsExpired",
      `try to commit key ${hexKey(key)} with commit_ts ${commitTs} but min_commit_ts is ${minCommitTs}`,
    );
  }
}

/** CheckTxnStatus found no lock and no record, and was told not to roll back. */
export class TxnNotFoundError extends MvccError {
  constructor(
    readonly startTs: bigint,
    readonly key: Uint8Array,
  ) {
    super("TxnNotFound", `txn not found ${startTs} key: ${hexKey(key)}`);
  }
}

/** An optimistic prewrite met a pessimistic lock of its own transaction. */
export class LockTypeNotMatchError extends MvccError {
  constructor(
    readonly startTs: bigint,
    readonly key: Uint8Array,
    readonly pessimistic: boolean,
  ) {
    super(
      "LockTypeNotMatch",
      `lock type not match, start_ts:${startTs}, key:${hexKey(key)}, pessimistic:${pessimistic}`,
    );
  }
}

/** Commit with commit_ts <= start_ts (TiKV's InvalidTxnTso). */
export class InvalidTxnTsoError extends MvccError {
  constructor(
    readonly startTs: bigint,
    readonly commitTs: bigint,
  ) {
    super("InvalidTxnTso", `invalid transaction tso with start_ts:${startTs}, commit_ts:${commitTs}`);
  }
}

/** A Put write record whose long value is missing from the default CF. */
export class DefaultNotFoundError extends MvccError {
  constructor(readonly key: Uint8Array) {
    super(
      "DefaultNotFound",
      `default not found: key:${hexKey(key)}, maybe read truncated/dropped table data?`,
    );
  }
}

/** A stored lock, write record or key that does not parse. */
export class BadFormatError extends MvccError {
  constructor(what: string, detail: string) {
    super("BadFormat", `bad format ${what}: ${detail}`);
  }
}

/** A request argument that cannot be served (empty key, missing value, bad range...). */
export class InvalidArgumentError extends MvccError {
  constructor(message: string) {
    super("InvalidArgument", message);
  }
}

/** A failure of the storage engine below MVCC (I/O, map full, closed engine...). */
export class StorageEngineError extends MvccError {
  constructor(message: string, cause?: unknown) {
    super("StorageEngine", message, cause === undefined ? undefined : { cause });
  }
}
