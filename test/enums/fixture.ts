/**
 * The typed-enum fixture (test/fixtures/enums) generated into a temporary folder, as a user's
 * project would hold it: ts/ and c/ side by side.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Diagnostics } from "../../generator/diagnostics.ts";
import { loadTree } from "../../generator/load/tree.ts";
import { runBack, runFront } from "../../generator/pipeline.ts";
import { writeFiles } from "../property/compile.ts";
import { ROOT, tempDir } from "../helpers/project.ts";

export const FIXTURE = join(ROOT, "test/fixtures/enums");
export const FIXTURE_SPECS = join(FIXTURE, "specs");

/** The fixture spec as JSON, read directly: tests take expected facts from it, not from the generator. */
export interface FixtureField {
  bits: string;
  access?: string;
  enum?: Record<string, number | string>;
}
export const fixtureSpec = (): { layouts: Record<string, { width: number; fields: Record<string, FixtureField> }> } =>
  JSON.parse(readFileSync(join(FIXTURE_SPECS, "demo/csr.json"), "utf8"));

/** lsb and width of a "hi:lo" or "n" field. */
export function bitsOf(bits: string): { lsb: number; width: number } {
  const [hi, lo = hi] = bits.split(":").map(Number) as [number, number?];
  return { lsb: lo!, width: hi - lo! + 1 };
}

export async function generateFixture(): Promise<{ dir: string; cleanup: () => void }> {
  const d = new Diagnostics();
  const r = runFront(loadTree(FIXTURE_SPECS, d), d);
  if (!r.ok) throw new Error(r.diagnostics.map((x) => `${x.file}:${x.line}:${x.col}: ${x.message}`).join("\n"));
  const dir = tempDir("hwspec-enums-");
  writeFiles(dir, await runBack(r.front));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
