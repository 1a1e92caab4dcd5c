import type { ElabModel } from "../../elaborate/model.ts";
import { registersSpecs, type Lookup } from "../../elaborate/lookup.ts";
import type { OutFile } from "../types.ts";
import { generateHeader, headerPathOf } from "./header.ts";

export { generateLayouts, generateLayout } from "./layout.ts";
export { generateHeader, headerPathOf } from "./header.ts";

/** generated/c: one Xen-style header per registers spec. */
export function emitC(model: ElabModel, lookup: Lookup): OutFile[] {
  const specs = registersSpecs(model);
  const byName = new Map(specs.map((s) => [s.name, s]));
  return specs.map((spec) => ({
    path: `c/${headerPathOf(spec.rel)}`,
    lang: "c" as const,
    source: `specs/${spec.rel}`,
    content: generateHeader(spec, lookup, (ns) => byName.get(ns)),
  }));
}
