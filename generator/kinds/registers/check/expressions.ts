import type { Diagnostics } from "../../../diagnostics.ts";
import { checkExpr, evaluate, type Expr, type ExprType, type Scope } from "../../../expr/index.ts";
import type { ExprLike } from "../../../model/index.ts";
import type { ElabRegister, ElabRegistersSpec } from "../../../elaborate/model.ts";
import { walkFieldPath, type Lookup } from "../../../elaborate/lookup.ts";
import { offsetLoc } from "../../../resolve/expr.ts";
import { foldSizes } from "../../../elaborate/sizes.ts";

/** A scope over the registers of one spec: `REG.field.sub` is a field value, a bare name its raw value. */
export function registerScope(spec: ElabRegistersSpec, lookup: Lookup, onRef?: (r: ElabRegister) => void): Scope {
  return {
    ref(path) {
      const [head, ...rest] = path;
      const reg = spec.registers.find((r) => r.name === head);
      const group = spec.groups.find((g) => g.name === head);
      const layout = spec.layouts.find((l) => l.name === head);
      if (!reg && !group && !layout) return { error: `unknown name "${head}" (not a register, group or layout of ${spec.name})` };
      if (!reg) {
        if (rest.length === 0 || (rest.length === 1 && rest[0] === "raw")) return { type: { t: "int" } };
        return { error: `"${head}" is a ${group ? "group" : "layout"}; only registers have field values here` };
      }
      onRef?.(reg);
      if (rest.length === 0 || (rest.length === 1 && rest[0] === "raw")) return { type: { t: "int", width: reg.width } };
      const hit = walkFieldPath(reg, rest, lookup);
      if ("error" in hit) return { error: hit.error };
      return { type: hit.field.width === 1 ? { t: "bool" } : { t: "int", width: hit.field.width } };
    },
    call(fn, args, argExprs) {
      if (fn !== "sizeof") return { error: `unknown function "${fn}" (available: sizeof)` };
      if (args.length !== 1 || argExprs[0]?.k !== "ref") return { error: "sizeof takes one name: a register, layout, group, or X.raw" };
      return { type: { t: "int" } };
    },
  };
}

function report(e: ExprLike, errors: { message: string; span: { start: number } }[], d: Diagnostics): boolean {
  for (const err of errors) d.error(offsetLoc(e.loc, err.span.start), `expression: ${err.message}`);
  return errors.length === 0;
}

/** Availability rules must be boolean and only read registers of groups read before theirs. */
export function checkAvailability(spec: ElabRegistersSpec, lookup: Lookup, d: Diagnostics): void {
  const readBefore = new Set<string>();
  for (const g of spec.groups) {
    const used: ElabRegister[] = [];
    const r = checkExpr(g.available.ast, registerScope(spec, lookup, (reg) => used.push(reg)), { t: "bool" });
    if (report(g.available, r.errors, d)) {
      if (r.type.t !== "bool") d.error(g.available.loc, `availability of group "${g.name}" must be a boolean, got ${typeText(r.type)}`);
      for (const reg of new Set(used)) {
        if (!readBefore.has(reg.name)) {
          d.error(g.available.loc, `availability of group "${g.name}" reads ${reg.name}, which no earlier group reads`);
        }
      }
    }
    for (const name of g.registers) readBefore.add(name);
  }
}

/** Each assert must type-check, have a form every target can check at compile time, and hold. */
export function checkAsserts(spec: ElabRegistersSpec, lookup: Lookup, d: Diagnostics): void {
  for (const a of spec.asserts) {
    const r = checkExpr(a.expr.ast, registerScope(spec, lookup), { t: "bool" });
    if (!report(a.expr, r.errors, d)) continue;
    const shapeError = sizeFactShape(a.expr.ast);
    if (shapeError) {
      d.error(offsetLoc(a.expr.loc, shapeError.span.start), `assert: ${shapeError.message}`);
      continue;
    }
    const folded = foldSizes(a.expr.ast, spec, lookup);
    if ("error" in folded) {
      d.error(offsetLoc(a.expr.loc, folded.span.start), `assert: ${folded.error}`);
      continue;
    }
    let value: bigint | boolean;
    try {
      value = evaluate(folded.expr, { ref: () => 0n });
    } catch (e) {
      d.error(a.expr.loc, `assert: ${(e as Error).message}`);
      continue;
    }
    if (value !== true) d.error(a.expr.loc, `assert is false: ${a.expr.text} (${explain(a.expr.ast, spec, lookup)})`);
  }
}

function explain(e: Expr, spec: ElabRegistersSpec, lookup: Lookup): string {
  if (e.k !== "binary") return "";
  const side = (x: Expr) => {
    const f = foldSizes(x, spec, lookup);
    return "error" in f ? "?" : String(evaluate(f.expr, { ref: () => 0n }));
  };
  return `${side(e.left)} ${e.op} ${side(e.right)}`;
}

function typeText(t: ExprType): string {
  return t.t === "int" ? (t.width ? `a ${t.width}-bit integer` : "an integer") : t.t;
}

/**
 * Facts must be comparisons of sums (and constant multiples) of sizes, because that is what the
 * TypeScript target can check at the type level and C can check with _Static_assert.
 */
export function sizeFactShape(e: Expr): { message: string; span: { start: number } } | undefined {
  if (e.k !== "binary" || (e.op !== "==" && e.op !== "!=")) {
    return { message: "a fact must compare two size sums with == or !=", span: e.span };
  }
  return term(e.left) ?? term(e.right);
}

function term(e: Expr): { message: string; span: { start: number } } | undefined {
  if (e.k === "num") return undefined;
  if (e.k === "call" && e.fn === "sizeof") return undefined;
  if (e.k === "binary" && e.op === "+") return term(e.left) ?? term(e.right);
  if (e.k === "binary" && e.op === "*" && (e.left.k === "num" || e.right.k === "num")) return term(e.left) ?? term(e.right);
  return { message: "only sizeof(...), integer constants, + and constant * may appear in a size fact", span: e.span };
}
