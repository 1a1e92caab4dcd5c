import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";

const fixture = (name: string) => `test/fixtures/device-bad/${name}/specs`;
const file = (name: string) => `test/fixtures/device-bad/${name}/specs/demo.json`;

/** Each bad device spec gets exactly these diagnostics, as `file:line:col: message [pointer]`. */
const CASES: Record<string, string[]> = {
  overlap: [
    `${file("overlap")}:38:5: register MASK (offset 0x8) overlaps register EXTRA (offset 0x8, 1 byte); give a register other names with "aliases" instead [/registers/MASK]`,
  ],
  misaligned: [
    `${file("misaligned")}:38:5: register MASK at offset 0xa is misaligned: a 32-bit register needs an offset that is a multiple of 4 [/registers/MASK]`,
    `${file("misaligned")}:49:5: register PENDING (offset 0xc) overlaps register MASK (offset 0xa, 4 bytes); give a register other names with "aliases" instead [/registers/PENDING]`,
  ],
  "beyond-block": [
    `${file("beyond-block")}:60:5: register CLEAR (offset 0x100, 4 bytes) lies beyond the end of the 0x100-byte block [/registers/CLEAR]`,
  ],
  "unknown-hook": [
    `${file("unknown-hook")}:18:17: register DATA names unknown hook "pull" (hooks: pop, push) [/registers/DATA/onRead]`,
    `${file("unknown-hook")}:73:5: hook "pop" is declared but no register uses it [/hooks/pop]`,
  ],
  "unknown-expr": [
    `${file("unknown-expr")}:52:26: value of PENDING: unknown register "MASKS" in demo.uart [/registers/PENDING/value]`,
  ],
  "unknown-w1c": [`${file("unknown-w1c")}:63:16: register CLEAR clears unknown register "STATE" [/registers/CLEAR/write]`],
  "interrupt-unknown": [
    `${file("interrupt-unknown")}:84:32: interrupt IRQ: unknown field "RDY" in MASK [/interrupts/IRQ/expr]`,
  ],
  "width-not-allowed": [
    `${file("width-not-allowed")}:48:24: register MASK allows 64-bit accesses, which the block does not (block access widths: 8, 16, 32) [/registers/MASK/access_widths]`,
  ],
};

describe("device spec checks", () => {
  it("accept the good fixture and the project's PL011 spec", async () => {
    expect((await runCli(["check", "--specs", "test/fixtures/device-good/specs"])).code).toBe(0);
    expect((await runCli(["check"])).code).toBe(0);
  });

  for (const [name, lines] of Object.entries(CASES)) {
    it(`report ${name} with file:line:col and pointer`, async () => {
      const r = await runCli(["check", "--specs", fixture(name)]);
      expect(r.code).toBe(2);
      const got = r.stderr.split("\n").filter((l) => l.includes(": ") && l.includes(" ["));
      expect(got).toEqual(lines);
    });
  }
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
