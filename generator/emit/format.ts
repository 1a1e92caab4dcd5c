import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { Options } from "prettier";
import type { OutFile } from "./types.ts";

/** Fixed options, never a user's config file: output must be the same bytes on every machine. */
export const OPTIONS = { printWidth: 110, tabWidth: 2, semi: true, singleQuote: false, trailingComma: "all", endOfLine: "lf" } as const;

/** babel-ts prints the same code as the typescript parser for what hwspec emits, about twice as fast. */
export const PARSER: Partial<Record<OutFile["lang"], string>> = { ts: "babel-ts", md: "markdown", json: "json", css: "css", js: "babel" };

/** Below this much text a worker pool costs more to start than it saves. */
const POOL_THRESHOLD = 512 * 1024;

export async function formatFiles(files: OutFile[]): Promise<OutFile[]> {
  // Files their emitter printed in prettier's style skip prettier (test/golden/prettier-idempotence.test.ts holds them to it).
  const jobs = files.map((f) => ({ f, parser: f.printed ? undefined : PARSER[f.lang] }));
  const bytes = jobs.reduce((n, j) => n + (j.parser ? j.f.content.length : 0), 0);
  const workers = Math.min(availableParallelism(), 4);
  const formatted = bytes >= POOL_THRESHOLD && workers > 1 ? await inPool(jobs, workers) : await inProcess(jobs);
  return files.map((f, i) => {
    const content = formatted[i] ?? f.content;
    return content === f.content && !content.endsWith("\n") ? { ...f, content: content + "\n" } : { ...f, content };
  });
}

type Job = { f: OutFile; parser: string | undefined };

/** One file at a time: prettier holds a whole AST per call, so concurrency here only costs memory. */
async function inProcess(jobs: Job[]): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = [];
  // Loaded only when a file needs it: emitters print most files in prettier's style already, and
  // prettier is the largest module a regeneration would load.
  let format: typeof import("prettier").format | undefined;
  for (const { f, parser } of jobs) {
    if (!parser) out.push(undefined);
    else out.push(await (format ??= (await import("prettier")).format)(f.content, { ...OPTIONS, parser }));
  }
  return out;
}

/** Largest files first over a few worker threads; results land by index, so order never matters. */
function inPool(jobs: Job[], size: number): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = new Array(jobs.length);
  const queue = jobs
    .map((j, i) => ({ ...j, i }))
    .filter((j) => j.parser)
    .sort((a, b) => b.f.content.length - a.f.content.length || a.i - b.i);
  // Required here, not imported: loading worker_threads is over a millisecond of every start, and most runs format in process.
  const { Worker } = createRequire(import.meta.url)("node:worker_threads") as typeof import("node:worker_threads");
  const pool = Array.from({ length: Math.min(size, queue.length) }, () => new Worker(new URL("./format-worker.mjs", import.meta.url)));
  return new Promise((resolve, reject) => {
    let pending = queue.length;
    const finish = (error?: Error) => {
      for (const w of pool) void w.terminate();
      if (error) reject(error);
      else resolve(out);
    };
    const feed = (w: Worker) => {
      const job = queue.shift();
      if (job) w.postMessage({ id: job.i, content: job.f.content, options: { ...OPTIONS, parser: job.parser } satisfies Options });
    };
    for (const w of pool) {
      w.on("message", (m: { id: number; content?: string; error?: string }) => {
        if (m.error !== undefined) return finish(new Error(`prettier failed on ${jobs[m.id]!.f.path}: ${m.error}`));
        out[m.id] = m.content;
        if (--pending === 0) finish();
        else feed(w);
      });
      w.on("error", (e) => finish(e));
      feed(w);
    }
    if (pending === 0) finish();
  });
}
