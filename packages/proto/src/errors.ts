// The one error this package raises: bytes that are not the message they claim to be, or a value
// that does not fit the protobuf field it is meant for.

// Same brand as @copr/datatype's CoprError, so `isCoprError` there recognises this error too
// (this package sits below datatype in the graph and cannot import it).
const BRAND: unique symbol = Symbol.for("copr.error") as never;

/** MySQL error 1105 (unknown error): what TiDB shows for a malformed request. */
export const ERR_UNKNOWN = 1105;

/**
 * Raised when bytes cannot be decoded as the named message (truncated input, a wrong wire type,
 * a missing proto2 `required` field) or a value cannot be encoded into its field (a 64-bit value
 * out of range).
 */
export class ProtoError extends Error {
  override readonly name = "ProtoError" as const;
  readonly code = ERR_UNKNOWN;
  /** Full protobuf name of the message involved, e.g. `tipb.DAGRequest`; empty when none. */
  readonly messageType: string;
  /** @internal brand shared with every copr error. */
  readonly [BRAND] = true;

  constructor(messageType: string, detail: string, options?: ErrorOptions) {
    super(messageType ? `${messageType}: ${detail}` : detail, options);
    this.messageType = messageType;
  }
}
