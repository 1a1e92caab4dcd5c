import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Ajv2020, Options, ValidateFunction } from "ajv/dist/2020.js";
import { packageRoot } from "../package-root.ts";

export const SCHEMA_DIR = join(packageRoot(), "specs", "schema") + "/";

export { KINDS, type Kind } from "../kinds/index.ts";
import { KINDS } from "../kinds/index.ts";

/** Schemas the build precompiles: every spec kind, overlays (the shipped tree has some) and the project config. */
export const PRECOMPILED: readonly string[] = [...KINDS, "overlay", "config"];

/** One set of options for compiling at run time and for the validators the build precompiles. */
export const AJV_OPTIONS: Options = { allErrors: true, strict: true, verbose: true, allowMatchingProperties: true };

/** Where the build writes each kind's precompiled validator, beside this module in dist/. */
export const precompiledPath = (kind: string) => fileURLToPath(new URL(`./precompiled/${kind}.cjs`, import.meta.url));

export interface CompiledSchema {
  validate: ValidateFunction;
  /** The `$defs` name of the sub-schema an error comes from, so errors can be phrased per concept. */
  conceptOf(parentSchema: object): string | undefined;
}

const cache = new Map<string, CompiledSchema>();
const require = createRequire(import.meta.url);
let ajv: Ajv2020 | undefined;
/** The precompiled validators as modules of the CLI bundle, when it runs (see `providePrecompiled`). */
let provided: Readonly<Record<string, () => ValidateFunction>> | undefined;

/**
 * Called by the CLI bundle's entry (generator/build/bundle.mjs), which holds the precompiled
 * validators as its own lazily run modules: V8's code cache of the bundle then covers them, where
 * requiring each file beside this module compiled it afresh on every run.
 */
export function providePrecompiled(validators: Readonly<Record<string, () => ValidateFunction>>): void {
  provided = validators;
}

/** Loaded only when compiling: the precompiled validators need none of ajv's compiler. */
function compiler(): Ajv2020 {
  ajv ??= new (require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js")).Ajv2020(AJV_OPTIONS);
  return ajv;
}

export function loadSchemaJson(kind: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${SCHEMA_DIR}${kind}.schema.json`, "utf8")) as Record<string, unknown>;
}

/**
 * Compiled once per process. Compiling all four schemas with ajv is most of a cold `check`, so the
 * build precompiles them (ajv standalone code) and the installed CLI only loads them; running from
 * the sources, where there is no build output beside this module, compiles here.
 */
export function schemaFor(kind: string): CompiledSchema {
  const hit = cache.get(kind);
  if (hit) return hit;
  const validate = provided?.[kind]?.() ?? precompiledBeside(kind) ?? compiler().compile(loadSchemaJson(kind));
  let concepts: Map<string, string | null> | undefined;
  const compiled: CompiledSchema = {
    validate,
    conceptOf: (node) => (concepts ??= conceptIndex(loadSchemaJson(kind))).get(JSON.stringify(node)) ?? undefined,
  };
  cache.set(kind, compiled);
  return compiled;
}

/** The precompiled validator beside this module (in dist/), if the build wrote one. */
function precompiledBeside(kind: string): ValidateFunction | undefined {
  const file = precompiledPath(kind);
  return existsSync(file) ? (require(file) as ValidateFunction) : undefined;
}

/**
 * Sub-schema text → the `$defs` entry it belongs to. Keyed by content, not identity, because a
 * precompiled validator reports copies of the schema objects; text that occurs in two concepts, or
 * outside every concept, names none. Built on the first error only.
 */
function conceptIndex(json: Record<string, unknown>): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const visit = (node: unknown, name: string | null) => {
    if (!node || typeof node !== "object") return;
    const key = JSON.stringify(node);
    out.set(key, out.has(key) && out.get(key) !== name ? null : name);
    for (const v of Object.values(node)) visit(v, name);
  };
  const { $defs, ...rest } = json;
  for (const [name, def] of Object.entries(($defs ?? {}) as Record<string, object>)) visit(def, name);
  for (const v of Object.values(rest)) visit(v, null);
  return out;
}
