import { resolve } from "node:path";
import { buildDocs } from "../../docs/site.ts";
import type { OutFile } from "../../emit/types.ts";
import type { GenerateOptions } from "../../options.ts";
import { runBack } from "../../pipeline.ts";
import { currentTree, isEmptyPlan, plan, writeTree, type WritePlan } from "../../write/atomic.ts";
import { EXIT, json, paint, type Io } from "../output.ts";
import { loadProject, type ProjectOptions } from "../project.ts";

export interface GenerateCommandOptions extends ProjectOptions {
  check?: boolean;
  json?: boolean;
  quiet?: boolean;
  generate?: GenerateOptions;
  /** Also write the docs site (target "docs") into docsOut. */
  docs?: boolean;
  docsOut?: string;
}

export async function generateCommand(opts: GenerateCommandOptions, io: Io): Promise<number> {
  const show = opts.quiet ? undefined : io.progress;
  show?.("hwspec: checking specs…");
  const front = loadProject(opts, io);
  show?.("");
  if (typeof front === "number") return front;
  show?.(`hwspec: emitting and formatting ${front.model.specs.length} specs…`);
  const files = await runBack(front, opts.generate);
  // The docs target is its own tree in its own folder, checked and swapped in like generated/.
  const docs: { dir: string; files: OutFile[] } | undefined = opts.docs ? { dir: opts.docsOut ?? "docs-site", files: await buildDocs(front, "both") } : undefined;
  show?.(opts.check ? "" : `hwspec: writing ${files.length} files…`);
  const outDir = resolve(opts.out);
  if (opts.check) {
    const p = plan(files, currentTree(outDir));
    const d = docs && plan(docs.files, currentTree(resolve(docs.dir)));
    const fresh = isEmptyPlan(p) && (!d || isEmptyPlan(d));
    if (opts.json) io.out(json({ upToDate: fresh, ...p, ...(d ? { docs: { out: docs!.dir, upToDate: isEmptyPlan(d), ...d } } : {}) }));
    else {
      const trees: { dir: string; q: WritePlan; n: number }[] = [{ dir: opts.out, q: p, n: files.length }, ...(d ? [{ dir: docs!.dir, q: d, n: docs!.files.length }] : [])];
      for (const { dir, q, n } of trees) {
        if (isEmptyPlan(q)) {
          if (!opts.quiet) io.out(`${dir}/ is up to date (${n} files)`);
          continue;
        }
        io.err(`${dir}/ is out of date; run \`hwspec generate\`:`);
        for (const f of q.added) io.err(`  added   ${f}`);
        for (const f of q.changed) io.err(`  changed ${f}`);
        for (const f of q.removed) io.err(`  removed ${f}`);
      }
    }
    return fresh ? EXIT.ok : EXIT.findings;
  }
  const p = writeTree(outDir, files);
  const d = docs && writeTree(resolve(docs.dir), docs.files);
  show?.("");
  if (opts.json) io.out(json({ files: files.length, ...p, ...(d ? { docs: { out: docs!.dir, files: docs!.files.length, ...d } } : {}) }));
  else if (!opts.quiet) {
    const n = p.added.length + p.changed.length + p.removed.length;
    io.out(
      n === 0
        ? `${opts.out}/ already up to date (${files.length} files)`
        : `${paint(io, "green", "wrote")} ${opts.out}/: ${p.added.length} added, ${p.changed.length} changed, ${p.removed.length} removed (${files.length} files)`,
    );
    if (d) io.out(`${paint(io, "green", "wrote")} ${docs!.dir}/: ${d.added.length} added, ${d.changed.length} changed, ${d.removed.length} removed (${docs!.files.length} files)`);
  }
  return EXIT.ok;
}
