// Aggregates of several arguments (GROUP_CONCAT's values and ORDER BY items, JSON_OBJECTAGG's key
// and value, APPROX_COUNT_DISTINCT over a tuple) keep the one-argument contract of the executor:
// the parser appends an internal call node that folds the arguments of a row into one value (a
// string, a key, a one-member JSON object), and the state reads that value. The node is an
// ordinary RPN call evaluated by `@copr/expr` (constants stay constants, NULLs reach the function),
// but its function is not in the registry and has no ScalarFuncSig.
import type { EvalContext, EvalType, FieldType } from "@copr/datatype";
import { RpnExpression as Rpn, type RpnExpression, type RpnFnMeta } from "@copr/expr";

/** The `sig` of internal row functions: not a ScalarFuncSig. */
export const INTERNAL_SIG = -1;

/**
 * An internal function of any number of arguments of any eval type, receiving the context and
 * the row's argument values (null for NULL; the array is reused between rows) and returning a
 * value of `ret` or null.
 */
export function rowFn(
  name: string,
  ret: EvalType,
  fn: (ctx: EvalContext, values: readonly unknown[]) => unknown,
): RpnFnMeta {
  return {
    name,
    sig: INTERNAL_SIG,
    args: { anyArgs: true },
    ret,
    nonnull: false,
    ctx: true,
    metadata: undefined,
    validator: undefined,
    fn,
    vector: undefined,
  };
}

/** `fn(parts…)` as one RPN expression, its result of type `fieldType`. */
export function combine(parts: readonly RpnExpression[], fn: RpnFnMeta, fieldType: FieldType): RpnExpression {
  return new Rpn([
    ...parts.flatMap((p) => p.nodes),
    { kind: "call", fn, argCount: parts.length, fieldType, metadata: undefined },
  ]);
}
