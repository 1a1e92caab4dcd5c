import type { Expr, Stmt } from "./ast.ts";
import { literalText } from "./emit-common.ts";
import { ATOM_PREC } from "./precedence.ts";
import { cStyleCond, print, type PrintHooks } from "./printer.ts";

const SOURCE: PrintHooks = {
  num: (e) => literalText(e.value),
  ref: (e) => ({ text: e.path.join("."), prec: ATOM_PREC }),
  call: (e, args) => ({ text: `${e.fn}(${args.join(", ")})`, prec: ATOM_PREC }),
  cond: cStyleCond,
};

/** Canonical source text: single spaces around binary operators, only the parentheses needed. */
export function formatExpr(e: Expr): string {
  return print(e, SOURCE).text;
}

export function formatStmt(s: Stmt): string {
  return s.k === "callstmt" ? formatExpr(s.call) : `${s.target.join(".")} ${s.op} ${formatExpr(s.value)}`;
}

/** Statements joined by `; `, the form `parseEffects` reads back. */
export function formatEffects(stmts: readonly Stmt[]): string {
  return stmts.map(formatStmt).join("; ");
}
