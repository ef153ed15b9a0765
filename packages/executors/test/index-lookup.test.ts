// The IndexLookUp executor: the table task iterator, the executor's phases, the DAG build with
// parent_idx and intermediate channels, the runner's intermediate outputs, and whole DAG requests
// over a MemoryStorage (int and common handles, regions not served here, paging), decoded back and
// compared with expectations computed here from the rows.
import {
  Datum,
  decodeChunk,
  decodeDefaultRows,
  encodeCommonHandleRecordKey,
  encodeIndexKeyDatums,
  encodeIndexValue,
  encodeKey,
  encodeRecordKey,
  encodeRowV2,
  prefixNext,
  tableIndexRange,
} from "@copr/codec";
import {
  ChunkedVecBytes,
  ChunkedVecInt,
  type Column,
  EvalContext,
  EvalError,
  EvalWarnings,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  StorageError,
} from "@copr/datatype";
import { columnRef, constInt, scalarFunc } from "@copr/expr";
import { i64, tipb, u64 } from "@copr/proto";
import { describe, expect, it } from "vitest";
import { buildExecutorTree, isExecutorUnderParentTp, runDagRequest } from "../src/dag.js";
import {
  AccessorTableTaskIterator,
  BatchIndexLookUpExecutor,
  type FindRegionResult,
  type IndexLayout,
  type RegionInfo,
  type RegionStorageAccessor,
  regionsAccessor,
  type TableTask,
  type TableTaskIterator,
  type TableTaskIterBuilder,
} from "../src/index-lookup.js";
import {
  type BatchExecuteResult,
  type BatchExecutor,
  Drain,
  type ExecuteStats,
  type IntermediateOutputSource,
  type IntervalRange,
} from "../src/interface.js";
import { runDag } from "../src/runner.js";
import { compareKeys, type KeyRange, MemoryStorage, type Storage } from "../src/storage.js";
import { newExecuteStats } from "../src/summary.js";

const T = tipb.ExecType;
const S = tipb.ScalarFuncSig;
const LONG = fieldType(FieldTypeTp.Long);
const LONGLONG = fieldType(FieldTypeTp.LongLong);
const STRING = fieldType(FieldTypeTp.String);

// ---------------------------------------------------------------------------------------------
// Helpers

const TEST_TABLE_ID = 13579;
const rk = (h: number | bigint) => encodeRecordKey(TEST_TABLE_ID, h);
const rkPush = (h: number, b: number) => {
  const k = rk(h);
  const out = new Uint8Array(k.length + 1);
  out.set(k);
  out[k.length] = b;
  return out;
};
const scanRange = (s: number | bigint, e: number | bigint): KeyRange => ({ start: rk(s), end: rk(e) });
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** An index batch as TiKV's `build_index_result`: int handles at the Long column, strings derived elsewhere. */
function indexBatch(handles: number[], logicalRows: number[], types: FieldType[]): BatchExecuteResult {
  const columns: Column[] = types.map((ft, i) =>
    ft.tp === FieldTypeTp.String
      ? ChunkedVecBytes.fromValues(handles.map((h) => String(h + (i + 1) * 1000000)))
      : ChunkedVecInt.fromValues(handles),
  );
  return { columns, logicalRows: Uint32Array.from(logicalRows), warnings: null, isDrained: Drain.Remain };
}

/** One Long column per batch, every row live (TiKV `build_int_array_results`); the last one drains. */
function intResults(batches: number[][]): BatchExecuteResult[] {
  return batches.map((b, i) => ({
    ...indexBatch(
      b,
      b.map((_, j) => j),
      [LONG],
    ),
    isDrained: i === batches.length - 1 ? Drain.Drain : Drain.Remain,
  }));
}

/** The int values of column `c` at the logical rows of a batch. */
function ints(r: BatchExecuteResult, c = 0): number[] {
  const col = r.columns[c] as ChunkedVecInt;
  const rows = r.logicalRows === null ? [...Array(col.length).keys()] : [...r.logicalRows];
  return rows.map((i) => Number(col.get(i)));
}

/** A child replaying results (or errors), like TiKV's MockExecutor; errors do not end it. */
class ScriptedSrc implements BatchExecutor {
  private i = 0;
  readonly calls: number[] = [];
  constructor(
    private readonly types: readonly FieldType[],
    private readonly script: (BatchExecuteResult | Error)[],
  ) {}
  schema() {
    return this.types;
  }
  nextBatch(scanRows: number): BatchExecuteResult {
    this.calls.push(scanRows);
    const r = this.script[this.i++];
    if (r === undefined) throw new Error("nextBatch called after the last batch");
    if (r instanceof Error) throw r;
    return r;
  }
  collectExecStats(_dest: ExecuteStats): void {}
  takeScannedRange(): IntervalRange {
    return { lower: new Uint8Array([1]), upper: new Uint8Array([2]) };
  }
  canBeCached() {
    return true;
  }
}

/** A table task iterator the test feeds (TiKV's MockTableTaskIterator). */
class ScriptedIter implements TableTaskIterator {
  next_: TableTask | null | undefined;
  left: BatchExecuteResult[] | undefined;
  constructor(readonly sourceResults: BatchExecuteResult[]) {}
  next(): TableTask | null {
    const t = this.next_;
    this.next_ = undefined;
    if (t === undefined) throw new Error("unexpected next()");
    return t;
  }
  takeLeftResults(): BatchExecuteResult[] {
    if (this.left === undefined) throw new Error("unexpected takeLeftResults()");
    return this.left;
  }
}

/** Builds ScriptedIters; with `warn`, building raises one warning (TiKV's mock under TRUNCATE_AS_WARNING). */
class ScriptedBuilder implements TableTaskIterBuilder {
  iters: ScriptedIter[] = [];
  constructor(private readonly warn = false) {}
  buildIterator(ctx: EvalContext, results: BatchExecuteResult[]): TableTaskIterator {
    if (this.warn) ctx.warnings.add(EvalError.truncated());
    const it = new ScriptedIter(results);
    this.iters.push(it);
    return it;
  }
  get last(): ScriptedIter {
    return this.iters[this.iters.length - 1]!;
  }
}

/** `int_handle_table_columns([LongLong, ...], 0)`: column ids 1.., the first the int handle. */
function intHandleTableColumns(types: FieldType[]): tipb.ColumnInfo.$Properties[] {
  return types.map((ft, i) => ({
    columnId: i64(i + 1),
    tp: ft.tp,
    flag: ft.flag ?? 0,
    columnLen: ft.flen ?? -1,
    decimal: ft.decimal ?? -1,
    collation: ft.collate ?? 63,
    pkHandle: i === 0,
  }));
}

/** A storage of int-handle rows of one LongLong column (the handle), as TiKV's `expect_next_task`. */
function handleRows(handles: number[]): MemoryStorage {
  const s = new MemoryStorage();
  for (const h of handles) s.put(rk(h), encodeRowV2([1], [LONGLONG], [h]));
  return s;
}

function newLookup(
  src: BatchExecutor,
  builder: TableTaskIterBuilder | null,
  columns: tipb.ColumnInfo.$Properties[],
  extra: { pagingSize?: number; maxKeysRead?: number; ctx?: EvalContext } = {},
): BatchIndexLookUpExecutor {
  return new BatchIndexLookUpExecutor(src, {
    ctx: extra.ctx ?? new EvalContext(),
    tableScan: { columns, primaryColumnIds: [], primaryPrefixColumnIds: [] },
    builder,
    intermediateChannelIndex: 2,
    tableScanChildIndex: 3,
    ...(extra.pagingSize !== undefined ? { pagingSize: extra.pagingSize } : {}),
    ...(extra.maxKeysRead !== undefined ? { maxKeysRead: extra.maxKeysRead } : {}),
  });
}

function fill(lookup: BatchIndexLookUpExecutor, channels: number): BatchExecuteResult[][] {
  const out = Array.from({ length: channels }, (): BatchExecuteResult[] => []);
  lookup.consumeAndFillIntermediateResults(out);
  return out;
}

/** A region accessor answering scripted calls (TiKV's MockRegionStorageAccessor in expect mode). */
class ExpectAccessor implements RegionStorageAccessor {
  find: { key: Uint8Array; result: FindRegionResult | "error" } | null = null;
  storageOk: boolean | null = null;
  calls: { region: RegionInfo; ranges: KeyRange[] }[] = [];
  findRegionByKey(key: Uint8Array): FindRegionResult {
    const f = this.find;
    this.find = null;
    if (f === null) throw new Error("unexpected findRegionByKey");
    expect(compareKeys(key, f.key)).toBe(0);
    if (f.result === "error") throw new StorageError("mock find region error");
    return f.result;
  }
  getLocalRegionStorage(region: RegionInfo, ranges: readonly KeyRange[]): Storage {
    const ok = this.storageOk;
    this.storageOk = null;
    if (ok === null) throw new Error("unexpected getLocalRegionStorage");
    if (!ok) throw new StorageError("mock get storage error");
    this.calls.push({ region, ranges: [...ranges] });
    return new MemoryStorage();
  }
  assertNoExpectations(): void {
    expect(this.find).toBeNull();
    expect(this.storageOk).toBeNull();
  }
}

const region = (id: number, start: Uint8Array, end: Uint8Array): RegionInfo => ({ id, start, end });
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const rangesHex = (rs: readonly KeyRange[]) => rs.map((r) => [hex(r.start), hex(r.end)]);

// ---------------------------------------------------------------------------------------------
// The table task iterator (TiKV index_lookup_executor.rs tests)

describe("AccessorTableTaskIterator", () => {
  const layout1: IndexLayout = { handleTypes: [LONG], handleOffsets: [1] };

  // TiKV test_build_table_task_iterator
  it("orders the handles of every batch (TiKV test_build_table_task_iterator)", () => {
    const types = [STRING, LONG, STRING];
    const iter = new AccessorTableTaskIterator(TEST_TABLE_ID, new ExpectAccessor(), layout1, "int", [
      indexBatch([1, 10, 100, 10000, 1000], [3, 2, 4, 0], types),
      indexBatch([102, 11, 12, 103], [3, 2, 1, 0], types),
      indexBatch([13, 104, 105, 14], [0, 3], types),
      indexBatch([], [], types),
    ]);
    expect(iter.position).toBe(0);
    const got = Array.from({ length: 10 }, (_, i) => {
      const h = iter.handleAt(i);
      return [h.batch, h.logicalRow, Number(h.handle)];
    });
    expect(got).toEqual([
      [0, 3, 1],
      [1, 2, 11],
      [1, 1, 12],
      [2, 0, 13],
      [2, 1, 14],
      [0, 1, 100],
      [1, 3, 102],
      [1, 0, 103],
      [0, 2, 1000],
      [0, 0, 10000],
    ]);
    expect(iter.takeLeftResults()).toEqual([]);
  });

  // TiKV test_table_task_iterator_next_task
  it("groups handles by region, clips point ranges to the region, leaves the rest (TiKV test_table_task_iterator_next_task)", () => {
    const types = [STRING, LONG];
    const acc = new ExpectAccessor();
    const handles = [13, 11, 50, 70, 12, 14, 60, 22, 15, 19, 61, 63, 300, 101, 100, 71, 200];
    const logical = [4, 6, 13, 3, 2, 12, 5, 1, 0, 16, 14, 15, 8, 10, 9, 11];
    const iter = new AccessorTableTaskIterator(TEST_TABLE_ID, acc, layout1, "int", [
      indexBatch([6], [0], types),
      indexBatch(handles, logical, types),
    ]);

    // A leader region: a point range and a merged range.
    let r = region(1, new Uint8Array(0), rk(13));
    acc.find = { key: rk(6), result: { found: true, region: r, leader: true } };
    acc.storageOk = true;
    let task = iter.nextTask();
    expect(task).not.toBeNull();
    expect(rangesHex(task!.keyRanges)).toEqual(rangesHex([scanRange(6, 7), scanRange(11, 13)]));
    expect(acc.calls.pop()).toEqual({ region: r, ranges: task!.keyRanges });
    expect(iter.position).toBe(3);
    acc.assertNoExpectations();

    // 14's point range crosses the region's end: the range ends at the region's end.
    r = region(2, rk(13), rkPush(14, 0));
    acc.find = { key: rk(13), result: { found: true, region: r, leader: true } };
    acc.storageOk = true;
    task = iter.nextTask();
    expect(rangesHex(task!.keyRanges)).toEqual(rangesHex([{ start: rk(13), end: rkPush(14, 0) }]));
    expect(iter.position).toBe(5);

    // The region starts after 14's point range but before 15.
    r = region(3, rkPush(14, 0), rkPush(15, 0));
    acc.find = { key: rk(15), result: { found: true, region: r, leader: true } };
    acc.storageOk = true;
    task = iter.nextTask();
    expect(rangesHex(task!.keyRanges)).toEqual(rangesHex([{ start: rk(15), end: rkPush(15, 0) }]));
    expect(iter.position).toBe(6);

    // A follower: 19 and 50 are left (physical rows 9 and 2).
    acc.find = { key: rk(19), result: { found: true, region: region(4, rk(17), rk(52)), leader: false } };
    expect(iter.nextTask()).toBeNull();
    expect(iter.position).toBe(8);

    // Not found, the next region at 63: 60 and 61 are left.
    acc.find = { key: rk(60), result: { found: false, nextRegionStart: rk(63) } };
    expect(iter.nextTask()).toBeNull();
    expect(iter.position).toBe(10);

    // Found but its storage fails: 63, 70, 71, 100 are left.
    acc.find = { key: rk(63), result: { found: true, region: region(5, rk(63), rk(101)), leader: true } };
    acc.storageOk = false;
    expect(iter.nextTask()).toBeNull();
    expect(iter.position).toBe(14);

    // The lookup fails: 101 alone is left.
    acc.find = { key: rk(101), result: "error" };
    expect(iter.nextTask()).toBeNull();
    expect(iter.position).toBe(15);

    // A region up to the end.
    r = region(6, rk(120), new Uint8Array(0));
    acc.find = { key: rk(200), result: { found: true, region: r, leader: true } };
    acc.storageOk = true;
    task = iter.nextTask();
    expect(rangesHex(task!.keyRanges)).toEqual(rangesHex([scanRange(200, 201), scanRange(300, 301)]));
    expect(iter.position).toBe(17);

    acc.assertNoExpectations();
    expect(iter.isExhausted()).toBe(true);
    expect(iter.nextTask()).toBeNull();
    const left = iter.takeLeftResults();
    expect(left.length).toBe(1);
    const leftPhysical = [9, 2, 6, 10, 11, 3, 15, 14, 13];
    expect([...left[0]!.logicalRows!]).toEqual(logical.filter((i) => leftPhysical.includes(i)));
  });

  // TiKV test_table_task_iterator_next
  it("next() skips the groups that are left (TiKV test_table_task_iterator_next)", () => {
    const store = new MemoryStorage();
    const regions = [
      [100, 200],
      [300, 400],
      [500, 600],
      [700, 800],
      [900, 1000],
    ].map(([s, e], i) => ({ id: i + 1, start: rk(s!), end: rk(e!), storage: store }));
    const handles = [1, 2, 3, 200, 201, 202, 500, 501, 502, 600, 601, 800, 801, 1000, 1001];
    const logical = handles.map((_, i) => i);
    const iter = new AccessorTableTaskIterator(
      TEST_TABLE_ID,
      regionsAccessor(regions),
      { handleTypes: [LONG], handleOffsets: [0] },
      "int",
      [indexBatch(handles, logical, [LONG])],
    );
    const task = iter.next();
    expect(task!.storage).toBe(store);
    expect(rangesHex(task!.keyRanges)).toEqual(rangesHex([scanRange(500, 503)]));
    expect(iter.next()).toBeNull();
    expect(iter.isExhausted()).toBe(true);
    expect(iter.next()).toBeNull();
    expect([...iter.takeLeftResults()[0]!.logicalRows!]).toEqual(
      logical.filter((i) => handles[i]! < 500 || handles[i]! >= 503),
    );
  });

  // TiKV test_table_task_iterator_take_left_results
  it("takeLeftResults keeps the left rows and drops batches with none (TiKV test_table_task_iterator_take_left_results)", () => {
    const layout0: IndexLayout = { handleTypes: [LONG], handleOffsets: [0] };
    const seq = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
    const store = new MemoryStorage();
    let iter = new AccessorTableTaskIterator(
      TEST_TABLE_ID,
      regionsAccessor([{ start: new Uint8Array(0), end: new Uint8Array(0), storage: store }]),
      layout0,
      "int",
      [indexBatch(seq(0, 10), seq(0, 10), [LONG]), indexBatch(seq(10, 20), seq(0, 10), [LONG])],
    );
    expect(iter.next()).not.toBeNull();
    expect(iter.isExhausted()).toBe(true);
    expect(iter.takeLeftResults()).toEqual([]);

    iter = new AccessorTableTaskIterator(
      TEST_TABLE_ID,
      regionsAccessor([
        { start: rk(5), end: rk(10), storage: store },
        { start: rk(11), end: new Uint8Array(0), storage: store },
      ]),
      layout0,
      "int",
      [0, 10, 20, 30].map((b) => indexBatch(seq(b, b + 10), seq(0, 10), [LONG])),
    );
    expect(iter.next()).not.toBeNull();
    expect(iter.next()).not.toBeNull();
    expect(iter.isExhausted()).toBe(true);
    const left = iter.takeLeftResults();
    expect(left.map((r) => [...r.logicalRows!])).toEqual([[0, 1, 2, 3, 4], [0]]);
    expect(ints(left[1]!)).toEqual([10]);
  });

  it("rejects a NULL handle, a non-int handle type and common handles without keys", () => {
    const nullBatch: BatchExecuteResult = {
      columns: [ChunkedVecInt.fromValues([1, null])],
      logicalRows: null,
      warnings: null,
      isDrained: Drain.Remain,
    };
    const make = (layout: IndexLayout, kind: "int" | "common", r: BatchExecuteResult) =>
      new AccessorTableTaskIterator(TEST_TABLE_ID, new ExpectAccessor(), layout, kind, [r]);
    expect(() => make({ handleTypes: [LONG], handleOffsets: [0] }, "int", nullBatch)).toThrow(
      "column 0 at row 1 is not valid, col_type: Int, expect Int, but is other type or None",
    );
    expect(() => make({ handleTypes: [STRING], handleOffsets: [0] }, "int", nullBatch)).toThrow(
      "The column type for IntHandle should be int types, but got String",
    );
    expect(() => make({ handleTypes: [LONG], handleOffsets: [3] }, "int", nullBatch)).toThrow(
      "Invalid handle offset 3 for result columns len: 1",
    );
    expect(() => make({ handleTypes: [LONG], handleOffsets: [0] }, "common", nullBatch)).toThrow(
      "The extra common handle keys are not valid",
    );
  });

  it("handles beyond 2^53 sort and merge as 64-bit values", () => {
    const big = [I64_MAX, I64_MAX - 1n, I64_MIN, 5n];
    const r: BatchExecuteResult = {
      columns: [ChunkedVecInt.fromValues(big)],
      logicalRows: null,
      warnings: null,
      isDrained: Drain.Remain,
    };
    const store = new MemoryStorage();
    const iter = new AccessorTableTaskIterator(
      TEST_TABLE_ID,
      regionsAccessor([{ start: new Uint8Array(0), end: new Uint8Array(0), storage: store }]),
      { handleTypes: [LONGLONG], handleOffsets: [0] },
      "int",
      [r],
    );
    expect([0, 1, 2, 3].map((i) => iter.handleAt(i).handle)).toEqual([I64_MIN, 5n, I64_MAX - 1n, I64_MAX]);
    const task = iter.next()!;
    // MAX-1 and MAX merge; MAX's point range ends at the key after it.
    expect(task.keyRanges.length).toBe(3);
    expect(hex(task.keyRanges[2]!.start)).toBe(hex(rk(I64_MAX - 1n)));
    expect(hex(task.keyRanges[2]!.end)).toBe(hex(prefixNext(rk(I64_MAX))));
  });
});

// ---------------------------------------------------------------------------------------------
// The executor's phases

describe("BatchIndexLookUpExecutor", () => {
  const cols2 = intHandleTableColumns([LONGLONG, STRING]);
  const cols1 = intHandleTableColumns([LONGLONG]);

  // TiKV test_index_lookup_executor_on_index_scan_phase
  it("drained with no rows: Done at once, with the src's warnings and drain flag", () => {
    for (const drain of [Drain.Drain, Drain.PagingDrain]) {
      const w = new EvalWarnings(64);
      for (let i = 0; i < 10; i++) w.add(EvalError.truncated());
      const src = new ScriptedSrc([LONG], [{ ...intResults([[]])[0]!, warnings: w, isDrained: drain }]);
      const lookup = newLookup(src, new ScriptedBuilder(), cols2);
      const r = lookup.nextBatch(128);
      expect(r.logicalRows!.length).toBe(0);
      expect(r.warnings!.count).toBe(10);
      expect(r.isDrained).toBe(drain);
      expect(lookup.inspect().phase).toBe("Done");
      const again = lookup.nextBatch(128);
      expect(again.logicalRows!.length).toBe(0);
      expect(again.isDrained).toBe(drain);
    }
  });

  // TiKV test_index_lookup_executor_on_index_scan_phase
  it("buffers index batches until the lookup batch size, then builds the table tasks (TiKV test_index_lookup_executor_on_index_scan_phase)", () => {
    const results = intResults([[], [1, 3, 5, 7, 9], [10, 11], [], [100], [1000, 1001], [2000], []]);
    const warn = (n: number) => {
      const w = new EvalWarnings(64);
      for (let i = 0; i < n; i++) w.add(EvalError.truncated());
      return w;
    };
    const script: (BatchExecuteResult | Error)[] = [
      { ...results[0]!, warnings: warn(1) },
      { ...results[1]!, warnings: warn(2) },
      results[2]!,
      new Error("mock error"),
      results[4]!,
      results[5]!,
      results[6]!,
      results[7]!,
    ];
    const builder = new ScriptedBuilder(true);
    const lookup = newLookup(new ScriptedSrc([LONG], script), builder, cols2);

    expect(() => lookup.nextBatch(0)).toThrow("scan_rows cannot be 0");
    expect(lookup.inspect()).toMatchObject({ phase: "IndexScan", bufferedRows: 0, tableLookupBatchSize: 0 });

    let r = lookup.nextBatch(128);
    expect([r.logicalRows!.length, r.warnings?.count, r.isDrained]).toEqual([0, 1, Drain.Remain]);
    expect(lookup.inspect()).toMatchObject({
      bufferedBatches: 0,
      bufferedRows: 0,
      tableLookupBatchSize: 128,
    });

    r = lookup.nextBatch(128);
    expect([r.logicalRows!.length, r.warnings?.count]).toEqual([0, 2]);
    expect(lookup.inspect()).toMatchObject({ bufferedBatches: 1, bufferedRows: 5 });

    r = lookup.nextBatch(128);
    expect(r.warnings).toBeNull();
    expect(lookup.inspect()).toMatchObject({ bufferedBatches: 2, bufferedRows: 7 });

    expect(() => lookup.nextBatch(128)).toThrow("mock error");
    expect(lookup.inspect()).toMatchObject({
      bufferedBatches: 2,
      bufferedRows: 7,
      tableLookupBatchSize: 128,
    });

    // The buffer reaching the lookup batch size starts a lookup; the size then doubles.
    lookup.setTableLookupBatchSizes(7);
    r = lookup.nextBatch(128);
    expect([r.logicalRows!.length, r.warnings?.count, r.isDrained]).toEqual([0, 1, Drain.Remain]);
    expect(lookup.inspect()).toMatchObject({
      phase: "TableLookUp",
      tableScanRunning: false,
      tableLookupBatchSize: 14,
    });
    expect(builder.last.sourceResults.map((b) => ints(b))).toEqual([[1, 3, 5, 7, 9], [10, 11], [100]]);

    // No task: back to the index scan, with the doubling capped.
    lookup.setTableLookupBatchSizes(14, 16);
    builder.last.next_ = null;
    builder.last.left = [];
    r = lookup.nextBatch(128);
    expect(r.isDrained).toBe(Drain.Remain);
    expect(lookup.inspect()).toMatchObject({ phase: "IndexScan", bufferedRows: 0 });
    lookup.nextBatch(128);
    lookup.nextBatch(128);
    expect(lookup.inspect()).toMatchObject({ bufferedBatches: 2, bufferedRows: 3 });
    // The index side drains: lookup whatever is buffered.
    r = lookup.nextBatch(128);
    expect([r.warnings?.count, r.isDrained]).toEqual([1, Drain.Remain]);
    expect(lookup.inspect()).toMatchObject({ phase: "TableLookUp", tableLookupBatchSize: 16 });
    expect(builder.last.sourceResults.map((b) => ints(b))).toEqual([[1000, 1001], [2000]]);
  });

  // TiKV test_index_lookup_executor_on_index_scan_phase (PagingDrain case)
  it("PagingDrain of the index side also starts the lookup", () => {
    const src = new ScriptedSrc([LONG], [{ ...intResults([[99, 101]])[0]!, isDrained: Drain.PagingDrain }]);
    const builder = new ScriptedBuilder();
    const lookup = newLookup(src, builder, cols2);
    const r = lookup.nextBatch(128);
    expect(r.isDrained).toBe(Drain.Remain);
    expect(lookup.inspect().phase).toBe("TableLookUp");
    expect(builder.last.sourceResults.map((b) => ints(b))).toEqual([[99, 101]]);
  });

  // TiKV test_index_lookup_executor_on_table_lookup_phase
  it("reads each task's table scan to its end, then returns to the index side (TiKV test_index_lookup_executor_on_table_lookup_phase)", () => {
    const builder = new ScriptedBuilder();
    const lookup = newLookup(new ScriptedSrc([LONG], intResults([[1, 2, 3, 4], [2]])), builder, cols1);
    lookup.setTableLookupBatchSizes(2);
    expect(lookup.nextBatch(4).isDrained).toBe(Drain.Remain);
    expect(lookup.inspect()).toMatchObject({ phase: "TableLookUp", tableScanRunning: false });

    const full = [scanRange(I64_MIN, I64_MAX)];
    builder.last.next_ = { storage: handleRows([1, 2, 3, 4, 5]), keyRanges: full };
    let r = lookup.nextBatch(2);
    expect([ints(r), r.isDrained]).toEqual([[1, 2], Drain.Remain]);
    expect(lookup.inspect().tableScanRunning).toBe(true);
    r = lookup.nextBatch(2);
    expect(ints(r)).toEqual([3, 4]);
    // The scan drains: its last rows, but more may follow.
    r = lookup.nextBatch(2);
    expect([ints(r), r.isDrained]).toEqual([[5], Drain.Remain]);
    expect(lookup.inspect().tableScanRunning).toBe(false);

    builder.last.next_ = { storage: handleRows([10]), keyRanges: full };
    r = lookup.nextBatch(2);
    expect([ints(r), r.isDrained]).toEqual([[10], Drain.Remain]);
    expect(lookup.inspect().tableScanRunning).toBe(false);

    // The tasks are done: the rows left go to the intermediate results.
    builder.last.next_ = null;
    builder.last.left = intResults([
      [7, 8],
      [3, 4],
    ]).map((b) => ({ ...b, isDrained: Drain.Remain }));
    r = lookup.nextBatch(2);
    expect(r.isDrained).toBe(Drain.Remain);
    expect(lookup.inspect()).toMatchObject({ phase: "IndexScan", intermediateBatches: 2, bufferedRows: 0 });

    // The index side drains into a last lookup.
    expect(lookup.nextBatch(2).isDrained).toBe(Drain.Remain);
    expect(lookup.inspect().phase).toBe("TableLookUp");
    builder.last.next_ = null;
    builder.last.left = intResults([[200, 300]]);
    r = lookup.nextBatch(2);
    expect([r.logicalRows!.length, r.isDrained]).toEqual([0, Drain.Drain]);
    expect(lookup.inspect().phase).toBe("Done");
    expect(fill(lookup, 3)[2]!.map((b) => ints(b))).toEqual([
      [7, 8],
      [3, 4],
      [200, 300],
    ]);
  });

  it("ends with PagingDrain when the index side did, and passes table scan errors up", () => {
    const builder = new ScriptedBuilder();
    const src = new ScriptedSrc([LONG], [{ ...intResults([[1]])[0]!, isDrained: Drain.PagingDrain }]);
    const lookup = newLookup(src, builder, cols1);
    expect(lookup.nextBatch(128).isDrained).toBe(Drain.Remain);
    builder.last.next_ = null;
    builder.last.left = intResults([[100, 101]]);
    const r = lookup.nextBatch(2);
    expect(r.isDrained).toBe(Drain.PagingDrain);
    expect(fill(lookup, 3)[2]!.map((b) => ints(b))).toEqual([[100, 101]]);

    // TiKV: expect_next_task_err_storage
    const b2 = new ScriptedBuilder();
    const l2 = newLookup(new ScriptedSrc([LONG], intResults([[1]])), b2, cols1);
    l2.nextBatch(128);
    const failing: Storage = {
      scan: () => {
        throw new StorageError("mock storage error");
      },
      get: () => {
        throw new StorageError("mock storage error");
      },
    };
    b2.last.next_ = { storage: failing, keyRanges: [scanRange(I64_MIN, I64_MAX)] };
    expect(() => l2.nextBatch(2)).toThrow("mock storage error");
  });

  // TiKV test_force_no_lookup
  it("paging, max_keys_read or no builder: every index row goes to the intermediate results (TiKV test_force_no_lookup)", () => {
    const src = () => new ScriptedSrc([LONG], intResults([[1]]));
    expect(newLookup(src(), new ScriptedBuilder(), cols1).forceNoIndexLookup).toBe(false);
    expect(newLookup(src(), new ScriptedBuilder(), cols1, { pagingSize: 128 }).forceNoIndexLookup).toBe(true);
    expect(newLookup(src(), new ScriptedBuilder(), cols1, { maxKeysRead: 64 }).forceNoIndexLookup).toBe(true);

    const res = intResults([[123, 456], [], [789]]);
    const lookup = newLookup(
      new ScriptedSrc([LONG], [res[0]!, new Error("mock error"), res[2]!]),
      null,
      cols1,
    );
    expect(lookup.forceNoIndexLookup).toBe(true);
    let r = lookup.nextBatch(128);
    expect([r.logicalRows!.length, r.isDrained]).toEqual([0, Drain.Remain]);
    expect(() => lookup.nextBatch(128)).toThrow("mock error");
    r = lookup.nextBatch(128);
    expect(r.isDrained).toBe(Drain.Drain);
    expect(fill(lookup, 3)[2]!.map((b) => ints(b))).toEqual([[123, 456], [789]]);
  });

  // TiKV test_consume_and_fill_intermediate_results
  it("moves its intermediate results to its channel, then the child's (TiKV test_consume_and_fill_intermediate_results)", () => {
    const lookup = newLookup(new ScriptedSrc([LONG], intResults([[1, 2], [3]])), null, cols1);
    lookup.nextBatch(8);
    lookup.nextBatch(8);
    expect(() => fill(lookup, 2)).toThrow("intermediate_channel_index 2 exceeds the bound: 2");
    const channels = Array.from({ length: 4 }, (): BatchExecuteResult[] => []);
    lookup.consumeAndFillIntermediateResults(channels);
    expect(channels.map((c) => c.map((b) => ints(b)))).toEqual([[], [], [[1, 2], [3]], []]);
    // Appends, and nothing twice.
    lookup.consumeAndFillIntermediateResults(channels);
    expect(channels[2]!.length).toBe(2);

    // A child with its own channel (an IndexLookUp below) is drained too.
    const child = Object.assign(new ScriptedSrc([LONG], intResults([[7, 4]])), {
      pending: intResults([[100]]),
      intermediateSchema: (i: number) => {
        if (i === 1) return [LONG];
        throw new Error(`no intermediate schema for index ${i}`);
      },
      consumeAndFillIntermediateResults(results: BatchExecuteResult[][]) {
        results[1]!.push(...this.pending);
        this.pending = [];
      },
    });
    const outer = newLookup(child, null, cols1);
    outer.nextBatch(8);
    outer.consumeAndFillIntermediateResults(channels);
    expect(channels[2]!.map((b) => ints(b))).toEqual([[1, 2], [3], [7, 4]]);
    expect(channels[1]!.map((b) => ints(b))).toEqual([[100]]);

    // TiKV test_intermediate_schema
    expect(outer.intermediateSchema(2)).toEqual([LONG]);
    expect(outer.intermediateSchema(1)).toEqual([LONG]);
    expect(() => outer.intermediateSchema(0)).toThrow("no intermediate schema for index 0");
    expect(() => lookup.intermediateSchema(0)).toThrow(
      "The intermediate schema is not found until root executor, index: 0",
    );
  });

  // TiKV test_collect_table_scan_summary
  it("counts the lookups' table scans in the TableScan child's summary slot (TiKV test_collect_table_scan_summary)", () => {
    const builder = new ScriptedBuilder();
    const lookup = newLookup(
      new ScriptedSrc([LONG], intResults([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]])),
      builder,
      cols2,
    );
    expect(lookup.nextBatch(128).isDrained).toBe(Drain.Remain);
    const full = [scanRange(I64_MIN, I64_MAX)];
    builder.last.next_ = { storage: handleRows([1, 2, 3, 4, 5]), keyRanges: full };
    expect(lookup.nextBatch(128).isDrained).toBe(Drain.Remain);
    builder.last.next_ = { storage: handleRows([6, 7, 8, 9, 10]), keyRanges: full };
    expect(lookup.nextBatch(2).isDrained).toBe(Drain.Remain);
    const stats = newExecuteStats(lookup.tableScanChildIndex + 2);
    lookup.collectExecStats(stats);
    const s = stats.summaryPerExecutor[lookup.tableScanChildIndex]!;
    expect([s.numProducedRows, s.numIterations]).toEqual([7, 2]);
    expect(stats.scannedRowsPerRange).toEqual([]);
    // A second collection holds only what came after.
    const again = newExecuteStats(5);
    lookup.collectExecStats(again);
    expect(again.summaryPerExecutor[3]!.numIterations).toBe(0);
  });

  it("is never cacheable and reports the index side's range", () => {
    const lookup = newLookup(new ScriptedSrc([LONG], intResults([[1]])), null, cols1);
    expect(lookup.canBeCached()).toBe(false);
    expect(lookup.takeScannedRange()).toEqual({ lower: new Uint8Array([1]), upper: new Uint8Array([2]) });
  });
});

// ---------------------------------------------------------------------------------------------
// Building from descriptors (TiKV runner.rs tests)

const col = (id: number, tp: number): tipb.ColumnInfo.$Properties => ({ columnId: i64(id), tp });
const idxScanDesc = (
  tableId: number,
  cols: tipb.ColumnInfo.$Properties[],
  parentIdx = 0,
): tipb.Executor.$Properties => ({
  tp: T.TypeIndexScan,
  idxScan: { tableId: i64(tableId), indexId: i64(1), columns: cols },
  ...(parentIdx > 0 ? { parentIdx } : {}),
});
const tblScanDesc = (tableId: number, cols: tipb.ColumnInfo.$Properties[]): tipb.Executor.$Properties => ({
  tp: T.TypeTableScan,
  tblScan: { tableId: i64(tableId), columns: cols },
});
const lookupDesc = (offsets: number[], keepOrder = false): tipb.Executor.$Properties => ({
  tp: T.TypeIndexLookUp,
  indexLookup: { indexHandleOffsets: offsets, ...(keepOrder ? { keepOrder } : {}) },
});
const limitDesc = (n: number, parentIdx = 0): tipb.Executor.$Properties => ({
  tp: T.TypeLimit,
  limit: { limit: u64(n) },
  ...(parentIdx > 0 ? { parentIdx } : {}),
});
const selectionDesc = (): tipb.Executor.$Properties => ({
  tp: T.TypeSelection,
  selection: { conditions: [columnRef(0, LONGLONG)] },
});
const projectionDesc = (): tipb.Executor.$Properties => ({
  tp: T.TypeProjection,
  Projection: { exprs: [columnRef(0, LONGLONG)] },
});

describe("building IndexLookUp plans", () => {
  // TiKV test_is_executor_under_parent_tp
  it("isExecutorUnderParentTp follows parent_idx (TiKV test_is_executor_under_parent_tp)", () => {
    const e = (tp: number, parentIdx: number): tipb.Executor.$Properties => ({ tp, parentIdx });
    const execs = [
      e(T.TypeIndexScan, 0),
      e(T.TypeSelection, 0),
      e(T.TypeLimit, 5),
      e(T.TypeTableScan, 0),
      e(T.TypeAggregation, 0),
      e(T.TypeIndexLookUp, 0),
      e(T.TypeLimit, 0),
    ];
    expect(execs.map((_, i) => isExecutorUnderParentTp(T.TypeIndexLookUp, execs, i))).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(() =>
      isExecutorUnderParentTp(T.TypeIndexLookUp, [e(T.TypeIndexScan, 2), e(T.TypeSelection, 0)], 0),
    ).toThrow("invalid parent index: 2, for executor with index: 0, executors len: 2");
    const bad = [
      e(T.TypeIndexScan, 0),
      e(T.TypeSelection, 0),
      e(T.TypeLimit, 0),
      e(T.TypeTableScan, 3),
      e(T.TypeIndexLookUp, 0),
    ];
    expect(() => isExecutorUnderParentTp(T.TypeIndexLookUp, bad, 0)).toThrow(
      "invalid parent index: 3, for executor with index: 3, executors len: 5",
    );
  });

  // TiKV test_build_index_lookup_executors
  it("builds Projection <- Selection <- IndexLookUp <- Limit <- IndexScan and checks the plan (TiKV test_build_index_lookup_executors)", () => {
    const indexCols = [col(2, FieldTypeTp.String), col(1, FieldTypeTp.LongLong)];
    const tableCols = [col(1, FieldTypeTp.LongLong), col(2, FieldTypeTp.String)];
    const descs = [
      idxScanDesc(123, indexCols),
      limitDesc(128, 3),
      tblScanDesc(456, tableCols),
      lookupDesc([1]),
      selectionDesc(),
      projectionDesc(),
    ];
    const channels = [
      { executorIdx: 2, outputOffsets: [2, 3] },
      { executorIdx: 3, outputOffsets: [2, 3] },
    ];
    const build = (d: tipb.Executor.$Properties[], ch: tipb.IntermediateOutputChannel.$Properties[]) =>
      buildExecutorTree(d, {
        storage: new MemoryStorage(),
        ranges: [],
        ctx: new EvalContext(),
        collectSummaries: true,
        intermediateOutputChannels: ch,
      });
    const tree = build(descs, channels);
    expect(tree.intermediate.intermediateSchema(1).map((f) => f.tp)).toEqual([
      FieldTypeTp.String,
      FieldTypeTp.LongLong,
    ]);
    for (const i of [0, 2]) {
      expect(() => tree.intermediate.intermediateSchema(i)).toThrow(
        `The intermediate schema is not found until root executor, index: ${i}`,
      );
    }
    // Summary slots: the projection is at 5; the plan's output is the projection's.
    expect((tree.executor as unknown as { outputIndex: number }).outputIndex).toBe(5);
    expect(tree.executor.schema().map((f) => f.tp)).toEqual([FieldTypeTp.LongLong]);

    const msg = "IndexLookup should have exactly one intermediate output channel";
    expect(() => build(descs, [])).toThrow(`${msg}, but got 0, []`);
    expect(() => build(descs, [channels[0]!])).toThrow(`${msg}, but got 0, []`);
    expect(() => build(descs, [channels[1]!, { executorIdx: 3, outputOffsets: [2, 3] }])).toThrow(
      `${msg}, but got 2, [0, 1]`,
    );
    // The probe side has two executors.
    expect(() =>
      build(
        [
          idxScanDesc(123, indexCols),
          limitDesc(128, 4),
          tblScanDesc(456, tableCols),
          limitDesc(10),
          lookupDesc([1]),
          selectionDesc(),
        ],
        [{ executorIdx: 4, outputOffsets: [0] }],
      ),
    ).toThrow("IndexLookUp should have one child executor, but got 2");
    const wrongChild = [...descs];
    wrongChild[2] = idxScanDesc(123, indexCols);
    expect(() => build(wrongChild, channels)).toThrow(
      "IndexLookup's child should be TableScan, but got TypeIndexScan",
    );
    // keep_order is refused.
    const ordered = [...descs];
    ordered[3] = lookupDesc([1], true);
    expect(() => build(ordered, channels)).toThrow(
      "IndexLookupExecutor does not support keep order currently",
    );
    // A parent index before its executor.
    const backwards = [...descs];
    backwards[4] = { ...selectionDesc(), parentIdx: 2 };
    expect(() => build(backwards, channels)).toThrow("Invalid parent index: 2 for executor at index 4");
  });

  // TiKV test_build_runner_with_index_lookup
  it("resolves each channel's encode type and rejects channels of no executor (TiKV test_build_runner_with_index_lookup)", () => {
    const TID = 456;
    // TiKV's index and table sides also have a Geometry column (chunk-less, so encoded as datum
    // rows); copr cannot hold Geometry values and refuses it, so the fallback of a channel is
    // checked on runDag below.
    const indexCols = [col(3, FieldTypeTp.String), col(1, FieldTypeTp.LongLong)];
    const tableCols = [
      col(1, FieldTypeTp.LongLong),
      col(2, FieldTypeTp.Float),
      col(3, FieldTypeTp.String),
      col(4, FieldTypeTp.Timestamp),
    ];
    const dag = (
      outputOffsets: number[],
      channelOffsets: number[],
      extra: tipb.IntermediateOutputChannel.$Properties[] = [],
    ) => ({
      executors: [idxScanDesc(TID, indexCols, 2), tblScanDesc(TID, tableCols), lookupDesc([1])],
      outputOffsets,
      encodeType: tipb.EncodeType.TypeChunk,
      intermediateOutputChannels: [{ executorIdx: 2, outputOffsets: channelOffsets }, ...extra],
    });
    const run = (d: tipb.DAGRequest.$Properties) =>
      runDagRequest(d, { storage: new MemoryStorage(), ranges: [tableIndexRange(TID, 1)] }).response;
    const enc = (r: tipb.SelectResponse.$Properties) => [
      r.encodeType,
      r.intermediateOutputs?.map((o) => o.encodeType),
    ];
    const C = tipb.EncodeType.TypeChunk;
    const D = tipb.EncodeType.TypeDefault;
    expect(run(dag([0, 3], [1, 0])).error ?? null).toBeNull();
    expect(enc(run(dag([0, 3], [1, 0])))).toEqual([C, [C]]);
    const geometryTable = dag([0, 3], [1, 0]);
    geometryTable.executors[1] = tblScanDesc(TID, [...tableCols, col(5, FieldTypeTp.Geometry)]);
    expect(run(geometryTable).error?.msg).toBe("Unsupported type: Geometry");
    const GEOMETRY = { tp: FieldTypeTp.Geometry, flag: 0, flen: -1, decimal: -1, collate: 63 };
    const viaRunDag = (offsets: number[]) =>
      runDag(new BatchesExec([{ ...intResults([[]])[0]!, isDrained: Drain.Drain }]), new EvalContext(), {
        outputOffsets: [0],
        encodeType: C,
        intermediate: {
          channels: [{ schema: [STRING, LONGLONG, GEOMETRY], outputOffsets: offsets }],
          source: listSource([]),
        },
      }).response.intermediateOutputs!.map((o) => o.encodeType);
    expect(viaRunDag([1, 0])).toEqual([C]);
    expect(viaRunDag([2, 0])).toEqual([D]);
    expect(run(dag([0, 3], [1, 0], [{ executorIdx: 3, outputOffsets: [0] }])).error?.msg).toContain(
      "Invalid intermediate output channel idx: 3",
    );
    expect(
      run(dag([0, 3], [1, 0], [{ outputOffsets: [0] } as tipb.IntermediateOutputChannel.$Properties])).error
        ?.msg,
    ).toContain("Invalid intermediate output channel idx: None");
    // A channel of an executor that feeds none.
    expect(run(dag([0, 3], [1, 0], [{ executorIdx: 0, outputOffsets: [0] }])).error?.msg).toBe(
      "The intermediate schema is not found until root executor, index: 1",
    );
    expect(() => run(dag([0, 3], [7]))).toThrow(
      "Invalid output offset (schema has 2 columns, access index 7)",
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The runner's intermediate outputs (TiKV runner.rs test_handle_request)

class BatchesExec implements BatchExecutor {
  private i = 0;
  constructor(private readonly batches: BatchExecuteResult[]) {}
  schema() {
    return [LONG];
  }
  nextBatch(): BatchExecuteResult {
    return this.batches[this.i++]!;
  }
  collectExecStats(): void {}
  takeScannedRange(): IntervalRange {
    return { lower: Uint8Array.of(0x61), upper: Uint8Array.of(0x63) };
  }
  canBeCached() {
    return false;
  }
}

function listSource(perLoop: number[][][]): IntermediateOutputSource {
  let loop = 0;
  return {
    intermediateSchema: () => [LONG],
    consumeAndFillIntermediateResults(results) {
      for (const b of perLoop[loop++] ?? []) results[0]!.push(intResults([b])[0]!);
    },
  };
}

const seqFrom = (base: number, n: number) => Array.from({ length: n }, (_, i) => base + i);
const chunkInts = (c: tipb.Chunk.$Properties) => {
  const [col0] = decodeChunk(c.rowsData!, [LONG]) as [ChunkedVecInt];
  return [...Array(col0.length).keys()].map((i) => Number(col0.get(i)));
};

describe("runDag with intermediate outputs", () => {
  // TiKV test_handle_request
  it("encodes the intermediate rows after every batch, and counts them for paging (TiKV test_handle_request)", () => {
    const batch = (v: number[], d = Drain.Remain) => ({ ...intResults([v])[0]!, isDrained: d });
    const channel = { schema: [LONG], outputOffsets: [0] };
    let { response, range } = runDag(
      new BatchesExec([batch([]), batch(seqFrom(0, 3)), batch(seqFrom(10, 2), Drain.Drain)]),
      new EvalContext(),
      {
        outputOffsets: [0],
        encodeType: tipb.EncodeType.TypeChunk,
        intermediate: {
          channels: [channel],
          source: listSource([[[1000], [1010, 1011]], [seqFrom(1100, 3)]]),
        },
      },
    );
    expect(range).toBeNull();
    expect(response.chunks!.map(chunkInts)).toEqual([
      [0, 1, 2],
      [10, 11],
    ]);
    expect(response.intermediateOutputs!.length).toBe(1);
    expect(response.intermediateOutputs![0]!.encodeType).toBe(tipb.EncodeType.TypeChunk);
    expect(response.intermediateOutputs![0]!.chunks!.map(chunkInts)).toEqual([
      [1000],
      [1010, 1011],
      [1100, 1101, 1102],
    ]);

    // Paging at 5 rows: 1 + 1 main rows and 1 + 2 intermediate rows reach it after two batches.
    ({ response, range } = runDag(
      new BatchesExec([batch([0]), batch([10]), batch([100])]),
      new EvalContext(),
      {
        outputOffsets: [0],
        encodeType: tipb.EncodeType.TypeChunk,
        pagingSize: 5,
        intermediate: { channels: [channel], source: listSource([[[1000]], [[1100], [1200]], [[1300]]]) },
      },
    ));
    expect(range).toEqual({ lower: Uint8Array.of(0x61), upper: Uint8Array.of(0x63) });
    expect(response.chunks!.map(chunkInts)).toEqual([[0], [10]]);
    expect(response.intermediateOutputs![0]!.chunks!.map(chunkInts)).toEqual([[1000], [1100], [1200]]);
  });

  it("encodes a channel with datum rows when asked", () => {
    const { response } = runDag(
      new BatchesExec([{ ...intResults([[1]])[0]!, isDrained: Drain.Drain }]),
      new EvalContext(),
      {
        outputOffsets: [0],
        encodeType: tipb.EncodeType.TypeDefault,
        intermediate: {
          channels: [{ schema: [LONG], outputOffsets: [0, 0] }],
          source: listSource([[[5, 6]]]),
        },
      },
    );
    const out = response.intermediateOutputs![0]!;
    expect(out.encodeType).toBe(tipb.EncodeType.TypeDefault);
    const cols = decodeDefaultRows(out.chunks![0]!.rowsData!, [LONG, LONG]) as ChunkedVecInt[];
    expect(cols.map((c) => [0, 1].map((i) => Number(c.get(i))))).toEqual([
      [5, 6],
      [5, 6],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Whole DAG requests over a MemoryStorage

const TABLE = 70;
const IDX = 3;
const ID = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.PriKey | FieldTypeFlag.NotNull });
const A = fieldType(FieldTypeTp.LongLong);
const B = fieldType(FieldTypeTp.VarString, { collate: 63 });

interface Row {
  id: number;
  a: number;
  b: string | null;
}
const ROWS: Row[] = Array.from({ length: 60 }, (_, i) => ({
  id: i * 7 - 100,
  a: (i * 13) % 10,
  b: i % 4 === 0 ? null : `s${i}`,
}));

const ci = (id: number, ft: FieldType, pkHandle = false): tipb.ColumnInfo.$Properties => ({
  columnId: i64(id),
  tp: ft.tp,
  flag: ft.flag ?? 0,
  columnLen: ft.flen ?? -1,
  decimal: ft.decimal ?? -1,
  collation: ft.collate ?? 63,
  pkHandle,
});

const intStore = new MemoryStorage();
for (const r of ROWS) {
  intStore.put(encodeRecordKey(TABLE, r.id), encodeRowV2([2, 3], [A, B], [r.a, r.b]));
  intStore.put(
    encodeIndexKeyDatums(TABLE, IDX, [Datum.int(r.a), Datum.int(r.id)]),
    encodeIndexValue({ unique: false, handle: { kind: "int", value: r.id } }),
  );
}

/** IndexScan(a, id) -> IndexLookUp(TableScan(id, a, b)), maybe with more executors above. */
function intLookupDag(
  above: tipb.Executor.$Properties[] = [],
  extra: Partial<tipb.DAGRequest.$Properties> = {},
) {
  return {
    executors: [
      {
        ...idxScanDesc(TABLE, [ci(2, A), ci(1, ID, true)], 2),
        idxScan: { tableId: i64(TABLE), indexId: i64(IDX), columns: [ci(2, A), ci(1, ID, true)] },
      },
      tblScanDesc(TABLE, [ci(1, ID, true), ci(2, A), ci(3, B)]),
      lookupDesc([1]),
      ...above,
    ],
    outputOffsets: [0, 1, 2],
    encodeType: tipb.EncodeType.TypeChunk,
    timeZoneOffset: i64(0),
    flags: u64(0),
    intermediateOutputChannels: [{ executorIdx: 2, outputOffsets: [1, 0] }],
    ...extra,
  };
}

function decodeRows(chunks: readonly tipb.Chunk.$Properties[], types: FieldType[]): unknown[][] {
  return chunks.flatMap((c) => {
    const cols = decodeChunk(c.rowsData!, types);
    return Array.from({ length: cols[0]!.length }, (_, i) =>
      cols.map((colm) => {
        const v = (colm as { get(i: number): unknown }).get(i);
        if (v instanceof Uint8Array) return Buffer.from(v).toString();
        return typeof v === "bigint" ? Number(v) : v;
      }),
    );
  });
}

const asTableRow = (r: Row) => [r.id, r.a, r.b];
/** The index order: by a, then by handle. */
const indexOrder = [...ROWS].sort((x, y) => x.a - y.a || x.id - y.id);
const byId = (x: Row, y: Row) => x.id - y.id;

describe("IndexLookUp DAG requests", () => {
  const indexRange = [tableIndexRange(TABLE, IDX)];

  it("all handles local: every row, each lookup batch in handle order", () => {
    const { response, range } = runDagRequest(intLookupDag(), { storage: intStore, ranges: indexRange });
    expect(response.error ?? null).toBeNull();
    expect(range).toBeNull();
    // The runner asks for 32 rows first: that many index rows make the first lookup, the rest
    // (the next request being for 256) the second; each lookup reads its rows in handle order.
    const expected = [...indexOrder.slice(0, 32).sort(byId), ...indexOrder.slice(32).sort(byId)];
    expect(decodeRows(response.chunks!, [ID, A, B])).toEqual(expected.map(asTableRow));
    expect(response.intermediateOutputs!.length).toBe(1);
    expect(response.intermediateOutputs![0]!.chunks).toEqual([]);
  });

  it("handles outside the local region go back as index rows in the intermediate output", () => {
    const accessor = regionsAccessor([
      { start: encodeRecordKey(TABLE, -50), end: encodeRecordKey(TABLE, 100), storage: intStore },
      {
        start: encodeRecordKey(TABLE, 200),
        end: encodeRecordKey(TABLE, 250),
        storage: intStore,
        leader: false,
      },
    ]);
    const { response } = runDagRequest(intLookupDag(), {
      storage: intStore,
      ranges: indexRange,
      regionAccessor: accessor,
    });
    expect(response.error ?? null).toBeNull();
    const local = (r: Row) => r.id >= -50 && r.id < 100;
    const main = decodeRows(response.chunks!, [ID, A, B]);
    const expectedMain = [
      ...indexOrder.slice(0, 32).filter(local).sort(byId),
      ...indexOrder.slice(32).filter(local).sort(byId),
    ];
    expect(main).toEqual(expectedMain.map(asTableRow));
    // Channel offsets [1, 0]: (id, a), in index order.
    const inter = decodeRows(response.intermediateOutputs![0]!.chunks!, [ID, A]);
    expect(inter).toEqual(indexOrder.filter((r) => !local(r)).map((r) => [r.id, r.a]));
    expect(main.length + inter.length).toBe(ROWS.length);
  });

  it("no accessor: every index row goes back", () => {
    const { response } = runDagRequest(intLookupDag(), {
      storage: intStore,
      ranges: indexRange,
      regionAccessor: null,
    });
    expect(response.chunks).toEqual([]);
    expect(decodeRows(response.intermediateOutputs![0]!.chunks!, [ID, A])).toEqual(
      indexOrder.map((r) => [r.id, r.a]),
    );
  });

  it("a selection above the lookup filters the looked-up rows", () => {
    const sel: tipb.Executor.$Properties = {
      tp: T.TypeSelection,
      selection: { conditions: [scalarFunc(S.GTInt, A, columnRef(0, ID), constInt(60))] },
    };
    const { response } = runDagRequest(intLookupDag([sel]), { storage: intStore, ranges: indexRange });
    expect(response.error ?? null).toBeNull();
    const got = decodeRows(response.chunks!, [ID, A, B]);
    const expected = [...indexOrder.slice(0, 32).sort(byId), ...indexOrder.slice(32).sort(byId)].filter(
      (r) => r.id > 60,
    );
    expect(got).toEqual(expected.map(asTableRow));
    expect(got.length).toBeGreaterThan(0);
  });

  it("paging: nothing is looked up, index rows come back until the page is full", () => {
    const { response, range } = runDagRequest(intLookupDag(), {
      storage: intStore,
      ranges: indexRange,
      pagingSize: 5,
    });
    expect(response.error ?? null).toBeNull();
    expect(response.chunks).toEqual([]);
    // The first batch (32 index rows) already passes the 5 rows of the page.
    const inter = decodeRows(response.intermediateOutputs![0]!.chunks!, [ID, A]);
    expect(inter).toEqual(indexOrder.slice(0, 32).map((r) => [r.id, r.a]));
    const last = indexOrder[31]!;
    const lastKey = encodeIndexKeyDatums(TABLE, IDX, [Datum.int(last.a), Datum.int(last.id)]);
    expect(hex(range!.lower)).toBe(hex(indexRange[0]!.start));
    expect(hex(range!.upper)).toBe(`${hex(lastKey)}00`);
  });

  it("execution summaries: the TableScan child's slot counts the lookups", () => {
    const { response } = runDagRequest(intLookupDag([], { collectExecutionSummaries: true }), {
      storage: intStore,
      ranges: indexRange,
    });
    const s = response.executionSummaries!.map((x) => Number(x.numProducedRows));
    expect(s).toEqual([ROWS.length, ROWS.length, ROWS.length]);
    // Output counts are the index side's only.
    expect(response.outputCounts!.map(Number)).toEqual([ROWS.length]);
  });

  it("an IndexLookUp in an aggregation-free plan with a limit on the index side", () => {
    const execs = intLookupDag().executors as tipb.Executor.$Properties[];
    const withLimit = [{ ...execs[0]!, parentIdx: 0 }, limitDesc(10, 3), execs[1]!, execs[2]!];
    const { response } = runDagRequest(
      {
        ...intLookupDag(),
        executors: withLimit,
        intermediateOutputChannels: [{ executorIdx: 3, outputOffsets: [1] }],
      },
      { storage: intStore, ranges: indexRange },
    );
    expect(response.error ?? null).toBeNull();
    expect(decodeRows(response.chunks!, [ID, A, B])).toEqual(
      indexOrder.slice(0, 10).sort(byId).map(asTableRow),
    );
  });

  // Common handles: a clustered table with primary key (p1, p2).
  describe("common handles", () => {
    const CT = 71;
    const NON_UNIQUE = 1;
    const UNIQUE = 2;
    const P1 = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.PriKey | FieldTypeFlag.NotNull });
    const P2 = fieldType(FieldTypeTp.VarString, {
      flag: FieldTypeFlag.PriKey | FieldTypeFlag.NotNull,
      collate: 63,
    });
    interface CRow {
      p1: number;
      p2: string;
      a: number;
    }
    const CROWS: CRow[] = Array.from({ length: 40 }, (_, i) => ({
      p1: i % 5,
      p2: `k${(i * 7) % 40}`,
      a: 1000 - i * 3,
    }));
    const handleOf = (r: CRow) => encodeKey([Datum.int(r.p1), Datum.bytes(r.p2)]);
    const store = new MemoryStorage();
    for (const r of CROWS) {
      store.put(encodeCommonHandleRecordKey(CT, handleOf(r)), encodeRowV2([3], [A], [r.a]));
      store.put(
        encodeIndexKeyDatums(CT, NON_UNIQUE, [Datum.int(r.a), Datum.int(r.p1), Datum.bytes(r.p2)]),
        Uint8Array.of(0x30),
      );
      store.put(
        encodeIndexKeyDatums(CT, UNIQUE, [Datum.int(r.a)]),
        encodeIndexValue({ unique: true, handle: { kind: "common", encoded: handleOf(r) } }),
      );
    }
    const cmpHandle = (x: CRow, y: CRow) => compareKeys(handleOf(x), handleOf(y));
    const dag = (indexId: number) => ({
      executors: [
        {
          tp: T.TypeIndexScan,
          idxScan: {
            tableId: i64(CT),
            indexId: i64(indexId),
            columns: [ci(3, A), ci(1, P1), ci(2, P2)],
            primaryColumnIds: [i64(1), i64(2)],
            // `unique` only enables point gets; this is a range scan (a whole-index range of a
            // unique index would read as one point, in TiKV too).
          },
          parentIdx: 2,
        },
        {
          tp: T.TypeTableScan,
          tblScan: {
            tableId: i64(CT),
            columns: [ci(1, P1), ci(2, P2), ci(3, A)],
            primaryColumnIds: [i64(1), i64(2)],
          },
        },
        lookupDesc([1, 2]),
      ],
      outputOffsets: [0, 1, 2],
      encodeType: tipb.EncodeType.TypeChunk,
      intermediateOutputChannels: [{ executorIdx: 2, outputOffsets: [0, 1, 2] }],
    });
    // The index on a orders rows by a (descending with i here).
    const byA = [...CROWS].sort((x, y) => x.a - y.a);
    const asRow = (r: CRow) => [r.p1, r.p2, r.a];

    for (const [name, indexId] of [
      ["non-unique index (handle in the key)", NON_UNIQUE],
      ["unique index (handle in the value)", UNIQUE],
    ] as const) {
      it(`${name}: rows looked up by common handle`, () => {
        const { response } = runDagRequest(dag(indexId), {
          storage: store,
          ranges: [tableIndexRange(CT, indexId)],
        });
        expect(response.error ?? null).toBeNull();
        const expected = [...byA.slice(0, 32).sort(cmpHandle), ...byA.slice(32).sort(cmpHandle)];
        expect(decodeRows(response.chunks!, [P1, P2, A])).toEqual(expected.map(asRow));
      });
    }

    it("rows of handles outside the region come back from the index", () => {
      const split = encodeCommonHandleRecordKey(CT, encodeKey([Datum.int(2)]));
      const accessor = regionsAccessor([
        { start: encodeCommonHandleRecordKey(CT, new Uint8Array(0)), end: split, storage: store },
      ]);
      const { response } = runDagRequest(dag(NON_UNIQUE), {
        storage: store,
        ranges: [tableIndexRange(CT, NON_UNIQUE)],
        regionAccessor: accessor,
      });
      expect(response.error ?? null).toBeNull();
      const local = (r: CRow) => r.p1 < 2;
      const expected = [
        ...byA.slice(0, 32).filter(local).sort(cmpHandle),
        ...byA.slice(32).filter(local).sort(cmpHandle),
      ];
      expect(decodeRows(response.chunks!, [P1, P2, A])).toEqual(expected.map(asRow));
      const inter = decodeRows(response.intermediateOutputs![0]!.chunks!, [A, P1, P2]);
      expect(inter).toEqual(byA.filter((r) => !local(r)).map((r) => [r.a, r.p1, r.p2]));
    });
  });
});
