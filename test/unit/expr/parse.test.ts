import { describe, expect, it } from "vitest";
import { calls, parseExpr, refs } from "../../../generator/expr/index.ts";
import { parse, parseStmts, strip } from "./helpers.ts";

const n = (v: number | bigint) => ({ k: "num", value: BigInt(v) });
const r = (...path: string[]) => ({ k: "ref", path });
const b = (op: string, left: unknown, right: unknown) => ({ k: "binary", op, left, right });
const u = (op: string, arg: unknown) => ({ k: "unary", op, arg });
const c = (test: unknown, then: unknown, otherwise: unknown) => ({ k: "cond", test, then, else: otherwise });
const call = (fn: string, ...args: unknown[]) => ({ k: "call", fn, args });

const shape = (text: string) => strip(parse(text));

describe("primaries", () => {
  it("reads decimal, hex and binary integers with separators, of any size", () => {
    expect(shape("42")).toEqual(n(42));
    expect(shape("0")).toEqual(n(0));
    expect(shape("0x480")).toEqual(n(0x480));
    expect(shape("0XfF")).toEqual(n(255));
    expect(shape("0b1010")).toEqual(n(10));
    expect(shape("1_000_000")).toEqual(n(1000000));
    expect(shape("0xffff_ffff")).toEqual(n(0xffffffff));
    expect(shape("0b1111_0000")).toEqual(n(0xf0));
    expect(shape("0x1_0000_0000_0000_0000")).toEqual(n(1n << 64n));
    expect(shape("340282366920938463463374607431768211456")).toEqual(n(1n << 128n));
  });

  it("reads booleans, names and dotted paths", () => {
    expect(shape("true")).toEqual({ k: "bool", value: true });
    expect(shape("false")).toEqual({ k: "bool", value: false });
    expect(shape("_x9")).toEqual(r("_x9"));
    expect(shape("null")).toEqual(r("null"));
    expect(shape("IA32_VMX_BASIC.vmcs_size")).toEqual(r("IA32_VMX_BASIC", "vmcs_size"));
    expect(shape("a.b.c")).toEqual(r("a", "b", "c"));
    expect(shape("a . b")).toEqual(r("a", "b"));
  });

  it("reads calls with zero or more arguments", () => {
    expect(shape("f()")).toEqual(call("f"));
    expect(shape("sizeof(vmx)")).toEqual(call("sizeof", r("vmx")));
    expect(shape("g(a, b + 1, h(c))")).toEqual(call("g", r("a"), b("+", r("b"), n(1)), call("h", r("c"))));
  });

  it("reads unary operators, nested", () => {
    expect(shape("!a")).toEqual(u("!", r("a")));
    expect(shape("~a")).toEqual(u("~", r("a")));
    expect(shape("-1")).toEqual(u("-", n(1)));
    expect(shape("--a")).toEqual(u("-", u("-", r("a"))));
    expect(shape("!~-a")).toEqual(u("!", u("~", u("-", r("a")))));
  });

  it("ignores whitespace of every kind", () => {
    expect(shape(" \t a\n+\r\nb ")).toEqual(b("+", r("a"), r("b")));
  });
});

describe("precedence and associativity", () => {
  const cases: [string, unknown][] = [
    ["a ? b : c", c(r("a"), r("b"), r("c"))],
    ["a || b && c", b("||", r("a"), b("&&", r("b"), r("c")))],
    ["a && b | c", b("&&", r("a"), b("|", r("b"), r("c")))],
    ["a | b ^ c", b("|", r("a"), b("^", r("b"), r("c")))],
    ["a ^ b & c", b("^", r("a"), b("&", r("b"), r("c")))],
    ["a & b == c", b("&", r("a"), b("==", r("b"), r("c")))],
    ["a == b < c", b("==", r("a"), b("<", r("b"), r("c")))],
    ["a != b >= c", b("!=", r("a"), b(">=", r("b"), r("c")))],
    ["a < b << c", b("<", r("a"), b("<<", r("b"), r("c")))],
    ["a <= b >> c", b("<=", r("a"), b(">>", r("b"), r("c")))],
    ["a > b + c", b(">", r("a"), b("+", r("b"), r("c")))],
    ["a << b - c", b("<<", r("a"), b("-", r("b"), r("c")))],
    ["a + b * c", b("+", r("a"), b("*", r("b"), r("c")))],
    ["a - b / c", b("-", r("a"), b("/", r("b"), r("c")))],
    ["a - b % c", b("-", r("a"), b("%", r("b"), r("c")))],
    ["-a * b", b("*", u("-", r("a")), r("b"))],
    ["!f(x) && y", b("&&", u("!", call("f", r("x"))), r("y"))],
    ["~a.b", u("~", r("a", "b"))],
    ["a - b - c", b("-", b("-", r("a"), r("b")), r("c"))],
    ["a / b / c", b("/", b("/", r("a"), r("b")), r("c"))],
    ["a << b << c", b("<<", b("<<", r("a"), r("b")), r("c"))],
    ["a == b == c", b("==", b("==", r("a"), r("b")), r("c"))],
    ["a - (b - c)", b("-", r("a"), b("-", r("b"), r("c")))],
    ["(a + b) * c", b("*", b("+", r("a"), r("b")), r("c"))],
    ["a ? b : c ? d : e", c(r("a"), r("b"), c(r("c"), r("d"), r("e")))],
    ["a ? b ? c : d : e", c(r("a"), c(r("b"), r("c"), r("d")), r("e"))],
    ["a || b ? c + 1 : d", c(b("||", r("a"), r("b")), b("+", r("c"), n(1)), r("d"))],
    ["(a ? b : c) ? d : e", c(c(r("a"), r("b"), r("c")), r("d"), r("e"))],
    ["((a))", r("a")],
  ];
  it.each(cases)("%s", (text, expected) => {
    expect(shape(text)).toEqual(expected);
  });
});

describe("spans", () => {
  it("covers each node's own text, parentheses belonging to the parent", () => {
    const e = parse("(a + b) * f(c, 0x10)");
    expect(e.span).toEqual({ start: 0, end: 20 });
    if (e.k !== "binary" || e.left.k !== "binary" || e.right.k !== "call") throw new Error("shape");
    expect(e.left.span).toEqual({ start: 1, end: 6 });
    expect(e.left.left.span).toEqual({ start: 1, end: 2 });
    expect(e.right.span).toEqual({ start: 10, end: 20 });
    expect(e.right.args[1]!.span).toEqual({ start: 15, end: 19 });
  });

  it("covers dotted paths, unary operators and conditionals", () => {
    const e = parse("!x.y ? -1 : z");
    expect(e.span).toEqual({ start: 0, end: 13 });
    if (e.k !== "cond") throw new Error("shape");
    expect(e.test.span).toEqual({ start: 0, end: 4 });
    expect(e.then.span).toEqual({ start: 7, end: 9 });
    expect(e.else.span).toEqual({ start: 12, end: 13 });
  });
});

describe("effects", () => {
  it("reads assignments, compound assignments and calls, with an optional final ';'", () => {
    expect(strip(parseStmts("x = 1; y.z += a & b; w -= 1; clear_bit(state, RUN);"))).toEqual([
      { k: "assign", target: ["x"], op: "=", value: n(1) },
      { k: "assign", target: ["y", "z"], op: "+=", value: b("&", r("a"), r("b")) },
      { k: "assign", target: ["w"], op: "-=", value: n(1) },
      { k: "callstmt", call: call("clear_bit", r("state"), r("RUN")) },
    ]);
    expect(strip(parseStmts("f()"))).toEqual([{ k: "callstmt", call: call("f") }]);
  });

  it("reads a call used as the assigned value", () => {
    expect(strip(parseStmts("old = test_and_set_bit(state, SCHED)"))).toEqual([
      { k: "assign", target: ["old"], op: "=", value: call("test_and_set_bit", r("state"), r("SCHED")) },
    ]);
  });

  it("reads empty text as no effects", () => {
    expect(parseStmts("")).toEqual([]);
    expect(parseStmts("  ")).toEqual([]);
  });

  it("gives statements spans from target to value", () => {
    const [s1, s2] = parseStmts("a.b = c + 1;  f(x)");
    expect(s1!.span).toEqual({ start: 0, end: 11 });
    expect(s2!.span).toEqual({ start: 14, end: 18 });
  });
});

describe("refs and calls", () => {
  it("lists each referenced path once, in order of appearance", () => {
    expect(refs(parse("a.b + f(c, a.b) * (d ? c : e.f)"))).toEqual([["a", "b"], ["c"], ["d"], ["e", "f"]]);
    expect(refs(parse("1 + 2"))).toEqual([]);
  });

  it("includes assignment targets for effects", () => {
    expect(refs(parseStmts("x += y; f(z, x)"))).toEqual([["x"], ["y"], ["z"]]);
  });

  it("lists called functions", () => {
    expect(calls(parse("f(g(x)) + f(1)"))).toEqual(["f", "g"]);
  });
});

it("never throws on any input", () => {
  for (const text of ["", "(", ")", "((((", "a ?", "?", "0x", "0b", "1_", "é", "\u0000", "a..b", "f(,)"]) {
    expect(parseExpr(text).ok).toBe(false);
  }
});
