import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The fuzz and property tests run thousands of cases; on a loaded 2-core CI machine running
    // several packages at once they can take far longer than vitest's 5 s default.
    testTimeout: 60_000,
    reporters: ["default", "json"],
    outputFile: { json: ".vitest-result.json" },
    benchmark: { include: ["bench/**/*.bench.ts"] },
  },
});
