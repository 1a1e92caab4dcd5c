/**
 * 3. Explorer, on the fixed dpci machine (no violation, so both tools search everything) with 4, 6
 * and 8 interrupt/softirq instances:
 *  - explore() in process, one core: states per second, bytes per state of the store;
 *  - time to verdict of the whole `hwspec explore` command (a fresh node process: start-up, loading
 *    the specs, compiling the machine, the search) and its peak RSS;
 *  - time to verdict of spin on `hwspec export --format promela` of the same instance counts:
 *    `spin -a`, `gcc -O2 -DSAFETY`, `./pan`, each timed, with pan's own state count and memory.
 *  - the same search with symmetry reduction (the machine declares its irq and softirq instances on
 *    one CPU interchangeable): states stored, the states they stand for, and the speed-up.
 * Ratios are ours / spin's, in the same run. A configuration whose spin run does not finish within
 * the budget is reported as such (spin then gets a lower bound).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { fmtRate, fmtRatio, median, round, skipped, type BenchConfig, type Row, type SectionResult } from "./harness.ts";

const MACHINE = "xen.dpci_softirq_fixed";
const ROOT = new URL("..", import.meta.url).pathname;
const SPECS = join(ROOT, "specs");

function which(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

/** Wall seconds and peak RSS (KiB, when /usr/bin/time is there) of one command. */
function timed(cmd: string, args: string[], cwd: string, timeoutS: number): { seconds: number; rssKiB?: number; status: number | null; stdout: string; timedOut: boolean } {
  const gnuTime = existsSync("/usr/bin/time");
  const t0 = performance.now();
  const r = spawnSync(gnuTime ? "/usr/bin/time" : cmd, gnuTime ? ["-f", "%M", cmd, ...args] : args, { cwd, encoding: "utf8", maxBuffer: 256 << 20, timeout: Math.round(timeoutS * 1000) });
  const seconds = (performance.now() - t0) / 1000;
  const rss = gnuTime ? Number(/(\d+)\s*$/.exec(r.stderr ?? "")?.[1]) : NaN;
  return { seconds, ...(Number.isFinite(rss) ? { rssKiB: rss } : {}), status: r.status, stdout: r.stdout ?? "", timedOut: r.error !== undefined && /ETIMEDOUT/.test(String(r.error)) };
}

interface SpinRun {
  states: number;
  errors: number;
  /** spin -a, gcc, pan, and their sum. */
  spinS: number;
  gccS: number;
  panS: number;
  totalS: number;
  memoryMB: number;
  finished: boolean;
}

function spin(dir: string, promela: string, budgetS: number): SpinRun {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "model.pml"), promela);
  const a = timed("spin", ["-a", "model.pml"], dir, budgetS);
  // -DMEMLIM: pan stops at 4 GiB instead of taking a shared machine's memory (8 instances would
  // need tens of GB); it then reports "out of memory" and the run counts as not finished.
  const g = timed("gcc", ["-O2", "-DSAFETY", "-DMEMLIM=4096", "-o", "pan", "pan.c"], dir, budgetS);
  // Depth 100000 is far above these models' (pan reports about 130 for 6 instances); -m10000000
  // would reserve half a GB of DFS stack for nothing.
  const p = timed("./pan", ["-m100000", "-c0"], dir, Math.max(1, budgetS - a.seconds - g.seconds));
  const out = p.stdout;
  return {
    states: Number(/([0-9.e+]+) states, stored/.exec(out)?.[1] ?? NaN),
    errors: Number(/errors: (\d+)/.exec(out)?.[1] ?? NaN),
    spinS: a.seconds,
    gccS: g.seconds,
    panS: p.seconds,
    totalS: a.seconds + g.seconds + p.seconds,
    memoryMB: Number(/([0-9.]+)\s+total actual memory usage/.exec(out)?.[1] ?? NaN),
    // pan prints its statistics when it stops at -DMEMLIM too; only a search it completed counts.
    finished: !p.timedOut && /states, stored/.test(out) && !/out of memory|MEMLIM bound/i.test(out),
  };
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
  const haveCli = existsSync(join(ROOT, "dist/cli/main.cjs"));
  // 8 instances: about 28 M states for explore(), and far more for pan, which needs tens of GB
  // without state compression; spin gets the budget and a "did not finish" when it runs out.
  const sizes = cfg.mode === "smoke" ? [2] : cfg.mode === "quick" ? [4, 6] : [4, 6, 8];
  const budgetS = cfg.mode === "full" ? 600 : 120;
  const rows: Row[] = [];
  const results: Record<string, unknown> = { machine: spec.name };
  for (const n of sizes) {
    const instances = { irq: n, softirq: n };
    const label = `irq=${n},softirq=${n}`;
    const reps = n >= 8 || cfg.mode !== "full" ? 1 : 3;
    const times: number[] = [];
    const cpuTimes: number[] = [];
    // A warm-up run (JIT) except for the largest model, whose run is long enough to warm itself.
    let r = n < 8 ? explore(def, { instances, reduce: "none" }) : undefined;
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      r = explore(def, { instances, reduce: "none" });
      times.push((performance.now() - t0) / 1000);
      const c = process.cpuUsage(c0);
      cpuTimes.push((c.user + c.system) / 1e6);
    }
    if (!r) throw new Error("unreachable: reps >= 1");
    const seconds = median(times);
    const entry: Record<string, unknown> = {
      instances,
      states: r.states,
      transitions: r.transitions,
      complete: r.complete,
      violations: r.violations.length,
      explore_seconds: round(seconds, 4),
      states_per_s: round(r.states / seconds),
      // CPU time of this process: the one-core rate, less distorted than wall time on a busy machine.
      states_per_cpu_s: round(r.states / median(cpuTimes)),
      store_bytes: r.storeBytes,
      bytes_per_state: round(r.storeBytes / r.states),
      state_words: r.stateWords,
    };
    const notes: string[] = [`${fmtRate(r.states / median(cpuTimes), "states")} of CPU time`, `store ${round(r.storeBytes / r.states)} B/state (${r.stateWords} words packed)`];
    // Symmetry: the same search storing one state per orbit, CPU time against the unreduced one's.
    explore(def, { instances, reduce: "symmetry" });
    const symCpu: number[] = [];
    let sr = r;
    for (let i = 0; i < reps; i++) {
      const c0 = process.cpuUsage();
      sr = explore(def, { instances, reduce: "symmetry" });
      const c = process.cpuUsage(c0);
      symCpu.push((c.user + c.system) / 1e6);
    }
    const represented = sr.symmetry?.represented ?? sr.states;
    Object.assign(entry, {
      symmetry_states: sr.states,
      symmetry_represented: represented,
      symmetry_same_verdict: sr.violations.length === r.violations.length,
      symmetry_cpu_seconds: round(median(symCpu), 4),
      // Unreduced CPU time / reduced: how much sooner the reduced search answers.
      symmetry_speedup: round(median(cpuTimes) / median(symCpu)),
      orbit_factor: round(represented / sr.states),
    });
    notes.push(`symmetry: ${sr.states} states standing for ${represented} (×${round(represented / sr.states)}), ${median(symCpu).toFixed(2)} s CPU (${fmtRatio(entry.symmetry_speedup as number)} faster)${represented === r.states ? "" : " — COUNTS DIFFER"}`);
    if (haveCli) {
      const c = timed(process.execPath, [join(ROOT, "bin/hwspec.js"), "explore", MACHINE, "--instances", `irq=${n},softirq=${n}`, "--json"], ROOT, budgetS);
      entry.cli_seconds = round(c.seconds, 4);
      entry.cli_exit = c.status;
      if (c.rssKiB !== undefined) {
        entry.cli_peak_rss_mib = round(c.rssKiB / 1024);
        notes.push(`hwspec explore: verdict in ${c.seconds.toFixed(2)} s, peak RSS ${(c.rssKiB / 1024).toFixed(0)} MiB`);
      } else notes.push(`hwspec explore: verdict in ${c.seconds.toFixed(2)} s`);
    }
    if (haveSpin) {
      const s = spin(join(cfg.tmp, `spin-${n}`), emitPromelaModel(spec, instances), budgetS);
      Object.assign(entry, {
        spin_finished: s.finished,
        spin_states: s.states,
        spin_errors: s.errors,
        spin_a_seconds: round(s.spinS, 3),
        spin_gcc_seconds: round(s.gccS, 3),
        spin_pan_seconds: round(s.panS, 3),
        spin_seconds: round(s.totalS, 4),
        spin_memory_mb: s.memoryMB,
      });
      if (s.finished) {
        entry.same_verdict = (s.errors === 0) === (r.violations.length === 0);
        notes.push(`spin ${s.states} states, verdict in ${s.totalS.toFixed(2)} s (spin -a ${s.spinS.toFixed(2)}, gcc ${s.gccS.toFixed(2)}, pan ${s.panS.toFixed(2)}; ${s.memoryMB} MB)`);
        if (typeof entry.cli_seconds === "number") {
          // Time to verdict, ours / spin's: ≤ 1 means hwspec answers first.
          entry.ratio = round(entry.cli_seconds / s.totalS);
          notes.push(`ours/spin time to verdict ${fmtRatio(entry.ratio as number)}`);
        }
        notes.push(`verdicts ${entry.same_verdict ? "agree" : "DIFFER"}`);
      } else {
        notes.push(`spin did not finish within ${budgetS} s and 4 GiB (spin -a ${s.spinS.toFixed(2)}, gcc ${s.gccS.toFixed(2)}, pan ${s.panS.toFixed(2)} s)`);
        if (typeof entry.cli_seconds === "number") entry.ratio_upper_bound = round(entry.cli_seconds / s.totalS);
      }
    } else notes.push("spin not installed");
    results[`n_${n}`] = entry;
    rows.push({ section: "explorer", name: `${spec.name} ${label}`, value: `${r.states} states, ${fmtRate(r.states / seconds, "states")}`, note: notes.join("; ") });
  }
  // Parallel search: the single-thread explorer against --workers 2, both as the CLI runs them
  // (compiled, from dist/), on the machine's module as the CLI loads it; wall time, same run.
  // With 6 instances the single thread takes about a second, so starting the workers is a visible
  // share; with 8 (16 M states, a quarter of a minute) it is not, and `parallel` reports that one.
  const distParallel = join(ROOT, "dist/runtime/fsm/parallel.js");
  for (const n of existsSync(distParallel) && cfg.mode !== "smoke" ? (cfg.mode === "full" ? [6, 8] : [6]) : []) {
    const instances = { irq: n, softirq: n };
    const { openMachineModule } = await import("../generator/cli/machines.ts");
    const { exploreParallel } = (await import(pathToFileURL(distParallel).href)) as typeof import("../runtime/fsm/parallel.ts");
    const { explore: exploreDist } = (await import(pathToFileURL(join(ROOT, "dist/runtime/fsm/explorer.js")).href)) as typeof import("../runtime/fsm/explorer.ts");
    const mod = await openMachineModule(spec);
    try {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      // Both without reductions: the workers do not apply symmetry, the single-thread default does.
      const a = exploreDist(mod.def, { instances, reduce: "none" });
      const seqS = (performance.now() - t0) / 1000;
      const su = process.cpuUsage(c0);
      const seqCpu = (su.user + su.system) / 1e6;
      const t1 = performance.now();
      const c1 = process.cpuUsage();
      const b = await exploreParallel(mod.def, mod.url, { instances, workers: 2 });
      const parS = (performance.now() - t1) / 1000;
      const cu = process.cpuUsage(c1);
      const parCpu = (cu.user + cu.system) / 1e6;
      const same = a.states === b.states && a.transitions === b.transitions && a.violations.length === b.violations.length;
      // Speed-up: sequential wall / parallel wall (≥ 1.6 is the target); the parallel time includes
      // starting the workers. Work inflation: CPU over all threads of the parallel search / CPU of
      // the single thread; on a loaded machine it is the figure that means something, and on two
      // free cores it bounds the speed-up by 2 / inflation.
      results[n === 8 || cfg.mode !== "full" ? "parallel" : `parallel_${n}`] = {
        instances,
        workers: 2,
        states: b.states,
        sequential_seconds: round(seqS, 3),
        sequential_cpu_seconds: round(seqCpu, 3),
        parallel_seconds: round(parS, 3),
        parallel_cpu_seconds: round(parCpu, 3),
        speedup: round(seqS / parS),
        work_inflation: round(parCpu / seqCpu),
        same_result: same,
        ...(b.workers ? { worker_shares: b.workers.map((w) => ({ stored: round(w.stored / b.states, 3), expanded: round(w.expanded / b.states, 3) })) } : {}),
      };
      rows.push({
        section: "explorer",
        name: `${spec.name} irq=${n},softirq=${n} --workers 2`,
        value: `${fmtRatio(seqS / parS)} speed-up`,
        note: `${b.states} states; single thread ${seqS.toFixed(2)} s wall (${seqCpu.toFixed(2)} s CPU), 2 workers ${parS.toFixed(2)} s wall (${parCpu.toFixed(2)} s CPU over all threads: work inflation ${fmtRatio(parCpu / seqCpu)})${b.workers ? `, expanded ${b.workers.map((w) => `${((100 * w.expanded) / b.states).toFixed(0)} %`).join(" / ")}` : ""}; results ${same ? "agree" : "DIFFER"}`,
      });
    } finally {
      mod.close();
    }
  }
  // Headline fields: the issue's configuration (6 instances) when it ran, else the largest.
  const head = (results.n_6 ?? results[`n_${sizes[sizes.length - 1]}`]) as Record<string, unknown>;
  for (const k of ["states", "states_per_s", "states_per_cpu_s", "bytes_per_state", "cli_seconds", "cli_peak_rss_mib", "spin_states", "spin_seconds", "ratio", "symmetry_states", "symmetry_speedup", "orbit_factor"]) if (k in head) results[k] = head[k];
  return { results, rows };
}
