/**
 * `npm run bench [-- --quick]`: every benchmark section, a table on stdout, bench/results.json and
 * the results section of BENCHMARKS.md. A section whose subject has not landed records
 * `{"skipped": reason}` instead of failing the run. test/bench/smoke.test.ts calls runSuite in
 * smoke mode so this code keeps working.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BenchConfig, SectionResult } from "./harness.ts";
import { keptNote, machine, markdownSection, previousRun, table, writeBenchmarksMd, type Machine } from "./report.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

export const SECTIONS = ["accessors", "generator", "front", "docs", "explorer", "pagetable", "vpl011", "startup", "svd", "size"] as const;
export type Section = (typeof SECTIONS)[number];

export const TARGETS = [
  "accessors: generated ≤ 1.3× hand-written (ratio ≤ 1.3); ≥ 10× faster than BigInt on 64-bit fields (ratio ≤ 0.1)",
  "generator: 10× more input costs ≤ 12× more time (growth_10x ≤ 12); one edited spec among 100 regenerates in ≤ 10% of the full time, through watch and through a second generate (emit cache); an unchanged tree rewrites no file",
  "docs: `hwspec docs` for 10,000 registers × 16 fields builds in ≤ 20 s; no page loads script or markup that grows with the tree (index: search index only; spec page: its own module, ≤ 50 shapes)",
  "explorer (xen.dpci_softirq_fixed, irq=softirq=4, 6, 8): ≥ 1 M states/s on one core and ≤ 100 bytes/state with 6 instances; time to verdict of `hwspec explore` ≤ spin's (spin -a + gcc -O2 -DSAFETY + pan; ratio ≤ 1), same verdicts",
  "front: the front end alone (load to check) on 10,000 registers × 16 fields, one file and 100 files, a small part of the ≤ 10 s issue 17 gives generation; 10× more input ≤ 11× more CPU time (growth_10x ≤ 11)",
  "startup: decode, encode, layout, list and check of the shipped specs each ≤ 6× a bare `node -e 0` measured in the same run (worst_ratio ≤ 6)",
  "svd: `hwspec import svd` of 5,000 registers × 16 fields in ≤ 2 s, read + write + full check (target_ratio ≤ 1)",
  "size: ≤ 4 KB of generated TS for a 16-field register (bench/synth.ts; target_ratio ≤ 1); IA32_VMX_EPT_VPID_CAP measured alongside",
];

async function section(name: Section, cfg: BenchConfig): Promise<SectionResult> {
  const run = async (): Promise<SectionResult> => {
    switch (name) {
      case "accessors":
        return (await import("./accessors.ts")).runAccessors(cfg) as unknown as Promise<SectionResult>;
      case "generator":
        return (await import("./generator.ts")).runGenerator(cfg) as unknown as Promise<SectionResult>;
      case "front":
        return (await import("./front.ts")).runFrontEnd(cfg) as unknown as Promise<SectionResult>;
      case "docs":
        return (await import("./docs.ts")).runDocs(cfg) as unknown as Promise<SectionResult>;
      case "explorer":
        return (await import("./explorer.ts")).runExplorer(cfg) as Promise<SectionResult>;
      case "pagetable":
        return (await import("./pagetable.ts")).runPagetable(cfg) as Promise<SectionResult>;
      case "vpl011":
        return (await import("./vpl011.ts")).runVpl011(cfg) as Promise<SectionResult>;
      case "startup":
        return (await import("./startup.ts")).runStartup(cfg) as unknown as Promise<SectionResult>;
      case "svd":
        return (await import("./svd.ts")).runSvd(cfg) as unknown as Promise<SectionResult>;
      case "size":
        return (await import("./size.ts")).runSize(cfg) as unknown as Promise<SectionResult>;
    }
  };
  try {
    return await run();
  } catch (e) {
    // A subject that has not landed fails its import; record it rather than crash the suite.
    const err = e as Error & { code?: string };
    if (err.code === "ERR_MODULE_NOT_FOUND" || /Cannot find module|does not provide an export/.test(err.message)) {
      const reason = `not landed: ${err.message.split("\n")[0]}`;
      return { results: { skipped: reason }, rows: [{ section: name, name: "skipped", value: "-", note: reason }] };
    }
    throw e;
  }
}

export interface SuiteOutput {
  machine: Machine;
  results: Record<string, unknown>;
  rows: SectionResult["rows"];
}

export async function runSuite(mode: BenchConfig["mode"], only: readonly Section[] = SECTIONS, argv: string[] = []): Promise<SuiteOutput> {
  const tmp = mkdtempSync(join(tmpdir(), "hwspec-bench-"));
  try {
    const cfg: BenchConfig = { mode, tmp };
    const results: Record<string, unknown> = {};
    const rows: SectionResult["rows"] = [];
    for (const name of only) {
      const t0 = performance.now();
      if (mode !== "smoke") process.stderr.write(`bench: ${name}...`);
      const r = await section(name, cfg);
      if (mode !== "smoke") process.stderr.write(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      results[name] = r.results;
      rows.push(...r.rows);
    }
    return { machine: machine(mode, argv), results, rows };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes("--quick");
  const only = argv.filter((a) => !a.startsWith("--")) as Section[];
  for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`unknown section ${s} (sections: ${SECTIONS.join(", ")})`);
  const out = await runSuite(quick ? "quick" : "full", only.length ? only : SECTIONS, argv);
  console.log(table(out.rows));
  const resultsPath = join(ROOT, "bench/results.json");
  const mdPath = join(ROOT, "BENCHMARKS.md");
  // A run of some sections keeps the other sections' rows from earlier runs, and says which.
  const earlier = only.length ? previousRun(mdPath) : undefined;
  const kept = earlier ? earlier.rows.filter((r) => !only.includes(r.section as Section)) : [];
  const rows = [...kept, ...out.rows].sort((a, b) => SECTIONS.indexOf(a.section as Section) - SECTIONS.indexOf(b.section as Section));
  const previous = only.length && existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, "utf8")) as Record<string, unknown>) : {};
  writeFileSync(resultsPath, JSON.stringify({ ...previous, machine: out.machine, ...out.results }, null, 2) + "\n");
  const byOrigin = new Map<string, string[]>();
  for (const s of new Set(kept.map((r) => r.section))) {
    const o = earlier!.origin.get(s)!;
    byOrigin.set(o, [...(byOrigin.get(o) ?? []), s]);
  }
  const notes = [...byOrigin].map(([o, sections]) => keptNote(sections, o));
  writeBenchmarksMd(mdPath, markdownSection(out.machine, rows, TARGETS, notes));
  console.log(`\nwrote bench/results.json and BENCHMARKS.md`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
