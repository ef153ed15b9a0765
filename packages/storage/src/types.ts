// The public contract of @copr/storage: the engine below MVCC, and the MVCC store above it.
// @copr/server codes against these names; implementations live in their own modules.

/** A half-open key range `[start, end)`; an empty `end` means "to the end of the key space". */
export interface KeyRange {
  readonly start: Uint8Array;
  readonly end: Uint8Array;
}

/** One key-value pair met by an iterator. The arrays stay valid until the next `next()` call. */
export interface KvPair {
  key: Uint8Array;
  value: Uint8Array;
}

/** Pairs of one range in key order (descending for a backward iterator). */
export interface KvIterator {
  /** The next pair, or null at the end of the range. */
  next(): KvPair | null;
  /** Frees what the iterator holds; calling `next` afterwards is an error. Idempotent. */
  close(): void;
}

/** Column families, as TiKV's: values, locks, commit/rollback records, and the raw (non-transactional) key space. */
export type ColumnFamily = "default" | "lock" | "write" | "raw";

/** A consistent, read-only view of an engine taken at one moment. */
export interface EngineSnapshot {
  get(cf: ColumnFamily, key: Uint8Array): Uint8Array | null;
  /** Pairs of `cf` with `start <= key < end`, ascending, or descending when `desc`. */
  iter(cf: ColumnFamily, range: KeyRange, desc: boolean): KvIterator;
  /**
   * Optional zero-copy form of {@link iter}: pairs handed out as byte ranges (see
   * {@link RangeIterator} for how long they stay valid). Both engines implement it.
   */
  iterRange?(cf: ColumnFamily, range: KeyRange, desc: boolean): RangeIterator;
  /** Ends the snapshot (an LMDB read transaction). Idempotent. */
  release(): void;
}

/**
 * A key-value pair given as ranges of byte arrays: key at `keyBytes[keyStart..keyEnd)`, value at
 * `valueBytes[valueStart..valueEnd)`. Structurally the `RangePair` of @copr/executors, so a
 * scan fills it without a view or an object per pair.
 */
export interface RangePair {
  keyBytes: Uint8Array;
  keyStart: number;
  keyEnd: number;
  valueBytes: Uint8Array;
  valueStart: number;
  valueEnd: number;
}

/**
 * An engine iterator writing pairs into a caller's {@link RangePair}. Unless `stable`, the bytes
 * are only valid until the next call of `nextRange` here or any other read of the same engine
 * (lmdb-js reads every key and value into process-wide buffers); when `stable`, they stay valid
 * until the snapshot is released.
 */
export interface RangeIterator {
  /** Whether pairs stay valid after later reads (until the snapshot is released). */
  readonly stable: boolean;
  /** The next pair written into `out`, or false at the end of the range. */
  nextRange(out: RangePair): boolean;
  /** Frees what the iterator holds. Idempotent. */
  close(): void;
}

/** One change of a write batch. */
export type WriteOp =
  | { readonly kind: "put"; readonly cf: ColumnFamily; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly kind: "delete"; readonly cf: ColumnFamily; readonly key: Uint8Array };

/** An ordered key-value store with column families, atomic write batches and snapshots. */
export interface Engine {
  /** Applies every op or none, durably (synced) before returning. */
  write(ops: readonly WriteOp[]): void;
  snapshot(): EngineSnapshot;
  /** Flushes and closes; the engine cannot be used afterwards. */
  close(): Promise<void>;
}

/** Transaction isolation of a read (kvrpcpb.IsolationLevel). */
export type IsolationLevel = "SI" | "RC" | "RCCheckTS";

/** What a snapshot read at `startTs` needs besides the timestamp (from kvrpcpb.Context). */
export interface ReadOptions {
  isolation?: IsolationLevel;
  /** Start timestamps of transactions whose locks the reader already resolved as rolled back: ignore their locks. */
  resolvedLocks?: readonly bigint[];
  /** Start timestamps of transactions the reader knows committed: read through their locks. */
  committedLocks?: readonly bigint[];
}

/** Lock kinds (kvrpcpb.Op values as TiKV stores them in a lock). */
export type LockKind = "Put" | "Delete" | "Lock" | "Pessimistic";

/** A lock as reported to clients (kvrpcpb.LockInfo). */
export interface LockInfo {
  primaryLock: Uint8Array;
  lockVersion: bigint;
  key: Uint8Array;
  lockTtl: bigint;
  txnSize: bigint;
  lockType: LockKind;
  minCommitTs: bigint;
  useAsyncCommit: boolean;
  secondaries: Uint8Array[];
}

/** One mutation of a prewrite (kvrpcpb.Mutation; `op` by kvrpcpb.Op name). */
export interface Mutation {
  readonly op: "Put" | "Del" | "Lock" | "Insert" | "CheckNotExists";
  readonly key: Uint8Array;
  /** The value for Put and Insert. */
  readonly value?: Uint8Array;
}

/** A prewrite (kvrpcpb.PrewriteRequest, optimistic transactions). */
export interface PrewriteInput {
  readonly mutations: readonly Mutation[];
  readonly primaryLock: Uint8Array;
  readonly startVersion: bigint;
  readonly lockTtl: bigint;
  readonly txnSize?: bigint;
  readonly minCommitTs?: bigint;
  /** Skip the write-conflict and already-exists checks (TiKV `skip_constraint_check`). */
  readonly skipConstraintCheck?: boolean;
  readonly useAsyncCommit?: boolean;
  readonly secondaries?: readonly Uint8Array[];
}

/** The state of a transaction found by CheckTxnStatus (kvrpcpb.CheckTxnStatusResponse, with TiKV's action). */
export interface TxnStatus {
  /** Remaining lock TTL in ms when the lock is alive, else 0. */
  lockTtl: bigint;
  /** The commit timestamp when committed, else 0. */
  commitVersion: bigint;
  /** kvrpcpb.Action name: what the check did. */
  action:
    | "NoAction"
    | "TTLExpireRollback"
    | "LockNotExistRollback"
    | "MinCommitTSPushed"
    | "LockNotExistDoNothing";
  /** The lock when it is still alive. */
  lockInfo: LockInfo | null;
}

/**
 * Snapshot reads at one `startTs` (what the coprocessor reads through: structurally the
 * `Storage` of @copr/executors). Reads meeting a lock with `lock_ts <= startTs` that the read
 * options do not let it skip throw {@link KeyIsLockedError}.
 */
export interface MvccSnapshot {
  get(key: Uint8Array): Uint8Array | null;
  /** Visible user pairs of `range`, ascending or descending; values are the committed values. */
  scan(range: KeyRange, desc: boolean): MvccScanner;
  /** Ends the underlying engine snapshot. Idempotent. */
  release(): void;
}

/**
 * One snapshot scan (the executors' `StorageScanner`). Read it through one of `next` and
 * `nextRange`; what either returns is valid until the next call (on LMDB: also until any other
 * read of the same engine in this thread, see {@link RangeIterator}).
 */
export interface MvccScanner {
  /** The next visible pair (raw user key, committed value), or null at the end. */
  next(): KvPair | null;
  /** {@link next} written into `out` as byte ranges, no allocation per row; false at the end. */
  nextRange(out: RangePair): boolean;
  /** Ends the scan early (a scan read to its end closes itself). Idempotent. */
  close(): void;
}

/**
 * TiKV's Percolator transactions over an {@link Engine}. Every method is synchronous and each
 * write is one atomic engine batch. Errors are the typed errors of `errors.ts`.
 */
export interface MvccStore {
  /** Per-key errors (write conflict, key is locked, already exists) in mutation order; empty on success, nothing written unless empty. */
  prewrite(input: PrewriteInput): MvccKeyError[];
  commit(keys: readonly Uint8Array[], startVersion: bigint, commitVersion: bigint): void;
  batchRollback(keys: readonly Uint8Array[], startVersion: bigint): void;
  /** Rolls back `key`'s lock of `startVersion` if expired at `currentTs` (TiKV Cleanup); returns 0, or throws Committed. */
  cleanup(key: Uint8Array, startVersion: bigint, currentTs: bigint): void;
  checkTxnStatus(input: {
    primaryKey: Uint8Array;
    lockTs: bigint;
    callerStartTs: bigint;
    currentTs: bigint;
    rollbackIfNotExist: boolean;
  }): TxnStatus;
  /** Commits (`commitVersion > 0`) or rolls back (`0`) the locks of `startVersion`: on `keys`, or on every key when `keys` is empty. */
  resolveLock(startVersion: bigint, commitVersion: bigint, keys?: readonly Uint8Array[]): void;
  scanLock(maxVersion: bigint, range: KeyRange, limit: number): LockInfo[];
  get(key: Uint8Array, startTs: bigint, opts?: ReadOptions): Uint8Array | null;
  batchGet(keys: readonly Uint8Array[], startTs: bigint, opts?: ReadOptions): KvPair[];
  scan(
    range: KeyRange,
    startTs: bigint,
    limit: number,
    opts?: ReadOptions & { keyOnly?: boolean; reverse?: boolean },
  ): KvPair[];
  snapshot(startTs: bigint, opts?: ReadOptions): MvccSnapshot;
  /** Raw (non-transactional) key space, TiKV's RawKV in its own column family of keys. */
  rawGet(key: Uint8Array): Uint8Array | null;
  rawPut(pairs: readonly KvPair[]): void;
  rawDelete(keys: readonly Uint8Array[]): void;
  rawScan(range: KeyRange, limit: number, keyOnly: boolean, reverse: boolean): KvPair[];
}

/** A per-key prewrite error (one kvrpcpb.KeyError). */
export type MvccKeyError =
  | { kind: "locked"; lock: LockInfo }
  | {
      kind: "conflict";
      startTs: bigint;
      conflictTs: bigint;
      conflictCommitTs: bigint;
      key: Uint8Array;
      primary: Uint8Array;
    }
  | { kind: "alreadyExist"; key: Uint8Array };
