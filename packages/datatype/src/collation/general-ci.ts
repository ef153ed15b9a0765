// utf8mb4_general_ci, after TiKV codec/collation/collator/utf8mb4_general_ci.rs (weights: its
// GENERAL_CI_PLANE_* tables, shipped as data/general-ci.bin).

import { Collation } from "../field-type.js";
import { type Collator, HASH_SEED, hashFinish, hashStep, scratchBuffer, trimEndPadding } from "./collator.js";
import { dataSection, loadCollationData } from "./data.js";
import { decodeUtf8Lenient, nextUtf8Char, validateUtf8 } from "./utf8.js";

const FILE = "general-ci.bin";
let table: Uint16Array | undefined;

function weights(): Uint16Array {
  if (table === undefined) {
    table = Uint16Array.from(dataSection(loadCollationData(FILE), FILE, "weight", 0x10000));
  }
  return table;
}

/**
 * utf8mb4_general_ci: PAD SPACE, one 16-bit weight per character (case folded, accents
 * stripped for Latin letters), U+FFFD's weight for every supplementary character. As in TiKV,
 * malformed UTF-8 ends the string: `sortKey`/`hash` stop at the first malformed sequence and
 * `compare` answers 0 as soon as it meets one on either side.
 */
export class GeneralCiCollator implements Collator {
  readonly collation = Collation.Utf8Mb4GeneralCi;
  readonly name = "utf8mb4_general_ci";
  readonly charset = "utf8mb4" as const;
  readonly padding = true;
  readonly isCaseInsensitive = true;
  readonly likeMode = "collatorDefined" as const;

  compare(a: Uint8Array, b: Uint8Array, forceNoPad = false): number {
    const w = weights();
    const aEnd = forceNoPad ? a.length : trimEndPadding(a);
    const bEnd = forceNoPad ? b.length : trimEndPadding(b);
    let i = 0;
    let j = 0;
    while (i < aEnd && j < bEnd) {
      const ca = a[i];
      const cb = b[j];
      if (ca < 0x80 && cb < 0x80) {
        const wa = w[ca];
        const wb = w[cb];
        if (wa !== wb) return wa < wb ? -1 : 1;
        i++;
        j++;
        continue;
      }
      const pa = nextUtf8Char(a, i, aEnd);
      const pb = nextUtf8Char(b, j, bEnd);
      if (pa < 0 || pb < 0) return 0;
      const cpa = pa & 0x1fffff;
      const cpb = pb & 0x1fffff;
      const wa = cpa > 0xffff ? 0xfffd : w[cpa];
      const wb = cpb > 0xffff ? 0xfffd : w[cpb];
      if (wa !== wb) return wa < wb ? -1 : 1;
      i += pa >>> 21;
      j += pb >>> 21;
    }
    const ra = aEnd - i;
    const rb = bEnd - j;
    return ra === rb ? 0 : ra < rb ? -1 : 1;
  }

  sortKey(s: Uint8Array): Uint8Array {
    const w = weights();
    const end = trimEndPadding(s);
    const buf = scratchBuffer(end * 2);
    let n = 0;
    for (let i = 0; i < end; ) {
      const p = nextUtf8Char(s, i, end);
      if (p < 0) break;
      const cp = p & 0x1fffff;
      const wt = cp > 0xffff ? 0xfffd : w[cp];
      buf[n++] = wt >>> 8;
      buf[n++] = wt & 0xff;
      i += p >>> 21;
    }
    return buf.slice(0, n);
  }

  hash(s: Uint8Array): number {
    const w = weights();
    const end = trimEndPadding(s);
    let h = HASH_SEED;
    let n = 0;
    for (let i = 0; i < end; ) {
      const p = nextUtf8Char(s, i, end);
      if (p < 0) break;
      const cp = p & 0x1fffff;
      h = hashStep(h, cp > 0xffff ? 0xfffd : w[cp]);
      n++;
      i += p >>> 21;
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
    return ch > 0xffff ? 0xfffd : weights()[ch];
  }

  charsEqual(a: number, b: number): boolean {
    return this.charWeight(a) === this.charWeight(b);
  }
}
