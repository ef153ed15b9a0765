// APPROX_COUNT_DISTINCT(expr, …): the approximate number of distinct non-NULL argument tuples
// (a row with any NULL argument is skipped, as TiDB does). TiKV rejects it. The state is a
// HyperLogLog sketch (hll.ts) of the tuples' canonical keys (row-key.ts: strings by their
// collation's sort key, numbers by value, …); the partial result is the serialized sketch in one
// BINARY column, never NULL (an empty group is an empty sketch, estimate 0). Merge: register-wise
// maximum; the final value is the rounded estimate.
import type { ByteWriter } from "@copr/codec";
import {
  type Collator,
  type Column,
  type ColumnBuilder,
  type EvalContext,
  type EvalType,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
} from "@copr/datatype";
import { HyperLogLog } from "./hll.js";
import type { AggrFunction, AggrFunctionState } from "./interface.js";
import { keyWriter, writeValueKey } from "./row-key.js";
import { StateBase } from "./util.js";

/** The field type of the partial result: a binary string, NOT NULL (as TiDB declares its own). */
export const APPROX_COUNT_DISTINCT_FIELD_TYPE: FieldType = Object.freeze(
  fieldType(FieldTypeTp.String, { flag: FieldTypeFlag.Binary | FieldTypeFlag.NotNull }),
);

/**
 * The APPROX_COUNT_DISTINCT aggregate function. Its states take either a value of `argType`
 * (one argument, hashed by its key under `collator`) or, for `argType` `"key"`, the tuple's key
 * bytes already built by the parser's row function.
 */
export class AggrFnApproxCountDistinct implements AggrFunction {
  readonly name: string;

  constructor(
    readonly argType: EvalType | "key",
    readonly collator?: Collator,
  ) {
    this.name = `AggrFnApproxCountDistinct<${argType === "key" ? "Tuple" : argType}>`;
  }

  createState(): AggrFunctionState {
    return new ApproxCountDistinctState(this.argType, this.collator);
  }
}

class ApproxCountDistinctState extends StateBase {
  readonly sketch = new HyperLogLog();
  private readonly w: ByteWriter = keyWriter();

  constructor(
    private readonly argType: EvalType | "key",
    private readonly collator: Collator | undefined,
  ) {
    super();
  }

  update(_ctx: EvalContext, value: unknown): void {
    if (value === null) return;
    if (this.argType === "key") {
      this.sketch.addBytes(value as Uint8Array);
      return;
    }
    const w = this.w;
    w.length = 0;
    writeValueKey(w, this.argType, value, this.collator);
    this.sketch.addBytes(w.finish());
  }

  override updateRepeat(ctx: EvalContext, value: unknown, times: number): void {
    if (times > 0) this.update(ctx, value);
  }

  override updateRow(ctx: EvalContext, column: Column, row: number): void {
    if (!column.isNull(row)) this.update(ctx, column.get(row));
  }

  pushResult(_ctx: EvalContext, target: readonly ColumnBuilder[]): void {
    (target[0] as { append(v: Uint8Array): void }).append(this.sketch.serialize());
  }
}

/** Merges serialized sketches (partial results) into one serialized sketch. */
export function mergeApproxCountDistinct(partials: readonly Uint8Array[]): Uint8Array {
  const h = new HyperLogLog();
  for (const p of partials) h.merge(HyperLogLog.deserialize(p));
  return h.serialize();
}

/** The final APPROX_COUNT_DISTINCT of partial results: the rounded estimate of their merge. */
export function approxCountDistinctOf(partials: readonly Uint8Array[]): number {
  const h = new HyperLogLog();
  for (const p of partials) h.merge(HyperLogLog.deserialize(p));
  return Math.round(h.estimate());
}

/** Key of a tuple of values for the row function (each position by its own type and collator). */
export function writeTupleKey(
  w: ByteWriter,
  types: readonly EvalType[],
  collators: readonly (Collator | undefined)[],
  values: readonly unknown[],
): void {
  for (let i = 0; i < types.length; i++) writeValueKey(w, types[i]!, values[i], collators[i]);
}
