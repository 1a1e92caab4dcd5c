import { escapePointerToken, type Loc } from "../../diagnostics.ts";
import type { ImportReport } from "../report.ts";
import { SpecLocs } from "../locs.ts";
import { mapAccess, type HwAccess } from "./access.ts";
import type { SvdCluster, SvdDevice, SvdEnumSet, SvdField, SvdPeripheral, SvdProps, SvdRegister } from "./model.ts";
import { hex } from "./numbers.ts";

/** One device spec written from one peripheral, with the SVD position of each of its items by JSON pointer. */
export interface WrittenSpec {
  rel: string;
  peripheral: string;
  json: Record<string, unknown>;
  locs: SpecLocs;
  registers: number;
  fields: number;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_IDENT = 64;
const WIDTHS = [8, 16, 32];

type Json = Record<string, unknown>;

/** A register ready to print: its hwspec name, absolute offset in the peripheral and array shape. */
interface Placed {
  name: string;
  offset: bigint;
  reg: SvdRegister;
  count?: number;
  stride?: bigint;
}

interface PlacedCluster {
  name: string;
  offset: bigint;
  count: number;
  stride: bigint;
  cluster: SvdCluster;
  registers: Placed[];
}

/**
 * Writes one hwspec `device` spec per peripheral. Register names get the peripheral's name as a
 * prefix (`UART0_CR`): C has one namespace for every header of a tree and SVD repeats register
 * names across unrelated peripherals (every UART and SPI has a CR), so unprefixed names would
 * collide. A `derivedFrom` peripheral is an overlay of its base (`extends`) that sets its own
 * `instance` and holds only what it changes; its registers keep the base's names, because the
 * inherited ones are the base's own items (their C and TS come from the base's files).
 */
export function writeSpecs(device: SvdDevice, file: string, report: ImportReport): WrittenSpec[] {
  const deviceNs = namespacePart(device.name, "device");
  const out: WrittenSpec[] = [];
  const seen = new Map<string, SvdPeripheral>();
  const enumIndex = indexEnums(device);
  const protectionWarned = new Set<Loc>();
  const byName = new Map(device.peripherals.map((p) => [p.name, p]));
  type Done = { spec: WrittenSpec; full: Json; root: string; lines: string[]; renamed: Map<string, string> };
  const written = new Map<SvdPeripheral, Done | null>();
  const targets = new Map<SvdPeripheral, { ns: string; rel: string }>();
  for (const p of device.peripherals) {
    if (!checkName(p.name, p.loc, "peripheral", report)) continue;
    const ns = namespacePart(p.name, "peripheral");
    const other = seen.get(ns);
    if (other) {
      report.error(p.loc, `peripheral ${p.name} and ${other.name} (line ${other.loc.line}) would both be written as ${ns}.json`);
      continue;
    }
    seen.set(ns, p);
    targets.set(p, { ns: `${deviceNs}.${ns}`, rel: `${ns}.json` });
  }
  // Bases first, whatever order the SVD lists them in; derive.ts has reported cycles and unknown bases.
  const write = (p: SvdPeripheral, active: Set<SvdPeripheral>): Done | null => {
    if (written.has(p)) return written.get(p)!;
    const t = targets.get(p);
    const base = p.derivedFrom ? byName.get(p.derivedFrom.value) : undefined;
    if (!t || active.has(p) || (p.derivedFrom && !base)) return null;
    active.add(p);
    const b: Done | null | undefined = base ? write(base, active) : undefined;
    active.delete(p);
    if (b === null) {
      written.set(p, null);
      return null;
    }
    const w = new PeripheralWriter(device, p, t.ns, t.rel, file, report, enumIndex, protectionWarned, b?.root ?? p.name).write(b?.lines, b?.full.interrupts as Json | undefined);
    const r: Done = { spec: w.spec, full: w.full, root: b?.root ?? p.name, lines: w.lines, renamed: new Map(b?.renamed) };
    if (b) r.spec = overlayOf(w, b.spec, b.full, p, r.root, r.renamed, report);
    written.set(p, r);
    return r;
  };
  for (const p of device.peripherals) {
    const r = write(p, new Set());
    if (r) out.push(r.spec);
  }
  return out;
}

/**
 * The overlay a derived peripheral becomes: `extends` its base, its own `instance`, and an
 * operation for each item that differs from the base's (a register or cluster the derived
 * peripheral adds or changes, a block of another size, lines the base does not have). Items are
 * compared as written, so a register SVD repeats unchanged is inherited. A register only the
 * derived peripheral has is named with its own prefix (`UART1_EXTRA`), not the base's.
 */
function overlayOf(w: { spec: WrittenSpec; full: Json }, base: WrittenSpec, baseFull: Json, p: SvdPeripheral, root: string, renamed: Map<string, string>, report: ImportReport): WrittenSpec {
  const full = w.full;
  const locs = w.spec.locs;
  // `full` is this peripheral's whole spec, later compared with what derives from it: its names as the merged spec has them.
  const rename = (key: string, from: string, to: string) => {
    const obj = full[key] as Json;
    full[key] = Object.fromEntries(Object.entries(obj).map(([k, v]) => [k === from ? to : k, v]));
    locs.move(`/${key}/${escapePointerToken(from)}`, `/${key}/${escapePointerToken(to)}`);
  };
  for (const key of ["registers", "clusters"]) for (const [from, to] of renamed) if (full[key] && from in (full[key] as Json)) rename(key, from, to);
  const ops: Json[] = [{ op: "replace", path: "/instance", value: full.instance, doc: `${p.name} at its own base address${Object.keys((full.instance as Json).interrupts ?? {}).length ? " with its own interrupt numbers" : ""}.` }];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(full.block, baseFull.block)) ops.push({ op: "replace", path: "/block", value: full.block });
  for (const key of ["interrupts", "registers", "clusters"] as const) {
    const mine = (full[key] ?? {}) as Json;
    const theirs = baseFull[key] as Json | undefined;
    if (!theirs) {
      if (Object.keys(mine).length) ops.push({ op: "add", path: `/${key}`, value: mine });
      continue;
    }
    for (const name of Object.keys(theirs)) if (!(name in mine)) ops.push({ op: "remove", path: `/${key}/${escapePointerToken(name)}` });
    for (const [name, value] of Object.entries(mine)) {
      if (!(name in theirs)) {
        const own = key !== "interrupts" && name.startsWith(`${root}_`) ? `${p.name}${name.slice(root.length)}` : name;
        if (own !== name) {
          if (!checkName(own, locs.get(`/${key}/${escapePointerToken(name)}`) ?? p.loc, "register", report)) continue;
          rename(key, name, own);
          renamed.set(name, own);
          const v = value as Json;
          if (Array.isArray(v.aliases)) v.aliases = (v.aliases as string[]).map((a) => (a.startsWith(`${root}_`) ? `${p.name}${a.slice(root.length)}` : a));
        }
        ops.push({ op: "add", path: `/${key}/${escapePointerToken(own)}`, value });
      } else if (!same(value, theirs[name])) ops.push({ op: "replace", path: `/${key}/${escapePointerToken(name)}`, value });
    }
  }
  const json: Json = {
    $schema: "../schema/overlay.schema.json",
    kind: "device",
    name: full.name,
    doc: full.doc,
    source: full.source,
    extends: base.json.name,
    overlay: ops,
  };
  return { ...w.spec, json };
}

class PeripheralWriter {
  private readonly locs = new SpecLocs();
  private fieldCount = 0;
  private registerCount = 0;

  constructor(
    private readonly device: SvdDevice,
    private readonly p: SvdPeripheral,
    private readonly ns: string,
    private readonly rel: string,
    private readonly file: string,
    private readonly report: ImportReport,
    private readonly enumIndex: EnumIndex,
    private readonly protectionWarned: Set<Loc>,
    /** The prefix of register names: the peripheral's own name, or for a derived one its root base's. */
    private readonly prefix: string,
  ) {}

  /** `baseLines`: the interrupt lines of the spec a derived peripheral extends, wired in the SVD's order. */
  write(baseLines?: string[], baseLineJson?: Json): { spec: WrittenSpec; full: Json; lines: string[] } {
    const p = this.p;
    this.locs.set("", p.loc);
    const singles: Placed[] = [];
    const clusters: PlacedCluster[] = [];
    this.place(p.items, 0n, "", singles, clusters);
    const registers: Json = {};
    const names = new Map<string, Loc>();
    const claim = (name: string, loc: Loc) => {
      const prev = names.get(name);
      if (prev) this.report.error(loc, `register name ${name} is already used at line ${prev.line}, column ${prev.col}; SVD register names must differ within a peripheral`);
      names.set(name, loc);
      return !prev;
    };
    const alias = this.aliases(singles);
    let widths = new Set<number>();
    let end = 0n;
    for (const r of singles) {
      if (alias.skip.has(r) || !claim(r.name, r.reg.loc)) continue;
      for (const a of alias.names.get(r) ?? []) claim(a, r.reg.loc);
      const json = this.register(r, `/registers/${escapePointerToken(r.name)}`, alias.names.get(r));
      if (!json) continue;
      registers[r.name] = json;
      const w = this.width(r.reg);
      widths.add(w);
      end = max(end, r.offset + BigInt(w / 8) + (r.count ? BigInt(r.count - 1) * (r.stride ?? 0n) : 0n));
    }
    const clustersJson: Json = {};
    for (const c of clusters) {
      if (!claim(c.name, c.cluster.loc)) continue;
      const ptr = `/clusters/${escapePointerToken(c.name)}`;
      this.locs.set(ptr, c.cluster.loc);
      const regs: Json = {};
      for (const r of c.registers) {
        const json = this.register(r, `${ptr}/registers/${escapePointerToken(r.name)}`, undefined);
        if (!json) continue;
        regs[r.name] = json;
        const w = this.width(r.reg);
        widths.add(w);
        end = max(end, c.offset + r.offset + BigInt(w / 8) + BigInt(c.count - 1) * c.stride);
      }
      clustersJson[c.name] = {
        offset: hex(c.offset),
        ...(c.count > 1 ? { count: c.count, stride: hex(c.stride) } : {}),
        ...(c.cluster.doc ? { doc: c.cluster.doc } : {}),
        registers: regs,
      };
    }
    if (!widths.size) widths = new Set([this.p.props.size?.value && WIDTHS.includes(this.p.props.size.value) ? this.p.props.size.value : 32]);
    const accessWidths = [...widths].sort((a, b) => a - b);
    // Narrower registers accept only the block's widths that fit them (the block's list is every register width).
    for (const r of Object.values(registers) as Json[]) this.narrow(r, accessWidths);
    for (const c of Object.values(clustersJson) as Json[]) for (const r of Object.values(c.registers as Json) as Json[]) this.narrow(r, accessWidths);

    const blockEnd = p.addressBlocks.reduce((m, b) => max(m, b.offset + b.size), 0n);
    for (const b of p.addressBlocks) {
      if (b.usage === "buffer") this.report.warn(b.loc, `address block usage "buffer" (memory, not registers) is not imported: accesses there are unmapped in the spec`);
      else if (b.usage !== "registers" && b.usage !== "reserved") this.report.warn(b.loc, `address block usage "${b.usage}" is not one of registers, buffer, reserved; treated as registers`);
    }
    if (!p.addressBlocks.length) this.report.warn(p.loc, `peripheral ${p.name} has no <addressBlock>; the block size is the end of its last register`);
    else if (end > blockEnd) this.report.warn(p.addressBlocks[0]!.loc, `the registers of ${p.name} reach offset ${hex(end)}, beyond its address blocks (${hex(blockEnd)}); the block is made to cover them`);
    const size = max(max(end, blockEnd), 1n);
    this.locs.set("/block", p.addressBlocks[0]?.loc ?? p.loc);

    // Where the peripheral is and which interrupts it raises are facts of this copy (`instance`);
    // the lines themselves belong to the block. SVD names an interrupt but not when it is raised.
    const lines: string[] = [...(baseLines ?? [])];
    const lineJson: Json = { ...baseLineJson };
    const wired: Json = {};
    const wiredSeen = new Map<string, Loc>();
    p.interrupts.forEach((i) => {
      if (!checkName(i.name, i.loc, "interrupt", this.report)) return;
      if (wiredSeen.has(i.name)) {
        this.report.error(i.loc, `interrupt ${i.name} is listed twice in ${p.name}`);
        return;
      }
      wiredSeen.set(i.name, i.loc);
      // A derived peripheral's interrupts are its base's lines in the order SVD lists them; any beyond are lines of its own.
      let line = baseLines?.[wiredSeen.size - 1];
      if (line === undefined) {
        line = i.name;
        lines.push(line);
        lineJson[line] = { expr: "false", doc: `SVD interrupt ${i.name}${i.doc ? ": " + i.doc : ""}. The SVD does not say when the line is raised, so the spec never raises it.`.replace(/\.\.(\s|$)/g, ".$1") };
        this.locs.at("/interrupts/", line, "", i.loc);
      }
      wired[line] = { number: Number(i.value), doc: `SVD interrupt ${i.name}${i.doc ? ": " + i.doc : ""}.`.replace(/\.\.(\s|$)/g, ".$1") };
      this.locs.at("/instance/interrupts/", line, "", i.loc);
    });
    this.locs.set("/instance", p.loc);
    const instance: Json = { base: hex(p.baseAddress), doc: `${p.name} in the ${this.device.name} memory map.`, ...(Object.keys(wired).length ? { interrupts: wired } : {}) };
    this.warnProtection(p.props);

    const derived = p.derivedFrom ? ` Derived from ${p.derivedFrom.value} (SVD derivedFrom): an instance of it at its own base, with the registers it changes.` : "";
    const json: Json = {
      $schema: "../schema/device.schema.json",
      kind: "device",
      name: this.ns,
      doc: `${p.name}${p.doc ? ": " + p.doc : ""}.${derived}`.replace(/\.\.(\s|$)/g, ".$1"),
      source: `CMSIS-SVD ${baseName(this.file)}: device ${this.device.name}${this.device.vendor ? ` (${this.device.vendor})` : ""}${this.device.version ? ` version ${this.device.version}` : ""}, peripheral ${p.name} at line ${p.loc.line}; imported by hwspec import svd`,
      block: {
        size: hex(size),
        access_widths: accessWidths,
      },
      registers,
      ...(Object.keys(clustersJson).length ? { clusters: clustersJson } : {}),
      ...(Object.keys(lineJson).length ? { interrupts: lineJson } : {}),
      instance,
    };
    return { spec: { rel: this.rel, peripheral: p.name, json, locs: this.locs, registers: this.registerCount, fields: this.fieldCount }, full: json, lines };
  }

  private narrow(r: Json, widths: number[]): void {
    const w = (r.width as number | undefined) ?? 32;
    if (widths.some((x) => x > w)) r.access_widths = widths.filter((x) => x <= w);
  }

  private width(r: SvdRegister): number {
    const w = r.props.size?.value ?? 32;
    return WIDTHS.includes(w) ? w : 32;
  }

  /**
   * Places registers and clusters at offsets from the peripheral's base. A dim register or cluster
   * whose elements are numbered 0..n-1 (`NAME[%s]`, or `NAME%s` at the end) becomes an array of
   * hwspec; any other dim (named indices, `%s` inside the name, arrays inside a repeated cluster)
   * is unrolled into one register per element. A cluster without dim is flattened into
   * `CLUSTER_REG` names.
   */
  private place(items: (SvdRegister | SvdCluster)[], base: bigint, prefix: string, singles: Placed[], clusters: PlacedCluster[]): void {
    for (const it of items) {
      if (it.type === "register") {
        const d = it.dim;
        const arr = d && arrayName(it.name, d);
        if (!d) singles.push({ name: this.regName(prefix + it.name, it.loc), offset: base + it.offset, reg: it });
        else if (arr !== undefined) singles.push({ name: this.regName(prefix + arr, it.loc), offset: base + it.offset, reg: it, count: d.dim, stride: d.increment });
        else d.index.forEach((s, i) => singles.push({ name: this.regName(prefix + substitute(it.name, s), it.loc), offset: base + it.offset + BigInt(i) * d.increment, reg: it }));
        continue;
      }
      const d = it.dim;
      const arr = d && arrayName(it.name, d);
      const simple = it.items.every((x) => x.type === "register" && !x.dim);
      if (d && arr !== undefined && simple && d.dim > 1) {
        const registers = (it.items as SvdRegister[]).map((r) => ({ name: r.name, offset: r.offset, reg: r }));
        for (const r of registers) checkName(r.name, r.reg.loc, "register", this.report);
        clusters.push({ name: this.regName(prefix + arr, it.loc), offset: base + it.offset, count: d.dim, stride: d.increment, cluster: it, registers });
      } else if (d) {
        d.index.forEach((s, i) => this.place(it.items, base + it.offset + BigInt(i) * d.increment, `${prefix}${substitute(it.name, s)}_`, singles, clusters));
      } else this.place(it.items, base + it.offset, `${prefix}${it.name}_`, singles, clusters);
    }
  }

  private regName(name: string, loc: Loc): string {
    const full = `${this.prefix}_${name}`;
    checkName(full, loc, "register", this.report);
    return full;
  }

  /**
   * alternateRegister and alternateGroup: another view of the same offset. The device vocabulary
   * gives an offset other names (`aliases`) but one set of fields, so the alternate becomes a name
   * of the register it stands in for, and fields it describes differently are a warning.
   * (`alias_of` is storage shared across two offsets, a set/clear pair, not this.)
   */
  private aliases(regs: Placed[]): { names: Map<Placed, string[]>; skip: Set<Placed> } {
    const names = new Map<Placed, string[]>();
    const skip = new Set<Placed>();
    for (const r of regs) {
      const alt = r.reg.alternateRegister;
      const grp = r.reg.alternateGroup;
      if (!alt && !grp) continue;
      if (grp) r.name = `${r.name}_${grp.value}`;
      const target = alt
        ? regs.find((x) => x !== r && x.reg.name === alt.value && !x.reg.alternateRegister)
        : regs.find((x) => x !== r && !x.reg.alternateGroup && !x.reg.alternateRegister && x.offset === r.offset);
      const at = (alt ?? grp)!;
      if (!target) {
        if (alt) this.report.error(alt.loc, `alternateRegister ${alt.value}: no register of that name in ${this.p.name}`);
        continue;
      }
      if (target.offset !== r.offset) {
        this.report.error(at.loc, `${r.reg.name} is an alternate of ${target.reg.name} but sits at offset ${hex(r.offset)}, not ${hex(target.offset)}`);
        continue;
      }
      if (!checkName(r.name, at.loc, "register", this.report)) continue;
      names.set(target, [...(names.get(target) ?? []), r.name]);
      skip.add(r);
      if (fieldsKey(r.reg) !== fieldsKey(target.reg)) {
        this.report.warn(at.loc, `${r.reg.name}${grp ? ` (alternateGroup ${grp.value})` : ""} describes offset ${hex(r.offset)} with other fields than ${target.reg.name}; the device vocabulary has one set of fields per offset, so it is imported as the name ${r.name} of ${target.name} (aliases) and its own fields are not imported`);
      }
    }
    return { names, skip };
  }

  private register(r: Placed, ptr: string, aliases: string[] | undefined): Json | undefined {
    const reg = r.reg;
    this.locs.set(ptr, reg.loc);
    this.locs.at(ptr, "", "/offset", reg.offsetLoc);
    const size = reg.props.size;
    const width = size?.value ?? 32;
    if (!WIDTHS.includes(width)) {
      this.report.error(size?.loc ?? reg.loc, `register ${reg.name} is ${width} bits wide; device specs hold 8-, 16- and 32-bit registers`);
      return undefined;
    }
    this.warnProtection(reg.props);
    if (reg.writeConstraint) this.report.warn(reg.writeConstraint, `register ${reg.name}: <writeConstraint> is not imported: hwspec's vocabulary has no constraint on written values`);
    const regAccess = mapAccess(reg.props.access || reg.modifiedWriteValues || reg.readAction ? { access: reg.props.access, modifiedWriteValues: reg.modifiedWriteValues, readAction: reg.readAction } : {}, `register ${reg.name}`);
    for (const w of regAccess.warnings) this.report.warn(w.loc, w.message);
    const json: Json = { offset: hex(r.offset) };
    if (width !== 32) json.width = width;
    if (regAccess.access !== "rw") json.access = regAccess.access;
    const reset = resetOf(reg.props, width, reg.name, this.report);
    if (reset !== undefined) json.reset = hex(reset);
    if (reg.doc) json.doc = reg.doc;
    if (r.count) {
      json.count = r.count;
      json.stride = hex(r.stride!);
      this.locs.at(ptr, "", "/count", reg.dim!.loc);
    }
    if (aliases?.length) json.aliases = aliases;
    const fields: Json = {};
    const fieldList = reg.fields.length ? reg.fields : [wholeRegister(reg, width)];
    const fieldNames = new Map<string, Loc>();
    for (const f of fieldList) {
      if (!checkName(f.name, f.loc, "field", this.report)) continue;
      const prev = fieldNames.get(f.name.toLowerCase());
      if (prev) {
        this.report.error(f.loc, `field ${f.name} of ${reg.name} is already defined at line ${prev.line}, column ${prev.col}`);
        continue;
      }
      fieldNames.set(f.name.toLowerCase(), f.loc);
      const fields_ = `${ptr}/fields/`;
      this.locs.at(fields_, f.name, "", f.loc);
      this.locs.at(fields_, f.name, "/bits", f.bitsLoc);
      fields[f.name] = this.field(f, reg, regAccess.access, fields_);
      this.fieldCount++;
    }
    json.fields = fields;
    json.reserved = "ignore";
    this.registerCount++;
    return json;
  }

  /** `fieldsPtr`: the pointer of the register's fields, `/` included. */
  private field(f: SvdField, reg: SvdRegister, regAccess: HwAccess, fieldsPtr: string): Json {
    const hi = f.lsb + f.width - 1;
    const json: Json = { bits: f.width === 1 ? String(f.lsb) : `${hi}:${f.lsb}` };
    const own = f.access || f.modifiedWriteValues || f.readAction;
    if (own) {
      const m = mapAccess({ access: f.access ?? reg.props.access, modifiedWriteValues: f.modifiedWriteValues ?? reg.modifiedWriteValues, readAction: f.readAction ?? reg.readAction }, `field ${reg.name}.${f.name}`);
      for (const w of m.warnings) if (!(w.loc === reg.props.access?.loc || w.loc === reg.modifiedWriteValues?.loc || w.loc === reg.readAction?.loc)) this.report.warn(w.loc, w.message);
      if (m.access !== regAccess) json.access = m.access;
    }
    if (f.writeConstraint) this.report.warn(f.writeConstraint, `field ${reg.name}.${f.name}: <writeConstraint> is not imported: hwspec's vocabulary has no constraint on written values`);
    if (f.doc) json.doc = f.doc;
    const e = this.enumOf(f, reg, fieldsPtr);
    if (e) json.enum = e;
    return json;
  }

  /**
   * A field's named values. hwspec keeps one set per field, so of a read set and a write set the
   * one for reads (or read-write) is imported and the other is a warning; isDefault ("any other
   * value") and don't-care patterns that stand for several values are warnings too.
   */
  private enumOf(f: SvdField, reg: SvdRegister, fieldsPtr: string): Json | undefined {
    if (!f.enums.length) return undefined;
    const ptr = `${fieldsPtr}${escapePointerToken(f.name)}/enum/`;
    const sets = f.enums.map((s) => (s.derivedFrom ? this.derivedEnum(s, reg, f) : s)).filter((s): s is SvdEnumSet => !!s);
    if (!sets.length) return undefined;
    const chosen = sets.find((s) => s.usage.value !== "write") ?? sets[0]!;
    for (const s of sets) if (s !== chosen && !sameValues(s, chosen)) this.report.warn(s.loc, `field ${reg.name}.${f.name}: the enumeratedValues for ${s.usage.value} is not imported: a field holds one set of named values, and the one for ${chosen.usage.value} (line ${chosen.loc.line}) is kept`);
    const out: Json = {};
    for (const v of chosen.values) {
      if (v.isDefault) {
        this.report.warn(v.loc, `field ${reg.name}.${f.name}: enumeratedValue ${v.name} is isDefault (every value not listed); hwspec enums name single values, so it is not imported`);
        continue;
      }
      if (v.values.length > 1) {
        this.report.warn(v.loc, `field ${reg.name}.${f.name}: enumeratedValue ${v.name} stands for ${v.values.length} values (don't-care bits); imported as ${v.values.length} names ${v.name}_<value>`);
        for (const x of v.values) this.enumMember(out, `${v.name}_${x.toString(2).padStart(f.width, "0")}`, x, v.loc, ptr);
        continue;
      }
      this.enumMember(out, v.name, v.values[0]!, v.loc, ptr);
    }
    return Object.keys(out).length ? out : undefined;
  }

  /** `ptr`: the pointer of the field's enum, `/` included. */
  private enumMember(out: Json, name: string, value: bigint, loc: Loc, ptr: string): void {
    if (!checkName(name, loc, "enumerated value", this.report)) return;
    if (out[name] !== undefined) {
      this.report.error(loc, `enumerated value ${name} is named twice in one field`);
      return;
    }
    out[name] = hex(value);
    this.locs.at(ptr, name, "", loc);
  }

  private derivedEnum(s: SvdEnumSet, reg: SvdRegister, f: SvdField): SvdEnumSet | undefined {
    const from = s.derivedFrom!;
    const path = from.value.split(".");
    const found = (this.enumIndex.get(path[path.length - 1]!) ?? []).filter((e) => endsWith(e.path, path.slice(0, -1)));
    // Nearest scope first: the same register, then the same peripheral, then the device.
    const scoped = [found.filter((e) => e.register === reg), found.filter((e) => e.peripheral === this.p), found];
    const best = scoped.find((l) => l.length) ?? [];
    if (!best.length) {
      this.report.error(from.loc, `enumeratedValues derivedFrom "${from.value}": no enumeratedValues of that name`);
      return undefined;
    }
    if (best.length > 1) {
      this.report.error(from.loc, `enumeratedValues derivedFrom "${from.value}" is ambiguous: ${best.map((e) => `${e.path.join(".")} (line ${e.set.loc.line})`).join(", ")}; qualify it with the field, register or peripheral`);
      return undefined;
    }
    const base = best[0]!.set;
    if (base.derivedFrom) {
      this.report.error(from.loc, `enumeratedValues derivedFrom "${from.value}" names a set that is itself derived; name the original`);
      return undefined;
    }
    void f;
    return { ...base, usage: s.usage.loc === s.loc ? base.usage : s.usage, loc: s.loc };
  }

  private warnProtection(props: SvdProps): void {
    const p = props.protection;
    if (p && !this.protectionWarned.has(p.loc)) {
      this.protectionWarned.add(p.loc);
      this.report.warn(p.loc, `<protection> ${p.value} is not imported: the device vocabulary has no secure/privileged access attribute`);
    }
  }
}

type EnumEntry = { path: string[]; set: SvdEnumSet; register: SvdRegister; peripheral: SvdPeripheral };
/** Named enumeratedValues sets by name, each list in document order. */
type EnumIndex = Map<string, EnumEntry[]>;

/**
 * Indexed by name so that resolving a derivedFrom looks at the sets of that name only: a large SVD
 * derives thousands of sets, and a scan of every set for each one grew with the square of the file.
 */
function indexEnums(device: SvdDevice): EnumIndex {
  const out: EnumIndex = new Map();
  const walk = (p: SvdPeripheral, items: (SvdRegister | SvdCluster)[], path: string[]) => {
    for (const it of items) {
      if (it.type === "cluster") walk(p, it.items, [...path, it.name]);
      else
        for (const f of it.fields)
          for (const s of f.enums) {
            if (s.name === undefined) continue;
            const entry = { path: [...path, it.name, f.name], set: s, register: it, peripheral: p };
            const same = out.get(s.name);
            if (same) same.push(entry);
            else out.set(s.name, [entry]);
          }
    }
  };
  for (const p of device.peripherals) walk(p, p.items, [p.name]);
  return out;
}

const fieldsKey = (r: SvdRegister) => JSON.stringify(r.fields.map((f) => [f.name, f.lsb, f.width, f.access?.value, f.modifiedWriteValues?.value, f.readAction?.value]));

const endsWith = (path: string[], tail: string[]) => tail.every((t, i) => path[path.length - tail.length + i] === t);

const sameValues = (a: SvdEnumSet, b: SvdEnumSet) => JSON.stringify(a.values.map((v) => [v.name, v.values.map(String), v.isDefault])) === JSON.stringify(b.values.map((v) => [v.name, v.values.map(String), v.isDefault]));

/** A register SVD gives no fields: one field over every bit, named after the register, so it stays readable and writable. */
function wholeRegister(reg: SvdRegister, width: number): SvdField {
  const name = reg.name.replace(/\[%s\]|%s/g, "");
  return { name: name || "value", loc: reg.loc, doc: "", lsb: 0, width, bitsLoc: reg.loc, enums: [] };
}

/**
 * resetValue limited to resetMask: bits outside the mask have no defined reset value in SVD, and
 * hwspec has no word for "unknown at reset", so they are imported as 0 and a warning says so.
 */
function resetOf(props: SvdProps, width: number, name: string, report: ImportReport): bigint | undefined {
  if (!props.resetValue) return undefined;
  const all = (1n << BigInt(width)) - 1n;
  const mask = (props.resetMask?.value ?? all) & all;
  if (mask !== all && props.resetMask) report.warn(props.resetMask.loc, `register ${name}: resetMask ${hex(props.resetMask.value)} leaves bits ${hex(all & ~mask)} without a reset value; they are imported as 0`);
  if (props.resetValue.value & ~all) report.warn(props.resetValue.loc, `register ${name}: resetValue ${hex(props.resetValue.value)} does not fit ${width} bits; the high bits are dropped`);
  return props.resetValue.value & mask;
}

/** `NAME[%s]`, or `NAME%s` with indices 0..n-1: the name of an hwspec array (elements `NAME[i]`, `NAMEi`). */
function arrayName(name: string, d: { index: string[] }): string | undefined {
  const numbered = d.index.every((s, i) => s === String(i));
  if (name.endsWith("[%s]") && numbered) return name.slice(0, -4);
  if (name.endsWith("%s") && numbered && name.indexOf("%s") === name.length - 2) return name.slice(0, -2);
  return undefined;
}

const substitute = (name: string, s: string) => name.replace(/\[%s\]/, s).replace(/%s/, s);

function checkName(name: string, loc: Loc, what: string, report: ImportReport): boolean {
  if (!IDENT.test(name)) {
    report.error(loc, `${what} name ${JSON.stringify(name)} is not an identifier (letters, digits and _, not starting with a digit)`);
    return false;
  }
  if (name.length > MAX_IDENT) {
    report.error(loc, `${what} name ${name} is ${name.length} characters long; names are limited to ${MAX_IDENT}`);
    return false;
  }
  return true;
}

/** A namespace segment: lower case, anything else than a-z0-9_ as `_`, a letter first. */
function namespacePart(name: string, fallback: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  return /^[a-z]/.test(s) ? s : s ? `${fallback[0]}${s}` : fallback;
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const baseName = (f: string) => f.split(/[\\/]/).pop() ?? f;
