import type { Diagnostics, Loc } from "../../diagnostics.ts";
import type { ElabShape } from "../model.ts";
import type { ElabDeviceSpec, ElabEntriesSpec, ElabRegistersSpec } from "../model.ts";
import { cIdentifier, renameNote } from "./rename.ts";
import { reservedInCJoined } from "./reserved-words.ts";
import { IdentifierScope, type What } from "./scope.ts";
import { conversionParams, namespaceIdent, specShapes } from "./ts.ts";
import { cAddressDefines } from "../spaces.ts";
import type { IndexSpace } from "../../model/index.ts";

/**
 * The union tag of a shape: its base (`ids.cTag`) unless C reserves that (`union int_`). Macros
 * and accessors are built from the base, so a register `INT` has `INT_RESET` and `int_get_en`.
 */
export const cUnionTag = (shape: ElabShape): string => cIdentifier(shape.ids.cTag);

/** The member name of a register in its group's union (`c_name` or the lower-cased name, renamed where C reserves it). */
export const cRegisterMember = (shape: ElabShape): string => cIdentifier(shape.ids.cMember);

/** The bit-field (or nested union) member of a field: its name, `int_` for a field `int`. */
export const cFieldMember = (field: { name: string }): string => cIdentifier(field.name);

/** An entries constant, flag, flag set, conversion or conversion parameter as a C identifier. */
export const cEntryName = (name: string): string => cIdentifier(name);

/** C identifiers of one field of a shape: macro base, accessors. */
export function cFieldNames(shape: ElabShape, field: { name: string }) {
  const macro = `${shape.ids.cPrefix}_${field.name.toUpperCase()}`;
  const tag = shape.ids.cTag;
  return {
    macro,
    SHIFT: `${macro}_SHIFT`,
    WIDTH: `${macro}_WIDTH`,
    MASK: `${macro}_MASK`,
    SIGNED: `${macro}_SIGNED`,
    enumMember: (member: string) => `${macro}_${member.toUpperCase()}`,
    get: `${tag}_get_${field.name}`,
    set: `${tag}_set_${field.name}`,
    patch: `${tag}_patch_${field.name}`,
  };
}

/**
 * Whole-shape macros: reset and reserved masks, an array's extent, a register's pure access
 * functions (a register's address macros come from elaborate/spaces.ts).
 */
export function cShapeNames(shape: ElabShape) {
  const p = shape.ids.cPrefix;
  const tag = shape.ids.cTag;
  return {
    RES0_MASK: `${p}_RES0_MASK`,
    RES1_MASK: `${p}_RES1_MASK`,
    IGNORE_MASK: `${p}_IGNORE_MASK`,
    RESET: `${p}_RESET`,
    COUNT: `${p}_COUNT`,
    STRIDE: `${p}_STRIDE`,
    applyWrite: `${tag}_apply_write`,
    applyRead: `${tag}_apply_read`,
  };
}

/** The size macro and unmapped-offset predicate of a device's MMIO block: `ARM_PL011_BLOCK_SIZE`, `arm_pl011_unmapped_raz_wi`. */
export function cDeviceNames(spec: { name: string }) {
  const ns = namespaceIdent(spec.name);
  return { BLOCK_SIZE: `${ns.toUpperCase()}_BLOCK_SIZE`, unmappedRazWi: `${ns}_unmapped_raz_wi` };
}

/**
 * Macros of an instance (`instance` of a spec): its base, a device's block size, each register's
 * absolute address (the base plus the register's address macro; a device register's other names
 * too) and each wired line's interrupt number, under the spec's namespace:
 * `ARM_VEXPRESS_UART0_BASE`, `ARM_VEXPRESS_UART0_SIZE`, `ARM_VEXPRESS_UART0_DR_ADDR`,
 * `ARM_VEXPRESS_UART0_UARTINTR_IRQ`.
 */
export function cInstanceNames(spec: { name: string }) {
  const ns = namespaceIdent(spec.name).toUpperCase();
  return {
    BASE: `${ns}_BASE`,
    SIZE: `${ns}_SIZE`,
    address: (register: { name: string }) => `${ns}_${register.name.toUpperCase()}_ADDR`,
    irq: (line: string) => `${ns}_${line.toUpperCase()}_IRQ`,
  };
}

/** A device register's other names (ECR for RSR); none for other registers. */
export function deviceAliases(r: object): readonly string[] {
  return (r as { aliases?: readonly string[] }).aliases ?? [];
}

/** The shapes a spec's own header defines: all of them, except those an overlay inherits from its base (whose header it includes). */
export function cOwnShapes(spec: ElabRegistersSpec | ElabDeviceSpec | ElabEntriesSpec): ElabShape[] {
  const inherited = spec.kind !== "entries" ? spec.inherits?.inherited : undefined;
  return specShapes(spec).filter((s) => !inherited?.has(s.name));
}

/**
 * Every C identifier a shape defines (union tag, macros, inline functions), handed to `emit` one
 * by one as a head and a tail (the identifier is `head + tail`) with the spec item it comes from
 * and a description made only if it is read: checkCNames visits every field of the tree and claims
 * them without building them.
 */
function eachCShapeIdentifier(shape: ElabShape, emit: (head: string, tail: string, what: What, loc: Loc) => void): void {
  const s = cShapeNames(shape);
  const own = `${shape.role} "${shape.qname}"`;
  const tag = cUnionTag(shape);
  emit(tag, "", own + renameNote("C", shape.ids.cTag, tag), shape.loc);
  emit(s.RES0_MASK, "", own, shape.loc);
  emit(s.RES1_MASK, "", own, shape.loc);
  emit(s.IGNORE_MASK, "", own, shape.loc);
  const reg = shape as ElabShape & { space: IndexSpace; address: bigint; reset?: bigint; array?: { stride: bigint } };
  if (shape.role === "register") {
    for (const m of cAddressDefines(reg)) emit(m.name, "", own, shape.loc);
    if (reg.reset !== undefined) emit(s.RESET, "", own, shape.loc);
    if (reg.array) for (const id of [s.COUNT, s.STRIDE]) emit(id, "", own, shape.loc);
    for (const id of [s.applyWrite, s.applyRead]) emit(id, "", own, shape.loc);
  }
  const { cPrefix, cTag } = shape.ids;
  // The names of cFieldNames, spelled out here so a tree's fields are not each given an object.
  const get = `${cTag}_get_`;
  const patch = `${cTag}_patch_`;
  const set = `${cTag}_set_`;
  for (const f of shape.fields) {
    const macro = `${cPrefix}_${f.name.toUpperCase()}`;
    const what = () => `field "${f.name}" of ${shape.qname}`;
    // The bare `<P>_<FIELD>` is only a prefix (never defined), so it is not claimed: `<REG>_COUNT`
    // of an array and a field named `count` (`<REG>_COUNT_SHIFT`, ...) can share a header.
    emit(macro, "_SHIFT", what, f.loc);
    emit(macro, "_WIDTH", what, f.loc);
    emit(macro, "_MASK", what, f.loc);
    emit(get, f.name, what, f.loc);
    emit(patch, f.name, what, f.loc);
    if (f.writable) emit(set, f.name, what, f.loc);
    if (f.signed !== undefined) emit(macro, "_SIGNED", what, f.loc);
    for (const e of f.enum) emit(macro, `_${e.name.toUpperCase()}`, () => `enum member "${e.name}" of ${what()}`, f.loc);
  }
}

/**
 * Identifiers the generated headers use themselves: parameters and locals of the accessors and
 * of the entry address helpers (`e`, `pa`), the integer-constant and assertion macros. Spec names that become object-like macros (entry
 * constants, flags) would rewrite them.
 */
const C_USED: readonly string[] = [
  "raw", "value", "flags", "levels", "old", "written", "lanes", "once_done", "stored", "offset", "e", "pa",
  "BUILD_BUG_ON", "HWSPEC_STATIC_ASSERT", "HWSPEC_MEMBER_SIZE", "UINT8_C", "UINT16_C", "UINT32_C", "UINT64_C", "static_assert", "offsetof", "size_t",
];

/** Address helpers of an entry format in C: `<tag>_address(e)` and `<tag>_from_address(pa)`. */
export const cFormatNames = (f: { ids: { cTag: string } }) => ({ address: `${f.ids.cTag}_address`, fromAddress: `${f.ids.cTag}_from_address` });

/** Path of a spec's header under generated/c: `x86/vmx-msrs.json` gives `x86/vmx-msrs.h`. */
export const headerPath = (rel: string): string => rel.replace(/\.json$/, "") + ".h";

/** Include guard of a generated header. */
export const cIncludeGuard = (path: string): string => "HWSPEC_" + path.toUpperCase().replace(/[^A-Z0-9]/g, "_");

/** `<namespace>_build_assertions`: the function holding a header's BUILD_BUG_ONs. */
export const cAssertionsFunction = (spec: { name: string }) => `${namespaceIdent(spec.name)}_build_assertions`;

/** Tag of a group's union: `<c_name>_group` (`vmx_group`), so it never clashes with a register's. */
export const cGroupTag = (g: { name: string; cName?: string }) => `${g.cName ?? g.name}_group`;

/**
 * C has one namespace per translation unit and a user may include any two generated headers
 * together, so identifiers are claimed across the whole tree: a second claim is a located error
 * (C offers no alias), naming the spec item that would define it and the one that already does.
 */
export function checkCNames(specs: readonly (ElabRegistersSpec | ElabDeviceSpec | ElabEntriesSpec)[], d: Diagnostics, keep = false): CTreeClaims | undefined {
  // About the identifiers a shape and its fields claim, so the namespace is sized once.
  let expected = 0;
  for (const spec of specs) for (const shape of specShapes(spec)) expected += 10 + 7 * shape.fields.length;
  const scope = new IdentifierScope("C", d, "; every generated header shares one C namespace: rename one of them, or give a layout a c_name", expected);
  scope.reserve(C_USED, "an identifier the generated headers use");
  // Entry constants and flags are #defines under their own names, so they rewrite every token of
  // that spelling in any header included after them, struct members included.
  // Built on the first such macro: a tree without entries specs never needs it.
  let members: Map<string, string> | undefined;
  const kept: CTreeClaims | undefined = keep ? { scope, members: new Map(), macros: [] } : undefined;
  if (kept) {
    for (const spec of specs) for (const shape of specShapes(spec)) for (const f of shape.fields) (kept.members.get(f.loc.file) ?? kept.members.set(f.loc.file, new Set()).get(f.loc.file)!).add(cFieldMember(f));
  }
  const memberNamed = (id: string): string | undefined => {
    if (!members) {
      members = new Map();
      for (const spec of specs) for (const shape of specShapes(spec)) for (const f of shape.fields) if (!members.has(cFieldMember(f))) members.set(cFieldMember(f), `field "${f.name}" of ${shape.qname}`);
    }
    return members.get(id);
  };
  const macro = (name: string, what: string, loc: Loc) => {
    const id = cEntryName(name);
    const member = memberNamed(id);
    kept?.macros.push([id, loc.file]);
    if (member) d.error(loc, `${what} becomes the C macro ${id}, which would rewrite ${member} in the generated headers`);
    else scope.claim(id, what + renameNote("C", name, id), loc);
  };
  for (const spec of specs) {
    scope.claim(cIncludeGuard(headerPath(spec.rel)), `the include guard of ${spec.name}`, spec.loc);
    // An inherited shape is the base's item, defined once by the base's header; it claims nothing here.
    for (const shape of cOwnShapes(spec)) {
      // A field's macro base is claimed so that no two fields share macros, but never defined itself.
      let bases: Set<string> | undefined;
      eachCShapeIdentifier(shape, (head, tail, what, loc) => {
        // Bare names are renamed; a built one can still spell a <stdint.h> macro (`SIZE` + `MAX_…`).
        if (reservedInCJoined(head, tail) && !(bases ??= new Set(shape.fields.map((f) => cFieldNames(shape, f).macro))).has(head + tail)) d.error(loc, `${typeof what === "string" ? what : what()} needs the C identifier "${head + tail}", which C or <stdint.h> reserves; rename it`);
        else scope.claimJoined(head, tail, what, loc);
      });
      cMembers(shape, d);
      // C++ (the headers are checked as C++ inside extern "C" too) refuses a member named like its class.
      for (const f of shape.fields) {
        if (f.name === shape.ids.cTag) d.error(f.loc, `field "${f.name}" of ${shape.qname} has the name of its C union (union ${shape.ids.cTag}), which C++ refuses for a member; rename the field`);
      }
    }
    if (spec.kind === "registers" && !spec.inherits?.sameRest) {
      for (const g of spec.groups) {
        scope.claim(cGroupTag(g), `group "${g.qname}"`, g.loc);
        const inGroup = new IdentifierScope("C", d, `; the members of union ${cGroupTag(g)} must differ: give one of the registers a c_name`);
        inGroup.reserve(["raw"], "the raw array of every group");
        const members = new Set(g.registers);
        for (const r of spec.registers.filter((x) => members.has(x.name))) {
          const id = cRegisterMember(r);
          inGroup.claim(id, `register "${r.qname}"${renameNote("C", r.ids.cMember, id)}`, r.loc);
        }
      }
      if (spec.asserts.length) scope.claim(cAssertionsFunction(spec), `the asserts of ${spec.name}`, spec.loc);
    }
    if (spec.kind === "device" && !spec.inherits?.sameRest) {
      const n = cDeviceNames(spec);
      scope.claim(n.BLOCK_SIZE, `the block of ${spec.name}`, spec.block.loc);
      scope.claim(n.unmappedRazWi, `the unmapped offsets of ${spec.name}`, spec.block.loc);
    }
    if (spec.kind !== "entries" && spec.instance) {
      const n = cInstanceNames(spec);
      const at = spec.instance.loc;
      scope.claim(n.BASE, `the base of instance ${spec.name}`, at);
      if (spec.kind === "device") scope.claim(n.SIZE, `the size of instance ${spec.name}`, at);
      for (const r of spec.registers) {
        scope.claim(n.address(r), `the address of register "${r.name}" of instance ${spec.name}`, at);
        for (const a of deviceAliases(r)) scope.claim(n.address({ name: a }), `the address of "${a}", another name of register "${r.name}" of instance ${spec.name}`, at);
      }
      for (const i of spec.instance.interrupts) scope.claim(n.irq(i.line), `the interrupt number of line "${i.line}" of instance ${spec.name}`, i.loc);
    }
    if (spec.kind === "entries") {
      for (const c of spec.constants) macro(c.name, `constant "${c.name}" of ${spec.name}`, c.loc);
      for (const l of spec.levels) {
        for (const f of l.formats) if (f.address) for (const id of Object.values(cFormatNames(f))) scope.claim(id, `the address helpers of format "${f.qname}"`, f.address.loc);
      }
      for (const f of spec.flags?.flags ?? []) macro(f.name, `flag "${f.name}" of ${spec.name}`, f.loc);
      for (const s of spec.flagSets) macro(s.name, `flag set "${s.name}" of ${spec.name}`, s.loc);
      for (const c of spec.conversions) {
        const id = cEntryName(c.name);
        scope.claim(id, `conversion "${c.name}" of ${spec.name}${renameNote("C", c.name, id)}`, c.loc);
      }
      conversionParams(spec, cEntryName, "C", d);
      scope.claim(cAssertionsFunction(spec), `the size facts of ${spec.name}`, spec.loc);
    }
  }
  return kept;
}

/**
 * What a tree claims in C across specs, with each claim's file: the global namespace, the struct
 * members of its fields and the macros of its entry names (a macro must not spell any member).
 */
export interface CTreeClaims {
  scope: IdentifierScope;
  /** By file: the member names of its fields. */
  members: Map<string, Set<string>>;
  /** [macro, file] of each entry constant, flag and flag set. */
  macros: [string, string][];
}

/**
 * The members of one shape's bit-field struct: one namespace per union, so renaming a field (`int`
 * → `int_`) must not meet another field of that spelling. `raw` is the union's own member.
 */
function cMembers(shape: ElabShape, d: Diagnostics): void {
  const scope = new IdentifierScope("C", d, `; the members of union ${cUnionTag(shape)} must differ: rename one of the fields`);
  scope.reserve(["raw"], "the raw value of every union");
  for (const f of shape.fields) {
    const id = cFieldMember(f);
    scope.claim(id, () => `field "${f.name}" of ${shape.qname}${renameNote("C", f.name, id)}`, f.loc);
  }
}
