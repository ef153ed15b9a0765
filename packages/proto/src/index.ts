// @copr/proto: the kvproto and tipb messages copr speaks, as typed static protobufjs code.

export {
  type DecodeOptions,
  decodeMessage,
  type EncodeOptions,
  encodeMessage,
  enumName,
  type MessageClass,
  messageName,
  TIKV_RECURSION_LIMIT,
  unknownVarint,
} from "./codec.js";
export { ERR_UNKNOWN, ProtoError } from "./errors.js";
export {
  apipb,
  coprocessor,
  deadlock,
  encryptionpb,
  errorpb,
  kvrpcpb,
  metapb,
  resource_manager,
  tikvpb,
  tipb,
  tracepb,
} from "./gen/tikv.js";
export { i64, Long, toBigInt, u64 } from "./int64.js";
export { UPSTREAM } from "./upstream.js";
