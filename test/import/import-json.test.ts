import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { ROOT, tempDir } from "../helpers/project.ts";

/**
 * `hwspec import <format> --json` is one document shape for every importer (docs/cli.md): the
 * same keys with the same types, whether the import wrote its specs or was refused.
 */

const SYSREG = ["Sysreg\tDEMO_EL1\t3\t0\t0\t4\t7", "Res0\t63:2", "Enum\t1:1\tMode", "\t0b1\tA", "\t0b1\tB", "EndEnum", "Field\t0\tEN", "EndSysreg", ""].join("\n");
const BAD_SYSREG = ["Sysreg\tDEMO_EL1\t3\t0\t0\t4\t7", "Field\t0\tEN extra", "EndSysreg", ""].join("\n");

let dir: string;
beforeAll(() => {
  dir = tempDir("hwspec-import-json-");
  mkdirSync(join(dir, "arch/arm64/tools"), { recursive: true });
  writeFileSync(join(dir, "arch/arm64/tools/sysreg"), SYSREG);
  writeFileSync(join(dir, "bad-sysreg"), BAD_SYSREG);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const svd = (name: string) => join(ROOT, "test/fixtures/svd", `${name}.svd`);

async function importJson(args: string[]): Promise<{ code: number; doc: Record<string, unknown> }> {
  const r = await runCli(["import", ...args, "--json"]);
  return { code: r.code, doc: JSON.parse(r.stdout) as Record<string, unknown> };
}

/** The keys of a document and the JSON type of each value, the way the shape is documented. */
function shape(doc: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, Array.isArray(v) ? "array" : v === null ? "null" : typeof v]));
}

const DIAGNOSTIC = { file: "string", line: "number", col: "number", pointer: "string", message: "string" };

describe("hwspec import --json: one shape for every importer", () => {
  it("an import that writes its specs", async () => {
    const a = await importJson(["svd", svd("modified-write-values"), "--out", join(dir, "svd-out")]);
    const b = await importJson(["linux-sysreg", join(dir, "arch/arm64/tools/sysreg"), "--out", join(dir, "sysreg-out")]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const expected = { ok: "boolean", importer: "string", source: "string", out: "string", counts: "object", files: "array", written: "object", warnings: "array" };
    expect(shape(a.doc)).toEqual(expected);
    expect(shape(b.doc)).toEqual(expected);
    expect([a.doc.importer, b.doc.importer]).toEqual(["svd", "linux-sysreg"]);
    for (const d of [a.doc, b.doc]) {
      expect(d.ok).toBe(true);
      expect(d.out).toMatch(/-out\/$/);
      expect(Object.values(d.counts as object).every((n) => Number.isInteger(n))).toBe(true);
      expect(shape(d.written as Record<string, unknown>)).toEqual({ added: "array", changed: "array", removed: "array" });
      expect((d.written as { added: string[] }).added).toEqual(d.files);
      // Each importer has a warning here: svd's at an SVD element (no pointer), linux-sysreg's in a written spec.
      expect((d.warnings as Record<string, unknown>[]).map(shape)).toEqual([DIAGNOSTIC]);
    }
    expect((a.doc.warnings as { pointer: string }[])[0]!.pointer).toBe("");
    expect((b.doc.warnings as { pointer: string }[])[0]!.pointer).toMatch(/^\/registers\/DEMO_EL1\/fields\/Mode\/enum\//);
    expect(a.doc.counts).toEqual({ peripherals: 1, registers: 1, fields: 9 });
    expect(b.doc.source).toBe("arch/arm64/tools/sysreg");
  });

  it("an import refused for problems in its input", async () => {
    const a = await importJson(["svd", svd("errors"), "--out", join(dir, "svd-bad")]);
    const b = await importJson(["linux-sysreg", join(dir, "bad-sysreg"), "--out", join(dir, "sysreg-bad")]);
    expect([a.code, b.code]).toEqual([2, 2]);
    const expected = { ok: "boolean", importer: "string", source: "string", diagnostics: "array", warnings: "array" };
    expect(shape(a.doc)).toEqual(expected);
    expect(shape(b.doc)).toEqual(expected);
    for (const d of [a.doc, b.doc]) {
      expect(d.ok).toBe(false);
      const diags = d.diagnostics as Record<string, unknown>[];
      expect(diags.length).toBeGreaterThan(0);
      expect(diags.map(shape)).toEqual(diags.map(() => DIAGNOSTIC));
      expect(diags.map((x) => [x.line, x.col])).toEqual(diags.map((x) => [x.line, x.col]).sort((p, q) => (p[0] as number) - (q[0] as number) || (p[1] as number) - (q[1] as number)));
    }
    expect((b.doc.diagnostics as { line: number; col: number }[])[0]).toMatchObject({ line: 2, col: 12 });
  });
});
