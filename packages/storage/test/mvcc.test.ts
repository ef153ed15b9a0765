// The MVCC suite, run against both engines. Cases follow TiKV's tests where named.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AlreadyExistError,
  CommitTsExpiredError,
  CommittedError,
  type Engine,
  InvalidArgumentError,
  InvalidTxnTsoError,
  KeyIsLockedError,
  type KeyRange,
  MAX_TS,
  Mvcc,
  type MvccKeyError,
  SHORT_VALUE_MAX_LEN,
  TxnLockNotFoundError,
  TxnNotFoundError,
  WriteConflictError,
} from "../src/index.js";
import { compose, ENGINES, enc, str, T } from "./helpers.js";

const LONG = "v".repeat(SHORT_VALUE_MAX_LEN + 1);

describe.each(ENGINES)("MVCC on $name", (ec) => {
  let engine: Engine;
  let dispose: () => Promise<void>;
  let t: T;
  let mvcc: Mvcc;
  beforeEach(() => {
    ({ engine, dispose } = ec.make());
    mvcc = new Mvcc(engine);
    t = new T(mvcc, engine);
  });
  afterEach(async () => {
    await dispose();
  });

  // src/storage/mvcc/txn.rs test_mvcc_txn_read (optimistic part), short and long values.
  it.each([
    ["short", "v1"],
    ["long", LONG],
  ])("reads versions, locks and deletes (%s value)", (_, v) => {
    expect(t.get("k1", 1n)).toBeNull();
    t.prewritePut("k1", v, "k1", 2n);
    t.rollback("k1", 2n);
    expect(t.get("k1", 3n)).toBeNull(); // rollback ignored
    t.prewriteLock("k1", "k1", 3n);
    t.commit("k1", 3n, 4n);
    expect(t.get("k1", 5n)).toBeNull(); // read lock record ignored
    t.prewritePut("k1", v, "k1", 5n);
    t.prewritePut("k2", v, "k1", 5n);
    expect(t.get("k1", 4n)).toBeNull(); // later locks do not matter
    expect(() => t.get("k1", 7n)).toThrow(KeyIsLockedError);
    expect(t.get("k1", MAX_TS)).toBeNull(); // the primary lock is ignored at max ts
    expect(() => t.get("k2", MAX_TS)).toThrow(KeyIsLockedError); // a secondary is not
    t.commit("k1", 5n, 10n);
    t.commit("k2", 5n, 10n);
    expect(t.get("k1", 3n)).toBeNull();
    expect(t.get("k1", 7n)).toBeNull();
    expect(t.get("k1", 13n)).toBe(v);
    expect(t.get("k1", MAX_TS)).toBe(v);
    t.prewriteDelete("k1", "k1", 15n);
    expect(t.get("k1", MAX_TS)).toBe(v);
    t.commit("k1", 15n, 20n);
    expect(t.get("k1", 3n)).toBeNull();
    expect(t.get("k1", 13n)).toBe(v);
    expect(t.get("k1", 17n)).toBe(v);
    expect(t.get("k1", 23n)).toBeNull();
    expect(t.hasDefault("k1", 5n)).toBe(v.length > SHORT_VALUE_MAX_LEN);
  });

  it("stores short values inline and long ones in the default CF", () => {
    const short = "s".repeat(SHORT_VALUE_MAX_LEN);
    t.prewritePut("a", short, "a", 1n);
    t.prewritePut("b", LONG, "a", 1n);
    expect(str(t.lock("a")!.shortValue)).toBe(short);
    expect(t.lock("b")!.shortValue).toBeNull();
    expect(t.hasDefault("a", 1n)).toBe(false);
    expect(t.hasDefault("b", 1n)).toBe(true);
    mvcc.commit([enc("a"), enc("b")], 1n, 2n);
    expect(str(t.write("a", 2n)!.shortValue)).toBe(short);
    expect(t.write("b", 2n)!.shortValue).toBeNull();
    expect(t.lock("a")).toBeNull();
    expect(t.get("b", 3n)).toBe(LONG);
  });

  describe("prewrite", () => {
    it("reports another txn's lock, is idempotent on its own, and writes nothing on error", () => {
      t.prewritePut("k", "v", "k", 5n, 100n);
      t.prewritePut("k", "v", "k", 5n, 100n); // resent: no error, no change
      const errs = mvcc.prewrite({
        mutations: [
          { op: "Put", key: enc("free"), value: enc("x") },
          { op: "Put", key: enc("k"), value: enc("y") },
        ],
        primaryLock: enc("free"),
        startVersion: 6n,
        lockTtl: 10n,
      });
      expect(errs).toHaveLength(1);
      const e = errs[0] as Extract<MvccKeyError, { kind: "locked" }>;
      expect(e.kind).toBe("locked");
      expect(e.lock.lockVersion).toBe(5n);
      expect(str(e.lock.key)).toBe("k");
      expect(str(e.lock.primaryLock)).toBe("k");
      expect(e.lock.lockTtl).toBe(100n);
      expect(e.lock.lockType).toBe("Put");
      expect(t.lock("free")).toBeNull(); // all or nothing
    });

    it.each([
      ["newer commit", 10n, 11n, true],
      ["commit before start", 5n, 9n, false],
    ])("write conflict: %s", (_, start, commit, conflict) => {
      t.prewritePut("k", "v", "k", start);
      t.commit("k", start, commit);
      const errs = mvcc.prewrite({
        mutations: [{ op: "Put", key: enc("k"), value: enc("w") }],
        primaryLock: enc("k"),
        startVersion: 10n,
        lockTtl: 0n,
      });
      if (conflict) {
        expect(errs).toEqual([
          {
            kind: "conflict",
            startTs: 10n,
            conflictTs: start,
            conflictCommitTs: commit,
            key: enc("k"),
            primary: enc("k"),
          },
        ]);
        expect(t.lock("k")).toBeNull();
      } else {
        expect(errs).toEqual([]);
      }
    });

    // src/storage/mvcc/txn.rs test_skip_constraint_check.
    it("skips the conflict check when told", () => {
      t.prewritePut("k", "v1", "k", 5n);
      t.commit("k", 5n, 10n);
      const m = {
        mutations: [{ op: "Put" as const, key: enc("k"), value: enc("v2") }],
        primaryLock: enc("k"),
        startVersion: 8n,
        lockTtl: 0n,
      };
      expect(mvcc.prewrite(m)[0]?.kind).toBe("conflict");
      expect(mvcc.prewrite({ ...m, skipConstraintCheck: true })).toEqual([]);
      t.commit("k", 8n, 12n);
      expect(t.get("k", 13n)).toBe("v2");
    });

    // src/storage/mvcc/txn.rs test_mvcc_txn_rollback_before_prewrite: a rolled-back txn cannot prewrite.
    it("fails with a conflict after its own rollback", () => {
      t.rollback("k", 5n);
      const errs = mvcc.prewrite({
        mutations: [{ op: "Put", key: enc("k"), value: enc("v") }],
        primaryLock: enc("k"),
        startVersion: 5n,
        lockTtl: 0n,
      });
      expect(errs).toMatchObject([{ kind: "conflict", startTs: 5n, conflictTs: 5n, conflictCommitTs: 5n }]);
    });

    // src/storage/mvcc/txn.rs test_mvcc_txn_prewrite_insert.
    it("Insert fails on an existing value, through rollbacks, until deleted", () => {
      const insert = (v: string, ts: bigint) =>
        mvcc.prewrite({
          mutations: [{ op: "Insert", key: enc("k1"), value: enc(v) }],
          primaryLock: enc("k1"),
          startVersion: ts,
          lockTtl: 0n,
        });
      t.prewritePut("k1", "v1", "k1", 1n);
      t.commit("k1", 1n, 2n);
      expect(insert("v2", 3n)).toEqual([{ kind: "alreadyExist", key: enc("k1") }]);
      t.prewriteDelete("k1", "k1", 4n);
      expect(insert("v2", 6n)[0]?.kind).toBe("locked");
      t.commit("k1", 4n, 5n);
      expect(insert("v2", 6n)).toEqual([]);
      t.commit("k1", 6n, 7n);
      t.prewritePut("k1", "v3", "k1", 8n);
      t.rollback("k1", 8n);
      expect(insert("v3", 9n)).toEqual([{ kind: "alreadyExist", key: enc("k1") }]);
      t.prewriteDelete("k1", "k1", 10n);
      t.commit("k1", 10n, 11n);
      t.prewritePut("k1", "v3", "k1", 12n);
      t.rollback("k1", 12n);
      expect(insert("v2", 13n)).toEqual([]);
      t.commit("k1", 13n, 14n);
      expect(t.get("k1", 15n)).toBe("v2");
    });

    // src/storage/mvcc/txn.rs test_mvcc_txn_prewrite_check_not_exist.
    it("CheckNotExists checks without locking", () => {
      const check = (ts: bigint) =>
        mvcc.prewrite({
          mutations: [{ op: "CheckNotExists", key: enc("k") }],
          primaryLock: enc("k"),
          startVersion: ts,
          lockTtl: 0n,
        });
      expect(check(1n)).toEqual([]);
      expect(t.lock("k")).toBeNull();
      t.prewritePut("k", "v", "k", 2n);
      t.commit("k", 2n, 3n);
      expect(check(4n)).toEqual([{ kind: "alreadyExist", key: enc("k") }]);
      t.prewriteLock("k", "k", 5n);
      t.commit("k", 5n, 6n);
      expect(check(7n)).toEqual([{ kind: "alreadyExist", key: enc("k") }]); // Lock record over a Put
    });

    it("rejects malformed input with typed errors", () => {
      expect(() =>
        mvcc.prewrite({
          mutations: [{ op: "Put", key: enc("k") }],
          primaryLock: enc("k"),
          startVersion: 1n,
          lockTtl: 0n,
        }),
      ).toThrow(/has no value/);
      expect(() =>
        mvcc.prewrite({
          mutations: [{ op: "Put", key: new Uint8Array(0), value: enc("v") }],
          primaryLock: enc("k"),
          startVersion: 1n,
          lockTtl: 0n,
        }),
      ).toThrow(InvalidArgumentError);
      expect(() =>
        mvcc.prewrite({ mutations: [], primaryLock: enc("k"), startVersion: -1n, lockTtl: 0n }),
      ).toThrow(InvalidArgumentError);
    });

    it("async commit: the primary lists its secondaries and min_commit_ts > start_ts", () => {
      const errs = mvcc.prewrite({
        mutations: [
          { op: "Put", key: enc("p"), value: enc("1") },
          { op: "Put", key: enc("s"), value: enc("2") },
        ],
        primaryLock: enc("p"),
        startVersion: 10n,
        lockTtl: 100n,
        useAsyncCommit: true,
        secondaries: [enc("s")],
      });
      expect(errs).toEqual([]);
      expect(t.lock("p")!.secondaries.map(str)).toEqual(["s"]);
      expect(t.lock("s")!.secondaries).toEqual([]);
      expect(t.lock("s")!.useAsyncCommit).toBe(true);
      expect(t.lock("p")!.minCommitTs).toBe(11n);
    });
  });

  describe("commit", () => {
    // src/storage/txn/actions/commit.rs test_commit_ok / test_commit_err.
    it("is idempotent after commit and fails without a lock", () => {
      t.prewritePut("k1", "v", "k1", 10n);
      t.prewriteLock("k2", "k1", 10n);
      t.prewriteDelete("k3", "k1", 10n);
      mvcc.commit([enc("k1"), enc("k2"), enc("k3")], 10n, 15n);
      expect(t.write("k1", 15n)!.type).toBe("Put");
      expect(t.write("k2", 15n)!.type).toBe("Lock");
      expect(t.write("k3", 15n)!.type).toBe("Delete");
      mvcc.commit([enc("k1"), enc("k2"), enc("k3")], 10n, 15n); // committed already
      expect(() => t.commit("k9", 10n, 15n)).toThrow(TxnLockNotFoundError);
      t.prewritePut("k4", "v", "k4", 20n);
      t.rollback("k4", 20n);
      const err = (() => {
        try {
          t.commit("k4", 20n, 21n);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(TxnLockNotFoundError);
      expect((err as Error).message).toBe(
        `txn lock not found 20-21 key:${Buffer.from("k4").toString("hex").toUpperCase()}`,
      );
    });

    // src/storage/txn/actions/commit.rs test_min_commit_ts (optimistic part).
    it("refuses a commit_ts below min_commit_ts", () => {
      expect(
        mvcc.prewrite({
          mutations: [{ op: "Put", key: enc("k"), value: enc("v") }],
          primaryLock: enc("k"),
          startVersion: 10n,
          lockTtl: 0n,
          minCommitTs: 20n,
        }),
      ).toEqual([]);
      expect(() => t.commit("k", 10n, 19n)).toThrow(CommitTsExpiredError);
      expect(t.lock("k")).not.toBeNull();
      t.commit("k", 10n, 20n);
      expect(t.get("k", 21n)).toBe("v");
    });

    it("rejects commit_ts <= start_ts", () => {
      expect(() => t.commit("k", 10n, 10n)).toThrow(InvalidTxnTsoError);
    });

    it("writes nothing when one key of the batch fails", () => {
      t.prewritePut("a", "1", "a", 5n);
      expect(() => mvcc.commit([enc("a"), enc("missing")], 5n, 6n)).toThrow(TxnLockNotFoundError);
      expect(t.lock("a")).not.toBeNull();
      expect(t.write("a", 6n)).toBeNull();
    });
  });

  describe("rollback and cleanup", () => {
    // src/storage/mvcc/txn.rs test_mvcc_txn_rollback / test_mvcc_txn_rollback_after_commit.
    it("rolls back locks, drops long values and refuses committed txns", () => {
      t.prewritePut("k", LONG, "k", 5n);
      t.rollback("k", 5n);
      expect(t.lock("k")).toBeNull();
      expect(t.hasDefault("k", 5n)).toBe(false);
      expect(t.write("k", 5n)!.type).toBe("Rollback");
      t.rollback("k", 5n); // rolled back already: ok
      t.prewritePut("k", "v", "k", 10n);
      t.commit("k", 10n, 11n);
      expect(() => t.rollback("k", 10n)).toThrow(CommittedError);
      // Rolling back a txn that never wrote leaves a rollback record.
      t.rollback("k", 20n);
      expect(t.write("k", 20n)!.type).toBe("Rollback");
    });

    // src/storage/mvcc/txn.rs test_rollback_overlapped.
    it("marks overlapped rollbacks only when protected", () => {
      t.prewritePut("key1", "v1", "key1", 10n);
      t.prewritePut("key2", "v2", "key2", 11n);
      t.commit("key1", 10n, 20n);
      t.commit("key2", 11n, 20n);
      const w1 = t.write("key1", 20n)!;
      const w2 = t.write("key2", 20n)!;
      mvcc.cleanup(enc("key1"), 20n, 0n);
      t.rollback("key2", 20n);
      const w1r = t.write("key1", 20n)!;
      expect(w1r.hasOverlappedRollback).toBe(true);
      expect({ ...w1r, hasOverlappedRollback: false, gcFence: null }).toEqual(w1);
      expect(t.write("key2", 20n)).toEqual(w2);
      // The commit record still reads as the value.
      expect(t.get("key1", 25n)).toBe("v1");
      // And the txn at 20 cannot prewrite any more.
      const errs = mvcc.prewrite({
        mutations: [{ op: "Put", key: enc("key1"), value: enc("x") }],
        primaryLock: enc("key1"),
        startVersion: 20n,
        lockTtl: 0n,
      });
      expect(errs[0]?.kind).toBe("conflict");
    });

    // src/storage/txn/actions/cleanup.rs test_cleanup (optimistic part).
    it("cleanup rolls back only expired locks, with protected rollbacks", () => {
      const ts = compose;
      t.prewritePut("k", "v", "k", ts(10n, 0n), 100n);
      expect(() => mvcc.cleanup(enc("k"), ts(10n, 0n), ts(20n, 0n))).toThrow(KeyIsLockedError);
      expect(t.lock("k")).not.toBeNull();
      // Another txn's cleanup leaves the lock and writes a protected rollback.
      mvcc.cleanup(enc("k"), ts(10n, 1n), ts(120n, 0n));
      expect(t.write("k", ts(10n, 1n))).toMatchObject({ type: "Rollback", shortValue: enc("p") });
      expect(t.lock("k")!.ts).toBe(ts(10n, 0n));
      // Expired (10 + 100 < 120 ms): rolled back, protected because k is the primary.
      mvcc.cleanup(enc("k"), ts(10n, 0n), ts(120n, 0n));
      expect(t.lock("k")).toBeNull();
      expect(t.write("k", ts(10n, 0n))).toMatchObject({ type: "Rollback", shortValue: enc("p") });
      // ttl boundary: expire_time == current physical still counts as alive.
      t.prewritePut("k", "v", "k", ts(200n, 0n), 100n);
      expect(() => mvcc.cleanup(enc("k"), ts(200n, 0n), ts(300n, 0n))).toThrow(KeyIsLockedError);
      mvcc.cleanup(enc("k"), ts(200n, 0n), ts(301n, 0n));
      expect(t.lock("k")).toBeNull();
    });

    it("cleanup of a committed txn throws Committed with its commit_ts", () => {
      t.prewritePut("k", "v", "k", 5n);
      t.commit("k", 5n, 8n);
      try {
        mvcc.cleanup(enc("k"), 5n, 0n);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(CommittedError);
        expect((e as CommittedError).commitTs).toBe(8n);
      }
    });

    // src/storage/mvcc/txn.rs test_collapse_prev_rollback.
    it("collapses an older unprotected rollback on the next rollback", () => {
      t.prewritePut("k", "v", "pk", 1n); // a secondary: its rollback is not protected
      t.rollback("k", 1n);
      expect(t.write("k", 1n)!.type).toBe("Rollback");
      t.rollback("k", 2n);
      expect(t.write("k", 1n)).toBeNull();
      expect(t.write("k", 2n)!.type).toBe("Rollback");
      // A protected rollback is kept.
      t.prewritePut("k", "v", "k", 3n);
      t.rollback("k", 3n);
      t.rollback("k", 4n);
      expect(t.write("k", 3n)).toMatchObject({ type: "Rollback", shortValue: enc("p") });
    });
  });

  describe("check_txn_status", () => {
    const ts = compose;
    const check = (lockTs: bigint, caller: bigint, current: bigint, rollbackIfNotExist = true) =>
      mvcc.checkTxnStatus({
        primaryKey: enc("k"),
        lockTs,
        callerStartTs: caller,
        currentTs: current,
        rollbackIfNotExist,
      });

    // Modelled on src/storage/txn/commands/check_txn_status.rs test_check_txn_status.
    it("covers each action", () => {
      // No lock, no record: TxnNotFound, or a protected rollback when asked.
      expect(() => check(ts(5n, 0n), 0n, ts(6n, 0n), false)).toThrow(TxnNotFoundError);
      expect(check(ts(5n, 0n), 0n, ts(6n, 0n))).toEqual({
        lockTtl: 0n,
        commitVersion: 0n,
        action: "LockNotExistRollback",
        lockInfo: null,
      });
      expect(t.write("k", ts(5n, 0n))).toMatchObject({ type: "Rollback", shortValue: enc("p") });
      // Rolled back already.
      expect(check(ts(5n, 0n), 0n, ts(6n, 0n)).action).toBe("NoAction");
      // A live lock with min_commit_ts: caller's read pushes it.
      expect(
        mvcc.prewrite({
          mutations: [{ op: "Put", key: enc("k"), value: enc("v") }],
          primaryLock: enc("k"),
          startVersion: ts(10n, 0n),
          lockTtl: 100n,
          minCommitTs: ts(10n, 1n),
        }),
      ).toEqual([]);
      const alive = check(ts(10n, 0n), 0n, ts(20n, 0n));
      expect(alive).toMatchObject({ lockTtl: 100n, commitVersion: 0n, action: "NoAction" });
      expect(alive.lockInfo?.lockVersion).toBe(ts(10n, 0n));
      const pushed = check(ts(10n, 0n), ts(30n, 0n), ts(25n, 0n));
      expect(pushed.action).toBe("MinCommitTSPushed");
      expect(t.lock("k")!.minCommitTs).toBe(ts(30n, 1n));
      // current_ts larger than caller_start_ts + 1 wins.
      check(ts(10n, 0n), ts(40n, 0n), ts(50n, 0n));
      expect(t.lock("k")!.minCommitTs).toBe(ts(50n, 0n));
      // Caller at max ts: reported as pushed, lock unchanged.
      expect(check(ts(10n, 0n), MAX_TS, ts(60n, 0n)).action).toBe("MinCommitTSPushed");
      expect(t.lock("k")!.minCommitTs).toBe(ts(50n, 0n));
      // Expired: rolled back.
      expect(check(ts(10n, 0n), 0n, ts(111n, 0n)).action).toBe("TTLExpireRollback");
      expect(t.lock("k")).toBeNull();
      expect(t.write("k", ts(10n, 0n))!.type).toBe("Rollback");
      // Committed.
      t.prewritePut("k", "v", "k", ts(200n, 0n), 100n);
      t.commit("k", ts(200n, 0n), ts(201n, 0n));
      expect(check(ts(200n, 0n), 0n, ts(500n, 0n))).toEqual({
        lockTtl: 0n,
        commitVersion: ts(201n, 0n),
        action: "NoAction",
        lockInfo: null,
      });
    });

    it("leaves async-commit locks to the caller", () => {
      mvcc.prewrite({
        mutations: [{ op: "Put", key: enc("k"), value: enc("v") }],
        primaryLock: enc("k"),
        startVersion: ts(10n, 0n),
        lockTtl: 1n,
        useAsyncCommit: true,
        secondaries: [],
      });
      const s = check(ts(10n, 0n), 0n, ts(1000n, 0n));
      expect(s.action).toBe("NoAction");
      expect(s.lockInfo?.useAsyncCommit).toBe(true);
      expect(t.lock("k")).not.toBeNull();
    });
  });

  describe("resolve_lock and scan_lock", () => {
    it("scans locks up to max_version within a range and limit", () => {
      t.prewritePut("a", "1", "a", 5n, 7n);
      t.prewriteDelete("b", "a", 5n);
      t.prewriteLock("c", "c", 9n);
      t.prewritePut("d", "1", "d", 20n);
      const all = mvcc.scanLock(10n, { start: new Uint8Array(0), end: new Uint8Array(0) }, 0);
      expect(all.map((l) => [str(l.key), l.lockVersion, l.lockType])).toEqual([
        ["a", 5n, "Put"],
        ["b", 5n, "Delete"],
        ["c", 9n, "Lock"],
      ]);
      expect(all[0]).toMatchObject({ lockTtl: 7n, primaryLock: enc("a") });
      expect(mvcc.scanLock(10n, { start: enc("b"), end: enc("d") }, 1).map((l) => str(l.key))).toEqual(["b"]);
      expect(
        mvcc.scanLock(100n, { start: enc("c"), end: new Uint8Array(0) }, 0).map((l) => str(l.key)),
      ).toEqual(["c", "d"]);
    });

    it("commits every lock of a txn, or rolls back the given keys", () => {
      t.prewritePut("a", "1", "a", 5n);
      t.prewritePut("b", LONG, "a", 5n);
      t.prewritePut("c", "3", "c", 6n);
      mvcc.resolveLock(5n, 7n);
      expect(t.get("a", 8n)).toBe("1");
      expect(t.get("b", 8n)).toBe(LONG);
      expect(t.lock("c")!.ts).toBe(6n); // another txn's lock is untouched
      mvcc.resolveLock(6n, 0n, [enc("c")]);
      expect(t.lock("c")).toBeNull();
      expect(t.get("c", 10n)).toBeNull();
      expect(t.write("c", 6n)!.type).toBe("Rollback");
      expect(() => mvcc.resolveLock(9n, 9n)).toThrow(InvalidTxnTsoError);
    });
  });

  describe("reads", () => {
    // src/storage/mvcc/reader/point_getter.rs test_get_bypass_locks / test_get_access_locks.
    it("skips resolved locks and reads through committed ones", () => {
      t.prewritePut("k", "v1", "k", 1n);
      t.commit("k", 1n, 2n);
      t.prewritePut("k", "v2", "k", 5n);
      expect(() => t.get("k", 10n)).toThrow(KeyIsLockedError);
      expect(t.get("k", 10n, { resolvedLocks: [5n] })).toBe("v1");
      expect(t.get("k", 10n, { committedLocks: [5n] })).toBe("v2");
      t.prewriteDelete("d", "d", 5n);
      expect(t.get("d", 10n, { committedLocks: [5n] })).toBeNull();
      t.prewritePut("long", LONG, "long", 5n);
      expect(t.get("long", 10n, { committedLocks: [5n] })).toBe(LONG);
      // Lock-kind locks never block.
      t.prewriteLock("l", "l", 5n);
      expect(t.get("l", 10n)).toBeNull();
    });

    it("RC ignores locks; RCCheckTS turns locks and newer writes into conflicts", () => {
      t.prewritePut("k", "v1", "k", 1n);
      t.commit("k", 1n, 2n);
      t.prewritePut("k", "v2", "k", 5n);
      expect(t.get("k", 10n, { isolation: "RC" })).toBe("v1");
      expect(() => t.get("k", 10n, { isolation: "RCCheckTS" })).toThrow(WriteConflictError);
      t.commit("k", 5n, 6n);
      expect(t.get("k", 10n, { isolation: "RCCheckTS" })).toBe("v2");
      expect(() => t.get("k", 4n, { isolation: "RCCheckTS" })).toThrow(/reason: RcCheckTs/);
      expect(
        mvcc.scan({ start: new Uint8Array(0), end: new Uint8Array(0) }, 10n, 0, { isolation: "RCCheckTS" }),
      ).toHaveLength(1);
      expect(() =>
        mvcc.scan({ start: new Uint8Array(0), end: new Uint8Array(0) }, 4n, 0, { isolation: "RCCheckTS" }),
      ).toThrow(WriteConflictError);
    });

    it("ignores a lock whose min_commit_ts is above the read ts", () => {
      mvcc.prewrite({
        mutations: [{ op: "Put", key: enc("k"), value: enc("v") }],
        primaryLock: enc("k"),
        startVersion: 5n,
        lockTtl: 0n,
        minCommitTs: 20n,
      });
      expect(t.get("k", 10n)).toBeNull();
      expect(() => t.get("k", 20n)).toThrow(KeyIsLockedError);
    });

    /** Versions for the scan table: committed puts/deletes, rollbacks, lock records, a pending lock. */
    function history(): void {
      // a: v1@3, v2@7 ; b: v1@3, deleted@7 ; c: long@3, Lock record@7 ; d: rollback only ; e: v1@3, rolled-back put@6
      // f: v1@3 and a pending put lock@8 ; g: put@9 only.
      for (const [k, v] of [
        ["a", "a1"],
        ["b", "b1"],
        ["c", LONG],
        ["e", "e1"],
        ["f", "f1"],
      ] as const)
        t.prewritePut(k, v, "a", 2n);
      mvcc.commit(["a", "b", "c", "e", "f"].map(enc), 2n, 3n);
      t.prewritePut("a", "a2", "a", 6n);
      t.prewriteDelete("b", "a", 6n);
      t.prewriteLock("c", "a", 6n);
      mvcc.commit(["a", "b", "c"].map(enc), 6n, 7n);
      t.prewritePut("d", "d1", "d", 4n);
      t.rollback("d", 4n);
      t.prewritePut("e", "e2", "e", 5n);
      t.rollback("e", 5n);
      t.prewritePut("f", "f2", "f", 8n);
      t.prewritePut("g", "g1", "g", 9n);
      t.commit("g", 9n, 10n);
    }
    const ALL: KeyRange = { start: new Uint8Array(0), end: new Uint8Array(0) };
    const scan = (ts: bigint, range = ALL, reverse = false, opts = {}) =>
      mvcc.scan(range, ts, 0, { ...opts, reverse }).map((p) => `${str(p.key)}=${str(p.value)?.slice(0, 3)}`);

    it.each([
      [5n, ["a=a1", "b=b1", "c=vvv", "e=e1", "f=f1"]],
      [7n, ["a=a2", "c=vvv", "e=e1", "f=f1"]],
      [2n, []],
    ])("scans forward and backward at ts %s", (ts, want) => {
      history();
      expect(scan(ts)).toEqual(want);
      expect(scan(ts, ALL, true)).toEqual([...want].reverse());
    });

    it("scans meet pending locks at or below the read ts", () => {
      history();
      expect(() => scan(8n)).toThrow(KeyIsLockedError);
      expect(() => scan(8n, ALL, true)).toThrow(KeyIsLockedError);
      expect(scan(8n, ALL, false, { resolvedLocks: [8n] })).toEqual(["a=a2", "c=vvv", "e=e1", "f=f1"]);
      expect(scan(11n, ALL, true, { committedLocks: [8n] })).toEqual([
        "g=g1",
        "f=f2",
        "e=e1",
        "c=vvv",
        "a=a2",
      ]);
      expect(scan(11n, ALL, false, { isolation: "RC" })).toEqual(["a=a2", "c=vvv", "e=e1", "f=f1", "g=g1"]);
      // Bounds, both directions, and limit / key-only.
      expect(scan(11n, { start: enc("b"), end: enc("f") })).toEqual(["c=vvv", "e=e1"]);
      expect(scan(11n, { start: enc("b"), end: enc("f") }, true)).toEqual(["e=e1", "c=vvv"]);
      expect(mvcc.scan(ALL, 7n, 2, { keyOnly: true }).map((p) => [str(p.key), p.value.length])).toEqual([
        ["a", 0],
        ["c", 0],
      ]);
      expect(mvcc.batchGet([enc("a"), enc("b"), enc("g")], 11n).map((p) => str(p.key))).toEqual(["a", "g"]);
    });

    it("a snapshot reader shares one engine snapshot and does not see later commits", () => {
      history();
      const snap = mvcc.snapshot(7n);
      t.prewritePut("a", "new", "a", 11n);
      t.commit("a", 11n, 12n);
      expect(str(snap.get(enc("a")))).toBe("a2");
      const sc = snap.scan({ start: enc("a"), end: enc("c") }, false);
      const p = sc.next();
      expect(str(p!.key)).toBe("a");
      expect(str(p!.value)).toBe("a2");
      expect(sc.next()).toBeNull();
      snap.release();
      snap.release();
      expect(t.get("a", 13n)).toBe("new");
    });

    it("scans many versions and keys against a model", () => {
      // Deterministic pseudo-random history; the model is the newest committed write <= ts.
      let seed = 7;
      const rnd = (n: number) => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed % n;
      };
      const model = new Map<string, { ts: bigint; v: string | null }[]>();
      let ts = 1n;
      for (let i = 0; i < 150; i++) {
        const k = `k${rnd(25).toString().padStart(2, "0")}`;
        const start = ts++;
        const commit = ts++;
        const kind = rnd(4);
        if (kind === 0) t.prewriteDelete(k, k, start);
        else if (kind === 1) t.prewriteLock(k, k, start);
        else t.prewritePut(k, kind === 2 ? `v${i}` : `${LONG}${i}`, k, start);
        if (rnd(5) === 0) {
          t.rollback(k, start);
          continue;
        }
        t.commit(k, start, commit);
        if (kind !== 1) {
          const list = model.get(k) ?? [];
          list.push({ ts: commit, v: kind === 0 ? null : kind === 2 ? `v${i}` : `${LONG}${i}` });
          model.set(k, list);
        }
      }
      for (const readTs of [5n, 77n, 150n, 301n]) {
        const want: string[] = [];
        for (const k of [...model.keys()].sort()) {
          const vis = model.get(k)!.filter((x) => x.ts <= readTs);
          const last = vis[vis.length - 1];
          if (last?.v != null) want.push(`${k}=${last.v}`);
        }
        const got = mvcc.scan(ALL, readTs, 0).map((p) => `${str(p.key)}=${str(p.value)}`);
        expect(got).toEqual(want);
        const back = mvcc.scan(ALL, readTs, 0, { reverse: true }).map((p) => `${str(p.key)}=${str(p.value)}`);
        expect(back).toEqual([...want].reverse());
        for (const w of want) expect(t.get(w.split("=")[0]!, readTs)).toBe(w.slice(w.indexOf("=") + 1));
      }
    });
  });

  describe("raw kv", () => {
    it("puts, gets, scans both ways and deletes", () => {
      mvcc.rawPut(["a", "b", "c"].map((k) => ({ key: enc(k), value: enc(k.toUpperCase()) })));
      expect(str(mvcc.rawGet(enc("b")))).toBe("B");
      expect(mvcc.rawScan({ start: enc("a"), end: enc("c") }, 0, false, true).map((p) => str(p.key))).toEqual(
        ["b", "a"],
      );
      expect(mvcc.rawScan({ start: enc("b"), end: new Uint8Array(0) }, 1, true, false)).toEqual([
        { key: enc("b"), value: new Uint8Array(0) },
      ]);
      mvcc.rawDelete([enc("b")]);
      expect(mvcc.rawGet(enc("b"))).toBeNull();
      // Raw keys do not show up as transactional data.
      expect(mvcc.get(enc("a"), MAX_TS)).toBeNull();
      expect(() => mvcc.rawPut([{ key: new Uint8Array(0), value: enc("x") }])).toThrow(InvalidArgumentError);
    });
  });

  it("Insert on a value deleted and then locked is allowed (Lock record over a Delete)", () => {
    t.prewritePut("k", "v", "k", 1n);
    t.commit("k", 1n, 2n);
    t.prewriteDelete("k", "k", 3n);
    t.commit("k", 3n, 4n);
    t.prewriteLock("k", "k", 5n);
    t.commit("k", 5n, 6n);
    expect(
      mvcc.prewrite({
        mutations: [{ op: "Insert", key: enc("k"), value: enc("n") }],
        primaryLock: enc("k"),
        startVersion: 7n,
        lockTtl: 0n,
      }),
    ).toEqual([]);
  });

  it("AlreadyExistError and friends carry TiKV's messages", () => {
    expect(new AlreadyExistError(enc("k"), 3n).message).toBe(
      "key 6B already exists with existing_start_ts=3",
    );
    expect(new CommitTsExpiredError(1n, 2n, enc("k"), 3n).kind).toBe("CommitTsExpired");
  });
});
