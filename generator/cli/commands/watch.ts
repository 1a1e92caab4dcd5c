import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { Diagnostics, formatDiagnostic } from "../../diagnostics.ts";
import { runBackCached } from "../../cache/back.ts";
import { runFrontCached } from "../../cache/front.ts";
import { cacheDir } from "../../cache/location.ts";
import { CacheEntryChanged, EmitCache } from "../../cache/store.ts";
import { knownFiles } from "../../cache/known.ts";
import type { OutFile } from "../../emit/types.ts";
import { listSpecFiles, loadTree, toDisplay } from "../../load/tree.ts";
import type { GenerateOptions } from "../../options.ts";
import { OutputRefused, writeTree, type WritePlan } from "../../write/atomic.ts";
import { checkPlacement } from "../../write/placement.ts";
import { EXIT, paint, type Io } from "../output.ts";
import { refusalExit } from "../refusal.ts";
import type { ProjectOptions } from "../project.ts";
import { watchSpecTree } from "../spec-tree-watch.ts";

/** Where change notifications come from; returns a function that stops them. Tests inject their own. */
export type EventSource = (onChange: (file: string) => void) => () => void;
/** Runs `fn` after `ms`; returns a cancel function. Tests inject a manual clock. */
export type Schedule = (fn: () => void, ms: number) => () => void;

export interface RunSummary {
  /** Spec files whose change triggered the run (empty for the first run). */
  trigger: string[];
  ok: boolean;
  errors: number;
  /** The write layer refused the output folder (foreign files, a collision); nothing was written. */
  refused?: OutputRefused;
  /** Files emitted and formatted again (emit-cache misses); the rest came from the cache. */
  formatted: number;
  plan: WritePlan;
}

export interface WatcherOptions {
  specsDir: string;
  outDir: string;
  io: Io;
  quiet?: boolean;
  /** As `--force`: write into a folder holding files hwspec did not write (never touching them). */
  force?: boolean;
  events: EventSource;
  schedule: Schedule;
  debounceMs?: number;
  /** Which targets to write (the docs target is generate's only). */
  generate?: GenerateOptions;
  /** Also keep the emit cache on disk here, so the first run reuses an earlier generate's work. */
  cacheDir?: string;
  /** Called after every run (tests await runs through it). */
  onRun?: (s: RunSummary) => void;
}

/**
 * Regenerates on spec changes. Every run re-reads all specs; the front end checks again only the
 * groups of connected specs with a changed file, and emit and prettier run only for specs whose
 * text, or the text of a spec they reference, is new (the front-end and emit caches of
 * generator/cache/, kept in memory and with `cacheDir` on disk), and only files whose bytes differ from what is on disk are written
 * (writeTree writes only those). Errors, and refusals of the output folder, are printed and the
 * watcher keeps going; generated/ is left as it was.
 */
export class Watcher {
  private readonly cache: EmitCache;
  private pending = new Set<string>();
  private cancelTimer: (() => void) | undefined;
  private stopEvents: (() => void) | undefined;
  private running: Promise<RunSummary> | undefined;

  constructor(private readonly o: WatcherOptions) {
    this.cache = new EmitCache(o.cacheDir);
  }

  /** First full run, then listens for changes. */
  async start(): Promise<RunSummary> {
    const first = await this.run([]);
    this.stopEvents = this.o.events((file) => this.changed(file));
    return first;
  }

  close(): void {
    this.stopEvents?.();
    this.cancelTimer?.();
  }

  /** A change notification: (re)starts the debounce timer. */
  changed(file: string): void {
    this.pending.add(file);
    this.cancelTimer?.();
    this.cancelTimer = this.o.schedule(() => {
      this.cancelTimer = undefined;
      void this.flush();
    }, this.o.debounceMs ?? 150);
  }

  /** Runs for the changes collected so far, after any run in progress. */
  async flush(): Promise<RunSummary | undefined> {
    while (this.running) await this.running;
    if (!this.pending.size) return undefined;
    const trigger = [...this.pending].sort();
    this.pending = new Set();
    return this.run(trigger);
  }

  private run(trigger: string[]): Promise<RunSummary> {
    // Files can vanish between listing and reading while a folder is being replaced; the next event reruns.
    const p = this.generate(trigger).catch((e: unknown): RunSummary => {
      this.o.io.err(`${paint(this.o.io, "red", "error")}: ${(e as Error).message ?? String(e)}; still watching`);
      return { trigger, ok: false, errors: 1, formatted: 0, plan: { added: [], changed: [], removed: [] } };
    }).finally(() => {
      this.running = undefined;
    });
    this.running = p;
    return p.then((s) => (this.o.onRun?.(s), s));
  }

  private async generate(trigger: string[]): Promise<RunSummary> {
    const { io } = this.o;
    const empty: WritePlan = { added: [], changed: [], removed: [] };
    // A folder being replaced is briefly missing or empty; generating from it would delete every output.
    const missing = !existsSync(this.o.specsDir) || !statSync(this.o.specsDir).isDirectory();
    if (missing || !listSpecFiles(this.o.specsDir).length) {
      const why = missing ? `spec folder ${toDisplay(this.o.specsDir)} not found` : `no spec files in ${toDisplay(this.o.specsDir)}`;
      io.err(`${paint(io, "red", "error")}: ${why}; ${this.o.outDir} unchanged, still watching`);
      return { trigger, ok: false, errors: 1, formatted: 0, plan: empty };
    }
    const d = new Diagnostics();
    const tree = loadTree(this.o.specsDir, d);
    const front = runFrontCached(tree, d, this.cache, this.o.specsDir);
    if (!front.ok) {
      for (const x of front.diagnostics) io.err(formatDiagnostic(x));
      io.err(`${paint(io, "red", "error")}: ${front.diagnostics.length} error${front.diagnostics.length === 1 ? "" : "s"}; ${this.o.outDir} unchanged, still watching`);
      return { trigger, ok: false, errors: front.diagnostics.length, formatted: 0, plan: empty };
    }
    let files: OutFile[];
    let misses = 0;
    try {
      const r = await runBackCached(front.front, tree.sources, this.cache, this.o.generate, front.partial);
      // Only the versions of this run stay in memory: a long session of edits does not grow it.
      this.cache.sweepMemory();
      misses = r.formatted;
      files = r.files;
    } catch (e) {
      io.err(`${paint(io, "red", "error")}: ${(e as Error).message}; still watching`);
      return { trigger, ok: false, errors: 1, formatted: 0, plan: empty };
    }
    let plan: WritePlan;
    try {
      plan = writeTree(this.o.outDir, files, { specsDir: this.o.specsDir, force: !!this.o.force, known: knownFiles(this.cache, this.o.outDir) });
    } catch (e) {
      if (e instanceof CacheEntryChanged) {
        io.err(`${paint(io, "red", "error")}: ${e.message}; still watching`);
        return { trigger, ok: false, errors: 1, formatted: 0, plan: empty };
      }
      if (!(e instanceof OutputRefused)) throw e;
      io.err(trigger.length ? `${paint(io, "red", "error")}: ${e.message}; still watching` : `hwspec watch: ${e.message}`);
      return { trigger, ok: false, errors: 1, formatted: misses, plan: empty, refused: e };
    }
    if (!this.o.quiet) {
      const what = trigger.length ? trigger.join(", ") : "initial build";
      const list = [...plan.added.map((f) => `+${f}`), ...plan.changed.map((f) => `~${f}`), ...plan.removed.map((f) => `-${f}`)];
      io.out(
        `${paint(io, "dim", `[${what}]`)} ${list.length ? `${paint(io, "green", "wrote")} ${list.length} file${list.length === 1 ? "" : "s"}: ${list.join(" ")}` : "no output changed"} (${files.length - list.length} unchanged)`,
      );
    }
    return { trigger, ok: true, errors: 0, formatted: misses, plan };
  }
}

/** `hwspec watch`: runs until interrupted. */
export async function watchCommand(opts: ProjectOptions & { quiet?: boolean; debounce?: string; force?: boolean; generate?: GenerateOptions; projectRoot?: string }, io: Io): Promise<number> {
  const specsDir = resolve(opts.specs);
  if (!existsSync(specsDir) || !statSync(specsDir).isDirectory()) {
    io.err(`hwspec watch: spec folder ${opts.specs} not found (run from the project root or pass --specs DIR)`);
    return EXIT.usage;
  }
  const debounceMs = opts.debounce === undefined ? 150 : Number(opts.debounce);
  if (!Number.isInteger(debounceMs) || debounceMs < 0) {
    io.err(`hwspec watch: --debounce takes a number of milliseconds, not "${opts.debounce}"`);
    return EXIT.usage;
  }
  const outDir = resolve(opts.out);
  try {
    checkPlacement(outDir, { specsDir });
  } catch (e) {
    return refusalExit(io, "watch", false, e);
  }
  const watcher = new Watcher({
    specsDir,
    outDir,
    io,
    quiet: !!opts.quiet,
    force: !!opts.force,
    debounceMs,
    ...(cacheDirOf(opts.projectRoot) ? { cacheDir: cacheDirOf(opts.projectRoot)! } : {}),
    ...(opts.generate ? { generate: opts.generate } : {}),
    events: (on) => watchSpecTree(specsDir, on),
    schedule: (fn, ms) => {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
  });
  const first = await watcher.start();
  if (first.refused) {
    // A folder refused at the start would be refused on every change: stop instead of watching in vain.
    watcher.close();
    return EXIT.usage;
  }
  if (!opts.quiet) io.out(`watching ${opts.specs}/ (Ctrl-C to stop)`);
  await new Promise<void>((done) => {
    const stop = () => {
      watcher.close();
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      done();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return EXIT.ok;
}

const cacheDirOf = (root: string | undefined) => cacheDir(root ?? process.cwd());
