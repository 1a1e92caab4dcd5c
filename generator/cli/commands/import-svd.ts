import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { formatImportDiagnostic, byPosition, type ImportReport } from "../../import/report.ts";
import { verifyImported, writeImported } from "../../import/output.ts";
import { importSvd } from "../../import/svd/index.ts";
import { toDisplay } from "../../load/tree.ts";
import type { ImportOptions } from "../import-group.ts";
import { EXIT, json, type Io } from "../output.ts";
import { refusalExit } from "../refusal.ts";

const plain = ({ file, line, col, message }: { file: string; line: number; col: number; message: string }) => ({ file, line, col, message });

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
  const outShown = toDisplay(resolve(opts.out)).replace(/\/?$/, "/");
  if (!result.report.errors.length) verifyImported(result.files, outShown, result.report);
  if (result.report.errors.length) return failed(result.report, opts, io);
  let written;
  try {
    written = writeImported(resolve(opts.out), result.files, { source: shown, force: !!opts.force });
  } catch (e) {
    return refusalExit(io, "import svd", opts.json, e);
  }
  const warnings = [...result.report.warnings].sort(byPosition);
  if (opts.json) {
    io.out(
      json({
        ok: true,
        device: result.device,
        peripherals: result.peripherals,
        registers: result.registers,
        fields: result.fields,
        out: outShown,
        files: result.files.map((f) => f.path),
        ...written,
        warnings: warnings.map(plain),
      }),
    );
    return EXIT.ok;
  }
  for (const w of warnings) io.err(formatImportDiagnostic(w, "warning"));
  if (!opts.quiet) {
    const changed = written.added.length + written.changed.length + written.removed.length;
    io.out(`imported ${result.device}: ${result.peripherals} peripheral${result.peripherals === 1 ? "" : "s"}, ${result.registers} registers, ${result.fields} fields into ${outShown} (${changed ? `${written.added.length} added, ${written.changed.length} changed, ${written.removed.length} removed` : "up to date"}); ${warnings.length} warning${warnings.length === 1 ? "" : "s"}`);
  }
  return EXIT.ok;
}

function failed(report: ImportReport, opts: ImportOptions, io: Io): number {
  const errors = [...report.errors].sort(byPosition);
  const warnings = [...report.warnings].sort(byPosition);
  if (opts.json) {
    io.out(json({ diagnostics: errors.map(plain), warnings: warnings.map(plain) }));
    return EXIT.usage;
  }
  for (const w of warnings) io.err(formatImportDiagnostic(w, "warning"));
  for (const e of errors) io.err(formatImportDiagnostic(e, "error"));
  io.err(`${errors.length} error${errors.length === 1 ? "" : "s"}; nothing was written`);
  return EXIT.usage;
}
