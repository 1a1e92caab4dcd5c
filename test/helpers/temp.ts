import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Folders made by tempDir in this test file; test/setup/temp.ts removes them after the file's
// last test, so a test that fails half way (or forgets) leaves nothing behind.
const made: string[] = [];

/** A new empty folder under the OS temp dir, removed when the test file ends. */
export function tempDir(prefix = "hwspec-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
