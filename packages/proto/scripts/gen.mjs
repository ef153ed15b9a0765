#!/usr/bin/env node
// Generates src/gen/tikv.js (static protobufjs code, ESM) and src/gen/tikv.d.ts from proto/**.
// The output is not committed: it is 4 MB of code that follows mechanically from the .proto files,
// so it is rebuilt whenever they change (docs/proto.md explains the choice). A stamp of the inputs
// makes repeated runs (build, typecheck, test) free when nothing changed.
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const pkgDir = new URL("..", import.meta.url).pathname;
const protoDirs = ["proto/kvproto", "proto/tipb"].map((d) => join(pkgDir, d));
const outDir = join(pkgDir, "src", "gen");
const stampFile = join(outDir, ".stamp");

const files = protoDirs.flatMap((d) =>
  readdirSync(d)
    .filter((f) => f.endsWith(".proto"))
    .sort()
    .map((f) => join(d, f)),
);

// Everything that decides the output goes into the stamp.
const hash = createHash("sha256");
hash.update(readFileSync(new URL(import.meta.url)));
for (const name of ["protobufjs/package.json", "protobufjs-cli/package.json"]) {
  hash.update(JSON.parse(readFileSync(require.resolve(name), "utf8")).version);
}
for (const f of files) hash.update(f.slice(pkgDir.length)).update(readFileSync(f));
const stamp = hash.digest("hex");

const force = process.argv.includes("--force");
if (!force && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) process.exit(0);

const { pbjs, pbts } = require("protobufjs-cli");
const run = (tool, args) =>
  new Promise((resolve, reject) => tool.main(args, (err, out) => (err ? reject(err) : resolve(out))));

const common = [
  "--target",
  "static-module",
  "--wrap",
  "esm",
  // One consistent 64-bit representation: every int64/uint64/fixed64 field is a Long.
  "--force-long",
  // A root of our own, so another protobufjs user in the process keeps "default" to itself.
  "--root",
  "copr_tikv",
  "--no-verify",
  ...protoDirs.flatMap((d) => ["--path", d]),
];

const started = Date.now();
mkdirSync(outDir, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), "copr-proto-"));
try {
  // pbts reads the JSDoc of a commented build; the shipped code is the same build without comments.
  const commented = join(tmp, "tikv.js");
  await run(pbjs, [...common, "--out", commented, ...files]);
  await run(pbts, ["--out", join(outDir, "tikv.d.ts"), commented]);
  await run(pbjs, [...common, "--no-comments", "--out", join(outDir, "tikv.js"), ...files]);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
writeFileSync(stampFile, stamp);
console.log(
  `proto: generated src/gen/tikv.{js,d.ts} from ${files.length} files in ${Date.now() - started} ms`,
);
