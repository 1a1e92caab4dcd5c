import { didYouMean } from "../suggest.ts";
import type { Access } from "../model/index.ts";
import type { Lookup } from "../elaborate/lookup.ts";
import type { ElabField, ElabRegister } from "../elaborate/model.ts";
import { addressJson } from "../elaborate/spaces.ts";
import { bitMask, ones, twosComplement } from "../elaborate/bits.ts";
import { hex } from "../resolve/values.ts";
import type { Shape } from "./names.ts";
import { ACCESS_MEANING } from "./access.ts";

export interface FieldEntry {
  path: string;
  lsb: number;
  width: number;
  access: Access;
  /** What a write does to the field under its access (`stores`, `1 clears`, ...). */
  write: string;
  /** What a read returns and does (`value`, `0`, `value, then clears`, ...). */
  read: string;
  layout?: string;
  enum?: Record<string, string>;
  /** The field is two's complement (Linux SignedEnum); `signedValue` in decode output. */
  signed?: boolean;
  doc?: string;
  source?: string;
}

export interface DecodedField extends FieldEntry {
  value: string;
  /** Name of the enum member the value matches. */
  meaning?: string;
  /** A signed field's value as a decimal two's-complement number (`-1` for 0b1111). */
  signedValue?: string;
}

export interface ReservedEntry {
  lsb: number;
  width: number;
  policy: string;
  value?: string;
  /** The value breaks the policy (res0 bits set, res1 bits clear). */
  violation?: boolean;
}

/** Descriptor entries of every field, nested paths included, in bit order of their containers. */
export function fieldEntries(shape: Shape): FieldEntry[] {
  return shape.flat.map(({ path, field, lsb, access }) => entry(path, field, lsb, access));
}

function entry(path: string[], field: ElabField, lsb: number, access: Access): FieldEntry {
  return {
    path: path.join("."),
    lsb,
    width: field.width,
    access,
    write: ACCESS_MEANING[access].write,
    read: ACCESS_MEANING[access].read,
    ...(field.layout ? { layout: field.layout } : {}),
    ...(field.enum.length ? { enum: Object.fromEntries(field.enum.map((e) => [e.name, hex(e.value)])) } : {}),
    ...(field.signed !== undefined ? { signed: field.signed } : {}),
    ...(field.doc ? { doc: field.doc } : {}),
    ...(field.source ? { source: field.source } : {}),
  };
}

const bitsOf = (v: bigint, lsb: number, width: number) => (v >> BigInt(lsb)) & ones(width);

/** Reference decoder straight from the model (BigInt); the generated accessors are tested against it. */
export function decodeValue(shape: Shape, raw: bigint, lookup: Lookup) {
  const fields: DecodedField[] = fieldEntries(shape).map((e) => {
    const value = bitsOf(raw, e.lsb, e.width);
    const meaning = e.enum ? Object.entries(e.enum).find(([, v]) => BigInt(v) === value)?.[0] : undefined;
    const { path, lsb, width, access, ...rest } = e;
    const signedValue = e.signed ? String(twosComplement(value, width)) : undefined;
    return { path, lsb, width, value: hex(value), access, ...(meaning ? { meaning } : {}), ...(signedValue !== undefined ? { signedValue } : {}), ...rest };
  });
  const address = shape.role === "register" ? addressJson(shape as ElabRegister) : {};
  return { name: shape.qname, width: shape.width, ...address, raw: hex(raw, shape.width), fields, reserved: reservedOf(shape, raw) };
}

function reservedOf(shape: Shape, raw: bigint): ReservedEntry[] {
  return shape.flatReserved.map((r) => {
    const v = bitsOf(raw, r.lsb, r.width);
    const violation = (r.policy === "res0" && v !== 0n) || (r.policy === "res1" && v !== ones(r.width));
    return { lsb: r.lsb, width: r.width, policy: r.policy, value: hex(v), ...(violation ? { violation } : {}) };
  });
}

/** One `path=value` of encode: a number, or the name of a member of the field's enum. */
export type Assignment = { path: string; value: bigint } | { path: string; name: string };

/** Applies `path=value` assignments to `start` (reset value by default), checking every value fits and every name is a member. */
export function encodeValue(
  shape: Shape,
  assignments: Assignment[],
  lookup: Lookup,
  start?: bigint,
): { raw: bigint } | { error: string } {
  const entries = new Map(fieldEntries(shape).map((e) => [e.path, e]));
  let raw = start ?? initialValue(shape);
  for (const a of assignments) {
    const { path } = a;
    const e = entries.get(path);
    if (!e) {
      const close = didYouMean(path, entries.keys());
      return { error: `${shape.name} has no field "${path}"${close || ` (fields: ${[...entries.keys()].join(", ")})`}` };
    }
    const value = "value" in a ? a.value : memberValue(e, a.name);
    if (typeof value === "string") return { error: value };
    if (value >> BigInt(e.width) !== 0n) return { error: `${hex(value)} does not fit in the ${e.width}-bit field "${path}"` };
    const mask = bitMask(e.lsb, e.width);
    raw = (raw & ~mask) | (value << BigInt(e.lsb));
  }
  return { raw };
}

/** The value of enum member `name` of a field, or why there is none. Names are exact: the did-you-mean catches case slips. */
function memberValue(e: FieldEntry, name: string): bigint | string {
  if (!e.enum) return `field "${e.path}" has no named values; give a number (0x.., 0b.., 0o.., decimal)`;
  if (Object.prototype.hasOwnProperty.call(e.enum, name)) return BigInt(e.enum[name]!);
  const names = Object.keys(e.enum);
  return `"${name}" is not a named value of "${e.path}"${didYouMean(name, names) || ""} (values: ${names.map((n) => `${n}=${e.enum![n]}`).join(", ")})`;
}

/** Reset value when the register has one; otherwise const fields and res1 bits set, all else zero. */
export function initialValue(shape: Shape): bigint {
  return "reset" in shape && shape.reset !== undefined ? shape.reset : shape.initial;
}

/** A decoded value that breaks the spec: reserved bits against their policy, or a value no enum member names. */
export type Violation =
  | { kind: "reserved"; lsb: number; width: number; policy: string; value: string; message: string }
  | { kind: "enum"; path: string; lsb: number; width: number; value: string; message: string };

export function violationsOf(decoded: ReturnType<typeof decodeValue>): Violation[] {
  const out: Violation[] = [];
  for (const f of decoded.fields) {
    if (f.enum && f.meaning === undefined) {
      const names = Object.keys(f.enum).join(", ");
      out.push({ kind: "enum", path: f.path, lsb: f.lsb, width: f.width, value: f.value, message: `${f.path} = ${f.value} is not a named value (${names})` });
    }
  }
  for (const r of decoded.reserved) {
    if (r.violation) {
      const bits = r.width === 1 ? `bit ${r.lsb}` : `bits ${r.lsb + r.width - 1}:${r.lsb}`;
      const rule = r.policy === "res0" ? "must be 0" : "must be 1";
      out.push({ kind: "reserved", lsb: r.lsb, width: r.width, policy: r.policy, value: r.value!, message: `reserved ${bits} (${r.policy}) = ${r.value}: ${rule}` });
    }
  }
  return out.sort((a, b) => a.lsb - b.lsb);
}
