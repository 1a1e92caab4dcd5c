import type { Lookup } from "../elaborate/lookup.ts";
import type { ElabLayout, ElabRegister } from "../elaborate/model.ts";
import type { Register } from "../model/index.ts";
import { closest, formatSuggestions } from "../suggest.ts";
import { elementName } from "./address.ts";

export type Shape = ElabLayout | ElabRegister;

/** A shape found by name; `element` is set when the name picked one element of an array register. */
export interface Found {
  shape: Shape;
  element?: number;
}

/**
 * One way to read a name as an array element: `base` names the array register, and `cluster`
 * is set for the cluster spellings (`CL[2].REG`, `CL2_REG`), which only reach registers that came
 * from that cluster.
 */
export interface ElementReading {
  base: string;
  index: number;
  /** How the reading was spelled: `bracket` (`NAME[i]`, `CL[i].REG`) is explicit, `suffix` (`NAMEi`, `CLi_REG`) a guess. */
  form: "bracket" | "suffix";
  cluster?: { name: string; register: string };
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A decimal suffix index: no leading zeros, so `X01` reads as element 1 of `X0`, never as element 1 of `X`. */
const INDEX = /^(0|[1-9][0-9]*)$/;
const lastSegment = (qualified: string) => qualified.slice(qualified.lastIndexOf(".") + 1);

/**
 * Every reading of `name` as an array element: `NAME[i]` and `CL[i].REG` (bracket forms), `NAMEi`
 * and `CLi_REG` (suffix forms, every split of the digits, since an array's own name may end in
 * digits). Readings are candidates; a resolver decides which name an actual register.
 */
export function elementReadings(name: string): ElementReading[] {
  const out: ElementReading[] = [];
  // An index in brackets is unmistakable, so leading zeros are fine there.
  const idx = (s: string) => (INDEX.test(s) && s.length <= 9 ? Number(s) : undefined);
  const bracketIdx = (s: string) => (s.length <= 9 ? Number(s) : undefined);
  const bracket = /^([^[\]]+)\[([0-9]+)\]$/.exec(name);
  if (bracket && bracketIdx(bracket[2]!) !== undefined) out.push({ base: bracket[1]!, index: bracketIdx(bracket[2]!)!, form: "bracket" });
  const cl = /^([^[\]]+)\[([0-9]+)\]\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(name);
  if (cl && bracketIdx(cl[2]!) !== undefined) {
    out.push({ base: `${cl[1]}_${cl[3]}`, index: bracketIdx(cl[2]!)!, form: "bracket", cluster: { name: lastSegment(cl[1]!), register: cl[3]! } });
  }
  if (name.includes("[")) return out;
  const short = lastSegment(name);
  const prefix = name.slice(0, name.length - short.length);
  for (let i = 1; i < short.length; i++) {
    if (!/[0-9]/.test(short[i]!) || !IDENT.test(short.slice(0, i))) continue;
    for (let j = i + 1; j <= short.length; j++) {
      const digits = short.slice(i, j);
      if (!/^[0-9]+$/.test(digits)) break;
      const n = idx(digits);
      if (n === undefined) continue;
      const stem = short.slice(0, i);
      if (j === short.length) out.push({ base: prefix + stem, index: n, form: "suffix" });
      else if (short[j] === "_" && IDENT.test(short.slice(j + 1))) {
        const reg = short.slice(j + 1);
        out.push({ base: `${prefix}${stem}_${reg}`, index: n, form: "suffix", cluster: { name: stem, register: reg } });
      }
    }
  }
  return out;
}

/** The outcome of resolving an element reading against a set of registers. */
type Resolution = { ok: true; register: Register; index: number } | { ok: false; error: string };

/**
 * Resolves `name` to a register or one element of an array register, over any name table
 * (the whole tree's lookup for the CLI, one spec's registers for diff). An exact name always wins
 * over the element reading: a register literally named `FOO3` beats element 3 of array `FOO`.
 * Returns undefined when no reading names a register at all.
 */
export function resolveElement<R extends Register>(
  name: string,
  byName: (name: string) => R | { ambiguous: string[] } | undefined,
): { register: R; index: number } | { error: string } | undefined {
  const hits: { register: R; index: number; spelled: string }[] = [];
  const problems: string[] = [];
  for (const r of elementReadings(name)) {
    const res = resolveReading(r, byName);
    if (res === undefined) continue;
    if (!res.ok) problems.push(res.error);
    else if (!hits.some((h) => h.register === res.register && h.index === res.index)) hits.push({ register: res.register as R, index: res.index, spelled: elementName(res.register.name, res.index) });
  }
  if (hits.length === 1) return { register: hits[0]!.register, index: hits[0]!.index };
  if (hits.length > 1) return { error: `"${name}" is ambiguous: it names ${hits.map((h) => h.spelled).join(" and ")}` };
  if (problems.length) return { error: problems[0]! };
  return undefined;
}

function resolveReading<R extends Register>(r: ElementReading, byName: (name: string) => R | { ambiguous: string[] } | undefined): Resolution | undefined {
  const reg = byName(r.base);
  if (reg === undefined) return undefined;
  if ("ambiguous" in reg) return { ok: false, error: `"${r.base}" is ambiguous: ${reg.ambiguous.join(", ")}; qualify it` };
  const spelled = r.cluster ? `${r.cluster.name}[${r.index}].${r.cluster.register}` : elementName(r.base, r.index);
  if (!reg.array) {
    // Only an explicit index is worth a message; `NAMEi` next to a plain NAME is usually a typo.
    return r.form === "bracket" && !r.cluster ? { ok: false, error: `${reg.name} is not an array, so "${spelled}" names nothing (use "${r.base}")` } : undefined;
  }
  if (r.cluster) {
    const c = reg.array.cluster;
    if (!c || c.name !== r.cluster.name || c.register !== r.cluster.register) return undefined;
  }
  const { count } = reg.array;
  if (r.index >= count) {
    return { ok: false, error: `"${spelled}" is out of range: ${reg.name} has ${count} element${count === 1 ? "" : "s"}, so the index must be ${count === 1 ? "0" : `0..${count - 1}`}` };
  }
  return { ok: true, register: reg, index: r.index };
}

/** A qualified name, or a short one that names exactly one layout or register; or an element of an array register. */
export function findShape(name: string, lookup: Lookup): Found | { error: string } {
  const exact = exactShape(name, lookup);
  if (exact && "shape" in exact) return { shape: exact.shape };
  if (exact) return { error: `"${name}" is ambiguous: ${exact.ambiguous.join(", ")}` };
  const element = resolveElement(name, (base) => {
    const s = exactShape(base, lookup);
    if (!s) return undefined;
    if ("ambiguous" in s) return s;
    return "access" in s.shape ? (s.shape as ElabRegister) : undefined;
  });
  if (element && "error" in element) return element;
  if (element) return { shape: element.register as ElabRegister, element: element.index };
  const layoutBase = elementReadings(name).find((r) => r.form === "bracket" && !r.cluster && exactShape(r.base, lookup));
  if (layoutBase) return { error: `${layoutBase.base} is a layout, not a register array, so "${name}" names nothing` };
  return { error: `no layout or register named "${name}"${suggestions(name, lookup)}` };
}

function exactShape(name: string, lookup: Lookup): { shape: Shape } | { ambiguous: string[] } | undefined {
  const exact = lookup.registers.get(name) ?? lookup.layouts.get(name);
  if (exact) return { shape: exact };
  const matches = lookup.shortNames.get(name) ?? [];
  if (matches.length === 1) return { shape: (lookup.registers.get(matches[0]!) ?? lookup.layouts.get(matches[0]!))! };
  if (matches.length > 1) return { ambiguous: [...matches].sort() };
  return undefined;
}

/**
 * Near names for a typo. A dotted name is compared with qualified names, a plain one with short
 * names; an element spelling is compared by its array part, and the index is put back on.
 */
function suggestions(name: string, lookup: Lookup): string {
  const readings = elementReadings(name);
  const dotted = (readings.find((r) => r.form === "bracket" && !r.cluster)?.base ?? name.replace(/\[[0-9]+\]\.[A-Za-z0-9_]+$/, "")).includes(".");
  const shapes = dotted ? [...lookup.registers.keys(), ...lookup.layouts.keys()] : [...lookup.shortNames.keys()];
  const arrays = [...lookup.registers.values()].filter((r) => r.array).map((r) => ({ name: dotted ? r.qname : r.name, r }));
  const out: string[] = [];
  for (const r of readings) {
    const pool = arrays.filter((a) => !r.cluster || a.r.array!.cluster);
    for (const base of closest(r.base, pool.map((a) => a.name))) {
      const a = pool.find((x) => x.name === base)!;
      if (r.index >= a.r.array!.count) continue;
      const c = a.r.array!.cluster;
      // A cluster spelling is answered in the same spelling (`CL[1].REG`, `CL1_REG`).
      const cl = c && r.cluster ? base.slice(0, base.length - c.register.length - 1) : undefined;
      if (cl !== undefined) out.push(r.form === "bracket" ? `${cl}[${r.index}].${c!.register}` : `${cl}${r.index}_${c!.register}`);
      else out.push(r.form === "bracket" ? elementName(base, r.index) : `${base}${r.index}`);
    }
  }
  const bracket = readings.find((r) => r.form === "bracket");
  if (!bracket) out.push(...closest(name, shapes));
  else if (!out.length && !bracket.cluster) out.push(...closest(bracket.base, shapes));
  // Spelled in full, the candidates are ranked once more against what was typed, so a far-fetched
  // split of the digits does not crowd out the obvious fix.
  return formatSuggestions(closest(name, out));
}
