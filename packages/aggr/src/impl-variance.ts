// VARIANCE / VAR_POP and VAR_SAMP. Behaviour of TiKV components/tidb_query_aggr/src/impl_variance.rs:
// the partial result is three columns, the count (BIGINT UNSIGNED), the sum and the variance (NULL
// for no values), in DECIMAL or DOUBLE after the same argument rewrite as SUM. The running
// variance is updated with TiKV's incremental formula, operation by operation, so DOUBLE results
// are the same bits and DECIMAL results the same digits:
//   count += 1; sum += x; if count > 1: t = x·count − sum; m2 += t·t / (count·(count − 1))
// and the pushed variance is m2 / count (population) or m2 / (count − 1) (sample).
import { assert, type ColumnBuilder, Decimal, type EvalContext, EvalType } from "@copr/datatype";
import type { SumAccumulator } from "./impl-sum.js";
import type { AggrFunction, AggrFunctionState } from "./interface.js";
import { DECIMAL_SUMMABLE, REAL_SUMMABLE, type Summable } from "./summable.js";
import { appendIntBits, appendValue, numberOf, StateBase } from "./util.js";

/** Population (VARIANCE, VAR_POP) or sample (VAR_SAMP) variance. */
export type VarianceKind = "Population" | "Sample";

/** The state of a variance over values of type `T`. */
export class VarianceState<T> extends StateBase {
  count = 0;
  private sum: T;
  private m2: T;

  constructor(
    private readonly ops: Summable<T>,
    private readonly read: (value: unknown) => T,
    private readonly kind: VarianceKind,
  ) {
    super();
    this.sum = ops.zero;
    this.m2 = ops.zero;
  }

  update(_ctx: EvalContext, value: unknown): void {
    if (value === null) return;
    const ops = this.ops;
    const x = this.read(value);
    this.count++;
    this.sum = ops.add(this.sum, x);
    if (this.count > 1) {
      const t = ops.sub(ops.mul(x, ops.fromCount(this.count)), this.sum);
      this.m2 = ops.add(this.m2, ops.div(ops.mul(t, t), ops.fromCount(this.count * (this.count - 1))));
    }
  }

  pushResult(_ctx: EvalContext, target: readonly ColumnBuilder[]): void {
    assert(target.length === 3, "VARIANCE pushes three columns");
    appendIntBits(target[0]!, this.count);
    if (this.count === 0) {
      target[1]!.appendNull();
      target[2]!.appendNull();
      return;
    }
    appendValue(target[1]!, this.sum);
    const divisor = this.kind === "Population" ? this.count : this.count - 1;
    // A sample variance of one value divides 0 by 0, where TiKV panics; MySQL's VAR_SAMP is NULL.
    appendValue(target[2]!, divisor === 0 ? null : this.ops.div(this.m2, this.ops.fromCount(divisor)));
  }
}

function decimalOfInt(value: unknown): Decimal {
  const v = value as bigint | number;
  return v < 0 ? Decimal.fromI64(v) : Decimal.fromU64(v);
}

/** The VARIANCE / VAR_POP / VAR_SAMP aggregate function. */
export class AggrFnVariance implements AggrFunction {
  readonly name: string;

  constructor(
    readonly accumulator: SumAccumulator,
    readonly argType: EvalType,
    readonly kind: VarianceKind,
  ) {
    this.name = `AggrFnVariance<${accumulator === "Real" ? "Real" : "Decimal"}, ${kind}>`;
  }

  createState(): AggrFunctionState {
    switch (this.accumulator) {
      case "Decimal":
        return new VarianceState(DECIMAL_SUMMABLE, (v) => v as Decimal, this.kind);
      case "IntAsDecimal":
        return new VarianceState(DECIMAL_SUMMABLE, decimalOfInt, this.kind);
      case "Real": {
        const t = this.argType;
        return new VarianceState(
          REAL_SUMMABLE,
          t === EvalType.Real ? (v) => v as number : (v) => numberOf(t, v),
          this.kind,
        );
      }
    }
  }
}
