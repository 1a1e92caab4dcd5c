/**
 * Array elements by name on the command line: `layout`, `decode` and `encode` accept `NAME[i]`,
 * `NAMEi` and the cluster spellings, and print the element's own address. Expected addresses are
 * computed here from the fixture's JSON (base + i × stride), not taken from the implementation.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { ROOT, tempDir } from "../helpers/project.ts";

const SPECS = join(ROOT, "test/fixtures/arrays/specs");
const soc = JSON.parse(readFileSync(join(SPECS, "demo/soc.json"), "utf8"));
const dist = JSON.parse(readFileSync(join(SPECS, "demo/dist.json"), "utf8"));
const dmaSpec = JSON.parse(readFileSync(join(SPECS, "demo/dma.json"), "utf8"));
const run = (...args: string[]) => runCli(["--specs", SPECS, ...args]);
const hex = (n: number | bigint) => `0x${n.toString(16)}`;
const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A spec tree of one registers spec, written to a temp folder. */
function tree(registers: Record<string, unknown>): string {
  const dir = join(tempDir("hwspec-arrays-"), "specs");
  temps.push(dir.replace(/\/specs$/, ""));
  mkdirSync(join(dir, "t"), { recursive: true });
  writeFileSync(join(dir, "t/t.json"), JSON.stringify({ $schema: "../schema/registers.schema.json", kind: "registers", name: "t.t", doc: "Names test.", registers }));
  return dir;
}
const msr = (index: string, extra: Record<string, unknown> = {}) => ({ index, width: 32, fields: { v: { bits: "31:0" } }, ...extra });

describe("array elements by name", () => {
  const pmcBase = Number(soc.registers.IA32_PMC.index);
  const mc = soc.clusters.IA32_MC;
  const dma = dmaSpec.clusters.DMACC;

  it("NAME[i] and NAMEi name the same element, at base + i × stride", async () => {
    for (const name of ["IA32_PMC[2]", "IA32_PMC2", "demo.soc.IA32_PMC[2]", "demo.soc.IA32_PMC2"]) {
      const r = await run("layout", name, "--json");
      expect(r.code, name).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out, name).toMatchObject({ name: "demo.soc.IA32_PMC", element: 2, space: "msr", index: hex(pmcBase + 2) });
      expect(out.array).toEqual({ count: soc.registers.IA32_PMC.count, stride: "0x1", first: hex(pmcBase), last: hex(pmcBase + soc.registers.IA32_PMC.count - 1) });
    }
  });

  it("reaches cluster registers as CL[i].REG, CLi_REG and CL_REG[i], at cluster base + i × stride + the register's place", async () => {
    const expected = Number(mc.index) + 3 * Number(mc.stride) + Number(mc.registers.STATUS.index);
    for (const name of ["IA32_MC[3].STATUS", "IA32_MC3_STATUS", "IA32_MC_STATUS[3]", "demo.soc.IA32_MC[3].STATUS", "demo.soc.IA32_MC3_STATUS"]) {
      const out = JSON.parse((await run("layout", name, "--json")).stdout);
      expect(out, name).toMatchObject({ name: "demo.soc.IA32_MC_STATUS", element: 3, index: hex(expected), array: { count: mc.count, cluster: { name: "IA32_MC", register: "STATUS" } } });
    }
    const off = Number(dma.offset) + 7 * Number(dma.stride) + Number(dma.registers.Configuration.offset);
    const out = JSON.parse((await run("decode", "DMACC7_Configuration", "0x1", "--json")).stdout);
    expect(out).toMatchObject({ name: "demo.dma.DMACC_Configuration", element: 7, space: "mmio", offset: hex(off), raw: "0x00000001" });
    expect(out.fields.find((f: { path: string }) => f.path === "E")).toMatchObject({ value: "0x1" });
  });

  it("list shows each array once, with its count and stride", async () => {
    const list = JSON.parse((await run("list", "--json")).stdout);
    const regs = list.specs.flatMap((s: { registers: unknown[] }) => s.registers);
    expect(regs).toContainEqual({ name: "demo.soc.IA32_MC_STATUS", width: 64, space: "msr", index: "0x401", array: { count: 4, stride: "0x4", first: "0x401", last: "0x40d", cluster: { name: "IA32_MC", register: "STATUS" } } });
    expect((await run("list")).stdout).toContain("  register demo.dist.IPRIORITYR[0..31]  32 bits  offset 0x400, 32 × stride 0x4\n");
  });

  it("the whole array by its own name shows element 0 and the array facts, without an element", async () => {
    const out = JSON.parse((await run("layout", "ISENABLER", "--json")).stdout);
    expect(out.element).toBeUndefined();
    const base = Number(dist.registers.ISENABLER.offset);
    expect(out).toMatchObject({ offset: hex(base), array: { count: 4, stride: "0x4", first: hex(base), last: hex(base + 3 * 4) } });
  });

  it("text output names the element and its address, the array, device behaviour and side effects", async () => {
    const r = await run("layout", "ICENABLER3");
    expect(r.code).toBe(0);
    const at = Number(dist.registers.ICENABLER.offset) + 3 * 4;
    const [head, array, behaviour] = r.stdout.split("\n");
    expect(head).toBe(`demo.dist.ICENABLER[3]  32 bits, offset ${hex(at)}`);
    expect(array).toBe(`element 3 of ICENABLER[0..3]: 4 × stride 0x4, offsets 0x180..0x18c`);
    expect(behaviour).toContain("ISENABLER's storage (alias_of)");
    expect(r.stdout).toMatch(/31:0 {2}enable {2}w1c \(write: 1 clears\)/);
    const ack = await run("decode", "ACK", "0x5");
    expect(ack.stdout).toMatch(/pending +0x5 +rc \(write: ignored; read: value, then clears\)/);
  });

  it("--json carries each field's side effects and a device register's behaviour", async () => {
    const out = JSON.parse((await run("layout", "ICENABLER[0]", "--json")).stdout);
    expect(out.fields).toEqual([expect.objectContaining({ path: "enable", access: "w1c", write: "1 clears", read: "value" })]);
    expect(out.device).toMatchObject({ aliasOf: "ISENABLER", storage: "ISENABLER", narrow: "low", accessWidths: [32] });
    const prio = JSON.parse((await run("decode", "IPRIORITYR[31]", "0x01020304", "--json")).stdout);
    expect(prio).toMatchObject({ element: 31, offset: hex(Number(dist.registers.IPRIORITYR.offset) + 31 * 4), device: { narrow: "lanes" } });
    expect(prio.fields.map((f: { value: string }) => f.value)).toEqual(["0x4", "0x3", "0x2", "0x1"]);
    const ack = JSON.parse((await run("layout", "ACK", "--json")).stdout);
    expect(ack.fields[0]).toMatchObject({ access: "rc", write: "ignored", read: "value, then clears" });
  });

  it("encode takes an element name and reports the element", async () => {
    const r = await run("encode", "IA32_PERFEVTSEL[1]", "event_select=0x3c", "en=1", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ element: 1, index: hex(Number(soc.registers.IA32_PERFEVTSEL.index) + 1), raw: hex((1n << 22n) | 0x3cn).replace("0x", "0x0000000000") });
  });

  it("an index out of range is a usage error that gives the valid range", async () => {
    const cases: [string, string][] = [
      ["IA32_PMC[4]", `"IA32_PMC[4]" is out of range: IA32_PMC has 4 elements, so the index must be 0..3`],
      ["IA32_PMC9", `"IA32_PMC[9]" is out of range: IA32_PMC has 4 elements, so the index must be 0..3`],
      ["IA32_MC[4].CTL", `"IA32_MC[4].CTL" is out of range: IA32_MC_CTL has 4 elements, so the index must be 0..3`],
      ["IPRIORITYR[32]", `"IPRIORITYR[32]" is out of range: IPRIORITYR has 32 elements, so the index must be 0..31`],
    ];
    for (const [name, message] of cases) {
      for (const cmd of [["layout", name], ["decode", name, "0"], ["encode", name, "x=0"]]) {
        const r = await run(...cmd);
        expect(r.code, cmd.join(" ")).toBe(2);
        expect(r.stderr.trim(), cmd.join(" ")).toBe(`hwspec ${cmd[0]}: ${message}`);
      }
    }
    const j = await run("layout", "IA32_PMC[4]", "--json");
    expect(JSON.parse(j.stdout).diagnostics[0].message).toContain("0..3");
  });

  it("suggests the nearest array for a typo, keeping the index and the spelling", async () => {
    const cases: [string, string][] = [
      ["IA32_PCM[2]", `(did you mean "IA32_PMC[2]"?)`],
      ["IA32_PCM2", `(did you mean "IA32_PMC2"?)`],
      ["IA32_MC[1].STATSU", `(did you mean "IA32_MC[1].STATUS"?)`],
      ["IA32_MC1_STATSU", `(did you mean "IA32_MC1_STATUS"?)`],
      ["demo.soc.IA32_PCM[2]", `(did you mean "demo.soc.IA32_PMC[2]"?)`],
    ];
    for (const [name, hint] of cases) {
      const r = await run("layout", name);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toContain(`no layout or register named "${name}" ${hint}`);
    }
  });

  it("an index on a plain register or a layout is refused with the reason", async () => {
    expect((await run("layout", "IA32_MCG_STATUS[0]")).stderr).toContain(`IA32_MCG_STATUS is not an array, so "IA32_MCG_STATUS[0]" names nothing`);
    const r = await runCli(["layout", "cr0_bits[1]"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cr0_bits is a layout, not a register array`);
  });

  it("a device cluster's registers sit at the cluster's offset plus their own, element by element", async () => {
    const dir = join(tempDir("hwspec-arrays-"), "specs");
    temps.push(dir.replace(/\/specs$/, ""));
    mkdirSync(join(dir, "t"), { recursive: true });
    const reg = (offset: string) => ({ offset, fields: { v: { bits: "31:0" } } });
    writeFileSync(
      join(dir, "t/dev.json"),
      JSON.stringify({
        $schema: "../schema/device.schema.json",
        kind: "device",
        name: "t.dev",
        doc: "Cluster placement.",
        block: { size: "0x100", access_widths: [32] },
        registers: { ID: reg("0x0") },
        clusters: { CH: { offset: "0x40", count: 4, stride: "0x10", registers: { CTRL: reg("0x0"), DATA: reg("0x8") } } },
      }),
    );
    const out = JSON.parse((await runCli(["--specs", dir, "layout", "CH[2].DATA", "--json"])).stdout);
    expect(out).toMatchObject({ name: "t.dev.CH_DATA", element: 2, offset: hex(0x40 + 2 * 0x10 + 0x8), array: { first: hex(0x48), last: hex(0x48 + 3 * 0x10) } });
    const model = JSON.parse((await runCli(["--specs", dir, "model", "--json"])).stdout);
    const data = model.specs[0].registers.find((r: { name: string }) => r.name === "CH_DATA");
    expect([data.offset, data.address]).toEqual(["0x48", "0x48"]);
  });

  it("an exact register name wins over the element reading", async () => {
    const dir = tree({ FOO: msr("0x10", { count: 4 }), FOO3: msr("0x20") });
    const exact = JSON.parse((await runCli(["--specs", dir, "layout", "FOO3", "--json"])).stdout);
    expect(exact).toMatchObject({ name: "t.t.FOO3", index: "0x20" });
    expect(exact.element).toBeUndefined();
    const element = JSON.parse((await runCli(["--specs", dir, "layout", "FOO[3]", "--json"])).stdout);
    expect(element).toMatchObject({ name: "t.t.FOO", element: 3, index: "0x13" });
  });

  it("a name two arrays can claim is ambiguous, and says which elements", async () => {
    // X13: element 13 of X, or element 3 of X1.
    const dir = tree({ X: msr("0x100", { count: 16 }), X1: msr("0x200", { count: 4 }) });
    const r = await runCli(["--specs", dir, "layout", "X13"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`"X13" is ambiguous: it names`);
    expect(r.stderr).toContain("X[13]");
    expect(r.stderr).toContain("X1[3]");
    // With only one in range, that one is meant.
    expect(JSON.parse((await runCli(["--specs", dir, "layout", "X15", "--json"])).stdout)).toMatchObject({ name: "t.t.X", element: 15 });
    // A suffix index has no leading zero, so X01 could only be element 1 of an array X0 (there is none);
    // in brackets the index is unmistakable, so X[01] is X[1].
    expect((await runCli(["--specs", dir, "layout", "X01"])).code).toBe(2);
    expect(JSON.parse((await runCli(["--specs", dir, "layout", "X[01]", "--json"])).stdout)).toMatchObject({ name: "t.t.X", element: 1 });
  });
});
