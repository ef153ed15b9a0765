// lmdb-js 3.5.6 range-read options compared (the table in docs/storage.md, "lmdb-js range
// reads"): 1M entries of 36-byte keys and 175-byte values, full scans in one read transaction.
// Run: node bench/lmdb-range.mjs (in packages/storage).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { open } from "lmdb";

const N = Number(process.env.COPR_BENCH_ROWS ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), "copr-lmdb-range-"));
const env = open({
  path: dir,
  maxDbs: 4,
  mapSize: 4 * 1024 ** 3,
  noSync: true,
  encoding: "binary",
  keyEncoding: "binary",
});
const db = env.openDB({ name: "write", encoding: "binary", keyEncoding: "binary" });
// The hooks of the zero-copy handle: note where lmdb-js put the bytes, return a number.
const seen = { keyBytes: null, keyStart: 0, keyEnd: 0, valueBytes: null, valueLen: 0 };
const keyEncoder = {
  writeKey(key, target, start) {
    target.set(key, start);
    return start + key.length;
  },
  readKey(source, start, end) {
    seen.keyBytes = source;
    seen.keyStart = start;
    seen.keyEnd = end;
    return end;
  },
};
const encoder = {
  needsStableBuffer: false,
  encode: (v) => v,
  decode(bytes, size) {
    seen.valueBytes = bytes;
    seen.valueLen = size;
    return size;
  },
};
const raw = env.openDB({ name: "write", keyEncoder, encoder });
const LOWEST = Buffer.from([0]);

try {
  const key = Buffer.alloc(36);
  const value = Buffer.alloc(175, 0x61);
  env.transactionSync(() => {
    for (let i = 0; i < N; i++) {
      key.writeUInt32BE(i, 10);
      db.putSync(key, value);
    }
  });
  const cases = {
    "getRange binary keys and values": (txn) => {
      let sum = 0;
      for (const { key, value } of db.getRange({ transaction: txn })) sum += value.length + key[0];
      return sum;
    },
    "getRange values: false": (txn) => {
      let sum = 0;
      for (const key of db.getRange({ transaction: txn, values: false })) sum += key.length;
      return sum;
    },
    "custom keyEncoder + encoder": (txn) => {
      let sum = 0;
      const it = raw.getRange({ transaction: txn, start: LOWEST })[Symbol.iterator]();
      for (let r = it.next(); r.done !== true; r = it.next())
        sum += seen.valueLen + seen.keyBytes[seen.keyStart];
      return sum;
    },
    "custom keyEncoder + encoder, reverse": (txn) => {
      let sum = 0;
      const it = raw
        .getRange({ transaction: txn, reverse: true, end: LOWEST, inclusiveEnd: true })
        [Symbol.iterator]();
      for (let r = it.next(); r.done !== true; r = it.next())
        sum += seen.valueLen + seen.keyBytes[seen.keyStart];
      return sum;
    },
  };
  for (const [name, f] of Object.entries(cases)) {
    const rates = [];
    for (let r = 0; r < 4; r++) {
      const txn = env.useReadTransaction();
      const t = performance.now();
      f(txn);
      const ms = performance.now() - t;
      txn.done();
      if (r > 0) rates.push(((N / ms) * 1e-3).toFixed(2));
    }
    console.log(`${name}: ${rates.join(" / ")} M entries/s`);
  }
} finally {
  await env.close();
  rmSync(dir, { recursive: true, force: true });
}
