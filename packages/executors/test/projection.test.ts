// Cases: TiKV components/tidb_query_executors/src/projection_executor.rs (tests module), plus the
// column gather every executor of this package uses.
import {
  ChunkedVecBytes,
  ChunkedVecDateTime,
  ChunkedVecDecimal,
  ChunkedVecDuration,
  ChunkedVecEnum,
  ChunkedVecInt,
  ChunkedVecJson,
  ChunkedVecReal,
  ChunkedVecSet,
  ChunkedVecVectorFloat32,
  type Column,
  Decimal,
  Duration,
  ERR_UNKNOWN,
  EvalContext,
  EvalError,
  emptyColumn,
  type FieldType,
  FieldTypeTp,
  fieldType,
  MySqlSet,
  Time,
} from "@copr/datatype";
import { columnRef, constBytes, constInt, constNull, LONGLONG, type RpnFnMeta, scalarFunc } from "@copr/expr";
import { tipb } from "@copr/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BatchExecuteResult, Drain } from "../src/interface.js";
import { BatchProjectionExecutor, gatherColumn } from "../src/projection.js";
import { type MockBatch, MockExecutor } from "./mock-executor.js";

const S = tipb.ScalarFuncSig;
const INT = LONGLONG;
const REAL = fieldType(FieldTypeTp.Double);
const VARCHAR = fieldType(FieldTypeTp.VarString);

const IS_EVEN = 900_101;
const FOO_ERR_ON_NULL = 900_102;
function testFn(sig: number, fn: (v: bigint | null) => bigint | null): RpnFnMeta {
  return {
    name: `test${sig}`,
    sig,
    args: ["Int"],
    ret: "Int",
    nonnull: false,
    ctx: false,
    metadata: undefined,
    validator: undefined,
    fn: fn as (...a: unknown[]) => unknown,
    vector: undefined,
  };
}
const fns = new Map<number, RpnFnMeta>([
  // TiKV projection test `is_even`: NULL for NULL, 1 when even, else 0.
  [IS_EVEN, testFn(IS_EVEN, (v) => (v === null ? null : v % 2n === 0n ? 1n : 0n))],
  [
    FOO_ERR_ON_NULL,
    testFn(FOO_ERR_ON_NULL, (v) => {
      if (v === null) throw new EvalError("foo", ERR_UNKNOWN);
      return v;
    }),
  ],
]);
const options = { lookup: (sig: number) => fns.get(sig) };

const ints = (...v: (number | bigint | null)[]) => ChunkedVecInt.fromValues(v);
const reals = (...v: (number | null)[]) => ChunkedVecReal.fromValues(v);
const rows = (...r: number[]) => new Uint32Array(r);
const empty = (schema: readonly FieldType[]): MockBatch => ({
  columns: schema.map(emptyColumn),
  logicalRows: rows(),
});

/** The values of column `c` at the logical rows (bytes as strings). */
function logical(r: BatchExecuteResult, c: number): unknown[] {
  const col = r.columns[c]!;
  const lr = r.logicalRows;
  const n = lr === null ? col.length : lr.length;
  return Array.from({ length: n }, (_, k) => plain(col.get(lr === null ? k : lr[k]!)));
}
function plain(v: unknown): unknown {
  return v instanceof Uint8Array ? new TextDecoder().decode(v) : v;
}
const physical = (c: Column) => Array.from({ length: c.length }, (_, i) => plain(c.get(i)));

/** TiKV `make_src_executor_using_fixture_1`. */
function fixture1(): MockExecutor {
  return new MockExecutor(
    [INT, REAL],
    [
      { columns: [ints(null, null, 1, null, 5), reals(7, -5, null, null, null)], logicalRows: rows(2, 0) },
      { columns: [ints(null), reals(null)], logicalRows: rows() },
      { columns: [ints(1, null), reals(null, null)], logicalRows: rows(1) },
    ],
  );
}

/** TiKV `make_src_executor_using_fixture_2`. */
function fixture2(): MockExecutor {
  const schema = [INT, INT, INT];
  return new MockExecutor(schema, [
    {
      columns: [ints(2, 1, null, 4, null), ints(4, null, 2, null, null), ints(3, -1, 4, 1, 2)],
      logicalRows: rows(3, 4, 0, 2),
    },
    empty(schema),
    { columns: [ints(null, 1), ints(null, -1), ints(2, 42)], logicalRows: rows(0) },
  ]);
}

describe("BatchProjectionExecutor", () => {
  it("does not evaluate batches without rows (test_empty_rows)", () => {
    const schema = [INT, REAL];
    const src = new MockExecutor(schema, [
      empty(schema),
      { columns: [ints(null), reals(null)], logicalRows: rows() },
      empty(schema),
    ]);
    const exec = new BatchProjectionExecutor(
      src,
      [scalarFunc(FOO_ERR_ON_NULL, INT, columnRef(0, INT))],
      undefined,
      options,
    );
    for (const drained of [Drain.Remain, Drain.Remain, Drain.Drain]) {
      const r = exec.nextBatch(1);
      expect(r.logicalRows).toEqual(rows());
      expect(r.columns.length).toBe(1);
      expect(r.isDrained).toBe(drained);
    }
  });

  it("expands a constant to the logical rows (test_constant_projection)", () => {
    const exec = new BatchProjectionExecutor(fixture1(), [constInt(1)]);
    expect(exec.schema()).toHaveLength(1);
    let r = exec.nextBatch(1);
    expect(r.logicalRows).toBeNull();
    expect(physical(r.columns[0]!)).toEqual([1n, 1n]);
    expect(r.isDrained).toBe(Drain.Remain);
    r = exec.nextBatch(1);
    expect(logical(r, 0)).toEqual([]);
    r = exec.nextBatch(1);
    expect(physical(r.columns[0]!)).toEqual([1n]);
    expect(r.isDrained).toBe(Drain.Drain);
  });

  it("passes column references through without copying (test_full_projection)", () => {
    const src = fixture1();
    const exec = new BatchProjectionExecutor(src, [columnRef(0, INT), columnRef(1, REAL)]);
    expect(exec.schema()).toEqual([INT, REAL]);
    const r = exec.nextBatch(1);
    expect(r.logicalRows).toEqual(rows(2, 0));
    expect(physical(r.columns[0]!)).toEqual([null, null, 1n, null, 5n]);
    expect(physical(r.columns[1]!)).toEqual([7, -5, null, null, null]);
    exec.nextBatch(1);
    const last = exec.nextBatch(1);
    expect(last.logicalRows).toEqual(rows(1));
    expect(physical(last.columns[0]!)).toEqual([1n, null]);
    expect(last.isDrained).toBe(Drain.Drain);
  });

  it("reorders and repeats column references", () => {
    const exec = new BatchProjectionExecutor(fixture1(), [
      columnRef(1, REAL),
      columnRef(0, INT),
      columnRef(1, REAL),
    ]);
    const r = exec.nextBatch(1);
    expect(exec.schema()).toEqual([REAL, INT, REAL]);
    expect([logical(r, 0), logical(r, 1), logical(r, 2)]).toEqual([
      [null, 7],
      [1n, null],
      [null, 7],
    ]);
  });

  it("evaluates functions over the logical rows (test_simple_projection)", () => {
    const isEven = (o: number) => scalarFunc(IS_EVEN, INT, columnRef(o, INT));
    const exec = new BatchProjectionExecutor(
      fixture2(),
      [isEven(0), isEven(2), constInt(-100)],
      undefined,
      options,
    );
    let r = exec.nextBatch(1);
    expect(r.logicalRows).toBeNull();
    expect(r.columns.map(physical)).toEqual([
      [1n, null, 1n, null],
      [0n, 1n, 0n, 1n],
      [-100n, -100n, -100n, -100n],
    ]);
    r = exec.nextBatch(1);
    expect(logical(r, 0)).toEqual([]);
    expect(r.isDrained).toBe(Drain.Remain);
    r = exec.nextBatch(1);
    expect(r.columns.map(physical)).toEqual([[null], [1n], [-100n]]);
    expect(r.isDrained).toBe(Drain.Drain);
  });

  it("aligns a column reference among computed columns with the logical rows", () => {
    const exprs = [
      columnRef(2, INT),
      scalarFunc(S.PlusInt, INT, columnRef(0, INT), columnRef(2, INT)),
      constBytes("x", VARCHAR),
      constNull(INT),
    ];
    const exec = new BatchProjectionExecutor(fixture2(), exprs);
    const r = exec.nextBatch(1);
    expect(r.logicalRows).toBeNull();
    // Logical rows 3, 4, 0, 2: col0 = 4, NULL, 2, NULL; col2 = 1, 2, 3, 4.
    expect(r.columns.map(physical)).toEqual([
      [1n, 2n, 3n, 4n],
      [5n, null, 5n, null],
      ["x", "x", "x", "x"],
      [null, null, null, null],
    ]);
    expect(exec.schema()[2]).toMatchObject({ tp: FieldTypeTp.VarString });
  });

  it("an evaluation error is thrown (test_projection_error)", () => {
    const src = new MockExecutor(
      [INT, INT],
      [
        { columns: [ints(1, 4, null, 1, 2), ints(null, 4, null, 2, null)], logicalRows: rows(1, 3, 4, 0) },
        { columns: [ints(-5), ints(5)], logicalRows: rows() },
      ],
    );
    const foo = (o: number) => scalarFunc(FOO_ERR_ON_NULL, INT, columnRef(o, INT));
    const exec = new BatchProjectionExecutor(src, [foo(0), foo(1)], undefined, options);
    expect(() => exec.nextBatch(1)).toThrow(EvalError);
  });

  it("a column offset outside the child's schema fails when built", () => {
    expect(() => new BatchProjectionExecutor(fixture1(), [columnRef(2, INT)])).toThrow(/column offset/);
  });

  it("matches a naive evaluation over shuffled logical rows (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null }),
            fc.integer({ min: -9, max: 9 }),
          ),
          {
            maxLength: 30,
          },
        ),
        fc.array(fc.nat(), { maxLength: 30 }),
        (data, picks) => {
          const a = ints(...data.map(([x]) => x));
          const b = ints(...data.map(([, y]) => y));
          const lr = data.length === 0 ? rows() : rows(...picks.map((p) => p % data.length));
          const exec = new BatchProjectionExecutor(
            new MockExecutor([INT, INT], [{ columns: [a, b], logicalRows: lr }]),
            [scalarFunc(S.MinusInt, INT, columnRef(0, INT), columnRef(1, INT)), columnRef(1, INT)],
          );
          const r = exec.nextBatch(1);
          const want = [...lr].map((i) => {
            const [x, y] = data[i]!;
            return [x === null ? null : BigInt(x - y), BigInt(y)];
          });
          expect(logical(r, 0)).toEqual(want.map((w) => w[0]));
          expect(logical(r, 1)).toEqual(want.map((w) => w[1]));
        },
      ),
    );
  });
});

describe("gatherColumn", () => {
  const ctx = new EvalContext();
  const dt = (s: string) => Time.parseDatetime(ctx, s, 0, false);
  it.each<[string, () => Column]>([
    ["Int (f64)", () => ints(1, null, -3, 4)],
    ["Int (i64)", () => ints(1n << 62n, null, -3, 4)],
    ["Real", () => reals(1.5, null, -3, 4)],
    ["Bytes", () => ChunkedVecBytes.fromValues(["a", null, "a much longer value than sixteen bytes", "ü"])],
    [
      "Json",
      () =>
        ChunkedVecJson.fromValues([
          new Uint8Array([4, 1]),
          null,
          new Uint8Array([4, 2]),
          new Uint8Array([0]),
        ]),
    ],
    [
      "Decimal",
      () =>
        ChunkedVecDecimal.fromValues([
          Decimal.fromString("1.5"),
          null,
          Decimal.fromString("-30"),
          Decimal.fromString("4"),
        ]),
    ],
    [
      "Duration",
      () =>
        ChunkedVecDuration.fromValues(
          [Duration.fromNanos(5_000, 0), null, Duration.fromNanos(-1, 0), Duration.fromNanos(0, 0)],
          0,
        ),
    ],
    ["Enum", () => ChunkedVecEnum.fromValues([1, null, 2, 0], ["a", "b"])],
    [
      "Set",
      () =>
        ChunkedVecSet.fromValues(
          [
            MySqlSet.fromValue(["a", "b"], 1),
            null,
            MySqlSet.fromValue(["a", "b"], 3),
            MySqlSet.fromValue(["a", "b"], 0),
          ],
          ["a", "b"],
        ),
    ],
    ["VectorFloat32", () => ChunkedVecVectorFloat32.fromValues([[1, 2], null, [], [3]])],
    [
      "DateTime",
      () =>
        ChunkedVecDateTime.fromValues([
          dt("2020-01-02 03:04:05"),
          null,
          dt("1999-12-31 00:00:00"),
          dt("2020-01-02 03:04:06"),
        ]),
    ],
  ])("%s: rows picked, repeated and reordered, from one or two sources", (_name, make) => {
    const a = make();
    const b = make();
    const pick = [3, 0, 1, 3, 2];
    const got = gatherColumn([a], null, pick);
    expect(got.evalType).toBe(a.evalType);
    expect(physical(got)).toEqual(pick.map((i) => plain(a.get(i))));
    const which = [1, 0, 1, 0, 0];
    const two = gatherColumn([a, b], which, pick);
    expect(physical(two)).toEqual(pick.map((i, j) => plain((which[j] === 0 ? a : b).get(i))));
    expect(gatherColumn([a], null, []).length).toBe(0);
  });

  it("mixes f64 and i64 Int sources exactly", () => {
    const narrow = ints(1, 2);
    const wide = ChunkedVecInt.fromValues([(1n << 64n) - 1n, null], { unsigned: true });
    const narrowU = ChunkedVecInt.fromValues([1, 2], { unsigned: true });
    const out = gatherColumn([narrowU, wide], [0, 1, 1], [1, 0, 1]);
    expect(physical(out)).toEqual([2n, (1n << 64n) - 1n, null]);
    expect(physical(gatherColumn([narrow], null, [1]))).toEqual([2n]);
  });
});
