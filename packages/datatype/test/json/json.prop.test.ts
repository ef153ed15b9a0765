import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareJson,
  compareUtf8,
  formatJsonDouble,
  Json,
  type JsonValue,
  jsonEquals,
  jsonToString,
  parseJson,
} from "../../src/json/index.js";

const I64_MAX = 2n ** 63n - 1n;

// Doubles whose text (including a trailing ".0") has at most 15 digits and a power of ten up to
// 1e20: serde_json's (not always correctly rounded) reader gets them back exactly. Longer texts
// need not round-trip, in TiKV either (see the 7228220282622300.0 case in json.test.ts).
const textDouble = fc
  .tuple(fc.integer({ min: -(10 ** 12) + 1, max: 10 ** 12 - 1 }), fc.integer({ min: -20, max: 2 }))
  .map(([m, e]) => Json.double(Number(`${m}e${e}`)));

/** Values that JSON text can represent (no opaque or date/time kinds). */
const textValue: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(Json.null(), Json.bool(true), Json.bool(false)),
    fc.bigInt({ min: -(2n ** 63n), max: I64_MAX - 1n }).map((v) => Json.i64(v)),
    fc.bigInt({ min: I64_MAX, max: 2n ** 64n - 1n }).map((v) => Json.u64(v)),
    textDouble,
    fc.string({ unit: "binary", maxLength: 8 }).map((s) => Json.string(s)),
    fc.array(tie("value"), { maxLength: 4 }).map((items) => Json.array(items)),
    fc
      .array(fc.tuple(fc.string({ unit: "binary", maxLength: 4 }), tie("value")), { maxLength: 4 })
      .map((m) => Json.object(m)),
  ),
})).value;

describe("JSON properties", () => {
  it("parse(jsonToString(v)) equals v", () => {
    fc.assert(
      fc.property(textValue, (v) => {
        const back = parseJson(jsonToString(v));
        expect(back).toEqual(v);
        expect(jsonEquals(back, v)).toBe(true);
      }),
    );
  });

  it("compare is reflexive and antisymmetric", () => {
    fc.assert(
      fc.property(textValue, textValue, (a, b) => {
        expect(compareJson(a, a)).toBe(0);
        const ab = compareJson(a, b);
        const ba = compareJson(b, a);
        expect([-1, 0, 1]).toContain(ab);
        expect(ab + ba).toBe(0);
      }),
    );
  });

  it("compareUtf8 orders like the UTF-8 bytes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (a, b) => {
        const bytes = Math.sign(Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));
        expect(Math.sign(compareUtf8(a, b))).toBe(bytes);
      }),
    );
  });

  it("formatJsonDouble reads back to the same double", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const s = formatJsonDouble(x);
        expect(Object.is(Number(s), x)).toBe(true);
        expect(s).not.toContain("e+");
      }),
    );
  });
});
