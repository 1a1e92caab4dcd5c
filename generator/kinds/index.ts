import type { ElabSpec } from "../elaborate/model.ts";
import type { Spec } from "../model/index.ts";
import { deviceKind } from "./device/index.ts";
import { entriesKind } from "./entries/index.ts";
import { machineKind } from "./machine/index.ts";
import type { KindPlugin } from "./plugin.ts";
import type { TargetLanguage } from "../elaborate/names/reserved-words.ts";
import { registersKind } from "./registers/index.ts";

/** Every spec kind. Adding one is a folder beside these plus one line here (docs/architecture.md). */
export const KIND_PLUGINS = {
  registers: registersKind,
  device: deviceKind,
  entries: entriesKind,
  machine: machineKind,
} as const;

export type Kind = keyof typeof KIND_PLUGINS;
export const KINDS = Object.keys(KIND_PLUGINS) as Kind[];

/** The languages a kind's specs are turned into (none for an unknown kind). */
export const kindReaches = (kind: string): readonly TargetLanguage[] => pluginOf(kind)?.reaches ?? [];

/** The plugin of a spec's kind, typed loosely for stages that treat every kind alike. */
export const pluginOf = (kind: string): KindPlugin<Spec, ElabSpec> | undefined => (KIND_PLUGINS as Record<string, unknown>)[kind] as KindPlugin<Spec, ElabSpec> | undefined;
