import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

/**
 * Where the emit cache lives, never inside an output folder: `HWSPEC_CACHE_DIR` when set (empty or
 * `off` turns the cache off); else `node_modules/.cache/hwspec` of the project (the place build
 * tools share, which `npm ci` and `git clean -x` clear and no one commits); else the user's cache
 * folder (XDG_CACHE_HOME or ~/.cache, ~/Library/Caches on macOS, LOCALAPPDATA on Windows).
 * Returns undefined when caching is off.
 */
export function cacheDir(projectRoot: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const set = env.HWSPEC_CACHE_DIR;
  if (set !== undefined) return set === "" || set === "off" ? undefined : resolve(set);
  const modules = join(resolve(projectRoot), "node_modules");
  if (isDir(modules)) return join(modules, ".cache", "hwspec");
  const home = homedir();
  const base =
    process.platform === "win32" ? (env.LOCALAPPDATA ?? join(home, "AppData", "Local")) : process.platform === "darwin" ? join(home, "Library", "Caches") : (env.XDG_CACHE_HOME ?? join(home, ".cache"));
  return join(base, "hwspec");
}

function isDir(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isDirectory();
  } catch {
    return false;
  }
}
