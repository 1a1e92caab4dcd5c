import type { ElabEntriesSpec, EntryMatch } from "../elaborate/model.ts";
import { walkModel } from "../elaborate/walk.ts";
import { u64ToBigInt, type U64, type WalkDescriptor } from "../../generated/ts/support.ts";

/**
 * The walk descriptor of a spec of the loaded tree, for `decode --walk`: the same walk model the
 * generated `walk` constant prints, its matches tested on bigints (the specs may be a user's,
 * with no generated module at hand).
 */
export function walkDescriptorOf(spec: ElabEntriesSpec): WalkDescriptor {
  const m = walkModel(spec);
  const test = ({ mask, values }: EntryMatch) => {
    const set = new Set(values);
    return (u: U64) => set.has(u64ToBigInt(u) & mask);
  };
  return {
    spec: m.spec,
    entryWidth: m.entryWidth,
    vaBits: m.vaBits,
    vaUpper: m.vaUpper,
    levels: m.levels.map((l) => ({ ...l, valid: test(l.valid), formats: l.formats.map((f) => ({ ...f, when: test(f.when) })) })),
  };
}
