import type { Diagnostics, Loc } from "../../diagnostics.ts";
import type { ElabMachineSpec } from "../model.ts";
import { reservedIn } from "./reserved-words.ts";
import { IdentifierScope } from "./scope.ts";

/**
 * Promela identifiers of a machine. Every spec name reaches Promela behind a prefix (`v_len`,
 * `k_chan`, `l_proc_0_xs`, `p_proc_0`), so a Promela keyword or predefined name (`len`, `chan`,
 * `xs`, `priority`, `enabled`) is a valid machine name, and no spec name can meet one of the
 * model's own identifiers (`pc`, `watchdog`, the INVARIANTS/ENDS/ALL_REST/RANGES macros).
 * Constants, enum members and parameters are written as numbers; step labels only in comments.
 */
export const promelaNames = {
  variable: (name: string) => `v_${name}`,
  lock: (name: string) => `k_${name}`,
  local: (proc: string, instance: number, name: string) => `l_${proc}_${instance}_${name}`,
  proctype: (proc: string, instance: number) => `p_${proc}_${instance}`,
  /** spin treats a label starting with `end` as a valid end state: the loop of each instance. */
  endLabel: (proc: string, instance: number) => `end_${proc}_${instance}`,
};

/** Identifiers the model declares itself. */
const PROMELA_OWN = ["pc", "watchdog", "end_watchdog", "INVARIANTS", "ENDS", "ALL_REST", "RANGES"];

/**
 * Claims every Promela identifier of a machine with its declared instance counts. Prefixes keep
 * spec names apart from keywords and from the model's own names; what is left is a spelling two
 * names share through underscores (process `a_0_` instance 1 and process `a` instance 0 local
 * `_1_x` both give `l_a_0__1_x`), a located error.
 */
export function checkPromelaNames(spec: ElabMachineSpec, d: Diagnostics): void {
  const scope = new IdentifierScope("Promela", d);
  scope.reserve(PROMELA_OWN, "the Promela model itself");
  const claim = (id: string, what: string, loc: Loc) => {
    if (reservedIn("Promela", id)) throw new Error(`internal: Promela identifier ${id} is a Promela keyword`);
    scope.claim(id, what, loc);
  };
  for (const v of spec.vars) claim(promelaNames.variable(v.name), `variable "${v.name}"`, v.loc);
  for (const l of spec.locks) claim(promelaNames.lock(l.name), `lock "${l.name}"`, l.loc);
  for (const p of spec.processes) {
    for (let i = 0; i < p.instances; i++) {
      claim(promelaNames.proctype(p.name, i), `instance ${i} of process "${p.name}"`, p.loc);
      claim(promelaNames.endLabel(p.name, i), `instance ${i} of process "${p.name}"`, p.loc);
      for (const l of p.locals) claim(promelaNames.local(p.name, i, l.name), `local "${l.name}" of instance ${i} of process "${p.name}"`, l.loc);
    }
  }
}
