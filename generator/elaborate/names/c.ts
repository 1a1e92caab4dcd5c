import type { Diagnostics } from "../../diagnostics.ts";
import type { ElabShape } from "../model.ts";
import type { ElabDeviceSpec, ElabEntriesSpec, ElabRegistersSpec } from "../model.ts";
import { IdentifierScope } from "./scope.ts";
import { specShapes } from "./ts.ts";

/** C identifiers of one field of a shape: macro base, accessors. */
export function cFieldNames(shape: ElabShape, field: { name: string }) {
  const macro = `${shape.ids.cPrefix}_${field.name.toUpperCase()}`;
  const tag = shape.ids.cTag;
  return {
    macro,
    SHIFT: `${macro}_SHIFT`,
    WIDTH: `${macro}_WIDTH`,
    MASK: `${macro}_MASK`,
    enumMember: (member: string) => `${macro}_${member.toUpperCase()}`,
    get: `${tag}_get_${field.name}`,
    set: `${tag}_set_${field.name}`,
    patch: `${tag}_patch_${field.name}`,
  };
}

/** Whole-shape macros: address, reset and reserved masks. */
export function cShapeNames(shape: ElabShape) {
  const p = shape.ids.cPrefix;
  return { RES0_MASK: `${p}_RES0_MASK`, RES1_MASK: `${p}_RES1_MASK`, MSR: `MSR_${p}`, OFFSET: `${p}_OFFSET`, RESET: `${p}_RESET` };
}

/** Every C identifier a shape defines (union tag, macros, inline functions). */
export function cShapeIdentifiers(shape: ElabShape): string[] {
  const s = cShapeNames(shape);
  const out = [shape.ids.cTag, s.RES0_MASK, s.RES1_MASK];
  const reg = shape as ElabShape & { index?: bigint; offset?: bigint; reset?: bigint };
  if (shape.role === "register") {
    if (reg.index !== undefined) out.push(s.MSR);
    if (reg.offset !== undefined) out.push(s.OFFSET);
    if (reg.reset !== undefined) out.push(s.RESET);
  }
  for (const f of shape.fields) {
    const n = cFieldNames(shape, f);
    out.push(n.macro, n.SHIFT, n.WIDTH, n.MASK, ...f.enum.map((e) => n.enumMember(e.name)), n.get, n.patch);
    if (f.writable) out.push(n.set);
  }
  return out;
}

/**
 * Identifiers the generated headers use themselves: parameters and locals of the accessors,
 * the integer-constant and assertion macros. Spec names that become object-like macros (entry
 * constants, flags) would rewrite them.
 */
const C_USED: readonly string[] = ["raw", "value", "flags", "levels", "BUILD_BUG_ON", "UINT8_C", "UINT16_C", "UINT32_C", "UINT64_C", "static_assert", "offsetof", "size_t"];

/** Path of a spec's header under generated/c: `x86/vmx-msrs.json` gives `x86/vmx-msrs.h`. */
export const headerPath = (rel: string): string => rel.replace(/\.json$/, "") + ".h";

/** Include guard of a generated header. */
export const cIncludeGuard = (path: string): string => "HWSPEC_" + path.toUpperCase().replace(/[^A-Z0-9]/g, "_");

/** `<namespace>_build_assertions`: the function holding a header's BUILD_BUG_ONs. */
export const cAssertionsFunction = (spec: { name: string }) => `${spec.name.replace(/\./g, "_")}_build_assertions`;

/** Tag of a group's union: `<c_name>_group`, so it never clashes with a register's. */
export const cGroupTag = (g: { name: string; cName?: string }) => `${g.cName ?? g.name}_group`;

/**
 * C has one namespace per translation unit and a user may include any two generated headers
 * together, so identifiers are claimed across the whole tree: a second claim is a located error
 * (C offers no alias), naming the spec item that would define it and the one that already does.
 */
export function checkCNames(specs: readonly (ElabRegistersSpec | ElabDeviceSpec | ElabEntriesSpec)[], d: Diagnostics): void {
  const scope = new IdentifierScope("C", d);
  const fixed = { file: "(generated C)", line: 1, col: 1, pointer: "" };
  for (const id of C_USED) scope.claim(id, "an identifier the generated headers use", fixed);
  for (const spec of specs) {
    scope.claim(cIncludeGuard(headerPath(spec.rel)), `the include guard of ${spec.name}`, spec.loc);
    for (const shape of specShapes(spec)) {
      for (const id of cShapeIdentifiers(shape)) scope.claim(id, `${shape.role} "${shape.qname}"`, shape.loc);
    }
    if (spec.kind === "registers") {
      for (const g of spec.groups) scope.claim(cGroupTag(g), `group "${g.qname}"`, g.loc);
      if (spec.asserts.length) scope.claim(cAssertionsFunction(spec), `the asserts of ${spec.name}`, spec.loc);
    }
    if (spec.kind === "entries") {
      for (const c of spec.constants) scope.claim(c.name, `constant "${c.name}" of ${spec.name}`, c.loc);
      for (const f of spec.flags.flags) scope.claim(f.name, `flag "${f.name}" of ${spec.name}`, f.loc);
      for (const s of spec.flagSets) scope.claim(s.name, `flag set "${s.name}" of ${spec.name}`, s.loc);
      for (const c of spec.conversions) scope.claim(c.name, `conversion "${c.name}" of ${spec.name}`, c.loc);
      scope.claim(cAssertionsFunction(spec), `the size facts of ${spec.name}`, spec.loc);
    }
  }
}
