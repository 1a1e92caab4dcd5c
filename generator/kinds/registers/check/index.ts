import type { Diagnostics } from "../../../diagnostics.ts";
import type { ElabModel } from "../../../elaborate/model.ts";
import { registersSpecs, type Lookup } from "../../../elaborate/lookup.ts";
import { checkArrays } from "./arrays.ts";
import { checkBits } from "./bits.ts";
import { checkAsserts, checkAvailability } from "./expressions.ts";
import { checkAddresses } from "./addresses.ts";
import { checkGroups } from "./groups.ts";
import { checkLayoutCycles, checkLayoutRefs } from "./layout-refs.ts";
import { checkNames } from "./names.ts";
import { checkValues } from "./values.ts";
import { checkInstance } from "../../../check/instance.ts";

export function checkRegisters(model: ElabModel, lookup: Lookup, d: Diagnostics): void {
  for (const spec of registersSpecs(model)) {
    checkNames(spec, d);
    for (const shape of [...spec.layouts, ...spec.registers]) {
      checkBits(shape, d);
      checkLayoutRefs(shape, lookup, d);
      checkValues(shape, d);
    }
    checkGroups(spec, d);
    checkArrays(spec, d);
    checkAddresses(spec, d);
    checkInstance(spec, d);
  }
  checkLayoutCycles(lookup, d);
  // Expressions walk nested layouts, which is only safe once references and cycles are known good.
  if (d.count) return;
  for (const spec of registersSpecs(model)) {
    checkAvailability(spec, lookup, d);
    checkAsserts(spec, lookup, d);
  }
}
