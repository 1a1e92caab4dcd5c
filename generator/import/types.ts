import type { LocLookup } from "./locs.ts";

/** What every importer (linux-sysreg, svd) hands to the shared check-then-write in generator/import/output.ts. */

/** A problem in the imported file, printed `file:line:col: message`. */
export interface ImportProblem {
  line: number;
  col: number;
  message: string;
}

export interface ImportedSpecFile {
  /** Path in the output folder, forward slashes. */
  path: string;
  json: Record<string, unknown>;
  /** Positions in the imported file of the spec's items, by JSON pointer (svd); sysreg items carry `source` instead. */
  locs?: LocLookup;
}

/** Specs and counts when `problems` is empty; otherwise nothing is to be written. */
export interface ImportResult<C> {
  problems: ImportProblem[];
  specs: ImportedSpecFile[];
  counts?: C;
}
