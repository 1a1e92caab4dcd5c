import type { ElabDeviceSpec, ElabRegistersSpec } from "../../elaborate/model.ts";
import { cInstanceNames } from "../../elaborate/names/c.ts";
import { cAddressMacro } from "../../elaborate/spaces.ts";
import { hex } from "../../resolve/values.ts";
import { blockComment, commentLines } from "./comment.ts";

/**
 * The instance section of a header: the base, each register's absolute address as the base plus
 * the register's own address macro (the base spec's, for an inherited register), and each wired
 * line's interrupt number. Nothing when the spec states no instance.
 */
export function instanceSection(spec: Pick<ElabRegistersSpec | ElabDeviceSpec, "name" | "registers" | "instance" | "inherits">): string | undefined {
  const inst = spec.instance;
  if (!inst) return undefined;
  const n = cInstanceNames(spec);
  const literal = (v: bigint) => `${hex(v)}${v > 0xffffffffn ? "ULL" : "U"}`;
  const about = `Instance ${spec.name}${spec.inherits ? ` of ${spec.inherits.base}` : ""}: its registers at ${hex(inst.base)} + their ${spec.registers[0]?.space === "mmio" ? "offsets" : "addresses"}.`;
  const lines = [blockComment([...commentLines(about), ...commentLines(inst.doc)]), `#define ${n.BASE} ${literal(inst.base)}`];
  for (const r of spec.registers) {
    if (r.array) lines.push(`#define ${n.address(r)}(n) (${n.BASE} + ${cAddressMacro(r)}(n))`);
    else lines.push(`#define ${n.address(r)} (${n.BASE} + ${cAddressMacro(r)})`);
  }
  for (const i of inst.interrupts) {
    lines.push("", blockComment(commentLines(`Interrupt number of line ${i.line} of ${spec.name}.${i.doc.trim() ? ` ${i.doc.trim()}` : ""}`)), `#define ${n.irq(i.line)} ${i.number}`);
  }
  return lines.join("\n");
}
