// Expression evaluation over 1M-row batches (in batches of 1024 rows, as executors do).
// `a + b > 5` over Int columns (vectorized path), the same forced through the scalar functions,
// and a selection with it.
import { ChunkedVecInt, EvalContext } from "@copr/datatype";
import { tipb } from "@copr/proto";
import { bench, describe } from "vitest";
import {
  buildRpn,
  columnRef,
  constInt,
  evalFilter,
  evalRpn,
  LONGLONG,
  lookupRpnFn,
  type RpnFnMeta,
  scalarFunc,
} from "../src/index.js";

const ROWS = 1_000_000;
const BATCH = 1024;
const S = tipb.ScalarFuncSig;

let seed = 7;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) >>> 0;
  return seed / 4_294_967_296;
};

const batches: ChunkedVecInt[][] = [];
for (let done = 0; done < ROWS; done += BATCH) {
  const n = Math.min(BATCH, ROWS - done);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = Math.floor(rand() * 10) - 2;
    b[i] = Math.floor(rand() * 10) - 2;
  }
  batches.push([
    new ChunkedVecInt({ repr: "f64", values: a }, false),
    new ChunkedVecInt({ repr: "f64", values: b }, false),
  ]);
}

const schema = [LONGLONG, LONGLONG];
const tree = scalarFunc(
  S.GTInt,
  LONGLONG,
  scalarFunc(S.PlusInt, LONGLONG, columnRef(0, LONGLONG), columnRef(1, LONGLONG)),
  constInt(5),
);
const vectorized = buildRpn(tree, { schemaLength: 2 });
const scalarOnly = buildRpn(tree, {
  schemaLength: 2,
  lookup: (sig) => {
    const m = lookupRpnFn(sig);
    return m === undefined ? undefined : ({ ...m, vector: undefined } as RpnFnMeta);
  },
});
const ctx = new EvalContext();

function run(name: string, f: () => number): () => void {
  return () => {
    const t0 = performance.now();
    const kept = f();
    const ms = performance.now() - t0;
    console.log(
      `${name}: ${((ROWS / ms) * 1000).toFixed(0)} rows/s (${ms.toFixed(0)} ms, ${kept} rows true)`,
    );
  };
}

function evalAll(rpn: typeof vectorized): number {
  let trues = 0;
  for (const columns of batches) {
    const r = evalRpn(rpn, ctx, { schema, columns, logicalRows: null });
    if (r.kind === "vector") {
      const c = r.column as ChunkedVecInt;
      const v = c.data.values;
      for (let i = 0; i < c.length; i++) if (v[i] !== 0 && v[i] !== 0n) trues++;
    }
  }
  return trues;
}

const opts = { iterations: 3, warmupIterations: 1, time: 0, warmupTime: 0 };

describe(`a + b > 5 over ${ROWS} Int rows`, () => {
  bench(
    "vectorized (Float64Array kernels)",
    run("vectorized", () => evalAll(vectorized)),
    opts,
  );
  bench(
    "scalar functions (bigint per row)",
    run("scalar", () => evalAll(scalarOnly)),
    opts,
  );
  bench(
    "as a selection (WHERE a + b > 5)",
    run("selection", () => {
      let kept = 0;
      for (const columns of batches) {
        const rows = evalFilter([vectorized], ctx, { schema, columns, logicalRows: null });
        kept += rows === null ? columns[0]!.length : rows.length;
      }
      return kept;
    }),
    opts,
  );
});
