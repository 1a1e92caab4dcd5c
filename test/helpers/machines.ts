import { readdirSync } from "node:fs";
import { join } from "node:path";
import { findMachine, loadMachineDef } from "../../generator/cli/machines.ts";
import { Diagnostics } from "../../generator/diagnostics.ts";
import { machineSpecs } from "../../generator/elaborate/lookup.ts";
import { loadTree } from "../../generator/load/tree.ts";
import { runFront } from "../../generator/pipeline.ts";
import type { MachineDef } from "../../generated/ts/fsm.ts";

export const ROOT = join(import.meta.dirname, "../..");
export const FIXTURES = join(ROOT, "test/fixtures/machines");

/** The shipped spec tree and every machine fixture's tree: where the searches are compared. */
export const machineTrees = [join(ROOT, "specs"), ...readdirSync(FIXTURES).map((d) => join(FIXTURES, d, "specs"))];

/** Every machine of a spec tree, loaded as generate would emit it. */
export async function machinesOf(dir: string): Promise<MachineDef[]> {
  const d = new Diagnostics();
  const fr = runFront(loadTree(dir, d), d);
  if (!fr.ok) throw new Error(`${dir} does not check: ${fr.diagnostics[0]?.message}`);
  const out: MachineDef[] = [];
  for (const s of machineSpecs(fr.front.model)) {
    const spec = findMachine(fr.front.model, s.name);
    if ("error" in spec) throw new Error(spec.error);
    out.push(await loadMachineDef(spec));
  }
  return out;
}
