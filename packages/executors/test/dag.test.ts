// Whole DAG requests over a MemoryStorage holding row-v2 rows written with @copr/codec, answered as
// SelectResponses and decoded back with the chunk decoder; results are checked against values
// computed here from the rows themselves.
import { decodeChunk, encodeRecordKey, encodeRowV2, prefixNext, tableIntHandleRange } from "@copr/codec";
import {
  type ChunkedVecBytes,
  type ChunkedVecDecimal,
  type ChunkedVecInt,
  type Column,
  Decimal,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
} from "@copr/datatype";
import { columnRef, constInt, fieldTypeToPb, scalarFunc } from "@copr/expr";
import { i64, tipb, toBigInt, u64 } from "@copr/proto";
import { describe, expect, it } from "vitest";
import { buildExecutors, dagExecutors, runDagRequest } from "../src/dag.js";
import { MemoryStorage } from "../src/index.js";
import { DeadlineExceededError, isDeadlineExceededError } from "../src/runner.js";

const S = tipb.ScalarFuncSig;
const T = tipb.ExecType;
const TABLE = 42;
const ID = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.PriKey | FieldTypeFlag.NotNull });
const A = fieldType(FieldTypeTp.LongLong);
const B = fieldType(FieldTypeTp.NewDecimal, { flen: 10, decimal: 2 });
const C = fieldType(FieldTypeTp.VarString, { collate: -45, charset: "utf8mb4" }); // utf8mb4_general_ci
const SCHEMA = [ID, A, B, C];

interface Row {
  id: number;
  a: number | null;
  b: string | null;
  c: string | null;
}

const NAMES = ["apple", "Apple", "banana", "BANANA", "cherry"];
const ROWS: Row[] = Array.from({ length: 25 }, (_, i) => ({
  id: i * 3 - 10,
  a: i % 7 === 0 ? null : (i * 5) % 11,
  b: i % 5 === 0 ? null : `${i}.${(i * 7) % 100}`.replace(/\.(\d)$/, ".0$1"),
  c: i % 6 === 0 ? null : NAMES[i % NAMES.length]!,
}));

const storage = new MemoryStorage();
for (const r of ROWS) {
  storage.put(
    encodeRecordKey(TABLE, r.id),
    encodeRowV2([2, 3, 4], [A, B, C], [r.a, r.b === null ? null : Decimal.fromString(r.b), r.c]),
  );
}

const columnInfos: tipb.ColumnInfo.$Properties[] = SCHEMA.map((ft, i) => ({
  columnId: i64(i + 1),
  tp: ft.tp,
  flag: ft.flag ?? 0,
  columnLen: ft.flen ?? -1,
  decimal: ft.decimal ?? -1,
  collation: ft.collate ?? 63,
  pkHandle: i === 0,
}));

const scan = (desc = false): tipb.Executor.$Properties => ({
  tp: T.TypeTableScan,
  tblScan: { tableId: i64(TABLE), columns: columnInfos, desc },
});

function run(
  executors: tipb.Executor.$Properties[],
  outputOffsets: number[],
  types: FieldType[],
  extra: object = {},
) {
  const { response } = runDagRequest(
    {
      executors,
      outputOffsets,
      encodeType: tipb.EncodeType.TypeChunk,
      timeZoneOffset: i64(0),
      flags: u64(0),
      ...extra,
    },
    { storage, ranges: [tableIntHandleRange(TABLE)] },
  );
  expect(response.error ?? null).toBeNull();
  return rowsOf(response, types);
}

function rowsOf(response: tipb.SelectResponse.$Properties, types: FieldType[]): unknown[][] {
  return (response.chunks ?? []).flatMap((c) => {
    const cols: Column[] = decodeChunk(c.rowsData!, types);
    return Array.from({ length: cols[0]!.length }, (_, i) =>
      cols.map((col) => {
        const v = (col as { get(i: number): unknown }).get(i);
        if (v instanceof Uint8Array) return Buffer.from(v).toString();
        if (v instanceof Decimal) return v.toString();
        return v;
      }),
    );
  });
}

const asRow = (r: Row) => [BigInt(r.id), r.a === null ? null : BigInt(r.a), r.b, r.c];

describe("DAG requests", () => {
  it("a full scan returns every row, in handle order, and descending", () => {
    const sorted = [...ROWS].sort((x, y) => x.id - y.id);
    expect(run([scan()], [0, 1, 2, 3], SCHEMA)).toEqual(sorted.map(asRow));
    expect(run([scan(true)], [0, 1, 2, 3], SCHEMA)).toEqual([...sorted].reverse().map(asRow));
  });

  it("WHERE a > 5 then COUNT(*), SUM(b)", () => {
    const sel: tipb.Executor.$Properties = {
      tp: T.TypeSelection,
      selection: { conditions: [scalarFunc(S.GTInt, A, columnRef(1, A), constInt(5))] },
    };
    const COUNT_FT = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.NotNull });
    const SUM_FT = fieldType(FieldTypeTp.NewDecimal, { flen: 32, decimal: 2 });
    const agg: tipb.Executor.$Properties = {
      tp: T.TypeAggregation,
      aggregation: {
        aggFunc: [
          { tp: tipb.ExprType.Count, fieldType: fieldTypeToPb(COUNT_FT), children: [constInt(1)] },
          { tp: tipb.ExprType.Sum, fieldType: fieldTypeToPb(SUM_FT), children: [columnRef(2, B)] },
        ],
      },
    };
    const kept = ROWS.filter((r) => r.a !== null && r.a > 5);
    const sum = kept
      .filter((r) => r.b !== null)
      .reduce((acc, r) => acc.add(Decimal.fromString(r.b!)).value, Decimal.fromString("0"));
    expect(run([scan(), sel, agg], [0, 1], [COUNT_FT, SUM_FT])).toEqual([
      [BigInt(kept.length), sum.toString()],
    ]);
  });

  it("GROUP BY c groups by the column's collation (apple = Apple)", () => {
    const COUNT_FT = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.NotNull });
    const agg: tipb.Executor.$Properties = {
      tp: T.TypeAggregation,
      aggregation: {
        groupBy: [columnRef(3, C)],
        aggFunc: [{ tp: tipb.ExprType.Count, fieldType: fieldTypeToPb(COUNT_FT), children: [constInt(1)] }],
      },
    };
    const got = run([scan(), agg], [0, 1], [COUNT_FT, C]);
    const want = new Map<string | null, bigint>();
    for (const r of [...ROWS].sort((x, y) => x.id - y.id)) {
      const k = r.c === null ? null : r.c.toLowerCase();
      want.set(k, (want.get(k) ?? 0n) + 1n);
    }
    expect(
      new Map(got.map(([n, c]) => [c === null ? null : (c as string).toLowerCase(), n as bigint])),
    ).toEqual(want);
  });

  it("ORDER BY a DESC LIMIT 3 and a plain LIMIT 4", () => {
    const top: tipb.Executor.$Properties = {
      tp: T.TypeTopN,
      topN: { orderBy: [{ expr: columnRef(1, A), desc: true }], limit: u64(3) },
    };
    const want = [...ROWS]
      .filter((r) => r.a !== null)
      .sort((x, y) => y.a! - x.a!)
      .slice(0, 3)
      .map((r) => BigInt(r.a!));
    expect(run([scan(), top], [1], [A]).map((r) => r[0])).toEqual(want);
    const limit: tipb.Executor.$Properties = { tp: T.TypeLimit, limit: { limit: u64(4) } };
    expect(run([scan(), limit], [0], [ID])).toHaveLength(4);
  });

  it("paging resumes from the returned range with no row lost or repeated", () => {
    let ranges = [tableIntHandleRange(TABLE)];
    const seen: bigint[] = [];
    for (let page = 0; page < 10 && ranges.length > 0; page++) {
      const { response, range } = runDagRequest(
        { executors: [scan()], outputOffsets: [0], encodeType: tipb.EncodeType.TypeChunk },
        { storage, ranges, pagingSize: 7 },
      );
      seen.push(...rowsOf(response, [ID]).map((r) => r[0] as bigint));
      if (range === null) break;
      // The next page starts after the scanned range.
      ranges = [{ start: range.upper, end: tableIntHandleRange(TABLE).end }];
    }
    expect(seen).toEqual([...ROWS].map((r) => BigInt(r.id)).sort((x, y) => (x < y ? -1 : 1)));
  });

  it("point and multi-range scans read only their keys", () => {
    const k1 = encodeRecordKey(TABLE, ROWS[3]!.id);
    const ranges = [
      { start: k1, end: prefixNext(k1) },
      { start: encodeRecordKey(TABLE, 20), end: encodeRecordKey(TABLE, 30) },
    ];
    const { response } = runDagRequest(
      { executors: [scan()], outputOffsets: [0], encodeType: tipb.EncodeType.TypeChunk },
      { storage, ranges },
    );
    const want = [
      ROWS[3]!.id,
      ...ROWS.map((r) => r.id)
        .filter((id) => id >= 20 && id < 30)
        .sort((x, y) => x - y),
    ];
    expect(rowsOf(response, [ID]).map((r) => r[0])).toEqual(want.map(BigInt));
    expect(response.outputCounts!.map((n) => toBigInt(n))).toEqual([1n, BigInt(want.length - 1)]);
  });

  it("executors TiKV does not run are rejected with TiKV's message", () => {
    const { response } = runDagRequest(
      { executors: [scan(), { tp: T.TypeJoin, join: {} }], outputOffsets: [0] },
      { storage, ranges: [tableIntHandleRange(TABLE)] },
    );
    expect(response.error?.msg).toBe("Join executor not implemented");
    expect(() =>
      buildExecutors([{ tp: T.TypeSelection, selection: {} }], {
        storage,
        ranges: [],
        ctx: undefined as never,
      }),
    ).toThrow(/Unexpected first executor TypeSelection/);
  });

  it("a root_executor tree is flattened bottom-up", () => {
    const tree: tipb.Executor.$Properties = {
      tp: T.TypeLimit,
      limit: { limit: u64(1), child: { tp: T.TypeSelection, selection: { conditions: [], child: scan() } } },
    };
    expect(dagExecutors({ rootExecutor: tree }).map((e) => e.tp)).toEqual([
      T.TypeTableScan,
      T.TypeSelection,
      T.TypeLimit,
    ]);
  });

  it("decodes typed columns of every kind in the answer", () => {
    const rows = run([scan()], [1, 2, 3], [A, B, C]);
    const first = [...ROWS].sort((x, y) => x.id - y.id)[0]!;
    expect(rows[0]).toEqual([first.a === null ? null : BigInt(first.a), first.b, first.c]);
    void (null as unknown as ChunkedVecInt | ChunkedVecDecimal | ChunkedVecBytes);
  });
});

describe("a long scan under Selection and aggregation (column buffers recycled)", () => {
  // 12,000 rows: batches of 32, 64, … 1024 rows, then 1024 each, so the scan's builders take
  // turns over their buffers many times; every answer is worked out here from the rows.
  const N = 12_000;
  const big = new MemoryStorage();
  const rowA = (i: number) => (i % 17 === 0 ? null : i % 13);
  const cents = (i: number) => (i % 11 === 0 ? null : ((i * 37) % 100_000) - 20_000);
  const text = (c: number) =>
    `${c < 0 ? "-" : ""}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, "0")}`;
  for (let i = 0; i < N; i++) {
    const c = cents(i);
    big.put(
      encodeRecordKey(TABLE, i),
      encodeRowV2(
        [2, 3, 4],
        [A, B, C],
        [rowA(i), c === null ? null : Decimal.fromString(text(c)), NAMES[i % 5]!],
      ),
    );
  }
  const COUNT_FT = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.NotNull });
  const SUM_FT = fieldType(FieldTypeTp.NewDecimal, { flen: 32, decimal: 2 });
  const sel: tipb.Executor.$Properties = {
    tp: T.TypeSelection,
    selection: { conditions: [scalarFunc(S.GTInt, A, columnRef(1, A), constInt(3))] },
  };
  const aggFuncs = [
    { tp: tipb.ExprType.Count, fieldType: fieldTypeToPb(COUNT_FT), children: [constInt(1)] },
    { tp: tipb.ExprType.Sum, fieldType: fieldTypeToPb(SUM_FT), children: [columnRef(2, B)] },
    { tp: tipb.ExprType.Max, fieldType: fieldTypeToPb(B), children: [columnRef(2, B)] },
  ];
  const runBig = (executors: tipb.Executor.$Properties[], types: FieldType[]) => {
    const { response } = runDagRequest(
      { executors, outputOffsets: types.map((_, i) => i), encodeType: tipb.EncodeType.TypeChunk },
      { storage: big, ranges: [tableIntHandleRange(TABLE)] },
    );
    expect(response.error ?? null).toBeNull();
    return rowsOf(response, types);
  };
  /** COUNT(*), SUM(b) and MAX(b) of the rows with a > 3, per group in first-seen order. */
  const model = (groupOf: (i: number) => number | null) => {
    const groups = new Map<number | null, { count: number; sum: bigint | null; max: number | null }>();
    for (let i = 0; i < N; i++) {
      const a = rowA(i);
      if (a === null || a <= 3) continue;
      const k = groupOf(i);
      const g = groups.get(k) ?? { count: 0, sum: null, max: null };
      groups.set(k, g);
      g.count++;
      const c = cents(i);
      if (c !== null) {
        g.sum = (g.sum ?? 0n) + BigInt(c);
        g.max = g.max === null ? c : Math.max(g.max, c);
      }
    }
    return [...groups].map(([k, g]) => [
      BigInt(g.count),
      g.sum === null ? null : text(Number(g.sum)),
      g.max === null ? null : text(g.max),
      ...(k === undefined ? [] : [k === null ? null : BigInt(k)]),
    ]);
  };

  it("WHERE a > 3, then COUNT(*), SUM(b), MAX(b) over all of them", () => {
    const agg = { tp: T.TypeAggregation, aggregation: { aggFunc: aggFuncs } };
    const want = model(() => undefined as unknown as number);
    expect(runBig([scan(), sel, agg], [COUNT_FT, SUM_FT, B])).toEqual(want);
  });

  it("WHERE a > 3, then the same GROUP BY a (packed integer keys)", () => {
    const agg = { tp: T.TypeAggregation, aggregation: { aggFunc: aggFuncs, groupBy: [columnRef(1, A)] } };
    expect(runBig([scan(), sel, agg], [COUNT_FT, SUM_FT, B, A])).toEqual(model((i) => rowA(i)));
  });
});

describe("DAG execution summaries", () => {
  const GT5: tipb.Executor.$Properties = {
    tp: T.TypeSelection,
    selection: { conditions: [scalarFunc(S.GTInt, A, columnRef(1, A), constInt(5))] },
  };
  const kept = ROWS.filter((r) => r.a !== null && r.a > 5).length;

  function summaries(executors: tipb.Executor.$Properties[], collect = true) {
    let t = 0;
    const { response } = runDagRequest(
      {
        executors,
        outputOffsets: [0],
        encodeType: tipb.EncodeType.TypeChunk,
        collectExecutionSummaries: collect,
      },
      { storage, ranges: [tableIntHandleRange(TABLE)], summaryClock: () => t++ },
    );
    expect(response.error ?? null).toBeNull();
    return response.executionSummaries?.map((s) => ({
      iterations: Number(toBigInt(s.numIterations)),
      rows: Number(toBigInt(s.numProducedRows)),
      ns: Number(toBigInt(s.timeProcessedNs)),
    }));
  }

  it("scan, WHERE a > 5, LIMIT 2: one summary per executor, bottom-up (worked out by hand)", () => {
    // The first batch (32 rows asked) reads all 25 rows; the limit is reached within it. The clock
    // ticks once per reading, in the order limit, selection, scan start, then scan, selection,
    // limit end: each executor's time includes its children's.
    const limit: tipb.Executor.$Properties = { tp: T.TypeLimit, limit: { limit: u64(2) } };
    expect(kept).toBeGreaterThan(2);
    expect(summaries([scan(), GT5, limit])).toEqual([
      { iterations: 1, rows: ROWS.length, ns: 1 },
      { iterations: 1, rows: kept, ns: 3 },
      { iterations: 1, rows: 2, ns: 5 },
    ]);
  });

  it("the scan under a LIMIT is asked for no more rows than the limit, even wrapped", () => {
    const limit: tipb.Executor.$Properties = { tp: T.TypeLimit, limit: { limit: u64(3) } };
    expect(summaries([scan(), limit])?.map((s) => [s.iterations, s.rows])).toEqual([
      [1, 3],
      [1, 3],
    ]);
  });

  it("a GROUP BY counts its calls to the child (scan drained in one batch, then the output)", () => {
    const COUNT_FT = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.NotNull });
    const agg: tipb.Executor.$Properties = {
      tp: T.TypeAggregation,
      aggregation: {
        aggFunc: [{ tp: tipb.ExprType.Count, fieldType: fieldTypeToPb(COUNT_FT), children: [constInt(1)] }],
      },
    };
    const got = summaries([scan(), GT5, agg]);
    expect(got?.map((s) => s.rows)).toEqual([ROWS.length, kept, 1]);
    expect(got?.[2]?.iterations).toBe(1);
  });

  it("none unless the request asks", () => {
    expect(summaries([scan()], false)).toBeUndefined();
  });
});

describe("Limit with partition_by", () => {
  // TiKV runner.rs build_executors: a Limit with partition_by is a PartitionTopN without order-by
  // items: the first n rows of each run of equal partition keys.
  // Partition key: id DIV 10, which the handle order keeps grouped.
  const ID_DIV_10 = scalarFunc(S.IntDivideInt, A, columnRef(0, ID), constInt(10));
  const partitioned = (limit: number, extra: object = {}): tipb.Executor.$Properties => ({
    tp: T.TypeLimit,
    limit: { limit: u64(limit), partitionBy: [{ expr: ID_DIV_10 }], ...extra },
  });

  function expected(n: number): bigint[] {
    const byPart = new Map<number, number[]>();
    for (const r of [...ROWS].sort((x, y) => x.id - y.id)) {
      const k = Math.trunc(r.id / 10);
      const list = byPart.get(k) ?? [];
      if (list.length < n) list.push(r.id);
      byPart.set(k, list);
    }
    return [...byPart.values()].flat().map(BigInt);
  }
  const sorted = (v: unknown[]) => [...(v as bigint[])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));

  it.each([1, 2, 5])("keeps the first %i rows of each partition", (n) => {
    const got = run([scan(), partitioned(n)], [0], [ID]).map((r) => r[0]);
    expect(sorted(got)).toEqual(expected(n));
    // Partitions come out in input order.
    const parts = (got as bigint[]).map((id) => Math.trunc(Number(id) / 10));
    expect(parts).toEqual([...parts].sort((x, y) => x - y));
  });

  it("partition_by wins over truncate_key_expr; LIMIT 0 returns nothing", () => {
    const got = run([scan(), partitioned(1, { truncateKeyExpr: [columnRef(1, A)] })], [0], [ID]);
    expect(sorted(got.map((r) => r[0]))).toEqual(expected(1));
    expect(run([scan(), partitioned(0)], [0], [ID])).toEqual([]);
  });
});

describe("deadline", () => {
  // 100 rows: the runner reads them in batches of 32, 64 and 4.
  const big = new MemoryStorage();
  for (let h = 0; h < 100; h++) big.put(encodeRecordKey(TABLE, h), encodeRowV2([2], [A], [BigInt(h)]));
  const dag = { executors: [scan()], outputOffsets: [0], encodeType: tipb.EncodeType.TypeChunk };
  const base = { storage: big, ranges: [tableIntHandleRange(TABLE)] };

  it("is checked before each batch and thrown, not put in SelectResponse.error", () => {
    const readings: number[] = [];
    const times = [1000, 1010, 1020];
    const clock = () => {
      const t = times[readings.length]!;
      readings.push(t);
      return t;
    };
    let err: unknown;
    try {
      runDagRequest(dag, { ...base, deadline: 1015, clock });
    } catch (e) {
      err = e;
    }
    // Checks at 1000 and 1010 pass; the third, before the third batch, finds 1020 >= 1015.
    expect(readings).toEqual([1000, 1010, 1020]);
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(isDeadlineExceededError(err)).toBe(true);
    expect(err).toMatchObject({
      name: "DeadlineExceededError",
      code: 9007,
      message: "Execution terminated due to exceeding the deadline",
    });
  });

  it("a deadline equal to now is exceeded (TiKV: deadline <= now); a later one lets the run finish", () => {
    expect(() => runDagRequest(dag, { ...base, deadline: 500, clock: () => 500 })).toThrow(
      DeadlineExceededError,
    );
    const { response } = runDagRequest(dag, { ...base, deadline: 501, clock: () => 500 });
    expect(rowsOf(response, [ID])).toHaveLength(100);
  });

  it("a checkDeadline callback throwing DeadlineExceededError reaches the caller too", () => {
    let calls = 0;
    const checkDeadline = () => {
      if (++calls === 2) throw new DeadlineExceededError();
    };
    expect(() => runDagRequest(dag, { ...base, checkDeadline })).toThrow(DeadlineExceededError);
    expect(calls).toBe(2);
    expect(isDeadlineExceededError(new Error("x"))).toBe(false);
  });
});
