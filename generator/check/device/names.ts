import type { Diagnostics, Loc } from "../../diagnostics.ts";
import type { DeviceSpec } from "../../model/index.ts";
import { reservedBy } from "../reserved-words.ts";

/** Top-level names (layouts, registers and their aliases, hooks, interrupts, constants) become identifiers: free in every target and distinct ignoring case. */
export function checkDeviceNames(spec: DeviceSpec, d: Diagnostics): void {
  const top = new Map<string, string>();
  const claim = (name: string, what: string, loc: Loc) => {
    const lang = reservedBy(name);
    if (lang) d.error(loc, `${what} name "${name}" is reserved in ${lang}`);
    const key = name.toUpperCase();
    const prior = top.get(key);
    if (prior) d.error(loc, `${what} name "${name}" collides with ${prior} (names must differ ignoring case)`);
    else top.set(key, `${what} "${name}"`);
  };
  for (const l of spec.layouts) claim(l.name, "layout", l.loc);
  for (const r of spec.registers) {
    claim(r.name, "register", r.loc);
    for (const a of r.aliases) claim(a, `alias of ${r.name}`, r.loc);
  }
  for (const h of spec.hooks) claim(h.name, "hook", h.loc);
  for (const i of spec.interrupts) claim(i.name, "interrupt", i.loc);
  for (const c of spec.constants) claim(c.name, "constant", c.loc);
  for (const shape of [...spec.layouts, ...spec.registers.filter((r) => !r.sharedLayout)]) {
    const seen = new Map<string, string>();
    for (const f of shape.fields) {
      const lang = reservedBy(f.name);
      if (lang) d.error(f.loc, `field name "${f.name}" is reserved in ${lang}`);
      if (f.name === "raw") d.error(f.loc, `field name "raw" is taken by the raw value of every layout`);
      const key = f.name.toUpperCase();
      const prior = seen.get(key);
      if (prior) d.error(f.loc, `field "${f.name}" collides with field "${prior}" in ${shape.name} (names must differ ignoring case)`);
      else seen.set(key, f.name);
    }
  }
}
