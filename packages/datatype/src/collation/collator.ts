// The Collator contract, after TiKV codec/collation/mod.rs (`Collator`, `Charset`, `LikePatternMode`)
// and the helpers of codec/collation/collator/mod.rs.

import type { Collation } from "../field-type.js";

/**
 * How LIKE matches a literal (non-wildcard) pattern character against a target character
 * (TiKV `LikePatternMode`):
 * - `"bytes"`: decode and compare byte by byte (binary, gb18030_bin);
 * - `"binaryRunes"`: decode UTF-8 runes and compare code points (the `_bin` collations);
 * - `"collatorDefined"`: decode with {@link Collator.decodeChar} and compare with
 *   {@link Collator.charsEqual} (case/accent-insensitive collations).
 */
export type LikePatternMode = "bytes" | "binaryRunes" | "collatorDefined";

/**
 * How a collator's strings are stored and decoded (TiKV `Collator::Charset`): `"binary"` is one
 * character per byte (binary, latin1_bin); `"utf8mb4"` is UTF-8 (every other collation: gbk and
 * gb18030 data are stored as UTF-8 too).
 */
export type CollatorCharset = "binary" | "utf8mb4";

/**
 * A collation's comparison rules over raw string bytes (TiKV `Collator`). All methods are
 * allocation-free except {@link sortKey}. Like TiKV, `compare`, `sortKey` and `hash` never
 * throw on malformed input: each collator truncates or substitutes exactly as TiKV does (see
 * the collator's docs); callers that must reject malformed strings (TiKV's `SortKey::new`)
 * call {@link validate} first.
 */
export interface Collator {
  /** The collation these rules implement. */
  readonly collation: Collation;
  /** Its MySQL name (`"utf8mb4_general_ci"`). */
  readonly name: string;
  /** How strings are decoded into characters by {@link decodeChar}. */
  readonly charset: CollatorCharset;
  /** True for PAD SPACE collations: trailing U+0020 spaces are ignored by compare, sortKey and hash. */
  readonly padding: boolean;
  /** True when letters differing only in case (or accent) compare equal (TiKV `IS_CASE_INSENSITIVE`). */
  readonly isCaseInsensitive: boolean;
  /** How LIKE compares literal pattern characters. */
  readonly likeMode: LikePatternMode;
  /**
   * Compares `a` and `b`: -1, 0 or 1 (TiKV `sort_compare`). With `forceNoPad`, trailing spaces
   * are significant even in a PAD SPACE collation (TiKV uses this for LIKE literals).
   */
  compare(a: Uint8Array, b: Uint8Array, forceNoPad?: boolean): number;
  /**
   * TiKV's sort key of `s`, byte for byte (TiDB stores these in index keys): for valid input
   * `sign(compare(a, b)) === sign(bytewise compare of the sort keys)`. Returns a new array.
   */
  sortKey(s: Uint8Array): Uint8Array;
  /**
   * An unsigned 32-bit hash consistent with {@link compare}: strings that compare equal hash
   * equal. Computed over the weights, without building the sort key. Not TiKV's hash values
   * (those are SipHash internals that never leave TiKV).
   */
  hash(s: Uint8Array): number;
  /**
   * Throws a {@link CodecError} (`format` = collation name) unless `s` is valid in the
   * collation's charset (TiKV `Charset::validate`: always valid for binary charsets, well-formed
   * UTF-8 otherwise).
   */
  validate(s: Uint8Array): void;
  /**
   * Decodes the character of `s` at byte `pos` for LIKE (TiKV `Charset::decode_one`): the packed
   * `codePoint | (byteLength << 21)` (read it with `decodedChar` / `decodedLength`), or -1 when
   * `pos >= s.length`. utf8mb4 decoding turns a malformed byte into U+FFFD of length 1.
   */
  decodeChar(s: Uint8Array, pos: number): number;
  /**
   * The collation weight of one character (a byte for binary charsets, a code point otherwise;
   * TiKV `char_weight`). Exact for every collation except the UCA ones, whose weights have up to
   * 128 bits: there it is the low 32 bits (the first two 16-bit weights) and only
   * {@link charsEqual} is a complete test.
   */
  charWeight(ch: number): number;
  /**
   * True when LIKE treats characters `a` and `b` as the same literal (TiKV
   * `like_pattern_compare` on single characters): code point identity for the `_bin`
   * collations, weight equality for the case-insensitive ones.
   */
  charsEqual(a: number, b: number): boolean;
}

/** The end of `s` once trailing U+0020 spaces are removed. */
export function trimEndPadding(s: Uint8Array): number {
  let n = s.length;
  while (n > 0 && s[n - 1] === 0x20) n--;
  return n;
}

/** Bytewise comparison of `a[0..aEnd)` and `b[0..bEnd)`: -1, 0 or 1. */
export function compareBytes(a: Uint8Array, aEnd: number, b: Uint8Array, bEnd: number): number {
  const n = Math.min(aEnd, bEnd);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y) return x < y ? -1 : 1;
  }
  return aEnd === bEnd ? 0 : aEnd < bEnd ? -1 : 1;
}

/** Initial state of the weight hash. */
export const HASH_SEED = 0x811c9dc5;

/** Mixes one weight (any unsigned 32-bit value) into the hash state. */
export function hashStep(h: number, w: number): number {
  return Math.imul(h ^ w, 0x01000193);
}

/** Finishes a hash: avalanche, then as an unsigned 32-bit number. */
export function hashFinish(h: number, count: number): number {
  h ^= count;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of the bytes `s[0..end)`. */
export function hashBytes(s: Uint8Array, end: number): number {
  let h = HASH_SEED;
  for (let i = 0; i < end; i++) h = Math.imul(h ^ s[i], 0x01000193);
  return hashFinish(h, end);
}

let scratch = new Uint8Array(256);

/** A shared scratch buffer of at least `n` bytes, for building a sort key before copying it out. */
export function scratchBuffer(n: number): Uint8Array {
  if (scratch.length < n) {
    let size = scratch.length;
    while (size < n) size *= 2;
    scratch = new Uint8Array(size);
  }
  return scratch;
}
