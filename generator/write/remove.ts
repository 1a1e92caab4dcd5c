import { rmdirSync, rmSync, unlinkSync } from "node:fs";

/**
 * Removes a file; one already gone is no error. In place of `rmSync(path, { force: true })`,
 * which on Node 20 loads and runs a whole recursive remover for one unlink, on every write.
 */
export function unlinkIfThere(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
}

/** Removes a folder expected to be empty by now (the staging folder once its files moved out); whatever is still in it goes too. */
export function removeFolder(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    rmSync(dir, { recursive: true, force: true });
  }
}
