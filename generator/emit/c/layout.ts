import type { ElabLayout, ElabRegister } from "../../elaborate/model.ts";
import type { Lookup } from "../../elaborate/lookup.ts";
import { cFieldMember, cFieldNames, cShapeNames } from "../../elaborate/names/c.ts";
import { addressPhrase, cAddressDefines, SPACES } from "../../elaborate/spaces.ts";
import { hex } from "../../resolve/values.ts";
import { blockComment, commentLines } from "./comment.ts";
import { alignMembers, structMembers } from "./members.ts";
import { cConst, cIdent, cTypeTag, storageType } from "./names.ts";
import { render } from "./templates.ts";
import { cAfterRead, cMergeStatements, cMergeUses, cReadValue, cWord } from "./effects.ts";

export type Shape = ElabLayout | ElabRegister;

const isRegister = (s: Shape): s is ElabRegister => s.role === "register";

/** `#define`s describing the whole shape: address (element count, stride), reset value, reserved masks. */
function shapeDefines(shape: Shape): { name: string; value: string }[] {
  const n = cShapeNames(shape);
  const out: { name: string; value: string }[] = [];
  if (isRegister(shape)) {
    if (shape.array) out.push({ name: n.COUNT, value: String(shape.array.count) }, { name: n.STRIDE, value: hex(shape.array.stride) });
    for (const m of cAddressDefines(shape)) out.push({ name: m.param ? `${m.name}(${m.param})` : m.name, value: m.value });
  }
  if (isRegister(shape) && shape.reset !== undefined) out.push({ name: n.RESET, value: cConst(shape.reset, shape.width) });
  out.push({ name: n.RES0_MASK, value: cConst(shape.res0Mask, shape.width) });
  out.push({ name: n.RES1_MASK, value: cConst(shape.res1Mask, shape.width) });
  out.push({ name: n.IGNORE_MASK, value: cConst(shape.ignoreMask, shape.width) });
  return out;
}
function headerComment(shape: Shape): string {
  const what = isRegister(shape)
    ? `${shape.width}-bit register ${shape.qname}, ${addressPhrase(shape)}` +
      (shape.array ? `, array of ${shape.array.count} at stride ${hex(shape.array.stride)}` : "") +
      `, ${shape.access}`
    : `${shape.width}-bit layout ${shape.qname}`;
  return blockComment([...commentLines(what), ...commentLines(shape.doc), ...(shape.source ? commentLines(`From: ${shape.source}`) : [])]);
}

/**
 * Facts the compiler checks about an array register: its elements do not overlap (the stride is
 * at least one element: its bytes for MMIO, the space's step between registers otherwise).
 */
function arrayFacts(shape: ElabRegister): { cond: string; message: string }[] {
  if (!shape.array) return [];
  const n = cShapeNames(shape);
  const step = shape.space === "mmio" ? `sizeof(union ${cTypeTag(shape)})` : hex(SPACES[shape.space].step(shape.width));
  return [{ cond: `${n.COUNT} == 1 || ${n.STRIDE} >= ${step}`, message: `${shape.name}: array elements do not overlap` }];
}

/** `<reg>_apply_write` and `<reg>_apply_read`, printed from the register's Effects masks. */
export function generateApply(shape: ElabRegister): string {
  const n = cShapeNames(shape);
  const word = cWord(shape.width);
  const narrow = word.storage !== word.work;
  const input = (name: string) => (narrow ? `(${word.work})${name}` : name);
  // cReadValue and cAfterRead give primary expressions (a name or a parenthesised one), so a cast applies to all of it.
  const back = (code: string) => (narrow ? `(${word.storage})${code}` : code);
  const e = shape.effects;
  const uses = cMergeUses(e);
  const after = cAfterRead(e, word, "raw", input("lanes"));
  return render("apply", {
    name: shape.qname,
    storage: word.storage,
    work: word.work,
    write: cIdent(n.applyWrite, "function"),
    read: cIdent(n.applyRead, "function"),
    unused: [...(uses.written ? [] : ["written"]), ...(uses.lanes ? [] : ["lanes"]), ...(uses.onceDone ? [] : ["once_done"])],
    merge: cMergeStatements(e, word, { v: "raw", written: input("written"), lanes: input("lanes"), onceDone: input("once_done") }),
    result: back("raw"),
    after: after === undefined ? undefined : back(after),
    value: back(cReadValue(e, word, "raw")),
  }).trimEnd();
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
      (f.reset !== undefined ? `, reset ${hex(f.reset)}` : "") +
      (f.signed ? ", signed" : "") +
      (f.source ? ` (${f.source})` : "");
    return {
      comment: blockComment([...commentLines(summary), ...commentLines(f.doc)]),
      macro: n.macro,
      shift: String(f.lsb),
      width: String(f.width),
      mask: cConst(f.mask, shape.width),
      // Linux's gen-sysreg.awk spelling: SignedEnum true, UnsignedEnum false, nothing when unsaid.
      signed: f.signed === undefined ? undefined : { name: n.SIGNED, value: f.signed ? "true" : "false" },
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
    facts: isRegister(shape) ? arrayFacts(shape) : [],
    fields,
    apply: isRegister(shape) ? generateApply(shape) : undefined,
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
