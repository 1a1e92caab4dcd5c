import { typeDeviceExpressions } from "../../elaborate/device.ts";
import type { ElabDeviceSpec } from "../../elaborate/model.ts";
import type { DeviceSpec } from "../../model/index.ts";
import type { KindPlugin } from "../plugin.ts";
import { checkDevices } from "./check/index.ts";
import { diffDevice } from "./diff.ts";
import { devicePage } from "./docs.ts";
import { resolveDeviceSpec } from "./resolve.ts";

/** An MMIO block (PL011): registers at offsets, derived values, write semantics, hooks, interrupt lines. */
export const deviceKind: KindPlugin<DeviceSpec, ElabDeviceSpec> = {
  kind: "device",
  schema: "device.schema.json",
  reaches: ["TypeScript", "C"],
  resolve: resolveDeviceSpec,
  shapes: (s) => [...s.layouts, ...s.registers],
  elaborate: (s, ctx) => ({ ...s, layouts: s.layouts.map((l) => ctx.shape(l)), registers: s.registers.map((r) => ({ ...ctx.shape(r), storage: r.aliasOf?.name ?? r.name })), typed: new Map() }),
  // Device expressions name registers through the lookup, so they are typed once it exists.
  finish: (s, lookup) => {
    s.typed = typeDeviceExpressions(s, lookup);
  },
  check: checkDevices,
  diff: diffDevice,
  docsPage: devicePage,
};
