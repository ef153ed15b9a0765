import {
  CodecError,
  EvalError,
  Json,
  JsonType,
  type JsonValue,
  jsonDepth,
  jsonEquals,
  jsonToString,
  parseJson,
} from "@copr/datatype";
import { describe, expect, it } from "vitest";
import { ByteWriter } from "../src/buf.js";
import {
  decodeJsonBinary,
  ERR_JSON_DOCUMENT_TOO_DEEP,
  ERR_JSON_OBJECT_KEY_TOO_LONG,
  encodeJsonBinary,
  type JsonBinaryRef,
  jsonBinaryRef,
  jsonBinaryType,
  jsonBinaryValueLength,
  MAX_JSON_DEPTH,
  validateJsonBinary,
  writeJsonBinary,
} from "../src/json-binary.js";

function hex(s: string): Uint8Array {
  const t = s.replace(/\s+/g, "");
  const out = new Uint8Array(t.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(t.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

describe("encodeJsonBinary: hand-worked bytes", () => {
  // Layout from TiKV json/mod.rs (format comment), jcodec.rs and constants.rs; TiDB json_binary.go.
  it.each<[string, JsonValue, string]>([
    ["null", Json.null(), "04 00"],
    ["true", Json.bool(true), "04 01"],
    ["false", Json.bool(false), "04 02"],
    ["i64 30", Json.i64(30), "09 1e00000000000000"],
    ["i64 -1", Json.i64(-1), "09 ffffffffffffffff"],
    ["i64 min", Json.i64(-(2n ** 63n)), "09 0000000000000080"],
    ["i64 max", Json.i64(2n ** 63n - 1n), "09 ffffffffffffff7f"],
    ["u64 30", Json.u64(30), "0a 1e00000000000000"],
    ["u64 max", Json.u64(2n ** 64n - 1n), "0a ffffffffffffffff"],
    ["u64 2^63", Json.u64(2n ** 63n), "0a 0000000000000080"],
    ["double 1.5", Json.double(1.5), "0b 000000000000f83f"],
    ["double -0", Json.double(-0), "0b 0000000000000080"],
    ["double inf", Json.double(Number.POSITIVE_INFINITY), "0b 000000000000f07f"],
    ["empty string", Json.string(""), "0c 00"],
    ["string 'ab'", Json.string("ab"), "0c 02 6162"],
    // "hello, 世界": 7 ASCII bytes + 2 × 3 bytes = 13.
    ["multi-byte string", Json.string("hello, 世界"), "0c 0d 68656c6c6f2c20 e4b896 e7958c"],
    ["4-byte UTF-8", Json.string("😀"), "0c 04 f09f9880"],
    ["opaque blob", Json.opaque(0xfc, new Uint8Array([1, 2, 3])), "0d fc 03 010203"],
    ["opaque empty", Json.opaque(0xfe, new Uint8Array(0)), "0d fe 00"],
    ["datetime word", Json.datetime(0x0123456789abcdefn), "0f efcdab8967452301"],
    ["date word", Json.date(0x0en), "0e 0e00000000000000"],
    ["timestamp word", Json.timestamp(0xffn), "10 ff00000000000000"],
    // 12:13:14 = 43994 s = 43_994_000_000_000 ns = 0x2803_26BE_0400; fsp 0.
    ["time 12:13:14", Json.time(43_994_000_000_000, 0), "11 0004be2603280000 00000000"],
    // -1 ns with fsp 6: two's complement.
    ["time -1ns", Json.time(-1, 6), "11 ffffffffffffffff 06000000"],
    ["empty array", Json.array([]), "03 00000000 08000000"],
    ["empty object", Json.object({}), "01 00000000 08000000"],
    // [1, true]: header 8 + 2 entries × 5 = 18 = offset of the i64; total 26 = 0x1a.
    [
      "[1, true]",
      Json.array([Json.i64(1), Json.bool(true)]),
      "03 02000000 1a000000 09 12000000 04 01000000 0100000000000000",
    ],
    // {"b": "x", "a": null}: keys sorted a, b. header 8 + key entries 12 + value entries 10 = 30 =
    // offset of key "a"; "b" at 31; the string "x" (01 78) at 32; total 34 = 0x22.
    [
      '{"b":"x","a":null}',
      Json.object({ b: Json.string("x"), a: Json.null() }),
      "01 02000000 22000000 1e000000 0100 1f000000 0100 04 00000000 0c 20000000 61 62 0178",
    ],
    // [[]]: the inner empty array (8 bytes) at offset 13; total 21.
    ["[[]]", Json.array([Json.array([])]), "03 01000000 15000000 03 0d000000 00000000 08000000"],
  ])("%s", (_name, value, bytes) => {
    const want = hex(bytes);
    const got = encodeJsonBinary(value);
    expect(toHex(got)).toBe(toHex(want));
    expect(jsonEquals(decodeJsonBinary(want), value)).toBe(true);
  });

  it("a string of 128 bytes takes a two-byte var-uint length", () => {
    const s = "x".repeat(128);
    const b = encodeJsonBinary(Json.string(s));
    expect(toHex(b.subarray(0, 3))).toBe("0c8001");
    expect(b.length).toBe(3 + 128);
    expect(decodeJsonBinary(b)).toEqual(Json.string(s));
  });

  it("a string of 16384 bytes takes a three-byte var-uint length", () => {
    const s = "y".repeat(16384);
    const b = encodeJsonBinary(Json.string(s));
    expect(toHex(b.subarray(0, 4))).toBe("0c808001");
    expect(decodeJsonBinary(b)).toEqual(Json.string(s));
  });

  it("sorts object keys by UTF-8 bytes, as TiDB's Go string order (U+FFFD < U+1F600)", () => {
    // compareUtf8 order: "B" < "a" < "é" < "\uFFFD" < "😀"
    const v: JsonValue = {
      kind: "object",
      entries: [
        ["😀", Json.i64(1)],
        ["a", Json.i64(2)],
        ["\uFFFD", Json.i64(3)],
        ["é", Json.i64(4)],
        ["B", Json.i64(5)],
      ],
    };
    const ref = jsonBinaryRef(encodeJsonBinary(v));
    const keys = Array.from({ length: ref.elementCount }, (_, i) => ref.objectKey(i));
    expect(keys).toEqual(["B", "a", "é", "\uFFFD", "😀"]);
    expect(ref.objectGet("é")?.i64()).toBe(4n);
  });

  it("an unsorted, repeated-key object is normalized: last value wins", () => {
    const v: JsonValue = {
      kind: "object",
      entries: [
        ["b", Json.i64(1)],
        ["a", Json.i64(2)],
        ["b", Json.i64(3)],
      ],
    };
    const want = encodeJsonBinary(Json.object({ a: Json.i64(2), b: Json.i64(3) }));
    expect(toHex(encodeJsonBinary(v))).toBe(toHex(want));
  });

  it("writeJsonBinary appends after existing bytes with container offsets relative to the container", () => {
    const w = new ByteWriter(4);
    w.u8(0xaa);
    writeJsonBinary(w, Json.array([Json.string("q")]));
    expect(toHex(w.finish())).toBe(`aa${"03 01000000 0f000000 0c 0d000000 0171".replace(/ /g, "")}`);
  });
});

describe("encode limits (TiDB json_binary.go)", () => {
  it("a key of 65535 bytes is fine, 65536 is error 8129 (TiDB TestGetKeys)", () => {
    const ok = Json.object({ ["k".repeat(65535)]: Json.i64(1) });
    expect(decodeJsonBinary(encodeJsonBinary(ok))).toEqual(ok);
    const e = catchError(() => encodeJsonBinary(Json.object({ ["k".repeat(65536)]: Json.i64(1) })));
    expect(e).toBeInstanceOf(EvalError);
    expect((e as EvalError).code).toBe(ERR_JSON_OBJECT_KEY_TOO_LONG);
    expect((e as EvalError).message).toBe(
      "TiDB does not yet support JSON objects with the key length >= 65536",
    );
  });

  function nest(levels: number, inner: JsonValue): JsonValue {
    let v = inner;
    for (let i = 0; i < levels; i++) v = Json.array([v]);
    return v;
  }

  it("100 nested arrays around a scalar (JSON_DEPTH 101) encode; 101 are error 3157 (TiDB TestParseBinaryFromString)", () => {
    expect(MAX_JSON_DEPTH).toBe(100);
    const ok = nest(MAX_JSON_DEPTH, Json.i64(0));
    expect(jsonDepth(ok)).toBe(101);
    expect(jsonDepth(decodeJsonBinary(encodeJsonBinary(ok)))).toBe(101);
    const e = catchError(() => encodeJsonBinary(nest(MAX_JSON_DEPTH + 1, Json.i64(0))));
    expect(e).toBeInstanceOf(EvalError);
    expect((e as EvalError).code).toBe(ERR_JSON_DOCUMENT_TOO_DEEP);
    // 1001 levels (TiDB's veryDeep case) fail the same way rather than overflowing the stack.
    expect((catchError(() => encodeJsonBinary(nest(1001, Json.i64(0)))) as EvalError).code).toBe(3157);
  });

  it("the limit counts JSON_DEPTH: 101 nested empty arrays (JSON_DEPTH 101) are allowed", () => {
    const v = nest(100, Json.array([]));
    expect(jsonDepth(v)).toBe(101);
    expect(jsonDepth(decodeJsonBinary(encodeJsonBinary(v)))).toBe(101);
  });
});

describe("TiKV jcodec.rs test_json_binary and TiDB TestBinaryJSONMarshalUnmarshal", () => {
  // TiKV components/tidb_query_datatype/src/codec/mysql/json/jcodec.rs test_json_binary
  it.each([
    `{"aaaaaaaaaaa": [1, "2", {"aa": "bb"}, 4.0], "bbbbbbbbbb": true, "ccccccccc": "d"}`,
    `[{"a": 1, "b": true}, 3, 3.5, "hello, world", null, true]`,
    "null",
    "true",
    "30",
    "3.24",
    `"hello, 世界"`,
    // TiDB pkg/types/json_binary_test.go TestBinaryJSONMarshalUnmarshal
    `{"a": [1, "2", {"aa": "bb"}, 4, null], "b": true, "c": null}`,
    `{"aaaaaaaaaaa": [1, "2", {"aa": "bb"}, 4.1], "bbbbbbbbbb": true, "ccccccccc": "d"}`,
    `{"a": "&<>"}`,
    // TiDB TestParseBinaryFromString valid inputs
    `{"a":[1,"2",{"aa":"bb"},4,null],"b":true,"c":null}`,
    `-9223372036854775808`,
    `18446744073709551615`,
    `1.25e-3`,
    `[]`,
    `{}`,
    ` { "b": 2, "a": 1 } `,
    `{"a":1,"a":2}`,
    `[{"nested":[{"value":true},null]},[],{}]`,
  ])("%s", (text) => {
    const v = parseJson(text);
    const bytes = encodeJsonBinary(v);
    const back = decodeJsonBinary(bytes);
    expect(jsonToString(back)).toBe(jsonToString(v));
    expect(jsonEquals(back, v)).toBe(true);
    expect(toHex(encodeJsonBinary(back))).toBe(toHex(bytes));
  });

  it("TiDB TestBinaryJSONMarshalUnmarshal prints in MySQL form after a round trip", () => {
    const text = `{"a": [1, "2", {"aa": "bb"}, 4, null], "b": true, "c": null}`;
    expect(jsonToString(decodeJsonBinary(encodeJsonBinary(parseJson(text))))).toBe(text);
  });

  it("the TiKV test_type cases decode to their type code (TiKV binary.rs test_type)", () => {
    const cases: [string, JsonType][] = [
      [`{"key":"value"}`, JsonType.Object],
      [`["d1","d2"]`, JsonType.Array],
      ["-3", JsonType.I64],
      ["3", JsonType.I64],
      ["18446744073709551615", JsonType.U64],
      ["18446744073709551616", JsonType.Double],
      ["3.0", JsonType.Double],
      ["null", JsonType.Literal],
      ["true", JsonType.Literal],
      ["false", JsonType.Literal],
    ];
    for (const [text, t] of cases) {
      const b = encodeJsonBinary(parseJson(text));
      expect(jsonBinaryType(b)).toBe(t);
      expect(jsonBinaryRef(b).type).toBe(t);
    }
  });
});

describe("JsonBinaryRef accessors (TiKV binary.rs test_array_get_elem / test_object_get_val)", () => {
  // 1998-06-13 12:13:14 as a DATETIME packed word (fsp 0): year<<50 | month<<46 | day<<41 |
  // hour<<36 | minute<<30 | second<<24.
  const time = (1998n << 50n) | (6n << 46n) | (13n << 41n) | (12n << 36n) | (13n << 30n) | (14n << 24n);
  const nanos = 43_994_000_000_000;
  const inner = [Json.u64(1), Json.string("abcdefg")];
  const obj = Json.object({ key1: Json.u64(1), key2: Json.string("abcdefg") });
  const members: JsonValue[] = [
    Json.u64(1),
    Json.datetime(time),
    Json.time(nanos, 0),
    Json.array(inner),
    Json.string("abcdefg"),
    Json.bool(false),
    obj,
  ];

  function checkMembers(get: (i: number) => JsonBinaryRef): void {
    expect(get(0).u64()).toBe(1n);
    expect(get(1).type).toBe(JsonType.Datetime);
    expect(get(1).packedTime()).toBe(time);
    expect(get(2).durationNanos()).toBe(nanos);
    expect(get(2).durationFsp()).toBe(0);
    expect(get(3).arrayElement(0).u64()).toBe(1n);
    expect(get(3).arrayElement(1).string()).toBe("abcdefg");
    expect(get(4).string()).toBe("abcdefg");
    expect(get(5).literal()).toBe(false);
    expect(get(6).objectKey(0)).toBe("key1");
    expect(get(6).objectKey(1)).toBe("key2");
    expect(get(6).objectValue(0).u64()).toBe(1n);
    expect(get(6).objectValue(1).string()).toBe("abcdefg");
  }

  it("array elements", () => {
    const ref = jsonBinaryRef(encodeJsonBinary(Json.array(members)));
    expect(ref.type).toBe(JsonType.Array);
    expect(ref.elementCount).toBe(7);
    checkMembers((i) => ref.arrayElement(i));
  });

  it("object members", () => {
    const ref = jsonBinaryRef(encodeJsonBinary(Json.object(members.map((m, i) => [String(i), m] as const))));
    expect(ref.elementCount).toBe(7);
    for (let i = 0; i < 7; i++) expect(ref.objectKey(i)).toBe(String(i));
    checkMembers((i) => ref.objectValue(i));
    expect(ref.objectSearchKey("3")).toBe(3);
    expect(ref.objectSearchKey(utf8("6"))).toBe(6);
    expect(ref.objectSearchKey("7")).toBe(-1);
    expect(ref.objectSearchKey("")).toBe(-1);
    expect(ref.objectSearchKey("00")).toBe(-1);
    expect(ref.objectGet("nope")).toBeUndefined();
    expect(ref.objectGet("4")?.string()).toBe("abcdefg");
  });

  it("nested refs re-encode to the member's own binary form", () => {
    const v = parseJson(`{"a": [1, {"b": null}, "s"], "c": 2.5}`);
    const ref = jsonBinaryRef(encodeJsonBinary(v));
    const a = ref.objectGet("a") as JsonBinaryRef;
    expect(toHex(a.encoded())).toBe(toHex(encodeJsonBinary(parseJson(`[1, {"b": null}, "s"]`))));
    expect(a.binaryLength).toBe(a.encoded().length);
    const lit = (a.arrayElement(1).objectGet("b") as JsonBinaryRef).encoded();
    expect(toHex(lit)).toBe("0400");
    expect(ref.objectGet("c")?.double()).toBe(2.5);
    expect(jsonEquals(a.toValue(), parseJson(`[1, {"b": null}, "s"]`))).toBe(true);
  });

  it("scalars at the top", () => {
    expect(jsonBinaryRef(hex("09 feffffffffffffff")).i64()).toBe(-2n);
    expect(jsonBinaryRef(hex("04 00")).literal()).toBe(null);
    expect(jsonBinaryRef(hex("04 01")).literal()).toBe(true);
    const op = jsonBinaryRef(hex("0d fc 02 abcd"));
    expect(op.opaqueType()).toBe(0xfc);
    expect(toHex(op.opaqueBytes())).toBe("abcd");
    expect(toHex(jsonBinaryRef(hex("0c 02 6162")).stringBytes())).toBe("6162");
    expect(toHex(jsonBinaryRef(hex("0c 02 6162")).payload())).toBe("026162");
  });

  it("using a getter of the wrong type is a bug (assertion), not a CodecError", () => {
    const ref = jsonBinaryRef(hex("04 00"));
    expect(() => ref.i64()).toThrow(/assertion/);
    expect(() => ref.elementCount).toThrow(/assertion/);
    const arr = jsonBinaryRef(encodeJsonBinary(Json.array([Json.i64(1)])));
    expect(() => arr.arrayElement(1)).toThrow(/assertion/);
    expect(() => arr.objectValue(0)).toThrow(/assertion/);
  });
});

describe("decodeJsonBinary rejects malformed input with CodecError", () => {
  function codecError(bytes: Uint8Array): CodecError {
    const e = catchError(() => decodeJsonBinary(bytes));
    expect(e).toBeInstanceOf(CodecError);
    expect((e as CodecError).format).toBe("binary json");
    return e as CodecError;
  }

  it.each<[string, string, number, RegExp]>([
    ["empty", "", 0, /empty/],
    ["unknown type 0x00", "00", 0, /unknown JSON type 0x00/],
    ["unknown type 0x02 (MySQL small object)", "02 00000000 08000000", 0, /unknown JSON type 0x02/],
    ["unknown type 0x05 (MySQL int16)", "05 0100", 0, /unknown JSON type 0x05/],
    ["unknown type 0x12", "12", 0, /unknown JSON type 0x12/],
    ["literal 0x03", "04 03", 1, /invalid JSON literal 0x03/],
    ["truncated literal", "04", 1, /truncated literal/],
    ["truncated i64", "09 01020304", 1, /truncated/],
    ["trailing byte", "04 00 00", 2, /1 trailing bytes/],
    ["trailing after i64", "09 0100000000000000 ff", 9, /trailing/],
    ["NaN double", "0b 000000000000f87f", 1, /NaN/],
    ["NaN double with low bits", "0b 010000000000f07f", 1, /NaN/],
    ["string length past end", "0c 05 6162", 1, /exceeds/],
    ["truncated string length", "0c 80", 1, /truncated string length/],
    ["non-minimal length", "0c 8000", 1, /shortest/],
    ["11-byte var-uint", "0c ffffffffffffffffffff01", 1, /64 bits/],
    ["invalid UTF-8 string", "0c 02 c328", 2, /invalid UTF-8/],
    ["surrogate in UTF-8", "0c 03 eda080", 2, /invalid UTF-8/],
    ["truncated opaque", "0d", 1, /truncated opaque type/],
    ["opaque length past end", "0d fc 03 01", 2, /exceeds/],
    ["truncated time", "11 0000000000000000 000000", 1, /truncated time/],
    ["time fsp 7", "11 0000000000000000 07000000", 9, /fsp 7/],
    ["time out of range", "11 0000000000000001 00000000", 1, /out of range/],
    ["truncated array header", "03 0000", 1, /truncated array header/],
    ["array size past end", "03 00000000 09000000", 5, /exceeds/],
    ["array count too big for size", "03 01000000 08000000", 1, /does not fit/],
    ["array size larger than contents", "03 00000000 09000000 00", 5, /contents take 8/],
    ["array offset wrong", "03 01000000 15000000 09 0e000000 0100000000000000", 10, /offset 14, expected 13/],
    ["element unknown type", "03 01000000 0d000000 07 0d000000", 9, /unknown JSON type 0x07 of element 0/],
    ["literal padding", "03 01000000 0d000000 04 01000100", 11, /padding/],
    ["inlined literal 0x05", "03 01000000 0d000000 04 05000000", 10, /invalid JSON literal/],
    ["element overruns", "03 01000000 15000000 09 0d000000 01000000000000", 5, /exceeds/],
    // {"b":1,"a":2} with keys in the wrong order.
    [
      "keys out of order",
      "01 02000000 30000000 1e000000 0100 1f000000 0100 09 20000000 09 28000000 62 61 0100000000000000 0200000000000000",
      32,
      /not after the previous key/,
    ],
    [
      "repeated key",
      "01 02000000 30000000 1e000000 0100 1f000000 0100 09 20000000 09 28000000 61 61 0100000000000000 0200000000000000",
      32,
      /not after the previous key/,
    ],
    [
      "key offset wrong",
      "01 01000000 14000000 12000000 0100 04 00000000 61",
      9,
      /key 0 offset 18, expected 19/,
    ],
    ["key overruns", "01 01000000 14000000 13000000 0200 04 00000000 61", 13, /overruns/],
    [
      "key invalid UTF-8",
      "01 01000000 14000000 13000000 0100 04 00000000 ff",
      20,
      /invalid UTF-8 in object key/,
    ],
  ])("%s", (_name, bytes, offset, message) => {
    const e = codecError(hex(bytes));
    expect(e.offset).toBe(offset);
    expect(e.message).toMatch(message);
  });

  it("a container pointing at itself is rejected, not followed", () => {
    // An array whose only element claims offset 0, i.e. the array itself.
    codecError(hex("03 01000000 0d000000 03 00000000"));
  });

  it("JSON_DEPTH 101 decodes; 102 is rejected (TiDB maxJSONDepth)", () => {
    let v: JsonValue = Json.i64(0);
    for (let i = 0; i < MAX_JSON_DEPTH; i++) v = Json.array([v]);
    const ok = encodeJsonBinary(v);
    expect(jsonDepth(decodeJsonBinary(ok))).toBe(101);
    // Wrap by hand: one more array around the 101-deep document.
    const w = new ByteWriter();
    w.u8(JsonType.Array);
    w.u32le(1);
    w.u32le(8 + 5 + ok.length - 1);
    w.u8(JsonType.Array);
    w.u32le(13);
    w.bytes(ok.subarray(1));
    const e = codecError(w.finish());
    expect(e.message).toMatch(/maximum depth 100/);
  });

  it("validateJsonBinary accepts exactly what decodeJsonBinary accepts", () => {
    expect(() => validateJsonBinary(hex("04 00"))).not.toThrow();
    expect(() => validateJsonBinary(hex("04 00 00"))).toThrow(CodecError);
  });

  it("jsonBinaryValueLength finds the end of a value followed by other bytes", () => {
    const enc = encodeJsonBinary(parseJson(`{"k": [1, "two", null]}`));
    const buf = new Uint8Array(enc.length + 7).fill(0xff);
    buf.set(enc, 3);
    expect(jsonBinaryValueLength(buf, 3)).toBe(enc.length);
    expect(jsonBinaryValueLength(buf, 3, 3 + enc.length)).toBe(enc.length);
    const e = catchError(() => jsonBinaryValueLength(buf, 3, 3 + enc.length - 1));
    expect(e).toBeInstanceOf(CodecError);
    // Offsets in errors count from the start of the whole buffer.
    expect((e as CodecError).offset).toBe(3 + 5);
    expect(jsonBinaryValueLength(hex("ffff 04 01 ffff"), 2)).toBe(2);
    expect((catchError(() => jsonBinaryValueLength(hex("0400"), 2)) as CodecError).offset).toBe(2);
  });

  it("decoding does not alias opaque data", () => {
    const b = hex("0d fc 02 abcd");
    const v = decodeJsonBinary(b);
    b[3] = 0;
    expect(v.kind === "opaque" && toHex(v.data)).toBe("abcd");
  });

  it("a view into a larger buffer decodes (byteOffset honoured)", () => {
    const big = new Uint8Array(64).fill(0xee);
    const enc = encodeJsonBinary(parseJson(`[1.5, -7, "x"]`));
    big.set(enc, 5);
    const v = decodeJsonBinary(big.subarray(5, 5 + enc.length));
    expect(jsonToString(v)).toBe(`[1.5, -7, "x"]`);
  });
});
