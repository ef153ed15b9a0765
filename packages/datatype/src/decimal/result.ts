// The outcome of a decimal operation: a value plus Ok/Truncated/Overflow, and how an EvalContext
// turns it into a warning or an error. Follows TiKV codec/mysql/decimal.rs `Res<T>`.

import { EvalError } from "../errors.js";
import type { EvalContext } from "../eval-context.js";

/**
 * How exact a decimal result is (TiKV `Res`): `Ok`; `Truncated` (fractional digits were dropped
 * or rounded away); `Overflow` (the integer part did not fit; the value is a documented
 * substitute, usually the largest decimal of the right sign); `Invalid` (parsing only: the input
 * is empty or not a number, where TiKV returns an error; the value is zero).
 */
export const DecimalStatus = {
  Ok: 0,
  Truncated: 1,
  Overflow: 2,
  Invalid: 3,
} as const;
/** One of the {@link DecimalStatus} codes. */
export type DecimalStatus = (typeof DecimalStatus)[keyof typeof DecimalStatus];

/**
 * A value with its {@link DecimalStatus}. Value code never throws for truncation or overflow: it
 * returns the status and the caller decides with its {@link EvalContext} (see
 * {@link decimalResultInto}).
 */
export interface DecimalResult<T> {
  readonly value: T;
  readonly status: DecimalStatus;
}

/**
 * Resolves a result with `ctx` (TiKV `Res::into_result`): returns the value when the status is
 * Ok, or when `ctx` turns the problem into a warning; throws otherwise. Truncated (and Invalid)
 * go to `ctx.handleTruncateErr(truncatedErr)` or, without one, `ctx.handleTruncate(true)`;
 * Overflow goes to `ctx.handleOverflowErr(overflowErr ?? EvalError.overflow("DECIMAL", ""))`.
 */
export function decimalResultInto<T>(
  ctx: EvalContext,
  r: DecimalResult<T>,
  truncatedErr?: EvalError,
  overflowErr?: EvalError,
): T {
  switch (r.status) {
    case DecimalStatus.Ok:
      return r.value;
    case DecimalStatus.Truncated:
    case DecimalStatus.Invalid:
      if (truncatedErr === undefined) ctx.handleTruncate(true);
      else ctx.handleTruncateErr(truncatedErr);
      return r.value;
    default:
      ctx.handleOverflowErr(overflowErr ?? EvalError.overflow("DECIMAL", ""));
      return r.value;
  }
}
