// The framework: building RPN from tipb.Expr, its validation, constants, nested calls, logical
// rows, vectorized forms and selections.
import {
  ChunkedVecBytes,
  ChunkedVecInt,
  ChunkedVecReal,
  CodecError,
  Decimal,
  Duration,
  EvalContext,
  EvalFlag,
  EvalType,
  FieldTypeTp,
  fieldType,
  isCoprError,
  UnsupportedError,
} from "@copr/datatype";
import { tipb } from "@copr/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildRpn,
  columnRef,
  constBytes,
  constDecimal,
  constDuration,
  constInt,
  constNull,
  constReal,
  ExprError,
  evalFilter,
  evalRpn,
  LONGLONG,
  LONGLONG_UNSIGNED,
  lookupRpnFn,
  registerRpnFn,
  scalarFunc,
} from "../src/index.js";
import { ctx, evalConst, evalRows, ints } from "./helpers.js";

const S = tipb.ScalarFuncSig;
const DOUBLE = fieldType(FieldTypeTp.Double);

describe("building", () => {
  it("flattens post-order: children before their call", () => {
    // (c0 + 1) > c1
    const e = scalarFunc(
      S.GTInt,
      LONGLONG,
      scalarFunc(S.PlusInt, LONGLONG, columnRef(0, LONGLONG), constInt(1)),
      columnRef(1, LONGLONG),
    );
    const rpn = buildRpn(e, { schemaLength: 2 });
    expect(
      rpn.nodes.map((n) =>
        n.kind === "call" ? n.fn.name : n.kind === "column" ? `col${n.offset}` : `const`,
      ),
    ).toEqual(["col0", "const", "IntArithmetic.plusInt", "col1", "IntCompare.gtInt"]);
  });

  it("decodes constants by their ExprType", () => {
    expect(evalConst(constInt(-5))).toBe(-5n);
    expect(evalConst(constInt(2n ** 64n - 1n, LONGLONG_UNSIGNED))).toBe(2n ** 64n - 1n);
    expect(evalConst(constReal(1.5))).toBe(1.5);
    expect(new TextDecoder().decode(evalConst(constBytes("héllo")) as Uint8Array)).toBe("héllo");
    expect((evalConst(constDecimal(Decimal.fromString("-12.345"))) as Decimal).toString()).toBe("-12.345");
    expect((evalConst(constDuration(Duration.fromNanos(3_600_000_000_000, 0))) as Duration).nanos).toBe(
      3_600_000_000_000,
    );
    expect(evalConst(constNull())).toBeNull();
  });

  it("names an unknown signature, also one newer than the schema", () => {
    const known = scalarFunc(S.Uncompress, fieldType(FieldTypeTp.VarString), constBytes("x"));
    expect(() => buildRpn(known, { schemaLength: 0 })).toThrow(
      new UnsupportedError("ScalarFunction Uncompress (sig 4509) is not supported"),
    );
    expect(() => buildRpn(scalarFunc(9999, LONGLONG), { schemaLength: 0 })).toThrow(
      /unknown\(9999\) \(sig 9999\)/,
    );
  });

  it("rejects a wrong argument count, argument type or return type before evaluating", () => {
    expect(() => buildRpn(scalarFunc(S.PlusInt, LONGLONG, constInt(1)), { schemaLength: 0 })).toThrow(
      "Invalid IntArithmetic.plusInt (sig = PlusInt) signature: expect 2 arguments, got 1",
    );
    expect(() =>
      buildRpn(scalarFunc(S.PlusInt, LONGLONG, constInt(1), constReal(1)), { schemaLength: 0 }),
    ).toThrow(/expect argument 1 to be Int, got Real/);
    expect(() =>
      buildRpn(scalarFunc(S.PlusInt, DOUBLE, constInt(1), constInt(1)), { schemaLength: 0 }),
    ).toThrow(/expect return type Int, got Real/);
    // nested: the error of a child is raised too
    const bad = scalarFunc(S.LTInt, LONGLONG, scalarFunc(S.PlusInt, LONGLONG, constInt(1)), constInt(2));
    expect(() => buildRpn(bad, { schemaLength: 0 })).toThrow(ExprError);
  });

  it("rejects column offsets outside the schema and unreadable constants", () => {
    expect(() => buildRpn(columnRef(3, LONGLONG), { schemaLength: 3 })).toThrow(
      "Invalid column offset (schema has 3 columns, access index 3)",
    );
    const shortInt = { ...constInt(1), val: new Uint8Array([0x80, 0]) };
    const err = (() => {
      try {
        buildRpn(shortInt, { schemaLength: 0 });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CodecError);
    expect(isCoprError(err)).toBe(true);
    expect(() => buildRpn({ ...constInt(1), tp: tipb.ExprType.Float64 }, { schemaLength: 0 })).toThrow(
      "Unexpected ExprType Float64 and EvalType Int",
    );
    expect(() =>
      buildRpn({ tp: tipb.ExprType.Count, fieldType: { tp: FieldTypeTp.LongLong } }, { schemaLength: 0 }),
    ).toThrow("Blacklist expression type Count");
  });
});

describe("evaluating", () => {
  const schema = [LONGLONG, LONGLONG];
  const a = ints([1, 2, null, 4, 5]);
  const b = ints([10, 20, 30, null, 50]);

  it("a call on constants only stays a scalar", () => {
    const rpn = buildRpn(scalarFunc(S.PlusInt, LONGLONG, constInt(2), constInt(3)), { schemaLength: 0 });
    const r = evalRpn(rpn, ctx(), { schema: [], columns: [ints([1, 2, 3])], logicalRows: null });
    expect(r).toMatchObject({ kind: "scalar", value: 5n, evalType: EvalType.Int });
  });

  it("nested calls over columns follow the logical rows", () => {
    // (a + b) > 25 over rows 4, 0, 1, 2 (in that order)
    const e = scalarFunc(
      S.GTInt,
      LONGLONG,
      scalarFunc(S.PlusInt, LONGLONG, columnRef(0, LONGLONG), columnRef(1, LONGLONG)),
      constInt(25),
    );
    expect(evalRows(e, schema, [a, b], Uint32Array.of(4, 0, 1, 2))).toEqual([1n, 0n, 0n, null]);
  });

  it("the vectorized and the scalar forms agree", () => {
    const scalarOnly = (sig: number) => {
      const m = lookupRpnFn(sig);
      return m === undefined ? undefined : { ...m, vector: undefined };
    };
    const e = scalarFunc(
      S.LEInt,
      LONGLONG,
      scalarFunc(S.MinusInt, LONGLONG, columnRef(0, LONGLONG), columnRef(1, LONGLONG)),
      constInt(-10),
    );
    const rows = Uint32Array.of(0, 1, 2, 3, 4, 1);
    expect(evalRows(e, schema, [a, b], rows)).toEqual(evalRows(e, schema, [a, b], rows, ctx(), scalarOnly));
    expect(evalRows(e, schema, [a, b], rows)).toEqual([0n, 1n, null, null, 1n, 1n]);
  });

  it("a wide column falls back to the exact scalar path", () => {
    const big = ints([2n ** 62n, 1]);
    const e = scalarFunc(S.PlusInt, LONGLONG, columnRef(0, LONGLONG), columnRef(0, LONGLONG));
    expect(() => evalRows(e, [LONGLONG], [big])).toThrow(
      "BIGINT value is out of range in '(4611686018427387904 + 4611686018427387904)'",
    );
    const ok = ints([2n ** 61n, -3]);
    expect(evalRows(e, [LONGLONG], [ok])).toEqual([2n ** 62n, -6n]);
  });

  it("registering a function is one call, and it is used by sig", () => {
    const sig = S.AbsInt;
    if (lookupRpnFn(sig) === undefined) {
      registerRpnFn("test.absInt", (v: bigint) => (v < 0n ? -v : v), {
        sig,
        args: [EvalType.Int],
        ret: EvalType.Int,
        nonnull: true,
      });
    }
    expect(
      evalRows(scalarFunc(sig, LONGLONG, columnRef(0, LONGLONG)), [LONGLONG], [ints([-3, null, 4])]),
    ).toEqual([3n, null, 4n]);
  });
});

describe("selection", () => {
  it("keeps the rows where every condition is true (NULL is not)", () => {
    const a = ints([1, 2, null, 4, 5, 6]);
    const conds = [
      buildRpn(scalarFunc(S.GTInt, LONGLONG, columnRef(0, LONGLONG), constInt(1)), { schemaLength: 1 }),
      buildRpn(scalarFunc(S.NEInt, LONGLONG, columnRef(0, LONGLONG), constInt(5)), { schemaLength: 1 }),
    ];
    const input = { schema: [LONGLONG], columns: [a], logicalRows: null };
    expect([...(evalFilter(conds, ctx(), input) ?? [])]).toEqual([1, 3, 5]);
    // over given logical rows, keeping their order
    expect([...(evalFilter(conds, ctx(), { ...input, logicalRows: Uint32Array.of(5, 0, 3) }) ?? [])]).toEqual(
      [5, 3],
    );
    // a constant condition: true keeps everything, false/NULL nothing
    const t = buildRpn(constInt(1), { schemaLength: 1 });
    const f = buildRpn(constNull(), { schemaLength: 1 });
    expect(evalFilter([t], ctx(), input)).toBeNull();
    expect([...(evalFilter([f], ctx(), input) ?? [])]).toEqual([]);
  });

  it("keeps exactly the rows every condition holds for, in order (random columns and logical rows)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: -5, max: 5 }),
            fc.option(fc.integer({ min: -2, max: 2 }), { nil: null }),
          ),
          {
            maxLength: 60,
          },
        ),
        fc.integer({ min: -5, max: 5 }),
        fc.option(fc.array(fc.nat(), { maxLength: 60 }), { nil: null }),
        (rows, k, order) => {
          const a = ChunkedVecInt.fromValues(rows.map((r) => r[0]));
          const b = ChunkedVecInt.fromValues(rows.map((r) => r[1]));
          const logical =
            order === null || rows.length === 0 ? null : Uint32Array.from(order, (i) => i % rows.length);
          const conds = [
            buildRpn(scalarFunc(S.GTInt, LONGLONG, columnRef(0, LONGLONG), constInt(k)), { schemaLength: 2 }),
            buildRpn(scalarFunc(S.NEInt, LONGLONG, columnRef(1, LONGLONG), constInt(0)), { schemaLength: 2 }),
          ];
          const input = { schema: [LONGLONG, LONGLONG], columns: [a, b], logicalRows: logical };
          const got = evalFilter(conds, ctx(), input);
          const all = logical === null ? rows.map((_, i) => i) : [...logical];
          const want = all.filter((i) => rows[i]![0] > k && rows[i]![1] !== null && rows[i]![1] !== 0);
          expect(got === null ? all : [...got]).toEqual(want);
          // Narrowing a row list the caller owns, in place: same rows; the input is left alone
          // when not owned.
          if (logical !== null) {
            const owned = logical.slice();
            const inPlace = evalFilter(conds, ctx(), { ...input, logicalRows: owned }, true);
            expect(inPlace === null ? all : [...inPlace]).toEqual(want);
            expect([...logical]).toEqual(all);
          }
        },
      ),
    );
  });

  it("uses MySQL truthiness for non-Int conditions", () => {
    const VARCHAR = fieldType(FieldTypeTp.VarString);
    const input = {
      schema: [DOUBLE, VARCHAR],
      columns: [
        ChunkedVecReal.fromValues([0, 0.5, null, -1]),
        ChunkedVecBytes.fromValues(["0", "1abc", "  2.5e1", "abc"]),
      ],
      logicalRows: null,
    };
    const real = buildRpn(columnRef(0, DOUBLE), { schemaLength: 2 });
    expect([...(evalFilter([real], ctx(), input) ?? [])]).toEqual([1, 3]);
    // strings are read as numbers: "0" and "abc" are false, "1abc" true with a truncation warning
    const c = new EvalContext({ flags: EvalFlag.TruncateAsWarning });
    const str = buildRpn(columnRef(1, VARCHAR), { schemaLength: 2 });
    expect([...(evalFilter([str], c, input) ?? [])]).toEqual([1, 2]);
    // "1abc" and "abc" each leave text behind: TiKV's handle_truncate, "Data Truncated" (1265)
    expect(c.takeWarnings().list.map((w) => w.code)).toEqual([1265, 1265]);
    // without the flag a truncation is an error, as in TiKV
    expect(() => evalFilter([str], new EvalContext(), input)).toThrow("Data Truncated");
  });
});
