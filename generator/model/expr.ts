import type { Expr } from "../expr/index.ts";
import type { Loc } from "../diagnostics.ts";

/** An expression as the model keeps it: the source text, its parsed tree, and where the text starts. */
export interface ExprLike {
  text: string;
  ast: Expr;
  loc: Loc;
}
