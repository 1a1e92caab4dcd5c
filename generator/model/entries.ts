import type { ExprLike } from "./expr.ts";
import type { Located, SpecBase } from "./common.ts";
import type { Layout } from "./registers.ts";

/** The entries specs of a model (a structural filter so this module needs no runtime imports). */
export function entriesSpecs(model: { specs: readonly { kind: string }[] }): EntriesSpec[] {
  return model.specs.filter((s) => s.kind === "entries") as unknown as EntriesSpec[];
}

/** A named constant; `value` is filled in by the checker once every expression is known good. */
export interface EntryConstant extends Located {
  name: string;
  doc: string;
  /** A literal value, or an expression over earlier constants. */
  literal?: bigint;
  expr?: ExprLike;
  /** Bits the value must fit in, when the spec says so. */
  width?: number;
}

/** Flags bits [flagsLsb, flagsLsb + width) are entry bits [entryLsb, entryLsb + width). */
export interface PackingSegment extends Located {
  flagsLsb: number;
  entryLsb: number;
  width: number;
  doc: string;
}

export interface Flag extends Located {
  name: string;
  /** Bit in the flags word. */
  bit: number;
  /** Field name formats use for the flag. */
  field: string;
  doc: string;
}

export interface FlagsWord extends Located {
  width: number;
  doc: string;
  packing: PackingSegment[];
  flags: Flag[];
}

export interface FlagSet extends Located {
  name: string;
  doc: string;
  /** Member names as written (flags or earlier flag sets). */
  members: { name: string; loc: Located["loc"] }[];
}

/** What a walk does with a valid entry of a format (docs/entries.md). */
export type EntryRole = "table" | "leaf" | "reserved";

/**
 * The output-address field of a format: entry bits [lsb, lsb + width) hold a value v and the
 * address is v << shift. `holds` is what the spec stated, if anything ("address": bits in place,
 * "frame": a frame number of a 2^shift granule); the elaborated model answers `inPlace`.
 */
export interface EntryAddress {
  field: string;
  lsb: number;
  width: number;
  shift: number;
  holds?: "address" | "frame";
  /** Whether the spec wrote `shift` (it defaults to lsb). */
  shiftGiven: boolean;
  loc: Located["loc"];
}

/** One entry format: a Layout (so `layout`/`decode` work on it) plus the condition that selects it. */
export interface EntryFormat extends Layout {
  level: string;
  when: ExprLike;
  /** The role the spec states (`role`); the elaborated model fills in the default (`walk.role`). */
  statedRole?: EntryRole;
  /** The output-address field; a reserved encoding may have none. */
  address?: EntryAddress;
  /** Flag names this format has as fields, in spec order. */
  flagNames: string[];
}

export interface EntryLevel extends Located {
  /** As the spec names it ("L1", "L0", "pgd"); the walk order comes from the shift, not the name. */
  name: string;
  doc: string;
  shift: ExprLike;
  entries: ExprLike;
  /** Entry bits of lNe_get_pfn / lNe_from_pfn, when the spec gives them. */
  frame?: { lsb: number; width: number };
  /** This level's own validity test, when it has one. */
  valid?: ExprLike;
  formats: EntryFormat[];
}

export interface Conversion extends Located {
  name: string;
  param: string;
  expr: ExprLike;
  doc: string;
}

export interface EntryAssert extends Located {
  expr: ExprLike;
  doc: string;
}

export interface EntriesSpec extends SpecBase {
  kind: "entries";
  /** Entry width in bits. */
  width: number;
  constants: EntryConstant[];
  /** The flags word, when the spec has one (x86); Arm and RISC-V have none. */
  flags?: FlagsWord;
  /** Validity test of every level without its own. */
  valid?: ExprLike;
  /** What the VA bits above the translated ones must hold, when the spec says (docs/entries.md). */
  vaUpper?: "sign-extend" | "uniform" | "zero";
  flagSets: FlagSet[];
  /** In spec order; the elaborated model sorts them by virtual-address shift. */
  levels: EntryLevel[];
  conversions: Conversion[];
  asserts: EntryAssert[];
}
