// Chunk RPC format: round-trip properties for every eval type, logical-row gathers, fuzzing.
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
  type Column,
  Decimal,
  Duration,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  isCoprError,
  MAX_DURATION_NANOS,
  MySqlSet,
  Time,
} from "@copr/datatype";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeChunk, encodeChunk } from "../src/chunk.js";

/** One column type under test: its field type, a value arbitrary and a column maker. */
interface Spec {
  name: string;
  ft: FieldType;
  value: fc.Arbitrary<unknown>;
  make: (values: readonly unknown[]) => Column;
  /** The value as the column gives it back, in a comparable form. */
  norm?: (v: unknown) => unknown;
}

const JSON_CODES = [0x01, 0x03, 0x04, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11];

const timeWords = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 12 }),
    day: fc.integer({ min: 0, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    micro: fc.integer({ min: 0, max: 999_999 }),
    fspTt: fc.integer({ min: 0, max: 14 }),
  })
  .map((f) => {
    const v =
      (BigInt(f.year) << 50n) |
      (BigInt(f.month) << 46n) |
      (BigInt(f.day) << 41n) |
      (BigInt(f.hour) << 36n) |
      (BigInt(f.minute) << 30n) |
      (BigInt(f.second) << 24n) |
      (BigInt(f.micro) << 4n) |
      BigInt(f.fspTt);
    return Time.fromCoreU64(v);
  });

const decimalText = fc
  .tuple(
    fc.boolean(),
    fc.stringMatching(/^[0-9]{1,30}$/),
    fc.option(fc.stringMatching(/^[0-9]{1,30}$/), { nil: undefined }),
  )
  .map(([neg, i, f]) => `${neg ? "-" : ""}${i}${f === undefined ? "" : `.${f}`}`);

const memberName = fc
  .string({ minLength: 0, maxLength: 6, unit: "grapheme" })
  .filter((s) => !s.includes(","));
const members = (max: number) => fc.uniqueArray(memberName, { minLength: 1, maxLength: max });

function nullable<T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.option(a, { nil: null, freq: 4 });
}

function specs(enumElems: readonly string[], setElems: readonly string[]): Spec[] {
  return [
    {
      name: "BIGINT",
      ft: fieldType(FieldTypeTp.LongLong),
      value: fc.oneof(fc.integer(), fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n })),
      make: (vs) => ChunkedVecInt.fromValues(vs as (number | bigint | null)[]),
    },
    {
      name: "BIGINT UNSIGNED",
      ft: fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned }),
      value: fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
      make: (vs) => ChunkedVecInt.fromValues(vs as (number | bigint | null)[], { unsigned: true }),
    },
    {
      name: "YEAR",
      ft: fieldType(FieldTypeTp.Year),
      value: fc.integer({ min: 1901, max: 2155 }),
      make: (vs) => ChunkedVecInt.fromValues(vs as (number | null)[]),
    },
    {
      name: "BIT(13)",
      ft: fieldType(FieldTypeTp.Bit, { flen: 13, flag: FieldTypeFlag.Unsigned }),
      value: fc.integer({ min: 0, max: 2 ** 13 - 1 }),
      make: (vs) => ChunkedVecInt.fromValues(vs as (number | null)[], { unsigned: true }),
    },
    {
      name: "BIT(64)",
      ft: fieldType(FieldTypeTp.Bit, { flen: 64, flag: FieldTypeFlag.Unsigned }),
      value: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      make: (vs) => ChunkedVecInt.fromValues(vs as (bigint | null)[], { unsigned: true }),
    },
    {
      name: "DOUBLE",
      ft: fieldType(FieldTypeTp.Double),
      value: fc.double({ noNaN: true }),
      make: (vs) => ChunkedVecReal.fromValues(vs as (number | null)[]),
    },
    {
      name: "FLOAT",
      ft: fieldType(FieldTypeTp.Float),
      value: fc.double({ noNaN: true }),
      make: (vs) => ChunkedVecReal.fromValues(vs as (number | null)[]),
      norm: (v) => (typeof v === "number" ? Math.fround(v) : v),
    },
    {
      name: "DECIMAL",
      ft: fieldType(FieldTypeTp.NewDecimal),
      value: decimalText.map((s) => Decimal.fromString(s)),
      make: (vs) => ChunkedVecDecimal.fromValues(vs as (Decimal | null)[]),
    },
    {
      name: "VARCHAR",
      ft: fieldType(FieldTypeTp.VarChar),
      value: fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.string({ unit: "grapheme" })),
      make: (vs) => ChunkedVecBytes.fromValues(vs as (Uint8Array | string | null)[]),
      norm: (v) => (typeof v === "string" ? new TextEncoder().encode(v) : v),
    },
    {
      name: "DATETIME",
      ft: fieldType(FieldTypeTp.DateTime),
      value: timeWords,
      make: (vs) => ChunkedVecDateTime.fromValues(vs as (Time | null)[]),
    },
    {
      name: "TIMESTAMP",
      ft: fieldType(FieldTypeTp.Timestamp),
      value: timeWords,
      make: (vs) => ChunkedVecDateTime.fromValues(vs as (Time | null)[]),
    },
    {
      name: "TIME(6)",
      ft: fieldType(FieldTypeTp.Duration, { decimal: 6 }),
      value: fc
        .integer({ min: -MAX_DURATION_NANOS / 1000, max: MAX_DURATION_NANOS / 1000 })
        .map((us) => Duration.fromNanosUnchecked(us * 1000, 6)),
      make: (vs) => ChunkedVecDuration.fromValues(vs as (Duration | null)[], 6),
    },
    {
      name: "JSON",
      ft: fieldType(FieldTypeTp.Json),
      value: fc
        .tuple(fc.constantFrom(...JSON_CODES), fc.uint8Array({ maxLength: 30 }))
        .map(([t, rest]) => Uint8Array.of(t, ...rest)),
      make: (vs) => ChunkedVecJson.fromValues(vs as (Uint8Array | null)[]),
    },
    {
      name: "ENUM",
      ft: fieldType(FieldTypeTp.Enum, { elems: enumElems }),
      value: fc.integer({ min: 0, max: enumElems.length }),
      make: (vs) => ChunkedVecEnum.fromValues(vs as (number | null)[], enumElems),
    },
    {
      name: "SET",
      ft: fieldType(FieldTypeTp.Set, { elems: setElems }),
      value: fc
        .bigInt({ min: 0n, max: (1n << BigInt(setElems.length)) - 1n })
        .map((m) => MySqlSet.fromValue(setElems, m)),
      make: (vs) => ChunkedVecSet.fromValues(vs as (MySqlSet | null)[], setElems),
    },
    {
      name: "VECTOR<FLOAT32>",
      ft: fieldType(FieldTypeTp.TiDBVectorFloat32),
      value: fc.array(fc.float({ noNaN: true }), { maxLength: 12 }),
      make: (vs) => ChunkedVecVectorFloat32.fromValues(vs as (number[] | null)[]),
    },
  ];
}

/** Rows of a column in a comparable form. */
function rowsOf(c: Column): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < c.length; i++) out.push(comparable(c.get(i)));
  return out;
}

function comparable(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array || v instanceof Float32Array) return Array.from(v);
  if (v instanceof Decimal) return `dec:${v.toString()}`;
  if (v instanceof Time) return `time:${v.toCoreU64()}`;
  if (v instanceof Duration) return `dur:${v.nanos}`;
  if (v instanceof MySqlSet) return `set:${v.lo},${v.hi}`;
  if (typeof v === "object" && "value" in v) return `enum:${(v as { value: number }).value}`;
  return v;
}

/** What decoding should give for `col`: its rows, through the spec's normalisation (FLOAT). */
function expectedRows(spec: Spec, col: Column): unknown[] {
  const norm = spec.norm;
  return rowsOf(col).map((v) => (v !== null && norm !== undefined ? comparable(norm(v)) : v));
}

/** A column-spec case: the spec and its (nullable) values. */
const specCase = fc
  .tuple(members(8), members(64))
  .chain(([enumElems, setElems]) => fc.constantFrom(...specs(enumElems, setElems)))
  .chain((spec) => fc.tuple(fc.constant(spec), fc.array(nullable(spec.value), { maxLength: 40 })));

describe("round trip", () => {
  it("every type: decode(encode(column)) gives the values back, and re-encodes to the same bytes", () => {
    fc.assert(
      fc.property(specCase, ([spec, values]) => {
        const col = spec.make(values);
        const bytes = encodeChunk([col], [spec.ft]);
        const [back] = decodeChunk(bytes, [spec.ft]);
        expect(back.length).toBe(values.length);
        expect(back.nullCount).toBe(col.nullCount);
        expect(rowsOf(back)).toEqual(expectedRows(spec, col));
        expect(Buffer.from(encodeChunk([back], [spec.ft])).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("several columns of every type in one chunk", () => {
    const multi = fc
      .tuple(members(5), members(10), fc.integer({ min: 0, max: 20 }))
      .chain(([e, s, n]) =>
        fc.tuple(
          ...specs(e, s).map((spec) =>
            fc.tuple(fc.constant(spec), fc.array(nullable(spec.value), { minLength: n, maxLength: n })),
          ),
        ),
      );
    fc.assert(
      fc.property(multi, (cases) => {
        const cols = cases.map(([spec, values]) => spec.make(values));
        const fts = cases.map(([spec]) => spec.ft);
        const back = decodeChunk(encodeChunk(cols, fts), fts);
        expect(back).toHaveLength(cols.length);
        for (let c = 0; c < cols.length; c++) {
          expect(rowsOf(back[c])).toEqual(expectedRows(cases[c][0], cols[c]));
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("logical rows", () => {
  it("encoding with logical rows equals encoding the gathered values", () => {
    const withRows = specCase.chain(([spec, values]) =>
      fc.tuple(
        fc.constant(spec),
        fc.constant(values),
        values.length === 0
          ? fc.constant([] as number[])
          : fc.array(fc.integer({ min: 0, max: values.length - 1 }), { maxLength: 50 }),
      ),
    );
    fc.assert(
      fc.property(withRows, ([spec, values, rows]) => {
        const col = spec.make(values);
        const got = encodeChunk([col], [spec.ft], Uint32Array.from(rows));
        const want = encodeChunk([spec.make(rows.map((r) => values[r]))], [spec.ft]);
        expect(Buffer.from(got).equals(Buffer.from(want))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("the identity selection as an array equals no selection", () => {
    fc.assert(
      fc.property(specCase, ([spec, values]) => {
        const col = spec.make(values);
        const all = Uint32Array.from(values.keys());
        expect(
          Buffer.from(encodeChunk([col], [spec.ft], all)).equals(Buffer.from(encodeChunk([col], [spec.ft]))),
        ).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe("fuzzing decodeChunk", () => {
  function decodeOrCodecError(bytes: Uint8Array, fts: FieldType[]): void {
    let cols: Column[];
    try {
      cols = decodeChunk(bytes, fts);
    } catch (e) {
      if (!isCoprError(e) || (e as Error).name !== "CodecError") throw e;
      return;
    }
    // Whatever decodes is a valid set of columns: reading and re-encoding them works.
    for (const c of cols) rowsOf(c);
    encodeChunk(cols, fts);
  }

  const allFts = specs(["a", "b"], ["x", "y", "z"]).map((s) => s.ft);

  it("random bytes give columns or a CodecError", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...allFts), { minLength: 1, maxLength: 3 }),
        fc.uint8Array({ maxLength: 200 }),
        (fts, bytes) => decodeOrCodecError(bytes, fts),
      ),
      { numRuns: 2000 },
    );
  });

  it("random headers over random bodies give columns or a CodecError", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...allFts),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
        fc.uint8Array({ maxLength: 300 }),
        (ft, rows, nulls, body) => {
          const bytes = new Uint8Array(8 + body.length);
          new DataView(bytes.buffer).setUint32(0, rows, true);
          new DataView(bytes.buffer).setUint32(4, nulls, true);
          bytes.set(body, 8);
          decodeOrCodecError(bytes, [ft]);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("truncated, bit-flipped and byte-patched encodings give columns or a CodecError", () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
      fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant("set" as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    );
    fc.assert(
      fc.property(specCase, fc.array(mutation, { minLength: 1, maxLength: 4 }), ([spec, values], muts) => {
        let bytes = encodeChunk([spec.make(values)], [spec.ft]).slice();
        for (const m of muts) {
          if (bytes.length === 0) break;
          const at = m.at % bytes.length;
          if (m.kind === "truncate") bytes = bytes.slice(0, at);
          else if (m.kind === "flip") bytes[at] ^= 1 << m.bit;
          else bytes[at] = m.byte;
        }
        decodeOrCodecError(bytes, [spec.ft]);
      }),
      { numRuns: 3000 },
    );
  });

  it("every strict prefix of a valid encoding is a CodecError", () => {
    fc.assert(
      fc.property(specCase, ([spec, values]) => {
        const bytes = encodeChunk([spec.make(values)], [spec.ft]);
        for (let cut = 0; cut < bytes.length; cut++) {
          expect(() => decodeChunk(bytes.subarray(0, cut), [spec.ft])).toThrow(/chunk: column 0/);
        }
      }),
      { numRuns: 100 },
    );
  });
});
