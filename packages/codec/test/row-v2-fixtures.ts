// Column types, value generators and comparisons shared by the row v2 tests.
import {
  type Column,
  Decimal,
  Duration,
  Enum,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  MAX_DURATION_NANOS,
  MySqlSet,
  Time,
  TimeType,
} from "@copr/datatype";
import fc from "fast-check";
import type { RowV2Value } from "../src/row-v2.js";

/** One column type of the random schemas: its FieldType, a value generator, normalizers. */
export interface TypeCase {
  name: string;
  ft: FieldType;
  gen: fc.Arbitrary<Exclude<RowV2Value, null>>;
  /** What a written value reads back as, in comparable form. */
  expected(v: Exclude<RowV2Value, null>): unknown;
}

const ELEMS3 = ["a", "b", "c"];
const ELEMS64 = Array.from({ length: 64 }, (_, i) => `m${i}`);

const bigU64 = fc.bigInt(0n, 2n ** 64n - 1n);
const bigI64 = fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n);
const anyInt = fc.oneof(
  fc.integer({ min: -200, max: 200 }),
  fc.integer({ min: -70000, max: 70000 }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.maxSafeInteger(),
  bigI64,
);

function timeGen(type: TimeType, fsp: number): fc.Arbitrary<Time> {
  return fc
    .record({
      year:
        type === TimeType.Timestamp
          ? fc.integer({ min: 1971, max: 2037 })
          : fc.integer({ min: 0, max: 9999 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 28 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.integer({ min: 0, max: 59 }),
      micro: fc.integer({ min: 0, max: 999_999 }),
    })
    .map((f) => {
      const step = 10 ** (6 - fsp);
      const fields =
        type === TimeType.Date
          ? { ...f, hour: 0, minute: 0, second: 0, micro: 0 }
          : { ...f, micro: Math.floor(f.micro / step) * step };
      return Time.unchecked(fields, type, fsp);
    });
}

const timeKey = (v: unknown): string => `${(v as Time).lowWord()}:${(v as Time).highWord()}`;
const noNegZero = (x: number): number => (x === 0 ? 0 : x);

/** Every value kind of row v2, with one representative field type each. */
export const TYPE_CASES: TypeCase[] = [
  {
    name: "bigint",
    ft: fieldType(FieldTypeTp.LongLong),
    gen: anyInt,
    expected: (v) => BigInt.asIntN(64, BigInt(v as number | bigint)),
  },
  {
    name: "bigint unsigned",
    ft: fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned }),
    gen: fc.oneof(fc.integer({ min: 0, max: 70000 }), fc.maxSafeNat(), bigU64),
    expected: (v) => BigInt(v as number | bigint),
  },
  {
    name: "tinyint",
    ft: fieldType(FieldTypeTp.Tiny),
    gen: fc.integer({ min: -128, max: 127 }),
    expected: (v) => BigInt(v as number),
  },
  {
    name: "year",
    ft: fieldType(FieldTypeTp.Year),
    gen: fc.integer({ min: 1901, max: 2155 }),
    expected: (v) => BigInt(v as number),
  },
  {
    name: "bit(64)",
    ft: fieldType(FieldTypeTp.Bit, { flen: 64, flag: FieldTypeFlag.Unsigned }),
    gen: bigU64,
    expected: (v) => v,
  },
  {
    name: "double",
    ft: fieldType(FieldTypeTp.Double),
    gen: fc.double({ noNaN: true }),
    expected: (v) => noNegZero(v as number),
  },
  {
    name: "float",
    ft: fieldType(FieldTypeTp.Float),
    gen: fc.float({ noNaN: true }).map((x) => x),
    expected: (v) => noNegZero(Math.fround(v as number)),
  },
  {
    name: "decimal(15,2)",
    ft: fieldType(FieldTypeTp.NewDecimal, { flen: 15, decimal: 2 }),
    gen: fc.bigInt(-(10n ** 15n) + 1n, 10n ** 15n - 1n).map((n) => {
      const neg = n < 0n;
      const a = (neg ? -n : n).toString().padStart(3, "0");
      return Decimal.fromString(`${neg ? "-" : ""}${a.slice(0, -2)}.${a.slice(-2)}`);
    }),
    expected: (v) => (v as Decimal).toString(),
  },
  {
    name: "decimal (unspecified length)",
    ft: fieldType(FieldTypeTp.NewDecimal),
    gen: fc.tuple(fc.bigInt(-(10n ** 30n), 10n ** 30n), fc.integer({ min: 0, max: 20 })).map(([n, f]) => {
      const s = (n < 0n ? -n : n).toString().padStart(f + 1, "0");
      return Decimal.fromString(`${n < 0n ? "-" : ""}${s.slice(0, s.length - f)}.${s.slice(s.length - f)}`);
    }),
    expected: (v) => (v as Decimal).toString(),
  },
  {
    name: "varchar",
    ft: fieldType(FieldTypeTp.VarChar),
    gen: fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.string({ maxLength: 10 })),
    expected: (v) => [...(typeof v === "string" ? new TextEncoder().encode(v) : (v as Uint8Array))],
  },
  {
    name: "datetime(3)",
    ft: fieldType(FieldTypeTp.DateTime, { decimal: 3 }),
    gen: timeGen(TimeType.DateTime, 3),
    expected: timeKey,
  },
  {
    name: "date",
    ft: fieldType(FieldTypeTp.Date),
    gen: timeGen(TimeType.Date, 0),
    expected: timeKey,
  },
  {
    name: "timestamp(6)",
    ft: fieldType(FieldTypeTp.Timestamp, { decimal: 6 }),
    gen: timeGen(TimeType.Timestamp, 6),
    expected: timeKey,
  },
  {
    name: "time(2)",
    ft: fieldType(FieldTypeTp.Duration, { decimal: 2 }),
    gen: fc
      .integer({ min: -MAX_DURATION_NANOS, max: MAX_DURATION_NANOS })
      .map((n) => Duration.fromNanos(n, 2)),
    expected: (v) => (v as Duration).nanos,
  },
  {
    name: "json",
    ft: fieldType(FieldTypeTp.Json),
    gen: fc
      .tuple(fc.constantFrom(0x01, 0x03, 0x04, 0x09, 0x0c), fc.uint8Array({ maxLength: 20 }))
      .map(([t, p]) => Uint8Array.of(t, ...p)),
    expected: (v) => [...(v as Uint8Array)],
  },
  {
    name: "enum",
    ft: fieldType(FieldTypeTp.Enum, { elems: ELEMS3 }),
    gen: fc.integer({ min: 0, max: 3 }).map((i) => (i === 0 ? Enum.empty() : Enum.fromValue(ELEMS3, i))),
    expected: (v) => (v as Enum).value,
  },
  {
    name: "set",
    ft: fieldType(FieldTypeTp.Set, { elems: ELEMS64 }),
    gen: bigU64.map((m) => MySqlSet.fromValue(ELEMS64, m)),
    expected: (v) => `${(v as MySqlSet).lo}:${(v as MySqlSet).hi}`,
  },
  {
    name: "vector",
    ft: fieldType(FieldTypeTp.TiDBVectorFloat32),
    gen: fc
      .array(fc.float({ noNaN: true, noDefaultInfinity: true }), { maxLength: 6 })
      .map((a) => Float32Array.from(a)),
    expected: (v) => [...(v as Float32Array)],
  },
];

/** Row `i` of a decoded column in the comparable form of {@link TypeCase.expected}. */
export function actual(c: Column, i: number): unknown {
  if (c.isNull(i)) return null;
  switch (c.evalType) {
    case "Int":
      return c.get(i);
    case "Real":
      return noNegZero(c.get(i) as number);
    case "Decimal":
      return (c.get(i) as Decimal).toString();
    case "Bytes":
    case "Json":
      return [...(c.get(i) as Uint8Array)];
    case "DateTime":
      return timeKey(c.get(i));
    case "Duration":
      return (c.get(i) as Duration).nanos;
    case "Enum":
      return c.values[i];
    case "Set":
      return `${c.words[2 * i]}:${c.words[2 * i + 1]}`;
    case "VectorFloat32":
      return [...(c.get(i) as Float32Array)];
  }
}

/** A random table schema (unique ids, one type case each) and rows for it. */
export interface Table {
  ids: number[];
  types: TypeCase[];
  /** Per row, per column: a value, null, or undefined when the row omits the column. */
  rows: (Exclude<RowV2Value, null> | null | undefined)[][];
}

/** Arbitrary tables; `maxId` above 255 gives big rows. */
export function tableArb(maxId: number, maxCols = 12, maxRows = 8): fc.Arbitrary<Table> {
  return fc
    .uniqueArray(
      fc.tuple(fc.integer({ min: 1, max: maxId }), fc.integer({ min: 0, max: TYPE_CASES.length - 1 })),
      {
        minLength: 1,
        maxLength: maxCols,
        selector: (t) => t[0],
      },
    )
    .chain((cols) => {
      const types = cols.map((c) => TYPE_CASES[c[1]]);
      const cell = (t: TypeCase) =>
        fc.oneof(
          { weight: 6, arbitrary: t.gen },
          { weight: 1, arbitrary: fc.constant(null) },
          { weight: 1, arbitrary: fc.constant(undefined) },
        );
      return fc
        .array(fc.tuple(...types.map(cell)), { minLength: 1, maxLength: maxRows })
        .map((rows) => ({ ids: cols.map((c) => c[0]), types, rows: rows as Table["rows"] }));
    });
}
