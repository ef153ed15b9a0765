import { CodecError, isCoprError } from "@copr/datatype";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteReader, ByteWriter } from "../src/buf.js";
import {
  compactBytesEncodedLength,
  comparableBytesEncodedLength,
  decodeComparableBytes,
  encodeComparableBytes,
  MEMCMP_GROUP_SIZE,
  MEMCMP_PAD_BYTE,
  peekComparableBytesLength,
  readCompactBytes,
  readComparableBytes,
  skipCompactBytes,
  skipComparableBytes,
  writeCompactBytes,
  writeComparableBytes,
} from "../src/bytes.js";

function u8(...b: number[]): Uint8Array {
  return Uint8Array.from(b);
}
function rd(bytes: ArrayLike<number>, end?: number): ByteReader {
  const b = Uint8Array.from(bytes);
  return new ByteReader(b, "test", 0, end ?? b.length);
}
function writeCmp(src: Uint8Array, desc = false): Uint8Array {
  const w = new ByteWriter(1);
  w.u8(0xaa); // a prefix, to check offsets
  writeComparableBytes(w, src, desc);
  return w.finish().slice(1);
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

// cases: TiKV components/codec/src/byte.rs test_memcmp_encode_all (= TiDB
// pkg/util/codec/bytes_test.go TestBytesCodec): source, ascending, descending.
const ENCODE_CASES: [number[], number[], number[]][] = [
  [[], [0, 0, 0, 0, 0, 0, 0, 0, 247], [255, 255, 255, 255, 255, 255, 255, 255, 8]],
  [[0], [0, 0, 0, 0, 0, 0, 0, 0, 248], [255, 255, 255, 255, 255, 255, 255, 255, 7]],
  [
    [1, 2, 3],
    [1, 2, 3, 0, 0, 0, 0, 0, 250],
    [254, 253, 252, 255, 255, 255, 255, 255, 5],
  ],
  [
    [1, 2, 3, 0],
    [1, 2, 3, 0, 0, 0, 0, 0, 251],
    [254, 253, 252, 255, 255, 255, 255, 255, 4],
  ],
  [
    [1, 2, 3, 4, 5, 6, 7],
    [1, 2, 3, 4, 5, 6, 7, 0, 254],
    [254, 253, 252, 251, 250, 249, 248, 255, 1],
  ],
  [
    [0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 247],
    [255, 255, 255, 255, 255, 255, 255, 255, 0, 255, 255, 255, 255, 255, 255, 255, 255, 8],
  ],
  [
    [1, 2, 3, 4, 5, 6, 7, 8],
    [1, 2, 3, 4, 5, 6, 7, 8, 255, 0, 0, 0, 0, 0, 0, 0, 0, 247],
    [254, 253, 252, 251, 250, 249, 248, 247, 0, 255, 255, 255, 255, 255, 255, 255, 255, 8],
  ],
  [
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 5, 6, 7, 8, 255, 9, 0, 0, 0, 0, 0, 0, 0, 248],
    [254, 253, 252, 251, 250, 249, 248, 247, 0, 246, 255, 255, 255, 255, 255, 255, 255, 7],
  ],
];

describe("memcomparable bytes", () => {
  it("constants", () => {
    expect(MEMCMP_GROUP_SIZE).toBe(8);
    expect(MEMCMP_PAD_BYTE).toBe(0);
  });

  it.each(ENCODE_CASES)("encode/decode %j", (src, asc, desc) => {
    const s = Uint8Array.from(src);
    expect([...writeCmp(s)]).toEqual(asc);
    expect([...writeCmp(s, true)]).toEqual(desc);
    expect([...encodeComparableBytes(s)]).toEqual(asc);
    expect([...encodeComparableBytes(s, true)]).toEqual(desc);
    expect(comparableBytesEncodedLength(src.length)).toBe(asc.length);
    expect([...readComparableBytes(rd(asc))]).toEqual(src);
    expect([...readComparableBytes(rd(desc), true)]).toEqual(src);
    expect([...decodeComparableBytes(rd(asc))]).toEqual(src);
  });

  // cases: TiKV byte.rs test_memcmp_encoded_len
  it.each([
    [0, 9],
    [4, 9],
    [7, 9],
    [8, 18],
    [9, 18],
    [16, 27],
    [17, 27],
  ])("encoded length of %d bytes is %d", (n, want) => {
    expect(comparableBytesEncodedLength(n)).toBe(want);
  });

  // cases: TiKV byte.rs test_read_bytes; trailing bytes stay unread.
  it("stops after the first value and leaves the rest", () => {
    const r = rd([1, 2, 3, 0, 0, 0, 0, 0, 250, 9, 9]);
    expect([...readComparableBytes(r)]).toEqual([1, 2, 3]);
    expect(r.pos).toBe(9);
    expect(peekComparableBytesLength(rd([1, 2, 3, 0, 0, 0, 0, 0, 250, 9, 9]))).toBe(9);
    expect(catchErr(() => decodeComparableBytes(rd([1, 2, 3, 0, 0, 0, 0, 0, 250, 9])))).toBeInstanceOf(
      CodecError,
    );
  });

  // Valid cases of TiKV byte.rs test_mem_cmp_encoded_len (the truncated ones, and those with
  // non-zero pad bytes, are errors here; TiKV's length function does not look at them).
  it.each([
    [9, [1, 2, 3, 4, 5, 6, 7, 0, 254]],
    [9, [1, 2, 3, 4, 5, 6, 7, 0, 254, 0, 0, 0]],
    [18, [0, 0, 0, 0, 0, 0, 0, 0, 255, 1, 2, 3, 0, 0, 0, 0, 0, 251]],
    [18, [0, 0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 247, 0, 0]],
  ])("ascending length %d of %j", (want, data) => {
    expect(peekComparableBytesLength(rd(data))).toBe(want);
    const r = rd(data);
    skipComparableBytes(r);
    expect(r.pos).toBe(want);
  });

  it.each([
    [9, [254, 253, 252, 251, 250, 249, 248, 255, 1, 1, 1, 1]],
    [18, [1, 1, 1, 1, 1, 1, 1, 1, 0, 255, 255, 255, 255, 255, 255, 255, 255, 8, 1, 2, 3]],
  ])("descending length %d of %j", (want, data) => {
    expect(peekComparableBytesLength(rd(data), true)).toBe(want);
  });

  // cases: TiKV byte.rs test_memcmp_try_decode_first_error (= TiDB bytes_test.go errInputs),
  // plus a bad pad byte in a later group.
  it.each([
    [[1, 2, 3, 4]],
    [[0, 0, 0, 0, 0, 0, 0, 247]],
    [[0, 0, 0, 0, 0, 0, 0, 0, 246]],
    [[0, 0, 0, 0, 0, 0, 0, 1, 247]],
    [[1, 2, 3, 4, 5, 6, 7, 8, 0]],
    [[1, 2, 3, 4, 5, 6, 7, 8, 255, 1]],
    [[1, 2, 3, 4, 5, 6, 7, 8, 255, 1, 2, 3, 4, 5, 6, 7, 8]],
    [[1, 2, 3, 4, 5, 6, 7, 8, 255, 1, 2, 3, 4, 5, 6, 7, 8, 255]],
    [[1, 2, 3, 4, 5, 6, 7, 8, 255, 1, 2, 3, 4, 5, 6, 7, 8, 0]],
    [[1, 2, 3, 4, 5, 6, 7, 8, 255, 1, 0, 0, 0, 0, 0, 0, 0, 247]],
  ])("rejects %j (read, skip and peek), reader unmoved", (data) => {
    for (const f of [
      (r: ByteReader) => readComparableBytes(r),
      (r: ByteReader) => skipComparableBytes(r),
      (r: ByteReader) => peekComparableBytesLength(r),
    ]) {
      const r = rd(data);
      const e = catchErr(() => f(r));
      expect(e).toBeInstanceOf(CodecError);
      expect(r.pos).toBe(0);
    }
  });

  it("the descending decoder checks inverted pad bytes and markers", () => {
    expect(
      catchErr(() => readComparableBytes(rd([254, 253, 252, 255, 255, 255, 255, 254, 5]), true)),
    ).toBeInstanceOf(CodecError);
    expect(catchErr(() => readComparableBytes(rd([0, 0, 0, 0, 0, 0, 0, 0, 9]), true))).toBeInstanceOf(
      CodecError,
    );
    // An ascending encoding read as descending is rejected, not misread.
    expect(catchErr(() => readComparableBytes(rd([1, 2, 3, 0, 0, 0, 0, 0, 250]), true))).toBeInstanceOf(
      CodecError,
    );
  });

  it("respects the reader's end", () => {
    const data = [1, 2, 3, 0, 0, 0, 0, 0, 250];
    const e = catchErr(() => readComparableBytes(rd(data, 8))) as CodecError;
    expect(e).toBeInstanceOf(CodecError);
    expect(e.offset).toBe(0);
  });

  it("reuses `into` when it is large enough", () => {
    const into = new Uint8Array(32);
    const v = readComparableBytes(rd(ENCODE_CASES[7][1]), false, into);
    expect(v.buffer).toBe(into.buffer);
    expect([...v]).toEqual(ENCODE_CASES[7][0]);
    const small = new Uint8Array(2);
    const v2 = readComparableBytes(rd(ENCODE_CASES[7][1]), false, small);
    expect(v2.buffer).not.toBe(small.buffer);
    expect([...v2]).toEqual(ENCODE_CASES[7][0]);
  });

  it("property: round trip, both orders, at any offset", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        fc.uint8Array({ maxLength: 5 }),
        fc.boolean(),
        (src, prefix, desc) => {
          const w = new ByteWriter(1);
          w.bytes(prefix);
          writeComparableBytes(w, src, desc);
          w.u8(0x42);
          const all = w.finish();
          expect(all.length).toBe(prefix.length + comparableBytesEncodedLength(src.length) + 1);
          const r = new ByteReader(all, "p", prefix.length);
          expect(readComparableBytes(r, desc)).toEqual(src);
          expect(r.pos).toBe(all.length - 1);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("property: byte order of encodings is the order of the inputs (asc and desc)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20 }), fc.uint8Array({ maxLength: 20 }), (a, b) => {
        const want = sign(cmpBytes(a, b));
        expect(sign(cmpBytes(encodeComparableBytes(a), encodeComparableBytes(b)))).toBe(want);
        expect(sign(cmpBytes(encodeComparableBytes(a, true), encodeComparableBytes(b, true)))).toBe(0 - want);
      }),
      { numRuns: 1000 },
    );
    // Prefixes and zero bytes are the interesting part: "a" < "a\0" < "a\0\0" < "b".
    const vals = [
      [],
      [0],
      [0, 0],
      [0x61],
      [0x61, 0],
      [0x61, 0, 0],
      [0x61, 0, 0, 0, 0, 0, 0, 0],
      [0x61, 0, 0, 0, 0, 0, 0, 0, 0],
      [0x62],
    ];
    for (let i = 1; i < vals.length; i++) {
      expect(
        cmpBytes(encodeComparableBytes(u8(...vals[i - 1])), encodeComparableBytes(u8(...vals[i]))),
      ).toBeLessThan(0);
    }
  });
});

describe("compact bytes", () => {
  // cases: TiKV byte.rs test_write_compact_bytes_for_file / test_compact_codec
  it.each([
    ["", [0]],
    ["hello", [10, 104, 101, 108, 108, 111]],
    ["世界", [12, 228, 184, 150, 231, 149, 140]],
  ])("%s", (s, want) => {
    const src = new TextEncoder().encode(s);
    const w = new ByteWriter();
    writeCompactBytes(w, src);
    expect([...w.finish()]).toEqual(want);
    expect(compactBytesEncodedLength(src.length)).toBe(want.length);
    const r = rd(want);
    expect(readCompactBytes(r)).toEqual(src);
    expect(r.remaining).toBe(0);
  });

  // cases: TiKV byte.rs test_encode_compact_byte_len (complete inputs) and
  // test_read_compact_bytes_for_file (trailing data left alone)
  it.each([
    [1, [0]],
    [6, [10, 104, 101, 108, 108, 111, 2, 3]],
    [7, [12, 228, 184, 150, 231, 149, 140, 2]],
    [6, [10, 104, 101, 108, 108, 111, 12, 228, 184, 150, 231, 149, 140]],
  ])("skips %d bytes of %j", (n, data) => {
    const r = rd(data);
    skipCompactBytes(r);
    expect(r.pos).toBe(n);
  });

  it("the value is a view into the input", () => {
    const data = Uint8Array.from([4, 7, 8]);
    const v = readCompactBytes(new ByteReader(data, "t"));
    expect(v.buffer).toBe(data.buffer);
    expect([...v]).toEqual([7, 8]);
  });

  // TiKV returns the buffer length for the truncated cases of test_encode_compact_byte_len; they
  // are errors here, as is a negative length.
  it.each([
    ["truncated data", [10, 104, 101]],
    ["truncated length", [0x80]],
    ["negative length", [1, 0]],
    ["empty", []],
    ["length beyond 2^53", [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]],
  ])("rejects %s", (_n, data) => {
    const r = rd(data);
    expect(catchErr(() => readCompactBytes(r))).toBeInstanceOf(CodecError);
    expect(r.pos).toBe(0);
  });

  it("lengths across the var-int size boundaries", () => {
    for (const n of [0, 63, 64, 8191, 8192, 70000]) {
      const src = new Uint8Array(n).fill(7);
      const w = new ByteWriter();
      writeCompactBytes(w, src);
      expect(w.length).toBe(compactBytesEncodedLength(n));
      expect(readCompactBytes(new ByteReader(w.finish(), "t"))).toEqual(src);
    }
  });
});

describe("fuzzing the bytes decoders", () => {
  const decoders = [
    (r: ByteReader) => readComparableBytes(r),
    (r: ByteReader) => readComparableBytes(r, true),
    (r: ByteReader) => skipComparableBytes(r),
    (r: ByteReader) => skipComparableBytes(r, true),
    (r: ByteReader) => readCompactBytes(r),
  ];
  function check(bytes: Uint8Array, end: number) {
    for (const f of decoders) {
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
  }

  it("random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => check(b, b.length)),
      { numRuns: 2000 },
    );
  });

  it("mutated valid encodings (truncated, bit-flipped)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 30 }),
        fc.boolean(),
        fc.nat(),
        fc.nat(7),
        fc.nat(),
        (src, desc, pos, bit, cut) => {
          const enc = encodeComparableBytes(src, desc);
          const flipped = enc.slice();
          flipped[pos % flipped.length] ^= 1 << bit;
          check(flipped, flipped.length);
          check(enc, cut % (enc.length + 1));
          const w = new ByteWriter();
          writeCompactBytes(w, src);
          const c = w.finish().slice();
          c[pos % c.length] ^= 1 << bit;
          check(c, c.length);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
