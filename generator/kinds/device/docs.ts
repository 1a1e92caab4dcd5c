import { instanceSections, ownShapes } from "../../docs/instance.ts";
import type { ElabDeviceRegister, ElabDeviceSpec } from "../../elaborate/model.ts";
import type { UnmappedPolicy } from "../../model/index.ts";
import { hex } from "../../resolve/values.ts";
import { readText } from "../../inspect/facts.ts";
import { mapAddress, mapRepeat, registerMeta } from "../registers/docs.ts";
import { shapeView, type ShapeContext } from "../../docs/shapes.ts";
import type { Meta, PageView } from "../../docs/view.ts";
import { pageHead } from "../../docs/view.ts";

const READ_WORDS: Record<string, string> = { store: "stored value", fault: "fault" };
const WRITE_WORDS: Record<string, string> = { store: "merged by field access", ignore: "ignored" };
const POLICY_WORDS: Record<UnmappedPolicy, string> = { fault: "fault: the access is refused", "raz-wi": "RAZ/WI: reads 0, writes ignored" };

function readOf(r: ElabDeviceRegister): string {
  const text = READ_WORDS[r.read.kind] ?? readText(r.read).replace(/^value /, "= ");
  return r.aliasOf && r.read.kind === "store" ? `${text} of ${r.aliasOf.name}` : text;
}

function writeOf(r: ElabDeviceRegister): string {
  const base = WRITE_WORDS[r.write.kind] ?? r.write.kind;
  return `${base}${r.aliasOf && r.write.kind === "store" ? ` into ${r.aliasOf.name}` : ""}${r.onWrite ? `, then hook ${r.onWrite.hook}` : ""}`;
}

/** Storage, narrow lanes and reserved-bit writes: what makes a register behave unlike a plain one. */
function notes(r: ElabDeviceRegister): string[] {
  return [
    ...(r.aliasOf ? [`alias of ${r.aliasOf.name}: no storage of its own`] : []),
    ...(r.narrow === "lanes" ? ["narrow accesses reach every aligned lane"] : []),
    ...(r.reservedWrites === "store" ? ["reserved bits stored as written"] : []),
    ...(r.aliases.length ? [`also named ${r.aliases.join(", ")}`] : []),
  ];
}

function behaviour(r: ElabDeviceRegister): Meta[] {
  return [
    { label: "access widths", value: r.accessWidths.join(", ") },
    { label: "read", value: readOf(r) },
    { label: "write", value: writeOf(r) },
    ...(r.aliasOf ? [{ label: "alias of", value: `${r.aliasOf.name} (reads and writes its storage through this register's fields)` }] : []),
    // Only a register that accepts narrower accesses has a narrow behaviour worth a line.
    ...(r.accessWidths.some((w) => w < r.width)
      ? [{ label: "narrow accesses", value: r.narrow === "lanes" ? "lanes: any naturally aligned lane inside the register" : "low: only at the register's offset, reaching its low bits" }]
      : []),
    ...(r.reservedWrites === "store" ? [{ label: "reserved bits", value: "stored as written" }] : []),
    ...(r.aliases.length ? [{ label: "aliases", value: r.aliases.join(", ") }] : []),
  ];
}

/** Registers and unmapped ranges in offset order: one row per register (an array is one row) or range. */
function registerMap(spec: ElabDeviceSpec): string[][] {
  const rows: { at: bigint; row: string[] }[] = spec.registers.map((r) => ({
    at: r.offset,
    row: [mapAddress(r), r.array ? `${r.name}[0..${r.array.count - 1}]` : r.name, mapRepeat(r), r.access, readOf(r), writeOf(r), notes(r).join("; ")],
  }));
  for (const u of spec.block.unmappedRanges) {
    rows.push({ at: u.first, row: [`${hex(u.first)}..${hex(u.last)}`, "(unmapped)", "", "", u.policy === "raz-wi" ? "0" : "fault", u.policy === "raz-wi" ? "ignored" : "fault", [u.policy, u.doc].filter(Boolean).join(": ")] });
  }
  return rows.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).map((r) => r.row);
}

/** Docs page of a `device` spec: the MMIO block, its registers with behaviour, hooks, interrupts, constants. */
export function devicePage(spec: ElabDeviceSpec, ctx: ShapeContext): PageView {
  // An overlay's page lists what differs from its base; the base's page has the rest.
  const rest = !spec.inherits?.sameRest;
  return {
    ...pageHead(spec),
    sections: [
      ...instanceSections(spec),
      {
        id: "block",
        title: "MMIO block",
        doc: spec.block.doc,
        tables: [
          { caption: "Block", head: ["size", "access widths", "other offsets"], rows: [[hex(spec.block.size), spec.block.accessWidths.join(", "), POLICY_WORDS[spec.block.unmapped]]] },
          {
            caption: "Register map (an array is one row: count × stride, and the bytes its elements cover)",
            head: ["offset", "register", "count × stride", "access", "read", "write", "notes"],
            rows: registerMap(spec),
          },
        ].filter(() => rest),
        shapes: [],
      },
      { id: "registers", title: "Registers", doc: "", tables: [], shapes: ownShapes(spec, spec.registers).map((r) => shapeView(r, "register", [...registerMeta(r), ...behaviour(r)], ctx)) },
      { id: "layouts", title: "Layouts", doc: "", tables: [], shapes: ownShapes(spec, spec.layouts).map((l) => shapeView(l, "layout", [{ label: "width", value: `${l.width} bits` }], ctx)) },
      {
        id: "behaviour",
        title: "Hooks, interrupts and constants",
        doc: "",
        tables: !rest
          ? []
          : [
          ...(spec.hooks.length ? [{ caption: "Hooks the runtime implements", head: ["hook", "on", "doc"], rows: spec.hooks.map((h) => [h.name, h.on, h.doc]) }] : []),
          ...(spec.interrupts.length ? [{ caption: "Interrupt lines", head: ["line", "raised while", "doc"], rows: spec.interrupts.map((i) => [i.name, i.expr.text, i.doc]) }] : []),
          ...(spec.constants.length ? [{ caption: "Constants", head: ["name", "value", "doc"], rows: spec.constants.map((c) => [c.name, hex(c.value), c.doc]) }] : []),
            ],
        shapes: [],
      },
    ].filter((s) => s.shapes.length || s.tables.length),
  };
}
