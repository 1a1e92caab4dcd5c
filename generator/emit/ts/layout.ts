import type { ElabField, ElabLayout, ElabRegister, Effects } from "../../elaborate/model.ts";
import type { ReservedRange } from "../../model/registers.ts";
import type { Lookup } from "../../elaborate/lookup.ts";
import { hex } from "../../resolve/values.ts";
import { jsDoc, tsString } from "../escape.ts";
import { getCode, tsValueType } from "./bits.ts";
import type { TsFile } from "./file.ts";
import { tsEnumNames, tsShapeNames } from "../../elaborate/names/ts.ts";
import { addressFacts, addressLabelled } from "../../elaborate/spaces.ts";
import { arr, obj, print, type Val } from "./print.ts";

/** The TS name of a layout referenced from `fromSpec`: local name, or imported under an alias. */
export type RefName = (qname: string) => string;

/**
 * One layout or register, printed in prettier's style as data: its field types, a field table and
 * a spec that the support module's `hwspecLayout` turns into the namespace object (accessors, with,
 * patch, parse, format, applyWrite). Shapes of one module with the same fields (PL011's IMSC, RIS,
 * MIS, ICR all take layout pl011_int) share the first one's table, types and decoder.
 */
export function generateLayout(f: TsFile, shape: ElabLayout | ElabRegister, lookup: Lookup, ref: RefName): void {
  const wide = shape.width > 32;
  const V = wide ? "U64" : "number";
  const n = shape.name;
  const id = tsShapeNames(shape.ids.ts);
  const nested = (fl: ElabField) => (fl.layout ? lookup.layouts.get(fl.layout) : undefined);
  const reg = shape.role === "register" ? (shape as ElabRegister) : undefined;
  const out: string[] = [];
  const lines = (...l: string[]) => out.push(...l);

  const key = tableKey(shape, lookup);
  const first = f.sharedShapes.get(key);
  if (!first) f.sharedShapes.set(key, { ts: shape.ids.ts, name: n });
  const own = first === undefined;
  const base = tsShapeNames(first?.ts ?? shape.ids.ts);

  if (own) {
    for (const fl of shape.fields) if (fl.enum.length) lines(...enumLines(n, fl));
    lines(...doc(`Decoded fields of ${n}.`, 0));
    if (!shape.fields.length) lines(`export interface ${id.Fields} {}`);
    else {
      lines(`export interface ${id.Fields} {`);
      for (const fl of shape.fields) {
        const l = nested(fl);
        lines(...doc(fl.doc, 2), `  readonly ${fl.name}: ${l ? tsShapeNames(ref(l.qname)).Fields : enumTypes(n, fl).get};`);
      }
      lines("}");
    }
  } else {
    lines(...doc(`Decoded fields of ${n}: those of ${first!.name}.`, 0), `export type ${id.Fields} = ${base.Fields};`);
  }
  lines("", ...doc(`Any subset of the fields of ${n}, for building values (encode, patch).`, 0));
  lines(...typeArgs(`export type ${id.Input} = InputOf`, [id.Fields, `typeof ${id.spec}`]), "");
  lines(...doc(`Fields of ${n} that software may write (with).`, 0));
  lines(...typeArgs(`export type ${id.Patch} = PatchOf`, [id.Fields, `typeof ${id.spec}`]), "");

  if (own) {
    const common = mostCommon(shape.fields.map((fl) => fl.access));
    f.sharedDefault.set(key, common);
    f.sharedAccess.set(key, shape.fields.map((fl) => fl.access));
    const table = obj(
      shape.fields.map((fl) => [fl.name, fieldSpec(fl, lookup, common)] as const),
      true,
    );
    lines(...print(table, 0, `const ${id.table}: FieldTable = `, ";"), "");
  }

  // Public facts, in the order the namespace object has always listed them.
  const info: [string, Val][] = [
    ["kind", tsString(reg ? "register" : "layout")],
    ["name", tsString(n)],
    ["qname", tsString(shape.qname)],
    ["width", String(shape.width)],
    ["bytes", String(shape.bytes)],
    ["rawBytes", String(shape.rawBytes)],
  ];
  if (reg) {
    const a = addressFacts(reg);
    info.push(["space", tsString(a.space)], [a.numberKey, hex(a.number)]);
    if (a.encoding) {
      const e = a.encoding;
      info.push(["encoding", obj([["op0", String(e.op0)], ["op1", String(e.op1)], ["crn", String(e.crn)], ["crm", String(e.crm)], ["op2", String(e.op2)]])]);
      info.push(["encodingName", tsString(a.encodingName!)]);
    }
    info.push(["access", tsString(reg.access)]);
    if (reg.reset !== undefined) info.push(["reset", tsString(hex(reg.reset, shape.width))]);
  }
  info.push(["res0Mask", tsString(hex(shape.res0Mask, shape.width))], ["res1Mask", tsString(hex(shape.res1Mask, shape.width))]);
  lines(...print(obj(info, true), 0, `const ${id.info} = `, " as const;"), "");

  const accesses = shape.fields.map((fl) => fl.access);
  const common = mostCommon(accesses);
  const enums = shape.fields.filter((fl) => fl.enum.length);
  const nests = shape.fields.filter((fl) => nested(fl));
  // The owner's table states each field's access where it differs from the common one; a shape
  // sharing another's table with other accesses lists every field's.
  const sameAsOwner = !own && shape.fields.every((fl, i) => fl.access === (f.sharedAccess.get(key)![i] ?? common));
  const spec: [string, Val][] = [["fields", base.table]];
  // A register's fields mostly have its own access, which its public facts state already.
  const defaultAccess = f.sharedDefault.get(key) ?? common;
  if (!(own || sameAsOwner)) spec.push(["access", arr(accesses.map((a) => tsString(a)))]);
  else if (defaultAccess !== reg?.access) spec.push(["access", tsString(defaultAccess)]);
  if (shape.reserved.length) spec.push(...reservedSpec(shape.reserved));
  spec.push(["writable", arr(shape.writableFields.map((x) => tsString(x.name)))]);
  if (shape.initial !== 0n) spec.push(["initial", valueCode(shape.initial, wide)]);
  if (enums.length) spec.push(["enums", obj(enums.map((fl) => [fl.name, tsEnumNames(own ? n : first!.name, fl.name).value] as const))]);
  if (nests.length) spec.push(["nested", obj(nests.map((fl) => [fl.name, `() => ${tsShapeNames(ref(nested(fl)!.qname)).value}`] as const))]);
  if (own) {
    const fields = obj(
      shape.fields.map((fl) => {
        const l = nested(fl);
        const get = getCode({ lsb: fl.lsb, width: fl.width, wide });
        return [fl.name, l ? `${tsShapeNames(ref(l.qname)).value}.decode(${get})` : enumTypes(n, fl).cast(get)] as const;
      }),
      true,
    );
    spec.push(["decode", shape.fields.length ? `(v: ${V}): ${id.Fields} => ({` : `(_v: ${V}): ${id.Fields} => ({})`]);
    // The decoder's object is printed by hand below: prettier's arrow-body layout.
    const specLines = print(obj(spec, true), 0, `const ${id.spec} = `, " as const;");
    const last = specLines.pop()!;
    const tail = specLines.pop()!;
    if (shape.fields.length) {
      specLines.push(tail.replace(/,$/, ""), ...print(fields, 2, "", "").slice(1, -1), "  }),");
      if (reg) specLines.push(...effectLines(reg.effects, wide, reg));
    } else {
      specLines.push(tail);
      if (reg) specLines.push(...effectLines(reg.effects, wide, reg));
    }
    specLines.push(last);
    lines(...specLines, "");
  } else {
    spec.push(["decode", `${base.spec}.decode`]);
    const specLines = print(obj(spec, true), 0, `const ${id.spec} = `, " as const;");
    const last = specLines.pop()!;
    if (reg) specLines.push(...effectLines(reg.effects, wide, reg));
    specLines.push(last);
    lines(...specLines, "");
  }

  lines(...doc(`The type of ${n}.`, 0));
  const api = `${reg ? "RegisterApi" : "LayoutApi"}<${V}, ${id.Fields}, typeof ${id.spec}>`;
  const arrayApi = reg?.array ? ` & ArrayApi<${tsString(reg.space === "mmio" ? "offsetOf" : "indexOf")}>` : "";
  const typeLine = `export type ${id.Shape} = typeof ${id.info} & ${api}${arrayApi};`;
  if (typeLine.length <= 110) lines(typeLine);
  // prettier breaks an intersection that does not fit after every `&`.
  else lines(`export type ${id.Shape} = typeof ${id.info} &`, ...(arrayApi ? [`  ${api} &`, `  ${arrayApi.slice(3)};`] : [`  ${api};`]));
  lines("", ...doc(shape.doc, 0, describe(shape, reg)));
  const decl = `export const ${id.value}: ${id.Shape} = hwspecLayout(${id.info}, ${id.spec});`;
  if (decl.length <= 110) lines(decl, "");
  else lines(`export const ${id.value}: ${id.Shape} = hwspecLayout(`, `  ${id.info},`, `  ${id.spec},`, ");", "");

  f.raw(out.join("\n") + "\n");
  f.uses("hwspecLayout", "FieldTable", "InputOf", "PatchOf", reg ? "RegisterApi" : "LayoutApi", "Unnamed", "U64", "u64", "extract64");
  if (reg?.array) f.uses("ArrayApi");
}

/** Fields are shared when everything but access matches: access decides set/with and applyWrite, which stay per shape. */
function tableKey(shape: ElabLayout, lookup: Lookup): string {
  return JSON.stringify([
    shape.width,
    shape.fields.map((fl) => [fl.name, fl.lsb, fl.width, fl.doc, fl.reset?.toString(), fl.constValue?.toString(), fl.layout && lookup.layouts.get(fl.layout)?.qname, fl.enum.map((e) => [e.name, e.value.toString()]), fl.enumTotal, fl.signed, fl.source]),
  ]);
}

function fieldSpec(fl: ElabField, lookup: Lookup, common: string): Val {
  const parts: [string, Val][] = [
    ["lsb", String(fl.lsb)],
    ["width", String(fl.width)],
  ];
  if (fl.access !== common) parts.push(["access", tsString(fl.access)]);
  if (fl.reset !== undefined) parts.push(["reset", tsString(hex(fl.reset))]);
  if (fl.constValue !== undefined) parts.push(["const", tsString(hex(fl.constValue))]);
  if (fl.layout) parts.push(["layout", tsString(lookup.layouts.get(fl.layout)?.qname ?? fl.layout)]);
  // A numeric field's members are the exported constant, which the spec's `enums` already names
  // (hwspecLayout reports it in `fields`); booleans and U64s have members of another type there.
  if (fl.enum.length && !(fl.width > 1 && fl.width <= 32)) {
    parts.push(["enum", obj(fl.enum.map((e) => [tsKey(e.name), e.value <= 0xffffffffn ? hex(e.value) : tsString(hex(e.value))] as const))]);
  }
  if (fl.signed !== undefined) parts.push(["signed", String(fl.signed)]);
  // No doc: the field's JSDoc on `<X>_Fields` is its one copy (docs/architecture.md).
  if (fl.source) parts.push(["source", tsString(fl.source)]);
  return obj(parts);
}

/**
 * The reserved ranges, with the policy and doc that most of them share stated once (`reservedAs`)
 * when two or more share one: SDM-derived registers list many "Reserved." ranges of one policy.
 */
function reservedSpec(list: readonly ReservedRange[]): [string, Val][] {
  const keyOf = (r: ReservedRange) => JSON.stringify([r.policy, r.doc]);
  const common = mostCommon(list.map(keyOf));
  const shared = list.filter((r) => keyOf(r) === common);
  const as = shared.length >= 2 ? shared[0]! : undefined;
  const facts = (r: ReservedRange): [string, Val][] => [["policy", tsString(r.policy)], ...(r.doc ? [["doc", tsString(r.doc)] as [string, Val]] : [])];
  const ranges = arr(list.map((r) => obj([["lsb", String(r.lsb)], ["width", String(r.width)], ...(as && keyOf(r) === common ? [] : facts(r))])));
  return as ? [["reserved", ranges], ["reservedAs", obj(facts(as))]] : [["reserved", ranges]];
}

/** Only the masks a register has: a plain read-write register states one. */
function effectLines(e: Effects, wide: boolean, reg: ElabRegister): string[] {
  const keys = ["store", "once", "w1c", "w1s", "w0c", "w0s", "w1t", "wc", "ws", "rc", "rs", "readZero", "fixedMask", "fixedValue"] as const;
  const masks: [string, Val][] = [];
  for (const k of keys) {
    const m = e[k];
    if (m === 0n) continue;
    masks.push([k, wide ? arr([hex(m & 0xffffffffn), hex(m >> 32n)]) : hex(m)]);
  }
  const out = print(obj(masks), 2, "effects: ", ",");
  if (reg.array) {
    const a = reg.array;
    out.push(...print(obj([["count", String(a.count)], ["stride", hex(a.stride)], ["base", hex(reg.address)], ["what", tsString(reg.space === "mmio" ? "offsetOf" : "indexOf")]]), 2, "array: ", ","));
  }
  return out;
}

/** JSDoc lines at `ind` spaces: one line when it fits, else the block form. */
function doc(text: string, ind: number, extra: string[] = []): string[] {
  const block = jsDoc(text, extra);
  if (!block) return [];
  const pad = " ".repeat(ind);
  const body = block.split("\n").slice(1, -2).map((l) => l.replace(/^ \* ?/, ""));
  if (body.length === 1 && pad.length + body[0]!.length + 7 <= 110) return [`${pad}/** ${body[0]} */`];
  return block.trimEnd().split("\n").map((l) => pad + l);
}

/**
 * TS types of one field, by what its enum covers. Decoded (`get`): the enum's values when they
 * name every value of the field, else those values or an Unnamed number; a 1-bit field stays a
 * boolean and one over 32 bits a U64, whose literal types say no more.
 */
function enumTypes(base: string, fl: ElabField) {
  const plain = tsValueType(fl.width);
  const e = tsEnumNames(base, fl.name);
  if (!fl.enum.length) return { get: plain, cast: (code: string) => code };
  const numeric = fl.width > 1 && fl.width <= 32;
  const get = !numeric ? (fl.width === 1 && fl.enumTotal ? e.value : plain) : fl.enumTotal ? e.value : `${e.value} | Unnamed`;
  // Only a total enum narrows a number to its literals, which TS must be told.
  const cast = (code: string) => (numeric && fl.enumTotal ? `(${code}) as ${e.value}` : code);
  return { get, cast };
}

/**
 * A field's enum: a frozen object of its members (values of the field's own TS type, so they
 * feed setters as they are), the union of its values under the same name and the union of its
 * names. Why not a TS enum: docs/spec-format.md.
 */
function enumLines(base: string, fl: ElabField): string[] {
  const e = tsEnumNames(base, fl.name);
  const wide = fl.width > 32;
  // U64 members are objects: frozen too, so no caller can change the shared constant.
  const literal = (v: bigint) => (fl.width === 1 ? String(v !== 0n) : wide ? `Object.freeze(u64(${hex(v & 0xffffffffn)}, ${hex(v >> 32n)}))` : hex(v));
  // Objects have no literal types, so a U64 enum is typed U64.
  const values = wide ? "U64" : [...new Set(fl.enum.map((m) => literal(m.value)))].join(" | ");
  const members = obj(fl.enum.map((m) => [tsKey(m.name), literal(m.value)] as const));
  const out = [...doc(`Named values of ${base}.${fl.name} (bits ${fl.bits}).`, 0)];
  out.push(...print(members, 0, `export const ${e.value} = Object.freeze(`, wide ? ");" : " as const);"));
  out.push(...doc(`Values of ${base}.${fl.name} that its enum names.`, 0), ...union(`export type ${e.value} = `, values.split(" | ")));
  out.push(...doc(`Member names of ${base}.${fl.name}'s enum.`, 0), ...union(`export type ${e.Name} = `, fl.enum.map((m) => tsString(m.name))));
  out.push("");
  return out;
}

/** A generic type alias, its arguments one per line when it does not fit (prettier's layout). */
function typeArgs(head: string, args: string[]): string[] {
  const one = `${head}<${args.join(", ")}>;`;
  if (one.length <= 110) return [one];
  return [`${head}<`, ...args.map((a, i) => `  ${a}${i < args.length - 1 ? "," : ""}`), ">;"];
}

/** A union type alias, broken one member per line as prettier does when it does not fit. */
function union(head: string, members: string[]): string[] {
  const one = `${head}${members.join(" | ")};`;
  if (one.length <= 110) return [one];
  return [head.trimEnd(), ...members.map((m, i) => `  | ${m}${i === members.length - 1 ? ";" : ""}`)];
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
  if (reg?.array) out.push(`Array of ${reg.array.count} at stride ${hex(reg.array.stride)}: \`${reg.name}.${reg.space === "mmio" ? "offsetOf" : "indexOf"}(i)\`.`);
  return out;
}

/** The most frequent access (the first of equals), which fields then need not state. */
function mostCommon(list: string[]): string {
  const counts = new Map<string, number>();
  for (const a of list) counts.set(a, (counts.get(a) ?? 0) + 1);
  let best = list[0] ?? "rw";
  for (const [a, k] of counts) if (k > (counts.get(best) ?? 0)) best = a;
  return best;
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
