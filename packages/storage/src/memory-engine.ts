// An in-memory Engine for tests: per column family, sorted parallel arrays of keys and values,
// copy-on-write against live snapshots. Stands in for TiKV's components/engine_rocks in tests
// (TiKV's own tests use engine_test's RocksDB in a temp dir).

import { COLUMN_FAMILIES, checkCf, checkKey, checkOps, checkRange } from "./engine-common.js";
import { StorageEngineError } from "./errors.js";
import { compareBytes } from "./keys.js";
import type {
  ColumnFamily,
  Engine,
  EngineSnapshot,
  KeyRange,
  KvIterator,
  KvPair,
  RangeIterator,
  RangePair,
  WriteOp,
} from "./types.js";

interface CfData {
  keys: Uint8Array[];
  values: Uint8Array[];
  /** Live snapshots holding these arrays: a write copies them first when non-zero. */
  refs: number;
}

/** First index whose key is >= `key`. */
function lowerBound(keys: readonly Uint8Array[], key: Uint8Array): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes(keys[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class MemoryIterator implements KvIterator, RangeIterator {
  /** Stored arrays are never changed in place (writes replace them), so views outlive `next`. */
  readonly stable = true;
  private readonly pair: KvPair = { key: new Uint8Array(0), value: new Uint8Array(0) };
  private i: number;
  private readonly stop: number;
  private closed = false;
  constructor(
    private readonly data: CfData,
    range: KeyRange,
    private readonly desc: boolean,
  ) {
    const lo = lowerBound(data.keys, range.start);
    const hi = range.end.length === 0 ? data.keys.length : lowerBound(data.keys, range.end);
    if (desc) {
      this.i = hi - 1;
      this.stop = lo;
    } else {
      this.i = lo;
      this.stop = hi;
    }
  }
  next(): KvPair | null {
    if (this.closed) throw new StorageEngineError("iterator used after close");
    const i = this.i;
    if (this.desc ? i < this.stop : i >= this.stop) return null;
    this.i = this.desc ? i - 1 : i + 1;
    this.pair.key = this.data.keys[i]!;
    this.pair.value = this.data.values[i]!;
    return this.pair;
  }
  nextRange(out: RangePair): boolean {
    if (this.closed) throw new StorageEngineError("iterator used after close");
    const i = this.i;
    if (this.desc ? i < this.stop : i >= this.stop) return false;
    this.i = this.desc ? i - 1 : i + 1;
    const k = this.data.keys[i]!;
    const v = this.data.values[i]!;
    out.keyBytes = k;
    out.keyStart = 0;
    out.keyEnd = k.length;
    out.valueBytes = v;
    out.valueStart = 0;
    out.valueEnd = v.length;
    return true;
  }
  close(): void {
    this.closed = true;
  }
}

class MemorySnapshot implements EngineSnapshot {
  private released = false;
  constructor(private readonly cfs: Map<ColumnFamily, CfData>) {
    for (const d of cfs.values()) d.refs++;
  }
  private cf(cf: ColumnFamily): CfData {
    if (this.released) throw new StorageEngineError("snapshot used after release");
    checkCf(cf);
    return this.cfs.get(cf)!;
  }
  get(cf: ColumnFamily, key: Uint8Array): Uint8Array | null {
    const d = this.cf(cf);
    checkKey(key);
    const i = lowerBound(d.keys, key);
    return i < d.keys.length && compareBytes(d.keys[i]!, key) === 0 ? d.values[i]! : null;
  }
  iter(cf: ColumnFamily, range: KeyRange, desc: boolean): KvIterator {
    const d = this.cf(cf);
    checkRange(range);
    return new MemoryIterator(d, range, desc);
  }
  iterRange(cf: ColumnFamily, range: KeyRange, desc: boolean): RangeIterator {
    const d = this.cf(cf);
    checkRange(range);
    return new MemoryIterator(d, range, desc);
  }
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const d of this.cfs.values()) d.refs--;
  }
}

/** The in-memory engine: nothing survives the process; snapshots never see later writes. */
export class MemoryEngine implements Engine {
  private cfs = new Map<ColumnFamily, CfData>();
  private closed = false;
  constructor() {
    for (const cf of COLUMN_FAMILIES) this.cfs.set(cf, { keys: [], values: [], refs: 0 });
  }

  private own(cf: ColumnFamily): CfData {
    const d = this.cfs.get(cf)!;
    if (d.refs === 0) return d;
    const copy: CfData = { keys: d.keys.slice(), values: d.values.slice(), refs: 0 };
    this.cfs.set(cf, copy);
    return copy;
  }

  write(ops: readonly WriteOp[]): void {
    if (this.closed) throw new StorageEngineError("engine is closed");
    checkOps(ops);
    for (const op of ops) {
      const d = this.own(op.cf);
      const n = d.keys.length;
      // Appending in key order (bulk loads) skips the binary search.
      const i = n > 0 && compareBytes(d.keys[n - 1]!, op.key) < 0 ? n : lowerBound(d.keys, op.key);
      const found = i < n && compareBytes(d.keys[i]!, op.key) === 0;
      if (op.kind === "put") {
        const value = new Uint8Array(op.value);
        if (found) d.values[i] = value;
        else if (i === n) {
          d.keys.push(new Uint8Array(op.key));
          d.values.push(value);
        } else {
          d.keys.splice(i, 0, new Uint8Array(op.key));
          d.values.splice(i, 0, value);
        }
      } else if (found) {
        d.keys.splice(i, 1);
        d.values.splice(i, 1);
      }
    }
  }

  snapshot(): EngineSnapshot {
    if (this.closed) throw new StorageEngineError("engine is closed");
    return new MemorySnapshot(new Map(this.cfs));
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
