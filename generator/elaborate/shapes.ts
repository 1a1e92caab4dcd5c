import type { Access, Layout } from "../model/index.ts";
import { bitMask, bitsText, namesEveryValue, ones } from "./bits.ts";
import { shapeEffects } from "./effects.ts";
import { WRITABLE_ACCESS, type ElabField, type ElabShape, type FlatField, type FlatReserved, type ShapeFacts, type ShapeIds } from "./model.ts";

/** Nested layouts deeper than this are treated as leaves (the checker reports reference cycles). */
const MAX_DEPTH = 8;

/** Bytes of a shape's fields: the extent of everything named or reserved, as C's sizeof sees it. */
export function shapeBytes(shape: { fields: readonly { lsb: number; width: number }[]; reserved: readonly { lsb: number; width: number }[] }): number {
  const top = Math.max(0, ...shape.fields.map((f) => f.lsb + f.width), ...shape.reserved.map((r) => r.lsb + r.width));
  return Math.ceil(top / 8);
}

function roleOf(shape: Layout): ShapeFacts["role"] {
  if ("access" in shape) return "register";
  if ("level" in shape) return "entry";
  return "layout";
}

function shapeIds(shape: Layout, role: ShapeFacts["role"]): ShapeIds {
  const cTag = role === "register" ? shape.name.toLowerCase() : (shape.cName ?? shape.name);
  // The docs page of a spec calls entry formats "format". Spec text never reaches an HTML id except
  // through this reduction to [A-Za-z0-9_.-].
  const anchor = `${role === "entry" ? "format" : role}-${shape.name}`.replace(/[^A-Za-z0-9_.-]/g, "_");
  return { ts: shape.name, cTag, cPrefix: cTag.toUpperCase(), cMember: shape.cName ?? shape.name.toLowerCase(), anchor };
}

/**
 * Elaborates one shape. `nestedOf` finds a nested layout by qualified name among the resolved
 * layouts; a reference the checker will refuse (unknown, cyclic) is taken as a leaf here, so
 * elaboration is total on any resolved model.
 */
export function elaborateShape<T extends Layout>(shape: T, nestedOf: (qname: string) => Layout | undefined): ElabShape<T> {
  // Bits beyond the outermost shape are errors check reports; masks keep only the bits inside it,
  // so a spec with `"bits": "99999999:0"` gets a diagnostic rather than a BigInt the size of the input.
  const mask = (lsb: number, width: number) => (lsb >= shape.width ? 0n : bitMask(lsb, Math.min(width, shape.width - lsb)));
  // Object.assign rather than `{ ...f, mask, … }`: same object, same key order, but V8 builds a
  // spread followed by more members on a slow path, about ten times the cost for every field of a tree.
  const leaf = (f: Layout["fields"][number]): ElabField =>
    Object.assign({}, f, {
      mask: mask(f.lsb, f.width),
      max: ones(Math.min(f.width, shape.width)),
      bits: bitsText(f.lsb, f.width),
      readable: f.access !== "wo",
      writable: WRITABLE_ACCESS.has(f.access),
      enumTotal: namesEveryValue(f.enum, f.width),
    });
  const fields: ElabField[] = shape.fields.map(leaf);
  let res0Mask = 0n;
  let res1Mask = 0n;
  let ignoreMask = 0n;
  let constMask = 0n;
  let constValue = 0n;
  const flat: FlatField[] = [];
  const flatReserved: FlatReserved[] = [];
  const visit = (s: Layout, own: readonly ElabField[] | undefined, base: number, prefix: string[], container: Access | undefined, depth: number) => {
    for (const r of s.reserved) {
      flatReserved.push({ lsb: base + r.lsb, width: r.width, policy: r.policy });
      const m = mask(base + r.lsb, r.width);
      if (r.policy === "res0") res0Mask |= m;
      else if (r.policy === "res1") res1Mask |= m;
      else ignoreMask |= m;
    }
    s.fields.forEach((raw, i) => {
      const f = own?.[i] ?? leaf(raw);
      const path = [...prefix, f.name];
      const access = container && container !== "rw" ? container : f.access;
      flat.push({ path, field: f, lsb: base + f.lsb, mask: mask(base + f.lsb, f.width), access });
      if (f.constValue !== undefined && base + f.lsb < shape.width) {
        constMask |= mask(base + f.lsb, f.width);
        constValue |= (f.constValue << BigInt(base + f.lsb)) & mask(base + f.lsb, f.width);
      }
      const nested = f.layout ? nestedOf(f.layout) : undefined;
      if (nested && depth < MAX_DEPTH) visit(nested, undefined, base + f.lsb, path, access, depth + 1);
    });
  };
  visit(shape, fields, 0, [], undefined, 0);
  flatReserved.sort((a, b) => a.lsb - b.lsb);
  const role = roleOf(shape);
  const facts: ShapeFacts = {
    role,
    bytes: shapeBytes(shape),
    rawBytes: shape.width / 8,
    res0Mask,
    res1Mask,
    ignoreMask,
    fixedMask: constMask | res1Mask,
    initial: constValue | res1Mask,
    fields,
    writableFields: fields.filter((f) => f.writable),
    flat,
    flatReserved,
    effects: shapeEffects(shape, flat, flatReserved, mask, nestedOf),
    ids: shapeIds(shape, role),
  };
  return Object.assign({}, shape, facts);
}
