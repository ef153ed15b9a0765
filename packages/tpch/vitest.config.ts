import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Load the other @copr packages' built dist/ natively, as their users do: run through vite's
    // module transform, hot loops that call into them ran several times slower (benches read
    // 1/4 of the real speed).
    server: { deps: { external: [/\/packages\/[^/]+\/dist\//] } },
    // The fuzz and property tests run thousands of cases; on a loaded 2-core CI machine running
    // several packages at once they can take far longer than vitest's 5 s default.
    testTimeout: 60_000,
    reporters: ["default", "json"],
    outputFile: { json: ".vitest-result.json" },
    benchmark: { include: ["bench/**/*.bench.ts"] },
  },
});
