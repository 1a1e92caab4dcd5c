/**
 * Breadth-first exploration of every interleaving of a generated machine. States live packed in a
 * StateStore (store.ts) and are numbered in breadth-first order; each remembers its parent and the
 * move that first reached it, so every violation comes with a shortest trace from the initial state.
 *
 * The loop, per state: unpack it, list the enabled moves (successors.ts), and per move run it on a
 * scratch copy, look at the slots it may write (checking the ranges of those it changed), update
 * the packed words of those slots only, canonicalise, look the result up, check the invariants of a new state and add it.
 */
import type { Failure, MachineDef } from "../../generated/ts/fsm.ts";
import { initialState, layout, terminated, type Layout } from "./machine.ts";
import { cleanStep, pack, packing, rewrite, unpack } from "./packing.ts";
import { ABSENT, FULL, StateStore } from "./store.ts";
import { successors, type MoveInfo } from "./successors.ts";
import { deadlockDetail, describe, failureDetail, type TraceStep } from "./describe.ts";
import { canoniser } from "./symmetry.ts";

/**
 * Which reductions a search applies: `symmetry` stores one state per orbit of the machine's declared
 * symmetry (exact verdicts and shortest traces), `por` expands only one instance's local steps where
 * that is enough (partial-order reduction: same verdicts, traces valid but maybe not shortest),
 * `all` both, `none` every state and every move.
 */
export type Reduce = "none" | "symmetry" | "por" | "all";
export const REDUCTIONS: readonly Reduce[] = ["none", "symmetry", "por", "all"];

export type ViolationKind = "invariant" | "assert" | "bug" | "lock" | "range" | "deadlock" | "end";

export interface Violation {
  kind: ViolationKind;
  name: string;
  /** What went wrong, in words (for deadlocks: who is stuck where). */
  detail: string;
  trace: TraceStep[];
}

/** Where a search is, for progress displays. */
export interface ExploreProgress {
  /** States stored so far. */
  states: number;
  /** States stored and not yet expanded. */
  frontier: number;
  transitions: number;
  /** Breadth-first level being expanded (0 = the initial state). */
  depth: number;
  /** Bytes the state store holds. */
  storeBytes: number;
  /**
   * States still to expand as estimated from the shrinking of the last levels (the rest of this
   * level plus a geometric tail); undefined while levels still grow, when no estimate is honest.
   */
  remaining?: number;
}

export interface ExploreOptions {
  instances?: Record<string, number>;
  /** Stop storing new states after this many (the result then says `complete: false`). */
  maxStates?: number;
  /** Stop storing new states when the store would pass this many bytes (`complete: false`, `stopped: "max-memory"`). */
  maxBytes?: number;
  /** Called every `progressEvery` states expanded. */
  onProgress?: (states: number, frontier: number, progress: ExploreProgress) => void;
  progressEvery?: number;
  /** Default `symmetry` (a no-op for machines that declare none). */
  reduce?: Reduce;
}

/** What symmetry reduction did: the groups it permutes and how many states the stored ones stand for. */
export interface SymmetryReport {
  groups: string[];
  /** Sum of the orbit sizes of the stored states: the states an unreduced search stores when both are complete. */
  represented: number;
}

export interface ExploreResult {
  machine: string;
  instances: Record<string, number>;
  states: number;
  transitions: number;
  complete: boolean;
  /** Why an incomplete search stopped storing states. */
  stopped?: "max-states" | "max-memory";
  violations: Violation[];
  /** Steps (`process.label`) no instance ever took. */
  unreached: string[];
  /** Bytes of the state store at the end (packed states, hash table, parent links). */
  storeBytes: number;
  /** 32-bit words per packed state. */
  stateWords: number;
  reduce: Reduce;
  /** Present when a symmetry was applied. */
  symmetry?: SymmetryReport;
  /** Present with partial-order reduction: enabled moves left unexplored because an ample set sufficed. */
  por?: { skipped: number };
  /**
   * Present for a parallel search, one entry per worker: the states it owns and stored, and the
   * states it expanded, its own and those it took from peers that had more left in a level.
   */
  workers?: { stored: number; expanded: number }[];
}

type Failed = Failure | { kind: "range"; name: string };

export function explore(def: MachineDef, options: ExploreOptions = {}): ExploreResult {
  const l = layout(def, options.instances);
  const succ = successors(l);
  const p = packing(l);
  const W = p.words;
  const nslots = l.slots.length;
  const maxStates = options.maxStates ?? Infinity;
  const every = options.progressEvery ?? 100_000;
  const store = new StateStore(W, { moves: succ.moves.length, ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}) });

  const reduce = options.reduce ?? "symmetry";
  const symmetric = reduce === "symmetry" || reduce === "all";
  const por = reduce === "por" || reduce === "all";
  const canon = symmetric ? canoniser(l) : undefined;
  const init = initialState(l, def);
  const cur = init.slice();
  const next = init.slice();
  const rep = init.slice();
  const curW = new Uint32Array(W);
  const nextW = new Uint32Array(W);
  let represented = 0;
  if (canon) {
    represented = canon.canonicalise(init, rep);
    for (let k = 0; k < nslots; k++) cur[k] = next[k] = rep[k]!;
  }
  pack(p, cur, curW);
  store.find(curW);
  if (store.add(curW, -1, 0) === FULL) throw new RangeError("the state store cannot hold the initial state within its memory bound");

  const found = new Map<string, Violation>();
  const reached = new Uint8Array(succ.steps.length);
  const buf = new Int32Array(Math.max(1, succ.maxEnabled));
  const fail: Failed[] = [];
  const bad: number[] = [];
  let transitions = 0;
  let complete = true;
  let stopped: ExploreResult["stopped"];

  const stateOf = (id: number): number[] => {
    const out = new Array<number>(nslots).fill(0);
    const at = store.locate(id);
    unpack(p, at.words, at.offset, out);
    return out;
  };
  // With symmetry the stored path runs through representatives; the concrete run is rebuilt by
  // following, from the real initial state, the instance whose move lands in the same orbit.
  const concrete = canon ? concretiser(l, succ, canon, init) : undefined;
  const traceTo = (id: number, last?: { move: MoveInfo; state: number[] }): TraceStep[] => {
    const ids: number[] = [];
    for (let n = id; store.parent(n) >= 0; n = store.parent(n)) ids.push(n);
    ids.reverse();
    const path = ids.map((n) => ({ move: succ.moves[store.move(n)]!, state: stateOf(n) }));
    if (last) path.push(last);
    const steps = concrete ? concrete(path) : path;
    const out: TraceStep[] = [];
    let prev = concrete ? init : stateOf(0);
    for (const st of steps) {
      out.push(describe(l, st.move.inst.me, st.move.transition.name, prev, st.state));
      prev = st.state;
    }
    return out;
  };
  const report = (kind: ViolationKind, name: string, detail: string, trace: () => TraceStep[]) => {
    const key = `${kind}:${name}`;
    if (!found.has(key)) found.set(key, { kind, name, detail, trace: trace() });
  };
  const invariants = def.invariants;
  for (const inv of invariants) if (!inv.holds(init)) report("invariant", inv.name, inv.doc || `invariant ${inv.name} is false`, () => []);

  // Breadth-first levels end where the ids of the level below begin: levelEnd is the first id of
  // the next level; sizes of the last two levels feed the progress estimate.
  let depth = 0;
  let levelEnd = 1;
  let levelSize = 1;
  let prevLevelSize = 0;
  const progress = (i: number): void => {
    const q = prevLevelSize > 0 ? levelSize / prevLevelSize : 1;
    const rest = levelEnd - i;
    const pr: ExploreProgress = { states: store.count, frontier: store.count - i, transitions, depth, storeBytes: store.bytes };
    if (q < 1) pr.remaining = rest + Math.round((levelSize * q) / (1 - q));
    options.onProgress!(store.count, store.count - i, pr);
  };

  // Partial-order reduction: an ample set is every enabled move of one instance when each of them
  // is local (touches only that instance's pc and locals and keeps it busy: Transition.local), no
  // instance that could interrupt it (higher rank, same CPU) is still alive, and (the cycle proviso
  // under breadth-first search) every successor is new, i.e. neither visited nor on the queue, and
  // none fails a check. Otherwise the state is fully expanded.
  const higher = l.instances.map((a) => l.instances.filter((b) => b.cpu === a.cpu && b.rank > a.rank));
  let skipped = 0;
  const probe = (mid: number): boolean => {
    const writes = succ.moves[mid]!.writes;
    let ok = cleanStep(succ, p, next, mid, fail as Failure[]);
    if (ok) {
      if (canon) canon.canonicalise(next, rep);
      pack(p, canon ? rep : next, nextW);
      ok = store.find(nextW) === ABSENT;
    }
    for (let c = 0; c < writes.length; c++) next[writes[c]!] = cur[writes[c]!]!;
    return ok;
  };
  const ample = (n: number): number => {
    for (let a = 0; a < n; ) {
      const inst = succ.moves[buf[a]!]!.inst;
      let b = a;
      let local = true;
      for (; b < n && succ.moves[buf[b]!]!.inst === inst; b++) if (succ.moves[buf[b]!]!.transition.local !== true) local = false;
      if (local && b - a < n && higher[inst.me]!.every((h) => terminated(cur, h))) {
        let ok = true;
        for (let j = a; j < b && ok; j++) ok = probe(buf[j]!);
        if (ok) {
          buf.copyWithin(0, a, b);
          return b - a;
        }
      }
      a = b;
    }
    return n;
  };

  for (let i = 0; i < store.count; i++) {
    if (i === levelEnd) {
      depth++;
      prevLevelSize = levelSize;
      levelSize = store.count - levelEnd;
      levelEnd = store.count;
    }
    if (options.onProgress && i > 0 && i % every === 0) progress(i);
    unpack(p, store.chunkOf(i), store.offsetOf(i), cur, next, curW);
    let n = succ.enabled(cur, buf);
    if (por && n > 1) {
      const a = ample(n);
      skipped += n - a;
      n = a;
    }
    if (n === 0) {
      const where = deadlockDetail(l, cur);
      if (where) report("deadlock", "deadlock", where, () => traceTo(i));
      else {
        for (const e of def.ends) if (!e.holds(cur)) report("end", e.name, e.doc || `end condition ${e.name} is false at quiescence`, () => traceTo(i));
      }
      continue;
    }
    for (let j = 0; j < n; j++) {
      const mid = buf[j]!;
      transitions++;
      const mv = succ.moves[mid]!;
      reached[mv.reach] = 1;
      succ.run(next, mid, fail as Failure[]);
      // The successor's packed words: the current ones with the changed slots rewritten.
      if (rewrite(p, mv.writes, cur, next, curW, nextW, bad) > 0) {
        for (let b = 0; b < bad.length; b++) fail.push({ kind: "range", name: l.slots[bad[b]!]!.name });
        bad.length = 0;
      }
      const writes = mv.writes;
      if (fail.length) {
        const last = { move: mv, state: next.slice() };
        for (const f of fail) {
          report(f.kind, f.name, failureDetail(f, mv), () => traceTo(i, last));
        }
        fail.length = 0;
      } else {
        // Canonicalise: with symmetry, (next, nextW) become the orbit's representative before the
        // lookup, so every state of an orbit is stored once.
        let orbit = 1;
        if (canon) {
          orbit = canon.canonicalise(next, rep);
          pack(p, rep, nextW);
        }
        if (store.find(nextW) === ABSENT) {
          let bad = false;
          for (let v = 0; v < invariants.length; v++) {
            if (invariants[v]!.holds(next)) continue;
            bad = true;
            const inv = invariants[v]!;
            const last = { move: mv, state: next.slice() };
            report("invariant", inv.name, inv.doc || `invariant ${inv.name} is false`, () => traceTo(i, last));
          }
          // A state that breaks an invariant is reported and not expanded (and not counted).
          if (!bad) {
            if (store.count >= maxStates) {
              complete = false;
              stopped ??= "max-states";
            } else if (store.add(nextW, i, mid) === FULL) {
              complete = false;
              stopped ??= "max-memory";
            } else represented += orbit;
          }
        }
      }
      for (let c = 0; c < writes.length; c++) next[writes[c]!] = cur[writes[c]!]!;
    }
  }
  const unreached = succ.steps.filter((_, k) => !reached[k]);
  const order: ViolationKind[] = ["bug", "assert", "lock", "range", "invariant", "deadlock", "end"];
  const violations = [...found.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.trace.length - b.trace.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    machine: def.name,
    instances: l.counts,
    states: store.count,
    transitions,
    complete,
    ...(stopped ? { stopped } : {}),
    violations,
    unreached,
    storeBytes: store.bytes,
    stateWords: W,
    reduce,
    ...(por ? { por: { skipped } } : {}),
    // A declared symmetry with nothing to permute at these counts (one instance per CPU) is reported too.
    ...(symmetric && def.symmetry ? { symmetry: { groups: canon ? [...canon.groups] : [], represented: canon ? represented : store.count } } : {}),
  };
}

type PathStep = { move: MoveInfo; state: number[] };

/**
 * Maps a path through representatives to a concrete run from `init`: at each step, among the
 * instances that run the same transition and are enabled in the concrete state, the one whose
 * successor has the stored state as its representative (one exists: the concrete state is in the
 * orbit of the stored one, and a permutation maps the stored move to such an instance's move).
 */
function concretiser(l: Layout, succ: ReturnType<typeof successors>, canon: NonNullable<ReturnType<typeof canoniser>>, init: number[]): (path: PathStep[]) => PathStep[] {
  const twins = new Map<MoveInfo["transition"], MoveInfo[]>();
  for (const m of succ.moves) {
    if (!twins.has(m.transition)) twins.set(m.transition, []);
    twins.get(m.transition)!.push(m);
  }
  const buf = new Int32Array(Math.max(1, succ.maxEnabled));
  const a = init.slice();
  const b = init.slice();
  const same = (x: readonly number[], y: readonly number[]) => {
    canon.canonicalise(x, a);
    canon.canonicalise(y, b);
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
    return true;
  };
  return (path) => {
    const out: PathStep[] = [];
    let t = init.slice();
    for (const st of path) {
      const n = succ.enabled(t, buf);
      const on = new Set(Array.from(buf.subarray(0, n)));
      let hit: PathStep | undefined;
      for (const m of twins.get(st.move.transition)!) {
        if (!on.has(m.id)) continue;
        const u = t.slice();
        succ.run(u, m.id, []);
        if (same(u, st.state)) {
          hit = { move: m, state: u };
          break;
        }
      }
      // Unreachable when the declared symmetry holds, which check enforces; fall back to the stored step.
      if (!hit) throw new Error(`internal: no concrete step of ${st.move.inst.process.name}.${st.move.label} lands in the stored orbit`);
      out.push(hit);
      t = hit.state;
    }
    return out;
  };
}

export { describe, terminated, type TraceStep };
