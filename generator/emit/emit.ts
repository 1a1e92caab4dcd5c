import { DEFAULT_GENERATE_OPTIONS, type GenerateOptions } from "../options.ts";
import type { Front } from "../pipeline.ts";
import { emitTarget } from "./target.ts";
import { TARGETS } from "./targets.ts";
import type { OutFile } from "./types.ts";

/** The targets `options` asks for over the elaborated model; output sorted by path so nothing depends on emitter order. */
export async function emitAll(front: Front, options: GenerateOptions = DEFAULT_GENERATE_OPTIONS): Promise<OutFile[]> {
  const files: OutFile[] = [];
  for (const name of options.targets) files.push(...(await emitTarget(TARGETS[name], front, options)));
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`internal: two emitters wrote ${f.path}`);
    seen.add(f.path);
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
