// Binary layouts of the lock CF and write CF values, byte for byte as TiKV's
// components/txn_types/src/lock.rs (`Lock::to_bytes`/`parse`) and write.rs (`WriteRef`).

import { BadFormatError } from "./errors.js";
import type { LockInfo, LockKind } from "./types.js";

/** TiKV SHORT_VALUE_MAX_LEN: values up to this length live inline in the lock / write record. */
export const SHORT_VALUE_MAX_LEN = 255;
/** Marker of an inline short value ('v'). */
export const SHORT_VALUE_PREFIX = 0x76;

// Lock flags and field prefixes (lock.rs).
const LOCK_FLAG: Record<LockKind, number> = { Put: 0x50, Delete: 0x44, Lock: 0x4c, Pessimistic: 0x53 };
const FOR_UPDATE_TS_PREFIX = 0x66; // 'f'
const TXN_SIZE_PREFIX = 0x74; // 't'
const MIN_COMMIT_TS_PREFIX = 0x63; // 'c'
const ASYNC_COMMIT_PREFIX = 0x61; // 'a'
const ROLLBACK_TS_PREFIX = 0x72; // 'r'
const LAST_CHANGE_PREFIX = 0x6c; // 'l'
const LOCK_TXN_SOURCE_PREFIX = 0x73; // 's'
const LOCKED_WITH_CONFLICT_PREFIX = 0x46; // 'F'
const GENERATION_PREFIX = 0x67; // 'g'

/** Write record kinds (write.rs WriteType). */
export type WriteType = "Put" | "Delete" | "Lock" | "Rollback";
/** Flag bytes of write records: 'P', 'D', 'L', 'R'. */
export const WRITE_PUT = 0x50;
export const WRITE_DELETE = 0x44;
export const WRITE_LOCK = 0x4c;
export const WRITE_ROLLBACK = 0x52;
const WRITE_FLAG: Record<WriteType, number> = {
  Put: WRITE_PUT,
  Delete: WRITE_DELETE,
  Lock: WRITE_LOCK,
  Rollback: WRITE_ROLLBACK,
};
const OVERLAPPED_ROLLBACK_FLAG = 0x52; // 'R'
const GC_FENCE_PREFIX = 0x46; // 'F'
const WRITE_TXN_SOURCE_PREFIX = 0x53; // 'S'
/** The short value that marks a protected rollback record ("p"). */
export const PROTECTED_ROLLBACK_SHORT_VALUE = new Uint8Array([0x70]);

/** A lock CF value (txn_types `Lock`). */
export interface Lock {
  type: LockKind;
  primary: Uint8Array;
  ts: bigint;
  ttl: bigint;
  shortValue: Uint8Array | null;
  forUpdateTs: bigint;
  txnSize: bigint;
  minCommitTs: bigint;
  useAsyncCommit: boolean;
  secondaries: Uint8Array[];
  rollbackTs: bigint[];
  /** `LastChange` parts: (0, 0) unknown, (0, n>0) not exist, (ts, n) exist. */
  lastChangeTs: bigint;
  versionsToLastChange: bigint;
  txnSource: bigint;
  isLockedWithConflict: boolean;
  generation: bigint;
}

/** A write CF value (txn_types `Write`). */
export interface Write {
  type: WriteType;
  startTs: bigint;
  shortValue: Uint8Array | null;
  hasOverlappedRollback: boolean;
  gcFence: bigint | null;
  lastChangeTs: bigint;
  versionsToLastChange: bigint;
  txnSource: bigint;
}

/** A lock with TiKV's defaults for every optional field. */
export function newLock(type: LockKind, primary: Uint8Array, ts: bigint, ttl: bigint): Lock {
  return {
    type,
    primary,
    ts,
    ttl,
    shortValue: null,
    forUpdateTs: 0n,
    txnSize: 0n,
    minCommitTs: 0n,
    useAsyncCommit: false,
    secondaries: [],
    rollbackTs: [],
    lastChangeTs: 0n,
    versionsToLastChange: 0n,
    txnSource: 0n,
    isLockedWithConflict: false,
    generation: 0n,
  };
}

/** A write record with TiKV's defaults. */
export function newWrite(type: WriteType, startTs: bigint, shortValue: Uint8Array | null): Write {
  return {
    type,
    startTs,
    shortValue,
    hasOverlappedRollback: false,
    gcFence: null,
    lastChangeTs: 0n,
    versionsToLastChange: 0n,
    txnSource: 0n,
  };
}

/** TiKV `Write::new_rollback`: protected rollbacks carry the short value "p". */
export function newRollback(startTs: bigint, isProtected: boolean): Write {
  return newWrite("Rollback", startTs, isProtected ? PROTECTED_ROLLBACK_SHORT_VALUE : null);
}

/** TiKV `WriteRef::is_protected`. */
export function isProtectedRollback(w: Write): boolean {
  return (
    w.type === "Rollback" && w.shortValue !== null && w.shortValue.length === 1 && w.shortValue[0] === 0x70
  );
}

// ---------------------------------------------------------------------------------------------
// Encoding helpers (var-u64, zig-zag compact bytes, big-endian u64).

class Out {
  buf: number[] = [];
  u8(b: number): void {
    this.buf.push(b);
  }
  varU64(v: bigint): void {
    let x = v;
    while (x >= 0x80n) {
      this.buf.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.buf.push(Number(x));
  }
  u64(v: bigint): void {
    for (let s = 56n; s >= 0n; s -= 8n) this.buf.push(Number((v >> s) & 0xffn));
  }
  bytes(b: Uint8Array): void {
    for (let i = 0; i < b.length; i++) this.buf.push(b[i]!);
  }
  /** TiKV `encode_compact_bytes`: zig-zag var-i64 length, then the bytes. */
  compact(b: Uint8Array): void {
    this.varU64(BigInt(b.length) * 2n);
    this.bytes(b);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.buf);
  }
}

class In {
  pos = 0;
  constructor(
    readonly b: Uint8Array,
    readonly what: string,
  ) {}
  get empty(): boolean {
    return this.pos >= this.b.length;
  }
  fail(detail: string): never {
    throw new BadFormatError(this.what, `${detail} at byte ${this.pos} of ${this.b.length}`);
  }
  u8(): number {
    if (this.pos >= this.b.length) this.fail("truncated");
    return this.b[this.pos++]!;
  }
  varU64(): bigint {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.u8();
      v |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7n;
      if (shift > 63n) this.fail("var-u64 overflow");
    }
    return v & 0xffff_ffff_ffff_ffffn;
  }
  u64(): bigint {
    if (this.pos + 8 > this.b.length) this.fail("truncated u64");
    let v = 0n;
    for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(this.b[this.pos++]!);
    return v;
  }
  take(n: number): Uint8Array {
    if (this.pos + n > this.b.length) this.fail(`need ${n} bytes`);
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  compact(): Uint8Array {
    const z = this.varU64();
    // zig-zag decode; a negative length is corrupt.
    if ((z & 1n) === 1n) this.fail("negative compact bytes length");
    return new Uint8Array(this.take(Number(z >> 1n)));
  }
}

// ---------------------------------------------------------------------------------------------
// Lock.

/** `Lock::to_bytes`. */
export function encodeLock(l: Lock): Uint8Array {
  const o = new Out();
  o.u8(LOCK_FLAG[l.type]);
  o.compact(l.primary);
  o.varU64(l.ts);
  o.varU64(l.ttl);
  if (l.shortValue !== null) {
    o.u8(SHORT_VALUE_PREFIX);
    o.u8(l.shortValue.length);
    o.bytes(l.shortValue);
  }
  if (l.forUpdateTs !== 0n) {
    o.u8(FOR_UPDATE_TS_PREFIX);
    o.u64(l.forUpdateTs);
  }
  if (l.txnSize > 0n) {
    o.u8(TXN_SIZE_PREFIX);
    o.u64(l.txnSize);
  }
  if (l.minCommitTs !== 0n) {
    o.u8(MIN_COMMIT_TS_PREFIX);
    o.u64(l.minCommitTs);
  }
  if (l.useAsyncCommit) {
    o.u8(ASYNC_COMMIT_PREFIX);
    o.varU64(BigInt(l.secondaries.length));
    for (const k of l.secondaries) o.compact(k);
  }
  if (l.rollbackTs.length > 0) {
    o.u8(ROLLBACK_TS_PREFIX);
    o.varU64(BigInt(l.rollbackTs.length));
    for (const ts of l.rollbackTs) o.u64(ts);
  }
  if (l.lastChangeTs !== 0n || l.versionsToLastChange !== 0n) {
    o.u8(LAST_CHANGE_PREFIX);
    o.u64(l.lastChangeTs);
    o.varU64(l.versionsToLastChange);
  }
  if (l.txnSource !== 0n) {
    o.u8(LOCK_TXN_SOURCE_PREFIX);
    o.varU64(l.txnSource);
  }
  if (l.isLockedWithConflict) o.u8(LOCKED_WITH_CONFLICT_PREFIX);
  if (l.generation > 0n) {
    o.u8(GENERATION_PREFIX);
    o.u64(l.generation);
  }
  return o.done();
}

function lockKindOf(flag: number): LockKind | null {
  switch (flag) {
    case 0x50:
      return "Put";
    case 0x44:
      return "Delete";
    case 0x4c:
      return "Lock";
    case 0x53:
      return "Pessimistic";
    default:
      return null;
  }
}

/** `Lock::parse`; unknown trailing fields are ignored as TiKV does (forward compatibility). */
export function parseLock(b: Uint8Array): Lock {
  const r = new In(b, "lock");
  if (r.empty) r.fail("empty lock");
  const flag = r.u8();
  const type = lockKindOf(flag);
  if (type === null) {
    r.pos--;
    return r.fail(
      `unknown lock type 0x${flag.toString(16)}${flag === 0x48 ? " (shared locks are not supported)" : ""}`,
    );
  }
  const primary = r.compact();
  const ts = r.varU64();
  const l = newLock(type, primary, ts, r.empty ? 0n : r.varU64());
  while (!r.empty) {
    const prefix = r.u8();
    if (prefix === SHORT_VALUE_PREFIX) {
      const n = r.u8();
      l.shortValue = new Uint8Array(r.take(n));
    } else if (prefix === FOR_UPDATE_TS_PREFIX) l.forUpdateTs = r.u64();
    else if (prefix === TXN_SIZE_PREFIX) l.txnSize = r.u64();
    else if (prefix === MIN_COMMIT_TS_PREFIX) l.minCommitTs = r.u64();
    else if (prefix === ASYNC_COMMIT_PREFIX) {
      l.useAsyncCommit = true;
      const n = Number(r.varU64());
      for (let i = 0; i < n; i++) l.secondaries.push(r.compact());
    } else if (prefix === ROLLBACK_TS_PREFIX) {
      const n = Number(r.varU64());
      for (let i = 0; i < n; i++) l.rollbackTs.push(r.u64());
    } else if (prefix === LAST_CHANGE_PREFIX) {
      l.lastChangeTs = r.u64();
      l.versionsToLastChange = r.varU64();
    } else if (prefix === LOCK_TXN_SOURCE_PREFIX) l.txnSource = r.varU64();
    else if (prefix === LOCKED_WITH_CONFLICT_PREFIX) l.isLockedWithConflict = true;
    else if (prefix === GENERATION_PREFIX) l.generation = r.u64();
    else break;
  }
  return l;
}

/** `Lock::into_lock_info` for `rawKey`. */
export function lockInfoOf(l: Lock, rawKey: Uint8Array): LockInfo {
  return {
    primaryLock: l.primary,
    lockVersion: l.ts,
    key: rawKey,
    lockTtl: l.ttl,
    txnSize: l.txnSize,
    lockType: l.type,
    minCommitTs: l.minCommitTs,
    useAsyncCommit: l.useAsyncCommit,
    secondaries: l.secondaries,
  };
}

// ---------------------------------------------------------------------------------------------
// Write.

/** `WriteRef::to_bytes`. */
export function encodeWrite(w: Write): Uint8Array {
  const o = new Out();
  o.u8(WRITE_FLAG[w.type]);
  o.varU64(w.startTs);
  if (w.shortValue !== null) {
    o.u8(SHORT_VALUE_PREFIX);
    o.u8(w.shortValue.length);
    o.bytes(w.shortValue);
  }
  if (w.hasOverlappedRollback) o.u8(OVERLAPPED_ROLLBACK_FLAG);
  if (w.gcFence !== null) {
    o.u8(GC_FENCE_PREFIX);
    o.u64(w.gcFence);
  }
  if (w.lastChangeTs !== 0n || w.versionsToLastChange !== 0n) {
    o.u8(LAST_CHANGE_PREFIX);
    o.u64(w.lastChangeTs);
    o.varU64(w.versionsToLastChange);
  }
  if (w.txnSource !== 0n) {
    o.u8(WRITE_TXN_SOURCE_PREFIX);
    o.varU64(w.txnSource);
  }
  return o.done();
}

function writeTypeOf(flag: number): WriteType | null {
  switch (flag) {
    case WRITE_PUT:
      return "Put";
    case WRITE_DELETE:
      return "Delete";
    case WRITE_LOCK:
      return "Lock";
    case WRITE_ROLLBACK:
      return "Rollback";
    default:
      return null;
  }
}

/** `WriteRef::parse` (the short value is copied out into a plain Uint8Array). */
export function parseWrite(b: Uint8Array): Write {
  const r = new In(b, "write");
  const flag = r.u8();
  const type = writeTypeOf(flag);
  if (type === null) {
    r.pos--;
    return r.fail(`unknown write type 0x${flag.toString(16)}`);
  }
  const w = newWrite(type, r.varU64(), null);
  while (!r.empty) {
    const prefix = r.u8();
    if (prefix === SHORT_VALUE_PREFIX) {
      const n = r.u8();
      w.shortValue = new Uint8Array(r.take(n));
    } else if (prefix === OVERLAPPED_ROLLBACK_FLAG) w.hasOverlappedRollback = true;
    else if (prefix === GC_FENCE_PREFIX) w.gcFence = r.u64();
    else if (prefix === LAST_CHANGE_PREFIX) {
      w.lastChangeTs = r.u64();
      w.versionsToLastChange = r.varU64();
    } else if (prefix === WRITE_TXN_SOURCE_PREFIX) w.txnSource = r.varU64();
    else break;
  }
  return w;
}

/** TiKV `check_gc_fence_as_latest_version`: false when the version was fenced off at or before `readTs`. */
export function gcFenceValid(w: Write, readTs: bigint): boolean {
  return w.gcFence === null || w.gcFence === 0n || w.gcFence > readTs;
}
