// Fixed-width and variable-length number encodings: memcomparable (big-endian, sign-adjusted)
// i64/u64/f64, var-int/var-uint, and plain little/big-endian helpers.
// Follows TiKV components/codec/src/{number.rs,convert.rs} and TiDB pkg/util/codec/number.go.
//
// 64-bit values travel as two unsigned 32-bit halves (`lo`, `hi`) on the fast paths, so nothing
// here needs a bigint unless the caller asks for one. Readers that return a 64-bit value as
// words return `lo` and leave `hi` in `reader.hi`, the convention of ByteReader.u64beWords.

import { assert } from "@copr/datatype";
import type { ByteReader, ByteWriter } from "./buf.js";

/** The most bytes a var-int or var-uint takes (TiKV `MAX_VARINT64_LENGTH`, Go `MaxVarintLen64`). */
export const MAX_VARINT64_LENGTH = 10;

const TWO_32 = 4_294_967_296;
const SIGN_BIT = 0x8000_0000;
const MAX_SAFE_HI = 0x20_0000; // 2^53 / 2^32
const U64_MASK = (1n << 64n) - 1n;

// Scratch for float <-> bits conversions; never escapes a call.
const f64Scratch = new Float64Array(1);
const f64Words = new Uint32Array(f64Scratch.buffer);
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN_HOST ? 0 : 1;
const HI = 1 - LO;

// ---------------------------------------------------------------------------------------------
// Words <-> values.

/**
 * The signed value of 64-bit two's-complement words as an exact JS number, or `null` when it is
 * outside ±(2^53 - 1). Never allocates.
 */
export function i64WordsToNumber(lo: number, hi: number): number | null {
  const h = hi | 0;
  if (h >= -MAX_SAFE_HI && h < MAX_SAFE_HI) {
    const v = h * TWO_32 + (lo >>> 0);
    if (v >= -Number.MAX_SAFE_INTEGER) return v;
  }
  return null;
}

/** The unsigned value of 64-bit words as an exact JS number, or `null` above 2^53 - 1. */
export function u64WordsToNumber(lo: number, hi: number): number | null {
  const h = hi >>> 0;
  return h < MAX_SAFE_HI ? h * TWO_32 + (lo >>> 0) : null;
}

/** The signed value (i64) of 64-bit words as a bigint. */
export function i64WordsToBigInt(lo: number, hi: number): bigint {
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
}

/** The unsigned value (u64) of 64-bit words as a bigint. */
export function u64WordsToBigInt(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

// The words of the last value split (an object, not module-level `let`s: cheaper to read).
const SPLIT = {
  splitLo: 0,
  splitHi: 0,
};

/**
 * Splits a 64-bit integer into words, calling `out(lo, hi)` so no tuple is allocated. A number
 * must be a safe integer; a bigint must lie in [-2^63, 2^64 - 1] (taken as its 64-bit pattern,
 * so -1 and 2^64 - 1 give the same words). Anything else is a caller bug (assertion).
 */
function splitWords(v: number | bigint): void {
  if (typeof v === "number") {
    assert(Number.isSafeInteger(v), `64-bit integer expected, got ${v}`);
    const hi = Math.floor(v / TWO_32);
    SPLIT.splitLo = v - hi * TWO_32;
    SPLIT.splitHi = hi >>> 0;
    return;
  }
  assert(v >= -(1n << 63n) && v <= U64_MASK, `64-bit integer expected, got ${v}`);
  const u = BigInt.asUintN(64, v);
  SPLIT.splitLo = Number(u & 0xffff_ffffn);
  SPLIT.splitHi = Number(u >> 32n);
}

// ---------------------------------------------------------------------------------------------
// Memcomparable fixed-width numbers (big-endian).

/** Writes a u64 big-endian (memcomparable ascending). */
export function writeU64(w: ByteWriter, v: number | bigint): void {
  splitWords(v);
  w.u64beWords(SPLIT.splitLo, SPLIT.splitHi);
}

/** Writes a u64 big-endian, bitwise inverted (memcomparable descending). */
export function writeU64Desc(w: ByteWriter, v: number | bigint): void {
  splitWords(v);
  w.u64beWords(~SPLIT.splitLo, ~SPLIT.splitHi);
}

/** Reads a big-endian u64 as a bigint. */
export function readU64(r: ByteReader): bigint {
  const lo = r.u64beWords("u64");
  return u64WordsToBigInt(lo, r.hi);
}

/** Reads a descending (inverted) big-endian u64 as a bigint. */
export function readU64Desc(r: ByteReader): bigint {
  const lo = r.u64beWords("u64");
  return u64WordsToBigInt(~lo, ~r.hi);
}

/**
 * Writes an i64 in memcomparable ascending form: the sign bit flipped, then big-endian, so the
 * bytes of -2^63 are all zero and those of 2^63 - 1 all 0xff.
 */
export function writeI64(w: ByteWriter, v: number | bigint): void {
  splitWords(v);
  w.u64beWords(SPLIT.splitLo, SPLIT.splitHi ^ SIGN_BIT);
}

/** {@link writeI64} from two's-complement words (no bigint). */
export function writeI64Words(w: ByteWriter, lo: number, hi: number): void {
  w.u64beWords(lo, (hi ^ SIGN_BIT) >>> 0);
}

/** Writes an i64 in memcomparable descending form (the ascending bytes inverted). */
export function writeI64Desc(w: ByteWriter, v: number | bigint): void {
  splitWords(v);
  w.u64beWords(~SPLIT.splitLo, ~(SPLIT.splitHi ^ SIGN_BIT));
}

/** Reads a memcomparable ascending i64 as a bigint. */
export function readI64(r: ByteReader): bigint {
  const lo = readI64Words(r);
  return i64WordsToBigInt(lo, r.hi);
}

/**
 * Reads a memcomparable ascending i64 as two's-complement words: returns `lo` and leaves `hi`
 * (unsigned 32-bit) in `r.hi`. No allocation.
 */
export function readI64Words(r: ByteReader): number {
  const lo = r.u64beWords("i64");
  r.hi = (r.hi ^ SIGN_BIT) >>> 0;
  return lo;
}

/** Reads a memcomparable descending i64 as a bigint. */
export function readI64Desc(r: ByteReader): bigint {
  const lo = r.u64beWords("i64");
  return i64WordsToBigInt(~lo, ~r.hi ^ SIGN_BIT);
}

/**
 * Reads a memcomparable ascending i64 that must be a safe integer (table ids, handles, lengths);
 * a value outside ±(2^53 - 1) is a CodecError rather than a rounded number.
 */
export function readI64Safe(r: ByteReader): number {
  const at = r.pos;
  const lo = readI64Words(r);
  const v = i64WordsToNumber(lo, r.hi);
  if (v === null) {
    r.pos = at;
    throw r.error(`i64 ${i64WordsToBigInt(lo, r.hi)} is not a safe integer`, at);
  }
  return v;
}

/** The bits of `v` as words in `f64Words` (after TiKV `encode_f64_to_comparable_u64`). */
function comparableF64(v: number): void {
  f64Scratch[0] = v;
  const hi = f64Words[HI];
  if ((hi & SIGN_BIT) === 0) {
    // Positive sign (including +0 and the canonical NaN): set the sign bit.
    SPLIT.splitLo = f64Words[LO];
    SPLIT.splitHi = (hi | SIGN_BIT) >>> 0;
  } else {
    // Negative sign (including -0): invert every bit.
    SPLIT.splitLo = ~f64Words[LO] >>> 0;
    SPLIT.splitHi = ~hi >>> 0;
  }
}

function f64FromComparable(lo: number, hi: number): number {
  if ((hi & SIGN_BIT) !== 0) {
    f64Words[LO] = lo;
    f64Words[HI] = hi & 0x7fff_ffff;
  } else {
    f64Words[LO] = ~lo;
    f64Words[HI] = ~hi;
  }
  return f64Scratch[0];
}

/**
 * Writes an f64 in memcomparable ascending form: a value with the sign bit clear gets it set, one
 * with the sign bit set is inverted; then big-endian. As in TiKV, -0 and +0 differ (-0 sorts just
 * below +0) and NaN (as JS writes it, sign clear) sorts above +Infinity.
 */
export function writeF64(w: ByteWriter, v: number): void {
  comparableF64(v);
  w.u64beWords(SPLIT.splitLo, SPLIT.splitHi);
}

/** Writes an f64 in memcomparable descending form. */
export function writeF64Desc(w: ByteWriter, v: number): void {
  comparableF64(v);
  w.u64beWords(~SPLIT.splitLo, ~SPLIT.splitHi);
}

/** Reads a memcomparable ascending f64. */
export function readF64(r: ByteReader): number {
  const lo = r.u64beWords("f64");
  return f64FromComparable(lo, r.hi);
}

/** Reads a memcomparable descending f64. */
export function readF64Desc(r: ByteReader): number {
  const lo = r.u64beWords("f64");
  return f64FromComparable(~lo >>> 0, ~r.hi >>> 0);
}

// ---------------------------------------------------------------------------------------------
// Var-uint / var-int (protobuf base-128; var-int is zigzag, as Go binary.PutVarint).

/** Writes a var-uint from unsigned words: 7 bits per byte, low group first, high bit = more. */
export function writeVarUintWords(w: ByteWriter, lo: number, hi: number): void {
  lo >>>= 0;
  hi >>>= 0;
  w.reserve(MAX_VARINT64_LENGTH);
  while (hi !== 0 || lo >= 0x80) {
    w.u8((lo & 0x7f) | 0x80);
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  w.u8(lo);
}

/** Writes a var-uint (a number must be a non-negative safe integer; a bigint any u64 pattern). */
export function writeVarUint(w: ByteWriter, v: number | bigint): void {
  if (typeof v === "number" && v >= 0 && v < 0x80) {
    w.u8(v);
    return;
  }
  splitWords(v);
  writeVarUintWords(w, SPLIT.splitLo, SPLIT.splitHi);
}

/** Writes a var-int (zigzag: 0, -1, 1, -2 … become 0, 1, 2, 3 …) from two's-complement words. */
export function writeVarIntWords(w: ByteWriter, lo: number, hi: number): void {
  let zlo = (lo << 1) >>> 0;
  let zhi = ((hi << 1) | (lo >>> 31)) >>> 0;
  if ((hi & SIGN_BIT) !== 0) {
    zlo = ~zlo >>> 0;
    zhi = ~zhi >>> 0;
  }
  writeVarUintWords(w, zlo, zhi);
}

/** Writes a var-int (a number must be a safe integer; a bigint is taken as its i64 pattern). */
export function writeVarInt(w: ByteWriter, v: number | bigint): void {
  if (typeof v === "number" && v >= -64 && v < 64 && Number.isInteger(v)) {
    w.u8(v >= 0 ? v * 2 : -2 * v - 1);
    return;
  }
  splitWords(v);
  writeVarIntWords(w, SPLIT.splitLo, SPLIT.splitHi);
}

/** Bytes a var-uint of unsigned words takes (1..10). */
export function varUintWordsLength(lo: number, hi: number): number {
  lo >>>= 0;
  hi >>>= 0;
  let n = 1;
  while (hi !== 0 || lo >= 0x80) {
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
    n++;
  }
  return n;
}

/**
 * Reads a var-uint as words: returns `lo`, leaves `hi` in `r.hi`. Rejects, with a CodecError, a
 * value cut short, one longer than 10 bytes, and a 10th byte above 1 (more than 64 bits), as Go
 * `binary.Uvarint` does (TiKV silently drops those bits). Non-minimal encodings (e.g. `80 00`
 * for 0) are accepted, as both do.
 */
export function readVarUintWords(r: ByteReader): number {
  const bytes = r.bytes;
  const start = r.pos;
  const end = r.end;
  let lo = 0;
  let hi = 0;
  let p = start;
  for (let i = 0; ; i++) {
    if (p >= end) throw r.error("truncated var-int", start);
    const b = bytes[p++];
    const g = b & 0x7f;
    if (i < 4) {
      lo |= g << (7 * i);
    } else if (i === 4) {
      lo |= g << 28;
      hi = g >>> 4;
    } else if (i < 9) {
      hi |= g << (7 * i - 32);
    } else {
      // The 10th byte holds bit 63 only.
      if (b > 1) throw r.error("var-int overflows 64 bits", start);
      hi |= b << 31;
    }
    if (b < 0x80) break;
  }
  r.pos = p;
  r.hi = hi >>> 0;
  return lo >>> 0;
}

/** Reads a var-int (zigzag) as two's-complement words: returns `lo`, leaves `hi` in `r.hi`. */
export function readVarIntWords(r: ByteReader): number {
  const zlo = readVarUintWords(r);
  const zhi = r.hi;
  let lo = ((zlo >>> 1) | (zhi << 31)) >>> 0;
  let hi = zhi >>> 1;
  if ((zlo & 1) !== 0) {
    lo = ~lo >>> 0;
    hi = ~hi >>> 0;
  }
  r.hi = hi;
  return lo;
}

/** Reads a var-uint as a bigint (see {@link readVarUintWords} for what is rejected). */
export function readVarUint(r: ByteReader): bigint {
  const lo = readVarUintWords(r);
  return u64WordsToBigInt(lo, r.hi);
}

/** Reads a var-int as a bigint. */
export function readVarInt(r: ByteReader): bigint {
  const lo = readVarIntWords(r);
  return i64WordsToBigInt(lo, r.hi);
}

/** Reads a var-uint that must be at most 2^53 - 1 (a length, an id); larger is a CodecError. */
export function readVarUintSafe(r: ByteReader): number {
  const at = r.pos;
  const first = at < r.end ? r.bytes[at] : 0x80;
  if (first < 0x80) {
    r.pos = at + 1;
    return first;
  }
  const lo = readVarUintWords(r);
  const v = u64WordsToNumber(lo, r.hi);
  if (v === null) {
    r.pos = at;
    throw r.error(`var-uint ${u64WordsToBigInt(lo, r.hi)} is not a safe integer`, at);
  }
  return v;
}

/** Reads a var-int that must be within ±(2^53 - 1); outside is a CodecError. */
export function readVarIntSafe(r: ByteReader): number {
  const at = r.pos;
  const lo = readVarIntWords(r);
  const v = i64WordsToNumber(lo, r.hi);
  if (v === null) {
    r.pos = at;
    throw r.error(`var-int ${i64WordsToBigInt(lo, r.hi)} is not a safe integer`, at);
  }
  return v;
}

/** Skips one var-int or var-uint (validated like {@link readVarUintWords}); returns its length. */
export function skipVarInt(r: ByteReader): number {
  const start = r.pos;
  readVarUintWords(r);
  return r.pos - start;
}

// ---------------------------------------------------------------------------------------------
// Plain fixed-width helpers that ByteReader/ByteWriter do not have.

/** Reads a big-endian u16. */
export function readU16Be(r: ByteReader): number {
  r.need(2, "u16");
  const v = (r.bytes[r.pos] << 8) | r.bytes[r.pos + 1];
  r.pos += 2;
  return v;
}

/** Writes a big-endian u16 (`v` in 0..65535). */
export function writeU16Be(w: ByteWriter, v: number): void {
  w.u8((v >>> 8) & 0xff);
  w.u8(v & 0xff);
}

/** Reads a little-endian i16. */
export function readI16Le(r: ByteReader): number {
  return (r.u16le("i16") << 16) >> 16;
}

/** Writes a little-endian i16 (`v` in -32768..32767). */
export function writeI16Le(w: ByteWriter, v: number): void {
  w.u16le(v & 0xffff);
}

/** Reads a little-endian i32. */
export function readI32Le(r: ByteReader): number {
  return r.u32le("i32") | 0;
}

/** Writes a little-endian i32. */
export function writeI32Le(w: ByteWriter, v: number): void {
  w.u32le(v >>> 0);
}

/** Reads a little-endian u64 as a bigint. */
export function readU64Le(r: ByteReader): bigint {
  const lo = r.u64leWords("u64");
  return u64WordsToBigInt(lo, r.hi);
}

/** Reads a little-endian i64 as a bigint. */
export function readI64Le(r: ByteReader): bigint {
  const lo = r.u64leWords("i64");
  return i64WordsToBigInt(lo, r.hi);
}

/** Writes a 64-bit integer little-endian (number: safe integer; bigint: any i64/u64 pattern). */
export function writeU64Le(w: ByteWriter, v: number | bigint): void {
  splitWords(v);
  w.u64leWords(SPLIT.splitLo, SPLIT.splitHi);
}

/** Same bytes as {@link writeU64Le}; named for signed values. */
export const writeI64Le = writeU64Le;

/** Reads a plain (not memcomparable) big-endian u64 as a bigint; same bytes as {@link readU64}. */
export const readU64Be = readU64;

/** Writes a plain big-endian u64; same bytes as {@link writeU64}. */
export const writeU64Be = writeU64;

/** Reads a big-endian f32. */
export function readF32Be(r: ByteReader): number {
  const bits = r.u32be("f32");
  f32BitsScratch[0] = bits;
  return f32Scratch[0];
}

/** Reads a big-endian f64 (plain IEEE bits, not memcomparable). */
export function readF64Be(r: ByteReader): number {
  const lo = r.u64beWords("f64");
  f64Words[LO] = lo;
  f64Words[HI] = r.hi;
  return f64Scratch[0];
}

/** Writes a big-endian f64 (plain IEEE bits). */
export function writeF64Be(w: ByteWriter, v: number): void {
  f64Scratch[0] = v;
  w.u64beWords(f64Words[LO], f64Words[HI]);
}

const f32Scratch = new Float32Array(1);
const f32BitsScratch = new Uint32Array(f32Scratch.buffer);
