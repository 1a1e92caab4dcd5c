import { templateSet, type CompileOptions, type Render } from "../../templates.ts";

/**
 * The C emitter's templates (templates/*.hbs). C has no HTML, so they compile with
 * `noEscape: true`; that is safe only because every value reaching a template is built by this
 * emitter: names pass cIdent(), docs pass commentText(), numbers are formatted here.
 * `strict: true` turns a missing value into an error instead of an empty string.
 */
export const C_TEMPLATES = { dir: new URL("./templates/", import.meta.url), names: ["header", "group", "assertions", "block"], options: { noEscape: true, strict: true } satisfies CompileOptions };

export type TemplateName = "header" | "group" | "assertions" | "block";

let set: Render | undefined;

export function render(name: TemplateName, view: object): string {
  set ??= templateSet(C_TEMPLATES.dir, C_TEMPLATES.options);
  return set(name, view);
}
