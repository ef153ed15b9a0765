// TiKV's Percolator transactions over an Engine: prewrite, commit, rollback, cleanup,
// check_txn_status, resolve_lock and scan_lock (src/storage/txn/actions/*.rs and the matching
// src/storage/txn/commands/*.rs), snapshot reads, and RawKV on the "raw" CF.

import { checkKey, checkRange } from "./engine-common.js";
import {
  CommitTsExpiredError,
  CommittedError,
  hexKey,
  InvalidArgumentError,
  InvalidTxnTsoError,
  KeyIsLockedError,
  LockTypeNotMatchError,
  MvccError,
  TxnLockNotFoundError,
  TxnNotFoundError,
} from "./errors.js";
import { appendTs, bytesEqual, checkTs, encodeUserKey, MAX_TS, physical } from "./keys.js";
import {
  decodeUserKey,
  getTxnCommitRecord,
  getWrite,
  pointGet,
  readCtx,
  SnapshotReader,
  seekWrite,
  type TxnCommitRecord,
} from "./reader.js";
import {
  encodeLock,
  encodeWrite,
  isProtectedRollback,
  type Lock,
  lockInfoOf,
  newLock,
  newRollback,
  newWrite,
  parseLock,
  SHORT_VALUE_MAX_LEN,
  type Write,
  type WriteType,
} from "./records.js";
import type {
  Engine,
  EngineSnapshot,
  KeyRange,
  KvPair,
  LockInfo,
  MvccKeyError,
  MvccSnapshot,
  MvccStore,
  PrewriteInput,
  ReadOptions,
  TxnStatus,
  WriteOp,
} from "./types.js";

/** TiKV's internal TxnStatus of check_txn_status / cleanup. */
type InnerStatus =
  | { kind: "RolledBack" }
  | { kind: "TtlExpire" }
  | { kind: "LockNotExist" }
  | { kind: "Committed"; commitTs: bigint }
  | { kind: "Uncommitted"; lock: Lock; minCommitTsPushed: boolean };

type MissingLockAction = "Rollback" | "ProtectedRollback" | "ReturnError";

/** A key as a Map key: one char per byte (much cheaper than hex). */
function mapKey(b: Uint8Array): string {
  return b.length <= 4096
    ? String.fromCharCode.apply(null, b as unknown as number[])
    : Buffer.from(b).toString("latin1");
}

/** The writes of one command plus the reads it needs; locks it changed read back as changed. */
class Txn {
  readonly ops: WriteOp[] = [];
  private readonly pendingLocks = new Map<string, Lock | null>();
  constructor(
    readonly snap: EngineSnapshot,
    readonly startTs: bigint,
  ) {}

  loadLock(enc: Uint8Array): Lock | null {
    const k = mapKey(enc);
    if (this.pendingLocks.has(k)) return this.pendingLocks.get(k)!;
    const b = this.snap.get("lock", enc);
    return b === null ? null : parseLock(b);
  }
  putLock(enc: Uint8Array, lock: Lock): void {
    this.pendingLocks.set(mapKey(enc), lock);
    this.ops.push({ kind: "put", cf: "lock", key: enc, value: encodeLock(lock) });
  }
  unlockKey(enc: Uint8Array): void {
    this.pendingLocks.set(mapKey(enc), null);
    this.ops.push({ kind: "delete", cf: "lock", key: enc });
  }
  putValue(enc: Uint8Array, ts: bigint, value: Uint8Array): void {
    this.ops.push({ kind: "put", cf: "default", key: appendTs(enc, ts), value });
  }
  deleteValue(enc: Uint8Array, ts: bigint): void {
    this.ops.push({ kind: "delete", cf: "default", key: appendTs(enc, ts) });
  }
  putWrite(enc: Uint8Array, commitTs: bigint, w: Write): void {
    this.ops.push({ kind: "put", cf: "write", key: appendTs(enc, commitTs), value: encodeWrite(w) });
  }
  deleteWrite(enc: Uint8Array, commitTs: bigint): void {
    this.ops.push({ kind: "delete", cf: "write", key: appendTs(enc, commitTs) });
  }
}

function writeTypeFromLock(lock: Lock): WriteType {
  switch (lock.type) {
    case "Put":
      return "Put";
    case "Delete":
      return "Delete";
    default:
      return "Lock";
  }
}

function checkKeys(keys: readonly Uint8Array[]): void {
  if (!Array.isArray(keys)) throw new InvalidArgumentError("keys must be an array");
  for (let i = 0; i < keys.length; i++) checkKey(keys[i]!, `key ${i}`);
}

/** TiKV `make_rollback`. */
function makeRollback(
  startTs: bigint,
  isProtected: boolean,
  overlapped: { write: Write; gcFence: bigint } | null,
): Write | null {
  if (overlapped !== null) {
    return isProtected
      ? { ...overlapped.write, hasOverlappedRollback: true, gcFence: overlapped.gcFence }
      : null;
  }
  return newRollback(startTs, isProtected);
}

/** TiKV `collapse_prev_rollback`: drops an unprotected rollback record just below the txn. */
function collapsePrevRollback(txn: Txn, enc: Uint8Array): void {
  const prev = seekWrite(txn.snap, enc, txn.startTs);
  if (prev !== null && prev.write.type === "Rollback" && !isProtectedRollback(prev.write)) {
    txn.deleteWrite(enc, prev.commitTs);
  }
}

/** TiKV `rollback_lock`. */
function rollbackLock(txn: Txn, enc: Uint8Array, rawKey: Uint8Array, lock: Lock, collapse: boolean): void {
  const rec = getTxnCommitRecord(txn.snap, enc, txn.startTs);
  if (rec.kind === "single" && rec.write.type !== "Rollback") {
    throw new MvccError(
      "Other",
      `txn record found but not expected: start_ts ${txn.startTs} commit_ts ${rec.commitTs} key ${hexKey(rawKey)}`,
    );
  }
  if (rec.kind !== "none") {
    txn.unlockKey(enc);
    return;
  }
  if (lock.shortValue === null && lock.type === "Put") txn.deleteValue(enc, lock.ts);
  const isProtected = bytesEqual(rawKey, lock.primary) || lock.generation > 0n;
  const w = makeRollback(txn.startTs, isProtected, rec.overlapped);
  if (w !== null) txn.putWrite(enc, txn.startTs, w);
  if (collapse) collapsePrevRollback(txn, enc);
  txn.unlockKey(enc);
}

/** TiKV `mark_rollback_on_mismatching_lock` (async-commit locks remember rollbacks at their ts). */
function markRollbackOnMismatchingLock(txn: Txn, enc: Uint8Array, lock: Lock, isProtected: boolean): void {
  if (!isProtected) return;
  if (txn.startTs < lock.minCommitTs) return;
  if (!lock.useAsyncCommit) return;
  txn.putLock(enc, { ...lock, rollbackTs: [...lock.rollbackTs, txn.startTs] });
}

/** TiKV `check_txn_status_missing_lock`. */
function checkTxnStatusMissingLock(
  txn: Txn,
  enc: Uint8Array,
  rawKey: Uint8Array,
  mismatchLock: Lock | null,
  action: MissingLockAction,
): InnerStatus {
  const rec: TxnCommitRecord = getTxnCommitRecord(txn.snap, enc, txn.startTs);
  if (rec.kind === "single") {
    return rec.write.type === "Rollback"
      ? { kind: "RolledBack" }
      : { kind: "Committed", commitTs: rec.commitTs };
  }
  if (rec.kind === "overlappedRollback") return { kind: "RolledBack" };
  if (action === "ReturnError") throw new TxnNotFoundError(txn.startTs, rawKey);
  const collapse = action === "Rollback";
  if (collapse) collapsePrevRollback(txn, enc);
  if (mismatchLock !== null && rec.overlapped === null) {
    markRollbackOnMismatchingLock(txn, enc, mismatchLock, action === "ProtectedRollback");
  }
  const w = makeRollback(txn.startTs, !collapse, rec.overlapped);
  if (w !== null) txn.putWrite(enc, txn.startTs, w);
  return { kind: "LockNotExist" };
}

/** TiKV `cleanup` action (also what Rollback does per key, with current_ts 0). */
function cleanupKey(txn: Txn, rawKey: Uint8Array, currentTs: bigint, protectRollback: boolean): void {
  const enc = encodeUserKey(rawKey);
  const lock = txn.loadLock(enc);
  if (lock !== null && lock.ts === txn.startTs) {
    if (currentTs !== 0n && physical(lock.ts) + lock.ttl >= physical(currentTs)) {
      throw new KeyIsLockedError(lockInfoOf(lock, rawKey));
    }
    rollbackLock(txn, enc, rawKey, lock, !protectRollback);
    return;
  }
  const status = checkTxnStatusMissingLock(
    txn,
    enc,
    rawKey,
    lock,
    protectRollback ? "ProtectedRollback" : "Rollback",
  );
  if (status.kind === "Committed") throw new CommittedError(txn.startTs, status.commitTs, rawKey);
}

/** TiKV `commit` action. */
function commitKey(txn: Txn, rawKey: Uint8Array, commitTs: bigint): void {
  const enc = encodeUserKey(rawKey);
  const lock = txn.loadLock(enc);
  if (lock === null || lock.ts !== txn.startTs) {
    const rec = getTxnCommitRecord(txn.snap, enc, txn.startTs);
    if (rec.kind === "single" && rec.write.type !== "Rollback") return; // already committed
    throw new TxnLockNotFoundError(txn.startTs, commitTs, rawKey);
  }
  if (commitTs < lock.minCommitTs)
    throw new CommitTsExpiredError(txn.startTs, commitTs, rawKey, lock.minCommitTs);
  if (lock.type === "Pessimistic") {
    // A stale pessimistic lock is removed rather than committed.
    txn.unlockKey(enc);
    return;
  }
  const w = newWrite(writeTypeFromLock(lock), txn.startTs, lock.shortValue);
  w.lastChangeTs = lock.lastChangeTs;
  w.versionsToLastChange = lock.versionsToLastChange;
  w.txnSource = lock.txnSource;
  if (lock.rollbackTs.includes(commitTs)) w.hasOverlappedRollback = true;
  txn.putWrite(enc, commitTs, w);
  txn.unlockKey(enc);
}

function statusOut(s: InnerStatus): TxnStatus {
  switch (s.kind) {
    case "RolledBack":
      return { lockTtl: 0n, commitVersion: 0n, action: "NoAction", lockInfo: null };
    case "TtlExpire":
      return { lockTtl: 0n, commitVersion: 0n, action: "TTLExpireRollback", lockInfo: null };
    case "LockNotExist":
      return { lockTtl: 0n, commitVersion: 0n, action: "LockNotExistRollback", lockInfo: null };
    case "Committed":
      return { lockTtl: 0n, commitVersion: s.commitTs, action: "NoAction", lockInfo: null };
    case "Uncommitted":
      return {
        lockTtl: s.lock.ttl,
        commitVersion: 0n,
        action: s.minCommitTsPushed ? "MinCommitTSPushed" : "NoAction",
        // TiKV reports the lock keyed by its primary.
        lockInfo: lockInfoOf(s.lock, s.lock.primary),
      };
  }
}

/**
 * The MVCC store: {@link MvccStore} over any {@link Engine}. Every command reads one engine
 * snapshot, releases it, then applies its changes as one atomic batch; commands are synchronous,
 * so within one process they never interleave (TiKV needs latches for this).
 */
export class Mvcc implements MvccStore {
  constructor(readonly engine: Engine) {}

  private run<T>(startTs: bigint, body: (txn: Txn) => T): T {
    const snap = this.engine.snapshot();
    let txn: Txn;
    let result: T;
    try {
      txn = new Txn(snap, startTs);
      result = body(txn);
    } finally {
      snap.release();
    }
    if (txn.ops.length > 0) this.engine.write(txn.ops);
    return result;
  }

  prewrite(input: PrewriteInput): MvccKeyError[] {
    const { mutations, primaryLock, startVersion } = input;
    checkTs("startVersion", startVersion);
    checkTs("lockTtl", input.lockTtl);
    if (!Array.isArray(mutations)) throw new InvalidArgumentError("mutations must be an array");
    checkKey(primaryLock, "primaryLock");
    const txnSize = input.txnSize ?? 0n;
    const minCommitTs = input.minCommitTs ?? 0n;
    checkTs("txnSize", txnSize);
    checkTs("minCommitTs", minCommitTs);
    for (let i = 0; i < mutations.length; i++) {
      const m = mutations[i]!;
      checkKey(m.key, `key of mutation ${i}`);
      if (m.op === "Put" || m.op === "Insert") {
        if (!(m.value instanceof Uint8Array))
          throw new InvalidArgumentError(`mutation ${i} (${m.op}) has no value`);
      } else if (m.op !== "Del" && m.op !== "Lock" && m.op !== "CheckNotExists") {
        throw new InvalidArgumentError(`mutation ${i} has unknown op ${JSON.stringify(m.op)}`);
      }
    }
    const skipCheck = input.skipConstraintCheck === true;
    const useAsync = input.useAsyncCommit === true;
    const snap = this.engine.snapshot();
    const txn = new Txn(snap, startVersion);
    const locked: MvccKeyError[] = [];
    try {
      for (const m of mutations) {
        const enc = encodeUserKey(m.key);
        const lock = txn.loadLock(enc);
        if (lock !== null) {
          if (lock.ts !== startVersion) {
            locked.push({ kind: "locked", lock: lockInfoOf(lock, m.key) });
            continue;
          }
          if (lock.type === "Pessimistic") throw new LockTypeNotMatchError(startVersion, m.key, true);
          continue; // our own lock: a resent prewrite changes nothing
        }
        const shouldNotExist = m.op === "Insert" || m.op === "CheckNotExists";
        if (!skipCheck) {
          const newest = seekWrite(snap, enc, MAX_TS);
          if (newest !== null) {
            const { commitTs, write } = newest;
            // Our own rollback (or a commit overlapping it) at start_ts: TiKV's SelfRolledBack.
            const selfRolledBack =
              commitTs === startVersion && (write.type === "Rollback" || write.hasOverlappedRollback);
            if (selfRolledBack || commitTs > startVersion) {
              return [
                {
                  kind: "conflict",
                  startTs: startVersion,
                  conflictTs: write.startTs,
                  conflictCommitTs: commitTs,
                  key: m.key,
                  primary: primaryLock,
                },
              ];
            }
            // check_data_constraint: a Put, or a Lock/Rollback over an older Put, means it exists.
            if (
              shouldNotExist &&
              write.type !== "Delete" &&
              (write.gcFence === null || write.gcFence === 0n)
            ) {
              const exists =
                write.type === "Put" || getWrite(snap, enc, commitTs - 1n, startVersion) !== null;
              if (exists) return [{ kind: "alreadyExist", key: m.key }];
            }
          }
        }
        if (m.op === "CheckNotExists") continue;
        const type = m.op === "Put" || m.op === "Insert" ? "Put" : m.op === "Del" ? "Delete" : "Lock";
        const l = newLock(type, primaryLock, startVersion, input.lockTtl);
        l.txnSize = txnSize;
        l.minCommitTs = minCommitTs;
        if (m.value !== undefined && type === "Put") {
          if (m.value.length <= SHORT_VALUE_MAX_LEN) l.shortValue = new Uint8Array(m.value);
          else txn.putValue(enc, startVersion, m.value);
        }
        if (useAsync) {
          l.useAsyncCommit = true;
          // Only the primary lock lists the secondaries (TiKV commands/prewrite.rs).
          if (bytesEqual(m.key, primaryLock))
            l.secondaries = (input.secondaries ?? []).map((k) => new Uint8Array(k));
          // Without a concurrency manager the min commit ts is start_ts + 1 at least.
          if (l.minCommitTs <= startVersion) l.minCommitTs = startVersion + 1n;
        }
        txn.putLock(enc, l);
      }
    } finally {
      snap.release();
    }
    if (locked.length > 0) return locked;
    if (txn.ops.length > 0) this.engine.write(txn.ops);
    return [];
  }

  commit(keys: readonly Uint8Array[], startVersion: bigint, commitVersion: bigint): void {
    checkTs("startVersion", startVersion);
    checkTs("commitVersion", commitVersion);
    checkKeys(keys);
    if (commitVersion <= startVersion) throw new InvalidTxnTsoError(startVersion, commitVersion);
    this.run(startVersion, (txn) => {
      for (const k of keys) commitKey(txn, k, commitVersion);
    });
  }

  batchRollback(keys: readonly Uint8Array[], startVersion: bigint): void {
    checkTs("startVersion", startVersion);
    checkKeys(keys);
    this.run(startVersion, (txn) => {
      for (const k of keys) cleanupKey(txn, k, 0n, false);
    });
  }

  cleanup(key: Uint8Array, startVersion: bigint, currentTs: bigint): void {
    checkTs("startVersion", startVersion);
    checkTs("currentTs", currentTs);
    checkKey(key);
    this.run(startVersion, (txn) => cleanupKey(txn, key, currentTs, true));
  }

  checkTxnStatus(input: {
    primaryKey: Uint8Array;
    lockTs: bigint;
    callerStartTs: bigint;
    currentTs: bigint;
    rollbackIfNotExist: boolean;
  }): TxnStatus {
    const { primaryKey, lockTs, callerStartTs, currentTs } = input;
    checkKey(primaryKey, "primaryKey");
    checkTs("lockTs", lockTs);
    checkTs("callerStartTs", callerStartTs);
    checkTs("currentTs", currentTs);
    const status = this.run(lockTs, (txn): InnerStatus => {
      const enc = encodeUserKey(primaryKey);
      const lock = txn.loadLock(enc);
      if (lock === null || lock.ts !== lockTs) {
        return checkTxnStatusMissingLock(
          txn,
          enc,
          primaryKey,
          lock,
          input.rollbackIfNotExist ? "ProtectedRollback" : "ReturnError",
        );
      }
      // check_txn_status_lock_exists.
      if (lock.useAsyncCommit) return { kind: "Uncommitted", lock, minCommitTsPushed: false };
      if (physical(lock.ts) + lock.ttl < physical(currentTs)) {
        rollbackLock(txn, enc, primaryKey, lock, true);
        return { kind: "TtlExpire" };
      }
      if (
        lock.type !== "Pessimistic" &&
        lock.minCommitTs !== 0n &&
        callerStartTs !== MAX_TS &&
        callerStartTs >= lock.minCommitTs
      ) {
        let pushed = callerStartTs + 1n;
        if (pushed < currentTs) pushed = currentTs;
        const updated = { ...lock, minCommitTs: pushed };
        txn.putLock(enc, updated);
        return { kind: "Uncommitted", lock: updated, minCommitTsPushed: true };
      }
      const pushed = (callerStartTs !== 0n && lock.minCommitTs > callerStartTs) || callerStartTs === MAX_TS;
      return { kind: "Uncommitted", lock, minCommitTsPushed: pushed };
    });
    return statusOut(status);
  }

  resolveLock(startVersion: bigint, commitVersion: bigint, keys?: readonly Uint8Array[]): void {
    checkTs("startVersion", startVersion);
    checkTs("commitVersion", commitVersion);
    if (commitVersion !== 0n && commitVersion <= startVersion)
      throw new InvalidTxnTsoError(startVersion, commitVersion);
    if (keys !== undefined) checkKeys(keys);
    this.run(startVersion, (txn) => {
      let targets: readonly Uint8Array[];
      if (keys !== undefined && keys.length > 0) {
        targets = keys; // ResolveLockLite
      } else {
        // ResolveLock: every lock of this transaction.
        const found: Uint8Array[] = [];
        const it = txn.snap.iter("lock", { start: new Uint8Array(0), end: new Uint8Array(0) }, false);
        try {
          for (let p = it.next(); p !== null; p = it.next()) {
            if (parseLock(p.value).ts === startVersion) found.push(decodeUserKey(p.key, p.key.length));
          }
        } finally {
          it.close();
        }
        targets = found;
      }
      for (const k of targets) {
        if (commitVersion === 0n) cleanupKey(txn, k, 0n, false);
        else commitKey(txn, k, commitVersion);
      }
    });
  }

  scanLock(maxVersion: bigint, range: KeyRange, limit: number): LockInfo[] {
    checkTs("maxVersion", maxVersion);
    checkRange(range);
    const out: LockInfo[] = [];
    const snap = this.engine.snapshot();
    try {
      const r = {
        start: range.start.length === 0 ? range.start : encodeUserKey(range.start),
        end: range.end.length === 0 ? range.end : encodeUserKey(range.end),
      };
      const it = snap.iter("lock", r, false);
      try {
        for (let p = it.next(); p !== null; p = it.next()) {
          const lock = parseLock(p.value);
          if (lock.ts > maxVersion) continue;
          out.push(lockInfoOf(lock, decodeUserKey(p.key, p.key.length)));
          if (limit > 0 && out.length >= limit) break;
        }
      } finally {
        it.close();
      }
    } finally {
      snap.release();
    }
    return out;
  }

  get(key: Uint8Array, startTs: bigint, opts?: ReadOptions): Uint8Array | null {
    checkKey(key);
    checkTs("startTs", startTs);
    const snap = this.engine.snapshot();
    try {
      return pointGet(snap, key, readCtx(startTs, opts)) ?? null;
    } finally {
      snap.release();
    }
  }

  batchGet(keys: readonly Uint8Array[], startTs: bigint, opts?: ReadOptions): KvPair[] {
    checkKeys(keys);
    checkTs("startTs", startTs);
    const ctx = readCtx(startTs, opts);
    const out: KvPair[] = [];
    const snap = this.engine.snapshot();
    try {
      for (const k of keys) {
        const v = pointGet(snap, k, ctx);
        if (v !== null) out.push({ key: new Uint8Array(k), value: new Uint8Array(v) });
      }
    } finally {
      snap.release();
    }
    return out;
  }

  /** `range` is `[start, end)` in both directions; `reverse` returns it from the end down. */
  scan(
    range: KeyRange,
    startTs: bigint,
    limit: number,
    opts?: ReadOptions & { keyOnly?: boolean; reverse?: boolean },
  ): KvPair[] {
    checkRange(range);
    checkTs("startTs", startTs);
    const out: KvPair[] = [];
    const r = new SnapshotReader(this.engine.snapshot(), startTs, opts);
    try {
      copyPairs(r.scan(range, opts?.reverse === true), limit, opts?.keyOnly === true, out);
    } finally {
      r.release();
    }
    return out;
  }

  /**
   * A reader at `startTs` sharing one engine snapshot across gets and scans (what the
   * coprocessor reads). Scans return views valid until their next `next()`; release when done.
   */
  snapshot(startTs: bigint, opts?: ReadOptions): MvccSnapshot {
    checkTs("startTs", startTs);
    return new SnapshotReader(this.engine.snapshot(), startTs, opts);
  }

  rawGet(key: Uint8Array): Uint8Array | null {
    checkKey(key);
    const snap = this.engine.snapshot();
    try {
      return snap.get("raw", key) ?? null;
    } finally {
      snap.release();
    }
  }

  rawPut(pairs: readonly KvPair[]): void {
    if (!Array.isArray(pairs)) throw new InvalidArgumentError("pairs must be an array");
    this.engine.write(pairs.map((p) => ({ kind: "put", cf: "raw", key: p.key, value: p.value })));
  }

  rawDelete(keys: readonly Uint8Array[]): void {
    checkKeys(keys);
    this.engine.write(keys.map((key) => ({ kind: "delete", cf: "raw", key })));
  }

  /** `range` is `[start, end)` in both directions; `reverse` returns it from the end down. */
  rawScan(range: KeyRange, limit: number, keyOnly: boolean, reverse: boolean): KvPair[] {
    checkRange(range);
    const out: KvPair[] = [];
    const snap = this.engine.snapshot();
    try {
      copyPairs(snap.iter("raw", range, reverse), limit, keyOnly, out);
    } finally {
      snap.release();
    }
    return out;
  }
}

/** Copies the pairs of `it` into `out` (up to `limit` when positive; values empty for `keyOnly`), then closes it. */
function copyPairs(
  it: { next(): KvPair | null; close(): void },
  limit: number,
  keyOnly: boolean,
  out: KvPair[],
): void {
  try {
    for (let p = it.next(); p !== null; p = it.next()) {
      out.push({ key: new Uint8Array(p.key), value: keyOnly ? new Uint8Array(0) : new Uint8Array(p.value) });
      if (limit > 0 && out.length >= limit) break;
    }
  } finally {
    it.close();
  }
}
