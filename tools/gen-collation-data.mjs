#!/usr/bin/env node
// Generates the collation weight tables of @copr/datatype (packages/datatype/data/*.bin) from the
// tables TiKV publishes in components/tidb_query_datatype/src/codec/collation.
//
// Usage: node tools/gen-collation-data.mjs [path-to-tikv-git-dir] [git-rev]
//   defaults: /work/.mirror/tikv+tikv/repo and HEAD. Works on a bare repository (uses `git show`).
//
// Output format (read by packages/datatype/src/collation/data.ts), all integers little-endian:
//   "CPCL" | u8 version (1) | u8 0 | u16 0 | u32 rawLength | zlib(raw)
//   raw = sections: u8 nameLength | name (ASCII) | u32 valueCount | u8 codec | u32 byteLength | bytes
//   codec 1: u32 values, each stored as the zigzag LEB128 varint of (value - previous) mod 2^32.
// The output is deterministic: same inputs, same bytes.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const repo = process.argv[2] ?? "/work/.mirror/tikv+tikv/repo";
const rev = process.argv[3] ?? "HEAD";
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
 * Rebuilds gb18030_bin (the GB18030 encoding of every code point, as TiKV/TiDB's encoder
 * produces it) when the TiKV blob is not available. Sources: the two-byte part of gbk_bin.data
 * (the same WHATWG index TiKV's gb18030 encoder falls back to), TiKV's explicit mapping list in
 * encoding/gb18030_data.rs (which wins), and GB18030's rule that four-byte codes enumerate, in
 * code point order, the BMP code points without a two-byte code in the original (2000) table,
 * then the supplementary planes from 0x90308130.
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
  let idx = 0;
  for (let cp = 0; cp < GB18030_SIZE; cp++) {
    let w;
    if (cp < 0x80) w = cp;
    else if (cp < 0x10000) {
      if (cp >= 0xd800 && cp <= 0xdfff) w = 0x3f;
      else {
        if (!original.has(cp)) w = fourByteCode(idx++);
        if (twoByte.has(cp)) w = twoByte.get(cp);
      }
    } else w = fourByteCode(cp - 0x10000 + 189000);
    const e = explicit.get(cp);
    weights[cp] = e ?? w;
  }
  if (idx !== 39420) fail(`GB18030 four-byte BMP range has ${idx} code points, expected 39420`);
  return weights;
}

function genGbAndGb18030() {
  const gbkBin = readGbkTable("gbk_bin.data");
  writeTable("gbk-bin.bin", [["weight", gbkBin]]);
  writeTable("gbk-chinese-ci.bin", [["weight", readGbkTable("gbk_chinese_ci.data")]]);

  let bin = readGb18030Table("gb18030_bin.data");
  if (bin === undefined) {
    console.warn("gb18030_bin.data is not readable in the TiKV repository: rebuilding it");
    bin = rebuildGb18030Bin(gbkBin);
  }
  writeTable("gb18030-bin.bin", [["weight", bin]]);

  const ci = readGb18030Table("gb18030_chinese_ci.data");
  if (ci === undefined) {
    console.warn(
      "gb18030_chinese_ci.data is not readable in the TiKV repository: gb18030-chinese-ci.bin not written",
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
