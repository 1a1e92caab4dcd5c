import type { Diagnostics } from "../diagnostics.ts";
import type { SpecSource } from "../load/source.ts";
import type { Model, Spec } from "../model/index.ts";
import type { Kind } from "../validate/schemas.ts";
import { resolveRegistersSpec } from "./registers/spec.ts";
import { resolveDeviceSpec } from "./device/spec.ts";
import { resolveEntriesSpec } from "./entries/spec.ts";
import { resolveMachineSpec } from "./machine/spec.ts";

const RESOLVERS: Record<Kind, (src: SpecSource, d: Diagnostics) => Spec> = {
  registers: resolveRegistersSpec,
  device: resolveDeviceSpec,
  entries: resolveEntriesSpec,
  machine: resolveMachineSpec,
};

/** Valid sources to one model; specs are ordered by namespace so output never depends on file order. */
export function resolveModel(valid: { src: SpecSource; kind: Kind }[], d: Diagnostics): Model {
  const specs = valid.map(({ src, kind }) => RESOLVERS[kind](src, d));
  const seen = new Map<string, Spec>();
  for (const s of specs) {
    const first = seen.get(s.name);
    if (first) d.error(s.loc, `namespace "${s.name}" is already used by ${first.loc.file}`);
    else seen.set(s.name, s);
  }
  specs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { specs };
}
