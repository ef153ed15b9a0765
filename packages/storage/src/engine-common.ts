// Checks shared by both engines (TiKV's engine_traits leave them to RocksDB; LMDB rejects empty keys).

import { InvalidArgumentError } from "./errors.js";
import type { ColumnFamily, KeyRange, KvIterator, RangeIterator, RangePair, WriteOp } from "./types.js";

/** The column families, in a fixed order. */
export const COLUMN_FAMILIES: readonly ColumnFamily[] = ["default", "lock", "write", "raw"];

/** Throws unless `cf` is a column family. */
export function checkCf(cf: ColumnFamily): void {
  if (cf !== "default" && cf !== "lock" && cf !== "write" && cf !== "raw") {
    throw new InvalidArgumentError(`unknown column family ${JSON.stringify(cf)}`);
  }
}

/** Longest key an engine accepts (LMDB's limit in lmdb-js builds). */
export const MAX_KEY_LEN = 1978;

/** Throws unless `key` is a non-empty byte array within {@link MAX_KEY_LEN}. */
export function checkKey(key: Uint8Array, what = "key"): void {
  if (!(key instanceof Uint8Array)) throw new InvalidArgumentError(`${what} must be a Uint8Array`);
  if (key.length === 0) throw new InvalidArgumentError(`${what} must not be empty`);
  if (key.length > MAX_KEY_LEN)
    throw new InvalidArgumentError(`${what} of ${key.length} bytes exceeds ${MAX_KEY_LEN}`);
}

/** Validates every op of a batch before any is applied, so a bad op writes nothing. */
export function checkOps(ops: readonly WriteOp[]): void {
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    checkCf(op.cf);
    checkKey(op.key, `key of op ${i}`);
    if (op.kind === "put") {
      if (!(op.value instanceof Uint8Array))
        throw new InvalidArgumentError(`value of op ${i} must be a Uint8Array`);
    } else if (op.kind !== "delete") {
      throw new InvalidArgumentError(
        `op ${i} has unknown kind ${JSON.stringify((op as { kind: unknown }).kind)}`,
      );
    }
  }
}

/** Throws unless the range bounds are byte arrays. */
export function checkRange(range: KeyRange): void {
  if (!(range.start instanceof Uint8Array) || !(range.end instanceof Uint8Array)) {
    throw new InvalidArgumentError("range start and end must be Uint8Arrays");
  }
}

const EMPTY = new Uint8Array(0);

/** A {@link RangePair} to fill. */
export function newRangePair(): RangePair {
  return { keyBytes: EMPTY, keyStart: 0, keyEnd: 0, valueBytes: EMPTY, valueStart: 0, valueEnd: 0 };
}

/** A {@link RangeIterator} over a plain iterator (engines without `iterRange`). */
export function rangeIteratorOf(it: KvIterator): RangeIterator {
  return {
    stable: false,
    nextRange(out: RangePair): boolean {
      const p = it.next();
      if (p === null) return false;
      out.keyBytes = p.key;
      out.keyStart = 0;
      out.keyEnd = p.key.length;
      out.valueBytes = p.value;
      out.valueStart = 0;
      out.valueEnd = p.value.length;
      return true;
    },
    close: () => it.close(),
  };
}
