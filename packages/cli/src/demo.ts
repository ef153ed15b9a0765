// `copr demo`: a generated `orders` table written through Prewrite/Commit, then three DAG requests
// (scan + limit, selection + GROUP BY aggregation, top-n) pushed down over gRPC, their Chunk answers
// and per-executor execution summaries printed as tables.
import { tableIntHandleRange } from "@copr/codec";
import { type FieldType, FieldTypeFlag, FieldTypeTp, fieldType } from "@copr/datatype";
import { i64, tipb, u64 } from "@copr/proto";
import { converterFor } from "./convert.js";
import {
  aggFunc,
  colRef,
  columnInfo,
  formatSummaries,
  formatTable,
  func,
  intConst,
  mergeSummaries,
  responseRows,
} from "./dag.js";
import { TableEncoder } from "./encode.js";
import { parseSchema, type TableSchema } from "./schema.js";
import { type Mutation, TxnClient } from "./txn-client.js";

/** The demo table's id. */
export const DEMO_TABLE_ID = 100;
/** Rows in the demo table. */
export const DEMO_ROWS = 3000;
/** The cities of the demo rows (row i has city i % 6). */
export const DEMO_CITIES = ["Berlin", "Cairo", "Lima", "Oslo", "Paris", "Tokyo"] as const;

/** The demo table's schema (as a schema file would give it). */
export const DEMO_SCHEMA: TableSchema = parseSchema({
  columns: [
    { name: "id", type: "bigint" },
    { name: "city", type: "varchar(16)", collation: "utf8mb4_general_ci" },
    { name: "qty", type: "int" },
    { name: "amount", type: "decimal(10,2)" },
    { name: "created", type: "datetime" },
  ],
  primaryKey: ["id"],
  indexes: [{ id: 1, name: "idx_city", columns: ["city"] }],
});

/** The text of demo row `i` (1-based), field by field: id, city, qty, amount, created. */
export function demoRow(i: number): [string, string, string, string, string] {
  const cents = (i * 7919) % 100_000;
  const day = new Date(Date.UTC(2024, 0, 1) + (i % 366) * 86_400_000);
  const date = day.toISOString().slice(0, 10);
  const hour = String(i % 24).padStart(2, "0");
  return [
    String(i),
    DEMO_CITIES[i % DEMO_CITIES.length]!,
    String(((i * 37) % 100) + 1),
    `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`,
    `${date} ${hour}:00:00`,
  ];
}

/** Writes the demo rows (batches of 500 rows per transaction). */
export async function loadDemoTable(client: TxnClient): Promise<number> {
  const cols = DEMO_SCHEMA.columns;
  const convs = cols.map((c) => converterFor(c));
  const encoder = new TableEncoder(DEMO_TABLE_ID, DEMO_SCHEMA);
  let batch: Mutation[] = [];
  for (let i = 1; i <= DEMO_ROWS; i++) {
    const text = demoRow(i);
    batch.push(...encoder.encodeRow(text.map((t, c) => convs[c]!(t))));
    if (i % 500 === 0 || i === DEMO_ROWS) {
      await client.writeRows(batch);
      batch = [];
    }
  }
  return DEMO_ROWS;
}

/** One demo query: what it stands for, its executors and how to read its answer. */
export interface DemoQuery {
  readonly sql: string;
  readonly executors: tipb.Executor.$Properties[];
  readonly executorNames: string[];
  readonly outputOffsets: number[];
  readonly outputTypes: FieldType[];
  readonly header: string[];
  /** Reorders/sorts the decoded rows for display. */
  readonly present?: (rows: string[][]) => string[][];
}

const col = (name: string) => DEMO_SCHEMA.columns.find((c) => c.name === name)!;

/** The three demo queries. */
export function demoQueries(): DemoQuery[] {
  const cols = DEMO_SCHEMA.columns;
  const scan: tipb.Executor.$Properties = {
    tp: tipb.ExecType.TypeTableScan,
    tblScan: { tableId: i64(DEMO_TABLE_ID), columns: cols.map((c) => columnInfo(c, c.name === "id")) },
  };
  const allTypes = cols.map((c) => c.ft);
  const countFt = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.NotNull, flen: 21 });
  const sumFt = fieldType(FieldTypeTp.NewDecimal, { flen: 32, decimal: 2 });
  const boolFt = fieldType(FieldTypeTp.LongLong, { flen: 1 });
  return [
    {
      sql: "SELECT * FROM orders LIMIT 5",
      executors: [scan, { tp: tipb.ExecType.TypeLimit, limit: { limit: u64(5) } }],
      executorNames: ["TableFullScan", "Limit"],
      outputOffsets: [0, 1, 2, 3, 4],
      outputTypes: allTypes,
      header: cols.map((c) => c.name),
    },
    {
      sql: "SELECT city, COUNT(*), SUM(amount) FROM orders WHERE qty > 50 GROUP BY city",
      executors: [
        scan,
        {
          tp: tipb.ExecType.TypeSelection,
          selection: {
            conditions: [
              func(tipb.ScalarFuncSig.GTInt, boolFt, colRef(2, col("qty").ft), intConst(50, col("qty").ft)),
            ],
          },
        },
        {
          tp: tipb.ExecType.TypeAggregation,
          aggregation: {
            groupBy: [colRef(1, col("city").ft)],
            aggFunc: [
              aggFunc(tipb.ExprType.Count, countFt, intConst(1, countFt)),
              aggFunc(tipb.ExprType.Sum, sumFt, colRef(3, col("amount").ft)),
            ],
          },
        },
      ],
      executorNames: ["TableFullScan", "Selection", "HashAgg"],
      // TiKV's aggregation output: the aggregates, then the group-by columns.
      outputOffsets: [0, 1, 2],
      outputTypes: [countFt, sumFt, col("city").ft],
      header: ["city", "count(*)", "sum(amount)"],
      present: (rows) => rows.map((r) => [r[2]!, r[0]!, r[1]!]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    },
    {
      sql: "SELECT id, city, amount FROM orders ORDER BY amount DESC LIMIT 5",
      executors: [
        scan,
        {
          tp: tipb.ExecType.TypeTopN,
          topN: { orderBy: [{ expr: colRef(3, col("amount").ft), desc: true }], limit: u64(5) },
        },
      ],
      executorNames: ["TableFullScan", "TopN"],
      outputOffsets: [0, 1, 3],
      outputTypes: [col("id").ft, col("city").ft, col("amount").ft],
      header: ["id", "city", "amount"],
    },
  ];
}

/** The answer to one demo query. */
export interface DemoResult {
  readonly query: DemoQuery;
  readonly rows: string[][];
  readonly summaries: tipb.ExecutorExecutionSummary.$Properties[];
}

/** Runs one query through the coprocessor and decodes its rows. */
export async function runDemoQuery(client: TxnClient, q: DemoQuery): Promise<DemoResult> {
  const results = await client.coprocessor(
    {
      executors: q.executors,
      outputOffsets: q.outputOffsets,
      encodeType: tipb.EncodeType.TypeChunk,
      collectExecutionSummaries: true,
      timeZoneOffset: i64(0),
      flags: u64(0),
    },
    // The whole int-handle range, as TiDB sends it: `[t_r, t_s)` would be read by TiKV as a point
    // range (its end is the start's prefix-next), i.e. the single key `t{id}_r`.
    [tableIntHandleRange(DEMO_TABLE_ID)],
  );
  let rows = results.flatMap((r) => responseRows(r.response, q.outputTypes));
  if (q.present) rows = q.present(rows);
  const summaries = mergeSummaries(results.map((r) => r.response.executionSummaries ?? []));
  return { query: q, rows, summaries };
}

/** Loads the demo table into the node at `address`, runs the queries and writes the report to `out`. */
export async function runDemo(address: string, out: (text: string) => void): Promise<DemoResult[]> {
  const client = new TxnClient(address);
  try {
    const t0 = performance.now();
    const n = await loadDemoTable(client);
    out(
      `Loaded ${n} rows into table ${DEMO_TABLE_ID} (orders: id BIGINT PRIMARY KEY, city VARCHAR(16) utf8mb4_general_ci, qty INT, amount DECIMAL(10,2), created DATETIME; index idx_city) in ${(performance.now() - t0).toFixed(0)} ms\n`,
    );
    const results: DemoResult[] = [];
    for (const q of demoQueries()) {
      const r = await runDemoQuery(client, q);
      results.push(r);
      out(`\n${q.sql}\n${formatTable(q.header, r.rows)}\n${r.rows.length} rows\n`);
      out(`${formatSummaries(q.executorNames, r.summaries)}\n`);
    }
    return results;
  } finally {
    client.close();
  }
}
