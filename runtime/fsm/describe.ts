/**
 * How a search reports what it found, in words people read: a step of a trace, a failure in a
 * step, a deadlock. One module so the single-thread explorer, the parallel workers and the
 * liveness checker say the same thing about the same event.
 */
import type { Failure } from "../../generated/ts/fsm.ts";
import { atRest, showValue, type Layout } from "./machine.ts";
import type { MoveInfo } from "./successors.ts";

/** One step of a trace, as the explorer prints it (explorer.ts defines the shape). */
export interface TraceStep {
  /** Instance that ran, e.g. `softirq#1`. */
  instance: string;
  cpu: number;
  /** Transition name: the step label, with parameters for event steps. */
  step: string;
  /** Slots that changed: name → [before, after] as people read them. */
  changes: Record<string, [string | number | boolean, string | number | boolean]>;
}

/** One step: who ran, and the slots that changed as people read them. */
export function describe(l: Layout, inst: number, step: string, before: readonly number[], after: readonly number[]): TraceStep {
  const who = l.instances[inst]!;
  const changes: TraceStep["changes"] = {};
  for (let k = 0; k < after.length; k++) {
    if (before[k] !== after[k]) changes[l.slots[k]!.name] = [showValue(l, k, before[k]!), showValue(l, k, after[k]!)];
  }
  return { instance: who.id, cpu: who.cpu, step, changes };
}

/** What a failure in move `mv` means. */
export function failureDetail(f: { kind: Failure["kind"] | "range"; name: string }, mv: MoveInfo): string {
  if (f.kind === "bug") return `BUG() at ${mv.inst.id} ${f.name}`;
  if (f.kind === "lock") return `${mv.inst.id} unlocks ${f.name} without holding it`;
  if (f.kind === "range") return `${f.name} leaves its declared range`;
  return `assertion ${f.name} fails at ${mv.inst.id} ${mv.label}`;
}

/** Who is stuck where in a state no step can leave, or undefined when every instance is at rest. */
export function deadlockDetail(l: Layout, state: readonly number[]): string | undefined {
  const stuck = l.instances.filter((inst) => !atRest(state, inst));
  if (!stuck.length) return undefined;
  return `no step can run: ${stuck.map((inst) => `${inst.id} at ${inst.process.steps[state[inst.base]!]!.label}`).join(", ")}`;
}
