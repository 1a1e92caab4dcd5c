/**
 * Shared benchmark plumbing: run configuration, a tinybench wrapper that reports the median time of
 * one operation, and the row type every section returns for the printed table.
 */
import { Bench } from "tinybench";

export interface BenchConfig {
  /** quick: `npm run bench -- --quick` (under a minute); smoke: the tiny sizes `npm test` uses. */
  mode: "full" | "quick" | "smoke";
  /** Keep scratch output here (generator section). */
  tmp: string;
}

export interface Row {
  section: string;
  name: string;
  value: string;
  note?: string;
}

export type Skipped = { skipped: string };

export interface SectionResult<R extends object = Record<string, unknown>> {
  results: R | Skipped;
  rows: Row[];
}

export const skipped = (section: string, reason: string): SectionResult => ({
  results: { skipped: reason },
  rows: [{ section, name: "skipped", value: "-", note: reason }],
});

/** The sink that every measured loop feeds, so no result is dead code. */
export const sink = { n: 0 };

/**
 * Median nanoseconds per operation of each task. A task runs `ops` operations per call (a loop over
 * prepared inputs), so per-call timer resolution does not dominate. Tasks are measured in two
 * rounds in alternating order and the lower median kept, which evens out order effects (JIT tiers,
 * GC pressure left by the previous task).
 */
export async function nsPerOp(cfg: BenchConfig, ops: number, tasks: Record<string, () => void>): Promise<Record<string, number>> {
  const time = cfg.mode === "full" ? 400 : cfg.mode === "quick" ? 120 : 5;
  const warmupTime = cfg.mode === "full" ? 150 : cfg.mode === "quick" ? 50 : 2;
  const names = Object.keys(tasks);
  const best: Record<string, number> = {};
  const rounds = cfg.mode === "smoke" ? 1 : 2;
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time, warmupTime, warmup: true, throws: true, ...(cfg.mode === "smoke" ? { iterations: 2, warmupIterations: 1 } : {}) });
    for (const name of round % 2 ? [...names].reverse() : names) bench.add(name, tasks[name]!);
    await bench.run();
    for (const t of bench.tasks) {
      const r = t.result;
      if (r.state !== "completed") throw new Error(`benchmark ${t.name}: ${r.state}`);
      const ns = (r.latency.p50 * 1e6) / ops;
      best[t.name] = Math.min(best[t.name] ?? Infinity, ns);
    }
  }
  return best;
}

/** Median of wall-clock milliseconds over `n` runs of an async function (for long operations). */
export async function medianMs(n: number, fn: () => unknown): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const round = (x: number, digits = 3): number => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : x);
export const fmtNs = (ns: number): string => `${ns < 10 ? ns.toFixed(2) : ns.toFixed(1)} ns/op`;
export const fmtRatio = (r: number): string => `${r.toFixed(r < 0.1 ? 3 : 2)}×`;
export const fmtRate = (perS: number, unit: string): string =>
  perS >= 1e6 ? `${(perS / 1e6).toFixed(2)} M ${unit}/s` : perS >= 1e3 ? `${(perS / 1e3).toFixed(1)} k ${unit}/s` : `${perS.toFixed(0)} ${unit}/s`;

/** Imports a module whose subject may not have landed yet; undefined with the reason if it has not. */
export async function tryImport<T>(spec: string): Promise<{ mod: T } | { reason: string }> {
  try {
    return { mod: (await import(spec)) as T };
  } catch (e) {
    return { reason: `${spec} not available: ${(e as Error).message.split("\n")[0]}` };
  }
}
