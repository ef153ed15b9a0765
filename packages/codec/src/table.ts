// The table codec: how TiDB lays rows and index entries out in the key space, and the value of an
// index entry. Facts from TiKV components/tidb_query_datatype/src/codec/table.rs and
// tidb_query_executors/src/index_scan_executor.rs, and TiDB pkg/tablecodec/tablecodec.go.
//
//   record key   t{table_id}_r{handle}      table_id, int handle: memcomparable i64 (8 bytes each);
//                                          a common (clustered) handle is its key-encoded datums
//   index key    t{table_id}_i{index_id}{indexed datums, key form}[handle, non-unique indexes]
import { CodecError } from "@copr/datatype";
import { ByteReader, ByteWriter } from "./buf.js";
import { type Datum, decodeDatums, encodeKey } from "./datum.js";
import { i64WordsToBigInt, i64WordsToNumber, readI64, readI64Words, writeI64 } from "./number.js";

/** `t`: every table key starts with it. */
export const TABLE_PREFIX = 0x74;
/** `_r`: separates the table id from the handle in a record key. */
export const RECORD_PREFIX_SEP = new Uint8Array([0x5f, 0x72]);
/** `_i`: separates the table id from the index id in an index key. */
export const INDEX_PREFIX_SEP = new Uint8Array([0x5f, 0x69]);
/** Bytes of a memcomparable table, index or int-handle id. */
export const ID_LEN = 8;
/** `t` + table id + separator. */
export const PREFIX_LEN = 1 + ID_LEN + 2;
/** A record key with an int handle. */
export const RECORD_ROW_KEY_LEN = PREFIX_LEN + ID_LEN;

/** Index values at most this long use the old layout (TiKV `MAX_OLD_ENCODED_VALUE_LEN`). */
export const MAX_OLD_ENCODED_VALUE_LEN = 9;
/** Marks a common handle in an index value, followed by a big-endian u16 length. */
export const INDEX_VALUE_COMMON_HANDLE_FLAG = 127;
/** Marks a partition id (memcomparable i64) in the value of a global index. */
export const INDEX_VALUE_PARTITION_ID_FLAG = 126;
/** Marks the version byte of the clustered-index version-1 layout. */
export const INDEX_VALUE_VERSION_FLAG = 125;
/** Restored data is a row v2 value, which starts with its version byte 128. */
export const INDEX_VALUE_RESTORED_DATA_FLAG = 128;
/** TiDB's `kv.UnCommitIndexKVFlag` ('1'): the last byte of an untouched index entry's value. */
export const UNTOUCHED_FLAG = 0x31;

const FORMAT_KEY = "table key";
const FORMAT_INDEX_VALUE = "index value";

function prefix(w: ByteWriter, tableId: number | bigint, sep: Uint8Array): void {
  w.u8(TABLE_PREFIX);
  writeI64(w, tableId);
  w.bytes(sep);
}

/** `t{table_id}_r`: the prefix of every record key of a table. */
export function recordPrefix(tableId: number | bigint): Uint8Array {
  const w = new ByteWriter(PREFIX_LEN);
  prefix(w, tableId, RECORD_PREFIX_SEP);
  return w.finish();
}

/** `t{table_id}_i`: the prefix of every index key of a table. */
export function indexPrefix(tableId: number | bigint): Uint8Array {
  const w = new ByteWriter(PREFIX_LEN);
  prefix(w, tableId, INDEX_PREFIX_SEP);
  return w.finish();
}

/** The record key of the row with int handle `handle`. */
export function encodeRecordKey(tableId: number | bigint, handle: number | bigint): Uint8Array {
  const w = new ByteWriter(RECORD_ROW_KEY_LEN);
  prefix(w, tableId, RECORD_PREFIX_SEP);
  writeI64(w, handle);
  return w.finish();
}

/** The record key of a clustered table's row; `handle` is the key-encoded primary-key datums. */
export function encodeCommonHandleRecordKey(tableId: number | bigint, handle: Uint8Array): Uint8Array {
  const w = new ByteWriter(PREFIX_LEN + handle.length);
  prefix(w, tableId, RECORD_PREFIX_SEP);
  w.bytes(handle);
  return w.finish();
}

/** `t{table_id}_i{index_id}` followed by `encoded` (the indexed datums in key form, and the handle). */
export function encodeIndexKey(
  tableId: number | bigint,
  indexId: number | bigint,
  encoded: Uint8Array,
): Uint8Array {
  const w = new ByteWriter(PREFIX_LEN + ID_LEN + encoded.length);
  prefix(w, tableId, INDEX_PREFIX_SEP);
  writeI64(w, indexId);
  w.bytes(encoded);
  return w.finish();
}

/**
 * The index key of `values` (the indexed columns, then for a non-unique index the handle: an int
 * handle as an INT datum, a common handle as its datums), each datum in key form.
 */
export function encodeIndexKeyDatums(
  tableId: number | bigint,
  indexId: number | bigint,
  values: readonly Datum[],
): Uint8Array {
  return encodeIndexKey(tableId, indexId, encodeKey(values));
}

/** The datums of an index key (indexed values, then the handle if the key holds one). */
export function decodeIndexKeyDatums(key: Uint8Array): Datum[] {
  const { valuesOffset } = decodeIndexKey(key);
  return decodeDatums(key.subarray(valuesOffset), FORMAT_KEY);
}

function keyReader(key: Uint8Array, sep: Uint8Array | null): ByteReader {
  const r = new ByteReader(key, FORMAT_KEY);
  if (r.u8("table prefix") !== TABLE_PREFIX) throw r.error("not a table key (no 't' prefix)", 0);
  r.skip(ID_LEN, "table id");
  if (sep !== null) {
    const at = r.pos;
    const got = r.take(2, "key separator");
    if (got[0] !== sep[0] || got[1] !== sep[1]) {
      const want = sep === RECORD_PREFIX_SEP ? "record" : "index";
      throw r.error(`not a ${want} key (separator ${hexOf(got)})`, at);
    }
  }
  return r;
}

function hexOf(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

/** Throws a CodecError unless `key` is `t{table_id}_r…`. */
export function checkRecordKey(key: Uint8Array): void {
  keyReader(key, RECORD_PREFIX_SEP);
}

/** Throws a CodecError unless `key` is `t{table_id}_i…`. */
export function checkIndexKey(key: Uint8Array): void {
  keyReader(key, INDEX_PREFIX_SEP);
}

/** True when `key` is a record key (`t{table_id}_r…`). */
export function isRecordKey(key: Uint8Array): boolean {
  return key.length >= PREFIX_LEN && key[0] === TABLE_PREFIX && key[9] === 0x5f && key[10] === 0x72;
}

/** True when `key` is an index key (`t{table_id}_i…`). */
export function isIndexKey(key: Uint8Array): boolean {
  return key.length >= PREFIX_LEN && key[0] === TABLE_PREFIX && key[9] === 0x5f && key[10] === 0x69;
}

/** The table id of a record or index key. */
export function decodeTableId(key: Uint8Array): bigint {
  const r = new ByteReader(key, FORMAT_KEY);
  if (r.u8("table prefix") !== TABLE_PREFIX) throw r.error("not a table key (no 't' prefix)", 0);
  return readI64(r);
}

// The high word of the handle read by the last decodeIntHandleWords(At) (an object, not a
// module-level `let`: those cost a check on every read).
const HANDLE = {
  handleHi: 0,
};

/** The int handle of a record key, exact over the whole i64 range. */
export function decodeIntHandle(key: Uint8Array): bigint {
  const lo = decodeIntHandleWords(key);
  return i64WordsToBigInt(lo, HANDLE.handleHi);
}

/**
 * The int handle of a record key as a number when it is a safe integer, else null (then use
 * {@link decodeIntHandle}).
 */
export function decodeIntHandleNumber(key: Uint8Array): number | null {
  const lo = decodeIntHandleWords(key);
  return i64WordsToNumber(lo, HANDLE.handleHi);
}

/**
 * The int handle of a record key as its two's-complement words, allocating nothing (the table
 * scan's hot path): returns the low word and leaves the high word for {@link lastIntHandleHi}.
 * A key that is not `t{table_id}_r{handle}` of exactly 19 bytes is a CodecError.
 */
export function decodeIntHandleWords(key: Uint8Array): number {
  if (key.length === RECORD_ROW_KEY_LEN && key[0] === TABLE_PREFIX && key[9] === 0x5f && key[10] === 0x72) {
    // The memcomparable i64 is big-endian with the sign bit flipped.
    HANDLE.handleHi = (((key[11]! ^ 0x80) << 24) | (key[12]! << 16) | (key[13]! << 8) | key[14]!) >>> 0;
    return ((key[15]! << 24) | (key[16]! << 16) | (key[17]! << 8) | key[18]!) >>> 0;
  }
  // Not the plain form: read it with the checked reader, which names what is wrong.
  const r = keyReader(key, RECORD_PREFIX_SEP);
  const lo = readI64Words(r);
  if (r.remaining !== 0) throw r.error(`${r.remaining} bytes after the int handle`);
  HANDLE.handleHi = r.hi;
  return lo;
}

/**
 * {@link decodeIntHandleWords} of the key at `bytes[start..end)` (e.g. a key inside a storage
 * page or arena), without making a view for the plain 19-byte form.
 */
export function decodeIntHandleWordsAt(bytes: Uint8Array, start: number, end: number): number {
  const k = start;
  if (
    end - start === RECORD_ROW_KEY_LEN &&
    bytes[k] === TABLE_PREFIX &&
    bytes[k + 9] === 0x5f &&
    bytes[k + 10] === 0x72
  ) {
    HANDLE.handleHi =
      (((bytes[k + 11]! ^ 0x80) << 24) | (bytes[k + 12]! << 16) | (bytes[k + 13]! << 8) | bytes[k + 14]!) >>>
      0;
    return ((bytes[k + 15]! << 24) | (bytes[k + 16]! << 16) | (bytes[k + 17]! << 8) | bytes[k + 18]!) >>> 0;
  }
  return decodeIntHandleWords(bytes.subarray(start, end));
}

/** High word (unsigned 32-bit) of the handle read by the last {@link decodeIntHandleWords}. */
export function lastIntHandleHi(): number {
  return HANDLE.handleHi;
}

/** The common handle (key-encoded primary-key datums) of a clustered table's record key: a view. */
export function decodeCommonHandle(key: Uint8Array): Uint8Array {
  const r = keyReader(key, RECORD_PREFIX_SEP);
  if (r.remaining === 0) throw r.error("empty common handle");
  return r.take(r.remaining);
}

/** The parts of an index key: ids, and the offset where the indexed datums start. */
export interface IndexKeyParts {
  tableId: bigint;
  indexId: bigint;
  /** Offset in the key of the first indexed datum (always {@link PREFIX_LEN} + {@link ID_LEN}). */
  valuesOffset: number;
}

/** Splits an index key into its table id, index id and the offset of its datums. */
export function decodeIndexKey(key: Uint8Array): IndexKeyParts {
  const r = keyReader(key, INDEX_PREFIX_SEP);
  const indexId = readI64(r);
  return { tableId: decodeTableId(key), indexId, valuesOffset: r.pos };
}

// ---------------------------------------------------------------------------------------------
// Key ranges.

/**
 * The smallest key greater than every key that starts with `key` (TiKV `convert_to_prefix_next`):
 * the last byte that is not 0xff is incremented and the bytes after it dropped to zero; a key of
 * only 0xff bytes gets a 0 appended, as TiKV does.
 */
export function prefixNext(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key);
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== 0xff) {
      out[i]!++;
      return out;
    }
    out[i] = 0;
  }
  const all = new Uint8Array(key.length + 1);
  all.set(key);
  return all;
}

/** A half-open key range `[start, end)`, as in `coprocessor.KeyRange`. */
export interface KeyRange {
  start: Uint8Array;
  end: Uint8Array;
}

/**
 * Every key of a table's records, `[t{id}_r, t{id}_s)`. Note that TiKV reads a range whose end
 * is the prefix-next of its start as a point get of the start key, so a scan request should use
 * {@link tableIntHandleRange} (what TiDB sends for a full scan of a table with int handles).
 */
export function tableRecordRange(tableId: number | bigint): KeyRange {
  const start = recordPrefix(tableId);
  return { start, end: prefixNext(start) };
}

/** Every entry of one index of a table. */
export function tableIndexRange(tableId: number | bigint, indexId: number | bigint): KeyRange {
  const start = encodeIndexKey(tableId, indexId, new Uint8Array(0));
  return { start, end: prefixNext(start) };
}

/** Every record of a table with int handles, as TiDB sends it: handles from -2^63 to 2^63 - 1. */
export function tableIntHandleRange(tableId: number | bigint): KeyRange {
  return intHandleRange(tableId, -(1n << 63n), (1n << 63n) - 1n);
}

/** The records with int handles in `[low, high]` (both inclusive, like a point or range scan). */
export function intHandleRange(
  tableId: number | bigint,
  low: number | bigint,
  high: number | bigint,
): KeyRange {
  return { start: encodeRecordKey(tableId, low), end: prefixNext(encodeRecordKey(tableId, high)) };
}

// ---------------------------------------------------------------------------------------------
// Index values.

/** The handle an index entry points at. */
export type IndexHandle =
  | { kind: "int"; value: number | bigint }
  /** The key-encoded primary-key datums of a clustered table. */
  | { kind: "common"; encoded: Uint8Array };

/** What goes into an index value (the arguments of TiDB's `GenIndexValuePortal`). */
export interface IndexValueSpec {
  /** A unique index ("distinct"): its value carries the handle (non-unique ones carry it in the key). */
  unique: boolean;
  handle: IndexHandle;
  /** The table is clustered with `CommonHandleVersion` 1: the version-1 layout is used. */
  clusteredVersion1?: boolean;
  /** A global index of a partitioned table: the row's partition id. */
  partitionId?: number | bigint;
  /**
   * Restored data (new collations): a complete row v2 value holding what the key's sort keys cannot
   * give back. Encode it with the row v2 encoder; TiDB writes it for non-binary strings.
   */
  restoredData?: Uint8Array;
  /** The entry is untouched (written to the transaction buffer only). */
  untouched?: boolean;
}

function writeCommonHandle(w: ByteWriter, encoded: Uint8Array): void {
  if (encoded.length > 0xffff)
    throw new CodecError(FORMAT_INDEX_VALUE, `common handle of ${encoded.length} bytes`);
  w.u8(INDEX_VALUE_COMMON_HANDLE_FLAG);
  w.u8(encoded.length >>> 8);
  w.u8(encoded.length & 0xff);
  w.bytes(encoded);
}

function writeIntHandleRaw(w: ByteWriter, v: number | bigint): void {
  // The handle in a unique index value is plain big-endian (not memcomparable).
  const b = BigInt.asUintN(64, BigInt(v));
  w.u64beWords(Number(b & 0xffffffffn), Number(b >> 32n));
}

/** Encodes an index value exactly as TiDB's `GenIndexValuePortal`. */
export function encodeIndexValue(spec: IndexValueSpec): Uint8Array {
  const { unique, handle } = spec;
  const untouched = spec.untouched === true;
  const restored = spec.restoredData;
  if (restored !== undefined && (restored.length === 0 || restored[0] !== INDEX_VALUE_RESTORED_DATA_FLAG)) {
    throw new CodecError(FORMAT_INDEX_VALUE, "restored data must be a row v2 value (first byte 128)");
  }
  const w = new ByteWriter(32 + (restored?.length ?? 0));
  if (spec.clusteredVersion1) {
    if (handle.kind !== "common")
      throw new CodecError(FORMAT_INDEX_VALUE, "version-1 layout needs a common handle");
    w.u8(0);
    w.u8(INDEX_VALUE_VERSION_FLAG);
    w.u8(1);
    if (unique) writeCommonHandle(w, handle.encoded);
    if (spec.partitionId !== undefined) {
      w.u8(INDEX_VALUE_PARTITION_ID_FLAG);
      writeI64(w, spec.partitionId);
    }
    if (restored !== undefined) w.bytes(restored);
    if (untouched) w.u8(UNTOUCHED_FLAG);
    const out = w.finish();
    out[0] = untouched ? 1 : 0;
    return out;
  }
  w.u8(0);
  let newLayout = false;
  if (handle.kind === "common" && unique) {
    writeCommonHandle(w, handle.encoded);
    newLayout = true;
  }
  if (spec.partitionId !== undefined) {
    w.u8(INDEX_VALUE_PARTITION_ID_FLAG);
    writeI64(w, spec.partitionId);
    newLayout = true;
  }
  if (restored !== undefined) {
    w.bytes(restored);
    newLayout = true;
  }
  if (newLayout) {
    let tailLen = 0;
    if (handle.kind === "int" && unique) {
      tailLen += 8;
      writeIntHandleRaw(w, handle.value);
    } else if (w.length < 10) {
      const pad = 10 - w.length;
      tailLen += pad;
      for (let i = 0; i < pad; i++) w.u8(0);
    }
    if (untouched) {
      tailLen++;
      w.u8(UNTOUCHED_FLAG);
    }
    const out = w.finish();
    out[0] = tailLen;
    return out;
  }
  // The old layout: [8-byte handle][untouched flag], or a single '0'.
  const old = new ByteWriter(10);
  if (unique) {
    if (handle.kind === "int") writeIntHandleRaw(old, handle.value);
    else {
      // TiDB's EncodeHandleInUniqueIndexValue for a common handle; unreachable through the
      // branch above (a unique common-handle value always takes the new layout), kept for parity.
      old.u8(untouched ? 1 : 0);
      writeCommonHandle(old, handle.encoded);
    }
  }
  if (untouched) old.u8(UNTOUCHED_FLAG);
  if (old.length === 0) old.u8(0x30);
  return old.finish();
}

/** The segments of an index value (TiDB `IndexValueSegments`), as views into the value. */
export interface IndexValueSegments {
  /** 0: the old layout or the version-0 layout; 1: the clustered-index version-1 layout. */
  version: number;
  /** The old layout (value of at most 9 bytes, no options). */
  old: boolean;
  /** The int handle of a unique index on a table with int handles. */
  intHandle: bigint | undefined;
  /** The key-encoded common handle of a unique index on a clustered table. */
  commonHandle: Uint8Array | undefined;
  /** The partition id of a global index entry. */
  partitionId: bigint | undefined;
  /** Restored data: a row v2 value (starts with 128). */
  restoredData: Uint8Array | undefined;
  /** The entry ends with the untouched flag. */
  untouched: boolean;
}

/** The index layout version of a value (TiDB/TiKV `getIndexVersion`). */
export function indexValueVersion(value: Uint8Array): number {
  if (value.length === 3 || value.length === 4) return 1;
  if (value.length <= MAX_OLD_ENCODED_VALUE_LEN) return 0;
  const tailLen = value[0]!;
  if (tailLen >= value.length) {
    throw new CodecError(
      FORMAT_INDEX_VALUE,
      `tail length ${tailLen} is corrupted (value of ${value.length} bytes)`,
      0,
    );
  }
  if ((tailLen === 0 || tailLen === 1) && value[1] === INDEX_VALUE_VERSION_FLAG) return value[2]!;
  return 0;
}

function readBeI64(r: ByteReader): bigint {
  const lo = r.u64beWords("int handle");
  return i64WordsToBigInt(lo, r.hi);
}

/**
 * Splits an index value into its segments, validating every length against the value: a
 * corrupted tail length, a truncated segment or bytes no segment explains are CodecErrors.
 */
export function splitIndexValue(value: Uint8Array): IndexValueSegments {
  if (value.length === 0) throw new CodecError(FORMAT_INDEX_VALUE, "empty value", 0);
  const version = indexValueVersion(value);
  const segs: IndexValueSegments = {
    version,
    old: false,
    intHandle: undefined,
    commonHandle: undefined,
    partitionId: undefined,
    restoredData: undefined,
    untouched: false,
  };
  if (version === 0 && value.length <= MAX_OLD_ENCODED_VALUE_LEN) {
    segs.old = true;
    const r = new ByteReader(value, FORMAT_INDEX_VALUE);
    if (value.length >= 8) {
      segs.intHandle = readBeI64(r);
      if (value.length === 9) {
        if (value[8] !== UNTOUCHED_FLAG) throw r.error(`unexpected byte ${value[8]} after the handle`, 8);
        segs.untouched = true;
      }
    } else if (value.length === 1 && (value[0] === 0x30 || value[0] === UNTOUCHED_FLAG)) {
      segs.untouched = value[0] === UNTOUCHED_FLAG;
    } else {
      throw r.error(`old-layout value of ${value.length} bytes`, 0);
    }
    return segs;
  }
  if (version !== 0 && version !== 1) {
    throw new CodecError(FORMAT_INDEX_VALUE, `unknown index value version ${version}`, 2);
  }
  const tailLen = value[0]!;
  const headLen = version === 1 ? 3 : 1;
  if (tailLen >= value.length || headLen + tailLen > value.length) {
    throw new CodecError(
      FORMAT_INDEX_VALUE,
      `tail length ${tailLen} is corrupted (value of ${value.length} bytes)`,
      0,
    );
  }
  const end = value.length - tailLen;
  const tail = value.subarray(end);
  if (version === 1) {
    if (tailLen === 1) {
      if (tail[0] !== UNTOUCHED_FLAG) throw new CodecError(FORMAT_INDEX_VALUE, "bad untouched flag", end);
      segs.untouched = true;
    }
  } else {
    if (tailLen >= 8) {
      segs.intHandle = readBeI64(new ByteReader(value, FORMAT_INDEX_VALUE, end));
      if (tailLen === 9) {
        if (tail[8] !== UNTOUCHED_FLAG)
          throw new CodecError(FORMAT_INDEX_VALUE, "bad untouched flag", end + 8);
        segs.untouched = true;
      } else if (tailLen > 9) {
        throw new CodecError(FORMAT_INDEX_VALUE, `tail of ${tailLen} bytes after an int handle`, 0);
      }
    } else if (tailLen > 0) {
      segs.untouched = tail[tailLen - 1] === UNTOUCHED_FLAG;
      const padEnd = segs.untouched ? tailLen - 1 : tailLen;
      for (let i = 0; i < padEnd; i++) {
        if (tail[i] !== 0) throw new CodecError(FORMAT_INDEX_VALUE, "padding is not zero", end + i);
      }
    }
  }
  const r = new ByteReader(value, FORMAT_INDEX_VALUE, headLen, end);
  if (r.remaining > 0 && value[r.pos] === INDEX_VALUE_COMMON_HANDLE_FLAG) {
    r.skip(1);
    const len = (r.u8("common handle length") << 8) | r.u8("common handle length");
    segs.commonHandle = r.take(len, "common handle");
  }
  if (r.remaining > 0 && value[r.pos] === INDEX_VALUE_PARTITION_ID_FLAG) {
    r.skip(1);
    segs.partitionId = readI64(r);
  }
  if (r.remaining > 0 && value[r.pos] === INDEX_VALUE_RESTORED_DATA_FLAG) {
    segs.restoredData = r.take(r.remaining);
  }
  if (r.remaining > 0) throw r.error(`${r.remaining} unexpected bytes in the index value options`);
  return segs;
}
