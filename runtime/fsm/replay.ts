/**
 * Replays a counterexample through the interpreter: every step must be enabled where the trace
 * says it runs, change the slots the trace says it changes, and the end must be the violation
 * the trace claims (the failed check, the broken invariant, the deadlock or quiescence, or for a
 * lasso a cycle that returns to its first state, keeps the goal false and is weakly fair).
 * Anything else is a ReplayError naming the step (its JSON pointer in the trace document).
 */
import type { MachineDef } from "../../generated/ts/fsm.ts";
import type { TraceStep } from "./explorer.ts";
import { Interpreter } from "./interpreter.ts";
import { atRest, enabledMoves, FsmError, showValue, type Layout } from "./machine.ts";

export type ReplayErrorCode = "bad-trace" | "unknown-instance" | "unknown-step" | "not-enabled" | "changes-differ" | "fails-early" | "not-reproduced";

export class ReplayError extends Error {
  constructor(
    readonly code: ReplayErrorCode,
    message: string,
    /** JSON pointer of the offending part inside the trace document (`/violations/0/trace/11`). */
    readonly pointer: string,
    /** 1-based number of the step over prefix and cycle, when the error is about one step. */
    readonly step?: number,
  ) {
    super(message);
    this.name = "ReplayError";
  }
}

/** A counterexample as `explore --json` writes it (one entry of `violations`), or a bare list of steps. */
export interface TraceDocument {
  kind?: string;
  name?: string;
  trace: unknown[];
  cycle?: unknown[];
}

export interface ReplayedStep {
  part: "trace" | "cycle";
  /** 1-based within its part. */
  index: number;
  instance: string;
  cpu: number;
  step: string;
  /** Every slot that changed, program counters included: name → [before, after]. */
  changes: TraceStep["changes"];
}

export interface ReplayResult {
  machine: string;
  instances: Record<string, number>;
  kind?: string;
  name?: string;
  steps: ReplayedStep[];
  /** What the end of the trace shows, in words. */
  reproduced: string;
}

/**
 * Replays `doc` (found at `base`, a JSON pointer, in its file) on the machine with `instances`.
 * Throws ReplayError when it does not replay; FsmError for bad instance counts.
 */
export function replayTrace(def: MachineDef, doc: TraceDocument, instances: Record<string, number> = {}, base = ""): ReplayResult {
  const it = new Interpreter(def, instances);
  const l = it.layout;
  const kind = doc.kind;
  if (!Array.isArray(doc.trace)) throw new ReplayError("bad-trace", "the trace is not a list of steps", `${base}/trace`);
  if (doc.cycle !== undefined && !Array.isArray(doc.cycle)) throw new ReplayError("bad-trace", "the cycle is not a list of steps", `${base}/cycle`);
  if (kind === "liveness" && doc.cycle === undefined) throw new ReplayError("bad-trace", "a liveness counterexample needs a cycle (an empty one when nothing can run)", base);
  const parts: ["trace" | "cycle", unknown[]][] = [["trace", doc.trace]];
  if (doc.cycle) parts.push(["cycle", doc.cycle]);
  const total = doc.trace.length + (doc.cycle?.length ?? 0);
  const states: number[][] = [it.state.slice()];
  const steps: ReplayedStep[] = [];
  let lastFailures: { kind: string; name: string }[] = [];
  let n = 0;
  for (const [part, list] of parts) {
    for (const [i, raw] of list.entries()) {
      n++;
      const ptr = `${base}/${part}/${i}`;
      const where = `step ${i + 1} of the ${part === "trace" ? (doc.cycle ? "prefix" : "trace") : "cycle"}`;
      const s = raw as Partial<TraceStep> | null;
      if (typeof s !== "object" || s === null || typeof s.instance !== "string" || typeof s.step !== "string") {
        throw new ReplayError("bad-trace", `${where} is not {"instance", "step", ...}`, ptr, n);
      }
      if (lastFailures.length) {
        throw new ReplayError("fails-early", `${where} comes after a step that failed ${lastFailures.map((f) => `${f.kind} ${f.name}`).join(", ")}: the explorer never continues past a failed check`, ptr, n);
      }
      const before = it.state.slice();
      let out;
      try {
        out = it.step({ instance: s.instance, step: s.step });
      } catch (e) {
        if (e instanceof FsmError) throw new ReplayError(e.code === "bad-move" ? "bad-trace" : (e.code as ReplayErrorCode), `${where}: ${e.message}`, ptr, n);
        throw e;
      }
      const after = it.state.slice();
      const changes = changed(l, before, after);
      if (s.changes !== undefined) {
        const want = visible(s.changes);
        const got = visible(changes);
        if (JSON.stringify(sorted(want)) !== JSON.stringify(sorted(got))) {
          throw new ReplayError("changes-differ", `${where} (${s.instance} ${s.step}) changes ${describeChanges(got) || "nothing"}, the trace says ${describeChanges(want) || "nothing"}`, `${ptr}/changes`, n);
        }
      }
      lastFailures = out.failures.map((f) => ({ kind: f.kind, name: f.name }));
      const bad = def.invariants.find((inv) => !inv.holds(after));
      if (bad && n < total) throw new ReplayError("fails-early", `${where} breaks invariant ${bad.name} before the end of the trace`, ptr, n);
      const who = l.instances.find((x) => x.id === s.instance)!;
      steps.push({ part, index: i + 1, instance: who.id, cpu: who.cpu, step: s.step, changes });
      states.push(after);
    }
  }
  if (lastFailures.length && kind === "liveness") throw new ReplayError("fails-early", `the last step fails ${lastFailures.map((f) => `${f.kind} ${f.name}`).join(", ")}: a liveness counterexample runs without failed checks`, base, n);
  const reproduced = confirm(def, l, doc, states, lastFailures, base);
  return { machine: def.name, instances: l.counts, ...(kind ? { kind } : {}), ...(doc.name !== undefined ? { name: doc.name } : {}), steps, reproduced };
}

function confirm(def: MachineDef, l: Layout, doc: TraceDocument, states: number[][], failures: { kind: string; name: string }[], base: string): string {
  const last = states[states.length - 1]!;
  const fail = (what: string) => new ReplayError("not-reproduced", `the trace replays but does not end in ${what}`, base);
  const name = doc.name ?? "";
  switch (doc.kind) {
    case undefined:
      return `${states.length - 1} steps replayed`;
    case "bug":
    case "assert":
    case "lock":
    case "range":
      if (!failures.some((f) => f.kind === doc.kind && f.name === name)) throw fail(`a failed ${doc.kind} ${name}`);
      return `the last step fails ${doc.kind} ${name}`;
    case "invariant": {
      const inv = def.invariants.find((x) => x.name === name);
      if (!inv) throw new ReplayError("bad-trace", `the machine has no invariant "${name}"`, `${base}/name`);
      if (inv.holds(last)) throw fail(`a state where invariant ${name} is false`);
      return `invariant ${name} is false in the last state`;
    }
    case "deadlock":
    case "end": {
      if (enabledMoves(l, last).length) throw fail(`a state where nothing can run`);
      const busy = l.instances.filter((x) => !atRest(last, x));
      if (doc.kind === "deadlock") {
        if (!busy.length) throw fail(`a deadlock (every instance rests)`);
        return `nothing can run and ${busy.map((x) => x.id).join(", ")} ${busy.length === 1 ? "is" : "are"} busy`;
      }
      const e = def.ends.find((x) => x.name === name);
      if (!e) throw new ReplayError("bad-trace", `the machine has no end condition "${name}"`, `${base}/name`);
      if (busy.length || e.holds(last)) throw fail(`quiescence with end condition ${name} false`);
      return `quiescence with end condition ${name} false`;
    }
    case "liveness":
      return confirmLasso(def, l, doc, states, base);
    default:
      throw new ReplayError("bad-trace", `unknown violation kind "${doc.kind}"`, `${base}/kind`);
  }
}

/** The cycle returns to its first state, the goal stays false from the trigger on, and the cycle is weakly fair. */
function confirmLasso(def: MachineDef, l: Layout, doc: TraceDocument, states: number[][], base: string): string {
  const prop = def.liveness.find((p) => p.name === doc.name);
  if (!prop) throw new ReplayError("bad-trace", `the machine has no liveness property "${doc.name ?? ""}"`, `${base}/name`);
  const k = doc.trace.length;
  const start = states[k]!;
  const loop = states.slice(k);
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  const fail = (what: string) => new ReplayError("not-reproduced", `the lasso replays but ${what}`, base);
  if (doc.cycle!.length) {
    if (!same(loop[loop.length - 1]!, start)) throw fail("its cycle does not return to the state it starts in");
  } else if (enabledMoves(l, start).length) throw fail("its cycle is empty although something can run at its end");
  // From the trigger on, the goal never holds: find the latest prefix state from which that is so.
  let from = states.length - 1;
  while (from > 0 && !prop.goal(states[from - 1]!)) from--;
  for (const s of loop) if (prop.goal(s)) throw fail(`the goal ${prop.formula} holds on the cycle`);
  const trig = prop.when;
  let at = -1;
  for (let i = from; i <= k; i++) if (trig ? trig(states[i]!) : i === 0) at = i;
  if (at < 0) throw fail(prop.when ? "no state from which the goal stays false has the trigger" : "the goal holds before the cycle");
  // Weak fairness: each fair instance runs in the cycle or is disabled in one of its states.
  const ran = new Set(((doc.cycle ?? []) as TraceStep[]).map((s) => s.instance));
  for (const inst of l.instances) {
    if (!prop.fair.includes(inst.process.name) || ran.has(inst.id)) continue;
    if (loop.every((s) => enabledMoves(l, s).some((m) => m.inst === inst))) throw fail(`${inst.id} is fair, can run in every state of the cycle and never runs there`);
  }
  return doc.cycle!.length
    ? `${prop.formula} fails: a weakly fair cycle of ${doc.cycle!.length} step${doc.cycle!.length === 1 ? "" : "s"} repeats forever after the trigger`
    : `${prop.formula} fails: the run stops where nothing can run`;
}

function changed(l: Layout, before: number[], after: number[]): TraceStep["changes"] {
  const out: TraceStep["changes"] = {};
  for (let k = 0; k < after.length; k++) if (before[k] !== after[k]) out[l.slots[k]!.name] = [showValue(l, k, before[k]!), showValue(l, k, after[k]!)];
  return out;
}

/** Program counters are implied by the step names, so a trace may leave them out (explore prints them, tools may not). */
function visible(c: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof c !== "object" || c === null) return out;
  for (const [k, v] of Object.entries(c)) if (!k.endsWith(".pc")) out[k] = v;
  return out;
}

const sorted = (o: Record<string, unknown>) => Object.keys(o).sort().map((k) => [k, o[k]]);

function describeChanges(c: Record<string, unknown>): string {
  return Object.entries(c)
    .map(([k, v]) => (Array.isArray(v) && v.length === 2 ? `${k}: ${String(v[0])} -> ${String(v[1])}` : `${k}: ${JSON.stringify(v)}`))
    .join(", ");
}
