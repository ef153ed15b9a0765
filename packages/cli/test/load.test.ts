// `loadCsv` into a real node started in-process (memory engine, loopback port 0, two regions), then
// pushed-down COUNT/SUM compared with values computed here from the generated CSV.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { encodeRecordKey } from "@copr/codec";
import { FieldTypeFlag, FieldTypeTp, fieldType } from "@copr/datatype";
import { i64, tipb, u64 } from "@copr/proto";
import { type CoprServer, startServer } from "@copr/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aggFunc,
  colRef,
  columnInfo,
  DataError,
  intConst,
  loadCsv,
  parseSchema,
  responseRows,
  TxnClient,
} from "../src/index.js";

const TABLE = 61;
const SCHEMA_JSON = {
  columns: [
    { name: "id", type: "bigint" },
    { name: "name", type: "varchar(40)", collation: "utf8mb4_general_ci" },
    { name: "qty", type: "int" },
    { name: "price", type: "decimal(10,2)" },
    { name: "note", type: "text" },
  ],
  primaryKey: ["id"],
  indexes: [{ id: 1, name: "idx_name", columns: ["name"] }],
};
const schema = parseSchema(SCHEMA_JSON);

let server: CoprServer;
let dir: string;
let client: TxnClient;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "copr-cli-load-"));
  // Two regions, split inside the table: the client must learn them from region errors.
  server = await startServer({
    addr: "127.0.0.1:0",
    statusAddr: "127.0.0.1:0",
    logLevel: "silent",
    readPoolSize: 0,
    splitKeys: [Buffer.from(encodeRecordKey(TABLE, 600)).toString("hex")],
  });
  client = new TxnClient(server.address);
});

afterAll(async () => {
  client?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** COUNT(*), SUM(qty), SUM(price) over handles [lo, hi] through the coprocessor. */
async function aggregate(lo: bigint, hi: bigint): Promise<string[]> {
  const cols = schema.columns;
  const countFt = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.NotNull });
  const sumQtyFt = fieldType(FieldTypeTp.NewDecimal, { flen: 32, decimal: 0 });
  const sumPriceFt = fieldType(FieldTypeTp.NewDecimal, { flen: 32, decimal: 2 });
  const results = await client.coprocessor(
    {
      executors: [
        {
          tp: tipb.ExecType.TypeTableScan,
          tblScan: { tableId: i64(TABLE), columns: cols.map((c) => columnInfo(c, c.name === "id")) },
        },
        {
          tp: tipb.ExecType.TypeAggregation,
          aggregation: {
            aggFunc: [
              aggFunc(tipb.ExprType.Count, countFt, intConst(1, countFt)),
              aggFunc(tipb.ExprType.Sum, sumQtyFt, colRef(2, cols[2]!.ft)),
              aggFunc(tipb.ExprType.Sum, sumPriceFt, colRef(3, cols[3]!.ft)),
            ],
          },
        },
      ],
      outputOffsets: [0, 1, 2],
      encodeType: tipb.EncodeType.TypeChunk,
      flags: u64(0),
    },
    [{ start: encodeRecordKey(TABLE, lo), end: encodeRecordKey(TABLE, hi + 1n) }],
  );
  // One partial aggregate per region: add them up.
  let count = 0n;
  let qty = 0n;
  let cents = 0n;
  for (const r of results) {
    for (const [c, q, p] of responseRows(r.response, [countFt, sumQtyFt, sumPriceFt])) {
      count += BigInt(c!);
      if (q !== "NULL") qty += BigInt(q!);
      if (p !== "NULL") cents += BigInt(p!.replace(".", ""));
    }
  }
  const abs = cents < 0n ? -cents : cents;
  return [
    String(count),
    String(qty),
    `${cents < 0n ? "-" : ""}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`,
  ];
}

describe("copr load", () => {
  it("loads a CSV with quoting and NULLs; COUNT/SUM match the file", async () => {
    const n = 1500;
    const lines = ["id,name,qty,price,note"];
    let qtySum = 0n;
    let cents = 0n;
    for (let i = 1; i <= n; i++) {
      const qty = i % 10 === 0 ? null : (i * 13) % 97;
      const priceCents = ((i * 7919) % 200_000) - 50_000; // some negative
      const name = i % 4 === 0 ? `"name, ""${i}"""` : i % 4 === 1 ? `"multi\nline ${i}"` : `n${i}`;
      const note = i % 3 === 0 ? "\\N" : i % 3 === 1 ? "" : "some note";
      if (qty !== null) qtySum += BigInt(qty);
      cents += BigInt(priceCents);
      const price = `${priceCents < 0 ? "-" : ""}${Math.floor(Math.abs(priceCents) / 100)}.${String(Math.abs(priceCents) % 100).padStart(2, "0")}`;
      lines.push(`${i},${name},${qty === null ? "\\N" : qty},${price},${note}`);
    }
    const csv = path.join(dir, "t.csv");
    writeFileSync(csv, `${lines.join("\r\n")}\r\n`);
    const progress: number[] = [];
    const res = await loadCsv({
      client,
      tableId: TABLE,
      schema,
      csvPath: csv,
      header: true,
      batchRows: 400,
      onProgress: (p) => progress.push(p.rows),
    });
    expect(res.rows).toBe(n);
    expect(res.keys).toBe(2 * n); // a record and one index entry per row
    expect(progress).toEqual([400, 800, 1200, 1500]);
    const abs = cents < 0n ? -cents : cents;
    const wantPrice = `${cents < 0n ? "-" : ""}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
    expect(await aggregate(1n, BigInt(n))).toEqual([String(n), String(qtySum), wantPrice]);

    // A quoted name with a delimiter and doubled quotes came through (row 4).
    const rows = await client.coprocessor(
      {
        executors: [
          {
            tp: tipb.ExecType.TypeTableScan,
            tblScan: {
              tableId: i64(TABLE),
              columns: schema.columns.map((c) => columnInfo(c, c.name === "id")),
            },
          },
        ],
        outputOffsets: [0, 1, 4],
        encodeType: tipb.EncodeType.TypeChunk,
      },
      [{ start: encodeRecordKey(TABLE, 4), end: encodeRecordKey(TABLE, 7) }],
    );
    const got = rows.flatMap((r) =>
      responseRows(r.response, [schema.columns[0]!.ft, schema.columns[1]!.ft, schema.columns[4]!.ft]),
    );
    expect(got).toEqual([
      ["4", 'name, "4"', ""],
      ["5", "multi\nline 5", "some note"],
      ["6", "n6", "NULL"],
    ]);
  });

  it("stops at a malformed row with its line and column; its batch is not written", async () => {
    const csv = path.join(dir, "bad.csv");
    // Rows 2001..2006 on lines 1..6; line 5 has a bad qty. Batches of 3: lines 1-3 commit, 4-6 do not.
    writeFileSync(
      csv,
      "2001,a,1,1.00,\n2002,b,2,2.00,\n2003,c,3,3.00,\n2004,d,4,4.00,\n2005,e,x5,5.00,\n2006,f,6,6.00,\n",
    );
    const err = await loadCsv({ client, tableId: TABLE, schema, csvPath: csv, batchRows: 3 }).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.line).toBe(5);
    expect(err.column).toBe("qty");
    expect(err.message).toBe("line 5, column 'qty': Incorrect integer value: 'x5' for column 'qty'");
    expect(await aggregate(2001n, 2006n)).toEqual(["3", "6", "6.00"]);
  });

  it("reports a wrong field count and a duplicate key by line", async () => {
    const short = path.join(dir, "short.csv");
    writeFileSync(short, "3001,a,1,1.00,\n3002,b,2\n");
    const e1 = await loadCsv({ client, tableId: TABLE, schema, csvPath: short }).catch((e) => e);
    expect(e1).toBeInstanceOf(DataError);
    expect(e1.message).toBe("line 2: expected 5 fields, found 3");

    const dup = path.join(dir, "dup.csv");
    writeFileSync(dup, "3101,a,1,1.00,\n3101,b,2,2.00,\n");
    const e2 = await loadCsv({ client, tableId: TABLE, schema, csvPath: dup }).catch((e) => e);
    expect(e2.message).toMatch(/^line 2: duplicate entry: same primary or unique key as line 1/);

    // Row 2001 exists from the previous test: the node refuses the Insert.
    const again = path.join(dir, "again.csv");
    writeFileSync(again, "3201,a,1,1.00,\n2001,z,9,9.00,\n");
    const e3 = await loadCsv({ client, tableId: TABLE, schema, csvPath: again }).catch((e) => e);
    expect(e3).toBeInstanceOf(DataError);
    expect(e3.message).toMatch(/^line 2: duplicate entry: the primary or unique key already exists/);
    // The whole transaction was rolled back: 3201 is not there.
    expect(await aggregate(3201n, 3201n)).toEqual(["0", "0", "0.00"]);
  });
});
