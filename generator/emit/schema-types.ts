import { KINDS, loadSchemaJson } from "../validate/schemas.ts";
import { GENERATED_HEADER } from "./escape.ts";
import type { OutFile } from "./types.ts";

/**
 * The spec format's TypeScript types come from the JSON Schema, so the schema stays the one
 * definition of the format; `generate --check` catches drift like any other output.
 */
export async function emitSchemaTypes(): Promise<OutFile[]> {
  // Loaded here: a run whose schema types come from the emit cache never needs the compiler.
  const { compile } = await import("json-schema-to-typescript");
  const out: OutFile[] = [];
  for (const kind of KINDS) {
    const schema = loadSchemaJson(kind);
    const ts = await compile(schema as never, String(schema.title ?? kind), {
      bannerComment: "",
      additionalProperties: false,
      format: false,
      strictIndexSignatures: true,
      unreachableDefinitions: true,
      declareExternallyReferenced: true,
      cwd: "",
    });
    const header = `// ${GENERATED_HEADER}\n// Source: specs/schema/${kind}.schema.json (json-schema-to-typescript)\n\n`;
    out.push({ path: `schema/${kind}.ts`, lang: "ts", content: header + ts, source: `specs/schema/${kind}.schema.json` });
  }
  return out;
}
