import type { Diagnostics } from "../../../diagnostics.ts";
import type { ElabDeviceSpec } from "../../../elaborate/model.ts";

/** A register's access widths must be ones the block allows, and no wider than the register. */
export function checkWidths(spec: ElabDeviceSpec, d: Diagnostics): void {
  const allowed = new Set<number>(spec.block.accessWidths);
  const list = spec.block.accessWidths.join(", ");
  for (const r of spec.registers) {
    for (const w of r.accessWidths) {
      if (!allowed.has(w)) d.error(r.accessWidthsLoc, `register ${r.name} allows ${w}-bit accesses, which the block does not (block access widths: ${list})`);
      else if (w > r.width) {
        d.error(r.accessWidthsLoc, `register ${r.name} allows ${w}-bit accesses but is only ${r.width} bits wide; list its access widths with "access_widths"`);
      }
    }
    if (r.narrow === "lanes" && !r.accessWidths.some((w) => w < r.width)) {
      d.error(r.accessWidthsLoc, `register ${r.name} has "narrow": "lanes" but accepts no access narrower than its ${r.width} bits, so it has no lanes to address`);
    }
    if (!r.accessWidths.some((w) => w <= r.width && allowed.has(w))) {
      d.error(r.loc, `register ${r.name} cannot be accessed: none of the block's access widths (${list}) fits its ${r.width} bits`);
    }
  }
}
