import type { Group } from "../model/index.ts";
import type { ElabDeviceSpec, ElabEntriesSpec, ElabField, ElabLayout, ElabMachineSpec, ElabModel, ElabRegister, ElabRegistersSpec, ElabShape } from "./model.ts";

/** Name tables over the whole elaborated model, built once per run. */
export interface Lookup {
  /** Every shape by qualified name: layouts, registers, device registers, entry formats. */
  layouts: Map<string, ElabShape>;
  registers: Map<string, ElabRegister>;
  groups: Map<string, Group>;
  /** Short name to qualified names, for the CLI's "unambiguous short name" rule. */
  shortNames: Map<string, string[]>;
}

type Specs = { specs: readonly { kind: string }[] };
export const registersSpecs = (m: Specs) => m.specs.filter((s) => s.kind === "registers") as ElabRegistersSpec[];
export const deviceSpecs = (m: Specs) => m.specs.filter((s) => s.kind === "device") as ElabDeviceSpec[];
export const entriesSpecs = (m: Specs) => m.specs.filter((s) => s.kind === "entries") as ElabEntriesSpec[];
export const machineSpecs = (m: Specs) => m.specs.filter((s) => s.kind === "machine") as ElabMachineSpec[];

export function buildLookup(model: ElabModel): Lookup {
  const layouts = new Map<string, ElabShape>();
  const registers = new Map<string, ElabRegister>();
  const groups = new Map<string, Group>();
  const shortNames = new Map<string, string[]>();
  const addShort = (short: string, q: string) => shortNames.set(short, [...(shortNames.get(short) ?? []), q]);
  // An item an overlay inherits is its base's item: its short name stays the base's (not ambiguous),
  // and the overlay's qualified name reaches it too.
  let inherited: ReadonlySet<string> = new Set();
  const addLayout = (l: ElabLayout) => (layouts.set(l.qname, l), inherited.has(l.name) || addShort(l.name, l.qname));
  const addRegister = (r: ElabRegister) => (registers.set(r.qname, r), inherited.has(r.name) || addShort(r.name, r.qname));
  for (const s of registersSpecs(model)) {
    inherited = s.inherits?.inherited ?? new Set();
    s.layouts.forEach(addLayout);
    s.registers.forEach(addRegister);
    for (const g of s.groups) groups.set(g.qname, g);
  }
  // Entry formats are shapes too, one per level condition (l2e_superpage, ...).
  inherited = new Set();
  for (const s of entriesSpecs(model)) for (const l of s.levels) l.formats.forEach(addLayout);
  // Device registers are registers with an MMIO offset, so layout/decode reach them the same way.
  for (const s of deviceSpecs(model)) {
    inherited = s.inherits?.inherited ?? new Set();
    s.layouts.forEach(addLayout);
    s.registers.forEach(addRegister);
  }
  return { layouts, registers, groups, shortNames };
}

/** A leaf or nested field reached through dotted names, with its absolute lsb. */
export interface FieldPath {
  path: string[];
  field: ElabField;
  lsb: number;
}

/** Follows `a.b.c` through nested layouts; returns the failing segment's message on error. */
export function walkFieldPath(shape: ElabShape, path: string[], lookup: Lookup): FieldPath | { error: string } {
  let current: ElabShape | undefined = shape;
  let base = 0;
  let found: ElabField | undefined;
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
