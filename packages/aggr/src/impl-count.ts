// COUNT(expr). Behaviour of TiKV components/tidb_query_aggr/src/impl_count.rs: counts the non-NULL
// values of an argument of any eval type; the partial result is one BIGINT UNSIGNED column.
import type { Column, ColumnBuilder, EvalContext, LogicalRows } from "@copr/datatype";
import type { AggrFunction, AggrFunctionState } from "./interface.js";
import { appendIntBits } from "./util.js";

/** The COUNT aggregate function (any argument type). */
export class AggrFnCount implements AggrFunction {
  readonly name = "AggrFnCount";
  createState(): AggrFunctionState {
    return new AggrFnStateCount();
  }
}

/** The state of COUNT: a plain number (a group never holds 2^53 rows). */
export class AggrFnStateCount implements AggrFunctionState {
  count = 0;

  update(_ctx: EvalContext, value: unknown): void {
    if (value !== null) this.count++;
  }

  updateRepeat(_ctx: EvalContext, value: unknown, times: number): void {
    if (value !== null) this.count += times;
  }

  updateRow(_ctx: EvalContext, column: Column, row: number): void {
    if (!column.isNull(row)) this.count++;
  }

  updateVector(_ctx: EvalContext, column: Column, rows: LogicalRows): void {
    const n = rows === null ? column.length : rows.length;
    if (column.nullCount === 0) {
      this.count += n;
      return;
    }
    let c = 0;
    if (rows === null) c = n - column.nullCount;
    else for (let k = 0; k < n; k++) if (!column.isNull(rows[k]!)) c++;
    this.count += c;
  }

  pushResult(_ctx: EvalContext, target: readonly ColumnBuilder[]): void {
    appendIntBits(target[0]!, this.count);
  }
}
