import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gicv2_REGISTERS } from "../../generated/ts/arm/gicv2-distributor.ts";
import { GENERATED, tempDir } from "../helpers/project.ts";

/**
 * Xen's own numbers (xen/arch/arm/include/asm/gic.h): the first and last register of each
 * range, the SGIR and TYPER masks. The header must agree with them, so the spec's offsets,
 * counts and strides are checked against a source the spec was not generated from.
 */
const XEN = [
  ["GICD_CTLR", 0x000, 0x000],
  ["GICD_TYPER", 0x004, 0x004],
  ["GICD_IIDR", 0x008, 0x008],
  ["GICD_IGROUPR", 0x080, 0x0fc],
  ["GICD_ISENABLER", 0x100, 0x17c],
  ["GICD_ICENABLER", 0x180, 0x1fc],
  ["GICD_ISPENDR", 0x200, 0x27c],
  ["GICD_ICPENDR", 0x280, 0x2fc],
  ["GICD_ISACTIVER", 0x300, 0x37c],
  ["GICD_ICACTIVER", 0x380, 0x3fc],
  ["GICD_IPRIORITYR", 0x400, 0x7f8],
  ["GICD_ITARGETSR", 0x800, 0xbf8],
  ["GICD_ICFGR", 0xc00, 0xcfc],
  ["GICD_NSACR", 0xe00, 0xefc],
  ["GICD_SGIR", 0xf00, 0xf00],
  ["GICD_CPENDSGIR", 0xf10, 0xf1c],
  ["GICD_SPENDSGIR", 0xf20, 0xf2c],
  ["GICD_ICPIDR2", 0xfe8, 0xfe8],
] as const;

describe("generated/c/arm/gicv2-distributor.h", () => {
  it("ends every range where Xen's GICD_<NAME>N does, from the spec's count and stride", () => {
    for (const [name, , last] of XEN) {
      const reg = gicv2_REGISTERS.find((r) => r.name === name)!;
      const [count, stride] = "count" in reg ? [reg.count, reg.stride] : [1, 4];
      expect([name, reg.offset + (count - 1) * stride]).toEqual([name, last]);
    }
  });

  it("compiles with gcc -Werror and agrees with Xen's gic.h on offsets (first and last element) and masks", () => {
    const dir = tempDir("hwspec-gicv2-c-");
    try {
      const probe = join(dir, "probe.c");
      writeFileSync(
        probe,
        [
          `#include "${join(GENERATED, "c/arm/gicv2-distributor.h")}"`,
          // A single register's offset is <NAME>_OFFSET; an array's takes the element (<NAME>_OFFSET(n)).
          ...XEN.map(([name, first, last]) =>
            first === last
              ? `_Static_assert(${name}_OFFSET == ${first}, "${name}");`
              : `_Static_assert(${name}_OFFSET(0) == ${first} && ${name}_OFFSET(${name}_COUNT - 1) == ${last}, "${name}");`,
          ),
          '_Static_assert(GICD_CTLR_ENABLE_MASK == 0x1 && GICD_CTLR_RES0_MASK == 0xfffffffe, "GICD_CTL_ENABLE");',
          '_Static_assert(GICD_TYPER_ITLINESNUMBER_MASK == 0x01f && GICD_TYPER_CPUNUMBER_MASK == 0x0e0 && GICD_TYPER_CPUNUMBER_SHIFT == 5, "GICD_TYPE_LINES, GICD_TYPE_CPUS");',
          '_Static_assert(GICD_TYPER_SECURITYEXTN_MASK == 0x400, "GICD_TYPE_SEC");',
          '_Static_assert(GICD_SGIR_TARGETLISTFILTER_MASK == (0x3u << 24) && GICD_SGIR_TARGETLISTFILTER_SHIFT == 24, "GICD_SGI_TARGET_LIST_MASK");',
          '_Static_assert(GICD_SGIR_CPUTARGETLIST_MASK == (0xffu << 16) && GICD_SGIR_SGIINTID_MASK == 0xf, "GICD_SGI_TARGET_MASK, GICD_SGI_INTID_MASK");',
          '_Static_assert(GICD_SGIR_NSATT_MASK == (1u << 15), "GICD_SGI_GROUP1");',
          "int main(void) { return (int)gicd_ctlr_get_Enable(UINT32_C(0xffffffff)) - 1; }",
          "",
        ].join("\n"),
      );
      execFileSync("gcc", ["-std=c11", "-Wall", "-Wextra", "-Werror", "-o", join(dir, "probe"), probe], { stdio: "pipe" });
      expect(() => execFileSync(join(dir, "probe"))).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
