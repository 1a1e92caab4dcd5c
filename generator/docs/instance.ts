import type { ElabDeviceSpec, ElabRegistersSpec } from "../elaborate/model.ts";
import { addressText } from "../elaborate/spaces.ts";
import { hex } from "../resolve/values.ts";
import type { PageView } from "./view.ts";

type Section = PageView["sections"][number];

/**
 * The sections an instance or overlay page starts with: where the instance sits (base, each
 * register's absolute address, wired lines) and what it inherits unchanged from the spec it
 * extends, so the page lists only what differs (elaborate/inherit.ts decides which).
 */
export function instanceSections(spec: ElabRegistersSpec | ElabDeviceSpec): Section[] {
  const out: Section[] = [];
  const inst = spec.instance;
  if (inst) {
    const space = spec.kind === "device" ? "mmio" : spec.space;
    out.push({
      id: "instance",
      title: "Instance",
      doc: inst.doc,
      tables: [
        { caption: "Where it sits", head: ["base", "registers"], rows: [[hex(inst.base), `${spec.registers.length} at base + their ${space === "mmio" ? "offsets" : "addresses"}`]] },
        {
          caption: "Absolute addresses",
          head: ["register", "address"],
          rows: spec.registers.map((r) => [r.name, addressText(space, inst.base + r.address) + (r.array ? ` + n × ${hex(r.array.stride)}` : "")]),
        },
        ...(inst.interrupts.length ? [{ caption: "Wired interrupt lines", head: ["line", "interrupt number", "doc"], rows: inst.interrupts.map((i) => [i.line, String(i.number), i.doc]) }] : []),
      ],
      shapes: [],
    });
  }
  const inh = spec.inherits;
  if (inh) {
    const rows = [
      ["inherited unchanged", [...inh.inherited].join(", ") || "(none)"],
      ["changed or added here", inh.own.join(", ") || "(none)"],
      ...(inh.removed.length ? [["removed", inh.removed.join(", ")]] : []),
      [spec.kind === "device" ? "block, hooks, lines, constants" : "space, groups, asserts", inh.sameRest ? `as in ${inh.base}` : "changed (listed below)"],
    ];
    out.push({
      id: "inherited",
      title: `What it shares with ${inh.base}`,
      doc: `Items equal to ${inh.base}'s are documented there and generated there once: this spec's header includes ${inh.base}'s and its TS module re-exports them. Only what differs is listed below.`,
      tables: [{ caption: "Items by name", head: ["", "items"], rows }],
      shapes: [],
    });
  }
  return out;
}

/** An overlay's page shows its own shapes only. */
export const ownShapes = <S extends { name: string }>(spec: ElabRegistersSpec | ElabDeviceSpec, shapes: readonly S[]): S[] => shapes.filter((s) => !spec.inherits?.inherited.has(s.name));
