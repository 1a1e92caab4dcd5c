// The benchmark suite at tiny sizes, so bench/ never rots. Structure and sanity only: no timing.
import { describe, expect, it } from "vitest";
import { runSuite, SECTIONS } from "../../bench/run.ts";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { END, START, keptNote, markdownSection, previousRun, table, writeBenchmarksMd } from "../../bench/report.ts";
import { tempDir } from "../helpers/project.ts";

describe("bench smoke", () => {
  it("runs every section and returns results of the documented shape", async () => {
    const out = await runSuite("smoke");
    expect(Object.keys(out.results).sort()).toEqual([...SECTIONS].sort());
    const ratio = (x: unknown) => expect(typeof x === "number" && Number.isFinite(x) && x > 0).toBe(true);
    const acc = out.results.accessors as Record<string, unknown>;
    for (const k of ["get64_vs_handwritten", "set64_vs_handwritten", "get64_vs_bigint", "set64_vs_bigint"]) ratio(acc[k]);
    const gen = out.results.generator as Record<string, unknown>;
    expect((gen.sizes as number[]).length).toBe((gen.seconds as number[]).length);
    ratio(gen.growth_10x);
    ratio(gen.incremental_ratio);
    expect(gen.unchanged_rewritten).toBe(0);
    const front = out.results.front as { sizes: number[]; seconds: Record<string, number[]>; cpu_seconds: Record<string, number[]>; growth_10x: number };
    expect(Object.keys(front.seconds).sort()).toEqual(["100 per file", "one file"]);
    for (const k of Object.keys(front.seconds)) expect(front.seconds[k]!.length).toBe(front.sizes.length);
    ratio(front.growth_10x);
    const docs = out.results.docs as { sizes: number[]; runs: Record<string, { docs_seconds: number; pages: number; index_bytes: number; search_bytes: number }[]> };
    expect(Object.keys(docs.runs).sort()).toEqual(["files of 100", "one file"]);
    for (const runs of Object.values(docs.runs)) {
      expect(runs.length).toBe(docs.sizes.length);
      for (const r of runs) {
        ratio(r.docs_seconds);
        expect(r.pages).toBeGreaterThan(0);
        ratio(r.search_bytes);
      }
    }
    const startup = out.results.startup as { ms: Record<string, number>; ratio: Record<string, number>; worst_ratio: number };
    expect(Object.keys(startup.ms).sort()).toEqual(["check", "decode", "encode", "help", "layout", "list"]);
    for (const k of Object.keys(startup.ms)) ratio(startup.ratio[k]);
    ratio(startup.worst_ratio);
    const svd = out.results.svd as { seconds: number[]; read_seconds: number[]; check_seconds: number[]; cpu_seconds: number[]; derived: { seconds: number }; target_ratio: number };
    expect(svd.seconds.length).toBe(2);
    expect(svd.cpu_seconds.length).toBe(2);
    ratio(svd.derived.seconds);
    ratio(svd.target_ratio);
    const size = out.results.size as { synthetic: { bytes: number; parts: Record<string, number> }; ept_vpid_cap: { bytes: number; jsdoc_bytes: number }; target_ratio: number };
    expect(Object.values(size.synthetic.parts).reduce((a, b) => a + b, 0)).toBe(size.synthetic.bytes);
    expect(Object.keys(size.synthetic.parts)).toEqual(expect.arrayContaining(["R5_Fields", "R5_table", "R5_spec", "R5"]));
    expect(size.ept_vpid_cap.jsdoc_bytes).toBeGreaterThan(0);
    expect(size.ept_vpid_cap.jsdoc_bytes).toBeLessThan(size.ept_vpid_cap.bytes);
    ratio(size.target_ratio);
    for (const s of ["explorer", "pagetable", "vpl011"]) {
      const r = out.results[s] as Record<string, unknown>;
      expect(typeof r).toBe("object");
      if ("skipped" in r) expect(typeof r.skipped).toBe("string");
    }
    expect(out.rows.length).toBeGreaterThan(5);
    const md = markdownSection(out.machine, out.rows, []);
    expect(md.startsWith(START) && md.endsWith(END)).toBe(true);
    // A partial run keeps the other sections' rows: what it reads back is what was written.
    const dir = tempDir("hwspec-bench-md-");
    try {
      writeBenchmarksMd(join(dir, "BENCHMARKS.md"), md);
      const back = previousRun(join(dir, "BENCHMARKS.md"))!;
      expect(back.rows).toEqual(out.rows);
      expect(back.origin.get("accessors")).toContain(out.machine.date);
      // Rows kept by a partial run name the run that measured them, and a later partial run reads that back.
      writeBenchmarksMd(join(dir, "BENCHMARKS.md"), markdownSection(out.machine, out.rows, [], [keptNote(["accessors", "generator"], "the full run of last week")]));
      const again = previousRun(join(dir, "BENCHMARKS.md"))!;
      expect([again.origin.get("accessors"), again.origin.get("generator")]).toEqual(["the full run of last week", "the full run of last week"]);
      expect(again.origin.get("startup")).toContain(out.machine.date);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(table(out.rows)).toContain("accessors");
  });
});
