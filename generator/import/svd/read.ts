import type { Loc } from "../../diagnostics.ts";
import type { ImportReport } from "../report.ts";
import type { At, SvdCluster, SvdDevice, SvdDim, SvdEnumSet, SvdEnumValue, SvdField, SvdPeripheral, SvdProps, SvdRegister } from "./model.ts";
import { parseEnumValue, parseSvdInteger } from "./numbers.ts";
import { NO_CHILDREN, type XmlElement, type XmlHandler } from "./xml.ts";

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

/**
 * Where an element stands in the document, so the reader knows what to make of it when it closes:
 * the elements read as parts of the model are the ones read.ts reads, and only those (a second
 * `<registers>` or a `<register>` under an unknown element is read by nothing, as in a tree read).
 */
const OTHER = 0;
const DEVICE = 1;
const PERIPHERALS = 2;
const PERIPHERAL = 3;
const REGISTERS = 4;
const CLUSTER = 5;
const REGISTER = 6;
const FIELDS = 7;
const FIELD = 8;

/** The first of its parent's children with its name. */
const first = (el: XmlElement, parent: XmlElement) => parent.children.find((c) => c.name === el.name) === el;

/**
 * Thrown while streaming when an element other than enumeratedValues has `derivedFrom`: such an
 * element is made from another one anywhere in the document, so the document is read as a whole
 * tree and its derivations resolved before it is read (readSvdTree).
 */
export class DerivesElements extends Error {}

/**
 * Reads CMSIS-SVD into the SVD model as the XML parser reads it (an XmlHandler): each field,
 * register, cluster and peripheral becomes model when its end tag is read, and its children are
 * dropped then, so only the element being read is ever alive as a tree. Register properties are
 * inherited once the whole device is read (`device`), since SVD does not oblige a peripheral's
 * `<size>` to come before its registers.
 */
export class SvdReader implements XmlHandler {
  private readonly states: number[] = [];
  private readonly r: Reader;

  /** `streaming`: refuse element derivations (DerivesElements) rather than read them unresolved. */
  constructor(
    report: ImportReport,
    private readonly streaming: boolean,
  ) {
    this.r = new Reader(report);
  }

  open(el: XmlElement, parent: XmlElement | undefined): void {
    const up = parent ? this.states[this.states.length - 1]! : -1;
    const n = el.name;
    let s = OTHER;
    if (up === -1) s = n === "device" ? DEVICE : OTHER;
    else if (up === DEVICE) s = n === "peripherals" && first(el, parent!) ? PERIPHERALS : OTHER;
    else if (up === PERIPHERALS) s = n === "peripheral" ? PERIPHERAL : OTHER;
    else if (up === PERIPHERAL) s = n === "registers" && first(el, parent!) ? REGISTERS : OTHER;
    else if (up === REGISTERS || up === CLUSTER) s = n === "register" ? REGISTER : n === "cluster" ? CLUSTER : OTHER;
    else if (up === REGISTER) s = n === "fields" && first(el, parent!) ? FIELDS : OTHER;
    else if (up === FIELDS) s = n === "field" ? FIELD : OTHER;
    if (this.streaming && el.attrs.size && n !== "enumeratedValues" && el.attrs.has("derivedFrom")) throw new DerivesElements();
    this.states.push(s);
  }

  close(el: XmlElement): void {
    const s = this.states.pop();
    // Read already: an element a derived one shares with its base, met a second time.
    if (el.model !== undefined) return;
    if (s === FIELD) el.model = this.r.field(el);
    else if (s === REGISTER) el.model = this.r.register(el);
    else if (s === CLUSTER) el.model = this.r.cluster(el);
    else if (s === PERIPHERAL) el.model = this.r.peripheral(el);
    else return;
    el.children = NO_CHILDREN;
  }

  /** The device, once every element of `root` has closed. */
  device(root: XmlElement): SvdDevice | undefined {
    return this.r.device(root);
  }
}

const PROPS = ["size", "access", "protection", "resetValue", "resetMask"];
const DIM = ["dim", "dimIncrement", "dimIndex", "dimName", "dimArrayIndex"];
/** The children each element reads, and METADATA: any other is a warning naming it. */
const known = (...names: string[]) => new Set([...names, ...METADATA]);
const KNOWN = {
  device: known("name", "description", "vendor", "version", "addressUnitBits", "peripherals", ...PROPS, "cpu"),
  peripheral: known("name", "description", "baseAddress", "addressBlock", "interrupt", "registers", "alternatePeripheral", "prependToName", "appendToName", "disableCondition", ...PROPS, ...DIM),
  cluster: known("name", "description", "addressOffset", "register", "cluster", "alternateCluster", ...PROPS, ...DIM),
  register: known("name", "description", "addressOffset", "alternateGroup", "alternateRegister", "modifiedWriteValues", "writeConstraint", "readAction", "fields", ...PROPS, ...DIM),
  field: known("name", "description", "bitOffset", "bitWidth", "lsb", "msb", "bitRange", "access", "modifiedWriteValues", "writeConstraint", "readAction", "enumeratedValues", ...DIM),
  enumeratedValues: known("name", "usage", "enumeratedValue"),
  enumeratedValue: known("name", "description", "value", "isDefault"),
};
/** The enumeratedValues of every field that has none (most): one shared, empty list. */
const NO_ENUMS: SvdEnumSet[] = [];

/** Register properties: the inherited ones with the element's own over them. */
const inherit = (own: SvdProps, inherited: SvdProps): SvdProps => ({ ...inherited, ...own });

function inheritItems(items: (SvdRegister | SvdCluster)[], props: SvdProps): (SvdRegister | SvdCluster)[] {
  return items.map((it) => {
    const mine = inherit(it.props, props);
    return it.type === "register" ? { ...it, props: mine } : { ...it, props: mine, items: inheritItems(it.items, mine) };
  });
}

/**
 * Reads each SVD element into the model. The properties an element gets are its own (`props`);
 * `device` makes them inherited, over the whole model, so reading an element never depends on
 * where it sits, and an element a derived one shares with its base is read once.
 */
class Reader {
  constructor(private readonly report: ImportReport) {}

  child(el: XmlElement, name: string): XmlElement | undefined {
    for (const c of el.children) if (c.name === name) return c;
    return undefined;
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

  /** Warns about each child that is neither read nor known metadata (`known` holds both). */
  expect(el: XmlElement, known: Set<string>): void {
    for (const c of el.children) if (!known.has(c.name)) this.unknown(c, el.name);
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

  device(root: XmlElement): SvdDevice | undefined {
    if (root.name !== "device") {
      this.report.error(root.loc, `the root element is <${root.name}>; a CMSIS-SVD file starts with <device>`);
      return undefined;
    }
    const props = this.props(root);
    const unit = this.child(root, "addressUnitBits");
    if (unit && this.int(unit) !== 8n) this.report.error(unit.loc, `addressUnitBits ${unit.text.trim()}: only byte-addressed devices (8) are imported`);
    const peripherals: SvdPeripheral[] = [];
    const list = this.child(root, "peripherals");
    this.expect(root, KNOWN.device);
    const cpu = this.child(root, "cpu");
    if (cpu) this.report.warn(cpu.loc, "<cpu> is not imported: hwspec specs describe peripherals, not the processor core");
    for (const p of list?.children ?? []) {
      if (p.name !== "peripheral") {
        this.unknown(p, "peripherals");
        continue;
      }
      for (const one of modelOf(p, () => this.peripheral(p))) {
        const mine = inherit(one.props, props);
        peripherals.push({ ...one, props: mine, items: inheritItems(one.items, mine) });
      }
    }
    return {
      name: this.text(root, "name") ?? "",
      loc: root.loc,
      doc: this.text(root, "description") ?? "",
      vendor: this.text(root, "vendor"),
      version: this.text(root, "version"),
      props,
      peripherals,
    };
  }

  /** The element's own register properties, each from the first child of its name. */
  props(el: XmlElement): SvdProps {
    const out: SvdProps = {};
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

  peripheral(el: XmlElement): SvdPeripheral[] {
    this.expect(el, KNOWN.peripheral);
    for (const k of ["alternatePeripheral", "prependToName", "appendToName", "disableCondition"]) {
      const c = this.child(el, k);
      if (c) this.report.warn(c.loc, `<${k}> is not imported: the device vocabulary has no ${k === "disableCondition" ? "condition that disables a peripheral" : k === "alternatePeripheral" ? "peripheral sharing another's addresses" : "header-name decoration"}`);
    }
    const nameEl = this.required(el, "name");
    const baseEl = this.required(el, "baseAddress");
    if (!nameEl || !baseEl) return [];
    const base = this.int(baseEl) ?? 0n;
    const props = this.props(el);
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
    const items = regs ? this.items(regs) : [];
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

  items(el: XmlElement): (SvdRegister | SvdCluster)[] {
    const out: (SvdRegister | SvdCluster)[] = [];
    for (const c of el.children) {
      if (c.name === "register") for (const r of modelOf(c, () => this.register(c))) out.push(r);
      else if (c.name === "cluster") for (const x of modelOf(c, () => this.cluster(c))) out.push(x);
      else if (el.name === "registers") this.unknown(c, el.name);
    }
    return out;
  }

  offset(el: XmlElement): { offset: bigint; loc: Loc } | undefined {
    const o = this.required(el, "addressOffset");
    const v = o ? this.int(o) : undefined;
    return v === undefined ? undefined : { offset: v, loc: o!.loc };
  }

  cluster(el: XmlElement): SvdCluster[] {
    this.expect(el, KNOWN.cluster);
    const alt = this.child(el, "alternateCluster");
    if (alt) this.report.warn(alt.loc, "<alternateCluster> is not imported: its registers are placed at their own offsets, where they overlap the other cluster's");
    const name = this.text(el, "name");
    const off = this.offset(el);
    if (name === undefined) this.report.error(el.loc, "<cluster> has no <name>");
    if (name === undefined || !off) return [];
    const props = this.props(el);
    const dim = this.dim(el);
    const c: SvdCluster = { type: "cluster", name, loc: el.loc, doc: this.text(el, "description") ?? "", offset: off.offset, offsetLoc: off.loc, props, items: this.items(el) };
    if (dim) c.dim = dim;
    return [c];
  }

  register(el: XmlElement): SvdRegister[] {
    this.expect(el, KNOWN.register);
    const name = this.text(el, "name");
    const off = this.offset(el);
    if (name === undefined) this.report.error(el.loc, "<register> has no <name>");
    if (name === undefined || !off) return [];
    const fieldsEl = this.child(el, "fields");
    const fields: SvdField[] = [];
    for (const f of fieldsEl?.children ?? []) {
      if (f.name === "field") for (const x of modelOf(f, () => this.field(f))) fields.push(x);
      else this.unknown(f, "fields");
    }
    const dim = this.dim(el);
    const reg: SvdRegister = { type: "register", name, loc: el.loc, doc: this.text(el, "description") ?? "", offset: off.offset, offsetLoc: off.loc, props: this.props(el), fields };
    const mwv = this.enumText<string>(this.child(el, "modifiedWriteValues"), WRITE_VALUES);
    if (mwv) reg.modifiedWriteValues = mwv;
    const ra = this.enumText<string>(this.child(el, "readAction"), READ_ACTIONS);
    if (ra) reg.readAction = ra;
    const wc = this.child(el, "writeConstraint");
    if (wc) reg.writeConstraint = wc.loc;
    const alternateRegister = this.child(el, "alternateRegister");
    if (alternateRegister) reg.alternateRegister = { value: collapse(alternateRegister.text), loc: alternateRegister.loc };
    const alternateGroup = this.child(el, "alternateGroup");
    if (alternateGroup) reg.alternateGroup = { value: collapse(alternateGroup.text), loc: alternateGroup.loc };
    if (dim) reg.dim = dim;
    return [reg];
  }

  field(el: XmlElement): SvdField[] {
    this.expect(el, KNOWN.field);
    const name = this.text(el, "name");
    if (name === undefined) {
      this.report.error(el.loc, "<field> has no <name>");
      return [];
    }
    const bits = this.bits(el);
    if (!bits) return [];
    let enums = NO_ENUMS;
    for (const c of el.children) if (c.name === "enumeratedValues") (enums === NO_ENUMS ? (enums = []) : enums).push(this.enumSet(c));
    const base: SvdField = { name, loc: el.loc, doc: this.text(el, "description") ?? "", lsb: bits.lsb, width: bits.width, bitsLoc: bits.bitsLoc, enums };
    const access = this.enumText<string>(this.child(el, "access"), ACCESS);
    if (access) base.access = access;
    const mwv = this.enumText<string>(this.child(el, "modifiedWriteValues"), WRITE_VALUES);
    if (mwv) base.modifiedWriteValues = mwv;
    const ra = this.enumText<string>(this.child(el, "readAction"), READ_ACTIONS);
    if (ra) base.readAction = ra;
    const wc = this.child(el, "writeConstraint");
    if (wc) base.writeConstraint = wc.loc;
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

  enumSet(el: XmlElement): SvdEnumSet {
    this.expect(el, KNOWN.enumeratedValues);
    const usageEl = this.child(el, "usage");
    const usage = (usageEl ? this.enumText<"read" | "write" | "read-write">(usageEl, USAGE) : undefined) ?? { value: "read-write" as const, loc: el.loc };
    const values: SvdEnumValue[] = [];
    for (const v of el.children) {
      if (v.name !== "enumeratedValue") continue;
      this.expect(v, KNOWN.enumeratedValue);
      const name = this.text(v, "name");
      if (name === undefined) {
        this.report.error(v.loc, "<enumeratedValue> has no <name>");
        continue;
      }
      const isDefault = this.text(v, "isDefault") === "true";
      const valEl = this.child(v, "value");
      let vals: bigint[] = [];
      if (valEl) {
        const p = parseEnumValue(valEl.text);
        if (!p) this.report.error(valEl.loc, `<value> "${valEl.text.trim()}" is not an enumerated value (a number, or # binary with x for bits that do not matter, at most 8 of them)`);
        else vals = p;
      } else if (!isDefault) this.report.error(v.loc, "<enumeratedValue> has neither <value> nor <isDefault>true</isDefault>");
      values.push({ name, doc: this.text(v, "description") ?? "", values: vals, isDefault, loc: v.loc });
    }
    const name = this.text(el, "name");
    const from = el.attrs.get("derivedFrom");
    const set: SvdEnumSet = { usage, values, loc: el.loc };
    if (name !== undefined) set.name = name;
    if (from) set.derivedFrom = { value: from.value, loc: from.loc };
    return set;
  }
}

/** What the reader made of `el` when it closed, or (an element nothing read as it closed) what it makes of it now. */
function modelOf<T>(el: XmlElement, read: () => T[]): T[] {
  return (el.model as T[] | undefined) ?? read();
}

/** SVD text is free-flowing: runs of white space (line breaks in descriptions) become one space. */
const collapse = (s: string) => (NOT_COLLAPSED.test(s) ? s.replace(/\s+/g, " ").trim() : s);
/** What collapse changes: white space at either end, or other white space than single spaces inside. */
const NOT_COLLAPSED = /^\s|\s$|[^\S ]| {2}/;


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
