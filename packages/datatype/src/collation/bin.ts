// Byte-order collators, after TiKV codec/collation/collator/{binary.rs, latin1_bin.rs, utf8mb4_binary.rs}.

import { type Collation, collationName } from "../field-type.js";
import {
  type Collator,
  type CollatorCharset,
  compareBytes,
  hashBytes,
  type LikePatternMode,
  trimEndPadding,
} from "./collator.js";
import { decodeByte, decodeUtf8Lenient, validateUtf8 } from "./utf8.js";

/**
 * A collator whose order is the byte order of the (optionally right-trimmed) string: binary
 * (no padding, bytes), latin1_bin (PAD SPACE, one character per byte), utf8mb4_bin (PAD
 * SPACE), utf8mb4_bin without padding and utf8mb4_0900_bin (NO PAD). Never fails on malformed
 * UTF-8: the bytes are compared as they are.
 */
export class ByteOrderCollator implements Collator {
  readonly name: string;
  readonly isCaseInsensitive = false;

  constructor(
    readonly collation: Collation,
    readonly charset: CollatorCharset,
    readonly padding: boolean,
    readonly likeMode: LikePatternMode,
  ) {
    this.name = collationName(collation);
  }

  compare(a: Uint8Array, b: Uint8Array, forceNoPad = false): number {
    if (this.padding && !forceNoPad) return compareBytes(a, trimEndPadding(a), b, trimEndPadding(b));
    return compareBytes(a, a.length, b, b.length);
  }

  sortKey(s: Uint8Array): Uint8Array {
    return s.slice(0, this.padding ? trimEndPadding(s) : s.length);
  }

  hash(s: Uint8Array): number {
    return hashBytes(s, this.padding ? trimEndPadding(s) : s.length);
  }

  validate(s: Uint8Array): void {
    if (this.charset === "utf8mb4") validateUtf8(s, this.name);
  }

  decodeChar(s: Uint8Array, pos: number): number {
    return this.charset === "binary" ? decodeByte(s, pos) : decodeUtf8Lenient(s, pos);
  }

  charWeight(ch: number): number {
    return ch;
  }

  charsEqual(a: number, b: number): boolean {
    return a === b;
  }
}
