import type { ElabLayout, ElabRegister } from "../../elaborate/model.ts";
import type { Lookup } from "../../elaborate/lookup.ts";
import { formatBits, hex } from "../../resolve/values.ts";
import { blockComment, commentLines } from "./comment.ts";
import { alignMembers, structMembers } from "./members.ts";
import { cConst, cIdent, cMacro, cPrefix, cTypeTag, storageType } from "./names.ts";
import { render } from "./templates.ts";

export type Shape = ElabLayout | ElabRegister;

const isRegister = (s: Shape): s is ElabRegister => "access" in s;
const ones = (width: number) => (1n << BigInt(width)) - 1n;

/** RES0 and RES1 bits of a shape, nested layouts included, at their absolute positions. */
export function reservedMasks(shape: ElabLayout, lookup: Lookup): { res0: bigint; res1: bigint } {
  let res0 = 0n;
  let res1 = 0n;
  const visit = (s: ElabLayout, base: number, depth: number) => {
    for (const r of s.reserved) {
      const m = ones(r.width) << BigInt(base + r.lsb);
      if (r.policy === "res0") res0 |= m;
      if (r.policy === "res1") res1 |= m;
    }
    for (const f of s.fields) {
      const nested = f.layout ? lookup.layouts.get(f.layout) : undefined;
      if (nested && depth < 8) visit(nested, base + f.lsb, depth + 1);
    }
  };
  visit(shape, 0, 0);
  return { res0, res1 };
}

/** `#define`s describing the whole shape: address, reset value, reserved masks. */
function shapeDefines(shape: Shape, lookup: Lookup): { name: string; value: string }[] {
  const p = cPrefix(shape);
  const out: { name: string; value: string }[] = [];
  if (isRegister(shape) && shape.index !== undefined) out.push({ name: `MSR_${p}`, value: hex(shape.index, 32) });
  if (isRegister(shape) && shape.offset !== undefined) out.push({ name: `${p}_OFFSET`, value: hex(shape.offset) });
  if (isRegister(shape) && shape.reset !== undefined) out.push({ name: `${p}_RESET`, value: cConst(shape.reset, shape.width) });
  const { res0, res1 } = reservedMasks(shape, lookup);
  out.push({ name: `${p}_RES0_MASK`, value: cConst(res0, shape.width) });
  out.push({ name: `${p}_RES1_MASK`, value: cConst(res1, shape.width) });
  return out;
}

function headerComment(shape: Shape): string {
  const what = isRegister(shape)
    ? `${shape.width}-bit register ${shape.qname}` +
      (shape.index !== undefined ? `, MSR ${hex(shape.index)}` : "") +
      (shape.offset !== undefined ? `, offset ${hex(shape.offset)}` : "") +
      `, ${shape.access}`
    : `${shape.width}-bit layout ${shape.qname}`;
  return blockComment([...commentLines(what), ...commentLines(shape.doc)]);
}

/** The union of one layout or register, its macros and its get/set helpers. */
export function generateLayout(shape: Shape, lookup: Lookup): string {
  const tag = cTypeTag(shape);
  const prefix = cPrefix(shape);
  const rawType = storageType(shape.width);
  const members = structMembers(shape, lookup);
  const fields = shape.fields.map((f) => {
    const macro = `${prefix}_${cMacro(f.name, "field name")}`;
    const summary = `${tag}.${f.name}: bits ${formatBits(f.lsb, f.width)}, ${f.access}` +
      (f.layout ? `, layout ${f.layout}` : "") +
      (f.reset !== undefined ? `, reset ${hex(f.reset)}` : "");
    return {
      comment: blockComment([...commentLines(summary), ...commentLines(f.doc)]),
      macro,
      shift: String(f.lsb),
      width: String(f.width),
      mask: cConst(ones(f.width) << BigInt(f.lsb), shape.width),
      enums: f.enum.map((e) => ({ name: `${macro}_${cMacro(e.name, "enum member")}`, value: cConst(e.value, f.width > 32 ? 64 : 32) })),
      getter: `${tag}_get_${cIdent(f.name, "field name")}`,
      setter: `${tag}_set_${cIdent(f.name, "field name")}`,
    };
  });
  return render("layout", {
    comment: headerComment(shape),
    defines: shapeDefines(shape, lookup),
    tag,
    rawType,
    // Bit-fields sit in 32-bit units; a narrower union needs a packed struct to keep sizeof(raw).
    packed: shape.width < 32,
    hasStruct: shape.fields.length > 0,
    members: alignMembers(members),
    fields,
  }).trimEnd();
}

/** Every macro a shape defines, for collision checks across a header. */
export function macroNames(shape: Shape): string[] {
  const p = cPrefix(shape);
  const out = [`${p}_RES0_MASK`, `${p}_RES1_MASK`];
  if (isRegister(shape)) {
    if (shape.index !== undefined) out.push(`MSR_${p}`);
    if (shape.offset !== undefined) out.push(`${p}_OFFSET`);
    if (shape.reset !== undefined) out.push(`${p}_RESET`);
  }
  for (const f of shape.fields) {
    const m = `${p}_${cMacro(f.name, "field name")}`;
    out.push(`${m}_SHIFT`, `${m}_WIDTH`, `${m}_MASK`, ...f.enum.map((e) => `${m}_${cMacro(e.name, "enum member")}`));
  }
  return out;
}

/**
 * The reusable part for any spec kind made of bit layouts (registers, device registers, page-table
 * entries): one section per shape, in the order given. Nested layouts must be declared earlier in
 * the same header or in an included one. Throws if two shapes would define the same C name.
 */
export function generateLayouts(shapes: Shape[], lookup: Lookup): string[] {
  const seen = new Map<string, string>();
  for (const s of shapes) {
    for (const name of [`union ${cTypeTag(s)}`, ...macroNames(s)]) {
      const prior = seen.get(name);
      if (prior) throw new Error(`C header: ${s.qname} and ${prior} both define ${name}`);
      seen.set(name, s.qname);
    }
  }
  return shapes.map((s) => generateLayout(s, lookup));
}
