// loadConfig: defaults, TOML and JSON files, overrides, and a clear error for every bad key.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, defaultConfig, loadConfig } from "../src/config.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "copr-server-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe("loadConfig", () => {
  it("defaults to TiKV's addresses, memory storage and one read pool worker per core", () => {
    const c = loadConfig();
    expect(c.addr).toBe("127.0.0.1:20160");
    expect(c.statusAddr).toBe("127.0.0.1:20180");
    expect(c.dataDir).toBeNull();
    expect(c.readPoolSize).toBe(os.availableParallelism());
    expect(c.splitKeys).toEqual([]);
    expect(c.logLevel).toBe("info");
  });

  it("reads TOML with kebab-case keys, then applies overrides", () => {
    const p = file(
      "a.toml",
      'addr = "127.0.0.1:0"\ndata-dir = "/tmp/x"\nread-pool-size = 2\nsplit-keys = ["74800000000000002a", "ff"]\nlog-level = "warn"\n',
    );
    const c = loadConfig(p, { readPoolSize: 0 });
    expect(c).toEqual({
      ...defaultConfig(),
      addr: "127.0.0.1:0",
      dataDir: "/tmp/x",
      readPoolSize: 0,
      splitKeys: ["74800000000000002a", "ff"],
      logLevel: "warn",
    });
  });

  it("reads JSON with camelCase keys", () => {
    const p = file("b.json", JSON.stringify({ coprMaxConcurrency: 3, coprQueueLength: 0, dataDir: null }));
    const c = loadConfig(p);
    expect(c.coprMaxConcurrency).toBe(3);
    expect(c.coprQueueLength).toBe(0);
  });

  it("rejects unknown keys and bad values, naming the key", () => {
    expect(() => loadConfig(file("c.toml", "read-pool = 2\n"))).toThrow(/unknown config key "read-pool"/);
    expect(() => loadConfig(undefined, { nope: 1 } as never)).toThrow(ConfigError);
    expect(() => loadConfig(file("d.toml", "read-pool-size = -1\n"))).toThrow(
      /"read-pool-size".*integer >= 0/,
    );
    expect(() => loadConfig(file("e.toml", 'addr = "localhost"\n'))).toThrow(/"addr".*host:port/);
    expect(() => loadConfig(file("f.toml", 'split-keys = ["zz"]\n'))).toThrow(/"split-keys".*hex/);
    expect(() => loadConfig(file("g.toml", 'log-level = "loud"\n'))).toThrow(/"log-level"/);
    expect(() => loadConfig(file("h.toml", "addr = [\n"))).toThrow(/cannot parse config file/);
    expect(() => loadConfig(path.join(dir, "missing.toml"))).toThrow(/cannot read config file/);
  });
});
