import { describe, expect, it } from "vitest";
import {
  BATCH_MAX_SIZE,
  batchRowCount,
  ChunkedVecBytes,
  ChunkedVecInt,
  filterLogicalRows,
  type LogicalRows,
  logicalRowAt,
  logicalRowCount,
  makeBatch,
  materializeLogicalRows,
  selectLogicalRows,
} from "../../src/column/index.js";
import { EvalError, EvalWarnings } from "../../src/index.js";

const rows = (...xs: number[]): Uint32Array => Uint32Array.from(xs);
const list = (r: LogicalRows, n: number): number[] => Array.from(materializeLogicalRows(r, n));

describe("logical rows", () => {
  it("BATCH_MAX_SIZE is TiKV's 1024", () => {
    expect(BATCH_MAX_SIZE).toBe(1024);
  });

  // [name, logical rows, physical length, count, physical row of each logical row]
  it.each([
    ["identity of 0", null, 0, []],
    ["identity of 3", null, 3, [0, 1, 2]],
    ["subset", rows(2, 0), 3, [2, 0]],
    ["repeats", rows(1, 1, 1), 2, [1, 1, 1]],
    ["empty array over rows", rows(), 5, []],
  ] as const)("%s", (_name, r, n, expected) => {
    expect(logicalRowCount(r, n)).toBe(expected.length);
    expect(expected.map((_, k) => logicalRowAt(r, k))).toEqual(expected);
    expect(list(r, n)).toEqual(expected);
  });

  it("materialising an array returns it unchanged", () => {
    const r = rows(3, 1);
    expect(materializeLogicalRows(r, 9)).toBe(r);
  });

  // [name, input rows, physical length, physical rows kept, expected result (null = identity)]
  it.each([
    ["identity, all kept", null, 4, [0, 1, 2, 3], null],
    ["identity, none kept", null, 4, [], []],
    ["identity, first dropped", null, 4, [1, 2, 3], [1, 2, 3]],
    ["identity, last dropped", null, 4, [0, 1, 2], [0, 1, 2]],
    ["identity, middle dropped", null, 5, [0, 1, 3, 4], [0, 1, 3, 4]],
    ["array keeps its order", rows(4, 1, 3, 0), 5, [4, 3, 0], [4, 3, 0]],
    ["array with repeats", rows(2, 2, 1), 3, [2], [2, 2]],
    ["empty identity", null, 0, [], null],
  ] as const)("filterLogicalRows: %s", (_name, input, n, kept, expected) => {
    const keep = new Set<number>(kept);
    const got = filterLogicalRows(input, n, (row) => keep.has(row));
    if (expected === null) expect(got).toBeNull();
    else expect(Array.from(got as Uint32Array)).toEqual(expected);
  });

  it("filterLogicalRows returns an array unchanged when all rows are kept", () => {
    const r = rows(5, 0, 2);
    expect(filterLogicalRows(r, 6, () => true)).toBe(r);
  });

  it("filterLogicalRows passes the logical index with the physical row", () => {
    const seen: [number, number][] = [];
    filterLogicalRows(rows(7, 3), 8, (row, k) => {
      seen.push([row, k]);
      return true;
    });
    expect(seen).toEqual([
      [7, 0],
      [3, 1],
    ]);
  });

  it("selectLogicalRows reads one byte per logical row", () => {
    expect(
      Array.from(selectLogicalRows(rows(9, 8, 7), 10, new Uint8Array([0, 2, 1])) as Uint32Array),
    ).toEqual([8, 7]);
    expect(selectLogicalRows(null, 3, new Uint8Array([1, 1, 1]))).toBeNull();
    expect(() => selectLogicalRows(null, 3, new Uint8Array(2))).toThrow(/internal assertion/);
  });

  it("filters a full batch of 1024 rows down to the NULL-free ones", () => {
    const values = Array.from({ length: BATCH_MAX_SIZE }, (_, i) => (i % 3 === 0 ? null : i));
    const col = ChunkedVecInt.fromValues(values);
    const live = filterLogicalRows(null, col.length, (row) => !col.isNull(row)) as Uint32Array;
    expect(live.length).toBe(682);
    expect(Array.from(live).every((r) => r % 3 !== 0)).toBe(true);
    expect(live[0]).toBe(1);
    expect(live[681]).toBe(1022); // 1023 = 3 × 341 is NULL
  });
});

describe("batches", () => {
  it("takes its physical length from the columns and defaults to all rows", () => {
    const b = makeBatch([
      ChunkedVecInt.fromValues([1, null, 3]),
      ChunkedVecBytes.fromValues(["a", "", null]),
    ]);
    expect(b.physicalLength).toBe(3);
    expect(b.logicalRows).toBeNull();
    expect(batchRowCount(b)).toBe(3);
    expect(b.warnings.count).toBe(0);
    expect(b.warnings.max).toBe(64);
  });

  it("a batch without columns keeps its size", () => {
    const b = makeBatch([], { physicalLength: 5, logicalRows: rows(0, 4) });
    expect(b.physicalLength).toBe(5);
    expect(batchRowCount(b)).toBe(2);
  });

  it("keeps the warnings it is given", () => {
    const w = new EvalWarnings(2);
    w.add(EvalError.truncated());
    const b = makeBatch([ChunkedVecInt.fromValues([1])], { warnings: w });
    expect(b.warnings.list).toEqual([{ code: 1265, message: "Data Truncated" }]);
  });

  it.each([
    [
      "columns of different lengths",
      () => makeBatch([ChunkedVecInt.fromValues([1]), ChunkedVecInt.fromValues([])]),
    ],
    [
      "a column longer than physicalLength",
      () => makeBatch([ChunkedVecInt.fromValues([1])], { physicalLength: 0 }),
    ],
    [
      "a logical row past the rows",
      () => makeBatch([ChunkedVecInt.fromValues([1, 2])], { logicalRows: rows(2) }),
    ],
  ])("rejects %s as an internal bug", (_name, make) => {
    expect(make).toThrow(/internal assertion/);
  });
});
