import type { ReservedRange } from "../../model/index.ts";
import type { ElabField, ElabLayout } from "../../elaborate/model.ts";
import type { Lookup } from "../../elaborate/lookup.ts";
import { cIdent, cTypeTag, storageBits } from "./names.ts";
import { cFieldMember } from "../../elaborate/names/c.ts";

/** One line of a bit-field struct: a named field, a nested union, or unnamed padding. */
export interface Member {
  type: string;
  /** Empty for padding. */
  name: string;
  /** Bit-field width; undefined for a whole nested union. */
  bits?: number;
  comment: string;
}

/** Xen writes bit ranges low:high in padding comments (`45:47 reserved`). */
const span = (lsb: number, width: number) => (width === 1 ? `${lsb}` : `${lsb}:${lsb + width - 1}`);

/**
 * C type of a bit-field of `width` bits at `lsb`. `bool` for one bit; `uint32_t` when the field stays
 * inside one 32-bit allocation unit (standard C11 on ABIs where uint32_t is unsigned int); `uint64_t`
 * only for a field crossing a 32-bit boundary, which is a GCC extension (see docs/c-headers.md).
 */
function bitFieldType(lsb: number, width: number): string {
  if (width === 1) return "bool";
  return Math.floor(lsb / 32) === Math.floor((lsb + width - 1) / 32) ? "uint32_t" : "uint64_t";
}

/** Whether a nested layout can be a whole union member: same width as its storage, naturally aligned. */
export function embedsUnion(field: ElabField, nested: ElabLayout | undefined): nested is ElabLayout {
  if (!nested) return false;
  const bits = storageBits(nested.width);
  return nested.width === bits && field.width === bits && field.lsb % bits === 0;
}

/** Padding for `width` bits at `lsb`, split at 32-bit unit boundaries so uint32_t can hold each piece. */
function padding(lsb: number, width: number, reserved: ReservedRange | undefined): Member[] {
  const out: Member[] = [];
  let at = lsb;
  while (at < lsb + width) {
    const end = Math.min(lsb + width, (Math.floor(at / 32) + 1) * 32);
    const policy = reserved && reserved.policy !== "ignore" ? `, ${reserved.policy}` : "";
    out.push({ type: "uint32_t", name: "", bits: end - at, comment: `${span(at, end - at)} reserved${policy}` });
    at = end;
  }
  return out;
}

/**
 * Struct members of a shape in bit order, with unnamed padding for every reserved range. Stops at the
 * highest named or reserved bit, so sizeof matches the model's shapeBytes (checker's size facts).
 */
export function structMembers(shape: ElabLayout, lookup: Lookup): Member[] {
  const parts = [
    ...shape.fields.map((f) => ({ lsb: f.lsb, width: f.width, field: f as ElabField | undefined, res: undefined as ReservedRange | undefined })),
    ...shape.reserved.map((r) => ({ lsb: r.lsb, width: r.width, field: undefined, res: r as ReservedRange | undefined })),
  ].sort((a, b) => a.lsb - b.lsb);
  const out: Member[] = [];
  let at = 0;
  for (const p of parts) {
    if (p.lsb > at) out.push(...padding(at, p.lsb - at, undefined));
    if (p.field) out.push(fieldMember(p.field, lookup));
    else out.push(...padding(p.lsb, p.width, p.res));
    at = p.lsb + p.width;
  }
  return out;
}

function fieldMember(f: ElabField, lookup: Lookup): Member {
  const name = cIdent(cFieldMember(f), "field name");
  const nested = f.layout ? lookup.layouts.get(f.layout) : undefined;
  if (embedsUnion(f, nested)) return { type: `union ${cTypeTag(nested)}`, name, comment: "" };
  const comment = f.constValue !== undefined ? `${span(f.lsb, f.width)} always ${f.constValue}` : "";
  return { type: bitFieldType(f.lsb, f.width), name, bits: f.width, comment };
}

/** Xen alignment: types left, names right-aligned so the colons line up, padding comments aligned. */
export function alignMembers(members: Member[]): { decl: string; comment: string }[] {
  const head = (m: Member) => m.type.length + 1 + m.name.length;
  const headWidth = Math.max(0, ...members.map(head));
  const tail = (m: Member) => (m.bits === undefined ? ";" : `:${m.bits};`);
  const tailWidth = Math.max(0, ...members.filter((m) => m.comment).map((m) => tail(m).length));
  return members.map((m) => {
    const decl = `${m.type} ${m.name.padStart(headWidth - m.type.length - 1)}${tail(m)}`;
    return { decl: m.comment ? decl.padEnd(decl.length - tail(m).length + tailWidth) : decl, comment: m.comment };
  });
}
