import { readFileSync } from "node:fs";
import { GENERATED_HEADER } from "../escape.ts";
import type { OutFile } from "../types.ts";

const SOURCE = new URL("./static/support.ts", import.meta.url);

/** generated/ts/support.ts: the dependency-free helpers every generated module imports. */
export function emitSupport(): OutFile {
  const body = readFileSync(SOURCE, "utf8");
  return {
    path: "ts/support.ts",
    lang: "ts",
    source: "generator/emit/ts/static/support.ts",
    content: `// ${GENERATED_HEADER}\n// Source: generator/emit/ts/static/support.ts\n\n${body}`,
  };
}

/** Support exports that are types, so importers use `import type`-style specifiers for them. */
export const SUPPORT_TYPES: ReadonlySet<string> = new Set(["U64", "PatchTable", "NestedTable", "Unnamed", "Expect", "Equal", "Not", "Add", "Sum", "FieldSpec", "FieldInfo", "ReservedInfo", "FieldTable", "EffectMasks", "ShapeSpec", "Raw", "InputOf", "PatchOf", "LayoutApi", "RegisterApi", "ArrayApi", "LayoutBase", "RegisterBase", "WalkDescriptor", "WalkLevel", "WalkFormat", "WalkAddress", "WalkField"]);
