// What the table and index scans share: walking the request's key ranges over a Storage (point
// ranges by a get, the others by a scan, in either direction), counting rows per range and the
// key interval covered, and the batch loop. Behaviour of TiKV
// components/tidb_query_common/src/storage/{range.rs,ranges_iter.rs,scanner.rs},
// components/tidb_query_common/src/util.rs (`is_prefix_next`) and
// components/tidb_query_executors/src/util/scan_executor.rs.
import {
  assert,
  BATCH_MAX_SIZE,
  CodecError,
  type Column,
  type EvalContext,
  type FieldType,
  UnsupportedError,
} from "@copr/datatype";
import { type Long, type tipb, toBigInt } from "@copr/proto";
import {
  type BatchExecuteResult,
  type BatchExecutor,
  Drain,
  type ExecuteStats,
  type IntervalRange,
  type LazyColumns,
} from "./interface.js";
import {
  compareKeys,
  type KeyRange,
  newRangeBlock,
  newRangePair,
  type RangeBlock,
  type RangePair,
  resetRangeBlock,
  type Storage,
  type StorageScanner,
} from "./storage.js";

/** Column id of the int handle `_tidb_rowid` of a table without an integer primary key (TiDB `ExtraHandleID`). */
export const EXTRA_HANDLE_ID = -1;
/** Column id of the partition id column of a global index (TiKV `EXTRA_PARTITION_ID_COL_ID`). */
export const EXTRA_PARTITION_ID_COL_ID = -2;
/** Column id of the physical table id column (TiKV `EXTRA_PHYSICAL_TABLE_ID_COL_ID`). */
export const EXTRA_PHYSICAL_TABLE_ID_COL_ID = -3;
/** Column id of the commit timestamp column `_tidb_commit_ts` (TiKV `EXTRA_COMMIT_TS_COL_ID`). */
export const EXTRA_COMMIT_TS_COL_ID = -5;

/** A column id or other int64 as it may arrive: a protobuf `Long`, a number or a bigint. */
export type Int64Like = Long | number | bigint;

const EMPTY = new Uint8Array(0);

/** The number of an int64 id; ids beyond ±(2^53 − 1) are an UnsupportedError. */
export function int64ToNumber(v: Int64Like | null | undefined, what: string): number {
  const b = typeof v === "bigint" ? v : toBigInt(v);
  if (b > BigInt(Number.MAX_SAFE_INTEGER) || b < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new UnsupportedError(`${what} ${b} is out of the supported range`);
  }
  return Number(b);
}

/**
 * The field type of a `tipb.ColumnInfo` (TiKV `field_type_from_column_info`): tp, flag,
 * column_len → flen, decimal, collation → collate, elems. As in TiKV the charset is left unset:
 * a ColumnInfo does not carry one.
 */
export function fieldTypeFromColumnInfo(ci: tipb.ColumnInfo.$Properties): FieldType {
  const ft: FieldType = {
    tp: ci.tp ?? 0,
    flag: ci.flag ?? 0,
    flen: ci.columnLen ?? 0,
    decimal: ci.decimal ?? 0,
    collate: ci.collation ?? 0,
  };
  if (ci.elems != null && ci.elems.length > 0) ft.elems = ci.elems;
  return ft;
}

/**
 * True when `next` is the smallest key after every key that starts with `key` (TiKV
 * `is_prefix_next`): a range `[key, next)` then holds `key` alone, a point.
 */
export function isPrefixNext(key: Uint8Array, next: Uint8Array): boolean {
  const len = key.length;
  if (len === next.length) {
    let carry = len - 1;
    while (carry >= 0 && key[carry] === 0xff) carry--;
    // All bytes 0xff: the next key is one byte longer.
    if (carry < 0) return false;
    if (key[carry] + 1 !== next[carry]) return false;
    for (let i = carry + 1; i < len; i++) if (next[i] !== 0) return false;
    for (let i = 0; i < carry; i++) if (key[i] !== next[i]) return false;
    return true;
  }
  if (len + 1 === next.length) {
    if (next[len] !== 0) return false;
    for (let i = 0; i < len; i++) if (key[i] !== 0xff || next[i] !== 0xff) return false;
    return true;
  }
  return false;
}

function hex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

/** `t` and an 8-byte table id: the shortest a table key range bound may be. */
const TABLE_PREFIX_KEY_LEN = 9;

/**
 * Checks that every range is a table range (TiKV `check_table_ranges`): both bounds start with
 * `t` and a table id, and `start < end`. A violation is a CodecError (format "key range").
 */
export function checkTableRanges(ranges: readonly KeyRange[]): void {
  for (const r of ranges) {
    for (const k of [r.start, r.end]) {
      if (k.length < TABLE_PREFIX_KEY_LEN || k[0] !== 0x74) {
        throw new CodecError("key range", `record key or index key expected, but got ${hex(k)}`);
      }
    }
    if (compareKeys(r.start, r.end) >= 0) {
      throw new CodecError(
        "key range",
        `invalid range, range.start should be smaller than range.end, but got [${hex(r.start)}, ${hex(r.end)})`,
      );
    }
  }
}

/** One range of a scan: a point (read with a get) or an interval (read with a scan). */
interface ScanRange {
  readonly start: Uint8Array;
  readonly end: Uint8Array;
  readonly point: boolean;
}

/** One key-value pair read by {@link RangesScanner}. */
export interface ScannedPair {
  key: Uint8Array;
  value: Uint8Array;
}

/**
 * Reads the ranges one after another (TiKV `RangesScanner`). A point range (when accepted) is
 * one `storage.get`; an interval range is one `storage.scan`, backward when `desc` (the caller
 * gives the ranges in the order they are to be read, i.e. already reversed for a descending
 * scan). Counts the rows read from each range and the key interval covered, for
 * {@link collectScannedRowsPerRange} and {@link takeScannedRange}.
 */
export class RangesScanner {
  private readonly storage: Storage;
  private readonly ranges: ScanRange[];
  private readonly desc: boolean;
  private next_ = 0;
  private scanner: StorageScanner | null = null;
  private scannedRowsPerRange: number[] = [];
  /** The range the scanned interval is reported against: the first range, then the last one. */
  private currentLower: Uint8Array = EMPTY;
  private currentUpper: Uint8Array = EMPTY;
  /** Where the interval not yet taken begins and ends, in scan order. */
  private workingBegin: Uint8Array = EMPTY;
  private workingEnd: Uint8Array = EMPTY;
  private readonly cur: RangePair = newRangePair();

  constructor(storage: Storage, ranges: readonly KeyRange[], desc: boolean, acceptPointRange: boolean) {
    this.storage = storage;
    this.desc = desc;
    this.ranges = ranges.map((r) => ({
      start: r.start,
      end: r.end,
      point: acceptPointRange && isPrefixNext(r.start, r.end),
    }));
  }

  /**
   * The next pair, or null once every range is read. `updateScannedRange`: move the end of the
   * scanned interval to this pair (the scan executor does so for the last row of a batch only).
   */
  next(updateScannedRange = true): ScannedPair | null {
    const r = this.cur;
    if (!this.nextRange(r, updateScannedRange)) return null;
    return {
      key: viewOf(r.keyBytes, r.keyStart, r.keyEnd),
      value: viewOf(r.valueBytes, r.valueStart, r.valueEnd),
    };
  }

  /**
   * {@link next} written into `out` as byte ranges (no view per pair when the storage's scanner
   * offers `nextRange`); false once every range is read.
   */
  nextRange(out: RangePair, updateScannedRange = true): boolean {
    for (;;) {
      let found: boolean;
      const scanner = this.scanner;
      if (scanner !== null) {
        found = readPair(scanner, out);
      } else if (this.next_ >= this.ranges.length) {
        this.workingEnd = this.desc ? this.currentLower : this.currentUpper;
        return false;
      } else {
        const r = this.ranges[this.next_++]!;
        const last = this.next_ === this.ranges.length;
        if (this.currentLower.length === 0 || last) {
          this.currentLower = r.start;
          this.currentUpper = r.point ? pointUpper(r.start) : r.end;
        }
        if (this.workingBegin.length === 0) {
          this.workingBegin = this.desc ? this.currentUpper : this.currentLower;
        }
        this.scannedRowsPerRange.push(0);
        if (r.point) {
          const value = this.storage.get(r.start);
          found = value !== null;
          if (value !== null) {
            out.keyBytes = r.start;
            out.keyStart = 0;
            out.keyEnd = r.start.length;
            out.valueBytes = value;
            out.valueStart = 0;
            out.valueEnd = value.length;
            out.stable = false;
          }
        } else {
          this.scanner = this.storage.scan(r, this.desc);
          found = readPair(this.scanner, out);
        }
      }
      if (found) {
        if (updateScannedRange) this.scannedUpTo(out.keyBytes, out.keyStart, out.keyEnd);
        this.scannedRowsPerRange[this.scannedRowsPerRange.length - 1]!++;
        return true;
      }
      this.scanner = null;
    }
  }

  /** Moves the end of the scanned interval to the key at `bytes[start..end)`. */
  private scannedUpTo(bytes: Uint8Array, start: number, end: number): void {
    // The pair's bytes may be reused by the storage: keep a copy (Uint8Array's slice, which
    // copies even when the storage hands out Node Buffers, whose slice is a view).
    const key = Uint8Array.prototype.slice.call(bytes, start, end);
    this.workingEnd = this.desc ? key : pointUpper(key);
  }

  /**
   * Up to `max` next pairs into `out` (see {@link RangeBlock}): many at once from a storage
   * scanner that offers `nextRanges`, else one through {@link nextRange}; 0 once every range is
   * read. `updateScannedRange`: when the block ends with the `max`-th pair, move the end of the
   * scanned interval to it (a scan passes its batch's remaining rows as `max`).
   */
  nextBlock(out: RangeBlock, max: number, updateScannedRange = true): number {
    const scanner = this.scanner;
    resetRangeBlock(out);
    if (scanner?.nextRanges !== undefined) {
      const c = scanner.nextRanges(out, max);
      if (c > 0) {
        out.stable = scanner.stableRanges === true;
        this.scannedRowsPerRange[this.scannedRowsPerRange.length - 1]! += c;
        if (updateScannedRange && c === max) {
          const k = out.base + (c - 1) * out.stride;
          this.scannedUpTo(out.keyBytes, out.pos[k]!, out.pos[k + 1]!);
        }
        return c;
      }
      resetRangeBlock(out);
    }
    // Range starts, point ranges, scanners without `nextRanges`, and the end of a range.
    const pair = this.cur;
    if (!this.nextRange(pair, updateScannedRange && max === 1)) return 0;
    out.keyBytes = pair.keyBytes;
    out.valueBytes = pair.valueBytes;
    out.stable = pair.stable;
    const pos = out.pos;
    pos[0] = pair.keyStart;
    pos[1] = pair.keyEnd;
    pos[2] = pair.valueStart;
    pos[3] = pair.valueEnd;
    return 1;
  }

  /**
   * Appends the rows read per range since the last call to `dest` (one entry per range begun,
   * the range being read continuing in a new entry), as TiKV `collect_scanned_rows_per_range`.
   */
  collectScannedRowsPerRange(dest: number[]): void {
    for (const n of this.scannedRowsPerRange) dest.push(n);
    this.scannedRowsPerRange = [0];
  }

  /** Rows read so far, over all ranges. */
  scannedRowsSum(): number {
    let s = 0;
    for (const n of this.scannedRowsPerRange) s += n;
    return s;
  }

  /**
   * The key interval covered since the last call (TiKV `take_scanned_range`): from where the
   * previous interval ended to just after the last key reported (before it, for a descending
   * scan), or to the end of the ranges once they are all read.
   */
  takeScannedRange(): IntervalRange {
    if (!this.desc) {
      const range = { lower: this.workingBegin, upper: this.workingEnd };
      this.workingBegin = range.upper;
      this.workingEnd = EMPTY;
      return range;
    }
    const range = { lower: this.workingEnd, upper: this.workingBegin };
    this.workingBegin = range.lower;
    this.workingEnd = EMPTY;
    return range;
  }
}

/** `bytes[start..end)`: the array itself when that is all of it, else a view. */
function viewOf(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
}

/** The next pair of `scanner` into `out`, through `nextRange` when it has one. */
function readPair(scanner: StorageScanner, out: RangePair): boolean {
  out.stable = scanner.stableRanges === true;
  if (scanner.nextRange !== undefined) return scanner.nextRange(out);
  const p = scanner.next();
  if (p === null) return false;
  out.keyBytes = p.key;
  out.keyStart = 0;
  out.keyEnd = p.key.length;
  out.valueBytes = p.value;
  out.valueStart = 0;
  out.valueEnd = p.value.length;
  return true;
}

/** `key` followed by a zero byte: the first key after `key`. */
function pointUpper(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length + 1);
  out.set(key);
  return out;
}

/**
 * The table id of a record or index key (the caller has checked it starts with `t` and is long
 * enough), as a number when safe, else a bigint. No allocation for ordinary ids.
 */
export function tableIdOfKey(key: Uint8Array): number | bigint {
  const hi = ((key[1] << 24) | (key[2] << 16) | (key[3] << 8) | key[4]) ^ 0x8000_0000;
  const lo = ((key[5] << 24) | (key[6] << 16) | (key[7] << 8) | key[8]) >>> 0;
  if (hi >= -0x20_0000 && hi < 0x20_0000) return hi * 4_294_967_296 + lo;
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo));
}

/**
 * The batch loop shared by the table and index scans (TiKV `ScanExecutor`): each `nextBatch`
 * reads at most `scanRows` pairs through a {@link RangesScanner} and hands each to
 * {@link processKvPair}, then takes the columns built. A decoding or storage error ends the
 * executor and is thrown (the rows decoded before it in that batch are dropped; TiKV returns them
 * with the error, which the runner then discards).
 */
export abstract class ScanExecutor implements BatchExecutor {
  protected readonly ctx: EvalContext;
  private readonly storage: Storage;
  private readonly scanner: RangesScanner;
  private ended = false;
  private readonly pair: RangePair = newRangePair();
  private readonly block: RangeBlock = newRangeBlock(BATCH_MAX_SIZE);

  protected constructor(
    storage: Storage,
    ctx: EvalContext,
    ranges: readonly KeyRange[],
    desc: boolean,
    acceptPointRange: boolean,
  ) {
    checkTableRanges(ranges);
    this.ctx = ctx;
    this.storage = storage;
    this.scanner = new RangesScanner(storage, desc ? [...ranges].reverse() : ranges, desc, acceptPointRange);
  }

  abstract schema(): readonly FieldType[];

  /** Decodes one pair into the columns being built. May leave them uneven when it throws. */
  protected abstract processKvPair(key: Uint8Array, value: Uint8Array): void;

  /**
   * {@link processKvPair} of a pair given as byte ranges (valid during the call only); a scan
   * that can read the ranges in place overrides it.
   */
  protected processKvRange(p: RangePair): void {
    this.processKvPair(
      viewOf(p.keyBytes, p.keyStart, p.keyEnd),
      viewOf(p.valueBytes, p.valueStart, p.valueEnd),
    );
  }

  /**
   * {@link processKvRange} of the `count` pairs of `block` (see {@link RangeBlock}), in order; a
   * scan that can decode many rows in one call overrides it.
   */
  protected processKvBlock(block: RangeBlock, count: number): void {
    const pair = this.pair;
    const pos = block.pos;
    const v = block.valueAt;
    pair.keyBytes = block.keyBytes;
    pair.valueBytes = block.valueBytes;
    pair.stable = block.stable;
    for (let j = 0, k = block.base; j < count; j++, k += block.stride) {
      pair.keyStart = pos[k]!;
      pair.keyEnd = pos[k + 1]!;
      pair.valueStart = pos[k + v]!;
      pair.valueEnd = pos[k + v + 1]!;
      this.processKvRange(pair);
    }
  }

  /** The columns of the pairs processed since the last call; the builders restart empty. */
  protected abstract takeColumns(): Column[];

  /** {@link takeColumns}, with the columns left undecoded if the scan defers some. */
  protected takeBatch(): { columns: Column[]; lazy: LazyColumns | null } {
    return { columns: this.takeColumns(), lazy: null };
  }

  nextBatch(scanRows: number): BatchExecuteResult {
    assert(!this.ended, "scan executor: nextBatch after the last batch");
    assert(scanRows > 0, "scan executor: scanRows must be positive");
    let drained = false;
    try {
      const block = this.block;
      // Pairs a block at a time (many per call from an in-memory arena, else one).
      for (let got = 0; got < scanRows; ) {
        const c = this.scanner.nextBlock(block, scanRows - got, true);
        if (c === 0) {
          drained = true;
          break;
        }
        this.processKvBlock(block, c);
        got += c;
      }
    } catch (e) {
      this.ended = true;
      throw e;
    }
    const { columns, lazy } = this.takeBatch();
    if (drained) this.ended = true;
    const warnings = this.ctx.warnings.count > 0 ? this.ctx.takeWarnings() : null;
    const isDrained = drained ? Drain.Drain : Drain.Remain;
    return lazy === null
      ? { columns, logicalRows: null, warnings, isDrained }
      : { columns, logicalRows: null, warnings, isDrained, lazy };
  }

  collectExecStats(dest: ExecuteStats): void {
    this.scanner.collectScannedRowsPerRange(dest.scannedRowsPerRange);
  }

  takeScannedRange(): IntervalRange {
    return this.scanner.takeScannedRange();
  }

  /** Rows read so far (TiKV `peek_scanned_rows_sum`). */
  scannedRowsSum(): number {
    return this.scanner.scannedRowsSum();
  }

  canBeCached(): boolean {
    // TiKV: cacheable only when the storage can tell it met no uncacheable (newer, uncommitted)
    // data. The Storage interface has no such query yet; a storage may offer one.
    const s = this.storage as Storage & { metUncacheableData?: () => boolean | null };
    return typeof s.metUncacheableData === "function" && s.metUncacheableData() === false;
  }
}
