import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "hwspec-replay-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Violation {
  kind: string;
  name: string;
  trace: { instance: string; step: string; changes: Record<string, unknown> }[];
  cycle?: { instance: string; step: string; changes: Record<string, unknown> }[];
}
interface Explored {
  violations: Violation[];
}

let files = 0;
function write(value: unknown): string {
  const f = join(dir, `t${files++}.json`);
  writeFileSync(f, JSON.stringify(value));
  return f;
}

async function explored(specs: string, machine: string, extra: string[] = []): Promise<{ doc: Explored; file: string }> {
  const out = await runCli(["--specs", specs, "explore", machine, "--json", ...extra]);
  expect(out.code).toBe(1);
  const doc = JSON.parse(out.stdout) as Explored;
  return { doc, file: write(doc) };
}

const CASES: { specs: string; machine: string; extra?: string[] }[] = [
  { specs: "specs", machine: "xen.dpci_softirq" },
  { specs: "specs", machine: "xen.dpci_softirq_putback" },
  { specs: "specs", machine: "xen.dpci_softirq", extra: ["--instances", "irq=3,softirq=3"] },
  { specs: "specs", machine: "xen.dpci_softirq", extra: ["--instances", "irq=4,softirq=4"] },
  { specs: "specs", machine: "xen.iommu_domain" },
  { specs: "test/fixtures/machines/lost-wakeup/specs", machine: "fixture.lost_wakeup" },
  { specs: "test/fixtures/machines/wakeup-ordered/specs", machine: "fixture.wakeup_ordered" },
  { specs: "test/fixtures/machines/percpu-race/specs", machine: "fixture.percpu_race" },
  { specs: "test/fixtures/machines/counter-racy/specs", machine: "fixture.counter_racy" },
  { specs: "test/fixtures/machines/tasklet-masked/specs", machine: "fixture.tasklet_masked" },
  { specs: "test/fixtures/machines/missing-put-domain/specs", machine: "fixture.missing_put_domain" },
  { specs: "test/fixtures/machines/reset-without-cmpxchg/specs", machine: "fixture.reset_without_cmpxchg" },
];

describe("replay accepts every counterexample explore --json writes", () => {
  for (const c of CASES) {
    it(`${c.machine}${c.extra ? ` ${c.extra.join(" ")}` : ""}`, async () => {
      const { doc, file } = await explored(c.specs, c.machine, c.extra);
      expect(doc.violations.length).toBeGreaterThan(0);
      for (const v of doc.violations) {
        const out = await runCli(["--specs", c.specs, "replay", c.machine, file, "--violation", `${v.kind}:${v.name}`, "--json"]);
        expect(out.code, `${v.kind}:${v.name}: ${out.stdout}`).toBe(0);
        const r = JSON.parse(out.stdout) as { ok: boolean; kind: string; name: string; steps: { part: string; step: string; changes: Record<string, unknown> }[] };
        expect(r).toMatchObject({ ok: true, kind: v.kind, name: v.name });
        expect(r.steps.map((s) => s.step)).toEqual([...v.trace, ...(v.cycle ?? [])].map((s) => s.step));
        // The replayed changes are the recorded ones, program counters included.
        expect(r.steps.map((s) => s.changes)).toEqual([...v.trace, ...(v.cycle ?? [])].map((s) => s.changes));
      }
    });
  }
});

describe("replay refuses traces that do not replay, naming the step", () => {
  const LOST = "test/fixtures/machines/lost-wakeup/specs";
  async function refused(specs: string, machine: string, doc: unknown, extra: string[] = []) {
    const out = await runCli(["--specs", specs, "replay", machine, write(doc), "--json", ...extra]);
    expect(out.code).toBe(1);
    return (JSON.parse(out.stdout) as { ok: false; error: { code: string; message: string; pointer: string; step?: number } }).error;
  }

  it("a step that cannot run where the trace puts it, and an unknown instance", async () => {
    const { doc } = await explored("specs", "xen.dpci_softirq");
    const v = structuredClone(doc.violations[0]!);
    [v.trace[1], v.trace[2]] = [v.trace[2]!, v.trace[1]!];
    const e = await refused("specs", "xen.dpci_softirq", v);
    expect(e).toMatchObject({ code: "not-enabled", pointer: "/trace/1", step: 2 });
    expect(e.message).toMatch(/^step 2 of the trace: binder#0 cannot run "set_dom" now \(it is at restart\)/);
    const w = structuredClone(doc.violations[0]!);
    w.trace[0]!.instance = "binder#7";
    expect(await refused("specs", "xen.dpci_softirq", w)).toMatchObject({ code: "unknown-instance", pointer: "/trace/0" });
  });

  it("recorded changes that differ from what the step does", async () => {
    const { doc } = await explored("specs", "xen.dpci_softirq");
    doc.violations[0]!.trace[2]!.changes = { dom: ["NULL", "NULL"] };
    const e = await refused("specs", "xen.dpci_softirq", doc);
    expect(e).toMatchObject({ code: "changes-differ", pointer: "/violations/0/trace/2/changes", step: 3 });
    expect(e.message).toContain("changes dom: NULL -> D");
  });

  it("a safety trace cut short, and steps after a failed check", async () => {
    const { doc } = await explored("specs", "xen.dpci_softirq");
    const v = structuredClone(doc.violations.find((x) => x.kind === "assert")!);
    const cut = { ...v, trace: v.trace.slice(0, -1) };
    expect(await refused("specs", "xen.dpci_softirq", cut)).toMatchObject({ code: "not-reproduced", pointer: "" });
    const longer = structuredClone(doc.violations.find((x) => x.kind === "bug")!);
    longer.trace.push({ instance: "binder#0", step: "create_bind", changes: {} });
    expect(await refused("specs", "xen.dpci_softirq", longer)).toMatchObject({ code: "fails-early", step: longer.trace.length });
  });

  it("a lasso whose cycle does not return, or is unfair to a process that could run", async () => {
    const { doc } = await explored(LOST, "fixture.lost_wakeup");
    const v = doc.violations.find((x) => x.kind === "liveness")!;
    // Ending the prefix one step early leaves go_idle for the cycle, which then does not return.
    const shifted = { ...v, trace: v.trace.slice(0, -1), cycle: [v.trace.at(-1)!, ...v.cycle!] };
    const e = await refused(LOST, "fixture.lost_wakeup", shifted);
    expect(e).toMatchObject({ code: "not-reproduced" });
    expect(e.message).toMatch(/cycle does not return/);
    // In the correct twin, the starving cycle is not fair to the softirq when the softirq is fair.
    const ordered = await explored("test/fixtures/machines/wakeup-ordered/specs", "fixture.wakeup_ordered");
    const starve = { ...ordered.doc.violations.find((x) => x.name === "sched_processed_softirq_unfair")!, name: "sched_processed" };
    const f = await refused("test/fixtures/machines/wakeup-ordered/specs", "fixture.wakeup_ordered", starve);
    expect(f.message).toMatch(/softirq#0 is fair, can run in every state of the cycle and never runs there/);
  });

  it("bare lists of moves replay; bad files are usage errors", async () => {
    const ok = await runCli(["replay", "xen.dpci_softirq", write([{ instance: "binder#0", step: "create_bind" }, { instance: "binder#0", step: "restart" }])]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("event_lock: free -> binder#0");
    expect(ok.stdout).toContain("replays: 2 steps replayed");
    const bad = join(dir, "broken.json");
    writeFileSync(bad, "{");
    expect((await runCli(["replay", "xen.dpci_softirq", bad])).code).toBe(2);
    const other = await explored(LOST, "fixture.lost_wakeup");
    const wrong = await runCli(["replay", "xen.dpci_softirq", other.file]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("is a trace of fixture.lost_wakeup, not xen.dpci_softirq");
    const none = await runCli(["--specs", LOST, "replay", "fixture.lost_wakeup", other.file, "--violation", "nope"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("violations: liveness:sched_processed");
  });
});
