import type { ExprLike } from "./expr.ts";
import type { Instance, Located, SpecBase } from "./common.ts";

/** Software access of a field, side effects included (see docs/spec-format.md, "Access and side effects"). */
export type Access = "rw" | "ro" | "wo" | "w1c" | "w1s" | "w0c" | "w0s" | "w1t" | "wc" | "ws" | "rc" | "rs" | "write-once" | "const";
export type ReservedPolicy = "res0" | "res1" | "ignore";

export interface EnumMember {
  name: string;
  value: bigint;
  doc?: string;
  /** Where the member comes from (`arch/arm64/tools/sysreg:120`). */
  source?: string;
  /** Its key in the spec, for diagnostics about one member. */
  loc?: Located["loc"];
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
  /** Two's complement (true), explicitly unsigned (false), or not said. */
  signed?: boolean;
  /** Where the field comes from (`arch/arm64/tools/sysreg:123`, a manual section). */
  source?: string;
}

export interface ReservedRange extends Located {
  lsb: number;
  width: number;
  policy: ReservedPolicy;
  /** Entries only: false when a set res0 range is not a walk fault (the architecture ignores it). */
  fault?: boolean;
  doc: string;
  source?: string;
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
  /** Where the layout or register comes from (`arch/arm64/tools/sysreg:1945`). */
  source?: string;
}

/** A register repeated at a stride (element i at base + i × stride); `loc` is where the repetition is written (the stride, else the count; the cluster's for a cluster's registers). */
export interface RegisterArray extends Located {
  count: number;
  /** Index units for an index space, bytes for MMIO offsets. */
  stride: bigint;
  /** The cluster the array came from, when it was one register of a cluster (`CH` of `CH_CTRL`). */
  cluster?: { name: string; register: string };
}

/** The address space a register lives in; a `registers` spec has one, a device is always `mmio`. */
export type IndexSpace = "msr" | "csr" | "sysreg" | "port" | "mmio";

/** An AArch64 system-register encoding, as MRS/MSR and the ARM ARM write it (op0, op1, CRn, CRm, op2). */
export interface SysregEncoding {
  op0: number;
  op1: number;
  crn: number;
  crm: number;
  op2: number;
}

export interface Register extends Layout {
  space: IndexSpace;
  /**
   * The register's number in its space: MSR, CSR or port number, MMIO byte offset; for a system
   * register the `sys_reg()` packing of its encoding (op0<<19 | op1<<16 | CRn<<12 | CRm<<8 | op2<<5).
   */
  address: bigint;
  /** The five fields of a system register's address (space `sysreg` only). */
  encoding?: SysregEncoding;
  access: Access;
  reset?: bigint;
  /** Set when the register is an array; `address` is element 0's. */
  array?: RegisterArray;
}

export interface Group extends Located {
  name: string;
  qname: string;
  doc: string;
  cName?: string;
  /** Short register names in address order. */
  registers: string[];
  /** Lowest and highest member address. */
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
  /** Declared with `index_space`, or inferred from how the registers are addressed. */
  space: IndexSpace;
  layouts: Layout[];
  registers: Register[];
  groups: Group[];
  asserts: Assert[];
  /** Where this copy of the registers sits, when the spec says. */
  instance?: Instance;
}
