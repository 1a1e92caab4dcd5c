import type { ElabDeviceSpec, ElabEntriesSpec, ElabMachineSpec, ElabRegistersSpec, ElabSpec } from "../elaborate/model.ts";
import { devicePage } from "./device.ts";
import { entriesPage } from "./entries.ts";
import { machinePage } from "./machine.ts";
import { registersPage } from "./registers.ts";
import type { ShapeContext } from "./shapes.ts";
import type { PageView } from "./view.ts";

/** One docs module per spec kind. A kind missing here gets a page with its doc text only. */
export const PAGES: Record<string, (spec: ElabSpec, ctx: ShapeContext) => PageView> = {
  registers: (s, ctx) => registersPage(s as ElabRegistersSpec, ctx),
  device: (s, ctx) => devicePage(s as ElabDeviceSpec, ctx),
  entries: (s, ctx) => entriesPage(s as ElabEntriesSpec, ctx),
  machine: (s, ctx) => machinePage(s as ElabMachineSpec, ctx),
};

export function pageOf(spec: ElabSpec, ctx: ShapeContext): PageView {
  const page = PAGES[spec.kind];
  if (page) return page(spec, ctx);
  const s = spec as { name: string; kind: string; rel: string; doc: string; source?: string };
  return { name: s.name, kind: s.kind, file: `specs/${s.rel}`, doc: s.doc, source: s.source ?? "", sections: [] };
}
