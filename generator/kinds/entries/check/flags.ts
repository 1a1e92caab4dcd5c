import type { Diagnostics } from "../../../diagnostics.ts";
import type { ElabEntriesSpec } from "../../../elaborate/model.ts";
import { bitsText as formatBits } from "../../../elaborate/bits.ts";
import { gaps } from "../../registers/fields.ts";

/** Packing segments lie inside the flags word and the entry, overlap nowhere, and cover the flags word. */
export function checkPacking(spec: ElabEntriesSpec, d: Diagnostics): void {
  if (!spec.flags) return;
  const flagsWord = spec.flags;
  const fw = flagsWord.width;
  const segs = flagsWord.packing;
  segs.forEach((s, i) => {
    if (s.flagsLsb + s.width > fw) {
      d.error(s.loc, `packing segment ${i} (flags bits ${formatBits(s.flagsLsb, s.width)}) lies outside the ${fw}-bit flags word`);
    }
    if (s.entryLsb + s.width > spec.width) {
      d.error(s.loc, `packing segment ${i} (entry bits ${formatBits(s.entryLsb, s.width)}) lies outside the ${spec.width}-bit entry`);
    }
    for (let j = 0; j < i; j++) {
      const o = segs[j]!;
      if (s.flagsLsb < o.flagsLsb + o.width && o.flagsLsb < s.flagsLsb + s.width) {
        d.error(s.loc, `packing segment ${i} (flags bits ${formatBits(s.flagsLsb, s.width)}) overlaps segment ${j} (flags bits ${formatBits(o.flagsLsb, o.width)})`);
      }
      if (s.entryLsb < o.entryLsb + o.width && o.entryLsb < s.entryLsb + s.width) {
        d.error(s.loc, `packing segment ${i} (entry bits ${formatBits(s.entryLsb, s.width)}) overlaps segment ${j} (entry bits ${formatBits(o.entryLsb, o.width)})`);
      }
    }
  });
  const missing = gaps(fw, segs.map((s) => ({ lsb: s.flagsLsb, width: s.width })));
  if (missing.length) {
    d.error(flagsWord.loc, `flags bits ${missing.map((g) => formatBits(g.lsb, g.width)).join(", ")} are in no packing segment: the packing must cover the ${fw}-bit flags word`);
  }
}

/** Flags fit the flags word; flag sets name only flags or flag sets defined before them. */
export function checkFlags(spec: ElabEntriesSpec, d: Diagnostics): void {
  if (!spec.flags) {
    for (const s of spec.flagSets) d.error(s.loc, `flag set "${s.name}" combines flags, but ${spec.name} has no flags word ("flags")`);
    return;
  }
  const fw = spec.flags.width;
  for (const f of spec.flags.flags) {
    if (f.bit >= fw) d.error(f.loc, `flag "${f.name}" at bit ${f.bit} does not fit in the ${fw}-bit flags word`);
  }
  const flagNames = new Set(spec.flags.flags.map((f) => f.name));
  const earlier = new Set<string>();
  const allSets = new Set(spec.flagSets.map((s) => s.name));
  for (const s of spec.flagSets) {
    for (const m of s.members) {
      if (flagNames.has(m.name) || earlier.has(m.name)) continue;
      if (allSets.has(m.name)) d.error(m.loc, `flag set "${s.name}" uses flag set "${m.name}" before it is defined`);
      else d.error(m.loc, `flag set "${s.name}" names unknown flag "${m.name}"`);
    }
    earlier.add(s.name);
  }
}
