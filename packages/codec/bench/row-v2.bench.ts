// Row v2 encode and batch decode over 1M rows of a 10-column table.
// Rows live back to back in one buffer (~70 MB) and are decoded in batches of 1024 rows, as a
// table scan would, so memory stays modest. Each task prints its rows/s.
import {
  Decimal,
  EvalContext,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  Time,
  TimeType,
} from "@copr/datatype";
import { bench, describe } from "vitest";
import { encodeChunk } from "../src/chunk.js";
import { RowV2Encoder, type RowV2Value } from "../src/row-v2.js";
import { RowV2BatchDecoder, type RowV2ColumnSpec } from "../src/row-v2-decoder.js";

const ROWS = 1_000_000;
const BATCH = 1024;
const POOL = 4096;

// CREATE TABLE t (id BIGINT PRIMARY KEY, a INT, b BIGINT, c DOUBLE, d DECIMAL(15,2),
//   e VARCHAR(32), f DATETIME, g VARCHAR(64), h INT NULL (10% NULL), i DATE)
const FTS: FieldType[] = [
  fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.NotNull | FieldTypeFlag.PriKey }),
  fieldType(FieldTypeTp.Long),
  fieldType(FieldTypeTp.LongLong),
  fieldType(FieldTypeTp.Double),
  fieldType(FieldTypeTp.NewDecimal, { flen: 15, decimal: 2 }),
  fieldType(FieldTypeTp.VarChar, { flen: 32 }),
  fieldType(FieldTypeTp.DateTime, { decimal: 0 }),
  fieldType(FieldTypeTp.VarChar, { flen: 64 }),
  fieldType(FieldTypeTp.Long),
  fieldType(FieldTypeTp.Date),
];
const IDS = FTS.map((_, i) => i + 1);

let seed = 42;
function rand(): number {
  seed = (seed * 1_103_515_245 + 12_345) >>> 0;
  return seed / 4_294_967_296;
}

/** A pool of value rows cycled over the 1M rows (so the values themselves need little memory). */
function valuePool(): RowV2Value[][] {
  const ctx = new EvalContext();
  const pool: RowV2Value[][] = [];
  for (let r = 0; r < POOL; r++) {
    const day = 1 + Math.floor(rand() * 28);
    pool.push([
      r,
      Math.floor(rand() * 2_000_000) - 1_000_000,
      Math.floor(rand() * 2 ** 40),
      rand() * 1e6,
      Decimal.fromScaledNumber(Math.floor(rand() * 1e12), 2),
      `name-${Math.floor(rand() * 1e9)}`,
      Time.fromFields(
        ctx,
        {
          year: 2000 + (r % 24),
          month: 1 + (r % 12),
          day,
          hour: r % 24,
          minute: r % 60,
          second: 7,
          micro: 0,
        },
        TimeType.DateTime,
        0,
      ),
      "x".repeat(10 + (r % 40)),
      rand() < 0.1 ? null : Math.floor(rand() * 1000),
      Time.fromFields(
        ctx,
        { year: 1990 + (r % 30), month: 1 + (r % 12), day, hour: 0, minute: 0, second: 0, micro: 0 },
        TimeType.Date,
        0,
      ),
    ]);
  }
  return pool;
}

const pool = valuePool();
const encoder = new RowV2Encoder();

/** Encodes all rows into one buffer; `ends[r]` is where row r ends. */
function encodeAll(): { data: Uint8Array; ends: Int32Array } {
  let data = new Uint8Array(64 * ROWS);
  const ends = new Int32Array(ROWS);
  let at = 0;
  for (let r = 0; r < ROWS; r++) {
    const vals = pool[r % POOL];
    vals[0] = r;
    const row = encoder.encodeView(IDS, FTS, vals);
    if (at + row.length > data.length) {
      const grown = new Uint8Array(data.length * 2);
      grown.set(data.subarray(0, at));
      data = grown;
    }
    data.set(row, at);
    at += row.length;
    ends[r] = at;
  }
  return { data: data.subarray(0, at), ends };
}

const table = encodeAll();

/** Chunk bytes written by the last `decode(..., chunk = true)`. */
let chunkBytes = 0;

/** Decodes every row in batches of BATCH; with `chunk`, chunk-encodes each decoded batch. */
function decode(specs: RowV2ColumnSpec[], checkHeader = true, chunk = false): number {
  const dec = new RowV2BatchDecoder(specs, { capacity: BATCH, checkHeader });
  const fts = specs.map((s) => s.ft);
  const { data, ends } = table;
  let start = 0;
  let produced = 0;
  chunkBytes = 0;
  const flush = () => {
    const cols = dec.finish();
    if (chunk) chunkBytes += encodeChunk(cols, fts).length;
    produced += cols[0].length;
  };
  for (let r = 0; r < ROWS; r++) {
    dec.appendRowRange(data, start, ends[r], r, 0);
    start = ends[r];
    if (dec.rowCount === BATCH) flush();
  }
  flush();
  return produced;
}

const ALL: RowV2ColumnSpec[] = FTS.map((ft, i) => ({
  id: i + 1,
  ft,
  ...(i === 0 ? { role: "pkHandle" as const } : {}),
}));
// For SQL like `SELECT c, e FROM t WHERE ...`: two of the ten columns.
const TWO: RowV2ColumnSpec[] = [ALL[3], ALL[5]];
// For SQL like `SELECT SUM(d) FROM t`: one DECIMAL column.
const DEC: RowV2ColumnSpec[] = [ALL[4]];
// For SQL like `SELECT a, b, h FROM t`: integers only.
const INTS: RowV2ColumnSpec[] = [ALL[1], ALL[2], ALL[8]];

function report(name: string, f: () => void): () => void {
  return () => {
    const t0 = performance.now();
    f();
    const ms = performance.now() - t0;
    // MB/s of row v2 input read (every task walks all rows).
    const mbs = table.data.length / 1e6 / (ms / 1000);
    const out = chunkBytes > 0 ? `, ${(chunkBytes / 1e6).toFixed(0)} MB of chunks` : "";
    console.log(
      `${name}: ${((ROWS / ms) * 1000).toFixed(0)} rows/s, ${mbs.toFixed(0)} MB/s of rows (${ms.toFixed(0)} ms${out})`,
    );
    chunkBytes = 0;
  };
}

const opts = { iterations: 3, warmupIterations: 1, time: 0, warmupTime: 0 };

describe(`row v2, ${ROWS} rows x 10 columns (${(table.data.length / ROWS).toFixed(1)} bytes/row)`, () => {
  // For INSERT: TiDB writing rows.
  bench(
    "encode 10 columns",
    report("encode 10 columns", () => {
      let n = 0;
      for (let r = 0; r < ROWS; r++) n += encoder.encodeView(IDS, FTS, pool[r % POOL]).length;
      if (n === 0) throw new Error("nothing encoded");
    }),
    opts,
  );
  // For SQL like `SELECT * FROM t`.
  bench(
    "decode 10 of 10 columns",
    report("decode 10 of 10", () => void decode(ALL)),
    opts,
  );
  bench(
    "decode 10 of 10, checkHeader off",
    report("decode 10 of 10, checkHeader off", () => void decode(ALL, false)),
    opts,
  );
  bench(
    "decode 2 of 10 columns (DOUBLE, VARCHAR)",
    report("decode 2 of 10", () => void decode(TWO)),
    opts,
  );
  bench(
    "decode 2 of 10, checkHeader off",
    report("decode 2 of 10, checkHeader off", () => void decode(TWO, false)),
    opts,
  );
  // The coprocessor path: decode a batch, then answer it in the Chunk RPC format.
  bench(
    "decode 10 of 10 + chunk-encode",
    report("decode 10 of 10 + chunk-encode", () => void decode(ALL, true, true)),
    opts,
  );
  bench(
    "decode 2 of 10 + chunk-encode",
    report("decode 2 of 10 + chunk-encode", () => void decode(TWO, true, true)),
    opts,
  );
  bench(
    "decode 1 of 10 (DECIMAL)",
    report("decode 1 of 10 (DECIMAL)", () => void decode(DEC)),
    opts,
  );
  bench(
    "decode 3 of 10 (integers)",
    report("decode 3 of 10 (integers)", () => void decode(INTS)),
    opts,
  );
});
