/**
 * Successor generation for searches: every move of a layout numbered once (instance × step ×
 * transition), the moves enabled in a state written into a caller's buffer in the order of
 * `enabledMoves` (instance, then step transition order), and one move run in place. Nothing is
 * allocated per state: the CPU rule is decided from per-CPU counts of busy instances instead of
 * comparing every pair of instances, in code compiled for the layout (see compileEnabled).
 */
import type { Ctx, Failure, Transition } from "../../generated/ts/fsm.ts";
import { ctxOf, initialState, type Instance, type Layout } from "./machine.ts";

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
  /** Per instance from restAt[k], per pc value (terminated included): 1 when the instance rests there. */
  const restFlags: number[] = [];
  const restAt = new Int32Array(l.instances.length);
  /** Per instance, per pc: the moves offered there. */
  const offered: MoveInfo[][][] = [];
  let maxEnabled = 0;
  for (const inst of l.instances) {
    const k = inst.me;
    const p = inst.process;
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
  const enabled = compileEnabled(l, moves, offered, restFlags, restAt);
  const run: Successors["run"] = (s, m, fail) => {
    const mv = moves[m]!;
    mv.transition.run(s, mv.ctx, fail);
  };
  warmUp(l, enabled, Math.max(1, maxEnabled));
  return { layout: l, moves, steps, maxEnabled, enabled, run };
}

/*
 * The scan is compiled per layout (new Function) into straight-line code with every slot index,
 * CPU and move number a literal: the program counters are read once, the CPU rule becomes sums of
 * per-instance busy flags, and each move's guard is called from a call site of its own. A single
 * call site for all guards sees dozens of closures, which V8 can neither inline nor cache; one site
 * per move sees one closure, which it can do both for. Only numbers are spliced into the source;
 * the closures come in as arguments. The bodies keep one call site: compiled the same way (a switch
 * over moves), V8 inlined them with the feedback of the first states only and recompiled the whole
 * switch each time a body took a branch for the first time, which cost more than it saved.
 */

function compileEnabled(l: Layout, moves: readonly MoveInfo[], offered: MoveInfo[][][], restFlags: readonly number[], restAt: Int32Array): Successors["enabled"] {
  const lines: string[] = [];
  // Per instance its program counter and whether it is busy there (1) or at rest (0).
  for (const inst of l.instances) lines.push(`const p${inst.me} = s[${inst.base}], b${inst.me} = B[${restAt[inst.me]!} + p${inst.me}];`);
  for (const c of new Set(l.instances.map((i) => i.cpu))) {
    const on = l.instances.filter((i) => i.cpu === c);
    const sum = (xs: typeof on) => (xs.length ? xs.map((i) => `b${i.me}`).join(" + ") : "0");
    lines.push(`const all${c} = ${sum(on)}, high${c} = ${sum(on.filter((i) => i.rank > 0))};`);
  }
  lines.push("let n = 0;");
  for (const inst of l.instances) {
    const k = inst.me;
    // The CPU rule: no other busy instance on this CPU ranks as high or higher.
    lines.push(`if (${inst.rank > 0 ? "high" : "all"}${inst.cpu} - b${k} === 0) switch (p${k}) {`);
    offered[k]!.forEach((ms, pc) => {
      if (!ms.length) return;
      lines.push(`  case ${pc}:`);
      for (const m of ms) lines.push(`    if (G[${m.id}](s, C[${m.id}])) out[n++] = ${m.id};`);
      lines.push("    break;");
    });
    lines.push("}");
  }
  lines.push("return n;");
  const busy = Uint8Array.from(restFlags, (r) => 1 - r);
  const make = new Function("B", "G", "C", `return function enabled(s, out) {\n${lines.join("\n")}\n};`) as (b: Uint8Array, g: readonly Transition["enabled"][], c: readonly Ctx[]) => Successors["enabled"];
  return make(
    busy,
    moves.map((m) => m.transition.enabled),
    moves.map((m) => m.ctx),
  );
}

/**
 * V8 optimises a function with the type feedback its paths have gathered so far, and drops the
 * optimised code (and later recompiles the whole function) whenever a path runs that had none.
 * With a case per step, the compiled scan hit that once per step the search reached for the first
 * time, and each recompilation of the scan of a machine with a dozen instances took 0.1–0.8 s of
 * CPU. So every case runs here first, on scratch states: one instance at each of its steps with
 * every other one terminated (so the CPU rule lets it run). Guards only read the state.
 */
function warmUp(l: Layout, enabled: Successors["enabled"], maxEnabled: number): void {
  const s = initialState(l, l.def);
  const out = new Int32Array(maxEnabled);
  // Twice: V8 records feedback only once a function has been called a few times.
  for (let round = 0; round < 2; round++) {
    for (const inst of l.instances) {
      for (const o of l.instances) s[o.base] = o.process.steps.length;
      for (let pc = 0; pc < inst.process.steps.length; pc++) {
        s[inst.base] = pc;
        enabled(s, out);
      }
    }
  }
}
