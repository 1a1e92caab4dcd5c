import { describe, expect, it } from "vitest";
import { checkEffects, checkExpr, exprWord, type ExprType } from "../../../generator/expr/index.ts";
import { parse, parseStmts, tableScope } from "./helpers.ts";

const u = (width: number): ExprType => ({ t: "int", width });
const s = (width: number): ExprType => ({ t: "int", width, signed: true });
const state: ExprType = { t: "enum", name: "State", members: ["IDLE", "RUN"] };
const mode: ExprType = { t: "enum", name: "Mode", members: ["A", "B"] };

const scope = tableScope(
  {
    a: u(32),
    b: u(32),
    n8: u(8),
    w: u(64),
    k: { t: "int" },
    i16: s(16),
    p: { t: "bool" },
    q: { t: "bool" },
    st: state,
    IDLE: state,
    RUN: state,
    md: mode,
    A: mode,
    "R.en": { t: "bool" },
    "R.count": u(4),
  },
  { f: u(16), ok: { t: "bool" } },
);

const check = (text: string, expected?: ExprType) => checkExpr(parse(text), scope, expected);
const errorsOf = (text: string, expected?: ExprType) =>
  check(text, expected).errors.map((e) => [e.message, e.span.start, e.span.end]);

describe("types of well-typed expressions", () => {
  const cases: [string, ExprType][] = [
    ["1", { t: "int" }],
    ["true", { t: "bool" }],
    ["a", u(32)],
    ["R.en", { t: "bool" }],
    ["a + 1", u(32)],
    ["1 + 2", { t: "int" }],
    ["n8 & a", u(32)],
    ["n8 | w", u(64)],
    ["k * n8", u(8)],
    ["~n8", u(8)],
    ["-k", { t: "int" }],
    ["n8 << 4", u(8)],
    ["1 << a", { t: "int" }],
    ["i16 + i16", s(16)],
    ["i16 + n8", u(16)],
    ["a < b", { t: "bool" }],
    ["p == q", { t: "bool" }],
    ["st == RUN", { t: "bool" }],
    ["st != IDLE && p", { t: "bool" }],
    ["!(a == 1) || p", { t: "bool" }],
    ["p ? n8 : a", u(32)],
    ["p ? st : IDLE", state],
    ["f(a) + 1", u(16)],
    ["ok() && sizeof(a) == 4", { t: "bool" }],
  ];
  it.each(cases)("%s", (text, type) => {
    const r = check(text);
    expect(r.errors).toEqual([]);
    expect(r.type).toEqual(type);
  });

  it("records the type of every node for the emitters", () => {
    const e = parse("n8 + 1 == a");
    const r = checkExpr(e, scope);
    expect(r.types.get(e)).toEqual({ t: "bool" });
    if (e.k !== "binary") throw new Error("shape");
    expect(r.types.get(e.left)).toEqual(u(8));
    expect(r.types.get(e.right)).toEqual(u(32));
  });
});

describe("type errors with the span of the culprit", () => {
  const cases: [string, [string, number, number][]][] = [
    ["p + 1", [["expected an integer, got bool", 0, 1]]],
    ["a & (b == 1)", [["expected an integer, got bool", 5, 11]]],
    ["a & b == 1", [["expected an integer, got bool", 4, 10]]],
    ["~p", [["expected an integer, got bool", 1, 2]]],
    ["-st", [["expected an integer, got enum State", 1, 3]]],
    ["!a", [["expected a bool, got u32", 1, 2]]],
    ["a && p", [["expected a bool, got u32", 0, 1]]],
    ["p || 1", [["expected a bool, got int", 5, 6]]],
    ["a ? 1 : 2", [["expected a bool, got u32", 0, 1]]],
    ["p ? 1 : q", [["branches of the conditional differ: int and bool", 0, 9]]],
    ["p ? st : md", [["branches of the conditional differ: enum State and enum Mode", 0, 11]]],
    ["a == p", [["cannot compare u32 with bool", 0, 6]]],
    ["st == 1", [["cannot compare enum State with int", 0, 7]]],
    ["st == A", [["cannot compare enum State with enum Mode", 0, 7]]],
    [
      "st < RUN",
      [
        ["expected an integer, got enum State", 0, 2],
        ["expected an integer, got enum State", 5, 8],
      ],
    ],
    ["i16 < a", [["cannot compare signed with unsigned integers (s16 and u32)", 0, 7]]],
    ["a < b < 3", [["expected an integer, got bool", 0, 5]]],
    ["nope + 1", [["unknown name 'nope'", 0, 4]]],
    ["R.nope && p", [["unknown name 'R.nope'", 0, 6]]],
    ["g(a)", [["unknown function 'g'", 0, 4]]],
    ["sizeof(a, b)", [["sizeof takes one argument", 0, 12]]],
    ["a << 32", [["shift count 32 is not less than 32, the word this expression is computed in", 5, 7]]],
    ["w >> 64", [["shift count 64 is not less than 64, the word this expression is computed in", 5, 7]]],
    // Each error reported once: a bad operand does not also fail its parents.
    ["(p + 1) * 2 == 3 && q", [["expected an integer, got bool", 1, 2]]],
    ["f(p + 1) == 1", [["expected an integer, got bool", 2, 3]]],
  ];
  it.each(cases)("%s", (text, errors) => {
    expect(errorsOf(text)).toEqual(errors);
  });

  it("accepts shifts below the word, including by 32 in a 64-bit expression", () => {
    expect(errorsOf("a << 31")).toEqual([]);
    expect(errorsOf("(w & 1) << 40")).toEqual([]);
  });
});

describe("the expected type of the context", () => {
  it("checks kind, width and literal size", () => {
    expect(errorsOf("a == 1", { t: "bool" })).toEqual([]);
    expect(errorsOf("a", { t: "bool" })).toEqual([["expected a bool, got u32", 0, 1]]);
    expect(errorsOf("p", u(8))).toEqual([["expected an integer, got bool", 0, 1]]);
    expect(errorsOf("a + 1", u(8))).toEqual([["expected an integer of at most 8 bits, got u32", 0, 5]]);
    expect(errorsOf("255", u(8))).toEqual([]);
    expect(errorsOf("0x100", u(8))).toEqual([["literal 256 does not fit in 8 bits", 0, 5]]);
    expect(errorsOf("RUN", state)).toEqual([]);
    expect(errorsOf("A", state)).toEqual([["expected enum State, got enum Mode", 0, 1]]);
  });

  it("falls back to the expected type when errors hide the real one", () => {
    expect(check("nope", { t: "bool" }).type).toEqual({ t: "bool" });
    expect(check("nope").type).toEqual({ t: "int" });
  });
});

describe("effects", () => {
  const effectScope = {
    ...scope,
    target: (path: string[]) => (path[0] === "k" ? { error: "'k' is a constant" } : scope.ref(path)),
  };
  const errs = (text: string) =>
    checkEffects(parseStmts(text), effectScope).errors.map((e) => [e.message, e.span.start]);

  it("checks values against their targets", () => {
    expect(errs("a = b + 1; p = a == b; st = RUN; n8 += 1; f(a)")).toEqual([]);
    expect(errs("p = 1")).toEqual([["expected a bool, got int", 4]]);
    expect(errs("st = A")).toEqual([["expected enum State, got enum Mode", 5]]);
    expect(errs("n8 = a")).toEqual([["expected an integer of at most 8 bits, got u32", 5]]);
    expect(errs("p += 1")).toEqual([["'+=' needs an integer target, got bool", 0]]);
    expect(errs("x = 1")).toEqual([["unknown name 'x'", 0]]);
    expect(errs("k = 1")).toEqual([["'k' is a constant", 0]]);
    expect(errs("g(a)")).toEqual([["unknown function 'g'", 0]]);
  });

  it("records target types under the statement, which decide its word", () => {
    const stmts = parseStmts("w = ~0; a = ~0");
    const r = checkEffects(stmts, scope);
    expect(r.types.get(stmts[0]!)).toEqual(u(64));
    expect(exprWord(stmts[0]!, r.types)).toBe(64);
    expect(exprWord(stmts[1]!, r.types)).toBe(32);
  });
});

describe("exprWord", () => {
  it("is 64 when a value or literal needs more than 32 bits", () => {
    const word = (text: string) => {
      const e = parse(text);
      return exprWord(e, checkExpr(e, scope).types);
    };
    expect(word("a + b")).toBe(32);
    expect(word("w == 0")).toBe(64);
    expect(word("(a & 0x1_0000_0000) == 0")).toBe(64);
    expect(exprWord(parse("a + b"))).toBe(32);
  });
});
