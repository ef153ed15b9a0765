// The persistent Engine: one LMDB environment (lmdb-js) with a named database per column family,
// write batches as synchronous LMDB write transactions and snapshots as LMDB read transactions.
// Plays the part of TiKV's components/engine_rocks (RocksDB with CFs, WriteBatch, Snapshot).

import { type Database, open, type RootDatabase, type RootDatabaseOptions, type Transaction } from "lmdb";
import { COLUMN_FAMILIES, checkCf, checkKey, checkOps, checkRange } from "./engine-common.js";
import { MvccError, StorageEngineError } from "./errors.js";
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

/** Options of {@link openLmdbEngine}. */
export interface LmdbEngineOptions {
  /** Directory of the environment (created when missing unless `readOnly`). */
  path: string;
  /** Largest size the data file may grow to, bytes (default 16 GiB of address space). */
  mapSize?: number;
  /** Open for reading only (e.g. in each worker thread of a read pool). */
  readOnly?: boolean;
  /**
   * Skip fsync at commit: batches stay atomic and survive a process crash, but not an OS
   * crash. For throwaway stores (benches); the default (false) syncs every batch.
   */
  noSync?: boolean;
}

type Db = Database<Buffer, Buffer>;

function engineError(what: string, e: unknown): MvccError {
  if (e instanceof MvccError) return e;
  return new StorageEngineError(`${what}: ${e instanceof Error ? e.message : String(e)}`, e);
}

type RangeIt = Iterator<{ key: Buffer; value: Buffer }>;

// Zero-copy range reads. lmdb-js's range iterator reads each key into its process-wide key
// buffer and each value into its process-wide value buffer, then (for binary encodings) slices
// both into new Buffers. A second handle per CF opened with a custom `keyEncoder` and
// `encoder` (public options of lmdb-js) receives those buffers instead: `readKey` and `decode`
// (with `needsStableBuffer: false`, so no copy is made for it) only note where the bytes are.
// The bytes are then valid until the next read of any LMDB store in this thread.

/** Where the last key and value read through a scan handle are (written by the hooks below). */
const seen: {
  keyBytes: Uint8Array;
  keyStart: number;
  keyEnd: number;
  valueBytes: Uint8Array;
  valueLen: number;
} = {
  keyBytes: new Uint8Array(0),
  keyStart: 0,
  keyEnd: 0,
  valueBytes: new Uint8Array(0),
  valueLen: 0,
};

const RAW_KEYS = {
  writeKey(key: Uint8Array, target: Uint8Array, start: number): number {
    target.set(key, start);
    return start + key.length;
  },
  readKey(source: Uint8Array, start: number, end: number): number {
    seen.keyBytes = source;
    seen.keyStart = start;
    seen.keyEnd = end;
    return end;
  },
};

const RAW_VALUES = {
  needsStableBuffer: false,
  encode(value: Uint8Array): Uint8Array {
    return value;
  },
  decode(bytes: Uint8Array, size: number): number {
    seen.valueBytes = bytes;
    seen.valueLen = size;
    return size;
  },
};

/** Options of a scan handle (lmdb-js honours these per database; its typings list them on the root only). */
const SCAN_DB_OPTIONS: RootDatabaseOptions = { keyEncoder: RAW_KEYS, encoder: RAW_VALUES };

/** LMDB's smallest key: LMDB has no empty keys, so an empty range bound means this one. */
const LOWEST_KEY = Buffer.from([0]);

type ScanIt = Iterator<unknown>;

class LmdbRangeIterator implements RangeIterator {
  readonly stable = false;
  private closed = false;
  constructor(private readonly it: ScanIt | null) {
    if (it === null) this.closed = true;
  }
  nextRange(out: RangePair): boolean {
    if (this.closed) return false;
    let r: IteratorResult<unknown>;
    try {
      r = this.it!.next();
    } catch (e) {
      this.close();
      throw engineError("LMDB range read failed", e);
    }
    if (r.done === true) {
      this.close();
      return false;
    }
    out.keyBytes = seen.keyBytes;
    out.keyStart = seen.keyStart;
    out.keyEnd = seen.keyEnd;
    out.valueBytes = seen.valueBytes;
    out.valueStart = 0;
    out.valueEnd = seen.valueLen;
    return true;
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.it!.return?.();
  }
}

class LmdbIterator implements KvIterator {
  private readonly pair: KvPair = { key: new Uint8Array(0), value: new Uint8Array(0) };
  private closed = false;
  constructor(private readonly it: RangeIt) {}
  next(): KvPair | null {
    if (this.closed) throw new StorageEngineError("iterator used after close");
    const r = this.it.next();
    if (r.done === true) {
      this.close();
      return null;
    }
    this.pair.key = r.value.key;
    this.pair.value = r.value.value;
    return this.pair;
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.it.return?.();
  }
}

class LmdbSnapshot implements EngineSnapshot {
  private released = false;
  constructor(
    private readonly dbs: Map<ColumnFamily, Db | null>,
    private readonly scanDbs: Map<ColumnFamily, Database | null>,
    private readonly txn: Transaction,
  ) {}
  private db(cf: ColumnFamily): Db | null {
    if (this.released) throw new StorageEngineError("snapshot used after release");
    checkCf(cf);
    return this.dbs.get(cf)!;
  }
  get(cf: ColumnFamily, key: Uint8Array): Uint8Array | null {
    const db = this.db(cf);
    checkKey(key);
    if (db === null) return null;
    try {
      return db.get(key as Buffer, { transaction: this.txn }) ?? null;
    } catch (e) {
      throw engineError("LMDB get failed", e);
    }
  }
  iter(cf: ColumnFamily, range: KeyRange, desc: boolean): KvIterator {
    const db = this.db(cf);
    checkRange(range);
    if (db === null) return new LmdbIterator([][Symbol.iterator]());
    const unboundedEnd = range.end.length === 0;
    // LMDB has no empty keys, so an empty start is simply the beginning.
    const lo = range.start.length === 0 ? undefined : (range.start as Buffer);
    const hi = unboundedEnd ? undefined : (range.end as Buffer);
    try {
      const iterable = desc
        ? // Reverse ranges run from `start` (exclusive here) down to `end` (inclusive here).
          db.getRange({
            transaction: this.txn,
            reverse: true,
            ...(hi !== undefined ? { start: hi, exclusiveStart: true } : {}),
            ...(lo !== undefined ? { end: lo, inclusiveEnd: true } : {}),
          })
        : db.getRange({
            transaction: this.txn,
            ...(lo !== undefined ? { start: lo } : {}),
            ...(hi !== undefined ? { end: hi } : {}),
          });
      return new LmdbIterator(iterable[Symbol.iterator]() as RangeIt);
    } catch (e) {
      throw engineError("LMDB range failed", e);
    }
  }
  iterRange(cf: ColumnFamily, range: KeyRange, desc: boolean): RangeIterator {
    this.db(cf);
    checkRange(range);
    const db = this.scanDbs.get(cf)!;
    if (db === null) return new LmdbRangeIterator(null);
    const lo = range.start.length === 0 ? LOWEST_KEY : (range.start as Buffer);
    const hi = range.end.length === 0 ? undefined : (range.end as Buffer);
    try {
      // Bounds are given explicitly: with a custom key encoder lmdb-js's default first key
      // is not the binary one.
      const iterable = desc
        ? db.getRange({
            transaction: this.txn,
            reverse: true,
            ...(hi !== undefined ? { start: hi, exclusiveStart: true } : {}),
            end: lo,
            inclusiveEnd: true,
          })
        : db.getRange({ transaction: this.txn, start: lo, ...(hi !== undefined ? { end: hi } : {}) });
      return new LmdbRangeIterator(iterable[Symbol.iterator]() as ScanIt);
    } catch (e) {
      throw engineError("LMDB range failed", e);
    }
  }
  release(): void {
    if (this.released) return;
    this.released = true;
    this.txn.done();
  }
}

/** An {@link Engine} over an LMDB environment; make one with {@link openLmdbEngine}. */
export class LmdbEngine implements Engine {
  private closed = false;
  private constructor(
    private readonly env: RootDatabase,
    private readonly dbs: Map<ColumnFamily, Db | null>,
    private readonly scanDbs: Map<ColumnFamily, Database | null>,
    /** Whether the engine was opened read-only. */
    readonly readOnly: boolean,
  ) {}

  /** Opens (creating when missing and writable) the environment at `opts.path`. */
  static open(opts: LmdbEngineOptions): LmdbEngine {
    const readOnly = opts.readOnly === true;
    let env: RootDatabase;
    try {
      env = open({
        path: opts.path,
        maxDbs: 8,
        mapSize: opts.mapSize ?? 16 * 1024 ** 3,
        readOnly,
        // A commit returns only once it is on disk (no lazily overlapped flush).
        overlappingSync: false,
        noSync: opts.noSync === true,
        encoding: "binary",
        keyEncoding: "binary",
      }) as unknown as RootDatabase;
    } catch (e) {
      throw engineError(`cannot open LMDB environment at ${opts.path}`, e);
    }
    const dbs = new Map<ColumnFamily, Db | null>();
    const scanDbs = new Map<ColumnFamily, Database | null>();
    for (const cf of COLUMN_FAMILIES) {
      try {
        dbs.set(cf, env.openDB({ name: cf, encoding: "binary", keyEncoding: "binary" }) as unknown as Db);
        // The same LMDB database again, read through the zero-copy hooks (scans only).
        scanDbs.set(cf, env.openDB({ ...SCAN_DB_OPTIONS, name: cf }));
      } catch (e) {
        // A read-only open of an environment that never wrote this CF: it reads as empty.
        if (!readOnly) throw engineError(`cannot open column family ${cf}`, e);
        dbs.set(cf, null);
        scanDbs.set(cf, null);
      }
    }
    return new LmdbEngine(env, dbs, scanDbs, readOnly);
  }

  private check(): void {
    if (this.closed) throw new StorageEngineError("engine is closed");
  }

  write(ops: readonly WriteOp[]): void {
    this.check();
    if (this.readOnly) throw new StorageEngineError("engine was opened read-only");
    checkOps(ops);
    if (ops.length === 0) return;
    try {
      // One synchronous write transaction: all ops commit (and are synced) or none do.
      this.env.transactionSync(() => {
        for (const op of ops) {
          const db = this.dbs.get(op.cf)!;
          if (op.kind === "put") db.putSync(op.key as Buffer, op.value as Buffer);
          else db.removeSync(op.key as Buffer);
        }
      });
    } catch (e) {
      throw engineError("LMDB write failed", e);
    }
  }

  snapshot(): EngineSnapshot {
    this.check();
    try {
      return new LmdbSnapshot(this.dbs, this.scanDbs, this.env.useReadTransaction());
    } catch (e) {
      throw engineError("LMDB snapshot failed", e);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.env.close();
    } catch (e) {
      throw engineError("LMDB close failed", e);
    }
  }
}

/** Opens the LMDB engine at `opts.path` (see {@link LmdbEngineOptions}). */
export function openLmdbEngine(opts: LmdbEngineOptions): LmdbEngine {
  return LmdbEngine.open(opts);
}
