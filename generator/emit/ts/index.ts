import type { ElabRegistersSpec } from "../../elaborate/model.ts";
import type { GenerateOptions } from "../../options.ts";
import type { Front } from "../../pipeline.ts";
import type { OutFile } from "../types.ts";
import { generateRegistersFile } from "./spec-file.ts";
import { SUPPORT_TYPES } from "./support.ts";
import { fitsWidth } from "./print.ts";

/** generated/ts/<spec path>.ts of one registers spec. */
export function registersTs(spec: ElabRegistersSpec, { lookup, tsNames }: Front, options: GenerateOptions): OutFile {
  const file = generateRegistersFile(spec, lookup, tsNames.get(spec.name)!);
  const content = file.render(SUPPORT_TYPES, options.ts.importExtension);
  return { path: `ts/${file.path}`, lang: "ts", source: `specs/${spec.rel}`, content, printed: file.printed && fitsWidth(content) };
}
