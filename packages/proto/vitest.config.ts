import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "json"],
    outputFile: { json: ".vitest-result.json" },
    benchmark: { include: ["bench/**/*.bench.ts"] },
  },
});
