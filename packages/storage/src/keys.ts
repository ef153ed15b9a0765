// Key layout of TiKV's MVCC column families (components/txn_types/src/types.rs `Key`): the user
// key in memcomparable bytes form, then for the default and write CFs 8 big-endian bytes of !ts.

import { encodeComparableBytes } from "@copr/codec";
import { BadFormatError, InvalidArgumentError } from "./errors.js";

/** The largest u64 timestamp (TiKV `TimeStamp::max()`). */
export const MAX_TS = 0xffff_ffff_ffff_ffffn;
/** Bytes of the timestamp suffix of a versioned key. */
export const TS_LEN = 8;

/** Byte-wise comparison (memcmp; a prefix sorts first). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** True when `a` and `b` hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A user key as TiKV stores it (`Key::from_raw`): memcomparable bytes. */
export function encodeUserKey(raw: Uint8Array): Uint8Array {
  return encodeComparableBytes(raw);
}

/** Writes the 8 bytes of `!ts` big-endian at `out[pos..pos+8]`. */
export function putDescTs(out: Uint8Array, pos: number, ts: bigint): void {
  const inv = ~ts & MAX_TS;
  const hi = Number(inv >> 32n);
  const lo = Number(inv & 0xffff_ffffn);
  out[pos] = hi >>> 24;
  out[pos + 1] = (hi >>> 16) & 0xff;
  out[pos + 2] = (hi >>> 8) & 0xff;
  out[pos + 3] = hi & 0xff;
  out[pos + 4] = lo >>> 24;
  out[pos + 5] = (lo >>> 16) & 0xff;
  out[pos + 6] = (lo >>> 8) & 0xff;
  out[pos + 7] = lo & 0xff;
}

/** The 8-byte suffix that versioned keys carry for `ts`. */
export function descTsBytes(ts: bigint): Uint8Array {
  const out = new Uint8Array(TS_LEN);
  putDescTs(out, 0, ts);
  return out;
}

/** `encoded ++ !ts` (TiKV `Key::append_ts`). */
export function appendTs(encoded: Uint8Array, ts: bigint): Uint8Array {
  const out = new Uint8Array(encoded.length + TS_LEN);
  out.set(encoded, 0);
  putDescTs(out, encoded.length, ts);
  return out;
}

/** The timestamp in the last 8 bytes of a versioned key. */
export function decodeKeyTs(key: Uint8Array): bigint {
  if (key.length < TS_LEN)
    throw new BadFormatError("key(version)", `key of ${key.length} bytes has no timestamp`);
  const p = key.length - TS_LEN;
  const hi = ((key[p]! << 24) | (key[p + 1]! << 16) | (key[p + 2]! << 8) | key[p + 3]!) >>> 0;
  const lo = ((key[p + 4]! << 24) | (key[p + 5]! << 16) | (key[p + 6]! << 8) | key[p + 7]!) >>> 0;
  return ~((BigInt(hi) << 32n) | BigInt(lo)) & MAX_TS;
}

/**
 * The smallest key greater than every key starting with `encoded` (an encoded user key ends in
 * a marker byte below 0xff, so bumping it is enough).
 */
export function versionsEnd(encoded: Uint8Array): Uint8Array {
  const out = encoded.slice();
  out[out.length - 1]! += 1;
  return out;
}

/** Checks a timestamp argument is a u64. */
export function checkTs(name: string, ts: bigint): void {
  if (typeof ts !== "bigint" || ts < 0n || ts > MAX_TS) {
    throw new InvalidArgumentError(`${name} must be a u64 bigint, got ${String(ts)}`);
  }
}

/** TSO physical part in ms (TiKV `TimeStamp::physical`: ts >> 18). */
export function physical(ts: bigint): bigint {
  return ts >> 18n;
}
