// STDDEV_POP (also STD and STDDEV) and STDDEV_SAMP. TiKV rejects them; TiDB computes them as the
// square root of VAR_POP / VAR_SAMP (pkg/executor/aggfuncs/func_stddevpop.go, func_stddevsamp.go)
// and keeps the same partial state as the variances. So the partial result here is exactly
// VARIANCE's (impl-variance.ts): count, sum, variance — the variance of the group, population or
// sample by kind, not its square root — and the square root is taken once, after merging.
//
// Merge rule (TiDB `calculateMerge` on the running sums of squared deviations): for partials
// (nA, sA, vA) and (nB, sB, vB) with nA, nB > 0, recover m2 = v·n (population) or v·(n − 1)
// (sample; a sample partial of one row has variance NULL and m2 = 0), then
//   n = nA + nB,  s = sA + sB,  m2 = m2A + m2B + (sA/nA − sB/nB)² · nA · nB / n
// and the result is √(m2 / n) (population) or √(m2 / (n − 1)) (sample; NULL for n ≤ 1), NULL
// for n = 0. Partials with n = 0 are skipped.
import type { EvalType } from "@copr/datatype";
import type { SumAccumulator } from "./impl-sum.js";
import { AggrFnVariance, type VarianceKind } from "./impl-variance.js";
import type { AggrFunction, AggrFunctionState } from "./interface.js";

/** The STDDEV_POP / STDDEV_SAMP aggregate function: VARIANCE's state and partial result. */
export class AggrFnStddev implements AggrFunction {
  readonly name: string;
  private readonly variance: AggrFnVariance;

  constructor(
    readonly accumulator: SumAccumulator,
    readonly argType: EvalType,
    readonly kind: VarianceKind,
  ) {
    this.variance = new AggrFnVariance(accumulator, argType, kind);
    this.name = `AggrFnStddev<${accumulator === "Real" ? "Real" : "Decimal"}, ${kind}>`;
  }

  createState(): AggrFunctionState {
    return this.variance.createState();
  }
}

/** A variance partial result read as doubles: count, sum and variance (null when NULL). */
export interface VariancePartial {
  readonly count: number;
  readonly sum: number | null;
  readonly variance: number | null;
}

/** Merges variance partial results of `kind` (the rule in the file header) into one partial. */
export function mergeVariancePartials(
  parts: readonly VariancePartial[],
  kind: VarianceKind,
): VariancePartial {
  let n = 0;
  let s = 0;
  let m2 = 0;
  for (const p of parts) {
    if (p.count === 0) continue;
    const pm2 = p.variance === null ? 0 : p.variance * (kind === "Population" ? p.count : p.count - 1);
    const ps = p.sum ?? 0;
    if (n === 0) {
      n = p.count;
      s = ps;
      m2 = pm2;
      continue;
    }
    const delta = s / n - ps / p.count;
    m2 += pm2 + (delta * delta * n * p.count) / (n + p.count);
    n += p.count;
    s += ps;
  }
  if (n === 0) return { count: 0, sum: null, variance: null };
  const divisor = kind === "Population" ? n : n - 1;
  return { count: n, sum: s, variance: divisor === 0 ? null : m2 / divisor };
}

/** The final standard deviation of a (merged) variance partial result: √variance, NULL for none. */
export function stddevOf(p: VariancePartial): number | null {
  return p.variance === null ? null : Math.sqrt(p.variance);
}
