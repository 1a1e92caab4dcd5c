import { Diagnostics } from "../../diagnostics.ts";
import { diffModels } from "../../diff/index.ts";
import { diffJson, diffText } from "../../diff/report.ts";
import { loadRef, parseRef } from "../../diff/source.ts";
import { runFront } from "../../pipeline.ts";
import type { ElabModel } from "../../elaborate/model.ts";
import { EXIT, usageError, json, paint, printDiagnostics, type Io } from "../output.ts";

export interface DiffOptions {
  specs: string;
  json?: boolean;
  quiet?: boolean;
  failOn?: string;
}

/** `hwspec diff <old> <new>`: compares the resolved models of two spec trees. */
export function diffCommand(oldText: string, newText: string, opts: DiffOptions, io: Io): number {
  if (opts.failOn !== undefined && opts.failOn !== "breaking" && opts.failOn !== "any") {
    return usageError(io, opts.json, `hwspec diff: --fail-on takes "breaking" or "any", not "${opts.failOn}"`);
  }
  const models: ElabModel[] = [];
  for (const text of [oldText, newText]) {
    const ref = parseRef(text);
    const d = new Diagnostics();
    const loaded = loadRef(ref, opts.specs, d);
    if ("error" in loaded) {
      return usageError(io, opts.json, `hwspec diff: ${loaded.error}`);
    }
    const r = d.count ? ({ ok: false, diagnostics: d.sorted() } as const) : runFront(loaded.tree, d);
    if (!r.ok) {
      if (!opts.json) io.err(`hwspec diff: ${text} has errors:`);
      printDiagnostics(io, r.diagnostics, opts.json);
      return EXIT.usage;
    }
    models.push(r.front.model);
  }
  const result = diffModels(models[0]!, models[1]!);
  if (opts.json) io.out(json(diffJson(oldText, newText, result)));
  else if (!opts.quiet || result.changes.length) {
    const lines = diffText(oldText, newText, result, (c, t) => paint(io, c, t));
    io.out(lines.join("\n"));
  }
  const fail = opts.failOn === "breaking" ? result.breaking > 0 : opts.failOn === "any" ? result.changes.length > 0 : false;
  return fail ? EXIT.findings : EXIT.ok;
}
