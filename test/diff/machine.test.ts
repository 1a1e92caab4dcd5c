import { describe, expect, it } from "vitest";
import { diffModels as diffElaborated } from "../../generator/diff/index.ts";
import { elaborate } from "../../generator/elaborate/index.ts";
import { stateDiagram } from "../../generator/kinds/machine/docs.ts";
import type { MachineSpec, Model } from "../../generator/model/index.ts";

// No machine spec exists under specs/ yet, so these use a hand-built model (the only input diff and docs read).
const loc = { file: "specs/m.json", line: 1, col: 1, pointer: "" };
const expr = (text: string) => ({ text, ast: {} as never, loc });

function machine(mutate: (m: MachineSpec) => void = () => {}): Model {
  const m: MachineSpec = {
    kind: "machine",
    name: "xen.dpci",
    doc: "",
    rel: "xen/dpci.json",
    loc,
    cpus: 2,
    constants: [],
    enums: [],
    vars: [{ name: "state", type: "bits", min: 0, max: 3, bits: ["SCHED", "RUN"], bitLocs: [loc, loc], init: 0, perCpu: false, readonly: false, doc: "", loc }],
    locks: [],
    processes: [
      {
        name: "softirq",
        doc: "",
        context: "softirq",
        instances: 1,
        cpus: [0, 1],
        locals: [],
        loc,
        steps: [
          { label: "s1", doc: "", params: [], guard: expr("state.SCHED"), effects: { text: "set_bit(RUN)", stmts: [], loc }, asserts: [], branches: [], rest: false, loc },
          { label: "s2", doc: "", params: [], asserts: [], branches: [{ cond: expr("state.SCHED"), goto: "s1", loc }], rest: true, loc },
        ],
      },
    ],
    invariants: [],
    ends: [],
    liveness: [],
    functions: [],
  };
  mutate(m);
  return { specs: [m] };
}

const diffModels = (a: Model, b: Model) => diffElaborated(elaborate(a).model, elaborate(b).model);

describe("machine kind in diff and docs", () => {
  it("reports step and variable changes as breaking", () => {
    const r = diffModels(
      machine(),
      machine((m) => {
        m.vars[0]!.init = 1;
        m.processes[0]!.steps[0]!.guard = expr("!state.SCHED");
      }),
    );
    expect(r.changes.map((c) => [c.subject, c.path, c.change, c.severity])).toEqual([
      ["process softirq", "step s1", "guard", "breaking"],
      ["variable state", "", "changed", "breaking"],
    ]);
    expect(diffModels(machine(), machine()).changes).toEqual([]);
  });

  it("draws a state diagram with a node per step and edges for fall-through, branches and rest", () => {
    const d = stateDiagram(machine().specs[0]!.kind === "machine" ? (machine().specs[0] as MachineSpec).processes[0]! : (undefined as never));
    expect(d.nodes.map((n) => n.label)).toEqual(["rest", "s1", "s2"]);
    expect(d.edges.filter((e) => e.label === "state.SCHED")).toHaveLength(1);
    expect(d.edges).toHaveLength(4); // rest→s1, s1→s2, s2→s1 (branch), s2→rest
    for (const e of d.edges) expect(e.d).toMatch(/^[MHV0-9. -]+$/);
  });
});
