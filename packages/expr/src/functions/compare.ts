// Integer comparisons (TiKV components/tidb_query_expr/src/impl_compare.rs: BasicComparer,
// IntUintComparer, …). Arguments arrive as SQL values (a u64 for UNSIGNED ones), so comparing the
// bigints compares the numbers whatever the signedness — what TiKV's four comparers do.
import { ChunkedVecInt, EvalType } from "@copr/datatype";
import { tipb } from "@copr/proto";
import { registerFilterFn, rpnFn, rpnVectorFn, type VectorArg, type VectorCall } from "../registry.js";
import {
  type CmpOp,
  compareFilter,
  compareViews,
  compareViewsInto,
  pairOf,
  type RealView,
} from "./compare-more.js";

const S = tipb.ScalarFuncSig;
const { Int } = EvalType;

/**
 * An Int argument as exact doubles (a column held as doubles, or a constant within ±2^53), for the
 * numeric comparison loops of compare-more.ts; null for a wide (bigint) column or constant, which
 * the scalar functions compare.
 */
function view(a: VectorArg): RealView | null {
  if (a.column === undefined) {
    if (a.scalar === null) return { values: null, constant: 0, constNull: true, col: null, rows: null };
    const v = a.scalar as bigint;
    const x = Number(v);
    // A constant beyond 2^53 would compare inexactly as a double.
    if (BigInt(x) !== v || !Number.isSafeInteger(x)) return null;
    return { values: null, constant: x, constNull: false, col: null, rows: null };
  }
  const c = a.column;
  if (!(c instanceof ChunkedVecInt) || c.data.repr !== "f64") return null;
  return {
    values: c.data.values,
    constant: 0,
    constNull: false,
    col: c.nullCount > 0 ? c : null,
    rows: a.rows,
  };
}

const views = pairOf(view);

/** The vectorized comparison of two Int arguments held as doubles: one loop, no bigint. */
function compareVector(call: VectorCall, op: CmpOp): ChunkedVecInt | null {
  const v = views(call.args[0]!, call.args[1]!);
  return v === null ? null : compareViews(v.l, v.r, call.rows, op);
}

const b2i = (b: boolean): bigint => (b ? 1n : 0n);

/** Integer comparison functions: 1, 0, or NULL when an argument is NULL (NullEQ: never NULL). */
export class IntCompare {
  @rpnFn({ sig: S.LTInt, args: [Int, Int], ret: Int, nonnull: true })
  static ltInt(a: bigint, b: bigint): bigint {
    return b2i(a < b);
  }

  @rpnVectorFn(S.LTInt)
  static ltIntVector(call: VectorCall): ChunkedVecInt | null {
    return compareVector(call, "lt");
  }

  @rpnFn({ sig: S.LEInt, args: [Int, Int], ret: Int, nonnull: true })
  static leInt(a: bigint, b: bigint): bigint {
    return b2i(a <= b);
  }

  @rpnVectorFn(S.LEInt)
  static leIntVector(call: VectorCall): ChunkedVecInt | null {
    return compareVector(call, "le");
  }

  @rpnFn({ sig: S.GTInt, args: [Int, Int], ret: Int, nonnull: true })
  static gtInt(a: bigint, b: bigint): bigint {
    return b2i(a > b);
  }

  @rpnVectorFn(S.GTInt)
  static gtIntVector(call: VectorCall): ChunkedVecInt | null {
    return compareVector(call, "gt");
  }

  @rpnFn({ sig: S.GEInt, args: [Int, Int], ret: Int, nonnull: true })
  static geInt(a: bigint, b: bigint): bigint {
    return b2i(a >= b);
  }

  @rpnVectorFn(S.GEInt)
  static geIntVector(call: VectorCall): ChunkedVecInt | null {
    return compareVector(call, "ge");
  }

  @rpnFn({ sig: S.EQInt, args: [Int, Int], ret: Int, nonnull: true })
  static eqInt(a: bigint, b: bigint): bigint {
    return b2i(a === b);
  }

  @rpnVectorFn(S.EQInt)
  static eqIntVector(call: VectorCall): ChunkedVecInt | null {
    return compareVector(call, "eq");
  }

  @rpnFn({ sig: S.NEInt, args: [Int, Int], ret: Int, nonnull: true })
  static neInt(a: bigint, b: bigint): bigint {
    return b2i(a !== b);
  }

  @rpnVectorFn(S.NEInt)
  static neIntVector(call: VectorCall): ChunkedVecInt | null {
    return compareVector(call, "ne");
  }

  /** `<=>`: NULL-safe equality; never NULL. */
  @rpnFn({ sig: S.NullEQInt, args: [Int, Int], ret: Int })
  static nullEqInt(a: bigint | null, b: bigint | null): bigint {
    if (a === null || b === null) return b2i(a === b);
    return b2i(a === b);
  }
}

// The filter forms (a Selection condition appends the rows it keeps; see `FilterFn`).
for (const [sig, op] of [
  [S.LTInt, "lt"],
  [S.LEInt, "le"],
  [S.GTInt, "gt"],
  [S.GEInt, "ge"],
  [S.EQInt, "eq"],
  [S.NEInt, "ne"],
] as const) {
  registerFilterFn(sig, (call, kept, live) => compareFilter(views, compareViewsInto, call, op, kept, live));
}
