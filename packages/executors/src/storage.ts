// What executors read through (TiKV tidb_query_common/src/storage): a range scan in either
// direction and a point get, at the snapshot the storage was opened at. The MVCC storage of
// @copr/storage implements it; MemoryStorage is a plain sorted map for tests and benches.
import { StorageError } from "@copr/datatype";

/** A key range `[start, end)`, as in `coprocessor.KeyRange`. */
export interface KeyRange {
  readonly start: Uint8Array;
  readonly end: Uint8Array;
}

/** Key-value pairs of one scan, in key order (descending for a backward scan). */
export interface StorageScanner {
  /** The next pair, or null at the end of the range. The arrays stay valid until the next call. */
  next(): { key: Uint8Array; value: Uint8Array } | null;
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
 * An in-memory Storage: a sorted array of pairs, binary searched. Build it with `put` (any
 * order) then read; `put` after reading re-sorts lazily.
 */
export class MemoryStorage implements Storage {
  private keys: Uint8Array[] = [];
  private values: Uint8Array[] = [];
  private sorted = true;

  /** Sets `key` to `value` (the last put of a key wins). */
  put(key: Uint8Array, value: Uint8Array): void {
    if (this.keys.length > 0 && compareKeys(this.keys[this.keys.length - 1]!, key) >= 0) this.sorted = false;
    this.keys.push(key);
    this.values.push(value);
  }

  /** Number of pairs. */
  get size(): number {
    this.sort();
    return this.keys.length;
  }

  private sort(): void {
    if (this.sorted) return;
    const order = this.keys.map((_, i) => i);
    order.sort((a, b) => compareKeys(this.keys[a]!, this.keys[b]!) || a - b);
    const keys: Uint8Array[] = [];
    const values: Uint8Array[] = [];
    for (const i of order) {
      // Later puts of the same key replace earlier ones.
      if (keys.length > 0 && compareKeys(keys[keys.length - 1]!, this.keys[i]!) === 0) {
        values[values.length - 1] = this.values[i]!;
        continue;
      }
      keys.push(this.keys[i]!);
      values.push(this.values[i]!);
    }
    this.keys = keys;
    this.values = values;
    this.sorted = true;
  }

  /** The first index whose key is >= `key`. */
  private lowerBound(key: Uint8Array): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.keys[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  scan(range: KeyRange, desc: boolean): StorageScanner {
    if (range.end.length > 0 && compareKeys(range.start, range.end) > 0) {
      throw new StorageError(`scan range start is after its end`);
    }
    this.sort();
    const from = this.lowerBound(range.start);
    const to = range.end.length === 0 ? this.keys.length : this.lowerBound(range.end);
    const keys = this.keys;
    const values = this.values;
    let i = desc ? to - 1 : from;
    return {
      next: () => {
        if (desc ? i < from : i >= to) return null;
        const pair = { key: keys[i]!, value: values[i]! };
        i += desc ? -1 : 1;
        return pair;
      },
    };
  }

  get(key: Uint8Array): Uint8Array | null {
    this.sort();
    const i = this.lowerBound(key);
    return i < this.keys.length && compareKeys(this.keys[i]!, key) === 0 ? this.values[i]! : null;
  }
}
