// Loader for the collation weight tables generated from TiKV's codec/collation tables
// (general_ci planes, utf8mb4_uca/data_*.rs, gbk_*.data, gb18030_*.data) by tools/gen-collation-data.mjs.

import { readFileSync } from "node:fs";
import { inflateSync } from "node:zlib";
import { CodecError, UnsupportedError } from "../errors.js";

/** The sections of one data file, by name. */
export type CollationData = ReadonlyMap<string, Uint32Array>;

const MAGIC = 0x4c435043; // "CPCL" read as a little-endian u32
const VERSION = 1;
const CODEC_DELTA_VARINT = 1;
const FORMAT = "collation data";

const cache = new Map<string, CollationData>();

/**
 * Reads and decodes `packages/datatype/data/<file>` once (later calls return the cached
 * tables). Throws {@link UnsupportedError} naming the file when it is missing and
 * {@link CodecError} naming it when it is corrupt.
 */
export function loadCollationData(file: string): CollationData {
  let data = cache.get(file);
  if (data === undefined) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(new URL(`../../data/${file}`, import.meta.url));
    } catch (e) {
      throw new UnsupportedError(
        `collation data file ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}); run tools/gen-collation-data.mjs`,
      );
    }
    data = parseCollationData(file, bytes);
    cache.set(file, data);
  }
  return data;
}

/**
 * Decodes the bytes of a data file (format documented in tools/gen-collation-data.mjs). `file`
 * only names the file in errors. Throws {@link CodecError} on any inconsistency.
 */
export function parseCollationData(file: string, bytes: Uint8Array): CollationData {
  const bad = (detail: string, offset?: number): CodecError =>
    new CodecError(FORMAT, `${file}: ${detail}`, offset);
  if (bytes.length < 12) throw bad("file too short");
  const head = new DataView(bytes.buffer, bytes.byteOffset, 12);
  if (head.getUint32(0, true) !== MAGIC) throw bad("bad magic", 0);
  if (bytes[4] !== VERSION) throw bad(`unsupported version ${bytes[4]}`, 4);
  const rawLength = head.getUint32(8, true);
  let raw: Uint8Array;
  try {
    raw = inflateSync(bytes.subarray(12));
  } catch (e) {
    throw bad(`cannot inflate (${(e as Error).message})`, 12);
  }
  if (raw.length !== rawLength) throw bad(`inflated to ${raw.length} bytes, expected ${rawLength}`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const sections = new Map<string, Uint32Array>();
  let o = 0;
  while (o < raw.length) {
    const nameLength = raw[o++];
    if (o + nameLength + 9 > raw.length) throw bad("truncated section header", o);
    let name = "";
    for (let i = 0; i < nameLength; i++) name += String.fromCharCode(raw[o + i]);
    o += nameLength;
    const count = view.getUint32(o, true);
    const codec = raw[o + 4];
    const byteLength = view.getUint32(o + 5, true);
    o += 9;
    const end = o + byteLength;
    if (codec !== CODEC_DELTA_VARINT) throw bad(`section ${name}: unknown codec ${codec}`, o - 5);
    if (end > raw.length) throw bad(`section ${name}: truncated`, o);
    const values = new Uint32Array(count);
    let prev = 0;
    let p = o;
    for (let i = 0; i < count; i++) {
      let z = 0;
      let shift = 0;
      let c: number;
      do {
        if (p >= end || shift > 28) throw bad(`section ${name}: bad varint`, p);
        c = raw[p++];
        z += (c & 0x7f) * 2 ** shift;
        shift += 7;
      } while (c & 0x80);
      prev = (prev + ((z >>> 1) ^ -(z & 1))) >>> 0;
      values[i] = prev;
    }
    if (p !== end) throw bad(`section ${name}: ${end - p} trailing bytes`, p);
    sections.set(name, values);
    o = end;
  }
  return sections;
}

/**
 * The section `name` of `data`, checked to hold `length` values (any length when omitted).
 * Throws {@link CodecError} naming `file` otherwise.
 */
export function dataSection(data: CollationData, file: string, name: string, length?: number): Uint32Array {
  const s = data.get(name);
  if (s === undefined) throw new CodecError(FORMAT, `${file}: missing section ${name}`);
  if (length !== undefined && s.length !== length) {
    throw new CodecError(FORMAT, `${file}: section ${name} has ${s.length} values, expected ${length}`);
  }
  return s;
}
