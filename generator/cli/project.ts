import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { Diagnostics, formatWarning, type Diagnostic } from "../diagnostics.ts";
import { loadTree, type LoadedTree } from "../load/tree.ts";
import type { SpecSource } from "../load/source.ts";
import { runFront, type Front, type FrontResult } from "../pipeline.ts";
import type { PartialFront } from "../cache/front.ts";
import { EXIT, printDiagnostics, usageError, type Io } from "./output.ts";

export interface ProjectOptions {
  specs: string;
  out: string;
  /** Errors as JSON on stdout instead of text on stderr. */
  json?: boolean;
}

/** How generate with its cache loads and checks a tree (the defaults: every file read, the whole front end). */
export interface ProjectStages {
  load?: (root: string, d: Diagnostics) => LoadedTree;
  /** The front end; generate passes the cached one, whose result may cover part of the tree. */
  front?: (tree: LoadedTree, d: Diagnostics, root: string) => FrontResult & { partial?: PartialFront };
}

/** Loads and checks the spec tree; on errors prints them and yields the exit code instead. */
export function loadProject(
  opts: ProjectOptions & { quiet?: boolean },
  io: Io,
  { load = loadTree, front = (tree, d) => runFront(tree, d) }: ProjectStages = {},
): (Front & { warnings: Diagnostic[]; sources: SpecSource[]; partial?: PartialFront }) | number {
  const dir = resolve(opts.specs);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return usageError(io, opts.json, `hwspec: spec folder ${opts.specs} not found (run from the project root, pass --specs DIR or run hwspec init)`);
  }
  const d = new Diagnostics();
  const tree = load(dir, d);
  // An empty tree would "pass" every check and generate nothing; almost always a wrong folder.
  // (Files that do not parse are no source either, and are reported as such below.)
  if (!tree.sources.length && !d.count) return usageError(io, opts.json, `hwspec: no spec files in ${opts.specs}`);
  const result = front(tree, d, dir);
  if (!result.ok) {
    printDiagnostics(io, result.diagnostics, opts.json);
    return EXIT.usage;
  }
  // Warnings go to stderr, so JSON on stdout stays one document; `check --json` lists them too.
  if (!opts.json && !opts.quiet) for (const w of result.warnings) io.err(formatWarning(w));
  return Object.assign(result.front, { warnings: result.warnings, sources: tree.sources, ...(result.partial ? { partial: result.partial } : {}) });
}
