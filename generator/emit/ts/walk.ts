import { emitTs, refs, type Expr } from "../../expr/index.ts";
import type { ElabEntriesSpec } from "../../elaborate/model.ts";
import { walkModel } from "../../elaborate/walk.ts";
import { tsIdentifier } from "../../elaborate/names/rename.ts";
import { jsDoc, tsString } from "../escape.ts";
import type { TsFile } from "./file.ts";

const big = (v: bigint) => `0x${v.toString(16)}n`;

/**
 * The module's `walk` descriptor for runtime/walk: the elaborated walk model printed as frozen
 * data, with the spec's conditions compiled like the lNe_format helpers compile them.
 */
export function generateWalkDescriptor(f: TsFile, spec: ElabEntriesSpec): void {
  const m = walkModel(spec);
  const naming = { ref: (p: string[]) => p.map(tsIdentifier).join(".") };
  // A condition that never looks at the entry takes no parameter, so noUnusedParameters holds.
  // `$e` cannot be a spec name, so no flag or constant the condition names is shadowed.
  const test = (e: Expr) => {
    const names = refs(e).map((p) => p[0]);
    if (!names.length) return `() => ${emitTs(e, naming)}`;
    const flags = names.includes("flags") ? "const flags = get_pte_flags($e); " : "";
    return `($e: U64) => { ${flags}return ${emitTs(e, naming)}; }`;
  };
  f.uses("U64", "WalkDescriptor");
  f.add((w) => {
    w.write(jsDoc(`How runtime/walk translates through ${spec.name}: levels root first, each format's role, address field, reserved-bit fault mask and leaf alignment.`));
    w.writeLine("export const walk: WalkDescriptor = Object.freeze({");
    w.writeLine(`spec: ${tsString(m.spec)}, entryWidth: ${m.entryWidth}, vaBits: ${m.vaBits},`);
    w.writeLine("levels: Object.freeze([");
    for (const l of m.levels) {
      w.writeLine(`Object.freeze({ name: ${tsString(l.name)}, vaShift: ${l.vaShift}, indexBits: ${l.indexBits}, entryBytes: ${l.entryBytes}, valid: ${test(l.valid)},`);
      w.writeLine("formats: Object.freeze([");
      for (const x of l.formats) {
        const address = x.address ? `address: Object.freeze({ lsb: ${x.address.lsb}, width: ${x.address.width}, shift: ${x.address.shift} }), ` : "";
        const fields = x.fields.map((y) => `Object.freeze({ name: ${tsString(y.name)}, lsb: ${y.lsb}, width: ${y.width} })`).join(", ");
        w.writeLine(
          `Object.freeze({ name: ${tsString(x.name)}, role: ${tsString(x.role)}, when: ${test(x.when)}, ${address}res0: ${big(x.res0)}, align: ${big(x.align)}, fields: Object.freeze([${fields}]) }),`,
        );
      }
      w.writeLine("]) }),");
    }
    w.writeLine("]) });");
    w.blankLine();
  });
}
