import type { ElabRegistersSpec } from "../../elaborate/model.ts";
import type { Lookup } from "../../elaborate/lookup.ts";
import type { TsModuleNames } from "../../elaborate/names/ts.ts";
import { moduleOf } from "../../elaborate/names/ts.ts";
import { TsFile } from "./file.ts";
import { generateFacts, generateGroups, generateValues } from "./groups.ts";
import { generateLayout } from "./layout.ts";
import { generateInstance } from "./instance.ts";

export { moduleOf } from "../../elaborate/names/ts.ts";

/** One TS module per registers spec: layouts, then registers, then groups and facts. */
export function generateRegistersFile(spec: ElabRegistersSpec, lookup: Lookup, names: TsModuleNames): TsFile {
  const f = new TsFile(`${moduleOf(spec.rel)}.ts`, `specs/${spec.rel} (${spec.name})`, "");
  const ref = f.importShapes(names);
  if (names.reexport) f.reexport(names.reexport.module, names.reexport.values, names.reexport.types);
  // An overlay's inherited shapes are the base module's: imported and re-exported, not declared again.
  const own = (s: { name: string }) => !spec.inherits?.inherited.has(s.name);
  for (const l of spec.layouts.filter(own)) generateLayout(f, l, lookup, ref);
  for (const r of spec.registers.filter(own)) generateLayout(f, r, lookup, ref);
  generateValues(f, spec);
  generateGroups(f, spec, lookup, ref);
  generateFacts(f, spec);
  generateInstance(f, spec);
  return f;
}
