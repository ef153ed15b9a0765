// @copr/server: a TiKV-compatible node — the tikvpb.Tikv gRPC service over copr's MVCC storage,
// with the coprocessor endpoint, regions, a read pool of worker threads, metrics and logs.

export { type ChecksumResult, Crc64, crc64, runChecksum } from "./checksum.js";
export {
  applyConfig,
  ConfigError,
  defaultConfig,
  type LogLevel,
  loadConfig,
  type ServerConfig,
} from "./config.js";
export {
  type CopRunOptions,
  type CopRunResult,
  REQ_TYPE_ANALYZE,
  REQ_TYPE_CHECKSUM,
  REQ_TYPE_DAG,
  readOptionsOf,
  runCopRequest,
} from "./cop-handler.js";
export { ConcurrencyLimiter, CoprocessorEndpoint, type EndpointConfig, remainingRanges } from "./endpoint.js";
export { keyErrorFromError, lockInfoToPb, mvccKeyErrorToPb } from "./errors.js";
export { KvService } from "./kv.js";
export { ServerMetrics } from "./metrics.js";
export { ReadPool } from "./read-pool.js";
export { RegionError, type RegionInfo, RegionManager, regionToPb, STORE_ID } from "./regions.js";
export { type CoprServer, type CoprServerInternals, startServer } from "./server.js";
