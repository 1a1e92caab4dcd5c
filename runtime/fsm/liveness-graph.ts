/**
 * The state graph liveness is decided on, packed: states in a StateStore (store.ts) numbered in
 * breadth-first order with parent links and the move that first reached them; successor edges in
 * one compressed array per field (CSR: `edgeStart[s] .. edgeStart[s + 1]` are the edges of `s`,
 * each a target id and a move id); per state one bit per instance that has a move there. Nothing
 * is allocated per state or per edge, and every array is reserved against one byte budget before
 * it grows, so a graph that would pass the bound stops with `limit: "memory"`, never with the
 * process running out of memory.
 *
 * The graph holds the safe part of the reachable states: a move that fails a check and a state
 * that breaks an invariant are cut (the explorer reports them). With a canoniser the graph is the
 * quotient by the machine's symmetry: states are orbit representatives and an edge labelled with
 * a move of instance i leads from a representative to the representative of its successor.
 */
import type { MachineDef } from "../../generated/ts/fsm.ts";
import { initialState, type Layout } from "./machine.ts";
import { cleanStep, pack, packing, unpack, type Packing } from "./packing.ts";
import { ABSENT, FULL, StateStore, type MemoryBudget } from "./store.ts";
import { successors, type Successors } from "./successors.ts";
import type { Canoniser } from "./symmetry.ts";

/** Bytes reserved against one limit, with the peak remembered for reports. */
export class Budget implements MemoryBudget {
  used = 0;
  peak = 0;
  constructor(readonly max: number) {}
  reserve(bytes: number): boolean {
    if (this.used + bytes > this.max) return false;
    this.used += bytes;
    if (this.used > this.peak) this.peak = this.used;
    return true;
  }
  release(bytes: number): void {
    this.used -= bytes;
  }
}

type Typed = Int32Array | Uint32Array | Uint16Array;

/** A typed array that grows by half again, its bytes reserved first; `push` is false when refused. */
class Growing<T extends Typed> {
  a: T;
  length = 0;
  constructor(
    private readonly make: (n: number) => T,
    private readonly budget: Budget,
    initial: number,
  ) {
    this.a = make(0);
    this.ensure(initial);
  }
  ensure(n: number): boolean {
    if (n <= this.a.length) return true;
    const size = Math.max(n, Math.ceil(this.a.length * 1.5), 1024);
    const bytes = size * this.a.BYTES_PER_ELEMENT;
    // Old and new arrays coexist while the copy is made, so both count.
    if (!this.budget.reserve(bytes)) return false;
    let next: T;
    try {
      next = this.make(size);
    } catch (e) {
      this.budget.release(bytes);
      if (e instanceof RangeError) return false;
      throw e;
    }
    next.set(this.a.subarray(0, this.length) as never);
    this.budget.release(this.a.length * this.a.BYTES_PER_ELEMENT);
    this.a = next;
    return true;
  }
  push(v: number): boolean {
    if (this.length === this.a.length && !this.ensure(this.length + 1)) return false;
    this.a[this.length++] = v;
    return true;
  }
}

export interface GraphOptions {
  maxStates?: number;
  onProgress?: (states: number, frontier: number) => void;
  progressEvery?: number;
  heapUsed?: () => number;
  maxHeapBytes?: number;
}

export interface LiveGraph {
  l: Layout;
  succ: Successors;
  p: Packing;
  store: StateStore;
  canon: Canoniser | undefined;
  /** States stored (ids 0 .. count - 1); the first `expanded` have their edges and enabled bits. */
  count: number;
  expanded: number;
  /** Length expanded + 1. */
  edgeStart: Int32Array;
  edgeTo: Int32Array;
  edgeMove: Int32Array | Uint16Array;
  edges: number;
  /** `maskWords` words per expanded state: bit i set when instance i has a move there (even one that fails a check). */
  enabled: Uint32Array;
  maskWords: number;
  complete: boolean;
  limit?: "states" | "memory";
  /** Bytes the graph holds (store and arrays). */
  bytes: number;
  /** Unpacks state `id` into `out`. */
  read(id: number, out: number[]): void;
}

export function buildGraph(def: MachineDef, l: Layout, budget: Budget, canon: Canoniser | undefined, o: GraphOptions): LiveGraph {
  const succ = successors(l);
  const p = packing(l);
  const W = p.words;
  const max = o.maxStates ?? Infinity;
  const every = o.progressEvery ?? 100_000;
  const maskWords = Math.max(1, Math.ceil(l.instances.length / 32));
  const store = new StateStore(W, { moves: succ.moves.length, budget });
  const edgeStart = new Growing((n) => new Int32Array(n), budget, 1024);
  const edgeTo = new Growing((n) => new Int32Array(n), budget, 4096);
  const edgeMove = new Growing<Int32Array | Uint16Array>((n) => (succ.moves.length > 0xffff ? new Int32Array(n) : new Uint16Array(n)), budget, 4096);
  const enabled = new Growing((n) => new Uint32Array(n), budget, 1024 * maskWords);
  const broken = (s: readonly number[]) => def.invariants.some((inv) => !inv.holds(s));
  const init = initialState(l, def);
  const cur = init.slice();
  const next = init.slice();
  const rep = init.slice();
  const curW = new Uint32Array(W);
  const nextW = new Uint32Array(W);
  const buf = new Int32Array(Math.max(1, succ.maxEnabled));
  const fail: never[] = [];
  let complete = true;
  let limit: LiveGraph["limit"];
  const memory = () => {
    complete = false;
    limit = "memory";
  };
  if (!broken(init)) {
    if (canon) canon.canonicalise(init, rep);
    pack(p, canon ? rep : init, curW);
    store.find(curW);
    if (store.add(curW, -1, 0) === FULL) memory();
  }
  let i = 0;
  outer: for (; i < store.count; i++) {
    if (i > 0 && i % every === 0) o.onProgress?.(store.count, store.count - i);
    if ((i & 1023) === 0 && o.heapUsed !== undefined && o.maxHeapBytes !== undefined && o.heapUsed() > o.maxHeapBytes) {
      memory();
      break;
    }
    // Room for this state's offset and the closing one, so a cut search can always close the array.
    if (!edgeStart.ensure(i + 2) || !enabled.ensure((i + 1) * maskWords)) {
      memory();
      break;
    }
    edgeStart.push(edgeTo.length);
    unpack(p, store.chunkOf(i), store.offsetOf(i), cur, next);
    const n = succ.enabled(cur, buf);
    for (let j = 0; j < n; j++) {
      const me = succ.moves[buf[j]!]!.inst.me;
      enabled.a[i * maskWords + (me >>> 5)]! |= 1 << (me & 31);
    }
    enabled.length = (i + 1) * maskWords;
    for (let j = 0; j < n; j++) {
      const mid = buf[j]!;
      const writes = succ.moves[mid]!.writes;
      if (cleanStep(succ, p, next, mid, fail)) {
        if (canon) canon.canonicalise(next, rep);
        pack(p, canon ? rep : next, nextW);
        let to = store.find(nextW);
        if (to === ABSENT) {
          if (broken(next)) to = -1;
          else if (store.count >= max) {
            complete = false;
            limit ??= "states";
            to = -1;
          } else {
            to = store.add(nextW, i, mid);
            if (to === FULL) {
              memory();
              break outer;
            }
          }
        }
        if (to >= 0 && !(edgeTo.push(to) && edgeMove.push(mid))) {
          memory();
          break outer;
        }
      }
      for (let c = 0; c < writes.length; c++) next[writes[c]!] = cur[writes[c]!]!;
    }
  }
  // A state whose expansion was cut is not expanded: its edges are ignored.
  const expanded = i;
  if (edgeStart.length > expanded) edgeStart.length = expanded + 1;
  else edgeStart.push(edgeTo.length);
  if (expanded < store.count) complete = false;
  const unpackTo = (id: number, out: number[]) => unpack(p, store.chunkOf(id), store.offsetOf(id), out);
  return {
    l,
    succ,
    p,
    store,
    canon,
    count: store.count,
    expanded,
    edgeStart: edgeStart.a,
    edgeTo: edgeTo.a,
    edgeMove: edgeMove.a,
    edges: edgeStart.a[expanded]!,
    enabled: enabled.a,
    maskWords,
    complete,
    ...(limit ? { limit } : {}),
    bytes: budget.used,
    read: unpackTo,
  };
}

/** The expanded state an edge starts from (binary search over the offsets). */
export function sourceOf(g: LiveGraph, e: number): number {
  let lo = 0;
  let hi = g.expanded - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (g.edgeStart[mid]! <= e) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export const isEnabled = (g: LiveGraph, s: number, inst: number): boolean => ((g.enabled[s * g.maskWords + (inst >>> 5)]! >>> (inst & 31)) & 1) === 1;

/** No instance can move in `s` (an expanded state): the run stays there forever. */
export function stuck(g: LiveGraph, s: number): boolean {
  for (let k = 0; k < g.maskWords; k++) if (g.enabled[s * g.maskWords + k] !== 0) return false;
  return true;
}
