// The coprocessor's Checksum request (TiKV src/coprocessor/checksum.rs): CRC-64/XZ of every
// visible key-value pair of the ranges, XORed together, with BR's prefix rewrite rule applied.
import { tipb } from "@copr/proto";
import type { KeyRange, KvPair } from "@copr/storage";

/** What a checksum reads of a snapshot: forward scans. */
export interface ChecksumSource {
  scan(range: KeyRange, desc: boolean): { next(): KvPair | null };
}

// CRC-64/XZ (ECMA-182 polynomial, reflected, init and xorout all ones), table-driven over two
// 32-bit halves so the per-byte loop allocates nothing and needs no BigInt.
const TABLE_LO = new Uint32Array(256);
const TABLE_HI = new Uint32Array(256);
{
  const polyLo = 0xd7870f42;
  const polyHi = 0xc96c5795; // 0xC96C5795D7870F42, the reflected polynomial
  for (let i = 0; i < 256; i++) {
    let lo = i;
    let hi = 0;
    for (let b = 0; b < 8; b++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) {
        lo = (lo ^ polyLo) >>> 0;
        hi = (hi ^ polyHi) >>> 0;
      }
    }
    TABLE_LO[i] = lo;
    TABLE_HI[i] = hi;
  }
}

/** A running CRC-64/XZ: `update` with bytes, `clone` to branch, `sum` for the value. */
export class Crc64 {
  // The register, pre-inverted (init all ones).
  private lo = 0xffffffff;
  private hi = 0xffffffff;

  update(bytes: Uint8Array): this {
    let lo = this.lo;
    let hi = this.hi;
    for (let i = 0; i < bytes.length; i++) {
      const idx = (lo ^ bytes[i]!) & 0xff;
      lo = (((lo >>> 8) | (hi << 24)) ^ TABLE_LO[idx]!) >>> 0;
      hi = ((hi >>> 8) ^ TABLE_HI[idx]!) >>> 0;
    }
    this.lo = lo;
    this.hi = hi;
    return this;
  }

  clone(): Crc64 {
    const c = new Crc64();
    c.lo = this.lo;
    c.hi = this.hi;
    return c;
  }

  /** The CRC of everything written so far (xorout applied). */
  sum(): bigint {
    return (BigInt(~this.hi >>> 0) << 32n) | BigInt(~this.lo >>> 0);
  }

  /** The two 32-bit halves of {@link sum}, without BigInt. */
  sumWords(): [hi: number, lo: number] {
    return [~this.hi >>> 0, ~this.lo >>> 0];
  }
}

/** CRC-64/XZ of `bytes`. */
export function crc64(bytes: Uint8Array): bigint {
  return new Crc64().update(bytes).sum();
}

/** The result of a checksum (tipb.ChecksumResponse). */
export interface ChecksumResult {
  checksum: bigint;
  totalKvs: number;
  totalBytes: number;
}

function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  if (key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}

/**
 * Runs a checksum request over a snapshot: each pair contributes
 * `crc64(old_prefix ‖ key[new_prefix.length..] ‖ value)`, XORed into the checksum; a key without
 * the rule's new prefix fails the request as in TiKV ("Wrong prefix expect: [..]"). Calls
 * `checkDeadline` every 1024 pairs.
 */
export function runChecksum(
  req: tipb.ChecksumRequest.$Properties,
  snapshot: ChecksumSource,
  ranges: readonly { start: Uint8Array; end: Uint8Array }[],
  checkDeadline?: () => void,
): ChecksumResult {
  const algorithm = req.algorithm ?? tipb.ChecksumAlgorithm.Crc64_Xor;
  if (algorithm !== tipb.ChecksumAlgorithm.Crc64_Xor) {
    throw new Error(`unknown checksum algorithm ${algorithm}`);
  }
  const oldPrefix = req.rule?.oldPrefix ?? new Uint8Array(0);
  const newPrefix = req.rule?.newPrefix ?? new Uint8Array(0);
  const prefixDigest = new Crc64().update(oldPrefix);
  let hi = 0;
  let lo = 0;
  let totalKvs = 0;
  let totalBytes = 0;
  for (const range of ranges) {
    const it = snapshot.scan(range, false);
    for (let kv = it.next(); kv !== null; kv = it.next()) {
      if (!startsWith(kv.key, newPrefix)) {
        throw new Error(`Wrong prefix expect: [${Array.from(newPrefix).join(", ")}]`);
      }
      const d = prefixDigest.clone().update(kv.key.subarray(newPrefix.length)).update(kv.value);
      const [h, l] = d.sumWords();
      hi = (hi ^ h) >>> 0;
      lo = (lo ^ l) >>> 0;
      totalKvs++;
      totalBytes += kv.key.length + kv.value.length + oldPrefix.length - newPrefix.length;
      if ((totalKvs & 1023) === 0) checkDeadline?.();
    }
  }
  return { checksum: (BigInt(hi) << 32n) | BigInt(lo), totalKvs, totalBytes };
}
