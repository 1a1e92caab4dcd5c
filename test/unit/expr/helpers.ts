import {
  parseEffects,
  parseExpr,
  type Expr,
  type ExprType,
  type Scope,
  type Stmt,
} from "../../../generator/expr/index.ts";

export function parse(text: string): Expr {
  const r = parseExpr(text);
  if (!r.ok) throw new Error(`parse failed: ${r.error.message} at ${r.error.offset}`);
  return r.expr;
}

export function parseStmts(text: string): Stmt[] {
  const r = parseEffects(text);
  if (!r.ok) throw new Error(`parse failed: ${r.error.message} at ${r.error.offset}`);
  return r.stmts;
}

/** The tree without spans, for comparing shapes. */
export function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (node && typeof node === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) if (k !== "span") out[k] = strip(v);
    return out;
  }
  return node;
}

/** A scope over a fixed table of names; enum members resolve as refs of their enum. */
export function tableScope(names: Record<string, ExprType>, fns: Record<string, ExprType> = {}): Scope {
  return {
    ref(path) {
      const key = path.join(".");
      const t = names[key];
      return t ? { type: t } : { error: `unknown name '${key}'` };
    },
    call(fn, args) {
      if (fn === "sizeof") return args.length === 1 ? { type: { t: "int" } } : { error: "sizeof takes one argument" };
      const t = fns[fn];
      return t ? { type: t } : { error: `unknown function '${fn}'` };
    },
  };
}
