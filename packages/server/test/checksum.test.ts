// CRC-64/XZ and the checksum request, against values computed independently here: a bit-at-a-time
// BigInt CRC (no table) and the catalogue check value of "123456789".
import type { tipb } from "@copr/proto";
import { describe, expect, it } from "vitest";
import { crc64, runChecksum } from "../src/checksum.js";

/** CRC-64/XZ one bit at a time, straight from its definition. */
function slowCrc64(bytes: Uint8Array): bigint {
  const poly = 0xc96c5795d7870f42n;
  let crc = 0xffffffffffffffffn;
  for (const b of bytes) {
    crc ^= BigInt(b);
    for (let i = 0; i < 8; i++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc ^ 0xffffffffffffffffn;
}

const enc = (s: string) => new TextEncoder().encode(s);
const cat = (...parts: Uint8Array[]) => Buffer.concat(parts);

function snapshotOf(pairs: [string, string][]) {
  const sorted = pairs
    .map(([k, v]) => ({ key: enc(k), value: enc(v) }))
    .sort((a, b) => Buffer.compare(a.key, b.key));
  return {
    get: () => null,
    release: () => {},
    scan(range: { start: Uint8Array; end: Uint8Array }) {
      const inRange = sorted.filter(
        (p) =>
          Buffer.compare(p.key, range.start) >= 0 &&
          (range.end.length === 0 || Buffer.compare(p.key, range.end) < 0),
      );
      let i = 0;
      return { next: () => inRange[i++] ?? null };
    },
  };
}

describe("crc64", () => {
  it("has the CRC-64/XZ check value", () => {
    expect(crc64(enc("123456789"))).toBe(0x995dc9bbdf1939fan);
    expect(crc64(new Uint8Array(0))).toBe(0n);
  });
  it("matches the bitwise definition on assorted inputs", () => {
    for (let n = 0; n < 40; n++) {
      const b = Uint8Array.from({ length: n * 7 }, (_, i) => (i * 131 + n * 17) & 0xff);
      expect(crc64(b)).toBe(slowCrc64(b));
    }
  });
});

describe("runChecksum", () => {
  const pairs: [string, string][] = [
    ["t_a1", "x"],
    ["t_a2", "yy"],
    ["t_b1", "zzz"],
  ];
  const all = [{ start: new Uint8Array(0), end: new Uint8Array(0) }];

  it("XORs crc64(key ‖ value) of each pair without a rule", () => {
    const r = runChecksum({}, snapshotOf(pairs), all);
    const expected = pairs.reduce((acc, [k, v]) => acc ^ slowCrc64(cat(enc(k), enc(v))), 0n);
    expect(r).toEqual({ checksum: expected, totalKvs: 3, totalBytes: 4 + 1 + 4 + 2 + 4 + 3 });
  });

  it("rewrites new_prefix to old_prefix in the digest and the byte count", () => {
    const rule = { oldPrefix: enc("OLD"), newPrefix: enc("t_") };
    const r = runChecksum({ rule }, snapshotOf(pairs), all);
    const expected = pairs.reduce(
      (acc, [k, v]) => acc ^ slowCrc64(cat(enc("OLD"), enc(k.slice(2)), enc(v))),
      0n,
    );
    expect(r.checksum).toBe(expected);
    expect(r.totalBytes).toBe(4 + 1 + 4 + 2 + 4 + 3 + 3 * (3 - 2));
  });

  it("fails on a key without the new prefix, and only the given ranges count", () => {
    expect(() =>
      runChecksum({ rule: { oldPrefix: enc(""), newPrefix: enc("t_a") } }, snapshotOf(pairs), all),
    ).toThrow("Wrong prefix expect: [116, 95, 97]");
    const r = runChecksum({}, snapshotOf(pairs), [{ start: enc("t_a"), end: enc("t_b") }]);
    expect(r.totalKvs).toBe(2);
    expect(() => runChecksum({ algorithm: 7 as tipb.ChecksumAlgorithm }, snapshotOf(pairs), all)).toThrow(
      /unknown checksum algorithm/,
    );
  });
});
