import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Tests that spawn bin/hwspec.js run the compiled dist/, so every test run builds first: a dist/
 * older than the sources must never be what a test exercises. Build mode makes this cheap when
 * nothing changed. The emit cache of every CLI run goes to one temporary folder for the run
 * (inherited by the test workers and the processes they start), never to the user's cache folder.
 */
export default function setup(): () => void {
  const script = fileURLToPath(new URL("../../generator/build/build.mjs", import.meta.url));
  const r = spawnSync(process.execPath, [script], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
  const cache = mkdtempSync(join(tmpdir(), "hwspec-test-cache-"));
  const before = process.env.HWSPEC_CACHE_DIR;
  process.env.HWSPEC_CACHE_DIR = cache;
  return () => {
    rmSync(cache, { recursive: true, force: true });
    if (before === undefined) delete process.env.HWSPEC_CACHE_DIR;
    else process.env.HWSPEC_CACHE_DIR = before;
  };
}
