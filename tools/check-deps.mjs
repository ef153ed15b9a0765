#!/usr/bin/env node
// Fails when a package depends on, or imports, a @copr package outside the allowed graph
// (docs/architecture.md draws the same graph).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const ALLOWED = {
  proto: [],
  datatype: [],
  codec: ["datatype"],
  storage: ["datatype", "codec"],
  expr: ["datatype", "codec", "proto"],
  aggr: ["expr", "codec", "datatype", "proto"],
  executors: ["aggr", "expr", "codec", "datatype", "proto", "tpch"],
  server: ["executors", "storage", "codec", "proto", "datatype"],
  client: ["proto", "codec", "datatype"],
  cli: ["server", "client", "proto", "codec", "datatype", "tpch"],
  // Bench support (private, never published): only benches import it.
  tpch: [],
};

const root = new URL("..", import.meta.url).pathname;
const problems = [];

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sourceFiles(p);
    else if (/\.(ts|mts|js|mjs)$/.test(name)) yield p;
  }
}

for (const pkg of readdirSync(join(root, "packages"))) {
  const dir = join(root, "packages", pkg);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const allowed = ALLOWED[pkg];
  if (!allowed) {
    problems.push(`packages/${pkg}: not in the package graph of tools/check-deps.mjs`);
    continue;
  }
  const declared = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })
    .filter((d) => d.startsWith("@copr/"))
    .map((d) => d.slice("@copr/".length));
  for (const d of declared) {
    if (!allowed.includes(d)) problems.push(`packages/${pkg}: may not depend on @copr/${d}`);
  }
  for (const sub of ["src", "test", "bench"]) {
    let files;
    try {
      files = [...sourceFiles(join(dir, sub))];
    } catch {
      continue;
    }
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      for (const m of text.matchAll(/from\s+["']@copr\/([a-z-]+)/g)) {
        const dep = m[1];
        if (dep === pkg) continue;
        if (!allowed.includes(dep)) problems.push(`${f.slice(root.length)}: imports @copr/${dep}`);
        else if (sub === "src" && !declared.includes(dep)) {
          problems.push(`${f.slice(root.length)}: imports @copr/${dep}, not in dependencies`);
        }
      }
    }
  }
}

if (problems.length > 0) {
  console.error(`check-deps: ${problems.length} problem(s)\n${problems.join("\n")}`);
  process.exit(1);
}
console.log("check-deps: package graph ok");
