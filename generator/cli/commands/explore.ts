import { getHeapStatistics } from "node:v8";
import { explore, REDUCTIONS, type ExploreProgress, type ExploreResult, type Reduce, type TraceStep } from "../../../runtime/fsm/explorer.ts";
import { FsmError } from "../../../runtime/fsm/machine.ts";
import { checkLiveness, type LivenessResult } from "../../../runtime/fsm/liveness.ts";
import { defaultWorkers, exploreParallel, MAX_WORKERS, ParallelError } from "../../../runtime/fsm/parallel.ts";
import { findMachine, openMachineModule, parseInstances } from "../machines.ts";
import { EXIT, usageError, json, paint, type Io } from "../output.ts";
import { loadProject, type ProjectOptions } from "../project.ts";
import { progressReporter } from "./explore-progress.ts";

export interface ExploreOptions extends ProjectOptions {
  json?: boolean;
  instances?: string;
  maxStates?: string;
  maxMemory?: string;
  progress?: boolean;
  workers?: string;
  reduce?: string;
}

/**
 * The store's bound when --max-memory is not given: the JS heap limit (node's default for this
 * machine, or --max-old-space-size). The store lives outside the heap, in typed arrays, so the heap
 * limit does not stop it by itself; it is the amount of memory the user has already agreed node
 * may take, and bounding the store by it keeps a huge model from paging the machine to a halt.
 */
export function defaultMaxMemoryBytes(): number {
  return getHeapStatistics().heap_size_limit;
}

const MIB = 2 ** 20;

export function formatTraceStep(t: TraceStep, i: number): string {
  const changes = Object.entries(t.changes)
    .filter(([k]) => !k.endsWith(".pc"))
    .map(([k, [a, b]]) => `${k}: ${String(a)} -> ${String(b)}`);
  return `  ${String(i + 1).padStart(3)}. ${t.instance} (cpu ${t.cpu}) ${t.step}${changes.length ? `   ${changes.join(", ")}` : ""}`;
}

export function printExplore(r: ExploreResult, io: Io): void {
  const inst = Object.entries(r.instances).map(([k, v]) => `${k}=${v}`).join(", ");
  io.out(`${paint(io, "bold", r.machine)} (${inst})`);
  const why = r.stopped === "max-memory" ? "memory limit reached" : "state limit reached";
  io.out(`  ${r.states} states, ${r.transitions} transitions${r.complete ? "" : ` (${why}: exploration incomplete)`}`);
  if (r.por) io.out(`  partial-order reduction: ${r.por.skipped} enabled moves left to other orders`);
  if (r.workers) {
    const share = (n: number) => `${((100 * n) / Math.max(1, r.states)).toFixed(0)} %`;
    io.out(`  ${r.workers.length} workers: stored ${r.workers.map((w) => share(w.stored)).join(" / ")}, expanded ${r.workers.map((w) => share(w.expanded)).join(" / ")} of the states`);
  }
  if (r.symmetry && !r.symmetry.groups.length) io.out(`  symmetry: nothing to permute with these instance counts`);
  else if (r.symmetry) {
    const f = r.symmetry.represented / r.states;
    io.out(`  symmetry (${r.symmetry.groups.join("; ")}): the ${r.states} stored states stand for ${r.symmetry.represented} (×${f.toFixed(f < 10 ? 2 : 1)})`);
  }
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
  const sym = r.symmetry;
  const on = r.graph === "orbits" && sym ? ` (orbit representatives under ${sym.groups.join("; ")}: every property decided there)` : sym ? ` (the ${sym.states} orbit representatives did not decide every property)` : "";
  io.out(`${paint(io, "bold", "liveness")} (weak fairness): ${r.states} states, ${r.transitions} safe transitions${on}${cut}`);
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
  const maxMemory = opts.maxMemory === undefined ? undefined : Number(opts.maxMemory);
  if (maxMemory !== undefined && !(Number.isFinite(maxMemory) && maxMemory > 0)) {
    return usageError(io, opts.json, `hwspec explore: --max-memory must be a positive number of MiB`);
  }

  const maxBytes = maxMemory !== undefined ? Math.floor(maxMemory * MIB) : defaultMaxMemoryBytes();
  const workers = opts.workers === undefined ? 1 : opts.workers === "auto" ? defaultWorkers() : Number(opts.workers);
  if (!(Number.isInteger(workers) && workers >= 1 && workers <= MAX_WORKERS)) {
    return usageError(io, opts.json, `hwspec explore: --workers must be an integer in [1, ${MAX_WORKERS}] or auto`);
  }
  // The parallel search does not reduce (yet): it explores every state, so its default is none.
  const reduce = (opts.reduce ?? (workers > 1 ? "none" : "symmetry")) as Reduce;
  if (!REDUCTIONS.includes(reduce)) {
    return usageError(io, opts.json, `hwspec explore: --reduce must be one of ${REDUCTIONS.join(", ")}, got "${opts.reduce}"`);
  }
  if (workers > 1 && reduce !== "none") {
    return usageError(io, opts.json, `hwspec explore: --workers ${workers} explores without reduction; --reduce ${reduce} needs the single-thread search (--workers 1)`);
  }
  // The module's folder stays while workers may still load it.
  const mod = await openMachineModule(spec);
  const def = mod.def;
  // Progress goes to stderr only: rewritten in place on a terminal (io.progress, never with
  // --json), or as plain lines wherever stderr goes with --progress.
  const tty = io.progress;
  const reporter = tty ? progressReporter(tty, () => tty("")) : opts.progress ? progressReporter((line) => io.err(line)) : undefined;
  let r: ExploreResult;
  let live: LivenessResult | undefined;
  try {
    const searchOptions = {
      instances,
      maxBytes,
      reduce,
      ...(maxStates ? { maxStates } : {}),
      ...(reporter ? { progressEvery: 8192, onProgress: (_n: number, _f: number, p: ExploreProgress) => reporter.update(p) } : {}),
    };
    try {
      r = workers > 1 ? await exploreParallel(def, mod.url, { ...searchOptions, workers }) : explore(def, searchOptions);
    } finally {
      mod.close();
    }
    live = def.liveness.length
      ? checkLiveness(def, {
          instances,
          ...(maxStates ? { maxStates } : {}),
          maxBytes,
          symmetry: reduce === "symmetry" || reduce === "all",
          // The graph's typed arrays count against maxBytes; what the checker keeps in the JS heap besides them must stop it with a message before V8's limit aborts the process.
          heapUsed: () => getHeapStatistics().used_heap_size,
          maxHeapBytes: 0.7 * getHeapStatistics().heap_size_limit,
          ...(tty ? { onProgress: (n: number, f: number) => tty(`liveness: ${n} states, ${f} to visit...`) } : {}),
        })
      : undefined;
  } catch (e) {
    reporter?.done();
    if (e instanceof FsmError) {
      return usageError(io, opts.json, `hwspec explore: ${e.message}`);
    }
    if (e instanceof ParallelError) {
      return usageError(io, opts.json, `hwspec explore: parallel search failed: ${e.message}`);
    }
    if (e instanceof RangeError && /memory bound/.test(e.message)) {
      return usageError(io, opts.json, `hwspec explore: --max-memory ${(maxBytes / MIB).toFixed(1)} MiB cannot hold even the initial state`, EXIT.memory);
    }
    throw e;
  }
  reporter?.done();
  const lassos = live?.properties.flatMap((p) => (p.violation ? [p.violation] : [])) ?? [];
  const liveMemory = live?.limit === "memory";
  const complete = r.complete && (live?.complete ?? true);
  if (opts.json) {
    io.out(
      json({
        machine: r.machine,
        instances: r.instances,
        states: r.states,
        transitions: r.transitions,
        complete,
        ...(r.stopped ? { stopped: r.stopped } : {}),
        reduce: r.reduce,
        ...(r.symmetry ? { symmetry: r.symmetry } : {}),
        ...(r.por ? { por: r.por } : {}),
        ...(r.workers ? { workers: r.workers } : {}),
        unreached: r.unreached,
        ...(live ? { liveness: live.properties.map(({ violation: _, ...p }) => p), ...(live.limit ? { limit: live.limit } : {}) } : {}),
        violations: [...r.violations, ...lassos],
      }),
    );
  } else {
    printExplore(r, io);
    if (live) printLiveness(live, io);
  }
  if (r.stopped === "max-memory" && !opts.json) {
    io.err(`hwspec explore: the state store reached its memory limit (${(maxBytes / MIB).toFixed(0)} MiB${maxMemory === undefined ? ", the default: the JS heap limit" : ""}) after ${r.states} states; the states stored were all expanded, the rest of the state space was not. Raise --max-memory to go further.`);
  }
  if (r.stopped === "max-states" && !opts.json) {
    io.err(`hwspec explore: stopped storing states at --max-states ${maxStates}; the rest of the state space was not explored.`);
  }
  if (liveMemory && !opts.json) io.err(`hwspec explore: the liveness graph reached ${maxMemory !== undefined ? `--max-memory ${maxMemory} MiB` : `the memory limit (the JS heap, ${(getHeapStatistics().heap_size_limit / MIB).toFixed(0)} MiB; raise it with node --max-old-space-size)`} after ${live!.states} states; verdicts without a counterexample are unknown`);
  // A violation found is certain even in a partial search; "none found" is only an answer when complete.
  if (r.violations.length || lassos.length) return EXIT.findings;
  if (complete) return EXIT.ok;
  return r.stopped === "max-memory" || liveMemory ? EXIT.memory : EXIT.incomplete;
}
