import { describe, expect, it } from "vitest";
import {
  ChunkedVecBytes,
  ChunkedVecBytesBuilder,
  ChunkedVecDateTime,
  ChunkedVecDateTimeBuilder,
  ChunkedVecDecimal,
  ChunkedVecDecimalBuilder,
  ChunkedVecDuration,
  ChunkedVecDurationBuilder,
  ChunkedVecEnum,
  ChunkedVecEnumBuilder,
  ChunkedVecInt,
  ChunkedVecIntBuilder,
  ChunkedVecJson,
  ChunkedVecJsonBuilder,
  ChunkedVecReal,
  ChunkedVecRealBuilder,
  type ChunkedVecSet,
  ChunkedVecSetBuilder,
  ChunkedVecVectorFloat32,
  ChunkedVecVectorFloat32Builder,
  type Column,
  columnBuilderFor,
  decimalWordsToScaled,
  emptyColumn,
  isColumnOf,
  MAX_EXACT_INT,
} from "../../src/column/index.js";
import { Decimal } from "../../src/decimal/index.js";
import { Duration } from "../../src/duration/index.js";
import { Enum, MySqlSet } from "../../src/enum-set/index.js";
import { EvalContext } from "../../src/eval-context.js";
import { EvalType } from "../../src/eval-type.js";
import { FieldTypeFlag, FieldTypeTp, fieldType } from "../../src/field-type.js";
import { catchError } from "../../src/testing/index.js";
import { compareTimeWords, Time } from "../../src/time/index.js";

const utf8 = new TextEncoder();
const ELEMS = ["a", "b", "我强爆啊"];

/** One eval type: a sample value per row, how to build a column, and how to compare values. */
interface Kind {
  name: string;
  sample: (i: number) => unknown;
  build: (values: readonly unknown[]) => Column;
  norm: (v: unknown) => unknown;
}

const id = (v: unknown): unknown => v;

const KINDS: Kind[] = [
  {
    name: "Int",
    sample: (i) => BigInt(i * 7919 - 50_000),
    build: (vs) => {
      const b = new ChunkedVecIntBuilder();
      for (const v of vs) v === null ? b.appendNull() : b.append(v as bigint);
      return b.finish();
    },
    norm: id,
  },
  {
    name: "Int (wide)",
    sample: (i) => (i % 5 === 4 ? -(2n ** 63n) + BigInt(i) : BigInt(i)),
    build: (vs) => {
      const b = new ChunkedVecIntBuilder();
      for (const v of vs) v === null ? b.appendNull() : b.append(v as bigint);
      return b.finish();
    },
    norm: id,
  },
  {
    name: "Real",
    sample: (i) => i * 0.5 - 3,
    build: (vs) => {
      const b = new ChunkedVecRealBuilder();
      for (const v of vs) v === null ? b.appendNull() : b.append(v as number);
      return b.finish();
    },
    norm: id,
  },
  {
    name: "Decimal",
    sample: (i) => Decimal.fromString(`${i % 2 === 0 ? "-" : ""}${i}.${i % 100}`),
    build: (vs) => {
      const b = new ChunkedVecDecimalBuilder();
      for (const v of vs) v === null ? b.appendNull() : b.append(v as Decimal);
      return b.finish();
    },
    norm: (v) => (v as Decimal).toString(),
  },
  {
    name: "Bytes",
    sample: (i) => utf8.encode(i % 3 === 0 ? "" : `💩${i}`),
    build: (vs) => {
      const b = new ChunkedVecBytesBuilder();
      for (const v of vs) v === null ? b.appendNull() : b.append(v as Uint8Array);
      return b.finish();
    },
    norm: (v) => Array.from(v as Uint8Array),
  },
  {
    name: "DateTime",
    sample: (i) => Time.fromWords(i * 16, 0x7e3_0000 + i),
    build: (vs) => {
      const b = new ChunkedVecDateTimeBuilder();
      for (const v of vs) v === null ? b.appendNull() : b.append(v as Time);
      return b.finish();
    },
    norm: (v) => [(v as Time).lowWord(), (v as Time).highWord()],
  },
  {
    name: "Duration",
    sample: (i) => Duration.fromNanos(i * 1_000_000 - 3_000_000_000, 3),
    build: (vs) => {
      const b = new ChunkedVecDurationBuilder(3);
      for (const v of vs) v === null ? b.appendNull() : b.append(v as Duration);
      return b.finish();
    },
    norm: (v) => [(v as Duration).nanos, (v as Duration).fsp],
  },
  {
    name: "Json",
    sample: (i) => new Uint8Array([0x09, i & 0xff, 0, 0, 0, 0, 0, 0, 0]),
    build: (vs) => {
      const b = new ChunkedVecJsonBuilder();
      for (const v of vs) v === null ? b.appendNull() : b.append(v as Uint8Array);
      return b.finish();
    },
    norm: (v) => Array.from(v as Uint8Array),
  },
  {
    name: "Enum",
    sample: (i) => Enum.fromStored(ELEMS, i % 4),
    build: (vs) => {
      const b = new ChunkedVecEnumBuilder(ELEMS);
      for (const v of vs) v === null ? b.appendNull() : b.append(v as Enum);
      return b.finish();
    },
    norm: (v) => [(v as Enum).value, (v as Enum).name],
  },
  {
    name: "Set",
    sample: (i) => MySqlSet.fromStored(ELEMS, i % 8, 0),
    build: (vs) => {
      const b = new ChunkedVecSetBuilder(ELEMS);
      for (const v of vs) v === null ? b.appendNull() : b.append(v as MySqlSet);
      return b.finish();
    },
    norm: (v) => [(v as MySqlSet).lo, (v as MySqlSet).hi, (v as MySqlSet).toString()],
  },
  {
    name: "VectorFloat32",
    sample: (i) => Array.from({ length: i % 4 }, (_, k) => k + i / 4),
    build: (vs) => {
      const b = new ChunkedVecVectorFloat32Builder();
      for (const v of vs) v === null ? b.appendNull() : b.append(v as number[]);
      return b.finish();
    },
    norm: (v) => Array.from(v as ArrayLike<number>),
  },
];

const SIZES = [0, 1, 7, 8, 9, 63, 64, 65, 1023, 1024];
const PATTERNS: [string, (i: number, n: number) => boolean][] = [
  ["no nulls", () => false],
  ["all nulls", () => true],
  ["every third null", (i) => i % 3 === 1],
  ["last row null", (i, n) => i === n - 1],
  ["bytes-boundary nulls", (i) => i % 8 === 7 || i % 64 === 0],
];

const CASES = KINDS.flatMap((k) =>
  SIZES.flatMap((n) => PATTERNS.map(([p, f]) => [k.name, n, p, k, f] as const)),
);

describe("builders and accessors of every eval type", () => {
  it.each(CASES)("%s, %i rows, %s", (_name, n, _pattern, kind, isNullRow) => {
    const values = Array.from({ length: n }, (_, i) => (isNullRow(i, n) ? null : kind.sample(i)));
    const col = kind.build(values);
    const nulls = values.filter((v) => v === null).length;
    expect(col.length).toBe(n);
    expect(col.nullCount).toBe(nulls);
    if (nulls === 0) {
      expect(col.validity).toBeNull();
    } else {
      const bits = col.validity as Uint8Array;
      expect(bits.length).toBe(Math.ceil(n / 8));
      for (let i = 0; i < n; i++) {
        expect(((bits[Math.floor(i / 8)] >> (i % 8)) & 1) === 1).toBe(values[i] !== null);
      }
      // Bits past the last row are clear.
      if (n % 8 !== 0) expect(bits[bits.length - 1] >> (n % 8)).toBe(0);
    }
    for (let i = 0; i < n; i++) {
      expect(col.isNull(i)).toBe(values[i] === null);
      const got = col.get(i);
      if (values[i] === null) expect(got).toBeNull();
      else expect(kind.norm(got)).toEqual(kind.norm(values[i]));
    }
  });

  it.each(KINDS)("$name: get() outside the rows is an internal error", (kind) => {
    const col = kind.build([kind.sample(1)]);
    expect(() => col.get(1)).toThrow(/internal assertion/);
    expect(() => col.get(-1)).toThrow(/internal assertion/);
  });

  it.each(KINDS)("$name: a builder is empty and reusable after finish()", (kind) => {
    const first = kind.build([kind.sample(1), null]);
    expect(first.length).toBe(2);
    const again = kind.build([kind.sample(2)]);
    expect(again.length).toBe(1);
    expect(again.nullCount).toBe(0);
    expect(kind.norm(again.get(0))).toEqual(kind.norm(kind.sample(2)));
  });
});

describe("reusing one builder", () => {
  it("finish() resets the builder and earlier columns are unaffected", () => {
    const b = new ChunkedVecIntBuilder();
    b.append(1);
    b.appendNull();
    const a = b.finish();
    expect(b.length).toBe(0);
    b.append(2n ** 62n);
    const c = b.finish();
    expect(a.get(0)).toBe(1n);
    expect(a.get(1)).toBeNull();
    expect(a.data.repr).toBe("f64");
    expect(c.get(0)).toBe(2n ** 62n);
    expect(c.nullCount).toBe(0);
    expect(c.data.repr).toBe("i64");
  });

  it("grows past preallocated capacity", () => {
    const b = new ChunkedVecRealBuilder(3);
    for (let i = 0; i < 100; i++) b.append(i);
    const col = b.finish();
    expect(Array.from(col.values)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});

describe("ChunkedVecInt representation", () => {
  const P53 = 2 ** 53;
  // [values appended, unsigned, expected repr, expected get() values]
  it.each([
    ["2^53-1 stays f64", [MAX_EXACT_INT], false, "f64", [2n ** 53n - 1n]],
    ["-(2^53-1) stays f64", [-MAX_EXACT_INT], false, "f64", [-(2n ** 53n) + 1n]],
    ["2^53 (bigint) switches", [2n ** 53n], false, "i64", [2n ** 53n]],
    ["2^53 (number) switches", [P53], false, "i64", [2n ** 53n]],
    ["-2^53 (number) switches", [-P53], false, "i64", [-(2n ** 53n)]],
    ["-2^53 (bigint) switches", [-(2n ** 53n)], false, "i64", [-(2n ** 53n)]],
    ["i64 max", [2n ** 63n - 1n], false, "i64", [2n ** 63n - 1n]],
    ["i64 min", [-(2n ** 63n)], false, "i64", [-(2n ** 63n)]],
    ["u64 max bits in a signed column is -1", [2n ** 64n - 1n], false, "f64", [-1n]],
    ["2^63 bits in a signed column is i64 min", [2n ** 63n], false, "i64", [-(2n ** 63n)]],
    ["u64 max", [2n ** 64n - 1n], true, "i64", [2n ** 64n - 1n]],
    ["-1 in an unsigned column is u64 max", [-1], true, "i64", [2n ** 64n - 1n]],
    ["-1n in an unsigned column is u64 max", [-1n], true, "i64", [2n ** 64n - 1n]],
    ["2^53-1 unsigned stays f64", [MAX_EXACT_INT, 0], true, "f64", [2n ** 53n - 1n, 0n]],
    ["2^63 unsigned", [2n ** 63n], true, "i64", [2n ** 63n]],
    ["negative zero is zero", [-0], false, "f64", [0n]],
    [
      "values before the switch survive",
      [5, -7, 2n ** 60n, 3, -(2 ** 40)],
      false,
      "i64",
      [5n, -7n, 2n ** 60n, 3n, -(2n ** 40n)],
    ],
    ["unsafe integer number 2^60", [2 ** 60], false, "i64", [2n ** 60n]],
    [
      "numbers appended after the switch",
      [2n ** 62n, -1, 4294967296, -4294967297],
      false,
      "i64",
      [2n ** 62n, -1n, 4294967296n, -4294967297n],
    ],
  ] as const)("%s", (_name, input, unsigned, repr, expected) => {
    const col = ChunkedVecInt.fromValues(input, { unsigned });
    expect(col.data.repr).toBe(repr);
    expect(col.unsigned).toBe(unsigned);
    expect(Array.from({ length: col.length }, (_, i) => col.get(i))).toEqual(expected);
    // The chunk form: 64-bit patterns.
    expect(Array.from(col.toI64Bits())).toEqual(expected.map((v) => BigInt.asIntN(64, v)));
    if (col.data.repr === "f64") expect(Object.is(col.data.values[0], -0)).toBe(false);
  });

  it("unsignedValues views the same memory", () => {
    const col = ChunkedVecInt.fromValues([2n ** 64n - 1n, 1n], { unsigned: true });
    if (col.data.repr !== "i64") throw new Error("expected i64");
    expect(Array.from(col.data.values)).toEqual([-1n, 1n]);
    expect(Array.from(col.data.unsignedValues)).toEqual([2n ** 64n - 1n, 1n]);
    expect(col.data.unsignedValues.buffer).toBe(col.data.values.buffer);
  });

  it("NULL slots hold 0 in both representations, also across the switch", () => {
    const b = new ChunkedVecIntBuilder();
    b.appendNull();
    b.append(9);
    b.appendNull();
    const f = b.finish();
    expect(Array.from(f.data.values as ArrayLike<unknown>)).toEqual([0, 9, 0]);
    b.appendNull();
    b.append(2n ** 63n - 1n);
    b.appendNull();
    const w = b.finish();
    expect(Array.from(w.data.values as ArrayLike<unknown>)).toEqual([0n, 2n ** 63n - 1n, 0n]);
    expect(w.get(0)).toBeNull();
  });

  it.each([[0.5], [Number.NaN], [Number.POSITIVE_INFINITY], [2n ** 64n], [-(2n ** 63n) - 1n]])(
    "rejects %s as an internal bug",
    (v) => {
      expect(() => new ChunkedVecIntBuilder().append(v)).toThrow(/internal assertion/);
    },
  );

  it("toI64Bits of an f64 column matches two's complement", () => {
    const values = [0, 1, -1, MAX_EXACT_INT, -MAX_EXACT_INT, 4294967295, 4294967296, -4294967296];
    const col = ChunkedVecInt.fromValues(values);
    expect(Array.from(col.toI64Bits())).toEqual(values.map((v) => BigInt(v)));
  });
});

describe("ChunkedVecReal", () => {
  it("keeps -0, extremes and subnormals bit-exactly; NULL slots hold 0", () => {
    const vals = [-0, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, null, 1.5];
    const col = ChunkedVecReal.fromValues(vals);
    expect(Object.is(col.get(0), -0)).toBe(true);
    expect(col.get(1)).toBe(Number.MAX_VALUE);
    expect(col.get(3)).toBe(5e-324);
    expect(col.values[4]).toBe(0);
    expect(col.get(4)).toBeNull();
  });

  it("rejects NaN as an internal bug", () => {
    expect(() => new ChunkedVecRealBuilder().append(Number.NaN)).toThrow(/internal assertion/);
  });
});

describe("ChunkedVecBytes", () => {
  // cases: TiKV codec/data_type/chunked_vec_bytes.rs test_basics and test_slice_vec
  it("stores multi-byte UTF-8, empty strings and NULLs", () => {
    const col = ChunkedVecBytes.fromValues([null, "我好菜啊", null, "我菜爆了", "", "💩", null]);
    expect(col.length).toBe(7);
    expect(col.get(0)).toBeNull();
    expect(Array.from(col.get(1) as Uint8Array)).toEqual([
      0xe6, 0x88, 0x91, 0xe5, 0xa5, 0xbd, 0xe8, 0x8f, 0x9c, 0xe5, 0x95, 0x8a,
    ]);
    expect(col.get(4)).toEqual(new Uint8Array(0));
    expect(col.isNull(4)).toBe(false);
    expect(Array.from(col.get(5) as Uint8Array)).toEqual([0xf0, 0x9f, 0x92, 0xa9]);
    // Offsets: NULL rows are empty ranges.
    expect(Array.from(col.offsets)).toEqual([0, 0, 12, 12, 24, 24, 28, 28]);
    expect(col.data.length).toBe(28);
  });

  it("appendString and append of the encoded bytes give the same column", () => {
    const strs = ["", "a", "é", "€", "😀", "a😀b\u0000c", "x".repeat(1000)];
    const a = new ChunkedVecBytesBuilder();
    const b = new ChunkedVecBytesBuilder();
    for (const s of strs) {
      a.appendString(s);
      b.append(utf8.encode(s));
    }
    const ca = a.finish();
    const cb = b.finish();
    expect(Array.from(ca.offsets)).toEqual(Array.from(cb.offsets));
    expect(Array.from(ca.data)).toEqual(Array.from(cb.data));
  });

  it("an empty column has one offset", () => {
    const col = new ChunkedVecBytesBuilder().finish();
    expect(col.length).toBe(0);
    expect(Array.from(col.offsets)).toEqual([0]);
  });

  it("get() returns a view, not a copy", () => {
    const col = ChunkedVecBytes.fromValues(["abc"]);
    expect((col.get(0) as Uint8Array).buffer).toBe(col.data.buffer);
  });

  it("Json stores the binary bytes as given", () => {
    const col = ChunkedVecJson.fromValues([new Uint8Array([0x04, 0x01]), null]);
    expect(col.evalType).toBe("Json");
    expect(Array.from(col.get(0) as Uint8Array)).toEqual([4, 1]);
    expect(col.get(1)).toBeNull();
  });
});

describe("ChunkedVecDecimal", () => {
  it("stores TiDB's MyDecimal words: header then base-10^9 words", () => {
    const col = ChunkedVecDecimal.fromValues([Decimal.fromString("-1234567890.5"), null]);
    // digitsInt 10, digitsFrac 1, resultFrac 1, negative: little-endian bytes 10, 1, 1, 1.
    expect(col.words[0]).toBe(10 | (1 << 8) | (1 << 16) | (1 << 24));
    // Integer words most significant first, fraction words left-aligned.
    expect(Array.from(col.words.subarray(1, 4))).toEqual([1, 234567890, 500000000]);
    expect(Array.from(col.words.subarray(10, 20))).toEqual(new Array(10).fill(0));
    expect((col.get(0) as Decimal).toString()).toBe("-1234567890.5");
  });

  it.each([["99999999999999999999.123456789"], ["-0.000000000000000000000000000001"], ["0"], ["1e3"]])(
    "round-trips %s",
    (text) => {
      const d = Decimal.fromString(text);
      const got = ChunkedVecDecimal.fromValues([d]).get(0) as Decimal;
      expect(got.toString()).toBe(d.toString());
      expect(got.compare(d)).toBe(0);
    },
  );

  // Scaled values worked out by hand.
  it.each([
    ["123.45", 2, 12345],
    ["123.45", 4, 1234500],
    ["123.45", 1, Number.NaN],
    ["123.40", 1, 1234],
    ["-0.5", 1, -5],
    ["-0.00", 2, 0],
    ["0", 0, 0],
    ["9007199254740991", 0, MAX_EXACT_INT],
    ["9007199254740992", 0, Number.NaN],
    ["-9007199254740991", 0, -MAX_EXACT_INT],
    ["90071992547409.91", 2, MAX_EXACT_INT],
    ["90071992547409.92", 2, Number.NaN],
    ["0.000000001", 9, 1],
    ["0.000000001", 12, 1000],
    ["0.0000000010", 9, 1],
    ["1.000000000000000001", 2, Number.NaN],
    ["1.000000000000000001", 18, Number.NaN],
    ["1234567.123456789012", 6, Number.NaN],
    ["1234567.123456000000", 6, 1234567123456],
    ["99999999999999999999.123456789", 9, Number.NaN],
    ["99999999999999999999999999999999999999999999999999999999999999999", 0, Number.NaN],
  ])("%s scaled by 10^%i is %d", (text, frac, expected) => {
    const col = ChunkedVecDecimal.fromValues([Decimal.fromString(text)]);
    const v = decimalWordsToScaled(col.words, 0, frac);
    expect(v).toBe(expected);
    // Agrees with the value class's own fast path.
    expect(Decimal.fromString(text).toScaledNumber(frac)).toBe(Number.isNaN(expected) ? null : expected);
  });

  it("scaledNumbers covers every row, gives 0 for NULL, and null if one row is not exact", () => {
    const good = ChunkedVecDecimal.fromValues([
      Decimal.fromString("1.25"),
      null,
      Decimal.fromString("-3"),
      Decimal.fromString("0.1"),
    ]);
    expect(Array.from(good.scaledNumbers(2) as Float64Array)).toEqual([125, 0, -300, 10]);
    expect(good.scaledNumbers(2)).toBe(good.scaledNumbers(2));
    expect(good.scaledNumbers(1)).toBeNull();
    expect(Array.from(good.scaledNumbers(3) as Float64Array)).toEqual([1250, 0, -3000, 100]);
  });
});

describe("ChunkedVecDateTime", () => {
  it("stores TiKV's Time layout as lo/hi words", () => {
    const ctx = new EvalContext();
    const t = Time.parseDatetime(ctx, "2019-09-16 17:15:00.5", 1, true);
    // year 63..50, month 49..46, day 45..41, hour 40..36, minute 35..30, second 29..24,
    // micro 23..4, fsp_tt 3..0 (fsp 1 << 1 | 0 for DATETIME); worked out by hand.
    const packed =
      (2019n << 50n) |
      (9n << 46n) |
      (16n << 41n) |
      (17n << 36n) |
      (15n << 30n) |
      (500000n << 4n) |
      (1n << 1n);
    const col = ChunkedVecDateTime.fromValues([null, t]);
    expect(col.words[0]).toBe(0);
    expect(col.words[1]).toBe(0);
    expect(col.words[2]).toBe(Number(packed & 0xffffffffn));
    expect(col.words[3]).toBe(Number(packed >> 32n));
    expect(col.toU64()[1]).toBe(packed);
    expect((col.get(1) as Time).toString()).toBe("2019-09-16 17:15:00.5");
  });

  it("round-trips the range ends and keeps chronological order under compareTimeWords", () => {
    const ctx = new EvalContext();
    const texts = [
      "1000-01-01 00:00:00",
      "1970-01-01 00:00:00",
      "2012-12-31 23:59:59.999999",
      "9999-12-31 23:59:59",
    ];
    const col = ChunkedVecDateTime.fromValues(texts.map((t) => Time.parseDatetime(ctx, t, 6, true)));
    expect(texts.map((_, i) => col.get(i)?.toString())).toEqual([
      "1000-01-01 00:00:00.000000",
      "1970-01-01 00:00:00.000000",
      "2012-12-31 23:59:59.999999",
      "9999-12-31 23:59:59.000000",
    ]);
    const w = col.words;
    for (let i = 0; i + 1 < texts.length; i++) {
      expect(compareTimeWords(w[2 * i], w[2 * i + 1], w[2 * i + 2], w[2 * i + 3])).toBe(-1);
    }
  });

  it("appendWords keeps the high bit of both words", () => {
    const b = new ChunkedVecDateTimeBuilder();
    b.appendWords(0xffffffff, 0x80000000);
    const col = b.finish();
    expect(col.toU64()[0]).toBe(0x80000000ffffffffn);
  });
});

describe("ChunkedVecDuration", () => {
  it("keeps the TIME range ends through a builder from the field type", () => {
    const b = columnBuilderFor(fieldType(FieldTypeTp.Duration, { decimal: 3 }));
    if (!(b instanceof ChunkedVecDurationBuilder)) throw new Error("expected a Duration builder");
    b.append(Duration.parse(new EvalContext(), "-838:59:59", 3));
    b.appendNull();
    const col = b.finish();
    expect(col.get(0)?.toString()).toBe("-838:59:59.000");
    expect(col.isNull(1)).toBe(true);
  });

  it("stores nanoseconds and the column fsp", () => {
    const max = 838n * 3600n + 59n * 60n + 59n;
    const nanos = Number(max * 1_000_000_000n);
    const col = ChunkedVecDuration.fromValues(
      [Duration.fromNanos(nanos, 0), Duration.fromNanos(-nanos, 0), null, Duration.fromNanos(-0, 0)],
      0,
    );
    expect(Array.from(col.nanos)).toEqual([3020399000000000, -3020399000000000, 0, 0]);
    expect(Object.is(col.nanos[3], -0)).toBe(false);
    expect(col.get(0)?.nanos).toBe(3020399000000000);
    expect(col.get(0)?.fsp).toBe(0);
    expect(col.get(2)).toBeNull();
  });
});

describe("ChunkedVecEnum and ChunkedVecSet", () => {
  // cases: TiKV codec/data_type/chunked_vec_enum.rs test_basics
  it("enum stores 1-based indexes; 0 is the empty value, distinct from NULL", () => {
    const elems = ["我好强啊", "我强爆啊", "我成功了"];
    const col = ChunkedVecEnum.fromValues([null, 2, null, 1, 3, 0], elems);
    expect(Array.from(col.values)).toEqual([0, 2, 0, 1, 3, 0]);
    expect(col.get(0)).toBeNull();
    expect(col.get(1)?.name).toBe("我强爆啊");
    expect(col.get(4)?.name).toBe("我成功了");
    expect(col.get(5)?.isEmpty()).toBe(true);
    expect(col.isNull(5)).toBe(false);
  });

  it("an enum index past the members is a CodecError on get()", () => {
    const col = new ChunkedVecEnum(new Uint32Array([4]), ["a"]);
    expect(catchError(() => col.get(0)).name).toBe("CodecError");
  });

  // cases: TiKV codec/data_type/chunked_vec_set.rs test_basics
  it("set stores 64-bit masks as two words", () => {
    const elems = Array.from({ length: 64 }, (_, i) => `m${i}`);
    const b = new ChunkedVecSetBuilder(elems);
    b.appendNull();
    b.appendWords(2, 0);
    b.appendWords(0, 0x80000000);
    b.append(MySqlSet.fromStored(elems, 0xffffffff, 0xffffffff));
    b.appendWords(0, 0);
    const col: ChunkedVecSet = b.finish();
    expect(Array.from(col.words)).toEqual([0, 0, 2, 0, 0, 0x80000000, 0xffffffff, 0xffffffff, 0, 0]);
    expect(col.get(0)).toBeNull();
    expect(col.get(1)?.toString()).toBe("m1");
    expect(col.get(2)?.toString()).toBe("m63");
    expect(col.get(3)?.toBigInt()).toBe(2n ** 64n - 1n);
    expect(col.get(4)?.isEmpty()).toBe(true);
  });
});

describe("ChunkedVecVectorFloat32", () => {
  it("rounds to float32 and keeps element offsets", () => {
    const col = ChunkedVecVectorFloat32.fromValues([[1.1, -0], null, [], [3.4e38, 1e-45]]);
    expect(Array.from(col.offsets)).toEqual([0, 2, 2, 2, 4]);
    expect(col.get(0)?.[0]).toBe(Math.fround(1.1));
    expect(Object.is(col.get(0)?.[1], -0)).toBe(true);
    expect(col.get(1)).toBeNull();
    expect(col.get(2)?.length).toBe(0);
    expect(Array.from(col.get(3) as Float32Array)).toEqual([Math.fround(3.4e38), Math.fround(1e-45)]);
  });
});

describe("constructors over existing arrays", () => {
  it("count NULLs from the bitmap and drop a bitmap without NULLs", () => {
    const all = new ChunkedVecReal(new Float64Array(9), new Uint8Array([0xff, 0x01]));
    expect(all.nullCount).toBe(0);
    expect(all.validity).toBeNull();
    // Bits past the rows are ignored.
    const some = new ChunkedVecReal(new Float64Array(9), new Uint8Array([0b1111_0110, 0xfe]));
    expect(some.nullCount).toBe(3);
    expect([0, 1, 2, 3, 8].map((i) => some.isNull(i))).toEqual([true, false, false, true, true]);
  });

  it("reject a bitmap shorter than the column", () => {
    expect(() => new ChunkedVecReal(new Float64Array(9), new Uint8Array(1))).toThrow(/internal assertion/);
  });

  it("ChunkedVecInt over a kernel's output", () => {
    const col = new ChunkedVecInt(
      { repr: "f64", values: new Float64Array([1, 2, 0]) },
      false,
      new Uint8Array([3]),
    );
    expect([col.get(0), col.get(1), col.get(2)]).toEqual([1n, 2n, null]);
  });
});

describe("columnBuilderFor", () => {
  it.each([
    [FieldTypeTp.Tiny, "Int"],
    [FieldTypeTp.LongLong, "Int"],
    [FieldTypeTp.Year, "Int"],
    [FieldTypeTp.Bit, "Int"],
    [FieldTypeTp.Float, "Real"],
    [FieldTypeTp.Double, "Real"],
    [FieldTypeTp.NewDecimal, "Decimal"],
    [FieldTypeTp.VarChar, "Bytes"],
    [FieldTypeTp.Blob, "Bytes"],
    [FieldTypeTp.Null, "Bytes"],
    [FieldTypeTp.Date, "DateTime"],
    [FieldTypeTp.Timestamp, "DateTime"],
    [FieldTypeTp.Duration, "Duration"],
    [FieldTypeTp.Json, "Json"],
    [FieldTypeTp.Enum, "Enum"],
    [FieldTypeTp.Set, "Set"],
    [FieldTypeTp.TiDBVectorFloat32, "VectorFloat32"],
  ])("type %i builds %s columns", (tp, et) => {
    const col = emptyColumn(fieldType(tp));
    expect(col.evalType).toBe(et);
    expect(col.length).toBe(0);
    expect(isColumnOf(col, et as EvalType)).toBe(true);
  });

  it("takes UNSIGNED, fsp and elems from the field type", () => {
    const u = columnBuilderFor(fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned }));
    expect(u instanceof ChunkedVecIntBuilder && u.unsigned).toBe(true);
    const d = columnBuilderFor(fieldType(FieldTypeTp.Duration, { decimal: 4 }));
    expect(d instanceof ChunkedVecDurationBuilder && d.fsp).toBe(4);
    const dUnspecified = columnBuilderFor(fieldType(FieldTypeTp.Duration));
    expect(dUnspecified instanceof ChunkedVecDurationBuilder && dUnspecified.fsp).toBe(0);
    const e = columnBuilderFor(fieldType(FieldTypeTp.Enum, { elems: ["x", "y"] }));
    expect(e instanceof ChunkedVecEnumBuilder && e.elems).toEqual(["x", "y"]);
    const s = columnBuilderFor(fieldType(FieldTypeTp.Set, { elems: ["x"] }));
    expect(s instanceof ChunkedVecSetBuilder && s.elems).toEqual(["x"]);
  });

  it.each([[FieldTypeTp.Geometry], [FieldTypeTp.Unspecified]])("type %i is unsupported", (tp) => {
    expect(catchError(() => columnBuilderFor(fieldType(tp))).name).toBe("UnsupportedError");
  });

  it("an invalid TIME fsp is an EvalError", () => {
    expect(catchError(() => columnBuilderFor(fieldType(FieldTypeTp.Duration, { decimal: 7 }))).name).toBe(
      "EvalError",
    );
  });

  it("narrows with isColumnOf", () => {
    const col: Column = ChunkedVecInt.fromValues([1]);
    expect(isColumnOf(col, EvalType.Real)).toBe(false);
    if (isColumnOf(col, EvalType.Int)) expect(col.data.repr).toBe("f64");
  });
});
