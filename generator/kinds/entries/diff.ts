import type { ElabEntriesSpec, ElabSpec } from "../../elaborate/model.ts";
import { hex } from "../../resolve/values.ts";
import { bitsText } from "../../elaborate/bits.ts";
import { diffShape } from "../registers/diff.ts";
import { ChangeList, matchBy, type Change } from "../../diff/types.ts";

/** Differ for `entries` specs (page-table entry formats): width, constants, flags and packing, levels and their formats, conversions. */
export function diffEntries(oldSpec: ElabSpec, newSpec: ElabSpec): Change[] {
  const o = oldSpec as ElabEntriesSpec;
  const n = newSpec as ElabEntriesSpec;
  const out = new ChangeList(n.name);
  if (o.width !== n.width) out.add("entry", "", "width", "breaking", "entries have a different size: tables hold a different number of them", `${o.width} bits`, `${n.width} bits`);
  const consts = matchBy(o.constants, n.constants, (c) => c.name);
  const constText = (c: (typeof o.constants)[number]) => (c.literal !== undefined ? hex(c.literal) : c.expr?.text ?? "");
  for (const c of consts.removed) out.add(`constant ${c.name}`, "", "removed", "breaking", "code using the constant no longer compiles", constText(c));
  for (const c of consts.added) out.add(`constant ${c.name}`, "", "added", "compatible", "a new constant", undefined, constText(c));
  for (const [a, b] of consts.both) if (constText(a) !== constText(b)) out.add(`constant ${b.name}`, "", "value", "breaking", "the constant has a different value", constText(a), constText(b));

  if (!!o.flags !== !!n.flags) out.add("flags", "", "flags word", "breaking", n.flags ? "a flags word appears: code gains the flags helpers" : "the flags word is gone: code using the flags helpers no longer compiles", o.flags ? `${o.flags.width} bits` : "none", n.flags ? `${n.flags.width} bits` : "none");
  const noFlags = { width: 0, doc: "", packing: [], flags: [], loc: n.loc };
  const of = o.flags ?? noFlags;
  const nf = n.flags ?? noFlags;
  if ((o.valid?.text ?? "") !== (n.valid?.text ?? "")) out.add("valid", "", "validity", "breaking", "a different test says which entries are valid", o.valid?.text ?? "(every entry)", n.valid?.text ?? "(every entry)");
  const flags = matchBy(of.flags, nf.flags, (f) => f.name);
  for (const f of flags.removed) out.add(`flag ${f.name}`, "", "removed", "breaking", "code using the flag no longer compiles", `bit ${f.bit}`);
  for (const f of flags.added) out.add(`flag ${f.name}`, "", "added", "compatible", "a new flag in a bit that had none", undefined, `bit ${f.bit}`);
  for (const [a, b] of flags.both) {
    if (a.bit !== b.bit) out.add(`flag ${b.name}`, "", "moved", "breaking", "the flag sits at a different bit of the flags word", `bit ${a.bit}`, `bit ${b.bit}`);
    if (a.field !== b.field) out.add(`flag ${b.name}`, "", "field", "breaking", "the flag maps to a different entry field", a.field, b.field);
  }
  const seg = (s: (typeof of.packing)[number]) => `flags ${bitsText(s.flagsLsb, s.width)} = entry ${bitsText(s.entryLsb, s.width)}`;
  const packOld = of.packing.map(seg).join("; ");
  const packNew = nf.packing.map(seg).join("; ");
  if (o.flags && n.flags && (packOld !== packNew || of.width !== nf.width)) out.add("flags", "", "packing", "breaking", "flags pack into entries differently: stored flag words decode to different bits", `${of.width} bits: ${packOld}`, `${nf.width} bits: ${packNew}`);
  const sets = matchBy(o.flagSets, n.flagSets, (s) => s.name);
  const members = (s: (typeof o.flagSets)[number]) => s.members.map((m) => m.name).join(", ");
  for (const s of sets.removed) out.add(`flag set ${s.name}`, "", "removed", "breaking", "code using the set no longer compiles", members(s));
  for (const s of sets.added) out.add(`flag set ${s.name}`, "", "added", "compatible", "a new set of flags", undefined, members(s));
  for (const [a, b] of sets.both) if (members(a) !== members(b)) out.add(`flag set ${b.name}`, "", "members", "breaking", "the set holds different flags", members(a), members(b));

  const levels = matchBy(o.levels, n.levels, (l) => l.name);
  for (const l of levels.removed) out.add(`level ${l.name}`, "", "removed", "breaking", "code walking this level no longer compiles", l.formats.map((f) => f.name).join(", "));
  for (const l of levels.added) out.add(`level ${l.name}`, "", "added", "compatible", "a new level; existing levels are unchanged", undefined, l.formats.map((f) => f.name).join(", "));
  for (const [a, b] of levels.both) {
    const subject = `level ${b.name}`;
    if (a.vaShift !== b.vaShift || a.shift.text !== b.shift.text) out.add(subject, "", "shift", "breaking", "the level covers a different address range", a.shift.text, b.shift.text);
    if (a.entries.text !== b.entries.text) out.add(subject, "", "entries", "breaking", "tables of this level hold a different number of entries", a.entries.text, b.entries.text);
    if ((a.valid?.text ?? "") !== (b.valid?.text ?? "")) out.add(subject, "", "validity", "breaking", "a different test says which entries are valid", a.valid?.text ?? "(every entry)", b.valid?.text ?? "(every entry)");
    const formats = matchBy(a.formats, b.formats, (f) => f.name);
    for (const f of formats.removed) out.add(`format ${f.name}`, "", "removed", "breaking", "entries of this format can no longer be built or decoded", `${b.name} when ${f.when.text}`);
    for (const f of formats.added) out.add(`format ${f.name}`, "", "added", "compatible", "a new entry format", undefined, `${b.name} when ${f.when.text}`);
    for (const [x, y] of formats.both) {
      const fs = `format ${y.name}`;
      if (x.when.text !== y.when.text) out.add(fs, "", "when", "breaking", "a different condition selects this format", x.when.text, y.when.text);
      if (x.walk.role !== y.walk.role) out.add(fs, "", "role", "breaking", "a walk treats these entries differently", x.walk.role, y.walk.role);
      const addr = (f: typeof x) => (f.address ? `${f.address.field} ${bitsText(f.address.lsb, f.address.width)} << ${f.address.shift}` : "none");
      if (addr(x) !== addr(y)) out.add(fs, "", "address", "breaking", "the address field is stored differently", addr(x), addr(y));
      diffShape(out, fs, x, y);
    }
  }
  const convs = matchBy(o.conversions, n.conversions, (c) => c.name);
  for (const c of convs.removed) out.add(`conversion ${c.name}`, "", "removed", "breaking", "code calling it no longer compiles", c.expr.text);
  for (const c of convs.added) out.add(`conversion ${c.name}`, "", "added", "compatible", "a new conversion", undefined, c.expr.text);
  for (const [a, b] of convs.both) if (a.expr.text !== b.expr.text) out.add(`conversion ${b.name}`, "", "expr", "breaking", "the conversion computes something different", a.expr.text, b.expr.text);
  return out.items;
}
