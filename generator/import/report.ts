import { formatDiagnostic, type Diagnostic, type Loc } from "../diagnostics.ts";

/**
 * What an importer found in its input: errors stop the import (nothing is written), warnings name
 * each construct hwspec's vocabulary cannot express, so nothing is dropped silently. Both are
 * located in the imported file (`file:line:col`), not in the specs written from it.
 */
export class ImportReport {
  readonly errors: Diagnostic[] = [];
  readonly warnings: Diagnostic[] = [];

  error(loc: Loc, message: string): void {
    this.errors.push({ ...loc, message });
  }

  warn(loc: Loc, message: string): void {
    this.warnings.push({ ...loc, message });
  }
}

/** `file:line:col: message`, without the empty pointer of an imported file's positions. */
export function formatImportDiagnostic(d: Diagnostic, severity: "error" | "warning"): string {
  const text = d.pointer ? formatDiagnostic(d) : `${d.file}:${d.line}:${d.col}: ${d.message}`;
  return severity === "warning" ? text.replace(/^(\S+: )/, "$1warning: ") : text;
}

export const byPosition = (a: Diagnostic, b: Diagnostic) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
