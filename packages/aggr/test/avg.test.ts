// AVG: cases from TiKV components/tidb_query_aggr/src/impl_avg.rs tests.
import {
  ChunkedVecInt,
  ChunkedVecReal,
  Enum,
  EvalType,
  FieldTypeFlag,
  FieldTypeTp,
  isUnsigned,
  MySqlSet,
} from "@copr/datatype";
import { describe, expect, it } from "vitest";
import { AggrFnAvg } from "../src/index.js";
import {
  aggrOfColumn,
  catchError,
  ctx,
  DECIMAL,
  DOUBLE,
  E,
  ft,
  LONGLONG,
  parse,
  pushed,
  pushedRows,
  runVector,
} from "./helpers.js";

const COUNT = ft(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned });

describe("AVG", () => {
  // TiKV impl_avg.rs test_update: AVG<Real> pushes (count, sum).
  it("pushes count then sum, NULL sum for no values", () => {
    const c = ctx();
    const state = new AggrFnAvg("Real", EvalType.Real).createState();
    const types = [COUNT, DOUBLE];
    expect(pushed(state, types)).toEqual([0n, null]);
    state.update(c, null);
    expect(pushed(state, types)).toEqual([0n, null]);
    state.update(c, 5.0);
    state.update(c, null);
    state.update(c, 10.0);
    expect(pushed(state, types)).toEqual([2n, 15]);
    state.updateVector(c, ChunkedVecReal.fromValues([0.0, -4.5, null]), new Uint32Array([0, 1, 2]));
    expect(pushed(state, types)).toEqual([4n, 10.5]);
    // Pushing repeatedly appends rows and leaves the state usable.
    expect(pushedRows(state, types, 2)).toEqual([
      [4n, 4n],
      [10.5, 10.5],
    ]);
  });

  // TiKV impl_avg.rs test_update_enum / test_update_set (the parser reads them as DOUBLE).
  it("averages ENUM indexes and SET masks", () => {
    const c = ctx();
    const e = new AggrFnAvg("Real", EvalType.Enum).createState();
    expect(pushed(e, [COUNT, DOUBLE])).toEqual([0n, null]);
    e.update(c, Enum.fromValue(["bbb", "aaa"], 1));
    e.update(c, Enum.fromValue(["bbb", "aaa"], 2));
    expect(pushed(e, [COUNT, DOUBLE])).toEqual([2n, 3]);
    e.update(c, null);
    expect(pushed(e, [COUNT, DOUBLE])).toEqual([2n, 3]);
    const s = new AggrFnAvg("Real", EvalType.Set).createState();
    s.update(c, MySqlSet.fromValue(["我好强啊", "我太强啦"], 0b01));
    s.update(c, MySqlSet.fromValue(["我好强啊", "我太强啦"], 0b10));
    expect(pushed(s, [COUNT, DOUBLE])).toEqual([2n, 3]);
  });

  // TiKV impl_avg.rs test_integration: AVG(BIGINT) is (BIGINT UNSIGNED, DECIMAL).
  it("AVG over BIGINT gives (count, DECIMAL sum)", () => {
    const col = ChunkedVecInt.fromValues([100, 1, null, 42, null]);
    const { parsed, result } = runVector(
      aggrOfColumn(E.Avg, DECIMAL, LONGLONG),
      [LONGLONG],
      [col],
      new Uint32Array([4, 1, 2, 3]),
    );
    expect(parsed.fieldTypes.map((t) => t.tp)).toEqual([FieldTypeTp.LongLong, FieldTypeTp.NewDecimal]);
    expect(isUnsigned(parsed.fieldTypes[0]!)).toBe(true);
    expect(result[0]).toBe(2n);
    expect(String(result[1])).toBe("43");
  });

  // TiKV impl_avg.rs test_illegal_request
  it("rejects AVG over BIGINT declared DOUBLE", () => {
    expect(catchError(() => parse(aggrOfColumn(E.Avg, DOUBLE, LONGLONG), [LONGLONG]))).toMatchObject({
      name: "ExprError",
    });
  });

  it("AVG(BIGINT) updateRepeat multiplies exactly", () => {
    const c = ctx();
    const state = new AggrFnAvg("IntAsDecimal", EvalType.Int).createState();
    state.updateRepeat(c, (1n << 62n) + 1n, 8);
    const [count, sum] = pushed(state, [COUNT, DECIMAL]);
    expect(count).toBe(8n);
    expect(String(sum)).toBe((8n * ((1n << 62n) + 1n)).toString());
  });
});
