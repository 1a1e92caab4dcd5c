/**
 * Index spaces in C: the address macros of every space compile with gcc -Werror and hold the
 * numbers the architecture gives. Expected values never come from the model: sysreg numbers are
 * packed here from the encodings the fixture JSON states (the packing Linux's sys_reg() uses,
 * arch/arm64/include/asm/sysreg.h), CSR numbers are Linux's arch/riscv/include/asm/csr.h values,
 * mstatus/misa/mip masks are QEMU's target/riscv/cpu_bits.h values, port numbers are the PCI and
 * 16550 ones the fixture cites.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { GENERATED, ROOT, tempDir } from "../helpers/project.ts";
import { gcc, STRICT } from "../c/harness.ts";

const FIXTURE = join(ROOT, "test/fixtures/spaces/specs");

interface Encoding {
  op0: number;
  op1: number;
  crn: number;
  crm: number;
  op2: number;
}
type JsonRegisters = Record<string, { encoding?: Encoding; index?: string; width: number }>;

const sysregs = (JSON.parse(readFileSync(join(FIXTURE, "arm/aarch64-sysregs.json"), "utf8")) as { registers: JsonRegisters }).registers;
const ports = (JSON.parse(readFileSync(join(FIXTURE, "x86/pc-ports.json"), "utf8")) as { registers: JsonRegisters }).registers;

/** Linux's sys_reg(op0, op1, crn, crm, op2): MRS/MSR instruction bits 20:5. */
const sysReg = (e: Encoding) => (BigInt(e.op0) << 19n) | (BigInt(e.op1) << 16n) | (BigInt(e.crn) << 12n) | (BigInt(e.crm) << 8n) | (BigInt(e.op2) << 5n);

/** arch/riscv/include/asm/csr.h (and QEMU's cpu_bits.h agrees). */
const LINUX_CSR: Record<string, number> = {
  MSTATUS: 0x300, MISA: 0x301, MIE: 0x304, MTVEC: 0x305, MSCRATCH: 0x340, MEPC: 0x341, MCAUSE: 0x342, MTVAL: 0x343, MIP: 0x344, MHARTID: 0xf14,
};

/** QEMU target/riscv/cpu_bits.h masks (MSTATUS_*, MSTATUS64_*, MISA64_MXL, MIP_*, MIE_*) for the generated <REG>_<FIELD>_MASK. */
const QEMU_MASKS: Record<string, bigint> = {
  MSTATUS_SIE_MASK: 0x2n, MSTATUS_MIE_MASK: 0x8n, MSTATUS_SPIE_MASK: 0x20n, MSTATUS_UBE_MASK: 0x40n, MSTATUS_MPIE_MASK: 0x80n,
  MSTATUS_SPP_MASK: 0x100n, MSTATUS_VS_MASK: 0x600n, MSTATUS_MPP_MASK: 0x1800n, MSTATUS_FS_MASK: 0x6000n, MSTATUS_XS_MASK: 0x18000n,
  MSTATUS_MPRV_MASK: 0x20000n, MSTATUS_SUM_MASK: 0x40000n, MSTATUS_MXR_MASK: 0x80000n, MSTATUS_TVM_MASK: 0x100000n,
  MSTATUS_TW_MASK: 0x200000n, MSTATUS_TSR_MASK: 0x400000n, MSTATUS_GVA_MASK: 0x4000000000n, MSTATUS_MPV_MASK: 0x8000000000n,
  MSTATUS_UXL_MASK: 0x0000000300000000n, MSTATUS_SXL_MASK: 0x0000000c00000000n, MSTATUS_SD_MASK: 0x8000000000000000n,
  MISA_MXL_MASK: 0xc000000000000000n,
  MIP_SSIP_MASK: 1n << 1n, MIP_VSSIP_MASK: 1n << 2n, MIP_MSIP_MASK: 1n << 3n, MIP_STIP_MASK: 1n << 5n, MIP_VSTIP_MASK: 1n << 6n,
  MIP_MTIP_MASK: 1n << 7n, MIP_SEIP_MASK: 1n << 9n, MIP_VSEIP_MASK: 1n << 10n, MIP_MEIP_MASK: 1n << 11n, MIP_SGEIP_MASK: 1n << 12n,
  MIP_LCOFIP_MASK: 1n << 13n, MIE_SSIE_MASK: 1n << 1n, MIE_STIE_MASK: 1n << 5n, MIE_SEIE_MASK: 1n << 9n, MIE_LCOFIE_MASK: 1n << 13n,
};

/** Values written into fields: QEMU's PRV_U/PRV_S/PRV_M for MPP, Linux's SR_FS_* for FS, QEMU's MXL_RV64 for the XLEN fields. */
const FIELD_VALUES: [string, bigint][] = [
  ["MSTATUS_MPP_U", 0n], ["MSTATUS_MPP_S", 1n], ["MSTATUS_MPP_M", 3n],
  ["(MSTATUS_FS_DIRTY << MSTATUS_FS_SHIFT)", 0x6000n], ["(MSTATUS_FS_CLEAN << MSTATUS_FS_SHIFT)", 0x4000n], ["(MSTATUS_FS_INITIAL << MSTATUS_FS_SHIFT)", 0x2000n],
  ["(MSTATUS_XS_DIRTY << MSTATUS_XS_SHIFT)", 0x18000n], ["MISA_MXL_RV64", 2n], ["MSTATUS_UXL_RV64", 2n], ["MTVEC_MODE_VECTORED", 1n],
];

const c64 = (v: bigint) => `UINT64_C(0x${v.toString(16)})`;

let out: string;
let bin: string;
let run: { status: number | null; stdout: string; stderr: string };

beforeAll(async () => {
  out = tempDir("hwspec-spaces-c-");
  const r = await runCli(["generate", "--specs", FIXTURE, "--out", join(out, "generated")]);
  if (r.code !== 0) throw new Error(`generate failed: ${r.stderr}`);
  const L = [
    "#include <stddef.h>",
    "#include <stdio.h>",
    '#include "arm/aarch64-sysregs.h"',
    '#include "x86/pc-ports.h"',
    '#include "riscv/machine-csrs.h"',
    '#include "x86/vmx-msrs.h"',
    "#define LINUX_SYS_REG(op0, op1, crn, crm, op2) (((op0) << 19) | ((op1) << 16) | ((crn) << 12) | ((crm) << 8) | ((op2) << 5))",
    "#define STR(x) #x",
    "#define XSTR(x) STR(x)",
  ];
  for (const [name, r] of Object.entries(sysregs)) {
    const e = r.encoding!;
    L.push(`_Static_assert(SYS_${name} == LINUX_SYS_REG(${e.op0}, ${e.op1}, ${e.crn}, ${e.crm}, ${e.op2}), "SYS_${name} is Linux's sys_reg() packing");`);
    L.push(`_Static_assert(SYS_${name} == 0x${sysReg(e).toString(16)}, "SYS_${name} value");`);
    for (const [suffix, v] of [["Op0", e.op0], ["Op1", e.op1], ["CRn", e.crn], ["CRm", e.crm], ["Op2", e.op2]] as const) {
      L.push(`_Static_assert(SYS_${name}_${suffix} == ${v}, "SYS_${name}_${suffix}");`);
    }
  }
  for (const [name, r] of Object.entries(ports)) L.push(`_Static_assert(PORT_${name} == ${r.index}, "PORT_${name}");`);
  for (const [name, v] of Object.entries(LINUX_CSR)) L.push(`_Static_assert(CSR_${name} == 0x${v.toString(16)}, "CSR_${name} as Linux defines it");`);
  for (const [name, v] of Object.entries(QEMU_MASKS)) L.push(`_Static_assert(${name} == ${c64(v)}, "${name} as QEMU's mask");`);
  for (const [expr, v] of FIELD_VALUES) L.push(`_Static_assert(${expr} == ${c64(v)}, "${expr.replace(/"/g, "")}");`);
  // MSRs keep Xen's spelling.
  L.push(`_Static_assert(MSR_IA32_VMX_BASIC == 0x480, "MSR_IA32_VMX_BASIC");`);
  // Groups are raw arrays over their span; the step is the space's (sysreg: one encoding, ports: width/8).
  L.push(`_Static_assert(sizeof(union ttbr_group) == 2 * sizeof(uint64_t), "two consecutive encodings");`);
  L.push(`_Static_assert(offsetof(union ttbr_group, ttbr1_el1) == sizeof(uint64_t), "TTBR1_EL1 follows TTBR0_EL1");`);
  L.push(`_Static_assert(sizeof(union uart_group) == 3, "three byte ports");`);
  L.push(`_Static_assert(sizeof(union pci_config_group) == 8, "two doubleword ports four apart");`);
  L.push(`_Static_assert(offsetof(union pci_config_group, pci_config_data) == 4, "CONFIG_DATA four ports after CONFIG_ADDRESS");`);
  L.push("int main(void)", "{");
  for (const name of Object.keys(sysregs)) L.push(`    puts(XSTR(REG_${name}));`);
  L.push("    return 0;", "}", "");
  const src = join(out, "spaces.c");
  writeFileSync(src, L.join("\n"));
  bin = join(out, "spaces");
  const built = gcc([...STRICT, "-I", join(out, "generated/c"), "-I", join(GENERATED, "c"), "-o", bin, src]);
  if (!built.ok) throw new Error(`gcc failed:\n${built.stderr}`);
  const r2 = spawnSync(bin, { encoding: "utf8" });
  run = { status: r2.status, stdout: r2.stdout, stderr: r2.stderr };
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("index spaces in C", () => {
  it("the address macros of every space compile with gcc -Werror and hold the architectural numbers", () => {
    // Reaching here means every _Static_assert held; the program also ran.
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
  });

  it("REG_<NAME> stringifies to the generic name an assembler accepts, S<op0>_<op1>_C<n>_C<m>_<op2>", () => {
    const want = Object.values(sysregs).map(({ encoding: e }) => `S${e!.op0}_${e!.op1}_C${e!.crn}_C${e!.crm}_${e!.op2}`);
    expect(run.stdout.trim().split("\n")).toEqual(want);
  });

  it("the fixture headers also compile as C++ inside extern \"C\"", () => {
    for (const h of ["arm/aarch64-sysregs.h", "x86/pc-ports.h"]) {
      const r = gcc(["-x", "c++", "-std=c++11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", join(out, "generated/c", h)]);
      expect(r.stderr, h).toBe("");
    }
  });

  it("a wrong expectation fails the build, so the assertions above are live", () => {
    const src = join(out, "wrong.c");
    writeFileSync(src, `#include "arm/aarch64-sysregs.h"\n_Static_assert(SYS_SCTLR_EL1 == 0x181020, "op2 1 is not SCTLR_EL1");\nint main(void) { return 0; }\n`);
    const r = gcc([...STRICT, "-I", join(out, "generated/c"), "-fsyntax-only", src]);
    expect(r.ok).toBe(false);
    expect(r.stderr).toMatch(/op2 1 is not SCTLR_EL1/);
  });
});
