// How values of each MySQL type are held during evaluation.
// Facts from TiKV components/tidb_query_datatype/src/def/eval_type.rs.

import { UnsupportedError } from "./errors.js";
import { type FieldType, FieldTypeTp, fieldTypeTpName } from "./field-type.js";

/**
 * The evaluation type of a value: what representation functions and columns use. TIMESTAMP and
 * DATE share DateTime, every string and blob is Bytes. Unlike TiKV, SET columns get a real Set
 * eval type (TiKV maps SET to nothing, which stopped its SET pushdown half way).
 */
export const EvalType = {
  Int: "Int",
  Real: "Real",
  Decimal: "Decimal",
  Bytes: "Bytes",
  DateTime: "DateTime",
  Duration: "Duration",
  Json: "Json",
  Enum: "Enum",
  Set: "Set",
  VectorFloat32: "VectorFloat32",
} as const;
export type EvalType = (typeof EvalType)[keyof typeof EvalType];

/** Every eval type, in declaration order. */
export const EVAL_TYPES: readonly EvalType[] = Object.values(EvalType);

/**
 * The eval type of a field type code. Throws {@link UnsupportedError} for types that cannot be
 * evaluated (Unspecified, NewDate, Geometry, unknown codes).
 */
export function evalTypeOfTp(tp: number): EvalType {
  switch (tp) {
    case FieldTypeTp.Tiny:
    case FieldTypeTp.Short:
    case FieldTypeTp.Int24:
    case FieldTypeTp.Long:
    case FieldTypeTp.LongLong:
    case FieldTypeTp.Bit:
    case FieldTypeTp.Year:
      return EvalType.Int;
    case FieldTypeTp.Float:
    case FieldTypeTp.Double:
      return EvalType.Real;
    case FieldTypeTp.NewDecimal:
      return EvalType.Decimal;
    case FieldTypeTp.Timestamp:
    case FieldTypeTp.Date:
    case FieldTypeTp.DateTime:
      return EvalType.DateTime;
    case FieldTypeTp.Duration:
      return EvalType.Duration;
    case FieldTypeTp.Json:
      return EvalType.Json;
    case FieldTypeTp.TiDBVectorFloat32:
      return EvalType.VectorFloat32;
    case FieldTypeTp.VarChar:
    case FieldTypeTp.TinyBlob:
    case FieldTypeTp.MediumBlob:
    case FieldTypeTp.LongBlob:
    case FieldTypeTp.Blob:
    case FieldTypeTp.VarString:
    case FieldTypeTp.String:
    case FieldTypeTp.Null:
      return EvalType.Bytes;
    case FieldTypeTp.Enum:
      return EvalType.Enum;
    case FieldTypeTp.Set:
      return EvalType.Set;
    default:
      throw new UnsupportedError(`Unsupported type: ${fieldTypeTpName(tp)}`);
  }
}

/** The eval type of a field type; see {@link evalTypeOfTp}. */
export function evalTypeOf(ft: FieldType): EvalType {
  return evalTypeOfTp(ft.tp);
}

/** A field type code that has the given eval type (for building test schemas). */
export function fieldTypeTpOf(et: EvalType): FieldTypeTp {
  switch (et) {
    case EvalType.Int:
      return FieldTypeTp.LongLong;
    case EvalType.Real:
      return FieldTypeTp.Double;
    case EvalType.Decimal:
      return FieldTypeTp.NewDecimal;
    case EvalType.Bytes:
      return FieldTypeTp.String;
    case EvalType.DateTime:
      return FieldTypeTp.DateTime;
    case EvalType.Duration:
      return FieldTypeTp.Duration;
    case EvalType.Json:
      return FieldTypeTp.Json;
    case EvalType.Enum:
      return FieldTypeTp.Enum;
    case EvalType.Set:
      return FieldTypeTp.Set;
    case EvalType.VectorFloat32:
      return FieldTypeTp.TiDBVectorFloat32;
  }
}
