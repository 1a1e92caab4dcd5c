import type { Diagnostics } from "../../../diagnostics.ts";
import type { ElabDeviceSpec } from "../../../elaborate/model.ts";
import { hex } from "../../../resolve/values.ts";

/** Every register is naturally aligned, lies inside the block, and shares no byte with another. */
export function checkOffsets(spec: ElabDeviceSpec, d: Diagnostics): void {
  const size = spec.block.size;
  for (const r of spec.registers) {
    const bytes = BigInt(r.width / 8);
    if (r.offset % bytes !== 0n) {
      d.error(r.loc, `register ${r.name} at offset ${hex(r.offset)} is misaligned: a ${r.width}-bit register needs an offset that is a multiple of ${bytes}`);
    }
    if (r.offset + bytes > size) {
      d.error(r.loc, `register ${r.name} (offset ${hex(r.offset)}, ${bytes} bytes) lies beyond the end of the ${hex(size)}-byte block`);
    }
  }
  // Registers are sorted by offset, so an overlap always involves a neighbour of some earlier register.
  const regs = spec.registers;
  for (let i = 0; i < regs.length; i++) {
    const a = regs[i]!;
    const aEnd = a.offset + BigInt(a.width / 8);
    for (let j = i + 1; j < regs.length && regs[j]!.offset < aEnd; j++) {
      const b = regs[j]!;
      d.error(b.loc, `register ${b.name} (offset ${hex(b.offset)}) overlaps register ${a.name} (offset ${hex(a.offset)}, ${a.width / 8} byte${a.width === 8 ? "" : "s"}); give a register other names with "aliases" instead`);
    }
  }
}
