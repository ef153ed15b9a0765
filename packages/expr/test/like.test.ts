// LIKE with TiKV's cases (components/tidb_query_expr/src/impl_like.rs tests), evaluated three
// ways: all constants (pattern compiled once), a target column with a constant pattern, and
// target and pattern both columns (the pattern scanned directly).
import { ChunkedVecBytes, Collation, type FieldType, FieldTypeTp, fieldType } from "@copr/datatype";
import { tipb } from "@copr/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  columnRef,
  constBytes,
  constInt,
  constNull,
  LONGLONG,
  lookupRpnFn,
  scalarFunc,
} from "../src/index.js";
import { evalConst, evalRows } from "./helpers.js";

const S = tipb.ScalarFuncSig;
const enc = new TextEncoder();
const NEW_BINARY = -63;

type Text = string | number[];
const bytes = (t: Text): Uint8Array => (typeof t === "string" ? enc.encode(t) : Uint8Array.from(t));
const cp = (ch: string): number => ch.codePointAt(0) as number;

const retFt = (collate: number): FieldType => fieldType(FieldTypeTp.LongLong, { collate });
const strFt = (collate: number): FieldType => fieldType(FieldTypeTp.String, { collate });

/** Evaluates LIKE in the three ways and checks they agree; returns the common answer. */
function like(
  target: Text,
  pattern: Text,
  escape: number,
  retCollate: number,
  targetCollate = retCollate,
  patternCollate = targetCollate,
): unknown {
  const tFt = strFt(targetCollate);
  const pFt = strFt(patternCollate);
  const t = bytes(target);
  const p = bytes(pattern);
  const constant = evalConst(
    scalarFunc(S.LikeSig, retFt(retCollate), constBytes(t, tFt), constBytes(p, pFt), constInt(escape)),
  );
  const colConstPattern = evalRows(
    scalarFunc(S.LikeSig, retFt(retCollate), columnRef(0, tFt), constBytes(p, pFt), constInt(escape)),
    [tFt],
    [ChunkedVecBytes.fromValues([t, null])],
  );
  const bothColumns = evalRows(
    scalarFunc(S.LikeSig, retFt(retCollate), columnRef(0, tFt), columnRef(1, pFt), constInt(escape)),
    [tFt, pFt],
    [ChunkedVecBytes.fromValues([t, t]), ChunkedVecBytes.fromValues([p, null])],
  );
  expect(colConstPattern).toEqual([constant, null]);
  expect(bothColumns).toEqual([constant, null]);
  return constant;
}

describe("LikeSig", () => {
  it("is the only LIKE sig registered (TiKV maps no IlikeSig)", () => {
    expect(lookupRpnFn(S.LikeSig)?.name).toBe("LikeFns.like");
    expect(lookupRpnFn(S.IlikeSig)).toBeUndefined();
  });

  // test_like. The result field type's collation drives the mode; Binary (63) is a non-negative
  // id, i.e. TiDB's old framework, where characters are UTF-8 runes compared by code point.
  const B = Collation.Binary;
  const BIN = Collation.Utf8Mb4Bin;
  const GCI = Collation.Utf8Mb4GeneralCi;
  const UCI = Collation.Utf8Mb4UnicodeCi;
  const AI = Collation.Utf8Mb40900AiCi;
  it.each([
    ["hello", "%HELLO%", "\\", B, 0n],
    ["Hello, World", "Hello, World", "\\", B, 1n],
    ["Hello, World", "Hello, %", "\\", B, 1n],
    ["Hello, World", "%, World", "\\", B, 1n],
    ["test", "te%st", "\\", B, 1n],
    ["test", "te%%st", "\\", B, 1n],
    ["test", "test%", "\\", B, 1n],
    ["test", "%test%", "\\", B, 1n],
    ["test", "%%test%", "\\", B, 1n],
    ["test", "%test%%", "\\", B, 1n],
    ["testAAA", "%test%", "\\", B, 1n],
    ["testBBB", "%test%%", "\\", B, 1n],
    ["test", "t%e%s%t", "\\", B, 1n],
    ["test", "_%_%_%_", "\\", B, 1n],
    ["test", "_%_%st", "\\", B, 1n],
    ["C:", "%\\", "\\", B, 0n],
    ["C:\\", "%\\", "\\", B, 1n],
    ["C:\\Programs", "%\\", "\\", B, 0n],
    ["C:\\Programs\\", "%\\", "\\", B, 1n],
    ["C:", "%\\\\", "\\", B, 0n],
    ["C:\\", "%\\\\", "\\", B, 1n],
    ["C:\\\\", "C:\\\\", "\\", B, 0n],
    ["C:\\Programs", "%\\\\", "\\", B, 0n],
    ["C:\\Programs\\", "%\\\\", "\\", B, 1n],
    ["C:\\Programs\\", "%Prog%", "\\", B, 1n],
    ["C:\\Programs\\", "%Pr_g%", "\\", B, 1n],
    ["C:\\Programs\\", "%%\\", "%", B, 0n],
    ["C:\\Programs%", "%%%", "%", B, 0n],
    ["C:\\Programs%", "%%%%", "%", B, 0n],
    ["hello", "\\%", "\\", B, 0n],
    ["%", "\\%", "\\", B, 1n],
    ["3hello", "%%hello", "%", B, 0n],
    ["3hello", "3%hello", "3", B, 0n],
    ["3hello", "__hello", "_", B, 0n],
    ["3hello", "%_hello", "%", B, 0n],
    ["aaaaaaaaaaaaaaaaaaaaaaaaaaa", "a%a%a%a%a%a%a%a%b", "\\", B, 0n],
    ["IpHONE", "iPhone", "\\", BIN, 0n],
    ["IpHONE xs mAX", "iPhone XS Max", "\\", GCI, 1n],
    ["baab", "b_%b", "\\", BIN, 1n],
    ["baab", "b%_b", "\\", BIN, 1n],
    ["bab", "b_%b", "\\", BIN, 1n],
    ["bab", "b%_b", "\\", BIN, 1n],
    ["bb", "b_%b", "\\", BIN, 0n],
    ["bb", "b%_b", "\\", BIN, 0n],
    ["baabccc", "b_%b%", "\\", BIN, 1n],
    ["ßssß", "_sSß", "\\", GCI, 1n],
    ["ßssß", "_ßß", "\\", GCI, 0n],
    ["Ⱕ", "ⱕ", "\\", AI, 1n],
    ["😀", "😁", "\\", UCI, 0n],
    ["😀", "😀", "\\", UCI, 1n],
    ["😀", "\u{FFFD}", "\\", UCI, 0n],
    ["x😀y", "%😀%", "\\", UCI, 1n],
    ["x😀y", "%😁%", "\\", UCI, 0n],
    ["\u{321D}", "\u{321D}", "\\", UCI, 1n],
    ["\u{321D}", "\u{321E}", "\\", UCI, 0n],
    ["a\u{3000}a", "a a", "\\", UCI, 1n],
    ["abcabcabcd", "%abcd%", "\\", UCI, 1n],
  ] as const)("test_like: %s LIKE %s ESCAPE %s (collation %d) = %s", (t, p, esc, coll, want) => {
    expect(like(t, p, cp(esc), coll)).toBe(want);
  });

  // test_like_invalid_utf8
  it("malformed UTF-8 is one U+FFFD per byte for character collations", () => {
    const replacement = [0xef, 0xbf, 0xbd];
    for (const v of [[0xe4], [0x02, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa]]) {
      expect(like(v, v, cp("\\"), Collation.Utf8Mb4Bin)).toBe(1n);
    }
    const cases: [number[], number[], bigint][] = [
      [[0xe4], [0xaa], 1n],
      [[0xe4], replacement, 1n],
      [replacement, [0xe4], 1n],
      [[0xe4], [0x61], 0n],
      [[0xaa], [0x5c, 0xe4], 1n],
    ];
    for (const c of [
      Collation.Utf8Mb4Bin,
      Collation.Utf8Mb4GeneralCi,
      Collation.Utf8Mb4UnicodeCi,
      Collation.Utf8Mb40900AiCi,
      Collation.Utf8Mb40900Bin,
      Collation.GbkBin,
      Collation.GbkChineseCi,
      Collation.Gb18030ChineseCi,
    ]) {
      for (const [t, p, want] of cases) expect(like(t, p, cp("\\"), c), `collation ${c}`).toBe(want);
    }
    const G = Collation.Gb18030Bin;
    expect(like([0xe4], [0xe4], cp("\\"), G)).toBe(1n);
    expect(like([0xe4], [0xaa], cp("\\"), G)).toBe(0n);
    expect(like([0xe4], replacement, cp("\\"), G)).toBe(0n);
    expect(like("中", "中", cp("\\"), G)).toBe(1n);
    expect(like("中", "文", cp("\\"), G)).toBe(0n);
  });

  // test_like_pattern_modes
  it("an escape character that is a wildcard escapes itself, in every mode", () => {
    for (const c of [Collation.Binary, NEW_BINARY, Collation.Utf8Mb4Bin, Collation.Utf8Mb4GeneralCi]) {
      expect(like("", "%", cp("%"), c)).toBe(0n);
      expect(like("%", "%", cp("%"), c)).toBe(1n);
      expect(like("a", "_", cp("_"), c)).toBe(0n);
      expect(like("_", "_", cp("_"), c)).toBe(1n);
    }
  });

  it("test_like_pattern_modes: old framework, byte and rune patterns", () => {
    const LEGACY_BINARY = Collation.Binary;
    const LEGACY_UTF8MB4_BIN = Collation.Utf8Mb4BinNoPadding;
    const esc = cp("\\");
    const replacement = [0xef, 0xbf, 0xbd];
    expect(like([0xe4], [0xaa], esc, LEGACY_BINARY, LEGACY_UTF8MB4_BIN)).toBe(1n);
    expect(like([0xe4], replacement, esc, LEGACY_BINARY, LEGACY_UTF8MB4_BIN)).toBe(1n);
    expect(like([0xaa], [0x5c, 0xe4], esc, LEGACY_BINARY, LEGACY_UTF8MB4_BIN)).toBe(1n);
    expect(like("中", "_", esc, LEGACY_BINARY, LEGACY_UTF8MB4_BIN)).toBe(1n);
    expect(like("中", "_", esc, LEGACY_BINARY, LEGACY_BINARY)).toBe(1n);
    expect(like([0xe4], [0xaa], esc, LEGACY_BINARY, LEGACY_BINARY)).toBe(1n);
    for (const c of [NEW_BINARY, Collation.Gb18030Bin]) {
      expect(like([0xe4], [0xaa], esc, c)).toBe(0n);
      expect(like("中", "_", esc, c)).toBe(0n);
      expect(like("中X", "%__X", esc, c)).toBe(1n);
    }
    expect(like([0xe4], [0xaa], esc, Collation.Utf8Mb4Bin)).toBe(1n);
    expect(like("中", "_", esc, Collation.Utf8Mb4Bin)).toBe(1n);
    expect(like([0xc3, 0xa9], "_", esc, Collation.Latin1Bin)).toBe(1n);
    expect(like([0xe4], [0xaa], esc, Collation.Latin1Bin)).toBe(1n);
    expect(like("😀", "😁", esc, Collation.GbkBin)).toBe(0n);
    expect(like("中X", "%__X", esc, LEGACY_BINARY, LEGACY_UTF8MB4_BIN)).toBe(0n);
    for (const c of [
      Collation.Latin1Bin,
      Collation.GbkBin,
      Collation.Utf8Mb4GeneralCi,
      Collation.Utf8Mb4Bin,
    ]) {
      expect(like("中X", "%__X", esc, c)).toBe(0n);
    }
  });

  // test_like_wide_character: (target, pattern, escape, ret collation, target, pattern collations)
  it.each([
    ["夏威夷吉他", "_____", "\\", NEW_BINARY, B, B, 0n],
    ["🐶🍐🍳➕🥜🎗🐜", "_______", "\\", BIN, BIN, BIN, 1n],
    ["🕺_", "🕺🕺🕺_", "🕺", NEW_BINARY, B, B, 0n],
    ["🕺_", "🕺🕺🕺_", "🕺", GCI, GCI, GCI, 1n],
    ["夏威夷吉他", "_____", "\\", B, BIN, BIN, 1n],
    ["🐶🍐🍳➕🥜🎗🐜", "_______", "\\", B, BIN, BIN, 1n],
    ["🕺_", "🕺🕺🕺_", "🕺", B, BIN, BIN, 1n],
    ["测试", "测_", "\\", NEW_BINARY, BIN, B, 0n],
    ["测试", "测%", "\\", NEW_BINARY, BIN, B, 1n],
    ["测试", "测_", "\\", B, BIN, BIN, 1n],
    ["测试A", "测_a", "\\", B, UCI, UCI, 0n],
  ] as const)(
    "test_like_wide_character: %s LIKE %s ESCAPE %s (%d; %d, %d) = %s",
    (t, p, e, r, tc, pc, want) => {
      expect(like(t, p, cp(e), r, tc, pc)).toBe(want);
    },
  );

  it("a case-insensitive result collation over two binary-charset arguments compares bytes", () => {
    // Both arguments binary: decoded byte by byte; ASCII bytes compare case-insensitively.
    expect(like("ABC", "abc", cp("\\"), GCI, B, B)).toBe(1n);
    // '_' is one byte then, so a 3-byte character needs three.
    expect(like("中", "_", cp("\\"), GCI, B, B)).toBe(0n);
    expect(like("中", "___", cp("\\"), GCI, B, B)).toBe(1n);
    // A lone byte >= 0x80 cannot be decoded by the collator: general_ci calls it equal, UCA not.
    expect(like([0xe4], [0xaa], cp("\\"), GCI, B, B)).toBe(1n);
    expect(like([0xe4], [0xaa], cp("\\"), UCI, B, B)).toBe(0n);
    // One binary and one UTF-8 argument: decoded as UTF-8 (the result's charset).
    expect(like("中", "_", cp("\\"), GCI, B, GCI)).toBe(1n);
  });

  it("escape handling: escaped wildcards are literals, a trailing escape is a literal", () => {
    const esc = cp("\\");
    expect(like("a_b", "a\\_b", esc, BIN)).toBe(1n);
    expect(like("axb", "a\\_b", esc, BIN)).toBe(0n);
    expect(like("50%", "50\\%", esc, BIN)).toBe(1n);
    expect(like("500", "50\\%", esc, BIN)).toBe(0n);
    expect(like("a\\", "a\\", esc, BIN)).toBe(1n);
    expect(like("ab", "a\\b", esc, BIN)).toBe(1n);
    expect(like("a|b", "a||b", cp("|"), BIN)).toBe(1n);
    // A multi-byte escape character in a UTF-8 mode.
    expect(like("a%", "aé%", cp("é"), BIN)).toBe(1n);
    expect(like("ab", "aé%", cp("é"), BIN)).toBe(0n);
    // TiKV reads the escape `as u32`: 2^32 + 92 is '\'.
    expect(like("%", "\\%", 2 ** 32 + 92, BIN)).toBe(1n);
  });

  it("multi-byte UTF-8: '_' is one character in rune modes, one byte in byte modes", () => {
    expect(like("ñandú", "_and_", cp("\\"), BIN)).toBe(1n);
    expect(like("ñandú", "_and_", cp("\\"), NEW_BINARY)).toBe(0n);
    expect(like("ñandú", "__and__", cp("\\"), NEW_BINARY)).toBe(1n);
    expect(like("ÑANDÚ", "ñandú", cp("\\"), GCI)).toBe(1n);
    expect(like("ÑANDÚ", "ñandú", cp("\\"), BIN)).toBe(0n);
    expect(like("𝄞x", "_x", cp("\\"), Collation.Utf8Mb4Bin)).toBe(1n);
  });

  it("NULL in any argument is NULL", () => {
    const ft = strFt(BIN);
    const r = retFt(BIN);
    expect(evalConst(scalarFunc(S.LikeSig, r, constNull(ft), constBytes("a", ft), constInt(92)))).toBeNull();
    expect(evalConst(scalarFunc(S.LikeSig, r, constBytes("a", ft), constNull(ft), constInt(92)))).toBeNull();
    expect(
      evalConst(scalarFunc(S.LikeSig, r, constBytes("a", ft), constBytes("a", ft), constNull(LONGLONG))),
    ).toBeNull();
  });

  it("an unsupported collation id is rejected when the expression is built", () => {
    expect(() => like("a", "a", 92, -99)).toThrow(/collation/i);
  });

  it("no catastrophic backtracking: many '%' over a long non-matching target", () => {
    const target = "a".repeat(20000);
    const pattern = `${"%a".repeat(50)}%b`;
    const start = performance.now();
    expect(like(target, pattern, cp("\\"), BIN)).toBe(0n);
    expect(performance.now() - start).toBeLessThan(5000);
  });
});

/** A plain recursive matcher over ASCII (binary collation): the specification. */
function reference(t: string, p: string, esc: string): boolean {
  const tokens: { kind: "lit" | "one" | "many"; ch: string }[] = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === esc && i + 1 < p.length) {
      tokens.push({ kind: "lit", ch: p[++i] as string });
    } else if (c === esc) {
      tokens.push({ kind: "lit", ch: c });
    } else if (c === "_") {
      tokens.push({ kind: "one", ch: c });
    } else if (c === "%") {
      tokens.push({ kind: "many", ch: c });
    } else {
      tokens.push({ kind: "lit", ch: c });
    }
  }
  const memo = new Map<number, boolean>();
  const go = (ti: number, pi: number): boolean => {
    const key = ti * 1000 + pi;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (pi === tokens.length) r = ti === t.length;
    else {
      const tok = tokens[pi] as (typeof tokens)[number];
      if (tok.kind === "many") r = go(ti, pi + 1) || (ti < t.length && go(ti + 1, pi));
      else if (ti === t.length) r = false;
      else if (tok.kind === "one") r = go(ti + 1, pi + 1);
      else r = t[ti] === tok.ch && go(ti + 1, pi + 1);
    }
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

describe("LikeSig property", () => {
  it("agrees with a reference matcher on random ASCII strings", () => {
    const alphabet = fc.constantFrom("a", "b", "%", "_", "\\", "|");
    const str = fc.array(alphabet, { maxLength: 10 }).map((a) => a.join(""));
    fc.assert(
      fc.property(str, str, fc.constantFrom("\\", "|", "a", "%"), (t, p, esc) => {
        const want = reference(t, p, esc) ? 1n : 0n;
        expect(like(t, p, cp(esc), Collation.Utf8Mb4Bin)).toBe(want);
        expect(like(t, p, cp(esc), NEW_BINARY)).toBe(want);
      }),
      { numRuns: 400 },
    );
  });
});

describe("the vectorized LIKE for %-and-literal patterns", () => {
  it("agrees with the scalar matcher on random targets and patterns (binary and utf8mb4_bin)", () => {
    const S = tipb.ScalarFuncSig;
    const target = fc.string({
      unit: fc.constantFrom("a", "b", "c", "%", "é", "中", "\u{1F600}"),
      maxLength: 12,
    });
    const pattern = fc.string({ unit: fc.constantFrom("a", "b", "%", "ab"), maxLength: 8 });
    for (const collate of [63, -46]) {
      const ft = fieldType(FieldTypeTp.VarString, {
        collate,
        charset: collate === 63 ? "binary" : "utf8mb4",
      });
      const ret = fieldType(FieldTypeTp.LongLong, { collate });
      fc.assert(
        fc.property(fc.array(fc.option(target, { nil: null }), { maxLength: 12 }), pattern, (targets, p) => {
          const col = ChunkedVecBytes.fromValues(targets);
          const e = scalarFunc(S.LikeSig, ret, columnRef(0, ft), constBytes(p, ft), constInt(92));
          const vec = evalRows(e, [ft], [col]);
          const scalarOnly = (sig: number) => {
            const m = lookupRpnFn(sig);
            return m === undefined ? undefined : { ...m, vector: undefined };
          };
          expect(vec).toEqual(evalRows(e, [ft], [col], null, undefined, scalarOnly));
          // and against a regular expression over the same characters
          const escapeRe = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          const re = new RegExp(`^${p.split("%").map(escapeRe).join(".*")}$`, "su");
          expect(vec).toEqual(targets.map((t) => (t === null ? null : re.test(t) ? 1n : 0n)));
        }),
      );
    }
  });
});
