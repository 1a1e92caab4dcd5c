/**
 * The store-based explorer against the reference explorer (test/fsm/reference-explorer.ts: states
 * as arrays, a Map of strings), on every machine in specs/ and every fixture: same verdicts, state
 * and transition counts, unreached steps and shortest traces, complete or cut by --max-states.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { machinesOf, machineTrees, ROOT } from "../helpers/machines.ts";
import { explore, type ExploreResult } from "../../runtime/fsm/explorer.ts";
import { referenceExplore } from "./reference-explorer.ts";


const comparable = (r: ExploreResult) => {
  const { storeBytes, stateWords, stopped, reduce, symmetry, ...rest } = r;
  expect(reduce).toBe("none");
  expect(symmetry).toBeUndefined();
  expect(storeBytes).toBeGreaterThan(0);
  expect(stateWords).toBeGreaterThan(0);
  return rest;
};

describe("the packed explorer agrees with the reference explorer", () => {
  it.each(machineTrees.map((t) => [t.slice(ROOT.length + 1)]))("every machine of %s", async (rel) => {
    const defs = await machinesOf(join(ROOT, rel));
    expect(defs.length).toBeGreaterThan(0);
    for (const def of defs) {
      const counts: Record<string, number>[] = [{}];
      // More instances where a process runs on several CPUs: the CPU rule and per-CPU slots matter.
      const multi = def.processes.filter((p) => !p.events && p.instances > 1);
      if (multi.length) counts.push(Object.fromEntries(multi.map((p) => [p.name, p.instances + 1])));
      for (const instances of counts) {
        const ours = explore(def, { instances, reduce: "none" });
        const ref = referenceExplore(def, { instances });
        expect(comparable(ours), `${def.name} ${JSON.stringify(instances)}`).toEqual(ref);
        expect(ours.complete).toBe(true);
        // Cut short, both store the same first states and report what they saw in them.
        const max = Math.max(1, Math.floor(ref.states / 3));
        const cut = explore(def, { instances, maxStates: max, reduce: "none" });
        expect(comparable(cut)).toEqual(referenceExplore(def, { instances, maxStates: max }));
        if (max < ref.states) expect(cut).toMatchObject({ complete: false, stopped: "max-states", states: max });
      }
    }
  });
});

describe("memory bound", () => {
  it("stops storing at maxBytes with stopped: max-memory, never above the bound", async () => {
    const { machine } = await import("../../generated/ts/xen/dpci-softirq-fixed.ts");
    const full = explore(machine, { instances: { irq: 4, softirq: 4 }, reduce: "none" });
    const maxBytes = Math.floor(full.storeBytes / 2);
    const cut = explore(machine, { instances: { irq: 4, softirq: 4 }, maxBytes, reduce: "none" });
    expect(cut).toMatchObject({ complete: false, stopped: "max-memory", violations: [] });
    expect(cut.states).toBeGreaterThan(0);
    expect(cut.states).toBeLessThan(full.states);
    expect(cut.storeBytes).toBeLessThanOrEqual(maxBytes);
    // The states it stored are the reference's first ones: a state bound at that count agrees.
    expect(comparable(cut)).toEqual({ ...referenceExplore(machine, { instances: { irq: 4, softirq: 4 }, maxStates: cut.states }) });
  });
});
