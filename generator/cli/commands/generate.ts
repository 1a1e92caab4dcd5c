import { resolve } from "node:path";
import type { OutFile } from "../../emit/types.ts";
import type { GenerateOptions } from "../../options.ts";
import { runBackCached } from "../../cache/back.ts";
import { runFrontCached } from "../../cache/front.ts";
import { loadTreeCached } from "../../cache/sources.ts";
import { cacheDir } from "../../cache/location.ts";
import { CacheEntryChanged, EmitCache } from "../../cache/store.ts";
import { knownFiles } from "../../cache/known.ts";
import { MANIFEST } from "../../write/names.ts";
import { checkPlacement } from "../../write/placement.ts";
import { checkTree, isEmptyPlan, writeTree, type WritePlan } from "../../write/atomic.ts";
import { EXIT, json, paint, type Io } from "../output.ts";
import { refusalExit } from "../refusal.ts";
import { loadProject, type ProjectOptions } from "../project.ts";

export interface GenerateCommandOptions extends ProjectOptions {
  check?: boolean;
  json?: boolean;
  quiet?: boolean;
  force?: boolean;
  generate?: GenerateOptions;
  /** Also write the docs site (target "docs") into docsOut. */
  docs?: boolean;
  docsOut?: string;
  /** `--no-cache`: emit and format every file, neither reading nor writing the emit cache. */
  cache?: boolean;
  /** Where the project's node_modules/.cache is looked for (the config file's folder, else the current one). */
  projectRoot?: string;
}

export async function generateCommand(opts: GenerateCommandOptions, io: Io): Promise<number> {
  const show = opts.quiet ? undefined : io.progress;
  // A cache entry spoiled under the run is gone by now (store.ts): said plainly, the next run is whole.
  const stopped = (e: unknown): number => {
    if (!(e instanceof CacheEntryChanged)) return refusalExit(io, "generate", opts.json, e);
    if (opts.json) io.out(json({ diagnostics: [{ message: e.message }] }));
    else io.err(`hwspec generate: ${e.message}`);
    // Like a refused output folder: nothing was written, and running again is the remedy.
    return EXIT.usage;
  };
  const outDir = resolve(opts.out);
  const where = { specsDir: opts.specs, force: !!opts.force };
  try {
    // Cheap and decisive: refuse a dangerous --out before the expensive emit.
    checkPlacement(outDir, where);
  } catch (e) {
    return refusalExit(io, "generate", opts.json, e);
  }
  // Per-spec front-end results and emitted files from earlier runs (docs/output-ownership.md#emit-cache); never in outDir.
  const dir = opts.cache === false ? undefined : cacheDir(opts.projectRoot ?? process.cwd());
  const cache = new EmitCache(dir);
  show?.("hwspec: checking specs…");
  let front: ReturnType<typeof loadProject>;
  let files: OutFile[];
  try {
    // The docs site reads every spec's elaborated model, so it needs the whole front end.
    front = loadProject(opts, io, dir && !opts.docs ? { load: (root, d) => loadTreeCached(root, d, cache), front: (tree, d, root) => runFrontCached(tree, d, cache, root) } : {});
    show?.("");
    if (typeof front === "number") return front;
    show?.(`hwspec: emitting and formatting ${front.sources.length} specs…`);
    ({ files } = await runBackCached(front, front.sources, cache, opts.generate, front.partial));
  } catch (e) {
    // A spec or cache entry that changed under the run (cache/sources.ts, cache/store.ts).
    if (e instanceof CacheEntryChanged) return (show?.(""), stopped(e));
    throw e;
  }
  if (!opts.check) cache.pruneDisk();
  // The docs target is its own tree in its own folder, checked and swapped in like generated/.
  const docs: { dir: string; files: OutFile[] } | undefined = opts.docs ? { dir: opts.docsOut ?? "docs-site", files: await (await import("../../docs/site.ts")).buildDocs(front, "both") } : undefined;
  show?.(opts.check ? "" : `hwspec: writing ${files.length} files…`);
  if (opts.check) {
    let state: { plan: WritePlan; manifestCurrent: boolean };
    let docsState: { plan: WritePlan; manifestCurrent: boolean } | undefined;
    try {
      state = checkTree(outDir, files, { ...where, known: knownFiles(cache, outDir) });
      if (docs) docsState = checkTree(resolve(docs.dir), docs.files, where);
    } catch (e) {
      return stopped(e);
    }
    const current = (x: { plan: WritePlan; manifestCurrent: boolean }) => isEmptyPlan(x.plan) && x.manifestCurrent;
    const upToDate = current(state) && (!docsState || current(docsState));
    if (opts.json) io.out(json({ upToDate, ...state.plan, manifestCurrent: state.manifestCurrent, ...(docsState ? { docs: { out: docs!.dir, upToDate: current(docsState), ...docsState.plan } } : {}) }));
    else {
      const trees = [{ dir: opts.out, x: state, n: files.length }, ...(docsState ? [{ dir: docs!.dir, x: docsState, n: docs!.files.length }] : [])];
      for (const { dir, x, n } of trees) {
        if (current(x)) {
          if (!opts.quiet) io.out(`${dir}/ is up to date (${n} files)`);
          continue;
        }
        io.err(`${dir}/ is out of date; run \`hwspec generate\`:`);
        for (const f of x.plan.added) io.err(`  added   ${f}`);
        for (const f of x.plan.changed) io.err(`  changed ${f}`);
        for (const f of x.plan.removed) io.err(`  removed ${f}`);
        if (!x.manifestCurrent) io.err(`  updated ${MANIFEST} (the list of files hwspec owns here)`);
      }
    }
    return upToDate ? EXIT.ok : EXIT.findings;
  }
  let p: WritePlan;
  let d: WritePlan | undefined;
  try {
    if (docs) checkPlacement(resolve(docs.dir), where);
    p = writeTree(outDir, files, { ...where, known: knownFiles(cache, outDir) });
    d = docs && writeTree(resolve(docs.dir), docs.files, where);
  } catch (e) {
    show?.("");
    return stopped(e);
  }
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
