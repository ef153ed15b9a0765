// Rows and index entries encoded as TiDB writes them, checked by decoding them back with
// @copr/codec: record keys and row v2 values, index keys (sort keys, handles), index values
// (old, version 0 with restored data, version 1 with the common handle and tail-space counts).
import {
  decodeCommonHandle,
  decodeDatums,
  decodeIndexKeyDatums,
  decodeIntHandle,
  RowV2Slice,
  splitIndexValue,
} from "@copr/codec";
import {
  Collation,
  collatorFor,
  Decimal,
  EvalContext,
  FieldTypeTp,
  fieldType,
  type Time,
  TimeZone,
} from "@copr/datatype";
import { describe, expect, it } from "vitest";
import { converterFor, parseSchema, TableEncoder, type TableSchema } from "../src/index.js";

const utf8 = new TextEncoder();
const TABLE = 77;

function rowOf(schema: TableSchema, text: (string | null)[], tz?: TimeZone) {
  return schema.columns.map((c, i) =>
    text[i] === null ? null : converterFor(c, tz ? { timeZone: tz } : {})(text[i]!),
  );
}

describe("TableEncoder", () => {
  const schema = parseSchema({
    columns: [
      { name: "id", type: "bigint" },
      { name: "name", type: "varchar(20)", collation: "utf8mb4_general_ci" },
      { name: "price", type: "decimal(8,2)" },
      { name: "code", type: "int" },
      { name: "at", type: "timestamp" },
    ],
    primaryKey: ["id"],
    indexes: [
      { id: 1, columns: ["name"] },
      { id: 2, columns: ["code"], unique: true },
      { id: 3, columns: ["price", "name"], unique: true },
    ],
  });

  it("writes the record: int handle in the key, the other columns in row v2", () => {
    const enc = new TableEncoder(TABLE, schema, { timeZone: TimeZone.fromOffset(8 * 3600) });
    const pairs = enc.encodeRow(
      rowOf(schema, ["-5", "Apple", "12.5", null, "2024-01-01 08:00:00"], TimeZone.fromOffset(8 * 3600)),
    );
    expect(pairs).toHaveLength(4);
    const rec = pairs[0]!;
    expect(rec.mustNotExist).toBe(true);
    expect(decodeIntHandle(rec.key)).toBe(-5n);
    const row = RowV2Slice.fromBytes(rec.value);
    const [, name, price, code, at] = schema.columns;
    expect(row.read(1, schema.columns[0]!.ft)).toBeUndefined(); // the handle column is not stored
    expect(Buffer.from(row.read(name!.id, name!.ft) as Uint8Array).toString()).toBe("Apple");
    expect((row.read(price!.id, price!.ft) as Decimal).toString()).toBe("12.50");
    expect(row.read(code!.id, code!.ft)).toBeNull();
    // TIMESTAMP: stored in UTC, so read back in UTC it is 8 hours earlier.
    expect((row.read(at!.id, at!.ft, new EvalContext()) as Time).toString()).toBe("2024-01-01 00:00:00");
  });

  it("writes index keys with sort keys and the handle, values with restored data", () => {
    const enc = new TableEncoder(TABLE, schema);
    const pairs = enc.encodeRow(rowOf(schema, ["7", "Apple", "1.00", "42", "2024-01-01 00:00:00"]));
    const [, byName, byCode, byPriceName] = pairs;
    // Non-unique index on a general_ci column: the sort key (case folded), then the handle.
    const general = collatorFor(Collation.Utf8Mb4GeneralCi);
    const nameKey = decodeIndexKeyDatums(byName!.key);
    expect(nameKey).toEqual([
      { kind: "bytes", value: general.sortKey(utf8.encode("APPLE")) },
      { kind: "int", value: 7n },
    ]);
    expect(byName!.mustNotExist).toBe(false);
    // Version 0 value (int handle table): restored data holds the original text.
    const seg = splitIndexValue(byName!.value);
    expect(seg.version).toBe(0);
    expect(seg.old).toBe(false);
    expect(seg.intHandle).toBeUndefined();
    const restored = RowV2Slice.fromBytes(seg.restoredData!);
    expect(Buffer.from(restored.read(2, schema.columns[1]!.ft) as Uint8Array).toString()).toBe("Apple");
    // Unique integer index: the old layout, the handle as 8 plain big-endian bytes.
    expect(decodeIndexKeyDatums(byCode!.key)).toEqual([{ kind: "int", value: 42n }]);
    expect(byCode!.mustNotExist).toBe(true);
    expect(Array.from(byCode!.value)).toEqual([0, 0, 0, 0, 0, 0, 0, 7]);
    // Unique (price, name): decimal keyed with the column's (8,2); restored data of both columns.
    const pn = decodeIndexKeyDatums(byPriceName!.key);
    expect(pn).toHaveLength(2);
    expect(pn[0]).toMatchObject({ kind: "decimal", prec: 8, frac: 2 });
    const pnSeg = splitIndexValue(byPriceName!.value);
    expect(pnSeg.intHandle).toBe(7n);
    const pnRestored = RowV2Slice.fromBytes(pnSeg.restoredData!);
    expect([...pnRestored.nonNullIds()]).toEqual([2, 3]); // name (2) and price (3): all index columns
  });

  it("a unique index with a NULL member keeps the handle in its key", () => {
    const enc = new TableEncoder(TABLE, schema);
    const pairs = enc.encodeRow(rowOf(schema, ["9", "x", "0", null, "2024-01-01 00:00:00"]));
    const byCode = pairs[2]!;
    expect(decodeIndexKeyDatums(byCode.key)).toEqual([{ kind: "null" }, { kind: "int", value: 9n }]);
    expect(byCode.mustNotExist).toBe(false);
    expect(Array.from(byCode.value)).toEqual([0x30]); // '0'
  });

  it("a _tidb_rowid table keys rows by the given row id and stores every column", () => {
    const s = parseSchema({
      columns: [
        { name: "a", type: "int" },
        { name: "b", type: "varchar(4)" },
      ],
    });
    const pairs = new TableEncoder(TABLE, s).encodeRow(rowOf(s, ["1", "x"]), 1234);
    expect(decodeIntHandle(pairs[0]!.key)).toBe(1234n);
    expect([...RowV2Slice.fromBytes(pairs[0]!.value).nonNullIds()]).toEqual([1, 2]);
  });

  it("a clustered common handle: datums in the record key, version-1 index values", () => {
    const s = parseSchema({
      columns: [
        { name: "k", type: "varchar(10)" }, // utf8mb4_bin: PAD SPACE
        { name: "n", type: "int" },
        { name: "tag", type: "varchar(10)", collation: "utf8mb4_unicode_ci" },
      ],
      primaryKey: { columns: ["k", "n"], clustered: true },
      indexes: [
        { id: 1, columns: ["tag"] },
        { id: 2, columns: ["n"], unique: true },
      ],
    });
    const pairs = new TableEncoder(TABLE, s).encodeRow(rowOf(s, ["ab  ", "3", "Tag"]));
    const handle = decodeCommonHandle(pairs[0]!.key);
    // The _bin sort key drops trailing spaces.
    expect(decodeDatums(handle)).toEqual([
      { kind: "bytes", value: utf8.encode("ab") },
      { kind: "int", value: 3n },
    ]);
    // All columns are in the row value of a clustered table.
    expect([...RowV2Slice.fromBytes(pairs[0]!.value).nonNullIds()]).toEqual([1, 2, 3]);
    // Non-unique index: key = tag sort key + the handle datums; value v1 with restored data:
    // tag's original text, and k's trailing-space count (2) as an unsigned integer.
    const tagIdx = pairs[1]!;
    const keyDatums = decodeIndexKeyDatums(tagIdx.key);
    expect(keyDatums.slice(1)).toEqual(decodeDatums(handle));
    const seg = splitIndexValue(tagIdx.value);
    expect(seg.version).toBe(1);
    expect(seg.commonHandle).toBeUndefined();
    const restored = RowV2Slice.fromBytes(seg.restoredData!);
    expect(Buffer.from(restored.read(3, s.columns[2]!.ft) as Uint8Array).toString()).toBe("Tag");
    expect(restored.read(1, fieldType(FieldTypeTp.LongLong, { flag: 32 }))).toBe(2n);
    // Unique index: the common handle is in the value.
    const uniq = splitIndexValue(pairs[2]!.value);
    expect(uniq.version).toBe(1);
    expect(Array.from(uniq.commonHandle!)).toEqual(Array.from(handle));
  });

  it("decimal datums in keys compare like the values", () => {
    const s = parseSchema({
      columns: [{ name: "d", type: "decimal(6,2)" }],
      indexes: [{ id: 1, columns: ["d"] }],
    });
    const enc = new TableEncoder(TABLE, s);
    const keyOf = (t: string) => Buffer.from(enc.encodeRow(rowOf(s, [t]), 1)[1]!.key.slice(0, -9));
    const texts = ["-10.5", "-1", "0", "0.01", "2", "10.25", "9999.99"];
    const keys = texts.map(keyOf);
    for (let i = 1; i < keys.length; i++) expect(Buffer.compare(keys[i - 1]!, keys[i]!)).toBe(-1);
    expect(Decimal.fromString("10.25").compare(Decimal.fromString("2"))).toBe(1);
  });
});
