import { resolve } from "node:path";
import { runBack } from "../../pipeline.ts";
import { MANIFEST } from "../../write/names.ts";
import { checkPlacement } from "../../write/placement.ts";
import { checkTree, isEmptyPlan, writeTree, type WritePlan } from "../../write/atomic.ts";
import { EXIT, json, paint, type Io } from "../output.ts";
import { refusalExit } from "../refusal.ts";
import { loadProject, type ProjectOptions } from "../project.ts";

export async function generateCommand(opts: ProjectOptions & { check?: boolean; json?: boolean; quiet?: boolean; force?: boolean }, io: Io): Promise<number> {
  const show = opts.quiet ? undefined : io.progress;
  const outDir = resolve(opts.out);
  const where = { specsDir: opts.specs, force: !!opts.force };
  try {
    // Cheap and decisive: refuse a dangerous --out before the expensive emit.
    checkPlacement(outDir, where);
  } catch (e) {
    return refusalExit(io, "generate", opts.json, e);
  }
  show?.("hwspec: checking specs…");
  const front = loadProject(opts, io);
  show?.("");
  if (typeof front === "number") return front;
  show?.(`hwspec: emitting and formatting ${front.model.specs.length} specs…`);
  const files = await runBack(front);
  show?.(opts.check ? "" : `hwspec: writing ${files.length} files…`);
  if (opts.check) {
    let state: { plan: WritePlan; manifestCurrent: boolean };
    try {
      state = checkTree(outDir, files, where);
    } catch (e) {
      return refusalExit(io, "generate", opts.json, e);
    }
    const p = state.plan;
    const upToDate = isEmptyPlan(p) && state.manifestCurrent;
    if (opts.json) io.out(json({ upToDate, ...p, manifestCurrent: state.manifestCurrent }));
    else if (upToDate) {
      if (!opts.quiet) io.out(`${opts.out}/ is up to date (${files.length} files)`);
    } else {
      io.err(`${opts.out}/ is out of date; run \`hwspec generate\`:`);
      for (const f of p.added) io.err(`  added   ${f}`);
      for (const f of p.changed) io.err(`  changed ${f}`);
      for (const f of p.removed) io.err(`  removed ${f}`);
      if (!state.manifestCurrent) io.err(`  updated ${MANIFEST} (the list of files hwspec owns here)`);
    }
    return upToDate ? EXIT.ok : EXIT.findings;
  }
  let p: WritePlan;
  try {
    p = writeTree(outDir, files, where);
  } catch (e) {
    show?.("");
    return refusalExit(io, "generate", opts.json, e);
  }
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
