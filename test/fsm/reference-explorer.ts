/**
 * The explorer as it was before the packed state store, kept as the reference the store-based
 * explorer is compared with: every state a JS array, the visited set a Map of strings, written
 * for clarity rather than speed.
 */
import type { MachineDef } from "../../generated/ts/fsm.ts";
import type { ExploreResult, TraceStep, Violation, ViolationKind } from "../../runtime/fsm/explorer.ts";
import { apply, atRest, enabledMoves, initialState, layout, packer, showValue, type Layout } from "../../runtime/fsm/machine.ts";

interface Node {
  parent: number;
  inst: number;
  step: string;
}

export function referenceExplore(def: MachineDef, options: { instances?: Record<string, number>; maxStates?: number } = {}): Omit<ExploreResult, "storeBytes" | "stateWords" | "stopped" | "reduce" | "symmetry"> {
  const l = layout(def, options.instances);
  const pack = packer(l);
  const max = options.maxStates ?? 5_000_000;
  const init = initialState(l, def);
  const states: number[][] = [init];
  const nodes: Node[] = [{ parent: -1, inst: -1, step: "" }];
  const seen = new Map<string, number>([[pack(init), 0]]);
  const found = new Map<string, Violation>();
  const reached = new Set<string>();
  let transitions = 0;
  let complete = true;

  const traceTo = (id: number, last?: { inst: number; step: string; state: number[] }): TraceStep[] => {
    const chain: { node: Node; state: number[]; prev: number[] }[] = [];
    for (let n = id; nodes[n]!.parent >= 0; n = nodes[n]!.parent) chain.push({ node: nodes[n]!, state: states[n]!, prev: states[nodes[n]!.parent]! });
    chain.reverse();
    const out = chain.map((c) => describe(l, c.node.inst, c.node.step, c.prev, c.state));
    if (last) out.push(describe(l, last.inst, last.step, states[id]!, last.state));
    return out;
  };
  const report = (kind: ViolationKind, name: string, detail: string, trace: () => TraceStep[]) => {
    const key = `${kind}:${name}`;
    if (!found.has(key)) found.set(key, { kind, name, detail, trace: trace() });
  };
  const broken = (s: number[]) => def.invariants.filter((inv) => !inv.holds(s));
  for (const inv of broken(init)) report("invariant", inv.name, inv.doc || `invariant ${inv.name} is false`, () => []);

  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    const moves = enabledMoves(l, s);
    if (!moves.length) {
      const stuck = l.instances.filter((inst) => !atRest(s, inst));
      if (stuck.length) {
        const where = stuck.map((inst) => `${inst.id} at ${inst.process.steps[s[inst.base]!]!.label}`).join(", ");
        report("deadlock", "deadlock", `no step can run: ${where}`, () => traceTo(i));
      } else {
        for (const e of def.ends) if (!e.holds(s)) report("end", e.name, e.doc || `end condition ${e.name} is false at quiescence`, () => traceTo(i));
      }
      continue;
    }
    for (const m of moves) {
      transitions++;
      reached.add(`${m.inst.process.name}.${m.label}`);
      const out = apply(l, s, m);
      const last = { inst: m.inst.me, step: m.transition.name, state: out.state };
      if (out.failures.length) {
        for (const f of out.failures) {
          const detail = f.kind === "bug" ? `BUG() at ${m.inst.id} ${f.name}` : f.kind === "lock" ? `${m.inst.id} unlocks ${f.name} without holding it` : f.kind === "range" ? `${f.name} leaves its declared range` : `assertion ${f.name} fails at ${m.inst.id} ${m.label}`;
          report(f.kind, f.name, detail, () => traceTo(i, last));
        }
        continue;
      }
      const key = pack(out.state);
      if (seen.has(key)) continue;
      const bad = broken(out.state);
      if (bad.length) {
        for (const inv of bad) report("invariant", inv.name, inv.doc || `invariant ${inv.name} is false`, () => traceTo(i, last));
        seen.set(key, -1);
        continue;
      }
      if (states.length >= max) {
        complete = false;
        continue;
      }
      seen.set(key, states.length);
      states.push(out.state);
      nodes.push({ parent: i, inst: m.inst.me, step: m.transition.name });
    }
  }
  const unreached: string[] = [];
  for (const p of def.processes) {
    if (!(l.counts[p.name]! > 0)) continue;
    for (const st of p.steps) if (!reached.has(`${p.name}.${st.label}`)) unreached.push(`${p.name}.${st.label}`);
  }
  const order: ViolationKind[] = ["bug", "assert", "lock", "range", "invariant", "deadlock", "end"];
  const violations = [...found.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.trace.length - b.trace.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { machine: def.name, instances: l.counts, states: states.length, transitions, complete, violations, unreached };
}

function describe(l: Layout, inst: number, step: string, before: readonly number[], after: readonly number[]): TraceStep {
  const who = l.instances[inst]!;
  const changes: TraceStep["changes"] = {};
  for (let k = 0; k < after.length; k++) {
    if (before[k] !== after[k]) changes[l.slots[k]!.name] = [showValue(l, k, before[k]!), showValue(l, k, after[k]!)];
  }
  return { instance: who.id, cpu: who.cpu, step, changes };
}

