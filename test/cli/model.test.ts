import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as vmxTs from "../../generated/ts/x86/vmx-msrs.ts";
import { runCli } from "../helpers/cli.ts";
import { GENERATED, ROOT } from "../helpers/project.ts";

interface JsonShape {
  qname: string;
  role: string;
  width: number;
  res0Mask: string;
  res1Mask: string;
  bytes: number;
  ids: { ts: string; cTag: string; cPrefix: string };
  fields: { name: string; mask: string; writable: boolean; access: string }[];
  flat: { path: string; lsb: number; width: number; mask: string; access: string }[];
}
interface JsonModel {
  version: number;
  specs: { kind: string; name: string; layouts?: JsonShape[]; registers?: JsonShape[]; lowered?: { slots: unknown[]; processes: { steps: unknown[] }[] } }[];
}

const cDefine = (header: string, name: string): bigint => {
  const m = new RegExp(`#define ${name} UINT\\d+_C\\((0x[0-9a-f]+)\\)`).exec(header);
  if (!m) throw new Error(`no ${name}`);
  return BigInt(m[1]!);
};

describe("hwspec model --json", () => {
  it("prints the versioned elaborated model, whose facts match what the TS and C targets say", async () => {
    const r = await runCli(["model", "--json"]);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout) as JsonModel;
    expect(m.version).toBe(2);
    const vmx = m.specs.find((s) => s.name === "x86.vmx")!;
    const fixed0 = vmx.registers!.find((x) => x.qname === "x86.vmx.IA32_VMX_CR0_FIXED0")!;
    const header = readFileSync(join(GENERATED, "c/x86/vmx-msrs.h"), "utf8");
    expect(BigInt(fixed0.res0Mask)).toBe(cDefine(header, `${fixed0.ids.cPrefix}_RES0_MASK`));
    // The TS target states the fact on the exported shape itself (its public facts object).
    const tsShape = (vmxTs as unknown as Record<string, { res0Mask?: string }>)[fixed0.ids.ts];
    expect(tsShape?.res0Mask).toBeDefined();
    expect(BigInt(tsShape!.res0Mask!)).toBe(BigInt(fixed0.res0Mask));
    // Nested fields appear with dotted paths at absolute positions.
    const ctls = vmx.registers!.find((x) => x.qname === "x86.vmx.IA32_VMX_PROCBASED_CTLS")!;
    const nested = ctls.flat.find((f) => f.path === "allowed_1.activate_secondary_controls")!;
    expect(nested.lsb).toBe(63);
    expect(BigInt(nested.mask)).toBe(1n << 63n);
    // Every machine carries its slot table and lowered steps.
    for (const s of m.specs.filter((x) => x.kind === "machine")) {
      expect(s.lowered!.slots.length).toBeGreaterThan(0);
      expect(s.lowered!.processes.every((p) => p.steps.length > 0)).toBe(true);
    }
  });

  it("carries arrays, side-effect masks, aliases, narrow lanes and unmapped ranges", async () => {
    const specs = join(ROOT, "test/fixtures/arrays/specs");
    const m = JSON.parse((await runCli(["--specs", specs, "model", "--json"])).stdout) as { specs: Record<string, any>[] };
    const dist = m.specs.find((s) => s.name === "demo.dist")!;
    const soc = m.specs.find((s) => s.name === "demo.soc")!;
    const reg = (s: Record<string, any>, name: string) => s.registers.find((r: { name: string }) => r.name === name);
    expect(reg(soc, "IA32_MC_STATUS").array).toMatchObject({ count: 4, stride: "0x4", cluster: { name: "IA32_MC", register: "STATUS" } });
    expect(reg(soc, "IA32_MC_STATUS")).toMatchObject({ space: "msr", address: "0x401" });
    // val (bit 63) is w0c, every other field rw: the masks say so bit by bit.
    expect(reg(soc, "IA32_MC_STATUS").effects).toMatchObject({ w0c: "0x8000000000000000", store: "0x7fffffffffffffff", w1c: "0x0" });
    const ic = reg(dist, "ICENABLER");
    expect(ic).toMatchObject({ aliasOf: { name: "ISENABLER" }, storage: "ISENABLER", stored: false, array: { count: 4, stride: "0x4" }, effects: { w1c: "0xffffffff", store: "0x0" } });
    expect(reg(dist, "ISENABLER").effects).toMatchObject({ w1s: "0xffffffff" });
    expect(reg(dist, "ACK").effects).toMatchObject({ rc: "0xff", readSideEffects: true, fixedMask: "0xffffff00" });
    expect(reg(dist, "IPRIORITYR").narrow).toBe("lanes");
    expect(dist.block.unmapped).toBe("fault");
    expect(dist.block.unmappedRanges.map((u: Record<string, string>) => [u.first, u.last, u.policy])).toEqual([
      ["0xc", "0xff", "raz-wi"],
      ["0x500", "0x7ff", "raz-wi"],
    ]);
  });

  it("filters by spec and refuses an unknown one with exit 2", async () => {
    const one = JSON.parse((await runCli(["model", "--json", "--spec", "x86.cr"])).stdout) as JsonModel;
    expect(one.specs.map((s) => s.name)).toEqual(["x86.cr"]);
    const bad = await runCli(["model", "--spec", "no.such"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no spec named "no.such"/);
  });
});
