import type { GenerateOptions } from "../../options.ts";
import type { Front } from "../../pipeline.ts";
import { emitTs, type Expr } from "../../expr/index.ts";
import type { ElabEntriesSpec, ElabEntryAddress, ElabEntryFormat, ElabEntryLevel, ElabLayout } from "../../elaborate/model.ts";
import type { OutFile } from "../types.ts";
import { SUPPORT_TYPES } from "./support.ts";
import type { Lookup } from "../../elaborate/lookup.ts";
import { entryBitOf } from "../../kinds/entries/resolve.ts";
import { hex } from "../../resolve/values.ts";
import { entryValues, evalFact, foldSizeof, formatOf, levelNumbers, valueOf } from "../../elaborate/entry-values.ts";
import { commentText, jsDoc, tsString } from "../escape.ts";
import { TsFile } from "./file.ts";
import { bitsText as bits } from "../../elaborate/bits.ts";
import { tsFormatNames, tsLevelNames, tsShapeNames, type TsModuleNames } from "../../elaborate/names/ts.ts";
import type { CodeBlockWriter } from "ts-morph";
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
  const flagsWord = spec.flags;
  // Entry expressions name constants, flags, flag sets, a conversion's parameter and `flags`: each a TS binding.
  const naming = { ref: (p: string[]) => p.map(tsIdentifier).join(".") };
  f.uses("U64", "u64", "badValue", "Expect", "Equal");
  if (spec.levels.some((l) => l.formats.some((x) => x.address))) f.uses("u64ToBigInt", "u64FromBigInt");

  f.add((w) => {
    w.writeLine("// Constants.");
    for (const c of spec.constants) {
      w.write(jsDoc(c.doc, c.expr ? [`= ${c.expr.text}`] : []));
      w.writeLine(`export const ${tsIdentifier(c.name)} = ${numText(values.constants.get(c.name)!)};`);
    }
    w.blankLine();
    if (flagsWord) {
      const fw = flagsWord.width;
      w.write(jsDoc(flagsWord.doc, [`Flags word: ${fw} bits. Packing: ${flagsWord.packing.map((p) => `flags ${bits(p.flagsLsb, p.width)} = entry ${bits(p.entryLsb, p.width)}`).join("; ")}.`]));
      w.writeLine(`export const FLAGS_WIDTH = ${fw};`);
      for (const fl of flagsWord.flags) {
        w.write(jsDoc(fl.doc, [`Flags bit ${fl.bit}, entry bit ${entryBitOf(flagsWord, fl.bit)}.`]));
        w.writeLine(`export const ${tsIdentifier(fl.name)} = ${hex(values.flags.get(fl.name)!)};`);
      }
      w.blankLine();
    }
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
  const flagPieces = (flagsWord?.packing ?? []).flatMap((p) => pieces(p.entryLsb, p.width, p.flagsLsb));
  if (flagsWord) f.add((w) => {
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
    w.writeLine(`const FLAGS_LIMIT = ${numText((1n << BigInt(flagsWord.width)) - 1n)};`);
    w.blankLine();
  });

  const levels = levelNumbers(spec, values);
  for (const { level, shift, entries } of levels) {
    const n = tsLevelNames(level);
    const p = level.prefix;
    const fr = level.frame;
    f.add((w) => {
      w.write(jsDoc(level.doc, [`Level ${level.name}: virtual-address shift ${shift}, ${entries} entries per table${fr ? `, frame bits ${bits(fr.lsb, fr.width)}` : ""}; walk depth ${level.depth} (0 is the root).`]));
      w.writeLine(`export const ${n.SHIFT} = ${shift};`);
      w.writeLine(`export const ${n.ENTRIES} = ${entries};`);
      w.writeLine(`/** Index of \`va\` in a ${level.name} table (Xen's ${p}_table_offset); \`va\` is a non-negative integer below 2^53. */`);
      w.writeLine(`export function ${n.tableOffset}(va: number): number { return Math.floor(va / ${numText(2n ** BigInt(shift))}) % ${entries}; }`);
      if (fr) {
        const framePieces = pieces(fr.lsb, fr.width, 0);
        const frameLimit = 2 ** fr.width;
        w.writeLine(`/** An entry from a frame number${flagsWord ? " and a flags word" : ", every other bit clear"} (Xen's ${p}e_from_pfn). */`);
        w.write(`export function ${n.fromPfn}(pfn: number${flagsWord ? ", flags: number" : ""}): U64 `).block(() => {
          w.writeLine(`if (!Number.isInteger(pfn) || pfn < 0 || pfn >= ${numText(BigInt(frameLimit))}) throw badValue(${tsString(`${p}e_from_pfn.pfn`)}, pfn, ${fr.width});`);
          if (flagsWord) w.writeLine(`if (!Number.isInteger(flags) || flags < 0 || flags > FLAGS_LIMIT) throw badValue(${tsString(`${p}e_from_pfn.flags`)}, flags, ${flagsWord.width});`);
          const part = (half: "lo" | "hi") =>
            framePieces
              .filter((x) => x.half === half)
              .map((x) => `((${x.valueLsb ? `Math.floor(pfn / ${numText(2n ** BigInt(x.valueLsb))})` : "pfn"} & ${h(maskOf(x.width))})${x.lsb ? ` << ${x.lsb}` : ""})`);
          const join = (terms: string[]) => (terms.length ? (flagsWord ? terms.join(" | ") : `(${terms.join(" | ")}) >>> 0`) : "0");
          const lo = join([...part("lo"), ...(flagsWord ? ["put_pte_flags_lo(flags)"] : [])]);
          const hi = join([...part("hi"), ...(flagsWord ? ["put_pte_flags_hi(flags)"] : [])]);
          w.writeLine(`return u64(${lo}, ${hi});`);
        });
        w.writeLine(`/** The frame number of an entry (Xen's ${p}e_get_pfn). */`);
        const get = framePieces.map((x) => (x.valueLsb ? `${readPiece(x, "e")} * ${numText(2n ** BigInt(x.valueLsb))}` : readPiece(x, "e")));
        w.writeLine(`export function ${n.getPfn}(e: U64): number { return ${get.join(" + ")}; }`);
      }
      if (flagsWord) {
        w.writeLine(`/** The flags word of an entry (Xen's ${p}e_get_flags). */`);
        w.writeLine(`export function ${n.getFlags}(e: U64): number { return get_pte_flags(e); }`);
      }
      w.writeLine(`/** The raw entry (Xen's ${p}e_get_intpte). */`);
      w.writeLine(`export function ${n.getIntpte}(e: U64): U64 { return e; }`);
      w.writeLine(`/** An entry from its raw value (Xen's ${p}e_from_intpte). */`);
      w.writeLine(`export function ${n.fromIntpte}(x: U64): U64 { return u64(x.lo, x.hi); }`);
      w.writeLine(`/** The empty (not present) entry. */`);
      w.writeLine(`export function ${n.empty}(): U64 { return u64(0, 0); }`);
      formatSelect(w, level);
      w.blankLine();
    });
  }

  for (const level of spec.levels) for (const x of level.formats) generateLayout(f, x as unknown as ElabLayout, lookup, ref);
  for (const level of spec.levels) for (const x of level.formats) if (x.address) f.add((w) => addressHelpers(w, x, x.address!));
  generateWalkDescriptor(f, spec);

  f.add((w) => {
    w.write(jsDoc(`Every level of ${spec.name} by virtual-address shift, leaf first and root last (depth 0 is the root); each format with its condition, role and address shift (address = field << shift).`));
    w.write("export const levels = Object.freeze([").newLine();
    for (const { level, shift, entries } of levels) {
      const fmts = level.formats.map((x) => `Object.freeze({ name: ${tsString(x.name)}, when: ${tsString(x.when.text)}, role: ${tsString(x.walk.role)}, addressShift: ${x.address ? x.address.shift : "undefined"} })`);
      w.writeLine(`Object.freeze({ name: ${tsString(level.name)}, depth: ${level.depth}, shift: ${shift}, entries: ${entries}, formats: Object.freeze([${fmts.join(", ")}]) }),`);
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

/**
 * `lNe_format(e)`: the format the level's conditions select, tested as the model enumerated them
 * (entry & select.mask is one of the format's `matches`), so conditions over `entry` and over
 * `flags` print alike and need no 64-bit expression code. When the conditions cover every entry,
 * the last format is the fallback; otherwise an entry no condition matches gives undefined.
 */
function formatSelect(w: CodeBlockWriter, level: ElabEntryLevel): void {
  const names = level.formats.map((x) => tsString(x.name));
  const sel = level.select!;
  const lines: string[] = [];
  let done = false;
  let used = false;
  const half = (v: bigint, hi: boolean) => Number(hi ? v >> 32n : v & 0xffffffffn);
  level.formats.forEach((x, i) => {
    if (done) return;
    const { mask, values } = x.walk.match;
    if ((sel.total && i === level.formats.length - 1) || values.length === 1 << popcount(mask)) {
      lines.push(`return ${tsString(x.name)};`);
      done = true;
      return;
    }
    if (!values.length) return;
    used = true;
    // (e & mask) === value, per 32-bit half the mask reaches.
    const test = (v: bigint) =>
      [false, true]
        .filter((hi) => half(mask, hi))
        .map((hi) => `((e.${hi ? "hi" : "lo"} & ${h(half(mask, hi))}) >>> 0) === ${h(half(v, hi))}`)
        .join(" && ");
    const alts = values.map(test);
    lines.push(`if (${alts.map((a) => (alts.length > 1 && a.includes("&&") ? `(${a})` : a)).join(" || ")}) return ${tsString(x.name)};`);
  });
  if (!done) lines.push("return undefined;");
  const result = names.join(" | ") + (done ? "" : " | undefined");
  // The conditions are spec text: escaped like every other comment, one line when they fit one.
  const said = `Name of the format of \`e\`: ${level.formats.map((x) => `${x.name} when ${x.when.text}`).join("; ")}.`;
  if (commentText(said).includes("\n")) w.write(jsDoc(said));
  else w.writeLine(`/** ${commentText(said)} */`);
  w.write(`export function ${tsLevelNames(level).format}(${used ? "e" : "_e"}: U64): ${result} `).block(() => {
    for (const l of lines) w.writeLine(l);
  });
}

function popcount(x: bigint): number {
  let n = 0;
  for (; x; x >>= 1n) n += Number(x & 1n);
  return n;
}

/** `<format>_address(e)` and `<format>_from_address(pa)`, printed from the model's address facts. */
function addressHelpers(w: CodeBlockWriter, x: ElabEntryFormat, a: ElabEntryAddress): void {
  const n = tsFormatNames(x.ids.ts);
  const big = (v: bigint) => `0x${v.toString(16)}n`;
  const what = a.inPlace ? `entry bits ${bits(a.lsb, a.width)}, address bits in place` : `entry bits ${bits(a.lsb, a.width)} hold a frame number of 2^${a.shift} bytes`;
  w.writeLine(`/** Output address of a ${x.name} entry (${what}): field ${a.field} << ${a.shift}. */`);
  const get = a.inPlace ? `u64ToBigInt(e) & ${big(a.entryMask)}` : `((u64ToBigInt(e) & ${big(a.entryMask)}) >> ${a.lsb}n) << ${a.shift}n`;
  w.writeLine(`export function ${n.address}(e: U64): bigint { return ${get}; }`);
  w.writeLine(`/** The ${x.name} entry bits holding address \`pa\` (every other bit clear); \`pa\` must have no bit outside ${big(a.addressMask)}. */`);
  w.write(`export function ${n.fromAddress}(pa: bigint): U64 `).block(() => {
    w.writeLine(`if (typeof pa !== "bigint" || pa < 0n || (pa & ~${big(a.addressMask)}) !== 0n) throw badValue(${tsString(`${x.name}_from_address.pa`)}, pa, ${a.shift + a.width});`);
    w.writeLine(a.inPlace ? `return u64FromBigInt(pa);` : `return u64FromBigInt((pa >> ${a.shift}n) << ${a.lsb}n);`);
  });
  w.blankLine();
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
