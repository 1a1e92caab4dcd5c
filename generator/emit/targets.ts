import { deviceC } from "./c/device.ts";
import { entriesC } from "./c/entries.ts";
import { registersC } from "./c/index.ts";
import { emitFsmSupport, emitMachineTs } from "./fsm/index.ts";
import type { OutFile } from "./types.ts";
import { emitSchemaTypes } from "./schema-types.ts";
import type { TargetPlugin } from "./target.ts";
import { emitBarrel } from "./ts/barrel.ts";
import { deviceTs } from "./ts/device/index.ts";
import { entriesTs } from "./ts/entries.ts";
import { registersTs } from "./ts/index.ts";
import { emitSupport } from "./ts/support.ts";

/** Typed accessors, device dispatch, entry helpers and machine step tables, over one support module. */
export const tsTarget: TargetPlugin = {
  target: "ts",
  language: "TypeScript",
  kinds: { registers: registersTs, device: deviceTs, entries: entriesTs, machine: (spec, _front, o) => emitMachineTs(spec, o.ts.importExtension) },
  shared: (specs, files: readonly OutFile[], o) => [emitBarrel(specs, files, o.ts.importExtension)],
  // The shared machine types are emitted even without machines so runtime/fsm always type-checks.
  fixed: async () => [emitSupport(), emitFsmSupport(), ...(await emitSchemaTypes())],
};

/** Xen-style headers: unions, field macros, accessors, BUILD_BUG_ON facts. */
export const cTarget: TargetPlugin = {
  target: "c",
  language: "C",
  kinds: { registers: registersC, device: deviceC, entries: entriesC },
};

/** Every target `generate` writes. Adding one is a folder under emit/ plus one line here (docs/architecture.md). */
export const TARGETS = { ts: tsTarget, c: cTarget } as const;
