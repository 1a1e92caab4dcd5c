/**
 * 2. Generator scaling: full generation (runFront + runBack) of synthetic trees of growing size,
 * each size in a fresh child process so its peak RSS (process.resourceUsage().maxRSS) is its own;
 * then incremental regeneration through the watcher (generator/cli/commands/watch.ts) and through
 * a second generate from the disk cache (front-end and emit caches of generator/cache/), and the
 * write plan of an unchanged tree.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fmtRatio, median, round, type BenchConfig, type Row, type SectionResult } from "./harness.ts";
import { FIELDS, PER_FILE, synthSpec, writeSynthTree } from "./synth.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const CLI = join(HERE, "..", "bin", "hwspec.js");
const GNU_TIME = "/usr/bin/time";

/** One `node bin/hwspec.js generate` in a fresh process: wall seconds, and user + system CPU seconds where GNU time is there to say. */
function cliGenerate(cwd: string, cache: string): { seconds: number; cpu?: number } {
  const args = [CLI, "generate", "--specs", "specs", "--out", "out", "--quiet"];
  const timed = existsSync(GNU_TIME);
  const t0 = performance.now();
  const r = spawnSync(timed ? GNU_TIME : process.execPath, timed ? ["-f", "cpu %U %S", process.execPath, ...args] : args, { cwd, encoding: "utf8", env: { ...process.env, HWSPEC_CACHE_DIR: cache, NO_COLOR: "1" } });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`hwspec generate exited ${r.status}: ${r.stderr}`);
  const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  return { seconds, ...(m ? { cpu: Number(m[1]) + Number(m[2]) } : {}) };
}

/**
 * A user's spec tree exists before they generate: the cached loader does not keep what it learns of
 * a file changed in the last RECENT_MS (cache/sources.ts), so a tree written by the bench waits
 * that long before its first run, as the files of any checkout have.
 */
const settle = async () => {
  const { RECENT_MS } = await import("../generator/cache/sources.ts");
  await new Promise((r) => setTimeout(r, RECENT_MS + 100));
};

/**
 * A second `generate` as a user runs it: fresh processes of the CLI over a new tree, a first run
 * on an empty cache and output folder, then one after an edit of one spec; start-up and writing
 * the output count, as they do for a user. Median of `rounds` pairs.
 */
async function cliSecondGenerate(tmp: string, nFiles: number, perFile: number, k: number, rounds: number) {
  const first: { seconds: number; cpu?: number }[] = [];
  const edit: { seconds: number; cpu?: number }[] = [];
  const trees = Array.from({ length: rounds }, (_, i) => {
    const dir = join(tmp, `cli-${i}`);
    return { dir, paths: writeSynthTree(join(dir, "specs"), nFiles * perFile, perFile) };
  });
  await settle();
  for (const { dir, paths } of trees) {
    first.push(cliGenerate(dir, join(dir, "cache")));
    writeFileSync(paths[k]!, synthSpec(k, k * perFile, perFile, 1));
    edit.push(cliGenerate(dir, join(dir, "cache")));
    rmSync(dir, { recursive: true, force: true });
  }
  const med = (xs: { seconds: number; cpu?: number }[]) => ({ seconds: median(xs.map((x) => x.seconds)), cpu: xs.every((x) => x.cpu !== undefined) ? median(xs.map((x) => x.cpu!)) : undefined });
  return { rounds, first: med(first), edit: med(edit) };
}

/** One full generation of the tree under `specs` (in this process). */
async function generateOnce(specs: string): Promise<{ seconds: number; frontSeconds: number; files: number; bytes: number }> {
  const { Diagnostics } = await import("../generator/diagnostics.ts");
  const { loadTree } = await import("../generator/load/tree.ts");
  const { runFront, runBack } = await import("../generator/pipeline.ts");
  const t0 = performance.now();
  const d = new Diagnostics();
  const r = runFront(loadTree(specs, d), d);
  if (!r.ok) throw new Error(`synthetic spec rejected: ${r.diagnostics[0]?.message}`);
  // The front end (load, validate, resolve, elaborate, check) is measured apart from emit + format + write-ready output.
  const frontSeconds = (performance.now() - t0) / 1000;
  const files = await runBack(r.front);
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, frontSeconds, files: files.length, bytes: files.reduce((n, f) => n + f.content.length, 0) };
}

/** Runs generateOnce in a child process: wall time and the child's peak RSS. */
function generateInChild(specs: string): { seconds: number; frontSeconds: number; files: number; bytes: number; peakMiB: number } {
  const out = execFileSync(process.execPath, ["--import", "tsx", join(HERE, "generator.ts"), "--child", specs], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split("\n").pop()!) as { seconds: number; frontSeconds: number; files: number; bytes: number; peakMiB: number };
}

export interface GeneratorResults {
  sizes: number[];
  fields_per_register: number;
  seconds: number[];
  peak_rss_mib: number[];
  output_bytes: number[];
  growth_10x: number;
  /** The same sizes as one spec file each (a user's file is not split). */
  one_file: { seconds: number[]; front_seconds: number[]; peak_rss_mib: number[]; growth_10x: number };
  /** Front-end share of the split runs. */
  front_seconds: number[];
  incremental: { spec_files: number; full_seconds: number; edit_seconds: number; formatted_after_edit: number; written_after_edit: number };
  incremental_ratio: number;
  /** A second `generate` (new process state, the disk cache of the first) after one edited spec. */
  second_generate: { full_seconds: number; edit_seconds: number; formatted_after_edit: number; identical_to_clean: boolean };
  second_generate_ratio: number;
  /** The same as the whole CLI in fresh processes (start-up and writing included); absent in smoke mode or without a build. */
  second_generate_cli?: { rounds: number; first_seconds: number; edit_seconds: number; ratio: number; first_cpu_seconds?: number; edit_cpu_seconds?: number; cpu_ratio?: number };
  unchanged_rewritten: number;
  unchanged_watch_rewritten: number;
}

export async function runGenerator(cfg: BenchConfig): Promise<SectionResult<GeneratorResults>> {
  const sizes = cfg.mode === "full" ? [1000, 10000] : cfg.mode === "quick" ? [30, 300] : [2, 20];
  const run = async (perFile: (n: number) => number) => {
    const out = { seconds: [] as number[], front: [] as number[], peak: [] as number[], bytes: [] as number[] };
    for (const n of sizes) {
      const dir = join(cfg.tmp, `scale-${n}`);
      writeSynthTree(dir, n, perFile(n));
      const r = cfg.mode === "smoke" ? { ...(await generateOnce(dir)), peakMiB: process.resourceUsage().maxRSS / 1024 } : generateInChild(dir);
      out.seconds.push(r.seconds);
      out.front.push(r.frontSeconds);
      out.peak.push(r.peakMiB);
      out.bytes.push(r.bytes);
      rmSync(dir, { recursive: true, force: true });
    }
    const growths = sizes.slice(1).map((n, i) => (out.seconds[i + 1]! / out.seconds[i]!) * (10 / (n / sizes[i]!)));
    return { ...out, growth: Math.max(...growths) };
  };
  const split = await run(() => PER_FILE);
  const single = await run((n) => n);
  const { seconds, peak, bytes } = split;
  const growth_10x = split.growth;

  // Incremental: 100 spec files, one edited, regenerated by the watcher.
  const { Watcher } = await import("../generator/cli/commands/watch.ts");
  const { writeTree } = await import("../generator/write/atomic.ts");
  const perFile = cfg.mode === "full" ? 10 : 1;
  const nFiles = cfg.mode === "smoke" ? 5 : 100;
  const specs = join(cfg.tmp, "inc-specs");
  const out = join(cfg.tmp, "inc-out");
  const paths = writeSynthTree(specs, nFiles * perFile, perFile);
  const io = { out: () => {}, err: () => {}, color: false };
  const w = new Watcher({ specsDir: specs, outDir: out, io, quiet: true, events: () => () => {}, schedule: () => () => {} });
  let t0 = performance.now();
  await w.start();
  const fullSeconds = (performance.now() - t0) / 1000;
  const k = Math.floor(nFiles / 2);
  writeFileSync(paths[k]!, synthSpec(k, k * perFile, perFile, 1));
  t0 = performance.now();
  w.changed(paths[k]!);
  const edited = await w.flush();
  const editSeconds = (performance.now() - t0) / 1000;
  w.changed(paths[k]!);
  const again = await w.flush();
  w.close();
  // An unchanged tree through the one-shot path: generate once more and ask writeTree's plan.
  const { Diagnostics } = await import("../generator/diagnostics.ts");
  const { loadTree } = await import("../generator/load/tree.ts");
  const { runFront, runBack } = await import("../generator/pipeline.ts");
  const d = new Diagnostics();
  const fr = runFront(loadTree(specs, d), d);
  if (!fr.ok) throw new Error("incremental tree rejected");
  const oneShot = join(cfg.tmp, "oneshot-out");
  const files = await runBack(fr.front);
  writeTree(oneShot, files);
  const p2 = writeTree(oneShot, files);
  const rewritten = p2.added.length + p2.changed.length + p2.removed.length;
  const plan = edited!.plan;
  // A second `generate`: the disk cache filled by a first one, nothing else carried over.
  const { runBackCached } = await import("../generator/cache/back.ts");
  const { runFrontCached } = await import("../generator/cache/front.ts");
  const { loadTreeCached } = await import("../generator/cache/sources.ts");
  const { EmitCache } = await import("../generator/cache/store.ts");
  const cacheDir = join(cfg.tmp, "inc-cache");
  const genSpecs = join(cfg.tmp, "gen-specs");
  const genPaths = writeSynthTree(genSpecs, nFiles * perFile, perFile);
  await settle();
  const cachedRun = async () => {
    const t = performance.now();
    const dd = new Diagnostics();
    // As `generate` does: unchanged specs not read (cache/sources.ts), the front end only where the edit reaches (cache/front.ts).
    const cache = new EmitCache(cacheDir);
    const tree = loadTreeCached(genSpecs, dd, cache);
    const f = runFrontCached(tree, dd, cache, genSpecs);
    if (!f.ok) throw new Error("incremental tree rejected");
    const r = await runBackCached(f.front, tree.sources, cache, undefined, f.partial);
    return { seconds: (performance.now() - t) / 1000, r };
  };
  const genFull = await cachedRun();
  writeFileSync(genPaths[k]!, synthSpec(k, k * perFile, perFile, 1));
  const genEdit = await cachedRun();
  const dc = new Diagnostics();
  const cleanFront = runFront(loadTree(genSpecs, dc), dc);
  if (!cleanFront.ok) throw new Error("incremental tree rejected");
  const clean = await runBack(cleanFront.front);
  const identical = clean.length === genEdit.r.files.length && clean.every((f, i) => f.path === genEdit.r.files[i]!.path && f.content === genEdit.r.files[i]!.content);
  rmSync(cacheDir, { recursive: true, force: true });
  const cli = cfg.mode !== "smoke" && existsSync(join(HERE, "..", "dist", "cli", "main.cjs")) ? await cliSecondGenerate(cfg.tmp, nFiles, perFile, k, cfg.mode === "full" ? 3 : 1) : undefined;
  const results: GeneratorResults = {
    sizes,
    fields_per_register: FIELDS,
    seconds: seconds.map((s) => round(s, 4)),
    peak_rss_mib: peak.map((m) => round(m, 4)),
    output_bytes: bytes,
    growth_10x: round(growth_10x),
    one_file: { seconds: single.seconds.map((x) => round(x, 4)), front_seconds: single.front.map((x) => round(x, 4)), peak_rss_mib: single.peak.map((m) => round(m, 4)), growth_10x: round(single.growth) },
    front_seconds: split.front.map((x) => round(x, 4)),
    incremental: {
      spec_files: nFiles,
      full_seconds: round(fullSeconds, 4),
      edit_seconds: round(editSeconds, 4),
      formatted_after_edit: edited!.formatted,
      written_after_edit: plan.added.length + plan.changed.length + plan.removed.length,
    },
    incremental_ratio: round(editSeconds / fullSeconds),
    second_generate: { full_seconds: round(genFull.seconds, 4), edit_seconds: round(genEdit.seconds, 4), formatted_after_edit: genEdit.r.formatted, identical_to_clean: identical },
    second_generate_ratio: round(genEdit.seconds / genFull.seconds),
    ...(cli
      ? {
          second_generate_cli: {
            rounds: cli.rounds,
            first_seconds: round(cli.first.seconds, 4),
            edit_seconds: round(cli.edit.seconds, 4),
            ratio: round(cli.edit.seconds / cli.first.seconds),
            ...(cli.first.cpu !== undefined && cli.edit.cpu !== undefined ? { first_cpu_seconds: round(cli.first.cpu, 4), edit_cpu_seconds: round(cli.edit.cpu, 4), cpu_ratio: round(cli.edit.cpu / cli.first.cpu) } : {}),
          },
        }
      : {}),
    unchanged_rewritten: rewritten,
    unchanged_watch_rewritten: again ? again.plan.added.length + again.plan.changed.length + again.plan.removed.length : 0,
  };
  const rows: Row[] = [];
  for (const [label, r] of [["files of 100", split], ["one file", single]] as const) {
    sizes.forEach((n, i) =>
      rows.push({
        section: "generator",
        name: `full ${n}×${FIELDS}, ${label}`,
        value: `${r.seconds[i]!.toFixed(2)} s`,
        note: `front end ${r.front[i]!.toFixed(2)} s, back end ${(r.seconds[i]! - r.front[i]!).toFixed(2)} s; peak RSS ${r.peak[i]!.toFixed(0)} MiB, ${(r.bytes[i]! / 1e6).toFixed(1)} MB out`,
      }),
    );
    rows.push({ section: "generator", name: `growth for 10× input, ${label}`, value: fmtRatio(r.growth), note: "target ≤ 11×" });
  }
  rows.push({
    section: "generator",
    name: `incremental watch, 1 of ${nFiles} specs`,
    value: `${editSeconds.toFixed(2)} s`,
    note: `full ${fullSeconds.toFixed(2)} s, ratio ${fmtRatio(editSeconds / fullSeconds)} (target ≤ 0.10); ${edited!.formatted} files emitted and formatted`,
  });
  rows.push({
    section: "generator",
    name: `incremental second generate, 1 of ${nFiles} specs`,
    value: `${genEdit.seconds.toFixed(2)} s`,
    note: `first ${genFull.seconds.toFixed(2)} s, ratio ${fmtRatio(genEdit.seconds / genFull.seconds)} (target ≤ 0.10); ${genEdit.r.formatted} files emitted and formatted; ${identical ? "same bytes as a clean run" : "DIFFERS from a clean run"}`,
  });
  if (cli) {
    const cpu = cli.first.cpu !== undefined && cli.edit.cpu !== undefined ? `; CPU ${cli.edit.cpu.toFixed(2)} s after ${cli.first.cpu.toFixed(2)} s, ratio ${fmtRatio(cli.edit.cpu / cli.first.cpu)}` : "";
    rows.push({
      section: "generator",
      name: `incremental second generate, whole CLI, 1 of ${nFiles} specs`,
      value: `${cli.edit.seconds.toFixed(2)} s`,
      note: `first ${cli.first.seconds.toFixed(2)} s, ratio ${fmtRatio(cli.edit.seconds / cli.first.seconds)} (target ≤ 0.10)${cpu}; fresh \`hwspec generate\` processes, start-up and writing included, median of ${cli.rounds}`,
    });
  }
  rows.push({ section: "generator", name: "unchanged tree", value: `${rewritten} files rewritten`, note: "writeTree plan of a second identical run" });
  return { results, rows };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === "--child") {
  const r = await generateOnce(process.argv[3]!);
  console.log(JSON.stringify({ ...r, peakMiB: process.resourceUsage().maxRSS / 1024 }));
}

