// Column creation and three kernels over 1M rows, for the layout choices in docs/datatype.md.
// Run with `npx pnpm@10.34.8 bench` (never part of the tests).
import { bench, describe } from "vitest";
import { ChunkedVecDateTime } from "../src/column/chunked-vec-date-time.js";
import { ChunkedVecDecimal } from "../src/column/chunked-vec-decimal.js";
import { ChunkedVecInt, ChunkedVecIntBuilder } from "../src/column/chunked-vec-int.js";
import { compareTimeWords, Decimal, EvalContext, Time, TimeType } from "../src/index.js";

const N = 1_000_000;

/** A seeded PRNG (mulberry32), so every run measures the same data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = rng(42);
const ints = Array.from({ length: N }, () => Math.floor((rand() - 0.5) * 2_000_000_000));
const intColumn = ChunkedVecInt.fromValues(ints);
const bigintBaseline = BigInt64Array.from(ints, (v) => BigInt(v));

const decimals = Array.from({ length: N }, () => Decimal.fromString((rand() * 100_000).toFixed(2)));
const decimalColumn = ChunkedVecDecimal.fromValues(decimals);

const ctx = new EvalContext();
const randomTime = (): Time =>
  Time.fromFields(
    ctx,
    {
      year: 1990 + Math.floor(rand() * 40),
      month: 1 + Math.floor(rand() * 12),
      day: 1 + Math.floor(rand() * 28),
      hour: Math.floor(rand() * 24),
      minute: Math.floor(rand() * 60),
      second: Math.floor(rand() * 60),
      micro: 0,
    },
    TimeType.DateTime,
    0,
  );
const timesA = ChunkedVecDateTime.fromValues(Array.from({ length: N }, randomTime));
const timesB = ChunkedVecDateTime.fromValues(Array.from({ length: N }, randomTime));
const bigA = new BigUint64Array(timesA.words.buffer, timesA.words.byteOffset, N);
const bigB = new BigUint64Array(timesB.words.buffer, timesB.words.byteOffset, N);
const cmpOut = new Int8Array(N);

describe("Int column, 1M rows", () => {
  // For decoding a BIGINT column into a batch.
  bench("build (f64 representation)", () => {
    const b = new ChunkedVecIntBuilder({ capacity: N });
    for (let i = 0; i < N; i++) b.append(ints[i]);
    b.finish();
  });

  // For SQL like SELECT SUM(a) FROM t.
  bench("SUM over the f64 representation", () => {
    const d = intColumn.data;
    if (d.repr !== "f64") throw new Error("expected f64");
    let s = 0;
    for (let i = 0; i < d.values.length; i++) s += d.values[i];
    if (s === 0.5) throw new Error("unreachable");
  });

  // The same SUM over a plain BigInt64Array, the layout we did not choose.
  bench("SUM over a BigInt64Array (baseline)", () => {
    let s = 0n;
    for (let i = 0; i < bigintBaseline.length; i++) s += bigintBaseline[i];
    if (s === -1n) throw new Error("unreachable");
  });
});

describe("DECIMAL(15,2) column, 1M rows", () => {
  // For SQL like SELECT SUM(l_extendedprice) FROM lineitem: scaled integers as doubles.
  bench("SUM via scaledNumbers(2) (fast path, includes the conversion)", () => {
    const col = new ChunkedVecDecimal(decimalColumn.words);
    const scaled = col.scaledNumbers(2);
    if (scaled === null) throw new Error("expected the fast path");
    let s = 0;
    for (let i = 0; i < scaled.length; i++) s += scaled[i];
    Decimal.fromScaledNumber(s, 2);
  });

  // The same SUM with Decimal objects, one add per row.
  bench(
    "SUM via Decimal.add (exact path)",
    () => {
      let s = Decimal.ZERO;
      for (let i = 0; i < N; i++) s = s.add(decimalColumn.get(i) as Decimal).value;
    },
    { iterations: 3 },
  );
});

describe("DATETIME columns, 1M rows", () => {
  // For SQL like WHERE a < b over two DATETIME columns.
  bench("compare as uint32 word pairs", () => {
    const a = timesA.words;
    const b = timesB.words;
    for (let i = 0; i < N; i++) cmpOut[i] = compareTimeWords(a[2 * i], a[2 * i + 1], b[2 * i], b[2 * i + 1]);
  });

  // The same comparison reading the u64 values as bigints.
  bench("compare as BigUint64Array (baseline)", () => {
    for (let i = 0; i < N; i++) {
      const x = bigA[i] >> 4n;
      const y = bigB[i] >> 4n;
      cmpOut[i] = x < y ? -1 : x > y ? 1 : 0;
    }
  });
});
