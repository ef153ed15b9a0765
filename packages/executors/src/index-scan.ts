// The index scan: reads the entries of one index in the request's key ranges and decodes the
// indexed columns, the handle and the extra id columns. Behaviour of TiKV
// components/tidb_query_executors/src/index_scan_executor.rs.
//
// Columns, in the order TiDB sends them: the indexed columns; then the handle (one int handle
// column marked `pk_handle`, or the common handle's primary-key columns when
// `primary_column_ids` is not empty); then optionally the partition id (-2) and the physical
// table id (-3), in that order, last.
//
// Where each value comes from:
//   - an index value of at most 9 bytes (the old layout, TiKV `process_old_collation_kv`): the
//     indexed columns from the key; the handle from the key after them (non-unique), or from the
//     8-byte value (unique int handle);
//   - a longer value (TiKV `process_kv_general`), split with the codec's `splitIndexValue`: the
//     indexed columns from the key, or from restored data; the handle from the key, the value's
//     tail (unique int handle) or the value's common-handle segment (unique clustered); the
//     partition id from the value (or the key of a v2 global index).
//   Restored data comes in two forms: "V4" (layout version 0) holds every indexed column as a
//   row v2 value and replaces the key's datums; "V5" (layout version 1, clustered tables) holds
//   only the strings whose sort keys lose information: the original text, or for `_bin`
//   collations the number of trailing spaces the key dropped.
import {
  BYTES_FLAG,
  ByteReader,
  COMPACT_BYTES_FLAG,
  DatumColumnDecoder,
  INDEX_VALUE_PARTITION_ID_FLAG,
  INT_FLAG,
  i64WordsToBigInt,
  i64WordsToNumber,
  isIndexKey,
  MAX_OLD_ENCODED_VALUE_LEN,
  NIL_FLAG,
  RowV2BatchDecoder,
  RowV2Slice,
  readCompactBytes,
  readComparableBytes,
  skipDatum,
  splitIndexValue,
  UINT_FLAG,
} from "@copr/codec";
import {
  type ChunkedVecBytesBuilder,
  type ChunkedVecIntBuilder,
  CodecError,
  type Column,
  type ColumnBuilder,
  collationOf,
  columnBuilderFor,
  type EvalContext,
  EvalType,
  evalTypeOf,
  type FieldType,
  FieldTypeFlag,
  isBinCollation,
  needRestoredData,
  UnsupportedError,
} from "@copr/datatype";
import type { tipb } from "@copr/proto";
import {
  EXTRA_HANDLE_ID,
  EXTRA_PARTITION_ID_COL_ID,
  EXTRA_PHYSICAL_TABLE_ID_COL_ID,
  fieldTypeFromColumnInfo,
  type Int64Like,
  int64ToNumber,
  ScanExecutor,
  tableIdOfKey,
} from "./scan-ranges.js";
import type { KeyRange, Storage } from "./storage.js";

/** What an index scan reads (the fields of `tipb.IndexScan` it uses, and the request's ranges). */
export interface IndexScanOptions {
  /** The output columns (`IndexScan.columns`), in the order described in this module's header. */
  columns: readonly tipb.ColumnInfo.$Properties[];
  /** Key ranges of index keys, ascending and disjoint. */
  ranges: readonly KeyRange[];
  /** Read in descending key order (`IndexScan.desc`). */
  desc?: boolean;
  /**
   * Point ranges may be read with a get (`IndexScan.unique`): TiDB sets it for equality lookups
   * on a unique index.
   */
  unique?: boolean;
  /** The clustered primary key's column ids (`IndexScan.primary_column_ids`); only its length matters. */
  primaryColumnIds?: readonly Int64Like[];
}

/** How the handle columns are decoded (TiKV `DecodeHandleStrategy`). */
const enum HandleStrategy {
  None = 0,
  Int = 1,
  Common = 2,
}

/** Offset of the first indexed datum in an index key: `t`, table id, `_i`, index id. */
const KEY_PAYLOAD_AT = 19;
const FORMAT = "index scan";
const SPACE = 0x20;

/** One column filled from key-form datums, possibly restored from V5 restored data. */
interface DatumSlot {
  readonly decoder: DatumColumnDecoder;
  readonly builder: ColumnBuilder;
  readonly id: number;
  /** A string whose original value V5 restored data holds. */
  readonly restore: boolean;
  /** With `restore`: a `_bin` collation (the restored data is a count of trailing spaces). */
  readonly bin: boolean;
}

/**
 * TiKV `BatchIndexScanExecutor` over a {@link Storage}: one row per index entry read, columns in
 * the order of `columns`. Unique and non-unique indexes, int and common handles, restored data
 * of new collations, global-index partition ids and the physical table id column. Corrupt keys
 * or values are CodecErrors.
 */
export class BatchIndexScanExecutor extends ScanExecutor {
  private readonly fieldTypes: FieldType[];
  private readonly strategy: HandleStrategy;
  /** Decodes V4 restored data; its builders are the indexed columns' output builders. */
  private readonly restoredDecoder: RowV2BatchDecoder;
  private readonly indexSlots: DatumSlot[];
  private readonly handleSlots: DatumSlot[];
  private readonly intHandleBuilder: ChunkedVecIntBuilder | null;
  private readonly pidBuilder: ChunkedVecIntBuilder | null;
  private readonly tableIdBuilder: ChunkedVecIntBuilder | null;
  private scratch = new Uint8Array(64);

  constructor(storage: Storage, ctx: EvalContext, options: IndexScanOptions) {
    super(storage, ctx, options.ranges, options.desc === true, options.unique === true);
    const infos = options.columns;
    const n = infos.length;
    const ids = infos.map((ci) => int64ToNumber(ci.columnId, "column id"));
    this.fieldTypes = infos.map(fieldTypeFromColumnInfo);

    const ptidCnt = n > 0 && ids[n - 1] === EXTRA_PHYSICAL_TABLE_ID_COL_ID ? 1 : 0;
    const pidCnt = n - 1 - ptidCnt >= 0 && ids[n - 1 - ptidCnt] === EXTRA_PARTITION_ID_COL_ID ? 1 : 0;
    const h = n - 1 - pidCnt - ptidCnt;
    const isIntHandle = h >= 0 && (infos[h].pkHandle === true || ids[h] === EXTRA_HANDLE_ID);
    const primaryLen = options.primaryColumnIds?.length ?? 0;
    if (isIntHandle && primaryLen > 0) {
      throw new UnsupportedError("Both int handle and common handle are push downed");
    }
    this.strategy = isIntHandle
      ? HandleStrategy.Int
      : primaryLen > 0
        ? HandleStrategy.Common
        : HandleStrategy.None;
    const handleCnt = isIntHandle ? 1 : primaryLen;
    if (handleCnt + pidCnt + ptidCnt > n) {
      throw new UnsupportedError("The number of handle columns exceeds the length of `columns_info`");
    }
    const indexCnt = n - handleCnt - pidCnt - ptidCnt;

    // The indexed columns' builders belong to the V4 decoder; NOT NULL without a default makes a
    // column missing from the restored data an error, as TiKV's "Unexpected missing column".
    this.restoredDecoder = new RowV2BatchDecoder(
      ids.slice(0, indexCnt).map((id, i) => {
        const ft = this.fieldTypes[i];
        return { id, ft: { ...ft, flag: (ft.flag ?? 0) | FieldTypeFlag.NotNull } };
      }),
      { ctx },
    );
    const slot = (i: number, builder: ColumnBuilder): DatumSlot => {
      const ft = this.fieldTypes[i];
      const restore = needRestoredData(ft);
      return {
        decoder: new DatumColumnDecoder(ft, ctx, 0, builder),
        builder,
        id: ids[i],
        restore,
        bin: restore && isBinCollation(collationOf(ft)),
      };
    };
    this.indexSlots = this.restoredDecoder.builders.map((b, i) => slot(i, b));
    this.handleSlots = [];
    this.intHandleBuilder = null;
    if (this.strategy === HandleStrategy.Int) {
      this.intHandleBuilder = intBuilder(this.fieldTypes[indexCnt], "handle");
    } else if (this.strategy === HandleStrategy.Common) {
      for (let i = indexCnt; i < indexCnt + handleCnt; i++) {
        this.handleSlots.push(slot(i, columnBuilderFor(this.fieldTypes[i])));
      }
    }
    this.pidBuilder = pidCnt > 0 ? intBuilder(this.fieldTypes[n - 1 - ptidCnt], "partition id") : null;
    this.tableIdBuilder = ptidCnt > 0 ? intBuilder(this.fieldTypes[n - 1], "physical table id") : null;
  }

  schema(): readonly FieldType[] {
    return this.fieldTypes;
  }

  protected takeColumns(): Column[] {
    const out = this.restoredDecoder.finish();
    if (this.intHandleBuilder !== null) out.push(this.intHandleBuilder.finish());
    for (const s of this.handleSlots) out.push(s.builder.finish());
    if (this.pidBuilder !== null) out.push(this.pidBuilder.finish());
    if (this.tableIdBuilder !== null) out.push(this.tableIdBuilder.finish());
    return out;
  }

  protected processKvPair(key: Uint8Array, value: Uint8Array): void {
    if (!isIndexKey(key) || key.length < KEY_PAYLOAD_AT) {
      throw new CodecError(FORMAT, `index key expected, got ${hexOf(key)}`);
    }
    if (value.length > MAX_OLD_ENCODED_VALUE_LEN) this.processGeneral(key, value);
    else this.processOld(key, value);
  }

  /** Values of at most 9 bytes: everything but a unique index's int handle is in the key. */
  private processOld(key: Uint8Array, value: Uint8Array): void {
    const r = new ByteReader(key, "index key", KEY_PAYLOAD_AT);
    this.decodeSlots(r, this.indexSlots, null);
    let pid: number | bigint | null = null;
    switch (this.strategy) {
      case HandleStrategy.None:
        break;
      case HandleStrategy.Int:
        if (r.remaining === 0) {
          // A unique index: the handle is the value, 8 bytes big-endian.
          if (value.length < 8) {
            throw new CodecError(FORMAT, "Failed to decode handle in value as i64", 0);
          }
          appendWords(this.intHandleBuilder!, u32be(value, 4), u32be(value, 0));
        } else {
          pid = readKeyPartitionId(r);
          this.appendIntHandleFromKey(r);
        }
        break;
      case HandleStrategy.Common:
        this.decodeSlots(r, this.handleSlots, null);
        break;
    }
    this.tableIdBuilder?.append(pid ?? tableIdOfKey(key));
    this.pidBuilder?.append(pid ?? tableIdOfKey(key));
  }

  /** Longer values: the layouts with options (common handle, partition id, restored data). */
  private processGeneral(key: Uint8Array, value: Uint8Array): void {
    const segs = splitIndexValue(value);
    if (segs.commonHandle !== undefined && this.strategy !== HandleStrategy.Common) {
      throw new CodecError(
        FORMAT,
        "Expect to decode index values with common handles in `DecodeCommonHandle` mode.",
      );
    }
    const restored = segs.restoredData;
    const v5 = restored !== undefined && segs.version === 1;
    const restoredRow = v5 ? RowV2Slice.fromBytes(restored) : null;

    // The indexed columns.
    const r = new ByteReader(key, "index key", KEY_PAYLOAD_AT);
    if (restored !== undefined && !v5) {
      this.restoredDecoder.appendRow(restored);
      // The handle may follow the indexed datums in the key.
      if (this.strategy !== HandleStrategy.None) {
        for (let i = 0; i < this.indexSlots.length; i++) skipKeyDatum(r, i);
      }
    } else {
      this.decodeSlots(r, this.indexSlots, restoredRow);
    }

    // The handle.
    let keyPid: number | bigint | null = null;
    switch (this.strategy) {
      case HandleStrategy.None:
        break;
      case HandleStrategy.Int:
        if (segs.intHandle === undefined) {
          keyPid = readKeyPartitionId(r);
          this.appendIntHandleFromKey(r);
        } else {
          this.intHandleBuilder!.append(segs.intHandle);
        }
        break;
      case HandleStrategy.Common:
        if (segs.commonHandle === undefined) {
          this.decodeSlots(r, this.handleSlots, restoredRow);
        } else {
          const hr = new ByteReader(segs.commonHandle, "common handle");
          this.decodeSlots(hr, this.handleSlots, restoredRow);
        }
        break;
    }

    const pid = segs.partitionId ?? keyPid;
    this.tableIdBuilder?.append(pid ?? tableIdOfKey(key));
    this.pidBuilder?.append(pid ?? tableIdOfKey(key));
  }

  /** The int handle datum at `r` (TiKV `decode_int_handle_from_key`): INT or UINT, 8 bytes. */
  private appendIntHandleFromKey(r: ByteReader): void {
    if (r.remaining === 0) throw new CodecError(FORMAT, "Key is empty, cannot decode handle");
    const flag = r.u8("handle flag");
    if (flag !== INT_FLAG && flag !== UINT_FLAG)
      throw new CodecError(FORMAT, `Unexpected handle flag ${flag}`);
    if (r.remaining < 8) {
      throw new CodecError(FORMAT, `Failed to decode handle in key as ${flag === INT_FLAG ? "i64" : "u64"}`);
    }
    const b = r.bytes;
    const p = r.pos;
    // Memcomparable i64: the sign bit flipped; u64: plain big-endian.
    const hi = flag === INT_FLAG ? (u32be(b, p) ^ 0x8000_0000) >>> 0 : u32be(b, p);
    appendWords(this.intHandleBuilder!, u32be(b, p + 4), hi);
    r.pos = p + 8;
  }

  /** Decodes one key-form datum per slot from `r`, restoring V5 strings when `row` is given. */
  private decodeSlots(r: ByteReader, slots: readonly DatumSlot[], row: RowV2Slice | null): void {
    for (let i = 0; i < slots.length; i++) {
      if (r.remaining === 0) throw new CodecError(FORMAT, `${i}th column is missing value`);
      const s = slots[i];
      if (row !== null && s.restore) this.restoreSlot(r, s, row);
      else s.decoder.decode(r);
    }
  }

  /**
   * Appends the V5-restored value of a string column whose key datum is at `r` (TiKV
   * `restore_original_data`): NULL stays NULL; a `_bin` collation appends the stored count of
   * trailing spaces to the key's text; other collations take the original text from the
   * restored data.
   */
  private restoreSlot(r: ByteReader, s: DatumSlot, row: RowV2Slice): void {
    const at = r.pos;
    const flag = r.u8("datum flag");
    if (flag === NIL_FLAG) {
      s.builder.appendNull();
      return;
    }
    let text: Uint8Array;
    if (flag === BYTES_FLAG) text = readComparableBytes(r, false, this.scratch);
    else if (flag === COMPACT_BYTES_FLAG) text = readCompactBytes(r);
    else throw r.error(`cannot restore column ${s.id} from a datum with flag ${flag}`, at);
    const stored = row.get(s.id);
    if (stored === null) throw new CodecError(FORMAT, `Unexpected missing column ${s.id}`);
    const b = s.builder as ChunkedVecBytesBuilder;
    if (!s.bin) {
      b.append(stored);
      return;
    }
    const spaces = decodeV2U64(stored);
    const len = text.length + spaces;
    if (this.scratch.length < len) {
      const grown = new Uint8Array(Math.max(len, this.scratch.length * 2));
      grown.set(text);
      this.scratch = grown;
      text = grown.subarray(0, text.length);
    } else if (text.buffer !== this.scratch.buffer) {
      this.scratch.set(text);
    }
    this.scratch.fill(SPACE, text.length, len);
    b.appendRange(this.scratch, 0, len);
  }
}

function skipKeyDatum(r: ByteReader, i: number): void {
  if (r.remaining === 0) throw new CodecError(FORMAT, `${i}th column is missing value`);
  skipDatum(r);
}

/**
 * The partition id a v1/v2 global index puts in the key between the indexed columns and the
 * handle (TiKV `split_partition_id`), or null.
 */
function readKeyPartitionId(r: ByteReader): number | bigint | null {
  if (r.remaining === 0 || r.bytes[r.pos] !== INDEX_VALUE_PARTITION_ID_FLAG) return null;
  if (r.remaining < 9) {
    throw new CodecError(FORMAT, `Remaining len ${r.remaining} is too short to decode partition ID`);
  }
  const b = r.bytes;
  const p = r.pos + 1;
  r.pos = p + 8;
  const hi = (u32be(b, p) ^ 0x8000_0000) | 0;
  const lo = u32be(b, p + 4);
  return i64WordsToNumber(lo, hi) ?? i64WordsToBigInt(lo, hi);
}

function u32be(b: Uint8Array, p: number): number {
  return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
}

function appendWords(b: ChunkedVecIntBuilder, lo: number, hi: number): void {
  b.append(i64WordsToNumber(lo, hi) ?? i64WordsToBigInt(lo, hi));
}

/** A restored space count: an unsigned little-endian integer of 1, 2, 4 or 8 bytes (TiKV `decode_v2_u64`). */
function decodeV2U64(v: Uint8Array): number {
  switch (v.length) {
    case 1:
      return v[0];
    case 2:
      return v[0] | (v[1] << 8);
    case 4:
      return (v[0] | (v[1] << 8) | (v[2] << 16) | (v[3] << 24)) >>> 0;
    case 8: {
      const hi = (v[4] | (v[5] << 8) | (v[6] << 16) | (v[7] << 24)) >>> 0;
      if (hi !== 0) throw new CodecError(FORMAT, "restored space count is too large");
      return (v[0] | (v[1] << 8) | (v[2] << 16) | (v[3] << 24)) >>> 0;
    }
    default:
      throw new CodecError(FORMAT, "Failed to decode row v2 data as u64");
  }
}

function intBuilder(ft: FieldType, what: string): ChunkedVecIntBuilder {
  if (evalTypeOf(ft) !== EvalType.Int) {
    throw new UnsupportedError(`the ${what} column of type ${ft.tp} is not an integer column`);
  }
  return columnBuilderFor(ft) as ChunkedVecIntBuilder;
}

function hexOf(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}
