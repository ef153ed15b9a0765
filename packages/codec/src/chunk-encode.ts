// Encoding columns into the Chunk RPC format (tipb.SelectResponse chunks, encode_type TypeChunk).
// Byte layout of TiKV components/tidb_query_datatype/src/codec/chunk/column.rs
// (`Column::from_vector_value`, `write_chunk_column`), read by TiDB pkg/util/chunk/codec.go.
//
// Every column is written with a few bulk copies where our in-memory layout already is the wire
// layout (validity bitmap, Float64/BigInt64/Decimal/DateTime words, var-length data); values that
// need converting (Int and Duration held as doubles, FLOAT narrowing) go through one tight loop
// that writes 32-bit words. A selection (logical rows) takes a gather loop instead of the copies.

import {
  assert,
  type Batch,
  type ChunkedVecBytes,
  type ChunkedVecDateTime,
  type ChunkedVecDecimal,
  type ChunkedVecDuration,
  type ChunkedVecEnum,
  type ChunkedVecInt,
  type ChunkedVecJson,
  type ChunkedVecReal,
  type ChunkedVecSet,
  type ChunkedVecVectorFloat32,
  type Column,
  DECIMAL_CHUNK_WORDS,
  EvalType,
  evalTypeOf,
  type FieldType,
  FieldTypeTp,
  type LogicalRows,
  UnsupportedError,
} from "@copr/datatype";
import { type ByteWriter, putU32 } from "./buf.js";
import {
  bitChunkBytes,
  bytesOf,
  CHUNK_COLUMN_HEADER_BYTES,
  CHUNK_OFFSET_BYTES,
  commitWords,
  memberNameBytes,
  wordsAt,
} from "./chunk-layout.js";

const TWO_32 = 4_294_967_296;
/** Copies shorter than this go byte by byte (cheaper than a subarray view plus `set`). */
const SMALL_COPY = 48;

/** What the size pass learns about one column, reused by the write pass. */
interface ColumnPlan {
  /** NULL rows among the encoded rows. */
  nulls: number;
  /** Bytes of the value section (fixed values, or var-length data without the offsets). */
  dataBytes: number;
  /** True when the column's wire layout is var-length (offsets present). */
  varLen: boolean;
}

/**
 * The number of bytes {@link encodeChunk} writes for these columns and rows. Same arguments and
 * checks as {@link encodeChunk}.
 */
export function chunkEncodedSize(
  columns: readonly Column[],
  fieldTypes: readonly FieldType[],
  logicalRows: LogicalRows = null,
): number {
  const plans = planChunk(columns, fieldTypes, logicalRows);
  let total = 0;
  for (const p of plans) total += p.bytes;
  return total;
}

/**
 * Encodes `columns` (one per field type, all of the same length) in the Chunk RPC format, the
 * bytes TiKV puts in `tipb.Chunk.rows_data` when the DAG request asks for `TypeChunk`. Only the
 * rows of `logicalRows` are written, in that order (null: every row). The field type decides the
 * wire layout (e.g. FLOAT narrows to 4 bytes, BIT becomes var-length big-endian bytes), the
 * column's eval type must be the field type's. Throws an UnsupportedError for a BIT wider than
 * 64 bits (TiKV does not implement it either).
 */
export function encodeChunk(
  columns: readonly Column[],
  fieldTypes: readonly FieldType[],
  logicalRows: LogicalRows = null,
): Uint8Array {
  const plans = planChunk(columns, fieldTypes, logicalRows);
  let total = 0;
  for (const p of plans) total += p.bytes;
  const out = new Uint8Array(total);
  writePlanned(out, 0, columns, fieldTypes, logicalRows, plans);
  return out;
}

/**
 * Like {@link encodeChunk}, but writes into `out` at `offset` (which must have room for
 * {@link chunkEncodedSize} bytes) and returns the offset just past the written bytes.
 */
export function encodeChunkInto(
  out: Uint8Array,
  offset: number,
  columns: readonly Column[],
  fieldTypes: readonly FieldType[],
  logicalRows: LogicalRows = null,
): number {
  const plans = planChunk(columns, fieldTypes, logicalRows);
  let total = 0;
  for (const p of plans) total += p.bytes;
  assert(
    Number.isInteger(offset) && offset >= 0 && offset + total <= out.length,
    `no room for ${total} chunk bytes at ${offset}`,
  );
  return writePlanned(out, offset, columns, fieldTypes, logicalRows, plans);
}

/** Appends the chunk encoding of {@link encodeChunk} to `writer`. */
export function writeChunk(
  writer: ByteWriter,
  columns: readonly Column[],
  fieldTypes: readonly FieldType[],
  logicalRows: LogicalRows = null,
): void {
  writer.bytes(encodeChunk(columns, fieldTypes, logicalRows));
}

/**
 * Encodes the live rows of `batch` as TiKV's runner does for a `TypeChunk` response: the columns
 * at `outputOffsets`, each with the field type at the same offset of `schema`.
 */
export function encodeBatchChunk(
  batch: Batch,
  outputOffsets: readonly number[],
  schema: readonly FieldType[],
): Uint8Array {
  const columns: Column[] = [];
  const fts: FieldType[] = [];
  for (const o of outputOffsets) {
    assert(o >= 0 && o < batch.columns.length && o < schema.length, `output offset ${o} out of range`);
    columns.push(batch.columns[o]);
    fts.push(schema[o]);
  }
  return encodeChunk(columns, fts, batch.logicalRows);
}

// ---------------------------------------------------------------------------------------------
// Size pass.

function planChunk(
  columns: readonly Column[],
  fieldTypes: readonly FieldType[],
  rows: LogicalRows,
): (ColumnPlan & { bytes: number })[] {
  assert(
    columns.length === fieldTypes.length,
    `${columns.length} columns for ${fieldTypes.length} field types`,
  );
  if (columns.length === 0) return [];
  const physical = columns[0].length;
  for (const c of columns) assert(c.length === physical, `column of ${c.length} rows among ${physical}`);
  if (rows !== null) {
    let max = 0;
    for (let k = 0; k < rows.length; k++) if (rows[k] > max) max = rows[k];
    assert(rows.length === 0 || max < physical, `logical row ${max} past ${physical} rows`);
  }
  const n = rows === null ? physical : rows.length;
  const plans: (ColumnPlan & { bytes: number })[] = [];
  for (let i = 0; i < columns.length; i++) {
    const col = columns[i];
    const ft = fieldTypes[i];
    assert(
      col.evalType === evalTypeOf(ft),
      `column ${i} holds ${col.evalType}, field type wants ${evalTypeOf(ft)}`,
    );
    if (ft.tp === FieldTypeTp.Bit && (ft.flen ?? -1) > 64) {
      throw new UnsupportedError(`chunk encoding of BIT(${ft.flen})`);
    }
    const nulls = rows === null ? col.nullCount : gatheredNulls(col.validity, rows);
    const p = planColumn(col, ft, rows, n, nulls);
    assert(p.dataBytes < TWO_32, `column ${i} of ${p.dataBytes} bytes`);
    const bitmap = nulls > 0 ? (n + 7) >>> 3 : 0;
    const offsets = p.varLen ? (n + 1) * CHUNK_OFFSET_BYTES : 0;
    plans.push({ ...p, bytes: CHUNK_COLUMN_HEADER_BYTES + bitmap + offsets + p.dataBytes });
  }
  return plans;
}

function gatheredNulls(validity: Uint8Array | null, rows: Uint32Array): number {
  if (validity === null) return 0;
  let nulls = 0;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    if ((validity[r >>> 3] & (1 << (r & 7))) === 0) nulls++;
  }
  return nulls;
}

function planColumn(col: Column, ft: FieldType, rows: LogicalRows, n: number, nulls: number): ColumnPlan {
  switch (col.evalType) {
    case EvalType.Int:
      if (ft.tp === FieldTypeTp.Bit) {
        return { nulls, varLen: true, dataBytes: (n - nulls) * bitChunkBytes(ft) };
      }
      return { nulls, varLen: false, dataBytes: n * 8 };
    case EvalType.Real:
      return { nulls, varLen: false, dataBytes: n * (ft.tp === FieldTypeTp.Float ? 4 : 8) };
    case EvalType.Decimal:
      return { nulls, varLen: false, dataBytes: n * DECIMAL_CHUNK_WORDS * 4 };
    case EvalType.DateTime:
    case EvalType.Duration:
      return { nulls, varLen: false, dataBytes: n * 8 };
    case EvalType.Bytes:
    case EvalType.Json:
      return { nulls, varLen: true, dataBytes: varLenDataBytes(col.offsets, rows, n) };
    case EvalType.Enum:
      return { nulls, varLen: true, dataBytes: enumDataBytes(col, rows, n) };
    case EvalType.Set:
      return { nulls, varLen: true, dataBytes: setDataBytes(col, rows, n) };
    case EvalType.VectorFloat32:
      return { nulls, varLen: true, dataBytes: vectorDataBytes(col, rows, n) };
  }
}

function varLenDataBytes(offsets: Int32Array, rows: LogicalRows, n: number): number {
  if (rows === null) return offsets[n] - offsets[0];
  let total = 0;
  for (let k = 0; k < n; k++) {
    const r = rows[k];
    total += offsets[r + 1] - offsets[r];
  }
  return total;
}

function isValid(validity: Uint8Array | null, r: number): boolean {
  return validity === null || (validity[r >>> 3] & (1 << (r & 7))) !== 0;
}

function enumDataBytes(col: ChunkedVecEnum, rows: LogicalRows, n: number): number {
  const names = memberNameBytes(col.elems);
  const lengths = new Int32Array(names.length + 1);
  for (let i = 0; i < names.length; i++) lengths[i + 1] = 8 + names[i].length;
  lengths[0] = 8;
  const values = col.values;
  const validity = col.validity;
  let total = 0;
  let bad = false;
  for (let k = 0; k < n; k++) {
    const r = rows === null ? k : rows[k];
    if (validity !== null && (validity[r >>> 3] & (1 << (r & 7))) === 0) continue;
    const v = values[r];
    if (v > names.length) bad = true;
    total += lengths[v];
  }
  assert(!bad, `ENUM index past ${names.length} members`);
  return total;
}

/** Bytes of the comma-separated member names of a SET mask (members past `names` ignored). */
function setNameBytes(names: Uint8Array[], lo: number, hi: number): number {
  let len = 0;
  let count = 0;
  let m = lo;
  while (m !== 0) {
    const bit = 31 - Math.clz32(m & -m);
    m &= m - 1;
    if (bit >= names.length) break;
    len += names[bit].length;
    count++;
  }
  m = hi;
  while (m !== 0) {
    const bit = 63 - Math.clz32(m & -m);
    m &= m - 1;
    if (bit >= names.length) break;
    len += names[bit].length;
    count++;
  }
  return count === 0 ? 0 : len + count - 1;
}

function setDataBytes(col: ChunkedVecSet, rows: LogicalRows, n: number): number {
  const names = memberNameBytes(col.elems);
  const words = col.words;
  const validity = col.validity;
  let total = 0;
  for (let k = 0; k < n; k++) {
    const r = rows === null ? k : rows[k];
    if (!isValid(validity, r)) continue;
    total += 8 + setNameBytes(names, words[2 * r], words[2 * r + 1]);
  }
  return total;
}

function vectorDataBytes(col: ChunkedVecVectorFloat32, rows: LogicalRows, n: number): number {
  const offsets = col.offsets;
  const validity = col.validity;
  let total = 0;
  for (let k = 0; k < n; k++) {
    const r = rows === null ? k : rows[k];
    if (!isValid(validity, r)) continue;
    total += 4 + 4 * (offsets[r + 1] - offsets[r]);
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Write pass.

function writePlanned(
  out: Uint8Array,
  offset: number,
  columns: readonly Column[],
  fieldTypes: readonly FieldType[],
  rows: LogicalRows,
  plans: readonly ColumnPlan[],
): number {
  let pos = offset;
  const n = columns.length === 0 ? 0 : rows === null ? columns[0].length : rows.length;
  for (let i = 0; i < columns.length; i++) {
    const col = columns[i];
    const plan = plans[i];
    putU32(out, pos, n);
    putU32(out, pos + 4, plan.nulls);
    pos += CHUNK_COLUMN_HEADER_BYTES;
    if (plan.nulls > 0) pos = writeBitmap(out, pos, col.validity as Uint8Array, rows, n);
    const valuesStart = pos;
    pos = writeValues(out, pos, col, fieldTypes[i], rows, n, plan);
    const expected = (plan.varLen ? (n + 1) * CHUNK_OFFSET_BYTES : 0) + plan.dataBytes;
    assert(
      pos - valuesStart === expected,
      `column ${i} wrote ${pos - valuesStart} bytes, planned ${expected}`,
    );
  }
  return pos;
}

/** The validity bits of the encoded rows (bit set = not NULL, padding bits clear). */
function writeBitmap(
  out: Uint8Array,
  pos: number,
  validity: Uint8Array,
  rows: LogicalRows,
  n: number,
): number {
  const nb = (n + 7) >>> 3;
  if (rows === null) {
    out.set(validity.subarray(0, nb), pos);
    if ((n & 7) !== 0) out[pos + nb - 1] &= (1 << (n & 7)) - 1;
    return pos + nb;
  }
  out.fill(0, pos, pos + nb);
  for (let k = 0; k < n; k++) {
    const r = rows[k];
    if ((validity[r >>> 3] & (1 << (r & 7))) !== 0) out[pos + (k >>> 3)] |= 1 << (k & 7);
  }
  return pos + nb;
}

function writeValues(
  out: Uint8Array,
  pos: number,
  col: Column,
  ft: FieldType,
  rows: LogicalRows,
  n: number,
  plan: ColumnPlan,
): number {
  switch (col.evalType) {
    case EvalType.Int:
      if (ft.tp === FieldTypeTp.Bit) return writeBits(out, pos, col, bitChunkBytes(ft), rows, n);
      return writeInt(out, pos, col, rows, n);
    case EvalType.Real:
      return ft.tp === FieldTypeTp.Float
        ? writeFloat32(out, pos, col, rows, n)
        : writeDouble(out, pos, col, rows, n);
    case EvalType.Decimal:
      return writeFixedWords(out, pos, decimalWords(col), DECIMAL_CHUNK_WORDS, rows, n);
    case EvalType.DateTime:
      return writeFixedWords(out, pos, (col as ChunkedVecDateTime).words, 2, rows, n);
    case EvalType.Duration:
      return writeNumbersAsI64(out, pos, (col as ChunkedVecDuration).nanos, rows, n);
    case EvalType.Bytes:
    case EvalType.Json:
      return writeVarLen(out, pos, col, rows, n, plan.dataBytes);
    case EvalType.Enum:
      return writeEnum(out, pos, col, rows, n);
    case EvalType.Set:
      return writeSet(out, pos, col, rows, n);
    case EvalType.VectorFloat32:
      return writeVector(out, pos, col, rows, n);
  }
}

function decimalWords(col: ChunkedVecDecimal): Uint32Array {
  const w = col.words;
  return new Uint32Array(w.buffer, w.byteOffset, w.length);
}

/** Fixed-width values already in wire layout: one copy, or a gather of `wpr` words per row. */
function writeFixedWords(
  out: Uint8Array,
  pos: number,
  src: Uint32Array,
  wpr: number,
  rows: LogicalRows,
  n: number,
): number {
  const bytes = n * wpr * 4;
  if (rows === null) {
    out.set(new Uint8Array(src.buffer, src.byteOffset, bytes), pos);
    return pos + bytes;
  }
  const dst = wordsAt(out, pos, n * wpr);
  if (wpr === 2) {
    for (let k = 0; k < n; k++) {
      const s = 2 * rows[k];
      dst[2 * k] = src[s];
      dst[2 * k + 1] = src[s + 1];
    }
  } else {
    for (let k = 0, d = 0; k < n; k++) {
      const s = rows[k] * wpr;
      for (let j = 0; j < wpr; j++) dst[d++] = src[s + j];
    }
  }
  commitWords(out, pos, dst);
  return pos + bytes;
}

/** Integers held as doubles (exact, |v| < 2^53) written as i64 little-endian. */
function writeNumbersAsI64(
  out: Uint8Array,
  pos: number,
  values: Float64Array,
  rows: LogicalRows,
  n: number,
): number {
  const dst = wordsAt(out, pos, 2 * n);
  for (let k = 0; k < n; k++) {
    const v = values[rows === null ? k : rows[k]];
    if ((v | 0) === v) {
      dst[2 * k] = v;
      dst[2 * k + 1] = v >> 31;
    } else {
      const hi = Math.floor(v / TWO_32);
      dst[2 * k] = v - hi * TWO_32;
      dst[2 * k + 1] = hi;
    }
  }
  commitWords(out, pos, dst);
  return pos + 8 * n;
}

function writeInt(out: Uint8Array, pos: number, col: ChunkedVecInt, rows: LogicalRows, n: number): number {
  const d = col.data;
  if (d.repr === "f64") return writeNumbersAsI64(out, pos, d.values, rows, n);
  const v = d.values;
  return writeFixedWords(out, pos, new Uint32Array(v.buffer, v.byteOffset, 2 * v.length), 2, rows, n);
}

function writeDouble(
  out: Uint8Array,
  pos: number,
  col: ChunkedVecReal,
  rows: LogicalRows,
  n: number,
): number {
  const v = col.values;
  return writeFixedWords(out, pos, new Uint32Array(v.buffer, v.byteOffset, 2 * v.length), 2, rows, n);
}

/** FLOAT columns: each double rounded to the nearest float32 (Rust `as f32`, JS Math.fround). */
function writeFloat32(
  out: Uint8Array,
  pos: number,
  col: ChunkedVecReal,
  rows: LogicalRows,
  n: number,
): number {
  const words = wordsAt(out, pos, n);
  const dst = new Float32Array(words.buffer, words.byteOffset, n);
  const v = col.values;
  if (rows === null) dst.set(v.subarray(0, n));
  else for (let k = 0; k < n; k++) dst[k] = v[rows[k]];
  commitWords(out, pos, words);
  return pos + 4 * n;
}

/** Copies `len` bytes of `src` from `from` into `out` at `to`, cheaply for short runs. */
function copyBytes(out: Uint8Array, to: number, src: Uint8Array, from: number, len: number): void {
  if (len < SMALL_COPY) {
    for (let j = 0; j < len; j++) out[to + j] = src[from + j];
  } else {
    out.set(src.subarray(from, from + len), to);
  }
}

function writeVarLen(
  out: Uint8Array,
  pos: number,
  col: ChunkedVecBytes | ChunkedVecJson,
  rows: LogicalRows,
  n: number,
  dataBytes: number,
): number {
  const offs = col.offsets;
  const data = col.data;
  const dst = wordsAt(out, pos, 2 * (n + 1));
  const dataStart = pos + (n + 1) * CHUNK_OFFSET_BYTES;
  if (rows === null) {
    // Offsets rebased to 0 in one pass, data in one copy.
    const base = offs[0];
    for (let k = 0; k <= n; k++) {
      dst[2 * k] = offs[k] - base;
      dst[2 * k + 1] = 0;
    }
    commitWords(out, pos, dst);
    out.set(data.subarray(base, base + dataBytes), dataStart);
    return dataStart + dataBytes;
  }
  let end = 0;
  dst[0] = 0;
  dst[1] = 0;
  for (let k = 0; k < n; k++) {
    const r = rows[k];
    const start = offs[r];
    const len = offs[r + 1] - start;
    copyBytes(out, dataStart + end, data, start, len);
    end += len;
    dst[2 * k + 2] = end;
    dst[2 * k + 3] = 0;
  }
  commitWords(out, pos, dst);
  return dataStart + end;
}

// The var-length columns below are written in one pass: the offsets (into a word target) and the
// data (straight into `out`, whose data section starts right after the offsets).

function writeBits(
  out: Uint8Array,
  pos: number,
  col: ChunkedVecInt,
  width: number,
  rows: LogicalRows,
  n: number,
): number {
  const validity = col.validity;
  const dst = wordsAt(out, pos, 2 * (n + 1));
  const dataStart = pos + (n + 1) * CHUNK_OFFSET_BYTES;
  const d = col.data;
  const words =
    d.repr === "i64" ? new Uint32Array(d.values.buffer, d.values.byteOffset, 2 * d.values.length) : null;
  const f64 = d.repr === "f64" ? d.values : null;
  let p = dataStart;
  dst[0] = 0;
  dst[1] = 0;
  for (let k = 0; k < n; k++) {
    const r = rows === null ? k : rows[k];
    if (validity === null || (validity[r >>> 3] & (1 << (r & 7))) !== 0) {
      let lo: number;
      let hi: number;
      if (words !== null) {
        lo = words[2 * r];
        hi = words[2 * r + 1];
      } else {
        const v = (f64 as Float64Array)[r];
        const h = Math.floor(v / TWO_32);
        lo = v - h * TWO_32;
        hi = h >>> 0;
      }
      // The u64 big-endian, keeping its last `width` bytes.
      for (let j = width - 1; j >= 4; j--) out[p++] = (hi >>> (8 * (j - 4))) & 0xff;
      for (let j = Math.min(width, 4) - 1; j >= 0; j--) out[p++] = (lo >>> (8 * j)) & 0xff;
    }
    dst[2 * k + 2] = p - dataStart;
    dst[2 * k + 3] = 0;
  }
  commitWords(out, pos, dst);
  return p;
}

function writeEnum(out: Uint8Array, pos: number, col: ChunkedVecEnum, rows: LogicalRows, n: number): number {
  const names = memberNameBytes(col.elems);
  const values = col.values;
  const validity = col.validity;
  const dst = wordsAt(out, pos, 2 * (n + 1));
  const dataStart = pos + (n + 1) * CHUNK_OFFSET_BYTES;
  let p = dataStart;
  dst[0] = 0;
  dst[1] = 0;
  for (let k = 0; k < n; k++) {
    const r = rows === null ? k : rows[k];
    if (validity === null || (validity[r >>> 3] & (1 << (r & 7))) !== 0) {
      const v = values[r];
      putU32(out, p, v);
      putU32(out, p + 4, 0);
      p += 8;
      if (v !== 0) {
        const name = names[v - 1];
        copyBytes(out, p, name, 0, name.length);
        p += name.length;
      }
    }
    dst[2 * k + 2] = p - dataStart;
    dst[2 * k + 3] = 0;
  }
  commitWords(out, pos, dst);
  return p;
}

function writeSetNames(out: Uint8Array, p: number, names: Uint8Array[], lo: number, hi: number): number {
  let first = true;
  for (let half = 0; half < 2; half++) {
    let m = half === 0 ? lo : hi;
    while (m !== 0) {
      const bit = 32 * half + 31 - Math.clz32(m & -m);
      m &= m - 1;
      if (bit >= names.length) break;
      if (!first) out[p++] = 0x2c; // ','
      first = false;
      const name = names[bit];
      copyBytes(out, p, name, 0, name.length);
      p += name.length;
    }
  }
  return p;
}

function writeSet(out: Uint8Array, pos: number, col: ChunkedVecSet, rows: LogicalRows, n: number): number {
  const names = memberNameBytes(col.elems);
  const words = col.words;
  const validity = col.validity;
  const dst = wordsAt(out, pos, 2 * (n + 1));
  const dataStart = pos + (n + 1) * CHUNK_OFFSET_BYTES;
  let p = dataStart;
  dst[0] = 0;
  dst[1] = 0;
  for (let k = 0; k < n; k++) {
    const r = rows === null ? k : rows[k];
    if (validity === null || (validity[r >>> 3] & (1 << (r & 7))) !== 0) {
      const lo = words[2 * r];
      const hi = words[2 * r + 1];
      putU32(out, p, lo);
      putU32(out, p + 4, hi);
      p = writeSetNames(out, p + 8, names, lo, hi);
    }
    dst[2 * k + 2] = p - dataStart;
    dst[2 * k + 3] = 0;
  }
  commitWords(out, pos, dst);
  return p;
}

function writeVector(
  out: Uint8Array,
  pos: number,
  col: ChunkedVecVectorFloat32,
  rows: LogicalRows,
  n: number,
): number {
  const offs = col.offsets;
  const data = bytesOf(col.data);
  const validity = col.validity;
  const dst = wordsAt(out, pos, 2 * (n + 1));
  const dataStart = pos + (n + 1) * CHUNK_OFFSET_BYTES;
  let p = dataStart;
  dst[0] = 0;
  dst[1] = 0;
  for (let k = 0; k < n; k++) {
    const r = rows === null ? k : rows[k];
    if (validity === null || (validity[r >>> 3] & (1 << (r & 7))) !== 0) {
      const count = offs[r + 1] - offs[r];
      putU32(out, p, count);
      copyBytes(out, p + 4, data, 4 * offs[r], 4 * count);
      p += 4 + 4 * count;
    }
    dst[2 * k + 2] = p - dataStart;
    dst[2 * k + 3] = 0;
  }
  commitWords(out, pos, dst);
  return p;
}
