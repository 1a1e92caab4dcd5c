/**
 * Constant folding of machine expressions before they are printed. An event step is lowered into
 * one transition per binding of its parameters, and constants, enum members and bit names are
 * fixed at generation time too, so most of a transition's guard is known: printing it as written
 * gave `(!false || ((0 as number) === 2 && !false))`. Folding uses the language's own evaluator on
 * the target's 32-bit word, so a folded expression has the value the printed one would have had.
 */
import { EvalError, evaluate, walk, type Expr, type Stmt, type Value } from "../../expr/index.ts";

/** The value of a name fixed at generation time (a constant, a bound parameter); undefined for state. */
export type Fixed = (path: readonly string[]) => Value | undefined;

const WORD = { width: 32 };

const literal = (v: Value, e: Expr): Expr => (typeof v === "boolean" ? { k: "bool", value: v, span: e.span } : { k: "num", value: v, span: e.span });

const isLiteral = (e: Expr): e is Extract<Expr, { k: "num" | "bool" }> => e.k === "num" || e.k === "bool";

/** Reads state and nothing else: dropping it cannot drop a call. */
function pure(e: Expr): boolean {
  let calls = false;
  walk(e, (n) => (calls ||= n.k === "call"));
  return !calls;
}

/** The value of a node whose operands are literals, or undefined where evaluation refuses (division by zero keeps its printed form). */
function value(e: Expr): Value | undefined {
  try {
    return evaluate(e, { ref: () => { throw new EvalError("not fixed", e.span); } }, WORD);
  } catch (err) {
    if (err instanceof EvalError) return undefined;
    throw err;
  }
}

/** Operators for which a literal 0 on the right gives back the left operand on the 32-bit word. */
const RIGHT_ZERO = new Set(["|", "^", "+", "-", "<<", ">>"]);

export function foldExpr(e: Expr, fixed: Fixed): Expr {
  switch (e.k) {
    case "num":
    case "bool":
      return e;
    case "ref": {
      const v = fixed(e.path);
      return v === undefined ? e : literal(typeof v === "bigint" ? BigInt.asUintN(32, v) : v, e);
    }
    case "call":
      return { ...e, args: e.args.map((a) => foldExpr(a, fixed)) };
    case "unary": {
      const arg = foldExpr(e.arg, fixed);
      const out = { ...e, arg };
      return isLiteral(arg) ? fromValue(out) : out;
    }
    case "cond": {
      const test = foldExpr(e.test, fixed);
      if (test.k === "bool") return foldExpr(test.value ? e.then : e.else, fixed);
      return { ...e, test, then: foldExpr(e.then, fixed), else: foldExpr(e.else, fixed) };
    }
    case "binary": {
      const left = foldExpr(e.left, fixed);
      const right = foldExpr(e.right, fixed);
      const out = { ...e, left, right };
      if (isLiteral(left) && isLiteral(right)) return fromValue(out);
      if (e.op === "&&" || e.op === "||") {
        // `true && x` is x, `false && x` is false; the mirror images when the literal is on the right.
        const unit = e.op === "&&";
        if (left.k === "bool") return left.value === unit ? right : left;
        if (right.k === "bool") return right.value === unit ? left : pure(left) ? right : out;
      }
      if (RIGHT_ZERO.has(e.op) && right.k === "num" && right.value === 0n) return left;
      if ((e.op === "|" || e.op === "^" || e.op === "+") && left.k === "num" && left.value === 0n) return right;
      return out;
    }
  }
}

function fromValue(e: Expr): Expr {
  const v = value(e);
  return v === undefined ? e : literal(v, e);
}

/** Statements with their values (and call arguments) folded; targets stay as written. */
export function foldStmts(stmts: readonly Stmt[], fixed: Fixed): Stmt[] {
  return stmts.map((s) =>
    s.k === "assign" ? { ...s, value: foldExpr(s.value, fixed) } : { ...s, call: { ...s.call, args: s.call.args.map((a) => foldExpr(a, fixed)) } },
  );
}
