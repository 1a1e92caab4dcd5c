import type { AssignOp, CallExpr, Expr, Span, Stmt, UnaryOp } from "./ast.ts";
import { Lexer, SyntaxFailure, type Token } from "./lexer.ts";
import { BINARY_PREC, isBinaryOp } from "./precedence.ts";

/** A syntax error; `offset` is 0-based in the expression text and the caller turns it into line:col. */
export interface ParseError {
  message: string;
  offset: number;
}

export type ParseResult = { ok: true; expr: Expr } | { ok: false; error: ParseError };
export type ParseEffectsResult = { ok: true; stmts: Stmt[] } | { ok: false; error: ParseError };

/** Parses one expression. Never throws: bad input gives `{ok: false}` with the first error. */
export function parseExpr(text: string): ParseResult {
  try {
    const p = new Parser(text);
    const expr = p.cond();
    p.expectEnd("expression");
    return { ok: true, expr };
  } catch (e) {
    if (e instanceof SyntaxFailure) return { ok: false, error: { message: e.message, offset: e.offset } };
    throw e;
  }
}

/**
 * Parses `stmt (';' stmt)* ';'?` where a statement is `path = expr`, `path += expr`,
 * `path -= expr` or a call. Empty text is an empty list: a step may have no effects.
 */
export function parseEffects(text: string): ParseEffectsResult {
  try {
    const p = new Parser(text);
    return { ok: true, stmts: p.effects() };
  } catch (e) {
    if (e instanceof SyntaxFailure) return { ok: false, error: { message: e.message, offset: e.offset } };
    throw e;
  }
}

const UNARY_OPS = new Set(["!", "~", "-"]);
const ASSIGN_OPS = new Set(["=", "+=", "-="]);

class Parser {
  private readonly lex: Lexer;
  /** End of the last consumed token: a node's span ends here, closing parentheses included. */
  private lastEnd = 0;

  constructor(text: string) {
    this.lex = new Lexer(text);
  }

  private take(): Token {
    const t = this.lex.next();
    this.lastEnd = t.end;
    return t;
  }

  private isOp(text: string): boolean {
    const t = this.lex.peek();
    return t.kind === "op" && t.text === text;
  }

  private span(start: number): Span {
    return { start, end: this.lastEnd };
  }

  private unexpected(t: Token, hint = ""): never {
    if (t.kind === "eof") throw new SyntaxFailure("unexpected end of expression", t.start);
    throw new SyntaxFailure(`unexpected token '${t.text}'${hint}`, t.start);
  }

  expectEnd(what: "expression" | "statement"): void {
    const t = this.lex.peek();
    if (t.kind === "eof") return;
    if (what === "expression" && t.kind === "op" && (t.text === "=" || t.text === "+=" || t.text === "-=")) {
      this.unexpected(t, " (use '==' to compare; assignments belong in effects)");
    }
    if (what === "statement") throw new SyntaxFailure(`expected ';' between statements, found '${t.text}'`, t.start);
    this.unexpected(t);
  }

  /** `test ? then : else`, right-associative; the middle operand is a full expression as in C. */
  cond(): Expr {
    const start = this.lex.peek().start;
    const test = this.binary(1);
    if (!this.isOp("?")) return test;
    this.take();
    const then = this.cond();
    if (!this.isOp(":")) throw new SyntaxFailure("expected ':' in conditional", this.lex.peek().start);
    this.take();
    const otherwise = this.cond();
    return { k: "cond", test, then, else: otherwise, span: this.span(start) };
  }

  /** Precedence climbing over the binary operators, all left-associative. */
  private binary(minPrec: number): Expr {
    const start = this.lex.peek().start;
    let left = this.unary();
    for (;;) {
      const t = this.lex.peek();
      if (t.kind !== "op" || !isBinaryOp(t.text)) return left;
      const op = t.text;
      const prec = BINARY_PREC[op];
      if (prec < minPrec) return left;
      this.take();
      const right = this.binary(prec + 1);
      left = { k: "binary", op, left, right, span: this.span(start) };
    }
  }

  private unary(): Expr {
    const t = this.lex.peek();
    if (t.kind === "op" && UNARY_OPS.has(t.text)) {
      this.take();
      const arg = this.unary();
      return { k: "unary", op: t.text as UnaryOp, arg, span: this.span(t.start) };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.lex.peek();
    if (t.kind === "num") {
      this.take();
      return { k: "num", value: t.value!, span: this.span(t.start) };
    }
    if (t.kind === "ident") {
      if (t.text === "true" || t.text === "false") {
        this.take();
        return { k: "bool", value: t.text === "true", span: this.span(t.start) };
      }
      const path = this.path();
      if (this.isOp("(")) return this.callArgs(path, t.start);
      return { k: "ref", path, span: this.span(t.start) };
    }
    if (t.kind === "op" && t.text === "(") {
      this.take();
      const inner = this.cond();
      this.closeParen(t);
      return inner;
    }
    if (t.kind === "eof") throw new SyntaxFailure("expected expression", t.start);
    this.unexpected(t);
  }

  /** A name followed by `.name` segments; the first segment is already known to be a name. */
  private path(): string[] {
    const path = [this.take().text];
    while (this.isOp(".")) {
      this.take();
      const seg = this.lex.peek();
      if (seg.kind !== "ident") throw new SyntaxFailure("expected a name after '.'", seg.start);
      path.push(this.take().text);
    }
    return path;
  }

  private closeParen(open: Token): void {
    const t = this.lex.peek();
    if (t.kind === "eof") throw new SyntaxFailure("unterminated parenthesis", open.start);
    if (!(t.kind === "op" && t.text === ")")) throw new SyntaxFailure(`expected ')' but found '${t.text}'`, t.start);
    this.take();
  }

  private callArgs(path: string[], start: number): CallExpr {
    if (path.length > 1) {
      throw new SyntaxFailure(`'${path.join(".")}' cannot be called: only plain function names can`, start);
    }
    const open = this.take();
    const args: Expr[] = [];
    if (this.isOp(")")) {
      this.take();
    } else {
      for (;;) {
        args.push(this.cond());
        const t = this.lex.peek();
        if (t.kind === "op" && t.text === ",") {
          this.take();
          continue;
        }
        if (t.kind === "eof") throw new SyntaxFailure("unterminated parenthesis", open.start);
        if (t.kind === "op" && t.text === ")") {
          this.take();
          break;
        }
        throw new SyntaxFailure(`expected ',' or ')' after argument, found '${t.text}'`, t.start);
      }
    }
    return { k: "call", fn: path[0]!, args, span: this.span(start) };
  }

  effects(): Stmt[] {
    const stmts: Stmt[] = [];
    while (this.lex.peek().kind !== "eof") {
      stmts.push(this.stmt());
      if (this.isOp(";")) this.take();
      else this.expectEnd("statement");
    }
    return stmts;
  }

  private stmt(): Stmt {
    const t = this.lex.peek();
    if (t.kind !== "ident" || t.text === "true" || t.text === "false") {
      throw new SyntaxFailure("expected an assignment or a call", t.start);
    }
    const path = this.path();
    if (this.isOp("(")) {
      const call = this.callArgs(path, t.start);
      return { k: "callstmt", call, span: call.span };
    }
    const op = this.lex.peek();
    if (op.kind === "op" && ASSIGN_OPS.has(op.text)) {
      this.take();
      const value = this.cond();
      return { k: "assign", target: path, op: op.text as AssignOp, value, span: this.span(t.start) };
    }
    if (op.kind === "op" && op.text === "==") this.unexpected(op, " (use '=' to assign)");
    throw new SyntaxFailure(`expected '=', '+=', '-=' or a call after '${path.join(".")}'`, op.start);
  }
}
