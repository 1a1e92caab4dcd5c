import type { Diagnostics, Loc } from "../../diagnostics.ts";
import { walk, type Expr, type Stmt } from "../../expr/index.ts";
import type { ElabMachineSpec } from "../../elaborate/model.ts";
import type { MachineProcess } from "../../model/index.ts";
import { offsetLoc } from "../../resolve/expr.ts";
import { didYouMean } from "../../suggest.ts";

/**
 * Refuses a `symmetry` declaration the machine breaks. Instance symmetry (`processes`) cannot be
 * broken from inside the expression language: no expression names an instance, locks are only
 * taken and released, and the permutation keeps every instance on its CPU. CPU symmetry can: a
 * step that uses `this_cpu` as a value treats CPUs differently, and a process that runs on some of
 * the CPUs and not the others (or on them with different instance counts) tells them apart.
 * Invariants, end conditions and liveness read shared variables only, never a per-CPU copy, so
 * they cannot name a CPU.
 */
export function checkSymmetry(spec: ElabMachineSpec, d: Diagnostics): void {
  const sym = spec.symmetry;
  if (!sym) return;
  const names = spec.processes.map((p) => p.name);
  for (const p of sym.processes) {
    if (!names.includes(p.name)) d.error(p.loc, `symmetry names unknown process "${p.name}"${didYouMean(p.name, names)}`);
  }
  if (!sym.cpus.length) return;
  const at = sym.cpusLoc ?? sym.loc;
  const set = new Set(sym.cpus);
  const outside = sym.cpus.filter((c) => c >= spec.cpus);
  for (const c of outside) d.error(at, `symmetry lists CPU ${c} but the machine has ${spec.cpus} CPU${spec.cpus === 1 ? "" : "s"}`);
  if (outside.length) return;
  for (const p of spec.processes) {
    const on = p.cpus.filter((c) => set.has(c));
    if (!on.length) continue;
    const missing = sym.cpus.filter((c) => !p.cpus.includes(c));
    if (missing.length) {
      d.error(at, `symmetry swaps CPUs ${sym.cpus.join(", ")}, but process ${p.name} runs on CPU ${on.join(", ")} and not on CPU ${missing.join(", ")}, so they are not interchangeable`);
      continue;
    }
    const per = perCpuCounts(p, p.instances, sym.cpus);
    if (new Set(per).size > 1) d.error(at, `symmetry swaps CPUs ${sym.cpus.join(", ")}, but process ${p.name}'s ${p.instances} instances put ${per.join(", ")} on them`);
    for (const s of p.steps) {
      const uses: { loc: Loc; node: Expr | Stmt }[] = [];
      for (const e of [s.guard, s.bugIf, ...s.asserts.map((a) => a.expr), ...s.branches.map((b) => b.cond)]) if (e) uses.push({ loc: e.loc, node: e.ast });
      for (const st of s.effects?.stmts ?? []) uses.push({ loc: s.effects!.loc, node: st });
      for (const u of uses) {
        walk(u.node, (n) => {
          if (n.k === "ref" && n.path.length === 1 && n.path[0] === "this_cpu" && !p.locals.some((l) => l.name === "this_cpu")) {
            d.error(offsetLoc(u.loc, n.span.start), `step ${p.name}.${s.label} uses this_cpu as a value, which breaks the symmetry of CPUs ${sym.cpus.join(", ")} (symmetry.cpus)`);
          }
        });
      }
    }
  }
}

/** Instances of `p` on each CPU of `cpus` when it has `n` instances (instance i runs on cpus[i % length]). */
export function perCpuCounts(p: Pick<MachineProcess, "cpus">, n: number, cpus: readonly number[]): number[] {
  return cpus.map((c) => {
    let k = 0;
    for (let i = 0; i < n; i++) if (p.cpus[i % p.cpus.length] === c) k++;
    return k;
  });
}
