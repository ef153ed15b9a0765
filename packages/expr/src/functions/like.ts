// LIKE, after TiKV components/tidb_query_expr/src/impl_like.rs (`like`) and lib.rs (`map_like_sig`).
//
// The matcher is TiKV's iterative two-pointer scan: one backtrack point (the position after the
// last `%` and the target position it is trying), so a pattern is matched in O(|target| ×
// |pattern|) steps at worst, never exponentially.
//
// How characters are decoded and compared is chosen once per expression from the collation ids,
// as TiKV's `map_like_sig` does:
// - a non-negative collation id on the result (TiDB's old collation framework): UTF-8 characters
//   compared by code point, whatever the arguments' collations;
// - otherwise by the result collation's LIKE mode: `bytes` (binary, gb18030_bin) one byte per
//   character; `binaryRunes` (the `_bin` collations, also latin1_bin) UTF-8 characters by code
//   point; `collatorDefined` (the `_ci` collations) the collator's literal equality, on characters
//   decoded as UTF-8 — or as bytes when both arguments have a binary charset.
// UTF-8 decoding is Go's `DecodeRune`: a malformed byte is one U+FFFD character.

import { ByteReader, readI64, readU64 } from "@copr/codec";
import {
  ChunkedVecBytes,
  ChunkedVecInt,
  Collation,
  type Collator,
  collationFromId,
  collatorFor,
  decodeUtf8Lenient,
  EvalType,
} from "@copr/datatype";
import { tipb } from "@copr/proto";
import { rpnFn, rpnVectorFn, type VectorCall } from "../registry.js";

const S = tipb.ScalarFuncSig;
const { Int, Bytes } = EvalType;

const LEN_SHIFT = 21;
const CP_MASK = (1 << LEN_SHIFT) - 1;
const PERCENT = 0x25;
const UNDERSCORE = 0x5f;

/** How literal characters are decoded and compared (see the file header). */
const enum Mode {
  /** One byte per character, compared by value. */
  Bytes,
  /** UTF-8 characters (U+FFFD per malformed byte), compared by code point. */
  Runes,
  /** UTF-8 characters compared with the collator's LIKE equality. */
  CollatorRunes,
  /** Bytes compared with the collator's LIKE equality (both arguments have a binary charset). */
  CollatorBytes,
}

/** A pattern decoded once: per token, its kind and its character. */
interface CompiledPattern {
  /** 0 literal, 1 `_`, 2 `%`. */
  readonly kinds: Uint8Array;
  /** The literal's character (code point or byte). */
  readonly chars: Int32Array;
  readonly length: number;
}

/** Per-expression state: the matching mode, and a constant pattern compiled once. */
export interface LikeMetadata {
  readonly mode: Mode;
  readonly collator: Collator | null;
  /** For {@link Mode.CollatorBytes}: what a non-ASCII byte compares as (see `bytesLiteralEqual`). */
  readonly nonAsciiBytesEqual: boolean;
  /** The constant pattern and escape this expression was built with, if both are constants. */
  readonly constPattern: Uint8Array | null;
  readonly constEscape: bigint | null;
  readonly compiled: CompiledPattern | null;
}

const LITERAL = 0;
const ANY_ONE = 1;
const ANY_MANY = 2;

/** Decodes the character at `pos` (packed `cp | len << 21`), or -1 at the end. */
function decodeAt(binary: boolean, s: Uint8Array, pos: number): number {
  if (pos >= s.length) return -1;
  if (binary) return s[pos] | (1 << LEN_SHIFT);
  return decodeUtf8Lenient(s, pos);
}

/**
 * Literal equality of two characters decoded as bytes under a case-insensitive collation. TiKV
 * compares the one-byte strings with the collator, which cannot decode a lone byte >= 0x80: the
 * general_ci/gbk/gb18030 collators then call the strings equal, the UCA ones unequal.
 */
function bytesLiteralEqual(meta: LikeMetadata, a: number, b: number): boolean {
  if (a >= 0x80 || b >= 0x80) return meta.nonAsciiBytesEqual;
  return (meta.collator as Collator).charsEqual(a, b);
}

function literalEqual(meta: LikeMetadata, a: number, b: number): boolean {
  switch (meta.mode) {
    case Mode.Bytes:
    case Mode.Runes:
      return a === b;
    case Mode.CollatorRunes:
      return (meta.collator as Collator).charsEqual(a, b);
    default:
      return bytesLiteralEqual(meta, a, b);
  }
}

/**
 * Whether `target` matches `pattern` with escape character `escape` (TiKV `like`), scanning the
 * pattern bytes directly (no allocation).
 */
function matchDirect(meta: LikeMetadata, target: Uint8Array, pattern: Uint8Array, escape: number): boolean {
  const binary = meta.mode === Mode.Bytes || meta.mode === Mode.CollatorBytes;
  const plen = pattern.length;
  const tlen = target.length;
  let px = 0;
  let tx = 0;
  let nextPx = 0;
  let nextTx = 0;
  while (px < plen || tx < tlen) {
    let p = decodeAt(binary, pattern, px);
    if (p >= 0) {
      let code = p & CP_MASK;
      const isEscape = code === escape;
      if (isEscape && px + (p >>> LEN_SHIFT) < plen) {
        px += p >>> LEN_SHIFT;
        p = decodeAt(binary, pattern, px);
        code = p & CP_MASK;
      }
      const poff = p >>> LEN_SHIFT;
      if (!isEscape && code === UNDERSCORE) {
        const t = decodeAt(binary, target, tx);
        if (t >= 0) {
          px += poff;
          tx += t >>> LEN_SHIFT;
          continue;
        }
      } else if (!isEscape && code === PERCENT) {
        px += poff;
        nextPx = px;
        if (nextPx >= plen) return true;
        nextTx = tx;
        continue;
      } else {
        const t = decodeAt(binary, target, tx);
        if (t >= 0 && literalEqual(meta, t & CP_MASK, code)) {
          tx += t >>> LEN_SHIFT;
          px += poff;
          continue;
        }
      }
    }
    // Mismatch: retry the last `%` one target character further.
    if (nextPx > 0 && nextTx < tlen) {
      const t = decodeAt(binary, target, nextTx);
      nextTx += t >= 0 ? t >>> LEN_SHIFT : 1;
      px = nextPx;
      tx = nextTx;
      continue;
    }
    return false;
  }
  return true;
}

/** Splits a pattern into tokens exactly as {@link matchDirect} reads it. */
function compile(meta: LikeMetadata, pattern: Uint8Array, escape: number): CompiledPattern {
  const binary = meta.mode === Mode.Bytes || meta.mode === Mode.CollatorBytes;
  const kinds = new Uint8Array(pattern.length);
  const chars = new Int32Array(pattern.length);
  let n = 0;
  let px = 0;
  while (px < pattern.length) {
    let p = decodeAt(binary, pattern, px);
    let code = p & CP_MASK;
    const isEscape = code === escape;
    if (isEscape && px + (p >>> LEN_SHIFT) < pattern.length) {
      px += p >>> LEN_SHIFT;
      p = decodeAt(binary, pattern, px);
      code = p & CP_MASK;
    }
    px += p >>> LEN_SHIFT;
    kinds[n] = isEscape ? LITERAL : code === UNDERSCORE ? ANY_ONE : code === PERCENT ? ANY_MANY : LITERAL;
    chars[n] = code;
    n++;
  }
  return { kinds, chars, length: n };
}

/** {@link matchDirect} over a compiled pattern: the same scan, with tokens for pattern positions. */
function matchCompiled(meta: LikeMetadata, target: Uint8Array, pat: CompiledPattern): boolean {
  const binary = meta.mode === Mode.Bytes || meta.mode === Mode.CollatorBytes;
  const { kinds, chars, length: plen } = pat;
  const tlen = target.length;
  let pi = 0;
  let tx = 0;
  let nextPi = 0;
  let nextTx = 0;
  while (pi < plen || tx < tlen) {
    if (pi < plen) {
      const kind = kinds[pi];
      if (kind === ANY_ONE) {
        if (tx < tlen) {
          const t = decodeAt(binary, target, tx);
          tx += t >>> LEN_SHIFT;
          pi++;
          continue;
        }
      } else if (kind === ANY_MANY) {
        pi++;
        nextPi = pi;
        if (nextPi >= plen) return true;
        nextTx = tx;
        continue;
      } else if (tx < tlen) {
        const t = decodeAt(binary, target, tx);
        if (literalEqual(meta, t & CP_MASK, chars[pi])) {
          tx += t >>> LEN_SHIFT;
          pi++;
          continue;
        }
      }
    }
    if (nextPi > 0 && nextTx < tlen) {
      const t = decodeAt(binary, target, nextTx);
      nextTx += t >>> LEN_SHIFT;
      pi = nextPi;
      tx = nextTx;
      continue;
    }
    return false;
  }
  return true;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** TiKV casts the escape argument `as u32`. */
function escapeCode(escape: bigint): number {
  return Number(BigInt.asUintN(32, escape));
}

type Expr = tipb.Expr.$Properties;

const isUca = (c: Collation) => c === Collation.Utf8Mb4UnicodeCi || c === Collation.Utf8Mb40900AiCi;

/** A constant argument's value bytes, or null when the child is not a constant of that kind. */
function constBytesOf(e: Expr | undefined): Uint8Array | null {
  if (e === undefined) return null;
  if (e.tp === tipb.ExprType.String || e.tp === tipb.ExprType.Bytes) return e.val ?? new Uint8Array(0);
  return null;
}

function constIntOf(e: Expr | undefined): bigint | null {
  if (e === undefined || (e.tp !== tipb.ExprType.Int64 && e.tp !== tipb.ExprType.Uint64)) return null;
  const val = e.val;
  if (val == null || val.length !== 8) return null;
  const r = new ByteReader(val, "like escape");
  return e.tp === tipb.ExprType.Int64 ? readI64(r) : BigInt.asIntN(64, readU64(r));
}

/** Chooses the matching mode from the collation ids (TiKV `map_like_sig`); compiles a constant pattern. */
export function likeMetadata(expr: Expr): LikeMetadata {
  const retId = expr.fieldType?.collate ?? Collation.Binary;
  const children = expr.children ?? [];
  const ret = collationFromId(retId);
  const target = collationFromId(children[0]?.fieldType?.collate ?? Collation.Binary);
  const pattern = collationFromId(children[1]?.fieldType?.collate ?? Collation.Binary);
  let mode: Mode;
  let collator: Collator | null = null;
  if (retId >= 0) {
    mode = Mode.Runes;
  } else {
    const c = collatorFor(ret);
    switch (c.likeMode) {
      case "bytes":
        mode = Mode.Bytes;
        break;
      case "binaryRunes":
        mode = Mode.Runes;
        break;
      default: {
        collator = c;
        // Decoded with the arguments' charset when they share one, else the result's (UTF-8).
        const binaryCharset = (x: Collation) => collatorFor(x).charset === "binary";
        const tb = binaryCharset(target);
        mode = tb === binaryCharset(pattern) && tb ? Mode.CollatorBytes : Mode.CollatorRunes;
      }
    }
  }
  const base = {
    mode,
    collator,
    nonAsciiBytesEqual: !isUca(ret),
    constPattern: null,
    constEscape: null,
    compiled: null,
  };
  const p = constBytesOf(children[1]);
  const e = constIntOf(children[2]);
  if (p === null || e === null) return base;
  return { ...base, constPattern: p, constEscape: e, compiled: compile(base, p, escapeCode(e)) };
}

/** Whether `target` LIKE `pattern` ESCAPE `escape`, under the expression's collation rules. */
export function likeMatch(
  meta: LikeMetadata,
  target: Uint8Array,
  pattern: Uint8Array,
  escape: bigint,
): boolean {
  if (
    meta.compiled !== null &&
    escape === meta.constEscape &&
    sameBytes(pattern, meta.constPattern as Uint8Array)
  ) {
    return matchCompiled(meta, target, meta.compiled);
  }
  return matchDirect(meta, target, pattern, escapeCode(escape));
}

/**
 * A constant pattern made of ASCII literals and `%` only, in a mode where characters compare by
 * value (bytes, or code points of UTF-8): matching is then a search for the literal pieces in
 * order, on bytes — an ASCII byte never occurs inside a multi-byte UTF-8 sequence, so a byte match
 * is a character match. Null for any other pattern.
 */
interface PiecesPattern {
  readonly pieces: readonly Uint8Array[];
  readonly anchoredStart: boolean;
  readonly anchoredEnd: boolean;
}

function piecesOf(meta: LikeMetadata): PiecesPattern | null {
  const pat = meta.compiled;
  if (pat === null || (meta.mode !== Mode.Bytes && meta.mode !== Mode.Runes)) return null;
  const pieces: Uint8Array[] = [];
  let cur: number[] = [];
  for (let i = 0; i < pat.length; i++) {
    const kind = pat.kinds[i];
    if (kind === ANY_ONE) return null;
    if (kind === ANY_MANY) {
      pieces.push(Uint8Array.from(cur));
      cur = [];
      continue;
    }
    const c = pat.chars[i]!;
    if (c >= 0x80) return null;
    cur.push(c);
  }
  pieces.push(Uint8Array.from(cur));
  // pieces[0] is before the first %, the last one after the last % (either may be empty).
  return {
    pieces,
    anchoredStart: pat.length > 0 && pat.kinds[0] !== ANY_MANY,
    anchoredEnd: pat.length > 0 && pat.kinds[pat.length - 1] !== ANY_MANY,
  };
}

/** The first position >= from in `s[from, end)` where `needle` starts, or -1. */
function find(s: Uint8Array, from: number, end: number, needle: Uint8Array): number {
  const n = needle.length;
  if (n === 0) return from;
  const first = needle[0]!;
  for (let i = from, last = end - n; i <= last; i++) {
    if (s[i] !== first) continue;
    let j = 1;
    while (j < n && s[i + j] === needle[j]) j++;
    if (j === n) return i;
  }
  return -1;
}

/** `s[start, end)` LIKE the pieces pattern. */
function matchPieces(p: PiecesPattern, s: Uint8Array, start: number, end: number): boolean {
  const pieces = p.pieces;
  const k = pieces.length;
  if (k === 1) {
    // No %: the whole value must equal the literal.
    const lit = pieces[0]!;
    if (end - start !== lit.length) return false;
    for (let i = 0; i < lit.length; i++) if (s[start + i] !== lit[i]) return false;
    return true;
  }
  let pos = start;
  const head = pieces[0]!;
  if (head.length > 0) {
    if (end - pos < head.length) return false;
    for (let i = 0; i < head.length; i++) if (s[pos + i] !== head[i]) return false;
    pos += head.length;
  }
  const tail = pieces[k - 1]!;
  const tailStart = end - tail.length;
  if (tailStart < pos) return false;
  for (let i = 0; i < tail.length; i++) if (s[tailStart + i] !== tail[i]) return false;
  // Middle pieces, leftmost first, inside [pos, tailStart).
  for (let m = 1; m < k - 1; m++) {
    const at = find(s, pos, tailStart, pieces[m]!);
    if (at < 0) return false;
    pos = at + pieces[m]!.length;
  }
  return true;
}

/** The vectorized LIKE: a Bytes column against a constant `%`-and-literals pattern. */
function likeVector(call: VectorCall<LikeMetadata>): ChunkedVecInt | null {
  const [t, p, e] = call.args;
  if (t!.column === undefined || p!.column !== undefined || e!.column !== undefined) return null;
  if (!(t!.column instanceof ChunkedVecBytes)) return null;
  const meta = call.metadata;
  if (p!.scalar === null || e!.scalar === null) return null;
  const pieces = (meta as LikeMetadataWithPieces).pieces;
  if (
    pieces === null ||
    e!.scalar !== meta.constEscape ||
    !sameBytes(p!.scalar as Uint8Array, meta.constPattern!)
  ) {
    return null;
  }
  const col = t!.column;
  const rows = t!.rows;
  const n = call.rows;
  const data = col.data;
  const offs = col.offsets;
  const out = new Float64Array(n);
  const validity = col.nullCount > 0 ? new Uint8Array((n + 7) >>> 3) : null;
  let nulls = 0;
  for (let k = 0; k < n; k++) {
    const r = rows === null ? k : rows[k]!;
    if (validity !== null) {
      if (col.isNull(r)) {
        nulls++;
        continue;
      }
      validity[k >>> 3]! |= 1 << (k & 7);
    }
    out[k] = matchPieces(pieces, data, offs[r]!, offs[r + 1]!) ? 1 : 0;
  }
  return new ChunkedVecInt({ repr: "f64", values: out }, false, nulls > 0 ? validity : null, nulls);
}

interface LikeMetadataWithPieces extends LikeMetadata {
  readonly pieces: PiecesPattern | null;
}

function likeMetadataWithPieces(expr: Expr): LikeMetadataWithPieces {
  const meta = likeMetadata(expr);
  return { ...meta, pieces: piecesOf(meta) };
}

/** Pattern matching. TiKV maps only LikeSig (IlikeSig is not pushed down to TiKV). */
export class LikeFns {
  /** `target LIKE pattern ESCAPE escape`: 1/0, NULL when an argument is NULL. */
  @rpnFn({
    sig: S.LikeSig,
    args: [Bytes, Bytes, Int],
    ret: Int,
    nonnull: true,
    metadata: likeMetadataWithPieces,
  })
  static like(meta: LikeMetadata, target: Uint8Array, pattern: Uint8Array, escape: bigint): bigint {
    return likeMatch(meta, target, pattern, escape) ? 1n : 0n;
  }

  @rpnVectorFn(S.LikeSig)
  static likeVector(call: VectorCall<LikeMetadata>): ChunkedVecInt | null {
    return likeVector(call);
  }
}
