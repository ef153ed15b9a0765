// `copr server` as a child process: it serves on the address it prints, keeps data in the given
// directory across a restart, and SIGTERM closes it gracefully (exit code 0).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTikvClient } from "@copr/proto/grpc";
import { afterAll, describe, expect, it } from "vitest";

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist", "bin.js");
const dir = mkdtempSync(path.join(os.tmpdir(), "copr-cli-server-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `copr server`; resolves with the child and its gRPC address once it listens. */
function startServer(): Promise<{ child: ChildProcess; address: string; stderr: () => string }> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      "server",
      "--addr",
      "127.0.0.1:0",
      "--status-addr",
      "127.0.0.1:0",
      "--data-dir",
      dir,
      "--log-level",
      "silent",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let err = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`copr server did not start: ${err}`));
    }, 20_000);
    child.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /listening on (\S+)/.exec(err);
      if (m !== null) {
        clearTimeout(timer);
        resolve({ child, address: m[1]!, stderr: () => err });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`copr server exited with ${code}: ${err}`));
    });
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

// biome-ignore lint/suspicious/noExplicitAny: raw calls by name
type Unary = (req: object, cb: (err: Error | null, res: any) => void) => unknown;
function call(address: string, method: string, req: object): Promise<{ value?: Uint8Array; error?: string }> {
  const c = createTikvClient(address);
  const f = (c as unknown as Record<string, Unary>)[method]!.bind(c);
  return new Promise((resolve, reject) =>
    f(req, (err, res) => {
      c.close();
      if (err) reject(err);
      else resolve(res);
    }),
  );
}

const ctx = { regionId: 1, regionEpoch: { confVer: 1, version: 1 }, peer: { id: 1, storeId: 1 } };

describe("copr server", () => {
  it("serves, exits 0 on SIGTERM, and keeps its data for the next start", async () => {
    const first = await startServer();
    const put = await call(first.address, "RawPut", {
      context: ctx,
      key: Buffer.from("k"),
      value: Buffer.from("v1"),
    });
    expect(put.error ?? "").toBe("");
    const exited = exitOf(first.child);
    first.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(first.stderr()).toMatch(/SIGTERM received, closing/);
    expect(first.stderr()).toMatch(/copr server stopped/);

    const second = await startServer();
    const got = await call(second.address, "RawGet", { context: ctx, key: Buffer.from("k") });
    expect(Buffer.from(got.value ?? []).toString()).toBe("v1");
    const exited2 = exitOf(second.child);
    second.child.kill("SIGTERM");
    expect(await exited2).toBe(0);
  });
});
