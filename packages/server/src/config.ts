// The server's configuration: defaults, a TOML or JSON file, overrides, and validation. A small
// subset of TiKV's src/server/config.rs and src/config (addr, status-addr, data-dir, read pool,
// end-point concurrency), under names of our own.
import { readFileSync } from "node:fs";
import os from "node:os";
import { parse as parseToml } from "smol-toml";

/** Log levels of the server's pino logger. */
export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";

/** The configuration of a server. Every field has a default (see {@link defaultConfig}). */
export interface ServerConfig {
  /** gRPC listen address `host:port` (default `127.0.0.1:20160`; port 0 picks a free port). */
  addr: string;
  /** HTTP status address serving `/metrics` (default `127.0.0.1:20180`; port 0 picks a free port). */
  statusAddr: string;
  /** LMDB data directory; null keeps everything in memory (and loses it on close). */
  dataDir: string | null;
  /** LMDB map size in bytes when `dataDir` is set (null: storage's default). */
  mapSize: number | null;
  /**
   * Worker threads running coprocessor requests and KvScan (default: one per core). 0 runs them
   * inline on the main thread; so does the in-memory engine, whose data workers cannot see.
   */
  readPoolSize: number;
  /** Coprocessor requests run at once (TiKV `end-point-max-concurrency`). */
  coprMaxConcurrency: number;
  /** Coprocessor requests that may wait for a slot; beyond it requests get ServerIsBusy. */
  coprQueueLength: number;
  /** Default request time limit in ms when the request's context has none (TiKV `end-point-request-max-handle-duration`). */
  coprMaxHandleDurationMs: number;
  /** Rows per CoprocessorStream message when the request has no paging size (TiKV `end-point-stream-batch-row-limit`). */
  streamBatchRowLimit: number;
  /** Region boundaries, as hex strings of raw keys: n keys make n + 1 regions. */
  splitKeys: string[];
  /** pino log level (default `info`). */
  logLevel: LogLevel;
}

const LOG_LEVELS: readonly LogLevel[] = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];

/** A configuration file or override that cannot be used: names the key and what was wrong. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** The defaults: TiKV's addresses, in-memory storage, one read pool worker per core. */
export function defaultConfig(): ServerConfig {
  const cores = os.availableParallelism();
  return {
    addr: "127.0.0.1:20160",
    statusAddr: "127.0.0.1:20180",
    dataDir: null,
    mapSize: null,
    readPoolSize: cores,
    coprMaxConcurrency: Math.max(4, cores),
    coprQueueLength: 1000,
    coprMaxHandleDurationMs: 60_000,
    streamBatchRowLimit: 128,
    splitKeys: [],
    logLevel: "info",
  };
}

// Keys accepted in a file: kebab-case (TiKV's style) or the camelCase field names.
const KEYS: Record<string, keyof ServerConfig> = {};
for (const k of Object.keys(defaultConfig()) as (keyof ServerConfig)[]) {
  KEYS[k] = k;
  KEYS[k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)] = k;
}

/**
 * Reads the configuration: defaults, then `file` (TOML, or JSON when it ends in `.json`), then
 * `overrides`. Keys may be kebab-case (`read-pool-size`) or camelCase. An unknown key, a wrong
 * type or an invalid value raises {@link ConfigError} naming the key.
 */
export function loadConfig(file?: string, overrides?: Partial<ServerConfig>): ServerConfig {
  const config = defaultConfig();
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new ConfigError(`cannot read config file ${file}: ${(e as Error).message}`);
    }
    let raw: unknown;
    try {
      raw = file.endsWith(".json") ? JSON.parse(text) : parseToml(text);
    } catch (e) {
      throw new ConfigError(`cannot parse config file ${file}: ${(e as Error).message}`);
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw new ConfigError(`config file ${file} must hold a table of settings`);
    }
    applyConfig(config, raw as Record<string, unknown>, file);
  }
  if (overrides !== undefined) applyConfig(config, overrides as Record<string, unknown>, "overrides");
  return config;
}

/** Checks a complete or partial configuration object and merges it over `base` (in place). */
export function applyConfig(base: ServerConfig, raw: Record<string, unknown>, source: string): ServerConfig {
  const target = base as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(raw)) {
    const field = KEYS[key];
    if (field === undefined) throw new ConfigError(`unknown config key "${key}" in ${source}`);
    if (value === undefined) continue;
    target[field] = checkValue(field, key, value, source);
  }
  return base;
}

function checkValue(field: keyof ServerConfig, key: string, v: unknown, source: string): unknown {
  const bad = (what: string) => new ConfigError(`config key "${key}" in ${source}: ${what}`);
  const count = (min: number) => {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min) {
      throw bad(`expected an integer >= ${min}, got ${JSON.stringify(v)}`);
    }
    return v;
  };
  switch (field) {
    case "addr":
    case "statusAddr":
      if (
        typeof v !== "string" ||
        !/^\[?[^\s\]]*\]?:\d{1,5}$/.test(v) ||
        Number(v.slice(v.lastIndexOf(":") + 1)) > 65535
      ) {
        throw bad(`expected "host:port", got ${JSON.stringify(v)}`);
      }
      return v;
    case "dataDir":
      if (v !== null && (typeof v !== "string" || v === "")) throw bad("expected a directory path or null");
      return v;
    case "mapSize":
      return v === null ? null : count(1 << 20);
    case "readPoolSize":
    case "coprQueueLength":
      return count(0);
    case "coprMaxConcurrency":
    case "coprMaxHandleDurationMs":
    case "streamBatchRowLimit":
      return count(1);
    case "splitKeys": {
      if (!Array.isArray(v)) throw bad("expected a list of hex strings");
      for (const k of v) {
        if (typeof k !== "string" || k.length === 0 || k.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(k)) {
          throw bad(`split key ${JSON.stringify(k)} is not a non-empty hex string`);
        }
      }
      return [...v];
    }
    case "logLevel":
      if (typeof v !== "string" || !LOG_LEVELS.includes(v as LogLevel)) {
        throw bad(`expected one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(v)}`);
      }
      return v;
  }
}
