// Cases: TiKV components/tidb_query_executors/src/selection_executor.rs (tests module).
import {
  ChunkedVecBytes,
  ChunkedVecInt,
  ChunkedVecReal,
  Collation,
  type Column,
  ERR_UNKNOWN,
  EvalError,
  emptyColumn,
  type FieldType,
  FieldTypeTp,
  fieldType,
} from "@copr/datatype";
import { columnRef, constBytes, constInt, LONGLONG, type RpnFnMeta, scalarFunc } from "@copr/expr";
import { tipb } from "@copr/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Drain } from "../src/interface.js";
import { BatchSelectionExecutor } from "../src/selection.js";
import { type MockBatch, MockExecutor } from "./mock-executor.js";

const S = tipb.ScalarFuncSig;
const INT = LONGLONG;
const REAL = fieldType(FieldTypeTp.Double);

/** A test-only function, found through the executor's `lookup` option (TiKV's `#[rpn_fn]` in tests). */
function testFn(sig: number, args: number, fn: (...a: never[]) => unknown): RpnFnMeta {
  return {
    name: `test${sig}`,
    sig,
    args: Array.from({ length: args }, () => "Int" as const),
    ret: "Int",
    nonnull: false,
    ctx: false,
    metadata: undefined,
    validator: undefined,
    fn: fn as (...a: unknown[]) => unknown,
    vector: undefined,
  };
}

const IS_EVEN = 900_001;
const FOO_NO_ARGS = 900_002;
const FOO_ERR_ON_NULL = 900_003;
const fns = new Map<number, RpnFnMeta>([
  // TiKV `is_even`: 1 when even, 0 otherwise (NULL included).
  [IS_EVEN, testFn(IS_EVEN, 1, (v: bigint | null) => (v === null ? 0n : v % 2n === 0n ? 1n : 0n))],
  [
    FOO_NO_ARGS,
    testFn(FOO_NO_ARGS, 0, () => {
      throw new Error("must not be called: no rows to evaluate");
    }),
  ],
  [
    FOO_ERR_ON_NULL,
    testFn(FOO_ERR_ON_NULL, 1, (v: bigint | null) => {
      if (v === null) throw new EvalError("foo", ERR_UNKNOWN);
      return v;
    }),
  ],
]);
const options = { lookup: (sig: number) => fns.get(sig) };
const isEven = (offset: number) => scalarFunc(IS_EVEN, INT, columnRef(offset, INT));

const ints = (...v: (number | null)[]) => ChunkedVecInt.fromValues(v);
const reals = (...v: (number | null)[]) => ChunkedVecReal.fromValues(v);
const rows = (...r: number[]) => new Uint32Array(r);

function empty(schema: readonly FieldType[]): MockBatch {
  return { columns: schema.map(emptyColumn), logicalRows: rows() };
}

/** TiKV `make_src_executor_using_fixture_1`. */
function fixture1(): MockExecutor {
  const schema = [INT, REAL];
  return new MockExecutor(schema, [
    { columns: [ints(null, null, 1, null, 5), reals(7, -5, null, null, null)], logicalRows: rows(2, 0) },
    { columns: [ints(null), reals(null)], logicalRows: rows() },
    { columns: [ints(1, null), reals(null, null)], logicalRows: rows(1) },
  ]);
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

/** Runs `exec` to the end: each batch's logical rows (as arrays) and drain state. */
function drain(exec: BatchSelectionExecutor): [number[] | null, Drain][] {
  const out: [number[] | null, Drain][] = [];
  for (;;) {
    const r = exec.nextBatch(1);
    out.push([r.logicalRows === null ? null : [...r.logicalRows], r.isDrained]);
    if (r.isDrained !== Drain.Remain) return out;
  }
}

describe("BatchSelectionExecutor", () => {
  it("does not evaluate batches without rows (test_empty_rows)", () => {
    const schema = [INT, REAL];
    const src = new MockExecutor(schema, [
      empty(schema),
      { columns: [ints(null), reals(null)], logicalRows: rows() },
      { ...empty(schema) },
    ]);
    const exec = new BatchSelectionExecutor(src, [scalarFunc(FOO_NO_ARGS, INT)], undefined, options);
    expect(drain(exec)).toEqual([
      [[], Drain.Remain],
      [[], Drain.Remain],
      [[], Drain.Drain],
    ]);
  });

  it.each([
    ["no predicate", []],
    ["a predicate always true", [constInt(1)]],
  ])("passes everything with %s (test_no_predicate_or_predicate_always_true)", (_name, conds) => {
    const exec = new BatchSelectionExecutor(fixture1(), conds);
    expect(drain(exec)).toEqual([
      [[2, 0], Drain.Remain],
      [[], Drain.Remain],
      [[1], Drain.Drain],
    ]);
  });

  it("keeps nothing with a predicate always false (test_predicate_always_false)", () => {
    const exec = new BatchSelectionExecutor(fixture1(), [constInt(0)]);
    expect(drain(exec)).toEqual([
      [[], Drain.Remain],
      [[], Drain.Remain],
      [[], Drain.Drain],
    ]);
  });

  it("a NULL constant keeps nothing", () => {
    const exec = new BatchSelectionExecutor(fixture1(), [{ tp: tipb.ExprType.Null, fieldType: { tp: 8 } }]);
    expect(drain(exec).map(([r]) => r)).toEqual([[], [], []]);
  });

  it.each([
    ["is_even(col0) (test_predicate_1)", [isEven(0)], [3, 0]],
    ["is_even(col1) (test_predicate_2)", [isEven(1)], [0, 2]],
    ["is_even(col0), is_even(col1) (test_multiple_predicate_1)", [isEven(0), isEven(1)], [0]],
    ["is_even(col1), is_even(col0) (test_multiple_predicate_1)", [isEven(1), isEven(0)], [0]],
    ["all three (test_multiple_predicate_2)", [isEven(0), isEven(1), isEven(2)], []],
    ["all three reordered (test_multiple_predicate_2)", [isEven(1), isEven(2), isEven(0)], []],
  ])("%s", (_name, conds, first) => {
    const exec = new BatchSelectionExecutor(fixture2(), conds, undefined, options);
    expect(drain(exec)).toEqual([
      [first, Drain.Remain],
      [[], Drain.Remain],
      [[], Drain.Drain],
    ]);
  });

  it("leaves the columns untouched", () => {
    const src = fixture2();
    const exec = new BatchSelectionExecutor(src, [isEven(0)], undefined, options);
    const r = exec.nextBatch(1);
    expect(r.columns[0]!.length).toBe(5);
    expect(r.columns.map((c) => c.get(3))).toEqual([4n, null, 1n]);
  });

  it("an evaluation error is thrown (test_predicate_error)", () => {
    const src = new MockExecutor(
      [INT, INT],
      [
        { columns: [ints(1, 4, null, 1, 2), ints(null, 4, null, 2, null)], logicalRows: rows(1, 3, 4, 0) },
        { columns: [ints(-5), ints(5)], logicalRows: rows() },
      ],
    );
    const foo = (o: number) => scalarFunc(FOO_ERR_ON_NULL, INT, columnRef(o, INT));
    const exec = new BatchSelectionExecutor(src, [foo(0), foo(1)], undefined, options);
    expect(() => exec.nextBatch(1)).toThrow(EvalError);
  });

  it("filters through real functions: col0 > 1 AND col1 IS NOT NULL over reordered rows", () => {
    const src = fixture2();
    const conds = [
      scalarFunc(S.GTInt, INT, columnRef(0, INT), constInt(1)),
      scalarFunc(S.UnaryNotInt, INT, scalarFunc(S.IntIsNull, INT, columnRef(1, INT))),
    ];
    const exec = new BatchSelectionExecutor(src, conds);
    // Batch 1, logical 3,4,0,2: col0 = 4, NULL, 2, NULL; col1 = NULL, NULL, 4, 2.
    expect(drain(exec).map(([r]) => r)).toEqual([[0], [], []]);
  });

  it("compares strings by the column's collation (utf8mb4_general_ci)", () => {
    const ci = fieldType(FieldTypeTp.VarString, { collate: Collation.Utf8Mb4GeneralCi });
    const src = new MockExecutor(
      [ci],
      [{ columns: [ChunkedVecBytes.fromValues(["abc", "ABC", "abd", null, "Abc "])], logicalRows: null }],
    );
    // TiDB puts the comparison's collation on the call's own field type.
    const ret = fieldType(FieldTypeTp.LongLong, { collate: Collation.Utf8Mb4GeneralCi });
    const cond = scalarFunc(S.EQString, ret, columnRef(0, ci), constBytes("aBc", ci));
    const exec = new BatchSelectionExecutor(src, [cond]);
    expect([...(exec.nextBatch(1).logicalRows as Uint32Array)]).toEqual([0, 1, 4]);
  });

  it("matches a naive filter (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -50, max: 50 }), { nil: null }), { maxLength: 40 }),
        fc.integer({ min: -50, max: 50 }),
        fc.boolean(),
        fc.integer(),
        (values, threshold, shuffle, seed) => {
          const col: Column = ints(...values);
          let order = values.map((_, i) => i);
          if (shuffle) order = order.filter((i) => (i * 7 + seed) % 3 !== 0).reverse();
          const src = new MockExecutor(
            [INT],
            [{ columns: [col], logicalRows: shuffle ? rows(...order) : null }],
          );
          const exec = new BatchSelectionExecutor(src, [
            scalarFunc(S.LEInt, INT, columnRef(0, INT), constInt(threshold)),
          ]);
          const r = exec.nextBatch(1);
          const got = r.logicalRows === null ? values.map((_, i) => i) : [...r.logicalRows];
          const want = order.filter((i) => values[i] !== null && (values[i] as number) <= threshold);
          expect(got).toEqual(want);
        },
      ),
    );
  });
});
