import { u64FromBigInt, type WalkDescriptor, type WalkFormat, type WalkLevel } from "../../generated/ts/support.ts";
import { WalkArgumentError } from "./errors.ts";

/** One level of a walk: where its entry was read and what it holds. */
export interface WalkStep {
  level: string;
  /** Physical address of the table this level indexed. */
  table: bigint;
  index: number;
  /** Physical address of the entry: table + index * entry bytes. */
  entryAddress: bigint;
  entry: bigint;
  /** The entry's format, absent when the entry is not valid or no format's condition holds. */
  format?: string;
  role?: WalkFormat["role"];
  /** Named fields of the format, in spec order. */
  fields?: { name: string; value: bigint }[];
  /** Next table (role table) or mapped page/block (role leaf), from the address field. */
  address?: bigint;
}

/** Why a walk stopped before reaching a leaf; `level` names the level whose entry faulted. */
export type WalkFault =
  | { kind: "not-present"; level: string }
  | { kind: "reserved-bit"; level: string; format: string; bits: bigint }
  | { kind: "misaligned-superpage"; level: string; format: string; address: bigint; align: bigint }
  | { kind: "reserved-encoding"; level: string; format?: string }
  | { kind: "no-memory"; level: string; address: bigint };

export interface WalkTranslation {
  /** Physical address of `va`. */
  pa: bigint;
  /** Bytes mapped by the leaf: 2^vaShift of its level. */
  pageSize: bigint;
  level: string;
  format: string;
}

export interface WalkResult {
  spec: string;
  va: bigint;
  root: bigint;
  /** Root first; the last step is the leaf or the entry that faulted (absent for no-memory). */
  steps: WalkStep[];
  translation?: WalkTranslation;
  fault?: WalkFault;
}

export interface WalkRequest {
  /** Physical address of the root table. */
  root: bigint | number;
  /** The virtual address, canonical: every bit above the descriptor's VA bits equals its top bit. */
  va: bigint | number;
  /** The entry (entryWidth bits) at a physical address, or undefined where no memory can be read. */
  read: (pa: bigint) => bigint | undefined;
}

const ones = (n: number) => (1n << BigInt(n)) - 1n;

function asAddress(x: bigint | number, what: "va" | "root"): bigint {
  if (typeof x === "number") {
    if (!Number.isSafeInteger(x)) throw new WalkArgumentError(what, `${what} ${x} is not an exact integer (pass a bigint beyond 2^53)`);
    x = BigInt(x);
  }
  if (typeof x !== "bigint") throw new WalkArgumentError(what, `${what} must be a bigint or an integer`);
  if (x < 0n || x >> 64n !== 0n) throw new WalkArgumentError(what, `${what} 0x${x.toString(16)} is not a 64-bit address`);
  return x;
}

/** Bytes of one table of `level`: its entries times their size, which is also the alignment a table needs. */
export function tableBytes(level: WalkLevel): bigint {
  return BigInt(level.entryBytes) << BigInt(level.indexBits);
}

/**
 * Checks that `va` is canonical for the descriptor: with `sign-extend` the bits above its VA bits
 * copy the top translated bit (x86-64 canonical form, RISC-V's "bits 63–39 equal bit 38"); with
 * `uniform` they are all 0 or all 1 (VMSAv8-64's TTBR0 and TTBR1 regions; which table a region
 * uses is the caller's choice of root); with `zero` they are 0 (32-bit address spaces).
 */
export function checkVa(desc: WalkDescriptor, va: bigint | number): bigint {
  const v = asAddress(va, "va");
  const upper = v >> BigInt(desc.vaBits);
  const all = ones(64 - desc.vaBits);
  if (desc.vaUpper === "zero") {
    if (upper !== 0n) throw new WalkArgumentError("va", `va 0x${v.toString(16)} is outside the ${desc.vaBits}-bit address space of ${desc.spec}`);
    return v;
  }
  if (desc.vaUpper === "uniform") {
    if (upper !== 0n && upper !== all) {
      throw new WalkArgumentError("va", `va 0x${v.toString(16)} is outside both regions of ${desc.spec}: bits 63:${desc.vaBits} must be all 0 or all 1 (${desc.vaBits}-bit virtual addresses)`);
    }
    return v;
  }
  const top = (v >> BigInt(desc.vaBits - 1)) & 1n;
  if (upper !== (top ? all : 0n)) {
    throw new WalkArgumentError("va", `va 0x${v.toString(16)} is not canonical for ${desc.spec}: bits 63:${desc.vaBits} must all equal bit ${desc.vaBits - 1} (${desc.vaBits}-bit virtual addresses)`);
  }
  return v;
}

function fieldsOf(f: WalkFormat, e: bigint): { name: string; value: bigint }[] {
  return f.fields.map((x) => ({ name: x.name, value: (e >> BigInt(x.lsb)) & ones(x.width) }));
}

/** The output address a format's address field holds: field << shift. */
export function addressOf(f: WalkFormat, e: bigint): bigint | undefined {
  const a = f.address;
  return a ? ((e >> BigInt(a.lsb)) & ones(a.width)) << BigInt(a.shift) : undefined;
}

/**
 * Translates `va` through the tables at `root`, reading entries with `read`. A fault is a result,
 * not an exception: the tables may be anything. A call the descriptor cannot serve (a
 * non-canonical VA, a misaligned root, an entry wider than the descriptor's) throws
 * WalkArgumentError.
 */
export function walk(desc: WalkDescriptor, req: WalkRequest): WalkResult {
  const va = checkVa(desc, req.va);
  const root = asAddress(req.root, "root");
  const rootLevel = desc.levels[0]!;
  const rootAlign = tableBytes(rootLevel);
  if (root % rootAlign !== 0n) {
    throw new WalkArgumentError("root", `root 0x${root.toString(16)} is not aligned to the ${rootAlign}-byte ${rootLevel.name} table of ${desc.spec}`);
  }
  if (typeof req.read !== "function") throw new WalkArgumentError("read", "read must be a function from a physical address to an entry");
  const result: WalkResult = { spec: desc.spec, va, root, steps: [] };
  const entryLimit = ones(desc.entryWidth);
  let table = root;
  for (let i = 0; i < desc.levels.length; i++) {
    const level = desc.levels[i]!;
    const index = Number((va >> BigInt(level.vaShift)) & ones(level.indexBits));
    const entryAddress = table + BigInt(index * level.entryBytes);
    const raw = req.read(entryAddress);
    if (raw === undefined) {
      result.fault = { kind: "no-memory", level: level.name, address: entryAddress };
      return result;
    }
    if (typeof raw !== "bigint" || raw < 0n || raw > entryLimit) {
      throw new WalkArgumentError("read", `read(0x${entryAddress.toString(16)}) returned ${String(raw)}, not a ${desc.entryWidth}-bit bigint`);
    }
    const step: WalkStep = { level: level.name, table, index, entryAddress, entry: raw };
    result.steps.push(step);
    const e = u64FromBigInt(raw);
    if (!level.valid(e)) {
      result.fault = { kind: "not-present", level: level.name };
      return result;
    }
    const format = level.formats.find((f) => f.when(e));
    if (!format) {
      result.fault = { kind: "reserved-encoding", level: level.name };
      return result;
    }
    step.format = format.name;
    step.role = format.role;
    step.fields = fieldsOf(format, raw);
    // A table entry at the last level has no next level to reference: that encoding faults too.
    if (format.role === "reserved" || (format.role === "table" && i === desc.levels.length - 1)) {
      result.fault = { kind: "reserved-encoding", level: level.name, format: format.name };
      return result;
    }
    const bad = raw & format.res0;
    if (bad) {
      result.fault = { kind: "reserved-bit", level: level.name, format: format.name, bits: bad };
      return result;
    }
    const address = addressOf(format, raw)!;
    step.address = address;
    if (format.role === "table") {
      table = address;
      continue;
    }
    if (address % format.align !== 0n) {
      result.fault = { kind: "misaligned-superpage", level: level.name, format: format.name, address, align: format.align };
      return result;
    }
    const pageSize = 1n << BigInt(level.vaShift);
    result.translation = { pa: address + (va & (pageSize - 1n)), pageSize, level: level.name, format: format.name };
    return result;
  }
  throw new Error(`internal: ${desc.spec} ends without a leaf level`);
}
