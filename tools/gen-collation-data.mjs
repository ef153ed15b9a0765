#!/usr/bin/env node
// Generates the collation weight tables of @copr/datatype (packages/datatype/data/*.bin) from the
// tables TiKV publishes in components/tidb_query_datatype/src/codec/collation.
//
// Usage: node tools/gen-collation-data.mjs [--mysql-gb18030=FILE] [path-to-tikv-git-dir] [git-rev]
//   defaults: /work/.mirror/tikv+tikv/repo and HEAD. Works on a bare repository (uses `git show`).
//   --mysql-gb18030=FILE: a saved copy of MySQL's strings/ctype-gb18030.cc (or of the 5.7
//   strings/ctype-gb18030.c, which the committed file was made from). Used only when TiKV's
//   gb18030_chinese_ci.data blob is unreadable: gb18030-chinese-ci.bin is then computed from the
//   tables in FILE (sort_order, the case pages, the pinyin sequence numbers, the two-byte
//   decoding table) with MySQL's gb18030_chinese_ci weight rule, applied to the gb18030_bin code
//   of every code point (its GB18030-2005 code; surrogates have U+FFFD's), and must match the
//   blob id TiKV's tree records for gb18030_chinese_ci.data, else nothing is written. Without it
//   (and without the blob) gb18030-chinese-ci.bin is not written.
//   gb18030_bin.data, when its blob is unreadable, is rebuilt without FILE (see
//   rebuildGb18030Bin) and must match the blob id TiKV's tree records, else the run fails.
//
// Output format (read by packages/datatype/src/collation/data.ts), all integers little-endian:
//   "CPCL" | u8 version (1) | u8 0 | u16 0 | u32 rawLength | zlib(raw)
//   raw = sections: u8 nameLength | name (ASCII) | u32 valueCount | u8 codec | u32 byteLength | bytes
//   codec 1: u32 values, each stored as the zigzag LEB128 varint of (value - previous) mod 2^32.
// The output is deterministic: same inputs, same bytes.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const MYSQL_FLAG = "--mysql-gb18030=";
const cliArgs = process.argv.slice(2);
const mysqlGb18030 = cliArgs.find((a) => a.startsWith(MYSQL_FLAG))?.slice(MYSQL_FLAG.length);
const positional = cliArgs.filter((a) => !a.startsWith("--"));
for (const a of cliArgs) {
  if (a.startsWith("--") && !a.startsWith(MYSQL_FLAG))
    throw new Error(`gen-collation-data: unknown option ${a}`);
}
const repo = positional[0] ?? "/work/.mirror/tikv+tikv/repo";
const rev = positional[1] ?? "HEAD";
const outDir = new URL("../packages/datatype/data/", import.meta.url);
const BASE = "components/tidb_query_datatype/src/codec/collation";

function gitShow(path) {
  return execFileSync("git", ["-C", repo, "show", `${rev}:${BASE}/${path}`], {
    maxBuffer: 64 << 20,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function tryGitShow(path) {
  try {
    return gitShow(path);
  } catch {
    return undefined;
  }
}

function fail(msg) {
  throw new Error(`gen-collation-data: ${msg}`);
}

// ---- container ----------------------------------------------------------------------------

function encodeDeltaVarint(values) {
  const out = [];
  let prev = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] >>> 0;
    const d = (v - prev) | 0;
    let z = ((d << 1) ^ (d >> 31)) >>> 0;
    while (z >= 0x80) {
      out.push((z & 0x7f) | 0x80);
      z >>>= 7;
    }
    out.push(z);
    prev = v;
  }
  return Buffer.from(out);
}

function writeTable(file, sections) {
  const parts = [];
  for (const [name, values] of sections) {
    const body = encodeDeltaVarint(values);
    const head = Buffer.alloc(1 + name.length + 4 + 1 + 4);
    let o = head.writeUInt8(name.length, 0);
    o += head.write(name, o, "ascii");
    o = head.writeUInt32LE(values.length, o);
    o = head.writeUInt8(1, o);
    head.writeUInt32LE(body.length, o);
    parts.push(head, body);
  }
  const raw = Buffer.concat(parts);
  const header = Buffer.alloc(12);
  header.write("CPCL", 0, "ascii");
  header.writeUInt8(1, 4);
  header.writeUInt32LE(raw.length, 8);
  const bytes = Buffer.concat([header, deflateSync(raw, { level: 9 })]);
  writeFileSync(new URL(file, outDir), bytes);
  console.log(`${file}: ${bytes.length} bytes (raw sections ${raw.length} bytes)`);
}

// ---- Rust source parsing ------------------------------------------------------------------

function stripComments(src) {
  return src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "");
}

/** Parses `static NAME: [T; N] = [ ... ];` into BigInts, checking the declared length. */
function parseRustArray(src, name) {
  const re = new RegExp(
    `static\\s+${name}\\s*:\\s*\\[\\s*\\w+\\s*;\\s*(0x[0-9A-Fa-f]+|\\d+)\\s*\\]\\s*=\\s*\\[`,
  );
  const m = re.exec(src);
  if (!m) fail(`array ${name} not found`);
  const start = m.index + m[0].length;
  const end = src.indexOf("]", start);
  const items = src
    .slice(start, end)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => BigInt(s));
  if (items.length !== Number(m[1])) fail(`array ${name}: ${items.length} items, declared ${m[1]}`);
  return items;
}

/** Parses the `match r { 0x.. => 0x.., ... }` arms of `fn map_long_rune`. */
function parseLongRunes(src) {
  const fn = src.indexOf("fn map_long_rune");
  if (fn < 0) fail("map_long_rune not found");
  const body = src.slice(fn, src.indexOf("\n}", fn));
  const arms = [...body.matchAll(/(0x[0-9A-Fa-f]+)\s*=>\s*(0x[0-9A-Fa-f]+)/g)];
  if (arms.length === 0) fail("map_long_rune has no arms");
  return arms.map(([, cp, w]) => [Number(cp), BigInt(w)]);
}

function u64Halves(values) {
  const lo = new Uint32Array(values.length);
  const hi = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    lo[i] = Number(values[i] & 0xffffffffn);
    hi[i] = Number(values[i] >> 32n);
  }
  return [lo, hi];
}

function longRuneSection(arms) {
  const out = [];
  for (const [cp, w] of arms) {
    out.push(cp);
    for (let k = 0n; k < 4n; k++) out.push(Number((w >> (32n * k)) & 0xffffffffn));
  }
  return Uint32Array.from(out);
}

// ---- utf8mb4_general_ci -------------------------------------------------------------------

function genGeneralCi() {
  const src = stripComments(gitShow("collator/utf8mb4_general_ci.rs").toString("utf8"));
  const weights = new Uint32Array(0x10000);
  for (let i = 0; i < weights.length; i++) weights[i] = i;
  const m = /GENERAL_CI_PLANE_TABLE\s*:[^=]*=\s*\[([\s\S]*?)\];/.exec(src);
  if (!m) fail("GENERAL_CI_PLANE_TABLE not found");
  const slots = m[1]
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (slots.length !== 256) fail(`GENERAL_CI_PLANE_TABLE has ${slots.length} slots`);
  slots.forEach((slot, plane) => {
    if (slot === "None") return;
    const name = /Some\(&(\w+)\)/.exec(slot)?.[1] ?? fail(`bad plane slot ${slot}`);
    parseRustArray(src, name).forEach((w, i) => {
      weights[(plane << 8) | i] = Number(w);
    });
  });
  writeTable("general-ci.bin", [["weight", weights]]);
}

// ---- UCA ------------------------------------------------------------------------------------

function genUca(version) {
  const src = stripComments(gitShow(`collator/utf8mb4_uca/data_${version}.rs`).toString("utf8"));
  const [lo, hi] = u64Halves(parseRustArray(src, "UNICODE_CI_TABLE"));
  writeTable(`uca-${version}.bin`, [
    ["lo", lo],
    ["hi", hi],
    ["long", longRuneSection(parseLongRunes(src))],
  ]);
}

// ---- gbk ----------------------------------------------------------------------------------

function readGbkTable(file) {
  const buf = gitShow(`collator/${file}`);
  if (buf.length !== 0x10000 * 2) fail(`${file}: ${buf.length} bytes, expected ${0x10000 * 2}`);
  const weights = new Uint32Array(0x10000);
  for (let i = 0; i < weights.length; i++) weights[i] = buf.readUInt16BE(i * 2);
  return weights;
}

// ---- gb18030 ------------------------------------------------------------------------------

const GB18030_SIZE = 0x110000;

function readGb18030Table(file) {
  const buf = tryGitShow(`collator/${file}`);
  if (buf === undefined) return undefined;
  if (buf.length !== GB18030_SIZE * 4) fail(`${file}: ${buf.length} bytes, expected ${GB18030_SIZE * 4}`);
  const weights = new Uint32Array(GB18030_SIZE);
  for (let i = 0; i < weights.length; i++) weights[i] = buf.readUInt32LE(i * 4);
  return weights;
}

/** GB18030 four-byte code of a linear four-byte index. */
function fourByteCode(idx) {
  const b4 = 0x30 + (idx % 10);
  idx = Math.floor(idx / 10);
  const b3 = 0x81 + (idx % 126);
  idx = Math.floor(idx / 126);
  const b2 = 0x30 + (idx % 10);
  const b1 = 0x81 + Math.floor(idx / 10);
  return ((b1 << 24) | (b2 << 16) | (b3 << 8) | b4) >>> 0;
}

/**
 * Rebuilds gb18030_bin when the TiKV blob is not available. TiKV's table holds the
 * GB18030-2005 code of every code point, not the GB18030-2022 codes TiKV's own encoder
 * (encoding/gb18030.rs) produces; the two differ on the 36 code points 2022 swapped, and the
 * table gives surrogates U+FFFD's code (checked against the blob id TiKV's tree records).
 * Sources: the two-byte part of gbk_bin.data (the WHATWG index TiKV's gb18030 encoder falls
 * back to), TiKV's explicit mapping list in encoding/gb18030_data.rs (which wins), and
 * GB18030's rule that four-byte codes enumerate, in code point order, the BMP code points
 * without a two-byte code in the original (2000) table, then the supplementary planes from
 * 0x90308130. That gives the 2022 codes; `undoGb18030Revision2022` then restores 2005's.
 */
function rebuildGb18030Bin(gbkBin) {
  const src = gitShow("encoding/gb18030_data.rs").toString("utf8");
  const pairs = [...src.matchAll(/\((0x[0-9A-Fa-f]+),\s*'\\u\{([0-9A-Fa-f]+)\}'\)/g)].map(([, code, cp]) => [
    Number(code),
    Number.parseInt(cp, 16),
  ]);
  if (pairs.length < 2000) fail(`gb18030_data.rs: only ${pairs.length} mappings parsed`);
  const explicit = new Map();
  for (const [code, cp] of pairs) explicit.set(cp, code); // later entries win, as in TiKV's HashMap

  // Two-byte code points of the original (2000) table, which fixes the four-byte enumeration:
  // GBK's two-byte code points, the euro sign (0x80 in GBK, 0xA2E3 in GB18030) and the
  // two-byte entries of TiKV's list; then undo the later revisions. GB18030-2005 swapped U+E7C7
  // and U+1E3F (0xA8BC), and GB18030-2022 gave two-byte codes to U+FE10..FE19 and U+9FB4..9FBB,
  // moving the private-use code points they replaced to the four-byte codes those characters
  // had; TiKV's list carries those moves as its BMP four-byte entries.
  const twoByte = new Map();
  for (let cp = 0x80; cp < 0x10000; cp++) if (gbkBin[cp] > 0xff) twoByte.set(cp, gbkBin[cp]);
  twoByte.set(0x20ac, 0xa2e3);
  const original = new Set(twoByte.keys());
  const movedOut = [];
  for (const [cp, code] of explicit) {
    if (cp >= 0x10000) continue;
    if (code <= 0xffff) original.add(cp);
    else movedOut.push(cp);
  }
  const revised2022 = [];
  for (let cp = 0xfe10; cp <= 0xfe19; cp++) revised2022.push(cp);
  for (let cp = 0x9fb4; cp <= 0x9fbb; cp++) revised2022.push(cp);
  for (const cp of revised2022) if (!original.delete(cp)) fail(`U+${cp.toString(16)} has no two-byte code`);
  for (const cp of movedOut) original.add(cp);
  if (!original.delete(0x1e3f)) fail("U+1E3F has no two-byte code");
  if (original.size !== 23940) fail(`GB18030 two-byte set has ${original.size} code points, expected 23940`);

  const weights = new Uint32Array(GB18030_SIZE);
  const enumerated = new Map(); // four-byte code -> the 2022-revised character it enumerates
  let idx = 0;
  for (let cp = 0; cp < GB18030_SIZE; cp++) {
    let w;
    if (cp < 0x80) w = cp;
    else if (cp < 0x10000) {
      if (cp >= 0xd800 && cp <= 0xdfff) w = 0x3f;
      else {
        if (!original.has(cp)) {
          w = fourByteCode(idx++);
          if (revised2022.includes(cp)) enumerated.set(w, cp);
        }
        if (twoByte.has(cp)) w = twoByte.get(cp);
      }
    } else w = fourByteCode(cp - 0x10000 + 189000);
    const e = explicit.get(cp);
    weights[cp] = e ?? w;
  }
  if (idx !== 39420) fail(`GB18030 four-byte BMP range has ${idx} code points, expected 39420`);
  undoGb18030Revision2022(weights, movedOut, enumerated);
  return weights;
}

/**
 * Turns the GB18030-2022 codes of `weights` into GB18030-2005 codes, in place. 2022 gave each
 * character C in U+FE10..FE19, U+9FB4..9FBB the two-byte code of a private-use code point P and
 * gave P the four-byte code C had (C's place in the four-byte enumeration). `movedOut` are the
 * P (BMP code points with a four-byte code in TiKV's list, but for U+E7C7, moved by 2005
 * already), `enumerated` maps the four-byte code of each C to C. Swapping back: C takes its
 * four-byte code again, P the two-byte code. Surrogates take U+FFFD's code, as in TiKV's table.
 */
function undoGb18030Revision2022(weights, movedOut, enumerated) {
  let swapped = 0;
  for (const pua of movedOut) {
    if (pua === 0xe7c7) continue; // GB18030-2005's own move (U+1E3F took 0xA8BC): kept
    if (pua < 0xe000 || pua > 0xf8ff)
      fail(`U+${pua.toString(16)} has a four-byte code but is not private-use`);
    const four = weights[pua];
    const ch = enumerated.get(four);
    if (ch === undefined)
      fail(`U+${pua.toString(16)} (0x${four.toString(16)}): no revised character has that code`);
    const two = weights[ch];
    if (two <= 0xff || two > 0xffff)
      fail(`U+${ch.toString(16)}: 2022 code 0x${two.toString(16)} is not two-byte`);
    weights[ch] = four;
    weights[pua] = two;
    enumerated.delete(four);
    swapped++;
  }
  if (swapped !== 18 || enumerated.size !== 0) {
    fail(
      `GB18030-2022 revision: ${swapped} code swaps undone, ${enumerated.size} unpaired, expected 18 and 0`,
    );
  }
  console.log(
    `gb18030_bin: ${swapped} GB18030-2022 code swaps (${swapped * 2} code points) mapped back to 2005`,
  );
  for (let cp = 0xd800; cp <= 0xdfff; cp++) weights[cp] = weights[0xfffd];
}

// ---- gb18030_chinese_ci from MySQL's ctype-gb18030 -----------------------------------------

/**
 * Splits C source into tokens, dropping comments and whitespace: numbers and character literals
 * become `{ n }`, identifiers `{ id }`, punctuation `{ p }`. Only what the tables need.
 */
function tokenizeC(src) {
  const tokens = [];
  const re =
    /\s+|\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\])*"|'((?:\\.|[^'\\])+)'|(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|([A-Za-z_]\w*)|([^\s])/gy;
  while (re.lastIndex < src.length) {
    const at = re.lastIndex;
    const m = re.exec(src);
    if (m === null) fail(`cannot tokenize C source at offset ${at}`);
    if (m[1] !== undefined) tokens.push({ n: cCharValue(m[1]) });
    else if (m[2] !== undefined) tokens.push({ n: Number(m[2]) });
    else if (m[3] !== undefined) tokens.push({ id: m[3] });
    else if (m[4] !== undefined) tokens.push({ p: m[4] });
  }
  return tokens;
}

function cCharValue(body) {
  if (body.length === 1) return body.charCodeAt(0);
  const simple = { "\\'": 0x27, '\\"': 0x22, "\\\\": 0x5c, "\\n": 0x0a, "\\t": 0x09, "\\0": 0 };
  if (body in simple) return simple[body];
  fail(`unsupported C character literal '${body}'`);
}

function tokenIndex(tokens, name, next) {
  for (let i = 0; i < tokens.length - 1; i++) {
    if (tokens[i].id === name && tokens[i + 1].p === next) return i;
  }
  return fail(`${name} not found in the MySQL source`);
}

/** `NAME = <number>;` (a `static const uint` constant). */
function cConstant(tokens, name) {
  const i = tokenIndex(tokens, name, "=");
  if (tokens[i + 2].n === undefined || tokens[i + 3].p !== ";") fail(`${name} is not a plain constant`);
  return tokens[i + 2].n;
}

/**
 * The initializer of `NAME[...] = { ... };` as a list of entries: numbers, identifiers (NULL,
 * table names) or, for `{a, b, c}` struct entries, arrays of numbers.
 */
function cArray(tokens, name) {
  let i = tokenIndex(tokens, name, "[");
  while (tokens[i].p !== "{") i++;
  const entries = [];
  let group;
  for (i++; ; i++) {
    const t = tokens[i];
    if (t === undefined) fail(`${name}: unterminated initializer`);
    if (t.p === "{") {
      if (group !== undefined) fail(`${name}: nested braces`);
      group = [];
    } else if (t.p === "}") {
      if (group === undefined) break;
      entries.push(group);
      group = undefined;
    } else if (t.p === ",") {
    } else if (t.n !== undefined || t.id !== undefined) {
      const v = t.n ?? t.id;
      if (group !== undefined) group.push(v);
      else entries.push(v);
    } else fail(`${name}: unexpected token ${JSON.stringify(t)}`);
  }
  return entries;
}

function numberArray(tokens, name, length) {
  const a = cArray(tokens, name);
  if (a.some((v) => typeof v !== "number")) fail(`${name}: not a number array`);
  if (length !== undefined && a.length !== length) fail(`${name}: ${a.length} entries, expected ${length}`);
  return a;
}

/** GB18030 four-byte code -> its linear index (0 for 0x81308130). */
function fourByteIndex(code) {
  const b1 = code >>> 24;
  const b2 = (code >>> 16) & 0xff;
  const b3 = (code >>> 8) & 0xff;
  const b4 = code & 0xff;
  if (b1 < 0x81 || b1 > 0xfe || b2 < 0x30 || b2 > 0x39 || b3 < 0x81 || b3 > 0xfe || b4 < 0x30 || b4 > 0x39) {
    fail(`0x${code.toString(16)} is not a four-byte GB18030 code`);
  }
  return (((b1 - 0x81) * 10 + (b2 - 0x30)) * 126 + (b3 - 0x81)) * 10 + (b4 - 0x30);
}

/**
 * Reads what gb18030_chinese_ci needs from MySQL's ctype-gb18030 source: the one-byte sort
 * order, the case-folding pages (MY_UNICASE_CHARACTER {toupper, tolower, sort}), the pinyin
 * sequence numbers of the three Chinese ranges, and the constants that place them.
 */
function readMysqlGb18030(file) {
  const tokens = tokenizeC(readFileSync(file, "latin1"));
  const k = (name) => cConstant(tokens, name);
  const m = {
    sortOrder: numberArray(tokens, "sort_order_gb18030", 256),
    pinyinBase: k("PINYIN_WEIGHT_BASE"),
    commonBase: k("COMMON_WEIGHT_BASE"),
    unicase4Offset: k("UNICASE_4_BYTE_OFFSET"),
    unicase2Min: k("MIN_2_BYTE_UNICASE"),
    unicase2Max: k("MAX_2_BYTE_UNICASE"),
    unicase3Min: k("MIN_3_BYTE_FROM_UNI"),
    unicase3Max: k("MAX_3_BYTE_FROM_UNI"),
    pinyin2: { start: k("PINYIN_2_BYTE_START"), end: k("PINYIN_2_BYTE_END") },
    pinyin4: [
      { start: k("PINYIN_4_BYTE_1_START"), end: k("PINYIN_4_BYTE_1_END"), diff: k("PINYIN_4_1_DIFF") },
      { start: k("PINYIN_4_BYTE_2_START"), end: k("PINYIN_4_BYTE_2_END"), diff: k("PINYIN_4_2_DIFF") },
    ],
    pages: new Array(256).fill(undefined),
  };
  // Two-byte pinyin table: rows of 190 trail bytes (0x40..0x7E, 0x80..0xFE).
  const { start, end } = m.pinyin2;
  const span2 = ((end >>> 8) - (start >>> 8)) * 190 + twoByteColumn(end) - twoByteColumn(start) + 1;
  m.pinyin2.seq = numberArray(tokens, "gb18030_2_weight_py", span2);
  ["gb18030_4_weight_py_p1", "gb18030_4_weight_py_p2"].forEach((name, i) => {
    const r = m.pinyin4[i];
    if (fourByteIndex(r.start) !== r.diff) fail(`${name}: range start and diff disagree`);
    r.seq = numberArray(tokens, name, fourByteIndex(r.end) - r.diff + 1);
  });
  // GB18030-2005 decoding of the two-byte codes: rows of 192 trail bytes (0x40..0xFF), 0 = unassigned.
  m.twoByteToUnicode = numberArray(tokens, "tab_gb18030_2_uni", 126 * 192);
  const pageNames = cArray(tokens, "my_caseinfo_pages_gb18030");
  if (pageNames.length !== 256) fail(`my_caseinfo_pages_gb18030 has ${pageNames.length} entries`);
  pageNames.forEach((pageName, hi) => {
    if (pageName === "NULL" || pageName === "nullptr") return;
    const page = cArray(tokens, pageName);
    if (page.length !== 256 || page.some((e) => !Array.isArray(e) || e.length !== 3)) {
      fail(`${pageName}: expected 256 {toupper, tolower, sort} entries`);
    }
    m.pages[hi] = page;
  });
  return m;
}

function twoByteColumn(code) {
  const lo = code & 0xff;
  if (lo < 0x40 || lo > 0xfe || lo === 0x7f) fail(`0x${code.toString(16)} is not a two-byte GB18030 code`);
  return lo < 0x7f ? lo - 0x40 : lo - 0x41;
}

/**
 * MySQL's gb18030_chinese_ci weight of one GB18030 code (1, 2 or 4 bytes, as a number):
 * one-byte codes weigh their sort_order entry; Chinese characters (non-zero pinyin sequence
 * number) weigh PINYIN_WEIGHT_BASE + that number; any other character weighs its upper-case
 * form (itself when it has none), as the two-byte code itself or, for a four-byte code,
 * COMMON_WEIGHT_BASE + its linear index; GB+FE39FE39 weighs 0xFFFFFFFF.
 */
function mysqlGb18030CiWeight(m, code) {
  if (code <= 0xff) {
    if (code > 0x7f) fail(`0x${code.toString(16)} is not a GB18030 code`);
    return m.sortOrder[code];
  }
  if (code === 0xfe39fe39) return 0xffffffff;
  const four = code > 0xffff;
  let seq = 0;
  if (!four) {
    if (code >= m.pinyin2.start && code <= m.pinyin2.end) {
      const idx =
        ((code >>> 8) - (m.pinyin2.start >>> 8)) * 190 + twoByteColumn(code) - twoByteColumn(m.pinyin2.start);
      seq = m.pinyin2.seq[idx];
    }
  } else {
    for (const r of m.pinyin4) {
      if (code >= r.start && code <= r.end) seq = r.seq[fourByteIndex(code) - r.diff];
    }
  }
  if (seq !== 0) return (m.pinyinBase + seq) >>> 0;
  const upper = mysqlGb18030Upper(m, code, four);
  return upper <= 0xffff ? upper : (m.commonBase + fourByteIndex(upper)) >>> 0;
}

/** The upper-case GB18030 code of a two- or four-byte code, or the code itself. */
function mysqlGb18030Upper(m, code, four) {
  let key;
  if (!four) {
    const lead = code >>> 8;
    if (lead < m.unicase2Min >>> 8 || lead > m.unicase2Max >>> 8) return code;
    key = code;
  } else {
    const idx = fourByteIndex(code);
    if (idx < m.unicase2Min - m.unicase4Offset) key = idx + m.unicase4Offset;
    else if (idx >= m.unicase3Min && idx <= m.unicase3Max) key = idx & 0xffff;
    else return code;
  }
  const page = m.pages[key >>> 8];
  if (page === undefined) return code;
  const up = page[key & 0xff][0];
  if (up === 0) return code;
  // Case-page codes: < 0x80 and 0xA000..0xDFFF are GB18030 codes, other values are linear
  // four-byte indexes (offset by 0x80 below 0xA000, or the low 16 bits of 0x2E6xx).
  if (up < m.unicase4Offset || (up >= m.unicase2Min && up <= m.unicase2Max)) return up;
  let idx;
  if (up < m.unicase2Min) idx = up - m.unicase4Offset;
  else if (up >= (m.unicase3Min & 0xffff) && up <= (m.unicase3Max & 0xffff))
    idx = up + (m.unicase3Min & 0xff0000);
  else fail(`case page value 0x${up.toString(16)} has no GB18030 code`);
  return fourByteCode(idx);
}

/**
 * Checks that `bin` holds the GB18030-2005 codes MySQL's gb18030 uses (as TiKV's gb18030_bin
 * table does): every two-byte code must decode, in MySQL's two-byte table, to its own code
 * point, and surrogates must carry U+FFFD's code (the table TiKV/TiDB ship weighs them as
 * U+FFFD).
 */
function checkGb18030Codes2005(bin, m) {
  for (let cp = 0x80; cp < GB18030_SIZE; cp++) {
    const code = bin[cp];
    if (cp >= 0xd800 && cp <= 0xdfff) {
      if (code !== bin[0xfffd]) fail(`surrogate U+${cp.toString(16)} does not have U+FFFD's code`);
      continue;
    }
    if (code <= 0xff || code > 0xffff) continue;
    const lead = code >>> 8;
    const trail = code & 0xff;
    if (lead < 0x81 || lead > 0xfe || trail < 0x40) fail(`U+${cp.toString(16)}: bad two-byte code`);
    const decoded = m.twoByteToUnicode[(lead - 0x81) * 192 + trail - 0x40];
    if (decoded !== cp) {
      fail(
        `U+${cp.toString(16)} has 0x${code.toString(16)}, which MySQL's gb18030 (GB18030-2005) decodes as U+${decoded.toString(16)}`,
      );
    }
  }
}

/** gb18030_chinese_ci per code point: MySQL's weight of the code point's GB18030-2005 code. */
function deriveGb18030ChineseCi(bin, file) {
  const m = readMysqlGb18030(file);
  checkGb18030Codes2005(bin, m);
  const weights = new Uint32Array(GB18030_SIZE);
  for (let cp = 0; cp < GB18030_SIZE; cp++) weights[cp] = mysqlGb18030CiWeight(m, bin[cp]);
  return weights;
}

/** The blob id git records for `collator/<file>` (readable even when the blob is not). */
function treeBlobId(file) {
  const out = execFileSync("git", ["-C", repo, "ls-tree", rev, `${BASE}/collator/${file}`], {
    stdio: ["ignore", "pipe", "pipe"],
  }).toString("utf8");
  return /^\d+ blob ([0-9a-f]{40})\t/.exec(out)?.[1];
}

function gitBlobId(values) {
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

function genGbAndGb18030() {
  const gbkBin = readGbkTable("gbk_bin.data");
  writeTable("gbk-bin.bin", [["weight", gbkBin]]);
  writeTable("gbk-chinese-ci.bin", [["weight", readGbkTable("gbk_chinese_ci.data")]]);

  let bin = readGb18030Table("gb18030_bin.data");
  if (bin === undefined) {
    console.warn("gb18030_bin.data is not readable in the TiKV repository: rebuilding it");
    bin = rebuildGb18030Bin(gbkBin);
    const want = treeBlobId("gb18030_bin.data");
    const got = gitBlobId(bin);
    if (want === undefined) console.warn("gb18030_bin.data has no tree entry: rebuilt table not checked");
    else if (want !== got) fail(`rebuilt gb18030_bin table has blob id ${got}, TiKV's tree records ${want}`);
    else console.log(`gb18030_bin: rebuilt table matches TiKV's blob ${want}`);
  }
  writeTable("gb18030-bin.bin", [["weight", bin]]);

  let ci = readGb18030Table("gb18030_chinese_ci.data");
  if (ci === undefined && mysqlGb18030 !== undefined) {
    console.warn(
      `gb18030_chinese_ci.data is not readable in the TiKV repository: deriving it from ${mysqlGb18030}`,
    );
    ci = deriveGb18030ChineseCi(bin, mysqlGb18030);
    const want = treeBlobId("gb18030_chinese_ci.data");
    const got = gitBlobId(ci);
    if (want === undefined)
      console.warn("gb18030_chinese_ci.data has no tree entry: derived table not checked");
    else if (want !== got)
      fail(`derived gb18030_chinese_ci table has blob id ${got}, TiKV's tree records ${want}`);
    else console.log(`gb18030_chinese_ci: derived table matches TiKV's blob ${want}`);
  }
  if (ci === undefined) {
    console.warn(
      "gb18030_chinese_ci.data is not readable in the TiKV repository and --mysql-gb18030 is not given: gb18030-chinese-ci.bin not written",
    );
  } else {
    writeTable("gb18030-chinese-ci.bin", [["weight", ci]]);
  }
}

mkdirSync(outDir, { recursive: true });
genGeneralCi();
genUca("0400");
genUca("0900");
genGbAndGb18030();
