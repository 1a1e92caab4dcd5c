import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Tests that spawn bin/hwspec.js run the compiled dist/, so every test run builds first: a dist/
 * older than the sources must never be what a test exercises. Build mode makes this cheap when
 * nothing changed.
 */
export default function setup(): void {
  const script = fileURLToPath(new URL("../../generator/build/build.mjs", import.meta.url));
  const r = spawnSync(process.execPath, [script], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
}
