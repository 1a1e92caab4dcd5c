import { explore, type ExploreResult, type TraceStep } from "../../../runtime/fsm/explorer.ts";
import { FsmError } from "../../../runtime/fsm/machine.ts";
import { checkLiveness, type LivenessResult } from "../../../runtime/fsm/liveness.ts";
import { findMachine, loadMachineDef, parseInstances } from "../machines.ts";
import { EXIT, usageError, json, paint, type Io } from "../output.ts";
import { loadProject, type ProjectOptions } from "../project.ts";

export interface ExploreOptions extends ProjectOptions {
  json?: boolean;
  instances?: string;
  maxStates?: string;
  maxMemory?: string;
}

export function formatTraceStep(t: TraceStep, i: number): string {
  const changes = Object.entries(t.changes)
    .filter(([k]) => !k.endsWith(".pc"))
    .map(([k, [a, b]]) => `${k}: ${String(a)} -> ${String(b)}`);
  return `  ${String(i + 1).padStart(3)}. ${t.instance} (cpu ${t.cpu}) ${t.step}${changes.length ? `   ${changes.join(", ")}` : ""}`;
}

export function printExplore(r: ExploreResult, io: Io): void {
  const inst = Object.entries(r.instances).map(([k, v]) => `${k}=${v}`).join(", ");
  io.out(`${paint(io, "bold", r.machine)} (${inst})`);
  io.out(`  ${r.states} states, ${r.transitions} transitions${r.complete ? "" : " (state limit reached: exploration incomplete)"}`);
  if (!r.violations.length) io.out(`  ${paint(io, "green", "no violations")}`);
  for (const v of r.violations) {
    io.out("");
    io.out(`${paint(io, "red", `${v.kind.toUpperCase()} ${v.name}`)}: ${v.detail}`);
    io.out(`  shortest trace (${v.trace.length} step${v.trace.length === 1 ? "" : "s"}):`);
    v.trace.forEach((t, i) => io.out(formatTraceStep(t, i)));
  }
  if (r.unreached.length) {
    io.out("");
    io.out(`${paint(io, "yellow", "never reached")}: ${r.unreached.join(", ")}`);
  }
}

export function printLiveness(r: LivenessResult, io: Io): void {
  io.out("");
  const cut = r.limit === "memory" ? " (memory limit reached: graph incomplete)" : r.limit === "states" ? " (state limit reached: graph incomplete)" : "";
  io.out(`${paint(io, "bold", "liveness")} (weak fairness): ${r.states} states, ${r.transitions} safe transitions${cut}`);
  for (const p of r.properties) {
    const fair = `fair: ${p.fair.join(", ") || "none"}`;
    if (p.verdict === "holds") io.out(`  ${paint(io, "green", "holds")} ${p.name}: ${p.formula} (${fair})`);
    else if (p.verdict === "unknown") io.out(`  ${paint(io, "yellow", "unknown")} ${p.name}: ${p.formula} (${fair}): no counterexample in the part explored`);
    else {
      const v = p.violation!;
      io.out("");
      io.out(`${paint(io, "red", `LIVENESS ${p.name}`)}: ${v.detail}`);
      io.out(`  (${fair})`);
      io.out(`  prefix (${v.trace.length} step${v.trace.length === 1 ? "" : "s"}${p.kind === "leads_to" ? `, trigger after step ${v.trigger}` : ""}):`);
      v.trace.forEach((t, i) => io.out(formatTraceStep(t, i)));
      if (v.cycle.length) {
        io.out(`  then forever (cycle of ${v.cycle.length} step${v.cycle.length === 1 ? "" : "s"}):`);
        v.cycle.forEach((t, i) => io.out(formatTraceStep(t, i)));
      } else io.out("  then nothing can run: the run stays in this state forever");
    }
  }
}

export async function exploreCommand(name: string, opts: ExploreOptions, io: Io): Promise<number> {
  const front = loadProject(opts, io);
  if (typeof front === "number") return front;
  const spec = findMachine(front.model, name);
  if ("error" in spec) {
    return usageError(io, opts.json, `hwspec explore: ${spec.error}`);
  }
  const instances = parseInstances(opts.instances);
  if ("error" in instances) {
    return usageError(io, opts.json, `hwspec explore: --instances: ${instances.error}`);
  }
  const maxStates = opts.maxStates === undefined ? undefined : Number(opts.maxStates);
  if (maxStates !== undefined && !(Number.isInteger(maxStates) && maxStates > 0)) {
    return usageError(io, opts.json, `hwspec explore: --max-states must be a positive integer`);
  }
  const maxMiB = opts.maxMemory === undefined ? undefined : Number(opts.maxMemory);
  if (maxMiB !== undefined && !(Number.isFinite(maxMiB) && maxMiB > 0)) {
    return usageError(io, opts.json, `hwspec explore: --max-memory must be a positive number of MiB`);
  }
  const def = await loadMachineDef(spec);
  const tty = !opts.json && !!process.stderr.isTTY;
  let r: ExploreResult;
  let live: LivenessResult | undefined;
  try {
    r = explore(def, {
      instances,
      ...(maxStates ? { maxStates } : {}),
      ...(tty ? { onProgress: (n: number, f: number) => void process.stderr.write(`\r${n} states, ${f} to visit...`) } : {}),
    });
    live = def.liveness.length
      ? checkLiveness(def, {
          instances,
          ...(maxStates ? { maxStates } : {}),
          ...(maxMiB ? { maxBytes: maxMiB * 2 ** 20 } : {}),
          ...(tty ? { onProgress: (n: number, f: number) => void process.stderr.write(`\r\u001b[Kliveness: ${n} states, ${f} to visit...`) } : {}),
        })
      : undefined;
  } catch (e) {
    if (e instanceof FsmError) {
      return usageError(io, opts.json, `hwspec explore: ${e.message}`);
    }
    throw e;
  }
  if (tty) process.stderr.write("\r\u001b[K");
  const lassos = live?.properties.flatMap((p) => (p.violation ? [p.violation] : [])) ?? [];
  const memory = live?.limit === "memory";
  if (opts.json) {
    io.out(
      json({
        machine: r.machine,
        instances: r.instances,
        states: r.states,
        transitions: r.transitions,
        complete: r.complete && (live?.complete ?? true),
        unreached: r.unreached,
        ...(live ? { liveness: live.properties.map(({ violation: _, ...p }) => p), ...(live.limit ? { limit: live.limit } : {}) } : {}),
        violations: [...r.violations, ...lassos],
      }),
    );
  } else {
    printExplore(r, io);
    if (live) printLiveness(live, io);
  }
  if (memory && !opts.json) io.err(`hwspec explore: the liveness graph reached --max-memory ${opts.maxMemory} MiB after ${live!.states} states; verdicts without a counterexample are unknown`);
  // A violation found is certain even in a partial search; "none found" is only an answer when complete.
  if (r.violations.length || lassos.length) return EXIT.findings;
  if (memory) return EXIT.memory;
  return r.complete && (live?.complete ?? true) ? EXIT.ok : EXIT.incomplete;
}
