/** Where something sits in a spec file: 1-based line and column plus the RFC 6901 pointer. */
export interface Loc {
  file: string;
  line: number;
  col: number;
  pointer: string;
}

export interface Diagnostic extends Loc {
  message: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.message} [${d.pointer}]`;
}

/** A warning as `file:line:col: warning: message [json-pointer]`. */
export function formatWarning(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: warning: ${d.message} [${d.pointer}]`;
}

/** Collects diagnostics in the order stages find them; a stage never throws on bad input. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];
  /** Findings that do not stop a stage: the spec is accepted and everything generated from it compiles. */
  readonly warnings: Diagnostic[] = [];

  error(loc: Loc, message: string): void {
    this.items.push({ ...loc, message });
  }

  warn(loc: Loc, message: string): void {
    this.warnings.push({ ...loc, message });
  }

  get count(): number {
    return this.items.length;
  }

  /** Deterministic order for printing: by file, then position, then pointer. */
  sorted(): Diagnostic[] {
    return sortDiagnostics(this.items);
  }

  sortedWarnings(): Diagnostic[] {
    return sortDiagnostics(this.warnings);
  }
}

/**
 * Sorted, and each finding once: an overlay's merged spec carries its base's members with the base's
 * positions, so a fault in the base is found when the base is validated and again in every overlay of it.
 */
function sortDiagnostics(items: Diagnostic[]): Diagnostic[] {
  const sorted = [...items].sort(compareDiagnostics);
  return sorted.filter((x, i) => i === 0 || compareDiagnostics(sorted[i - 1]!, x) !== 0);
}

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return cmp(a.file, b.file) || a.line - b.line || a.col - b.col || cmp(a.pointer, b.pointer) || cmp(a.message, b.message);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Thrown only across the CLI boundary to carry located errors to exit code 2. */
export class SpecError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join("\n"));
    this.name = "SpecError";
  }
}

export function escapePointerToken(token: string | number): string {
  const s = String(token);
  // Nearly every token has neither character: the two replacements would each scan it for nothing.
  return s.includes("~") || s.includes("/") ? s.replace(/~/g, "~0").replace(/\//g, "~1") : s;
}

export function childPointer(pointer: string, token: string | number): string {
  return `${pointer}/${escapePointerToken(token)}`;
}
