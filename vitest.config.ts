import { defineConfig } from "vitest/config";
import path from "node:path";

// Unit, simulator and integration tests. Browser tests are Playwright's (tests/e2e).
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/sim/**/*.test.ts", "tests/integration/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
