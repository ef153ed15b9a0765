import {
  CodecError,
  Decimal,
  Duration,
  Enum,
  EvalContext,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  MySqlSet,
  Time,
  TimeType,
  TimeZone,
} from "@copr/datatype";
import { describe, expect, it } from "vitest";
import { decodeRowV2Value, encodeRowV2, isRowV2, RowV2Encoder, RowV2Slice } from "../src/row-v2.js";

const ctx = new EvalContext();
const int = fieldType(FieldTypeTp.LongLong);
const uint = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned });
const short = fieldType(FieldTypeTp.Short);
const long = fieldType(FieldTypeTp.Long);
const double = fieldType(FieldTypeTp.Double);
const float = fieldType(FieldTypeTp.Float);
const varchar = fieldType(FieldTypeTp.VarChar);
const datetime = fieldType(FieldTypeTp.DateTime, { decimal: 0 });
const decimal = fieldType(FieldTypeTp.NewDecimal);
const json = fieldType(FieldTypeTp.Json);
const duration = fieldType(FieldTypeTp.Duration, { decimal: 0 });

function hex(b: Uint8Array): number[] {
  return [...b];
}

function codecError(f: () => unknown): CodecError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CodecError);
    expect((e as CodecError).format).toBe("row v2");
    return e as CodecError;
  }
  throw new Error("expected a CodecError");
}

// Binary JSON of {"key":"value"}, taken from the expected bytes of TiKV's test_encode.
const JSON_KEY_VALUE = Uint8Array.from([
  1, 1, 0, 0, 0, 28, 0, 0, 0, 19, 0, 0, 0, 3, 0, 12, 22, 0, 0, 0, 107, 101, 121, 5, 118, 97, 108, 117, 101,
]);

describe("row v2 encoder: TiKV vectors", () => {
  // TiKV components/tidb_query_datatype/src/codec/row/v2/encoder_for_test.rs test_encode
  it("test_encode", () => {
    const cols: [number, ReturnType<typeof fieldType>, unknown][] = [
      [1, long, 1000],
      [12, int, 2],
      [33, int, null],
      [3, uint, 3],
      [8, int, 32767],
      [7, varchar, new TextEncoder().encode("abc")],
      [9, double, 1.8],
      [6, double, -1.8],
      [13, datetime, Time.parseDatetime(ctx, "2018-01-19 03:14:07", 0, false)],
      [14, decimal, Decimal.fromI64(1)],
      [15, json, JSON_KEY_VALUE],
      [16, duration, Duration.fromNanos(1_000_000_000, 0)],
    ];
    const got = encodeRowV2(
      cols.map((c) => c[0]),
      cols.map((c) => c[1]),
      cols.map((c) => c[2]) as never,
    );
    expect(hex(got)).toEqual([
      128, 0, 11, 0, 1, 0, 1, 3, 6, 7, 8, 9, 12, 13, 14, 15, 16, 33, 2, 0, 3, 0, 11, 0, 14, 0, 16, 0, 24, 0,
      25, 0, 33, 0, 36, 0, 65, 0, 69, 0, 232, 3, 3, 64, 3, 51, 51, 51, 51, 51, 50, 97, 98, 99, 255, 127, 191,
      252, 204, 204, 204, 204, 204, 205, 2, 0, 0, 0, 135, 51, 230, 158, 25, 1, 0, 129, 1, 1, 0, 0, 0, 28, 0,
      0, 0, 19, 0, 0, 0, 3, 0, 12, 22, 0, 0, 0, 107, 101, 121, 5, 118, 97, 108, 117, 101, 0, 202, 154, 59,
    ]);

    const row = RowV2Slice.fromBytes(got);
    expect(row.isBig).toBe(false);
    expect(row.nonNullIds()).toEqual([1, 3, 6, 7, 8, 9, 12, 13, 14, 15, 16]);
    expect(row.nullIds()).toEqual([33]);
    expect(row.read(1, long)).toBe(1000n);
    expect(row.read(3, uint)).toBe(3n);
    expect(row.read(6, double)).toBe(-1.8);
    expect(row.read(9, double)).toBe(1.8);
    expect(row.read(8, int)).toBe(32767n);
    expect(row.read(7, varchar)).toEqual(new TextEncoder().encode("abc"));
    expect((row.read(13, datetime) as Time).toString()).toBe("2018-01-19 03:14:07");
    expect((row.read(14, decimal) as Decimal).toString()).toBe("1");
    expect(row.read(15, json)).toEqual(JSON_KEY_VALUE);
    expect((row.read(16, duration) as Duration).nanos).toBe(1e9);
    expect(row.read(33, int)).toBeNull();
    expect(row.read(2, int)).toBeUndefined();
  });

  // TiKV encoder_for_test.rs test_encode_big
  it("test_encode_big", () => {
    const got = encodeRowV2([1, 12, 335, 3, 8], [int, int, int, int, int], [1000, 2, null, 3, 32767]);
    expect(hex(got)).toEqual([
      128, 1, 4, 0, 1, 0, 1, 0, 0, 0, 3, 0, 0, 0, 8, 0, 0, 0, 12, 0, 0, 0, 79, 1, 0, 0, 2, 0, 0, 0, 3, 0, 0,
      0, 5, 0, 0, 0, 6, 0, 0, 0, 232, 3, 3, 255, 127, 2,
    ]);
    const row = RowV2Slice.fromBytes(got);
    expect(row.isBig).toBe(true);
    expect(row.nullIds()).toEqual([335]);
    expect(row.read(8, int)).toBe(32767n);
  });

  // TiKV encoder_for_test.rs test_encode_unsigned
  it("test_encode_unsigned", () => {
    const got = encodeRowV2([1, 2], [uint, int], [2n ** 64n - 1n, -1]);
    expect(hex(got)).toEqual([
      128, 0, 2, 0, 0, 0, 1, 2, 8, 0, 9, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    ]);
    const row = RowV2Slice.fromBytes(got);
    expect(row.read(1, uint)).toBe(2n ** 64n - 1n);
    expect(row.read(2, int)).toBe(-1n);
    // A negative number for an UNSIGNED column is its 64-bit pattern.
    expect(hex(encodeRowV2([1], [uint], [-1]))).toEqual(hex(encodeRowV2([1], [uint], [2n ** 64n - 1n])));
  });
});

describe("row v2 slice: TiKV row_slice.rs tests", () => {
  // TiKV row_slice.rs encoded_data_big / encoded_data and test_search_in_(non_)null_ids
  const big = encodeRowV2([1, 356, 33, 3, 64123], [int, int, int, int, int], [1000, 2, null, 3, 5]);
  const small = encodeRowV2([1, 33, 3], [int, int, int], [1000, null, 3]);

  it("search_in_non_null_ids", () => {
    const b = RowV2Slice.fromBytes(big);
    expect(b.isBig).toBe(true);
    expect(b.searchInNonNullIds(33)).toBeNull();
    expect(b.searchInNonNullIds(333)).toBeNull();
    expect(b.searchInNonNullIds(2 ** 32 + 1)).toBeNull();
    expect(b.searchInNonNullIds(1)).toEqual([0, 2]);
    expect(b.searchInNonNullIds(356)).toEqual([3, 4]);
    expect(b.searchInNonNullIds(64123)).toEqual([4, 5]);
    expect(b.searchInNonNullIds(64124)).toBeNull();
    const s = RowV2Slice.fromBytes(small);
    expect(s.isBig).toBe(false);
    expect(s.searchInNonNullIds(33)).toBeNull();
    expect(s.searchInNonNullIds(35)).toBeNull();
    expect(s.searchInNonNullIds(257)).toBeNull();
    expect(s.searchInNonNullIds(1)).toEqual([0, 2]);
    expect(s.searchInNonNullIds(3)).toEqual([2, 3]);
  });

  it("search_in_null_ids", () => {
    for (const data of [big, small]) {
      const r = RowV2Slice.fromBytes(data);
      expect(r.searchInNullIds(0x21)).toBe(true);
      expect(r.searchInNullIds(3)).toBe(false);
      expect(r.searchInNullIds(333)).toBe(false);
      expect(r.searchInNullIds(0xcc21)).toBe(false);
      expect(r.searchInNullIds(0xff0021)).toBe(false);
      expect(r.searchInNullIds(0xff00000021)).toBe(false);
    }
  });

  // TiKV row_slice.rs test_decode_with_checksum (cols from encoder_for_test.rs prepare_cols_for_test)
  it.each([
    [235, undefined],
    [235, 37217],
    [355, undefined],
    [355, 37217],
  ])("checksum trailer, null id %i, extra %s", (nullId, extra) => {
    const fts = [short, long, short, float, varchar, fieldType(FieldTypeTp.Duration, { decimal: 2 })];
    const values = [1000, 2, null, 3.55, new TextEncoder().encode("abc"), Duration.fromMillis(34, 2)];
    const data = encodeRowV2([1, 12, nullId, 3, 8, 17], fts, values, {
      checksum: { header: 0, value: 0xdeadbeef, ...(extra === undefined ? {} : { extra }) },
    });
    const row = RowV2Slice.fromBytes(data);
    expect(row.isBig).toBe(nullId > 255);
    expect(row.searchInNonNullIds(1)).toEqual([0, 2]);
    expect(row.searchInNonNullIds(3)).toEqual([2, 10]);
    expect(row.searchInNonNullIds(8)).toEqual([10, 13]);
    expect(row.searchInNonNullIds(12)).toEqual([13, 14]);
    expect(row.searchInNonNullIds(17)).toEqual([14, 18]);
    expect(row.searchInNonNullIds(235)).toBeNull();
    expect(row.searchInNullIds(nullId)).toBe(true);
    expect(row.searchInNullIds(8)).toBe(false);
    expect(row.checksum).toEqual({
      header: extra === undefined ? 0 : 8,
      value: 0xdeadbeef,
      extra: extra === undefined ? null : extra,
    });
    expect(row.values().length).toBe(18);
  });
});

describe("row v2: TiDB rowcodec_test.go values", () => {
  // TiDB pkg/util/rowcodec/rowcodec_test.go TestTypesNewRowCodec: the stored forms of a few types.
  const utc = new EvalContext({ timeZone: TimeZone.utc() });
  const ts = fieldType(FieldTypeTp.Timestamp, { decimal: 6 });

  function single(ft: ReturnType<typeof fieldType>, v: unknown, c?: EvalContext): Uint8Array {
    const row = encodeRowV2([1], [ft], [v as never], c === undefined ? {} : { ctx: c });
    return RowV2Slice.fromBytes(row).get(1) as Uint8Array;
  }

  function u64le(v: bigint, bytes: number): number[] {
    return Array.from({ length: bytes }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
  }

  it("TIMESTAMP 2011-11-10 11:11:11.999999 packs to 1840446893366133311", () => {
    const t = Time.parseTimestamp(utc, "2011-11-10 11:11:11.999999", 6, false);
    const b = single(ts, t, utc);
    expect(hex(b)).toEqual(u64le(1840446893366133311n, 8));
    const back = decodeRowV2Value(b, 0, b.length, ts, utc) as Time;
    expect(back.equals(t)).toBe(true);
    expect(back.fsp).toBe(6);
    expect(back.type).toBe(TimeType.Timestamp);
  });

  it("TIME 4:00:00 is 14400000000000 ns", () => {
    const b = single(duration, Duration.fromSecs(4 * 3600, 0));
    expect(hex(b)).toEqual(u64le(14400000000000n, 8));
  });

  it("BIT(24) 3223600, SET mask 1, ENUM index 2, YEAR 1999, DECIMAL(6,4) 11.9900", () => {
    const bit = fieldType(FieldTypeTp.Bit, { flen: 24, flag: FieldTypeFlag.Unsigned });
    expect(hex(single(bit, 3223600))).toEqual(u64le(3223600n, 4));
    const set = fieldType(FieldTypeTp.Set, { elems: ["n1", "n2"] });
    expect(hex(single(set, MySqlSet.fromValue(["n1", "n2"], 1)))).toEqual([1]);
    const en = fieldType(FieldTypeTp.Enum, { elems: ["y", "n"] });
    expect(hex(single(en, Enum.fromValue(["y", "n"], 2)))).toEqual([2]);
    expect(hex(single(fieldType(FieldTypeTp.Year), 1999))).toEqual([0xcf, 0x07]);
    const dec = fieldType(FieldTypeTp.NewDecimal, { flen: 6, decimal: 4 });
    const d = single(dec, Decimal.fromString("11.9900"));
    // precision 6, fraction 4, then decimal2bin: 2 integer digits in 1 byte, 4 fraction digits in 2 bytes
    expect(hex(d)).toEqual([6, 4, 0x80 | 11, 0x26, 0xac]);
    expect((decodeRowV2Value(d, 0, d.length, dec) as Decimal).toString()).toBe("11.9900");
  });

  // TiDB rowcodec_test.go Test65535Bug / TestTypesNewRowCodec "largeData": values over 65535 bytes
  it("a value area of exactly 65535 bytes stays small, one more byte makes the row big", () => {
    const bytes = fieldType(FieldTypeTp.String);
    const a = encodeRowV2([1], [bytes], [new Uint8Array(65535).fill(97)]);
    expect(a[1]).toBe(0);
    expect(RowV2Slice.fromBytes(a).get(1)?.length).toBe(65535);
    const b = encodeRowV2([1], [bytes], [new Uint8Array(65536).fill(97)]);
    expect(b[1]).toBe(1);
    expect(hex(b.subarray(0, 14))).toEqual([128, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0]);
    expect(RowV2Slice.fromBytes(b).get(1)?.length).toBe(65536);
  });
});

describe("row v2: hand-worked rows", () => {
  it("small row: ids 1 (INT 5), 2 (VARCHAR 'ab'), 3 NULL", () => {
    const got = encodeRowV2([3, 2, 1], [int, varchar, int], [null, "ab", 5]);
    // version, flags, 2 not-null, 1 null, ids 1 2 | 3, end offsets 1 and 3, values 05 'a' 'b'
    expect(hex(got)).toEqual([128, 0, 2, 0, 1, 0, 1, 2, 3, 1, 0, 3, 0, 5, 97, 98]);
  });

  it("big row: id 300 (INT 1), id 2 NULL", () => {
    const got = encodeRowV2([300, 2], [int, int], [1, null]);
    expect(hex(got)).toEqual([128, 1, 1, 0, 1, 0, 44, 1, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1]);
    // a null id above 255 also makes the row big (TiDB checks every id)
    expect(encodeRowV2([1, 300], [int, int], [1, null])[1]).toBe(1);
  });

  it("integers take 1, 2, 4 or 8 bytes by magnitude", () => {
    const len = (ft: ReturnType<typeof fieldType>, v: number | bigint): number =>
      (RowV2Slice.fromBytes(encodeRowV2([1], [ft], [v])).get(1) as Uint8Array).length;
    expect(
      [127, -128, 128, -129, 32767, -32768, 32768, 2 ** 31 - 1, -(2 ** 31), 2 ** 31].map((v) => len(int, v)),
    ).toEqual([1, 1, 2, 2, 2, 2, 4, 4, 4, 8]);
    expect([255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32].map((v) => len(uint, v))).toEqual([
      1, 2, 2, 4, 4, 8,
    ]);
    expect(len(int, -(2n ** 63n))).toBe(8);
  });

  it("doubles are 8 memcomparable bytes; -0 is written as +0 as TiDB does", () => {
    const b = (v: number) => hex(RowV2Slice.fromBytes(encodeRowV2([1], [double], [v])).get(1) as Uint8Array);
    expect(b(0)).toEqual([0x80, 0, 0, 0, 0, 0, 0, 0]);
    expect(b(-0)).toEqual([0x80, 0, 0, 0, 0, 0, 0, 0]);
    expect(b(1)).toEqual([0xbf, 0xf0, 0, 0, 0, 0, 0, 0]);
    expect(b(-1)).toEqual([0x40, 0x0f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    // TiKV's encoder writes -0 as the inverted bits, which read back as -0
    const tikvNegZero = Uint8Array.from([0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(Object.is(decodeRowV2Value(tikvNegZero, 0, 8, double), -0)).toBe(true);
  });

  it("FLOAT reads back rounded to f32; a stored NaN reads as NULL", () => {
    const row = encodeRowV2([1], [float], [3.55]);
    expect(RowV2Slice.fromBytes(row).read(1, float)).toBe(Math.fround(3.55));
    // 0xfff8... decodes to the quiet NaN (TiKV: `Real::new(v).ok()` is None)
    const nan = Uint8Array.of(0xff, 0xf8, 0, 0, 0, 0, 0, 0);
    expect(decodeRowV2Value(nan, 0, 8, double)).toBeNull();
  });

  it("rows without columns", () => {
    const r = encodeRowV2([], [], []);
    expect(hex(r)).toEqual([128, 0, 0, 0, 0, 0]);
    expect(RowV2Slice.fromBytes(r).read(1, int)).toBeUndefined();
    expect(isRowV2(r)).toBe(true);
    expect(isRowV2(Uint8Array.of(8, 2))).toBe(false);
  });

  it("a reused encoder gives the same bytes as a fresh one (TiDB TestEncodeLargeSmallReuseBug)", () => {
    const enc = new RowV2Encoder();
    const first = enc.encode([300], [varchar], [new Uint8Array(0)]);
    const second = enc.encode([1], [int], [2]);
    expect(hex(first)).toEqual(hex(encodeRowV2([300], [varchar], [new Uint8Array(0)])));
    expect(hex(second)).toEqual([128, 0, 1, 0, 0, 0, 1, 1, 0, 2]);
  });
});

describe("row v2: corrupt rows", () => {
  const good = encodeRowV2([1, 2, 3], [int, varchar, int], [7, "xyz", null]);

  it.each([
    ["empty", []],
    ["wrong version", [127, 0, 0, 0, 0, 0]],
    ["truncated header", [128, 0, 1, 0]],
    ["ids past the end", [128, 0, 3, 0, 0, 0, 1, 2]],
    ["offsets past the end", [128, 0, 1, 0, 0, 0, 1, 9, 0, 1]],
    ["ids not ascending", [128, 0, 2, 0, 0, 0, 2, 1, 1, 0, 2, 0, 5, 6]],
    ["duplicate ids", [128, 0, 2, 0, 0, 0, 1, 1, 1, 0, 2, 0, 5, 6]],
    ["offsets decreasing", [128, 0, 2, 0, 0, 0, 1, 2, 2, 0, 1, 0, 5, 6]],
    ["checksum flag without trailer", [128, 2, 1, 0, 0, 0, 1, 1, 0, 5]],
    ["checksum trailer too short", [128, 2, 1, 0, 0, 0, 1, 1, 0, 5, 0, 1, 2]],
  ])("%s", (_name, bytes) => {
    codecError(() => RowV2Slice.fromBytes(Uint8Array.from(bytes)));
  });

  it("values whose length does not fit their type", () => {
    const s = RowV2Slice.fromBytes(good);
    const e = codecError(() => s.read(2, int)); // 3 bytes are no integer
    expect(e.offset).toBeTypeOf("number");
    codecError(() => s.read(1, double));
    codecError(() => s.read(1, decimal));
    codecError(() => s.read(1, json));
    const badDec = encodeRowV2([1], [varchar], [Uint8Array.of(5, 2, 0x80, 0, 1, 9)]);
    codecError(() => RowV2Slice.fromBytes(badDec).read(1, decimal)); // one byte too many
    const badEnum = encodeRowV2([1], [int], [3]);
    codecError(() =>
      RowV2Slice.fromBytes(badEnum).read(1, fieldType(FieldTypeTp.Enum, { elems: ["a", "b"] })),
    );
    for (const nanos of [2n ** 62n, 3_020_400_000_000_000n, -3_020_400_000_000_000n]) {
      const badTime = encodeRowV2([1], [int], [nanos]);
      codecError(() => RowV2Slice.fromBytes(badTime).read(1, duration));
    }
  });

  it("error messages name the format and the offset", () => {
    const e = codecError(() => RowV2Slice.fromBytes(Uint8Array.of(127, 0, 0, 0, 0, 0)));
    expect(e.message).toBe("row v2: version byte 127 is not 128 at offset 0");
  });
});
