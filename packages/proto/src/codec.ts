// Encoding and decoding with typed errors. The generated classes can be used directly; these
// wrappers add what a server needs at its boundary: a ProtoError naming the message instead of
// protobufjs's bare RangeError, and the option to keep unknown fields.
import $protobuf from "protobufjs/minimal.js";
import { ProtoError } from "./errors.js";

/** What every generated message class offers; `T` is the decoded message. */
export interface MessageClass<T, P = unknown> {
  encode(message: P, writer?: $protobuf.Writer): $protobuf.Writer;
  decode(reader: $protobuf.Reader | Uint8Array, length?: number): T;
  getTypeUrl(prefix?: string): string;
}

/** Full protobuf name of a generated class, e.g. `coprocessor.Request`. */
export function messageName(type: MessageClass<unknown>): string {
  return type.getTypeUrl("").replace(/^\//, "");
}

/** Options of {@link decodeMessage}. */
export interface DecodeOptions {
  /**
   * Keep fields this schema does not know in `$unknowns`, so that re-encoding the message writes
   * them back unchanged (what protobuf requires of a proxy). Default false: they are skipped.
   */
  keepUnknown?: boolean;
  /**
   * How deep messages may nest (an `Expr` tree is nested messages). Default 100, protobuf's own
   * default; TiKV decodes DAG requests with its `end-point-recursion-limit`, 1000 by default.
   */
  recursionLimit?: number;
}

/** TiKV's default `server.end-point-recursion-limit`, the nesting depth it allows in a DAG request. */
export const TIKV_RECURSION_LIMIT = 1000;

/** Decodes `bytes` as a `type`, raising a {@link ProtoError} on anything malformed. */
export function decodeMessage<T>(type: MessageClass<T>, bytes: Uint8Array, options?: DecodeOptions): T {
  const reader = $protobuf.Reader.create(bytes);
  if (options?.keepUnknown) reader.discardUnknown = false;
  // The generated decoders read the limit from the Reader class; decoding is synchronous, so
  // setting it for the duration of this call affects nobody else.
  const savedLimit = $protobuf.Reader.recursionLimit;
  if (options?.recursionLimit !== undefined) $protobuf.Reader.recursionLimit = options.recursionLimit;
  try {
    return type.decode(reader);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new ProtoError(messageName(type), `cannot decode ${bytes.length} bytes: ${detail}`, { cause: e });
  } finally {
    $protobuf.Reader.recursionLimit = savedLimit;
  }
}

/** Options of {@link encodeMessage}. */
export interface EncodeOptions {
  /** How deep messages may nest; default 100, as for decoding. */
  recursionLimit?: number;
}

/** Encodes a message (instance or plain object of its properties) to bytes. */
export function encodeMessage<P>(
  type: MessageClass<unknown, P>,
  message: P,
  options?: EncodeOptions,
): Uint8Array {
  const savedLimit = $protobuf.util.recursionLimit;
  if (options?.recursionLimit !== undefined) $protobuf.util.recursionLimit = options.recursionLimit;
  try {
    return type.encode(message).finish();
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new ProtoError(messageName(type), `cannot encode: ${detail}`, { cause: e });
  } finally {
    $protobuf.util.recursionLimit = savedLimit;
  }
}

/**
 * The name of an enum value, or `unknown(<n>)` for a number the schema does not list (a proto2
 * decoder keeps such numbers, so a newer TiDB's function signature still reaches the caller).
 */
export function enumName(enumObject: Readonly<Record<number, string>>, value: number): string {
  const name = enumObject[value];
  return typeof name === "string" ? name : `unknown(${value})`;
}

/**
 * The value of a varint field kept among a message's unknown fields, or undefined. Proto2 enums
 * (all of tipb) are closed: a number the schema does not list, such as the `ScalarFuncSig` of a
 * function newer than this schema, is not stored in the field but kept as an unknown field (when
 * decoded with `keepUnknown`). This recovers it, so the caller can report `unknown(<n>)` rather
 * than mistake the absent field for its default. Values above 2^53 come back inexact.
 */
export function unknownVarint(
  message: { $unknowns?: Uint8Array[] },
  fieldNumber: number,
): number | undefined {
  let found: number | undefined;
  for (const raw of message.$unknowns ?? []) {
    const reader = $protobuf.Reader.create(raw);
    const tag = reader.uint32();
    if (tag >>> 3 !== fieldNumber || (tag & 7) !== 0) continue;
    // Enum values are int32 on the wire; a later occurrence wins, as for any scalar field.
    found = reader.int32();
  }
  return found;
}
