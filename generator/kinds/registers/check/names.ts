import type { Diagnostics } from "../../../diagnostics.ts";
import type { ElabRegistersSpec } from "../../../elaborate/model.ts";
import { checkFieldNames, clusterOrigin, nameClaims } from "../../../check/names.ts";
import { kindReaches } from "../../index.ts";

/** Names become identifiers in every language the kind reaches, so they must stay distinct there. */
export function checkNames(spec: ElabRegistersSpec, d: Diagnostics): void {
  const reaches = kindReaches("registers");
  const claim = nameClaims(d, reaches);
  for (const l of spec.layouts) claim(l.name, "layout", l.loc);
  for (const r of spec.registers) claim(r.name, "register", r.loc, clusterOrigin(r));
  for (const g of spec.groups) claim(g.name, "group", g.loc);
  for (const shape of [...spec.layouts, ...spec.registers]) checkFieldNames(shape, d, reaches);
}
