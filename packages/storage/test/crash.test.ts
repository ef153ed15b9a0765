// kill -9 of a writer mid-transaction: batches are all-or-nothing, committed data survives
// reopening, and ResolveLock rolls the dead transactions forward or back.

import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, expect, it } from "vitest";
import { Mvcc, openLmdbEngine } from "../src/index.js";
import { enc, ensureDist, str } from "./helpers.js";

let dir = "";
beforeAll(() => {
  ensureDist();
});
afterEach(() => {
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

it("survives SIGKILL between prewrite and commit", async () => {
  dir = mkdtempSync(join(tmpdir(), "copr-crash-"));
  const child = fork(new URL("./fixtures/crash-writer.mjs", import.meta.url).pathname, [dir], {
    stdio: "pipe",
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("writer did not get ready in 20 s")), 20_000);
      child.once("message", () => {
        clearTimeout(timer);
        resolve();
      });
      child.once("exit", (code) => reject(new Error(`writer exited early with ${code}`)));
    });
    // Let it write some of txn B, then kill it without warning.
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    child.kill("SIGKILL");
    await new Promise((r) =>
      child.exitCode !== null || child.signalCode !== null ? r(null) : child.once("exit", r),
    );
  }
  expect(child.signalCode).toBe("SIGKILL");

  const engine = openLmdbEngine({ path: dir });
  const mvcc = new Mvcc(engine);
  const all = { start: new Uint8Array(0), end: new Uint8Array(0) };
  try {
    // The committed txn survived.
    const c = mvcc.scan({ start: enc("c"), end: enc("d") }, 12n, 0);
    expect(c).toHaveLength(50);
    expect(str(c[7]!.value)).toBe("c7");
    // Locks of both dead txns are there; B's 10-key batches landed whole or not at all.
    const locks = mvcc.scanLock(1000n, all, 0);
    const aLocks = locks.filter((l) => l.lockVersion === 100n);
    const bLocks = locks.filter((l) => l.lockVersion === 200n);
    expect(aLocks).toHaveLength(200);
    expect(bLocks.length).toBeGreaterThan(0);
    expect(bLocks.length % 10).toBe(0);
    // Reads at a later ts are blocked by the locks.
    expect(() => mvcc.get(enc("a000001"), 500n)).toThrow(/key is locked/);

    // Roll A forward, B back.
    mvcc.resolveLock(100n, 150n);
    mvcc.resolveLock(200n, 0n);
    expect(mvcc.scanLock(1000n, all, 0)).toEqual([]);
    const a = mvcc.scan({ start: enc("a"), end: enc("b") }, 500n, 0);
    expect(a).toHaveLength(200);
    expect(str(a[1]!.value)).toBe("a1".repeat(40)); // a long value from the default CF
    expect(mvcc.scan({ start: enc("b"), end: enc("c") }, 500n, 0)).toEqual([]);
  } finally {
    await engine.close();
  }
  // And all of it is still there after another reopen.
  const again = openLmdbEngine({ path: dir, readOnly: true });
  try {
    expect(new Mvcc(again).scan(all, 500n, 0)).toHaveLength(250);
  } finally {
    await again.close();
  }
});
