/**
 * A generated machine made concrete: instances placed on CPUs, the state layout, the CPU rule
 * (who may run), and one transition applied to a state. Used by the interpreter and the explorer.
 */
import type { Ctx, Failure, MachineDef, ProcessDef, Slot, Transition } from "../../generated/ts/fsm.ts";

export interface Instance {
  /** 0-based over all instances, in process order. */
  me: number;
  /** `process#index`, e.g. `irq#1`. */
  id: string;
  process: ProcessDef;
  index: number;
  cpu: number;
  /** Slot of the program counter; locals follow it. */
  base: number;
  /** 1 for irq (may interrupt the others), 0 for softirq and process context. */
  rank: number;
}

export interface Layout {
  def: MachineDef;
  instances: Instance[];
  /** Every slot of a state, shared ones first, with display names (`irq#0.pc`, `irq#0.n`). */
  slots: (Slot & { pcOf?: Instance })[];
  counts: Record<string, number>;
}

export class FsmError extends Error {
  constructor(
    readonly code: "unknown-process" | "unknown-instance" | "unknown-step" | "not-enabled" | "bad-instances" | "bad-move",
    message: string,
  ) {
    super(message);
    this.name = "FsmError";
  }
}

/** Places instances: `counts` overrides the spec's instance numbers per process name. */
export function layout(def: MachineDef, counts: Record<string, number> = {}): Layout {
  for (const name of Object.keys(counts)) {
    if (!def.processes.some((p) => p.name === name)) throw new FsmError("unknown-process", `unknown process "${name}" in ${def.name}`);
    const n = counts[name]!;
    if (!Number.isInteger(n) || n < 0 || n > 16) throw new FsmError("bad-instances", `instances of "${name}" must be an integer in [0, 16], got ${n}`);
  }
  const slots: Layout["slots"] = [...def.globals];
  const instances: Instance[] = [];
  const used: Record<string, number> = {};
  for (const p of def.processes) {
    const n = counts[p.name] ?? p.instances;
    used[p.name] = n;
    for (let i = 0; i < n; i++) {
      const inst: Instance = {
        me: instances.length,
        id: `${p.name}#${i}`,
        process: p,
        index: i,
        cpu: p.cpus[i % p.cpus.length]!,
        base: slots.length,
        rank: p.context === "irq" ? 1 : 0,
      };
      instances.push(inst);
      slots.push({ name: `${inst.id}.pc`, kind: "int", min: 0, max: p.steps.length, init: 0, pcOf: inst });
      for (const l of p.locals) slots.push({ ...l, name: `${inst.id}.${l.name}` });
    }
  }
  return { def, instances, slots, counts: used };
}

/** The initial state: declared initial values, every instance at its first step. */
export function initialState(l: Layout, def: MachineDef): number[] {
  const s: number[] = def.globals.map((g) => g.init);
  for (const inst of l.instances) s.push(0, ...inst.process.locals.map((x) => x.init));
  return s;
}

export function ctxOf(inst: Instance): Ctx {
  return { me: inst.me, cpu: inst.cpu, base: inst.base };
}

export function atRest(s: readonly number[], inst: Instance): boolean {
  const pc = s[inst.base]!;
  return pc >= inst.process.steps.length || inst.process.steps[pc]!.rest;
}

export function terminated(s: readonly number[], inst: Instance): boolean {
  return s[inst.base]! >= inst.process.steps.length;
}

/** The CPU rule: every busy instance on the same CPU must rank below this one (an irq over the rest). */
export function mayRun(l: Layout, s: readonly number[], inst: Instance): boolean {
  for (const o of l.instances) {
    if (o === inst || o.cpu !== inst.cpu || atRest(s, o)) continue;
    if (o.rank >= inst.rank) return false;
  }
  return true;
}

export interface Move {
  inst: Instance;
  transition: Transition;
  /** Step label. */
  label: string;
}

/** Enabled moves in a fixed order: instance, then step transition order. */
export function enabledMoves(l: Layout, s: readonly number[]): Move[] {
  const out: Move[] = [];
  for (const inst of l.instances) {
    const pc = s[inst.base]!;
    const step = inst.process.steps[pc];
    if (!step || !mayRun(l, s, inst)) continue;
    const c = ctxOf(inst);
    // An event machine's actor offers every event at once; a process offers the step at its pc.
    for (const st of inst.process.events ? inst.process.steps : [step]) {
      for (const t of st.transitions) if (t.enabled(s, c)) out.push({ inst, transition: t, label: st.label });
    }
  }
  return out;
}

export interface Outcome {
  state: number[];
  failures: (Failure | { kind: "range"; name: string })[];
}

/** Applies one move to a copy of `s`; values leaving their declared range are `range` failures. */
export function apply(l: Layout, s: readonly number[], m: Move): Outcome {
  const t = s.slice();
  const failures: Outcome["failures"] = [];
  m.transition.run(t, ctxOf(m.inst), failures as Failure[]);
  for (let i = 0; i < t.length; i++) {
    const slot = l.slots[i]!;
    if (t[i]! < slot.min || t[i]! > slot.max) failures.push({ kind: "range", name: slot.name });
  }
  return { state: t, failures };
}

/** A slot value as people read it: enum member, bool, bit list, pc label or number. */
export function showValue(l: Layout, i: number, v: number): string | number | boolean {
  const slot = l.slots[i]!;
  if (slot.pcOf) return slot.pcOf.process.steps[v]?.label ?? (v === slot.pcOf.process.steps.length ? "(done)" : v);
  if (slot.kind === "bool") return v !== 0;
  if (slot.kind === "enum") return slot.names?.[v] ?? v;
  if (slot.kind === "lock") return v === 0 ? "free" : (l.instances[v - 1]?.id ?? v);
  if (slot.kind === "bits" && v <= slot.max) {
    const set = (slot.names ?? []).filter((_, b) => (v >> b) & 1);
    return set.length ? set.join("|") : 0;
  }
  return v;
}

/** Packs a state into a string of 16-bit units using each slot's bit width: the visited-set key. */
export function packer(l: Layout): (s: readonly number[]) => string {
  const widths = l.slots.map((x) => Math.max(1, Math.ceil(Math.log2(x.max - x.min + 2))));
  const mins = l.slots.map((x) => x.min);
  return (s) => {
    let out = "";
    let acc = 0;
    let used = 0;
    for (let i = 0; i < s.length; i++) {
      // Out-of-range values (a range violation) still get a unique key: they are offset past max.
      let v = s[i]! - mins[i]!;
      const w = widths[i]!;
      if (v < 0 || v >= 2 ** w - 1) v = 2 ** w - 1;
      for (let b = 0; b < w; b++) {
        acc |= ((v >> b) & 1) << used;
        if (++used === 16) {
          out += String.fromCharCode(acc);
          acc = 0;
          used = 0;
        }
      }
    }
    return used ? out + String.fromCharCode(acc) : out;
  };
}
