// BatchTableScanExecutor over a MemoryStorage. Cases from TiKV
// components/tidb_query_executors/src/table_scan_executor.rs (test names cited), plus properties
// against an in-test model of the table.
import {
  Datum,
  encodeCommonHandleRecordKey,
  encodeIndexKeyDatums,
  encodeKey,
  encodeRecordKey,
  encodeRowV2,
  encodeValue,
  prefixNext,
  type RowV2Value,
} from "@copr/codec";
import {
  CodecError,
  Collation,
  type Column,
  EvalContext,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  StorageError,
  UnsupportedError,
} from "@copr/datatype";
import { i64, type tipb } from "@copr/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Drain, type ExecuteStats } from "../src/interface.js";
import { EXTRA_PHYSICAL_TABLE_ID_COL_ID } from "../src/scan-ranges.js";
import { type KeyRange, MemoryStorage, type Storage } from "../src/storage.js";
import { BatchTableScanExecutor, type TableScanOptions } from "../src/table-scan.js";

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const utf8 = new TextDecoder();

interface ColOpts {
  pk?: boolean;
  flag?: number;
  def?: Uint8Array;
  collation?: number;
}

function col(id: number, tp: number, o: ColOpts = {}): tipb.ColumnInfo.$Properties {
  const ci: tipb.ColumnInfo.$Properties = { columnId: i64(id), tp, flag: o.flag ?? 0 };
  if (o.pk) ci.pkHandle = true;
  if (o.def) ci.defaultVal = o.def;
  if (o.collation !== undefined) ci.collation = o.collation;
  return ci;
}

const LONGLONG: FieldType = { tp: FieldTypeTp.LongLong };
const DOUBLE: FieldType = { tp: FieldTypeTp.Double };

/** A v1 row (TiKV `table::encode_row`): [id, value] datum pairs in value form; empty = a NIL byte. */
function v1Row(pairs: [number, Datum][]): Uint8Array {
  if (pairs.length === 0) return Uint8Array.of(0);
  return encodeValue(pairs.flatMap(([id, d]) => [Datum.int(id), d]));
}

/** A JS value of row `i` of a column: ints as numbers when safe, bytes as strings. */
/** An integer as the tests compare it: a number when safe, else the bigint. */
function jsInt(v: bigint): number | bigint {
  return v >= -(2n ** 53n) + 1n && v <= 2n ** 53n - 1n ? Number(v) : v;
}

function cell(c: Column, i: number): unknown {
  const v = c.get(i);
  if (v === null) return null;
  if (typeof v === "bigint") return jsInt(v);
  if (v instanceof Uint8Array) return utf8.decode(v);
  return v;
}

function columnsToRows(columns: Column[]): unknown[][] {
  const n = columns.length === 0 ? 0 : columns[0].length;
  for (const c of columns) expect(c.length).toBe(n);
  const rows: unknown[][] = [];
  for (let i = 0; i < n; i++) rows.push(columns.map((c) => cell(c, i)));
  return rows;
}

/** Runs to the end with the given batch sizes (the last one repeated); returns rows and batch row counts. */
function runAll(
  exec: BatchTableScanExecutor,
  sizes: number[] = [1024],
): { rows: unknown[][]; counts: number[] } {
  const rows: unknown[][] = [];
  const counts: number[] = [];
  for (let k = 0; ; k++) {
    const r = exec.nextBatch(sizes[Math.min(k, sizes.length - 1)]);
    expect(r.logicalRows).toBeNull();
    const got = columnsToRows(r.columns);
    counts.push(got.length);
    rows.push(...got);
    if (r.isDrained !== Drain.Remain) return { rows, counts };
  }
}

function scan(storage: Storage, options: TableScanOptions, ctx = new EvalContext()): BatchTableScanExecutor {
  return new BatchTableScanExecutor(storage, ctx, options);
}

const pointRange = (key: Uint8Array): KeyRange => ({ start: key, end: prefixNext(key) });

// ---------------------------------------------------------------------------------------------
// TiKV TableScanTestHelper: table 7, ID (INT, PK, id 1), Foo (INT, id 2), Bar (DOUBLE, id 4, default 4.5).

const TABLE_ID = 7;
const helperColumns = [
  col(1, FieldTypeTp.LongLong, { pk: true }),
  col(2, FieldTypeTp.LongLong),
  col(4, FieldTypeTp.Double, { def: encodeValue([Datum.float(4.5)]) }),
];
const helperData: [number, [number, Datum][]][] = [
  [
    1,
    [
      [2, Datum.int(10)],
      [4, Datum.float(5.2)],
    ],
  ],
  // Bar is NULL: the default does not apply.
  [
    3,
    [
      [4, Datum.NULL],
      [2, Datum.int(-5)],
    ],
  ],
  // Bar missing: the default.
  [4, [[2, Datum.NULL]]],
  // Foo missing: NULL.
  [5, [[4, Datum.float(0.1)]]],
  // Empty row.
  [6, []],
];
const helperExpected = [
  [1, 10, 5.2],
  [3, -5, null],
  [4, null, 4.5],
  [5, null, 0.1],
  [6, null, 4.5],
];

function helperStore(format: "v1" | "v2"): MemoryStorage {
  const st = new MemoryStorage();
  for (const [h, cols] of helperData) {
    let value: Uint8Array;
    if (format === "v1") value = v1Row(cols);
    else {
      const ids = cols.map(([id]) => id);
      const fts = cols.map(([id]) => (id === 4 ? DOUBLE : LONGLONG));
      const vals = cols.map(([, d]) =>
        d.kind === "null" ? null : d.kind === "float" ? d.value : (d as { value: bigint }).value,
      );
      value = encodeRowV2(ids, fts, vals as RowV2Value[]);
    }
    st.put(encodeRecordKey(TABLE_ID, h), value);
  }
  return st;
}

const tableRange = (lo: bigint | number, hi: bigint | number): KeyRange => ({
  start: encodeRecordKey(TABLE_ID, lo),
  end: encodeRecordKey(TABLE_ID, hi),
});
const pointRanges = () => helperData.map(([h]) => pointRange(encodeRecordKey(TABLE_ID, h)));
const wholeTable = () => [tableRange(I64_MIN, I64_MAX)];
const mixedRanges = () => [
  tableRange(I64_MIN, 3),
  pointRange(encodeRecordKey(TABLE_ID, 3)),
  tableRange(4, I64_MAX),
];

describe("BatchTableScanExecutor: TiKV test_basic", () => {
  const rangeSets: [string, () => KeyRange[]][] = [
    ["point", pointRanges],
    ["whole table", wholeTable],
    ["mixed", mixedRanges],
  ];
  const colSets = [[0], [1], [2], [0, 1], [0, 2], [1, 2], [2, 1, 0], [0, 1, 2], [1, 0, 2]];
  const batchSets = [
    [1, 1, 1, 1, 1, 1],
    [1, 2, 2, 2],
    [10, 10],
  ];
  for (const format of ["v1", "v2"] as const) {
    const st = helperStore(format);
    for (const [rname, ranges] of rangeSets) {
      for (const cols of colSets) {
        for (const batches of batchSets) {
          it(`${format} ${rname} columns ${cols} batches ${batches}`, () => {
            const exec = scan(st, { columns: cols.map((i) => helperColumns[i]), ranges: ranges() });
            const { rows, counts } = runAll(exec, batches);
            expect(rows).toEqual(helperExpected.map((r) => cols.map((i) => r[i])));
            // Every batch but the last is full; the last is the remainder (possibly empty).
            const total = helperExpected.length;
            let seen = 0;
            for (let k = 0; k < counts.length; k++) {
              const want = Math.min(batches[Math.min(k, batches.length - 1)], total - seen);
              expect(counts[k]).toBe(want);
              seen += counts[k];
            }
            expect(exec.schema().map((f) => f.tp)).toEqual(cols.map((i) => helperColumns[i].tp));
          });
        }
      }
    }
  }
});

describe("BatchTableScanExecutor: stats and scanned range", () => {
  it("TiKV test_execution_summary: scanned rows per range", () => {
    const exec = scan(helperStore("v2"), { columns: [helperColumns[0]], ranges: wholeTable() });
    exec.nextBatch(1);
    exec.nextBatch(2);
    const s: ExecuteStats = { scannedRowsPerRange: [] };
    exec.collectExecStats(s);
    expect(s.scannedRowsPerRange).toEqual([3]);
    exec.collectExecStats(s);
    expect(s.scannedRowsPerRange).toEqual([3, 0]);
    s.scannedRowsPerRange = [];
    expect(exec.nextBatch(10).isDrained).toBe(Drain.Drain);
    exec.collectExecStats(s);
    expect(s.scannedRowsPerRange).toEqual([2]);
  });

  it("counts rows per range over point and interval ranges", () => {
    const exec = scan(helperStore("v2"), { columns: [helperColumns[0]], ranges: mixedRanges() });
    runAll(exec);
    const s: ExecuteStats = { scannedRowsPerRange: [] };
    exec.collectExecStats(s);
    expect(s.scannedRowsPerRange).toEqual([1, 1, 3]);
  });

  it("takeScannedRange follows the last row of each batch, forward and backward", () => {
    const st = helperStore("v2");
    const key = (h: number) => encodeRecordKey(TABLE_ID, h);
    const next = (k: Uint8Array) => Uint8Array.from([...k, 0]);
    const [range] = wholeTable();
    let exec = scan(st, { columns: [helperColumns[0]], ranges: [range] });
    exec.nextBatch(2);
    expect(exec.takeScannedRange()).toEqual({ lower: range.start, upper: next(key(3)) });
    exec.nextBatch(10);
    expect(exec.takeScannedRange()).toEqual({ lower: next(key(3)), upper: range.end });

    exec = scan(st, { columns: [helperColumns[0]], ranges: [range], desc: true });
    exec.nextBatch(2);
    expect(exec.takeScannedRange()).toEqual({ lower: key(5), upper: range.end });
    exec.nextBatch(10);
    expect(exec.takeScannedRange()).toEqual({ lower: range.start, upper: key(5) });
  });

  it("a drained executor refuses another batch; the scan result is not cacheable without storage support", () => {
    const exec = scan(helperStore("v2"), { columns: [helperColumns[0]], ranges: wholeTable() });
    expect(exec.nextBatch(100).isDrained).toBe(Drain.Drain);
    expect(() => exec.nextBatch(1)).toThrow(/after the last batch/);
    expect(exec.canBeCached()).toBe(false);
  });
});

describe("BatchTableScanExecutor: descending and multi-range", () => {
  it("desc reads the ranges in reverse order, each backward", () => {
    const st = helperStore("v1");
    const exec = scan(st, { columns: [helperColumns[0]], ranges: mixedRanges(), desc: true });
    expect(runAll(exec, [2]).rows).toEqual([[6], [5], [4], [3], [1]]);
  });

  it("point ranges use get, and a missing point is no row", () => {
    const st = helperStore("v2");
    let gets = 0;
    const counting: Storage = {
      scan: (r, d) => st.scan(r, d),
      get: (k) => {
        gets++;
        return st.get(k);
      },
    };
    const ranges = [2, 3, 4].map((h) => pointRange(encodeRecordKey(TABLE_ID, h)));
    expect(runAll(scan(counting, { columns: [helperColumns[0]], ranges })).rows).toEqual([[3], [4]]);
    expect(gets).toBe(3);
  });
});

describe("BatchTableScanExecutor: errors", () => {
  // TiKV test_corrupted_data
  const T = 5;
  const columns = [
    col(1, FieldTypeTp.LongLong, { pk: true }),
    col(2, FieldTypeTp.LongLong),
    col(3, FieldTypeTp.LongLong),
  ];
  const st = new MemoryStorage();
  const full = v1Row([
    [2, Datum.int(5)],
    [3, Datum.int(7)],
  ]);
  st.put(encodeRecordKey(T, 0), full);
  st.put(encodeRecordKey(T, 1), new Uint8Array(0));
  st.put(encodeRecordKey(T, 2), full.subarray(0, full.length - 3));
  st.put(encodeRecordKey(T, 3), Uint8Array.of(255));
  st.put(encodeRecordKey(T, 4), encodeValue([Datum.int(2)]));
  const points = [0, 1, 2, 3, 4].map((h) => pointRange(encodeRecordKey(T, h)));

  it.each([2, 3, 4])("test_corrupted_data: row %i is a CodecError after rows 0 and 1", (bad) => {
    let exec = scan(st, { columns, ranges: [points[0], points[1], points[bad]] });
    expect(() => exec.nextBatch(10)).toThrow(CodecError);
    exec = scan(st, { columns, ranges: [points[0], points[1], points[bad]] });
    const first = exec.nextBatch(2);
    expect(first.isDrained).toBe(Drain.Remain);
    expect(columnsToRows(first.columns)).toEqual([
      [0, 5, 7],
      [1, null, null],
    ]);
    expect(() => exec.nextBatch(10)).toThrow(CodecError);
    // An executor that failed is over.
    expect(() => exec.nextBatch(10)).toThrow(/after the last batch/);
  });

  // TiKV test_locked_data: a storage error stops the scan at that row.
  const locked = new MemoryStorage();
  locked.put(encodeRecordKey(42, 0), v1Row([[2, Datum.int(7)]]));
  locked.put(encodeRecordKey(42, 2), v1Row([[2, Datum.int(5)]]));
  const lockedKey = encodeRecordKey(42, 1);
  const lockingStorage: Storage = {
    scan: (r, d) => locked.scan(r, d),
    get: (k) => {
      if (Buffer.from(k).equals(Buffer.from(lockedKey))) throw new StorageError("locked");
      return locked.get(k);
    },
  };
  const lcols = [col(1, FieldTypeTp.LongLong, { pk: true }), col(2, FieldTypeTp.LongLong)];
  const lpoints = [0, 1, 2].map((h) => pointRange(encodeRecordKey(42, h)));

  it("test_locked_data: rows 0, 1 (locked), 2", () => {
    expect(() => scan(lockingStorage, { columns: lcols, ranges: lpoints }).nextBatch(10)).toThrow(
      StorageError,
    );
    const exec = scan(lockingStorage, {
      columns: [...lcols, col(EXTRA_PHYSICAL_TABLE_ID_COL_ID, FieldTypeTp.LongLong)],
      ranges: lpoints,
    });
    expect(columnsToRows(exec.nextBatch(1).columns)).toEqual([[0, 7, 42]]);
    expect(() => exec.nextBatch(1)).toThrow("locked");
  });

  it("test_locked_data: rows 2 and 0 are fine", () => {
    const exec = scan(lockingStorage, { columns: lcols, ranges: [lpoints[2], lpoints[0]] });
    expect(runAll(exec).rows).toEqual([
      [2, 5],
      [0, 7],
    ]);
  });

  it("a NOT NULL column missing from a row without a default is a CodecError", () => {
    const s2 = new MemoryStorage();
    s2.put(encodeRecordKey(1, 1), encodeRowV2([2], [LONGLONG], [3]));
    const cols = [
      col(2, FieldTypeTp.LongLong),
      col(3, FieldTypeTp.LongLong, { flag: FieldTypeFlag.NotNull }),
    ];
    const ranges = [{ start: encodeRecordKey(1, I64_MIN), end: encodeRecordKey(1, I64_MAX) }];
    expect(() => scan(s2, { columns: cols, ranges }).nextBatch(10)).toThrow(
      /missing data for NOT NULL column/,
    );
    // With a default it is filled.
    const withDefault = [
      cols[0],
      col(3, FieldTypeTp.LongLong, { flag: FieldTypeFlag.NotNull, def: encodeValue([Datum.int(9)]) }),
    ];
    expect(runAll(scan(s2, { columns: withDefault, ranges })).rows).toEqual([[3, 9]]);
  });

  it("keys that are not record keys are a CodecError", () => {
    const s2 = new MemoryStorage();
    s2.put(encodeIndexKeyDatums(1, 1, [Datum.int(1)]), Uint8Array.of(0x30));
    const ranges = [
      { start: Uint8Array.from([0x74, 0x80, 0, 0, 0, 0, 0, 0, 0]), end: encodeRecordKey(2, 0) },
    ];
    for (const columns of [[col(1, FieldTypeTp.LongLong, { pk: true })], [col(2, FieldTypeTp.LongLong)]]) {
      expect(() => scan(s2, { columns, ranges }).nextBatch(10)).toThrow(CodecError);
    }
    expect(() =>
      scan(s2, { columns: [col(2, FieldTypeTp.LongLong)], ranges, primaryColumnIds: [i64(2)] }).nextBatch(10),
    ).toThrow(CodecError);
    // Among record keys, read many at a time: the index key (`t1_i…` sorts before `t1_r…`) is
    // still found, as is one of another table after them.
    const row = encodeRowV2([2], [LONGLONG], [5]);
    for (let h = 1; h <= 5; h++) s2.put(encodeRecordKey(1, h), row);
    expect(() => scan(s2, { columns: [col(2, FieldTypeTp.LongLong)], ranges }).nextBatch(10)).toThrow(
      /record key expected/,
    );
    const s3 = new MemoryStorage();
    for (let h = 1; h <= 5; h++) s3.put(encodeRecordKey(1, h), row);
    s3.put(encodeIndexKeyDatums(2, 1, [Datum.int(1)]), Uint8Array.of(0x30));
    const wide = [{ start: encodeRecordKey(1, 0), end: encodeRecordKey(3, 0) }];
    expect(() => scan(s3, { columns: [col(2, FieldTypeTp.LongLong)], ranges: wide }).nextBatch(10)).toThrow(
      /record key expected/,
    );
    // Records of two tables around the index key: the first and last keys are record keys, but
    // of different tables, so the keys between them are checked too.
    s3.put(encodeRecordKey(2, 1), row);
    expect(() => scan(s3, { columns: [col(2, FieldTypeTp.LongLong)], ranges: wide }).nextBatch(10)).toThrow(
      /record key expected/,
    );
    // Bounds inside one table's records: every key between them is a record key of it.
    const narrow = [{ start: encodeRecordKey(1, 0), end: encodeRecordKey(1, 100) }];
    expect(runAll(scan(s3, { columns: [col(2, FieldTypeTp.LongLong)], ranges: narrow })).rows).toEqual([
      [5],
      [5],
      [5],
      [5],
      [5],
    ]);
  });

  it("bad ranges are rejected when the executor is built", () => {
    const k = encodeRecordKey(1, 1);
    expect(() => scan(new MemoryStorage(), { columns: [], ranges: [{ start: k, end: k }] })).toThrow(
      CodecError,
    );
    expect(() =>
      scan(new MemoryStorage(), { columns: [], ranges: [{ start: Uint8Array.of(1, 2), end: k }] }),
    ).toThrow(/record key or index key expected/);
  });

  it("a non-integer pk handle column and _tidb_commit_ts are unsupported", () => {
    const st2 = helperStore("v2");
    expect(() =>
      scan(st2, { columns: [col(1, FieldTypeTp.VarChar, { pk: true })], ranges: wholeTable() }),
    ).toThrow(UnsupportedError);
    const exec = scan(st2, { columns: [col(-5, FieldTypeTp.LongLong)], ranges: wholeTable() });
    expect(() => exec.nextBatch(1)).toThrow(/_tidb_commit_ts/);
  });
});

describe("BatchTableScanExecutor: handles", () => {
  // TiKV test_multi_handle_column
  it.each([
    [[true]],
    [[false]],
    [[true, false]],
    [[false, true]],
    [[true, true]],
    [[true, false, true]],
    [[false, false, false, true, false, false, true, true, false, false]],
  ])("test_multi_handle_column %o", (isPk) => {
    const T = 42;
    const columns = isPk.map((pk, i) => col(pk ? 1 : i + 10, FieldTypeTp.LongLong, { pk }));
    const ids = isPk.map((_, i) => i + 10);
    const st = new MemoryStorage();
    st.put(encodeRecordKey(T, 1), v1Row(ids.map((id) => [id, Datum.int(id)])));
    const exec = scan(st, {
      columns,
      ranges: [{ start: encodeRecordKey(T, I64_MIN), end: encodeRecordKey(T, I64_MAX) }],
    });
    const r = exec.nextBatch(10);
    expect(r.isDrained).toBe(Drain.Drain);
    expect(columnsToRows(r.columns)).toEqual([isPk.map((pk, i) => (pk ? 1 : i + 10))]);
  });

  it("handles at the edges of i64 (the bigint path) and unsigned handles", () => {
    const T = 3;
    const st = new MemoryStorage();
    const handles = [I64_MIN, -(2n ** 53n), -1n, 0n, 2n ** 53n - 1n, 2n ** 53n, I64_MAX];
    for (const h of handles) st.put(encodeRecordKey(T, h), encodeRowV2([2], [LONGLONG], [h]));
    const ranges = [{ start: encodeRecordKey(T, I64_MIN), end: prefixNext(encodeRecordKey(T, I64_MAX)) }];
    const columns = [col(1, FieldTypeTp.LongLong, { pk: true }), col(2, FieldTypeTp.LongLong)];
    const { rows } = runAll(scan(st, { columns, ranges }), [3]);
    expect(rows).toEqual(handles.map((h) => [jsInt(h), jsInt(h)]));
    // An UNSIGNED handle column reads the same bits as u64.
    const ucols = [col(1, FieldTypeTp.LongLong, { pk: true, flag: FieldTypeFlag.Unsigned })];
    const urows = runAll(scan(st, { columns: ucols, ranges })).rows.map((r) => r[0]);
    expect(urows).toEqual(handles.map((h) => jsInt(BigInt.asUintN(64, h))));
  });

  it("_tidb_rowid (column id -1) reads the int handle", () => {
    const st = helperStore("v2");
    const exec = scan(st, {
      columns: [col(2, FieldTypeTp.LongLong), col(-1, FieldTypeTp.LongLong)],
      ranges: wholeTable(),
    });
    expect(runAll(exec).rows).toEqual(helperExpected.map((r) => [r[1], r[0]]));
  });

  it("the physical table id column (-3) reads the key's table id", () => {
    const st = helperStore("v1");
    const exec = scan(st, {
      columns: [col(EXTRA_PHYSICAL_TABLE_ID_COL_ID, FieldTypeTp.LongLong), helperColumns[0]],
      ranges: wholeTable(),
    });
    expect(runAll(exec).rows).toEqual(helperExpected.map((r) => [TABLE_ID, r[0]]));
  });

  // TiKV test_prefix_column_handle
  it.each([
    [
      [
        { primary: true, prefix: 0 },
        { primary: false, prefix: 0 },
      ],
    ],
    [
      [
        { primary: true, prefix: 1 },
        { primary: false, prefix: 0 },
      ],
    ],
    [
      [
        { primary: true, prefix: 1 },
        { primary: true, prefix: 1 },
        { primary: false, prefix: 0 },
      ],
    ],
    [
      [
        { primary: true, prefix: 1 },
        { primary: true, prefix: 0 },
        { primary: false, prefix: 0 },
      ],
    ],
    [
      [
        { primary: true, prefix: 1 },
        { primary: true, prefix: 0 },
        { primary: true, prefix: 1 },
      ],
    ],
  ])("test_prefix_column_handle %o", (cols) => {
    const T = 2333;
    const columns = cols.map((_, i) => col(i, FieldTypeTp.VarChar));
    const handle: Datum[] = [];
    const primary: number[] = [];
    const prefix: number[] = [];
    const row: Datum[] = [];
    const want: string[] = [];
    cols.forEach(({ primary: isPrimary, prefix: len }, i) => {
      if (isPrimary) {
        const v = `${i}0000`;
        if (len > 0) prefix.push(i);
        handle.push(Datum.bytes(len > 0 ? v.slice(0, len) : v));
        primary.push(i);
        row.push(Datum.bytes(v));
        want.push(v);
      } else {
        row.push(Datum.bytes(`${i}`));
        want.push(`${i}`);
      }
    });
    const h = encodeKey(handle);
    const st = new MemoryStorage();
    st.put(encodeCommonHandleRecordKey(T, h), v1Row(row.map((d, i) => [i, d])));
    const exec = scan(st, {
      columns,
      ranges: [{ start: encodeCommonHandleRecordKey(T - 1, h), end: encodeCommonHandleRecordKey(T + 1, h) }],
      primaryColumnIds: primary,
      primaryPrefixColumnIds: prefix,
    });
    const r = exec.nextBatch(10);
    expect(r.isDrained).toBe(Drain.Drain);
    expect(columnsToRows(r.columns)).toEqual([want]);
  });

  // TiKV test_common_handle
  interface C {
    primary?: boolean;
    info?: boolean;
    restore?: boolean;
    id?: number;
  }
  it.each<[C[]]>([
    [[{ primary: true, info: true }]],
    [[{ primary: true }, { primary: true, info: true }]],
    [[{ primary: true }, { primary: true }, { primary: true, info: true }]],
    [[{}, { primary: true, info: true }, { primary: true }]],
    [[{ primary: true }, { info: true }, { primary: true }]],
    [
      [
        { primary: true },
        { primary: true, info: true },
        { info: true },
        { primary: true },
        { primary: true, info: true },
        { primary: true },
      ],
    ],
    [
      [
        { primary: true, info: true },
        { info: true },
        { primary: true, restore: true },
        { primary: true },
        { primary: true, info: true, restore: true },
      ],
    ],
    [
      [
        { primary: true, info: true },
        { info: true },
        { primary: true, restore: true },
        { primary: true },
        { primary: true, info: true, restore: true },
        { info: true, id: EXTRA_PHYSICAL_TABLE_ID_COL_ID },
      ],
    ],
    [
      [
        { info: true, id: EXTRA_PHYSICAL_TABLE_ID_COL_ID },
        { primary: true, info: true },
        { info: true },
        { primary: true, restore: true },
        { primary: true },
        { primary: true, info: true, restore: true },
      ],
    ],
  ])("test_common_handle %o", (cols) => {
    const T = 2333;
    const columns: tipb.ColumnInfo.$Properties[] = [];
    const want: unknown[] = [];
    const handle: Datum[] = [];
    const primary: number[] = [];
    const row: [number, Datum][] = [];
    cols.forEach((c, i) => {
      if (c.info) {
        const id = c.id ?? i;
        columns.push(
          c.restore
            ? col(id, FieldTypeTp.VarString, { collation: Collation.Utf8Mb4GeneralCi })
            : col(id, FieldTypeTp.LongLong),
        );
        want.push(c.restore ? `${id}` : id === EXTRA_PHYSICAL_TABLE_ID_COL_ID ? T : id);
      }
      if (c.primary) {
        handle.push(Datum.int(i));
        primary.push(i);
      }
      row.push([i, c.restore ? Datum.bytes(`${i}`) : Datum.int(i)]);
    });
    const h = encodeKey(handle);
    const st = new MemoryStorage();
    st.put(encodeCommonHandleRecordKey(T, h), v1Row(row));
    const exec = scan(st, {
      columns,
      ranges: [{ start: encodeCommonHandleRecordKey(T - 1, h), end: encodeCommonHandleRecordKey(T + 1, h) }],
      primaryColumnIds: primary,
    });
    const r = exec.nextBatch(10);
    expect(r.isDrained).toBe(Drain.Drain);
    expect(r.columns.length).toBe(columns.length);
    if (columns.length > 0) expect(columnsToRows(r.columns)).toEqual([want]);
  });

  it("common-handle columns come from the key even when the row lacks them (TiDB's clustered rows)", () => {
    const T = 9;
    const st = new MemoryStorage();
    const rows = [
      [1, "a", 10],
      [1, "b", null],
      [2, "a", 30],
    ] as const;
    for (const [a, b, c] of rows) {
      const h = encodeKey([Datum.int(a), Datum.bytes(b)]);
      // Only the non-key column is in the value.
      st.put(encodeCommonHandleRecordKey(T, h), encodeRowV2([3], [LONGLONG], [c]));
    }
    const columns = [
      col(2, FieldTypeTp.VarChar, { collation: Collation.Binary }),
      col(3, FieldTypeTp.LongLong),
      col(1, FieldTypeTp.LongLong),
    ];
    const ranges = [
      {
        start: encodeCommonHandleRecordKey(T, new Uint8Array(0)),
        end: encodeCommonHandleRecordKey(T + 1, new Uint8Array(0)),
      },
    ];
    const { rows: got } = runAll(scan(st, { columns, ranges, primaryColumnIds: [1, 2] }), [2]);
    expect(got).toEqual(rows.map(([a, b, c]) => [b, c, a]));
    const desc = runAll(scan(st, { columns, ranges, primaryColumnIds: [1, 2], desc: true }), [1]).rows;
    expect(desc).toEqual([...rows].reverse().map(([a, b, c]) => [b, c, a]));
  });
});

// ---------------------------------------------------------------------------------------------
// Properties against a model: random tables written as v1 and v2 rows, read back whole, over
// random ranges, forward and backward, in batches of any size.

interface ModelRow {
  handle: bigint;
  /** Per column id: undefined = absent from the row, null = NULL. */
  values: Map<number, bigint | string | null>;
  v1: boolean;
}

const MODEL_TABLE = 77;
// Column ids 1..4: INT, VARCHAR, INT (default 7), INT UNSIGNED.
const modelFts: Record<number, FieldType> = {
  1: LONGLONG,
  2: { tp: FieldTypeTp.VarChar, collate: Collation.Binary },
  3: LONGLONG,
  4: { tp: FieldTypeTp.LongLong, flag: FieldTypeFlag.Unsigned },
};
const modelColumns: Record<number, tipb.ColumnInfo.$Properties> = {
  0: col(0, FieldTypeTp.LongLong, { pk: true }),
  1: col(1, FieldTypeTp.LongLong),
  2: col(2, FieldTypeTp.VarChar, { collation: Collation.Binary }),
  3: col(3, FieldTypeTp.LongLong, { def: encodeValue([Datum.int(7)]) }),
  4: col(4, FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned }),
};

const handleArb = fc.oneof(
  fc.bigInt({ min: -50n, max: 50n }),
  fc.bigInt({ min: I64_MIN, max: I64_MAX }),
  fc.constantFrom(I64_MIN, I64_MAX, 2n ** 53n, -(2n ** 53n)),
);
type Cell = bigint | string | null | undefined;
const cellArb = (id: number): fc.Arbitrary<Cell> => {
  const value: fc.Arbitrary<bigint | string> =
    id === 2
      ? fc.string({ maxLength: 6 })
      : id === 4
        ? fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })
        : fc.oneof(
            fc.integer({ min: -1000, max: 1000 }).map(BigInt),
            fc.bigInt({ min: I64_MIN, max: I64_MAX }),
          );
  return fc.option(fc.option(value, { nil: null }), { nil: undefined });
};
interface RawRow {
  handle: bigint;
  /** Cells of columns 1..4 (undefined: absent from the row). */
  cells: Cell[];
  v1: boolean;
}
const rowArb: fc.Arbitrary<RawRow> = fc.record({
  handle: handleArb,
  cells: fc.tuple(cellArb(1), cellArb(2), cellArb(3), cellArb(4)),
  v1: fc.boolean(),
});

function buildModel(raw: RawRow[]): { store: MemoryStorage; rows: ModelRow[] } {
  const byHandle = new Map<bigint, ModelRow>();
  for (const r of raw) {
    const values = new Map<number, bigint | string | null>();
    r.cells.forEach((v, k) => {
      if (v !== undefined) values.set(k + 1, v);
    });
    byHandle.set(r.handle, { handle: r.handle, values, v1: r.v1 });
  }
  const store = new MemoryStorage();
  for (const row of byHandle.values()) {
    const ids = [...row.values.keys()];
    let value: Uint8Array;
    if (row.v1) {
      value = v1Row(
        ids.map((id): [number, Datum] => {
          const v = row.values.get(id)!;
          if (v === null) return [id, Datum.NULL];
          if (typeof v === "string") return [id, Datum.bytes(v)];
          return [id, id === 4 ? Datum.uint(v) : Datum.int(v)];
        }),
      );
    } else {
      value = encodeRowV2(
        ids,
        ids.map((id) => modelFts[id]),
        ids.map((id) => row.values.get(id)!),
      );
    }
    store.put(encodeRecordKey(MODEL_TABLE, row.handle), value);
  }
  const rows = [...byHandle.values()].sort((a, b) =>
    a.handle < b.handle ? -1 : a.handle > b.handle ? 1 : 0,
  );
  return { store, rows };
}

/** The expected output row of the model for the selected column ids (0 = the handle). */
function expectRow(row: ModelRow, ids: number[]): unknown[] {
  return ids.map((id) => {
    let v: bigint | string | null | undefined;
    if (id === 0) v = row.handle;
    else {
      v = row.values.get(id);
      if (v === undefined) v = id === 3 ? 7n : null;
    }
    if (typeof v === "bigint") return jsInt(v);
    return v;
  });
}

describe("BatchTableScanExecutor: properties against a model", () => {
  const idsArb = fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 5 });

  it("a full scan returns exactly the rows written, in handle order, in batches of any size", () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { maxLength: 40 }),
        idsArb,
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (raw, ids, batches, desc) => {
          const { store, rows } = buildModel(raw);
          const exec = scan(store, {
            columns: ids.map((id) => modelColumns[id]),
            ranges: [
              {
                start: encodeRecordKey(MODEL_TABLE, I64_MIN),
                end: encodeRecordKey(MODEL_TABLE + 1, I64_MIN),
              },
            ],
            desc,
          });
          const want = rows.map((r) => expectRow(r, ids));
          if (desc) want.reverse();
          expect(runAll(exec, batches).rows).toEqual(want);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("multi-range scans (points and intervals) match the model, ascending and descending", () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 40 }),
        fc.uniqueArray(fc.bigInt({ min: -60n, max: 60n }), { maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 5 }),
        (raw, cutsRaw, asPoint, desc, batch) => {
          const { store, rows } = buildModel(raw);
          // Disjoint ascending ranges from sorted cut points; some become point ranges.
          const cuts = [...cutsRaw].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          const ranges: KeyRange[] = [];
          const inRange: ((h: bigint) => boolean)[] = [];
          for (let k = 0; k + 1 < cuts.length; k += 2) {
            const lo = cuts[k];
            const hi = cuts[k + 1];
            if (asPoint[k]) {
              ranges.push(pointRange(encodeRecordKey(MODEL_TABLE, lo)));
              inRange.push((h) => h === lo);
            } else {
              ranges.push({ start: encodeRecordKey(MODEL_TABLE, lo), end: encodeRecordKey(MODEL_TABLE, hi) });
              inRange.push((h) => h >= lo && h < hi);
            }
          }
          const ids = [0, 1, 2, 3, 4];
          const want: unknown[][] = [];
          const perRange: number[] = [];
          const order = desc ? [...inRange].reverse() : inRange;
          for (const f of order) {
            const hit = rows.filter((r) => f(r.handle));
            if (desc) hit.reverse();
            perRange.push(hit.length);
            want.push(...hit.map((r) => expectRow(r, ids)));
          }
          const exec = scan(store, { columns: ids.map((id) => modelColumns[id]), ranges, desc });
          expect(runAll(exec, [batch]).rows).toEqual(want);
          const s: ExecuteStats = { scannedRowsPerRange: [] };
          exec.collectExecStats(s);
          expect(s.scannedRowsPerRange).toEqual(perRange);
        },
      ),
      { numRuns: 150 },
    );
  });
});
