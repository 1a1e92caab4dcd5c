import type { GenerateOptions } from "../../options.ts";
import type { Front } from "../../pipeline.ts";
import { emitTs, type Expr } from "../../expr/index.ts";
import type { ElabEntriesSpec } from "../../elaborate/model.ts";
import type { OutFile } from "../types.ts";
import { SUPPORT_TYPES } from "./support.ts";
import type { Lookup } from "../../elaborate/lookup.ts";
import { entryBitOf } from "../../kinds/entries/resolve.ts";
import { hex } from "../../resolve/values.ts";
import { entryValues, evalFact, foldSizeof, formatOf, levelNumbers, valueOf } from "../../elaborate/entry-values.ts";
import { jsDoc, tsString } from "../escape.ts";
import { TsFile } from "./file.ts";
import { bitsText as bits } from "../../elaborate/bits.ts";
import { tsShapeNames, type TsModuleNames } from "../../elaborate/names/ts.ts";
import { tsIdentifier } from "../../elaborate/names/rename.ts";
import { generateLayout } from "./layout.ts";
import { moduleOf } from "./spec-file.ts";
import { generateWalkDescriptor } from "./walk.ts";

const h = (n: number) => "0x" + (n >>> 0).toString(16);
const maskOf = (width: number) => (width >= 32 ? 0xffffffff : (1 << width) - 1) >>> 0;

/** A run of bits inside one 32-bit half of an entry: entry bits [lsb, lsb+width) hold value bits from `valueLsb`. */
interface Piece {
  half: "lo" | "hi";
  lsb: number;
  width: number;
  valueLsb: number;
}

/** Splits entry bits [entryLsb, entryLsb+width) holding value bits from valueLsb at the 32-bit boundary. */
function pieces(entryLsb: number, width: number, valueLsb: number): Piece[] {
  const out: Piece[] = [];
  const end = entryLsb + width;
  if (entryLsb < 32) {
    const w = Math.min(end, 32) - entryLsb;
    out.push({ half: "lo", lsb: entryLsb, width: w, valueLsb });
  }
  if (end > 32) {
    const start = Math.max(entryLsb, 32);
    out.push({ half: "hi", lsb: start - 32, width: end - start, valueLsb: valueLsb + (start - entryLsb) });
  }
  return out;
}

/** `word >>> lsb & mask` without redundant operations. */
function readPiece(p: Piece, e: string): string {
  const shifted = p.lsb ? `(${e}.${p.half} >>> ${p.lsb})` : `${e}.${p.half}`;
  return p.lsb + p.width === 32 ? (p.lsb ? shifted : `(${shifted} >>> 0)`) : `(${shifted} & ${h(maskOf(p.width))})`;
}

/**
 * One module per entries spec: constants, flags and flag sets as literal-typed consts, the
 * conversions compiled from their expressions, per-level accessors over `U64` halves (Xen's
 * lNe_from_pfn / lNe_get_pfn / lNe_get_flags / lNe_get_intpte / lN_table_offset), each entry
 * format as a layout namespace, and the spec's facts as compile-time checks.
 */
export function generateEntriesFile(spec: ElabEntriesSpec, lookup: Lookup, names: TsModuleNames): TsFile {
  const f = new TsFile(`${moduleOf(spec.rel)}.ts`, `specs/${spec.rel} (${spec.name})`, "");
  const ref = f.importShapes(names);
  const values = entryValues(spec);
  const fw = spec.flags.width;
  // Entry expressions name constants, flags, flag sets, a conversion's parameter and `flags`: each a TS binding.
  const naming = { ref: (p: string[]) => p.map(tsIdentifier).join(".") };
  f.uses("U64", "u64", "badValue", "Expect", "Equal");

  f.add((w) => {
    w.writeLine("// Constants.");
    for (const c of spec.constants) {
      w.write(jsDoc(c.doc, c.expr ? [`= ${c.expr.text}`] : []));
      w.writeLine(`export const ${tsIdentifier(c.name)} = ${numText(values.constants.get(c.name)!)};`);
    }
    w.blankLine();
    w.write(jsDoc(spec.flags.doc, [`Flags word: ${fw} bits. Packing: ${spec.flags.packing.map((p) => `flags ${bits(p.flagsLsb, p.width)} = entry ${bits(p.entryLsb, p.width)}`).join("; ")}.`]));
    w.writeLine(`export const FLAGS_WIDTH = ${fw};`);
    for (const fl of spec.flags.flags) {
      w.write(jsDoc(fl.doc, [`Flags bit ${fl.bit}, entry bit ${entryBitOf(spec.flags, fl.bit)}.`]));
      w.writeLine(`export const ${tsIdentifier(fl.name)} = ${hex(values.flags.get(fl.name)!)};`);
    }
    w.blankLine();
    w.writeLine("// Flag sets.");
    for (const s of spec.flagSets) {
      w.write(jsDoc(s.doc, [s.members.map((m) => m.name).join(" | ")]));
      w.writeLine(`export const ${tsIdentifier(s.name)} = ${hex(values.sets.get(s.name)!)};`);
    }
    w.blankLine();
    w.writeLine("// Conversions, compiled from the spec's expressions.");
    for (const c of spec.conversions) {
      w.write(jsDoc(c.doc, [`${c.name}(${c.param}) = ${c.expr.text}`]));
      w.writeLine(`export function ${tsIdentifier(c.name)}(${tsIdentifier(c.param)}: number): number { return ${emitTs(c.expr.ast, naming)}; }`);
    }
    w.blankLine();
  });

  // Flags word to entry halves and back, shared by every level (the packing does not depend on the level).
  const flagPieces = spec.flags.packing.flatMap((p) => pieces(p.entryLsb, p.width, p.flagsLsb));
  f.add((w) => {
    w.writeLine(`/** The flags word of an entry (Xen's get_pte_flags). */`);
    const terms = flagPieces.map((p) => (p.valueLsb ? `(${readPiece(p, "e")} << ${p.valueLsb})` : readPiece(p, "e")));
    w.writeLine(`export function get_pte_flags(e: U64): number { return (${terms.join(" | ")}) >>> 0; }`);
    w.writeLine(`/** Entry bits of a flags word as { lo, hi } masks to OR in (Xen's put_pte_flags). */`);
    const put = (half: "lo" | "hi") => {
      const t = flagPieces
        .filter((p) => p.half === half)
        .map((p) => `(${p.valueLsb ? `(flags >>> ${p.valueLsb})` : "flags"} & ${h(maskOf(p.width))})${p.lsb ? ` << ${p.lsb}` : ""}`)
        .map((t) => `(${t})`);
      return t.length ? `(${t.join(" | ")}) >>> 0` : "0";
    };
    w.writeLine(`export function put_pte_flags_lo(flags: number): number { return ${put("lo")}; }`);
    w.writeLine(`export function put_pte_flags_hi(flags: number): number { return ${put("hi")}; }`);
    w.writeLine(`const FLAGS_LIMIT = ${numText((1n << BigInt(fw)) - 1n)};`);
    w.blankLine();
  });

  const levels = levelNumbers(spec, values);
  for (const { level, shift, entries } of levels) {
    const p = `l${level.number}`;
    const fr = level.frame;
    const framePieces = pieces(fr.lsb, fr.width, 0);
    const frameLimit = 2 ** fr.width;
    f.add((w) => {
      w.write(jsDoc(level.doc, [`Level ${level.name}: virtual-address shift ${shift}, ${entries} entries per table, frame bits ${bits(fr.lsb, fr.width)}.`]));
      w.writeLine(`export const ${level.name}_SHIFT = ${shift};`);
      w.writeLine(`export const ${level.name}_ENTRIES = ${entries};`);
      w.writeLine(`/** Index of \`va\` in a ${level.name} table (Xen's ${p}_table_offset); \`va\` is a non-negative integer below 2^53. */`);
      w.writeLine(`export function ${p}_table_offset(va: number): number { return Math.floor(va / ${numText(2n ** BigInt(shift))}) % ${entries}; }`);
      w.writeLine(`/** An entry from a frame number and a flags word (Xen's ${p}e_from_pfn). */`);
      w.write(`export function ${p}e_from_pfn(pfn: number, flags: number): U64 `).block(() => {
        w.writeLine(`if (!Number.isInteger(pfn) || pfn < 0 || pfn >= ${numText(BigInt(frameLimit))}) throw badValue(${tsString(`${p}e_from_pfn.pfn`)}, pfn, ${fr.width});`);
        w.writeLine(`if (!Number.isInteger(flags) || flags < 0 || flags > FLAGS_LIMIT) throw badValue(${tsString(`${p}e_from_pfn.flags`)}, flags, ${fw});`);
        const part = (half: "lo" | "hi") =>
          framePieces
            .filter((x) => x.half === half)
            .map((x) => `((${x.valueLsb ? `Math.floor(pfn / ${numText(2n ** BigInt(x.valueLsb))})` : "pfn"} & ${h(maskOf(x.width))})${x.lsb ? ` << ${x.lsb}` : ""})`);
        const lo = [...part("lo"), "put_pte_flags_lo(flags)"].join(" | ");
        const hi = [...part("hi"), "put_pte_flags_hi(flags)"].join(" | ");
        w.writeLine(`return u64(${lo}, ${hi});`);
      });
      w.writeLine(`/** The frame number of an entry (Xen's ${p}e_get_pfn). */`);
      const get = framePieces.map((x) => (x.valueLsb ? `${readPiece(x, "e")} * ${numText(2n ** BigInt(x.valueLsb))}` : readPiece(x, "e")));
      w.writeLine(`export function ${p}e_get_pfn(e: U64): number { return ${get.join(" + ")}; }`);
      w.writeLine(`/** The flags word of an entry (Xen's ${p}e_get_flags). */`);
      w.writeLine(`export function ${p}e_get_flags(e: U64): number { return get_pte_flags(e); }`);
      w.writeLine(`/** The raw entry (Xen's ${p}e_get_intpte). */`);
      w.writeLine(`export function ${p}e_get_intpte(e: U64): U64 { return e; }`);
      w.writeLine(`/** An entry from its raw value (Xen's ${p}e_from_intpte). */`);
      w.writeLine(`export function ${p}e_from_intpte(x: U64): U64 { return u64(x.lo, x.hi); }`);
      w.writeLine(`/** The empty (not present) entry. */`);
      w.writeLine(`export function ${p}e_empty(): U64 { return u64(0, 0); }`);
      w.writeLine(`/** Name of the format of \`e\`, chosen by the spec's conditions on its flags. */`);
      const names = level.formats.map((x) => tsString(x.name));
      // One format needs no look at the entry; the parameter stays for a uniform signature.
      w.write(`export function ${p}e_format(${level.formats.length > 1 ? "e" : "_e"}: U64): ${names.join(" | ")} `).block(() => {
        if (level.formats.length > 1) w.writeLine("const flags = get_pte_flags(e);");
        level.formats.forEach((x, i) => {
          if (i === level.formats.length - 1) w.writeLine(`return ${tsString(x.name)};`);
          else w.writeLine(`if (${emitTs(x.when.ast, naming)}) return ${tsString(x.name)};`);
        });
      });
      w.blankLine();
    });
  }

  for (const level of spec.levels) for (const x of level.formats) generateLayout(f, x, lookup, ref);
  generateWalkDescriptor(f, spec);

  f.add((w) => {
    w.write(jsDoc(`Every level of ${spec.name}, root last.`));
    w.write("export const levels = Object.freeze([").newLine();
    for (const { level, shift, entries } of levels) {
      const fmts = level.formats.map((x) => `Object.freeze({ name: ${tsString(x.name)}, when: ${tsString(x.when.text)}, addressShift: ${x.address.shift} })`);
      w.writeLine(`Object.freeze({ name: ${tsString(level.name)}, level: ${level.number}, shift: ${shift}, entries: ${entries}, formats: Object.freeze([${fmts.join(", ")}]) }),`);
    }
    w.writeLine("] as const);");
    w.blankLine();
    w.writeLine("// Size facts of the spec, checked by the TypeScript compiler.");
    spec.asserts.forEach((a, i) => {
      const e = a.expr.ast;
      const side = (x: Expr) => factType(x, spec, values);
      const eq = e.k === "binary" && e.op === "==" ? `Equal<${side(e.left)}, ${side(e.right)}>` : "true";
      w.write(jsDoc(a.doc, [a.expr.text]));
      w.writeLine(`export type Fact${i} = Expect<${eq}>;`);
    });
    for (const level of spec.levels) {
      for (const x of level.formats) {
        w.writeLine(`/** A ${x.name} entry is ${x.width / 8} bytes. */`);
        w.writeLine(`export type ${x.name}_Bytes = Expect<Equal<typeof ${tsShapeNames(x.ids.ts).value}.rawBytes, ${x.width / 8}>>;`);
      }
    }
  });
  return f;
}

/** A side of a fact as a type: a named constant's literal type, a format's byte count, or the folded value. */
function factType(e: Expr, spec: ElabEntriesSpec, values: ReturnType<typeof entryValues>): string {
  if (e.k === "ref" && valueOf(values, e.path[0]!) !== undefined) return `typeof ${tsIdentifier(e.path[0]!)}`;
  const format = e.k === "call" && e.args[0]?.k === "ref" ? formatOf(spec, e.args[0].path[0]!) : undefined;
  if (format) return `typeof ${tsShapeNames(format.ids.ts).value}.rawBytes`;
  const v = evalFact(foldSizeof(e, spec), spec, values);
  return typeof v === "bigint" ? v.toString() : String(v);
}

function numText(v: bigint): string {
  return v > 0xffffn ? "0x" + v.toString(16) : v.toString();
}

/** generated/ts/<spec path>.ts of one entries spec. */
export function entriesTs(spec: ElabEntriesSpec, { lookup, tsNames }: Front, options: GenerateOptions): OutFile {
  const file = generateEntriesFile(spec, lookup, tsNames.get(spec.name)!);
  return { path: `ts/${file.path}`, lang: "ts", source: `specs/${spec.rel}`, content: file.render(SUPPORT_TYPES, options.ts.importExtension) };
}
