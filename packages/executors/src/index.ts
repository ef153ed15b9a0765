// @copr/executors: batch executors and the storage interface they read through.
export {
  type BatchExecuteResult,
  type BatchExecutor,
  Drain,
  type ExecuteStats,
  type IntervalRange,
} from "./interface.js";
export { compareKeys, type KeyRange, MemoryStorage, type Storage, type StorageScanner } from "./storage.js";
