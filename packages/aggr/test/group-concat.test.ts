// GROUP_CONCAT: TiKV has none; cases from TiDB pkg/executor/aggfuncs/func_group_concat_test.go
// (TestGroupConcat, TestMergePartialResult4GroupConcat) and MySQL's documented behaviour.
import {
  ChunkedVecBytes,
  ChunkedVecDecimal,
  ChunkedVecEnum,
  ChunkedVecInt,
  Collation,
  type Column,
  Decimal,
  EvalContext,
  EvalFlag,
  type FieldType,
  FieldTypeTp,
} from "@copr/datatype";
import { columnRef, constBytes, constNull, evalRpn, fieldTypeToPb } from "@copr/expr";
import type { tipb } from "@copr/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AggrFnGroupConcat,
  decodeGroupConcatRows,
  GROUP_CONCAT_ROWS_FIELD_TYPE,
  type GroupConcatOptions,
  mergeGroupConcat,
  mergeGroupConcatRows,
  type ParsedAggr,
  updateStateFromResult,
} from "../src/index.js";
import { catchError, E, ft, LONGLONG, parse, pushed } from "./helpers.js";

const UTF8 = ft(FieldTypeTp.VarString, { collate: Collation.Utf8Mb4Bin, charset: "utf8mb4" });
const CI = ft(FieldTypeTp.VarString, { collate: Collation.Utf8Mb4GeneralCi, charset: "utf8mb4" });
const text = new TextDecoder();
const str = (v: unknown) => (v === null ? null : text.decode(v as Uint8Array));

/** `u64` as TiDB's `codec.EncodeUint`: 8 bytes big-endian. */
function maxLenVal(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}

interface GcDef {
  args: tipb.Expr.$Properties[];
  sep?: string;
  maxLen?: number;
  distinct?: boolean;
  orderBy?: { expr: tipb.Expr.$Properties; desc?: boolean }[];
  out?: FieldType;
}

function groupConcat(d: GcDef): tipb.Expr.$Properties {
  return {
    tp: E.GroupConcat,
    fieldType: fieldTypeToPb(d.out ?? UTF8),
    children: [...d.args, constBytes(d.sep ?? ",", UTF8)],
    ...(d.maxLen === undefined ? {} : { val: maxLenVal(d.maxLen) }),
    ...(d.distinct ? { hasDistinct: true } : {}),
    ...(d.orderBy ? { orderBy: d.orderBy.map((o) => ({ expr: o.expr, desc: o.desc === true })) } : {}),
  };
}

/** Runs `parsed` over row ranges of the batch, one state per range; returns each partial result. */
function partials(
  parsed: ParsedAggr,
  schema: FieldType[],
  columns: Column[],
  ranges: number[][],
  context: EvalContext = EvalContext.forTest(),
): unknown[] {
  return ranges.map((rows) => {
    const state = parsed.fn.createState();
    const logicalRows = new Uint32Array(rows);
    const r = evalRpn(parsed.expr, context, { schema, columns, logicalRows });
    updateStateFromResult(state, context, r, rows.length);
    return pushed(state, parsed.fieldTypes, context)[0];
  });
}

const all = (n: number) => [[...Array(n).keys()]];

function optionsOf(parsed: ParsedAggr): GroupConcatOptions {
  return (parsed.fn as AggrFnGroupConcat).options;
}

/** The final string of a parsed GROUP_CONCAT over the given row ranges, merged as a client would. */
function finalOf(parsed: ParsedAggr, schema: FieldType[], columns: Column[], ranges: number[][]) {
  const fn = parsed.fn as AggrFnGroupConcat;
  const ps = partials(parsed, schema, columns, ranges) as (Uint8Array | null)[];
  return str(mergeGroupConcat(ps, fn.layout, fn.options).value);
}

describe("GROUP_CONCAT", () => {
  // TiDB TestGroupConcat: five rows "0".."4", separator " ".
  it('concatenates "0".."4" with a space', () => {
    const col = ChunkedVecBytes.fromValues(["0", "1", "2", "3", "4"]);
    const parsed = parse(groupConcat({ args: [columnRef(0, UTF8)], sep: " " }), [UTF8]);
    expect(parsed.fn.name).toBe("AggrFnGroupConcat");
    expect(parsed.fieldTypes).toEqual([UTF8]);
    expect(partials(parsed, [UTF8], [col], all(5)).map(str)).toEqual(["0 1 2 3 4"]);
  });

  // TiDB TestMergePartialResult4GroupConcat: "0 1 2 3 4" merged with "2 3 4".
  it("merges string partials by joining them with the separator", () => {
    const col = ChunkedVecBytes.fromValues(["0", "1", "2", "3", "4"]);
    const parsed = parse(groupConcat({ args: [columnRef(0, UTF8)], sep: " " }), [UTF8]);
    const ps = partials(
      parsed,
      [UTF8],
      [col],
      [
        [0, 1, 2, 3, 4],
        [2, 3, 4],
      ],
    ) as Uint8Array[];
    expect(ps.map(str)).toEqual(["0 1 2 3 4", "2 3 4"]);
    expect(str(mergeGroupConcat(ps, "string", optionsOf(parsed)).value)).toBe("0 1 2 3 4 2 3 4");
  });

  it("skips rows with a NULL argument; no rows or only NULLs is NULL", () => {
    const a = ChunkedVecBytes.fromValues(["a", null, "b", "c", null]);
    const b = ChunkedVecBytes.fromValues(["1", "2", null, "3", null]);
    const one = parse(groupConcat({ args: [columnRef(0, UTF8)] }), [UTF8, UTF8]);
    expect(partials(one, [UTF8, UTF8], [a, b], all(5)).map(str)).toEqual(["a,b,c"]);
    const two = parse(groupConcat({ args: [columnRef(0, UTF8), columnRef(1, UTF8)] }), [UTF8, UTF8]);
    expect(partials(two, [UTF8, UTF8], [a, b], all(5)).map(str)).toEqual(["a1,c3"]);
    expect(partials(two, [UTF8, UTF8], [a, b], [[1, 2, 4], []])).toEqual([null, null]);
    expect(mergeGroupConcat([null, null], "string", optionsOf(two))).toEqual({
      value: null,
      truncated: false,
    });
  });

  it("reads numbers, decimals and ENUMs as strings (TiDB casts non-strings to strings)", () => {
    const ints = ChunkedVecInt.fromValues([1, -2, null, 30]);
    const decs = ChunkedVecDecimal.fromValues([
      ...["1.50", "-0.25", "7"].map((s) => Decimal.fromString(s)),
      null,
    ]);
    const enumFt = ft(FieldTypeTp.Enum, { elems: ["x", "yy"], collate: Collation.Utf8Mb4Bin });
    const enums = ChunkedVecEnum.fromValues([1, 2, 0, 2], ["x", "yy"]);
    const DEC = ft(FieldTypeTp.NewDecimal, { flen: 10, decimal: 2 });
    const schema = [LONGLONG, DEC, enumFt];
    const cols = [ints, decs, enums];
    expect(
      finalOf(parse(groupConcat({ args: [columnRef(0, LONGLONG)] }), schema), schema, cols, all(4)),
    ).toBe("1,-2,30");
    expect(finalOf(parse(groupConcat({ args: [columnRef(1, DEC)] }), schema), schema, cols, all(4))).toBe(
      "1.50,-0.25,7",
    );
    const mixed = parse(
      groupConcat({ args: [columnRef(2, enumFt), columnRef(0, LONGLONG)], sep: "|" }),
      schema,
    );
    expect(finalOf(mixed, schema, cols, all(4))).toBe("x1|yy-2|yy30");
  });

  // TiDB TestGroupConcat (test2): two string arguments, ORDER BY DESC, and group_concat_max_len
  // 4..7 (its minimum is 4).
  it("orders by DESC and cuts to group_concat_max_len", () => {
    const col = ChunkedVecBytes.fromValues(["0", "1", "2", "3", "4"]);
    const schema = [UTF8];
    const args = [columnRef(0, UTF8), columnRef(0, UTF8)];
    const orderBy = [{ expr: columnRef(0, UTF8), desc: true }];
    const parsed = parse(groupConcat({ args, sep: " ", orderBy }), schema);
    expect(parsed.fn.name).toBe("AggrFnGroupConcatOrder");
    expect(parsed.fieldTypes).toEqual([GROUP_CONCAT_ROWS_FIELD_TYPE]);
    expect(finalOf(parsed, schema, [col], all(5))).toBe("44 33 22 11 00");
    for (let i = 4; i <= 7; i++) {
      const cut = parse(groupConcat({ args, sep: " ", orderBy, maxLen: i }), schema);
      expect(finalOf(cut, schema, [col], all(5))).toBe("44 33 22 11 00".slice(0, i));
      // split over partials in any order: the merge orders them again
      expect(
        finalOf(
          cut,
          schema,
          [col],
          [
            [3, 0],
            [1, 4, 2],
          ],
        ),
      ).toBe("44 33 22 11 00".slice(0, i));
    }
  });

  it("cuts the string layout to group_concat_max_len bytes, warning 1260 once per aggregate", () => {
    const col = ChunkedVecBytes.fromValues(["abc", "def", "gh"]);
    const parsed = parse(groupConcat({ args: [columnRef(0, UTF8)], maxLen: 5 }), [UTF8]);
    const context = new EvalContext({ flags: EvalFlag.TruncateAsWarning });
    const ps = partials(parsed, [UTF8], [col], [[0, 1, 2], [1, 2], [0]], context);
    expect(ps.map(str)).toEqual(["abc,d", "def,g", "abc"]);
    const warnings = context.takeWarnings();
    expect(warnings.list).toEqual([
      expect.objectContaining({ code: 1260, message: "Row 1 was cut by GROUP_CONCAT()" }),
    ]);
    expect(mergeGroupConcat(ps as Uint8Array[], "string", optionsOf(parsed))).toEqual({
      value: new TextEncoder().encode("abc,d"),
      truncated: true,
    });
    // a string exactly at the limit is not cut
    const exact = partials(parsed, [UTF8], [col], [[2, 2]], context);
    expect(exact.map(str)).toEqual(["gh,gh"]);
    expect(context.takeWarnings().list).toEqual([]);
  });

  it("without a cut flag in the context the cut is an error (strict)", () => {
    const col = ChunkedVecBytes.fromValues(["abcdef"]);
    const parsed = parse(groupConcat({ args: [columnRef(0, UTF8)], maxLen: 4 }), [UTF8]);
    const e = catchError(() => partials(parsed, [UTF8], [col], all(1), new EvalContext()));
    expect(e).toMatchObject({ name: "EvalError", code: 1260 });
  });

  it("group_concat_max_len defaults to 1024; 0 means no limit", () => {
    const long = "x".repeat(700);
    const col = ChunkedVecBytes.fromValues([long, long]);
    const dflt = parse(groupConcat({ args: [columnRef(0, UTF8)] }), [UTF8]);
    expect(optionsOf(dflt).maxLen).toBe(1024);
    expect(finalOf(dflt, [UTF8], [col], all(2))).toBe(`${long},${long}`.slice(0, 1024));
    const none = parse(groupConcat({ args: [columnRef(0, UTF8)], maxLen: 0 }), [UTF8]);
    expect(finalOf(none, [UTF8], [col], all(2))).toBe(`${long},${long}`);
  });

  it("DISTINCT compares by the argument's collation and keeps the first row", () => {
    const col = ChunkedVecBytes.fromValues(["a", "A", "b", "a ", "B", "c"]);
    const parsed = parse(groupConcat({ args: [columnRef(0, CI)], distinct: true }), [CI]);
    expect(parsed.fn.name).toBe("AggrFnGroupConcatDistinct");
    expect(finalOf(parsed, [CI], [col], all(6))).toBe("a,b,c");
    // across partials: the later partial's duplicates go
    expect(
      finalOf(
        parsed,
        [CI],
        [col],
        [
          [1, 2],
          [0, 4, 5],
        ],
      ),
    ).toBe("A,b,c");
    const bin = parse(groupConcat({ args: [columnRef(0, UTF8)], distinct: true }), [UTF8]);
    expect(finalOf(bin, [UTF8], [col], all(6))).toBe("a,A,b,B,c");
  });

  it("DISTINCT with ORDER BY; ORDER BY an integer column with NULLs first", () => {
    const s = ChunkedVecBytes.fromValues(["x", "y", "x", "z", "w"]);
    const k = ChunkedVecInt.fromValues([3, null, 1, -5, 2]);
    const schema = [UTF8, LONGLONG];
    const asc = parse(
      groupConcat({ args: [columnRef(0, UTF8)], orderBy: [{ expr: columnRef(1, LONGLONG) }] }),
      schema,
    );
    expect(finalOf(asc, schema, [s, k], all(5))).toBe("y,z,x,w,x");
    const desc = parse(
      groupConcat({ args: [columnRef(0, UTF8)], orderBy: [{ expr: columnRef(1, LONGLONG), desc: true }] }),
      schema,
    );
    expect(finalOf(desc, schema, [s, k], all(5))).toBe("x,w,x,z,y");
    const both = parse(
      groupConcat({
        args: [columnRef(0, UTF8)],
        distinct: true,
        orderBy: [{ expr: columnRef(1, LONGLONG) }],
      }),
      schema,
    );
    expect(both.fn.name).toBe("AggrFnGroupConcatDistinctOrder");
    // the first "x" (key 3) is kept, the second (key 1) dropped
    expect(finalOf(both, schema, [s, k], all(5))).toBe("y,z,w,x");
  });

  it("rows partials decode, and merge into one rows partial", () => {
    const s = ChunkedVecBytes.fromValues(["b", "a", "c"]);
    const parsed = parse(
      groupConcat({ args: [columnRef(0, UTF8)], orderBy: [{ expr: columnRef(0, UTF8) }] }),
      [UTF8],
    );
    const ps = partials(parsed, [UTF8], [s], [[0, 2], [1], []]) as (Uint8Array | null)[];
    expect(ps[2]).toBeNull();
    const rows = decodeGroupConcatRows(ps[0]!);
    expect(rows.map((e) => text.decode(e.value))).toEqual(["b", "c"]);
    expect(rows.every((e) => e.distinctKey.length === 0 && e.sortKey.length > 0)).toBe(true);
    const merged = mergeGroupConcatRows(ps, optionsOf(parsed));
    expect(decodeGroupConcatRows(merged!).map((e) => text.decode(e.value))).toEqual(["a", "b", "c"]);
    expect(mergeGroupConcatRows([null], optionsOf(parsed))).toBeNull();
  });

  it("ORDER BY keeps only the rows that can reach the cut string", () => {
    const n = 20_000;
    const v = ChunkedVecInt.fromValues(Array.from({ length: n }, (_, i) => (i * 7919) % n));
    const parsed = parse(
      groupConcat({
        args: [columnRef(0, LONGLONG)],
        maxLen: 20,
        orderBy: [{ expr: columnRef(0, LONGLONG) }],
      }),
      [LONGLONG],
    );
    const [p] = partials(parsed, [LONGLONG], [v], all(n)) as Uint8Array[];
    // the cut string "0,1,2,3,4,5,6,7,8,9," ends with the separator before row 10: rows 0..10 stay
    expect(decodeGroupConcatRows(p!).map((e) => text.decode(e.value))).toEqual(
      Array.from({ length: 11 }, (_, i) => String(i)),
    );
    expect(str(mergeGroupConcat([p!], "rows", optionsOf(parsed)).value)).toBe("0,1,2,3,4,5,6,7,8,9,");
  });

  it("a constant argument counts once per row", () => {
    const col = ChunkedVecInt.fromValues([1, 2, 3]);
    const parsed = parse(groupConcat({ args: [constBytes("k", UTF8)], sep: "" }), [LONGLONG]);
    expect(finalOf(parsed, [LONGLONG], [col], all(3))).toBe("kkk");
    const distinct = parse(groupConcat({ args: [constBytes("k", UTF8)], distinct: true }), [LONGLONG]);
    expect(finalOf(distinct, [LONGLONG], [col], all(3))).toBe("k");
  });

  it("rejects bad shapes with clear errors", () => {
    const one: tipb.Expr.$Properties = {
      tp: E.GroupConcat,
      fieldType: fieldTypeToPb(UTF8),
      children: [columnRef(0, UTF8)],
    };
    expect(() => parse(one, [UTF8])).toThrow(/GroupConcat: Expect at least 2 parameters/);
    const colSep = { ...one, children: [columnRef(0, UTF8), columnRef(0, UTF8)] };
    expect(() => parse(colSep, [UTF8])).toThrow(
      /separator \(the last argument\) must be a non-NULL string constant/,
    );
    const nullSep = { ...one, children: [columnRef(0, UTF8), constNull(UTF8)] };
    expect(() => parse(nullSep, [UTF8])).toThrow(/non-NULL string constant/);
    const intOut = groupConcat({ args: [columnRef(0, UTF8)], out: LONGLONG });
    expect(catchError(() => parse(intOut, [UTF8]))).toMatchObject({ name: "ExprError" });
    const badVal = { ...groupConcat({ args: [columnRef(0, UTF8)] }), val: new Uint8Array(3) };
    expect(() => parse(badVal, [UTF8])).toThrow(/group_concat_max_len must be 8 bytes/);
    const JSONFT = ft(FieldTypeTp.Json);
    const jsonOrder = groupConcat({ args: [columnRef(0, UTF8)], orderBy: [{ expr: columnRef(1, JSONFT) }] });
    expect(catchError(() => parse(jsonOrder, [UTF8, JSONFT]))).toMatchObject({ name: "UnsupportedError" });
    const rpnOrder = { ...groupConcat({ args: [columnRef(0, UTF8)] }), orderBy: [{ desc: true }] };
    expect(catchError(() => parse(rpnOrder, [UTF8]))).toMatchObject({ name: "UnsupportedError" });
  });
});

/** What MySQL computes over all rows at once: the reference for the merge properties. */
function reference(
  rows: { v: string | null; k: number | null }[],
  o: { distinct: boolean; order: "none" | "asc" | "desc"; sep: string; maxLen: number },
): { value: string | null; truncated: boolean } {
  let live = rows.filter((r) => r.v !== null) as { v: string; k: number | null }[];
  if (o.distinct) {
    const seen = new Set<string>();
    live = live.filter((r) => {
      const key = r.v.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  if (o.order !== "none") {
    const cmp = (a: number | null, b: number | null) =>
      a === b ? 0 : a === null ? -1 : b === null ? 1 : a - b;
    live = live
      .map((r, i) => ({ r, i }))
      .sort((x, y) => (o.order === "asc" ? cmp(x.r.k, y.r.k) : cmp(y.r.k, x.r.k)) || x.i - y.i)
      .map((x) => x.r);
  }
  if (live.length === 0) return { value: null, truncated: false };
  const s = live.map((r) => r.v).join(o.sep);
  const bytes = new TextEncoder().encode(s);
  if (o.maxLen > 0 && bytes.length > o.maxLen)
    return { value: text.decode(bytes.slice(0, o.maxLen)), truncated: true };
  return { value: s, truncated: false };
}

describe("GROUP_CONCAT properties", () => {
  const rowArb = fc.record({
    v: fc.option(fc.stringMatching(/^[aAbBcC]{0,3}$/), { nil: null, freq: 5 }),
    k: fc.option(fc.integer({ min: -3, max: 3 }), { nil: null, freq: 5 }),
  });

  it("any split into partials merges to the all-rows result (every layout)", () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { maxLength: 40 }),
        fc.boolean(),
        fc.constantFrom("none", "asc", "desc"),
        fc.constantFrom(",", "", "--"),
        fc.constantFrom(0, 4, 9, 30),
        fc.array(fc.nat(40), { maxLength: 4 }),
        (rows, distinct, order, sep, maxLen, cuts) => {
          const schema = [CI, LONGLONG];
          const cols = [
            ChunkedVecBytes.fromValues(rows.map((r) => r.v)),
            ChunkedVecInt.fromValues(rows.map((r) => r.k)),
          ];
          const def = groupConcat({
            args: [columnRef(0, CI)],
            sep,
            maxLen,
            distinct,
            out: CI,
            ...(order === "none"
              ? {}
              : { orderBy: [{ expr: columnRef(1, LONGLONG), desc: order === "desc" }] }),
          });
          const parsed = parse(def, schema);
          const bounds = [...new Set([0, ...cuts.map((c) => Math.min(c, rows.length)), rows.length])].sort(
            (a, b) => a - b,
          );
          const ranges = bounds
            .slice(1)
            .map((end, i) => [...Array(end - bounds[i]!).keys()].map((j) => j + bounds[i]!));
          const fn = parsed.fn as AggrFnGroupConcat;
          const context = new EvalContext({ flags: EvalFlag.TruncateAsWarning });
          const ps = partials(
            parsed,
            schema,
            cols,
            ranges.length === 0 ? [[]] : ranges,
            context,
          ) as (Uint8Array | null)[];
          const got = mergeGroupConcat(ps, fn.layout, fn.options);
          const want = reference(rows, { distinct, order, sep, maxLen });
          expect(str(got.value)).toBe(want.value);
          // A cut is reported by the partial that saw it (warning 1260) or by the merge.
          const warned = context.takeWarnings().list.some((w) => w.code === 1260);
          expect(got.truncated || warned).toBe(want.truncated);
        },
      ),
      { numRuns: 400 },
    );
  });
});
