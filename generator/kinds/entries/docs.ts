import type { ElabEntriesSpec } from "../../elaborate/model.ts";
import { hex } from "../../resolve/values.ts";
import { bitsText } from "../../elaborate/bits.ts";
import { shapeView, type ShapeContext } from "../../docs/shapes.ts";
import type { PageView, SectionView } from "../../docs/view.ts";
import { pageHead } from "../../docs/view.ts";

/** Docs page of an `entries` spec: flags and their packing, one section per level with its entry formats, conversions. */
export function entriesPage(spec: ElabEntriesSpec, ctx: ShapeContext): PageView {
  const levels: SectionView[] = spec.levels.map((l) => ({
    id: `level-${l.name}`,
    title: `Level ${l.name}`,
    doc: l.doc,
    tables: [
      {
        caption: `Level ${l.name}`,
        head: ["walk depth", "shift", "entries", "frame bits", "valid when"],
        rows: [[String(l.depth), l.shift.text, l.entries.text, l.frame ? bitsText(l.frame.lsb, l.frame.width) : "", l.valid?.text ?? "always"]],
      },
    ],
    shapes: l.formats.map((f) =>
      shapeView(f, "format", [
        { label: "level", value: f.level },
        { label: "when", value: f.when.text },
        { label: "role", value: f.walk.role + (f.walk.roleFrom === "rule" ? " (by the default rule)" : "") },
        { label: "address", value: f.address ? `${f.address.field} [${bitsText(f.address.lsb, f.address.width)}] << ${f.address.shift}${f.address.inPlace ? " (in place)" : " (frame number)"}` : "none" },
        { label: "width", value: `${f.width} bits` },
      ], ctx),
    ),
  }));
  return {
    ...pageHead(spec),
    sections: [
      {
        id: "flags",
        title: spec.flags ? "Flags" : "Constants",
        doc: spec.flags?.doc ?? "",
        tables: [
          ...(spec.flags
            ? [
                { caption: `Flags word (${spec.flags.width} bits)`, head: ["flag", "bit", "entry field", "doc"], rows: spec.flags.flags.map((f) => [f.name, String(f.bit), f.field, f.doc]) },
                { caption: "Packing into entries", head: ["flags bits", "entry bits", "doc"], rows: spec.flags.packing.map((p) => [bitsText(p.flagsLsb, p.width), bitsText(p.entryLsb, p.width), p.doc]) },
              ]
            : []),
          ...(spec.flagSets.length ? [{ caption: "Flag sets", head: ["set", "members", "doc"], rows: spec.flagSets.map((s) => [s.name, s.members.map((m) => m.name).join(", "), s.doc]) }] : []),
          ...(spec.constants.length
            ? [{ caption: "Constants", head: ["name", "value", "doc"], rows: spec.constants.map((c) => [c.name, c.literal !== undefined ? hex(c.literal) : c.expr?.text ?? "", c.doc]) }]
            : []),
        ],
        shapes: [],
      },
      ...levels,
      {
        id: "conversions",
        title: "Conversions",
        doc: "",
        tables: spec.conversions.length ? [{ caption: "Conversions", head: ["name", "parameter", "expression", "doc"], rows: spec.conversions.map((c) => [c.name, c.param, c.expr.text, c.doc]) }] : [],
        shapes: [],
      },
    ].filter((s) => s.shapes.length || s.tables.length),
  };
}
