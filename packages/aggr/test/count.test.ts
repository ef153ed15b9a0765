// COUNT: cases from TiKV components/tidb_query_aggr/src/impl_count.rs tests.
import {
  ChunkedVecBytes,
  ChunkedVecInt,
  ChunkedVecReal,
  Enum,
  EvalType,
  evalTypeOf,
  FieldTypeFlag,
  FieldTypeTp,
  isUnsigned,
  MySqlSet,
} from "@copr/datatype";
import { constInt, constNull } from "@copr/expr";
import { describe, expect, it } from "vitest";
import { AggrFnCount } from "../src/index.js";
import {
  aggr,
  aggrOfColumn,
  ctx,
  E,
  ft,
  LONGLONG,
  pushed,
  runRows,
  runVector,
  VARSTRING,
} from "./helpers.js";

const COUNT_TYPE = [ft(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned })];

describe("COUNT", () => {
  // TiKV impl_count.rs test_update
  it("counts non-NULL values through update, updateRepeat and updateVector", () => {
    const c = ctx();
    const state = new AggrFnCount().createState();
    expect(pushed(state, COUNT_TYPE)).toEqual([0n]);
    state.update(c, null);
    expect(pushed(state, COUNT_TYPE)).toEqual([0n]);
    state.update(c, 5.0);
    state.update(c, null);
    state.update(c, 7n);
    expect(pushed(state, COUNT_TYPE)).toEqual([2n]);
    state.updateRepeat(c, 3n, 4);
    state.updateRepeat(c, null, 7);
    expect(pushed(state, COUNT_TYPE)).toEqual([6n]);
    state.updateVector(c, ChunkedVecInt.fromValues([1, null, -1]), new Uint32Array([1, 2]));
    expect(pushed(state, COUNT_TYPE)).toEqual([7n]);
  });

  // TiKV impl_count.rs test_update_enum, test_update_set
  it("counts ENUM and SET values", () => {
    const c = ctx();
    const e = new AggrFnCount().createState();
    e.update(c, Enum.fromValue(["bbb"], 1));
    expect(pushed(e, COUNT_TYPE)).toEqual([1n]);
    const s = new AggrFnCount().createState();
    s.update(c, MySqlSet.fromValue(["我好强啊", "我太强啦"], 0b11));
    expect(pushed(s, COUNT_TYPE)).toEqual([1n]);
  });

  it("parses to one BIGINT UNSIGNED column and keeps the argument as is", () => {
    const col = ChunkedVecBytes.fromValues(["a", null, "b", "c", null]);
    const { parsed, result } = runVector(
      aggrOfColumn(E.Count, LONGLONG, VARSTRING),
      [VARSTRING],
      [col],
      new Uint32Array([4, 0, 1, 3]),
    );
    expect(parsed.fieldTypes).toHaveLength(1);
    expect(parsed.fieldTypes[0]!.tp).toBe(FieldTypeTp.LongLong);
    expect(isUnsigned(parsed.fieldTypes[0]!)).toBe(true);
    expect(parsed.expr.nodes).toHaveLength(1);
    expect(result).toEqual([2n]);
  });

  it("row-by-row (hash aggregation) gives the same count as the vector form", () => {
    const col = ChunkedVecReal.fromValues([1.5, null, 2, null, 3]);
    const def = aggrOfColumn(E.Count, LONGLONG, ft(FieldTypeTp.Double));
    const schema = [ft(FieldTypeTp.Double)];
    expect(runRows(def, schema, [col])).toEqual([3n]);
    expect(runVector(def, schema, [col]).result).toEqual([3n]);
  });

  it("COUNT(1) counts rows; COUNT(NULL) counts nothing; an empty batch counts 0", () => {
    const col = ChunkedVecInt.fromValues([null, null, null]);
    expect(runVector(aggr(E.Count, LONGLONG, constInt(1)), [LONGLONG], [col]).result).toEqual([3n]);
    expect(runVector(aggr(E.Count, LONGLONG, constNull()), [LONGLONG], [col]).result).toEqual([0n]);
    expect(
      runVector(aggr(E.Count, LONGLONG, constInt(1)), [LONGLONG], [col], new Uint32Array(0)).result,
    ).toEqual([0n]);
    expect(evalTypeOf(COUNT_TYPE[0]!)).toBe(EvalType.Int);
  });
});
