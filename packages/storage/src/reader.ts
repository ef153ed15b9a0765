// MVCC reads over an engine snapshot: the helpers the txn actions use (TiKV
// src/storage/mvcc/reader/reader.rs), point gets (point_getter.rs) and forward/backward scans
// (scanner/forward.rs, backward.rs) with SI / RC / RCCheckTS lock handling.

import { newRangePair, rangeIteratorOf } from "./engine-common.js";
import { BadFormatError, DefaultNotFoundError, KeyIsLockedError, WriteConflictError } from "./errors.js";
import {
  appendTs,
  bytesEqual,
  compareBytes,
  decodeKeyTs,
  descTsBytes,
  encodeUserKey,
  MAX_TS,
  TS_LEN,
  versionsEnd,
} from "./keys.js";
import {
  gcFenceValid,
  type Lock,
  lockInfoOf,
  parseLock,
  parseWrite,
  SHORT_VALUE_PREFIX,
  WRITE_DELETE,
  WRITE_LOCK,
  WRITE_PUT,
  WRITE_ROLLBACK,
  type Write,
} from "./records.js";
import type {
  EngineSnapshot,
  IsolationLevel,
  KeyRange,
  KvPair,
  MvccScanner,
  MvccSnapshot,
  RangeIterator,
  RangePair,
  ReadOptions,
} from "./types.js";

/** A write record and the commit timestamp of its key. */
export interface WriteAt {
  commitTs: bigint;
  write: Write;
}

/** What the write CF says about one transaction on one key (TiKV `TxnCommitRecord`). */
export type TxnCommitRecord =
  | { kind: "single"; commitTs: bigint; write: Write }
  | { kind: "overlappedRollback"; commitTs: bigint }
  | { kind: "none"; overlapped: { write: Write; gcFence: bigint } | null };

/** The first write of `enc` with commit_ts <= `ts` (TiKV `seek_write`). */
export function seekWrite(snap: EngineSnapshot, enc: Uint8Array, ts: bigint): WriteAt | null {
  const it = snap.iter("write", { start: appendTs(enc, ts), end: versionsEnd(enc) }, false);
  try {
    const p = it.next();
    if (p === null) return null;
    return { commitTs: decodeKeyTs(p.key), write: parseWrite(p.value) };
  } finally {
    it.close();
  }
}

/** The newest Put of `enc` at or below `ts`, or null if a Delete (or nothing) comes first (TiKV `get_write`). */
export function getWrite(
  snap: EngineSnapshot,
  enc: Uint8Array,
  ts: bigint,
  gcFenceLimit: bigint | null,
): WriteAt | null {
  const it = snap.iter("write", { start: appendTs(enc, ts), end: versionsEnd(enc) }, false);
  try {
    for (let p = it.next(); p !== null; p = it.next()) {
      const write = parseWrite(p.value);
      if (gcFenceLimit !== null && !gcFenceValid(write, gcFenceLimit)) return null;
      if (write.type === "Put") return { commitTs: decodeKeyTs(p.key), write };
      if (write.type === "Delete") return null;
    }
    return null;
  } finally {
    it.close();
  }
}

/** TiKV `get_txn_commit_record`: scans every version from the newest down to `startTs`. */
export function getTxnCommitRecord(snap: EngineSnapshot, enc: Uint8Array, startTs: bigint): TxnCommitRecord {
  const it = snap.iter("write", { start: appendTs(enc, MAX_TS), end: versionsEnd(enc) }, false);
  let gcFence = 0n;
  try {
    for (let p = it.next(); p !== null; p = it.next()) {
      const commitTs = decodeKeyTs(p.key);
      const write = parseWrite(p.value);
      if (write.startTs === startTs) return { kind: "single", commitTs, write };
      if (commitTs === startTs) {
        if (write.hasOverlappedRollback) return { kind: "overlappedRollback", commitTs };
        return { kind: "none", overlapped: { write, gcFence } };
      }
      if (write.type === "Put" || write.type === "Delete") gcFence = commitTs;
      if (commitTs < startTs) break;
    }
    return { kind: "none", overlapped: null };
  } finally {
    it.close();
  }
}

/** The value of a Put write: its short value or the default CF entry at (key, start_ts). */
export function loadValue(
  snap: EngineSnapshot,
  enc: Uint8Array,
  rawKey: Uint8Array,
  write: Write,
): Uint8Array {
  if (write.shortValue !== null) return write.shortValue;
  const v = snap.get("default", appendTs(enc, write.startTs));
  if (v === null) throw new DefaultNotFoundError(rawKey);
  return v;
}

/** Decodes the memcomparable user key in `enc[0..len)` into a new array. */
export function decodeUserKey(enc: Uint8Array, len: number): Uint8Array {
  if (len <= 0 || len % 9 !== 0) throw new BadFormatError("key", `encoded user key of ${len} bytes`);
  const pad = 0xff - enc[len - 1]!;
  if (pad < 1 || pad > 8) throw new BadFormatError("key", `bad memcomparable marker ${enc[len - 1]}`);
  for (let g = 8; g < len - 9; g += 9) {
    if (enc[g] !== 0xff) throw new BadFormatError("key", `bad memcomparable marker ${enc[g]}`);
  }
  const n = (len / 9) * 8 - pad;
  const out = new Uint8Array(n);
  let o = 0;
  for (let p = 0; o < n; p += 9) {
    const take = Math.min(n - o, 8);
    for (let i = 0; i < take; i++) out[o + i] = enc[p + i]!;
    o += take;
  }
  return out;
}

/** Resolved read options: the isolation and the two timestamp sets. */
export interface ReadCtx {
  ts: bigint;
  isolation: IsolationLevel;
  bypass: readonly bigint[];
  access: readonly bigint[];
}

/** Defaults of {@link ReadOptions} (SI, no resolved or committed locks). */
export function readCtx(ts: bigint, opts: ReadOptions | undefined): ReadCtx {
  return {
    ts,
    isolation: opts?.isolation ?? "SI",
    bypass: opts?.resolvedLocks ?? [],
    access: opts?.committedLocks ?? [],
  };
}

/**
 * Checks a lock against a read (TiKV `check_ts_conflict`). Returns true when the read must
 * return the lock's own value (the lock's txn is in `committedLocks`), false when the lock does
 * not matter; throws when it blocks the read.
 */
export function lockBlocks(ctx: ReadCtx, lock: Lock, rawKey: () => Uint8Array): boolean {
  if (ctx.isolation === "RC") return false;
  if (lock.type === "Lock" || lock.type === "Pessimistic") return false;
  if (ctx.isolation === "SI") {
    if (lock.ts > ctx.ts) return false;
    if (lock.minCommitTs > ctx.ts) return false;
  }
  if (ctx.bypass.includes(lock.ts)) return false;
  if (ctx.isolation === "SI") {
    const key = rawKey();
    // A max-ts read of the primary key ignores its (non async-commit) lock.
    if (ctx.ts === MAX_TS && !lock.useAsyncCommit && bytesEqual(key, lock.primary)) return false;
    if (ctx.access.includes(lock.ts)) return true;
    throw new KeyIsLockedError(lockInfoOf(lock, key));
  }
  // RCCheckTS.
  if (ctx.access.includes(lock.ts)) return true;
  throw new WriteConflictError(ctx.ts, lock.ts, 0n, rawKey(), lock.primary, "RcCheckTs");
}

/** The value a committed lock stands for (TiKV `load_data_from_lock`). */
export function valueFromLock(
  snap: EngineSnapshot,
  enc: Uint8Array,
  rawKey: Uint8Array,
  lock: Lock,
): Uint8Array | null {
  if (lock.type === "Delete") return null;
  if (lock.shortValue !== null) return lock.shortValue;
  const v = snap.get("default", appendTs(enc, lock.ts));
  if (v === null) throw new DefaultNotFoundError(rawKey);
  return v;
}

/** TiKV `PointGetter::get`: the value of `rawKey` visible at `ctx.ts`. */
export function pointGet(snap: EngineSnapshot, rawKey: Uint8Array, ctx: ReadCtx): Uint8Array | null {
  const enc = encodeUserKey(rawKey);
  if (ctx.isolation !== "RC") {
    const lockBytes = snap.get("lock", enc);
    if (lockBytes !== null) {
      const lock = parseLock(lockBytes);
      if (lockBlocks(ctx, lock, () => rawKey)) return valueFromLock(snap, enc, rawKey, lock);
    }
  }
  const end = versionsEnd(enc);
  if (ctx.isolation === "RCCheckTS") {
    const newest = seekWrite(snap, enc, MAX_TS);
    if (newest !== null && newest.commitTs > ctx.ts) {
      throw new WriteConflictError(ctx.ts, 0n, newest.commitTs, rawKey, new Uint8Array(0), "RcCheckTs");
    }
  }
  const it = snap.iter("write", { start: appendTs(enc, ctx.ts), end }, false);
  try {
    for (let p = it.next(); p !== null; p = it.next()) {
      const write = parseWrite(p.value);
      if (!gcFenceValid(write, ctx.ts)) return null;
      if (write.type === "Put") return loadValue(snap, enc, rawKey, write);
      if (write.type === "Delete") return null;
    }
    return null;
  } finally {
    it.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Scanners (TiKV scanner/forward.rs, backward.rs). Hot path, per row: one engine step through
// `iterRange` (no view or object per pair), versions compared on their 8 encoded timestamp
// bytes, the write record read in place (a short value is returned as a range of the record's
// bytes), and the user key decoded into one reused buffer. Locks of the range are read ahead in
// chunks, so that only the write-CF iterator steps while rows are handed out.

/**
 * Decodes the memcomparable user key in `enc[0..len)` into `out` (at least `len` bytes long);
 * returns the decoded length.
 */
export function decodeUserKeyInto(enc: Uint8Array, len: number, out: Uint8Array): number {
  if (len <= 0 || len % 9 !== 0) throw new BadFormatError("key", `encoded user key of ${len} bytes`);
  const pad = 0xff - enc[len - 1]!;
  if (pad < 1 || pad > 8) throw new BadFormatError("key", `bad memcomparable marker ${enc[len - 1]}`);
  let o = 0;
  for (let g = 0; g < len - 9; g += 9) {
    if (enc[g + 8] !== 0xff) throw new BadFormatError("key", `bad memcomparable marker ${enc[g + 8]}`);
    for (let i = 0; i < 8; i++) out[o++] = enc[g + i]!;
  }
  const last = len - 9;
  for (let i = 0; i < 8 - pad; i++) out[o++] = enc[last + i]!;
  return o;
}

/**
 * Compares the timestamp suffix of the versioned key ending at `b[end]` with `tsBytes` (the
 * suffix of the read ts): < 0 when the version's commit_ts is greater than the read ts (the
 * suffix holds !ts).
 */
function cmpSuffix(b: Uint8Array, end: number, tsBytes: Uint8Array): number {
  const p = end - TS_LEN;
  for (let i = 0; i < TS_LEN; i++) {
    const d = b[p + i]! - tsBytes[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Where a write record's fields start in `b[start..end)`: after the flag and the var-u64 start_ts. */
function afterStartTs(b: Uint8Array, start: number, end: number): number {
  let p = start + 1;
  while (p < end && (b[p]! & 0x80) !== 0) p++;
  if (p >= end) throw new BadFormatError("write", `truncated write record of ${end - start} bytes`);
  return p + 1;
}

// Write-record field prefixes the scan looks at (records.ts has the full parser).
const OVERLAPPED_ROLLBACK = 0x52; // 'R'
const GC_FENCE = 0x46; // 'F'

/** Locks of a scan range, read ahead a chunk at a time (copies, so they outlive engine reads). */
class LockQueue {
  private static readonly CHUNK = 256;
  private keys: Uint8Array[] = [];
  private values: Uint8Array[] = [];
  private i = 0;
  private more = true;
  private start: Uint8Array;
  private end: Uint8Array;

  constructor(
    private readonly snap: EngineSnapshot,
    range: KeyRange,
    private readonly desc: boolean,
    /** Called before a later chunk is read (engine reads may reuse the caller's buffers). */
    private readonly beforeRead: () => void,
  ) {
    this.start = range.start;
    this.end = range.end;
    this.fill();
  }

  /** Reads the next chunk after the last lock read (the snapshot is fixed, so this equals one long scan). */
  private fill(): void {
    this.keys = [];
    this.values = [];
    this.i = 0;
    const it = this.snap.iter("lock", { start: this.start, end: this.end }, this.desc);
    try {
      for (let n = 0; n < LockQueue.CHUNK; n++) {
        const p = it.next();
        if (p === null) {
          this.more = false;
          return;
        }
        this.keys.push(new Uint8Array(p.key));
        this.values.push(new Uint8Array(p.value));
      }
    } finally {
      it.close();
    }
    const last = this.keys[this.keys.length - 1]!;
    if (this.desc) this.end = last;
    else {
      // The first key after `last`.
      const next = new Uint8Array(last.length + 1);
      next.set(last);
      this.start = next;
    }
  }

  /** The encoded key of the next lock, or null when none is left. */
  head(): Uint8Array | null {
    if (this.i >= this.keys.length) {
      if (!this.more) return null;
      this.beforeRead();
      this.fill();
      if (this.i >= this.keys.length) return null;
    }
    return this.keys[this.i]!;
  }

  /** The value of the lock {@link head} returned. */
  headValue(): Uint8Array {
    return this.values[this.i]!;
  }

  advance(): void {
    this.i++;
  }
}

const NO_BYTES = new Uint8Array(0);

class Scanner implements MvccScanner {
  private readonly writes: RangeIterator;
  /** Whether the write iterator's bytes survive its next step (then nothing is copied). */
  private readonly stable: boolean;
  /**
   * The write-CF head, valid while `hasW`. With an unstable engine its bytes die at any engine
   * read, so before one (and before returning with the head on a key not yet read) they are
   * copied into `hk`/`hv` ("pinned").
   */
  private readonly w: RangePair = newRangePair();
  private hasW = false;
  private pinned = false;
  private hk = new Uint8Array(64);
  private hv = new Uint8Array(256);
  private readonly locks: LockQueue | null;
  /** The encoded user key being read (copied: the head's bytes die at the next step). */
  private cur = new Uint8Array(64);
  private curLen = 0;
  /**
   * A forward scan returns a row while the write head still sits on its version (its bytes are
   * the value); the next call steps off it and skips the key's older versions. The head's
   * bytes are not read again, so an engine read between calls cannot mislead the scan.
   */
  private skipCur = false;
  /** The decoded user key of the returned row. */
  private user = new Uint8Array(64);
  /** A backward scan's newest visible short value, copied when the engine's bytes are not stable. */
  private held = new Uint8Array(256);
  private readonly tsBytes: Uint8Array;
  private done = false;
  // For `next()`: the pair object and the ranges it is cut from.
  private readonly pair: KvPair = { key: NO_BYTES, value: NO_BYTES };
  private readonly out: RangePair = newRangePair();

  constructor(
    private readonly snap: EngineSnapshot,
    range: KeyRange,
    private readonly desc: boolean,
    private readonly ctx: ReadCtx,
  ) {
    const start = range.start.length === 0 ? NO_BYTES : encodeUserKey(range.start);
    const end = range.end.length === 0 ? NO_BYTES : encodeUserKey(range.end);
    const r = { start, end };
    this.tsBytes = descTsBytes(ctx.ts);
    this.locks = ctx.isolation === "RC" ? null : new LockQueue(snap, r, desc, () => this.pinHead());
    this.writes =
      snap.iterRange !== undefined
        ? snap.iterRange("write", r, desc)
        : rangeIteratorOf(snap.iter("write", r, desc));
    this.stable = this.writes.stable;
    this.advanceWrite();
  }

  private advanceWrite(): void {
    const w = this.w;
    this.pinned = false;
    this.hasW = this.writes.nextRange(w);
    if (this.hasW && w.keyEnd - w.keyStart <= TS_LEN) {
      throw new BadFormatError("key(version)", `write CF key of ${w.keyEnd - w.keyStart} bytes`);
    }
  }

  /** Copies the head's bytes out of the engine's buffers (see `w`); a no-op when stable. */
  private pinHead(): void {
    if (this.stable || this.pinned || !this.hasW) return;
    const w = this.w;
    const kn = w.keyEnd - w.keyStart;
    const vn = w.valueEnd - w.valueStart;
    if (this.hk.length < kn) this.hk = new Uint8Array(Math.max(kn, this.hk.length * 2));
    if (this.hv.length < vn) this.hv = new Uint8Array(Math.max(vn, this.hv.length * 2));
    copyBytes(w.keyBytes, w.keyStart, kn, this.hk);
    copyBytes(w.valueBytes, w.valueStart, vn, this.hv);
    w.keyBytes = this.hk;
    w.keyStart = 0;
    w.keyEnd = kn;
    w.valueBytes = this.hv;
    w.valueStart = 0;
    w.valueEnd = vn;
    this.pinned = true;
  }

  private setCur(src: Uint8Array, start: number, len: number): void {
    if (this.cur.length < len) this.cur = new Uint8Array(Math.max(len, this.cur.length * 2));
    const cur = this.cur;
    for (let i = 0; i < len; i++) cur[i] = src[start + i]!;
    this.curLen = len;
  }

  /** True while the write head belongs to the current user key. */
  private writeOnCur(): boolean {
    if (!this.hasW) return false;
    const w = this.w;
    const n = this.curLen;
    if (w.keyEnd - w.keyStart - TS_LEN !== n) return false;
    const b = w.keyBytes;
    const s = w.keyStart;
    const cur = this.cur;
    for (let i = n - 1; i >= 0; i--) if (b[s + i] !== cur[i]) return false;
    return true;
  }

  private rawCur(): Uint8Array {
    return decodeUserKey(this.cur, this.curLen);
  }

  next(): KvPair | null {
    const o = this.out;
    if (!this.nextRange(o)) return null;
    this.pair.key = o.keyBytes.subarray(o.keyStart, o.keyEnd);
    this.pair.value = o.valueBytes.subarray(o.valueStart, o.valueEnd);
    return this.pair;
  }

  nextRange(out: RangePair): boolean {
    if (this.done) return false;
    for (;;) {
      if (this.skipCur) {
        this.skipCur = false;
        this.advanceWrite();
        while (this.writeOnCur()) this.advanceWrite();
      }
      const lk = this.locks === null ? null : this.locks.head();
      const hasW = this.hasW;
      if (!hasW && lk === null) {
        this.close();
        return false;
      }
      const w = this.w;
      // Which heads sit on the next user key (the smaller one forward, the larger backward).
      let c: number;
      if (!hasW) c = 1;
      else if (lk === null) c = -1;
      else {
        c = cmpRange(w.keyBytes, w.keyStart, w.keyEnd - TS_LEN, lk);
        if (this.desc) c = -c;
      }
      if (c <= 0) this.setCur(w.keyBytes, w.keyStart, w.keyEnd - TS_LEN - w.keyStart);
      else this.setCur(lk!, 0, lk!.length);

      if (c >= 0) {
        // A lock on this user key.
        const lock = parseLock(this.locks!.headValue());
        this.locks!.advance();
        if (lockBlocks(this.ctx, lock, () => this.rawCur())) {
          const raw = this.rawCur();
          const enc = this.cur.slice(0, this.curLen);
          while (this.writeOnCur()) this.advanceWrite();
          this.pinHead();
          const v = valueFromLock(this.snap, enc, raw, lock);
          if (v === null) continue;
          out.keyBytes = raw;
          out.keyStart = 0;
          out.keyEnd = raw.length;
          out.valueBytes = v;
          out.valueStart = 0;
          out.valueEnd = v.length;
          return true;
        }
        if (c > 0) continue;
      }
      if (!(this.desc ? this.readBackward(out) : this.readForward(out))) continue;
      if (!this.skipCur) this.pinHead();
      if (this.user.length < this.curLen)
        this.user = new Uint8Array(Math.max(this.curLen, this.user.length * 2));
      out.keyBytes = this.user;
      out.keyStart = 0;
      out.keyEnd = decodeUserKeyInto(this.cur, this.curLen, this.user);
      return true;
    }
  }

  /**
   * Versions newest first: skip those above the read ts, then the first Put/Delete decides.
   * On a Put the value is set in `out` and the head is left on that version (see `skipCur`).
   */
  private readForward(out: RangePair): boolean {
    const ts = this.tsBytes;
    const w = this.w;
    let first = true;
    // Called with the head on the current key, so the first version needs no key check.
    do {
      if (cmpSuffix(w.keyBytes, w.keyEnd, ts) < 0) {
        if (first && this.ctx.isolation === "RCCheckTS") {
          throw new WriteConflictError(
            this.ctx.ts,
            0n,
            decodeKeyTs(w.keyBytes.subarray(w.keyStart, w.keyEnd)),
            this.rawCur(),
            new Uint8Array(0),
            "RcCheckTs",
          );
        }
      } else {
        const b = w.valueBytes;
        const flag = b[w.valueStart];
        if (flag === WRITE_PUT) return this.putValue(b, w.valueStart, w.valueEnd, out);
        if (flag === WRITE_DELETE) {
          this.skipCur = true;
          return false;
        }
        if (flag !== WRITE_LOCK && flag !== WRITE_ROLLBACK) {
          throw new BadFormatError("write", `unknown write type 0x${flag?.toString(16)}`);
        }
      }
      first = false;
      this.advanceWrite();
    } while (this.writeOnCur());
    return false;
  }

  /** Versions oldest first: the last Put/Delete at or below the read ts decides. */
  private readBackward(out: RangePair): boolean {
    const ts = this.tsBytes;
    const w = this.w;
    // What the newest visible version so far says: nothing/deleted, a short value, a long value.
    let kind = 0; // 0 none, 1 short, 2 long
    let hb: Uint8Array = this.held;
    let hs = 0;
    let he = 0;
    let longStart = 0n;
    let newestAbove = false;
    let newestTs = 0n;
    do {
      if (cmpSuffix(w.keyBytes, w.keyEnd, ts) >= 0) {
        const b = w.valueBytes;
        const vs = w.valueStart;
        const ve = w.valueEnd;
        const flag = b[vs];
        if (flag === WRITE_PUT || flag === WRITE_DELETE) {
          let p = afterStartTs(b, vs, ve);
          let n = -1;
          if (p < ve && b[p] === SHORT_VALUE_PREFIX) {
            n = b[p + 1]!;
            if (p + 2 + n > ve) throw new BadFormatError("write", "truncated short value");
            p += 2;
          }
          if (flag === WRITE_DELETE || this.fenced(b, vs, ve, n < 0 ? p : p + n)) kind = 0;
          else if (n < 0) {
            kind = 2;
            longStart = parseWrite(b.subarray(vs, ve)).startTs;
          } else {
            kind = 1;
            if (this.stable) {
              hb = b;
              hs = p;
              he = p + n;
            } else {
              if (this.held.length < n) this.held = new Uint8Array(Math.max(n, 2 * this.held.length));
              copyBytes(b, p, n, this.held);
              hb = this.held;
              hs = 0;
              he = n;
            }
          }
        } else if (flag !== WRITE_LOCK && flag !== WRITE_ROLLBACK) {
          throw new BadFormatError("write", `unknown write type 0x${flag?.toString(16)}`);
        }
      } else if (this.ctx.isolation === "RCCheckTS") {
        newestAbove = true;
        newestTs = decodeKeyTs(w.keyBytes.subarray(w.keyStart, w.keyEnd));
      }
      this.advanceWrite();
    } while (this.writeOnCur());
    if (newestAbove) {
      throw new WriteConflictError(this.ctx.ts, 0n, newestTs, this.rawCur(), new Uint8Array(0), "RcCheckTs");
    }
    if (kind === 0) return false;
    if (kind === 2) {
      this.pinHead();
      const v = this.longValue(longStart);
      hb = v;
      hs = 0;
      he = v.length;
    }
    out.valueBytes = hb;
    out.valueStart = hs;
    out.valueEnd = he;
    return true;
  }

  /**
   * Whether the record in `b[start..end)`, whose fields after the short value begin at `p`, is
   * hidden by a GC fence at or below the read ts. Only records marked with an overlapped
   * rollback carry a fence, so the common record is not parsed.
   */
  private fenced(b: Uint8Array, start: number, end: number, p: number): boolean {
    if (p < end && (b[p] === OVERLAPPED_ROLLBACK || b[p] === GC_FENCE)) {
      return !gcFenceValid(parseWrite(b.subarray(start, end)), this.ctx.ts);
    }
    return false;
  }

  /**
   * The value of the head's Put record `b[start..end)` into `out`; false when a GC fence hides
   * it. A short value is left in the record (the head stays on it: `skipCur`); for a long one
   * the key's versions are passed before reading the default CF.
   */
  private putValue(b: Uint8Array, start: number, end: number, out: RangePair): boolean {
    const p = afterStartTs(b, start, end);
    if (p < end && b[p] === SHORT_VALUE_PREFIX) {
      const n = b[p + 1]!;
      if (p + 2 + n > end) throw new BadFormatError("write", "truncated short value");
      this.skipCur = true;
      if (this.fenced(b, start, end, p + 2 + n)) return false;
      out.valueBytes = b;
      out.valueStart = p + 2;
      out.valueEnd = p + 2 + n;
      return true;
    }
    const hidden = this.fenced(b, start, end, p);
    const startTs = hidden ? 0n : parseWrite(b.subarray(start, end)).startTs;
    while (this.writeOnCur()) this.advanceWrite();
    if (hidden) return false;
    this.pinHead();
    const v = this.longValue(startTs);
    out.valueBytes = v;
    out.valueStart = 0;
    out.valueEnd = v.length;
    return true;
  }

  private longValue(startTs: bigint): Uint8Array {
    const v = this.snap.get("default", appendTs(this.cur.subarray(0, this.curLen), startTs));
    if (v === null) throw new DefaultNotFoundError(this.rawCur());
    return v;
  }

  close(): void {
    if (this.done) return;
    this.done = true;
    this.writes.close();
  }
}

/**
 * Copies `src[start..start+n)` to the start of `dst`: a loop for short runs, a native copy
 * through a view past that. (Not Buffer#copy: lmdb-js's reusable buffers override `length`,
 * which misleads it.)
 */
function copyBytes(src: Uint8Array, start: number, n: number, dst: Uint8Array): void {
  if (n <= 48) {
    for (let i = 0; i < n; i++) dst[i] = src[start + i]!;
  } else {
    dst.set(src.subarray(start, start + n));
  }
}

/** memcmp of b[start..end) with all of `key`. */
function cmpRange(b: Uint8Array, start: number, end: number, key: Uint8Array): number {
  const an = end - start;
  const n = Math.min(an, key.length);
  for (let i = 0; i < n; i++) {
    const d = b[start + i]! - key[i]!;
    if (d !== 0) return d;
  }
  return an - key.length;
}

/** An {@link MvccSnapshot} over one engine snapshot at one read ts. */
export class SnapshotReader implements MvccSnapshot {
  private readonly ctx: ReadCtx;
  private released = false;
  constructor(
    private readonly snap: EngineSnapshot,
    startTs: bigint,
    opts?: ReadOptions,
  ) {
    this.ctx = readCtx(startTs, opts);
  }
  get(key: Uint8Array): Uint8Array | null {
    return pointGet(this.snap, key, this.ctx);
  }
  scan(range: KeyRange, desc: boolean): MvccScanner {
    return new Scanner(this.snap, range, desc, this.ctx);
  }
  release(): void {
    if (this.released) return;
    this.released = true;
    this.snap.release();
  }
}

export { compareBytes };
