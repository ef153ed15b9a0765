// MySQL SET values: a bitmask over at most 64 members.
// Behaviour of TiKV components/tidb_query_datatype/src/codec/mysql/set.rs; parsing follows TiDB
// pkg/types/set.go (ParseSet, ParseSetName, ParseSetValue).

import { assert, ERR_UNKNOWN, EvalError, UnsupportedError } from "../errors.js";
import type { EnumSetNameKey } from "./enum.js";
import { parseGoUint } from "./go-parse-uint.js";

/** A SET column has at most 64 members. */
export const MAX_SET_MEMBERS = 64;

const TWO_32 = 4_294_967_296;
const U64_MAX = 2n ** 64n - 1n;

const exact: EnumSetNameKey = (s) => s;

function checkMembers(elems: readonly string[]): void {
  if (elems.length > MAX_SET_MEMBERS) {
    throw new UnsupportedError(`SET with ${elems.length} members (at most ${MAX_SET_MEMBERS})`);
  }
}

function listOf(elems: readonly string[]): string {
  return `[${elems.join(" ")}]`;
}

function bit(lo: number, hi: number, i: number): boolean {
  return i < 32 ? ((lo >>> i) & 1) === 1 : ((hi >>> (i - 32)) & 1) === 1;
}

/**
 * A SET value: bit `i` of the u64 mask means member `elems[i]` is present. The mask is kept as
 * two unsigned 32-bit halves (`lo`, `hi`), so reading or comparing a value needs no BigInt.
 * The value keeps a reference to the column's member list, which gives it its text. Equality and
 * order are by the mask as an unsigned integer, as in TiKV. (Named MySqlSet so as not to shadow
 * the JavaScript `Set`.)
 */
export class MySqlSet {
  /** The column's members, in definition order. */
  readonly elems: readonly string[];
  /** Bits 0..31 of the mask (unsigned). */
  readonly lo: number;
  /** Bits 32..63 of the mask (unsigned). */
  readonly hi: number;

  private constructor(elems: readonly string[], lo: number, hi: number) {
    this.elems = elems;
    this.lo = lo;
    this.hi = hi;
  }

  /**
   * A SET as stored: mask halves taken as they are (bits beyond the members are kept, and not
   * shown by {@link toString}, as in TiKV).
   */
  static fromStored(elems: readonly string[], lo: number, hi: number): MySqlSet {
    return new MySqlSet(elems, lo >>> 0, hi >>> 0);
  }

  /**
   * The SET with mask `bits` (TiDB `ParseSetValue`): bits of members that do not exist are a
   * 1105 error `invalid number <the unknown bits> for Set [<elems separated by spaces>]`.
   */
  static fromValue(elems: readonly string[], bits: number | bigint): MySqlSet {
    const b = BigInt(bits);
    assert(b >= 0n && b <= U64_MAX, "a SET mask is an unsigned 64-bit integer");
    if (b === 0n) return new MySqlSet(elems, 0, 0);
    checkMembers(elems);
    const known = (1n << BigInt(elems.length)) - 1n;
    if ((b & ~known) !== 0n) {
      throw new EvalError(`invalid number ${b & ~known} for Set ${listOf(elems)}`, ERR_UNKNOWN);
    }
    return new MySqlSet(elems, Number(b & 0xffffffffn), Number(b >> 32n));
  }

  /**
   * The SET named by a comma-separated list (TiDB `ParseSet`): each name must match a member
   * under `nameKey` (order and repetition do not matter; `""` is the empty set). Failing that,
   * a text that reads as an unsigned number in Go syntax is taken as the mask
   * ({@link fromValue}). Otherwise a 1105 error `item <names> is not in Set [<elems>]`.
   */
  static fromNames(elems: readonly string[], names: string, nameKey: EnumSetNameKey = exact): MySqlSet {
    if (names.length === 0) return new MySqlSet(elems, 0, 0);
    checkMembers(elems);
    const marked = new Set<string>();
    for (const part of names.split(",")) marked.add(nameKey(part));
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < elems.length; i++) {
      const key = nameKey(elems[i]);
      if (!marked.delete(key)) continue;
      if (i < 32) lo |= 1 << i;
      else hi |= 1 << (i - 32);
    }
    if (marked.size === 0) return new MySqlSet(elems, lo >>> 0, hi >>> 0);
    const n = parseGoUint(names);
    if (n !== null) return MySqlSet.fromValue(elems, n);
    throw new EvalError(`item ${names} is not in Set ${listOf(elems)}`, ERR_UNKNOWN);
  }

  /** True if member `index` (0-based) is present. */
  isSet(index: number): boolean {
    return index >= 0 && index < 64 && bit(this.lo, this.hi, index);
  }

  /** True for the empty set, which is false in a boolean context. */
  isEmpty(): boolean {
    return this.lo === 0 && this.hi === 0;
  }

  /** True if a present member matches `name` under `nameKey`. */
  contains(name: string, nameKey: EnumSetNameKey = exact): boolean {
    return this.findInSet(name, nameKey) > 0;
  }

  /**
   * FIND_IN_SET against this value's text: the 1-based position of `name` among the present
   * members, or 0 if it is absent or contains a comma.
   */
  findInSet(name: string, nameKey: EnumSetNameKey = exact): number {
    if (name.includes(",")) return 0;
    const key = nameKey(name);
    let pos = 0;
    for (let i = 0; i < this.elems.length && i < 64; i++) {
      if (!bit(this.lo, this.hi, i)) continue;
      pos++;
      if (nameKey(this.elems[i]) === key) return pos;
    }
    return 0;
  }

  /** The present members in definition order, joined by `,` (`""` for the empty set). */
  toString(): string {
    if (this.isEmpty()) return "";
    let out = "";
    let first = true;
    for (let i = 0; i < this.elems.length && i < 64; i++) {
      if (!bit(this.lo, this.hi, i)) continue;
      out += first ? this.elems[i] : `,${this.elems[i]}`;
      first = false;
    }
    return out;
  }

  /** The mask as a double (SET in a numeric context; exact up to 2^53). */
  toNumber(): number {
    return this.hi * TWO_32 + this.lo;
  }

  /** The mask as an exact unsigned 64-bit bigint. */
  toBigInt(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** -1, 0 or 1 by the mask as an unsigned integer. */
  compare(other: MySqlSet): number {
    if (this.hi !== other.hi) return this.hi < other.hi ? -1 : 1;
    return this.lo < other.lo ? -1 : this.lo > other.lo ? 1 : 0;
  }

  /** Same mask. */
  equals(other: MySqlSet): boolean {
    return this.lo === other.lo && this.hi === other.hi;
  }
}
