// The workload of scan.bench.ts (1M rows, 160-byte values, one version each) in plain Node,
// without vitest's harness: `npx tsc -p tsconfig.build.json && node bench/scan-node.mjs`.
// Each engine is loaded and measured alone (LMDB first), 1 warm-up then 5 timed runs.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  appendTs,
  encodeUserKey,
  encodeWrite,
  MemoryEngine,
  Mvcc,
  newRangePair,
  newWrite,
  openLmdbEngine,
} from "../dist/index.js";

const ROWS = Number(process.env.COPR_BENCH_ROWS ?? 1_000_000);
const VALUE_LEN = 160;
const ALL = { start: new Uint8Array(0), end: new Uint8Array(0) };

function load(engine) {
  const value = new Uint8Array(VALUE_LEN);
  value.set([128, 0, 16, 0, 0, 0]);
  for (let i = 6; i < VALUE_LEN; i++) value[i] = 0x30 + (i % 40);
  const key = new Uint8Array(19);
  key.set([0x74, 0x80, 0, 0, 0, 0, 0, 0, 0x2a, 0x5f, 0x72], 0);
  for (let i = 0; i < ROWS; i += 50_000) {
    const ops = [];
    for (let j = i; j < Math.min(ROWS, i + 50_000); j++) {
      new DataView(key.buffer).setBigUint64(11, BigInt(j) ^ (1n << 63n));
      const write = encodeWrite(newWrite("Put", 1n, value));
      ops.push({ kind: "put", cf: "write", key: appendTs(encodeUserKey(key), 2n), value: write });
    }
    engine.write(ops);
  }
}

function scan(engine, desc, range) {
  const snap = new Mvcc(engine).snapshot(10n);
  const sc = snap.scan(ALL, desc);
  let n = 0;
  let bytes = 0;
  if (range) {
    const out = newRangePair();
    while (sc.nextRange(out)) {
      n++;
      bytes += out.valueEnd - out.valueStart;
    }
  } else {
    for (let p = sc.next(); p !== null; p = sc.next()) {
      n++;
      bytes += p.value.length;
    }
  }
  snap.release();
  if (n !== ROWS || bytes !== ROWS * VALUE_LEN) throw new Error(`scanned ${n} rows, ${bytes} value bytes`);
}

function measure(name, engine) {
  for (const desc of [false, true]) {
    for (const range of [false, true]) {
      const ms = [];
      for (let r = 0; r < 6; r++) {
        const t = performance.now();
        scan(engine, desc, range);
        if (r > 0) ms.push(performance.now() - t);
      }
      const best = Math.min(...ms);
      const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
      const rate = (t) => `${((ROWS / t) * 1e-3).toFixed(2)}M`;
      const what = `${desc ? "backward" : "forward"} ${range ? "nextRange()" : "next()"}`;
      console.log(
        `${name} ${what}: ${best.toFixed(0)} / ${mean.toFixed(0)} ms, ${rate(best)} / ${rate(mean)} rows/s`,
      );
    }
  }
}

const dir = mkdtempSync(join(tmpdir(), "copr-bench-"));
try {
  const lmdb = openLmdbEngine({ path: dir, noSync: true });
  load(lmdb);
  measure("lmdb", lmdb);
  await lmdb.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const mem = new MemoryEngine();
load(mem);
measure("memory", mem);
