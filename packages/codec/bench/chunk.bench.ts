// Chunk RPC encoding and decoding of 1M rows × 10 columns (TypeChunk responses).
// Run: npx vitest bench --run bench/chunk.bench.ts  (rows/s = ops/s × 1M; MB/s = ops/s × the
// encoded size printed at start-up).
import {
  ChunkedVecBytesBuilder,
  ChunkedVecDateTimeBuilder,
  ChunkedVecDecimalBuilder,
  ChunkedVecDurationBuilder,
  ChunkedVecEnumBuilder,
  ChunkedVecIntBuilder,
  ChunkedVecJsonBuilder,
  ChunkedVecRealBuilder,
  type Column,
  Decimal,
  FieldTypeTp,
  fieldType,
  Time,
} from "@copr/datatype";
import { bench, describe } from "vitest";
import { decodeChunk, encodeChunk } from "../src/chunk.js";

const ROWS = 1_000_000;

/** A seeded xorshift32, so every run encodes the same data. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4_294_967_296;
  };
}

function buildColumns(): Column[] {
  const r = rng(42);
  const id = new ChunkedVecIntBuilder({ capacity: ROWS });
  const qty = new ChunkedVecIntBuilder({ capacity: ROWS });
  const price = new ChunkedVecRealBuilder(ROWS);
  const ratio = new ChunkedVecRealBuilder(ROWS);
  const amount = new ChunkedVecDecimalBuilder(ROWS);
  const name = new ChunkedVecBytesBuilder(ROWS);
  const created = new ChunkedVecDateTimeBuilder(ROWS);
  const elapsed = new ChunkedVecDurationBuilder(0, ROWS);
  const status = new ChunkedVecEnumBuilder(["new", "paid", "shipped", "done"], ROWS);
  const attrs = new ChunkedVecJsonBuilder(ROWS);
  const decimals = Array.from({ length: 256 }, (_, i) => Decimal.fromString(`${i * 37}.${i % 100}`));
  const times = Array.from({ length: 256 }, (_, i) =>
    Time.fromCoreU64((2024n << 50n) | (BigInt(1 + (i % 12)) << 46n) | (BigInt(1 + (i % 28)) << 41n)),
  );
  const names = Array.from({ length: 256 }, (_, i) => new TextEncoder().encode(`customer-${i * 7919}`));
  const json = Uint8Array.of(0x0c, 5, 0x68, 0x65, 0x6c, 0x6c, 0x6f);
  for (let i = 0; i < ROWS; i++) {
    const k = (r() * 256) | 0;
    id.append(i);
    if (k < 26) qty.appendNull();
    else qty.append(k - 128);
    price.append(r() * 1000);
    ratio.append(r());
    amount.append(decimals[k]);
    name.append(names[k]);
    created.append(times[k]);
    elapsed.appendNanos(k * 1_000_000_000);
    status.appendIndex(1 + (k & 3));
    attrs.append(json);
  }
  return [
    id.finish(),
    qty.finish(),
    price.finish(),
    ratio.finish(),
    amount.finish(),
    name.finish(),
    created.finish(),
    elapsed.finish(),
    status.finish(),
    attrs.finish(),
  ];
}

const fts = [
  fieldType(FieldTypeTp.LongLong),
  fieldType(FieldTypeTp.Long),
  fieldType(FieldTypeTp.Double),
  fieldType(FieldTypeTp.Float),
  fieldType(FieldTypeTp.NewDecimal, { flen: 15, decimal: 2 }),
  fieldType(FieldTypeTp.VarChar),
  fieldType(FieldTypeTp.DateTime),
  fieldType(FieldTypeTp.Duration),
  fieldType(FieldTypeTp.Enum, { elems: ["new", "paid", "shipped", "done"] }),
  fieldType(FieldTypeTp.Json),
];

const columns = buildColumns();
const encoded = encodeChunk(columns, fts);
const half = Uint32Array.from({ length: ROWS / 2 }, (_, i) => 2 * i);
console.log(`chunk bench: ${ROWS} rows × ${fts.length} columns = ${encoded.length} bytes`);

describe("chunk", () => {
  // For SQL like `SELECT id, qty, price, … FROM orders` (every row, TypeChunk).
  bench(
    "encode 1M rows × 10 columns",
    () => {
      encodeChunk(columns, fts);
    },
    { iterations: 10, time: 3000 },
  );

  // For SQL like `SELECT … FROM orders WHERE id % 2 = 0` (a Selection leaves half the rows).
  bench(
    "encode 1M rows × 10 columns, every other row selected",
    () => {
      encodeChunk(columns, fts, half);
    },
    { iterations: 10, time: 3000 },
  );

  // For TiDB's side of the same query: reading the response back into columns.
  bench(
    "decode 1M rows × 10 columns",
    () => {
      decodeChunk(encoded, fts);
    },
    { iterations: 10, time: 3000 },
  );
});
