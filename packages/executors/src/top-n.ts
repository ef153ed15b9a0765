// The top-N executor (TiKV components/tidb_query_executors/src/top_n_executor.rs), the bounded
// heap it shares with the partition top-N (util/top_n_heap.rs), and TiKV's sort-key comparison of
// values (tidb_query_datatype codec/data_type/scalar.rs `cmp_sort_key`).
//
// Unlike TiKV, which keeps every source batch that still has a row in the heap alive, the heap
// copies out of each batch the rows it still holds at the end of the batch (their output columns
// and order-by values), and compacts its copies once they hold more dead rows than live ones:
// memory stays within about 2n rows plus the batch at hand, whatever the input size.
import { decodeJsonBinary } from "@copr/codec";
import {
  BATCH_MAX_SIZE,
  type ChunkedVecBytes,
  type ChunkedVecDateTime,
  type ChunkedVecDecimal,
  type ChunkedVecDuration,
  type ChunkedVecEnum,
  type ChunkedVecInt,
  type ChunkedVecReal,
  type ChunkedVecSet,
  type ChunkedVecVectorFloat32,
  Collation,
  type Collator,
  type Column,
  collationOf,
  collatorFor,
  compareJson,
  compareTimeWords,
  DECIMAL_CHUNK_WORDS,
  decimalCompareWords,
  EvalContext,
  type EvalType,
  emptyColumn,
  evalTypeOf,
  type FieldType,
  isUnsigned,
  type LogicalRows,
  UnsupportedError,
} from "@copr/datatype";
import { type EvalInput, type EvalResult, evalRpn, type RpnExpression } from "@copr/expr";
import type { tipb } from "@copr/proto";
import {
  type BatchExecuteResult,
  type BatchExecutor,
  Drain,
  type ExecuteStats,
  type IntervalRange,
} from "./interface.js";
import {
  batchLogicalCount,
  buildExprs,
  type ExprBuildOptions,
  expandScalar,
  gatherColumn,
  mergeWarnings,
  rpnFieldType,
  takeWarnings,
} from "./projection.js";

// ---------------------------------------------------------------------------------------------
// Sort-key comparison

/** How values of one order-by (or partition, or truncate) key compare. */
export interface SortKeyType {
  readonly evalType: EvalType;
  /** Int: compare as unsigned 64-bit (from the field type's UNSIGNED flag, as TiKV). */
  readonly unsigned: boolean;
  /** Bytes: the collation of the field type; null for binary (compared byte by byte in place). */
  readonly collator: Collator | null;
}

/**
 * The comparison rules of values of field type `ft` (TiKV takes the collation and signedness
 * from the expression's field type). Throws an UnsupportedError for an unknown collation.
 */
export function sortKeyTypeOf(ft: FieldType): SortKeyType {
  const evalType = evalTypeOf(ft);
  let collator: Collator | null = null;
  if (evalType === "Bytes") {
    const c = collationOf(ft);
    collator = c === Collation.Binary ? null : collatorFor(c);
  }
  return { evalType, unsigned: isUnsigned(ft), collator };
}

const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

/**
 * Compares row `ra` of `a` with row `rb` of `b` (columns of `t.evalType`): -1, 0 or 1, NULL
 * below every value (TiKV `ScalarValueRef::cmp_sort_key`). Strings compare by the collation
 * (PAD SPACE collations ignore trailing spaces), Int by the field type's signedness, DateTime
 * chronologically, JSON by MySQL's JSON order, ENUM by member index, VectorFloat32 element-wise
 * then by length. SET, which TiKV cannot compare (it panics), compares by its member bitmask.
 */
export function compareSortKey(t: SortKeyType, a: Column, ra: number, b: Column, rb: number): number {
  const an = a.isNull(ra);
  const bn = b.isNull(rb);
  if (an || bn) return an === bn ? 0 : an ? -1 : 1;
  switch (t.evalType) {
    case "Int":
      return compareInt(a as ChunkedVecInt, ra, b as ChunkedVecInt, rb, t.unsigned);
    case "Real": {
      const x = (a as ChunkedVecReal).values[ra]!;
      const y = (b as ChunkedVecReal).values[rb]!;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case "Duration": {
      const x = (a as ChunkedVecDuration).nanos[ra]!;
      const y = (b as ChunkedVecDuration).nanos[rb]!;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case "Enum": {
      const x = (a as ChunkedVecEnum).values[ra]!;
      const y = (b as ChunkedVecEnum).values[rb]!;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case "Decimal":
      return decimalCompareWords(
        (a as ChunkedVecDecimal).words,
        ra * DECIMAL_CHUNK_WORDS,
        (b as ChunkedVecDecimal).words,
        rb * DECIMAL_CHUNK_WORDS,
      );
    case "DateTime": {
      const x = (a as ChunkedVecDateTime).words;
      const y = (b as ChunkedVecDateTime).words;
      return compareTimeWords(x[2 * ra]!, x[2 * ra + 1]!, y[2 * rb]!, y[2 * rb + 1]!);
    }
    case "Set": {
      const x = (a as ChunkedVecSet).words;
      const y = (b as ChunkedVecSet).words;
      const h = x[2 * ra + 1]! - y[2 * rb + 1]!;
      return sign(h !== 0 ? h : x[2 * ra]! - y[2 * rb]!);
    }
    case "Bytes": {
      const x = a as ChunkedVecBytes;
      const y = b as ChunkedVecBytes;
      const xs = x.offsets[ra]!;
      const xe = x.offsets[ra + 1]!;
      const ys = y.offsets[rb]!;
      const ye = y.offsets[rb + 1]!;
      if (t.collator === null) return compareRanges(x.data, xs, xe, y.data, ys, ye);
      return t.collator.compare(x.data.subarray(xs, xe), y.data.subarray(ys, ye));
    }
    case "Json":
      return sign(
        compareJson(decodeJsonBinary(a.get(ra) as Uint8Array), decodeJsonBinary(b.get(rb) as Uint8Array)),
      );
    case "VectorFloat32": {
      const x = a as ChunkedVecVectorFloat32;
      const y = b as ChunkedVecVectorFloat32;
      const xs = x.offsets[ra]!;
      const xl = x.offsets[ra + 1]! - xs;
      const ys = y.offsets[rb]!;
      const yl = y.offsets[rb + 1]! - ys;
      const common = Math.min(xl, yl);
      for (let i = 0; i < common; i++) {
        const u = x.data[xs + i]!;
        const v = y.data[ys + i]!;
        if (u > v) return 1;
        if (u < v) return -1;
      }
      return xl < yl ? -1 : xl > yl ? 1 : 0;
    }
  }
}

function compareInt(a: ChunkedVecInt, ra: number, b: ChunkedVecInt, rb: number, unsigned: boolean): number {
  if (a.data.repr === "f64" && b.data.repr === "f64") {
    const x = a.data.values[ra]!;
    const y = b.data.values[rb]!;
    // A negative value read as unsigned is above 2^63: only the bigint path gets that right.
    if (!unsigned || (x >= 0 && y >= 0)) return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = intBits(a, ra, unsigned);
  const y = intBits(b, rb, unsigned);
  return x < y ? -1 : x > y ? 1 : 0;
}

function intBits(c: ChunkedVecInt, r: number, unsigned: boolean): bigint {
  const d = c.data;
  if (d.repr === "f64") {
    const v = BigInt(d.values[r]!);
    return unsigned ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v);
  }
  return unsigned ? d.unsignedValues[r]! : d.values[r]!;
}

function compareRanges(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs);
  for (let i = 0; i < n; i++) {
    const x = a[as + i]!;
    const y = b[bs + i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  const la = ae - as;
  const lb = be - bs;
  return la === lb ? 0 : la < lb ? -1 : 1;
}

/**
 * The values of sort keys evaluated over a batch, as columns and the row of each column that
 * holds logical row `k`: a constant becomes a one-row column read at row 0 for every `k`.
 */
export interface KeyColumns {
  readonly columns: readonly Column[];
  /** Per key: logical row → row of `columns[i]` (null: the same index). */
  readonly rows: readonly LogicalRows[];
}

/** Evaluates `exprs` over `input` (`n` logical rows) as {@link KeyColumns}. */
export function evalKeyColumns(
  exprs: readonly RpnExpression[],
  ctx: EvalContext,
  input: EvalInput,
  n: number,
): KeyColumns {
  const columns: Column[] = [];
  const rows: LogicalRows[] = [];
  for (const e of exprs) {
    const r: EvalResult = evalRpn(e, ctx, input);
    if (r.kind === "scalar") {
      columns.push(expandScalar(r.value, r.fieldType, 1));
      rows.push(new Uint32Array(n));
    } else {
      columns.push(r.column);
      rows.push(r.rows);
    }
  }
  return { columns, rows };
}

/**
 * Compares logical row `i` of `a` with logical row `j` of `b` key by key, each key ascending or
 * (`desc[k]`) descending; 0 when every key is equal.
 */
export function compareKeyRows(
  types: readonly SortKeyType[],
  desc: readonly boolean[] | null,
  a: KeyColumns,
  i: number,
  b: KeyColumns,
  j: number,
): number {
  for (let k = 0; k < types.length; k++) {
    const ar = a.rows[k]!;
    const br = b.rows[k]!;
    const c = compareSortKey(
      types[k]!,
      a.columns[k]!,
      ar === null ? i : ar[i]!,
      b.columns[k]!,
      br === null ? j : br[j]!,
    );
    if (c !== 0) return desc?.[k] ? -c : c;
  }
  return 0;
}

/** Copies logical row `k` of key columns into one-row columns (e.g. to remember it across batches). */
export function keyRowCopy(keys: KeyColumns, k: number): KeyColumns {
  const one = new Uint32Array(1);
  return {
    columns: keys.columns.map((c, i) => {
      const rows = keys.rows[i]!;
      one[0] = rows === null ? k : rows[k]!;
      return gatherColumn([c], null, one);
    }),
    rows: keys.columns.map(() => null),
  };
}

// ---------------------------------------------------------------------------------------------
// The bounded heap

/** Rows the heap may point into: output columns and sort keys, each seen through a row mapping. */
interface Segment {
  readonly columns: readonly Column[];
  /** Segment row → physical row of `columns` (null: the same). */
  readonly rows: LogicalRows;
  readonly keys: KeyColumns;
}

/**
 * A max-heap of at most `n` rows by their sort keys (TiKV `TopNHeap`): adding a row to a full
 * heap replaces the greatest row if the new one is strictly smaller, so of rows with equal keys
 * the earlier ones stay. The heap moves rows exactly as Rust's `BinaryHeap` does (push, `peek_mut`
 * replacement, `into_sorted_vec`), so rows with equal keys come out in the same order as TiKV's —
 * an order SQL leaves unspecified, but one TiKV's tests (and TiDB's results) show.
 *
 * Rows are added from one batch at a time: `beginBatch`, `add` for each logical row, then
 * `endBatch`, which copies the batch's surviving rows out so the batch can be released.
 */
export class TopNHeap {
  private segments: Segment[] = [];
  /** Rows held by `segments` (the current batch excluded). */
  private storedRows = 0;
  private cur = -1;
  private readonly seg: number[] = [];
  private readonly row: number[] = [];

  constructor(
    private readonly n: number,
    private readonly keyTypes: readonly SortKeyType[],
    private readonly desc: readonly boolean[],
    private readonly outSchema: readonly FieldType[],
  ) {}

  /** Rows in the heap. */
  get size(): number {
    return this.seg.length;
  }

  /** Starts adding rows of a batch: its columns and logical rows, and its sort keys. */
  beginBatch(columns: readonly Column[], rows: LogicalRows, keys: KeyColumns): void {
    this.segments.push({ columns, rows, keys });
    this.cur = this.segments.length - 1;
  }

  /** Offers logical row `k` of the current batch. */
  add(k: number): void {
    if (this.n <= 0) return;
    const size = this.seg.length;
    if (size < this.n) {
      this.seg.push(this.cur);
      this.row.push(k);
      this.siftUp(size);
      return;
    }
    if (this.compareRows(this.cur, k, this.seg[0]!, this.row[0]!) < 0) {
      this.seg[0] = this.cur;
      this.row[0] = k;
      this.siftDownRange(0, size);
    }
  }

  /**
   * Appends the heap's rows in ascending order (Rust `into_sorted_vec`) to `outSeg`/`outRow`, and
   * empties the heap.
   */
  takeSorted(outSeg: number[], outRow: number[]): void {
    for (let end = this.seg.length - 1; end > 0; end--) {
      this.swap(0, end);
      this.siftDownRange(0, end);
    }
    for (let p = 0; p < this.seg.length; p++) {
      outSeg.push(this.seg[p]!);
      outRow.push(this.row[p]!);
    }
    this.seg.length = 0;
    this.row.length = 0;
  }

  /** Output columns of rows (`segs[j]`, `rows[j]`) handed out by {@link takeSorted} in this batch. */
  gatherOutput(segs: readonly number[], rows: readonly number[]): Column[] {
    if (segs.length === 0) return this.outSchema.map(emptyColumn);
    return this.outSchema.map((_, c) =>
      this.gatherFrom(
        segs,
        rows,
        (s) => s.columns[c]!,
        (s) => s.rows,
      ),
    );
  }

  /** Ends the current batch: copies out the rows of it still in the heap, compacts if worthwhile. */
  endBatch(): void {
    const cur = this.cur;
    this.cur = -1;
    if (cur < 0) return;
    const positions: number[] = [];
    for (let p = 0; p < this.seg.length; p++) if (this.seg[p] === cur) positions.push(p);
    if (positions.length === 0) {
      this.segments.pop();
    } else {
      const segs = positions.map(() => cur);
      const rows = positions.map((p) => this.row[p]!);
      this.segments[cur] = this.copySegment(segs, rows);
      positions.forEach((p, j) => {
        this.row[p] = j;
      });
      this.storedRows += positions.length;
    }
    const size = this.seg.length;
    if (size === 0) {
      this.segments = [];
      this.storedRows = 0;
    } else if (this.segments.length > 1 && this.storedRows > 2 * size) {
      // More dead rows than live ones: copy the live ones into one segment.
      this.segments = [this.copySegment(this.seg, this.row)];
      for (let p = 0; p < size; p++) {
        this.seg[p] = 0;
        this.row[p] = p;
      }
      this.storedRows = size;
    }
  }

  /** Rows copied out of earlier batches and still held (live or not yet compacted away). */
  get heldRows(): number {
    return this.storedRows;
  }

  private copySegment(segs: readonly number[], rows: readonly number[]): Segment {
    const columns = this.outSchema.map((_, c) =>
      this.gatherFrom(
        segs,
        rows,
        (s) => s.columns[c]!,
        (s) => s.rows,
      ),
    );
    const keys = this.keyTypes.map((_, k) =>
      this.gatherFrom(
        segs,
        rows,
        (s) => s.keys.columns[k]!,
        (s) => s.keys.rows[k]!,
      ),
    );
    return { columns, rows: null, keys: { columns: keys, rows: keys.map(() => null) } };
  }

  private gatherFrom(
    segs: readonly number[],
    rows: readonly number[],
    column: (s: Segment) => Column,
    mapping: (s: Segment) => LogicalRows,
  ): Column {
    const n = segs.length;
    const phys = new Uint32Array(n);
    let single = true;
    for (let j = 0; j < n; j++) {
      const s = segs[j]!;
      if (s !== segs[0]) single = false;
      const m = mapping(this.segments[s]!);
      phys[j] = m === null ? rows[j]! : m[rows[j]!]!;
    }
    if (single) return gatherColumn([column(this.segments[segs[0]!]!)], null, phys);
    return gatherColumn(this.segments.map(column), segs, phys);
  }

  private compareRows(sa: number, ra: number, sb: number, rb: number): number {
    return compareKeyRows(this.keyTypes, this.desc, this.segments[sa]!.keys, ra, this.segments[sb]!.keys, rb);
  }

  private compareAt(i: number, j: number): number {
    return this.compareRows(this.seg[i]!, this.row[i]!, this.seg[j]!, this.row[j]!);
  }

  private swap(i: number, j: number): void {
    const { seg, row } = this;
    const s = seg[i]!;
    seg[i] = seg[j]!;
    seg[j] = s;
    const r = row[i]!;
    row[i] = row[j]!;
    row[j] = r;
  }

  /** Rust `BinaryHeap::sift_up`: stops below a parent that is greater or equal. */
  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      if (this.compareAt(i, parent) <= 0) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Rust `BinaryHeap::sift_down_range` over `[0, end)`: the right child wins ties. */
  private siftDownRange(i: number, end: number): void {
    let child = 2 * i + 1;
    while (end >= 2 && child <= end - 2) {
      if (this.compareAt(child, child + 1) <= 0) child++;
      if (this.compareAt(i, child) >= 0) return;
      this.swap(i, child);
      i = child;
      child = 2 * i + 1;
    }
    if (child === end - 1 && this.compareAt(i, child) < 0) this.swap(i, child);
  }
}

// ---------------------------------------------------------------------------------------------
// The executor

/** Options of the top-N executors. */
export interface TopNOptions extends ExprBuildOptions {
  /**
   * The request's paging size, if paging: with more rows to keep than a page holds (the
   * partition top-N: twice as many), the executor passes the child's batches through untouched
   * and lets TiDB sort (TiKV `EvalConfig::paging_size`).
   */
  pagingSize?: number;
}

/** The order-by expressions of `items`, and whether each is descending. */
export function orderByOf(items: readonly tipb.ByItem.$Properties[]): {
  exprs: tipb.Expr.$Properties[];
  desc: boolean[];
} {
  const exprs: tipb.Expr.$Properties[] = [];
  const desc: boolean[] = [];
  for (const [i, item] of items.entries()) {
    if (item.expr === null || item.expr === undefined) {
      throw new UnsupportedError(`ByItem ${i} has no expression`);
    }
    exprs.push(item.expr);
    desc.push(item.desc === true);
  }
  return { exprs, desc };
}

/** A row count from the request (`tipb` u64 limits), bounded to what a JS number counts exactly. */
export function rowLimit(n: number | bigint): number {
  if (typeof n === "bigint") return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`row limit ${n} is not a non-negative integer`);
  return Math.min(n, Number.MAX_SAFE_INTEGER);
}

/**
 * `ORDER BY … LIMIT n` (TiKV `BatchTopNExecutor`): reads the whole child, keeps the first `n` rows
 * by the order-by items in a bounded heap, and returns them, sorted, in one batch with the last
 * call. NULL sorts first in ascending order (last in descending); strings compare by the
 * collation of the order-by expression's field type; rows with equal keys come out in TiKV's order
 * (see {@link TopNHeap}).
 *
 * Every call before the last returns an empty batch (with the warnings of its input). The child is
 * asked for {@link BATCH_MAX_SIZE} rows each time, since all of its rows are needed anyway. An
 * evaluation error is thrown and ends the executor.
 */
export class BatchTopNExecutor implements BatchExecutor {
  private readonly orderExprs: readonly RpnExpression[];
  private readonly heap: TopNHeap;
  private readonly n: number;
  private readonly passThrough: boolean;
  private ended = false;

  /**
   * Throws an UnsupportedError without order-by items (TiKV "Missing Top N column") and any
   * error of building the order-by expressions over the child's schema.
   */
  constructor(
    private readonly child: BatchExecutor,
    orderBy: readonly tipb.ByItem.$Properties[],
    n: number | bigint,
    private readonly ctx: EvalContext = new EvalContext(),
    options: TopNOptions = {},
  ) {
    if (orderBy.length === 0) throw new UnsupportedError("Missing Top N column");
    const { exprs, desc } = orderByOf(orderBy);
    const schema = child.schema();
    this.orderExprs = buildExprs(exprs, schema, ctx, options);
    const keyTypes = this.orderExprs.map((e) => sortKeyTypeOf(rpnFieldType(e, schema)));
    this.n = rowLimit(n);
    this.heap = new TopNHeap(this.n, keyTypes, desc, schema);
    this.passThrough = options.pagingSize !== undefined && this.n > options.pagingSize;
  }

  schema(): readonly FieldType[] {
    return this.child.schema();
  }

  nextBatch(scanRows: number): BatchExecuteResult {
    if (this.ended) throw new Error("BatchTopNExecutor.nextBatch called after the last batch");
    if (this.n === 0) {
      this.ended = true;
      return this.result([], null, Drain.Drain);
    }
    if (this.passThrough) return this.child.nextBatch(scanRows);
    let src: BatchExecuteResult;
    try {
      src = this.child.nextBatch(BATCH_MAX_SIZE);
      this.process(src);
    } catch (e) {
      this.ended = true;
      throw e;
    }
    const warnings = mergeWarnings(src.warnings, takeWarnings(this.ctx));
    if (src.isDrained === Drain.Remain) return this.result([], warnings, Drain.Remain);
    this.ended = true;
    const segs: number[] = [];
    const rows: number[] = [];
    this.heap.takeSorted(segs, rows);
    return {
      columns: this.heap.gatherOutput(segs, rows),
      logicalRows: null,
      warnings,
      isDrained: Drain.Drain,
    };
  }

  private process(src: BatchExecuteResult): void {
    const n = batchLogicalCount(src);
    if (n === 0) return;
    const input = { schema: this.child.schema(), columns: src.columns, logicalRows: src.logicalRows };
    const keys = evalKeyColumns(this.orderExprs, this.ctx, input, n);
    this.heap.beginBatch(src.columns, src.logicalRows, keys);
    for (let k = 0; k < n; k++) this.heap.add(k);
    this.heap.endBatch();
  }

  private result(
    columns: Column[],
    warnings: BatchExecuteResult["warnings"],
    isDrained: Drain,
  ): BatchExecuteResult {
    return {
      columns: columns.length === 0 ? this.child.schema().map(emptyColumn) : columns,
      logicalRows: null,
      warnings,
      isDrained,
    };
  }

  collectExecStats(dest: ExecuteStats): void {
    this.child.collectExecStats(dest);
  }

  takeScannedRange(): IntervalRange {
    return this.child.takeScannedRange();
  }

  canBeCached(): boolean {
    return this.child.canBeCached();
  }
}
