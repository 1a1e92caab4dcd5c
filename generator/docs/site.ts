import { emitTarget } from "../emit/target.ts";
import { tsTarget } from "../emit/targets.ts";
import type { OutFile } from "../emit/types.ts";
import { DEFAULT_GENERATE_OPTIONS } from "../options.ts";
import type { Front } from "../pipeline.ts";
import { bundleModules, scriptsFor } from "./bundle.ts";
import { readStatic, render } from "./engine.ts";
import { pageOf } from "./kinds.ts";
import { accessLegend } from "./legend.ts";
import { indexMarkdown, pageMarkdown } from "./markdown.ts";
import { paginate, partPath, type PagePart } from "./paginate.ts";
import { searchIndex } from "./search-index.ts";
import type { ShapeContext } from "./shapes.ts";
import type { PageView, ShapeView } from "./view.ts";

export type DocsFormat = "html" | "md" | "both";

/**
 * The docs site as files in memory, a pure function of the model (and of the TypeScript the
 * emitters produce from it, transpiled for the decode box). Layout of the output folder:
 *   index.html, specs/<namespace>.html (and specs/<namespace>-p<n>.html when a spec has more
 *   shapes than one page holds), assets/{site.css,site.js,search.js,generated.js},
 *   assets/ts/**.js (one per generated module), svg/<namespace>/<kind>-<name>.svg,
 *   md/README.md, md/<namespace>.md
 * Sizes stay bounded per page at any tree size: docs/auditing.md, "Docs at scale".
 */
export async function buildDocs(front: Front, format: DocsFormat = "both"): Promise<OutFile[]> {
  // Only the TypeScript target: the decode box runs it and the pages name what it exports.
  const tsFiles = format === "md" ? [] : (await emitTarget(tsTarget, front, DEFAULT_GENERATE_OPTIONS)).filter((f) => f.path.startsWith("ts/") && f.path.endsWith(".ts"));
  const ctx: ShapeContext = { lookup: front.lookup, decodable: exportedQnames(tsFiles) };
  // Every section carries `diagrams` so the strict templates never meet a missing value.
  const pages = front.model.specs.map((s) => {
    const page = pageOf(s, ctx);
    const legend = accessLegend(page);
    const sections = legend ? [...page.sections, legend] : page.sections;
    return { ...page, sections: sections.map((sec) => ({ ...sec, diagrams: sec.diagrams ?? [] })) };
  });
  // Started before the pages render, so esbuild works while this thread renders.
  const bundling = format === "md" ? undefined : bundleModules(tsFiles);
  // Awaited below; this only keeps a failure from being reported as unhandled if rendering throws first.
  bundling?.catch(() => {});
  const out: OutFile[] = [];
  const svgPath = (page: PageView, s: ShapeView) => `svg/${page.name}/${s.id}.svg`;

  for (const page of pages) {
    for (const s of shapesOf(page)) {
      out.push({ path: svgPath(page, s), lang: "svg", content: render("svg-file", s.svg), source: page.file });
    }
    for (const sec of page.sections) {
      for (const [i, d] of sec.diagrams.entries()) out.push({ path: `svg/${page.name}/${sec.id}-${i}.svg`, lang: "svg", content: render("state-file", d), source: page.file });
    }
  }
  if (format !== "md") {
    const bundle = (await bundling)!;
    out.push({ path: "assets/generated.js", lang: "js", content: bundle.loader, source: "generated/ts" });
    for (const m of bundle.modules.values()) out.push({ path: m.path, lang: "js", content: m.content, source: `generated/${m.id}.ts` });
    out.push({ path: "assets/site.js", lang: "js", content: readStatic("site.js"), source: "generator/docs/static/site.js" });
    out.push({ path: "assets/site.css", lang: "css", content: readStatic("site.css"), source: "generator/docs/static/site.css" });
    const parted = pages.map((page) => ({ page, parts: paginate(page) }));
    out.push({ path: "assets/search.js", lang: "js", content: searchIndex(parted), source: "specs/" });
    out.push({ path: "index.html", lang: "html", content: render("index", indexView(pages)), source: "specs/" });
    // A spec page loads the modules generated from its own spec file and what they import.
    const idsBySource = new Map<string, string[]>();
    for (const f of tsFiles) if (f.path !== "ts/index.ts") idsBySource.set(f.source, [...(idsBySource.get(f.source) ?? []), f.path.replace(/\.ts$/, "")]);
    for (const { page, parts } of parted) {
      const ids = idsBySource.get(page.file) ?? [];
      for (const part of parts) {
        const decodable = shapesOf(part.view)
          .filter((s) => s.decodable)
          .map((s) => ({ qname: s.qname, label: `${s.name} (${s.kind}, ${s.width} bits)` }));
        const scripts = decodable.length ? ["assets/generated.js", ...scriptsFor(ids, bundle.modules)] : [];
        out.push({ path: partPath(page.name, part.number), lang: "html", content: render("spec", specView(page, part, parts, decodable, scripts)), source: page.file });
      }
    }
  }
  if (format !== "html") {
    out.push({ path: "md/README.md", lang: "md", content: indexMarkdown(pages.map((page) => ({ page, href: `${page.name}.md` }))), source: "specs/" });
    for (const page of pages) out.push({ path: `md/${page.name}.md`, lang: "md", content: pageMarkdown(page, (s) => `../${svgPath(page, s)}`, (sec, i) => `../svg/${page.name}/${sec.id}-${i}.svg`), source: page.file });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function shapesOf(page: Pick<PageView, "sections">): ShapeView[] {
  return page.sections.flatMap((s) => s.shapes);
}

function specView(page: PageView, part: PagePart, parts: PagePart[], decodable: { qname: string; label: string }[], scripts: string[]) {
  const file = (n: number) => partPath(page.name, n).slice("specs/".length);
  return {
    title: parts.length > 1 ? `${page.name} (${part.number} of ${parts.length})` : page.name,
    root: "../",
    scripts,
    page: { ...page, sections: part.view.sections },
    toc: part.toc.map((t) => ({ title: t.title, href: t.part === part.number ? `#${t.id}` : `${file(t.part)}#${t.id}` })),
    pager: parts.length > 1 ? parts.map((p) => ({ label: `${p.number}`, href: file(p.number), current: p.number === part.number, range: p.range })) : [],
    decodable,
  };
}

/** Qualified names that some generated module exports a descriptor for (`qname: "<name>"`). */
function exportedQnames(files: readonly OutFile[]): Set<string> {
  const out = new Set<string>();
  for (const f of files) for (const m of f.content.matchAll(/\bqname:\s*("(?:[^"\\]|\\.)*")/g)) out.add(JSON.parse(m[1]!) as string);
  return out;
}

/** The index page holds the spec table; its search reads assets/search.js and renders a bounded list. */
function indexView(pages: PageView[]) {
  return {
    title: "Specs",
    root: "",
    scripts: ["assets/search.js"],
    specs: pages.map((p) => ({ name: p.name, kind: p.kind, file: p.file, href: `specs/${p.name}.html`, summary: summary(p.doc) })),
  };
}

function summary(doc: string): string {
  const first = /^.*?[.!?](\s|$)/s.exec(doc)?.[0]?.trim() ?? doc;
  return first.length > 200 ? first.slice(0, 199) + "…" : first;
}
