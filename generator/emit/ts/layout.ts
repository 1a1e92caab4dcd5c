import type { CodeBlockWriter } from "ts-morph";
import type { ElabField, ElabLayout, ElabRegister } from "../../elaborate/model.ts";
import type { Lookup } from "../../elaborate/lookup.ts";
import { hex } from "../../resolve/values.ts";
import { jsDoc, tsString } from "../escape.ts";
import { getCode, paramName, putCode, tsValueType, validCode, type Slot } from "./bits.ts";
import type { TsFile } from "./file.ts";
import { tsShapeNames } from "../../elaborate/names/ts.ts";

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
    return l ? `${tsShapeNames(ref(l.qname)).Fields}` : tsValueType(fl.width);
  };
  const writable = shape.writableFields;
  const reg = shape.role === "register" ? (shape as ElabRegister) : undefined;

  f.add((w) => {
    w.write(jsDoc(`Decoded fields of ${n}.`));
    w.write(`export interface ${id.Fields} `).block(() => {
      for (const fl of shape.fields) w.write(jsDoc(fl.doc)).writeLine(`readonly ${fl.name}: ${fieldType(fl)};`);
    });
    w.blankLine();
    w.write(jsDoc(`Any subset of the fields of ${n}, for building values (encode, patch).`));
    w.write(`export interface ${id.Input} `).block(() => {
      for (const fl of shape.fields) {
        const l = nested(fl);
        w.writeLine(`readonly ${fl.name}?: ${l ? `${V2(l.width)} | ${tsShapeNames(ref(l.qname)).Input}` : tsValueType(fl.width)};`);
      }
    });
    w.blankLine();
    w.write(jsDoc(`Fields of ${n} that software may write (with).`));
    if (writable.length) {
      w.write(`export interface ${id.Patch} `).block(() => {
        for (const fl of writable) {
          const l = nested(fl);
          w.writeLine(`readonly ${fl.name}?: ${l ? `${V2(l.width)} | ${tsShapeNames(ref(l.qname)).Patch}` : tsValueType(fl.width)};`);
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
        const fail = `rangeFail(${tsString(`${n}.${fl.name}`)}, x, ${fl.width})`;
        const put = putCode(slot(fl));
        // A field as wide as its shape replaces the whole value, so the old one goes unused.
        const old = paramName("v", put);
        w.writeLine(`${fl.name}: (${old}: ${V}, x: ${tsValueType(fl.width)}): ${V} => (${validCode(slot(fl))} ? ${put} : ${fail}),`);
      }
    });
    w.write(";").newLine().blankLine();
    w.write(`const ${id.get} = Object.freeze(`).inlineBlock(() => {
      for (const fl of shape.fields) {
        const l = nested(fl);
        w.write(jsDoc(fl.doc, [`Bits ${fl.bits}${l ? `, layout ${l.qname}` : ""}.`]));
        w.writeLine(`${fl.name}: (v: ${V}): ${tsValueType(fl.width)} => ${getCode(slot(fl))},`);
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
      if (reg?.index !== undefined) w.writeLine(`index: ${hex(reg.index)},`);
      if (reg?.offset !== undefined) w.writeLine(`offset: ${hex(reg.offset)},`);
      if (reg) w.writeLine(`access: ${tsString(reg.access)},`);
      if (reg?.reset !== undefined) w.writeLine(`reset: ${tsString(hex(reg.reset, shape.width))},`);
      w.writeLine(`res0Mask: ${tsString(hex(shape.res0Mask, shape.width))},`);
      w.writeLine(`res1Mask: ${tsString(hex(shape.res1Mask, shape.width))},`);
      writeDescriptors(w, shape, lookup);
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
          w.writeLine(`${fl.name}: ${l ? `${tsShapeNames(ref(l.qname)).value}.decode(${getCode(slot(fl))})` : getCode(slot(fl))},`);
        }
      });
      w.writeLine("),");
      w.writeLine(`/** A value from fields; unnamed fields are zero, const fields and res1 bits take their fixed values. */`);
      w.writeLine(`encode: (fields: ${id.Input}): ${V} => ${id.patch}(${valueCode(shape.initial, wide)}, fields),`);
      w.writeLine(`fromBigInt: (x: bigint): ${V} => ${wide ? `u64FromBigInt(x, ${shape.width})` : `u32FromBigInt(x, ${shape.width})`},`);
      w.writeLine(`toBigInt: (v: ${V}): bigint => ${wide ? "u64ToBigInt(v)" : "BigInt(v >>> 0)"},`);
      w.writeLine(`parse: (text: string): ${V} => ${wide ? `u64FromBigInt(parseUnsigned(text, ${shape.width}), ${shape.width})` : `u32FromBigInt(parseUnsigned(text, ${shape.width}), ${shape.width})`},`);
      w.writeLine(`format: (v: ${V}): string => formatHex(${wide ? "u64ToBigInt(v)" : "BigInt(v >>> 0)"}, ${shape.width}),`);
    });
    w.write(");").newLine();
  });

  f.uses("U64", "u64", "extract64", "deposit64", "isU64", "fitsU64", "rangeFail", "applyPatch", "PatchTable", "definedKeys", "isPatchObject", "u64FromBigInt", "u64ToBigInt", "u32FromBigInt", "parseUnsigned", "formatHex", "NestedTable");
}

const V2 = (width: number) => (width > 32 ? "U64" : "number");

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
    if (fl.enum.length) parts.push(`enum: Object.freeze({ ${fl.enum.map((e) => `${e.name}: ${e.value <= 0xffffffffn ? hex(e.value) : tsString(hex(e.value))}`).join(", ")} })`);
    if (fl.doc) parts.push(`doc: ${tsString(fl.doc)}`);
    w.writeLine(`Object.freeze({ ${parts.join(", ")} }),`);
  }
  w.writeLine("]),");
  w.write("reserved: Object.freeze([").newLine();
  for (const r of shape.reserved) {
    w.writeLine(`Object.freeze({ lsb: ${r.lsb}, width: ${r.width}, policy: ${tsString(r.policy)}${r.doc ? `, doc: ${tsString(r.doc)}` : ""} }),`);
  }
  w.writeLine("]),");
}

/** A constant of the shape's value type. */
function valueCode(v: bigint, wide: boolean): string {
  return wide ? `u64(${hex(v & 0xffffffffn)}, ${hex(v >> 32n)})` : hex(v);
}

function describe(shape: ElabLayout, reg: ElabRegister | undefined): string[] {
  const out = [`${shape.width}-bit ${reg ? "register" : "layout"} ${shape.qname}.`];
  if (reg?.index !== undefined) out.push(`MSR index ${hex(reg.index)}.`);
  if (reg?.offset !== undefined) out.push(`Offset ${hex(reg.offset)}.`);
  return out;
}
