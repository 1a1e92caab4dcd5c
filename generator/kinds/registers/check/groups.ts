import type { Diagnostics } from "../../../diagnostics.ts";
import type { ElabRegistersSpec } from "../../../elaborate/model.ts";
import { addressText, SPACES } from "../../../elaborate/spaces.ts";

/** Groups are raw arrays indexed by `address - first`, so members must be known, single registers and contiguous. */
export function checkGroups(spec: ElabRegistersSpec, d: Diagnostics): void {
  const byName = new Map(spec.registers.map((r) => [r.name, r]));
  const owner = new Map<string, string>();
  for (const g of spec.groups) {
    let prev: bigint | undefined;
    let width: number | undefined;
    for (const name of g.registers) {
      const r = byName.get(name);
      if (!r) {
        d.error(g.loc, `group "${g.name}" names unknown register "${name}"`);
        prev = undefined;
        continue;
      }
      if (r.array) {
        // A group is read as one raw array of registers; an array inside it would need a second dimension.
        d.error(g.loc, `group "${g.name}" lists ${name}, an array of ${r.array.count} registers; a group holds single registers only, so leave the array out of the group`);
        prev = undefined;
        continue;
      }
      const other = owner.get(name);
      if (other) d.error(g.loc, `register "${name}" is in both group "${other}" and group "${g.name}"`);
      owner.set(name, g.name);
      const addr = r.address;
      const step = SPACES[r.space].step(r.width);
      if (prev !== undefined && addr !== prev + step) {
        d.error(
          g.loc,
          `group "${g.name}" is not contiguous: ${name} is at ${addressText(r.space, addr)} but the next address after the previous member is ${addressText(r.space, prev + step)}`,
        );
      }
      if (width !== undefined && r.width !== width) d.error(g.loc, `group "${g.name}" mixes register widths (${width} and ${r.width})`);
      width ??= r.width;
      prev = addr;
    }
  }
}
