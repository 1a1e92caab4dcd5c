import type { ElabSpec } from "../elaborate/model.ts";
import { kindReaches, type Kind } from "../kinds/index.ts";
import type { TargetLanguage } from "../elaborate/names/reserved-words.ts";
import { DEFAULT_GENERATE_OPTIONS, type GenerateOptions } from "../options.ts";
import type { Front } from "../pipeline.ts";
import type { OutFile } from "./types.ts";

export type SpecOf<K extends Kind> = Extract<ElabSpec, { kind: K }>;

/** What files shared by a whole target see of each spec of the tree. */
export interface TreeSpec {
  rel: string;
  name: string;
}

/**
 * One output language. Per kind, how one spec becomes one file (a kind a target does not know
 * produces nothing there); plus the files shared by every spec of the target (barrels), which see
 * the tree's specs and the per-spec files already emitted.
 */
export interface TargetPlugin {
  target: string;
  /** Its language; it emits only kinds whose plugin `reaches` it. */
  language: TargetLanguage;
  kinds: { [K in Kind]?: (spec: SpecOf<K>, front: Front, options: GenerateOptions) => OutFile };
  shared?(specs: readonly TreeSpec[], files: readonly OutFile[], options: GenerateOptions): OutFile[] | Promise<OutFile[]>;
  /**
   * Shared files made from the generator alone (its static sources, the spec format's schemas),
   * never from the tree or the options: a cache keyed by the generator serves them unmade.
   */
  fixed?(): OutFile[] | Promise<OutFile[]>;
}

/** Every file of one target, per-spec files first, in model order. */
export async function emitTarget(t: TargetPlugin, front: Front, options: GenerateOptions = DEFAULT_GENERATE_OPTIONS): Promise<OutFile[]> {
  const files: OutFile[] = [];
  for (const spec of front.model.specs) {
    const one = t.kinds[spec.kind] as ((s: ElabSpec, f: Front, o: GenerateOptions) => OutFile) | undefined;
    if (!one) continue;
    // Identifiers were named only for the languages a kind reaches: emitting another would print unnamed ones.
    if (!kindReaches(spec.kind).includes(t.language)) throw new Error(`internal: target ${t.target} emits ${spec.kind} specs, which do not reach ${t.language}`);
    files.push(one(spec, front, options));
  }
  return [...files, ...((await t.shared?.(front.model.specs, files, options)) ?? []), ...((await t.fixed?.()) ?? [])];
}
