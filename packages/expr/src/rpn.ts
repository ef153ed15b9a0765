// tipb.Expr → RPN. Facts from TiKV components/tidb_query_expr/src/types/expr_builder.rs: a tree
// is validated and flattened once, post-order (children before their call), so evaluation is a
// loop over the nodes with a stack. Constants are decoded here from their value bytes by their
// ExprType, column references resolved to offsets, and function calls mapped to registered
// functions with their argument checks and metadata.

import { ByteReader, readF64, readI64, readU64, validateJsonBinary } from "@copr/codec";
import {
  CodecError,
  Decimal,
  Duration,
  Enum,
  type EvalContext,
  EvalType,
  evalTypeOf,
  type FieldType,
  isUnsigned,
  Time,
  timeTypeOfTp,
  UnsupportedError,
} from "@copr/datatype";
import { enumName, tipb, unknownVarint } from "@copr/proto";
import { ExprError } from "./errors.js";
import { fieldTypeFromPb } from "./field-type.js";
import { lookupRpnFn, type RpnFnMeta } from "./registry.js";

/** A `tipb.Expr`: a decoded message or a plain object of its properties. */
export type ExprLike = tipb.Expr.$Properties;

/** A column of the input batch (TiKV `RpnExpressionNode::ColumnRef`). */
export interface RpnColumnRef {
  readonly kind: "column";
  readonly offset: number;
}

/** A constant, already decoded to the value a function receives (null for NULL). */
export interface RpnConstant {
  readonly kind: "constant";
  readonly evalType: EvalType;
  readonly value: unknown;
  readonly fieldType: FieldType;
}

/** A call of a registered function on the `argCount` values below it on the stack. */
export interface RpnCall {
  readonly kind: "call";
  readonly fn: RpnFnMeta;
  readonly argCount: number;
  /** The call's result type (the tipb.Expr's field type). */
  readonly fieldType: FieldType;
  /** Built once by the function's metadata mapper (undefined without one). */
  readonly metadata: unknown;
}

export type RpnNode = RpnColumnRef | RpnConstant | RpnCall;

/** An expression in postfix order, ready to evaluate over batches. */
export class RpnExpression {
  readonly nodes: readonly RpnNode[];

  constructor(nodes: readonly RpnNode[]) {
    this.nodes = nodes;
  }

  /** The constant or column offset, if the expression is a single node of that kind. */
  get single(): RpnNode | undefined {
    return this.nodes.length === 1 ? this.nodes[0] : undefined;
  }
}

/** Options of {@link buildRpn}. */
export interface BuildOptions {
  /** Columns in the input schema: a column reference must be below it. */
  schemaLength: number;
  /** Decodes TIMESTAMP constants in the session zone and applies the sql mode. */
  ctx?: EvalContext;
  /** Finds the function of a call node; default: the registry. */
  lookup?: (sig: number) => RpnFnMeta | undefined;
}

/**
 * Validates `expr` and turns it into an RPN expression. Throws, before anything is evaluated: an
 * UnsupportedError naming the signature for a function copr does not have, an ExprError for a
 * wrong argument count, argument or result eval type, column offset, or expression type, a
 * CodecError for a constant whose bytes cannot be read as its type.
 */
export function buildRpn(expr: ExprLike, options: BuildOptions): RpnExpression {
  const nodes: RpnNode[] = [];
  append(expr, nodes, options, 0);
  return new RpnExpression(nodes);
}

/** TiKV's default end-point recursion limit also bounds how deep a tree may be. */
const MAX_DEPTH = 1000;

function append(expr: ExprLike, nodes: RpnNode[], options: BuildOptions, depth: number): void {
  if (depth > MAX_DEPTH) throw new ExprError(`expression nested deeper than ${MAX_DEPTH}`);
  switch (expr.tp ?? tipb.ExprType.Null) {
    case tipb.ExprType.ScalarFunc:
      appendCall(expr, nodes, options, depth);
      return;
    case tipb.ExprType.ColumnRef: {
      const r = new ByteReader(expr.val ?? new Uint8Array(), "column reference");
      const offset = readI64(r);
      if (offset < 0n || offset >= BigInt(options.schemaLength)) {
        throw new ExprError(
          `Invalid column offset (schema has ${options.schemaLength} columns, access index ${offset})`,
        );
      }
      nodes.push({ kind: "column", offset: Number(offset) });
      return;
    }
    default:
      nodes.push(decodeConstant(expr, options.ctx));
  }
}

function sigOf(expr: ExprLike): number {
  if (expr.sig != null && Object.hasOwn(expr, "sig")) return expr.sig;
  // A signature this schema does not list is kept among the unknown fields (closed proto2 enum).
  return unknownVarint(expr as { $unknowns?: Uint8Array[] }, 4) ?? 0;
}

const CAST = /^Cast(Int|Real|Decimal|String|Time|Duration|Json|VectorFloat32)As(\w+)$/;

/**
 * TiKV picks a cast by its argument's eval type, not by the signature (`get_cast_fn_rpn_node`):
 * an ENUM (and copr's SET) argument takes `cast_enum_as_*`, which converts the member index (or
 * bitmask) to a number and the member name (or names) to anything else. That is the cast from Int
 * for a numeric target and from String otherwise, with the argument read as its number or text.
 */
function castSourceFor(sig: number, children: readonly ExprLike[]): number {
  const name = tipb.ScalarFuncSig[sig];
  if (name === undefined || children.length !== 1) return sig;
  const m = CAST.exec(name);
  const ft = children[0]!.fieldType;
  if (m === null || !ft) return sig;
  let et: EvalType;
  try {
    et = evalTypeOf(fieldTypeFromPb(ft));
  } catch {
    return sig;
  }
  if (et !== EvalType.Enum && et !== EvalType.Set) return sig;
  const target = m[2]!;
  const from = target === "Int" || target === "Real" || target === "Decimal" ? "Int" : "String";
  const remapped = (tipb.ScalarFuncSig as unknown as Record<string, number | undefined>)[
    `Cast${from}As${target}`
  ];
  return remapped ?? sig;
}

function appendCall(expr: ExprLike, nodes: RpnNode[], options: BuildOptions, depth: number): void {
  const sig = castSourceFor(sigOf(expr), expr.children ?? []);
  const fn = (options.lookup ?? lookupRpnFn)(sig);
  const sigName = enumName(tipb.ScalarFuncSig, sig);
  if (fn === undefined) {
    throw new UnsupportedError(`ScalarFunction ${sigName} (sig ${sig}) is not supported`);
  }
  const children = expr.children ?? [];
  const invalid = (why: string) => new ExprError(`Invalid ${fn.name} (sig = ${sigName}) signature: ${why}`);
  if (!expr.fieldType) throw invalid("the call has no field type");
  const fieldType = fieldTypeFromPb(expr.fieldType);
  const retType = evalTypeOfChecked(fieldType, invalid);
  if (retType !== fn.ret) throw invalid(`expect return type ${fn.ret}, got ${retType}`);
  checkArgs(fn, children, invalid);
  if (fn.validator !== undefined) {
    try {
      fn.validator(expr);
    } catch (e) {
      throw invalid(e instanceof Error ? e.message : String(e));
    }
  }
  const metadata = fn.metadata?.(expr);
  for (const child of children) append(child, nodes, options, depth + 1);
  nodes.push({ kind: "call", fn, argCount: children.length, fieldType, metadata });
}

function evalTypeOfChecked(ft: FieldType, invalid: (why: string) => Error): EvalType {
  try {
    return evalTypeOf(ft);
  } catch (e) {
    throw invalid(e instanceof Error ? e.message : String(e));
  }
}

function checkArgs(fn: RpnFnMeta, children: readonly ExprLike[], invalid: (why: string) => Error): void {
  const types = children.map((c, i) => {
    if (!c.fieldType) throw invalid(`argument ${i} has no field type`);
    return evalTypeOfChecked(fieldTypeFromPb(c.fieldType), invalid);
  });
  const args = fn.args;
  if (isFixedArgs(args)) {
    const fixed = args;
    if (types.length !== fixed.length) throw invalid(`expect ${fixed.length} arguments, got ${types.length}`);
    fixed.forEach((t, i) => {
      if (!accepts(t, types[i]!)) throw invalid(`expect argument ${i} to be ${t}, got ${types[i]}`);
    });
    return;
  }
  if ("varargs" in args) {
    const min = args.min ?? 1;
    if (types.length < min) throw invalid(`expect at least ${min} arguments, got ${types.length}`);
    types.forEach((t, i) => {
      if (!accepts(args.varargs, t)) throw invalid(`expect argument ${i} to be ${args.varargs}, got ${t}`);
    });
    return;
  }
  const min = args.min ?? 0;
  if (types.length < min) throw invalid(`expect at least ${min} arguments, got ${types.length}`);
  if (args.max !== undefined && types.length > args.max) {
    throw invalid(`expect at most ${args.max} arguments, got ${types.length}`);
  }
}

/**
 * Whether an argument of eval type `got` may stand where `want` is declared: the same type, or an
 * ENUM/SET in a numeric or string place (TiKV accepts ENUM for Int and Bytes; copr's SET, a real
 * eval type, goes wherever ENUM goes, and both also where Real and Decimal are declared). The
 * evaluator reads them in that context (eval.ts).
 */
function accepts(want: EvalType, got: EvalType): boolean {
  if (want === got) return true;
  if (got !== EvalType.Enum && got !== EvalType.Set) return false;
  return (
    want === EvalType.Int || want === EvalType.Bytes || want === EvalType.Real || want === EvalType.Decimal
  );
}

function isFixedArgs(args: RpnFnMeta["args"]): args is readonly EvalType[] {
  return Array.isArray(args);
}

const EMPTY = new Uint8Array(0);

/** Decodes a constant node's value bytes by its ExprType (TiKV `handle_node_constant`). */
export function decodeConstant(expr: ExprLike, ctx?: EvalContext): RpnConstant {
  if (!expr.fieldType)
    throw new ExprError(`constant of type ${enumName(tipb.ExprType, expr.tp ?? 0)} has no field type`);
  const fieldType = fieldTypeFromPb(expr.fieldType);
  const evalType = evalTypeOfChecked(fieldType, (why) => new ExprError(why));
  const val = expr.val ?? EMPTY;
  const constant = (value: unknown): RpnConstant => ({ kind: "constant", evalType, value, fieldType });
  const mismatch = () =>
    new ExprError(`Unexpected ExprType ${enumName(tipb.ExprType, expr.tp ?? 0)} and EvalType ${evalType}`);
  const reader = (what: string) => new ByteReader(val, what);
  const T = tipb.ExprType;
  switch (expr.tp ?? T.Null) {
    case T.Null:
      return constant(null);
    case T.Int64:
    case T.Uint64: {
      if (evalType !== EvalType.Int) throw mismatch();
      const r = reader(expr.tp === T.Int64 ? "int64 constant" : "uint64 constant");
      const bits = expr.tp === T.Int64 ? BigInt.asUintN(64, readI64(r)) : readU64(r);
      return constant(isUnsigned(fieldType) ? bits : BigInt.asIntN(64, bits));
    }
    case T.MysqlBit: {
      if (evalType !== EvalType.Int) throw mismatch();
      if (val.length > 8) throw new CodecError("bit constant", `${val.length} bytes`, 0);
      let v = 0n;
      for (const b of val) v = (v << 8n) | BigInt(b);
      return constant(isUnsigned(fieldType) ? v : BigInt.asIntN(64, v));
    }
    case T.String:
    case T.Bytes:
      if (evalType !== EvalType.Bytes) throw mismatch();
      return constant(val);
    case T.Float32:
    case T.Float64: {
      if (evalType !== EvalType.Real) throw mismatch();
      const v = readF64(reader("float constant"));
      return constant(Number.isNaN(v) ? null : v);
    }
    case T.MysqlTime: {
      if (evalType !== EvalType.DateTime) throw mismatch();
      const packed = readU64(reader("time constant"));
      try {
        return constant(Time.fromPackedU64(ctx, packed, timeTypeOfTp(fieldType.tp), fieldType.decimal ?? 0));
      } catch (e) {
        throw new CodecError("time constant", "Unable to decode date time from the request", 0, { cause: e });
      }
    }
    case T.MysqlDuration: {
      if (evalType !== EvalType.Duration) throw mismatch();
      const nanos = readI64(reader("duration constant"));
      try {
        return constant(Duration.fromNanos(Number(nanos), 6));
      } catch (e) {
        throw new CodecError("duration constant", "Unable to decode duration from the request", 0, {
          cause: e,
        });
      }
    }
    case T.MysqlDecimal: {
      if (evalType !== EvalType.Decimal) throw mismatch();
      if (val.length < 2) throw new CodecError("decimal constant", "missing precision and fraction", 0);
      return constant(Decimal.fromBin(val, 2, val[0]!, val[1]!).value);
    }
    case T.MysqlJson:
      if (evalType !== EvalType.Json) throw mismatch();
      validateJsonBinary(val);
      return constant(val);
    case T.MysqlEnum: {
      if (evalType !== EvalType.Enum) throw mismatch();
      const n = readU64(reader("enum constant"));
      return constant(Enum.fromStored(fieldType.elems ?? [], Number(n)));
    }
    case T.TiDBVectorFloat32: {
      if (evalType !== EvalType.VectorFloat32) throw mismatch();
      const r = reader("vector constant");
      const n = r.u32le("element count");
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = r.f32le("element");
      return constant(out);
    }
    default:
      throw new ExprError(`Blacklist expression type ${enumName(tipb.ExprType, expr.tp ?? 0)}`);
  }
}
