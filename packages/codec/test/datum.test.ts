import {
  type ChunkedVecBytes,
  ChunkedVecDateTime,
  type ChunkedVecDecimal,
  type ChunkedVecDuration,
  type ChunkedVecEnum,
  ChunkedVecInt,
  type ChunkedVecJson,
  ChunkedVecReal,
  type ChunkedVecSet,
  type ChunkedVecVectorFloat32,
  CodecError,
  Decimal,
  Duration,
  EvalContext,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  isCoprError,
  Time,
  TimeType,
  TimeZone,
} from "@copr/datatype";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteReader, ByteWriter } from "../src/buf.js";
import {
  BYTES_FLAG,
  COMPACT_BYTES_FLAG,
  Datum,
  DatumColumnDecoder,
  DECIMAL_FLAG,
  DURATION_FLAG,
  decodeDatumColumn,
  decodeDatums,
  encodeDatums,
  encodeKey,
  encodeValue,
  FLOAT_FLAG,
  INT_FLAG,
  JSON_FLAG,
  MAX_FLAG,
  NIL_FLAG,
  readDatum,
  skipDatum,
  skipDatums,
  splitDatum,
  UINT_FLAG,
  VAR_INT_FLAG,
  VAR_UINT_FLAG,
  VECTOR_FLOAT32_FLAG,
  writeDatum,
  writeDatums,
} from "../src/datum.js";

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const U64_MAX = (1n << 64n) - 1n;

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}
function unhex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/ /g, ""), "hex"));
}
function rd(b: Uint8Array): ByteReader {
  return new ByteReader(b, "datum test");
}
function cmpBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}
function catchErr(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}
function dec(s: string): Decimal {
  return Decimal.fromString(s);
}
function jsonI64(v: bigint): Uint8Array {
  const b = new Uint8Array(9);
  b[0] = 0x09;
  new DataView(b.buffer).setBigInt64(1, v, true);
  return b;
}
// Binary JSON of {"a": true}: type 01, count 1, size 20, key entry (offset 18, len 1), value
// entry (literal 04, payload 01 inline), then the key "a" at offset 19. Worked out from TiDB's layout.
const JSON_OBJECT = unhex("01 01000000 14000000 13000000 0100 04 01000000 61");
const ctx = new EvalContext();

describe("flags", () => {
  // Every flag of TiKV components/tidb_query_datatype/src/codec/datum.rs (= TiDB codec.go).
  it("match TiKV", () => {
    expect([
      NIL_FLAG,
      BYTES_FLAG,
      COMPACT_BYTES_FLAG,
      INT_FLAG,
      UINT_FLAG,
      FLOAT_FLAG,
      DECIMAL_FLAG,
      DURATION_FLAG,
      VAR_INT_FLAG,
      VAR_UINT_FLAG,
      JSON_FLAG,
      VECTOR_FLOAT32_FLAG,
      MAX_FLAG,
    ]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 250]);
  });
});

describe("encoding, hand-worked bytes", () => {
  it.each([
    ["int 1", Datum.int(1), "038000000000000001", "0802"],
    ["int -1", Datum.int(-1), "037fffffffffffffff", "0801"],
    ["int min", Datum.int(I64_MIN), "030000000000000000", "08ffffffffffffffffff01"],
    ["uint 1", Datum.uint(1), "040000000000000001", "0901"],
    ["uint max", Datum.uint(U64_MAX), "04ffffffffffffffff", "09ffffffffffffffffff01"],
    ["null", Datum.NULL, "00", "00"],
    ["float 1.0", Datum.float(1.0), "05bff0000000000000", "05bff0000000000000"],
    ["float -0", Datum.float(-0), "057fffffffffffffff", "057fffffffffffffff"],
    ["bytes 123", Datum.bytes("123"), "013132330000000000fa", "0206313233"],
    ["bytes empty", Datum.bytes(""), "010000000000000000f7", "0200"],
    // 1234.00: precision 6, frac 2; two bytes for 1234 (0x04d2), one for 00; sign bit flipped.
    ["decimal 1234.00", Datum.decimal(dec("1234.00")), "06060284d200", "06060284d200"],
    // Negative: every byte inverted, then the first byte's top bit flipped.
    ["decimal -1234.00", Datum.decimal(dec("-1234.00")), "0606027b2dff", "0606027b2dff"],
    ["decimal 0.1234", Datum.decimal(dec("0.1234")), "06040484d2", "06040484d2"],
    // cases: TiKV datum.rs test_split_datum `Datum::Dec(10.into())`.
    ["decimal 10", Datum.decimal(Decimal.fromI64(10)), "0602008a", "0602008a"],
    [
      "decimal 10 as (10,2)",
      Datum.decimal(Decimal.fromI64(10), 10, 2),
      "060a028000000a00",
      "060a028000000a00",
    ],
    // 23 ms = 23_000_000 ns = 0x15ef3c0; TiKV datum.rs test_datum_codec.
    ["duration 23ms", Datum.duration(Duration.fromMillis(23, 6)), "0780000000015ef3c0", "0780000000015ef3c0"],
    [
      "duration -23ms",
      Datum.duration(Duration.fromMillis(-23, 6)),
      "077ffffffffea10c40",
      "077ffffffffea10c40",
    ],
    ["json true", Datum.json(unhex("0401")), "0a0401", "0a0401"],
    ["json 3", Datum.json(jsonI64(3n)), "0a090300000000000000", "0a090300000000000000"],
    [
      "vector [1,2,3]",
      Datum.vectorFloat32([1, 2, 3]),
      "14030000000000803f0000004000004040",
      "14030000000000803f0000004000004040",
    ],
    ["vector []", Datum.vectorFloat32([]), "1400000000", "1400000000"],
    ["max", Datum.MAX, "fa", "fa"],
    ["min", Datum.MIN, "01", "01"],
  ])("%s", (_n, d, key, value) => {
    expect(hex(encodeKey([d]))).toBe(key);
    expect(hex(encodeValue([d]))).toBe(value);
  });

  it("a time is its packed u64 with UINT_FLAG in both forms", () => {
    const t = Time.parseDatetime(ctx, "2019-01-01 12:34:56.5", 1, false);
    // ((year * 13 + month) << 5 | day) << 17 | hour << 12 | minute << 6 | second, << 24 | micro.
    const ymd = ((2019n * 13n + 1n) << 5n) | 1n;
    const packed = (((ymd << 17n) | (12n << 12n) | (34n << 6n) | 56n) << 24n) | 500000n;
    const want = `04${packed.toString(16).padStart(16, "0")}`;
    expect(hex(encodeKey([Datum.time(t)]))).toBe(want);
    expect(hex(encodeValue([Datum.time(t)]))).toBe(want);
    // Decoded, it is a plain uint (the bytes do not say "time").
    expect(decodeDatums(unhex(want))).toEqual([Datum.uint(packed)]);
  });

  it("a TIMESTAMP is stored in UTC", () => {
    const tz = new EvalContext({ timeZone: TimeZone.fromOffset(8 * 3600) });
    const t = Time.parseTimestamp(tz, "2020-06-01 08:00:00", 0, false);
    const u = Time.parseTimestamp(ctx, "2020-06-01 00:00:00", 0, false);
    expect(encodeKey([Datum.time(t)], tz)).toEqual(encodeKey([Datum.time(u)], ctx));
  });

  it("min must be last", () => {
    expect(hex(encodeKey([Datum.int(1), Datum.MIN]))).toBe("03800000000000000101");
    expect(catchErr(() => encodeKey([Datum.MIN, Datum.int(1)]))).toBeInstanceOf(CodecError);
  });

  it("a decimal that does not fit its given precision is an error", () => {
    expect(isCoprError(catchErr(() => encodeKey([Datum.decimal(dec("123.45"), 4, 2)])))).toBe(true);
    expect(isCoprError(catchErr(() => encodeKey([Datum.decimal(dec("1.234"), 4, 2)])))).toBe(true);
    expect(isCoprError(catchErr(() => encodeKey([Datum.decimal(dec("1.2"), 2, 3)])))).toBe(true);
  });

  it("datum constructors check their range", () => {
    expect(() => Datum.int(I64_MAX + 1n)).toThrow(RangeError);
    expect(() => Datum.uint(-1)).toThrow(RangeError);
    expect(() => Datum.int(2 ** 60)).toThrow(RangeError);
    expect(Datum.int(5)).toEqual(Datum.int(5n));
  });

  it("writeDatum/writeDatums append to a writer", () => {
    const w = new ByteWriter();
    writeDatum(w, Datum.int(1), false);
    writeDatums(w, [Datum.NULL, Datum.uint(2)], true);
    expect(hex(w.finish())).toBe("080200040000000000000002");
    expect(hex(encodeDatums([Datum.int(1)], true))).toBe("038000000000000001");
  });
});

// The table of TiKV datum.rs test_datum_codec (JSON as binary bytes).
const CODEC_TABLE: Datum[][] = [
  [Datum.int(1)],
  [Datum.float(1.0), Datum.float(3.15), Datum.bytes("123")],
  [Datum.uint(1), Datum.float(3.15), Datum.bytes("123"), Datum.int(-1)],
  [Datum.NULL],
  [Datum.duration(Duration.fromMillis(23, 6)), Datum.duration(Duration.fromMillis(-23, 6))],
  [Datum.uint(1), Datum.decimal(Decimal.fromF64(2.3)), Datum.decimal(dec("-34"))],
  [
    "1234.00",
    "1234",
    "12.34",
    "12.340",
    "0.1234",
    "0.0",
    "0",
    "-0.0",
    "-0.0000",
    "-1234.00",
    "-1234",
    "-12.34",
    "-12.340",
    "-0.1234",
  ].map((s) => Datum.decimal(dec(s))),
  [
    Datum.json(JSON_OBJECT),
    Datum.json(jsonI64(3n)),
    Datum.json(unhex("0400")),
    Datum.json(unhex("0401")),
    Datum.json(unhex("0402")),
  ],
  [Datum.vectorFloat32([1, 2, 3]), Datum.vectorFloat32([])],
  [Datum.int(I64_MIN), Datum.int(I64_MAX), Datum.uint(U64_MAX), Datum.bytes(new Uint8Array(17).fill(0))],
];

function normalized(d: Datum): unknown {
  // Compare decimals by value and by the precision/fraction they were written with.
  if (d.kind === "decimal") {
    const [p, f] = d.value.precAndFrac();
    return { kind: "decimal", text: d.value.toString(), prec: d.prec ?? p, frac: d.frac ?? f };
  }
  if (d.kind === "duration") return { kind: "duration", nanos: d.value.nanos };
  return d;
}

describe("round trips", () => {
  it.each(CODEC_TABLE.map((row, i) => [i, row]))("TiKV test_datum_codec row %d", (_i, row) => {
    for (const enc of [encodeKey(row), encodeValue(row)]) {
      const back = decodeDatums(enc);
      expect(back.map(normalized)).toEqual(row.map(normalized));
    }
    expect(encodeKey(decodeDatums(encodeKey(row)))).toEqual(encodeKey(row));
    expect(encodeValue(decodeDatums(encodeValue(row)))).toEqual(encodeValue(row));
  });

  // cases: TiKV datum.rs test_split_datum (plus the codec table): splitting the list yields each
  // datum's own encoding.
  it.each(CODEC_TABLE.map((row, i) => [i, row]))("split/skip row %d", (_i, row) => {
    for (const comparable of [true, false]) {
      const all = encodeDatums(row, comparable);
      const r = rd(all);
      for (const d of row) {
        expect(splitDatum(r)).toEqual(encodeDatums([d], comparable));
      }
      expect(r.remaining).toBe(0);
      const r2 = rd(all);
      skipDatums(r2, row.length);
      expect(r2.remaining).toBe(0);
      expect(catchErr(() => skipDatums(rd(all), row.length + 1))).toBeInstanceOf(CodecError);
    }
  });

  const datumArb: fc.Arbitrary<Datum> = fc.oneof(
    fc.constant(Datum.NULL),
    fc.bigInt(I64_MIN, I64_MAX).map(Datum.int),
    fc.bigInt(0n, U64_MAX).map(Datum.uint),
    fc.double().map(Datum.float),
    fc.uint8Array({ maxLength: 30 }).map(Datum.bytes),
    fc
      .tuple(fc.bigInt(-(10n ** 20n), 10n ** 20n), fc.nat(6))
      .map(([v, f]) => Datum.decimal(scaledDecimal(v, f))),
    fc
      .integer({ min: -3_020_399_000_000, max: 3_020_399_000_000 })
      .map((us) => Datum.duration(Duration.fromNanos(us * 1000, 6))),
    fc.bigInt(I64_MIN, I64_MAX).map((v) => Datum.json(jsonI64(v))),
    fc.array(fc.float({ noNaN: true }), { maxLength: 5 }).map(Datum.vectorFloat32),
  );

  it("property: any datum list round-trips in both forms, and skips cleanly", () => {
    fc.assert(
      fc.property(fc.array(datumArb, { maxLength: 6 }), (row) => {
        for (const comparable of [true, false]) {
          const enc = encodeDatums(row, comparable);
          const back = decodeDatums(enc);
          expect(back.map(normalized)).toEqual(row.map(normalized));
          expect(encodeDatums(back, comparable)).toEqual(enc);
          const r = rd(enc);
          for (let i = 0; i < row.length; i++) skipDatum(r);
          expect(r.remaining).toBe(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

function scaledDecimal(v: bigint, frac: number): Decimal {
  const neg = v < 0n;
  const s = (neg ? -v : v).toString().padStart(frac + 1, "0");
  const text = frac === 0 ? s : `${s.slice(0, s.length - frac)}.${s.slice(s.length - frac)}`;
  return dec(neg ? `-${text}` : text);
}

describe("key order", () => {
  type Col = "int" | "uint" | "float" | "bytes" | "decimal" | "duration";
  const colArb = fc.constantFrom<Col>("int", "uint", "float", "bytes", "decimal", "duration");
  const valueArb = (c: Col): fc.Arbitrary<unknown> => {
    switch (c) {
      case "int":
        return fc.bigInt(I64_MIN, I64_MAX);
      case "uint":
        return fc.bigInt(0n, U64_MAX);
      case "float":
        return fc.double({ noNaN: true });
      case "bytes":
        return fc.uint8Array({ maxLength: 12 });
      case "decimal":
        return fc.bigInt(-(10n ** 12n), 10n ** 12n);
      case "duration":
        return fc.integer({ min: -3_020_399, max: 3_020_399 });
    }
  };
  const toDatum = (c: Col, v: unknown): Datum => {
    if (v === null) return Datum.NULL;
    switch (c) {
      case "int":
        return Datum.int(v as bigint);
      case "uint":
        return Datum.uint(v as bigint);
      case "float":
        return Datum.float(v as number);
      case "bytes":
        return Datum.bytes(v as Uint8Array);
      case "decimal":
        // A DECIMAL(15, 3) column: the key uses the column's precision and fraction.
        return Datum.decimal(scaledDecimal(v as bigint, 3), 15, 3);
      case "duration":
        return Datum.duration(Duration.fromSecs(v as number, 0));
    }
  };
  const cmpValue = (c: Col, a: unknown, b: unknown): number => {
    if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
    if (c === "bytes") return sign(cmpBytes(a as Uint8Array, b as Uint8Array));
    if (c === "float") {
      const x = a as number;
      const y = b as number;
      if (x !== y) return x < y ? -1 : 1;
      return sign((Object.is(x, -0) ? 0 : 1) - (Object.is(y, -0) ? 0 : 1));
    }
    return (a as bigint | number) < (b as bigint | number)
      ? -1
      : (a as bigint | number) > (b as bigint | number)
        ? 1
        : 0;
  };

  it("property: for rows of one schema, key byte order is row value order", () => {
    const rowPair = fc.array(colArb, { minLength: 1, maxLength: 4 }).chain((schema) => {
      const row = fc.tuple(...schema.map((c) => fc.option(valueArb(c), { freq: 5 })));
      return fc.tuple(fc.constant(schema), row, row);
    });
    fc.assert(
      fc.property(rowPair, ([schema, a, b]) => {
        let want = 0;
        for (let i = 0; i < schema.length && want === 0; i++) want = cmpValue(schema[i], a[i], b[i]);
        const ka = encodeKey(schema.map((c, i) => toDatum(c, a[i])));
        const kb = encodeKey(schema.map((c, i) => toDatum(c, b[i])));
        expect(sign(cmpBytes(ka, kb))).toBe(want);
      }),
      { numRuns: 1000 },
    );
  });

  it("min sorts below every non-null value and max above everything", () => {
    const min = encodeKey([Datum.MIN]);
    const max = encodeKey([Datum.MAX]);
    for (const d of [
      Datum.bytes(""),
      Datum.int(I64_MIN),
      Datum.uint(0),
      Datum.float(Number.NEGATIVE_INFINITY),
    ]) {
      const k = encodeKey([d]);
      expect(cmpBytes(min, k)).toBeLessThan(0);
      expect(cmpBytes(k, max)).toBeLessThan(0);
    }
    expect(cmpBytes(encodeKey([Datum.NULL]), min)).toBeLessThan(0);
  });
});

describe("decoding errors", () => {
  it.each([
    ["empty", ""],
    ["unknown flag 11", "0b"],
    ["max flag", "fa"],
    ["truncated int", "03800000"],
    ["truncated var-int", "0880"],
    ["bad bytes marker", "010000000000000000ff"],
    ["truncated compact", "020a6162"],
    ["decimal frac > prec", "06020300"],
    ["decimal precision 0", "060000"],
    ["decimal too many words", "06ff0000"],
    ["truncated decimal", "06060284d2"],
    ["decimal digit group out of range", "060100ff"],
    ["duration out of range", "07ffffffffffffffff"],
    ["json unknown type", "0a0200"],
    ["json bad literal", "0a0403"],
    ["json truncated string", "0a0c05616263"],
    ["json container size below header", "0a03010000000400000000"],
    ["json container truncated", "0a030100000040000000"],
    ["truncated vector", "1402000000000000"],
  ])("%s is a CodecError and the reader does not move", (_n, h) => {
    const r = rd(unhex(h));
    const e = catchErr(() => readDatum(r));
    expect(e).toBeInstanceOf(CodecError);
    expect((e as CodecError).format).toBe("datum test");
    expect(r.pos).toBe(0);
    if (!["decimal digit group out of range", "duration out of range", "json bad literal"].includes(_n)) {
      expect(catchErr(() => skipDatum(r))).toBeInstanceOf(CodecError);
      expect(r.pos).toBe(0);
    }
  });

  it("a vector flag at the very end is the empty vector (as TiKV)", () => {
    expect(decodeDatums(unhex("14"))).toEqual([{ kind: "vectorFloat32", value: new Float32Array(0) }]);
  });

  it("a DURATION datum decodes with fsp 6, rounding as TiKV from_nanos", () => {
    const [d] = decodeDatums(unhex("078000000000000001")); // 1 ns
    expect(d.kind).toBe("duration");
    expect(d.kind === "duration" && d.value.nanos).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Decoding into columns.

function col(ft: FieldType, datums: (Uint8Array | null)[], c?: EvalContext) {
  return decodeDatumColumn(ft, datums, c);
}
function ke(d: Datum): Uint8Array {
  return encodeKey([d]);
}
function ve(d: Datum): Uint8Array {
  return encodeValue([d]);
}

describe("decodeDatumColumn", () => {
  it("Int from every integer flag; exact beyond 2^53", () => {
    const ft = fieldType(FieldTypeTp.LongLong);
    const vals = [0n, 1n, -1n, I64_MIN, I64_MAX, 2n ** 53n, -(2n ** 53n), 123456789n];
    const datums = vals.flatMap((v) => [ke(Datum.int(v)), ve(Datum.int(v))]);
    datums.push(unhex("00"));
    const c = col(ft, datums) as ChunkedVecInt;
    expect(c).toBeInstanceOf(ChunkedVecInt);
    expect(c.length).toBe(vals.length * 2 + 1);
    vals.forEach((v, i) => {
      expect(c.get(2 * i)).toBe(v);
      expect(c.get(2 * i + 1)).toBe(v);
    });
    expect(c.get(vals.length * 2)).toBeNull();
  });

  it("Int keeps the f64 representation for safe values (no bigint per row)", () => {
    const ft = fieldType(FieldTypeTp.Long);
    const c = col(ft, [ke(Datum.int(-5)), ve(Datum.int(7)), ke(Datum.uint(9))]) as ChunkedVecInt;
    expect(c.data.repr).toBe("f64");
    expect([...c.data.values]).toEqual([-5, 7, 9]);
  });

  it("UNSIGNED columns read the 64-bit pattern as unsigned (UINT/VAR_UINT, and INT as TiKV casts)", () => {
    const ft = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned });
    const c = col(ft, [
      ke(Datum.uint(U64_MAX)),
      ve(Datum.uint(U64_MAX)),
      ve(Datum.uint(42)),
      ke(Datum.int(-1)),
    ]) as ChunkedVecInt;
    expect(c.unsigned).toBe(true);
    expect(c.get(0)).toBe(U64_MAX);
    expect(c.get(1)).toBe(U64_MAX);
    expect(c.get(2)).toBe(42n);
    expect(c.get(3)).toBe(U64_MAX);
  });

  it("a UINT above i64::MAX in a signed column keeps its bits (TiKV `as i64`)", () => {
    const c = col(fieldType(FieldTypeTp.LongLong), [ke(Datum.uint(U64_MAX))]) as ChunkedVecInt;
    expect(c.get(0)).toBe(-1n);
  });

  it("BIT columns: uint, and big-endian bytes", () => {
    const ft = fieldType(FieldTypeTp.Bit, { flag: FieldTypeFlag.Unsigned });
    const c = col(ft, [
      ve(Datum.uint(5)),
      ve(Datum.bytes(Uint8Array.from([1, 2]))),
      ke(Datum.bytes(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))),
    ]) as ChunkedVecInt;
    expect(c.get(0)).toBe(5n);
    expect(c.get(1)).toBe(0x0102n);
    expect(c.get(2)).toBe(U64_MAX);
    expect(catchErr(() => col(ft, [ve(Datum.bytes(new Uint8Array(9)))]))).toBeInstanceOf(CodecError);
    // Bytes are not an integer for other integer columns.
    expect(catchErr(() => col(fieldType(FieldTypeTp.Long), [ve(Datum.bytes("1"))]))).toBeInstanceOf(
      CodecError,
    );
  });

  it("Real: DOUBLE as is; FLOAT rounded to float32; NaN is NULL (TiKV decode_real_datum)", () => {
    const d = col(fieldType(FieldTypeTp.Double), [
      ke(Datum.float(3.15)),
      ke(Datum.float(Number.NaN)),
    ]) as ChunkedVecReal;
    expect(d).toBeInstanceOf(ChunkedVecReal);
    expect(d.get(0)).toBe(3.15);
    expect(d.get(1)).toBeNull();
    const f = col(fieldType(FieldTypeTp.Float), [ke(Datum.float(3.15))]) as ChunkedVecReal;
    expect(f.get(0)).toBe(Math.fround(3.15));
    expect(f.get(0)).not.toBe(3.15);
  });

  it("Decimal", () => {
    const c = col(fieldType(FieldTypeTp.NewDecimal, { flen: 10, decimal: 2 }), [
      ke(Datum.decimal(dec("1234.00"))),
      ke(Datum.decimal(dec("-0.5"), 10, 2)),
      unhex("00"),
    ]) as ChunkedVecDecimal;
    expect(c.get(0)?.toString()).toBe("1234.00");
    expect(c.get(1)?.toString()).toBe("-0.50");
    expect(c.get(2)).toBeNull();
  });

  it("Bytes from BYTES (index) and COMPACT_BYTES (record), including long values", () => {
    const long = new Uint8Array(300).map((_, i) => i & 0xff);
    const c = col(fieldType(FieldTypeTp.VarChar), [
      ke(Datum.bytes("héllo")),
      ve(Datum.bytes("héllo")),
      ke(Datum.bytes(long)),
      ke(Datum.bytes("")),
      ve(Datum.bytes(long)),
    ]) as ChunkedVecBytes;
    expect(new TextDecoder().decode(c.get(0) as Uint8Array)).toBe("héllo");
    expect(new TextDecoder().decode(c.get(1) as Uint8Array)).toBe("héllo");
    expect(c.get(2)).toEqual(long);
    expect(c.get(3)).toEqual(new Uint8Array(0));
    expect(c.get(4)).toEqual(long);
  });

  it("DateTime from UINT/VAR_UINT with the field type's type and fsp", () => {
    const t = Time.parseDatetime(ctx, "2019-01-01 12:34:56.5", 1, false);
    const packed = t.toPackedU64(ctx);
    const ft = fieldType(FieldTypeTp.DateTime, { decimal: 1 });
    const c = col(ft, [ke(Datum.uint(packed)), ve(Datum.uint(packed))]) as ChunkedVecDateTime;
    expect(c).toBeInstanceOf(ChunkedVecDateTime);
    expect(c.get(0)?.toString()).toBe("2019-01-01 12:34:56.5");
    expect(c.get(1)?.equals(t)).toBe(true);
    const date = col(fieldType(FieldTypeTp.Date), [ke(Datum.uint(packed))]) as ChunkedVecDateTime;
    expect(date.get(0)?.type).toBe(TimeType.Date);
    expect(date.get(0)?.toString()).toBe("2019-01-01");
  });

  it("TIMESTAMP is converted from UTC to the session zone", () => {
    const utc = Time.parseTimestamp(ctx, "2020-06-01 00:00:00", 0, false);
    const tz = new EvalContext({ timeZone: TimeZone.fromOffset(8 * 3600) });
    const c = col(fieldType(FieldTypeTp.Timestamp), [ke(Datum.time(utc))], tz) as ChunkedVecDateTime;
    expect(c.get(0)?.toString()).toBe("2020-06-01 08:00:00");
  });

  it("Duration from DURATION, VAR_INT and INT, rounded to the column fsp", () => {
    const ft = fieldType(FieldTypeTp.Duration, { decimal: 0 });
    const n = 1_500_000_000; // 1.5 s
    const c = col(ft, [
      ke(Datum.duration(Duration.fromNanos(n, 6))),
      ve(Datum.int(n)),
      ke(Datum.int(-n)),
      ke(Datum.duration(Duration.fromSecs(3, 0))),
    ]) as ChunkedVecDuration;
    expect(c.get(0)?.nanos).toBe(2_000_000_000);
    expect(c.get(1)?.nanos).toBe(2_000_000_000);
    expect(c.get(2)?.nanos).toBe(-2_000_000_000);
    expect(c.get(3)?.nanos).toBe(3_000_000_000);
    expect(catchErr(() => col(ft, [ke(Datum.int(10n ** 16n))]))).toBeInstanceOf(CodecError);
  });

  it("Json", () => {
    const c = col(fieldType(FieldTypeTp.Json), [
      ke(Datum.json(JSON_OBJECT)),
      ve(Datum.json(jsonI64(-7n))),
    ]) as ChunkedVecJson;
    expect(c.get(0)).toEqual(JSON_OBJECT);
    expect(c.get(1)).toEqual(jsonI64(-7n));
  });

  it("Enum from UINT, VAR_UINT and compact bytes holding a var-uint; index checked", () => {
    const ft = fieldType(FieldTypeTp.Enum, { elems: ["a", "b", "c"] });
    const inner = new ByteWriter();
    inner.u8(COMPACT_BYTES_FLAG);
    inner.u8(2); // zigzag length 1
    inner.u8(3); // var-uint 3
    const c = col(ft, [ke(Datum.uint(2)), ve(Datum.uint(0)), inner.finish().slice()]) as ChunkedVecEnum;
    expect(c.get(0)?.name).toBe("b");
    expect(c.get(1)?.value).toBe(0);
    expect(c.get(2)?.name).toBe("c");
    expect(catchErr(() => col(ft, [ve(Datum.uint(4))]))).toBeInstanceOf(CodecError);
    expect(catchErr(() => col(ft, [ke(Datum.int(1))]))).toBeInstanceOf(CodecError);
  });

  it("Set from UINT and VAR_UINT", () => {
    const ft = fieldType(FieldTypeTp.Set, { elems: ["a", "b", "c"] });
    const c = col(ft, [ke(Datum.uint(5)), ve(Datum.uint(2))]) as ChunkedVecSet;
    expect(c.get(0)?.toString()).toBe("a,c");
    expect(c.get(1)?.toString()).toBe("b");
  });

  it("VectorFloat32", () => {
    const c = col(fieldType(FieldTypeTp.TiDBVectorFloat32), [
      ke(Datum.vectorFloat32([1.5, -2])),
      unhex("00"),
    ]) as ChunkedVecVectorFloat32;
    expect([...(c.get(0) as Float32Array)]).toEqual([1.5, -2]);
    expect(c.get(1)).toBeNull();
  });

  it.each([
    [fieldType(FieldTypeTp.LongLong), Datum.float(1)],
    [fieldType(FieldTypeTp.Double), Datum.int(1)],
    [fieldType(FieldTypeTp.NewDecimal), Datum.int(1)],
    [fieldType(FieldTypeTp.VarChar), Datum.int(1)],
    [fieldType(FieldTypeTp.DateTime), Datum.int(1)],
    [fieldType(FieldTypeTp.Duration), Datum.uint(1)],
    [fieldType(FieldTypeTp.Json), Datum.bytes("{}")],
    [fieldType(FieldTypeTp.Set, { elems: ["a"] }), Datum.int(1)],
    [fieldType(FieldTypeTp.TiDBVectorFloat32), Datum.bytes("x")],
  ])("a flag the column cannot take is a CodecError (%o)", (ft, d) => {
    const e = catchErr(() => col(ft, [ke(d)])) as CodecError;
    expect(e).toBeInstanceOf(CodecError);
    expect(e.format).toBe("datum");
    expect(e.offset).toBe(0);
  });

  it("a TIMESTAMP outside its range becomes a CodecError, as TiKV maps it to InvalidDataType", () => {
    const ft = fieldType(FieldTypeTp.Timestamp);
    // 2038-02-01 does not fit a TIMESTAMP.
    const t = ((((2038n * 13n + 2n) << 5n) | 1n) << 17n) << 24n;
    expect(catchErr(() => col(ft, [ke(Datum.uint(t))]))).toBeInstanceOf(CodecError);
  });

  it("decoder over one row buffer: reads datums in sequence and reports the length", () => {
    const dec2 = new DatumColumnDecoder(fieldType(FieldTypeTp.LongLong));
    const row = encodeValue([Datum.int(1), Datum.NULL, Datum.int(300)]);
    const r = new ByteReader(row, "row v1");
    dec2.decode(r);
    dec2.decode(r);
    dec2.decode(r);
    dec2.appendNull();
    expect(r.remaining).toBe(0);
    expect(dec2.length).toBe(4);
    const c = dec2.finish() as ChunkedVecInt;
    expect([c.get(0), c.get(1), c.get(2), c.get(3)]).toEqual([1n, null, 300n, null]);
    const bad = new ByteReader(unhex("0380"), "row v1");
    const e = catchErr(() =>
      new DatumColumnDecoder(fieldType(FieldTypeTp.LongLong)).decode(bad),
    ) as CodecError;
    expect(e.format).toBe("row v1");
    expect(bad.pos).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Fuzzing.

const FUZZ_TYPES: FieldType[] = [
  fieldType(FieldTypeTp.LongLong),
  fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned }),
  fieldType(FieldTypeTp.Bit),
  fieldType(FieldTypeTp.Double),
  fieldType(FieldTypeTp.Float),
  fieldType(FieldTypeTp.NewDecimal),
  fieldType(FieldTypeTp.VarChar),
  fieldType(FieldTypeTp.DateTime, { decimal: 6 }),
  fieldType(FieldTypeTp.Timestamp),
  fieldType(FieldTypeTp.Date),
  fieldType(FieldTypeTp.Duration, { decimal: 3 }),
  fieldType(FieldTypeTp.Json),
  fieldType(FieldTypeTp.Enum, { elems: ["a", "b"] }),
  fieldType(FieldTypeTp.Set, { elems: ["a", "b"] }),
  fieldType(FieldTypeTp.TiDBVectorFloat32),
];

function fuzzOne(bytes: Uint8Array): void {
  const ok = (e: unknown) => {
    expect(isCoprError(e)).toBe(true);
    expect(e).toBeInstanceOf(CodecError);
  };
  for (const f of [
    (r: ByteReader) => readDatum(r),
    (r: ByteReader) => skipDatum(r),
    (r: ByteReader) => skipDatum(r, true),
  ]) {
    const r = new ByteReader(bytes, "fuzz");
    try {
      f(r);
      expect(r.pos).toBeLessThanOrEqual(bytes.length);
    } catch (e) {
      ok(e);
      expect(r.pos).toBe(0);
    }
  }
  for (const ft of FUZZ_TYPES) {
    const d = new DatumColumnDecoder(ft);
    const r = new ByteReader(bytes, "fuzz");
    try {
      d.decode(r);
      expect(d.length).toBe(1);
      // The value can be read back from the column.
      d.finish().get(0);
    } catch (e) {
      ok(e);
      expect(r.pos).toBe(0);
    }
  }
}

describe("fuzzing the datum decoders", () => {
  it("random bytes (with a valid flag most of the time)", () => {
    const flag = fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 250, 11);
    fc.assert(
      fc.property(flag, fc.uint8Array({ maxLength: 40 }), fc.boolean(), (f, rest, raw) => {
        fuzzOne(raw ? rest : Uint8Array.from([f, ...rest]));
      }),
      { numRuns: 3000 },
    );
  });

  it("mutated valid datums (truncated, bit-flipped)", () => {
    const samples = CODEC_TABLE.flat().flatMap((d) => [ke(d), ve(d)]);
    fc.assert(
      fc.property(fc.nat(samples.length - 1), fc.nat(), fc.nat(7), fc.nat(), (i, pos, bit, cut) => {
        const s = samples[i];
        const flipped = s.slice();
        flipped[pos % s.length] ^= 1 << bit;
        fuzzOne(flipped);
        fuzzOne(s.subarray(0, cut % (s.length + 1)));
      }),
      { numRuns: 3000 },
    );
  });
});
