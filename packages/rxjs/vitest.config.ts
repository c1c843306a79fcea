import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The memory test calls gc() between samples so heapUsed measures what is retained.
    execArgv: ["--expose-gc"],
  },
})
