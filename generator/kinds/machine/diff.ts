import type { MachineStep, MachineVar } from "../../model/index.ts";
import type { ElabMachineSpec, ElabSpec } from "../../elaborate/model.ts";
import { ChangeList, matchBy, type Change } from "../../diff/types.ts";

const varText = (v: MachineVar) =>
  `${v.type}${v.enumName ? ` ${v.enumName}` : ""} [${v.min}..${v.max ?? "?"}] init ${v.init}${v.bits.length ? ` bits ${v.bits.join(",")}` : ""}${v.perCpu ? " per-cpu" : ""}${v.readonly ? " readonly" : ""}`;

const stepParts = (s: MachineStep): Record<string, string> => ({
  guard: s.guard?.text ?? "",
  effects: s.effects?.text ?? "",
  params: s.params.map((p) => `${p.name}:${p.type}[${p.min}..${p.max}]`).join(", "),
  asserts: s.asserts.map((a) => `${a.name}: ${a.expr.text}`).join("; "),
  "bug-if": s.bugIf?.text ?? "",
  branches: s.branches.map((b) => `${b.cond.text} -> ${b.goto}`).join("; "),
  goto: s.goto?.label ?? (s.rest ? "rest" : ""),
});

/** Differ for `machine` specs: variables, processes and their numbered steps, invariants, end conditions, constants, enums, functions. */
export function diffMachine(oldSpec: ElabSpec, newSpec: ElabSpec): Change[] {
  const o = oldSpec as ElabMachineSpec;
  const n = newSpec as ElabMachineSpec;
  const out = new ChangeList(n.name);
  if (o.cpus !== n.cpus) out.add("machine", "", "cpus", "breaking", "the machine is explored over a different number of CPUs", String(o.cpus), String(n.cpus));
  const named = <T extends { name: string }>(what: string, a: T[], b: T[], text: (t: T) => string, addedSeverity: "breaking" | "compatible" = "breaking") => {
    const m = matchBy(a, b, (x) => x.name);
    for (const x of m.removed) out.add(`${what} ${x.name}`, "", "removed", "breaking", `code or specs referring to this ${what} no longer check`, text(x));
    for (const x of m.added) out.add(`${what} ${x.name}`, "", "added", addedSeverity, addedSeverity === "breaking" ? `the state space or behaviour changes with a new ${what}` : `a new ${what}; nothing existing refers to it`, undefined, text(x));
    for (const [x, y] of m.both) if (text(x) !== text(y)) out.add(`${what} ${y.name}`, "", "changed", "breaking", `the ${what} means something different`, text(x), text(y));
  };
  named("variable", o.vars, n.vars, varText);
  named("constant", o.constants, n.constants, (c) => String(c.value));
  named("enum", o.enums, n.enums, (e) => e.members.join(", "));
  named("lock", o.locks, n.locks, () => "", "compatible");
  named("invariant", o.invariants, n.invariants, (c) => c.expr.text);
  named("end condition", o.ends, n.ends, (c) => c.expr.text);
  named("liveness property", o.liveness ?? [], n.liveness ?? [], livenessText);
  named("function", o.functions, n.functions, (f) => `(${f.params.join(", ")}) = ${f.expr.text}`, "compatible");
  const procs = matchBy(o.processes, n.processes, (p) => p.name);
  for (const p of procs.removed) out.add(`process ${p.name}`, "", "removed", "breaking", "the process and its steps are gone from the machine", `${p.steps.length} steps`);
  for (const p of procs.added) out.add(`process ${p.name}`, "", "added", "breaking", "a new process adds interleavings: earlier exploration results no longer apply", undefined, `${p.steps.length} steps`);
  for (const [a, b] of procs.both) {
    const subject = `process ${b.name}`;
    if (a.instances !== b.instances) out.add(subject, "", "instances", "breaking", "a different number of instances runs", String(a.instances), String(b.instances));
    if (a.context !== b.context) out.add(subject, "", "context", "breaking", "the process runs in a different context", a.context, b.context);
    if (a.cpus.join(",") !== b.cpus.join(",")) out.add(subject, "", "cpus", "breaking", "the process runs on different CPUs", a.cpus.join(","), b.cpus.join(","));
    const locals = matchBy(a.locals, b.locals, (v) => v.name);
    for (const v of locals.removed) out.add(subject, `local ${v.name}`, "removed", "breaking", "steps can no longer use this local", varText(v));
    for (const v of locals.added) out.add(subject, `local ${v.name}`, "added", "breaking", "a new local changes the state space", undefined, varText(v));
    for (const [x, y] of locals.both) if (varText(x) !== varText(y)) out.add(subject, `local ${y.name}`, "changed", "breaking", "the local has a different type, range or initial value", varText(x), varText(y));
    const order = (s: MachineStep[]) => s.map((x) => x.label).join(" ");
    if (order(a.steps) !== order(b.steps)) out.add(subject, "", "step-order", "breaking", "steps run in a different order", order(a.steps), order(b.steps));
    const steps = matchBy(a.steps, b.steps, (s) => s.label);
    for (const s of steps.removed) out.add(subject, `step ${s.label}`, "removed", "breaking", "traces and tables that name this step no longer match", s.effects?.text ?? s.guard?.text ?? "");
    for (const s of steps.added) out.add(subject, `step ${s.label}`, "added", "breaking", "a new atomic step adds interleavings", undefined, s.effects?.text ?? s.guard?.text ?? "");
    for (const [x, y] of steps.both) {
      const px = stepParts(x);
      const py = stepParts(y);
      for (const k of Object.keys(px)) if (px[k] !== py[k]) out.add(subject, `step ${y.label}`, k, "breaking", `the step's ${k} changed: it behaves differently`, px[k] || "none", py[k] || "none");
    }
  }
  return out.items;
}

/** The property with its fair processes when declared: what a diff compares. */
function livenessText(l: ElabMachineSpec["liveness"][number]): string {
  const formula = l.when ? `${l.when.text} leads_to ${l.goal.text}` : `eventually ${l.goal.text}`;
  return l.fair ? `${formula} (fair: ${l.fair.map((f) => f.name).join(", ") || "none"})` : formula;
}
