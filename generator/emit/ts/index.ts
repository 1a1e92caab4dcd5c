import { posix } from "node:path";
import type { ElabModel } from "../../elaborate/model.ts";
import { registersSpecs, type Lookup } from "../../elaborate/lookup.ts";
import type { OutFile } from "../types.ts";
import { generateRegistersFile } from "./spec-file.ts";
import { emitSupport, SUPPORT_TYPES } from "./support.ts";

/** generated/ts: the support module and one module per registers spec. */
export function emitTypeScript(model: ElabModel, lookup: Lookup): OutFile[] {
  const specs = registersSpecs(model);
  const byName = new Map(specs.map((s) => [s.name, s]));
  const out: OutFile[] = [emitSupport()];
  for (const spec of specs) {
    const file = generateRegistersFile(spec, lookup, (ns) => byName.get(ns));
    const dir = posix.dirname(file.path);
    const rel = (module: string) => {
      const target = module === "support" ? "support.ts" : `${module}.ts`;
      const r = posix.relative(dir, target);
      return r.startsWith(".") ? r : `./${r}`;
    };
    out.push({ path: `ts/${file.path}`, lang: "ts", source: `specs/${spec.rel}`, content: file.render(rel, SUPPORT_TYPES) });
  }
  return out;
}
