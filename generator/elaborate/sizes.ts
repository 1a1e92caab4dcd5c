import type { Expr } from "../expr/index.ts";
import type { ElabRegistersSpec } from "./model.ts";
import type { Lookup } from "./lookup.ts";
import { groupLength } from "./spaces.ts";

/** Byte size named by `sizeof(path)`, or why it has none. Groups are raw arrays over their index range. */
export function sizeOf(path: string[], spec: ElabRegistersSpec, lookup: Lookup): number | string {
  const [head, ...rest] = path;
  const raw = rest.length === 1 && rest[0] === "raw";
  if (rest.length > 1 || (rest.length === 1 && !raw)) return `sizeof takes a register, layout or group name, optionally with .raw`;
  const shape = spec.registers.find((r) => r.name === head) ?? spec.layouts.find((l) => l.name === head) ?? lookup.layouts.get(head ?? "");
  if (shape) return raw ? shape.rawBytes : shape.bytes;
  const group = spec.groups.find((g) => g.name === head);
  if (group) {
    const member = spec.registers.find((r) => r.name === group.registers[0]);
    const width = member?.width ?? 64;
    return groupLength(spec.space, width, group.first, group.last) * (width / 8);
  }
  return `unknown name "${head}" in sizeof`;
}

/** Replaces every sizeof(...) with its byte count so the generic evaluator can decide the fact. */
export function foldSizes(
  e: Expr,
  spec: ElabRegistersSpec,
  lookup: Lookup,
): { expr: Expr } | { error: string; span: { start: number } } {
  switch (e.k) {
    case "call": {
      const arg = e.args[0];
      if (e.fn !== "sizeof" || !arg || arg.k !== "ref") return { error: "only sizeof(name) can be folded", span: e.span };
      const size = sizeOf(arg.path, spec, lookup);
      if (typeof size === "string") return { error: size, span: arg.span };
      return { expr: { k: "num", value: BigInt(size), span: e.span } };
    }
    case "binary": {
      const l = foldSizes(e.left, spec, lookup);
      if ("error" in l) return l;
      const r = foldSizes(e.right, spec, lookup);
      if ("error" in r) return r;
      return { expr: { ...e, left: l.expr, right: r.expr } };
    }
    case "unary": {
      const a = foldSizes(e.arg, spec, lookup);
      return "error" in a ? a : { expr: { ...e, arg: a.expr } };
    }
    case "cond": {
      const t = foldSizes(e.test, spec, lookup);
      if ("error" in t) return t;
      const a = foldSizes(e.then, spec, lookup);
      if ("error" in a) return a;
      const b = foldSizes(e.else, spec, lookup);
      return "error" in b ? b : { expr: { ...e, test: t.expr, then: a.expr, else: b.expr } };
    }
    default:
      return { expr: e };
  }
}
