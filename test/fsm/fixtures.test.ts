import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";

interface Result {
  states: number;
  violations: { kind: string; name: string; trace: { instance: string; step: string }[] }[];
}

async function explore(dir: string, machine: string): Promise<{ code: number; r: Result }> {
  const out = await runCli(["--specs", `test/fixtures/machines/${dir}/specs`, "explore", machine, "--json"]);
  return { code: out.code, r: JSON.parse(out.stdout) as Result };
}

describe("mutated machines are rejected with the expected violation and a shortest trace", () => {
  it("missing put_domain: the reference count does not balance at quiescence", async () => {
    const { code, r } = await explore("missing-put-domain", "fixture.missing_put_domain");
    expect(code).toBe(1);
    const v = r.violations.find((x) => x.kind === "end" && x.name === "refcount_balanced")!;
    expect(v.trace).toHaveLength(34);
    expect(v.trace.map((t) => t.step)).toContain("put_domain");
  });
  it("reset with clear_bit instead of cmpxchg: the count drops to zero sooner (28 steps, 34 with cmpxchg)", async () => {
    const { r } = await explore("reset-without-cmpxchg", "fixture.reset_without_cmpxchg");
    const v = r.violations.find((x) => x.kind === "invariant" && x.name === "domain_alive")!;
    expect(v.trace).toHaveLength(28);
    expect(v.trace.map((t) => t.step)).toContain("reset_read");
    expect(r.violations.map((x) => `${x.kind}:${x.name}`)).toContain("end:refcount_balanced");
  });
  it("tasklet era (masked flag, tasklet_kill under event_lock): a deadlock between the running tasklet and pt_irq_destroy_bind", async () => {
    const { code, r } = await explore("tasklet-masked", "fixture.tasklet_masked");
    expect(code).toBe(1);
    expect(r.violations.map((x) => `${x.kind}:${x.name}`)).toEqual(["deadlock:deadlock"]);
    const v = r.violations[0]!;
    expect(v.trace).toHaveLength(16);
    const steps = v.trace.map((t) => `${t.instance} ${t.step}`);
    // The tasklet started on CPU 1 and stashed the domain before the binder took event_lock ...
    expect(steps.indexOf("tasklet#1 hvm_dirq_assist")).toBeLessThan(steps.indexOf("binder#0 destroy_bind"));
    expect(steps).toContain("irq#1 set_masked");
    // ... and the binder ends in tasklet_kill, still holding event_lock, which the tasklet waits for.
    expect(steps.at(-1)).toBe("binder#0 tasklet_kill");
  });
  it("a lost update without the lock, none with it", async () => {
    const racy = await explore("counter-racy", "fixture.counter_racy");
    expect(racy.code).toBe(1);
    // The end condition, and the liveness property that says the same of every fair run.
    expect(racy.r.violations.map((v) => `${v.kind}:${v.name}`)).toEqual(["end:both_counted", "liveness:counted"]);
    expect(racy.r.violations[0]!.trace.map((t) => `${t.instance} ${t.step}`)).toEqual(["adder#0 read", "adder#1 read", "adder#0 write", "adder#1 write"]);
    const locked = await explore("counter-locked", "fixture.counter_locked");
    expect(locked.code).toBe(0);
    expect(locked.r.violations).toEqual([]);
    expect(locked.r.states).toBe(16);
  });
});
