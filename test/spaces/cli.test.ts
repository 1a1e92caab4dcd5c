/**
 * Index spaces on the command line: layout, decode, list, model, diff and docs name each
 * register's space and print its address the way that space writes it.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { ROOT, SPECS, tempDir } from "../helpers/project.ts";

const FIXTURE = join(ROOT, "test/fixtures/spaces/specs");
const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));

const cli = async (...argv: string[]) => {
  const r = await runCli(argv);
  if (r.code !== 0) throw new Error(`hwspec ${argv.join(" ")} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
};
const json = async (...argv: string[]) => JSON.parse(await cli(...argv, "--json")) as Record<string, unknown>;

/** The fixture tree copied somewhere it may be edited. */
function fixtureCopy(): string {
  const dir = tempDir("hwspec-spaces-cli-");
  temps.push(dir);
  cpSync(FIXTURE, join(dir, "specs"), { recursive: true });
  return join(dir, "specs");
}

describe("layout and decode name the register's space", () => {
  it("layout prints the address as its space writes it", async () => {
    const first = async (name: string, specs: string) => (await cli("layout", name, "--specs", specs)).split("\n")[0];
    expect(await first("SCTLR_EL1", FIXTURE)).toBe("test.aarch64.SCTLR_EL1  64 bits, system register S3_0_C1_C0_0");
    expect(await first("PCI_CONFIG_ADDRESS", FIXTURE)).toBe("test.ports.PCI_CONFIG_ADDRESS  32 bits, port 0xcf8");
    expect(await first("mstatus", SPECS)).toBe("riscv.m.mstatus  64 bits, CSR 0x300");
    expect(await first("IA32_VMX_BASIC", SPECS)).toBe("x86.vmx.IA32_VMX_BASIC  64 bits, MSR 0x480");
    expect(await first("FR", SPECS)).toMatch(/^arm\.pl011\.FR {2}32 bits, offset 0x18, reset /);
  });

  it("layout --json gives the space, the number under its key, and a system register's encoding", async () => {
    expect(await json("layout", "CTR_EL0", "--specs", FIXTURE)).toMatchObject({
      space: "sysreg",
      index: "0x1b0020",
      encoding: { op0: 3, op1: 3, crn: 0, crm: 0, op2: 1 },
      encodingName: "S3_3_C0_C0_1",
    });
    expect(await json("layout", "mhartid", "--specs", SPECS)).toMatchObject({ space: "csr", index: "0xf14" });
    const fr = await json("layout", "FR", "--specs", SPECS);
    expect(fr).toMatchObject({ space: "mmio", offset: "0x18" });
    expect(fr.index).toBeUndefined();
  });

  it("decode heads its output with the register and its address; a layout has none", async () => {
    // MPP=M, MPIE, MIE, UXL=SXL=RV64, SD: a machine-mode hart with dirty state.
    const mstatus = (1n << 63n) | (2n << 34n) | (2n << 32n) | (3n << 11n) | (1n << 7n) | (1n << 3n);
    const text = await cli("decode", "mstatus", `0x${mstatus.toString(16)}`, "--specs", SPECS);
    expect(text.split("\n")[0]).toBe(`riscv.m.mstatus (CSR 0x300) = 0x${mstatus.toString(16).padStart(16, "0")}`);
    expect(text).toMatch(/12:11 +MPP +0x3 \(M\)/);
    expect((await cli("decode", "COM1_LSR", "0x60", "--specs", FIXTURE)).split("\n")[0]).toBe("test.ports.COM1_LSR (port 0x3fd) = 0x60");
    expect((await cli("decode", "MIDR_EL1", "0x410fd034", "--specs", FIXTURE)).split("\n")[0]).toBe(
      "test.aarch64.MIDR_EL1 (system register S3_0_C0_C0_0) = 0x00000000410fd034",
    );
    expect((await cli("decode", "ttbr_bits", "0x0", "--specs", FIXTURE)).split("\n")[0]).toBe("test.aarch64.ttbr_bits = 0x0000000000000000");
    const d = await json("decode", "MIDR_EL1", "0x410fd034", "--specs", FIXTURE);
    expect(d).toMatchObject({ space: "sysreg", index: "0x180000", encodingName: "S3_0_C0_C0_0" });
    expect((d.fields as { path: string; meaning?: string }[]).find((f) => f.path === "Implementer")).toMatchObject({ meaning: "Arm" });
  });
});

describe("list and model", () => {
  it("list shows each register's address in its space, --json the space and number", async () => {
    const text = await cli("list", "--specs", FIXTURE);
    expect(text).toContain("  register test.aarch64.TTBR1_EL1  64 bits  system register S3_0_C2_C0_1\n");
    expect(text).toContain("  register test.ports.COM1_LCR  8 bits  port 0x3fb\n");
    const specs = (await json("list", "--specs", FIXTURE)).specs as { name: string; space?: string; registers: Record<string, unknown>[] }[];
    const arm = specs.find((s) => s.name === "test.aarch64")!;
    expect(arm.space).toBe("sysreg");
    expect(arm.registers.find((r) => r.name === "test.aarch64.TTBR1_EL1")).toMatchObject({ space: "sysreg", index: "0x182020", encodingName: "S3_0_C2_C0_1" });
    expect(specs.find((s) => s.name === "test.ports")!.space).toBe("port");
  });

  it("model --json carries the space and the normalised address, and a system register's five fields", async () => {
    const m = (await json("model", "--spec", "test.aarch64", "--specs", FIXTURE)) as { specs: { space: string; registers: Record<string, unknown>[]; groups: Record<string, unknown>[] }[] };
    const [spec] = m.specs;
    expect(spec!.space).toBe("sysreg");
    expect(spec!.registers.find((r) => r.name === "SCTLR_EL1")).toMatchObject({ space: "sysreg", address: "0x181000", encoding: { op0: 3, op1: 0, crn: 1, crm: 0, op2: 0 } });
    expect(spec!.groups[0]).toMatchObject({ first: "0x182000", last: "0x182020" });
    const csr = (await json("model", "--spec", "riscv.m", "--specs", SPECS)) as { specs: { space: string; registers: Record<string, unknown>[] }[] };
    expect(csr.specs[0]!.space).toBe("csr");
    expect(csr.specs[0]!.registers.find((r) => r.name === "mip")).toMatchObject({ space: "csr", address: "0x344" });
  });
});

describe("diff reports a register that moved", () => {
  it("a new port number is a breaking address change; a new index space is a breaking space change", async () => {
    const specs = fixtureCopy();
    const file = join(specs, "x86/pc-ports.json");
    const spec = JSON.parse(readFileSync(file, "utf8")) as { index_space: string; registers: Record<string, { index: string }>; groups?: unknown; assert?: unknown };
    // Groups pin their members' addresses (and MSR groups step by 1, not width/8), so they go.
    delete spec.groups;
    delete spec.assert;
    spec.registers.COM1_LSR!.index = "0x2FD";
    writeFileSync(file, JSON.stringify(spec, null, 2));
    let changes = (await json("diff", FIXTURE, specs)).changes as Record<string, unknown>[];
    expect(changes).toContainEqual(expect.objectContaining({ subject: "register COM1_LSR", change: "index", severity: "breaking", old: "port 0x3fd", new: "port 0x2fd" }));

    spec.index_space = "msr";
    writeFileSync(file, JSON.stringify(spec, null, 2));
    changes = (await json("diff", FIXTURE, specs)).changes as Record<string, unknown>[];
    expect(changes).toContainEqual(expect.objectContaining({ subject: "register COM1_LCR", change: "space", severity: "breaking", old: "port 0x3fb", new: "MSR 0x3fb" }));
  });
});

describe("docs pages", () => {
  it("show each register's address under its space's label and introduce the space", async () => {
    const out = tempDir("hwspec-spaces-docs-");
    temps.push(out);
    await cli("docs", "--specs", FIXTURE, "--out", out, "--format", "md");
    const arm = readFileSync(join(out, "md/test.aarch64.md"), "utf8");
    expect(arm).toContain("AArch64 system registers, accessed with MRS/MSR");
    expect(arm).toContain("**system register:** `S3_0_C1_C0_0` · **op0, op1, CRn, CRm, op2:** `3, 0, 1, 0, 0`");
    expect(arm).not.toContain("MSR index");
    const ports = readFileSync(join(out, "md/test.ports.md"), "utf8");
    expect(ports).toContain("**I/O port:** `0xcf8`");
    expect(ports).toMatch(/\| pci\\_config \| 0xcf8\.\.0xcfc \|/);
  });
});
