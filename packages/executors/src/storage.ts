// What executors read through (TiKV tidb_query_common/src/storage): a range scan in either
// direction and a point get, at the snapshot the storage was opened at. The MVCC storage of
// @copr/storage implements it; MemoryStorage is a plain sorted map for tests and benches.
import { StorageError } from "@copr/datatype";

const EMPTY = new Uint8Array(0);

/** A key range `[start, end)`, as in `coprocessor.KeyRange`. */
export interface KeyRange {
  readonly start: Uint8Array;
  readonly end: Uint8Array;
}

/**
 * A key-value pair given as ranges of byte arrays (key at `keyBytes[keyStart..keyEnd)`, value at
 * `valueBytes[valueStart..valueEnd)`), so that a storage holding many pairs in one buffer hands
 * them out without a view per pair. Filled by {@link StorageScanner.nextRange}.
 */
export interface RangePair {
  keyBytes: Uint8Array;
  keyStart: number;
  keyEnd: number;
  valueBytes: Uint8Array;
  valueStart: number;
  valueEnd: number;
  /**
   * True when `valueBytes` keeps its contents for the life of the scanner (see
   * {@link StorageScanner.stableRanges}), so a consumer may keep ranges of it instead of copies.
   */
  stable: boolean;
}

/**
 * Many key-value pairs as positions in two shared arrays, filled by
 * {@link StorageScanner.nextRanges}: pair `i`'s key is `keyBytes[pos[k] .. pos[k + 1])` and its
 * value `valueBytes[pos[k + valueAt] .. pos[k + valueAt + 1])`, with `k = base + i * stride`.
 * `pos` is either the block's own `scratch` (four positions per pair: base 0, stride 4, valueAt
 * 2) or, read only, an array of the storage's (an arena's pair boundaries, say: stride 2, or -2
 * for a backward scan, valueAt 1), which spares a copy per pair. `stable` as in {@link RangePair}.
 */
export interface RangeBlock {
  keyBytes: Uint8Array;
  valueBytes: Uint8Array;
  pos: Float64Array;
  base: number;
  stride: number;
  valueAt: number;
  /** The block's own positions, four per pair: its length / 4 is the most pairs a call may write there. */
  readonly scratch: Float64Array;
  stable: boolean;
}

/** A {@link RangeBlock} with room for `capacity` pairs in its own positions. */
export function newRangeBlock(capacity: number): RangeBlock {
  const scratch = new Float64Array(4 * capacity);
  return {
    keyBytes: EMPTY,
    valueBytes: EMPTY,
    pos: scratch,
    base: 0,
    stride: 4,
    valueAt: 2,
    scratch,
    stable: false,
  };
}

/** Points `block` at its own positions, four per pair (what a scanner then writes). */
export function resetRangeBlock(block: RangeBlock): void {
  block.pos = block.scratch;
  block.base = 0;
  block.stride = 4;
  block.valueAt = 2;
}

/** A {@link RangePair} to fill. */
export function newRangePair(): RangePair {
  return {
    keyBytes: EMPTY,
    keyStart: 0,
    keyEnd: 0,
    valueBytes: EMPTY,
    valueStart: 0,
    valueEnd: 0,
    stable: false,
  };
}

/** Key-value pairs of one scan, in key order (descending for a backward scan). */
export interface StorageScanner {
  /**
   * The next pair, or null at the end of the range. The pair object and its arrays are only
   * valid until the next call (a scanner may reuse them).
   */
  next(): { key: Uint8Array; value: Uint8Array } | null;
  /**
   * Optional: the next pair written into `out` as byte ranges (valid until the next call), or
   * false at the end of the range. Scans use it when present (no view per pair); a scanner is
   * read through one of `next` and `nextRange` only.
   */
  nextRange?(out: RangePair): boolean;
  /**
   * Optional: true when the arrays `nextRange` hands out keep their contents for the life of the
   * scanner (an in-memory arena that is only appended to), unlike storages that reuse one buffer
   * (LMDB's zero-copy reads). Absent means false.
   */
  readonly stableRanges?: boolean;
  /**
   * Optional: up to `max` next pairs into `out`, all in `out.keyBytes` and `out.valueBytes`;
   * returns how many, 0 at the end of the range (fewer than `max` is not the end: the next pairs
   * may be in other arrays). `out` comes reset to its own positions ({@link resetRangeBlock}):
   * write four per pair there (at most `out.scratch.length / 4` pairs), or point `out.pos`,
   * `base`, `stride` and `valueAt` at positions of the scanner's own. The pairs stay valid until
   * the next call. Offered by scanners over one array; a scanner that has it also has `nextRange`.
   */
  nextRanges?(out: RangeBlock, max: number): number;
}

/** A snapshot of the key space. */
export interface Storage {
  /** Pairs with `start <= key < end`, ascending, or descending when `desc`. */
  scan(range: KeyRange, desc: boolean): StorageScanner;
  /** The value of `key`, or null. */
  get(key: Uint8Array): Uint8Array | null;
}

/** Byte-wise order of keys (memcmp, shorter first on a common prefix). */
export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * An in-memory Storage: pairs sorted by key in one byte arena (key then value, pair after pair)
 * that scans walk with {@link StorageScanner.nextRange}, as a storage page would be read; binary
 * searched for range starts and gets. Puts in ascending key order append to the arena; others
 * wait in a list that the next read merges in (re-sorting and re-packing).
 */
export class MemoryStorage implements Storage {
  /** Pairs put out of order since the last pack (the last put of a key wins). */
  private keys: Uint8Array[] = [];
  private values: Uint8Array[] = [];
  /**
   * The packed pairs: pair i's key at `arena[at[2i] .. at[2i+1])`, its value up to `at[2i+2]`;
   * both arrays have spare capacity, so that puts in ascending key order (how a table is usually
   * loaded) append in place without keeping an array per pair.
   */
  private arena: Uint8Array = new Uint8Array(1024);
  private at: Float64Array = new Float64Array(64);
  private count = 0;

  /** Sets `key` to `value` (the last put of a key wins). */
  put(key: Uint8Array, value: Uint8Array): void {
    if (this.keys.length === 0 && (this.count === 0 || this.compareAt(this.count - 1, key) < 0)) {
      this.append(key, value);
      return;
    }
    this.keys.push(key);
    this.values.push(value);
  }

  /** Appends a pair after the packed ones (its key sorts after theirs). */
  private append(key: Uint8Array, value: Uint8Array): void {
    const n = this.count;
    const p = this.at[2 * n]!;
    const need = p + key.length + value.length;
    if (need > this.arena.length) {
      const grown = new Uint8Array(
        Math.max(need, Math.min(this.arena.length * 2, this.arena.length + 2 ** 30)),
      );
      grown.set(this.arena.subarray(0, p));
      this.arena = grown;
    }
    if (2 * n + 3 > this.at.length) {
      const grown = new Float64Array(this.at.length * 2);
      grown.set(this.at.subarray(0, 2 * n + 1));
      this.at = grown;
    }
    this.arena.set(key, p);
    this.at[2 * n + 1] = p + key.length;
    this.arena.set(value, p + key.length);
    this.at[2 * n + 2] = need;
    this.count = n + 1;
  }

  /** Number of pairs. */
  get size(): number {
    this.pack();
    return this.count;
  }

  /** Merges the pairs put out of order into the packed ones (re-sorting both) and packs them. */
  private pack(): void {
    if (this.keys.length === 0) return;
    // Packed pairs come first, so that a later put of the same key wins below.
    const allKeys: Uint8Array[] = [];
    const allValues: Uint8Array[] = [];
    for (let i = 0; i < this.count; i++) {
      allKeys.push(this.arena.subarray(this.at[2 * i]!, this.at[2 * i + 1]!));
      allValues.push(this.arena.subarray(this.at[2 * i + 1]!, this.at[2 * i + 2]!));
    }
    for (let i = 0; i < this.keys.length; i++) {
      allKeys.push(this.keys[i]!);
      allValues.push(this.values[i]!);
    }
    const order = allKeys.map((_, i) => i);
    order.sort((a, b) => compareKeys(allKeys[a]!, allKeys[b]!) || a - b);
    // Keep the last of equal keys.
    const kept: number[] = [];
    for (const i of order) {
      if (kept.length > 0 && compareKeys(allKeys[kept[kept.length - 1]!]!, allKeys[i]!) === 0) {
        kept[kept.length - 1] = i;
      } else {
        kept.push(i);
      }
    }
    this.keys = [];
    this.values = [];
    this.arena = new Uint8Array(1024);
    this.at = new Float64Array(64);
    this.count = 0;
    for (const i of kept) this.append(allKeys[i]!, allValues[i]!);
  }

  /** Compares packed key `i` with `key`. */
  private compareAt(i: number, key: Uint8Array): number {
    const a = this.arena;
    const s = this.at[2 * i]!;
    const len = this.at[2 * i + 1]! - s;
    const n = Math.min(len, key.length);
    for (let k = 0; k < n; k++) {
      const d = a[s + k]! - key[k]!;
      if (d !== 0) return d;
    }
    return len - key.length;
  }

  /** The first index whose key is >= `key`. */
  private lowerBound(key: Uint8Array): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareAt(mid, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  scan(range: KeyRange, desc: boolean): StorageScanner {
    if (range.end.length > 0 && compareKeys(range.start, range.end) > 0) {
      throw new StorageError(`scan range start is after its end`);
    }
    this.pack();
    const from = this.lowerBound(range.start);
    const to = range.end.length === 0 ? this.count : this.lowerBound(range.end);
    const arena = this.arena;
    const at = this.at;
    const step = desc ? -1 : 1;
    let i = desc ? to - 1 : from;
    // One pair object for the whole scan (the interface lets it change at the next call).
    const pair: { key: Uint8Array; value: Uint8Array } = { key: EMPTY, value: EMPTY };
    return {
      // Puts append past the packed pairs or pack into a new arena: this one never changes.
      stableRanges: true,
      next: () => {
        if (desc ? i < from : i >= to) return null;
        pair.key = arena.subarray(at[2 * i]!, at[2 * i + 1]!);
        pair.value = arena.subarray(at[2 * i + 1]!, at[2 * i + 2]!);
        i += step;
        return pair;
      },
      nextRanges: (out: RangeBlock, max: number) => {
        // The arena's own pair boundaries: pair i's key ends where its value starts.
        const c = Math.max(0, Math.min(max, desc ? i - from + 1 : to - i));
        out.keyBytes = arena;
        out.valueBytes = arena;
        out.pos = at;
        out.base = 2 * i;
        out.stride = 2 * step;
        out.valueAt = 1;
        i += c * step;
        return c;
      },
      nextRange: (out: RangePair) => {
        if (desc ? i < from : i >= to) return false;
        out.keyBytes = arena;
        out.valueBytes = arena;
        out.keyStart = at[2 * i]!;
        out.keyEnd = out.valueStart = at[2 * i + 1]!;
        out.valueEnd = at[2 * i + 2]!;
        i += step;
        return true;
      },
    };
  }

  get(key: Uint8Array): Uint8Array | null {
    this.pack();
    const i = this.lowerBound(key);
    return i < this.count && this.compareAt(i, key) === 0
      ? this.arena.subarray(this.at[2 * i + 1]!, this.at[2 * i + 2]!)
      : null;
  }
}
