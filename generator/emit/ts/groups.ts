import { emitTs, type Expr } from "../../expr/index.ts";
import type { ElabField, ElabLayout, ElabRegistersSpec } from "../../elaborate/model.ts";
import type { Lookup } from "../../elaborate/lookup.ts";
import { sizeOf } from "../../elaborate/sizes.ts";
import { hex } from "../../resolve/values.ts";
import { jsDoc, tsString } from "../escape.ts";
import { paramName } from "./bits.ts";
import type { TsFile } from "./file.ts";
import type { RefName } from "./layout.ts";
import { tsShapeNames } from "../../elaborate/names/ts.ts";

/** Raw values of a spec's registers by name, the input of availability rules. */
export function generateValues(f: TsFile, spec: ElabRegistersSpec): void {
  if (!spec.registers.length) return;
  f.add((w) => {
    w.write(jsDoc(`Raw values of the registers of ${spec.name}, by name.`));
    w.write("export interface Values ").block(() => {
      for (const r of spec.registers) w.writeLine(`readonly ${r.name}: ${r.width > 32 ? "U64" : "number"};`);
    });
    w.blankLine();
    w.writeLine(`/** Every register of ${spec.name} in address order. */`);
    const ordered = [...spec.registers].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    w.writeLine(`export const registers = Object.freeze([${ordered.map((r) => tsShapeNames(r.ids.ts).value).join(", ")}] as const);`);
  });
}

/** Group descriptors with their availability rules compiled to code (never interpreted at run time). */
export function generateGroups(f: TsFile, spec: ElabRegistersSpec, lookup: Lookup, ref: RefName): void {
  if (!spec.groups.length) return;
  f.add((w) => {
    for (const g of spec.groups) {
      const code = emitTs(g.available.ast, { ref: (path) => refCode(path, spec, lookup, ref) });
      w.write(jsDoc(g.doc, [`Available when: ${g.available.text}`]));
      w.write(`export const ${g.name}_group = Object.freeze(`).inlineBlock(() => {
        w.writeLine(`name: ${tsString(g.name)},`);
        w.writeLine(`qname: ${tsString(g.qname)},`);
        w.writeLine(`first: ${hex(g.first)},`);
        w.writeLine(`last: ${hex(g.last)},`);
        w.writeLine(`rawBytes: ${sizeOf([g.name], spec, lookup)},`);
        w.writeLine(`registers: Object.freeze([${g.registers.map(tsString).join(", ")}] as const),`);
        w.writeLine(`availableText: ${tsString(g.available.text)},`);
        w.writeLine(`available: (${paramName("v", code)}: Values): boolean => ${code},`);
      });
      w.write(");").newLine().blankLine();
    }
    w.writeLine(`/** Groups in the order they are read: later rules may depend on earlier groups. */`);
    w.writeLine(`export const groups = Object.freeze([${spec.groups.map((g) => `${g.name}_group`).join(", ")}] as const);`);
  });
}

function refCode(path: string[], spec: ElabRegistersSpec, lookup: Lookup, ref: RefName): string {
  const [head, ...rest] = path;
  let shape: ElabLayout | undefined = spec.registers.find((r) => r.name === head);
  if (!shape) throw new Error(`internal: availability names unchecked register ${head}`);
  let code = `v.${head}`;
  for (const seg of rest) {
    if (seg === "raw") break;
    const field: ElabField = shape!.fields.find((x) => x.name === seg)!;
    code = `${tsShapeNames(ref(shape!.qname)).value}.get.${seg}(${code})`;
    shape = field.layout ? lookup.layouts.get(field.layout) : undefined;
  }
  return code;
}

/** Size facts as types: editing a size in generated code makes `tsc --noEmit` fail. */
export function generateFacts(f: TsFile, spec: ElabRegistersSpec): void {
  if (!spec.asserts.length) return;
  f.uses("Expect", "Equal", "Not", "Sum");
  f.add((w) => {
    w.writeLine("// Size facts of the spec, checked by the TypeScript compiler.");
    spec.asserts.forEach((a, i) => {
      const e = a.expr.ast as Extract<Expr, { k: "binary" }>;
      const eq = `Equal<${sumType(e.left, spec)}, ${sumType(e.right, spec)}>`;
      w.write(jsDoc(a.doc, [a.expr.text]));
      w.writeLine(`export type Fact${i} = Expect<${e.op === "==" ? eq : `Not<${eq}>`}>;`);
    });
  });
}

function terms(e: Expr, spec: ElabRegistersSpec): string[] {
  switch (e.k) {
    case "num":
      return [e.value.toString()];
    case "call": {
      const arg = e.args[0] as Extract<Expr, { k: "ref" }>;
      const [head, raw] = arg.path;
      const isGroup = spec.groups.some((g) => g.name === head);
      return [isGroup ? `typeof ${head}_group.rawBytes` : `typeof ${shapeValue(head!, spec)}.${raw ? "rawBytes" : "bytes"}`];
    }
    case "binary":
      if (e.op === "+") return [...terms(e.left, spec), ...terms(e.right, spec)];
      if (e.op === "*") {
        const [k, x] = e.left.k === "num" ? [e.left.value, e.right] : [(e.right as { value: bigint }).value, e.left];
        return Array.from({ length: Number(k) }, () => terms(x, spec)).flat();
      }
      break;
  }
  throw new Error(`internal: unchecked size fact term ${e.k}`);
}

/** The TS identifier of the register or layout a size fact names. */
function shapeValue(name: string, spec: ElabRegistersSpec): string {
  const shape = spec.registers.find((r) => r.name === name) ?? spec.layouts.find((l) => l.name === name);
  return shape ? tsShapeNames(shape.ids.ts).value : name;
}

function sumType(e: Expr, spec: ElabRegistersSpec): string {
  const t = terms(e, spec);
  return t.length === 1 ? t[0]! : `Sum<[${t.join(", ")}]>`;
}
