import { emitAll } from "../emit/emit.ts";
import type { OutFile } from "../emit/types.ts";
import type { Front } from "../pipeline.ts";
import { bundleGenerated } from "./bundle.ts";
import { readStatic, render } from "./engine.ts";
import { pageOf } from "./kinds.ts";
import { accessLegend } from "./legend.ts";
import { indexMarkdown, pageMarkdown } from "./markdown.ts";
import type { ShapeContext } from "./shapes.ts";
import type { PageView, ShapeView } from "./view.ts";

export type DocsFormat = "html" | "md" | "both";

/**
 * The docs site as files in memory, a pure function of the model (and of the TypeScript the
 * emitters produce from it, bundled for the decode box). Layout of the output folder:
 *   index.html, specs/<namespace>.html, assets/{site.css,site.js,generated.js},
 *   svg/<namespace>/<kind>-<name>.svg, md/README.md, md/<namespace>.md
 */
export async function buildDocs(front: Front, format: DocsFormat = "both"): Promise<OutFile[]> {
  const emitted = await emitAll(front);
  const tsFiles = emitted.filter((f) => f.path.startsWith("ts/") && f.path.endsWith(".ts"));
  const ctx: ShapeContext = { lookup: front.lookup, decodable: exportedQnames(tsFiles) };
  // Every section carries `diagrams` so the strict templates never meet a missing value.
  const pages = front.model.specs.map((s) => {
    const page = pageOf(s, ctx);
    const legend = accessLegend(page);
    const sections = legend ? [...page.sections, legend] : page.sections;
    return { ...page, sections: sections.map((sec) => ({ ...sec, diagrams: sec.diagrams ?? [] })) };
  });
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
    const bundle = bundleGenerated(tsFiles);
    out.push({ path: "assets/generated.js", lang: "js", content: bundle.content, source: "generated/ts" });
    out.push({ path: "assets/site.js", lang: "js", content: readStatic("site.js"), source: "generator/docs/static/site.js" });
    out.push({ path: "assets/site.css", lang: "css", content: readStatic("site.css"), source: "generator/docs/static/site.css" });
    out.push({ path: "index.html", lang: "html", content: render("index", indexView(pages)), source: "specs/" });
    for (const page of pages) {
      const decodable = shapesOf(page)
        .filter((s) => s.decodable)
        .map((s) => ({ qname: s.qname, label: `${s.name} (${s.kind}, ${s.width} bits)` }));
      out.push({ path: `specs/${page.name}.html`, lang: "html", content: render("spec", { title: page.name, root: "../", page, decodable }), source: page.file });
    }
  }
  if (format !== "html") {
    out.push({ path: "md/README.md", lang: "md", content: indexMarkdown(pages.map((page) => ({ page, href: `${page.name}.md` }))), source: "specs/" });
    for (const page of pages) out.push({ path: `md/${page.name}.md`, lang: "md", content: pageMarkdown(page, (s) => `../${svgPath(page, s)}`, (sec, i) => `../svg/${page.name}/${sec.id}-${i}.svg`), source: page.file });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function shapesOf(page: PageView): ShapeView[] {
  return page.sections.flatMap((s) => s.shapes);
}

/** Qualified names that some generated module exports a descriptor for (`qname: "<name>"`). */
function exportedQnames(files: readonly OutFile[]): Set<string> {
  const out = new Set<string>();
  for (const f of files) for (const m of f.content.matchAll(/\bqname:\s*("(?:[^"\\]|\\.)*")/g)) out.add(JSON.parse(m[1]!) as string);
  return out;
}

function indexView(pages: PageView[]) {
  const entries = pages.flatMap((page) => [
    {
      name: page.name,
      kind: `${page.kind} spec`,
      spec: page.file,
      href: `specs/${page.name}.html`,
      doc: summary(page.doc),
      search: searchText([page.name, page.kind, page.doc]),
      arrayNames: "",
      arrayCount: "",
      arrayCluster: "",
    },
    ...shapesOf(page).map((s) => ({
      name: s.qname,
      kind: s.kind,
      spec: page.name,
      href: `specs/${page.name}.html#${s.id}`,
      doc: summary(s.doc),
      search: searchText([s.qname, s.kind, s.doc, ...s.meta.map((m) => m.value), ...s.rows.map((r) => r.name)]),
      // Names an element spelling (`NAME[3]`, `NAME3`, `CL[2].REG`, `CL2_REG`) is read against: see site.js.
      arrayNames: s.array ? searchText([s.qname, s.name]) : "",
      arrayCount: s.array ? String(s.array.count) : "",
      arrayCluster: s.array?.cluster ? "1" : "",
    })),
  ]);
  return {
    title: "Specs",
    root: "",
    entries,
    specs: pages.map((p) => ({ name: p.name, kind: p.kind, file: p.file, href: `specs/${p.name}.html`, summary: summary(p.doc) })),
  };
}

function summary(doc: string): string {
  const first = /^.*?[.!?](\s|$)/s.exec(doc)?.[0]?.trim() ?? doc;
  return first.length > 200 ? first.slice(0, 199) + "…" : first;
}

function searchText(parts: string[]): string {
  return parts.join(" ").toLowerCase().replace(/\s+/g, " ");
}

