import { existsSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { Diagnostics, type Diagnostic, type Loc } from "../diagnostics.ts";
import type { OutFile } from "../emit/types.ts";
import { loadValues } from "../load/tree.ts";
import { runFront } from "../pipeline.ts";
import { writeTree, type WritePlan } from "../write/atomic.ts";
import type { LocLookup } from "./locs.ts";
import type { ImportReport } from "./report.ts";
import type { ImportedSpecFile } from "./types.ts";

/**
 * The check-then-write end every importer shares: the specs are checked by the whole front end
 * before anything is written, then written as owned files. One copy, so both importers accept
 * exactly what `hwspec check` accepts and write under the same ownership rules.
 */

/** JSON as the hand-written specs are laid out: two spaces, a final newline. */
export const specText = (json: unknown): string => `${JSON.stringify(json, null, 2)}\n`;

const SCHEMA_URL = (kind: string) => `https://hwspec.dev/schema/${kind}.schema.json`;

/**
 * `$schema` for a spec written at `path` in `outDir`: the relative path to the nearest
 * `schema/<kind>.schema.json` above it (a spec folder's own), so editors complete the file;
 * the schema's `$id` when there is none.
 */
export function schemaRef(outDir: string, path: string, kind: string): string {
  const fileDir = dirname(resolve(outDir, path));
  for (let dir = fileDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "schema", `${kind}.schema.json`);
    if (existsSync(candidate)) return relative(fileDir, candidate).split(sep).join("/");
    if (dirname(dir) === dir) return SCHEMA_URL(kind);
  }
}

/**
 * Runs the whole front end (validate, resolve, elaborate, check) on the imported specs as one
 * tree, shown under `prefix` (the output folder as the user sees it). A finding about an item
 * whose spec carries `locs` (positions in the imported file by JSON pointer) is reported at the
 * imported file's position of its nearest located ancestor, with the spec and pointer it was
 * found at; items that record their own `source` (linux-sysreg) are reported in the spec.
 */
export function checkImported(files: ImportedSpecFile[], prefix: string): { errors: Diagnostic[]; warnings: Diagnostic[] } {
  const d = new Diagnostics();
  const byDisplay = new Map(files.map((f) => [prefix + f.path, f]));
  // The specs are checked as the values they are, not printed and read back: the same sources
  // (loadValues makes the text and positions only when a diagnostic asks), without a second copy
  // of every spec alive during the check.
  const result = runFront(loadValues(files, specText, d, prefix), d);
  const locate = (e: Diagnostic): Diagnostic => {
    const f = byDisplay.get(e.file);
    const loc = f?.locs ? nearest(f.locs, e.pointer) : undefined;
    return loc ? { ...loc, message: `${e.message} (in the imported spec, at ${e.file}:${e.line}:${e.col} [${e.pointer}])` } : e;
  };
  return result.ok ? { errors: [], warnings: result.warnings.map(locate) } : { errors: result.diagnostics.map(locate), warnings: [] };
}

/** checkImported for an importer that collects its findings in an ImportReport (svd). */
export function verifyImported(files: ImportedSpecFile[], prefix: string, report: ImportReport): void {
  const r = checkImported(files, prefix);
  for (const e of r.errors) report.errors.push(e);
  for (const w of r.warnings) report.warnings.push(w);
}

function nearest(locs: LocLookup, pointer: string): Loc | undefined {
  for (let p = pointer; ; p = p.slice(0, p.lastIndexOf("/"))) {
    const l = locs.get(p);
    if (l) return l;
    if (!p) return undefined;
  }
}

/**
 * Writes the specs through the same owned-files writer as generate (docs/output-ownership.md): a
 * manifest in `outDir` lists them, a later import replaces or removes only those, and a file
 * hwspec did not write is never overwritten. Throws OutputRefused.
 */
export function writeImported(outDir: string, files: ImportedSpecFile[], opts: { force?: boolean; source: string }): WritePlan {
  const out: OutFile[] = files.map((f) => ({ path: f.path, lang: "json", content: specText(f.json), source: opts.source }));
  return writeTree(outDir, out, { force: opts.force });
}
