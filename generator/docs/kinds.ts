import type { ElabSpec } from "../elaborate/model.ts";
import { pluginOf } from "../kinds/index.ts";
import type { ShapeContext } from "./shapes.ts";
import { pageHead, type PageView } from "./view.ts";

export function pageOf(spec: ElabSpec, ctx: ShapeContext): PageView {
  const page = pluginOf(spec.kind)?.docsPage;
  if (page) return page(spec, ctx);
  return { ...pageHead(spec), sections: [] };
}
