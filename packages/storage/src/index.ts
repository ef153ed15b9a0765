// @copr/storage: TiKV's MVCC (Percolator) storage over an embedded LMDB engine or memory.

export { COLUMN_FAMILIES, MAX_KEY_LEN, newRangePair } from "./engine-common.js";
export {
  AlreadyExistError,
  BadFormatError,
  CommitTsExpiredError,
  CommittedError,
  DefaultNotFoundError,
  InvalidArgumentError,
  InvalidTxnTsoError,
  KeyIsLockedError,
  LockTypeNotMatchError,
  MvccError,
  StorageEngineError,
  TxnLockNotFoundError,
  TxnNotFoundError,
  WriteConflictError,
  type WriteConflictReason,
} from "./errors.js";
export {
  appendTs,
  compareBytes,
  decodeKeyTs,
  descTsBytes,
  encodeUserKey,
  MAX_TS,
  physical,
} from "./keys.js";
export { LmdbEngine, type LmdbEngineOptions, openLmdbEngine } from "./lmdb-engine.js";
export { MemoryEngine } from "./memory-engine.js";
export { Mvcc } from "./mvcc.js";
export { decodeUserKey } from "./reader.js";
export {
  encodeLock,
  encodeWrite,
  type Lock,
  lockInfoOf,
  newLock,
  newRollback,
  newWrite,
  parseLock,
  parseWrite,
  SHORT_VALUE_MAX_LEN,
  type Write,
  type WriteType,
} from "./records.js";
export type {
  ColumnFamily,
  Engine,
  EngineSnapshot,
  IsolationLevel,
  KeyRange,
  KvIterator,
  KvPair,
  LockInfo,
  LockKind,
  Mutation,
  MvccKeyError,
  MvccScanner,
  MvccSnapshot,
  MvccStore,
  PrewriteInput,
  RangeIterator,
  RangePair,
  ReadOptions,
  TxnStatus,
  WriteOp,
} from "./types.js";
