import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { formatImportDiagnostic, byPosition, type ImportReport } from "../../import/report.ts";
import { verifyImported, writeImported } from "../../import/output.ts";
import { importSvd } from "../../import/svd/index.ts";
import { toDisplay } from "../../load/tree.ts";
import type { ImportOptions } from "../import-group.ts";
import { importFailed, importSucceeded, outShown } from "../import-output.ts";
import { EXIT, json, type Io } from "../output.ts";
import { refusalExit } from "../refusal.ts";

export function run(file: string, opts: ImportOptions, io: Io): number {
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new Error("not a file");
    text = readFileSync(file, "utf8");
  } catch {
    const message = `hwspec import svd: cannot read ${file}`;
    if (opts.json) io.out(json({ diagnostics: [{ message }] }));
    else io.err(message);
    return EXIT.usage;
  }
  const shown = toDisplay(resolve(file));
  const result = importSvd(text, shown);
  const out = outShown(opts.out);
  if (!result.report.errors.length) verifyImported(result.files, out, result.report);
  if (result.report.errors.length) return failed(result.report, shown, opts, io);
  let written;
  try {
    written = writeImported(resolve(opts.out), result.files, { source: shown, force: !!opts.force });
  } catch (e) {
    return refusalExit(io, "import svd", opts.json, e);
  }
  const warnings = [...result.report.warnings].sort(byPosition);
  if (opts.json) {
    const counts = { peripherals: result.peripherals, registers: result.registers, fields: result.fields };
    io.out(json(importSucceeded({ importer: "svd", source: shown, out, counts, files: result.files.map((f) => f.path), written, warnings })));
    return EXIT.ok;
  }
  for (const w of warnings) io.err(formatImportDiagnostic(w, "warning"));
  if (!opts.quiet) {
    const changed = written.added.length + written.changed.length + written.removed.length;
    io.out(`imported ${result.device}: ${result.peripherals} peripheral${result.peripherals === 1 ? "" : "s"}, ${result.registers} registers, ${result.fields} fields into ${out} (${changed ? `${written.added.length} added, ${written.changed.length} changed, ${written.removed.length} removed` : "up to date"}); ${warnings.length} warning${warnings.length === 1 ? "" : "s"}`);
  }
  return EXIT.ok;
}

function failed(report: ImportReport, source: string, opts: ImportOptions, io: Io): number {
  const errors = [...report.errors].sort(byPosition);
  const warnings = [...report.warnings].sort(byPosition);
  if (opts.json) {
    io.out(json(importFailed({ importer: "svd", source, errors, warnings })));
    return EXIT.usage;
  }
  for (const w of warnings) io.err(formatImportDiagnostic(w, "warning"));
  for (const e of errors) io.err(formatImportDiagnostic(e, "error"));
  io.err(`${errors.length} error${errors.length === 1 ? "" : "s"}; nothing was written`);
  return EXIT.usage;
}
