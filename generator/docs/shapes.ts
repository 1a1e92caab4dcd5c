import type { ElabLayout, ElabRegister } from "../elaborate/model.ts";
import type { Lookup } from "../elaborate/lookup.ts";
import { fieldEntries } from "../inspect/decode.ts";
import { hex } from "../resolve/values.ts";
import { bitsText, ones } from "../elaborate/bits.ts";
import { type FieldRow, type Meta, type ShapeView, type SvgBox, type SvgTick, type SvgView } from "./view.ts";

export interface ShapeContext {
  lookup: Lookup;
  /** Qualified names the generated TypeScript exports a descriptor for (decode box candidates). */
  decodable: ReadonlySet<string>;
}

/** Table rows and diagram of a layout, register or entry format. */
export function shapeView(shape: ElabLayout | ElabRegister, kind: string, meta: Meta[], ctx: ShapeContext): ShapeView {
  return {
    id: shape.ids.anchor,
    kind,
    name: shape.name,
    qname: shape.qname,
    width: shape.width,
    doc: shape.doc,
    meta,
    rows: rowsOf(shape, ctx.lookup),
    svg: bitDiagram(shape),
    decodable: ctx.decodable.has(shape.qname),
    ...("array" in shape && shape.array ? { array: { count: shape.array.count, cluster: !!shape.array.cluster } } : {}),
  };
}

function rowsOf(shape: ElabLayout | ElabRegister, lookup: Lookup): FieldRow[] {
  const regReset = "reset" in shape ? shape.reset : undefined;
  const rows: (FieldRow & { lsb: number; order: number })[] = [];
  const direct = new Map(shape.fields.map((f) => [f.name, f]));
  fieldEntries(shape).forEach((e, order) => {
    const path = e.path.split(".");
    const top = path.length === 1 ? direct.get(e.path) : undefined;
    const own = top?.reset ?? (top?.constValue !== undefined ? top.constValue : undefined);
    const fromReg = regReset !== undefined ? (regReset >> BigInt(e.lsb)) & ones(e.width) : undefined;
    const reset = own ?? fromReg;
    rows.push({
      lsb: e.lsb,
      order,
      bits: bitsText(e.lsb, e.width),
      name: e.path,
      depth: path.length - 1,
      access: e.access,
      reset: reset !== undefined ? hex(reset) : "",
      doc: e.doc ?? "",
      enums: e.enum ? Object.entries(e.enum).map(([k, v]) => `${k}=${v}`).join(", ") : "",
      reserved: false,
    });
  });
  for (const r of shape.reserved) {
    rows.push({
      lsb: r.lsb,
      order: -1,
      bits: bitsText(r.lsb, r.width),
      name: `reserved (${r.policy})`,
      depth: 0,
      access: "",
      reset: "",
      doc: r.doc,
      enums: "",
      reserved: true,
    });
  }
  // Most significant first, like the SDM and TRM tables; nested rows stay under their container.
  const tops = rows.filter((r) => r.depth === 0).sort((a, b) => b.lsb - a.lsb);
  const out: FieldRow[] = [];
  for (const t of tops) {
    out.push(strip(t));
    if (!t.reserved) for (const n of rows.filter((r) => r.depth > 0 && r.name.startsWith(t.name + "."))) out.push(strip(n));
  }
  return out;
}

const strip = ({ lsb: _l, order: _o, ...row }: FieldRow & { lsb: number; order: number }): FieldRow => row;

const CELL = 22;
const ROW_BITS = 32;
const LEFT = 8;
const TOP = 18;
const BOX_H = 34;
const ROW_GAP = 26;

/** An SVG bit-field diagram: rows of 32 bits, most significant first; reserved bits shaded. */
export function bitDiagram(shape: ElabLayout): SvgView {
  const rowsN = Math.max(1, Math.ceil(shape.width / ROW_BITS));
  const perRow = Math.min(ROW_BITS, shape.width);
  const boxes: SvgBox[] = [];
  const ticks: SvgTick[] = [];
  const spans = [
    ...shape.fields.map((f) => ({ lsb: f.lsb, width: f.width, label: f.name, cls: "field" as const, title: `${f.name} [${bitsText(f.lsb, f.width)}]` })),
    ...shape.reserved.map((r) => ({ lsb: r.lsb, width: r.width, label: "", cls: "reserved" as const, title: `reserved ${r.policy} [${bitsText(r.lsb, r.width)}]` })),
  ];
  for (let row = 0; row < rowsN; row++) {
    const hiBit = shape.width - 1 - row * ROW_BITS;
    const loBit = Math.max(0, hiBit - perRow + 1);
    const y = TOP + row * (BOX_H + ROW_GAP);
    const xOf = (bit: number) => LEFT + (hiBit - bit) * CELL;
    for (const bit of [hiBit, loBit]) ticks.push({ x: xOf(bit) + CELL / 2, y: y - 5, text: String(bit) });
    for (const s of spans) {
      const hi = Math.min(s.lsb + s.width - 1, hiBit);
      const lo = Math.max(s.lsb, loBit);
      if (hi < lo) continue;
      const x = xOf(hi);
      const w = (hi - lo + 1) * CELL;
      if (s.cls === "field" && s.width > 1) {
        for (const bit of [hi, lo]) if (bit !== hiBit && bit !== loBit) ticks.push({ x: xOf(bit) + CELL / 2, y: y - 5, text: String(bit) });
      } else if (s.cls === "field" && hi !== hiBit && hi !== loBit) ticks.push({ x: xOf(hi) + CELL / 2, y: y - 5, text: String(hi) });
      boxes.push({ x, y, w, h: BOX_H, tx: x + w / 2, ty: y + BOX_H / 2 + 4, label: fit(s.label, w), title: s.title, cls: s.cls });
    }
  }
  boxes.sort((a, b) => a.y - b.y || a.x - b.x);
  const seen = new Set<string>();
  const uniqueTicks = ticks.filter((t) => {
    const k = `${t.x},${t.y}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
  uniqueTicks.sort((a, b) => a.y - b.y || a.x - b.x);
  return {
    width: LEFT * 2 + perRow * CELL,
    height: TOP + rowsN * (BOX_H + ROW_GAP) - ROW_GAP + 6,
    title: `${shape.qname}: ${shape.width}-bit layout`,
    boxes,
    ticks: uniqueTicks,
  };
}

/** A label that fits `w` pixels at ~6.5 px per character (vertical text would not be searchable). */
function fit(label: string, w: number): string {
  const max = Math.floor((w - 4) / 6.5);
  if (label.length <= max) return label;
  if (max <= 1) return "";
  return label.slice(0, max - 1) + "…";
}
