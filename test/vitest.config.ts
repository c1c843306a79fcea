import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**"],
    testTimeout: 60_000,
    // memory/*.test.ts measures the heap after forced collections (global.gc).
    execArgv: ["--expose-gc"],
  },
})
