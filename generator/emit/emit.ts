import { DEFAULT_GENERATE_OPTIONS, effectiveOptions, type GenerateOptions } from "../options.ts";
import type { Front } from "../pipeline.ts";
import { emitTarget } from "./target.ts";
import { TARGETS } from "./targets.ts";
import type { OutFile } from "./types.ts";

/**
 * The targets `options` asks for over the elaborated model, unformatted, as TS or (`js+dts`)
 * compiled to JavaScript and declarations; sorted by path so nothing depends on emitter order.
 */
export async function emitAll(front: Front, options: GenerateOptions = DEFAULT_GENERATE_OPTIONS): Promise<OutFile[]> {
  const effective = effectiveOptions(options);
  let files: OutFile[] = [];
  for (const name of effective.targets) files.push(...(await emitTarget(TARGETS[name], front, effective)));
  if (effective.ts.emit === "js+dts") files = (await import("./js-output.ts")).toJsAndDts(files);
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`internal: two emitters wrote ${f.path}`);
    seen.add(f.path);
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
