import {
  type ChunkedVecBytesBuilder,
  type ChunkedVecInt,
  CodecError,
  Decimal,
  Duration,
  EvalContext,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  MySqlSet,
  SqlMode,
  Time,
  TimeZone,
} from "@copr/datatype";
import { describe, expect, it } from "vitest";
import { encodeRowV2, RowV2Slice } from "../src/row-v2.js";
import { RowV2BatchDecoder } from "../src/row-v2-decoder.js";
import { actual } from "./row-v2-fixtures.js";

const int = fieldType(FieldTypeTp.LongLong);
const uint = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned });
const notNullInt = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.NotNull });
const varchar = fieldType(FieldTypeTp.VarChar);
const double = fieldType(FieldTypeTp.Double);
const dec = fieldType(FieldTypeTp.NewDecimal, { flen: 10, decimal: 2 });
const ctx = new EvalContext();

function col(c: ReturnType<RowV2BatchDecoder["finish"]>[number]): unknown[] {
  return Array.from({ length: c.length }, (_, i) => actual(c, i));
}

describe("RowV2BatchDecoder", () => {
  // Mirrors the fixture of TiKV table_scan_executor.rs tests: ID (INT, PK handle), Foo (INT),
  // Bar (DOUBLE, default 4.5); ids 1, 2, 4.
  it("TiKV table scan fixture: pk handle, NULLs and defaults", () => {
    const fts = [int, int, double];
    const rows: [number, Uint8Array][] = [
      [1, encodeRowV2([2, 4], [int, double], [10, 5.2])],
      [3, encodeRowV2([2, 4], [int, double], [-5, null])],
      [4, encodeRowV2([2], [int], [null])],
      [5, encodeRowV2([2, 4], [int, double], [null, 0.1])],
      [6, encodeRowV2([2], [int], [null])],
    ];
    const d = new RowV2BatchDecoder([
      { id: 1, ft: fts[0], role: "pkHandle" },
      { id: 2, ft: fts[1] },
      { id: 4, ft: fts[2], defaultValue: 4.5 },
    ]);
    for (const [h, r] of rows) d.appendRow(r, h);
    expect(d.rowCount).toBe(5);
    const [id, foo, bar] = d.finish();
    expect(col(id)).toEqual([1n, 3n, 4n, 5n, 6n]);
    expect(col(foo)).toEqual([10n, -5n, null, null, null]);
    expect(col(bar)).toEqual([5.2, null, 4.5, 0.1, 4.5]);
    expect(d.rowCount).toBe(0);
  });

  it("missing columns: NULL when nullable, default when given, NULL default, error when NOT NULL", () => {
    const row = encodeRowV2([1], [int], [7]);
    const d = new RowV2BatchDecoder([
      { id: 1, ft: int },
      { id: 2, ft: int },
      { id: 3, ft: varchar, defaultValue: "dflt" },
      { id: 4, ft: notNullInt, defaultValue: null },
      { id: 5, ft: dec, defaultValue: Decimal.fromString("1.50") },
      { id: 6, ft: fieldType(FieldTypeTp.Duration, { decimal: 0 }), defaultValue: Duration.fromSecs(61, 0) },
    ]);
    d.appendRow(row);
    d.appendRow(new Uint8Array(0)); // an empty value: every column missing
    d.appendRow(Uint8Array.of(0)); // a lone NIL datum: the same
    const cols = d.finish();
    expect(cols.map((c) => actual(c, 0))).toEqual([
      7n,
      null,
      [...new TextEncoder().encode("dflt")],
      null,
      "1.50",
      61e9,
    ]);
    expect(cols.map((c) => actual(c, 1))).toEqual([null, null, [100, 102, 108, 116], null, "1.50", 61e9]);
    expect(cols.map((c) => c.length)).toEqual([3, 3, 3, 3, 3, 3]);

    const strict = new RowV2BatchDecoder([{ id: 9, ft: notNullInt }]);
    expect(() => strict.appendRow(row)).toThrow(/missing data for NOT NULL column \(offset = 0, id = 9\)/);
    // a NOT NULL column the row lists as NULL reads as NULL (TiKV does not check)
    const listed = new RowV2BatchDecoder([{ id: 1, ft: notNullInt }]);
    listed.appendRow(encodeRowV2([1], [int], [null]));
    expect(listed.finish()[0].isNull(0)).toBe(true);
  });

  it("pk handles: signed, unsigned, beyond 2^53 as words", () => {
    const d = new RowV2BatchDecoder([
      { id: 1, ft: int, role: "pkHandle" },
      { id: 1, ft: uint, role: "pkHandle" },
    ]);
    const row = encodeRowV2([1], [int], [99]); // a row value mentioning the handle id is ignored for it
    d.appendRow(row, -5);
    d.appendRowWithHandleWords(row, 0xffff_ffff, 0x7fff_ffff);
    d.appendRowWithHandleWords(row, 0, 0x8000_0000);
    const [s, u] = d.finish();
    expect(col(s)).toEqual([-5n, 2n ** 63n - 1n, -(2n ** 63n)]);
    expect(col(u)).toEqual([2n ** 64n - 5n, 2n ** 63n - 1n, 2n ** 63n]);
    expect((s as ChunkedVecInt).data.repr).toBe("i64");
  });

  it("external columns are left to the caller", () => {
    const d = new RowV2BatchDecoder([
      { id: 1, ft: int },
      { id: 2, ft: varchar, role: "external" },
    ]);
    d.appendRow(encodeRowV2([1, 2], [int, varchar], [1, "in row"]));
    (d.builders[1] as ChunkedVecBytesBuilder).appendString("from key");
    const [a, b] = d.finish();
    expect(actual(a, 0)).toBe(1n);
    expect(new TextDecoder().decode(b.get(0) as Uint8Array)).toBe("from key");
  });

  it("two requested columns with the same id: the later one is read, the earlier gets its default (TiKV)", () => {
    const d = new RowV2BatchDecoder([
      { id: 1, ft: int, defaultValue: 42 },
      { id: 1, ft: int },
    ]);
    d.appendRow(encodeRowV2([1], [int], [7]));
    expect(d.finish().map((c) => actual(c, 0))).toEqual([42n, 7n]);
  });

  it("ids outside the row's id range read as missing", () => {
    const d = new RowV2BatchDecoder([
      { id: 0, ft: int },
      { id: -1, ft: int },
      { id: 256, ft: int },
      { id: 2 ** 32, ft: int },
    ]);
    d.appendRow(encodeRowV2([1], [int], [7]));
    expect(d.finish().map((c) => actual(c, 0))).toEqual([null, null, null, null]);
  });

  it("TIMESTAMP values are shown in the session zone; zero dates follow the sql mode", () => {
    const ts = fieldType(FieldTypeTp.Timestamp, { decimal: 0 });
    const dt = fieldType(FieldTypeTp.DateTime, { decimal: 0 });
    const shanghai = new EvalContext({ timeZone: TimeZone.fromName("Asia/Shanghai") });
    const t = Time.parseTimestamp(shanghai, "2020-05-01 08:00:00", 0, false);
    const row = encodeRowV2([1, 2], [ts, dt], [t, Time.zero(ctx, 0, "DateTime")], { ctx: shanghai });
    // stored in UTC
    const utcRow = encodeRowV2([1], [ts], [Time.parseTimestamp(ctx, "2020-05-01 00:00:00", 0, false)]);
    expect(RowV2Slice.fromBytes(row).get(1)).toEqual(RowV2Slice.fromBytes(utcRow).get(1));
    const d = new RowV2BatchDecoder(
      [
        { id: 1, ft: ts },
        { id: 2, ft: dt },
      ],
      { ctx: shanghai },
    );
    d.appendRow(row);
    const [a, b] = d.finish();
    expect((a.get(0) as Time).toString()).toBe("2020-05-01 08:00:00");
    expect((b.get(0) as Time).toString()).toBe("0000-00-00 00:00:00");

    const strict = new EvalContext({ sqlMode: SqlMode.StrictAllTables | SqlMode.NoZeroDate });
    const s = new RowV2BatchDecoder([{ id: 2, ft: dt }], { ctx: strict });
    expect(() => s.appendRow(row)).toThrow(CodecError);
  });

  it("SET masks and ENUM indexes; an ENUM index past the members is an error", () => {
    const elems = ["x", "y"];
    const set = fieldType(FieldTypeTp.Set, { elems });
    const en = fieldType(FieldTypeTp.Enum, { elems });
    const d = new RowV2BatchDecoder([
      { id: 1, ft: set },
      { id: 2, ft: en },
    ]);
    d.appendRow(encodeRowV2([1, 2], [set, en], [MySqlSet.fromValue(elems, 3), 2]));
    d.appendRow(encodeRowV2([1, 2], [set, en], [0, 0]));
    const [s, e] = d.finish();
    expect(col(s)).toEqual(["3:0", "0:0"]);
    expect(col(e)).toEqual([2, 0]);
    const bad = new RowV2BatchDecoder([{ id: 2, ft: en }]);
    expect(() => bad.appendRow(encodeRowV2([2], [int], [3]))).toThrow(/enum index 3 outside the 2 members/);
  });

  it("a NaN double reads as NULL", () => {
    const d = new RowV2BatchDecoder([{ id: 1, ft: double }]);
    d.appendRow(encodeRowV2([1], [varchar], [Uint8Array.of(0xff, 0xf8, 0, 0, 0, 0, 0, 0)]));
    expect(d.finish()[0].isNull(0)).toBe(true);
  });

  it("rejects corrupt v1 rows and headers with CodecError; checkHeader=false reads what it needs", () => {
    const d = new RowV2BatchDecoder([{ id: 2, ft: int }]);
    // a v1 row: column id 1 (VAR_INT 2), then a COMPACT_BYTES datum cut short
    expect(() => d.appendRow(Uint8Array.of(8, 2, 2))).toThrow(/row v1: truncated/);
    // ids 2, 1 (not ascending), values 5, 6
    const swapped = Uint8Array.of(128, 0, 2, 0, 0, 0, 2, 1, 1, 0, 2, 0, 5, 6);
    expect(() => new RowV2BatchDecoder([{ id: 2, ft: int }]).appendRow(swapped)).toThrow(CodecError);
    // as in TiKV, a binary search over unsorted ids may miss a column (read as missing here)
    const lenient = new RowV2BatchDecoder(
      [
        { id: 1, ft: int },
        { id: 2, ft: int },
      ],
      { checkHeader: false },
    );
    lenient.appendRow(swapped);
    expect(lenient.finish().map((c) => actual(c, 0))).toEqual([6n, null]);
    // a decreasing offset makes the read range invalid even without the header check
    const bad = Uint8Array.of(128, 0, 2, 0, 0, 0, 1, 2, 2, 0, 1, 0, 5, 6);
    expect(() => new RowV2BatchDecoder([{ id: 2, ft: int }], { checkHeader: false }).appendRow(bad)).toThrow(
      /value range 2..1 of column 2 is invalid/,
    );
  });

  it("checkOffsets=false keeps the id check and the read ranges, not the other offsets", () => {
    // ids 1, 2, 3; offsets 2, 1, 4 (not non-decreasing); values 5, 6, 7, 8. Column 1's range
    // 0..2 is fine on its own.
    const decreasing = Uint8Array.of(128, 0, 3, 0, 0, 0, 1, 2, 3, 2, 0, 1, 0, 4, 0, 5, 6, 7, 8);
    const good = encodeRowV2([1, 2, 3], [int, int, int], [7, 8, 9]);
    const strict = new RowV2BatchDecoder([{ id: 1, ft: int }]);
    strict.appendRow(good);
    // The same id list as the previous row: its offsets are still all checked.
    expect(() => strict.appendRow(decreasing)).toThrow(/value offset 1 is below the previous 2/);
    const loose = new RowV2BatchDecoder([{ id: 1, ft: int }], { checkOffsets: false });
    loose.appendRow(good);
    loose.appendRow(decreasing);
    // column 1 is 2 bytes (5, 6): a compact i16, little-endian
    expect(loose.finish().map((c) => [actual(c, 0), actual(c, 1)])).toEqual([[7n, 0x0605n]]);
    // Ids out of order are still refused, also on a row after a good one.
    const swapped = Uint8Array.of(128, 0, 3, 0, 0, 0, 2, 1, 3, 1, 0, 2, 0, 3, 0, 5, 6, 7);
    const ids = new RowV2BatchDecoder([{ id: 2, ft: int }], { checkOffsets: false });
    ids.appendRow(good);
    expect(() => ids.appendRow(swapped)).toThrow(/column id 1 does not ascend after 2/);
    // The range read must still be sane.
    const reading2 = new RowV2BatchDecoder([{ id: 2, ft: int }], { checkOffsets: false });
    expect(() => reading2.appendRow(decreasing)).toThrow(/value range 2..1 of column 2 is invalid/);
  });

  it("rows at ranges of one buffer decode like separate rows", () => {
    const a = encodeRowV2([1, 2], [int, varchar], [1, "a"]);
    const b = encodeRowV2([2], [varchar], ["bb"]);
    const buf = Uint8Array.of(9, 9, ...a, ...b, 9);
    const d = new RowV2BatchDecoder([
      { id: 1, ft: int },
      { id: 2, ft: varchar },
      { id: 3, ft: int, role: "pkHandle" },
    ]);
    d.appendRowRange(buf, 2, 2 + a.length, 5, 0);
    d.appendRowRange(buf, 2 + a.length, 2 + a.length + b.length, 0xffff_ffff, -1);
    const [x, y, h] = d.finish();
    expect(col(x)).toEqual([1n, null]);
    expect(col(y)).toEqual([[97], [98, 98]]);
    expect(col(h)).toEqual([5n, -1n]);
    const bad = encodeRowV2([1], [varchar], ["abc"]);
    const e = (() => {
      try {
        new RowV2BatchDecoder([{ id: 1, ft: int }]).appendRowRange(
          Uint8Array.of(0, ...bad),
          1,
          1 + bad.length,
        );
      } catch (err) {
        return err as CodecError;
      }
    })();
    expect(e).toBeInstanceOf(CodecError);
    expect(e?.offset).toBe(bad.length - 3);
    expect(() => d.appendRowRange(buf, 3, 2)).toThrow(CodecError);
  });

  it("many rows: builders grow and keep every value", () => {
    const fts = [int, varchar, dec];
    const d = new RowV2BatchDecoder(fts.map((ft, i) => ({ id: i + 1, ft })));
    for (let r = 0; r < 5000; r++) {
      d.appendRow(
        encodeRowV2([1, 2, 3], fts, [r * 1e9, `v${r}`, r % 7 === 0 ? null : Decimal.fromString(`${r}.25`)]),
      );
    }
    const [a, b, c] = d.finish();
    expect(actual(a, 4999)).toBe(4999n * 1_000_000_000n);
    expect(new TextDecoder().decode(b.get(1234) as Uint8Array)).toBe("v1234");
    expect(actual(c, 3)).toBe("3.25");
    expect(c.isNull(7)).toBe(true);
    expect(c.nullCount).toBe(715);
  });
});
