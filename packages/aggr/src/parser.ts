// From a `tipb.Expr` aggregate node to an aggregate function, its argument expression and the field
// types of its partial result. Behaviour of TiKV components/tidb_query_aggr/src/parser.rs (which
// ExprType maps to which function), util.rs (one argument; the casts inserted before SUM, AVG,
// VARIANCE and the BIT operations) and each impl_*.rs `parse_rpn` (result types and their checks).
import {
  collationOf,
  collatorFor,
  type EvalContext,
  EvalType,
  evalTypeOf,
  type FieldType,
  FieldTypeTp,
  fieldTypeTpName,
  isUnsigned,
  UnsupportedError,
} from "@copr/datatype";
import {
  buildRpn,
  ExprError,
  type ExprLike,
  fieldTypeFromPb,
  fieldTypeToPb,
  lookupRpnFn,
  RpnExpression,
  type RpnFnMeta,
} from "@copr/expr";
import { enumName, tipb } from "@copr/proto";
import { AggrFnAvg } from "./impl-avg.js";
import { AggrFnBitOp, type BitOpKind } from "./impl-bit-op.js";
import { AggrFnCount } from "./impl-count.js";
import { AggrFnFirst } from "./impl-first.js";
import { AggrFnExtremum } from "./impl-max-min.js";
import { AggrFnSum, AggrFnSumInt, type SumAccumulator } from "./impl-sum.js";
import { AggrFnVariance } from "./impl-variance.js";
import type { AggrFunction } from "./interface.js";
import { BIT_OP_INT_FIELD_TYPE, countFieldType, SUM_REAL_FIELD_TYPE } from "./util.js";

const E = tipb.ExprType;
const S = tipb.ScalarFuncSig;

/** An aggregate ready to run: what TiKV's parser appends to `out_exp` and `out_schema`. */
export interface ParsedAggr {
  /** The function; create one state per group. */
  readonly fn: AggrFunction;
  /**
   * The argument expression, over the source schema. Its result feeds the states; its eval type
   * may differ from the aggregate's value type where the state converts itself (see docs).
   */
  readonly expr: RpnExpression;
  /** The field types of the partial result, one per column the state pushes (AVG: count, sum). */
  readonly fieldTypes: readonly FieldType[];
}

/** Options of {@link parseAggr}. */
export interface ParseAggrOptions {
  /** Finds scalar functions (the argument's and inserted casts'); default: the registry. */
  lookup?: (sig: number) => RpnFnMeta | undefined;
}

/** The aggregates copr evaluates, by ExprType (TiKV `map_pb_sig_to_aggr_func_parser`). */
const SUPPORTED: ReadonlySet<number> = new Set([
  E.Count,
  E.Sum,
  E.SumInt,
  E.Avg,
  E.First,
  E.Agg_BitAnd,
  E.Agg_BitOr,
  E.Agg_BitXor,
  E.Max,
  E.Min,
  E.Variance,
  E.VarPop,
  E.VarSamp,
]);

/** The ExprTypes {@link parseAggr} accepts, ascending. */
export function supportedAggrTypes(): number[] {
  return [...SUPPORTED].sort((a, b) => a - b);
}

function aggrName(tp: number): string {
  return enumName(tipb.ExprType, tp);
}

function typeOf(def: ExprLike): number {
  return def.tp ?? E.Null;
}

/**
 * Checks that copr can evaluate the aggregate `def` (TiKV `check_supported`): a supported ExprType,
 * exactly one argument, and an argument tree whose functions are all registered. Throws an
 * UnsupportedError naming the aggregate for an aggregate or function copr does not have, an
 * ExprError for a malformed definition.
 */
export function checkAggrSupported(def: ExprLike, options: ParseAggrOptions = {}): void {
  const tp = typeOf(def);
  const name = aggrName(tp);
  if (!SUPPORTED.has(tp)) throw unsupportedAggr(tp);
  const child = onlyChild(def, name);
  try {
    buildRpn(child, {
      schemaLength: Number.MAX_SAFE_INTEGER,
      ...(options.lookup ? { lookup: options.lookup } : {}),
    });
  } catch (e) {
    throw rewrap(e, `Aggregation function meet blacklist expr type ${name}`);
  }
}

function unsupportedAggr(tp: number): UnsupportedError {
  return new UnsupportedError(
    `Aggregation function meet blacklist aggr function ${aggrName(tp)} (ExprType ${tp})`,
  );
}

function rewrap(e: unknown, prefix: string): unknown {
  if (e instanceof UnsupportedError) return new UnsupportedError(`${prefix}: ${e.message}`, e.code);
  if (e instanceof ExprError) return new ExprError(`${prefix}: ${e.message}`, { cause: e });
  return e;
}

function onlyChild(def: ExprLike, name: string): ExprLike {
  const children = def.children ?? [];
  if (children.length !== 1) throw new ExprError(`${name}: Expect 1 parameter, but got ${children.length}`);
  return children[0]!;
}

/**
 * Builds the aggregate `def` over `srcSchema` (TiKV `AllAggrDefinitionParser::parse`): its function,
 * argument expression (with a CAST appended where TiKV inserts one) and partial-result field
 * types. Throws an UnsupportedError naming the aggregate for an unsupported aggregate or argument
 * type, and an ExprError when the definition's result type does not match its argument (e.g. SUM
 * over BIGINT declared DOUBLE), as TiKV does.
 */
export function parseAggr(
  def: ExprLike,
  ctx: EvalContext,
  srcSchema: readonly FieldType[],
  options: ParseAggrOptions = {},
): ParsedAggr {
  const tp = typeOf(def);
  const name = aggrName(tp);
  if (!SUPPORTED.has(tp)) throw unsupportedAggr(tp);
  const child = onlyChild(def, name);
  if (!def.fieldType) throw new ExprError(`${name}: the aggregate has no field type`);
  const outFt = fieldTypeFromPb(def.fieldType);
  const lookup = options.lookup ?? lookupRpnFn;
  const expr = buildRpn(child, { schemaLength: srcSchema.length, ctx, lookup });
  const arg = new Arg(name, child, expr, srcSchema, lookup);
  switch (tp) {
    case E.Count:
      return { fn: new AggrFnCount(), expr, fieldTypes: [countFieldType()] };
    case E.Sum:
    case E.Avg:
    case E.Variance:
    case E.VarPop:
    case E.VarSamp:
      return parseSummable(tp, name, outFt, arg);
    case E.SumInt:
      return parseSumInt(name, outFt, arg);
    case E.First: {
      expectResult(name, outFt, arg.evalType);
      return { fn: new AggrFnFirst(arg.evalType), expr, fieldTypes: [outFt] };
    }
    case E.Max:
    case E.Min: {
      // TiKV reads the result collation before anything else: an unknown one fails for any type.
      const collator = collatorFor(collationOf(outFt));
      expectResult(name, outFt, arg.evalType);
      const fn = new AggrFnExtremum(tp === E.Max ? "Max" : "Min", arg.evalType, collator);
      return { fn, expr, fieldTypes: [outFt] };
    }
    default:
      return parseBitOp(tp, name, outFt, arg);
  }
}

/** The argument of an aggregate: its built expression and result type, and how to cast it. */
class Arg {
  readonly fieldType: FieldType;
  readonly evalType: EvalType;

  constructor(
    readonly aggr: string,
    private readonly child: ExprLike,
    readonly expr: RpnExpression,
    srcSchema: readonly FieldType[],
    private readonly lookup: (sig: number) => RpnFnMeta | undefined,
  ) {
    this.fieldType = retFieldType(expr, srcSchema);
    this.evalType = evalTypeOf(this.fieldType);
  }

  /**
   * The expression with a CAST to `to` appended (TiKV `get_cast_fn_rpn_node` pushed on the RPN):
   * the registered function of `sig` with its metadata built for this argument.
   */
  cast(sig: number, to: FieldType): RpnExpression {
    const sigName = enumName(tipb.ScalarFuncSig, sig);
    const fn = this.lookup(sig);
    if (fn === undefined) {
      throw new UnsupportedError(
        `${this.aggr} over ${this.evalType} needs ${sigName} (sig ${sig}), which is not supported`,
      );
    }
    const node: ExprLike = {
      tp: E.ScalarFunc,
      sig,
      fieldType: fieldTypeToPb(to),
      children: [{ ...this.child, fieldType: fieldTypeToPb(this.fieldType) }],
    };
    fn.validator?.(node);
    const metadata = fn.metadata?.(node);
    return new RpnExpression([
      ...this.expr.nodes,
      { kind: "call", fn, argCount: 1, fieldType: to, metadata },
    ]);
  }
}

/** The field type an RPN expression returns (TiKV `RpnExpression::ret_field_type`). */
function retFieldType(expr: RpnExpression, schema: readonly FieldType[]): FieldType {
  const last = expr.nodes[expr.nodes.length - 1]!;
  return last.kind === "column" ? schema[last.offset]! : last.fieldType;
}

function expectResult(name: string, outFt: FieldType, et: EvalType): void {
  if (evalTypeOf(outFt) !== et) {
    throw new ExprError(
      `${name}: Unexpected return field type ${fieldTypeTpName(outFt.tp)} for a ${et} value`,
    );
  }
}

function unsupportedArg(name: string, et: EvalType, to: EvalType): UnsupportedError {
  return new UnsupportedError(`${name} over ${et} is not supported: Unsupported cast from ${et} to ${to}`);
}

/** The cast TiKV inserts to make an argument DOUBLE, for types whose cast needs a real function. */
const CAST_AS_REAL: Partial<Record<EvalType, number>> = {
  [EvalType.Bytes]: S.CastStringAsReal,
  [EvalType.DateTime]: S.CastTimeAsReal,
  [EvalType.Duration]: S.CastDurationAsReal,
  [EvalType.Json]: S.CastJsonAsReal,
};

/** The cast TiKV inserts to make an argument BIGINT, for types whose cast needs a real function. */
const CAST_AS_INT: Partial<Record<EvalType, number>> = {
  [EvalType.Real]: S.CastRealAsInt,
  [EvalType.Bytes]: S.CastStringAsInt,
  [EvalType.Decimal]: S.CastDecimalAsInt,
  [EvalType.DateTime]: S.CastTimeAsInt,
  [EvalType.Duration]: S.CastDurationAsInt,
  [EvalType.Json]: S.CastJsonAsInt,
};

/**
 * SUM, AVG and the variances (TiKV `rewrite_exp_for_sum_avg` + parse_rpn): DECIMAL and DOUBLE
 * arguments stay; integers become DECIMAL (BIT: DOUBLE); anything else becomes DOUBLE. The result
 * field type must have the rewritten eval type.
 */
function parseSummable(tp: number, name: string, outFt: FieldType, arg: Arg): ParsedAggr {
  let acc: SumAccumulator;
  let argType = arg.evalType;
  let expr = arg.expr;
  switch (arg.evalType) {
    case EvalType.Decimal:
      acc = "Decimal";
      break;
    case EvalType.Real:
      acc = "Real";
      break;
    case EvalType.Int:
      acc = arg.fieldType.tp === FieldTypeTp.Bit ? "Real" : "IntAsDecimal";
      break;
    case EvalType.Enum:
    case EvalType.Set:
      acc = "Real";
      break;
    default: {
      const sig = CAST_AS_REAL[arg.evalType];
      if (sig === undefined) throw unsupportedArg(name, arg.evalType, EvalType.Real);
      expr = arg.cast(sig, SUM_REAL_FIELD_TYPE);
      acc = "Real";
      argType = EvalType.Real;
    }
  }
  expectResult(name, outFt, acc === "Real" ? EvalType.Real : EvalType.Decimal);
  switch (tp) {
    case E.Sum:
      return { fn: new AggrFnSum(acc, argType), expr, fieldTypes: [outFt] };
    case E.Avg:
      return { fn: new AggrFnAvg(acc, argType), expr, fieldTypes: [countFieldType(), outFt] };
    default: {
      const kind = tp === E.VarSamp ? "Sample" : "Population";
      return {
        fn: new AggrFnVariance(acc, argType, kind),
        expr,
        fieldTypes: [countFieldType(), outFt, outFt],
      };
    }
  }
}

const SUM_INT_ARG_TYPES: ReadonlySet<number> = new Set([
  FieldTypeTp.Tiny,
  FieldTypeTp.Short,
  FieldTypeTp.Int24,
  FieldTypeTp.Long,
  FieldTypeTp.LongLong,
]);

/** SUM_INT (TiKV impl_sum_int.rs): BIGINT result over an integer argument of the same signedness. */
function parseSumInt(name: string, outFt: FieldType, arg: Arg): ParsedAggr {
  if (outFt.tp !== FieldTypeTp.LongLong) {
    throw new ExprError(`${name}: Unexpected return field type ${fieldTypeTpName(outFt.tp)} for SUM_INT`);
  }
  if (!SUM_INT_ARG_TYPES.has(arg.fieldType.tp)) {
    throw new ExprError(
      `${name}: SUM_INT only accepts integer arguments, but got ${fieldTypeTpName(arg.fieldType.tp)}`,
    );
  }
  const outUnsigned = isUnsigned(outFt);
  const argUnsigned = isUnsigned(arg.fieldType);
  if (outUnsigned !== argUnsigned) {
    throw new ExprError(
      `${name}: Unexpected unsigned flag for SUM_INT: return_is_unsigned=${outUnsigned}, arg_is_unsigned=${argUnsigned}`,
    );
  }
  return { fn: new AggrFnSumInt(outUnsigned), expr: arg.expr, fieldTypes: [outFt] };
}

/**
 * BIT_AND, BIT_OR, BIT_XOR (TiKV `rewrite_exp_for_bit_op`): integer arguments stay, others are cast
 * to BIGINT. The result field type is the definition's, unchecked, as in TiKV.
 */
function parseBitOp(tp: number, name: string, outFt: FieldType, arg: Arg): ParsedAggr {
  const kind: BitOpKind = tp === E.Agg_BitAnd ? "BitAnd" : tp === E.Agg_BitOr ? "BitOr" : "BitXor";
  let expr = arg.expr;
  switch (arg.evalType) {
    case EvalType.Int:
    case EvalType.Enum:
    case EvalType.Set:
      break;
    default: {
      const sig = CAST_AS_INT[arg.evalType];
      if (sig === undefined) throw unsupportedArg(name, arg.evalType, EvalType.Int);
      expr = arg.cast(sig, BIT_OP_INT_FIELD_TYPE);
    }
  }
  return { fn: new AggrFnBitOp(kind), expr, fieldTypes: [outFt] };
}
