// A real server on loopback (in-memory store, requests inline) driven by a grpc-js client: the
// transactional and raw calls, the coprocessor endpoint (DAG, checksum, paging, cache, locks,
// errors), UNIMPLEMENTED methods and the metrics page.
import { encodeRecordKey, tableIntHandleRange } from "@copr/codec";
import { decodeMessage, encodeMessage, i64, tipb, toBigInt, u64 } from "@copr/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CoprServerInternals, startServer } from "../src/server.js";
import {
  asRow,
  type Client,
  client,
  copRequest,
  ctx,
  type Row,
  rowKey,
  rowsOf,
  rowValue,
  scanDag,
  streamAll,
  writeRows,
} from "./helpers.js";

/** A TSO with `ms` as its physical part (TiKV: physical = ts >> 18). */
const tso = (ms: number) => ms * 2 ** 18;
const enc = (s: string) => new TextEncoder().encode(s);

let srv: CoprServerInternals;
let cl: Client;
const ROWS: Row[] = Array.from({ length: 80 }, (_, i) => ({
  id: i * 2 + 1,
  a: i % 3 === 0 ? null : i * 10,
  c: `r${i}`,
}));

beforeAll(async () => {
  srv = await startServer({
    addr: "127.0.0.1:0",
    statusAddr: "127.0.0.1:0",
    logLevel: "silent",
    readPoolSize: 0,
  });
  cl = client(srv.address);
  await writeRows(cl, ROWS, tso(100), tso(101));
});
afterAll(async () => {
  cl?.close();
  await srv?.close();
});

describe("transactional KV", () => {
  it("Prewrite/Commit then Get and BatchGet at timestamps before and after the commit", async () => {
    const key = enc("k-get");
    await cl.call("KvPrewrite", {
      context: ctx(),
      mutations: [{ op: 0, key, value: enc("v1") }],
      primaryLock: key,
      startVersion: u64(tso(200)),
      lockTtl: u64(3000),
    });
    await cl.call("KvCommit", {
      context: ctx(),
      keys: [key],
      startVersion: u64(tso(200)),
      commitVersion: u64(tso(201)),
    });
    const before = await cl.call("KvGet", { context: ctx(), key, version: u64(tso(200)) });
    expect(before.notFound).toBe(true);
    const after = await cl.call("KvGet", { context: ctx(), key, version: u64(tso(202)) });
    expect(Buffer.from(after.value).toString()).toBe("v1");
    const bg = await cl.call("KvBatchGet", {
      context: ctx(),
      keys: [key, enc("k-none")],
      version: u64(tso(202)),
    });
    expect(bg.pairs.map((p: { key: Uint8Array }) => Buffer.from(p.key).toString())).toEqual(["k-get"]);
  });

  it("reports locks to readers, write conflicts and locks to prewrites", async () => {
    const key = enc("k-conflict");
    const pre = await cl.call("KvPrewrite", {
      context: ctx(),
      mutations: [{ op: 0, key, value: enc("a") }],
      primaryLock: key,
      startVersion: u64(tso(300)),
      lockTtl: u64(3000),
    });
    expect(pre.errors).toEqual([]);
    // A reader after the lock's start_ts meets it.
    const got = await cl.call("KvGet", { context: ctx(), key, version: u64(tso(301)) });
    expect(toBigInt(got.error.locked.lockVersion)).toBe(BigInt(tso(300)));
    expect(Buffer.from(got.error.locked.primaryLock).toString()).toBe("k-conflict");
    // Another transaction's prewrite meets the lock.
    const other = await cl.call("KvPrewrite", {
      context: ctx(),
      mutations: [{ op: 0, key, value: enc("b") }],
      primaryLock: key,
      startVersion: u64(tso(302)),
      lockTtl: u64(3000),
    });
    expect(toBigInt(other.errors[0].locked.lockVersion)).toBe(BigInt(tso(300)));
    await cl.call("KvCommit", {
      context: ctx(),
      keys: [key],
      startVersion: u64(tso(300)),
      commitVersion: u64(tso(305)),
    });
    // A transaction that started before that commit conflicts with it.
    const late = await cl.call("KvPrewrite", {
      context: ctx(),
      mutations: [{ op: 0, key, value: enc("c") }],
      primaryLock: key,
      startVersion: u64(tso(303)),
      lockTtl: u64(3000),
    });
    expect(toBigInt(late.errors[0].conflict.conflictCommitTs)).toBe(BigInt(tso(305)));
    expect(toBigInt(late.errors[0].conflict.startTs)).toBe(BigInt(tso(303)));
  });

  it("rolls back, cleans up, checks txn status, scans and resolves locks", async () => {
    const k1 = enc("k-rb");
    const k2 = enc("k-resolve");
    await cl.call("KvPrewrite", {
      context: ctx(),
      mutations: [{ op: 0, key: k1, value: enc("x") }],
      primaryLock: k1,
      startVersion: u64(tso(400)),
      lockTtl: u64(3000),
    });
    await cl.call("KvBatchRollback", { context: ctx(), keys: [k1], startVersion: u64(tso(400)) });
    expect((await cl.call("KvGet", { context: ctx(), key: k1, version: u64(tso(401)) })).notFound).toBe(true);
    const commitRolledBack = await cl.call("KvCommit", {
      context: ctx(),
      keys: [k1],
      startVersion: u64(tso(400)),
      commitVersion: u64(tso(402)),
    });
    expect(commitRolledBack.error).toBeTruthy();

    // A live lock: check_txn_status reports its TTL; once expired it is rolled back.
    await cl.call("KvPrewrite", {
      context: ctx(),
      mutations: [{ op: 0, key: k2, value: enc("y") }],
      primaryLock: k2,
      startVersion: u64(tso(500)),
      lockTtl: u64(3000),
    });
    const locks = await cl.call("KvScanLock", {
      context: ctx(),
      maxVersion: u64(tso(600)),
      startKey: enc("k-r"),
      limit: 10,
    });
    expect(locks.locks.map((l: { key: Uint8Array }) => Buffer.from(l.key).toString())).toEqual(["k-resolve"]);
    const alive = await cl.call("KvCheckTxnStatus", {
      context: ctx(),
      primaryKey: k2,
      lockTs: u64(tso(500)),
      currentTs: u64(tso(600)),
    });
    expect(toBigInt(alive.lockTtl)).toBe(3000n);
    expect(alive.action).toBe(0);
    // ResolveLock commits it.
    const res = await cl.call("KvResolveLock", {
      context: ctx(),
      startVersion: u64(tso(500)),
      commitVersion: u64(tso(510)),
      keys: [k2],
    });
    expect(res.error ?? null).toBeNull();
    const v = await cl.call("KvGet", { context: ctx(), key: k2, version: u64(tso(520)) });
    expect(Buffer.from(v.value).toString()).toBe("y");
    const committed = await cl.call("KvCheckTxnStatus", {
      context: ctx(),
      primaryKey: k2,
      lockTs: u64(tso(500)),
      currentTs: u64(tso(600)),
    });
    expect(toBigInt(committed.commitVersion)).toBe(BigInt(tso(510)));
    // Cleanup of a committed transaction answers its commit_version.
    const cleanup = await cl.call("KvCleanup", {
      context: ctx(),
      key: k2,
      startVersion: u64(tso(500)),
      currentTs: u64(tso(9000)),
    });
    expect(toBigInt(cleanup.commitVersion)).toBe(BigInt(tso(510)));

    const k3 = enc("k-expire");
    await cl.call("KvPrewrite", {
      context: ctx(),
      mutations: [{ op: 0, key: k3, value: enc("z") }],
      primaryLock: k3,
      startVersion: u64(tso(700)),
      lockTtl: u64(100),
    });
    const expired = await cl.call("KvCheckTxnStatus", {
      context: ctx(),
      primaryKey: k3,
      lockTs: u64(tso(700)),
      currentTs: u64(tso(5000)),
    });
    expect(expired.action).toBe(1); // TTLExpireRollback
    expect((await cl.call("KvGet", { context: ctx(), key: k3, version: u64(tso(6000)) })).notFound).toBe(
      true,
    );
  });

  it("KvScan forward, reverse and key-only", async () => {
    const start = rowKey(0);
    const end = rowKey(8);
    const fwd = await cl.call("KvScan", {
      context: ctx(),
      startKey: start,
      endKey: end,
      limit: 10,
      version: u64(tso(150)),
    });
    expect(fwd.pairs.map((p: { key: Uint8Array }) => Buffer.from(p.key))).toEqual(
      [1, 3, 5, 7].map((id) => Buffer.from(rowKey(id))),
    );
    expect(Buffer.from(fwd.pairs[1].value)).toEqual(Buffer.from(rowValue(ROWS[1]!)));
    const rev = await cl.call("KvScan", {
      context: ctx(),
      startKey: end,
      endKey: start,
      limit: 2,
      version: u64(tso(150)),
      reverse: true,
      keyOnly: true,
    });
    expect(rev.pairs.map((p: { key: Uint8Array }) => Buffer.from(p.key))).toEqual([
      Buffer.from(rowKey(7)),
      Buffer.from(rowKey(5)),
    ]);
    expect(rev.pairs[0].value.length).toBe(0);
  });
});

describe("raw KV", () => {
  it("puts, gets, scans and deletes", async () => {
    await cl.call("RawPut", { context: ctx(), key: enc("r1"), value: enc("one") });
    await cl.call("RawBatchPut", {
      context: ctx(),
      pairs: [
        { key: enc("r2"), value: enc("two") },
        { key: enc("r3"), value: enc("three") },
      ],
    });
    expect(Buffer.from((await cl.call("RawGet", { context: ctx(), key: enc("r2") })).value).toString()).toBe(
      "two",
    );
    const scan = await cl.call("RawScan", {
      context: ctx(),
      startKey: enc("r"),
      endKey: enc("s"),
      limit: 10,
    });
    expect(scan.kvs.map((p: { key: Uint8Array }) => Buffer.from(p.key).toString())).toEqual([
      "r1",
      "r2",
      "r3",
    ]);
    await cl.call("RawDelete", { context: ctx(), key: enc("r1") });
    await cl.call("RawBatchDelete", { context: ctx(), keys: [enc("r3")] });
    expect((await cl.call("RawGet", { context: ctx(), key: enc("r1") })).notFound).toBe(true);
    const bg = await cl.call("RawBatchGet", { context: ctx(), keys: [enc("r1"), enc("r2"), enc("r3")] });
    expect(bg.pairs.map((p: { key: Uint8Array }) => Buffer.from(p.key).toString())).toEqual(["r2"]);
    expect((await cl.call("RawGet", { context: ctx(), key: enc("r2"), cf: "lock" })).error).toBe(
      "invalid cf name: lock",
    );
    // Raw keys live apart from transactional ones.
    expect(
      (await cl.call("KvGet", { context: ctx(), key: enc("r2"), version: u64(tso(9000)) })).notFound,
    ).toBe(true);
  });
});

describe("coprocessor", () => {
  it("runs a DAG table scan over rows written by Prewrite/Commit, at the request's snapshot", async () => {
    const resp = await cl.call("Coprocessor", copRequest(scanDag(), tso(150)));
    expect(resp.otherError).toBe("");
    expect(rowsOf(resp.data)).toEqual(ROWS.map(asRow));
    const desc = await cl.call("Coprocessor", copRequest(scanDag({ desc: true, limit: 3 }), tso(150)));
    expect(rowsOf(desc.data)).toEqual([...ROWS].reverse().slice(0, 3).map(asRow));
    // Before the commit there is nothing; start_ts 0 falls back to the DAG's start_ts_fallback.
    expect(rowsOf((await cl.call("Coprocessor", copRequest(scanDag(), tso(100)))).data)).toEqual([]);
    const fb = await cl.call("Coprocessor", copRequest(scanDag({ startTs: tso(150) }), 0));
    expect(rowsOf(fb.data)).toHaveLength(ROWS.length);
  });

  it("answers `locked` when the scan meets a lock at or below start_ts", async () => {
    const key = rowKey(1000);
    await cl.call("KvPrewrite", {
      context: ctx(),
      mutations: [{ op: 0, key, value: rowValue({ id: 1000, a: 1, c: "x" }) }],
      primaryLock: key,
      startVersion: u64(tso(800)),
      lockTtl: u64(3000),
    });
    const resp = await cl.call("Coprocessor", copRequest(scanDag(), tso(801)));
    expect(Buffer.from(resp.locked.key)).toEqual(Buffer.from(key));
    expect(toBigInt(resp.locked.lockVersion)).toBe(BigInt(tso(800)));
    // Below the lock's start_ts the lock is invisible.
    expect(rowsOf((await cl.call("Coprocessor", copRequest(scanDag(), tso(799)))).data)).toHaveLength(
      ROWS.length,
    );
    await cl.call("KvBatchRollback", { context: ctx(), keys: [key], startVersion: u64(tso(800)) });
  });

  it("computes checksums as CRC-64/XZ of key ‖ value XORed, with the prefix rewrite", async () => {
    const req = (rule?: { oldPrefix: Uint8Array; newPrefix: Uint8Array }) =>
      copRequest(
        encodeMessage(tipb.ChecksumRequest, { algorithm: 0, scanOn: 0, ...(rule ? { rule } : {}) }),
        tso(150),
        {
          tp: i64(105),
        },
      );
    const resp = await cl.call("Coprocessor", req());
    const ck = decodeMessage(tipb.ChecksumResponse, resp.data);
    // Independent CRC: bit by bit.
    const crc = (b: Uint8Array) => {
      let c = 0xffffffffffffffffn;
      for (const x of b) {
        c ^= BigInt(x);
        for (let i = 0; i < 8; i++) c = c & 1n ? (c >> 1n) ^ 0xc96c5795d7870f42n : c >> 1n;
      }
      return c ^ 0xffffffffffffffffn;
    };
    let expected = 0n;
    let bytes = 0;
    for (const r of ROWS) {
      expected ^= crc(Buffer.concat([rowKey(r.id), rowValue(r)]));
      bytes += rowKey(r.id).length + rowValue(r).length;
    }
    expect(toBigInt(ck.checksum)).toBe(expected);
    expect(toBigInt(ck.totalKvs)).toBe(BigInt(ROWS.length));
    expect(toBigInt(ck.totalBytes)).toBe(BigInt(bytes));
    // BR's rewrite: keys carry table 42's prefix, digested as table 7's.
    const newPrefix = encodeRecordKey(42, 0).subarray(0, 11);
    const oldPrefix = encodeRecordKey(7, 0).subarray(0, 11);
    const rewritten = decodeMessage(
      tipb.ChecksumResponse,
      (await cl.call("Coprocessor", req({ oldPrefix, newPrefix }))).data,
    );
    let expected2 = 0n;
    for (const r of ROWS) expected2 ^= crc(Buffer.concat([encodeRecordKey(7, r.id), rowValue(r)]));
    expect(toBigInt(rewritten.checksum)).toBe(expected2);
  });

  it("pages: a unary request answers its range; the stream sends one response per page", async () => {
    // As in TiKV, a page ends at the first batch boundary at or past paging_size rows, and a run's
    // batches start at 32 rows: paging_size 10 over 80 rows gives pages of 32, 32 and 16.
    const first = await cl.call("Coprocessor", copRequest(scanDag(), tso(150), { pagingSize: u64(10) }));
    expect(rowsOf(first.data)).toEqual(ROWS.slice(0, 32).map(asRow));
    // The page covered the 32nd row's key and stops before the 33rd.
    expect(Buffer.compare(first.range.end, rowKey(ROWS[31]!.id))).toBeGreaterThan(0);
    expect(Buffer.compare(first.range.end, rowKey(ROWS[32]!.id))).toBeLessThanOrEqual(0);
    const pages = await streamAll(cl, copRequest(scanDag(), tso(150), { pagingSize: u64(10) }));
    expect(pages.map((p) => rowsOf(p.data).length)).toEqual([32, 32, 16]);
    expect(pages.flatMap((p) => rowsOf(p.data))).toEqual(ROWS.map(asRow));
    const descPages = await streamAll(
      cl,
      copRequest(scanDag({ desc: true }), tso(150), { pagingSize: u64(20) }),
    );
    expect(descPages.map((p) => rowsOf(p.data).length)).toEqual([32, 32, 16]);
    expect(descPages.flatMap((p) => rowsOf(p.data))).toEqual([...ROWS].reverse().map(asRow));
    // Without paging_size the stream pages by the configured batch (128 rows): one page here.
    expect((await streamAll(cl, copRequest(scanDag(), tso(150)))).length).toBe(1);
  });

  it("a client cancelling a stream mid-way leaves the server serving", async () => {
    await new Promise<void>((resolve) => {
      const s = cl.raw.CoprocessorStream(copRequest(scanDag(), tso(150), { pagingSize: u64(1) }));
      s.once("data", () => s.cancel());
      s.on("error", () => resolve());
      s.on("end", () => resolve());
    });
    const resp = await cl.call("Coprocessor", copRequest(scanDag(), tso(150)));
    expect(rowsOf(resp.data)).toHaveLength(ROWS.length);
  });

  it("answers is_cache_hit while the region's data version is unchanged", async () => {
    const miss = await cl.call("Coprocessor", copRequest(scanDag(), tso(150), { isCacheEnabled: true }));
    expect(miss.isCacheHit).toBe(false);
    expect(miss.canBeCached).toBe(true);
    const version = miss.cacheLastVersion;
    const hit = await cl.call(
      "Coprocessor",
      copRequest(scanDag(), tso(150), { isCacheEnabled: true, cacheIfMatchVersion: version }),
    );
    expect(hit.isCacheHit).toBe(true);
    expect(hit.data.length).toBe(0);
    expect(toBigInt(hit.cacheLastVersion)).toBe(toBigInt(version));
    await cl.call("RawPut", { context: ctx(), key: enc("bump"), value: enc("1") });
    const after = await cl.call(
      "Coprocessor",
      copRequest(scanDag(), tso(150), { isCacheEnabled: true, cacheIfMatchVersion: version }),
    );
    expect(after.isCacheHit).toBe(false);
    expect(toBigInt(after.cacheLastVersion)).toBeGreaterThan(toBigInt(version));
    expect(rowsOf(after.data)).toHaveLength(ROWS.length);
  });

  it("answers bad input with clear errors and keeps serving", async () => {
    const garbage = await cl.call(
      "Coprocessor",
      copRequest(Uint8Array.of(0xff, 0xff, 0xff, 0x0f, 0x01), tso(150)),
    );
    expect(garbage.otherError).not.toBe("");
    expect((await cl.call("Coprocessor", copRequest(scanDag(), tso(150), { tp: i64(999) }))).otherError).toBe(
      "unsupported tp 999",
    );
    expect(
      (await cl.call("Coprocessor", copRequest(new Uint8Array(0), tso(150), { tp: i64(104) }))).otherError,
    ).toMatch(/Analyze.*not supported/);
    const join = encodeMessage(tipb.DAGRequest, {
      executors: [{ tp: tipb.ExecType.TypeJoin }],
      outputOffsets: [0],
    });
    const sel = decodeMessage(
      tipb.SelectResponse,
      (await cl.call("Coprocessor", copRequest(join, tso(150)))).data,
    );
    expect(sel.error?.msg).toBe("Join executor not implemented");
    const outside = await cl.call(
      "Coprocessor",
      copRequest(scanDag(), tso(150), { ranges: [{ start: enc("b"), end: enc("a") }] }),
    );
    expect(outside.regionError.message).toMatch(/invalid range/);
    const ok = await cl.call("Coprocessor", copRequest(scanDag(), tso(150)));
    expect(rowsOf(ok.data)).toHaveLength(ROWS.length);
  });

  it("a huge limit is just a limit", async () => {
    const resp = await cl.call("Coprocessor", copRequest(scanDag({ limit: 2n ** 64n - 1n }), tso(150)));
    expect(rowsOf(resp.data)).toHaveLength(ROWS.length);
    const scan = await cl.call("KvScan", {
      context: ctx(),
      startKey: rowKey(0),
      limit: 0xffffffff,
      version: u64(tso(150)),
    });
    expect(scan.pairs.length).toBeGreaterThanOrEqual(ROWS.length);
  });
});

describe("service surface", () => {
  it("answers UNIMPLEMENTED for methods copr does not serve", async () => {
    await expect(cl.call("KvGC", { context: ctx(), safePoint: u64(1) })).rejects.toMatchObject({ code: 12 });
    await expect(cl.call("SplitRegion", { context: ctx() })).rejects.toMatchObject({ code: 12 });
  });

  it("serves Prometheus metrics on the status port", async () => {
    const text = await (await fetch(`http://${srv.statusAddress}/metrics`)).text();
    expect(text).toMatch(/tikv_grpc_msg_duration_seconds_count\{type="kv_get"\} \d+/);
    expect(text).toMatch(/tikv_coprocessor_request_duration_seconds_count\{req="select"\} \d+/);
    expect(text).toMatch(/tikv_coprocessor_scan_keys_sum\{req="select"\} \d+/);
    expect(text).toMatch(/tikv_coprocessor_request_error\{reason="meet_lock"\} 1/);
    expect((await fetch(`http://${srv.statusAddress}/nope`)).status).toBe(404);
  });
});

describe("regions from split keys", () => {
  let s2: CoprServerInternals;
  let c2: Client;
  const split = Buffer.from(encodeRecordKey(42, 0)).toString("hex");
  beforeAll(async () => {
    s2 = await startServer({
      addr: "127.0.0.1:0",
      statusAddr: "127.0.0.1:0",
      logLevel: "silent",
      readPoolSize: 0,
      splitKeys: [split],
    });
    c2 = client(s2.address);
    await writeRows(c2, [{ id: -5, a: 1, c: "neg" }], tso(10), tso(11), ctx(1));
    await writeRows(c2, [{ id: 5, a: 2, c: "pos" }], tso(10), tso(11), ctx(2));
  });
  afterAll(async () => {
    c2?.close();
    await s2?.close();
  });

  it("rejects unknown regions, stale epochs and keys outside the region", async () => {
    const nf = await c2.call("KvGet", { context: ctx(9), key: rowKey(5), version: u64(tso(20)) });
    expect(nf.regionError.message).toBe("region 9 not found");
    const stale = await c2.call("Coprocessor", copRequest(scanDag(), tso(20), { context: ctx(2, 2) }));
    expect(stale.regionError.epochNotMatch.currentRegions).toHaveLength(2);
    const wrong = await c2.call("KvGet", { context: ctx(2), key: rowKey(-5), version: u64(tso(20)) });
    expect(toBigInt(wrong.regionError.keyNotInRegion.regionId)).toBe(2n);
    const pre = await c2.call("KvPrewrite", {
      context: ctx(1),
      mutations: [{ op: 0, key: rowKey(6), value: rowValue({ id: 6, a: 0, c: "" }) }],
      primaryLock: rowKey(6),
      startVersion: u64(tso(30)),
      lockTtl: u64(10),
    });
    expect(pre.regionError.keyNotInRegion).toBeTruthy();
    // The whole table spans both regions: a request to one of them must not cover it.
    const across = await c2.call("Coprocessor", copRequest(scanDag(), tso(20), { context: ctx(1) }));
    expect(across.regionError.keyNotInRegion).toBeTruthy();
  });

  it("serves each region's part of the table", async () => {
    const full = tableIntHandleRange(42);
    const mid = encodeRecordKey(42, 0);
    const r1 = await c2.call(
      "Coprocessor",
      copRequest(scanDag(), tso(20), { context: ctx(1), ranges: [{ start: full.start, end: mid }] }),
    );
    const r2 = await c2.call(
      "Coprocessor",
      copRequest(scanDag(), tso(20), { context: ctx(2), ranges: [{ start: mid, end: full.end }] }),
    );
    expect(rowsOf(r1.data)).toEqual([[-5n, 1n, "neg"]]);
    expect(rowsOf(r2.data)).toEqual([[5n, 2n, "pos"]]);
  });
});
