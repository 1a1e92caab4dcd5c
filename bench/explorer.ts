/**
 * 3. Explorer: distinct states per second of runtime/fsm's explorer on the dpci machine with 2 and 3
 * CPUs, against spin verifying the Promela `hwspec export <machine> --format promela` prints for the
 * same instance counts (spin -a, gcc -O2, ./pan), in the same run.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fmtRate, fmtRatio, median, round, skipped, type BenchConfig, type Row, type SectionResult } from "./harness.ts";

const MACHINE = "xen.dpci_softirq";
const SPECS = new URL("../specs", import.meta.url).pathname;

function which(cmd: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

interface SpinRun {
  states: number;
  seconds: number;
  errors: number;
}

function spin(dir: string, promela: string): SpinRun {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "model.pml"), promela);
  execFileSync("spin", ["-a", "model.pml"], { cwd: dir, stdio: "pipe" });
  execFileSync("gcc", ["-O2", "-o", "pan", "pan.c"], { cwd: dir, stdio: "pipe" });
  const t0 = performance.now();
  let out: string;
  try {
    out = execFileSync("./pan", ["-m10000000", "-c0"], { cwd: dir, encoding: "utf8", maxBuffer: 64 << 20 });
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? "");
  }
  const seconds = (performance.now() - t0) / 1000;
  const states = Number(/([0-9.e+]+) states, stored/.exec(out)?.[1] ?? NaN);
  const errors = Number(/errors: (\d+)/.exec(out)?.[1] ?? NaN);
  return { states, seconds, errors };
}

export async function runExplorer(cfg: BenchConfig): Promise<SectionResult> {
  if (!existsSync(new URL("../runtime/fsm/explorer.ts", import.meta.url))) return skipped("explorer", "runtime/fsm/explorer.ts has not landed");
  const { explore } = await import("../runtime/fsm/explorer.ts");
  const { findMachine, loadMachineDef } = await import("../generator/cli/machines.ts");
  const { emitPromelaModel } = await import("../generator/emit/fsm/promela.ts");
  const { Diagnostics } = await import("../generator/diagnostics.ts");
  const { loadTree } = await import("../generator/load/tree.ts");
  const { runFront } = await import("../generator/pipeline.ts");
  const d = new Diagnostics();
  const fr = runFront(loadTree(SPECS, d), d);
  if (!fr.ok) return skipped("explorer", `specs do not check: ${fr.diagnostics[0]?.message}`);
  const spec = findMachine(fr.front.model, MACHINE);
  if ("error" in spec) return skipped("explorer", spec.error);
  const def = await loadMachineDef(spec);
  const haveSpin = which("spin") && which("gcc");
  const cpuCounts = cfg.mode === "smoke" ? [2] : [2, 3];
  const reps = cfg.mode === "full" ? 5 : cfg.mode === "quick" ? 3 : 1;
  const rows: Row[] = [];
  const results: Record<string, unknown> = { machine: spec.name };
  for (const cpus of cpuCounts) {
    const instances: Record<string, number> = {};
    for (const p of spec.processes) if (p.name !== "binder") instances[p.name] = cpus;
    let r = explore(def, { instances });
    const times: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      r = explore(def, { instances });
      times.push((performance.now() - t0) / 1000);
    }
    const seconds = median(times);
    const ours = { states: r.states, transitions: r.transitions, seconds: round(seconds, 4), states_per_s: round(r.states / seconds), violations: r.violations.length, complete: r.complete };
    const entry: Record<string, unknown> = { instances, ...ours };
    let note = "spin not installed";
    if (haveSpin) {
      const s = spin(join(cfg.tmp, `spin-${cpus}`), emitPromelaModel(spec, instances));
      const spinRate = s.states / s.seconds;
      Object.assign(entry, {
        spin_states: s.states,
        spin_seconds: round(s.seconds, 4),
        spin_states_per_s: round(spinRate),
        spin_errors: s.errors,
        // this project's time per state divided by spin's: ≤ 3 means ≥ 1/3 of spin's rate
        ratio: round(spinRate / ours.states_per_s),
        same_verdict: (s.errors === 0) === (ours.violations === 0),
      });
      note = `spin ${s.states} states in ${s.seconds.toFixed(3)} s (${fmtRate(spinRate, "states")}), ours/spin time per state ${fmtRatio(spinRate / ours.states_per_s)}, verdicts ${(s.errors === 0) === (ours.violations === 0) ? "agree" : "DIFFER"} (ours ${ours.violations} violations, spin ${s.errors} errors)`;
    }
    results[`cpus_${cpus}`] = entry;
    rows.push({ section: "explorer", name: `${spec.name} ${cpus} CPUs`, value: `${r.states} states, ${fmtRate(ours.states_per_s, "states")}`, note });
  }
  // Headline fields of the shape: the largest configuration.
  const last = results[`cpus_${cpuCounts[cpuCounts.length - 1]}`] as Record<string, unknown>;
  for (const k of ["states", "states_per_s", "spin_states", "spin_states_per_s", "ratio"]) if (k in last) results[k] = last[k];
  return { results, rows };
}
