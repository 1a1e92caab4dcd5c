import { walk, type BinaryExpr, type Expr, type Span, type Stmt } from "./ast.ts";
import { BOOL, UNSIZED, formatType, intType, sameKind, type ExprType, type IntType } from "./types.ts";

/**
 * What the checker asks the caller: the language knows no names, so fields, constants, enum
 * members (as refs of their enum type) and builtins such as `sizeof` all come from here.
 */
export interface Scope {
  /** Messages should name the container, e.g. "unknown field 'foo' in IA32_VMX_BASIC". */
  ref(path: string[]): { type: ExprType } | { error: string };
  call?(fn: string, args: ExprType[], argExprs: Expr[]): { type: ExprType } | { error: string };
  /** For effects: whether `path` may be assigned. Defaults to `ref`, i.e. everything readable is writable. */
  target?(path: string[]): { type: ExprType } | { error: string };
}

export interface CheckError {
  message: string;
  span: Span;
}

/** Types by node; for an assignment statement, the type of its target. */
export type TypeMap = ReadonlyMap<Expr | Stmt, ExprType>;

export interface CheckResult {
  /**
   * Meaningful only when `errors` is empty; when errors leave it unknowable it falls back to
   * `expected`, or to an unsized int, so callers need no undefined check.
   */
  type: ExprType;
  errors: CheckError[];
  /** The type of every node whose type is known; emitters take it to pick machine words. */
  types: Map<Expr, ExprType>;
}

export interface CheckEffectsResult {
  errors: CheckError[];
  /** Node types as in `CheckResult`, plus each assignment's target type keyed by the statement. */
  types: Map<Expr | Stmt, ExprType>;
}

/** Checks one expression; `expected` is what the context needs (an assignment target, a guard). */
export function checkExpr(expr: Expr, scope: Scope, expected?: ExprType): CheckResult {
  const c = new Checker(scope);
  const type = c.expr(expr);
  if (type && expected) c.fits(expr, type, expected);
  c.shiftCounts(expr);
  return { type: type ?? expected ?? UNSIZED, errors: c.errors, types: c.types as Map<Expr, ExprType> };
}

/** Checks statements of an effect list; each assigned value must fit its target. */
export function checkEffects(stmts: readonly Stmt[], scope: Scope): CheckEffectsResult {
  const c = new Checker(scope);
  for (const s of stmts) {
    if (s.k === "callstmt") {
      c.expr(s.call);
      continue;
    }
    const found = (scope.target ?? scope.ref).call(scope, s.target);
    const value = c.expr(s.value);
    if ("error" in found) {
      c.error(found.error, s.span);
      continue;
    }
    c.types.set(s, found.type);
    if (s.op !== "=" && found.type.t !== "int") {
      c.error(`'${s.op}' needs an integer target, got ${formatType(found.type)}`, s.span);
      continue;
    }
    if (value) c.fits(s.value, value, found.type);
  }
  for (const s of stmts) c.shiftCounts(s);
  return { errors: c.errors, types: c.types };
}

function describe(type: ExprType, withWidth: boolean): string {
  switch (type.t) {
    case "bool":
      return "a bool";
    case "int":
      return type.width === undefined || !withWidth ? "an integer" : `an integer of at most ${type.width} bits`;
    case "enum":
      return `enum ${type.name}`;
  }
}

/**
 * Widths combine by max, an unsized operand taking the other's width; the result is signed only
 * when every sized operand is. Keeping it this simple is safe because the width picks a machine
 * word and does not promise a range.
 */
function joinInt(a: IntType, b: IntType): IntType {
  if (a.width === undefined) return b.width === undefined ? intType() : intType(b.width, b.signed);
  if (b.width === undefined) return intType(a.width, a.signed);
  return intType(Math.max(a.width, b.width), Boolean(a.signed && b.signed));
}

class Checker {
  readonly errors: CheckError[] = [];
  readonly types = new Map<Expr | Stmt, ExprType>();

  constructor(private readonly scope: Scope) {}

  error(message: string, span: Span): void {
    this.errors.push({ message, span });
  }

  fits(expr: Expr, got: ExprType, want: ExprType): void {
    if (!sameKind(got, want)) {
      this.error(`expected ${describe(want, false)}, got ${formatType(got)}`, expr.span);
      return;
    }
    if (got.t !== "int" || want.t !== "int" || want.width === undefined) return;
    if (got.width !== undefined && got.width > want.width) {
      this.error(`expected ${describe(want, true)}, got ${formatType(got)}`, expr.span);
    } else if (expr.k === "num" && expr.value >> BigInt(want.width) !== 0n) {
      this.error(`literal ${expr.value} does not fit in ${want.width} bits`, expr.span);
    }
  }

  expr(e: Expr): ExprType | undefined {
    const t = this.infer(e);
    if (t) this.types.set(e, t);
    return t;
  }

  private want(e: Expr, kind: "int" | "bool"): ExprType | undefined {
    const t = this.expr(e);
    if (t && t.t !== kind) {
      this.error(`expected ${kind === "int" ? "an integer" : "a bool"}, got ${formatType(t)}`, e.span);
      return undefined;
    }
    return t;
  }

  private infer(e: Expr): ExprType | undefined {
    switch (e.k) {
      case "num":
        return intType();
      case "bool":
        return BOOL;
      case "ref": {
        const r = this.scope.ref(e.path);
        if ("error" in r) {
          this.error(r.error, e.span);
          return undefined;
        }
        return r.type;
      }
      case "call": {
        const args = e.args.map((a) => this.expr(a));
        if (!this.scope.call) {
          this.error(`unknown function '${e.fn}'`, e.span);
          return undefined;
        }
        // An argument that already failed would only make the callee report a second, vaguer error.
        if (args.some((a) => a === undefined)) return undefined;
        const r = this.scope.call(e.fn, args as ExprType[], e.args);
        if ("error" in r) {
          this.error(r.error, e.span);
          return undefined;
        }
        return r.type;
      }
      case "unary":
        if (e.op === "!") return this.want(e.arg, "bool") && BOOL;
        return this.want(e.arg, "int");
      case "binary":
        return this.binary(e);
      case "cond": {
        const test = this.want(e.test, "bool");
        const a = this.expr(e.then);
        const b = this.expr(e.else);
        if (!test || !a || !b) return undefined;
        if (!sameKind(a, b)) {
          this.error(`branches of the conditional differ: ${formatType(a)} and ${formatType(b)}`, e.span);
          return undefined;
        }
        return a.t === "int" && b.t === "int" ? joinInt(a, b) : a;
      }
    }
  }

  private binary(e: BinaryExpr): ExprType | undefined {
    switch (e.op) {
      case "&&":
      case "||": {
        const a = this.want(e.left, "bool");
        const b = this.want(e.right, "bool");
        return a && b && BOOL;
      }
      case "==":
      case "!=": {
        const a = this.expr(e.left);
        const b = this.expr(e.right);
        if (!a || !b) return undefined;
        if (!sameKind(a, b)) {
          this.error(`cannot compare ${formatType(a)} with ${formatType(b)}`, e.span);
          return undefined;
        }
        return this.signsAgree(e, a, b) ? BOOL : undefined;
      }
      case "<":
      case "<=":
      case ">":
      case ">=": {
        const a = this.want(e.left, "int");
        const b = this.want(e.right, "int");
        if (!a || !b) return undefined;
        return this.signsAgree(e, a, b) ? BOOL : undefined;
      }
      case "<<":
      case ">>": {
        const a = this.want(e.left, "int") as IntType | undefined;
        const b = this.want(e.right, "int");
        if (!a || !b) return undefined;
        return a;
      }
      default: {
        const a = this.want(e.left, "int") as IntType | undefined;
        const b = this.want(e.right, "int") as IntType | undefined;
        return a && b && joinInt(a, b);
      }
    }
  }

  /** C leaves shifts by the word size or more undefined, so a literal count must be below it. */
  shiftCounts(root: Expr | Stmt): void {
    const word = exprWord(root, this.types);
    walk(root, (n) => {
      if (
        n.k === "binary" &&
        (n.op === "<<" || n.op === ">>") &&
        n.right.k === "num" &&
        n.right.value >= BigInt(word)
      ) {
        this.error(
          `shift count ${n.right.value} is not less than ${word}, the word this expression is computed in`,
          n.right.span,
        );
      }
    });
  }

  /** C converts a signed operand to unsigned before comparing, which silently changes the answer. */
  private signsAgree(e: BinaryExpr, a: ExprType, b: ExprType): boolean {
    if (a.t !== "int" || b.t !== "int" || a.width === undefined || b.width === undefined) return true;
    if (Boolean(a.signed) === Boolean(b.signed)) return true;
    this.error(`cannot compare signed with unsigned integers (${formatType(a)} and ${formatType(b)})`, e.span);
    return false;
  }
}

/**
 * The machine word an expression or statement is computed in: 64 when any of its values (by
 * checked type; for an assignment, its target too) or literals is wider than 32 bits, else 32.
 * One word per expression keeps the semantics simple and lets `evaluate(e, env, {width})` agree
 * with the emitted C.
 */
export function exprWord(root: Expr | Stmt, types?: TypeMap): 32 | 64 {
  let wide = false;
  walk(root, (n) => {
    if (n.k === "num" && n.value > 0xffffffffn) wide = true;
    const t = types?.get(n);
    if (t?.t === "int" && t.width !== undefined && t.width > 32) wide = true;
  });
  return wide ? 64 : 32;
}
