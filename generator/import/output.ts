import { Diagnostics, type Loc } from "../diagnostics.ts";
import { loadFiles } from "../load/tree.ts";
import { runFront } from "../pipeline.ts";
import { writeTree, type WritePlan } from "../write/atomic.ts";
import type { ImportReport } from "./report.ts";

/** A spec an importer made, with the position in the imported file of each item, by JSON pointer. */
export interface ImportedFile {
  /** Path relative to the output folder, e.g. `uart0.json`. */
  rel: string;
  text: string;
  locs: Map<string, Loc>;
}

/**
 * Runs the whole front end (validate, resolve, elaborate, check) on the imported specs as one
 * tree, so an import is accepted only if `hwspec check` would accept its output; every finding is
 * reported at the imported file's position of the item it is about (the nearest located ancestor
 * of its JSON pointer), with the spec and pointer it was found at.
 */
export function verifyImported(files: ImportedFile[], prefix: string, report: ImportReport): void {
  const d = new Diagnostics();
  const byDisplay = new Map(files.map((f) => [prefix + f.rel, f]));
  const result = runFront(loadFiles(Object.fromEntries(files.map((f) => [f.rel, f.text])), d, prefix), d);
  if (result.ok) return;
  for (const e of result.diagnostics) {
    const f = byDisplay.get(e.file);
    const loc = f ? nearest(f.locs, e.pointer) : undefined;
    const where = `${e.file}:${e.line}:${e.col} [${e.pointer}]`;
    if (loc) report.error(loc, `${e.message} (in the imported spec, at ${where})`);
    else report.error({ file: e.file, line: e.line, col: e.col, pointer: e.pointer }, e.message);
  }
}

function nearest(locs: Map<string, Loc>, pointer: string): Loc | undefined {
  for (let p = pointer; ; p = p.slice(0, p.lastIndexOf("/"))) {
    const l = locs.get(p);
    if (l) return l;
    if (!p) return undefined;
  }
}

/** Writes imported specs under the output-ownership rules (docs/output-ownership.md): only files hwspec wrote are replaced. */
export function writeImported(outDir: string, files: ImportedFile[], source: string, force: boolean): WritePlan {
  return writeTree(outDir, files.map((f) => ({ path: f.rel, lang: "json" as const, content: f.text, source })), { force });
}
