// Building tipb.Expr trees: what TiDB sends, for tests, clients and tools (TiKV's test-only
// `ExprDefBuilder`). Constants are encoded as TiDB encodes them in `Expr.val`.

import { ByteWriter, writeF64, writeI64, writeU64 } from "@copr/codec";
import {
  type Decimal,
  type Duration,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  type Time,
} from "@copr/datatype";
import { tipb } from "@copr/proto";
import { fieldTypeToPb } from "./field-type.js";

type Expr = tipb.Expr.$Properties;

function withVal(tp: tipb.ExprType, ft: FieldType, write: (w: ByteWriter) => void): Expr {
  const w = new ByteWriter(16);
  write(w);
  return { tp, val: w.finish().slice(), fieldType: fieldTypeToPb(ft) };
}

/** BIGINT, and BIGINT UNSIGNED. */
export const LONGLONG: FieldType = fieldType(FieldTypeTp.LongLong);
export const LONGLONG_UNSIGNED: FieldType = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned });

/** A reference to column `offset` of the input schema. */
export function columnRef(offset: number, ft: FieldType): Expr {
  return withVal(tipb.ExprType.ColumnRef, ft, (w) => writeI64(w, offset));
}

/** An integer constant (ExprType Int64, or Uint64 when `ft` is UNSIGNED, as TiDB writes them). */
export function constInt(v: number | bigint, ft: FieldType = LONGLONG): Expr {
  const unsigned = ((ft.flag ?? 0) & FieldTypeFlag.Unsigned) !== 0;
  return unsigned
    ? withVal(tipb.ExprType.Uint64, ft, (w) => writeU64(w, BigInt.asUintN(64, BigInt(v))))
    : withVal(tipb.ExprType.Int64, ft, (w) => writeI64(w, BigInt.asIntN(64, BigInt(v))));
}

/** A DOUBLE constant. */
export function constReal(v: number, ft: FieldType = fieldType(FieldTypeTp.Double)): Expr {
  return withVal(tipb.ExprType.Float64, ft, (w) => writeF64(w, v));
}

/** A string constant (UTF-8 for a JS string). */
export function constBytes(v: Uint8Array | string, ft: FieldType = fieldType(FieldTypeTp.VarString)): Expr {
  const val = typeof v === "string" ? new TextEncoder().encode(v) : v;
  return { tp: tipb.ExprType.String, val, fieldType: fieldTypeToPb(ft) };
}

/** A DECIMAL constant: precision and fraction bytes, then the binary form (the value's own). */
export function constDecimal(v: Decimal, ft: FieldType = fieldType(FieldTypeTp.NewDecimal)): Expr {
  const [prec, frac] = v.precAndFrac();
  const bin = v.toBin(prec, frac).value;
  const val = new Uint8Array(2 + bin.length);
  val[0] = prec;
  val[1] = frac;
  val.set(bin, 2);
  return { tp: tipb.ExprType.MysqlDecimal, val, fieldType: fieldTypeToPb(ft) };
}

/** A TIME constant (nanoseconds). */
export function constDuration(
  v: Duration,
  ft: FieldType = fieldType(FieldTypeTp.Duration, { decimal: v.fsp }),
): Expr {
  return withVal(tipb.ExprType.MysqlDuration, ft, (w) => writeI64(w, v.nanos));
}

/** A DATE/DATETIME/TIMESTAMP constant (packed u64; `ft` gives its type and fsp). */
export function constTime(v: Time, ft: FieldType): Expr {
  return withVal(tipb.ExprType.MysqlTime, ft, (w) => writeU64(w, v.toPackedU64()));
}

/** NULL of the type `ft`. */
export function constNull(ft: FieldType = LONGLONG): Expr {
  return { tp: tipb.ExprType.Null, fieldType: fieldTypeToPb(ft) };
}

/** A call of `sig` returning `ft` on `children`. */
export function scalarFunc(sig: tipb.ScalarFuncSig | number, ft: FieldType, ...children: Expr[]): Expr {
  return { tp: tipb.ExprType.ScalarFunc, sig, fieldType: fieldTypeToPb(ft), children };
}
