/** What the docs templates render: plain strings and numbers, all escaped by the template engine. */

export interface Meta {
  label: string;
  value: string;
}

export interface FieldRow {
  bits: string;
  /** Dotted through nested layouts; `depth` indents it. */
  name: string;
  depth: number;
  access: string;
  reset: string;
  doc: string;
  enums: string;
  reserved: boolean;
}

export interface SvgBox {
  x: number;
  y: number;
  w: number;
  h: number;
  tx: number;
  ty: number;
  label: string;
  title: string;
  cls: "field" | "reserved";
}

export interface SvgTick {
  x: number;
  y: number;
  text: string;
}

export interface SvgView {
  width: number;
  height: number;
  title: string;
  boxes: SvgBox[];
  ticks: SvgTick[];
}

export interface ShapeView {
  /** Anchor id (validated identifier characters only). */
  id: string;
  kind: string;
  name: string;
  qname: string;
  width: number;
  doc: string;
  meta: Meta[];
  rows: FieldRow[];
  svg: SvgView;
  /** Offered in the decode box. */
  decodable: boolean;
  /** Set for an array register: its element count, and whether it came from a cluster. */
  array?: { count: number; cluster: boolean };
}

export interface TableView {
  caption: string;
  head: string[];
  rows: string[][];
}

export interface StateNode {
  x: number;
  y: number;
  w: number;
  h: number;
  tx: number;
  ty: number;
  label: string;
  title: string;
  cls: "step" | "rest";
}

export interface StateEdge {
  /** SVG path data built from numbers only. */
  d: string;
  label: string;
  lx: number;
  ly: number;
}

/** A state diagram of one machine process: steps as nodes, control flow as edges. */
export interface StateDiagram {
  title: string;
  width: number;
  height: number;
  nodes: StateNode[];
  edges: StateEdge[];
}

export interface SectionView {
  id: string;
  title: string;
  doc: string;
  tables: TableView[];
  shapes: ShapeView[];
  /** State diagrams (machines); absent means none. */
  diagrams?: StateDiagram[];
}

export interface PageView {
  name: string;
  kind: string;
  file: string;
  doc: string;
  source: string;
  /** Namespace of the spec this one is an overlay of, or "". */
  extends: string;
  sections: SectionView[];
}

/** A per-kind docs module: turns one spec of its kind into a page. */
export type KindPage<S> = (spec: S, ctx: import("./shapes.ts").ShapeContext) => PageView;

/** The part of every page that comes straight from the spec's header. */
export function pageHead(spec: { name: string; kind: string; rel: string; doc: string; source?: string; extends?: string }): Pick<PageView, "name" | "kind" | "file" | "doc" | "source" | "extends"> {
  return { name: spec.name, kind: spec.kind, file: `specs/${spec.rel}`, doc: spec.doc, source: spec.source ?? "", extends: spec.extends ?? "" };
}
