import { describe, expect, it } from "vitest";
import {
  appendTs,
  BadFormatError,
  decodeKeyTs,
  encodeLock,
  encodeUserKey,
  encodeWrite,
  newLock,
  newRollback,
  newWrite,
  parseLock,
  parseWrite,
} from "../src/index.js";
import { enc } from "./helpers.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("key layout", () => {
  it("appends !ts big-endian to the memcomparable user key", () => {
    const k = appendTs(encodeUserKey(enc("a")), 1n);
    // "a" padded to 8 bytes, marker 0xff - 7 = 0xf8, then !1 = 0xff..fe.
    expect(hex(k)).toBe("6100000000000000f8" + "fffffffffffffffe");
    expect(decodeKeyTs(k)).toBe(1n);
    const big = 421397468076048385n;
    expect(decodeKeyTs(appendTs(encodeUserKey(enc("abc")), big))).toBe(big);
  });
  it("orders newer versions first", () => {
    const e = encodeUserKey(enc("k"));
    expect(Buffer.compare(appendTs(e, 10n), appendTs(e, 5n))).toBe(-1);
  });
});

describe("lock layout (txn_types lock.rs)", () => {
  it("encodes a put lock with a short value byte for byte", () => {
    const l = newLock("Put", enc("pk"), 10n, 3000n);
    l.shortValue = enc("v1");
    // 'P', compact "pk" (zig-zag len 4), varint 10, varint 3000 = b8 17, 'v' 2 "v1".
    expect(hex(encodeLock(l))).toBe("50" + "04706b" + "0a" + "b817" + "76027631");
  });
  it("encodes optional fields in TiKV's order", () => {
    const l = newLock("Lock", enc("p"), 1n, 2n);
    l.forUpdateTs = 3n;
    l.txnSize = 4n;
    l.minCommitTs = 5n;
    l.useAsyncCommit = true;
    l.secondaries = [enc("s")];
    l.rollbackTs = [6n];
    const u64 = (n: number) => n.toString(16).padStart(16, "0");
    expect(hex(encodeLock(l))).toBe(`4c0270010266${u64(3)}74${u64(4)}63${u64(5)}610102737201${u64(6)}`);
    expect(parseLock(encodeLock(l))).toEqual(l);
  });
  it("round-trips every kind and ignores unknown trailing bytes", () => {
    for (const kind of ["Put", "Delete", "Lock", "Pessimistic"] as const) {
      const l = newLock(kind, enc("primary"), 1n << 40n, 100n);
      l.generation = 7n;
      l.txnSource = 9n;
      l.lastChangeTs = 8n;
      l.versionsToLastChange = 2n;
      const b = encodeLock(l);
      expect(parseLock(b)).toEqual(l);
      expect(parseLock(Uint8Array.from([...b, 0x7a, 1, 2]))).toEqual(l);
    }
  });
  it("rejects corrupt locks with BadFormatError", () => {
    expect(() => parseLock(new Uint8Array(0))).toThrow(BadFormatError);
    expect(() => parseLock(Uint8Array.of(0x58, 0))).toThrow(/unknown lock type/);
    expect(() => parseLock(Uint8Array.of(0x50, 0x08, 1))).toThrow(BadFormatError);
  });
});

describe("write layout (txn_types write.rs)", () => {
  it("encodes records byte for byte", () => {
    expect(hex(encodeWrite(newWrite("Put", 5n, enc("v"))))).toBe("50" + "05" + "760176");
    expect(hex(encodeWrite(newWrite("Delete", 1n << 20n, null)))).toBe("44" + "808040");
    expect(hex(encodeWrite(newRollback(7n, true)))).toBe("52" + "07" + "760170");
    const w = newWrite("Put", 123n, null);
    w.hasOverlappedRollback = true;
    w.gcFence = 1234567n;
    expect(hex(encodeWrite(w))).toBe(`507b5246${(1234567).toString(16).padStart(16, "0")}`);
  });
  // The cases of TiKV write.rs test_write: to_bytes and parse work as a pair.
  it("round-trips TiKV's test_write cases", () => {
    const cases = [
      newWrite("Put", 0n, enc("short_value")),
      newWrite("Delete", 1n << 20n, null),
      newRollback(1n << 40n, true),
      newWrite("Rollback", 1n << 41n, null),
      { ...newWrite("Put", 123n, null), hasOverlappedRollback: true },
      { ...newWrite("Put", 123n, null), hasOverlappedRollback: true, gcFence: 1234567n },
      { ...newWrite("Put", 456n, enc("short_value")), hasOverlappedRollback: true, gcFence: 0n },
      {
        ...newWrite("Put", 456n, enc("short_value")),
        hasOverlappedRollback: true,
        gcFence: 421397468076048385n,
      },
      { ...newWrite("Lock", 456n, null), lastChangeTs: 345n, versionsToLastChange: 11n },
      { ...newWrite("Lock", 456n, null), versionsToLastChange: 1n },
      { ...newWrite("Lock", 456n, null), txnSource: 1n },
    ];
    for (const w of cases) expect(parseWrite(encodeWrite(w))).toEqual(w);
  });
  it("handles incorrect input as TiKV does", () => {
    expect(() => parseWrite(new Uint8Array(0))).toThrow(BadFormatError);
    const w = newWrite("Lock", 1n, enc("short_value"));
    const b = encodeWrite(w);
    expect(() => parseWrite(b.subarray(0, 1))).toThrow(BadFormatError);
    expect(parseWrite(Uint8Array.from([...b, ...enc("unknown")]))).toEqual(w);
  });
});
