import type { SpecSource } from "../load/source.ts";
import type { SpecBase } from "../model/index.ts";

/** The header every spec kind shares: namespace, doc, source, file, and where the name is written. */
export function specBase<K extends string>(
  kind: K,
  json: { name: string; doc: string; source?: string },
  src: SpecSource,
): SpecBase & { kind: K } {
  return {
    kind,
    name: json.name,
    doc: json.doc,
    ...(json.source ? { source: json.source } : {}),
    rel: src.rel,
    ...(src.extends ? { extends: src.extends.name } : {}),
    loc: src.at("/name"),
  };
}
