import type { Front } from "../pipeline.ts";
import { emitTarget } from "./target.ts";
import { TARGETS } from "./targets.ts";
import type { OutFile } from "./types.ts";

/** Every target over the elaborated model; output sorted by path so nothing depends on emitter order. */
export async function emitAll(front: Front): Promise<OutFile[]> {
  const files: OutFile[] = [];
  for (const t of Object.values(TARGETS)) files.push(...(await emitTarget(t, front)));
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`internal: two emitters wrote ${f.path}`);
    seen.add(f.path);
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
