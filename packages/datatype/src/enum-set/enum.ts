// MySQL ENUM values: a 1-based member index and the member's name.
// Behaviour of TiKV components/tidb_query_datatype/src/codec/mysql/enums.rs; parsing follows
// TiDB pkg/types/enum.go (ParseEnum, ParseEnumValue).

import { CodecError, EvalError, WARN_DATA_TRUNCATED } from "../errors.js";
import { parseGoUint } from "./go-parse-uint.js";

/**
 * How member names are matched: two names match when their keys are equal. Pass the column
 * collation's key (e.g. case-folding and trailing-space trimming for utf8mb4_general_ci); the
 * default compares names exactly, as the binary collation does.
 */
export type EnumSetNameKey = (name: string) => string;

const exact: EnumSetNameKey = (s) => s;

function listOf(elems: readonly string[]): string {
  return `[${elems.join(" ")}]`;
}

/**
 * An ENUM value: `value` is the 1-based index of the member in the column's `elems`, and 0 the
 * empty (invalid) value whose name is `""`. Equality and order are by `value`, as in TiKV.
 */
export class Enum {
  private static readonly EMPTY = new Enum(0, "");

  /** 1-based member index; 0 for the empty value. */
  readonly value: number;
  /** The member's name; `""` for the empty value. */
  readonly name: string;

  private constructor(value: number, name: string) {
    this.value = value;
    this.name = name;
  }

  /** The empty ENUM value (index 0, name `""`). */
  static empty(): Enum {
    return Enum.EMPTY;
  }

  /**
   * The member with 1-based index `n` (TiDB `ParseEnumValue`). 0 or an index past the members
   * is a 1265 error `convert to MySQL enum failed: number <n> overflow enum boundary [1, <len>]`.
   */
  static fromValue(elems: readonly string[], n: number | bigint): Enum {
    if (n < 1 || n > elems.length) {
      throw new EvalError(
        `convert to MySQL enum failed: number ${n} overflow enum boundary [1, ${elems.length}]`,
        WARN_DATA_TRUNCATED,
      );
    }
    const i = Number(n);
    return new Enum(i, elems[i - 1]);
  }

  /**
   * The member whose name matches `name` under `nameKey` (the first one, if several do), or
   * else, if `name` reads as an unsigned number in Go syntax, the member with that index (TiDB
   * `ParseEnum`). Otherwise a 1265 error `convert to MySQL enum failed: item <name> is not in
   * enum [<elems separated by spaces>]`.
   */
  static fromName(elems: readonly string[], name: string, nameKey: EnumSetNameKey = exact): Enum {
    const key = nameKey(name);
    for (let i = 0; i < elems.length; i++) {
      if (nameKey(elems[i]) === key) return new Enum(i + 1, elems[i]);
    }
    const n = parseGoUint(name);
    if (n !== null) return Enum.fromValue(elems, n);
    throw new EvalError(
      `convert to MySQL enum failed: item ${name} is not in enum ${listOf(elems)}`,
      WARN_DATA_TRUNCATED,
    );
  }

  /**
   * An ENUM read from storage: 0 is the empty value, 1..len a member. A larger index is corrupt
   * data ({@link CodecError}; TiKV would panic).
   */
  static fromStored(elems: readonly string[], n: number): Enum {
    if (n === 0) return Enum.EMPTY;
    if (!Number.isInteger(n) || n < 0 || n > elems.length) {
      throw new CodecError("enum", `index ${n} outside the ${elems.length} members`);
    }
    return new Enum(n, elems[n - 1]);
  }

  /** True for the empty value (index 0), which is false in a boolean context. */
  isEmpty(): boolean {
    return this.value === 0;
  }

  /** The name (`""` for the empty value). */
  toString(): string {
    return this.name;
  }

  /** The index as a number (ENUM in a numeric context). */
  toNumber(): number {
    return this.value;
  }

  /** -1, 0 or 1 by index. */
  compare(other: Enum): number {
    return this.value < other.value ? -1 : this.value > other.value ? 1 : 0;
  }

  /** Same index. */
  equals(other: Enum): boolean {
    return this.value === other.value;
  }
}
