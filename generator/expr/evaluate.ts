import type { Expr, Span, Stmt } from "./ast.ts";

export type Value = bigint | boolean;

export interface EvalEnv {
  ref(path: string[]): Value;
  call?(fn: string, args: Value[]): Value;
}

export interface EffectEnv extends EvalEnv {
  assign(path: string[], value: Value): void;
}

export interface EvalOptions {
  /**
   * The machine word. With it, integers are unsigned modulo 2^width: every operation's result,
   * every literal and every value read from the environment is reduced into [0, 2^width), and
   * shift counts are taken modulo width. Without it, arithmetic is exact on unbounded integers.
   */
  width?: number;
}

/** A value the language cannot produce: division by zero, a bool where an int belongs, ... */
export class EvalError extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
    this.name = "EvalError";
  }
}

// Exact mode would otherwise let `1 << 1_000_000_000` exhaust memory.
const MAX_EXACT_SHIFT = 65536n;

/** Evaluates with bigint arithmetic; `&&`, `||` and `?:` evaluate only the operands they need. */
export function evaluate(expr: Expr, env: EvalEnv, options: EvalOptions = {}): Value {
  return new Evaluator(env, options.width).value(expr);
}

/** Runs statements in order; each sees the assignments of those before it through `env.ref`. */
export function execEffects(stmts: readonly Stmt[], env: EffectEnv, options: EvalOptions = {}): void {
  const ev = new Evaluator(env, options.width);
  for (const s of stmts) {
    if (s.k === "callstmt") {
      ev.value(s.call);
      continue;
    }
    let v = ev.value(s.value);
    if (s.op !== "=") {
      const old = ev.int(env.ref(s.target), s.span, s.target.join("."));
      const delta = ev.int(v, s.value.span, "value");
      v = ev.wrap(s.op === "+=" ? old + delta : old - delta);
    }
    env.assign(s.target, v);
  }
}

class Evaluator {
  constructor(
    private readonly env: EvalEnv,
    private readonly width: number | undefined,
  ) {
    if (width !== undefined && (!Number.isInteger(width) || width < 1)) {
      throw new RangeError(`evaluation width must be a positive integer, got ${width}`);
    }
  }

  wrap(v: bigint): bigint {
    return this.width === undefined ? v : BigInt.asUintN(this.width, v);
  }

  int(v: Value, span: Span, what: string): bigint {
    if (typeof v !== "bigint") throw new EvalError(`${what} is a bool, expected an integer`, span);
    return this.wrap(v);
  }

  private bool(v: Value, span: Span, what: string): boolean {
    if (typeof v !== "boolean") throw new EvalError(`${what} is an integer, expected a bool`, span);
    return v;
  }

  private intOf(e: Expr): bigint {
    return this.int(this.value(e), e.span, name(e));
  }

  private boolOf(e: Expr): boolean {
    return this.bool(this.value(e), e.span, name(e));
  }

  value(e: Expr): Value {
    switch (e.k) {
      case "num":
        return this.wrap(e.value);
      case "bool":
        return e.value;
      case "ref": {
        const v = this.env.ref(e.path);
        return typeof v === "bigint" ? this.wrap(v) : v;
      }
      case "call": {
        if (!this.env.call) throw new EvalError(`unknown function '${e.fn}'`, e.span);
        const args = e.args.map((a) => this.value(a));
        const v = this.env.call(e.fn, args);
        return typeof v === "bigint" ? this.wrap(v) : v;
      }
      case "unary":
        if (e.op === "!") return !this.boolOf(e.arg);
        return this.wrap(e.op === "~" ? ~this.intOf(e.arg) : -this.intOf(e.arg));
      case "cond":
        return this.boolOf(e.test) ? this.value(e.then) : this.value(e.else);
      case "binary":
        return this.binary(e.op, e.left, e.right, e.span);
    }
  }

  private binary(op: string, left: Expr, right: Expr, span: Span): Value {
    switch (op) {
      case "&&":
        return this.boolOf(left) && this.boolOf(right);
      case "||":
        return this.boolOf(left) || this.boolOf(right);
      case "==":
      case "!=": {
        const a = this.value(left);
        const b = this.value(right);
        if (typeof a !== typeof b) throw new EvalError("cannot compare a bool with an integer", span);
        return (a === b) === (op === "==");
      }
    }
    const a = this.intOf(left);
    const b = this.intOf(right);
    switch (op) {
      case "<":
        return a < b;
      case "<=":
        return a <= b;
      case ">":
        return a > b;
      case ">=":
        return a >= b;
      case "+":
        return this.wrap(a + b);
      case "-":
        return this.wrap(a - b);
      case "*":
        return this.wrap(a * b);
      case "/":
      case "%":
        if (b === 0n) throw new EvalError("division by zero", span);
        return this.wrap(op === "/" ? a / b : a % b);
      case "&":
        return this.wrap(a & b);
      case "|":
        return this.wrap(a | b);
      case "^":
        return this.wrap(a ^ b);
      case "<<":
      case ">>":
        return this.wrap(op === "<<" ? a << this.count(b, right.span) : a >> this.count(b, right.span));
    }
    throw new EvalError(`unknown operator '${op}'`, span);
  }

  private count(b: bigint, span: Span): bigint {
    if (this.width !== undefined) return b % BigInt(this.width);
    if (b < 0n) throw new EvalError(`negative shift count ${b}`, span);
    if (b > MAX_EXACT_SHIFT) throw new EvalError(`shift count ${b} is too large`, span);
    return b;
  }
}

function name(e: Expr): string {
  if (e.k === "ref") return `'${e.path.join(".")}'`;
  if (e.k === "call") return `the result of '${e.fn}'`;
  return "the operand";
}
