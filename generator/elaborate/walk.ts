import type { ElabEntriesSpec, EntryMatch } from "./model.ts";
import { vaUpperOf } from "./walk-va.ts";

/**
 * What a page-table walk needs from an entries spec, read from the elaborated model (nothing is
 * derived here): the generated walk descriptor (emit/ts/walk.ts) prints it and `hwspec decode
 * --walk` builds its descriptor from it (inspect/walk.ts), so both walk by the same answers.
 * Conditions are the model's enumerated matches: `(entry & mask)` is one of `values`.
 */
export interface WalkModel {
  spec: string;
  entryWidth: number;
  vaBits: number;
  vaUpper: "sign-extend" | "uniform" | "zero";
  /** Root first (largest VA shift first). */
  levels: WalkModelLevel[];
}

export interface WalkModelLevel {
  name: string;
  vaShift: number;
  indexBits: number;
  entryBytes: number;
  /** The validity test; an entry failing it is not present. */
  valid: EntryMatch;
  formats: WalkModelFormat[];
}

export interface WalkModelFormat {
  name: string;
  role: "table" | "leaf" | "reserved";
  when: EntryMatch;
  address?: { lsb: number; width: number; shift: number };
  res0: bigint;
  /** Bytes a leaf's output address must be aligned to: its page size; 1 for tables and reserved encodings. */
  align: bigint;
  fields: { name: string; lsb: number; width: number }[];
}

/** Every entry matches: the test of a level without a validity test. */
const ALWAYS: EntryMatch = { mask: 0n, values: [0n] };

export function walkModel(spec: ElabEntriesSpec): WalkModel {
  const levels = [...spec.levels].sort((a, b) => a.depth - b.depth);
  const out: WalkModelLevel[] = levels.map((l) => ({
    name: l.name,
    vaShift: l.vaShift,
    indexBits: l.indexBits,
    entryBytes: spec.width / 8,
    valid: l.select?.valid ?? ALWAYS,
    formats: l.formats.map((f) => ({
      name: f.name,
      role: f.walk.role,
      when: f.walk.match,
      ...(f.address ? { address: { lsb: f.address.lsb, width: f.address.width, shift: f.address.shift } } : {}),
      res0: f.walk.faultMask,
      align: f.walk.pageShift !== undefined ? 1n << BigInt(f.walk.pageShift) : 1n,
      fields: f.flat.map((x) => ({ name: x.path.join("."), lsb: x.lsb, width: x.field.width })),
    })),
  }));
  const root = out[0]!;
  const vaBits = root.vaShift + root.indexBits;
  return { spec: spec.name, entryWidth: spec.width, vaBits, vaUpper: vaUpperOf(spec, vaBits), levels: out };
}

/** Whether a match holds for every entry (it names every combination of its bits). */
export function matchesAll(m: EntryMatch): boolean {
  let n = 0;
  for (let x = m.mask; x; x >>= 1n) n += Number(x & 1n);
  return m.values.length === 2 ** n;
}
