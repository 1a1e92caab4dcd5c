import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";

export const SCHEMA_DIR = fileURLToPath(new URL("../../specs/schema/", import.meta.url));

export { KINDS, type Kind } from "../kinds/index.ts";

export interface CompiledSchema {
  validate: ValidateFunction;
  /** The `$defs` name of each sub-schema object, so errors can be phrased per concept. */
  defNames: Map<object, string>;
}

const cache = new Map<string, CompiledSchema>();
let ajv: Ajv2020 | undefined;

export function loadSchemaJson(kind: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${SCHEMA_DIR}${kind}.schema.json`, "utf8")) as Record<string, unknown>;
}

/** Compiled once per process: schema compilation is the slow part of validation. */
export function schemaFor(kind: string): CompiledSchema {
  const hit = cache.get(kind);
  if (hit) return hit;
  ajv ??= new Ajv2020({ allErrors: true, strict: true, verbose: true, allowMatchingProperties: true });
  const json = loadSchemaJson(kind);
  const defNames = new Map<object, string>();
  const defs = (json.$defs ?? {}) as Record<string, object>;
  for (const [name, def] of Object.entries(defs)) indexDefs(def, name, defNames);
  const compiled = { validate: ajv.compile(json), defNames };
  cache.set(kind, compiled);
  return compiled;
}

function indexDefs(node: unknown, name: string, out: Map<object, string>): void {
  if (!node || typeof node !== "object") return;
  if (!out.has(node)) out.set(node, name);
  for (const v of Object.values(node)) indexDefs(v, name, out);
}
