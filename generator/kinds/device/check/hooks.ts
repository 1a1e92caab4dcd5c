import type { Diagnostics } from "../../../diagnostics.ts";
import type { ElabDeviceSpec } from "../../../elaborate/model.ts";

/** Hooks named by registers must be declared for the right direction; declared hooks must be used. */
export function checkHooks(spec: ElabDeviceSpec, d: Diagnostics): void {
  const byName = new Map(spec.hooks.map((h) => [h.name, h]));
  const known = spec.hooks.map((h) => h.name).sort();
  const used = new Set<string>();
  const use = (name: string, dir: "read" | "write", reg: string, loc: Parameters<Diagnostics["error"]>[0]) => {
    used.add(name);
    const h = byName.get(name);
    if (!h) d.error(loc, `register ${reg} names unknown hook "${name}"${known.length ? ` (hooks: ${known.join(", ")})` : " (no hooks are declared)"}`);
    else if (h.on !== dir) d.error(loc, `register ${reg} uses hook "${name}" on ${dir}, but the hook is declared "on": "${h.on}"`);
  };
  for (const r of spec.registers) {
    if (r.read.kind === "hook") use(r.read.hook, "read", r.name, r.read.loc);
    if (r.onWrite) use(r.onWrite.hook, "write", r.name, r.onWrite.loc);
  }
  for (const h of spec.hooks) if (!used.has(h.name)) d.error(h.loc, `hook "${h.name}" is declared but no register uses it`);
}
