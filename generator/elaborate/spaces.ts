import type { IndexSpace, SysregEncoding } from "../model/index.ts";
import { hex } from "../resolve/values.ts";

/**
 * Index spaces: how a register's address is checked, printed and named in every target. This is
 * the one place that knows them; resolve, check, the emitters, docs, diff and the CLI ask here.
 */
export interface SpaceRules {
  /** What one address is called in prose: `MSR 0x480`, `system register S3_0_C1_C0_0`. */
  noun: string;
  plural: string;
  /** The spec key that addresses a register of this space. */
  specKey: "index" | "offset" | "encoding";
  /** The key under which TS descriptors and CLI JSON give the numeric address. */
  numberKey: "index" | "offset";
  /** Addresses are below this (undefined: any 64-bit value). */
  limit?: bigint;
  /** Why the limit is what it is, for the error message. */
  limitWhy?: string;
  /** Bits C prints the address with (zero-padded hex), as the headers these spaces come from do. */
  cBits?: number;
  /** Address distance between consecutive members of a group of `width`-bit registers. */
  step(width: number): bigint;
  /** Label of the address on docs pages. */
  docsLabel: string;
  /** One sentence introducing a spec's registers on its docs page. */
  about: string;
}

/** sys_reg() puts op2 at bit 5, so consecutive encodings (op2 + 1, carrying into CRm) are 0x20 apart. */
const SYSREG_STEP = 1n << 5n;

export const SPACES: Readonly<Record<IndexSpace, SpaceRules>> = {
  msr: {
    noun: "MSR",
    plural: "MSRs",
    specKey: "index",
    numberKey: "index",
    limit: 1n << 32n,
    limitWhy: "RDMSR/WRMSR take a 32-bit index in ECX",
    cBits: 32,
    step: () => 1n,
    docsLabel: "MSR index",
    about: "x86 model-specific registers, read and written with RDMSR/WRMSR by index.",
  },
  csr: {
    noun: "CSR",
    plural: "CSRs",
    specKey: "index",
    numberKey: "index",
    limit: 1n << 12n,
    limitWhy: "the csr field of the Zicsr instructions is 12 bits",
    cBits: 12,
    step: () => 1n,
    docsLabel: "CSR number",
    about: "RISC-V control and status registers, accessed with the Zicsr instructions by CSR number.",
  },
  sysreg: {
    noun: "system register",
    plural: "system registers",
    specKey: "encoding",
    numberKey: "index",
    step: () => SYSREG_STEP,
    docsLabel: "system register",
    about: "AArch64 system registers, accessed with MRS/MSR by encoding (op0, op1, CRn, CRm, op2).",
  },
  port: {
    noun: "port",
    plural: "ports",
    specKey: "index",
    numberKey: "index",
    limit: 1n << 16n,
    limitWhy: "the x86 I/O address space is 64 KiB",
    cBits: 16,
    // Port I/O is byte-addressed like MMIO: a 16-bit IN at port p reads ports p and p+1.
    step: (width) => BigInt(width / 8),
    docsLabel: "I/O port",
    about: "x86 I/O ports, accessed with IN/OUT.",
  },
  mmio: {
    noun: "offset",
    plural: "offsets",
    specKey: "offset",
    numberKey: "offset",
    step: (width) => BigInt(width / 8),
    docsLabel: "offset",
    about: "Memory-mapped registers, by byte offset in their block.",
  },
};

/** The five encoding fields in the order the ARM ARM, MRS/MSR and Linux write them, with their widths. */
export const SYSREG_FIELDS: readonly { key: keyof SysregEncoding; label: string; cSuffix: string; bits: number; shift: number }[] = [
  { key: "op0", label: "op0", cSuffix: "Op0", bits: 2, shift: 19 },
  { key: "op1", label: "op1", cSuffix: "Op1", bits: 3, shift: 16 },
  { key: "crn", label: "CRn", cSuffix: "CRn", bits: 4, shift: 12 },
  { key: "crm", label: "CRm", cSuffix: "CRm", bits: 4, shift: 8 },
  { key: "op2", label: "op2", cSuffix: "Op2", bits: 3, shift: 5 },
];

/** Linux's sys_reg(op0, op1, crn, crm, op2) (arch/arm64/include/asm/sysreg.h): the MRS/MSR instruction bits 20:5. */
export function packSysreg(e: SysregEncoding): bigint {
  return SYSREG_FIELDS.reduce((v, f) => v | (BigInt(e[f.key] & ((1 << f.bits) - 1)) << BigInt(f.shift)), 0n);
}

export function unpackSysreg(address: bigint): SysregEncoding {
  const out = { op0: 0, op1: 0, crn: 0, crm: 0, op2: 0 };
  for (const f of SYSREG_FIELDS) out[f.key] = Number((address >> BigInt(f.shift)) & ((1n << BigInt(f.bits)) - 1n));
  return out;
}

/** The generic name assemblers accept for any system register: `S3_0_C1_C0_0`. */
export function sysregName(e: SysregEncoding): string {
  return `S${e.op0}_${e.op1}_C${e.crn}_C${e.crm}_${e.op2}`;
}

interface Addressed {
  space: IndexSpace;
  address: bigint;
}

/** The address as a person reads it: `0x480`, `S3_0_C1_C0_0`. */
export function addressText(space: IndexSpace, address: bigint): string {
  return space === "sysreg" ? sysregName(unpackSysreg(address)) : hex(address);
}

/** The address with its space: `MSR 0x480`, `CSR 0x300`, `system register S3_0_C1_C0_0`, `port 0x3f8`, `offset 0x18`. */
export function addressPhrase(r: Addressed): string {
  return `${SPACES[r.space].noun} ${addressText(r.space, r.address)}`;
}

/** The address after its docs label, as generated doc comments state it: `MSR index 0x480`, `CSR number 0x300`. */
export function addressLabelled(r: Addressed): string {
  return `${SPACES[r.space].docsLabel} ${addressText(r.space, r.address)}`;
}

/** A group's span: `0x480..0x491`, `S3_0_C2_C0_0..S3_0_C2_C0_1`. */
export function rangeText(space: IndexSpace, first: bigint, last: bigint): string {
  return `${addressText(space, first)}..${addressText(space, last)}`;
}

/** A group's span with its space: `MSRs 0x480..0x491`. */
export function rangePhrase(space: IndexSpace, first: bigint, last: bigint): string {
  return `${SPACES[space].plural} ${rangeText(space, first, last)}`;
}

/** Raw-array elements a group of `width`-bit registers spans from `first` to `last`. */
export function groupLength(space: IndexSpace, width: number, first: bigint, last: bigint): number {
  const step = SPACES[space].step(width);
  return Number((last - first + step - 1n) / step) + 1;
}

/**
 * The address as TS descriptors and `--json` CLI output give it: the space, the number under its
 * space's key, and for a system register its five fields and generic name.
 */
export function addressFacts(r: Addressed): {
  space: IndexSpace;
  numberKey: "index" | "offset";
  number: bigint;
  encoding?: SysregEncoding;
  encodingName?: string;
} {
  const rules = SPACES[r.space];
  const base = { space: r.space, numberKey: rules.numberKey, number: r.address };
  if (r.space !== "sysreg") return base;
  const encoding = unpackSysreg(r.address);
  return { ...base, encoding, encodingName: sysregName(encoding) };
}

/** `addressFacts` with hex strings, for JSON. */
export function addressJson(r: Addressed): Record<string, unknown> {
  const f = addressFacts(r);
  return {
    space: f.space,
    [f.numberKey]: hex(f.number),
    ...(f.encoding ? { encoding: f.encoding, encodingName: f.encodingName } : {}),
  };
}

/** Rows a docs page shows for the address. */
export function addressMeta(r: Addressed): { label: string; value: string }[] {
  const rules = SPACES[r.space];
  if (r.space !== "sysreg") return [{ label: rules.docsLabel, value: hex(r.address) }];
  const e = unpackSysreg(r.address);
  return [
    { label: rules.docsLabel, value: sysregName(e) },
    { label: SYSREG_FIELDS.map((f) => f.label).join(", "), value: SYSREG_FIELDS.map((f) => String(e[f.key])).join(", ") },
    { label: "sys_reg()", value: hex(r.address) },
  ];
}

/**
 * The C macros of a register's address, named after the headers each space comes from: Xen's
 * `MSR_<NAME>`, Linux and QEMU's `CSR_<NAME>`, Linux's gen-sysreg.awk output for a system
 * register (`SYS_<NAME>` as sys_reg(), `SYS_<NAME>_Op0`..`_Op2`, `REG_<NAME>` as the generic name
 * for `mrs`/`msr` through stringification), `PORT_<NAME>`, and `<NAME>_OFFSET` in an MMIO block
 * (with `<ALIAS>_OFFSET` for each other name of a device register).
 *
 * An array has one function-like macro instead, the numeric address of element `n`
 * (`<NAME>_OFFSET(n)`, `MSR_<NAME>(n)`, `SYS_<NAME>(n)`: base + n × stride), so a use that
 * forgets the element does not compile. A system-register array has no `REG_`/`_OpN` macros:
 * they would describe element 0 only.
 */
export function cAddressDefines(r: Addressed & { ids: { cPrefix: string }; array?: { stride: bigint }; aliases?: readonly string[] }): { name: string; value: string; param?: string }[] {
  const p = r.ids.cPrefix;
  const bits = SPACES[r.space].cBits;
  // A device register's other names (ECR for RSR) get the same offset macro: C code is written against the name the TRM uses there.
  const aliases = r.space === "mmio" ? (r.aliases ?? []) : [];
  const named = (name: string, more: { value: string; param?: string }) => [{ name, ...more }, ...aliases.map((a) => ({ name: cAliasOffsetMacro(a), ...more }))];
  if (r.array) return named(cAddressMacro(r), { param: "n", value: `(${hex(r.address, bits)} + (n) * ${hex(r.array.stride)})` });
  const numeric = { name: cAddressMacro(r), value: hex(r.address, bits) };
  switch (r.space) {
    case "msr":
    case "csr":
    case "port":
      return [numeric];
    case "mmio":
      return named(numeric.name, { value: numeric.value });
    case "sysreg": {
      const e = unpackSysreg(r.address);
      return [
        { name: `REG_${p}`, value: sysregName(e) },
        numeric,
        ...SYSREG_FIELDS.map((f) => ({ name: `SYS_${p}_${f.cSuffix}`, value: String(e[f.key]) })),
      ];
    }
  }
}

/** The C macro holding the register's numeric address (what a group's member comment names; an array's takes the element). */
export function cAddressMacro(r: Addressed & { ids: { cPrefix: string } }): string {
  const p = r.ids.cPrefix;
  const names: Record<IndexSpace, string> = { msr: `MSR_${p}`, csr: `CSR_${p}`, port: `PORT_${p}`, mmio: `${p}_OFFSET`, sysreg: `SYS_${p}` };
  return names[r.space];
}

/** The offset macro of another name of a device register (`ECR_OFFSET` for RSR's ECR). */
export function cAliasOffsetMacro(alias: string): string {
  return `${alias.toUpperCase()}_OFFSET`;
}

/** How C prints the numeric address. */
export function cAddressValue(r: Addressed): string {
  return hex(r.address, SPACES[r.space].cBits);
}
