/**
 * Following single instances through the symmetry quotient, to rule out components the per-orbit
 * fairness test accepts only because one member of an orbit stands in for another
 * (docs/machines.md, Liveness, *Symmetry*: the argument, step by step).
 *
 * A thread node is a representative with a class of an orbit's instances in it: instances of
 * the orbit whose own slots (pc, locals) and held locks are equal. A permutation that fixes the
 * representative maps an instance only into its class, so the node a concrete instance occupies
 * does not depend on which permutation made the representative. Per move of the quotient, each
 * instance's class in the source leads to the class of its image (the canoniser's `image`) in the
 * target. A concrete weakly fair component projects every instance's thread into a strongly
 * connected set of thread nodes that contains a step of that instance or a node where a member
 * is disabled; and every node over a state of the projection is on some instance's thread. So a
 * representative with a node whose thread component has neither cannot be on the projection, and
 * is removed; the rest is decomposed again, until nothing is removed (a component survives) or
 * nothing is left.
 */
import type { Failure } from "../../generated/ts/fsm.ts";
import { isEnabled, stuck, type LiveGraph } from "./liveness-graph.ts";
import { cleanStep, pack } from "./packing.ts";
import { stronglyConnected } from "./scc.ts";
import { ABSENT } from "./store.ts";

/** Strongly connected components of a graph given as CSR arrays; returns a component id per node. */
export function components(n: number, start: Int32Array, to: Int32Array): Int32Array {
  const all = new Int32Array(n);
  for (let v = 0; v < n; v++) all[v] = v;
  const tags = stronglyConnected(n, { first: (v) => start[v]!, end: (v) => start[v + 1]!, to }, all);
  for (let v = 0; v < n; v++) tags[v] = -1 - tags[v]!;
  return tags;
}

/** Edge lists as CSR arrays. */
function csr(n: number, from: number[], to: number[]): { start: Int32Array; to: Int32Array } {
  const start = new Int32Array(n + 1);
  for (const f of from) start[f + 1]!++;
  for (let k = 0; k < n; k++) start[k + 1]! += start[k]!;
  const fill = start.slice(0, n);
  const out = new Int32Array(to.length);
  for (let e = 0; e < from.length; e++) out[fill[from[e]!]!++] = to[e]!;
  return { start, to: out };
}

/**
 * Whether some part of the quotient component `nodes` survives the thread test for every fair
 * orbit in `orbits`: true when it may hold a concrete fair run (the full graph must decide), false
 * when no concrete fair component projects into it.
 */
export function mayBeFair(q: LiveGraph, nodes: Int32Array, orbits: number[][]): boolean {
  const canon = q.canon!;
  const l = q.l;
  const lockSlots = l.slots.flatMap((s, k) => (s.kind === "lock" && k < l.def.globals.length ? [k] : []));
  const width = l.instances.map((i) => 1 + i.process.locals.length);
  const work: number[][] = [Array.from(nodes)];
  const cur = new Array<number>(l.slots.length).fill(0);
  const next = cur.slice();
  const rep = cur.slice();
  const words = new Uint32Array(q.p.words);
  const buf = new Int32Array(Math.max(1, q.succ.maxEnabled));
  const fail: Failure[] = [];
  while (work.length) {
    const set = work.pop()!;
    const at = new Map<number, number>(set.map((r, k) => [r, k]));
    // Quotient edges inside the set: a component, or a stuck state, may hold a run at all.
    if (set.length === 1) {
      const r = set[0]!;
      if (stuck(q, r)) return true;
      let loop = false;
      for (let e = q.edgeStart[r]!; e < q.edgeStart[r + 1]!; e++) if (q.edgeTo[e] === r) loop = true;
      if (!loop) continue;
    }
    const bad = new Uint8Array(set.length);
    for (const orbit of orbits) {
      // Classes of the orbit's instances per state: equal own slots and equal locks held.
      const classOf: Int32Array[] = [];
      const firstNode: number[] = [];
      let nodeCount = 0;
      for (const r of set) {
        q.read(r, cur);
        const cls = new Int32Array(l.instances.length).fill(-1);
        const keys = new Map<string, number>();
        for (const j of orbit) {
          const b = l.instances[j]!.base;
          const key = [...cur.slice(b, b + width[j]!), ...lockSlots.map((k) => (cur[k] === j + 1 ? 1 : 0))].join(",");
          if (!keys.has(key)) keys.set(key, keys.size);
          cls[j] = keys.get(key)!;
        }
        classOf.push(cls);
        firstNode.push(nodeCount);
        nodeCount += keys.size;
      }
      const good = new Uint8Array(nodeCount);
      const from: number[] = [];
      const to: number[] = [];
      const tracked: number[] = [];
      for (let k = 0; k < set.length; k++) {
        const r = set[k]!;
        for (const j of orbit) if (!isEnabled(q, r, j)) good[firstNode[k]! + classOf[k]![j]!] = 1;
        q.read(r, cur);
        for (let c = 0; c < cur.length; c++) next[c] = cur[c]!;
        const n = q.succ.enabled(cur, buf);
        for (let m = 0; m < n; m++) {
          const mid = buf[m]!;
          if (cleanStep(q.succ, q.p, next, mid, fail)) {
            canon.canonicalise(next, rep);
            pack(q.p, rep, words);
            const id = q.store.find(words);
            const kt = id === ABSENT ? undefined : at.get(id);
            if (kt !== undefined) {
              const mover = q.succ.moves[mid]!.inst.me;
              for (const j of orbit) {
                from.push(firstNode[k]! + classOf[k]![j]!);
                to.push(firstNode[kt]! + classOf[kt]![canon.image[j]!]!);
                tracked.push(mover === j ? 1 : 0);
              }
            }
          }
          for (let c = 0; c < cur.length; c++) next[c] = cur[c]!;
        }
      }
      const g = csr(nodeCount, from, to);
      const comp = components(nodeCount, g.start, g.to);
      // Per thread component: has an edge inside it, and a step of the tracked instance or a disabled member.
      const inner = new Uint8Array(nodeCount);
      const fair = new Uint8Array(nodeCount);
      for (let v = 0; v < nodeCount; v++) if (good[v]) fair[comp[v]!] = 1;
      for (let e = 0; e < from.length; e++) {
        if (comp[from[e]!] !== comp[to[e]!]) continue;
        inner[comp[from[e]!]!] = 1;
        if (tracked[e]) fair[comp[from[e]!]!] = 1;
      }
      for (let k = 0; k < set.length; k++) {
        const end = k + 1 < set.length ? firstNode[k + 1]! : nodeCount;
        for (let v = firstNode[k]!; v < end; v++) if (!(inner[comp[v]!] && fair[comp[v]!])) bad[k] = 1;
      }
    }
    const keep = set.filter((_, k) => !bad[k]);
    if (keep.length === set.length) return true;
    // What is left falls apart into components of its own; each is tested again.
    const local = new Map<number, number>(keep.map((r, k) => [r, k]));
    const from: number[] = [];
    const to: number[] = [];
    for (let k = 0; k < keep.length; k++) {
      const r = keep[k]!;
      for (let e = q.edgeStart[r]!; e < q.edgeStart[r + 1]!; e++) {
        const t = local.get(q.edgeTo[e]!);
        if (t !== undefined) {
          from.push(k);
          to.push(t);
        }
      }
    }
    const g = csr(keep.length, from, to);
    const comp = components(keep.length, g.start, g.to);
    const parts = new Map<number, number[]>();
    for (let k = 0; k < keep.length; k++) {
      if (!parts.has(comp[k]!)) parts.set(comp[k]!, []);
      parts.get(comp[k]!)!.push(keep[k]!);
    }
    work.push(...parts.values());
  }
  return false;
}
