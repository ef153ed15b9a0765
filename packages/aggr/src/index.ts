// @copr/aggr: aggregate functions over batches (TiKV components/tidb_query_aggr), producing TiKV's
// partial results for TiDB to merge. docs/aggr.md describes the interface and result layouts.

export {
  HLL_FORMAT_VERSION,
  HLL_PRECISION,
  HLL_REGISTERS,
  HyperLogLog,
} from "./hll.js";
export {
  AggrFnApproxCountDistinct,
  APPROX_COUNT_DISTINCT_FIELD_TYPE,
  approxCountDistinctOf,
  mergeApproxCountDistinct,
} from "./impl-approx-count-distinct.js";
export { AggrFnAvg } from "./impl-avg.js";
export { AggrFnBitOp, type BitOpKind } from "./impl-bit-op.js";
export { AggrFnCount } from "./impl-count.js";
export { AggrFnFirst } from "./impl-first.js";
export {
  AggrFnGroupConcat,
  DEFAULT_GROUP_CONCAT_MAX_LEN,
  decodeGroupConcatRows,
  ERR_CUT_VALUE_GROUP_CONCAT,
  encodeGroupConcatRows,
  GROUP_CONCAT_ROWS_FIELD_TYPE,
  GROUP_CONCAT_ROWS_VERSION,
  type GroupConcatEntry,
  type GroupConcatLayout,
  type GroupConcatOptions,
  mergeGroupConcat,
  mergeGroupConcatRows,
} from "./impl-group-concat.js";
export {
  AggrFnJsonArrayAgg,
  AggrFnJsonObjectAgg,
  ERR_INVALID_JSON_CHARSET,
  ERR_JSON_DOCUMENT_NULL_KEY,
  jsonValueOf,
  mergeJsonArrayAgg,
  mergeJsonObjectAgg,
} from "./impl-json-agg.js";
export { AggrFnExtremum, type ExtremumKind } from "./impl-max-min.js";
export { AggrFnStddev, mergeVariancePartials, stddevOf, type VariancePartial } from "./impl-stddev.js";
export { AggrFnSum, AggrFnSumInt, type SumAccumulator } from "./impl-sum.js";
export { AggrFnVariance, type VarianceKind } from "./impl-variance.js";
export {
  type AggrFunction,
  type AggrFunctionState,
  updateStateAt,
  updateStateFromResult,
} from "./interface.js";
export {
  checkAggrSupported,
  type ParseAggrOptions,
  type ParsedAggr,
  parseAggr,
  supportedAggrTypes,
} from "./parser.js";
