import type { ElabSpec } from "../elaborate/model.ts";
import { pluginOf } from "../kinds/index.ts";
import type { ShapeContext } from "./shapes.ts";
import type { PageView } from "./view.ts";

export function pageOf(spec: ElabSpec, ctx: ShapeContext): PageView {
  const page = pluginOf(spec.kind)?.docsPage;
  if (page) return page(spec, ctx);
  const s = spec as { name: string; kind: string; rel: string; doc: string; source?: string };
  return { name: s.name, kind: s.kind, file: `specs/${s.rel}`, doc: s.doc, source: s.source ?? "", sections: [] };
}
