#!/usr/bin/env node
// tsc does not copy the generated JavaScript and its declarations; this puts them next to dist/index.js.
import { copyFileSync, mkdirSync } from "node:fs";

const pkgDir = new URL("..", import.meta.url).pathname;
mkdirSync(`${pkgDir}dist/gen`, { recursive: true });
for (const f of ["tikv.js", "tikv.d.ts"]) copyFileSync(`${pkgDir}src/gen/${f}`, `${pkgDir}dist/gen/${f}`);
