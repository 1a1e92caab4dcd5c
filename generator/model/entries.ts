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

/** One entry format: a Layout (so `layout`/`decode` work on it) plus the condition that selects it. */
export interface EntryFormat extends Layout {
  level: string;
  when: ExprLike;
  /** The address field: its name, bits and alignment shift. */
  address: { field: string; lsb: number; width: number; shift: number; loc: Located["loc"] };
  /** Flag names this format has as fields, in spec order. */
  flagNames: string[];
}

export interface EntryLevel extends Located {
  /** "L1".."L4". */
  name: string;
  /** 1..9. */
  number: number;
  doc: string;
  shift: ExprLike;
  entries: ExprLike;
  frame: { lsb: number; width: number };
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
  flags: FlagsWord;
  flagSets: FlagSet[];
  /** Sorted by level number. */
  levels: EntryLevel[];
  conversions: Conversion[];
  asserts: EntryAssert[];
}
