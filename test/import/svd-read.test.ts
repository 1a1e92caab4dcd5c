import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ImportReport } from "../../generator/import/report.ts";
import { readResolved, readStreaming } from "../../generator/import/svd/index.ts";
import { DEFAULT_XML_LIMITS } from "../../generator/import/svd/xml.ts";
import { ROOT } from "../helpers/project.ts";

/**
 * The SVD model is read two ways (docs/importers.md, "Reading the model as the XML is parsed"):
 * as the XML is parsed, and through the whole tree when the SVD derives elements. Both must give
 * the same model and the same findings, or an SVD would import differently for having one
 * derivedFrom more.
 */
const FIXTURES = join(ROOT, "test/fixtures/svd");
const read = (how: typeof readResolved | typeof readStreaming, text: string, file: string) => {
  const report = new ImportReport();
  const device = how(text, file, DEFAULT_XML_LIMITS, report);
  return { device, errors: report.errors, warnings: report.warnings };
};

describe("svd: the streaming read and the tree read agree", () => {
  const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith(".svd"));

  it.each(fixtures)("%s", (f) => {
    const text = readFileSync(join(FIXTURES, f), "utf8");
    const tree = read(readResolved, text, f);
    const streamed = read(readStreaming, text, f);
    if (/<(peripheral|cluster|register|field)\b[^>]*derivedFrom=/.test(text)) {
      // Stopped at the derivation, reporting nothing: the tree read is the one used.
      expect(streamed).toEqual({ device: null, errors: [], warnings: [] });
      expect(tree.device?.peripherals.length).toBeGreaterThan(0);
      return;
    }
    expect(streamed.device).toEqual(tree.device);
    const sorted = (d: { line: number; col: number; message: string }[]) => d.map((x) => `${x.line}:${x.col} ${x.message}`).sort();
    expect(sorted(streamed.errors)).toEqual(sorted(tree.errors));
    expect(sorted(streamed.warnings)).toEqual(sorted(tree.warnings));
  });

  it("inherits register properties given after the registers, and per derived peripheral", () => {
    const text = [
      "<device><name>D</name><peripherals>",
      "<peripheral><name>A</name><baseAddress>0</baseAddress><registers><register><name>R</name><addressOffset>0</addressOffset></register></registers><size>16</size></peripheral>",
      '<peripheral derivedFrom="A"><name>B</name><baseAddress>0x100</baseAddress><size>8</size></peripheral>',
      "</peripherals><size>32</size><access>read-only</access></device>",
    ].join("\n");
    const late = read(readStreaming, text.replace(/<peripheral derivedFrom[^\n]*\n/, ""), "late.svd");
    const reg = (d: typeof late.device, p: number) => d!.peripherals[p]!.items[0]!.props;
    expect(reg(late.device, 0).size?.value).toBe(16);
    expect(reg(late.device, 0).access?.value).toBe("read-only");
    const derived = read(readResolved, text, "derived.svd");
    expect(derived.errors).toEqual([]);
    expect([reg(derived.device, 0).size?.value, reg(derived.device, 1).size?.value]).toEqual([16, 8]);
  });
});
