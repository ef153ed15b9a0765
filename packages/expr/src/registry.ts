// The function registry: what TiKV's `#[rpn_fn]` proc macro (components/tidb_query_codegen) and
// `map_expr_node_to_rpn_func` (components/tidb_query_expr/src/lib.rs) do, with decorators. A
// function author writes one plain function per signature and marks it with `@rpnFn({...})`;
// the registry records how to call it, and the evaluator (eval.ts) builds the batch loop, the NULL
// handling and the argument reading from that record once per expression.
import type { Column, EvalContext, EvalType, FieldType, LogicalRows } from "@copr/datatype";
import type { tipb } from "@copr/proto";

/** Argument shape of a function. */
export type RpnArgs =
  /** A fixed list: one eval type per argument. */
  | readonly EvalType[]
  /** Any number (at least `min`, default 1) of arguments of one eval type, passed as one array. */
  | { readonly varargs: EvalType; readonly min?: number }
  /** Any number of arguments of any eval type, passed as one array (e.g. COALESCE over mixed types). */
  | { readonly anyArgs: true; readonly min?: number; readonly max?: number };

/** What a function's author declares with {@link rpnFn}. */
export interface RpnFnOptions<M = unknown> {
  /** The `tipb.ScalarFuncSig` value(s) this function implements. */
  sig: number | readonly number[];
  /** The eval types of the arguments. */
  args: RpnArgs;
  /** The eval type of the result (the expression's field type must map to it). */
  ret: EvalType;
  /**
   * The function is not called for a row where any argument is NULL; the result is NULL there
   * (TiKV `nonnull`). Without it the function receives `null` for NULL arguments.
   */
  nonnull?: boolean;
  /** The function's first parameter is the {@link EvalContext} (TiKV `capture = [ctx]`). */
  ctx?: boolean;
  /**
   * Builds per-expression metadata once, from the `tipb.Expr` node (its field type, its children's
   * field types, constants): TiKV's `metadata_mapper`. The function then receives it as the
   * parameter after the context (if any).
   */
  metadata?: (expr: tipb.Expr.$Properties) => M;
  /**
   * Checks the node beyond arity and eval types (e.g. a flag the function requires); throws an
   * Error whose message explains what is wrong. Runs when the expression is built.
   */
  validator?: (expr: tipb.Expr.$Properties) => void;
}

/** How one argument of a vectorized call is given. */
export interface VectorArg {
  /** The argument's field type. */
  readonly fieldType: FieldType;
  /** A constant argument: its value (null for NULL); `column` is then undefined. */
  readonly scalar: unknown;
  /** A column argument; logical row `k` is physical row `rows === null ? k : rows[k]`. */
  readonly column: Column | undefined;
  readonly rows: LogicalRows;
}

/** What a vectorized implementation receives. */
export interface VectorCall<M = unknown> {
  readonly ctx: EvalContext;
  readonly args: readonly VectorArg[];
  /** Number of logical rows to produce. */
  readonly rows: number;
  /** The call's own field type (of the result). */
  readonly fieldType: FieldType;
  readonly metadata: M;
}

/**
 * A vectorized implementation: produces the whole result column (one value per logical row,
 * NULLs included) at once, or returns `null` when it does not apply to these arguments (e.g. an
 * Int column wider than 2^53), and the scalar function runs instead.
 */
export type VectorFn<M = unknown> = (call: VectorCall<M>) => Column | null;

/**
 * The filter form of a predicate, for a Selection condition that is one call on columns and
 * constants: appends to `kept`, in order, the physical row (`live === null ? k : live[k]`) of
 * every logical row `k` for which the predicate is true (not NULL, not 0), and returns how many;
 * or returns -1 when it does not apply to these arguments (the vectorized or scalar form then
 * runs). It must agree with the function; it skips building the 0/1 column. `kept` may be `live`
 * itself: write `kept[m]` only after reading `live[k]` and the arguments of row `k` (m <= k).
 */
export type FilterFn<M = unknown> = (call: VectorCall<M>, kept: Uint32Array, live: LogicalRows) => number;

/** A registered function (TiKV `RpnFnMeta`). */
export interface RpnFnMeta {
  /** The implementing function's name, for errors and EXPLAIN-like output. */
  readonly name: string;
  readonly sig: number;
  readonly args: RpnArgs;
  readonly ret: EvalType;
  readonly nonnull: boolean;
  readonly ctx: boolean;
  readonly metadata: ((expr: tipb.Expr.$Properties) => unknown) | undefined;
  readonly validator: ((expr: tipb.Expr.$Properties) => void) | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: functions of any signature are stored
  readonly fn: (...args: any[]) => unknown;
  /** The vectorized form, if one is registered for the same sig. */
  vector: VectorFn | undefined;
  /** The filter form, if one is registered for the same sig. */
  filter?: FilterFn | undefined;
}

const scalarFns = new Map<number, RpnFnMeta>();
const vectorFns = new Map<number, VectorFn>();
const filterFns = new Map<number, FilterFn>();

function sigsOf(sig: number | readonly number[]): readonly number[] {
  return typeof sig === "number" ? [sig] : sig;
}

/** Registers `fn` for its sigs (what the decorator does; also usable without decorators). */
export function registerRpnFn<M>(
  name: string,
  fn: (...args: never[]) => unknown,
  options: RpnFnOptions<M>,
): void {
  for (const sig of sigsOf(options.sig)) {
    const existing = scalarFns.get(sig);
    if (existing !== undefined && existing.fn !== fn) {
      throw new Error(`ScalarFuncSig ${sig} is registered twice (${existing.name} and ${name})`);
    }
    scalarFns.set(sig, {
      name,
      sig,
      args: options.args,
      ret: options.ret,
      nonnull: options.nonnull === true,
      ctx: options.ctx === true,
      metadata: options.metadata as ((expr: tipb.Expr.$Properties) => unknown) | undefined,
      validator: options.validator,
      fn: fn as (...args: unknown[]) => unknown,
      vector: vectorFns.get(sig),
      filter: filterFns.get(sig),
    });
  }
}

/** Registers a filter form for `sig`s (see {@link FilterFn}). */
export function registerFilterFn(sig: number | readonly number[], fn: FilterFn): void {
  for (const s of sigsOf(sig)) {
    filterFns.set(s, fn);
    const meta = scalarFns.get(s);
    if (meta !== undefined) meta.filter = fn;
  }
}

/** Registers a vectorized form for `sig`s (what {@link rpnVectorFn} does). */
export function registerVectorFn(sig: number | readonly number[], fn: VectorFn): void {
  for (const s of sigsOf(sig)) {
    vectorFns.set(s, fn);
    const meta = scalarFns.get(s);
    if (meta !== undefined) meta.vector = fn;
  }
}

/**
 * Marks a static method as the implementation of one or more `ScalarFuncSig`s. Parameters, in
 * order: the EvalContext if `ctx`, the metadata if `metadata`, then the arguments — by eval type
 * Int `bigint` (the SQL value: unsigned columns give values up to 2^64 − 1), Real `number`,
 * Decimal `Decimal`, Bytes `Uint8Array`, DateTime `Time`, Duration `Duration`, Json `Uint8Array`
 * (binary JSON), Enum `Enum`, Set `MySqlSet`, VectorFloat32 `Float32Array` — each `null` for NULL
 * unless `nonnull`; varargs come as one array (reused between rows: do not keep it). Return the
 * value (Int as bigint or an exact number) or `null`; throw an EvalError for an error.
 */
export function rpnFn<M = unknown>(options: RpnFnOptions<M>) {
  return (target: object, key: string | symbol, descriptor: PropertyDescriptor): void => {
    const owner = typeof target === "function" ? target.name : target.constructor.name;
    registerRpnFn(`${owner}.${String(key)}`, descriptor.value, options);
  };
}

/**
 * Marks a static method `(call: VectorCall) => Column | null` as the vectorized form of `sig`(s);
 * the evaluator prefers it and falls back to the scalar function when it returns null.
 */
export function rpnVectorFn(sig: number | readonly number[]) {
  return (_target: object, _key: string | symbol, descriptor: PropertyDescriptor): void => {
    registerVectorFn(sig, descriptor.value);
  };
}

/** The function registered for `sig`, or undefined. */
export function lookupRpnFn(sig: number): RpnFnMeta | undefined {
  return scalarFns.get(sig);
}

/** Every registered sig, ascending. */
export function registeredSigs(): number[] {
  return [...scalarFns.keys()].sort((a, b) => a - b);
}
