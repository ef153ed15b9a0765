// Snapshot scans through nextRange (the zero-copy path the executors use) and next(): against a
// model over random transaction histories on both engines and in both directions, plus the
// engines' iterRange, lock read-ahead across chunk boundaries and interleaved engine reads.

import { afterEach, describe, expect, it } from "vitest";
import {
  appendTs,
  type Engine,
  encodeUserKey,
  encodeWrite,
  type IsolationLevel,
  KeyIsLockedError,
  type KvPair,
  Mvcc,
  type MvccScanner,
  newRangePair,
  newWrite,
  type RangePair,
  type WriteOp,
} from "../src/index.js";
import { ENGINES } from "./helpers.js";

/** A small seeded PRNG (mulberry32), so failures replay. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
/** A copy of `b[start..end)` (not `slice`: on a Node Buffer, as LMDB hands out, it is a view). */
const copy = (b: Uint8Array, start = 0, end = b.length): Uint8Array =>
  Uint8Array.prototype.slice.call(b, start, end);
const cmp = (a: Uint8Array, b: Uint8Array): number => Buffer.compare(a, b);

/** Reads a scanner to its end (or its error) through nextRange, copying every pair. */
function drainRange(sc: MvccScanner): { rows: KvPair[]; error: unknown } {
  const out: RangePair = newRangePair();
  const rows: KvPair[] = [];
  try {
    while (sc.nextRange(out)) {
      rows.push({
        key: copy(out.keyBytes, out.keyStart, out.keyEnd),
        value: copy(out.valueBytes, out.valueStart, out.valueEnd),
      });
    }
    return { rows, error: null };
  } catch (e) {
    return { rows, error: e };
  }
}

/** The same through next(). */
function drainNext(sc: MvccScanner): { rows: KvPair[]; error: unknown } {
  const rows: KvPair[] = [];
  try {
    for (let p = sc.next(); p !== null; p = sc.next()) rows.push({ key: copy(p.key), value: copy(p.value) });
    return { rows, error: null };
  } catch (e) {
    return { rows, error: e };
  }
}

interface Version {
  commitTs: bigint;
  kind: "Put" | "Delete" | "Lock";
  value: Uint8Array | null;
}
interface PendingLock {
  ts: bigint;
  kind: "Put" | "Delete" | "Lock";
}

/** The committed history and pending locks of each key, as the model sees them. */
class Model {
  readonly versions = new Map<string, Version[]>();
  readonly locks = new Map<string, PendingLock>();
  readonly keys = new Map<string, Uint8Array>();

  /** Visible value of `key` at `ts`: the newest Put/Delete at or below it (Lock records skipped). */
  visible(key: string, ts: bigint): Uint8Array | null {
    const vs = this.versions.get(key) ?? [];
    let best: Version | null = null;
    for (const v of vs) {
      if (v.commitTs <= ts && v.kind !== "Lock" && (best === null || v.commitTs > best.commitTs)) best = v;
    }
    return best === null || best.kind === "Delete" ? null : best.value;
  }

  /** What a scan of [start, end) at `ts` returns: rows up to the first blocking lock, and that key. */
  expect(
    start: Uint8Array,
    end: Uint8Array,
    ts: bigint,
    desc: boolean,
    isolation: IsolationLevel,
  ): { rows: KvPair[]; lockedKey: Uint8Array | null } {
    const keys = [...this.keys.values()]
      .filter((k) => cmp(k, start) >= 0 && (end.length === 0 || cmp(k, end) < 0))
      .sort(cmp);
    if (desc) keys.reverse();
    const rows: KvPair[] = [];
    for (const k of keys) {
      const lock = this.locks.get(hex(k));
      if (isolation === "SI" && lock !== undefined && lock.kind !== "Lock" && lock.ts <= ts) {
        return { rows, lockedKey: k };
      }
      const v = this.visible(hex(k), ts);
      if (v !== null) rows.push({ key: k, value: v });
    }
    return { rows, lockedKey: null };
  }
}

/** A random key: lengths around the memcomparable 8-byte groups, some prefixes of others. */
function keyPool(r: () => number): Uint8Array[] {
  const lens = [1, 3, 7, 8, 9, 15, 16, 17, 24];
  const pool: Uint8Array[] = [];
  const base = Uint8Array.from({ length: 24 }, () => Math.floor(r() * 4));
  for (const n of lens) pool.push(base.slice(0, n));
  for (let i = 0; i < 8; i++) {
    const n = 1 + Math.floor(r() * 20);
    pool.push(
      Uint8Array.from({ length: n }, () => (r() < 0.2 ? 0 : r() < 0.2 ? 255 : Math.floor(r() * 256))),
    );
  }
  const seen = new Set<string>();
  return pool.filter((k) => !seen.has(hex(k)) && seen.add(hex(k)) !== undefined);
}

function randomValue(r: () => number): Uint8Array {
  // Mostly short values (inline in the write record), some long ones (default CF), some empty.
  const n = r() < 0.2 ? 256 + Math.floor(r() * 300) : r() < 0.1 ? 0 : 1 + Math.floor(r() * 200);
  return Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
}

/** Writes a random history through Mvcc and returns its model and the last ts used. */
function buildHistory(mvcc: Mvcc, r: () => number, steps: number): { model: Model; maxTs: bigint } {
  const model = new Model();
  const pool = keyPool(r);
  for (const k of pool) model.keys.set(hex(k), k);
  let ts = 10n;
  for (let s = 0; s < steps; s++) {
    const startTs = ts;
    ts += 1n + BigInt(Math.floor(r() * 3));
    const free = pool.filter((k) => !model.locks.has(hex(k)));
    if (free.length === 0) break;
    const n = 1 + Math.floor(r() * 3);
    const chosen: Uint8Array[] = [];
    for (let i = 0; i < n && free.length > 0; i++)
      chosen.push(free.splice(Math.floor(r() * free.length), 1)[0]!);
    const muts = chosen.map((key) => {
      const x = r();
      if (x < 0.6) return { op: "Put" as const, key, value: randomValue(r) };
      if (x < 0.85) return { op: "Del" as const, key };
      return { op: "Lock" as const, key };
    });
    const errs = mvcc.prewrite({
      mutations: muts,
      primaryLock: chosen[0]!,
      startVersion: startTs,
      lockTtl: 100n,
    });
    expect(errs).toEqual([]);
    const fate = r();
    const kindOf = (op: "Put" | "Del" | "Lock") => (op === "Del" ? "Delete" : op);
    if (fate < 0.7) {
      const commitTs = ts;
      ts += 1n;
      mvcc.commit(chosen, startTs, commitTs);
      for (const m of muts) {
        const list = model.versions.get(hex(m.key)) ?? [];
        list.push({ commitTs, kind: kindOf(m.op), value: m.op === "Put" ? m.value : null });
        model.versions.set(hex(m.key), list);
      }
    } else if (fate < 0.9) {
      mvcc.batchRollback(chosen, startTs);
    } else {
      for (const m of muts) model.locks.set(hex(m.key), { ts: startTs, kind: kindOf(m.op) });
    }
  }
  return { model, maxTs: ts };
}

function lockedKeyOf(e: unknown): Uint8Array {
  expect(e).toBeInstanceOf(KeyIsLockedError);
  return (e as KeyIsLockedError).lock.key;
}

const disposers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (disposers.length > 0) await disposers.pop()!();
});

function open(engineCase: (typeof ENGINES)[number]): { engine: Engine; mvcc: Mvcc } {
  const { engine, dispose } = engineCase.make();
  disposers.push(dispose);
  return { engine, mvcc: new Mvcc(engine) };
}

describe.each(ENGINES)("snapshot scans on $name", (engineCase) => {
  it("nextRange and next() match the model over random histories", () => {
    for (let seed = 1; seed <= 12; seed++) {
      const r = rng(seed);
      const { mvcc } = open(engineCase);
      const { model, maxTs } = buildHistory(mvcc, r, 40);
      const keys = [...model.keys.values()].sort(cmp);
      for (let q = 0; q < 16; q++) {
        const ts = BigInt(Math.floor(r() * Number(maxTs + 2n)));
        const desc = r() < 0.5;
        const isolation: IsolationLevel = r() < 0.7 ? "SI" : "RC";
        // Whole space, or bounds taken from the pool (or just past a key).
        let start: Uint8Array = new Uint8Array(0);
        let end: Uint8Array = new Uint8Array(0);
        if (r() < 0.6) {
          const a = keys[Math.floor(r() * keys.length)]!;
          const b = keys[Math.floor(r() * keys.length)]!;
          [start, end] = cmp(a, b) <= 0 ? [a, b] : [b, a];
          if (r() < 0.3) end = Uint8Array.from([...end, 0]);
          if (r() < 0.2) end = new Uint8Array(0);
        }
        const want = model.expect(start, end, ts, desc, isolation);
        const snap = mvcc.snapshot(ts, { isolation });
        const got = drainRange(snap.scan({ start, end }, desc));
        const gotNext = drainNext(snap.scan({ start, end }, desc));
        snap.release();
        const label = `seed ${seed} query ${q} ts ${ts} ${desc ? "desc" : "asc"} ${isolation}`;
        expect(
          got.rows.map((p) => [hex(p.key), hex(p.value)]),
          label,
        ).toEqual(want.rows.map((p) => [hex(p.key), hex(p.value)]));
        expect(
          gotNext.rows.map((p) => [hex(p.key), hex(p.value)]),
          label,
        ).toEqual(got.rows.map((p) => [hex(p.key), hex(p.value)]));
        if (want.lockedKey === null) {
          expect(got.error, label).toBeNull();
          expect(gotNext.error, label).toBeNull();
        } else {
          expect(hex(lockedKeyOf(got.error)), label).toBe(hex(want.lockedKey));
          expect(hex(lockedKeyOf(gotNext.error)), label).toBe(hex(want.lockedKey));
        }
      }
    }
  });

  it("reads locks ahead in chunks: many non-blocking locks, then a blocking one past them", () => {
    const { mvcc } = open(engineCase);
    const key = (i: number) => new TextEncoder().encode(`k${String(i).padStart(5, "0")}`);
    const N = 700; // more than two lock chunks
    const muts = [];
    for (let i = 0; i < N; i++)
      muts.push({ op: "Put" as const, key: key(i), value: new Uint8Array([i & 0xff, i >> 8]) });
    expect(mvcc.prewrite({ mutations: muts, primaryLock: key(0), startVersion: 5n, lockTtl: 100n })).toEqual(
      [],
    );
    mvcc.commit(
      muts.map((m) => m.key),
      5n,
      6n,
    );
    // Lock-kind locks on every other key (they never block a read), a Put lock on key 650.
    const lockMuts = [];
    for (let i = 0; i < N; i += 2) if (i !== 650) lockMuts.push({ op: "Lock" as const, key: key(i) });
    expect(
      mvcc.prewrite({ mutations: lockMuts, primaryLock: key(0), startVersion: 8n, lockTtl: 100n }),
    ).toEqual([]);
    expect(
      mvcc.prewrite({
        mutations: [{ op: "Put", key: key(650), value: new Uint8Array([1]) }],
        primaryLock: key(650),
        startVersion: 9n,
        lockTtl: 100n,
      }),
    ).toEqual([]);
    for (const desc of [false, true]) {
      // Below the blocking lock's ts: every row.
      let snap = mvcc.snapshot(8n);
      let got = drainRange(snap.scan({ start: new Uint8Array(0), end: new Uint8Array(0) }, desc));
      snap.release();
      expect(got.error).toBeNull();
      expect(got.rows.length).toBe(N);
      const order = got.rows.map((p) => Number(new TextDecoder().decode(p.key).slice(1)));
      const want = Array.from({ length: N }, (_, i) => (desc ? N - 1 - i : i));
      expect(order).toEqual(want);
      expect(got.rows.every((p, i) => p.value[0] === (want[i]! & 0xff) && p.value[1] === want[i]! >> 8)).toBe(
        true,
      );
      // At ts 10 the Put lock on key 650 blocks, after the rows before it in scan order.
      snap = mvcc.snapshot(10n);
      got = drainRange(snap.scan({ start: new Uint8Array(0), end: new Uint8Array(0) }, desc));
      snap.release();
      expect(new TextDecoder().decode(lockedKeyOf(got.error))).toBe("k00650");
      expect(got.rows.length).toBe(desc ? N - 1 - 650 : 650);
    }
    // A limited scan that stops before the blocking lock does not fail (locks are met in order).
    expect(mvcc.scan({ start: new Uint8Array(0), end: new Uint8Array(0) }, 10n, 100, {}).length).toBe(100);
  });

  it("survives other engine reads between calls (the scan's own state is not in shared buffers)", () => {
    const { mvcc } = open(engineCase);
    const enc = new TextEncoder();
    const N = 50;
    const key = (i: number) => enc.encode(`row${String(i).padStart(3, "0")}`);
    const value = (i: number) => (i % 7 === 0 ? new Uint8Array(300).fill(i) : new Uint8Array(160).fill(i));
    for (let i = 0; i < N; i++) {
      const start = BigInt(10 + 4 * i);
      mvcc.prewrite({
        mutations: [{ op: "Put", key: key(i), value: value(i) }],
        primaryLock: key(i),
        startVersion: start,
        lockTtl: 1n,
      });
      mvcc.commit([key(i)], start, start + 1n);
      // A second, older-looking history on some keys: a newer Put above the read ts.
      if (i % 3 === 0) {
        mvcc.prewrite({
          mutations: [{ op: "Put", key: key(i), value: new Uint8Array([9]) }],
          primaryLock: key(i),
          startVersion: 1000n + BigInt(i),
          lockTtl: 1n,
        });
        mvcc.commit([key(i)], 1000n + BigInt(i), 1001n + BigInt(i));
      }
    }
    for (const desc of [false, true]) {
      const snap = mvcc.snapshot(900n);
      const other = mvcc.snapshot(2000n);
      const sc = snap.scan({ start: new Uint8Array(0), end: new Uint8Array(0) }, desc);
      const out = newRangePair();
      const seen: number[] = [];
      while (sc.nextRange(out)) {
        const k = new TextDecoder().decode(out.keyBytes.subarray(out.keyStart, out.keyEnd));
        const i = Number(k.slice(3));
        expect(hex(out.valueBytes.subarray(out.valueStart, out.valueEnd))).toBe(hex(value(i)));
        seen.push(i);
        // Reads of the same engine between two calls: a point get and a short scan.
        expect(other.get(key((i + 1) % N))).not.toBeNull();
        const side = other.scan({ start: key(0), end: key(3) }, !desc);
        while (side.nextRange(newRangePair()));
      }
      snap.release();
      other.release();
      expect(seen).toEqual(Array.from({ length: N }, (_, i) => (desc ? N - 1 - i : i)));
    }
  });

  it("GC fences hide versions fenced at or below the read ts, in both directions", () => {
    // TiKV txn_types write.rs `check_gc_fence_as_latest_version`: the newest version at or below
    // the read ts is ignored when its gc_fence is set and <= the read ts.
    const { engine, mvcc } = open(engineCase);
    const te = new TextEncoder();
    const long = new Uint8Array(400).fill(7);
    const put = (
      k: string,
      commitTs: bigint,
      startTs: bigint,
      value: Uint8Array | null,
      fence: bigint | null,
    ) => {
      const w = newWrite("Put", startTs, value !== null && value.length <= 255 ? value : null);
      if (fence !== null) {
        w.hasOverlappedRollback = true;
        w.gcFence = fence;
      }
      const ek = encodeUserKey(te.encode(k));
      const ops: WriteOp[] = [
        { kind: "put", cf: "write", key: appendTs(ek, commitTs), value: encodeWrite(w) },
      ];
      if (value !== null && value.length > 255)
        ops.push({ kind: "put", cf: "default", key: appendTs(ek, startTs), value });
      engine.write(ops);
    };
    put("a", 10n, 9n, te.encode("a10"), 20n); // fenced at 20
    put("b", 10n, 9n, long, 20n); // long value, fenced at 20
    put("c", 10n, 9n, te.encode("c10"), 0n); // overlapped rollback, no fence
    put("d", 10n, 9n, te.encode("d10"), null);
    put("d", 30n, 29n, te.encode("d30"), 25n); // newer version, fenced at 25
    const scan = (ts: bigint, desc: boolean) =>
      drainRange(mvcc.snapshot(ts).scan({ start: new Uint8Array(0), end: new Uint8Array(0) }, desc)).rows.map(
        (p) =>
          `${new TextDecoder().decode(p.key)}=${p.value.length > 100 ? `long${p.value.length}` : new TextDecoder().decode(p.value)}`,
      );
    for (const desc of [false, true]) {
      const order = (xs: string[]) => (desc ? [...xs].reverse() : xs);
      expect(scan(15n, desc)).toEqual(order(["a=a10", "b=long400", "c=c10", "d=d10"]));
      expect(scan(20n, desc)).toEqual(order(["c=c10", "d=d10"]));
      expect(scan(30n, desc)).toEqual(order(["c=c10"]));
    }
  });

  it("iterRange returns what iter returns, in both directions and for open bounds", () => {
    const { engine } = open(engineCase);
    const r = rng(77);
    const pairs = new Map<string, Uint8Array>();
    const ops = [];
    for (let i = 0; i < 300; i++) {
      const k = Uint8Array.from({ length: 1 + Math.floor(r() * 12) }, () => Math.floor(r() * 256));
      const v = Uint8Array.from({ length: Math.floor(r() * 400) }, () => Math.floor(r() * 256));
      pairs.set(hex(k), v);
      ops.push({ kind: "put" as const, cf: "write" as const, key: k, value: v });
    }
    engine.write(ops);
    const sorted = [...pairs.keys()].sort();
    const snap = engine.snapshot();
    expect(snap.iterRange).toBeDefined();
    for (let q = 0; q < 20; q++) {
      const a = Buffer.from(sorted[Math.floor(r() * sorted.length)]!, "hex");
      const b = Buffer.from(sorted[Math.floor(r() * sorted.length)]!, "hex");
      let [start, end]: Uint8Array[] = cmp(a, b) <= 0 ? [a, b] : [b, a];
      if (q % 4 === 0) start = new Uint8Array(0);
      if (q % 5 === 0) end = new Uint8Array(0);
      for (const desc of [false, true]) {
        const want: string[] = [];
        const it = snap.iter("write", { start: start!, end: end! }, desc);
        for (let p = it.next(); p !== null; p = it.next()) want.push(`${hex(p.key)}=${hex(p.value)}`);
        const got: string[] = [];
        const ri = snap.iterRange!("write", { start: start!, end: end! }, desc);
        const out = newRangePair();
        while (ri.nextRange(out)) {
          got.push(
            `${hex(out.keyBytes.subarray(out.keyStart, out.keyEnd))}=${hex(out.valueBytes.subarray(out.valueStart, out.valueEnd))}`,
          );
        }
        expect(ri.nextRange(out)).toBe(false);
        ri.close();
        expect(got).toEqual(want);
        // The model: the keys in [start, end), in order.
        const inRange = sorted.filter((k) => k >= hex(start!) && (end!.length === 0 || k < hex(end!)));
        if (desc) inRange.reverse();
        expect(got.map((s) => s.split("=")[0])).toEqual(inRange);
      }
    }
    // An empty CF and an empty range read as empty.
    const none = snap.iterRange!("lock", { start: new Uint8Array(0), end: new Uint8Array(0) }, false);
    expect(none.nextRange(newRangePair())).toBe(false);
    snap.release();
  });
});
