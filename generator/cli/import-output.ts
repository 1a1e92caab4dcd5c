import { formatDiagnostic, type Diagnostic } from "../diagnostics.ts";
import { byPosition, formatImportDiagnostic } from "../import/report.ts";
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

const plain = (d: { file: string; line: number; col: number; pointer?: string; message: string }): ImportJsonDiagnostic => ({ file: d.file, line: d.line, col: d.col, pointer: d.pointer ?? "", message: d.message });

/** The --json document of an import that wrote its specs. Warnings as given (importFinish puts them in file and position order). */
export function importSucceeded(o: { importer: string; source: string; out: string; counts: Record<string, number>; files: string[]; written: WritePlan; warnings: readonly Diagnostic[] }): ImportSucceeded {
  return { ok: true, importer: o.importer, source: o.source, out: o.out, counts: o.counts, files: o.files, written: { added: o.written.added, changed: o.written.changed, removed: o.written.removed }, warnings: o.warnings.map(plain) };
}

/** The --json document of an import refused for the problems it found (exit 2) or an internal error (exit 70). Findings as given, in order. */
export function importFailed(o: { importer: string; source: string; errors: readonly Diagnostic[]; warnings?: readonly Diagnostic[] }): ImportFailed {
  return { ok: false, importer: o.importer, source: o.source, diagnostics: o.errors.map(plain), warnings: (o.warnings ?? []).map(plain) };
}

/** The output folder as diagnostics show it, ending in `/`. */
export const outShown = (outDir: string) => toDisplay(resolve(outDir)).replace(/\/?$/, "/");

/** Problems in the imported file (no pointer), as importRefused takes them. */
export const problemsIn = (file: string, problems: readonly ImportProblem[]): Diagnostic[] => problems.map((p) => ({ file, line: p.line, col: p.col, pointer: "", message: p.message }));

/**
 * An import refused for problems in its input, the same for every importer: warnings then errors
 * as `file:line:col: message` on stderr and `N errors; nothing written`, or the ImportFailed
 * document on stdout with --json; exit 2. Each list is sorted here, once.
 */
export function importRefused(io: Io, o: { importer: string; source: string; json?: boolean; errors: readonly Diagnostic[]; warnings?: readonly Diagnostic[] }): number {
  const errors = [...o.errors].sort(byPosition);
  const warnings = [...(o.warnings ?? [])].sort(byPosition);
  if (o.json) io.out(json(importFailed({ importer: o.importer, source: o.source, errors, warnings })));
  else {
    for (const w of warnings) io.err(formatImportDiagnostic(w, "warning"));
    for (const e of errors) io.err(formatImportDiagnostic(e, "error"));
    io.err(`${errors.length} error${errors.length === 1 ? "" : "s"}; nothing written`);
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
  /** The importer's own findings in its input (svd's unsupported constructs), reported with those check gives on the specs. */
  warnings?: readonly Diagnostic[];
  /**
   * What it means when check refuses the specs. `input`: the importer leaves some rules of its
   * input to the front end (svd: names, overlaps, values), whose findings are located in the
   * imported file, so they are the input's problems (exit 2). `internal`: the importer promises
   * specs check accepts, so a refusal is its bug (linux-sysreg, exit 70).
   */
  refusedByCheck: "input" | "internal";
}

const counted = (counts: Record<string, number>) => Object.entries(counts).map(([k, v]) => `${v} ${v === 1 && k.endsWith("s") ? k.slice(0, -1) : k}`).join(", ");

/**
 * The end of every import: check the specs as `hwspec check` would, write them as owned files,
 * report counts, files and the warnings (the importer's and check's together, sorted once).
 */
export function importFinish(io: Io, importer: string, o: ImportFinish): number {
  const checked = checkImported(o.specs, outShown(o.outDir));
  if (checked.errors.length && o.refusedByCheck === "input") return importRefused(io, { importer, source: o.source, json: o.json, errors: checked.errors, warnings: o.warnings });
  if (checked.errors.length) {
    const errors = [...checked.errors].sort(byPosition);
    if (o.json) io.out(json(importFailed({ importer, source: o.source, errors })));
    else {
      io.err(`hwspec import ${importer}: internal error: the specs made from ${o.source} do not pass check (nothing written):`);
      for (const d of errors.slice(0, 20)) io.err(formatDiagnostic(d));
      if (errors.length > 20) io.err(`… and ${errors.length - 20} more`);
    }
    return 70;
  }
  let plan;
  try {
    plan = writeImported(o.outDir, o.specs, { force: o.force, source: o.source });
  } catch (e) {
    return refusalExit(io, `import ${importer}`, o.json, e);
  }
  const warnings = [...(o.warnings ?? []), ...checked.warnings].sort(byPosition);
  const files = o.specs.map((s) => s.path);
  if (o.json) {
    io.out(json(importSucceeded({ importer, source: o.source, out: outShown(o.outDir), counts: o.counts, files, written: plan, warnings })));
    return EXIT.ok;
  }
  for (const w of warnings) io.err(formatImportDiagnostic(w, "warning"));
  if (!o.quiet) {
    const changes = plan.added.length + plan.changed.length + plan.removed.length;
    io.out(`imported ${o.source}: ${counted(o.counts)}`);
    io.out(`wrote ${o.out}: ${changes ? `${plan.added.length} added, ${plan.changed.length} changed, ${plan.removed.length} removed` : "up to date"} (${files.length} spec file${files.length === 1 ? "" : "s"})${warnings.length ? `; ${warnings.length} warning${warnings.length === 1 ? "" : "s"}` : ""}`);
  }
  return EXIT.ok;
}
