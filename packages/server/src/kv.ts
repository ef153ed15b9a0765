// The transactional and raw KV calls of tikvpb.Tikv over an MvccStore (TiKV
// src/server/service/kv.rs `future_*` and the txn_command_future! answers): region checks first,
// then the store call, its errors mapped into the response as TiKV does.
import type { kvrpcpb } from "@copr/proto";
import { toBigInt, u64 } from "@copr/proto";
import { CommittedError, type Mutation, type MvccStore } from "@copr/storage";
import { readOptionsOf } from "./cop-handler.js";
import { keyErrorFromError, lockInfoToPb, mvccKeyErrorToPb } from "./errors.js";
import type { RegionInfo, RegionManager } from "./regions.js";
import type { ScanTask } from "./scan.js";

const EMPTY = new Uint8Array(0);
const OPS: Record<number, Mutation["op"]> = {
  0: "Put",
  1: "Del",
  2: "Lock",
  4: "Insert",
  6: "CheckNotExists",
};
const ACTIONS: Record<string, number> = {
  NoAction: 0,
  TTLExpireRollback: 1,
  LockNotExistRollback: 2,
  MinCommitTSPushed: 3,
  LockNotExistDoNothing: 5,
};

/** The KV calls; each returns the response properties or throws RegionError. */
export class KvService {
  constructor(
    private readonly mvcc: MvccStore,
    private readonly regions: RegionManager,
  ) {}

  private region(
    ctx: kvrpcpb.Context.$Properties | null | undefined,
    keys: readonly Uint8Array[],
  ): RegionInfo {
    const region = this.regions.checkContext(ctx);
    for (const k of keys) this.regions.checkKey(region, k);
    return region;
  }

  private wrote(region: RegionInfo): void {
    this.regions.bumpDataVersion(region);
  }

  get(req: kvrpcpb.GetRequest): kvrpcpb.GetResponse.$Properties {
    this.region(req.context, [req.key]);
    try {
      const v = this.mvcc.get(req.key, toBigInt(req.version), readOptionsOf(req.context));
      return v === null ? { notFound: true } : { value: v };
    } catch (e) {
      return { error: keyErrorFromError(e) };
    }
  }

  batchGet(req: kvrpcpb.BatchGetRequest): kvrpcpb.BatchGetResponse.$Properties {
    this.region(req.context, req.keys);
    try {
      const pairs = this.mvcc.batchGet(req.keys, toBigInt(req.version), readOptionsOf(req.context));
      return { pairs: pairs.map((p) => ({ key: p.key, value: p.value })) };
    } catch (e) {
      const error = keyErrorFromError(e);
      return { error, pairs: [{ error }] };
    }
  }

  /**
   * A KvScan checked and turned into a task over an ascending range clamped to the region. A
   * forward scan reads `[start_key, end_key)`; a reverse one reads below `start_key` down to
   * `end_key` (TiKV's reverse scan: start_key is the exclusive upper bound).
   */
  scanTask(req: kvrpcpb.ScanRequest): ScanTask {
    const region = this.regions.checkContext(req.context);
    const startKey = req.startKey ?? EMPTY;
    const endKey = req.endKey ?? EMPTY;
    let lo: Uint8Array;
    let hi: Uint8Array;
    if (!req.reverse) {
      this.regions.checkKey(region, startKey);
      lo = startKey;
      hi = minEnd(endKey, region.endKey);
    } else {
      // The upper bound may equal the region's end (exclusive), or be empty for the last region.
      if (startKey.length === 0 ? region.endKey.length !== 0 : !keyInOrAtEnd(startKey, region)) {
        this.regions.checkKey(region, startKey.length === 0 ? region.endKey : startKey);
      }
      hi = startKey.length === 0 ? region.endKey : startKey;
      lo = Buffer.compare(endKey, region.startKey) > 0 ? endKey : region.startKey;
    }
    const opts = readOptionsOf(req.context);
    return {
      start: lo,
      end: hi,
      limit: req.limit ?? 0,
      version: toBigInt(req.version).toString(),
      keyOnly: req.keyOnly === true,
      reverse: req.reverse === true,
      isolation: opts.isolation ?? "SI",
      resolvedLocks: (opts.resolvedLocks ?? []).map(String),
      committedLocks: (opts.committedLocks ?? []).map(String),
    };
  }

  prewrite(req: kvrpcpb.PrewriteRequest): kvrpcpb.PrewriteResponse.$Properties {
    const mutations: Mutation[] = [];
    for (const m of req.mutations) {
      const op = OPS[m.op ?? 0];
      if (op === undefined)
        return { errors: [{ abort: `unsupported mutation op ${m.op} in an optimistic prewrite` }] };
      mutations.push({
        op,
        key: m.key ?? EMPTY,
        ...(op === "Put" || op === "Insert" ? { value: m.value ?? EMPTY } : {}),
      });
    }
    const region = this.region(
      req.context,
      mutations.map((m) => m.key),
    );
    try {
      const errors = this.mvcc.prewrite({
        mutations,
        primaryLock: req.primaryLock ?? EMPTY,
        startVersion: toBigInt(req.startVersion),
        lockTtl: toBigInt(req.lockTtl),
        txnSize: toBigInt(req.txnSize),
        minCommitTs: toBigInt(req.minCommitTs),
        skipConstraintCheck: req.skipConstraintCheck === true,
        useAsyncCommit: req.useAsyncCommit === true,
        secondaries: req.secondaries ?? [],
      });
      if (errors.length === 0) this.wrote(region);
      return { errors: errors.map(mvccKeyErrorToPb) };
    } catch (e) {
      return { errors: [keyErrorFromError(e)] };
    }
  }

  commit(req: kvrpcpb.CommitRequest): kvrpcpb.CommitResponse.$Properties {
    const region = this.region(req.context, req.keys);
    try {
      this.mvcc.commit(req.keys, toBigInt(req.startVersion), toBigInt(req.commitVersion));
      this.wrote(region);
      return { commitVersion: req.commitVersion };
    } catch (e) {
      return { error: keyErrorFromError(e) };
    }
  }

  batchRollback(req: kvrpcpb.BatchRollbackRequest): kvrpcpb.BatchRollbackResponse.$Properties {
    const region = this.region(req.context, req.keys);
    try {
      this.mvcc.batchRollback(req.keys, toBigInt(req.startVersion));
      this.wrote(region);
      return {};
    } catch (e) {
      return { error: keyErrorFromError(e) };
    }
  }

  cleanup(req: kvrpcpb.CleanupRequest): kvrpcpb.CleanupResponse.$Properties {
    const region = this.region(req.context, [req.key]);
    try {
      this.mvcc.cleanup(req.key, toBigInt(req.startVersion), toBigInt(req.currentTs));
      this.wrote(region);
      return {};
    } catch (e) {
      // TiKV answers a committed transaction with its commit_version, not an error.
      if (e instanceof CommittedError) return { commitVersion: u64(e.commitTs) };
      return { error: keyErrorFromError(e) };
    }
  }

  checkTxnStatus(req: kvrpcpb.CheckTxnStatusRequest): kvrpcpb.CheckTxnStatusResponse.$Properties {
    const region = this.region(req.context, [req.primaryKey]);
    try {
      const s = this.mvcc.checkTxnStatus({
        primaryKey: req.primaryKey,
        lockTs: toBigInt(req.lockTs),
        callerStartTs: toBigInt(req.callerStartTs),
        currentTs: toBigInt(req.currentTs),
        rollbackIfNotExist: req.rollbackIfNotExist === true,
      });
      if (s.action !== "NoAction" || s.lockInfo !== null) this.wrote(region);
      return {
        lockTtl: u64(s.lockTtl),
        commitVersion: u64(s.commitVersion),
        action: ACTIONS[s.action] ?? 0,
        ...(s.lockInfo !== null ? { lockInfo: lockInfoToPb(s.lockInfo) } : {}),
      };
    } catch (e) {
      return { error: keyErrorFromError(e) };
    }
  }

  resolveLock(req: kvrpcpb.ResolveLockRequest): kvrpcpb.ResolveLockResponse.$Properties {
    const region = this.region(req.context, req.keys);
    try {
      if ((req.txnInfos?.length ?? 0) > 0) {
        for (const t of req.txnInfos) {
          this.mvcc.resolveLock(toBigInt(t.txn), toBigInt(t.status), regionKeysOrAll(req.keys));
        }
      } else {
        this.mvcc.resolveLock(
          toBigInt(req.startVersion),
          toBigInt(req.commitVersion),
          regionKeysOrAll(req.keys),
        );
      }
      this.wrote(region);
      return {};
    } catch (e) {
      return { error: keyErrorFromError(e) };
    }
  }

  scanLock(req: kvrpcpb.ScanLockRequest): kvrpcpb.ScanLockResponse.$Properties {
    const region = this.region(req.context, [req.startKey ?? EMPTY]);
    try {
      const locks = this.mvcc.scanLock(
        toBigInt(req.maxVersion),
        { start: req.startKey ?? EMPTY, end: minEnd(req.endKey ?? EMPTY, region.endKey) },
        req.limit ?? 0,
      );
      return { locks: locks.map(lockInfoToPb) };
    } catch (e) {
      return { error: keyErrorFromError(e) };
    }
  }

  rawGet(req: kvrpcpb.RawGetRequest): kvrpcpb.RawGetResponse.$Properties {
    this.region(req.context, [req.key]);
    const bad = checkCf(req.cf);
    if (bad !== null) return { error: bad };
    try {
      const v = this.mvcc.rawGet(req.key);
      return v === null ? { notFound: true } : { value: v };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  rawBatchGet(req: kvrpcpb.RawBatchGetRequest): kvrpcpb.RawBatchGetResponse.$Properties {
    this.region(req.context, req.keys);
    const bad = checkCf(req.cf);
    if (bad !== null) return { pairs: [{ error: { abort: bad } }] };
    try {
      const pairs: kvrpcpb.KvPair.$Properties[] = [];
      for (const k of req.keys) {
        const v = this.mvcc.rawGet(k);
        if (v !== null) pairs.push({ key: k, value: v });
      }
      return { pairs };
    } catch (e) {
      return { pairs: [{ error: { abort: (e as Error).message } }] };
    }
  }

  rawPut(req: kvrpcpb.RawPutRequest): kvrpcpb.RawPutResponse.$Properties {
    return this.rawWrite(req.context, req.cf, [req.key], () =>
      this.mvcc.rawPut([{ key: req.key, value: req.value }]),
    );
  }

  rawBatchPut(req: kvrpcpb.RawBatchPutRequest): kvrpcpb.RawBatchPutResponse.$Properties {
    const pairs = req.pairs.map((p) => ({ key: p.key ?? EMPTY, value: p.value ?? EMPTY }));
    return this.rawWrite(
      req.context,
      req.cf,
      pairs.map((p) => p.key),
      () => this.mvcc.rawPut(pairs),
    );
  }

  rawDelete(req: kvrpcpb.RawDeleteRequest): kvrpcpb.RawDeleteResponse.$Properties {
    return this.rawWrite(req.context, req.cf, [req.key], () => this.mvcc.rawDelete([req.key]));
  }

  rawBatchDelete(req: kvrpcpb.RawBatchDeleteRequest): kvrpcpb.RawBatchDeleteResponse.$Properties {
    return this.rawWrite(req.context, req.cf, req.keys, () => this.mvcc.rawDelete(req.keys));
  }

  private rawWrite(
    ctx: kvrpcpb.Context.$Properties | null | undefined,
    cf: string,
    keys: readonly Uint8Array[],
    write: () => void,
  ): { error?: string } {
    const region = this.region(ctx, keys);
    const bad = checkCf(cf);
    if (bad !== null) return { error: bad };
    try {
      write();
      this.wrote(region);
      return {};
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  rawScan(req: kvrpcpb.RawScanRequest): kvrpcpb.RawScanResponse.$Properties {
    const region = this.regions.checkContext(req.context);
    const bad = checkCf(req.cf);
    if (bad !== null) return { kvs: [{ error: { abort: bad } }] };
    const startKey = req.startKey ?? EMPTY;
    const endKey = req.endKey ?? EMPTY;
    let range: { start: Uint8Array; end: Uint8Array };
    if (!req.reverse) {
      this.regions.checkKey(region, startKey);
      range = { start: startKey, end: minEnd(endKey, region.endKey) };
    } else {
      if (startKey.length === 0 ? region.endKey.length !== 0 : !keyInOrAtEnd(startKey, region)) {
        this.regions.checkKey(region, startKey.length === 0 ? region.endKey : startKey);
      }
      range = {
        start: Buffer.compare(endKey, region.startKey) > 0 ? endKey : region.startKey,
        end: startKey.length === 0 ? region.endKey : startKey,
      };
    }
    try {
      const kvs = this.mvcc.rawScan(range, req.limit ?? 0, req.keyOnly === true, req.reverse === true);
      return { kvs: kvs.map((p) => ({ key: p.key, value: req.keyOnly ? EMPTY : p.value })) };
    } catch (e) {
      return { kvs: [{ error: { abort: (e as Error).message } }] };
    }
  }
}

function regionKeysOrAll(keys: readonly Uint8Array[] | null | undefined): readonly Uint8Array[] | undefined {
  return keys !== null && keys !== undefined && keys.length > 0 ? keys : undefined;
}

/** The smaller of two exclusive ends, an empty end being +infinity. */
function minEnd(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  return Buffer.compare(a, b) <= 0 ? a : b;
}

/** `key` in `(start, end]` of the region: a valid exclusive upper bound of a reverse scan. */
function keyInOrAtEnd(key: Uint8Array, r: RegionInfo): boolean {
  return Buffer.compare(key, r.startKey) > 0 && (r.endKey.length === 0 || Buffer.compare(key, r.endKey) <= 0);
}

/** Raw KV lives in one column family; TiKV's clients name it "" or "default". */
function checkCf(cf: string | null | undefined): string | null {
  return cf === undefined || cf === null || cf === "" || cf === "default" ? null : `invalid cf name: ${cf}`;
}
