import type { BinaryOp, CallExpr, Expr, NumExpr, RefExpr } from "./ast.ts";
import { ATOM_PREC, BINARY_PREC, COND_PREC, UNARY_PREC, paren } from "./precedence.ts";

/** Text of a sub-expression and how tightly it binds, so parents add only the parentheses needed. */
export interface Printed {
  text: string;
  prec: number;
}

/** What differs between the C-like targets; the tree walk and the parenthesization are shared. */
export interface PrintHooks {
  num(e: NumExpr, parent: Expr | undefined): string;
  ref(e: RefExpr, parent: Expr | undefined): Printed;
  call(e: CallExpr, args: string[], parent: Expr | undefined): Printed;
  cond(test: Printed, then: Printed, otherwise: Printed): Printed;
  /** Parentheses a target wants for readability or compiler warnings beyond what precedence needs. */
  clarify?(parent: BinaryOp, child: Expr, side: "left" | "right"): boolean;
}

export function print(e: Expr, hooks: PrintHooks, parent?: Expr): Printed {
  switch (e.k) {
    case "num":
      return { text: hooks.num(e, parent), prec: ATOM_PREC };
    case "bool":
      return { text: e.value ? "true" : "false", prec: ATOM_PREC };
    case "ref":
      return hooks.ref(e, parent);
    case "call":
      return hooks.call(
        e,
        e.args.map((a) => print(a, hooks, e).text),
        parent,
      );
    case "unary": {
      const arg = print(e.arg, hooks, e);
      const text = paren(arg.text, arg.prec, UNARY_PREC);
      // `- -x` must not become the decrement operator of C and JavaScript.
      const sep = e.op === "-" && text.startsWith("-") ? " " : "";
      return { text: `${e.op}${sep}${text}`, prec: UNARY_PREC };
    }
    case "binary": {
      const prec = BINARY_PREC[e.op];
      const l = print(e.left, hooks, e);
      const r = print(e.right, hooks, e);
      const lt = hooks.clarify?.(e.op, e.left, "left") ? `(${l.text})` : paren(l.text, l.prec, prec);
      const rt = hooks.clarify?.(e.op, e.right, "right") ? `(${r.text})` : paren(r.text, r.prec, prec + 1);
      return { text: `${lt} ${e.op} ${rt}`, prec };
    }
    case "cond":
      return hooks.cond(print(e.test, hooks, e), print(e.then, hooks, e), print(e.else, hooks, e));
  }
}

/** The C/JavaScript conditional: the test must bind tighter than `?:`, the branches may be anything. */
export function cStyleCond(test: Printed, then: Printed, otherwise: Printed): Printed {
  return {
    text: `${paren(test.text, test.prec, COND_PREC + 1)} ? ${then.text} : ${otherwise.text}`,
    prec: COND_PREC,
  };
}
