import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Diagnostics } from "../../generator/diagnostics.ts";
import { specText } from "../../generator/import/output.ts";
import { importSvd } from "../../generator/import/svd/index.ts";
import { loadFiles, loadValues } from "../../generator/load/tree.ts";
import { runFront } from "../../generator/pipeline.ts";

const DIR = join(import.meta.dirname, "..", "fixtures", "svd");

/** The front end's findings on the imported specs, loaded either as values or from their written text. */
function front(files: { path: string; json: Record<string, unknown> }[], asValues: boolean) {
  const d = new Diagnostics();
  const tree = asValues ? loadValues(files, specText, d, "out/") : loadFiles(Object.fromEntries(files.map((f) => [f.path, specText(f.json)])), d, "out/");
  const r = runFront(tree, d);
  // Spread: a diagnostic's line and column are read here, which makes the values' positions.
  const plain = (l: { file: string; line: number; col: number; pointer: string; message: string }) => ({ ...l });
  return r.ok ? { ok: true, items: r.warnings.map(plain) } : { ok: false, items: r.diagnostics.map(plain) };
}

describe("import svd: the check reads the imported specs as values", () => {
  const fixtures = readdirSync(DIR).filter((n) => n.endsWith(".svd"));
  const imported = fixtures.map((n) => ({ n, r: importSvd(readFileSync(join(DIR, n), "utf8"), `test/fixtures/svd/${n}`) })).filter((x) => x.r.files.length);

  it("has fixtures that import", () => {
    expect(imported.length).toBeGreaterThan(10);
  });

  it("hands over values that are what reading their written text gives back", () => {
    for (const { n, r } of imported) for (const f of r.files) expect(f.json, `${n} ${f.path}`).toStrictEqual(JSON.parse(specText(f.json)));
  });

  it("gives the same verdict and the same located findings as checking the written text", () => {
    // The fixtures import cleanly; the next test makes the check find something.
    for (const { n, r } of imported) expect(front(r.files, true), n).toEqual(front(r.files, false));
  });

  it("locates a finding of the check in the spec's text when the value has a problem", () => {
    const { r } = imported.find((x) => x.n === "basic.svd")!;
    // A register whose offset is no number: the schema refuses it, at its line in the printed spec.
    const files = r.files.map((f) => structuredClone(f));
    const regs = files[0]!.json.registers as Record<string, Record<string, unknown>>;
    const first = Object.keys(regs)[0]!;
    regs[first]!.offset = "not an offset";
    const a = front(files, true);
    expect(a.ok).toBe(false);
    expect(a).toEqual(front(files, false));
    const text = specText(files[0]!.json).split("\n");
    const hit = a.items.find((e) => e.pointer.endsWith("/offset"))!;
    expect(text[hit.line - 1]).toContain('"not an offset"');
  });
});
