import { readFileSync } from "node:fs";
import Handlebars from "handlebars";

/**
 * The docs site's Handlebars engine: an isolated instance (Handlebars.create(), so nothing global),
 * HTML escaping on (double-stash only — the templates never use triple-stash on anything), strict
 * mode so a missing value is an error, and prototype access disabled. Handlebars escapes & < > " ' ` =,
 * which makes every value safe in HTML text, quoted attributes and inline SVG; standalone .svg files
 * get the same entities, which XML accepts.
 */
const engine = Handlebars.create();
for (const name of ["page", "shape", "svg", "state"]) engine.registerPartial(name, readTemplate(name));
const cache = new Map<string, Handlebars.TemplateDelegate>();

function readTemplate(name: string): string {
  return readFileSync(new URL(`./templates/${name}.hbs`, import.meta.url), "utf8");
}

export type DocsTemplate = "index" | "spec" | "svg-file" | "state-file";

export function render(name: DocsTemplate, view: object): string {
  let t = cache.get(name);
  if (!t) {
    t = engine.compile(readTemplate(name), { strict: true, knownHelpersOnly: true, knownHelpers: { if: true, each: true } });
    cache.set(name, t);
  }
  return t(view, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
}

export function readStatic(name: string): string {
  return readFileSync(new URL(`./static/${name}`, import.meta.url), "utf8");
}
