/**
 * Dotted namespace of the spec, e.g. `x86.vmx`. Qualified names are `<namespace>.<name>`.
 *
 * This interface was referenced by `RegistersSpec`'s JSON-Schema
 * via the `definition` "Namespace".
 */
export type Namespace = string;
/**
 * Human documentation. Escaped for every target; never emitted raw.
 *
 * This interface was referenced by `RegistersSpec`'s JSON-Schema
 * via the `definition` "Doc".
 */
export type Doc = string;
/**
 * Width in bits of the raw value.
 *
 * This interface was referenced by `RegistersSpec`'s JSON-Schema
 * via the `definition` "Width".
 */
export type Width = 8 | 16 | 32 | 64;
/**
 * Bit position `"n"` or inclusive range `"hi:lo"` (most significant first, as in the SDM).
 *
 * This interface was referenced by `RegistersSpec`'s JSON-Schema
 * via the `definition` "Bits".
 */
export type Bits = string;
/**
 * Software access: ro read-only, wo write-only, rw read-write, w1c write-1-to-clear, rc clear-on-read, const fixed value.
 *
 * This interface was referenced by `RegistersSpec`'s JSON-Schema
 * via the `definition` "Access".
 */
export type Access = "ro" | "wo" | "rw" | "w1c" | "rc" | "const";
/**
 * An unsigned integer: a JSON integer up to 2^53-1, or a string in hex (`0x...`), binary (`0b...`) or decimal for values up to 64 bits.
 *
 * This interface was referenced by `RegistersSpec`'s JSON-Schema
 * via the `definition` "Value".
 */
export type Value = number | string;
/**
 * Every bit must be named by a field or be reserved. A policy string covers all unnamed bits; a list names each reserved range with its own policy and must cover the unnamed bits exactly.
 *
 * This interface was referenced by `RegistersSpec`'s JSON-Schema
 * via the `definition` "Reserved".
 */
export type Reserved =
  | ReservedPolicy
  | {
      bits: Bits;
      policy?: ReservedPolicy;
      doc?: Doc;
    }[];
/**
 * How bits no field names behave: res0 read as zero and must be written zero, res1 read as one and must be written one, ignore undefined and ignored.
 *
 * This interface was referenced by `RegistersSpec`'s JSON-Schema
 * via the `definition` "ReservedPolicy".
 */
export type ReservedPolicy = "res0" | "res1" | "ignore";
/**
 * A name usable as an identifier in TypeScript, C and Promela.
 *
 * This interface was referenced by `RegistersSpec`'s JSON-Schema
 * via the `definition` "Identifier".
 */
export type Identifier = string;
/**
 * A fact like `sizeof(vmx) == sizeof(IA32_VMX_BASIC) + ...`. sizeof(register or layout) is the byte size of its fields; sizeof(X.raw) of its raw integer; sizeof(group) of its raw array.
 *
 * This interface was referenced by `RegistersSpec`'s JSON-Schema
 * via the `definition` "Assert".
 */
export type Assert =
  | string
  | {
      expr: string;
      doc?: Doc;
    };

/**
 * An hwspec `registers` spec: reusable bit layouts, addressed registers (MSR index or MMIO offset) built from them, groups of registers with availability rules, and size facts checked at generation time and emitted into every target.
 */
export interface RegistersSpec {
  /**
   * Relative path to this schema so editors complete and explain the spec.
   */
  $schema: string;
  /**
   * Spec kind; selects this schema.
   */
  kind: "registers";
  name: Namespace;
  doc: Doc;
  /**
   * Where the facts come from (patch, manual section); shown in generated headers and docs.
   */
  source?: string;
  /**
   * Named reusable layouts (C unions of a raw integer and a bit-field struct). Registers and fields refer to them with `layout`.
   */
  layouts?: {
    [k: string]: Layout | undefined;
  };
  /**
   * Addressed registers. Each has exactly one of `index` (MSR) or `offset` (MMIO).
   */
  registers?: {
    [k: string]: Register | undefined;
  };
  /**
   * Blocks of registers with contiguous indices, read together when `available` holds (like the raw arrays of Xen's msr_domain_policy).
   */
  groups?: {
    [k: string]: Group | undefined;
  };
  /**
   * BUILD_BUG_ON-style facts. The generator evaluates each one and refuses the spec if it is false; each is emitted as a compile-time check into every target.
   */
  assert?: Assert[];
}
/**
 * This interface was referenced by `RegistersSpec`'s JSON-Schema
 * via the `definition` "Layout".
 */
export interface Layout {
  width: Width;
  doc?: Doc;
  /**
   * A name usable as an identifier in TypeScript, C and Promela.
   */
  c_name?: string;
  fields: Fields;
  reserved?: Reserved;
}
/**
 * Fields by name.
 *
 * This interface was referenced by `RegistersSpec`'s JSON-Schema
 * via the `definition` "Fields".
 */
export interface Fields {
  [k: string]: Field | undefined;
}
/**
 * A named bit range. With `layout`, the field is itself a nested layout (e.g. allowed_1 made of control bits).
 *
 * This interface was referenced by `RegistersSpec`'s JSON-Schema
 * via the `definition` "Field".
 */
export interface Field {
  bits: Bits;
  doc?: Doc;
  access?: Access;
  reset?: Value;
  /**
   * An unsigned integer: a JSON integer up to 2^53-1, or a string in hex (`0x...`), binary (`0b...`) or decimal for values up to 64 bits.
   */
  const?: number | string;
  /**
   * Named values of the field.
   */
  enum?: {
    [k: string]: Value | undefined;
  };
  /**
   * Name of a layout (short in this spec, or qualified `ns.name`) whose width must equal this field's width.
   */
  layout?: string;
}
/**
 * This interface was referenced by `RegistersSpec`'s JSON-Schema
 * via the `definition` "Register".
 */
export interface Register {
  /**
   * An unsigned integer: a JSON integer up to 2^53-1, or a string in hex (`0x...`), binary (`0b...`) or decimal for values up to 64 bits.
   */
  index?: number | string;
  /**
   * An unsigned integer: a JSON integer up to 2^53-1, or a string in hex (`0x...`), binary (`0b...`) or decimal for values up to 64 bits.
   */
  offset?: number | string;
  width: Width;
  access?: Access;
  /**
   * An unsigned integer: a JSON integer up to 2^53-1, or a string in hex (`0x...`), binary (`0b...`) or decimal for values up to 64 bits.
   */
  reset?: number | string;
  doc?: Doc;
  /**
   * A name usable as an identifier in TypeScript, C and Promela.
   */
  c_name?: string;
  fields?: Fields;
  reserved?: Reserved;
}
/**
 * This interface was referenced by `RegistersSpec`'s JSON-Schema
 * via the `definition` "Group".
 */
export interface Group {
  doc?: Doc;
  /**
   * Members in index order; their indices must be contiguous.
   *
   * @minItems 1
   */
  registers: [Identifier, ...Identifier[]];
  /**
   * Expression deciding whether the block may be read, over fields of registers read before it (e.g. `IA32_VMX_BASIC.default1_zero`), or `true`.
   */
  available: string;
  /**
   * A name usable as an identifier in TypeScript, C and Promela.
   */
  c_name?: string;
}
