import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { editDistance } from "../../generator/suggest.ts";
import { runCli } from "../helpers/cli.ts";
import { ROOT, SPECS, tempDir } from "../helpers/project.ts";

const run = (...args: string[]) => runCli(["--specs", SPECS, ...args]);
const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});
function tree(files: Record<string, string>): string {
  const dir = tempDir("hwspec-manners-");
  temps.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, ".."), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}
const SCHEMA = (kind: string) => JSON.stringify(join(ROOT, "specs/schema", `${kind}.schema.json`));

describe("--json: errors are JSON on stdout, with the same exit codes", () => {
  it("located diagnostics carry file, line, col, pointer and message", async () => {
    const dir = join(ROOT, "test/fixtures/bad/duplicate-key/specs");
    const text = await runCli(["check", "--specs", dir]);
    const r = await runCli(["check", "--specs", dir, "--json"]);
    expect(r.code).toBe(2);
    expect(r.code).toBe(text.code);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(out.diagnostics).toHaveLength(1);
    const d = out.diagnostics[0];
    expect(Object.keys(d).sort()).toEqual(["col", "file", "line", "message", "pointer"]);
    // The same facts the text form prints.
    expect(text.stderr).toContain(`${d.file}:${d.line}:${d.col}: ${d.message} [${d.pointer}]`);
  });

  it("usage errors of every --json command have only a message", async () => {
    const cases: string[][] = [
      ["layout", "NOPE", "--json"],
      ["decode", "IA32_VMX_BASIC", "zz", "--json"],
      ["encode", "IA32_VMX_BASIC", "nosuch=1", "--json"],
      ["explore", "no_such_machine", "--json"],
      ["diff", SPECS, "/nonexistent-hwspec-dir", "--json"],
      ["audit", "IA32_VMX_BASIC", "--c-header", "/nonexistent.h", "--c-type", "x", "--json"],
      ["docs", "--format", "pdf", "--json"],
      ["list", "--json", "--specs", "/nonexistent-hwspec-dir"],
      ["generate", "--check", "--json", "--specs", "/nonexistent-hwspec-dir"],
      // Errors found by the argument parser itself.
      ["decode", "IA32_VMX_BASIC", "--json"],
      ["layout", "IA32_VMX_BASIC", "--json", "--no-such-option"],
    ];
    for (const args of cases) {
      const r = await run(...args);
      expect(r.code, args.join(" ")).toBe(2);
      const out = JSON.parse(r.stdout);
      expect(out.diagnostics, args.join(" ")).toHaveLength(1);
      expect(Object.keys(out.diagnostics[0]), args.join(" ")).toEqual(["message"]);
      expect(out.diagnostics[0].message, args.join(" ")).toMatch(/\S/);
    }
  });
});

describe("decode --strict", () => {
  it("flags reserved bits against their policy; exit 1 only with --strict", async () => {
    // CR0 bit 5 (NE) is named; bits 63:32 are res0, so bit 40 breaks the policy.
    const value = "0x0000010000000001";
    const plain = await run("decode", "cr0_bits", value, "--json");
    expect(plain.code).toBe(0);
    const strict = await run("decode", "cr0_bits", value, "--json", "--strict");
    expect(strict.code).toBe(1);
    const v = JSON.parse(strict.stdout).violations;
    expect(v).toEqual([expect.objectContaining({ kind: "reserved", policy: "res0", lsb: 32, width: 32, value: "0x100" })]);
    expect(JSON.parse(plain.stdout).violations).toEqual(v);
    const text = await run("decode", "cr0_bits", value);
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(/warning: 1 violation: reserved bits 63:32 \(res0\) = 0x100: must be 0/);
  });

  it("flags a field value that no enum member names", async () => {
    // IA32_VMX_BASIC memory_type (53:50) names UC=0 and WB=6; 3 is neither.
    const value = `0x${(3n << 50n).toString(16)}`;
    const r = await run("decode", "IA32_VMX_BASIC", value, "--strict", "--json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).violations).toEqual([expect.objectContaining({ kind: "enum", path: "memory_type", value: "0x3" })]);
    const ok = await run("decode", "IA32_VMX_BASIC", `0x${(6n << 50n).toString(16)}`, "--strict");
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe("");
    const text = await run("decode", "IA32_VMX_BASIC", value);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/memory_type +0x3 \(not a named value\)/);
  });
});

describe("explore", () => {
  it("exits 3 with complete: false when --max-states stops it before the end", async () => {
    const partial = await run("explore", "xen.dpci_softirq_fixed", "--max-states", "10", "--json");
    expect(partial.code).toBe(3);
    expect(JSON.parse(partial.stdout)).toMatchObject({ complete: false, states: 10, violations: [] });
    const text = await run("explore", "xen.dpci_softirq_fixed", "--max-states", "10");
    expect(text.code).toBe(3);
    expect(text.stdout).toContain("exploration incomplete");
  });

  it("documents exit codes 3 and 4 in --help", async () => {
    expect((await runCli(["--help"])).stdout).toMatch(/3 explore stopped at --max-states/);
    expect((await runCli(["--help"])).stdout).toMatch(/4 explore stopped at --max-memory/);
    expect((await runCli(["explore", "--help"])).stdout).toMatch(/3 when --max-states/);
    expect((await runCli(["explore", "--help"])).stdout).toMatch(/--max-memory <MiB>/);
  });

  // 84,407 states with four interrupt and softirq instances: a store of several MiB.
  const big = ["explore", "xen.dpci_softirq_fixed", "--instances", "irq=4,softirq=4", "--reduce", "none"];
  it("exits 4 with stopped: max-memory and says so when --max-memory stops the store", async () => {
    const j = await run(...big, "--max-memory", "1", "--json");
    expect(j.code).toBe(4);
    const r = JSON.parse(j.stdout);
    expect(r).toMatchObject({ complete: false, stopped: "max-memory", violations: [] });
    expect(r.states).toBeGreaterThan(0);
    expect(r.states).toBeLessThan(84_407);
    const text = await run(...big, "--max-memory", "1");
    expect(text.code).toBe(4);
    expect(text.stdout).toContain("memory limit reached: exploration incomplete");
    expect(text.stderr).toMatch(/state store reached its memory limit \(1 MiB\) after \d+ states/);
    expect(text.stderr).toContain("Raise --max-memory");
    // A bound that holds everything changes nothing.
    const all = await run(...big, "--max-memory", "64", "--json");
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)).toMatchObject({ complete: true, states: 84_407 });
    expect(JSON.parse(all.stdout).stopped).toBeUndefined();
  });

  it("exits 3 with a message at --max-states on the same model", async () => {
    const text = await run(...big, "--max-states", "50000");
    expect(text.code).toBe(3);
    expect(text.stdout).toContain("50000 states");
    expect(text.stderr).toContain("stopped storing states at --max-states 50000");
    expect(JSON.parse((await run(...big, "--max-states", "50000", "--json")).stdout)).toMatchObject({ complete: false, stopped: "max-states", states: 50_000 });
  });

  it("refuses a --max-memory that is not a positive number", async () => {
    for (const bad of ["0", "-3", "lots"]) {
      const r = await run("explore", "xen.dpci_softirq_fixed", "--max-memory", bad);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("--max-memory must be a positive number of MiB");
    }
  });

  it("--progress writes progress lines to stderr only, --json stays one document", async () => {
    const r = await run(...big, "--progress", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ states: 84_407 });
    // Throttled to a few lines a second; on a fast machine the run may end before the first.
    for (const line of r.stderr.split("\n").filter(Boolean)) expect(line).toMatch(/^[\d.]+ (k |M )?states, [\d.]+ (k |M )?states\/s, frontier [\d.]+( k| M)?, depth \d+, memory \d+ MiB \(store \d+ MiB\)(, ETA ~.+)?$/);
    expect((await run(...big)).stderr).toBe("");
  });
});

describe("did you mean", () => {
  it("counts a swap of neighbours as one edit and ignores case", () => {
    expect(editDistance("IMCS", "IMSC")).toBe(1);
    expect(editDistance("ia32_vmx_basic", "IA32_VMX_BASIC")).toBe(0);
    expect(editDistance("IA32_EFR", "IA32_EFER")).toBe(1);
  });

  it("suggests the nearest names for every command that takes one", async () => {
    const cases: [string[], string][] = [
      [["layout", "IA32_VMX_BASC"], '(did you mean "IA32_VMX_BASIC"?)'],
      [["decode", "IA32_VMX_MSIC", "0"], '(did you mean "IA32_VMX_MISC"?)'],
      [["layout", "IMCS"], '(did you mean "IMSC"?)'],
      [["layout", "x86.vmx.IA32_VMX_BASC"], '(did you mean "x86.vmx.IA32_VMX_BASIC"?)'],
      [["encode", "IA32_VMX_BASIC", "memory_tpye=6"], '(did you mean "memory_type"?)'],
      [["encode", "IA32_VMX_PROCBASED_CTLS", "allowed_1.hlt_exitng=1"], '(did you mean "allowed_1.hlt_exiting"?)'],
      [["audit", "IA32_VMX_BASC", "--c-header", "x.h", "--c-type", "x"], '(did you mean "IA32_VMX_BASIC"?)'],
      [["explore", "dpci_softirq_fixd"], '(did you mean "dpci_softirq_fixed"?)'],
      [["export", "xen.dpci_sofirq", "--format", "dot"], '(did you mean "xen.dpci_softirq"?)'],
      [["export", "xen.dpci_softirq", "--format", "promela", "--instances", "irqq=2"], '(did you mean "irq"?)'],
    ];
    for (const [args, hint] of cases) {
      const r = await run(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toContain(hint);
    }
  });

  it("finds IA32_EFER for IA32_EFR and GICD_TYPER for GICD_TYPR", async () => {
    const reg = (name: string, index: string) => ({ [name]: { index, width: 32, fields: { a: { bits: "31:0" } } } });
    const dir = tree({
      "a.json": JSON.stringify({ $schema: JSON.parse(SCHEMA("registers")), kind: "registers", name: "demo", doc: "d", registers: { ...reg("IA32_EFER", "0xc0000080"), ...reg("GICD_TYPER", "0x4"), ...reg("FR", "0x18") } }),
    });
    for (const [typo, want] of [["IA32_EFR", "IA32_EFER"], ["GICD_TYPR", "GICD_TYPER"]]) {
      const r = await runCli(["--specs", dir, "layout", typo!]);
      expect(r.stderr).toContain(`(did you mean "${want}"?)`);
    }
  });

  it("says nothing when no name is close", async () => {
    const r = await run("layout", "COMPLETELY_DIFFERENT_THING");
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain("did you mean");
  });
});

describe("spec folders and files", () => {
  it("an empty specs folder is an error, not '0 specs OK'", async () => {
    const dir = tree({ "README.md": "not a spec" });
    for (const cmd of ["check", "list", "generate"]) {
      const r = await runCli(["--specs", dir, cmd, "--json"]);
      expect(r.code, cmd).toBe(2);
      expect(JSON.parse(r.stdout).diagnostics[0].message).toBe(`hwspec: no spec files in ${dir}`);
    }
    const text = await runCli(["--specs", dir, "check"]);
    expect(text.stderr).toContain(`no spec files in ${dir}`);
  });

  it("accepts $schema as a relative path or a URL ending in <kind>.schema.json", async () => {
    for (const ref of ["../schema/registers.schema.json", "https://example.org/hwspec/registers.schema.json?v=1", "registers.schema.json"]) {
      const dir = tree({ "a.json": JSON.stringify({ $schema: ref, kind: "registers", name: "demo", doc: "d", layouts: { l: { width: 8, fields: { a: { bits: "7:0" } } } } }) });
      const r = await runCli(["--specs", dir, "check"]);
      expect(r.code, ref).toBe(0);
    }
  });

  it("reads comments in specs and keeps positions exact", async () => {
    const text = `// A registers spec with comments.
{
  /* the schema for editors */
  "$schema": ${SCHEMA("registers")},
  "kind": "registers", // kind picks the schema
  "name": "demo",
  "doc": "d",
  "layouts": {
    "l": { "width": 8, "fields": { /* one field */ "a": { "bits": "7:0" } } }
  }
}
`;
    const good = tree({ "a.json": text });
    expect((await runCli(["--specs", good, "check"])).code).toBe(0);
    // Break the bit range after the comments: the error must point at its real line and column.
    const bad = tree({ "a.json": text.replace('"bits": "7:0"', '"bits": "9:0"') });
    const r = await runCli(["--specs", bad, "check", "--json"]);
    expect(r.code).toBe(2);
    const d = JSON.parse(r.stdout).diagnostics[0];
    const lines = readFileSync(join(bad, "a.json"), "utf8").split("\n");
    expect(d.pointer).toMatch(/^\/layouts\/l\/fields\/a/);
    expect(d.line).toBe(9);
    expect(lines[d.line - 1]!.slice(d.col - 1)).toMatch(/^("a"|\{ "bits"|"9:0")/);
  });

  it("duplicate keys are still errors in a file with comments", async () => {
    const dir = tree({ "a.json": `{\n  // c\n  "kind": "registers",\n  "kind": "registers"\n}\n` });
    const r = await runCli(["--specs", dir, "check", "--json"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).diagnostics[0]).toMatchObject({ line: 4, col: 3, pointer: "/kind", message: expect.stringContaining("duplicate key") });
  });
});
