import { checkExpr, type CheckResult, type Expr, type Scope } from "../expr/index.ts";
import type { ElabDeviceRegister, ElabDeviceSpec } from "./model.ts";
import { walkFieldPath, type Lookup } from "./lookup.ts";

/**
 * Names an expression of a device may use: stored registers (bare name or `REG.raw` is the raw
 * value, `REG.field` a field). Derived, hook-read and write-only registers have no value to read
 * without side effects, so naming them is an error.
 */
export function deviceScope(spec: Omit<ElabDeviceSpec, "typed">, lookup: Lookup): Scope {
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
      if (reg.array) return { error: `register ${reg.name} is an array of ${reg.array.count}; expressions name single registers, so derive the value in the runtime or give the element its own register` };
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
  if (r.aliasOf) return `it is an alias of ${r.aliasOf.name}`;
  if (r.read.kind === "value") return "its read value is derived";
  if (r.read.kind === "hook") return `reads come from hook ${r.read.hook}`;
  return "it is write-only";
}

/** Every expression of a device, type-checked once against what its place expects. */
export function typeDeviceExpressions(spec: Omit<ElabDeviceSpec, "typed">, lookup: Lookup): Map<Expr, CheckResult> {
  const scope = deviceScope(spec, lookup);
  const out = new Map<Expr, CheckResult>();
  for (const r of spec.registers) if (r.read.kind === "value") out.set(r.read.expr.ast, checkExpr(r.read.expr.ast, scope, { t: "int", width: r.width }));
  for (const i of spec.interrupts) out.set(i.expr.ast, checkExpr(i.expr.ast, scope, { t: "bool" }));
  return out;
}
