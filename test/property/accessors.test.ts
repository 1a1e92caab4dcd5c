import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as cr from "../../generated/ts/x86/control-registers.ts";
import * as vmx from "../../generated/ts/x86/vmx-msrs.ts";
import { u64FromBigInt, u64ToBigInt, type U64 } from "../../generated/ts/support.ts";
import { decodeValue, fieldEntries } from "../../generator/inspect/decode.ts";
import { projectFront } from "../helpers/project.ts";

const front = projectFront();
const modules: Record<string, Record<string, unknown>> = { "x86.vmx": vmx, "x86.cr": cr };

interface Ns {
  width: number;
  get: Record<string, (v: unknown) => unknown>;
  set: Record<string, (v: unknown, x: unknown) => unknown>;
  decode(v: unknown): Record<string, unknown>;
  encode(f: object): unknown;
  with(v: unknown, p: object): unknown;
  fromBigInt(x: bigint): unknown;
  toBigInt(v: unknown): bigint;
  fields: readonly { name: string; lsb: number; width: number; access: string; layout?: string; enum?: Record<string, number | string | boolean>; doc?: string }[];
  reserved: readonly { lsb: number; width: number; policy: string; doc?: string }[];
}

const shapes = [...front.lookup.layouts.values(), ...front.lookup.registers.values()].filter((s) => modules[s.spec]);
const nsOf = (spec: string, name: string) => modules[spec]![name] as Ns;
const toBig = (x: unknown): bigint =>
  typeof x === "boolean" ? (x ? 1n : 0n) : typeof x === "number" ? BigInt(x) : u64ToBigInt(x as U64);

/** Walks a decoded object along a dotted path; nested layouts decode to objects. */
function at(obj: Record<string, unknown>, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], obj);
}

describe("generated accessors agree with the model's reference decoder", () => {
  it("covers every register of the patch and the two MSRs defined after it", () => {
    const names = [...front.lookup.registers.values()].filter((r) => r.spec === "x86.vmx").map((r) => r.name);
    expect(names).toHaveLength(20);
    expect(names).toContain("IA32_VMX_VMFUNC");
    expect(names).toEqual(expect.arrayContaining(["IA32_VMX_PROCBASED_CTLS3", "IA32_VMX_EXIT_CTLS2"]));
  });

  for (const shape of shapes) {
    const ns = nsOf(shape.spec, shape.name);
    const raw = fc.bigInt({ min: 0n, max: (1n << BigInt(shape.width)) - 1n });

    it(`${shape.qname}: decode matches the reference on every field path`, () => {
      fc.assert(
        fc.property(raw, (x) => {
          const v = ns.fromBigInt(x);
          expect(ns.toBigInt(v)).toBe(x);
          const decoded = ns.decode(v);
          for (const f of decodeValue(shape, x, front.lookup).fields) {
            const got = at(decoded, f.path);
            if (typeof got === "object" && !("lo" in (got as object))) continue; // nested layout: its leaves are checked
            expect(toBig(got), f.path).toBe(BigInt(f.value));
          }
        }),
        { numRuns: 200 },
      );
    });

    it(`${shape.qname}: encode(decode(x)) keeps every named bit`, () => {
      // Leaves only: reserved bits inside a nested layout are not fields, so encode starts them at zero.
      const named = fieldEntries(shape)
        .filter((f) => !f.layout)
        .reduce((m, f) => m | (((1n << BigInt(f.width)) - 1n) << BigInt(f.lsb)), 0n);
      fc.assert(
        fc.property(raw, (x) => {
          const back = ns.toBigInt(ns.encode(ns.decode(ns.fromBigInt(x))));
          expect(back & named).toBe(x & named);
        }),
        { numRuns: 200 },
      );
    });

    it(`${shape.qname}: set then get round-trips on writable fields, leaving other bits alone`, () => {
      const writable = shape.fields.filter((f) => ["rw", "wo", "w1c"].includes(f.access));
      expect(Object.keys(ns.set).sort()).toEqual(writable.map((f) => f.name).sort());
      if (!writable.length) return;
      fc.assert(
        fc.property(raw, fc.nat(writable.length - 1), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (x, i, y) => {
          const f = writable[i]!;
          const value = y & ((1n << BigInt(f.width)) - 1n);
          const arg = f.width === 1 ? value === 1n : f.width > 32 ? u64FromBigInt(value) : Number(value);
          const out = ns.set[f.name]!(ns.fromBigInt(x), arg);
          expect(toBig(ns.get[f.name]!(out))).toBe(value);
          const mask = ((1n << BigInt(f.width)) - 1n) << BigInt(f.lsb);
          expect(ns.toBigInt(out) & ~mask).toBe(x & ~mask);
        }),
        { numRuns: 200 },
      );
    });
  }
});

describe("descriptors", () => {
  it("report each field's access and enum and each reserved range's policy and doc as the model states them", () => {
    let shared = 0;
    for (const shape of shapes) {
      const ns = nsOf(shape.spec, shape.name);
      expect(ns.fields.map((f) => [f.name, f.lsb, f.width, f.access]), shape.qname).toEqual(shape.fields.map((f) => [f.name, f.lsb, f.width, f.access]));
      for (const [i, f] of shape.fields.entries()) {
        const members = ns.fields[i]!.enum;
        if (!f.enum.length) expect(members, `${shape.qname}.${f.name}`).toBeUndefined();
        else expect(Object.entries(members ?? {}).map(([k, v]) => [k, BigInt(v)]), `${shape.qname}.${f.name}`).toEqual(f.enum.map((e) => [e.name, e.value]));
        // A field's doc is its JSDoc alone (docs/architecture.md, "Each doc once").
        expect(ns.fields[i]!.doc).toBeUndefined();
      }
      expect(ns.reserved, shape.qname).toEqual(shape.reserved.map((r) => ({ lsb: r.lsb, width: r.width, policy: r.policy, ...(r.doc ? { doc: r.doc } : {}) })));
      if (new Set(shape.reserved.map((r) => r.policy + r.doc)).size < shape.reserved.length) shared++;
    }
    // The shared-policy form (reservedAs) is exercised: IA32_VMX_EPT_VPID_CAP's nine "Reserved." ranges among them.
    expect(shared).toBeGreaterThan(1);
  });
});

describe("typed API", () => {
  it("reaches nested control bits by name", () => {
    const v = vmx.IA32_VMX_PROCBASED_CTLS.fromBigInt(0xfff9fffe0401e172n);
    const allowed1 = vmx.IA32_VMX_PROCBASED_CTLS.get.allowed_1(v);
    expect(allowed1).toBe(0xfff9fffe);
    expect(vmx.vmx_cpu_based_exec_control_bits.get.activate_secondary_controls(allowed1)).toBe(true);
    expect(vmx.IA32_VMX_PROCBASED_CTLS.decode(v).allowed_1.activate_secondary_controls).toBe(true);
    expect(vmx.IA32_VMX_PROCBASED_CTLS.decode(v).allowed_0.hlt_exiting).toBe(false);
  });

  it("decodes IA32_VMX_BASIC like the SDM example", () => {
    const d = vmx.IA32_VMX_BASIC.decode(vmx.IA32_VMX_BASIC.parse("0x00da040000000004"));
    expect(d).toMatchObject({ vmcs_revision_id: 4, vmcs_region_size: 0x400, memory_type: 6, default1_zero: true, mbz: false });
    expect(vmx.IA32_VMX_BASIC.fields.find((f) => f.name === "memory_type")?.enum).toEqual({ UC: 0, WB: 6 });
  });

  it("read-only registers have no setters; layouts do", () => {
    expect(Object.keys(vmx.IA32_VMX_BASIC.set)).toEqual([]);
    const cr0 = cr.cr0_bits.set.pg(cr.cr0_bits.fromBigInt(0n), true);
    expect(cr.cr0_bits.toBigInt(cr0)).toBe(0x80000000n);
  });

  it("encode builds values from nested objects, patch and with reject what they must", () => {
    const v = vmx.IA32_VMX_PROCBASED_CTLS.encode({ allowed_1: { activate_secondary_controls: true, hlt_exiting: true } });
    expect(vmx.IA32_VMX_PROCBASED_CTLS.format(v)).toBe("0x8000008000000000");
    expect(() => vmx.IA32_VMX_PROCBASED_CTLS.with(v, { allowed_1: 1 } as never)).toThrow(/not writable/);
    expect(() => vmx.IA32_VMX_BASIC.encode({ bogus: 1 } as never)).toThrow(/does not exist/);
    expect(() => vmx.IA32_VMX_BASIC.encode({ vmcs_region_size: 0x2000 })).toThrow(/not a valid 13-bit value/);
    expect(() => cr.cr4_bits.with(cr.cr4_bits.fromBigInt(0n), { vmxe: 1 as never })).toThrow(/not a valid 1-bit value/);
    expect(() => vmx.IA32_VMX_BASIC.parse("0x1ffffffffffffffff")).toThrow(/64-bit/);
    expect(() => vmx.IA32_VMX_BASIC.parse("twelve")).toThrow(/not a number/);
  });

  it("groups carry compiled availability rules", () => {
    expect(vmx.groups.map((g) => g.name)).toEqual([
      "vmx",
      "vmx_procbased_ctls2",
      "vmx_ept_vpid_cap",
      "vmx_true_ctls",
      "vmx_vmfunc",
      "vmx_procbased_ctls3",
      "vmx_exit_ctls2",
    ]);
    expect(vmx.vmx_group.rawBytes).toBe(88);
    expect(vmx.vmx_true_ctls_group.rawBytes).toBe(32);
  });
});
