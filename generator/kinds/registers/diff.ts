import { diffInstance } from "../../diff/instance.ts";
import type { Access, Group } from "../../model/index.ts";
import type { ElabField, ElabLayout, ElabRegister, ElabRegistersSpec, ElabSpec } from "../../elaborate/model.ts";
import { hex } from "../../resolve/values.ts";
import { bitMask, bitsText } from "../../elaborate/bits.ts";
import { tsValueType } from "../../diff/bits.ts";
import { ChangeList, matchBy, type Change } from "../../diff/types.ts";
import { addressPhrase, SPACES } from "../../elaborate/spaces.ts";
import { arrayText, elementAddress, elementName, placeText } from "../../inspect/address.ts";
import { ACCESS_MEANING } from "../../inspect/access.ts";
import { resolveElement } from "../../inspect/names.ts";

/**
 * Differ for `registers` specs: layouts, registers, groups and assertions, compared on the resolved
 * model. Breaking means code or data written against the old spec can read, write or name different
 * bits under the new one; compatible means it keeps working unchanged.
 */
export function diffRegisters(oldSpec: ElabSpec, newSpec: ElabSpec): Change[] {
  const o = oldSpec as ElabRegistersSpec;
  const n = newSpec as ElabRegistersSpec;
  const out = new ChangeList(n.name);

  diffLayouts(out, o.layouts, n.layouts);
  diffRegisterList(out, o.registers, n.registers, diffRegister);

  const groups = matchBy(o.groups, n.groups, (g) => g.name);
  for (const g of groups.removed) out.add(`group ${g.name}`, "", "removed", "breaking", "policy code that reads this block no longer compiles", g.registers.join(", "));
  for (const g of groups.added) out.add(`group ${g.name}`, "", "added", "compatible", "new block; existing blocks are unchanged", undefined, g.registers.join(", "));
  for (const [a, b] of groups.both) diffGroup(out, a, b);

  const asserts = matchBy(o.asserts, n.asserts, (a) => a.expr.text);
  for (const a of asserts.removed) out.add("assert", a.expr.text, "removed", "compatible", "one build-time check fewer; no layout changes by itself", a.expr.text);
  for (const a of asserts.added) out.add("assert", a.expr.text, "added", "compatible", "new build-time check; the generator already verified it holds", undefined, a.expr.text);
  diffInstance(out, o.instance, n.instance);
  return out.items;
}

/** Layouts added, removed or changed (shared by every kind whose model has layouts). */
export function diffLayouts(out: ChangeList, oldLayouts: readonly ElabLayout[], newLayouts: readonly ElabLayout[]): void {
  const layouts = matchBy(oldLayouts, newLayouts, (l) => l.name);
  for (const l of layouts.removed) out.add(`layout ${l.name}`, "", "removed", "breaking", "code that names this layout no longer compiles", `${l.width} bits`);
  for (const l of layouts.added) out.add(`layout ${l.name}`, "", "added", "compatible", "new layout; nothing existing refers to it", undefined, `${l.width} bits`);
  for (const [a, b] of layouts.both) diffShape(out, `layout ${b.name}`, a, b);
}

/**
 * Registers added or removed; `each` compares the ones both sides have. A register that became an
 * element of an array at the same address (GICD_ISENABLER3 → GICD_ISENABLER[3]), or an element
 * that became a register of its own, is matched through the CLI's element names instead of being
 * reported as one removal and one addition: its bits did not move, only its name in code did.
 */
export function diffRegisterList<R extends ElabRegister>(out: ChangeList, oldRegs: readonly R[], newRegs: readonly R[], each: (out: ChangeList, a: R, b: R) => void): void {
  const regs = matchBy(oldRegs, newRegs, (r) => r.name);
  const gathered = new Map<R, R[]>();
  const split = new Map<R, R[]>();
  const removed = regs.removed.filter((r) => {
    const hit = sameAddressElement(r, newRegs);
    if (!hit) return true;
    gathered.set(hit.array, [...(gathered.get(hit.array) ?? []), r]);
    out.add(`register ${r.name}`, "", "now-element", "breaking", `now element ${hit.index} of array ${hit.array.name} at the same ${space(r)}: the bits did not move, but code names it ${elementName(hit.array.name, hit.index)}`, where(r), elementName(hit.array.name, hit.index));
    diffShape(out, `register ${r.name}`, r, hit.array);
    return false;
  });
  const added = regs.added.filter((r) => {
    const hit = sameAddressElement(r, oldRegs);
    if (!hit) return true;
    split.set(hit.array, [...(split.get(hit.array) ?? []), r]);
    out.add(`register ${r.name}`, "", "was-element", "breaking", `was element ${hit.index} of array ${hit.array.name} at the same ${space(r)}: the bits did not move, but code named it ${elementName(hit.array.name, hit.index)}`, elementName(hit.array.name, hit.index), where(r));
    diffShape(out, `register ${r.name}`, hit.array, r);
    return false;
  });
  for (const r of removed) {
    const parts = split.get(r);
    if (parts) out.add(`register ${r.name}`, "", "split", "breaking", `the array is gone and ${parts.length} of its elements are registers of their own (${parts.map((p) => p.name).join(", ")}); code using ${r.name} no longer compiles`, where(r));
    else out.add(`register ${r.name}`, "", "removed", "breaking", "code that reads or writes this register no longer compiles", where(r));
  }
  for (const r of added) {
    const parts = gathered.get(r);
    if (parts) {
      const rest = (r.array?.count ?? 1) - parts.length;
      const fresh = rest ? `its other ${rest} element${rest === 1 ? " is" : "s are"} new` : "none of its elements is new";
      out.add(`register ${r.name}`, "", "gathered", "compatible", `a new array holding ${parts.length} former registers (${parts.map((p) => p.name).join(", ")}, each reported on its own); ${fresh}`, undefined, where(r));
    }
    else out.add(`register ${r.name}`, "", "added", "compatible", "new register; existing code does not use it", undefined, where(r));
  }
  for (const [a, b] of regs.both) each(out, a, b);
}

/** The element of an array in `regs` that `r`'s name spells (`FOO3`, `CL2_REG`), when it sits at r's address with r's width. */
function sameAddressElement<R extends ElabRegister>(r: R, regs: readonly R[]): { array: R; index: number } | undefined {
  const byName = new Map(regs.map((x) => [x.name, x]));
  const hit = resolveElement(r.name, (n) => byName.get(n));
  if (!hit || "error" in hit) return undefined;
  const same = hit.register.space === r.space && elementAddress(hit.register, hit.index) === r.address && hit.register.width === r.width;
  return same ? { array: hit.register, index: hit.index } : undefined;
}

const space = (r: ElabRegister) => SPACES[r.space].noun;
const where = placeText;

/** Address (space and number), array, access, reset and shape of a register both sides have. */
export function diffRegister(out: ChangeList, a: ElabRegister, b: ElabRegister): void {
  const subject = `register ${b.name}`;
  if (a.space !== b.space) {
    out.add(subject, "", "space", "breaking", `the register moved from the ${SPACES[a.space].plural} to the ${SPACES[b.space].plural}: code reaches it with other instructions and other names`, addressPhrase(a), addressPhrase(b));
  } else if (a.address !== b.address) {
    const kind = SPACES[b.space].numberKey;
    out.add(subject, "", kind, "breaking", `the ${SPACES[b.space].docsLabel} changed: reads and writes go to a different register`, addressPhrase(a), addressPhrase(b));
  }
  if (arrayText(a) !== arrayText(b)) arrayChange(out, subject, a, b);
  if (a.access !== b.access) accessChange(out, subject, "", a.access, b.access);
  if (a.reset !== b.reset) {
    out.add(
      subject,
      "",
      "reset",
      "breaking",
      "the reset value changed: emulators start from different bits and encode() starts from the new value",
      a.reset !== undefined ? hex(a.reset, a.width) : "none",
      b.reset !== undefined ? hex(b.reset, b.width) : "none",
    );
  }
  diffShape(out, subject, a, b);
}

/** Width, C name, reserved bits and fields of a layout or a register's shape. */
export function diffShape(out: ChangeList, subject: string, a: ElabLayout, b: ElabLayout): void {
  if (a.width !== b.width) {
    out.add(subject, "", "width", "breaking", "the size changed: the raw value type, C struct and size checks differ", `${a.width} bits`, `${b.width} bits`);
  }
  if ((a.cName ?? "") !== (b.cName ?? "")) {
    out.add(subject, "", "c-name", "breaking", "C code that uses the old type name no longer compiles", a.cName ?? "none", b.cName ?? "none");
  }
  diffFields(out, subject, a, b);
  diffReserved(out, subject, a, b);
}

function diffFields(out: ChangeList, subject: string, a: ElabLayout, b: ElabLayout): void {
  const m = matchBy(a.fields, b.fields, (f) => f.name);
  // Renames: a field gone and a field new at the same position and width.
  const renamed = new Set<ElabField>();
  for (const oldF of m.removed) {
    const newF = m.added.find((f) => !renamed.has(f) && f.lsb === oldF.lsb && f.width === oldF.width);
    if (!newF) continue;
    renamed.add(oldF).add(newF);
    out.add(subject, newF.name, "renamed", "breaking", "same bits under a new name: code using the old name no longer compiles", oldF.name, newF.name);
    diffField(out, subject, oldF, newF);
  }
  const oldBits = ownedBits(a.fields);
  for (const f of m.removed) {
    if (renamed.has(f)) continue;
    out.add(subject, f.name, "removed", "breaking", `bits ${bitsText(f.lsb, f.width)} lost their name: code using it no longer compiles`, bitsText(f.lsb, f.width));
  }
  for (const f of m.added) {
    if (renamed.has(f)) continue;
    const clash = overlaps(oldBits, f.lsb, f.width);
    out.add(
      subject,
      f.name,
      "added",
      clash ? "breaking" : "compatible",
      clash
        ? `bits ${bitsText(f.lsb, f.width)} belonged to other fields before: old readers interpret them differently`
        : `bits ${bitsText(f.lsb, f.width)} were reserved: old code ignored them and keeps working`,
      undefined,
      bitsText(f.lsb, f.width),
    );
  }
  for (const [oldF, newF] of m.both) {
    if (oldF.lsb !== newF.lsb) {
      out.add(subject, newF.name, "moved", "breaking", "the field sits at different bits: old code reads and writes the wrong bits", bitsText(oldF.lsb, oldF.width), bitsText(newF.lsb, newF.width));
    } else if (oldF.width !== newF.width) {
      resized(out, subject, a, oldF, newF);
    }
    diffField(out, subject, oldF, newF);
  }
}

function resized(out: ChangeList, subject: string, a: ElabLayout, oldF: ElabField, newF: ElabField): void {
  const oldT = tsValueType(oldF.width, !!oldF.layout);
  const newT = tsValueType(newF.width, !!newF.layout);
  const bits = [bitsText(oldF.lsb, oldF.width), bitsText(newF.lsb, newF.width)] as const;
  if (newF.width < oldF.width) {
    out.add(subject, newF.name, "resized", "breaking", "the field narrowed: values that used the high bits no longer fit", ...bits);
    return;
  }
  const others = ownedBits(a.fields.filter((f) => f.name !== oldF.name));
  if (overlaps(others, newF.lsb, newF.width)) {
    out.add(subject, newF.name, "resized", "breaking", "the field widened over bits another field owned before", ...bits);
  } else if (oldT !== newT) {
    out.add(subject, newF.name, "resized", "breaking", `the field widened from ${oldT} to ${newT}: the generated accessor type changes`, ...bits);
  } else {
    out.add(subject, newF.name, "resized", "compatible", "the field widened into bits that were reserved: every old value still encodes to the same bits", ...bits);
  }
}

/** Properties of one field that both versions name (position changes are reported by the caller). */
function diffField(out: ChangeList, subject: string, a: ElabField, b: ElabField): void {
  if (a.access !== b.access) accessChange(out, subject, b.name, a.access, b.access);
  if (a.reset !== b.reset) {
    out.add(subject, b.name, "reset", "breaking", "the field's reset value changed: the initial state differs", a.reset !== undefined ? hex(a.reset) : "none", b.reset !== undefined ? hex(b.reset) : "none");
  }
  if (a.constValue !== b.constValue) {
    out.add(subject, b.name, "const", "breaking", "the fixed value changed: encoders write different bits", a.constValue !== undefined ? hex(a.constValue) : "none", b.constValue !== undefined ? hex(b.constValue) : "none");
  }
  if ((a.layout ?? "") !== (b.layout ?? "")) {
    out.add(subject, b.name, "layout", "breaking", "the field has a different nested layout: its sub-fields differ", a.layout ?? "plain bits", b.layout ?? "plain bits");
  }
  const e = matchBy(a.enum, b.enum, (m) => m.name);
  for (const m of e.removed) out.add(subject, `${b.name}.${m.name}`, "enum-removed", "breaking", "code using this enum member no longer compiles", hex(m.value));
  for (const m of e.added) out.add(subject, `${b.name}.${m.name}`, "enum-added", "compatible", "new enum member; existing members keep their values", undefined, hex(m.value));
  for (const [x, y] of e.both) {
    if (x.value !== y.value) out.add(subject, `${b.name}.${y.name}`, "enum-value", "breaking", "the enum member means a different value", hex(x.value), hex(y.value));
  }
}

/**
 * Count and stride of an array. More elements at the same stride keep every old element where it
 * was (growth is compatible, as a larger block is); fewer elements refuse indices that worked; a
 * new stride moves every element after the first; a register becoming an array, or an array a
 * single register, changes its generated API (an index argument appears or disappears).
 */
function arrayChange(out: ChangeList, subject: string, a: ElabRegister, b: ElabRegister): void {
  const [was, now] = [arrayText(a), arrayText(b)];
  if (!a.array || !b.array) {
    out.add(subject, "", "array", "breaking", a.array ? "no longer an array: code indexing its elements no longer compiles" : "now an array: code naming the single register must pass an element index", was, now);
  } else if (a.array.stride !== b.array.stride) {
    out.add(subject, "", "array", "breaking", `the stride changed: every element after ${elementName(b.name, 0)} sits at a different address`, was, now);
  } else if (b.array.count > a.array.count) {
    out.add(subject, "", "array", "compatible", `more elements: ${elementName(b.name, a.array.count)} and up are new, every old element keeps its address`, was, now);
  } else {
    out.add(subject, "", "array", "breaking", `fewer elements: ${elementName(b.name, b.array.count)} and up no longer exist, so code using those indices fails`, was, now);
  }
}

/** Access changes that only add behaviour: nothing that worked before stops working. */
const WIDER: Partial<Record<Access, Access[]>> = { ro: ["rw"], wo: ["rw"] };

/**
 * A field's (or register's) access changed. The reason names what writes and reads do under each
 * access (rw→w1c: a write stored the bits, now a 1 clears them), from the same table the CLI and
 * the docs legend print.
 */
function accessChange(out: ChangeList, subject: string, path: string, a: Access, b: Access): void {
  const wider = WIDER[a]?.includes(b) ?? false;
  const [x, y] = [ACCESS_MEANING[a], ACCESS_MEANING[b]];
  const what = [x.write !== y.write ? `writes: ${x.write} → ${y.write}` : "", x.read !== y.read ? `reads: ${x.read} → ${y.read}` : ""].filter(Boolean).join("; ");
  out.add(
    subject,
    path,
    "access",
    wider ? "compatible" : "breaking",
    wider ? `${b} allows everything ${a} did (${what})` : `${a} to ${b} changes what software sees (${what || "the same effects under another name"})`,
    a,
    b,
  );
}

function diffReserved(out: ChangeList, subject: string, a: ElabLayout, b: ElabLayout): void {
  const key = (r: { lsb: number; width: number }) => bitsText(r.lsb, r.width);
  const m = matchBy(a.reserved, b.reserved, key);
  for (const [x, y] of m.both) {
    if (x.policy === y.policy) continue;
    const relaxed = y.policy === "ignore";
    out.add(
      subject,
      `reserved ${key(y)}`,
      "reserved-policy",
      relaxed ? "compatible" : "breaking",
      relaxed ? "the bits are now ignored: values that obeyed the old policy still do" : `values with these bits ${y.policy === "res0" ? "set" : "clear"} now break the policy`,
      x.policy,
      y.policy,
    );
  }
}

function ownedBits(fields: readonly ElabField[]): bigint {
  return fields.reduce((m, f) => m | f.mask, 0n);
}

function overlaps(mask: bigint, lsb: number, width: number): boolean {
  return (mask & bitMask(lsb, width)) !== 0n;
}

function diffGroup(out: ChangeList, a: Group, b: Group): void {
  const subject = `group ${b.name}`;
  if (a.registers.join(",") !== b.registers.join(",")) {
    out.add(subject, "", "members", "breaking", "the block reads a different set of registers", a.registers.join(", "), b.registers.join(", "));
  }
  if (a.available.text !== b.available.text) {
    out.add(subject, "", "available", "breaking", "the availability rule changed: the block is read under different conditions", a.available.text, b.available.text);
  }
}
