import type { DeviceSpec, EntriesSpec, MachineSpec, RegistersSpec, Spec } from "../model/index.ts";
import { devicePage } from "./device.ts";
import { entriesPage } from "./entries.ts";
import { machinePage } from "./machine.ts";
import { registersPage } from "./registers.ts";
import type { ShapeContext } from "./shapes.ts";
import type { PageView } from "./view.ts";

/** One docs module per spec kind. A kind missing here gets a page with its doc text only. */
export const PAGES: Record<string, (spec: Spec, ctx: ShapeContext) => PageView> = {
  registers: (s, ctx) => registersPage(s as RegistersSpec, ctx),
  device: (s, ctx) => devicePage(s as DeviceSpec, ctx),
  entries: (s, ctx) => entriesPage(s as EntriesSpec, ctx),
  machine: (s, ctx) => machinePage(s as MachineSpec, ctx),
};

export function pageOf(spec: Spec, ctx: ShapeContext): PageView {
  const page = PAGES[spec.kind];
  if (page) return page(spec, ctx);
  const s = spec as { name: string; kind: string; rel: string; doc: string; source?: string };
  return { name: s.name, kind: s.kind, file: `specs/${s.rel}`, doc: s.doc, source: s.source ?? "", sections: [] };
}
