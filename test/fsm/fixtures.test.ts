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
  it("a lost update without the lock, none with it", async () => {
    const racy = await explore("counter-racy", "fixture.counter_racy");
    expect(racy.code).toBe(1);
    expect(racy.r.violations).toHaveLength(1);
    expect(racy.r.violations[0]).toMatchObject({ kind: "end", name: "both_counted" });
    expect(racy.r.violations[0]!.trace.map((t) => `${t.instance} ${t.step}`)).toEqual(["adder#0 read", "adder#1 read", "adder#0 write", "adder#1 write"]);
    const locked = await explore("counter-locked", "fixture.counter_locked");
    expect(locked.code).toBe(0);
    expect(locked.r.violations).toEqual([]);
    expect(locked.r.states).toBe(16);
  });
});
