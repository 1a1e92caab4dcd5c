import type { Diagnostics } from "../../../diagnostics.ts";
import type { ElabRegistersSpec } from "../../../elaborate/model.ts";

/**
 * An MMIO array whose stride is below its element size would describe elements sharing bytes;
 * the C header's bounds fact (stride >= sizeof the element) would then fail to compile. A group
 * is a raw array with one member per register, so an array inside one would cover element 0 only.
 */
export function checkArrays(spec: ElabRegistersSpec, d: Diagnostics): void {
  for (const g of spec.groups) {
    for (const name of g.registers) {
      const r = spec.registers.find((x) => x.name === name);
      if (r?.array) d.error(g.loc, `group "${g.name}" holds single registers, but ${name} is an array of ${r.array.count}; leave the array out of the group`);
    }
  }
  for (const r of spec.registers) {
    if (!r.array || r.array.count < 2 || r.offset === undefined) continue;
    const bytes = BigInt(r.width / 8);
    if (r.array.stride < bytes) d.error(r.loc, `array ${r.name} has stride ${r.array.stride} but each element is ${bytes} bytes, so elements would overlap`);
  }
}
