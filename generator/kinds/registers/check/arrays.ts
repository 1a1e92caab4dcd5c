import type { Diagnostics } from "../../../diagnostics.ts";
import type { ElabRegistersSpec } from "../../../elaborate/model.ts";
import { SPACES } from "../../../elaborate/spaces.ts";
import { hex } from "../../../resolve/values.ts";

/**
 * An array whose stride is below the space's step between registers (the element's bytes for
 * MMIO and ports) would describe elements sharing addresses; the C header's bounds fact
 * (stride >= the step) would then fail to compile. (Arrays inside groups are refused in groups.ts.)
 */
export function checkArrays(spec: ElabRegistersSpec, d: Diagnostics): void {
  for (const r of spec.registers) {
    if (!r.array || r.array.count < 2) continue;
    const step = SPACES[r.space].step(r.width);
    if (r.array.stride >= step) continue;
    const unit = r.space === "mmio" || r.space === "port" ? `each element is ${step} bytes` : `consecutive ${SPACES[r.space].plural} are ${hex(step)} apart`;
    d.error(r.loc, `array ${r.name} has stride ${hex(r.array.stride)} but ${unit}, so elements would overlap`);
  }
}
