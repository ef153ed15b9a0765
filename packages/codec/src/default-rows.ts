// The default row encoding of a SelectResponse (`EncodeType.TypeDefault`): each output row is its
// columns' datums back to back, value form, appended to a chunk's `rows_data`. What TiKV's batch
// runner writes through VectorValue::encode (components/tidb_query_datatype/src/codec/data_type/
// vector.rs and datum_codec.rs `write_evaluable_datum_*`):
//
//   NULL      NIL_FLAG
//   Int       INT_FLAG + memcomparable i64, or UINT_FLAG + big-endian u64 for UNSIGNED columns
//             (never VAR_INT: TiKV writes the fixed form "to be efficient")
//   Real      FLOAT_FLAG + memcomparable f64
//   Decimal   DECIMAL_FLAG + precision + fraction (the value's own) + decimal binary
//   Bytes     COMPACT_BYTES_FLAG + var-int length + bytes
//   DateTime  UINT_FLAG + packed u64 (a TIMESTAMP converted back to UTC)
//   Duration  DURATION_FLAG + memcomparable i64 nanoseconds
//   Json      JSON_FLAG + binary JSON
//   Enum      UINT_FLAG + the member index (TiDB reads it with the column's elems)
//   Set       UINT_FLAG + the member bitmask (TiKV cannot encode SET; this is TiDB's datum form)
//   Vector    VECTOR_FLOAT32_FLAG + u32 LE count + f32 LE elements
import {
  CodecError,
  type Column,
  type EvalContext,
  EvalError,
  EvalType,
  type FieldType,
  type LogicalRows,
  logicalRowAt,
  logicalRowCount,
} from "@copr/datatype";
import { ByteReader, ByteWriter } from "./buf.js";
import { writeCompactBytes } from "./bytes.js";
import {
  COMPACT_BYTES_FLAG,
  DatumColumnDecoder,
  DURATION_FLAG,
  FLOAT_FLAG,
  INT_FLAG,
  JSON_FLAG,
  NIL_FLAG,
  UINT_FLAG,
  VECTOR_FLOAT32_FLAG,
  writeDatum,
} from "./datum.js";
import { writeF64, writeI64, writeI64Words } from "./number.js";

const FORMAT = "default rows";
const TWO_32 = 4_294_967_296;
const SIGN_BIT = 0x8000_0000;

/**
 * Appends the rows `logicalRows` of `columns` (all of the same physical length) to `w` in the
 * default encoding. `ctx` supplies the session time zone TIMESTAMP values are converted from.
 */
export function writeDefaultRows(
  w: ByteWriter,
  columns: readonly Column[],
  logicalRows: LogicalRows,
  ctx?: EvalContext,
): void {
  if (columns.length === 0) return;
  const n = logicalRowCount(logicalRows, columns[0]!.length);
  for (const c of columns) {
    if (c.length !== columns[0]!.length) throw new CodecError(FORMAT, "columns of different lengths");
  }
  // The 32-bit words of Int columns held as i64, viewed once per column rather than per cell.
  const words = columns.map((c) =>
    c.evalType === EvalType.Int && c.data.repr === "i64"
      ? new Uint32Array(c.data.values.buffer, c.data.values.byteOffset, 2 * c.length)
      : null,
  );
  for (let k = 0; k < n; k++) {
    const row = logicalRowAt(logicalRows, k);
    for (let j = 0; j < columns.length; j++) writeCell(w, columns[j]!, row, ctx, words[j]!);
  }
}

/** The default encoding of the rows `logicalRows` of `columns`, as one `rows_data` payload. */
export function encodeDefaultRows(
  columns: readonly Column[],
  logicalRows: LogicalRows,
  ctx?: EvalContext,
): Uint8Array {
  const w = new ByteWriter(256);
  writeDefaultRows(w, columns, logicalRows, ctx);
  return w.finish();
}

function writeCell(
  w: ByteWriter,
  c: Column,
  i: number,
  ctx: EvalContext | undefined,
  i64Words: Uint32Array | null,
): void {
  if (c.isNull(i)) {
    w.u8(NIL_FLAG);
    return;
  }
  switch (c.evalType) {
    case EvalType.Int: {
      const d = c.data;
      if (d.repr === "f64") {
        const v = d.values[i]!;
        const hi = Math.floor(v / TWO_32);
        const lo = v - hi * TWO_32;
        if (c.unsigned) {
          w.u8(UINT_FLAG);
          w.u64beWords(lo, hi);
        } else {
          w.u8(INT_FLAG);
          writeI64Words(w, lo, hi);
        }
      } else {
        const lo = i64Words![2 * i]!;
        const hi = i64Words![2 * i + 1]!;
        if (c.unsigned) {
          w.u8(UINT_FLAG);
          w.u64beWords(lo, hi);
        } else {
          w.u8(INT_FLAG);
          w.u64beWords(lo, (hi ^ SIGN_BIT) >>> 0);
        }
      }
      return;
    }
    case EvalType.Real:
      w.u8(FLOAT_FLAG);
      writeF64(w, c.values[i]!);
      return;
    case EvalType.Decimal:
      // The value's own precision and fraction, as TiKV (its FIXME asks for the field type's).
      writeDatum(w, { kind: "decimal", value: c.get(i)! }, false);
      return;
    case EvalType.Bytes: {
      const o = c.offsets;
      w.u8(COMPACT_BYTES_FLAG);
      writeCompactBytes(w, c.data.subarray(o[i]!, o[i + 1]!));
      return;
    }
    case EvalType.Json: {
      const o = c.offsets;
      w.u8(JSON_FLAG);
      w.bytes(c.data.subarray(o[i]!, o[i + 1]!));
      return;
    }
    case EvalType.DateTime:
      writeDatum(w, { kind: "time", value: c.get(i)! }, true, ctx);
      return;
    case EvalType.Duration:
      w.u8(DURATION_FLAG);
      writeI64(w, c.nanos[i]!);
      return;
    case EvalType.Enum:
      w.u8(UINT_FLAG);
      w.u64beWords(c.values[i]!, 0);
      return;
    case EvalType.Set:
      w.u8(UINT_FLAG);
      w.u64beWords(c.words[2 * i]!, c.words[2 * i + 1]!);
      return;
    case EvalType.VectorFloat32: {
      const from = c.offsets[i]!;
      const to = c.offsets[i + 1]!;
      w.u8(VECTOR_FLOAT32_FLAG);
      w.u32le(to - from);
      for (let j = from; j < to; j++) w.f32le(c.data[j]!);
      return;
    }
    default:
      throw new EvalError(`cannot encode a ${(c as Column).evalType} column as datums`, 1105);
  }
}

/**
 * Decodes default-encoded rows (one `rows_data` payload, or several concatenated) into one column
 * per field type: the inverse of {@link encodeDefaultRows}, for clients and tests. Every row must
 * hold exactly `fieldTypes.length` datums; a partial row is a CodecError.
 */
export function decodeDefaultRows(
  bytes: Uint8Array,
  fieldTypes: readonly FieldType[],
  ctx?: EvalContext,
): Column[] {
  const decoders = fieldTypes.map((ft) => new DatumColumnDecoder(ft, ctx));
  const r = new ByteReader(bytes, FORMAT);
  if (decoders.length === 0) {
    if (r.remaining !== 0) throw r.error("rows of no columns cannot hold bytes");
    return [];
  }
  while (r.remaining > 0) {
    for (const d of decoders) {
      if (r.remaining === 0) throw r.error("row ends before its last column");
      d.decode(r);
    }
  }
  return decoders.map((d) => d.finish());
}
