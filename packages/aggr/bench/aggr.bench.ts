// SUM / COUNT / AVG over 1M rows in batches of 1024 (simple aggregation: one group): BIGINT and
// DECIMAL(15,2) arguments.
import {
  ChunkedVecDecimalBuilder,
  ChunkedVecInt,
  type Column,
  columnBuilderFor,
  Decimal,
  EvalContext,
  FieldTypeTp,
  fieldType,
} from "@copr/datatype";
import { columnRef, evalRpn, fieldTypeToPb } from "@copr/expr";
import { tipb } from "@copr/proto";
import { bench, describe } from "vitest";
import { parseAggr, updateStateFromResult } from "../src/index.js";

const ROWS = 1_000_000;
const BATCH = 1024;
const E = tipb.ExprType;
const LONGLONG = fieldType(FieldTypeTp.LongLong);
const DEC = fieldType(FieldTypeTp.NewDecimal, { flen: 15, decimal: 2 });
const DEC_SUM = fieldType(FieldTypeTp.NewDecimal, { flen: 38, decimal: 2 });

let seed = 3;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) >>> 0;
  return seed / 4_294_967_296;
};

const batches: Column[][] = [];
for (let done = 0; done < ROWS; done += BATCH) {
  const n = Math.min(BATCH, ROWS - done);
  const ints = new Float64Array(n);
  const dec = new ChunkedVecDecimalBuilder(n);
  for (let i = 0; i < n; i++) {
    ints[i] = Math.floor(rand() * 1_000_000);
    dec.append(Decimal.fromScaledNumber(Math.floor(rand() * 10_000_000), 2));
  }
  batches.push([new ChunkedVecInt({ repr: "f64", values: ints }, false), dec.finish()]);
}
const schema = [LONGLONG, DEC];
const ctx = new EvalContext();

function run(tp: tipb.ExprType, out: typeof LONGLONG, offset: number, argFt: typeof LONGLONG): () => void {
  const def = { tp, fieldType: fieldTypeToPb(out), children: [columnRef(offset, argFt)] };
  const parsed = parseAggr(def, ctx, schema);
  return () => {
    const t0 = performance.now();
    const state = parsed.fn.createState();
    for (const columns of batches) {
      const r = evalRpn(parsed.expr, ctx, { schema, columns, logicalRows: null });
      updateStateFromResult(state, ctx, r, columns[0]!.length);
    }
    const builders = parsed.fieldTypes.map((f) => columnBuilderFor(f));
    state.pushResult(ctx, builders);
    const ms = performance.now() - t0;
    const result = builders.map((b) => String(b.finish().get(0)));
    console.log(
      `${E[tp]}(${offset === 0 ? "BIGINT" : "DECIMAL(15,2)"}): ${((ROWS / ms) * 1000).toFixed(0)} rows/s (${ms.toFixed(0)} ms) = ${result.join(", ")}`,
    );
  };
}

const opts = { iterations: 3, warmupIterations: 1, time: 0, warmupTime: 0 };

describe(`aggregates over ${ROWS} rows`, () => {
  bench("COUNT(BIGINT)", run(E.Count, LONGLONG, 0, LONGLONG), opts);
  bench("SUM(BIGINT)", run(E.Sum, DEC_SUM, 0, LONGLONG), opts);
  bench("AVG(BIGINT)", run(E.Avg, DEC_SUM, 0, LONGLONG), opts);
  bench("SUM(DECIMAL(15,2))", run(E.Sum, DEC_SUM, 1, DEC), opts);
  bench("AVG(DECIMAL(15,2))", run(E.Avg, DEC_SUM, 1, DEC), opts);
});
