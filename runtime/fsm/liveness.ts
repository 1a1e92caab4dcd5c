/**
 * Liveness under weak fairness on the explicit state graph of a generated machine.
 *
 * The graph is the safe part of the reachable states: a move that fails a check (assert, bug_if,
 * lock, range) and a state that breaks an invariant are cut, because those runs are safety
 * violations and the explorer reports them. A state where nothing at all can run (quiescence or
 * deadlock) stays in that state forever: a run that stops is extended by stuttering, as spin does.
 *
 * `p leads_to q` fails exactly when some fair run reaches a state where p holds and q is false and
 * then never meets q again; `eventually q` is the same with p true at the initial state only. So
 * both are answered in the region of states where q is false: from the trigger states, search
 * that region for a strongly connected component that a weakly fair run can stay in forever. For
 * weak fairness that is a component where every fair instance either takes one of the
 * component's edges or is disabled in one of its states (then a run through every edge of the
 * component is fair), or a single state where nothing can run. One SCC decomposition per
 * property (Tarjan, iterative), linear in the graph. The counterexample is a lasso: a shortest
 * prefix to the cycle (through a trigger state) and a cycle that meets every fairness obligation.
 */
import type { MachineDef } from "../../generated/ts/fsm.ts";
import { describe, type TraceStep } from "./describe.ts";
import { layout, type Layout } from "./machine.ts";
import { Budget, buildGraph, isEnabled, sourceOf, stuck, type LiveGraph } from "./liveness-graph.ts";
import { mayBeFair } from "./liveness-quotient.ts";
import { stronglyConnected } from "./scc.ts";
import { canoniser } from "./symmetry.ts";

export interface LivenessOptions {
  instances?: Record<string, number>;
  /** Stop adding states after this many (the verdicts found so far stay certain; the rest are `unknown`). */
  maxStates?: number;
  /** Stop when the graph and the search arrays of a property would pass this many bytes. */
  maxBytes?: number;
  /**
   * Decide what the machine's declared symmetry can on the quotient graph first (default true):
   * a property with no fair component there holds; the others are decided on the full graph.
   */
  symmetry?: boolean;
  /** Called every `progressEvery` states while the graph is built. */
  onProgress?: (states: number, frontier: number) => void;
  /**
   * The memory the graph really takes, when the caller can measure it (the CLI: the JS heap in
   * use), checked with the estimate against `maxHeapBytes`: the estimate is deterministic but
   * cannot see every engine overhead, and a graph that outgrows the heap must stop with a message,
   * never abort the process.
   */
  heapUsed?: () => number;
  maxHeapBytes?: number;
  progressEvery?: number;
}

/** A liveness counterexample: `trace` leads from the initial state to the cycle, which it then repeats forever. */
export interface LassoViolation {
  kind: "liveness";
  name: string;
  detail: string;
  /** The prefix: from the initial state to the first state of the cycle. */
  trace: TraceStep[];
  /** Steps from the first state of the cycle back to it; empty when nothing can run there (the run stays forever). */
  cycle: TraceStep[];
  /** How many prefix steps lead to the trigger state (where `when` holds; 0 for `eventually`). */
  trigger: number;
}

export interface LivenessVerdict {
  name: string;
  kind: "eventually" | "leads_to";
  formula: string;
  /** Instances that are weakly fair for this property, e.g. `softirq#0`. */
  fair: string[];
  /** `unknown`: the graph was cut short by a limit before a counterexample was found. */
  verdict: "holds" | "violated" | "unknown";
  violation?: LassoViolation;
}

export interface LivenessResult {
  machine: string;
  instances: Record<string, number>;
  states: number;
  transitions: number;
  complete: boolean;
  /** Which limit cut the graph short, when one did. */
  limit?: "states" | "memory";
  /** Bytes the graph held at the end (packed states, visited set, edges, enabled bits). */
  bytes: number;
  /** `orbits`: every verdict came from the quotient by the symmetry; `states`: the full graph was needed. */
  graph: "orbits" | "states";
  /** The quotient pass, when the machine's symmetry permutes something at these counts. */
  symmetry?: { groups: string[]; states: number; transitions: number; complete: boolean; bytes: number };
  properties: LivenessVerdict[];
}

/** Bytes per state of the arrays one property's search takes besides the graph (see findFair). */
const SEARCH_BYTES = 42;

/** Checks every liveness property of the machine, on the quotient graph where that decides it, else on the full graph. */
export function checkLiveness(def: MachineDef, options: LivenessOptions = {}): LivenessResult {
  const l = layout(def, options.instances);
  const budget = new Budget(options.maxBytes ?? Infinity);
  const canon = options.symmetry === false ? undefined : canoniser(l);
  const verdicts = new Map<string, LivenessVerdict>();
  const fairOf = (prop: MachineDef["liveness"][number]) => l.instances.filter((inst) => prop.fair.includes(inst.process.name));
  const baseOf = (prop: MachineDef["liveness"][number]) => ({ name: prop.name, kind: prop.kind, formula: prop.formula, fair: fairOf(prop).map((x) => x.id) });
  let symmetry: LivenessResult["symmetry"];
  let last: LiveGraph | undefined;
  let peak = 0;
  if (canon && def.liveness.length) {
    const q = buildGraph(def, l, budget, canon, options);
    last = q;
    const orbit = orbits(l);
    for (const prop of def.liveness) {
      // Fairness per orbit of instances: what a concrete fair component projects onto (docs/machines.md).
      const groups = [...new Set(fairOf(prop).map((x) => orbit[x.me]!))].map((o) => l.instances.filter((x) => orbit[x.me] === o).map((x) => x.me));
      const found = withSearchBytes(budget, q.count, () => findFair(q, prop.when, prop.goal, groups, (nodes) => mayBeFair(q, nodes, groups)));
      if (found === false) continue;
      if (!found && q.complete) verdicts.set(prop.name, { ...baseOf(prop), verdict: "holds" });
    }
    symmetry = { groups: [...canon.groups], states: q.count, transitions: q.edges, complete: q.complete, bytes: budget.peak };
    peak = budget.peak;
  }
  const rest = def.liveness.filter((p) => !verdicts.has(p.name));
  let full: LiveGraph | undefined;
  if (rest.length) {
    // The quotient is garbage from here on: the full graph gets the whole bound.
    last = undefined;
    const fresh = new Budget(options.maxBytes ?? Infinity);
    full = buildGraph(def, l, fresh, undefined, options);
    // Only the quotient looks states up after building (mayBeFair); the full graph's table can go.
    full.store.seal();
    for (const prop of rest) {
      const fair = fairOf(prop).map((x) => [x.me]);
      const found = withSearchBytes(fresh, full.count, () => findFair(full!, prop.when, prop.goal, fair));
      const base = baseOf(prop);
      if (found === false) {
        full.complete = false;
        full.limit = "memory";
        verdicts.set(prop.name, { ...base, verdict: "unknown" });
        continue;
      }
      if (!found) {
        verdicts.set(prop.name, { ...base, verdict: full.complete ? "holds" : "unknown" });
        continue;
      }
      const v = lassoOf(full, found, fair);
      const at = v.trigger;
      const detail =
        prop.kind === "eventually"
          ? `${prop.formula} fails: on this fair run the goal never holds`
          : `${prop.formula} fails: the trigger holds after step ${at}${at === 0 ? " (the initial state)" : ""} and the goal never holds from there on`;
      verdicts.set(prop.name, { ...base, verdict: "violated", violation: { kind: "liveness", name: prop.name, detail: prop.doc ? `${detail}. ${prop.doc}` : detail, trace: v.prefix, cycle: v.cycle, trigger: at } });
    }
    peak = fresh.peak;
    last = full;
  }
  const g = last;
  return {
    machine: def.name,
    instances: l.counts,
    states: g?.count ?? 0,
    transitions: g?.edges ?? 0,
    complete: g?.complete ?? true,
    ...(g?.limit ? { limit: g.limit } : {}),
    bytes: peak,
    graph: full ? "states" : "orbits",
    ...(symmetry ? { symmetry } : {}),
    properties: def.liveness.map((p) => verdicts.get(p.name)!),
  };
}

/** Runs a property's search with its arrays reserved against the bound; false when they do not fit. */
function withSearchBytes<T>(budget: Budget, states: number, f: () => T): T | false {
  const bytes = states * SEARCH_BYTES;
  if (!budget.reserve(bytes)) return false;
  try {
    return f();
  } finally {
    budget.release(bytes);
  }
}

/**
 * Orbit of each instance under the declared symmetry (the group the canoniser sorts by): the
 * instances of a symmetric process on one CPU, joined across symmetric CPUs position by position.
 */
function orbits(l: Layout): Int32Array {
  const up = Int32Array.from(l.instances.keys());
  const find = (x: number): number => (up[x] === x ? x : (up[x] = find(up[x]!)));
  const join = (a: number, b: number) => {
    up[find(a)] = find(b);
  };
  const sym = l.def.symmetry;
  if (!sym) return up;
  const on = (p: string, c: number) => l.instances.filter((x) => x.process.name === p && x.cpu === c);
  for (const x of l.instances) {
    if (!sym.processes.includes(x.process.name)) continue;
    for (const y of on(x.process.name, x.cpu)) join(x.me, y.me);
  }
  const cpus = sym.cpus.filter((c) => c < l.def.cpus);
  if (cpus.length > 1) {
    for (const p of l.def.processes) {
      const first = on(p.name, cpus[0]!);
      for (const c of cpus.slice(1)) on(p.name, c).forEach((y, k) => first[k] && join(first[k]!.me, y.me));
    }
  }
  for (let k = 0; k < up.length; k++) up[k] = find(k);
  return up;
}

/** A fair component reachable in the region: its nodes, its entry (closest to a trigger) and the search's links. */
interface Found {
  nodes: Int32Array;
  entry: number;
  /** Per state: the region edge that first reached it in the BFS from the triggers, -1 at a trigger. */
  predEdge: Int32Array;
  dist: Int32Array;
  depth: Int32Array;
  /** Membership of the component: `low[x] === tag`. */
  low: Int32Array;
  tag: number;
}

/**
 * The region where `goal` is false, searched breadth-first from the trigger states (states where
 * `when` holds, or the initial state), and its strongly connected components: the fair one whose
 * entry is closest to a trigger, or undefined. `fair` lists groups of instances: a group is met by
 * a component when one of its instances takes an edge inside it or is disabled in one of its states.
 */
function findFair(
  g: LiveGraph,
  when: ((s: readonly number[]) => boolean) | undefined,
  goal: (s: readonly number[]) => boolean,
  fair: number[][],
  accept: (nodes: Int32Array) => boolean = () => true,
): Found | undefined {
  const n = g.count;
  const scratch = new Array<number>(g.l.slots.length).fill(0);
  const inRegion = new Uint8Array(n);
  const seeds: number[] = [];
  for (let s = 0; s < n; s++) {
    g.read(s, scratch);
    if (goal(scratch)) continue;
    inRegion[s] = 1;
    // Trigger states in BFS order (their depth from the initial state never decreases with the id).
    if (when ? when(scratch) : s === 0) seeds.push(s);
  }
  if (!seeds.length) return undefined;
  const depth = new Int32Array(n);
  for (let s = 1; s < n; s++) depth[s] = depth[g.store.parent(s)]! + 1;
  // Shortest prefixes: a BFS inside the region started from every seed at its own depth. Seeds and
  // the queue both come in non-decreasing distance, so merging them keeps the order of a BFS.
  const dist = new Int32Array(n).fill(-1);
  const predEdge = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const order = new Int32Array(n);
  let qn = 0;
  let qi = 0;
  let si = 0;
  let on = 0;
  while (qi < qn || si < seeds.length) {
    let s: number;
    if (si < seeds.length && (qi >= qn || depth[seeds[si]!]! <= dist[queue[qi]!]!)) {
      s = seeds[si++]!;
      if (dist[s]! >= 0) continue;
      dist[s] = depth[s]!;
    } else s = queue[qi++]!;
    order[on++] = s;
    if (s >= g.expanded) continue;
    for (let e = g.edgeStart[s]!; e < g.edgeStart[s + 1]!; e++) {
      const t = g.edgeTo[e]!;
      if (!inRegion[t] || dist[t]! >= 0) continue;
      dist[t] = dist[s]! + 1;
      predEdge[t] = e;
      queue[qn++] = t;
    }
  }
  let best: { nodes: Int32Array; entry: number; tag: number } | undefined;
  const graph = { first: (x: number) => (x < g.expanded ? g.edgeStart[x]! : 0), end: (x: number) => (x < g.expanded ? g.edgeStart[x + 1]! : 0), to: g.edgeTo };
  const low = stronglyConnected(g.count, graph, order.subarray(0, on), (nodes, tag, low) => {
    if (!fairComponent(g, nodes, fair, low, tag) || !accept(nodes)) return;
    let entry = nodes[0]!;
    for (const x of nodes) if (dist[x]! < dist[entry]! || (dist[x] === dist[entry] && x < entry)) entry = x;
    if (!best || dist[entry]! < dist[best.entry]! || (dist[entry] === dist[best.entry] && entry < best.entry)) best = { nodes: nodes.slice(), entry, tag };
  }, dist);
  if (!best) return undefined;
  const b = best as { nodes: Int32Array; entry: number; tag: number };
  return { nodes: b.nodes, entry: b.entry, tag: b.tag, predEdge, dist, depth, low };
}

interface Step {
  from: number;
  move: number;
  to: number;
}

/** The lasso of a fair component of the full graph: prefix from the initial state, trigger, fair cycle. */
function lassoOf(g: LiveGraph, f: Found, fair: number[][]): { prefix: TraceStep[]; cycle: TraceStep[]; trigger: number } {
  // Prefix: back through the region's BFS to the seed, then the seed's own shortest path.
  const steps: Step[] = [];
  let x = f.entry;
  while (f.predEdge[x]! >= 0) {
    const e = f.predEdge[x]!;
    const src = sourceOf(g, e);
    steps.push({ from: src, move: g.edgeMove[e]!, to: x });
    x = src;
  }
  const trigger = f.depth[x]!;
  while (g.store.parent(x) >= 0) {
    const p = g.store.parent(x);
    steps.push({ from: p, move: g.store.move(x), to: x });
    x = p;
  }
  steps.reverse();
  const member = (s: number) => f.low[s] === f.tag;
  const cycle = fairCycle(g, f.nodes, f.entry, fair.map((grp) => grp[0]!), member).map((e) => ({ from: sourceOf(g, e), move: g.edgeMove[e]!, to: g.edgeTo[e]! }));
  return { prefix: stepsOf(g, 0, steps), cycle: stepsOf(g, f.entry, cycle), trigger };
}

function stepsOf(g: LiveGraph, from: number, steps: Step[]): TraceStep[] {
  const out: TraceStep[] = [];
  const a = new Array<number>(g.l.slots.length).fill(0);
  const b = a.slice();
  let s = from;
  for (const st of steps) {
    if (st.from !== s) throw new Error("internal: a lasso edge does not start where the previous one ended");
    g.read(st.from, a);
    g.read(st.to, b);
    const mv = g.succ.moves[st.move]!;
    out.push(describe(g.l, mv.inst.me, mv.transition.name, a, b));
    s = st.to;
  }
  return out;
}

const instOf = (g: LiveGraph, e: number) => g.succ.moves[g.edgeMove[e]!]!.inst.me;

/** Whether a weakly fair run can stay in the component forever (with groups of one instance; see findFair for larger ones). */
function fairComponent(g: LiveGraph, nodes: Int32Array, fair: number[][], low: Int32Array, tag: number): boolean {
  if (nodes.length === 1) {
    const s = nodes[0]!;
    if (s >= g.expanded) return false;
    if (stuck(g, s)) return true;
    let loop = false;
    for (let e = g.edgeStart[s]!; e < g.edgeStart[s + 1]!; e++) if (g.edgeTo[e] === s) loop = true;
    if (!loop) return false;
  }
  for (const grp of fair) {
    let ok = false;
    for (const s of nodes) {
      if (s >= g.expanded) continue;
      for (const i of grp) if (!isEnabled(g, s, i)) ok = true;
      for (let e = g.edgeStart[s]!; !ok && e < g.edgeStart[s + 1]!; e++) if (low[g.edgeTo[e]!] === tag && grp.includes(instOf(g, e))) ok = true;
      if (ok) break;
    }
    if (!ok) return false;
  }
  return true;
}

/**
 * A cycle from `entry` through the component that meets every fairness obligation: for each fair
 * instance one of its edges in the component, or else a state where it is disabled. Empty for a
 * state where nothing can run.
 */
function fairCycle(g: LiveGraph, nodes: Int32Array, entry: number, fair: number[], member: (s: number) => boolean): number[] {
  if (nodes.length === 1 && stuck(g, entry)) return [];
  const out: number[] = [];
  const todo = new Set(fair);
  const at = () => (out.length ? g.edgeTo[out[out.length - 1]!]! : entry);
  const visit = (s: number) => {
    for (const i of todo) if (!isEnabled(g, s, i)) todo.delete(i);
  };
  const take = (e: number) => {
    out.push(e);
    todo.delete(instOf(g, e));
    visit(g.edgeTo[e]!);
  };
  visit(entry);
  while (todo.size) {
    const i = todo.values().next().value!;
    if (nodes.some((s) => edgeOf(g, s, i, member) >= 0)) {
      for (const e of pathIn(g, member, at(), (s) => edgeOf(g, s, i, member) >= 0, false)) take(e);
      take(edgeOf(g, at(), i, member));
    } else for (const e of pathIn(g, member, at(), (s) => !isEnabled(g, s, i), false)) take(e);
  }
  for (const e of pathIn(g, member, at(), (s) => s === entry, out.length === 0)) take(e);
  return out;
}

/** The first edge of instance `i` from `s` that stays in the component, or -1. */
function edgeOf(g: LiveGraph, s: number, i: number, member: (s: number) => boolean): number {
  for (let e = g.edgeStart[s]!; e < g.edgeStart[s + 1]!; e++) if (instOf(g, e) === i && member(g.edgeTo[e]!)) return e;
  return -1;
}

/** Edges of a shortest path inside the component from `from` to a state meeting `goal`; at least one edge when `step`. */
function pathIn(g: LiveGraph, member: (s: number) => boolean, from: number, goal: (s: number) => boolean, step: boolean): number[] {
  if (!step && goal(from)) return [];
  const prev = new Map<number, number>();
  const q: number[] = [from];
  const seen = new Set<number>(step ? [] : [from]);
  for (let k = 0; k < q.length; k++) {
    const s = q[k]!;
    for (let e = g.edgeStart[s]!; e < g.edgeStart[s + 1]!; e++) {
      const t = g.edgeTo[e]!;
      if (!member(t) || seen.has(t)) continue;
      seen.add(t);
      prev.set(t, e);
      if (goal(t)) {
        const es: number[] = [];
        let y = t;
        do {
          const pe = prev.get(y)!;
          es.push(pe);
          y = sourceOf(g, pe);
        } while (y !== from);
        return es.reverse();
      }
      q.push(t);
    }
  }
  throw new Error("internal: no path inside a strongly connected component");
}

