import { instanceSections, ownShapes } from "../../docs/instance.ts";
import type { ElabRegister, ElabRegistersSpec } from "../../elaborate/model.ts";
import { hex } from "../../resolve/values.ts";
import { shapeView, type ShapeContext } from "../../docs/shapes.ts";
import type { Meta, PageView, TableView } from "../../docs/view.ts";
import { pageHead } from "../../docs/view.ts";
import { addressMeta, addressText, rangeText, SPACES } from "../../elaborate/spaces.ts";
import { addressRange, elementsRange } from "../../inspect/address.ts";

/** Where a register lives and how it repeats: the meta lines above its field table. */
export function registerMeta(r: ElabRegister): Meta[] {
  // An array's address is element 0's; the array line gives every element's.
  const at = addressMeta(r).map((m) => (r.array ? { ...m, label: `${m.label} of element 0` } : m));
  return [
    ...at,
    ...(r.array
      ? [
          { label: "array", value: `${r.array.count} × stride ${hex(r.array.stride)}: ${r.name}[0..${r.array.count - 1}] at ${elementsRange(r)}` },
          ...(r.array.cluster ? [{ label: "cluster", value: `register ${r.array.cluster.register} of cluster ${r.array.cluster.name}` }] : []),
        ]
      : []),
    { label: "width", value: `${r.width} bits` },
    { label: "access", value: r.access },
    ...(r.reset !== undefined ? [{ label: "reset", value: hex(r.reset, r.width) }] : []),
    ...(r.cName ? [{ label: "C name", value: r.cName }] : []),
  ];
}

/** `0x100` for a register; for an array the span its elements cover: `0x100..0x10f` (bytes of an MMIO array), `0xc1..0xc4` (indices). */
export function mapAddress(r: ElabRegister): string {
  if (!r.array) return addressText(r.space, r.address);
  const { first, last } = addressRange(r);
  // Byte-addressed spaces cover every byte of the last element; numbered ones just its number.
  const end = r.space === "mmio" || r.space === "port" ? last + BigInt(r.width / 8) - 1n : last;
  return rangeText(r.space, first, end);
}

/** `4 × 0x4`, or "" for a plain register. */
export function mapRepeat(r: ElabRegister): string {
  return r.array ? `${r.array.count} × ${hex(r.array.stride)}` : "";
}

/** One row per register (an array is one row), in address order. */
function registerMap(spec: ElabRegistersSpec): TableView[] {
  if (!spec.registers.length) return [];
  const regs = [...spec.registers].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : a.name < b.name ? -1 : 1));
  return [
    {
      caption: "Register map (an array is one row: count × stride, and the addresses its elements cover)",
      head: [SPACES[spec.space].docsLabel, "register", "count × stride", "width", "access"],
      rows: regs.map((r) => [mapAddress(r), r.array ? `${r.name}[0..${r.array.count - 1}]` : r.name, mapRepeat(r), `${r.width}`, r.access]),
    },
  ];
}

/** Docs page of a `registers` spec: layouts, registers, groups and assertions. */
export function registersPage(spec: ElabRegistersSpec, ctx: ShapeContext): PageView {
  return {
    ...pageHead(spec),
    sections: [
      ...instanceSections(spec),
      {
        id: "registers",
        title: "Registers",
        doc: SPACES[spec.space].about,
        tables: spec.inherits?.sameRest ? [] : registerMap(spec),
        shapes: ownShapes(spec, spec.registers).map((r) => shapeView(r, "register", registerMeta(r), ctx)),
      },
      {
        id: "layouts",
        title: "Layouts",
        doc: "Reusable bit layouts that registers embed as fields.",
        tables: [],
        shapes: ownShapes(spec, spec.layouts).map((l) => shapeView(l, "layout", [{ label: "width", value: `${l.width} bits` }, ...(l.cName ? [{ label: "C name", value: l.cName }] : [])], ctx)),
      },
      {
        id: "groups",
        title: "Groups",
        doc: "",
        tables: spec.groups.length && !spec.inherits?.sameRest
          ? [
              {
                caption: "Register blocks and when they are available",
                head: ["group", SPACES[spec.space].plural, "registers", "available when", "doc"],
                rows: spec.groups.map((g) => [g.name, rangeText(spec.space, g.first, g.last), g.registers.join(", "), g.available.text, g.doc]),
              },
            ]
          : [],
        shapes: [],
      },
      {
        id: "asserts",
        title: "Build-time facts",
        doc: "",
        tables: spec.asserts.length && !spec.inherits?.sameRest ? [{ caption: "Checked by the generator and emitted into every target", head: ["assertion", "doc"], rows: spec.asserts.map((a) => [a.expr.text, a.doc]) }] : [],
        shapes: [],
      },
    ].filter((s) => s.shapes.length || s.tables.length),
  };
}
