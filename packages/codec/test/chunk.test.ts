// Chunk RPC format: hand-worked byte vectors, TiKV/TiDB test cases and corruption checks.
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
  CodecError,
  type Column,
  Decimal,
  Duration,
  EvalContext,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  MySqlSet,
  Time,
  UnsupportedError,
} from "@copr/datatype";
import { describe, expect, it } from "vitest";
import { ByteWriter } from "../src/buf.js";
import {
  chunkEncodedSize,
  chunkFixedLen,
  decodeChunk,
  encodeBatchChunk,
  encodeChunk,
  encodeChunkInto,
  writeChunk,
} from "../src/chunk.js";

/** Bytes from hex digits; spaces and `|` are ignored. */
function hex(s: string): Uint8Array {
  const clean = s.replace(/[\s|]/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}

const zeros = (n: number) => "00".repeat(n);
const i64 = (v: bigint) => toHex(new Uint8Array(BigInt64Array.of(BigInt.asIntN(64, v)).buffer));
const u32 = (v: number) => toHex(new Uint8Array(Uint32Array.of(v).buffer));

const LONGLONG = fieldType(FieldTypeTp.LongLong);
const ULONGLONG = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned });
const VARCHAR = fieldType(FieldTypeTp.VarChar);

/** Values of a decoded column, row by row, in a comparable form. */
function rowsOf(c: Column): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < c.length; i++) {
    const v = c.get(i);
    if (v === null) out.push(null);
    else if (v instanceof Uint8Array || v instanceof Float32Array) out.push(Array.from(v));
    else if (v instanceof Decimal) out.push(`dec:${v.toString()}`);
    else if (v instanceof Time) out.push(`time:${v.toCoreU64()}`);
    else if (v instanceof Duration) out.push(`dur:${v.nanos}`);
    else if (v instanceof MySqlSet) out.push(`set:${v.lo},${v.hi}`);
    else if (typeof v === "object" && v !== null && "value" in v)
      out.push(`enum:${(v as { value: number }).value}`);
    else out.push(v);
  }
  return out;
}

function expectCodecError(f: () => unknown, match?: RegExp): CodecError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CodecError);
    expect((e as CodecError).format).toBe("chunk");
    if (match !== undefined) expect((e as Error).message).toMatch(match);
    return e as CodecError;
  }
  throw new Error("expected a CodecError");
}

describe("chunkFixedLen", () => {
  // TiDB pkg/util/chunk/codec.go getFixedLen and TiKV chunk/column.rs Column::new.
  it.each([
    [FieldTypeTp.Float, 4],
    [FieldTypeTp.Tiny, 8],
    [FieldTypeTp.Short, 8],
    [FieldTypeTp.Int24, 8],
    [FieldTypeTp.Long, 8],
    [FieldTypeTp.LongLong, 8],
    [FieldTypeTp.Year, 8],
    [FieldTypeTp.Double, 8],
    [FieldTypeTp.Duration, 8],
    [FieldTypeTp.Date, 8],
    [FieldTypeTp.DateTime, 8],
    [FieldTypeTp.Timestamp, 8],
    [FieldTypeTp.NewDecimal, 40],
    [FieldTypeTp.VarChar, -1],
    [FieldTypeTp.Bit, -1],
    [FieldTypeTp.Json, -1],
    [FieldTypeTp.Enum, -1],
    [FieldTypeTp.Set, -1],
    [FieldTypeTp.TiDBVectorFloat32, -1],
    [FieldTypeTp.Null, -1],
  ])("tp %i is %i bytes", (tp, len) => {
    expect(chunkFixedLen(tp)).toBe(len);
  });
});

describe("hand-worked byte vectors", () => {
  const ctx = new EvalContext();
  const cases: [string, Column, FieldType, string][] = [
    [
      "BIGINT without NULL, i64 edges",
      ChunkedVecInt.fromValues([0, (1n << 63n) - 1n, -(1n << 63n)]),
      LONGLONG,
      `${u32(3)}${u32(0)}${zeros(8)}ffffffffffffff7f0000000000000080`,
    ],
    [
      "BIGINT with a NULL (bit set = not NULL)",
      ChunkedVecInt.fromValues([1, -1, null]),
      LONGLONG,
      `03000000 01000000 | 03 | 0100000000000000 ffffffffffffffff 0000000000000000`,
    ],
    [
      "BIGINT UNSIGNED max",
      ChunkedVecInt.fromValues([(1n << 64n) - 1n, 5], { unsigned: true }),
      ULONGLONG,
      `02000000 00000000 ffffffffffffffff 0500000000000000`,
    ],
    [
      "INT beyond 2^31 held as a double",
      ChunkedVecInt.fromValues([4_294_967_296 * 3 + 7, -4_294_967_297]),
      fieldType(FieldTypeTp.Long),
      `02000000 00000000 ${i64(4_294_967_296n * 3n + 7n)} ${i64(-4_294_967_297n)}`,
    ],
    [
      "VARCHAR with NULL, empty and multi-byte UTF-8",
      ChunkedVecBytes.fromValues(["a", null, "", "héllo"]),
      VARCHAR,
      `04000000 01000000 | 0d | ${i64(0n)}${i64(1n)}${i64(1n)}${i64(1n)}${i64(7n)} | 61 68c3a96c6c6f`,
    ],
    [
      "DECIMAL 1234.00 and NULL (TiKV chunk/column.rs test_column_decimal value)",
      ChunkedVecDecimal.fromValues([Decimal.fromString("1234.00"), null]),
      fieldType(FieldTypeTp.NewDecimal),
      `02000000 01000000 | 01 | 04020200 d2040000 ${zeros(32)} | ${zeros(40)}`,
    ],
    [
      "DECIMAL -0.12345",
      ChunkedVecDecimal.fromValues([Decimal.fromString("-0.12345")]),
      fieldType(FieldTypeTp.NewDecimal),
      `01000000 00000000 | 01050501 00000000 90b25b07 ${zeros(28)}`,
    ],
    [
      "DATETIME 2012-12-31 11:30:45 (TiKV chunk.rs test_append_datum value), core-time layout",
      ChunkedVecDateTime.fromValues([Time.parseDatetime(ctx, "2012-12-31 11:30:45", 0, true), null]),
      fieldType(FieldTypeTp.DateTime),
      `02000000 01000000 | 01 | 000000adb73e731f ${zeros(8)}`,
    ],
    [
      "TIME 10:11:12 as i64 nanoseconds (TiKV chunk.rs test_append_datum value)",
      ChunkedVecDuration.fromValues([Duration.fromNanos(36_672e9, 0), Duration.fromNanos(-1e9, 0)], 0),
      fieldType(FieldTypeTp.Duration),
      `02000000 00000000 0080885d5a210000 ${i64(-1_000_000_000n)}`,
    ],
    [
      "DOUBLE 1.5",
      ChunkedVecReal.fromValues([1.5]),
      fieldType(FieldTypeTp.Double),
      `01000000 00000000 000000000000f83f`,
    ],
    [
      "FLOAT narrows to 4 bytes",
      ChunkedVecReal.fromValues([1.5, 0.1, null]),
      fieldType(FieldTypeTp.Float),
      `03000000 01000000 03 0000c03f cdcccc3d 00000000`,
    ],
    [
      "ENUM: u64 index then the name, var-length; NULL takes no bytes",
      ChunkedVecEnum.fromValues([2, 0, null], ["a", "b", "c"]),
      fieldType(FieldTypeTp.Enum, { elems: ["a", "b", "c"] }),
      `03000000 01000000 03 | ${i64(0n)}${i64(9n)}${i64(17n)}${i64(17n)} | 0200000000000000 62 0000000000000000`,
    ],
    [
      "SET: u64 mask then the comma-joined names (TiDB Column.AppendSet)",
      ChunkedVecSet.fromValues(
        [MySqlSet.fromValue(["a", "bb", "c"], 5), MySqlSet.fromValue(["a", "bb", "c"], 0)],
        ["a", "bb", "c"],
      ),
      fieldType(FieldTypeTp.Set, { elems: ["a", "bb", "c"] }),
      `02000000 00000000 | ${i64(0n)}${i64(11n)}${i64(19n)} | 0500000000000000 612c63 0000000000000000`,
    ],
    [
      "JSON string '0.12345' (TiDB codec_test.go TestCodec value): type byte then payload",
      ChunkedVecJson.fromValues([hex("0c07302e3132333435")]),
      fieldType(FieldTypeTp.Json),
      `01000000 00000000 ${i64(0n)}${i64(9n)} 0c07302e3132333435`,
    ],
    [
      "BIT(10): big-endian, 2 bytes kept",
      ChunkedVecInt.fromValues([0x3ff, null, 1], { unsigned: true }),
      fieldType(FieldTypeTp.Bit, { flen: 10, flag: FieldTypeFlag.Unsigned }),
      `03000000 01000000 05 | ${i64(0n)}${i64(2n)}${i64(2n)}${i64(4n)} | 03ff 0001`,
    ],
    [
      "BIT(64): 8 bytes kept",
      ChunkedVecInt.fromValues([(1n << 64n) - 2n], { unsigned: true }),
      fieldType(FieldTypeTp.Bit, { flen: 64, flag: FieldTypeFlag.Unsigned }),
      `01000000 00000000 | ${i64(0n)}${i64(8n)} | fffffffffffffffe`,
    ],
    [
      "BIT(1): 1 byte kept",
      ChunkedVecInt.fromValues([1], { unsigned: true }),
      fieldType(FieldTypeTp.Bit, { flen: 1, flag: FieldTypeFlag.Unsigned }),
      `01000000 00000000 | ${i64(0n)}${i64(1n)} | 01`,
    ],
    [
      "VECTOR<FLOAT32>: u32 count then the elements; NULL takes no bytes",
      ChunkedVecVectorFloat32.fromValues([[1, 2], null, []]),
      fieldType(FieldTypeTp.TiDBVectorFloat32),
      `03000000 01000000 05 | ${i64(0n)}${i64(12n)}${i64(12n)}${i64(16n)} | 02000000 0000803f 00000040 00000000`,
    ],
    ["an empty column", ChunkedVecInt.fromValues([]), LONGLONG, `00000000 00000000`],
    ["an empty VARCHAR column", ChunkedVecBytes.fromValues([]), VARCHAR, `00000000 00000000 ${i64(0n)}`],
  ];

  it.each(cases)("%s", (_name, col, ft, want) => {
    const bytes = encodeChunk([col], [ft]);
    expect(toHex(bytes)).toBe(toHex(hex(want)));
    expect(chunkEncodedSize([col], [ft])).toBe(bytes.length);
    const [back] = decodeChunk(hex(want), [ft]);
    expect(back.evalType).toBe(col.evalType);
    expect(back.nullCount).toBe(col.nullCount);
    // FLOAT values come back rounded to float32.
    const want32 = rowsOf(col).map((v) =>
      ft.tp === FieldTypeTp.Float && typeof v === "number" ? Math.fround(v) : v,
    );
    expect(rowsOf(back)).toEqual(want32);
  });
});

describe("TiDB pkg/util/chunk/codec_test.go TestCodec", () => {
  // Six columns of ten rows: an all-NULL BIGINT, BIGINT i, two VARCHAR "i.12345", a DECIMAL
  // "i.12345" and a JSON string "i.12345". Bytes worked out by hand from the layout.
  const fts = [
    LONGLONG,
    LONGLONG,
    VARCHAR,
    VARCHAR,
    fieldType(FieldTypeTp.NewDecimal),
    fieldType(FieldTypeTp.Json),
  ];
  const strs = Array.from({ length: 10 }, (_, i) => `${i}.12345`);
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const cols: Column[] = [
    ChunkedVecInt.fromValues(Array(10).fill(null)),
    ChunkedVecInt.fromValues(strs.map((_, i) => i)),
    ChunkedVecBytes.fromValues(strs),
    ChunkedVecBytes.fromValues(strs),
    ChunkedVecDecimal.fromValues(strs.map((s) => Decimal.fromString(s))),
    ChunkedVecJson.fromValues(strs.map((s) => Uint8Array.of(0x0c, 7, ...utf8(s)))),
  ];
  const strOffsets = Array.from({ length: 11 }, (_, i) => i64(BigInt(7 * i))).join("");
  const jsonOffsets = Array.from({ length: 11 }, (_, i) => i64(BigInt(9 * i))).join("");
  const strData = strs.map((s) => toHex(utf8(s))).join("");
  const decData = strs.map((_, i) => `01050500 ${u32(i)} 90b25b07 ${zeros(28)}`).join("");
  const jsonData = strs.map((s) => `0c07${toHex(utf8(s))}`).join("");
  const want = hex(
    [
      `0a000000 0a000000 0000 ${zeros(80)}`,
      `0a000000 00000000 ${strs.map((_, i) => i64(BigInt(i))).join("")}`,
      `0a000000 00000000 ${strOffsets} ${strData}`,
      `0a000000 00000000 ${strOffsets} ${strData}`,
      `0a000000 00000000 ${decData}`,
      `0a000000 00000000 ${jsonOffsets} ${jsonData}`,
    ].join(""),
  );

  it("encodes to the hand-worked bytes", () => {
    expect(toHex(encodeChunk(cols, fts))).toBe(toHex(want));
  });

  it("decodes back", () => {
    const got = decodeChunk(want, fts);
    expect(got).toHaveLength(6);
    for (let c = 0; c < 6; c++) {
      expect(got[c].length).toBe(10);
      expect(rowsOf(got[c])).toEqual(rowsOf(cols[c]));
    }
    for (let i = 0; i < 10; i++) {
      expect(got[0].isNull(i)).toBe(true);
      expect((got[4].get(i) as Decimal).toString()).toBe(strs[i]);
    }
  });
});

describe("logical rows", () => {
  it("writes only the selected rows, in their order, repeats included", () => {
    const col = ChunkedVecBytes.fromValues(["a", "bb", null, "dddd"]);
    const rows = Uint32Array.of(3, 2, 0, 3);
    const got = encodeChunk([col], [VARCHAR], rows);
    const want = encodeChunk([ChunkedVecBytes.fromValues(["dddd", null, "a", "dddd"])], [VARCHAR]);
    expect(toHex(got)).toBe(toHex(want));
  });

  it("drops the bitmap when the selected rows have no NULL", () => {
    const col = ChunkedVecInt.fromValues([1, null, 3]);
    const got = encodeChunk([col], [LONGLONG], Uint32Array.of(2, 0));
    expect(toHex(got)).toBe(toHex(hex(`02000000 00000000 ${i64(3n)}${i64(1n)}`)));
  });

  it("an empty selection encodes empty columns", () => {
    const got = encodeChunk([ChunkedVecInt.fromValues([1, 2])], [LONGLONG], new Uint32Array(0));
    expect(toHex(got)).toBe("0000000000000000");
  });

  it("encodeBatchChunk picks the output columns and the batch's rows", () => {
    const a = ChunkedVecInt.fromValues([1, 2, 3]);
    const b = ChunkedVecBytes.fromValues(["x", "y", "z"]);
    const batch = { columns: [a, b], physicalLength: 3, logicalRows: Uint32Array.of(2, 1) } as never;
    const got = encodeBatchChunk(batch, [1, 0], [LONGLONG, VARCHAR]);
    const want = encodeChunk(
      [ChunkedVecBytes.fromValues(["z", "y"]), ChunkedVecInt.fromValues([3, 2])],
      [VARCHAR, LONGLONG],
    );
    expect(toHex(got)).toBe(toHex(want));
  });
});

describe("other entry points", () => {
  const col = ChunkedVecInt.fromValues([7, null]);
  const want = encodeChunk([col], [LONGLONG]);

  it("encodeChunkInto writes at an unaligned offset and returns the end", () => {
    const out = new Uint8Array(want.length + 5).fill(0xee);
    const end = encodeChunkInto(out, 3, [col], [LONGLONG]);
    expect(end).toBe(3 + want.length);
    expect(toHex(out.subarray(3, end))).toBe(toHex(want));
    expect(out[0]).toBe(0xee);
    expect(out[end]).toBe(0xee);
  });

  it("writeChunk appends to a ByteWriter", () => {
    const w = new ByteWriter();
    w.u8(9);
    writeChunk(w, [col], [LONGLONG]);
    expect(toHex(w.finish())).toBe(`09${toHex(want)}`);
  });

  it("BIT wider than 64 is unsupported, as in TiKV", () => {
    const ft = fieldType(FieldTypeTp.Bit, { flen: 65 });
    expect(() => encodeChunk([ChunkedVecInt.fromValues([1])], [ft])).toThrow(UnsupportedError);
  });

  it("decodes from a subarray at an odd offset", () => {
    const buf = new Uint8Array(want.length + 1);
    buf.set(want, 1);
    const [back] = decodeChunk(buf.subarray(1), [LONGLONG]);
    expect(rowsOf(back)).toEqual([7n, null]);
  });

  it("an INT column decodes to the f64 representation while values fit, i64 otherwise", () => {
    const small = decodeChunk(encodeChunk([ChunkedVecInt.fromValues([1, -2])], [LONGLONG]), [LONGLONG]);
    expect((small[0] as ChunkedVecInt).data.repr).toBe("f64");
    const edge = 2n ** 53n - 1n;
    const fits = decodeChunk(encodeChunk([ChunkedVecInt.fromValues([edge, -edge])], [LONGLONG]), [LONGLONG]);
    expect((fits[0] as ChunkedVecInt).data.repr).toBe("f64");
    const wide = decodeChunk(encodeChunk([ChunkedVecInt.fromValues([-(2n ** 53n)])], [LONGLONG]), [LONGLONG]);
    expect((wide[0] as ChunkedVecInt).data.repr).toBe("i64");
    expect(wide[0].get(0)).toBe(-(2n ** 53n));
  });

  it("zero columns are zero bytes", () => {
    expect(encodeChunk([], [])).toHaveLength(0);
    expect(decodeChunk(new Uint8Array(0), [])).toEqual([]);
  });
});

describe("decoding rejects corrupt input", () => {
  const str = (s: string) => hex(s);

  it.each([
    ["truncated header", "030000", [LONGLONG], /truncated column header/],
    ["NULL count above rows", "01000000 02000000 00", [LONGLONG], /NULL count 2 above/],
    ["bitmap disagrees with the NULL count", `02000000 01000000 03 ${zeros(16)}`, [LONGLONG], /bitmap has 0/],
    ["truncated bitmap", "09000000 01000000 ff", [LONGLONG], /truncated null bitmap/],
    ["truncated fixed values", `02000000 00000000 ${zeros(15)}`, [LONGLONG], /truncated INT values/],
    ["trailing bytes", `01000000 00000000 ${zeros(8)} 00`, [LONGLONG], /1 bytes after the last column/],
    ["huge row count", "ffffffff 00000000", [LONGLONG], /truncated/],
    [
      "offsets going down",
      `02000000 00000000 ${i64(0n)}${i64(2n)}${i64(1n)} 6161`,
      [VARCHAR],
      /below offset/,
    ],
    ["offset past the data", `01000000 00000000 ${i64(0n)}${i64(5n)} 61`, [VARCHAR], /past the 1 bytes left/],
    ["negative offset", `01000000 00000000 ${i64(0n)}${i64(-1n)}`, [VARCHAR], /out of range/],
    [
      "a NULL row with bytes",
      `01000000 01000000 00 ${i64(0n)}${i64(1n)} 61`,
      [VARCHAR],
      /NULL row 0 has 1 bytes/,
    ],
    [
      "row counts differ between columns",
      `01000000 00000000 ${i64(1n)} 02000000 00000000 ${i64(1n)}${i64(2n)}`,
      [LONGLONG, LONGLONG],
      /column 1: 2 rows where column 0 has 1/,
    ],
    [
      "decimal with negative flag 2",
      `01000000 00000000 01000002 ${zeros(36)}`,
      [fieldType(FieldTypeTp.NewDecimal)],
      /bad decimal header/,
    ],
    [
      "decimal with too many digits",
      `01000000 00000000 52000000 ${zeros(36)}`,
      [fieldType(FieldTypeTp.NewDecimal)],
      /bad decimal header/,
    ],
    [
      "decimal word of 10^9",
      `01000000 00000000 01000000 00ca9a3b ${zeros(32)}`,
      [fieldType(FieldTypeTp.NewDecimal)],
      /decimal word out of range/,
    ],
    [
      "datetime with month 13",
      `01000000 00000000 ${toHex(new Uint8Array(BigUint64Array.of(13n << 46n).buffer))}`,
      [fieldType(FieldTypeTp.DateTime)],
      /bad time layout/,
    ],
    [
      "duration past 838:59:59",
      `01000000 00000000 ${i64(3_020_400_000_000_000n)}`,
      [fieldType(FieldTypeTp.Duration)],
      /out of range/,
    ],
    ["NaN double", `01000000 00000000 000000000000f87f`, [fieldType(FieldTypeTp.Double)], /NaN/],
    ["NaN float", `01000000 00000000 0000c07f`, [fieldType(FieldTypeTp.Float)], /NaN/],
    ["empty JSON", `01000000 00000000 ${i64(0n)}${i64(0n)}`, [fieldType(FieldTypeTp.Json)], /empty JSON/],
    [
      "bad JSON type",
      `01000000 00000000 ${i64(0n)}${i64(1n)} 02`,
      [fieldType(FieldTypeTp.Json)],
      /bad JSON type/,
    ],
    [
      "ENUM index past the members",
      `01000000 00000000 ${i64(0n)}${i64(8n)} 0200000000000000`,
      [fieldType(FieldTypeTp.Enum, { elems: ["a"] })],
      /ENUM index past the members/,
    ],
    [
      "ENUM name not the member's",
      `01000000 00000000 ${i64(0n)}${i64(9n)} 0100000000000000 62`,
      [fieldType(FieldTypeTp.Enum, { elems: ["a"] })],
      /ENUM name not/,
    ],
    [
      "ENUM value shorter than 8 bytes",
      `01000000 00000000 ${i64(0n)}${i64(4n)} 01000000`,
      [fieldType(FieldTypeTp.Enum, { elems: ["a"] })],
      /ENUM value shorter than 8 bytes/,
    ],
    [
      "SET names not the mask's",
      `01000000 00000000 ${i64(0n)}${i64(11n)} 0300000000000000 612c63`,
      [fieldType(FieldTypeTp.Set, { elems: ["a", "b", "c"] })],
      /SET names not/,
    ],
    [
      "vector count disagreeing with its bytes",
      `01000000 00000000 ${i64(0n)}${i64(8n)} 02000000 0000803f`,
      [fieldType(FieldTypeTp.TiDBVectorFloat32)],
      /vector element count/,
    ],
    [
      "BIT value of 9 bytes",
      `01000000 00000000 ${i64(0n)}${i64(9n)} ${zeros(9)}`,
      [fieldType(FieldTypeTp.Bit, { flen: 64 })],
      /BIT value longer than 8 bytes/,
    ],
  ] as [string, string, FieldType[], RegExp][])("%s", (_name, bytes, fts, match) => {
    expectCodecError(() => decodeChunk(str(bytes), fts), match);
  });

  it("names the column and the absolute offset", () => {
    const good = encodeChunk([ChunkedVecInt.fromValues([1])], [LONGLONG]);
    const bad = hex(`${toHex(good)} 01000000 00000000 ${i64(0n)}${i64(3n)} 61`);
    const e = expectCodecError(() => decodeChunk(bad, [LONGLONG, VARCHAR]), /column 1: offset 1 \(3\) past/);
    expect(e.offset).toBe(good.length + 8 + 8);
  });

  it("TiDB's stale NULL slots are zeroed (TiDB AppendNull repeats its element buffer)", () => {
    const bytes = hex(`02000000 01000000 01 ${i64(5n)}${i64(5n)}`);
    const [col] = decodeChunk(bytes, [LONGLONG]);
    expect(((col as ChunkedVecInt).data.values as Float64Array)[1]).toBe(0);
    expect(col.isNull(1)).toBe(true);
  });

  it("bitmap padding bits are ignored", () => {
    const [col] = decodeChunk(hex(`01000000 01000000 fe ${zeros(8)}`), [LONGLONG]);
    expect(col.isNull(0)).toBe(true);
  });

  it("a non-zero first offset skips leading data, as TiDB reads it", () => {
    const [col] = decodeChunk(hex(`01000000 00000000 ${i64(1n)}${i64(3n)} 786162`), [VARCHAR]);
    expect(rowsOf(col)).toEqual([[0x61, 0x62]]);
  });

  it("a non-NULL vector of no bytes is the empty vector, as TiKV reads it", () => {
    const [col] = decodeChunk(hex(`01000000 00000000 ${i64(0n)}${i64(0n)}`), [
      fieldType(FieldTypeTp.TiDBVectorFloat32),
    ]);
    expect(rowsOf(col)).toEqual([[]]);
  });
});
