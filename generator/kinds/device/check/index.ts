import type { Diagnostics } from "../../../diagnostics.ts";
import type { ElabModel } from "../../../elaborate/model.ts";
import type { Lookup } from "../../../elaborate/lookup.ts";
import { checkBits } from "../../registers/check/bits.ts";
import { checkLayoutRefs } from "../../registers/check/layout-refs.ts";
import { checkValues } from "../../registers/check/values.ts";
import { checkAliases } from "./aliases.ts";
import { checkDeviceExpressions } from "./expressions.ts";
import { checkHooks } from "./hooks.ts";
import { checkDeviceNames } from "./names.ts";
import { checkOffsets } from "./offsets.ts";
import { checkWidths } from "./widths.ts";
import { deviceSpecs } from "../../../elaborate/lookup.ts";
import { checkInstance } from "../../../check/instance.ts";

/** Semantic checks of `device` specs; bit layouts reuse the registers checks. */
export function checkDevices(model: ElabModel, lookup: Lookup, d: Diagnostics): void {
  const specs = deviceSpecs(model);
  for (const spec of specs) {
    checkDeviceNames(spec, d);
    // A register on a shared layout has the layout's bits, already checked with the layout.
    for (const shape of [...spec.layouts, ...spec.registers.filter((r) => !r.sharedLayout)]) {
      checkBits(shape, d);
      checkLayoutRefs(shape, lookup, d);
    }
    for (const shape of [...spec.layouts, ...spec.registers]) checkValues(shape, d);
    checkOffsets(spec, d);
    checkWidths(spec, d);
    checkHooks(spec, d);
    checkAliases(spec, d);
    checkInstance(spec, d);
  }
  // Expressions walk field paths, which is only safe once layouts are known good.
  if (d.count) return;
  for (const spec of specs) checkDeviceExpressions(spec, d);
}
