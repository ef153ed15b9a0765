// Byte-string encodings: memcomparable groups (ascending and descending) and compact bytes
// (var-int length + raw bytes).
// Follows TiKV components/codec/src/byte.rs and TiDB pkg/util/codec/bytes.go.
//
// Memcomparable layout: the input is cut into groups of 8 bytes; every group is written in full
// (the last one padded with 0x00) and followed by a marker byte 0xff - padCount, where padCount
// (0..8) is how many pad bytes the group holds. Every group but the last has marker 0xff; the
// last has padCount >= 1 (an input of 8k bytes ends with a group of 8 pad bytes, marker 0xf7).
// The descending form is every byte of the ascending form inverted.

import type { ByteReader, ByteWriter } from "./buf.js";
import { readVarIntSafe, writeVarInt } from "./number.js";

/** Bytes of data per memcomparable group. */
export const MEMCMP_GROUP_SIZE = 8;
/** The byte that pads the last memcomparable group (before inversion for descending). */
export const MEMCMP_PAD_BYTE = 0;
/** The marker of a group with no padding (ascending form). */
const MARKER = 0xff;
const GROUP = MEMCMP_GROUP_SIZE + 1;

/** Bytes the memcomparable form of `srcLength` bytes takes: `(srcLength / 8 + 1) * 9`. */
export function comparableBytesEncodedLength(srcLength: number): number {
  return (Math.floor(srcLength / MEMCMP_GROUP_SIZE) + 1) * GROUP;
}

/** Writes `src` in memcomparable form (descending: all bytes inverted). */
export function writeComparableBytes(w: ByteWriter, src: Uint8Array, desc = false): void {
  const n = comparableBytesEncodedLength(src.length);
  w.reserve(n);
  const start = w.length;
  const full = Math.floor(src.length / MEMCMP_GROUP_SIZE) * MEMCMP_GROUP_SIZE;
  for (let i = 0; i < full; i += MEMCMP_GROUP_SIZE) {
    w.bytes(src.subarray(i, i + MEMCMP_GROUP_SIZE));
    w.u8(MARKER);
  }
  const rest = src.length - full;
  for (let i = 0; i < rest; i++) w.u8(src[full + i]);
  for (let i = rest; i < MEMCMP_GROUP_SIZE; i++) w.u8(MEMCMP_PAD_BYTE);
  w.u8(MARKER - (MEMCMP_GROUP_SIZE - rest));
  if (desc) {
    const out = w.finish();
    for (let i = start; i < start + n; i++) out[i] = ~out[i] & 0xff;
  }
}

/** The memcomparable form of `src` as a new array. */
export function encodeComparableBytes(src: Uint8Array, desc = false): Uint8Array {
  const out = new Uint8Array(comparableBytesEncodedLength(src.length));
  let o = 0;
  const full = Math.floor(src.length / MEMCMP_GROUP_SIZE) * MEMCMP_GROUP_SIZE;
  for (let i = 0; i < full; i += MEMCMP_GROUP_SIZE) {
    out.set(src.subarray(i, i + MEMCMP_GROUP_SIZE), o);
    o += MEMCMP_GROUP_SIZE;
    out[o++] = MARKER;
  }
  const rest = src.length - full;
  out.set(src.subarray(full), o);
  out[o + MEMCMP_GROUP_SIZE] = MARKER - (MEMCMP_GROUP_SIZE - rest);
  if (desc) for (let i = 0; i < out.length; i++) out[i] = ~out[i] & 0xff;
  return out;
}

/**
 * Scans the memcomparable value at `r.pos` without moving `r`: checks every marker and the pad
 * bytes of the last group, and returns the decoded length; the encoded length is left in
 * `scanEncoded`. Throws a CodecError for a value cut short, a marker that announces more than 8
 * pad bytes, or a pad byte that is not 0x00 (0xff when descending).
 */
function scan(r: ByteReader, desc: boolean): number {
  const bytes = r.bytes;
  const start = r.pos;
  const end = r.end;
  const flip = desc ? 0xff : 0;
  let p = start;
  for (;;) {
    if (end - p < GROUP) throw r.error("truncated memcomparable bytes", start);
    const marker = bytes[p + MEMCMP_GROUP_SIZE] ^ flip;
    const pad = MARKER - marker;
    if (pad === 0) {
      p += GROUP;
      continue;
    }
    if (pad > MEMCMP_GROUP_SIZE) {
      throw r.error(`bad memcomparable marker ${bytes[p + MEMCMP_GROUP_SIZE]}`, p + MEMCMP_GROUP_SIZE);
    }
    for (let i = MEMCMP_GROUP_SIZE - pad; i < MEMCMP_GROUP_SIZE; i++) {
      if ((bytes[p + i] ^ flip) !== MEMCMP_PAD_BYTE) {
        throw r.error(`bad memcomparable pad byte ${bytes[p + i]}`, p + i);
      }
    }
    p += GROUP;
    scanEncoded = p - start;
    return ((p - start) / GROUP) * MEMCMP_GROUP_SIZE - pad;
  }
}
let scanEncoded = 0;

/**
 * Length in bytes of the memcomparable value at `r.pos`, validated as {@link readComparableBytes}
 * does, without moving `r` or copying anything.
 */
export function peekComparableBytesLength(r: ByteReader, desc = false): number {
  scan(r, desc);
  return scanEncoded;
}

/** Skips one memcomparable value (validated; see {@link readComparableBytes}). */
export function skipComparableBytes(r: ByteReader, desc = false): void {
  scan(r, desc);
  r.pos += scanEncoded;
}

/**
 * Decodes one memcomparable value. The result is written into `into` when it is large enough
 * (the returned array is then a view of `into`, valid until the caller reuses it), else into a
 * new array. Throws a CodecError (format and offset from `r`) for a value cut short, a bad marker
 * or a pad byte that is not the pad value; `r` then does not move.
 */
export function readComparableBytes(r: ByteReader, desc = false, into?: Uint8Array): Uint8Array {
  const n = scan(r, desc);
  const encoded = scanEncoded;
  const out = into !== undefined && into.length >= n ? into.subarray(0, n) : new Uint8Array(n);
  const bytes = r.bytes;
  let p = r.pos;
  let o = 0;
  // Byte loops: for 8-byte groups they beat a subarray + set per group.
  while (o < n) {
    const take = Math.min(MEMCMP_GROUP_SIZE, n - o);
    if (desc) {
      for (let i = 0; i < take; i++) out[o + i] = ~bytes[p + i] & 0xff;
    } else {
      for (let i = 0; i < take; i++) out[o + i] = bytes[p + i];
    }
    o += take;
    p += GROUP;
  }
  r.pos += encoded;
  return out;
}

/** {@link readComparableBytes} of a value that must fill the rest of `r` (trailing bytes are a CodecError). */
export function decodeComparableBytes(r: ByteReader, desc = false): Uint8Array {
  const v = readComparableBytes(r, desc);
  if (r.pos !== r.end) throw r.error(`${r.end - r.pos} trailing bytes after memcomparable bytes`);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Compact bytes.

/** Writes compact bytes: the length as a var-int (zigzag), then the bytes. Not memcomparable. */
export function writeCompactBytes(w: ByteWriter, src: Uint8Array): void {
  writeVarInt(w, src.length);
  w.bytes(src);
}

/** Bytes the compact form of `srcLength` bytes takes. */
export function compactBytesEncodedLength(srcLength: number): number {
  let zig = srcLength * 2;
  let n = 1;
  while (zig >= 0x80) {
    zig = Math.floor(zig / 128);
    n++;
  }
  return n + srcLength;
}

/**
 * Reads compact bytes and returns a view (no copy) of the value inside `r.bytes`. A negative or
 * unsafe length, or fewer bytes than the length says, is a CodecError and `r` does not move.
 */
export function readCompactBytes(r: ByteReader): Uint8Array {
  const start = r.pos;
  const n = readVarIntSafe(r);
  if (n < 0 || n > r.end - r.pos) {
    r.pos = start;
    throw r.error(n < 0 ? `negative compact bytes length ${n}` : `truncated compact bytes: need ${n}`, start);
  }
  const v = r.bytes.subarray(r.pos, r.pos + n);
  r.pos += n;
  return v;
}

/** Skips one compact bytes value (validated as {@link readCompactBytes}). */
export function skipCompactBytes(r: ByteReader): void {
  readCompactBytes(r);
}
