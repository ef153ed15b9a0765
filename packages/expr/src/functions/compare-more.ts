// Comparisons of every type but Int, and COALESCE / GREATEST / LEAST / INTERVAL (TiKV
// components/tidb_query_expr/src/impl_compare.rs, sigs as in lib.rs `map_expr_node_to_rpn_func`).
// The Int comparisons are in compare.ts.
//
// `a <op> b` is NULL when an argument is NULL; `a <=> b` is 1 for two NULLs and 0 for one. Values
// order as TiKV's `Ord` does: REAL by value (TiKV's REAL is never NaN, so the order is total and
// -0 = 0), DECIMAL by value (1.0 = 1.00), DATETIME and TIME by value whatever their precision,
// JSON by TiKV's JSON order, vectors element by element, strings by the collation of the call's
// own field type (TiKV `map_string_compare_sig` reads it from the expression, not from the
// arguments: TiDB writes the comparison's derived collation into the pushed-down return type).

import { decodeJsonBinary } from "@copr/codec";
import {
  ChunkedVecDateTime,
  ChunkedVecDecimal,
  ChunkedVecInt,
  ChunkedVecReal,
  type Collator,
  collationOf,
  collatorFor,
  compareJson,
  compareTimeWords,
  type Decimal,
  type Duration,
  ERR_UNKNOWN,
  type EvalContext,
  EvalError,
  EvalType,
  isCoprError,
  Time,
} from "@copr/datatype";
import { tipb } from "@copr/proto";
import { fieldTypeFromPb } from "../field-type.js";
import {
  registerFilterFn,
  registerRpnFn,
  registerVectorFn,
  rpnFn,
  type VectorArg,
  type VectorCall,
} from "../registry.js";
import { asI64 } from "./int-ops.js";

const S = tipb.ScalarFuncSig;
const { Int, Real, Decimal: Dec, Bytes, DateTime, Duration: Dur, Json, VectorFloat32 } = EvalType;

// ---- orderings (-1, 0, 1) -------------------------------------------------------------------

/** REAL order. TiKV's REAL excludes NaN; -0 and 0 are equal. */
function cmpReal(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Byte-wise order of two byte strings (TiKV's `Ord` on `[u8]`). */
function cmpBinary(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** TiKV's JSON order over binary JSON. Identical bytes are the same value. */
function cmpJsonBinary(a: Uint8Array, b: Uint8Array): number {
  if (cmpBinary(a, b) === 0) return 0;
  return Math.sign(compareJson(decodeJsonBinary(a), decodeJsonBinary(b)));
}

/** TiKV `VectorFloat32Ref` order: element by element, then the shorter vector first. */
function cmpVectorFloat32(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i]! > b[i]!) return 1;
    if (a[i]! < b[i]!) return -1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

const cmpDecimal = (a: Decimal, b: Decimal): number => a.compare(b);
const cmpTime = (a: Time, b: Time): number => a.compare(b);
const cmpDuration = (a: Duration, b: Duration): number => a.compare(b);

// ---- the seven comparison operators ---------------------------------------------------------

/** A comparison operator (the suffix of its sigs). */
export type CmpOp = "lt" | "le" | "gt" | "ge" | "eq" | "ne" | "nullEq";

/** What each operator makes of an ordering (TiKV `CmpOp::compare_order`). */
const HOLDS: Record<CmpOp, (ord: number) => boolean> = {
  lt: (o) => o < 0,
  le: (o) => o <= 0,
  gt: (o) => o > 0,
  ge: (o) => o >= 0,
  eq: (o) => o === 0,
  ne: (o) => o !== 0,
  nullEq: (o) => o === 0,
};

const CMP_OPS = Object.keys(HOLDS) as CmpOp[];

/** Per operator, its result (1 or 0) for the orders -1, 0 and 1, at index order + 1. */
const OUTCOMES = Object.fromEntries(
  CMP_OPS.map((op) => [op, Float64Array.from([-1, 0, 1], (o) => (HOLDS[op](o) ? 1 : 0))]),
) as Record<CmpOp, Float64Array>;

/** The sigs of one argument type, by operator. */
interface CmpFamily<T> {
  readonly suffix: string;
  readonly evalType: EvalType;
  readonly sigs: Record<CmpOp, number>;
  readonly cmp: (a: T, b: T) => number;
}

function sigsOf(suffix: string): Record<CmpOp, number> {
  const sig = (name: string): number => {
    const v = (S as unknown as Record<string, number | undefined>)[name];
    if (v === undefined) throw new Error(`tipb.ScalarFuncSig.${name} is missing`);
    return v;
  };
  return {
    lt: sig(`LT${suffix}`),
    le: sig(`LE${suffix}`),
    gt: sig(`GT${suffix}`),
    ge: sig(`GE${suffix}`),
    eq: sig(`EQ${suffix}`),
    ne: sig(`NE${suffix}`),
    nullEq: sig(`NullEQ${suffix}`),
  };
}

const b2i = (b: boolean): bigint => (b ? 1n : 0n);

/**
 * Registers the seven comparisons of one type (TiKV `compare_fn_meta::<BasicComparer<T, Op>>`,
 * `compare_json_fn_meta`, `compare_vector_float32_fn_meta`). Six of them are NULL on a NULL
 * argument, so they are declared `nonnull`; `<=>` sees the NULLs.
 */
function registerFamily<T>(f: CmpFamily<T>): void {
  const { cmp, evalType } = f;
  for (const op of CMP_OPS) {
    const name = `CompareMore.${op}${f.suffix}`;
    const holds = HOLDS[op];
    if (op === "nullEq") {
      const fn = (a: T | null, b: T | null): bigint =>
        a === null || b === null ? b2i(a === b) : b2i(cmp(a, b) === 0);
      registerRpnFn(name, fn as (...args: never[]) => unknown, {
        sig: f.sigs[op],
        args: [evalType, evalType],
        ret: Int,
      });
    } else {
      const fn = (a: T, b: T): bigint => b2i(holds(cmp(a, b)));
      registerRpnFn(name, fn as (...args: never[]) => unknown, {
        sig: f.sigs[op],
        args: [evalType, evalType],
        ret: Int,
        nonnull: true,
      });
    }
  }
}

registerFamily<number>({ suffix: "Real", evalType: Real, sigs: sigsOf("Real"), cmp: cmpReal });
registerFamily<Decimal>({ suffix: "Decimal", evalType: Dec, sigs: sigsOf("Decimal"), cmp: cmpDecimal });
registerFamily<Time>({ suffix: "Time", evalType: DateTime, sigs: sigsOf("Time"), cmp: cmpTime });
registerFamily<Duration>({ suffix: "Duration", evalType: Dur, sigs: sigsOf("Duration"), cmp: cmpDuration });
registerFamily<Uint8Array>({ suffix: "Json", evalType: Json, sigs: sigsOf("Json"), cmp: cmpJsonBinary });
registerFamily<Float32Array>({
  suffix: "VectorFloat32",
  evalType: VectorFloat32,
  sigs: sigsOf("VectorFloat32"),
  cmp: cmpVectorFloat32,
});

// ---- strings: the collation comes from the call's field type ---------------------------------

/** The collator of the call's own field type (TiKV `map_string_compare_sig(ft)`). */
function collatorOfCall(expr: tipb.Expr.$Properties): Collator {
  return collatorFor(collationOf(fieldTypeFromPb(expr.fieldType ?? {})));
}

{
  const sigs = sigsOf("String");
  for (const op of CMP_OPS) {
    const name = `CompareMore.${op}String`;
    const holds = HOLDS[op];
    if (op === "nullEq") {
      const fn = (c: Collator, a: Uint8Array | null, b: Uint8Array | null): bigint =>
        a === null || b === null ? b2i(a === b) : b2i(c.compare(a, b) === 0);
      registerRpnFn(name, fn as (...args: never[]) => unknown, {
        sig: sigs[op],
        args: [Bytes, Bytes],
        ret: Int,
        metadata: collatorOfCall,
      });
    } else {
      const fn = (c: Collator, a: Uint8Array, b: Uint8Array): bigint => b2i(holds(c.compare(a, b)));
      registerRpnFn(name, fn as (...args: never[]) => unknown, {
        sig: sigs[op],
        args: [Bytes, Bytes],
        ret: Int,
        nonnull: true,
        metadata: collatorOfCall,
      });
    }
  }
}

// ---- vectorized REAL comparisons ---------------------------------------------------------------

/**
 * A numeric argument of a vectorized comparison, as exact doubles: a column (with its rows) or a
 * constant (REAL values, DECIMALs at a common scale, INTs held as doubles).
 */
export interface RealView {
  readonly values: Float64Array | null;
  readonly constant: number;
  readonly constNull: boolean;
  /** The column when it has NULLs (for `isNull`), else null. */
  readonly col: { isNull(i: number): boolean } | null;
  readonly rows: VectorArg["rows"];
}

function realView(a: VectorArg): RealView | null {
  if (a.column === undefined) {
    const v = a.scalar as number | null;
    return { values: null, constant: v ?? 0, constNull: v === null, col: null, rows: null };
  }
  const c = a.column;
  if (!(c instanceof ChunkedVecReal)) return null;
  return { values: c.values, constant: 0, constNull: false, col: c.nullCount > 0 ? c : null, rows: a.rows };
}

/**
 * The whole-column form of a REAL comparison: one loop over the doubles. For `<=>` NULL rows give
 * 1 (both NULL) or 0 (one NULL); for the others NULL.
 */
function realCompareVector(call: VectorCall, op: CmpOp): ChunkedVecInt | null {
  const l = realView(call.args[0]!);
  const r = realView(call.args[1]!);
  if (l === null || r === null) return null;
  return compareViews(l, r, call.rows, op);
}

/**
 * DECIMAL comparisons over whole columns: every value × 10^frac as an exact double (the column's
 * cached `scaledNumbers`, the constant's `toScaledNumber`), then the REAL loop — exact because
 * both sides are integers below 2^53. `frac` is the larger of the arguments' declared fractions
 * and a constant's own; a value with digits beyond it, or too large, falls back to the scalar
 * comparison.
 */
function decimalCompareVector(call: VectorCall, op: CmpOp): ChunkedVecInt | null {
  const v = decimalViews(call.args[0]!, call.args[1]!);
  return v === null ? null : compareViews(v.l, v.r, call.rows, op);
}

/** Both DECIMAL arguments at their common fraction (see {@link decimalCompareVector}), or null. */
function decimalViews(a: VectorArg, b: VectorArg): { l: RealView; r: RealView } | null {
  let frac = 0;
  for (const x of [a, b]) {
    if (x.column === undefined) {
      if (x.scalar !== null) frac = Math.max(frac, (x.scalar as Decimal).fracCnt);
    } else {
      const d = x.fieldType.decimal ?? -1;
      if (d < 0 || d > 30) return null;
      frac = Math.max(frac, d);
    }
  }
  const l = decimalView(a, frac);
  const r = decimalView(b, frac);
  return l === null || r === null ? null : { l, r };
}

function decimalView(a: VectorArg, frac: number): RealView | null {
  if (a.column === undefined) {
    if (a.scalar === null) return { values: null, constant: 0, constNull: true, col: null, rows: null };
    const v = (a.scalar as Decimal).toScaledNumber(frac);
    if (v === null) return null;
    return { values: null, constant: v, constNull: false, col: null, rows: null };
  }
  const c = a.column;
  if (!(c instanceof ChunkedVecDecimal)) return null;
  const values = c.scaledNumbers(frac);
  if (values === null) return null;
  return { values, constant: 0, constNull: false, col: c.nullCount > 0 ? c : null, rows: a.rows };
}

/** A DATE/DATETIME/TIMESTAMP argument: layout words (a constant is one row read at row 0). */
interface TimeView {
  readonly words: Uint32Array;
  readonly fixed: boolean;
  readonly constNull: boolean;
  readonly col: ChunkedVecDateTime | null;
  readonly rows: VectorArg["rows"];
}

function timeView(x: VectorArg): TimeView | null {
  if (x.column === undefined) {
    const t = x.scalar as Time | null;
    const words = t === null ? new Uint32Array(2) : Uint32Array.of(t.lowWord(), t.highWord());
    return { words, fixed: true, constNull: t === null, col: null, rows: null };
  }
  if (!(x.column instanceof ChunkedVecDateTime)) return null;
  const c = x.column;
  return { words: c.words, fixed: false, constNull: false, col: c.nullCount > 0 ? c : null, rows: x.rows };
}

/**
 * Where a comparison loop puts its result: `out` gets 0/1 per logical row (and `validity` its
 * NULLs, `<=>` never NULL), or, when `kept` is given (a filter; never for `<=>`), the physical
 * row `live === null ? k : live[k]` of each logical row `k` that holds is appended to `kept`.
 */
export interface CmpSink {
  readonly out: Float64Array | null;
  readonly validity: Uint8Array | null;
  readonly kept: Uint32Array | null;
  readonly live: VectorArg["rows"];
}

/** The result of a comparison loop: the NULL count (a column) or the rows kept (a filter). */
function cmpColumn(sink: CmpSink, nulls: number): ChunkedVecInt {
  const values = sink.out as Float64Array;
  return new ChunkedVecInt({ repr: "f64", values }, false, nulls > 0 ? sink.validity : null, nulls);
}

function columnSink(n: number, op: CmpOp): CmpSink {
  return {
    out: new Float64Array(n),
    validity: op === "nullEq" ? null : new Uint8Array((n + 7) >>> 3),
    kept: null,
    live: null,
  };
}

/**
 * DATE/DATETIME/TIMESTAMP comparisons: the layout words compared as TiKV orders times
 * (`compareTimeWords`), a constant as its words, no Time object per row. Returns the NULL count
 * or the number of rows kept (see {@link CmpSink}).
 */
function timeCompareInto(l: TimeView, r: TimeView, n: number, op: CmpOp, sink: CmpSink): number {
  const { out, kept, live } = sink;
  const lw = l.words;
  const rw = r.words;
  if (op !== "nullEq" && (l.constNull || r.constNull)) return kept === null ? n : 0;
  if (op !== "nullEq" && l.col === null && r.col === null) {
    // No NULL on either side: one loop without per-row NULL checks or calls (the order as in
    // compareTimeWords, the result looked up by it), the common column-vs-constant case apart;
    // a filter writes every row and advances only past the kept ones (no data-dependent branch).
    const t = OUTCOMES[op];
    let m = 0;
    if (!l.fixed && r.fixed) {
      const bHi = rw[1]!;
      const bLo = rw[0]! >>> 4;
      const lr = l.rows;
      for (let k = 0; k < n; k++) {
        const a = 2 * (lr === null ? k : lr[k]!);
        const dh = lw[a + 1]! - bHi;
        const d = dh !== 0 ? dh : (lw[a]! >>> 4) - bLo;
        const v = t[1 + (+(d > 0) - +(d < 0))]!;
        if (kept === null) (out as Float64Array)[k] = v;
        else {
          kept[m] = live === null ? k : live[k]!;
          m += v;
        }
      }
    } else {
      for (let k = 0; k < n; k++) {
        const a = l.fixed ? 0 : 2 * (l.rows === null ? k : l.rows[k]!);
        const b = r.fixed ? 0 : 2 * (r.rows === null ? k : r.rows[k]!);
        const v = t[1 + compareTimeWords(lw[a]!, lw[a + 1]!, rw[b]!, rw[b + 1]!)]!;
        if (kept === null) (out as Float64Array)[k] = v;
        else {
          kept[m] = live === null ? k : live[k]!;
          m += v;
        }
      }
    }
    return kept === null ? 0 : m;
  }
  const holds = HOLDS[op];
  let nulls = 0;
  let m = 0;
  for (let k = 0; k < n; k++) {
    const lr = l.rows === null ? k : l.rows[k]!;
    const rr = r.rows === null ? k : r.rows[k]!;
    const ln = l.constNull || l.col?.isNull(lr) === true;
    const rn = r.constNull || r.col?.isNull(rr) === true;
    const a = l.fixed ? 0 : 2 * lr;
    const b = r.fixed ? 0 : 2 * rr;
    if (ln || rn) {
      if (op === "nullEq") (out as Float64Array)[k] = ln && rn ? 1 : 0;
      else nulls++;
    } else if (holds(compareTimeWords(lw[a]!, lw[a + 1]!, rw[b]!, rw[b + 1]!))) {
      if (kept !== null) kept[m++] = live === null ? k : live[k]!;
      else setHolds(sink, k);
    } else if (kept === null && sink.validity !== null) {
      sink.validity[k >>> 3]! |= 1 << (k & 7);
    }
  }
  return kept === null ? nulls : m;
}

/** Records a true result at logical row `k` of a column sink. */
function setHolds(sink: CmpSink, k: number): void {
  (sink.out as Float64Array)[k] = 1;
  if (sink.validity !== null) sink.validity[k >>> 3]! |= 1 << (k & 7);
}

function timeCompareVector(call: VectorCall, op: CmpOp): ChunkedVecInt | null {
  const l = timeView(call.args[0]!);
  const r = timeView(call.args[1]!);
  if (l === null || r === null) return null;
  const sink = columnSink(call.rows, op);
  return cmpColumn(sink, timeCompareInto(l, r, call.rows, op, sink));
}

/** The loop of the REAL and DECIMAL comparisons over two numeric views (see {@link CmpSink}). */
export function compareViewsInto(l: RealView, r: RealView, n: number, op: CmpOp, sink: CmpSink): number {
  const { out, kept, live } = sink;
  if (op !== "nullEq" && (l.constNull || r.constNull)) return kept === null ? n : 0;
  if (op !== "nullEq" && l.col === null && r.col === null) {
    // No NULL on either side (values are never NaN): as in timeCompareInto.
    const t = OUTCOMES[op];
    const lv = l.values;
    const rv = r.values;
    let m = 0;
    if (lv !== null && rv === null && l.rows === null) {
      const c = r.constant;
      for (let k = 0; k < n; k++) {
        const a = lv[k]!;
        const v = t[1 + (+(a > c) - +(a < c))]!;
        if (kept === null) (out as Float64Array)[k] = v;
        else {
          kept[m] = live === null ? k : live[k]!;
          m += v;
        }
      }
    } else {
      for (let k = 0; k < n; k++) {
        const a = lv === null ? l.constant : lv[l.rows === null ? k : l.rows[k]!]!;
        const b = rv === null ? r.constant : rv[r.rows === null ? k : r.rows[k]!]!;
        const v = t[1 + (+(a > b) - +(a < b))]!;
        if (kept === null) (out as Float64Array)[k] = v;
        else {
          kept[m] = live === null ? k : live[k]!;
          m += v;
        }
      }
    }
    return kept === null ? 0 : m;
  }
  const holds = HOLDS[op];
  let nulls = 0;
  let m = 0;
  for (let k = 0; k < n; k++) {
    const lr = l.rows === null ? k : l.rows[k]!;
    const rr = r.rows === null ? k : r.rows[k]!;
    const ln = l.constNull || l.col?.isNull(lr) === true;
    const rn = r.constNull || r.col?.isNull(rr) === true;
    if (ln || rn) {
      if (op === "nullEq") (out as Float64Array)[k] = ln && rn ? 1 : 0;
      else nulls++;
      continue;
    }
    const a = l.values === null ? l.constant : l.values[lr]!;
    const b = r.values === null ? r.constant : r.values[rr]!;
    if (holds(cmpReal(a, b))) {
      if (kept !== null) kept[m++] = live === null ? k : live[k]!;
      else setHolds(sink, k);
    } else if (kept === null && sink.validity !== null) {
      sink.validity[k >>> 3]! |= 1 << (k & 7);
    }
  }
  return kept === null ? nulls : m;
}

/** The 0/1 column (NULL where an argument is NULL; `<=>` never NULL) of a numeric comparison. */
export function compareViews(l: RealView, r: RealView, n: number, op: CmpOp): ChunkedVecInt {
  const sink = columnSink(n, op);
  return cmpColumn(sink, compareViewsInto(l, r, n, op, sink));
}

/**
 * The filter form of a comparison (see `FilterFn`): both arguments as views, then the comparison
 * loop appending the kept rows; -1 for `<=>` or arguments it cannot read.
 */
export function compareFilter<V>(
  views: (a: VectorArg, b: VectorArg) => { l: V; r: V } | null,
  loop: (l: V, r: V, n: number, op: CmpOp, sink: CmpSink) => number,
  call: VectorCall,
  op: CmpOp,
  kept: Uint32Array,
  live: VectorArg["rows"],
): number {
  if (op === "nullEq") return -1;
  const v = views(call.args[0]!, call.args[1]!);
  if (v === null) return -1;
  return loop(v.l, v.r, call.rows, op, { out: null, validity: null, kept, live });
}

/** Both arguments as views, or null (what the vector and filter forms share). */
export function pairOf<V>(
  f: (a: VectorArg) => V | null,
): (a: VectorArg, b: VectorArg) => { l: V; r: V } | null {
  return (a, b) => {
    const l = f(a);
    const r = f(b);
    return l === null || r === null ? null : { l, r };
  };
}

{
  const real = sigsOf("Real");
  const decimal = sigsOf("Decimal");
  const time = sigsOf("Time");
  const realViews = pairOf(realView);
  const timeViews = pairOf(timeView);
  for (const op of CMP_OPS) {
    registerVectorFn(real[op], (call) => realCompareVector(call, op));
    registerVectorFn(decimal[op], (call) => decimalCompareVector(call, op));
    registerVectorFn(time[op], (call) => timeCompareVector(call, op));
    registerFilterFn(real[op], (call, kept, live) =>
      compareFilter(realViews, compareViewsInto, call, op, kept, live),
    );
    registerFilterFn(decimal[op], (call, kept, live) =>
      compareFilter(decimalViews, compareViewsInto, call, op, kept, live),
    );
    registerFilterFn(time[op], (call, kept, live) =>
      compareFilter(timeViews, timeCompareInto, call, op, kept, live),
    );
  }
}

// ---- GREATEST / LEAST ------------------------------------------------------------------------

/**
 * TiKV `do_get_extremum` with `max`: NULL if any argument is NULL; among equal values the later
 * one wins (Rust's `max` returns its second argument on a tie).
 */
function greatestOf<T>(args: readonly (T | null)[], cmp: (a: T, b: T) => number): T | null {
  let res = args[0]!;
  if (res === null) return null;
  for (let i = 1; i < args.length; i++) {
    const v = args[i]!;
    if (v === null) return null;
    if (cmp(v, res) >= 0) res = v;
  }
  return res;
}

/** TiKV `do_get_extremum` with `min`: as {@link greatestOf}, but the earlier of equal values wins. */
function leastOf<T>(args: readonly (T | null)[], cmp: (a: T, b: T) => number): T | null {
  let res = args[0]!;
  if (res === null) return null;
  for (let i = 1; i < args.length; i++) {
    const v = args[i]!;
    if (v === null) return null;
    if (cmp(v, res) < 0) res = v;
  }
  return res;
}

/** TiKV compares Int arguments of GREATEST/LEAST/INTERVAL as i64, whatever their UNSIGNED flag. */
const cmpI64 = (a: bigint, b: bigint): number => {
  const x = asI64(a);
  const y = asI64(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** TiKV `Time::parse_fsp`: the bytes after the last '.', at most 6; 0 without a '.'. */
function parseFsp(s: Uint8Array): number {
  const dot = s.lastIndexOf(0x2e);
  return dot < 0 ? 0 : Math.min(s.length - dot - 1, 6);
}

/**
 * Reads each argument as a DATETIME (or DATE) and keeps the greatest or least, as TiKV's
 * `greatest_cmp_string_as_time` and friends: the first NULL makes the result NULL; the first
 * argument that is not UTF-8 or not a valid time is an invalid-time error through the context
 * (an error in strict INSERT/UPDATE/DELETE, a warning and NULL otherwise). `least` starts from
 * the largest valid value (9999-12-31 23:59:59 or 9999-12-31), so a larger argument never wins.
 */
function extremumAsTime(
  ctx: EvalContext,
  args: readonly (Uint8Array | null)[],
  greatest: boolean,
  asDate: boolean,
): Uint8Array | null {
  let best: Time | null = greatest ? null : asDate ? maxDate(ctx) : maxDatetime(ctx);
  for (const arg of args) {
    if (arg === null) return null;
    let s: string;
    try {
      s = utf8.decode(arg);
    } catch {
      ctx.handleInvalidTimeError(new EvalError("encoding failed", ERR_UNKNOWN));
      return null;
    }
    let t: Time;
    try {
      t = asDate ? Time.parseDate(ctx, s) : Time.parseDatetime(ctx, s, parseFsp(arg), true);
    } catch (e) {
      if (!isCoprError(e)) throw e;
      ctx.handleInvalidTimeError(EvalError.invalidTimeFormat(s));
      return null;
    }
    if (best === null) best = t;
    else if (greatest ? t.compare(best) >= 0 : t.compare(best) < 0) best = t;
  }
  return best === null ? null : encoder.encode(best.toString());
}

let maxDatetimeValue: Time | undefined;
let maxDateValue: Time | undefined;

function maxDatetime(ctx: EvalContext): Time {
  maxDatetimeValue ??= Time.parseDatetime(ctx, "9999-12-31 23:59:59", 0, true);
  return maxDatetimeValue;
}

function maxDate(ctx: EvalContext): Time {
  maxDateValue ??= Time.parseDate(ctx, "9999-12-31");
  return maxDateValue;
}

/**
 * TiKV's `interval_int` / `interval_real`: -1 when the first argument is NULL, otherwise the
 * position Rust's `binary_search` finds for it among the others (NULL sorts first). For sorted
 * bounds that is the number of bounds <= N; for unsorted bounds or duplicates the result is what
 * the same search steps give, which this function reproduces exactly.
 */
function intervalOf<T>(args: readonly (T | null)[], cmp: (a: T, b: T) => number): bigint {
  const target = args[0]!;
  if (target === null) return -1n;
  // Ordering of bound `i` (index into args[1..]) against the target; NULL is less than a value.
  const ord = (i: number): number => {
    const v = args[i + 1]!;
    return v === null ? -1 : cmp(v, target);
  };
  let size = args.length - 1;
  if (size === 0) return 0n;
  let base = 0;
  // Rust's `binary_search_by` (1.82 and later): a fixed number of halving steps, then one probe.
  while (size > 1) {
    const half = size >>> 1;
    const mid = base + half;
    if (ord(mid) <= 0) base = mid;
    size -= half;
  }
  const c = ord(base);
  if (c === 0) return BigInt(base + 1);
  return BigInt(base + (c < 0 ? 1 : 0));
}

/** GREATEST, LEAST and INTERVAL (COALESCE is registered below, once per type). */
export class CompareMore {
  @rpnFn({ sig: S.GreatestInt, args: { varargs: Int, min: 2 }, ret: Int })
  static greatestInt(args: readonly (bigint | null)[]): bigint | null {
    return greatestOf(args, cmpI64);
  }

  @rpnFn({ sig: S.LeastInt, args: { varargs: Int, min: 2 }, ret: Int })
  static leastInt(args: readonly (bigint | null)[]): bigint | null {
    return leastOf(args, cmpI64);
  }

  @rpnFn({ sig: S.GreatestReal, args: { varargs: Real, min: 2 }, ret: Real })
  static greatestReal(args: readonly (number | null)[]): number | null {
    return greatestOf(args, cmpReal);
  }

  @rpnFn({ sig: S.LeastReal, args: { varargs: Real, min: 2 }, ret: Real })
  static leastReal(args: readonly (number | null)[]): number | null {
    return leastOf(args, cmpReal);
  }

  @rpnFn({ sig: S.GreatestDecimal, args: { varargs: Dec, min: 2 }, ret: Dec })
  static greatestDecimal(args: readonly (Decimal | null)[]): Decimal | null {
    return greatestOf(args, cmpDecimal);
  }

  @rpnFn({ sig: S.LeastDecimal, args: { varargs: Dec, min: 2 }, ret: Dec })
  static leastDecimal(args: readonly (Decimal | null)[]): Decimal | null {
    return leastOf(args, cmpDecimal);
  }

  /** Byte-wise, whatever the collation (TiKV compares `BytesRef`s). */
  @rpnFn({ sig: S.GreatestString, args: { varargs: Bytes, min: 2 }, ret: Bytes })
  static greatestString(args: readonly (Uint8Array | null)[]): Uint8Array | null {
    return greatestOf(args, cmpBinary);
  }

  /** Byte-wise, whatever the collation (TiKV compares `BytesRef`s). */
  @rpnFn({ sig: S.LeastString, args: { varargs: Bytes, min: 2 }, ret: Bytes })
  static leastString(args: readonly (Uint8Array | null)[]): Uint8Array | null {
    return leastOf(args, cmpBinary);
  }

  /** GreatestTime and GreatestDate share TiKV's `greatest_datetime`. */
  @rpnFn({ sig: [S.GreatestTime, S.GreatestDate], args: { varargs: DateTime, min: 2 }, ret: DateTime })
  static greatestTime(args: readonly (Time | null)[]): Time | null {
    return greatestOf(args, cmpTime);
  }

  /** LeastTime and LeastDate share TiKV's `least_datetime`. */
  @rpnFn({ sig: [S.LeastTime, S.LeastDate], args: { varargs: DateTime, min: 2 }, ret: DateTime })
  static leastTime(args: readonly (Time | null)[]): Time | null {
    return leastOf(args, cmpTime);
  }

  @rpnFn({ sig: S.GreatestDuration, args: { varargs: Dur, min: 2 }, ret: Dur })
  static greatestDuration(args: readonly (Duration | null)[]): Duration | null {
    return greatestOf(args, cmpDuration);
  }

  @rpnFn({ sig: S.LeastDuration, args: { varargs: Dur, min: 2 }, ret: Dur })
  static leastDuration(args: readonly (Duration | null)[]): Duration | null {
    return leastOf(args, cmpDuration);
  }

  /** Strings read as DATETIMEs (fsp from the text); the result is the winner's text form. */
  @rpnFn({ sig: S.GreatestCmpStringAsTime, args: { varargs: Bytes, min: 2 }, ret: Bytes, ctx: true })
  static greatestCmpStringAsTime(ctx: EvalContext, args: readonly (Uint8Array | null)[]): Uint8Array | null {
    return extremumAsTime(ctx, args, true, false);
  }

  @rpnFn({ sig: S.LeastCmpStringAsTime, args: { varargs: Bytes, min: 2 }, ret: Bytes, ctx: true })
  static leastCmpStringAsTime(ctx: EvalContext, args: readonly (Uint8Array | null)[]): Uint8Array | null {
    return extremumAsTime(ctx, args, false, false);
  }

  /** Strings read as DATEs; the result is the winner as `YYYY-MM-DD`. */
  @rpnFn({ sig: S.GreatestCmpStringAsDate, args: { varargs: Bytes, min: 2 }, ret: Bytes, ctx: true })
  static greatestCmpStringAsDate(ctx: EvalContext, args: readonly (Uint8Array | null)[]): Uint8Array | null {
    return extremumAsTime(ctx, args, true, true);
  }

  @rpnFn({ sig: S.LeastCmpStringAsDate, args: { varargs: Bytes, min: 2 }, ret: Bytes, ctx: true })
  static leastCmpStringAsDate(ctx: EvalContext, args: readonly (Uint8Array | null)[]): Uint8Array | null {
    return extremumAsTime(ctx, args, false, true);
  }

  /** INTERVAL(N, N1, N2, …) over integers (compared as i64, as TiKV does). Never NULL. */
  @rpnFn({ sig: S.IntervalInt, args: { varargs: Int, min: 2 }, ret: Int })
  static intervalInt(args: readonly (bigint | null)[]): bigint {
    return intervalOf(args, cmpI64);
  }

  /** INTERVAL(N, N1, N2, …) over doubles. Never NULL. */
  @rpnFn({ sig: S.IntervalReal, args: { varargs: Real, min: 2 }, ret: Int })
  static intervalReal(args: readonly (number | null)[]): bigint {
    return intervalOf(args, cmpReal);
  }
}

/** The first non-NULL argument, or NULL; no argument at all is NULL (TiKV `coalesce`). */
function coalesce(args: readonly unknown[]): unknown {
  for (const a of args) if (a !== null) return a;
  return null;
}

for (const [sig, evalType] of [
  [S.CoalesceInt, Int],
  [S.CoalesceReal, Real],
  [S.CoalesceDecimal, Dec],
  [S.CoalesceString, Bytes],
  [S.CoalesceTime, DateTime],
  [S.CoalesceDuration, Dur],
  [S.CoalesceJson, Json],
] as const) {
  registerRpnFn("CompareMore.coalesce", coalesce, {
    sig,
    args: { varargs: evalType, min: 0 },
    ret: evalType,
  });
}
