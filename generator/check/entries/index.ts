import type { Diagnostics, Loc } from "../../diagnostics.ts";
import { entriesSpecs, type EntriesSpec } from "../../model/entries.ts";
import type { Model } from "../../model/index.ts";
import { reservedBy } from "../reserved-words.ts";
import { checkAsserts, checkConstants, checkConversions } from "./expressions.ts";
import { checkFlags, checkPacking } from "./flags.ts";
import { checkLevels } from "./formats.ts";

export function checkEntries(model: Model, d: Diagnostics): void {
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
function checkNames(spec: EntriesSpec, d: Diagnostics): void {
  const seen = new Map<string, string>();
  const claim = (name: string, what: string, loc: Loc) => {
    const lang = reservedBy(name);
    if (lang) d.error(loc, `${what} name "${name}" is reserved in ${lang}`);
    const prior = seen.get(name.toUpperCase());
    if (prior) d.error(loc, `${what} name "${name}" collides with ${prior} (names must differ ignoring case)`);
    else seen.set(name.toUpperCase(), `${what} "${name}"`);
  };
  for (const c of spec.constants) claim(c.name, "constant", c.loc);
  for (const f of spec.flags.flags) claim(f.name, "flag", f.loc);
  for (const s of spec.flagSets) claim(s.name, "flag set", s.loc);
  for (const c of spec.conversions) claim(c.name, "conversion", c.loc);
  for (const l of spec.levels) for (const f of l.formats) claim(f.name, "format", f.loc);
  for (const l of spec.levels) {
    for (const f of l.formats) {
      const fields = new Map<string, string>();
      for (const x of f.fields) {
        const lang = reservedBy(x.name);
        if (lang) d.error(x.loc, `field name "${x.name}" is reserved in ${lang}`);
        if (x.name === "raw") d.error(x.loc, `field name "raw" is taken by the raw value of every layout`);
        const prior = fields.get(x.name.toUpperCase());
        if (prior) d.error(x.loc, `field "${x.name}" collides with field "${prior}" in ${f.name} (names must differ ignoring case)`);
        else fields.set(x.name.toUpperCase(), x.name);
      }
    }
  }
}
