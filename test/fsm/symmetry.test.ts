/**
 * Symmetry reduction against the unreduced search, on every shipped machine and fixture that
 * declares a symmetry, with the declared instance counts and with more instances than CPUs (so
 * instances on one CPU are permuted too): same verdicts, same shortest-trace lengths, same
 * unreached steps, never more states, and the orbit sizes of the stored states add up to the
 * unreduced state count. Every counterexample found through representatives replays on the
 * interpreter. Declarations a machine breaks are located errors from check.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, machinesOf, machineTrees } from "../helpers/machines.ts";
import { explore, type ExploreResult } from "../../runtime/fsm/explorer.ts";
import { FsmError } from "../../runtime/fsm/machine.ts";
import { replayTrace } from "../../runtime/fsm/replay.ts";
import { runCli } from "../helpers/cli.ts";
import { frontOf } from "../helpers/project.ts";


const verdicts = (r: ExploreResult) => r.violations.map((v) => `${v.kind}:${v.name}:${v.trace.length}`).sort();

describe("symmetry reduction agrees with the unreduced search", () => {
  it("on every shipped machine and fixture that declares a symmetry", async () => {
    const defs = (await Promise.all(machineTrees.map(machinesOf))).flat().filter((d) => d.symmetry);
    // The dpci machines (instances on one CPU) and the per-CPU fixture (CPUs too).
    expect(defs.map((d) => d.name)).toEqual(expect.arrayContaining(["xen.dpci_softirq", "xen.dpci_softirq_fixed", "fixture.percpu_race"]));
    let reduced = 0;
    for (const def of defs) {
      // Twice as many instances as CPUs where a process runs on several CPUs.
      const multi = def.processes.filter((p) => !p.events && p.cpus.length > 1);
      for (const instances of [{}, Object.fromEntries(multi.map((p) => [p.name, 2 * p.cpus.length]))]) {
        const what = `${def.name} ${JSON.stringify(instances)}`;
        const none = explore(def, { instances, reduce: "none" });
        const sym = explore(def, { instances });
        expect(sym.reduce, what).toBe("symmetry");
        expect(none.complete && sym.complete, what).toBe(true);
        expect(verdicts(sym), what).toEqual(verdicts(none));
        expect(sym.unreached, what).toEqual(none.unreached);
        expect(sym.states, what).toBeLessThanOrEqual(none.states);
        expect(sym.symmetry?.represented, what).toBe(none.states);
        if (sym.states < none.states) reduced++;
        for (const v of sym.violations) {
          // Shortest traces through representatives are concrete runs the interpreter accepts.
          const r = replayTrace(def, v, sym.instances);
          expect(r.steps.map((s) => s.step), `${what} ${v.kind}:${v.name}`).toEqual(v.trace.map((s) => s.step));
        }
      }
    }
    expect(reduced).toBeGreaterThanOrEqual(defs.length);
  });

  it("finds the per-CPU race through permuted CPUs and holders of the lock, and the trace replays", async () => {
    const [def] = await machinesOf(join(FIXTURES, "percpu-race/specs"));
    for (const instances of [{}, { irq: 6, worker: 6 }] as Record<string, number>[]) {
      const sym = explore(def!, { instances });
      expect(sym.symmetry!.groups).toContain("CPUs 0, 1, 2");
      expect(sym.violations.map((v) => v.kind + ":" + v.name)).toEqual(["end:all_counted"]);
      const trace = sym.violations[0]!.trace;
      // Several workers and CPUs take part, so the concrete run is not the representatives' path.
      expect(new Set(trace.map((t) => t.cpu)).size).toBeGreaterThan(1);
      expect(trace.some((t) => "total_lock" in t.changes)).toBe(true);
      expect(() => replayTrace(def!, sym.violations[0]!, sym.instances)).not.toThrow();
    }
  });

  it("refuses instance counts that make the declared CPUs differ", async () => {
    const [def] = await machinesOf(join(FIXTURES, "percpu-race/specs"));
    expect(() => explore(def!, { instances: { irq: 4 } })).toThrow(FsmError);
    expect(() => explore(def!, { instances: { irq: 4 } })).toThrow(/CPUs 0, 1, 2 interchangeable, but 4 instances of irq put 2, 1, 1 on them/);
    // Without the reduction the same counts are a plain search.
    expect(explore(def!, { instances: { irq: 4 }, reduce: "none" }).complete).toBe(true);
  });
});

/** A two-CPU machine with a CPU symmetry; `guard` is the guard of its one step, `extra` more processes. */
function spec(guard: string, extra = "", symmetry = `{ "processes": ["p"], "cpus": [0, 1] }`): string {
  return `{
  "$schema": "../schema/machine.schema.json",
  "kind": "machine",
  "name": "t.m",
  "doc": "d",
  "cpus": 2,
  "vars": { "x": { "type": "int", "max": 3 }, "q": { "type": "bool", "per_cpu": true } },
  "processes": { "p": { "instances": 2, "cpus": [0, 1], "steps": [
    { "label": "a", "guard": "${guard}", "effects": "q = true" }
  ] }${extra} },
  "symmetry": ${symmetry}
}`;
}

function errors(text: string): string[] {
  const r = frontOf({ "m.json": text });
  return r.ok ? [] : r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message} [${d.pointer}]`);
}

describe("check refuses a symmetry the machine breaks", () => {
  it("accepts a machine that treats its CPUs alike", () => {
    expect(errors(spec("x < 3 && !q"))).toEqual([]);
  });
  it("a step that uses this_cpu as a value", () => {
    expect(errors(spec("this_cpu == 0"))).toEqual([
      "specs/m.json:9:31: step p.a uses this_cpu as a value, which breaks the symmetry of CPUs 0, 1 (symmetry.cpus) [/processes/p/steps/0/guard]",
    ]);
  });
  it("a process that runs on some of the CPUs only", () => {
    expect(errors(spec("!q", `, "b": { "cpus": [0], "steps": [{ "label": "c", "effects": "x = 1" }] }`))).toEqual([
      "specs/m.json:11:45: symmetry swaps CPUs 0, 1, but process b runs on CPU 0 and not on CPU 1, so they are not interchangeable [/symmetry/cpus]",
    ]);
  });
  it("a process whose instances are spread unevenly", () => {
    expect(errors(spec("!q", `, "b": { "instances": 3, "cpus": [0, 1], "steps": [{ "label": "c", "effects": "x = 1" }] }`))).toEqual([
      "specs/m.json:11:45: symmetry swaps CPUs 0, 1, but process b's 3 instances put 2, 1 on them [/symmetry/cpus]",
    ]);
  });
  it("unknown processes and CPUs the machine does not have", () => {
    expect(errors(spec("!q", "", `{ "processes": ["pp"], "cpus": [0, 2] }`))).toEqual([
      'specs/m.json:11:31: symmetry names unknown process "pp" (did you mean "p"?) [/symmetry/processes/0]',
      "specs/m.json:11:46: symmetry lists CPU 2 but the machine has 2 CPUs [/symmetry/cpus]",
    ]);
  });
});

describe("hwspec explore --reduce", () => {
  const M = ["--specs", "test/fixtures/machines/percpu-race/specs", "explore", "fixture.percpu_race"];
  it("reports the reduction in --json and as text, and refuses unknown modes", async () => {
    const sym = await runCli([...M, "--json"]);
    const none = await runCli([...M, "--json", "--reduce", "none"]);
    expect(sym.code).toBe(1);
    expect(none.code).toBe(1);
    const a = JSON.parse(sym.stdout) as { states: number; reduce: string; symmetry: { represented: number; groups: string[] } };
    const b = JSON.parse(none.stdout) as { states: number; reduce: string; symmetry?: unknown };
    expect(a.reduce).toBe("symmetry");
    expect(b).toMatchObject({ reduce: "none" });
    expect(b.symmetry).toBeUndefined();
    expect(a.symmetry.represented).toBe(b.states);
    expect(a.states).toBeLessThan(b.states);
    const text = await runCli(M);
    expect(text.stdout).toContain(`the ${a.states} stored states stand for ${b.states}`);
    const bad = await runCli([...M, "--reduce", "fast"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--reduce must be one of none, symmetry/);
  });
});
