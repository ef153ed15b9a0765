// Regions from split keys and the context checks, with TiKV's error shapes and messages
// (components/raftstore/src/errors.rs, store/util.rs check_region_epoch).
import { toBigInt, u64 } from "@copr/proto";
import { describe, expect, it } from "vitest";
import { ConcurrencyLimiter, remainingRanges } from "../src/endpoint.js";
import { RegionError, RegionManager } from "../src/regions.js";

const k = (s: string) => Buffer.from(s, "hex");
const ctx = (id: number, version = 1) => ({
  regionId: u64(id),
  regionEpoch: { confVer: u64(1), version: u64(version) },
});
const err = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RegionError);
    return (e as RegionError).error;
  }
  throw new Error("no error");
};

describe("RegionManager", () => {
  const rm = new RegionManager([k("80"), k("40")], 7);

  it("makes regions 1..n in key order covering everything", () => {
    expect(
      rm.regions.map((r) => [
        r.id,
        Buffer.from(r.startKey).toString("hex"),
        Buffer.from(r.endKey).toString("hex"),
      ]),
    ).toEqual([
      [1, "", "40"],
      [2, "40", "80"],
      [3, "80", ""],
    ]);
    expect(rm.regionOfKey(k("41")).id).toBe(2);
    expect(rm.regionOfKey(k("80")).id).toBe(3);
    expect(rm.regions[0]!.dataVersion).toBe(7);
  });

  it("answers RegionNotFound, missing epoch and EpochNotMatch with the current regions", () => {
    const nf = err(() => rm.checkContext(ctx(9)));
    expect(nf.message).toBe("region 9 not found");
    expect(toBigInt(nf.regionNotFound?.regionId)).toBe(9n);
    expect(err(() => rm.checkContext({ regionId: u64(1) })).message).toBe("missing epoch!");
    const en = err(() => rm.checkContext(ctx(2, 5)));
    expect(en.message).toBe(
      "EpochNotMatch current epoch of region 2 is conf_ver: 1 version: 1, but you sent conf_ver: 1 version: 5",
    );
    expect(en.epochNotMatch?.currentRegions?.map((r) => Number(toBigInt(r.id)))).toEqual([1, 2, 3]);
    expect(rm.checkContext(ctx(2)).id).toBe(2);
  });

  it("answers KeyNotInRegion for keys and ranges outside the region", () => {
    const r2 = rm.byId(2)!;
    const e = err(() => rm.checkKey(r2, k("3f")));
    expect(e.message).toBe("key 3F is not in region key range [40, 80) for region 2");
    expect(Buffer.from(e.keyNotInRegion!.key!).toString("hex")).toBe("3f");
    expect(toBigInt(e.keyNotInRegion!.regionId)).toBe(2n);
    rm.checkRange(r2, k("40"), k("80"));
    expect(err(() => rm.checkRange(r2, k("40"), k("8001"))).keyNotInRegion).toBeTruthy();
    expect(err(() => rm.checkRange(r2, k("40"), new Uint8Array(0))).keyNotInRegion).toBeTruthy();
    rm.checkRange(rm.byId(3)!, k("80"), new Uint8Array(0));
  });
});

describe("remainingRanges", () => {
  const r = (a: string, b: string) => ({ start: k(a), end: k(b) });
  const hex = (rs: { start: Uint8Array; end: Uint8Array }[] | null) =>
    rs?.map((x) => [Buffer.from(x.start).toString("hex"), Buffer.from(x.end).toString("hex")]) ?? null;

  it("ascending: keeps what lies at or after the page's upper bound", () => {
    expect(hex(remainingRanges([r("10", "20"), r("30", "40")], k("10"), k("15"), false))).toEqual([
      ["15", "20"],
      ["30", "40"],
    ]);
    expect(hex(remainingRanges([r("10", "20"), r("30", "40")], k("10"), k("31"), false))).toEqual([
      ["31", "40"],
    ]);
    expect(remainingRanges([r("10", "20")], k("10"), k("20"), false)).toBeNull();
  });

  it("descending: keeps what lies before the page's lower bound", () => {
    expect(hex(remainingRanges([r("10", "20"), r("30", "40")], k("35"), k("40"), true))).toEqual([
      ["10", "20"],
      ["30", "35"],
    ]);
    expect(remainingRanges([r("10", "20")], k("10"), k("20"), true)).toBeNull();
  });

  it("stops when a page made no progress", () => {
    expect(remainingRanges([r("10", "20")], k("05"), k("10"), false)).toBeNull();
  });
});

describe("ConcurrencyLimiter", () => {
  it("runs max at once, queues up to the queue length, refuses beyond", async () => {
    const l = new ConcurrencyLimiter(2, 1);
    await l.acquire();
    await l.acquire();
    let third = false;
    const p = l.acquire().then(() => {
      third = true;
    });
    await expect(l.acquire()).rejects.toThrow("Coprocessor task canceled due to exceeding max pending tasks");
    expect(third).toBe(false);
    l.release();
    await p;
    expect(third).toBe(true);
    expect(l.active).toBe(2);
    l.release();
    l.release();
    expect(l.active).toBe(0);
  });
});
