import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { copyTree, GENERATED, ROOT, snapshot, tempDir } from "../helpers/project.ts";
import { join } from "node:path";
import { readFileSync, writeFileSync } from "node:fs";
import { manifestText } from "../../generator/write/manifest.ts";
import { MANIFEST } from "../../generator/write/names.ts";

const specs = join(ROOT, "specs");
const run = (...args: string[]) => runCli(["--specs", specs, ...args]);

describe("hwspec CLI (registers)", () => {
  it("decode --json follows the DESIGN contract with nested paths", async () => {
    const r = await run("decode", "IA32_VMX_BASIC", "0x00da040000000004", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ name: "x86.vmx.IA32_VMX_BASIC", width: 64, raw: "0x00da040000000004" });
    expect(out.fields.find((f: { path: string }) => f.path === "vmcs_region_size")).toMatchObject({ lsb: 32, width: 13, value: "0x400", access: "ro" });
    expect(out.fields.find((f: { path: string }) => f.path === "memory_type")).toMatchObject({ value: "0x6", meaning: "WB" });
    const p = JSON.parse((await run("decode", "IA32_VMX_PROCBASED_CTLS", "0x8000000000000000", "--json")).stdout);
    expect(p.fields.find((f: { path: string }) => f.path === "allowed_1.activate_secondary_controls")).toMatchObject({ lsb: 63, width: 1, value: "0x1" });
  });

  it("every MSR field of the patch is reachable through layout --json", async () => {
    const list = JSON.parse((await run("list", "--json")).stdout);
    const regs = list.specs.flatMap((s: { registers: { name: string }[] }) => s.registers.map((r) => r.name));
    expect(regs.filter((n: string) => n.startsWith("x86.vmx."))).toHaveLength(20);
    const l = JSON.parse((await run("layout", "IA32_VMX_EPT_VPID_CAP", "--json")).stdout);
    expect(l.index).toBe("0x48c");
    expect(l.fields.map((f: { path: string }) => f.path)).toContain("invvpid_single_context_retaining_global");
    expect(l.fields.find((f: { path: string }) => f.path === "invvpid_single_context_retaining_global").lsb).toBe(43);
  });

  it("decode is exact up to 64 bits in hex and decimal", async () => {
    const hex = JSON.parse((await run("decode", "IA32_VMX_MISC", "0xffffffffffffffff", "--json")).stdout);
    const dec = JSON.parse((await run("decode", "IA32_VMX_MISC", "18446744073709551615", "--json")).stdout);
    expect(dec).toEqual(hex);
    expect(hex.fields.find((f: { path: string }) => f.path === "mseg_revision_id").value).toBe("0xffffffff");
  });

  it("encode builds a raw value from field assignments", async () => {
    const r = await run("encode", "IA32_VMX_BASIC", "vmcs_revision_id=4", "vmcs_region_size=0x400", "memory_type=6", "default1_zero=true");
    expect(r.stdout.trim()).toBe("0x0098040000000004");
    const nested = await run("encode", "IA32_VMX_PROCBASED_CTLS", "allowed_1.activate_secondary_controls=1", "--json");
    expect(JSON.parse(nested.stdout).raw).toBe("0x8000000000000000");
  });

  it("exit code 2 with a clear message for usage and input errors", async () => {
    const cases: [string[], RegExp][] = [
      [["decode", "NOPE", "1"], /no layout or register named "NOPE"/],
      [["decode", "IA32_VMX_BASIC", "0x1_0000_0000_0000_0000"], /does not fit in the 64-bit/],
      [["decode", "IA32_VMX_BASIC", "zz"], /is not a number/],
      [["encode", "IA32_VMX_BASIC", "nosuch=1"], /has no field "nosuch"/],
      [["encode", "IA32_VMX_BASIC", "memory_type=16"], /does not fit in the 4-bit field/],
      [["encode", "IA32_VMX_BASIC", "memory_type"], /not path=value/],
      [["frobnicate"], /unknown command/],
      [["layout"], /missing required argument/],
    ];
    for (const [args, msg] of cases) {
      const r = await run(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(msg);
    }
    const noSpecs = await runCli(["--specs", "/nonexistent", "check"]);
    expect(noSpecs.code).toBe(2);
  });

  it("ambiguous short names are refused, qualified ones work", async () => {
    const r = await run("layout", "x86.cr.cr0_bits", "--json");
    expect(JSON.parse(r.stdout).name).toBe("x86.cr.cr0_bits");
  });

  it("--help works for every command and exits 0", async () => {
    for (const cmd of ["generate", "check", "list", "layout", "decode", "encode"]) {
      const r = await run(cmd, "--help");
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(/Examples:/);
    }
  });

  it("generate --check reports drift with exit 1 and writes nothing; a file hwspec did not write is left alone", async () => {
    const out = join(tempDir(), "generated");
    copyTree(GENERATED, out);
    expect((await run("generate", "--check", "--out", out)).code).toBe(0);
    writeFileSync(join(out, "ts/x86/vmx-msrs.ts"), "// edited by hand\n");
    writeFileSync(join(out, "stray.txt"), "x");
    // An owned file no spec produces any more: listed in the manifest, as an earlier run would have left it.
    writeFileSync(join(out, "ts/gone.ts"), "// @generated by hwspec — do not edit\n");
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST), "utf8"));
    writeFileSync(join(out, MANIFEST), manifestText([...manifest.files, "ts/gone.ts"]));
    const before = snapshot(out);
    const r = await run("generate", "--check", "--out", out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/changed ts\/x86\/vmx-msrs\.ts/);
    expect(r.stderr).toMatch(/removed ts\/gone\.ts/);
    expect(r.stderr).toMatch(/updated \.hwspec-manifest\.json/);
    expect(r.stderr).not.toMatch(/stray/);
    expect(snapshot(out)).toEqual(before);
    expect((await run("generate", "--out", out)).code).toBe(0);
    const after = snapshot(out);
    expect(after.get("stray.txt")).toBe("x");
    after.delete("stray.txt");
    expect(after).toEqual(snapshot(GENERATED));
  });
});
