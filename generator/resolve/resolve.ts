import type { Diagnostics } from "../diagnostics.ts";
import type { SpecSource } from "../load/source.ts";
import type { Model, Spec } from "../model/index.ts";
import { KIND_PLUGINS, type Kind } from "../kinds/index.ts";

/** Valid sources to one model; specs are ordered by namespace so output never depends on file order. */
export function resolveModel(valid: { src: SpecSource; kind: Kind }[], d: Diagnostics): Model {
  const specs = valid.map(({ src, kind }) => KIND_PLUGINS[kind].resolve(src, d) as Spec);
  const seen = new Map<string, Spec>();
  for (const s of specs) {
    const first = seen.get(s.name);
    if (first) d.error(s.loc, `namespace "${s.name}" is already used by ${first.loc.file}`);
    else seen.set(s.name, s);
  }
  specs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { specs };
}
