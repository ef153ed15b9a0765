// Expression evaluation over 1M-row batches (in batches of 1024 rows, as executors do).
// `a + b > 5` over Int columns (vectorized path), the same forced through the scalar functions,
// and a selection with it.
import {
  type ChunkedVecBytes,
  ChunkedVecBytesBuilder,
  type ChunkedVecDecimal,
  ChunkedVecDecimalBuilder,
  ChunkedVecInt,
  type Column,
  Decimal,
  EvalContext,
  type FieldType,
  FieldTypeTp,
  fieldType,
} from "@copr/datatype";
import { tipb } from "@copr/proto";
import { bench, describe } from "vitest";
import {
  buildRpn,
  columnRef,
  constBytes,
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

// ---------------------------------------------------------------------------------------------
// l_extendedprice * l_discount over DECIMAL(15,2), a 100-item IN list, LIKE '%abc%'.

const DEC = fieldType(FieldTypeTp.NewDecimal, { flen: 15, decimal: 2 });
const DEC_OUT = fieldType(FieldTypeTp.NewDecimal, { flen: 31, decimal: 4 });
const VARCHAR = fieldType(FieldTypeTp.VarString, { collate: 46, charset: "utf8mb4" });
const decBatches: ChunkedVecDecimal[][] = [];
const decScaledBatches: ChunkedVecDecimal[][] = [];
const strBatches: ChunkedVecBytes[][] = [];
for (let done = 0; done < ROWS; done += BATCH) {
  const n = Math.min(BATCH, ROWS - done);
  const price = new ChunkedVecDecimalBuilder(n);
  const disc = new ChunkedVecDecimalBuilder(n);
  const strs = new ChunkedVecBytesBuilder(n);
  for (let i = 0; i < n; i++) {
    price.append(Decimal.fromScaledNumber(Math.floor(rand() * 10_000_000) + 90_000, 2));
    disc.append(Decimal.fromScaledNumber(Math.floor(rand() * 11), 2));
    strs.appendString(`customer-${Math.floor(rand() * 1e6)}${rand() < 0.1 ? "abc" : "xyz"}-note`);
  }
  decBatches.push([price.finish(), disc.finish()]);
  // The same values as a scan decodes them (binary form): scaled integers.
  const words = decBatches[decBatches.length - 1]!;
  const binCol = (c: ChunkedVecDecimal) => {
    const b = new ChunkedVecDecimalBuilder(n);
    for (let i = 0; i < n; i++) b.appendBin((c.get(i) as Decimal).toBin(15, 2).value, 0, 15, 2);
    return b.finish();
  };
  decScaledBatches.push([binCol(words[0]!), binCol(words[1]!)]);
  strBatches.push([strs.finish()]);
}

const mul = buildRpn(scalarFunc(S.MultiplyDecimal, DEC_OUT, columnRef(0, DEC), columnRef(1, DEC)), {
  schemaLength: 2,
});
const inList = buildRpn(
  scalarFunc(
    S.InInt,
    LONGLONG,
    columnRef(0, LONGLONG),
    ...Array.from({ length: 100 }, (_, i) => constInt(i * 3 - 50)),
  ),
  { schemaLength: 2 },
);
const like = buildRpn(
  scalarFunc(
    S.LikeSig,
    fieldType(FieldTypeTp.LongLong, { collate: 46 }),
    columnRef(0, VARCHAR),
    constBytes("%abc%", VARCHAR),
    constInt(92),
  ),
  { schemaLength: 1 },
);

function evalOver(rpn: typeof vectorized, data: Column[][], schemaOf: FieldType[]): number {
  let n = 0;
  for (const columns of data) {
    const r = evalRpn(rpn, ctx, { schema: schemaOf, columns, logicalRows: null });
    n += r.kind === "vector" ? r.column.length : 1;
  }
  return n;
}

describe(`other kernels over ${ROWS} rows`, () => {
  bench(
    "l_extendedprice * l_discount, DECIMAL(15,2)",
    run("decimal multiply", () => evalOver(mul, decBatches, [DEC, DEC])),
    opts,
  );
  bench(
    "l_extendedprice * l_discount, DECIMAL(15,2) read from the binary form (scaled)",
    run("decimal multiply, scaled", () => evalOver(mul, decScaledBatches, [DEC, DEC])),
    opts,
  );
  bench(
    "a IN (100 constants)",
    run("IN 100 constants", () => evalOver(inList, batches, schema)),
    opts,
  );
  bench(
    "s LIKE '%abc%' (utf8mb4_bin)",
    run("LIKE %abc%", () => evalOver(like, strBatches, [VARCHAR])),
    opts,
  );
});
