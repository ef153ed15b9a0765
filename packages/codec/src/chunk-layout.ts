// What the Chunk RPC format stores for each column type, and byte helpers shared by the chunk
// encoder and decoder. Facts from TiKV components/tidb_query_datatype/src/codec/chunk/column.rs
// (`Column::new`, `write_chunk_column`) and TiDB pkg/util/chunk/codec.go (`getFixedLen`).

import { CodecError, DECIMAL_STRUCT_SIZE, type FieldType, FieldTypeTp } from "@copr/datatype";

/** The format name carried by every chunk {@link CodecError}. */
export const CHUNK_FORMAT = "chunk";

/** Bytes of the per-column header: row count and NULL count, both u32 little-endian. */
export const CHUNK_COLUMN_HEADER_BYTES = 8;

/** Bytes of one var-length offset (an i64 little-endian). */
export const CHUNK_OFFSET_BYTES = 8;

/** TiDB's marker for a var-length column in `getFixedLen`. */
export const CHUNK_VAR_LEN = -1;

/**
 * The bytes per value of a fixed-width chunk column of type code `tp`, or {@link CHUNK_VAR_LEN}
 * (-1) when the column carries offsets and variable-length values (TiDB `getFixedLen`, TiKV
 * `Column::new`): FLOAT 4; the integer types, YEAR, DOUBLE and TIME 8; DATE, DATETIME and
 * TIMESTAMP 8; DECIMAL 40; everything else (strings, BIT, JSON, ENUM, SET, vectors, NULL) var-length.
 */
export function chunkFixedLen(tp: number): number {
  switch (tp) {
    case FieldTypeTp.Float:
      return 4;
    case FieldTypeTp.Tiny:
    case FieldTypeTp.Short:
    case FieldTypeTp.Int24:
    case FieldTypeTp.Long:
    case FieldTypeTp.LongLong:
    case FieldTypeTp.Year:
    case FieldTypeTp.Double:
    case FieldTypeTp.Duration:
    case FieldTypeTp.Date:
    case FieldTypeTp.DateTime:
    case FieldTypeTp.Timestamp:
      return 8;
    case FieldTypeTp.NewDecimal:
      return DECIMAL_STRUCT_SIZE;
    default:
      return CHUNK_VAR_LEN;
  }
}

/**
 * The number of big-endian bytes TiKV keeps of a BIT(`flen`) value: the u64 with its first
 * `(64 - flen) / 8` bytes (integer division) dropped. An unspecified or non-positive flen keeps
 * all 8 bytes (TiKV's arithmetic would keep none; see docs). flen above 64 is rejected by the
 * caller, as TiKV does not implement it.
 */
export function bitChunkBytes(ft: FieldType): number {
  const flen = ft.flen ?? -1;
  if (flen <= 0 || flen > 64) return 8;
  return 8 - Math.floor((64 - flen) / 8);
}

/**
 * A Uint32Array of `count` words to fill for `out[pos ..]`: a view of `out` itself when the
 * position is 4-byte aligned, otherwise a temporary; {@link commitWords} copies a temporary in.
 */
export function wordsAt(out: Uint8Array, pos: number, count: number): Uint32Array {
  const at = out.byteOffset + pos;
  return (at & 3) === 0 ? new Uint32Array(out.buffer, at, count) : new Uint32Array(count);
}

/** Finishes a {@link wordsAt} target: copies it into `out[pos ..]` unless it is a view of `out`. */
export function commitWords(out: Uint8Array, pos: number, words: Uint32Array): void {
  if (words.buffer !== out.buffer) {
    out.set(new Uint8Array(words.buffer, words.byteOffset, words.byteLength), pos);
  }
}

/** The bytes of a typed array (a view, no copy). */
export function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** A chunk CodecError naming column `col` and the absolute byte offset. */
export function chunkError(col: number, detail: string, offset: number): CodecError {
  return new CodecError(CHUNK_FORMAT, `column ${col}: ${detail}`, offset);
}

const utf8 = new TextEncoder();
const nameCache = new WeakMap<readonly string[], Uint8Array[]>();

/** The UTF-8 bytes of each ENUM/SET member (cached per member list). */
export function memberNameBytes(elems: readonly string[]): Uint8Array[] {
  let names = nameCache.get(elems);
  if (names === undefined) {
    names = elems.map((e) => utf8.encode(e));
    nameCache.set(elems, names);
  }
  return names;
}

/** Bit counts of every byte value. */
export const POPCOUNT8: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let i = 1; i < 256; i++) t[i] = (i & 1) + t[i >>> 1];
  return t;
})();
