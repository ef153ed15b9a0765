// 64-bit integers. Every int64/uint64/sint64/fixed64 field of the generated messages is a `Long`
// (protobufjs's representation, from the `long` package): exact over the whole range, unlike a JS
// number, and what protobufjs's encoder understands. A bigint handed to the encoder directly would
// be written as 0, so convert at the boundary with `u64`/`i64` and read back with `toBigInt`.
import type LongType from "long";
import $protobuf from "protobufjs/minimal.js";
import { ProtoError } from "./errors.js";

const LongCtor = $protobuf.util.Long as typeof LongType | null;
if (!LongCtor) {
  // protobufjs finds `long` through its own dependency; without it 64-bit fields lose precision.
  throw new Error(
    "@copr/proto: protobufjs loaded without the `long` package; 64-bit fields would be inexact",
  );
}

/** The `Long` class protobufjs decodes 64-bit fields into (the very same class, so `instanceof` works). */
export const Long: typeof LongType = LongCtor;
/** A 64-bit integer as decoded from, and accepted by, the generated messages. */
export type Long = LongType;

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

function fromBig(v: bigint, unsigned: boolean): Long {
  const lo = Number(v & 0xffffffffn) | 0;
  const hi = Number((v >> 32n) & 0xffffffffn) | 0;
  return Long.fromBits(lo, hi, unsigned);
}

function toBig(v: bigint | number | string, what: string): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v))
      throw new ProtoError("", `${what}: ${v} is not a safe integer; pass a bigint`);
    return BigInt(v);
  }
  if (!/^-?\d+$/.test(v)) throw new ProtoError("", `${what}: '${v}' is not a decimal integer`);
  return BigInt(v);
}

/** An unsigned 64-bit value (`uint64`/`fixed64` fields: timestamps, region ids). */
export function u64(v: bigint | number | string): Long {
  const b = toBig(v, "uint64");
  if (b < 0n || b > U64_MAX) throw new ProtoError("", `uint64: ${b} is out of range`);
  return fromBig(b, true);
}

/** A signed 64-bit value (`int64`/`sint64`/`sfixed64` fields: handles, counts, flags). */
export function i64(v: bigint | number | string): Long {
  const b = toBig(v, "int64");
  if (b < I64_MIN || b > I64_MAX) throw new ProtoError("", `int64: ${b} is out of range`);
  return fromBig(b, false);
}

/**
 * The exact value of a decoded 64-bit field. Also accepts a plain number (what a field holds when a
 * caller stored one there) and null/undefined (an absent field, read as 0).
 */
export function toBigInt(v: Long | number | null | undefined): bigint {
  if (v == null) return 0n;
  if (typeof v === "number") return BigInt(v);
  const bits = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  return v.unsigned ? bits : BigInt.asIntN(64, bits);
}
