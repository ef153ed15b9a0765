// The coprocessor part of TPC-H Q6 and Q1 over a generated `lineitem` (bench/lineitem.ts) held
// in a MemoryStorage as TiDB writes it, run as whole DAG requests with `runDagRequest` and
// answered in the Chunk format, as TiDB pushes these queries down to TiKV:
//   Q6: TableScan → Selection (GETime, LTTime, GEDecimal, LEDecimal, LTDecimal) →
//       Aggregation SUM(l_extendedprice * l_discount)
//   Q1: TableScan → Selection (LETime) → hash Aggregation GROUP BY l_returnflag, l_linestatus
//       of 4 SUMs, 3 AVGs and COUNT(*)
// Each task prints rows/s (rows of the table scanned), the peak RSS sampled while it ran, and
// whether the answer equals the exact one @copr/tpch computes from the generated values with
// bigint cents (never with the engine).
//
// Rows: COPR_BENCH_ROWS (default 1,000,000); COPR_BENCH_BIG=1 also runs 6,000,000 (SF 1);
// COPR_BENCH_ITER runs per task (default 3).
import { decodeChunk, tableIntHandleRange } from "@copr/codec";
import {
  type Column,
  Decimal,
  EvalContext,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  Time,
  TimeType,
} from "@copr/datatype";
import { columnRef, constDecimal, constInt, constTime, fieldTypeToPb, scalarFunc } from "@copr/expr";
import { i64, tipb, u64 } from "@copr/proto";
import { type Q1Group, q1Expected, q6Expected, scaled } from "@copr/tpch";
import { bench, describe } from "vitest";
import { runDagRequest } from "../src/dag.js";
import type { KeyRange, RangeBlock, RangePair, Storage, StorageScanner } from "../src/storage.js";
import {
  generateLineitem,
  LINEITEM_SCHEMA,
  LINEITEM_TABLE_ID,
  type Lineitem,
  type LineitemColumn,
  lineitemColumnInfo,
} from "./lineitem.js";

type Expr = tipb.Expr.$Properties;
const S = tipb.ScalarFuncSig;
const T = tipb.ExecType;
const E = tipb.ExprType;

const ROWS = Number(process.env.COPR_BENCH_ROWS ?? 1_000_000);
if (!Number.isSafeInteger(ROWS) || ROWS < 1)
  throw new Error(`COPR_BENCH_ROWS must be a positive integer, not ${process.env.COPR_BENCH_ROWS}`);
const SIZES = process.env.COPR_BENCH_BIG === "1" && ROWS !== 6_000_000 ? [ROWS, 6_000_000] : [ROWS];

// ---------------------------------------------------------------------------------------------
// Expression and plan builders

const BOOL = fieldType(FieldTypeTp.LongLong, { flen: 1 });
const COUNT_FT = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.NotNull, flen: 21 });
const dec = (flen: number, decimal: number) => fieldType(FieldTypeTp.NewDecimal, { flen, decimal });
const DATE = LINEITEM_SCHEMA.l_shipdate.ft;
const ctx = new EvalContext();

function dateConst(y: number, m: number, d: number): Expr {
  const t = Time.fromFields(
    ctx,
    { year: y, month: m, day: d, hour: 0, minute: 0, second: 0, micro: 0 },
    TimeType.Date,
    0,
  );
  return constTime(t, DATE);
}
function decConst(s: string): Expr {
  const v = Decimal.fromString(s);
  const [prec, frac] = v.precAndFrac();
  return constDecimal(v, dec(prec, frac));
}

/** A table scan of `cols`; returns the executor and a column reference builder by name. */
function scanOf(cols: LineitemColumn[]) {
  const exec: tipb.Executor.$Properties = {
    tp: T.TypeTableScan,
    tblScan: { tableId: i64(LINEITEM_TABLE_ID), columns: cols.map(lineitemColumnInfo) },
  };
  const ref = (c: LineitemColumn): Expr => columnRef(cols.indexOf(c), LINEITEM_SCHEMA[c].ft);
  return { exec, ref };
}

function selection(conditions: Expr[]): tipb.Executor.$Properties {
  return { tp: T.TypeSelection, selection: { conditions } };
}

function aggr(tp: tipb.ExprType, ft: FieldType, child: Expr): Expr {
  return { tp, fieldType: fieldTypeToPb(ft), children: [child] };
}

/** Q6: `SUM(l_extendedprice * l_discount)` over the rows of 1994 with discount 0.05..0.07, quantity < 24. */
function q6Dag(): tipb.DAGRequest.$Properties {
  const { exec, ref } = scanOf(["l_quantity", "l_extendedprice", "l_discount", "l_shipdate"]);
  const sel = selection([
    scalarFunc(S.GETime, BOOL, ref("l_shipdate"), dateConst(1994, 1, 1)),
    scalarFunc(S.LTTime, BOOL, ref("l_shipdate"), dateConst(1995, 1, 1)),
    scalarFunc(S.GEDecimal, BOOL, ref("l_discount"), decConst("0.05")),
    scalarFunc(S.LEDecimal, BOOL, ref("l_discount"), decConst("0.07")),
    scalarFunc(S.LTDecimal, BOOL, ref("l_quantity"), decConst("24")),
  ]);
  const revenue = scalarFunc(S.MultiplyDecimal, dec(30, 4), ref("l_extendedprice"), ref("l_discount"));
  const agg: tipb.Executor.$Properties = {
    tp: T.TypeAggregation,
    aggregation: { aggFunc: [aggr(E.Sum, dec(52, 4), revenue)] },
  };
  return dagOf([exec, sel, agg], 1);
}

const Q1_COLS: LineitemColumn[] = [
  "l_quantity",
  "l_extendedprice",
  "l_discount",
  "l_tax",
  "l_returnflag",
  "l_linestatus",
  "l_shipdate",
];

/** Q1: per (l_returnflag, l_linestatus) of rows shipped by 1998-09-02 (DATE '1998-12-01' - 90 days). */
function q1Dag(): tipb.DAGRequest.$Properties {
  const { exec, ref } = scanOf(Q1_COLS);
  const sel = selection([scalarFunc(S.LETime, BOOL, ref("l_shipdate"), dateConst(1998, 9, 2))]);
  const one = decConst("1");
  const discPrice = scalarFunc(
    S.MultiplyDecimal,
    dec(31, 4),
    ref("l_extendedprice"),
    scalarFunc(S.MinusDecimal, dec(16, 2), one, ref("l_discount")),
  );
  const charge = scalarFunc(
    S.MultiplyDecimal,
    dec(47, 6),
    discPrice,
    scalarFunc(S.PlusDecimal, dec(16, 2), one, ref("l_tax")),
  );
  const agg: tipb.Executor.$Properties = {
    tp: T.TypeAggregation,
    aggregation: {
      groupBy: [ref("l_returnflag"), ref("l_linestatus")],
      aggFunc: [
        aggr(E.Sum, dec(37, 2), ref("l_quantity")),
        aggr(E.Sum, dec(37, 2), ref("l_extendedprice")),
        aggr(E.Sum, dec(53, 4), discPrice),
        aggr(E.Sum, dec(65, 6), charge),
        aggr(E.Avg, dec(19, 6), ref("l_quantity")),
        aggr(E.Avg, dec(19, 6), ref("l_extendedprice")),
        aggr(E.Avg, dec(19, 6), ref("l_discount")),
        aggr(E.Count, COUNT_FT, constInt(1)),
      ],
    },
  };
  return dagOf([exec, sel, agg], Q1_TYPES.length);
}

/** Output of the Q1 aggregation: the partial results (AVG is count, sum), then the group-by columns. */
const Q1_TYPES: FieldType[] = [
  dec(37, 2),
  dec(37, 2),
  dec(53, 4),
  dec(65, 6),
  COUNT_FT,
  dec(37, 2),
  COUNT_FT,
  dec(37, 2),
  COUNT_FT,
  dec(37, 2),
  COUNT_FT,
  LINEITEM_SCHEMA.l_returnflag.ft,
  LINEITEM_SCHEMA.l_linestatus.ft,
];

function dagOf(executors: tipb.Executor.$Properties[], outputs: number): tipb.DAGRequest.$Properties {
  return {
    executors,
    outputOffsets: Array.from({ length: outputs }, (_, i) => i),
    encodeType: tipb.EncodeType.TypeChunk,
    timeZoneOffset: i64(0),
    flags: u64(0),
  };
}

// ---------------------------------------------------------------------------------------------
// The engine's answers decoded and checked against the exact ones (@copr/tpch, bigint cents)

function columnsOf(response: tipb.SelectResponse.$Properties, types: FieldType[]): unknown[][] {
  if (response.error) throw new Error(`DAG error: ${response.error.msg}`);
  const rows: unknown[][] = [];
  for (const c of response.chunks ?? []) {
    const cols: Column[] = decodeChunk(c.rowsData!, types);
    for (let i = 0; i < cols[0].length; i++) {
      rows.push(
        cols.map((col) => {
          const v = (col as { get(i: number): unknown }).get(i);
          if (v instanceof Uint8Array) return Buffer.from(v).toString();
          if (v instanceof Decimal) return v.toString();
          return v;
        }),
      );
    }
  }
  return rows;
}

function checkQ6(response: tipb.SelectResponse.$Properties, want: bigint): string {
  const rows = columnsOf(response, [dec(52, 4)]);
  if (rows.length !== 1) return `MISMATCH (${rows.length} rows)`;
  const got = scaled(rows[0][0] as string, 4);
  return got === want ? "OK" : `MISMATCH (got ${rows[0][0]}, want ${want} at scale 4)`;
}

function checkQ1(response: tipb.SelectResponse.$Properties, want: Map<string, Q1Group>): string {
  const rows = columnsOf(response, Q1_TYPES);
  if (rows.length !== want.size) return `MISMATCH (${rows.length} groups, want ${want.size})`;
  for (const r of rows) {
    const key = `${r[11]}${r[12]}`;
    const g = want.get(key);
    if (g === undefined) return `MISMATCH (unexpected group ${key})`;
    const got = [
      scaled(r[0] as string, 2),
      scaled(r[1] as string, 2),
      scaled(r[2] as string, 4),
      scaled(r[3] as string, 6),
      r[4],
      scaled(r[5] as string, 2),
      r[6],
      scaled(r[7] as string, 2),
      r[8],
      scaled(r[9] as string, 2),
      r[10],
    ];
    const exp = [
      g.qty,
      g.price,
      g.discPrice,
      g.charge,
      g.count,
      g.qty,
      g.count,
      g.price,
      g.count,
      g.disc,
      g.count,
    ];
    for (let i = 0; i < exp.length; i++) {
      if (got[i] !== exp[i])
        return `MISMATCH (group ${key} column ${i}: got ${String(r[i])}, want ${exp[i]})`;
    }
  }
  return "OK";
}

// ---------------------------------------------------------------------------------------------
// RSS sampling: a Storage wrapper that samples RSS every 64Ki rows scanned (the run is
// synchronous, so a timer would never fire while it runs).

let peakRss = 0;
function sampleRss(): void {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
}

class SampledStorage implements Storage {
  constructor(private readonly inner: Storage) {}
  scan(range: KeyRange, desc: boolean): StorageScanner {
    const s = this.inner.scan(range, desc);
    let n = 0;
    const nextRange = s.nextRange?.bind(s);
    const nextRanges = s.nextRanges?.bind(s);
    return {
      ...(s.stableRanges === true ? { stableRanges: true } : {}),
      next() {
        if ((++n & 0xffff) === 0) sampleRss();
        return s.next();
      },
      ...(nextRange !== undefined
        ? {
            nextRange(out: RangePair) {
              if ((++n & 0xffff) === 0) sampleRss();
              return nextRange(out);
            },
          }
        : {}),
      ...(nextRanges !== undefined
        ? {
            nextRanges(out: RangeBlock, max: number) {
              const c = nextRanges(out, max);
              n += c;
              if ((n & 0xffff) < c) sampleRss(); // crossed a multiple of 64Ki rows
              return c;
            },
          }
        : {}),
    };
  }
  get(key: Uint8Array): Uint8Array | null {
    return this.inner.get(key);
  }
}

// ---------------------------------------------------------------------------------------------

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

/** The table of `rows` rows, built once per size; the previous size is dropped first. */
let table: {
  rows: number;
  li: Lineitem;
  storage: Storage;
  q6: { revenue: bigint; rows: number };
  q1: Map<string, Q1Group>;
} | null = null;
function tableOf(rows: number) {
  if (table?.rows === rows) return table;
  table = null;
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  const li = generateLineitem(rows);
  const buildMs = performance.now() - t0;
  sampleRss();
  console.log(
    `lineitem ${rows} rows: generated + encoded into MemoryStorage in ${(buildMs / 1000).toFixed(1)} s ` +
      `(${((rows / buildMs) * 1000).toFixed(0)} rows/s, ${(li.valueBytes / rows).toFixed(1)} value bytes/row, ` +
      `RSS ${mb(process.memoryUsage.rss())})`,
  );
  table = {
    rows,
    li,
    storage: new SampledStorage(li.storage),
    q6: q6Expected(li.values),
    q1: q1Expected(li.values),
  };
  // The build's garbage (the encoded rows, copied into the arena) would otherwise count as the
  // queries' peak RSS until a collection happens to run (with --expose-gc; see docs/executors.md).
  (globalThis as { gc?: () => void }).gc?.();
  let q1Rows = 0n;
  for (const g of table.q1.values()) q1Rows += g.count;
  const pct = (n: number) => `${((n / rows) * 100).toFixed(1)}%`;
  console.log(
    `Q6 keeps ${pct(table.q6.rows)} of rows; Q1 keeps ${pct(Number(q1Rows))} in ${table.q1.size} groups`,
  );
  return table;
}

function task(
  rows: number,
  name: string,
  dag: tipb.DAGRequest.$Properties,
  check: (r: tipb.SelectResponse.$Properties) => string,
) {
  return () => {
    const t = tableOf(rows);
    peakRss = 0;
    sampleRss();
    const t0 = performance.now();
    const { response } = runDagRequest(dag, {
      storage: t.storage,
      ranges: [tableIntHandleRange(LINEITEM_TABLE_ID)],
    });
    const ms = performance.now() - t0;
    sampleRss();
    console.log(
      `${name} ${rows} rows: ${((rows / ms) * 1000).toFixed(0)} rows/s (${ms.toFixed(0)} ms), ` +
        `peak RSS ${mb(peakRss)}, ${check(response)}`,
    );
  };
}

// COPR_BENCH_ITER: measured runs per task (default 3), for steadier figures on a noisy machine.
const ITER = Number(process.env.COPR_BENCH_ITER ?? 3);
const opts = { iterations: ITER, warmupIterations: 1, time: 0, warmupTime: 0 };

for (const rows of SIZES) {
  describe(`TPC-H lineitem, ${rows} rows`, () => {
    bench(
      `Q6 ${rows}`,
      task(rows, "Q6", q6Dag(), (r) => checkQ6(r, tableOf(rows).q6.revenue)),
      opts,
    );
    bench(
      `Q1 ${rows}`,
      task(rows, "Q1", q1Dag(), (r) => checkQ1(r, tableOf(rows).q1)),
      opts,
    );
  });
}
