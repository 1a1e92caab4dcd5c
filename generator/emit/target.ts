import type { ElabSpec } from "../elaborate/model.ts";
import type { Kind } from "../kinds/index.ts";
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
  kinds: { [K in Kind]?: (spec: SpecOf<K>, front: Front) => OutFile };
  shared?(front: Front, files: readonly OutFile[]): OutFile[] | Promise<OutFile[]>;
}

/** Every file of one target, per-spec files first, in model order. */
export async function emitTarget(t: TargetPlugin, front: Front): Promise<OutFile[]> {
  const files: OutFile[] = [];
  for (const spec of front.model.specs) {
    const one = t.kinds[spec.kind] as ((s: ElabSpec, f: Front) => OutFile) | undefined;
    if (one) files.push(one(spec, front));
  }
  return [...files, ...((await t.shared?.(front, files)) ?? [])];
}
