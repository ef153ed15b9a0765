import { describe, expect, it } from "vitest";
import { ChunkedVecBytes } from "../../src/column/chunked-vec-bytes.js";
import { ChunkedVecDateTime } from "../../src/column/chunked-vec-date-time.js";
import { ChunkedVecDecimal } from "../../src/column/chunked-vec-decimal.js";
import type { ChunkedVecDurationBuilder } from "../../src/column/chunked-vec-duration.js";
import type { ChunkedVecEnumBuilder } from "../../src/column/chunked-vec-enum.js";
import { ChunkedVecInt, ChunkedVecIntBuilder } from "../../src/column/chunked-vec-int.js";
import type { ChunkedVecRealBuilder } from "../../src/column/chunked-vec-real.js";
import type { ChunkedVecSetBuilder } from "../../src/column/chunked-vec-set.js";
import type { ChunkedVecVectorFloat32Builder } from "../../src/column/chunked-vec-vector-float32.js";
import { columnBuilderFor } from "../../src/column/column.js";
import { filterLogicalRows, selectLogicalRows } from "../../src/column/logical-rows.js";
import {
  Decimal,
  Duration,
  EvalContext,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  Time,
  TimeType,
} from "../../src/index.js";

const I64_MAX = (1n << 63n) - 1n;
const I64_MIN = -(1n << 63n);
const U64_MAX = (1n << 64n) - 1n;

describe("ChunkedVecInt", () => {
  it("stays in the f64 representation up to 2^53 - 1", () => {
    const col = ChunkedVecInt.fromValues([0, 1, -1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]);
    expect(col.data.repr).toBe("f64");
    expect([0, 1, 2, 3, 4].map((i) => col.get(i))).toEqual([
      0n,
      1n,
      -1n,
      9007199254740991n,
      -9007199254740991n,
    ]);
  });

  it("switches once to i64 at the first wider value and keeps earlier rows exact", () => {
    const b = new ChunkedVecIntBuilder();
    b.append(-5);
    b.appendNull();
    b.append(1n << 53n);
    b.append(I64_MAX);
    b.append(I64_MIN);
    b.append(7);
    const col = b.finish();
    expect(col.data.repr).toBe("i64");
    expect([0, 1, 2, 3, 4, 5].map((i) => col.get(i))).toEqual([
      -5n,
      null,
      9007199254740992n,
      I64_MAX,
      I64_MIN,
      7n,
    ]);
    expect(col.nullCount).toBe(1);
  });

  it("reads the same bits as unsigned in an UNSIGNED column", () => {
    const col = ChunkedVecInt.fromValues([U64_MAX, 1n << 63n, 3], { unsigned: true });
    expect([0, 1, 2].map((i) => col.get(i))).toEqual([U64_MAX, 9223372036854775808n, 3n]);
    // -1 appended to an unsigned column is the pattern of 2^64 - 1.
    expect(ChunkedVecInt.fromValues([-1], { unsigned: true }).get(0)).toBe(U64_MAX);
    // The chunk format wants the raw 64-bit patterns.
    expect([...ChunkedVecInt.fromValues([-2, 5]).toI64Bits()]).toEqual([-2n, 5n]);
  });

  it.each([0, 1, 7, 8, 9, 63, 64, 65, 1023, 1024])("tracks NULLs across bitmap bytes (%i rows)", (rows) => {
    const nullAt = (i: number) => i % 8 === 0 || i % 8 === 7 || i === 63 || i === 64;
    const values = Array.from({ length: rows }, (_, i) => (nullAt(i) ? null : i));
    const col = ChunkedVecInt.fromValues(values);
    expect(col.length).toBe(rows);
    expect(col.nullCount).toBe(values.filter((v) => v === null).length);
    for (let i = 0; i < rows; i++) {
      expect(col.isNull(i)).toBe(nullAt(i));
      expect(col.get(i)).toBe(nullAt(i) ? null : BigInt(i));
    }
    if (col.nullCount === 0) expect(col.validity).toBeNull();
  });
});

describe("ChunkedVecBytes", () => {
  it("keeps empty strings, NULLs and multi-byte UTF-8 apart", () => {
    const col = ChunkedVecBytes.fromValues(["", null, "héllo", "中文😃", "a"]);
    const text = (i: number) => {
      const v = col.get(i);
      return v === null ? null : new TextDecoder().decode(v);
    };
    expect([0, 1, 2, 3, 4].map(text)).toEqual(["", null, "héllo", "中文😃", "a"]);
    expect([...col.offsets]).toEqual([0, 0, 0, 6, 16, 17]);
    expect(col.nullCount).toBe(1);
  });
});

describe("ChunkedVecDecimal", () => {
  const d = (s: string) => Decimal.fromString(s);

  it("stores values as 10 int32 words each and reads them back", () => {
    const values = [d("1.25"), null, d("-3.10"), d("99999999999999999999.123456789"), d("0")];
    const col = ChunkedVecDecimal.fromValues(values);
    expect(col.words.length).toBe(50);
    values.forEach((v, i) => {
      const got = col.get(i);
      if (v === null) expect(got).toBeNull();
      else expect(got?.compare(v)).toBe(0);
    });
  });

  it("gives scaled integers for the fast path only when every value fits", () => {
    // 1.25 -> 125, -3.10 -> -310, NULL -> 0, 7 -> 700 at scale 2 (worked out by hand).
    const col = ChunkedVecDecimal.fromValues([d("1.25"), d("-3.10"), null, d("7")]);
    expect([...(col.scaledNumbers(2) as Float64Array)]).toEqual([125, -310, 0, 700]);
    // A third fractional digit does not fit scale 2; 2^53 does not fit a double exactly.
    expect(ChunkedVecDecimal.fromValues([d("1.234")]).scaledNumbers(2)).toBeNull();
    expect(ChunkedVecDecimal.fromValues([d("9007199254740992")]).scaledNumbers(0)).toBeNull();
    expect([
      ...(ChunkedVecDecimal.fromValues([d("9007199254740991")]).scaledNumbers(0) as Float64Array),
    ]).toEqual([9007199254740991]);
  });
});

describe("ChunkedVecDateTime", () => {
  it("round-trips times through the word layout, in chronological order", () => {
    const ctx = new EvalContext();
    const texts = [
      "1970-01-01 00:00:00",
      "2012-12-31 23:59:59.999999",
      "1000-01-01 00:00:00",
      "9999-12-31 23:59:59",
    ];
    const times = texts.map((t) => Time.parse(ctx, t, TimeType.DateTime, 6, true));
    const col = ChunkedVecDateTime.fromValues([...times, null]);
    expect(col.words.length).toBe(10);
    expect(col.get(1)?.toString()).toBe("2012-12-31 23:59:59.999999");
    expect(col.get(4)).toBeNull();
    times.forEach((t, i) => {
      expect(col.get(i)?.toString()).toBe(t.toString());
    });
  });
});

describe("logical rows", () => {
  it("keeps the identity when nothing is dropped and filters in order otherwise", () => {
    expect(filterLogicalRows(null, 4, () => true)).toBeNull();
    expect([...(filterLogicalRows(null, 5, (row) => row % 2 === 0) as Uint32Array)]).toEqual([0, 2, 4]);
    const rows = Uint32Array.from([4, 1, 3]);
    expect([...(selectLogicalRows(rows, 5, Uint8Array.from([1, 0, 1])) as Uint32Array)]).toEqual([4, 3]);
    expect([...(selectLogicalRows(null, 3, Uint8Array.from([0, 0, 0])) as Uint32Array)]).toEqual([]);
  });
});

describe("columnBuilderFor", () => {
  it("builds the column of each field type's eval type, NULLs included", () => {
    const real = columnBuilderFor(fieldType(FieldTypeTp.Double)) as ChunkedVecRealBuilder;
    real.append(-0.5);
    real.appendNull();
    real.append(1e308);
    const r = real.finish();
    expect([r.get(0), r.get(1), r.get(2)]).toEqual([-0.5, null, 1e308]);

    const dur = columnBuilderFor(
      fieldType(FieldTypeTp.Duration, { decimal: 3 }),
    ) as ChunkedVecDurationBuilder;
    dur.append(Duration.parse(new EvalContext(), "-838:59:59", 3));
    dur.appendNull();
    const du = dur.finish();
    expect(du.get(0)?.toString()).toBe("-838:59:59.000");
    expect(du.isNull(1)).toBe(true);

    const elems = ["a", "b", "c"];
    const en = columnBuilderFor(fieldType(FieldTypeTp.Enum, { elems })) as ChunkedVecEnumBuilder;
    en.appendIndex(2);
    en.appendNull();
    en.appendIndex(0);
    const e = en.finish();
    expect(e.get(0)?.toString()).toBe("b");
    expect(e.isNull(1)).toBe(true);
    expect(e.get(2)?.toString()).toBe("");

    const st = columnBuilderFor(fieldType(FieldTypeTp.Set, { elems })) as ChunkedVecSetBuilder;
    st.appendWords(0b101, 0);
    st.appendNull();
    const s = st.finish();
    expect(s.get(0)?.toString()).toBe("a,c");
    expect(s.get(1)).toBeNull();

    const vec = columnBuilderFor(fieldType(FieldTypeTp.TiDBVectorFloat32)) as ChunkedVecVectorFloat32Builder;
    vec.append([1.5, -2]);
    vec.appendNull();
    vec.append([]);
    const v = vec.finish();
    expect([...(v.get(0) as Float32Array)]).toEqual([1.5, -2]);
    expect(v.get(1)).toBeNull();
    expect([...(v.get(2) as Float32Array)]).toEqual([]);

    expect(
      columnBuilderFor(fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned })).finish(),
    ).toMatchObject({
      evalType: "Int",
      unsigned: true,
      length: 0,
    });
    expect(columnBuilderFor(fieldType(FieldTypeTp.Json)).finish().evalType).toBe("Json");
  });
});
