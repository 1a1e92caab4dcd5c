import { formatDiagnostic, type Diagnostic } from "../diagnostics.ts";

/**
 * 3: the answer is not known yet (explore stopped at --max-states before seeing every state);
 * 4: the same, because the state store reached --max-memory (a resource limit, not a choice of
 * the user's search depth, so scripts can tell them apart).
 */
export const EXIT = { ok: 0, findings: 1, usage: 2, incomplete: 3, memory: 4 } as const;

/** Where commands print. Tests capture it; colour only on a TTY, never with NO_COLOR or --json. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  color: boolean;
  /** Transient status for long runs: one rewritten stderr line on a terminal, nothing otherwise. */
  progress?(text: string): void;
}

export function processIo(json: boolean): Io {
  return {
    out: (t) => process.stdout.write(t.endsWith("\n") ? t : t + "\n"),
    err: (t) => process.stderr.write(t.endsWith("\n") ? t : t + "\n"),
    color: !json && !!process.stdout.isTTY && !process.env.NO_COLOR,
    ...(!json && process.stderr.isTTY ? { progress: (t: string) => void process.stderr.write(`\r\u001b[2K${t}`) } : {}),
  };
}

export function paint(io: Io, code: "red" | "green" | "yellow" | "dim" | "bold", text: string): string {
  if (!io.color) return text;
  const c = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 }[code];
  return `\u001b[${c}m${text}\u001b[0m`;
}

/**
 * Located errors: `file:line:col: message [pointer]` lines on stderr, or with --json one
 * `{ "diagnostics": [...] }` document on stdout, so a tool reading stdout always gets JSON.
 */
export function printDiagnostics(io: Io, diagnostics: Diagnostic[], asJson = false): void {
  if (asJson) {
    io.out(json({ diagnostics: diagnostics.map(({ file, line, col, pointer, message }) => ({ file, line, col, pointer, message })) }));
    return;
  }
  for (const d of diagnostics) io.err(formatDiagnostic(d));
  io.err(`${diagnostics.length} error${diagnostics.length === 1 ? "" : "s"}`);
}

/** A usage or input error without a place in a file; returns the exit code (2 unless given). */
export function usageError(io: Io, asJson: boolean | undefined, message: string, code: number = EXIT.usage): number {
  if (asJson) io.out(json({ diagnostics: [{ message }] }));
  else io.err(message);
  return code;
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
