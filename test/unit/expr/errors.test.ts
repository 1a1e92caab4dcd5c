import { describe, expect, it } from "vitest";
import { parseEffects, parseExpr } from "../../../generator/expr/index.ts";

const err = (text: string) => {
  const r = parseExpr(text);
  if (r.ok) throw new Error(`expected a syntax error for ${JSON.stringify(text)}`);
  return r.error;
};

describe("syntax errors of expressions: message and 0-based offset", () => {
  const cases: [string, string, number][] = [
    ["", "expected expression", 0],
    ["   ", "expected expression", 3],
    ["a +", "expected expression", 3],
    ["f(a,", "expected expression", 4],
    ["f(a,)", "unexpected token ')'", 4],
    ["a + )", "unexpected token ')'", 4],
    ["a)", "unexpected token ')'", 1],
    ["a b", "unexpected token 'b'", 2],
    ["f(x)(y)", "unexpected token '('", 4],
    ["(a).b", "unexpected token '.'", 3],
    ["a $ b", "unexpected character '$'", 2],
    ["a # b", "unexpected character '#'", 2],
    ["x\u0001", "unexpected character '\\u0001'", 1],
    ["a é", "unexpected character 'é'", 2],
    ["(a + b", "unterminated parenthesis", 0],
    ["x * ((a + b)", "unterminated parenthesis", 4],
    ["f(a, b", "unterminated parenthesis", 1],
    ["(a b)", "expected ')' but found 'b'", 3],
    ["f(a b)", "expected ',' or ')' after argument, found 'b'", 4],
    ["a ? b", "expected ':' in conditional", 5],
    ["a ? b c", "expected ':' in conditional", 6],
    ["a = 3", "unexpected token '=' (use '==' to compare; assignments belong in effects)", 2],
    ["a += 3", "unexpected token '+=' (use '==' to compare; assignments belong in effects)", 2],
    ["a.", "expected a name after '.'", 2],
    ["a.1", "expected a name after '.'", 2],
    ["a.b(1)", "'a.b' cannot be called: only plain function names can", 0],
    ["0x", "hexadecimal literal has no digits", 0],
    ["0b", "binary literal has no digits", 0],
    ["0x1g", "invalid digit 'g' in hexadecimal literal", 3],
    ["0b102", "invalid digit '2' in binary literal", 4],
    ["12ab", "invalid digit 'a' in decimal literal", 2],
    ["1__0", "'_' must sit between two digits", 1],
    ["1_", "'_' must sit between two digits", 1],
    ["0x_1", "'_' must sit between two digits", 2],
    ["007", "leading zeros are not allowed (octal literals are not supported)", 0],
    ["1 + 1.5", "fractional numbers are not supported", 4],
    ["a ; b", "unexpected token ';'", 2],
  ];
  it.each(cases)("%j → %s at %i", (text, message, offset) => {
    expect(err(text)).toEqual({ message, offset });
  });

  it("reports the first error in reading order, lexical or not", () => {
    expect(err(") $")).toEqual({ message: "unexpected token ')'", offset: 0 });
    expect(err("a $ )")).toEqual({ message: "unexpected character '$'", offset: 2 });
  });

  it("keeps positions out of messages", () => {
    expect(err("a + ( b").message).not.toMatch(/\d/);
  });
});

describe("syntax errors of effects", () => {
  const cases: [string, string, number][] = [
    ["x = ", "expected expression", 4],
    ["x", "expected '=', '+=', '-=' or a call after 'x'", 1],
    ["a.b 1", "expected '=', '+=', '-=' or a call after 'a.b'", 4],
    ["x == 1", "unexpected token '==' (use '=' to assign)", 2],
    ["x = 1 y = 2", "expected ';' between statements, found 'y'", 6],
    ["f(x) + 1", "expected ';' between statements, found '+'", 5],
    ["x = 1;; y = 2", "expected an assignment or a call", 6],
    ["1 = x", "expected an assignment or a call", 0],
    ["true = x", "expected an assignment or a call", 0],
    ["x.y(1)", "'x.y' cannot be called: only plain function names can", 0],
    ["x = f(1", "unterminated parenthesis", 5],
  ];
  it.each(cases)("%j → %s at %i", (text, message, offset) => {
    const r = parseEffects(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toEqual({ message, offset });
  });
});
