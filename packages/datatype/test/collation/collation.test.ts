import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseCollationData } from "../../src/collation/data.js";
import { collatorFor, decodedChar, decodedLength, nextUtf8Char } from "../../src/collation/index.js";
import { CodecError, isCoprError, UnsupportedError } from "../../src/errors.js";
import { Collation, collationName } from "../../src/field-type.js";
import { catchError } from "../../src/testing/index.js";

const enc = new TextEncoder();
const u8 = (s: string | number[]): Uint8Array => (typeof s === "string" ? enc.encode(s) : Uint8Array.from(s));
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

// Column order of TiKV collator/mod.rs test_compare and test_utf8mb4_sort_key.
const TIKV_ORDER = [
  Collation.Utf8Mb4Bin,
  Collation.Utf8Mb4BinNoPadding,
  Collation.Utf8Mb4GeneralCi,
  Collation.Utf8Mb4UnicodeCi,
  Collation.Latin1Bin,
  Collation.GbkBin,
  Collation.GbkChineseCi,
  Collation.Utf8Mb40900AiCi,
  Collation.Utf8Mb40900Bin,
  Collation.Gb18030Bin,
  Collation.Gb18030ChineseCi,
] as const;

// cases: TiKV codec/collation/collator/mod.rs test_compare
const COMPARE_CASES: [string | number[], string | number[], number[]][] = [
  ["a", "a", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
  ["a", "a ", [0, -1, 0, 0, 0, 0, 0, -1, -1, 0, 0]],
  ["a", "A ", [1, 1, 0, 0, 1, 1, 0, -1, 1, 1, 0]],
  ["aa ", "a a", [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
  ["A", "a\t", [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1]],
  ["cAfe", "café", [-1, -1, 0, 0, -1, -1, -1, 0, -1, -1, -1]],
  ["cAfe ", "café", [-1, -1, 0, 0, -1, -1, -1, 1, -1, -1, -1]],
  ["ß", "ss", [1, 1, -1, 0, 1, -1, -1, 0, 1, 1, 1]],
  ["中文", "汉字", [-1, -1, -1, -1, -1, 1, 1, -1, -1, 1, 1]],
  ["啊", "把", [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1]],
  [
    [0x3e, 0xfe, 0x3e, 0x3e],
    [0x3e, 0xff],
    [-1, -1, 0, 0, -1, 1, 0, 0, -1, 1, 0],
  ],
  ["ʩ", "F", [1, 1, 1, 1, 1, -1, -1, 1, 1, 1, 1]],
];

const compareRows = COMPARE_CASES.flatMap(([a, b, expected]) =>
  TIKV_ORDER.map((c, i) => ({ a, b, c, name: collationName(c), want: expected[i] })),
);

describe("compare and hash (TiKV test_compare)", () => {
  it.each(compareRows)("$name: $a vs $b -> $want", ({ a, b, c, want }) => {
    const coll = collatorFor(c);
    const sa = u8(a);
    const sb = u8(b);
    expect(coll.compare(sa, sb)).toBe(want);
    expect(coll.compare(sb, sa)).toBe(0 - want);
    if (want === 0) expect(coll.hash(sa)).toBe(coll.hash(sb));
    else expect(coll.hash(sa)).not.toBe(coll.hash(sb));
  });
});

// cases: TiKV tidb_query_expr impl_compare.rs test_compare_string (comparison of the 7 utf8mb4 collations)
const EXPR_ORDER = [
  Collation.Binary,
  Collation.Utf8Mb4BinNoPadding,
  Collation.Utf8Mb4Bin,
  Collation.Utf8Mb4GeneralCi,
  Collation.Utf8Mb4UnicodeCi,
  Collation.Utf8Mb40900AiCi,
  Collation.Utf8Mb40900Bin,
] as const;
const EXPR_CASES: [string, string, number[]][] = [
  ["", " ", [-1, -1, 0, 0, 0, -1, -1]],
  ["a", "b", [-1, -1, -1, -1, -1, -1, -1]],
  ["a", "A", [1, 1, 1, 0, 0, 0, 1]],
  ["a", "A ", [1, 1, 1, 0, 0, -1, 1]],
  ["À", "A", [1, 1, 1, 0, 0, 0, 1]],
  ["À\t", "A", [1, 1, 1, 1, 1, 1, 1]],
  ["abc", "ab", [1, 1, 1, 1, 1, 1, 1]],
  ["a bc", "ab ", [-1, -1, -1, -1, -1, -1, -1]],
  ["Abc", "abC", [-1, -1, -1, 0, 0, 0, -1]],
  ["filé-110", "file-12", [1, 1, 1, -1, -1, -1, 1]],
  ["😜", "😃", [1, 1, 1, 0, 0, 1, 1]],
  ["aa", "AA۝۝۝۝۝۝۝۝۝", [1, 1, 1, -1, 0, 0, 1]],
];
const exprRows = EXPR_CASES.flatMap(([a, b, expected]) =>
  EXPR_ORDER.map((c, i) => ({ a, b, c, name: collationName(c), want: expected[i] })),
);

describe("compare (TiKV impl_compare test cases)", () => {
  it.each(exprRows)("$name: '$a' vs '$b' -> $want", ({ a, b, c, want }) => {
    const coll = collatorFor(c);
    expect(coll.compare(u8(a), u8(b))).toBe(want);
    if (want === 0) expect(coll.hash(u8(a))).toBe(coll.hash(u8(b)));
  });
});

// cases: TiKV codec/collation/collator/mod.rs test_utf8mb4_sort_key
const SORT_KEY_CASES: [string, number[][]][] = [
  [
    "a",
    [
      [0x61],
      [0x61],
      [0x00, 0x41],
      [0x0e, 0x33],
      [0x61],
      [0x61],
      [0x41],
      [0x1c, 0x47],
      [0x61],
      [0x61],
      [0x41],
    ],
  ],
  [
    "A ",
    [
      [0x41],
      [0x41, 0x20],
      [0x00, 0x41],
      [0x0e, 0x33],
      [0x41],
      [0x41],
      [0x41],
      [0x1c, 0x47, 0x2, 0x9],
      [0x41, 0x20],
      [0x41],
      [0x41],
    ],
  ],
  [
    "A",
    [
      [0x41],
      [0x41],
      [0x00, 0x41],
      [0x0e, 0x33],
      [0x41],
      [0x41],
      [0x41],
      [0x1c, 0x47],
      [0x41],
      [0x41],
      [0x41],
    ],
  ],
  [
    "😃",
    [
      [0xf0, 0x9f, 0x98, 0x83],
      [0xf0, 0x9f, 0x98, 0x83],
      [0xff, 0xfd],
      [0xff, 0xfd],
      [0xf0, 0x9f, 0x98, 0x83],
      [0x3f],
      [0x3f],
      [0x15, 0xfe],
      [0xf0, 0x9f, 0x98, 0x83],
      [0x94, 0x39, 0xfc, 0x39],
      [0xff, 0x03, 0xd8, 0x4b],
    ],
  ],
  [
    "Foo © bar 𝌆 baz ☃ qux",
    [
      [
        0x46, 0x6f, 0x6f, 0x20, 0xc2, 0xa9, 0x20, 0x62, 0x61, 0x72, 0x20, 0xf0, 0x9d, 0x8c, 0x86, 0x20, 0x62,
        0x61, 0x7a, 0x20, 0xe2, 0x98, 0x83, 0x20, 0x71, 0x75, 0x78,
      ],
      [
        0x46, 0x6f, 0x6f, 0x20, 0xc2, 0xa9, 0x20, 0x62, 0x61, 0x72, 0x20, 0xf0, 0x9d, 0x8c, 0x86, 0x20, 0x62,
        0x61, 0x7a, 0x20, 0xe2, 0x98, 0x83, 0x20, 0x71, 0x75, 0x78,
      ],
      [
        0x00, 0x46, 0x00, 0x4f, 0x00, 0x4f, 0x00, 0x20, 0x00, 0xa9, 0x00, 0x20, 0x00, 0x42, 0x00, 0x41, 0x00,
        0x52, 0x00, 0x20, 0xff, 0xfd, 0x00, 0x20, 0x00, 0x42, 0x00, 0x41, 0x00, 0x5a, 0x00, 0x20, 0x26, 0x3,
        0x00, 0x20, 0x00, 0x51, 0x00, 0x55, 0x00, 0x58,
      ],
      [
        0x0e, 0xb9, 0x0f, 0x82, 0x0f, 0x82, 0x02, 0x09, 0x02, 0xc5, 0x02, 0x09, 0x0e, 0x4a, 0x0e, 0x33, 0x0f,
        0xc0, 0x02, 0x09, 0xff, 0xfd, 0x02, 0x09, 0x0e, 0x4a, 0x0e, 0x33, 0x10, 0x6a, 0x02, 0x09, 0x06, 0xff,
        0x02, 0x09, 0x0f, 0xb4, 0x10, 0x1f, 0x10, 0x5a,
      ],
      [
        0x46, 0x6f, 0x6f, 0x20, 0xc2, 0xa9, 0x20, 0x62, 0x61, 0x72, 0x20, 0xf0, 0x9d, 0x8c, 0x86, 0x20, 0x62,
        0x61, 0x7a, 0x20, 0xe2, 0x98, 0x83, 0x20, 0x71, 0x75, 0x78,
      ],
      [
        0x46, 0x6f, 0x6f, 0x20, 0x3f, 0x20, 0x62, 0x61, 0x72, 0x20, 0x3f, 0x20, 0x62, 0x61, 0x7a, 0x20, 0x3f,
        0x20, 0x71, 0x75, 0x78,
      ],
      [
        0x46, 0x4f, 0x4f, 0x20, 0x3f, 0x20, 0x42, 0x41, 0x52, 0x20, 0x3f, 0x20, 0x42, 0x41, 0x5a, 0x20, 0x3f,
        0x20, 0x51, 0x55, 0x58,
      ],
      [
        0x1c, 0xe5, 0x1d, 0xdd, 0x1d, 0xdd, 0x2, 0x9, 0x5, 0x84, 0x2, 0x9, 0x1c, 0x60, 0x1c, 0x47, 0x1e, 0x33,
        0x2, 0x9, 0xe, 0xf0, 0x2, 0x9, 0x1c, 0x60, 0x1c, 0x47, 0x1f, 0x21, 0x2, 0x9, 0x9, 0x1b, 0x2, 0x9,
        0x1e, 0x21, 0x1e, 0xb5, 0x1e, 0xff,
      ],
      [
        0x46, 0x6f, 0x6f, 0x20, 0xc2, 0xa9, 0x20, 0x62, 0x61, 0x72, 0x20, 0xf0, 0x9d, 0x8c, 0x86, 0x20, 0x62,
        0x61, 0x7a, 0x20, 0xe2, 0x98, 0x83, 0x20, 0x71, 0x75, 0x78,
      ],
      [
        0x46, 0x6f, 0x6f, 0x20, 0x81, 0x30, 0x84, 0x38, 0x20, 0x62, 0x61, 0x72, 0x20, 0x94, 0x32, 0xef, 0x32,
        0x20, 0x62, 0x61, 0x7a, 0x20, 0x81, 0x37, 0xa3, 0x30, 0x20, 0x71, 0x75, 0x78,
      ],
      [
        0x46, 0x4f, 0x4f, 0x20, 0xff, 0x00, 0x00, 0x26, 0x20, 0x42, 0x41, 0x52, 0x20, 0xff, 0x03, 0xb5, 0x4e,
        0x20, 0x42, 0x41, 0x5a, 0x20, 0xff, 0x00, 0x23, 0xc8, 0x20, 0x51, 0x55, 0x58,
      ],
    ],
  ],
  [
    "ﷻ",
    [
      [0xef, 0xb7, 0xbb],
      [0xef, 0xb7, 0xbb],
      [0xfd, 0xfb],
      [0x13, 0x5e, 0x13, 0xab, 0x02, 0x09, 0x13, 0x5e, 0x13, 0xab, 0x13, 0x50, 0x13, 0xab, 0x13, 0xb7],
      [0xef, 0xb7, 0xbb],
      [0x3f],
      [0x3f],
      [0x23, 0x25, 0x23, 0x9c, 0x2, 0x9, 0x23, 0x25, 0x23, 0x9c, 0x23, 0xb, 0x23, 0x9c, 0x23, 0xb1],
      [0xef, 0xb7, 0xbb],
      [0x84, 0x30, 0xfe, 0x35],
      [0xff, 0x00, 0x98, 0x8f],
    ],
  ],
  [
    "中文",
    [
      [0xe4, 0xb8, 0xad, 0xe6, 0x96, 0x87],
      [0xe4, 0xb8, 0xad, 0xe6, 0x96, 0x87],
      [0x4e, 0x2d, 0x65, 0x87],
      [0xfb, 0x40, 0xce, 0x2d, 0xfb, 0x40, 0xe5, 0x87],
      [0xe4, 0xb8, 0xad, 0xe6, 0x96, 0x87],
      [0xd6, 0xd0, 0xce, 0xc4],
      [0xd3, 0x21, 0xc1, 0xad],
      [0xfb, 0x40, 0xce, 0x2d, 0xfb, 0x40, 0xe5, 0x87],
      [0xe4, 0xb8, 0xad, 0xe6, 0x96, 0x87],
      [0xd6, 0xd0, 0xce, 0xc4],
      [0xff, 0xa0, 0x9b, 0xc1, 0xff, 0xa0, 0x78, 0xbd],
    ],
  ],
];

const sortKeyRows = SORT_KEY_CASES.flatMap(([s, expected]) =>
  TIKV_ORDER.map((c, i) => ({ s, c, name: collationName(c), want: hex(Uint8Array.from(expected[i])) })),
);

describe("sortKey (TiKV test_utf8mb4_sort_key)", () => {
  it.each(sortKeyRows)("$name: '$s'", ({ s, c, want }) => {
    expect(hex(collatorFor(c).sortKey(u8(s)))).toBe(want);
  });
});

describe("sortKey: more hand-checked keys", () => {
  it.each([
    // Empty and all-space strings: PAD SPACE trims everything, NO PAD keeps the spaces.
    { c: Collation.Binary, s: "", want: "" },
    { c: Collation.Utf8Mb4Bin, s: "   ", want: "" },
    { c: Collation.Utf8Mb4BinNoPadding, s: " ", want: "20" },
    { c: Collation.Utf8Mb4GeneralCi, s: "  ", want: "" },
    { c: Collation.Utf8Mb4UnicodeCi, s: " ", want: "" },
    // 0900_ai_ci is NO PAD: U+0020 weighs 0x0209 (TiKV "A " key above).
    { c: Collation.Utf8Mb40900AiCi, s: "  ", want: "02090209" },
    { c: Collation.Binary, s: "a  ", want: "612020" },
    { c: Collation.Latin1Bin, s: [0xff, 0x20, 0x20], want: "ff" },
    // general_ci: 'é' -> 'E' (0x45); U+00B5 micro sign -> U+039C; supplementary -> U+FFFD.
    { c: Collation.Utf8Mb4GeneralCi, s: "éµ𝌆", want: "0045039cfffd" },
    // unicode_ci gives every supplementary character U+FFFD's weight.
    { c: Collation.Utf8Mb4UnicodeCi, s: "𝌆😃", want: "fffdfffd" },
    // 0900_ai_ci: U+30000 is past the table: implicit [0xFBC0 + (cp >> 15), (cp & 0x7FFF) | 0x8000].
    { c: Collation.Utf8Mb40900AiCi, s: "\u{30000}", want: "fbc68000" },
    { c: Collation.Utf8Mb40900AiCi, s: "\u{10FFFF}", want: "fbe1ffff" },
    // Ignorable characters (NUL, U+0000) have no weight in UCA.
    { c: Collation.Utf8Mb4UnicodeCi, s: "\u0000a\u0000", want: "0e33" },
    { c: Collation.Utf8Mb40900AiCi, s: "\u0000a", want: "1c47" },
    // gbk: 'a' keeps its byte, GBK two-byte characters write two bytes, others '?'.
    { c: Collation.GbkBin, s: "a中€😃", want: "61d6d0803f" },
    { c: Collation.GbkChineseCi, s: "a中", want: "41d321" },
  ] as { c: Collation; s: string | number[]; want: string }[])("$c '$s' -> $want", ({ c, s, want }) => {
    expect(hex(collatorFor(c).sortKey(u8(s)))).toBe(want);
  });

  it("returns a fresh array each time", () => {
    const coll = collatorFor(Collation.Utf8Mb4GeneralCi);
    const k1 = coll.sortKey(u8("abc"));
    const k2 = coll.sortKey(u8("xyz"));
    expect(hex(k1)).toBe("004100420043");
    expect(hex(k2)).toBe("00580059005a");
  });
});

// cases: TiKV codec/collation/collator/mod.rs test_latin1_bin
describe("latin1_bin (TiKV test_latin1_bin)", () => {
  it.each([
    { a: [0xff, 0x88, 0x00, 0x13], b: [0xff, 0x88, 0x00, 0x13], want: 0 },
    { a: [0xff, 0x88, 0x00, 0x13, 0x20, 0x20, 0x20], b: [0xff, 0x88, 0x00, 0x13], want: 0 },
    { a: [0xff, 0x88, 0x00, 0x13, 0x09, 0x09, 0x09], b: [0xff, 0x88, 0x00, 0x13], want: 1 },
  ])("$a vs $b -> $want", ({ a, b, want }) => {
    const coll = collatorFor(Collation.Latin1Bin);
    expect(coll.compare(u8(a), u8(b))).toBe(want);
    if (want === 0) expect(coll.hash(u8(a))).toBe(coll.hash(u8(b)));
    else expect(coll.hash(u8(a))).not.toBe(coll.hash(u8(b)));
  });
});

describe("gb18030_bin weights", () => {
  // cases: TiKV collator/gb18030_collation.rs test_weight (the gb18030_bin column)
  it.each([
    { ch: "中", want: 0xd6d0 },
    { ch: "€", want: 0xa2e3 },
    { ch: "\ue7c7", want: 0x8135f437 },
    { ch: "ḿ", want: 0xa8bc },
    { ch: "ǹ", want: 0xa8bf },
    { ch: "䦃", want: 0xfe89 },
  ])("$ch -> $want", ({ ch, want }) => {
    expect(collatorFor(Collation.Gb18030Bin).charWeight(ch.codePointAt(0)!)).toBe(want);
  });

  // cases: TiKV encoding/gb18030.rs test_encode: gb18030_bin's sort key is the GB18030 encoding,
  // except for the code points GB18030-2022 swapped (below), where the table keeps 2005's codes.
  it.each([
    { s: "中文", want: "d6d0cec4" },
    { s: "€", want: "a2e3" },
    { s: "ḿ", want: "a8bc" },
    { s: "\ue7c7", want: "8135f437" },
    { s: "€ḿ", want: "a2e3a8bc" },
    { s: "😃", want: "9439fc39" },
    { s: "ﷻ", want: "8430fe35" },
    { s: "〾⿰⿱⿲⿳⿴⿵⿶⿷⿸⿹⿺⿻", want: "a989a98aa98ba98ca98da98ea98fa990a991a992a993a994a995" },
    { s: "ǹ", want: "a8bf" },
    { s: "⺁㧟㩳㧐", want: "fe50fe63fe64fe65" },
    { s: "䦃", want: "fe89" },
    { s: "𠂇𠂉", want: "9532903195329033" },
    { s: "\ue816\ue855", want: "fe51fe91" },
    { s: "\uf9f1", want: "fda0" },
    { s: "\ufa0c\ufa0d\ufa0e", want: "fe40fe41fe42" },
    { s: "\u2e81\ue816\ue817\ue818\u2e84", want: "fe50fe51fe52fe53fe54" },
    {
      s: "\uf92c\uf979\uf995\uf9e7\uf9f1\ufa0c\ufa0d\ufa18\ufa20",
      want: "fd9cfd9dfd9efd9ffda0fe40fe41fe47fe49",
    },
    { s: "\ue5e5\ue000", want: "a3a0aaa1" },
    // cases: TiKV encoding/gb18030.rs test_decode (decoded characters encode back)
    {
      s: "⺁⺄㑳㑇⺈⺋㖞㘚㘎⺌⺗㥮㤘㧏㧟㩳㧐㭎㱮㳠⺧⺪䁖",
      want: "fe50fe54fe55fe56fe57fe58fe5afe5bfe5cfe5dfe5efe5ffe60fe62fe63fe64fe65fe68fe69fe6afe6bfe6efe6f",
    },
    { s: "\ue83b", want: "fe76" },
  ])("sortKey('$s') = $want", ({ s, want }) => {
    expect(hex(collatorFor(Collation.Gb18030Bin).sortKey(u8(s)))).toBe(want);
  });

  // TiKV's gb18030_bin.data (blob 172e21ee59…, which tools/gen-collation-data.mjs checks the
  // rebuilt table against) holds GB18030-2005 codes, while TiKV's encoder (encoding/gb18030.rs,
  // gb18030_data.rs) follows GB18030-2022, which swapped the codes of 36 code points: 18 private-
  // use code points left their two-byte codes to U+FE10..FE19 and U+9FB4..9FBB and took those
  // characters' four-byte codes. cases: the GB18030-2005 mapping (two-byte codes of the
  // private-use code points; U+FE10..FE19 and U+9FB4..9FBB at their places in the four-byte
  // enumeration: 0x84318236..0x84318335 and 0x82359037..0x82359134).
  const GB18030_2005_SWAPPED: [number, number][] = [
    [0xe78d, 0xa6d9],
    [0xe78e, 0xa6da],
    [0xe78f, 0xa6db],
    [0xe790, 0xa6dc],
    [0xe791, 0xa6dd],
    [0xe792, 0xa6de],
    [0xe793, 0xa6df],
    [0xe794, 0xa6ec],
    [0xe795, 0xa6ed],
    [0xe796, 0xa6f3],
    [0xe81e, 0xfe59],
    [0xe826, 0xfe61],
    [0xe82b, 0xfe66],
    [0xe82c, 0xfe67],
    [0xe832, 0xfe6d],
    [0xe843, 0xfe7e],
    [0xe854, 0xfe90],
    [0xe864, 0xfea0],
    [0xfe10, 0x84318236],
    [0xfe11, 0x84318237],
    [0xfe12, 0x84318238],
    [0xfe13, 0x84318239],
    [0xfe14, 0x84318330],
    [0xfe15, 0x84318331],
    [0xfe16, 0x84318332],
    [0xfe17, 0x84318333],
    [0xfe18, 0x84318334],
    [0xfe19, 0x84318335],
    [0x9fb4, 0x82359037],
    [0x9fb5, 0x82359038],
    [0x9fb6, 0x82359039],
    [0x9fb7, 0x82359130],
    [0x9fb8, 0x82359131],
    [0x9fb9, 0x82359132],
    [0x9fba, 0x82359133],
    [0x9fbb, 0x82359134],
  ];
  it.each(GB18030_2005_SWAPPED.map(([cp, want]) => ({ cp, want })))(
    "weighs U+$cp by its GB18030-2005 code $want (TiKV's table, not its encoder)",
    ({ cp, want }) => {
      expect(collatorFor(Collation.Gb18030Bin).charWeight(cp)).toBe(want);
    },
  );

  // cases: TiKV encoding/gb18030.rs test_encode rows holding swapped code points (TiKV encodes
  // U+FE10 as A6D9 and U+9FB8 as FE6D), with the 2005 codes above: compare, sortKey and hash all
  // use the table, as TiKV's collator does.
  it.each([
    { s: "︐", want: "84318236" },
    { s: "\ue831\u9fb8\u2eaa\u4056", want: "fe6c82359131fe6efe6f" },
    { s: "\ue81e\u9fb4", want: "fe5982359037" },
  ])("sortKey('$s') = $want (GB18030-2005 codes)", ({ s, want }) => {
    expect(hex(collatorFor(Collation.Gb18030Bin).sortKey(u8(s)))).toBe(want);
  });

  it("orders and hashes the swapped code points by their GB18030-2005 codes", () => {
    const coll = collatorFor(Collation.Gb18030Bin);
    // 2005: U+E81E = 0xFE59 < U+9FB4 = 0x82359037 (2022 would give the opposite order).
    expect(coll.compare(u8("\ue81e"), u8("\u9fb4"))).toBe(-1);
    // 2005: U+E78D = 0xA6D9 < U+FE10 = 0x84318236.
    expect(coll.compare(u8("\ufe10"), u8("\ue78d"))).toBe(1);
    expect(coll.hash(u8("\ue81e"))).not.toBe(coll.hash(u8("\u9fb4")));
    expect(coll.hash(u8("\ue81e  "))).toBe(coll.hash(u8("\ue81e")));
  });

  it("weighs surrogates as U+FFFD (0x8431A437) and code points above U+10FFFF as '?'", () => {
    const coll = collatorFor(Collation.Gb18030Bin);
    // U+FFFD's GB18030 code 0x8431A437: four-byte index 39417 (U+FFFE, U+FFFF close the BMP range).
    expect(coll.charWeight(0xfffd)).toBe(0x8431a437);
    for (const s of [0xd800, 0xdbff, 0xdc00, 0xdfff]) expect(coll.charWeight(s)).toBe(0x8431a437);
    expect(coll.charWeight(0x110000)).toBe(0x3f);
  });

  // cases: the GB18030 four-byte rule (supplementary planes from 0x90308130).
  it.each([
    { cp: 0x10000, want: 0x90308130 },
    { cp: 0x10ffff, want: 0xe3329a35 },
  ])("U+$cp -> $want", ({ cp, want }) => {
    expect(collatorFor(Collation.Gb18030Bin).charWeight(cp)).toBe(want);
  });

  it("compares weights as numbers, unlike its byte-wise sort key (as TiKV does)", () => {
    const coll = collatorFor(Collation.Gb18030Bin);
    // U+00B5 is the 49th BMP code point without a two-byte code (U+0080..U+00B5 minus
    // ¤ § ¨ ° ±), four-byte index 48 = 0x81308538; U+039C is 0xA6AC. Numerically greater,
    // byte-wise smaller.
    expect(coll.charWeight(0xb5)).toBe(0x81308538);
    expect(coll.compare(u8("µ"), u8("Μ"))).toBe(1);
    expect(hex(coll.sortKey(u8("µ")))).toBe("81308538");
    expect(hex(coll.sortKey(u8("Μ")))).toBe("a6ac");
  });

  it("agrees with the platform GB18030 decoder on every code except the 2022 swaps", () => {
    let dec: InstanceType<typeof TextDecoder>;
    try {
      dec = new TextDecoder("gb18030");
    } catch {
      return; // Node without ICU: nothing to compare with
    }
    const coll = collatorFor(Collation.Gb18030Bin);
    // The codes GB18030-2022 swapped (TiKV's table keeps 2005's meaning, a platform decoder may
    // follow either edition), and 0xA3A0, which ICU decodes as U+3000 but TiKV maps to U+E5E5.
    const revised = new Set([...GB18030_2005_SWAPPED.map(([, code]) => code), 0xa3a0]);
    const mismatches: string[] = [];
    const check = (bytes: number[]): void => {
      const code = bytes.reduce((acc, b) => acc * 256 + b, 0);
      if (revised.has(code)) return;
      const cp = dec.decode(Uint8Array.from(bytes)).codePointAt(0)!;
      if (coll.charWeight(cp) !== code) mismatches.push(code.toString(16));
    };
    for (let b1 = 0x81; b1 <= 0xfe; b1++) {
      for (let b2 = 0x40; b2 <= 0xfe; b2++) if (b2 !== 0x7f) check([b1, b2]);
    }
    for (let idx = 0; idx < 39420; idx++) {
      check([
        0x81 + Math.floor(idx / 12600),
        0x30 + (Math.floor(idx / 1260) % 10),
        0x81 + (Math.floor(idx / 10) % 126),
        0x30 + (idx % 10),
      ]);
    }
    expect(mismatches).toEqual([]);
  });
});

describe("gb18030_chinese_ci", () => {
  const coll = collatorFor(Collation.Gb18030ChineseCi);
  const cp = (ch: string): number => ch.codePointAt(0)!;

  it.each([
    // cases: TiKV collator/gb18030_collation.rs test_weight (the gb18030_chinese_ci column)
    { ch: "中", want: 0xffa09bc1 },
    { ch: "€", want: 0xa2e3 },
    { ch: "\ue7c7", want: 0xff001d21 },
    { ch: "ḿ", want: 0xff001d20 },
    { ch: "ǹ", want: 0xff000154 },
    { ch: "䦃", want: 0xffa09e8a },
    // cases: the examples of MySQL strings/ctype-gb18030 get_weight_for_mbchar: GB+A2A1 (ⅰ) and
    // GB+A2F1 (Ⅰ) weigh 0xA2F1; GB+9030EC33 (U+10431) and GB+9030E833 (U+10409) weigh 0xFF02E651.
    { ch: "ⅰ", want: 0xa2f1 },
    { ch: "Ⅰ", want: 0xa2f1 },
    { ch: "\u{10431}", want: 0xff02e651 },
    { ch: "\u{10409}", want: 0xff02e651 },
    // One-byte codes weigh MySQL's sort_order: upper-case ASCII.
    { ch: "a", want: 0x41 },
    { ch: "A", want: 0x41 },
    { ch: "\u0000", want: 0 },
    { ch: "~", want: 0x7e },
    { ch: "\u007f", want: 0x7f },
  ])("charWeight($ch) = $want", ({ ch, want }) => {
    expect(coll.charWeight(cp(ch))).toBe(want);
  });

  it.each([
    // Ⅰ (U+2160) upper-cases ⅰ; Ḿ/ḿ and Ǹ/ǹ: the two-byte lower-case letters weigh their
    // four-byte upper-case forms (TiKV test_weight's ḿ and ǹ values).
    { a: "ⅰ", b: "Ⅰ" },
    { a: "ḿ", b: "Ḿ" },
    { a: "ǹ", b: "Ǹ" },
    { a: "\u{10428}", b: "\u{10400}" },
  ])("'$a' and '$b' are equal (case-insensitive)", ({ a, b }) => {
    expect(coll.compare(u8(a), u8(b))).toBe(0);
    expect(coll.hash(u8(a))).toBe(coll.hash(u8(b)));
    expect(hex(coll.sortKey(u8(a)))).toBe(hex(coll.sortKey(u8(b))));
    expect(coll.charsEqual(cp(a), cp(b))).toBe(true);
  });

  // cases: MySQL mysql-test/r/ctype_gb18030.result, HEX(WEIGHT_STRING(x)) under gb18030_chinese_ci
  // (0xA1A1 is U+3000, 0xA2A9 is ⅸ U+2178, 0x81309D30 is ƴ U+01B4).
  it.each([
    { s: "a", want: "41" },
    { s: "A", want: "41" },
    { s: "abc", want: "414243" },
    { s: "aA", want: "4141" },
    { s: "\u3000", want: "a1a1" },
    { s: "\u3000\u3000", want: "a1a1a1a1" },
    { s: "@\u3000", want: "40a1a1" },
    { s: "ⅸ", want: "a2f9" },
    { s: "@ⅸⅸ", want: "40a2f9a2f9" },
    { s: "ƴ", want: "ff000117" },
    { s: "@ƴƴ", want: "40ff000117ff000117" },
    { s: "", want: "" },
    { s: "  ", want: "" },
  ])("sortKey('$s') = $want", ({ s, want }) => {
    expect(hex(coll.sortKey(u8(s)))).toBe(want);
  });

  /** Checks that `rows` are in strictly increasing order, by compare and by sort key. */
  const expectAscending = (rows: string[]): void => {
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [u8(rows[i - 1]), u8(rows[i])];
      expect(coll.compare(a, b), `${rows[i - 1]} < ${rows[i]}`).toBe(-1);
      expect(coll.compare(b, a)).toBe(1);
      expect(Buffer.compare(coll.sortKey(a), coll.sortKey(b)), `key ${rows[i - 1]} < ${rows[i]}`).toBe(-1);
    }
  };

  // cases: MySQL mysql-test/r/ctype_gb18030.result, SELECT ... ORDER BY c under gb18030_chinese_ci
  it("orders characters read 'bo'/'bang' by pinyin, as MySQL does", () => {
    expectAscending([..."𠬣𠨵㭋玤䂜蚌𢜗𢮏䖫傍棒棓谤塝拨波癷𩧯玻剝剥哱盋砵袚𧙄钵饽紴缽菠袰"]);
  });

  it("orders digits, letters, other characters, then Chinese surnames by pinyin, as MySQL does", () => {
    expectAscending([
      "1",
      "2",
      "A",
      "\u0080",
      "\u0082",
      "\u{10FFFE}",
      "\u{10FFFF}",
      ..."陈高郭何胡黄李林刘罗马孙王吴徐杨张赵郑周朱",
    ]);
    expect(coll.compare(u8("A"), u8("a"))).toBe(0);
  });

  it("orders the lines of a poem as MySQL does", () => {
    expectAscending([
      "大江东去，浪淘尽、千古风流人物。",
      "故国神游，多情应笑我、早生华发。",
      "故垒西边，人道是、三国周郎赤壁。",
      "江山如画，一时多少豪杰！",
      "乱石崩云，惊涛裂岸，卷起千堆雪。",
      "念奴娇·赤壁怀古 ·苏东坡",
      "人间如梦，一樽还酹江月。",
      "遥想公瑾当年，小乔初嫁了，雄姿英发。",
      "羽扇纶巾，谈笑间、樯橹灰飞烟灭。",
    ]);
  });

  it("orders mixed scripts as MySQL does", () => {
    expectAscending([
      "Js  K\u4478def",
      "SsTt\uC23F",
      "\u0080\uE4C5",
      "\u00CE\u00CF",
      "\u1817\u1822\u1836",
      "\uB46C\uB470\uB498\uB7B5\uB7F3\uD47C",
      "\uF45A\uF45B\uF444",
      "\u{2A56A}\u{2A563}\u{2A6D6}",
      "\u{10FFFF}\u{10FFFE}",
      "\u4E02\u4E04\u3499",
      "\u4460\u445A\u447B\u48C8",
      "\u90F7\u9107wv\u4423",
      "\u{2681F}\u{26821}\u{268C3}\u{29127}\u{2915A}",
    ]);
  });

  it("weighs the characters GB18030-2022 moved by their GB18030-2005 codes, as TiKV's table does", () => {
    // U+9FB4 has the GB18030-2005 four-byte code 0x82359037 (a non-Chinese weight, index 0x4A71)
    // and U+E81E the two-byte 0xFE59 (2022 swapped them); gb18030_bin and the weights keep 2005's.
    expect(collatorFor(Collation.Gb18030Bin).charWeight(0x9fb4)).toBe(0x82359037);
    expect(coll.charWeight(0x9fb4)).toBe(0xff004a71);
    expect(coll.charWeight(0xe81e)).toBe(0xfe59);
    expect(coll.charWeight(0xfe10)).toBe(0xff0098a4); // 2005: 0x84318236
    expect(coll.charWeight(0xe78d)).toBe(0xa6d9);
  });

  it("weighs surrogates as U+FFFD and code points above U+10FFFF as '?'", () => {
    for (const s of [0xd800, 0xdbff, 0xdc00, 0xdfff])
      expect(coll.charWeight(s)).toBe(coll.charWeight(0xfffd));
    expect(coll.charWeight(0x110000)).toBe(0x3f);
  });

  it("has only weights of at most two bytes or of four bytes (so TiKV's and TiDB's key bytes agree)", () => {
    const bad: number[] = [];
    for (let c = 0; c <= 0x10ffff; c++) {
      const w = coll.charWeight(c);
      if (w > 0xffff && w < 0xff000000) bad.push(c);
    }
    expect(bad).toEqual([]);
  });
});

describe("malformed UTF-8 (TiKV behaviour per collator)", () => {
  const bad = [0x61, 0xff, 0x62]; // 'a', invalid byte, 'b'
  it.each([
    // Byte-order collators keep the bytes.
    { c: Collation.Utf8Mb4Bin, want: "61ff62" },
    { c: Collation.Utf8Mb4BinNoPadding, want: "61ff62" },
    { c: Collation.Utf8Mb40900Bin, want: "61ff62" },
    // general_ci, UCA and the chinese_ci collators stop at the bad byte.
    { c: Collation.Utf8Mb4GeneralCi, want: "0041" },
    { c: Collation.Utf8Mb4UnicodeCi, want: "0e33" },
    { c: Collation.Utf8Mb40900AiCi, want: "1c47" },
    { c: Collation.GbkChineseCi, want: "41" },
    { c: Collation.Gb18030ChineseCi, want: "41" },
    // gbk_bin and gb18030_bin weigh a bad byte as '?'.
    { c: Collation.GbkBin, want: "613f62" },
    { c: Collation.Gb18030Bin, want: "613f62" },
  ])("$c sortKey", ({ c, want }) => {
    expect(hex(collatorFor(c).sortKey(u8(bad)))).toBe(want);
  });

  it.each([
    // Truncated sequence, lone continuation, overlong, surrogate, above U+10FFFF.
    { c: Collation.Utf8Mb4GeneralCi, a: [0x61, 0xe4, 0xb8], b: [0x61, 0x7a], want: 0 },
    { c: Collation.Utf8Mb4GeneralCi, a: [0x80], b: [0x61], want: 0 },
    { c: Collation.Utf8Mb4UnicodeCi, a: [0x62, 0xc0, 0xaf], b: [0x61], want: 1 },
    { c: Collation.Utf8Mb4UnicodeCi, a: [0x61, 0xc0, 0xaf], b: [0x61, 0x62], want: 0 },
    { c: Collation.Utf8Mb40900AiCi, a: [0xed, 0xa0, 0x80], b: [0x61], want: 0 },
    { c: Collation.GbkChineseCi, a: [0xf4, 0x90, 0x80, 0x80], b: [0x61], want: 0 },
    { c: Collation.Gb18030ChineseCi, a: [0x62, 0xff], b: [0x62, 0xfe, 0x63], want: 0 },
    { c: Collation.Gb18030ChineseCi, a: [0x62, 0xff], b: [0x61], want: 1 },
    // gbk_bin: the bad byte weighs '?' (0x3F) against 'A' (0x41).
    { c: Collation.GbkBin, a: [0xff], b: [0x41], want: -1 },
    { c: Collation.GbkBin, a: [0xff], b: [0x3f], want: 0 },
    { c: Collation.Gb18030Bin, a: [0xe4, 0xb8], b: [0x3f, 0x3f], want: 0 },
    { c: Collation.Utf8Mb4Bin, a: [0xff], b: [0xfe], want: 1 },
  ])("$c compare($a, $b) = $want", ({ c, a, b, want }) => {
    expect(collatorFor(c).compare(u8(a), u8(b))).toBe(want);
  });

  it.each([
    { c: Collation.Utf8Mb4Bin, s: [0x61, 0xff], offset: 1 },
    { c: Collation.Utf8Mb4GeneralCi, s: [0x61, 0x62, 0xe4, 0xb8], offset: 2 },
    { c: Collation.Utf8Mb4UnicodeCi, s: [0xed, 0xa0, 0x80], offset: 0 },
    { c: Collation.Utf8Mb40900AiCi, s: [0xc1, 0xbf], offset: 0 },
    { c: Collation.GbkBin, s: [0x20, 0xf5, 0x80, 0x80, 0x80], offset: 1 },
    { c: Collation.Gb18030Bin, s: [0xf0, 0x8f, 0xbf, 0xbf], offset: 0 },
    { c: Collation.Gb18030ChineseCi, s: [0x80], offset: 0 },
  ])("$c validate($s) throws CodecError at $offset", ({ c, s, offset }) => {
    const e = catchError(() => collatorFor(c).validate(u8(s)));
    expect(e).toBeInstanceOf(CodecError);
    expect((e as CodecError).format).toBe(collationName(c));
    expect((e as CodecError).offset).toBe(offset);
  });

  it.each([Collation.Binary, Collation.Latin1Bin])("%s accepts any bytes", (c) => {
    expect(() => collatorFor(c).validate(u8([0xff, 0xfe, 0x80]))).not.toThrow();
  });

  it.each(["", "abc", "é中😃", "\u{10FFFF}\uFFFD"])("utf8 collators accept valid '%s'", (s) => {
    expect(() => collatorFor(Collation.Utf8Mb4GeneralCi).validate(u8(s))).not.toThrow();
  });
});

describe("decodeChar", () => {
  const utf8 = collatorFor(Collation.Utf8Mb4GeneralCi);
  // cases: TiKV codec/collation/charset.rs test_utf8mb4_decode_one
  it.each([
    { s: "a", cp: 0x61, len: 1 },
    { s: "é", cp: 0xe9, len: 2 },
    { s: "你", cp: 0x4f60, len: 3 },
    { s: "🐶", cp: 0x1f436, len: 4 },
    { s: [0xe4], cp: 0xfffd, len: 1 },
    { s: [0xaa], cp: 0xfffd, len: 1 },
    { s: [0xc3, 0x28], cp: 0xfffd, len: 1 },
    { s: [0xed, 0xa0, 0x80], cp: 0xfffd, len: 1 },
    { s: [0xf5, 0x80, 0x80, 0x80], cp: 0xfffd, len: 1 },
  ] as { s: string | number[]; cp: number; len: number }[])("utf8mb4 $s", ({ s, cp, len }) => {
    const p = utf8.decodeChar(u8(s), 0);
    expect(decodedChar(p)).toBe(cp);
    expect(decodedLength(p)).toBe(len);
  });

  it("returns -1 at the end of the input", () => {
    expect(utf8.decodeChar(u8(""), 0)).toBe(-1);
    expect(utf8.decodeChar(u8("ab"), 2)).toBe(-1);
    expect(collatorFor(Collation.Binary).decodeChar(u8("a"), 1)).toBe(-1);
  });

  it("decodes one byte per character for binary charsets", () => {
    for (const c of [Collation.Binary, Collation.Latin1Bin]) {
      const p = collatorFor(c).decodeChar(u8("é"), 0);
      expect([decodedChar(p), decodedLength(p)]).toEqual([0xc3, 1]);
    }
  });

  it("walks a multi-byte string", () => {
    const s = u8("a中😃");
    const seen: number[] = [];
    for (let pos = 0; pos < s.length; ) {
      const p = utf8.decodeChar(s, pos);
      seen.push(decodedChar(p));
      pos += decodedLength(p);
    }
    expect(seen).toEqual([0x61, 0x4e2d, 0x1f603]);
  });

  it.each([
    { s: [0xf4, 0x8f, 0xbf, 0xbf], want: 0x10ffff },
    { s: [0xe0, 0xa0, 0x80], want: 0x800 },
    { s: [0xef, 0xbf, 0xbf], want: 0xffff },
    { s: [0xe0, 0x9f, 0xbf], want: -1 }, // overlong
    { s: [0xf0, 0x8f, 0xbf, 0xbf], want: -1 }, // overlong
    { s: [0xf4, 0x90, 0x80, 0x80], want: -1 }, // above U+10FFFF
    { s: [0xc2], want: -1 }, // truncated
  ])("nextUtf8Char($s)", ({ s, want }) => {
    const p = nextUtf8Char(u8(s), 0, s.length);
    expect(p < 0 ? -1 : decodedChar(p)).toBe(want);
  });
});

describe("LIKE support: charsEqual, charWeight, modes", () => {
  // cases: TiKV tidb_query_expr impl_like.rs test_like (single-character literals)
  it.each([
    { c: Collation.Utf8Mb40900AiCi, a: "Ⱕ", b: "ⱕ", want: true },
    { c: Collation.Utf8Mb4UnicodeCi, a: "😀", b: "😁", want: false },
    { c: Collation.Utf8Mb4UnicodeCi, a: "😀", b: "😀", want: true },
    { c: Collation.Utf8Mb4UnicodeCi, a: "😀", b: "\uFFFD", want: false },
    { c: Collation.Utf8Mb4UnicodeCi, a: "\u321D", b: "\u321D", want: true },
    { c: Collation.Utf8Mb4UnicodeCi, a: "\u321D", b: "\u321E", want: false },
    { c: Collation.Utf8Mb4UnicodeCi, a: "\u3000", b: " ", want: true },
    { c: Collation.Utf8Mb4GeneralCi, a: "s", b: "S", want: true },
    { c: Collation.Utf8Mb4GeneralCi, a: "ß", b: "s", want: true },
    { c: Collation.Utf8Mb4GeneralCi, a: "é", b: "E", want: true },
    { c: Collation.Utf8Mb4Bin, a: "a", b: "A", want: false },
    { c: Collation.GbkChineseCi, a: "a", b: "A", want: true },
    { c: Collation.GbkBin, a: "a", b: "A", want: false },
    { c: Collation.Utf8Mb40900AiCi, a: "a", b: "á", want: true },
    { c: Collation.Utf8Mb40900AiCi, a: "😀", b: "😁", want: false },
  ])("$c: '$a' ~ '$b' = $want", ({ c, a, b, want }) => {
    const coll = collatorFor(c);
    expect(coll.charsEqual(a.codePointAt(0)!, b.codePointAt(0)!)).toBe(want);
    expect(coll.charsEqual(b.codePointAt(0)!, a.codePointAt(0)!)).toBe(want);
  });

  it.each([
    { c: Collation.Utf8Mb4GeneralCi, ch: 0x61, want: 0x41 },
    { c: Collation.Utf8Mb4GeneralCi, ch: 0x1f600, want: 0xfffd },
    { c: Collation.Utf8Mb4Bin, ch: 0x4e2d, want: 0x4e2d },
    { c: Collation.Binary, ch: 0xff, want: 0xff },
    { c: Collation.GbkBin, ch: 0x4e2d, want: 0xd6d0 },
    { c: Collation.GbkBin, ch: 0x1f600, want: 0x3f },
    { c: Collation.GbkChineseCi, ch: 0x4e2d, want: 0xd321 },
    { c: Collation.Utf8Mb4UnicodeCi, ch: 0x61, want: 0x0e33 },
    { c: Collation.Utf8Mb40900AiCi, ch: 0x61, want: 0x1c47 },
    { c: Collation.Utf8Mb40900AiCi, ch: 0x20, want: 0x0209 },
  ])("$c charWeight($ch) = $want", ({ c, ch, want }) => {
    expect(collatorFor(c).charWeight(ch)).toBe(want);
  });

  it.each([
    { c: Collation.Binary, mode: "bytes", pad: false, ci: false, charset: "binary" },
    { c: Collation.Latin1Bin, mode: "binaryRunes", pad: true, ci: false, charset: "binary" },
    { c: Collation.Utf8Mb4Bin, mode: "binaryRunes", pad: true, ci: false, charset: "utf8mb4" },
    { c: Collation.Utf8Mb4BinNoPadding, mode: "binaryRunes", pad: false, ci: false, charset: "utf8mb4" },
    { c: Collation.Utf8Mb40900Bin, mode: "binaryRunes", pad: false, ci: false, charset: "utf8mb4" },
    { c: Collation.Utf8Mb4GeneralCi, mode: "collatorDefined", pad: true, ci: true, charset: "utf8mb4" },
    { c: Collation.Utf8Mb4UnicodeCi, mode: "collatorDefined", pad: true, ci: true, charset: "utf8mb4" },
    { c: Collation.Utf8Mb40900AiCi, mode: "collatorDefined", pad: false, ci: true, charset: "utf8mb4" },
    { c: Collation.GbkBin, mode: "binaryRunes", pad: true, ci: false, charset: "utf8mb4" },
    { c: Collation.GbkChineseCi, mode: "collatorDefined", pad: true, ci: true, charset: "utf8mb4" },
    { c: Collation.Gb18030Bin, mode: "bytes", pad: true, ci: false, charset: "utf8mb4" },
    { c: Collation.Gb18030ChineseCi, mode: "collatorDefined", pad: true, ci: true, charset: "utf8mb4" },
  ])("$c: likeMode $mode, padding $pad", ({ c, mode, pad, ci, charset }) => {
    const coll = collatorFor(c);
    expect(coll.collation).toBe(c);
    expect(coll.name).toBe(collationName(c));
    expect(coll.likeMode).toBe(mode);
    expect(coll.padding).toBe(pad);
    expect(coll.isCaseInsensitive).toBe(ci);
    expect(coll.charset).toBe(charset);
  });

  it("compare with forceNoPad keeps trailing spaces significant", () => {
    for (const c of [
      Collation.Utf8Mb4Bin,
      Collation.Utf8Mb4GeneralCi,
      Collation.Utf8Mb4UnicodeCi,
      Collation.GbkBin,
    ]) {
      const coll = collatorFor(c);
      expect(coll.compare(u8("a "), u8("a"))).toBe(0);
      expect(coll.compare(u8("a "), u8("a"), true)).toBe(1);
    }
  });
});

describe("collatorFor", () => {
  it("returns one shared instance per collation", () => {
    expect(collatorFor(Collation.Utf8Mb4GeneralCi)).toBe(collatorFor(Collation.Utf8Mb4GeneralCi));
    expect(collatorFor(Collation.Utf8Mb40900Bin)).not.toBe(collatorFor(Collation.Utf8Mb4BinNoPadding));
  });

  it("rejects a value that is not a collation", () => {
    const e = catchError(() => collatorFor(12345 as Collation));
    expect(e).toBeInstanceOf(UnsupportedError);
  });
});

describe("data files", () => {
  const good = (): Uint8Array => {
    // One section "w" holding [1, 2]: deltas 1, 1 -> zigzag 2, 2.
    const raw = Uint8Array.from([1, 0x77, 2, 0, 0, 0, 1, 2, 0, 0, 0, 2, 2]);
    const z = deflateSync(raw);
    const head = new Uint8Array(12);
    head.set([0x43, 0x50, 0x43, 0x4c, 1, 0, 0, 0, raw.length, 0, 0, 0]);
    return Uint8Array.from([...head, ...z]);
  };

  it("parses a well-formed file", () => {
    expect([...parseCollationData("t.bin", good()).get("w")!]).toEqual([1, 2]);
  });

  it.each([
    { name: "too short", mutate: (b: Uint8Array) => b.subarray(0, 5) },
    { name: "bad magic", mutate: (b: Uint8Array) => Uint8Array.from([0, ...b.subarray(1)]) },
    {
      name: "bad version",
      mutate: (b: Uint8Array) => Uint8Array.from([...b.subarray(0, 4), 9, ...b.subarray(5)]),
    },
    {
      name: "corrupt deflate",
      mutate: (b: Uint8Array) => Uint8Array.from([...b.subarray(0, 12), 0xff, 0xff]),
    },
    {
      name: "wrong length",
      mutate: (b: Uint8Array) => Uint8Array.from([...b.subarray(0, 8), 99, ...b.subarray(9)]),
    },
  ])("rejects a file with $name, naming it", ({ mutate }) => {
    const e = catchError(() => parseCollationData("broken.bin", mutate(good())));
    expect(e).toBeInstanceOf(CodecError);
    expect(e.message).toContain("broken.bin");
    expect(isCoprError(e)).toBe(true);
  });
});
