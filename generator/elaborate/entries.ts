import type { Expr } from "../expr/index.ts";
import { evaluate } from "../expr/index.ts";
import type { EntriesSpec, EntryFormat, EntryLevel, FlagsWord } from "../model/index.ts";
import type { ElaborateContext } from "../kinds/plugin.ts";
import type { ElabEntriesSpec, ElabEntryAddress, ElabEntryFormat, ElabEntryLevel, EntryMatch, EntryWalkFacts, LevelSelect } from "./model.ts";
import { entryValues, valueOf, type EntryValues } from "./entry-values.ts";

/** Entry bits a level's conditions may name before enumeration is refused (2^16 combinations). */
export const MAX_CONDITION_BITS = 16;

const mask = (width: number): bigint => (1n << BigInt(width)) - 1n;

/**
 * The elaborated entries spec: levels in walk order (sorted by virtual-address shift, leaf first),
 * each format's role, address facts, fault and alignment masks, and each level's conditions
 * enumerated once. Total and silent: what does not evaluate gets a neutral answer and check
 * reports why.
 */
export function elaborateEntries(s: EntriesSpec, ctx: ElaborateContext): ElabEntriesSpec {
  const values = entryValues(s);
  const evalInt = (e: Expr): number | undefined => {
    try {
      const v = evaluate(e, { ref: (p) => valueOf(values, p[0]!) ?? fail() });
      return typeof v === "bigint" && v <= 1n << 32n ? Number(v) : undefined;
    } catch {
      return undefined;
    }
  };
  const measured = s.levels.map((l) => {
    const entryCount = evalInt(l.entries.ast) ?? 0;
    return { l, vaShift: evalInt(l.shift.ast) ?? -1, entryCount, indexBits: entryCount > 0 ? Math.round(Math.log2(entryCount)) : 0 };
  });
  // Stable: levels whose shift does not evaluate keep their spec order (check reports them).
  const sorted = [...measured].sort((a, b) => a.vaShift - b.vaShift);
  const lowest = sorted[0]?.vaShift;
  const levels: ElabEntryLevel[] = sorted.map((m, i) => {
    const valid = m.l.valid ?? s.valid;
    const formats = m.l.formats.map((f) => elaborateFormat(f, ctx.shape(f), m.vaShift, m.vaShift === lowest));
    const level: ElabEntryLevel = {
      ...m.l,
      formats,
      prefix: m.l.name.toLowerCase(),
      vaShift: m.vaShift,
      entryCount: m.entryCount,
      indexBits: m.indexBits,
      depth: sorted.length - 1 - i,
      ...(valid ? { valid } : {}),
    };
    const select = selectLevel(s, m.l, valid?.ast, values);
    if (select) {
      level.select = select.facts;
      formats.forEach((f, k) => (f.walk.match = select.matches[k]!));
    }
    return level;
  });
  return { ...s, levels };
}

/** The res0 bits a walk checks: every res0 range unless the spec says the architecture ignores it. */
function faultMask(f: EntryFormat): bigint {
  let m = 0n;
  for (const r of f.reserved) if (r.policy === "res0" && r.fault !== false) m |= mask(r.width) << BigInt(r.lsb);
  return m;
}

function fail(): never {
  throw new Error("unknown name");
}

function elaborateFormat(f: EntryFormat, shape: ReturnType<ElaborateContext["shape"]>, vaShift: number, lowest: boolean): ElabEntryFormat {
  const address: ElabEntryAddress | undefined = f.address && {
    ...f.address,
    inPlace: f.address.lsb === f.address.shift,
    entryMask: mask(f.address.width) << BigInt(f.address.lsb),
    addressMask: mask(f.address.width) << BigInt(f.address.shift),
  };
  const ruled = !f.address ? "reserved" : lowest || f.address.shift === vaShift ? "leaf" : "table";
  const walk: EntryWalkFacts = { role: f.statedRole ?? ruled, roleFrom: f.statedRole ? "spec" : "rule", faultMask: faultMask(f), match: { mask: 0n, values: [] } };
  if (walk.role === "leaf" && address && vaShift >= 0) {
    walk.pageShift = vaShift;
    const alignMask = mask(vaShift) & address.addressMask;
    walk.alignMask = alignMask;
    // Address bit b is field bit b - shift, entry bit b - shift + lsb.
    walk.misalignedMask = (alignMask >> BigInt(address.shift)) << BigInt(address.lsb);
  }
  const { address: _a, ...rest } = shape as typeof shape & { address?: unknown };
  void _a;
  return { ...(rest as Omit<ElabEntryFormat, "address" | "walk">), ...(address ? { address } : {}), walk };
}

/** The flags word of an entry through the packing (Xen's get_pte_flags). */
export function flagsOfEntry(flags: FlagsWord, entry: bigint): bigint {
  let out = 0n;
  for (const p of flags.packing) out |= ((entry >> BigInt(p.entryLsb)) & mask(p.width)) << BigInt(p.flagsLsb);
  return out;
}

/** Entry bits of a flags-word mask through the packing. */
export function entryBitsOfFlags(flags: FlagsWord, f: bigint): bigint {
  let out = 0n;
  for (const p of flags.packing) out |= ((f >> BigInt(p.flagsLsb)) & mask(p.width)) << BigInt(p.entryLsb);
  return out;
}

/**
 * Entry bits an expression can test: the literals and named values it uses, read as entry bits
 * where it names `entry` and moved through the packing where it names `flags`.
 */
export function namedEntryBits(e: Expr, spec: EntriesSpec, values: EntryValues): bigint {
  const consts: bigint[] = [];
  let entry = false;
  let flags = false;
  const visit = (x: Expr): void => {
    switch (x.k) {
      case "num":
        consts.push(x.value);
        break;
      case "ref": {
        const head = x.path[0]!;
        if (head === "entry") entry = true;
        else if (head === "flags") flags = true;
        else {
          const v = valueOf(values, head);
          if (v !== undefined) consts.push(v);
        }
        break;
      }
      case "unary":
        visit(x.arg);
        break;
      case "binary":
        visit(x.left);
        visit(x.right);
        break;
      case "cond":
        visit(x.test);
        visit(x.then);
        visit(x.else);
        break;
      case "call":
        x.args.forEach(visit);
        break;
      default:
        break;
    }
  };
  visit(e);
  let out = 0n;
  const all = mask(spec.width);
  for (const c of consts) {
    if (entry) out |= c & all;
    if (flags && spec.flags) out |= entryBitsOfFlags(spec.flags, c) & all;
  }
  return out;
}

/** Evaluates a condition or validity test on one entry; undefined when it does not give a boolean. */
export function testEntry(e: Expr, spec: EntriesSpec, values: EntryValues, entry: bigint): boolean | undefined {
  try {
    const flags = spec.flags ? flagsOfEntry(spec.flags, entry) : 0n;
    const v = evaluate(
      e,
      { ref: (p) => (p[0] === "entry" ? entry : p[0] === "flags" ? flags : (valueOf(values, p[0]!) ?? fail())) },
      { width: spec.width === 64 || !spec.flags ? 64 : 32 },
    );
    return typeof v === "boolean" ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Deterministic filler for the bits a level's conditions do not name (xorshift64). */
function* fillers(width: number): Generator<bigint> {
  yield mask(width);
  let x = 0x9e3779b97f4a7c15n;
  for (let i = 0; i < 3; i++) {
    x ^= (x << 13n) & mask(64);
    x ^= x >> 7n;
    x ^= (x << 17n) & mask(64);
    yield x & mask(width);
  }
}

/**
 * Every combination of the entry bits a level's conditions and validity test name: which are
 * valid, which format each matches, and what is wrong (overlap or gap among valid entries,
 * conditions that also read bits they do not name). Undefined beyond MAX_CONDITION_BITS bits.
 */
export function selectLevel(spec: EntriesSpec, l: EntryLevel, valid: Expr | undefined, values: EntryValues): { facts: LevelSelect; matches: EntryMatch[] } | undefined {
  let m = valid ? namedEntryBits(valid, spec, values) : 0n;
  for (const f of l.formats) m |= namedEntryBits(f.when.ast, spec, values);
  const bits: bigint[] = [];
  for (let b = 0n; m >> b; b++) if ((m >> b) & 1n) bits.push(1n << b);
  if (bits.length > MAX_CONDITION_BITS) return undefined;
  const facts: LevelSelect = { mask: m, valid: { mask: 0n, values: [0n] }, total: true, overlaps: [], uncovered: [], leaks: [], failed: [] };
  const validValues: bigint[] = [];
  const combos: bigint[] = [];
  const matches: bigint[][] = l.formats.map(() => []);
  const seen = new Set<string>();
  const outside = mask(spec.width) & ~m;
  const tests = [...(valid ? [{ name: "valid", e: valid }] : []), ...l.formats.map((f) => ({ name: f.name, e: f.when.ast }))];
  for (let combo = 0; combo < 1 << bits.length; combo++) {
    let entry = 0n;
    bits.forEach((b, i) => (combo & (1 << i) ? (entry |= b) : undefined));
    combos.push(entry);
    for (const t of tests) {
      const base = testEntry(t.e, spec, values, entry);
      if (base === undefined) {
        if (!facts.failed.includes(t.name)) facts.failed.push(t.name);
        continue;
      }
      for (const fill of fillers(spec.width)) {
        if (testEntry(t.e, spec, values, entry | (fill & outside)) !== base && !facts.leaks.includes(t.name)) facts.leaks.push(t.name);
      }
    }
    const isValid = valid ? testEntry(valid, spec, values, entry) === true : true;
    const hit: string[] = [];
    l.formats.forEach((f, k) => {
      if (testEntry(f.when.ast, spec, values, entry) === true) {
        matches[k]!.push(entry);
        hit.push(f.name);
      }
    });
    if (!hit.length) facts.total = false;
    if (!isValid) continue;
    validValues.push(entry);
    if (!hit.length) facts.uncovered.push(entry);
    for (let i = 1; i < hit.length; i++) {
      const key = `${hit[0]}|${hit[i]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      facts.overlaps.push({ value: entry, formats: [hit[0]!, hit[i]!] });
    }
  }
  if (valid) facts.valid = narrow(namedEntryBits(valid, spec, values), m, validValues, combos);
  return { facts, matches: l.formats.map((f, k) => narrow(namedEntryBits(f.when.ast, spec, values), m, matches[k]!, combos)) };
}

/**
 * A test enumerated over the level's bits `all`, stated over the bits it names itself (`own`)
 * when that says the same (it does for conditions that read only the bits they name); else over
 * every bit of the level.
 */
function narrow(own: bigint, all: bigint, hits: bigint[], combos: bigint[]): EntryMatch {
  const projected = [...new Set(hits.map((c) => c & own))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const set = new Set(projected);
  const hitSet = new Set(hits);
  const same = combos.every((c) => set.has(c & own) === hitSet.has(c));
  return same ? { mask: own, values: projected } : { mask: all, values: [...hits] };
}
