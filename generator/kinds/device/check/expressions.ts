import type { Diagnostics } from "../../../diagnostics.ts";
import { formatType, type ExprType } from "../../../expr/index.ts";
import type { ExprLike } from "../../../model/index.ts";
import type { ElabDeviceSpec } from "../../../elaborate/model.ts";
import { offsetLoc } from "../../../resolve/expr.ts";

function checkOne(spec: ElabDeviceSpec, e: ExprLike, expected: ExprType, what: string, d: Diagnostics): void {
  const r = spec.typed.get(e.ast)!;
  for (const err of r.errors) d.error(offsetLoc(e.loc, err.span.start), `${what}: ${err.message}`);
  if (r.errors.length) return;
  if (r.type.t !== expected.t) d.error(e.loc, `${what} must be ${expected.t === "bool" ? "a boolean" : "an integer"}, got ${formatType(r.type)}`);
}

/** Derived values fit their register; interrupt lines are booleans. */
export function checkDeviceExpressions(spec: ElabDeviceSpec, d: Diagnostics): void {
  for (const r of spec.registers) {
    if (r.read.kind === "value") checkOne(spec, r.read.expr, { t: "int", width: r.width }, `value of ${r.name}`, d);
  }
  for (const i of spec.interrupts) checkOne(spec, i.expr, { t: "bool" }, `interrupt ${i.name}`, d);
}
