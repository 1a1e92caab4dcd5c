/**
 * Machine expressions are folded before they are printed: names fixed at generation time
 * (constants, bound parameters) become literals and what they decide is decided. A folded
 * expression must have the value of the original in every state, on the 32-bit word the printed
 * code computes in, and a fully fixed one must fold to a single literal.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EvalError, evaluate, refs, type Expr, type Value } from "../../generator/expr/index.ts";
import { foldExpr } from "../../generator/emit/fsm/fold.ts";

const span = { start: 0, end: 0 };
const WORD = { width: 32 };
/** `k` and `b` are fixed (a constant, a bool parameter); `x`, `y` and `q` are state. */
const FIXED = new Set(["k", "b"]);

const num = (value: bigint): Expr => ({ k: "num", value, span });
const ref = (name: string): Expr => ({ k: "ref", path: [name], span });

/** Typed expressions over the given int and bool names. */
const exprs = (ints: readonly string[], bools: readonly string[]) =>
  fc.letrec<{ intE: Expr; boolE: Expr }>((tie) => ({
  intE: fc.oneof(
    { maxDepth: 5, depthSize: "medium", withCrossShrink: true },
    fc.constantFrom(0n, 0n, 1n, 2n, 31n, 0xffffffffn).map(num),
    fc.constantFrom(...ints).map(ref),
    fc.record({ k: fc.constant("unary" as const), op: fc.constantFrom("~" as const, "-" as const), arg: tie("intE"), span: fc.constant(span) }),
    fc.record({
      k: fc.constant("binary" as const),
      op: fc.constantFrom("+" as const, "-" as const, "*" as const, "/" as const, "%" as const, "&" as const, "|" as const, "^" as const, "<<" as const, ">>" as const),
      left: tie("intE"),
      right: tie("intE"),
      span: fc.constant(span),
    }),
    fc.record({ k: fc.constant("cond" as const), test: tie("boolE"), then: tie("intE"), else: tie("intE"), span: fc.constant(span) }),
  ) as fc.Arbitrary<Expr>,
  boolE: fc.oneof(
    { maxDepth: 5, depthSize: "medium", withCrossShrink: true },
    fc.boolean().map((value): Expr => ({ k: "bool", value, span })),
    fc.constantFrom(...bools).map(ref),
    fc.record({ k: fc.constant("unary" as const), op: fc.constant("!" as const), arg: tie("boolE"), span: fc.constant(span) }),
    fc.record({ k: fc.constant("binary" as const), op: fc.constantFrom("&&" as const, "||" as const), left: tie("boolE"), right: tie("boolE"), span: fc.constant(span) }),
    fc.record({
      k: fc.constant("binary" as const),
      op: fc.constantFrom("==" as const, "!=" as const, "<" as const, "<=" as const, ">" as const, ">=" as const),
      left: tie("intE"),
      right: tie("intE"),
      span: fc.constant(span),
    }),
    fc.record({ k: fc.constant("cond" as const), test: tie("boolE"), then: tie("boolE"), else: tie("boolE"), span: fc.constant(span) }),
  ) as fc.Arbitrary<Expr>,
}));
const any = exprs(["k", "x", "y"], ["b", "q"]);
const fixedOnly = exprs(["k"], ["b"]);

const u32 = fc.oneof(fc.constantFrom(0n, 1n, 31n, 32n, 0xffffffffn), fc.bigInt({ min: 0n, max: 0xffffffffn }));
const world = fc.record({ k: u32, b: fc.boolean(), x: u32, y: u32, q: fc.boolean() });

function run(e: Expr, env: Record<string, Value>): Value | "error" {
  try {
    return evaluate(e, { ref: (p) => env[p[0]!]! }, WORD);
  } catch (err) {
    if (err instanceof EvalError) return "error";
    throw err;
  }
}

describe("constant folding of machine expressions", () => {
  it("keeps the value of the expression in every state", () => {
    fc.assert(
      fc.property(fc.oneof(any.intE, any.boolE), world, (e, w) => {
        const before = run(e, w);
        // Division by zero is an evaluation error here; the printed code has its own answer for it.
        fc.pre(before !== "error");
        const folded = foldExpr(e, (p) => (FIXED.has(p[0]!) ? w[p[0] as "k" | "b"] : undefined));
        expect(run(folded, w)).toBe(before);
        // Nothing fixed is left to read.
        expect(refs(folded).filter((p) => FIXED.has(p[0]!))).toEqual([]);
      }),
      { numRuns: 5000 },
    );
  });

  it("folds an expression of fixed names only into one literal", () => {
    fc.assert(
      fc.property(fc.oneof(fixedOnly.intE, fixedOnly.boolE), world, (e, w) => {
        fc.pre(run(e, w) !== "error");
        const folded = foldExpr(e, (p) => w[p[0] as "k" | "b"]);
        expect(folded.k === "num" || folded.k === "bool").toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("folds what the iommu guards spell out", () => {
    // (!on_arm || (mode == HAP && !share)) with on_arm = false, mode = PV, share = false.
    const guard: Expr = {
      k: "binary",
      op: "&&",
      left: { k: "unary", op: "!", arg: ref("q"), span },
      right: {
        k: "binary",
        op: "||",
        left: { k: "unary", op: "!", arg: ref("b"), span },
        right: { k: "binary", op: "&&", left: { k: "binary", op: "==", left: ref("k"), right: num(2n), span }, right: { k: "unary", op: "!", arg: ref("b"), span }, span },
        span,
      },
      span,
    };
    expect(foldExpr(guard, (p) => ({ b: false, k: 0n })[p[0] as "b" | "k"])).toEqual({ k: "unary", op: "!", arg: ref("q"), span });
  });
});
