import type { Loc } from "../../diagnostics.ts";
import type { ImportReport } from "../report.ts";
import { resolveDerived } from "./derive.ts";
import type { At, SvdCluster, SvdDevice, SvdDim, SvdEnumSet, SvdField, SvdPeripheral, SvdProps, SvdRegister } from "./model.ts";
import { parseEnumValue, parseSvdInteger } from "./numbers.ts";
import type { XmlElement } from "./xml.ts";

/**
 * Elements that describe the part or its C header rather than a layout: read by nothing, by
 * design (docs/importers.md lists them), so they are not reported one by one.
 */
const METADATA = new Set([
  "vendorID", "series", "licenseText", "headerSystemFilename", "headerDefinitionsPrefix", "width", "groupName",
  "headerStructName", "displayName", "dataType", "headerEnumName", "dimName", "version",
]);

const ACCESS = new Set(["read-only", "write-only", "read-write", "writeOnce", "read-writeOnce"]);
const WRITE_VALUES = new Set(["oneToClear", "oneToSet", "oneToToggle", "zeroToClear", "zeroToSet", "zeroToToggle", "clear", "set", "modify"]);
const READ_ACTIONS = new Set(["clear", "set", "modify", "modifyExternal"]);
const USAGE = new Set(["read", "write", "read-write"]);

/** Reads a CMSIS-SVD element tree into the SVD model: derivedFrom resolved, properties inherited, every value located. */
export function readSvd(root: XmlElement, report: ImportReport): SvdDevice | undefined {
  if (root.name !== "device") {
    report.error(root.loc, `the root element is <${root.name}>; a CMSIS-SVD file starts with <device>`);
    return undefined;
  }
  const device = resolveDerived(root, report);
  const r = new Reader(report);
  const props = r.props(device, {});
  const unit = r.child(device, "addressUnitBits");
  if (unit && r.int(unit) !== 8n) report.error(unit.loc, `addressUnitBits ${unit.text.trim()}: only byte-addressed devices (8) are imported`);
  const peripherals: SvdPeripheral[] = [];
  const list = r.child(device, "peripherals");
  r.expect(device, ["name", "description", "vendor", "version", "addressUnitBits", "peripherals", ...PROPS, "cpu"]);
  const cpu = r.child(device, "cpu");
  if (cpu) report.warn(cpu.loc, "<cpu> is not imported: hwspec specs describe peripherals, not the processor core");
  for (const p of list?.children ?? []) {
    if (p.name !== "peripheral") r.unknown(p, "peripherals");
    else peripherals.push(...r.peripheral(p, props));
  }
  return {
    name: r.text(device, "name") ?? "",
    loc: device.loc,
    doc: r.text(device, "description") ?? "",
    vendor: r.text(device, "vendor"),
    version: r.text(device, "version"),
    props,
    peripherals,
  };
}

const PROPS = ["size", "access", "protection", "resetValue", "resetMask"];
const DIM = ["dim", "dimIncrement", "dimIndex", "dimName", "dimArrayIndex"];

class Reader {
  constructor(private readonly report: ImportReport) {}

  child(el: XmlElement, name: string): XmlElement | undefined {
    return el.children.find((c) => c.name === name);
  }

  text(el: XmlElement, name: string): string | undefined {
    const c = this.child(el, name);
    return c ? collapse(c.text) : undefined;
  }

  int(el: XmlElement): bigint | undefined {
    const v = parseSvdInteger(el.text);
    if (v === undefined) this.report.error(el.loc, `<${el.name}> "${el.text.trim()}" is not an SVD integer (decimal, 0x hex or # binary)`);
    return v;
  }

  required(el: XmlElement, name: string): XmlElement | undefined {
    const c = this.child(el, name);
    if (!c) this.report.error(el.loc, `<${el.name}> has no <${name}>`);
    return c;
  }

  unknown(el: XmlElement, where: string): void {
    this.report.warn(el.loc, `<${el.name}> in <${where}> is not part of CMSIS-SVD 1.3 as hwspec reads it; not imported`);
  }

  /** Warns about each child that is neither read nor known metadata. */
  expect(el: XmlElement, known: string[]): void {
    for (const c of el.children) if (!known.includes(c.name) && !METADATA.has(c.name)) this.unknown(c, el.name);
  }

  enumText<T extends string>(el: XmlElement | undefined, allowed: Set<string>): At<T> | undefined {
    if (!el) return undefined;
    const v = el.text.trim();
    if (!allowed.has(v)) {
      this.report.error(el.loc, `<${el.name}> "${v}" is not one of ${[...allowed].join(", ")}`);
      return undefined;
    }
    return { value: v as T, loc: el.loc };
  }

  props(el: XmlElement, inherited: SvdProps): SvdProps {
    const out: SvdProps = { ...inherited };
    const size = this.child(el, "size");
    if (size) {
      const v = this.int(size);
      if (v !== undefined) out.size = { value: Number(v), loc: size.loc };
    }
    const access = this.enumText<string>(this.child(el, "access"), ACCESS);
    if (access) out.access = access;
    const prot = this.child(el, "protection");
    if (prot) out.protection = { value: prot.text.trim(), loc: prot.loc };
    for (const k of ["resetValue", "resetMask"] as const) {
      const c = this.child(el, k);
      if (c) {
        const v = this.int(c);
        if (v !== undefined) out[k] = { value: v, loc: c.loc };
      }
    }
    return out;
  }

  dim(el: XmlElement): SvdDim | undefined {
    const d = this.child(el, "dim");
    if (!d) {
      for (const k of ["dimIncrement", "dimIndex"]) {
        const c = this.child(el, k);
        if (c) this.report.error(c.loc, `<${k}> without <dim>`);
      }
      return undefined;
    }
    const n = this.int(d);
    const incEl = this.required(el, "dimIncrement");
    const inc = incEl ? this.int(incEl) : undefined;
    if (n === undefined || inc === undefined) return undefined;
    if (n < 1n || n > 65536n) {
      this.report.error(d.loc, `<dim> ${n}: between 1 and 65536 elements are imported`);
      return undefined;
    }
    const ai = this.child(el, "dimArrayIndex");
    if (ai) this.report.warn(ai.loc, "<dimArrayIndex> (an enum over array indices) is not imported; the array keeps numeric indices");
    const idx = this.child(el, "dimIndex");
    let index = Array.from({ length: Number(n) }, (_, i) => String(i));
    if (idx) {
      const parsed = parseDimIndex(idx.text.trim());
      if (!parsed) this.report.error(idx.loc, `<dimIndex> "${idx.text.trim()}" is neither a list (A,B,C) nor a range (0-3 or A-D)`);
      else if (parsed.length !== Number(n)) this.report.error(idx.loc, `<dimIndex> names ${parsed.length} elements but <dim> is ${n}`);
      else index = parsed;
    }
    return { dim: Number(n), increment: inc, index, explicit: !!idx, loc: d.loc };
  }

  peripheral(el: XmlElement, inherited: SvdProps): SvdPeripheral[] {
    this.expect(el, ["name", "description", "baseAddress", "addressBlock", "interrupt", "registers", "alternatePeripheral", "prependToName", "appendToName", "disableCondition", ...PROPS, ...DIM]);
    for (const k of ["alternatePeripheral", "prependToName", "appendToName", "disableCondition"]) {
      const c = this.child(el, k);
      if (c) this.report.warn(c.loc, `<${k}> is not imported: the device vocabulary has no ${k === "disableCondition" ? "condition that disables a peripheral" : k === "alternatePeripheral" ? "peripheral sharing another's addresses" : "header-name decoration"}`);
    }
    const nameEl = this.required(el, "name");
    const baseEl = this.required(el, "baseAddress");
    if (!nameEl || !baseEl) return [];
    const base = this.int(baseEl) ?? 0n;
    const props = this.props(el, inherited);
    const addressBlocks = el.children
      .filter((c) => c.name === "addressBlock")
      .flatMap((b) => {
        const o = this.required(b, "offset");
        const s = this.required(b, "size");
        const off = o ? this.int(o) : undefined;
        const size = s ? this.int(s) : undefined;
        const prot = this.child(b, "protection");
        if (prot) this.report.warn(prot.loc, "<protection> of an address block is not imported: the device vocabulary has no secure/privileged access attribute");
        return off === undefined || size === undefined ? [] : [{ offset: off, size, usage: this.text(b, "usage") ?? "registers", loc: b.loc }];
      });
    const interrupts = el.children
      .filter((c) => c.name === "interrupt")
      .flatMap((i) => {
        const v = this.required(i, "value");
        const value = v ? this.int(v) : undefined;
        const name = this.text(i, "name");
        if (name === undefined) this.report.error(i.loc, "<interrupt> has no <name>");
        return value === undefined || name === undefined ? [] : [{ name, doc: this.text(i, "description") ?? "", value, loc: i.loc }];
      });
    const regs = this.child(el, "registers");
    const items = regs ? this.items(regs, props) : [];
    const from = el.attrs.get("derivedFrom");
    const one = (name: string, baseAddress: bigint): SvdPeripheral => ({
      name,
      loc: el.loc,
      doc: this.text(el, "description") ?? "",
      baseAddress,
      props,
      addressBlocks,
      interrupts,
      items,
      ...(from ? { derivedFrom: { value: from.value, loc: from.loc } } : {}),
    });
    const dim = this.dim(el);
    const name = collapse(nameEl.text);
    if (!dim) return [one(name, base)];
    // A peripheral array is one peripheral per element, each at its own base.
    return dim.index.map((s, i) => one(name.replace(/\[%s\]|%s/, s), base + BigInt(i) * dim.increment));
  }

  items(el: XmlElement, inherited: SvdProps): (SvdRegister | SvdCluster)[] {
    const out: (SvdRegister | SvdCluster)[] = [];
    for (const c of el.children) {
      if (c.name === "register") out.push(...this.register(c, inherited));
      else if (c.name === "cluster") out.push(...this.cluster(c, inherited));
      else if (el.name === "registers") this.unknown(c, el.name);
    }
    return out;
  }

  offset(el: XmlElement): { offset: bigint; loc: Loc } | undefined {
    const o = this.required(el, "addressOffset");
    const v = o ? this.int(o) : undefined;
    return v === undefined ? undefined : { offset: v, loc: o!.loc };
  }

  cluster(el: XmlElement, inherited: SvdProps): SvdCluster[] {
    this.expect(el, ["name", "description", "addressOffset", "register", "cluster", "alternateCluster", ...PROPS, ...DIM]);
    const alt = this.child(el, "alternateCluster");
    if (alt) this.report.warn(alt.loc, "<alternateCluster> is not imported: its registers are placed at their own offsets, where they overlap the other cluster's");
    const name = this.text(el, "name");
    const off = this.offset(el);
    if (name === undefined) this.report.error(el.loc, "<cluster> has no <name>");
    if (name === undefined || !off) return [];
    const props = this.props(el, inherited);
    const dim = this.dim(el);
    return [{ type: "cluster", name, loc: el.loc, doc: this.text(el, "description") ?? "", offset: off.offset, offsetLoc: off.loc, props, items: this.items(el, props), ...(dim ? { dim } : {}) }];
  }

  register(el: XmlElement, inherited: SvdProps): SvdRegister[] {
    this.expect(el, ["name", "description", "addressOffset", "alternateGroup", "alternateRegister", "modifiedWriteValues", "writeConstraint", "readAction", "fields", ...PROPS, ...DIM]);
    const name = this.text(el, "name");
    const off = this.offset(el);
    if (name === undefined) this.report.error(el.loc, "<register> has no <name>");
    if (name === undefined || !off) return [];
    const fieldsEl = this.child(el, "fields");
    const fields: SvdField[] = [];
    for (const f of fieldsEl?.children ?? []) {
      if (f.name === "field") fields.push(...this.field(f));
      else this.unknown(f, "fields");
    }
    const dim = this.dim(el);
    const wc = this.child(el, "writeConstraint");
    const alternateRegister = this.child(el, "alternateRegister");
    const alternateGroup = this.child(el, "alternateGroup");
    return [
      {
        type: "register",
        name,
        loc: el.loc,
        doc: this.text(el, "description") ?? "",
        offset: off.offset,
        offsetLoc: off.loc,
        props: this.props(el, inherited),
        ...opt("modifiedWriteValues", this.enumText(this.child(el, "modifiedWriteValues"), WRITE_VALUES)),
        ...opt("readAction", this.enumText(this.child(el, "readAction"), READ_ACTIONS)),
        ...(wc ? { writeConstraint: wc.loc } : {}),
        ...(alternateRegister ? { alternateRegister: { value: collapse(alternateRegister.text), loc: alternateRegister.loc } } : {}),
        ...(alternateGroup ? { alternateGroup: { value: collapse(alternateGroup.text), loc: alternateGroup.loc } } : {}),
        fields,
        ...(dim ? { dim } : {}),
      },
    ];
  }

  field(el: XmlElement): SvdField[] {
    this.expect(el, ["name", "description", "bitOffset", "bitWidth", "lsb", "msb", "bitRange", "access", "modifiedWriteValues", "writeConstraint", "readAction", "enumeratedValues", ...DIM]);
    const name = this.text(el, "name");
    if (name === undefined) {
      this.report.error(el.loc, "<field> has no <name>");
      return [];
    }
    const bits = this.bits(el);
    if (!bits) return [];
    const wc = this.child(el, "writeConstraint");
    const enums = el.children.filter((c) => c.name === "enumeratedValues").flatMap((e) => this.enumSet(e));
    const base: SvdField = {
      name,
      loc: el.loc,
      doc: this.text(el, "description") ?? "",
      ...bits,
      ...opt("access", this.enumText(this.child(el, "access"), ACCESS)),
      ...opt("modifiedWriteValues", this.enumText(this.child(el, "modifiedWriteValues"), WRITE_VALUES)),
      ...opt("readAction", this.enumText(this.child(el, "readAction"), READ_ACTIONS)),
      ...(wc ? { writeConstraint: wc.loc } : {}),
      enums,
    };
    const dim = this.dim(el);
    if (!dim) return [base];
    // Field arrays have no hwspec form: each element is a field of its own.
    return dim.index.map((s, i) => ({ ...base, name: name.replace(/\[%s\]|%s/, s), lsb: base.lsb + i * Number(dim.increment) }));
  }

  bits(el: XmlElement): { lsb: number; width: number; bitsLoc: Loc } | undefined {
    const num = (n: string) => {
      const c = this.child(el, n);
      return c ? { v: this.int(c), loc: c.loc } : undefined;
    };
    const range = this.child(el, "bitRange");
    if (range) {
      const m = /^\[(\d+):(\d+)\]$/.exec(range.text.trim());
      if (!m || Number(m[1]) < Number(m[2])) {
        this.report.error(range.loc, `<bitRange> "${range.text.trim()}" is not [msb:lsb]`);
        return undefined;
      }
      return { lsb: Number(m[2]), width: Number(m[1]) - Number(m[2]) + 1, bitsLoc: range.loc };
    }
    const off = num("bitOffset");
    if (off) {
      const w = num("bitWidth");
      if (off.v === undefined || (w && w.v === undefined)) return undefined;
      return { lsb: Number(off.v), width: Number(w?.v ?? 1n), bitsLoc: off.loc };
    }
    const lsb = num("lsb");
    const msb = num("msb");
    if (lsb && msb) {
      if (lsb.v === undefined || msb.v === undefined) return undefined;
      if (msb.v < lsb.v) {
        this.report.error(msb.loc, `<msb> ${msb.v} is below <lsb> ${lsb.v}`);
        return undefined;
      }
      return { lsb: Number(lsb.v), width: Number(msb.v - lsb.v) + 1, bitsLoc: lsb.loc };
    }
    this.report.error(el.loc, "<field> has no bit range (bitOffset/bitWidth, lsb/msb or bitRange)");
    return undefined;
  }

  enumSet(el: XmlElement): SvdEnumSet[] {
    this.expect(el, ["name", "usage", "enumeratedValue"]);
    const usageEl = this.child(el, "usage");
    const usage = (usageEl ? this.enumText<"read" | "write" | "read-write">(usageEl, USAGE) : undefined) ?? { value: "read-write" as const, loc: el.loc };
    const values = el.children
      .filter((c) => c.name === "enumeratedValue")
      .flatMap((v) => {
        this.expect(v, ["name", "description", "value", "isDefault"]);
        const name = this.text(v, "name");
        if (name === undefined) {
          this.report.error(v.loc, "<enumeratedValue> has no <name>");
          return [];
        }
        const isDefault = this.text(v, "isDefault") === "true";
        const valEl = this.child(v, "value");
        let vals: bigint[] = [];
        if (valEl) {
          const p = parseEnumValue(valEl.text);
          if (!p) this.report.error(valEl.loc, `<value> "${valEl.text.trim()}" is not an enumerated value (a number, or # binary with x for bits that do not matter, at most 8 of them)`);
          else vals = p;
        } else if (!isDefault) this.report.error(v.loc, "<enumeratedValue> has neither <value> nor <isDefault>true</isDefault>");
        return [{ name, doc: this.text(v, "description") ?? "", values: vals, isDefault, loc: v.loc }];
      });
    const name = this.text(el, "name");
    const from = el.attrs.get("derivedFrom");
    return [{ ...(name !== undefined ? { name } : {}), usage, values, loc: el.loc, ...(from ? { derivedFrom: { value: from.value, loc: from.loc } } : {}) } as SvdEnumSet];
  }
}

function opt<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };
}

/** SVD text is free-flowing: runs of white space (line breaks in descriptions) become one space. */
const collapse = (s: string) => s.replace(/\s+/g, " ").trim();

/** `A,B,C`, `0-3` or `A-D`. */
export function parseDimIndex(text: string): string[] | undefined {
  const num = /^(\d+)-(\d+)$/.exec(text);
  if (num) {
    const [a, b] = [Number(num[1]), Number(num[2])];
    return b < a || b - a > 65535 ? undefined : Array.from({ length: b - a + 1 }, (_, i) => String(a + i));
  }
  const letters = /^([A-Z])-([A-Z])$/.exec(text);
  if (letters) {
    const [a, b] = [letters[1]!.charCodeAt(0), letters[2]!.charCodeAt(0)];
    return b < a ? undefined : Array.from({ length: b - a + 1 }, (_, i) => String.fromCharCode(a + i));
  }
  const list = text.split(",").map((s) => s.trim());
  return list.every((s) => /^[_0-9a-zA-Z]+$/.test(s)) ? list : undefined;
}
