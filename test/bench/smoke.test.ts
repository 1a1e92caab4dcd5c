// The benchmark suite at tiny sizes, so bench/ never rots. Structure and sanity only: no timing.
import { describe, expect, it } from "vitest";
import { runSuite, SECTIONS } from "../../bench/run.ts";
import { END, START, markdownSection, table } from "../../bench/report.ts";

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
    for (const s of ["explorer", "pagetable", "vpl011"]) {
      const r = out.results[s] as Record<string, unknown>;
      expect(typeof r).toBe("object");
      if ("skipped" in r) expect(typeof r.skipped).toBe("string");
    }
    expect(out.rows.length).toBeGreaterThan(5);
    const md = markdownSection(out.machine, out.rows, []);
    expect(md.startsWith(START) && md.endsWith(END)).toBe(true);
    expect(table(out.rows)).toContain("accessors");
  });
});
