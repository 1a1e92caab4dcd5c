import type { ElabDeviceSpec, ElabRegistersSpec } from "../../elaborate/model.ts";
import { cInstanceNames, deviceAliases } from "../../elaborate/names/c.ts";
import { cAddressMacro, cAliasOffsetMacro } from "../../elaborate/spaces.ts";
import { hex } from "../../resolve/values.ts";
import { blockComment, commentLines } from "./comment.ts";

/**
 * The instance section of a header: the base, a device's block size (`blockSize`), each
 * register's absolute address as the base plus the register's own address macro (the base
 * spec's, for an inherited register; one per other name of a device register), and each wired
 * line's interrupt number. Nothing when the spec states no instance.
 */
export function instanceSection(spec: Pick<ElabRegistersSpec | ElabDeviceSpec, "name" | "registers" | "instance" | "inherits">, blockSize?: bigint): string | undefined {
  const inst = spec.instance;
  if (!inst) return undefined;
  const n = cInstanceNames(spec);
  const literal = (v: bigint) => `${hex(v)}${v > 0xffffffffn ? "ULL" : "U"}`;
  const about = `Instance ${spec.name}${spec.inherits ? ` of ${spec.inherits.base}` : ""}: its registers at ${hex(inst.base)} + their ${spec.registers[0]?.space === "mmio" ? "offsets" : "addresses"}.`;
  const lines = [blockComment([...commentLines(about), ...commentLines(inst.doc)]), `#define ${n.BASE} ${literal(inst.base)}`];
  // A device's block size as a number: the macro that holds it may sit in a base several overlays up.
  if (blockSize !== undefined) lines.push(`#define ${n.SIZE} ${literal(blockSize)}`);
  for (const r of spec.registers) {
    const names = [{ name: r.name, macro: cAddressMacro(r) }, ...deviceAliases(r).map((a) => ({ name: a, macro: cAliasOffsetMacro(a) }))];
    for (const { name, macro } of names) {
      if (r.array) lines.push(`#define ${n.address({ name })}(n) (${n.BASE} + ${macro}(n))`);
      else lines.push(`#define ${n.address({ name })} (${n.BASE} + ${macro})`);
    }
  }
  for (const i of inst.interrupts) {
    lines.push("", blockComment(commentLines(`Interrupt number of line ${i.line} of ${spec.name}.${i.doc.trim() ? ` ${i.doc.trim()}` : ""}`)), `#define ${n.irq(i.line)} ${i.number}`);
  }
  return lines.join("\n");
}
