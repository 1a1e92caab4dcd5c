import { existsSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { Diagnostics, type Diagnostic } from "../diagnostics.ts";
import type { OutFile } from "../emit/types.ts";
import { parseSpec } from "../load/parse.ts";
import { toDisplay, type LoadedTree } from "../load/tree.ts";
import { runFront } from "../pipeline.ts";
import { writeTree, type WritePlan } from "../write/atomic.ts";
import type { ImportedSpecFile } from "./types.ts";

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
 * Runs the whole front end (validate, resolve, elaborate, check) on the specs an importer made,
 * before anything is written: an import writes only specs `hwspec check` accepts.
 */
export function checkImported(outDir: string, specs: ImportedSpecFile[]): { errors: Diagnostic[]; warnings: Diagnostic[] } {
  const d = new Diagnostics();
  const tree: LoadedTree = { sources: [] };
  for (const s of specs) {
    const src = parseSpec(toDisplay(join(outDir, s.path)), s.path, specText(s.json), d);
    if (src) tree.sources.push(src);
  }
  if (d.count) return { errors: d.sorted(), warnings: [] };
  const r = runFront(tree, d);
  return r.ok ? { errors: [], warnings: r.warnings } : { errors: r.diagnostics, warnings: [] };
}

/**
 * Writes the specs through the same owned-files writer as generate: a manifest in `outDir` lists
 * them, a later import replaces or removes only those, and a file hwspec did not write is never
 * overwritten (a collision is refused even with --force). Throws OutputRefused.
 */
export function writeImported(outDir: string, specs: ImportedSpecFile[], opts: { force?: boolean; source: string }): WritePlan {
  const files: OutFile[] = specs.map((s) => ({ path: s.path, lang: "json", content: specText(s.json), source: opts.source }));
  return writeTree(outDir, files, { force: opts.force });
}
