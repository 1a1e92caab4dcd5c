import type { BinaryOp } from "./ast.ts";

/**
 * Binding strength shared by the parser and every printer. The language copies C's table, which
 * JavaScript and Promela also share for these operators, so one table serves all targets.
 */
export const COND_PREC = 0;
export const UNARY_PREC = 11;
/** Literals, names, calls and anything already parenthesized. */
export const ATOM_PREC = 12;

export const BINARY_PREC: Readonly<Record<BinaryOp, number>> = {
  "||": 1,
  "&&": 2,
  "|": 3,
  "^": 4,
  "&": 5,
  "==": 6,
  "!=": 6,
  "<": 7,
  "<=": 7,
  ">": 7,
  ">=": 7,
  "<<": 8,
  ">>": 8,
  "+": 9,
  "-": 9,
  "*": 10,
  "/": 10,
  "%": 10,
};

export function isBinaryOp(text: string): text is BinaryOp {
  return Object.prototype.hasOwnProperty.call(BINARY_PREC, text);
}

/** Wraps `text` in parentheses when its binding strength is below what the context needs. */
export function paren(text: string, prec: number, needed: number): string {
  return prec < needed ? `(${text})` : text;
}
