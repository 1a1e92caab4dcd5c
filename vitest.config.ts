import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Builds dist/ before any test file runs; see docs/packaging.md.
    globalSetup: ["test/setup/build.ts"],
    // Removes the folders each test file made with tempDir, pass or fail.
    setupFiles: ["test/setup/temp.ts"],
    // gcc, tsc and spin runs are slow but deterministic; a generous per-test timeout is not a timing assertion.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Many files spend their time waiting on child processes (gcc, tsc, npm, spin, the CLI), so two
    // workers keep both cores busy; vitest's default on a 2-core machine is one.
    maxWorkers: 2,
  },
});
