import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";

/**
 * spin and the explorer must agree on whether each machine violates its properties. spin runs
 * in safety mode (-DSAFETY) with a search depth of 100000, far above the deepest state of these
 * models (the explorer's BFS depth is below 60), so both searches are exhaustive.
 */
const CASES: { specs: string; machine: string }[] = [
  { specs: "specs", machine: "xen.dpci_softirq" },
  { specs: "specs", machine: "xen.dpci_softirq_putback" },
  { specs: "specs", machine: "xen.dpci_softirq_fixed" },
  { specs: "specs", machine: "xen.iommu_domain" },
  { specs: "specs", machine: "xen.iommu_domain_teardown_fix" },
  { specs: "test/fixtures/machines/missing-put-domain/specs", machine: "fixture.missing_put_domain" },
  { specs: "test/fixtures/machines/reset-without-cmpxchg/specs", machine: "fixture.reset_without_cmpxchg" },
  { specs: "test/fixtures/machines/tasklet-masked/specs", machine: "fixture.tasklet_masked" },
  { specs: "test/fixtures/machines/counter-locked/specs", machine: "fixture.counter_locked" },
  { specs: "test/fixtures/machines/counter-racy/specs", machine: "fixture.counter_racy" },
  { specs: "test/fixtures/machines/lost-wakeup/specs", machine: "fixture.lost_wakeup" },
  { specs: "test/fixtures/machines/wakeup-ordered/specs", machine: "fixture.wakeup_ordered" },
  { specs: "test/fixtures/machines/percpu-race/specs", machine: "fixture.percpu_race" },
];

const hasSpin = spawnSync("spin", ["-V"]).status === 0;

function spinVerdict(pml: string): { violated: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "hwspec-spin-"));
  try {
    writeFileSync(join(dir, "model.pml"), pml);
    execFileSync("spin", ["-a", "model.pml"], { cwd: dir });
    execFileSync("gcc", ["-O2", "-DSAFETY", "-o", "pan", "pan.c"], { cwd: dir });
    const out = spawnSync("./pan", ["-m100000"], { cwd: dir, encoding: "utf8" }).stdout;
    const m = /errors: (\d+)/.exec(out);
    if (!m) throw new Error(`no verdict from pan:\n${out}`);
    return { violated: Number(m[1]) > 0, output: out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The tool is required in CI (.ci/run installs it): there the group runs and fails without spin;
// elsewhere it is skipped without it.
describe.skipIf(!hasSpin && !process.env.CI)("spin agrees with the explorer", () => {
  for (const c of CASES) {
    it(c.machine, async () => {
      const ex = await runCli(["--specs", c.specs, "explore", c.machine, "--json"]);
      expect([0, 1]).toContain(ex.code);
      const explorer = JSON.parse(ex.stdout) as { violations: { kind: string }[] };
      const pml = await runCli(["--specs", c.specs, "export", c.machine, "--format", "promela"]);
      expect(pml.code).toBe(0);
      const spin = spinVerdict(pml.stdout);
      // This export is the safety model; liveness has its own exports (spin-liveness.test.ts).
      expect(spin.violated).toBe(explorer.violations.some((v) => v.kind !== "liveness"));
    });
  }
});
