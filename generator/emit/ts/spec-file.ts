import type { ElabRegistersSpec } from "../../elaborate/model.ts";
import type { Lookup } from "../../elaborate/lookup.ts";
import { TsFile } from "./file.ts";
import { generateFacts, generateGroups, generateValues } from "./groups.ts";
import { generateLayout } from "./layout.ts";

/** Module key of a spec's generated file: its path under generated/ts without extension. */
export const moduleOf = (rel: string) => rel.replace(/\.json$/, "");

/** One TS module per registers spec: layouts, then registers, then groups and facts. */
export function generateRegistersFile(spec: ElabRegistersSpec, lookup: Lookup, specOf: (ns: string) => ElabRegistersSpec | undefined): TsFile {
  const f = new TsFile(`${moduleOf(spec.rel)}.ts`, `specs/${spec.rel} (${spec.name})`, "");
  const ref = (qname: string) => {
    const layout = (lookup.layouts.get(qname) ?? lookup.registers.get(qname))!;
    if (layout.spec === spec.name) return layout.name;
    const other = specOf(layout.spec)!;
    f.import(moduleOf(other.rel), layout.name);
    for (const suffix of ["_Fields", "_Input", "_Patch"]) f.import(moduleOf(other.rel), layout.name + suffix, true);
    return layout.name;
  };
  // Imports must be known before the header is written, so cross-spec references are resolved up front.
  for (const shape of [...spec.layouts, ...spec.registers]) for (const fl of shape.fields) if (fl.layout) ref(fl.layout);
  for (const l of spec.layouts) generateLayout(f, l, lookup, ref);
  for (const r of spec.registers) generateLayout(f, r, lookup, ref);
  generateValues(f, spec);
  generateGroups(f, spec, lookup, ref);
  generateFacts(f, spec);
  return f;
}
