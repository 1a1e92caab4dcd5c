import type { Lookup } from "../elaborate/lookup.ts";
import type { ElabLayout, ElabRegister } from "../elaborate/model.ts";

export type Shape = ElabLayout | ElabRegister;

/** A qualified name, or a short one that names exactly one layout or register. */
export function findShape(name: string, lookup: Lookup): { shape: Shape } | { error: string } {
  const exact = lookup.registers.get(name) ?? lookup.layouts.get(name);
  if (exact) return { shape: exact };
  const matches = lookup.shortNames.get(name) ?? [];
  if (matches.length === 1) return { shape: (lookup.registers.get(matches[0]!) ?? lookup.layouts.get(matches[0]!))! };
  if (matches.length > 1) return { error: `"${name}" is ambiguous: ${matches.sort().join(", ")}` };
  const all = [...lookup.shortNames.keys()];
  const lower = name.toLowerCase();
  const close = all.filter((n) => n.toLowerCase().includes(lower) || lower.includes(n.toLowerCase())).sort().slice(0, 5);
  return { error: `no layout or register named "${name}"${close.length ? ` (did you mean ${close.join(", ")}?)` : ""}` };
}
