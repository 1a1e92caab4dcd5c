import { evaluate, execEffects, type EvalEnv, type Expr, type Value } from "../../expr/index.ts";
import type { ElabMachineSpec } from "../../elaborate/model.ts";
import { lookupName, type Where } from "../../model/machine-names.ts";

export interface Table {
  states: number[][];
  transitions: [number, string, number][];
  /** Indices of the states where some invariant is false (the explorer reports the first path to each). */
  broken: number[];
}

/** Largest machine whose full table is emitted as data. */
export const TABLE_LIMIT = 512;

/**
 * The reachable transition table of a small single-actor machine (one process, one instance),
 * computed by evaluating the expressions (the emitted code computes the same thing; the tests
 * check they agree). Undefined for concurrent or larger machines.
 */
export function reachableTable(spec: ElabMachineSpec): Table | undefined {
  if (spec.processes.length !== 1 || spec.processes[0]!.instances !== 1) return undefined;
  const p = spec.processes[0]!;
  const lowered = spec.lowered.processes[0]!.steps;
  const slots = spec.lowered.slots;
  const base = slots.length;
  const cpu = p.cpus[0] ?? 0;
  const init = [...slots.map((g) => (g.v ? g.v.init : 0)), 0, ...p.locals.map((l) => l.init)];
  const index = new Map<string, number>([[init.join(","), 0]]);
  const states = [init];
  const transitions: [number, string, number][] = [];
  const ranges = [...slots.map((g) => [g.min, g.max]), [0, p.steps.length], ...p.locals.map((l) => [l.min, l.max ?? 0])];
  for (let i = 0; i < states.length; i++) {
    if (states.length > TABLE_LIMIT) return undefined;
    const s = states[i]!;
    const pc = s[base]!;
    if (!lowered[pc]) continue;
    // An event machine offers every event in every state; a process the step at its pc.
    for (const low of p.events ? lowered : [lowered[pc]!]) {
      const step = p.steps[low.index]!;
      for (const { name, binding } of low.transitions) {
        const where: Where = { proc: p, params: step.params };
        const env = stateEnv(spec, where, binding, cpu, base);
        const ev = (e: Expr, t: number[]) => evaluate(e, env(t), { width: 32 });
        if (low.takes.some((l) => s[l.slot] !== 0)) continue;
        if (low.guard && ev(low.guard, s) !== true) continue;
        const t = [...s];
        let failed = low.releases.some((l) => t[l.slot] !== 1);
        execEffects(low.stmts, env(t), { width: 32 });
        for (const a of low.asserts) if (ev(a.expr, t) !== true) failed = true;
        if (low.bugIf && ev(low.bugIf, t) === true) failed = true;
        const next = low.branches.find((b) => ev(b.cond, t) === true)?.target ?? low.next;
        if (!p.events) t[base] = next;
        if (t.some((v, k) => v < ranges[k]![0]! || v > ranges[k]![1]!)) failed = true;
        if (failed) {
          transitions.push([i, name, -1]);
          continue;
        }
        const key = t.join(",");
        let j = index.get(key);
        if (j === undefined) {
          j = states.length;
          index.set(key, j);
          states.push(t);
        }
        transitions.push([i, name, j]);
      }
    }
  }
  if (states.length > TABLE_LIMIT) return undefined;
  const genv = stateEnv(spec, {}, new Map(), cpu, base);
  const broken = states.flatMap((t, i) => (spec.invariants.some((inv) => evaluate(inv.expr.ast, genv([...t]), { width: 32 }) !== true) ? [i] : []));
  return { states, transitions, broken };
}

/** Reads and writes the slots of a single-actor state `t` the way the emitted code does. */
function stateEnv(spec: ElabMachineSpec, where: Where, binding: Map<string, number>, cpu: number, base: number): (t: number[]) => EvalEnv & { assign(path: string[], v: Value): void } {
  return (t: number[]): EvalEnv & { assign(path: string[], v: Value): void } => ({
    ref(path) {
      const n = lookupName(spec, path[0]!, where)!;
      const raw = (() => {
        switch (n.k) {
          case "global":
          case "lock":
            return t[n.slot]!;
          case "percpu":
            return t[n.slot + cpu]!;
          case "local":
            return t[base + 1 + n.index]!;
          case "const":
            return n.value;
          case "param":
            return binding.get(n.name) ?? 0;
          case "cpu":
            return cpu;
          case "me":
            return 1;
        }
      })();
      const isBool = ((n.k === "global" || n.k === "percpu" || n.k === "local") && n.v.type === "bool") || (n.k === "param" && n.type.t === "bool");
      return isBool ? raw !== 0 : BigInt(raw);
    },
    assign(path, v) {
      const n = lookupName(spec, path[0]!, where)!;
      const val = typeof v === "boolean" ? (v ? 1 : 0) : Number(BigInt.asUintN(32, v));
      if (n.k === "global" || n.k === "lock") t[n.slot] = val;
      else if (n.k === "percpu") t[n.slot + cpu] = val;
      else if (n.k === "local") t[base + 1 + n.index] = val;
    },
  });
}
