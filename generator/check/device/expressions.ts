import type { Diagnostics } from "../../diagnostics.ts";
import { checkExpr, formatType, type ExprType, type Scope } from "../../expr/index.ts";
import type { ExprLike } from "../../model/index.ts";
import type { ElabDeviceRegister, ElabDeviceSpec } from "../../elaborate/model.ts";
import { walkFieldPath, type Lookup } from "../../elaborate/lookup.ts";
import { offsetLoc } from "../../resolve/expr.ts";

/**
 * Names an expression of a device may use: stored registers (bare name or `REG.raw` is the raw
 * value, `REG.field` a field). Derived, hook-read and write-only registers have no value to read
 * without side effects, so naming them is an error.
 */
export function deviceScope(spec: ElabDeviceSpec, lookup: Lookup): Scope {
  return {
    ref(path) {
      const [head, ...rest] = path;
      const reg = spec.registers.find((r) => r.name === head);
      if (!reg) {
        const alias = spec.registers.find((r) => r.aliases.includes(head!));
        if (alias) return { error: `"${head}" is an alias of ${alias.name}; name the register ${alias.name}` };
        return { error: `unknown register "${head}" in ${spec.name}` };
      }
      if (!reg.stored) return { error: `register ${reg.name} has no stored value (${why(reg)}), so expressions cannot read it` };
      if (rest.length === 0 || (rest.length === 1 && rest[0] === "raw")) return { type: { t: "int", width: reg.width } };
      const hit = walkFieldPath(reg, rest, lookup);
      if ("error" in hit) return { error: hit.error };
      return { type: hit.field.width === 1 ? { t: "bool" } : { t: "int", width: hit.field.width } };
    },
    call(fn) {
      return { error: `unknown function "${fn}" (device expressions call no functions)` };
    },
  };
}

function why(r: ElabDeviceRegister): string {
  if (r.read.kind === "value") return "its read value is derived";
  if (r.read.kind === "hook") return `reads come from hook ${r.read.hook}`;
  return "it is write-only";
}

function checkOne(e: ExprLike, scope: Scope, expected: ExprType, what: string, d: Diagnostics): void {
  const r = checkExpr(e.ast, scope, expected);
  for (const err of r.errors) d.error(offsetLoc(e.loc, err.span.start), `${what}: ${err.message}`);
  if (r.errors.length) return;
  if (r.type.t !== expected.t) d.error(e.loc, `${what} must be ${expected.t === "bool" ? "a boolean" : "an integer"}, got ${formatType(r.type)}`);
}

/** Derived values fit their register; interrupt lines are booleans; w1c targets are stored registers. */
export function checkDeviceExpressions(spec: ElabDeviceSpec, lookup: Lookup, d: Diagnostics): void {
  const scope = deviceScope(spec, lookup);
  for (const r of spec.registers) {
    if (r.read.kind === "value") checkOne(r.read.expr, scope, { t: "int", width: r.width }, `value of ${r.name}`, d);
    if (r.write.kind === "w1c") {
      const target = spec.registers.find((x) => x.name === (r.write as { target: string }).target);
      if (!target) d.error(r.write.loc, `register ${r.name} clears unknown register "${r.write.target}"`);
      else if (!target.stored) d.error(r.write.loc, `register ${r.name} clears ${target.name}, which has no stored value`);
    }
  }
  for (const i of spec.interrupts) checkOne(i.expr, scope, { t: "bool" }, `interrupt ${i.name}`, d);
}
