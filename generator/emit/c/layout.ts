import type { ElabLayout, ElabRegister } from "../../elaborate/model.ts";
import type { Lookup } from "../../elaborate/lookup.ts";
import { cFieldMember, cFieldNames, cShapeNames } from "../../elaborate/names/c.ts";
import { addressPhrase, cAddressDefines, SPACES } from "../../elaborate/spaces.ts";
import { hex } from "../../resolve/values.ts";
import { blockComment, commentLines } from "./comment.ts";
import { alignMembers, structMembers } from "./members.ts";
import { cConst, cIdent, cTypeTag, storageType } from "./names.ts";
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
  const { storage, work } = word;
  const narrow = storage !== work;
  const input = (name: string) => (narrow ? `(${work})${name}` : name);
  // cReadValue and cAfterRead give primary expressions (a name or a parenthesised one), so a cast applies to all of it.
  const back = (code: string) => (narrow ? `(${storage})${code}` : code);
  const e = shape.effects;
  const uses = cMergeUses(e);
  const after = cAfterRead(e, word, "raw", input("lanes"));
  const out = [
    "/*",
    ` * ${shape.qname} after a write of \`written\` over the bit lanes \`lanes\`, by each field's access`,
    " * (`once_done`: write-once bits already written since reset).",
    " */",
    `static inline ${storage} ${cIdent(n.applyWrite, "function")}(${storage} old, ${storage} written, ${storage} lanes, ${storage} once_done)`,
    "{",
    `    ${work} raw = old;`,
  ];
  if (!uses.written) out.push("    (void)written;");
  if (!uses.lanes) out.push("    (void)lanes;");
  if (!uses.onceDone) out.push("    (void)once_done;");
  for (const m of cMergeStatements(e, word, { v: "raw", written: input("written"), lanes: input("lanes"), onceDone: input("once_done") })) out.push(`    ${m}`);
  out.push(
    `    return ${back("raw")};`,
    "}",
    "",
    `/* What a read of the bit lanes \`lanes\` of ${shape.qname} returns; \`*stored\` becomes the value after it. */`,
    `static inline ${storage} ${cIdent(n.applyRead, "function")}(${storage} *stored, ${storage} lanes)`,
    "{",
    `    const ${work} raw = *stored;`,
    after === undefined ? "    (void)lanes;" : `    *stored = ${back(after)};`,
    `    return ${back(cReadValue(e, word, "raw"))};`,
    "}",
  );
  return out.join("\n");
}

/**
 * The union of one layout or register, its macros and its get/set helpers. Printed here rather
 * than through a template: a large tree prints tens of thousands of these, and a template's view
 * objects and partial strings were most of the C emitter's time and garbage.
 */
export function generateLayout(shape: Shape, lookup: Lookup): string {
  const tag = cTypeTag(shape);
  const rawType = storageType(shape.width);
  const out = [headerComment(shape)];
  for (const d of shapeDefines(shape)) out.push(`#define ${d.name} ${d.value}`);
  out.push("", `union ${tag} {`, `    ${rawType} raw;`);
  if (shape.fields.length) {
    // Bit-fields sit in 32-bit units; a narrower union needs a packed struct to keep sizeof(raw).
    out.push(shape.width < 32 ? "    struct __attribute__((__packed__)) {" : "    struct {");
    for (const m of alignMembers(structMembers(shape, lookup))) out.push(m.comment ? `        ${m.decl} /* ${m.comment} */` : `        ${m.decl}`);
    out.push("    };");
  }
  out.push("};");
  if (isRegister(shape)) for (const f of arrayFacts(shape)) out.push(`HWSPEC_STATIC_ASSERT(${f.cond}, "${f.message}");`);
  for (const f of shape.fields) {
    const n = cFieldNames(shape, f);
    const member = cFieldMember(f);
    const summary = `${tag}.${member}${member === f.name ? "" : ` (field ${f.name})`}: bits ${f.bits}, ${f.access}` +
      (f.layout ? `, layout ${f.layout}` : "") +
      (f.reset !== undefined ? `, reset ${hex(f.reset)}` : "") +
      (f.signed ? ", signed" : "") +
      (f.source ? ` (${f.source})` : "");
    out.push(
      "",
      blockComment([...commentLines(summary), ...commentLines(f.doc)]),
      `#define ${n.macro}_SHIFT ${f.lsb}`,
      `#define ${n.macro}_WIDTH ${f.width}`,
      `#define ${n.macro}_MASK ${cConst(f.mask, shape.width)}`,
    );
    // Linux's gen-sysreg.awk spelling: SignedEnum true, UnsignedEnum false, nothing when unsaid.
    if (f.signed !== undefined) out.push(`#define ${n.SIGNED} ${f.signed ? "true" : "false"}`);
    for (const e of f.enum) out.push(`#define ${n.enumMember(e.name)} ${cConst(e.value, f.width > 32 ? 64 : 32)}`);
    out.push(`HWSPEC_FIELD_ACCESSORS(${rawType}, ${n.get}, ${n.patch}, ${n.macro})`);
    // Setters exist for fields software may write, as in TS; patch builds values at the edges.
    if (f.writable) out.push(`HWSPEC_FIELD_SETTER(${rawType}, ${n.set}, ${n.patch})`);
  }
  if (isRegister(shape)) out.push("", generateApply(shape));
  return out.join("\n");
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
