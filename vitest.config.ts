import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Builds dist/ before any test file runs; see docs/packaging.md.
    globalSetup: ["test/setup/build.ts"],
    // gcc, tsc and spin runs are slow but deterministic; a generous per-test timeout is not a timing assertion.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
