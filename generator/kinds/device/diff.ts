import type { ReadSemantics, WriteSemantics } from "../../model/index.ts";
import type { ElabDeviceRegister, ElabDeviceSpec, ElabSpec } from "../../elaborate/model.ts";
import { hex } from "../../resolve/values.ts";
import { diffLayouts, diffRegister, diffRegisterList } from "../registers/diff.ts";
import { ChangeList, matchBy, type Change } from "../../diff/types.ts";

/** Differ for `device` specs (PL011-style MMIO blocks): block, layouts, registers and their behaviour, hooks, interrupts, constants. */
export function diffDevice(oldSpec: ElabSpec, newSpec: ElabSpec): Change[] {
  const o = oldSpec as ElabDeviceSpec;
  const n = newSpec as ElabDeviceSpec;
  const out = new ChangeList(n.name);
  if (o.block.size !== n.block.size) {
    out.add("block", "", "size", n.block.size < o.block.size ? "breaking" : "compatible", n.block.size < o.block.size ? "the block shrank: offsets past the new end fault" : "the block grew: every old offset is still inside it", hex(o.block.size), hex(n.block.size));
  }
  widths(out, "block", o.block.accessWidths, n.block.accessWidths);
  if (o.block.unmapped !== n.block.unmapped) out.add("block", "", "unmapped", "breaking", "accesses to unmapped offsets behave differently", o.block.unmapped, n.block.unmapped);
  const ranges = (s: ElabDeviceSpec) => s.block.unmappedRanges.map((u) => `${hex(u.first)}..${hex(u.last)} ${u.policy}`).join(", ") || "none";
  if (ranges(o) !== ranges(n)) out.add("block", "", "unmapped-ranges", "breaking", "some unmapped offsets behave differently", ranges(o), ranges(n));
  diffLayouts(out, o.layouts, n.layouts);
  diffRegisterList(out, o.registers, n.registers, (list, a: ElabDeviceRegister, b: ElabDeviceRegister) => {
    diffRegister(list, a, b);
    const subject = `register ${b.name}`;
    widths(list, subject, a.accessWidths, b.accessWidths);
    if (readText(a.read) !== readText(b.read)) list.add(subject, "", "read", "breaking", "a read returns a value computed differently", readText(a.read), readText(b.read));
    if (writeText(a.write) !== writeText(b.write)) list.add(subject, "", "write", "breaking", "a write has a different effect on device state", writeText(a.write), writeText(b.write));
    if ((a.onWrite?.hook ?? "") !== (b.onWrite?.hook ?? "")) list.add(subject, "", "on-write", "breaking", "a different runtime hook runs after writes", a.onWrite?.hook ?? "none", b.onWrite?.hook ?? "none");
    if ((a.aliasOf?.name ?? "") !== (b.aliasOf?.name ?? "")) list.add(subject, "", "alias-of", "breaking", "reads and writes reach different storage", a.aliasOf?.name ?? "own storage", b.aliasOf?.name ?? "own storage");
    if (a.narrow !== b.narrow) list.add(subject, "", "narrow", "breaking", "narrow accesses address the register differently", a.narrow, b.narrow);
    if (a.reservedWrites !== b.reservedWrites) list.add(subject, "", "reserved-writes", "breaking", "written reserved bits are kept or dropped differently", a.reservedWrites, b.reservedWrites);
    const al = matchBy(a.aliases, b.aliases, (x) => x);
    for (const x of al.removed) list.add(subject, "", "alias-removed", "breaking", "code using the alias no longer compiles", x);
    for (const x of al.added) list.add(subject, "", "alias-added", "compatible", "a new name for the same register", undefined, x);
  });
  const hooks = matchBy(o.hooks, n.hooks, (h) => h.name);
  for (const h of hooks.removed) out.add(`hook ${h.name}`, "", "removed", "breaking", "runtimes implement a hook interface that changed", h.on);
  for (const h of hooks.added) out.add(`hook ${h.name}`, "", "added", "breaking", "every runtime must implement the new hook", undefined, h.on);
  for (const [a, b] of hooks.both) if (a.on !== b.on) out.add(`hook ${b.name}`, "", "on", "breaking", "the hook runs on a different access", a.on, b.on);
  const irqs = matchBy(o.interrupts, n.interrupts, (i) => i.name);
  for (const i of irqs.removed) out.add(`interrupt ${i.name}`, "", "removed", "breaking", "code that wires this line no longer compiles", i.expr.text);
  for (const i of irqs.added) out.add(`interrupt ${i.name}`, "", "added", "compatible", "a new line; existing lines are unchanged", undefined, i.expr.text);
  for (const [a, b] of irqs.both) if (a.expr.text !== b.expr.text) out.add(`interrupt ${b.name}`, "", "expr", "breaking", "the line is raised under different conditions", a.expr.text, b.expr.text);
  const consts = matchBy(o.constants, n.constants, (c) => c.name);
  for (const c of consts.removed) out.add(`constant ${c.name}`, "", "removed", "breaking", "code using the constant no longer compiles", hex(c.value));
  for (const c of consts.added) out.add(`constant ${c.name}`, "", "added", "compatible", "a new constant", undefined, hex(c.value));
  for (const [a, b] of consts.both) if (a.value !== b.value) out.add(`constant ${b.name}`, "", "value", "breaking", "the constant has a different value", hex(a.value), hex(b.value));
  return out.items;
}

function widths(out: ChangeList, subject: string, a: readonly number[], b: readonly number[]): void {
  const as = [...a].sort((x, y) => x - y).join(",");
  const bs = [...b].sort((x, y) => x - y).join(",");
  if (as === bs) return;
  const lost = a.some((w) => !b.includes(w));
  out.add(subject, "", "access-widths", lost ? "breaking" : "compatible", lost ? "accesses of a width that worked before now fault" : "more access widths are accepted; every old one still works", as, bs);
}

function readText(r: ReadSemantics): string {
  return r.kind === "value" ? `value ${r.expr.text}` : r.kind === "hook" ? `hook ${r.hook}` : r.kind;
}

function writeText(w: WriteSemantics): string {
  return w.kind;
}
