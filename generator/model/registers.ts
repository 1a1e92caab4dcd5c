import type { ExprLike } from "./expr.ts";
import type { Located, SpecBase } from "./common.ts";

export type Access = "ro" | "wo" | "rw" | "w1c" | "rc" | "const";
export type ReservedPolicy = "res0" | "res1" | "ignore";

export interface EnumMember {
  name: string;
  value: bigint;
}

export interface Field extends Located {
  name: string;
  lsb: number;
  width: number;
  access: Access;
  doc: string;
  reset?: bigint;
  /** Fixed value of a const field. */
  constValue?: bigint;
  enum: EnumMember[];
  /** Qualified name of the nested layout, when the field is one. */
  layout?: string;
}

export interface ReservedRange extends Located {
  lsb: number;
  width: number;
  policy: ReservedPolicy;
  doc: string;
}

/** A bit layout: a layout proper, or the shape of a register. Fields sorted by lsb. */
export interface Layout extends Located {
  /** Short name, unique within its spec. */
  name: string;
  /** `<spec name>.<name>`. */
  qname: string;
  spec: string;
  width: number;
  doc: string;
  cName?: string;
  fields: Field[];
  reserved: ReservedRange[];
}

export interface Register extends Layout {
  index?: bigint;
  offset?: bigint;
  access: Access;
  reset?: bigint;
}

export interface Group extends Located {
  name: string;
  qname: string;
  doc: string;
  cName?: string;
  /** Short register names in index order. */
  registers: string[];
  first: bigint;
  last: bigint;
  available: ExprLike;
}

export interface Assert extends Located {
  expr: ExprLike;
  doc: string;
}

export interface RegistersSpec extends SpecBase {
  kind: "registers";
  layouts: Layout[];
  registers: Register[];
  groups: Group[];
  asserts: Assert[];
}
