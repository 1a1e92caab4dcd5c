import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";

/**
 * spin and hwspec must agree on every liveness property of the shipped machines and fixtures:
 * hwspec's SCC check under weak fairness against `pan -a -f` (acceptance cycles under spin's weak
 * fairness) on the export made for that property. A second group runs a safety export under
 * spin's multi-core mode (-DNCORE=2) and compares with the explorer.
 */
const MACHINES: { specs: string; machine: string }[] = [
  { specs: "specs", machine: "xen.dpci_softirq" },
  { specs: "specs", machine: "xen.dpci_softirq_putback" },
  { specs: "specs", machine: "xen.dpci_softirq_fixed" },
  { specs: "test/fixtures/machines/lost-wakeup/specs", machine: "fixture.lost_wakeup" },
  { specs: "test/fixtures/machines/wakeup-ordered/specs", machine: "fixture.wakeup_ordered" },
  { specs: "test/fixtures/machines/counter-racy/specs", machine: "fixture.counter_racy" },
  { specs: "test/fixtures/machines/counter-locked/specs", machine: "fixture.counter_locked" },
];

const hasSpin = spawnSync("spin", ["-V"]).status === 0;

/** Compiles and runs pan in a fresh folder; `errors` is pan's count (multi-core runs report a stop line instead). */
function pan(pml: string, cflags: string[], args: string[]): { violated: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "hwspec-spin-live-"));
  try {
    writeFileSync(join(dir, "model.pml"), pml);
    execFileSync("spin", ["-a", "model.pml"], { cwd: dir });
    execFileSync("gcc", ["-O2", ...cflags, "-o", "pan", "pan.c"], { cwd: dir });
    const r = spawnSync("./pan", args, { cwd: dir, encoding: "utf8" });
    const out = `${r.stdout}${r.stderr}`;
    const found = /pan:\d+: (acceptance cycle|assertion violated|invalid end state)/.test(out);
    const m = /errors: (\d+)/.exec(out);
    if (!m && !found) throw new Error(`no verdict from pan:\n${out}`);
    return { violated: found || Number(m![1]) > 0, output: out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Explored {
  liveness?: { name: string; verdict: string }[];
  violations: { kind: string }[];
}

async function explore(specs: string, machine: string): Promise<Explored> {
  const ex = await runCli(["--specs", specs, "explore", machine, "--json"]);
  expect([0, 1]).toContain(ex.code);
  return JSON.parse(ex.stdout) as Explored;
}

// The tool is required in CI (.ci/run installs it); elsewhere the group is skipped without it.
describe.skipIf(!hasSpin && !process.env.CI)("spin agrees with hwspec on liveness under weak fairness", () => {
  const verdicts: string[] = [];
  for (const c of MACHINES) {
    it(c.machine, async () => {
      const r = await explore(c.specs, c.machine);
      expect(r.liveness?.length).toBeGreaterThan(0);
      for (const p of r.liveness!) {
        expect(["holds", "violated"]).toContain(p.verdict);
        const pml = await runCli(["--specs", c.specs, "export", c.machine, "--format", "promela", "--liveness", p.name]);
        expect(pml.code).toBe(0);
        const spin = pan(pml.stdout, [], ["-a", "-f", "-m100000"]);
        expect({ property: p.name, violated: spin.violated }).toEqual({ property: p.name, violated: p.verdict === "violated" });
        verdicts.push(`${c.machine}.${p.name}:${p.verdict}`);
      }
    });
  }
  it("the cases cover both verdicts, and the lost wakeup is one of the violations", () => {
    expect(verdicts).toContain("fixture.lost_wakeup.sched_processed:violated");
    expect(verdicts).toContain("fixture.wakeup_ordered.sched_processed:holds");
    expect(verdicts).toContain("fixture.wakeup_ordered.sched_processed_softirq_unfair:violated");
    expect(verdicts).toContain("xen.dpci_softirq_fixed.sched_processed:holds");
  });
});

describe.skipIf(!hasSpin && !process.env.CI)("spin's multi-core mode (-DNCORE=2) agrees with the explorer on safety", () => {
  for (const machine of ["xen.dpci_softirq", "xen.dpci_softirq_fixed"]) {
    it(machine, async () => {
      const r = await explore("specs", machine);
      const safety = r.violations.filter((v) => v.kind !== "liveness");
      const pml = await runCli(["export", machine, "--format", "promela"]);
      expect(pml.code).toBe(0);
      const spin = pan(pml.stdout, ["-DNCORE=2", "-DSAFETY"], ["-m100000"]);
      expect(spin.output).toMatch(/cpu[01]:/);
      expect(spin.violated).toBe(safety.length > 0);
    });
  }
});
