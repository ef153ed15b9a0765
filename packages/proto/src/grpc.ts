// The tikvpb.Tikv gRPC service for @grpc/grpc-js, on both sides: a service definition whose
// serializers are the generated messages, typed handler and client interfaces, and helpers to
// mount the service on a server or construct a client. Imported as `@copr/proto/grpc`, so that
// users of the messages alone do not need @grpc/grpc-js.
import * as grpc from "@grpc/grpc-js";
import { decodeMessage, encodeMessage, type MessageClass } from "./codec.js";
import { coprocessor, kvrpcpb, tikvpb } from "./gen/tikv.js";

type Kind = "unary" | "serverStream" | "bidiStream";

/** One method of the service: its message classes and streaming shape. */
export interface TikvMethod<Req, ReqP, Res, ResP, K extends Kind> {
  readonly request: MessageClass<Req, ReqP>;
  readonly response: MessageClass<Res, ResP>;
  readonly kind: K;
}

const unary = <Req, ReqP, Res, ResP>(request: MessageClass<Req, ReqP>, response: MessageClass<Res, ResP>) =>
  ({ request, response, kind: "unary" }) as TikvMethod<Req, ReqP, Res, ResP, "unary">;
const serverStream = <Req, ReqP, Res, ResP>(
  request: MessageClass<Req, ReqP>,
  response: MessageClass<Res, ResP>,
) => ({ request, response, kind: "serverStream" }) as TikvMethod<Req, ReqP, Res, ResP, "serverStream">;
const bidiStream = <Req, ReqP, Res, ResP>(
  request: MessageClass<Req, ReqP>,
  response: MessageClass<Res, ResP>,
) => ({ request, response, kind: "bidiStream" }) as TikvMethod<Req, ReqP, Res, ResP, "bidiStream">;

/**
 * The methods of `tikvpb.Tikv` that copr declares, under their upstream names and in upstream
 * order. A server that does not implement one answers UNIMPLEMENTED (grpc-js's default handler).
 */
export const TIKV_METHODS = {
  KvGet: unary(kvrpcpb.GetRequest, kvrpcpb.GetResponse),
  KvScan: unary(kvrpcpb.ScanRequest, kvrpcpb.ScanResponse),
  KvPrewrite: unary(kvrpcpb.PrewriteRequest, kvrpcpb.PrewriteResponse),
  KvPessimisticLock: unary(kvrpcpb.PessimisticLockRequest, kvrpcpb.PessimisticLockResponse),
  KVPessimisticRollback: unary(kvrpcpb.PessimisticRollbackRequest, kvrpcpb.PessimisticRollbackResponse),
  KvTxnHeartBeat: unary(kvrpcpb.TxnHeartBeatRequest, kvrpcpb.TxnHeartBeatResponse),
  KvCheckTxnStatus: unary(kvrpcpb.CheckTxnStatusRequest, kvrpcpb.CheckTxnStatusResponse),
  KvCheckSecondaryLocks: unary(kvrpcpb.CheckSecondaryLocksRequest, kvrpcpb.CheckSecondaryLocksResponse),
  KvCommit: unary(kvrpcpb.CommitRequest, kvrpcpb.CommitResponse),
  KvImport: unary(kvrpcpb.ImportRequest, kvrpcpb.ImportResponse),
  KvCleanup: unary(kvrpcpb.CleanupRequest, kvrpcpb.CleanupResponse),
  KvBatchGet: unary(kvrpcpb.BatchGetRequest, kvrpcpb.BatchGetResponse),
  KvBatchRollback: unary(kvrpcpb.BatchRollbackRequest, kvrpcpb.BatchRollbackResponse),
  KvScanLock: unary(kvrpcpb.ScanLockRequest, kvrpcpb.ScanLockResponse),
  KvResolveLock: unary(kvrpcpb.ResolveLockRequest, kvrpcpb.ResolveLockResponse),
  KvGC: unary(kvrpcpb.GCRequest, kvrpcpb.GCResponse),
  KvDeleteRange: unary(kvrpcpb.DeleteRangeRequest, kvrpcpb.DeleteRangeResponse),
  KvPrepareFlashbackToVersion: unary(
    kvrpcpb.PrepareFlashbackToVersionRequest,
    kvrpcpb.PrepareFlashbackToVersionResponse,
  ),
  KvFlashbackToVersion: unary(kvrpcpb.FlashbackToVersionRequest, kvrpcpb.FlashbackToVersionResponse),
  KvFlush: unary(kvrpcpb.FlushRequest, kvrpcpb.FlushResponse),
  KvBufferBatchGet: unary(kvrpcpb.BufferBatchGetRequest, kvrpcpb.BufferBatchGetResponse),
  RawGet: unary(kvrpcpb.RawGetRequest, kvrpcpb.RawGetResponse),
  RawBatchGet: unary(kvrpcpb.RawBatchGetRequest, kvrpcpb.RawBatchGetResponse),
  RawPut: unary(kvrpcpb.RawPutRequest, kvrpcpb.RawPutResponse),
  RawBatchPut: unary(kvrpcpb.RawBatchPutRequest, kvrpcpb.RawBatchPutResponse),
  RawDelete: unary(kvrpcpb.RawDeleteRequest, kvrpcpb.RawDeleteResponse),
  RawBatchDelete: unary(kvrpcpb.RawBatchDeleteRequest, kvrpcpb.RawBatchDeleteResponse),
  RawScan: unary(kvrpcpb.RawScanRequest, kvrpcpb.RawScanResponse),
  RawDeleteRange: unary(kvrpcpb.RawDeleteRangeRequest, kvrpcpb.RawDeleteRangeResponse),
  RawBatchScan: unary(kvrpcpb.RawBatchScanRequest, kvrpcpb.RawBatchScanResponse),
  RawGetKeyTTL: unary(kvrpcpb.RawGetKeyTTLRequest, kvrpcpb.RawGetKeyTTLResponse),
  RawCompareAndSwap: unary(kvrpcpb.RawCASRequest, kvrpcpb.RawCASResponse),
  RawChecksum: unary(kvrpcpb.RawChecksumRequest, kvrpcpb.RawChecksumResponse),
  UnsafeDestroyRange: unary(kvrpcpb.UnsafeDestroyRangeRequest, kvrpcpb.UnsafeDestroyRangeResponse),
  Coprocessor: unary(coprocessor.Request, coprocessor.Response),
  CoprocessorStream: serverStream(coprocessor.Request, coprocessor.Response),
  BatchCoprocessor: serverStream(coprocessor.BatchRequest, coprocessor.BatchResponse),
  RawCoprocessor: unary(kvrpcpb.RawCoprocessorRequest, kvrpcpb.RawCoprocessorResponse),
  SplitRegion: unary(kvrpcpb.SplitRegionRequest, kvrpcpb.SplitRegionResponse),
  ReadIndex: unary(kvrpcpb.ReadIndexRequest, kvrpcpb.ReadIndexResponse),
  MvccGetByKey: unary(kvrpcpb.MvccGetByKeyRequest, kvrpcpb.MvccGetByKeyResponse),
  MvccGetByStartTs: unary(kvrpcpb.MvccGetByStartTsRequest, kvrpcpb.MvccGetByStartTsResponse),
  BatchCommands: bidiStream(tikvpb.BatchCommandsRequest, tikvpb.BatchCommandsResponse),
  CheckLeader: unary(kvrpcpb.CheckLeaderRequest, kvrpcpb.CheckLeaderResponse),
  GetStoreSafeTS: unary(kvrpcpb.StoreSafeTSRequest, kvrpcpb.StoreSafeTSResponse),
  GetHealthFeedback: unary(kvrpcpb.GetHealthFeedbackRequest, kvrpcpb.GetHealthFeedbackResponse),
  BroadcastTxnStatus: unary(kvrpcpb.BroadcastTxnStatusRequest, kvrpcpb.BroadcastTxnStatusResponse),
} as const;

/** The upstream name of a method of the service, e.g. `Coprocessor`. */
export type TikvMethodName = keyof typeof TIKV_METHODS;
type Methods = typeof TIKV_METHODS;

// biome-ignore lint/suspicious/noExplicitAny: matching any method of the table
type AnyMethod = TikvMethod<any, any, any, any, Kind>;

type HandlerOf<M extends AnyMethod> =
  M extends TikvMethod<infer Req, unknown, unknown, infer ResP, "unary">
    ? grpc.handleUnaryCall<Req, ResP>
    : M extends TikvMethod<infer Req, unknown, unknown, infer ResP, "serverStream">
      ? grpc.handleServerStreamingCall<Req, ResP>
      : M extends TikvMethod<infer Req, unknown, unknown, infer ResP, "bidiStream">
        ? grpc.handleBidiStreamingCall<Req, ResP>
        : never;

/**
 * A server's implementation: any subset of the methods, under their upstream names (`Coprocessor`)
 * or grpc-js's lower-camel form (`coprocessor`). Requests arrive decoded; responses may be message
 * instances or plain objects of their properties.
 */
export type TikvHandlers = { [K in TikvMethodName]?: HandlerOf<Methods[K]> };

/** A unary call on the client: grpc-js's callback forms. */
export interface UnaryClientMethod<ReqP, Res> {
  (request: ReqP, callback: grpc.requestCallback<Res>): grpc.ClientUnaryCall;
  (request: ReqP, metadata: grpc.Metadata, callback: grpc.requestCallback<Res>): grpc.ClientUnaryCall;
  (
    request: ReqP,
    metadata: grpc.Metadata,
    options: Partial<grpc.CallOptions>,
    callback: grpc.requestCallback<Res>,
  ): grpc.ClientUnaryCall;
}

type ClientMethodOf<M extends AnyMethod> =
  M extends TikvMethod<unknown, infer ReqP, infer Res, unknown, "unary">
    ? UnaryClientMethod<ReqP, Res>
    : M extends TikvMethod<unknown, infer ReqP, infer Res, unknown, "serverStream">
      ? (
          request: ReqP,
          metadata?: grpc.Metadata,
          options?: Partial<grpc.CallOptions>,
        ) => grpc.ClientReadableStream<Res>
      : M extends TikvMethod<unknown, infer ReqP, infer Res, unknown, "bidiStream">
        ? (
            metadata?: grpc.Metadata,
            options?: Partial<grpc.CallOptions>,
          ) => grpc.ClientDuplexStream<ReqP, Res>
        : never;

/** A client of the service: a grpc-js Client with one typed method per upstream method name. */
export type TikvClient = grpc.Client & { [K in TikvMethodName]: ClientMethodOf<Methods[K]> };

const lowerCamel = (name: string) => name[0]!.toLowerCase() + name.slice(1);

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function definition(): grpc.ServiceDefinition {
  const def: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, m] of Object.entries(TIKV_METHODS) as [string, AnyMethod][]) {
    def[name] = {
      path: `/tikvpb.Tikv/${name}`,
      requestStream: m.kind === "bidiStream",
      responseStream: m.kind !== "unary",
      requestSerialize: (value) => toBuffer(encodeMessage(m.request, value)),
      requestDeserialize: (bytes) => decodeMessage(m.request, bytes),
      responseSerialize: (value) => toBuffer(encodeMessage(m.response, value)),
      responseDeserialize: (bytes) => decodeMessage(m.response, bytes),
      originalName: lowerCamel(name),
    };
  }
  return def;
}

/** The service definition to pass to `grpc.Server#addService` or `grpc.makeGenericClientConstructor`. */
export const TikvService: grpc.ServiceDefinition = definition();

/** Mounts `handlers` as the `tikvpb.Tikv` service; methods left out answer UNIMPLEMENTED. */
export function addTikvService(server: grpc.Server, handlers: TikvHandlers): void {
  server.addService(TikvService, handlers as grpc.UntypedServiceImplementation);
}

const ClientCtor = grpc.makeGenericClientConstructor(TikvService, "Tikv");

/** A typed client of `tikvpb.Tikv` at `address` (e.g. `127.0.0.1:20160`). */
export function createTikvClient(
  address: string,
  credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
  options?: grpc.ClientOptions,
): TikvClient {
  return new ClientCtor(address, credentials, options) as unknown as TikvClient;
}
