import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type Handlebars from "handlebars";
import RuntimeModule from "handlebars/runtime.js";

/** What a template set is compiled with; the build precompiles with the very same object. */
export type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]>;

/** The file the build writes beside a set's templates: every template precompiled, by name. */
export const PRECOMPILED = "precompiled.cjs";

export type Render = (name: string, view: object) => string;

const require = createRequire(import.meta.url);

/**
 * A set of Handlebars templates read from the folder `dir` (`<name>.hbs`), on a private engine
 * (Handlebars.create(), so no global helpers or partials) with prototype access disabled.
 * `partials` are registered before any template renders.
 *
 * The build precompiles each set (generator/build/build.mjs, through `precompileSet`) into
 * `dir/precompiled.cjs`, and then only Handlebars' runtime is loaded: its compiler, with the
 * source-map library it pulls in, was the largest module a regeneration loaded. Run from the
 * sources there is no such file, and the templates are compiled here with the same options.
 */
export function templateSet(dir: URL, options: CompileOptions, partials: readonly string[] = []): Render {
  const precompiledFile = fileURLToPath(new URL(PRECOMPILED, dir));
  let engine: typeof Handlebars;
  let make: (name: string) => HandlebarsTemplateDelegate;
  if (existsSync(precompiledFile)) {
    // runtime.d.ts declares no exports, yet the module is the runtime half of the Handlebars object.
    engine = (RuntimeModule as unknown as typeof Handlebars).create();
    const specs = require(precompiledFile) as Record<string, TemplateSpecification>;
    make = (name) => {
      const spec = specs[name];
      if (!spec) throw new Error(`internal: ${precompiledFile} has no template ${name}`);
      return engine.template(spec);
    };
  } else {
    engine = (require("handlebars") as typeof Handlebars).create();
    make = (name) => engine.compile(readFileSync(new URL(`${name}.hbs`, dir), "utf8"), options);
  }
  const made = new Map<string, HandlebarsTemplateDelegate>();
  const get = (name: string) => {
    let t = made.get(name);
    if (!t) made.set(name, (t = make(name)));
    return t;
  };
  for (const p of partials) engine.registerPartial(p, get(p));
  return (name, view) => get(name)(view, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
}

/** The text of `dir/precompiled.cjs` for the templates `names` of a set: what `templateSet` loads. */
export function precompileSet(dir: URL, names: readonly string[], options: CompileOptions): string {
  const full = require("handlebars") as typeof Handlebars;
  const entries = [...names].sort().map((n) => `  ${JSON.stringify(n)}: ${full.precompile(readFileSync(new URL(`${n}.hbs`, dir), "utf8"), options) as unknown as string},`);
  return `// Precompiled from the templates beside this file by generator/build/build.mjs.\nmodule.exports = {\n${entries.join("\n")}\n};\n`;
}
