/**
 * `hwspec audit`: the project's own headers agree with their specs; hand-written headers with
 * deliberate mistakes (test/fixtures/audit/) are caught with the right field and bit positions.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findAggregate, scanMembers, stripC } from "../../generator/audit/scan.ts";
import { cTypeTag } from "../../generator/emit/c/names.ts";
import { runCli } from "../helpers/cli.ts";
import { GENERATED, ROOT } from "../helpers/project.ts";
import { projectFront } from "../helpers/project.ts";
import { shapesOf } from "./harness.ts";

const FIX = join(ROOT, "test/fixtures/audit");
const front = projectFront();

interface Report {
  agree: boolean;
  findings: { kind: string; path: string; spec?: { lsb: number; width: number }; header?: { lsb: number; width: number; path: string } }[];
  members: { path: string; lsb: number; width: number }[];
}

/** With --json a refusal is JSON on stdout too: its messages stand in for the text a terminal shows on stderr. */
async function audit(name: string, header: string, type: string): Promise<{ code: number; report: Report; stderr: string }> {
  const r = await runCli(["audit", name, "--c-header", header, "--c-type", type, "--json"]);
  if (r.code !== 2) return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
  const errors = (JSON.parse(r.stdout) as { diagnostics: { message: string }[] }).diagnostics.map((d) => d.message);
  return { code: r.code, report: {} as Report, stderr: errors.join("\n") };
}

describe("hwspec audit against the generated headers", () => {
  for (const info of shapesOf(front)) {
    it(`${info.shape.qname} agrees with union ${cTypeTag(info.shape)}`, async () => {
      const header = join(GENERATED, "c", info.spec.rel.replace(/\.json$/, ".h"));
      const { code, report } = await audit(info.shape.qname, header, `union ${cTypeTag(info.shape)}`);
      expect(report.findings).toEqual([]);
      expect(code).toBe(0);
      // The compiler placed every spec field, nested ones included, exactly where the spec says.
      const placed = new Map(report.members.map((m) => [m.path, m]));
      for (const e of info.entries) expect(placed.get(e.path), e.path).toMatchObject({ lsb: e.lsb, width: e.width });
    });
  }

  it("prints a one-line agreement without --json", async () => {
    const r = await runCli(["audit", "IA32_VMX_BASIC", "--c-header", join(GENERATED, "c/x86/vmx-msrs.h"), "--c-type", "ia32_vmx_basic"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("agree: union ia32_vmx_basic");
  });
});

describe("hwspec audit against hand-written headers with mistakes", () => {
  it("names a shifted field and both positions", async () => {
    const { code, report } = await audit("vmx_pin_based_exec_control_bits", join(FIX, "pin-shifted.h"), "union vmx_pin_based_exec_control_bits");
    expect(code).toBe(1);
    expect(report.findings).toEqual([
      expect.objectContaining({ kind: "moved", path: "nmi_exiting", spec: { lsb: 3, width: 1 }, header: { lsb: 4, width: 1, path: "nmi_exiting" } }),
    ]);
  });

  it("names a field of the wrong width (typedef'd union)", async () => {
    const { code, report } = await audit("IA32_VMX_MISC", join(FIX, "misc-width.h"), "vmx_misc_t");
    expect(code).toBe(1);
    expect(report.findings).toEqual([
      expect.objectContaining({ kind: "resized", path: "cr3_target", spec: { lsb: 16, width: 9 }, header: { lsb: 16, width: 8, path: "cr3_target" } }),
    ]);
  });

  it("reports every field moved by a missing reserved gap (union nested in a struct)", async () => {
    const { code, report } = await audit("IA32_VMX_BASIC", join(FIX, "basic-gap.h"), "union basic_msr");
    expect(code).toBe(1);
    expect(report.findings.map((f) => [f.kind, f.path, f.spec!.lsb, f.header!.lsb])).toEqual([
      ["moved", "addresses_32bit", 48, 45],
      ["moved", "dual_monitor", 49, 46],
      ["moved", "memory_type", 50, 47],
      ["moved", "ins_out_info", 54, 51],
      ["moved", "default1_zero", 55, 52],
      ["moved", "no_hw_error_code_cc", 56, 53],
      ["moved", "nested_exception", 58, 55],
      ["moved", "no_seamret_invd_vmcs", 60, 57],
    ]);
  });

  it("recognises a renamed field inside nested unions", async () => {
    const { code, report } = await audit("IA32_VMX_PROCBASED_CTLS", join(FIX, "procbased-renamed.h"), "procbased_ctls_t");
    expect(code).toBe(1);
    expect(report.findings).toEqual([
      expect.objectContaining({ kind: "renamed", path: "allowed_0.virtual_intr_pending", header: { lsb: 2, width: 1, path: "allowed_0.intr_window_exiting" } }),
      expect.objectContaining({ kind: "renamed", path: "allowed_1.virtual_intr_pending", header: { lsb: 34, width: 1, path: "allowed_1.intr_window_exiting" } }),
    ]);
  });

  it("reports missing and extra fields when the same header is audited against another register", async () => {
    const { code, report } = await audit("IA32_VMX_BASIC", join(FIX, "misc-width.h"), "vmx_misc_t");
    expect(code).toBe(1);
    const kinds = new Set(report.findings.map((f) => f.kind));
    expect(kinds.has("missing")).toBe(true);
    expect(kinds.has("extra")).toBe(true);
    expect(report.findings).toContainEqual(expect.objectContaining({ kind: "missing", path: "default1_zero", spec: { lsb: 55, width: 1 } }));
    expect(report.findings).toContainEqual(expect.objectContaining({ kind: "extra", path: "mseg_revision_id", header: { lsb: 32, width: 32, path: "mseg_revision_id" } }));
  });

  it("exits 2 and prints gcc's message when the header does not compile", async () => {
    const { code, stderr } = await audit("IA32_VMX_BASIC", join(FIX, "broken.h"), "union broken");
    expect(code).toBe(2);
    expect(stderr).toContain("does not compile with gcc");
    expect(stderr).toMatch(/broken\.h:6:\d+: error/);
  });

  it("exits 2 for an unknown C type", async () => {
    const { code, stderr } = await audit("IA32_VMX_BASIC", join(FIX, "basic-gap.h"), "union nowhere");
    expect(code).toBe(2);
    expect(stderr).toContain("no definition of union nowhere");
  });
});

describe("declaration scanner", () => {
  it("handles bool/unnamed bit-fields, multiple declarators, attributes, anonymous and tagged nesting", () => {
    const text = stripC(`
      union inner { unsigned raw; struct { bool a:1; unsigned :3; unsigned b : 4, c:2; } __attribute__((packed)); };
      // comment with union fake { int x; };
      struct outer {
        uint64_t raw;
        union { struct { union inner lo; uint32_t hi; }; uint32_t words[2]; };
        struct { unsigned d:1; } named;
      };`);
    const agg = findAggregate(text, "struct outer")!;
    expect(scanMembers(text, agg.body).map((m) => `${m.path}=${m.access}`)).toEqual([
      "lo=lo.raw",
      "lo.a=lo.a",
      "lo.b=lo.b",
      "lo.c=lo.c",
      "hi=hi",
      "named.d=named.d",
    ]);
    expect(findAggregate(text, "fake")).toBeUndefined();
  });
});

describe("hwspec audit of register arrays (--c-address)", () => {
  const specs = join(ROOT, "test/fixtures/arrays/specs");
  const header = join(FIX, "arrays.h");
  const soc = JSON.parse(readFileSync(join(specs, "demo/soc.json"), "utf8"));
  const run = async (...args: string[]) => {
    const r = await runCli(["--specs", specs, "audit", ...args, "--c-header", header, "--json"]);
    return { code: r.code, out: JSON.parse(r.stdout) };
  };

  it("a function-like macro is evaluated by gcc for every element and agrees with base + i × stride", async () => {
    const { code, out } = await run("IA32_MC_STATUS", "--c-address", "MSR_IA32_MCx_STATUS");
    expect(code).toBe(0);
    const mc = soc.clusters.IA32_MC;
    const expected = Array.from({ length: mc.count }, (_, i) => `0x${(Number(mc.index) + i * mc.stride + mc.registers.STATUS.index).toString(16)}`);
    expect(out.address).toMatchObject({ macro: "MSR_IA32_MCx_STATUS", kind: "function" });
    expect(out.address.elements.map((e: { spec: string }) => e.spec)).toEqual(expected);
    expect(out.address.elements.map((e: { header: string }) => e.header)).toEqual(expected);
  });

  it("reports each element a wrong macro misplaces, with both addresses", async () => {
    const { code, out } = await run("DMACC_Configuration", "--c-address", "DMACC_CONFIGURATION");
    expect(code).toBe(1);
    const dma = JSON.parse(readFileSync(join(specs, "demo/dma.json"), "utf8")).clusters.DMACC;
    // The header steps 0x10 per channel; the PL080 steps 0x20, so every element but the first is off.
    expect(out.findings).toHaveLength(dma.count - 1);
    expect(out.findings[0]).toMatchObject({
      kind: "address",
      path: "DMACC_Configuration[1]",
      element: 1,
      address: { spec: `0x${(Number(dma.offset) + Number(dma.stride) + Number(dma.registers.Configuration.offset)).toString(16)}`, header: "0x120" },
    });
  });

  it("an object-like macro is compared with the named element (element 0 for the whole array)", async () => {
    expect((await run("IA32_PMC1", "--c-address", "MSR_IA32_PERFCTR1")).code).toBe(0);
    const wrong = await run("IA32_PMC[2]", "--c-address", "MSR_IA32_PERFCTR1");
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatchObject({ element: 2, findings: [{ kind: "address", element: 2, address: { spec: "0xc3", header: "0xc2" } }] });
    const text = await runCli(["--specs", specs, "audit", "IA32_PMC", "--c-address", "MSR_IA32_PERFCTR0", "--c-header", header]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("IA32_PMC[0] (only element 0 is checked");
  });

  it("checks an element's bit layout and its address macro together", async () => {
    const { code, out } = await run("IA32_PERFEVTSEL[3]", "--c-type", "union perfevtsel", "--c-address", "MSR_P6_EVNTSEL");
    expect(code).toBe(0);
    expect(out).toMatchObject({ name: "demo.soc.IA32_PERFEVTSEL", element: 3, cType: "union perfevtsel", agree: true });
    expect(out.members.map((m: { path: string }) => m.path)).toContain("apic_int");
  });

  it("refuses a macro it cannot use, saying why", async () => {
    const refuse = async (args: string[], message: string) => {
      const r = await runCli(["--specs", specs, "audit", ...args, "--c-header", header]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toContain(message);
    };
    await refuse(["IA32_MCG_STATUS", "--c-address", "MSR_P6_EVNTSEL"], "MSR_P6_EVNTSEL takes an argument, but IA32_MCG_STATUS is not an array");
    await refuse(["IA32_PMC", "--c-address", "MSR_NOWHERE"], "no macro MSR_NOWHERE in");
    await refuse(["IA32_PMC", "--c-address", "X); system(\"id\""], "--c-address takes a macro name");
    await refuse(["IA32_PMC"], "give --c-type");
  });
});
