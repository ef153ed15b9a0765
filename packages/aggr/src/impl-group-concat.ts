// GROUP_CONCAT([DISTINCT] expr, … [ORDER BY item [DESC], …] SEPARATOR sep). TiKV rejects it; the
// behaviour follows TiDB's pkg/executor/aggfuncs/func_group_concat.go (and aggregation/concat.go):
// a row whose arguments include a NULL is skipped; a row's arguments are concatenated as strings,
// rows are joined with the separator; DISTINCT compares the rows' arguments by their collations'
// sort keys (the first row seen is kept); the result is cut to `group_concat_max_len` bytes
// (0: no limit), which raises "Row N was cut by GROUP_CONCAT()" (1260) once per aggregate; a group
// without rows is NULL.
//
// Two partial-result layouts (docs: /tmp/copr-aggr-extras.md):
// - "string" (no DISTINCT, no ORDER BY): one column of the aggregate's own type, the group's
//   string, already cut. Merge: join the non-NULL partials with the separator, in order, and cut
//   (what TiDB's final GROUP_CONCAT does with TiKV partials).
// - "rows" (DISTINCT or ORDER BY): one BINARY column holding the group's rows with their keys, so
//   that a client can dedupe and order across partials; see {@link decodeGroupConcatRows}.
import { ByteReader, ByteWriter, readVarUintSafe, writeVarUint } from "@copr/codec";
import {
  assert,
  CodecError,
  type Column,
  type ColumnBuilder,
  type EvalContext,
  EvalError,
  type FieldType,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
} from "@copr/datatype";
import type { AggrFunction, AggrFunctionState } from "./interface.js";
import { bytesToKeyString, compareBytes } from "./row-key.js";
import { appendValue, StateBase } from "./util.js";

/** MySQL error/warning 1260: a GROUP_CONCAT result was cut to `group_concat_max_len`. */
export const ERR_CUT_VALUE_GROUP_CONCAT = 1260;
/** MySQL's default `group_concat_max_len`, used when the aggregate node carries none. */
export const DEFAULT_GROUP_CONCAT_MAX_LEN = 1024;
/** The first byte of a "rows" partial result. */
export const GROUP_CONCAT_ROWS_VERSION = 1;

/** The field type of a "rows" partial result: LONGBLOB, binary. */
export const GROUP_CONCAT_ROWS_FIELD_TYPE: FieldType = Object.freeze(
  fieldType(FieldTypeTp.LongBlob, { flag: FieldTypeFlag.Binary }),
);

/** Which partial result a GROUP_CONCAT pushes. */
export type GroupConcatLayout = "string" | "rows";

/** What a GROUP_CONCAT needs besides its rows. */
export interface GroupConcatOptions {
  /** The separator's bytes. */
  readonly separator: Uint8Array;
  /** `group_concat_max_len` in bytes; 0 = no limit. */
  readonly maxLen: number;
  /** DISTINCT: rows with equal distinct keys count once. */
  readonly distinct: boolean;
  /** ORDER BY items present: rows are ordered by their sort keys. */
  readonly ordered: boolean;
}

/**
 * The GROUP_CONCAT aggregate function. In the "string" layout its states take the row's value
 * (the concatenated arguments, Bytes); in the "rows" layout they take a row entry as
 * {@link encodeGroupConcatEntry} writes it.
 */
export class AggrFnGroupConcat implements AggrFunction {
  readonly name: string;
  readonly layout: GroupConcatLayout;
  /** Set once the cut warning was raised: MySQL and TiDB raise it once per aggregate. */
  private warned = false;
  private created = 0;

  constructor(readonly options: GroupConcatOptions) {
    this.layout = options.distinct || options.ordered ? "rows" : "string";
    const flags = [options.distinct ? "Distinct" : "", options.ordered ? "Order" : ""].join("");
    this.name = `AggrFnGroupConcat${flags}`;
  }

  createState(): AggrFunctionState {
    const row = ++this.created;
    return this.layout === "string"
      ? new GroupConcatStringState(this, row)
      : new GroupConcatRowsState(this, row);
  }

  /** Raises the cut warning (or error, as `ctx` decides) unless this aggregate already did. */
  cut(ctx: EvalContext, row: number): void {
    if (this.warned) return;
    this.warned = true;
    ctx.handleTruncateErr(new EvalError(`Row ${row} was cut by GROUP_CONCAT()`, ERR_CUT_VALUE_GROUP_CONCAT));
  }
}

/** A growable byte buffer. */
class Bytes {
  buf = new Uint8Array(64);
  length = 0;

  append(b: Uint8Array, n = b.length): void {
    const need = this.length + n;
    if (need > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < need) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    this.buf.set(n === b.length ? b : b.subarray(0, n), this.length);
    this.length = need;
  }

  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** "string" layout: the group's string, cut to the limit as it grows. */
class GroupConcatStringState extends StateBase {
  private readonly out = new Bytes();
  private has = false;
  private cut = false;

  constructor(
    private readonly fn: AggrFnGroupConcat,
    private readonly row: number,
  ) {
    super();
  }

  update(ctx: EvalContext, value: unknown): void {
    if (value === null) return;
    const v = value as Uint8Array;
    const { separator, maxLen } = this.fn.options;
    if (this.cut) return;
    const sep = this.has ? separator : EMPTY;
    this.has = true;
    const full = this.out.length + sep.length + v.length;
    if (maxLen > 0 && full > maxLen) {
      let room = maxLen - this.out.length;
      const s = Math.min(room, sep.length);
      this.out.append(sep, s);
      room -= s;
      this.out.append(v, Math.min(room, v.length));
      this.cut = true;
      this.fn.cut(ctx, this.row);
      return;
    }
    this.out.append(sep);
    this.out.append(v);
  }

  override updateRepeat(ctx: EvalContext, value: unknown, times: number): void {
    if (value === null) return;
    for (let i = 0; i < times && !this.cut; i++) this.update(ctx, value);
  }

  override updateRow(ctx: EvalContext, column: Column, row: number): void {
    if (!this.cut) this.update(ctx, column.get(row));
  }

  pushResult(_ctx: EvalContext, target: readonly ColumnBuilder[]): void {
    appendValue(target[0]!, this.has ? this.out.view() : null);
  }
}

const EMPTY = new Uint8Array(0);

/** One row of a "rows" partial result. */
export interface GroupConcatEntry {
  /** ORDER BY key: compared bytewise (empty without ORDER BY). */
  readonly sortKey: Uint8Array;
  /** DISTINCT key: equal keys are the same row (empty without DISTINCT). */
  readonly distinctKey: Uint8Array;
  /** The row's arguments concatenated. */
  readonly value: Uint8Array;
}

/** Appends one entry in the "rows" form: `len key len distinctKey len value` (var-uint lengths). */
export function writeGroupConcatEntry(w: ByteWriter, e: GroupConcatEntry): void {
  writeVarUint(w, e.sortKey.length);
  w.bytes(e.sortKey);
  writeVarUint(w, e.distinctKey.length);
  w.bytes(e.distinctKey);
  writeVarUint(w, e.value.length);
  w.bytes(e.value);
}

/** Encodes one entry as a standalone byte string (what the row function hands the state). */
export function encodeGroupConcatEntry(e: GroupConcatEntry): Uint8Array {
  const w = new ByteWriter(e.sortKey.length + e.distinctKey.length + e.value.length + 8);
  writeGroupConcatEntry(w, e);
  return w.finish().slice();
}

function readEntry(r: ByteReader): GroupConcatEntry {
  const sortKey = r.take(readVarUintSafe(r), "sort key");
  const distinctKey = r.take(readVarUintSafe(r), "distinct key");
  const value = r.take(readVarUintSafe(r), "value");
  return { sortKey, distinctKey, value };
}

/** Reads one standalone entry (a CodecError if it is malformed or has trailing bytes). */
export function decodeGroupConcatEntry(bytes: Uint8Array): GroupConcatEntry {
  const r = new ByteReader(bytes, "GROUP_CONCAT entry");
  const e = readEntry(r);
  if (r.pos !== r.end) throw r.error("trailing bytes");
  return e;
}

/**
 * Encodes a "rows" partial result: byte {@link GROUP_CONCAT_ROWS_VERSION}, the var-uint entry
 * count, then the entries in their order.
 */
export function encodeGroupConcatRows(entries: readonly GroupConcatEntry[]): Uint8Array {
  const w = new ByteWriter(64);
  w.u8(GROUP_CONCAT_ROWS_VERSION);
  writeVarUint(w, entries.length);
  for (const e of entries) writeGroupConcatEntry(w, e);
  return w.finish().slice();
}

/** Reads a "rows" partial result (entries are views into `bytes`). */
export function decodeGroupConcatRows(bytes: Uint8Array): GroupConcatEntry[] {
  const r = new ByteReader(bytes, "GROUP_CONCAT rows");
  const version = r.u8("version");
  if (version !== GROUP_CONCAT_ROWS_VERSION)
    throw new CodecError("GROUP_CONCAT rows", `unknown version ${version}`);
  const n = readVarUintSafe(r);
  const out: GroupConcatEntry[] = [];
  for (let i = 0; i < n; i++) out.push(readEntry(r));
  if (r.pos !== r.end) throw r.error("trailing bytes");
  return out;
}

/**
 * The rows of a group in result order: drops later duplicates of a distinct key (if `distinct`),
 * then sorts stably by sort key (if `ordered`). Input order is arrival order: earlier partials
 * first, each partial's entries in its own order.
 */
export function orderGroupConcatEntries(
  entries: readonly GroupConcatEntry[],
  options: Pick<GroupConcatOptions, "distinct" | "ordered">,
): GroupConcatEntry[] {
  let out = entries.slice();
  if (options.distinct) {
    const seen = new Set<string>();
    out = out.filter((e) => {
      const k = bytesToKeyString(e.distinctKey);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  if (options.ordered) out.sort((a, b) => compareBytes(a.sortKey, b.sortKey));
  return out;
}

/** Joins values with the separator and cuts to `maxLen` bytes (0: no limit). */
export function joinGroupConcat(
  values: readonly Uint8Array[],
  separator: Uint8Array,
  maxLen: number,
): { value: Uint8Array | null; truncated: boolean } {
  if (values.length === 0) return { value: null, truncated: false };
  const b = new Bytes();
  values.forEach((v, i) => {
    if (i > 0) b.append(separator);
    b.append(v);
  });
  const all = b.view();
  if (maxLen > 0 && all.length > maxLen) return { value: all.slice(0, maxLen), truncated: true };
  return { value: all.slice(), truncated: false };
}

/**
 * The final GROUP_CONCAT of partial results, in order: what a client (or TiDB's final step, for
 * the "string" layout) computes. NULL partials are groups without rows.
 */
export function mergeGroupConcat(
  partials: readonly (Uint8Array | null)[],
  layout: GroupConcatLayout,
  options: GroupConcatOptions,
): { value: Uint8Array | null; truncated: boolean } {
  const present = partials.filter((p): p is Uint8Array => p !== null);
  if (layout === "string") return joinGroupConcat(present, options.separator, options.maxLen);
  const rows = orderGroupConcatEntries(present.flatMap(decodeGroupConcatRows), options);
  return joinGroupConcat(
    rows.map((e) => e.value),
    options.separator,
    options.maxLen,
  );
}

/**
 * Merges "rows" partial results into one "rows" partial result (a client's partial-to-partial
 * step): dedupe and order as {@link orderGroupConcatEntries}; NULL when there are no rows.
 */
export function mergeGroupConcatRows(
  partials: readonly (Uint8Array | null)[],
  options: Pick<GroupConcatOptions, "distinct" | "ordered">,
): Uint8Array | null {
  const entries = partials.flatMap((p) => (p === null ? [] : decodeGroupConcatRows(p)));
  if (entries.length === 0) return null;
  return encodeGroupConcatRows(orderGroupConcatEntries(entries, options));
}

interface KeptEntry extends GroupConcatEntry {
  readonly raw: Uint8Array;
}

/**
 * "rows" layout: the group's entries. DISTINCT keeps the first entry of each distinct key. With
 * ORDER BY and no DISTINCT, entries whose separator starts at or past `maxLen` in the group's own
 * order are dropped (merging only adds entries before them, so they cannot reach the final string
 * either); with DISTINCT every distinct row is kept, since a row of another partial may replace
 * one of these.
 */
class GroupConcatRowsState extends StateBase {
  private entries: KeptEntry[] = [];
  private readonly seen: Set<string> | null;
  /** Value and separator bytes of the kept entries, for pruning. */
  private size = 0;
  private sorted = true;
  private pruned = false;
  /**
   * After a prune, the sort key of the last entry kept: a later entry whose key is not smaller
   * sorts after it, past the cut, and is dropped at once.
   */
  private cutoff: Uint8Array | null = null;

  constructor(
    private readonly fn: AggrFnGroupConcat,
    private readonly row: number,
  ) {
    super();
    this.seen = fn.options.distinct ? new Set() : null;
  }

  update(ctx: EvalContext, value: unknown): void {
    if (value === null) return;
    const view = value as Uint8Array;
    const v = decodeGroupConcatEntry(view);
    if (this.cutoff !== null && compareBytes(v.sortKey, this.cutoff) >= 0) return;
    if (this.seen !== null) {
      const k = bytesToKeyString(v.distinctKey);
      if (this.seen.has(k)) return;
      this.seen.add(k);
    }
    // Keep a copy (the value is a view into the batch), its parts as views into the copy.
    const raw = view.slice();
    const base = view.byteOffset;
    const at = (b: Uint8Array) => raw.subarray(b.byteOffset - base, b.byteOffset - base + b.length);
    const e: GroupConcatEntry = {
      sortKey: at(v.sortKey),
      distinctKey: at(v.distinctKey),
      value: at(v.value),
    };
    this.entries.push({ ...e, raw });
    this.sorted = this.entries.length === 1;
    this.size += e.value.length + (this.entries.length > 1 ? this.fn.options.separator.length : 0);
    const { maxLen, ordered, distinct } = this.fn.options;
    if (ordered && !distinct && maxLen > 0 && this.size > 2 * maxLen + 4096) this.prune(ctx);
  }

  override updateRepeat(ctx: EvalContext, value: unknown, times: number): void {
    if (value === null) return;
    const n = this.seen !== null ? Math.min(times, 1) : times;
    for (let i = 0; i < n; i++) this.update(ctx, value);
  }

  /** Sorts the entries and drops those that start at or after the limit. */
  private prune(ctx: EvalContext): void {
    const { separator, maxLen } = this.fn.options;
    this.sortEntries();
    // Keep the entries whose separator (or, for the first, value) starts before the limit: the
    // others add nothing to the cut string.
    let end = 0;
    let keep = 0;
    for (const e of this.entries) {
      const sep = keep === 0 ? 0 : separator.length;
      if (keep > 0 && (end > maxLen || (end === maxLen && sep + e.value.length > 0))) break;
      end += sep + e.value.length;
      keep++;
    }
    if (keep < this.entries.length) {
      // Any entry placed after the last one kept starts its separator at `end`; it is past the cut
      // whatever its length unless the separator is empty and `end` is exactly the limit.
      if (end > maxLen || separator.length > 0) this.cutoff = this.entries[keep - 1]!.sortKey;
      this.entries.length = keep;
      this.pruned = true;
      this.fn.cut(ctx, this.row);
    }
    this.size = this.entries.reduce((s, e, i) => s + e.value.length + (i > 0 ? separator.length : 0), 0);
  }

  private sortEntries(): void {
    if (this.sorted || !this.fn.options.ordered) return;
    this.entries.sort((a, b) => compareBytes(a.sortKey, b.sortKey));
    this.sorted = true;
  }

  pushResult(ctx: EvalContext, target: readonly ColumnBuilder[]): void {
    assert(target.length === 1, "GROUP_CONCAT pushes one column");
    if (this.entries.length === 0) {
      target[0]!.appendNull();
      return;
    }
    const { maxLen, ordered, distinct } = this.fn.options;
    if (ordered && !distinct && maxLen > 0) this.prune(ctx);
    else this.sortEntries();
    if (!this.pruned && maxLen > 0 && this.size > maxLen) this.fn.cut(ctx, this.row);
    const w = new ByteWriter(this.size + 16);
    w.u8(GROUP_CONCAT_ROWS_VERSION);
    writeVarUint(w, this.entries.length);
    for (const e of this.entries) w.bytes(e.raw);
    appendValue(target[0]!, w.finish());
  }
}
