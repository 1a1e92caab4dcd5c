import { resolve } from "node:path";
import { buildDocs, type DocsFormat } from "../../docs/site.ts";
import { writeTree } from "../../write/atomic.ts";
import { DEFAULT_DOCS_OUT } from "../defaults.ts";
import { EXIT, json, paint, type Io } from "../output.ts";
import { loadProject, type ProjectOptions } from "../project.ts";

export { DEFAULT_DOCS_OUT };

export interface DocsOptions extends Omit<ProjectOptions, "out"> {
  site?: string;
  format?: string;
  json?: boolean;
  quiet?: boolean;
}

/** `hwspec docs`: writes the static site (and/or Markdown) from the model, atomically like generate. */
export async function docsCommand(opts: DocsOptions, io: Io): Promise<number> {
  const format = (opts.format ?? "both") as DocsFormat;
  if (!["html", "md", "both"].includes(format)) {
    io.err(`hwspec docs: --format takes html, md or both, not "${opts.format}"`);
    return EXIT.usage;
  }
  const front = loadProject({ specs: opts.specs, out: "" }, io);
  if (typeof front === "number") return front;
  const files = await buildDocs(front, format);
  const dir = opts.site ?? DEFAULT_DOCS_OUT;
  const p = writeTree(resolve(dir), files);
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
