// The aggregate function contract. Behaviour of TiKV components/tidb_query_aggr/src/lib.rs
// (`AggrFunction`, `AggrFunctionState`, `update!`, `update_repeat!`, `update_vector!`), written as
// plain interfaces: one state object per group, updated from argument values and asked for its
// partial result.
import type { Column, ColumnBuilder, EvalContext, LogicalRows } from "@copr/datatype";
import type { EvalResult } from "@copr/expr";

/**
 * An aggregate function (TiKV `AggrFunction`): a name and a factory of independent per-group
 * states. A function object is built once per aggregate of a request by the parser and shared by
 * every group; it holds no data.
 */
export interface AggrFunction {
  /** The implementation's name, for errors and EXPLAIN-like output (e.g. `"AggrFnSum<Decimal>"`). */
  readonly name: string;
  /** A fresh state (the empty aggregate: COUNT 0, SUM NULL, …). States aggregate independently. */
  createState(): AggrFunctionState;
}

/**
 * The running state of one aggregate over one group (TiKV `AggrFunctionState`).
 *
 * Values arrive in the representation of the argument expression's eval type, as `@copr/expr`
 * produces it: Int a `bigint` SQL value (unsigned columns give values up to 2^64 − 1), Real a
 * number, Decimal a `Decimal`, Bytes/Json a `Uint8Array`, DateTime a `Time`, Duration a
 * `Duration`, Enum an `Enum`, Set a `MySqlSet`, VectorFloat32 a `Float32Array`; `null` is NULL.
 * Columns are the batch's columns (or an expression's result) read through logical rows.
 *
 * A state only accepts the eval type the parser built it for; anything else is a bug (an assertion,
 * as TiKV panics), never a data error. The update methods throw an `EvalError` when the value
 * cannot be added (overflow of SUM over BIGINT, decimal overflow).
 */
export interface AggrFunctionState {
  /** Adds one value (TiKV `update`). Used for a constant argument and by hash aggregation. */
  update(ctx: EvalContext, value: unknown): void;
  /** Adds the same value `times` times (TiKV `update_repeat`), e.g. `COUNT(1)` over a batch. */
  updateRepeat(ctx: EvalContext, value: unknown, times: number): void;
  /** Adds physical row `row` of `column` (hash aggregation: one row into its group's state). */
  updateRow(ctx: EvalContext, column: Column, row: number): void;
  /**
   * Adds the logical rows of `column` in order (TiKV `update_vector`): physical rows
   * `rows[0], rows[1], …`, or every row `0 .. column.length − 1` when `rows` is null. Used by
   * simple aggregation (one group) and stream aggregation (a run of rows of one group).
   */
  updateVector(ctx: EvalContext, column: Column, rows: LogicalRows): void;
  /**
   * Appends the partial result as one row to each of `target` (TiKV `push_result`): as many
   * builders as the parser's output field types for this aggregate, in that order (AVG: count then
   * sum). May be called more than once; the state stays usable.
   */
  pushResult(ctx: EvalContext, target: readonly ColumnBuilder[]): void;
}

/**
 * Feeds one evaluated argument of a batch into `state`: a constant (scalar) result counts once per
 * logical row (`updateRepeat`), a vector result row by row (`updateVector`). `rowCount` is the
 * number of logical rows the expression was evaluated over. Nothing happens for `rowCount` 0.
 */
export function updateStateFromResult(
  state: AggrFunctionState,
  ctx: EvalContext,
  result: EvalResult,
  rowCount: number,
): void {
  if (rowCount === 0) return;
  if (result.kind === "scalar") state.updateRepeat(ctx, result.value, rowCount);
  else state.updateVector(ctx, result.column, result.rows);
}

/** Feeds logical row `k` of an evaluated argument into `state` (hash aggregation). */
export function updateStateAt(
  state: AggrFunctionState,
  ctx: EvalContext,
  result: EvalResult,
  k: number,
): void {
  if (result.kind === "scalar") state.update(ctx, result.value);
  else state.updateRow(ctx, result.column, result.rows === null ? k : result.rows[k]!);
}
