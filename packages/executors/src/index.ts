// @copr/executors: batch executors and the storage interface they read through.

export { AGGR_SRC_BATCH_SIZE, type AggregationOptions } from "./aggr-util.js";
export {
  type BuildExecutorsOptions,
  buildExecutors,
  buildExecutorTree,
  type DagRequestOptions,
  dagExecutors,
  type ExecutorTree,
  isExecutorUnderParentTp,
  runDagRequest,
} from "./dag.js";
export {
  BatchFastHashAggregationExecutor,
  BatchSlowHashAggregationExecutor,
  checkFastHashAggrSupported,
  checkSlowHashAggrSupported,
  type HashAggregationOptions,
} from "./hash-aggr.js";
export {
  AccessorTableTaskIterator,
  AccessorTableTaskIterBuilder,
  BatchIndexLookUpExecutor,
  type BuildIndexLookUpOptions,
  buildIndexLookUpExecutor,
  type FindRegionResult,
  type HandleKind,
  type IndexLayout,
  type IndexLookUpOptions,
  IndexScanWithCommonHandles,
  type LocalRegion,
  type RegionInfo,
  type RegionStorageAccessor,
  regionsAccessor,
  type TableScanParams,
  type TableTask,
  type TableTaskIterator,
  type TableTaskIterBuilder,
  wholeStorageAccessor,
} from "./index-lookup.js";
export { BatchIndexScanExecutor, type IndexScanOptions } from "./index-scan.js";
export {
  type BatchExecuteResult,
  type BatchExecutor,
  Drain,
  type ExecuteStats,
  type IntermediateOutputSource,
  type IntervalRange,
} from "./interface.js";
export { BatchLimitExecutor, type LimitOptions } from "./limit.js";
export { BatchPartitionTopNExecutor } from "./partition-top-n.js";
export { BatchProjectionExecutor, type ExprBuildOptions, expandScalar, gatherColumn } from "./projection.js";
export {
  BATCH_INITIAL_SIZE,
  BATCH_MAX_SIZE,
  DeadlineExceededError,
  deadlineChecker,
  ERR_DEADLINE_EXCEEDED,
  evalContextFromDag,
  growBatchSize,
  type IntermediateChannel,
  isChunkEncodable,
  isDeadlineExceededError,
  type RunOptions,
  type RunResult,
  runDag,
} from "./runner.js";
export {
  EXTRA_COMMIT_TS_COL_ID,
  EXTRA_HANDLE_ID,
  EXTRA_PARTITION_ID_COL_ID,
  EXTRA_PHYSICAL_TABLE_ID_COL_ID,
  fieldTypeFromColumnInfo,
  type Int64Like,
} from "./scan-ranges.js";
export { BatchSelectionExecutor } from "./selection.js";
export {
  BatchSimpleAggregationExecutor,
  checkSimpleAggrSupported,
  type SimpleAggregationOptions,
} from "./simple-aggr.js";
export {
  compareKeys,
  type KeyRange,
  MemoryStorage,
  newRangeBlock,
  newRangePair,
  type RangeBlock,
  type RangePair,
  resetRangeBlock,
  type Storage,
  type StorageScanner,
} from "./storage.js";
export { BatchStreamAggregationExecutor, checkStreamAggrSupported } from "./stream-aggr.js";
export {
  BatchExecutorWithSummary,
  defaultSummaryClock,
  type ExecSummary,
  type ExecuteStatsWithSummaries,
  emptyExecSummary,
  executionSummariesToPb,
  newExecuteStats,
  type SummaryClock,
  withSummary,
} from "./summary.js";
export { BatchTableScanExecutor, type TableScanOptions } from "./table-scan.js";
export {
  BatchTopNExecutor,
  compareSortKey,
  type SortKeyType,
  sortKeyTypeOf,
  type TopNOptions,
} from "./top-n.js";
