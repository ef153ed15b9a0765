// Table keys, key ranges and index values. Byte vectors are worked out by hand from the layouts in
// TiKV codec/table.rs and TiDB pkg/tablecodec/tablecodec.go (GenIndexValuePortal's comment).
import { CodecError, isCoprError } from "@copr/datatype";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Datum } from "../src/datum.js";
import {
  checkIndexKey,
  checkRecordKey,
  decodeCommonHandle,
  decodeIndexKey,
  decodeIndexKeyDatums,
  decodeIntHandle,
  decodeIntHandleNumber,
  decodeTableId,
  encodeCommonHandleRecordKey,
  encodeIndexKey,
  encodeIndexKeyDatums,
  encodeIndexValue,
  encodeRecordKey,
  type IndexValueSpec,
  indexValueVersion,
  intHandleRange,
  isIndexKey,
  isRecordKey,
  prefixNext,
  splitIndexValue,
  tableIndexRange,
  tableIntHandleRange,
  tableRecordRange,
} from "../src/table.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s+/g, ""), "hex"));
const cmp = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const I64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });

describe("record keys", () => {
  it("t{table_id}_r{handle} with memcomparable ids", () => {
    // 't' = 74, table 1 = 80 00 .. 01 (sign bit flipped), "_r" = 5f 72, handle -1 = 7f ff .. ff
    expect(hex(encodeRecordKey(1, -1))).toBe("74" + "8000000000000001" + "5f72" + "7fffffffffffffff");
    expect(hex(encodeRecordKey(1n << 40n, 2n ** 63n - 1n))).toBe(
      "74" + "8000010000000000" + "5f72" + "ffffffffffffffff",
    );
  });

  it("decode what they encode, over the whole i64 range", () => {
    fc.assert(
      fc.property(I64, I64, (t, h) => {
        const key = encodeRecordKey(t, h);
        expect(decodeTableId(key)).toBe(t);
        expect(decodeIntHandle(key)).toBe(h);
        const n = decodeIntHandleNumber(key);
        expect(n).toBe(h >= -(2n ** 53n - 1n) && h <= 2n ** 53n - 1n ? Number(h) : null);
        expect(isRecordKey(key) && !isIndexKey(key)).toBe(true);
      }),
    );
  });

  it("sort by table id, then handle", () => {
    fc.assert(
      fc.property(I64, I64, I64, I64, (t1, h1, t2, h2) => {
        const want = t1 === t2 ? Math.sign(Number(h1 - h2)) : Math.sign(Number(t1 - t2));
        expect(Math.sign(cmp(encodeRecordKey(t1, h1), encodeRecordKey(t2, h2)))).toBe(want);
      }),
    );
  });

  it("common handles are kept as given", () => {
    const handle = bytes("038000000000000001"); // one INT datum (flag 3) in key form: 1
    const key = encodeCommonHandleRecordKey(5, handle);
    expect(hex(key)).toBe("74" + "8000000000000005" + "5f72" + "038000000000000001");
    expect(hex(decodeCommonHandle(key))).toBe(hex(handle));
  });

  it("reject keys that are not record keys, naming the offset", () => {
    const idx = encodeIndexKey(1, 2, bytes("03"));
    expect(() => checkRecordKey(idx)).toThrow(/not a record key.*at offset 9/);
    expect(() => checkRecordKey(bytes("7480"))).toThrow(CodecError);
    expect(() => decodeIntHandle(bytes("78"))).toThrow(/no 't' prefix/);
    expect(() => decodeIntHandle(encodeRecordKey(1, 1).subarray(0, 18))).toThrow(/truncated/);
    expect(() => decodeIntHandle(new Uint8Array([...encodeRecordKey(1, 1), 0]))).toThrow(/1 bytes after/);
    expect(() => decodeCommonHandle(encodeCommonHandleRecordKey(1, new Uint8Array()))).toThrow(/empty/);
  });
});

describe("index keys", () => {
  it("t{table_id}_i{index_id}{datums}", () => {
    const key = encodeIndexKey(1, 3, bytes("038000000000000001"));
    expect(hex(key)).toBe("74" + "8000000000000001" + "5f69" + "8000000000000003" + "038000000000000001");
    expect(decodeIndexKey(key)).toEqual({ tableId: 1n, indexId: 3n, valuesOffset: 19 });
    expect(() => checkIndexKey(key)).not.toThrow();
    expect(() => checkIndexKey(encodeRecordKey(1, 1))).toThrow(/not a index key/);
    expect(isIndexKey(key)).toBe(true);
  });

  it("with datums: a non-unique index on (a INT, b VARCHAR) holding (-1, 'ab') for handle 10", () => {
    const key = encodeIndexKeyDatums(1, 2, [Datum.int(-1), Datum.bytes("ab"), Datum.int(10)]);
    expect(hex(key)).toBe(
      "74" +
        "8000000000000001" +
        "5f69" +
        "8000000000000002" +
        "03" +
        "7fffffffffffffff" + // INT_FLAG, -1 memcomparable
        "01" +
        "6162000000000000" +
        "f9" + // BYTES_FLAG, "ab" in one group padded with 6 zeros, marker 255 - 6
        "03" +
        "800000000000000a", // the handle as an INT datum
    );
    const back = decodeIndexKeyDatums(key);
    expect(back.map((d) => d.kind)).toEqual(["int", "bytes", "int"]);
    expect(back[2]).toEqual(Datum.int(10));
  });
});

describe("ranges", () => {
  it("prefixNext as TiKV's convert_to_prefix_next", () => {
    // Cases of TiKV components/tidb_query_common/src/util.rs tests.
    expect(hex(prefixNext(bytes("")))).toBe("00");
    expect(hex(prefixNext(bytes("00")))).toBe("01");
    expect(hex(prefixNext(bytes("01")))).toBe("02");
    expect(hex(prefixNext(bytes("ff")))).toBe("ff00");
    expect(hex(prefixNext(bytes("00ff")))).toBe("0100");
    expect(hex(prefixNext(bytes("0102ffff")))).toBe("01030000");
    expect(hex(prefixNext(bytes("ffff")))).toBe("ffff00");
  });

  it("prefixNext bounds every key with the prefix (unless the prefix is empty or all 0xff)", () => {
    // For those TiKV returns the key with a 0 appended: the next key, but no upper bound.
    const prefix = fc.uint8Array({ minLength: 1, maxLength: 6 }).filter((p) => p.some((b) => b !== 0xff));
    fc.assert(
      fc.property(prefix, fc.uint8Array({ maxLength: 4 }), (p, rest) => {
        const next = prefixNext(p);
        expect(cmp(next, p)).toBeGreaterThan(0);
        expect(cmp(new Uint8Array([...p, ...rest]), next)).toBeLessThan(0);
      }),
    );
  });

  it("a table's record range holds exactly its record keys", () => {
    const r = tableRecordRange(7);
    expect(hex(r.start)).toBe("74" + "8000000000000007" + "5f72");
    expect(hex(r.end)).toBe("74" + "8000000000000007" + "5f73");
    fc.assert(
      fc.property(I64, I64, (t, h) => {
        const k = encodeRecordKey(t, h);
        const inside = cmp(k, r.start) >= 0 && cmp(k, r.end) < 0;
        expect(inside).toBe(t === 7n);
      }),
    );
    // The full int-handle range TiDB sends holds every handle, and is not a point range.
    const full = tableIntHandleRange(7);
    expect(hex(full.start)).toBe(`74${"8000000000000007"}5f72${"0000000000000000"}`);
    expect(hex(full.end)).toBe(`74${"8000000000000007"}5f73${"0000000000000000"}`);
    fc.assert(
      fc.property(I64, (h) => {
        const k = encodeRecordKey(7, h);
        expect(cmp(k, full.start) >= 0 && cmp(k, full.end) < 0).toBe(true);
      }),
    );
    const ir = tableIndexRange(7, 1);
    expect(hex(ir.end)).toBe("74" + "8000000000000007" + "5f69" + "8000000000000002");
    const hr = intHandleRange(7, -5, 5);
    expect(cmp(encodeRecordKey(7, 5), hr.end)).toBeLessThan(0);
    expect(cmp(encodeRecordKey(7, 6), hr.end)).toBeGreaterThanOrEqual(0);
  });
});

// A row v2 value with one column (id 1) holding "a": version 80, flags 00, 1 not-null, 0 null,
// id 01, end offset 0001, value 61.
const ROW = "80 00 0100 0000 01 0100 61";

describe("index values", () => {
  const cases: [string, IndexValueSpec, string][] = [
    [
      "old layout, unique int handle",
      { unique: true, handle: { kind: "int", value: 5 } },
      "0000000000000005",
    ],
    ["old layout, non-unique", { unique: false, handle: { kind: "int", value: 5 } }, "30"],
    [
      "old layout, untouched unique",
      { unique: true, handle: { kind: "int", value: -1 }, untouched: true },
      "ffffffffffffffff31",
    ],
    [
      "old layout, untouched non-unique",
      { unique: false, handle: { kind: "int", value: 1 }, untouched: true },
      "31",
    ],
    [
      "v0, restored data, non-unique (no padding needed)",
      { unique: false, handle: { kind: "int", value: 1 }, restoredData: bytes(ROW) },
      `00 ${ROW}`,
    ],
    [
      "v0, restored data, unique int handle in the tail",
      { unique: true, handle: { kind: "int", value: 7 }, restoredData: bytes(ROW) },
      `08 ${ROW} 0000000000000007`,
    ],
    [
      "v0, global index: partition id, no padding needed",
      { unique: false, handle: { kind: "int", value: 1 }, partitionId: 100 },
      "00 7e 8000000000000064",
    ],
    [
      "v0, global unique index with untouched flag",
      { unique: true, handle: { kind: "int", value: 2 }, partitionId: 100, untouched: true },
      "09 7e 8000000000000064 0000000000000002 31",
    ],
    [
      "v0, unique common handle",
      { unique: true, handle: { kind: "common", encoded: bytes("038000000000000001") } },
      "00 7f 0009 038000000000000001",
    ],
    [
      "v0, short common handle gets zero padding to 10 bytes",
      { unique: true, handle: { kind: "common", encoded: bytes("0102") } },
      "04 7f 0002 0102 00000000",
    ],
    [
      "v1, non-unique, nothing else",
      { unique: false, handle: { kind: "common", encoded: bytes("01") }, clusteredVersion1: true },
      "00 7d 01",
    ],
    [
      "v1, non-unique, untouched",
      {
        unique: false,
        handle: { kind: "common", encoded: bytes("01") },
        clusteredVersion1: true,
        untouched: true,
      },
      "01 7d 01 31",
    ],
    [
      "v1, unique with common handle and restored data",
      {
        unique: true,
        handle: { kind: "common", encoded: bytes("038000000000000001") },
        clusteredVersion1: true,
        restoredData: bytes(ROW),
      },
      `00 7d 01 7f 0009 038000000000000001 ${ROW}`,
    ],
  ];

  it.each(cases)("%s", (_name, spec, want) => {
    const v = encodeIndexValue(spec);
    expect(hex(v)).toBe(want.replace(/\s+/g, ""));
    const segs = splitIndexValue(v);
    expect(segs.version).toBe(spec.clusteredVersion1 ? 1 : 0);
    expect(segs.untouched).toBe(spec.untouched === true);
    if (spec.unique && spec.handle.kind === "int") expect(segs.intHandle).toBe(BigInt(spec.handle.value));
    else expect(segs.intHandle).toBeUndefined();
    if (spec.unique && spec.handle.kind === "common")
      expect(hex(segs.commonHandle!)).toBe(hex(spec.handle.encoded));
    else expect(segs.commonHandle).toBeUndefined();
    expect(segs.partitionId).toBe(spec.partitionId === undefined ? undefined : BigInt(spec.partitionId));
    expect(segs.restoredData && hex(segs.restoredData)).toBe(spec.restoredData && hex(spec.restoredData));
  });

  it("index versions as TiKV's get_index_version", () => {
    expect(indexValueVersion(bytes("007d01"))).toBe(1);
    expect(indexValueVersion(bytes("0000000000000005"))).toBe(0);
    expect(indexValueVersion(bytes("007d02 7f0002 0102 0000"))).toBe(2);
    expect(() => indexValueVersion(bytes("ff 7e 8000000000000064"))).toThrow(/tail length 255/);
  });

  it("corrupt values are CodecErrors", () => {
    expect(() => splitIndexValue(new Uint8Array())).toThrow(/empty/);
    expect(() => splitIndexValue(bytes("0000000000"))).toThrow(/old-layout value of 5 bytes/);
    expect(() => splitIndexValue(bytes("000000000000000532"))).toThrow(/after the handle/);
    // common handle length 0x20 runs past the end
    expect(() => splitIndexValue(bytes("00 7f 0020 0102 0000000000"))).toThrow(/truncated common handle/);
    // bytes that no segment explains
    expect(() => splitIndexValue(bytes("00 55 0102030405060708 09"))).toThrow(/unexpected bytes/);
    expect(() => splitIndexValue(bytes("02 7e 8000000000000064 0101"))).toThrow(/padding is not zero/);
    expect(() => splitIndexValue(bytes("007d02 7f0002 0102 0000"))).toThrow(/version 2/);
    expect(() =>
      encodeIndexValue({ unique: false, handle: { kind: "int", value: 1 }, restoredData: bytes("01") }),
    ).toThrow(/row v2/);
  });

  it("random and mutated values never throw anything but a CodecError", () => {
    const check = (v: Uint8Array) => {
      try {
        splitIndexValue(v);
      } catch (e) {
        expect(isCoprError(e) && e instanceof CodecError).toBe(true);
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), check), { numRuns: 3000 });
    for (const [, spec] of cases) {
      const good = encodeIndexValue(spec);
      for (let i = 0; i < good.length; i++) {
        check(good.subarray(0, i));
        for (const bit of [1, 0x80]) {
          const bad = new Uint8Array(good);
          bad[i]! ^= bit;
          check(bad);
        }
      }
    }
  });
});
