import { explore, type ExploreResult, type TraceStep } from "../../../runtime/fsm/explorer.ts";
import { FsmError } from "../../../runtime/fsm/machine.ts";
import { findMachine, loadMachineDef, parseInstances } from "../machines.ts";
import { EXIT, usageError, json, paint, type Io } from "../output.ts";
import { loadProject, type ProjectOptions } from "../project.ts";

export interface ExploreOptions extends ProjectOptions {
  json?: boolean;
  instances?: string;
  maxStates?: string;
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
  const def = await loadMachineDef(spec);
  const tty = !opts.json && !!process.stderr.isTTY;
  let r: ExploreResult;
  try {
    r = explore(def, {
      instances,
      ...(maxStates ? { maxStates } : {}),
      ...(tty ? { onProgress: (n: number, f: number) => void process.stderr.write(`\r${n} states, ${f} to visit...`) } : {}),
    });
  } catch (e) {
    if (e instanceof FsmError) {
      return usageError(io, opts.json, `hwspec explore: ${e.message}`);
    }
    throw e;
  }
  if (tty) process.stderr.write("\r\u001b[K");
  if (opts.json) {
    io.out(json({ machine: r.machine, instances: r.instances, states: r.states, transitions: r.transitions, complete: r.complete, unreached: r.unreached, violations: r.violations }));
  } else printExplore(r, io);
  // A violation found is certain even in a partial search; "none found" is only an answer when complete.
  return r.violations.length ? EXIT.findings : r.complete ? EXIT.ok : EXIT.incomplete;
}
