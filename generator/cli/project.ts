import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { Diagnostics } from "../diagnostics.ts";
import { loadTree } from "../load/tree.ts";
import { runFront, type Front } from "../pipeline.ts";
import { EXIT, printDiagnostics, type Io } from "./output.ts";

export interface ProjectOptions {
  specs: string;
  out: string;
}

/** Loads and checks the spec tree; on errors prints them and yields the exit code instead. */
export function loadProject(opts: ProjectOptions, io: Io): Front | number {
  const dir = resolve(opts.specs);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    io.err(`hwspec: spec folder ${opts.specs} not found (run from the project root or pass --specs DIR)`);
    return EXIT.usage;
  }
  const d = new Diagnostics();
  const tree = loadTree(dir, d);
  const result = runFront(tree, d);
  if (!result.ok) {
    printDiagnostics(io, result.diagnostics);
    return EXIT.usage;
  }
  return result.front;
}
