import { entriesSpecs } from "./entries.ts";
import type { DeviceSpec, Field, Group, Layout, Model, Register, RegistersSpec } from "./index.ts";

/** Name tables over the whole model, built once per run. */
export interface Lookup {
  layouts: Map<string, Layout>;
  registers: Map<string, Register>;
  groups: Map<string, Group>;
  /** Short name to qualified names, for the CLI's "unambiguous short name" rule. */
  shortNames: Map<string, string[]>;
}

export function registersSpecs(model: Model): RegistersSpec[] {
  return model.specs.filter((s): s is RegistersSpec => s.kind === "registers");
}

export function buildLookup(model: Model): Lookup {
  const layouts = new Map<string, Layout>();
  const registers = new Map<string, Register>();
  const groups = new Map<string, Group>();
  const shortNames = new Map<string, string[]>();
  const addShort = (short: string, q: string) => shortNames.set(short, [...(shortNames.get(short) ?? []), q]);
  for (const s of registersSpecs(model)) {
    for (const l of s.layouts) (layouts.set(l.qname, l), addShort(l.name, l.qname));
    for (const r of s.registers) (registers.set(r.qname, r), addShort(r.name, r.qname));
    for (const g of s.groups) groups.set(g.qname, g);
  }
  // Entry formats of entries specs are Layouts, one per level condition (l2e_superpage, ...).
  for (const s of entriesSpecs(model)) for (const l of s.levels) for (const f of l.formats) (layouts.set(f.qname, f), addShort(f.name, f.qname));
  // Device registers are Registers (with an MMIO offset), so layout/decode reach them the same way.
  for (const s of model.specs.filter((x): x is DeviceSpec => x.kind === "device")) {
    for (const l of s.layouts) (layouts.set(l.qname, l), addShort(l.name, l.qname));
    for (const r of s.registers) (registers.set(r.qname, r), addShort(r.name, r.qname));
  }
  return { layouts, registers, groups, shortNames };
}

/** A leaf or nested field reached through dotted names, with its absolute lsb. */
export interface FieldPath {
  path: string[];
  field: Field;
  lsb: number;
}

/** Follows `a.b.c` through nested layouts; returns the failing segment's message on error. */
export function walkFieldPath(
  shape: Layout,
  path: string[],
  lookup: Lookup,
): FieldPath | { error: string } {
  let current: Layout | undefined = shape;
  let base = 0;
  let found: Field | undefined;
  for (let i = 0; i < path.length; i++) {
    if (!current) return { error: `field "${path[i - 1]}" has no nested fields, so "${path[i]}" cannot follow it` };
    const name = path[i]!;
    found = current.fields.find((f) => f.name === name);
    if (!found) return { error: `unknown field "${name}" in ${current.name}` };
    base += found.lsb;
    current = found.layout ? lookup.layouts.get(found.layout) : undefined;
  }
  return { path, field: found!, lsb: base };
}

/** Every field of a shape, depth first, with dotted paths and absolute bit positions. */
export function flattenFields(shape: Layout, lookup: Lookup, prefix: string[] = [], base = 0): FieldPath[] {
  const out: FieldPath[] = [];
  for (const f of shape.fields) {
    const path = [...prefix, f.name];
    out.push({ path, field: f, lsb: base + f.lsb });
    const nested = f.layout ? lookup.layouts.get(f.layout) : undefined;
    if (nested && prefix.length < 8) out.push(...flattenFields(nested, lookup, path, base + f.lsb));
  }
  return out;
}
