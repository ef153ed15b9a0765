// Column creation and kernels over 1M rows, for the layout choices of src/column (TiKV
// codec/data_type). Run with `npx vitest bench --run` in packages/datatype (never part of the tests).
import { bench, describe } from "vitest";
import { ChunkedVecDateTime } from "../src/column/chunked-vec-date-time.js";
import { ChunkedVecDecimal } from "../src/column/chunked-vec-decimal.js";
import { ChunkedVecInt, ChunkedVecIntBuilder } from "../src/column/chunked-vec-int.js";
import { compareTimeWords, Decimal, EvalContext, Time, TimeType } from "../src/index.js";

const N = 1_000_000;
const MAX = Number.MAX_SAFE_INTEGER;

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

// Fixtures, built once outside the timed functions.
const rand = rng(42);
const ints = Array.from({ length: N }, () => Math.floor((rand() - 0.5) * 2_000_000_000));
const intColumn = ChunkedVecInt.fromValues(ints);
const bigintBaseline = BigInt64Array.from(ints, (v) => BigInt(v));
const baselineWords = new Int32Array(bigintBaseline.buffer);

const decimals = Array.from({ length: N }, () => Decimal.fromString((rand() * 100_000).toFixed(2)));
const decimalColumn = ChunkedVecDecimal.fromValues(decimals);
const decimalScaled = decimalColumn.scaledNumbers(2) as Float64Array;

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
const bigA = timesA.toU64();
const bigB = timesB.toU64();
const cmpOut = new Int8Array(N);
const selOut = new Uint8Array(N);

/** Exact SUM over the f64 representation: doubles while the running sum stays below 2^53. */
function sumF64Exact(values: Float64Array): number | bigint {
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    s += values[i];
    if (s > MAX || s < -MAX) {
      // The rare overflow: redo the rest exactly.
      let b = BigInt(s - values[i]);
      for (let j = i; j < values.length; j++) b += BigInt(values[j]);
      return b;
    }
  }
  return s;
}

describe("Int column, 1M rows", () => {
  // For decoding a BIGINT column into a batch (1M appends of plain numbers).
  bench("build (f64 representation)", () => {
    const b = new ChunkedVecIntBuilder({ capacity: N });
    for (let i = 0; i < N; i++) b.append(ints[i]);
    b.finish();
  });

  // For SQL like SELECT SUM(a) FROM t, exact (overflow checked per row).
  bench("SUM over the f64 representation", () => {
    const d = intColumn.data;
    if (d.repr !== "f64") throw new Error("expected f64");
    if (sumF64Exact(d.values) === 0.5) throw new Error("unreachable");
  });

  // The same SUM over a plain BigInt64Array, one bigint per row (the layout not chosen).
  bench("SUM over a BigInt64Array (baseline)", () => {
    let s = 0n;
    for (let i = 0; i < bigintBaseline.length; i++) s += bigintBaseline[i];
    if (s === -1n) throw new Error("unreachable");
  });

  // The same SUM over the BigInt64Array read as int32 halves: exact, no bigint per row, but
  // only an additive kernel can do this (compare, multiply, divide cannot).
  bench("SUM over a BigInt64Array as int32 halves", () => {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < baselineWords.length; i += 2) {
      lo += baselineWords[i] >>> 0;
      hi += baselineWords[i + 1];
    }
    if ((BigInt(hi) << 32n) + BigInt(lo) === -1n) throw new Error("unreachable");
  });
});

describe("Int filter, 1M rows", () => {
  // For SQL like SELECT ... WHERE a > 12345 (a comparison kernel producing a selection).
  // Both variants are branch-free: with random data a `? 1 : 0` branch mispredicts and costs 2-3×.
  bench("a > const over the f64 representation", () => {
    const d = intColumn.data;
    if (d.repr !== "f64") throw new Error("expected f64");
    const v = d.values;
    for (let i = 0; i < N; i++) selOut[i] = Number(v[i] > 12345);
  });

  // The same filter over a plain BigInt64Array, comparing bigints.
  bench("a > const over a BigInt64Array (baseline)", () => {
    const c = 12345n;
    for (let i = 0; i < N; i++) selOut[i] = Number(bigintBaseline[i] > c);
  });
});

describe("DECIMAL(15,2) column, 1M rows", () => {
  // For SQL like SELECT SUM(l_extendedprice) FROM lineitem: scaled integers as doubles.
  bench("SUM via scaledNumbers(2) (fast path, includes the conversion)", () => {
    const col = new ChunkedVecDecimal(decimalColumn.words);
    const scaled = col.scaledNumbers(2);
    if (scaled === null) throw new Error("expected the fast path");
    const s = sumF64Exact(scaled);
    if (typeof s === "number") Decimal.fromScaledNumber(s, 2);
  });

  // The same SUM once the scaled numbers exist (e.g. produced directly by a decoder).
  bench("SUM over ready scaled numbers (kernel only)", () => {
    const s = sumF64Exact(decimalScaled);
    if (typeof s === "number") Decimal.fromScaledNumber(s, 2);
  });

  // The same SUM with Decimal objects, one read and one add per row.
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
  // For SQL like WHERE a < b over two DATETIME columns: the shared comparison function.
  bench("compare as uint32 word pairs (compareTimeWords)", () => {
    const a = timesA.words;
    const b = timesB.words;
    for (let i = 0; i < N; i++) cmpOut[i] = compareTimeWords(a[2 * i], a[2 * i + 1], b[2 * i], b[2 * i + 1]);
  });

  // The same comparison inlined without branches: sign of the high-word difference, else of
  // the low words without the fsp/type bits.
  bench("compare as uint32 word pairs (branch-free)", () => {
    const a = timesA.words;
    const b = timesB.words;
    for (let i = 0; i < N; i++) {
      const d = a[2 * i + 1] - b[2 * i + 1] || (a[2 * i] >>> 4) - (b[2 * i] >>> 4);
      cmpOut[i] = (d > 0 ? 1 : 0) - (d < 0 ? 1 : 0);
    }
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
