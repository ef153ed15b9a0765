// The vectorized DECIMAL multiplication, addition and subtraction give the scalar functions'
// results word for word (the column words are what the chunk encoder copies to TiDB).
import { ChunkedVecDecimal, Decimal, FieldTypeTp, fieldType } from "@copr/datatype";
import { tipb } from "@copr/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildRpn,
  columnRef,
  constDecimal,
  evalRpn,
  lookupRpnFn,
  type RpnFnMeta,
  scalarFunc,
} from "../src/index.js";
import { ctx } from "./helpers.js";

const S = tipb.ScalarFuncSig;
const DEC = fieldType(FieldTypeTp.NewDecimal, { flen: 15, decimal: 2 });
const OUT = fieldType(FieldTypeTp.NewDecimal, { flen: 31, decimal: 4 });

const decimal = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 12 }))
  .map(([neg, digits, frac]) => {
    const s = digits.toString().padStart(frac + 1, "0");
    const text = frac === 0 ? s : `${s.slice(0, s.length - frac)}.${s.slice(s.length - frac)}`;
    return Decimal.fromString(`${neg ? "-" : ""}${text}`);
  });

const scalarOnly = (sig: number) => {
  const m = lookupRpnFn(sig);
  return m === undefined ? undefined : ({ ...m, vector: undefined } as RpnFnMeta);
};

function run(
  e: ReturnType<typeof scalarFunc>,
  columns: ChunkedVecDecimal[],
  rows: Uint32Array | null,
  vector: boolean,
) {
  const rpn = buildRpn(e, { schemaLength: 2, ...(vector ? {} : { lookup: scalarOnly }) });
  const r = evalRpn(rpn, ctx(), { schema: [DEC, DEC], columns, logicalRows: rows });
  if (r.kind !== "vector") throw new Error("vector expected");
  return r.column as ChunkedVecDecimal;
}

const OPS = [
  { name: "MultiplyDecimal", sig: S.MultiplyDecimal, exact: (x: Decimal, y: Decimal) => x.mul(y).value },
  { name: "PlusDecimal", sig: S.PlusDecimal, exact: (x: Decimal, y: Decimal) => x.add(y).value },
  { name: "MinusDecimal", sig: S.MinusDecimal, exact: (x: Decimal, y: Decimal) => x.sub(y).value },
];

describe("vectorized MultiplyDecimal, PlusDecimal, MinusDecimal", () => {
  it.each(OPS)(
    "$name equals the scalar results word for word, NULLs and logical rows included",
    ({ sig, exact }) => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.option(decimal, { nil: null }), fc.option(decimal, { nil: null })), {
            minLength: 1,
            maxLength: 16,
          }),
          fc.boolean(),
          (pairs, reorder) => {
            const a = ChunkedVecDecimal.fromValues(pairs.map((p) => p[0]));
            const b = ChunkedVecDecimal.fromValues(pairs.map((p) => p[1]));
            const rows = reorder ? Uint32Array.from(pairs.map((_, i) => pairs.length - 1 - i)) : null;
            const e = scalarFunc(sig, OUT, columnRef(0, DEC), columnRef(1, DEC));
            const vec = run(e, [a, b], rows, true);
            const sc = run(e, [a, b], rows, false);
            expect(Array.from(vec.words)).toEqual(Array.from(sc.words));
            for (let i = 0; i < pairs.length; i++) expect(vec.isNull(i)).toBe(sc.isNull(i));
            // and the value is the exact result
            for (let k = 0; k < pairs.length; k++) {
              const [x, y] = pairs[rows === null ? k : rows[k]!]!;
              if (x === null || y === null) continue;
              expect(vec.get(k)!.toString()).toBe(exact(x, y).toString());
            }
          },
        ),
      );
    },
  );

  it("takes a constant operand, and a product that overflows falls back to TiKV's error", () => {
    const a = ChunkedVecDecimal.fromValues([Decimal.fromString("12.50"), null, Decimal.fromString("-0.04")]);
    const e = scalarFunc(S.MultiplyDecimal, OUT, columnRef(0, DEC), constDecimal(Decimal.fromString("0.10")));
    const col = run(e, [a, a], null, true);
    expect([0, 1, 2].map((i) => col.get(i)?.toString() ?? null)).toEqual(["1.2500", null, "-0.0040"]);
    const huge = ChunkedVecDecimal.fromValues([Decimal.fromString(`${"9".repeat(45)}`)]);
    const sq = scalarFunc(S.MultiplyDecimal, OUT, columnRef(0, DEC), columnRef(1, DEC));
    expect(() => run(sq, [huge, huge], null, true)).toThrow(/out of range/);
  });

  it("a sum past 81 digits falls back to TiKV's error; 1 - x with a constant", () => {
    const nines = ChunkedVecDecimal.fromValues([Decimal.fromString("9".repeat(81))]);
    const plus = scalarFunc(S.PlusDecimal, OUT, columnRef(0, DEC), constDecimal(Decimal.fromString("1")));
    expect(() => run(plus, [nines, nines], null, true)).toThrow(/out of range/);
    // TPC-H Q1's `1 - l_discount`, hand-worked.
    const disc = ChunkedVecDecimal.fromValues([Decimal.fromString("0.05"), Decimal.fromString("0.00"), null]);
    const minus = scalarFunc(S.MinusDecimal, OUT, constDecimal(Decimal.fromString("1")), columnRef(0, DEC));
    const col = run(minus, [disc, disc], null, true);
    expect([0, 1, 2].map((i) => col.get(i)?.toString() ?? null)).toEqual(["0.95", "1.00", null]);
  });
});
