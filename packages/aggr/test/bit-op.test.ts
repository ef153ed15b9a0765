// BIT_AND / BIT_OR / BIT_XOR: cases from TiKV components/tidb_query_aggr/src/impl_bit_op.rs tests.
import {
  ChunkedVecEnum,
  ChunkedVecInt,
  ChunkedVecReal,
  ChunkedVecSet,
  FieldTypeFlag,
  FieldTypeTp,
  MySqlSet,
} from "@copr/datatype";
import { tipb } from "@copr/proto";
import { describe, expect, it } from "vitest";
import { AggrFnBitOp } from "../src/index.js";
import {
  aggrOfColumn,
  catchError,
  ctx,
  DOUBLE,
  E,
  ft,
  LONGLONG,
  parse,
  pushed,
  runRows,
  runVector,
} from "./helpers.js";

const U = ft(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned });
const ALL_ONES = (1n << 64n) - 1n;
const out = (state: ReturnType<AggrFnBitOp["createState"]>) => pushed(state, [U])[0];

describe("BIT_AND", () => {
  // TiKV impl_bit_op.rs test_bit_and
  it("starts at all ones and ANDs non-NULL values", () => {
    const c = ctx();
    const fn = new AggrFnBitOp("BitAnd");
    let state = fn.createState();
    expect(out(state)).toBe(ALL_ONES);
    state.update(c, null);
    expect(out(state)).toBe(ALL_ONES);
    state.update(c, 7n);
    expect(out(state)).toBe(7n);
    state.update(c, 4n);
    expect(out(state)).toBe(4n);
    state.updateRepeat(c, 4n, 10);
    state.updateRepeat(c, null, 7);
    expect(out(state)).toBe(4n);
    state = fn.createState();
    state.update(c, 7n);
    state.updateVector(c, ChunkedVecInt.fromValues([1, null, 1]), new Uint32Array([0, 1, 2]));
    expect(out(state)).toBe(1n);
    state.update(c, 2n);
    expect(out(state)).toBe(0n);
  });
});

describe("BIT_OR", () => {
  // TiKV impl_bit_op.rs test_bit_or
  it("ORs non-NULL values", () => {
    const c = ctx();
    const state = new AggrFnBitOp("BitOr").createState();
    expect(out(state)).toBe(0n);
    state.update(c, null);
    expect(out(state)).toBe(0n);
    state.update(c, 1n);
    expect(out(state)).toBe(1n);
    state.update(c, 4n);
    expect(out(state)).toBe(5n);
    state.updateRepeat(c, 8n, 10);
    state.updateRepeat(c, null, 7);
    expect(out(state)).toBe(13n);
    state.update(c, 2n);
    state.updateVector(c, ChunkedVecInt.fromValues([2, null, 1]), new Uint32Array([0, 1, 2]));
    expect(out(state)).toBe(15n);
    state.update(c, 2n);
    expect(out(state)).toBe(15n);
    state.update(c, -1n);
    expect(out(state)).toBe(18446744073709551615n);
  });
});

describe("BIT_XOR", () => {
  // TiKV impl_bit_op.rs test_bit_xor
  it("XORs non-NULL values", () => {
    const c = ctx();
    const state = new AggrFnBitOp("BitXor").createState();
    expect(out(state)).toBe(0n);
    state.update(c, null);
    expect(out(state)).toBe(0n);
    state.update(c, 1n);
    expect(out(state)).toBe(1n);
    state.update(c, 5n);
    expect(out(state)).toBe(4n);
    state.updateRepeat(c, 8n, 9);
    state.updateRepeat(c, null, 7);
    expect(out(state)).toBe(12n);
    state.updateRepeat(c, 9n, 10);
    expect(out(state)).toBe(12n);
    state.update(c, 2n);
    state.updateVector(c, ChunkedVecInt.fromValues([2, null, 1]), new Uint32Array([0, 1, 2]));
    expect(out(state)).toBe(13n);
    state.update(c, 2n);
    expect(out(state)).toBe(15n);
    state.update(c, 2n);
    state.update(c, -1n);
    expect(out(state)).toBe(18446744073709551602n);
  });
});

describe("BIT operations through the parser", () => {
  // TiKV impl_bit_op.rs test_integration (results read by a signed BIGINT in TiKV; here UNSIGNED)
  it("BIT_AND, BIT_OR, BIT_XOR over a BIGINT column", () => {
    const col = ChunkedVecInt.fromValues([1000, 1, 23, 42, null, 99, -1, 1000]);
    const rows = new Uint32Array([6, 3, 4, 5, 1, 2]);
    const run = (tp: tipb.ExprType) =>
      runVector(aggrOfColumn(tp, U, LONGLONG), [LONGLONG], [col], rows).result[0];
    expect(run(E.Agg_BitAnd)).toBe(0n);
    expect(run(E.Agg_BitOr)).toBe(18446744073709551615n);
    expect(run(E.Agg_BitXor)).toBe(18446744073709551520n);
    expect(runRows(aggrOfColumn(E.Agg_BitXor, U, LONGLONG), [LONGLONG], [col], rows)).toEqual([
      18446744073709551520n,
    ]);
  });

  it("a signed result column reads the same 64 bits as signed", () => {
    const col = ChunkedVecInt.fromValues([-1, -2]);
    expect(runVector(aggrOfColumn(E.Agg_BitAnd, LONGLONG, LONGLONG), [LONGLONG], [col]).result).toEqual([
      -2n,
    ]);
  });

  it("wide BIGINT columns (i64 representation) give the same bits", () => {
    const values = [(1n << 62n) + 12345n, -(1n << 60n), 77n, null];
    const col = ChunkedVecInt.fromValues(values);
    expect(col.data.repr).toBe("i64");
    const expected = values.reduce<bigint>((a, v) => (v === null ? a : a ^ BigInt.asUintN(64, v)), 0n);
    expect(runVector(aggrOfColumn(E.Agg_BitXor, U, LONGLONG), [LONGLONG], [col]).result).toEqual([expected]);
    expect(runRows(aggrOfColumn(E.Agg_BitXor, U, LONGLONG), [LONGLONG], [col])).toEqual([expected]);
  });

  it("ENUM (member index) and SET (mask) arguments need no cast", () => {
    const elems = ["a", "b", "c"];
    const enumFt = ft(FieldTypeTp.Enum, { elems });
    const e = ChunkedVecEnum.fromValues([1, 3, null], elems);
    expect(runVector(aggrOfColumn(E.Agg_BitOr, U, enumFt), [enumFt], [e]).result).toEqual([3n]);
    const setFt = ft(FieldTypeTp.Set, { elems });
    const s = ChunkedVecSet.fromValues(
      [MySqlSet.fromValue(elems, 0b101), MySqlSet.fromValue(elems, 0b110)],
      elems,
    );
    expect(runVector(aggrOfColumn(E.Agg_BitAnd, U, setFt), [setFt], [s]).result).toEqual([0b100n]);
  });

  it("a DOUBLE argument is cast to BIGINT (CastRealAsInt), and is unsupported without it", () => {
    const def = aggrOfColumn(E.Agg_BitOr, U, DOUBLE);
    const parsed = (() => {
      try {
        return parse(def, [DOUBLE]);
      } catch {
        return null;
      }
    })();
    if (parsed !== null) {
      const last = parsed.expr.nodes[parsed.expr.nodes.length - 1]!;
      expect(last.kind === "call" && last.fn.sig).toBe(tipb.ScalarFuncSig.CastRealAsInt);
      expect(runVector(def, [DOUBLE], [ChunkedVecReal.fromValues([1.4, 2.6])]).result).toEqual([3n]);
    }
    expect(catchError(() => parse(def, [DOUBLE], { lookup: () => undefined }))).toMatchObject({
      name: "UnsupportedError",
    });
  });
});
