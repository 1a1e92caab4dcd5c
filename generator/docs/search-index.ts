import { GENERATED_HEADER } from "../emit/escape.ts";
import { visible } from "./engine.ts";
import { partPath, type PagePart } from "./paginate.ts";
import type { PageView } from "./view.ts";

/**
 * `assets/search.js`: every spec and shape as one row of data, loaded by the index page only, so
 * the index does not hold a list item per register (the search renders a bounded number of hits;
 * static/site.js). A classic script assigning a JSON literal, because a page opened from file://
 * may not fetch a JSON file. Rows: [name, kind, spec, href, doc summary, lower-case search text,
 * array names, array count, from a cluster (0/1)].
 * Spec text is data in a JSON string literal; `<`, U+2028 and U+2029 are escaped so no reader
 * takes the file for markup, and control/bidi characters are shown as `\uXXXX` as on the pages.
 */
export function searchIndex(pages: readonly { page: PageView; parts: PagePart[] }[]): string {
  const rows: (string | number)[][] = [];
  for (const { page, parts } of pages) {
    rows.push([page.name, `${page.kind} spec`, page.file, `specs/${page.name}.html`, summary(page.doc), searchText([page.name, page.kind, page.doc]), "", 0, 0]);
    for (const part of parts) {
      for (const s of part.shapes) {
        rows.push([
          s.qname,
          s.kind,
          page.name,
          `${partPath(page.name, part.number)}#${s.id}`,
          summary(s.doc),
          searchText([s.qname, s.kind, s.doc, ...s.meta.map((m) => m.value), ...s.rows.map((r) => r.name)]),
          // Names an element spelling (`NAME[3]`, `NAME3`, `CL[2].REG`, `CL2_REG`) is read against: see site.js.
          s.array ? searchText([s.qname, s.name]) : "",
          s.array ? s.array.count : 0,
          s.array?.cluster ? 1 : 0,
        ]);
      }
    }
  }
  const json = JSON.stringify(visible(rows)).replace(/[<\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `// ${GENERATED_HEADER}\n// The docs search index: one row per spec and shape (generator/docs/search-index.ts).\nwindow.hwspecSearch = ${json};\n`;
}

function summary(doc: string): string {
  const first = /^.*?[.!?](\s|$)/s.exec(doc)?.[0]?.trim() ?? doc;
  return first.length > 200 ? first.slice(0, 199) + "…" : first;
}

function searchText(parts: string[]): string {
  return parts.join(" ").toLowerCase().replace(/\s+/g, " ");
}
