import type { PageView, SectionView, ShapeView, TableView } from "./view.ts";

/**
 * Shapes (registers, layouts, entry formats) one spec page holds. A page's DOM grows with its
 * shapes (a 16-field register is about 300 elements: diagram, table, header), so a spec of
 * 10,000 registers in one file would be one page of millions of elements; pages of 50 keep every
 * page near 15,000 elements, which Chromium lays out and searches (Ctrl-F) without a pause, and
 * keep spec files split at 100 registers (the benchmark's trees) to two pages.
 * docs/auditing.md, "Docs at scale".
 */
export const PAGE_SHAPES = 50;

/**
 * A table longer than this (a register map of a large spec has a row per register) is spread over
 * the spec's pages, an equal run of rows on each, instead of all on the first: in model order its
 * rows then sit beside the shapes they describe.
 */
export const TABLE_ROWS = 200;

export interface PagePart {
  /** 1-based; part 1 is `specs/<namespace>.html`. */
  number: number;
  /** The page's sections holding only this part's shapes; later parts hold shapes only. */
  view: { sections: SectionView[] };
  /** Every section of the spec and the part its content starts on. */
  toc: { id: string; title: string; part: number }[];
  /** The shapes on this part, `first–last` by name (for the pager). */
  range: string;
  shapes: ShapeView[];
}

/** `specs/<namespace>.html` for part 1, `specs/<namespace>-p<n>.html` after (a namespace has no `-`). */
export function partPath(namespace: string, part: number): string {
  return part === 1 ? `specs/${namespace}.html` : `specs/${namespace}-p${part}.html`;
}

export function paginate(page: PageView, perPage = PAGE_SHAPES): PagePart[] {
  const all = page.sections.flatMap((sec, i) => sec.shapes.map((shape) => ({ sec: i, shape })));
  const count = Math.max(1, Math.ceil(all.length / perPage));
  const partOfShape = new Map<ShapeView, number>(all.map((x, i) => [x.shape, Math.floor(i / perPage) + 1]));
  const toc = page.sections.map((sec) => ({
    id: sec.id,
    title: sec.title,
    part: sec.tables.length || (sec.diagrams?.length ?? 0) || !sec.shapes.length ? 1 : partOfShape.get(sec.shapes[0]!)!,
  }));
  const parts: PagePart[] = [];
  for (let n = 1; n <= count; n++) {
    const shapes = all.slice((n - 1) * perPage, n * perPage).map((x) => x.shape);
    const mine = new Set(shapes);
    const sections = page.sections
      .map((sec) => {
        const tables = sec.tables.flatMap((t) => (count > 1 && t.rows.length > TABLE_ROWS ? [slice(t, n, count)] : n === 1 ? [t] : []));
        const shapesHere = sec.shapes.filter((s) => mine.has(s));
        return n === 1 ? { ...sec, tables, shapes: shapesHere } : { ...sec, doc: "", tables, diagrams: [], shapes: shapesHere };
      })
      .filter((sec) => n === 1 || sec.shapes.length || sec.tables.length);
    const range = shapes.length ? (shapes.length === 1 ? shapes[0]!.name : `${shapes[0]!.name} – ${shapes[shapes.length - 1]!.name}`) : "";
    parts.push({ number: n, view: { sections }, toc, range, shapes });
  }
  return parts;
}

/** Rows of a long table that part `n` of `count` shows, its caption saying which. */
function slice(t: TableView, n: number, count: number): TableView {
  const per = Math.ceil(t.rows.length / count);
  const rows = t.rows.slice((n - 1) * per, n * per);
  const first = (n - 1) * per + 1;
  return { ...t, caption: `${t.caption} (rows ${first}–${first + rows.length - 1} of ${t.rows.length})`, rows };
}
