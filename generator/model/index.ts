import type { RegistersSpec } from "./registers.ts";
import type { DeviceSpec } from "./device.ts";
import type { EntriesSpec } from "./entries.ts";
import type { MachineSpec } from "./machine.ts";

export type * from "./common.ts";
export type * from "./registers.ts";
export type * from "./expr.ts";
export type * from "./device.ts";
export type * from "./entries.ts";
export type * from "./machine.ts";

/** The one contract between front and back ends: pure data, no JSON, no TypeScript. */
export type Spec = RegistersSpec | DeviceSpec | EntriesSpec | MachineSpec;

export interface Model {
  /** Sorted by namespace. */
  specs: Spec[];
}
