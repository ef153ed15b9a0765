import { describe, expect, it } from "vitest";
import { parseGoUint } from "../../src/enum-set/go-parse-uint.js";
import { Enum, type EnumSetNameKey, MAX_SET_MEMBERS, MySqlSet } from "../../src/enum-set/index.js";
import {
  CodecError,
  ERR_UNKNOWN,
  EvalError,
  UnsupportedError,
  WARN_DATA_TRUNCATED,
} from "../../src/index.js";
import { catchError } from "../../src/testing/index.js";

/** A stand-in for a case-insensitive PAD SPACE collation key. */
const ciPad: EnumSetNameKey = (s) => s.replace(/ +$/, "").toLowerCase();

const ELEMS = ["c", "b", "a"];

describe("Enum", () => {
  // cases: TiKV codec/mysql/enums.rs test_to_string, test_read_enum_uint
  it.each([
    [1, "c"],
    [2, "b"],
    [3, "a"],
  ])("value %i of [c b a] is %s", (value, name) => {
    const e = Enum.fromValue(ELEMS, value);
    expect([e.toString(), e.toNumber(), e.name, e.value]).toEqual([name, value, name, value]);
    expect(Enum.fromStored(ELEMS, value).equals(e)).toBe(true);
  });

  // cases: TiKV codec/mysql/enums.rs test_is_empty
  it("has an empty value 0 with an empty name", () => {
    const e = Enum.fromStored(ELEMS, 0);
    expect([e.isEmpty(), e.toString(), e.toNumber()]).toEqual([true, "", 0]);
    expect(Enum.empty().equals(e)).toBe(true);
    expect(Enum.fromValue(ELEMS, 1).isEmpty()).toBe(false);
  });

  // TiDB pkg/types/enum.go ParseEnumValue messages, worked out by hand
  it.each<[number | bigint, string]>([
    [0, "convert to MySQL enum failed: number 0 overflow enum boundary [1, 3]"],
    [4, "convert to MySQL enum failed: number 4 overflow enum boundary [1, 3]"],
    [
      18446744073709551615n,
      "convert to MySQL enum failed: number 18446744073709551615 overflow enum boundary [1, 3]",
    ],
  ])("fromValue(%s) fails", (n, message) => {
    const e = catchError(() => Enum.fromValue(ELEMS, n));
    expect(e).toBeInstanceOf(EvalError);
    expect(e).toMatchObject({ code: WARN_DATA_TRUNCATED, message });
  });

  it("fromStored rejects an index past the members as corrupt data", () => {
    expect(catchError(() => Enum.fromStored(ELEMS, 4))).toBeInstanceOf(CodecError);
  });

  it.each<[string, number, EnumSetNameKey | undefined]>([
    ["a", 3, undefined],
    ["c", 1, undefined],
    ["A", 3, ciPad],
    ["b  ", 2, ciPad],
    // not a name, so read as an index (Go ParseUint, base prefixes allowed)
    ["2", 2, undefined],
    ["0x3", 3, undefined],
    ["01", 1, undefined],
  ])("fromName(%j) is member %i", (name, value, key) => {
    expect(Enum.fromName(ELEMS, name, key).value).toBe(value);
  });

  it("matches a numeric name as a name first", () => {
    expect(Enum.fromName(["3", "1", "2"], "1").value).toBe(2);
  });

  it("takes the first of members that match alike", () => {
    expect(Enum.fromName(["x", "X"], "X", ciPad).value).toBe(1);
  });

  it.each([
    ["A", "convert to MySQL enum failed: item A is not in enum [c b a]"],
    ["", "convert to MySQL enum failed: item  is not in enum [c b a]"],
    ["a ", "convert to MySQL enum failed: item a  is not in enum [c b a]"],
    ["4", "convert to MySQL enum failed: number 4 overflow enum boundary [1, 3]"],
    ["-1", "convert to MySQL enum failed: item -1 is not in enum [c b a]"],
  ])("fromName(%j) fails", (name, message) => {
    expect(catchError(() => Enum.fromName(ELEMS, name))).toMatchObject({
      code: WARN_DATA_TRUNCATED,
      message,
    });
  });

  it("compares by index, not by name", () => {
    const [c, b, a] = [1, 2, 3].map((v) => Enum.fromValue(ELEMS, v));
    expect([c.compare(b), a.compare(b), b.compare(b)]).toEqual([-1, 1, 0]);
    expect(Enum.empty().compare(c)).toBe(-1);
  });

  it("handles multi-byte names", () => {
    expect(Enum.fromName(["é", "😀"], "😀").toString()).toBe("😀");
  });
});

describe("MySqlSet", () => {
  const ABC = ["a", "b", "c"];

  // cases: TiKV codec/mysql/set.rs test_to_string
  it.each([
    [0b001, "a"],
    [0b011, "a,b"],
    [0b111, "a,b,c"],
    [0b101, "a,c"],
    [0, ""],
  ])("mask %i of [a b c] is %j", (mask, text) => {
    const s = MySqlSet.fromValue(ABC, mask);
    expect(s.toString()).toBe(text);
    expect(s.toNumber()).toBe(mask);
    expect(MySqlSet.fromStored(ABC, mask, 0).equals(s)).toBe(true);
  });

  // cases: TiKV codec/mysql/set.rs test_is_set, test_is_empty
  it("tests members and emptiness", () => {
    const s = MySqlSet.fromValue(ABC, 0b101);
    expect([s.isSet(0), s.isSet(1), s.isSet(2), s.isSet(64), s.isSet(-1)]).toEqual([
      true,
      false,
      true,
      false,
      false,
    ]);
    expect(s.isEmpty()).toBe(false);
    expect(MySqlSet.fromValue(ABC, 0).isEmpty()).toBe(true);
  });

  it.each<[string, number, EnumSetNameKey | undefined]>([
    ["a,c", 0b101, undefined],
    ["c,a", 0b101, undefined],
    ["a,a,c,a", 0b101, undefined],
    ["", 0, undefined],
    ["b", 0b010, undefined],
    ["C,A ", 0b101, ciPad],
    // not names, so read as a mask (Go ParseUint)
    ["7", 0b111, undefined],
    ["0b110", 0b110, undefined],
    ["0", 0, undefined],
  ])("fromNames(%j) is mask %i", (names, mask, key) => {
    expect(MySqlSet.fromNames(ABC, names, key).toNumber()).toBe(mask);
  });

  it("names the members in definition order", () => {
    expect(MySqlSet.fromNames(ABC, "c,b").toString()).toBe("b,c");
  });

  // TiDB pkg/types/set.go messages, worked out by hand
  it.each([
    ["a,d", "item a,d is not in Set [a b c]"],
    ["a,", "item a, is not in Set [a b c]"],
    ["A", "item A is not in Set [a b c]"],
    ["8", "invalid number 8 for Set [a b c]"],
    ["100", "invalid number 96 for Set [a b c]"],
  ])("fromNames(%j) fails", (names, message) => {
    const e = catchError(() => MySqlSet.fromNames(ABC, names));
    expect(e).toBeInstanceOf(EvalError);
    expect(e).toMatchObject({ code: ERR_UNKNOWN, message });
  });

  it("reports only the unknown bits of a mask", () => {
    expect(catchError(() => MySqlSet.fromValue(["a", "b", "c", "d"], 100))).toMatchObject({
      message: "invalid number 96 for Set [a b c d]",
    });
  });

  describe("with 64 members", () => {
    const elems = Array.from({ length: 64 }, (_, i) => `m${i}`);
    const all = 2n ** 64n - 1n;

    it("holds all 64 bits", () => {
      const s = MySqlSet.fromValue(elems, all);
      expect([s.lo, s.hi]).toEqual([0xffffffff, 0xffffffff]);
      expect(s.toBigInt()).toBe(all);
      expect(s.toNumber()).toBe(2 ** 64);
      expect(s.toString()).toBe(elems.join(","));
      expect(MySqlSet.fromNames(elems, [...elems].reverse().join(",")).equals(s)).toBe(true);
      expect(s.isSet(63)).toBe(true);
    });

    it("puts member 63 in the top bit and compares unsigned", () => {
      const top = MySqlSet.fromNames(elems, "m63");
      expect(top.toBigInt()).toBe(2n ** 63n);
      expect([top.lo, top.hi]).toEqual([0, 0x80000000]);
      const low = MySqlSet.fromNames(elems, "m0,m31,m32");
      expect(low.toBigInt()).toBe(2n ** 32n + 2n ** 31n + 1n);
      expect(top.compare(low)).toBe(1);
      expect(low.compare(top)).toBe(-1);
      expect(MySqlSet.fromValue(elems, all).compare(top)).toBe(1);
    });

    it("rejects more than 64 members", () => {
      const many = [...elems, "m64"];
      expect(MAX_SET_MEMBERS).toBe(64);
      expect(catchError(() => MySqlSet.fromNames(many, "m0"))).toBeInstanceOf(UnsupportedError);
      expect(MySqlSet.fromValue(many, 0).isEmpty()).toBe(true);
    });
  });

  it("finds members like FIND_IN_SET on its text", () => {
    const s = MySqlSet.fromNames(["a", "b", "c", "d"], "b,d");
    expect([s.findInSet("b"), s.findInSet("d"), s.findInSet("a"), s.findInSet("b,d")]).toEqual([1, 2, 0, 0]);
    expect(s.contains("D", ciPad)).toBe(true);
    expect(s.contains("c")).toBe(false);
  });

  it("ignores stored bits beyond the members in its text", () => {
    const s = MySqlSet.fromStored(ABC, 0b1001, 0);
    expect(s.toString()).toBe("a");
    expect(s.toNumber()).toBe(9);
  });
});

describe("parseGoUint", () => {
  // Go strconv.ParseUint(s, 0, 64) rules, worked out by hand
  it.each<[string, bigint | null]>([
    ["0", 0n],
    ["42", 42n],
    ["0x1F", 31n],
    ["0X1f", 31n],
    ["0b101", 5n],
    ["0o17", 15n],
    ["017", 15n],
    ["1_000", 1000n],
    ["0x_1", 1n],
    ["18446744073709551615", 18446744073709551615n],
    ["18446744073709551616", null],
    ["", null],
    ["-1", null],
    ["+1", null],
    [" 1", null],
    ["08", null],
    ["0x", null],
    ["1__0", null],
    ["_1", null],
    ["1_", null],
    ["12a", null],
  ])("%j -> %s", (s, expected) => {
    expect(parseGoUint(s)).toBe(expected);
  });
});
