import type { Expr } from "../../expr/index.ts";
import type { ElabRegistersSpec } from "../../elaborate/model.ts";
import type { Lookup } from "../../elaborate/lookup.ts";
import { commentLines } from "./comment.ts";
import { cAssertionsFunction, cGroupTag } from "../../elaborate/names/c.ts";
import { cIdent, cTypeTag } from "./names.ts";
import { render } from "./templates.ts";

/** `sizeof(name)` or `sizeof(name.raw)` in C, resolved the way the checker's sizeOf() resolves it. */
function sizeofC(path: string[], spec: ElabRegistersSpec, lookup: Lookup): string {
  const [head = "", ...rest] = path;
  const raw = rest.length === 1 && rest[0] === "raw";
  if (rest.length > 1 || (rest.length === 1 && !raw)) throw new Error(`internal: sizeof(${path.join(".")}) is not a size term`);
  const shape = spec.registers.find((r) => r.name === head) ?? spec.layouts.find((l) => l.name === head) ?? lookup.layouts.get(head);
  const group = spec.groups.find((g) => g.name === head);
  const type = shape ? `union ${cTypeTag(shape)}` : group ? `union ${cIdent(cGroupTag(group), "group C name")}` : undefined;
  if (!type) throw new Error(`internal: unknown name "${head}" in a size fact of ${spec.name}`);
  return raw ? `HWSPEC_MEMBER_SIZE(${type}, raw)` : `sizeof(${type})`;
}

/** A size fact (comparison of sums of sizeof terms and constants) as a C expression. */
export function factToC(e: Expr, spec: ElabRegistersSpec, lookup: Lookup): string {
  switch (e.k) {
    case "num":
      return `${e.value}u`;
    case "call": {
      const arg = e.args[0];
      if (e.fn !== "sizeof" || !arg || arg.k !== "ref") throw new Error(`internal: ${e.fn}() in a size fact`);
      return sizeofC(arg.path, spec, lookup);
    }
    case "binary":
      if (!["==", "!=", "+", "*"].includes(e.op)) throw new Error(`internal: operator ${e.op} in a size fact`);
    {
      const wrap = (x: Expr) => (e.op === "*" && x.k === "binary" ? `(${factToC(x, spec, lookup)})` : factToC(x, spec, lookup));
      return `${wrap(e.left)} ${e.op} ${wrap(e.right)}`;
    }
    default:
      throw new Error(`internal: ${e.k} in a size fact`);
  }
}

/** The negation BUILD_BUG_ON wants: `a == b` becomes `a != b` and the reverse. */
function violated(e: Expr, spec: ElabRegistersSpec, lookup: Lookup): string {
  if (e.k !== "binary" || (e.op !== "==" && e.op !== "!=")) throw new Error("internal: a size fact must be == or !=");
  const op = e.op === "==" ? "!=" : "==";
  const side = (x: Expr) => (x.k === "binary" ? `(${factToC(x, spec, lookup)})` : factToC(x, spec, lookup));
  return `${side(e.left)} ${op} ${side(e.right)}`;
}

/** `<ns>_build_assertions()`: one BUILD_BUG_ON per size fact of the spec, in spec order. */
export function generateAssertions(spec: ElabRegistersSpec, lookup: Lookup): string {
  return render("assertions", {
    spec: commentLines(spec.name).join(" "),
    fn: cIdent(cAssertionsFunction(spec), "function"),
    facts: spec.asserts.map((a) => ({
      doc: commentLines(a.doc || a.expr.text).join(" "),
      cond: violated(a.expr.ast, spec, lookup),
    })),
  }).trimEnd();
}
