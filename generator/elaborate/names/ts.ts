import type { Diagnostics, Loc } from "../../diagnostics.ts";
import type { Layout } from "../../model/index.ts";
import type { ElabDeviceSpec, ElabEntriesSpec, ElabMachineSpec, ElabRegistersSpec, ElabShape } from "../model.ts";
import { pluginOf } from "../../kinds/index.ts";
import { renameNote, tsIdentifier, tsTypeIdentifier } from "./rename.ts";
import { IdentifierScope } from "./scope.ts";

/** Exports of the generated support module; a spec name equal to one would shadow the import. */
export const TS_SUPPORT_EXPORTS: readonly string[] = [
  "U64", "u64", "isU64", "HwspecError", "HwspecRangeError", "HwspecFieldError", "HwspecEnumError", "HwspecParseError", "rangeFail", "badValue",
  "fitsU64", "u64ToBigInt", "u64FromBigInt", "u32FromBigInt", "parseUnsigned", "formatHex", "extract64", "deposit64",
  "PatchTable", "NestedTable", "definedKeys", "isPatchObject", "applyPatch", "enumValue", "Unnamed", "Expect", "Equal", "Not", "Add", "Sum",
  "WalkDescriptor", "WalkLevel", "WalkFormat", "WalkAddress", "WalkField",
  "hwspecLayout", "FieldSpec", "FieldInfo", "ReservedInfo", "FieldTable", "EffectMasks", "ShapeSpec", "Raw", "InputOf", "PatchOf",
  "LayoutApi", "RegisterApi", "ArrayApi", "ShapeOf", "RegisterOf", "U64_ONES", "U64_ZERO", "indexFail",
];

/** Globals the generated code calls; a module-level name equal to one would shadow it. */
export const TS_GLOBALS_USED: readonly string[] = ["Object", "Set", "ReadonlySet", "Readonly", "Record", "Math", "BigInt", "Number", "String", "JSON", "Error", "Array", "Map", "Boolean", "Symbol", "globalThis", "undefined", "NaN", "Infinity"];

/** Module paths the generator writes for itself at the top of generated/ts. */
export const TS_RESERVED_MODULES: readonly string[] = ["support", "fsm", "index"];

/**
 * Identifiers of one shape's namespace object and its helpers, from its base name (the spec's
 * name, or an import alias). Only the bare `value` can be a reserved word, so only it is renamed.
 */
export function tsShapeNames(base: string) {
  return {
    value: tsIdentifier(base),
    Fields: `${base}_Fields`,
    Input: `${base}_Input`,
    Patch: `${base}_Patch`,
    nested: `${base}_nested`,
    put: `${base}_put`,
    get: `${base}_get`,
    writable: `${base}_writable`,
    all: `${base}_all`,
    table: `${base}_table`,
    with: `${base}_with`,
    patch: `${base}_patch`,
    info: `${base}_info`,
    spec: `${base}_spec`,
    Shape: `${base}_Shape`,
  };
}

/**
 * Identifiers of a field's enum: the constant object of its members (`MSTATUS_MPP`, also the type
 * of its values, as a TS enum's name would be) and the type of its member names. Upper case as
 * the C macros of the same members are (`MSTATUS_MPP_M`), which also keeps them apart from the
 * shape's own helpers: every helper suffix has a lower-case letter, no upper-cased field name does.
 */
export function tsEnumNames(base: string, field: string) {
  const value = `${base.toUpperCase()}_${field.toUpperCase()}`;
  return { value, Name: `${value}_Name` };
}

/** The names a shape exports (and so what a module importing it brings in). */
export const tsShapeExports = (base: string) => {
  const n = tsShapeNames(base);
  return { value: n.value, types: [n.Fields, n.Input, n.Patch] };
};

/** Per-level identifiers of an entries module (Xen's lNe_* family), from the level's helper prefix. */
export function tsLevelNames(level: { name: string; prefix: string }) {
  const p = level.prefix;
  return {
    SHIFT: `${level.name}_SHIFT`,
    ENTRIES: `${level.name}_ENTRIES`,
    tableOffset: `${p}_table_offset`,
    fromPfn: `${p}e_from_pfn`,
    getPfn: `${p}e_get_pfn`,
    getFlags: `${p}e_get_flags`,
    getIntpte: `${p}e_get_intpte`,
    fromIntpte: `${p}e_from_intpte`,
    empty: `${p}e_empty`,
    format: `${p}e_format`,
  };
}

/** Per-format address helpers of an entries module: address from entry and entry from address. */
export function tsFormatNames(base: string) {
  return { address: `${base}_address`, fromAddress: `${base}_from_address` };
}

/** Module-level identifiers of a device block, prefixed by the last segment of its namespace. */
export function tsDeviceNames(spec: { name: string }) {
  const p = spec.name.split(".").pop()!;
  return {
    prefix: p,
    AccessWidth: `${p}_AccessWidth`,
    BLOCK: `${p}_BLOCK`,
    OFFSETS: `${p}_OFFSETS`,
    REGISTERS: `${p}_REGISTERS`,
    State: `${p}_State`,
    reset: `${p}_reset`,
    Hooks: `${p}_Hooks`,
    Lines: `${p}_Lines`,
    interrupts: `${p}_interrupts`,
    AccessErrorKind: `${p}_AccessErrorKind`,
    AccessError: `${p}_AccessError`,
    read: `${p}_read`,
    write: `${p}_write`,
    // Module-private helpers of the dispatch; claimed so a constant cannot shadow them.
    hexOffset: `${p}_hexOffset`,
    mask: `${p}_mask`,
    badWidth: `${p}_badWidth`,
    badValue: `${p}_badValue`,
    refuse: `${p}_refuse`,
    value: (register: string) => `${p}_value_${register}`,
  };
}

/** Module-level identifiers of an instance (`instance`), prefixed like the device names: `vexpress_uart0_INSTANCE`. */
export function tsInstanceNames(spec: { name: string }) {
  const p = spec.name.split(".").pop()!;
  return { INSTANCE: `${p}_INSTANCE`, ADDRESSES: `${p}_ADDRESSES`, Device: `${p}_Device` };
}

/**
 * What a device module exports for its dispatch (the names an instance that keeps its base's
 * behaviour re-exports from the base): values and types apart, since types re-export as types.
 */
export function tsDeviceExports(spec: ElabDeviceSpec): { values: string[]; types: string[] } {
  const n = tsDeviceNames(spec);
  return {
    values: [n.BLOCK, n.OFFSETS, n.REGISTERS, n.reset, n.interrupts, n.AccessError, n.read, n.write, ...spec.registers.filter((r) => r.read.kind === "value").map((r) => n.value(r.name)), ...spec.constants.map((c) => tsIdentifier(c.name))],
    types: [n.AccessWidth, n.State, n.Hooks, n.Lines, n.AccessErrorKind],
  };
}

export interface TsImport {
  /** Module key: a path under generated/ts without extension. */
  module: string;
  /** The shape's own name in its module. */
  name: string;
  /** The identifier the importing module uses; equal to `name` unless that would collide. */
  alias: string;
}

/** Names a module re-exports from another (an overlay's from its base): values and types apart. */
export interface TsReexport {
  module: string;
  values: string[];
  types: string[];
}

/** What one generated TS module declares and imports: `refs` maps every shape it uses to its identifier there. */
export interface TsModuleNames {
  module: string;
  refs: Map<string, string>;
  imports: Map<string, TsImport>;
  /** An overlay's module re-exports what it inherits, so the instance's module is the whole API. */
  reexport?: TsReexport;
}

type ShapeSpec = ElabRegistersSpec | ElabDeviceSpec | ElabEntriesSpec;

export const moduleOf = (rel: string) => rel.replace(/\.json$/, "");

/** A spec namespace as part of an identifier (`x86.cr` → `x86_cr`): barrel namespaces, import aliases, C function names. */
export const namespaceIdent = (ns: string) => ns.replace(/\./g, "_");

export function specShapes(spec: ShapeSpec): ElabShape<Layout>[] {
  return (pluginOf(spec.kind)?.shapes?.(spec) ?? []) as ElabShape<Layout>[];
}

/**
 * Claims every top-level identifier of a spec's module, then imports the shapes it nests from
 * other modules, aliased (`x86_cr_foo_bits`) when the plain name is taken.
 */
export function tsModuleNames(
  spec: ShapeSpec,
  shapeOf: (qname: string) => ElabShape | undefined,
  moduleOfSpec: (ns: string) => string | undefined,
  d: Diagnostics,
  baseSpec?: ShapeSpec,
): TsModuleNames {
  const scope = new IdentifierScope("TypeScript", d);
  const module = moduleOf(spec.rel);
  const reexport: TsReexport = { module: spec.kind !== "entries" && spec.inherits ? moduleOf(spec.inherits.baseRel) : "", values: [], types: [] };
  scope.reserve(TS_SUPPORT_EXPORTS, "an export of the generated support module");
  scope.reserve(TS_GLOBALS_USED, "a JavaScript global the generated code uses");
  const claimAll = (ids: Iterable<string>, what: string, loc: Loc) => {
    for (const id of ids) scope.claim(id, what, loc);
  };
  // A spec name declared under its own name, renamed where TypeScript reserves it.
  const claimName = (name: string, what: string, loc: Loc) => {
    const id = tsIdentifier(name);
    scope.claim(id, `${what} "${name}"${renameNote("TypeScript", name, id)}`, loc);
  };
  // What the generator declares by itself is claimed before anything a spec names.
  switch (spec.kind) {
    case "registers":
      if (spec.registers.length) claimAll(["Values", "registers"], `the register table of ${spec.name}`, spec.loc);
      for (const g of spec.groups) scope.claim(`${g.name}_group`, `group "${g.name}"`, g.loc);
      if (spec.groups.length) scope.claim("groups", `the group table of ${spec.name}`, spec.loc);
      spec.asserts.forEach((a, i) => scope.claim(`Fact${i}`, `assert ${i}`, a.loc));
      break;
    case "entries":
      // Generated names first, so a collision is reported at the spec's own constant or flag.
      if (spec.flags) claimAll(["FLAGS_WIDTH", "FLAGS_LIMIT"], "the generated flags-word constants", spec.flags.loc);
      claimAll(["get_pte_flags", "put_pte_flags_lo", "put_pte_flags_hi", "levels", "walk"], "the generated entry accessors", spec.loc);
      for (const l of spec.levels) claimAll(Object.values(tsLevelNames(l)), `the generated helpers of level "${l.name}"`, l.loc);
      for (const l of spec.levels) for (const f of l.formats) if (f.address) claimAll(Object.values(tsFormatNames(f.ids.ts)), `the address helpers of format "${f.qname}"`, f.address.loc);
      for (const c of spec.constants) claimName(c.name, "constant", c.loc);
      for (const f of spec.flags?.flags ?? []) claimName(f.name, "flag", f.loc);
      for (const s of spec.flagSets) claimName(s.name, "flag set", s.loc);
      for (const c of spec.conversions) claimName(c.name, "conversion", c.loc);
      spec.asserts.forEach((a, i) => scope.claim(`Fact${i}`, `assert ${i}`, a.loc));
      conversionParams(spec, tsIdentifier, "TypeScript", d);
      break;
    case "device": {
      if (spec.inherits?.sameBehaviour && baseSpec?.kind === "device") {
        // The base's dispatch serves this device unchanged: its names are re-exported, not declared.
        const e = tsDeviceExports(baseSpec);
        claimAll([...e.values, ...e.types], `the dispatch of ${baseSpec.name}, re-exported by ${spec.name}`, spec.loc);
        reexport.values.push(...e.values);
        reexport.types.push(...e.types);
        break;
      }
      const n = tsDeviceNames(spec);
      claimAll(Object.values(n).filter((x): x is string => typeof x === "string" && x !== n.prefix), `the generated accessors of device ${spec.name}`, spec.block.loc);
      for (const c of spec.constants) claimName(c.name, "constant", c.loc);
      for (const r of spec.registers) if (r.read.kind === "value") scope.claim(n.value(r.name), `derived register "${r.name}"`, r.loc);
      break;
    }
  }
  if (spec.kind !== "entries" && spec.instance) {
    const n = tsInstanceNames(spec);
    scope.claim(n.INSTANCE, `the instance facts of ${spec.name}`, spec.instance.loc);
    scope.claim(n.ADDRESSES, `the register addresses of instance ${spec.name}`, spec.instance.loc);
    if (spec.kind === "device") scope.claim(n.Device, `the device class of instance ${spec.name}`, spec.instance.loc);
  }
  const inherited = spec.kind !== "entries" && spec.inherits ? spec.inherits.inherited : new Set<string>();
  const baseModule = reexport.module;
  const baseName = spec.kind !== "entries" && spec.inherits ? spec.inherits.base : "";
  const refs = new Map<string, string>();
  const imports = new Map<string, TsImport>();
  for (const s of specShapes(spec)) {
    if (inherited.has(s.name)) {
      // The base's module declares it; this one imports it for its own use and re-exports it.
      const e = tsShapeExports(s.ids.ts);
      claimAll([e.value, ...e.types], `${s.role} "${s.qname}", inherited from ${baseName}`, s.loc);
      imports.set(s.qname, { module: baseModule, name: s.ids.ts, alias: s.ids.ts });
      reexport.values.push(e.value);
      reexport.types.push(...e.types);
    } else {
      const n = tsShapeNames(s.ids.ts);
      claimAll(Object.values(n), `${s.role} "${s.qname}"${renameNote("TypeScript", s.ids.ts, n.value)}`, s.loc);
    }
    refs.set(s.qname, s.ids.ts);
  }
  // After every shape, so a clash with a shape's own name is reported at the enum's field; before
  // the imports, which take an alias around these.
  for (const s of specShapes(spec)) {
    for (const f of s.fields) {
      if (!f.enum.length) continue;
      const e = tsEnumNames(s.ids.ts, f.name);
      claimAll(Object.values(e), `the enum of field "${f.name}" of ${s.qname}`, f.loc);
      if (inherited.has(s.name)) {
        reexport.values.push(e.value);
        reexport.types.push(e.Name);
      }
    }
  }
  for (const s of specShapes(spec)) {
    for (const f of s.fields) {
      if (!f.layout || refs.has(f.layout)) continue;
      const target = shapeOf(f.layout);
      const from = target && moduleOfSpec(target.spec);
      if (!target || from === undefined) continue;
      let alias = target.ids.ts;
      const free = (base: string) => {
        const e = tsShapeExports(base);
        return ![e.value, ...e.types].some((id) => scope.has(id));
      };
      if (!free(alias)) {
        const qualified = `${namespaceIdent(target.spec)}_${target.ids.ts}`;
        alias = qualified;
        for (let i = 2; !free(alias); i++) alias = `${qualified}_${i}`;
      }
      const e = tsShapeExports(alias);
      claimAll([e.value, ...e.types], `the import of ${target.qname}`, f.loc);
      imports.set(target.qname, { module: from, name: target.ids.ts, alias });
      refs.set(target.qname, alias);
    }
  }
  return { module, refs, imports, ...(reexport.values.length || reexport.types.length ? { reexport } : {}) };
}

/**
 * Module-level identifiers of a machine's module: enums (a value and a type each), constants,
 * bit names and functions, renamed where TypeScript reserves them. A machine reaches no C.
 */
export function tsMachineNames(spec: ElabMachineSpec, d: Diagnostics): void {
  const scope = new IdentifierScope("TypeScript", d);
  scope.reserve(["Ctx", "Failure", "MachineDef", "State", "decodeState", "StepName", "Event", "eventTransitionName", "machine", "TRANSITIONS"], "the generated machine module");
  scope.reserve(TS_GLOBALS_USED, "a JavaScript global the generated code uses");
  const claim = (name: string, id: string, what: string, loc: Loc) => scope.claim(id, `${what} "${name}"${renameNote("TypeScript", name, id)}`, loc);
  for (const e of spec.enums) {
    claim(e.name, tsTypeIdentifier(e.name), "enum", e.loc);
    scope.claim(`${e.name}_NAMES`, `enum "${e.name}"`, e.loc);
  }
  for (const c of spec.constants) claim(c.name, tsIdentifier(c.name), "constant", c.loc);
  for (const v of spec.vars) v.bits.forEach((b, i) => claim(b, tsIdentifier(b), "bit", v.bitLocs[i] ?? v.loc));
  for (const f of spec.functions) claim(f.name, tsIdentifier(f.name), "function", f.loc);
}

/**
 * A conversion's parameter is a local of its function in TS and C: after renaming it must not
 * equal the identifier of a flag, flag set or constant, which the body would then no longer reach.
 */
export function conversionParams(spec: ElabEntriesSpec, ident: (name: string) => string, lang: "TypeScript" | "C", d: Diagnostics): void {
  const others = new Map<string, { what: string; name: string }>();
  for (const [what, list] of [["constant", spec.constants], ["flag", spec.flags?.flags ?? []], ["flag set", spec.flagSets]] as const) {
    for (const x of list) if (!others.has(ident(x.name))) others.set(ident(x.name), { what, name: x.name });
  }
  for (const c of spec.conversions) {
    const id = ident(c.param);
    const other = others.get(id);
    // Equal spec names are the checker's error already; only a renaming makes a new one.
    if (other && other.name !== c.param) d.error(c.loc, `conversion "${c.name}": parameter "${c.param}" becomes the ${lang} identifier "${id}", which hides ${other.what} "${other.name}" there; rename one of them`);
  }
}

/** Generated module paths and barrel namespaces, across the tree. */
export function tsTreeNames(specs: readonly { name: string; rel: string; loc: Loc }[], d: Diagnostics): { modules: IdentifierScope; barrel: IdentifierScope } {
  const modules = new IdentifierScope("TypeScript module path", d);
  const barrel = new IdentifierScope("TypeScript barrel namespace", d);
  modules.reserve(TS_RESERVED_MODULES.map((m) => `${m}.ts`), "a module the generator writes itself");
  for (const s of specs) {
    modules.claim(`${moduleOf(s.rel)}.ts`, `spec ${s.name}`, s.loc);
    barrel.claim(namespaceIdent(s.name), `spec ${s.name}`, s.loc);
  }
  return { modules, barrel };
}
