import { readFileSync } from "node:fs";
import Handlebars from "handlebars";

/**
 * The Handlebars engine of the C emitter: a private instance (no global helpers or partials),
 * templates read from templates/*.hbs when first used.
 *
 * C has no HTML, so templates compile with `noEscape: true`; that is safe only because every value
 * reaching a template is built by this emitter: names pass cIdent(), docs pass commentText(), numbers
 * are formatted here. `strict: true` turns a missing value into an error instead of an empty string,
 * and prototype access stays disabled.
 */
const engine = Handlebars.create();
const cache = new Map<string, Handlebars.TemplateDelegate>();

export type TemplateName = "header" | "group" | "assertions" | "block";

export function render(name: TemplateName, view: object): string {
  let t = cache.get(name);
  if (!t) {
    const text = readFileSync(new URL(`./templates/${name}.hbs`, import.meta.url), "utf8");
    t = engine.compile(text, { noEscape: true, strict: true });
    cache.set(name, t);
  }
  return t(view, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
}
