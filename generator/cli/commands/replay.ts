import { readFileSync } from "node:fs";
import { FsmError } from "../../../runtime/fsm/machine.ts";
import { ReplayError, replayTrace, type ReplayedStep, type TraceDocument } from "../../../runtime/fsm/replay.ts";
import { findMachine, loadMachineDef, parseInstances } from "../machines.ts";
import { EXIT, json, paint, usageError, type Io } from "../output.ts";
import { loadProject, type ProjectOptions } from "../project.ts";

export interface ReplayOptions extends ProjectOptions {
  json?: boolean;
  instances?: string;
  violation?: string;
}

interface ExploreDocument {
  machine?: unknown;
  instances?: unknown;
  violations?: unknown;
}

/**
 * The counterexample inside a trace file: a whole `explore --json` output (the violation named by
 * `--violation`, as `name` or `kind:name`, else the first), one violation, or a bare list of steps.
 */
function pick(doc: unknown, want: string | undefined): { trace: TraceDocument; pointer: string; machine?: string; instances?: Record<string, number> } | { error: string } {
  if (Array.isArray(doc)) return want ? { error: "--violation needs an explore --json document, the file holds a bare list of steps" } : { trace: { trace: doc }, pointer: "" };
  if (typeof doc !== "object" || doc === null) return { error: "the file holds neither an explore --json document, a violation nor a list of steps" };
  const d = doc as ExploreDocument & Partial<TraceDocument>;
  if (Array.isArray(d.violations)) {
    const list = d.violations as { kind?: string; name?: string }[];
    const i = want === undefined ? 0 : list.findIndex((v) => v?.name === want || `${v?.kind}:${v?.name}` === want);
    if (!list.length) return { error: "the explore output lists no violations" };
    if (i < 0) return { error: `no violation "${want}" in the file (violations: ${list.map((v) => `${v?.kind}:${v?.name}`).join(", ")})` };
    const inst = d.instances && typeof d.instances === "object" ? (d.instances as Record<string, number>) : undefined;
    return { trace: list[i] as TraceDocument, pointer: `/violations/${i}`, ...(typeof d.machine === "string" ? { machine: d.machine } : {}), ...(inst ? { instances: inst } : {}) };
  }
  if (Array.isArray(d.trace)) return want ? { error: "--violation needs an explore --json document, the file holds one violation" } : { trace: d as TraceDocument, pointer: "" };
  return { error: "the file holds neither an explore --json document, a violation nor a list of steps" };
}

function formatStep(s: ReplayedStep, i: number): string {
  const changes = Object.entries(s.changes).map(([k, [a, b]]) => `${k}: ${String(a)} -> ${String(b)}`);
  return `  ${String(i).padStart(3)}. ${s.instance} (cpu ${s.cpu}) ${s.step}${changes.length ? `   ${changes.join(", ")}` : ""}`;
}

export async function replayCommand(name: string, file: string, opts: ReplayOptions, io: Io): Promise<number> {
  const front = loadProject(opts, io);
  if (typeof front === "number") return front;
  const spec = findMachine(front.model, name);
  if ("error" in spec) return usageError(io, opts.json, `hwspec replay: ${spec.error}`);
  const given = parseInstances(opts.instances);
  if ("error" in given) return usageError(io, opts.json, `hwspec replay: --instances: ${given.error}`);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return usageError(io, opts.json, `hwspec replay: cannot read ${file}: ${(e as Error).message}`);
  }
  const picked = pick(doc, opts.violation);
  if ("error" in picked) return usageError(io, opts.json, `hwspec replay: ${file}: ${picked.error}`);
  if (picked.machine !== undefined && picked.machine !== spec.name) return usageError(io, opts.json, `hwspec replay: ${file} is a trace of ${picked.machine}, not ${spec.name}`);
  // The explore output records the instance counts it ran with; --instances overrides them.
  const instances = { ...picked.instances, ...given };
  const def = await loadMachineDef(spec);
  try {
    const r = replayTrace(def, picked.trace, instances, picked.pointer);
    if (opts.json) io.out(json({ ok: true, ...r }));
    else {
      const inst = Object.entries(r.instances).map(([k, v]) => `${k}=${v}`).join(", ");
      io.out(`${paint(io, "bold", r.machine)} (${inst})${r.kind ? `: ${r.kind} ${r.name ?? ""}` : ""}`);
      const prefix = r.steps.filter((s) => s.part === "trace");
      const cycle = r.steps.filter((s) => s.part === "cycle");
      if (cycle.length || r.kind === "liveness") io.out(`  prefix (${prefix.length} steps):`);
      prefix.forEach((s) => io.out(formatStep(s, s.index)));
      if (cycle.length) {
        io.out(`  cycle (${cycle.length} steps, back to the state it starts in):`);
        cycle.forEach((s) => io.out(formatStep(s, s.index)));
      }
      io.out(`${paint(io, "green", "replays")}: ${r.reproduced}`);
    }
    return EXIT.ok;
  } catch (e) {
    if (e instanceof ReplayError) {
      const message = `hwspec replay: ${file}: ${e.pointer || "/"}: ${e.message}`;
      if (opts.json) io.out(json({ ok: false, error: { code: e.code, message: e.message, pointer: e.pointer, ...(e.step !== undefined ? { step: e.step } : {}) } }));
      else io.err(message);
      return EXIT.findings;
    }
    if (e instanceof FsmError) return usageError(io, opts.json, `hwspec replay: ${e.message}`);
    throw e;
  }
}
