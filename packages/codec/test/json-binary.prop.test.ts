import {
  CodecError,
  compareJson,
  Json,
  type JsonValue,
  jsonToString,
  MAX_DURATION_NANOS,
} from "@copr/datatype";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeJsonBinary,
  encodeJsonBinary,
  type JsonBinaryRef,
  jsonBinaryRef,
  validateJsonBinary,
} from "../src/json-binary.js";

const key = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.string({ unit: "binary", maxLength: 4 }),
  fc.constantFrom("", "a", "ab", "b", "é", "\uFFFD", "😀"),
);

const scalar: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constantFrom(Json.null(), Json.bool(true), Json.bool(false)),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v) => Json.i64(v)),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((v) => Json.u64(v)),
  fc.double({ noNaN: true }).map((v) => Json.double(v)),
  fc.string({ unit: "binary", maxLength: 20 }).map((s) => Json.string(s)),
  fc.string({ maxLength: 200 }).map((s) => Json.string(s)),
  fc
    .tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 20 }))
    .map(([t, d]) => Json.opaque(t, d)),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((v) => Json.date(v)),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((v) => Json.datetime(v)),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((v) => Json.timestamp(v)),
  fc
    .tuple(fc.integer({ min: -MAX_DURATION_NANOS, max: MAX_DURATION_NANOS }), fc.integer({ min: 0, max: 6 }))
    .map(([n, f]) => Json.time(n, f)),
);

const { value: jsonValue } = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 5 }).map((items) => Json.array(items)),
    fc.array(fc.tuple(key, tie("value")), { maxLength: 5 }).map((m) => Json.object(m)),
  ),
}));

function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}

function cmpBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** Decodes `bytes`; on success the value must re-encode to exactly `bytes`. */
function decodeOrCodecError(bytes: Uint8Array): void {
  let v: JsonValue;
  try {
    v = decodeJsonBinary(bytes);
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
    expect(e.format).toBe("binary json");
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(bytes.length);
    return;
  }
  expect(toHex(encodeJsonBinary(v))).toBe(toHex(bytes));
}

describe("binary JSON properties", () => {
  it("decode(encode(v)) is v, and encode(decode(b)) is b", () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        const b = encodeJsonBinary(v);
        const back = decodeJsonBinary(b);
        expect(back).toEqual(v);
        expect(toHex(encodeJsonBinary(back))).toBe(toHex(b));
        expect(jsonToString(back)).toBe(jsonToString(v));
      }),
      { numRuns: 1000 },
    );
  });

  it("the zero-copy view agrees with the decoded value at every level", () => {
    function check(ref: JsonBinaryRef, v: JsonValue): void {
      expect(toHex(ref.encoded())).toBe(toHex(encodeJsonBinary(v)));
      if (v.kind === "array") {
        expect(ref.elementCount).toBe(v.items.length);
        v.items.forEach((m, i) => {
          check(ref.arrayElement(i), m);
        });
      } else if (v.kind === "object") {
        expect(ref.elementCount).toBe(v.entries.length);
        v.entries.forEach(([k, m], i) => {
          expect(ref.objectKey(i)).toBe(k);
          expect(ref.objectSearchKey(k)).toBe(i);
          check(ref.objectValue(i), m);
        });
      }
    }
    fc.assert(
      fc.property(jsonValue, (v) => {
        check(jsonBinaryRef(encodeJsonBinary(v)), v);
      }),
      { numRuns: 500 },
    );
  });

  it("absent keys are not found", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, scalar), { maxLength: 8 }), key, (members, probe) => {
        const obj = Json.object(members);
        const ref = jsonBinaryRef(encodeJsonBinary(obj));
        const want = obj.entries.findIndex(([k]) => k === probe);
        expect(ref.objectSearchKey(probe)).toBe(want);
      }),
    );
  });

  it("object payload bytes order as @copr/datatype compareJson orders objects (its own encoder)", () => {
    // compareJson compares objects by their binary payload, written by an independent encoder in
    // packages/datatype/src/json/compare.ts: the two must agree on every byte.
    const obj = fc.array(fc.tuple(key, jsonValue), { maxLength: 4 }).map((m) => Json.object(m));
    fc.assert(
      fc.property(obj, obj, (a, b) => {
        const byBytes = Math.sign(cmpBytes(encodeJsonBinary(a).subarray(1), encodeJsonBinary(b).subarray(1)));
        expect(compareJson(a, b)).toBe(byBytes);
      }),
      { numRuns: 500 },
    );
  });
});

describe("binary JSON fuzzing: only CodecError, never a hang", () => {
  it("random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => decodeOrCodecError(b)),
      { numRuns: 5000 },
    );
  });

  it("random bytes after a container type byte and a plausible header", () => {
    const input = fc
      .tuple(
        fc.constantFrom(0x01, 0x03),
        fc.integer({ min: 0, max: 4 }),
        fc.uint8Array({ maxLength: 60 }),
        fc.boolean(),
      )
      .map(([t, count, rest, exactSize]) => {
        const size = exactSize ? 8 + rest.length : (rest[0] ?? 0) + 8;
        const b = new Uint8Array(9 + rest.length);
        b[0] = t;
        b[1] = count;
        b[5] = size & 0xff;
        b[6] = size >> 8;
        b.set(rest, 9);
        return b;
      });
    fc.assert(
      fc.property(input, (b) => decodeOrCodecError(b)),
      { numRuns: 5000 },
    );
  });

  it("valid encodings truncated, bit-flipped, overwritten, extended", () => {
    const mutated = fc
      .tuple(
        jsonValue.map((v) => encodeJsonBinary(v)),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom("truncate", "flip", "set", "append", "delete"),
      )
      .map(([b, pos, bit, byte, how]) => {
        const p = pos % b.length;
        const out = b.slice();
        switch (how) {
          case "truncate":
            return b.slice(0, p);
          case "flip":
            out[p] ^= 1 << bit;
            return out;
          case "set":
            out[p] = byte;
            return out;
          case "append": {
            const more = new Uint8Array(b.length + 1);
            more.set(b);
            more[b.length] = byte;
            return more;
          }
          default: {
            const less = new Uint8Array(b.length - 1);
            less.set(b.subarray(0, p));
            less.set(b.subarray(p + 1), p);
            return less;
          }
        }
      });
    fc.assert(
      fc.property(mutated, (b) => decodeOrCodecError(b)),
      { numRuns: 5000 },
    );
  });

  it("every prefix of a valid encoding but the whole is rejected", () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        const b = encodeJsonBinary(v);
        for (let n = 0; n < b.length; n++) {
          expect(() => validateJsonBinary(b.subarray(0, n))).toThrow(CodecError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a wide, shallow document with shared-looking offsets decodes in linear time", () => {
    // 20k elements, each an empty array: a blow-up would show as a timeout.
    const v = Json.array(Array.from({ length: 20_000 }, () => Json.array([Json.array([])])));
    const b = encodeJsonBinary(v);
    const t0 = performance.now();
    expect(decodeJsonBinary(b)).toEqual(v);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
