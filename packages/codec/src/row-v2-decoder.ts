// Batch decoding of row v2 rows into columns: the hot path of a table scan.
// Behaviour of TiKV components/tidb_query_executors/src/table_scan_executor.rs (`process_v2`,
// `process_kv_pair`) over components/tidb_query_datatype/src/codec/row/v2/{row_slice,compat_v1}.rs
// and the datum decoders of datum_codec.rs, fused into one pass without the v1 datum detour.

import {
  assert,
  type ChunkedVecBytesBuilder,
  type ChunkedVecDateTimeBuilder,
  type ChunkedVecDecimalBuilder,
  type ChunkedVecDurationBuilder,
  type ChunkedVecEnumBuilder,
  type ChunkedVecIntBuilder,
  type ChunkedVecJsonBuilder,
  type ChunkedVecRealBuilder,
  type ChunkedVecSetBuilder,
  type ChunkedVecVectorFloat32Builder,
  CodecError,
  type Column,
  type ColumnBuilder,
  checkDurationFsp,
  checkFsp,
  columnBuilderFor,
  Decimal,
  Duration,
  decimalBinSize,
  Enum,
  type EvalContext,
  EvalType,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  MySqlSet,
  Time,
  TimeType,
} from "@copr/datatype";
import { ByteReader } from "./buf.js";
import { DatumColumnDecoder, INT_FLAG, skipDatum, VAR_INT_FLAG } from "./datum.js";
import { readI64Safe, readVarIntSafe } from "./number.js";
import { ROW_V2_FLAG_BIG, ROW_V2_FLAG_CHECKSUM, ROW_V2_VERSION, readChecksum } from "./row-v2.js";
import {
  appendDecimalValue,
  asRowV2Error,
  checkJsonValue,
  K_BIT,
  K_BYTES,
  K_DATE,
  K_DECIMAL,
  K_DURATION,
  K_ENUM,
  K_FLOAT,
  K_INT,
  K_JSON,
  K_NULL,
  K_REAL,
  K_SET,
  K_TIMESTAMP,
  K_UINT,
  K_VECTOR,
  lastHi,
  lastLayoutHi,
  packedToLayoutLo,
  ROW_V2,
  type RowV2Value,
  readCompactInt,
  readCompactUintWords,
  readComparableF64,
  readF32s,
  roundDurationNanos,
  valueKindOf,
  vectorLength,
} from "./row-v2-values.js";

/** Where a requested column's values come from. */
export type RowV2ColumnRole =
  /** From the row value by column id (the default). */
  | "row"
  /** The int handle of the row key (TiKV `ColumnInfo.pk_handle`): the handle passed with each row. */
  | "pkHandle"
  /**
   * Filled by the caller, not by the decoder: the primary-key columns of a common handle (decoded
   * from the key), `_tidb_rowid`-like extra columns. The caller must append exactly one value to
   * `builders[i]` per row, before or after {@link RowV2BatchDecoder.appendRow}.
   */
  | "external";

/** One requested column (a `tipb.ColumnInfo`, with its default already decoded). */
export interface RowV2ColumnSpec {
  /** Column id (`ColumnInfo.column_id`). */
  id: number;
  /** Column type; its `flag` decides UNSIGNED and NOT NULL. */
  ft: FieldType;
  /** Default `"row"`. */
  role?: RowV2ColumnRole;
  /**
   * The column's default value (`ColumnInfo.default_val`, already decoded from its datum bytes;
   * see {@link RowV2Value}), used when a row does not mention the column. `undefined` means no
   * default: NULL for a nullable column, an error for a NOT NULL one (TiKV: "Data is corrupted,
   * missing data for NOT NULL column"). `null` is a NULL default.
   */
  defaultValue?: RowV2Value;
}

/** Options of {@link RowV2BatchDecoder}. */
export interface RowV2BatchDecoderOptions {
  /**
   * Session context: TIMESTAMPs are shown in its time zone, zero dates follow its sql mode (UTC and
   * defaults without one).
   */
  ctx?: EvalContext;
  /** Rows to preallocate in every builder. */
  capacity?: number;
  /**
   * Check each row's whole header (both id lists strictly ascending, offsets never decreasing;
   * the id lists once per distinct list, as rows repeating the previous row's list share its
   * check). Default true. Without it only what is read is checked (the value ranges actually
   * used); a corrupt id order then can make a column read as missing.
   */
  checkHeader?: boolean;
  /**
   * With `checkHeader`, also check that every value offset of every row is non-decreasing (the
   * default, true). False keeps the id-list check (made once per distinct id list) and the check
   * of each value range actually read (inside the value area, not reversed), and skips the rest:
   * what TiKV checks, about a fifth of a narrow scan's decode time. Values of a corrupt row whose
   * offsets overlap may then be read from each other's bytes.
   */
  checkOffsets?: boolean;
  /**
   * Columns (by index in the requested list) to defer: their values are only located and kept
   * as raw bytes while rows are appended, and decoded later, for the rows still wanted, with
   * {@link RowV2BatchDecoder.finishLazy} (TiKV's `LazyBatchColumn`). Only `"row"` columns are
   * deferred; the flag is ignored for the others.
   */
  deferred?: readonly boolean[];
  /**
   * Let the builders reuse their value buffers batch after batch (`recycleBuffers()` of
   * `@copr/datatype`'s builders) instead of taking fresh memory for every batch: the columns of
   * a batch then stay intact while the next batch is appended, and may change once it is
   * finished. For consumers that are done with a batch's columns before they ask for the next
   * batch. Default false.
   */
  recycleBuffers?: boolean;
}

/**
 * The raw values of a batch's deferred columns, one array per deferred slot `d` (column-major, so
 * a run of rows is stored with one copy per column): the value of row `r` is
 * `bytes[starts[d][r] .. ends[d][r])` and `tags[d][r]` says what it is: RAW_VALUE (row v2 value
 * bytes copied into `bytes`), RAW_SRC (row v2 value bytes left in `src`), RAW_NULL, RAW_DEFAULT
 * or RAW_DATUM (a row v1 datum in `bytes`).
 */
interface RawBatch {
  bytes: Uint8Array;
  starts: Int32Array[];
  ends: Int32Array[];
  tags: Uint8Array[];
  /** Where RAW_SRC values are (the rows' own bytes, see `appendRowRange`'s `stable`). */
  src: Uint8Array;
}

const WHERE_NULL = -1;
const WHERE_MISSING = -2;

const RAW_VALUE = 0;
const RAW_NULL = 1;
const RAW_DEFAULT = 2;
const RAW_DATUM = 3;
/** Row v2 value bytes left where they were: `src[pos[2i] .. pos[2i + 1])`. */
const RAW_SRC = 4;

/**
 * The deferred columns of one batch (from {@link RowV2BatchDecoder.finishLazy}): each is decoded
 * on demand for some rows. Valid until the decoder's next `finishLazy`/`finish` after more rows;
 * decode before appending the next batch's rows.
 */
export interface RowV2DeferredColumns {
  /** Rows in the batch. */
  readonly rows: number;
  /** Whether column `ci` was deferred (and not decoded yet). */
  isDeferred(ci: number): boolean;
  /**
   * Decodes deferred column `ci` for the physical rows in `rows` (null: every row); the other
   * rows of the returned column are placeholders (present, zero values: no NULL bitmap is made for
   * them, so kernels over the live rows keep their NULL-free paths) and must not be read. Once per
   * column, and at the latest before the rows of the batch after the next one are appended.
   */
  decode(ci: number, rows: Uint32Array | null): Column;
  /**
   * Tells the decoder how many of the batch's rows its consumer kept (a filter's survivors):
   * while fewer than half survive, the next batches defer; once most do, deferring only adds the
   * copy of the raw values, and the next batches decode every column at once (the deferred
   * handle then reports no deferred column, and still takes `observe`, so the decoder can switch
   * back).
   */
  observe(keptRows: number): void;
}

const TWO_32 = 4_294_967_296;
/** The most rows `appendRowRanges` locates before decoding them (see there). */
const RUN_ROWS = 64;
const EMPTY = new Uint8Array(0);
const ROW_V1 = "row v1";
const SAFE_HI = 0x20_0000;

/**
 * Decodes row v2 values into one column builder per requested column. Configure it once with the
 * requested columns, then call {@link appendRow} for each row (its value bytes and its int handle)
 * and {@link finish} for the columns. Only the requested ids are looked up (binary search in the
 * row's sorted id lists, resuming after the previous hit), and only their values are decoded, so
 * reading 2 of 10 columns costs a fraction of reading all 10. Rows that do not mention a column get
 * its default; an empty value or a lone NIL byte is a row without columns. A row whose first byte
 * is not 128 is an old-format (v1) row of datum pairs and is decoded with the datum rules into the
 * same columns.
 *
 * A row that fails to decode throws a CodecError naming "row v2" and leaves the builders with
 * different lengths: discard the decoder (TiKV fails the whole request too).
 */
export class RowV2BatchDecoder {
  /** One builder per requested column, in the order given. */
  readonly builders: readonly ColumnBuilder[];
  private readonly specs: readonly RowV2ColumnSpec[];
  private readonly ctx: EvalContext | undefined;
  private readonly checkHeader: boolean;
  private readonly checkAllOffsets: boolean;
  /** Value kind per column (K_*). */
  private readonly kinds: Int32Array;
  /** fsp (TIME, DATETIME), member count (ENUM) per column. */
  private readonly params: Int32Array;
  /** Time type per column (DATE/DATETIME/TIMESTAMP columns). */
  private readonly timeTypes: TimeType[];
  /** Row-read columns in ascending id order: their ids and their indexes. */
  private readonly rowIds: Float64Array;
  private readonly rowCols: Int32Array;
  /** Columns always filled with their default (a later column had the same id, as in TiKV). */
  private readonly shadowed: Int32Array;
  private readonly handleCols: Int32Array;
  private readonly defaults: (RowV2Value | undefined)[];
  private vectorScratch = new Float32Array(16);
  private rows = 0;
  /** Per column: 1 when its values are deferred (see {@link RowV2BatchDecoderOptions.deferred}). */
  private readonly deferred: Uint8Array;
  private readonly anyDeferred: boolean;
  /** The deferral of the batch being appended: `deferred`, or `noneDeferred` (see `observe`). */
  private active: Uint8Array;
  private readonly noneDeferred: Uint8Array;
  /** Whether the next batch defers (set by `observe`). */
  private deferNext = true;
  /** Per column, its slot among the deferred columns (-1: not deferred). */
  private readonly slotOf: Int32Array;
  private readonly slots: number;
  /** The raw values of the batch being appended (see {@link RawBatch}); `rawUsed` bytes in use. */
  private rawBytes: Uint8Array;
  private rawStarts: Int32Array[];
  private rawEnds: Int32Array[];
  private rawTags: Uint8Array[];
  /** Rows the raw arrays have room for. */
  private rawRows: number;
  private rawUsed = 0;
  /** The other raw arrays: a batch's deferred values stay valid while the next batch is appended. */
  private spare: RawBatch | null = null;
  /** Batches handed out by `finishLazy`. */
  private generation = 0;
  /** The row bytes deferred values of this batch are left in (see `appendRowRange`), or null. */
  private rawSrc: Uint8Array | null = null;
  /** Whether the row being appended is in `rawSrc`. */
  private rowInSrc = false;
  private readonly capacity: number;
  /** The id list of the last row v2 header read (its first `memoLen` bytes; -1: none). */
  private memoIds = new Uint8Array(64);
  private memoLen = -1;
  private memoNn = 0;
  private memoBig = false;
  /** `memoIds` as little-endian 32-bit words (the last partial word padded with zeros). */
  private memoWords = new Uint32Array(16);
  /** The row bytes seen last, and a DataView of them once they are seen twice in a row. */
  private lastBytes: Uint8Array | null = null;
  private lastView: DataView | null = null;
  /** Per row-read column (in `rowIds` order), where the memo'd header has it: the index in the not-null ids, or WHERE_NULL / WHERE_MISSING. */
  private readonly where: Int32Array;
  /**
   * Scratch of {@link appendRowRanges}: where the value of the q-th column with a value (of `f`)
   * in row `r` of a run starts and ends, at `runPos[2 (r f + q)]` and the next element.
   */
  private runPos = new Int32Array(0);
  /** Scratch of a run's DATE/DATETIME layout words. */
  private wordScratch = new Uint32Array(0);
  /** Per column of a run with a value in the flat table (q): its index in the not-null ids. */
  private readonly runFound: Int32Array;
  /**
   * The deferred columns of a run over stable bytes, whose value ranges go straight to the
   * batch's raw arrays: their indexes in the not-null ids and those arrays.
   */
  private readonly runDeferredFound: Int32Array;
  private runDeferredStarts: Int32Array[] = [];
  private runDeferredEnds: Int32Array[] = [];
  /** The rows of the run being appended, for error offsets: row `r` starts at `ranges[at + r stride]`. */
  private runRanges: Float64Array = new Float64Array(0);
  private runAt = 0;
  private runStride = 0;
  /** Row v1 support, made on the first v1 row: a datum decoder per row-read column. */
  private v1: {
    decoders: (DatumColumnDecoder | undefined)[];
    seen: Uint8Array;
    colOfId: Map<number, number>;
  } | null = null;

  constructor(columns: readonly RowV2ColumnSpec[], options: RowV2BatchDecoderOptions = {}) {
    const n = columns.length;
    this.specs = columns;
    this.ctx = options.ctx;
    this.checkHeader = options.checkHeader ?? true;
    this.checkAllOffsets = this.checkHeader && (options.checkOffsets ?? true);
    const capacity = options.capacity ?? 0;
    this.kinds = new Int32Array(n);
    this.params = new Int32Array(n);
    this.timeTypes = new Array<TimeType>(n).fill(TimeType.DateTime);
    this.defaults = [];
    const builders: ColumnBuilder[] = [];
    const lastIndexOfId = new Map<number, number>();
    const handles: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = columns[i];
      const role = c.role ?? "row";
      builders.push(columnBuilderFor(c.ft, capacity));
      const kind = valueKindOf(c.ft);
      this.kinds[i] = kind;
      if (kind === K_DATE || kind === K_TIMESTAMP) {
        this.params[i] = checkFsp(c.ft.decimal ?? -1);
        this.timeTypes[i] =
          kind === K_TIMESTAMP
            ? TimeType.Timestamp
            : c.ft.tp === FieldTypeTp.Date
              ? TimeType.Date
              : TimeType.DateTime;
      } else if (kind === K_DURATION) {
        this.params[i] = checkDurationFsp(c.ft.decimal ?? -1);
      } else if (kind === K_ENUM) {
        this.params[i] = (c.ft.elems ?? []).length;
      }
      if (role === "pkHandle") {
        assert(
          kind === K_INT || kind === K_UINT,
          `row v2: pk handle column ${c.id} is not an integer column`,
        );
        handles.push(i);
      } else if (role === "row") {
        lastIndexOfId.set(c.id, i);
      }
      this.defaults.push(c.defaultValue === undefined ? undefined : checkDefault(c, kind));
    }
    if (options.recycleBuffers === true) for (const b of builders) b.recycleBuffers();
    this.builders = builders;
    this.handleCols = Int32Array.from(handles);
    const rowCols = [...lastIndexOfId.entries()].sort((a, b) => a[0] - b[0]);
    this.rowIds = Float64Array.from(rowCols, (e) => e[0]);
    this.rowCols = Int32Array.from(rowCols, (e) => e[1]);
    const shadowed: number[] = [];
    for (let i = 0; i < n; i++) {
      if ((columns[i].role ?? "row") === "row" && lastIndexOfId.get(columns[i].id) !== i) shadowed.push(i);
    }
    this.shadowed = Int32Array.from(shadowed);
    this.capacity = Math.max(capacity, 16);
    this.where = new Int32Array(this.rowIds.length);
    this.runFound = new Int32Array(this.rowIds.length);
    this.runDeferredFound = new Int32Array(this.rowIds.length);
    this.deferred = new Uint8Array(n);
    const deferred = options.deferred ?? [];
    for (let i = 0; i < n; i++) {
      if (
        deferred[i] === true &&
        (columns[i].role ?? "row") === "row" &&
        lastIndexOfId.get(columns[i].id) === i
      ) {
        this.deferred[i] = 1;
      }
    }
    this.anyDeferred = this.deferred.includes(1);
    this.noneDeferred = new Uint8Array(n);
    this.active = this.deferred;
    this.slotOf = new Int32Array(n).fill(-1);
    let slots = 0;
    for (let i = 0; i < n; i++) if (this.deferred[i] === 1) this.slotOf[i] = slots++;
    this.slots = slots;
    this.rawBytes = new Uint8Array(slots === 0 ? 0 : this.capacity * slots * 8);
    this.rawRows = slots === 0 ? 0 : this.capacity;
    this.rawStarts = perSlot(slots, () => new Int32Array(this.rawRows));
    this.rawEnds = perSlot(slots, () => new Int32Array(this.rawRows));
    this.rawTags = perSlot(slots, () => new Uint8Array(this.rawRows));
  }

  /** Records row `this.rows`' value of deferred column `ci`: `bytes[s..e)` tagged `tag`. */
  private stash(ci: number, tag: number, bytes: Uint8Array, s: number, e: number): void {
    const r = this.rows;
    const d = this.slotOf[ci]!;
    if (r >= this.rawRows) this.growRawRows(r + 1);
    const tags = this.rawTags[d]!;
    if (this.rowInSrc && tag === RAW_VALUE) {
      tags[r] = RAW_SRC;
      this.rawStarts[d]![r] = s;
      this.rawEnds[d]![r] = e;
      return;
    }
    tags[r] = tag;
    this.rawStarts[d]![r] = this.rawUsed;
    this.rawEnds[d]![r] = this.copyRaw(bytes, s, e);
  }

  /** Copies `bytes[s..e)` to the end of the raw arena; returns where the copy ends. */
  private copyRaw(bytes: Uint8Array, s: number, e: number): number {
    let at = this.rawUsed;
    const end = at + (e - s);
    let out = this.rawBytes;
    if (end > out.length) out = this.growRawBytes(end);
    for (let k = s; k < e; k++) out[at++] = bytes[k]!;
    this.rawUsed = at;
    return at;
  }

  /** Makes room for `rows` rows in the raw arrays of every deferred slot. */
  private growRawRows(rows: number): void {
    const cap = Math.max(this.rawRows * 2, rows, 16);
    const grow = <A extends Int32Array | Uint8Array>(old: A, make: (n: number) => A): A => {
      const a = make(cap);
      a.set(old);
      return a;
    };
    this.rawStarts = this.rawStarts.map((a) => grow(a, (n) => new Int32Array(n)));
    this.rawEnds = this.rawEnds.map((a) => grow(a, (n) => new Int32Array(n)));
    this.rawTags = this.rawTags.map((a) => grow(a, (n) => new Uint8Array(n)));
    this.rawRows = cap;
  }

  private growRawBytes(need: number): Uint8Array {
    const bytes = new Uint8Array(Math.max(this.rawBytes.length * 2, need, 256));
    bytes.set(this.rawBytes.subarray(0, this.rawUsed));
    this.rawBytes = bytes;
    return bytes;
  }

  private valueOrStash(ci: number, bytes: Uint8Array, s: number, e: number, base: number): void {
    if (this.active[ci] !== 0) this.stash(ci, RAW_VALUE, bytes, s, e);
    else this.decodeValue(ci, bytes, s, e, base);
  }

  private nullOrStash(ci: number): void {
    if (this.active[ci] !== 0) this.stash(ci, RAW_NULL, EMPTY, 0, 0);
    else this.builders[ci].appendNull();
  }

  private defaultOrStash(ci: number): void {
    if (this.active[ci] !== 0) this.stash(ci, RAW_DEFAULT, EMPTY, 0, 0);
    else this.appendDefault(ci);
  }

  /** Rows appended so far. */
  get rowCount(): number {
    return this.rows;
  }

  /**
   * Decodes one row: `value` is the row's value bytes, `handle` its int handle (a safe integer;
   * used only by `"pkHandle"` columns). Use {@link appendRowWithHandleWords} for handles beyond
   * ±2^53.
   */
  appendRow(value: Uint8Array, handle = 0): void {
    this.rowInSrc = false;
    const hi = Math.floor(handle / TWO_32);
    this.decode(value, 0, value.length, handle - hi * TWO_32, hi | 0);
  }

  /** {@link appendRow} with the i64 handle given as its low and high 32-bit words. */
  appendRowWithHandleWords(value: Uint8Array, lo: number, hi: number): void {
    this.rowInSrc = false;
    this.decode(value, 0, value.length, lo >>> 0, hi | 0);
  }

  /**
   * {@link appendRow} for a row stored at `bytes[start..end)` (e.g. many rows in one buffer), so
   * no view needs to be made per row; the handle as its 32-bit words. Error offsets are relative to
   * `start`. `stable`: `bytes` keeps its contents until this batch's deferred columns are decoded
   * (e.g. an in-memory store's arena), so deferred values may be left there instead of copied.
   */
  appendRowRange(
    bytes: Uint8Array,
    start: number,
    end: number,
    handleLo = 0,
    handleHi = 0,
    stable = false,
  ): void {
    if (!(start >= 0 && start <= end && end <= bytes.length)) {
      throw new CodecError(ROW_V2, `row range ${start}..${end} outside ${bytes.length} bytes`);
    }
    if (stable && this.rawSrc === null) this.rawSrc = bytes;
    this.rowInSrc = stable && this.rawSrc === bytes;
    this.decode(bytes, start, end, handleLo >>> 0, handleHi | 0);
  }

  /**
   * Appends `count` rows at once: row `i`'s value bytes are `bytes[ranges[at] .. ranges[at + 1])`
   * with `at = first + i * stride` (e.g. a scan's block of key and value positions). The same as
   * {@link appendRowRange} for each row (handle 0: the decoder must have no `"pkHandle"` column),
   * and faster: runs of rows that repeat the previous row's id list (the usual case) are located
   * in one loop and decoded column by column. A corrupt row throws as it does through
   * `appendRowRange`, though the error reported may then be a later row's, as columns are decoded
   * one after the other (as TiKV's lazy columns are).
   */
  appendRowRanges(
    bytes: Uint8Array,
    ranges: Float64Array,
    first: number,
    stride: number,
    count: number,
    stable = false,
  ): void {
    assert(
      this.handleCols.length === 0,
      "row v2: appendRowRanges has no handles for pk handle columns; use appendRowRange",
    );
    if (stable && this.rawSrc === null) this.rawSrc = bytes;
    const inSrc = stable && this.rawSrc === bytes;
    let i = 0;
    for (;;) {
      // Runs of at most RUN_ROWS rows, so that their values are still in the nearest cache when
      // their columns are decoded.
      const want = Math.min(count - i, RUN_ROWS);
      const took = this.appendRun(bytes, ranges, first + i * stride, stride, want, inSrc);
      i += took;
      if (i >= count) return;
      if (took === want) continue;
      // A row the run did not take (another id list, a big or checksummed row, row v1, a corrupt
      // row): on its own, which also remembers a new id list for the next run.
      const at = first + i * stride;
      const s = ranges[at]!;
      const e = ranges[at + 1]!;
      if (!(s >= 0 && s <= e && e <= bytes.length)) {
        throw new CodecError(ROW_V2, `row range ${s}..${e} outside ${bytes.length} bytes`);
      }
      this.rowInSrc = inSrc;
      this.decode(bytes, s, e, 0, 0);
      i++;
    }
  }

  /**
   * The longest run of rows from `ranges[at]` on (at most `max`) that are row v2 with the id list
   * remembered from the last header read, small ids and offsets, no checksum and sound value
   * ranges: located in one loop, then appended column by column. Returns the rows taken (0 when
   * the next row is not such a row).
   */
  private appendRun(
    bytes: Uint8Array,
    ranges: Float64Array,
    at: number,
    stride: number,
    max: number,
    inSrc: boolean,
  ): number {
    const idsLen = this.memoLen;
    if (idsLen < 0 || this.memoBig || max <= 0) return 0;
    const nn = this.memoNn;
    // Version 128, flags 0 and the not-null count as one little-endian word, then the null count.
    const head = ROW_V2_VERSION + nn * 65_536;
    const nulls = idsLen - nn;
    const where = this.where;
    const found = this.runFound;
    const dFound = this.runDeferredFound;
    const rowCols = this.rowCols;
    const active = this.active;
    const rows0 = this.rows;
    if (this.slots > 0 && rows0 + max > this.rawRows) this.growRawRows(rows0 + max);
    const dStarts = this.runDeferredStarts;
    const dEnds = this.runDeferredEnds;
    let f = 0;
    let fd = 0;
    for (let j = 0; j < where.length; j++) {
      const x = where[j]!;
      if (x < 0) continue;
      const ci = rowCols[j]!;
      if (inSrc && active[ci] !== 0) {
        // Deferred over stable bytes: the value's range is all a batch keeps of it.
        const d = this.slotOf[ci]!;
        dStarts[fd] = this.rawStarts[d]!;
        dEnds[fd] = this.rawEnds[d]!;
        dFound[fd++] = x;
      } else {
        found[f++] = x;
      }
    }
    if (this.runPos.length < 2 * max * f) this.growRun(max);
    const out = this.runPos;
    const view = this.viewOf(bytes);
    const words = this.memoWords;
    const memo = this.memoIds;
    const fullWords = idsLen >>> 2;
    const checkAll = this.checkAllOffsets;
    const len = bytes.length;
    let r = 0;
    let o = 0;
    rows: for (; r < max; r++) {
      const p = at + r * stride;
      const s = ranges[p]!;
      const e = ranges[p + 1]!;
      if (!(s >= 0 && e <= len && e - s >= 6)) break;
      if (view.getUint32(s, true) !== head || view.getUint16(s + 4, true) !== nulls) break;
      const idsAt = s + 6;
      const offsetsAt = idsAt + idsLen;
      const valuesAt = offsetsAt + 2 * nn;
      if (valuesAt > e) break;
      for (let w = 0; w < fullWords; w++) if (view.getUint32(idsAt + 4 * w, true) !== words[w]) break rows;
      for (let b = 4 * fullWords; b < idsLen; b++) if (bytes[idsAt + b] !== memo[b]) break rows;
      const lastOff = nn === 0 ? 0 : view.getUint16(valuesAt - 2, true);
      if (valuesAt + lastOff > e) break;
      if (checkAll && !offsetsAscend(bytes, offsetsAt, nn)) break;
      const row = o;
      for (let q = 0; q < f; q++) {
        const w = offsetPair(view, offsetsAt, found[q]!);
        const st = w & 0xffff;
        const en = w >>> 16;
        if (st > en || en > lastOff) {
          o = row;
          break rows;
        }
        out[o++] = valuesAt + st;
        out[o++] = valuesAt + en;
      }
      for (let q = 0; q < fd; q++) {
        const w = offsetPair(view, offsetsAt, dFound[q]!);
        const st = w & 0xffff;
        const en = w >>> 16;
        if (st > en || en > lastOff) {
          o = row;
          break rows;
        }
        dStarts[q]![rows0 + r] = valuesAt + st;
        dEnds[q]![rows0 + r] = valuesAt + en;
      }
    }
    if (r > 0) {
      this.runRanges = ranges;
      this.runAt = at;
      this.runStride = stride;
      this.appendRunColumns(bytes, r, f, inSrc);
    }
    return r;
  }

  /** A DataView of `bytes` (kept while the same array comes back, as `sameIds` does). */
  private viewOf(bytes: Uint8Array): DataView {
    let view = this.lastView;
    if (this.lastBytes !== bytes || view === null) {
      view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.lastBytes = bytes;
      this.lastView = view;
    }
    return view;
  }

  private growRun(rows: number): void {
    this.runPos = new Int32Array(2 * Math.max(rows, this.capacity, 1024) * Math.max(this.rowIds.length, 1));
  }

  /** Where row `r` of the run being appended starts (for error offsets). */
  private runBase(r: number): number {
    return this.runRanges[this.runAt + r * this.runStride]!;
  }

  /** Appends the `n` rows located by `appendRun` (`f` columns with values), column by column. */
  private appendRunColumns(bytes: Uint8Array, n: number, f: number, inSrc: boolean): void {
    const rows0 = this.rows;
    const where = this.where;
    const rowCols = this.rowCols;
    const active = this.active;
    const pos = this.runPos;
    let q = 0;
    for (let j = 0; j < where.length; j++) {
      const ci = rowCols[j]!;
      const w = where[j]!;
      const d = active[ci] !== 0 ? this.slotOf[ci]! : -1;
      if (w >= 0) {
        if (d >= 0 && inSrc) {
          // Its ranges went straight to the raw arrays (see appendRun).
          this.rawTags[d]!.fill(RAW_SRC, rows0, rows0 + n);
          continue;
        }
        const first = 2 * q;
        q++;
        if (d < 0) {
          this.decodeRun(ci, bytes, pos, first, 2 * f, n);
          continue;
        }
        const rs = this.rawStarts[d]!;
        const re = this.rawEnds[d]!;
        for (let r = 0, k = first; r < n; r++, k += 2 * f) {
          rs[rows0 + r] = this.rawUsed;
          re[rows0 + r] = this.copyRaw(bytes, pos[k]!, pos[k + 1]!);
        }
        this.rawTags[d]!.fill(RAW_VALUE, rows0, rows0 + n);
      } else if (d >= 0) {
        this.rawTags[d]!.fill(w === WHERE_NULL ? RAW_NULL : RAW_DEFAULT, rows0, rows0 + n);
      } else if (w === WHERE_NULL) {
        this.builders[ci]!.appendNulls(n);
      } else {
        for (let r = 0; r < n; r++) this.appendDefault(ci);
      }
    }
    const shadowed = this.shadowed;
    for (let j = 0; j < shadowed.length; j++) for (let r = 0; r < n; r++) this.appendDefault(shadowed[j]!);
    this.rows = rows0 + n;
  }

  /**
   * Decodes `n` row v2 values of column `ci` into its builder, value `r` at
   * `bytes[pos[k] .. pos[k + 1])` with `k = first + r * step`: one loop per value kind, the
   * common ones without the per-value dispatch of `decodeValue`.
   */
  private decodeRun(
    ci: number,
    bytes: Uint8Array,
    pos: Int32Array,
    first: number,
    step: number,
    n: number,
  ): void {
    const kind = this.kinds[ci]!;
    let r = 0;
    let k = first;
    try {
      if (kind === K_DATE) {
        const b = this.builders[ci] as ChunkedVecDateTimeBuilder;
        const type = this.timeTypes[ci]!;
        const fsp = this.params[ci]!;
        const view = this.viewOf(bytes);
        // The layout words of the whole run, then one append.
        if (this.wordScratch.length < 2 * n) this.wordScratch = new Uint32Array(2 * Math.max(n, 1024));
        const words = this.wordScratch;
        for (; r < n; r++, k += step) {
          const s = pos[k]!;
          const len = pos[k + 1]! - s;
          let lo: number;
          let hi: number;
          if (len === 8) {
            // A packed time of a real date takes all 8 bytes: two little-endian words.
            lo = view.getUint32(s, true);
            hi = view.getUint32(s + 4, true);
          } else {
            lo = readCompactUintWords(bytes, s, len, "time");
            hi = lastHi();
          }
          if (lo === 0 && hi === 0) {
            const zero = Time.fromPackedWords(this.ctx, 0, 0, type, fsp);
            words[2 * r] = zero.lowWord();
            words[2 * r + 1] = zero.highWord();
          } else {
            words[2 * r] = packedToLayoutLo(lo, hi, type, fsp);
            words[2 * r + 1] = lastLayoutHi();
          }
        }
        b.appendValues(words, 0, n);
      } else if (kind === K_DECIMAL) {
        const b = this.builders[ci] as ChunkedVecDecimalBuilder;
        while (r < n) {
          // The values that repeat the first one's precision and scale, in one call.
          const s0 = pos[k]!;
          if (pos[k + 1]! - s0 >= 3) {
            const prec = bytes[s0]!;
            const frac = bytes[s0 + 1]!;
            const size = decimalBinSize(prec, frac) + 2;
            let m = 0;
            for (let kk = k; r + m < n; m++, kk += step) {
              const s = pos[kk]!;
              if (pos[kk + 1]! - s !== size || bytes[s] !== prec || bytes[s + 1] !== frac) break;
            }
            const before = b.length;
            let took: number;
            try {
              took = b.appendBinRun(bytes, pos, k, step, m, 2, prec, frac);
            } catch (err) {
              // Point at the value that failed (the ones before it are appended).
              r += b.length - before;
              k += (b.length - before) * step;
              throw err;
            }
            r += took;
            k += took * step;
            if (took === m && took > 0) continue;
            if (r >= n) break;
          }
          // One value the run did not take, through the general path.
          appendDecimalValue(b, bytes, pos[k]!, pos[k + 1]!);
          r++;
          k += step;
        }
      } else if (kind === K_BYTES) {
        (this.builders[ci] as ChunkedVecBytesBuilder).appendRanges(bytes, pos, first, step, n);
      } else {
        for (; r < n; r++, k += step) this.decodeValue(ci, bytes, pos[k]!, pos[k + 1]!, this.runBase(r));
      }
    } catch (err) {
      // The general path reports the value's error with its row's offsets.
      if (kind === K_DATE || kind === K_DECIMAL)
        this.decodeValue(ci, bytes, pos[k]!, pos[k + 1]!, this.runBase(r));
      throw err;
    }
  }

  /** The columns of the rows appended so far (builders restart empty); deferred columns are decoded for every row. */
  finish(): Column[] {
    if (this.anyDeferred) {
      const { columns, deferred } = this.finishLazy();
      for (let ci = 0; ci < columns.length; ci++)
        if (deferred.isDeferred(ci)) columns[ci] = deferred.decode(ci, null);
      return columns;
    }
    this.rows = 0;
    this.rawSrc = null;
    return this.builders.map((b) => b.finish());
  }

  /**
   * The columns of the rows appended so far, with the deferred ones not decoded yet: their slots
   * in `columns` hold empty columns until replaced by `deferred.decode(ci, rows)`. Builders
   * restart empty.
   */
  finishLazy(): { columns: Column[]; deferred: RowV2DeferredColumns } {
    const rows = this.rows;
    this.rows = 0;
    const columns = this.builders.map((b) => b.finish());
    const raw: RawBatch = {
      bytes: this.rawBytes,
      starts: this.rawStarts,
      ends: this.rawEnds,
      tags: this.rawTags,
      src: this.rawSrc ?? EMPTY,
    };
    this.rawSrc = null;
    const pending = Uint8Array.from(this.active);
    if (this.active === this.deferred && this.anyDeferred) {
      // The next batch fills the other arrays, so these stay valid while it is appended.
      const spare = this.spare;
      const rawRows = this.rawRows;
      this.rawBytes = spare === null ? new Uint8Array(this.rawBytes.length) : spare.bytes;
      if (spare === null || spare.tags[0]!.length !== rawRows) {
        // The arrays grew with this batch: the next one gets arrays of the same size.
        this.rawStarts = perSlot(this.slots, () => new Int32Array(rawRows));
        this.rawEnds = perSlot(this.slots, () => new Int32Array(rawRows));
        this.rawTags = perSlot(this.slots, () => new Uint8Array(rawRows));
      } else {
        this.rawStarts = spare.starts;
        this.rawEnds = spare.ends;
        this.rawTags = spare.tags;
      }
      this.spare = raw;
      this.rawUsed = 0;
    }
    const gen = ++this.generation;
    this.active = this.deferNext ? this.deferred : this.noneDeferred;
    const deferred: RowV2DeferredColumns = {
      rows,
      isDeferred: (ci) => pending[ci] === 1,
      decode: (ci, live) => {
        assert(pending[ci] === 1, `row v2: column ${ci} is not a deferred column of this batch`);
        assert(
          this.generation === gen || (this.generation === gen + 1 && this.rows === 0),
          "row v2: a deferred column decoded after the rows of a later batch were appended",
        );
        pending[ci] = 0;
        return this.decodeRaw(ci, raw, rows, live);
      },
      observe: (kept) => {
        this.deferNext = kept * 2 < rows;
        // Takes effect now if the next batch has not started, else after it.
        if (this.rows === 0) this.active = this.deferNext ? this.deferred : this.noneDeferred;
      },
    };
    return { columns, deferred };
  }

  /** Decodes column `ci` of `raw` (`rows` rows) for the rows in `live`; placeholders elsewhere. */
  private decodeRaw(ci: number, raw: RawBatch, rows: number, live: Uint32Array | null): Column {
    const b = this.builders[ci];
    if (live === null) {
      for (let r = 0; r < rows; r++) this.decodeRawAt(ci, raw, r);
      return b.finish();
    }
    let ascending = true;
    for (let k = 1; k < live.length; k++) {
      if (live[k]! <= live[k - 1]!) {
        ascending = false;
        break;
      }
    }
    if (ascending) {
      this.decodeRawAscending(ci, raw, live);
      if (rows > b.length) b.appendZeros(rows - b.length);
      return b.finish();
    }
    const wanted = new Uint8Array(rows);
    for (let k = 0; k < live.length; k++) wanted[live[k]!] = 1;
    for (let r = 0; r < rows; r++) {
      if (wanted[r] === 0) b.appendZeros(1);
      else this.decodeRawAt(ci, raw, r);
    }
    return b.finish();
  }

  /**
   * Decodes the deferred values of column `ci` for the ascending rows `live`, with runs of
   * placeholders for the rows in between: the values left in the source (RAW_SRC) of the common
   * kinds in one loop per kind, anything else through `decodeRawAt`.
   */
  private decodeRawAscending(ci: number, raw: RawBatch, live: Uint32Array): void {
    const d = this.slotOf[ci]!;
    const tags = raw.tags[d]!;
    const starts = raw.starts[d]!;
    const ends = raw.ends[d]!;
    const src = raw.src;
    const kind = this.kinds[ci]!;
    let next = 0;
    let k = 0;
    try {
      if (kind === K_DECIMAL) {
        const b = this.builders[ci] as ChunkedVecDecimalBuilder;
        while (k < live.length) {
          // The live rows whose values are left in the source with the first one's precision
          // and scale, in one call (placeholders between them included).
          const r0 = live[k]!;
          const s0 = starts[r0]!;
          if (tags[r0] === RAW_SRC && ends[r0]! - s0 >= 3) {
            const prec = src[s0]!;
            const frac = src[s0 + 1]!;
            const size = decimalBinSize(prec, frac) + 2;
            let m = 0;
            for (let kk = k; kk < live.length; kk++, m++) {
              const r = live[kk]!;
              const s = starts[r]!;
              if (tags[r] !== RAW_SRC || ends[r]! - s !== size || src[s] !== prec || src[s + 1] !== frac)
                break;
            }
            let took: number;
            try {
              took = b.appendBinAtRows(src, starts, live, k, m, 2, prec, frac);
            } catch (err) {
              // Point at the value that failed (the rows before it are appended).
              while (k < live.length && live[k]! < b.length) k++;
              throw err;
            }
            k += took;
            next = b.length;
            if (took === m && took > 0) continue;
            if (k >= live.length) break;
          }
          // One value the run did not take, through the general path.
          const r = live[k]!;
          if (r > next) b.appendZeros(r - next);
          next = r + 1;
          this.decodeRawAt(ci, raw, r);
          k++;
        }
      } else {
        const b = this.builders[ci]!;
        for (; k < live.length; k++) {
          const r = live[k]!;
          if (r > next) b.appendZeros(r - next);
          next = r + 1;
          this.decodeRawAt(ci, raw, r);
        }
      }
    } catch (err) {
      // The general path reports the value's error as it always does.
      if (kind === K_DECIMAL) this.decodeRawAt(ci, raw, live[k]!);
      throw err;
    }
  }

  /** Appends row `r`'s deferred value of column `ci` in `raw` to the column's builder. */
  private decodeRawAt(ci: number, raw: RawBatch, r: number): void {
    const d = this.slotOf[ci]!;
    const s = raw.starts[d]![r]!;
    const e = raw.ends[d]![r]!;
    switch (raw.tags[d]![r]) {
      case RAW_SRC:
        this.decodeValue(ci, raw.src, s, e, 0);
        break;
      case RAW_VALUE:
        this.decodeValue(ci, raw.bytes, s, e, 0);
        break;
      case RAW_NULL:
        this.builders[ci].appendNull();
        break;
      case RAW_DEFAULT:
        this.appendDefault(ci);
        break;
      default:
        this.datumDecoder(ci).decode(new ByteReader(raw.bytes, ROW_V1, s, e));
    }
  }

  /** Row v1 support, made on the first v1 row. */
  private v1State(): NonNullable<RowV2BatchDecoder["v1"]> {
    let v1 = this.v1;
    if (v1 === null) {
      const colOfId = new Map<number, number>();
      for (let j = 0; j < this.rowIds.length; j++) colOfId.set(this.rowIds[j], this.rowCols[j]);
      v1 = { decoders: [], seen: new Uint8Array(this.builders.length), colOfId };
      this.v1 = v1;
    }
    return v1;
  }

  /** The row v1 datum decoder of column `ci` (made on first use). */
  private datumDecoder(ci: number): DatumColumnDecoder {
    const v1 = this.v1State();
    let dec = v1.decoders[ci];
    if (dec === undefined) {
      dec = new DatumColumnDecoder(this.specs[ci].ft, this.ctx, 0, this.builders[ci]);
      v1.decoders[ci] = dec;
    }
    return dec;
  }

  private decode(bytes: Uint8Array, base: number, rowEnd: number, hLo: number, hHi: number): void {
    const n = rowEnd - base;
    const rowIds = this.rowIds;
    const rowCols = this.rowCols;
    const k = rowIds.length;
    if (n === 0 || (n === 1 && bytes[base] === 0)) {
      for (let j = 0; j < k; j++) this.defaultOrStash(rowCols[j]);
    } else {
      if (bytes[base] !== ROW_V2_VERSION) {
        this.decodeV1(bytes, base, rowEnd);
        this.finishRow(hLo, hHi);
        return;
      }
      if (n < 6) throw new CodecError(ROW_V2, `truncated header: ${n} of 6 bytes`, 0);
      const flags = bytes[base + 1];
      const big = (flags & ROW_V2_FLAG_BIG) !== 0;
      const nn = bytes[base + 2] | (bytes[base + 3] << 8);
      const total = nn + (bytes[base + 4] | (bytes[base + 5] << 8));
      const idSize = big ? 4 : 1;
      const idsAt = base + 6;
      const offsetsAt = idsAt + total * idSize;
      const valuesAt = offsetsAt + nn * (big ? 4 : 2);
      if (valuesAt > rowEnd) {
        throw new CodecError(
          ROW_V2,
          `truncated header: ${total} columns need ${valuesAt - base} bytes, have ${n}`,
          6,
        );
      }
      const lastOff = nn === 0 ? 0 : offsetAt(bytes, offsetsAt, nn - 1, big);
      const valuesEnd = valuesAt + lastOff;
      if (valuesEnd > rowEnd) {
        throw new CodecError(
          ROW_V2,
          `values end at ${valuesEnd - base}, past the ${n} bytes`,
          valuesAt - base,
        );
      }
      if ((flags & ROW_V2_FLAG_CHECKSUM) !== 0) {
        readChecksum(
          base === 0 && rowEnd === bytes.length ? bytes : bytes.subarray(base, rowEnd),
          valuesEnd - base,
        );
      }
      // Rows of a table mostly share one column id list: when this row's equals the previous
      // one's, the requested columns sit where they did, and the ids need no new check.
      const idsLen = total * idSize;
      let same = this.memoLen === idsLen && this.memoNn === nn && this.memoBig === big;
      if (same) same = this.sameIds(bytes, idsAt, idsLen);
      if (!same) {
        if (this.checkHeader) checkIds(bytes, idsAt, nn, total, big, base);
        this.locate(bytes, idsAt, nn, total, big);
      }
      if (this.checkAllOffsets) checkOffsets(bytes, nn, big, offsetsAt, base);
      const where = this.where;
      for (let j = 0; j < k; j++) {
        const found = where[j];
        const ci = rowCols[j];
        if (found >= 0) {
          const start = found === 0 ? 0 : offsetAt(bytes, offsetsAt, found - 1, big);
          const end = offsetAt(bytes, offsetsAt, found, big);
          if (start > end || end > lastOff) {
            throw new CodecError(
              ROW_V2,
              `value range ${start}..${end} of column ${rowIds[j]} is invalid`,
              offsetsAt - base,
            );
          }
          this.valueOrStash(ci, bytes, valuesAt + start, valuesAt + end, base);
        } else if (found === WHERE_NULL) {
          this.nullOrStash(ci);
        } else {
          this.defaultOrStash(ci);
        }
      }
    }
    this.finishRow(hLo, hHi);
  }

  /**
   * Finds each requested row column in a row v2 header's id lists (`where`: the index among the
   * not-null ids, WHERE_NULL or WHERE_MISSING) and remembers the id list for the next rows.
   */
  private locate(bytes: Uint8Array, idsAt: number, nn: number, total: number, big: boolean): void {
    const rowIds = this.rowIds;
    const where = this.where;
    const maxId = big ? 0xffff_ffff : 0xff;
    let nnLo = 0;
    let nlLo = nn;
    for (let j = 0; j < rowIds.length; j++) {
      const id = rowIds[j];
      if (id <= 0 || id > maxId) {
        where[j] = WHERE_MISSING;
        continue;
      }
      // Not-null ids in [nnLo, nn), then null ids in [nlLo, total): requested ids ascend, so each
      // search starts after the previous hit.
      const inNotNull = searchId(bytes, idsAt, big, nnLo, nn, id);
      if (inNotNull >= 0) {
        nnLo = inNotNull + 1;
        where[j] = inNotNull;
        continue;
      }
      nnLo = -inNotNull - 1;
      const inNull = searchId(bytes, idsAt, big, nlLo, total, id);
      if (inNull >= 0) {
        nlLo = inNull + 1;
        where[j] = WHERE_NULL;
      } else {
        nlLo = -inNull - 1;
        where[j] = WHERE_MISSING;
      }
    }
    const idsLen = total * (big ? 4 : 1);
    if (this.memoIds.length < idsLen) {
      this.memoIds = new Uint8Array(Math.max(idsLen + 3, 64) & ~3);
      this.memoWords = new Uint32Array(this.memoIds.length >>> 2);
    }
    this.memoIds.set(bytes.subarray(idsAt, idsAt + idsLen));
    const words = this.memoWords;
    for (let w = 0; 4 * w < idsLen; w++) {
      let v = 0;
      for (let b = 3; b >= 0; b--) v = v * 256 + (4 * w + b < idsLen ? bytes[idsAt + 4 * w + b]! : 0);
      words[w] = v;
    }
    this.memoLen = idsLen;
    this.memoNn = nn;
    this.memoBig = big;
  }

  /**
   * Whether `bytes[idsAt .. idsAt + len)` equals the remembered id list (`len` = its length):
   * four bytes at a time through a DataView when rows keep coming from the same array (an arena,
   * a reused buffer), else byte by byte.
   */
  private sameIds(bytes: Uint8Array, idsAt: number, len: number): boolean {
    let view = this.lastView;
    if (this.lastBytes !== bytes) {
      this.lastBytes = bytes;
      this.lastView = null;
      view = null;
    } else if (view === null) {
      view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.lastView = view;
    }
    let i = 0;
    if (view !== null) {
      const words = this.memoWords;
      for (; i + 4 <= len; i += 4) if (view.getUint32(idsAt + i, true) !== words[i >>> 2]) return false;
    }
    const memo = this.memoIds;
    for (; i < len; i++) if (memo[i] !== bytes[idsAt + i]) return false;
    return true;
  }

  /** The handle columns and the shadowed ones, after the row's own columns. */
  private finishRow(hLo: number, hHi: number): void {
    const handleCols = this.handleCols;
    for (let j = 0; j < handleCols.length; j++) {
      const ci = handleCols[j];
      const b = this.builders[ci] as ChunkedVecIntBuilder;
      if (b.unsigned) {
        const h = hHi >>> 0;
        b.append(h < SAFE_HI ? h * TWO_32 + hLo : (BigInt(h) << 32n) | BigInt(hLo));
      } else {
        b.append(
          hHi >= -SAFE_HI && hHi < SAFE_HI
            ? hHi * TWO_32 + hLo
            : BigInt.asIntN(64, (BigInt(hHi) << 32n) | BigInt(hLo)),
        );
      }
    }
    const shadowed = this.shadowed;
    for (let j = 0; j < shadowed.length; j++) this.appendDefault(shadowed[j]);
    this.rows++;
  }

  /**
   * A row in the old format (row v1, TiKV `table::cut_row`): pairs of datums, a column id (VAR_INT
   * or INT) then its value in value form, in any order. Requested columns are decoded with the
   * datum rules (`DatumColumnDecoder`), the others skipped, missing ones get their default.
   */
  private decodeV1(bytes: Uint8Array, base: number, rowEnd: number): void {
    const v1 = this.v1State();
    const seen = v1.seen;
    const r = new ByteReader(bytes, ROW_V1, base, rowEnd);
    while (r.remaining > 0) {
      const at = r.pos;
      const flag = r.u8("column id flag");
      let id: number;
      if (flag === VAR_INT_FLAG) id = readVarIntSafe(r);
      else if (flag === INT_FLAG) id = readI64Safe(r);
      else throw r.error(`column id datum has flag ${flag}`, at);
      const ci = v1.colOfId.get(id);
      if (ci === undefined) {
        skipDatum(r);
        continue;
      }
      if (seen[ci] !== 0) throw r.error(`column ${id} appears twice`, at);
      seen[ci] = 1;
      if (this.active[ci] !== 0) {
        const vs = r.pos;
        skipDatum(r);
        this.stash(ci, RAW_DATUM, bytes, vs, r.pos);
        continue;
      }
      this.datumDecoder(ci).decode(r);
    }
    const rowCols = this.rowCols;
    for (let j = 0; j < rowCols.length; j++) {
      const ci = rowCols[j];
      if (seen[ci] === 0) this.defaultOrStash(ci);
      seen[ci] = 0;
    }
  }

  private decodeValue(ci: number, bytes: Uint8Array, s: number, e: number, base: number): void {
    const b = this.builders[ci];
    const len = e - s;
    try {
      switch (this.kinds[ci]) {
        case K_INT:
          (b as ChunkedVecIntBuilder).append(readCompactInt(bytes, s, len, true, "integer"));
          return;
        case K_UINT:
        case K_BIT:
          (b as ChunkedVecIntBuilder).append(readCompactInt(bytes, s, len, false, "integer"));
          return;
        case K_REAL:
        case K_FLOAT: {
          if (len !== 8) throw new CodecError(ROW_V2, `float value has ${len} bytes, not 8`, s);
          const v = readComparableF64(bytes, s);
          // NaN reads as NULL, as TiKV's `Real::new(v).ok()`
          if (Number.isNaN(v)) b.appendNull();
          else (b as ChunkedVecRealBuilder).append(this.kinds[ci] === K_FLOAT ? Math.fround(v) : v);
          return;
        }
        case K_DECIMAL:
          appendDecimalValue(b as ChunkedVecDecimalBuilder, bytes, s, e);
          return;
        case K_BYTES:
          (b as ChunkedVecBytesBuilder).appendRange(bytes, s, e);
          return;
        case K_DATE: {
          const lo = readCompactUintWords(bytes, s, len, "time");
          const hi = lastHi();
          if (lo === 0 && hi === 0) {
            (b as ChunkedVecDateTimeBuilder).append(
              Time.fromPackedWords(this.ctx, 0, 0, this.timeTypes[ci], this.params[ci]),
            );
          } else {
            const llo = packedToLayoutLo(lo, hi, this.timeTypes[ci], this.params[ci]);
            (b as ChunkedVecDateTimeBuilder).appendWords(llo, lastLayoutHi());
          }
          return;
        }
        case K_TIMESTAMP: {
          const lo = readCompactUintWords(bytes, s, len, "time");
          (b as ChunkedVecDateTimeBuilder).append(
            Time.fromPackedWords(this.ctx, lo, lastHi(), TimeType.Timestamp, this.params[ci]),
          );
          return;
        }
        case K_DURATION: {
          const v = readCompactInt(bytes, s, len, true, "duration");
          const nanos = typeof v === "number" ? roundDurationNanos(v, this.params[ci]) : Number.NaN;
          if (Number.isNaN(nanos)) throw new CodecError(ROW_V2, `duration ${v} ns is out of range`, s);
          (b as ChunkedVecDurationBuilder).appendNanos(nanos);
          return;
        }
        case K_JSON:
          checkJsonValue(bytes, s, e);
          (b as ChunkedVecJsonBuilder).appendRange(bytes, s, e);
          return;
        case K_ENUM: {
          const lo = readCompactUintWords(bytes, s, len, "enum");
          if (lastHi() !== 0 || lo > this.params[ci]) {
            throw new CodecError(ROW_V2, `enum index ${lo} outside the ${this.params[ci]} members`, s);
          }
          (b as ChunkedVecEnumBuilder).appendIndex(lo);
          return;
        }
        case K_SET: {
          const lo = readCompactUintWords(bytes, s, len, "set");
          (b as ChunkedVecSetBuilder).appendWords(lo, lastHi());
          return;
        }
        case K_VECTOR: {
          const count = vectorLength(bytes, s, len);
          if (this.vectorScratch.length < count) this.vectorScratch = new Float32Array(count);
          readF32s(bytes, s + 4, count, this.vectorScratch, 0);
          (b as ChunkedVecVectorFloat32Builder).append(this.vectorScratch.subarray(0, count));
          return;
        }
        default:
          b.appendNull();
      }
    } catch (err) {
      if (base !== 0 && err instanceof CodecError && err.format === ROW_V2 && err.offset !== undefined) {
        throw new CodecError(
          ROW_V2,
          err.message.replace(/^row v2: | at offset \d+$/g, ""),
          err.offset - base,
        );
      }
      throw asRowV2Error(err, s - base);
    }
  }

  private appendDefault(ci: number): void {
    const def = this.defaults[ci];
    const b = this.builders[ci];
    if (def === undefined) {
      if (((this.specs[ci].ft.flag ?? 0) & FieldTypeFlag.NotNull) !== 0) {
        throw new CodecError(
          ROW_V2,
          `missing data for NOT NULL column (offset = ${ci}, id = ${this.specs[ci].id})`,
        );
      }
      b.appendNull();
      return;
    }
    if (def === null) {
      b.appendNull();
      return;
    }
    switch (this.kinds[ci]) {
      case K_INT:
      case K_UINT:
      case K_BIT:
        (b as ChunkedVecIntBuilder).append(def as number | bigint);
        return;
      case K_REAL:
      case K_FLOAT:
        (b as ChunkedVecRealBuilder).append(def as number);
        return;
      case K_DECIMAL:
        (b as ChunkedVecDecimalBuilder).append(def as Decimal);
        return;
      case K_BYTES:
        (b as ChunkedVecBytesBuilder).append(def as Uint8Array);
        return;
      case K_DATE:
      case K_TIMESTAMP:
        (b as ChunkedVecDateTimeBuilder).append(def as Time);
        return;
      case K_DURATION:
        (b as ChunkedVecDurationBuilder).append(def as Duration);
        return;
      case K_JSON:
        (b as ChunkedVecJsonBuilder).append(def as Uint8Array);
        return;
      case K_ENUM:
        (b as ChunkedVecEnumBuilder).appendIndex(def as number);
        return;
      case K_SET:
        (b as ChunkedVecSetBuilder).append(def as MySqlSet);
        return;
      case K_VECTOR:
        (b as ChunkedVecVectorFloat32Builder).append(def as Float32Array);
        return;
      default:
        b.appendNull();
    }
  }
}

const utf8 = new TextEncoder();

/**
 * Checks a default value against its column and brings it to the form the builder appends
 * (strings to UTF-8 bytes, ENUM to its index, SET masks to MySqlSet, number arrays to
 * Float32Array, a NaN double to NULL). A value of the wrong type is a bug (assertion).
 */
function checkDefault(c: RowV2ColumnSpec, kind: number): RowV2Value {
  const v = c.defaultValue as RowV2Value;
  if (v === null) return null;
  const bad = `row v2: default of column ${c.id} does not fit its type`;
  switch (kind) {
    case K_INT:
    case K_UINT:
    case K_BIT:
      assert(typeof v === "bigint" || Number.isSafeInteger(v), bad);
      return v;
    case K_REAL:
    case K_FLOAT:
      assert(typeof v === "number", bad);
      return Number.isNaN(v) ? null : v;
    case K_DECIMAL:
      assert(v instanceof Decimal, bad);
      return v;
    case K_BYTES:
      if (typeof v === "string") return utf8.encode(v);
      assert(v instanceof Uint8Array, bad);
      return v;
    case K_DATE:
    case K_TIMESTAMP:
      assert(v instanceof Time, bad);
      return v;
    case K_DURATION:
      assert(v instanceof Duration, bad);
      return v;
    case K_JSON:
      assert(v instanceof Uint8Array && v.length > 0, bad);
      return v;
    case K_ENUM: {
      const idx = v instanceof Enum ? v.value : v;
      assert(typeof idx === "number" && idx >= 0 && idx <= (c.ft.elems ?? []).length, bad);
      return idx;
    }
    case K_SET:
      if (v instanceof MySqlSet) return v;
      assert(typeof v === "bigint" || typeof v === "number", bad);
      return MySqlSet.fromStored(
        c.ft.elems ?? [],
        Number(BigInt(v) & 0xffff_ffffn),
        Number((BigInt(v) >> 32n) & 0xffff_ffffn),
      );
    case K_VECTOR:
      assert(v instanceof Float32Array || Array.isArray(v), bad);
      return v instanceof Float32Array ? v : Float32Array.from(v as readonly number[]);
    case K_NULL:
      return null;
    default:
      assert(false, bad);
  }
}

/**
 * The value range of not-null column `x` of a small row whose offsets start at `offsetsAt`: its
 * start offset in the low 16 bits, its end offset in the high 16 (the previous column's end and
 * this one's, in one read).
 */
function offsetPair(view: DataView, offsetsAt: number, x: number): number {
  return x === 0 ? view.getUint16(offsetsAt, true) * 65_536 : view.getUint32(offsetsAt + 2 * x - 2, true);
}

/**
 * Where `id` is among the ascending ids `lo .. hi - 1` of a header's id list at `idsAt` (u8 ids,
 * u32 when `big`): its index, or -(insertion point) - 1. The first id is tried before the
 * binary search: requested columns are often consecutive.
 */
function searchId(
  bytes: Uint8Array,
  idsAt: number,
  big: boolean,
  lo: number,
  hi: number,
  id: number,
): number {
  if (lo < hi && (big ? u32At(bytes, idsAt + 4 * lo) : bytes[idsAt + lo]) === id) return lo;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = big ? u32At(bytes, idsAt + 4 * mid) : bytes[idsAt + mid]!;
    if (v < id) lo = mid + 1;
    else if (v > id) hi = mid;
    else return mid;
  }
  return -lo - 1;
}

/** Whether the `nn` small (u16) offsets at `offsetsAt` never decrease. */
function offsetsAscend(bytes: Uint8Array, offsetsAt: number, nn: number): boolean {
  let prev = 0;
  const end = offsetsAt + 2 * nn;
  for (let p = offsetsAt; p < end; p += 2) {
    const off = bytes[p]! | (bytes[p + 1]! << 8);
    if (off < prev) return false;
    prev = off;
  }
  return true;
}

function perSlot<A>(slots: number, make: () => A): A[] {
  return Array.from({ length: slots }, make);
}

function u32At(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

function offsetAt(b: Uint8Array, offsetsAt: number, i: number, big: boolean): number {
  if (big) return u32At(b, offsetsAt + 4 * i);
  const p = offsetsAt + 2 * i;
  return b[p] | (b[p + 1] << 8);
}

/** Both id lists strictly ascending (offsets in errors from `base`). */
function checkIds(
  bytes: Uint8Array,
  idsAt: number,
  nn: number,
  total: number,
  big: boolean,
  base: number,
): void {
  let prev = -1;
  for (let i = 0; i < total; i++) {
    if (i === nn) prev = -1;
    const p = big ? idsAt + 4 * i : idsAt + i;
    const id = big ? u32At(bytes, p) : bytes[p];
    if (id <= prev) throw new CodecError(ROW_V2, `column id ${id} does not ascend after ${prev}`, p - base);
    prev = id;
  }
}

/** The value offsets non-decreasing (offsets in errors from `base`). */
function checkOffsets(bytes: Uint8Array, nn: number, big: boolean, offsetsAt: number, base: number): void {
  let prev = 0;
  if (!big) {
    // Small rows (the usual case): u16 offsets read inline.
    const end = offsetsAt + 2 * nn;
    for (let p = offsetsAt; p < end; p += 2) {
      const off = bytes[p]! | (bytes[p + 1]! << 8);
      if (off < prev) {
        throw new CodecError(ROW_V2, `value offset ${off} is below the previous ${prev}`, p - base);
      }
      prev = off;
    }
    return;
  }
  for (let i = 0; i < nn; i++) {
    const off = offsetAt(bytes, offsetsAt, i, big);
    if (off < prev) {
      throw new CodecError(
        ROW_V2,
        `value offset ${off} is below the previous ${prev}`,
        offsetsAt + i * (big ? 4 : 2) - base,
      );
    }
    prev = off;
  }
}

/**
 * The `defaultValue` of a {@link RowV2ColumnSpec} from a `tipb.ColumnInfo`'s `default_val`: the
 * default is stored as one datum in value form (TiDB `EncodeValue`), decoded with the column's
 * field type. Absent or empty bytes mean the column has no default (`undefined`); a NIL datum is
 * a NULL default (`null`). A corrupt datum is a CodecError (format "column default").
 */
export function columnDefaultValue(
  defaultVal: Uint8Array | null | undefined,
  ft: FieldType,
  ctx?: EvalContext,
): RowV2Value | undefined {
  if (defaultVal == null || defaultVal.length === 0) return undefined;
  const dec = new DatumColumnDecoder(ft, ctx, 1);
  const r = new ByteReader(defaultVal, "column default");
  dec.decode(r);
  if (r.remaining !== 0) throw r.error(`${r.remaining} bytes after the default datum`);
  const col = dec.finish();
  if (col.isNull(0)) return null;
  switch (col.evalType) {
    case EvalType.VectorFloat32: {
      const from = col.offsets[0]!;
      return col.data.slice(from, col.offsets[1]!);
    }
    default:
      return col.get(0) as RowV2Value;
  }
}
