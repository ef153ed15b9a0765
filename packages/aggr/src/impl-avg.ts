// AVG(expr). Behaviour of TiKV components/tidb_query_aggr/src/impl_avg.rs: the partial result is
// two columns, the count of non-NULL values (BIGINT UNSIGNED) and their sum (NULL when the count is
// 0), summed exactly as SUM does (see impl-sum.ts); TiDB divides after merging.
import type { EvalType } from "@copr/datatype";
import { createSumState, type SumAccumulator } from "./impl-sum.js";
import type { AggrFunction, AggrFunctionState } from "./interface.js";

/** The AVG aggregate function: two columns, the count of values and their sum (NULL for none). */
export class AggrFnAvg implements AggrFunction {
  readonly name: string;

  constructor(
    readonly accumulator: SumAccumulator,
    readonly argType: EvalType,
  ) {
    this.name = `AggrFnAvg<${accumulator === "Real" ? "Real" : "Decimal"}>`;
  }

  createState(): AggrFunctionState {
    return createSumState("avg", this.accumulator, this.argType);
  }
}
