/**
 * The PL011 identification registers decoded into the TRM's subfields (DDI 0183G, Peripheral
 * Identification Registers UARTPeriphID0-3 and PrimeCell Identification Registers UARTPCellID0-3).
 *
 * Expected values are worked out by hand from the TRM: part number 0x011, designer 0x41 ('A',
 * ARM), revision 3 (r1p5, the spec's documented choice over QEMU's 1), configuration 0, PrimeCell
 * ID 0xB105F00D. The Linux view re-assembles the ID as drivers/amba/bus.c does and splits it with
 * the AMBA_*_BITS definitions of include/linux/amba/bus.h, written out here.
 */
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PCellID0, PCellID1, PCellID2, PCellID3, PeriphID0, PeriphID1, PeriphID2, PeriphID3, pl011_reset } from "../../generated/ts/arm/pl011.ts";
import { runCli } from "../helpers/cli.ts";
import { GENERATED, tempDir } from "../helpers/project.ts";

const EXPECTED = {
  PeriphID0: { PartNumber0: 0x11 },
  PeriphID1: { PartNumber1: 0x0, Designer0: 0x1 },
  PeriphID2: { Designer1: 0x4, Revision: 0x3 },
  PeriphID3: { Configuration: 0x00 },
  PCellID0: { UARTPCellID0: 0x0d },
  PCellID1: { UARTPCellID1: 0xf0 },
  PCellID2: { UARTPCellID2: 0x05 },
  PCellID3: { UARTPCellID3: 0xb1 },
} as const;

describe("PL011 ID registers: reset values decode into the TRM subfields", () => {
  const reset = pl011_reset();

  it("in the generated TS accessors", () => {
    expect(PeriphID0.decode(reset.PeriphID0)).toEqual(EXPECTED.PeriphID0);
    expect(PeriphID1.decode(reset.PeriphID1)).toEqual(EXPECTED.PeriphID1);
    expect(PeriphID2.decode(reset.PeriphID2)).toEqual(EXPECTED.PeriphID2);
    expect(PeriphID3.decode(reset.PeriphID3)).toEqual(EXPECTED.PeriphID3);
    expect(PCellID0.decode(reset.PCellID0)).toEqual(EXPECTED.PCellID0);
    expect(PCellID1.decode(reset.PCellID1)).toEqual(EXPECTED.PCellID1);
    expect(PCellID2.decode(reset.PCellID2)).toEqual(EXPECTED.PCellID2);
    expect(PCellID3.decode(reset.PCellID3)).toEqual(EXPECTED.PCellID3);
    // The register descriptors carry the same reset values as the state.
    expect([PeriphID0, PeriphID1, PeriphID2, PeriphID3].map((r) => Number(r.reset))).toEqual([0x11, 0x10, 0x34, 0x00]);
  });

  it("as Linux's amba bus sees them: part 0x011, designer 0x41 ('A'), revision 3, configuration 0, CID 0xB105F00D", () => {
    const byteAt = (v: number, i: number) => ((v & 0xff) << (8 * i)) >>> 0;
    const pid = [reset.PeriphID0, reset.PeriphID1, reset.PeriphID2, reset.PeriphID3].reduce((a, v, i) => (a | byteAt(v, i)) >>> 0, 0);
    const cid = [reset.PCellID0, reset.PCellID1, reset.PCellID2, reset.PCellID3].reduce((a, v, i) => (a | byteAt(v, i)) >>> 0, 0);
    const AMBA_PART_BITS = (a: number) => a & 0xfff;
    const AMBA_MANF_BITS = (a: number) => (a >>> 12) & 0xff;
    const AMBA_REV_BITS = (a: number) => (a >>> 20) & 0x0f;
    const AMBA_CONFIG_BITS = (a: number) => (a >>> 24) & 0xff;
    expect(pid).toBe(0x00341011);
    expect(cid).toBe(0xb105f00d);
    expect([AMBA_PART_BITS(pid), AMBA_MANF_BITS(pid), AMBA_REV_BITS(pid), AMBA_CONFIG_BITS(pid)]).toEqual([0x011, 0x41, 3, 0]);
    expect(String.fromCharCode(AMBA_MANF_BITS(pid))).toBe("A");
    // The split fields say the same: PartNumber1:PartNumber0 and Designer1:Designer0.
    const p1 = PeriphID1.decode(reset.PeriphID1);
    const p2 = PeriphID2.decode(reset.PeriphID2);
    expect((p1.PartNumber1 << 8) | PeriphID0.decode(reset.PeriphID0).PartNumber0).toBe(AMBA_PART_BITS(pid));
    expect((p2.Designer1 << 4) | p1.Designer0).toBe(AMBA_MANF_BITS(pid));
    expect(p2.Revision).toBe(AMBA_REV_BITS(pid));
    expect(PeriphID3.decode(reset.PeriphID3).Configuration).toBe(AMBA_CONFIG_BITS(pid));
    // amba-pl011's id table entry: 0x00041011 under mask 0x000fffff.
    expect((pid & 0x000fffff) >>> 0).toBe(0x00041011);
  });

  it("through `hwspec decode` on the CLI", async () => {
    for (const [name, fields] of Object.entries(EXPECTED)) {
      const reset = (JSON.parse((await runCli(["layout", name, "--json"])).stdout) as { reset: string }).reset;
      const r = await runCli(["decode", name, reset, "--json"]);
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout) as { fields: { path: string; value: string }[]; violations: unknown[] };
      expect(Object.fromEntries(j.fields.map((f) => [f.path, Number(f.value)])), name).toEqual(fields);
      expect(j.violations).toEqual([]);
    }
  });

  it("in the generated C header, checked by gcc", () => {
    const dir = tempDir("hwspec-pl011-id-");
    try {
      const probe = join(dir, "probe.c");
      writeFileSync(
        probe,
        [
          `#include "${join(GENERATED, "c/arm/pl011.h")}"`,
          "_Static_assert(PERIPHID0_PARTNUMBER0_SHIFT == 0 && PERIPHID0_PARTNUMBER0_WIDTH == 8, \"PartNumber0\");",
          "_Static_assert(PERIPHID1_PARTNUMBER1_MASK == 0x0fu && PERIPHID1_DESIGNER0_MASK == 0xf0u, \"PeriphID1\");",
          "_Static_assert(PERIPHID2_DESIGNER1_MASK == 0x0fu && PERIPHID2_REVISION_MASK == 0xf0u, \"PeriphID2\");",
          "_Static_assert(PERIPHID3_CONFIGURATION_MASK == 0xffu, \"PeriphID3\");",
          "int main(void) {",
          "  int bad = 0;",
          "  bad |= periphid0_get_PartNumber0(PERIPHID0_RESET) != 0x11;",
          "  bad |= periphid1_get_PartNumber1(PERIPHID1_RESET) != 0x0;",
          "  bad |= periphid1_get_Designer0(PERIPHID1_RESET) != 0x1;",
          "  bad |= periphid2_get_Designer1(PERIPHID2_RESET) != 0x4;",
          "  bad |= periphid2_get_Revision(PERIPHID2_RESET) != 0x3;",
          "  bad |= periphid3_get_Configuration(PERIPHID3_RESET) != 0x0;",
          "  bad |= pcellid0_get_UARTPCellID0(PCELLID0_RESET) != 0x0d;",
          "  bad |= pcellid1_get_UARTPCellID1(PCELLID1_RESET) != 0xf0;",
          "  bad |= pcellid2_get_UARTPCellID2(PCELLID2_RESET) != 0x05;",
          "  bad |= pcellid3_get_UARTPCellID3(PCELLID3_RESET) != 0xb1;",
          "  union periphid2 p2 = { .raw = PERIPHID2_RESET };",
          "  bad |= p2.Designer1 != 0x4 || p2.Revision != 0x3;",
          "  return bad;",
          "}",
          "",
        ].join("\n"),
      );
      const exe = join(dir, "probe");
      execFileSync("gcc", ["-std=c11", "-Wall", "-Wextra", "-Werror", "-o", exe, probe], { stdio: "pipe" });
      expect(() => execFileSync(exe, { stdio: "pipe" })).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
