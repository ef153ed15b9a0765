// FIRST: cases from TiKV components/tidb_query_aggr/src/impl_first.rs tests.
import { ChunkedVecBytes, ChunkedVecInt, Enum, EvalType, FieldTypeTp, MySqlSet } from "@copr/datatype";
import { describe, expect, it } from "vitest";
import { AggrFnFirst } from "../src/index.js";
import {
  aggrOfColumn,
  catchError,
  ctx,
  DOUBLE,
  E,
  ft,
  LONGLONG,
  parse,
  pushedRows,
  runRows,
  runVector,
  VARSTRING,
} from "./helpers.js";

const BYTES = ft(FieldTypeTp.VarString);

describe("FIRST", () => {
  // TiKV impl_first.rs test_update
  it("keeps the first value", () => {
    const c = ctx();
    const state = new AggrFnFirst(EvalType.Int).createState();
    const rows: unknown[] = [];
    const push = () => rows.push(pushedRows(state, [LONGLONG], 1)[0]![0]);
    push();
    state.update(c, 1n);
    push();
    state.update(c, 2n);
    push();
    expect(rows).toEqual([null, 1n, 1n]);
  });

  // TiKV impl_first.rs test_update_enum, test_update_set
  it("keeps the first ENUM and SET", () => {
    const c = ctx();
    const elems = ["bbb", "aaa"];
    const enumFt = ft(FieldTypeTp.Enum, { elems });
    const e = new AggrFnFirst(EvalType.Enum).createState();
    e.update(c, Enum.fromValue(elems, 1));
    e.update(c, Enum.fromValue(elems, 2));
    expect(pushedRows(e, [enumFt], 2)[0]!.map((x) => (x as Enum).name)).toEqual(["bbb", "bbb"]);
    const setElems = ["我好强啊", "我太强啦"];
    const setFt = ft(FieldTypeTp.Set, { elems: setElems });
    const s = new AggrFnFirst(EvalType.Set).createState();
    s.update(c, MySqlSet.fromValue(setElems, 0b11));
    s.update(c, MySqlSet.fromValue(setElems, 0b10));
    expect(pushedRows(s, [setFt], 2)[0]!.map(String)).toEqual(["我好强啊,我太强啦", "我好强啊,我太强啦"]);
  });

  // TiKV impl_first.rs test_update_repeat
  it("updateRepeat keeps the first value (a copy of the bytes)", () => {
    const c = ctx();
    const state = new AggrFnFirst(EvalType.Bytes).createState();
    const b = new Uint8Array([1]);
    state.updateRepeat(c, b, 2);
    b[0] = 9;
    state.updateRepeat(c, new Uint8Array([2]), 3);
    expect(pushedRows(state, [BYTES], 2)[0]).toEqual([new Uint8Array([1]), new Uint8Array([1])]);
  });

  // TiKV impl_first.rs test_update_vector
  it("updateVector takes the first logical row, NULL included", () => {
    const c = ctx();
    const fn = new AggrFnFirst(EvalType.Int);
    let state = fn.createState();
    const first = () => pushedRows(state, [LONGLONG], 1)[0]![0];
    state.updateVector(c, ChunkedVecInt.fromValues([]), null);
    expect(first()).toBe(null);
    state.updateVector(c, ChunkedVecInt.fromValues([1]), new Uint32Array([]));
    expect(first()).toBe(null);
    state.updateVector(c, ChunkedVecInt.fromValues([null, 2]), new Uint32Array([0, 1]));
    expect(first()).toBe(null);
    state.updateVector(c, ChunkedVecInt.fromValues([1]), new Uint32Array([0]));
    expect(first()).toBe(null);
    state = fn.createState();
    state.updateVector(c, ChunkedVecInt.fromValues([null, 2]), new Uint32Array([1, 0]));
    expect(first()).toBe(2n);
  });

  // TiKV impl_first.rs test_illegal_request
  it("rejects a result type other than the argument's", () => {
    expect(catchError(() => parse(aggrOfColumn(E.First, DOUBLE, LONGLONG), [LONGLONG]))).toMatchObject({
      name: "ExprError",
    });
  });

  it("parses FIRST over strings; vector and row forms agree; the kept bytes outlive the batch", () => {
    const col = ChunkedVecBytes.fromValues(["x", "yy", null]);
    const def = aggrOfColumn(E.First, VARSTRING, VARSTRING);
    const { parsed, result } = runVector(def, [VARSTRING], [col], new Uint32Array([1, 0]));
    expect(parsed.fieldTypes).toHaveLength(1);
    expect(new TextDecoder().decode(result[0] as Uint8Array)).toBe("yy");
    expect(runRows(def, [VARSTRING], [col], new Uint32Array([2, 0]))).toEqual([null]);
    const c = ctx();
    const state = parsed.fn.createState();
    state.updateRow(c, col, 0);
    col.data.fill(0);
    expect(new TextDecoder().decode(pushedRows(state, [VARSTRING], 1)[0]![0] as Uint8Array)).toBe("x");
  });
});
