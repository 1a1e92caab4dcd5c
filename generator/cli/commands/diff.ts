import { Diagnostics } from "../../diagnostics.ts";
import { diffModels } from "../../diff/index.ts";
import { diffJson, diffText } from "../../diff/report.ts";
import { loadRef, parseRef } from "../../diff/source.ts";
import { runFront } from "../../pipeline.ts";
import { loadTree } from "../../load/tree.ts";
import { didYouMean } from "../../suggest.ts";
import type { ElabModel } from "../../elaborate/model.ts";
import { EXIT, usageError, json, paint, printDiagnostics, type Io } from "../output.ts";

export interface DiffOptions {
  specs: string;
  overlay?: string;
  json?: boolean;
  quiet?: boolean;
  failOn?: string;
}

/** `hwspec diff <old> <new>`: compares the resolved models of two spec trees; `--overlay S`: S against its base. */
export function diffCommand(oldText: string | undefined, newText: string | undefined, opts: DiffOptions, io: Io): number {
  if (opts.failOn !== undefined && opts.failOn !== "breaking" && opts.failOn !== "any") {
    return usageError(io, opts.json, `hwspec diff: --fail-on takes "breaking" or "any", not "${opts.failOn}"`);
  }
  if (opts.overlay !== undefined) {
    if (oldText !== undefined) return usageError(io, opts.json, "hwspec diff: --overlay compares a spec of one tree with its base; give no folders or revisions with it");
    return overlayDiff(opts.overlay, opts, io);
  }
  if (oldText === undefined || newText === undefined) return usageError(io, opts.json, "hwspec diff: give two spec trees (<old> <new>), or --overlay <spec>");
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
  return report(oldText, newText, diffModels(models[0]!, models[1]!), opts, io);
}

/** The overlay's changes to its base, as a diff of the base (under the overlay's name) against the overlay. */
function overlayDiff(name: string, opts: DiffOptions, io: Io): number {
  const d = new Diagnostics();
  const r = runFront(loadTree(opts.specs, d), d);
  if (!r.ok) {
    if (!opts.json) io.err(`hwspec diff: ${opts.specs} has errors:`);
    printDiagnostics(io, r.diagnostics, opts.json);
    return EXIT.usage;
  }
  const specs = r.front.model.specs;
  const overlay = specs.find((s) => s.name === name);
  if (!overlay) return usageError(io, opts.json, `hwspec diff: no spec named "${name}"${didYouMean(name, specs.map((s) => s.name))}`);
  if (!overlay.extends) return usageError(io, opts.json, `hwspec diff: ${name} is not an overlay (it has no "extends")`);
  const base = specs.find((s) => s.name === overlay.extends)!;
  const result = diffModels({ specs: [{ ...base, name }] }, { specs: [overlay] });
  return report(base.name, name, result, opts, io);
}

function report(oldText: string, newText: string, result: ReturnType<typeof diffModels>, opts: DiffOptions, io: Io): number {
  if (opts.json) io.out(json(diffJson(oldText, newText, result)));
  else if (!opts.quiet || result.changes.length) {
    const lines = diffText(oldText, newText, result, (c, t) => paint(io, c, t));
    io.out(lines.join("\n"));
  }
  const fail = opts.failOn === "breaking" ? result.breaking > 0 : opts.failOn === "any" ? result.changes.length > 0 : false;
  return fail ? EXIT.findings : EXIT.ok;
}
