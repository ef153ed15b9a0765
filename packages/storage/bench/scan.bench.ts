// Full snapshot scan of 1M committed rows (~160-byte values, TPC-H lineitem-sized row-v2 rows)
// on LMDB and in memory, through `Mvcc.snapshot().scan` read with `next()` and `nextRange()`.
// Run: npx vitest bench --run (in packages/storage). Figures go in docs/storage.md.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, bench, describe } from "vitest";
import {
  appendTs,
  type Engine,
  encodeUserKey,
  encodeWrite,
  MemoryEngine,
  Mvcc,
  newWrite,
  openLmdbEngine,
  type RangePair,
  type WriteOp,
} from "../src/index.js";

const ROWS = Number(process.env.COPR_BENCH_ROWS ?? 1_000_000);
const VALUE_LEN = 160;

/** Row keys like TiDB's t{tableId}_r{handle}, written straight as committed versions (commit_ts 2). */
function load(engine: Engine): void {
  const value = new Uint8Array(VALUE_LEN);
  // A row-v2 header (version 128, 16 non-null columns) then column bytes.
  value.set([128, 0, 16, 0, 0, 0]);
  for (let i = 6; i < VALUE_LEN; i++) value[i] = 0x30 + (i % 40);
  const key = new Uint8Array(19);
  key.set([0x74, 0x80, 0, 0, 0, 0, 0, 0, 0x2a, 0x5f, 0x72], 0);
  const BATCH = 50_000;
  for (let i = 0; i < ROWS; i += BATCH) {
    const ops: WriteOp[] = [];
    for (let j = i; j < Math.min(ROWS, i + BATCH); j++) {
      new DataView(key.buffer).setBigUint64(11, BigInt(j) ^ (1n << 63n));
      const write = newWrite("Put", 1n, value);
      ops.push({
        kind: "put",
        cf: "write",
        key: appendTs(encodeUserKey(key), 2n),
        value: encodeWrite(write),
      });
    }
    engine.write(ops);
  }
}

const ALL = { start: new Uint8Array(0), end: new Uint8Array(0) };

function check(n: number, bytes: number): void {
  if (n !== ROWS || bytes !== ROWS * VALUE_LEN) throw new Error(`scanned ${n} rows, ${bytes} value bytes`);
}

function scanNext(mvcc: Mvcc, desc: boolean): void {
  const snap = mvcc.snapshot(10n);
  const sc = snap.scan(ALL, desc);
  let n = 0;
  let bytes = 0;
  for (let p = sc.next(); p !== null; p = sc.next()) {
    n++;
    bytes += p.value.length + (p.key[18]! & 0);
  }
  snap.release();
  check(n, bytes);
}

function scanRange(mvcc: Mvcc, desc: boolean): void {
  const snap = mvcc.snapshot(10n);
  const sc = snap.scan(ALL, desc);
  if (sc.nextRange === undefined) return; // (the code before nextRange existed)
  const out: RangePair = {
    keyBytes: new Uint8Array(0),
    keyStart: 0,
    keyEnd: 0,
    valueBytes: new Uint8Array(0),
    valueStart: 0,
    valueEnd: 0,
  };
  let n = 0;
  let bytes = 0;
  while (sc.nextRange(out)) {
    n++;
    bytes += out.valueEnd - out.valueStart + (out.keyBytes[out.keyEnd - 1]! & 0);
  }
  snap.release();
  check(n, bytes);
}

const dir = mkdtempSync(join(tmpdir(), "copr-bench-"));
const lmdb = openLmdbEngine({ path: dir, noSync: true });
load(lmdb);
// The memory engine is loaded only when its benches start: its 2M arrays on the heap would
// slow the LMDB runs' garbage collection, which a server (holding only LMDB) does not pay.
let memory: MemoryEngine | null = null;
function mem(): MemoryEngine {
  if (memory === null) {
    memory = new MemoryEngine();
    load(memory);
  }
  return memory;
}
afterAll(async () => {
  await lmdb.close();
  rmSync(dir, { recursive: true, force: true });
});

const opts = { iterations: 5, warmupIterations: 1, time: 0 };
describe(`LMDB: snapshot scan of ${ROWS} rows`, () => {
  for (const desc of [false, true]) {
    const dir = desc ? "backward" : "forward";
    bench(`${dir} next()`, () => scanNext(new Mvcc(lmdb), desc), opts);
    bench(`${dir} nextRange()`, () => scanRange(new Mvcc(lmdb), desc), opts);
  }
});
describe(`memory: snapshot scan of ${ROWS} rows`, () => {
  for (const desc of [false, true]) {
    const dir = desc ? "backward" : "forward";
    bench(`${dir} next()`, () => scanNext(new Mvcc(mem()), desc), opts);
    bench(`${dir} nextRange()`, () => scanRange(new Mvcc(mem()), desc), opts);
  }
});
