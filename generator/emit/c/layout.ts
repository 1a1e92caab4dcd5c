import type { ElabLayout, ElabRegister } from "../../elaborate/model.ts";
import type { Lookup } from "../../elaborate/lookup.ts";
import { cFieldMember, cFieldNames, cShapeNames } from "../../elaborate/names/c.ts";
import { addressPhrase, cAddressDefines } from "../../elaborate/spaces.ts";
import { hex } from "../../resolve/values.ts";
import { blockComment, commentLines } from "./comment.ts";
import { alignMembers, structMembers } from "./members.ts";
import { cConst, cTypeTag, storageType } from "./names.ts";
import { render } from "./templates.ts";

export type Shape = ElabLayout | ElabRegister;

const isRegister = (s: Shape): s is ElabRegister => s.role === "register";

/** `#define`s describing the whole shape: address, reset value, reserved masks. */
function shapeDefines(shape: Shape): { name: string; value: string }[] {
  const n = cShapeNames(shape);
  const out: { name: string; value: string }[] = [];
  if (isRegister(shape)) out.push(...cAddressDefines(shape));
  if (isRegister(shape) && shape.reset !== undefined) out.push({ name: n.RESET, value: cConst(shape.reset, shape.width) });
  out.push({ name: n.RES0_MASK, value: cConst(shape.res0Mask, shape.width) });
  out.push({ name: n.RES1_MASK, value: cConst(shape.res1Mask, shape.width) });
  return out;
}
function headerComment(shape: Shape): string {
  const what = isRegister(shape)
    ? `${shape.width}-bit register ${shape.qname}, ${addressPhrase(shape)}, ${shape.access}`
    : `${shape.width}-bit layout ${shape.qname}`;
  return blockComment([...commentLines(what), ...commentLines(shape.doc)]);
}

/** The union of one layout or register, its macros and its get/set helpers. */
export function generateLayout(shape: Shape, lookup: Lookup): string {
  const tag = cTypeTag(shape);
  const rawType = storageType(shape.width);
  const members = structMembers(shape, lookup);
  const fields = shape.fields.map((f) => {
    const n = cFieldNames(shape, f);
    const member = cFieldMember(f);
    const summary = `${tag}.${member}${member === f.name ? "" : ` (field ${f.name})`}: bits ${f.bits}, ${f.access}` +
      (f.layout ? `, layout ${f.layout}` : "") +
      (f.reset !== undefined ? `, reset ${hex(f.reset)}` : "");
    return {
      comment: blockComment([...commentLines(summary), ...commentLines(f.doc)]),
      macro: n.macro,
      shift: String(f.lsb),
      width: String(f.width),
      mask: cConst(f.mask, shape.width),
      enums: f.enum.map((e) => ({ name: n.enumMember(e.name), value: cConst(e.value, f.width > 32 ? 64 : 32) })),
      getter: n.get,
      // Setters exist for fields software may write, as in TS; patch builds values at the edges.
      setter: f.writable ? n.set : undefined,
      patcher: n.patch,
    };
  });
  return render("layout", {
    comment: headerComment(shape),
    defines: shapeDefines(shape),
    tag,
    rawType,
    // Bit-fields sit in 32-bit units; a narrower union needs a packed struct to keep sizeof(raw).
    packed: shape.width < 32,
    hasStruct: shape.fields.length > 0,
    members: alignMembers(members),
    fields,
  }).trimEnd();
}

/**
 * The reusable part for any spec kind made of bit layouts (registers, device registers, page-table
 * entries): one section per shape, in the order given. Nested layouts must be declared earlier in
 * the same header or in an included one. Identifiers were checked for collisions across the tree
 * when the model was elaborated.
 */
export function generateLayouts(shapes: Shape[], lookup: Lookup): string[] {
  return shapes.map((s) => generateLayout(s, lookup));
}
