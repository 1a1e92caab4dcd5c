import type { ElabRegistersSpec } from "../../elaborate/model.ts";
import type { Front } from "../../pipeline.ts";
import { registersSpecs } from "../../elaborate/lookup.ts";
import type { OutFile } from "../types.ts";
import { generateHeader, headerPathOf } from "./header.ts";

export { generateLayouts, generateLayout } from "./layout.ts";
export { generateHeader, headerPathOf } from "./header.ts";

/** generated/c/<spec path>.h: the Xen-style header of one registers spec. */
export function registersC(spec: ElabRegistersSpec, { model, lookup }: Front): OutFile {
  const specOf = (ns: string) => registersSpecs(model).find((s) => s.name === ns);
  return { path: `c/${headerPathOf(spec.rel)}`, lang: "c", source: `specs/${spec.rel}`, content: generateHeader(spec, lookup, specOf) };
}
