// The node under test for the end-to-end bench: `copr server` (the cli's built dist/bin.js) in a
// child process on LMDB in a temporary directory, with split keys from a JSON config file, so that
// its memory is measured apart from the client's. Also reads peak RSS from /proc and the server's
// Prometheus metrics.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));

/** A running `copr server` child. */
export interface BenchNode {
  readonly pid: number;
  readonly address: string;
  readonly statusAddress: string;
  readonly dataDir: string;
  /** Stops the server (SIGTERM, SIGKILL after 30 s) and removes the data directory. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts `copr server` on a fresh LMDB directory with `splitKeys` (raw keys) and the default read
 * pool (one worker per core). Resolves once the server logs its addresses.
 */
export async function startNode(splitKeys: readonly Uint8Array[]): Promise<BenchNode> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "copr-e2e-"));
  const dataDir = path.join(tmp, "data");
  const configFile = path.join(tmp, "copr.json");
  writeFileSync(
    configFile,
    JSON.stringify({
      "data-dir": dataDir,
      addr: "127.0.0.1:0",
      "status-addr": "127.0.0.1:0",
      "split-keys": splitKeys.map((k) => Buffer.from(k).toString("hex")),
      "log-level": "warn",
    }),
  );
  const child: ChildProcess = spawn(process.execPath, [BIN, "server", "--config", configFile], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  // Never leave the server behind if the bench process ends early.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  let exited = false;
  const exitPromise = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      resolve();
    }),
  );

  let stderr = "";
  try {
    const addrs = await new Promise<[string, string]>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`copr server did not start in 30 s:\n${stderr}`)),
        30_000,
      );
      child.stderr!.setEncoding("utf8");
      child.stderr!.on("data", (s: string) => {
        stderr += s;
        const m = /listening on (\S+) \(status (\S+)\)/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve([m[1]!, m[2]!]);
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`copr server exited (code ${code}) before listening:\n${stderr}`));
      });
    });
    let closed: Promise<void> | null = null;
    return {
      pid: child.pid!,
      address: addrs[0],
      statusAddress: addrs[1],
      dataDir,
      close() {
        closed ??= (async () => {
          if (!exited) {
            child.kill("SIGTERM");
            const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
            await exitPromise;
            clearTimeout(timer);
          }
          process.removeListener("exit", killOnExit);
          rmSync(tmp, { recursive: true, force: true });
        })();
        return closed;
      },
    };
  } catch (e) {
    child.kill("SIGKILL");
    await exitPromise;
    process.removeListener("exit", killOnExit);
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Peak and current resident set size (bytes) of a process, from /proc/<pid>/status. */
export function memoryOf(pid: number | "self"): { peak: number; current: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { peak: kb("VmHWM") * 1024, current: kb("VmRSS") * 1024 };
}

/**
 * Resets a process's peak RSS to its current RSS (writing 5 to /proc/<pid>/clear_refs, Linux ≥ 4.0),
 * so that the next phase's peak is its own. Returns false where the kernel refuses.
 */
export function resetPeak(pid: number | "self"): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** The node's Prometheus metrics as `name{labels}` → value (samples only). */
export async function scrapeMetrics(statusAddress: string): Promise<Map<string, number>> {
  const res = await fetch(`http://${statusAddress}/metrics`);
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
  const out = new Map<string, number>();
  for (const line of (await res.text()).split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const i = line.lastIndexOf(" ");
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}
