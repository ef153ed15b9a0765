// APPROX_COUNT_DISTINCT and its HyperLogLog sketch. TiKV has none. The MurmurHash3 vectors are the
// reference implementation's (MurmurHash3_x86_128, as the murmurhash3js-revisited package, which
// matches the C++ reference, computes them).
import {
  ChunkedVecBytes,
  ChunkedVecDecimal,
  ChunkedVecInt,
  ChunkedVecReal,
  Collation,
  Decimal,
  FieldTypeFlag,
  FieldTypeTp,
} from "@copr/datatype";
import { columnRef, constInt } from "@copr/expr";
import type { tipb } from "@copr/proto";
import { describe, expect, it } from "vitest";
import {
  APPROX_COUNT_DISTINCT_FIELD_TYPE,
  approxCountDistinctOf,
  HLL_PRECISION,
  HyperLogLog,
  mergeApproxCountDistinct,
} from "../src/index.js";
import { murmur3x86_128, murmurOut } from "../src/murmur3.js";
import { aggr, catchError, DECIMAL, DOUBLE, E, ft, LONGLONG, parse, runRows, runVector } from "./helpers.js";

const enc = new TextEncoder();
const hex = (words: Uint32Array) => [...words].map((w) => w.toString(16).padStart(8, "0")).join("");

describe("MurmurHash3_x86_128", () => {
  it.each([
    ["", 0, "00000000000000000000000000000000"],
    ["", 42, "af6d2cb695c80cba95c80cba95c80cba"],
    ["a", 0, "a794933c5556b01b5556b01b5556b01b"],
    ["abc", 0, "75cdc6d1a2b006a5a2b006a5a2b006a5"],
    ["abcde", 42, "583d8e9f09f0e63bdeafe2a7deafe2a7"],
    ["hello", 0, "2b2444a0db91def79adb31b69adb31b6"],
    ["0123456789abcde", 0, "3c76c46d4d0818c0add433daa78673fa"],
    ["0123456789abcdef", 0, "fb7d440936aed30a48ad1d9b572b3bfd"],
    ["0123456789abcdef0", 42, "722ee8c644099ef1d32a939c8ca4f654"],
    ["The quick brown fox jumps over the lazy dog", 0, "2f1583c3ecee2c675d7bf66ce5e91d2c"],
    ["我好强啊🙂", 0, "4bb267a97010d1a2c2333434d547b53e"],
  ])("%j seed %d", (s, seed, want) => {
    murmur3x86_128(enc.encode(s), seed);
    expect(hex(murmurOut)).toBe(want);
  });

  it.each([
    [1, "1a2a893c825db56b825db56b825db56b"],
    [13, "cbedda29107c882c3bab087f1445e0c3"],
    [14, "3bbe5d42263b296708a8894df5d7806d"],
    [15, "e834163d88c1111c03559fa97162791c"],
    [17, "c5078dc0fbe3511f9ede0bb0aee0538b"],
    [29, "f569edea893e88f3271af28f7b37996e"],
    [31, "661fa41664e569c4c4d9c5a2aebc2f18"],
    [33, "f2ce521728758d8f8b5892a5887e3f9d"],
    [255, "1366b44ae6335ff70dd16e2ba6a634b6"],
    [300, "6450a304d7101872f110b6407798309b"],
  ])("every tail length: bytes (i·37 + 11) mod 256, length %d", (n, want) => {
    const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
    murmur3x86_128(b);
    expect(hex(murmurOut)).toBe(want);
  });
});

describe("HyperLogLog", () => {
  it("an empty sketch is three header bytes and estimates 0", () => {
    const h = new HyperLogLog();
    expect(h.serialize()).toEqual(new Uint8Array([1, HLL_PRECISION, 0]));
    expect(h.estimate()).toBe(0);
  });

  it("small cardinalities are (nearly) exact", () => {
    for (const n of [1, 2, 10, 100, 1000]) {
      const h = new HyperLogLog();
      for (let i = 0; i < n; i++) h.addBytes(enc.encode(`v${i}`));
      for (let i = 0; i < n; i++) h.addBytes(enc.encode(`v${i}`)); // duplicates change nothing
      expect(Math.abs(h.estimate() - n)).toBeLessThanOrEqual(Math.max(0.5, n * 0.01));
    }
  });

  it("register rank: top 14 bits index, then leading zeros + 1 of the other 50 bits", () => {
    const h = new HyperLogLog();
    h.addHash(0xffff_ffff, 0); // index 16383, low 18 bits all ones → rank 1
    h.addHash(0x0000_0001, 0); // index 0, 17 zeros then a one → rank 18
    h.addHash(0x0004_0000, 1); // index 1, 18 + 31 zeros → rank 50
    h.addHash(0x0008_0000, 0); // index 2, all 50 bits zero → rank 51
    const r = h.registers();
    expect([r[16383], r[0], r[1], r[2]]).toEqual([1, 18, 50, 51]);
    expect(h.nonZero()).toBe(4);
  });

  it("serializes sparse and dense and reads both back", () => {
    for (const n of [5, 3000, 200_000]) {
      const h = new HyperLogLog();
      for (let i = 0; i < n; i++) h.addBytes(enc.encode(String(i)));
      const bytes = h.serialize();
      expect(bytes[2]).toBe(n < 4000 ? 0 : 1);
      const back = HyperLogLog.deserialize(bytes);
      expect(back.registers()).toEqual(h.registers());
      expect(back.serialize()).toEqual(bytes);
    }
  });

  it("rejects malformed sketches", () => {
    for (const bad of [
      new Uint8Array([1, 14]),
      new Uint8Array([2, 14, 0]),
      new Uint8Array([1, 12, 0]),
      new Uint8Array([1, 14, 0, 0, 1]),
      new Uint8Array([1, 14, 0, 0, 1, 52]),
      new Uint8Array([1, 14, 1, 0]),
      new Uint8Array([1, 14, 7]),
    ]) {
      expect(catchError(() => HyperLogLog.deserialize(bad))).toMatchObject({ name: "CodecError" });
    }
  });
});

const UTF8_CI = ft(FieldTypeTp.VarString, { collate: Collation.Utf8Mb4GeneralCi, charset: "utf8mb4" });
const BINARY = ft(FieldTypeTp.VarString);
const COUNT_OUT = ft(FieldTypeTp.LongLong, { flen: 21 });

function acd(...children: tipb.Expr.$Properties[]): tipb.Expr.$Properties {
  return aggr(E.ApproxCountDistinct, COUNT_OUT, ...children);
}

const estimateOf = (partial: unknown) => approxCountDistinctOf([partial as Uint8Array]);

describe("APPROX_COUNT_DISTINCT", () => {
  it("counts distinct strings by their collation, skipping NULLs", () => {
    const col = ChunkedVecBytes.fromValues(["a", "A", "b", null, "a ", "B", "c", null]);
    const ci = runVector(acd(columnRef(0, UTF8_CI)), [UTF8_CI], [col]);
    expect(ci.parsed.fieldTypes).toEqual([APPROX_COUNT_DISTINCT_FIELD_TYPE]);
    expect(ci.parsed.fn.name).toBe("AggrFnApproxCountDistinct<Bytes>");
    expect(estimateOf(ci.result[0])).toBe(3);
    expect(estimateOf(runVector(acd(columnRef(0, BINARY)), [BINARY], [col]).result[0])).toBe(6);
    // row by row (hash aggregation) gives the same sketch
    expect(runRows(acd(columnRef(0, UTF8_CI)), [UTF8_CI], [col])).toEqual(ci.result);
  });

  it("numbers by value: 1.5 = 1.50, -0 = 0, signed and unsigned alike", () => {
    const decs = ChunkedVecDecimal.fromValues(
      ["1.5", "1.50", "01.5", "-1.5", "0", "-0.00"].map((s) => Decimal.fromString(s)),
    );
    expect(estimateOf(runVector(acd(columnRef(0, DECIMAL)), [DECIMAL], [decs]).result[0])).toBe(3);
    const reals = ChunkedVecReal.fromValues([0, -0, 1.5, 1.5, Number.POSITIVE_INFINITY]);
    expect(estimateOf(runVector(acd(columnRef(0, DOUBLE)), [DOUBLE], [reals]).result[0])).toBe(3);
    const U = ft(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned });
    const a = runVector(acd(columnRef(0, LONGLONG)), [LONGLONG], [ChunkedVecInt.fromValues([1, 5, 7])])
      .result[0];
    const b = runVector(acd(columnRef(0, U)), [U], [ChunkedVecInt.fromValues([5, 7, 9], { unsigned: true })])
      .result[0];
    expect(approxCountDistinctOf([a as Uint8Array, b as Uint8Array])).toBe(4);
  });

  it("counts tuples of several arguments; a NULL anywhere skips the row", () => {
    const x = ChunkedVecInt.fromValues([1, 1, 2, 2, null, 3]);
    const y = ChunkedVecBytes.fromValues(["a", "A", "a", "b", "z", null]);
    const parsed = parse(acd(columnRef(0, LONGLONG), columnRef(1, UTF8_CI)), [LONGLONG, UTF8_CI]);
    expect(parsed.fn.name).toBe("AggrFnApproxCountDistinct<Tuple>");
    const r = runVector(acd(columnRef(0, LONGLONG), columnRef(1, UTF8_CI)), [LONGLONG, UTF8_CI], [x, y]);
    expect(estimateOf(r.result[0])).toBe(3);
  });

  it("a constant argument counts once; an empty group is an empty sketch (0)", () => {
    const col = ChunkedVecInt.fromValues([1, 2, 3]);
    expect(estimateOf(runVector(acd(constInt(7)), [LONGLONG], [col]).result[0])).toBe(1);
    const empty = runVector(acd(columnRef(0, LONGLONG)), [LONGLONG], [ChunkedVecInt.fromValues([])])
      .result[0];
    expect(empty).toEqual(new Uint8Array([1, HLL_PRECISION, 0]));
    expect(estimateOf(empty)).toBe(0);
  });

  it("merging partial sketches equals the sketch of all rows", () => {
    const values = Array.from({ length: 5000 }, (_, i) => (i * 7) % 3001);
    const col = ChunkedVecInt.fromValues(values);
    const whole = runVector(acd(columnRef(0, LONGLONG)), [LONGLONG], [col]).result[0] as Uint8Array;
    const parts = [0, 1, 2].map(
      (k) =>
        runVector(
          acd(columnRef(0, LONGLONG)),
          [LONGLONG],
          [col],
          new Uint32Array(values.keys()).filter((i) => i % 3 === k),
        ).result[0] as Uint8Array,
    );
    expect(mergeApproxCountDistinct(parts)).toEqual(whole);
    expect(Math.abs(approxCountDistinctOf(parts) - 3001) / 3001).toBeLessThan(0.03);
  });

  it("accepts a BIGINT or string result type, any DISTINCT flag; rejects other types and ORDER BY", () => {
    const arg = columnRef(0, LONGLONG);
    parse(aggr(E.ApproxCountDistinct, ft(FieldTypeTp.String), arg), [LONGLONG]);
    expect(catchError(() => parse(aggr(E.ApproxCountDistinct, DOUBLE, arg), [LONGLONG]))).toMatchObject({
      name: "ExprError",
    });
    expect(() => parse(aggr(E.ApproxCountDistinct, COUNT_OUT), [LONGLONG])).toThrow(
      /ApproxCountDistinct: Expect at least 1 parameter, but got 0/,
    );
    const distinct = { ...acd(arg), hasDistinct: true };
    parse(distinct, [LONGLONG]); // DISTINCT changes nothing
    const ordered = { ...acd(arg), orderBy: [{ expr: arg, desc: false }] };
    expect(() => parse(ordered, [LONGLONG])).toThrow(/ORDER BY is only allowed in GroupConcat/);
  });
});
