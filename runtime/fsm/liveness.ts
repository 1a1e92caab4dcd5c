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
import { apply, enabledMoves, initialState, layout, packer, type Layout } from "./machine.ts";

export interface LivenessOptions {
  instances?: Record<string, number>;
  /** Stop adding states after this many (the verdicts found so far stay certain; the rest are `unknown`). */
  maxStates?: number;
  /** Stop when the graph holds about this many bytes (states, edges and the visited set). */
  maxBytes?: number;
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
  /** Estimated bytes the graph held at the end. */
  bytes: number;
  properties: LivenessVerdict[];
}

/** The safe reachable graph: states in BFS order with parent links, edges grouped by source. */
interface Graph {
  l: Layout;
  states: number[][];
  parent: Int32Array;
  /** Edge of the parent that first reached each state. */
  parentEdge: Int32Array;
  expanded: number;
  edgeStart: number[];
  edgeTo: number[];
  edgeInst: number[];
  edgeName: number[];
  names: string[];
  /** Per state, one bit per instance: the instance has a move there (even one that fails a check). */
  enabled: Uint32Array[];
  /** States where no instance can move at all. */
  stuck: Uint8Array;
  complete: boolean;
  limit?: "states" | "memory";
  bytes: number;
}

/** Bytes per stored state besides its slots, and per edge: a deliberate, deterministic estimate. */
const STATE_OVERHEAD = 96;
const EDGE_BYTES = 32;

function buildGraph(def: MachineDef, o: LivenessOptions): Graph {
  const l = layout(def, o.instances);
  const pack = packer(l);
  const max = o.maxStates ?? 5_000_000;
  const maxBytes = o.maxBytes ?? Infinity;
  const every = o.progressEvery ?? 100_000;
  const words = Math.max(1, Math.ceil(l.instances.length / 32));
  const init = initialState(l, def);
  const broken = (s: number[]) => def.invariants.some((inv) => !inv.holds(s));
  const states: number[][] = [];
  const parent: number[] = [];
  const parentEdge: number[] = [];
  const seen = new Map<string, number>();
  const edgeStart: number[] = [];
  const edgeTo: number[] = [];
  const edgeInst: number[] = [];
  const edgeName: number[] = [];
  const names: string[] = [];
  const nameIds = new Map<string, number>();
  const enabled: Uint32Array[] = [];
  const stuck: number[] = [];
  const perState = STATE_OVERHEAD + l.slots.length * 8 + words * 4;
  let keyBytes = 0;
  let complete = true;
  let limit: Graph["limit"];
  const bytes = () => states.length * perState + keyBytes + edgeTo.length * EDGE_BYTES;
  const add = (s: number[], key: string, from: number, edge: number) => {
    seen.set(key, states.length);
    keyBytes += key.length * 2 + 48;
    states.push(s);
    parent.push(from);
    parentEdge.push(edge);
  };
  if (!broken(init)) add(init, pack(init), -1, -1);
  else seen.set(pack(init), -1);
  let i = 0;
  for (; i < states.length; i++) {
    if (i > 0 && i % every === 0) o.onProgress?.(states.length, states.length - i);
    if ((i & 1023) === 0 && (bytes() > maxBytes || (o.heapUsed !== undefined && o.maxHeapBytes !== undefined && o.heapUsed() > o.maxHeapBytes))) {
      complete = false;
      limit = "memory";
      break;
    }
    const s = states[i]!;
    const moves = enabledMoves(l, s);
    const mask = new Uint32Array(words);
    for (const m of moves) mask[m.inst.me >>> 5]! |= 1 << (m.inst.me & 31);
    enabled.push(mask);
    stuck.push(moves.length ? 0 : 1);
    edgeStart.push(edgeTo.length);
    for (const m of moves) {
      const out = apply(l, s, m);
      if (out.failures.length) continue;
      const key = pack(out.state);
      let to = seen.get(key);
      if (to === undefined) {
        if (broken(out.state)) {
          seen.set(key, -1);
          continue;
        }
        if (states.length >= max) {
          complete = false;
          limit ??= "states";
          continue;
        }
        to = states.length;
        add(out.state, key, i, edgeTo.length);
      }
      if (to < 0) continue;
      let name = nameIds.get(m.transition.name);
      if (name === undefined) {
        name = names.length;
        names.push(m.transition.name);
        nameIds.set(m.transition.name, name);
      }
      edgeTo.push(to);
      edgeInst.push(m.inst.me);
      edgeName.push(name);
    }
  }
  edgeStart.push(edgeTo.length);
  if (i < states.length) complete = false;
  return {
    l,
    states,
    parent: Int32Array.from(parent),
    parentEdge: Int32Array.from(parentEdge),
    expanded: i,
    edgeStart,
    edgeTo,
    edgeInst,
    edgeName,
    names,
    enabled,
    stuck: Uint8Array.from(stuck),
    complete,
    ...(limit ? { limit } : {}),
    bytes: bytes(),
  };
}

/** Checks every liveness property of the machine on one graph. */
export function checkLiveness(def: MachineDef, options: LivenessOptions = {}): LivenessResult {
  const g = buildGraph(def, options);
  const properties = def.liveness.map((prop): LivenessVerdict => {
    const fairInst = g.l.instances.filter((inst) => prop.fair.includes(inst.process.name));
    const base = { name: prop.name, kind: prop.kind, formula: prop.formula, fair: fairInst.map((x) => x.id) };
    const v = findLasso(g, prop.when, prop.goal, fairInst.map((x) => x.me));
    if (!v) return { ...base, verdict: g.complete ? "holds" : "unknown" };
    const trace = v.prefix;
    const at = v.trigger;
    const detail =
      prop.kind === "eventually"
        ? `${prop.formula} fails: on this fair run the goal never holds`
        : `${prop.formula} fails: the trigger holds after step ${at}${at === 0 ? " (the initial state)" : ""} and the goal never holds from there on`;
    return { ...base, verdict: "violated", violation: { kind: "liveness", name: prop.name, detail: prop.doc ? `${detail}. ${prop.doc}` : detail, trace, cycle: v.cycle, trigger: at } };
  });
  return {
    machine: def.name,
    instances: g.l.counts,
    states: g.states.length,
    transitions: g.edgeTo.length,
    complete: g.complete,
    ...(g.limit ? { limit: g.limit } : {}),
    bytes: g.bytes,
    properties,
  };
}

const isEnabled = (g: Graph, s: number, inst: number) => ((g.enabled[s]![inst >>> 5]! >>> (inst & 31)) & 1) === 1;

function findLasso(
  g: Graph,
  when: ((s: readonly number[]) => boolean) | undefined,
  goal: (s: readonly number[]) => boolean,
  fair: number[],
): { prefix: TraceStep[]; cycle: TraceStep[]; trigger: number } | undefined {
  const n = g.states.length;
  const inRegion = new Uint8Array(n);
  for (let s = 0; s < n; s++) inRegion[s] = goal(g.states[s]!) ? 0 : 1;
  // Trigger states in BFS order (their depth from the initial state never decreases with the id).
  const seeds: number[] = [];
  if (!when) {
    if (n && inRegion[0]) seeds.push(0);
  } else for (let s = 0; s < n; s++) if (inRegion[s] && when(g.states[s]!)) seeds.push(s);
  if (!seeds.length) return undefined;
  const depth = new Int32Array(n);
  for (let s = 1; s < n; s++) depth[s] = depth[g.parent[s]!]! + 1;
  // Shortest prefixes: a BFS inside the region started from every seed at its own depth. Seeds and
  // the queue both come in non-decreasing distance, so merging them keeps the order of a BFS.
  const dist = new Int32Array(n).fill(-1);
  const pred = new Int32Array(n).fill(-1);
  const predEdge = new Int32Array(n).fill(-1);
  const queue: number[] = [];
  let qi = 0;
  let si = 0;
  const order: number[] = [];
  while (qi < queue.length || si < seeds.length) {
    let s: number;
    if (si < seeds.length && (qi >= queue.length || depth[seeds[si]!]! <= dist[queue[qi]!]!)) {
      s = seeds[si++]!;
      if (dist[s]! >= 0) continue;
      dist[s] = depth[s]!;
    } else s = queue[qi++]!;
    order.push(s);
    if (s >= g.expanded) continue;
    for (let e = g.edgeStart[s]!; e < g.edgeStart[s + 1]!; e++) {
      const t = g.edgeTo[e]!;
      if (!inRegion[t] || dist[t]! >= 0) continue;
      dist[t] = dist[s]! + 1;
      pred[t] = s;
      predEdge[t] = e;
      queue.push(t);
    }
  }
  const inSub = (t: number) => dist[t]! >= 0;
  const sccs = tarjan(g, order, inSub);
  let best: { nodes: number[]; entry: number } | undefined;
  for (const nodes of sccs) {
    if (!fairComponent(g, nodes, fair)) continue;
    let entry = nodes[0]!;
    for (const x of nodes) if (dist[x]! < dist[entry]! || (dist[x] === dist[entry] && x < entry)) entry = x;
    if (!best || dist[entry]! < dist[best.entry]! || (dist[entry] === dist[best.entry] && entry < best.entry)) best = { nodes, entry };
  }
  if (!best) return undefined;
  // Prefix: back through the region's BFS to the seed, then the seed's own shortest path.
  const edges: number[] = [];
  let x = best.entry;
  while (pred[x]! >= 0) {
    edges.push(predEdge[x]!);
    x = pred[x]!;
  }
  const trigger = depth[x]!;
  while (g.parent[x]! >= 0) {
    edges.push(g.parentEdge[x]!);
    x = g.parent[x]!;
  }
  edges.reverse();
  const prefix = stepsOf(g, 0, edges);
  const cycle = stepsOf(g, best.entry, fairCycle(g, best.nodes, best.entry, fair));
  return { prefix, cycle, trigger };
}

/** The source state of every edge, found once per graph (edges are grouped by source). */
const sourceCache = new WeakMap<Graph, Int32Array>();
function sourceOf(g: Graph, e: number): number {
  let src = sourceCache.get(g);
  if (!src) {
    src = new Int32Array(g.edgeTo.length);
    for (let s = 0; s < g.expanded; s++) for (let k = g.edgeStart[s]!; k < g.edgeStart[s + 1]!; k++) src[k] = s;
    sourceCache.set(g, src);
  }
  return src[e]!;
}

function stepsOf(g: Graph, from: number, edges: number[]): TraceStep[] {
  const out: TraceStep[] = [];
  let s = from;
  for (const e of edges) {
    if (sourceOf(g, e) !== s) throw new Error("internal: a lasso edge does not start where the previous one ended");
    const t = g.edgeTo[e]!;
    out.push(describe(g.l, g.edgeInst[e]!, g.names[g.edgeName[e]!]!, g.states[s]!, g.states[t]!));
    s = t;
  }
  return out;
}

/** Whether a weakly fair run can stay in the component forever. */
function fairComponent(g: Graph, nodes: number[], fair: number[]): boolean {
  const member = new Set(nodes);
  if (nodes.length === 1) {
    const s = nodes[0]!;
    if (s >= g.expanded) return false;
    if (g.stuck[s]) return true;
    let loop = false;
    for (let e = g.edgeStart[s]!; e < g.edgeStart[s + 1]!; e++) if (g.edgeTo[e] === s) loop = true;
    if (!loop) return false;
  }
  for (const i of fair) {
    let ok = false;
    for (const s of nodes) {
      if (s >= g.expanded) continue;
      if (!isEnabled(g, s, i)) ok = true;
      for (let e = g.edgeStart[s]!; !ok && e < g.edgeStart[s + 1]!; e++) if (g.edgeInst[e] === i && member.has(g.edgeTo[e]!)) ok = true;
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
function fairCycle(g: Graph, nodes: number[], entry: number, fair: number[]): number[] {
  if (nodes.length === 1 && g.stuck[entry]) return [];
  const member = new Set(nodes);
  const out: number[] = [];
  const todo = new Set(fair);
  const at = () => (out.length ? g.edgeTo[out[out.length - 1]!]! : entry);
  const visit = (s: number) => {
    for (const i of todo) if (!isEnabled(g, s, i)) todo.delete(i);
  };
  const take = (e: number) => {
    out.push(e);
    todo.delete(g.edgeInst[e]!);
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
function edgeOf(g: Graph, s: number, i: number, member: Set<number>): number {
  for (let e = g.edgeStart[s]!; e < g.edgeStart[s + 1]!; e++) if (g.edgeInst[e] === i && member.has(g.edgeTo[e]!)) return e;
  return -1;
}

/** Edges of a shortest path inside `member` from `from` to a state meeting `goal`; at least one edge when `step`. */
function pathIn(g: Graph, member: Set<number>, from: number, goal: (s: number) => boolean, step: boolean): number[] {
  if (!step && goal(from)) return [];
  const prev = new Map<number, number>();
  const q: number[] = [from];
  const seen = new Set<number>(step ? [] : [from]);
  for (let k = 0; k < q.length; k++) {
    const s = q[k]!;
    for (let e = g.edgeStart[s]!; e < g.edgeStart[s + 1]!; e++) {
      const t = g.edgeTo[e]!;
      if (!member.has(t) || seen.has(t)) continue;
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

/** Strongly connected components of the subgraph `inSub`, iteratively (no recursion depth limit). */
function tarjan(g: Graph, roots: number[], inSub: (s: number) => boolean): number[][] {
  const n = g.states.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const out: number[][] = [];
  let next = 0;
  const call: { s: number; e: number }[] = [];
  for (const r of roots) {
    if (index[r]! >= 0) continue;
    index[r] = low[r] = next++;
    stack.push(r);
    onStack[r] = 1;
    call.push({ s: r, e: r < g.expanded ? g.edgeStart[r]! : 0 });
    while (call.length) {
      const top = call[call.length - 1]!;
      const s = top.s;
      const end = s < g.expanded ? g.edgeStart[s + 1]! : 0;
      if (top.e < end) {
        const t = g.edgeTo[top.e++]!;
        if (!inSub(t)) continue;
        if (index[t]! < 0) {
          index[t] = low[t] = next++;
          stack.push(t);
          onStack[t] = 1;
          call.push({ s: t, e: t < g.expanded ? g.edgeStart[t]! : 0 });
        } else if (onStack[t]) low[s] = Math.min(low[s]!, index[t]!);
        continue;
      }
      call.pop();
      if (call.length) {
        const p = call[call.length - 1]!.s;
        low[p] = Math.min(low[p]!, low[s]!);
      }
      if (low[s] === index[s]) {
        const comp: number[] = [];
        let x: number;
        do {
          x = stack.pop()!;
          onStack[x] = 0;
          comp.push(x);
        } while (x !== s);
        out.push(comp);
      }
    }
  }
  return out;
}

