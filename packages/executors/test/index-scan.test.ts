// BatchIndexScanExecutor over a MemoryStorage. Cases from TiKV
// components/tidb_query_executors/src/index_scan_executor.rs (test names cited; the golden
// key/value bytes of TiDB-written entries are taken verbatim), plus properties against an
// in-test model of an index (old layout, restored data V4 and V5, unique and not).
import {
  ByteWriter,
  Datum,
  encodeIndexKey,
  encodeIndexKeyDatums,
  encodeIndexValue,
  encodeKey,
  encodeRowV2,
  encodeValue,
  prefixNext,
  writeI64,
} from "@copr/codec";
import {
  CodecError,
  Collation,
  type Column,
  collatorFor,
  EvalContext,
  type FieldType,
  FieldTypeTp,
  UnsupportedError,
} from "@copr/datatype";
import { i64, type tipb } from "@copr/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BatchIndexScanExecutor, type IndexScanOptions } from "../src/index-scan.js";
import { Drain, type ExecuteStats } from "../src/interface.js";
import { EXTRA_PARTITION_ID_COL_ID, EXTRA_PHYSICAL_TABLE_ID_COL_ID } from "../src/scan-ranges.js";
import { compareKeys, type KeyRange, MemoryStorage } from "../src/storage.js";

const utf8 = new TextDecoder();
const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));

function col(
  id: number,
  tp: number,
  o: { pk?: boolean; collate?: number } = {},
): tipb.ColumnInfo.$Properties {
  const ci: tipb.ColumnInfo.$Properties = { columnId: i64(id), tp };
  if (o.pk) ci.pkHandle = true;
  if (o.collate !== undefined) ci.collation = o.collate;
  return ci;
}

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

function runAll(exec: BatchIndexScanExecutor, sizes: number[] = [1024]): unknown[][] {
  const rows: unknown[][] = [];
  for (let k = 0; ; k++) {
    const r = exec.nextBatch(sizes[Math.min(k, sizes.length - 1)]);
    expect(r.logicalRows).toBeNull();
    rows.push(...columnsToRows(r.columns));
    if (r.isDrained !== Drain.Remain) return rows;
  }
}

const scan = (st: MemoryStorage, o: IndexScanOptions) => new BatchIndexScanExecutor(st, new EvalContext(), o);
const pointRange = (key: Uint8Array): KeyRange => ({ start: key, end: prefixNext(key) });
const store = (pairs: [Uint8Array, Uint8Array][]) => {
  const st = new MemoryStorage();
  for (const [k, v] of pairs) st.put(k, v);
  return st;
};
/** A big-endian u64 (the handle in a unique index value). */
function beU64(v: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)));
  return out;
}
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const LONGLONG: FieldType = { tp: FieldTypeTp.LongLong };
const DOUBLE: FieldType = { tp: FieldTypeTp.Double };

describe("BatchIndexScanExecutor: TiKV test_basic", () => {
  const T = 3;
  const I = 42;
  // [int index, float index, handle]
  const data: [number, number, number][] = [
    [-5, 0.3, 10],
    [5, 5.1, 5],
    [5, 10.5, 2],
  ];
  const columnsInfo = [
    col(0, FieldTypeTp.LongLong),
    col(0, FieldTypeTp.Double),
    col(0, FieldTypeTp.LongLong, { pk: true }),
    col(EXTRA_PHYSICAL_TABLE_ID_COL_ID, FieldTypeTp.LongLong),
  ];
  const normal = store(
    data.map(([a, b, h]) => [
      encodeIndexKeyDatums(T, I, [Datum.int(a), Datum.float(b), Datum.int(h)]),
      new Uint8Array(0),
    ]),
  );
  const all = [
    { start: encodeIndexKeyDatums(T, I, [Datum.MIN]), end: encodeIndexKeyDatums(T, I, [Datum.MAX]) },
  ];

  it("1.1 normal index, no handle, reverse", () => {
    const exec = scan(normal, { columns: [columnsInfo[0], columnsInfo[1]], ranges: all, desc: true });
    const r = exec.nextBatch(10);
    expect(r.isDrained).toBe(Drain.Drain);
    expect(columnsToRows(r.columns)).toEqual([
      [5, 10.5],
      [5, 5.1],
      [-5, 0.3],
    ]);
  });

  it("1.1.b with the physical table id column", () => {
    const exec = scan(normal, {
      columns: [columnsInfo[0], columnsInfo[1], columnsInfo[3]],
      ranges: all,
      desc: true,
    });
    expect(runAll(exec)).toEqual([
      [5, 10.5, T],
      [5, 5.1, T],
      [-5, 0.3, T],
    ]);
  });

  it("1.1.c / 1.1.d columns in the wrong order fail to decode", () => {
    // TiKV decodes lazily and fails when the column is read; we decode eagerly.
    expect(() =>
      scan(normal, { columns: [columnsInfo[1], columnsInfo[0]], ranges: all, desc: true }).nextBatch(10),
    ).toThrow(CodecError);
    expect(() =>
      scan(normal, {
        columns: [columnsInfo[0], columnsInfo[3], columnsInfo[1]],
        ranges: all,
        desc: true,
      }).nextBatch(10),
    ).toThrow(CodecError);
  });

  it("1.2 normal index with the handle, prefix range", () => {
    const ranges = [
      { start: encodeIndexKeyDatums(T, I, [Datum.int(2)]), end: encodeIndexKeyDatums(T, I, [Datum.int(6)]) },
    ];
    expect(runAll(scan(normal, { columns: columnsInfo.slice(0, 3), ranges }))).toEqual([
      [5, 5.1, 5],
      [5, 10.5, 2],
    ]);
  });

  const unique = store(
    data.map(([a, b, h]) => [encodeIndexKeyDatums(T, I, [Datum.int(a), Datum.float(b)]), beU64(h)]),
  );

  it("2.1 unique index, prefix range: the handle is in the value", () => {
    const ranges = [pointRange(encodeIndexKeyDatums(T, I, [Datum.int(5)]))];
    expect(runAll(scan(unique, { columns: columnsInfo.slice(0, 3), ranges }))).toEqual([
      [5, 5.1, 5],
      [5, 10.5, 2],
    ]);
  });

  it("2.2 unique index, point get", () => {
    const ranges = [pointRange(encodeIndexKeyDatums(T, I, [Datum.int(5), Datum.float(5.1)]))];
    const exec = scan(unique, { columns: columnsInfo.slice(0, 3), ranges, unique: true });
    expect(runAll(exec)).toEqual([[5, 5.1, 5]]);
    const s: ExecuteStats = { scannedRowsPerRange: [] };
    exec.collectExecStats(s);
    expect(s.scannedRowsPerRange).toEqual([1]);
  });
});

describe("BatchIndexScanExecutor: TiKV restored data and common handle cases", () => {
  const T = 3;
  const I = 42;
  const cols3 = [col(1, FieldTypeTp.LongLong), col(2, FieldTypeTp.LongLong), col(3, FieldTypeTp.Double)];

  it("test_unique_common_handle_index: V4 restored data and the common handle in the value", () => {
    const restore = encodeRowV2([1, 2, 3], [LONGLONG, LONGLONG, DOUBLE], [2, 3, 4.0]);
    const commonHandle = encodeValue([Datum.float(4.0)]);
    const prefix = concat(Uint8Array.of(0, 127, 0, commonHandle.length), commonHandle);
    const key = encodeIndexKeyDatums(T, I, [Datum.uint(2), Datum.uint(3)]);
    for (const value of [concat(prefix, restore), prefix]) {
      const exec = scan(store([[key, value]]), {
        columns: cols3,
        ranges: [pointRange(key)],
        unique: true,
        primaryColumnIds: [3],
      });
      const r = exec.nextBatch(10);
      expect(r.isDrained).toBe(Drain.Drain);
      expect(columnsToRows(r.columns)).toEqual([[2, 3, 4]]);
    }
  });

  it("test_old_collation_non_unique_common_handle_index", () => {
    const key = concat(
      encodeIndexKeyDatums(T, I, [Datum.uint(2)]),
      encodeKey([Datum.uint(3), Datum.float(4.0)]),
    );
    const exec = scan(store([[key, new Uint8Array(0)]]), {
      columns: cols3,
      ranges: [pointRange(key)],
      primaryColumnIds: [2, 3],
    });
    expect(runAll(exec)).toEqual([[2, 3, 4]]);
  });

  const pkCols = [
    col(1, FieldTypeTp.LongLong),
    col(2, FieldTypeTp.Double),
    col(3, FieldTypeTp.LongLong, { pk: true }),
  ];

  it("test_new_collation_unique_int_handle_index", () => {
    const restore = encodeRowV2([1, 2, 3], [LONGLONG, DOUBLE, LONGLONG], [2, 3.0, 4]);
    const key = encodeIndexKeyDatums(T, I, [Datum.uint(2), Datum.float(3.0)]);
    const value = concat(Uint8Array.of(8), restore, beU64(4));
    expect(
      runAll(scan(store([[key, value]]), { columns: pkCols, ranges: [pointRange(key)], unique: true })),
    ).toEqual([[2, 3, 4]]);
  });

  it("test_new_collation_non_unique_int_handle_index", () => {
    const restore = encodeRowV2([1, 2, 3], [LONGLONG, DOUBLE, LONGLONG], [2, 3.0, 4]);
    const key = encodeIndexKeyDatums(T, I, [Datum.uint(2), Datum.float(3.0), Datum.uint(4)]);
    const value = concat(Uint8Array.of(0), restore);
    expect(
      runAll(scan(store([[key, value]]), { columns: pkCols, ranges: [pointRange(key)], unique: true })),
    ).toEqual([[2, 3, 4]]);
  });

  it("test_new_collation_non_unique_common_handle_index", () => {
    const restore = encodeRowV2([1, 2, 3], [LONGLONG, LONGLONG, DOUBLE], [2, 3, 4.0]);
    const key = encodeIndexKeyDatums(T, I, [Datum.uint(2), Datum.uint(3), Datum.float(4.0)]);
    const value = concat(Uint8Array.of(0), restore);
    const exec = scan(store([[key, value]]), {
      columns: cols3,
      ranges: [pointRange(key)],
      unique: true,
      primaryColumnIds: [3],
    });
    expect(runAll(exec)).toEqual([[2, 3, 4]]);
  });

  it("test_unique_common_handle_global_index: the partition id from the value", () => {
    const restore = encodeRowV2([1, 2, 3], [LONGLONG, LONGLONG, DOUBLE], [2, 3, 4.0]);
    const commonHandle = encodeValue([Datum.float(4.0)]);
    const w = new ByteWriter(16);
    w.u8(126);
    writeI64(w, 7);
    const value = concat(Uint8Array.of(0, 127, 0, commonHandle.length), commonHandle, w.finish(), restore);
    const key = encodeIndexKeyDatums(T, I, [Datum.uint(2), Datum.uint(3)]);
    const exec = scan(store([[key, value]]), {
      columns: [...cols3, col(EXTRA_PARTITION_ID_COL_ID, FieldTypeTp.LongLong)],
      ranges: [pointRange(key)],
      unique: true,
      primaryColumnIds: [3],
    });
    expect(runAll(exec)).toEqual([[2, 3, 4, 7]]);
  });
});

describe("BatchIndexScanExecutor: TiKV test_global_index_formats", () => {
  const T = 100;
  const I = 5;
  const cases: [number, number, number, boolean, boolean, boolean][] = [];
  for (const pid of [-100, 0, 100])
    for (const idx of [-50, 0, 50])
      for (const h of [-999, 0, 999])
        for (const pidInValue of [true, false])
          for (const pidCol of [true, false])
            for (const ptidCol of [true, false]) cases.push([pid, idx, h, pidInValue, pidCol, ptidCol]);
  it.each(cases)(
    "pid %i idx %i handle %i pid-in-value %s pid col %s table id col %s",
    (pid, idx, h, pidInValue, pidCol, ptidCol) => {
      const w = new ByteWriter(32);
      w.bytes(encodeKey([Datum.int(idx)]));
      w.u8(126);
      writeI64(w, pid);
      w.bytes(encodeKey([Datum.int(h)]));
      const key = encodeIndexKey(T, I, w.finish());
      let value: Uint8Array = Uint8Array.of(0);
      if (pidInValue) {
        const v = new ByteWriter(10);
        v.u8(0);
        v.u8(126);
        writeI64(v, pid);
        value = v.finish();
      }
      const columns = [col(1, FieldTypeTp.LongLong), col(-1, FieldTypeTp.LongLong, { pk: true })];
      if (pidCol) columns.push(col(EXTRA_PARTITION_ID_COL_ID, FieldTypeTp.LongLong));
      if (ptidCol) columns.push(col(EXTRA_PHYSICAL_TABLE_ID_COL_ID, FieldTypeTp.LongLong));
      const want: number[] = [idx, h];
      if (pidCol) want.push(pid);
      if (ptidCol) want.push(pid);
      expect(runAll(scan(store([[key, value]]), { columns, ranges: [pointRange(key)] }))).toEqual([want]);
    },
  );

  it.each([true, false])("test_v2_global_index_new_encoding_path (table id column %s)", (ptidCol) => {
    const w = new ByteWriter(32);
    w.bytes(encodeKey([Datum.int(7)]));
    w.u8(126);
    writeI64(w, 42);
    w.bytes(encodeKey([Datum.int(123)]));
    const key = encodeIndexKey(T, I, w.finish());
    const value = Uint8Array.of(0, 0x7d, 1, 0x80, 0, 0, 0, 1, 0, 1);
    const columns = [col(1, FieldTypeTp.LongLong), col(-1, FieldTypeTp.LongLong, { pk: true })];
    if (ptidCol) columns.push(col(EXTRA_PHYSICAL_TABLE_ID_COL_ID, FieldTypeTp.LongLong));
    expect(runAll(scan(store([[key, value]]), { columns, ranges: [pointRange(key)] }))).toEqual([
      ptidCol ? [7, 123, 42] : [7, 123],
    ]);
  });
});

interface Golden {
  test: string;
  schema: FieldType[];
  indexIds: number[];
  commonIds: number[];
  handle: "int" | "common" | "none";
  pid: number;
  ptid: number;
  key: string;
  value: string;
  want: [number, unknown][];
}

/**
 * The clustered primary key of TiKV's common-handle golden cases: INT, CHAR utf8mb4_bin, CHAR
 * utf8mb4_unicode_ci, VARCHAR utf8mb4_bin, VARCHAR utf8mb4_unicode_ci.
 */
const COMMON_HANDLE = [
  { tp: 3 },
  { tp: 254, collate: Collation.Utf8Mb4Bin },
  { tp: 254, collate: Collation.Utf8Mb4UnicodeCi },
  { tp: 15, collate: Collation.Utf8Mb4Bin },
  { tp: 15, collate: Collation.Utf8Mb4UnicodeCi },
];

// Entries written by TiDB, with the values TiKV decodes from them (TiKV test_int_handle_char_index,
// test_int_handle_varchar_index, test_common_handle_index, test_common_handle_with_physical_table_id,
// test_global_index_with_physical_table_id, test_common_handle_index_latin1_bin).
const GOLDEN: Golden[] = [
  {
    test: "test_int_handle_char_index",
    schema: [{ tp: 3 }, { tp: 8 }],
    indexIds: [1],
    commonIds: [],
    handle: "int",
    pid: 0,
    ptid: 0,
    key: "7480000000000000315f698000000000000001038000000000000001038000000000000001",
    value: "30",
    want: [
      [0, 1],
      [1, 1],
    ],
  },
  {
    test: "test_int_handle_char_index",
    schema: [{ tp: 3 }, { tp: 8 }],
    indexIds: [1],
    commonIds: [],
    handle: "int",
    pid: 0,
    ptid: 0,
    key: "7480000000000000355f698000000000000005038000000000000001",
    value: "0000000000000001",
    want: [
      [0, 1],
      [1, 1],
    ],
  },
  {
    test: "test_int_handle_char_index",
    schema: [{ tp: 254, collate: Collation.Utf8Mb4Bin }, { tp: 8 }],
    indexIds: [2],
    commonIds: [],
    handle: "int",
    pid: 0,
    ptid: 0,
    key: "7480000000000000315f698000000000000002016100000000000000f8038000000000000001",
    value: "30",
    want: [
      [0, "a"],
      [1, 1],
    ],
  },
  {
    test: "test_int_handle_char_index",
    schema: [{ tp: 254, collate: Collation.Utf8Mb4Bin }, { tp: 8 }],
    indexIds: [2],
    commonIds: [],
    handle: "int",
    pid: 0,
    ptid: 0,
    key: "7480000000000000355f698000000000000006016100000000000000f8",
    value: "0000000000000001",
    want: [
      [0, "a"],
      [1, 1],
    ],
  },
  {
    test: "test_int_handle_char_index",
    schema: [{ tp: 254, collate: Collation.Utf8Mb4UnicodeCi }, { tp: 8 }],
    indexIds: [3],
    commonIds: [],
    handle: "int",
    pid: 0,
    ptid: 0,
    key: "7480000000000000315f698000000000000003010e33000000000000f9038000000000000001",
    value: "0080000100000003010041",
    want: [
      [0, "A"],
      [1, 1],
    ],
  },
  {
    test: "test_int_handle_char_index",
    schema: [{ tp: 254, collate: Collation.Utf8Mb4UnicodeCi }, { tp: 8 }],
    indexIds: [3],
    commonIds: [],
    handle: "int",
    pid: 0,
    ptid: 0,
    key: "7480000000000000355f698000000000000007010e33000000000000f9",
    value: "08800001000000030100410000000000000001",
    want: [
      [0, "A"],
      [1, 1],
    ],
  },
  {
    test: "test_int_handle_char_index",
    schema: [
      { tp: 3 },
      { tp: 254, collate: Collation.Utf8Mb4Bin },
      { tp: 254, collate: Collation.Utf8Mb4UnicodeCi },
      { tp: 8 },
    ],
    indexIds: [1, 2, 3],
    commonIds: [],
    handle: "int",
    pid: 0,
    ptid: 0,
    key: "7480000000000000355f698000000000000004038000000000000001016100000000000000f8010e33000000000000f9038000000000000001",
    value: "00800003000000010203010002000300016141",
    want: [
      [0, 1],
      [1, "a"],
      [2, "A"],
      [3, 1],
    ],
  },
  {
    test: "test_int_handle_char_index",
    schema: [
      { tp: 3 },
      { tp: 254, collate: Collation.Utf8Mb4Bin },
      { tp: 254, collate: Collation.Utf8Mb4UnicodeCi },
      { tp: 8 },
    ],
    indexIds: [1, 2, 3],
    commonIds: [],
    handle: "int",
    pid: 0,
    ptid: 0,
    key: "7480000000000000355f698000000000000008038000000000000001016100000000000000f8010e33000000000000f9",
    value: "088000030000000102030100020003000161410000000000000001",
    want: [
      [0, 1],
      [1, "a"],
      [2, "A"],
      [3, 1],
    ],
  },
  {
    test: "test_int_handle_varchar_index",
    schema: [{ tp: 3 }, { tp: 8 }],
    indexIds: [1],
    commonIds: [],
    handle: "int",
    pid: 0,
    ptid: 0,
    key: "7480000000000000315f698000000000000001038000000000000001038000000000000001",
    value: "30",
    want: [
      [0, 1],
      [1, 1],
    ],
  },
  {
    test: "test_int_handle_varchar_index",
    schema: [{ tp: 3 }, { tp: 8 }],
    indexIds: [1],
    commonIds: [],
    handle: "int",
    pid: 0,
    ptid: 0,
    key: "7480000000000000355f698000000000000005038000000000000001",
    value: "0000000000000001",
    want: [
      [0, 1],
      [1, 1],
    ],
  },
  {
    test: "test_int_handle_varchar_index",
    schema: [{ tp: 15, collate: Collation.Utf8Mb4Bin }, { tp: 8 }],
    indexIds: [2],
    commonIds: [],
    handle: "int",
    pid: 0,
    ptid: 0,
    key: "74800000000000003d5f698000000000000002016100000000000000f8038000000000000001",
    value: "008000010000000202006120",
    want: [
      [0, "a "],
      [1, 1],
    ],
  },
  {
    test: "test_int_handle_varchar_index",
    schema: [{ tp: 15, collate: Collation.Utf8Mb4Bin }, { tp: 8 }],
    indexIds: [2],
    commonIds: [],
    handle: "int",
    pid: 0,
    ptid: 0,
    key: "74800000000000003d5f698000000000000006016100000000000000f8",
    value: "0880000100000002020061200000000000000001",
    want: [
      [0, "a "],
      [1, 1],
    ],
  },
  {
    test: "test_int_handle_varchar_index",
    schema: [{ tp: 15, collate: Collation.Utf8Mb4UnicodeCi }, { tp: 8 }],
    indexIds: [3],
    commonIds: [],
    handle: "int",
    pid: 0,
    ptid: 0,
    key: "74800000000000003d5f698000000000000003010e33000000000000f9038000000000000001",
    value: "008000010000000302004120",
    want: [
      [0, "A "],
      [1, 1],
    ],
  },
  {
    test: "test_int_handle_varchar_index",
    schema: [{ tp: 15, collate: Collation.Utf8Mb4UnicodeCi }, { tp: 8 }],
    indexIds: [3],
    commonIds: [],
    handle: "int",
    pid: 0,
    ptid: 0,
    key: "74800000000000003d5f698000000000000007010e33000000000000f9",
    value: "0880000100000003020041200000000000000001",
    want: [
      [0, "A "],
      [1, 1],
    ],
  },
  {
    test: "test_int_handle_varchar_index",
    schema: [
      { tp: 3 },
      { tp: 15, collate: Collation.Utf8Mb4Bin },
      { tp: 15, collate: Collation.Utf8Mb4UnicodeCi },
      { tp: 8 },
    ],
    indexIds: [1, 2, 3],
    commonIds: [],
    handle: "int",
    pid: 0,
    ptid: 0,
    key: "74800000000000003d5f698000000000000004038000000000000001016100000000000000f8010e33000000000000f9038000000000000001",
    value: "008000030000000102030100030005000161204120",
    want: [
      [0, 1],
      [1, "a "],
      [2, "A "],
      [3, 1],
    ],
  },
  {
    test: "test_int_handle_varchar_index",
    schema: [
      { tp: 3 },
      { tp: 15, collate: Collation.Utf8Mb4Bin },
      { tp: 15, collate: Collation.Utf8Mb4UnicodeCi },
      { tp: 8 },
    ],
    indexIds: [1, 2, 3],
    commonIds: [],
    handle: "int",
    pid: 0,
    ptid: 0,
    key: "74800000000000003d5f698000000000000008038000000000000001016100000000000000f8010e33000000000000f9",
    value: "0880000300000001020301000300050001612041200000000000000001",
    want: [
      [0, 1],
      [1, "a "],
      [2, "A "],
      [3, 1],
    ],
  },
  {
    test: "test_common_handle_index",
    schema: [{ tp: 3 }, ...COMMON_HANDLE],
    indexIds: [1],
    commonIds: [1, 2, 3, 4, 5],
    handle: "common",
    pid: 0,
    ptid: 0,
    key: "7480000000000000315f698000000000000002038000000000000001038000000000000001016100000000000000f8010e33000000000000f9016100000000000000f8010041000000000000f9",
    value: "007d0180000300000003040501000200040041014120",
    want: [
      [0, 1],
      [1, 1],
      [2, "a"],
      [3, "A"],
      [4, "a "],
      [5, "A "],
    ],
  },
  {
    test: "test_common_handle_index",
    schema: [{ tp: 3 }, ...COMMON_HANDLE],
    indexIds: [1],
    commonIds: [1, 2, 3, 4, 5],
    handle: "common",
    pid: 0,
    ptid: 0,
    key: "7480000000000000315f698000000000000008038000000000000001",
    value:
      "007d017f0031038000000000000001016100000000000000f8010e33000000000000f9016100000000000000f8010041000000000000f980000300000003040501000200040041014120",
    want: [
      [0, 1],
      [1, 1],
      [2, "a"],
      [3, "A"],
      [4, "a "],
      [5, "A "],
    ],
  },
  {
    test: "test_common_handle_index",
    schema: [{ tp: 254, collate: Collation.Utf8Mb4Bin }, ...COMMON_HANDLE],
    indexIds: [2],
    commonIds: [1, 2, 3, 4, 5],
    handle: "common",
    pid: 0,
    ptid: 0,
    key: "7480000000000000315f698000000000000003016100000000000000f8038000000000000001016100000000000000f8010e33000000000000f9016100000000000000f8010041000000000000f9",
    value: "007d0180000300000003040501000200040041014120",
    want: [
      [0, "a"],
      [1, 1],
      [2, "a"],
      [3, "A"],
      [4, "a "],
      [5, "A "],
    ],
  },
  {
    test: "test_common_handle_index",
    schema: [{ tp: 254, collate: Collation.Utf8Mb4Bin }, ...COMMON_HANDLE],
    indexIds: [2],
    commonIds: [1, 2, 3, 4, 5],
    handle: "common",
    pid: 0,
    ptid: 0,
    key: "7480000000000000405f698000000000000009016100000000000000f8",
    value:
      "007d017f0031038000000000000001016100000000000000f8010e33000000000000f9016100000000000000f8010041000000000000f980000300000003040501000200040041014120",
    want: [
      [0, "a"],
      [1, 1],
      [2, "a"],
      [3, "A"],
      [4, "a "],
      [5, "A "],
    ],
  },
  {
    test: "test_common_handle_index",
    schema: [{ tp: 254, collate: Collation.Utf8Mb4UnicodeCi }, ...COMMON_HANDLE],
    indexIds: [3],
    commonIds: [1, 2, 3, 4, 5],
    handle: "common",
    pid: 0,
    ptid: 0,
    key: "7480000000000000405f698000000000000004010e33000000000000f9038000000000000001016100000000000000f8010e33000000000000f9016100000000000000f8010041000000000000f9",
    value: "007d0180000300000003040501000200040041014120",
    want: [
      [0, "A"],
      [1, 1],
      [2, "a"],
      [3, "A"],
      [4, "a "],
      [5, "A "],
    ],
  },
  {
    test: "test_common_handle_index",
    schema: [{ tp: 254, collate: Collation.Utf8Mb4UnicodeCi }, ...COMMON_HANDLE],
    indexIds: [3],
    commonIds: [1, 2, 3, 4, 5],
    handle: "common",
    pid: 0,
    ptid: 0,
    key: "7480000000000000405f69800000000000000a010e33000000000000f9",
    value:
      "007d017f0031038000000000000001016100000000000000f8010e33000000000000f9016100000000000000f8010041000000000000f980000300000003040501000200040041014120",
    want: [
      [0, "A"],
      [1, 1],
      [2, "a"],
      [3, "A"],
      [4, "a "],
      [5, "A "],
    ],
  },
  {
    test: "test_common_handle_index",
    schema: [{ tp: 15, collate: Collation.Utf8Mb4Bin }, ...COMMON_HANDLE],
    indexIds: [4],
    commonIds: [1, 2, 3, 4, 5],
    handle: "common",
    pid: 0,
    ptid: 0,
    key: "7480000000000000405f698000000000000005016100000000000000f8038000000000000001016100000000000000f8010e33000000000000f9016100000000000000f8010041000000000000f9",
    value: "007d0180000300000003040501000200040041014120",
    want: [
      [0, "a "],
      [1, 1],
      [2, "a"],
      [3, "A"],
      [4, "a "],
      [5, "A "],
    ],
  },
  {
    test: "test_common_handle_index",
    schema: [{ tp: 15, collate: Collation.Utf8Mb4Bin }, ...COMMON_HANDLE],
    indexIds: [4],
    commonIds: [1, 2, 3, 4, 5],
    handle: "common",
    pid: 0,
    ptid: 0,
    key: "7480000000000000405f69800000000000000b016100000000000000f8",
    value:
      "007d017f0031038000000000000001016100000000000000f8010e33000000000000f9016100000000000000f8010041000000000000f980000300000003040501000200040041014120",
    want: [
      [0, "a "],
      [1, 1],
      [2, "a"],
      [3, "A"],
      [4, "a "],
      [5, "A "],
    ],
  },
  {
    test: "test_common_handle_index",
    schema: [{ tp: 15, collate: Collation.Utf8Mb4UnicodeCi }, ...COMMON_HANDLE],
    indexIds: [5],
    commonIds: [1, 2, 3, 4, 5],
    handle: "common",
    pid: 0,
    ptid: 0,
    key: "7480000000000000405f698000000000000006010041000000000000f9038000000000000001016100000000000000f8010e33000000000000f9016100000000000000f8010041000000000000f9",
    value: "007d0180000300000003040501000200040041014120",
    want: [
      [0, "A "],
      [1, 1],
      [2, "a"],
      [3, "A"],
      [4, "a "],
      [5, "A "],
    ],
  },
  {
    test: "test_common_handle_index",
    schema: [{ tp: 15, collate: Collation.Utf8Mb4UnicodeCi }, ...COMMON_HANDLE],
    indexIds: [5],
    commonIds: [1, 2, 3, 4, 5],
    handle: "common",
    pid: 0,
    ptid: 0,
    key: "7480000000000000405f69800000000000000c010041000000000000f9",
    value:
      "007d017f0031038000000000000001016100000000000000f8010e33000000000000f9016100000000000000f8010041000000000000f980000300000003040501000200040041014120",
    want: [
      [0, "A "],
      [1, 1],
      [2, "a"],
      [3, "A"],
      [4, "a "],
      [5, "A "],
    ],
  },
  {
    test: "test_common_handle_index",
    schema: [...COMMON_HANDLE, ...COMMON_HANDLE],
    indexIds: [1, 2, 3, 4, 5],
    commonIds: [1, 2, 3, 4, 5],
    handle: "common",
    pid: 0,
    ptid: 0,
    key: "7480000000000000405f698000000000000007038000000000000001016100000000000000f8010e33000000000000f9016100000000000000f8010041000000000000f9038000000000000001016100000000000000f8010e33000000000000f9016100000000000000f8010041000000000000f9",
    value: "007d0180000300000003040501000200040041014120",
    want: [
      [0, 1],
      [1, "a"],
      [2, "A"],
      [3, "a "],
      [4, "A "],
      [5, 1],
      [6, "a"],
      [7, "A"],
      [8, "a "],
      [9, "A "],
    ],
  },
  {
    test: "test_common_handle_index",
    schema: [...COMMON_HANDLE, ...COMMON_HANDLE],
    indexIds: [1, 2, 3, 4, 5],
    commonIds: [1, 2, 3, 4, 5],
    handle: "common",
    pid: 0,
    ptid: 0,
    key: "7480000000000000405f69800000000000000d038000000000000001016100000000000000f8010e33000000000000f9016100000000000000f8010041000000000000f9",
    value:
      "007d017f0031038000000000000001016100000000000000f8010e33000000000000f9016100000000000000f8010041000000000000f980000300000003040501000200040041014120",
    want: [
      [0, 1],
      [1, "a"],
      [2, "A"],
      [3, "a "],
      [4, "A "],
      [5, 1],
      [6, "a"],
      [7, "A"],
      [8, "a "],
      [9, "A "],
    ],
  },
  {
    test: "test_common_handle_with_physical_table_id",
    schema: [{ tp: 3 }, { tp: 3 }, { tp: 3 }, { tp: 3 }, { tp: 3 }, { tp: 3 }],
    indexIds: [2, 3],
    commonIds: [1, 3, 4],
    handle: "common",
    pid: 0,
    ptid: 1,
    key: "74800000000000005c5f698000000000000002038000000000000002038000000000000003038000000000000001038000000000000003038000000000000001",
    value: "007d01",
    want: [
      [0, 2],
      [1, 3],
      [2, 1],
      [3, 3],
      [4, 1],
      [5, 92],
    ],
  },
  {
    test: "test_global_index_with_physical_table_id",
    schema: [{ tp: 3 }, { tp: 3 }, { tp: 3 }],
    indexIds: [1],
    commonIds: [],
    handle: "int",
    pid: 0,
    ptid: 1,
    key: "74800000000000007b5f698000000000000001038000000000000001",
    value: "087e800000000000005c0000000000000001",
    want: [
      [0, 1],
      [1, 1],
      [2, 92],
    ],
  },
  {
    test: "test_common_handle_index_latin1_bin",
    schema: [{ tp: 3 }, { tp: 254, collate: Collation.Latin1Bin }],
    indexIds: [2],
    commonIds: [1],
    handle: "common",
    pid: 0,
    ptid: 0,
    key: "7480000000000000375f698000000000000002038000000000000001016a6f7669616c6564ff69736f6e00000000fb",
    value: "007d0180000100000001010000",
    want: [[1, "jovialedison"]],
  },
];

describe("BatchIndexScanExecutor: TiDB-written entries (TiKV golden cases)", () => {
  it.each(GOLDEN.map((g) => [g.test, g.key.slice(0, 30), g]))("%s %s…", (_t, _k, g) => {
    const ftCol = (id: number, ft: FieldType, pk = false) => {
      const ci = col(id, ft.tp, { pk });
      if (ft.collate !== undefined) ci.collation = ft.collate;
      return ci;
    };
    const columns: tipb.ColumnInfo.$Properties[] = g.indexIds.map((id, i) => ftCol(id, g.schema[i]));
    let k = g.indexIds.length;
    if (g.handle === "int") columns.push(ftCol(-1, g.schema[k++], true));
    else if (g.handle === "common") for (const id of g.commonIds) columns.push(ftCol(id, g.schema[k++]));
    if (g.pid) columns.push(ftCol(EXTRA_PARTITION_ID_COL_ID, g.schema[k++]));
    if (g.ptid) columns.push(ftCol(EXTRA_PHYSICAL_TABLE_ID_COL_ID, g.schema[k++]));
    expect(k).toBe(g.schema.length);
    const key = hex(g.key);
    const exec = scan(store([[key, hex(g.value)]]), {
      columns,
      ranges: [pointRange(key)],
      primaryColumnIds: g.handle === "common" ? g.commonIds : [],
    });
    const rows = runAll(exec);
    expect(rows.length).toBe(1);
    for (const [c, v] of g.want) expect(rows[0][c]).toEqual(v);
  });
});

describe("BatchIndexScanExecutor: errors", () => {
  const T = 1;
  const I = 1;
  const all = [{ start: encodeIndexKeyDatums(T, I, []), end: prefixNext(encodeIndexKeyDatums(T, I, [])) }];
  const c = [col(1, FieldTypeTp.LongLong), col(-1, FieldTypeTp.LongLong, { pk: true })];

  it("int and common handles together are refused", () => {
    expect(() => scan(new MemoryStorage(), { columns: c, ranges: all, primaryColumnIds: [1] })).toThrow(
      UnsupportedError,
    );
  });

  it("more handle columns than columns are refused", () => {
    expect(() =>
      scan(new MemoryStorage(), { columns: [c[0]], ranges: all, primaryColumnIds: [1, 2] }),
    ).toThrow(/exceeds the length/);
  });

  it.each([
    [
      "a missing indexed datum",
      encodeIndexKeyDatums(T, I, []),
      Uint8Array.of(0x30),
      /0th column is missing value/,
    ],
    [
      "a short unique value",
      encodeIndexKeyDatums(T, I, [Datum.int(1)]),
      Uint8Array.of(0, 0, 1),
      /handle in value/,
    ],
    [
      "a bad handle flag",
      concat(encodeIndexKeyDatums(T, I, [Datum.int(1)]), Uint8Array.of(5, 0, 0, 0, 0, 0, 0, 0, 0)),
      Uint8Array.of(0x30),
      /Unexpected handle flag 5/,
    ],
    [
      "a corrupt tail length",
      encodeIndexKeyDatums(T, I, [Datum.int(1)]),
      Uint8Array.of(200, ...new Uint8Array(10)),
      /tail length/,
    ],
    [
      "a common handle without common handle columns",
      encodeIndexKeyDatums(T, I, [Datum.int(1)]),
      Uint8Array.of(0, 127, 0, 9, ...encodeKey([Datum.int(1)])),
      /common handles/,
    ],
  ])("%s is a CodecError", (_name, key, value, msg) => {
    const exec = scan(store([[key, value]]), { columns: c, ranges: all });
    let err: unknown;
    try {
      exec.nextBatch(10);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CodecError);
    expect(String(err)).toMatch(msg);
  });

  it("a record key in an index range is a CodecError", () => {
    const key = Uint8Array.from([
      ...encodeIndexKeyDatums(T, I, []).subarray(0, 9),
      0x5f,
      0x72,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
    ]);
    const exec = scan(store([[key, Uint8Array.of(0x30)]]), {
      columns: [c[0]],
      ranges: [{ start: key.subarray(0, 9), end: prefixNext(key.subarray(0, 9)) }],
    });
    expect(() => exec.nextBatch(1)).toThrow(/index key expected/);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: an index (a INT NULL, b VARCHAR collate C) of a table with int handles (layout
// version 0, restored data V4 when b needs it) or with a clustered common handle (layout version 1,
// restored data V5), unique or not, read back in full against a model.

interface Entry {
  a: bigint | null;
  b: string | null;
  handle: bigint;
}

const COLLATIONS = [
  Collation.Utf8Mb4GeneralCi,
  Collation.Utf8Mb4Bin,
  Collation.Binary,
  Collation.Utf8Mb4UnicodeCi,
];
const TB = 12;
const IX = 3;
const enc = new TextEncoder();

/** Trailing spaces of `s` (what a PAD SPACE `_bin` sort key drops). */
function trailingSpaces(s: string): number {
  let n = 0;
  while (n < s.length && s[s.length - 1 - n] === " ") n++;
  return n;
}

function writeEntries(entries: Entry[], collate: number, unique: boolean, clustered: boolean): MemoryStorage {
  const collator = collatorFor(collate as Collation);
  const vft: FieldType = { tp: FieldTypeTp.VarChar, collate };
  const needsRestore = collate !== Collation.Binary;
  const isBin = collate === Collation.Utf8Mb4Bin;
  const st = new MemoryStorage();
  for (const e of entries) {
    const bKey = e.b === null ? Datum.NULL : Datum.bytes(collator.sortKey(enc.encode(e.b)));
    const handleDatum = Datum.int(e.handle);
    // TiDB treats a unique index entry with a NULL as non-unique: the handle goes in the key.
    const distinct = unique && e.a !== null && e.b !== null;
    const keyDatums = [e.a === null ? Datum.NULL : Datum.int(e.a), bKey];
    if (!distinct) keyDatums.push(handleDatum);
    const key = encodeIndexKeyDatums(TB, IX, keyDatums);
    let restoredData: Uint8Array | undefined;
    if (needsRestore) {
      if (!clustered) {
        // Version 0: every indexed column.
        restoredData = encodeRowV2([1, 2], [LONGLONG, vft], [e.a, e.b]);
      } else if (e.b !== null) {
        // Version 1: only b, its text or (for _bin) its trailing spaces.
        restoredData = isBin
          ? encodeRowV2([2], [{ tp: FieldTypeTp.LongLong, flag: 32 }], [trailingSpaces(e.b)])
          : encodeRowV2([2], [vft], [e.b]);
      }
    }
    const handle = clustered
      ? ({ kind: "common", encoded: encodeKey([handleDatum]) } as const)
      : ({ kind: "int", value: e.handle } as const);
    const spec: Parameters<typeof encodeIndexValue>[0] = { unique: distinct, handle };
    if (clustered) spec.clusteredVersion1 = true;
    if (restoredData !== undefined) spec.restoredData = restoredData;
    st.put(key, encodeIndexValue(spec));
  }
  return st;
}

const entryArb = fc.record({
  a: fc.option(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), { nil: null }),
  b: fc.option(fc.stringMatching(/^[aAbB ]{0,4}$/), { nil: null }),
  handle: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
});

describe("BatchIndexScanExecutor: properties against a model", () => {
  it("a full scan returns every entry in key order with original strings and handles", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(entryArb, { maxLength: 30, selector: (e) => e.handle }),
        fc.constantFrom(...COLLATIONS),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
        (raw, collate, unique, clustered, desc, batches) => {
          // A unique index holds each (a, b) once.
          const seen = new Set<string>();
          const collator = collatorFor(collate as Collation);
          const entries = raw.filter((e) => {
            if (!unique || e.a === null || e.b === null) return true;
            const k = `${e.a}/${Buffer.from(collator.sortKey(enc.encode(e.b))).toString("hex")}`;
            if (seen.has(k)) return false;
            seen.add(k);
            return true;
          });
          const st = writeEntries(entries, collate, unique, clustered);
          const columns = [
            col(1, FieldTypeTp.LongLong),
            col(2, FieldTypeTp.VarChar, { collate }),
            clustered ? col(5, FieldTypeTp.LongLong) : col(-1, FieldTypeTp.LongLong, { pk: true }),
          ];
          const exec = scan(st, {
            columns,
            ranges: [
              { start: encodeIndexKeyDatums(TB, IX, []), end: prefixNext(encodeIndexKeyDatums(TB, IX, [])) },
            ],
            desc,
            primaryColumnIds: clustered ? [5] : [],
          });
          // The model's order: the keys TiDB would write, compared as bytes.
          const keyOf = (e: Entry) => {
            const bKey = e.b === null ? Datum.NULL : Datum.bytes(collator.sortKey(enc.encode(e.b)));
            const ds = [e.a === null ? Datum.NULL : Datum.int(e.a), bKey];
            if (!(unique && e.a !== null && e.b !== null)) ds.push(Datum.int(e.handle));
            return encodeIndexKeyDatums(TB, IX, ds);
          };
          const sorted = [...entries].sort((x, y) => compareKeys(keyOf(x), keyOf(y)));
          if (desc) sorted.reverse();
          const norm = (v: bigint | null) => (v === null ? null : jsInt(v));
          // Strings come back as written: from the key (binary), or restored (V4 text, V5 text or spaces).
          const want = sorted.map((e) => [norm(e.a), e.b, norm(e.handle)]);
          expect(runAll(exec, batches)).toEqual(want);
        },
      ),
      { numRuns: 200 },
    );
  });
});
