// Row format v1 (datum pairs) read by the same batch decoder as row v2, as a table scan meets both
// on disk. Layout of TiKV codec/table.rs (`cut_row`) and TiDB tablecodec.EncodeOldRow: column id as
// a VAR_INT datum, then the value datum in value form, repeated; an empty row is a lone NIL byte.
import {
  type ChunkedVecBytes,
  type ChunkedVecDateTime,
  type ChunkedVecDecimal,
  type ChunkedVecInt,
  CodecError,
  Decimal,
  EvalContext,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  Time,
} from "@copr/datatype";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteWriter } from "../src/buf.js";
import { Datum, encodeValue, VAR_INT_FLAG, writeDatum } from "../src/datum.js";
import { encodeRowV2 } from "../src/row-v2.js";
import { columnDefaultValue, RowV2BatchDecoder } from "../src/row-v2-decoder.js";

const ctx = EvalContext.forTest();
const int = fieldType(FieldTypeTp.LongLong);
const varchar = fieldType(FieldTypeTp.VarChar);
const dec = fieldType(FieldTypeTp.NewDecimal, { flen: 10, decimal: 2 });
const datetime = fieldType(FieldTypeTp.DateTime, { decimal: 0 });
const notNullInt = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.NotNull });

/** A v1 row: [id, value] datum pairs in value form (TiDB EncodeOldRow). */
function v1Row(pairs: [number, Datum][]): Uint8Array {
  if (pairs.length === 0) return Uint8Array.of(0);
  return encodeValue(pairs.flatMap(([id, d]) => [Datum.int(id), d]));
}

describe("row v1 in the batch decoder", () => {
  const t = Time.parseDatetime(ctx, "2020-02-29 23:59:59", 0, true);
  const specs = [
    { id: 1, ft: int, role: "pkHandle" as const },
    { id: 2, ft: varchar },
    { id: 3, ft: dec },
    { id: 5, ft: datetime },
    { id: 6, ft: int, defaultValue: 42 },
  ];

  it("hand-worked bytes: id 2 = 'ab'", () => {
    // VAR_INT_FLAG 08, zigzag(2) = 04; COMPACT_BYTES_FLAG 02, zigzag(2) = 04, "ab"
    expect(Buffer.from(v1Row([[2, Datum.bytes("ab")]])).toString("hex")).toBe("0804" + "02046162");
  });

  it("mixes v1 and v2 rows, in any column order, with defaults and the pk handle", () => {
    const d = new RowV2BatchDecoder(specs, { ctx });
    // v1, columns out of order, an unrequested column 4 in the middle, 6 missing -> default
    d.appendRow(
      v1Row([
        [5, Datum.time(t)],
        [4, Datum.float(1.5)],
        [2, Datum.bytes("v1")],
        [3, Datum.decimal(Decimal.fromString("12.50"), 10, 2)],
      ]),
      7,
    );
    // v2 row
    d.appendRow(encodeRowV2([2, 3, 6], [varchar, dec, int], ["v2", Decimal.fromString("-1.25"), 9]), 8);
    // an empty v1 row: every column missing
    d.appendRow(v1Row([]), 9);
    // v1 with an explicit NULL
    d.appendRow(v1Row([[2, Datum.NULL]]), 10);
    const [h, s, de, dt, six] = d.finish();
    expect([0, 1, 2, 3].map((i) => (h as ChunkedVecInt).get(i))).toEqual([7n, 8n, 9n, 10n]);
    const str = (i: number) => {
      const v = (s as ChunkedVecBytes).get(i);
      return v === null ? null : Buffer.from(v).toString();
    };
    expect([0, 1, 2, 3].map(str)).toEqual(["v1", "v2", null, null]);
    expect([0, 1, 2, 3].map((i) => (de as ChunkedVecDecimal).get(i)?.toString() ?? null)).toEqual([
      "12.50",
      "-1.25",
      null,
      null,
    ]);
    expect((dt as ChunkedVecDateTime).get(0)?.toString()).toBe("2020-02-29 23:59:59");
    expect([1, 2, 3].map((i) => dt!.isNull(i))).toEqual([true, true, true]);
    expect([0, 1, 2, 3].map((i) => (six as ChunkedVecInt).get(i))).toEqual([42n, 9n, 42n, 42n]);
  });

  it("reads the same values from v1 and v2 encodings of random rows", () => {
    const row = fc.record({
      a: fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { nil: null }),
      b: fc.option(fc.string({ maxLength: 10 }), { nil: null }),
      c: fc.option(fc.integer({ min: -99999999, max: 99999999 }), { nil: null }),
    });
    const fts = [int, varchar, dec];
    fc.assert(
      fc.property(fc.array(row, { maxLength: 10 }), (rows) => {
        const spec = fts.map((ft, i) => ({ id: 10 + i, ft }));
        const d1 = new RowV2BatchDecoder(spec, { ctx });
        const d2 = new RowV2BatchDecoder(spec, { ctx });
        for (const r of rows) {
          const decv = r.c === null ? null : Decimal.fromString((r.c / 100).toFixed(2));
          const asDatum = (v: unknown, k: "a" | "b" | "c"): Datum =>
            v === null
              ? Datum.NULL
              : k === "a"
                ? Datum.int(v as bigint)
                : k === "b"
                  ? Datum.bytes(v as string)
                  : Datum.decimal(v as Decimal, 10, 2);
          d1.appendRow(
            v1Row([
              [12, asDatum(decv, "c")],
              [10, asDatum(r.a, "a")],
              [11, asDatum(r.b, "b")],
            ]),
          );
          d2.appendRow(encodeRowV2([10, 11, 12], fts, [r.a, r.b, decv]));
        }
        const c1 = d1.finish();
        const c2 = d2.finish();
        for (let i = 0; i < rows.length; i++) {
          expect((c1[0] as ChunkedVecInt).get(i)).toBe((c2[0] as ChunkedVecInt).get(i));
          expect((c1[1] as ChunkedVecBytes).get(i)).toEqual((c2[1] as ChunkedVecBytes).get(i));
          expect((c1[2] as ChunkedVecDecimal).get(i)?.toString()).toBe(
            (c2[2] as ChunkedVecDecimal).get(i)?.toString(),
          );
        }
      }),
    );
  });

  it("rejects corrupt v1 rows with CodecErrors naming row v1", () => {
    const d = () => new RowV2BatchDecoder([{ id: 2, ft: int }], { ctx });
    // a column id that is not an integer datum
    expect(() => d().appendRow(Uint8Array.of(5, 0, 0, 0, 0, 0, 0, 0, 0))).toThrow(
      /row v1: column id datum has flag 5/,
    );
    // a column twice
    const twice = v1Row([
      [2, Datum.int(1)],
      [2, Datum.int(2)],
    ]);
    expect(() => d().appendRow(twice)).toThrow(/column 2 appears twice/);
    // NOT NULL column missing
    expect(() =>
      new RowV2BatchDecoder([{ id: 2, ft: notNullInt }]).appendRow(v1Row([[3, Datum.int(1)]])),
    ).toThrow(/missing data for NOT NULL column/);
    // a value of the wrong kind for the column
    expect(() => d().appendRow(v1Row([[2, Datum.bytes("x")]]))).toThrow(CodecError);
    // every truncation of a good row
    const good = v1Row([
      [1, Datum.bytes("hello")],
      [2, Datum.int(-77)],
    ]);
    for (let n = 1; n < good.length; n++) {
      try {
        d().appendRow(good.subarray(0, n));
      } catch (e) {
        expect(e).toBeInstanceOf(CodecError);
      }
    }
    // the id datum may also be a fixed INT datum
    const w = new ByteWriter();
    writeDatum(w, Datum.int(2), true);
    writeDatum(w, Datum.int(5), false);
    const dd = d();
    dd.appendRow(w.finish());
    expect((dd.finish()[0] as ChunkedVecInt).get(0)).toBe(5n);
    expect(VAR_INT_FLAG).toBe(8);
  });
});

describe("columnDefaultValue", () => {
  it("decodes ColumnInfo.default_val datums with the column's type", () => {
    // VAR_INT_FLAG, zigzag(42) = 84
    expect(columnDefaultValue(Uint8Array.of(8, 84), int)).toBe(42n);
    expect(columnDefaultValue(Uint8Array.of(0), int)).toBeNull();
    expect(columnDefaultValue(undefined, int)).toBeUndefined();
    expect(columnDefaultValue(new Uint8Array(), int)).toBeUndefined();
    const d = columnDefaultValue(
      encodeValue([Datum.decimal(Decimal.fromString("4.50"), 10, 2)]),
      dec,
    ) as Decimal;
    expect(d.toString()).toBe("4.50");
    expect(() => columnDefaultValue(Uint8Array.of(8, 84, 0), int)).toThrow(/column default: 1 bytes after/);
    // Used by the decoder for rows without the column.
    const dv = columnDefaultValue(encodeValue([Datum.bytes("n/a")]), varchar);
    const dd = new RowV2BatchDecoder([
      { id: 9, ft: varchar, ...(dv === undefined ? {} : { defaultValue: dv }) },
    ]);
    dd.appendRow(v1Row([]));
    expect(Buffer.from((dd.finish()[0] as ChunkedVecBytes).get(0)!).toString()).toBe("n/a");
  });
});
