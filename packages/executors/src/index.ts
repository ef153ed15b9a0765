// @copr/executors: batch executors and the storage interface they read through.
export {
  type BatchExecuteResult,
  type BatchExecutor,
  Drain,
  type ExecuteStats,
  type IntervalRange,
} from "./interface.js";
export {
  BATCH_INITIAL_SIZE,
  BATCH_MAX_SIZE,
  evalContextFromDag,
  growBatchSize,
  isChunkEncodable,
  type RunOptions,
  type RunResult,
  runDag,
} from "./runner.js";
export { compareKeys, type KeyRange, MemoryStorage, type Storage, type StorageScanner } from "./storage.js";
