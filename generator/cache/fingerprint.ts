import { createHash, type Hash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { packageRoot, packageVersion } from "../package-root.ts";

let memo: string | undefined;

/** Set by the bundler (generator/build/bundle.mjs) to this function's result over the build; absent elsewhere. */
declare const HWSPEC_BUILD_FINGERPRINT: string | undefined;

/**
 * What identifies the generator that filled a cache: its version, a hash of its own code (the
 * folder this module sits in, sources or build alike) and of the spec format's schemas, and the
 * installed versions of the packages it depends on. The version alone is not enough: a
 * development checkout changes the emitters without changing the version, an edited schema
 * changes the schema types, and a newer prettier prints other bytes; a cache from before any of
 * these must not be served.
 */
export function generatorFingerprint(): string {
  if (memo) return memo;
  // The bundled CLI carries the fingerprint of the files it was built from, so a start hashes none.
  if (typeof HWSPEC_BUILD_FINGERPRINT === "string") return (memo = HWSPEC_BUILD_FINGERPRINT);
  const root = packageRoot();
  const h = createHash("sha256").update(`hwspec ${packageVersion()}\0`);
  hashFolder(h, dirname(dirname(fileURLToPath(import.meta.url))), "generator/");
  hashFolder(h, join(root, "specs", "schema"), "schema/");
  for (const [name, version] of dependencyVersions(root)) h.update(`dep ${name}@${version}\0`);
  memo = h.digest("hex");
  return memo;
}

function hashFolder(h: Hash, dir: string, rel: string): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    h.update(`${rel} missing\0`);
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) hashFolder(h, path, `${rel}${e.name}/`);
    else if (e.isFile() && /\.(ts|js|mjs|cjs|hbs|css|json|txt)$/.test(e.name) && !e.name.endsWith(".d.ts")) {
      h.update(`${rel}${e.name}\0`).update(readFileSync(path)).update("\0");
    }
  }
}

/**
 * The version of each of `root`'s package.json dependencies as installed: the package.json Node's
 * lookup would find, in node_modules of `root` or of a folder above it (where a package manager
 * hoists them). A dependency found nowhere counts as "missing", which is a version too.
 */
export function dependencyVersions(root: string): [string, string][] {
  const deps = Object.keys((JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies?: Record<string, string> }).dependencies ?? {}).sort();
  return deps.map((name) => {
    for (let dir = root; ; dir = dirname(dir)) {
      try {
        const v = (JSON.parse(readFileSync(join(dir, "node_modules", name, "package.json"), "utf8")) as { version?: unknown }).version;
        return [name, String(v)];
      } catch {
        if (dirname(dir) === dir) return [name, "missing"];
      }
    }
  });
}
