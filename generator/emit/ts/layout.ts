import type { CodeBlockWriter } from "ts-morph";
import type { ElabField, ElabLayout, ElabRegister } from "../../elaborate/model.ts";
import type { Lookup } from "../../elaborate/lookup.ts";
import { hex } from "../../resolve/values.ts";
import { jsDoc, tsString } from "../escape.ts";
import { getCode, paramName, putCode, tsValueType, validCode, type Slot } from "./bits.ts";
import type { TsFile } from "./file.ts";
import { tsEnumNames, tsShapeNames } from "../../elaborate/names/ts.ts";
import { applyMembers } from "./effects.ts";
import { addressFacts, addressLabelled } from "../../elaborate/spaces.ts";

/** The TS name of a layout referenced from `fromSpec`: local name, or imported under an alias. */
export type RefName = (qname: string) => string;

/** One layout or register: its field types and a frozen namespace object with descriptor and accessors. */
export function generateLayout(f: TsFile, shape: ElabLayout | ElabRegister, lookup: Lookup, ref: RefName): void {
  const wide = shape.width > 32;
  const V = wide ? "U64" : "number";
  // Identifiers come from the elaborated names; strings (descriptors, messages, docs) keep the spec's name.
  const n = shape.name;
  const id = tsShapeNames(shape.ids.ts);
  const slot = (fl: ElabField): Slot => ({ lsb: fl.lsb, width: fl.width, wide });
  const nested = (fl: ElabField) => (fl.layout ? lookup.layouts.get(fl.layout) : undefined);
  const fieldType = (fl: ElabField) => {
    const l = nested(fl);
    return l ? `${tsShapeNames(ref(l.qname)).Fields}` : enumTypes(n, fl).get;
  };
  const writable = shape.writableFields;
  const reg = shape.role === "register" ? (shape as ElabRegister) : undefined;

  f.add((w) => {
    for (const fl of shape.fields) if (fl.enum.length) writeEnum(w, n, fl);
    w.write(jsDoc(`Decoded fields of ${n}.`));
    w.write(`export interface ${id.Fields} `).block(() => {
      for (const fl of shape.fields) w.write(jsDoc(fl.doc)).writeLine(`readonly ${fl.name}: ${fieldType(fl)};`);
    });
    w.blankLine();
    w.write(jsDoc(`Any subset of the fields of ${n}, for building values (encode, patch).`));
    w.write(`export interface ${id.Input} `).block(() => {
      for (const fl of shape.fields) {
        const l = nested(fl);
        w.writeLine(`readonly ${fl.name}?: ${l ? `${V2(l.width)} | ${tsShapeNames(ref(l.qname)).Input}` : enumTypes(n, fl).set};`);
      }
    });
    w.blankLine();
    w.write(jsDoc(`Fields of ${n} that software may write (with).`));
    if (writable.length) {
      w.write(`export interface ${id.Patch} `).block(() => {
        for (const fl of writable) {
          const l = nested(fl);
          w.writeLine(`readonly ${fl.name}?: ${l ? `${V2(l.width)} | ${tsShapeNames(ref(l.qname)).Patch}` : enumTypes(n, fl).set};`);
        }
      });
    } else w.writeLine(`export type ${id.Patch} = { readonly [key: string]: never };`);
    w.blankLine();

    const list = shape.fields.filter((fl) => nested(fl));
    w.write(`const ${id.nested}: NestedTable = `).inlineBlock(() => {
      for (const fl of list) w.writeLine(`${fl.name}: () => ${tsShapeNames(ref(nested(fl)!.qname)).value},`);
    });
    w.write(";").newLine().blankLine();
    w.write(`const ${id.put} = `).inlineBlock(() => {
      for (const fl of shape.fields) {
        const target = tsString(`${n}.${fl.name}`);
        const t = enumTypes(n, fl);
        // A name fails the numeric check and takes the out-of-line path back in with its value.
        const fail = fl.enum.length ? `${id.put}.${fl.name}(v, enumValue(${target}, ${t.constant}, x, ${fl.width}))` : `rangeFail(${target}, x, ${fl.width})`;
        // A name is a string the numeric test rejects; the cast is erased, so numbers take today's path.
        const x = t.numeric ? "(x as number)" : "x";
        const put = putCode(slot(fl), "v", x);
        // A field as wide as its shape replaces the whole value, so the old one goes unused.
        const old = paramName("v", put + fail);
        w.writeLine(`${fl.name}: (${old}: ${V}, x: ${t.set}): ${V} => (${validCode(slot(fl), x)} ? ${put} : ${fail}),`);
      }
    });
    w.write(";").newLine().blankLine();
    w.write(`const ${id.get} = Object.freeze(`).inlineBlock(() => {
      for (const fl of shape.fields) {
        const l = nested(fl);
        w.write(jsDoc(fl.doc, [`Bits ${fl.bits}${l ? `, layout ${l.qname}` : ""}.`]));
        const t = enumTypes(n, fl);
        w.writeLine(`${fl.name}: (v: ${V}): ${t.get} => ${t.cast(getCode(slot(fl)))},`);
      }
    });
    w.write(");").newLine().blankLine();
    w.writeLine(`const ${id.writable}: ReadonlySet<string> = new Set([${writable.map((x) => tsString(x.name)).join(", ")}]);`);
    w.writeLine(`const ${id.all}: ReadonlySet<string> = new Set([${shape.fields.map((x) => tsString(x.name)).join(", ")}]);`);
    w.writeLine(`const ${id.table}: PatchTable<${V}> = { name: ${tsString(n)}, get: ${id.get}, put: ${id.put}, nested: ${id.nested} };`);
    w.blankLine();
    writeApply(w, shape, writable, "with", V, ref, lookup);
    writeApply(w, shape, shape.fields, "patch", V, ref, lookup);

    w.write(jsDoc(shape.doc, describe(shape, reg)));
    w.write(`export const ${id.value} = Object.freeze(`).inlineBlock(() => {
      w.writeLine(`kind: ${tsString(reg ? "register" : "layout")},`);
      w.writeLine(`name: ${tsString(n)},`);
      w.writeLine(`qname: ${tsString(shape.qname)},`);
      w.writeLine(`width: ${shape.width},`);
      w.writeLine(`bytes: ${shape.bytes},`);
      w.writeLine(`rawBytes: ${shape.rawBytes},`);
      if (reg) writeAddress(w, reg);
      if (reg) w.writeLine(`access: ${tsString(reg.access)},`);
      if (reg?.reset !== undefined) w.writeLine(`reset: ${tsString(hex(reg.reset, shape.width))},`);
      w.writeLine(`res0Mask: ${tsString(hex(shape.res0Mask, shape.width))},`);
      w.writeLine(`res1Mask: ${tsString(hex(shape.res1Mask, shape.width))},`);
      writeDescriptors(w, shape, lookup);
      const enums = shape.fields.filter((fl) => fl.enum.length);
      if (enums.length) {
        w.writeLine(`/** Enum constants by field name: the objects exported as ${tsEnumNames(n, enums[0]!.name).value} and so on. */`);
        w.writeLine(`enums: Object.freeze({ ${enums.map((fl) => `${fl.name}: ${tsEnumNames(n, fl.name).value}`).join(", ")} }),`);
      }
      w.writeLine(`get: ${id.get},`);
      w.write("set: Object.freeze(").inlineBlock(() => {
        for (const fl of writable) w.writeLine(`${fl.name}: ${id.put}.${fl.name},`);
      });
      w.writeLine("),");
      w.writeLine(`/** Sets writable fields; nested layouts take a raw value or a patch of their own. */`);
      w.writeLine(`with: ${id.with},`);
      w.writeLine(`/** Sets any fields, read-only ones included: for building values at the edges. */`);
      w.writeLine(`patch: ${id.patch},`);
      w.write(`decode: (v: ${V}): ${id.Fields} => (`).inlineBlock(() => {
        for (const fl of shape.fields) {
          const l = nested(fl);
          w.writeLine(`${fl.name}: ${l ? `${tsShapeNames(ref(l.qname)).value}.decode(${getCode(slot(fl))})` : enumTypes(n, fl).cast(getCode(slot(fl)))},`);
        }
      });
      w.writeLine("),");
      w.writeLine(`/** A value from fields; unnamed fields are zero, const fields and res1 bits take their fixed values. */`);
      w.writeLine(`encode: (fields: ${id.Input}): ${V} => ${id.patch}(${valueCode(shape.initial, wide)}, fields),`);
      w.writeLine(`fromBigInt: (x: bigint): ${V} => ${wide ? `u64FromBigInt(x, ${shape.width})` : `u32FromBigInt(x, ${shape.width})`},`);
      w.writeLine(`toBigInt: (v: ${V}): bigint => ${wide ? "u64ToBigInt(v)" : "BigInt(v >>> 0)"},`);
      w.writeLine(`parse: (text: string): ${V} => ${wide ? `u64FromBigInt(parseUnsigned(text, ${shape.width}), ${shape.width})` : `u32FromBigInt(parseUnsigned(text, ${shape.width}), ${shape.width})`},`);
      w.writeLine(`format: (v: ${V}): string => formatHex(${wide ? "u64ToBigInt(v)" : "BigInt(v >>> 0)"}, ${shape.width}),`);
      if (reg) {
        w.writeLine(`/** The stored value after writing \`written\` over the bit lanes \`lanes\` (default all), by each field's access; \`onceDone\` marks write-once bits already written since reset. */`);
        for (const line of applyMembers(shape.effects, shape.width)) w.writeLine(line);
      }
      if (reg?.array) writeArrayMembers(w, reg);
    });
    w.write(");").newLine();
  });

  f.uses("U64_ONES", "U64_ZERO", "indexFail", "U64", "u64", "extract64", "deposit64", "isU64", "fitsU64", "rangeFail", "enumValue", "Unnamed", "applyPatch", "PatchTable", "definedKeys", "isPatchObject", "u64FromBigInt", "u64ToBigInt", "u32FromBigInt", "parseUnsigned", "formatHex", "NestedTable");
}

const V2 = (width: number) => (width > 32 ? "U64" : "number");

/** The element-address helper of an array: `offsetOf` for MMIO offsets, `indexOf` for numbered spaces. */
const arrayAddressMember = (reg: ElabRegister) => (reg.space === "mmio" ? "offsetOf" : "indexOf");

/** `count`, `stride` and the bounds-checked address of element i of a register array. */
function writeArrayMembers(w: CodeBlockWriter, reg: ElabRegister): void {
  const a = reg.array!;
  const base = reg.address;
  const what = arrayAddressMember(reg);
  w.writeLine(`count: ${a.count},`);
  w.writeLine(`stride: ${hex(a.stride)},`);
  w.writeLine(`/** The ${reg.space === "mmio" ? "offset" : "address"} of element \`i\` (0 ≤ i < ${a.count}); any other i throws HwspecIndexError. */`);
  w.writeLine(`${what}: (i: number): number => (Number.isInteger(i) && i >= 0 && i < ${a.count} ? ${hex(base)} + i * ${hex(a.stride)} : indexFail(${tsString(reg.name)}, i, ${a.count})),`);
}

/**
 * TS types of one field, by what its enum covers. Decoded (`get`): the enum's values when they
 * name every value of the field, else those values or an Unnamed number; a 1-bit field stays a
 * boolean and one over 32 bits a U64, whose literal types say no more. Accepted (`set`): any
 * value of the field, or a member's name.
 */
function enumTypes(base: string, fl: ElabField) {
  const plain = tsValueType(fl.width);
  const e = tsEnumNames(base, fl.name);
  if (!fl.enum.length) return { get: plain, set: plain, numeric: false, constant: "", cast: (code: string) => code };
  const numeric = fl.width > 1 && fl.width <= 32;
  const get = !numeric ? (fl.width === 1 && fl.enumTotal ? e.value : plain) : fl.enumTotal ? e.value : `${e.value} | Unnamed`;
  const set = numeric ? `${e.value} | ${e.Name} | Unnamed` : `${plain} | ${e.Name}`;
  // Only a total enum narrows a number to its literals, which TS must be told.
  const cast = (code: string) => (numeric && fl.enumTotal ? `(${code}) as ${e.value}` : code);
  return { get, set, numeric, constant: e.value, cast };
}

/**
 * A field's enum: a frozen object of its members (values of the field's own TS type, so they
 * feed setters as they are), the union of its values under the same name and the union of its
 * names. Why not a TS enum: docs/spec-format.md.
 */
function writeEnum(w: CodeBlockWriter, base: string, fl: ElabField): void {
  const e = tsEnumNames(base, fl.name);
  const wide = fl.width > 32;
  // U64 members are objects: frozen too, so no caller can change the shared constant.
  const literal = (v: bigint) => (fl.width === 1 ? String(v !== 0n) : wide ? `Object.freeze(u64(${hex(v & 0xffffffffn)}, ${hex(v >> 32n)}))` : hex(v));
  // Objects have no literal types, so a U64 enum is typed U64.
  const values = wide ? "U64" : [...new Set(fl.enum.map((m) => literal(m.value)))].join(" | ");
  w.write(jsDoc(`Named values of ${base}.${fl.name} (bits ${fl.bits}).`));
  w.writeLine(`export const ${e.value} = Object.freeze({ ${fl.enum.map((m) => `${tsKey(m.name)}: ${literal(m.value)}`).join(", ")} }${wide ? "" : " as const"});`);
  w.write(jsDoc(`Values of ${base}.${fl.name} that its enum names.`));
  w.writeLine(`export type ${e.value} = ${values};`);
  w.write(jsDoc(`Member names of ${base}.${fl.name}'s enum.`));
  w.writeLine(`export type ${e.Name} = ${fl.enum.map((m) => tsString(m.name)).join(" | ")};`);
  w.blankLine();
}

/**
 * A field-by-field `with` (writable fields) or `patch` (all fields): one test per field instead
 * of a generic loop over names. A key it does not know falls through to applyPatch, which throws
 * the precise error (unknown field, not writable).
 */
function writeApply(
  w: CodeBlockWriter,
  shape: ElabLayout,
  fields: ElabField[],
  mode: "with" | "patch",
  V: string,
  ref: RefName,
  lookup: Lookup,
): void {
  const id = tsShapeNames(shape.ids.ts);
  const arg = mode === "with" ? `${id.Patch}` : `${id.Input}`;
  w.write(`function ${id[mode]}(v: ${V}, p: ${arg}): ${V} `).block(() => {
    if (!fields.length) {
      w.writeLine(`return definedKeys(p) === 0 ? v : applyPatch(${id.table}, ${mode === "with" ? id.writable : id.all}, v, p);`);
      return;
    }
    w.writeLine("let out = v;");
    w.writeLine("let seen = 0;");
    for (const fl of fields) {
      const l = fl.layout ? lookup.layouts.get(fl.layout) : undefined;
      const x = `p.${fl.name}`;
      if (!l) {
        w.writeLine(`if (${x} !== undefined) { out = ${id.put}.${fl.name}(out, ${x}); seen++; }`);
        continue;
      }
      const L = tsShapeNames(ref(l.qname));
      const inner = `${L.value}.${mode}(${id.get}.${fl.name}(out), x as ${mode === "with" ? L.Patch : L.Input})`;
      w.writeLine(`if (${x} !== undefined) { const x = ${x}; out = ${id.put}.${fl.name}(out, isPatchObject(x) ? ${inner} : (x as ${V2(l.width)})); seen++; }`);
    }
    w.writeLine(`return seen === definedKeys(p) ? out : applyPatch(${id.table}, ${mode === "with" ? id.writable : id.all}, v, p);`);
  });
  w.blankLine();
}

function writeDescriptors(w: CodeBlockWriter, shape: ElabLayout, lookup: Lookup): void {
  w.write("fields: Object.freeze([").newLine();
  for (const fl of shape.fields) {
    const parts = [
      `name: ${tsString(fl.name)}`,
      `lsb: ${fl.lsb}`,
      `width: ${fl.width}`,
      `access: ${tsString(fl.access)}`,
    ];
    if (fl.reset !== undefined) parts.push(`reset: ${tsString(hex(fl.reset))}`);
    if (fl.constValue !== undefined) parts.push(`const: ${tsString(hex(fl.constValue))}`);
    if (fl.layout) parts.push(`layout: ${tsString(lookup.layouts.get(fl.layout)?.qname ?? fl.layout)}`);
    if (fl.enum.length) parts.push(`enum: Object.freeze({ ${fl.enum.map((e) => `${tsKey(e.name)}: ${e.value <= 0xffffffffn ? hex(e.value) : tsString(hex(e.value))}`).join(", ")} })`);
    if (fl.signed !== undefined) parts.push(`signed: ${fl.signed}`);
    if (fl.doc) parts.push(`doc: ${tsString(fl.doc)}`);
    if (fl.source) parts.push(`source: ${tsString(fl.source)}`);
    w.writeLine(`Object.freeze({ ${parts.join(", ")} }),`);
  }
  w.writeLine("]),");
  w.write("reserved: Object.freeze([").newLine();
  for (const r of shape.reserved) {
    w.writeLine(`Object.freeze({ lsb: ${r.lsb}, width: ${r.width}, policy: ${tsString(r.policy)}${r.doc ? `, doc: ${tsString(r.doc)}` : ""} }),`);
  }
  w.writeLine("]),");
}

/** An object key: bare when it is an identifier, quoted otherwise (enum members may start with a digit: `52_BIT`). */
function tsKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : tsString(name);
}

/** A constant of the shape's value type. */
function valueCode(v: bigint, wide: boolean): string {
  return wide ? `u64(${hex(v & 0xffffffffn)}, ${hex(v >> 32n)})` : hex(v);
}

function describe(shape: ElabLayout, reg: ElabRegister | undefined): string[] {
  const out = [`${shape.width}-bit ${reg ? "register" : "layout"} ${shape.qname}.`];
  if (reg) out.push(`${capitalised(addressLabelled(reg))}.`);
  if (reg?.array) out.push(`Array of ${reg.array.count} at stride ${hex(reg.array.stride)}: \`${reg.name}.${arrayAddressMember(reg)}(i)\`.`);
  return out;
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `space`, the number under its space's key and, for a system register, its fields and generic name. */
function writeAddress(w: CodeBlockWriter, reg: ElabRegister): void {
  const a = addressFacts(reg);
  w.writeLine(`space: ${tsString(a.space)},`);
  w.writeLine(`${a.numberKey}: ${hex(a.number)},`);
  if (a.encoding) {
    const e = a.encoding;
    w.writeLine(`encoding: Object.freeze({ op0: ${e.op0}, op1: ${e.op1}, crn: ${e.crn}, crm: ${e.crm}, op2: ${e.op2} }),`);
    w.writeLine(`encodingName: ${tsString(a.encodingName!)},`);
  }
}
