import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseSysreg } from "../../generator/import/linux-sysreg/parse.ts";
import { runCli } from "../helpers/cli.ts";

/** A small sysreg file in Linux's format with every construct: each expectation below names its line. */
const SAMPLE = [
  "# SPDX-License-Identifier: GPL-2.0-only", // 1
  "", // 2
  "# Main ID", // 3
  "Sysreg\tDEMO_EL1\t3\t0\t0\t4\t7", // 4
  "Res0\t63:40", // 5
  "Res1\t39", // 6
  "Unkn\t38:36", // 7
  "Raz\t35:32", // 8
  "# feature level", // 9
  "SignedEnum\t31:28\tFP", // 10
  "\t0b0000\tIMP", // 11
  "\t0b1111\tNI", // 12
  "EndEnum", // 13
  "UnsignedEnum\t27:24\tPARange", // 14
  "\t0b0000\t32", // 15
  "\t0b0110\t52", // 16
  "EndEnum", // 17
  "Enum\t23:20\tMode", // 18
  "\t0b0001\tA", // 19
  "\t0b0001\tB", // 20
  "EndEnum", // 21
  "Field\t19:1\tADDR", // 22
  "Field\t0\tEN", // 23
  "EndSysreg", // 24
  "", // 25
  "SysregFields\tSHARED_ELx", // 26
  "Res0\t63:1", // 27
  "Field\t0\tON", // 28
  "EndSysregFields", // 29
  "", // 30
  "Sysreg\tSHARED_EL1\t3\t0\t1\t0\t2", // 31
  "Fields\tSHARED_ELx", // 32
  "EndSysreg", // 33
  "", // 34
  "Sysreg\tDEMO_EL12\t3\t5\t0\t4\t7", // 35
  "Mapping\tDEMO_EL1", // 36
  "EndSysreg", // 37
  "",
].join("\n");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hwspec-sysreg-unit-"));
  writeFileSync(join(dir, "package.json"), "{}\n");
  mkdirSync(join(dir, "arch/arm64/tools"), { recursive: true });
  writeFileSync(join(dir, "arch/arm64/tools/sysreg"), SAMPLE);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const problemsOf = (text: string) => parseSysreg(text, "sysreg").problems.map((p) => `${p.line}:${p.col}: ${p.message}`);
const block = (...body: string[]) => ["Sysreg\tX_EL1\t3\t0\t0\t0\t0", ...body, "EndSysreg", ""].join("\n");

describe("the sysreg parser", () => {
  it("reads the sample without problems", () => {
    expect(problemsOf(SAMPLE)).toEqual([]);
  });

  it.each([
    ["a gap between fields", block("Field\t63:1\tA", "Field\t0:0\tB").replace("63:1", "63:2"), /^3:7: X_EL1.B starts at bit 0, expected 1: bits 1..1 are not described/],
    ["an overlap", block("Field\t63:1\tA", "Field\t1:0\tB"), /^3:7: X_EL1.B starts at bit 1, expected 0: bits 1..1 are already described/],
    ["bits left at the end", block("Field\t63:8\tA"), /^3:1: X_EL1: bits 7:0 are not described/],
    ["an ascending range", block("Field\t0:63\tA"), /^2:7: A: bit range "0:63" is ascending; write the high bit first \(63:0\)/],
    ["a bit above 63", block("Field\t64:0\tA"), /^2:7: A: bit range "64:0" is outside bits 63..0/],
    ["a missing operand", block("Field\t63:0"), /^2:11: Field takes 2 operands \(<msb>\[:<lsb>\] <name>\), found 1/],
    ["an op2 out of range", "Sysreg\tX_EL1\t3\t0\t0\t0\t8\nField\t63:0\tA\nEndSysreg\n", /^1:22: X_EL1: op2 is "8", expected a decimal number 0\.\.7/],
    ["an unknown statement", block("Feld\t63:0\tA"), /^2:1: unknown statement "Feld" inside Sysreg X_EL1/],
    ["an enum value too wide", block("Enum\t63:62\tA", "\t0b100\tBIG", "EndEnum", "Field\t61:0\tB"), /^3:2: X_EL1.A: value 0b100 does not fit in the 2-bit field/],
    ["a value that is not binary", block("Enum\t63:0\tA", "\t0x1\tONE", "EndEnum"), /^3:2: inside Enum A \(line 2\) a line is a value "0b<binary> <name>" or EndEnum, not "0x1"/],
    ["a field named twice", block("Field\t63:1\tA", "Field\t0\ta"), /^3:9: X_EL1: field a is already described on line 2/],
    ["an unterminated block", "Sysreg\tX_EL1\t3\t0\t0\t0\t0\nField\t63:0\tA\n", /^1:1: Sysreg X_EL1 has no EndSysreg before the end of the file/],
    ["Fields after bits", block("Field\t63:0\tA", "Fields\tS"), /^3:1: X_EL1: Fields must come first in its Sysreg/],
    ["a register name that is no identifier", "Sysreg\t1X\t3\t0\t0\t0\t0\nField\t63:0\tA\nEndSysreg\n", /^1:8: Sysreg name "1X" is not an identifier/],
    ["a trailing comment", block("Field\t63:0\tA # note"), /^2:14: Field takes 2 operands/],
  ])("locates %s", (_what, text, want) => {
    const got = problemsOf(text);
    expect(got.some((p) => want.test(p)), got.join("\n")).toBe(true);
  });
});

describe("hwspec import linux-sysreg", () => {
  const out = () => join(dir, "specs/linux");
  const sysreg = () => join(dir, "arch/arm64/tools/sysreg");
  const spec = (file: string) => JSON.parse(readFileSync(join(out(), file), "utf8"));

  it("writes one spec per op0/op1/CRn and one for the field sets, every item with its source line", async () => {
    const r = await runCli(["import", "linux-sysreg", sysreg(), "--out", out(), "--json"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.counts).toEqual({ registers: 3, fieldSets: 1, fields: 3, enums: 3, enumValues: 6, reserved: 5 });
    expect(j.files).toEqual(["fields.json", "s3_0_c0.json", "s3_0_c1.json", "s3_5_c0.json"]);
    const s30 = spec("s3_0_c0.json");
    expect(s30.index_space).toBe("sysreg");
    const demo = s30.registers.DEMO_EL1;
    expect(demo.encoding).toEqual({ op0: 3, op1: 0, crn: 0, crm: 4, op2: 7 });
    expect(demo.source).toBe("arch/arm64/tools/sysreg:4");
    expect(demo.doc).toBe("Main ID");
    expect(demo.fields.FP).toMatchObject({ bits: "31:28", signed: true, doc: "feature level", source: "arch/arm64/tools/sysreg:10" });
    expect(demo.fields.FP.enum.NI).toEqual({ value: "0b1111", source: "arch/arm64/tools/sysreg:12" });
    expect(demo.fields.PARange.signed).toBe(false);
    expect(Object.keys(demo.fields.PARange.enum)).toEqual(["32", "52"]);
    expect(demo.fields.Mode.signed).toBeUndefined();
    expect(demo.reserved.map((x: { bits: string; policy: string; source: string }) => [x.bits, x.policy, x.source])).toEqual([
      ["63:40", "res0", "arch/arm64/tools/sysreg:5"],
      ["39", "res1", "arch/arm64/tools/sysreg:6"],
      ["38:36", "ignore", "arch/arm64/tools/sysreg:7"],
      ["35:32", "res0", "arch/arm64/tools/sysreg:8"],
    ]);
    expect(spec("s3_0_c1.json").registers.SHARED_EL1.fields).toEqual({
      SHARED_ELx: { bits: "63:0", layout: "linux.sysreg.fields.SHARED_ELx", doc: "Linux Fields SHARED_ELx.", source: "arch/arm64/tools/sysreg:32" },
    });
    expect(spec("fields.json").layouts.SHARED_ELx.source).toBe("arch/arm64/tools/sysreg:26");
    // Mapping: the mapped register's fields, with the lines they were written on.
    const mapped = spec("s3_5_c0.json").registers.DEMO_EL12;
    expect(mapped.fields.EN.source).toBe("arch/arm64/tools/sysreg:23");
    expect(mapped.doc).toMatch(/Mapping DEMO_EL1/);
    // The duplicate value of Mode is a warning located at the member, citing both source lines.
    // DEMO_EL12 maps DEMO_EL1, so it has the same two names for one value.
    expect(j.warnings.map((w: { pointer: string }) => w.pointer)).toEqual(["/registers/DEMO_EL1/fields/Mode/enum/B", "/registers/DEMO_EL12/fields/Mode/enum/B"]);
    expect(j.warnings[0].message).toContain("B (arch/arm64/tools/sysreg:20) = 0x1 repeats the value of A (arch/arm64/tools/sysreg:19)");
  });

  it("feeds check, decode and generate like a hand-written spec", async () => {
    expect((await runCli(["import", "linux-sysreg", sysreg(), "--out", out()])).code).toBe(0);
    const check = await runCli(["--specs", join(dir, "specs"), "check"]);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain("4 specs OK, 2 warnings");
    expect(check.stderr).toMatch(/specs\/linux\/s3_0_c0\.json:\d+:\d+: warning: enum member B .* \[\/registers\/DEMO_EL1\/fields\/Mode\/enum\/B\]/);
    const json = JSON.parse((await runCli(["--specs", join(dir, "specs"), "check", "--json"])).stdout);
    expect(json.warnings).toHaveLength(2);
    const dec = await runCli(["--specs", join(dir, "specs"), "decode", "DEMO_EL1", "0x80f0000000", "--json"]);
    expect(dec.code, dec.stderr).toBe(0);
    const fp = JSON.parse(dec.stdout).fields.find((f: { path: string }) => f.path === "FP");
    expect(fp).toMatchObject({ value: "0xf", signed: true, signedValue: "-1", meaning: "NI", source: "arch/arm64/tools/sysreg:10" });
    const gen = await runCli(["--specs", join(dir, "specs"), "--out", join(dir, "gen"), "generate", "--targets", "c"]);
    expect(gen.code, gen.stderr).toBe(0);
    const h = readFileSync(join(dir, "gen/c/linux/s3_0_c0.h"), "utf8");
    expect(h).toMatch(/#define DEMO_EL1_FP_SIGNED true\n/);
    expect(h).toMatch(/#define DEMO_EL1_PARANGE_SIGNED false\n/);
    expect(h).not.toMatch(/DEMO_EL1_MODE_SIGNED/);
    expect(h).toMatch(/#define DEMO_EL1_PARANGE_52 UINT32_C\(0x00000006\)/);
    expect(h).toMatch(/#define DEMO_EL1_IGNORE_MASK UINT64_C\(0x0000007000000000\)/);
    expect(h).toContain("From: arch/arm64/tools/sysreg:4");
  });

  it("reports the file's problems as file:line:col and writes nothing", async () => {
    writeFileSync(sysreg(), SAMPLE.replace("Field\t0\tEN", "Field\t0\tEN extra"));
    const r = await runCli(["import", "linux-sysreg", sysreg(), "--out", out()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${sysreg()}:23:12: Field takes 2 operands (<msb>[:<lsb>] <name>), found 3`);
    expect(r.stderr).toContain("nothing written");
    expect(existsSync(out())).toBe(false);
    const j = await runCli(["import", "linux-sysreg", sysreg(), "--out", out(), "--json"]);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout).diagnostics[0]).toMatchObject({ file: sysreg(), line: 23, col: 12 });
  });

  it("has usage errors for a missing --out, a missing file and a bad namespace", async () => {
    expect((await runCli(["import", "linux-sysreg", sysreg()])).stderr).toContain("--out <dir> is required");
    const missing = await runCli(["import", "linux-sysreg", join(dir, "nope"), "--out", out()]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read");
    const ns = await runCli(["import", "linux-sysreg", sysreg(), "--out", out(), "--namespace", "Linux"]);
    expect(ns.code).toBe(2);
    expect(ns.stderr).toContain('--namespace "Linux"');
  });

  it("never overwrites a file it did not write", async () => {
    mkdirSync(out(), { recursive: true });
    writeFileSync(join(out(), "fields.json"), "mine\n");
    const r = await runCli(["import", "linux-sysreg", sysreg(), "--out", out(), "--force"]);
    expect(r.code).toBe(2);
    expect(readFileSync(join(out(), "fields.json"), "utf8")).toBe("mine\n");
    rmSync(join(out(), "fields.json"));
    writeFileSync(join(out(), "notes.txt"), "keep\n");
    expect((await runCli(["import", "linux-sysreg", sysreg(), "--out", out()])).code).toBe(2);
    expect((await runCli(["import", "linux-sysreg", sysreg(), "--out", out(), "--force"])).code).toBe(0);
    // A second import with one register fewer removes only the spec it wrote for it.
    writeFileSync(sysreg(), SAMPLE.split("\n").slice(0, 34).join("\n") + "\n");
    const again = await runCli(["import", "linux-sysreg", sysreg(), "--out", out(), "--json"]);
    expect(again.code, again.stdout).toBe(0);
    expect(JSON.parse(again.stdout).written.removed).toEqual(["s3_5_c0.json"]);
    expect(readFileSync(join(out(), "notes.txt"), "utf8")).toBe("keep\n");
  });

  it("has --help with usage and examples", async () => {
    const r = await runCli(["import", "linux-sysreg", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: hwspec import linux-sysreg [options] <file>");
    expect(r.stdout).toMatch(/\nExamples:\n(  \$ hwspec .+\n)+/);
  });
});
