import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as vmx from "../../generated/ts/x86/vmx-msrs.ts";
import { u64ToBigInt } from "../../generated/ts/support.ts";
import {
  calculateHostVmxPolicy,
  calculateRawVmxPolicy,
  decodePolicy,
  groupRaw,
  VmxPolicyError,
} from "../../runtime/x86/vmx-policy.ts";

const BASIC = 0x480, PROCBASED = 0x482, EXIT = 0x483, CTLS2 = 0x48b, EPT = 0x48c, TRUE_PIN = 0x48d, TRUE_ENTRY = 0x490, VMFUNC = 0x491;
const CTLS3 = 0x492, EXIT_CTLS2 = 0x493;
/** SDM positions in the allowed-1 half (bits 63:32): activate tertiary controls is primary bit 17, activate secondary VM-exit controls is exit bit 31. */
const TERTIARY_ALLOWED = 1n << (32n + 17n), EXIT2_ALLOWED = 1n << (32n + 31n);

/** A fake CPU: MSR index → value; reading anything else is a #GP, as on hardware. */
function cpu(values: Record<number, bigint>) {
  const reads: number[] = [];
  const read = (index: number) => {
    reads.push(index);
    if (!(index in values)) throw new Error(`#GP reading MSR 0x${index.toString(16)}`);
    return values[index]!;
  };
  return { read, reads };
}

interface CpuOpts {
  secondary: boolean;
  ept: boolean;
  vpid: boolean;
  trueCtls: boolean;
  vmfunc: boolean;
  tertiary?: boolean;
  exit2?: boolean;
}

function msrs(opts: CpuOpts) {
  const v: Record<number, bigint> = {};
  for (let i = BASIC; i <= 0x48a; i++) v[i] = BigInt(i) << 8n;
  v[BASIC] = 0x00da040000000004n & ~(opts.trueCtls ? 0n : 1n << 55n);
  v[PROCBASED] = (opts.secondary ? 0xfff9fffe0401e172n : 0x7ff9fffe0401e172n) | (opts.tertiary ? TERTIARY_ALLOWED : 0n);
  // Default1 exit controls in allowed_0; the allowed-1 half holds only what the options ask for.
  v[EXIT] = 0x0000000000036dffn | (opts.exit2 ? EXIT2_ALLOWED : 0n);
  if (opts.secondary) {
    let allowed1 = 0n;
    if (opts.ept) allowed1 |= 1n << 1n;
    if (opts.vpid) allowed1 |= 1n << 5n;
    if (opts.vmfunc) allowed1 |= 1n << 13n;
    v[CTLS2] = allowed1 << 32n;
  }
  if (opts.ept || opts.vpid) v[EPT] = 0x00000f0106734141n;
  if (opts.trueCtls) for (let i = TRUE_PIN; i <= TRUE_ENTRY; i++) v[i] = BigInt(i);
  if (opts.vmfunc) v[VMFUNC] = 1n;
  // Tertiary controls: IPI virtualization (bit 4); secondary VM-exit controls: save and load FRED (bits 0, 1).
  if (opts.tertiary) v[CTLS3] = 1n << 4n;
  if (opts.exit2) v[EXIT_CTLS2] = 0b11n;
  return v;
}

describe("calculateRawVmxPolicy honours the availability rules", () => {
  it("reads every block when everything is available, in Xen's order", () => {
    const c = cpu(msrs({ secondary: true, ept: true, vpid: true, trueCtls: true, vmfunc: true, tertiary: true, exit2: true }));
    const p = calculateRawVmxPolicy(c.read);
    expect(c.reads).toEqual([...Array.from({ length: 11 }, (_, i) => BASIC + i), CTLS2, EPT, 0x48d, 0x48e, 0x48f, 0x490, VMFUNC, CTLS3, EXIT_CTLS2]);
    expect(p.reads).toEqual(c.reads);
    expect(Object.values(p.available).every(Boolean)).toBe(true);
    expect(decodePolicy(p).IA32_VMX_VMFUNC.eptp_switching).toBe(true);
    expect(decodePolicy(p).IA32_VMX_EPT_VPID_CAP.superpage_2mb).toBe(true);
    expect(decodePolicy(p).IA32_VMX_PROCBASED_CTLS3.allowed_1.ipi_virtualization).toBe(true);
    expect(decodePolicy(p).IA32_VMX_EXIT_CTLS2.allowed_1).toMatchObject({ save_fred: true, load_fred: true, load_ia32_spec_ctrl: false });
  });

  it("secondary controls absent: CTLS2, EPT_VPID_CAP and VMFUNC are never read", () => {
    const c = cpu(msrs({ secondary: false, ept: false, vpid: false, trueCtls: true, vmfunc: false }));
    const p = calculateRawVmxPolicy(c.read);
    expect(c.reads).not.toContain(CTLS2);
    expect(c.reads).not.toContain(EPT);
    expect(c.reads).not.toContain(VMFUNC);
    expect(p.available).toEqual({
      vmx: true,
      vmx_procbased_ctls2: false,
      vmx_ept_vpid_cap: false,
      vmx_true_ctls: true,
      vmx_vmfunc: false,
      vmx_procbased_ctls3: false,
      vmx_exit_ctls2: false,
    });
    expect(u64ToBigInt(p.raw.IA32_VMX_PROCBASED_CTLS2)).toBe(0n);
  });

  it("default1_zero clear: the TRUE_* block is skipped", () => {
    const c = cpu(msrs({ secondary: true, ept: true, vpid: false, trueCtls: false, vmfunc: false }));
    const p = calculateRawVmxPolicy(c.read);
    expect(c.reads.filter((i) => i >= TRUE_PIN && i <= TRUE_ENTRY)).toEqual([]);
    expect(p.available.vmx_true_ctls).toBe(false);
    expect(groupRaw(p, "vmx_true_ctls").map(u64ToBigInt)).toEqual([0n, 0n, 0n, 0n]);
  });

  it("EPT_VPID_CAP is read when either EPT or VPID is allowed", () => {
    for (const [ept, vpid] of [[true, false], [false, true]] as const) {
      const c = cpu(msrs({ secondary: true, ept, vpid, trueCtls: false, vmfunc: false }));
      calculateRawVmxPolicy(c.read);
      expect(c.reads).toContain(EPT);
    }
  });

  it("every combination reads exactly the blocks its rules allow (property)", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), (secondary, ept, vpid, trueCtls, vmfunc, tertiary, exit2) => {
        const o = { secondary, ept: secondary && ept, vpid: secondary && vpid, trueCtls, vmfunc: secondary && vmfunc, tertiary, exit2 };
        const c = cpu(msrs(o));
        const p = calculateRawVmxPolicy(c.read);
        expect(c.reads.includes(CTLS2)).toBe(o.secondary);
        expect(c.reads.includes(EPT)).toBe(o.ept || o.vpid);
        expect(c.reads.includes(TRUE_PIN)).toBe(o.trueCtls);
        expect(c.reads.includes(VMFUNC)).toBe(o.vmfunc);
        expect(c.reads.includes(CTLS3)).toBe(o.tertiary);
        expect(c.reads.includes(EXIT_CTLS2)).toBe(o.exit2);
        for (const g of vmx.groups) expect(p.available[g.name]).toBe(g.registers.every((r) => c.reads.includes(vmx[r].index)));
      }),
    );
  });

  it("IA32_VMX_PROCBASED_CTLS3 is read exactly when the primary controls allow bit 17 to be 1", () => {
    const base = { secondary: true, ept: true, vpid: true, trueCtls: true, vmfunc: true, exit2: true };
    const on = cpu(msrs({ ...base, tertiary: true }));
    expect(calculateRawVmxPolicy(on.read).available.vmx_procbased_ctls3).toBe(true);
    expect(on.reads).toContain(CTLS3);
    // Read after every MSR its rule depends on.
    expect(on.reads.indexOf(CTLS3)).toBeGreaterThan(on.reads.indexOf(PROCBASED));

    const off = cpu(msrs({ ...base, tertiary: false }));
    const p = calculateRawVmxPolicy(off.read);
    expect(off.reads).not.toContain(CTLS3);
    expect(p.available.vmx_procbased_ctls3).toBe(false);
    expect(u64ToBigInt(p.raw.IA32_VMX_PROCBASED_CTLS3)).toBe(0n);
    // The other blocks are unaffected by the tertiary rule.
    expect(off.reads).toContain(EXIT_CTLS2);
  });

  it("the tertiary rule reads the allowed-1 half: bit 17 set only in allowed_0 leaves 0x492 unread", () => {
    const v = msrs({ secondary: true, ept: false, vpid: false, trueCtls: false, vmfunc: false });
    v[PROCBASED] = v[PROCBASED]! | (1n << 17n);
    const c = cpu(v);
    calculateRawVmxPolicy(c.read);
    expect(c.reads).not.toContain(CTLS3);
  });

  it("IA32_VMX_EXIT_CTLS2 is read exactly when the exit controls allow bit 31 to be 1", () => {
    const base = { secondary: true, ept: true, vpid: true, trueCtls: true, vmfunc: true, tertiary: true };
    const on = cpu(msrs({ ...base, exit2: true }));
    expect(calculateRawVmxPolicy(on.read).available.vmx_exit_ctls2).toBe(true);
    expect(on.reads.at(-1)).toBe(EXIT_CTLS2);

    const off = cpu(msrs({ ...base, exit2: false }));
    const p = calculateRawVmxPolicy(off.read);
    expect(off.reads).not.toContain(EXIT_CTLS2);
    expect(p.available.vmx_exit_ctls2).toBe(false);
    expect(u64ToBigInt(p.raw.IA32_VMX_EXIT_CTLS2)).toBe(0n);
    expect(off.reads).toContain(CTLS3);
  });

  it("does nothing without VMX", () => {
    const c = cpu({});
    const p = calculateRawVmxPolicy(c.read, { cpuHasVmx: false });
    expect(c.reads).toEqual([]);
    expect(Object.values(p.available).some(Boolean)).toBe(false);
  });

  it("the block's raw array is indexed by MSR - first", () => {
    const c = cpu(msrs({ secondary: true, ept: true, vpid: true, trueCtls: true, vmfunc: true }));
    const raw = groupRaw(calculateRawVmxPolicy(c.read), "vmx");
    expect(raw).toHaveLength(vmx.vmx_group.rawBytes / 8);
    expect(u64ToBigInt(raw[0x485 - BASIC]!)).toBe(0x485n << 8n);
  });

  it("reader errors and bad values become typed errors", () => {
    expect(() => calculateRawVmxPolicy(() => { throw new Error("boom"); })).toThrow(VmxPolicyError);
    expect(() => calculateRawVmxPolicy(() => -1n)).toThrow(/not a 64-bit unsigned value/);
    expect(() => calculateRawVmxPolicy(() => 1n << 64n)).toThrow(VmxPolicyError);
    expect(() => calculateRawVmxPolicy(() => "x" as never)).toThrow(/expected bigint/);
  });

  it("the host policy is an independent frozen copy", () => {
    const c = cpu(msrs({ secondary: true, ept: true, vpid: true, trueCtls: true, vmfunc: true, tertiary: true, exit2: true }));
    const raw = calculateRawVmxPolicy(c.read);
    const host = calculateHostVmxPolicy(raw);
    expect(host).toEqual(raw);
    expect(host.raw).not.toBe(raw.raw);
    expect(Object.isFrozen(host.raw)).toBe(true);
  });
});
