// The error of an expression that cannot be built: a wrong argument count or type, a column offset
// outside the schema, an expression type copr does not evaluate.

// Same brand as @copr/datatype's CoprError (`isCoprError` recognises it).
const BRAND: unique symbol = Symbol.for("copr.error") as never;

/** An invalid expression tree; MySQL code 1105 as TiKV's `other_err!`. */
export class ExprError extends Error {
  override readonly name = "ExprError" as const;
  readonly code = 1105;
  /** @internal brand shared with every copr error. */
  readonly [BRAND] = true;
}
