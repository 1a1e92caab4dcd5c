import type { ExprLike } from "./expr.ts";
import type { Located, SpecBase } from "./common.ts";

/** Software access of a field, side effects included (see docs/spec-format.md, "Access and side effects"). */
export type Access = "rw" | "ro" | "wo" | "w1c" | "w1s" | "w0c" | "w0s" | "w1t" | "wc" | "ws" | "rc" | "rs" | "write-once" | "const";
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

/** A register repeated at a stride (element i at base + i × stride). */
export interface RegisterArray {
  count: number;
  /** Index units for an index space, bytes for MMIO offsets. */
  stride: bigint;
  /** The cluster the array came from, when it was one register of a cluster (`CH` of `CH_CTRL`). */
  cluster?: { name: string; register: string };
}

export interface Register extends Layout {
  index?: bigint;
  offset?: bigint;
  access: Access;
  reset?: bigint;
  /** Set when the register is an array; index/offset are element 0's. */
  array?: RegisterArray;
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
