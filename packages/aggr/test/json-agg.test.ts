// JSON_ARRAYAGG and JSON_OBJECTAGG. TiKV has none; behaviour of TiDB
// pkg/executor/aggfuncs/func_json_arrayagg.go / func_json_objectagg.go (`getRealJSONValue`) and
// MySQL's documentation (NULL values kept as JSON null, duplicate keys: the last value wins).
import { decodeJsonBinary, encodeJsonBinary } from "@copr/codec";
import {
  ChunkedVecBytes,
  ChunkedVecDateTime,
  ChunkedVecDecimal,
  ChunkedVecDuration,
  ChunkedVecEnum,
  ChunkedVecInt,
  ChunkedVecJson,
  ChunkedVecReal,
  Collation,
  Decimal,
  Duration,
  EvalContext,
  FieldTypeFlag,
  FieldTypeTp,
  Json,
  jsonToString,
  parseJson,
  Time,
} from "@copr/datatype";
import { columnRef, constBytes } from "@copr/expr";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mergeJsonArrayAgg, mergeJsonObjectAgg } from "../src/index.js";
import {
  aggr,
  aggrOfColumn,
  catchError,
  DOUBLE,
  E,
  ft,
  LONGLONG,
  parse,
  runRows,
  runVector,
} from "./helpers.js";

const JSON_FT = ft(FieldTypeTp.Json);
const UTF8 = ft(FieldTypeTp.VarString, { collate: Collation.Utf8Mb4Bin, charset: "utf8mb4" });
const BLOB = ft(FieldTypeTp.Blob);
const text = (v: unknown) => (v === null ? null : jsonToString(decodeJsonBinary(v as Uint8Array)));
const doc = (s: string) => encodeJsonBinary(parseJson(s));

describe("JSON_ARRAYAGG", () => {
  it("collects values in row order, NULL as JSON null", () => {
    const col = ChunkedVecInt.fromValues([3, null, -1, 3]);
    const r = runVector(aggrOfColumn(E.JsonArrayAgg, JSON_FT, LONGLONG), [LONGLONG], [col]);
    expect(r.parsed.fieldTypes).toEqual([JSON_FT]);
    expect(r.parsed.fn.name).toBe("AggrFnJsonArrayAgg<Int>");
    expect(text(r.result[0])).toBe("[3, null, -1, 3]");
    expect(runRows(aggrOfColumn(E.JsonArrayAgg, JSON_FT, LONGLONG), [LONGLONG], [col]).map(text)).toEqual([
      "[3, null, -1, 3]",
    ]);
    const rows = new Uint32Array([1]);
    expect(
      text(runVector(aggrOfColumn(E.JsonArrayAgg, JSON_FT, LONGLONG), [LONGLONG], [col], rows).result[0]),
    ).toBe("[null]");
  });

  it("an empty group is NULL", () => {
    const col = ChunkedVecInt.fromValues([]);
    expect(runVector(aggrOfColumn(E.JsonArrayAgg, JSON_FT, LONGLONG), [LONGLONG], [col]).result).toEqual([
      null,
    ]);
  });

  it.each([
    [
      "BIGINT UNSIGNED",
      ft(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned }),
      ChunkedVecInt.fromValues([18446744073709551615n], { unsigned: true }),
      "[18446744073709551615]",
    ],
    ["DOUBLE", DOUBLE, ChunkedVecReal.fromValues([1.5, -0.25]), "[1.5, -0.25]"],
    [
      "DECIMAL (as a double)",
      ft(FieldTypeTp.NewDecimal),
      ChunkedVecDecimal.fromValues([Decimal.fromString("1.50")]),
      "[1.5]",
    ],
    ["VARCHAR utf8mb4", UTF8, ChunkedVecBytes.fromValues(['a"b', "数据"]), '["a\\"b", "数据"]'],
    ["BLOB (binary: opaque)", BLOB, ChunkedVecBytes.fromValues(["ab"]), '["base64:type252:YWI="]'],
    [
      "BINARY(4) (padded opaque)",
      ft(FieldTypeTp.String, { flen: 4 }),
      ChunkedVecBytes.fromValues(["ab"]),
      '["base64:type254:YWIAAA=="]',
    ],
    [
      "JSON",
      JSON_FT,
      ChunkedVecJson.fromValues([doc('{"k": [1, true]}'), doc('"s"')]),
      '[{"k": [1, true]}, "s"]',
    ],
    [
      "ENUM (its name)",
      ft(FieldTypeTp.Enum, { elems: ["x", "y"] }),
      ChunkedVecEnum.fromValues([2, 1], ["x", "y"]),
      '["y", "x"]',
    ],
  ])("reads %s", (_name, argFt, col, want) => {
    expect(text(runVector(aggrOfColumn(E.JsonArrayAgg, JSON_FT, argFt), [argFt], [col]).result[0])).toBe(
      want,
    );
  });

  it("reads dates and times as JSON dates and times", () => {
    const c = EvalContext.forTest();
    const DATE = ft(FieldTypeTp.Date);
    const dates = ChunkedVecDateTime.fromValues([Time.parseDate(c, "2024-02-29")]);
    expect(text(runVector(aggrOfColumn(E.JsonArrayAgg, JSON_FT, DATE), [DATE], [dates]).result[0])).toBe(
      '["2024-02-29"]',
    );
    const TIME = ft(FieldTypeTp.Duration, { decimal: 0 });
    const times = ChunkedVecDuration.fromValues([Duration.fromSecs(3723, 0)], 0);
    expect(text(runVector(aggrOfColumn(E.JsonArrayAgg, JSON_FT, TIME), [TIME], [times]).result[0])).toBe(
      '["01:02:03.000000"]',
    );
  });

  it("merges partials by concatenating the arrays in order", () => {
    const col = ChunkedVecInt.fromValues([1, 2, 3, 4, 5]);
    const part = (rows: number[]) =>
      runVector(aggrOfColumn(E.JsonArrayAgg, JSON_FT, LONGLONG), [LONGLONG], [col], new Uint32Array(rows))
        .result[0] as Uint8Array | null;
    expect(text(mergeJsonArrayAgg([part([0, 1]), part([]), part([4, 2])]))).toBe("[1, 2, 5, 3]");
    expect(mergeJsonArrayAgg([part([]), null])).toBeNull();
  });

  it("rejects a vector argument, DISTINCT and a non-JSON result type", () => {
    const V = ft(FieldTypeTp.TiDBVectorFloat32);
    expect(catchError(() => parse(aggrOfColumn(E.JsonArrayAgg, JSON_FT, V), [V]))).toMatchObject({
      name: "UnsupportedError",
    });
    const def = aggrOfColumn(E.JsonArrayAgg, JSON_FT, LONGLONG);
    expect(catchError(() => parse({ ...def, hasDistinct: true }, [LONGLONG]))).toMatchObject({
      name: "UnsupportedError",
    });
    expect(catchError(() => parse(aggrOfColumn(E.JsonArrayAgg, UTF8, LONGLONG), [LONGLONG]))).toMatchObject({
      name: "ExprError",
    });
  });
});

function objectAgg(key: ReturnType<typeof columnRef>, value: ReturnType<typeof columnRef>) {
  return aggr(E.JsonObjectAgg, JSON_FT, key, value);
}

describe("JSON_OBJECTAGG", () => {
  it("builds an object; a later row's value replaces an earlier one of the same key", () => {
    const k = ChunkedVecBytes.fromValues(["b", "a", "b", "c"]);
    const v = ChunkedVecInt.fromValues([1, 2, 3, null]);
    const schema = [UTF8, LONGLONG];
    const def = objectAgg(columnRef(0, UTF8), columnRef(1, LONGLONG));
    const r = runVector(def, schema, [k, v]);
    expect(r.parsed.fn.name).toBe("AggrFnJsonObjectAgg");
    expect(text(r.result[0])).toBe('{"a": 2, "b": 3, "c": null}');
    expect(runRows(def, schema, [k, v]).map(text)).toEqual(['{"a": 2, "b": 3, "c": null}']);
    expect(runVector(def, schema, [k, v], new Uint32Array([])).result).toEqual([null]);
  });

  it("casts a non-string key to a string; a constant key collects the last value", () => {
    const k = ChunkedVecInt.fromValues([10, 2, 10]);
    const v = ChunkedVecBytes.fromValues(["x", "y", "z"]);
    const schema = [LONGLONG, UTF8];
    expect(
      text(runVector(objectAgg(columnRef(0, LONGLONG), columnRef(1, UTF8)), schema, [k, v]).result[0]),
    ).toBe('{"10": "z", "2": "y"}');
    expect(
      text(runVector(objectAgg(constBytes("k", UTF8), columnRef(1, UTF8)), schema, [k, v]).result[0]),
    ).toBe('{"k": "z"}');
  });

  it("a NULL key is error 3158; a binary-charset key error 3144 (only when a row arrives)", () => {
    const schema = [UTF8, LONGLONG];
    const v = ChunkedVecInt.fromValues([1, 2]);
    const nullKey = ChunkedVecBytes.fromValues(["a", null]);
    expect(
      catchError(() =>
        runVector(objectAgg(columnRef(0, UTF8), columnRef(1, LONGLONG)), schema, [nullKey, v]),
      ),
    ).toMatchObject({
      name: "EvalError",
      code: 3158,
      message: "JSON documents may not contain NULL member names.",
    });
    const binSchema = [BLOB, LONGLONG];
    const bin = objectAgg(columnRef(0, BLOB), columnRef(1, LONGLONG));
    expect(
      catchError(() => runVector(bin, binSchema, [ChunkedVecBytes.fromValues(["a", "b"]), v])),
    ).toMatchObject({
      code: 3144,
    });
    expect(
      runVector(bin, binSchema, [ChunkedVecBytes.fromValues([]), ChunkedVecInt.fromValues([])]).result,
    ).toEqual([null]);
  });

  it("merges partials with later partials' keys winning", () => {
    const k = ChunkedVecBytes.fromValues(["a", "b", "a", "c"]);
    const v = ChunkedVecInt.fromValues([1, 2, 3, 4]);
    const part = (rows: number[]) =>
      runVector(
        objectAgg(columnRef(0, UTF8), columnRef(1, LONGLONG)),
        [UTF8, LONGLONG],
        [k, v],
        new Uint32Array(rows),
      ).result[0] as Uint8Array | null;
    expect(text(mergeJsonObjectAgg([part([0, 1]), null, part([2, 3])]))).toBe('{"a": 3, "b": 2, "c": 4}');
    expect(text(mergeJsonObjectAgg([part([2, 3]), part([0, 1])]))).toBe('{"a": 1, "b": 2, "c": 4}');
    expect(mergeJsonObjectAgg([null])).toBeNull();
  });

  it("takes exactly two arguments", () => {
    const one = aggr(E.JsonObjectAgg, JSON_FT, columnRef(0, UTF8));
    expect(() => parse(one, [UTF8])).toThrow(
      /JsonObjectAgg: Expect 2 parameters \(the key and the value\), but got 1/,
    );
  });

  it("merging any split equals the aggregate of all rows (both aggregates)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("a", "b", "c", "d"), fc.option(fc.integer(), { nil: null })), {
          maxLength: 30,
        }),
        fc.nat(30),
        (rows, cut) => {
          const at = Math.min(cut, rows.length);
          const k = ChunkedVecBytes.fromValues(rows.map((r) => r[0]));
          const v = ChunkedVecInt.fromValues(rows.map((r) => r[1]));
          const schema = [UTF8, LONGLONG];
          const idx = [...rows.keys()];
          const run = (def: ReturnType<typeof aggr>, sel: number[]) =>
            runVector(def, schema, [k, v], new Uint32Array(sel)).result[0] as Uint8Array | null;
          const arr = aggrOfColumn(E.JsonArrayAgg, JSON_FT, LONGLONG, 1);
          const obj = objectAgg(columnRef(0, UTF8), columnRef(1, LONGLONG));
          for (const [def, merge] of [
            [arr, mergeJsonArrayAgg],
            [obj, mergeJsonObjectAgg],
          ] as const) {
            const whole = run(def, idx);
            expect(text(merge([run(def, idx.slice(0, at)), run(def, idx.slice(at))]))).toBe(text(whole));
          }
          const expected =
            rows.length === 0
              ? null
              : jsonToString(
                  Json.object(rows.map(([key, n]) => [key, n === null ? Json.null() : Json.i64(n)] as const)),
                );
          expect(text(run(obj, idx))).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
