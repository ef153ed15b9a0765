// Cases: TiKV components/tidb_query_executors/src/top_n_executor.rs and
// partition_top_n_executor.rs (tests modules), plus property tests against sort + slice.
import {
  ChunkedVecBytes,
  ChunkedVecInt,
  ChunkedVecReal,
  Collation,
  emptyColumn,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
} from "@copr/datatype";
import { columnRef, constInt, LONGLONG, scalarFunc } from "@copr/expr";
import { tipb } from "@copr/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BatchExecuteResult, Drain } from "../src/interface.js";
import { BatchPartitionTopNExecutor } from "../src/partition-top-n.js";
import { BatchTopNExecutor } from "../src/top-n.js";
import { type MockBatch, MockExecutor } from "./mock-executor.js";

const S = tipb.ScalarFuncSig;
const INT = LONGLONG;
const REAL = fieldType(FieldTypeTp.Double);
const U64 = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned });
const U32 = fieldType(FieldTypeTp.Long, { flag: FieldTypeFlag.Unsigned });
const varchar = (collate: Collation) => fieldType(FieldTypeTp.VarChar, { collate });
const GENERAL_CI = varchar(Collation.Utf8Mb4GeneralCi);
const UTF8_BIN = varchar(Collation.Utf8Mb4Bin);
const BINARY = varchar(Collation.Binary);

const ints = (...v: (number | bigint | null)[]) => ChunkedVecInt.fromValues(v);
const uints = (...v: (number | bigint | null)[]) => ChunkedVecInt.fromValues(v, { unsigned: true });
const reals = (...v: (number | null)[]) => ChunkedVecReal.fromValues(v);
const strs = (...v: (string | null)[]) => ChunkedVecBytes.fromValues(v);
const rows = (...r: number[]) => new Uint32Array(r);
const empty = (schema: readonly FieldType[]): MockBatch => ({
  columns: schema.map(emptyColumn),
  logicalRows: rows(),
});
const by = (expr: tipb.Expr.$Properties, desc = false): tipb.ByItem.$Properties => ({ expr, desc });
const col = (i: number, ft: FieldType = INT) => columnRef(i, ft);

function plain(v: unknown): unknown {
  return v instanceof Uint8Array ? new TextDecoder().decode(v) : v;
}
/** The values of column `c` at the logical rows. */
function logical(r: BatchExecuteResult, c: number): unknown[] {
  const column = r.columns[c]!;
  const lr = r.logicalRows;
  const n = lr === null ? column.length : lr.length;
  return Array.from({ length: n }, (_, k) => plain(column.get(lr === null ? k : lr[k]!)));
}
const count = (r: BatchExecuteResult) =>
  r.logicalRows === null ? (r.columns[0]?.length ?? 0) : r.logicalRows.length;

/** Calls until drained; every call but the last must be an empty Remain batch. */
function runToEnd(exec: { nextBatch(n: number): BatchExecuteResult }, calls: number): BatchExecuteResult {
  for (let i = 1; i < calls; i++) {
    const r = exec.nextBatch(1);
    expect(count(r)).toBe(0);
    expect(r.isDrained).toBe(Drain.Remain);
  }
  const last = exec.nextBatch(1);
  expect(last.isDrained).toBe(Drain.Drain);
  return last;
}

/** TiKV `make_src_executor` (top_n_executor.rs). */
function makeSrc(): MockExecutor {
  const schema = [INT, INT, REAL];
  return new MockExecutor(schema, [
    {
      columns: [ints(null, null, 5, null), ints(null, 1, null, -1), reals(2, 4, null, -1)],
      logicalRows: rows(3, 0, 1),
    },
    { columns: [ints(0), ints(10), reals(10)], logicalRows: rows() },
    {
      columns: [
        ints(-10, -1, -10, null, -10, null),
        ints(null, null, 10, -9, -10, null),
        reals(-5, null, 3, null, 0, 9.9),
      ],
      logicalRows: rows(1, 2, 0, 4),
    },
  ]);
}

/** TiKV `make_bytes_src_executor`. */
function makeBytesSrc(): MockExecutor {
  const schema = [GENERAL_CI, UTF8_BIN, BINARY];
  return new MockExecutor(schema, [
    {
      columns: [strs("aa", null, "aa"), strs("aa", null, "aaa"), strs(null, "Aa", "áaA")],
      logicalRows: rows(2, 1, 0),
    },
    empty(schema),
    {
      columns: [strs("áaA", "áa", "Aa", "aaa"), strs("áa", "áaA", null, "Aa"), strs(null, "aa", "aaa", "áa")],
      logicalRows: rows(0, 1, 2, 3),
    },
  ]);
}

const U64_MAX = (1n << 64n) - 1n;
/** TiKV `make_src_executor_unsigned`. */
function makeUnsignedSrc(): MockExecutor {
  const schema = [U64, INT, U32];
  return new MockExecutor(schema, [
    {
      columns: [
        uints(U64_MAX - 2n, null, U64_MAX),
        ints(-1, null, -3),
        uints(4_294_967_295, null, 4_294_967_295),
      ],
      logicalRows: rows(2, 1, 0),
    },
    empty(schema),
    {
      columns: [
        uints(300, (1n << 63n) - 1n, 2000, 1n << 63n),
        ints(300, (1n << 63n) - 1n, 2000, -(1n << 63n)),
        uints(300, 2_147_483_647, 2000, 2_147_483_648),
      ],
      logicalRows: rows(2, 1, 0, 3),
    },
  ]);
}

describe("BatchTopNExecutor", () => {
  it("returns nothing, drained, for n = 0 (test_top_0)", () => {
    const src = new MockExecutor([REAL], [{ columns: [reals(null, 7, null, null)], logicalRows: rows(0) }]);
    const exec = new BatchTopNExecutor(src, [by(constInt(1))], 0);
    const r = exec.nextBatch(1);
    expect(count(r)).toBe(0);
    expect(r.isDrained).toBe(Drain.Drain);
    expect(src.calls).toEqual([]);
  });

  it("handles an input without rows (test_no_row)", () => {
    const src = new MockExecutor([INT], [{ columns: [ints(5)], logicalRows: rows() }, empty([INT])]);
    const r = runToEnd(new BatchTopNExecutor(src, [by(col(0))], 10), 2);
    expect(count(r)).toBe(0);
  });

  it("asks the child for full batches", () => {
    const src = makeSrc();
    runToEnd(new BatchTopNExecutor(src, [by(col(2, REAL))], 100), 3);
    expect(src.calls).toEqual([1024, 1024, 1024]);
  });

  it("orders by one column, fewer rows than n (test_integration_1)", () => {
    const r = runToEnd(new BatchTopNExecutor(makeSrc(), [by(col(2, REAL))], 100), 3);
    expect(r.columns.length).toBe(3);
    expect(logical(r, 0)).toEqual([-1n, -10n, null, -10n, null, -10n, null]);
    expect(logical(r, 1)).toEqual([null, null, -1n, -10n, null, 10n, 1n]);
    expect(logical(r, 2)).toEqual([null, -5, -1, 0, 2, 3, 4]);
  });

  it("orders by col0 desc, col1, as many rows as n (test_integration_2)", () => {
    const r = runToEnd(new BatchTopNExecutor(makeSrc(), [by(col(0), true), by(col(1))], 7), 3);
    expect(logical(r, 0)).toEqual([-1n, -10n, -10n, -10n, null, null, null]);
    expect(logical(r, 1)).toEqual([null, null, -10n, 10n, null, -1n, 1n]);
    expect(logical(r, 2)).toEqual([null, -5, 0, 3, 2, -1, 4]);
  });

  it("orders by isnull(col0), col0, col1 + 1 desc, more rows than n (test_integration_3)", () => {
    const order = [
      by(scalarFunc(S.IntIsNull, INT, col(0))),
      by(col(0)),
      by(scalarFunc(S.PlusInt, INT, col(1), constInt(1)), true),
    ];
    const r = runToEnd(new BatchTopNExecutor(makeSrc(), order, 5), 3);
    expect(logical(r, 0)).toEqual([-10n, -10n, -10n, -1n, null]);
    expect(logical(r, 1)).toEqual([10n, -10n, null, null, 1n]);
    expect(logical(r, 2)).toEqual([3, 0, -5, null, 4]);
  });

  it("orders strings by collation: col1 desc, col3 desc, col2 (test_bytes_1)", () => {
    const order = [by(col(0, GENERAL_CI), true), by(col(2, BINARY), true), by(col(1, UTF8_BIN))];
    const r = runToEnd(new BatchTopNExecutor(makeBytesSrc(), order, 5), 3);
    expect(logical(r, 0)).toEqual(["aaa", "áaA", "aa", "Aa", "áa"]);
    expect(logical(r, 1)).toEqual(["Aa", "áa", "aaa", null, "áaA"]);
    expect(logical(r, 2)).toEqual(["áa", null, "áaA", "aaa", "aa"]);
  });

  it("orders strings by collation: col1, col2, col3 (test_bytes_2)", () => {
    const order = [by(col(0, GENERAL_CI)), by(col(1, UTF8_BIN)), by(col(2, BINARY))];
    const r = runToEnd(new BatchTopNExecutor(makeBytesSrc(), order, 5), 3);
    expect(logical(r, 0)).toEqual([null, "Aa", "aa", "aa", "áa"]);
    expect(logical(r, 1)).toEqual([null, null, "aa", "aaa", "áaA"]);
    expect(logical(r, 2)).toEqual(["Aa", "aaa", null, "áaA", "aa"]);
  });

  it("takes a column's collation from the child's schema: PAD SPACE utf8mb4_bin vs binary", () => {
    const src = (ft: FieldType) =>
      new MockExecutor(
        [ft, INT],
        [{ columns: [strs("a ", "a", "A", "b"), ints(0, 1, 2, 3)], logicalRows: null }],
      );
    // utf8mb4_bin ignores trailing spaces: "a " = "a", so col1 desc breaks the tie.
    const r1 = runToEnd(new BatchTopNExecutor(src(UTF8_BIN), [by(col(0, UTF8_BIN)), by(col(1), true)], 4), 1);
    expect(logical(r1, 1)).toEqual([2n, 1n, 0n, 3n]);
    // binary: "A" < "a" < "a " < "b".
    const r2 = runToEnd(new BatchTopNExecutor(src(BINARY), [by(col(0, BINARY)), by(col(1), true)], 4), 1);
    expect(logical(r2, 0)).toEqual(["A", "a", "a ", "b"]);
    const r3 = runToEnd(new BatchTopNExecutor(src(BINARY), [by(col(0, BINARY), true)], 3), 1);
    expect(logical(r3, 0)).toEqual(["b", "a ", "a"]);
  });

  const unsignedCases: [number, boolean, (bigint | null)[]][] = [
    [0, false, [null, 300n, 2000n, (1n << 63n) - 1n, 1n << 63n]],
    [0, true, [U64_MAX, U64_MAX - 2n, 1n << 63n, (1n << 63n) - 1n, 2000n]],
    [1, false, [null, -(1n << 63n), -3n, -1n, 300n]],
    [1, true, [(1n << 63n) - 1n, 2000n, 300n, -1n, -3n]],
    [2, false, [null, 300n, 2000n, 2_147_483_647n, 2_147_483_648n]],
    [2, true, [4_294_967_295n, 4_294_967_295n, 2_147_483_648n, 2_147_483_647n, 2000n]],
  ];

  it.each(unsignedCases)(
    "orders column %i (desc %s) by its signedness (test_top_unsigned)",
    (c, desc, want) => {
      const schema = [U64, INT, U32];
      const r = runToEnd(new BatchTopNExecutor(makeUnsignedSrc(), [by(col(c, schema[c]), desc)], 5), 3);
      expect(logical(r, c)).toEqual(want);
    },
  );

  it.each(unsignedCases)(
    "with paging size 6 >= n, column %i (desc %s) as without (test_top_paging)",
    (c, desc, want) => {
      const schema = [U64, INT, U32];
      const exec = new BatchTopNExecutor(makeUnsignedSrc(), [by(col(c, schema[c]), desc)], 5, undefined, {
        pagingSize: 6,
      });
      expect(logical(runToEnd(exec, 3), c)).toEqual(want);
    },
  );

  it.each([
    ["unsigned", makeUnsignedSrc],
    ["mixed", makeSrc],
    ["bytes", makeBytesSrc],
  ])("with paging size 4 < n, passes %s batches through (test_top_paging)", (_name, make) => {
    const exec = new BatchTopNExecutor(make(), [by(col(0, make().schema()[0]))], 5, undefined, {
      pagingSize: 4,
    });
    const plainSrc = make();
    for (;;) {
      const a = exec.nextBatch(1);
      const b = plainSrc.nextBatch(1);
      expect(a.logicalRows).toEqual(b.logicalRows);
      expect(a.columns.map((c) => c.length)).toEqual(b.columns.map((c) => c.length));
      expect(a.isDrained).toBe(b.isDrained);
      if (a.isDrained !== Drain.Remain) break;
    }
  });

  it("keeps the earliest rows among ties and emits them as TiKV's BinaryHeap does", () => {
    // All keys equal: the first n rows stay; Rust's into_sorted_vec puts the root (the first row
    // pushed) last, as TiKV's partition test_constant_partition shows for n = 2.
    const src = new MockExecutor(
      [REAL, REAL],
      [{ columns: [reals(1, 2, 3, 4), reals(5, 6, 7, 8)], logicalRows: null }],
    );
    const r = runToEnd(new BatchTopNExecutor(src, [by(constInt(1))], 2), 1);
    expect(logical(r, 0)).toEqual([2, 1]);
  });

  it("rejects an empty ORDER BY", () => {
    expect(() => new BatchTopNExecutor(makeSrc(), [], 1)).toThrow("Missing Top N column");
  });

  it("holds about 2n rows of copies, whatever the input size", () => {
    const batches: MockBatch[] = [];
    for (let b = 0; b < 200; b++) {
      // Descending input: every batch displaces the whole heap.
      const values = Array.from({ length: 64 }, (_, i) => 1_000_000 - (b * 64 + i));
      batches.push({ columns: [ints(...values)], logicalRows: null });
    }
    const exec = new BatchTopNExecutor(new MockExecutor([INT], batches), [by(col(0))], 10);
    let maxHeld = 0;
    let r: BatchExecuteResult;
    do {
      r = exec.nextBatch(1);
      maxHeld = Math.max(maxHeld, (exec as unknown as { heap: { heldRows: number } }).heap.heldRows);
    } while (r.isDrained === Drain.Remain);
    expect(maxHeld).toBeLessThanOrEqual(30);
    expect(logical(r, 0)).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(1_000_000 - 12_799 + i)));
  });

  it("matches sort + slice over random batches, NULLs, ties and logical rows (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(
            fc.tuple(
              fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
              fc.constantFrom("a", "A", "b", "B ", "á"),
            ),
            {
              maxLength: 12,
            },
          ),
          { minLength: 1, maxLength: 6 },
        ),
        fc.nat({ max: 20 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (batchRows, n, desc0, desc1, reverse) => {
          let id = 0;
          const all: { id: number; k: number | null; s: string }[] = [];
          const batches: MockBatch[] = batchRows.map((bs) => {
            const phys = bs.map(([k, s]) => ({ id: id++, k, s }));
            const order = phys.map((_, i) => i).filter((i) => i % 4 !== 3);
            if (reverse) order.reverse();
            for (const i of order) all.push(phys[i]!);
            return {
              columns: [
                ints(...phys.map((p) => p.id)),
                ints(...phys.map((p) => p.k)),
                strs(...phys.map((p) => p.s)),
              ],
              logicalRows: rows(...order),
            };
          });
          const exec = new BatchTopNExecutor(
            new MockExecutor([INT, INT, GENERAL_CI], batches),
            [by(col(1), desc0), by(col(2, GENERAL_CI), desc1)],
            n,
          );
          const r = n === 0 ? exec.nextBatch(1) : runToEnd(exec, batches.length);
          // general_ci: case-insensitive, accent-insensitive, trailing spaces ignored.
          const ciKey = (s: string) => ({ a: 0, A: 0, á: 0, b: 1, "B ": 1 })[s]!;
          const cmp = (x: (typeof all)[0], y: (typeof all)[0]) => {
            const a = x.k === null ? -Infinity : x.k;
            const b = y.k === null ? -Infinity : y.k;
            if (a !== b) return (a < b ? -1 : 1) * (desc0 ? -1 : 1);
            return (ciKey(x.s) - ciKey(y.s)) * (desc1 ? -1 : 1);
          };
          const want = [...all].sort(cmp).slice(0, n);
          const ids = logical(r, 0) as bigint[];
          const got = ids.map((i) => all.find((p) => BigInt(p.id) === i)!);
          // Same keys in the same order; the rows are distinct input rows (which of several tied
          // rows at the cut is kept is TiKV's heap's choice).
          expect(got.map((p) => [p.k, ciKey(p.s)])).toEqual(want.map((p) => [p.k, ciKey(p.s)]));
          expect(new Set(ids).size).toBe(ids.length);
          expect(logical(r, 1)).toEqual(got.map((p) => (p.k === null ? null : BigInt(p.k))));
        },
      ),
    );
  });
});

describe("BatchPartitionTopNExecutor", () => {
  it("returns nothing for n = 0 (test_top_0)", () => {
    const src = new MockExecutor(
      [REAL, REAL],
      [{ columns: [reals(null, 7), reals(null, 7)], logicalRows: rows(0) }],
    );
    const exec = new BatchPartitionTopNExecutor(src, [by(col(1, REAL))], [by(col(0, REAL))], 0);
    const r = exec.nextBatch(1);
    expect(count(r)).toBe(0);
    expect(r.isDrained).toBe(Drain.Drain);
  });

  it("a constant partition is one partition (test_constant_partition)", () => {
    const src = new MockExecutor(
      [REAL, REAL],
      [{ columns: [reals(1, 2, 3, 4), reals(5, 6, 7, 8)], logicalRows: null }],
    );
    const exec = new BatchPartitionTopNExecutor(src, [by(constInt(1))], [by(constInt(1))], 2);
    const r = exec.nextBatch(1);
    expect(logical(r, 0)).toEqual([2, 1]);
    expect(logical(r, 1)).toEqual([6, 5]);
    expect(r.isDrained).toBe(Drain.Drain);
  });

  it("partitions by several keys, NULL equal to NULL (test_multiple_and_null_part_key)", () => {
    const src = new MockExecutor(
      [fieldType(FieldTypeTp.Long), fieldType(FieldTypeTp.Long)],
      [
        {
          columns: [ints(1, 1, 1, null, null, null, 2, 2, 2), ints(1, 1, null, null, null, 2, 1, 1, null)],
          logicalRows: null,
        },
      ],
    );
    const exec = new BatchPartitionTopNExecutor(src, [by(col(0)), by(col(1))], [], 1);
    const r = exec.nextBatch(1);
    expect(logical(r, 0)).toEqual([1n, 1n, null, null, 2n, 2n]);
    expect(logical(r, 1)).toEqual([1n, null, null, 2n, 1n, null]);
  });

  it("splits a partition that is not contiguous (test_unordered_key)", () => {
    const src = new MockExecutor(
      [fieldType(FieldTypeTp.Long), REAL],
      [{ columns: [ints(1, 1, 2, 1), reals(5, null, 7, 4)], logicalRows: null }],
    );
    const exec = new BatchPartitionTopNExecutor(src, [by(col(0))], [by(col(1, REAL))], 1);
    const r = exec.nextBatch(1);
    expect(logical(r, 0)).toEqual([1n, 2n, 1n]);
    expect(logical(r, 1)).toEqual([null, 7, 4]);
  });

  it("emits partitions as they end, across batches", () => {
    const src = new MockExecutor(
      [INT, INT],
      [
        { columns: [ints(1, 1, 2, 2), ints(9, 8, 7, 6)], logicalRows: null },
        { columns: [ints(2, 3), ints(1, 5)], logicalRows: null },
        { columns: [ints(3), ints(4)], logicalRows: null },
      ],
    );
    const exec = new BatchPartitionTopNExecutor(src, [by(col(0))], [by(col(1))], 2);
    let r = exec.nextBatch(1);
    expect([logical(r, 0), logical(r, 1), r.isDrained]).toEqual([[1n, 1n], [8n, 9n], Drain.Remain]);
    r = exec.nextBatch(1);
    expect([logical(r, 0), logical(r, 1), r.isDrained]).toEqual([[2n, 2n], [1n, 6n], Drain.Remain]);
    r = exec.nextBatch(1);
    expect([logical(r, 0), logical(r, 1), r.isDrained]).toEqual([[3n, 3n], [4n, 5n], Drain.Drain]);
  });

  it("compares partition keys by collation", () => {
    const src = new MockExecutor(
      [GENERAL_CI, INT],
      [{ columns: [strs("a", "A", "á", "b", "B"), ints(3, 1, 2, 5, 4)], logicalRows: null }],
    );
    const exec = new BatchPartitionTopNExecutor(src, [by(col(0, GENERAL_CI))], [by(col(1))], 1);
    expect(logical(exec.nextBatch(1), 1)).toEqual([1n, 4n]);
  });

  it("passes batches through when 2n exceeds the paging size (test_paging_limit_oversize_n)", () => {
    const src = makeSrc();
    const exec = new BatchPartitionTopNExecutor(src, [by(col(0))], [by(col(1))], 3, undefined, {
      pagingSize: 5,
    });
    const r = exec.nextBatch(7);
    expect(r.logicalRows).toEqual(rows(3, 0, 1));
    expect(src.calls).toEqual([7]);
  });

  it("matches per-run sort + slice (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: -3, max: 3 })), {
            maxLength: 10,
          }),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        fc.integer({ min: 1, max: 4 }),
        (batchRows, n) => {
          // Partition keys sorted, so every partition is one run.
          const flat = batchRows.flat();
          const sortedParts = flat.map(([p]) => p).sort((a, b) => a - b);
          let id = 0;
          let at = 0;
          const all: { id: number; p: number; k: number }[] = [];
          const batches: MockBatch[] = batchRows.map((bs) => {
            const phys = bs.map(([, k]) => ({ id: id++, p: sortedParts[at++]!, k }));
            all.push(...phys);
            return {
              columns: [
                ints(...phys.map((x) => x.id)),
                ints(...phys.map((x) => x.p)),
                ints(...phys.map((x) => x.k)),
              ],
              logicalRows: null,
            };
          });
          const exec = new BatchPartitionTopNExecutor(
            new MockExecutor([INT, INT, INT], batches),
            [by(col(1))],
            [by(col(2))],
            n,
          );
          const got: [bigint, bigint][] = [];
          for (;;) {
            const r = exec.nextBatch(1);
            const ps = logical(r, 1) as bigint[];
            const ks = logical(r, 2) as bigint[];
            for (const [i, p] of ps.entries()) got.push([p, ks[i]!]);
            if (r.isDrained !== Drain.Remain) break;
          }
          const want: [bigint, bigint][] = [];
          for (const p of [...new Set(all.map((x) => x.p))]) {
            const ks = all
              .filter((x) => x.p === p)
              .map((x) => x.k)
              .sort((a, b) => a - b)
              .slice(0, n);
            for (const k of ks) want.push([BigInt(p), BigInt(k)]);
          }
          expect(got).toEqual(want);
        },
      ),
    );
  });
});
