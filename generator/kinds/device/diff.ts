import type { ReadSemantics, WriteSemantics } from "../../model/index.ts";
import type { ElabDeviceRegister, ElabDeviceSpec, ElabSpec } from "../../elaborate/model.ts";
import { hex } from "../../resolve/values.ts";
import { elementAddress } from "../../inspect/address.ts";
import { diffLayouts, diffRegister, diffRegisterList } from "../registers/diff.ts";
import { diffInstance } from "../../diff/instance.ts";
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
  unmappedChange(out, o, n);
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
  diffInstance(out, o.instance, n.instance);
  return out.items;
}

function widths(out: ChangeList, subject: string, a: readonly number[], b: readonly number[]): void {
  const as = [...a].sort((x, y) => x - y).join(",");
  const bs = [...b].sort((x, y) => x - y).join(",");
  if (as === bs) return;
  const lost = a.some((w) => !b.includes(w));
  out.add(subject, "", "access-widths", lost ? "breaking" : "compatible", lost ? "accesses of a width that worked before now fault" : "more access widths are accepted; every old one still works", as, bs);
}

const policyText = (s: ElabDeviceSpec) =>
  [`other offsets ${s.block.unmapped}`, ...s.block.unmappedRanges.map((u) => `${hex(u.first)}..${hex(u.last)} ${u.policy}`)].join(", ");

/**
 * What accesses to offsets no register covers do, compared offset by offset (inside both blocks,
 * outside every register of either version: a register added or removed is its own change).
 * Fault → RAZ/WI is compatible, as a larger block is: nothing that worked stops working. RAZ/WI →
 * fault is breaking: a driver probing reserved space now gets an error.
 */
function unmappedChange(out: ChangeList, o: ElabDeviceSpec, n: ElabDeviceSpec): void {
  const end = o.block.size < n.block.size ? o.block.size : n.block.size;
  const regs = [o, n].flatMap((s) => s.registers.flatMap((r) => Array.from({ length: r.array?.count ?? 1 }, (_, i) => elementAddress(r, i)!).map((first) => [first, first + BigInt(r.width / 8)] as const)));
  const points = new Set<bigint>([0n, end]);
  for (const [a, b] of regs) (points.add(a), points.add(b));
  for (const s of [o, n]) for (const u of s.block.unmappedRanges) (points.add(u.first), points.add(u.last + 1n));
  const sorted = [...points].filter((p) => p <= end).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // Register spans sorted by start, walked once alongside the sorted points.
  const spans = [...regs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let next = 0;
  let reach = -1n;
  const covered = (p: bigint) => {
    while (next < spans.length && spans[next]![0] <= p) {
      const e = spans[next++]![1];
      if (e > reach) reach = e;
    }
    return p < reach;
  };
  const policy = (s: ElabDeviceSpec, p: bigint) => s.block.unmappedRanges.find((u) => u.first <= p && p <= u.last)?.policy ?? s.block.unmapped;
  const worse: string[] = [];
  const better: string[] = [];
  for (let k = 0; k + 1 < sorted.length; k++) {
    const [p, q] = [sorted[k]!, sorted[k + 1]!];
    if (covered(p)) continue;
    const [was, now] = [policy(o, p), policy(n, p)];
    if (was === now) continue;
    (now === "fault" ? worse : better).push(`${hex(p)}..${hex(q - 1n)}`);
  }
  if (!worse.length && !better.length) return;
  const reason = worse.length
    ? `offsets ${worse.join(", ")} read as zero and ignored writes, and now fault`
    : `offsets ${better.join(", ")} faulted and now read as zero and ignore writes: nothing that worked stops working`;
  out.add("block", "", "unmapped", worse.length ? "breaking" : "compatible", reason, policyText(o), policyText(n));
}

function readText(r: ReadSemantics): string {
  return r.kind === "value" ? `value ${r.expr.text}` : r.kind === "hook" ? `hook ${r.hook}` : r.kind;
}

function writeText(w: WriteSemantics): string {
  return w.kind;
}
