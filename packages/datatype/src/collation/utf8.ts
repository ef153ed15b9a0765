// UTF-8 decoding as TiKV's collators do it: codec/collation/collator/mod.rs `next_utf8_char` (strict)
// and codec/collation/charset.rs `CharsetUtf8mb4::decode_one` (Go's utf8.DecodeRune for LIKE).

import { CodecError } from "../errors.js";

/** Bit position of the byte length in a packed decoded character (see {@link decodedChar}). */
const LEN_SHIFT = 21;
const CP_MASK = (1 << LEN_SHIFT) - 1;

/** U+FFFD, what Go-style decoding yields for a malformed byte. */
export const REPLACEMENT_CHARACTER = 0xfffd;

/**
 * The code point of a packed decoded character, as returned by {@link Collator.decodeChar} and
 * {@link nextUtf8Char}: `codePoint | (byteLength << 21)`. Only meaningful for a value >= 0.
 */
export function decodedChar(packed: number): number {
  return packed & CP_MASK;
}

/** The number of bytes the packed decoded character took (1..4). Only meaningful for a value >= 0. */
export function decodedLength(packed: number): number {
  return packed >>> LEN_SHIFT;
}

/**
 * Decodes one well-formed UTF-8 character of `s[pos..end)` (`pos < end` required): returns the
 * packed `codePoint | (byteLength << 21)`, or -1 when the bytes at `pos` are not a complete,
 * well-formed character (bad lead byte, truncated sequence, bad continuation byte, overlong
 * form, surrogate or code point above U+10FFFF). Never allocates.
 */
export function nextUtf8Char(s: Uint8Array, pos: number, end: number): number {
  const b0 = s[pos];
  if (b0 < 0x80) return b0 | (1 << LEN_SHIFT);
  if (b0 < 0xc2) return -1;
  if (b0 < 0xe0) {
    if (pos + 2 > end) return -1;
    const b1 = s[pos + 1];
    if ((b1 & 0xc0) !== 0x80) return -1;
    return (((b0 & 0x1f) << 6) | (b1 & 0x3f) | (2 << LEN_SHIFT)) >>> 0;
  }
  if (b0 < 0xf0) {
    if (pos + 3 > end) return -1;
    const b1 = s[pos + 1];
    const b2 = s[pos + 2];
    if (b1 < (b0 === 0xe0 ? 0xa0 : 0x80) || b1 > (b0 === 0xed ? 0x9f : 0xbf)) return -1;
    if ((b2 & 0xc0) !== 0x80) return -1;
    return ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f) | (3 << LEN_SHIFT);
  }
  if (b0 < 0xf5) {
    if (pos + 4 > end) return -1;
    const b1 = s[pos + 1];
    const b2 = s[pos + 2];
    const b3 = s[pos + 3];
    if (b1 < (b0 === 0xf0 ? 0x90 : 0x80) || b1 > (b0 === 0xf4 ? 0x8f : 0xbf)) return -1;
    if ((b2 & 0xc0) !== 0x80 || (b3 & 0xc0) !== 0x80) return -1;
    return ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f) | (4 << LEN_SHIFT);
  }
  return -1;
}

/**
 * Decodes one character of `s` at `pos` the way TiKV's LIKE does for utf8mb4 (Go's
 * `utf8.DecodeRune`): a malformed or truncated sequence yields U+FFFD with length 1. Returns the
 * packed character, or -1 when `pos >= s.length`.
 */
export function decodeUtf8Lenient(s: Uint8Array, pos: number): number {
  if (pos >= s.length) return -1;
  const p = nextUtf8Char(s, pos, s.length);
  return p >= 0 ? p : REPLACEMENT_CHARACTER | (1 << LEN_SHIFT);
}

/** Decodes one byte as a character (binary and latin1 charsets); -1 when `pos >= s.length`. */
export function decodeByte(s: Uint8Array, pos: number): number {
  return pos < s.length ? s[pos] | (1 << LEN_SHIFT) : -1;
}

/**
 * Throws unless `s` is entirely well-formed UTF-8 (TiKV `Charset::validate`, whose failure is
 * the `Error::Encoding` of `str::from_utf8`): a {@link CodecError} whose `format` is the
 * collation name, whose message shows the bytes (first 6, hex-escaped) and whose `offset` is
 * the position of the first malformed sequence.
 */
export function validateUtf8(s: Uint8Array, collationName: string): void {
  const end = s.length;
  let pos = 0;
  while (pos < end) {
    if (s[pos] < 0x80) {
      pos++;
      continue;
    }
    const p = nextUtf8Char(s, pos, end);
    if (p < 0) {
      throw new CodecError(collationName, `invalid utf-8 sequence in ${formatInvalidBytes(s)}`, pos);
    }
    pos += p >>> LEN_SHIFT;
  }
}

/** `'abc\xFF...'`: ASCII shown as is, other bytes as `\xHH`, at most 6 bytes then `...`. */
function formatInvalidBytes(s: Uint8Array): string {
  let out = "'";
  for (let i = 0; i < s.length; i++) {
    if (i > 5) {
      out += "...";
      break;
    }
    const b = s[i];
    out += b < 0x80 ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return `${out}'`;
}
