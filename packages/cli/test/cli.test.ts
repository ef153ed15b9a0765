// The built `copr` executable as a child process: help, usage errors and their exit codes, and
// `copr demo` end to end (its GROUP BY table checked against values computed here).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEMO_CITIES, DEMO_ROWS, demoRow } from "../src/index.js";

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist", "bin.js");

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 45_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === "number" ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

// The package is built before its tests (packages/cli/turbo.json): a missing bin is a failure.
describe("copr (dist/bin.js)", () => {
  it("is built", () => {
    expect(existsSync(BIN)).toBe(true);
  });

  it("prints help and exits 0; usage errors exit 2", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: copr <command>/);
    const loadHelp = await run(["load", "--help"]);
    expect(loadHelp.stdout).toMatch(/--table-id N/);
    const unknown = await run(["load", "--frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/load: Unknown option '--frobnicate'/);
    const missing = await run(["load", "--schema"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--schema/);
    const noCsv = await run(["load", "--schema", "x.json"]);
    expect(noCsv.code).toBe(2);
    expect(noCsv.stderr).toMatch(/missing --csv FILE/);
    const cmd = await run(["frob"]);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toMatch(/unknown command 'frob'/);
  });

  it("demo: loads, queries and prints the tables, exits 0", async () => {
    const { code, stdout, stderr } = await run(["demo"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/Loaded 3000 rows into table 100/);
    // GROUP BY city over qty > 50: recompute from the generator.
    const groups = new Map<string, { n: number; cents: number }>();
    for (let i = 1; i <= DEMO_ROWS; i++) {
      const [, city, qty, amount] = demoRow(i);
      if (Number(qty) <= 50) continue;
      const g = groups.get(city) ?? { n: 0, cents: 0 };
      g.n++;
      g.cents += Math.round(Number(amount) * 100);
      groups.set(city, g);
    }
    for (const city of DEMO_CITIES) {
      const g = groups.get(city)!;
      const sum = `${Math.floor(g.cents / 100)}.${String(g.cents % 100).padStart(2, "0")}`;
      expect(stdout).toMatch(new RegExp(`\\| ${city} +\\| +${g.n} \\| +${sum.replace(".", "\\.")} \\|`));
    }
    // LIMIT 5: the first five rows by handle.
    expect(stdout).toMatch(/\| +1 \| Cairo +\| +38 \| +79\.19 \| 2024-01-02 01:00:00 \|/);
    // TopN: the largest amount.
    let best = 0;
    let bestId = 0;
    for (let i = 1; i <= DEMO_ROWS; i++) {
      const a = Math.round(Number(demoRow(i)[3]) * 100);
      if (a > best) [best, bestId] = [a, i];
    }
    expect(stdout).toMatch(
      new RegExp(`\\| +${bestId} \\| \\w+ +\\| ${(best / 100).toFixed(2).replace(".", "\\.")} \\|`),
    );
    // Execution summaries: the scan read every row for the aggregation.
    expect(stdout).toMatch(/\| TableFullScan \| +3000 \|/);
    expect(stdout).toMatch(/\| HashAgg +\| +6 \|/);
    expect(stdout).toMatch(/Node stopped\./);
  });
});
