import type { Diagnostics } from "../../../diagnostics.ts";
import { checkExpr, refs } from "../../../expr/index.ts";
import type { ElabEntriesSpec, ElabEntryLevel } from "../../../elaborate/model.ts";
import type { ExprLike } from "../../../model/index.ts";
import { offsetLoc } from "../../../resolve/expr.ts";
import { hex } from "../../../resolve/values.ts";
import { bitsText as formatBits } from "../../../elaborate/bits.ts";
import { checkBits } from "../../registers/check/bits.ts";
import { conditionScope, factScope, type EntryValues } from "../../../elaborate/entry-values.ts";
import { flagsOfEntry, MAX_CONDITION_BITS } from "../../../elaborate/entries.ts";
import { refusedIn } from "../../../elaborate/names/reserved-words.ts";

/**
 * Level shifts and sizes; each format's bits, address and role; then the conditions of each
 * level, as the elaborated model enumerated them. Levels are in walk order by shift (leaf first).
 */
export function checkLevels(spec: ElabEntriesSpec, values: EntryValues, d: Diagnostics): void {
  // Level names are free and key the generated levels table, so object-machinery names are refused.
  for (const l of spec.levels) {
    const lang = refusedIn(["TypeScript"], l.name);
    if (lang) d.error(l.loc, `level name "${l.name}" is reserved in ${lang}`);
  }
  let typed = true;
  const reported = new Set<string>();
  if (spec.valid) {
    const r = checkExpr(spec.valid.ast, conditionScope(spec, values), { t: "bool" });
    for (const err of r.errors) d.error(offsetLoc(spec.valid.loc, err.span.start), `validity test: ${err.message}`);
    if (r.errors.length) return;
  }
  for (const l of spec.levels) {
    for (const [what, e] of [["shift", l.shift], ["entries", l.entries]] as const) {
      const r = checkExpr(e.ast, factScope(spec, values, `the ${what} of ${l.name}`), { t: "int" });
      for (const err of r.errors) d.error(offsetLoc(e.loc, err.span.start), `expression: ${err.message}`);
      if (r.errors.length) typed = false;
    }
    if (l.frame && l.frame.lsb + l.frame.width > spec.width) {
      d.error(l.loc, `frame bits ${formatBits(l.frame.lsb, l.frame.width)} of ${l.name} lie outside the ${spec.width}-bit entry`);
    }
    for (const f of l.formats) {
      checkBits(f, d);
      const a = f.address;
      if (!a && f.walk.role !== "reserved") {
        d.error(f.loc, `format "${f.name}" of ${l.name} is a ${f.walk.role} but has no "address": a walk needs the address of the ${f.walk.role === "table" ? "next table" : "page it maps"} (only a "reserved" format may have none)`);
      }
      if (a?.holds === "address" && a.shift !== a.lsb) {
        d.error(a.loc, `address field "${a.field}" of ${f.name} holds address bits in place ("holds": "address") but starts at bit ${a.lsb} with shift ${a.shift}: in place means the shift equals the low bit (say "holds": "frame" for a frame number)`);
      }
      if (a?.holds === "frame" && !a.shiftGiven) {
        d.error(a.loc, `address field "${a.field}" of ${f.name} holds a frame number ("holds": "frame") but gives no "shift": say the granule, e.g. "shift": 12 for 4 KiB frames`);
      }
      if (a && a.shift + a.width > 64) {
        d.error(a.loc, `address field "${a.field}" of ${f.name} gives addresses of ${a.shift + a.width} bits (${a.width} bits << ${a.shift}), more than 64`);
      }
    }
    typed = checkConditions(spec, l, values, reported, d) && typed;
  }
  if (!typed) return;
  for (const l of spec.levels) {
    if (l.entryCount <= 0 || (l.entryCount & (l.entryCount - 1)) !== 0) d.error(l.entries.loc, `${l.name} has ${l.entryCount} entries per table; it must be a power of two`);
    if (l.vaShift < 0 || l.vaShift > 63) d.error(l.shift.loc, `${l.name} has virtual-address shift ${l.vaShift}; it must lie in 0..63`);
  }
  if (d.count) return;
  // Walk order is by shift: two levels with one shift have no order, and the level above a
  // level must translate the bits right above the ones that level's index takes.
  for (let i = 1; i < spec.levels.length; i++) {
    const lower = spec.levels[i - 1]!;
    const upper = spec.levels[i]!;
    if (upper.vaShift === lower.vaShift) {
      d.error(upper.shift.loc, `levels ${lower.name} and ${upper.name} both have virtual-address shift ${upper.vaShift}: the walk order comes from the shifts, so they must differ`);
    } else if (upper.vaShift !== lower.vaShift + lower.indexBits) {
      d.error(upper.shift.loc, `${upper.name} has virtual-address shift ${upper.vaShift}, but the level below it, ${lower.name}, translates bits ${lower.vaShift + lower.indexBits - 1}:${lower.vaShift} (shift ${lower.vaShift}, ${lower.entryCount} entries): ${upper.name} must start at bit ${lower.vaShift + lower.indexBits}`);
    }
  }
  for (const l of spec.levels) {
    for (const f of l.formats) {
      if (f.walk.role === "table" && l === spec.levels[0]) {
        d.error(f.loc, `format "${f.name}" is a table at ${l.name}, the lowest level: there is no next level to point to (make it "leaf", or "reserved" if the architecture faults on it)`);
      }
    }
  }
}

/** Type-checks the validity test and the conditions, then reports what the model's enumeration found. */
function checkConditions(spec: ElabEntriesSpec, l: ElabEntryLevel, values: EntryValues, reported: Set<string>, d: Diagnostics): boolean {
  let ok = true;
  const typeCheck = (e: ExprLike, what: string) => {
    const r = checkExpr(e.ast, conditionScope(spec, values), { t: "bool" });
    for (const err of r.errors) d.error(offsetLoc(e.loc, err.span.start), `${what}: ${err.message}`);
    if (r.errors.length) ok = false;
  };
  if (l.valid && l.valid !== spec.valid) typeCheck(l.valid, "validity test");
  for (const f of l.formats) typeCheck(f.when, "expression");
  if (!ok) return false;
  const s = l.select;
  if (!s) {
    d.error(l.loc, `the conditions of ${l.name} name more than ${MAX_CONDITION_BITS} entry bits; at most ${MAX_CONDITION_BITS} can be checked for overlap`);
    return false;
  }
  const whenOf = (name: string) => (name === "valid" ? l.valid! : l.formats.find((f) => f.name === name)!.when);
  // A spec-wide validity test is enumerated with every level; it is reported once.
  const once = (name: string, message: string) => {
    const e = whenOf(name);
    const key = `${e.loc.file}:${e.loc.line}:${e.loc.col}:${message}`;
    if (!reported.has(key)) d.error(e.loc, message);
    reported.add(key);
  };
  const subject = (name: string) => (name === "valid" ? "the validity test" : `the condition of format "${name}" of ${l.name}`);
  for (const name of s.failed) once(name, `${subject(name)} does not evaluate to a boolean on every entry`);
  for (const name of s.leaks) {
    once(name, `${subject(name)} depends on entry bits its masks do not name; write masks in place (entry & 0x80, not (entry >> 7) & 1) so the conditions can be checked`);
  }
  if (s.failed.length || s.leaks.length) return false;
  // A spec whose conditions speak of flags hears about flags values, one speaking of entries about entries.
  const namesEntry = [l.valid, ...l.formats.map((f) => f.when)].some((e) => e && refs(e.ast).some((p) => p[0] === "entry"));
  const what = (v: bigint) => (spec.flags && !namesEntry ? `flags ${hex(flagsOfEntry(spec.flags, v))}` : `entry ${hex(v)}`);
  for (const o of s.overlaps) {
    const second = l.formats.find((f) => f.name === o.formats[1])!;
    d.error(second.when.loc, `conditions of formats "${o.formats[0]}" and "${o.formats[1]}" of ${l.name} overlap: both match ${what(o.value)}`);
  }
  if (s.uncovered.length) d.error(l.loc, `no format of ${l.name} matches ${what(s.uncovered[0]!)}${l.valid ? ", a valid entry" : ""}: the conditions must cover every ${l.valid ? "valid " : ""}entry`);
  return true;
}

