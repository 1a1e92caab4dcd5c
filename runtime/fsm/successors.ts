/**
 * Successor generation for searches: every move of a layout numbered once (instance × step ×
 * transition), the moves enabled in a state written into a caller's buffer in the order of
 * `enabledMoves` (instance, then step transition order), and one move run in place. Nothing is
 * allocated per state: the CPU rule is decided from per-CPU counts of busy instances instead of
 * comparing every pair of instances.
 */
import type { Ctx, Failure, Transition } from "../../generated/ts/fsm.ts";
import { ctxOf, type Instance, type Layout } from "./machine.ts";

export interface MoveInfo {
  /** Index in `Successors.moves`. */
  readonly id: number;
  readonly inst: Instance;
  readonly transition: Transition;
  /** Step label (the transition name carries the parameters of event steps). */
  readonly label: string;
  /** Index of the step in its process. */
  readonly step: number;
  /** Index of `process.label` in `Successors.steps` (for the unreached list). */
  readonly reach: number;
  readonly ctx: Ctx;
  /** Absolute indices of the slots the move may write, ascending (every slot when the transition does not say). */
  readonly writes: Int32Array;
}

export interface Successors {
  readonly layout: Layout;
  readonly moves: readonly MoveInfo[];
  /** Every `process.label` of the processes that have instances, in declaration order. */
  readonly steps: readonly string[];
  /** Most moves one state can enable (a buffer of this size always suffices). */
  readonly maxEnabled: number;
  /** Writes the ids of the moves enabled in `s` into `out`; returns how many. */
  enabled(s: readonly number[], out: Int32Array): number;
  /** Runs move `m` on `s` in place; failed checks are pushed onto `fail`. */
  run(s: number[], m: number, fail: Failure[]): void;
}

function writesOf(l: Layout, inst: Instance, t: Transition): Int32Array {
  const w = t.writes;
  if (!w) return Int32Array.from(l.slots.keys());
  const all = new Set([...w.shared, ...w.perCpu.map((i) => i + inst.cpu), ...w.local.map((k) => inst.base + k)]);
  return Int32Array.from([...all].sort((a, b) => a - b));
}

export function successors(l: Layout): Successors {
  const moves: MoveInfo[] = [];
  const steps: string[] = [];
  const reachOf = new Map<string, number>();
  for (const p of l.def.processes) {
    if (!(l.counts[p.name]! > 0)) continue;
    for (const st of p.steps) {
      reachOf.set(`${p.name}.${st.label}`, steps.length);
      steps.push(`${p.name}.${st.label}`);
    }
  }
  const cpuIndex = new Map<number, number>();
  for (const inst of l.instances) if (!cpuIndex.has(inst.cpu)) cpuIndex.set(inst.cpu, cpuIndex.size);
  const n = l.instances.length;
  const base = new Int32Array(n);
  const cpu = new Int32Array(n);
  const rank = new Int32Array(n);
  const nsteps = new Int32Array(n);
  /** Per instance from restAt[k], per pc value (terminated included): 1 when the instance rests there. */
  const restFlags: number[] = [];
  const restAt = new Int32Array(n);
  /** Per instance, per pc: the moves offered there. */
  const offered: MoveInfo[][][] = [];
  let maxEnabled = 0;
  for (const inst of l.instances) {
    const k = inst.me;
    const p = inst.process;
    base[k] = inst.base;
    cpu[k] = cpuIndex.get(inst.cpu)!;
    rank[k] = inst.rank;
    nsteps[k] = p.steps.length;
    restAt[k] = restFlags.length;
    restFlags.push(...p.steps.map((s) => (s.rest ? 1 : 0)), 1);
    const ctx = ctxOf(inst);
    const own = p.steps.map((st, si) =>
      st.transitions.map((t) => {
        const m: MoveInfo = { id: moves.length, inst, transition: t, label: st.label, step: si, reach: reachOf.get(`${p.name}.${st.label}`)!, ctx, writes: writesOf(l, inst, t) };
        moves.push(m);
        return m;
      }),
    );
    // An event machine's actor offers every event at once; a process offers the step at its pc.
    offered.push(p.events ? p.steps.map(() => own.flat()) : own);
    maxEnabled += Math.max(0, ...offered[k]!.map((ms) => ms.length));
  }
  const rest = Uint8Array.from(restFlags);
  const cpus = cpuIndex.size;
  const busyAll = new Int32Array(cpus);
  const busyHigh = new Int32Array(cpus);
  const busy = new Uint8Array(n);
  return {
    layout: l,
    moves,
    steps,
    maxEnabled,
    enabled(s, out) {
      busyAll.fill(0);
      busyHigh.fill(0);
      for (let k = 0; k < n; k++) {
        const b = 1 - rest[restAt[k]! + s[base[k]!]!]!;
        busy[k] = b;
        const c = cpu[k]!;
        busyAll[c] = busyAll[c]! + b;
        if (rank[k]! > 0) busyHigh[c] = busyHigh[c]! + b;
      }
      let count = 0;
      for (let k = 0; k < n; k++) {
        const pc = s[base[k]!]!;
        if (pc >= nsteps[k]!) continue;
        // The CPU rule: no other busy instance on this CPU ranks as high or higher.
        if ((rank[k]! > 0 ? busyHigh[cpu[k]!]! : busyAll[cpu[k]!]!) - busy[k]! > 0) continue;
        const ms = offered[k]![pc]!;
        for (let j = 0; j < ms.length; j++) {
          const m = ms[j]!;
          if (m.transition.enabled(s, m.ctx)) out[count++] = m.id;
        }
      }
      return count;
    },
    run(s, m, fail) {
      const mv = moves[m]!;
      mv.transition.run(s, mv.ctx, fail);
    },
  };
}
