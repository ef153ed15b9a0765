// The LMDB-backed server: data kept across a restart, the read pool of worker threads running
// coprocessor requests and KvScan, and a dying worker replaced while the server keeps serving.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { u64 } from "@copr/proto";
import { afterAll, describe, expect, it } from "vitest";
import { type CoprServerInternals, startServer } from "../src/server.js";
import {
  asRow,
  client,
  copRequest,
  ctx,
  type Row,
  rowKey,
  rowsOf,
  scanDag,
  streamAll,
  writeRows,
} from "./helpers.js";

const tso = (ms: number) => ms * 2 ** 18;
const dir = mkdtempSync(path.join(os.tmpdir(), "copr-server-lmdb-"));
const open: CoprServerInternals[] = [];
afterAll(async () => {
  for (const s of open) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(readPoolSize: number, db = "db") {
  const s = await startServer({
    addr: "127.0.0.1:0",
    statusAddr: "127.0.0.1:0",
    logLevel: "silent",
    dataDir: path.join(dir, db),
    mapSize: 64 * 1024 * 1024,
    readPoolSize,
  });
  open.push(s);
  return s;
}

const ROWS: Row[] = Array.from({ length: 200 }, (_, i) => ({ id: i, a: i * 7, c: `row-${i}` }));

describe("LMDB server", () => {
  it("keeps its data across a restart", async () => {
    const s1 = await start(0);
    const c1 = client(s1.address);
    await writeRows(c1, ROWS, tso(10), tso(11));
    c1.close();
    await s1.close();

    const s2 = await start(0);
    const c2 = client(s2.address);
    const resp = await c2.call("Coprocessor", copRequest(scanDag(), tso(20)));
    expect(rowsOf(resp.data)).toEqual(ROWS.map(asRow));
    c2.close();
    await s2.close();
  });

  it("runs coprocessor requests and KvScan on 2 read pool workers, and replaces a dead one", async () => {
    const s = await start(2);
    expect(s.readPool?.workers.length).toBe(2);
    const c = client(s.address);
    // Concurrent requests spread over both workers, each with the full answer.
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => c.call("Coprocessor", copRequest(scanDag(), tso(20)))),
    );
    for (const a of answers) expect(rowsOf(a.data)).toEqual(ROWS.map(asRow));
    // Stream pages run on the workers too (pages of 32 rows: see server.test.ts).
    const pages = await streamAll(c, copRequest(scanDag(), tso(20), { pagingSize: u64(32) }));
    expect(pages.map((p) => rowsOf(p.data).length)).toEqual([32, 32, 32, 32, 32, 32, 8]);
    expect(pages.flatMap((p) => rowsOf(p.data))).toEqual(ROWS.map(asRow));
    // A write on the main thread is visible to the workers' next snapshot.
    await writeRows(c, [{ id: 500, a: 1, c: "new" }], tso(30), tso(31));
    const after = await c.call("Coprocessor", copRequest(scanDag(), tso(40)));
    expect(rowsOf(after.data)).toHaveLength(ROWS.length + 1);
    // A lock met in a worker comes back as `locked`.
    await c.call("KvPrewrite", {
      context: ctx(),
      mutations: [{ op: 0, key: rowKey(600), value: new Uint8Array([0x80, 0, 0, 0, 0, 0]) }],
      primaryLock: rowKey(600),
      startVersion: u64(tso(50)),
      lockTtl: u64(1000),
    });
    const locked = await c.call("Coprocessor", copRequest(scanDag(), tso(51)));
    expect(Buffer.from(locked.locked.key)).toEqual(Buffer.from(rowKey(600)));
    const scan = await c.call("KvScan", {
      context: ctx(),
      startKey: rowKey(0),
      endKey: rowKey(3),
      limit: 10,
      version: u64(tso(20)),
    });
    expect(scan.pairs.map((p: { key: Uint8Array }) => Buffer.from(p.key))).toEqual(
      [0, 1, 2].map((i) => Buffer.from(rowKey(i))),
    );

    // A worker that dies fails its request and is replaced.
    const pool = s.readPool!;
    await expect(pool.run({ kind: "crash" })).rejects.toThrow(/read pool worker exited/);
    expect(pool.restarts).toBe(1);
    await pool.ready();
    expect(pool.workers.length).toBe(2);
    const again = await c.call("Coprocessor", copRequest(scanDag(), tso(40)));
    expect(rowsOf(again.data)).toHaveLength(ROWS.length + 1);
    const metrics = await (await fetch(`http://${s.statusAddress}/metrics`)).text();
    expect(metrics).toMatch(/copr_read_pool_worker_restarts_total 1/);
    c.close();
  });

  it("a heavy scan in the read pool does not hold up writes and point reads", async () => {
    const s = await start(1, "busy-test");
    const c = client(s.address);
    const many: Row[] = Array.from({ length: 20_000 }, (_, i) => ({ id: i, a: i, c: `r${i}` }));
    for (let i = 0; i < many.length; i += 5000) await writeRows(c, many.slice(i, i + 5000), tso(60), tso(61));
    // Four full scans queued on the one worker: well over a hundred ms of work.
    let scanned = 0;
    const scans = Array.from({ length: 4 }, () =>
      c.call("Coprocessor", copRequest(scanDag(), tso(70))).then((r: { data: Uint8Array }) => {
        scanned++;
        return r;
      }),
    );
    while (s.endpoint.limiter.active === 0 && scanned === 0) await new Promise((r) => setTimeout(r, 1));
    // While the worker scans, the main thread takes a write and answers a read of it.
    await c.call("RawPut", { context: ctx(), key: Buffer.from("busy"), value: Buffer.from("yes") });
    const got = await c.call("RawGet", { context: ctx(), key: Buffer.from("busy") });
    expect(Buffer.from(got.value).toString()).toBe("yes");
    expect(scanned).toBeLessThan(4);
    for (const r of await Promise.all(scans)) expect(rowsOf(r.data)).toHaveLength(many.length);
    c.close();
  });

  it("close() lets an in-flight coprocessor request finish, then refuses new calls", async () => {
    const s = await start(1, "close-test");
    const c = client(s.address);
    // Enough rows that the scan is still running in the worker when close() is called.
    const many: Row[] = Array.from({ length: 20_000 }, (_, i) => ({ id: 1000 + i, a: i, c: `r${i}` }));
    for (let i = 0; i < many.length; i += 5000) await writeRows(c, many.slice(i, i + 5000), tso(60), tso(61));
    let answered = false;
    const inFlight = c.call("Coprocessor", copRequest(scanDag(), tso(70))).then((r: { data: Uint8Array }) => {
      answered = true;
      return r;
    });
    // Wait until the endpoint runs the request (it holds a concurrency slot).
    while (s.endpoint.limiter.active === 0 && !answered) await new Promise((r) => setTimeout(r, 1));
    expect(answered).toBe(false); // the request is in flight when close() is called
    const closed = s.close().then(() => answered);
    const resp = await inFlight;
    expect(rowsOf(resp.data)).toHaveLength(many.length);
    // close() resolved only once the answer was out.
    expect(await closed).toBe(true);
    await expect(c.call("Coprocessor", copRequest(scanDag(), tso(70)))).rejects.toThrow();
    c.close();
  });
});
