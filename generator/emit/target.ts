import type { ElabSpec } from "../elaborate/model.ts";
import type { Kind } from "../kinds/index.ts";
import { DEFAULT_GENERATE_OPTIONS, type GenerateOptions } from "../options.ts";
import type { Front } from "../pipeline.ts";
import type { OutFile } from "./types.ts";

export type SpecOf<K extends Kind> = Extract<ElabSpec, { kind: K }>;

/**
 * One output language. Per kind, how one spec becomes one file (a kind a target does not know
 * produces nothing there); plus the files shared by every spec of the target (support modules,
 * barrels), which see the per-spec files already emitted.
 */
export interface TargetPlugin {
  target: string;
  kinds: { [K in Kind]?: (spec: SpecOf<K>, front: Front, options: GenerateOptions) => OutFile };
  shared?(front: Front, files: readonly OutFile[], options: GenerateOptions): OutFile[] | Promise<OutFile[]>;
}

/** Every file of one target, per-spec files first, in model order. */
export async function emitTarget(t: TargetPlugin, front: Front, options: GenerateOptions = DEFAULT_GENERATE_OPTIONS): Promise<OutFile[]> {
  const files: OutFile[] = [];
  for (const spec of front.model.specs) {
    const one = t.kinds[spec.kind] as ((s: ElabSpec, f: Front, o: GenerateOptions) => OutFile) | undefined;
    if (one) files.push(one(spec, front, options));
  }
  return [...files, ...((await t.shared?.(front, files, options)) ?? [])];
}
