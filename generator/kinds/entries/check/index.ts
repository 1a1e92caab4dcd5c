import type { Diagnostics } from "../../../diagnostics.ts";
import { entriesSpecs } from "../../../elaborate/lookup.ts";
import type { ElabEntriesSpec, ElabModel } from "../../../elaborate/model.ts";
import { checkFieldNames, nameClaims } from "../../../check/names.ts";
import { kindReaches } from "../../index.ts";
import { checkAsserts, checkConstants, checkConversions } from "./expressions.ts";
import { checkFlags, checkPacking } from "./flags.ts";
import { checkLevels } from "./formats.ts";

export function checkEntries(model: ElabModel, d: Diagnostics): void {
  for (const spec of entriesSpecs(model)) {
    const before = d.count;
    checkNames(spec, d);
    checkPacking(spec, d);
    checkFlags(spec, d);
    const values = checkConstants(spec, d);
    if (d.count > before) continue;
    checkLevels(spec, values, d);
    checkConversions(spec, values, d);
    checkAsserts(spec, values, d);
  }
}

/** Constants, flags, flag sets, conversions and formats share one namespace in every target. */
function checkNames(spec: ElabEntriesSpec, d: Diagnostics): void {
  const reaches = kindReaches("entries");
  const claim = nameClaims(d, reaches);
  for (const c of spec.constants) claim(c.name, "constant", c.loc);
  for (const f of spec.flags?.flags ?? []) claim(f.name, "flag", f.loc);
  for (const s of spec.flagSets) claim(s.name, "flag set", s.loc);
  for (const c of spec.conversions) claim(c.name, "conversion", c.loc);
  for (const l of spec.levels) for (const f of l.formats) claim(f.name, "format", f.loc);
  for (const l of spec.levels) for (const f of l.formats) checkFieldNames(f, d, reaches);
}
