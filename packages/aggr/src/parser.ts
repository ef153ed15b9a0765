// From a `tipb.Expr` aggregate node to an aggregate function, its argument expression and the field
// types of its partial result. Behaviour of TiKV components/tidb_query_aggr/src/parser.rs (which
// ExprType maps to which function), util.rs (one argument; the casts inserted before SUM, AVG,
// VARIANCE and the BIT operations) and each impl_*.rs `parse_rpn` (result types and their checks).

import { writeVarUint } from "@copr/codec";
import {
  Charset,
  Collation,
  type Collator,
  collationOf,
  collatorFor,
  type Enum,
  type EvalContext,
  EvalType,
  evalTypeOf,
  type FieldType,
  FieldTypeTp,
  fieldType,
  fieldTypeTpName,
  isUnsigned,
  type MySqlSet,
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
import { combine, rowFn } from "./combine.js";
import {
  AggrFnApproxCountDistinct,
  APPROX_COUNT_DISTINCT_FIELD_TYPE,
  writeTupleKey,
} from "./impl-approx-count-distinct.js";
import { AggrFnAvg } from "./impl-avg.js";
import { AggrFnBitOp, type BitOpKind } from "./impl-bit-op.js";
import { AggrFnCount } from "./impl-count.js";
import { AggrFnFirst } from "./impl-first.js";
import {
  AggrFnGroupConcat,
  DEFAULT_GROUP_CONCAT_MAX_LEN,
  GROUP_CONCAT_ROWS_FIELD_TYPE,
} from "./impl-group-concat.js";
import { AggrFnJsonArrayAgg, AggrFnJsonObjectAgg, jsonObjectMember } from "./impl-json-agg.js";
import { AggrFnExtremum } from "./impl-max-min.js";
import { AggrFnStddev } from "./impl-stddev.js";
import { AggrFnSum, AggrFnSumInt, type SumAccumulator } from "./impl-sum.js";
import { AggrFnVariance } from "./impl-variance.js";
import type { AggrFunction } from "./interface.js";
import { keyIsOrdered, keyWriter, writeValueKey } from "./row-key.js";
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
  // Beyond TiKV (tikv/tikv#4822):
  E.Std,
  E.Stddev,
  E.StddevPop,
  E.StddevSamp,
  E.GroupConcat,
  E.ApproxCountDistinct,
  E.JsonArrayAgg,
  E.JsonObjectAgg,
]);

/** The aggregates TiKV does not have; they check DISTINCT and ORDER BY, which TiKV ignores. */
const BEYOND_TIKV: ReadonlySet<number> = new Set([
  E.Std,
  E.Stddev,
  E.StddevPop,
  E.StddevSamp,
  E.GroupConcat,
  E.ApproxCountDistinct,
  E.JsonArrayAgg,
  E.JsonObjectAgg,
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
 * the argument count it takes (one for TiKV's aggregates; see {@link parseAggr} for the others),
 * and argument trees (ORDER BY items included) whose functions are all registered. Throws an
 * UnsupportedError naming the aggregate for an aggregate or function copr does not have, an
 * ExprError for a malformed definition.
 */
export function checkAggrSupported(def: ExprLike, options: ParseAggrOptions = {}): void {
  const tp = typeOf(def);
  const name = aggrName(tp);
  if (!SUPPORTED.has(tp)) throw unsupportedAggr(tp);
  const children = checkShape(def, tp, name);
  const exprs = [...children, ...orderByItems(def, name).map((item) => item.expr)];
  for (const child of exprs) {
    try {
      buildRpn(child, {
        schemaLength: Number.MAX_SAFE_INTEGER,
        ...(options.lookup ? { lookup: options.lookup } : {}),
      });
    } catch (e) {
      throw rewrap(e, `Aggregation function meet blacklist expr type ${name}`);
    }
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

/**
 * The arguments of `def`, checked for count: GroupConcat takes values and a separator (at least
 * two), JsonObjectAgg a key and a value, ApproxCountDistinct one or more, every other aggregate
 * one. The aggregates beyond TiKV's also reject DISTINCT (except GroupConcat, and
 * ApproxCountDistinct where it changes nothing) and ORDER BY (except GroupConcat).
 */
function checkShape(def: ExprLike, tp: number, name: string): readonly ExprLike[] {
  const children = def.children ?? [];
  const n = children.length;
  switch (tp) {
    case E.GroupConcat:
      if (n < 2) {
        throw new ExprError(
          `${name}: Expect at least 2 parameters (the values and the separator), but got ${n}`,
        );
      }
      break;
    case E.JsonObjectAgg:
      if (n !== 2) throw new ExprError(`${name}: Expect 2 parameters (the key and the value), but got ${n}`);
      break;
    case E.ApproxCountDistinct:
      if (n < 1) throw new ExprError(`${name}: Expect at least 1 parameter, but got 0`);
      break;
    default:
      if (n !== 1) throw new ExprError(`${name}: Expect 1 parameter, but got ${n}`);
  }
  if (BEYOND_TIKV.has(tp)) {
    if (def.hasDistinct === true && tp !== E.GroupConcat && tp !== E.ApproxCountDistinct) {
      throw new UnsupportedError(`${name} with DISTINCT is not supported`);
    }
    if ((def.orderBy?.length ?? 0) > 0 && tp !== E.GroupConcat) {
      throw new ExprError(`${name}: ORDER BY is only allowed in GroupConcat`);
    }
  }
  return children;
}

/** The ORDER BY items of a GroupConcat (empty for other aggregates, whose items are rejected). */
function orderByItems(def: ExprLike, name: string): { expr: ExprLike; desc: boolean }[] {
  if (typeOf(def) !== E.GroupConcat) return [];
  return (def.orderBy ?? []).map((item, i) => {
    if (!item.expr) {
      const why = item.rpnExpr ? "an RPN expression, which is not supported" : "no expression";
      throw new UnsupportedError(`${name}: ORDER BY item ${i} has ${why}`);
    }
    return { expr: item.expr, desc: item.desc === true };
  });
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
  const children = checkShape(def, tp, name);
  if (!def.fieldType) throw new ExprError(`${name}: the aggregate has no field type`);
  const outFt = fieldTypeFromPb(def.fieldType);
  const lookup = options.lookup ?? lookupRpnFn;
  const build = (child: ExprLike) =>
    new Arg(name, child, buildRpn(child, { schemaLength: srcSchema.length, ctx, lookup }), srcSchema, lookup);
  switch (tp) {
    case E.GroupConcat:
      return parseGroupConcat(def, name, outFt, children.map(build), orderByItems(def, name), build);
    case E.JsonObjectAgg:
      return parseJsonObjectAgg(name, outFt, build(children[0]!), build(children[1]!));
    case E.ApproxCountDistinct:
      return parseApproxCountDistinct(name, outFt, children.map(build));
  }
  const arg = build(children[0]!);
  const expr = arg.expr;
  switch (tp) {
    case E.Count:
      return { fn: new AggrFnCount(), expr, fieldTypes: [countFieldType()] };
    case E.Sum:
    case E.Avg:
    case E.Variance:
    case E.VarPop:
    case E.VarSamp:
    case E.Std:
    case E.Stddev:
    case E.StddevPop:
    case E.StddevSamp:
      return parseSummable(tp, name, outFt, arg);
    case E.JsonArrayAgg:
      return parseJsonArrayAgg(name, outFt, arg);
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
 * SUM, AVG, the variances and the standard deviations (TiKV `rewrite_exp_for_sum_avg` +
 * parse_rpn; STDDEV_* as VARIANCE, which TiDB's partial state is the same for): DECIMAL and DOUBLE
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
      const kind = tp === E.VarSamp || tp === E.StddevSamp ? "Sample" : "Population";
      const stddev = tp === E.Std || tp === E.Stddev || tp === E.StddevPop || tp === E.StddevSamp;
      return {
        fn: stddev ? new AggrFnStddev(acc, argType, kind) : new AggrFnVariance(acc, argType, kind),
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

/** The cast to a string TiDB wraps around a non-string argument (`WrapWithCastAsString`). */
const CAST_AS_STRING: Partial<Record<EvalType, number>> = {
  [EvalType.Int]: S.CastIntAsString,
  [EvalType.Real]: S.CastRealAsString,
  [EvalType.Decimal]: S.CastDecimalAsString,
  [EvalType.DateTime]: S.CastTimeAsString,
  [EvalType.Duration]: S.CastDurationAsString,
  [EvalType.Json]: S.CastJsonAsString,
};

/**
 * An argument read as a string: Bytes as it is, ENUM and SET by their text (converted by the
 * state or row function), anything else through the registered CAST … AS CHAR into a VARCHAR of
 * `charset`/`collate`. Returns the expression, its eval type and its field type.
 */
function asString(
  arg: Arg,
  charset: string,
  collate: number,
): { expr: RpnExpression; evalType: EvalType; fieldType: FieldType } {
  switch (arg.evalType) {
    case EvalType.Bytes:
    case EvalType.Enum:
    case EvalType.Set:
      return { expr: arg.expr, evalType: arg.evalType, fieldType: arg.fieldType };
    default: {
      const sig = CAST_AS_STRING[arg.evalType];
      if (sig === undefined) throw unsupportedArg(arg.aggr, arg.evalType, EvalType.Bytes);
      const to = fieldType(FieldTypeTp.VarString, { collate, charset });
      return { expr: arg.cast(sig, to), evalType: EvalType.Bytes, fieldType: to };
    }
  }
}

const utf8 = new TextEncoder();

/** The bytes of a string-like value (Bytes, or an ENUM/SET's text). */
function stringBytes(evalType: EvalType, v: unknown): Uint8Array {
  switch (evalType) {
    case EvalType.Enum:
      return utf8.encode((v as Enum).name);
    case EvalType.Set:
      return utf8.encode((v as MySqlSet).toString());
    default:
      return v as Uint8Array;
  }
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Reads `group_concat_max_len` from the node's `val` (TiDB: `codec.EncodeUint`, 8 bytes big-endian). */
function groupConcatMaxLen(def: ExprLike, name: string): number {
  const val = def.val;
  if (val == null || val.length === 0) return DEFAULT_GROUP_CONCAT_MAX_LEN;
  if (val.length !== 8) {
    throw new ExprError(
      `${name}: group_concat_max_len must be 8 bytes (a big-endian u64), got ${val.length}`,
    );
  }
  let v = 0n;
  for (const b of val) v = (v << 8n) | BigInt(b);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

const GROUP_CONCAT_ENTRY_FIELD_TYPE: FieldType = Object.freeze(fieldType(FieldTypeTp.LongBlob));

/**
 * GROUP_CONCAT (TiDB's pushdown, aggregation/agg_to_pb.go): children are the values then the
 * separator (a non-NULL string constant); `val` is `group_concat_max_len`; `has_distinct` and
 * `order_by` (expressions and DESC flags; strings ordered by their own collations) as in SQL. The
 * result type must be a string. Values that are not strings are cast to strings of the result's
 * collation, as TiDB does before pushing down.
 */
function parseGroupConcat(
  def: ExprLike,
  name: string,
  outFt: FieldType,
  args: readonly Arg[],
  items: readonly { expr: ExprLike; desc: boolean }[],
  build: (child: ExprLike) => Arg,
): ParsedAggr {
  expectResult(name, outFt, EvalType.Bytes);
  const sepArg = args[args.length - 1]!;
  const sepNode = sepArg.expr.single;
  if (sepNode?.kind !== "constant" || sepArg.evalType !== EvalType.Bytes || sepNode.value === null) {
    throw new ExprError(`${name}: the separator (the last argument) must be a non-NULL string constant`);
  }
  const separator = (sepNode.value as Uint8Array).slice();
  const maxLen = groupConcatMaxLen(def, name);
  const charset = outFt.charset || Charset.Utf8Mb4;
  const collate = outFt.collate ?? Collation.Utf8Mb4Bin;
  const values = args.slice(0, -1).map((a) => asString(a, charset, collate));
  const order = items.map((item, i) => {
    const a = build(item.expr);
    if (!keyIsOrdered(a.evalType)) {
      throw new UnsupportedError(`${name}: ORDER BY item ${i} of type ${a.evalType} is not supported`);
    }
    const collator = a.evalType === EvalType.Bytes ? collatorFor(collationOf(a.fieldType)) : undefined;
    return { expr: a.expr, evalType: a.evalType, collator, desc: item.desc };
  });
  const distinct = def.hasDistinct === true;
  const fn = new AggrFnGroupConcat({ separator, maxLen, distinct, ordered: order.length > 0 });
  const nv = values.length;
  const valueTypes = values.map((v) => v.evalType);
  if (fn.layout === "string") {
    if (nv === 1 && valueTypes[0] === EvalType.Bytes)
      return { fn, expr: values[0]!.expr, fieldTypes: [outFt] };
    const concat = rowFn("GroupConcatValue", EvalType.Bytes, (_ctx, vals) => {
      const parts: Uint8Array[] = [];
      for (let i = 0; i < nv; i++) {
        if (vals[i] === null) return null;
        parts.push(stringBytes(valueTypes[i]!, vals[i]));
      }
      return concatBytes(parts);
    });
    const ft = fieldType(FieldTypeTp.VarString, { collate, charset });
    return {
      fn,
      expr: combine(
        values.map((v) => v.expr),
        concat,
        ft,
      ),
      fieldTypes: [outFt],
    };
  }
  const valueCollators: Collator[] = values.map((v) => collatorFor(collationOf(v.fieldType)));
  const sortKeys = keyWriter();
  const distinctKeys = keyWriter();
  const entryWriter = keyWriter();
  const valueParts: Uint8Array[] = new Array(nv);
  // The entry is written into one reused buffer; the result column copies it.
  const entry = rowFn("GroupConcatEntry", EvalType.Bytes, (_ctx, vals) => {
    let valueLength = 0;
    for (let i = 0; i < nv; i++) {
      if (vals[i] === null) return null;
      valueParts[i] = stringBytes(valueTypes[i]!, vals[i]);
      valueLength += valueParts[i]!.length;
    }
    sortKeys.length = 0;
    for (let j = 0; j < order.length; j++) {
      const o = order[j]!;
      writeValueKey(sortKeys, o.evalType, vals[nv + j], o.collator, o.desc);
    }
    distinctKeys.length = 0;
    if (distinct) {
      for (let i = 0; i < nv; i++)
        writeValueKey(distinctKeys, EvalType.Bytes, valueParts[i], valueCollators[i]);
    }
    const w = entryWriter;
    w.length = 0;
    writeVarUint(w, sortKeys.length);
    w.bytes(sortKeys.finish());
    writeVarUint(w, distinctKeys.length);
    w.bytes(distinctKeys.finish());
    writeVarUint(w, valueLength);
    for (let i = 0; i < nv; i++) w.bytes(valueParts[i]!);
    return w.finish();
  });
  const parts = [...values.map((v) => v.expr), ...order.map((o) => o.expr)];
  return {
    fn,
    expr: combine(parts, entry, GROUP_CONCAT_ENTRY_FIELD_TYPE),
    fieldTypes: [GROUP_CONCAT_ROWS_FIELD_TYPE],
  };
}

function rejectVector(name: string, arg: Arg): void {
  if (arg.evalType === EvalType.VectorFloat32) {
    throw new UnsupportedError(`${name} over ${arg.evalType} is not supported`);
  }
}

/** JSON_ARRAYAGG: any argument but a vector; a JSON result. */
function parseJsonArrayAgg(name: string, outFt: FieldType, arg: Arg): ParsedAggr {
  rejectVector(name, arg);
  expectResult(name, outFt, EvalType.Json);
  return { fn: new AggrFnJsonArrayAgg(arg.evalType, arg.fieldType), expr: arg.expr, fieldTypes: [outFt] };
}

const JSON_FIELD_TYPE: FieldType = Object.freeze(fieldType(FieldTypeTp.Json));

/**
 * JSON_OBJECTAGG: the key is read as a string (cast to utf8mb4 if it is not one, as TiDB wraps it),
 * the value as JSON_ARRAYAGG reads its argument; a JSON result.
 */
function parseJsonObjectAgg(name: string, outFt: FieldType, keyArg: Arg, valueArg: Arg): ParsedAggr {
  rejectVector(name, keyArg);
  rejectVector(name, valueArg);
  expectResult(name, outFt, EvalType.Json);
  const key = asString(keyArg, Charset.Utf8Mb4, Collation.Utf8Mb4Bin);
  const member = jsonObjectMember(key.evalType, key.fieldType, valueArg.evalType, valueArg.fieldType);
  const pair = rowFn("JsonObjectAggMember", EvalType.Json, (_ctx, vals) => member(vals[0], vals[1]));
  return {
    fn: new AggrFnJsonObjectAgg(),
    expr: combine([key.expr, valueArg.expr], pair, JSON_FIELD_TYPE),
    fieldTypes: [outFt],
  };
}

/**
 * APPROX_COUNT_DISTINCT: any arguments; strings compared by their collations. The result type is
 * BIGINT (or a string, where TiDB merges partial results into partial results); the partial
 * result is always the sketch.
 */
function parseApproxCountDistinct(name: string, outFt: FieldType, args: readonly Arg[]): ParsedAggr {
  const outType = evalTypeOf(outFt);
  if (outType !== EvalType.Int && outType !== EvalType.Bytes) {
    throw new ExprError(`${name}: Unexpected return field type ${fieldTypeTpName(outFt.tp)} for a count`);
  }
  const collatorOf = (a: Arg): Collator | undefined =>
    a.evalType === EvalType.Bytes ? collatorFor(collationOf(a.fieldType)) : undefined;
  const fieldTypes = [APPROX_COUNT_DISTINCT_FIELD_TYPE];
  if (args.length === 1) {
    const a = args[0]!;
    return { fn: new AggrFnApproxCountDistinct(a.evalType, collatorOf(a)), expr: a.expr, fieldTypes };
  }
  const types = args.map((a) => a.evalType);
  const collators = args.map(collatorOf);
  const w = keyWriter();
  const key = rowFn("ApproxCountDistinctKey", EvalType.Bytes, (_ctx, vals) => {
    for (let i = 0; i < types.length; i++) if (vals[i] === null) return null;
    w.length = 0;
    writeTupleKey(w, types, collators, vals);
    return w.finish().slice();
  });
  return {
    fn: new AggrFnApproxCountDistinct("key"),
    expr: combine(
      args.map((a) => a.expr),
      key,
      GROUP_CONCAT_ENTRY_FIELD_TYPE,
    ),
    fieldTypes,
  };
}
