// Integer comparisons (TiKV components/tidb_query_expr/src/impl_compare.rs: BasicComparer,
// IntUintComparer, …). Arguments arrive as SQL values (a u64 for UNSIGNED ones), so comparing the
// bigints compares the numbers whatever the signedness — what TiKV's four comparers do.
import { ChunkedVecInt, EvalType } from "@copr/datatype";
import { tipb } from "@copr/proto";
import { rpnFn, rpnVectorFn, type VectorArg, type VectorCall } from "../registry.js";

const S = tipb.ScalarFuncSig;
const { Int } = EvalType;

type Op = (a: number, b: number) => boolean;

/**
 * The vectorized comparison of two Int arguments held as doubles (columns or constants): one
 * loop, no bigint. Null when an argument is a wide (bigint) column.
 */
function compareVector(call: VectorCall, op: Op): ChunkedVecInt | null {
  const n = call.rows;
  const l = view(call.args[0]!);
  const r = view(call.args[1]!);
  if (l === null || r === null) return null;
  if (l.constNull || r.constNull) {
    return new ChunkedVecInt(
      { repr: "f64", values: new Float64Array(n) },
      false,
      new Uint8Array((n + 7) >>> 3),
      n,
    );
  }
  const out = new Float64Array(n);
  const validity = new Uint8Array((n + 7) >>> 3);
  let nulls = 0;
  for (let k = 0; k < n; k++) {
    const lr = l.rows === null ? k : l.rows[k]!;
    const rr = r.rows === null ? k : r.rows[k]!;
    if (l.col?.isNull(lr) || r.col?.isNull(rr)) {
      nulls++;
      continue;
    }
    const a = l.values === null ? l.constant : l.values[lr]!;
    const b = r.values === null ? r.constant : r.values[rr]!;
    out[k] = op(a, b) ? 1 : 0;
    validity[k >>> 3]! |= 1 << (k & 7);
  }
  return new ChunkedVecInt({ repr: "f64", values: out }, false, nulls > 0 ? validity : null, nulls);
}

interface IntView {
  values: Float64Array | null;
  constant: number;
  constNull: boolean;
  col: ChunkedVecInt | null;
  rows: VectorArg["rows"];
}

function view(a: VectorArg): IntView | null {
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

const lt: Op = (a, b) => a < b;
const le: Op = (a, b) => a <= b;
const gt: Op = (a, b) => a > b;
const ge: Op = (a, b) => a >= b;
const eq: Op = (a, b) => a === b;
const ne: Op = (a, b) => a !== b;

const b2i = (b: boolean): bigint => (b ? 1n : 0n);

/** Integer comparison functions: 1, 0, or NULL when an argument is NULL (NullEQ: never NULL). */
export class IntCompare {
  @rpnFn({ sig: S.LTInt, args: [Int, Int], ret: Int, nonnull: true })
  static ltInt(a: bigint, b: bigint): bigint {
    return b2i(a < b);
  }

  @rpnVectorFn(S.LTInt)
  static ltIntVector(call: VectorCall): ChunkedVecInt | null {
    return compareVector(call, lt);
  }

  @rpnFn({ sig: S.LEInt, args: [Int, Int], ret: Int, nonnull: true })
  static leInt(a: bigint, b: bigint): bigint {
    return b2i(a <= b);
  }

  @rpnVectorFn(S.LEInt)
  static leIntVector(call: VectorCall): ChunkedVecInt | null {
    return compareVector(call, le);
  }

  @rpnFn({ sig: S.GTInt, args: [Int, Int], ret: Int, nonnull: true })
  static gtInt(a: bigint, b: bigint): bigint {
    return b2i(a > b);
  }

  @rpnVectorFn(S.GTInt)
  static gtIntVector(call: VectorCall): ChunkedVecInt | null {
    return compareVector(call, gt);
  }

  @rpnFn({ sig: S.GEInt, args: [Int, Int], ret: Int, nonnull: true })
  static geInt(a: bigint, b: bigint): bigint {
    return b2i(a >= b);
  }

  @rpnVectorFn(S.GEInt)
  static geIntVector(call: VectorCall): ChunkedVecInt | null {
    return compareVector(call, ge);
  }

  @rpnFn({ sig: S.EQInt, args: [Int, Int], ret: Int, nonnull: true })
  static eqInt(a: bigint, b: bigint): bigint {
    return b2i(a === b);
  }

  @rpnVectorFn(S.EQInt)
  static eqIntVector(call: VectorCall): ChunkedVecInt | null {
    return compareVector(call, eq);
  }

  @rpnFn({ sig: S.NEInt, args: [Int, Int], ret: Int, nonnull: true })
  static neInt(a: bigint, b: bigint): bigint {
    return b2i(a !== b);
  }

  @rpnVectorFn(S.NEInt)
  static neIntVector(call: VectorCall): ChunkedVecInt | null {
    return compareVector(call, ne);
  }

  /** `<=>`: NULL-safe equality; never NULL. */
  @rpnFn({ sig: S.NullEQInt, args: [Int, Int], ret: Int })
  static nullEqInt(a: bigint | null, b: bigint | null): bigint {
    if (a === null || b === null) return b2i(a === b);
    return b2i(a === b);
  }
}
