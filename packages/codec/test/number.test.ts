import { CodecError, isCoprError } from "@copr/datatype";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteReader, ByteWriter } from "../src/buf.js";
import {
  i64WordsToBigInt,
  i64WordsToNumber,
  readF32Be,
  readF64,
  readF64Be,
  readF64Desc,
  readI16Le,
  readI32Le,
  readI64,
  readI64Desc,
  readI64Le,
  readI64Safe,
  readI64Words,
  readU16Be,
  readU64,
  readU64Desc,
  readU64Le,
  readVarInt,
  readVarIntSafe,
  readVarIntWords,
  readVarUint,
  readVarUintSafe,
  readVarUintWords,
  skipVarInt,
  u64WordsToBigInt,
  u64WordsToNumber,
  varUintWordsLength,
  writeF64,
  writeF64Be,
  writeF64Desc,
  writeI16Le,
  writeI32Le,
  writeI64,
  writeI64Desc,
  writeI64Le,
  writeI64Words,
  writeU16Be,
  writeU64,
  writeU64Desc,
  writeU64Le,
  writeVarInt,
  writeVarIntWords,
  writeVarUint,
  writeVarUintWords,
} from "../src/number.js";

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const U64_MAX = (1n << 64n) - 1n;

function enc(f: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter(4);
  f(w);
  return w.finish().slice();
}
function rd(bytes: ArrayLike<number>): ByteReader {
  return new ByteReader(Uint8Array.from(bytes), "test");
}
function hex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
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

// Sample sets after TiKV components/codec/src/number.rs get_u64_samples / get_i64_samples /
// get_f64_samples: the boundaries of every width, ±1 around each, wrapping.
const U64_SAMPLES: bigint[] = (() => {
  const base = [
    1n << 63n,
    (1n << 63n) + 1n,
    (1n << 63n) - 1n,
    I64_MAX,
    U64_MAX,
    0n,
    1n,
    U64_MAX - 1n,
    2n ** 31n,
    2n ** 31n - 1n,
    2n ** 31n + 1n,
    2n ** 32n - 1n,
    2n ** 32n,
    2n ** 15n,
    2n ** 16n - 1n,
    2n,
    10n,
    20n,
    63n,
    64n,
    65n,
    127n,
    128n,
    129n,
    255n,
    256n,
    257n,
    300n,
    1024n,
    16383n,
    16384n,
    16385n,
    2n ** 53n - 1n,
    2n ** 53n,
    2n ** 53n + 1n,
  ];
  return [...new Set(base)];
})();
const I64_SAMPLES = U64_SAMPLES.map((v) => BigInt.asIntN(64, v));
const F64_SAMPLES = [
  -1.0,
  0.0,
  1.0,
  -Number.MAX_VALUE,
  2.2250738585072014e-308, // f64::MIN_POSITIVE
  Number.MAX_VALUE,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.EPSILON,
  Math.PI,
  Math.E,
  Math.fround(-3.4028234663852886e38),
  Math.fround(1.1754943508222875e-38),
  Math.fround(3.4028234663852886e38),
  Math.fround(1.1920929e-7),
  Math.fround(Math.PI),
  Math.fround(Math.E),
  5e-324,
  -5e-324,
];

describe("memcomparable i64/u64", () => {
  // cases: TiKV components/codec/src/convert.rs test_encode_i64_to_comparable_u64 and
  // test_decode_comparable_u64_to_i64
  it("i64::MIN encodes to all zero bytes; 0x80..0a decodes to 10", () => {
    expect(hex(enc((w) => writeI64(w, I64_MIN)))).toBe("0000000000000000");
    expect(readI64(rd([0x80, 0, 0, 0, 0, 0, 0, 0x0a]))).toBe(10n);
  });

  it.each([
    [0n, "8000000000000000"],
    [1n, "8000000000000001"],
    [-1n, "7fffffffffffffff"],
    [I64_MAX, "ffffffffffffffff"],
    [256n, "8000000000000100"],
  ])("writeI64(%s) = %s (by hand)", (v, want) => {
    expect(hex(enc((w) => writeI64(w, v)))).toBe(want);
    expect(readI64(rd(Buffer.from(want, "hex")))).toBe(v);
  });

  it("numbers and bigints give the same bytes", () => {
    for (const v of [0, 1, -1, 2 ** 32, -(2 ** 32), Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]) {
      expect(enc((w) => writeI64(w, v))).toEqual(enc((w) => writeI64(w, BigInt(v))));
      expect(enc((w) => writeI64Desc(w, v))).toEqual(enc((w) => writeI64Desc(w, BigInt(v))));
    }
    for (const v of [0, 1, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER]) {
      expect(enc((w) => writeU64(w, v))).toEqual(enc((w) => writeU64(w, BigInt(v))));
    }
  });

  it("u64 is plain big-endian; desc is its inverse", () => {
    expect(hex(enc((w) => writeU64(w, 0x0102030405060708n)))).toBe("0102030405060708");
    expect(hex(enc((w) => writeU64Desc(w, 0x0102030405060708n)))).toBe("fefdfcfbfaf9f8f7");
    expect(hex(enc((w) => writeU64(w, U64_MAX)))).toBe("ffffffffffffffff");
  });

  // The ordering part of TiKV number.rs test_mem_compare! over the same samples.
  it.each([
    ["i64 asc", I64_SAMPLES, writeI64, readI64, 1],
    ["i64 desc", I64_SAMPLES, writeI64Desc, readI64Desc, -1],
    ["u64 asc", U64_SAMPLES, writeU64, readU64, 1],
    ["u64 desc", U64_SAMPLES, writeU64Desc, readU64Desc, -1],
  ] as const)("%s: byte order is value order and values round-trip", (_n, samples, write, read, dir) => {
    const sorted = [...samples].sort((a, b) => dir * (a < b ? -1 : a > b ? 1 : 0));
    const encoded = sorted.map((v) => enc((w) => write(w, v)));
    for (let i = 1; i < encoded.length; i++) expect(cmpBytes(encoded[i - 1], encoded[i])).toBeLessThan(0);
    for (let i = 0; i < sorted.length; i++) {
      expect(encoded[i].length).toBe(8);
      expect(read(rd(encoded[i]))).toBe(sorted[i]);
    }
  });

  it("property: i64 order and round trip (asc and desc)", () => {
    const i64 = fc.bigInt(I64_MIN, I64_MAX);
    fc.assert(
      fc.property(i64, i64, (a, b) => {
        const ea = enc((w) => writeI64(w, a));
        const eb = enc((w) => writeI64(w, b));
        expect(sign(cmpBytes(ea, eb))).toBe(a < b ? -1 : a > b ? 1 : 0);
        const da = enc((w) => writeI64Desc(w, a));
        const db = enc((w) => writeI64Desc(w, b));
        expect(sign(cmpBytes(da, db))).toBe(a < b ? 1 : a > b ? -1 : 0);
        expect(readI64(rd(ea))).toBe(a);
        expect(readI64Desc(rd(da))).toBe(a);
        const r = rd(ea);
        const lo = readI64Words(r);
        expect(i64WordsToBigInt(lo, r.hi)).toBe(a);
        const w2 = new ByteWriter();
        writeI64Words(w2, lo, r.hi);
        expect(w2.finish()).toEqual(ea);
      }),
      { numRuns: 500 },
    );
  });

  it("property: u64 order and round trip", () => {
    const u64 = fc.bigInt(0n, U64_MAX);
    fc.assert(
      fc.property(u64, u64, (a, b) => {
        const ea = enc((w) => writeU64(w, a));
        const eb = enc((w) => writeU64(w, b));
        expect(sign(cmpBytes(ea, eb))).toBe(a < b ? -1 : a > b ? 1 : 0);
        expect(readU64(rd(ea))).toBe(a);
        expect(readU64Desc(rd(enc((w) => writeU64Desc(w, a))))).toBe(a);
      }),
      { numRuns: 500 },
    );
  });

  it("readI64Safe gives numbers and refuses wide values without moving", () => {
    expect(readI64Safe(rd(enc((w) => writeI64(w, -12345))))).toBe(-12345);
    expect(readI64Safe(rd(enc((w) => writeI64(w, Number.MAX_SAFE_INTEGER))))).toBe(Number.MAX_SAFE_INTEGER);
    const r = rd(enc((w) => writeI64(w, 1n << 53n)));
    expect(catchErr(() => readI64Safe(r))).toBeInstanceOf(CodecError);
    expect(r.pos).toBe(0);
  });

  it("truncated input is a CodecError with format and offset", () => {
    const r = new ByteReader(Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), "idx", 3);
    const e = catchErr(() => readI64(r)) as CodecError;
    expect(e).toBeInstanceOf(CodecError);
    expect(e.format).toBe("idx");
    expect(e.offset).toBe(3);
    for (const f of [readU64, readU64Desc, readI64Desc, readF64, readF64Desc, readU64Le, readI64Le]) {
      expect(catchErr(() => f(rd([1, 2, 3, 4, 5, 6, 7])))).toBeInstanceOf(CodecError);
    }
  });
});

describe("words helpers", () => {
  it.each([
    [0, 0, 0, 0],
    [0xffffffff, 0xffffffff, -1, null],
    [0xffffffff, 0x1fffff, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    [0, 0x200000, null, null],
    [0, 0xffe00000, null, null],
    [1, 0xffe00000, -Number.MAX_SAFE_INTEGER, null],
    [0, 0x80000000, null, null],
  ])("words (%d, %d) → i64 %s, u64 %s", (lo, hi, i, u) => {
    expect(i64WordsToNumber(lo, hi)).toBe(i);
    expect(u64WordsToNumber(lo, hi)).toBe(u);
    if (i !== null) expect(BigInt(i)).toBe(i64WordsToBigInt(lo, hi));
    if (u !== null) expect(BigInt(u)).toBe(u64WordsToBigInt(lo, hi));
  });
});

describe("memcomparable f64", () => {
  // cases: TiKV components/codec/src/convert.rs test_encode_f64_to_comparable_u64 /
  // test_decode_comparable_u64_to_f64
  it("+0 is 0x8000..., -0 is 0x7fff..., as TiKV", () => {
    expect(hex(enc((w) => writeF64(w, 0)))).toBe("8000000000000000");
    expect(hex(enc((w) => writeF64(w, -0)))).toBe("7fffffffffffffff");
    expect(readF64(rd(Buffer.from("8000000000000000", "hex")))).toBe(0);
    expect(Object.is(readF64(rd(Buffer.from("7fffffffffffffff", "hex"))), -0)).toBe(true);
    expect(readF64(rd(new Uint8Array(8)))).toBeNaN();
  });

  it.each([
    [1.0, "bff0000000000000"],
    [-1.0, "400fffffffffffff"],
    [2.0, "c000000000000000"],
    [Number.POSITIVE_INFINITY, "fff0000000000000"],
    [Number.NEGATIVE_INFINITY, "000fffffffffffff"],
    [Number.NaN, "fff8000000000000"],
  ])("writeF64(%d) = %s (by hand from the IEEE bits)", (v, want) => {
    expect(hex(enc((w) => writeF64(w, v)))).toBe(want);
  });

  it.each([
    ["asc", writeF64, readF64, 1],
    ["desc", writeF64Desc, readF64Desc, -1],
  ] as const)("TiKV f64 samples sort by value (%s) and round-trip", (_n, write, read, dir) => {
    const sorted = [...F64_SAMPLES].sort((a, b) => dir * (a - b));
    const encoded = sorted.map((v) => enc((w) => write(w, v)));
    for (let i = 1; i < encoded.length; i++) expect(cmpBytes(encoded[i - 1], encoded[i])).toBeLessThan(0);
    sorted.forEach((v, i) => {
      expect(read(rd(encoded[i]))).toBe(v);
    });
  });

  it("NaN sorts above +Infinity; -0 sorts just below +0", () => {
    const nan = enc((w) => writeF64(w, Number.NaN));
    const inf = enc((w) => writeF64(w, Number.POSITIVE_INFINITY));
    expect(cmpBytes(inf, nan)).toBeLessThan(0);
    expect(readF64(rd(nan))).toBeNaN();
    expect(
      cmpBytes(
        enc((w) => writeF64(w, -0)),
        enc((w) => writeF64(w, 0)),
      ),
    ).toBeLessThan(0);
    expect(
      cmpBytes(
        enc((w) => writeF64(w, -5e-324)),
        enc((w) => writeF64(w, -0)),
      ),
    ).toBeLessThan(0);
  });

  it("property: f64 order and exact round trip (bits kept)", () => {
    const f = fc.double({ noNaN: true });
    fc.assert(
      fc.property(f, f, (a, b) => {
        const ea = enc((w) => writeF64(w, a));
        const eb = enc((w) => writeF64(w, b));
        // Value order, with -0 just below +0.
        const negZero = (x: number) => (Object.is(x, -0) ? 0 : 1);
        const want = a < b ? -1 : a > b ? 1 : sign(negZero(a) - negZero(b));
        expect(sign(cmpBytes(ea, eb))).toBe(want);
        expect(Object.is(readF64(rd(ea)), a)).toBe(true);
        expect(Object.is(readF64Desc(rd(enc((w) => writeF64Desc(w, a)))), a)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

/** An independent var-uint encoder over bigint (protobuf base-128). */
function refVarUint(v: bigint): number[] {
  const out: number[] = [];
  let x = v;
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
  return out;
}
function refZigzag(v: bigint): bigint {
  return v >= 0n ? v * 2n : -v * 2n - 1n;
}

describe("var-int / var-uint", () => {
  // Protobuf's documented examples (1, 150, 300) and hand-worked zigzag values.
  it.each([
    [0n, "00"],
    [1n, "01"],
    [127n, "7f"],
    [128n, "8001"],
    [150n, "9601"],
    [300n, "ac02"],
    [16384n, "808001"],
    [1n << 63n, "80808080808080808001"],
    [U64_MAX, "ffffffffffffffffff01"],
  ])("var-uint %s = %s", (v, want) => {
    expect(hex(enc((w) => writeVarUint(w, v)))).toBe(want);
    expect(readVarUint(rd(Buffer.from(want, "hex")))).toBe(v);
  });

  it.each([
    [0n, "00"],
    [-1n, "01"],
    [1n, "02"],
    [-2n, "03"],
    [63n, "7e"],
    [-64n, "7f"],
    [64n, "8001"],
    [-65n, "8101"],
    [I64_MAX, "feffffffffffffffff01"],
    [I64_MIN, "ffffffffffffffffff01"],
  ])("var-int %s = %s (zigzag)", (v, want) => {
    expect(hex(enc((w) => writeVarInt(w, v)))).toBe(want);
    expect(readVarInt(rd(Buffer.from(want, "hex")))).toBe(v);
    if (v >= -(2n ** 53n) + 1n && v <= 2n ** 53n - 1n) {
      expect(hex(enc((w) => writeVarInt(w, Number(v))))).toBe(want);
    }
  });

  // The var-int part of TiKV number.rs test_var_u64 / test_var_i64 (checked against protobuf
  // there; against an independent bigint encoder here).
  it("TiKV samples match the reference encoder and round-trip", () => {
    for (const v of U64_SAMPLES) {
      const e = enc((w) => writeVarUint(w, v));
      expect([...e]).toEqual(refVarUint(v));
      expect(readVarUint(rd(e))).toBe(v);
      const lo = Number(v & 0xffffffffn);
      const hi = Number(v >> 32n);
      expect(varUintWordsLength(lo, hi)).toBe(e.length);
      expect(enc((w) => writeVarUintWords(w, lo, hi))).toEqual(e);
    }
    for (const v of I64_SAMPLES) {
      const e = enc((w) => writeVarInt(w, v));
      expect([...e]).toEqual(refVarUint(refZigzag(v)));
      expect(readVarInt(rd(e))).toBe(v);
      const u = BigInt.asUintN(64, v);
      expect(enc((w) => writeVarIntWords(w, Number(u & 0xffffffffn), Number(u >> 32n)))).toEqual(e);
    }
  });

  it("property: var-int and var-uint round-trip through bigint, words and safe readers", () => {
    fc.assert(
      fc.property(fc.bigInt(I64_MIN, I64_MAX), fc.bigInt(0n, U64_MAX), (i, u) => {
        const ei = enc((w) => writeVarInt(w, i));
        expect([...ei]).toEqual(refVarUint(refZigzag(i)));
        const r = rd(ei);
        const lo = readVarIntWords(r);
        expect(i64WordsToBigInt(lo, r.hi)).toBe(i);
        expect(r.remaining).toBe(0);
        const eu = enc((w) => writeVarUint(w, u));
        expect([...eu]).toEqual(refVarUint(u));
        const r2 = rd(eu);
        expect(u64WordsToBigInt(readVarUintWords(r2), r2.hi)).toBe(u);
        expect(skipVarInt(rd(eu))).toBe(eu.length);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.maxSafeNat(), (i, u) => {
        expect(readVarIntSafe(rd(enc((w) => writeVarInt(w, i))))).toBe(i);
        expect(readVarUintSafe(rd(enc((w) => writeVarUint(w, u))))).toBe(u);
      }),
    );
  });

  it("non-minimal encodings are accepted (as Go and TiKV)", () => {
    expect(readVarUint(rd([0x80, 0x00]))).toBe(0n);
    expect(readVarUint(rd([0xff, 0x80, 0x00]))).toBe(127n);
  });

  // Overflow cases as Go encoding/binary varint_test.go (overflow at the 10th byte, 11 bytes).
  it.each([
    ["truncated", [0x80]],
    ["empty", []],
    ["truncated long", [0xff, 0xff, 0xff]],
    ["10th byte 2", [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02]],
    ["10th byte with continuation", [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x81, 0x00]],
    ["11 bytes", [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]],
    ["u64 max + 1", [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02]],
  ])("rejects %s with a CodecError and does not move", (_n, bytes) => {
    for (const f of [readVarUint, readVarInt, skipVarInt, readVarUintSafe, readVarIntSafe]) {
      const r = rd(bytes);
      const e = catchErr(() => f(r)) as CodecError;
      expect(e).toBeInstanceOf(CodecError);
      expect(e.offset).toBe(0);
      expect(r.pos).toBe(0);
    }
  });

  it("the largest 10-byte value (10th byte 1) is accepted", () => {
    expect(readVarUint(rd([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBe(U64_MAX);
  });

  it("safe readers refuse values beyond 2^53 - 1", () => {
    expect(catchErr(() => readVarUintSafe(rd(enc((w) => writeVarUint(w, 1n << 53n)))))).toBeInstanceOf(
      CodecError,
    );
    expect(catchErr(() => readVarIntSafe(rd(enc((w) => writeVarInt(w, -(1n << 53n))))))).toBeInstanceOf(
      CodecError,
    );
  });
});

describe("fixed little/big-endian helpers", () => {
  it("hand-worked bytes", () => {
    expect(hex(enc((w) => writeU16Be(w, 0x1234)))).toBe("1234");
    expect(readU16Be(rd([0x12, 0x34]))).toBe(0x1234);
    expect(hex(enc((w) => writeI16Le(w, -2)))).toBe("feff");
    expect(readI16Le(rd([0xfe, 0xff]))).toBe(-2);
    expect(hex(enc((w) => writeI32Le(w, -2)))).toBe("feffffff");
    expect(readI32Le(rd([0xfe, 0xff, 0xff, 0xff]))).toBe(-2);
    expect(hex(enc((w) => writeU64Le(w, 0x0102030405060708n)))).toBe("0807060504030201");
    expect(readU64Le(rd([8, 7, 6, 5, 4, 3, 2, 1]))).toBe(0x0102030405060708n);
    expect(hex(enc((w) => writeI64Le(w, -1n)))).toBe("ffffffffffffffff");
    expect(readI64Le(rd([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBe(-1n);
    expect(hex(enc((w) => writeI64Le(w, -2)))).toBe("feffffffffffffff");
    expect(hex(enc((w) => writeF64Be(w, 1.0)))).toBe("3ff0000000000000");
    expect(readF64Be(rd([0x3f, 0xf0, 0, 0, 0, 0, 0, 0]))).toBe(1.0);
    expect(readF32Be(rd([0x3f, 0x80, 0, 0]))).toBe(1.0);
  });

  it("property: 64-bit little-endian round trip", () => {
    fc.assert(
      fc.property(fc.bigInt(I64_MIN, I64_MAX), (v) => {
        expect(readI64Le(rd(enc((w) => writeI64Le(w, v))))).toBe(v);
        expect(readU64Le(rd(enc((w) => writeU64Le(w, v))))).toBe(BigInt.asUintN(64, v));
      }),
    );
  });

  it("truncation is a CodecError", () => {
    for (const f of [readU16Be, readI16Le, readI32Le, readF32Be, readF64Be]) {
      expect(catchErr(() => f(rd([1])))).toBeInstanceOf(CodecError);
    }
  });
});

describe("fuzzing every number decoder", () => {
  const readers = [
    readI64,
    readI64Desc,
    readU64,
    readU64Desc,
    readF64,
    readF64Desc,
    readI64Safe,
    readVarInt,
    readVarUint,
    readVarIntSafe,
    readVarUintSafe,
    skipVarInt,
    readU16Be,
    readI16Le,
    readI32Le,
    readU64Le,
    readI64Le,
    readF64Be,
  ];
  it("random bytes give a value or a CodecError, never another error or an overrun", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 14 }), fc.nat(14), (bytes, cut) => {
        const end = Math.min(cut, bytes.length);
        for (const f of readers) {
          const r = new ByteReader(bytes, "fuzz", 0, end);
          try {
            f(r);
            expect(r.pos).toBeLessThanOrEqual(end);
          } catch (e) {
            expect(isCoprError(e)).toBe(true);
            expect(e).toBeInstanceOf(CodecError);
            expect(r.pos).toBe(0);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
