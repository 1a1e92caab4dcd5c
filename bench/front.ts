/**
 * 8. The front end alone (load → validate → resolve → elaborate → check, no emit) on synthetic
 * register trees of 1,000 and 10,000 registers × 16 fields, as one file and as files of 100
 * registers. Issue 17 gives generation of 10,000 registers ≤ 10 s; the front end should be a small
 * part of that and grow linearly (`growth_10x` ≤ 11). Measured in this process after a warm-up,
 * median of the rounds; CPU seconds (process.cpuUsage, every thread of the process) are reported
 * beside wall seconds because the machine is shared and wall time moves with its load.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { Diagnostics } from "../generator/diagnostics.ts";
import { loadTree } from "../generator/load/tree.ts";
import { runFront } from "../generator/pipeline.ts";
import { median, round, type BenchConfig, type Row, type SectionResult } from "./harness.ts";
import { FIELDS, writeSynthTree } from "./synth.ts";

export interface FrontResults {
  sizes: number[];
  fields_per_register: number;
  /** By layout ("one file", "100 per file"): median wall and CPU seconds at each size. */
  seconds: Record<string, number[]>;
  cpu_seconds: Record<string, number[]>;
  /** Worst over layouts of time at the largest size over time at a tenth of it, by CPU seconds. */
  growth_10x: number;
}

function frontOnce(dir: string): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const d = new Diagnostics();
  const r = runFront(loadTree(dir, d), d);
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  if (!r.ok) throw new Error(`synthetic tree rejected: ${r.diagnostics[0]?.message}`);
  return { wall, cpu: (c.user + c.system) / 1e6 };
}

export async function runFrontEnd(cfg: BenchConfig): Promise<SectionResult<FrontResults>> {
  const sizes = cfg.mode === "full" ? [1000, 10000] : cfg.mode === "quick" ? [100, 1000] : [2, 20];
  const rounds = cfg.mode === "full" ? 3 : cfg.mode === "quick" ? 2 : 1;
  const layouts: Record<string, (n: number) => number> = { "one file": (n) => n, "100 per file": () => 100 };
  const seconds: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  const rows: Row[] = [];
  const warm = join(cfg.tmp, "front-warm");
  writeSynthTree(warm, 100);
  frontOnce(warm); // module loading and JIT are not the front end's cost
  rmSync(warm, { recursive: true, force: true });
  for (const [layout, perFile] of Object.entries(layouts)) {
    seconds[layout] = [];
    cpu[layout] = [];
    for (const n of sizes) {
      const dir = join(cfg.tmp, `front-${n}-${perFile(n)}`);
      writeSynthTree(dir, n, perFile(n));
      const runs = Array.from({ length: rounds }, () => frontOnce(dir));
      rmSync(dir, { recursive: true, force: true });
      seconds[layout].push(round(median(runs.map((r) => r.wall))));
      cpu[layout].push(round(median(runs.map((r) => r.cpu))));
      const i = seconds[layout].length - 1;
      rows.push({ section: "front", name: `front end ${n}×${FIELDS}, ${layout}`, value: `${seconds[layout][i]} s`, note: `CPU ${cpu[layout][i]} s; load, validate, resolve, elaborate, check` });
    }
  }
  const growth_10x = round(Math.max(...Object.values(cpu).map((c) => (c[1]! / c[0]!) * (10 / (sizes[1]! / sizes[0]!)))));
  rows.push({ section: "front", name: "growth for 10× input", value: `${growth_10x}×`, note: "CPU seconds, worse layout; target ≤ 11×" });
  return { results: { sizes, fields_per_register: FIELDS, seconds, cpu_seconds: cpu, growth_10x }, rows };
}
