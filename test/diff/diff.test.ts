import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Diagnostics } from "../../generator/diagnostics.ts";
import { diffModels } from "../../generator/diff/index.ts";
import { loadTree } from "../../generator/load/tree.ts";
import { runFront } from "../../generator/pipeline.ts";
import { runCli } from "../helpers/cli.ts";
import { copyTree, SPECS, tempDir } from "../helpers/project.ts";

type Json = Record<string, any>;

function edit(dir: string, rel: string, change: (spec: Json) => void): void {
  const path = join(dir, rel);
  const spec = JSON.parse(readFileSync(path, "utf8")) as Json;
  change(spec);
  writeFileSync(path, JSON.stringify(spec, null, 2) + "\n");
}

/** A copy of the project's specs with a moved field, a widened field, a changed reset value and a removed register. */
function editedCopy(): { dir: string } {
  const root = tempDir("hwspec-diff-");
  const dir = join(root, "specs");
  copyTree(SPECS, dir);
  edit(dir, "x86/vmx-msrs.json", (s) => {
    const basic = s.registers.IA32_VMX_BASIC;
    // moved: dual_monitor 49 -> 57 (a reserved bit), bit 49 becomes reserved.
    basic.fields.dual_monitor.bits = "57";
    // widened: vmcs_region_size 44:32 -> 45:32 into reserved bits.
    basic.fields.vmcs_region_size.bits = "45:32";
    basic.reserved = [
      { bits: "47:46", policy: "ignore", doc: "reserved" },
      { bits: "49", policy: "ignore", doc: "reserved" },
      { bits: "59", policy: "ignore", doc: "reserved" },
      { bits: "63:61", policy: "ignore", doc: "reserved" },
    ];
    // removed: IA32_VMX_VMFUNC with the block that reads it and its size assertion.
    delete s.registers.IA32_VMX_VMFUNC;
    delete s.groups.vmx_vmfunc;
    s.assert = s.assert.filter((a: Json) => !String(a.expr).includes("IA32_VMX_VMFUNC"));
  });
  // reset changed: PL011 FR 0x90 -> 0x80.
  edit(dir, "arm/pl011.json", (s) => {
    expect(s.registers.FR.reset).toBe("0x90");
    s.registers.FR.reset = "0x80";
    for (const f of Object.values(s.registers.FR.fields) as Json[]) if (f.bits === "4") f.reset = 0;
  });
  return { dir };
}

function modelOf(dir: string) {
  const d = new Diagnostics();
  const r = runFront(loadTree(dir, d), d);
  if (!r.ok) throw new Error(r.diagnostics.map((x) => `${x.file}:${x.line}:${x.col}: ${x.message}`).join("\n"));
  return r.front.model;
}

describe("hwspec diff", () => {
  const { dir } = editedCopy();

  it("classifies a moved field, a widened field, a changed reset and a removed register", () => {
    const r = diffModels(modelOf(SPECS), modelOf(dir));
    const find = (subject: string, path: string, change: string) => r.changes.find((c) => c.subject === subject && c.path === path && c.change === change);

    expect(find("register IA32_VMX_BASIC", "dual_monitor", "moved")).toMatchObject({ spec: "x86.vmx", severity: "breaking", old: "49", new: "57" });
    expect(find("register IA32_VMX_BASIC", "vmcs_region_size", "resized")).toMatchObject({ severity: "compatible", old: "44:32", new: "45:32" });
    expect(find("register FR", "", "reset")).toMatchObject({ spec: "arm.pl011", severity: "breaking", old: "0x00000090", new: "0x00000080" });
    expect(find("register IA32_VMX_VMFUNC", "", "removed")).toMatchObject({ severity: "breaking", old: "MSR 0x491" });
    expect(find("group vmx_vmfunc", "", "removed")).toMatchObject({ severity: "breaking" });
    expect(find("assert", "sizeof(IA32_VMX_VMFUNC) == sizeof(IA32_VMX_VMFUNC.raw)", "removed")).toMatchObject({ severity: "compatible" });
    for (const c of r.changes) expect(c.reason.length).toBeGreaterThan(10);
    // Nothing else changed: every reported change is one of the edits above.
    const subjects = new Set(r.changes.map((c) => c.subject));
    expect([...subjects].sort()).toEqual(["assert", "group vmx_vmfunc", "register FR", "register IA32_VMX_BASIC", "register IA32_VMX_VMFUNC"]);
    expect(r.breaking).toBe(r.changes.filter((c) => c.severity === "breaking").length);
  });

  it("detects a rename by unchanged position and width, and narrowing as breaking", () => {
    const copy = join(tempDir("hwspec-diff-"), "specs");
    copyTree(SPECS, copy);
    edit(copy, "x86/vmx-msrs.json", (s) => {
      const f = s.registers.IA32_VMX_BASIC.fields;
      f.ins_out_info_reported = f.ins_out_info;
      delete f.ins_out_info;
      f.vmcs_region_size.bits = "43:32";
      s.registers.IA32_VMX_BASIC.reserved.push({ bits: "44", policy: "ignore", doc: "reserved" });
    });
    const r = diffModels(modelOf(SPECS), modelOf(copy));
    expect(r.changes.map((c) => [c.path, c.change, c.severity, c.old, c.new])).toEqual([
      ["ins_out_info_reported", "renamed", "breaking", "ins_out_info", "ins_out_info_reported"],
      ["vmcs_region_size", "resized", "breaking", "44:32", "43:32"],
    ]);
  });

  it("prints a report, stable sorted JSON, and exits 1 only with --fail-on breaking", async () => {
    const text = await runCli(["diff", SPECS, dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/\d+ changes \(\d+ breaking, \d+ compatible\)/);
    expect(text.stdout).toContain("register IA32_VMX_BASIC dual_monitor moved: 49 → 57");
    expect(text.stdout).not.toMatch(/\u001b\[/);

    const a = await runCli(["diff", SPECS, dir, "--json"]);
    const b = await runCli(["diff", SPECS, dir, "--json"]);
    expect(a.stdout).toBe(b.stdout);
    const parsed = JSON.parse(a.stdout) as { changes: { spec: string; subject: string; path: string }[]; breaking: number };
    const keys = parsed.changes.map((c) => [c.spec, c.subject, c.path].join("\u0000"));
    expect(keys).toEqual([...keys].sort());
    expect(parsed.breaking).toBeGreaterThanOrEqual(4);

    expect((await runCli(["diff", SPECS, dir, "--fail-on", "breaking"])).code).toBe(1);
    expect((await runCli(["diff", SPECS, SPECS, "--fail-on", "breaking"])).code).toBe(0);
  });

  it("exits 2 with located diagnostics for a bad tree, and for a missing folder", async () => {
    const bad = join(tempDir("hwspec-diff-"), "specs");
    copyTree(SPECS, bad);
    writeFileSync(join(bad, "x86/vmx-msrs.json"), readFileSync(join(bad, "x86/vmx-msrs.json"), "utf8").replace('"width": 64', '"width": "sixty-four"'));
    const r = await runCli(["diff", SPECS, bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/vmx-msrs\.json:\d+:\d+: .* \[\/[^\]]*\]/);
    expect((await runCli(["diff", SPECS, join(bad, "nope")])).code).toBe(2);
  });

  it("reads git:REV through git without a checkout", async () => {
    const root = tempDir("hwspec-diff-git-");
    copyTree(SPECS, join(root, "specs"));
    const git = (...args: string[]) => execFileSync("git", args, { cwd: root, stdio: "pipe" });
    git("init", "-q");
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "add", "specs");
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "specs");
    edit(join(root, "specs"), "x86/vmx-msrs.json", (s) => {
      s.registers.IA32_VMX_BASIC.fields.memory_type.enum.WT = 4;
    });
    const r = await runCli(["diff", "git:HEAD", join(root, "specs"), "--specs", join(root, "specs"), "--json"]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout).changes).toEqual([
      {
        spec: "x86.vmx",
        subject: "register IA32_VMX_BASIC",
        path: "memory_type.WT",
        change: "enum-added",
        severity: "compatible",
        reason: "new enum member; existing members keep their values",
        new: "0x4",
      },
    ]);
    const unknown = await runCli(["diff", "git:no-such-rev", join(root, "specs"), "--specs", join(root, "specs")]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown revision");
  });
});
