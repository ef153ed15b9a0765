// The column and builder unions over eval types, and builders chosen from a field type.
// Follows TiKV components/tidb_query_datatype/src/codec/data_type/vector.rs (VectorValue).

import { checkDurationFsp } from "../duration/index.js";
import { EvalType, evalTypeOf } from "../eval-type.js";
import { type FieldType, isUnsigned, UNSPECIFIED_LENGTH } from "../field-type.js";
import {
  type ChunkedVecBytes,
  ChunkedVecBytesBuilder,
  type ChunkedVecJson,
  ChunkedVecJsonBuilder,
} from "./chunked-vec-bytes.js";
import { type ChunkedVecDateTime, ChunkedVecDateTimeBuilder } from "./chunked-vec-date-time.js";
import { type ChunkedVecDecimal, ChunkedVecDecimalBuilder } from "./chunked-vec-decimal.js";
import { type ChunkedVecDuration, ChunkedVecDurationBuilder } from "./chunked-vec-duration.js";
import { type ChunkedVecEnum, ChunkedVecEnumBuilder } from "./chunked-vec-enum.js";
import { type ChunkedVecInt, ChunkedVecIntBuilder } from "./chunked-vec-int.js";
import { type ChunkedVecReal, ChunkedVecRealBuilder } from "./chunked-vec-real.js";
import { type ChunkedVecSet, ChunkedVecSetBuilder } from "./chunked-vec-set.js";
import {
  type ChunkedVecVectorFloat32,
  ChunkedVecVectorFloat32Builder,
} from "./chunked-vec-vector-float32.js";

/**
 * A column of any eval type (TiKV `VectorValue`); narrow it on `evalType`. Every member has
 * `length`, `nullCount`, `validity`, `isNull(i)` and `get(i)`.
 */
export type Column =
  | ChunkedVecInt
  | ChunkedVecReal
  | ChunkedVecDecimal
  | ChunkedVecBytes
  | ChunkedVecDateTime
  | ChunkedVecDuration
  | ChunkedVecJson
  | ChunkedVecEnum
  | ChunkedVecSet
  | ChunkedVecVectorFloat32;

/** A builder of any eval type; every member has `length`, `appendNull()` and `finish()`. */
export type ColumnBuilder =
  | ChunkedVecIntBuilder
  | ChunkedVecRealBuilder
  | ChunkedVecDecimalBuilder
  | ChunkedVecBytesBuilder
  | ChunkedVecDateTimeBuilder
  | ChunkedVecDurationBuilder
  | ChunkedVecJsonBuilder
  | ChunkedVecEnumBuilder
  | ChunkedVecSetBuilder
  | ChunkedVecVectorFloat32Builder;

/** The column class of each eval type. */
export interface ColumnOfEvalType {
  Int: ChunkedVecInt;
  Real: ChunkedVecReal;
  Decimal: ChunkedVecDecimal;
  Bytes: ChunkedVecBytes;
  DateTime: ChunkedVecDateTime;
  Duration: ChunkedVecDuration;
  Json: ChunkedVecJson;
  Enum: ChunkedVecEnum;
  Set: ChunkedVecSet;
  VectorFloat32: ChunkedVecVectorFloat32;
}

/**
 * A builder for values of field type `ft` (its eval type; UNSIGNED, the fsp of a TIME and the
 * members of an ENUM/SET come from `ft`), with room for `capacity` rows. Throws an
 * UnsupportedError for a field type that has no eval type, and an EvalError for a TIME with an
 * invalid fsp.
 */
export function columnBuilderFor(ft: FieldType, capacity = 0): ColumnBuilder {
  const et = evalTypeOf(ft);
  switch (et) {
    case EvalType.Int:
      return new ChunkedVecIntBuilder({ unsigned: isUnsigned(ft), capacity });
    case EvalType.Real:
      return new ChunkedVecRealBuilder(capacity);
    case EvalType.Decimal:
      return new ChunkedVecDecimalBuilder(capacity);
    case EvalType.Bytes:
      return new ChunkedVecBytesBuilder(capacity);
    case EvalType.DateTime:
      return new ChunkedVecDateTimeBuilder(capacity);
    case EvalType.Duration:
      return new ChunkedVecDurationBuilder(checkDurationFsp(ft.decimal ?? UNSPECIFIED_LENGTH), capacity);
    case EvalType.Json:
      return new ChunkedVecJsonBuilder(capacity);
    case EvalType.Enum:
      return new ChunkedVecEnumBuilder(ft.elems ?? [], capacity);
    case EvalType.Set:
      return new ChunkedVecSetBuilder(ft.elems ?? [], capacity);
    case EvalType.VectorFloat32:
      return new ChunkedVecVectorFloat32Builder(capacity);
  }
}

/**
 * An empty column (no rows) of field type `ft`; a batch of a column nobody reads, or the result
 * of an empty input.
 */
export function emptyColumn(ft: FieldType): Column {
  return columnBuilderFor(ft).finish();
}

/** True if `c` is a column of eval type `et` (narrows the type). */
export function isColumnOf<E extends EvalType>(c: Column, et: E): c is ColumnOfEvalType[E] {
  return c.evalType === et;
}
