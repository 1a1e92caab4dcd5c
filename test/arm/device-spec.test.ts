import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";

// The bad device specs live in the shared corpus (test/fixtures/bad/device-*, test/checks/bad-specs.test.ts).

describe("device spec checks", () => {
  it("accept the good fixture and the project's PL011 spec", async () => {
    expect((await runCli(["check", "--specs", "test/fixtures/device-good/specs"])).code).toBe(0);
    expect((await runCli(["check"])).code).toBe(0);
  });
});

describe("CLI on PL011 registers", () => {
  it("layout FR --json shows the offset, reset and flag fields", async () => {
    const r = await runCli(["layout", "FR", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { name: string; offset: string; reset: string; access: string; fields: { path: string; lsb: number }[] };
    expect([j.name, j.offset, j.reset, j.access]).toEqual(["arm.pl011.FR", "0x18", "0x00000090", "ro"]);
    expect(j.fields.map((f) => `${f.path}@${f.lsb}`)).toEqual(["CTS@0", "DSR@1", "DCD@2", "BUSY@3", "RXFE@4", "TXFF@5", "RXFF@6", "TXFE@7", "RI@8"]);
  });

  it("shares the interrupt layout across IMSC, RIS, MIS and ICR", async () => {
    for (const [name, offset] of [["IMSC", "0x38"], ["RIS", "0x3c"], ["MIS", "0x40"], ["ICR", "0x44"]] as const) {
      const j = JSON.parse((await runCli(["layout", name, "--json"])).stdout) as { offset: string; fields: { path: string }[] };
      expect(j.offset).toBe(offset);
      expect(j.fields.map((f) => f.path)).toEqual(["RIMIM", "CTSMIM", "DCDMIM", "DSRMIM", "RXIM", "TXIM", "RTIM", "FEIM", "PEIM", "BEIM", "OEIM"]);
    }
  });

  it("decodes DR and the PrimeCell ID through the lookup", async () => {
    const dr = JSON.parse((await runCli(["decode", "DR", "0x841", "--json"])).stdout) as { fields: { path: string; value: string }[] };
    expect(dr.fields.map((f) => `${f.path}=${f.value}`)).toEqual(["DATA=0x41", "FE=0x0", "PE=0x0", "BE=0x0", "OE=0x1"]);
    const ids = [];
    for (const n of ["PCellID0", "PCellID1", "PCellID2", "PCellID3", "PeriphID0", "PeriphID1", "PeriphID2", "PeriphID3"]) {
      ids.push((JSON.parse((await runCli(["layout", n, "--json"])).stdout) as { reset: string }).reset);
    }
    expect(ids).toEqual(["0x0000000d", "0x000000f0", "0x00000005", "0x000000b1", "0x00000011", "0x00000010", "0x00000034", "0x00000000"]);
  });
});
