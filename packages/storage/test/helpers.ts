// Test helpers: engines to run the same tables against, and TiKV-style must_* shorthands
// (modelled on src/storage/txn/actions/tests.rs and src/storage/mvcc/mod.rs test helpers).

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import {
  appendTs,
  type Engine,
  encodeUserKey,
  MemoryEngine,
  type Mvcc,
  openLmdbEngine,
  parseLock,
  parseWrite,
  type ReadOptions,
  type Write,
} from "../src/index.js";

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const str = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b));

/** A fresh engine and a disposer. */
export interface EngineCase {
  name: string;
  make(): { engine: Engine; dispose(): Promise<void> };
}

export const ENGINES: EngineCase[] = [
  {
    name: "memory",
    make() {
      const engine = new MemoryEngine();
      return { engine, dispose: () => engine.close() };
    },
  },
  {
    name: "lmdb",
    make() {
      const dir = mkdtempSync(join(tmpdir(), "copr-storage-"));
      const engine = openLmdbEngine({ path: dir, mapSize: 256 * 1024 * 1024, noSync: true });
      return {
        engine,
        async dispose() {
          await engine.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

/** The must_* vocabulary over one Mvcc. */
export class T {
  constructor(
    readonly mvcc: Mvcc,
    readonly engine: Engine,
  ) {}

  prewritePut(k: string | Uint8Array, v: string | Uint8Array, pk: string, ts: bigint, ttl = 0n): void {
    this.mustPrewrite([{ op: "Put", key: bytes(k), value: bytes(v) }], pk, ts, ttl);
  }
  prewriteDelete(k: string, pk: string, ts: bigint, ttl = 0n): void {
    this.mustPrewrite([{ op: "Del", key: enc(k) }], pk, ts, ttl);
  }
  prewriteLock(k: string, pk: string, ts: bigint, ttl = 0n): void {
    this.mustPrewrite([{ op: "Lock", key: enc(k) }], pk, ts, ttl);
  }
  mustPrewrite(
    mutations: {
      op: "Put" | "Del" | "Lock" | "Insert" | "CheckNotExists";
      key: Uint8Array;
      value?: Uint8Array;
    }[],
    pk: string,
    ts: bigint,
    ttl = 0n,
  ): void {
    const errs = this.mvcc.prewrite({ mutations, primaryLock: enc(pk), startVersion: ts, lockTtl: ttl });
    expect(errs).toEqual([]);
  }
  commit(k: string, start: bigint, commit: bigint): void {
    this.mvcc.commit([enc(k)], start, commit);
  }
  rollback(k: string, start: bigint): void {
    this.mvcc.batchRollback([enc(k)], start);
  }
  get(k: string | Uint8Array, ts: bigint, opts?: ReadOptions): string | null {
    return str(this.mvcc.get(bytes(k), ts, opts));
  }
  /** The lock on `k`, parsed. */
  lock(k: string) {
    const s = this.engine.snapshot();
    try {
      const b = s.get("lock", encodeUserKey(enc(k)));
      return b === null ? null : parseLock(b);
    } finally {
      s.release();
    }
  }
  /** The write record of `k` at `commitTs`, parsed. */
  write(k: string, commitTs: bigint): Write | null {
    const s = this.engine.snapshot();
    try {
      const b = s.get("write", appendTs(encodeUserKey(enc(k)), commitTs));
      return b === null ? null : parseWrite(b);
    } finally {
      s.release();
    }
  }
  /** Whether the default CF holds a value of `k` at `startTs`. */
  hasDefault(k: string, startTs: bigint): boolean {
    const s = this.engine.snapshot();
    try {
      return s.get("default", appendTs(encodeUserKey(enc(k)), startTs)) !== null;
    } finally {
      s.release();
    }
  }
}

export function bytes(x: string | Uint8Array): Uint8Array {
  return typeof x === "string" ? enc(x) : x;
}

/** TiKV `TimeStamp::compose(physical, logical)`. */
export const compose = (physical: bigint, logical: bigint): bigint => (physical << 18n) | logical;

/**
 * Child processes and worker threads load the package from dist/: build it when it is missing
 * or older than a source file (a fresh clone runs tests before building this package).
 */
export function ensureDist(): string {
  const root = new URL("..", import.meta.url).pathname;
  const out = join(root, "dist", "index.js");
  const newest = Math.max(
    ...readdirSync(join(root, "src")).map((f) => statSync(join(root, "src", f)).mtimeMs),
  );
  if (!existsSync(out) || statSync(out).mtimeMs < newest) {
    execFileSync(
      process.execPath,
      [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
      {
        cwd: root,
        stdio: "inherit",
      },
    );
  }
  return out;
}
