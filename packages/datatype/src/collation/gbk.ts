// gbk_bin and gbk_chinese_ci, after TiKV codec/collation/collator/gbk_collation.rs (tables:
// gbk_bin.data and gbk_chinese_ci.data, shipped as data/gbk-*.bin).

import { Collation } from "../field-type.js";
import { type Collator, HASH_SEED, hashFinish, hashStep, scratchBuffer, trimEndPadding } from "./collator.js";
import { dataSection, loadCollationData } from "./data.js";
import { decodeUtf8Lenient, nextUtf8Char, validateUtf8 } from "./utf8.js";

const QUESTION_MARK = 0x3f;

/**
 * gbk_bin / gbk_chinese_ci. The strings are stored as UTF-8; each character weighs its GBK
 * code (gbk_bin) or its GBK sort weight (gbk_chinese_ci), 16 bits, `?` (0x3F) for characters
 * GBK lacks; the sort key writes a weight over 0xFF as two bytes, else one. Both are PAD
 * SPACE. Malformed UTF-8, as in TiKV: gbk_bin weighs each bad byte as `?`; gbk_chinese_ci
 * ends the string there (`sortKey`/`hash` stop, `compare` answers 0).
 */
export class GbkCollator implements Collator {
  readonly charset = "utf8mb4" as const;
  readonly padding = true;
  readonly name: string;
  readonly isCaseInsensitive: boolean;
  readonly likeMode: "binaryRunes" | "collatorDefined";
  readonly #file: string;
  /** True when a malformed byte ends the string rather than weighing `?` (TiKV NEED_TRUNCATE_INVALID_UTF8_RUNE). */
  readonly #truncate: boolean;
  #table: Uint16Array | undefined;

  constructor(readonly collation: typeof Collation.GbkBin | typeof Collation.GbkChineseCi) {
    const ci = collation === Collation.GbkChineseCi;
    this.name = ci ? "gbk_chinese_ci" : "gbk_bin";
    this.isCaseInsensitive = ci;
    this.likeMode = ci ? "collatorDefined" : "binaryRunes";
    this.#file = ci ? "gbk-chinese-ci.bin" : "gbk-bin.bin";
    this.#truncate = ci;
  }

  #weights(): Uint16Array {
    if (this.#table === undefined) {
      this.#table = Uint16Array.from(
        dataSection(loadCollationData(this.#file), this.#file, "weight", 0x10000),
      );
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
      if (pa < 0) {
        if (this.#truncate) return 0;
        wa = w[QUESTION_MARK];
        i++;
      } else {
        const cp = pa & 0x1fffff;
        wa = cp > 0xffff ? QUESTION_MARK : w[cp];
        i += pa >>> 21;
      }
      const pb = nextUtf8Char(b, j, bEnd);
      if (pb < 0) {
        if (this.#truncate) return 0;
        wb = w[QUESTION_MARK];
        j++;
      } else {
        const cp = pb & 0x1fffff;
        wb = cp > 0xffff ? QUESTION_MARK : w[cp];
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
    const buf = scratchBuffer(end * 2);
    let n = 0;
    for (let i = 0; i < end; ) {
      const p = nextUtf8Char(s, i, end);
      if (p < 0) {
        if (this.#truncate) break;
        buf[n++] = QUESTION_MARK;
        i++;
        continue;
      }
      const cp = p & 0x1fffff;
      const wt = cp > 0xffff ? QUESTION_MARK : w[cp];
      if (wt > 0xff) buf[n++] = wt >>> 8;
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
        const cp = p & 0x1fffff;
        wt = cp > 0xffff ? QUESTION_MARK : w[cp];
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
    return ch > 0xffff ? QUESTION_MARK : this.#weights()[ch];
  }

  charsEqual(a: number, b: number): boolean {
    return this.isCaseInsensitive ? this.charWeight(a) === this.charWeight(b) : a === b;
  }
}
