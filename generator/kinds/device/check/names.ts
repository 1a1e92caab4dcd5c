import type { Diagnostics } from "../../../diagnostics.ts";
import type { ElabDeviceSpec } from "../../../elaborate/model.ts";
import { checkFieldNames, clusterOrigin, nameClaims } from "../../../check/names.ts";
import { kindReaches } from "../../index.ts";

/** Top-level names (layouts, registers and their aliases, hooks, interrupts, constants) become identifiers and object keys: distinct ignoring case, none of JavaScript's object machinery. */
export function checkDeviceNames(spec: ElabDeviceSpec, d: Diagnostics): void {
  const reaches = kindReaches("device");
  const claim = nameClaims(d, reaches);
  for (const l of spec.layouts) claim(l.name, "layout", l.loc);
  for (const r of spec.registers) {
    claim(r.name, "register", r.loc, clusterOrigin(r));
    for (const a of r.aliases) claim(a, `alias of ${r.name}`, r.loc);
  }
  for (const h of spec.hooks) claim(h.name, "hook", h.loc);
  for (const i of spec.interrupts) claim(i.name, "interrupt", i.loc);
  for (const c of spec.constants) claim(c.name, "constant", c.loc);
  for (const shape of [...spec.layouts, ...spec.registers.filter((r) => !r.sharedLayout)]) checkFieldNames(shape, d, reaches);
}
