import type { Diagnostics, Loc } from "../diagnostics.ts";
import { parseExpr } from "../expr/index.ts";
import type { ExprLike } from "../model/index.ts";

/**
 * Parses an expression held in a JSON string. Diagnostics point inside the string: the column of
 * the opening quote plus one plus the offset (exact for strings without escapes, which is all
 * expressions need).
 */
export function resolveExpr(text: string, loc: Loc, d: Diagnostics): ExprLike | undefined {
  const r = parseExpr(text);
  if (!r.ok) {
    d.error(offsetLoc(loc, r.error.offset), `expression: ${r.error.message}`);
    return undefined;
  }
  return { text, ast: r.expr, loc };
}

export function offsetLoc(loc: Loc, offset: number): Loc {
  return { ...loc, col: loc.col + 1 + offset };
}

/** `assert` lists: each entry a string or `{expr, doc}`; diagnostics point inside the expression. */
export function resolveAsserts(
  list: readonly (string | { expr: string; doc?: string })[] | undefined,
  src: { at(pointer: string): Loc },
  d: Diagnostics,
): { expr: ExprLike; doc: string; loc: Loc }[] {
  const out: { expr: ExprLike; doc: string; loc: Loc }[] = [];
  (list ?? []).forEach((a, i) => {
    const ptr = `/assert/${i}`;
    const text = typeof a === "string" ? a : a.expr;
    const expr = resolveExpr(text, src.at(typeof a === "string" ? ptr : `${ptr}/expr`), d);
    if (expr) out.push({ expr, doc: typeof a === "string" ? "" : (a.doc ?? ""), loc: src.at(ptr) });
  });
  return out;
}
