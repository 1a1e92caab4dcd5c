import type { ElabRegister, ElabRegistersSpec } from "../../elaborate/model.ts";
import { hex } from "../../resolve/values.ts";
import { shapeView, type ShapeContext } from "../../docs/shapes.ts";
import type { Meta, PageView } from "../../docs/view.ts";
import { pageHead } from "../../docs/view.ts";
import { addressMeta, rangeText, SPACES } from "../../elaborate/spaces.ts";

export function registerMeta(r: ElabRegister): Meta[] {
  return [
    ...addressMeta(r),
    { label: "width", value: `${r.width} bits` },
    { label: "access", value: r.access },
    ...(r.reset !== undefined ? [{ label: "reset", value: hex(r.reset, r.width) }] : []),
    ...(r.cName ? [{ label: "C name", value: r.cName }] : []),
  ];
}

/** Docs page of a `registers` spec: layouts, registers, groups and assertions. */
export function registersPage(spec: ElabRegistersSpec, ctx: ShapeContext): PageView {
  return {
    ...pageHead(spec),
    sections: [
      {
        id: "registers",
        title: "Registers",
        doc: SPACES[spec.space].about,
        tables: [],
        shapes: spec.registers.map((r) => shapeView(r, "register", registerMeta(r), ctx)),
      },
      {
        id: "layouts",
        title: "Layouts",
        doc: "Reusable bit layouts that registers embed as fields.",
        tables: [],
        shapes: spec.layouts.map((l) => shapeView(l, "layout", [{ label: "width", value: `${l.width} bits` }, ...(l.cName ? [{ label: "C name", value: l.cName }] : [])], ctx)),
      },
      {
        id: "groups",
        title: "Groups",
        doc: "",
        tables: spec.groups.length
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
        tables: spec.asserts.length ? [{ caption: "Checked by the generator and emitted into every target", head: ["assertion", "doc"], rows: spec.asserts.map((a) => [a.expr.text, a.doc]) }] : [],
        shapes: [],
      },
    ].filter((s) => s.shapes.length || s.tables.length),
  };
}
