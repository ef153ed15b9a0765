// Canonical key bytes of SQL values: what GROUP_CONCAT's ORDER BY and DISTINCT and
// APPROX_COUNT_DISTINCT compare and hash, so that the partial results can carry them and a client
// can merge partial results by comparing bytes (memcmp) without knowing the SQL types.
//
// For each eval type (one key position always holds one type):
//   NULL       0x00
//   Int        0x03 + i64 memcomparable (value < 0), 0x04 + u64 big-endian (value >= 0): numeric
//              order across signed and unsigned columns, equal numbers equal bytes
//   Real       0x05 + f64 memcomparable (−0 written as +0)
//   Decimal    0x01 / 0x02 / 0x03 (negative / zero / positive), then the decimal exponent
//              (u16 big-endian, + 0x8000) and the significant digits as ASCII, then 0x00; the bytes
//              after the sign byte are inverted for negative values. 1.5 and 1.50 are equal.
//   Bytes      0x01 + the collation's sort key in memcomparable group encoding (so 'a' = 'A ' under
//              utf8mb4_general_ci)
//   DateTime   0x07 + the 64-bit layout's high word and its low word without the fsp/type bits,
//              both big-endian: chronological, fsp and type ignored (as DATETIME comparison)
//   Duration   0x08 + i64 memcomparable nanoseconds
//   Enum       0x04 + u64 of the member index (ORDER BY sorts ENUMs by index)
//   Set        0x04 + u64 of the member mask
//   Vector     0x14, then 0x01 + f64 memcomparable per element, then 0x00: element order, then
//              shorter first
//   Json       0x0a + var-uint length + the binary JSON: equality of the bytes only (no order)
// Every form is prefix-free, so a key of several positions compares position by position; a
// DESC position is written with all its bytes inverted, which reverses its order and keeps NULL
// first under ASC and last under DESC, as MySQL sorts.
import { ByteWriter, writeComparableBytes, writeF64, writeI64, writeU64, writeVarUint } from "@copr/codec";
import {
  assert,
  type Collator,
  type Decimal,
  type Duration,
  type Enum,
  EvalType,
  type MySqlSet,
  type Time,
} from "@copr/datatype";

/** Whether values of `evalType` have an order in their keys (JSON keys only support equality). */
export function keyIsOrdered(evalType: EvalType): boolean {
  return evalType !== EvalType.Json;
}

/**
 * Writes the key of `value` (the representation `@copr/expr` produces for `evalType`; null for
 * NULL). `collator` is required for Bytes. With `desc`, the bytes written are inverted.
 */
export function writeValueKey(
  w: ByteWriter,
  evalType: EvalType,
  value: unknown,
  collator: Collator | undefined,
  desc = false,
): void {
  const start = w.length;
  writeKey(w, evalType, value, collator);
  if (desc) {
    const v = w.finish();
    for (let i = start; i < v.length; i++) v[i] = ~v[i]! & 0xff;
  }
}

function writeKey(w: ByteWriter, evalType: EvalType, value: unknown, collator: Collator | undefined): void {
  if (value === null || value === undefined) {
    w.u8(0x00);
    return;
  }
  switch (evalType) {
    case EvalType.Int: {
      const v = value as bigint | number;
      if (v < 0) {
        w.u8(0x03);
        writeI64(w, v);
      } else {
        w.u8(0x04);
        writeU64(w, v);
      }
      return;
    }
    case EvalType.Real: {
      const v = value as number;
      w.u8(0x05);
      writeF64(w, v === 0 ? 0 : v);
      return;
    }
    case EvalType.Decimal:
      writeDecimalKey(w, value as Decimal);
      return;
    case EvalType.Bytes:
      assert(collator !== undefined, "a string key needs a collator");
      w.u8(0x01);
      writeComparableBytes(w, collator.sortKey(value as Uint8Array));
      return;
    case EvalType.DateTime: {
      const t = value as Time;
      w.u8(0x07);
      w.u32be(t.highWord());
      w.u32be(t.lowWord() >>> 4);
      return;
    }
    case EvalType.Duration:
      w.u8(0x08);
      writeI64(w, (value as Duration).nanos);
      return;
    case EvalType.Enum:
      w.u8(0x04);
      writeU64(w, (value as Enum).value);
      return;
    case EvalType.Set: {
      const s = value as MySqlSet;
      w.u8(0x04);
      w.u64beWords(s.lo, s.hi);
      return;
    }
    case EvalType.VectorFloat32: {
      const v = value as Float32Array;
      w.u8(0x14);
      for (let i = 0; i < v.length; i++) {
        w.u8(0x01);
        writeF64(w, v[i] === 0 ? 0 : v[i]!);
      }
      w.u8(0x00);
      return;
    }
    case EvalType.Json: {
      const b = value as Uint8Array;
      w.u8(0x0a);
      writeVarUint(w, b.length);
      w.bytes(b);
      return;
    }
  }
}

/** The decimal form described in the file header. */
function writeDecimalKey(w: ByteWriter, d: Decimal): void {
  let s = d.toStringValue();
  const negative = s.charCodeAt(0) === 0x2d;
  if (negative) s = s.slice(1);
  const dot = s.indexOf(".");
  const intPart = dot < 0 ? s : s.slice(0, dot);
  const digits = dot < 0 ? s : intPart + s.slice(dot + 1);
  let first = 0;
  while (first < digits.length && digits.charCodeAt(first) === 0x30) first++;
  if (first === digits.length) {
    w.u8(0x02);
    return;
  }
  let last = digits.length;
  while (digits.charCodeAt(last - 1) === 0x30) last--;
  const exp = intPart.length - first + 0x8000;
  w.u8(negative ? 0x01 : 0x03);
  const start = w.length;
  w.u8(exp >>> 8);
  w.u8(exp & 0xff);
  for (let i = first; i < last; i++) w.u8(digits.charCodeAt(i));
  w.u8(0x00);
  if (negative) {
    const v = w.finish();
    for (let i = start; i < v.length; i++) v[i] = ~v[i]! & 0xff;
  }
}

/** A fresh writer for keys (callers reuse one per state or function). */
export function keyWriter(): ByteWriter {
  return new ByteWriter(64);
}

/** Lexicographic comparison of byte strings (memcmp, then length). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** A string with one UTF-16 unit per byte: a Map/Set key equal exactly when the bytes are. */
export function bytesToKeyString(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) {
    s += String.fromCharCode.apply(null, b.subarray(i, i + 8192) as unknown as number[]);
  }
  return s;
}
