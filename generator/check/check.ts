import type { Diagnostics } from "../diagnostics.ts";
import type { Front } from "../pipeline.ts";
import { checkRegisters } from "./registers/index.ts";
import { checkDevices } from "./device/index.ts";
import { checkEntries } from "./entries/index.ts";
import { checkMachines } from "./machine/index.ts";

/** Semantic checks over the whole model; each kind contributes its own. */
export function checkModel({ model, lookup }: Front, d: Diagnostics): void {
  checkRegisters(model, lookup, d);
  checkDevices(model, lookup, d);
  checkEntries(model, d);
  checkMachines(model, d);
}
