import { posix } from "node:path";
import type { Model } from "../../model/index.ts";
import { registersSpecs, type Lookup } from "../../model/lookup.ts";
import type { OutFile } from "../types.ts";
import { generateRegistersFile, moduleOf } from "./spec-file.ts";
import { emitSupport, SUPPORT_TYPES } from "./support.ts";
import { GENERATED_HEADER } from "../escape.ts";

/** generated/ts: support module, one module per spec, and an index of namespaces. */
export function emitTypeScript(model: Model, lookup: Lookup): OutFile[] {
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
  const lines = [`// ${GENERATED_HEADER}`, "// Source: every spec under specs/", ""];
  lines.push('export * from "./support.ts";');
  for (const spec of specs) lines.push(`export * as ${spec.name.replace(/\./g, "_")} from "./${moduleOf(spec.rel)}.ts";`);
  out.push({ path: "ts/index.ts", lang: "ts", source: "specs/", content: lines.join("\n") + "\n" });
  return out;
}
