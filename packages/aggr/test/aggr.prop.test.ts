// Properties: the aggregates against exact references over random batches, and the three ways of
// feeding a state (one vector, several batches, row by row) against each other.
import {
  ChunkedVecBytes,
  ChunkedVecDecimal,
  ChunkedVecInt,
  ChunkedVecReal,
  Collation,
  type Column,
  collatorFor,
  Decimal,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
} from "@copr/datatype";
import { evalRpn } from "@copr/expr";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { updateStateFromResult } from "../src/index.js";
import {
  aggrOfColumn,
  ctx,
  DECIMAL,
  DOUBLE,
  E,
  ft,
  LONGLONG,
  parse,
  pushed,
  runRows,
  runVector,
} from "./helpers.js";

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const U64_MAX = (1n << 64n) - 1n;
const LONGLONG_U = ft(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned });

/** Values (NULL = null) and a random selection of their indexes as logical rows. */
function batch<T>(value: fc.Arbitrary<T>) {
  return fc.array(fc.option(value, { nil: null, freq: 4 }), { maxLength: 60 }).chain((values) =>
    fc.tuple(
      fc.constant(values),
      fc.oneof(
        fc.constant(null),
        fc.shuffledSubarray([...values.keys()]).map((rows) => new Uint32Array(rows)),
      ),
    ),
  );
}

function live<T extends {}>(values: (T | null)[], rows: Uint32Array | null): T[] {
  const idx = rows === null ? [...values.keys()] : [...rows];
  return idx.map((i) => values[i]!).filter((v): v is T => v !== null);
}

/** Feeds `column` to a fresh state in chunks of logical rows (stream aggregation over batches). */
function runChunks(
  def: ReturnType<typeof aggrOfColumn>,
  schema: FieldType[],
  column: Column,
  rows: Uint32Array | null,
  size: number,
) {
  const parsed = parse(def, schema);
  const c = ctx();
  const state = parsed.fn.createState();
  const all = rows ?? new Uint32Array([...Array(column.length).keys()]);
  for (let i = 0; i < all.length; i += size) {
    const part = all.subarray(i, i + size);
    updateStateFromResult(
      state,
      c,
      evalRpn(parsed.expr, c, { schema, columns: [column], logicalRows: part }),
      part.length,
    );
  }
  return pushed(state, parsed.fieldTypes, c);
}

const smallOrWideInt = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(BigInt),
  fc.bigInt(I64_MIN, I64_MAX),
);
const unsignedInt = fc.oneof(fc.integer({ min: 0, max: 1000 }).map(BigInt), fc.bigInt(0n, U64_MAX));

describe("properties", () => {
  it("SUM / AVG / COUNT over BIGINT (signed and unsigned) are exact", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        batch(smallOrWideInt),
        batch(unsignedInt),
        fc.integer({ min: 1, max: 7 }),
        (unsigned, s, u, size) => {
          const [values, rows] = unsigned ? u : s;
          const argFt = unsigned ? LONGLONG_U : LONGLONG;
          const col = ChunkedVecInt.fromValues(values, { unsigned });
          const vals = live(values, rows);
          const sum = vals.reduce((a, b) => a + b, 0n);
          const schema = [argFt];
          const want = [vals.length === 0 ? null : sum.toString()];
          const asText = (r: unknown[]) => r.map((v) => (v === null ? null : String(v)));
          const sumDef = aggrOfColumn(E.Sum, DECIMAL, argFt);
          expect(asText(runVector(sumDef, schema, [col], rows).result)).toEqual(want);
          expect(asText(runRows(sumDef, schema, [col], rows))).toEqual(want);
          expect(asText(runChunks(sumDef, schema, col, rows, size))).toEqual(want);
          const avg = runVector(aggrOfColumn(E.Avg, DECIMAL, argFt), schema, [col], rows).result;
          expect([avg[0], avg[1] === null ? null : String(avg[1])]).toEqual([BigInt(vals.length), want[0]]);
          expect(runVector(aggrOfColumn(E.Count, LONGLONG, argFt), schema, [col], rows).result).toEqual([
            BigInt(vals.length),
          ]);
        },
      ),
      { numRuns: 300 },
    );
  });

  const decimalArb = fc
    .tuple(fc.bigInt(-(10n ** 30n), 10n ** 30n), fc.integer({ min: 0, max: 12 }), fc.boolean())
    .map(([n, frac, small]) => {
      const v = small ? n % 100_000n : n;
      const s = (v < 0n ? -v : v).toString().padStart(frac + 1, "0");
      const text = `${v < 0n ? "-" : ""}${frac === 0 ? s : `${s.slice(0, s.length - frac)}.${s.slice(s.length - frac)}`}`;
      return Decimal.fromString(text);
    });

  it("SUM / AVG over DECIMAL equal adding the values one by one (value, digits and display)", () => {
    fc.assert(
      fc.property(batch(decimalArb), fc.integer({ min: 1, max: 5 }), ([values, rows], size) => {
        const col = ChunkedVecDecimal.fromValues(values);
        const vals = live(values, rows);
        let ref = Decimal.ZERO;
        for (const v of vals) ref = ref.add(v).value;
        const want = vals.length === 0 ? null : [ref.toString(), ref.toStringValue()];
        const show = (v: unknown) => (v === null ? null : [String(v), (v as Decimal).toStringValue()]);
        const def = aggrOfColumn(E.Sum, DECIMAL, DECIMAL);
        expect(show(runVector(def, [DECIMAL], [col], rows).result[0])).toEqual(want);
        expect(show(runRows(def, [DECIMAL], [col], rows)[0])).toEqual(want);
        expect(show(runChunks(def, [DECIMAL], col, rows, size)[0])).toEqual(want);
        const avg = runVector(aggrOfColumn(E.Avg, DECIMAL, DECIMAL), [DECIMAL], [col], rows).result;
        expect([avg[0], show(avg[1])]).toEqual([BigInt(vals.length), want]);
      }),
      { numRuns: 300 },
    );
  });

  it("SUM over DOUBLE adds in logical row order; VARIANCE forms agree", () => {
    fc.assert(
      fc.property(batch(fc.double({ min: -1e6, max: 1e6, noNaN: true })), ([values, rows]) => {
        const col = ChunkedVecReal.fromValues(values);
        const vals = live(values, rows);
        const want = vals.length === 0 ? null : vals.reduce((a, b) => a + b, 0);
        expect(runVector(aggrOfColumn(E.Sum, DOUBLE, DOUBLE), [DOUBLE], [col], rows).result).toEqual([want]);
        const v = aggrOfColumn(E.VarPop, DOUBLE, DOUBLE);
        const vec = runVector(v, [DOUBLE], [col], rows).result;
        expect(runRows(v, [DOUBLE], [col], rows)).toEqual(vec);
        expect(runChunks(v, [DOUBLE], col, rows, 3)).toEqual(vec);
        if (vals.length > 1) {
          const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
          const pop = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length;
          expect(vec[2] as number).toBeCloseTo(pop, Math.max(0, 6 - Math.log10(Math.max(1, pop))));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("MIN / MAX over BIGINT equal the ends of the sorted values", () => {
    fc.assert(
      fc.property(fc.boolean(), batch(smallOrWideInt), batch(unsignedInt), (unsigned, s, u) => {
        const [values, rows] = unsigned ? u : s;
        const argFt = unsigned ? LONGLONG_U : LONGLONG;
        const col = ChunkedVecInt.fromValues(values, { unsigned });
        const sorted = live(values, rows).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const min = sorted.length === 0 ? null : sorted[0];
        const max = sorted.length === 0 ? null : sorted[sorted.length - 1];
        expect(runVector(aggrOfColumn(E.Max, argFt, argFt), [argFt], [col], rows).result).toEqual([max]);
        expect(runVector(aggrOfColumn(E.Min, argFt, argFt), [argFt], [col], rows).result).toEqual([min]);
        expect(runRows(aggrOfColumn(E.Min, argFt, argFt), [argFt], [col], rows)).toEqual([min]);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    Collation.Binary,
    Collation.Utf8Mb4Bin,
    Collation.Utf8Mb4GeneralCi,
    Collation.Utf8Mb4UnicodeCi,
    Collation.Utf8Mb40900AiCi,
  ])("MIN / MAX over strings in collation %s equal a stable sort's ends", (coll) => {
    const collator = collatorFor(coll);
    const strFt = ft(FieldTypeTp.VarString, { collate: coll });
    const enc = new TextEncoder();
    const word = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.constantFrom("a", "A", "a ", "ß", "ss", "B", "é", "E"),
    );
    fc.assert(
      fc.property(batch(word), ([values, rows]) => {
        const col = ChunkedVecBytes.fromValues(values);
        const sorted = live(values, rows)
          .map((s) => enc.encode(s))
          .sort((a, b) => collator.compare(a, b)); // Array#sort is stable: ties keep row order.
        const min = sorted.length === 0 ? null : sorted[0];
        // MAX keeps the first of equal maxima: the first element of the last run of equals.
        let max: Uint8Array | null = null;
        for (const v of sorted) if (max === null || collator.compare(max, v) < 0) max = v;
        expect(runVector(aggrOfColumn(E.Min, strFt, strFt), [strFt], [col], rows).result).toEqual([min]);
        expect(runVector(aggrOfColumn(E.Max, strFt, strFt), [strFt], [col], rows).result).toEqual([max]);
        expect(runRows(aggrOfColumn(E.Max, strFt, strFt), [strFt], [col], rows)).toEqual([max]);
      }),
      { numRuns: 150 },
    );
  });

  it("BIT_AND / BIT_OR / BIT_XOR equal bigint folds of the 64-bit patterns", () => {
    fc.assert(
      fc.property(batch(smallOrWideInt), fc.integer({ min: 1, max: 4 }), ([values, rows], size) => {
        const col = ChunkedVecInt.fromValues(values);
        const bits = live(values, rows).map((v) => BigInt.asUintN(64, v));
        const cases: [number, bigint][] = [
          [E.Agg_BitAnd, bits.reduce((a, b) => a & b, U64_MAX)],
          [E.Agg_BitOr, bits.reduce((a, b) => a | b, 0n)],
          [E.Agg_BitXor, bits.reduce((a, b) => a ^ b, 0n)],
        ];
        for (const [tp, want] of cases) {
          const def = aggrOfColumn(tp, LONGLONG_U, LONGLONG);
          expect(runVector(def, [LONGLONG], [col], rows).result).toEqual([want]);
          expect(runRows(def, [LONGLONG], [col], rows)).toEqual([want]);
          expect(runChunks(def, [LONGLONG], col, rows, size)).toEqual([want]);
        }
      }),
      { numRuns: 200 },
    );
  });
});
