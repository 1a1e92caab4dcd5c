import { evaluate, type Expr } from "../expr/index.ts";
import type { ElabEntriesSpec } from "../elaborate/model.ts";
import { entryValues, valueOf } from "../elaborate/entry-values.ts";
import { walkModel } from "../elaborate/walk.ts";
import { u64ToBigInt, type U64, type WalkDescriptor } from "../../generated/ts/support.ts";

/**
 * The walk descriptor of a spec of the loaded tree, for `decode --walk`: the same walk model the
 * generated `walk` constant prints, with conditions evaluated by the expression evaluator instead
 * of compiled (the specs may be a user's, with no generated module at hand).
 */
export function walkDescriptorOf(spec: ElabEntriesSpec): WalkDescriptor {
  const m = walkModel(spec);
  const values = entryValues(spec);
  const ones = (n: number) => (1n << BigInt(n)) - 1n;
  const flagsOf = (e: bigint) => spec.flags.packing.reduce((f, p) => f | (((e >> BigInt(p.entryLsb)) & ones(p.width)) << BigInt(p.flagsLsb)), 0n);
  const test = (x: Expr) => (u: U64) => {
    const e = u64ToBigInt(u);
    const v = evaluate(x, {
      ref: ([name]) => (name === "flags" ? flagsOf(e) : name === "entry" ? e : valueOf(values, name!)!),
    });
    return typeof v === "boolean" ? v : v !== 0n;
  };
  return {
    spec: m.spec,
    entryWidth: m.entryWidth,
    vaBits: m.vaBits,
    levels: m.levels.map((l) => ({
      name: l.name,
      vaShift: l.vaShift,
      indexBits: l.indexBits,
      entryBytes: l.entryBytes,
      valid: test(l.valid),
      formats: l.formats.map((f) => ({ ...f, when: test(f.when) })),
    })),
  };
}
