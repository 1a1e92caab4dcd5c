import type { Diagnostics, Loc } from "../diagnostics.ts";
import type { ElabLayout } from "../elaborate/model.ts";
import { refusedIn, type TargetLanguage } from "../elaborate/names/reserved-words.ts";

/**
 * Top-level names of one spec become identifiers in every language its kind reaches (`reaches`):
 * each must be distinct from the others ignoring case (C macros are upper-cased). Keywords of
 * those languages are legal: elaboration renames the identifier (`delete_`, `int_`); only names
 * that would reach JavaScript's object machinery as keys are refused.
 */
export function nameClaims(d: Diagnostics, reaches: readonly TargetLanguage[]): (name: string, what: string, loc: Loc, origin?: string) => void {
  const top = new Map<string, string>();
  // `origin` says where a derived name comes from (see clusterOrigin), so a
  // collision with a name the user never wrote is still recognisable.
  return (name, what, loc, origin = "") => {
    const lang = refusedIn(reaches, name);
    const named = `${what} name "${name}"${origin}${origin ? "," : ""}`;
    if (lang) d.error(loc, `${named} is reserved in ${lang}`);
    const key = name.toUpperCase();
    const prior = top.get(key);
    if (prior) d.error(loc, `${named} collides with ${prior} (names must differ ignoring case)`);
    else top.set(key, `${what} "${name}"${origin}`);
  };
}

/** `, which cluster CH makes from its register CTRL` for a register flattened from a cluster, "" otherwise. */
export function clusterOrigin(r: { array?: { cluster?: { name: string; register: string } } }): string {
  const c = r.array?.cluster;
  return c ? `, which cluster ${c.name} makes from its register ${c.register}` : "";
}

/** Field and enum-member names of one layout, under the same rules, plus `raw` taken by every layout. */
export function checkFieldNames(shape: ElabLayout, d: Diagnostics, reaches: readonly TargetLanguage[]): void {
  const seen = new Map<string, string>();
  for (const f of shape.fields) {
    const lang = refusedIn(reaches, f.name);
    if (lang) d.error(f.loc, `field name "${f.name}" is reserved in ${lang}`);
    if (f.name === "raw") d.error(f.loc, `field name "raw" is taken by the raw value of every layout`);
    const key = f.name.toUpperCase();
    const prior = seen.get(key);
    if (prior) d.error(f.loc, `field "${f.name}" collides with field "${prior}" in ${shape.name} (names must differ ignoring case)`);
    else seen.set(key, f.name);
    for (const e of f.enum) {
      const el = refusedIn(reaches, e.name);
      if (el) d.error(f.loc, `enum member "${e.name}" of field "${f.name}" is reserved in ${el}`);
    }
  }
}
