import type { Diagnostics } from "../../../diagnostics.ts";
import type { ElabDeviceSpec } from "../../../elaborate/model.ts";
import { didYouMean } from "../../../suggest.ts";

/**
 * An alias reads and writes another register's storage through its own fields, so the target
 * must be a stored register of the same shape size and array length, and the alias must not
 * claim a value of its own.
 */
export function checkAliases(spec: ElabDeviceSpec, d: Diagnostics): void {
  const byName = new Map(spec.registers.map((r) => [r.name, r]));
  for (const r of spec.registers) {
    if (!r.aliasOf) continue;
    const at = r.aliasOf.loc;
    const t = byName.get(r.aliasOf.name);
    if (!t) {
      d.error(at, `register ${r.name} is an alias of unknown register "${r.aliasOf.name}"${didYouMean(r.aliasOf.name, [...byName.keys()])}`);
      continue;
    }
    if (t === r) d.error(at, `register ${r.name} cannot be an alias of itself`);
    else if (t.aliasOf) d.error(at, `register ${r.name} is an alias of ${t.name}, which is itself an alias of ${t.aliasOf.name}; name ${t.aliasOf.name} directly`);
    else if (!t.stored) d.error(at, `register ${r.name} is an alias of ${t.name}, which has no stored value (its reads are derived or hooked, or it is write-only)`);
    if (t.width !== r.width) d.error(at, `register ${r.name} (${r.width} bits) is an alias of ${t.name} (${t.width} bits); an alias has its target's width`);
    if ((t.array?.count ?? 0) !== (r.array?.count ?? 0)) {
      const n = (x: typeof r) => (x.array ? `an array of ${x.array.count}` : "not an array");
      d.error(at, `register ${r.name} is ${n(r)} but its alias target ${t.name} is ${n(t)}; element i of an alias reaches element i of its target`);
    }
    if (r.read.kind === "value" || r.read.kind === "hook") d.error(at, `register ${r.name} is an alias, so its reads come from ${t.name}'s storage; drop its ${r.read.kind === "value" ? '"value"' : '"onRead"'}`);
    if (r.reset !== undefined) d.error(at, `register ${r.name} is an alias and has no storage to reset; give the reset value to ${t.name}`);
  }
}
