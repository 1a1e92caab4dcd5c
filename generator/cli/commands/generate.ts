import { resolve } from "node:path";
import { runBack } from "../../pipeline.ts";
import { currentTree, isEmptyPlan, plan, writeTree } from "../../write/atomic.ts";
import { EXIT, json, paint, type Io } from "../output.ts";
import { loadProject, type ProjectOptions } from "../project.ts";

export async function generateCommand(opts: ProjectOptions & { check?: boolean; json?: boolean; quiet?: boolean }, io: Io): Promise<number> {
  const show = opts.quiet ? undefined : io.progress;
  show?.("hwspec: checking specs…");
  const front = loadProject(opts, io);
  show?.("");
  if (typeof front === "number") return front;
  show?.(`hwspec: emitting and formatting ${front.model.specs.length} specs…`);
  const files = await runBack(front);
  show?.(opts.check ? "" : `hwspec: writing ${files.length} files…`);
  const outDir = resolve(opts.out);
  if (opts.check) {
    const p = plan(files, currentTree(outDir));
    if (opts.json) io.out(json({ upToDate: isEmptyPlan(p), ...p }));
    else if (isEmptyPlan(p)) {
      if (!opts.quiet) io.out(`${opts.out}/ is up to date (${files.length} files)`);
    } else {
      io.err(`${opts.out}/ is out of date; run \`hwspec generate\`:`);
      for (const f of p.added) io.err(`  added   ${f}`);
      for (const f of p.changed) io.err(`  changed ${f}`);
      for (const f of p.removed) io.err(`  removed ${f}`);
    }
    return isEmptyPlan(p) ? EXIT.ok : EXIT.findings;
  }
  const p = writeTree(outDir, files);
  show?.("");
  if (opts.json) io.out(json({ files: files.length, ...p }));
  else if (!opts.quiet) {
    const n = p.added.length + p.changed.length + p.removed.length;
    io.out(
      n === 0
        ? `${opts.out}/ already up to date (${files.length} files)`
        : `${paint(io, "green", "wrote")} ${opts.out}/: ${p.added.length} added, ${p.changed.length} changed, ${p.removed.length} removed (${files.length} files)`,
    );
  }
  return EXIT.ok;
}
