// Public API of the columnar layer (TiKV codec/data_type: ChunkedVec*, LogicalRows, VectorValue).

export { type Batch, type BatchOptions, batchRowCount, makeBatch } from "./batch.js";
export { BUFFER_ALIGNMENT, bitmapCountNulls, bitmapGet, SLAB_BATCHES } from "./buffer.js";
export { ChunkedVecBase } from "./chunked-vec-base.js";
export {
  ChunkedVecBytes,
  ChunkedVecBytesBuilder,
  ChunkedVecJson,
  ChunkedVecJsonBuilder,
  ChunkedVecVarLen,
  MAX_VAR_LEN_BYTES,
} from "./chunked-vec-bytes.js";
export { ChunkedVecDateTime, ChunkedVecDateTimeBuilder } from "./chunked-vec-date-time.js";
export {
  ChunkedVecDecimal,
  ChunkedVecDecimalBuilder,
  decimalWordsToScaled,
  type LazyDecimalWords,
  type ScaledDecimals,
} from "./chunked-vec-decimal.js";
export { ChunkedVecDuration, ChunkedVecDurationBuilder } from "./chunked-vec-duration.js";
export { ChunkedVecEnum, ChunkedVecEnumBuilder } from "./chunked-vec-enum.js";
export {
  ChunkedVecInt,
  ChunkedVecIntBuilder,
  type IntColumnOptions,
  type IntData,
  MAX_EXACT_INT,
} from "./chunked-vec-int.js";
export { ChunkedVecReal, ChunkedVecRealBuilder } from "./chunked-vec-real.js";
export { ChunkedVecSet, ChunkedVecSetBuilder } from "./chunked-vec-set.js";
export { ChunkedVecVectorFloat32, ChunkedVecVectorFloat32Builder } from "./chunked-vec-vector-float32.js";
export {
  type Column,
  type ColumnBuilder,
  type ColumnOfEvalType,
  columnBuilderFor,
  emptyColumn,
  isColumnOf,
} from "./column.js";
export {
  BATCH_MAX_SIZE,
  filterLogicalRows,
  type LogicalRows,
  logicalRowAt,
  logicalRowCount,
  materializeLogicalRows,
  selectLogicalRows,
} from "./logical-rows.js";
