import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { runCli } from "../helpers/cli.ts";
import { FIXTURES, machinesOf } from "../helpers/machines.ts";
import { checkLiveness } from "../../runtime/fsm/liveness.ts";

interface Step {
  instance: string;
  step: string;
  changes: Record<string, [unknown, unknown]>;
}
interface Explored {
  complete: boolean;
  limit?: string;
  liveness: { name: string; kind: string; fair: string[]; verdict: string }[];
  violations: { kind: string; name: string; trace: Step[]; cycle?: Step[]; trigger?: number }[];
}

async function explore(specs: string, machine: string, extra: string[] = []): Promise<{ code: number; r: Explored; stderr: string }> {
  const out = await runCli(["--specs", specs, "explore", machine, "--json", ...extra]);
  return { code: out.code, r: JSON.parse(out.stdout) as Explored, stderr: out.stderr };
}

const LOST = "test/fixtures/machines/lost-wakeup/specs";
const ORDERED = "test/fixtures/machines/wakeup-ordered/specs";

describe("liveness under weak fairness", () => {
  it("catches the lost wakeup with a lasso whose cycle keeps STATE_SCHED set while the softirq cannot run", async () => {
    const { code, r } = await explore(LOST, "fixture.lost_wakeup");
    expect(code).toBe(1);
    // Safety sees nothing: interrupts never stop, so there is no quiescence to judge.
    expect(r.violations.filter((v) => v.kind !== "liveness")).toEqual([]);
    expect(r.liveness).toEqual([{ name: "sched_processed", kind: "leads_to", formula: "(state & (1 << SCHED)) != 0 leads_to (state & (1 << SCHED)) == 0", fair: ["irq#0", "softirq#0"], verdict: "violated" }]);
    const v = r.violations.find((x) => x.kind === "liveness")!;
    expect(v.cycle!.length).toBeGreaterThan(0);
    const steps = v.trace.map((t) => `${t.instance} ${t.step}`);
    // The raise that is lost comes after the empty check and before go_idle clears the bit.
    const idle = steps.lastIndexOf("softirq#0 go_idle");
    expect(idle).toBe(steps.length - 1);
    expect(steps.lastIndexOf("irq#0 raise_softirq")).toBeLessThan(idle);
    expect(steps.lastIndexOf("softirq#0 while_not_empty")).toBeLessThan(steps.lastIndexOf("irq#0 raise_softirq"));
    expect(v.trace.at(-1)!.changes).toMatchObject({ raised: [true, false] });
    // The trigger state is in the prefix: STATE_SCHED is set by the step that leads there.
    expect(v.trigger).toBeGreaterThan(0);
    expect(v.trace[v.trigger! - 1]!.changes.state).toEqual([0, "SCHED"]);
    for (const t of v.cycle!) expect(t.changes.state).toBeUndefined();
  });

  it("the correct order holds with both processes fair, and fails when only the interrupt is fair", async () => {
    const { code, r } = await explore(ORDERED, "fixture.wakeup_ordered");
    expect(code).toBe(1);
    expect(r.liveness.map((p) => [p.name, p.fair, p.verdict])).toEqual([
      ["sched_processed", ["irq#0", "softirq#0"], "holds"],
      ["sched_processed_softirq_unfair", ["irq#0"], "violated"],
    ]);
    const v = r.violations.find((x) => x.name === "sched_processed_softirq_unfair")!;
    // The starving cycle: only the interrupt runs, finding STATE_SCHED set every time.
    expect(new Set(v.cycle!.map((t) => t.instance))).toEqual(new Set(["irq#0"]));
  });

  it("eventually: a lost update ends the run with the goal false (an empty cycle), the locked counter counts both", async () => {
    const racy = await explore("test/fixtures/machines/counter-racy/specs", "fixture.counter_racy");
    const v = racy.r.violations.find((x) => x.kind === "liveness")!;
    expect(v).toMatchObject({ name: "counted", cycle: [], trigger: 0 });
    expect(v.trace.map((t) => `${t.instance} ${t.step}`)).toEqual(["adder#0 read", "adder#1 read", "adder#0 write", "adder#1 write"]);
    const locked = await explore("test/fixtures/machines/counter-locked/specs", "fixture.counter_locked");
    expect(locked.code).toBe(0);
    expect(locked.r.liveness.map((p) => p.verdict)).toEqual(["holds"]);
  });

  it("the dpci models: a pirq with STATE_SCHED set is eventually processed, in the faithful, put-back and fixed models", async () => {
    for (const m of ["xen.dpci_softirq", "xen.dpci_softirq_putback", "xen.dpci_softirq_fixed"]) {
      const { r } = await explore("specs", m);
      expect(r.liveness.map((p) => `${p.name}:${p.verdict}`), m).toEqual(["sched_processed:holds"]);
    }
    const three = await explore("specs", "xen.dpci_softirq_fixed", ["--instances", "irq=3,softirq=3"]);
    expect(three.code).toBe(0);
    expect(three.r.liveness.map((p) => p.verdict)).toEqual(["holds"]);
    // 16,421,051 states unreduced; decided on the 69,958 orbit representatives.
    const eight = await explore("specs", "xen.dpci_softirq_fixed", ["--instances", "irq=8,softirq=8"]);
    expect(eight.code).toBe(0);
    expect(eight.r.complete).toBe(true);
    expect(eight.r.liveness.map((p) => p.verdict)).toEqual(["holds"]);
  });

  it("a limit leaves the verdict unknown with its own exit code: 3 for --max-states, 4 for --max-memory", async () => {
    const states = await explore("specs", "xen.dpci_softirq_fixed", ["--max-states", "200"]);
    expect(states.code).toBe(3);
    expect(states.r.complete).toBe(false);
    expect(states.r.liveness.map((p) => p.verdict)).toEqual(["unknown"]);
    // 0.3 MiB holds the safety search's packed store but not the liveness graph of the same states.
    const mem = await runCli(["explore", "xen.dpci_softirq_fixed", "--max-memory", "0.3"]);
    expect(mem.code).toBe(4);
    expect(mem.stderr).toMatch(/liveness graph reached --max-memory 0\.3 MiB after \d+ states/);
    expect(mem.stdout).toMatch(/unknown sched_processed/);
    const json = await explore("specs", "xen.dpci_softirq_fixed", ["--max-memory", "0.3"]);
    expect(json.code).toBe(4);
    expect(json.r.limit).toBe("memory");
    // A counterexample found before a limit is still certain.
    const starved = await explore(ORDERED, "fixture.wakeup_ordered", ["--max-states", "10"]);
    expect(starved.code).toBe(1);
    expect(starved.r.complete).toBe(false);
    expect(starved.r.liveness.map((p) => p.verdict)).toEqual(["unknown", "violated"]);
    const bad = await runCli(["explore", "xen.dpci_softirq_fixed", "--max-memory", "lots"]);
    expect(bad.code).toBe(2);
  });

  it("prints lassos for people: prefix, trigger and the cycle", async () => {
    const out = await runCli(["--specs", LOST, "explore", "fixture.lost_wakeup"]);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/LIVENESS sched_processed: .* fails: the trigger holds after step \d+/);
    expect(out.stdout).toMatch(/prefix \(\d+ steps, trigger after step \d+\):/);
    expect(out.stdout).toMatch(/then forever \(cycle of 1 step\):\n\s+1\. irq#0 \(cpu 0\) raise_softirq_for/);
  });
});

describe("the liveness graph and the default memory bound", () => {
  it("a graph that outgrows the default bound (the JS heap limit) ends with exit 4 and a message, never a V8 abort", async () => {
    const { spawnSync } = await import("node:child_process");
    const bin = new URL("../../bin/hwspec.js", import.meta.url).pathname;
    // Without symmetry the safety store of 1,505,628 states fits the bound and their liveness graph with its search does not.
    const r = spawnSync(process.execPath, ["--max-old-space-size=64", bin, "explore", "xen.dpci_softirq_fixed", "--instances", "irq=6,softirq=6", "--reduce", "none"], {
      encoding: "utf8",
      cwd: new URL("../..", import.meta.url).pathname,
    });
    expect(r.status, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/the liveness graph reached the memory limit \(the JS heap, \d+ MiB; raise it with node --max-old-space-size\) after \d+ states/);
    expect(r.stdout).toMatch(/unknown sched_processed/);
  });
});

describe("liveness on the symmetry quotient", () => {
  const holds = (s: readonly number[]) => s[0]! >= 1;
  it("a property with no orbit-fair component holds there; one with a fair component is decided on the full graph, as without symmetry", async () => {
    const [def] = await machinesOf(join(FIXTURES, "percpu-race/specs"));
    // Slot 0 is `total`: every fair run counts at least one item, and a lost update can end it below 3.
    expect(def!.globals[0]!.name).toBe("total");
    const prop = (name: string, goal: (s: readonly number[]) => boolean, formula: string) => ({ name, doc: "", kind: "eventually" as const, formula, goal, fair: ["irq", "worker"] });
    const one = { ...def!, liveness: [prop("one", holds, "eventually total >= 1")] };
    const all = { ...def!, liveness: [prop("all", (s) => s[0]! === 3, "eventually total == 3")] };
    const q = checkLiveness(one);
    expect(q.graph).toBe("orbits");
    expect(q.symmetry!.groups.length).toBeGreaterThan(0);
    expect(q.states).toBeLessThan(checkLiveness(one, { symmetry: false }).states);
    expect(q.properties.map((p) => p.verdict)).toEqual(["holds"]);
    const full = checkLiveness(all);
    const plain = checkLiveness(all, { symmetry: false });
    expect(full.graph).toBe("states");
    expect(full.properties).toEqual(plain.properties);
    expect(full.properties[0]!.verdict).toBe("violated");
    expect(full.properties[0]!.violation!.cycle).toEqual([]);
  });
});

describe("the symmetry quotient agrees with the full graph", () => {
  it("on the dpci machines and the per-CPU fixture, for every property and for fairness to fewer processes", async () => {
    const defs = [...(await machinesOf("specs")), ...(await machinesOf(join(FIXTURES, "percpu-race/specs")))];
    const cases: [string, Record<string, number>][] = [
      ["xen.dpci_softirq", { irq: 3, softirq: 3 }],
      ["xen.dpci_softirq_putback", { irq: 3, softirq: 3 }],
      ["xen.dpci_softirq_fixed", { irq: 4, softirq: 4 }],
      ["fixture.percpu_race", {}],
      // Two instances per CPU: instances on one CPU and whole CPUs are permuted together.
      ["fixture.percpu_race", { irq: 6, worker: 6 }],
    ];
    const seen = { orbits: 0, violated: 0 };
    for (const [name, instances] of cases) {
      const def = defs.find((d) => d.name === name)!;
      const total = def.globals.findIndex((g) => g.name === "total");
      // The per-CPU fixture has no liveness of its own: one that holds and one a lost update breaks.
      const base = def.liveness.length
        ? def.liveness
        : [
            { name: "one", doc: "", kind: "eventually" as const, formula: "eventually total >= 1", goal: (s: readonly number[]) => s[total]! >= 1, fair: [] as string[] },
            { name: "all", doc: "", kind: "eventually" as const, formula: "eventually total == 3", goal: (s: readonly number[]) => s[total]! === 3, fair: [] as string[] },
          ];
      const names = def.processes.map((p) => p.name);
      const fairs = [names, ...names.map((p) => names.filter((x) => x !== p)), []];
      const props = base.flatMap((p) => fairs.map((fair) => ({ ...p, name: `${p.name}[${fair.join(",")}]`, fair })));
      const variant = { ...def, liveness: props };
      const reduced = checkLiveness(variant, { instances });
      const full = checkLiveness(variant, { instances, symmetry: false });
      expect(reduced.symmetry, name).toBeDefined();
      expect(reduced.properties, name).toEqual(full.properties);
      seen.orbits += reduced.graph === "orbits" ? 1 : 0;
      seen.violated += full.properties.filter((p) => p.verdict === "violated").length;
    }
    // Both kinds of answer are exercised: properties decided on the quotient, and violations that need the full graph.
    expect(seen.violated).toBeGreaterThan(0);
    expect(seen.orbits).toBeGreaterThan(0);
  });
});
