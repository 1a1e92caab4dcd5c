import type { ElabDeviceRegister } from "../elaborate/model.ts";
import type { DeviceRegister, ReadSemantics } from "../model/index.ts";
import { hex } from "../resolve/values.ts";
import { arrayJson, elementJson, elementName, elementPhrase, elementsPhrase } from "./address.ts";
import type { Found, Shape } from "./names.ts";

/**
 * The register facts `layout` and `decode` print next to the fields, in JSON and in text, so
 * both commands say the same about where an element lives and how the register behaves.
 */

const isRegister = (s: Shape): s is Extract<Shape, { access: unknown }> => s.role === "register";
const isDevice = (s: Shape): s is ElabDeviceRegister => "accessWidths" in s;

/** The name a found shape is printed under: `x.y.REG[2]` for an element, else the qualified name. */
export function foundName(f: Found): string {
  return f.element !== undefined ? elementName(f.shape.qname, f.element) : f.shape.qname;
}

/** `element`, the element's (or register's) `index`/`offset`, and `array` facts. */
export function whereJson(f: Found): Record<string, unknown> {
  const s = f.shape;
  if (!isRegister(s)) return {};
  const array = arrayJson(s);
  return {
    ...(f.element !== undefined ? { element: f.element } : {}),
    ...elementJson(s, f.element ?? 0),
    ...(array ? { array } : {}),
  };
}

/** Behaviour of a device register as a whole (reads, writes, alias storage, narrow accesses). */
export function deviceJson(s: Shape): Record<string, unknown> | undefined {
  if (!isDevice(s)) return undefined;
  return {
    accessWidths: s.accessWidths,
    read: readText(s.read),
    write: s.write.kind,
    ...(s.onWrite ? { onWrite: s.onWrite.hook } : {}),
    ...(s.aliasOf ? { aliasOf: s.aliasOf.name } : {}),
    narrow: s.narrow,
    reservedWrites: s.reservedWrites,
    storage: s.storage,
  };
}

export function readText(r: ReadSemantics): string {
  return r.kind === "value" ? `value ${r.expr.text}` : r.kind === "hook" ? `hook ${r.hook}` : r.kind;
}

/** `offset 0x108` plus the array line (`element 2 of ISENABLER[0..3]: 4 × stride 0x4, offsets 0x100..0x10c`). */
export function whereText(f: Found): { at: string; array?: string } {
  const s = f.shape;
  if (!isRegister(s)) return { at: "" };
  const at = elementPhrase(s, f.element ?? 0);
  if (!s.array) return { at };
  const whole = `${s.name}[0..${s.array.count - 1}]`;
  const from = s.array.cluster ? ` (register ${s.array.cluster.register} of cluster ${s.array.cluster.name})` : "";
  const lead = f.element !== undefined ? `element ${f.element} of ${whole}` : `array ${whole}`;
  return { at, array: `${lead}${from}: ${s.array.count} × stride ${hex(s.array.stride)}, ${elementsPhrase(s)}` };
}

/** One line on a device register's behaviour, or undefined for other shapes. */
export function deviceText(s: Shape): string | undefined {
  if (!isDevice(s)) return undefined;
  const r = s as DeviceRegister;
  const parts = [
    `access widths ${r.accessWidths.join(", ")}`,
    `read: ${readText(r.read)}`,
    `write: ${r.write.kind}${r.aliasOf ? ` into ${r.aliasOf.name}'s storage (alias_of)` : ""}${r.onWrite ? `, then hook ${r.onWrite.hook}` : ""}`,
    ...(r.narrow === "lanes" ? ["narrow accesses: any aligned lane"] : []),
    ...(r.reservedWrites === "store" ? ["reserved bits: stored as written"] : []),
  ];
  return parts.join(" · ");
}
