// A small transactional client of one copr/TiKV node: a local TSO, optimistic two-phase commit
// (Prewrite of every key with the first as primary, Commit of the primary, then of the secondaries)
// and coprocessor DAG requests, with a region cache fed by region errors. It plays the part of
// TiDB's client-go (txnkv/transaction/2pc.go, coprocessor requests) against a single store.
import { prefixNext } from "@copr/codec";
import {
  type coprocessor,
  decodeMessage,
  encodeMessage,
  type errorpb,
  i64,
  kvrpcpb,
  type metapb,
  tipb,
  toBigInt,
  u64,
} from "@copr/proto";
import { createTikvClient, type TikvClient } from "@copr/proto/grpc";
import * as grpc from "@grpc/grpc-js";
import { TxnError } from "./errors.js";

/** TSO layout: physical milliseconds shifted left by this many bits, plus a logical counter. */
export const TSO_LOGICAL_BITS = 18;
const LOGICAL_MAX = (1 << TSO_LOGICAL_BITS) - 1;

/**
 * A local timestamp oracle: `physical_ms << 18 | logical`, strictly increasing within the process
 * (PD's format; one client writing alone needs no PD). If the clock goes back, it keeps the last
 * physical time and counts on; when the logical part runs out it moves to the next millisecond.
 */
export class LocalTso {
  private physical = 0;
  private logical = 0;
  constructor(private readonly now: () => number = Date.now) {}

  /** The next timestamp. */
  next(): bigint {
    const p = this.now();
    if (p > this.physical) {
      this.physical = p;
      this.logical = 0;
    } else if (this.logical < LOGICAL_MAX) {
      this.logical++;
    } else {
      this.physical++;
      this.logical = 0;
    }
    return (BigInt(this.physical) << BigInt(TSO_LOGICAL_BITS)) | BigInt(this.logical);
  }
}

/** A region as the client knows it. */
export interface RegionInfo {
  readonly id: bigint;
  readonly startKey: Uint8Array;
  /** Empty = unbounded. */
  readonly endKey: Uint8Array;
  readonly confVer: bigint;
  readonly version: bigint;
  readonly peer: { readonly id: bigint; readonly storeId: bigint } | null;
}

/** The region a fresh node bootstraps: id 1, epoch {1, 1}, peer 1 on store 1, all keys. */
export const BOOTSTRAP_REGION: RegionInfo = {
  id: 1n,
  startKey: new Uint8Array(0),
  endKey: new Uint8Array(0),
  confVer: 1n,
  version: 1n,
  peer: { id: 1n, storeId: 1n },
};

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function regionOf(r: metapb.Region.$Properties): RegionInfo {
  const peer = r.peers?.[0];
  return {
    id: toBigInt(r.id ?? undefined),
    startKey: r.startKey ?? new Uint8Array(0),
    endKey: r.endKey ?? new Uint8Array(0),
    confVer: toBigInt(r.regionEpoch?.confVer ?? undefined),
    version: toBigInt(r.regionEpoch?.version ?? undefined),
    peer: peer ? { id: toBigInt(peer.id ?? undefined), storeId: toBigInt(peer.storeId ?? undefined) } : null,
  };
}

/** The regions known to the client, sorted by start key, refreshed from EpochNotMatch errors. */
export class RegionCache {
  private regions: RegionInfo[];
  constructor(initial: readonly RegionInfo[] = [BOOTSTRAP_REGION]) {
    this.regions = [...initial].sort((a, b) => compareBytes(a.startKey, b.startKey));
  }

  /** The region holding `key`, or null when none known does. */
  locate(key: Uint8Array): RegionInfo | null {
    for (const r of this.regions) {
      if (compareBytes(key, r.startKey) >= 0 && (r.endKey.length === 0 || compareBytes(key, r.endKey) < 0))
        return r;
    }
    return null;
  }

  /** Replaces what overlaps the given regions (e.g. EpochNotMatch's current regions). */
  update(fresh: readonly RegionInfo[]): void {
    const overlaps = (a: RegionInfo, b: RegionInfo) =>
      (a.endKey.length === 0 || compareBytes(b.startKey, a.endKey) < 0) &&
      (b.endKey.length === 0 || compareBytes(a.startKey, b.endKey) < 0);
    const kept = this.regions.filter((r) => !fresh.some((f) => f.id === r.id || overlaps(f, r)));
    this.regions = [...kept, ...fresh].sort((a, b) => compareBytes(a.startKey, b.startKey));
  }

  /** Forgets a region (RegionNotFound). */
  drop(id: bigint): void {
    this.regions = this.regions.filter((r) => r.id !== id);
  }

  /** A copy of the known regions. */
  all(): RegionInfo[] {
    return [...this.regions];
  }
}

/** A key range `[start, end)`; an empty end is unbounded. */
export interface KeyRange {
  readonly start: Uint8Array;
  readonly end: Uint8Array;
}

/** Options of {@link TxnClient}. */
export interface TxnClientOptions {
  /** Regions to start with (default: the bootstrap region covering everything). */
  readonly regions?: readonly RegionInfo[];
  /** Lock TTL of prewrites in ms (default 3000). */
  readonly lockTtlMs?: number;
  /** Keys per Prewrite/Commit request (default 2048). */
  readonly batchKeys?: number;
  /** Per-request deadline in ms (default 30 000). */
  readonly timeoutMs?: number;
  /** How many times a request is retried after a region error (default 8). */
  readonly maxRetries?: number;
  readonly tso?: LocalTso;
}

/** One key and value to write; `mustNotExist` prewrites it as Insert (AlreadyExist if present). */
export interface Mutation {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  readonly mustNotExist?: boolean;
}

/** What a transaction wrote. */
export interface WriteResult {
  readonly startTs: bigint;
  readonly commitTs: bigint;
  readonly keys: number;
}

/** One region's answer to a coprocessor request, decoded. */
export interface CoprocessorResult {
  readonly region: bigint;
  readonly response: tipb.SelectResponse;
}

type RegionError = errorpb.Error.$Properties;

function describeKeyError(e: kvrpcpb.KeyError.$Properties): string {
  if (e.locked)
    return `key ${hex(e.locked.key ?? new Uint8Array(0))} is locked by txn ${toBigInt(e.locked.lockVersion ?? undefined)}`;
  if (e.conflict)
    return `write conflict on key ${hex(e.conflict.key ?? new Uint8Array(0))} (committed at ${toBigInt(e.conflict.conflictCommitTs ?? undefined)})`;
  if (e.alreadyExist)
    return `duplicate key ${hex(e.alreadyExist.key ?? new Uint8Array(0))} (it already exists)`;
  if (e.commitTsExpired)
    return `commit ts expired (min commit ts ${toBigInt(e.commitTsExpired.minCommitTs ?? undefined)})`;
  if (e.txnNotFound) return `txn ${toBigInt(e.txnNotFound.startTs ?? undefined)} not found`;
  if (e.txnLockNotFound)
    return `txn lock not found for key ${hex(e.txnLockNotFound.key ?? new Uint8Array(0))}`;
  if (e.abort) return `aborted: ${e.abort}`;
  if (e.retryable) return `retryable: ${e.retryable}`;
  return "key error";
}

function describeRegionError(e: RegionError): string {
  return e.message || Object.keys(e).filter((k) => k !== "message")[0] || "region error";
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A transactional and coprocessor client of one node at `address`. */
export class TxnClient {
  readonly tso: LocalTso;
  readonly regions: RegionCache;
  private readonly client: TikvClient;
  private readonly lockTtl: number;
  private readonly batchKeys: number;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;

  constructor(
    readonly address: string,
    options: TxnClientOptions = {},
  ) {
    this.client = createTikvClient(address, undefined, {
      "grpc.max_receive_message_length": 256 * 1024 * 1024,
      "grpc.max_send_message_length": 256 * 1024 * 1024,
    });
    this.tso = options.tso ?? new LocalTso();
    this.regions = new RegionCache(options.regions);
    this.lockTtl = options.lockTtlMs ?? 3000;
    this.batchKeys = options.batchKeys ?? 2048;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = options.maxRetries ?? 8;
  }

  /** Closes the gRPC channel. */
  close(): void {
    this.client.close();
  }

  private context(r: RegionInfo): kvrpcpb.Context.$Properties {
    return {
      regionId: u64(r.id),
      regionEpoch: { confVer: u64(r.confVer), version: u64(r.version) },
      ...(r.peer ? { peer: { id: u64(r.peer.id), storeId: u64(r.peer.storeId) } } : {}),
    };
  }

  private call<Req, Res>(method: keyof TikvClient & string, req: Req): Promise<Res> {
    const fn = (this.client as unknown as Record<string, (...args: unknown[]) => unknown>)[method]!;
    return new Promise((resolve, reject) => {
      fn.call(
        this.client,
        req,
        new grpc.Metadata(),
        { deadline: Date.now() + this.timeoutMs },
        (err: Error | null, res: Res) => {
          if (err) reject(new TxnError(`${method} to ${this.address} failed: ${err.message}`, err));
          else resolve(res);
        },
      );
    });
  }

  /**
   * Handles a region error: learns regions from EpochNotMatch, backs off on ServerIsBusy; throws a
   * TxnError for anything it cannot retry or after too many attempts.
   */
  private async onRegionError(
    e: RegionError,
    region: RegionInfo,
    attempt: number,
    what: string,
  ): Promise<void> {
    if (attempt >= this.maxRetries)
      throw new TxnError(
        `${what}: region ${region.id} still fails after ${attempt} retries: ${describeRegionError(e)}`,
        e,
      );
    if (e.epochNotMatch) {
      const fresh = (e.epochNotMatch.currentRegions ?? []).map(regionOf);
      if (fresh.length === 0) throw new TxnError(`${what}: epoch not match and no current regions given`, e);
      this.regions.update(fresh);
      return;
    }
    if (e.serverIsBusy || e.staleCommand || e.notLeader || e.maxTimestampNotSynced || e.readIndexNotReady) {
      const backoff = Number(e.serverIsBusy?.backoffMs ?? 0) || 20 * 2 ** attempt;
      await sleep(Math.min(backoff, 1000));
      return;
    }
    if (e.keyNotInRegion || e.regionNotFound) {
      await this.refreshRegions();
      return;
    }
    throw new TxnError(`${what}: region error on region ${region.id}: ${describeRegionError(e)}`, e);
  }

  /**
   * Learns every region of the node: a request with epoch version 0 (no region has it) is answered
   * with EpochNotMatch listing the current regions, as copr's server does (TiKV lists the region
   * and its recent splits; a real cluster would ask PD).
   */
  async refreshRegions(): Promise<void> {
    const probe = this.regions.all()[0] ?? BOOTSTRAP_REGION;
    const res = await this.call<kvrpcpb.GetRequest.$Properties, kvrpcpb.GetResponse>("KvGet", {
      context: { ...this.context(probe), regionEpoch: { confVer: u64(0), version: u64(0) } },
      key: probe.startKey.length > 0 ? probe.startKey : new Uint8Array([0]),
      version: u64(this.tso.next()),
    });
    const fresh = (res.regionError?.epochNotMatch?.currentRegions ?? []).map(regionOf);
    if (fresh.length === 0) {
      throw new TxnError(
        `cannot learn the regions of ${this.address}: ${res.regionError ? describeRegionError(res.regionError) : "no region error"}`,
      );
    }
    this.regions.update(fresh);
  }

  /** Refreshes the regions once if some key has no known region. */
  private async ensureRegions(keys: Iterable<Uint8Array>): Promise<void> {
    for (const k of keys) {
      if (this.regions.locate(k) === null) {
        await this.refreshRegions();
        return;
      }
    }
  }

  /** Groups keys (kept in order) by the region holding them. */
  private groupByRegion<T>(items: readonly T[], keyOf: (t: T) => Uint8Array): Map<RegionInfo, T[]> {
    const groups = new Map<RegionInfo, T[]>();
    for (const it of items) {
      const r = this.regions.locate(keyOf(it));
      if (r === null) throw new TxnError(`no known region holds key ${hex(keyOf(it))}`);
      const g = groups.get(r);
      if (g === undefined) groups.set(r, [it]);
      else g.push(it);
    }
    return groups;
  }

  /** Runs `send` for `items` region by region, in batches, re-grouping after region errors. */
  private async perRegion<T>(
    items: readonly T[],
    keyOf: (t: T) => Uint8Array,
    what: string,
    send: (region: RegionInfo, batch: T[]) => Promise<RegionError | null | undefined>,
  ): Promise<void> {
    let pending: T[] = [...items];
    for (let attempt = 0; pending.length > 0; attempt++) {
      const retry: T[] = [];
      await this.ensureRegions(pending.map(keyOf));
      for (const [region, group] of this.groupByRegion(pending, keyOf)) {
        for (let i = 0; i < group.length; i += this.batchKeys) {
          const batch = group.slice(i, i + this.batchKeys);
          const err = await send(region, batch);
          if (err) {
            await this.onRegionError(err, region, attempt, what);
            retry.push(...batch);
          }
        }
      }
      pending = retry;
    }
  }

  /**
   * Writes `mutations` in one optimistic transaction: Prewrite every key (the first is the primary),
   * then Commit the primary, then the secondaries. A Prewrite failure rolls back what was
   * prewritten and throws a TxnError naming the key; nothing of the transaction stays visible.
   */
  async writeRows(mutations: readonly Mutation[]): Promise<WriteResult> {
    if (mutations.length === 0) return { startTs: 0n, commitTs: 0n, keys: 0 };
    const startTs = this.tso.next();
    const primary = mutations[0]!.key;
    const seen = new Set<string>();
    for (const m of mutations) {
      const k = hex(m.key);
      if (seen.has(k)) throw new TxnError(`duplicate key ${k} in one transaction`);
      seen.add(k);
    }
    const prewritten: Uint8Array[] = [];
    let minCommitTs = 0n;
    try {
      await this.perRegion(
        mutations,
        (m) => m.key,
        "prewrite",
        async (region, batch) => {
          const res = await this.call<kvrpcpb.PrewriteRequest.$Properties, kvrpcpb.PrewriteResponse>(
            "KvPrewrite",
            {
              context: this.context(region),
              mutations: batch.map((m) => ({
                op: m.mustNotExist ? kvrpcpb.Op.Insert : kvrpcpb.Op.Put,
                key: m.key,
                value: m.value,
              })),
              primaryLock: primary,
              startVersion: u64(startTs),
              lockTtl: u64(this.lockTtl),
              txnSize: u64(mutations.length),
            },
          );
          if (res.regionError) return res.regionError;
          const errs = res.errors ?? [];
          if (errs.length > 0) throw new TxnError(`prewrite failed: ${describeKeyError(errs[0]!)}`, errs[0]);
          for (const m of batch) prewritten.push(m.key);
          const mc = toBigInt(res.minCommitTs ?? undefined);
          if (mc > minCommitTs) minCommitTs = mc;
          return null;
        },
      );
    } catch (e) {
      // Roll back every key (a rollback record also stops a late prewrite of this transaction).
      if (prewritten.length > 0)
        await this.rollback(
          startTs,
          mutations.map((m) => m.key),
        ).catch(() => {});
      throw e;
    }
    let commitTs = this.tso.next();
    if (commitTs < minCommitTs) commitTs = minCommitTs;
    // The primary decides the transaction; the secondaries follow.
    await this.commitKeys(startTs, commitTs, [primary]);
    await this.commitKeys(
      startTs,
      commitTs,
      mutations.slice(1).map((m) => m.key),
    );
    return { startTs, commitTs, keys: mutations.length };
  }

  private async commitKeys(startTs: bigint, commitTs: bigint, keys: readonly Uint8Array[]): Promise<void> {
    await this.perRegion(
      keys,
      (k) => k,
      "commit",
      async (region, batch) => {
        const res = await this.call<kvrpcpb.CommitRequest.$Properties, kvrpcpb.CommitResponse>("KvCommit", {
          context: this.context(region),
          startVersion: u64(startTs),
          keys: batch,
          commitVersion: u64(commitTs),
        });
        if (res.regionError) return res.regionError;
        if (res.error) throw new TxnError(`commit failed: ${describeKeyError(res.error)}`, res.error);
        return null;
      },
    );
  }

  /** Rolls back the locks of transaction `startTs` on `keys` (KvBatchRollback). */
  async rollback(startTs: bigint, keys: readonly Uint8Array[]): Promise<void> {
    await this.perRegion(
      keys,
      (k) => k,
      "rollback",
      async (region, batch) => {
        const res = await this.call<kvrpcpb.BatchRollbackRequest.$Properties, kvrpcpb.BatchRollbackResponse>(
          "KvBatchRollback",
          { context: this.context(region), startVersion: u64(startTs), keys: batch },
        );
        if (res.regionError) return res.regionError;
        if (res.error) throw new TxnError(`rollback failed: ${describeKeyError(res.error)}`, res.error);
        return null;
      },
    );
  }

  /** Splits ranges at the known region boundaries. */
  private rangesByRegion(ranges: readonly KeyRange[]): [RegionInfo, KeyRange[]][] {
    const out = new Map<RegionInfo, KeyRange[]>();
    for (const range of ranges) {
      let start = range.start;
      for (;;) {
        const r = this.regions.locate(start);
        if (r === null) throw new TxnError(`no known region holds key ${hex(start)}`);
        const endsInside =
          r.endKey.length === 0 || (range.end.length > 0 && compareBytes(range.end, r.endKey) <= 0);
        const end = endsInside ? range.end : r.endKey;
        const g = out.get(r);
        if (g === undefined) out.set(r, [{ start, end }]);
        else g.push({ start, end });
        if (endsInside) break;
        start = r.endKey;
      }
    }
    return [...out.entries()].sort((a, b) => compareBytes(a[0].startKey, b[0].startKey));
  }

  /**
   * Sends a DAG request over `ranges` (split by region, regions in key order) at `startTs`
   * (default: a fresh timestamp) and returns each region's SelectResponse. A locked key, an
   * `other_error` or a SelectResponse error is a TxnError.
   */
  async coprocessor(
    dag: tipb.DAGRequest.$Properties,
    ranges: readonly KeyRange[],
    startTs: bigint = this.tso.next(),
  ): Promise<CoprocessorResult[]> {
    const data = encodeMessage(tipb.DAGRequest, { startTsFallback: u64(startTs), ...dag });
    const results: CoprocessorResult[] = [];
    await this.ensureRegions(ranges.map((r) => r.start));
    let pending = this.rangesByRegion(ranges);
    for (let attempt = 0; pending.length > 0; attempt++) {
      const retry: KeyRange[] = [];
      for (const [region, rs] of pending) {
        const res = await this.call<coprocessor.Request.$Properties, coprocessor.Response>("Coprocessor", {
          context: this.context(region),
          tp: i64(103),
          data,
          startTs: u64(startTs),
          ranges: rs.map((r) => ({ start: r.start, end: r.end })),
        });
        if (res.regionError) {
          await this.onRegionError(res.regionError, region, attempt, "coprocessor");
          retry.push(...rs);
          continue;
        }
        if (res.locked)
          throw new TxnError(
            `coprocessor: key ${hex(res.locked.key ?? new Uint8Array(0))} is locked`,
            res.locked,
          );
        if (res.otherError) throw new TxnError(`coprocessor: ${res.otherError}`);
        const sel = decodeMessage(tipb.SelectResponse, res.data ?? new Uint8Array(0));
        if (sel.error)
          throw new TxnError(`coprocessor: error ${sel.error.code}: ${sel.error.msg}`, sel.error);
        results.push({ region: region.id, response: sel });
      }
      if (retry.length > 0) await this.ensureRegions(retry.map((r) => r.start));
      pending = retry.length > 0 ? this.rangesByRegion(retry) : [];
    }
    return results;
  }
}

/** The range of keys starting with `prefix`. */
export function prefixRange(prefix: Uint8Array): KeyRange {
  return { start: prefix, end: prefixNext(prefix) };
}
