import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of hwspec's own package.json. The same modules run from the sources (generator/…)
 * and from the build (dist/generator/…), one level deeper, so files shipped beside package.json
 * (the JSON Schemas, the version) are found by walking up rather than by a fixed relative path.
 */
export function packageRoot(): string {
  root ??= find(dirname(fileURLToPath(import.meta.url)));
  return root;
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

let root: string | undefined;

function find(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "hwspec") return dir;
    if (dirname(dir) === dir) throw new Error(`internal: no package.json of hwspec above ${from}`);
  }
}
