import { formatDiagnostic, type Diagnostic } from "../diagnostics.ts";
import { checkImported, writeImported } from "../import/output.ts";
import { toDisplay } from "../load/tree.ts";
import { resolve } from "node:path";
import type { ImportedSpecFile, ImportProblem } from "../import/types.ts";
import type { WritePlan } from "../write/atomic.ts";
import { EXIT, json, type Io } from "./output.ts";
import { refusalExit } from "./refusal.ts";

/**
 * What `hwspec import <format> --json` prints, the same for every importer (docs/cli.md, "hwspec
 * import"): built here and nowhere else, so a script reads one shape whatever it imported.
 */
export type ImportJson = ImportSucceeded | ImportFailed;

/** A finding as --json prints it; `pointer` is empty for a position in the imported file. */
export interface ImportJsonDiagnostic {
  file: string;
  line: number;
  col: number;
  pointer: string;
  message: string;
}

export interface ImportSucceeded {
  ok: true;
  importer: string;
  /** The imported file as hwspec names it in what it writes: linux-sysreg's source name (items' `source`), svd's path. */
  source: string;
  /** The output folder as diagnostics show it, ending in `/`. */
  out: string;
  /** The importer's own counts (svd: peripherals, registers, fields; linux-sysreg: registers, fieldSets, …). */
  counts: Record<string, number>;
  /** The specs written, paths in `out`. */
  files: string[];
  written: WritePlan;
  warnings: ImportJsonDiagnostic[];
}

export interface ImportFailed {
  ok: false;
  importer: string;
  source: string;
  /** Nothing was written. */
  diagnostics: ImportJsonDiagnostic[];
  warnings: ImportJsonDiagnostic[];
}

const byPlace = (a: ImportJsonDiagnostic, b: ImportJsonDiagnostic) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col);

const plain = (d: { file: string; line: number; col: number; pointer?: string; message: string }): ImportJsonDiagnostic => ({ file: d.file, line: d.line, col: d.col, pointer: d.pointer ?? "", message: d.message });

/** The --json document of an import that wrote its specs. Warnings in file and position order. */
export function importSucceeded(o: { importer: string; source: string; out: string; counts: Record<string, number>; files: string[]; written: WritePlan; warnings: readonly Diagnostic[] }): ImportSucceeded {
  return { ok: true, importer: o.importer, source: o.source, out: o.out, counts: o.counts, files: o.files, written: { added: o.written.added, changed: o.written.changed, removed: o.written.removed }, warnings: o.warnings.map(plain).sort(byPlace) };
}

/** The --json document of an import refused for the problems it found (exit 2) or an internal error (exit 70). */
export function importFailed(o: { importer: string; source: string; errors: readonly (Diagnostic | (ImportProblem & { file: string }))[]; warnings?: readonly Diagnostic[] }): ImportFailed {
  return { ok: false, importer: o.importer, source: o.source, diagnostics: o.errors.map(plain).sort(byPlace), warnings: (o.warnings ?? []).map(plain).sort(byPlace) };
}

/** The output folder as diagnostics show it, ending in `/`. */
export const outShown = (outDir: string) => toDisplay(resolve(outDir)).replace(/\/?$/, "/");

/** Problems in the imported file: `file:line:col: message` on stderr, or the ImportFailed document on stdout with --json; exit 2. */
export function importProblems(io: Io, asJson: boolean | undefined, importer: string, file: string, problems: ImportProblem[], source = file): number {
  const sorted = [...problems].sort((a, b) => a.line - b.line || a.col - b.col);
  if (asJson) io.out(json(importFailed({ importer, source, errors: sorted.map((p) => ({ file, ...p })) })));
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
 * The end of linux-sysreg's import: check the specs as `hwspec check` would (an import that
 * produces a spec check refuses is a bug, exit 70), write them as owned files, report counts,
 * files and the warnings check gives on them.
 */
export function importFinish(io: Io, importer: string, o: ImportFinish): number {
  const checked = checkImported(o.specs, outShown(o.outDir));
  if (checked.errors.length) {
    if (o.json) io.out(json(importFailed({ importer, source: o.source, errors: checked.errors })));
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
  if (o.json) {
    io.out(json(importSucceeded({ importer, source: o.source, out: outShown(o.outDir), counts: o.counts, files, written: plan, warnings: checked.warnings })));
    return EXIT.ok;
  }
  if (!o.quiet) {
    for (const w of checked.warnings) io.err(`${w.file}:${w.line}:${w.col}: warning: ${w.message} [${w.pointer}]`);
    const counts = Object.entries(o.counts).map(([k, v]) => `${v} ${k}`).join(", ");
    io.out(`imported ${o.source}: ${counts}`);
    io.out(`wrote ${o.out}: ${plan.added.length} added, ${plan.changed.length} changed, ${plan.removed.length} removed (${files.length} spec files)${checked.warnings.length ? `; ${checked.warnings.length} warning${checked.warnings.length === 1 ? "" : "s"}` : ""}`);
  }
  return EXIT.ok;
}
