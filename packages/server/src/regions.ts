// The store's regions: a fixed partition of the raw key space made from the configured split keys,
// and the checks every request's context goes through (TiKV raftstore's `check_region_epoch`,
// `check_key_in_region` and the errorpb errors of components/raftstore/src/errors.rs).
import type { errorpb, kvrpcpb, metapb } from "@copr/proto";
import { toBigInt, u64 } from "@copr/proto";

/** The store id of this node (one store, as a fresh TiKV bootstraps it). */
export const STORE_ID = 1;

/** One region: `[startKey, endKey)` of raw keys, an empty `endKey` meaning the end of the key space. */
export interface RegionInfo {
  readonly id: number;
  readonly startKey: Uint8Array;
  readonly endKey: Uint8Array;
  readonly confVer: number;
  readonly version: number;
  /** Bumped by every write to the region; what coprocessor cache hits are checked against. */
  dataVersion: number;
}

/** A request rejected at the region level: the `errorpb.Error` to answer with. */
export class RegionError extends Error {
  override readonly name = "RegionError";
  constructor(readonly error: errorpb.Error.$Properties) {
    super(error.message ?? "region error");
  }
}

function compare(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

/** Upper-case hex, as TiKV logs keys (log_wrappers::Value::key). */
export function hexUpper(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex").toUpperCase();
}

/**
 * The regions of the store. A fresh store has region 1 with epoch {conf_ver 1, version 1}
 * covering everything; each split key starts a new region (ids 2, 3, ... in key order).
 */
export class RegionManager {
  readonly regions: readonly RegionInfo[];

  /**
   * @param splitKeys raw keys, any order, duplicates ignored; an empty key is rejected.
   * @param dataVersionBase where data versions start: a time-derived value keeps versions
   *   increasing across restarts, so a client's cached version from before never matches.
   */
  constructor(splitKeys: readonly Uint8Array[] = [], dataVersionBase = 1) {
    const keys = [...splitKeys].sort(compare).filter((k, i, a) => i === 0 || compare(a[i - 1]!, k) !== 0);
    if (keys.some((k) => k.length === 0)) throw new Error("split keys must not be empty");
    const bounds = [new Uint8Array(0), ...keys, new Uint8Array(0)];
    const regions: RegionInfo[] = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      regions.push({
        id: i + 1,
        startKey: bounds[i]!,
        endKey: bounds[i + 1]!,
        confVer: 1,
        version: 1,
        dataVersion: dataVersionBase,
      });
    }
    this.regions = regions;
  }

  /** The region holding raw key `key`. */
  regionOfKey(key: Uint8Array): RegionInfo {
    for (const r of this.regions) if (keyInRegion(key, r)) return r;
    // The regions partition the key space, so one always matches.
    throw new Error("no region holds the key");
  }

  byId(id: number): RegionInfo | undefined {
    return this.regions.find((r) => r.id === id);
  }

  /**
   * Checks a request's context (TiKV's order: region exists, epoch matches) and returns its region.
   * Only the epoch's version is compared, as TiKV does for reads and writes (conf_ver matters for
   * admin commands only).
   */
  checkContext(ctx: kvrpcpb.Context.$Properties | null | undefined): RegionInfo {
    const id = Number(toBigInt(ctx?.regionId));
    const region = this.byId(id);
    if (region === undefined) {
      throw new RegionError({ message: `region ${id} not found`, regionNotFound: { regionId: u64(id) } });
    }
    const epoch = ctx?.regionEpoch;
    if (epoch === null || epoch === undefined) {
      throw new RegionError({ message: "missing epoch!" });
    }
    const confVer = toBigInt(epoch.confVer);
    const version = toBigInt(epoch.version);
    if (version !== BigInt(region.version)) {
      throw new RegionError({
        message:
          `EpochNotMatch current epoch of region ${region.id} is conf_ver: ${region.confVer} version: ${region.version}, ` +
          `but you sent conf_ver: ${confVer} version: ${version}`,
        epochNotMatch: { currentRegions: this.regions.map(regionToPb) },
      });
    }
    return region;
  }

  /** Throws KeyNotInRegion unless `key` lies in `region`. */
  checkKey(region: RegionInfo, key: Uint8Array): void {
    if (!keyInRegion(key, region)) throw keyNotInRegion(key, region);
  }

  /**
   * Throws KeyNotInRegion unless `[start, end)` lies in `region` (an empty `end` is the end of
   * the key space, only inside the last region).
   */
  checkRange(region: RegionInfo, start: Uint8Array, end: Uint8Array): void {
    if (!keyInRegion(start, region)) throw keyNotInRegion(start, region);
    if (region.endKey.length > 0 && (end.length === 0 || compare(end, region.endKey) > 0)) {
      throw keyNotInRegion(end, region);
    }
    if (end.length > 0 && compare(end, start) < 0) {
      throw new RegionError({
        message: `invalid range: start ${hexUpper(start)} is after end ${hexUpper(end)}`,
      });
    }
  }

  /** Marks a write to `region`: coprocessor caches of its older data version stop matching. */
  bumpDataVersion(region: RegionInfo): void {
    region.dataVersion++;
  }
}

function keyInRegion(key: Uint8Array, r: RegionInfo): boolean {
  return compare(key, r.startKey) >= 0 && (r.endKey.length === 0 || compare(key, r.endKey) < 0);
}

function keyNotInRegion(key: Uint8Array, r: RegionInfo): RegionError {
  return new RegionError({
    message: `key ${hexUpper(key)} is not in region key range [${hexUpper(r.startKey)}, ${hexUpper(r.endKey)}) for region ${r.id}`,
    keyNotInRegion: { key, regionId: u64(r.id), startKey: r.startKey, endKey: r.endKey },
  });
}

/** The metapb.Region of a region: one voter peer (id = region id) on store 1. */
export function regionToPb(r: RegionInfo): metapb.Region.$Properties {
  return {
    id: u64(r.id),
    startKey: r.startKey,
    endKey: r.endKey,
    regionEpoch: { confVer: u64(r.confVer), version: u64(r.version) },
    peers: [{ id: u64(r.id), storeId: u64(STORE_ID) }],
  };
}
