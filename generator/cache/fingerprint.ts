import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { packageVersion } from "../package-root.ts";

let memo: string | undefined;

/**
 * What identifies the generator that filled a cache: its version and a hash of its own code (the
 * folder this module sits in, sources or build alike). The version alone is not enough: a
 * development checkout changes the emitters without changing the version, and a cache from before
 * the change must not be served.
 */
export function generatorFingerprint(): string {
  if (memo) return memo;
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const h = createHash("sha256").update(`hwspec ${packageVersion()}\0`);
  const walk = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path, `${rel}${e.name}/`);
      else if (e.isFile() && /\.(ts|js|mjs|hbs|css|json|txt)$/.test(e.name) && !e.name.endsWith(".d.ts")) {
        h.update(`${rel}${e.name}\0`).update(readFileSync(path)).update("\0");
      }
    }
  };
  walk(root, "");
  memo = h.digest("hex");
  return memo;
}
