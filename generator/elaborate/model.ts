import type { Access, ReservedPolicy, DeviceRegister, DeviceSpec, EntriesSpec, EntryFormat, Field, Layout, MachineSpec, Register, RegistersSpec } from "../model/index.ts";
import type { CheckResult, Expr } from "../expr/index.ts";
import type { MachineFacts } from "./machine/lower.ts";

/** Facts about one field of a shape, relative to that shape. */
export interface FieldFacts {
  /** Mask of the field inside its shape. */
  mask: bigint;
  /** Largest value the field holds. */
  max: bigint;
  /** "hi:lo" or "n". */
  bits: string;
  readable: boolean;
  /** Software may write it (rw, wo, w1c): TS `set`/`with` and C `_set_` exist only for these. */
  writable: boolean;
}

export type ElabField = Field & FieldFacts;

/** A field reached through nested layouts: dotted path and absolute position in the outermost shape. */
export interface FlatField {
  path: string[];
  field: ElabField;
  lsb: number;
  mask: bigint;
  /** Effective access: a nested layout inherits a non-rw container's access (a read-only MSR makes its halves read-only). */
  access: Access;
}

/** A reserved range at its absolute position, nested layouts included. */
export interface FlatReserved {
  lsb: number;
  width: number;
  policy: ReservedPolicy;
}

/**
 * Bases of the identifiers a shape has in each target, assigned once so no back end spells them
 * itself. Where a target reserves a base, its bare identifier there is renamed by
 * elaborate/names/ (`tsShapeNames(ts).value`, `cUnionTag`, `cRegisterMember`).
 */
export interface ShapeIds {
  /** Local TS name in the module of its own spec. */
  ts: string;
  /** C union tag (`cr0_bits`, `ia32_vmx_basic`) and macro prefix (`CR0_BITS`). */
  cTag: string;
  cPrefix: string;
  /** Member name of a register in its group's C union (`c_name`, else the name in lower case). */
  cMember: string;
  /** HTML anchor of the shape on its spec's docs page (`register-FR`, `layout-cr0_bits`, `format-l1e`). */
  anchor: string;
}

/** Derived facts of a layout, register or entry format; nested layouts are included at absolute positions. */
export interface ShapeFacts {
  role: "layout" | "register" | "entry";
  /** C's sizeof of the bit-field struct: the extent of everything named or reserved. */
  bytes: number;
  /** Bytes of the raw value. */
  rawBytes: number;
  res0Mask: bigint;
  res1Mask: bigint;
  ignoreMask: bigint;
  /** Bits of fixed value: const fields and res1 bits, nested layouts included. */
  fixedMask: bigint;
  /** The value encode starts from: const fields at their value, res1 bits set. */
  initial: bigint;
  fields: ElabField[];
  writableFields: ElabField[];
  /** Every field, depth first through nested layouts. */
  flat: FlatField[];
  /** Every reserved range, nested layouts included, sorted by lsb. */
  flatReserved: FlatReserved[];
  ids: ShapeIds;
}

export type ElabShape<T extends Layout = Layout> = Omit<T, "fields"> & ShapeFacts;
export type ElabLayout = ElabShape<Layout>;
export type ElabRegister = ElabShape<Register>;
export type ElabDeviceRegister = ElabShape<DeviceRegister>;
export type ElabEntryFormat = ElabShape<EntryFormat>;

export interface ElabRegistersSpec extends Omit<RegistersSpec, "layouts" | "registers"> {
  layouts: ElabLayout[];
  registers: ElabRegister[];
}

export interface ElabDeviceSpec extends Omit<DeviceSpec, "layouts" | "registers"> {
  layouts: ElabLayout[];
  registers: ElabDeviceRegister[];
  /** Derived values and interrupt lines, type-checked once: check reports the errors, emitters read the types. */
  typed: Map<Expr, CheckResult>;
}

export interface ElabEntriesSpec extends Omit<EntriesSpec, "levels"> {
  levels: (Omit<EntriesSpec["levels"][number], "formats"> & { formats: ElabEntryFormat[] })[];
}

export interface ElabMachineSpec extends MachineSpec {
  lowered: MachineFacts;
}

export type ElabSpec = ElabRegistersSpec | ElabDeviceSpec | ElabEntriesSpec | ElabMachineSpec;

/** The one contract between the front end and every back end. */
export interface ElabModel {
  /** Sorted by namespace. */
  specs: ElabSpec[];
}

export const WRITABLE_ACCESS: ReadonlySet<Access> = new Set(["rw", "wo", "w1c"]);
