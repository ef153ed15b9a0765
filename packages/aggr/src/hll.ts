// The HyperLogLog sketch behind APPROX_COUNT_DISTINCT (Flajolet et al. 2007), with Otmar Ertl's
// improved estimator ("New cardinality estimation algorithms for HyperLogLog sketches", 2017,
// algorithm 6), which needs neither bias tables nor a switch to linear counting.
//
// - Precision p = 14: m = 2^14 = 16384 registers, relative standard error ≈ 1.04 / √m ≈ 0.81 %.
// - Hash: 64 bits, the first two words (h1 · 2^32 + h2) of MurmurHash3_x86_128 with seed 0 over
//   the value's canonical key bytes (see row-key.ts). Register index = the top 14 bits; register
//   value = 1 + the number of leading zeros of the other 50 bits (1 .. 51).
// - Merge: register-wise maximum. The merge of two sketches is exactly the sketch of the union of
//   their inputs, in any order and any grouping.
// - Serialized form (a BINARY string):
//     byte 0  format version, 1
//     byte 1  precision, 14
//     byte 2  0 = sparse, 1 = dense
//     sparse: (u16 big-endian register index, u8 value) per non-zero register, ascending index
//     dense:  m bytes, register values in index order
//   The writer picks sparse while it is shorter (fewer than m/3 non-zero registers); a reader
//   accepts both. An empty sketch is the three header bytes.
import { CodecError } from "@copr/datatype";
import { murmur3x86_128, murmurOut } from "./murmur3.js";

/** The precision (index bits) of copr's sketches. */
export const HLL_PRECISION = 14;
/** Registers per sketch. */
export const HLL_REGISTERS = 1 << HLL_PRECISION;
/** The sketch format version written in byte 0. */
export const HLL_FORMAT_VERSION = 1;

const Q = 64 - HLL_PRECISION; // hash bits after the index
const LOW_BITS = 32 - HLL_PRECISION; // index bits come from h1; its low 18 bits start the rank
const LOW_MASK = (1 << LOW_BITS) - 1;
/** Beyond this many non-zero registers the in-memory sketch switches from a map to an array. */
const SPARSE_LIMIT = HLL_REGISTERS >>> 3;

/** A HyperLogLog sketch of precision {@link HLL_PRECISION}. */
export class HyperLogLog {
  /** Non-zero registers while few (index → value); null once dense. */
  private sparse: Map<number, number> | null = new Map();
  private dense: Uint8Array | null = null;

  /** Adds a value by its canonical key bytes. */
  addBytes(key: Uint8Array): void {
    murmur3x86_128(key);
    this.addHash(murmurOut[0]!, murmurOut[1]!);
  }

  /** Adds a value by its 64-bit hash, given as the high and low unsigned 32-bit words. */
  addHash(hi: number, lo: number): void {
    const index = hi >>> LOW_BITS;
    const w = hi & LOW_MASK;
    let rank: number;
    if (w !== 0) rank = Math.clz32(w) - HLL_PRECISION + 1;
    else if (lo !== 0) rank = LOW_BITS + Math.clz32(lo) + 1;
    else rank = Q + 1;
    this.setMax(index, rank);
  }

  private setMax(index: number, value: number): void {
    const d = this.dense;
    if (d !== null) {
      if (value > d[index]!) d[index] = value;
      return;
    }
    const s = this.sparse!;
    const cur = s.get(index);
    if (cur === undefined) {
      s.set(index, value);
      if (s.size > SPARSE_LIMIT) this.densify();
    } else if (value > cur) {
      s.set(index, value);
    }
  }

  private densify(): void {
    const d = new Uint8Array(HLL_REGISTERS);
    for (const [i, v] of this.sparse!) d[i] = v;
    this.dense = d;
    this.sparse = null;
  }

  /** The register values (a fresh array of m bytes). */
  registers(): Uint8Array {
    if (this.dense !== null) return this.dense.slice();
    const d = new Uint8Array(HLL_REGISTERS);
    for (const [i, v] of this.sparse!) d[i] = v;
    return d;
  }

  /** Number of non-zero registers. */
  nonZero(): number {
    if (this.sparse !== null) return this.sparse.size;
    let n = 0;
    for (const v of this.dense!) if (v !== 0) n++;
    return n;
  }

  /** Merges `other` into this sketch (register-wise maximum). */
  merge(other: HyperLogLog): void {
    if (other.dense !== null) {
      const o = other.dense;
      for (let i = 0; i < HLL_REGISTERS; i++) if (o[i]! !== 0) this.setMax(i, o[i]!);
    } else {
      for (const [i, v] of other.sparse!) this.setMax(i, v);
    }
  }

  /** The estimated number of distinct values added (a non-negative double; round it). */
  estimate(): number {
    const m = HLL_REGISTERS;
    const counts = new Float64Array(Q + 2);
    if (this.dense !== null) {
      for (const v of this.dense) counts[v]!++;
    } else {
      counts[0] = m - this.sparse!.size;
      for (const v of this.sparse!.values()) counts[v]!++;
    }
    if (counts[0] === m) return 0;
    let z = m * tau(1 - counts[Q + 1]! / m);
    for (let k = Q; k >= 1; k--) z = 0.5 * (z + counts[k]!);
    z += m * sigma(counts[0]! / m);
    return (ALPHA_INF * m * m) / z;
  }

  /** The serialized sketch (see the file header). */
  serialize(): Uint8Array {
    const n = this.nonZero();
    if (3 * n < HLL_REGISTERS) {
      const out = new Uint8Array(3 + 3 * n);
      out[0] = HLL_FORMAT_VERSION;
      out[1] = HLL_PRECISION;
      out[2] = 0;
      const entries: [number, number][] = this.sparse !== null ? [...this.sparse] : denseEntries(this.dense!);
      entries.sort((a, b) => a[0] - b[0]);
      let o = 3;
      for (const [i, v] of entries) {
        out[o++] = i >>> 8;
        out[o++] = i & 0xff;
        out[o++] = v;
      }
      return out;
    }
    const out = new Uint8Array(3 + HLL_REGISTERS);
    out[0] = HLL_FORMAT_VERSION;
    out[1] = HLL_PRECISION;
    out[2] = 1;
    out.set(this.registers(), 3);
    return out;
  }

  /** Reads a serialized sketch; a CodecError for anything not written by {@link serialize}'s rules. */
  static deserialize(bytes: Uint8Array): HyperLogLog {
    const bad = (detail: string) => new CodecError("HyperLogLog sketch", detail);
    if (bytes.length < 3) throw bad(`${bytes.length} bytes, shorter than the header`);
    if (bytes[0] !== HLL_FORMAT_VERSION) throw bad(`unknown format version ${bytes[0]}`);
    if (bytes[1] !== HLL_PRECISION) throw bad(`precision ${bytes[1]}, expected ${HLL_PRECISION}`);
    const h = new HyperLogLog();
    const check = (v: number) => {
      if (v > Q + 1) throw bad(`register value ${v} above ${Q + 1}`);
    };
    if (bytes[2] === 0) {
      if ((bytes.length - 3) % 3 !== 0) throw bad("a sparse body is not whole (index, value) triples");
      for (let o = 3; o < bytes.length; o += 3) {
        const v = bytes[o + 2]!;
        check(v);
        if (v !== 0) h.setMax((bytes[o]! << 8) | bytes[o + 1]!, v);
      }
      return h;
    }
    if (bytes[2] !== 1) throw bad(`unknown encoding ${bytes[2]}`);
    if (bytes.length !== 3 + HLL_REGISTERS) throw bad(`a dense body of ${bytes.length - 3} bytes`);
    const d = bytes.slice(3);
    for (const v of d) check(v);
    h.dense = d;
    h.sparse = null;
    return h;
  }
}

function denseEntries(d: Uint8Array): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) out.push([i, d[i]!]);
  return out;
}

const ALPHA_INF = 1 / (2 * Math.LN2);

/** σ(x) = x + Σ_{k≥1} x^(2^k) · 2^(k−1) (Ertl), for the share of empty registers. */
function sigma(x: number): number {
  if (x === 1) return Number.POSITIVE_INFINITY;
  let y = 1;
  let z = x;
  for (;;) {
    x *= x;
    const prev = z;
    z += x * y;
    y += y;
    if (z === prev) return z;
  }
}

/** τ(x) = (1 − x − Σ_{k≥1} (1 − x^(2^−k))² · 2^−k) / 3 (Ertl), for the share of saturated registers. */
function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  for (;;) {
    x = Math.sqrt(x);
    const prev = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
    if (z === prev) return z / 3;
  }
}
