// `x IN (a, b, …)` (TiKV components/tidb_query_expr/src/impl_compare_in.rs).
//
// The result is 1 when `x` equals a list item, NULL when `x` is NULL or when no item matches and
// the list holds a NULL, 0 otherwise. As in TiKV, the constant items are read once, when the
// expression is built, into a hash lookup (the function's metadata), and only the items that are
// not constants (columns, function calls) are compared row by row. Equality is that of the eval
// type: Int by SQL value (an UNSIGNED 2^64 − 1 is not a signed −1), Real by value (−0 = 0),
// Decimal by value (1.0 = 1.00), Duration by nanoseconds, String under the call's collation, Time
// ignoring type and precision, Json by JSON comparison. Time and Json are compared item by item,
// as TiKV does (TiKV cannot hash Time without the session time zone, nor Json at all); Json
// constants are still decoded only once.
import { decodeJsonBinary } from "@copr/codec";
import {
  ChunkedVecInt,
  ChunkedVecIntBuilder,
  type Collator,
  type Column,
  collationOf,
  collatorFor,
  compareJson,
  type Decimal,
  type Duration,
  type Enum,
  EvalType,
  evalTypeOf,
  isUnsigned,
  type JsonValue,
  MySqlSet,
  type Time,
} from "@copr/datatype";
import { tipb } from "@copr/proto";
import { readerOf } from "../eval.js";
import { fieldTypeFromPb } from "../field-type.js";
import { rpnFn, rpnVectorFn, type VectorArg, type VectorCall } from "../registry.js";
import { decodeConstant, type RpnConstant } from "../rpn.js";

const S = tipb.ScalarFuncSig;
const { Int, Real, Bytes, DateTime, Duration: Dur, Json } = EvalType;
const Dec = EvalType.Decimal;

type Expr = tipb.Expr.$Properties;

/** What every IN metadata holds besides its lookup structure. */
interface InList {
  /** Some constant item is NULL. */
  readonly hasNull: boolean;
  /** Positions (≥ 1) of the items that are not constants, compared row by row. */
  readonly dynamic: readonly number[];
}

/**
 * Splits the items of an IN call (children 1…n) into decoded constants, passed to `add` (after
 * `convert`), and the positions of the non-constant items.
 */
function scanItems<K>(expr: Expr, convert: (c: RpnConstant) => K | null, add: (k: K) => void): InList {
  const children = expr.children ?? [];
  const dynamic: number[] = [];
  let hasNull = false;
  for (let i = 1; i < children.length; i++) {
    const child = children[i]!;
    const tp = child.tp ?? tipb.ExprType.Null;
    if (tp === tipb.ExprType.ScalarFunc || tp === tipb.ExprType.ColumnRef) {
      dynamic.push(i);
      continue;
    }
    const c = decodeConstant(child);
    const k = c.value === null ? null : convert(c);
    if (k === null) hasNull = true;
    else add(k);
  }
  return { hasNull, dynamic };
}

/**
 * TiKV's `validate_expr_return_type` for each item: the IN's eval type, where an ENUM item is also
 * accepted for Int (its index) and String (its name) — and copr's SET likewise (its bitmask, its
 * comma-joined names).
 */
function itemsOf(want: EvalType): (expr: Expr) => void {
  return (expr) => {
    (expr.children ?? []).forEach((child, i) => {
      if (!child.fieldType) throw new Error(`argument ${i} has no field type`);
      const got = evalTypeOf(fieldTypeFromPb(child.fieldType));
      if (got !== want && got !== EvalType.Enum && got !== EvalType.Set) {
        throw new Error(`expect argument ${i} to be ${want}, got ${got}`);
      }
    });
  };
}

/** An Int item: the SQL value, an ENUM's index, or a SET's bitmask. */
function intOf(v: unknown): bigint | null {
  if (typeof v === "bigint" || v === null) return v;
  if (v instanceof MySqlSet) return (BigInt(v.hi) << 32n) | BigInt(v.lo);
  return BigInt((v as Enum).value);
}

const utf8 = new TextEncoder();

/** A String item: the bytes, an ENUM's name, or a SET's names joined by commas. */
function bytesOf(v: unknown): Uint8Array | null {
  if (v instanceof Uint8Array || v === null) return v as Uint8Array | null;
  if (v instanceof MySqlSet) return utf8.encode(v.toString());
  return utf8.encode((v as Enum).name);
}

/** Values hashed by `hash` and matched by `equals` (for keys that are objects). */
class Buckets<T> {
  private readonly map = new Map<number, T[]>();

  constructor(
    private readonly hash: (v: T) => number,
    private readonly equals: (a: T, b: T) => boolean,
  ) {}

  add(v: T): void {
    const h = this.hash(v);
    const bucket = this.map.get(h);
    if (bucket === undefined) this.map.set(h, [v]);
    else if (!bucket.some((x) => this.equals(x, v))) bucket.push(v);
  }

  has(v: T): boolean {
    const bucket = this.map.get(this.hash(v));
    if (bucket === undefined) return false;
    for (const x of bucket) if (this.equals(x, v)) return true;
    return false;
  }
}

interface IntIn extends InList {
  /** The constants' SQL values. */
  readonly set: ReadonlySet<bigint>;
  /** The same values as numbers, for those within ±(2^53 − 1) (the vectorized path). */
  readonly small: ReadonlySet<number>;
}

function intInMeta(expr: Expr): IntIn {
  const set = new Set<bigint>();
  const small = new Set<number>();
  const list = scanItems(
    expr,
    (c) => intOf(c.value),
    (k) => {
      set.add(k);
      const n = Number(k);
      if (Number.isSafeInteger(n)) small.add(n);
    },
  );
  return { ...list, set, small };
}

interface SetIn<K> extends InList {
  readonly set: ReadonlySet<K>;
}

function realInMeta(expr: Expr): SetIn<number> {
  const set = new Set<number>();
  // A Set treats −0 and 0 as one value, as TiKV's float hashing does.
  const list = scanItems(
    expr,
    (c) => c.value as number,
    (k) => set.add(k),
  );
  return { ...list, set };
}

function durationInMeta(expr: Expr): SetIn<number> {
  const set = new Set<number>();
  const list = scanItems(
    expr,
    (c) => (c.value as Duration).nanos,
    (k) => set.add(k),
  );
  return { ...list, set };
}

interface BucketIn<T> extends InList {
  readonly buckets: Buckets<T>;
}

function decimalInMeta(expr: Expr): BucketIn<Decimal> {
  const buckets = new Buckets<Decimal>(
    (d) => d.hash(),
    (a, b) => a.equals(b),
  );
  const list = scanItems(
    expr,
    (c) => c.value as Decimal,
    (k) => buckets.add(k),
  );
  return { ...list, buckets };
}

interface StringIn extends BucketIn<Uint8Array> {
  readonly collator: Collator;
  /** A non-constant item as bytes, checked against the collation's charset. */
  readonly readItem: (v: unknown) => Uint8Array | null;
  /** Equality under the collation. */
  readonly equals: (a: Uint8Array, b: Uint8Array) => boolean;
}

/** The collation is the call's own (TiKV `map_compare_in_string_sig` reads the return type's). */
function stringInMeta(expr: Expr): StringIn {
  const collator = collatorFor(collationOf(fieldTypeFromPb(expr.fieldType ?? {})));
  const buckets = new Buckets<Uint8Array>(
    (s) => collator.hash(s),
    (a, b) => collator.compare(a, b) === 0,
  );
  const list = scanItems(
    expr,
    (c) => {
      const s = bytesOf(c.value) as Uint8Array;
      // TiKV builds a collation sort key of each constant, which rejects malformed strings.
      collator.validate(s);
      return s;
    },
    (k) => buckets.add(k),
  );
  const readItem = (v: unknown): Uint8Array | null => {
    const b = bytesOf(v);
    if (b !== null) collator.validate(b);
    return b;
  };
  const equals = (a: Uint8Array, b: Uint8Array): boolean => collator.compare(a, b) === 0;
  return { ...list, buckets, collator, readItem, equals };
}

interface JsonIn extends InList {
  readonly values: readonly JsonValue[];
}

function jsonInMeta(expr: Expr): JsonIn {
  const values: JsonValue[] = [];
  const list = scanItems(
    expr,
    (c) => decodeJsonBinary(c.value as Uint8Array),
    (k) => values.push(k),
  );
  return { ...list, values };
}

/** A probe: the IN result of one row from its metadata and its arguments (only 0 and `dynamic` read). */
type Probe<M> = (meta: M, args: readonly unknown[]) => bigint | null;

/**
 * The shared tail of every probe: no constant matched, so compare `base` with the non-constant
 * items; NULL when none matches and some item (constant or not) is NULL.
 */
function scanDynamic<T>(
  list: InList,
  args: readonly unknown[],
  base: T,
  read: (v: unknown) => T | null,
  equals: (a: T, b: T) => boolean,
): bigint | null {
  let result: bigint | null = list.hasNull ? null : 0n;
  const dynamic = list.dynamic;
  for (let j = 0; j < dynamic.length; j++) {
    const v = read(args[dynamic[j]!]);
    if (v === null) result = null;
    else if (equals(base, v)) return 1n;
  }
  return result;
}

const same = <T>(a: T, b: T): boolean => a === b;
const asNumber = (v: unknown): number | null => v as number | null;
const nanosOf = (v: unknown): number | null => (v === null ? null : (v as Duration).nanos);
const decimalOf = (v: unknown): Decimal | null => v as Decimal | null;
const decimalEquals = (a: Decimal, b: Decimal): boolean => a.equals(b);
const jsonOf = (v: unknown): JsonValue | null => (v === null ? null : decodeJsonBinary(v as Uint8Array));
const jsonEquals = (a: JsonValue, b: JsonValue): boolean => compareJson(a, b) === 0;

function readerOfArg(a: VectorArg): (k: number) => unknown {
  const c = a.column;
  if (c === undefined) {
    const v = a.scalar;
    return () => v;
  }
  return readerOf({ kind: "vector", column: c, rows: a.rows, fieldType: a.fieldType });
}

/**
 * The vectorized driver of a probe: reads only the tested value and the non-constant items of
 * each row (the constant items, however many, are not touched per row).
 */
function inVector<M extends InList>(call: VectorCall<M>, probe: Probe<M>): Column {
  const meta = call.metadata;
  const n = call.rows;
  const positions = [0, ...meta.dynamic];
  const readers = positions.map((i) => readerOfArg(call.args[i]!));
  const vals = new Array<unknown>(call.args.length).fill(null);
  const out = new ChunkedVecIntBuilder({ unsigned: isUnsigned(call.fieldType), capacity: n });
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < positions.length; j++) vals[positions[j]!] = readers[j]!(k);
    const r = probe(meta, vals);
    if (r === null) out.appendNull();
    else out.append(r === 1n ? 1 : 0);
  }
  return out.finish();
}

/** IN for every eval type TiKV maps (lib.rs `In*`). */
export class InFns {
  @rpnFn({
    sig: S.InInt,
    args: { anyArgs: true, min: 1 },
    ret: Int,
    metadata: intInMeta,
    validator: itemsOf(Int),
  })
  static inInt(meta: IntIn, args: readonly unknown[]): bigint | null {
    const base = intOf(args[0]);
    if (base === null) return null;
    if (meta.set.has(base)) return 1n;
    return scanDynamic(meta, args, base, intOf, same);
  }

  /**
   * `col IN (constants…)` over an Int column held as doubles: one Set lookup per row, no bigint.
   * Anything else goes through the generic driver.
   */
  @rpnVectorFn(S.InInt)
  static inIntVector(call: VectorCall<IntIn>): Column {
    const meta = call.metadata;
    const c = call.args[0]!.column;
    if (meta.dynamic.length > 0 || c === undefined || c.evalType !== Int || c.data.repr !== "f64") {
      return inVector(call, InFns.inInt);
    }
    const rows = call.args[0]!.rows;
    const n = call.rows;
    const values = c.data.values;
    const small = meta.small;
    const out = new Float64Array(n);
    const validity = new Uint8Array((n + 7) >>> 3);
    const noMatch = meta.hasNull ? -1 : 0;
    let nulls = 0;
    for (let k = 0; k < n; k++) {
      const r = rows === null ? k : rows[k]!;
      let v = -1;
      if (!c.isNull(r)) v = small.has(values[r]!) ? 1 : noMatch;
      if (v < 0) {
        nulls++;
        continue;
      }
      out[k] = v;
      validity[k >>> 3]! |= 1 << (k & 7);
    }
    return new ChunkedVecInt(
      { repr: "f64", values: out },
      isUnsigned(call.fieldType),
      nulls > 0 ? validity : null,
      nulls,
    );
  }

  @rpnFn({ sig: S.InReal, args: { varargs: Real, min: 1 }, ret: Int, metadata: realInMeta })
  static inReal(meta: SetIn<number>, args: readonly unknown[]): bigint | null {
    const base = args[0] as number | null;
    if (base === null) return null;
    if (meta.set.has(base)) return 1n;
    return scanDynamic(meta, args, base, asNumber, same);
  }

  @rpnVectorFn(S.InReal)
  static inRealVector(call: VectorCall<SetIn<number>>): Column {
    return inVector(call, InFns.inReal);
  }

  @rpnFn({ sig: S.InDecimal, args: { varargs: Dec, min: 1 }, ret: Int, metadata: decimalInMeta })
  static inDecimal(meta: BucketIn<Decimal>, args: readonly unknown[]): bigint | null {
    const base = args[0] as Decimal | null;
    if (base === null) return null;
    if (meta.buckets.has(base)) return 1n;
    return scanDynamic(meta, args, base, decimalOf, decimalEquals);
  }

  @rpnVectorFn(S.InDecimal)
  static inDecimalVector(call: VectorCall<BucketIn<Decimal>>): Column {
    return inVector(call, InFns.inDecimal);
  }

  @rpnFn({ sig: S.InDuration, args: { varargs: Dur, min: 1 }, ret: Int, metadata: durationInMeta })
  static inDuration(meta: SetIn<number>, args: readonly unknown[]): bigint | null {
    const base = nanosOf(args[0]);
    if (base === null) return null;
    if (meta.set.has(base)) return 1n;
    return scanDynamic(meta, args, base, nanosOf, same);
  }

  @rpnVectorFn(S.InDuration)
  static inDurationVector(call: VectorCall<SetIn<number>>): Column {
    return inVector(call, InFns.inDuration);
  }

  /**
   * String IN under the call's collation. As TiKV (which builds a collation sort key of each
   * compared string), a string malformed in the collation's charset is an error.
   */
  @rpnFn({
    sig: S.InString,
    args: { anyArgs: true, min: 1 },
    ret: Int,
    metadata: stringInMeta,
    validator: itemsOf(Bytes),
  })
  static inString(meta: StringIn, args: readonly unknown[]): bigint | null {
    const base = bytesOf(args[0]);
    if (base === null) return null;
    const collator = meta.collator;
    collator.validate(base);
    if (meta.buckets.has(base)) return 1n;
    return scanDynamic(meta, args, base, meta.readItem, meta.equals);
  }

  @rpnVectorFn(S.InString)
  static inStringVector(call: VectorCall<StringIn>): Column {
    return inVector(call, InFns.inString);
  }

  /** Time IN, item by item as TiKV's `compare_in_by_compare` (type and fsp are ignored). */
  @rpnFn({ sig: S.InTime, args: { varargs: DateTime, min: 1 }, ret: Int })
  static inTime(args: readonly unknown[]): bigint | null {
    const base = args[0] as Time | null;
    if (base === null) return null;
    let result: bigint | null = 0n;
    for (let i = 1; i < args.length; i++) {
      const v = args[i] as Time | null;
      if (v === null) result = null;
      else if (base.equals(v)) return 1n;
    }
    return result;
  }

  /** Json IN, item by item by JSON comparison (TiKV `compare_in_by_compare_json`). */
  @rpnFn({ sig: S.InJson, args: { varargs: Json, min: 1 }, ret: Int, metadata: jsonInMeta })
  static inJson(meta: JsonIn, args: readonly unknown[]): bigint | null {
    const raw = args[0] as Uint8Array | null;
    if (raw === null) return null;
    const base = decodeJsonBinary(raw);
    for (const v of meta.values) if (jsonEquals(base, v)) return 1n;
    return scanDynamic(meta, args, base, jsonOf, jsonEquals);
  }

  @rpnVectorFn(S.InJson)
  static inJsonVector(call: VectorCall<JsonIn>): Column {
    return inVector(call, InFns.inJson);
  }
}
