// The DAG requests of the end-to-end bench (the coprocessor part of TPC-H Q6 and Q1, as in
// packages/executors/bench/tpch.bench.ts, plus a COUNT(*) probe), and the client-side merge of the
// per-region partial results (sums of partial sums; Q1 groups merged by key), checked against the
// exact answers of @copr/tpch.
import { ByteWriter, decodeChunk, writeU64 } from "@copr/codec";
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
import { i64, tipb, toBigInt, u64 } from "@copr/proto";
import { newQ1Group, type Q1Group, scaled } from "@copr/tpch";
import { aggFunc, colRef, columnInfo, fieldTypePb, func, intConst } from "../src/dag.js";
import { LINEITEM_TABLE_ID, lineitemColumn } from "./lineitem.js";

type Expr = tipb.Expr.$Properties;
type Dag = tipb.DAGRequest.$Properties;
const S = tipb.ScalarFuncSig;
const T = tipb.ExecType;
const E = tipb.ExprType;

const BOOL = fieldType(FieldTypeTp.LongLong, { flen: 1 });
const COUNT_FT = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.NotNull, flen: 21 });
const dec = (flen: number, decimal: number) => fieldType(FieldTypeTp.NewDecimal, { flen, decimal });
const ctx = new EvalContext();

/** A DATE constant (tipb MysqlTime: the packed u64). */
function dateConst(y: number, m: number, d: number): Expr {
  const t = Time.fromFields(
    ctx,
    { year: y, month: m, day: d, hour: 0, minute: 0, second: 0, micro: 0 },
    TimeType.Date,
    0,
  );
  const w = new ByteWriter(8);
  writeU64(w, t.toPackedU64());
  return { tp: E.MysqlTime, val: w.finish(), fieldType: fieldTypePb(lineitemColumn("l_shipdate").ft) };
}

/** A DECIMAL constant (tipb MysqlDecimal: precision, frac, then the binary form). */
function decConst(s: string): Expr {
  const v = Decimal.fromString(s);
  const [prec, frac] = v.precAndFrac();
  const bin = v.toBin(prec, frac).value;
  const val = new Uint8Array(2 + bin.length);
  val[0] = prec;
  val[1] = frac;
  val.set(bin, 2);
  return { tp: E.MysqlDecimal, val, fieldType: fieldTypePb(dec(prec, frac)) };
}

/** A table scan of `cols` (by name) and a column reference builder over its output. */
function scanOf(cols: string[]) {
  const exec: tipb.Executor.$Properties = {
    tp: T.TypeTableScan,
    tblScan: {
      tableId: i64(LINEITEM_TABLE_ID),
      columns: cols.map((c) => columnInfo(lineitemColumn(c), c === "l_orderkey")),
    },
  };
  const ref = (c: string): Expr => colRef(cols.indexOf(c), lineitemColumn(c).ft);
  return { exec, ref };
}

function dagOf(executors: tipb.Executor.$Properties[], outputs: number): Dag {
  return {
    executors,
    outputOffsets: Array.from({ length: outputs }, (_, i) => i),
    encodeType: tipb.EncodeType.TypeChunk,
    collectExecutionSummaries: true,
    timeZoneOffset: i64(0),
    flags: u64(0),
  };
}

/** One query of the bench: its DAG, output types and executor names (for the summaries). */
export interface BenchQuery {
  readonly name: string;
  readonly dag: Dag;
  readonly outputTypes: FieldType[];
  readonly executorNames: string[];
}

/** `SELECT COUNT(*)`: a scan of the handle only (no row value decoded), then COUNT(1). */
export function countQuery(): BenchQuery {
  const { exec } = scanOf(["l_orderkey"]);
  const agg: tipb.Executor.$Properties = {
    tp: T.TypeAggregation,
    aggregation: { aggFunc: [aggFunc(E.Count, COUNT_FT, intConst(1, COUNT_FT))] },
  };
  return {
    name: "COUNT(*)",
    dag: dagOf([exec, agg], 1),
    outputTypes: [COUNT_FT],
    executorNames: ["TableFullScan", "StreamAgg"],
  };
}

const Q6_TYPES = [dec(52, 4)];

/** Q6: `SUM(l_extendedprice * l_discount)` over 1994's rows with discount 0.05..0.07, quantity < 24. */
export function q6Query(): BenchQuery {
  const { exec, ref } = scanOf(["l_quantity", "l_extendedprice", "l_discount", "l_shipdate"]);
  const sel: tipb.Executor.$Properties = {
    tp: T.TypeSelection,
    selection: {
      conditions: [
        func(S.GETime, BOOL, ref("l_shipdate"), dateConst(1994, 1, 1)),
        func(S.LTTime, BOOL, ref("l_shipdate"), dateConst(1995, 1, 1)),
        func(S.GEDecimal, BOOL, ref("l_discount"), decConst("0.05")),
        func(S.LEDecimal, BOOL, ref("l_discount"), decConst("0.07")),
        func(S.LTDecimal, BOOL, ref("l_quantity"), decConst("24")),
      ],
    },
  };
  const revenue = func(S.MultiplyDecimal, dec(30, 4), ref("l_extendedprice"), ref("l_discount"));
  const agg: tipb.Executor.$Properties = {
    tp: T.TypeAggregation,
    aggregation: { aggFunc: [aggFunc(E.Sum, dec(52, 4), revenue)] },
  };
  return {
    name: "Q6",
    dag: dagOf([exec, sel, agg], 1),
    outputTypes: Q6_TYPES,
    executorNames: ["TableFullScan", "Selection", "StreamAgg"],
  };
}

/** The Q1 aggregation's output: partial results (AVG as count, sum), then the group-by columns. */
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
  lineitemColumn("l_returnflag").ft,
  lineitemColumn("l_linestatus").ft,
];

/** Q1: per (l_returnflag, l_linestatus) of rows shipped by 1998-09-02 (DATE '1998-12-01' - 90 days). */
export function q1Query(): BenchQuery {
  const { exec, ref } = scanOf([
    "l_quantity",
    "l_extendedprice",
    "l_discount",
    "l_tax",
    "l_returnflag",
    "l_linestatus",
    "l_shipdate",
  ]);
  const sel: tipb.Executor.$Properties = {
    tp: T.TypeSelection,
    selection: { conditions: [func(S.LETime, BOOL, ref("l_shipdate"), dateConst(1998, 9, 2))] },
  };
  const one = decConst("1");
  const discPrice = func(
    S.MultiplyDecimal,
    dec(31, 4),
    ref("l_extendedprice"),
    func(S.MinusDecimal, dec(16, 2), one, ref("l_discount")),
  );
  const charge = func(
    S.MultiplyDecimal,
    dec(47, 6),
    discPrice,
    func(S.PlusDecimal, dec(16, 2), one, ref("l_tax")),
  );
  const agg: tipb.Executor.$Properties = {
    tp: T.TypeAggregation,
    aggregation: {
      groupBy: [ref("l_returnflag"), ref("l_linestatus")],
      aggFunc: [
        aggFunc(E.Sum, dec(37, 2), ref("l_quantity")),
        aggFunc(E.Sum, dec(37, 2), ref("l_extendedprice")),
        aggFunc(E.Sum, dec(53, 4), discPrice),
        aggFunc(E.Sum, dec(65, 6), charge),
        aggFunc(E.Avg, dec(19, 6), ref("l_quantity")),
        aggFunc(E.Avg, dec(19, 6), ref("l_extendedprice")),
        aggFunc(E.Avg, dec(19, 6), ref("l_discount")),
        aggFunc(E.Count, COUNT_FT, intConst(1, COUNT_FT)),
      ],
    },
  };
  return {
    name: "Q1",
    dag: dagOf([exec, sel, agg], Q1_TYPES.length),
    outputTypes: Q1_TYPES,
    executorNames: ["TableFullScan", "Selection", "HashAgg"],
  };
}

// ---------------------------------------------------------------------------------------------
// Decoding and merging the per-region answers

const utf8 = new TextDecoder();

/** The rows of a Chunk-encoded SelectResponse as plain values (decimals as strings). */
export function decodeRows(response: tipb.SelectResponse.$Properties, types: FieldType[]): unknown[][] {
  if (response.error) throw new Error(`DAG error ${response.error.code}: ${response.error.msg}`);
  const rows: unknown[][] = [];
  for (const c of response.chunks ?? []) {
    if (!c.rowsData || c.rowsData.length === 0) continue;
    const cols: Column[] = decodeChunk(c.rowsData, types);
    const n = cols[0]?.length ?? 0;
    for (let i = 0; i < n; i++) {
      rows.push(
        cols.map((col) => {
          const v = (col as { get(i: number): unknown }).get(i);
          if (v instanceof Uint8Array) return utf8.decode(v);
          if (v instanceof Decimal) return v.toString();
          return v;
        }),
      );
    }
  }
  return rows;
}

const big = (v: unknown): bigint => (typeof v === "bigint" ? v : BigInt(v as number));

/** COUNT(*): the sum of the regions' counts, checked against the table's row count. */
export function checkCount(responses: tipb.SelectResponse.$Properties[], rows: number): string {
  let total = 0n;
  for (const r of responses) for (const row of decodeRows(r, [COUNT_FT])) total += big(row[0]);
  return total === BigInt(rows) ? "OK" : `MISMATCH (got ${total}, want ${rows})`;
}

/** Q6: the sum of the regions' partial sums (a region with no matching row answers NULL). */
export function checkQ6(responses: tipb.SelectResponse.$Properties[], want: bigint): string {
  let total = 0n;
  for (const r of responses) {
    const rows = decodeRows(r, Q6_TYPES);
    if (rows.length !== 1) return `MISMATCH (a region answered ${rows.length} rows)`;
    if (rows[0]![0] !== null) total += scaled(rows[0]![0] as string, 4);
  }
  return total === want ? "OK" : `MISMATCH (got ${total}, want ${want} at scale 4)`;
}

/** Q1: the regions' groups merged by key (sums added; AVG's count and sum added), compared in full. */
export function checkQ1(responses: tipb.SelectResponse.$Properties[], want: Map<string, Q1Group>): string {
  const got = new Map<
    string,
    Q1Group & { avgCounts: [bigint, bigint, bigint]; avgQty: bigint; avgPrice: bigint }
  >();
  for (const r of responses) {
    for (const row of decodeRows(r, Q1_TYPES)) {
      const key = `${row[11]}${row[12]}`;
      let g = got.get(key);
      if (g === undefined) {
        g = { ...newQ1Group(), avgCounts: [0n, 0n, 0n], avgQty: 0n, avgPrice: 0n };
        got.set(key, g);
      }
      g.qty += scaled(row[0] as string, 2);
      g.price += scaled(row[1] as string, 2);
      g.discPrice += scaled(row[2] as string, 4);
      g.charge += scaled(row[3] as string, 6);
      g.avgCounts[0] += big(row[4]);
      g.avgQty += scaled(row[5] as string, 2);
      g.avgCounts[1] += big(row[6]);
      g.avgPrice += scaled(row[7] as string, 2);
      g.avgCounts[2] += big(row[8]);
      g.disc += scaled(row[9] as string, 2);
      g.count += big(row[10]);
    }
  }
  if (got.size !== want.size) return `MISMATCH (${got.size} groups, want ${want.size})`;
  for (const [key, w] of want) {
    const g = got.get(key);
    if (g === undefined) return `MISMATCH (group ${key} missing)`;
    const pairs: [string, bigint, bigint][] = [
      ["sum_qty", g.qty, w.qty],
      ["sum_base_price", g.price, w.price],
      ["sum_disc_price", g.discPrice, w.discPrice],
      ["sum_charge", g.charge, w.charge],
      ["avg_qty count", g.avgCounts[0], w.count],
      ["avg_qty sum", g.avgQty, w.qty],
      ["avg_price count", g.avgCounts[1], w.count],
      ["avg_price sum", g.avgPrice, w.price],
      ["avg_disc count", g.avgCounts[2], w.count],
      ["avg_disc sum", g.disc, w.disc],
      ["count_order", g.count, w.count],
    ];
    for (const [what, a, b] of pairs)
      if (a !== b) return `MISMATCH (group ${key} ${what}: got ${a}, want ${b})`;
  }
  return "OK";
}

/** Per-executor time (ns, inclusive of children) summed over the regions' execution summaries. */
export function executorNs(responses: tipb.SelectResponse.$Properties[]): number[] {
  const out: number[] = [];
  for (const r of responses) {
    (r.executionSummaries ?? []).forEach((s, i) => {
      out[i] = (out[i] ?? 0) + Number(toBigInt(s.timeProcessedNs ?? undefined));
    });
  }
  return out;
}
