import type { Front } from "../../pipeline.ts";
import { registersSpecs } from "../../elaborate/lookup.ts";
import type { OutFile } from "../types.ts";
import { generateRegistersFile } from "./spec-file.ts";
import { emitSupport, SUPPORT_TYPES } from "./support.ts";

/** generated/ts: the support module and one module per registers spec. */
export function emitTypeScript({ model, lookup, tsNames }: Front): OutFile[] {
  const specs = registersSpecs(model);
  const out: OutFile[] = [emitSupport()];
  for (const spec of specs) {
    const file = generateRegistersFile(spec, lookup, tsNames.get(spec.name)!);
    out.push({ path: `ts/${file.path}`, lang: "ts", source: `specs/${spec.rel}`, content: file.render(SUPPORT_TYPES) });
  }
  return out;
}
