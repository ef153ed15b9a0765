// Shared helpers of the integer functions: TiKV's Int is an i64 whose unsigned reading a function
// chooses; copr passes SQL values (a u64 for UNSIGNED arguments), so functions that follow TiKV's
// signed/unsigned variants first take the 64-bit pattern.

import { isUnsigned } from "@copr/datatype";
import type { tipb } from "@copr/proto";
import { fieldTypeFromPb } from "../field-type.js";

export const U64_MAX = (1n << 64n) - 1n;
export const I64_MIN = -(1n << 63n);
export const I64_MAX = (1n << 63n) - 1n;

/** The value as TiKV holds it: the i64 of its 64-bit pattern. */
export function asI64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** The value read as a u64 (TiKV `x as u64`). */
export function asU64(v: bigint): bigint {
  return BigInt.asUintN(64, v);
}

/** Whether the two arguments of a binary call are UNSIGNED (TiKV `map_int_sig`). */
export function argsUnsigned(expr: tipb.Expr.$Properties): [boolean, boolean] {
  const c = expr.children ?? [];
  const u = (i: number) => {
    const ft = c[i]?.fieldType;
    return ft ? isUnsigned(fieldTypeFromPb(ft)) : false;
  };
  return [u(0), u(1)];
}
