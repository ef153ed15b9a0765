// The vectorized DECIMAL and DATE/DATETIME comparisons agree with the scalar functions (which
// define the semantics) on columns and constants, NULLs and logical rows included.
import {
  ChunkedVecDateTime,
  ChunkedVecDecimal,
  ChunkedVecInt,
  ChunkedVecReal,
  Decimal,
  EvalContext,
  FieldTypeTp,
  fieldType,
  Time,
  TimeType,
} from "@copr/datatype";
import { tipb } from "@copr/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildRpn,
  columnRef,
  constDecimal,
  constInt,
  constNull,
  constReal,
  constTime,
  evalFilter,
  LONGLONG,
  lookupRpnFn,
  type RpnFnMeta,
  scalarFunc,
} from "../src/index.js";
import { evalRows } from "./helpers.js";

const S = tipb.ScalarFuncSig;
const scalarOnly = (sig: number) => {
  const m = lookupRpnFn(sig);
  return m === undefined ? undefined : ({ ...m, vector: undefined } as RpnFnMeta);
};
const DEC = fieldType(FieldTypeTp.NewDecimal, { flen: 15, decimal: 2 });
const DATE = fieldType(FieldTypeTp.Date);
const ctx = EvalContext.forTest();

const dec = fc.integer({ min: -1_000_000, max: 1_000_000 }).map((c) => Decimal.fromScaledNumber(c, 2));
const date = fc
  .record({
    year: fc.integer({ min: 1990, max: 2000 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
  })
  .map((f) => Time.fromFields(ctx, { ...f, hour: 0, minute: 0, second: 0, micro: 0 }, TimeType.Date, 0));

const OPS = [
  ["LT", "LTDecimal", "LTTime"],
  ["LE", "LEDecimal", "LETime"],
  ["GT", "GTDecimal", "GTTime"],
  ["GE", "GEDecimal", "GETime"],
  ["EQ", "EQDecimal", "EQTime"],
  ["NE", "NEDecimal", "NETime"],
  ["NullEQ", "NullEQDecimal", "NullEQTime"],
] as const;

describe("vectorized DECIMAL and TIME comparisons", () => {
  it("DECIMAL: column vs constant and column vs column", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.option(dec, { nil: null }), fc.option(dec, { nil: null })), { maxLength: 20 }),
        dec,
        fc.boolean(),
        (pairs, c, reorder) => {
          const a = ChunkedVecDecimal.fromValues(pairs.map((p) => p[0]));
          const b = ChunkedVecDecimal.fromValues(pairs.map((p) => p[1]));
          const rows = reorder ? Uint32Array.from(pairs.map((_, i) => pairs.length - 1 - i)) : null;
          for (const [, name] of OPS) {
            const sig = S[name];
            for (const e of [
              scalarFunc(sig, LONGLONG, columnRef(0, DEC), constDecimal(c)),
              scalarFunc(sig, LONGLONG, columnRef(0, DEC), columnRef(1, DEC)),
            ]) {
              expect(evalRows(e, [DEC, DEC], [a, b], rows)).toEqual(
                evalRows(e, [DEC, DEC], [a, b], rows, undefined, scalarOnly),
              );
            }
          }
        },
      ),
    );
  });

  it("DATE: column vs constant", () => {
    fc.assert(
      fc.property(fc.array(fc.option(date, { nil: null }), { maxLength: 20 }), date, (values, c) => {
        const col = ChunkedVecDateTime.fromValues(values);
        for (const [, , name] of OPS) {
          const e = scalarFunc(S[name], LONGLONG, columnRef(0, DATE), constTime(c, DATE));
          const got = evalRows(e, [DATE], [col]);
          expect(got).toEqual(evalRows(e, [DATE], [col], null, undefined, scalarOnly));
        }
      }),
    );
  });

  it("columns without NULLs (the no-NULL loops): DATE and DECIMAL, either side constant, logical rows", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(dec, dec, date, date), { minLength: 1, maxLength: 40 }),
        dec,
        date,
        fc.boolean(),
        (rows4, cd, ct0, reorder) => {
          // Ties too: the constant is sometimes one of the column's values.
          const ct = reorder ? rows4[0]![2] : ct0;
          const a = ChunkedVecDecimal.fromValues(rows4.map((r) => r[0]));
          const b = ChunkedVecDecimal.fromValues(rows4.map((r) => r[1]));
          const ta = ChunkedVecDateTime.fromValues(rows4.map((r) => r[2]));
          const tb = ChunkedVecDateTime.fromValues(rows4.map((r) => r[3]));
          const rows = reorder ? Uint32Array.from(rows4.map((_, i) => rows4.length - 1 - i)) : null;
          const schema = [DEC, DEC, DATE, DATE];
          const cols = [a, b, ta, tb];
          for (const [, dname, tname] of OPS) {
            for (const e of [
              scalarFunc(S[dname], LONGLONG, columnRef(0, DEC), constDecimal(cd)),
              scalarFunc(S[dname], LONGLONG, constDecimal(cd), columnRef(1, DEC)),
              scalarFunc(S[dname], LONGLONG, columnRef(0, DEC), columnRef(1, DEC)),
              scalarFunc(S[tname], LONGLONG, columnRef(2, DATE), constTime(ct, DATE)),
              scalarFunc(S[tname], LONGLONG, constTime(ct, DATE), columnRef(3, DATE)),
              scalarFunc(S[tname], LONGLONG, columnRef(2, DATE), columnRef(3, DATE)),
            ]) {
              expect(evalRows(e, schema, cols, rows)).toEqual(
                evalRows(e, schema, cols, rows, undefined, scalarOnly),
              );
            }
          }
        },
      ),
    );
  });

  it("falls back when a value has more fraction digits than the declared type", () => {
    const col = ChunkedVecDecimal.fromValues([Decimal.fromString("1.005"), Decimal.fromString("1.00")]);
    const e = scalarFunc(S.GTDecimal, LONGLONG, columnRef(0, DEC), constDecimal(Decimal.fromString("1.00")));
    expect(evalRows(e, [DEC], [col])).toEqual([1n, 0n]);
  });

  it("as Selection conditions (the filter forms) keep the rows the column forms keep", () => {
    const REAL = fieldType(FieldTypeTp.Double);
    const noFilter = (sig: number) => {
      const m = lookupRpnFn(sig);
      return m === undefined ? undefined : ({ ...m, filter: undefined } as RpnFnMeta);
    };
    for (const sig of [S.LTTime, S.GEDecimal, S.NEReal, S.GTInt])
      expect(lookupRpnFn(sig)?.filter).toBeDefined();
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.option(dec, { nil: null }),
            fc.option(date, { nil: null }),
            fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        fc.boolean(),
        fc.boolean(),
        fc.option(fc.array(fc.nat(), { maxLength: 40 }), { nil: null }),
        (rows3, withNulls, constLeft, order) => {
          const pick = <T>(v: T | null, fallback: T): T | null => (withNulls ? v : (v ?? fallback));
          const cd = rows3[0]![0] ?? Decimal.fromString("1.00");
          const ct =
            rows3[0]![1] ??
            Time.fromFields(
              ctx,
              { year: 1995, month: 1, day: 1, hour: 0, minute: 0, second: 0, micro: 0 },
              TimeType.Date,
              0,
            );
          const cols = [
            ChunkedVecDecimal.fromValues(rows3.map((r) => pick(r[0], cd))),
            ChunkedVecDateTime.fromValues(rows3.map((r) => pick(r[1], ct))),
            ChunkedVecReal.fromValues(rows3.map((r) => pick(r[2], 0))),
            ChunkedVecInt.fromValues(rows3.map((r) => pick(r[2], 0))),
          ];
          const schema = [DEC, DATE, REAL, LONGLONG];
          const live = order === null ? null : Uint32Array.from(order, (i) => i % rows3.length);
          for (const [realName, dname, tname] of OPS) {
            const pairs = [
              [S[dname], columnRef(0, DEC), constDecimal(cd)],
              [S[tname], columnRef(1, DATE), constTime(ct, DATE)],
              [S[`${realName}Real` as keyof typeof S] as number, columnRef(2, REAL), constReal(0.5)],
              ...(realName === "NullEQ"
                ? []
                : [
                    [
                      S[`${realName}Int` as keyof typeof S] as number,
                      columnRef(3, LONGLONG),
                      constInt(1),
                    ] as const,
                  ]),
              [S[tname], columnRef(1, DATE), constNull(DATE)],
              [S[dname], columnRef(0, DEC), columnRef(0, DEC)],
            ] as const;
            for (const [sig, col, c] of pairs) {
              const e = constLeft ? scalarFunc(sig, LONGLONG, c, col) : scalarFunc(sig, LONGLONG, col, c);
              const input = { schema, columns: cols, logicalRows: live };
              const fused = evalFilter([buildRpn(e, { schemaLength: 4 })], ctx, input);
              const plain = evalFilter([buildRpn(e, { schemaLength: 4, lookup: noFilter })], ctx, input);
              expect(fused === null ? null : [...fused]).toEqual(plain === null ? null : [...plain]);
            }
          }
        },
      ),
    );
  });
});
