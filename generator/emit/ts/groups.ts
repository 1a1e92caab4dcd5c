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
import { arr, obj, print } from "./print.ts";

const flatArray = (items: string[]) => `[${items.join(", ")}]`;

/** Raw values of a spec's registers by name, the input of availability rules. */
export function generateValues(f: TsFile, spec: ElabRegistersSpec): void {
  if (!spec.registers.length) return;
  const out = [...jsDoc(`Raw values of the registers of ${spec.name}, by name.`).trimEnd().split("\n"), "export interface Values {"];
  for (const r of spec.registers) out.push(`  readonly ${r.name}: ${r.width > 32 ? "U64" : "number"};`);
  out.push("}", "", `/** Every register of ${spec.name} in address order. */`);
  const ordered = [...spec.registers].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  out.push(...print(arr(ordered.map((r) => tsShapeNames(r.ids.ts).value)), 0, "export const registers = Object.freeze(", " as const);"));
  f.raw(out.join("\n") + "\n");
}

/** Group descriptors with their availability rules compiled to code (never interpreted at run time). */
export function generateGroups(f: TsFile, spec: ElabRegistersSpec, lookup: Lookup, ref: RefName): void {
  if (!spec.groups.length) return;
  const out: string[] = [];
  for (const g of spec.groups) {
    const code = emitTs(g.available.ast, { ref: (path) => refCode(path, spec, lookup, ref) });
    out.push(...jsDoc(g.doc, [`Available when: ${g.available.text}`]).trimEnd().split("\n"));
    const group = obj(
      [
        ["name", tsString(g.name)],
        ["qname", tsString(g.qname)],
        ["first", hex(g.first)],
        ["last", hex(g.last)],
        ["rawBytes", String(sizeOf([g.name], spec, lookup))],
        ["registers", `Object.freeze(${flatArray(g.registers.map(tsString))} as const)`],
        ["availableText", tsString(g.available.text)],
        ["available", `(${paramName("v", code)}: Values): boolean => ${code}`],
      ],
      true,
    );
    out.push(...print(group, 0, `export const ${g.name}_group = Object.freeze(`, ");"), "");
  }
  out.push(`/** Groups in the order they are read: later rules may depend on earlier groups. */`);
  out.push(...print(arr(spec.groups.map((g) => `${g.name}_group`)), 0, "export const groups = Object.freeze(", " as const);"));
  f.raw(out.join("\n") + "\n");
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
  const out = ["// Size facts of the spec, checked by the TypeScript compiler."];
  spec.asserts.forEach((a, i) => {
    const e = a.expr.ast as Extract<Expr, { k: "binary" }>;
    const eq = `Equal<${sumType(e.left, spec)}, ${sumType(e.right, spec)}>`;
    out.push(...jsDoc(a.doc, [a.expr.text]).trimEnd().split("\n"));
    out.push(`export type Fact${i} = Expect<${e.op === "==" ? eq : `Not<${eq}>`}>;`);
  });
  f.raw(out.join("\n") + "\n");
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
