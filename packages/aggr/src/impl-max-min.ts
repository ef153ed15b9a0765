// MAX(expr) and MIN(expr). Behaviour of TiKV components/tidb_query_aggr/src/impl_max_min.rs: the
// largest (smallest) non-NULL value, NULL for none; the result has the argument's type. Order by
// eval type:
// - Int: numeric, unsigned when the argument is UNSIGNED (values arrive as SQL values, so one
//   comparison serves both);
// - Real, Decimal, DateTime (chronological, fsp and type ignored), Duration: numeric;
// - Bytes: the collation of the aggregate's result field type (TiKV `sort_compare`);
// - Json: MySQL's JSON order (`compareJson`); VectorFloat32: element by element, then length;
// - Enum and Set: by their text (member name, or members joined by ","), compared as UTF-8 bytes,
//   as MySQL's MAX/MIN do (unlike ORDER BY, which uses the index).
// On ties the first value seen is kept.

import { decodeJsonBinary } from "@copr/codec";
import {
  type Collator,
  type Column,
  type ColumnBuilder,
  compareJson,
  compareTimeWords,
  compareUtf8,
  DECIMAL_CHUNK_WORDS,
  Decimal,
  type Duration,
  type Enum,
  type EvalContext,
  EvalType,
  type JsonValue,
  type LogicalRows,
  type MySqlSet,
  type Time,
} from "@copr/datatype";
import type { AggrFunction, AggrFunctionState } from "./interface.js";
import { appendValue, logicalCount } from "./util.js";

/** MAX or MIN. */
export type ExtremumKind = "Max" | "Min";

/**
 * How values of one eval type are ordered and kept. `compareRow` reads a column row without
 * materialising it where it can; `valueAt` materialises (and copies) only a row that wins.
 */
interface Ordering<T> {
  compare(a: T, b: T): number;
  compareRow(best: T, column: Column, row: number): number;
  valueAt(column: Column, row: number): T;
  /** A value as `update` receives it, kept (copied if it is a view). */
  own(value: unknown): T;
  append(builder: ColumnBuilder, best: T): void;
}

const sign = (a: number | bigint, b: number | bigint): number => (a < b ? -1 : a > b ? 1 : 0);
const appendPlain = (builder: ColumnBuilder, v: unknown) => appendValue(builder, v);

const INT_ORDER: Ordering<number | bigint> = {
  compare: sign,
  compareRow: (best, column, row) => sign(best, intAt(column, row)),
  valueAt: intAt,
  own: (v) => v as bigint,
  append: appendPlain,
};

function intAt(column: Column, row: number): number | bigint {
  if (column.evalType !== EvalType.Int) throw new TypeError("an Int column");
  const d = column.data;
  if (d.repr === "f64") return d.values[row]!;
  return column.unsigned ? d.unsignedValues[row]! : d.values[row]!;
}

const REAL_ORDER: Ordering<number> = {
  compare: sign,
  compareRow: (best, column, row) => sign(best, (column as { values: Float64Array }).values[row]!),
  valueAt: (column, row) => (column as { values: Float64Array }).values[row]!,
  own: (v) => v as number,
  append: appendPlain,
};

const DECIMAL_ORDER: Ordering<Decimal> = {
  compare: (a, b) => a.compare(b),
  compareRow: (best, column, row) =>
    best.compare(Decimal.readWords((column as { words: Int32Array }).words, row * DECIMAL_CHUNK_WORDS)),
  valueAt: (column, row) => column.get(row) as Decimal,
  own: (v) => v as Decimal,
  append: appendPlain,
};

const DATE_TIME_ORDER: Ordering<Time> = {
  compare: (a, b) => a.compare(b),
  compareRow: (best, column, row) => {
    const w = (column as { words: Uint32Array }).words;
    return compareTimeWords(best.lowWord(), best.highWord(), w[2 * row]!, w[2 * row + 1]!);
  },
  valueAt: (column, row) => column.get(row) as Time,
  own: (v) => v as Time,
  append: appendPlain,
};

const DURATION_ORDER: Ordering<Duration> = {
  compare: (a, b) => sign(a.nanos, b.nanos),
  compareRow: (best, column, row) => sign(best.nanos, (column as { nanos: Float64Array }).nanos[row]!),
  valueAt: (column, row) => column.get(row) as Duration,
  own: (v) => v as Duration,
  append: appendPlain,
};

interface KeptJson {
  readonly bytes: Uint8Array;
  readonly value: JsonValue;
}

const JSON_ORDER: Ordering<KeptJson> = {
  compare: (a, b) => compareJson(a.value, b.value),
  compareRow: (best, column, row) => compareJson(best.value, decodeJsonBinary(column.get(row) as Uint8Array)),
  valueAt: (column, row) => keepJson(column.get(row) as Uint8Array),
  own: (v) => keepJson(v as Uint8Array),
  append: (builder, best) => appendValue(builder, best.bytes),
};

function keepJson(bytes: Uint8Array): KeptJson {
  const copy = bytes.slice();
  return { bytes: copy, value: decodeJsonBinary(copy) };
}

function compareVectors(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i]! > b[i]!) return 1;
    if (a[i]! < b[i]!) return -1;
  }
  return sign(a.length, b.length);
}

const VECTOR_ORDER: Ordering<Float32Array> = {
  compare: compareVectors,
  compareRow: (best, column, row) => compareVectors(best, column.get(row) as Float32Array),
  valueAt: (column, row) => (column.get(row) as Float32Array).slice(),
  own: (v) => (v as Float32Array).slice(),
  append: appendPlain,
};

function bytesOrder(collator: Collator): Ordering<Uint8Array> {
  return {
    compare: (a, b) => collator.compare(a, b),
    compareRow: (best, column, row) => {
      const c = column as { data: Uint8Array; offsets: Int32Array };
      return collator.compare(best, c.data.subarray(c.offsets[row]!, c.offsets[row + 1]!));
    },
    valueAt: (column, row) => (column.get(row) as Uint8Array).slice(),
    own: (v) => (v as Uint8Array).slice(),
    append: appendPlain,
  };
}

const ENUM_ORDER: Ordering<Enum> = {
  compare: (a, b) => compareUtf8(a.name, b.name),
  compareRow: (best, column, row) => {
    const c = column as { values: Uint32Array; elems: readonly string[] };
    const i = c.values[row]!;
    return compareUtf8(best.name, i === 0 ? "" : c.elems[i - 1]!);
  },
  valueAt: (column, row) => column.get(row) as Enum,
  own: (v) => v as Enum,
  append: appendPlain,
};

interface KeptSet {
  readonly set: MySqlSet;
  readonly text: string;
}

const SET_ORDER: Ordering<KeptSet> = {
  compare: (a, b) => compareUtf8(a.text, b.text),
  compareRow: (best, column, row) => compareUtf8(best.text, (column.get(row) as MySqlSet).toString()),
  valueAt: (column, row) => keepSet(column.get(row) as MySqlSet),
  own: (v) => keepSet(v as MySqlSet),
  append: (builder, best) => appendValue(builder, best.set),
};

function keepSet(set: MySqlSet): KeptSet {
  return { set, text: set.toString() };
}

/** The order MAX/MIN use for `evalType` (Bytes needs the result's collator). */
function orderingOf(evalType: EvalType, collator: Collator | undefined): Ordering<unknown> {
  const o = (() => {
    switch (evalType) {
      case EvalType.Int:
        return INT_ORDER;
      case EvalType.Real:
        return REAL_ORDER;
      case EvalType.Decimal:
        return DECIMAL_ORDER;
      case EvalType.DateTime:
        return DATE_TIME_ORDER;
      case EvalType.Duration:
        return DURATION_ORDER;
      case EvalType.Json:
        return JSON_ORDER;
      case EvalType.VectorFloat32:
        return VECTOR_ORDER;
      case EvalType.Enum:
        return ENUM_ORDER;
      case EvalType.Set:
        return SET_ORDER;
      case EvalType.Bytes:
        if (collator === undefined) throw new TypeError("MAX/MIN over strings needs a collator");
        return bytesOrder(collator);
    }
  })();
  return o as Ordering<unknown>;
}

/** The MAX or MIN aggregate function over arguments of eval type `evalType`. */
export class AggrFnExtremum implements AggrFunction {
  readonly name: string;
  private readonly ordering: Ordering<unknown>;

  /** `collator` orders strings (required for Bytes, ignored otherwise). */
  constructor(
    readonly kind: ExtremumKind,
    readonly evalType: EvalType,
    collator?: Collator,
  ) {
    this.ordering = orderingOf(evalType, collator);
    this.name = `AggFnExtremum<${evalType}${collator && evalType === EvalType.Bytes ? `, ${collator.name}` : ""}, ${kind}>`;
  }

  createState(): AggrFunctionState {
    return new ExtremumState(this.ordering, this.kind === "Max" ? -1 : 1);
  }
}

/** The state of MAX/MIN: the best value so far, or none. */
export class ExtremumState<T> implements AggrFunctionState {
  private has = false;
  private best: T | undefined = undefined;

  /** `replaceWhen`: -1 (MAX: the kept value orders before the new one) or 1 (MIN). */
  constructor(
    private readonly ordering: Ordering<T>,
    private readonly replaceWhen: -1 | 1,
  ) {}

  update(_ctx: EvalContext, value: unknown): void {
    if (value === null) return;
    const o = this.ordering;
    if (!this.has) {
      this.best = o.own(value);
      this.has = true;
      return;
    }
    const v = o.own(value);
    if (Math.sign(o.compare(this.best as T, v)) === this.replaceWhen) this.best = v;
  }

  updateRepeat(ctx: EvalContext, value: unknown, times: number): void {
    if (times > 0) this.update(ctx, value);
  }

  updateRow(_ctx: EvalContext, column: Column, row: number): void {
    if (column.isNull(row)) return;
    const o = this.ordering;
    if (!this.has || Math.sign(o.compareRow(this.best as T, column, row)) === this.replaceWhen) {
      this.best = o.valueAt(column, row);
      this.has = true;
    }
  }

  updateVector(ctx: EvalContext, column: Column, rows: LogicalRows): void {
    const n = logicalCount(column, rows);
    const numbers =
      column.evalType === EvalType.Real
        ? column.values
        : column.evalType === EvalType.Int && column.data.repr === "f64"
          ? column.data.values
          : null;
    if (numbers !== null) {
      this.updateNumbers(column, numbers, rows, n);
      return;
    }
    for (let k = 0; k < n; k++) this.updateRow(ctx, column, rows === null ? k : rows[k]!);
  }

  /** DOUBLE and narrow BIGINT columns: one loop over the doubles, the winner read once. */
  private updateNumbers(column: Column, values: Float64Array, rows: LogicalRows, n: number): void {
    const hasNulls = column.nullCount > 0;
    const max = this.replaceWhen === -1;
    let best = Number.NaN;
    let bestRow = -1;
    for (let k = 0; k < n; k++) {
      const r = rows === null ? k : rows[k]!;
      if (hasNulls && column.isNull(r)) continue;
      const v = values[r]!;
      if (bestRow < 0 || (max ? v > best : v < best)) {
        best = v;
        bestRow = r;
      }
    }
    if (bestRow < 0) return;
    const o = this.ordering;
    if (!this.has || Math.sign(o.compareRow(this.best as T, column, bestRow)) === this.replaceWhen) {
      this.best = o.valueAt(column, bestRow);
      this.has = true;
    }
  }

  pushResult(_ctx: EvalContext, target: readonly ColumnBuilder[]): void {
    if (!this.has) target[0]!.appendNull();
    else this.ordering.append(target[0]!, this.best as T);
  }
}
