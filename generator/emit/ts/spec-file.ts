import type { ElabRegistersSpec } from "../../elaborate/model.ts";
import type { Lookup } from "../../elaborate/lookup.ts";
import type { TsModuleNames } from "../../elaborate/names/ts.ts";
import { moduleOf } from "../../elaborate/names/ts.ts";
import { TsFile } from "./file.ts";
import { generateFacts, generateGroups, generateValues } from "./groups.ts";
import { generateLayout } from "./layout.ts";

export { moduleOf } from "../../elaborate/names/ts.ts";

/** One TS module per registers spec: layouts, then registers, then groups and facts. */
export function generateRegistersFile(spec: ElabRegistersSpec, lookup: Lookup, names: TsModuleNames): TsFile {
  const f = new TsFile(`${moduleOf(spec.rel)}.ts`, `specs/${spec.rel} (${spec.name})`, "");
  const ref = f.importShapes(names);
  for (const l of spec.layouts) generateLayout(f, l, lookup, ref);
  for (const r of spec.registers) generateLayout(f, r, lookup, ref);
  generateValues(f, spec);
  generateGroups(f, spec, lookup, ref);
  generateFacts(f, spec);
  return f;
}
