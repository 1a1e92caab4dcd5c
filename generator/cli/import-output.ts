import { formatDiagnostic } from "../diagnostics.ts";
import { checkImported, writeImported } from "../import/output.ts";
import { toDisplay } from "../load/tree.ts";
import { resolve } from "node:path";
import type { ImportedSpecFile, ImportProblem } from "../import/types.ts";
import { EXIT, json, printDiagnostics, type Io } from "./output.ts";
import { refusalExit } from "./refusal.ts";

/** Problems in the imported file: `file:line:col: message` on stderr, or `{ "diagnostics": [...] }` on stdout with --json; exit 2. */
export function importProblems(io: Io, asJson: boolean | undefined, file: string, problems: ImportProblem[]): number {
  const sorted = [...problems].sort((a, b) => a.line - b.line || a.col - b.col);
  if (asJson) io.out(json({ diagnostics: sorted.map((p) => ({ file, line: p.line, col: p.col, message: p.message })) }));
  else {
    for (const p of sorted) io.err(`${file}:${p.line}:${p.col}: ${p.message}`);
    io.err(`${sorted.length} error${sorted.length === 1 ? "" : "s"}; nothing written`);
  }
  return EXIT.usage;
}

export interface ImportFinish {
  outDir: string;
  /** --out as given, for messages. */
  out: string;
  force?: boolean;
  json?: boolean;
  quiet?: boolean;
  source: string;
  specs: ImportedSpecFile[];
  counts: Record<string, number>;
}

/**
 * The end every importer shares: check the specs as `hwspec check` would (an import that
 * produces a spec check refuses is a bug, exit 70), write them as owned files, report counts,
 * files and the warnings check gives on them.
 */
export function importFinish(io: Io, importer: string, o: ImportFinish): number {
  const checked = checkImported(o.specs, toDisplay(resolve(o.outDir)).replace(/\/?$/, "/"));
  if (checked.errors.length) {
    if (o.json) printDiagnostics(io, checked.errors, true);
    else {
      io.err(`hwspec import ${importer}: internal error: the specs made from ${o.source} do not pass check (nothing written):`);
      for (const d of checked.errors.slice(0, 20)) io.err(formatDiagnostic(d));
      if (checked.errors.length > 20) io.err(`… and ${checked.errors.length - 20} more`);
    }
    return 70;
  }
  let plan;
  try {
    plan = writeImported(o.outDir, o.specs, { force: o.force, source: o.source });
  } catch (e) {
    return refusalExit(io, `import ${importer}`, o.json, e);
  }
  const files = o.specs.map((s) => s.path);
  const warnings = checked.warnings.map(({ file, line, col, pointer, message }) => ({ file, line, col, pointer, message }));
  if (o.json) {
    io.out(json({ ok: true, importer, source: o.source, out: o.out, counts: o.counts, files, written: plan, warnings }));
    return EXIT.ok;
  }
  if (!o.quiet) {
    for (const w of checked.warnings) io.err(`${w.file}:${w.line}:${w.col}: warning: ${w.message} [${w.pointer}]`);
    const counts = Object.entries(o.counts).map(([k, v]) => `${v} ${k}`).join(", ");
    io.out(`imported ${o.source}: ${counts}`);
    io.out(`wrote ${o.out}: ${plan.added.length} added, ${plan.changed.length} changed, ${plan.removed.length} removed (${files.length} spec files)${warnings.length ? `; ${warnings.length} warning${warnings.length === 1 ? "" : "s"}` : ""}`);
  }
  return EXIT.ok;
}
