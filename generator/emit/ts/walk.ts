import type { ElabEntriesSpec, EntryMatch } from "../../elaborate/model.ts";
import { matchesAll, walkModel } from "../../elaborate/walk.ts";
import { jsDoc, tsString } from "../escape.ts";
import type { TsFile } from "./file.ts";

const big = (v: bigint) => `0x${v.toString(16)}n`;
const h = (n: number) => `0x${n.toString(16)}`;

/**
 * A match compiled over the entry's 32-bit halves, as the lNe_format helpers test them: `(e &
 * mask) === value` for one of the values, per half the mask reaches. A match that holds for every
 * entry takes no parameter, so noUnusedParameters holds.
 */
function compiled(m: EntryMatch): string {
  if (matchesAll(m)) return "() => true";
  if (!m.values.length) return "() => false";
  const half = (v: bigint, hi: boolean) => Number(hi ? v >> 32n : v & 0xffffffffn);
  const halves = [false, true].filter((hi) => half(m.mask, hi));
  const alts = m.values.map((v) => halves.map((hi) => `((e.${hi ? "hi" : "lo"} & ${h(half(m.mask, hi))}) >>> 0) === ${h(half(v, hi))}`).join(" && "));
  return `(e: U64) => ${alts.map((a) => (alts.length > 1 && a.includes("&&") ? `(${a})` : a)).join(" || ")}`;
}

/**
 * The module's `walk` descriptor for runtime/walk: the elaborated walk model printed as frozen
 * data, with the model's enumerated conditions compiled.
 */
export function generateWalkDescriptor(f: TsFile, spec: ElabEntriesSpec): void {
  const m = walkModel(spec);
  f.uses("U64", "WalkDescriptor");
  f.add((w) => {
    w.write(jsDoc(`How runtime/walk translates through ${spec.name}: levels root first, each format's condition, role, address field, reserved-bit fault mask and leaf alignment.`));
    w.writeLine("export const walk: WalkDescriptor = Object.freeze({");
    w.writeLine(`spec: ${tsString(m.spec)}, entryWidth: ${m.entryWidth}, vaBits: ${m.vaBits}, vaUpper: ${tsString(m.vaUpper)},`);
    w.writeLine("levels: Object.freeze([");
    for (const l of m.levels) {
      w.writeLine(`Object.freeze({ name: ${tsString(l.name)}, vaShift: ${l.vaShift}, indexBits: ${l.indexBits}, entryBytes: ${l.entryBytes}, valid: ${compiled(l.valid)},`);
      w.writeLine("formats: Object.freeze([");
      for (const x of l.formats) {
        const address = x.address ? `address: Object.freeze({ lsb: ${x.address.lsb}, width: ${x.address.width}, shift: ${x.address.shift} }), ` : "";
        const fields = x.fields.map((y) => `Object.freeze({ name: ${tsString(y.name)}, lsb: ${y.lsb}, width: ${y.width} })`).join(", ");
        w.writeLine(
          `Object.freeze({ name: ${tsString(x.name)}, role: ${tsString(x.role)}, when: ${compiled(x.when)}, ${address}res0: ${big(x.res0)}, align: ${big(x.align)}, fields: Object.freeze([${fields}]) }),`,
        );
      }
      w.writeLine("]) }),");
    }
    w.writeLine("]) });");
    w.blankLine();
  });
}
