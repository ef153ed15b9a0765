// gb18030_bin and gb18030_chinese_ci, after TiKV codec/collation/collator/gb18030_collation.rs
// (tables: gb18030_bin.data, gb18030_chinese_ci.data, shipped as data/gb18030-*.bin).

import { Collation } from "../field-type.js";
import { type Collator, HASH_SEED, hashFinish, hashStep, scratchBuffer, trimEndPadding } from "./collator.js";
import { dataSection, loadCollationData } from "./data.js";
import { decodeUtf8Lenient, nextUtf8Char, validateUtf8 } from "./utf8.js";

const QUESTION_MARK = 0x3f;
const TABLE_SIZE = 0x110000;

/**
 * gb18030_bin / gb18030_chinese_ci. The strings are stored as UTF-8; each character weighs a
 * 32-bit value: its GB18030-2005 code (gb18030_bin) or its gb18030_chinese_ci weight. The
 * sort key writes a weight over 0xFFFF as four bytes, over 0xFF as two, else one. Both are PAD
 * SPACE. gb18030_bin follows TiKV's table, not TiKV's GB18030-2022 encoder: for the 36 code
 * points 2022 swapped (U+FE10..FE19, U+9FB4..9FBB and 18 private-use code points) it weighs the
 * 2005 code (U+E81E: 0xFE59, U+9FB4: 0x82359037), so the sort key is not the encoding there.
 * Malformed UTF-8, as in TiKV: gb18030_bin weighs each bad byte as `?`; gb18030_chinese_ci
 * ends the string there (`sortKey`/`hash` stop, `compare` answers 0). gb18030_chinese_ci's
 * weight of a code point is MySQL's weight of its GB18030-2005 code (pinyin order for Chinese
 * characters, the upper-case form's code otherwise). In both, surrogates weigh as U+FFFD, code
 * points above U+10FFFF as `?`. A missing data file makes the first weight lookup throw
 * UnsupportedError naming it.
 */
export class Gb18030Collator implements Collator {
  readonly charset = "utf8mb4" as const;
  readonly padding = true;
  readonly name: string;
  readonly isCaseInsensitive: boolean;
  readonly likeMode: "bytes" | "collatorDefined";
  readonly #file: string;
  readonly #truncate: boolean;
  #table: Uint32Array | undefined;

  constructor(readonly collation: typeof Collation.Gb18030Bin | typeof Collation.Gb18030ChineseCi) {
    const ci = collation === Collation.Gb18030ChineseCi;
    this.name = ci ? "gb18030_chinese_ci" : "gb18030_bin";
    this.isCaseInsensitive = ci;
    this.likeMode = ci ? "collatorDefined" : "bytes";
    this.#file = ci ? "gb18030-chinese-ci.bin" : "gb18030-bin.bin";
    this.#truncate = ci;
  }

  #weights(): Uint32Array {
    if (this.#table === undefined) {
      this.#table = dataSection(loadCollationData(this.#file), this.#file, "weight", TABLE_SIZE);
    }
    return this.#table;
  }

  compare(a: Uint8Array, b: Uint8Array, forceNoPad = false): number {
    const w = this.#weights();
    const aEnd = forceNoPad ? a.length : trimEndPadding(a);
    const bEnd = forceNoPad ? b.length : trimEndPadding(b);
    let i = 0;
    let j = 0;
    while (i < aEnd && j < bEnd) {
      let wa: number;
      let wb: number;
      const pa = nextUtf8Char(a, i, aEnd);
      const pb = nextUtf8Char(b, j, bEnd);
      if (pa < 0) {
        if (this.#truncate) return 0;
        wa = w[QUESTION_MARK];
        i++;
      } else {
        wa = w[pa & 0x1fffff];
        i += pa >>> 21;
      }
      if (pb < 0) {
        if (this.#truncate) return 0;
        wb = w[QUESTION_MARK];
        j++;
      } else {
        wb = w[pb & 0x1fffff];
        j += pb >>> 21;
      }
      if (wa !== wb) return wa < wb ? -1 : 1;
    }
    const ra = aEnd - i;
    const rb = bEnd - j;
    return ra === rb ? 0 : ra < rb ? -1 : 1;
  }

  sortKey(s: Uint8Array): Uint8Array {
    const w = this.#weights();
    const end = trimEndPadding(s);
    const buf = scratchBuffer(end * 4);
    let n = 0;
    for (let i = 0; i < end; ) {
      const p = nextUtf8Char(s, i, end);
      if (p < 0) {
        if (this.#truncate) break;
        buf[n++] = QUESTION_MARK;
        i++;
        continue;
      }
      const wt = w[p & 0x1fffff];
      if (wt > 0xffff) {
        buf[n++] = wt >>> 24;
        buf[n++] = (wt >>> 16) & 0xff;
      }
      if (wt > 0xff) buf[n++] = (wt >>> 8) & 0xff;
      buf[n++] = wt & 0xff;
      i += p >>> 21;
    }
    return buf.slice(0, n);
  }

  hash(s: Uint8Array): number {
    const w = this.#weights();
    const end = trimEndPadding(s);
    let h = HASH_SEED;
    let n = 0;
    for (let i = 0; i < end; ) {
      const p = nextUtf8Char(s, i, end);
      let wt: number;
      if (p < 0) {
        if (this.#truncate) break;
        wt = w[QUESTION_MARK];
        i++;
      } else {
        wt = w[p & 0x1fffff];
        i += p >>> 21;
      }
      h = hashStep(h, wt);
      n++;
    }
    return hashFinish(h, n);
  }

  validate(s: Uint8Array): void {
    validateUtf8(s, this.name);
  }

  decodeChar(s: Uint8Array, pos: number): number {
    return decodeUtf8Lenient(s, pos);
  }

  charWeight(ch: number): number {
    return ch >= TABLE_SIZE ? QUESTION_MARK : this.#weights()[ch];
  }

  charsEqual(a: number, b: number): boolean {
    return this.isCaseInsensitive ? this.charWeight(a) === this.charWeight(b) : a === b;
  }
}
