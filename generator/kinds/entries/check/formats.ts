import type { Diagnostics } from "../../../diagnostics.ts";
import { checkExpr, evaluate, refs } from "../../../expr/index.ts";
import type { EntryLevel } from "../../../model/index.ts";
import type { ElabEntriesSpec } from "../../../elaborate/model.ts";
import { offsetLoc } from "../../../resolve/expr.ts";
import { hex } from "../../../resolve/values.ts";
import { bitsText as formatBits } from "../../../elaborate/bits.ts";
import { checkBits } from "../../registers/check/bits.ts";
import { entryScope, evalFact, factScope, type EntryValues, valueOf } from "../../../elaborate/entry-values.ts";

/** Conditions whose flag bits exceed this many are refused rather than enumerated. */
const MAX_CONDITION_BITS = 16;

/** Level numbers, shifts and frame bits; then each format's bits, address and condition. */
export function checkLevels(spec: ElabEntriesSpec, values: EntryValues, d: Diagnostics): void {
  spec.levels.forEach((l, i) => {
    if (l.number !== i + 1) d.error(l.loc, `level ${l.name} has no level L${i + 1} below it: levels must run L1, L2, ... without gaps`);
    for (const [what, e] of [["shift", l.shift], ["entries", l.entries]] as const) {
      const r = checkExpr(e.ast, factScope(spec, values, `the ${what} of ${l.name}`), { t: "int" });
      for (const err of r.errors) d.error(offsetLoc(e.loc, err.span.start), `expression: ${err.message}`);
    }
    if (l.frame.lsb + l.frame.width > spec.width) {
      d.error(l.loc, `frame bits ${formatBits(l.frame.lsb, l.frame.width)} of ${l.name} lie outside the ${spec.width}-bit entry`);
    }
    for (const f of l.formats) {
      checkBits(f, d);
      if (f.address.shift !== f.address.lsb) {
        d.error(f.address.loc, `address field "${f.address.field}" of ${f.name} starts at bit ${f.address.lsb} but has shift ${f.address.shift}: x86 entries hold address bits in place, so they must be equal`);
      }
    }
    checkConditions(spec, l, values, d);
  });
  if (d.count) return;
  const nums = spec.levels.map((l) => ({ l, entries: evalFact(l.entries.ast, spec, values) as bigint }));
  for (const { l, entries } of nums) {
    if (entries === 0n || (entries & (entries - 1n)) !== 0n) d.error(l.entries.loc, `${l.name} has ${entries} entries per table; it must be a power of two`);
  }
}

/**
 * Each level's `when` conditions must be booleans over `flags`, match no flags value twice and
 * leave none unmatched. They are evaluated on every combination of the flag bits they name.
 */
function checkConditions(spec: ElabEntriesSpec, l: EntryLevel, values: EntryValues, d: Diagnostics): void {
  let ok = true;
  let mask = 0n;
  for (const f of l.formats) {
    const r = checkExpr(f.when.ast, entryScope(spec, values, "flags"), { t: "bool" });
    for (const err of r.errors) d.error(offsetLoc(f.when.loc, err.span.start), `expression: ${err.message}`);
    if (r.errors.length) {
      ok = false;
      continue;
    }
    for (const path of refs(f.when.ast)) {
      const v = valueOf(values, path[0]!);
      if (path[0] !== "flags" && v !== undefined && values.constants.get(path[0]!) === undefined) mask |= v;
    }
  }
  if (!ok) return;
  const bits: bigint[] = [];
  for (let b = 0n; mask >> b; b++) if ((mask >> b) & 1n) bits.push(1n << b);
  if (bits.length > MAX_CONDITION_BITS) {
    d.error(l.loc, `the conditions of ${l.name} name ${bits.length} flag bits; at most ${MAX_CONDITION_BITS} can be checked for overlap`);
    return;
  }
  const reported = new Set<string>();
  let uncovered: bigint | undefined;
  for (let combo = 0; combo < 1 << bits.length; combo++) {
    let flags = 0n;
    bits.forEach((b, i) => (combo & (1 << i) ? (flags |= b) : undefined));
    const matching = l.formats.filter((f) => {
      try {
        return evaluate(f.when.ast, { ref: (p) => (p[0] === "flags" ? flags : valueOf(values, p[0]!)!) }, { width: 32 }) === true;
      } catch {
        return false;
      }
    });
    if (matching.length === 0 && uncovered === undefined) uncovered = flags;
    for (let i = 1; i < matching.length; i++) {
      const key = `${matching[0]!.name}|${matching[i]!.name}`;
      if (reported.has(key)) continue;
      reported.add(key);
      d.error(matching[i]!.when.loc, `conditions of formats "${matching[0]!.name}" and "${matching[i]!.name}" of ${l.name} overlap: both match flags ${hex(flags)}`);
    }
  }
  if (uncovered !== undefined) d.error(l.loc, `no format of ${l.name} matches flags ${hex(uncovered)}: the conditions must cover every flags value`);
}
