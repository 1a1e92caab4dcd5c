import type { Diagnostics } from "../../diagnostics.ts";
import type { RegistersSpec } from "../../model/index.ts";
import { reservedBy } from "../reserved-words.ts";

/** Names become identifiers in every target, so they must be free there and distinct after mapping. */
export function checkNames(spec: RegistersSpec, d: Diagnostics): void {
  const top = new Map<string, string>();
  const claim = (name: string, what: string, loc: Parameters<Diagnostics["error"]>[0]) => {
    const lang = reservedBy(name);
    if (lang) d.error(loc, `${what} name "${name}" is reserved in ${lang}`);
    // C macros are upper-cased, so names equal up to case collide there.
    const key = name.toUpperCase();
    const prior = top.get(key);
    if (prior) d.error(loc, `${what} name "${name}" collides with ${prior} (names must differ ignoring case)`);
    else top.set(key, `${what} "${name}"`);
  };
  for (const l of spec.layouts) claim(l.name, "layout", l.loc);
  for (const r of spec.registers) claim(r.name, "register", r.loc);
  for (const g of spec.groups) claim(g.name, "group", g.loc);
  for (const shape of [...spec.layouts, ...spec.registers]) {
    const seen = new Map<string, string>();
    for (const f of shape.fields) {
      const lang = reservedBy(f.name);
      if (lang) d.error(f.loc, `field name "${f.name}" is reserved in ${lang}`);
      if (f.name === "raw") d.error(f.loc, `field name "raw" is taken by the raw value of every layout`);
      const key = f.name.toUpperCase();
      const prior = seen.get(key);
      if (prior) d.error(f.loc, `field "${f.name}" collides with field "${prior}" in ${shape.name} (names must differ ignoring case)`);
      else seen.set(key, f.name);
      for (const e of f.enum) {
        const el = reservedBy(e.name);
        if (el) d.error(f.loc, `enum member "${e.name}" of field "${f.name}" is reserved in ${el}`);
      }
    }
  }
}
