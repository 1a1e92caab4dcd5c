import type { TreeSpec } from "../target.ts";
import { namespaceIdent } from "../../elaborate/names/ts.ts";
import { GENERATED_HEADER } from "../escape.ts";
import type { OutFile } from "../types.ts";

/**
 * generated/ts/index.ts: every spec module of every kind under its namespace (dots become
 * underscores), built from the files the emitters produced so a new kind needs no edit here.
 */
export function emitBarrel(specs: readonly TreeSpec[], files: readonly OutFile[], ext: ".ts" | ".js" = ".ts"): OutFile {
  const nsOf = new Map(specs.map((s) => [`specs/${s.rel}`, namespaceIdent(s.name)]));
  const lines = [`// ${GENERATED_HEADER}`, "// Source: every spec under specs/", "", `export * from "./support${ext}";`];
  const modules = files
    .filter((f) => f.lang === "ts" && f.path.startsWith("ts/") && nsOf.has(f.source))
    .map((f) => ({ ns: nsOf.get(f.source)!, path: f.path.slice(3) }))
    .sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
  for (const m of modules) lines.push(`export * as ${m.ns} from "./${m.path.replace(/\.ts$/, ext)}";`);
  return { path: "ts/index.ts", lang: "ts", source: "specs/", content: lines.join("\n") + "\n" };
}
