// Schema parsing and the text → value conversions, with values worked out by hand from MySQL's
// strict-mode INSERT rules.
import {
  Decimal,
  type Duration,
  type Enum,
  FieldTypeFlag,
  FieldTypeTp,
  type MySqlSet,
  type Time,
  TimeZone,
} from "@copr/datatype";
import { describe, expect, it } from "vitest";
import {
  type ColumnDef,
  ConversionError,
  converterFor,
  fieldReader,
  parseColumnType,
  parseSchema,
  SchemaError,
} from "../src/index.js";

function column(type: string, extra: Record<string, unknown> = {}): ColumnDef {
  return parseSchema({ columns: [{ name: "c", type, ...extra }] }).columns[0]!;
}
const conv = (type: string, extra: Record<string, unknown> = {}) => converterFor(column(type, extra));

describe("parseColumnType", () => {
  it("reads lengths, precision, fsp, members and attributes", () => {
    const d = parseColumnType("DECIMAL(15, 2) unsigned");
    expect([d.tp, d.flen, d.decimal, (d.flag! & FieldTypeFlag.Unsigned) !== 0]).toEqual([
      FieldTypeTp.NewDecimal,
      15,
      2,
      true,
    ]);
    const v = parseColumnType("varchar(64)", { collation: "utf8mb4_general_ci" });
    expect([v.tp, v.flen, v.collate, v.charset]).toEqual([FieldTypeTp.VarChar, 64, -45, "utf8mb4"]);
    expect(parseColumnType("datetime(3)").decimal).toBe(3);
    expect(parseColumnType("enum('a','it''s','c,d')").elems).toEqual(["a", "it's", "c,d"]);
    expect(parseColumnType("varbinary(8)").collate).toBe(63);
  });

  it("names what is wrong", () => {
    expect(() => parseColumnType("varchar")).toThrow(/needs a length/);
    expect(() => parseColumnType("decimal(5,6)")).toThrow(/scale 6 is larger than precision 5/);
    expect(() => parseColumnType("geometry")).toThrow(/unsupported type 'geometry'/);
    expect(() => parseColumnType("text", { collation: "klingon_ci" })).toThrow(/unsupported collation/);
    expect(() => parseColumnType("varchar(10) unsigned")).toThrow(/numeric types only/);
  });
});

describe("parseSchema", () => {
  it("picks the handle as TiDB does", () => {
    const intPk = parseSchema({
      columns: [
        { name: "id", type: "bigint" },
        { name: "v", type: "int" },
      ],
      primaryKey: ["id"],
    });
    expect(intPk.handle).toEqual({ kind: "int", column: 0 });
    expect(intPk.columns[0]!.nullable).toBe(false);
    expect(intPk.columns[0]!.ft.flag! & FieldTypeFlag.PriKey).toBe(FieldTypeFlag.PriKey);
    // A non-integer key is nonclustered by default: a unique index on a _tidb_rowid table.
    const strPk = parseSchema({
      columns: [{ name: "k", type: "varchar(10)" }],
      primaryKey: ["k"],
      indexes: [{ id: 1, columns: ["k"] }],
    });
    expect(strPk.handle).toEqual({ kind: "rowid" });
    expect(strPk.indexes.find((x) => x.primary)).toMatchObject({ id: 2, unique: true, columns: [0] });
    const clustered = parseSchema({
      columns: [
        { name: "a", type: "varchar(10)" },
        { name: "b", type: "int" },
      ],
      primaryKey: { columns: ["a", "b"], clustered: true },
    });
    expect(clustered.handle).toEqual({ kind: "common", columns: [0, 1] });
    expect(parseSchema({ columns: [{ name: "x", type: "int" }] }).handle).toEqual({ kind: "rowid" });
  });

  it("rejects bad schemas with the path of the problem", () => {
    const bad = (s: unknown) => {
      try {
        parseSchema(s);
      } catch (e) {
        expect(e).toBeInstanceOf(SchemaError);
        return (e as Error).message;
      }
      return "no error";
    };
    expect(bad({ columns: [] })).toMatch(/^columns: must be a non-empty list/);
    expect(
      bad({
        columns: [
          { name: "a", type: "int" },
          { name: "A", type: "int" },
        ],
      }),
    ).toMatch(/columns\[1\]\.name: duplicate column/);
    expect(
      bad({
        columns: [
          { name: "a", type: "int", id: 3 },
          { name: "b", type: "int", id: 3 },
        ],
      }),
    ).toMatch(/duplicate column id 3/);
    expect(bad({ columns: [{ name: "a", type: "int" }], indexes: [{ id: 1, columns: ["zz"] }] })).toMatch(
      /indexes\[0\]\.columns\[0\]: no column named 'zz'/,
    );
    expect(bad({ columns: [{ name: "a", type: "int", colour: 1 }] })).toMatch(/unknown key 'colour'/);
    expect(bad({ columns: [{ name: "a", type: "int", nullable: true }], primaryKey: ["a"] })).toMatch(
      /cannot be nullable/,
    );
  });
});

describe("conversions", () => {
  const fail = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ConversionError);
      return (e as Error).message;
    }
    return "no error";
  };

  it("integers: range per type, numeric strings rounded half away from zero", () => {
    const tiny = conv("tinyint");
    expect([tiny("127"), tiny("-128"), tiny(" 42 "), tiny("-0")]).toEqual([127, -128, 42, 0]);
    expect(fail(() => tiny("128"))).toBe("Out of range value for column 'c'");
    expect(fail(() => conv("tinyint unsigned")("-1"))).toBe("Out of range value for column 'c'");
    expect(conv("tinyint unsigned")("255")).toBe(255);
    expect([tiny("1.5"), tiny("-1.5"), tiny("2.4"), tiny("1e2")]).toEqual([2, -2, 2, 100]);
    expect(fail(() => tiny("12abc"))).toBe("Incorrect integer value: '12abc' for column 'c'");
    expect(fail(() => tiny(""))).toBe("Incorrect integer value: '' for column 'c'");
    const big = conv("bigint");
    expect(big("9223372036854775807")).toBe(9223372036854775807n);
    expect(big("-9223372036854775808")).toBe(-9223372036854775808n);
    expect(fail(() => big("9223372036854775808"))).toMatch(/Out of range/);
    expect(conv("bigint unsigned")("18446744073709551615")).toBe(18446744073709551615n);
    expect(big("9007199254740991")).toBe(9007199254740991); // still a safe number
    expect(conv("int")("2147483647")).toBe(2147483647);
    expect(fail(() => conv("int")("2147483648"))).toMatch(/Out of range/);
  });

  it("decimals: rounded to the scale, checked against the precision", () => {
    const d = conv("decimal(5,2)");
    expect((d("123.455") as Decimal).toString()).toBe("123.46");
    expect((d("-123.454") as Decimal).toString()).toBe("-123.45");
    expect((d("1e2") as Decimal).toString()).toBe("100.00");
    expect((d("-0.001") as Decimal).toString()).toBe("0.00");
    expect((d("999.994") as Decimal).toString()).toBe("999.99");
    expect(fail(() => d("999.995"))).toBe("Out of range value for column 'c'"); // rounds to 1000.00
    expect(fail(() => d("abc"))).toBe("Incorrect decimal value: 'abc' for column 'c'");
    expect(fail(() => conv("decimal(5,2) unsigned")("-1"))).toMatch(/Out of range/);
  });

  it("floats: FLOAT rounded to single precision", () => {
    expect(conv("double")("0.1")).toBe(0.1);
    expect(conv("float")("0.1")).toBe(Math.fround(0.1));
    expect(fail(() => conv("float")("1e39"))).toMatch(/Out of range/);
    expect(fail(() => conv("double")("1e309"))).toMatch(/Out of range/);
    expect(fail(() => conv("double")("1,5"))).toMatch(/Incorrect double value/);
  });

  it("dates and times with TiDB's default sql_mode", () => {
    const dt = conv("datetime(2)")("2024-02-29 12:34:56.789") as Time;
    expect(dt.toString()).toBe("2024-02-29 12:34:56.79");
    expect((conv("date")("20240131") as Time).toString()).toBe("2024-01-31");
    expect(fail(() => conv("date")("2023-02-29"))).toMatch(/Incorrect datetime value/);
    expect(fail(() => conv("date")("0000-00-00"))).toMatch(/for column 'c'/);
    expect((conv("time")("-838:59:59") as Duration).toString()).toBe("-838:59:59");
    expect(fail(() => conv("time")("839:00:00"))).toMatch(/for column 'c'/);
    // A TIMESTAMP is read in the session zone (stored in UTC by the row encoder).
    const ts = converterFor(column("timestamp"), { timeZone: TimeZone.fromOffset(8 * 3600) })(
      "2024-01-01 08:00:00",
    ) as Time;
    expect(ts.toString()).toBe("2024-01-01 08:00:00");
    expect(fail(() => conv("timestamp")("1960-01-01 00:00:00"))).toMatch(/for column 'c'/);
  });

  it("YEAR: two-digit strings map to 1970-2069", () => {
    const y = conv("year");
    expect([y("0"), y("69"), y("70"), y("99"), y("0000"), y("1901"), y("2155")]).toEqual([
      2000, 2069, 1970, 1999, 0, 1901, 2155,
    ]);
    expect(fail(() => y("1900"))).toMatch(/Out of range/);
  });

  it("strings: lengths in characters, CHAR trailing spaces dropped, BINARY padded", () => {
    const v = conv("varchar(3)");
    expect(v("äöü")).toBe("äöü"); // 3 characters, 6 bytes
    expect(fail(() => v("abcd"))).toBe("Data too long for column 'c'");
    expect(v("ab   ")).toBe("ab "); // spaces past the length are cut, not an error
    expect(conv("char(4)")("ab  ")).toBe("ab");
    expect(conv("binary(4)")("ab")).toEqual(new Uint8Array([0x61, 0x62, 0, 0]));
    expect(fail(() => conv("varbinary(2)")("äb"))).toMatch(/Data too long/); // 3 bytes
    expect(fail(() => conv("tinytext")("x".repeat(256)))).toMatch(/Data too long/);
  });

  it("ENUM, SET, JSON and BIT", () => {
    const e = conv("enum('small','large')", { collation: "utf8mb4_general_ci" })("LARGE") as Enum;
    expect([e.value, e.name]).toEqual([2, "large"]);
    expect(fail(() => conv("enum('a','b')")("c"))).toMatch(/Incorrect enum value: 'c'/);
    const s = conv("set('a','b','c')")("c,a") as MySqlSet;
    expect(s.toBigInt()).toBe(5n);
    expect(conv("json")('{"b":1,"a":[true]}')).toBeInstanceOf(Uint8Array);
    expect(fail(() => conv("json")("{bad"))).toMatch(/Invalid JSON text/);
    const bit = conv("bit(4)");
    expect([bit("b'1010'"), bit("0xF"), bit("7")]).toEqual([10n, 15n, 7n]);
    expect(fail(() => bit("16"))).toMatch(/Data too long/);
  });

  it("NULL rules: \\N, empty fields, NOT NULL", () => {
    const nullableInt = fieldReader(column("int"));
    expect(nullableInt("\\N", false)).toBeNull();
    expect(nullableInt("", false)).toBeNull();
    expect(() => nullableInt("", true)).toThrow(/Incorrect integer value/); // "" quoted is a value
    const str = fieldReader(column("varchar(5)"));
    expect(str("", false)).toBe("");
    expect(str("\\N", true)).toBe("\\N");
    expect(fieldReader(column("varchar(5)"), { emptyIsNull: true })("", false)).toBeNull();
    expect(fieldReader(column("varchar(5)"), { nullText: "NULL" })("NULL", false)).toBeNull();
    const notNull = fieldReader(column("int", { nullable: false }));
    expect(() => notNull("\\N", false)).toThrow("Column 'c' cannot be null");
  });

  it("decimal values equal what Decimal computes", () => {
    const d = conv("decimal(20,4)")("12345678901234.56785") as Decimal;
    expect(d.equals(Decimal.fromString("12345678901234.5679"))).toBe(true);
  });
});
