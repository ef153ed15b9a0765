// RangesScanner and the range helpers. Cases from TiKV
// components/tidb_query_common/src/storage/scanner.rs (test_next, test_scanned_rows,
// test_scanned_range_forward/backward/forward2), util.rs (test_is_prefix_next) and
// codec/table.rs (test_check_table_range).
import { prefixNext } from "@copr/codec";
import { CodecError } from "@copr/datatype";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkTableRanges, isPrefixNext, RangesScanner, tableIdOfKey } from "../src/scan-ranges.js";
import { MemoryStorage, newRangeBlock, newRangePair } from "../src/storage.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
const b = (s: string) => enc.encode(s);
const s = (x: Uint8Array) => dec.decode(x);

function createStorage(): MemoryStorage {
  const st = new MemoryStorage();
  for (const [k, v] of [
    ["bar", "2"],
    ["bar_2", "4"],
    ["foo", "1"],
    ["foo_2", "3"],
    ["foo_3", "5"],
  ] as const) {
    st.put(b(k), b(v));
  }
  return st;
}

type R = { start: Uint8Array; end: Uint8Array };
const interval = (lo: string, hi: string): R => ({ start: b(lo), end: b(hi) });
// A point range: [key, prefixNext(key)).
const point = (k: string): R => ({ start: b(k), end: prefixNext(b(k)) });

function keys(sc: RangesScanner, n = Number.POSITIVE_INFINITY): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = sc.next();
    if (p === null) break;
    out.push(`${s(p.key)}=${s(p.value)}`);
  }
  return out;
}

const taken = (sc: RangesScanner) => {
  const r = sc.takeScannedRange();
  return [s(r.lower), s(r.upper)];
};

describe("isPrefixNext", () => {
  // TiKV util.rs test_is_prefix_next
  it.each([
    [[], [0], true],
    [[0], [1], true],
    [[1], [2], true],
    [[255], [255, 0], true],
    [[255, 255, 255], [255, 255, 255, 0], true],
    [[1, 255], [2, 0], true],
    [[0, 1, 255, 255], [0, 2, 0, 0], true],
    [[], [], false],
    [[0], [0], false],
    [[1], [3], false],
    [[255], [255, 1], false],
    [[1, 255], [2, 1], false],
    [[1, 255], [3, 0], false],
    [[0, 1, 255], [1, 2, 0], false],
    [[255, 255], [0, 0], false],
  ])("%o → %o: %s", (k, n, want) => {
    expect(isPrefixNext(Uint8Array.from(k), Uint8Array.from(n))).toBe(want);
  });
});

describe("checkTableRanges", () => {
  // TiKV codec/table.rs test_check_table_range
  const small = Uint8Array.from([0x74, 0x80, 0, 0, 0, 0, 0, 0, 1, 0x61]);
  const large = Uint8Array.from([0x74, 0x80, 0, 0, 0, 0, 0, 0, 1, 0x62]);
  it("accepts start < end", () => {
    expect(() => checkTableRanges([{ start: small, end: large }])).not.toThrow();
  });
  it("rejects start >= end, non-table bounds", () => {
    expect(() => checkTableRanges([{ start: large, end: small }])).toThrow(CodecError);
    expect(() => checkTableRanges([{ start: small, end: small }])).toThrow(CodecError);
    expect(() => checkTableRanges([{ start: small, end: b("xx") }])).toThrow(/record key or index key/);
  });
});

describe("tableIdOfKey", () => {
  it.each([
    [0, [0x80, 0, 0, 0, 0, 0, 0, 0]],
    [92, [0x80, 0, 0, 0, 0, 0, 0, 0x5c]],
    [-1, [0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]],
    [2 ** 40 + 3, [0x80, 0, 1, 0, 0, 0, 0, 3]],
    [(1n << 63n) - 1n, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]],
    [-(1n << 63n), [0, 0, 0, 0, 0, 0, 0, 0]],
  ])("%s", (want, bytes) => {
    expect(tableIdOfKey(Uint8Array.from([0x74, ...bytes]))).toBe(want);
  });
});

describe("RangesScanner", () => {
  it("test_next: points and intervals, forward and backward", () => {
    const st = createStorage();
    let sc = new RangesScanner(
      st,
      [interval("foo", "foo_2a"), point("foo_2b"), point("foo_3"), interval("a", "c")],
      false,
      true,
    );
    expect(keys(sc)).toEqual(["foo=1", "foo_2=3", "foo_3=5", "bar=2", "bar_2=4"]);
    expect(sc.next()).toBeNull();

    sc = new RangesScanner(
      st,
      [interval("foo", "foo_2a"), point("foo_2b"), point("foo_3"), interval("a", "bar_2")],
      true,
      true,
    );
    expect(keys(sc)).toEqual(["foo_2=3", "foo=1", "foo_3=5", "bar=2"]);
  });

  it("a point range read by scan when point gets are not accepted", () => {
    const st = createStorage();
    let gets = 0;
    const counting = {
      scan: st.scan.bind(st),
      get: (k: Uint8Array) => {
        gets++;
        return st.get(k);
      },
    };
    // [foo, fop) scanned as an interval holds every key starting with "foo".
    const sc = new RangesScanner(counting, [point("foo"), point("bar")], false, false);
    expect(keys(sc)).toEqual(["foo=1", "foo_2=3", "foo_3=5", "bar=2", "bar_2=4"]);
    expect(gets).toBe(0);
    const sc2 = new RangesScanner(counting, [point("foo"), point("bar")], false, true);
    expect(keys(sc2)).toEqual(["foo=1", "bar=2"]);
    expect(gets).toBe(2);
  });

  it("test_scanned_rows", () => {
    const sc = new RangesScanner(
      createStorage(),
      [interval("foo", "foo_2a"), point("foo_2b"), point("foo_3"), interval("a", "z")],
      false,
      true,
    );
    const collect = () => {
      const d: number[] = [];
      sc.collectScannedRowsPerRange(d);
      return d;
    };
    expect(keys(sc, 3)).toEqual(["foo=1", "foo_2=3", "foo_3=5"]);
    expect(collect()).toEqual([2, 0, 1]);
    expect(collect()).toEqual([0]);
    expect(keys(sc, 2)).toEqual(["bar=2", "bar_2=4"]);
    expect(collect()).toEqual([0, 2]);
    expect(keys(sc, 1)).toEqual(["foo=1"]);
    expect(collect()).toEqual([1]);
    expect(keys(sc)).toEqual(["foo_2=3", "foo_3=5"]);
    expect(collect()).toEqual([2]);
    expect(sc.next()).toBeNull();
    expect(collect()).toEqual([0]);
  });

  it("test_scanned_range_forward", () => {
    const st = createStorage();
    let sc = new RangesScanner(st, [], false, true);
    expect(taken(sc)).toEqual(["", ""]);
    expect(sc.next()).toBeNull();
    expect(taken(sc)).toEqual(["", ""]);

    sc = new RangesScanner(st, [interval("x", "xb")], false, true);
    expect(sc.next()).toBeNull();
    expect(taken(sc)).toEqual(["x", "xb"]);

    sc = new RangesScanner(st, [point("x")], false, true);
    expect(sc.next()).toBeNull();
    expect(taken(sc)).toEqual(["x", "x\0"]);

    sc = new RangesScanner(st, [interval("foo", "foo_8")], false, true);
    expect(keys(sc, 2)).toEqual(["foo=1", "foo_2=3"]);
    expect(taken(sc)).toEqual(["foo", "foo_2\0"]);
    expect(keys(sc, 1)).toEqual(["foo_3=5"]);
    expect(taken(sc)).toEqual(["foo_2\0", "foo_3\0"]);
    expect(sc.next()).toBeNull();
    expect(taken(sc)).toEqual(["foo_3\0", "foo_8"]);

    sc = new RangesScanner(
      st,
      [
        interval("foo", "foo_3"),
        interval("foo_5", "foo_50"),
        interval("bar", "bar_"),
        point("bar_2"),
        point("bar_3"),
        interval("bar_4", "box"),
      ],
      false,
      true,
    );
    expect(keys(sc, 1)).toEqual(["foo=1"]);
    expect(taken(sc)).toEqual(["foo", "foo\0"]);
    expect(keys(sc, 1)).toEqual(["foo_2=3"]);
    expect(taken(sc)).toEqual(["foo\0", "foo_2\0"]);
    expect(keys(sc, 1)).toEqual(["bar=2"]);
    expect(taken(sc)).toEqual(["foo_2\0", "bar\0"]);
    expect(keys(sc, 1)).toEqual(["bar_2=4"]);
    expect(taken(sc)).toEqual(["bar\0", "bar_2\0"]);
    expect(sc.next()).toBeNull();
    expect(taken(sc)).toEqual(["bar_2\0", "box"]);
  });

  it("test_scanned_range_backward", () => {
    const st = createStorage();
    let sc = new RangesScanner(st, [], true, true);
    expect(taken(sc)).toEqual(["", ""]);
    expect(sc.next()).toBeNull();
    expect(taken(sc)).toEqual(["", ""]);

    sc = new RangesScanner(st, [interval("x", "xb")], true, true);
    expect(sc.next()).toBeNull();
    expect(taken(sc)).toEqual(["x", "xb"]);

    sc = new RangesScanner(st, [point("x")], true, true);
    expect(sc.next()).toBeNull();
    expect(taken(sc)).toEqual(["x", "x\0"]);

    sc = new RangesScanner(st, [interval("foo", "foo_8")], true, true);
    expect(keys(sc, 2)).toEqual(["foo_3=5", "foo_2=3"]);
    expect(taken(sc)).toEqual(["foo_2", "foo_8"]);
    expect(keys(sc, 1)).toEqual(["foo=1"]);
    expect(taken(sc)).toEqual(["foo", "foo_2"]);
    expect(sc.next()).toBeNull();
    expect(taken(sc)).toEqual(["foo", "foo"]);

    sc = new RangesScanner(
      st,
      [
        interval("bar_4", "box"),
        point("bar_3"),
        point("bar_2"),
        interval("bar", "bar_"),
        interval("foo_5", "foo_50"),
        interval("foo", "foo_3"),
      ],
      true,
      true,
    );
    expect(keys(sc, 1)).toEqual(["bar_2=4"]);
    expect(taken(sc)).toEqual(["bar_2", "box"]);
    expect(keys(sc, 1)).toEqual(["bar=2"]);
    expect(taken(sc)).toEqual(["bar", "bar_2"]);
    expect(keys(sc, 2)).toEqual(["foo_2=3", "foo=1"]);
    expect(taken(sc)).toEqual(["foo", "bar"]);
    expect(sc.next()).toBeNull();
    expect(taken(sc)).toEqual(["foo", "foo"]);
  });

  it("test_scanned_range_forward2: only updating reads move the end", () => {
    const sc = new RangesScanner(
      createStorage(),
      [
        interval("foo", "foo_3"),
        interval("foo_5", "foo_50"),
        interval("bar", "bar_"),
        point("bar_2"),
        point("bar_3"),
        interval("bar_4", "box"),
      ],
      false,
      true,
    );
    expect(s(sc.next(false)!.key)).toBe("foo");
    expect(s(sc.next(true)!.key)).toBe("foo_2");
    expect(s(sc.next(false)!.key)).toBe("bar");
    expect(s(sc.next(false)!.key)).toBe("bar_2");
    expect(sc.next(false)).toBeNull();
    expect(taken(sc)).toEqual(["foo", "box"]);
  });

  it("nextBlock reads what nextRange reads: pairs, rows per range, scanned ranges per batch", () => {
    const key = fc.string({ unit: fc.constantFrom(..."abc"), minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(
        fc.uniqueArray(key, { maxLength: 25 }),
        fc.array(fc.tuple(key, key, fc.boolean()), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        (stored, rs, desc, batchSizes, blockCap) => {
          const st = new MemoryStorage();
          for (const k of stored) st.put(b(k), b(`v${k}`));
          const ranges = rs.map(([x, y, isPoint]) => {
            if (isPoint) return point(x);
            return x < y ? interval(x, y) : interval(y, `${x}~`);
          });
          const a = new RangesScanner(st, ranges, desc, true);
          const bl = new RangesScanner(st, ranges, desc, true);
          const pair = newRangePair();
          const block = newRangeBlock(blockCap);
          const got = (bytes: Uint8Array, from: number, to: number) => s(bytes.subarray(from, to));
          for (const m of batchSizes) {
            const viaPair: string[] = [];
            for (let i = 0; i < m; i++) {
              if (!a.nextRange(pair, i === m - 1)) break;
              viaPair.push(
                `${got(pair.keyBytes, pair.keyStart, pair.keyEnd)}=${got(pair.valueBytes, pair.valueStart, pair.valueEnd)}`,
              );
            }
            const viaBlock: string[] = [];
            for (let n = 0; n < m; ) {
              const c = bl.nextBlock(block, m - n, true);
              if (c === 0) break;
              for (let j = 0; j < c; j++) {
                const q = block.pos;
                const k = block.base + j * block.stride;
                const v = k + block.valueAt;
                viaBlock.push(
                  `${got(block.keyBytes, q[k]!, q[k + 1]!)}=${got(block.valueBytes, q[v]!, q[v + 1]!)}`,
                );
              }
              n += c;
            }
            expect(viaBlock).toEqual(viaPair);
            expect(taken(bl)).toEqual(taken(a));
            const ra: number[] = [];
            const rb: number[] = [];
            a.collectScannedRowsPerRange(ra);
            bl.collectScannedRowsPerRange(rb);
            expect(rb).toEqual(ra);
          }
        },
      ),
    );
  });
});
