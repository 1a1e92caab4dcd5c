import type { Access, ReservedPolicy, DeviceRegister, DeviceSpec, EntriesSpec, EntryAddress, EntryFormat, EntryLevel, EntryRole, ExprLike, Field, Layout, MachineSpec, Register, RegistersSpec } from "../model/index.ts";
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
  /** The enum names every value of the field, so TS types its decoded value as the enum's values alone. */
  enumTotal: boolean;
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

/**
 * What reads and writes do to each bit, as masks over the whole shape (nested layouts included).
 * Every target prints these masks; none looks at an access name again. A write of `written` over
 * the bits `lanes` (the bytes the access covers) turns `old` into:
 *   store bits take the written bit; once bits too, where not yet written since reset;
 *   w1c/w1s/w0c/w0s/w1t bits clear, set or toggle where the written bit is 1 (or 0);
 *   wc/ws bits clear/set wherever the access reaches; every other bit keeps its value;
 *   then `fixedMask` bits take `fixedValue` (const fields, res0 and res1 bits).
 * A read returns the stored value with `readZero` bits cleared and `fixedMask` bits fixed, and
 * afterwards rc bits become 0 and rs bits 1 (within the lanes read).
 */
export interface Effects {
  store: bigint;
  once: bigint;
  w1c: bigint;
  w1s: bigint;
  w0c: bigint;
  w0s: bigint;
  w1t: bigint;
  wc: bigint;
  ws: bigint;
  rc: bigint;
  rs: bigint;
  /** Write-only bits, which read as 0. */
  readZero: bigint;
  /** Bits of fixed value on read and after a write. */
  fixedMask: bigint;
  fixedValue: bigint;
  /** True when some write changes some bit (an all-read-only register has none). */
  writes: boolean;
  /** True when a read changes the stored value (rc/rs bits). */
  readSideEffects: boolean;
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
  /** Per-bit read and write behaviour under the shape's access vocabulary. */
  effects: Effects;
  ids: ShapeIds;
}

export type ElabShape<T extends Layout = Layout> = Omit<T, "fields"> & ShapeFacts;
export type ElabLayout = ElabShape<Layout>;
export type ElabRegister = ElabShape<Register>;
export type ElabDeviceRegister = ElabShape<DeviceRegister> & {
  /** The register whose state this one reads and writes: itself, or its `alias_of` target. */
  storage: string;
};
/** The output address of an entry format, answered once for every back end (docs/entries.md). */
export interface ElabEntryAddress extends EntryAddress {
  /** The field holds address bits in place (lsb == shift): address = entry & entryMask. */
  inPlace: boolean;
  /** Entry bits of the field. Address from entry: ((entry & entryMask) >> lsb) << shift. */
  entryMask: bigint;
  /** Address bits the field can hold: ((1 << width) - 1) << shift. Entry from address: ((address >> shift) << lsb), defined when address & ~addressMask is 0. */
  addressMask: bigint;
}

/** What a walker needs to know about a format besides its fields. */
export interface EntryWalkFacts {
  role: EntryRole;
  /** "spec" when the spec states the role, "rule" when the default rule gave it. */
  roleFrom: "spec" | "rule";
  /** Entry bits that are a reserved-bit fault when set in a valid entry of this format: its res0 ranges. */
  faultMask: bigint;
  /** Leaves: log2 of the bytes the entry maps (its level's virtual-address shift). */
  pageShift?: number;
  /** Leaves: address bits below the page size the field can hold, which must be 0 (RISC-V misaligned superpages); 0 when the field cannot misalign. */
  alignMask?: bigint;
  /** Leaves: the entry bits of alignMask: set in a valid entry, the output address is misaligned. */
  misalignedMask?: bigint;
  /** The entries the format's condition selects: (entry & match.mask) is one of match.values (the bits its condition names, enumerated). */
  match: EntryMatch;
}

export type ElabEntryFormat = Omit<ElabShape<EntryFormat>, "address"> & { address?: ElabEntryAddress; walk: EntryWalkFacts };

/** A test over a few entry bits, enumerated: it holds when (entry & mask) is one of `values` (sorted). */
export interface EntryMatch {
  mask: bigint;
  values: bigint[];
}

/**
 * A level's conditions enumerated over the entry bits they name (`mask`): the basis of the
 * overlap and coverage checks and of every back end's format selection.
 */
export interface LevelSelect {
  /** Entry bits named by the conditions and the validity test. */
  mask: bigint;
  /** The validity test as a match (mask 0, values [0] when every entry is valid). */
  valid: EntryMatch;
  /** Whether some format matches every entry, valid or not: then format selection needs no "none". */
  total: boolean;
  /** Valid values that two formats match (first two formats named). */
  overlaps: { value: bigint; formats: [string, string] }[];
  /** Valid values no format matches. */
  uncovered: bigint[];
  /** Formats whose condition changed when bits outside `mask` changed (masks not written in place). */
  leaks: string[];
  /** Names of formats whose condition could not be evaluated, or the level's validity test ("valid"). */
  failed: string[];
}

export interface ElabEntryLevel extends Omit<EntryLevel, "formats" | "valid"> {
  formats: ElabEntryFormat[];
  /** Prefix of the Xen-style helpers: the name in lower case (`L1` gives l1e_from_pfn, l1_table_offset). */
  prefix: string;
  /** Virtual-address shift, entries per table and log2 of it, evaluated (-1 / 0 when they do not evaluate: check reports why). */
  vaShift: number;
  entryCount: number;
  indexBits: number;
  /** 0 for the root (largest shift), then 1, 2, ... in walk order. */
  depth: number;
  /** The validity test that applies: the level's own, else the spec's; none means every entry is valid. */
  valid?: ExprLike;
  /** Undefined when the conditions name too many bits to enumerate (check reports it). */
  select?: LevelSelect;
}

/**
 * What an overlay of a registers or device spec (an instance of its base, usually) shares with the
 * base, by item name: the back ends emit the base's items by reference and the others as the
 * overlay's own (elaborate/inherit.ts).
 */
export interface Inheritance {
  /** Namespace and file of the spec it extends. */
  base: string;
  baseRel: string;
  /** Layouts and registers equal to the base's (nested layouts included): the base defines them. */
  inherited: ReadonlySet<string>;
  /** Layouts and registers that differ from the base's or that the base lacks, in spec order. */
  own: string[];
  /** Layouts and registers of the base this spec no longer has. */
  removed: string[];
  /** Everything that is not a shape equals the base's: block, hooks, lines, constants (device); space, groups, asserts (registers). */
  sameRest: boolean;
  /** Every shape inherited, none removed, the rest equal: the base's dispatch (TS) serves this spec unchanged. */
  sameBehaviour: boolean;
}

export interface ElabRegistersSpec extends Omit<RegistersSpec, "layouts" | "registers"> {
  layouts: ElabLayout[];
  registers: ElabRegister[];
  /** Set on an overlay: what it shares with the spec it extends. */
  inherits?: Inheritance;
}

export interface ElabDeviceSpec extends Omit<DeviceSpec, "layouts" | "registers"> {
  layouts: ElabLayout[];
  registers: ElabDeviceRegister[];
  /** Derived values and interrupt lines, type-checked once: check reports the errors, emitters read the types. */
  typed: Map<Expr, CheckResult>;
  /** Set on an overlay: what it shares with the spec it extends. */
  inherits?: Inheritance;
}

export interface ElabEntriesSpec extends Omit<EntriesSpec, "levels"> {
  /** Sorted by virtual-address shift, leaf level first and root last (the walk runs backwards). */
  levels: ElabEntryLevel[];
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

/** Accesses under which software writes change the field: TS setters and C `_set_` exist for these. */
export const WRITABLE_ACCESS: ReadonlySet<Access> = new Set(["rw", "wo", "w1c", "w1s", "w0c", "w0s", "w1t", "wc", "ws", "write-once"]);
