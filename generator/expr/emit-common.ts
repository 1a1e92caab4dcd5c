import type { Span } from "./ast.ts";

/**
 * How a caller maps the language's names onto a target. Returned text is trusted to be valid
 * target code; anything that is not plainly a single operand gets parenthesized by the emitter.
 */
export interface Naming {
  ref(path: string[]): string;
  /** Defaults to `fn(arg, ...)`. */
  call?(fn: string, args: string[]): string;
  /** A whole assignment statement without its `;`, for targets written through setters. Defaults to `ref(path) = value`. */
  assign?(path: string[], value: string): string;
}

/** The expression cannot be written in the target without changing its meaning. */
export class EmitError extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
    this.name = "EmitError";
  }
}

/** Decimal for small values, lower-case hex above 0xffff where masks and addresses live. */
export function literalText(value: bigint): string {
  return value > 0xffffn ? `0x${value.toString(16)}` : value.toString(10);
}

const OPEN: Record<string, string> = { "(": ")", "[": "]" };

/**
 * True when `text` is a name, a member chain, a number, a call or fully parenthesized, i.e. when
 * no operator of it sits at top level. Quotes give up and answer false: wrapping is always safe.
 */
export function isAtom(text: string): boolean {
  if (text.length === 0) return false;
  const stack: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === "`") return false;
    if (c in OPEN) {
      stack.push(OPEN[c]!);
    } else if (c === ")" || c === "]") {
      if (stack.pop() !== c) return false;
    } else if (stack.length === 0 && !/[A-Za-z0-9_$.]/.test(c)) {
      return false;
    }
  }
  return stack.length === 0 && !text.startsWith(".") && !text.endsWith(".");
}

export function atom(text: string): string {
  return isAtom(text) ? text : `(${text})`;
}
