import type { ElabDeviceRegister, ElabDeviceSpec } from "../../elaborate/model.ts";
import { hex } from "../../resolve/values.ts";
import { registerMeta } from "../registers/docs.ts";
import { shapeView, type ShapeContext } from "../../docs/shapes.ts";
import type { Meta, PageView } from "../../docs/view.ts";
import { pageHead } from "../../docs/view.ts";

function behaviour(r: ElabDeviceRegister): Meta[] {
  const read = r.read.kind === "value" ? `= ${r.read.expr.text}` : r.read.kind === "hook" ? `hook ${r.read.hook}` : r.read.kind;
  const write = r.aliasOf ? `${r.write.kind} into ${r.aliasOf.name}` : r.write.kind;
  return [
    { label: "access widths", value: r.accessWidths.join(", ") },
    { label: "read", value: read },
    { label: "write", value: write + (r.onWrite ? `, then hook ${r.onWrite.hook}` : "") },
    ...(r.aliases.length ? [{ label: "aliases", value: r.aliases.join(", ") }] : []),
  ];
}

/** Docs page of a `device` spec: the MMIO block, its registers with behaviour, hooks, interrupts, constants. */
export function devicePage(spec: ElabDeviceSpec, ctx: ShapeContext): PageView {
  return {
    ...pageHead(spec),
    sections: [
      {
        id: "block",
        title: "MMIO block",
        doc: spec.block.doc,
        tables: [
          { caption: "Block", head: ["size", "access widths"], rows: [[hex(spec.block.size), spec.block.accessWidths.join(", ")]] },
          { caption: "Register map", head: ["offset", "register", "access", "read", "write"], rows: spec.registers.map((r) => [hex(r.offset), r.name, r.access, behaviour(r)[1]!.value, behaviour(r)[2]!.value]) },
        ],
        shapes: [],
      },
      { id: "registers", title: "Registers", doc: "", tables: [], shapes: spec.registers.map((r) => shapeView(r, "register", [...registerMeta(r), ...behaviour(r)], ctx)) },
      { id: "layouts", title: "Layouts", doc: "", tables: [], shapes: spec.layouts.map((l) => shapeView(l, "layout", [{ label: "width", value: `${l.width} bits` }], ctx)) },
      {
        id: "behaviour",
        title: "Hooks, interrupts and constants",
        doc: "",
        tables: [
          ...(spec.hooks.length ? [{ caption: "Hooks the runtime implements", head: ["hook", "on", "doc"], rows: spec.hooks.map((h) => [h.name, h.on, h.doc]) }] : []),
          ...(spec.interrupts.length ? [{ caption: "Interrupt lines", head: ["line", "raised while", "doc"], rows: spec.interrupts.map((i) => [i.name, i.expr.text, i.doc]) }] : []),
          ...(spec.constants.length ? [{ caption: "Constants", head: ["name", "value", "doc"], rows: spec.constants.map((c) => [c.name, hex(c.value), c.doc]) }] : []),
        ],
        shapes: [],
      },
    ].filter((s) => s.shapes.length || s.tables.length),
  };
}
