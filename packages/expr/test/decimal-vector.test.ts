// The vectorized DECIMAL multiplication, addition and subtraction give the scalar functions'
// results word for word (the column words are what the chunk encoder copies to TiDB).
import { ChunkedVecDecimal, ChunkedVecDecimalBuilder, Decimal, FieldTypeTp, fieldType } from "@copr/datatype";
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

/** A column decoded the way a scan decodes DECIMAL(prec, frac): from the binary form. */
function binColumn(values: (Decimal | null)[], prec: number, frac: number): ChunkedVecDecimal {
  const b = new ChunkedVecDecimalBuilder();
  for (const v of values) {
    if (v === null) b.appendNull();
    else b.appendBin(v.toBin(prec, frac).value, 0, prec, frac);
  }
  return b.finish();
}

/** A DECIMAL with `frac` fraction digits from its scaled integer. */
const scaledDecimal = (frac: number, max: number) =>
  fc.integer({ min: -max, max }).map((v) => Decimal.fromScaledNumber(v, frac));

describe("over columns of scaled integers (what a scan gives for small DECIMALs)", () => {
  it.each(OPS)("$name keeps the scaled values and writes the scalar results' words", ({ sig, exact }) => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.option(scaledDecimal(2, 99_999_999), { nil: null }),
            fc.option(scaledDecimal(4, 9_999_999), { nil: null }),
          ),
          { minLength: 1, maxLength: 16 },
        ),
        fc.boolean(),
        fc.boolean(),
        (pairs, reorder, constRight) => {
          const a = binColumn(
            pairs.map((p) => p[0]),
            15,
            2,
          );
          const b = binColumn(
            pairs.map((p) => p[1]),
            11,
            4,
          );
          expect(a.scaled !== null || pairs.every((p) => p[0] === null)).toBe(true);
          const rows = reorder ? Uint32Array.from(pairs.map((_, i) => pairs.length - 1 - i)) : null;
          const c = pairs[0]![1] ?? Decimal.fromString("-0.0001");
          const right = constRight ? constDecimal(c) : columnRef(1, DEC);
          const e = scalarFunc(sig, OUT, columnRef(0, DEC), right);
          const vec = run(e, [a, b], rows, true);
          const sc = run(e, [a, b], rows, false);
          if (a.scaled !== null && (constRight || b.scaled !== null)) expect(vec.scaled).not.toBeNull();
          for (let k = 0; k < pairs.length; k++) {
            const [x, y0] = pairs[rows === null ? k : rows[k]!]!;
            const y = constRight ? c : y0;
            expect(vec.isNull(k)).toBe(x === null || y === null);
            if (x === null || y === null) continue;
            const want = exact(x, y);
            expect(vec.get(k)!.toString()).toBe(want.toString());
            if (vec.scaled !== null) {
              expect(vec.scaled.values[k]).toBe(want.toScaledNumber(vec.scaled.scale));
            }
          }
          expect(Array.from(vec.words)).toEqual(Array.from(sc.words));
        },
      ),
    );
  });

  it("chains: (a - b) * (1 + c) stays scaled, its words equal the scalar path's", () => {
    // TPC-H Q1's charge, over three DECIMAL(15, 2) columns; values worked out by hand.
    const d = (s: string) => Decimal.fromString(s);
    const price = binColumn([d("901.00"), d("-12.34"), null, d("0.00")], 15, 2);
    const disc = binColumn([d("0.05"), d("0.10"), d("0.01"), d("0.00")], 15, 2);
    const tax = binColumn([d("0.08"), d("0.00"), d("0.02"), d("0.07")], 15, 2);
    const F = [DEC, DEC, DEC];
    const expr = scalarFunc(
      S.MultiplyDecimal,
      OUT,
      scalarFunc(
        S.MultiplyDecimal,
        OUT,
        columnRef(0, DEC),
        scalarFunc(S.MinusDecimal, OUT, constDecimal(d("1")), columnRef(1, DEC)),
      ),
      scalarFunc(S.PlusDecimal, OUT, constDecimal(d("1")), columnRef(2, DEC)),
    );
    const evalWith = (vector: boolean) => {
      const rpn = buildRpn(expr, { schemaLength: 3, ...(vector ? {} : { lookup: scalarOnly }) });
      const r = evalRpn(rpn, ctx(), { schema: F, columns: [price, disc, tax], logicalRows: null });
      if (r.kind !== "vector") throw new Error("vector expected");
      return r.column as ChunkedVecDecimal;
    };
    const vec = evalWith(true);
    expect(vec.scaled?.scale).toBe(6);
    expect(Array.from(vec.scaled?.values ?? [])).toEqual([924_426_000, -11_106_000, 0, 0]);
    expect([0, 1, 2, 3].map((i) => vec.get(i)?.toString() ?? null)).toEqual([
      "924.426000",
      "-11.106000",
      null,
      "0.000000",
    ]);
    expect(Array.from(vec.words)).toEqual(Array.from(evalWith(false).words));
  });

  it("falls back to words when a result passes 2^53 - 1 or a constant shows fewer digits", () => {
    const big = binColumn([Decimal.fromString("99999999999.99")], 15, 2);
    const e = scalarFunc(S.MultiplyDecimal, OUT, columnRef(0, DEC), columnRef(1, DEC));
    const sq = run(e, [big, big], null, true);
    expect(sq.scaled).toBeNull();
    expect(sq.get(0)?.toString()).toBe("9999999999998000000000.0001");
    // 1/3: nine fraction digits, shown with four.
    const third = Decimal.fromString("1").div(Decimal.fromString("3"))!.value;
    expect(third.fracCnt).not.toBe(third.resultFracCnt);
    const p = scalarFunc(S.PlusDecimal, OUT, columnRef(0, DEC), constDecimal(third));
    const col = run(p, [big, big], null, true);
    expect(col.scaled).toBeNull();
    expect(Array.from(col.words)).toEqual(Array.from(run(p, [big, big], null, false).words));
  });
});
