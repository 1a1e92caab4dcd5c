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
  return t(visible(view), { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
}

/** Control, bidi and invisible format characters of spec text shown as `\uXXXX` text (as in Markdown), so none reorders or hides what a page shows. */
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;
export function visible(v: unknown): unknown {
  if (typeof v === "string") return INVISIBLE_ANY.test(v) ? v.replace(INVISIBLE, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`) : v;
  if (Array.isArray(v)) return v.map(visible);
  if (v && typeof v === "object") {
    // Plain loops: this runs over every view of a large tree, and entries/fromEntries was a visible share of a docs build.
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = visible((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
const INVISIBLE_ANY = new RegExp(INVISIBLE.source);

export function readStatic(name: string): string {
  return readFileSync(new URL(`./static/${name}`, import.meta.url), "utf8");
}
