// @copr/expr: tipb.Expr → RPN, batch evaluation, and the registry of scalar functions.
import "./functions/index.js";

export {
  columnRef,
  constBytes,
  constDecimal,
  constDuration,
  constInt,
  constNull,
  constReal,
  constTime,
  LONGLONG,
  LONGLONG_UNSIGNED,
  scalarFunc,
} from "./build-expr.js";
export { ExprError } from "./errors.js";
export { asMysqlBool, type EvalInput, type EvalResult, evalFilter, evalRpn, readerOf } from "./eval.js";
export { fieldTypeFromPb, fieldTypeToPb } from "./field-type.js";
export {
  type FilterFn,
  lookupRpnFn,
  type RpnArgs,
  type RpnFnMeta,
  type RpnFnOptions,
  registeredSigs,
  registerFilterFn,
  registerRpnFn,
  registerVectorFn,
  rpnFn,
  rpnVectorFn,
  type VectorArg,
  type VectorCall,
  type VectorFn,
} from "./registry.js";
export {
  type BuildOptions,
  buildRpn,
  decodeConstant,
  type ExprLike,
  type RpnCall,
  type RpnColumnRef,
  type RpnConstant,
  RpnExpression,
  type RpnNode,
} from "./rpn.js";
