// @copr/aggr: aggregate functions over batches (TiKV components/tidb_query_aggr), producing TiKV's
// partial results for TiDB to merge. docs/aggr.md describes the interface and result layouts.

export { AggrFnAvg } from "./impl-avg.js";
export { AggrFnBitOp, type BitOpKind } from "./impl-bit-op.js";
export { AggrFnCount } from "./impl-count.js";
export { AggrFnFirst } from "./impl-first.js";
export { AggrFnExtremum, type ExtremumKind } from "./impl-max-min.js";
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
