import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Engine,
  InvalidArgumentError,
  openLmdbEngine,
  StorageEngineError,
  type WriteOp,
} from "../src/index.js";
import { ENGINES, enc, ensureDist, str } from "./helpers.js";

const put = (key: string, value: string, cf: WriteOp["cf"] = "default"): WriteOp => ({
  kind: "put",
  cf,
  key: enc(key),
  value: enc(value),
});

function collect(
  engine: Engine,
  start: string,
  end: string,
  desc: boolean,
  cf: WriteOp["cf"] = "default",
): string[] {
  const s = engine.snapshot();
  const it = s.iter(cf, { start: enc(start), end: enc(end) }, desc);
  const out: string[] = [];
  for (let p = it.next(); p !== null; p = it.next()) out.push(`${str(p.key)}=${str(p.value)}`);
  it.close();
  it.close(); // idempotent
  s.release();
  s.release();
  return out;
}

describe.each(ENGINES)("$name engine", (ec) => {
  let engine: Engine;
  let dispose: () => Promise<void>;
  beforeEach(() => {
    ({ engine, dispose } = ec.make());
  });
  afterEach(async () => {
    await dispose();
  });

  it("iterates bounds in both directions; empty end is unbounded", () => {
    engine.write(["a", "b", "bb", "c", "d"].map((k) => put(k, k.toUpperCase())));
    expect(collect(engine, "b", "d", false)).toEqual(["b=B", "bb=BB", "c=C"]);
    expect(collect(engine, "b", "d", true)).toEqual(["c=C", "bb=BB", "b=B"]);
    expect(collect(engine, "bb", "", false)).toEqual(["bb=BB", "c=C", "d=D"]);
    expect(collect(engine, "bb", "", true)).toEqual(["d=D", "c=C", "bb=BB"]);
    expect(collect(engine, "", "b", true)).toEqual(["a=A"]);
    expect(collect(engine, "", "", false)).toHaveLength(5);
    expect(collect(engine, "x", "", false)).toEqual([]);
    expect(collect(engine, "c", "c", true)).toEqual([]);
  });

  it("keeps column families apart", () => {
    engine.write([
      put("k", "d", "default"),
      put("k", "l", "lock"),
      put("k", "w", "write"),
      put("k", "r", "raw"),
    ]);
    for (const cf of ["default", "lock", "write", "raw"] as const) {
      expect(collect(engine, "", "", false, cf)).toEqual([`k=${cf[0]}`]);
    }
  });

  it("applies a batch all or nothing", () => {
    engine.write([put("a", "1")]);
    const bad = [put("b", "2"), { kind: "delete", cf: "default", key: enc("a") } as WriteOp, put("", "x")];
    expect(() => engine.write(bad)).toThrow(InvalidArgumentError);
    expect(() =>
      engine.write([put("b", "2"), { kind: "put", cf: "nope", key: enc("z"), value: enc("") } as never]),
    ).toThrow(/unknown column family/);
    expect(collect(engine, "", "", false)).toEqual(["a=1"]);
    engine.write([put("b", "2"), { kind: "delete", cf: "default", key: enc("a") }, put("b", "3")]);
    expect(collect(engine, "", "", false)).toEqual(["b=3"]);
  });

  it("gives snapshots that never see later writes", () => {
    engine.write([put("a", "1"), put("b", "1")]);
    const s = engine.snapshot();
    engine.write([put("a", "2"), { kind: "delete", cf: "default", key: enc("b") }, put("c", "2")]);
    expect(str(s.get("default", enc("a")))).toBe("1");
    expect(str(s.get("default", enc("b")))).toBe("1");
    expect(s.get("default", enc("c"))).toBeNull();
    const it = s.iter("default", { start: new Uint8Array(0), end: new Uint8Array(0) }, false);
    const seen: string[] = [];
    for (let p = it.next(); p !== null; p = it.next()) seen.push(`${str(p.key)}=${str(p.value)}`);
    expect(seen).toEqual(["a=1", "b=1"]);
    s.release();
    expect(() => s.get("default", enc("a"))).toThrow(StorageEngineError);
    expect(collect(engine, "", "", false)).toEqual(["a=2", "c=2"]);
  });

  it("does not let callers mutate stored bytes through a written buffer", () => {
    const v = enc("abc");
    engine.write([{ kind: "put", cf: "raw", key: enc("k"), value: v }]);
    v[0] = 0x7a;
    expect(collect(engine, "", "", false, "raw")).toEqual(["k=abc"]);
  });

  it("refuses use after close", async () => {
    await dispose();
    dispose = async () => {};
    expect(() => engine.snapshot()).toThrow(StorageEngineError);
    expect(() => engine.write([put("a", "1")])).toThrow(StorageEngineError);
  });
});

describe("LMDB environment", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "copr-lmdb-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("persists synced batches across reopening", async () => {
    const e1 = openLmdbEngine({ path: dir });
    e1.write([put("a", "1", "write"), put("b", "2", "raw")]);
    await e1.close();
    const e2 = openLmdbEngine({ path: dir, readOnly: true });
    expect(collect(e2, "", "", false, "write")).toEqual(["a=1"]);
    expect(collect(e2, "", "", false, "raw")).toEqual(["b=2"]);
    expect(() => e2.write([put("c", "3")])).toThrow(/read-only/);
    await e2.close();
  });

  it("can be opened read-only from a worker thread while the main thread holds it", async () => {
    const e = openLmdbEngine({ path: dir });
    e.write([put("k1", "v1", "write"), put("k2", "v2", "write")]);
    const src = `
      const { parentPort, workerData } = require("node:worker_threads");
      import(workerData.lib).then(({ openLmdbEngine }) => {
        const e = openLmdbEngine({ path: workerData.dir, readOnly: true });
        const s = e.snapshot();
        const it = s.iter("write", { start: new Uint8Array(0), end: new Uint8Array(0) }, false);
        const out = [];
        for (let p = it.next(); p !== null; p = it.next()) out.push(Buffer.from(p.key).toString() + "=" + Buffer.from(p.value).toString());
        s.release();
        return e.close().then(() => parentPort.postMessage(out));
      }).catch((err) => parentPort.postMessage({ error: String(err && err.stack || err) }));
    `;
    const lib = pathToFileURL(ensureDist()).href;
    const w = new Worker(src, { eval: true, workerData: { dir, lib } });
    const result = await new Promise((resolve, reject) => {
      w.once("message", resolve);
      w.once("error", reject);
    });
    await w.terminate();
    expect(result).toEqual(["k1=v1", "k2=v2"]);
    // The main thread still writes and reads after the worker closed its handle.
    e.write([put("k3", "v3", "write")]);
    expect(collect(e, "", "", false, "write")).toHaveLength(3);
    await e.close();
  });
});
