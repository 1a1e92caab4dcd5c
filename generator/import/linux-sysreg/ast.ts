/**
 * The sysreg file as parsed: blocks and their items, each with the line it was written on.
 * The format is Linux's arch/arm64/tools/sysreg, read as gen-sysreg.awk reads it (docs/importers.md).
 */

export interface Bits {
  msb: number;
  lsb: number;
}

/** `Res0`, `Res1`, `Unkn` or `Raz` over a bit range. */
export interface ReservedItem extends Bits {
  kind: "Res0" | "Res1" | "Unkn" | "Raz";
  line: number;
  comment: string[];
}

export interface FieldItem extends Bits {
  kind: "Field";
  name: string;
  line: number;
  comment: string[];
}

export interface EnumValue {
  /** As written (`0b0001`), so the spec keeps the source's spelling. */
  text: string;
  value: bigint;
  name: string;
  line: number;
  comment: string[];
}

/** `Enum`, `SignedEnum` or `UnsignedEnum` with its values up to `EndEnum`. */
export interface EnumItem extends Bits {
  kind: "Enum";
  /** SignedEnum: true, UnsignedEnum: false, Enum: undefined (Linux then defines no `_SIGNED` macro). */
  signed?: boolean;
  name: string;
  line: number;
  comment: string[];
  values: EnumValue[];
}

export type Item = ReservedItem | FieldItem | EnumItem;

export interface Encoding {
  op0: number;
  op1: number;
  crn: number;
  crm: number;
  op2: number;
}

/** `Fields <set>` (a SysregFields block) or `Mapping <register>` (older files: another Sysreg's layout). */
export interface LayoutRef {
  kind: "Fields" | "Mapping";
  name: string;
  line: number;
  col: number;
}

export interface SysregBlock {
  kind: "Sysreg";
  name: string;
  encoding: Encoding;
  line: number;
  comment: string[];
  items: Item[];
  uses?: LayoutRef;
}

export interface FieldsBlock {
  kind: "SysregFields";
  name: string;
  line: number;
  comment: string[];
  items: Item[];
}

export type Block = SysregBlock | FieldsBlock;

export interface SysregFile {
  /** How the file is named in `source` strings and messages (`arch/arm64/tools/sysreg`). */
  source: string;
  blocks: Block[];
}

/** A located problem in the sysreg file: `file:line:col: message`. */
export interface SysregProblem {
  line: number;
  col: number;
  message: string;
}
