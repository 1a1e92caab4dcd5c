import type { Diagnostics } from "../../../diagnostics.ts";
import type { ElabLayout, ElabRegister } from "../../../elaborate/model.ts";
import { hex } from "../../../resolve/values.ts";
import { bitsText } from "../../../elaborate/bits.ts";

const fits = (v: bigint, width: number) => v < 1n << BigInt(width);

/** Enum, reset and const values must fit their fields; a register reset must agree with const fields. */
export function checkValues(shape: ElabLayout | ElabRegister, d: Diagnostics): void {
  for (const f of shape.fields) {
    const where = `${f.width}-bit field "${f.name}"`;
    for (const e of f.enum) {
      if (!fits(e.value, f.width)) d.error(f.loc, `enum value ${e.name} = ${hex(e.value)} does not fit in the ${where}`);
    }
    // Two names for one value compile (each is its own constant) but decode can only show the
    // first, so it is a warning, at the later member, with the source's own positions.
    f.enum.forEach((e, i) => {
      const first = f.enum.findIndex((o) => o.value === e.value);
      if (first === i) return;
      const o = f.enum[first]!;
      const from = (m: typeof e) => (m.source ? ` (${m.source})` : "");
      d.warn(e.loc ?? f.loc, `enum member ${e.name}${from(e)} = ${hex(e.value)} repeats the value of ${o.name}${from(o)} in field "${shape.name}.${f.name}"; decode shows ${o.name}`);
    });
    if (f.reset !== undefined && !fits(f.reset, f.width)) d.error(f.loc, `reset value ${hex(f.reset)} does not fit in the ${where}`);
    if (f.constValue !== undefined && !fits(f.constValue, f.width)) {
      d.error(f.loc, `const value ${hex(f.constValue)} does not fit in the ${where}`);
    }
  }
  if (!("access" in shape) || (shape as ElabRegister).reset === undefined) return;
  const reg = shape as ElabRegister;
  const reset = reg.reset!;
  if (!fits(reset, reg.width)) {
    d.error(reg.loc, `reset value ${hex(reset)} does not fit in the ${reg.width}-bit register ${reg.name}`);
    return;
  }
  for (const f of reg.fields) {
    const inReset = (reset >> BigInt(f.lsb)) & ((1n << BigInt(f.width)) - 1n);
    const expected = f.constValue ?? f.reset;
    if (expected !== undefined && expected !== inReset) {
      d.error(f.loc, `field "${f.name}" is ${hex(expected)} but the register reset ${hex(reset, reg.width)} gives it ${hex(inReset)}`);
    }
  }
  for (const r of reg.reserved) {
    const bits = (reset >> BigInt(r.lsb)) & ((1n << BigInt(r.width)) - 1n);
    const want = r.policy === "res1" ? (1n << BigInt(r.width)) - 1n : r.policy === "res0" ? 0n : bits;
    if (bits !== want) d.error(r.loc, `reset value ${hex(reset, reg.width)} disagrees with ${r.policy} bits ${bitsText(r.lsb, r.width)}`);
  }
}
