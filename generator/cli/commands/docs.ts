import { resolve } from "node:path";
import { buildDocs, type DocsFormat } from "../../docs/site.ts";
import { writeTree, type WritePlan } from "../../write/atomic.ts";
import { checkPlacement } from "../../write/placement.ts";
import { EXIT, usageError, json, paint, type Io } from "../output.ts";
import { refusalExit } from "../refusal.ts";
import { DEFAULT_DOCS_OUT } from "../defaults.ts";
import { loadProject, type ProjectOptions } from "../project.ts";

export { DEFAULT_DOCS_OUT };

export interface DocsOptions extends Omit<ProjectOptions, "out"> {
  site?: string;
  format?: string;
  json?: boolean;
  quiet?: boolean;
  force?: boolean;
}

/** `hwspec docs`: writes the static site (and/or Markdown) from the model, through the same owned-files writer as generate. */
export async function docsCommand(opts: DocsOptions, io: Io): Promise<number> {
  const format = (opts.format ?? "both") as DocsFormat;
  if (!["html", "md", "both"].includes(format)) {
    return usageError(io, opts.json, `hwspec docs: --format takes html, md or both, not "${opts.format}"`);
  }
  const dir = opts.site ?? DEFAULT_DOCS_OUT;
  const where = { specsDir: opts.specs, force: !!opts.force };
  try {
    checkPlacement(resolve(dir), where);
  } catch (e) {
    return refusalExit(io, "docs", opts.json, e);
  }
  const front = loadProject({ specs: opts.specs, out: "" }, io);
  if (typeof front === "number") return front;
  const files = await buildDocs(front, format);
  let p: WritePlan;
  try {
    p = writeTree(resolve(dir), files, where);
  } catch (e) {
    return refusalExit(io, "docs", opts.json, e);
  }
  if (opts.json) io.out(json({ out: dir, files: files.length, ...p }));
  else if (!opts.quiet) {
    const pages = files.filter((f) => f.path.endsWith(".html")).length;
    const md = files.filter((f) => f.path.endsWith(".md")).length;
    io.out(
      `${paint(io, "green", "wrote")} ${dir}/: ${pages} HTML page${pages === 1 ? "" : "s"}, ${md} Markdown file${md === 1 ? "" : "s"} ` +
        `(${p.added.length} added, ${p.changed.length} changed, ${p.removed.length} removed)` +
        (pages ? `; open ${dir}/index.html` : ""),
    );
  }
  return EXIT.ok;
}
