/** What every importer (linux-sysreg, svd) hands to the shared writer in generator/import/write.ts. */

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
}

/** Specs and counts when `problems` is empty; otherwise nothing is to be written. */
export interface ImportResult<C> {
  problems: ImportProblem[];
  specs: ImportedSpecFile[];
  counts?: C;
}
