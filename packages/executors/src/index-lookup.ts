// The IndexLookUp executor: reads index entries through its index-side child, then looks the rows
// up by handle in the table, region by region; index rows whose handles live in a region this node
// does not serve go back to TiDB through an intermediate output channel. Behaviour of TiKV
// components/tidb_query_executors/src/index_lookup_executor.rs.
import {
  ByteReader,
  encodeCommonHandleRecordKey,
  encodeRecordKey,
  prefixNext,
  skipDatum,
  splitIndexValue,
} from "@copr/codec";
import {
  type ChunkedVecInt,
  type Column,
  type EvalContext,
  EvalType,
  EvalWarnings,
  emptyColumn,
  type FieldType,
  FieldTypeTp,
  fieldTypeTpName,
  logicalRowCount,
} from "@copr/datatype";
import { ExprError } from "@copr/expr";
import { type tipb, toBigInt } from "@copr/proto";
import { BatchIndexScanExecutor, type IndexScanOptions } from "./index-scan.js";
import {
  type BatchExecuteResult,
  type BatchExecutor,
  Drain,
  type ExecuteStats,
  type IntervalRange,
} from "./interface.js";
import {
  EXTRA_PARTITION_ID_COL_ID,
  EXTRA_PHYSICAL_TABLE_ID_COL_ID,
  fieldTypeFromColumnInfo,
  type Int64Like,
  int64ToNumber,
} from "./scan-ranges.js";
import { compareKeys, type KeyRange, type Storage } from "./storage.js";
import {
  type BatchExecutorWithSummary,
  type ExecSummary,
  type ExecuteStatsWithSummaries,
  emptyExecSummary,
  type SummaryClock,
  withSummary,
} from "./summary.js";
import { BatchTableScanExecutor } from "./table-scan.js";

// ---------------------------------------------------------------------------------------------
// Regions

/**
 * A region of the key space (TiKV `metapb::Region`), with raw keys: `[start, end)`, an empty `end`
 * being unbounded. (TiKV compares MVCC-encoded keys; raw keys sort the same way.)
 */
export interface RegionInfo {
  /** The region id, for the accessor's own use. */
  readonly id?: number;
  readonly start: Uint8Array;
  readonly end: Uint8Array;
}

/** What {@link RegionStorageAccessor.findRegionByKey} answers (TiKV `FindRegionResult`). */
export type FindRegionResult =
  /** The region holding the key; only a leader's data is read here. */
  | { readonly found: true; readonly region: RegionInfo; readonly leader: boolean }
  /**
   * No local region holds the key; `nextRegionStart` is the start of the next local region after
   * it (null: none), so the keys before it need not be asked about one by one.
   */
  | { readonly found: false; readonly nextRegionStart: Uint8Array | null };

/**
 * The regions this node serves and their data (TiKV `RegionStorageAccessor`). Either method may
 * throw: as in TiKV, the rows concerned are then sent back to TiDB instead of being looked up.
 */
export interface RegionStorageAccessor {
  /** The local region holding the raw `key` (TiKV `find_region_by_key`). */
  findRegionByKey(key: Uint8Array): FindRegionResult;
  /** A storage reading `region` at the request's snapshot (TiKV `get_local_region_storage`). */
  getLocalRegionStorage(region: RegionInfo, ranges: readonly KeyRange[]): Storage;
}

const EMPTY_KEY = new Uint8Array(0);
const WHOLE_KEY_SPACE: RegionInfo = { start: EMPTY_KEY, end: EMPTY_KEY };

/** An accessor for which `storage` is one leader region covering every key. */
export function wholeStorageAccessor(storage: Storage): RegionStorageAccessor {
  return {
    findRegionByKey: () => ({ found: true, region: WHOLE_KEY_SPACE, leader: true }),
    getLocalRegionStorage: () => storage,
  };
}

/** A local region and its data, for {@link regionsAccessor}. */
export interface LocalRegion extends RegionInfo {
  readonly storage: Storage;
  /** Whether this node leads the region (default true); a follower's rows go back to TiDB. */
  readonly leader?: boolean;
}

/**
 * An accessor over a fixed list of local regions (sorted by start, not overlapping; a RangeError
 * otherwise). A key in no region is answered with the next region's start, as TiKV's
 * `seek_region` does.
 */
export function regionsAccessor(regions: readonly LocalRegion[]): RegionStorageAccessor {
  for (let i = 0; i < regions.length; i++) {
    const r = regions[i]!;
    if (r.end.length > 0 && compareKeys(r.start, r.end) >= 0) {
      throw new RangeError(`region ${i} is empty or reversed`);
    }
    const next = regions[i + 1];
    if (next !== undefined && (r.end.length === 0 || compareKeys(r.end, next.start) > 0)) {
      throw new RangeError(`regions ${i} and ${i + 1} overlap or are not sorted`);
    }
  }
  return {
    findRegionByKey(key) {
      // The first region ending after the key.
      let lo = 0;
      let hi = regions.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const end = regions[mid]!.end;
        if (end.length === 0 || compareKeys(end, key) > 0) hi = mid;
        else lo = mid + 1;
      }
      const r = regions[lo];
      if (r === undefined) return { found: false, nextRegionStart: null };
      if (compareKeys(r.start, key) > 0) return { found: false, nextRegionStart: r.start };
      return { found: true, region: r, leader: r.leader !== false };
    },
    getLocalRegionStorage(region) {
      const local = regions.find((r) => r === region);
      if (local === undefined) throw new ExprError("region is not local");
      return local.storage;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Common handles carried from the index scan

/**
 * The key-encoded common handle of each physical row of an index scan's batch, keyed by the
 * batch's column array (TiKV's `extra_common_handle_keys` of `LazyBatchColumnVec`). Selection and
 * Limit pass that array through unchanged, so the handles reach the IndexLookUp above them.
 */
const commonHandleKeys = new WeakMap<readonly Column[], Uint8Array[]>();

/** Offset of the first indexed datum in an index key: `t`, table id, `_i`, index id. */
const INDEX_KEY_PAYLOAD_AT = 19;

/**
 * An index scan that also records each entry's common handle for the IndexLookUp above it
 * (TiKV's index scan with `fill_extra_common_handle_key`): the value's common-handle segment of a
 * unique index, else the key's bytes after the indexed columns.
 */
export class IndexScanWithCommonHandles extends BatchIndexScanExecutor {
  private pending: Uint8Array[] = [];
  private readonly indexedCount: number;

  constructor(storage: Storage, ctx: EvalContext, options: IndexScanOptions) {
    super(storage, ctx, options);
    const ids = options.columns.map((ci) => int64ToNumber(ci.columnId, "column id"));
    const n = ids.length;
    const ptid = n > 0 && ids[n - 1] === EXTRA_PHYSICAL_TABLE_ID_COL_ID ? 1 : 0;
    const pid = n - 1 - ptid >= 0 && ids[n - 1 - ptid] === EXTRA_PARTITION_ID_COL_ID ? 1 : 0;
    // The base class has checked that the handle columns fit.
    this.indexedCount = n - (options.primaryColumnIds?.length ?? 0) - pid - ptid;
  }

  protected override processKvPair(key: Uint8Array, value: Uint8Array): void {
    super.processKvPair(key, value);
    const segment = value.length > 9 ? splitIndexValue(value).commonHandle : undefined;
    if (segment !== undefined) {
      this.pending.push(segment.slice());
      return;
    }
    const r = new ByteReader(key, "index key", INDEX_KEY_PAYLOAD_AT);
    for (let i = 0; i < this.indexedCount; i++) skipDatum(r);
    this.pending.push(key.slice(r.pos));
  }

  protected override takeColumns(): Column[] {
    const columns = super.takeColumns();
    if (this.pending.length > 0) {
      commonHandleKeys.set(columns, this.pending);
      this.pending = [];
    }
    return columns;
  }
}

// ---------------------------------------------------------------------------------------------
// Handles

/** Where the handle is in the index side's rows (TiKV `IndexLayout`). */
export interface IndexLayout {
  readonly handleTypes: readonly FieldType[];
  readonly handleOffsets: readonly number[];
}

/** Int handles or common handles (TiKV's `IntHandle` / `CommonHandle` `RowHandle`s). */
export type HandleKind = "int" | "common";

const INT_HANDLE_TYPES: ReadonlySet<number> = new Set([
  FieldTypeTp.Tiny,
  FieldTypeTp.Short,
  FieldTypeTp.Long,
  FieldTypeTp.LongLong,
  FieldTypeTp.Int24,
]);

/** The handles of a set of index batches, flat: one entry per logical row. */
interface Handles {
  readonly count: number;
  /** Entry → batch index, logical row index, physical row. */
  readonly batchOf: Uint32Array;
  readonly logicalOf: Uint32Array;
  readonly physicalOf: Uint32Array;
  /** The entries in ascending handle order (ties by position). */
  readonly order: Uint32Array;
  rowKey(entry: number, tableId: number | bigint): Uint8Array;
  /** The end of the point range of the entry whose row key is `key`. */
  pointEnd(entry: number, key: Uint8Array): Uint8Array;
  /** The handle of `entry` is the one right after that of `prev` (int handles only). */
  isNextOf(entry: number, prev: number): boolean;
  /** The handle of `entry`, for tests and messages. */
  handleOf(entry: number): bigint | Uint8Array;
}

function physicalLen(columns: readonly Column[]): number {
  return columns.length > 0 ? columns[0]!.length : 0;
}

/** Entry positions of every logical row of `results`. */
function positions(results: readonly BatchExecuteResult[]) {
  let count = 0;
  for (const r of results) count += logicalRowCount(r.logicalRows, physicalLen(r.columns));
  const batchOf = new Uint32Array(count);
  const logicalOf = new Uint32Array(count);
  const physicalOf = new Uint32Array(count);
  let e = 0;
  for (let b = 0; b < results.length; b++) {
    const r = results[b]!;
    const rows = r.logicalRows;
    const n = logicalRowCount(rows, physicalLen(r.columns));
    for (let k = 0; k < n; k++, e++) {
      batchOf[e] = b;
      logicalOf[e] = k;
      physicalOf[e] = rows === null ? k : rows[k]!;
    }
  }
  return { count, batchOf, logicalOf, physicalOf };
}

function checkHandleOffsets(results: readonly BatchExecuteResult[], layout: IndexLayout): void {
  for (const r of results) {
    for (const off of layout.handleOffsets) {
      if (off >= r.columns.length) {
        throw new ExprError(`Invalid handle offset ${off} for result columns len: ${r.columns.length}`);
      }
    }
  }
}

/** Int handles (TiKV `IntHandle::from_lazy_batch_column_vec`): one int column, no NULL. */
function intHandles(results: readonly BatchExecuteResult[], layout: IndexLayout): Handles {
  if (layout.handleOffsets.length !== 1 || layout.handleTypes.length !== 1) {
    throw new ExprError(
      `The IntHandle columns len should be 1, but got col_offsets: ${layout.handleOffsets.length}, col_types: ${layout.handleTypes.length}`,
    );
  }
  const off = layout.handleOffsets[0]!;
  const tp = layout.handleTypes[0]!.tp;
  if (!INT_HANDLE_TYPES.has(tp)) {
    throw new ExprError(`The column type for IntHandle should be int types, but got ${fieldTypeTpName(tp)}`);
  }
  const pos = positions(results);
  const cols: ChunkedVecInt[] = [];
  let wide = false;
  for (const r of results) {
    const col = r.columns[off]!;
    if (col.evalType !== EvalType.Int) {
      throw new ExprError(`column ${off} is not valid, col_type: ${col.evalType}, expect Int`);
    }
    const c = col as ChunkedVecInt;
    if (c.data.repr === "i64") wide = true;
    cols.push(c);
  }
  // Handles that all fit a double are kept as numbers: no bigint per row.
  const values = wide ? new BigInt64Array(pos.count) : new Float64Array(pos.count);
  for (let e = 0; e < pos.count; e++) {
    const c = cols[pos.batchOf[e]!]!;
    const row = pos.physicalOf[e]!;
    if (c.nullCount > 0 && c.isNull(row)) {
      throw new ExprError(
        `column ${off} at row ${row} is not valid, col_type: Int, expect Int, but is other type or None`,
      );
    }
    const d = c.data;
    if (wide) {
      (values as BigInt64Array)[e] = d.repr === "i64" ? d.values[row]! : BigInt(d.values[row]!);
    } else {
      (values as Float64Array)[e] = d.values[row] as number;
    }
  }
  const order = sortedOrder(pos.count, (a, b) => {
    const x = values[a]!;
    const y = values[b]!;
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  return {
    ...pos,
    order,
    rowKey: (e, tableId) => encodeRecordKey(tableId, values[e]!),
    pointEnd: (_e, key) => prefixNext(key),
    isNextOf: wide
      ? (e, prev) => (values as BigInt64Array)[e]! === (values as BigInt64Array)[prev]! + 1n
      : (e, prev) => (values as Float64Array)[e]! === (values as Float64Array)[prev]! + 1,
    handleOf: (e) => BigInt(values[e]!),
  };
}

/** Common handles (TiKV `CommonHandle::from_lazy_batch_column_vec`): the index scan's handle keys. */
function commonHandles(results: readonly BatchExecuteResult[]): Handles {
  const pos = positions(results);
  const keys: Uint8Array[] = new Array(pos.count);
  for (let b = 0, e = 0; b < results.length; b++) {
    const r = results[b]!;
    const n = logicalRowCount(r.logicalRows, physicalLen(r.columns));
    if (n === 0) continue;
    const batchKeys = commonHandleKeys.get(r.columns);
    if (batchKeys === undefined) throw new ExprError("The extra common handle keys are not valid");
    for (let k = 0; k < n; k++, e++) {
      const row = pos.physicalOf[e]!;
      if (row >= batchKeys.length) {
        throw new ExprError(`Row offset: ${row} exceeds the keys len: ${batchKeys.length}`);
      }
      const key = batchKeys[row]!;
      if (key.length === 0) {
        throw new ExprError(`The extra common handle key at row offset ${row} is empty`);
      }
      keys[e] = key;
    }
  }
  const order = sortedOrder(pos.count, (a, b) => compareKeys(keys[a]!, keys[b]!) || a - b);
  return {
    ...pos,
    order,
    rowKey: (e, tableId) => encodeCommonHandleRecordKey(tableId, keys[e]!),
    pointEnd: (_e, key) => {
      const end = new Uint8Array(key.length + 1);
      end.set(key);
      return end;
    },
    isNextOf: () => false,
    handleOf: (e) => keys[e]!,
  };
}

function sortedOrder(n: number, cmp: (a: number, b: number) => number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort(cmp);
}

// ---------------------------------------------------------------------------------------------
// Table tasks

/** A table scan to run: over `storage`, the row-key ranges of some handles (TiKV `TableTask`). */
export interface TableTask {
  readonly storage: Storage;
  readonly keyRanges: KeyRange[];
}

/** Table tasks made of buffered index rows (TiKV `TableTaskIterator`). */
export interface TableTaskIterator {
  /** The next task, or null when there is none left. */
  next(): TableTask | null;
  /** The index rows no task covers (for TiDB to look up), once the tasks are done. */
  takeLeftResults(): BatchExecuteResult[];
}

/** Makes a {@link TableTaskIterator} of buffered index rows (TiKV `TableTaskIterBuilder`). */
export interface TableTaskIterBuilder {
  buildIterator(ctx: EvalContext, results: BatchExecuteResult[]): TableTaskIterator;
}

/**
 * The index rows grouped into table tasks by region (TiKV `AccessorTableTaskIterator`): handles
 * are sorted; from the first one not yet handled, the region of its row key is found, and every
 * following handle whose row key is before that region's end joins it. Handles of a local leader
 * region become point ranges (consecutive int handles merged into one range; the last range
 * clipped to the region's end) read by one table scan; the others go back to TiDB.
 */
export class AccessorTableTaskIterator implements TableTaskIterator {
  private readonly handles: Handles;
  private cursor = 0;
  /** Per batch, the physical rows no task covers (1), allocated at the first such row. */
  private left: (Uint8Array | null)[] | null = null;

  constructor(
    private readonly tableId: number | bigint,
    private readonly accessor: RegionStorageAccessor,
    layout: IndexLayout,
    kind: HandleKind,
    private readonly results: BatchExecuteResult[],
  ) {
    checkHandleOffsets(results, layout);
    this.handles = kind === "int" ? intHandles(results, layout) : commonHandles(results);
  }

  /** True when every handle has been handed to a task or left for TiDB. */
  isExhausted(): boolean {
    return this.cursor >= this.handles.count;
  }

  /** How many handles (in order) have been dealt with. */
  get position(): number {
    return this.cursor;
  }

  /** The `i`-th handle in order: its batch, logical row and value (for tests). */
  handleAt(i: number): { batch: number; logicalRow: number; handle: bigint | Uint8Array } {
    const h = this.handles;
    const e = h.order[i]!;
    return { batch: h.batchOf[e]!, logicalRow: h.logicalOf[e]!, handle: h.handleOf(e) };
  }

  next(): TableTask | null {
    while (!this.isExhausted()) {
      const task = this.nextTask();
      if (task !== null) return task;
    }
    return null;
  }

  /**
   * The next group of handles (TiKV `next_task`): a task when they are in a local leader region,
   * else null with the group left for TiDB. Null does not mean the end: see {@link isExhausted}.
   */
  nextTask(): TableTask | null {
    if (this.isExhausted()) return null;
    const h = this.handles;
    const first = h.order[this.cursor]!;
    const firstKey = h.rowKey(first, this.tableId);
    let found: FindRegionResult;
    try {
      found = this.accessor.findRegionByKey(firstKey);
    } catch {
      // As TiKV: a lookup failure sends the handle back to TiDB.
      this.advance(1, false);
      return null;
    }
    let region: RegionInfo | null = null;
    let end: Uint8Array;
    const ranges: KeyRange[] = [];
    if (found.found) {
      end = found.region.end;
      if (found.leader) {
        region = found.region;
        ranges.push({ start: firstKey, end: h.pointEnd(first, firstKey) });
      }
    } else {
      end = found.nextRegionStart ?? EMPTY_KEY;
    }
    let scanned = 1;
    let prev = first;
    for (let i = this.cursor + 1; i < h.count; i++) {
      const e = h.order[i]!;
      const key = h.rowKey(e, this.tableId);
      if (end.length > 0 && compareKeys(key, end) >= 0) break;
      if (region !== null) {
        const pointEnd = h.pointEnd(e, key);
        if (h.isNextOf(e, prev)) {
          const last = ranges[ranges.length - 1]!;
          ranges[ranges.length - 1] = { start: last.start, end: pointEnd };
        } else {
          ranges.push({ start: key, end: pointEnd });
        }
      }
      scanned++;
      prev = e;
    }
    // A point range may end after the region (an int handle's range ends at the next handle's
    // key, the region possibly at this key + 0x00): clip it to the region.
    const last = ranges[ranges.length - 1];
    if (last !== undefined && end.length > 0 && compareKeys(last.end, end) > 0) {
      ranges[ranges.length - 1] = { start: last.start, end };
    }
    let task: TableTask | null = null;
    if (region !== null) {
      try {
        task = { storage: this.accessor.getLocalRegionStorage(region, ranges), keyRanges: ranges };
      } catch {
        task = null;
      }
    }
    this.advance(scanned, task !== null);
    return task;
  }

  private advance(count: number, ok: boolean): void {
    if (count === 0 || this.results.length === 0) return;
    if (!ok) {
      const h = this.handles;
      const left = this.left ?? this.results.map(() => null);
      this.left = left;
      for (let i = this.cursor; i < this.cursor + count; i++) {
        const e = h.order[i]!;
        const b = h.batchOf[e]!;
        let flags = left[b];
        if (flags == null) {
          flags = new Uint8Array(physicalLen(this.results[b]!.columns));
          left[b] = flags;
        }
        flags[h.physicalOf[e]!] = 1;
      }
    }
    this.cursor += count;
  }

  /**
   * The index rows left for TiDB (TiKV `take_left_results`): each batch keeps, in their order,
   * the logical rows whose physical row was left; batches left with none are dropped.
   */
  takeLeftResults(): BatchExecuteResult[] {
    const left = this.left;
    if (left === null) return [];
    const out: BatchExecuteResult[] = [];
    for (let b = 0; b < this.results.length; b++) {
      const flags = left[b];
      if (flags == null) continue;
      const r = this.results[b]!;
      const rows = r.logicalRows;
      const n = logicalRowCount(rows, physicalLen(r.columns));
      const kept: number[] = [];
      for (let k = 0; k < n; k++) {
        const row = rows === null ? k : rows[k]!;
        if (flags[row] === 1) kept.push(row);
      }
      if (kept.length > 0) {
        out.push({
          columns: r.columns,
          logicalRows: Uint32Array.from(kept),
          warnings: null,
          isDrained: Drain.Remain,
        });
      }
    }
    return out;
  }
}

/** Builds {@link AccessorTableTaskIterator}s (TiKV `AccessorTableTaskIterBuilder`). */
export class AccessorTableTaskIterBuilder implements TableTaskIterBuilder {
  constructor(
    /** The physical table id of the rows. */
    readonly tableId: number | bigint,
    readonly accessor: RegionStorageAccessor,
    readonly layout: IndexLayout,
    readonly kind: HandleKind,
  ) {}

  buildIterator(_ctx: EvalContext, results: BatchExecuteResult[]): AccessorTableTaskIterator {
    return new AccessorTableTaskIterator(this.tableId, this.accessor, this.layout, this.kind, results);
  }
}

// ---------------------------------------------------------------------------------------------
// The executor

/** What the lookups read (the fields of the IndexLookUp's `tipb.TableScan` child it uses). */
export interface TableScanParams {
  readonly columns: readonly tipb.ColumnInfo.$Properties[];
  readonly primaryColumnIds: readonly Int64Like[];
  readonly primaryPrefixColumnIds: readonly Int64Like[];
}

/** Options of {@link BatchIndexLookUpExecutor}. */
export interface IndexLookUpOptions {
  ctx: EvalContext;
  tableScan: TableScanParams;
  /** Makes the table tasks; null: nothing is looked up here, every index row goes to TiDB. */
  builder: TableTaskIterBuilder | null;
  /** The index of this executor's intermediate output channel in the DAG request. */
  intermediateChannelIndex: number;
  /** The summary slot of the TableScan child, where the lookups' table scans are counted. */
  tableScanChildIndex: number;
  /** The request pages (`paging_size` > 0): no lookup here (TiKV `force_no_index_lookup`). */
  pagingSize?: number;
  /** The request has `max_keys_read`: no lookup here either. */
  maxKeysRead?: number;
  /** The clock of the lookups' table-scan summaries. */
  summaryClock?: SummaryClock;
}

const enum Phase {
  IndexScan = 0,
  TableLookUp = 1,
  Done = 2,
}

/** TiKV's largest batch: the index rows buffered before a lookup grow up to this many. */
const TABLE_LOOKUP_MAX_BATCH_SIZE = 1024;
const NO_ROWS = new Uint32Array(0);

/**
 * TiKV `BatchIndexLookUpExecutor`. It alternates two phases:
 * - index scan: batches of the index side are buffered (emitting empty batches) until they hold
 *   as many rows as the first `scanRows` asked for (doubling after each lookup, up to 1024), or
 *   the index side is drained;
 * - table lookup: the buffered rows are grouped into table tasks by region; each task's table
 *   scan is read to its end, its batches being this executor's output; the rows of no task are
 *   kept for the intermediate output channel.
 *
 * Output rows come task after task, each in row-key order (not index order: `keep_order` is
 * refused). Without a builder, or with paging or `max_keys_read`, nothing is looked up: every
 * index row goes to the intermediate output (TiKV `force_no_index_lookup`).
 */
export class BatchIndexLookUpExecutor implements BatchExecutor {
  readonly forceNoIndexLookup: boolean;
  private readonly ctx: EvalContext;
  private readonly outputSchema: FieldType[];
  private readonly emptyColumns: Column[];
  private readonly params: TableScanParams;
  private readonly builder: TableTaskIterBuilder | null;
  private readonly clock: SummaryClock | undefined;
  /** The channel this executor's intermediate results go to. */
  readonly intermediateChannelIndex: number;
  /** The summary slot of the TableScan child. */
  readonly tableScanChildIndex: number;

  private phase = Phase.IndexScan;
  private srcDrained = Drain.Remain;
  private buffered: BatchExecuteResult[] = [];
  private bufferedRows = 0;
  private tableLookupBatchSize = 0;
  private tableLookupMaxBatchSize = TABLE_LOOKUP_MAX_BATCH_SIZE;
  private taskIter: TableTaskIterator | null = null;
  private tableScan: BatchExecutorWithSummary | null = null;
  private tableScanSummary: ExecSummary = emptyExecSummary();
  private intermediateResults: BatchExecuteResult[] = [];

  constructor(
    /** The index side. */
    readonly src: BatchExecutor,
    options: IndexLookUpOptions,
  ) {
    this.ctx = options.ctx;
    this.params = options.tableScan;
    this.builder = options.builder;
    this.clock = options.summaryClock;
    this.intermediateChannelIndex = options.intermediateChannelIndex;
    this.tableScanChildIndex = options.tableScanChildIndex;
    // Under paging or max_keys_read the budgets would count only the index side; TiKV then sends
    // every index row back rather than looking up here.
    this.forceNoIndexLookup =
      (options.pagingSize ?? 0) > 0 || options.maxKeysRead !== undefined || options.builder === null;
    this.outputSchema = this.params.columns.map(fieldTypeFromColumnInfo);
    this.emptyColumns = this.outputSchema.map(emptyColumn);
  }

  schema(): readonly FieldType[] {
    return this.outputSchema;
  }

  /** The schema of intermediate channel `index`: the index side's for this executor's channel. */
  intermediateSchema(index: number): readonly FieldType[] {
    if (index === this.intermediateChannelIndex) return this.src.schema();
    const nested = this.src as Partial<IntermediateCapable>;
    if (typeof nested.intermediateSchema === "function") return nested.intermediateSchema(index);
    throw new ExprError(`The intermediate schema is not found until root executor, index: ${index}`);
  }

  /**
   * Moves the index rows kept for TiDB so far to `results[intermediateChannelIndex]` (TiKV
   * `consume_and_fill_intermediate_results`), then those of an IndexLookUp below, if any.
   */
  consumeAndFillIntermediateResults(results: BatchExecuteResult[][]): void {
    const dest = results[this.intermediateChannelIndex];
    if (dest === undefined) {
      throw new ExprError(
        `intermediate_channel_index ${this.intermediateChannelIndex} exceeds the bound: ${results.length}`,
      );
    }
    for (const r of this.intermediateResults) dest.push(r);
    this.intermediateResults = [];
    const nested = this.src as Partial<IntermediateCapable>;
    if (typeof nested.consumeAndFillIntermediateResults === "function") {
      nested.consumeAndFillIntermediateResults(results);
    }
  }

  nextBatch(scanRows: number): BatchExecuteResult {
    if (!(scanRows > 0)) throw new ExprError("scan_rows cannot be 0");
    switch (this.phase) {
      case Phase.IndexScan:
        return this.onIndexScan(scanRows);
      case Phase.TableLookUp:
        return this.onTableLookUp(scanRows);
      default:
        return this.empty(this.srcDrained, null);
    }
  }

  private empty(isDrained: Drain, warnings: EvalWarnings | null): BatchExecuteResult {
    return { columns: this.emptyColumns, logicalRows: NO_ROWS, warnings, isDrained };
  }

  private onIndexScan(scanRows: number): BatchExecuteResult {
    if (this.srcDrained !== Drain.Remain) {
      throw new ExprError("src is already drained, cannot continue index scan");
    }
    const result = this.src.nextBatch(scanRows);
    const drained = result.isDrained !== Drain.Remain;
    if (drained) this.srcDrained = result.isDrained;
    let warnings = result.warnings !== null && result.warnings.count > 0 ? result.warnings : null;
    const rows = logicalRowCount(result.logicalRows, physicalLen(result.columns));
    // Kept without its warnings and drain flag, which this call returns.
    const kept: BatchExecuteResult | null =
      rows > 0
        ? {
            columns: result.columns,
            logicalRows: result.logicalRows,
            warnings: null,
            isDrained: Drain.Remain,
          }
        : null;
    if (this.forceNoIndexLookup) {
      if (kept !== null) this.intermediateResults.push(kept);
      if (drained) this.phase = Phase.Done;
      return this.empty(result.isDrained, warnings);
    }
    if (kept !== null) {
      this.bufferedRows += rows;
      this.buffered.push(kept);
    }
    if (drained && this.buffered.length === 0) {
      this.phase = Phase.Done;
      return this.empty(result.isDrained, warnings);
    }
    if (this.tableLookupBatchSize === 0) this.tableLookupBatchSize = scanRows;
    if (drained || this.bufferedRows >= this.tableLookupBatchSize) {
      if (this.tableLookupBatchSize < this.tableLookupMaxBatchSize) {
        this.tableLookupBatchSize = Math.min(this.tableLookupBatchSize * 2, this.tableLookupMaxBatchSize);
      }
      warnings = this.stepToTableLookUp(warnings);
      return this.empty(Drain.Remain, warnings);
    }
    return this.empty(result.isDrained, warnings);
  }

  private stepToTableLookUp(warnings: EvalWarnings | null): EvalWarnings | null {
    const builder = this.builder;
    if (builder === null) throw new ExprError("No table task builder available for index lookup");
    const results = this.buffered;
    this.buffered = [];
    this.bufferedRows = 0;
    const before = this.ctx.warnings;
    this.ctx.warnings = new EvalWarnings(this.ctx.maxWarningCount);
    try {
      this.taskIter = builder.buildIterator(this.ctx, results);
    } finally {
      const raised = this.ctx.warnings;
      this.ctx.warnings = before;
      if (raised.count > 0) {
        if (warnings === null) warnings = raised;
        else warnings.merge(raised);
      }
    }
    this.phase = Phase.TableLookUp;
    this.tableScan = null;
    return warnings;
  }

  private finishTaskIter(): void {
    const iter = this.taskIter;
    this.taskIter = null;
    if (iter !== null) for (const r of iter.takeLeftResults()) this.intermediateResults.push(r);
  }

  private onTableLookUp(scanRows: number): BatchExecuteResult {
    let scan = this.tableScan;
    if (scan === null) {
      const task = this.taskIter!.next();
      if (task === null) {
        this.finishTaskIter();
        if (this.srcDrained !== Drain.Remain) {
          this.phase = Phase.Done;
          return this.empty(this.srcDrained, null);
        }
        this.phase = Phase.IndexScan;
        return this.empty(Drain.Remain, null);
      }
      const p = this.params;
      // The lookups need no order: read forward.
      const exec = new BatchTableScanExecutor(task.storage, this.ctx, {
        columns: p.columns,
        ranges: task.keyRanges,
        desc: false,
        primaryColumnIds: p.primaryColumnIds,
        primaryPrefixColumnIds: p.primaryPrefixColumnIds,
      });
      scan = withSummary(exec, 0, this.clock);
      this.tableScan = scan;
    }
    const result = scan.nextBatch(scanRows);
    if (result.isDrained === Drain.Remain) return result;
    this.collectTableScanSummary(scan, this.tableScanSummary);
    this.tableScan = null;
    return { ...result, isDrained: Drain.Remain };
  }

  private collectTableScanSummary(scan: BatchExecutorWithSummary, into: ExecSummary): void {
    const sink: ExecuteStatsWithSummaries = { scannedRowsPerRange: [], summaryPerExecutor: [] };
    scan.collectExecStats(sink);
    const s = sink.summaryPerExecutor[0]!;
    into.timeProcessedNs += s.timeProcessedNs;
    into.numProducedRows += s.numProducedRows;
    into.numIterations += s.numIterations;
  }

  /**
   * The index side's counters, and the lookups' table-scan summary into the TableScan child's
   * slot (when summaries are collected). As in TiKV, the rows the lookups read are not added to
   * the per-range counts.
   */
  collectExecStats(dest: ExecuteStats): void {
    this.src.collectExecStats(dest);
    const summary = this.tableScanSummary;
    this.tableScanSummary = emptyExecSummary();
    if (this.tableScan !== null) this.collectTableScanSummary(this.tableScan, summary);
    const list = (dest as Partial<ExecuteStatsWithSummaries>).summaryPerExecutor;
    if (list === undefined) return;
    while (list.length <= this.tableScanChildIndex) list.push(emptyExecSummary());
    const slot = list[this.tableScanChildIndex]!;
    slot.timeProcessedNs += summary.timeProcessedNs;
    slot.numProducedRows += summary.numProducedRows;
    slot.numIterations += summary.numIterations;
  }

  /** The index side's scanned range. */
  takeScannedRange(): IntervalRange {
    return this.src.takeScannedRange();
  }

  /** Never: the lookups read other regions than the request's, which the cache cannot track. */
  canBeCached(): boolean {
    return false;
  }

  /** @internal For tests: the phase, the buffered rows and the lookup batch size. */
  inspect(): {
    phase: "IndexScan" | "TableLookUp" | "Done";
    bufferedBatches: number;
    bufferedRows: number;
    tableLookupBatchSize: number;
    tableScanRunning: boolean;
    intermediateBatches: number;
  } {
    return {
      phase:
        this.phase === Phase.IndexScan
          ? "IndexScan"
          : this.phase === Phase.TableLookUp
            ? "TableLookUp"
            : "Done",
      bufferedBatches: this.buffered.length,
      bufferedRows: this.bufferedRows,
      tableLookupBatchSize: this.tableLookupBatchSize,
      tableScanRunning: this.tableScan !== null,
      intermediateBatches: this.intermediateResults.length,
    };
  }

  /** @internal For tests: sets the lookup batch size and its cap (TiKV's tests set them). */
  setTableLookupBatchSizes(size: number, max: number = this.tableLookupMaxBatchSize): void {
    this.tableLookupBatchSize = size;
    this.tableLookupMaxBatchSize = max;
  }
}

/** The intermediate-output methods an IndexLookUp (and anything passing them through) has. */
interface IntermediateCapable {
  intermediateSchema(index: number): readonly FieldType[];
  consumeAndFillIntermediateResults(results: BatchExecuteResult[][]): void;
}

/** Options of {@link buildIndexLookUpExecutor}. */
export interface BuildIndexLookUpOptions {
  ctx: EvalContext;
  /** The regions to look up in; null: none (every index row goes to TiDB). */
  accessor: RegionStorageAccessor | null;
  intermediateChannelIndex: number;
  tableScanChildIndex: number;
  pagingSize?: number;
  maxKeysRead?: number;
  summaryClock?: SummaryClock;
}

/**
 * Builds the executor from its descriptors (TiKV `build_index_lookup_executor`): `keep_order` is
 * refused; the handle is at `index_handle_offsets` of the index side's schema; a TableScan with
 * `primary_column_ids` has common handles, else int handles.
 */
export function buildIndexLookUpExecutor(
  src: BatchExecutor,
  indexLookUp: tipb.IndexLookUp.$Properties,
  tableScan: tipb.TableScan.$Properties,
  options: BuildIndexLookUpOptions,
): BatchIndexLookUpExecutor {
  if (indexLookUp.keepOrder === true) {
    throw new ExprError("IndexLookupExecutor does not support keep order currently");
  }
  const srcSchema = src.schema();
  const handleOffsets = indexLookUp.indexHandleOffsets ?? [];
  const handleTypes = handleOffsets.map((off) => {
    const ft = srcSchema[off];
    if (ft === undefined) {
      throw new ExprError(`Invalid handle offset ${off} for index schema len: ${srcSchema.length}`);
    }
    return ft;
  });
  const primaryColumnIds = tableScan.primaryColumnIds ?? [];
  const tableId = toBigInt(tableScan.tableId);
  const id =
    tableId >= -BigInt(Number.MAX_SAFE_INTEGER) && tableId <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(tableId)
      : tableId;
  const builder =
    options.accessor === null
      ? null
      : new AccessorTableTaskIterBuilder(
          id,
          options.accessor,
          { handleTypes, handleOffsets },
          primaryColumnIds.length > 0 ? "common" : "int",
        );
  return new BatchIndexLookUpExecutor(src, {
    ctx: options.ctx,
    tableScan: {
      columns: tableScan.columns ?? [],
      primaryColumnIds,
      primaryPrefixColumnIds: tableScan.primaryPrefixColumnIds ?? [],
    },
    builder,
    intermediateChannelIndex: options.intermediateChannelIndex,
    tableScanChildIndex: options.tableScanChildIndex,
    ...(options.pagingSize !== undefined ? { pagingSize: options.pagingSize } : {}),
    ...(options.maxKeysRead !== undefined ? { maxKeysRead: options.maxKeysRead } : {}),
    ...(options.summaryClock !== undefined ? { summaryClock: options.summaryClock } : {}),
  });
}
