// Round trips of every message of the schema through the generated static code, checked against
// protobufjs's reflection of the same .proto files (an independent encoder and decoder).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allMessages, arbitraryObject, loadSchema, staticClass } from "./schema.js";

const schema = loadSchema();
const messages = allMessages(schema);
const conversion = { longs: String, enums: Number, bytes: Array, defaults: false } as const;

describe("every message round-trips", () => {
  it("covers the whole schema", () => {
    // 257 message types are declared across the 16 files (nested types included); if this count
    // changes, docs/proto.md's coverage list must change with it.
    expect(messages.length).toBe(257);
    for (const t of messages) expect(() => staticClass(t)).not.toThrow();
  });

  it.each(messages.map((t) => [t.fullName.slice(1), t] as const))("%s", (_name, type) => {
    const Static = staticClass(type);
    fc.assert(
      fc.property(arbitraryObject(type), (obj) => {
        // Reflection encodes, the static code decodes and re-encodes: the bytes must agree, and
        // reflection must read back what it wrote.
        const viaReflection = type.encode(type.fromObject(obj)).finish();
        const decoded = Static.decode(viaReflection);
        const again = Static.encode(decoded).finish();
        expect(Buffer.from(again).equals(Buffer.from(viaReflection))).toBe(true);
        expect(Static.toObject(decoded, conversion)).toEqual(
          type.toObject(type.decode(viaReflection), conversion),
        );
        // And the static code's own fromObject agrees with reflection's.
        expect(
          Buffer.from(Static.encode(Static.fromObject(obj)).finish()).equals(Buffer.from(viaReflection)),
        ).toBe(true);
      }),
      { numRuns: 15 },
    );
  });
});
