/**
 * One worker of a parallel search (parallel.ts). It owns the states whose owner hash picks it,
 * keeps them in its own StateStore, and expands them level by level, starting as soon as it has
 * loaded the machine: successors it owns go straight into its store, the others (packed words,
 * parent reference, move) are written into the shared-memory queue to their owner
 * (parallel-queue.ts). A level ends when the worker has expanded its part of the frontier and
 * every peer's queue to it says that peer has finished the level and holds nothing more.
 *
 * Parent references are global: local id × workers + owner, so a trace is followed back across
 * workers. Waiting for peers blocks on a shared doorbell (Atomics.wait) rather than returning to
 * the event loop, so the search runs in one synchronous stretch and incoming entries are taken
 * from the queues between states.
 */
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from "node:worker_threads";
import type { Failure, MachineDef } from "../../generated/ts/fsm.ts";
import { initialState, layout, type Layout } from "./machine.ts";
import { pack, packing, rewrite, unpack, type Packing } from "./packing.ts";
import { ABSENT, CHUNK_BITS, FULL, StateStore, type MemoryBudget } from "./store.ts";
import { successors } from "./successors.ts";
import { deadlockDetail, failureDetail } from "./describe.ts";
import { QueueReader, QueueWriter } from "./parallel-queue.ts";

export interface WorkerSetup {
  url: string;
  index: number;
  workers: number;
  instances: Record<string, number>;
  /** The queue to every other worker and the one from it, by index (undefined at its own). */
  out: (SharedArrayBuffer | undefined)[];
  in: (SharedArrayBuffer | undefined)[];
  /** Entries per queue (a power of two). */
  entries: number;
  /**
   * Ports to and from every other worker (undefined at its own) that carry the shared chunks of
   * the sender's store, so the receiver can expand the sender's states (see `work`).
   */
  chunksOut: (MessagePort | undefined)[];
  chunksIn: (MessagePort | undefined)[];
  /** Int32 per worker [next id to claim, end of its level]: the part of its frontier not yet taken. */
  work: SharedArrayBuffer;
  /** Int32 per worker: rung when entries are published to it or room is made for it. */
  bells: SharedArrayBuffer;
  /** Int32 [states stored, KiB reserved, barrier arrivals, barrier generation, states added (2 slots)]. */
  counters: SharedArrayBuffer;
  /** -1: unbounded. */
  maxStates: number;
  /** KiB, -1: unbounded. */
  maxKiB: number;
  /** What the main thread computed, to refuse a module that differs from its own. */
  expect: { name: string; words: number; moves: number; slots: number };
}

/** A violation as a worker saw it: where its trace ends (`at`, a global reference) and how long it is. */
export interface WorkerViolation {
  kind: string;
  name: string;
  detail: string;
  length: number;
  at: number;
  last?: { move: number; state: number[] };
}

export type ToWorker = { type: "finish" } | { type: "path"; ref: number };
export type FromWorker =
  | { type: "error"; message: string }
  | { type: "level"; depth: number; added: number; stored: number; bytes: number; transitions: number }
  | { type: "searched"; stopped?: "max-states" | "max-memory" }
  | { type: "result"; transitions: number; reached: Uint8Array; violations: WorkerViolation[]; stored: number; expanded: number; bytes: number }
  | { type: "path"; words: number[]; parent: number; move: number };

/**
 * A hash of the `n` words at `w[off ..]` unrelated to the store's, the last of them masked by
 * `lastMask`: over a whole state, its slot in the sent filter; over an owner key, its owner.
 */
export function ownerHash(w: Uint32Array, off: number, n: number, lastMask = -1): number {
  let h = 0x9e3779b9;
  for (let i = 0; i < n - 1; i++) h = Math.imul(h ^ w[off + i]!, 0x85ebca77) ^ (h >>> 15);
  if (n > 0) h = Math.imul(h ^ (w[off + n - 1]! & lastMask), 0x85ebca77) ^ (h >>> 15);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae3d);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * What decides a state's owner: the packed words of the global slots (they come first in the
 * packing), the last of them masked to its global bits. A move that writes only its instance's pc
 * and locals then leaves the owner unchanged, so its successor stays with the worker that expands
 * it instead of crossing to a peer and being looked up there in cold memory. A machine without
 * globals is split by all of its words.
 */
export interface OwnerKey {
  words: number;
  lastMask: number;
}

export function ownerKey(p: Packing, globals: number): OwnerKey {
  if (globals === 0) return { words: p.words, lastMask: -1 };
  const k = globals - 1;
  const last = p.word[k]!;
  const bits = p.shift[k]! + p.width[k]!;
  return { words: last + 1, lastMask: bits >= 32 ? -1 : (1 << bits) - 1 };
}

/** The owner hash of the state at `w[off ..]`. */
export function keyHash(key: OwnerKey, w: Uint32Array, off: number): number {
  return ownerHash(w, off, key.words, key.lastMask);
}

/** Which worker owns a state (kept below 2^31 so the remainder is an integer one, not an fmod). */
export function ownerOf(h: number, workers: number): number {
  return (h >>> 1) % workers;
}

/**
 * Slots of the filter of states recently sent to other workers. Siblings share many successors
 * (two orders of independent steps meet in one state); the sequential search finds the second
 * copy in a hash table line it has just touched, while a batched copy reaches its owner later,
 * from cold memory. A state equal to the one last sent from its slot is not sent again: its owner
 * already has it (or refused it for good). 2^14 slots of a few words stay in the core's cache.
 */
const SENT_BITS = 14;

const ARRIVED = 2;
const GENERATION = 3;
const ADDED = 4;

/**
 * Waits until every worker has arrived with its count of states added; returns the sum. The last
 * to arrive clears the other parity's sum (the next level's) and moves the generation on.
 */
function barrier(ctl: Int32Array, workers: number, added: number): number {
  const gen = Atomics.load(ctl, GENERATION);
  const slot = ADDED + (gen & 1);
  Atomics.add(ctl, slot, added);
  if (Atomics.add(ctl, ARRIVED, 1) === workers - 1) {
    Atomics.store(ctl, ARRIVED, 0);
    Atomics.store(ctl, ADDED + ((gen + 1) & 1), 0);
    Atomics.add(ctl, GENERATION, 1);
    Atomics.notify(ctl, GENERATION);
  } else {
    while (Atomics.load(ctl, GENERATION) === gen) Atomics.wait(ctl, GENERATION, gen, 50);
  }
  return Atomics.load(ctl, slot);
}

/** States expanded between looks at the incoming queues. */
const DRAIN_EVERY = 512;

/**
 * States taken from a frontier at a time. Every worker takes its own frontier this many at a
 * time, and a worker that has finished its own goes on with its peers' until none is left, so a
 * level ends when the slowest batch does, not the slowest worker's share (the owners' shares of
 * a level differ by several per cent, and a worker doubling its table stops for a moment).
 */
const BATCH = 256;

function budgetOf(counters: Int32Array, maxKiB: number): MemoryBudget | undefined {
  if (maxKiB < 0) return undefined;
  return {
    reserve(bytes) {
      const kib = Math.ceil(bytes / 1024);
      for (;;) {
        const cur = Atomics.load(counters, 1);
        if (cur + kib > maxKiB) return false;
        if (Atomics.compareExchange(counters, 1, cur, cur + kib) === cur) return true;
      }
    },
    release(bytes) {
      Atomics.sub(counters, 1, Math.ceil(bytes / 1024));
    },
  };
}

async function main(setup: WorkerSetup): Promise<void> {
  const port = parentPort!;
  let def: MachineDef;
  try {
    const mod = (await import(setup.url)) as { machine?: MachineDef };
    def = mod.machine as MachineDef;
    if (!def || !Array.isArray(def.processes) || !Array.isArray(def.globals) || !Array.isArray(def.invariants)) throw new Error(`${setup.url} does not export a machine`);
  } catch (e) {
    port.postMessage({ type: "error", message: `cannot load the machine module: ${e instanceof Error ? e.message : String(e)}` } satisfies FromWorker);
    return;
  }
  const me = setup.index;
  const N = setup.workers;
  const differs = { type: "error", message: `the module at ${setup.url} is machine ${def.name}, not the main thread's ${setup.expect.name} (or not the same version of it)` } satisfies FromWorker;
  if (def.name !== setup.expect.name) return void port.postMessage(differs);
  let l: Layout;
  try {
    l = layout(def, setup.instances);
  } catch {
    return void port.postMessage(differs);
  }
  const succ = successors(l);
  const p = packing(l);
  const W = p.words;
  if (W !== setup.expect.words || succ.moves.length !== setup.expect.moves || l.slots.length !== setup.expect.slots) return void port.postMessage(differs);
  const counters = new Int32Array(setup.counters);
  const bells = new Int32Array(setup.bells);
  const budget = budgetOf(counters, setup.maxKiB);
  // Each new chunk of states goes to every peer at once, so it is there before any peer can be
  // given one of its states to expand.
  const onChunk = (index: number, words: Uint32Array<SharedArrayBuffer>) => {
    for (const port of setup.chunksOut) port?.postMessage({ index, buffer: words.buffer });
  };
  const store = new StateStore(W, { moves: succ.moves.length, onChunk, ...(budget ? { budget } : {}) });
  const peerChunks: Uint32Array[][] = setup.chunksIn.map(() => []);
  /** Chunk `c` of peer `q`'s store. */
  const chunkOfPeer = (q: number, c: number): Uint32Array => {
    const have = peerChunks[q]!;
    while (have.length <= c) {
      const m = receiveMessageOnPort(setup.chunksIn[q]!) as { message: { index: number; buffer: SharedArrayBuffer } } | undefined;
      if (!m) throw new Error(`worker ${q} did not hand over chunk ${c} of its states`);
      have[m.message.index] = new Uint32Array(m.message.buffer);
    }
    return have[c]!;
  };
  const work = new Int32Array(setup.work);
  /** The first id of a batch of worker `q`'s frontier, or -1 when it is all taken. */
  const claim = (q: number): number => {
    const c = Atomics.add(work, 2 * q, BATCH);
    return c < Atomics.load(work, 2 * q + 1) ? c : -1;
  };
  /** Offers this worker's next frontier (ids from .. store.count - 1) to all workers. */
  const publish = (from: number): void => {
    Atomics.store(work, 2 * me, from);
    Atomics.store(work, 2 * me + 1, store.count);
  };
  const maxStates = setup.maxStates;
  // Local ids above this would not fit a global reference in the store's 32-bit parent links.
  const maxLocal = Math.floor(0x7fffffff / N) - 1;
  const invariants = def.invariants;
  const found = new Map<string, WorkerViolation>();
  const record = (v: WorkerViolation) => {
    const key = `${v.kind}:${v.name}`;
    const old = found.get(key);
    if (!old || v.length < old.length) found.set(key, v);
  };
  const reached = new Uint8Array(succ.steps.length);
  let transitions = 0;
  let stopped: "max-states" | "max-memory" | undefined;
  let depth = 0;
  let levelStart = 0;

  /** Records the invariants `s` (reached from `parent` by `move`) breaks; true when it breaks none. */
  const holds = (s: number[], parent: number, move: number): boolean => {
    let ok = true;
    for (const inv of invariants) {
      if (inv.holds(s)) continue;
      ok = false;
      record({ kind: "invariant", name: inv.name, detail: inv.doc || `invariant ${inv.name} is false`, length: depth + 1, at: parent, last: { move, state: s.slice() } });
    }
    return ok;
  };
  /**
   * Stores a successor this worker owns unless it is known. `s` is its unpacked state; null when a
   * peer sent it, having checked the invariants on its own unpacked copy (a state that breaks one
   * is reported by the worker that found it and never sent, so the owner need not unpack it).
   */
  const offer = (w: Uint32Array, off: number, parent: number, move: number, s: number[] | null): void => {
    if (store.find(w, off) !== ABSENT) return;
    // A state that breaks an invariant is reported and not stored, as in the sequential search.
    if (s && invariants.length && !holds(s, parent, move)) return;
    if (maxStates >= 0) {
      if (Atomics.add(counters, 0, 1) >= maxStates) {
        Atomics.sub(counters, 0, 1);
        stopped ??= "max-states";
        return;
      }
    }
    if (store.count >= maxLocal || store.add(w, parent, move, off) === FULL) {
      if (maxStates >= 0) Atomics.sub(counters, 0, 1);
      stopped ??= "max-memory";
    }
  };

  const stride = W + 2;
  const writers = setup.out.map((b) => (b ? new QueueWriter(b, setup.entries, stride) : undefined));
  const readers = setup.in.map((b) => (b ? new QueueReader(b, setup.entries, stride) : undefined));
  const ring = (q: number): void => {
    Atomics.add(bells, q, 1);
    Atomics.notify(bells, q);
  };
  /** Stores what peer `q` has published to this worker; true when that peer was waiting for room. */
  const take = (r: QueueReader): boolean => {
    const h = r.head();
    let t = r.tail;
    if (t === h) return false;
    const d = r.data;
    const mask = r.mask;
    for (; t !== h; t = (t + 1) | 0) {
      const o = (t & mask) * stride;
      offer(d, o, d[o + W]! | 0, d[o + W + 1]!, null);
    }
    return r.release(h);
  };
  const drain = (): void => {
    for (let q = 0; q < N; q++) {
      const r = readers[q];
      if (r && take(r)) ring(q);
    }
  };
  /** Where the next entry to `q` goes; while its queue is full, takes from this worker's own so the peer can go on. */
  const slotTo = (q: number): number => {
    const out = writers[q]!;
    let o = out.slot();
    while (o < 0) {
      out.block();
      out.publish();
      ring(q);
      const rung = Atomics.load(bells, me);
      drain();
      o = out.slot();
      if (o < 0) Atomics.wait(bells, me, rung, 5);
    }
    return o;
  };
  const SENT = 1 << SENT_BITS;
  const sent = new Uint32Array(SENT * W);
  const sentUsed = new Uint8Array(SENT);

  // Every worker computes the initial state; its owner stores it (and the main thread checks it).
  const init = initialState(l, def);
  const cur = init.slice();
  const next = init.slice();
  const curW = new Uint32Array(W);
  const nextW = new Uint32Array(W);
  pack(p, init, curW);
  const key = ownerKey(p, def.globals.length);
  if (ownerOf(keyHash(key, curW, 0), N) === me) {
    store.find(curW);
    if (store.add(curW, -1, 0) === FULL) stopped = "max-memory";
    else if (maxStates >= 0) Atomics.add(counters, 0, 1);
  }
  const buf = new Int32Array(Math.max(1, succ.maxEnabled));
  const fail: (Failure | { kind: "range"; name: string })[] = [];
  const bad: number[] = [];

  /** Expands state `self` (a global reference) whose words are at `words[off ..]`. */
  const expand = (words: Uint32Array, off: number, self: number): void => {
    unpack(p, words, off, cur, next, curW);
    const n = succ.enabled(cur, buf);
    if (n === 0) {
      const where = deadlockDetail(l, cur);
      if (where) record({ kind: "deadlock", name: "deadlock", detail: where, length: depth, at: self });
      else {
        for (const e of def.ends) if (!e.holds(cur)) record({ kind: "end", name: e.name, detail: e.doc || `end condition ${e.name} is false at quiescence`, length: depth, at: self });
      }
      return;
    }
    for (let j = 0; j < n; j++) {
      const mid = buf[j]!;
      transitions++;
      const mv = succ.moves[mid]!;
      reached[mv.reach] = 1;
      succ.run(next, mid, fail as Failure[]);
      if (rewrite(p, mv.writes, cur, next, curW, nextW, bad) > 0) {
        for (let b = 0; b < bad.length; b++) fail.push({ kind: "range", name: l.slots[bad[b]!]!.name });
        bad.length = 0;
      }
      const writes = mv.writes;
      if (fail.length) {
        for (const f of fail) {
          record({ kind: f.kind, name: f.name, detail: failureDetail(f, mv), length: depth + 1, at: self, last: { move: mid, state: next.slice() } });
        }
        fail.length = 0;
      } else {
        const q = ownerOf(keyHash(key, nextW, 0), N);
        if (q === me) offer(nextW, 0, self, mid, next);
        else {
          const h = ownerHash(nextW, 0, W);
          const so = ((h >>> 16) & (SENT - 1)) * W;
          let k = 0;
          while (k < W && sent[so + k] === nextW[k]) k++;
          if (k === W && sentUsed[so / W] === 1) {
            for (let c = 0; c < writes.length; c++) next[writes[c]!] = cur[writes[c]!]!;
            continue;
          }
          for (k = 0; k < W; k++) sent[so + k] = nextW[k]!;
          sentUsed[so / W] = 1;
          if (invariants.length && !holds(next, self, mid)) {
            for (let c = 0; c < writes.length; c++) next[writes[c]!] = cur[writes[c]!]!;
            continue;
          }
          const o = slotTo(q);
          const ob = writers[q]!.data;
          for (let k = 0; k < W; k++) ob[o + k] = nextW[k]!;
          ob[o + W] = self;
          ob[o + W + 1] = mid;
          if (writers[q]!.commit()) ring(q);
        }
      }
      for (let c = 0; c < writes.length; c++) next[writes[c]!] = cur[writes[c]!]!;
    }
  };

  let expanded = 0;
  /** Expands batches of worker `q`'s frontier until none is left. */
  const expandFrontierOf = (q: number): void => {
    for (let c = claim(q); c >= 0; c = claim(q)) {
      const to = Math.min(c + BATCH, Atomics.load(work, 2 * q + 1));
      for (let i = c; i < to; i++) {
        if (q === me) expand(store.chunkOf(i), store.offsetOf(i), i * N + me);
        // A peer's store chunks its states as this one does (same words per state).
        else expand(chunkOfPeer(q, i >>> CHUNK_BITS), store.offsetOf(i), i * N + q);
        if ((++expanded & (DRAIN_EVERY - 1)) === 0) drain();
      }
    }
  };

  const level = (): number => {
    // The frontier is what was published at the barrier.
    const end = Atomics.load(work, 2 * me + 1);
    expandFrontierOf(me);
    for (let k = 1; k < N; k++) expandFrontierOf((me + k) % N);
    levelStart = end;
    for (let q = 0; q < N; q++) {
      if (q === me) continue;
      writers[q]!.finish(depth + 1);
      ring(q);
    }
    for (;;) {
      const rung = Atomics.load(bells, me);
      let finished = 0;
      for (let q = 0; q < N; q++) {
        const r = readers[q];
        if (!r) continue;
        // The finished level is read before take() reads the head, so that head covers the level.
        const done = r.done();
        if (take(r)) ring(q);
        if (done >= depth + 1) finished++;
      }
      if (finished === N - 1) break;
      // The timeout only bounds a missed wake-up; publishing and finishing ring the bell.
      Atomics.wait(bells, me, rung, 50);
    }
    // Every peer has finished this level, so none claims from this frontier any more.
    const added = store.count - levelStart;
    publish(levelStart);
    depth++;
    port.postMessage({ type: "level", depth, added, stored: store.count, bytes: store.bytes, transitions } satisfies FromWorker);
    return added;
  };
  // What all workers have stored, and the size of the last frontier (the sums every worker sees
  // at a barrier).
  let total = 1;
  let frontier = 1;
  /**
   * Grows the table ahead of time, between two levels, when this worker's share of the states
   * likely to be stored before its next turn would not fit. One worker grows per barrier, in
   * turn: two growing at once each took about four times as long, and growing mid-level stops a worker while its peers fill their queues to it and wait. The peers
   * go on meanwhile, taking its frontier too, until their queues to it are full (taking their
   * entries off the queues during the growth made it two to three times slower). The likely
   * states: the last level's growth (1 to 2) for as many levels as there are workers, at most
   * doubling what is stored, and a tenth more for an uneven share.
   */
  const presize = (added: number): void => {
    const growth = Math.min(2, Math.max(1, added / frontier));
    total += added;
    frontier = added;
    if (depth % N !== me) return;
    let coming = 0;
    for (let k = 0, f = added; k < N; k++) coming += f *= growth;
    let expected = (Math.min(total + coming, 2 * total) / N) * 1.1;
    if (maxStates >= 0) expected = Math.min(expected, maxStates);
    store.reserve(Math.ceil(expected));
  };
  /** Levels until one adds no state anywhere; the workers agree on that at a barrier, without the main thread. */
  const search = (): FromWorker => {
    publish(0);
    // The first frontier is the initial state at its owner: every worker's must be offered before
    // anyone looks for work.
    barrier(counters, N, 0);
    for (let added = barrier(counters, N, level()); added > 0; added = barrier(counters, N, level())) presize(added);
    return { type: "searched", ...(stopped ? { stopped } : {}) };
  };

  port.on("message", (msg: ToWorker) => {
    if (msg.type === "finish") port.postMessage({ type: "result", transitions, reached, violations: [...found.values()], stored: store.count, expanded, bytes: store.bytes } satisfies FromWorker);
    else if (msg.type === "path") {
      const id = Math.floor(msg.ref / N);
      const words = new Uint32Array(W);
      store.read(id, words);
      port.postMessage({ type: "path", words: [...words], parent: store.parent(id), move: store.move(id) } satisfies FromWorker);
    }
  });
  port.postMessage(search());
}

await main(workerData as WorkerSetup);
