import { readFileSync } from "node:fs";
import { templateSet, type CompileOptions, type Render } from "../templates.ts";

/**
 * The docs site's templates (templates/*.hbs): HTML escaping on (double-stash only — the
 * templates never use triple-stash on anything), strict mode so a missing value is an error, and
 * only the built-in `if` and `each` helpers. Handlebars escapes & < > " ' ` =, which makes every
 * value safe in HTML text, quoted attributes and inline SVG; standalone .svg files get the same
 * entities, which XML accepts.
 */
export const DOCS_TEMPLATES = {
  dir: new URL("./templates/", import.meta.url),
  names: ["index", "spec", "svg-file", "state-file", "page", "shape", "svg", "state"],
  partials: ["page", "shape", "svg", "state"],
  options: { strict: true, knownHelpersOnly: true, knownHelpers: { if: true, each: true } } satisfies CompileOptions,
};

export type DocsTemplate = "index" | "spec" | "svg-file" | "state-file";

let set: Render | undefined;

export function render(name: DocsTemplate, view: object): string {
  set ??= templateSet(DOCS_TEMPLATES.dir, DOCS_TEMPLATES.options, DOCS_TEMPLATES.partials);
  return set(name, visible(view) as object);
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
