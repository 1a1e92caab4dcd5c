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
