import fc from "fast-check";
import type { BinaryOp, Expr } from "../../../generator/expr/index.ts";

const span = { start: 0, end: 0 };
const num = (value: bigint): Expr => ({ k: "num", value, span });
const ref = (...path: string[]): Expr => ({ k: "ref", path, span });
const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ k: "binary", op, left, right, span });

const INT_OPS: BinaryOp[] = ["+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"];
const CMP_OPS: BinaryOp[] = ["<", "<=", ">", ">=", "==", "!="];

export const literal = fc.oneof(
  fc.constantFrom(0n, 1n, 2n, 3n, 7n, 31n, 32n, 0xffn, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn),
  fc.bigInt({ min: 0n, max: 0xffffffffn }),
);

export interface TypedOptions {
  /** Integer variables available (names the caller's scope and naming know). */
  ints: string[];
  bools: string[];
  /** Mask every shift count to 0..31 so that C never shifts by its word or more. */
  safeShifts?: boolean;
}

/** Well-typed integer and bool expressions over the given variables and a unary function `f`. */
export function typedExprs(o: TypedOptions): { int: fc.Arbitrary<Expr>; bool: fc.Arbitrary<Expr> } {
  const depth = fc.createDepthIdentifier();
  const shape = { maxDepth: 5, depthIdentifier: depth };
  return fc.letrec<{ int: Expr; bool: Expr }>((tie) => ({
    int: fc.oneof(
      shape,
      fc.oneof(
        literal.map(num),
        fc.constantFrom(...o.ints).map((n) => ref(n)),
      ),
      fc
        .tuple(fc.constantFrom("~" as const, "-" as const), tie("int"))
        .map(([op, arg]): Expr => ({ k: "unary", op, arg, span })),
      fc.tuple(fc.constantFrom(...INT_OPS), tie("int"), tie("int")).map(([op, l, r]) => {
        if (op !== "<<" && op !== ">>") return bin(op, l, r);
        // The checker refuses literal counts of 32 or more; computed counts wrap modulo 32.
        if (r.k === "num") return bin(op, l, num(r.value % 32n));
        return bin(op, l, o.safeShifts ? bin("&", r, num(31n)) : r);
      }),
      fc
        .tuple(tie("bool"), tie("int"), tie("int"))
        .map(([test, then, otherwise]): Expr => ({ k: "cond", test, then, else: otherwise, span })),
      tie("int").map((arg): Expr => ({ k: "call", fn: "f", args: [arg], span })),
    ),
    bool: fc.oneof(
      shape,
      fc.oneof(
        fc.boolean().map((value): Expr => ({ k: "bool", value, span })),
        fc.constantFrom(...o.bools).map((n) => ref(n)),
      ),
      tie("bool").map((arg): Expr => ({ k: "unary", op: "!", arg, span })),
      fc
        .tuple(fc.constantFrom<BinaryOp>("&&", "||", "==", "!="), tie("bool"), tie("bool"))
        .map(([op, l, r]) => bin(op, l, r)),
      fc.tuple(fc.constantFrom(...CMP_OPS), tie("int"), tie("int")).map(([op, l, r]) => bin(op, l, r)),
      fc
        .tuple(tie("bool"), tie("bool"), tie("bool"))
        .map(([test, then, otherwise]): Expr => ({ k: "cond", test, then, else: otherwise, span })),
    ),
  }));
}

const NAME = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,5}$/).filter((s) => s !== "true" && s !== "false");

/** Any syntactically valid tree, typed or not: every operator, paths, calls of any arity. */
export const anyExpr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { maxDepth: 5 },
    fc.oneof(
      fc.bigInt({ min: 0n, max: 1n << 70n }).map(num),
      fc.boolean().map((value): Expr => ({ k: "bool", value, span })),
      fc.array(NAME, { minLength: 1, maxLength: 3 }).map((path) => ref(...path)),
    ),
    fc
      .tuple(fc.constantFrom("!" as const, "~" as const, "-" as const), tie("e"))
      .map(([op, arg]): Expr => ({ k: "unary", op, arg, span })),
    fc
      .tuple(fc.constantFrom<BinaryOp>(...INT_OPS, ...CMP_OPS, "&&", "||"), tie("e"), tie("e"))
      .map(([op, l, r]) => bin(op, l, r)),
    fc
      .tuple(tie("e"), tie("e"), tie("e"))
      .map(([test, then, otherwise]): Expr => ({ k: "cond", test, then, else: otherwise, span })),
    fc.tuple(NAME, fc.array(tie("e"), { maxLength: 3 })).map(([fn, args]): Expr => ({ k: "call", fn, args, span })),
  ),
})).e;
