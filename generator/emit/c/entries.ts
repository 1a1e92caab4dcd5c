import { emitC } from "../../expr/index.ts";
import type { ElabEntriesSpec } from "../../elaborate/model.ts";
import type { Front } from "../../pipeline.ts";
import type { OutFile } from "../types.ts";
import { blockComment, commentLines } from "./comment.ts";
import { generateHeader, headerPathOf, registersView } from "./header.ts";
import { cAssertionsFunction, cEntryName, cFormatNames } from "../../elaborate/names/c.ts";
import { cConst, cIdent, cTypeTag } from "./names.ts";

/**
 * generated/c headers for `entries` specs: the entry formats go through the registers header
 * emitter as layouts; constants, flags, flag sets and conversions come first, in Xen's page.h
 * spelling, and every format's size is a BUILD_BUG_ON.
 */
export function entriesC(spec: ElabEntriesSpec, { lookup }: Front): OutFile {
  const view = registersView(spec, spec.levels.flatMap((l) => l.formats), []);
  return {
    path: `c/${headerPathOf(spec.rel)}`,
    lang: "c",
    source: `specs/${spec.rel}`,
    content: generateHeader(view, lookup, () => undefined, [definitions(spec), conversions(spec)], [addresses(spec), sizeFacts(spec)].filter((x) => x)),
  };
}

function known(spec: ElabEntriesSpec): Map<string, string> {
  const names = new Map<string, string>();
  for (const c of spec.constants) names.set(c.name, cIdent(cEntryName(c.name), "constant"));
  for (const f of spec.flags?.flags ?? []) names.set(f.name, cIdent(cEntryName(f.name), "flag"));
  for (const s of spec.flagSets) names.set(s.name, cIdent(cEntryName(s.name), "flag set"));
  return names;
}

function definitions(spec: ElabEntriesSpec): string {
  const names = known(spec);
  const ref = (path: string[]) => names.get(path.join(".")) ?? cIdent(path.join("_"), "name");
  const out: string[] = [];
  for (const c of spec.constants) {
    const value = c.literal !== undefined ? cConst(c.literal, c.literal > 0xffffffffn ? 64 : 32) : `(${emitC(c.expr!.ast, { ref })})`;
    out.push(blockComment(commentLines(c.doc)), `#define ${names.get(c.name)} ${value}`);
  }
  if (spec.flags) out.push(blockComment(commentLines(`Flags word (${spec.flags.width} bits): ${spec.flags.doc}`)));
  for (const f of spec.flags?.flags ?? []) out.push(`#define ${names.get(f.name)} (UINT32_C(1) << ${f.bit}) /* ${commentLines(f.doc).join(" ")} */`);
  for (const s of spec.flagSets) {
    out.push(blockComment(commentLines(s.doc)), `#define ${names.get(s.name)} (${s.members.map((m) => names.get(m.name) ?? cIdent(m.name, "flag")).join(" | ")})`);
  }
  return out.join("\n");
}

function conversions(spec: ElabEntriesSpec): string {
  const names = known(spec);
  return spec.conversions
    .map((cv) => {
      const param = cIdent(cEntryName(cv.param), "parameter");
      const ref = (path: string[]) => (path[0] === cv.param ? param : (names.get(path.join(".")) ?? cIdent(path.join("_"), "name")));
      const body = emitC(cv.expr.ast, { ref });
      const fn = cIdent(cEntryName(cv.name), "conversion");
      return `${blockComment(commentLines(cv.doc))}\nstatic inline uint32_t ${fn}(uint32_t ${param})\n{\n    return (uint32_t)(${body});\n}`;
    })
    .join("\n\n");
}

/**
 * `<format>_address(e)` and `<format>_from_address(pa)`, printed from the model's address facts
 * (address = field << shift), so a frame number (RISC-V PPN 53:10) and address bits in place
 * (x86 51:12) are both exact.
 */
function addresses(spec: ElabEntriesSpec): string {
  const out: string[] = [];
  for (const l of spec.levels) {
    for (const f of l.formats) {
      const a = f.address;
      if (!a) continue;
      const n = cFormatNames(f);
      const m = cConst(a.entryMask, 64);
      const what = a.inPlace ? "address bits in place" : `a frame number of 2^${a.shift} bytes`;
      out.push(
        blockComment([`Output address of a ${f.name} entry: ${a.field} (bits ${a.lsb + a.width - 1}:${a.lsb}, ${what}) << ${a.shift}.`]),
        `static inline uint64_t ${n.address}(uint64_t e)\n{\n    return ${a.inPlace ? `e & ${m}` : `((e & ${m}) >> ${a.lsb}) << ${a.shift}`};\n}`,
        blockComment([`The ${f.name} entry bits holding address pa; pa must have no bit outside ${cConst(a.addressMask, 64)}.`]),
        `static inline uint64_t ${n.fromAddress}(uint64_t pa)\n{\n    return ${a.inPlace ? `pa & ${m}` : `((pa >> ${a.shift}) << ${a.lsb}) & ${m}`};\n}`,
      );
    }
  }
  return out.join("\n");
}

function sizeFacts(spec: ElabEntriesSpec): string {
  const fn = cIdent(cAssertionsFunction(spec), "function");
  const lines = spec.levels.flatMap((l) => l.formats).map((f) => `    BUILD_BUG_ON(sizeof(union ${cTypeTag(f)}) != ${f.width / 8});`);
  return `/* Each entry is ${spec.width / 8} bytes, so a 4 KiB table holds 512 of them. */\nstatic inline void ${fn}(void)\n{\n${lines.join("\n")}\n}`;
}
