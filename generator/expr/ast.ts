/**
 * The tree of the hwspec expression language. Every node carries the character span it came
 * from so that checkers can point at the exact operand that is wrong.
 */

/** Character offsets into the expression text: `start` inclusive, `end` exclusive, 0-based. */
export interface Span {
  start: number;
  end: number;
}

export type UnaryOp = "!" | "~" | "-";

export type BinaryOp =
  "||" | "&&" | "|" | "^" | "&" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "<<" | ">>" | "+" | "-" | "*" | "/" | "%";

export interface NumExpr {
  k: "num";
  value: bigint;
  span: Span;
}

export interface BoolExpr {
  k: "bool";
  value: boolean;
  span: Span;
}

/** A name or a dotted path such as `IA32_VMX_BASIC.vmcs_size`; resolution belongs to the caller. */
export interface RefExpr {
  k: "ref";
  path: string[];
  span: Span;
}

export interface CallExpr {
  k: "call";
  fn: string;
  args: Expr[];
  span: Span;
}

export interface UnaryExpr {
  k: "unary";
  op: UnaryOp;
  arg: Expr;
  span: Span;
}

export interface BinaryExpr {
  k: "binary";
  op: BinaryOp;
  left: Expr;
  right: Expr;
  span: Span;
}

export interface CondExpr {
  k: "cond";
  test: Expr;
  then: Expr;
  else: Expr;
  span: Span;
}

export type Expr = NumExpr | BoolExpr | RefExpr | CallExpr | UnaryExpr | BinaryExpr | CondExpr;

export type AssignOp = "=" | "+=" | "-=";

export interface AssignStmt {
  k: "assign";
  target: string[];
  op: AssignOp;
  value: Expr;
  span: Span;
}

/** A call made for its effect (`clear_bit(state, RUN)`); its value, if any, is dropped. */
export interface CallStmt {
  k: "callstmt";
  call: CallExpr;
  span: Span;
}

export type Stmt = AssignStmt | CallStmt;

/** Direct sub-expressions in source order, so walkers need not know every node kind. */
export function children(node: Expr | Stmt): Expr[] {
  switch (node.k) {
    case "num":
    case "bool":
    case "ref":
      return [];
    case "call":
      return node.args;
    case "unary":
      return [node.arg];
    case "binary":
      return [node.left, node.right];
    case "cond":
      return [node.test, node.then, node.else];
    case "assign":
      return [node.value];
    case "callstmt":
      return [node.call];
  }
}

/** Visits `node` and every sub-expression depth-first in source order. */
export function walk(node: Expr | Stmt, visit: (n: Expr | Stmt) => void): void {
  visit(node);
  for (const c of children(node)) walk(c, visit);
}

/**
 * Every path the node mentions, once each, in order of first appearance. An assignment's target
 * is included because `+=`/`-=` read it and dependency analysis wants writes too.
 */
export function refs(node: Expr | Stmt | readonly Stmt[]): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  const add = (path: string[]): void => {
    const key = path.join(".");
    if (!seen.has(key)) {
      seen.add(key);
      out.push(path);
    }
  };
  const nodes: readonly (Expr | Stmt)[] = Array.isArray(node) ? node : [node as Expr | Stmt];
  for (const n of nodes) {
    walk(n, (x) => {
      if (x.k === "ref") add(x.path);
      else if (x.k === "assign") add(x.target);
    });
  }
  return out;
}

/** Names of the functions called anywhere in the node, once each, in order of first appearance. */
export function calls(node: Expr | Stmt | readonly Stmt[]): string[] {
  const seen = new Set<string>();
  const nodes: readonly (Expr | Stmt)[] = Array.isArray(node) ? node : [node as Expr | Stmt];
  for (const n of nodes) {
    walk(n, (x) => {
      if (x.k === "call") seen.add(x.fn);
    });
  }
  return [...seen];
}

/** The value an assignment stores: `x += v` stores `x + v`, for targets that lack compound assignment. */
export function storedValue(s: AssignStmt): Expr {
  if (s.op === "=") return s.value;
  const target: Expr = { k: "ref", path: s.target, span: s.span };
  return { k: "binary", op: s.op === "+=" ? "+" : "-", left: target, right: s.value, span: s.span };
}
