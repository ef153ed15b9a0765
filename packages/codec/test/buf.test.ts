// ByteReader/ByteWriter: bounds checks name the format and offset; writes round-trip.
import { CodecError } from "@copr/datatype";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteReader, ByteWriter } from "../src/buf.js";

describe("ByteReader", () => {
  it("reads little- and big-endian words", () => {
    const r = new ByteReader(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]), "t");
    expect(r.u8()).toBe(1);
    expect(r.u16le()).toBe(0x0302);
    expect(r.u32be()).toBe(0x04050607);
    expect(r.u64leWords()).toBe(0x0b0a0908);
    expect(r.hi).toBe(0x0f0e0d0c);
    expect(r.remaining).toBe(0);
  });

  it("refuses to read past the end, naming format and offset", () => {
    const r = new ByteReader(new Uint8Array([1, 2, 3]), "row v2");
    r.u8();
    let err: unknown;
    try {
      r.u32le("end offset");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CodecError);
    expect((err as CodecError).format).toBe("row v2");
    expect((err as CodecError).offset).toBe(1);
    expect((err as Error).message).toBe("row v2: truncated end offset: need 4 bytes, 2 left at offset 1");
    expect(() => r.take(-1)).toThrow(CodecError);
  });

  it("respects a window narrower than the buffer", () => {
    const r = new ByteReader(new Uint8Array([1, 2, 3, 4]), "t", 1, 3);
    expect([...r.take(2)]).toEqual([2, 3]);
    expect(() => r.u8()).toThrow(CodecError);
  });
});

describe("ByteWriter", () => {
  it("round-trips through ByteReader while growing", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 0xffffffff }),
            fc.integer({ min: 0, max: 0xffffffff }),
            fc.double(),
          ),
        ),
        (items) => {
          const w = new ByteWriter(1);
          for (const [lo, hi, d] of items) {
            w.u64leWords(lo, hi);
            w.u64beWords(hi, lo);
            w.f64le(d);
          }
          const r = new ByteReader(w.finish(), "t");
          for (const [lo, hi, d] of items) {
            expect(r.u64leWords()).toBe(lo);
            expect(r.hi).toBe(hi);
            expect(r.u64beWords()).toBe(hi);
            expect(r.hi).toBe(lo);
            expect(Object.is(r.f64le(), d)).toBe(true);
          }
          expect(r.remaining).toBe(0);
        },
      ),
    );
  });
});
