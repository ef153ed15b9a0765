// The table scan: reads the records of a table in the request's key ranges and decodes the
// requested columns. Behaviour of TiKV components/tidb_query_executors/src/table_scan_executor.rs.
//
// Each column of the schema comes from one place, decided once:
//   - the int handle in the record key (`pk_handle` columns, and `_tidb_rowid`, id -1);
//   - the common handle in the record key (primary-key columns of a clustered table, except
//     prefix columns and strings that need restored data, which only the row value has);
//   - the physical table id in the key (id -3);
//   - the row value (row format v2 or v1), or the column's default when the row lacks it.
import {
  ByteReader,
  columnDefaultValue,
  DatumColumnDecoder,
  decodeCommonHandle,
  decodeIntHandleWords,
  decodeIntHandleWordsAt,
  isRecordKey,
  lastIntHandleHi,
  RowV2BatchDecoder,
  type RowV2ColumnSpec,
  skipDatum,
} from "@copr/codec";
import {
  BATCH_MAX_SIZE,
  type ChunkedVecIntBuilder,
  CodecError,
  type Column,
  type EvalContext,
  EvalType,
  evalTypeOf,
  type FieldType,
  needRestoredData,
  UnsupportedError,
} from "@copr/datatype";
import type { tipb } from "@copr/proto";
import type { BatchExecuteResult, LazyColumns } from "./interface.js";
import {
  EXTRA_COMMIT_TS_COL_ID,
  EXTRA_HANDLE_ID,
  EXTRA_PHYSICAL_TABLE_ID_COL_ID,
  fieldTypeFromColumnInfo,
  type Int64Like,
  int64ToNumber,
  ScanExecutor,
  tableIdOfKey,
} from "./scan-ranges.js";
import type { KeyRange, RangeBlock, RangePair, Storage } from "./storage.js";

/** What a table scan reads (the fields of `tipb.TableScan` it uses, and the request's ranges). */
export interface TableScanOptions {
  /** The columns to output, in order (`TableScan.columns`). */
  columns: readonly tipb.ColumnInfo.$Properties[];
  /** Key ranges of record keys, ascending and disjoint (`coprocessor.Request.ranges`). */
  ranges: readonly KeyRange[];
  /** Read the ranges in descending key order (`TableScan.desc`). */
  desc?: boolean;
  /** Column ids of the clustered (common-handle) primary key, in key order (`TableScan.primary_column_ids`). */
  primaryColumnIds?: readonly Int64Like[];
  /** Primary-key columns indexed by a prefix only (`TableScan.primary_prefix_column_ids`). */
  primaryPrefixColumnIds?: readonly Int64Like[];
  /**
   * Output columns (by index) to leave undecoded in each batch, kept as raw value bytes and
   * decoded on demand through {@link BatchExecuteResult.lazy} (TiKV `LazyBatchColumn`). Only for
   * a consumer that decodes them (the DAG builder sets it for a Selection right above the scan);
   * columns not read from the row value are always decoded.
   */
  deferColumns?: readonly boolean[];
  /**
   * Reuse the decoded columns' value buffers batch after batch (no fresh memory per batch): a
   * batch's columns then stay intact while the next batch is read, and may change after. Only for
   * consumers that are done with each batch before asking for the next (the DAG builder sets it
   * when only Selections stand between the scan and an aggregation).
   */
  recycleBuffers?: boolean;
}

/**
 * TiKV `BatchTableScanExecutor` over a {@link Storage}. Each batch holds one row per record read,
 * the columns in the order of `columns`. A value is decoded with one {@link RowV2BatchDecoder}
 * (row format v2 or v1), reading only the requested columns; missing ones take the column's
 * `default_val`, else NULL, and a NOT NULL column with neither is a CodecError ("missing data for
 * NOT NULL column"). Point ranges (`end` = prefixNext(`start`)) are read with `storage.get` when
 * the table has int handles, as TiKV does. A key that is not a record key (or whose handle does
 * not match the table's handle kind) is a CodecError.
 */
export class BatchTableScanExecutor extends ScanExecutor {
  private readonly fieldTypes: FieldType[];
  private readonly decoder: RowV2BatchDecoder;
  private readonly intHandle: boolean;
  /** For a clustered table: per primary-key datum of the key, the decoder filling it, or null to skip it. */
  private readonly commonHandleDecoders: (DatumColumnDecoder | null)[] | null;
  private readonly tableIdBuilders: ChunkedVecIntBuilder[];
  private readonly commitTsColumn: boolean;
  /** Whether batches leave some columns undecoded (`deferColumns`). */
  private readonly lazy: boolean;

  constructor(storage: Storage, ctx: EvalContext, options: TableScanOptions) {
    const primaryIds = (options.primaryColumnIds ?? []).map((v) => int64ToNumber(v, "primary column id"));
    const prefixIds = new Set(
      (options.primaryPrefixColumnIds ?? []).map((v) => int64ToNumber(v, "primary prefix column id")),
    );
    // Common handles are never read by point gets (TiKV `accept_point_range: no_common_handle`).
    super(storage, ctx, options.ranges, options.desc === true, primaryIds.length === 0);

    const infos = options.columns;
    const ids = infos.map((ci) => int64ToNumber(ci.columnId, "column id"));
    this.fieldTypes = infos.map(fieldTypeFromColumnInfo);
    const isHandle = infos.map((ci, i) => ci.pkHandle === true || ids[i] === EXTRA_HANDLE_ID);
    // As TiKV's `column_id_index`: of two non-handle columns with one id, only the last is filled.
    const lastOfId = new Map<number, number>();
    for (let i = 0; i < infos.length; i++) if (!isHandle[i]) lastOfId.set(ids[i], i);
    const primarySet = new Set(primaryIds);

    const specs: RowV2ColumnSpec[] = [];
    const fromCommonHandle = new Map<number, number>();
    const tableIdCols: number[] = [];
    let commitTs = false;
    for (let i = 0; i < infos.length; i++) {
      const ft = this.fieldTypes[i];
      const id = ids[i];
      if (isHandle[i]) {
        if (evalTypeOf(ft) !== EvalType.Int) {
          throw new UnsupportedError(`handle column ${id} of type ${ft.tp} is not an integer column`);
        }
        specs.push({ id, ft, role: "pkHandle" });
        continue;
      }
      const last = lastOfId.get(id) === i;
      if (last && id === EXTRA_PHYSICAL_TABLE_ID_COL_ID) {
        if (evalTypeOf(ft) !== EvalType.Int) {
          throw new UnsupportedError(`physical table id column of type ${ft.tp} is not an integer column`);
        }
        specs.push({ id, ft, role: "external" });
        tableIdCols.push(i);
        continue;
      }
      if (last && id === EXTRA_COMMIT_TS_COL_ID) {
        specs.push({ id, ft, role: "external" });
        commitTs = true;
        continue;
      }
      if (last && primarySet.has(id) && !prefixIds.has(id) && !needRestoredData(ft)) {
        // The key's datum holds the whole value; TiKV reads it from the key when the row lacks
        // it, and TiDB does not store such columns in the rows of clustered tables.
        specs.push({ id, ft, role: "external" });
        fromCommonHandle.set(id, i);
        continue;
      }
      const spec: RowV2ColumnSpec = { id, ft };
      const def = columnDefaultValue(infos[i].defaultVal, ft, ctx);
      if (def !== undefined) spec.defaultValue = def;
      specs.push(spec);
    }
    const deferred = options.deferColumns ?? [];
    const recycle = options.recycleBuffers === true;
    this.decoder = new RowV2BatchDecoder(specs, {
      ctx,
      // TiKV's checks: each id list once, and the value ranges read (not every offset).
      checkOffsets: false,
      ...(deferred.includes(true) ? { deferred } : {}),
      // Builders sized for a full batch: they then take one allocation per few batches (or,
      // recycling, none).
      ...(deferred.includes(true) || recycle ? { capacity: BATCH_MAX_SIZE } : {}),
      ...(recycle ? { recycleBuffers: true } : {}),
    });
    this.lazy = deferred.includes(true);
    this.intHandle = isHandle.some((h) => h);
    const builders = this.decoder.builders;
    this.commonHandleDecoders =
      this.intHandle || primaryIds.length === 0
        ? null
        : primaryIds.map((id) => {
            const i = fromCommonHandle.get(id);
            return i === undefined ? null : new DatumColumnDecoder(this.fieldTypes[i], ctx, 0, builders[i]);
          });
    this.tableIdBuilders = tableIdCols.map((i) => builders[i] as ChunkedVecIntBuilder);
    this.commitTsColumn = commitTs;
  }

  schema(): readonly FieldType[] {
    return this.fieldTypes;
  }

  protected override processKvRange(p: RangePair): void {
    // The common cases read in place: no common handle, no extra key columns.
    if (this.commonHandleDecoders === null && this.tableIdBuilders.length === 0 && !this.commitTsColumn) {
      const kb = p.keyBytes;
      const ks = p.keyStart;
      if (this.intHandle) {
        const lo = decodeIntHandleWordsAt(kb, ks, p.keyEnd);
        this.decoder.appendRowRange(p.valueBytes, p.valueStart, p.valueEnd, lo, lastIntHandleHi(), p.stable);
        return;
      }
      // As isRecordKey: `t{table id}_r`.
      if (isRecordPrefix(kb, ks, p.keyEnd)) {
        this.decoder.appendRowRange(p.valueBytes, p.valueStart, p.valueEnd, 0, 0, p.stable);
        return;
      }
    }
    super.processKvRange(p);
  }

  protected override processKvBlock(block: RangeBlock, count: number): void {
    // Rows without handle or extra key columns: the whole block in one call, once every key is
    // a record key (`t{table id}_r`, as isRecordKey); else pair by pair (which reports a bad key).
    if (
      count > 1 &&
      !this.intHandle &&
      this.commonHandleDecoders === null &&
      this.tableIdBuilders.length === 0 &&
      !this.commitTsColumn &&
      allRecordKeys(block, count)
    ) {
      this.decoder.appendRowRanges(
        block.valueBytes,
        block.pos,
        block.base + block.valueAt,
        block.stride,
        count,
        block.stable,
      );
      return;
    }
    super.processKvBlock(block, count);
  }

  protected processKvPair(key: Uint8Array, value: Uint8Array): void {
    const dec = this.decoder;
    if (this.intHandle) {
      const lo = decodeIntHandleWords(key);
      dec.appendRowWithHandleWords(value, lo, lastIntHandleHi());
    } else {
      const chDecoders = this.commonHandleDecoders;
      if (chDecoders !== null) {
        const handle = decodeCommonHandle(key);
        const r = new ByteReader(handle, "common handle");
        for (let j = 0; j < chDecoders.length; j++) {
          if (r.remaining === 0) {
            throw new CodecError(
              "common handle",
              `the handle has ${j} of ${chDecoders.length} primary key columns`,
            );
          }
          const d = chDecoders[j];
          if (d === null) skipDatum(r);
          else d.decode(r);
        }
      } else if (!isRecordKey(key)) {
        throw new CodecError("table scan", `record key expected, got ${hexOf(key)}`);
      }
      dec.appendRow(value);
    }
    const tableIdBuilders = this.tableIdBuilders;
    if (tableIdBuilders.length > 0) {
      const tableId = tableIdOfKey(key);
      for (let j = 0; j < tableIdBuilders.length; j++) tableIdBuilders[j].append(tableId);
    }
    if (this.commitTsColumn) {
      // TiKV loads commit timestamps from MVCC; the Storage interface does not provide them.
      throw new UnsupportedError("Query asks for _tidb_commit_ts, but the data is missing");
    }
  }

  protected takeColumns(): Column[] {
    return this.decoder.finish();
  }

  protected override takeBatch(): { columns: Column[]; lazy: LazyColumns | null } {
    if (!this.lazy) return { columns: this.decoder.finish(), lazy: null };
    const { columns, deferred } = this.decoder.finishLazy();
    return { columns, lazy: deferred };
  }
}

/**
 * Whether every key of the block's first `count` pairs starts as a record key does (`t`, the
 * table id, `_r`). Keys come in order, so when the first and the last share those 11 bytes, every
 * key between them does too: two keys are checked, not every one.
 */
function allRecordKeys(block: RangeBlock, count: number): boolean {
  const kb = block.keyBytes;
  const pos = block.pos;
  const first = pos[block.base]!;
  const last = pos[block.base + (count - 1) * block.stride]!;
  if (!isRecordPrefixAt(block, 0) || !isRecordPrefixAt(block, count - 1)) return false;
  for (let i = 1; i < RECORD_PREFIX_LEN; i++) if (kb[first + i] !== kb[last + i]) return false;
  return true;
}

/** Whether pair `j`'s key starts as a record key does. */
function isRecordPrefixAt(block: RangeBlock, j: number): boolean {
  const k = block.base + j * block.stride;
  return isRecordPrefix(block.keyBytes, block.pos[k]!, block.pos[k + 1]!);
}

/** Whether the key at `b[start .. end)` starts as a record key does (as isRecordKey, in place). */
function isRecordPrefix(b: Uint8Array, start: number, end: number): boolean {
  return (
    end - start >= RECORD_PREFIX_LEN && b[start] === 0x74 && b[start + 9] === 0x5f && b[start + 10] === 0x72
  );
}

/** `t`, the 8-byte table id, `_r`. */
const RECORD_PREFIX_LEN = 11;

function hexOf(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}
