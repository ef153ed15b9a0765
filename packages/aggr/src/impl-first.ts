// FIRST(expr) (TiDB's FIRST_ROW). Behaviour of TiKV components/tidb_query_aggr/src/impl_first.rs:
// the value of the first row the state sees, NULL included — a group whose first row is NULL stays
// NULL even if later rows are not. The result has the argument's type; every eval type works.
import type { Column, ColumnBuilder, EvalContext, EvalType, LogicalRows } from "@copr/datatype";
import { assert } from "@copr/datatype";
import type { AggrFunction, AggrFunctionState } from "./interface.js";
import { appendValue, logicalCount } from "./util.js";

/** The FIRST aggregate function over arguments of eval type `evalType`. */
export class AggrFnFirst implements AggrFunction {
  readonly name: string;

  constructor(readonly evalType: EvalType) {
    this.name = `AggrFnFirst<${evalType}>`;
  }

  createState(): AggrFunctionState {
    return new FirstState();
  }
}

/** Byte and vector values are views into a batch: keep a copy, not the batch. */
function owned(value: unknown): unknown {
  if (value instanceof Uint8Array || value instanceof Float32Array) return value.slice();
  return value;
}

/** The state of FIRST: empty until the first row, then that row's value (possibly NULL). */
export class FirstState implements AggrFunctionState {
  private empty = true;
  private value: unknown = null;

  update(_ctx: EvalContext, value: unknown): void {
    if (!this.empty) return;
    this.empty = false;
    this.value = owned(value);
  }

  updateRepeat(ctx: EvalContext, value: unknown, times: number): void {
    assert(times > 0, "FIRST repeated at least once");
    this.update(ctx, value);
  }

  updateRow(ctx: EvalContext, column: Column, row: number): void {
    if (this.empty) this.update(ctx, column.get(row));
  }

  updateVector(ctx: EvalContext, column: Column, rows: LogicalRows): void {
    if (!this.empty || logicalCount(column, rows) === 0) return;
    this.updateRow(ctx, column, rows === null ? 0 : rows[0]!);
  }

  pushResult(_ctx: EvalContext, target: readonly ColumnBuilder[]): void {
    appendValue(target[0]!, this.value);
  }
}
