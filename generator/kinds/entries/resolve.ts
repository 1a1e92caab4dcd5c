import { childPointer, type Diagnostics } from "../../diagnostics.ts";
import type { SpecSource } from "../../load/source.ts";
import type {
  Conversion,
  EntriesSpec,
  EntryAddress,
  EntryConstant,
  EntryFormat,
  EntryLevel,

  Field,
  Flag,
  FlagSet,
  FlagsWord,
  PackingSegment,
  ReservedRange,
} from "../../model/index.ts";
import type { EntriesSpec as Json, Format as FormatJson, Level as LevelJson } from "../../../generated/schema/entries.ts";
import { resolveAsserts, resolveExpr } from "../../resolve/expr.ts";
import { parseBits, parseValue } from "../../resolve/values.ts";
import { specBase } from "../../resolve/spec-base.ts";

/**
 * JSON (already schema-valid) to model. Names are resolved here only as far as building
 * layouts needs (a format's flags become fields); unknown names are reported by the checker
 * when they matter to a layout, everything else is checked in check/entries.
 */
export function resolveEntriesSpec(src: SpecSource, d: Diagnostics): EntriesSpec {
  const json = src.json as Json;
  const spec = json.name;
  const constants: EntryConstant[] = Object.entries(json.constants ?? {}).map(([name, c]) => {
    const ptr = childPointer("/constants", name);
    const out: EntryConstant = { name, doc: c!.doc ?? "", loc: src.keyAt(ptr) };
    if ((c!.value === undefined) === (c!.expr === undefined)) {
      d.error(src.keyAt(ptr), `constant "${name}" needs exactly one of "value" or "expr"`);
    }
    if (c!.value !== undefined) out.literal = parseValue(c!.value)!;
    if (c!.expr !== undefined) {
      const e = resolveExpr(c!.expr, src.at(`${ptr}/expr`), d);
      if (e) out.expr = e;
    }
    if (c!.width !== undefined) out.width = c!.width;
    return out;
  });

  const flags = json.flags ? resolveFlags(json.flags, src, d) : undefined;
  const valid = json.valid !== undefined ? resolveExpr(json.valid, src.at("/valid"), d) : undefined;

  const flagSets: FlagSet[] = Object.entries(json.flagSets ?? {}).map(([name, s]) => {
    const ptr = childPointer("/flagSets", name);
    return {
      name,
      doc: s!.doc ?? "",
      members: s!.flags.map((m, i) => ({ name: m, loc: src.at(childPointer(`${ptr}/flags`, i)) })),
      loc: src.keyAt(ptr),
    };
  });

  const levels: EntryLevel[] = [];
  for (const [name, l] of Object.entries(json.levels)) {
    const level = resolveLevel(name, l!, spec, json.width, flags, src, d);
    if (level) levels.push(level);
  }

  const conversions: Conversion[] = [];
  for (const [name, c] of Object.entries(json.conversions ?? {})) {
    const ptr = childPointer("/conversions", name);
    const expr = resolveExpr(c!.expr, src.at(`${ptr}/expr`), d);
    if (expr) conversions.push({ name, param: c!.param, expr, doc: c!.doc ?? "", loc: src.keyAt(ptr) });
  }

  const asserts = resolveAsserts(json.assert, src, d);

  return {
    ...specBase("entries", json, src),
    width: json.width,
    constants,
    ...(flags ? { flags } : {}),
    ...(valid ? { valid } : {}),
    ...(json.vaUpper ? { vaUpper: json.vaUpper } : {}),
    flagSets,
    levels,
    conversions,
    asserts,
  };
}

function resolveFlags(json: NonNullable<Json["flags"]>, src: SpecSource, d: Diagnostics): FlagsWord {
  const packing: PackingSegment[] = [];
  json.packing.forEach((p, i) => {
    const ptr = childPointer("/flags/packing", i);
    const f = parseBits(p.flags);
    const e = parseBits(p.entry);
    if ("error" in f) return d.error(src.at(`${ptr}/flags`), f.error);
    if ("error" in e) return d.error(src.at(`${ptr}/entry`), e.error);
    if (f.width !== e.width) {
      return d.error(src.at(ptr), `packing segment ${i} maps ${f.width} flags bits onto ${e.width} entry bits; the widths must match`);
    }
    packing.push({ flagsLsb: f.lsb, entryLsb: e.lsb, width: f.width, doc: p.doc ?? "", loc: src.at(ptr) });
  });
  const flagList: Flag[] = Object.entries(json.flags).map(([name, f]) => ({
    name,
    bit: f!.bit,
    field: f!.field,
    doc: f!.doc ?? "",
    loc: src.keyAt(childPointer("/flags/flags", name)),
  }));
  return { width: json.width, doc: json.doc ?? "", packing, flags: flagList, loc: src.keyAt("/flags") };
}

function resolveLevel(
  name: string,
  l: LevelJson,
  spec: string,
  width: number,
  flags: FlagsWord | undefined,
  src: SpecSource,
  d: Diagnostics,
): EntryLevel | undefined {
  const ptr = childPointer("/levels", name);
  const shift = resolveExpr(l.shift, src.at(`${ptr}/shift`), d);
  const entries = resolveExpr(l.entries, src.at(`${ptr}/entries`), d);
  const frame = l.frame !== undefined ? parseBits(l.frame) : undefined;
  if (frame && "error" in frame) d.error(src.at(`${ptr}/frame`), frame.error);
  const valid = l.valid !== undefined ? resolveExpr(l.valid, src.at(`${ptr}/valid`), d) : undefined;
  const formats: EntryFormat[] = [];
  for (const [fname, f] of Object.entries(l.formats)) {
    const format = resolveFormat(fname, f!, childPointer(`${ptr}/formats`, fname), name, spec, width, flags, src, d);
    if (format) formats.push(format);
  }
  if (!shift || !entries || (frame && "error" in frame) || (l.valid !== undefined && !valid)) return undefined;
  return { name, doc: l.doc ?? "", shift, entries, ...(frame ? { frame } : {}), ...(valid ? { valid } : {}), formats, loc: src.keyAt(ptr) };
}

/** Entry bit of a flags-word bit through the packing, or undefined when no segment covers it. */
export function entryBitOf(flags: FlagsWord, bit: number): number | undefined {
  const seg = flags.packing.find((p) => bit >= p.flagsLsb && bit < p.flagsLsb + p.width);
  return seg ? seg.entryLsb + (bit - seg.flagsLsb) : undefined;
}

function resolveFormat(
  name: string,
  f: FormatJson,
  ptr: string,
  level: string,
  spec: string,
  width: number,
  flags: FlagsWord | undefined,
  src: SpecSource,
  d: Diagnostics,
): EntryFormat | undefined {
  const when = resolveExpr(f.when, src.at(`${ptr}/when`), d);
  const fields: Field[] = [];
  (f.flags ?? []).forEach((flagName, i) => {
    const at = src.at(childPointer(`${ptr}/flags`, i));
    if (!flags) return d.error(at, `format "${name}" names flag "${flagName}", but the spec has no flags word ("flags"); name the entry bit in "fields" instead`);
    const flag = flags.flags.find((x) => x.name === flagName);
    if (!flag) return d.error(at, `format "${name}" names unknown flag "${flagName}"`);
    const bit = entryBitOf(flags, flag.bit);
    if (bit === undefined) return d.error(at, `flag "${flagName}" (flags bit ${flag.bit}) is in no packing segment, so it has no entry bit`);
    fields.push({ name: flag.field, lsb: bit, width: 1, access: "rw", doc: flag.doc, enum: [], loc: at });
  });
  for (const [fieldName, x] of Object.entries(f.fields ?? {})) {
    const fptr = childPointer(`${ptr}/fields`, fieldName);
    const bits = parseBits(x!.bits);
    if ("error" in bits) d.error(src.at(`${fptr}/bits`), bits.error);
    else fields.push({ name: fieldName, ...bits, access: "rw", doc: x!.doc ?? "", enum: [], loc: src.keyAt(fptr) });
  }
  const aptr = `${ptr}/address`;
  const abits = f.address ? parseBits(f.address.bits) : undefined;
  let address: EntryAddress | undefined;
  if (abits && "error" in abits) d.error(src.at(`${aptr}/bits`), abits.error);
  else if (abits && f.address) {
    fields.push({ name: f.address.field, ...abits, access: "rw", doc: f.address.doc ?? "", enum: [], loc: src.keyAt(aptr) });
    address = {
      field: f.address.field,
      lsb: abits.lsb,
      width: abits.width,
      shift: f.address.shift ?? abits.lsb,
      ...(f.address.holds ? { holds: f.address.holds } : {}),
      shiftGiven: f.address.shift !== undefined,
      loc: src.keyAt(aptr),
    };
  }
  const reserved: ReservedRange[] = [];
  (f.reserved ?? []).forEach((r, i) => {
    const rptr = childPointer(`${ptr}/reserved`, i);
    const bits = parseBits(r.bits);
    if (r.fault !== undefined && r.policy !== "res0") {
      d.error(src.at(`${rptr}/fault`), `"fault" says whether a set res0 range faults a walk; this range is ${r.policy}, which never faults`);
    }
    if ("error" in bits) d.error(src.at(`${rptr}/bits`), bits.error);
    else reserved.push({ ...bits, policy: r.policy, ...(r.fault === false ? { fault: false } : {}), doc: r.doc ?? "", loc: src.at(rptr) });
  });
  if (!when || (abits && "error" in abits)) return undefined;
  return {
    name,
    qname: `${spec}.${name}`,
    spec,
    width,
    doc: f.doc ?? "",
    fields: fields.sort((a, b) => a.lsb - b.lsb || a.width - b.width),
    reserved: reserved.sort((a, b) => a.lsb - b.lsb),
    level,
    when,
    ...(f.role ? { statedRole: f.role } : {}),
    ...(address ? { address } : {}),
    flagNames: [...(f.flags ?? [])],
    loc: src.keyAt(ptr),
  };
}


