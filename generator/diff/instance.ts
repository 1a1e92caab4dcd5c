import type { Instance } from "../model/index.ts";
import { hex } from "../resolve/values.ts";
import { matchBy, type ChangeList } from "./types.ts";

/**
 * Changes to `instance`: where the block sits and which interrupt each line raises. Moving an
 * instance moves every absolute address, so code that hard-codes one breaks.
 */
export function diffInstance(out: ChangeList, a: Instance | undefined, b: Instance | undefined): void {
  if (!a && !b) return;
  if (!a) return void out.add("instance", "", "added", "compatible", "the spec now says where its registers sit: base address and absolute register addresses are generated", undefined, hex(b!.base));
  if (!b) return void out.add("instance", "", "removed", "breaking", "the base and absolute addresses are no longer generated", hex(a.base));
  if (a.base !== b.base) out.add("instance", "", "base", "breaking", "every absolute register address moved", hex(a.base), hex(b.base));
  const lines = matchBy(a.interrupts, b.interrupts, (i) => i.line);
  for (const i of lines.removed) out.add(`instance line ${i.line}`, "", "removed", "breaking", "the line's interrupt number is no longer generated", String(i.number));
  for (const i of lines.added) out.add(`instance line ${i.line}`, "", "added", "compatible", "the line's interrupt number is generated", undefined, String(i.number));
  for (const [x, y] of lines.both) if (x.number !== y.number) out.add(`instance line ${y.line}`, "", "number", "breaking", "the line raises a different interrupt", String(x.number), String(y.number));
}
