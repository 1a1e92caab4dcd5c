import type { Access } from "../model/index.ts";
import type { Lookup } from "../elaborate/lookup.ts";
import type { ElabField } from "../elaborate/model.ts";
import { bitMask, ones } from "../elaborate/bits.ts";
import { hex } from "../resolve/values.ts";
import type { Shape } from "./names.ts";

export interface FieldEntry {
  path: string;
  lsb: number;
  width: number;
  access: Access;
  layout?: string;
  enum?: Record<string, string>;
  doc?: string;
}

export interface DecodedField extends FieldEntry {
  value: string;
  /** Name of the enum member the value matches. */
  meaning?: string;
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
    ...(field.layout ? { layout: field.layout } : {}),
    ...(field.enum.length ? { enum: Object.fromEntries(field.enum.map((e) => [e.name, hex(e.value)])) } : {}),
    ...(field.doc ? { doc: field.doc } : {}),
  };
}

const bitsOf = (v: bigint, lsb: number, width: number) => (v >> BigInt(lsb)) & ones(width);

/** Reference decoder straight from the model (BigInt); the generated accessors are tested against it. */
export function decodeValue(shape: Shape, raw: bigint, lookup: Lookup) {
  const fields: DecodedField[] = fieldEntries(shape).map((e) => {
    const value = bitsOf(raw, e.lsb, e.width);
    const meaning = e.enum ? Object.entries(e.enum).find(([, v]) => BigInt(v) === value)?.[0] : undefined;
    const { path, lsb, width, access, ...rest } = e;
    return { path, lsb, width, value: hex(value), access, ...(meaning ? { meaning } : {}), ...rest };
  });
  return { name: shape.qname, width: shape.width, raw: hex(raw, shape.width), fields, reserved: reservedOf(shape, raw) };
}

function reservedOf(shape: Shape, raw: bigint): ReservedEntry[] {
  return shape.flatReserved.map((r) => {
    const v = bitsOf(raw, r.lsb, r.width);
    const violation = (r.policy === "res0" && v !== 0n) || (r.policy === "res1" && v !== ones(r.width));
    return { lsb: r.lsb, width: r.width, policy: r.policy, value: hex(v), ...(violation ? { violation } : {}) };
  });
}

/** Applies `path=value` assignments to `start` (reset value by default), checking every value fits. */
export function encodeValue(
  shape: Shape,
  assignments: { path: string; value: bigint }[],
  lookup: Lookup,
  start?: bigint,
): { raw: bigint } | { error: string } {
  const entries = new Map(fieldEntries(shape).map((e) => [e.path, e]));
  let raw = start ?? initialValue(shape);
  for (const { path, value } of assignments) {
    const e = entries.get(path);
    if (!e) return { error: `${shape.name} has no field "${path}" (fields: ${[...entries.keys()].join(", ")})` };
    if (value >> BigInt(e.width) !== 0n) return { error: `${hex(value)} does not fit in the ${e.width}-bit field "${path}"` };
    const mask = bitMask(e.lsb, e.width);
    raw = (raw & ~mask) | (value << BigInt(e.lsb));
  }
  return { raw };
}

/** Reset value when the register has one; otherwise const fields and res1 bits set, all else zero. */
export function initialValue(shape: Shape): bigint {
  return "reset" in shape && shape.reset !== undefined ? shape.reset : shape.initial;
}
