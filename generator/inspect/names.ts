import type { Lookup } from "../elaborate/lookup.ts";
import type { ElabLayout, ElabRegister } from "../elaborate/model.ts";
import { didYouMean } from "../suggest.ts";

export type Shape = ElabLayout | ElabRegister;

/** A qualified name, or a short one that names exactly one layout or register. */
export function findShape(name: string, lookup: Lookup): { shape: Shape } | { error: string } {
  const exact = lookup.registers.get(name) ?? lookup.layouts.get(name);
  if (exact) return { shape: exact };
  const matches = lookup.shortNames.get(name) ?? [];
  if (matches.length === 1) return { shape: (lookup.registers.get(matches[0]!) ?? lookup.layouts.get(matches[0]!))! };
  if (matches.length > 1) return { error: `"${name}" is ambiguous: ${matches.sort().join(", ")}` };
  // A dotted name is compared with qualified names, a plain one with short names.
  const pool = name.includes(".") ? [...lookup.registers.keys(), ...lookup.layouts.keys()] : [...lookup.shortNames.keys()];
  return { error: `no layout or register named "${name}"${didYouMean(name, pool)}` };
}
