/**
 * Breadth-first exploration over several worker threads (parallel-worker.ts). States are
 * partitioned by a hash of their packed words: each worker stores and expands the states it owns
 * and sends the successors it does not own to their owners through shared-memory queues
 * (parallel-queue.ts). The search goes level by level: no worker starts a level before all have
 * finished the one before, so every state is stored at its breadth-first depth and every trace is
 * a shortest one.
 *
 * What equals the sequential explorer (explorer.ts) on a complete search: states, transitions,
 * the set of violations (kind and name), their trace lengths and the unreached steps. A trace may
 * take another path of the same length, and a violation's detail may name the instance of that
 * path; every trace replays (replay.ts). A search cut by maxStates or maxBytes stores a different
 * subset of states than the sequential one would.
 *
 * Workers load the machine from `url`, the same module the caller loaded `def` from, because
 * compiled transitions cannot be sent between threads.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import type { MachineDef } from "../../generated/ts/fsm.ts";
import { describe, type ExploreOptions, type ExploreResult, type TraceStep, type Violation, type ViolationKind } from "./explorer.ts";
import { initialState, layout } from "./machine.ts";
import { packing, unpack } from "./packing.ts";
import { successors } from "./successors.ts";
import type { FromWorker, ToWorker, WorkerSetup, WorkerViolation } from "./parallel-worker.ts";
import { COUNTER_WORDS, queueBuffer, queueEntries } from "./parallel-queue.ts";

export interface ParallelOptions extends ExploreOptions {
  /** Worker threads (default: the available cores); at most 16. */
  workers?: number;
  /**
   * Entries per queue between two workers, a power of two (default: sized by the worker count).
   * Tiny queues make writers wait for room, which tests need to reach.
   */
  queueEntries?: number;
}

/** 2^20 entries: 32 times the default for two workers. */
const MAX_QUEUE_ENTRIES = 1 << 20;

export class ParallelError extends Error {
  constructor(
    readonly code: "bad-workers" | "bad-queue" | "bad-module" | "worker-failed",
    message: string,
  ) {
    super(message);
    this.name = "ParallelError";
  }
}

export const MAX_WORKERS = 16;

export function defaultWorkers(): number {
  return Math.max(1, Math.min(MAX_WORKERS, availableParallelism()));
}

/**
 * Starts one worker: the compiled worker beside this file, or, when this file runs from the
 * TypeScript sources (tests, bench), the source worker behind tsx's loader (node's workers do not
 * take `--import` in execArgv, so a two-line bootstrap registers it first).
 */
function startWorker(options: { workerData: WorkerSetup; transferList: MessagePort[] }): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./parallel-worker.js", import.meta.url), options);
  // require.resolve finds the CommonJS entry; the ESM one beside it is the one to import.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const entry = new URL("./parallel-worker.ts", import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, { ...options, eval: true });
}

/** Waits for one message of each worker; any worker's failure rejects every wait. */
class Pool {
  private readonly inbox: FromWorker[][];
  private readonly waiting: ((() => void) | undefined)[];
  private failure: ParallelError | undefined;
  private readonly rejecters = new Set<(e: ParallelError) => void>();
  /** Per-level reports, which are not answers to a request. */
  onLevel: ((m: Extract<FromWorker, { type: "level" }>) => void) | undefined;

  constructor(readonly workers: Worker[]) {
    this.inbox = workers.map(() => []);
    this.waiting = workers.map(() => undefined);
    workers.forEach((w, i) => {
      w.on("message", (m: FromWorker) => {
        if (m.type === "error") return this.fail(new ParallelError("bad-module", `worker ${i}: ${m.message}`));
        if (m.type === "level") return this.onLevel?.(m);
        this.inbox[i]!.push(m);
        this.waiting[i]?.();
      });
      w.on("error", (e) => this.fail(new ParallelError("worker-failed", `worker ${i} failed: ${e instanceof Error ? e.message : String(e)}`)));
      w.on("messageerror", (e) => this.fail(new ParallelError("worker-failed", `worker ${i} sent a message that cannot be read: ${String(e)}`)));
      w.on("exit", (code) => this.fail(new ParallelError("worker-failed", `worker ${i} exited (code ${code}) before the search ended`)));
    });
  }

  private fail(e: ParallelError): void {
    if (this.failure) return;
    this.failure = e;
    for (const r of this.rejecters) r(e);
    this.rejecters.clear();
  }

  /** The next message of worker `i`. */
  next(i: number): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const take = (): boolean => {
        const m = this.inbox[i]!.shift();
        if (!m) return false;
        this.waiting[i] = undefined;
        this.rejecters.delete(reject);
        resolve(m);
        return true;
      };
      this.rejecters.add(reject);
      if (!take()) this.waiting[i] = take;
    });
  }

  all(): Promise<FromWorker[]> {
    return Promise.all(this.workers.map((_, i) => this.next(i)));
  }

  send(i: number, m: ToWorker): void {
    this.workers[i]!.postMessage(m);
  }

  async close(): Promise<void> {
    // Exits from here on are ours, not failures.
    this.failure ??= new ParallelError("worker-failed", "the pool is closed");
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** explore(), over `options.workers` threads that load the machine module at `url`. */
export async function exploreParallel(def: MachineDef, url: string, options: ParallelOptions = {}): Promise<ExploreResult> {
  const n = options.workers ?? defaultWorkers();
  if (!(Number.isInteger(n) && n >= 1 && n <= MAX_WORKERS)) throw new ParallelError("bad-workers", `workers must be an integer in [1, ${MAX_WORKERS}], got ${n}`);
  const l = layout(def, options.instances);
  const succ = successors(l);
  const p = packing(l);
  const init = initialState(l, def);

  const bells = new SharedArrayBuffer(4 * n);
  const counters = new SharedArrayBuffer(4 * COUNTER_WORDS);
  // queues[a][b] carries successors from worker a to worker b.
  const entries = options.queueEntries ?? queueEntries(n);
  // The bound keeps a mistyped size from asking for gigabytes of shared memory per pair of workers.
  if (!(Number.isInteger(entries) && entries >= 1 && entries <= MAX_QUEUE_ENTRIES && (entries & (entries - 1)) === 0)) {
    throw new ParallelError("bad-queue", `queueEntries must be a power of two in [1, ${MAX_QUEUE_ENTRIES}], got ${entries}`);
  }
  const queues = Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => (a === b ? undefined : queueBuffer(entries, p.words + 2))));
  // channels[a][b] carries worker a's store chunks to worker b.
  const channels = Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => (a === b ? undefined : new MessageChannel())));
  const work = new SharedArrayBuffer(4 * 2 * n);
  const workers = queues.map((out, index) => {
    const setup: WorkerSetup = {
      url,
      index,
      workers: n,
      instances: l.counts,
      out,
      in: queues.map((row) => row[index]),
      entries,
      chunksOut: channels[index]!.map((c) => c?.port1),
      chunksIn: channels.map((row) => row[index]?.port2),
      work,
      bells,
      counters,
      maxStates: options.maxStates ?? -1,
      maxKiB: options.maxBytes !== undefined ? Math.floor(options.maxBytes / 1024) : -1,
      expect: { name: def.name, words: p.words, moves: succ.moves.length, slots: l.slots.length },
    };
    const transferList = [...setup.chunksOut, ...setup.chunksIn].filter((port): port is MessagePort => port !== undefined);
    return startWorker({ workerData: setup, transferList });
  });
  const pool = new Pool(workers);
  try {
    // Each worker searches as soon as it has loaded the machine; it reports each level (for
    // progress) and then the end.
    const levels = new Map<number, Extract<FromWorker, { type: "level" }>[]>();
    pool.onLevel = (m) => {
      const seen = levels.get(m.depth) ?? [];
      seen.push(m);
      if (seen.length < n) return void levels.set(m.depth, seen);
      levels.delete(m.depth);
      const sum = (f: (r: (typeof seen)[number]) => number) => seen.reduce((a, r) => a + f(r), 0);
      const states = sum((r) => r.stored);
      options.onProgress?.(states, sum((r) => r.added), { states, frontier: sum((r) => r.added), transitions: sum((r) => r.transitions), depth: m.depth, storeBytes: sum((r) => r.bytes) });
    };
    let stopped: ExploreResult["stopped"];
    for (const r of (await pool.all()) as Extract<FromWorker, { type: "searched" }>[]) if (r.stopped) stopped = stopped === "max-memory" ? stopped : r.stopped;
    for (let i = 0; i < n; i++) pool.send(i, { type: "finish" });
    const results = (await pool.all()) as Extract<FromWorker, { type: "result" }>[];
    const states = results.reduce((a, r) => a + r.stored, 0);
    if (states === 0) throw new RangeError("the state store cannot hold the initial state within its memory bound");

    const reached = new Uint8Array(succ.steps.length);
    let transitions = 0;
    const best = new Map<string, WorkerViolation>();
    for (const r of results) {
      transitions += r.transitions;
      r.reached.forEach((v, k) => (reached[k] ||= v));
      for (const v of r.violations) {
        const key = `${v.kind}:${v.name}`;
        const old = best.get(key);
        if (!old || v.length < old.length) best.set(key, v);
      }
    }
    // The sequential search checks the invariants of the initial state before anything else.
    const violations: Violation[] = [];
    for (const inv of def.invariants) if (!inv.holds(init)) violations.push({ kind: "invariant", name: inv.name, detail: inv.doc || `invariant ${inv.name} is false`, trace: [] });
    const stateOf = (words: number[]): number[] => {
      const out = new Array<number>(l.slots.length).fill(0);
      unpack(p, Uint32Array.from(words), 0, out);
      return out;
    };
    for (const [key, v] of best) {
      if (violations.some((x) => `${x.kind}:${x.name}` === key)) continue;
      // Follow the parent references back to the initial state, asking each state's owner.
      const path: { state: number[]; move: number }[] = [];
      for (let ref = v.at; ref >= 0; ) {
        pool.send(ref % n, { type: "path", ref });
        const r = (await pool.next(ref % n)) as Extract<FromWorker, { type: "path" }>;
        path.push({ state: stateOf(r.words), move: r.move });
        ref = r.parent;
      }
      path.reverse();
      const trace: TraceStep[] = [];
      for (let k = 1; k < path.length; k++) {
        const m = succ.moves[path[k]!.move]!;
        trace.push(describe(l, m.inst.me, m.transition.name, path[k - 1]!.state, path[k]!.state));
      }
      if (v.last) {
        const m = succ.moves[v.last.move]!;
        trace.push(describe(l, m.inst.me, m.transition.name, path[path.length - 1]!.state, v.last.state));
      }
      violations.push({ kind: v.kind as ViolationKind, name: v.name, detail: v.detail, trace });
    }
    const order: ViolationKind[] = ["bug", "assert", "lock", "range", "invariant", "deadlock", "end"];
    violations.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.trace.length - b.trace.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return {
      machine: def.name,
      instances: l.counts,
      reduce: "none",
      states,
      transitions,
      complete: stopped === undefined,
      ...(stopped ? { stopped } : {}),
      violations,
      unreached: succ.steps.filter((_, k) => !reached[k]),
      storeBytes: results.reduce((a, r) => a + r.bytes, 0),
      stateWords: p.words,
      workers: results.map((r) => ({ stored: r.stored, expanded: r.expanded })),
    };
  } finally {
    await pool.close();
  }
}
