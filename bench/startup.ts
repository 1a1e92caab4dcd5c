/**
 * 6. CLI start-up: wall time of one `node bin/hwspec.js <command>` over the shipped specs, as a
 * ratio to a bare `node -e 0` measured in the same rounds, so the figure says what hwspec adds to
 * starting node on whatever machine runs it. Each round runs every command once, in an order that
 * alternates between rounds; the median of the rounds is kept. bin/hwspec.js runs dist/, so `npm
 * run bench` builds first.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fmtRatio, median, round, type BenchConfig, type Row, type SectionResult } from "./harness.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(ROOT, "bin/hwspec.js");

/** The commands the target covers, plus --help, which loads no command module at all. */
export const STARTUP_COMMANDS: Record<string, string[]> = {
  decode: ["decode", "IA32_VMX_BASIC", "0x00da040000000004"],
  encode: ["encode", "IA32_VMX_BASIC", "vmcs_revision_id=4", "vmcs_region_size=0x400", "memory_type=6"],
  layout: ["layout", "IA32_VMX_BASIC"],
  list: ["list"],
  check: ["check"],
  help: ["--help"],
};

/** Target: each of these ≤ 6× a bare node start. */
export const STARTUP_TARGET = { commands: ["decode", "encode", "layout", "list", "check"], ratio: 6 };

export interface StartupResults {
  rounds: number;
  bare_node_ms: number;
  ms: Record<string, number>;
  ratio: Record<string, number>;
  /** The largest ratio among the target's commands. */
  worst_ratio: number;
}

function timeOnce(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export async function runStartup(cfg: BenchConfig): Promise<SectionResult<StartupResults>> {
  if (!existsSync(join(ROOT, "dist/cli/main.cjs"))) throw new Error("dist/ is not built: run npm run build");
  const rounds = cfg.mode === "full" ? 21 : cfg.mode === "quick" ? 7 : 1;
  const jobs: [string, string[]][] = [["bare", ["-e", "0"]], ...Object.entries(STARTUP_COMMANDS).map(([k, a]): [string, string[]] => [k, [CLI, ...a]])];
  const samples = new Map<string, number[]>(jobs.map(([k]) => [k, []]));
  // One untimed pass first: the page cache, not hwspec, is what a first start measures.
  for (const [, args] of jobs) timeOnce(args);
  for (let i = 0; i < rounds; i++) for (const [k, args] of i % 2 ? [...jobs].reverse() : jobs) samples.get(k)!.push(timeOnce(args));
  const bare = median(samples.get("bare")!);
  const ms: Record<string, number> = {};
  const ratio: Record<string, number> = {};
  for (const k of Object.keys(STARTUP_COMMANDS)) {
    ms[k] = round(median(samples.get(k)!));
    ratio[k] = round(ms[k]! / bare);
  }
  const worst = Math.max(...STARTUP_TARGET.commands.map((k) => ratio[k]!));
  const rows: Row[] = Object.entries(STARTUP_COMMANDS).map(([k, args]) => ({
    section: "startup",
    name: `hwspec ${args.join(" ")}`,
    value: `${ms[k]!.toFixed(0)} ms`,
    note: `node -e 0 ${bare.toFixed(0)} ms; ratio ${fmtRatio(ratio[k]!)}${STARTUP_TARGET.commands.includes(k) ? ` (target ≤ ${STARTUP_TARGET.ratio}×)` : ""}`,
  }));
  return { results: { rounds, bare_node_ms: round(bare), ms, ratio, worst_ratio: round(worst) }, rows };
}
