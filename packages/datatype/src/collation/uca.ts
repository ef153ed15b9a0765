// utf8mb4_unicode_ci (UCA 4.0.0) and utf8mb4_0900_ai_ci (UCA 9.0.0), after TiKV
// codec/collation/collator/utf8mb4_uca/{mod.rs, data_0400.rs, data_0900.rs} (tables: data/uca-*.bin).

import { Collation } from "../field-type.js";
import { type Collator, HASH_SEED, hashFinish, hashStep, scratchBuffer, trimEndPadding } from "./collator.js";
import { dataSection, loadCollationData } from "./data.js";
import { decodeUtf8Lenient, nextUtf8Char, validateUtf8 } from "./utf8.js";

/** Table entry that stands for "look the weight up among the long (over 64-bit) weights". */
const LONG_RUNE = 0xfffd;

/** One UCA version's weights, decoded from its data file. */
interface UcaTable {
  /** Low and high 32 bits of each code point's weight (16-bit units, lowest unit first). */
  readonly lo: Uint32Array;
  readonly hi: Uint32Array;
  /** Code points whose weight is over 64 bits, ascending. */
  readonly longCps: Uint32Array;
  /** Their weights, four 32-bit words each, lowest first. */
  readonly longWeights: Uint32Array;
}

function loadUcaTable(file: string, size: number): UcaTable {
  const data = loadCollationData(file);
  const long = dataSection(data, file, "long");
  const n = long.length / 5;
  const longCps = new Uint32Array(n);
  const longWeights = new Uint32Array(n * 4);
  for (let i = 0; i < n; i++) {
    longCps[i] = long[i * 5];
    longWeights.set(long.subarray(i * 5 + 1, i * 5 + 5), i * 4);
  }
  return {
    lo: dataSection(data, file, "lo", size),
    hi: dataSection(data, file, "hi", size),
    longCps,
    longWeights,
  };
}

/**
 * The weight of the current character, as four 32-bit words (w0 lowest). A module-level
 * register file so that weight lookups return without allocating.
 */
let w0 = 0;
let w1 = 0;
let w2 = 0;
let w3 = 0;

/**
 * A UCA collator. A character's weight is a sequence of up to eight 16-bit units; strings
 * compare as the concatenation of their characters' units (ignorable characters have none),
 * and the sort key is those units, big-endian. utf8mb4_unicode_ci is PAD SPACE and gives every
 * supplementary character U+FFFD's weight; utf8mb4_0900_ai_ci is NO PAD and derives implicit
 * weights for code points past its table. Malformed UTF-8 ends the string as in TiKV:
 * `sortKey`/`hash` stop there and `compare` answers 0 when it has to decode one.
 */
export class UcaCollator implements Collator {
  readonly charset = "utf8mb4" as const;
  readonly isCaseInsensitive = true;
  readonly likeMode = "collatorDefined" as const;
  readonly name: string;
  readonly padding: boolean;
  #table: UcaTable | undefined;

  constructor(
    readonly collation: typeof Collation.Utf8Mb4UnicodeCi | typeof Collation.Utf8Mb40900AiCi,
    private readonly file: string,
    private readonly size: number,
  ) {
    this.padding = collation === Collation.Utf8Mb4UnicodeCi;
    this.name = this.padding ? "utf8mb4_unicode_ci" : "utf8mb4_0900_ai_ci";
  }

  #tables(): UcaTable {
    if (this.#table === undefined) this.#table = loadUcaTable(this.file, this.size);
    return this.#table;
  }

  /** Sets w0..w3 to the weight of `cp`. */
  #load(t: UcaTable, cp: number): void {
    w2 = 0;
    w3 = 0;
    if (cp >= this.size) {
      if (this.padding) {
        w0 = 0xfffd;
      } else {
        // Implicit weight of an unassigned code point: [0xFBC0 + (cp >> 15), (cp & 0x7FFF) | 0x8000].
        w0 = (0xfbc0 + (cp >>> 15)) | (((cp & 0x7fff) | 0x8000) << 16);
      }
      w1 = 0;
      return;
    }
    w0 = t.lo[cp];
    w1 = t.hi[cp];
    if (w0 === LONG_RUNE && w1 === 0) {
      const cps = t.longCps;
      for (let i = 0; i < cps.length; i++) {
        if (cps[i] === cp) {
          const lw = t.longWeights;
          w0 = lw[i * 4];
          w1 = lw[i * 4 + 1];
          w2 = lw[i * 4 + 2];
          w3 = lw[i * 4 + 3];
          return;
        }
      }
    }
  }

  compare(a: Uint8Array, b: Uint8Array, forceNoPad = false): number {
    const t = this.#tables();
    const trim = this.padding && !forceNoPad;
    const aEnd = trim ? trimEndPadding(a) : a.length;
    const bEnd = trim ? trimEndPadding(b) : b.length;
    let i = 0;
    let j = 0;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let b3 = 0;
    for (;;) {
      while ((a0 | a1 | a2 | a3) === 0 && i < aEnd) {
        const p = nextUtf8Char(a, i, aEnd);
        if (p < 0) return 0;
        this.#load(t, p & 0x1fffff);
        a0 = w0;
        a1 = w1;
        a2 = w2;
        a3 = w3;
        i += p >>> 21;
      }
      while ((b0 | b1 | b2 | b3) === 0 && j < bEnd) {
        const p = nextUtf8Char(b, j, bEnd);
        if (p < 0) return 0;
        this.#load(t, p & 0x1fffff);
        b0 = w0;
        b1 = w1;
        b2 = w2;
        b3 = w3;
        j += p >>> 21;
      }
      let aZero = (a0 | a1 | a2 | a3) === 0;
      let bZero = (b0 | b1 | b2 | b3) === 0;
      if (aZero || bZero) return aZero ? (bZero ? 0 : -1) : 1;
      if (a0 === b0 && a1 === b1 && a2 === b2 && a3 === b3) {
        a0 = a1 = a2 = a3 = b0 = b1 = b2 = b3 = 0;
        continue;
      }
      while (!aZero && !bZero) {
        const ua = a0 & 0xffff;
        const ub = b0 & 0xffff;
        if (ua !== ub) return ua < ub ? -1 : 1;
        a0 = (a0 >>> 16) | ((a1 & 0xffff) << 16);
        a1 = (a1 >>> 16) | ((a2 & 0xffff) << 16);
        a2 = (a2 >>> 16) | ((a3 & 0xffff) << 16);
        a3 >>>= 16;
        b0 = (b0 >>> 16) | ((b1 & 0xffff) << 16);
        b1 = (b1 >>> 16) | ((b2 & 0xffff) << 16);
        b2 = (b2 >>> 16) | ((b3 & 0xffff) << 16);
        b3 >>>= 16;
        aZero = (a0 | a1 | a2 | a3) === 0;
        bZero = (b0 | b1 | b2 | b3) === 0;
      }
    }
  }

  sortKey(s: Uint8Array): Uint8Array {
    const t = this.#tables();
    const end = this.padding ? trimEndPadding(s) : s.length;
    // At most 8 units (16 bytes) per character, and a character takes at least one byte.
    const buf = scratchBuffer(end * 16);
    let n = 0;
    for (let i = 0; i < end; ) {
      const p = nextUtf8Char(s, i, end);
      if (p < 0) break;
      this.#load(t, p & 0x1fffff);
      // Units are written while the remaining weight is non-zero (a zero unit inside a weight counts).
      let x0 = w0;
      let x1 = w1;
      let x2 = w2;
      let x3 = w3;
      while ((x0 | x1 | x2 | x3) !== 0) {
        buf[n++] = (x0 >>> 8) & 0xff;
        buf[n++] = x0 & 0xff;
        x0 = (x0 >>> 16) | ((x1 & 0xffff) << 16);
        x1 = (x1 >>> 16) | ((x2 & 0xffff) << 16);
        x2 = (x2 >>> 16) | ((x3 & 0xffff) << 16);
        x3 >>>= 16;
      }
      i += p >>> 21;
    }
    return buf.slice(0, n);
  }

  hash(s: Uint8Array): number {
    const t = this.#tables();
    const end = this.padding ? trimEndPadding(s) : s.length;
    let h = HASH_SEED;
    let units = 0;
    for (let i = 0; i < end; ) {
      const p = nextUtf8Char(s, i, end);
      if (p < 0) break;
      this.#load(t, p & 0x1fffff);
      // Hash the 16-bit units one by one so that unit boundaries between characters do not matter.
      let x0 = w0;
      let x1 = w1;
      let x2 = w2;
      let x3 = w3;
      while ((x0 | x1 | x2 | x3) !== 0) {
        h = hashStep(h, x0 & 0xffff);
        units++;
        x0 = (x0 >>> 16) | ((x1 & 0xffff) << 16);
        x1 = (x1 >>> 16) | ((x2 & 0xffff) << 16);
        x2 = (x2 >>> 16) | ((x3 & 0xffff) << 16);
        x3 >>>= 16;
      }
      i += p >>> 21;
    }
    return hashFinish(h, units);
  }

  validate(s: Uint8Array): void {
    validateUtf8(s, this.name);
  }

  decodeChar(s: Uint8Array, pos: number): number {
    return decodeUtf8Lenient(s, pos);
  }

  charWeight(ch: number): number {
    this.#load(this.#tables(), ch);
    return w0 >>> 0;
  }

  charsEqual(a: number, b: number): boolean {
    const t = this.#tables();
    if (this.padding) {
      // UCA 4.0.0 (TiKV Unicode0400::like_pattern_match): table entries must match; long
      // weights and supplementary characters only match themselves.
      if (a > 0xffff || b > 0xffff) return a === b;
      const lo = t.lo[a];
      const hi = t.hi[a];
      return lo === t.lo[b] && hi === t.hi[b] && (lo !== LONG_RUNE || hi !== 0 || a === b);
    }
    this.#load(t, a);
    const x0 = w0;
    const x1 = w1;
    const x2 = w2;
    const x3 = w3;
    this.#load(t, b);
    return x0 === w0 && x1 === w1 && x2 === w2 && x3 === w3;
  }
}
