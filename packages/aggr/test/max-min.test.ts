// MAX / MIN: cases from TiKV components/tidb_query_aggr/src/impl_max_min.rs tests, plus every other
// eval type TiKV's parser accepts.
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
  Collation,
  collatorFor,
  Decimal,
  Duration,
  Enum,
  EvalType,
  FieldTypeFlag,
  FieldTypeTp,
  MySqlSet,
  Time,
} from "@copr/datatype";
import { describe, expect, it } from "vitest";
import { AggrFnExtremum } from "../src/index.js";
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
  runRows,
  runVector,
} from "./helpers.js";

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (v: unknown) => (v === null ? null : new TextDecoder().decode(v as Uint8Array));

describe("MAX / MIN states", () => {
  // TiKV impl_max_min.rs test_max
  it("MAX over integers", () => {
    const c = ctx();
    const state = new AggrFnExtremum("Max", EvalType.Int).createState();
    const out = () => pushed(state, [LONGLONG])[0];
    expect(out()).toBe(null);
    state.update(c, null);
    expect(out()).toBe(null);
    state.update(c, 7n);
    expect(out()).toBe(7n);
    state.update(c, 4n);
    expect(out()).toBe(7n);
    state.updateRepeat(c, 20n, 10);
    state.updateRepeat(c, null, 7);
    expect(out()).toBe(20n);
    state.update(c, 7n);
    state.updateVector(c, ChunkedVecInt.fromValues([21, null, 22]), new Uint32Array([0, 1, 2]));
    expect(out()).toBe(22n);
    state.update(c, 40n);
    expect(out()).toBe(40n);
  });

  // TiKV impl_max_min.rs test_min
  it("MIN over integers", () => {
    const c = ctx();
    const state = new AggrFnExtremum("Min", EvalType.Int).createState();
    const out = () => pushed(state, [LONGLONG])[0];
    expect(out()).toBe(null);
    state.update(c, null);
    expect(out()).toBe(null);
    state.update(c, 100n);
    expect(out()).toBe(100n);
    state.update(c, 90n);
    expect(out()).toBe(90n);
    state.updateRepeat(c, 80n, 10);
    state.updateRepeat(c, null, 10);
    expect(out()).toBe(80n);
    state.update(c, 70n);
    state.updateVector(c, ChunkedVecInt.fromValues([69, null, 68]), new Uint32Array([0, 1, 2]));
    expect(out()).toBe(68n);
    state.update(c, 2n);
    expect(out()).toBe(2n);
    state.update(c, -1n);
    expect(out()).toBe(-1n);
  });

  // TiKV impl_max_min.rs test_max_enum: ENUMs compare by name, not index.
  it("MAX over ENUM compares member names", () => {
    const c = ctx();
    const elems = ["bbb", "aaa"];
    const enumFt = ft(FieldTypeTp.Enum, { elems });
    const state = new AggrFnExtremum("Max", EvalType.Enum).createState();
    expect(pushed(state, [enumFt])).toEqual([null]);
    state.update(c, Enum.fromValue(elems, 1));
    expect((pushed(state, [enumFt])[0] as Enum).name).toBe("bbb");
    state.update(c, Enum.fromValue(elems, 1));
    state.update(c, Enum.fromValue(elems, 2));
    expect((pushed(state, [enumFt])[0] as Enum).name).toBe("bbb");
    const min = new AggrFnExtremum("Min", EvalType.Enum).createState();
    min.updateVector(c, ChunkedVecEnum.fromValues([1, null, 2], elems), null);
    expect((pushed(min, [enumFt])[0] as Enum).value).toBe(2);
  });

  // TiKV impl_max_min.rs test_max_set: SETs compare by their text.
  it("MAX over SET compares the joined member names", () => {
    const c = ctx();
    const elems = ["B - 我好强啊", "A - 我太强啦"];
    const setFt = ft(FieldTypeTp.Set, { elems });
    const state = new AggrFnExtremum("Max", EvalType.Set).createState();
    expect(pushed(state, [setFt])).toEqual([null]);
    state.update(c, MySqlSet.fromValue(elems, 0b01));
    expect(String(pushed(state, [setFt])[0])).toBe("B - 我好强啊");
    state.update(c, MySqlSet.fromValue(elems, 0b01));
    state.update(c, MySqlSet.fromValue(elems, 0b10));
    state.update(c, MySqlSet.fromValue(elems, 0b11));
    expect((pushed(state, [setFt])[0] as MySqlSet).toNumber()).toBe(0b11);
    const rows = new AggrFnExtremum("Max", EvalType.Set).createState();
    rows.updateVector(
      c,
      ChunkedVecSet.fromValues(
        [MySqlSet.fromValue(elems, 0b10), null, MySqlSet.fromValue(elems, 0b01)],
        elems,
      ),
      null,
    );
    expect((pushed(rows, [setFt])[0] as MySqlSet).toNumber()).toBe(0b01);
  });

  // TiKV impl_max_min.rs test_collation
  it.each([
    [Collation.Binary, "Max", ["B", "a"], "a"],
    [Collation.Utf8Mb4Bin, "Max", ["B", "a"], "a"],
    [Collation.Utf8Mb4GeneralCi, "Max", ["B", "a"], "B"],
    [Collation.Utf8Mb4UnicodeCi, "Max", ["ß", "sr"], "ß"],
    [Collation.Utf8Mb4BinNoPadding, "Max", ["B", "a"], "a"],
    [Collation.Binary, "Min", ["B", "a"], "B"],
    [Collation.Utf8Mb4Bin, "Min", ["B", "a"], "B"],
    [Collation.Utf8Mb4GeneralCi, "Min", ["B", "a"], "a"],
    [Collation.Utf8Mb4UnicodeCi, "Min", ["ß", "st"], "ß"],
    [Collation.Utf8Mb4BinNoPadding, "Min", ["B", "a"], "B"],
  ] as const)("collation %s %s of %j is %s", (coll, kind, args, expected) => {
    const c = ctx();
    const state = new AggrFnExtremum(kind, EvalType.Bytes, collatorFor(coll)).createState();
    const bytesFt = ft(FieldTypeTp.VarString, { collate: coll });
    expect(pushed(state, [bytesFt])).toEqual([null]);
    for (const a of args) state.update(c, utf8(a));
    expect(text(pushed(state, [bytesFt])[0])).toBe(expected);
    // The same through a column, vector and row forms.
    const col = ChunkedVecBytes.fromValues([...args]);
    const def = aggrOfColumn(kind === "Max" ? E.Max : E.Min, bytesFt, bytesFt);
    expect(text(runVector(def, [bytesFt], [col]).result[0])).toBe(expected);
    expect(text(runRows(def, [bytesFt], [col])[0])).toBe(expected);
  });

  it("ties keep the first value seen (general_ci: 'a' then 'A')", () => {
    const ci = ft(FieldTypeTp.VarString, { collate: Collation.Utf8Mb4GeneralCi });
    const col = ChunkedVecBytes.fromValues(["a", "A", "a "]);
    expect(text(runVector(aggrOfColumn(E.Max, ci, ci), [ci], [col]).result[0])).toBe("a");
    expect(text(runVector(aggrOfColumn(E.Min, ci, ci), [ci], [col]).result[0])).toBe("a");
  });
});

describe("MAX / MIN through the parser", () => {
  function maxMin(
    schemaFt: ReturnType<typeof ft>,
    col: Parameters<typeof runVector>[2][0],
    rows: Uint32Array | null = null,
  ) {
    const max = runVector(aggrOfColumn(E.Max, schemaFt, schemaFt), [schemaFt], [col], rows);
    const min = runVector(aggrOfColumn(E.Min, schemaFt, schemaFt), [schemaFt], [col], rows);
    expect(runRows(aggrOfColumn(E.Max, schemaFt, schemaFt), [schemaFt], [col], rows)).toEqual(max.result);
    expect(runRows(aggrOfColumn(E.Min, schemaFt, schemaFt), [schemaFt], [col], rows)).toEqual(min.result);
    return [max.result[0], min.result[0]];
  }

  // TiKV impl_max_min.rs test_integration
  it("BIGINT over logical rows", () => {
    const col = ChunkedVecInt.fromValues([10000, 1, 23, 42, -10000, null, 99, -1]);
    expect(maxMin(LONGLONG, col, new Uint32Array([3, 2, 6, 5, 1, 7]))).toEqual([99n, -1n]);
  });

  // TiKV impl_max_min.rs test_aggr_unsigned_signed_int: the same bits order differently by sign.
  it("BIGINT UNSIGNED and signed order the same bits differently", () => {
    const u = ft(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned });
    const bits = [null, -1n, 2420174916247255494n, 3899490809029152765n];
    const ucol = ChunkedVecInt.fromValues(
      bits.map((b) => (b === null ? null : BigInt.asUintN(64, b))),
      { unsigned: true },
    );
    expect(maxMin(u, ucol)).toEqual([18446744073709551615n, 2420174916247255494n]);
    expect(maxMin(LONGLONG, ChunkedVecInt.fromValues(bits))).toEqual([3899490809029152765n, -1n]);
  });

  // TiKV impl_max_min.rs test_illegal_request
  it("rejects a result type other than the argument's", () => {
    expect(catchError(() => parse(aggrOfColumn(E.Max, DOUBLE, LONGLONG), [LONGLONG]))).toMatchObject({
      name: "ExprError",
    });
  });

  it("an unknown result collation is unsupported, as in TiKV, whatever the type", () => {
    const weird = ft(FieldTypeTp.LongLong, { collate: -9999 });
    expect(catchError(() => parse(aggrOfColumn(E.Max, weird, LONGLONG), [LONGLONG]))).toMatchObject({
      name: "UnsupportedError",
    });
  });

  it("DOUBLE, DECIMAL, DATETIME, TIME", () => {
    expect(maxMin(DOUBLE, ChunkedVecReal.fromValues([1.5, null, -2, 1e300]))).toEqual([1e300, -2]);
    const d = (s: string) => Decimal.fromString(s);
    const [dmax, dmin] = maxMin(
      DECIMAL,
      ChunkedVecDecimal.fromValues([d("1.10"), d("-3"), null, d("1.1000001")]),
    );
    expect([String(dmax), String(dmin)]).toEqual(["1.1000001", "-3"]);
    const dt = ft(FieldTypeTp.DateTime, { decimal: 6 });
    const t = (s: string) => Time.parseDatetime(ctx(), s, 6, false);
    const [tmax, tmin] = maxMin(
      dt,
      ChunkedVecDateTime.fromValues([
        t("2020-01-01 00:00:00"),
        null,
        t("1999-12-31 23:59:59.5"),
        t("2020-01-01 00:00:00.000001"),
      ]),
    );
    expect([String(tmax), String(tmin)]).toEqual([
      "2020-01-01 00:00:00.000001",
      "1999-12-31 23:59:59.500000",
    ]);
    const dur = ft(FieldTypeTp.Duration, { decimal: 0 });
    const [umax, umin] = maxMin(
      dur,
      ChunkedVecDuration.fromValues([Duration.fromNanos(5e9, 0), Duration.fromNanos(-3600e9, 0), null], 0),
    );
    expect([(umax as Duration).nanos, (umin as Duration).nanos]).toEqual([5e9, -3600e9]);
  });

  it("JSON orders by MySQL's JSON comparison", () => {
    const json = ft(FieldTypeTp.Json);
    const i64 = (v: bigint) => {
      const b = new Uint8Array(9);
      b[0] = 0x09;
      new DataView(b.buffer).setBigInt64(1, v, true);
      return b;
    };
    const str = (s: string) => new Uint8Array([0x0c, s.length, ...utf8(s)]);
    const lit = (v: number) => new Uint8Array([0x04, v]);
    // Numbers < strings < booleans; null literal lowest.
    const col = ChunkedVecJson.fromValues([
      i64(5n),
      str("abc"),
      null,
      lit(0x01),
      i64(-7n),
      lit(0x00),
      str("abd"),
    ]);
    const [max, min] = maxMin(json, col);
    expect(max).toEqual(lit(0x01));
    expect(min).toEqual(lit(0x00));
    const [nmax, nmin] = maxMin(json, col, new Uint32Array([0, 4, 1, 6]));
    expect([nmax, nmin]).toEqual([str("abd"), i64(-7n)]);
  });

  it("VECTOR orders element by element, then by length", () => {
    const vec = ft(FieldTypeTp.TiDBVectorFloat32);
    const col = ChunkedVecVectorFloat32.fromValues([
      new Float32Array([1, 2]),
      new Float32Array([1, 2, 0]),
      null,
      new Float32Array([0.5, 9]),
    ]);
    const [max, min] = maxMin(vec, col);
    expect(Array.from(max as Float32Array)).toEqual([1, 2, 0]);
    expect(Array.from(min as Float32Array)).toEqual([0.5, 9]);
  });

  it("all NULL and empty input give NULL", () => {
    expect(maxMin(LONGLONG, ChunkedVecInt.fromValues([null, null]))).toEqual([null, null]);
    expect(maxMin(LONGLONG, ChunkedVecInt.fromValues([1]), new Uint32Array(0))).toEqual([null, null]);
  });
});
