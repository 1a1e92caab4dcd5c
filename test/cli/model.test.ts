import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { GENERATED } from "../helpers/project.ts";

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
    const ts = readFileSync(join(GENERATED, "ts/x86/vmx-msrs.ts"), "utf8");
    expect(BigInt(fixed0.res0Mask)).toBe(cDefine(header, `${fixed0.ids.cPrefix}_RES0_MASK`));
    const tsBlock = ts.slice(ts.indexOf(`export const ${fixed0.ids.ts} = Object.freeze(`));
    expect(BigInt(/res0Mask: "(0x[0-9a-f]+)"/.exec(tsBlock)![1]!)).toBe(BigInt(fixed0.res0Mask));
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

  it("filters by spec and refuses an unknown one with exit 2", async () => {
    const one = JSON.parse((await runCli(["model", "--json", "--spec", "x86.cr"])).stdout) as JsonModel;
    expect(one.specs.map((s) => s.name)).toEqual(["x86.cr"]);
    const bad = await runCli(["model", "--spec", "no.such"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no spec named "no.such"/);
  });
});
