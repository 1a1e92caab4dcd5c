import { lowerMachine } from "../../elaborate/machine/lower.ts";
import type { ElabMachineSpec } from "../../elaborate/model.ts";
import type { MachineSpec } from "../../model/index.ts";
import type { KindPlugin } from "../plugin.ts";
import { checkMachines } from "./check.ts";
import { diffMachine } from "./diff.ts";
import { machinePage } from "./docs.ts";
import { resolveMachineSpec } from "./resolve.ts";

/** Concurrent state machines: shared variables, processes of atomic steps, invariants. */
export const machineKind: KindPlugin<MachineSpec, ElabMachineSpec> = {
  kind: "machine",
  schema: "machine.schema.json",
  reaches: ["TypeScript", "Promela", "Mermaid", "DOT"],
  resolve: resolveMachineSpec,
  elaborate: (s) => ({ ...s, lowered: lowerMachine(s) }),
  check: (model, _lookup, d) => checkMachines(model, d),
  diff: diffMachine,
  docsPage: machinePage,
};
