import type { CallExpr, Expr, NumExpr, RefExpr } from "./ast.ts";
import { ATOM_PREC, BINARY_PREC, COND_PREC, UNARY_PREC, paren } from "./precedence.ts";

/** Text of a sub-expression and how tightly it binds, so parents add only the parentheses needed. */
export interface Printed {
  text: string;
  prec: number;
}

/**
 * What differs between canonical source and Promela; the tree walk and the parenthesization are
 * shared. (TypeScript and C track value representations and have walkers of their own.)
 */
export interface PrintHooks {
  num(e: NumExpr): string;
  ref(e: RefExpr): Printed;
  call(e: CallExpr, args: string[]): Printed;
  cond(test: Printed, then: Printed, otherwise: Printed): Printed;
}

export function print(e: Expr, hooks: PrintHooks): Printed {
  switch (e.k) {
    case "num":
      return { text: hooks.num(e), prec: ATOM_PREC };
    case "bool":
      return { text: e.value ? "true" : "false", prec: ATOM_PREC };
    case "ref":
      return hooks.ref(e);
    case "call":
      return hooks.call(
        e,
        e.args.map((a) => print(a, hooks).text),
      );
    case "unary": {
      const arg = print(e.arg, hooks);
      const text = paren(arg.text, arg.prec, UNARY_PREC);
      // `- -x` must not become the decrement operator of C and JavaScript.
      const sep = e.op === "-" && text.startsWith("-") ? " " : "";
      return { text: `${e.op}${sep}${text}`, prec: UNARY_PREC };
    }
    case "binary": {
      const prec = BINARY_PREC[e.op];
      const l = print(e.left, hooks);
      const r = print(e.right, hooks);
      return { text: `${paren(l.text, l.prec, prec)} ${e.op} ${paren(r.text, r.prec, prec + 1)}`, prec };
    }
    case "cond":
      return hooks.cond(print(e.test, hooks), print(e.then, hooks), print(e.else, hooks));
  }
}

/** The C/JavaScript conditional: the test must bind tighter than `?:`, the branches may be anything. */
export function cStyleCond(test: Printed, then: Printed, otherwise: Printed): Printed {
  return {
    text: `${paren(test.text, test.prec, COND_PREC + 1)} ? ${then.text} : ${otherwise.text}`,
    prec: COND_PREC,
  };
}
