/**
 * Partial-order reduction (and with symmetry, `all`) against the unreduced search on every shipped
 * machine and fixture: the same violations (kind and name), deadlocks and end conditions included,
 * never more states, and every trace it finds replays on the interpreter (valid runs, though not
 * necessarily shortest ones). The per-CPU fixture has local steps with no interrupt left to take
 * the CPU, so the reduction must actually remove states there.
 */
import { describe, expect, it } from "vitest";
import { machinesOf, machineTrees } from "../helpers/machines.ts";
import { explore, type ExploreResult } from "../../runtime/fsm/explorer.ts";
import { replayTrace } from "../../runtime/fsm/replay.ts";


const verdicts = (r: ExploreResult) => r.violations.map((v) => `${v.kind}:${v.name}`).sort();

describe("partial-order reduction keeps every verdict", () => {
  it("on every shipped machine and fixture, alone and with symmetry", async () => {
    const defs = (await Promise.all(machineTrees.map(machinesOf))).flat();
    expect(defs.length).toBeGreaterThan(8);
    const smaller: string[] = [];
    for (const def of defs) {
      const multi = def.processes.filter((p) => !p.events && p.cpus.length > 1);
      const counts: Record<string, number>[] = [{}];
      if (multi.length) counts.push(Object.fromEntries(multi.map((p) => [p.name, 2 * p.cpus.length])));
      for (const instances of counts) {
        const what = `${def.name} ${JSON.stringify(instances)}`;
        const none = explore(def, { instances, reduce: "none" });
        for (const reduce of ["por", "all"] as const) {
          const r = explore(def, { instances, reduce });
          expect(r.complete, `${what} ${reduce}`).toBe(true);
          expect(verdicts(r), `${what} ${reduce}`).toEqual(verdicts(none));
          expect(r.states, `${what} ${reduce}`).toBeLessThanOrEqual(none.states);
          expect(r.por, `${what} ${reduce}`).toBeDefined();
          for (const v of r.violations) {
            expect(() => replayTrace(def, v, r.instances), `${what} ${reduce} ${v.kind}:${v.name}`).not.toThrow();
          }
        }
        const por = explore(def, { instances, reduce: "por" });
        if (por.states < none.states) smaller.push(what);
      }
    }
    expect(smaller).toContain('fixture.percpu_race {"irq":6,"worker":6}');
  });
});
