/**
 * The raw VMX MSR policy, built the way Xen's calculate_raw_vmx_policy() builds it: each block
 * of MSRs is read only when its availability rule (generated from the spec) holds for the
 * values read so far, so an MSR the CPU does not implement is never touched. The MSRs defined
 * after the patch (IA32_VMX_PROCBASED_CTLS3, IA32_VMX_EXIT_CTLS2) are two more blocks of the spec
 * with the SDM's rules, so this loop reads them without knowing them (docs/vmx.md).
 */
import { HwspecError, isU64, u64, u64FromBigInt, type U64 } from "../../generated/ts/support.ts";
import * as vmx from "../../generated/ts/x86/vmx-msrs.ts";

export type RegisterName = keyof vmx.Values;
export type GroupName = (typeof vmx.groups)[number]["name"];

/** Reads one MSR: the index in, its 64-bit value out (as BigInt or halves). */
export type MsrReader = (index: number) => bigint | U64;

/** Decoded fields of every register, typed per register. */
export type DecodedPolicy = { readonly [K in RegisterName]: ReturnType<(typeof vmx)[K]["decode"]> };

export interface VmxPolicy {
  /** Raw values; registers of blocks that were not read are zero, as in Xen's zero-initialised policy. */
  readonly raw: vmx.Values;
  /** Which blocks were read, in reading order. */
  readonly available: Readonly<Record<GroupName, boolean>>;
  /** MSR indices read, in order (what rdmsrl would have been called with). */
  readonly reads: readonly number[];
}

/** The reader failed or returned something that is not a 64-bit value. */
export class VmxPolicyError extends HwspecError {
  override name = "VmxPolicyError";
  constructor(
    readonly msr: number,
    message: string,
  ) {
    super(`MSR 0x${msr.toString(16)}: ${message}`);
  }
}

const ZERO = u64(0, 0);
const byName = new Map(vmx.registers.map((r) => [r.name, r] as const));

function emptyValues(): Record<RegisterName, U64> {
  return Object.fromEntries(vmx.registers.map((r) => [r.name, ZERO])) as Record<RegisterName, U64>;
}

function readOne(read: MsrReader, index: number): U64 {
  let v: unknown;
  try {
    v = read(index);
  } catch (e) {
    throw new VmxPolicyError(index, `reader failed: ${(e as Error).message ?? String(e)}`);
  }
  if (typeof v === "bigint") {
    try {
      return u64FromBigInt(v);
    } catch {
      throw new VmxPolicyError(index, `reader returned ${v}n, which is not a 64-bit unsigned value`);
    }
  }
  if (isU64(v)) return u64(v.lo, v.hi);
  throw new VmxPolicyError(index, `reader returned ${typeof v}, expected bigint or { lo, hi }`);
}

/**
 * Builds the raw policy. With `cpuHasVmx` false nothing is read (Xen returns early). A reader
 * error leaves no partial policy behind: it is thrown as VmxPolicyError.
 */
export function calculateRawVmxPolicy(read: MsrReader, opts: { cpuHasVmx?: boolean } = {}): VmxPolicy {
  const values = emptyValues();
  const available = Object.fromEntries(vmx.groups.map((g) => [g.name, false])) as Record<GroupName, boolean>;
  const reads: number[] = [];
  if (opts.cpuHasVmx === false) return freeze(values, available, reads);
  for (const group of vmx.groups) {
    if (!group.available(values)) continue;
    available[group.name] = true;
    for (const name of group.registers) {
      const reg = byName.get(name)!;
      values[name] = readOne(read, reg.index);
      reads.push(reg.index);
    }
  }
  return freeze(values, available, reads);
}

/** The host policy: for now a copy of the raw one, as in the patch. */
export function calculateHostVmxPolicy(raw: VmxPolicy): VmxPolicy {
  return freeze({ ...(raw.raw as Record<RegisterName, U64>) }, { ...raw.available }, [...raw.reads]);
}

function freeze(values: Record<RegisterName, U64>, available: Record<GroupName, boolean>, reads: number[]): VmxPolicy {
  for (const k of Object.keys(values)) Object.freeze(values[k as RegisterName]);
  return Object.freeze({ raw: Object.freeze(values), available: Object.freeze(available), reads: Object.freeze(reads) });
}

/** Every register decoded through the generated accessors. */
export function decodePolicy(p: VmxPolicy): DecodedPolicy {
  const out: Record<string, unknown> = {};
  for (const r of vmx.registers) out[r.name] = r.decode(p.raw[r.name]);
  return out as DecodedPolicy;
}

/** A block's raw array (like dp->vmx.raw[]), indexed by MSR - first. */
export function groupRaw(p: VmxPolicy, group: GroupName): readonly U64[] {
  const g = vmx.groups.find((x) => x.name === group);
  if (!g) throw new HwspecError(`unknown VMX group ${JSON.stringify(group)}`);
  return g.registers.map((name) => p.raw[name]);
}
