// BatchSimpleAggregationExecutor: TiKV simple_aggr_executor.rs tests (test_it_works_integration,
// test_no_row), multiple batches, errors, and a property test against a direct computation.
import {
  ChunkedVecBytes,
  ChunkedVecInt,
  ChunkedVecReal,
  Collation,
  type Column,
  Decimal,
  EvalError,
  EvalFlag,
  EvalWarnings,
  type FieldType,
  FieldTypeTp,
  fieldType,
  isCoprError,
} from "@copr/datatype";
import { columnRef, constInt, constNull, constReal, fieldTypeToPb } from "@copr/expr";
import { tipb } from "@copr/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BatchExecutor, Drain } from "../src/index.js";
import { BatchSimpleAggregationExecutor, checkSimpleAggrSupported } from "../src/simple-aggr.js";
import { MockExecutor } from "./mock-executor.js";

const E = tipb.ExprType;
const DOUBLE = fieldType(FieldTypeTp.Double);
const LONGLONG = fieldType(FieldTypeTp.LongLong);
const DECIMAL = fieldType(FieldTypeTp.NewDecimal);
const VARSTRING = fieldType(FieldTypeTp.VarString);
const GENERAL_CI = fieldType(FieldTypeTp.VarString, { collate: Collation.Utf8Mb4GeneralCi });

function aggr(tp: tipb.ExprType, out: FieldType, child: tipb.Expr.$Properties): tipb.Expr.$Properties {
  return { tp, fieldType: fieldTypeToPb(out), children: [child] };
}

/** A column's rows as plain values: numbers for INT, strings for bytes and DECIMAL. */
function vals(c: Column): unknown[] {
  return Array.from({ length: c.length }, (_, i) => {
    const v = c.get(i);
    if (v === null) return null;
    if (typeof v === "bigint") return Number(v);
    if (v instanceof Uint8Array) return new TextDecoder().decode(v);
    if (v instanceof Decimal) return v.toString();
    return v;
  });
}

/**
 * TiKV aggr_executor.rs `make_src_executor_1`: logical rows
 * ```
 * Col0(Real) Col1(Real) Col2(Bytes)  Col3(Int) Col4(Bytes utf8mb4_general_ci)
 * NULL       1.0        abc          1         aa
 * 7.0        2.0        NULL         NULL      aaa
 * NULL       NULL       ""           NULL      áá
 * NULL       4.5        HelloWorld   NULL      NULL
 * -- (an empty batch)
 * 1.5        4.5        aaaaa        5         ááá
 * ```
 */
function makeSrcExecutor1(): MockExecutor {
  return new MockExecutor(
    [DOUBLE, DOUBLE, VARSTRING, LONGLONG, GENERAL_CI],
    [
      {
        columns: [
          ChunkedVecReal.fromValues([null, null, null, -5.0, 7.0]),
          ChunkedVecReal.fromValues([null, 4.5, 1.0, null, 2.0]),
          ChunkedVecBytes.fromValues(["", "HelloWorld", "abc", null, null]),
          ChunkedVecInt.fromValues([null, null, 1, 10, null]),
          ChunkedVecBytes.fromValues(["áá", null, "aa", "ááá", "aaa"]),
        ],
        logicalRows: Uint32Array.of(2, 4, 0, 1),
      },
      {
        columns: [
          ChunkedVecReal.fromValues([null]),
          ChunkedVecReal.fromValues([-10.0]),
          ChunkedVecBytes.fromValues(["foo"]),
          ChunkedVecInt.fromValues([null]),
          ChunkedVecBytes.fromValues([null]),
        ],
        logicalRows: new Uint32Array(0),
      },
      {
        columns: [
          ChunkedVecReal.fromValues([5.5, 1.5]),
          ChunkedVecReal.fromValues([null, 4.5]),
          ChunkedVecBytes.fromValues([null, "aaaaa"]),
          ChunkedVecInt.fromValues([null, 5]),
          ChunkedVecBytes.fromValues(["áá", "ááá"]),
        ],
        logicalRows: Uint32Array.of(1),
      },
    ],
  );
}

describe("BatchSimpleAggregationExecutor", () => {
  it("test_it_works_integration: COUNT and AVG over constants, NULL and columns", () => {
    const exec = new BatchSimpleAggregationExecutor(makeSrcExecutor1(), [
      aggr(E.Count, LONGLONG, constInt(1)),
      aggr(E.Count, LONGLONG, constReal(4.5)),
      aggr(E.Count, LONGLONG, constNull(DECIMAL)),
      aggr(E.Count, LONGLONG, columnRef(1, DOUBLE)),
      aggr(E.Avg, DOUBLE, constReal(42.5)),
      aggr(E.Avg, DECIMAL, constNull(DECIMAL)),
      aggr(E.Avg, DOUBLE, columnRef(0, DOUBLE)),
    ]);
    expect(exec.schema()).toHaveLength(10);

    for (let call = 0; call < 2; call++) {
      const r = exec.nextBatch(1);
      expect(r.isDrained).toBe(Drain.Remain);
      expect(r.columns).toHaveLength(10);
      expect(r.columns.every((c) => c.length === 0)).toBe(true);
    }
    const r = exec.nextBatch(1);
    expect(r.isDrained).toBe(Drain.Drain);
    expect(r.logicalRows).toBeNull();
    expect(r.columns.map(vals)).toEqual([
      [5], // COUNT(1)
      [5], // COUNT(4.5)
      [0], // COUNT(NULL)
      [4], // COUNT([1.0, 2.0, NULL, 4.5, 4.5])
      [5], // AVG(42.5): count, sum
      [212.5],
      [0], // AVG(NULL): count 0, sum NULL
      [null],
      [2], // AVG([NULL, 7.0, NULL, NULL, 1.5])
      [8.5],
    ]);
  });

  it("test_no_row: no input row gives no output row", () => {
    const src = new MockExecutor(
      [LONGLONG],
      [
        { columns: [ChunkedVecInt.fromValues([5])], logicalRows: new Uint32Array(0) },
        { columns: [ChunkedVecInt.fromValues([])], logicalRows: null },
      ],
    );
    const exec = new BatchSimpleAggregationExecutor(src, [aggr(E.Count, LONGLONG, constReal(5))]);
    let r = exec.nextBatch(1);
    expect(r.isDrained).toBe(Drain.Remain);
    expect(r.columns[0]!.length).toBe(0);
    r = exec.nextBatch(1);
    expect(r.isDrained).toBe(Drain.Drain);
    expect(r.columns).toHaveLength(1);
    expect(r.columns[0]!.length).toBe(0);
  });

  it("rowForEmptyInput: one row, COUNT 0 and the other aggregates NULL", () => {
    const src = new MockExecutor(
      [LONGLONG],
      [{ columns: [ChunkedVecInt.fromValues([])], logicalRows: null }],
    );
    const exec = new BatchSimpleAggregationExecutor(
      src,
      [
        aggr(E.Count, LONGLONG, columnRef(0, LONGLONG)),
        aggr(E.Sum, DECIMAL, columnRef(0, LONGLONG)),
        aggr(E.Max, LONGLONG, columnRef(0, LONGLONG)),
        aggr(E.First, LONGLONG, columnRef(0, LONGLONG)),
        aggr(E.Avg, DECIMAL, columnRef(0, LONGLONG)),
      ],
      { rowForEmptyInput: true },
    );
    const r = exec.nextBatch(1024);
    expect(r.isDrained).toBe(Drain.Drain);
    expect(r.columns.map(vals)).toEqual([[0], [null], [null], [null], [0], [null]]);
  });

  it("COUNT/SUM/MIN/MAX/FIRST over several batches with NULLs and logical rows", () => {
    const src = new MockExecutor(
      [LONGLONG],
      [
        { columns: [ChunkedVecInt.fromValues([3, null, -7, 100])], logicalRows: Uint32Array.of(3, 1, 0) },
        { columns: [ChunkedVecInt.fromValues([])], logicalRows: null },
        { columns: [ChunkedVecInt.fromValues([9, 2])], logicalRows: null },
      ],
    );
    const col = columnRef(0, LONGLONG);
    const exec = new BatchSimpleAggregationExecutor(src, [
      aggr(E.Count, LONGLONG, col),
      aggr(E.Sum, DECIMAL, col),
      aggr(E.Min, LONGLONG, col),
      aggr(E.Max, LONGLONG, col),
      aggr(E.First, LONGLONG, col),
    ]);
    exec.nextBatch(1);
    exec.nextBatch(1);
    const r = exec.nextBatch(1);
    expect(r.isDrained).toBe(Drain.Drain);
    // Rows 100, NULL, 3, 9, 2 (-7 is not a logical row).
    expect(r.columns.map(vals)).toEqual([[4], ["114"], [2], [100], [100]]);
  });

  it("passes the child's warnings on, then its own", () => {
    const w = new EvalWarnings(8);
    w.add(EvalError.truncatedWrongValue("DOUBLE", "x"));
    const src: BatchExecutor = {
      schema: () => [VARSTRING],
      nextBatch: () => ({
        columns: [ChunkedVecBytes.fromValues(["1.5abc"])],
        logicalRows: null,
        warnings: w,
        isDrained: Drain.Drain,
      }),
      collectExecStats() {},
      takeScannedRange: () => ({ lower: new Uint8Array(), upper: new Uint8Array() }),
      canBeCached: () => true,
    };
    // SUM over a string casts it to DOUBLE: '1.5abc' is truncated with a warning.
    const exec = new BatchSimpleAggregationExecutor(src, [aggr(E.Sum, DOUBLE, columnRef(0, VARSTRING))], {
      config: { flags: EvalFlag.TruncateAsWarning },
    });
    const r = exec.nextBatch(1);
    expect(r.columns.map(vals)).toEqual([[1.5]]);
    expect(r.warnings?.list.map((x) => x.code)).toEqual([1292, 1292]);
    expect(r.warnings?.list[0]?.message).toBe("Truncated incorrect DOUBLE value: 'x'");
  });

  it("an overflow of SUM_INT is thrown and ends the executor (TiKV: an error ends the executor)", () => {
    const big = 2n ** 62n;
    const src = new MockExecutor(
      [LONGLONG],
      [
        { columns: [ChunkedVecInt.fromValues([big, big])], logicalRows: null },
        { columns: [ChunkedVecInt.fromValues([big])], logicalRows: null },
      ],
    );
    const exec = new BatchSimpleAggregationExecutor(src, [aggr(E.SumInt, LONGLONG, columnRef(0, LONGLONG))]);
    expect(() => exec.nextBatch(1)).toThrow(expect.objectContaining({ code: 1690 }));
    expect(() => exec.nextBatch(1)).toThrow("ended");
  });

  it("checkSimpleAggrSupported: TiKV's errors", () => {
    expect(() => checkSimpleAggrSupported({ aggFunc: [] })).toThrow("Aggregation expression is empty");
    expect(() => checkSimpleAggrSupported({ aggFunc: [aggr(E.Count, LONGLONG, constInt(1))] })).not.toThrow();
    try {
      checkSimpleAggrSupported({ aggFunc: [aggr(E.MinCount, LONGLONG, constInt(1))] });
      expect.unreachable();
    } catch (e) {
      expect(isCoprError(e)).toBe(true);
    }
  });

  it("property: equals COUNT/SUM/MIN/MAX/FIRST/AVG computed directly", () => {
    const value = fc.option(fc.integer({ min: -1_000_000, max: 1_000_000 }), { nil: null });
    fc.assert(
      fc.property(
        fc.array(fc.array(value, { maxLength: 20 }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (batches, reverse) => {
          const src = new MockExecutor(
            [LONGLONG],
            batches.map((b) => ({
              columns: [ChunkedVecInt.fromValues(b)],
              // Reverse the logical order of some batches to exercise logical rows.
              logicalRows: reverse ? Uint32Array.from(b.map((_, i) => b.length - 1 - i)) : null,
            })),
          );
          const col = columnRef(0, LONGLONG);
          const exec = new BatchSimpleAggregationExecutor(src, [
            aggr(E.Count, LONGLONG, col),
            aggr(E.Sum, DECIMAL, col),
            aggr(E.Min, LONGLONG, col),
            aggr(E.Max, LONGLONG, col),
            aggr(E.First, LONGLONG, col),
            aggr(E.Avg, DECIMAL, col),
          ]);
          let r = exec.nextBatch(1);
          while (r.isDrained === Drain.Remain) {
            expect(r.columns[0]!.length).toBe(0);
            r = exec.nextBatch(1);
          }
          const rows = batches.flatMap((b) => (reverse ? [...b].reverse() : b));
          if (rows.length === 0) {
            expect(r.columns[0]!.length).toBe(0);
            return;
          }
          const nonNull = rows.filter((v): v is number => v !== null);
          const sum = nonNull.length === 0 ? null : String(nonNull.reduce((a, b) => a + b, 0));
          expect(r.columns.map(vals)).toEqual([
            [nonNull.length],
            [sum],
            [nonNull.length === 0 ? null : Math.min(...nonNull)],
            [nonNull.length === 0 ? null : Math.max(...nonNull)],
            [rows[0]],
            [nonNull.length],
            [sum],
          ]);
        },
      ),
    );
  });
});
